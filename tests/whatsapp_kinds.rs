//! Issue 10 (items 1, 2, 5, 7, 9) through the real router: a malformed message no longer fails
//! the delivery, rejected deliveries are logged without their text, changes for another
//! number are ignored, and what agents see of replies, forwards, tapped buttons, echoes,
//! system messages and marketing opt-outs.

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tracing_subscriber::fmt::MakeWriter;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app_with, json, text};
use crate::common::graph::{PHONE_ID, RESIDENT, SECRET, deliver, whatsapp_config};
use crate::whatsapp_fixtures::scalar;

/// A messages-kind change for `phone_number_id` around `value`.
pub(crate) fn body_for(phone_number_id: &str, field: &str, value: Value) -> Value {
    let mut full = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "31850001234", "phone_number_id": phone_number_id },
        "contacts": [{ "profile": { "name": "Fatima" }, "wa_id": RESIDENT }],
    });
    if let (Some(full), Some(extra)) = (full.as_object_mut(), value.as_object()) {
        full.extend(extra.clone());
    }
    json!({ "object": "whatsapp_business_account",
            "entry": [{ "id": "1", "changes": [{ "field": field, "value": full }] }] })
}

fn messages_body(messages: Value) -> Value {
    body_for(PHONE_ID, "messages", json!({ "messages": messages }))
}

/// A Meta timestamp `seconds` after a moment a few minutes ago: inside WhatsApp's 24-hour
/// window, so new conversations get their welcome.
fn recent(seconds: i64) -> String {
    (chrono::Utc::now().timestamp() - 600 + seconds).to_string()
}

fn text_message(wamid: &str, body: &str) -> Value {
    json!({ "from": RESIDENT, "id": wamid, "timestamp": recent(0), "type": "text", "text": { "body": body } })
}

async fn post(app: &TestApp, body: &Value) -> Value {
    let res = deliver(app, body.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200, "{body}");
    json(res).await
}

async fn app() -> TestApp {
    app_with(whatsapp_config("http://127.0.0.1:9")).await
}

#[tokio::test]
async fn a_message_without_id_is_skipped_and_the_rest_of_the_body_is_stored() {
    let app = app().await;
    let broken = json!({ "from": RESIDENT, "timestamp": recent(0), "type": "text", "text": { "body": "kwijt" } });
    let answer = post(
        &app,
        &messages_body(json!([
            broken,
            text_message("wamid.ok", "Wanneer komt de vuilniswagen?")
        ])),
    )
    .await;
    assert_eq!(answer["stored"], 1, "{answer}");
    assert_eq!(answer["ignored"], 1, "{answer}");
    let thread = app.thread(1).await;
    assert_eq!(thread[0].text, "Wanneer komt de vuilniswagen?");
}

#[tokio::test]
async fn a_change_for_another_number_is_acknowledged_and_stores_nothing() {
    let app = app().await;
    let foreign = body_for(
        "555000555",
        "messages",
        json!({
            "messages": [text_message("wamid.f1", "Voor een ander nummer")],
            "statuses": [{ "id": "wamid.s1", "status": "read", "timestamp": recent(0), "recipient_id": RESIDENT }],
        }),
    );
    let mut mixed = foreign.clone();
    let ours = messages_body(json!([text_message("wamid.o1", "Voor ons")]));
    mixed["entry"][0]["changes"]
        .as_array_mut()
        .expect("changes")
        .push(ours["entry"][0]["changes"][0].clone());
    let answer = post(&app, &mixed).await;
    assert_eq!(answer["foreign"], 2, "{answer}");
    assert_eq!(answer["stored"], 1, "{answer}");
    let counts = (
        scalar::<i64>(&app, "SELECT count(*) FROM messages WHERE direction = 'in'").await,
        scalar::<i64>(&app, "SELECT count(*) FROM early_statuses").await,
    );
    assert_eq!(counts, (1, 0), "only our number's message is stored");
    assert_eq!(app.thread(1).await[0].text, "Voor ons");
}

/// Log lines written while a test runs on this thread.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

