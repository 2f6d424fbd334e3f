//! The SQLite store: conversations, messages, users, sessions, API keys, the audit log and
//! the revision history of the knowledge base.
//!
//! One connection, owned by a [`Store`] handle that can be cloned freely. Async code runs its
//! SQL on tokio's blocking pool with [`Store::call`]; the command line uses
//! [`Store::blocking`]. Every write happens in a `BEGIN IMMEDIATE` transaction, and the
//! database runs in WAL mode with `synchronous=FULL`, so a write that returned has reached
//! the disk and survives `kill -9` and power loss.
//!
//! # Layout
//!
//! ```text
//! migrations/*.sql  versioned schema, applied in order at open (PRAGMA user_version)
//! users.rs          users, sessions, API keys
//! conversations.rs  conversations, messages, labels; what agents do with them
//! inbound.rs        storing a resident message with its suggestions and the bot's response
//! responses.rs      the bot's response, applied with the message
//! revisions.rs      the history of knowledge-base articles: every save with its full text
//! usage.rs          what agents did with the knowledge base per reply; usage per article
//! proposals.rs      example questions and changes proposed for articles: the review queue
//! statuses.rs       delivery statuses from the channel, forward only
//! updates.rs        residents' reactions, edits and revokes of earlier messages
//! inbox.rs          the agents' inbox: visibility, filters, order
//! media.rs          residents' photos and files: download queue and what was stored
//! outbox.rs         replies waiting for a channel, retried with backoff
//! held.rs           answers held until the resident reopens WhatsApp's window; templates
//! export.rs         every conversation with its messages, for the archive export
//! gaps.rs           resident messages the knowledge base did not answer; dismissed ones
//! archive.rs        retention: closing times, holds, destroying a conversation everywhere
//! details.rs        what is shown around a message (forwarded, ad, tapped button), as JSON
//! numbers.rs        system messages about a resident: a new number, a new security code
//! echoes.rs         messages sent from another app on our WhatsApp number
//! marketing.rs      residents' marketing opt-outs
//! audit.rs          the append-only audit log
//! reports/          team leads' reports, from facts the 0015 triggers keep
//! generate.rs       synthetic traffic for benches and demos
//! ```

pub mod archive;
pub mod audit;
pub mod conversations;
pub mod details;
pub mod echoes;
pub mod export;
pub mod gaps;
pub mod generate;
pub mod held;
pub mod inbound;
pub mod inbox;
pub mod marketing;
pub mod media;
pub mod numbers;
pub mod outbox;
pub mod proposals;
pub mod reports;
pub mod responses;
pub mod revisions;
pub mod scopes;
pub mod statuses;
pub mod updates;
pub mod usage;
pub mod users;

#[cfg(test)]
mod teamleider_migration;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// The schema, one SQL file per version. Never edit a released file; add the next one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_channels_bot_privacy.sql"),
    include_str!("migrations/0003_owed_reply.sql"),
    include_str!("migrations/0004_payload_kinds.sql"),
    include_str!("migrations/0005_reactions_edits.sql"),
    include_str!("migrations/0006_reopen_window.sql"),
    include_str!("migrations/0007_media.sql"),
    include_str!("migrations/0008_author_label.sql"),
    include_str!("migrations/0009_bot_offer.sql"),
    include_str!("migrations/0010_kb_revisions.sql"),
    include_str!("migrations/0011_api_key_scopes.sql"),
    include_str!("migrations/0012_usage.sql"),
    include_str!("migrations/0013_gaps.sql"),
    include_str!("migrations/0014_archive.sql"),
    include_str!("migrations/0015_reports.sql"),
    include_str!("migrations/0016_teamleider.sql"),
    include_str!("migrations/0017_offer_answers.sql"),
    include_str!("migrations/0018_not_answered_proposals.sql"),
    include_str!("migrations/0019_offer_reports.sql"),
];

/// How often the write-ahead log is checkpointed into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_secs(2);

