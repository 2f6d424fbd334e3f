//! An article's history: every revision newest first with its diff against the one before,
//! "Herstel deze versie" (itself a new revision), and archiving with a confirm step.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::diff::{self, DiffLine};
use crate::chat::editing::EditError;
use crate::kb::form::ArticleForm;
use crate::kb::write::Expected;
use crate::store::revisions::Status;
use crate::store::users::Session;
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};
use crate::web::flash::Flash;
use crate::web::pages::Nav;

/// The newest revisions shown with their diffs; older ones are left out of the page.
pub const MAX_SHOWN: usize = 50;
/// Which flash error belongs on the history page.
const FORM: &str = "history";

#[derive(Template, WebTemplate)]
#[template(path = "kb_history.html")]
pub struct HistoryPage {
    pub nav: Nav,
    pub id: String,
    pub title: String,
    /// The version of the file in `kb/` now; empty when the article has no file (archived,
    /// or only a draft). A restore is checked against it.
    pub version: String,
    /// The article has a file or a pending draft: the editor can open it.
    pub openable: bool,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub revisions: Vec<RevisionItem>,
    /// How many older revisions are not shown.
    pub hidden: usize,
}

pub struct RevisionItem {
    pub id: i64,
    /// The version's number among the article's, counted from 1.
    pub number: usize,
    pub author: String,
    pub at: String,
    pub comment: String,
    pub status: &'static str,
    /// This revision's text is the file in `kb/` now.
    pub current: bool,
    /// From the revision before it (the first against an empty text).
    pub diff: Vec<DiffLine>,
}

