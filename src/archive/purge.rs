//! `vraagbaak archive purge [--as-of DATE] [--dry-run]`: destroys the closed conversations
//! whose retention term ended on or before `as_of`, except those on hold.
//!
//! For every run that destroys something, a vernietigingslijst is written first (see
//! [`super::list`]).
//! The conversations are checked again (still closed at the same time, not held) and deleted in
//! one transaction with `secure_delete` on, so the freed pages are overwritten with zeros; then
//! the write-ahead log is checkpointed and truncated and the database vacuumed, so the text is
//! gone from the files, not only from the tables. Media files no other message uses are
//! removed. Each destroyed conversation is audited.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension};

use super::record::{self, Forward};
use super::{ArchiveError, Result, list};
use crate::channels::whatsapp::media::files::MediaFiles;
use crate::config::{Config, SelectionResult};
use crate::store::archive::{self as store_archive, Destruction};
use crate::store::export::{ExportedConversation, each_selected};
use crate::store::{Store, StoreError, audit, write};

/// A conversation whose term has ended.
#[derive(Debug, Clone)]
pub struct Due {
    pub id: i64,
    pub closed_at: DateTime<Utc>,
    pub result: SelectionResult,
    pub term_ended: NaiveDate,
}

/// What a purge did (or, dry, would do).
#[derive(Debug, Default)]
pub struct Purged {
    pub destroyed: Vec<Destruction>,
    /// The folder of the vernietigingslijst; `None` when nothing was destroyed.
    pub list: Option<PathBuf>,
    /// Conversations on hold, never destroyed.
    pub held: i64,
    pub media_removed: usize,
}

/// The closed, unheld conversations whose term ended on or before `as_of`.
pub fn due(store: &Store, config: &Config, as_of: NaiveDate) -> Result<Vec<Due>> {
    let closed = store.blocking(|c| store_archive::unheld_closed(c))?;
    Ok(closed
        .into_iter()
        .filter_map(|c| {
            let result = config.archive.result_for(&c.labels);
            let term_ended = record::term_end(&result, c.closed_at)?;
            (term_ended <= as_of).then_some(Due {
                id: c.id,
                closed_at: c.closed_at,
                result,
                term_ended,
            })
        })
        .collect())
}

/// Destroys what is due, as described in the module docs. `data_dir` holds the media files
/// (`None` for a store without files); `lists` is where the vernietigingslijst goes.
pub fn purge(
    store: &Store,
    config: &Config,
    data_dir: Option<&Path>,
    lists: &Path,
    as_of: NaiveDate,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Purged> {
    let held = store.blocking(|c| store_archive::active_holds(c))?;
    let due = due(store, config, as_of)?;
    if due.is_empty() {
        return Ok(Purged {
            held,
            ..Purged::default()
        });
    }
    let conversations = read(store, &due)?;
    let list = list::claim_folder(lists, now)?;
    let plan = Plan {
        config,
        due: &due,
        conversations: &conversations,
        list: &list,
        actor,
        now,
    };
    let done =
        store.blocking(|conn| Ok(with_secure_delete(conn, |conn| destroy_in_tx(conn, &plan))));
    if !matches!(done, Ok(Ok(_))) {
        // Removes the folder only while it is empty: a list that was written stays.
        let _ = std::fs::remove_dir(&list);
    }
    let (destroyed, media) = done??;
    let media_removed = match data_dir {
        Some(dir) => remove_unused_media(store, dir, &media)?,
        None => 0,
    };
    store.blocking(compact)?;
    tracing::info!(
        destroyed = destroyed.len(),
        held,
        media_removed,
        "archive: purge done"
    );
    Ok(Purged {
        list: (!destroyed.is_empty()).then_some(list),
        destroyed,
        held,
        media_removed,
    })
}

/// The due conversations as exported, with their forwards, in one snapshot.
fn read(store: &Store, due: &[Due]) -> Result<Read> {
    let ids: Vec<i64> = due.iter().map(|d| d.id).collect();
    let forwards = std::cell::RefCell::new(HashMap::new());
    let mut found = HashMap::new();
    store.blocking(|conn| {
        each_selected(
            conn,
            |c| {
                *forwards.borrow_mut() = store_archive::forwards(c, &ids)?;
                Ok(ids.clone())
            },
            |conversation| -> Result<(), StoreError> {
                let f = forwards
                    .borrow_mut()
                    .remove(&conversation.id)
                    .unwrap_or_default();
                let f = f
                    .into_iter()
                    .map(|(at, team)| Forward { at, team })
                    .collect();
                found.insert(conversation.id, (conversation, f));
                Ok(())
            },
        )
    })?;
    Ok(found)
}

/// The conversations due, read before the purge's transaction, with their forwards.
type Read = HashMap<i64, (ExportedConversation, Vec<Forward>)>;

/// Runs `f` with `secure_delete` on, so SQLite overwrites freed content with zeros; the
/// connection's setting is restored afterwards.
fn with_secure_delete<T>(
    conn: &mut Connection,
    f: impl FnOnce(&mut Connection) -> Result<T>,
) -> Result<T> {
    let secure: i64 = conn
        .query_row("PRAGMA secure_delete", [], |r| r.get(0))
        .map_err(StoreError::from)?;
    conn.execute_batch("PRAGMA secure_delete = ON")
        .map_err(StoreError::from)?;
    let done = f(conn);
    let restore = format!("PRAGMA secure_delete = {secure}");
    conn.execute_batch(&restore).map_err(StoreError::from)?;
    done
}

/// What a purge destroys, and how it records it.
struct Plan<'a> {
    config: &'a Config,
    due: &'a [Due],
    conversations: &'a Read,
    /// The folder of the vernietigingslijst.
    list: &'a Path,
    actor: &'a str,
    now: DateTime<Utc>,
}

