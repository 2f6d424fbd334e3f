//! WhatsApp's 24-hour window as Meta really runs it: measured from Meta's timestamp, answers
//! after it held while a re-engagement template asks the resident to write again, released
//! the moment they do, given up after 7 days. The reply API has its own module (`reply_api`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::hours::describe_date;
use vraagbaak::chat::{AuthorKind, Clock, Delivery, Direction};
use vraagbaak::config::{BotMode, Config};
use vraagbaak::store::held::NOT_DELIVERED;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app_at, app_with, json, text};
use crate::common::graph::{
    PHONE_ID, RESIDENT, SECRET, SharedGraph, deliver, eventually, graph_stand_in, start_outbox,
    whatsapp_config,
};
use crate::reply_api::all_conversations_key;

const TEMPLATE: &str = "vraag_beantwoord";
const GROFVUIL: &str = "Wanneer wordt het grofvuil opgehaald?";

/// WhatsApp with the bot answering at any hour and the re-engagement template configured.
pub(crate) fn window_config(graph_url: &str) -> Config {
    let mut config = whatsapp_config(graph_url);
    config.bot.mode = BotMode::Always;
    config.whatsapp.reopen_template = Some(TEMPLATE.into());
    config
}

/// Meta's timestamps are whole seconds.
pub(crate) fn seconds_ago(delta: TimeDelta) -> DateTime<Utc> {
    (Utc::now() - delta)
        .duration_trunc(TimeDelta::seconds(1))
        .expect("whole seconds")
}

/// A delivery of `text` from `from` that the resident sent at `sent`.
fn message_sent_at(from: &str, wamid: &str, text: &str, sent: DateTime<Utc>) -> Vec<u8> {
    let mut body = simulate::text_message(PHONE_ID, from, "Fatima", wamid, text);
    body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] =
        json!(sent.timestamp().to_string());
    body.to_string().into_bytes()
}

pub(crate) async fn resident_sends(app: &TestApp, wamid: &str, text: &str, sent: DateTime<Utc>) {
    let body = message_sent_at(RESIDENT, wamid, text, sent);
    let res = deliver(app, &body, Some(SECRET)).await;
    assert_eq!(res.status(), 200, "{}", crate::common::app::text(res).await);
}

/// The resident asked `text` `days` ago; Meta delivers it only now. Returns Meta's time.
pub(crate) async fn asked_days_ago(app: &TestApp, days: i64, text: &str) -> DateTime<Utc> {
    let sent = seconds_ago(TimeDelta::days(days));
    resident_sends(app, "wamid.in.old", text, sent).await;
    sent
}

pub(crate) fn requests(graph: &SharedGraph) -> Vec<Value> {
    graph.lock().expect("graph").requests.clone()
}

fn delivered_texts(graph: &SharedGraph) -> Vec<String> {
    let graph = graph.lock().expect("graph");
    graph.delivered.iter().map(|(_, t)| t.clone()).collect()
}

#[tokio::test]
async fn a_question_from_three_days_ago_keeps_meta_s_time_and_gets_no_automatic_texts() {
    let app = app_with(window_config("http://127.0.0.1:9")).await;
    let sent = asked_days_ago(&app, 3, GROFVUIL).await;

    let thread = app.thread(1).await;
    assert_eq!(
        thread.len(),
        1,
        "no welcome, away text or bot answer: {thread:?}"
    );
    let question = &thread[0];
    assert_eq!(question.sent_at, Some(sent), "Meta's time is stored");
    assert!(
        Utc::now() - question.created_at < TimeDelta::minutes(1),
        "created_at is when it arrived"
    );
    let c = app.conversation(1).await;
    assert_eq!(
        c.last_inbound_at,
        Some(sent),
        "the window runs from Meta's time"
    );
    assert!(c.owed_since.is_some(), "a reply is owed");
    assert!(!app.state.chat.window_open(&c));

    // The same question sent just now gets the welcome and the bot's response.
    let fresh = message_sent_at("31699999999", "wamid.in.fresh", GROFVUIL, Utc::now());
    assert_eq!(deliver(&app, &fresh, Some(SECRET)).await.status(), 200);
    assert!(
        app.thread(2).await.len() > 1,
        "a fresh question is answered"
    );

    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("verzonden "),
        "the resident's time is shown: {page}"
    );
    assert!(page.contains(", ontvangen "), "beside the arrival time");
}

