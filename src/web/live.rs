//! Server-sent events. Dashboards get every change they may see; a resident gets the new
//! messages of their own conversation. Each stream is a task: a dashboard's follows the
//! shared feed of [`super::streams`], a resident's follows the event hub and reads its own
//! conversation. A stream ends when the client goes away, the server shuts down, or (for
//! dashboards) the session ends: logout, or the user is blocked. Each session and each client
//! address may hold only a few streams at once (`server.max_streams_per_*`).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum_extra::extract::CookieJar;
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::AppState;
use super::auth::{Agent, ClientIp, SESSION_COOKIE};
use super::chat::{ResidentMessage, TokenQuery, conversation_for_token};
use super::error::{ApiResult, AppError, PageResult};
use super::streams::Feed;
use crate::chat::{Direction, Event};
use crate::store::conversations as conv;
use crate::store::users::{self, token_hash};
use crate::store::{inbox, now};

type EventStream = (
    [(&'static str, &'static str); 1],
    Sse<axum::response::sse::KeepAliveStream<ReceiverStream<Result<SseEvent, Infallible>>>>,
);

/// An event stream that reverse proxies (nginx) pass on at once instead of buffering.
fn stream(rx: mpsc::Receiver<Result<SseEvent, Infallible>>) -> EventStream {
    (
        [("x-accel-buffering", "no")],
        Sse::new(ReceiverStream::new(rx)).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)),
    )
}

const KEEP_ALIVE: Duration = Duration::from_secs(20);

/// Events for an agent's dashboard: JSON `{"type": "message"|"conversation", ...}`.
pub async fn dashboard(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Agent(session): Agent,
) -> PageResult<EventStream> {
    let token = jar
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or(AppError::Unauthorized("not logged in"))?;
    let key: std::sync::Arc<[u8]> = token_hash(&token).into();
    let slot = state.streams.open(Some(key.clone()), ip)?;
    let mut feed = state.streams.subscribe(&state.chat, state.shutdown.clone());
    let mut shutdown = state.shutdown.clone();
    let (tx, rx) = mpsc::channel(64);
    let user = session.user;
    tokio::spawn(async move {
        let _slot = slot;
        loop {
            let received = tokio::select! {
                received = feed.recv() => received,
                _ = shutdown.changed() => break,
                () = tx.closed() => break,
            };
            let sse = match received {
                Ok(Feed::Change { json, department }) => {
                    if !inbox::can_see_department(&user, department.as_deref()) {
                        continue;
                    }
                    SseEvent::default().event("change").data(&*json)
                }
                Ok(Feed::SessionEnded(ended)) if ended == key => break,
                Ok(Feed::UserEnded(id)) if id == user.id => break,
                Ok(Feed::SessionEnded(_) | Feed::UserEnded(_)) => continue,
                // Too far behind: the page reloads its whole view. An ending may have been
                // missed among the skipped items, so the session is checked once.
                Ok(Feed::Reload) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    if !session_alive(&state, &token).await {
                        break;
                    }
                    SseEvent::default().event("reload").data("lagged")
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            if tx.send(Ok(sse)).await.is_err() {
                break;
            }
        }
    });
    Ok(stream(rx))
}

async fn session_alive(state: &AppState, token: &str) -> bool {
    let token = token.to_string();
    state
        .chat
        .store
        .call(move |c| users::session(c, &token, now()))
        .await
        .ok()
        .flatten()
        .is_some()
}

/// Ends the dashboard streams of the session with this cookie value (at logout).
pub fn end_session_streams(state: &AppState, token: &str) {
    state.streams.end_session(&token_hash(token));
}

/// Ends every dashboard stream of `user_id` (blocked, or their password was reset).
pub fn end_user_streams(state: &AppState, user_id: i64) {
    state.streams.end_user(user_id);
}

/// New messages of the resident's own conversation, from `after` (or `Last-Event-ID`) on.
pub async fn resident(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Query(query): Query<TokenQuery>,
) -> ApiResult<EventStream> {
    if state.limits.chat_ip.check_key(&ip).is_err() {
        return Err(AppError::TooManyRequests.into());
    }
    let id = conversation_for_token(&state, &query.token).await?;
    let slot = state.streams.open(None, ip)?;
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let mut after = query.after.max(last_event_id);
    // Subscribe before reading the backlog, so nothing committed in between is missed.
    let mut events = state.chat.hub.subscribe();
    let mut shutdown = state.shutdown.clone();
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        let _slot = slot;
        let mut fetch = true;
        loop {
            if fetch {
                let from = after;
                let Ok(messages) = state
                    .chat
                    .store
                    .call(move |c| conv::messages(c, id, from, false))
                    .await
                else {
                    break;
                };
                for message in messages {
                    after = message.id;
                    let event = SseEvent::default()
                        .event("message")
                        .id(message.id.to_string())
                        .json_data(ResidentMessage::from(message));
                    let Ok(event) = event else { continue };
                    if tx.send(Ok(event)).await.is_err() {
                        return;
                    }
                }
            }
            let event = tokio::select! {
                received = events.recv() => received,
                _ = shutdown.changed() => break,
                () = tx.closed() => break,
            };
            fetch = match event {
                Ok(Event::Message {
                    conversation_id,
                    direction,
                    ..
                }) => conversation_id == id && direction != Direction::Note,
                Ok(_) => false,
                Err(broadcast::error::RecvError::Lagged(_)) => true,
                Err(broadcast::error::RecvError::Closed) => break,
            };
        }
    });
    Ok(stream(rx))
}