/// In one transaction: checks each due conversation again, writes the vernietigingslijst for
/// those still due, deletes and audits them, and commits only when the list is on disk.
fn destroy_in_tx(
    conn: &mut Connection,
    plan: &Plan<'_>,
) -> Result<(Vec<Destruction>, Vec<String>)> {
    let Plan {
        config,
        due,
        conversations,
        list,
        actor,
        now,
    } = *plan;
    let destroyer = store_archive::Destroyer::new(conn)?;
    let tx = write(conn)?;
    let mut destroyed = Vec::new();
    let mut media = Vec::new();
    let mut records = Vec::new();
    for d in due {
        let Some((c, forwards)) = conversations.get(&d.id) else {
            continue;
        };
        if !still_due(&tx, d)? {
            continue;
        }
        let record = Destruction {
            conversation_id: d.id,
            channel: c.channel.clone(),
            created_at: c.created_at,
            closed_at: d.closed_at,
            result: d.result.result.clone(),
            result_name: d.result.name.clone(),
            bewaartermijn: d.result.bewaartermijn.to_string(),
            term_ended: d.term_ended,
            messages: c.messages.len(),
            destroyed_at: now,
            list: list.display().to_string(),
        };
        media.extend(destroyer.destroy(&tx, &record)?);
        let detail = format!(
            "resultaat {}, bewaartermijn {} verstreken op {}",
            record.result, record.bewaartermijn, record.term_ended
        );
        audit::record_in(&tx, actor, "archive.destroy", Some(d.id), &detail)?;
        let mut object = record::informatieobject(config, c, forwards, &[]);
        object
            .events
            .push(record::destruction(now, &d.result, d.term_ended));
        records.push((d.id, object));
        destroyed.push(record);
    }
    if destroyed.is_empty() {
        let _ = std::fs::remove_dir(list);
        return Ok((destroyed, media));
    }
    let summary = format!("{} conversations; list {}", destroyed.len(), list.display());
    audit::record_in(&tx, actor, "archive.purge", None, &summary)?;
    let written = list::write(list, &destroyed, &records)
        .and_then(|()| tx.commit().map_err(|err| ArchiveError::Store(err.into())));
    if let Err(err) = written {
        // Nothing was destroyed: no list may say it was.
        let _ = std::fs::remove_dir_all(list);
        return Err(err);
    }
    Ok((destroyed, media))
}

/// Still closed at the same moment and not held since the list was made.
fn still_due(conn: &Connection, d: &Due) -> Result<bool> {
    let closed_at: Option<DateTime<Utc>> = conn
        .query_row(
            "SELECT closed_at FROM conversations c WHERE id = ?1 AND status = 'closed'
               AND NOT EXISTS (SELECT 1 FROM archive_holds h
                               WHERE h.conversation_id = c.id AND h.released_at IS NULL)",
            [d.id],
            |r| r.get(0),
        )
        .optional()
        .map_err(StoreError::from)?
        .flatten();
    Ok(closed_at == Some(d.closed_at))
}

/// Removes the media files of destroyed messages that no other message uses.
fn remove_unused_media(store: &Store, data_dir: &Path, sha256s: &[String]) -> Result<usize> {
    let unused = store.blocking(|c| store_archive::unused_media(c, sha256s))?;
    let files = MediaFiles::new(data_dir);
    let mut removed = 0;
    for sha in &unused {
        let Some(path) = files.path(sha) else {
            continue;
        };
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(ArchiveError::Write { path, source }),
        }
    }
    Ok(removed)
}

/// Empties the write-ahead log into the database file, rewrites the file without free pages,
/// and empties the log again: old page images of destroyed rows lived in both.
fn compact(conn: &mut Connection) -> Result<(), StoreError> {
    let checkpoint = |conn: &Connection| -> Result<(), StoreError> {
        let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            tracing::warn!("archive: a reader kept the write-ahead log from being emptied");
        }
        Ok(())
    };
    checkpoint(conn)?;
    conn.execute_batch("VACUUM")?;
    checkpoint(conn)
}

/// The as-of date when none is given: today in the Netherlands.
pub fn today() -> NaiveDate {
    super::local_date(Utc::now())
}