#[tokio::test]
async fn an_answer_after_the_window_sends_one_template_and_follows_the_resident_s_next_message() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox(&app);
    let sent = asked_days_ago(&app, 3, GROFVUIL).await;

    let anna = app.login("anna", Role::Agent, None).await;
    let first = app
        .act(&anna, 1, "reply", &[("text", "Het grofvuil komt dinsdag.")])
        .await;
    assert_eq!(first.status(), 303, "Verstuur is accepted, not refused");
    let second = app
        .act(
            &anna,
            1,
            "reply",
            &[("text", "U kunt het ook zelf brengen.")],
        )
        .await;
    assert_eq!(second.status(), 303);

    eventually("the template is sent", async || {
        !requests(&graph).is_empty()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent_so_far = requests(&graph);
    assert_eq!(
        sent_so_far.len(),
        1,
        "one template, no answers: {sent_so_far:?}"
    );
    let template = &sent_so_far[0];
    assert_eq!(template["type"], "template");
    assert_eq!(template["to"], RESIDENT);
    assert_eq!(template["template"]["name"], TEMPLATE);
    assert_eq!(template["template"]["language"]["code"], "nl");
    assert_eq!(
        template["template"]["components"][0]["parameters"][0]["text"],
        describe_date(sent),
        "the date of the question, in Dutch"
    );
    let held: Vec<_> = app
        .thread(1)
        .await
        .into_iter()
        .filter(|m| m.held_since.is_some())
        .collect();
    assert_eq!(held.len(), 2, "both answers wait");
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("wacht op heropening door inwoner"), "{page}");

    // The resident writes again: the held answers go first, in order, then the bot.
    let now = seconds_ago(TimeDelta::zero());
    resident_sends(&app, "wamid.in.new", GROFVUIL, now).await;
    eventually(
        "the held answers and the bot's response go out",
        async || delivered_texts(&graph).len() >= 3,
    )
    .await;
    // A redelivery of the same message releases nothing again.
    resident_sends(&app, "wamid.in.new", GROFVUIL, now).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let texts = delivered_texts(&graph);
    assert_eq!(texts[0], "Het grofvuil komt dinsdag.");
    assert_eq!(texts[1], "U kunt het ook zelf brengen.");
    for answer in &texts[..2] {
        assert_eq!(
            texts.iter().filter(|t| *t == answer).count(),
            1,
            "sent exactly once: {texts:?}"
        );
    }
    let thread = app.thread(1).await;
    assert!(thread.iter().all(|m| m.held_since.is_none()));
    let automatic_after = thread
        .iter()
        .filter(|m| m.direction == Direction::Out && m.author == AuthorKind::Bot)
        .count();
    assert!(automatic_after >= 1, "the bot answered the new message");
}

#[tokio::test]
async fn an_answer_held_for_days_is_retried_like_a_fresh_one_once_released() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox(&app);
    asked_days_ago(&app, 4, GROFVUIL).await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "reply", &[("text", "Het grofvuil komt dinsdag.")])
        .await;
    eventually("the template is sent", async || {
        !requests(&graph).is_empty()
    })
    .await;
    // The answer was written two days ago, and Meta is briefly down when it is released.
    app.state
        .chat
        .store
        .call(|c| {
            let written = Utc::now() - TimeDelta::days(2);
            c.execute(
                "UPDATE messages SET created_at = ?1 WHERE held_since IS NOT NULL",
                [written],
            )?;
            Ok(())
        })
        .await
        .expect("store");
    {
        let mut graph = graph.lock().expect("graph");
        graph.fail_first = graph.calls + 1;
    }
    resident_sends(
        &app,
        "wamid.in.new",
        "Hallo?",
        seconds_ago(TimeDelta::zero()),
    )
    .await;
    eventually("the answer goes out after one retry", async || {
        delivered_texts(&graph).contains(&"Het grofvuil komt dinsdag.".to_string())
    })
    .await;
}

#[tokio::test]
async fn a_template_meta_refuses_shows_its_reason_on_the_held_answer() {
    let (graph_url, graph) = graph_stand_in(0).await;
    graph.lock().expect("graph").refuse_templates = true;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox(&app);
    asked_days_ago(&app, 2, "Mijn container is kapot").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "reply", &[("text", "We brengen een nieuwe.")])
        .await;
    let answer = async || {
        app.thread(1)
            .await
            .into_iter()
            .find(|m| m.text == "We brengen een nieuwe.")
            .expect("the answer is stored")
    };
    eventually("the refusal reaches the held answer", async || {
        answer().await.delivery_error.is_some()
    })
    .await;
    let held = answer().await;
    let reason = held.delivery_error.as_deref().unwrap_or_default();
    assert!(reason.contains("132001"), "{reason}");
    assert!(
        held.held_since.is_some(),
        "it still goes out if the resident writes"
    );
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("Nog niet afgeleverd: het heropeningssjabloon is door WhatsApp geweigerd"),
        "one sentence, and the answer still waits: {page}"
    );
    assert!(page.contains("Het bericht gaat uit zodra de inwoner een bericht stuurt."));
}

