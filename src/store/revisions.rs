//! The revision history of knowledge-base articles: every save with its author, time,
//! comment and full text. The files under `kb/` stay the source of truth; this is their
//! history, so an editor can compare and restore versions. Append-only: triggers in the
//! schema refuse every UPDATE and DELETE.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, now, write};

/// The author of a change that was made to the file on disk, seen by the watcher.
pub const FILE_AUTHOR: &str = "bestand";

/// What the revision made of the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// In the knowledge base and suggested.
    Published,
    /// A concept: stored here, not in the knowledge base, not suggested.
    Draft,
    /// Moved out of the knowledge base; the history stays.
    Archived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Draft => "draft",
            Status::Archived => "archived",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown revision status `{0}`: expected published, draft or archived")]
pub struct UnknownStatus(String);

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "published" => Ok(Status::Published),
            "draft" => Ok(Status::Draft),
            "archived" => Ok(Status::Archived),
            other => Err(UnknownStatus(other.to_string())),
        }
    }
}

impl ToSql for Status {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for Status {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|err| FromSqlError::Other(Box::new(err)))
    }
}

/// A revision to record.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    pub article_id: &'a str,
    /// Hex SHA-256 of the text (`kb::write::version`).
    pub version: &'a str,
    /// The editor's name, or [`FILE_AUTHOR`].
    pub author: &'a str,
    pub comment: &'a str,
    pub source: &'a str,
    pub status: Status,
}

/// One revision in a history list, without its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    pub id: i64,
    pub article_id: String,
    pub version: String,
    pub author: String,
    pub at: DateTime<Utc>,
    pub comment: String,
    pub status: Status,
}

const SUMMARY_COLUMNS: &str = "id, article_id, version, author, at, comment, status";

/// Appends a revision and returns its id.
pub fn record(conn: &mut Connection, revision: &NewRevision<'_>) -> Result<i64> {
    let tx = write(conn)?;
    tx.prepare_cached(
        "INSERT INTO kb_revisions (article_id, version, author, at, comment, source, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        revision.article_id,
        revision.version,
        revision.author,
        now(),
        revision.comment,
        revision.source,
        revision.status,
    ])?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok(id)
}

/// The article's revisions, newest first.
pub fn list(conn: &Connection, article_id: &str) -> Result<Vec<Revision>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM kb_revisions WHERE article_id = ?1 ORDER BY id DESC"
    ))?;
    let rows = stmt
        .query_map([article_id], revision_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The newest revision of the article, if it has any.
pub fn latest(conn: &Connection, article_id: &str) -> Result<Option<Revision>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM kb_revisions WHERE article_id = ?1
             ORDER BY id DESC LIMIT 1"
        ))?
        .query_row([article_id], revision_from_row)
        .optional()?)
}

/// The full text of revision `id` of the article; `None` when the article has no such
/// revision.
pub fn source(conn: &Connection, article_id: &str, id: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT source FROM kb_revisions WHERE article_id = ?1 AND id = ?2")?
        .query_row(params![article_id, id], |r| r.get(0))
        .optional()?)
}

/// Every article's newest revision, keyed by article id.
pub fn newest(conn: &Connection) -> Result<HashMap<String, Revision>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM kb_revisions
         WHERE id IN (SELECT max(id) FROM kb_revisions GROUP BY article_id)"
    ))?;
    let rows = stmt
        .query_map([], revision_from_row)?
        .map(|r| r.map(|r| (r.article_id.clone(), r)))
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The articles whose newest revision is a draft: new concepts and pending changes, newest
/// first.
pub fn drafts(conn: &Connection) -> Result<Vec<Revision>> {
    let mut drafts: Vec<Revision> = newest(conn)?
        .into_values()
        .filter(|r| r.status == Status::Draft)
        .collect();
    drafts.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok(drafts)
}

fn revision_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Revision> {
    Ok(Revision {
        id: r.get("id")?,
        article_id: r.get("article_id")?,
        version: r.get("version")?,
        author: r.get("author")?,
        at: r.get("at")?,
        comment: r.get("comment")?,
        status: r.get("status")?,
    })
}
