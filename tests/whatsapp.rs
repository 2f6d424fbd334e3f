//! The WhatsApp channel in-process: webhook verification and signatures, deduplication,
//! statuses, the 24-hour window, and the outbox against a stand-in of the Graph API.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use serde_json::json;
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::Delivery;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app, app_with, json, text};
pub use crate::common::graph::{
    PHONE_ID, RESIDENT, SECRET, deliver, eventually, graph_stand_in, start_outbox, whatsapp_config,
};

fn resident_message(wamid: &str, text: &str) -> Vec<u8> {
    simulate::text_message(PHONE_ID, RESIDENT, "Fatima", wamid, text)
        .to_string()
        .into_bytes()
}

async fn stored_messages(app: &TestApp) -> i64 {
    app.state
        .chat
        .store
        .call(|c| Ok(c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?))
        .await
        .expect("count")
}

#[tokio::test]
async fn meta_verifies_the_webhook_with_the_verify_token() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let ok = app
        .get(
            "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444",
            None,
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(text(ok).await, "1158201444");
    for query in [
        "hub.mode=subscribe&hub.verify_token=geraden&hub.challenge=1",
        "hub.mode=unsubscribe&hub.verify_token=verify-me&hub.challenge=1",
        "hub.challenge=1",
    ] {
        let refused = app.get(&format!("/webhooks/whatsapp?{query}"), None).await;
        assert_eq!(refused.status(), 403, "{query}");
    }
}

#[tokio::test]
async fn without_credentials_the_channel_is_off() {
    let app = app().await;
    let res = deliver(&app, &resident_message("wamid.1", "hallo"), Some(SECRET)).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        json(res).await["error"],
        "the WhatsApp channel is not configured"
    );
}

#[tokio::test]
async fn a_signed_message_is_stored_and_bad_deliveries_store_nothing() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let body = resident_message("wamid.HBgL1", "wanneer wordt het grofvuil opgehaald?");

    let mut tampered = body.clone();
    let at = tampered.len() - 10;
    tampered[at] = b'X';
    let refusals: [(&[u8], Option<&str>, u16, &str); 5] = [
        (&body, None, 401, "missing X-Hub-Signature-256"),
        (&body, Some("another-secret"), 401, "does not match"),
        (&tampered, Some("__sign_original__"), 401, "does not match"),
        (b"{not json", Some(SECRET), 400, "not the expected JSON"),
        (
            br#"{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"31600000000","id":"wamid.x","timestamp":"1700000000","type":"text","text":{"body":"hoi"}}]}}]}]}"#,
            Some(SECRET),
            400,
            "entry[0].changes[0].value.metadata.phone_number_id",
        ),
    ];
    for (raw, secret, status, needle) in refusals {
        let res = if secret == Some("__sign_original__") {
            // Signed over the original body, then changed in transit.
            let request = Request::post("/webhooks/whatsapp")
                .header("x-hub-signature-256", sign(SECRET.as_bytes(), &body))
                .body(Body::from(raw.to_vec()))
                .expect("request");
            app.send(request).await
        } else {
            deliver(&app, raw, secret).await
        };
        assert_eq!(res.status(), status, "{needle}");
        let error = json(res).await["error"].as_str().unwrap_or("").to_string();
        assert!(
            error.contains(needle),
            "{error:?} should mention {needle:?}"
        );
        assert_eq!(stored_messages(&app).await, 0, "{needle}: nothing stored");
    }

    let accepted = deliver(&app, &body, Some(SECRET)).await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(json(accepted).await["stored"], 1);
    let anna = app.login("anna", Role::Agent, None).await;
    let conversation = app
        .state
        .chat
        .conversation_for(&anna.user, 1)
        .await
        .expect("stored");
    assert_eq!(conversation.channel, "whatsapp");
    assert_eq!(conversation.resident_name.as_deref(), Some("Fatima"));
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("data-article=\"grofvuil"),
        "suggested: {page}"
    );
}

#[tokio::test]
async fn the_same_delivery_twice_is_stored_once() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let body = resident_message("wamid.twice", "mijn paspoort is verlopen");
    for expected in [
        json!({"stored": 1, "duplicates": 0}),
        json!({"stored": 0, "duplicates": 1}),
    ] {
        let res = deliver(&app, &body, Some(SECRET)).await;
        assert_eq!(res.status(), 200);
        let body = json(res).await;
        assert_eq!(body["stored"], expected["stored"]);
        assert_eq!(body["duplicates"], expected["duplicates"]);
    }
    assert_eq!(
        stored_messages(&app).await,
        1 + 1,
        "the message and the welcome"
    );
}