#[tokio::test]
async fn rejected_and_skipped_deliveries_are_logged_without_the_residents_text() {
    let app = app().await;
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let secret = "Mijn BSN is 123456782";
    // serde's own message would quote the string.
    let wrong_shape = body_for(PHONE_ID, "messages", json!({ "messages": secret }));
    let res = deliver(&app, wrong_shape.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 400);
    assert!(
        !text(res).await.contains(secret),
        "the answer quotes no text either"
    );
    let not_json =
        format!(r#"{{"object":"whatsapp_business_account","entry":[],"note":"{secret}" oops}}"#);
    assert_eq!(
        deliver(&app, not_json.as_bytes(), Some(SECRET))
            .await
            .status(),
        400
    );
    assert_eq!(deliver(&app, not_json.as_bytes(), None).await.status(), 401);
    let no_id = json!({ "from": RESIDENT, "timestamp": recent(0), "type": "text", "text": { "body": secret } });
    let wrong_text = json!({ "from": RESIDENT, "id": "wamid.t", "timestamp": recent(0), "type": "text", "text": secret });
    let answer = post(&app, &messages_body(json!([no_id, wrong_text]))).await;
    assert_eq!(
        (answer["ignored"].clone(), answer["stored"].clone()),
        (json!(1), json!(1))
    );
    let stored = &app.thread(1).await[0];
    assert_eq!(stored.text, "[Bericht dat niet getoond kan worden (text)]");

    let log = logs.text();
    let lines = |needle: &str| log.lines().filter(|l| l.contains(needle)).count();
    assert_eq!(lines("webhook rejected (400)"), 2, "{log}");
    assert!(
        log.contains("unusable field(s): entry[0].changes[0].value"),
        "the shape problem by path: {log}"
    );
    assert!(log.contains("Syntax error at line 1, column"), "{log}");
    assert_eq!(lines("webhook refused (401)"), 1, "{log}");
    assert!(log.contains("messages[0].id: missing"), "{log}");
    assert!(
        log.contains("messages[1].text: not the expected type"),
        "{log}"
    );
    assert!(
        !log.contains("123456782") && !log.contains("BSN"),
        "no resident text in: {log}"
    );
}

#[tokio::test]
async fn flow_answers_are_screened_for_personal_data_like_any_text() {
    let app = app().await;
    let answers = json!({ "bsn": "123456782", "melding": "Lantaarnpaal kapot" }).to_string();
    let flow = json!({ "from": RESIDENT, "id": "wamid.flow", "timestamp": recent(0), "type": "interactive",
        "interactive": { "type": "nfm_reply", "nfm_reply": { "name": "melding", "body": "Sent", "response_json": answers } } });
    post(&app, &messages_body(json!([flow]))).await;
    let message = &app.thread(1).await[0];
    assert!(
        message.text.contains("melding: Lantaarnpaal kapot"),
        "{}",
        message.text
    );
    assert!(!message.text.contains("123456782"), "{}", message.text);
    assert_eq!(message.privacy, ["BSN"]);
}

#[tokio::test]
async fn agents_see_quotes_forwards_choices_echoes_system_notes_and_an_opt_out() {
    let app = app().await;
    post(
        &app,
        &messages_body(json!([text_message(
            "wamid.q",
            "Wanneer wordt het grofvuil opgehaald? Ik heb een oude bank, twee matrassen, een kast \
             en wat tuinafval staan en wil weten of dat allemaal in één keer mee kan, SLOTZIN."
        )])),
    )
    .await;
    let reply = json!({ "from": RESIDENT, "id": "wamid.r", "timestamp": recent(100), "type": "text",
        "text": { "body": "Dit bedoel ik" }, "context": { "from": "31850001234", "id": "wamid.q", "forwarded": true } });
    let choice = json!({ "from": RESIDENT, "id": "wamid.c", "timestamp": recent(200), "type": "interactive",
        "interactive": { "type": "list_reply", "list_reply": { "id": "l2", "title": "Parkeren", "description": "Vergunningen en ontheffingen" } } });
    let identity = json!({ "from": RESIDENT, "id": "wamid.sys", "timestamp": recent(300), "type": "system",
        "system": { "body": "User identity changed", "type": "customer_identity_changed" } });
    post(&app, &messages_body(json!([reply, choice, identity]))).await;
    let echo = body_for(
        PHONE_ID,
        "smb_message_echoes",
        json!({ "message_echoes": [
        { "from": "31850001234", "to": RESIDENT, "id": "wamid.echo", "timestamp": recent(400), "type": "text", "text": { "body": "Gebeld met de inwoner" } }] }),
    );
    let twice = [post(&app, &echo).await, post(&app, &echo).await];
    assert_eq!(
        (twice[0]["stored"].clone(), twice[1]["duplicates"].clone()),
        (json!(1), json!(1))
    );
    let stop = body_for(
        PHONE_ID,
        "user_preferences",
        json!({ "user_preferences": [
        { "wa_id": RESIDENT, "detail": "User requested to stop marketing messages", "category": "marketing_messages", "value": "stop", "timestamp": 1700000500 }] }),
    );
    post(&app, &stop).await;

    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    for shown in [
        "Antwoord op: Wanneer wordt het grofvuil opgehaald? Ik heb een oude bank",
        "<span class=\"mark\">doorgestuurd</span>",
        "keuze-id l2",
        "Vergunningen en ontheffingen",
        "Gebeld met de inwoner",
        "verstuurd buiten vraagbaak",
        "Melding van WhatsApp",
        "De beveiligingscode van de inwoner is gewijzigd",
        "Inwoner wil geen marketingberichten",
    ] {
        assert!(page.contains(shown), "the page should show {shown:?}");
    }
    let quote = page
        .split("<blockquote class=\"quote\">")
        .nth(1)
        .and_then(|rest| rest.split("</blockquote>").next())
        .expect("a quote");
    assert!(
        quote.ends_with('…') && !quote.contains("SLOTZIN"),
        "shortened: {quote}"
    );
    let thread = app.thread(1).await;
    let welcomes = thread
        .iter()
        .filter(|m| {
            m.author == vraagbaak::chat::AuthorKind::System
                && m.direction == vraagbaak::chat::Direction::Out
        })
        .count();
    assert_eq!(
        welcomes, 1,
        "the system message and the echo start no welcome"
    );
}
