//! Saving articles: validated with the rules of `kb check`, written atomically, and refused
//! when the file changed since the editor opened it.
//!
//! An article's **version** is the hex SHA-256 of its file's bytes. A caller says what it
//! expects on disk ([`Expected::New`] or the version it read); a save over anything else is
//! [`WriteError::Stale`], with a diff from the current file to the proposed text, and nothing
//! is written. Saves within one process are serialised, so check-then-write cannot interleave.
//!
//! **Archive.** [`archive`] moves `kb/<category>/<id>.md` to `kb/.archive/<category>/<id>.md`
//! (`<id>~2.md`, … when that name is taken). The loader skips hidden entries, so an archived
//! article is never loaded or suggested, while it stays in the same file system (an atomic
//! rename) and in the same git repository as the rest of the knowledge base. Archived ids
//! are never given to new articles, so a revision history keeps meaning one article.
//!
//! # Layout
//!
//! ```text
//! write.rs         save, archive, versions, stale diffs
//! write/atomic.rs  temp file + fsync + rename + directory fsync
//! write/question.rs example questions added to or dropped from the front matter, the rest kept
//! write/slug.rs    ids for new articles from their titles
//! ```

mod atomic;
mod question;
mod slug;

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use sha2::{Digest, Sha256};
use similar::TextDiff;

pub use question::{QuestionList, with_listed, without_questions};
pub use slug::{MAX_SLUG_CHARS, slug, unique_slug};

use super::load::{category_dirs, duplicate_id};
use super::parse::{first_tag, is_kebab_case};
use super::{Problem, parse_article};

/// The hidden directory inside the knowledge base that archived articles move to.
pub const ARCHIVE_DIR: &str = ".archive";

/// Serialises saves and archives in this process: the version check and the write are one step.
static WRITING: Mutex<()> = Mutex::new(());

/// What the caller believes is on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The article must not exist yet.
    New,
    /// The file must still have this version (as returned by [`version`]).
    Version(String),
}

/// A save that reached the disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub id: String,
    pub path: PathBuf,
    /// The version of the file now on disk.
    pub version: String,
    /// Whether the article did not exist before.
    pub created: bool,
    /// The previous path when the first tag (the category) changed.
    pub moved_from: Option<PathBuf>,
}

/// An article that was moved out of the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub id: String,
    /// Where the file is now, under [`ARCHIVE_DIR`].
    pub path: PathBuf,
    /// The version the file had, for the revision history.
    pub version: String,
    /// The archived text.
    pub source: String,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The proposed text breaks the rules of `kb check`; nothing was written.
    #[error("the article has {} problem(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<Problem>),
    /// The file on disk is not the version the caller expected; nothing was written.
    #[error(
        "article `{id}` was changed since it was opened ({})",
        now_on_disk(current)
    )]
    Stale {
        id: String,
        /// The version on disk now; empty when the article does not exist (any more).
        current: String,
        /// Unified diff from the file on disk to the proposed text (empty for [`archive`]).
        diff: String,
    },
    /// `archive` of an article that does not exist.
    #[error("there is no article `{0}`")]
    NotFound(String),
    #[error("cannot write the knowledge base at {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn now_on_disk(version: &str) -> String {
    if version.is_empty() {
        "it no longer exists".to_string()
    } else {
        format!("now version {version}")
    }
}

