//! The resident's side: the public chat API used by the widget, the widget itself and the
//! demo page `/chat`. A resident is known only by a random conversation token, which the
//! store keeps as a hash: the token reads its own conversation and nothing else.
//!
//! ```text
//! GET  /api/v1/chat/info       welcome text, privacy notice, office hours
//! POST /api/v1/chat/messages   {"text", "token"?} → 201 {"token", "message"}
//! GET  /api/v1/chat/messages   ?token=&after=   the conversation (no internal notes)
//! GET  /api/v1/chat/events     ?token=&after=   new messages as server-sent events
//! ```

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::AppState;
use super::api::ApiJson;
use super::auth::ClientIp;
use super::error::{ApiResult, AppError};
use super::live;
use super::render::markdown_html;
use crate::chat::service::WEB_CHAT;
use crate::chat::{AuthorKind, ChatError, Direction};
use crate::store::conversations::{self as conv, Message};
use crate::store::users::{new_token, token_hash};

pub fn routes(allowed_origins: &[String]) -> Router<AppState> {
    let origins: Vec<HeaderValue> = allowed_origins
        .iter()
        .filter_map(|o| o.parse().ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE]);
    let public = Router::new()
        .route("/api/v1/chat/info", get(info))
        .route("/api/v1/chat/messages", get(history).post(post_message))
        .route("/api/v1/chat/events", get(live::resident))
        .route("/widget.js", get(widget_js))
        .route("/widget.css", get(widget_css))
        .layer(cors);
    Router::new().route("/chat", get(demo_page)).merge(public)
}

/// A message as the resident sees it: no agent names, no internal fields.
#[derive(Debug, Serialize)]
pub struct ResidentMessage {
    pub id: i64,
    pub direction: Direction,
    pub author: AuthorKind,
    pub text: String,
    /// Replies (Markdown) as safe HTML, for the widget to show formatted. Absent for the
    /// resident's own messages, which are shown as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<Message> for ResidentMessage {
    fn from(m: Message) -> Self {
        ResidentMessage {
            id: m.id,
            direction: m.direction,
            author: m.author,
            html: (m.direction == Direction::Out).then(|| markdown_html(&m.text)),
            text: m.text,
            created_at: m.created_at,
        }
    }
}

/// The store's name for a web-chat resident: the token's hash, never the token.
pub fn resident_ref(token: &str) -> String {
    token_hash(token)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn info(State(state): State<AppState>) -> Json<serde_json::Value> {
    let config = &state.chat.config;
    Json(serde_json::json!({
        "municipality": config.municipality,
        "welcome": config.texts.welcome,
        "privacy": config.texts.privacy,
        "office_hours": config.office_hours.describe(),
        "open_now": config.office_hours.is_open(&chrono::Utc::now()),
        "max_message_chars": config.chat.max_message_chars,
        "response_hours": config.response_hours,
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    text: String,
    token: Option<String>,
}

/// Stores the resident's message and answers 201 only once it is committed.
async fn post_message(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<PostMessage>,
) -> ApiResult<impl IntoResponse> {
    if state.limits.chat_ip.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    let token = match request.token {
        Some(token) => {
            let reference = resident_ref(&token);
            let known = state
                .chat
                .store
                .call(move |c| Ok(conv::conversation_by_ref(c, WEB_CHAT, &reference)?.is_some()))
                .await?;
            if !known {
                return Err(AppError::Chat(ChatError::NotFound).into());
            }
            token
        }
        None => new_token(),
    };
    let reference = resident_ref(&token);
    if state
        .limits
        .chat_conversation
        .check_key(&reference)
        .is_err()
    {
        return Err(AppError::TooManyRequests.into());
    }
    let (_, message) = state
        .chat
        .receive(WEB_CHAT, &reference, &request.text)
        .await?;
    let body = serde_json::json!({ "token": token, "message": ResidentMessage::from(message) });
    Ok((StatusCode::CREATED, Json(body)))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: String,
    #[serde(default)]
    pub after: i64,
}

/// The conversation id for a resident token, or NotFound.
pub async fn conversation_for_token(state: &AppState, token: &str) -> Result<i64, AppError> {
    let reference = resident_ref(token);
    state
        .chat
        .store
        .call(move |c| conv::conversation_by_ref(c, WEB_CHAT, &reference))
        .await?
        .map(|c| c.id)
        .ok_or(AppError::Chat(ChatError::NotFound))
}

async fn history(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(query): Query<TokenQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    if state.limits.chat_ip.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    let id = conversation_for_token(&state, &query.token).await?;
    let after = query.after;
    let messages = state
        .chat
        .store
        .call(move |c| conv::messages(c, id, after, false))
        .await?;
    let messages: Vec<ResidentMessage> = messages.into_iter().map(ResidentMessage::from).collect();
    Ok(Json(serde_json::json!({ "messages": messages })))
}

async fn widget_js() -> impl IntoResponse {
    static_asset(
        "text/javascript; charset=utf-8",
        include_str!("../../templates/static/widget.js"),
    )
}

async fn widget_css() -> impl IntoResponse {
    static_asset(
        "text/css; charset=utf-8",
        include_str!("../../templates/static/widget.css"),
    )
}

pub fn static_asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "chat.html")]
struct DemoPage {
    municipality: String,
}

async fn demo_page(State(state): State<AppState>) -> DemoPage {
    DemoPage {
        municipality: state.chat.config.municipality.clone(),
    }
}