#[tokio::test]
async fn media_are_stored_with_their_kind_and_id_and_described_to_agents() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let body = json!({
        "object": "whatsapp_business_account",
        "entry": [{"changes": [{"field": "messages", "value": {
            "metadata": {"phone_number_id": PHONE_ID},
            "messages": [{
                "from": RESIDENT, "id": "wamid.img", "timestamp": "1700000000", "type": "image",
                "image": {"id": "media-4711", "mime_type": "image/jpeg", "caption": "kapotte lantaarnpaal"}
            }]
        }}]}]
    });
    let res = deliver(&app, body.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200);
    let inbound = app
        .thread(1)
        .await
        .into_iter()
        .find(|m| m.channel_message_id.as_deref() == Some("wamid.img"))
        .expect("stored");
    assert_eq!(inbound.media_kind.as_deref(), Some("image"));
    assert_eq!(inbound.media_id.as_deref(), Some("media-4711"));
    assert!(inbound.text.contains("Afbeelding"), "{}", inbound.text);
    assert!(
        inbound.text.contains("kapotte lantaarnpaal"),
        "{}",
        inbound.text
    );
}

#[tokio::test]
async fn replies_wait_out_a_graph_outage_and_arrive_once_in_order() {
    let (graph_url, graph) = graph_stand_in(3).await;
    let app = app_with(whatsapp_config(&graph_url)).await;
    start_outbox(&app);
    deliver(
        &app,
        &resident_message("wamid.in.1", "de lantaarnpaal brandt niet"),
        Some(SECRET),
    )
    .await;
    let anna = app.login("anna", Role::Agent, None).await;
    let replies = [
        "Dank u voor de melding.",
        "We sturen een monteur.",
        "Binnen 5 werkdagen.",
    ];
    for reply in replies {
        let sent = app.act(&anna, 1, "reply", &[("text", reply)]).await;
        assert!(sent.status().is_redirection(), "{}", sent.status());
    }
    eventually("every reply delivered", async || {
        graph.lock().expect("graph").delivered.len() >= 4
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    {
        let graph = graph.lock().expect("graph");
        let texts: Vec<&str> = graph.delivered.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts.len(), 4, "welcome + 3 replies, each once: {texts:?}");
        assert!(texts[0].starts_with("Welkom"), "{texts:?}");
        assert_eq!(texts[1..], replies);
        assert!(graph.delivered.iter().all(|(to, _)| to == RESIDENT));
        assert_eq!(
            graph.calls,
            3 + 4,
            "three failures, then one call per message"
        );
    }

    let outbound: Vec<(Delivery, Option<String>)> = app
        .thread(1)
        .await
        .into_iter()
        .filter(|m| m.direction == vraagbaak::chat::Direction::Out)
        .map(|m| (m.delivery, m.channel_message_id))
        .collect();
    assert!(
        outbound
            .iter()
            .all(|(d, id)| *d == Delivery::Sent && id.is_some()),
        "{outbound:?}"
    );
}

#[tokio::test]
async fn delivery_statuses_only_move_forward() {
    let (graph_url, _graph) = graph_stand_in(0).await;
    let app = app_with(whatsapp_config(&graph_url)).await;
    start_outbox(&app);
    deliver(
        &app,
        &resident_message("wamid.in.2", "hoe vraag ik een parkeervergunning aan"),
        Some(SECRET),
    )
    .await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "reply", &[("text", "Dat kan online.")])
        .await;
    let reply_wamid = async || {
        app.thread(1)
            .await
            .into_iter()
            .filter(|m| m.author_name.as_deref() == Some("anna"))
            .find_map(|m| m.channel_message_id)
    };
    eventually("the reply is sent", async || reply_wamid().await.is_some()).await;
    let wamid = reply_wamid().await.expect("sent");
    let delivery = async || {
        app.thread(1)
            .await
            .into_iter()
            .find(|m| m.channel_message_id.as_deref() == Some(wamid.as_str()))
            .map(|m| m.delivery)
    };
    for (status, expected) in [
        ("delivered", Delivery::Delivered),
        ("read", Delivery::Read),
        ("delivered", Delivery::Read),
        ("sent", Delivery::Read),
        ("failed", Delivery::Read),
    ] {
        let body = simulate::status(PHONE_ID, RESIDENT, &wamid, status).to_string();
        let res = deliver(&app, body.as_bytes(), Some(SECRET)).await;
        assert_eq!(res.status(), 200);
        assert_eq!(delivery().await, Some(expected), "after {status}");
    }
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("gelezen"),
        "the agent sees it was read: {page}"
    );
}

