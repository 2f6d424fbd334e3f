//! Conversations, their messages and labels, and what agents do with them (assign, reply,
//! note, forward, status, labels). Resident messages arrive through [`super::inbound`].
//!
//! Each function that changes something is one `BEGIN IMMEDIATE` transaction, so the checks
//! it makes (who holds the conversation, whether it exists) and the change it writes cannot be
//! interleaved with another agent's request.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::details::MessageDetails;
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
    /// The article the bot offered ("Bedoelt u …?"), waiting for the resident's "ja" or "nee".
    #[serde(skip)]
    pub offered_article: Option<String>,
    /// The period the bot's away text or acknowledgement was last sent for.
    #[serde(skip)]
    pub notice_key: Option<String>,
    /// The first resident message that needs a person, while no agent has replied: a later
    /// greeting, thanks or bot answer does not erase it.
    pub owed_since: Option<DateTime<Utc>>,
    /// The deadline the resident was given for that reply ("maandag vóór 12:00").
    pub promised_by: Option<DateTime<Utc>>,
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
    /// When the resident last edited it (Meta's time); earlier texts are revisions.
    pub edited_at: Option<DateTime<Utc>>,
    /// When the resident deleted it for everyone (Meta's time); the text is kept.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The channel id of the message this one replies to (WhatsApp's quoted message).
    pub reply_to: Option<String>,
    /// Forwarding, ad, tapped button, sent outside vraagbaak.
    pub details: MessageDetails,
    /// For resident messages: when they sent it by the channel's clock (WhatsApp's
    /// timestamp); `created_at` is when it arrived here.
    pub sent_at: Option<DateTime<Utc>>,
    /// An answer waiting for the resident to reopen WhatsApp's window: since when.
    pub held_since: Option<DateTime<Utc>>,
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

pub(super) const CONVERSATION_SELECT: &str = "SELECT c.*, u.name AS assignee_name,
       (SELECT group_concat(label, char(31)) FROM
           (SELECT label FROM conversation_labels l WHERE l.conversation_id = c.id ORDER BY label))
           AS labels
       FROM conversations c LEFT JOIN users u ON u.id = c.assignee_id";

pub(super) fn conversation_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Conversation> {
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
        offered_article: row.get("offered_article")?,
        notice_key: row.get("notice_key")?,
        owed_since: row.get("owed_since")?,
        promised_by: row.get("promised_by")?,
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
        edited_at: row.get("edited_at")?,
        revoked_at: row.get("revoked_at")?,
        reply_to: row.get("reply_to")?,
        details: MessageDetails::from_column(row.get::<_, Option<String>>("details")?.as_deref()),
        sent_at: row.get("sent_at")?,
        held_since: row.get("held_since")?,
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

const MESSAGE_SELECT: &str = "SELECT m.*, COALESCE(u.name, m.author_label) AS author_name
       FROM messages m LEFT JOIN users u ON u.id = m.author_id";

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

pub(super) fn missing() -> StoreError {
    StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows)
}

/// Puts a stored message in the outbox, behind what the conversation already has queued.
pub(super) fn enqueue(
    tx: &Transaction<'_>,
    message_id: i64,
    conversation_id: i64,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (message_id, conversation_id, next_attempt_at, queued_at)
         VALUES (?1, ?2, ?3, ?3)",
    )?
    .execute(params![message_id, conversation_id, now()])?;
    Ok(())
}

pub(super) fn insert_message(
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
        enqueue(tx, id, conversation_id)?;
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
    /// WhatsApp's window is closed: the reply waits for the resident (see [`super::held`]).
    pub hold: Option<super::held::Hold<'a>>,
    /// Who sent it when no agent did: "Koppeling <key name>" for an inbox tool.
    pub author_label: Option<&'a str>,
    /// The resident message it answers and how its article was found (see [`super::usage`]).
    pub answered: super::usage::Answered,
}

/// Sends a reply as `agent`, or as an inbox tool when `None`. An unassigned conversation is
/// taken by the agent in the same transaction; one held by another agent is refused, so two
/// agents never answer the same resident. A tool's reply leaves the holder as it is.
pub fn send_reply(
    conn: &mut Connection,
    id: i64,
    agent: Option<&User>,
    reply: &Reply<'_>,
) -> Result<Message, ChangeError> {
    let tx = write(conn)?;
    let current = holder(&tx, id)?;
    if let (Some(other), Some(user)) = (current, agent)
        && other.id != user.id
    {
        return Err(ChangeError::HeldBy(other.name));
    }
    let author_id = agent.map(|u| u.id);
    let message_id = insert_message(
        &tx,
        id,
        Direction::Out,
        AuthorKind::Agent,
        author_id,
        reply.text,
        reply.delivery,
    )?;
    if let Some(hold) = &reply.hold {
        super::held::hold(&tx, id, message_id, hold)?;
    }
    tx.execute(
        "UPDATE messages SET article_id = ?2, usage = ?3, author_label = ?4 WHERE id = ?1",
        params![
            message_id,
            reply.article_id,
            reply.usage.as_str(),
            reply.author_label
        ],
    )?;
    super::usage::record(&tx, message_id, id, reply.article_id, &reply.answered)?;
    tx.execute(
        "UPDATE conversations SET assignee_id = COALESCE(?2, assignee_id), status = 'waiting',
         waiting_since = NULL, owed_since = NULL, promised_by = NULL, priority = 0,
         feedback_for = NULL, offered_article = NULL, offer_owes = 0, updated_at = ?3
         WHERE id = ?1",
        params![id, author_id, now()],
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
/// gets the department's expectation text, after `hold` when WhatsApp's window is closed.
pub fn forward(
    conn: &mut Connection,
    id: i64,
    department: &str,
    notice: &str,
    delivery: Delivery,
    hold: Option<&super::held::Hold<'_>>,
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
    if let Some(hold) = hold {
        super::held::hold(&tx, id, message_id, hold)?;
    }
    tx.execute(
        "UPDATE conversations SET department = ?2, assignee_id = NULL, status = 'open',
         updated_at = ?3 WHERE id = ?1",
        params![id, department, now()],
    )?;
    tx.commit()?;
    message(conn, message_id)?.ok_or(ChangeError::Store(missing()))
}

/// Closes or reopens a conversation. Closing is an agent's decision that nothing more is owed,
/// so it also clears the owed reply.
pub fn set_status(conn: &mut Connection, id: i64, status: Status) -> Result<(), ChangeError> {
    let tx = write(conn)?;
    holder(&tx, id)?;
    let clear_wait = status == Status::Closed;
    tx.execute(
        "UPDATE conversations SET status = ?2, updated_at = ?3,
         waiting_since = CASE WHEN ?4 THEN NULL ELSE waiting_since END,
         owed_since = CASE WHEN ?4 THEN NULL ELSE owed_since END,
         promised_by = CASE WHEN ?4 THEN NULL ELSE promised_by END WHERE id = ?1",
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
