//! Conversations, their messages and labels, and the suggestions shown for each message.
//!
//! Each function that changes something is one `BEGIN IMMEDIATE` transaction, so the checks
//! it makes (who holds the conversation, whether it exists) and the change it writes cannot be
//! interleaved with another agent's request.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::users::User;
use super::{Result, StoreError, now, write};
use crate::chat::{AuthorKind, Delivery, Direction, Status, Usage};

#[derive(Debug, Clone, Serialize)]
pub struct Conversation {
    pub id: i64,
    pub channel: String,
    #[serde(skip)]
    pub resident_ref: String,
    pub status: Status,
    pub assignee: Option<Assignee>,
    pub department: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The oldest unanswered resident message, if the resident is waiting.
    pub waiting_since: Option<DateTime<Utc>>,
    pub labels: Vec<String>,
    /// The resident's display name on the channel (WhatsApp profile name).
    pub resident_name: Option<String>,
    /// The latest resident message; WhatsApp allows free-form replies for 24 hours after it.
    pub last_inbound_at: Option<DateTime<Utc>>,
    /// The resident said a bot answer did not help: first in the inbox.
    pub priority: bool,
    /// The bot answer waiting for the resident's "ja" or "nee".
    #[serde(skip)]
    pub feedback_for: Option<i64>,
    /// The period the bot's away text or acknowledgement was last sent for.
    #[serde(skip)]
    pub notice_key: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Assignee {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub direction: Direction,
    pub author: AuthorKind,
    /// The agent's name for agent messages.
    pub author_name: Option<String>,
    pub text: String,
    pub created_at: DateTime<Utc>,
    pub delivery: Delivery,
    pub article_id: Option<String>,
    pub usage: Option<Usage>,
    /// The channel's id of the message (WhatsApp's wamid).
    pub channel_message_id: Option<String>,
    /// For media and other non-text messages: what arrived, and the channel's media id.
    pub media_kind: Option<String>,
    pub media_id: Option<String>,
    /// Why the channel could not deliver it.
    pub delivery_error: Option<String>,
    /// Kinds of personal data that were found in the message and masked.
    pub privacy: Vec<String>,
    /// For bot answers: whether the resident found it helpful.
    pub helpful: Option<bool>,
}

/// A suggestion as shown to agents for one resident message.
#[derive(Debug, Clone, Serialize)]
pub struct ShownSuggestion {
    pub rank: i64,
    pub article_id: String,
    pub confidence: f64,
}

/// Why a change to a conversation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("conversation not found")]
    NotFound,
    #[error("{0} is handling this conversation")]
    HeldBy(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ChangeError {
    fn from(err: rusqlite::Error) -> Self {
        ChangeError::Store(err.into())
    }
}

const CONVERSATION_SELECT: &str = "SELECT c.*, u.name AS assignee_name,
       (SELECT group_concat(label, char(31)) FROM
           (SELECT label FROM conversation_labels l WHERE l.conversation_id = c.id ORDER BY label))
           AS labels
       FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id";

fn conversation_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Conversation> {
    let assignee = match row.get::<_, Option<i64>>("assignee_id")? {
        Some(id) => Some(Assignee {
            id,
            name: row.get("assignee_name")?,
        }),
        None => None,
    };
    let labels: Option<String> = row.get("labels")?;
    Ok(Conversation {
        id: row.get("id")?,
        channel: row.get("channel")?,
        resident_ref: row.get("resident_ref")?,
        status: parse_column(row, "status")?,
        assignee,
        department: row.get("department")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
        waiting_since: row.get("waiting_since")?,
        labels: labels
            .map(|l| l.split('\u{1f}').map(String::from).collect())
            .unwrap_or_default(),
        resident_name: row.get("resident_name")?,
        last_inbound_at: row.get("last_inbound_at")?,
        priority: row.get("priority")?,
        feedback_for: row.get("feedback_for")?,
        notice_key: row.get("notice_key")?,
    })
}

fn message_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: row.get("id")?,
        conversation_id: row.get("conversation_id")?,
        direction: parse_column(row, "direction")?,
        author: parse_column(row, "author_kind")?,
        author_name: row.get("author_name")?,
        text: row.get("text")?,
        created_at: row.get("created_at")?,
        delivery: parse_column(row, "delivery")?,
        article_id: row.get("article_id")?,
        usage: match row.get::<_, Option<String>>("usage")? {
            Some(_) => Some(parse_column(row, "usage")?),
            None => None,
        },
        channel_message_id: row.get("channel_message_id")?,
        media_kind: row.get("media_kind")?,
        media_id: row.get("media_id")?,
        delivery_error: row.get("delivery_error")?,
        privacy: row
            .get::<_, Option<String>>("privacy")?
            .map(|p| p.split(',').map(String::from).collect())
            .unwrap_or_default(),
        helpful: row.get("helpful")?,
    })
}

