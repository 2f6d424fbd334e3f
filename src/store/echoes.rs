//! Message echoes: what the municipality sent to a resident from another app on the same
//! WhatsApp number (the WhatsApp Business app, a phone). They are recorded in the resident's
//! conversation as outbound messages marked "sent outside vraagbaak", so agents see the whole
//! exchange; they start no bot, no welcome, and do not count as an agent's reply.

use rusqlite::{Connection, params};

use super::conversations::{Message, insert_message, message, missing};
use super::details::MessageDetails;
use super::numbers::{conversation_of, seen};
use super::{Result, now, write};
use crate::chat::{AuthorKind, Delivery, Direction};

pub struct Echo {
    pub channel: String,
    /// The resident the message went to.
    pub resident_ref: String,
    /// The channel's id of the message: deduplicates redeliveries.
    pub channel_message_id: String,
    pub text: String,
}

/// Stores an echo; `None` when it was recorded before. A resident without a conversation gets
/// one, closed: nobody is waiting for an answer.
pub fn record_echo(conn: &mut Connection, echo: &Echo) -> Result<Option<Message>> {
    let tx = write(conn)?;
    if seen(&tx, &echo.channel_message_id)? {
        return Ok(None);
    }
    let at = now();
    let conversation_id = match conversation_of(&tx, &echo.channel, &echo.resident_ref)? {
        Some(id) => id,
        None => {
            tx.execute(
                "INSERT INTO conversations (channel, resident_ref, status, created_at, updated_at)
                 VALUES (?1, ?2, 'closed', ?3, ?3)",
                params![echo.channel, echo.resident_ref, at],
            )?;
            tx.last_insert_rowid()
        }
    };
    let id = insert_message(
        &tx,
        conversation_id,
        Direction::Out,
        AuthorKind::Agent,
        None,
        &echo.text,
        Delivery::Sent,
    )?;
    let details = MessageDetails {
        sent_outside: true,
        ..MessageDetails::default()
    };
    tx.execute(
        "UPDATE messages SET channel_message_id = ?2, details = ?3 WHERE id = ?1",
        params![id, echo.channel_message_id, details.to_column()],
    )?;
    tx.execute(
        "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
        params![conversation_id, at],
    )?;
    tx.commit()?;
    Ok(Some(message(conn, id)?.ok_or(missing())?))
}
