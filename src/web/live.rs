//! Server-sent events. Dashboards get every change they may see; a resident gets the new
//! messages of their own conversation. Each stream is a task that follows the event hub and
//! reads from the store with the subscriber's rights; it ends when the client goes away or
//! the server shuts down.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;

use super::AppState;
use super::auth::{Agent, ClientIp};
use super::chat::{ResidentMessage, TokenQuery, conversation_for_token};
use super::error::{ApiResult, AppError, PageResult};
use crate::chat::{Direction, Event};
use crate::store::conversations as conv;
use crate::store::inbox;

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
    Agent(session): Agent,
) -> PageResult<EventStream> {
    let mut events = state.chat.hub.subscribe();
    let mut shutdown = state.shutdown.clone();
    let (tx, rx) = mpsc::channel(64);
    let user = session.user;
    tokio::spawn(async move {
        loop {
            let event = tokio::select! {
                received = events.recv() => received,
                _ = shutdown.changed() => break,
                () = tx.closed() => break,
            };
            let sse = match event {
                Ok(event) => {
                    if user.department.is_some() {
                        let id = event.conversation_id();
                        let visible = state
                            .chat
                            .store
                            .call(move |c| conv::conversation(c, id))
                            .await
                            .ok()
                            .flatten()
                            .is_some_and(|c| inbox::can_access(&user, &c));
                        if !visible {
                            continue;
                        }
                    }
                    SseEvent::default().event("change").json_data(&event)
                }
                // Too far behind: the page reloads its whole view.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    Ok(SseEvent::default().event("reload").data("lagged"))
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            let Ok(sse) = sse else { continue };
            if tx.send(Ok(sse)).await.is_err() {
                break;
            }
        }
    });
    Ok(stream(rx))
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