/// `GET /kb/articles/{id}/history`.
pub async fn history(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> PageResult<HistoryPage> {
    agent.require_editor()?;
    let revisions = state.chat.article_history(&id).await?;
    if revisions.is_empty() {
        return Err(AppError::NotFound.into());
    }
    let opened = state.chat.open_article(&id).await?;
    let openable = opened.is_some();
    let version = opened
        .and_then(|o| o.file)
        .map(|f| f.version)
        .unwrap_or_default();
    let hidden = revisions.len().saturating_sub(MAX_SHOWN);
    // One more than shown, so the oldest shown has its predecessor to diff against.
    let mut sources = Vec::new();
    for revision in revisions.iter().take(MAX_SHOWN + 1) {
        sources.push(state.chat.revision_source(&id, revision.id).await?);
    }
    // Editors count an article's versions from 1; the revision ids are the store's.
    let number = |i: usize| revisions.len() - i;
    let items = (revisions.iter().take(MAX_SHOWN).enumerate())
        .map(|(i, revision)| {
            let before = sources.get(i + 1).map(String::as_str).unwrap_or("");
            let before_name = if i + 1 < revisions.len() {
                format!("versie {}", number(i + 1))
            } else {
                "(leeg)".into()
            };
            RevisionItem {
                id: revision.id,
                number: number(i),
                author: revision.author.clone(),
                at: local_date_time(revision.at),
                comment: revision.comment.clone(),
                status: status_nl(revision.status),
                current: revision.status == Status::Published && revision.version == version,
                diff: diff::between(
                    before,
                    &sources[i],
                    &before_name,
                    &format!("versie {}", number(i)),
                ),
            }
        })
        .collect();
    let title = ArticleForm::from_source(&sources[0])
        .map(|f| f.title)
        .unwrap_or_else(|_| id.clone());
    let flash = state.flashes.take(&agent.0);
    Ok(HistoryPage {
        nav: Nav::new(&state, &agent.0, "kb"),
        error: flash.error_for(FORM).map(ToString::to_string),
        notice: flash.notice,
        id,
        title,
        version,
        openable,
        revisions: items,
        hidden,
    })
}

#[derive(Deserialize)]
pub struct VersionForm {
    csrf: String,
    /// The version of the file the page showed; empty when it had none.
    #[serde(default)]
    version: String,
    /// The archive confirm step's answer.
    #[serde(default)]
    confirm: String,
}

impl VersionForm {
    fn expected(&self) -> Expected {
        if self.version.is_empty() {
            Expected::New
        } else {
            Expected::Version(self.version.clone())
        }
    }
}

/// `POST /kb/articles/{id}/history/{revision}/restore`: that revision's text saved again.
pub async fn restore(
    State(state): State<AppState>,
    agent: Agent,
    Path((id, revision)): Path<(String, i64)>,
    Form(form): Form<VersionForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let author = agent.0.user.name.clone();
    let result = state
        .chat
        .restore_revision(&id, revision, form.expected(), &author)
        .await;
    if result.is_ok() {
        super::audit(
            &state,
            &agent.0,
            "kb.restore",
            format!("{id} versie {revision}"),
        )
        .await?;
    }
    let result = result.map(|_| {
        Flash::notice(
            "De gekozen versie is hersteld als nieuwe versie; het antwoord wordt nu voorgesteld.",
        )
    });
    back_to_history(&state, &agent.0, &id, result)
}

/// `GET /kb/articles/{id}/archive`: the confirm step.
pub async fn archive_form(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> PageResult<ArchivePage> {
    agent.require_editor()?;
    let file = state
        .chat
        .open_article(&id)
        .await?
        .and_then(|o| o.file)
        .ok_or(AppError::NotFound)?;
    let title = ArticleForm::from_source(&file.source)
        .map(|f| f.title)
        .unwrap_or_else(|_| id.clone());
    Ok(ArchivePage {
        nav: Nav::new(&state, &agent.0, "kb"),
        id,
        title,
        version: file.version,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "kb_archive.html")]
pub struct ArchivePage {
    pub nav: Nav,
    pub id: String,
    pub title: String,
    pub version: String,
}

/// `POST /kb/articles/{id}/archive` with `confirm=ja`: moved to the archive, no longer
/// suggested; without the confirmation, back to the confirm step.
pub async fn archive(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    Form(form): Form<VersionForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    if form.confirm != "ja" {
        return Ok(Redirect::to(&format!("/kb/articles/{id}/archive")).into_response());
    }
    let author = agent.0.user.name.clone();
    let result = state
        .chat
        .archive_article(&id, &form.version, &author, "Gearchiveerd")
        .await;
    if result.is_ok() {
        super::audit(&state, &agent.0, "kb.archive", id.clone()).await?;
    }
    let result = result.map(|_| {
            Flash::notice(
                "Het artikel is gearchiveerd en wordt niet meer voorgesteld. De geschiedenis blijft bewaard.",
            )
        });
    back_to_history(&state, &agent.0, &id, result)
}

/// Post/redirect/get to the history page: the outcome shows there once. A refused edit (a
/// newer version, invalid text) is an error on the page; a failure is the error page.
fn back_to_history(
    state: &AppState,
    session: &Session,
    id: &str,
    outcome: Result<Flash, EditError>,
) -> PageResult<Response> {
    let flash = match outcome.map_err(AppError::Edit) {
        Ok(flash) => flash,
        Err(AppError::Edit(EditError::Invalid(problems))) => Flash::error(
            FORM,
            format!(
                "Deze versie voldoet niet meer aan de regels van de kennisbank: {}",
                problems
                    .iter()
                    .map(|p| p.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ),
        Err(err) if err.status().is_client_error() => Flash::error(FORM, err.dutch()),
        Err(err) => return Err(err.into()),
    };
    state.flashes.put(session, flash);
    Ok(Redirect::to(&format!("/kb/articles/{id}/history")).into_response())
}

fn status_nl(status: Status) -> &'static str {
    match status {
        Status::Published => "gepubliceerd",
        Status::Draft => "concept",
        Status::Archived => "gearchiveerd",
    }
}

/// Date and time in the Netherlands, with the year: histories go back further than a week.
fn local_date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m-%Y %H:%M")
        .to_string()
}
