//! Updates built in the test, in sequences Meta can deliver: replaced, taken back, edited
//! twice, revoked, redelivered late; and what the conversation page, the inbox and the export
//! show afterwards.

use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::Event;
use vraagbaak::store::StoreError;
use vraagbaak::store::export::{ExportedConversation, each_conversation};
use vraagbaak::store::users::Role;

use super::{annotations, conversation_state, emojis, post, reply_sent_as, resident_wrote};
use crate::common::app::{TestApp, app_with, text};
use crate::common::graph::{PHONE_ID, RESIDENT, whatsapp_config};

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
