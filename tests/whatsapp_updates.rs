//! Residents' reactions, edits and revokes on WhatsApp (issue 10, items 3 and 4): Meta's own
//! webhook bodies replayed from `../shared/whatsapp`, then react / re-react / un-react, edit
//! twice, revoke, redelivery, the conversation page and the export.

use std::path::PathBuf;

use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::Event;
use vraagbaak::store::export::{ExportedConversation, each_conversation};
use vraagbaak::store::users::Role;
use vraagbaak::store::{StoreError, updates};

use crate::common::app::{TestApp, app_with, json, text};
use crate::common::graph::{PHONE_ID, RESIDENT, SECRET, deliver, whatsapp_config};

/// `../shared/whatsapp`, seen from the crate in /work/main or a worktree in /work/wt/<name>,
/// or `VRAAGBAAK_SHARED`. Missing, the test fails: it must not pass without the fixtures.
fn shared_dir() -> PathBuf {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("VRAAGBAAK_SHARED").map(PathBuf::from),
        Some(crate_dir.join("../shared/whatsapp")),
        Some(crate_dir.join("../../shared/whatsapp")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("pywa-updates").is_dir())
        .unwrap_or_else(|| {
            panic!("no shared/whatsapp/pywa-updates next to {crate_dir:?}; set VRAAGBAAK_SHARED")
        })
}

/// One webhook body from `pywa-updates/<file>`, by fixture name.
fn fixture(file: &str, name: &str) -> Value {
    let path = shared_dir().join("pywa-updates").join(file);
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

async fn post(app: &TestApp, body: &Value) -> Value {
    let res = deliver(app, body.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200, "{body}");
    json(res).await
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.state
        .chat
        .store
        .call(move |c| Ok(c.query_row(sql, [], |r| r.get(0))?))
        .await
        .expect("count")
}

/// A resident's text message, delivered and stored, as the message updates will name.
async fn resident_wrote(app: &TestApp, phone_id: &str, from: &str, wamid: &str, text: &str) {
    let body = simulate::text_message(phone_id, from, "Inwoner", wamid, text);
    assert_eq!(post(app, &body).await["stored"], 1);
}

/// Gives the last outgoing message the wamid the Graph API would have answered with (what the
/// outbox records after a send), so that a reaction can name it.
async fn reply_sent_as(app: &TestApp, wamid: &str) {
    let wamid = wamid.to_string();
    app.state
        .chat
        .store
        .call(move |c| {
            c.execute(
                "UPDATE messages SET channel_message_id = ?1, delivery = 'sent'
                 WHERE id = (SELECT max(id) FROM messages WHERE direction = 'out')",
                [wamid],
            )?;
            Ok(())
        })
        .await
        .expect("wamid");
}

async fn annotations(app: &TestApp) -> updates::Annotations {
    app.state
        .chat
        .store
        .call(|c| updates::of_conversation(c, 1))
        .await
        .expect("annotations")
}

async fn emojis(app: &TestApp) -> Vec<String> {
    let mut all: Vec<String> = annotations(app)
        .await
        .reactions
        .into_values()
        .flatten()
        .map(|r| r.emoji)
        .collect();
    all.sort();
    all
}

/// What a conversation looks like apart from its messages: no update may change it.
async fn conversation_state(app: &TestApp) -> String {
    count(app, "SELECT count(*) FROM messages")
        .await
        .to_string()
        + &app
            .state
            .chat
            .store
            .call(|c| {
                Ok(c.query_row(
                    "SELECT status || '|' || coalesce(waiting_since, '-') || '|' ||
                     coalesce(owed_since, '-') || '|' || coalesce(last_inbound_at, '-')
                     FROM conversations WHERE id = 1",
                    [],
                    |r| r.get::<_, String>(0),
                )?)
            })
            .await
            .expect("conversation")
}

#[tokio::test]
async fn meta_reactions_attach_to_our_reply_and_un_reactions_remove_them() {
    let reaction = fixture("message.json", "reaction");
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
        let mut unreaction = fixture("message.json", name);
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
    let reaction = fixture("message.json", "reaction");
    let app = app_for(&reaction).await;
    let answer = post(&app, &reaction).await;
    assert_eq!(answer["ignored"], 1, "{answer}");
    assert_eq!(count(&app, "SELECT count(*) FROM conversations").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM messages").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM reactions").await, 0);
}

