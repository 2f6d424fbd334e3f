//! Storing a resident message as it arrives on a channel: the conversation it belongs to, the
//! suggestions shown for it, the welcome of a new conversation and the bot's response, in one
//! transaction.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::conversations::{Conversation, Message, conversation, insert_message, message, missing};
use super::details::MessageDetails;
use super::held;
use super::media;
use super::responses::{BotResponse, apply_bot_response};
use super::{Result, now, write};
use crate::chat::{AuthorKind, Delivery, Direction};

/// A resident message as it arrives on a channel.
pub struct Inbound<'a> {
    pub channel: &'a str,
    pub resident_ref: &'a str,
    /// The text as stored: personal data already masked.
    pub text: &'a str,
    /// Article ids and confidences, best first, as suggested for this text.
    pub suggestions: &'a [(String, f32)],
    /// The channel's id for the message (WhatsApp's wamid): a second delivery is ignored.
    pub channel_message_id: Option<&'a str>,
    /// The resident's display name on the channel, kept up to date.
    pub resident_name: Option<&'a str>,
    /// For media: the kind and the channel's media id.
    pub media: Option<(&'a str, &'a str)>,
    /// A document's file name (personal data already masked), kept for its download.
    pub file_name: Option<&'a str>,
    /// Kinds of personal data found (and masked) in the text.
    pub privacy: &'a [&'a str],
    /// The channel id of the message this one replies to.
    pub reply_to: Option<&'a str>,
    /// What the dashboard shows around the message.
    pub details: &'a MessageDetails,
    /// Stored with the first message of a new conversation, in the same transaction: the
    /// welcome and privacy notice WhatsApp residents get.
    pub welcome: Option<(&'a str, Delivery)>,
    /// When the resident sent it by the channel's clock (WhatsApp's timestamp), if known.
    /// The conversation's `last_inbound_at` is the newest such time; it never moves back when
    /// an old message is redelivered late.
    pub sent_at: Option<DateTime<Utc>>,
    /// The message arrived inside WhatsApp's 24-hour window, so it reopened the window:
    /// answers held for the resident go out now, before anything automatic.
    pub reopens_window: bool,
}

/// What [`record_inbound`] did.
#[allow(
    clippy::large_enum_variant,
    reason = "returned once and matched at once"
)]
pub enum Recorded {
    /// Stored and committed, with the bot's response (if any) in the same transaction.
    New {
        conversation: Conversation,
        message: Message,
        /// The welcome and the bot's messages, in order.
        automatic: Vec<Message>,
        /// Agents' answers that were held for the closed window and are queued now.
        released: Vec<Message>,
    },
    /// The channel delivered this message before; nothing was stored.
    Duplicate,
}

/// Stores a resident message (creating the conversation on first contact, reopening a closed
/// one) with the suggestions shown for it, the welcome of a new conversation, and the bot's
/// response, which `respond` decides from the conversation as it now stands. All in one
/// transaction: after a crash there is either all of it or none, and a channel that did not
/// get its acknowledgement delivers again. Only after the commit may the channel acknowledge.
pub fn record_inbound(
    conn: &mut Connection,
    inbound: &Inbound<'_>,
    respond: impl FnOnce(&Conversation, &Message) -> BotResponse,
) -> Result<Recorded> {
    let at = now();
    let tx = write(conn)?;
    if let Some(channel_id) = inbound.channel_message_id {
        let seen = tx
            .query_row(
                "SELECT 1 FROM messages WHERE channel_message_id = ?1",
                [channel_id],
                |_| Ok(()),
            )
            .optional()?;
        if seen.is_some() {
            return Ok(Recorded::Duplicate);
        }
    }
    let existing: Option<(i64, Option<DateTime<Utc>>)> = tx
        .query_row(
            "SELECT id, last_inbound_at FROM conversations WHERE channel = ?1 AND resident_ref = ?2",
            params![inbound.channel, inbound.resident_ref],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // A clock ahead of ours must not stretch the window: nothing is sent after it arrived.
    // The resident waits from this time too, however late Meta delivered.
    let sent = inbound.sent_at.map_or(at, |sent| sent.min(at));
    let conversation_id = match existing {
        Some((id, last)) => {
            let last_inbound = last.map_or(sent, |last| last.max(sent));
            tx.execute(
                "UPDATE conversations SET status = 'open', updated_at = ?2,
                 waiting_since = COALESCE(waiting_since, ?5), last_inbound_at = ?4,
                 resident_name = COALESCE(?3, resident_name) WHERE id = ?1",
                params![id, at, inbound.resident_name, last_inbound, sent],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO conversations (channel, resident_ref, status, created_at, updated_at,
                 waiting_since, last_inbound_at, resident_name)
                 VALUES (?1, ?2, 'open', ?3, ?3, ?5, ?5, ?4)",
                params![
                    inbound.channel,
                    inbound.resident_ref,
                    at,
                    inbound.resident_name,
                    sent
                ],
            )?;
            tx.last_insert_rowid()
        }
    };
    let message_id = insert_message(
        &tx,
        conversation_id,
        Direction::In,
        AuthorKind::Resident,
        None,
        inbound.text,
        Delivery::Received,
    )?;
    let privacy = Some(inbound.privacy.join(",")).filter(|p| !p.is_empty());
    tx.execute(
        "UPDATE messages SET channel_message_id = ?2, media_kind = ?3, media_id = ?4,
         privacy = ?5, reply_to = ?6, details = ?7, sent_at = ?8 WHERE id = ?1",
        params![
            message_id,
            inbound.channel_message_id,
            inbound.media.map(|m| m.0),
            inbound.media.map(|m| m.1),
            privacy,
            inbound.reply_to,
            inbound.details.to_column(),
            inbound.sent_at
        ],
    )?;
    // Held answers go first: the resident reads the answer to their earlier question before
    // anything automatic about this one.
    let released = if inbound.reopens_window && existing.is_some() {
        held::release(&tx, conversation_id)?
    } else {
        Vec::new()
    };
    if let Some((kind, media_id)) = inbound.media {
        // Downloaded in the background after the commit; queued here so none is lost.
        media::enqueue(&tx, message_id, kind, media_id, inbound.file_name, at)?;
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO suggestions (message_id, rank, article_id, confidence)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (rank, (article_id, confidence)) in inbound.suggestions.iter().enumerate() {
            stmt.execute(params![
                message_id,
                rank as i64 + 1,
                article_id,
                *confidence as f64
            ])?;
        }
    }
    let mut automatic = Vec::new();
    if let (None, Some((welcome, delivery))) = (existing, inbound.welcome) {
        automatic.push(insert_message(
            &tx,
            conversation_id,
            Direction::Out,
            AuthorKind::System,
            None,
            welcome,
            delivery,
        )?);
    }
    let stored = conversation(&tx, conversation_id)?.ok_or(missing())?;
    let received = message(&tx, message_id)?.ok_or(missing())?;
    let response = respond(&stored, &received);
    automatic.extend(apply_bot_response(&tx, conversation_id, &response)?);
    tx.commit()?;
    let conversation = conversation(conn, conversation_id)?.ok_or(missing())?;
    let read = |ids: Vec<i64>| -> Result<Vec<Message>> {
        ids.into_iter()
            .map(|id| message(conn, id)?.ok_or(missing()))
            .collect()
    };
    Ok(Recorded::New {
        conversation,
        message: received,
        automatic: read(automatic)?,
        released: read(released)?,
    })
}
