//! The lenient rule (see the module docs): message-level problems travel with the message
//! or status, only change-level problems reject the body; and the context kept per message.

use serde_json::json;

use super::fixtures::{PHONE_NUMBER_ID, body, change, one_message, problems};
use super::*;

#[test]
fn unstorable_messages_and_statuses_are_skipped_with_their_paths_and_the_rest_is_kept() {
    let raw = body(vec![change(json!({
        "messages": [
            { "from": "31612345678", "id": "wamid.ok", "timestamp": "1700000000", "type": "text", "text": { "body": "ok" } },
            { "from": "31612345678", "timestamp": "gisteren", "type": "image", "image": { "mime_type": "image/png" } },
        ],
        "statuses": [{ "status": "read", "timestamp": "1700000000", "recipient_id": "31612345678" }],
    }))]);
    let events = parse(&raw).expect("only message-level problems");
    let skipped: Vec<Vec<String>> = events
        .iter()
        .filter_map(|e| match e {
            Event::Skipped(problems) => Some(problems.iter().map(ToString::to_string).collect()),
            _ => None,
        })
        .collect();
    assert_eq!(
        skipped,
        [
            vec![
                "entry[0].changes[0].value.messages[1].id: missing".to_owned(),
                "entry[0].changes[0].value.messages[1].timestamp: not a Unix timestamp".to_owned(),
            ],
            vec!["entry[0].changes[0].value.statuses[0].id: missing".to_owned()],
        ]
    );
    assert!(
        matches!(&events[0], Event::Inbound(m) if m.wamid == "wamid.ok"),
        "{events:?}"
    );
}

#[test]
fn a_message_with_an_unusable_part_is_unreadable_with_metas_error_beside_it() {
    let raw = body(vec![change(json!({
        "messages": [
            { "from": "31612345678", "id": "wamid.err", "timestamp": "1700505494", "type": "interactive",
              "context": { "from": "31850001234", "id": "wamid.asked" } },
            { "from": "31612345678", "id": "wamid.ok", "timestamp": "1700505495", "type": "text", "text": { "body": "Hallo" } },
        ],
        "errors": [{ "code": 131000, "title": "Something went wrong", "message": "Something went wrong",
                     "error_data": { "details": "Unsupported webhook payload" } }],
    }))]);
    let events = parse(&raw).expect("message-level problems do not reject the body");
    let [Event::Inbound(broken), Event::Inbound(fine)] = events.as_slice() else {
        panic!("expected two messages, got {events:?}");
    };
    assert_eq!(
        broken.content,
        Content::Unreadable {
            kind: "interactive".into(),
            error: Some("131000 Something went wrong: Unsupported webhook payload".into()),
            problems: vec![FieldProblem {
                path: "entry[0].changes[0].value.messages[0].interactive".into(),
                message: "missing".into()
            }],
        }
    );
    assert_eq!(broken.context.reply_to.as_deref(), Some("wamid.asked"));
    assert_eq!(fine.content, Content::Text("Hallo".into()));
}

#[test]
fn a_messages_change_without_our_number_id_is_still_rejected() {
    let raw = json!({ "object": "whatsapp_business_account", "entry": [{ "changes": [{ "field": "messages", "value": {
        "messages": [{ "from": "31612345678", "id": "wamid.a", "timestamp": "1700000000", "type": "text", "text": { "body": "x" } }] } }] }] })
    .to_string();
    assert_eq!(
        problems(raw.as_bytes()),
        ["entry[0].changes[0].value.metadata.phone_number_id: missing"]
    );
}

#[test]
fn changes_for_another_number_become_one_foreign_event_each() {
    let ours = change(
        json!({ "messages": [{ "from": "31612345678", "id": "wamid.a", "timestamp": "1700000000", "type": "text", "text": { "body": "x" } }] }),
    );
    let theirs = json!({ "field": "messages", "value": {
        "metadata": { "phone_number_id": "999" },
        "messages": [{ "from": "31612345678", "id": "wamid.b", "timestamp": "1700000000", "type": "text", "text": { "body": "y" } }],
        "statuses": [{ "id": "wamid.s", "status": "read", "timestamp": "1700000000", "recipient_id": "31612345678" }] } });
    let raw = body(vec![ours, theirs]);
    let events = parse_for(&raw, PHONE_NUMBER_ID).expect("valid body");
    assert!(matches!(&events[0], Event::Inbound(m) if m.wamid == "wamid.a"));
    assert_eq!(
        events[1],
        Event::Foreign(ForeignChange {
            phone_number_id: "999".into(),
            items: 2
        })
    );
    assert_eq!(events.len(), 2);
    assert_eq!(
        parse(&raw).expect("valid body").len(),
        3,
        "parse checks no number"
    );
}

#[test]
fn replies_forwards_and_ads_are_kept_as_context() {
    let raw = one_message(json!({ "type": "text", "text": { "body": "Zie hierboven" },
        "context": { "from": "31850001234", "id": "wamid.quoted", "frequently_forwarded": true },
        "referral": { "source_url": "https://fb.example/ad", "headline": "Afvalkalender", "source_type": "ad" } }));
    let events = parse(&raw).expect("valid body");
    let [Event::Inbound(message)] = events.as_slice() else {
        panic!("expected one message, got {events:?}");
    };
    assert_eq!(
        message.context,
        MessageContext {
            reply_to: Some("wamid.quoted".into()),
            forwarded: Forwarded::Frequently,
            referral: Some("Afvalkalender — https://fb.example/ad".into()),
        }
    );
    let odd =
        one_message(json!({ "type": "text", "text": { "body": "x" }, "context": "not an object" }));
    assert!(
        matches!(parse(&odd).as_deref(), Ok([Event::Inbound(m)]) if m.context == MessageContext::default())
    );
}