#[tokio::test]
async fn meta_edit_replaces_the_text_and_keeps_the_old_one() {
    let edit = fixture("edited_message.json", "image");
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
    let revoke = fixture("deleted_message.json", "revoke");
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

/// A webhook body from our test resident with one message of type `kind`.
fn update(wamid: &str, seconds: i64, kind: &str, object: Value) -> Value {
    let mut body = simulate::text_message(PHONE_ID, RESIDENT, "Fatima", wamid, "-");
    body["entry"][0]["changes"][0]["value"]["messages"][0] = json!({
        "from": RESIDENT, "id": wamid, "timestamp": (1_760_000_000 + seconds).to_string(),
        "type": kind, kind: object,
    });
    body
}

fn react(wamid: &str, seconds: i64, target: &str, emoji: &str) -> Value {
    update(
        wamid,
        seconds,
        "reaction",
        json!({ "message_id": target, "emoji": emoji }),
    )
}

fn edit(wamid: &str, seconds: i64, target: &str, text: &str) -> Value {
    update(
        wamid,
        seconds,
        "edit",
        json!({ "original_message_id": target,
                "message": { "type": "text", "text": { "body": text } } }),
    )
}

#[tokio::test]
async fn react_re_react_un_react_edit_twice_and_revoke_with_redeliveries() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let mut events = app.state.chat.hub.subscribe();
    resident_wrote(
        &app,
        PHONE_ID,
        RESIDENT,
        "wamid.vraag",
        "Wanneer wordt het grofvuil opgehaald?",
    )
    .await;
    reply_sent_as(&app, "wamid.welkom").await;
    let before = conversation_state(&app).await;
    while events.try_recv().is_ok() {}

    // React to our reply, change it, deliver the first again (older: changes nothing).
    assert_eq!(
        post(&app, &react("wamid.r1", 10, "wamid.welkom", "👍")).await["updates"],
        1
    );
    let change = events.try_recv().expect("dashboards are told");
    assert!(
        matches!(
            change,
            Event::Conversation {
                conversation_id: 1,
                change: "reaction"
            }
        ),
        "{change:?}"
    );
    assert_eq!(
        post(&app, &react("wamid.r2", 20, "wamid.welkom", "❤️")).await["updates"],
        1
    );
    assert_eq!(emojis(&app).await, ["❤️"], "replaced, not added");
    assert_eq!(
        post(&app, &react("wamid.r2", 20, "wamid.welkom", "❤️")).await["duplicates"],
        1
    );
    assert_eq!(
        post(&app, &react("wamid.r1", 10, "wamid.welkom", "👍")).await["duplicates"],
        1
    );
    assert_eq!(
        emojis(&app).await,
        ["❤️"],
        "an older redelivery does not come back"
    );
    assert_eq!(
        post(&app, &react("wamid.r3", 30, "wamid.welkom", "")).await["updates"],
        1
    );
    assert!(emojis(&app).await.is_empty(), "un-reacted");
    assert_eq!(
        post(&app, &react("wamid.r2", 20, "wamid.welkom", "❤️")).await["duplicates"],
        1
    );
    assert!(emojis(&app).await.is_empty(), "the un-reaction holds");
    // The resident's own message can be reacted to as well.
    post(&app, &react("wamid.r4", 40, "wamid.vraag", "🙏")).await;
    assert_eq!(emojis(&app).await, ["🙏"]);

    // Edit twice; the second carries a BSN, masked like any resident text.
    post(
        &app,
        &edit(
            "wamid.e1",
            50,
            "wamid.vraag",
            "Wanneer wordt het grofvuil in de Dorpsstraat opgehaald?",
        ),
    )
    .await;
    let answer = post(
        &app,
        &edit(
            "wamid.e2",
            60,
            "wamid.vraag",
            "Grofvuil ophalen? Mijn BSN is 111222333",
        ),
    )
    .await;
    assert_eq!(answer["updates"], 1, "{answer}");
    assert_eq!(
        post(&app, &edit("wamid.e1", 50, "wamid.vraag", "dubbel")).await["duplicates"],
        1
    );
    let question = app
        .thread(1)
        .await
        .into_iter()
        .next()
        .expect("the question");
    assert!(
        question.text.starts_with("Grofvuil ophalen? Mijn BSN is "),
        "{}",
        question.text
    );
    assert!(
        !question.text.contains("111222333"),
        "masked: {}",
        question.text
    );
    assert_eq!(question.privacy, ["BSN"]);
    let revisions: Vec<String> = annotations(&app).await.revisions[&question.id]
        .iter()
        .map(|r| r.text.clone())
        .collect();
    assert_eq!(
        revisions,
        [
            "Wanneer wordt het grofvuil opgehaald?",
            "Wanneer wordt het grofvuil in de Dorpsstraat opgehaald?"
        ]
    );

    // Our replies cannot be edited or revoked by the resident; unknown ids are ignored.
    let ours = update(
        "wamid.x1",
        70,
        "revoke",
        json!({ "original_message_id": "wamid.welkom" }),
    );
    assert_eq!(post(&app, &ours).await["ignored"], 1);
    let unknown = update(
        "wamid.x2",
        70,
        "revoke",
        json!({ "original_message_id": "wamid.nooit" }),
    );
    assert_eq!(post(&app, &unknown).await["ignored"], 1);

    let revoke = update(
        "wamid.v1",
        80,
        "revoke",
        json!({ "original_message_id": "wamid.vraag" }),
    );
    assert_eq!(post(&app, &revoke).await["updates"], 1);
    assert_eq!(post(&app, &revoke).await["duplicates"], 1);
    assert_eq!(
        conversation_state(&app).await,
        before,
        "nothing added, nobody waits longer"
    );

    let agent = app.login("ayla", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&agent)).await).await;
    assert!(
        page.contains(r#"aria-label="Reactie van inwoner: 🙏""#),
        "{page}"
    );
    assert!(page.contains("bewerkt ("), "{page}");
    assert!(page.contains("Eerdere versies (2)"), "{page}");
    assert!(page.contains("ingetrokken door inwoner ("), "{page}");
    assert!(page.contains("Ingetrokken tekst tonen"), "{page}");

    let exported = export(&app).await;
    let messages = &exported[0]["messages"];
    let question = &messages[0];
    assert_eq!(question["revisions"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        question["revisions"][0]["text"],
        "Wanneer wordt het grofvuil opgehaald?"
    );
    assert_eq!(question["revisions"][1]["edit_id"], "wamid.e2");
    assert!(question["edited_at"].is_string() && question["revoked_at"].is_string());
    assert_eq!(question["reactions"][0]["emoji"], "🙏");
}

async fn export(app: &TestApp) -> Vec<Value> {
    app.state
        .chat
        .store
        .call(|c| {
            let mut all = Vec::new();
            each_conversation(c, |conversation: ExportedConversation| {
                all.push(serde_json::to_value(&conversation).expect("json"));
                Ok::<(), StoreError>(())
            })?;
            Ok(all)
        })
        .await
        .expect("export")
}
