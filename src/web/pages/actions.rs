//! What agents do with a conversation: each action is a form post with a CSRF token that
//! redirects back to the conversation. A reply that cannot go out answers with the
//! conversation page instead, its draft back in the reply box and the reason beside it.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::conversation::{ConversationQuery, page};
use crate::chat::{ChatError, Status, Via};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};

fn back(id: i64) -> Response {
    Redirect::to(&format!("/conversations/{id}")).into_response()
}

#[derive(Deserialize)]
pub struct TakeForm {
    csrf: String,
    #[serde(default)]
    force: bool,
}

pub async fn take(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<TakeForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.take(&agent.0.user, id, form.force).await?;
    Ok(back(id))
}

pub async fn release(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<crate::web::auth::CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.release(&agent.0.user, id).await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    csrf: String,
    text: String,
    #[serde(default)]
    article: String,
    /// Where the agent found `article`: `suggestion` or `search` (empty: a suggestion when
    /// it was one).
    #[serde(default)]
    via: String,
    /// "Overnemen en versturen": take the conversation from a colleague, then send.
    #[serde(default)]
    take_over: bool,
}

pub async fn reply(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let article = Some(form.article.as_str()).filter(|a| !a.is_empty());
    let via = match form.via.as_str() {
        "" => None,
        via => Some(via.parse::<Via>().map_err(|_| {
            AppError::BadRequest(format!(
                "onbekende herkomst `{via}`: verwacht suggestion of search"
            ))
        })?),
    };
    let user = &agent.0.user;
    let sent = async {
        if form.take_over {
            state.chat.take(user, id, true).await?;
        }
        state.chat.reply(user, id, &form.text, article, via).await
    }
    .await;
    match sent {
        Ok(_) => Ok(back(id)),
        // The conversation is gone or the store failed: there is no page to return to.
        Err(err @ (ChatError::NotFound | ChatError::Store(_))) => Err(err.into()),
        Err(err) => {
            let err = AppError::from(err);
            tracing::info!(conversation = id, status = %err.status(), "reply refused; draft kept");
            let mut page = page(&state, &agent.0, id, &ConversationQuery::default()).await?;
            page.draft = form.text;
            page.draft_article = form.article;
            page.draft_via = form.via;
            page.reply_error = Some(err.dutch());
            Ok((err.status(), page).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct TextForm {
    csrf: String,
    text: String,
}

pub async fn note(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.note(&agent.0.user, id, &form.text).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
pub struct ForwardForm {
    csrf: String,
    department: String,
}

pub async fn forward(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ForwardForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state
        .chat
        .forward(&agent.0.user, id, &form.department)
        .await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    csrf: String,
    status: String,
}

pub async fn status(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let status = match form.status.as_str() {
        "closed" => Status::Closed,
        "open" => Status::Open,
        other => return Err(AppError::BadRequest(format!("onbekende status `{other}`")).into()),
    };
    state.chat.set_status(&agent.0.user, id, status).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
pub struct LabelForm {
    csrf: String,
    label: String,
    /// `add` or `remove`.
    op: String,
}

pub async fn labels(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<LabelForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let add = match form.op.as_str() {
        "add" => true,
        "remove" => false,
        other => return Err(AppError::BadRequest(format!("onbekende actie `{other}`")).into()),
    };
    state
        .chat
        .label(&agent.0.user, id, &form.label, add)
        .await?;
    Ok(back(id))
}