#[tokio::test]
async fn an_agents_markdown_reaches_whatsapp_in_its_own_formatting_once() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(whatsapp_config(&graph_url)).await;
    start_outbox(&app);
    deliver(&app, &resident_message("wamid.in.4", "hallo"), Some(SECRET)).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let reply = "Neem **uw paspoort** mee, zie [de website](https://dijkstede.example/paspoort).";
    let sent = app.act(&anna, 1, "reply", &[("text", reply)]).await;
    assert!(sent.status().is_redirection(), "{}", sent.status());
    eventually("the reply is sent", async || {
        graph.lock().expect("graph").delivered.len() >= 2
    })
    .await;
    let expected = "Neem *uw paspoort* mee, zie de website (https://dijkstede.example/paspoort).";
    assert_eq!(graph.lock().expect("graph").delivered[1].1, expected);
    let stored = app.thread(1).await.into_iter().last().expect("reply").text;
    assert_eq!(
        stored, expected,
        "stored as sent, so agents see what the resident got"
    );
}

#[tokio::test]
async fn a_refused_send_is_shown_as_failed_with_the_reason() {
    let (graph_url, _) = graph_stand_in(0).await;
    let app = app_with(whatsapp_config(&graph_url)).await;
    start_outbox(&app);
    deliver(&app, &resident_message("wamid.in.3", "hallo"), Some(SECRET)).await;
    let wamid = "wamid.out.1";
    // Sent, and the send response's id stored with the message (the outbox stores it just
    // after Graph answers; a status before that is another test's case).
    eventually("the welcome is sent and its id stored", async || {
        (app.thread(1).await.iter()).any(|m| m.channel_message_id.as_deref() == Some(wamid))
    })
    .await;
    let body = simulate::status(PHONE_ID, RESIDENT, wamid, "failed").to_string();
    deliver(&app, body.as_bytes(), Some(SECRET)).await;
    let welcome = app
        .thread(1)
        .await
        .into_iter()
        .find(|m| m.channel_message_id.as_deref() == Some(wamid))
        .expect("welcome");
    assert_eq!(welcome.delivery, Delivery::Failed);
    assert!(
        welcome
            .delivery_error
            .as_deref()
            .is_some_and(|e| e.contains("131047")),
        "{:?}",
        welcome.delivery_error
    );
}

#[tokio::test]
async fn outside_the_24_hour_window_a_reply_is_refused_with_a_clear_message() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    deliver(
        &app,
        &resident_message("wamid.old", "mijn paspoort is verlopen"),
        Some(SECRET),
    )
    .await;
    app.state
        .chat
        .store
        .call(|c| {
            let old = chrono::Utc::now() - chrono::TimeDelta::hours(25);
            c.execute("UPDATE conversations SET last_inbound_at = ?1", [old])?;
            Ok(())
        })
        .await
        .expect("store");
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("meer dan 24 uur"),
        "the dashboard says so: {page}"
    );
    let before = stored_messages(&app).await;
    let refused = app
        .act(&anna, 1, "reply", &[("text", "Maak een afspraak.")])
        .await;
    assert_eq!(refused.status(), 409);
    assert!(text(refused).await.contains("meer dan 24 uur oud"));
    assert_eq!(stored_messages(&app).await, before, "nothing queued");
}

#[tokio::test]
async fn a_status_that_arrives_before_the_send_response_is_kept_and_applied() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(whatsapp_config(&graph_url)).await;
    deliver(&app, &resident_message("wamid.in.4", "hallo"), Some(SECRET)).await;
    // The stand-in will call the welcome "wamid.out.1"; Meta's status for it comes first.
    let early = simulate::status(PHONE_ID, RESIDENT, "wamid.out.1", "delivered").to_string();
    assert_eq!(
        deliver(&app, early.as_bytes(), Some(SECRET)).await.status(),
        200
    );
    start_outbox(&app);
    eventually("the welcome is sent", async || {
        !graph.lock().expect("graph").delivered.is_empty()
    })
    .await;
    let delivery = async || {
        app.thread(1)
            .await
            .into_iter()
            .find(|m| m.channel_message_id.as_deref() == Some("wamid.out.1"))
            .map(|m| m.delivery)
    };
    eventually("the early status is applied", async || {
        delivery().await == Some(Delivery::Delivered)
    })
    .await;
}