/// The database file inside the data directory.
pub const DATABASE_FILE: &str = "vraagbaak.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migration {version} failed: {source}")]
    Migration {
        version: usize,
        source: rusqlite::Error,
    },
    #[error("the database is at schema version {found}, newer than this vraagbaak ({known})")]
    TooNew { found: usize, known: usize },
    #[error("the database worker stopped: {0}")]
    Worker(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A cloneable handle to the one database connection.
#[derive(Clone)]
pub struct Store {
    conn: Arc<Mutex<Connection>>,
}

impl Store {
    /// Opens (or creates) `data_dir/vraagbaak.sqlite3` and brings its schema up to date.
    pub fn open(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let path = data_dir.join(DATABASE_FILE);
        let store = Store::init(Connection::open(&path)?)?;
        store.start_checkpointer(path);
        Ok(store)
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store> {
        conn.busy_timeout(Duration::from_secs(5))?;
        // journal_mode answers with a row, so it is read rather than executed.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        // Checkpoints (copying the log into the database file, with an fsync) run on their
        // own connection (see `start_checkpointer`), not inside a resident's request.
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 0;",
        )?;
        migrate(&mut conn)?;
        Ok(Store {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Copies the write-ahead log into the database file every few seconds from a thread of
    /// its own. A passive checkpoint never blocks the writer, so a slow disk delays this
    /// thread rather than an acknowledgement. (Left to SQLite, the checkpoint would run inside
    /// whichever commit crossed 1000 pages: on the 2-core test VM that put 100–300 ms stalls
    /// into the p99 of inbound messages.) The thread ends when the store is dropped.
    fn start_checkpointer(&self, path: PathBuf) {
        let store = Arc::downgrade(&self.conn);
        let spawned = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || {
                let conn = match Connection::open(&path) {
                    Ok(conn) => conn,
                    Err(err) => {
                        tracing::error!(error = %err, "checkpointer cannot open the database");
                        return;
                    }
                };
                let _ = conn.busy_timeout(Duration::from_secs(5));
                while store.strong_count() > 0 {
                    std::thread::sleep(CHECKPOINT_EVERY);
                    let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                    if let Err(err) = done {
                        tracing::warn!(error = %err, "checkpoint failed; retrying");
                    }
                }
            });
        if let Err(err) = spawned {
            tracing::error!(error = %err, "cannot start the checkpointer");
        }
    }

    /// Runs `f` with the connection on tokio's blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.blocking(f))
            .await
            .map_err(|err| StoreError::Worker(crate::task::stopped(&err).into()))?
    }

    /// Runs `f` with the connection on the current thread.
    pub fn blocking<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        let mut conn = self
            .conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn)
    }

    /// Checkpoints the WAL into the main file; called at shutdown so the data directory is a
    /// single consistent file afterwards.
    pub fn close(&self) -> Result<()> {
        self.blocking(|conn| {
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })
    }
}

/// Starts a write transaction that takes the write lock at once (`BEGIN IMMEDIATE`), so two
/// writers never deadlock upgrading a read lock.
pub fn write(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let current = usize::try_from(current).unwrap_or(0);
    if current > MIGRATIONS.len() {
        return Err(StoreError::TooNew {
            found: current,
            known: MIGRATIONS.len(),
        });
    }
    // A migration that rebuilds a table (new, copy, drop, rename) must run with foreign keys
    // off: dropping the old table would otherwise fail or break its children. The pragma is a
    // no-op inside a transaction, so it is switched around the loop, and every migration
    // proves with `foreign_key_check` that it left no dangling reference before committing.
    conn.execute_batch("PRAGMA foreign_keys = OFF;")?;
    let migrated = (current..MIGRATIONS.len()).try_for_each(|i| apply_migration(conn, i + 1));
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    migrated
}

fn apply_migration(conn: &mut Connection, version: usize) -> Result<()> {
    let tx = write(conn)?;
    tx.execute_batch(MIGRATIONS[version - 1])
        .and_then(|()| foreign_keys_hold(&tx))
        .and_then(|()| tx.pragma_update(None, "user_version", version as i64))
        .map_err(|source| StoreError::Migration { version, source })?;
    tx.commit()?;
    Ok(())
}

/// Fails naming the first row whose foreign key points at nothing.
fn foreign_keys_hold(conn: &Connection) -> rusqlite::Result<()> {
    let dangling: Option<(String, Option<i64>, String)> = conn
        .query_row("PRAGMA foreign_key_check", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    match dangling {
        None => Ok(()),
        Some((table, rowid, parent)) => Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
            Some(format!(
                "{table} row {} points at a missing {parent}",
                rowid.unwrap_or_default()
            )),
        )),
    }
}

/// The current time as stored: UTC with milliseconds.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DurationRound::duration_trunc(now, chrono::TimeDelta::milliseconds(1)).unwrap_or(now)
}

/// For tests of a migration: the schema as an older database has it, the migrations before
/// the one whose SQL contains `marker` applied and recorded as its version. Returns that
/// migration's index in [`MIGRATIONS`].
#[cfg(test)]
pub(crate) fn migrate_up_to(conn: &mut Connection, marker: &str) -> usize {
    let at = (MIGRATIONS.iter())
        .position(|sql| sql.contains(marker))
        .expect("the migration is registered");
    let tx = conn.transaction().expect("tx");
    for sql in &MIGRATIONS[..at] {
        tx.execute_batch(sql).expect("older migration");
    }
    tx.pragma_update(None, "user_version", at as i64)
        .expect("version");
    tx.commit().expect("commit");
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_reopen_cleanly() {
        let dir = tempfile::tempdir().expect("tempdir");
        Store::open(dir.path()).expect("first open");
        let store = Store::open(dir.path()).expect("second open");
        let version: i64 = store
            .blocking(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
            .expect("version");
        assert_eq!(version as usize, MIGRATIONS.len());
        let mode: String = store
            .blocking(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
            .expect("mode");
        assert_eq!(mode, "wal");
    }
}
