//! Every webhook body Meta sends, replayed: the 46 bodies collected by pywa
//! (`../shared/whatsapp/pywa-updates/`, read in place, never copied) go signed through the real
//! router of an app serving phone number id `1122334455667`. Each gets 200, and the table
//! below states, per fixture, what is stored. Bodies addressed to another number (the
//! placeholder `<BUSINESS_PHONE_NUMBER_ID>` or another real id) must store nothing; they are
//! then replayed with our id put in, and the table states what that stores.

use std::path::{Path, PathBuf};

use serde_json::Value;
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::store::marketing;

use crate::common::app::{TestApp, app_with, json};
use crate::common::graph::{SECRET, deliver, whatsapp_config};
use crate::common::pywa_updates;

const OUR_NUMBER_ID: &str = "1122334455667";
/// The resident most fixtures come from.
const RESIDENT: &str = "972987654321";

/// What one fixture must leave in the store.
#[derive(Debug, Clone, Copy)]
enum Stored {
    /// One resident message whose text contains the fragment, stored with Meta's time; its
    /// window has closed, so nothing automatic follows it and a person owes the reply.
    Resident(&'static str),
    /// Like `Resident`, and the message carries these details (JSON fragment) or quote.
    ResidentWith(&'static str, &'static str),
    /// No message at all (statuses for messages we never sent, echoes of edits/deletes).
    Nothing,
    /// A status we do not track (`played`): nothing stored, counted as nothing.
    Untracked,
    /// A note from WhatsApp in the resident's existing conversation, no welcome, no bot.
    Note(&'static str),
    /// An outbound message sent outside vraagbaak, in a closed conversation.
    Echo(&'static str),
    /// A marketing preference row with this value.
    Preference(&'static str),
    /// A reaction, edit or revoke: applied to the resident's earlier message it names, and
    /// nothing added (no message, no welcome, no away text); the answer counts it under this key.
    Update(&'static str),
}

use Stored::*;

/// Fixture -> what is stored, for bodies addressed to our number (after the id is put in for
/// those addressed elsewhere).
#[rustfmt::skip]
const EXPECTED: &[(&str, &str, Stored)] = &[
    ("callback_button.json", "button", ResidentWith("title", r#""choice_id":"callback_data""#)),
    ("callback_button.json", "quick_reply", Resident("title")),
    ("callback_button.json", "quick_reply_without_context", Resident("title")),
    ("callback_selection.json", "callback", ResidentWith("title", r#""choice_id":"callback_data""#)),
    ("callback_selection.json", "description", ResidentWith("title", r#""choice_description":"description""#)),
    ("flow_completion.json", "completion", Resident("[Formulier ingevuld: flow, Sent]\ncomment_text: Comment Text\ncs_rating: 0\ndelivery_rating: 4")),
    ("flow_completion.json", "without_flow_token", Resident("purchase_rating: 2\nrecommend_radio: 0")),
    ("message.json", "text", Resident("Body Text")),
    ("message.json", "image", Resident("[Afbeelding ontvangen")),
    ("message.json", "media_with_url", Resident("[Afbeelding ontvangen")),
    ("message.json", "video", ResidentWith("[Video ontvangen: bijschrift \"caption\"]", r#""forwarded":"doorgestuurd""#)),
    ("message.json", "document", Resident("[Document ontvangen: filename.pdf, bijschrift \"caption\"]")),
    ("message.json", "audio", ResidentWith("[Audiobestand ontvangen]", r#""forwarded":"doorgestuurd""#)),
    ("message.json", "voice", Resident("[Spraakbericht ontvangen]")),
    ("message.json", "static_sticker", Resident("[Sticker ontvangen]")),
    ("message.json", "animated_sticker", Resident("[Sticker ontvangen]")),
    ("message.json", "current_location", Resident("[Locatie ontvangen: 12.25089, 43.90539]")),
    ("message.json", "chosen_location", Resident("[Locatie ontvangen: Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 (37.4611978, -122.2164385)]")),
    ("message.json", "contacts", Resident("[Contactkaart ontvangen (3)]\nChandler Bing: +1 555-555-5555\nMonica: +1 666-666-6666\nRachel Green: +1 777-777-7777")),
    ("message.json", "order", Resident("[Bestelling ontvangen, catalogus 354160437058781]\n3 × HAMBURGER à 30 ILS\n2 × FRENCH_FRIES à 35 ILS\n2 × SODA à 10 ILS")),
    ("message.json", "unsupported", Resident("[Bericht van type onbekend ontvangen")),
    ("message.json", "unsupported_with_type", Resident("[Bericht van type pool ontvangen")),
    ("message.json", "reply", ResidentWith("replied text", "reply_to=wamid.xyzxyz==")),
    ("message.json", "forwarded", ResidentWith("forwarded text", r#""forwarded":"doorgestuurd""#)),
    ("message.json", "forwarded_many_times", ResidentWith("text forwarded many times", r#""forwarded":"vaak doorgestuurd""#)),
    ("message.json", "interactive_message_with_err", Resident("[Bericht dat niet getoond kan worden (interactive); WhatsApp meldt: 131000 Something went wrong: Unsupported webhook payload]")),
    ("message.json", "referral", ResidentWith("BODY", r#""referral":"AD_TITLE — AD_OR_POST_FB_URL""#)),
    ("message_status.json", "sent", Nothing),
    ("message_status.json", "delivered", Nothing),
    ("message_status.json", "read", Nothing),
    ("message_status.json", "played", Untracked),
    ("message_status.json", "failed", Nothing),
    ("message_status.json", "with_tracker", Nothing),
    ("message_status.json", "group", Nothing),
    ("outgoing_message.json", "text", Echo("Test message")),
    ("outgoing_message.json", "delete", Nothing),
    ("outgoing_message.json", "edit", Nothing),
    ("system.json", "phone_number_change", Note("De inwoner gebruikt nu een ander WhatsApp-nummer")),
    ("system.json", "identity_change", Note("De beveiligingscode van de inwoner is gewijzigd")),
    ("user_marketing_preferences.json", "resume", Preference("resume")),
    ("user_marketing_preferences.json", "signup", Preference("signup")),
    // Reactions, un-reactions, edits and revokes change the message they name.
    // An un-reaction of a message without a reaction changes nothing: counted a duplicate.
    ("message.json", "reaction", Update("updates")),
    ("message.json", "unreaction_empty", Update("duplicates")),
    ("message.json", "unreaction_no_emoji", Update("duplicates")),
    ("edited_message.json", "image", Update("updates")),
    ("deleted_message.json", "revoke", Update("updates")),
];

/// Every fixture: `(file, name, body)`, files and names sorted.
fn fixtures(dir: &Path) -> Vec<(String, String, Value)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable fixture dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let Value::Object(bodies) = serde_json::from_str(&text).expect("fixture JSON") else {
            panic!("{file}: not an object of bodies");
        };
        for (name, body) in bodies {
            all.push((file.clone(), name, body));
        }
    }
    all
}

/// The phone number id of each change in `body`.
fn addressed_to(body: &Value) -> Vec<String> {
    body["entry"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["changes"].as_array().into_iter().flatten())
        .map(|c| {
            c["value"]["metadata"]["phone_number_id"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

/// `body` with every change addressed to our number.
fn readdressed(body: &Value) -> Value {
    let mut body = body.clone();
    for entry in body["entry"].as_array_mut().into_iter().flatten() {
        for change in entry["changes"].as_array_mut().into_iter().flatten() {
            change["value"]["metadata"]["phone_number_id"] = OUR_NUMBER_ID.into();
        }
    }
    body
}

async fn fresh_app() -> TestApp {
    let mut config = whatsapp_config("http://127.0.0.1:9");
    config.whatsapp.phone_number_id = Some(OUR_NUMBER_ID.into());
    app_with(config).await
}

/// Every message as `direction author_kind | text | details | reply_to=...`.
async fn messages(app: &TestApp) -> Vec<String> {
    app.state
        .chat
        .store
        .call(|c| {
            let mut stmt = c.prepare(
                "SELECT direction, author_kind, text, COALESCE(details, ''), COALESCE(reply_to, '')
                 FROM messages ORDER BY id",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok(format!(
                        "{} {} | {} | {} | reply_to={}",
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
        .expect("messages")
}

/// The one value `sql` selects.
pub async fn scalar<T: rusqlite::types::FromSql + Send + 'static>(
    app: &TestApp,
    sql: &'static str,
) -> T {
    app.state
        .chat
        .store
        .call(move |c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .await
        .expect(sql)
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    scalar(app, sql).await
}

async fn send(app: &TestApp, what: &str, body: &Value) -> Value {
    let res = deliver(app, body.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200, "{what}");
    json(res).await
}

/// Replays one body (already addressed to us) into a fresh app and checks `expected`.
async fn replay(what: &str, body: &Value, expected: Stored) {
    let app = fresh_app().await;
    if let Note(_) = expected {
        // A system message is about a resident we know: they wrote first.
        let hello =
            simulate::text_message(OUR_NUMBER_ID, RESIDENT, "Test Name", "wamid.hello", "Hallo");
        send(&app, what, &hello).await;
    }
    if let Update(_) = expected {
        // The message the update names, sent earlier by the same resident.
        let message = &body["entry"][0]["changes"][0]["value"]["messages"][0];
        let from = message["from"].as_str().expect("from");
        let target = target_of(message).expect("the update names a message");
        let earlier = simulate::text_message(OUR_NUMBER_ID, from, "Test Name", &target, "Hallo");
        send(&app, what, &earlier).await;
    }
    let before = messages(&app).await.len();
    let answer = send(&app, what, body).await;
    let all = messages(&app).await;
    let new = &all[before..];
    match expected {
        Resident(fragment) | ResidentWith(fragment, _) => {
            assert_eq!(answer["stored"], 1, "{what}: {answer}");
            // Meta's bodies are from 2023–2025: the 24-hour window closed long ago, so no
            // welcome, away text or bot answer could be delivered, and none is stored.
            assert!(new.len() == 1, "{what}: the message alone, got {new:#?}");
            assert!(
                new[0].starts_with("in resident | ") && new[0].contains(fragment),
                "{what}: {:?} should contain {fragment:?}",
                new[0]
            );
            let sent_at: chrono::DateTime<chrono::Utc> = scalar(
                &app,
                "SELECT sent_at FROM messages WHERE direction = 'in' ORDER BY id DESC LIMIT 1",
            )
            .await;
            let meta_time = body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"]
                .as_str()
                .and_then(|t| t.parse::<i64>().ok())
                .expect("Meta's timestamp");
            assert_eq!(
                sent_at.timestamp(),
                meta_time,
                "{what}: Meta's time is kept"
            );
            let owed = count(
                &app,
                "SELECT count(*) FROM conversations WHERE owed_since IS NOT NULL",
            )
            .await;
            assert_eq!(owed, 1, "{what}: a person owes the resident a reply");
            if let ResidentWith(_, detail) = expected {
                assert!(
                    new[0].contains(detail),
                    "{what}: {:?} should hold {detail:?}",
                    new[0]
                );
            }
        }
        Nothing | Untracked => {
            assert!(new.is_empty(), "{what}: {new:#?}");
            assert_eq!(answer["stored"], 0, "{what}: {answer}");
        }
        Note(fragment) => {
            assert_eq!(answer["stored"], 1, "{what}: {answer}");
            assert!(
                new.len() == 1 && new[0].starts_with("note system | ") && new[0].contains(fragment),
                "{what}: one note, no welcome or bot text, got {new:#?}"
            );
        }
        Echo(fragment) => {
            assert!(
                new.len() == 1
                    && new[0].starts_with("out agent | ")
                    && new[0].contains(fragment)
                    && new[0].contains(r#""sent_outside":true"#),
                "{what}: one echo, got {new:#?}"
            );
            let closed = count(
                &app,
                "SELECT count(*) FROM conversations WHERE status = 'closed'",
            )
            .await;
            assert_eq!(closed, 1, "{what}: nobody waits for an answer to an echo");
        }
        Update(counted) => {
            assert!(new.is_empty(), "{what}: {new:#?}");
            assert_eq!(answer[counted], 1, "{what}: {answer}");
        }
        Preference(value) => {
            assert!(new.is_empty(), "{what}: {new:#?}");
            let rows = count(&app, "SELECT count(*) FROM marketing_preferences").await;
            assert_eq!(rows, 1, "{what}");
            let wa_id = body["entry"][0]["changes"][0]["value"]["user_preferences"][0]["wa_id"]
                .as_str()
                .expect("wa_id")
                .to_owned();
            let opted_out = app
                .state
                .chat
                .store
                .call(move |c| marketing::marketing_opted_out(c, &wa_id))
                .await
                .expect("preference");
            assert_eq!(opted_out, value == marketing::STOP, "{what}");
        }
    }
}

/// The id of the message a reaction, edit or revoke names, wherever Meta put it.
fn target_of(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => ["message_id", "original_message_id"]
            .iter()
            .find_map(|key| map.get(*key).and_then(Value::as_str).map(str::to_owned))
            .or_else(|| map.values().find_map(target_of)),
        _ => None,
    }
}

#[tokio::test]
async fn every_pywa_fixture_is_acknowledged_and_stores_what_the_table_says() {
    let Some(dir) = pywa_updates("whatsapp_fixtures::every_pywa_fixture") else {
        return;
    };
    let fixtures = fixtures(&dir);
    assert!(
        fixtures.len() >= 46,
        "only {} fixtures found",
        fixtures.len()
    );
    for (file, name, body) in &fixtures {
        let what = format!("{file} -> {name}");
        let &(_, _, expected) = EXPECTED
            .iter()
            .find(|(f, n, _)| f == file && n == name)
            .unwrap_or_else(|| panic!("{what}: no expectation in the table"));
        if addressed_to(body).iter().any(|id| id != OUR_NUMBER_ID) {
            let app = fresh_app().await;
            let answer = send(&app, &what, body).await;
            assert!(
                answer["foreign"].as_u64().unwrap_or(0) >= 1,
                "{what}: {answer}"
            );
            assert!(
                messages(&app).await.is_empty(),
                "{what}: another number's body stored"
            );
            let prefs = count(&app, "SELECT count(*) FROM marketing_preferences").await;
            let early = count(&app, "SELECT count(*) FROM early_statuses").await;
            assert_eq!(
                (prefs, early),
                (0, 0),
                "{what}: another number's body stored"
            );
            replay(
                &format!("{what} (readdressed)"),
                &readdressed(body),
                expected,
            )
            .await;
        } else {
            replay(&what, body, expected).await;
        }
    }
    assert_eq!(
        EXPECTED.len(),
        fixtures.len(),
        "a row for a fixture that no longer exists"
    );
}

#[tokio::test]
async fn a_number_change_moves_the_conversation_and_later_messages_follow() {
    let Some(dir) = pywa_updates("whatsapp_fixtures::a_number_change") else {
        return;
    };
    let app = fresh_app().await;
    let hello =
        simulate::text_message(OUR_NUMBER_ID, RESIDENT, "Test Name", "wamid.hello", "Hallo");
    send(&app, "hello", &hello).await;
    let fixtures = fixtures(&dir);
    let (_, _, change) = fixtures
        .iter()
        .find(|(f, n, _)| f == "system.json" && n == "phone_number_change")
        .expect("the number change fixture");
    send(&app, "change", change).await;
    let later = simulate::text_message(
        OUR_NUMBER_ID,
        "972912345678",
        "Test Name",
        "wamid.later",
        "Nog een vraag",
    );
    send(&app, "later", &later).await;
    let refs = count(&app, "SELECT count(*) FROM conversations").await;
    assert_eq!(refs, 1, "the new number writes in the same conversation");
    let thread = app.thread(1).await;
    assert_eq!(
        thread.last().map(|m| m.text.as_str()),
        Some("Nog een vraag")
    );
    let now: String = scalar(&app, "SELECT resident_ref FROM conversations WHERE id = 1").await;
    let earlier = app
        .state
        .chat
        .store
        .call(|c| vraagbaak::store::numbers::earlier_refs(c, 1))
        .await
        .expect("earlier numbers");
    let moved = (now, earlier);
    let exported = app
        .state
        .chat
        .store
        .call(|c| {
            let mut all = Vec::new();
            vraagbaak::store::export::each_conversation(c, |conversation| {
                all.push(serde_json::to_value(&conversation).expect("JSON"));
                Ok::<_, vraagbaak::store::StoreError>(())
            })?;
            Ok(all)
        })
        .await
        .expect("export");
    assert_eq!(
        exported[0]["earlier_residents"],
        serde_json::json!([RESIDENT]),
        "the archive keeps the old number"
    );
    assert_eq!(
        moved,
        ("972912345678".to_owned(), vec![RESIDENT.to_owned()])
    );
}
