//! Editing the knowledge base from the dashboard and the API: every change is validated with
//! the rules of `kb check`, written to `kb/` atomically, recorded as a revision, and in the
//! live index before the call returns: a saved article is put in place in the index
//! ([`crate::search::Engine::article_saved`]), and the exact rebuild follows in the background.
//!
//! Files stay the source of truth. A **draft** (concept) is a revision only: it is validated
//! and kept in the history, but not written to `kb/` and not suggested, until it is saved
//! again as published. Changes made to the files by other means (git, a text editor) are
//! recorded as revisions by "bestand" when the watcher sees them ([`Chat::record_file_changes`]).
//!
//! All edits in this process take one lock, so a save and its revision are not split by the
//! watcher's scan (which would record the editor's save as "bestand").

use std::collections::HashSet;
use std::path::Path;

use tokio::sync::Mutex;

use super::privacy::{self, Kind, Masking};
use super::service::Chat;
use crate::kb::Problem;
use crate::kb::write::{self, Expected, WriteError};
use crate::search::{ReloadReport, SearchError};
use crate::store::StoreError;
use crate::store::revisions::{self, FILE_AUTHOR, NewRevision, Revision, Status};

/// One edit at a time in this process: file, revision and index change together.
static EDITING: Mutex<()> = Mutex::const_new(());

/// A save as the editor (or API client) asks for it.
#[derive(Debug, Clone)]
pub struct Edit<'a> {
    pub id: &'a str,
    /// The whole file text: `+++` TOML front matter `+++` Markdown answer.
    pub source: &'a str,
    /// [`Expected::New`], or the version the editor opened.
    pub expected: Expected,
    /// A user name, or `api:<key name>`.
    pub author: &'a str,
    pub comment: &'a str,
    /// A concept: validated and kept as a revision, not written to `kb/`, not suggested.
    pub draft: bool,
}

/// What an edit did.
#[derive(Debug, Clone)]
pub struct Edited {
    pub id: String,
    /// The version of the text saved (for a published save, the file now on disk).
    pub version: String,
    /// The article had no file before.
    pub created: bool,
    /// The revision recorded; `None` when nothing changed (a question the article had).
    pub revision: Option<i64>,
    pub draft: bool,
    /// The reload after a published save or archive: the index now in service, or why the
    /// knowledge base as a whole was refused (the article itself was valid and is on disk).
    pub reload: Option<Result<ReloadReport, Vec<String>>>,
}

