//! Residents' photos and files: one row per media message, from "to download" to stored on
//! disk (or given up, with the reason agents see). The worker in
//! `channels::whatsapp::media` takes the due rows; the conversation page, the file route and
//! the export read them.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, write};

/// The message kinds whose files are downloaded. Locations, contacts and the like have none.
pub const DOWNLOADED_KINDS: &[&str] = &["image", "audio", "video", "document", "sticker"];

/// Where a media file is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaState {
    /// Waiting for its (next) download attempt.
    Pending,
    /// On disk under its SHA-256.
    Stored,
    /// Given up: Meta no longer has it, or it could not be fetched within 30 days.
    Failed,
    /// Not downloaded on purpose: too large or not an allowed type.
    Refused,
}

impl MediaState {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaState::Pending => "pending",
            MediaState::Stored => "stored",
            MediaState::Failed => "failed",
            MediaState::Refused => "refused",
        }
    }

    fn parse(name: &str) -> Option<MediaState> {
        [
            MediaState::Pending,
            MediaState::Stored,
            MediaState::Failed,
            MediaState::Refused,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }
}

/// One media message's file as the store knows it.
#[derive(Debug, Clone)]
pub struct Media {
    pub message_id: i64,
    pub conversation_id: i64,
    pub kind: String,
    pub state: MediaState,
    pub attempts: i64,
    /// Why it was not stored (failed or refused), in Dutch.
    pub reason: Option<String>,
    pub file: Option<StoredFile>,
    /// The resident's name for a document, personal data masked.
    pub file_name: Option<String>,
}

/// The bytes of a stored file, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    /// Hex SHA-256 of the bytes: the file's name on disk.
    pub sha256: String,
    pub size: u64,
    /// The type its magic bytes show.
    pub mime_type: String,
    /// For images whose header gives it: the size in pixels.
    pub dimensions: Option<(u32, u32)>,
}

impl StoredFile {
    /// The file's path relative to the data directory: `media/ab/cdef…`.
    pub fn relative_path(&self) -> String {
        relative_path(&self.sha256)
    }
}

/// `media/<first two hex digits>/<the rest>`: content-addressed, so duplicates share a file.
pub fn relative_path(sha256: &str) -> String {
    let split = sha256.len().min(2);
    format!("media/{}/{}", &sha256[..split], &sha256[split..])
}

/// A download the worker should attempt.
#[derive(Debug, Clone)]
pub struct PendingMedia {
    pub message_id: i64,
    pub conversation_id: i64,
    pub media_id: String,
    pub kind: String,
    pub attempts: i64,
    pub received_at: DateTime<Utc>,
}

/// Queues the download of a media message, in the transaction that stores the message.
/// Kinds without a file are skipped.
pub fn enqueue(
    conn: &Connection,
    message_id: i64,
    kind: &str,
    media_id: &str,
    file_name: Option<&str>,
    at: DateTime<Utc>,
) -> Result<bool> {
    if !DOWNLOADED_KINDS.contains(&kind) || media_id.trim().is_empty() {
        return Ok(false);
    }
    conn.execute(
        "INSERT OR IGNORE INTO media (message_id, media_id, kind, file_name, next_attempt_at,
         received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![message_id, media_id, kind, file_name, at],
    )?;
    Ok(true)
}

/// Pending downloads whose time has come, oldest first.
pub fn due(conn: &Connection, at: DateTime<Utc>, limit: usize) -> Result<Vec<PendingMedia>> {
    let mut stmt = conn.prepare_cached(
        "SELECT md.message_id, m.conversation_id, md.media_id, md.kind, md.attempts,
                md.received_at
         FROM media md JOIN messages m ON m.id = md.message_id
         WHERE md.state = 'pending' AND md.next_attempt_at <= ?1
         ORDER BY md.next_attempt_at, md.message_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![at, limit as i64], |r| {
        Ok(PendingMedia {
            message_id: r.get(0)?,
            conversation_id: r.get(1)?,
            media_id: r.get(2)?,
            kind: r.get(3)?,
            attempts: r.get(4)?,
            received_at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the next pending download is due, if any is.
pub fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    Ok(conn.query_row(
        "SELECT MIN(next_attempt_at) FROM media WHERE state = 'pending'",
        [],
        |r| r.get(0),
    )?)
}

/// The file is on disk.
pub fn mark_stored(conn: &mut Connection, message_id: i64, file: &StoredFile) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE media SET state = 'stored', attempts = attempts + 1, last_error = NULL,
         reason = NULL, sha256 = ?2, size = ?3, mime_type = ?4, width = ?5, height = ?6
         WHERE message_id = ?1",
        params![
            message_id,
            file.sha256,
            file.size as i64,
            file.mime_type,
            file.dimensions.map(|d| d.0),
            file.dimensions.map(|d| d.1)
        ],
    )?;
    tx.commit()?;
    Ok(())
}

/// The attempt failed for a reason that may pass: try again at `next`.
pub fn retry_later(
    conn: &mut Connection,
    message_id: i64,
    error: &str,
    next: DateTime<Utc>,
) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE media SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3
         WHERE message_id = ?1",
        params![message_id, error, next],
    )?;
    tx.commit()?;
    Ok(())
}

