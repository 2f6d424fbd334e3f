//! Loose ends of WhatsApp's 24-hour window: a forward after the window waits like an answer,
//! the banner while a re-engagement request is out, late messages owe a reply from Meta's
//! time, and tool replies name their key. (Delivery problems as one sentence are checked in
//! `whatsapp_window` and `web::pages::window`.)

use std::time::Duration;

use chrono::{TimeDelta, Utc};
use vraagbaak::channels::outbox::Backoff;
use vraagbaak::chat::Delivery;
use vraagbaak::store::conversations as conv;
use vraagbaak::store::export::ExportedMessage;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app_with, text};
use crate::common::graph::{
    SharedGraph, eventually, graph_stand_in, start_outbox, start_outbox_with,
};
use crate::whatsapp_window::{
    asked_days_ago, requests, resident_sends, seconds_ago, window_config,
};

/// WhatsApp with the template configured, its outbox running, and a question from `days`
/// ago that Meta delivers only now.
async fn asked_long_ago(days: i64, question: &str) -> (TestApp, SharedGraph) {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox(&app);
    asked_days_ago(&app, days, question).await;
    (app, graph)
}

#[tokio::test]
async fn a_forward_after_the_window_waits_for_the_resident_without_a_template() {
    let (app, graph) = asked_long_ago(3, "Mag ik een dakkapel bouwen?").await;
    let kcc = app.login("kcc", Role::Agent, None).await;
    let res = app
        .act(&kcc, 1, "forward", &[("department", "vergunningen")])
        .await;
    assert_eq!(res.status(), 303, "the forward itself succeeds");

    let notice = app.thread(1).await.pop().expect("the expectation text");
    assert!(notice.held_since.is_some(), "held: {notice:?}");
    assert_eq!(notice.delivery, Delivery::Queued);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        requests(&graph).is_empty(),
        "nothing goes out: no free-form text, and no template (it would say the question was \
         answered)"
    );
    let page = text(app.get("/conversations/1", Some(&kcc)).await).await;
    assert!(page.contains("wacht op heropening door inwoner"), "{page}");

    resident_sends(
        &app,
        "wamid.in.again",
        "Hallo?",
        seconds_ago(TimeDelta::zero()),
    )
    .await;
    eventually("the expectation text follows", async || {
        !requests(&graph).is_empty()
    })
    .await;
    let sent = requests(&graph);
    assert_eq!(sent[0]["type"], "text", "{sent:?}");
    assert_eq!(sent[0]["text"]["body"], notice.text.as_str());
}

#[tokio::test]
async fn a_forward_after_the_window_joins_a_pending_template() {
    let (app, graph) = asked_long_ago(3, "Mag ik een dakkapel bouwen?").await;
    let kcc = app.login("kcc", Role::Agent, None).await;
    app.act(&kcc, 1, "reply", &[("text", "Dat zoeken wij uit.")])
        .await;
    app.act(&kcc, 1, "forward", &[("department", "vergunningen")])
        .await;
    eventually("the template is sent", async || {
        !requests(&graph).is_empty()
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(requests(&graph).len(), 1, "one template only");
    let held = app
        .thread(1)
        .await
        .into_iter()
        .filter(|m| m.held_since.is_some())
        .count();
    assert_eq!(held, 2, "the answer and the expectation text wait");
}

#[tokio::test]
async fn the_banner_says_when_the_re_engagement_request_went_out() {
    let (app, graph) = asked_long_ago(3, "Is mijn paspoort klaar?").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let before = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        before.contains("Verstuur stuurt de inwoner eerst"),
        "{before}"
    );

    app.act(&anna, 1, "reply", &[("text", "Ja, u kunt het ophalen.")])
        .await;
    eventually("the template is sent", async || {
        !requests(&graph).is_empty()
    })
    .await;
    let after = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        !after.contains("Verstuur stuurt de inwoner eerst"),
        "no second template will go out: {after}"
    );
    assert!(
        after.contains("Het verzoek aan de inwoner om te reageren (WhatsApp-sjabloon"),
        "{after}"
    );
    assert!(
        after.contains("verdere antwoorden wachten daarmee"),
        "{after}"
    );
}

#[tokio::test]
async fn a_late_message_owes_its_reply_from_meta_s_time() {
    let app = app_with(window_config("http://127.0.0.1:9")).await;
    let sent = asked_days_ago(&app, 3, "Wanneer wordt het grofvuil opgehaald?").await;
    let c = app.conversation(1).await;
    assert_eq!(
        c.owed_since,
        Some(sent),
        "the resident waits since they sent it"
    );
    assert_eq!(c.waiting_since, Some(sent), "the page's waiting time too");
    let hours = i64::from(app.state.chat.config.response_hours);
    assert_eq!(
        c.promised_by,
        Some(sent + TimeDelta::hours(hours)),
        "the response time counts from Meta's time too"
    );
    assert!(
        c.promised_by.is_some_and(|by| by < Utc::now()),
        "already overdue"
    );
}

#[tokio::test]
async fn a_tool_reply_names_its_key_on_the_page_and_in_the_export() {
    let app = app_with(window_config("http://127.0.0.1:9")).await;
    resident_sends(&app, "wamid.in.1", "Hallo", seconds_ago(TimeDelta::zero())).await;
    let key = crate::reply_api::all_conversations_key(&app).await;
    let res = app
        .post_json(
            "/api/v1/conversations/1/replies",
            Some(&key),
            r#"{"text": "Antwoord uit het zaaksysteem."}"#,
        )
        .await;
    assert_eq!(res.status(), 201, "{}", text(res).await);
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("Koppeling tool ·"), "{page}");

    let messages = app
        .state
        .chat
        .store
        .call(|c| conv::messages(c, 1, 0, true))
        .await
        .expect("messages");
    let reply = messages
        .into_iter()
        .find(|m| m.text == "Antwoord uit het zaaksysteem.")
        .expect("stored");
    let exported = ExportedMessage::from(reply);
    assert_eq!(exported.author_name.as_deref(), Some("Koppeling tool"));
}

#[tokio::test]
async fn an_answer_the_outbox_gives_up_reads_as_one_dutch_sentence() {
    let (graph_url, graph) = graph_stand_in(usize::MAX).await;
    let app = app_with(window_config(&graph_url)).await;
    start_outbox_with(
        &app,
        Backoff {
            base: Duration::from_millis(10),
            max: Duration::from_millis(20),
            give_up_after: Duration::from_millis(100),
        },
    );
    resident_sends(&app, "wamid.in.1", "Hallo", seconds_ago(TimeDelta::zero())).await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "reply", &[("text", "Goedemorgen!")])
        .await;
    eventually("the outbox gives up", async || {
        app.thread(1)
            .await
            .iter()
            .any(|m| m.text == "Goedemorgen!" && m.delivery == Delivery::Failed)
    })
    .await;
    assert!(graph.lock().expect("graph").calls > 1, "it was retried");
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains(
            "Niet afgeleverd: het versturen bleef mislukken, ook na herhaalde pogingen \
             (laatste fout: "
        ),
        "{page}"
    );
}