/// The version of a file: hex SHA-256 of its bytes.
pub fn version(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Writes `source` as article `id` to `kb_dir/<first tag>/<id>.md` if the file on disk is
/// what `expected` says ([`WriteError::Stale`] otherwise) and the text passes the rules of
/// `kb check` ([`WriteError::Invalid`] otherwise). A changed first tag moves the file: the new path is
/// durable before the old one is removed.
pub fn save(
    kb_dir: &Path,
    id: &str,
    source: &str,
    expected: Expected,
) -> Result<Saved, WriteError> {
    let _writing = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let (current, path) = prepare(kb_dir, id, source, &expected)?;
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    atomic::replace(&path, source.as_bytes()).map_err(io_error(&path))?;
    let moved_from = match current.as_ref() {
        Some(old) if old.path != path => {
            atomic::remove(&old.path).map_err(io_error(&old.path))?;
            Some(old.path.clone())
        }
        _ => None,
    };
    Ok(Saved {
        id: id.to_string(),
        path,
        version: version(source.as_bytes()),
        created: current.is_none(),
        moved_from,
    })
}

/// Checks what [`save`] checks, without writing: the id, the version on disk and the rules
/// of `kb check`. Returns the version `source` would have and whether the article is new.
/// What a draft goes through.
pub fn check(
    kb_dir: &Path,
    id: &str,
    source: &str,
    expected: &Expected,
) -> Result<(String, bool), WriteError> {
    let (current, _) = prepare(kb_dir, id, source, expected)?;
    Ok((version(source.as_bytes()), current.is_none()))
}

/// The file on disk now and the path `source` belongs at, once the save is allowed.
fn prepare(
    kb_dir: &Path,
    id: &str,
    source: &str,
    expected: &Expected,
) -> Result<(Option<Current>, PathBuf), WriteError> {
    check_id(kb_dir, id)?;
    let current = current_file(kb_dir, id)?;
    let category = first_tag(source)
        .or_else(|| current.as_ref().and_then(|c| category_of(&c.path)))
        .unwrap_or_default();
    let path = kb_dir.join(&category).join(format!("{id}.md"));
    // The precondition first, as HTTP evaluates `If-Match` before the body: an editor with a
    // stale copy hears that before anything about their text.
    check_expected(id, current.as_ref(), expected, source)?;
    parse_article(&path, source).map_err(WriteError::Invalid)?;
    Ok((current, path))
}

/// Moves article `id` to the archive if the file on disk has version `expected`.
pub fn archive(kb_dir: &Path, id: &str, expected: &str) -> Result<Archived, WriteError> {
    let _writing = WRITING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    check_id(kb_dir, id)?;
    let Some(current) = current_file(kb_dir, id)? else {
        return Err(WriteError::NotFound(id.to_string()));
    };
    if current.version != expected {
        return Err(WriteError::Stale {
            id: id.to_string(),
            current: current.version,
            diff: String::new(),
        });
    }
    let category = category_of(&current.path).unwrap_or_default();
    let dir = kb_dir.join(ARCHIVE_DIR).join(category);
    let target = (1..)
        .map(|n| match n {
            1 => dir.join(format!("{id}.md")),
            n => dir.join(format!("{id}~{n}.md")),
        })
        .find(|candidate| !candidate.exists())
        .unwrap_or_else(|| dir.join(format!("{id}.md")));
    atomic::rename(&current.path, &target).map_err(|source| WriteError::Io {
        path: current.path.clone(),
        source,
    })?;
    Ok(Archived {
        id: id.to_string(),
        path: target,
        version: current.version,
        source: current.source,
    })
}

/// An id for a new article titled `title`: its [`slug`], made unique against every article
/// in the knowledge base and in its archive.
pub fn new_id(kb_dir: &Path, title: &str) -> Result<String, WriteError> {
    let mut dirs = categories(kb_dir)?;
    dirs.extend(categories(&kb_dir.join(ARCHIVE_DIR)).unwrap_or_default());
    Ok(unique_slug(title, |candidate| {
        dirs.iter()
            .any(|dir| dir.join(format!("{candidate}.md")).is_file())
    }))
}

/// An article's file as it is on disk now: what an editor opens, with the version to send
/// back when saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Current {
    pub path: PathBuf,
    pub source: String,
    pub version: String,
}

/// Article `id` as it is on disk now, or `None` when there is no such article.
pub fn read(kb_dir: &Path, id: &str) -> Result<Option<Current>, WriteError> {
    check_id(kb_dir, id)?;
    current_file(kb_dir, id)
}

/// Refuses ids that are not kebab-case before any path is made from them.
fn check_id(kb_dir: &Path, id: &str) -> Result<(), WriteError> {
    // The loader skips README.md in any letter case, so `readme` could never be loaded.
    if is_kebab_case(id) && id != "readme" {
        return Ok(());
    }
    Err(WriteError::Invalid(vec![Problem::new(
        kb_dir,
        0,
        format!(
            "article id `{id}` must be lowercase kebab-case (a-z, 0-9 and single hyphens) and not `readme`"
        ),
    )]))
}

fn categories(kb_dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    category_dirs(kb_dir).map_err(|source| WriteError::Io {
        path: kb_dir.to_path_buf(),
        source,
    })
}

/// Article `id`'s file, found by looking for `<id>.md` in every category directory (a few
/// dozen lookups rather than listing thousands of files). Two files with the id break the
/// knowledge base's unique-id rule: that problem comes back as `kb check` words it.
fn current_file(kb_dir: &Path, id: &str) -> Result<Option<Current>, WriteError> {
    let paths: Vec<PathBuf> = categories(kb_dir)?
        .into_iter()
        .map(|dir| dir.join(format!("{id}.md")))
        .filter(|path| path.is_file())
        .collect();
    let Some((path, more)) = paths.split_first() else {
        return Ok(None);
    };
    let seen = HashMap::from([(id.to_string(), path.clone())]);
    let duplicates: Vec<Problem> = more
        .iter()
        .filter_map(|other| duplicate_id(&seen, id, other))
        .collect();
    if !duplicates.is_empty() {
        return Err(WriteError::Invalid(duplicates));
    }
    let bytes = fs::read(path).map_err(|source| WriteError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(Some(Current {
        version: version(&bytes),
        source: String::from_utf8_lossy(&bytes).into_owned(),
        path: path.clone(),
    }))
}

fn check_expected(
    id: &str,
    current: Option<&Current>,
    expected: &Expected,
    proposed: &str,
) -> Result<(), WriteError> {
    let matches = match (current, expected) {
        (None, Expected::New) => true,
        (Some(current), Expected::Version(v)) => current.version == *v,
        _ => false,
    };
    if matches {
        return Ok(());
    }
    let (version, text) = current.map_or(("", ""), |c| (c.version.as_str(), c.source.as_str()));
    Err(WriteError::Stale {
        id: id.to_string(),
        current: version.to_string(),
        diff: diff(text, proposed),
    })
}

/// Unified diff, three lines of context, from the file on disk to the proposed text.
pub fn diff(current: &str, proposed: &str) -> String {
    TextDiff::from_lines(current, proposed)
        .unified_diff()
        .context_radius(3)
        .header("op schijf", "uw versie")
        .to_string()
}

fn category_of(path: &Path) -> Option<String> {
    path.parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .map(ToString::to_string)
}
