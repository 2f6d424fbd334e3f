//! The reply API for inbox tools: `POST /api/v1/conversations/{id}/replies` answers only where
//! the key may read, takes Verstuur's path (audit, outbox, WhatsApp's window), and an admin can
//! grant a key every conversation.

use serde_json::Value;
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::{AuthorKind, Delivery};
use vraagbaak::store::users::{self, Role};

use crate::common::app::{TestApp, app_with, json, quiet_config, text};
use crate::common::graph::{
    PHONE_ID, RESIDENT, SECRET, deliver, eventually, graph_stand_in, start_outbox,
};
use crate::whatsapp_window::{asked_days_ago, requests, window_config};

async fn new_key(app: &TestApp, name: &'static str) -> (String, users::ApiKey) {
    app.state
        .chat
        .store
        .call(move |c| users::create_api_key(c, name))
        .await
        .expect("key")
}

/// A new key named `tool` that an admin granted every conversation on the admin page.
pub(crate) async fn all_conversations_key(app: &TestApp) -> String {
    let (key, created) = new_key(app, "tool").await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let granted = app
        .submit(
            &admin,
            &format!("/admin/keys/{}/scope", created.id),
            &[("all_conversations", "true")],
        )
        .await;
    assert_eq!(granted.status(), 303);
    let admin_page = text(app.get("/admin", Some(&admin)).await).await;
    assert!(admin_page.contains("alle gesprekken"), "{admin_page}");
    key
}

async fn api_reply(app: &TestApp, key: &str, id: i64, body: &str) -> (u16, Value) {
    let res = app
        .post_json(
            &format!("/api/v1/conversations/{id}/replies"),
            Some(key),
            body,
        )
        .await;
    let status = res.status().as_u16();
    (status, json(res).await)
}

#[tokio::test]
async fn the_reply_api_answers_only_where_the_key_may_read() {
    let app = app_with(quiet_config()).await;
    let key = app.api_key().await;
    let res = app
        .post_json(
            "/api/v1/conversations/messages",
            Some(&key),
            r#"{"channel": "facebook", "resident": "r1", "text": "Wanneer is het stadhuis open?"}"#,
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = json(res).await["conversation_id"].as_i64().expect("id");

    let (status, body) = api_reply(&app, &key, id, r#"{"text": "Van 9 tot 17 uur."}"#).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["held"], false);
    assert_eq!(body["message"]["text"], "Van 9 tot 17 uur.");
    assert_eq!(body["message"]["delivery"], "sent");
    let thread = app.thread(id).await;
    assert!(
        thread
            .iter()
            .any(|m| m.author == AuthorKind::Agent && m.text == "Van 9 tot 17 uur.")
    );
    let actors: Vec<(String, String)> = app
        .state
        .chat
        .store
        .call(|c| {
            let mut stmt = c.prepare("SELECT actor, action FROM audit_log")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
        .await
        .expect("audit");
    assert!(
        actors.contains(&("api:inbox".into(), "message.send".into())),
        "{actors:?}"
    );

    // Another key, a web-chat conversation, a bad body.
    let (other, _) = new_key(&app, "ander").await;
    let (status, body) = api_reply(&app, &other, id, r#"{"text": "Hallo"}"#).await;
    assert_eq!(status, 404, "{body}");
    assert!(body["error"].is_string());
    app.resident_says(None, "Mijn paspoort is verlopen").await;
    let webchat = id + 1;
    assert_eq!(app.conversation(webchat).await.channel, "webchat");
    let (status, _) = api_reply(&app, &key, webchat, r#"{"text": "Hallo"}"#).await;
    assert_eq!(status, 404, "not a conversation this key started");
    let (status, body) = api_reply(&app, &key, id, r#"{"tekst": "Hallo"}"#).await;
    assert_eq!(status, 422, "{body}");
    let (status, _) = api_reply(&app, &key, id, r#"{"text": "   "}"#).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_key_with_all_conversations_answers_whatsapp_and_is_held_after_the_window() {
    let (graph_url, graph) = graph_stand_in(0).await;
    let app = app_with(window_config(&graph_url)).await;
    let key = app.api_key().await;
    asked_days_ago(&app, 3, "Mijn paspoort is verlopen").await;
    let (status, _) = api_reply(&app, &key, 1, r#"{"text": "Maak een afspraak."}"#).await;
    assert_eq!(
        status, 404,
        "a WhatsApp conversation is not this key's to answer"
    );

    let key = all_conversations_key(&app).await;
    let (status, body) = api_reply(&app, &key, 1, r#"{"text": "Maak een afspraak."}"#).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["held"], true);
    assert!(body["message"]["held_since"].is_string());
    start_outbox(&app);
    eventually("the template goes out", async || {
        !requests(&graph).is_empty()
    })
    .await;
    assert_eq!(requests(&graph)[0]["type"], "template");
    // Meta's statuses for the template apply as for any outbound message.
    let read = simulate::status(PHONE_ID, RESIDENT, "wamid.out.1", "read").to_string();
    assert_eq!(
        deliver(&app, read.as_bytes(), Some(SECRET)).await.status(),
        200
    );
    let template_delivery = async || {
        app.thread(1)
            .await
            .into_iter()
            .find(|m| m.channel_message_id.as_deref() == Some("wamid.out.1"))
            .map(|m| m.delivery)
    };
    eventually("the template is read", async || {
        template_delivery().await == Some(Delivery::Read)
    })
    .await;
    let read = axum::http::Request::get("/api/v1/conversations/1")
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::empty())
        .expect("request");
    assert_eq!(
        app.send(read).await.status(),
        200,
        "it reads every conversation too"
    );
}
