//! Meta's own reaction, un-reaction, edit and revoke bodies (pywa's fixtures), replayed
//! signed against a message stored with the wamid they name.

use std::path::Path;

use serde_json::{Value, json};

use super::{annotations, conversation_state, count, emojis, post, reply_sent_as, resident_wrote};
use crate::common::app::{TestApp, app_with};
use crate::common::graph::whatsapp_config;

/// One webhook body from `pywa-updates/<file>`, by fixture name.
fn fixture(dir: &Path, file: &str, name: &str) -> Value {
    let path = dir.join(file);
    let raw = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let all: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    all[name].clone()
}

fn value(body: &Value) -> &Value {
    &body["entry"][0]["changes"][0]["value"]
}

/// The body with its one message replaced by `message`: the same envelope Meta used.
fn with_message(body: &Value, message: Value) -> Value {
    let mut body = body.clone();
    body["entry"][0]["changes"][0]["value"]["messages"] = json!([message]);
    body
}

/// An app whose WhatsApp number is the one `body` was sent to, with no outbox running.
async fn app_for(body: &Value) -> TestApp {
    let mut config = whatsapp_config("http://127.0.0.1:9");
    let number = value(body)["metadata"]["phone_number_id"].as_str();
    config.whatsapp.phone_number_id = number.map(String::from);
    app_with(config).await
}

#[tokio::test]
async fn meta_reactions_attach_to_our_reply_and_un_reactions_remove_them() {
    let Some(dir) = crate::common::pywa_updates(
        "whatsapp_updates::meta_reactions_attach_to_our_reply_and_un_reactions_remove_them",
    ) else {
        return;
    };
    let reaction = fixture(&dir, "message.json", "reaction");
    let resident = value(&reaction)["messages"][0]["from"]
        .as_str()
        .expect("from");
    let phone_id = value(&reaction)["metadata"]["phone_number_id"]
        .as_str()
        .expect("phone number id");
    let app = app_for(&reaction).await;
    resident_wrote(
        &app,
        phone_id,
        resident,
        "wamid.vraag",
        "Wanneer is het milieupark open?",
    )
    .await;
    // Residents mostly react to our replies: the welcome stands in for one.
    reply_sent_as(&app, "wamid.yzxyzx=").await;
    let before = conversation_state(&app).await;

    let answer = post(&app, &reaction).await;
    assert_eq!(answer["updates"], 1, "{answer}");
    assert_eq!(answer["stored"], 0, "a reaction is no message");
    assert_eq!(emojis(&app).await, ["😮"]);
    assert_eq!(
        conversation_state(&app).await,
        before,
        "no welcome, away text or wait"
    );

    for (round, name) in [(1, "unreaction_empty"), (2, "unreaction_no_emoji")] {
        // Each un-reaction has its own wamid and a later time than the reaction before it.
        let later = |seconds: i64| json!((1_697_044_456 + 100 * round + seconds).to_string());
        let mut unreaction = fixture(&dir, "message.json", name);
        let message = &mut unreaction["entry"][0]["changes"][0]["value"]["messages"][0];
        message["id"] = json!(name);
        message["timestamp"] = later(0);
        let answer = post(&app, &unreaction).await;
        assert_eq!(answer["stored"], 0, "{name}: {answer}");
        assert!(emojis(&app).await.is_empty(), "{name} removes the reaction");
        assert_eq!(conversation_state(&app).await, before, "{name}");
        // Back again for the next un-reaction.
        let again = with_message(
            &reaction,
            json!({ "from": resident, "id": format!("{name}.again"), "timestamp": later(50),
                    "type": "reaction", "reaction": { "message_id": "wamid.yzxyzx=", "emoji": "😮" } }),
        );
        post(&app, &again).await;
    }
}

#[tokio::test]
async fn a_reaction_from_an_unknown_number_opens_no_conversation() {
    let Some(dir) = crate::common::pywa_updates(
        "whatsapp_updates::a_reaction_from_an_unknown_number_opens_no_conversation",
    ) else {
        return;
    };
    let reaction = fixture(&dir, "message.json", "reaction");
    let app = app_for(&reaction).await;
    let answer = post(&app, &reaction).await;
    assert_eq!(answer["ignored"], 1, "{answer}");
    assert_eq!(count(&app, "SELECT count(*) FROM conversations").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM reactions").await, 0);
}

#[tokio::test]
async fn meta_edit_replaces_the_text_and_keeps_the_old_one() {
    let Some(dir) = crate::common::pywa_updates(
        "whatsapp_updates::meta_edit_replaces_the_text_and_keeps_the_old_one",
    ) else {
        return;
    };
    let edit = fixture(&dir, "edited_message.json", "image");
    let message = &value(&edit)["messages"][0];
    let resident = message["from"].as_str().expect("from");
    let original = message["edit"]["original_message_id"].as_str().expect("id");
    let app = app_for(&edit).await;
    // The photo as first sent, with the caption the edit replaces.
    let photo = with_message(
        &edit,
        json!({ "from": resident, "id": original, "timestamp": "1749854500", "type": "image",
                "image": { "id": "1234567890", "mime_type": "image/jpeg", "caption": "Losse stoeptegel" } }),
    );
    assert_eq!(post(&app, &photo).await["stored"], 1);
    let before = conversation_state(&app).await;

    let answer = post(&app, &edit).await;
    assert_eq!(answer["updates"], 1, "{answer}");
    assert_eq!(conversation_state(&app).await, before, "no new message");
    let thread = app.thread(1).await;
    let photo = thread
        .iter()
        .find(|m| m.channel_message_id.as_deref() == Some(original));
    let photo = photo.expect("the photo");
    assert_eq!(
        photo.text,
        "[Afbeelding ontvangen: bijschrift \"Updated image caption\"]"
    );
    assert!(photo.edited_at.is_some());
    let revisions = annotations(&app).await.revisions;
    let texts: Vec<&str> = revisions[&photo.id]
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["[Afbeelding ontvangen: bijschrift \"Losse stoeptegel\"]"]
    );

    assert_eq!(post(&app, &edit).await["duplicates"], 1, "redelivery");
    assert_eq!(annotations(&app).await.revisions[&photo.id].len(), 1);
}

#[tokio::test]
async fn meta_revoke_marks_the_message_and_keeps_its_text() {
    let Some(dir) = crate::common::pywa_updates(
        "whatsapp_updates::meta_revoke_marks_the_message_and_keeps_its_text",
    ) else {
        return;
    };
    let revoke = fixture(&dir, "deleted_message.json", "revoke");
    let message = &value(&revoke)["messages"][0];
    let resident = message["from"].as_str().expect("from");
    let original = message["revoke"]["original_message_id"]
        .as_str()
        .expect("id");
    let phone_id = value(&revoke)["metadata"]["phone_number_id"]
        .as_str()
        .expect("phone number id");
    let app = app_for(&revoke).await;
    resident_wrote(
        &app,
        phone_id,
        resident,
        original,
        "Mijn buurman parkeert steeds voor mijn uitrit",
    )
    .await;
    let before = conversation_state(&app).await;

    let answer = post(&app, &revoke).await;
    assert_eq!(answer["updates"], 1, "{answer}");
    assert_eq!(conversation_state(&app).await, before, "no new message");
    let revoked = app
        .thread(1)
        .await
        .into_iter()
        .find(|m| m.revoked_at.is_some());
    let revoked = revoked.expect("the message is marked revoked");
    assert_eq!(
        revoked.text,
        "Mijn buurman parkeert steeds voor mijn uitrit"
    );
    assert_eq!(post(&app, &revoke).await["duplicates"], 1, "redelivery");
}