/// Reads a text column into one of the chat enums (their `FromStr` matches the CHECKs).
fn parse_column<T: std::str::FromStr>(
    row: &rusqlite::Row<'_>,
    column: &str,
) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unexpected {column} `{text}`").into(),
        )
    })
}

pub fn conversation(conn: &Connection, id: i64) -> Result<Option<Conversation>> {
    Ok(conn
        .query_row(
            &format!("{CONVERSATION_SELECT} WHERE c.id = ?1"),
            [id],
            conversation_from_row,
        )
        .optional()?)
}

pub fn conversation_by_ref(
    conn: &Connection,
    channel: &str,
    resident_ref: &str,
) -> Result<Option<Conversation>> {
    Ok(conn
        .query_row(
            &format!("{CONVERSATION_SELECT} WHERE c.channel = ?1 AND c.resident_ref = ?2"),
            params![channel, resident_ref],
            conversation_from_row,
        )
        .optional()?)
}

const MESSAGE_SELECT: &str =
    "SELECT m.*, u.name AS author_name FROM messages m LEFT JOIN users u ON u.id = m.author_id";

/// Messages of a conversation after `after_id` (0 for all), oldest first. Residents and
/// outside tools never get internal notes.
pub fn messages(
    conn: &Connection,
    conversation_id: i64,
    after_id: i64,
    include_notes: bool,
) -> Result<Vec<Message>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MESSAGE_SELECT} WHERE m.conversation_id = ?1 AND m.id > ?2
         AND (?3 OR m.direction != 'note') ORDER BY m.id"
    ))?;
    let rows = stmt
        .query_map(
            params![conversation_id, after_id, include_notes],
            message_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub fn message(conn: &Connection, id: i64) -> Result<Option<Message>> {
    Ok(conn
        .query_row(
            &format!("{MESSAGE_SELECT} WHERE m.id = ?1"),
            [id],
            message_from_row,
        )
        .optional()?)
}

pub fn shown_suggestions(conn: &Connection, message_id: i64) -> Result<Vec<ShownSuggestion>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rank, article_id, confidence FROM suggestions WHERE message_id = ?1 ORDER BY rank",
    )?;
    let rows = stmt
        .query_map([message_id], |r| {
            Ok(ShownSuggestion {
                rank: r.get(0)?,
                article_id: r.get(1)?,
                confidence: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

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
    /// Kinds of personal data found (and masked) in the text.
    pub privacy: &'a [&'a str],
    /// Stored with the first message of a new conversation, in the same transaction: the
    /// welcome and privacy notice WhatsApp residents get.
    pub welcome: Option<(&'a str, Delivery)>,
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
        new_conversation: bool,
        /// The welcome and the bot's messages, in order.
        automatic: Vec<Message>,
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
    let existing: Option<i64> = tx
        .query_row(
            "SELECT id FROM conversations WHERE channel = ?1 AND resident_ref = ?2",
            params![inbound.channel, inbound.resident_ref],
            |r| r.get(0),
        )
        .optional()?;
    let conversation_id = match existing {
        Some(id) => {
            tx.execute(
                "UPDATE conversations SET status = 'open', updated_at = ?2,
                 waiting_since = COALESCE(waiting_since, ?2), last_inbound_at = ?2,
                 resident_name = COALESCE(?3, resident_name) WHERE id = ?1",
                params![id, at, inbound.resident_name],
            )?;
            id
        }
        None => {
            tx.execute(
                "INSERT INTO conversations (channel, resident_ref, status, created_at, updated_at,
                 waiting_since, last_inbound_at, resident_name)
                 VALUES (?1, ?2, 'open', ?3, ?3, ?3, ?3, ?4)",
                params![
                    inbound.channel,
                    inbound.resident_ref,
                    at,
                    inbound.resident_name
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
         privacy = ?5 WHERE id = ?1",
        params![
            message_id,
            inbound.channel_message_id,
            inbound.media.map(|m| m.0),
            inbound.media.map(|m| m.1),
            privacy
        ],
    )?;
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
    let automatic = automatic
        .into_iter()
        .map(|id| message(conn, id)?.ok_or(missing()))
        .collect::<Result<_>>()?;
    Ok(Recorded::New {
        conversation,
        message: received,
        new_conversation: existing.is_none(),
        automatic,
    })
}

fn missing() -> StoreError {
    StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
}

fn insert_message(
    tx: &Transaction<'_>,
    conversation_id: i64,
    direction: Direction,
    author: AuthorKind,
    author_id: Option<i64>,
    text: &str,
    delivery: Delivery,
) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO messages (conversation_id, direction, author_kind, author_id, text,
         created_at, delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        conversation_id,
        direction.as_str(),
        author.as_str(),
        author_id,
        text,
        now(),
        delivery.as_str()
    ])?;
    let id = tx.last_insert_rowid();
    // A queued message is in the outbox in the same transaction: it cannot be lost.
    if delivery == Delivery::Queued {
        tx.prepare_cached(
            "INSERT INTO outbox (message_id, conversation_id, next_attempt_at) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, conversation_id, now()])?;
    }
    Ok(id)
}

/// The holder of a conversation inside a transaction, or NotFound.
fn holder(tx: &Transaction<'_>, id: i64) -> Result<Option<Assignee>, ChangeError> {
    tx.query_row(
        "SELECT c.assignee_id, u.name FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id
         WHERE c.id = ?1",
        [id],
        |r| {
            Ok(r.get::<_, Option<i64>>(0)?.map(|uid| Assignee {
                id: uid,
                name: r.get(1).unwrap_or_default(),
            }))
        },
    )
    .optional()?
    .ok_or(ChangeError::NotFound)
}

/// Takes a conversation for `user`. Held by someone else, it is taken over only with `force`.
pub fn assign(
    conn: &mut Connection,
    id: i64,
    user: &User,
    force: bool,
) -> Result<Option<Assignee>, ChangeError> {
    let tx = write(conn)?;
    let previous = holder(&tx, id)?;
    if let Some(other) = previous.as_ref().filter(|a| a.id != user.id && !force) {
        return Err(ChangeError::HeldBy(other.name.clone()));
    }
    tx.execute(
        "UPDATE conversations SET assignee_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, user.id, now()],
    )?;
    tx.commit()?;
    Ok(previous.filter(|a| a.id != user.id))
}

/// Gives a conversation back to the team (only its holder can).
pub fn release(conn: &mut Connection, id: i64, user: &User) -> Result<(), ChangeError> {
    let tx = write(conn)?;
    match holder(&tx, id)? {
        Some(a) if a.id != user.id => return Err(ChangeError::HeldBy(a.name)),
        _ => {}
    }
    tx.execute(
        "UPDATE conversations SET assignee_id = NULL, updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    tx.commit()?;
    Ok(())
}

/// An agent's reply to the resident.
pub struct Reply<'a> {
    pub text: &'a str,
    /// The article the agent started from ("Gebruik"), if any.
    pub article_id: Option<&'a str>,
    pub usage: Usage,
    /// Web chat replies are delivered by being stored; other channels queue them.
    pub delivery: Delivery,
}

/// Sends a reply as `user`. An unassigned conversation is taken in the same transaction; one
/// held by another agent is refused, so two agents never answer the same resident.
pub fn send_reply(
    conn: &mut Connection,
    id: i64,
    user: &User,
    reply: &Reply<'_>,
) -> Result<Message, ChangeError> {
    let tx = write(conn)?;
    if let Some(other) = holder(&tx, id)?.filter(|a| a.id != user.id) {
        return Err(ChangeError::HeldBy(other.name));
    }
    let message_id = insert_message(
        &tx,
        id,
        Direction::Out,
        AuthorKind::Agent,
        Some(user.id),
        reply.text,
        reply.delivery,
    )?;
    tx.execute(
        "UPDATE messages SET article_id = ?2, usage = ?3 WHERE id = ?1",
        params![message_id, reply.article_id, reply.usage.as_str()],
    )?;
    tx.execute(
        "UPDATE conversations SET assignee_id = ?2, status = 'waiting', waiting_since = NULL,
         priority = 0, feedback_for = NULL, updated_at = ?3 WHERE id = ?1",
        params![id, user.id, now()],
    )?;
    tx.commit()?;
    message(conn, message_id)?.ok_or(ChangeError::Store(missing()))
}

/// An internal note, visible only to agents.
pub fn add_note(
    conn: &mut Connection,
    id: i64,
    user: &User,
    text: &str,
) -> Result<Message, ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    let message_id = insert_message(
        &tx,
        id,
        Direction::Note,
        AuthorKind::Agent,
        Some(user.id),
        text,
        Delivery::Sent,
    )?;
    tx.execute(
        "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    tx.commit()?;
    message(conn, message_id)?.ok_or(ChangeError::Store(missing()))
}

/// Forwards to a department: the team owns it from now on, nobody holds it, and the resident
/// gets the department's expectation text.
pub fn forward(
    conn: &mut Connection,
    id: i64,
    department: &str,
    notice: &str,
    delivery: Delivery,
) -> Result<Message, ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    let message_id = insert_message(
        &tx,
        id,
        Direction::Out,
        AuthorKind::System,
        None,
        notice,
        delivery,
    )?;
    tx.execute(
        "UPDATE conversations SET department = ?2, assignee_id = NULL, status = 'open',
         updated_at = ?3 WHERE id = ?1",
        params![id, department, now()],
    )?;
    tx.commit()?;
    message(conn, message_id)?.ok_or(ChangeError::Store(missing()))
}

/// One message the bot (or the system) sends.
pub struct BotMessage {
    /// `Bot` for answers and away texts, `System` for notices.
    pub author: AuthorKind,
    pub text: String,
    pub article_id: Option<String>,
    pub delivery: Delivery,
    /// The resident got an answer: nobody needs to reply until they write again.
    pub answered: bool,
    /// Ask "Heeft dit u geholpen?" about this message: the resident's next "ja" or "nee"
    /// is recorded on it.
    pub awaits_feedback: bool,
}

/// Everything the bot does about one resident message, stored with it.
#[derive(Default)]
pub struct BotResponse {
    pub messages: Vec<BotMessage>,
    /// The resident's answer to the feedback question: (the bot answer it is about, helpful).
    pub feedback: Option<(i64, bool)>,
    /// First in the agents' inbox.
    pub prioritise: bool,
    /// The away text or acknowledgement went out for this period.
    pub notice_key: Option<String>,
}

/// Applies the bot's response inside the transaction that stores the resident's message.
/// Returns the ids of the messages it added.
fn apply_bot_response(
    tx: &Transaction<'_>,
    conversation_id: i64,
    response: &BotResponse,
) -> rusqlite::Result<Vec<i64>> {
    if let Some((answer, helpful)) = response.feedback {
        tx.execute(
            "UPDATE messages SET helpful = ?2 WHERE id = ?1",
            params![answer, helpful],
        )?;
        tx.execute(
            "UPDATE conversations SET feedback_for = NULL, priority = ?2 WHERE id = ?1",
            params![conversation_id, !helpful],
        )?;
    }
    if response.prioritise {
        tx.execute(
            "UPDATE conversations SET priority = 1, feedback_for = NULL WHERE id = ?1",
            [conversation_id],
        )?;
    }
    let mut ids = Vec::new();
    for bot in &response.messages {
        let id = insert_message(
            tx,
            conversation_id,
            Direction::Out,
            bot.author,
            None,
            &bot.text,
            bot.delivery,
        )?;
        if let Some(article) = &bot.article_id {
            tx.execute(
                "UPDATE messages SET article_id = ?2 WHERE id = ?1",
                params![id, article],
            )?;
        }
        if bot.answered {
            tx.execute(
                "UPDATE conversations SET status = 'waiting', waiting_since = NULL,
                 updated_at = ?2 WHERE id = ?1",
                params![conversation_id, now()],
            )?;
        }
        if bot.awaits_feedback {
            tx.execute(
                "UPDATE conversations SET feedback_for = ?2 WHERE id = ?1",
                params![conversation_id, id],
            )?;
        }
        ids.push(id);
    }
    if let Some(key) = &response.notice_key {
        tx.execute(
            "UPDATE conversations SET notice_key = ?2 WHERE id = ?1",
            params![conversation_id, key],
        )?;
    }
    Ok(ids)
}

/// A delivery status reported by the channel for one of our messages.
pub struct StatusUpdate {
    pub channel_message_id: String,
    pub delivery: Delivery,
    pub error: Option<String>,
}

/// Applies a channel's delivery status. Statuses only move forward (sent < delivered < read);
/// `failed` applies to a message not yet delivered. A status for a wamid we do not know yet
/// (it raced the send's response) is kept until the outbox records that wamid. Returns the
/// message when it changed.
pub fn apply_status(conn: &mut Connection, update: &StatusUpdate) -> Result<Option<Message>> {
    let tx = write(conn)?;
    let changed = apply_status_in(&tx, update)?;
    if changed.is_none() {
        let known = tx
            .query_row(
                "SELECT 1 FROM messages WHERE channel_message_id = ?1",
                [&update.channel_message_id],
                |_| Ok(()),
            )
            .optional()?;
        if known.is_none() {
            tx.execute(
                "INSERT INTO early_statuses (channel_message_id, delivery, error, received_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    update.channel_message_id,
                    update.delivery.as_str(),
                    update.error,
                    now()
                ],
            )?;
        }
    }
    tx.commit()?;
    match changed {
        Some(id) => message(conn, id),
        None => Ok(None),
    }
}

/// Applies statuses that arrived before their wamid was known; called when it is recorded.
pub(super) fn apply_early_statuses(tx: &Transaction<'_>, channel_message_id: &str) -> Result<()> {
    let early: Vec<(String, Option<String>)> = tx
        .prepare_cached(
            "SELECT delivery, error FROM early_statuses WHERE channel_message_id = ?1
             ORDER BY rowid",
        )?
        .query_map([channel_message_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (delivery, error) in early {
        let Ok(delivery) = delivery.parse::<Delivery>() else {
            continue;
        };
        apply_status_in(
            tx,
            &StatusUpdate {
                channel_message_id: channel_message_id.to_string(),
                delivery,
                error,
            },
        )?;
    }
    tx.execute(
        "DELETE FROM early_statuses WHERE channel_message_id = ?1",
        [channel_message_id],
    )?;
    Ok(())
}

/// The forward-only rule; returns the id of the message it changed.
fn apply_status_in(tx: &Transaction<'_>, update: &StatusUpdate) -> Result<Option<i64>> {
    let rank = |d: &str| match d {
        "queued" => 0,
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        _ => 4,
    };
    let current: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, delivery FROM messages WHERE channel_message_id = ?1 AND direction = 'out'",
            [&update.channel_message_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, current)) = current else {
        return Ok(None);
    };
    let moves_forward = match update.delivery {
        Delivery::Failed => rank(&current) < 2,
        new => rank(new.as_str()) > rank(&current) && current != "failed",
    };
    if !moves_forward {
        return Ok(None);
    }
    tx.execute(
        "UPDATE messages SET delivery = ?2, delivery_error = COALESCE(?3, delivery_error)
         WHERE id = ?1",
        params![id, update.delivery.as_str(), update.error],
    )?;
    Ok(Some(id))
}

/// Closes or reopens a conversation.
pub fn set_status(conn: &mut Connection, id: i64, status: Status) -> Result<(), ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    let clear_wait = status == Status::Closed;
    tx.execute(
        "UPDATE conversations SET status = ?2, updated_at = ?3,
         waiting_since = CASE WHEN ?4 THEN NULL ELSE waiting_since END WHERE id = ?1",
        params![id, status.as_str(), now(), clear_wait],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn add_label(conn: &mut Connection, id: i64, label: &str) -> Result<(), ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    tx.execute(
        "INSERT OR IGNORE INTO conversation_labels (conversation_id, label) VALUES (?1, ?2)",
        params![id, label],
    )?;
    tx.commit()?;
    Ok(())
}

pub fn remove_label(conn: &mut Connection, id: i64, label: &str) -> Result<(), ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    tx.execute(
        "DELETE FROM conversation_labels WHERE conversation_id = ?1 AND label = ?2",
        params![id, label],
    )?;
    tx.commit()?;
    Ok(())
}

/// Every label in use, for the inbox filter.
pub fn labels(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT label FROM conversation_labels ORDER BY label")?;
    let rows = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Which conversations the inbox lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Not closed.
    #[default]
    Open,
    /// Held by the viewer.
    Mine,
    /// Not closed and held by nobody.
    Unassigned,
    Closed,
}

#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub scope: Scope,
    pub channel: Option<String>,
    pub label: Option<String>,
}

/// A conversation in the inbox, with its latest resident message for a preview.
#[derive(Debug, Clone, Serialize)]
pub struct InboxRow {
    pub conversation: Conversation,
    pub last_text: Option<String>,
}

/// The conversations `viewer` may see that match `filter`: the longest-waiting first, then the
/// most recently active.
pub fn inbox(
    conn: &Connection,
    viewer: &User,
    filter: &InboxFilter,
    limit: usize,
) -> Result<Vec<InboxRow>> {
    let scope = match filter.scope {
        Scope::Open => "c.status != 'closed'",
        Scope::Mine => "c.status != 'closed' AND c.assignee_id = ?1",
        Scope::Unassigned => "c.status != 'closed' AND c.assignee_id IS NULL",
        Scope::Closed => "c.status = 'closed'",
    };
    let sql = format!(
        "{CONVERSATION_SELECT} WHERE {scope}
           AND (?2 IS NULL OR c.department = ?2)
           AND (?3 IS NULL OR c.channel = ?3)
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM conversation_labels l
                                      WHERE l.conversation_id = c.id AND l.label = ?4))
         ORDER BY c.priority DESC, c.waiting_since IS NULL, c.waiting_since, c.updated_at DESC
         LIMIT ?5"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let conversations: Vec<Conversation> = stmt
        .query_map(
            params![
                viewer.id,
                viewer.department,
                filter.channel,
                filter.label,
                limit as i64
            ],
            conversation_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut last = conn.prepare_cached(
        "SELECT text FROM messages WHERE conversation_id = ?1 AND direction = 'in'
         ORDER BY id DESC LIMIT 1",
    )?;
    conversations
        .into_iter()
        .map(|conversation| {
            let last_text = last.query_row([conversation.id], |r| r.get(0)).optional()?;
            Ok(InboxRow {
                conversation,
                last_text,
            })
        })
        .collect()
}

/// Whether `user` may see and act on `conversation`: agents of a department see only what was
/// forwarded to it; the contact centre (no department) sees everything.
pub fn can_access(user: &User, conversation: &Conversation) -> bool {
    match &user.department {
        None => true,
        Some(d) => conversation.department.as_deref() == Some(d.as_str()),
    }
}
