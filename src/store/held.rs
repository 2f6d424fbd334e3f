//! Answers held while WhatsApp's 24-hour window is closed, and the re-engagement template that
//! asks the resident to reopen it.
//!
//! A held answer is stored like any reply (delivery `queued`) with `held_since` set, but not
//! put in the outbox. One template message goes out instead. When the resident writes again
//! the held answers enter the outbox, oldest first, in the transaction that stores the new
//! message and before anything automatic answering it ([`release`]). After [`HELD_DAYS`]
//! without a reaction they are marked not delivered ([`expire`]).

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::{Connection, Transaction, params};
use serde::{Deserialize, Serialize};

use super::conversations::{enqueue, insert_message};
use super::{Result, write};
use crate::chat::{AuthorKind, Delivery, Direction};

/// How long a held answer waits for the resident to write again.
pub const HELD_DAYS: i64 = 7;

/// Why an answer that waited in vain was not delivered. Like every `delivery_error` it is a
/// reason, not a sentence: the conversation page puts "Niet afgeleverd: " before it.
pub const NOT_DELIVERED: &str = "de inwoner heeft niet binnen 7 dagen gereageerd";

/// A WhatsApp message template as the Graph API sends it: approved at Meta under `name` in
/// `language`, with its body parameters in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub name: String,
    pub language: String,
    pub parameters: Vec<String>,
}

/// How a message is held: since when, and the template that asks the resident to write again
/// with the text agents see for it in the thread. A message held without a template (a
/// forward's expectation text) only waits: it joins a request already out, or the next reply's.
pub struct Hold<'a> {
    pub since: DateTime<Utc>,
    pub reopen: Option<(&'a Template, &'a str)>,
}

/// Marks a just-stored (queued) message as held and queues the template, unless one already
/// went out since the resident's last message and has not failed. Returns the template
/// message's id when one was queued.
pub(super) fn hold(
    tx: &Transaction<'_>,
    conversation_id: i64,
    message_id: i64,
    hold: &Hold<'_>,
) -> rusqlite::Result<Option<i64>> {
    // Stored as queued like any reply, it waits outside the outbox until `release`.
    tx.execute(
        "UPDATE messages SET held_since = ?2 WHERE id = ?1",
        params![message_id, hold.since],
    )?;
    tx.execute("DELETE FROM outbox WHERE message_id = ?1", [message_id])?;
    let Some((template, notice)) = hold.reopen else {
        return Ok(None);
    };
    if reopen_requested(tx, conversation_id)?.is_some() {
        return Ok(None);
    }
    let id = insert_message(
        tx,
        conversation_id,
        Direction::Out,
        AuthorKind::System,
        None,
        notice,
        Delivery::Queued,
    )?;
    let template = serde_json::to_string(template)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    tx.execute(
        "UPDATE messages SET template = ?2 WHERE id = ?1",
        params![id, template],
    )?;
    Ok(Some(id))
}

/// When the re-engagement template still standing went out: one queued or sent since the
/// resident's last message that has not failed. While it stands no second one is sent.
pub fn reopen_requested(
    conn: &Connection,
    conversation_id: i64,
) -> rusqlite::Result<Option<DateTime<Utc>>> {
    conn.query_row(
        "SELECT MAX(created_at) FROM messages
           WHERE conversation_id = ?1 AND template IS NOT NULL AND delivery != 'failed'
             AND id > (SELECT COALESCE(MAX(id), 0) FROM messages
                       WHERE conversation_id = ?1 AND direction = 'in')",
        [conversation_id],
        |r| r.get(0),
    )
}

/// The resident wrote again: their held answers enter the outbox, oldest first. Returns their
/// ids.
pub(super) fn release(tx: &Transaction<'_>, conversation_id: i64) -> rusqlite::Result<Vec<i64>> {
    let ids: Vec<i64> = tx
        .prepare_cached(
            "SELECT id FROM messages WHERE conversation_id = ?1 AND held_since IS NOT NULL
             ORDER BY id",
        )?
        .query_map([conversation_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for &id in &ids {
        tx.execute(
            "UPDATE messages SET held_since = NULL, delivery_error = NULL WHERE id = ?1",
            [id],
        )?;
        enqueue(tx, id, conversation_id)?;
    }
    Ok(ids)
}

/// Answers held since before `now - HELD_DAYS` are not delivered: marked so, with
/// [`NOT_DELIVERED`]. Their conversation is open and owes a reply again, overdue, so the inbox
/// shows it first among the promised ones. Returns the conversations that changed.
pub fn expire(conn: &mut Connection, now: DateTime<Utc>) -> Result<Vec<i64>> {
    let cutoff = now - TimeDelta::days(HELD_DAYS);
    let tx = write(conn)?;
    let conversations: Vec<i64> = tx
        .prepare_cached(
            "SELECT DISTINCT conversation_id FROM messages
             WHERE held_since IS NOT NULL AND held_since < ?1 ORDER BY conversation_id",
        )?
        .query_map([cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.execute(
        "UPDATE messages SET delivery = 'failed', delivery_error = ?2, held_since = NULL
         WHERE held_since IS NOT NULL AND held_since < ?1",
        params![cutoff, NOT_DELIVERED],
    )?;
    for &id in &conversations {
        tx.execute(
            "UPDATE conversations SET status = 'open', updated_at = ?2,
             owed_since = COALESCE(owed_since, ?2), promised_by = COALESCE(promised_by, ?2)
             WHERE id = ?1",
            params![id, now],
        )?;
    }
    tx.commit()?;
    Ok(conversations)
}

/// Meta refused the template: every held answer of the conversation says why. They stay held,
/// so they still go out if the resident writes on their own.
pub(super) fn template_refused(
    tx: &Transaction<'_>,
    conversation_id: i64,
    reason: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE messages SET delivery_error = ?2
         WHERE conversation_id = ?1 AND held_since IS NOT NULL",
        params![
            conversation_id,
            format!("het heropeningssjabloon is door WhatsApp geweigerd ({reason})")
        ],
    )?;
    Ok(())
}

/// The template of a stored message, if it is one (read by the outbox).
pub(super) fn parse_template(json: Option<String>) -> rusqlite::Result<Option<Template>> {
    json.map(|json| {
        serde_json::from_str(&json).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
    })
    .transpose()
}
