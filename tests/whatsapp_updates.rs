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

fn revoke(wamid: &str, seconds: i64, target: &str) -> Value {
    update(
        wamid,
        seconds,
        "revoke",
        json!({ "original_message_id": target }),
    )
}

/// The first update's answer to each body, delivered in order.
async fn post_all(app: &TestApp, bodies: &[Value]) -> Vec<Value> {
    let mut answers = Vec::new();
    for body in bodies {
        answers.push(post(app, body).await);
    }
    answers
}

/// An app where our resident asked `wamid.vraag` and our reply went out as `wamid.welkom`,
/// with the conversation's state at that point.
async fn question_and_reply() -> (TestApp, String) {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let question = "Wanneer wordt het grofvuil opgehaald?";
    resident_wrote(&app, PHONE_ID, RESIDENT, "wamid.vraag", question).await;
    reply_sent_as(&app, "wamid.welkom").await;
    let before = conversation_state(&app).await;
    (app, before)
}

const NEAT: &str = "Wanneer wordt het grofvuil in de Dorpsstraat opgehaald?";
const WITH_BSN: &str = "Grofvuil ophalen? Mijn BSN is 111222333";

#[tokio::test]
async fn react_re_react_and_un_react_with_redeliveries() {
    let (app, before) = question_and_reply().await;
    let mut events = app.state.chat.hub.subscribe();

    let first = post(&app, &react("wamid.r1", 10, "wamid.welkom", "👍")).await;
    assert_eq!(first["updates"], 1, "{first}");
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
    post(&app, &react("wamid.r2", 20, "wamid.welkom", "❤️")).await;
    assert_eq!(emojis(&app).await, ["❤️"], "replaced, not added");
    // Redeliveries: the same reaction, and the older one (which must not come back).
    let again = post_all(
        &app,
        &[
            react("wamid.r2", 20, "wamid.welkom", "❤️"),
            react("wamid.r1", 10, "wamid.welkom", "👍"),
        ],
    )
    .await;
    assert!(again.iter().all(|a| a["duplicates"] == 1), "{again:?}");
    assert_eq!(emojis(&app).await, ["❤️"]);

    assert_eq!(
        post(&app, &react("wamid.r3", 30, "wamid.welkom", "")).await["updates"],
        1
    );
    assert!(emojis(&app).await.is_empty(), "un-reacted");
    post(&app, &react("wamid.r2", 20, "wamid.welkom", "❤️")).await;
    assert!(
        emojis(&app).await.is_empty(),
        "the un-reaction holds against a late redelivery"
    );

    // The resident's own message can be reacted to as well.
    post(&app, &react("wamid.r4", 40, "wamid.vraag", "🙏")).await;
    assert_eq!(emojis(&app).await, ["🙏"]);
    assert_eq!(
        conversation_state(&app).await,
        before,
        "nothing added, nobody waits longer"
    );
}

#[tokio::test]
async fn two_edits_keep_two_revisions_and_the_new_text_is_screened() {
    let (app, before) = question_and_reply().await;
    let answers = post_all(
        &app,
        &[
            edit("wamid.e1", 50, "wamid.vraag", NEAT),
            edit("wamid.e2", 60, "wamid.vraag", WITH_BSN),
        ],
    )
    .await;
    assert!(answers.iter().all(|a| a["updates"] == 1), "{answers:?}");
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
    assert_eq!(revisions, ["Wanneer wordt het grofvuil opgehaald?", NEAT]);
    assert_eq!(
        conversation_state(&app).await,
        before,
        "no new message, no bot"
    );

    let agent = app.login("ayla", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&agent)).await).await;
    assert!(page.contains("bewerkt ("), "{page}");
    assert!(page.contains("Eerdere versies (2)"), "{page}");
    assert!(
        page.contains(&format!(r#"data-latest="{}-"#, question.id)),
        "an edit refreshes the suggestions: {page}"
    );
}

#[tokio::test]
async fn only_the_residents_own_known_messages_can_be_edited_or_revoked() {
    let (app, before) = question_and_reply().await;
    let refused = post_all(
        &app,
        &[
            revoke("wamid.x1", 70, "wamid.welkom"),
            edit("wamid.x2", 70, "wamid.welkom", "Niet uw bericht"),
            revoke("wamid.x3", 70, "wamid.nooit"),
            react("wamid.x4", 70, "wamid.nooit", "👍"),
        ],
    )
    .await;
    assert!(refused.iter().all(|a| a["ignored"] == 1), "{refused:?}");
    assert!(
        app.thread(1)
            .await
            .iter()
            .all(|m| m.revoked_at.is_none() && m.edited_at.is_none())
    );
    assert_eq!(conversation_state(&app).await, before);
}

#[tokio::test]
async fn agents_and_the_export_see_reactions_edits_and_revokes() {
    let (app, before) = question_and_reply().await;
    post_all(
        &app,
        &[
            react("wamid.r1", 10, "wamid.welkom", "🙏"),
            edit("wamid.e1", 50, "wamid.vraag", NEAT),
            edit("wamid.e2", 60, "wamid.vraag", WITH_BSN),
        ],
    )
    .await;
    let answers = post_all(
        &app,
        &[
            revoke("wamid.v1", 80, "wamid.vraag"),
            revoke("wamid.v1", 80, "wamid.vraag"),
        ],
    )
    .await;
    assert_eq!(
        (
            answers[0]["updates"].clone(),
            answers[1]["duplicates"].clone()
        ),
        (json!(1), json!(1))
    );
    assert_eq!(conversation_state(&app).await, before);

    let agent = app.login("ayla", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&agent)).await).await;
    assert!(
        page.contains(r#"aria-label="Reactie van inwoner: 🙏""#),
        "{page}"
    );
    assert!(page.contains("ingetrokken door inwoner ("), "{page}");
    assert!(page.contains("Ingetrokken tekst tonen"), "{page}");
    let inbox = text(app.get("/inbox", Some(&agent)).await).await;
    assert!(
        inbox.contains("[bericht ingetrokken door inwoner]"),
        "{inbox}"
    );
    assert!(!inbox.contains("Grofvuil ophalen?"), "{inbox}");

    let exported = export(&app).await;
    let messages = &exported[0]["messages"];
    let question = &messages[0];
    assert_eq!(
        question["revisions"][0]["text"],
        "Wanneer wordt het grofvuil opgehaald?"
    );
    assert_eq!(question["revisions"][1]["text"], NEAT);
    assert_eq!(question["revisions"][1]["edit_id"], "wamid.e2");
    assert!(question["edited_at"].is_string() && question["revoked_at"].is_string());
    assert_eq!(messages[1]["reactions"][0]["emoji"], "🙏", "on our reply");
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
