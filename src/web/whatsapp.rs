//! The WhatsApp Business Cloud API webhook.
//!
//! ```text
//! GET  /webhooks/whatsapp   Meta verifies the URL: hub.mode, hub.verify_token, hub.challenge
//! POST /webhooks/whatsapp   messages and delivery statuses, signed with the app secret
//! ```
//!
//! A POST is answered 200 only after everything in it is committed. Meta retries anything
//! else for days and may deliver the same message twice; the wamid is unique in the store, so
//! a second delivery is acknowledged and ignored. The signature is checked over the raw bytes
//! before the body is parsed; a request that fails it stores nothing.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, AppError};
use crate::channels::whatsapp::payload::{self, Content, DeliveryStatus, Event};
use crate::channels::whatsapp::signature::{verify_signature, verify_token_matches};
use crate::chat::Delivery;
use crate::chat::service::{Incoming, Received, WHATSAPP};
use crate::config::WhatsAppCredentials;
use crate::store::statuses::{self, StatusUpdate};

/// Meta batches several messages and statuses in one delivery.
const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/webhooks/whatsapp",
        get(verify)
            .post(receive)
            .layer(DefaultBodyLimit::max(MAX_WEBHOOK_BYTES)),
    )
}

fn credentials(state: &AppState) -> Result<WhatsAppCredentials, ApiError> {
    state.chat.config.whatsapp.credentials().map_err(|_| {
        ApiError(AppError::Rejected(
            StatusCode::NOT_FOUND,
            "the WhatsApp channel is not configured".into(),
        ))
    })
}

#[derive(Deserialize)]
struct Verification {
    #[serde(rename = "hub.mode")]
    mode: Option<String>,
    #[serde(rename = "hub.verify_token")]
    verify_token: Option<String>,
    #[serde(rename = "hub.challenge")]
    challenge: Option<String>,
}

/// Meta's subscription check: echo the challenge when the verify token matches.
async fn verify(
    State(state): State<AppState>,
    Query(query): Query<Verification>,
) -> Result<Response, ApiError> {
    let credentials = credentials(&state)?;
    let matches = query.mode.as_deref() == Some("subscribe")
        && query
            .verify_token
            .as_deref()
            .is_some_and(|given| verify_token_matches(&credentials.verify_token, given));
    match (matches, query.challenge) {
        (true, Some(challenge)) => Ok(challenge.into_response()),
        _ => {
            tracing::warn!("whatsapp: webhook verification refused");
            Ok((StatusCode::FORBIDDEN, "verification failed").into_response())
        }
    }
}

async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let credentials = credentials(&state)?;
    let signature = headers
        .get("x-hub-signature-256")
        .and_then(|v| v.to_str().ok());
    if let Err(err) = verify_signature(credentials.app_secret.as_bytes(), &body, signature) {
        tracing::warn!(error = %err, "whatsapp: webhook refused");
        return Err(ApiError(AppError::Rejected(
            StatusCode::UNAUTHORIZED,
            err.to_string(),
        )));
    }
    let events =
        payload::parse(&body).map_err(|err| ApiError(AppError::BadRequest(err.to_string())))?;
    let mut tally = Tally::default();
    for event in events {
        match event {
            Event::Inbound(message) => {
                let file_name = file_name_of(&message.content);
                let incoming = Incoming {
                    channel: WHATSAPP.to_string(),
                    text: message.content.summary(),
                    media: media_of(&message.content),
                    resident_ref: message.from,
                    channel_message_id: Some(message.wamid),
                    resident_name: message.profile_name,
                };
                match state.chat.receive_incoming(incoming).await {
                    Ok(Received::New { message, .. }) => {
                        tally.stored += 1;
                        if let Some(name) = file_name {
                            name_file(&state, message.id, &name).await?;
                        }
                    }
                    Ok(Received::Duplicate) => tally.duplicates += 1,
                    // An empty text cannot be stored; acknowledging it stops Meta's retries.
                    Err(crate::chat::ChatError::Empty) => tally.ignored += 1,
                    Err(err) => return Err(err.into()),
                }
            }
            Event::Status(status) => {
                let update = StatusUpdate {
                    channel_message_id: status.wamid.clone(),
                    delivery: match status.status {
                        DeliveryStatus::Sent => Delivery::Sent,
                        DeliveryStatus::Delivered => Delivery::Delivered,
                        DeliveryStatus::Read => Delivery::Read,
                        DeliveryStatus::Failed => Delivery::Failed,
                    },
                    error: status.error.clone(),
                };
                let changed = state
                    .chat
                    .store
                    .call(move |c| statuses::apply_status(c, &update))
                    .await?;
                if let Some(message) = changed {
                    state.chat.hub.publish(crate::chat::Event::Conversation {
                        conversation_id: message.conversation_id,
                        change: "delivery",
                    });
                }
                tally.statuses += 1;
            }
        }
    }
    tracing::info!(
        stored = tally.stored,
        duplicates = tally.duplicates,
        statuses = tally.statuses,
        "whatsapp: webhook processed"
    );
    Ok(axum::Json(serde_json::json!({
        "stored": tally.stored,
        "duplicates": tally.duplicates,
        "ignored": tally.ignored,
        "statuses": tally.statuses,
    }))
    .into_response())
}

#[derive(Default)]
struct Tally {
    stored: usize,
    duplicates: usize,
    ignored: usize,
    statuses: usize,
}

/// A document's file name as the resident sent it.
fn file_name_of(content: &Content) -> Option<String> {
    match content {
        Content::Media { filename, .. } => filename.clone().filter(|f| !f.trim().is_empty()),
        _ => None,
    }
}

/// Keeps a document's name for its download, personal data masked like the message text.
async fn name_file(state: &AppState, message_id: i64, name: &str) -> Result<(), ApiError> {
    let screened = crate::chat::privacy::screen(name, &state.chat.config.privacy).text;
    state
        .chat
        .store
        .call(move |c| crate::store::media::set_file_name(c, message_id, &screened))
        .await?;
    Ok(())
}

/// The kind and media id the store keeps for a message that is not text.
fn media_of(content: &Content) -> Option<(String, String)> {
    match content {
        Content::Text(_) => None,
        Content::Media { kind, media_id, .. } => Some((kind.as_str().into(), media_id.clone())),
        Content::Location { .. } => Some(("location".into(), String::new())),
        Content::Other { .. } => Some(("other".into(), String::new())),
    }
}
