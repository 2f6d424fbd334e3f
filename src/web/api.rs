//! The JSON API for inbox tools, authenticated with API keys:
//!
//! ```text
//! POST /api/v1/suggest                    {"message", "k"} → one `suggest --json` line
//! POST /api/v1/conversations/messages     a resident message from another channel
//! GET  /api/v1/conversations/{id}         a conversation this key may read
//! POST /api/v1/conversations/{id}/replies {"text"} → answer the resident, as Verstuur does
//! POST /api/v1/kb/reload                  re-read the knowledge base
//! GET  /api/v1/openapi.json               this API described
//! /api/v1/kb/articles…                    articles: read, save, archive, history (kb.rs)
//! GET  /api/v1/kb/gaps, POST /api/v1/kb/articles/{id}/questions and …/not_answered   the gap report (gaps.rs)
//! GET  /api/v1/reports/summary, /api/v1/reports/conversations.csv  reports (reports.rs)
//! ```
//!
//! Each endpoint needs its scope on the key: `suggest`, `conversations`, `kb` or `reports`; a key
//! without it gets 403.
//!
//! Every error is `{"error": "..."}` with a fitting 4xx status.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::auth::{Agent, ApiCaller, ConversationsCaller, KbCaller, SuggestCaller};
use super::error::{ApiError, ApiResult, AppError};
use super::{AppState, MAX_BODY_BYTES, ReloadReason, reload_detail};
use crate::search::Suggestions;
use crate::store::audit;
use crate::store::conversations as conv;

pub mod gaps;
pub mod kb;
pub mod reports;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(kb::routes())
        .merge(gaps::routes())
        .merge(reports::routes())
        .route("/api/v1/suggest", post(suggest))
        .route("/api/v1/conversations/messages", post(inbound))
        .route("/api/v1/conversations/{id}", get(conversation))
        .route("/api/v1/conversations/{id}/replies", post(reply))
        .route("/api/v1/kb/reload", post(kb_reload))
        .route("/api/v1/openapi.json", get(openapi))
}

/// `Json<T>` whose rejections are API errors that say what is wrong with the request.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(ApiError(rejection_error(rejection))),
        }
    }
}

fn rejection_error(rejection: JsonRejection) -> AppError {
    if stalled(&rejection) {
        return AppError::BodyTimeout;
    }
    let status = rejection.status();
    let message = match &rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "expected a JSON body with Content-Type: application/json".to_string()
        }
        JsonRejection::JsonSyntaxError(err) => {
            format!("malformed JSON: {}", inner(err.body_text()))
        }
        JsonRejection::JsonDataError(err) => format!("invalid request: {}", inner(err.body_text())),
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => {
            format!("request body is larger than {MAX_BODY_BYTES} bytes")
        }
        other => other.body_text(),
    };
    AppError::Rejected(status, message)
}

