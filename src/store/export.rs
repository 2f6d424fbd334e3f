//! Every conversation with its messages, as the archive export reads them. Read in one
//! transaction, so a running server can keep writing and the export is still a consistent
//! snapshot (WAL readers see the database as of their first read).
//!
//! Residents' photos and files are listed with their path (relative to the data directory),
//! SHA-256, size and type; the export is one JSON stream, so the files themselves are not in
//! it: archive the data directory's `media/` folder with it, and check it against the sums.

use chrono::{DateTime, Utc};
use serde::Serialize;

use std::collections::HashMap;

use super::conversations::{self as conv, Conversation, Message};
use super::details::MessageDetails;
use super::media::{self, Media, StoredFile};
use super::numbers;
use super::updates::{self, Reaction, Revision};
use super::{Result, StoreError};
use rusqlite::Connection;

#[derive(Debug, Serialize)]
pub struct ExportedConversation {
    pub id: i64,
    pub channel: String,
    /// Who the resident is on the channel: a WhatsApp number, an inbox tool's id, or for the
    /// web chat the hash of its token.
    pub resident: String,
    pub resident_name: Option<String>,
    pub status: crate::chat::Status,
    pub department: Option<String>,
    pub labels: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When it was last closed; `None` while it is open or waiting.
    pub closed_at: Option<DateTime<Utc>>,
    /// Numbers the resident changed away from (WhatsApp number changes), oldest first.
    pub earlier_residents: Vec<String>,
    pub messages: Vec<ExportedMessage>,
}

#[derive(Debug, Serialize)]
pub struct ExportedMessage {
    pub id: i64,
    pub direction: crate::chat::Direction,
    pub author: crate::chat::AuthorKind,
    pub author_name: Option<String>,
    /// The channel's own id, such as WhatsApp's wamid.
    pub channel_message_id: Option<String>,
    /// As stored: personal data masked.
    pub text: String,
    pub media_kind: Option<String>,
    pub media_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivery: crate::chat::Delivery,
    pub delivery_error: Option<String>,
    pub article_id: Option<String>,
    pub privacy: Vec<String>,
    /// When the resident last edited it; its earlier texts are in `revisions`.
    pub edited_at: Option<DateTime<Utc>>,
    /// When the resident deleted it for everyone; `text` is kept for the archive.
    pub revoked_at: Option<DateTime<Utc>>,
    /// The resident's current reactions to it.
    pub reactions: Vec<Reaction>,
    /// The texts it had before each edit, oldest first.
    pub revisions: Vec<Revision>,
    /// The channel id of the message this one replies to.
    pub reply_to: Option<String>,
    /// Forwarded, ad, tapped button, sent outside vraagbaak.
    pub details: MessageDetails,
    /// A resident's photo or file.
    pub media: Option<ExportedMedia>,
}

/// A media message's file in the export.
#[derive(Debug, Serialize)]
pub struct ExportedMedia {
    /// pending, stored, failed or refused.
    pub state: &'static str,
    /// Relative to the data directory, e.g. `media/ab/cdef…`; set when stored.
    pub path: Option<String>,
    pub sha256: Option<String>,
    pub size: Option<u64>,
    pub mime_type: Option<String>,
    pub file_name: Option<String>,
    /// Why it was not stored (Dutch, as agents saw it).
    pub reason: Option<String>,
}

impl From<Media> for ExportedMedia {
    fn from(m: Media) -> Self {
        ExportedMedia {
            state: m.state.as_str(),
            path: m.file.as_ref().map(StoredFile::relative_path),
            sha256: m.file.as_ref().map(|f| f.sha256.clone()),
            size: m.file.as_ref().map(|f| f.size),
            mime_type: m.file.map(|f| f.mime_type),
            file_name: m.file_name,
            reason: m.reason,
        }
    }
}

impl From<Message> for ExportedMessage {
    fn from(m: Message) -> Self {
        ExportedMessage {
            id: m.id,
            direction: m.direction,
            author: m.author,
            author_name: m.author_name,
            channel_message_id: m.channel_message_id,
            text: m.text,
            media_kind: m.media_kind,
            media_id: m.media_id,
            created_at: m.created_at,
            delivery: m.delivery,
            delivery_error: m.delivery_error,
            article_id: m.article_id,
            privacy: m.privacy,
            edited_at: m.edited_at,
            revoked_at: m.revoked_at,
            reactions: Vec::new(),
            revisions: Vec::new(),
            reply_to: m.reply_to,
            details: m.details,
            media: None,
        }
    }
}

/// Calls `each` with every conversation, oldest first, inside one read transaction.
pub fn each_conversation<E: From<StoreError>>(
    conn: &mut Connection,
    each: impl FnMut(ExportedConversation) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    each_selected(conn, conversation_ids, each)
}

/// Calls `each` with the conversations `select` picks (in its order), inside one read
/// transaction: the selection and the conversations are one snapshot.
pub fn each_selected<E: From<StoreError>>(
    conn: &mut Connection,
    select: impl FnOnce(&Connection) -> Result<Vec<i64>>,
    mut each: impl FnMut(ExportedConversation) -> std::result::Result<(), E>,
) -> std::result::Result<usize, E> {
    let tx = conn.transaction().map_err(StoreError::from)?;
    let ids = select(&tx)?;
    for &id in &ids {
        let Some((c, messages)) = read(&tx, id)? else {
            continue;
        };
        let mut files: HashMap<i64, Media> = media::for_conversation(&tx, id)?
            .into_iter()
            .map(|m| (m.message_id, m))
            .collect();
        let mut annotations = updates::of_conversation(&tx, id)?;
        let messages = messages
            .into_iter()
            .map(|m| {
                let id = m.id;
                ExportedMessage {
                    reactions: annotations.reactions.remove(&id).unwrap_or_default(),
                    revisions: annotations.revisions.remove(&id).unwrap_or_default(),
                    media: files.remove(&id).map(ExportedMedia::from),
                    ..ExportedMessage::from(m)
                }
            })
            .collect();
        let earlier_residents = numbers::earlier_refs(&tx, id)?;
        let closed_at = super::archive::closed_at(&tx, id)?;
        each(ExportedConversation {
            id: c.id,
            channel: c.channel,
            resident: c.resident_ref,
            resident_name: c.resident_name,
            status: c.status,
            department: c.department,
            labels: c.labels,
            created_at: c.created_at,
            updated_at: c.updated_at,
            closed_at,
            earlier_residents,
            messages,
        })?;
    }
    tx.finish().map_err(StoreError::from)?;
    Ok(ids.len())
}

fn conversation_ids(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare("SELECT id FROM conversations ORDER BY id")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

fn read(conn: &Connection, id: i64) -> Result<Option<(Conversation, Vec<Message>)>> {
    let Some(c) = conv::conversation(conn, id)? else {
        return Ok(None);
    };
    Ok(Some((c, conv::messages(conn, id, 0, true)?)))
}