/// No more attempts: `state` is failed or refused, `reason` is what agents read.
pub fn give_up(
    conn: &mut Connection,
    message_id: i64,
    state: MediaState,
    reason: &str,
    error: &str,
) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE media SET state = ?2, attempts = attempts + 1, reason = ?3, last_error = ?4
         WHERE message_id = ?1",
        params![message_id, state.as_str(), reason, error],
    )?;
    tx.commit()?;
    Ok(())
}

const MEDIA_SELECT: &str = "SELECT md.*, m.conversation_id FROM media md
     JOIN messages m ON m.id = md.message_id";

fn media_from_row(row: &Row<'_>) -> rusqlite::Result<Media> {
    let state: String = row.get("state")?;
    let sha256: Option<String> = row.get("sha256")?;
    let file = match sha256 {
        Some(sha256) => {
            let width: Option<u32> = row.get("width")?;
            let height: Option<u32> = row.get("height")?;
            Some(StoredFile {
                sha256,
                size: row.get::<_, Option<i64>>("size")?.unwrap_or(0).max(0) as u64,
                mime_type: row
                    .get::<_, Option<String>>("mime_type")?
                    .unwrap_or_default(),
                dimensions: width.zip(height),
            })
        }
        None => None,
    };
    Ok(Media {
        message_id: row.get("message_id")?,
        conversation_id: row.get("conversation_id")?,
        kind: row.get("kind")?,
        state: MediaState::parse(&state).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("unexpected media state `{state}`").into(),
            )
        })?,
        attempts: row.get("attempts")?,
        reason: row.get("reason")?,
        file,
        file_name: row.get("file_name")?,
    })
}

/// The media of one conversation, by message.
pub fn for_conversation(conn: &Connection, conversation_id: i64) -> Result<Vec<Media>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{MEDIA_SELECT} WHERE m.conversation_id = ?1 ORDER BY md.message_id"
    ))?;
    let rows = stmt.query_map([conversation_id], media_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The media of `message_id`, if that message belongs to `conversation_id`.
pub fn in_conversation(
    conn: &Connection,
    conversation_id: i64,
    message_id: i64,
) -> Result<Option<Media>> {
    Ok(conn
        .query_row(
            &format!("{MEDIA_SELECT} WHERE md.message_id = ?1 AND m.conversation_id = ?2"),
            params![message_id, conversation_id],
            media_from_row,
        )
        .optional()?)
}

/// How many downloads are waiting, for the log at start.
pub fn pending_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM media WHERE state = 'pending'",
        [],
        |r| r.get(0),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MIGRATIONS, migrate, now};

    fn insert_message(conn: &Connection, kind: Option<&str>, media_id: Option<&str>) -> i64 {
        conn.execute(
            "INSERT INTO messages (conversation_id, direction, author_kind, text, created_at,
             delivery, media_kind, media_id)
             VALUES (1, 'in', 'resident', '[Afbeelding ontvangen]', '2026-11-30T10:00:00.000Z',
             'received', ?1, ?2)",
            params![kind, media_id],
        )
        .expect("message");
        conn.last_insert_rowid()
    }

    #[test]
    fn media_stored_before_this_version_are_queued_by_the_migration() {
        let mut conn = Connection::open_in_memory().expect("db");
        let media_version = MIGRATIONS
            .iter()
            .position(|sql| sql.contains("CREATE TABLE media"))
            .expect("the media migration");
        for sql in &MIGRATIONS[..media_version] {
            conn.execute_batch(sql).expect("earlier migration");
        }
        conn.pragma_update(None, "user_version", media_version as i64)
            .expect("version");
        conn.execute(
            "INSERT INTO conversations (id, channel, resident_ref, status, created_at, updated_at)
             VALUES (1, 'whatsapp', '31612345678', 'open', '2026-11-30', '2026-11-30')",
            [],
        )
        .expect("conversation");
        let photo = insert_message(&conn, Some("image"), Some("1479"));
        insert_message(&conn, Some("location"), Some(""));
        insert_message(&conn, None, None);

        migrate(&mut conn).expect("migrated");
        let media = for_conversation(&conn, 1).expect("media");
        assert_eq!(media.len(), 1);
        assert_eq!(media[0].message_id, photo);
        assert_eq!(media[0].state, MediaState::Pending);
        let due = due(&conn, now(), 10).expect("due");
        assert_eq!(due[0].media_id, "1479");
    }

    #[test]
    fn only_kinds_with_a_file_are_queued() {
        let store = crate::store::Store::open_in_memory().expect("store");
        store
            .blocking(|conn| {
                conn.execute(
                    "INSERT INTO conversations (id, channel, resident_ref, status, created_at,
                     updated_at) VALUES (1, 'whatsapp', 'x', 'open', '2026-11-30', '2026-11-30')",
                    [],
                )?;
                let at = now();
                for (kind, id) in [
                    ("image", "1"),
                    ("location", ""),
                    ("other", ""),
                    ("sticker", "2"),
                ] {
                    let message = insert_message(conn, Some(kind), Some(id));
                    enqueue(conn, message, kind, id, None, at)?;
                }
                let kinds: Vec<String> = for_conversation(conn, 1)?
                    .into_iter()
                    .map(|m| m.kind)
                    .collect();
                assert_eq!(kinds, ["image", "sticker"]);
                Ok(())
            })
            .expect("store");
    }
}
