//! Saving the form through the editing core ("Opslaan en publiceren", "Opslaan als
//! concept"), and the id a new article gets.

use std::collections::HashSet;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::problems::placed;
use super::view::Conflict;
use super::{Posted, checked, diff, validate};
use crate::chat::editing::{Edit, EditError};
use crate::kb::write::{self, Expected, unique_slug};
use crate::store::revisions;
use crate::store::users::Session;
use crate::web::AppState;
use crate::web::error::{AppError, PageResult};
use crate::web::flash::Flash;

/// The id a new article titled `title` gets: its slug, unique against every file in the
/// knowledge base and its archive and every article with a history (a pending concept has
/// no file yet). Empty while it has no title.
pub(super) async fn new_id(state: &AppState, title: &str) -> Result<String, AppError> {
    if title.trim().is_empty() {
        return Ok(String::new());
    }
    let with_history: HashSet<String> = state
        .chat
        .store
        .call(|c| revisions::newest(c))
        .await?
        .into_keys()
        .collect();
    let kb_dir = state.chat.engine.kb_dir().to_path_buf();
    let title = title.to_string();
    let id = tokio::task::spawn_blocking(move || {
        let free = write::new_id(&kb_dir, &title)?;
        if !with_history.contains(&free) {
            return Ok(free);
        }
        // A candidate is taken by a history, or by a file (or an unreadable lookup).
        Ok(unique_slug(&title, |candidate| {
            with_history.contains(candidate) || !matches!(write::read(&kb_dir, candidate), Ok(None))
        }))
    })
    .await
    .map_err(|err| {
        EditError::Io(format!(
            "the id could not be made: {}",
            crate::task::stopped(&err)
        ))
    })?;
    id.map_err(|err: write::WriteError| AppError::Edit(err.into()))
}

/// "Opslaan en publiceren" or "Opslaan als concept" through the editing core.
pub(super) async fn save(
    state: &AppState,
    session: &Session,
    id: String,
    new: bool,
    posted: Posted,
) -> PageResult<Response> {
    if let Err(problems) = validate(state, &id, &posted.form) {
        let mut page = checked(state, session, id, new, posted);
        page.problems = problems;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let draft = posted.action == "draft";
    let source = posted.form.to_source();
    let expected = if posted.version.is_empty() {
        Expected::New
    } else {
        Expected::Version(posted.version.clone())
    };
    let edit = Edit {
        id: &id,
        source: &source,
        expected,
        author: &session.user.name,
        comment: &posted.comment,
        draft,
    };
    match state.chat.save_article(edit).await {
        Ok(edited) => {
            let status = if draft { "concept" } else { "gepubliceerd" };
            let detail = format!("{} ({status})", edited.id);
            super::audit(state, session, "kb.save", detail).await?;
            let notice = match (&edited.reload, draft) {
                (_, true) => "Opgeslagen als concept; het wordt nog niet voorgesteld.".to_string(),
                (Some(Err(problems)), false) => format!(
                    "Opgeslagen, maar de kennisbank als geheel is niet opnieuw geladen ({} problemen in andere bestanden); het antwoord wordt nog niet voorgesteld.",
                    problems.len()
                ),
                _ => "Opgeslagen; het antwoord wordt nu voorgesteld.".to_string(),
            };
            state.flashes.put(session, Flash::notice(notice));
            Ok(Redirect::to(&format!("/kb/articles/{}", edited.id)).into_response())
        }
        Err(EditError::Invalid(problems)) => {
            let mut page = checked(state, session, id, new, posted);
            page.problems = placed(&page.form, &problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(EditError::Stale { diff, .. }) => {
            let mut page = checked(state, session, id, new, posted);
            page.conflict = Some(Conflict {
                diff: diff::lines(&diff),
                source,
            });
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(err) => Err(AppError::Edit(err).into()),
    }
}
