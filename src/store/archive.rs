//! Retention in the store: which conversations are closed and when, holds ("niet vernietigen"),
//! and destroying a conversation with everything that refers to it.
//!
//! Destroying finds the rows to delete from the schema itself: every table with a foreign key
//! to `messages` or `conversations` (read with `PRAGMA foreign_key_list`), so a table a later
//! migration adds is covered without a change here. The one link without a foreign key,
//! `early_statuses` (by the channel's message id), is named explicitly; the unit test below
//! fails when a new table has a `conversation_id` or `message_id` column without a foreign key.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{Result, now, write};

/// A closed conversation that may be due for destruction.
#[derive(Debug, Clone)]
pub struct Closed {
    pub id: i64,
    pub closed_at: DateTime<Utc>,
    pub labels: Vec<String>,
}

/// Ids of the conversations closed in `[from, to)` (either end open when `None`), oldest
/// first.
pub fn closed_between(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<i64>> {
    ids_between(
        conn,
        "status = 'closed' AND closed_at IS NOT NULL
         AND (?1 IS NULL OR closed_at >= ?1) AND (?2 IS NULL OR closed_at < ?2)",
        from,
        to,
    )
}

/// Ids of the conversations active in `[from, to)`: started before `to` and last changed at
/// or after `from`.
pub fn active_between(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<i64>> {
    ids_between(
        conn,
        "(?1 IS NULL OR updated_at >= ?1) AND (?2 IS NULL OR created_at < ?2)",
        from,
        to,
    )
}

/// Conversation ids matching `condition` (over `?1` = from, `?2` = to), in id order.
fn ids_between(
    conn: &Connection,
    condition: &str,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id FROM conversations WHERE {condition} ORDER BY id"
    ))?;
    let ids = stmt
        .query_map(params![from, to], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// When the conversation was last closed; `None` while it is open or waiting.
pub fn closed_at(conn: &Connection, id: i64) -> Result<Option<DateTime<Utc>>> {
    Ok(conn
        .query_row(
            "SELECT closed_at FROM conversations WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .flatten())
}

/// Closed conversations without an active hold: the ones a purge considers.
pub fn unheld_closed(conn: &Connection) -> Result<Vec<Closed>> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.closed_at,
                (SELECT group_concat(label, char(31)) FROM conversation_labels l
                  WHERE l.conversation_id = c.id) AS labels
         FROM conversations c
         WHERE c.status = 'closed' AND c.closed_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM archive_holds h
                           WHERE h.conversation_id = c.id AND h.released_at IS NULL)
         ORDER BY c.id",
    )?;
    let rows = stmt
        .query_map([], |r| {
            let labels: Option<String> = r.get(2)?;
            Ok(Closed {
                id: r.get(0)?,
                closed_at: r.get(1)?,
                labels: labels
                    .map(|l| l.split('\u{1f}').map(String::from).collect())
                    .unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Each conversation's forwards: (time, team id), oldest first.
pub type Forwards = std::collections::HashMap<i64, Vec<(DateTime<Utc>, String)>>;

/// The forwards of the conversations `ids` from the audit log.
pub fn forwards(conn: &Connection, ids: &[i64]) -> Result<Forwards> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, detail FROM audit_log
         WHERE conversation_id = ?1 AND action = 'conversation.forward' ORDER BY id",
    )?;
    let mut found = std::collections::HashMap::new();
    for &id in ids {
        let rows: Vec<(DateTime<Utc>, String)> = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if !rows.is_empty() {
            found.insert(id, rows);
        }
    }
    Ok(found)
}

/// How many conversations are on hold now.
pub fn active_holds(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM archive_holds WHERE released_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// What [`hold`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Held {
    /// The hold is on from now.
    New,
    /// The conversation was already held; the earlier hold stays as it was.
    Already,
    NotFound,
}

/// Puts a conversation on hold: it is not destroyed until the hold is released.
pub fn hold(conn: &mut Connection, id: i64, reason: &str, by: &str) -> Result<Held> {
    let tx = write(conn)?;
    let exists = tx
        .query_row(
            "SELECT 1 FROM conversations WHERE id = ?1",
            [id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !exists {
        return Ok(Held::NotFound);
    }
    let added = tx.execute(
        "INSERT INTO archive_holds (conversation_id, reason, held_by, held_at)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        params![id, reason, by, now()],
    )?;
    tx.commit()?;
    Ok(if added == 1 { Held::New } else { Held::Already })
}

/// A conversation's active hold: why, by whom, since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActiveHold {
    pub reason: String,
    pub held_by: String,
    pub held_at: DateTime<Utc>,
}

/// The conversation's active hold, if any.
pub fn active_hold(conn: &Connection, id: i64) -> Result<Option<ActiveHold>> {
    Ok(conn
        .query_row(
            "SELECT reason, held_by, held_at FROM archive_holds
             WHERE conversation_id = ?1 AND released_at IS NULL",
            [id],
            |r| {
                Ok(ActiveHold {
                    reason: r.get(0)?,
                    held_by: r.get(1)?,
                    held_at: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Releases the active hold; `false` when there was none.
pub fn release(conn: &mut Connection, id: i64, by: &str) -> Result<bool> {
    let tx = write(conn)?;
    let released = tx.execute(
        "UPDATE archive_holds SET released_at = ?2, released_by = ?3
         WHERE conversation_id = ?1 AND released_at IS NULL",
        params![id, now(), by],
    )?;
    tx.commit()?;
    Ok(released > 0)
}

/// One destroyed conversation in the destruction record.
#[derive(Debug, Clone)]
pub struct Destruction {
    pub conversation_id: i64,
    pub channel: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: DateTime<Utc>,
    pub result: String,
    pub result_name: String,
    pub bewaartermijn: String,
    pub term_ended: chrono::NaiveDate,
    pub messages: usize,
    pub destroyed_at: DateTime<Utc>,
    pub list: String,
}

/// Deletes conversations with everything that refers to them; the schema's references are
/// read once per purge.
pub struct Destroyer {
    /// The statements deleting one conversation's rows (`?1` is its id), in order: rows that
    /// refer to its messages, then rows that refer to it, the messages last.
    deletes: Vec<String>,
}

impl Destroyer {
    pub fn new(conn: &Connection) -> Result<Destroyer> {
        let deletes = references(conn)?
            .iter()
            .map(|r| match r.parent.as_str() {
                "messages" => format!(
                    "DELETE FROM \"{}\" WHERE \"{}\" IN
                       (SELECT id FROM messages WHERE conversation_id = ?1)",
                    r.table, r.column
                ),
                _ => format!("DELETE FROM \"{}\" WHERE \"{}\" = ?1", r.table, r.column),
            })
            .collect();
        Ok(Destroyer { deletes })
    }

    /// Deletes the conversation and every row that refers to it or to its messages, and
    /// records the destruction, inside `tx`. Returns the SHA-256 names of the media files its
    /// messages had; the caller removes those files that no other message still uses.
    pub fn destroy(&self, tx: &Transaction<'_>, record: &Destruction) -> Result<Vec<String>> {
        destroy(tx, &self.deletes, record)
    }
}

fn destroy(tx: &Transaction<'_>, deletes: &[String], record: &Destruction) -> Result<Vec<String>> {
    let id = record.conversation_id;
    let media: Vec<String> = tx
        .prepare_cached(
            "SELECT DISTINCT sha256 FROM media WHERE sha256 IS NOT NULL
               AND message_id IN (SELECT id FROM messages WHERE conversation_id = ?1)",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    tx.prepare_cached(
        "DELETE FROM early_statuses WHERE channel_message_id IN
           (SELECT channel_message_id FROM messages
             WHERE conversation_id = ?1 AND channel_message_id IS NOT NULL)",
    )?
    .execute([id])?;
    // The conversation points at one of its own messages (the answer awaiting "ja"/"nee").
    tx.prepare_cached("UPDATE conversations SET feedback_for = NULL WHERE id = ?1")?
        .execute([id])?;
    for sql in deletes {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    tx.prepare_cached("DELETE FROM conversations WHERE id = ?1")?
        .execute([id])?;
    tx.prepare_cached(
        "INSERT INTO archive_destructions (conversation_id, channel, created_at, closed_at,
           result, result_name, bewaartermijn, term_ended, messages, destroyed_at, list)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        id,
        record.channel,
        record.created_at,
        record.closed_at,
        record.result,
        record.result_name,
        record.bewaartermijn,
        record.term_ended.to_string(),
        record.messages as i64,
        record.destroyed_at,
        record.list
    ])?;
    Ok(media)
}

/// Which of these media files no message uses any more.
pub fn unused_media(conn: &Connection, sha256s: &[String]) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM media WHERE sha256 = ?1 LIMIT 1")?;
    let mut unused = Vec::new();
    for sha in sha256s {
        if stmt.query_row([sha], |_| Ok(())).optional()?.is_none() {
            unused.push(sha.clone());
        }
    }
    Ok(unused)
}

/// A foreign key from `table.column` to `parent` (`messages` or `conversations`).
#[derive(Debug, PartialEq, Eq)]
struct Reference {
    table: String,
    column: String,
    parent: String,
}

/// Every foreign key to `messages` or `conversations`, except the messages' own key to their
/// conversation (those rows are deleted through the `messages` pass last) and the
/// conversations' key to a message (cleared before).
fn references(conn: &Connection) -> Result<Vec<Reference>> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    for table in tables {
        if table == "conversations" {
            continue;
        }
        let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))?;
        let keys = stmt
            .query_map([], |r| {
                Ok((r.get::<_, String>("table")?, r.get::<_, String>("from")?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (parent, column) in keys {
            if parent == "messages" || parent == "conversations" {
                found.push(Reference {
                    table: table.clone(),
                    column,
                    parent,
                });
            }
        }
    }
    // Rows that refer to messages go before the messages, and the messages before the
    // conversation; `messages` itself is the last of the conversation's references.
    found.sort_by_key(|r| (r.parent != "messages", r.table == "messages"));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Tables that name a conversation without a foreign key, kept on purpose: the
    /// append-only audit log (no text) and the destruction record itself.
    const KEPT_REFERENCES: &[&str] = &["audit_log", "archive_destructions"];

    #[test]
    fn every_table_naming_a_conversation_or_message_is_covered() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                let covered = references(c)?;
                let tables: Vec<String> = c
                    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                for table in tables {
                    let columns: Vec<String> = c
                        .prepare(&format!("PRAGMA table_info(\"{table}\")"))?
                        .query_map([], |r| r.get("name"))?
                        .collect::<rusqlite::Result<_>>()?;
                    for column in columns {
                        let names_one = column == "conversation_id" || column == "message_id";
                        let has_key = covered
                            .iter()
                            .any(|r| r.table == table && r.column == column);
                        assert!(
                            !names_one || has_key || KEPT_REFERENCES.contains(&table.as_str()),
                            "{table}.{column} names a conversation or message without a foreign \
                             key: make it one, or delete its rows in store::archive::destroy"
                        );
                    }
                }
                let last = covered.last().expect("references");
                assert_eq!(
                    (last.table.as_str(), last.parent.as_str()),
                    ("messages", "conversations")
                );
                Ok(())
            })
            .expect("store calls");
    }
}
