//! Residents' reactions, edits and revokes on WhatsApp (issue 10, items 3 and 4).
//!
//! ```text
//! meta.rs       Meta's own webhook bodies replayed from `../shared/whatsapp`
//! sequences.rs  react / re-react / un-react, edit twice, revoke, redeliveries, what agents
//!               and the export see
//! ```

use serde_json::Value;
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::store::updates;

use crate::common::app::{TestApp, json};
use crate::common::graph::{SECRET, deliver};

mod meta;
mod sequences;

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