#[tokio::test]
async fn held_answers_are_given_up_after_seven_days_without_a_reaction() {
    let start = Utc::now();
    let now = Arc::new(Mutex::new(start));
    let clock: Clock = {
        let now = now.clone();
        Arc::new(move || *now.lock().expect("clock"))
    };
    let app = app_at(window_config("http://127.0.0.1:9"), clock).await;
    asked_days_ago(&app, 3, "Is mijn vergunning al klaar?").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "reply", &[("text", "Ja, u kunt hem ophalen.")])
        .await;

    *now.lock().expect("clock") = start + TimeDelta::days(6) + TimeDelta::hours(23);
    assert_eq!(
        app.state.chat.expire_held_answers().await.expect("sweep"),
        0
    );
    *now.lock().expect("clock") = start + TimeDelta::days(7) + TimeDelta::minutes(1);
    assert_eq!(
        app.state.chat.expire_held_answers().await.expect("sweep"),
        1
    );

    let answer = app
        .thread(1)
        .await
        .into_iter()
        .find(|m| m.text == "Ja, u kunt hem ophalen.")
        .expect("stored");
    assert_eq!(answer.delivery, Delivery::Failed);
    assert_eq!(answer.delivery_error.as_deref(), Some(NOT_DELIVERED));
    assert!(answer.held_since.is_none());
    let c = app.conversation(1).await;
    assert!(c.owed_since.is_some(), "the reply is owed again");
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("Niet afgeleverd: de inwoner heeft niet binnen 7 dagen gereageerd."),
        "one sentence, not two: {page}"
    );
    assert!(!page.contains("wacht op heropening door inwoner"));
}

#[tokio::test]
async fn without_a_template_verstuur_is_refused_and_the_page_says_what_to_configure() {
    let mut config = window_config("http://127.0.0.1:9");
    config.whatsapp.reopen_template = None;
    let app = app_with(config).await;
    asked_days_ago(&app, 3, "Mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("reopen_template"),
        "names the setting: {page}"
    );
    assert!(
        page.contains("Meta heeft goedgekeurd"),
        "says Meta approves it"
    );
    assert!(page.contains(r#"id="send" disabled"#), "Verstuur is off");

    let before = app.thread(1).await.len();
    let refused = app
        .act(&anna, 1, "reply", &[("text", "Maak een afspraak.")])
        .await;
    assert_eq!(refused.status(), 409);
    assert!(text(refused).await.contains("reopen_template"));
    assert_eq!(app.thread(1).await.len(), before, "nothing stored");

    let key = all_conversations_key(&app).await;
    let api = app
        .post_json(
            "/api/v1/conversations/1/replies",
            Some(&key),
            r#"{"text": "Maak een afspraak."}"#,
        )
        .await;
    assert_eq!(api.status(), 409);
    let error = json(api).await;
    assert!(
        error["error"]
            .as_str()
            .unwrap_or_default()
            .contains("reopen_template"),
        "{error}"
    );
}

#[tokio::test]
async fn an_old_redelivery_does_not_move_the_window_back() {
    let app = app_with(window_config("http://127.0.0.1:9")).await;
    let newest = seconds_ago(TimeDelta::minutes(5));
    resident_sends(&app, "wamid.in.new", "Hallo, ik heb een vraag", newest).await;
    let replies_before = app.thread(1).await.len();
    let old = seconds_ago(TimeDelta::days(2));
    resident_sends(&app, "wamid.in.retried", GROFVUIL, old).await;

    let c = app.conversation(1).await;
    assert_eq!(
        c.last_inbound_at,
        Some(newest),
        "the newest of Meta's times"
    );
    assert!(app.state.chat.window_open(&c));
    let thread = app.thread(1).await;
    assert_eq!(
        thread.len(),
        replies_before + 1,
        "no automatic text for the late one"
    );
    assert_eq!(thread.last().and_then(|m| m.sent_at), Some(old));

    // A phone whose clock runs a day ahead does not stretch the window.
    let ahead = seconds_ago(-TimeDelta::days(1));
    resident_sends(&app, "wamid.in.ahead", "Nog een vraag", ahead).await;
    let c = app.conversation(1).await;
    assert!(
        c.last_inbound_at.is_some_and(|at| at <= Utc::now()),
        "{c:?}"
    );
}

#[tokio::test]
async fn a_resident_who_stopped_template_messages_gets_no_template_and_the_agent_is_told() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox(&app);
    asked_days_ago(&app, 3, GROFVUIL).await;
    // The resident stops marketing messages in WhatsApp (Meta's `user_preferences` change).
    let stop = json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "1", "changes": [{ "field": "user_preferences", "value": {
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "31850000000", "phone_number_id": PHONE_ID },
            "user_preferences": [{ "wa_id": RESIDENT, "detail": "User requested to stop marketing messages",
                "category": "marketing_messages", "value": "stop",
                "timestamp": seconds_ago(TimeDelta::days(2)).timestamp() }],
        }}]}],
    });
    let res = deliver(&app, stop.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200);

    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("Inwoner wil geen marketingberichten"),
        "{page}"
    );
    let before = app.thread(1).await.len();
    let refused = app
        .act(
            &anna,
            1,
            "reply",
            &[("text", "Maandag halen wij het grofvuil op.")],
        )
        .await;
    assert_eq!(refused.status(), 409);
    assert!(text(refused).await.contains("afgemeld"));
    assert_eq!(app.thread(1).await.len(), before, "nothing stored or held");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(requests(&graph).is_empty(), "no template went out");
}
