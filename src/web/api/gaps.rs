//! The gap report over the API (keys with the `kb` scope): what residents asked that the
//! knowledge base did not answer, and adding such a question to an article.
//!
//! ```text
//! GET  /api/v1/kb/gaps?days=N                 groups of unanswered questions (default 30 days)
//! POST /api/v1/kb/articles/{id}/questions     {"message_id"} → {"id", "version", "added"}
//! ```

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ApiJson;
use super::kb::KbError;
use crate::chat::gaps::{self, GapGroup, QuestionError};
use crate::kb::write::QuestionList;
use crate::search::gaps::Nearest;
use crate::store::audit;
use crate::store::gaps::Reason;
use crate::web::AppState;
use crate::web::auth::KbCaller;
use crate::web::error::{ApiError, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kb/gaps", get(list))
        .route(
            "/api/v1/kb/articles/{id}/questions",
            post(|s, c, i, r| add_to(QuestionList::Questions, s, c, i, r)),
        )
        .route(
            "/api/v1/kb/articles/{id}/not_answered",
            post(|s, c, i, r| add_to(QuestionList::NotAnswered, s, c, i, r)),
        )
}

#[derive(Serialize)]
struct Report {
    days: u32,
    groups: Vec<Group>,
    /// Questions of the period the knowledge base now answers, left out of the groups.
    answered_now: usize,
}

#[derive(Serialize)]
struct Group {
    terms: Vec<String>,
    count: usize,
    /// The count weighted by recency; groups come in this order (larger groups first).
    impact: f64,
    messages: Vec<Message>,
    nearest: Option<Nearest>,
}

#[derive(Serialize)]
struct Message {
    message_id: i64,
    conversation_id: i64,
    /// Masked.
    text: String,
    at: DateTime<Utc>,
    /// `no_answer`: no confident suggestion and no reply with an article; `not_helpful`: the
    /// resident said "nee" to the bot's answer; `offer_declined`: to the article it offered.
    reason: &'static str,
    /// With `not_helpful` and `offer_declined`: the article the bot answered with or offered.
    declined_article: Option<String>,
    /// The article an agent's reply to it used (after a "nee"), if any.
    replied_article: Option<String>,
    /// An article that lists it as not answered (`not_answered`): the message stays in the
    /// report until it gets an answer.
    listed_article: Option<String>,
    /// The article suggested first for this message now, other than `declined_article` and
    /// `listed_article`.
    nearest: Option<Nearest>,
}

impl From<GapGroup> for Group {
    fn from(group: GapGroup) -> Group {
        Group {
            count: group.count(),
            terms: group.terms,
            impact: group.impact,
            messages: (group.questions.into_iter())
                .map(|q| Message {
                    message_id: q.message_id,
                    conversation_id: q.conversation_id,
                    text: q.text,
                    at: q.at,
                    reason: match q.reason {
                        Reason::NoAnswer => "no_answer",
                        Reason::NotHelpful => "not_helpful",
                        Reason::OfferDeclined => "offer_declined",
                    },
                    declined_article: q.declined,
                    replied_article: q.replied_with,
                    listed_article: q.listed,
                    nearest: q.nearest,
                })
                .collect(),
            nearest: group.nearest,
        }
    }
}

#[derive(Deserialize)]
struct DaysQuery {
    days: Option<String>,
}

/// `GET /api/v1/kb/gaps?days=N`.
async fn list(
    State(state): State<AppState>,
    _caller: KbCaller,
    Query(query): Query<DaysQuery>,
) -> Result<Json<Report>, ApiError> {
    let days =
        gaps::days(query.days.as_deref()).map_err(|err| AppError::BadRequest(err.to_string()))?;
    let report = state.chat.gap_report(days).await?;
    Ok(Json(Report {
        days,
        answered_now: report.answered,
        groups: report.groups.into_iter().map(Group::from).collect(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionRequest {
    message_id: i64,
}

/// `POST /api/v1/kb/articles/{id}/questions`: the resident message, masked, becomes an example
/// question of the article (a new revision by `api:<key>`), and leaves the gap report.
/// `POST /api/v1/kb/articles/{id}/not_answered`: the same, into the questions the article
/// does not answer; the message stays in the report, with this article as `listed_article`.
async fn add_to(
    list: QuestionList,
    State(state): State<AppState>,
    KbCaller(caller): KbCaller,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<QuestionRequest>,
) -> Result<Response, KbError> {
    let actor = caller.actor();
    let message = request.message_id;
    let edited = match state.chat.add_gap_to(message, &id, list, &actor).await {
        Ok(edited) => edited,
        Err(QuestionError::Edit(err)) => return Err(err.into()),
        Err(err @ QuestionError::UnknownMessage(_)) => {
            return Err(rejected(StatusCode::NOT_FOUND, &err));
        }
        Err(err @ QuestionError::EmptyMessage(_)) => {
            return Err(rejected(StatusCode::UNPROCESSABLE_ENTITY, &err));
        }
    };
    let detail = format!("{id} message {message}");
    let action = match list {
        QuestionList::Questions => "kb.question",
        QuestionList::NotAnswered => "kb.not_answered",
    };
    state
        .chat
        .store
        .call(move |c| audit::record(c, &actor, action, None, &detail))
        .await
        .map_err(|err| KbError::Api(err.into()))?;
    let body = serde_json::json!({
        "id": edited.id,
        "version": edited.version,
        "added": edited.revision.is_some(),
    });
    Ok(Json(body).into_response())
}

fn rejected(status: StatusCode, err: &QuestionError) -> KbError {
    KbError::Api(ApiError(AppError::Rejected(status, err.to_string())))
}