/// An article as an editor opens it.
#[derive(Debug, Clone)]
pub struct OpenArticle {
    pub id: String,
    /// The file's text and version; `None` for an article that only exists as a draft.
    pub file: Option<write::Current>,
    /// The newest revision when it is a draft, with its text.
    pub draft: Option<(Revision, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The text breaks the rules of `kb check`; nothing was written.
    #[error("the article has {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    /// The article changed since the editor opened it; nothing was written.
    #[error("the article was changed since it was opened")]
    Stale {
        /// The version now on disk; empty when the article has no file (any more).
        current: String,
        /// Unified diff from the file on disk to the proposed text.
        diff: String,
    },
    #[error("there is no such article or revision")]
    NotFound,
    #[error("cannot write the knowledge base: {0}")]
    Io(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<WriteError> for EditError {
    fn from(err: WriteError) -> Self {
        match err {
            WriteError::Invalid(problems) => EditError::Invalid(problems),
            WriteError::Stale { current, diff, .. } => EditError::Stale { current, diff },
            WriteError::NotFound(_) => EditError::NotFound,
            err @ WriteError::Io { .. } => EditError::Io(err.to_string()),
        }
    }
}

/// Masks personal data completely (no digits left visible) in text that becomes content.
fn content_masking() -> Masking {
    Masking {
        keep_last: 0,
        mask_low_certainty: true,
        kinds: vec![Kind::Bsn, Kind::Iban, Kind::BirthDate, Kind::Address],
    }
}

impl Chat {
    fn kb_dir(&self) -> &Path {
        self.engine.kb_dir()
    }

    /// Saves an article: validated, written atomically, recorded, and in the live index when
    /// this returns. A draft is validated and recorded only.
    pub async fn save_article(&self, edit: Edit<'_>) -> Result<Edited, EditError> {
        let _editing = EDITING.lock().await;
        self.save_locked(edit).await
    }

    async fn save_locked(&self, edit: Edit<'_>) -> Result<Edited, EditError> {
        let kb_dir = self.kb_dir().to_path_buf();
        let (id, source, expected) = (
            edit.id.to_string(),
            edit.source.to_string(),
            edit.expected.clone(),
        );
        let (version, created, saved) = if edit.draft {
            let (version, created) =
                blocking(move || write::check(&kb_dir, &id, &source, &expected)).await??;
            (version, created, None)
        } else {
            let previous = match &expected {
                Expected::Version(version) => Some(version.clone()),
                Expected::New => None,
            };
            let saved = blocking(move || write::save(&kb_dir, &id, &source, expected)).await??;
            (
                saved.version.clone(),
                saved.created,
                Some((saved, previous)),
            )
        };
        let status = if edit.draft {
            Status::Draft
        } else {
            Status::Published
        };
        let revision = self
            .record_revision(
                edit.id,
                &version,
                edit.author,
                edit.comment,
                edit.source,
                status,
            )
            .await?;
        tracing::info!(
            article = edit.id,
            revision,
            draft = edit.draft,
            created,
            "article saved"
        );
        let reload = match saved {
            Some((saved, previous)) => Some(self.put_live(saved, previous).await),
            None => None,
        };
        Ok(Edited {
            id: edit.id.to_string(),
            version,
            created,
            revision: Some(revision),
            draft: edit.draft,
            reload,
        })
    }

    /// Adds `question` (masked) to the article's example questions as a new revision. An
    /// article that already has the question is left as it is (`revision: None`).
    pub async fn add_question(
        &self,
        id: &str,
        question: &str,
        author: &str,
        comment: &str,
    ) -> Result<Edited, EditError> {
        (self.add_listed(
            id,
            write::QuestionList::Questions,
            question,
            author,
            comment,
        ))
        .await
    }

    /// [`Chat::add_question`] for either of the article's question lists. A question in both
    /// is refused by validation, as in `kb check`.
    pub async fn add_listed(
        &self,
        id: &str,
        list: write::QuestionList,
        question: &str,
        author: &str,
        comment: &str,
    ) -> Result<Edited, EditError> {
        let _editing = EDITING.lock().await;
        let kb_dir = self.kb_dir().to_path_buf();
        let owned_id = id.to_string();
        let current = blocking(move || write::read(&kb_dir, &owned_id))
            .await??
            .ok_or(EditError::NotFound)?;
        let question = privacy::screen(question, &content_masking()).text;
        let added = write::with_listed(&current.path, &current.source, list, &question)
            .map_err(|problem| EditError::Invalid(vec![problem]))?;
        let Some(source) = added else {
            return Ok(Edited {
                id: id.to_string(),
                version: current.version,
                created: false,
                revision: None,
                draft: false,
                reload: None,
            });
        };
        self.save_locked(Edit {
            id,
            source: &source,
            expected: Expected::Version(current.version),
            author,
            comment,
            draft: false,
        })
        .await
    }

    /// Moves the article to `kb/.archive` if its file still has version `expected`; it is no
    /// longer suggested, and its history stays.
    pub async fn archive_article(
        &self,
        id: &str,
        expected: &str,
        author: &str,
        comment: &str,
    ) -> Result<Edited, EditError> {
        let _editing = EDITING.lock().await;
        let kb_dir = self.kb_dir().to_path_buf();
        let (owned_id, expected) = (id.to_string(), expected.to_string());
        let archived = blocking(move || write::archive(&kb_dir, &owned_id, &expected)).await??;
        let revision = self
            .record_revision(
                id,
                &archived.version,
                author,
                comment,
                &archived.source,
                Status::Archived,
            )
            .await?;
        tracing::info!(article = id, revision, "article archived");
        Ok(Edited {
            id: id.to_string(),
            version: archived.version,
            created: false,
            revision: Some(revision),
            draft: false,
            reload: Some(self.reload_index().await),
        })
    }

    /// Saves revision `revision`'s text again, as a new published revision.
    pub async fn restore_revision(
        &self,
        id: &str,
        revision: i64,
        expected: Expected,
        author: &str,
    ) -> Result<Edited, EditError> {
        let article = id.to_string();
        let (number, source) = self
            .store
            .call(move |c| {
                // Editors count an article's versions from 1, oldest first.
                let history = revisions::list(c, &article)?;
                let number = (history.iter().position(|r| r.id == revision))
                    .map(|newer| history.len() - newer);
                let source = revisions::source(c, &article, revision)?;
                Ok(number.zip(source))
            })
            .await?
            .ok_or(EditError::NotFound)?;
        let comment = format!("Versie {number} hersteld");
        self.save_article(Edit {
            id,
            source: &source,
            expected,
            author,
            comment: &comment,
            draft: false,
        })
        .await
    }

    /// The article's file and its pending draft, if any; `None` when neither exists.
    pub async fn open_article(&self, id: &str) -> Result<Option<OpenArticle>, EditError> {
        let kb_dir = self.kb_dir().to_path_buf();
        let owned_id = id.to_string();
        let file = blocking(move || write::read(&kb_dir, &owned_id)).await??;
        let owned_id = id.to_string();
        let draft = self
            .store
            .call(move |c| {
                let Some(latest) = revisions::latest(c, &owned_id)? else {
                    return Ok(None);
                };
                if latest.status != Status::Draft {
                    return Ok(None);
                }
                let source = revisions::source(c, &owned_id, latest.id)?.unwrap_or_default();
                Ok(Some((latest, source)))
            })
            .await?;
        if file.is_none() && draft.is_none() {
            return Ok(None);
        }
        Ok(Some(OpenArticle {
            id: id.to_string(),
            file,
            draft,
        }))
    }

    /// The article's revisions, newest first.
    pub async fn article_history(&self, id: &str) -> Result<Vec<Revision>, EditError> {
        let id = id.to_string();
        Ok(self.store.call(move |c| revisions::list(c, &id)).await?)
    }

    /// The text of one revision of the article.
    pub async fn revision_source(&self, id: &str, revision: i64) -> Result<String, EditError> {
        let id = id.to_string();
        self.store
            .call(move |c| revisions::source(c, &id, revision))
            .await?
            .ok_or(EditError::NotFound)
    }

    /// Articles whose newest revision is a draft, newest first.
    pub async fn drafts(&self) -> Result<Vec<Revision>, EditError> {
        Ok(self.store.call(|c| revisions::drafts(c)).await?)
    }

    /// Records, as revisions by "bestand", every article file whose text is not the newest
    /// revision of that article, and every article whose file is gone (as archived). The
    /// first run after an upgrade records every article once: the start of its history.
    /// Returns how many revisions were recorded.
    pub async fn record_file_changes(&self) -> Result<usize, EditError> {
        let _editing = EDITING.lock().await;
        let snapshot = self.engine.snapshot();
        let paths: Vec<(String, std::path::PathBuf)> = (snapshot.articles.iter())
            .map(|a| (a.id.clone(), a.path.clone()))
            .collect();
        drop(snapshot);
        let files = blocking(move || {
            paths
                .into_iter()
                .filter_map(|(id, path)| {
                    let bytes = std::fs::read(&path).ok()?;
                    let source = String::from_utf8(bytes).ok()?;
                    Some((id, write::version(source.as_bytes()), source))
                })
                .collect::<Vec<_>>()
        })
        .await?;
        let recorded = self
            .store
            .call(move |c| {
                let newest = revisions::newest(c)?;
                let mut recorded = 0;
                let on_disk: HashSet<&str> = files.iter().map(|(id, _, _)| id.as_str()).collect();
                for (id, version, source) in &files {
                    let known = newest
                        .get(id)
                        .is_some_and(|r| r.version == *version && r.status == Status::Published);
                    // A pending draft of an unchanged file is not a change on disk.
                    let drafted = newest.get(id).is_some_and(|r| r.status == Status::Draft)
                        && revisions::list(c, id)?
                            .iter()
                            .find(|r| r.status != Status::Draft)
                            .is_some_and(|r| r.version == *version);
                    if known || drafted {
                        continue;
                    }
                    revisions::record(
                        c,
                        &NewRevision {
                            article_id: id,
                            version,
                            author: FILE_AUTHOR,
                            comment: "",
                            source,
                            status: Status::Published,
                        },
                    )?;
                    recorded += 1;
                }
                for (id, revision) in &newest {
                    if revision.status == Status::Published && !on_disk.contains(id.as_str()) {
                        let source = revisions::source(c, id, revision.id)?.unwrap_or_default();
                        revisions::record(
                            c,
                            &NewRevision {
                                article_id: id,
                                version: &revision.version,
                                author: FILE_AUTHOR,
                                comment: "",
                                source: &source,
                                status: Status::Archived,
                            },
                        )?;
                        recorded += 1;
                    }
                }
                Ok(recorded)
            })
            .await?;
        if recorded > 0 {
            tracing::info!(revisions = recorded, "file changes recorded as revisions");
        }
        Ok(recorded)
    }

    async fn record_revision(
        &self,
        id: &str,
        version: &str,
        author: &str,
        comment: &str,
        source: &str,
        status: Status,
    ) -> Result<i64, EditError> {
        let (id, version, author, comment, source) = (
            id.to_string(),
            version.to_string(),
            author.to_string(),
            comment.to_string(),
            source.to_string(),
        );
        Ok(self
            .store
            .call(move |c| {
                revisions::record(
                    c,
                    &NewRevision {
                        article_id: &id,
                        version: &version,
                        author: &author,
                        comment: &comment,
                        source: &source,
                        status,
                    },
                )
            })
            .await?)
    }

    /// Puts a saved article into the live index in place, off the async threads; the exact
    /// rebuild follows in the background. Should that fail, the index is rebuilt from `kb/`
    /// before this returns. `previous` is the version of the file the save replaced.
    async fn put_live(
        &self,
        saved: write::Saved,
        previous: Option<String>,
    ) -> Result<ReloadReport, Vec<String>> {
        let engine = self.engine.clone();
        let in_place = tokio::task::spawn_blocking(move || {
            let old_path = saved.moved_from.as_deref().unwrap_or(&saved.path);
            let previous = previous.as_deref().map(|version| (old_path, version));
            engine.article_saved(&saved.path, previous)
        })
        .await;
        match in_place {
            Ok(Ok(report)) => Ok(report),
            Ok(Err(err)) => {
                tracing::warn!(error = %err, "update in place failed; rebuilding the index");
                self.reload_index().await
            }
            Err(err) => Err(vec![format!(
                "reload stopped: {}",
                crate::task::stopped(&err)
            )]),
        }
    }

    /// Rebuilds the live index from `kb/` off the async threads.
    async fn reload_index(&self) -> Result<ReloadReport, Vec<String>> {
        let engine = self.engine.clone();
        let result = tokio::task::spawn_blocking(move || engine.reload())
            .await
            .map_err(|err| vec![format!("reload stopped: {}", crate::task::stopped(&err))])?
            .map_err(SearchError::problems);
        if let Err(problems) = &result {
            tracing::warn!(
                problems = problems.len(),
                "saved article not in the index: the knowledge base as a whole was refused"
            );
        }
        result
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, EditError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|err| EditError::Io(format!("the edit stopped: {}", crate::task::stopped(&err))))
}