/// Whether reading the body failed because it missed the body deadline (`web::router`'s
/// `RequestBodyDeadlineLayer`), rather than because it was malformed.
fn stalled(rejection: &JsonRejection) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// axum prefixes serde's message with its own words; keep serde's part.
fn inner(text: String) -> String {
    match text.split_once(": ") {
        Some((_, rest)) => rest.to_string(),
        None => text,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    message: String,
    #[serde(default = "default_k")]
    k: usize,
}

fn default_k() -> usize {
    3
}

/// The same object as one line of `vraagbaak suggest --json`.
async fn suggest(
    State(state): State<AppState>,
    _caller: SuggestCaller,
    ApiJson(request): ApiJson<SuggestRequest>,
) -> ApiResult<Json<Suggestions>> {
    if request.message.trim().is_empty() {
        return Err(AppError::BadRequest("message is empty".into()).into());
    }
    if !(1..=20).contains(&request.k) {
        return Err(AppError::BadRequest("k must be between 1 and 20".into()).into());
    }
    let max = state.chat.config.chat.max_message_chars;
    if request.message.chars().count() > max {
        return Err(
            AppError::BadRequest(format!("message is longer than {max} characters")).into(),
        );
    }
    Ok(Json(state.chat.suggest(&request.message, request.k)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InboundRequest {
    /// The channel the inbox tool received it on, e.g. `facebook` or `email`.
    channel: String,
    /// The tool's stable id for the resident on that channel.
    resident: String,
    text: String,
}

async fn inbound(
    State(state): State<AppState>,
    ConversationsCaller(caller): ConversationsCaller,
    ApiJson(request): ApiJson<InboundRequest>,
) -> ApiResult<impl IntoResponse> {
    let channel_ok = (1..=32).contains(&request.channel.len())
        && request
            .channel
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let reserved = [
        crate::chat::service::WEB_CHAT,
        crate::chat::service::WHATSAPP,
    ];
    if !channel_ok || reserved.contains(&request.channel.as_str()) {
        return Err(AppError::BadRequest(
            "channel must be 1 to 32 lowercase letters, digits or dashes, and not `webchat` or `whatsapp`".into(),
        )
        .into());
    }
    if request.resident.trim().is_empty() || request.resident.len() > 200 {
        return Err(AppError::BadRequest("resident must be 1 to 200 characters".into()).into());
    }
    let resident = format!(
        "{}{}",
        resident_prefix(&caller.name),
        request.resident.trim()
    );
    let (conversation, message) = state
        .chat
        .receive(&request.channel, &resident, &request.text)
        .await?;
    let suggestions = state
        .chat
        .suggest(&message.text, crate::chat::service::SUGGESTIONS_SHOWN);
    let body = serde_json::json!({
        "conversation_id": conversation.id,
        "message": message,
        "suggestions": suggestions,
    });
    Ok((StatusCode::CREATED, Json(body)))
}

/// How the residents an API key reports are told apart from other keys' and web-chat ones.
fn resident_prefix(client: &str) -> String {
    format!("{client}:")
}

/// Whether `caller` may read and answer `conversation`: one it posted into (residents' ids
/// are stored as `<key name>:<id>`, and key names cannot contain a colon), or any when an
/// admin granted the key every conversation.
fn may_reach(caller: &ApiCaller, conversation: &conv::Conversation) -> bool {
    caller.all_conversations
        || conversation
            .resident_ref
            .starts_with(&resident_prefix(&caller.name))
}

async fn conversation(
    State(state): State<AppState>,
    ConversationsCaller(caller): ConversationsCaller,
    Path(id): Path<i64>,
) -> ApiResult<Json<serde_json::Value>> {
    let client = caller.name.clone();
    let found = state
        .chat
        .store
        .call(move |c| {
            let Some(conversation) =
                conv::conversation(c, id)?.filter(|found| may_reach(&caller, found))
            else {
                return Ok(None);
            };
            let messages = conv::messages(c, id, 0, false)?;
            audit::record(
                c,
                &format!("api:{client}"),
                "conversation.view",
                Some(id),
                "",
            )?;
            Ok(Some((conversation, messages)))
        })
        .await?;
    let (conversation, messages) = found.ok_or(AppError::Chat(crate::chat::ChatError::NotFound))?;
    Ok(Json(
        serde_json::json!({ "conversation": conversation, "messages": messages }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyRequest {
    text: String,
}

/// An inbox tool answers the resident. The same path as Verstuur: WhatsApp replies go through
/// the outbox, and after the 24-hour window the answer is held while a re-engagement template
/// asks the resident to write again (`"held": true`).
async fn reply(
    State(state): State<AppState>,
    ConversationsCaller(caller): ConversationsCaller,
    Path(id): Path<i64>,
    ApiJson(request): ApiJson<ReplyRequest>,
) -> ApiResult<impl IntoResponse> {
    let found = state
        .chat
        .store
        .call(move |c| conv::conversation(c, id))
        .await?;
    let conversation = found
        .filter(|found| may_reach(&caller, found))
        .ok_or(AppError::Chat(crate::chat::ChatError::NotFound))?;
    let message = state
        .chat
        .reply_from_tool(&caller.name, conversation, &request.text)
        .await?;
    let held = message.held_since.is_some();
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "message": message, "held": held })),
    ))
}

/// The header a dashboard session sends its CSRF token in when it calls the API.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Editors reload from the dashboard; tools (or a content pipeline) with an API key here.
/// A session cookie alone is not enough: the request must carry the session's CSRF token.
async fn kb_reload(
    State(state): State<AppState>,
    client: Result<KbCaller, ApiError>,
    agent: Result<Agent, super::error::PageError>,
    headers: HeaderMap,
) -> ApiResult<Json<serde_json::Value>> {
    let actor = match (client, agent) {
        (Ok(KbCaller(caller)), _) => caller.actor(),
        (Err(_), Ok(agent)) if agent.0.user.role.can_edit_kb() => {
            let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if token.is_none_or(|token| agent.check_csrf(token).is_err()) {
                return Err(AppError::Rejected(
                    StatusCode::FORBIDDEN,
                    format!(
                        "a dashboard session must send its CSRF token in the {CSRF_HEADER} header"
                    ),
                )
                .into());
            }
            agent.0.user.name.clone()
        }
        (Err(err), _) => return Err(err),
    };
    let result = state.reload_kb(ReloadReason::Api).await;
    let detail = reload_detail(&result);
    state
        .chat
        .store
        .call(move |c| audit::record(c, &actor, "kb.reload", None, &detail))
        .await?;
    match result {
        // `reloaded`: the files on disk are what is served now; `changed`: a new index was
        // built (false when the files were the same as those in service).
        Ok(report) => Ok(Json(serde_json::json!({
            "reloaded": true,
            "changed": report.changed,
            "articles": report.articles,
        }))),
        Err(problems) => Err(AppError::Rejected(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "the knowledge base has problems; the last good index stays in service: {}",
                problems.join("; ")
            ),
        )
        .into()),
    }
}

async fn openapi() -> impl IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("../../templates/openapi.json"),
    )
}
