//! The persistent outbox: replies on channels that deliver over the network wait here until
//! the channel accepted them. A message enters the outbox in the same transaction that stores
//! it (see `conversations::insert_message`), so a channel outage delays it but cannot lose it.
//!
//! Per conversation only the oldest pending entry is eligible, so replies arrive in the order
//! they were written even when an earlier one needed retries.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::held::{Template, parse_template, template_refused};
use super::{Result, write};

/// One reply to deliver.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub message_id: i64,
    pub conversation_id: i64,
    pub channel: String,
    /// Who to send it to on the channel (the WhatsApp number).
    pub resident_ref: String,
    pub text: String,
    pub attempts: i64,
    /// When the message entered the outbox (a held answer: when it was released); replies
    /// that cannot go out for too long after it are given up.
    pub queued_at: DateTime<Utc>,
    /// Set for the re-engagement template (see [`super::held`]); `text` is then only what
    /// agents read.
    pub template: Option<Template>,
}

/// The head of each conversation's queue whose time has come, oldest first.
pub fn due(conn: &Connection, at: DateTime<Utc>, limit: usize) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.message_id, o.conversation_id, c.channel, c.resident_ref, m.text,
                o.attempts, COALESCE(o.queued_at, m.created_at), m.template
         FROM outbox o
         JOIN messages m ON m.id = o.message_id
         JOIN conversations c ON c.id = o.conversation_id
         WHERE o.id IN (SELECT min(id) FROM outbox WHERE state = 'pending'
                        GROUP BY conversation_id)
           AND o.next_attempt_at <= ?1
         ORDER BY o.id LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![at, limit as i64], |r| {
            Ok(Pending {
                id: r.get(0)?,
                message_id: r.get(1)?,
                conversation_id: r.get(2)?,
                channel: r.get(3)?,
                resident_ref: r.get(4)?,
                text: r.get(5)?,
                attempts: r.get(6)?,
                queued_at: r.get(7)?,
                template: parse_template(r.get(8)?)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// When the next queue head is due, if anything is pending.
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    Ok(conn
        .query_row(
            "SELECT min(next_attempt_at) FROM outbox
             WHERE id IN (SELECT min(id) FROM outbox WHERE state = 'pending'
                          GROUP BY conversation_id)",
            [],
            |r| r.get::<_, Option<DateTime<Utc>>>(0),
        )
        .optional()?
        .flatten())
}

/// The channel accepted the message under its own id.
pub fn mark_sent(conn: &mut Connection, entry: &Pending, channel_message_id: &str) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_error = NULL
         WHERE id = ?1",
        [entry.id],
    )?;
    tx.execute(
        "UPDATE messages SET channel_message_id = ?2,
         delivery = CASE WHEN delivery = 'queued' THEN 'sent' ELSE delivery END
         WHERE id = ?1",
        params![entry.message_id, channel_message_id],
    )?;
    super::statuses::apply_early_statuses(&tx, channel_message_id)?;
    tx.commit()?;
    Ok(())
}

/// A temporary failure: try again at `next_attempt_at`.
pub fn retry_later(
    conn: &mut Connection,
    entry: &Pending,
    error: &str,
    next_attempt_at: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3
         WHERE id = ?1",
        params![entry.id, error, next_attempt_at],
    )?;
    Ok(())
}

/// Given up: the channel refused the message or it waited too long. The agent sees why; for a
/// refused template, also on the answers it was to reopen the window for.
pub fn give_up(conn: &mut Connection, entry: &Pending, error: &str) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?2
         WHERE id = ?1",
        params![entry.id, error],
    )?;
    tx.execute(
        "UPDATE messages SET delivery = 'failed', delivery_error = ?2 WHERE id = ?1",
        params![entry.message_id, error],
    )?;
    if entry.template.is_some() {
        template_refused(&tx, entry.conversation_id, error)?;
    }
    tx.commit()?;
    Ok(())
}
