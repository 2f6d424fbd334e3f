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
//!
//! Only a bad envelope is refused (401 signature, 400 body; one warn line each, without the
//! body's text). A message that cannot be stored is skipped and counted as `ignored`, a change
//! for another phone number id as `foreign`, and the rest of the body is processed: Meta would
//! redeliver a refused body for days, and every good message in it would be lost with it.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, AppError};
use crate::channels::whatsapp::payload::{
    self, Content, DeliveryStatus, EchoMessage, Event, Forwarded, MarketingPreference,
    SystemChange, SystemMessage,
};
use crate::channels::whatsapp::signature::{verify_signature, verify_token_matches};
use crate::chat::Delivery;
use crate::chat::service::{Incoming, Received, WHATSAPP};
use crate::config::WhatsAppCredentials;
use crate::store::details::MessageDetails;
use crate::store::echoes::Echo;
use crate::store::numbers::{self, Noted, SystemNote};
use crate::store::statuses::{self, StatusUpdate};

mod updates;

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
        tracing::warn!(error = %err, bytes = body.len(), "whatsapp: webhook refused (401)");
        return Err(ApiError(AppError::Rejected(
            StatusCode::UNAUTHORIZED,
            err.to_string(),
        )));
    }
    let events = payload::parse_for(&body, &credentials.phone_number_id).map_err(|err| {
        let summary = err.safe_summary();
        tracing::warn!(problem = %summary, bytes = body.len(), "whatsapp: webhook rejected (400)");
        ApiError(AppError::BadRequest(summary))
    })?;
    let mut tally = Tally::default();
    for event in events {
        match event {
            Event::Inbound(message) => {
                if let Content::Unreadable { kind, problems, .. } = &message.content {
                    tracing::warn!(kind = %kind, problems = %paths(problems), "whatsapp: message stored as unreadable");
                }
                let details = details_of(&message);
                let incoming = Incoming {
                    channel: WHATSAPP.to_string(),
                    text: message.content.summary(),
                    media: media_of(&message.content),
                    file_name: file_name_of(&message.content),
                    resident_ref: message.from,
                    channel_message_id: Some(message.wamid),
                    resident_name: message.profile_name,
                    reply_to: message.context.reply_to,
                    details,
                    sent_at: Some(message.timestamp),
                };
                match state.chat.receive_incoming(incoming).await {
                    Ok(Received::New { .. }) => tally.stored += 1,
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
            update @ (Event::Reaction { .. } | Event::Edit { .. } | Event::Revoke(_)) => {
                updates::apply(&state, update, &mut tally).await?;
            }
            Event::System(system) => tally.count(note_system(&state, system).await?),
            Event::Echo(echo) => tally.count(record_echo(&state, echo).await?),
            Event::MarketingPreference(preference) => {
                let MarketingPreference {
                    wa_id,
                    value,
                    timestamp,
                    ..
                } = preference;
                state
                    .chat
                    .record_marketing_preference(wa_id, value, timestamp)
                    .await?;
                tally.stored += 1;
            }
            Event::Skipped(problems) => {
                tracing::warn!(problems = %paths(&problems), "whatsapp: message or status skipped");
                tally.ignored += 1;
            }
            Event::Foreign(foreign) => {
                tracing::warn!(
                    phone_number_id = %foreign.phone_number_id,
                    items = foreign.items,
                    "whatsapp: change for a number this install does not serve ignored"
                );
                tally.foreign += foreign.items;
            }
        }
    }
    tracing::info!(
        stored = tally.stored,
        duplicates = tally.duplicates,
        ignored = tally.ignored,
        updates = tally.updates,
        foreign = tally.foreign,
        statuses = tally.statuses,
        "whatsapp: webhook processed"
    );
    Ok(axum::Json(serde_json::json!({
        "stored": tally.stored,
        "duplicates": tally.duplicates,
        "ignored": tally.ignored,
        "foreign": tally.foreign,
        "statuses": tally.statuses,
        "updates": tally.updates,
    }))
    .into_response())
}

/// A message's problems for the log: paths and what was wrong, never the values (see
/// `payload::walk::shape_problem`).
fn paths(problems: &[payload::FieldProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the dashboard shows around a resident message besides its text.
fn details_of(message: &payload::InboundMessage) -> MessageDetails {
    let (choice_id, choice_description) = match &message.content {
        Content::Choice {
            id, description, ..
        } => (id.clone(), description.clone()),
        _ => (None, None),
    };
    MessageDetails {
        forwarded: match message.context.forwarded {
            Forwarded::No => None,
            Forwarded::Once => Some("doorgestuurd".into()),
            Forwarded::Frequently => Some("vaak doorgestuurd".into()),
        },
        referral: message.context.referral.clone(),
        choice_id,
        choice_description,
        sent_outside: false,
    }
}

/// What one delivery did, for the answer and the log line.
#[derive(Default)]
struct Tally {
    stored: usize,
    duplicates: usize,
    ignored: usize,
    /// Items in changes for numbers we do not serve.
    foreign: usize,
    statuses: usize,
    /// Reactions, edits and revokes applied (see `updates.rs`).
    updates: usize,
}

impl Tally {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Stored => self.stored += 1,
            Outcome::Duplicate => self.duplicates += 1,
            Outcome::Ignored => self.ignored += 1,
        }
    }
}

/// A document's file name as the resident sent it.
fn file_name_of(content: &Content) -> Option<String> {
    match content {
        Content::Media { filename, .. } => filename.clone().filter(|f| !f.trim().is_empty()),
        _ => None,
    }
}

/// The kind and media id the store keeps for a message that is not text.
fn media_of(content: &Content) -> Option<(String, String)> {
    match content {
        Content::Text(_) | Content::Choice { .. } => None,
        Content::Media { kind, media_id, .. } => Some((kind.as_str().into(), media_id.clone())),
        Content::Location { .. } => Some(("location".into(), String::new())),
        Content::Contacts(_) => Some(("contacts".into(), String::new())),
        Content::Order { .. } => Some(("order".into(), String::new())),
        Content::FlowReply { .. } => Some(("flow".into(), String::new())),
        Content::Unreadable { .. } | Content::Other { .. } => Some(("other".into(), String::new())),
    }
}

/// What a system message, echo or preference did.
enum Outcome {
    Stored,
    Duplicate,
    Ignored,
}

/// A system message becomes a note for agents in the resident's conversation; a number change
/// moves the conversation to the new number. Never a resident message: no welcome, no bot.
async fn note_system(state: &AppState, system: SystemMessage) -> Result<Outcome, ApiError> {
    let (new_ref, text) = match system.change {
        SystemChange::NumberChanged { new_wa_id } => (Some(new_wa_id), String::new()),
        SystemChange::IdentityChanged => (None, numbers::IDENTITY_CHANGED.to_owned()),
        SystemChange::Other { kind } => (
            None,
            format!("WhatsApp meldt een wijziging bij deze inwoner ({kind})."),
        ),
    };
    let note = SystemNote {
        channel: WHATSAPP.to_owned(),
        resident_ref: system.from,
        channel_message_id: system.wamid,
        at: system.timestamp,
        new_ref,
        text,
    };
    Ok(match state.chat.note_system(note).await? {
        Noted::New { .. } => Outcome::Stored,
        Noted::Duplicate => Outcome::Duplicate,
        Noted::NoConversation => Outcome::Ignored,
    })
}

/// An echo of a message sent from another app on our number is recorded as an outbound
/// message; echoes of edits and deletions are not (they change messages vraagbaak may not
/// have) and are logged.
async fn record_echo(state: &AppState, echo: EchoMessage) -> Result<Outcome, ApiError> {
    if let Content::Other { kind } = &echo.content
        && matches!(kind.as_str(), "edit" | "revoke")
    {
        tracing::info!(kind = %kind, "whatsapp: echo of an edit or deletion not recorded");
        return Ok(Outcome::Ignored);
    }
    let echo = Echo {
        channel: WHATSAPP.to_owned(),
        text: echo.content.summary(),
        resident_ref: echo.to,
        channel_message_id: echo.wamid,
    };
    Ok(match state.chat.record_echo(echo).await? {
        Some(_) => Outcome::Stored,
        None => Outcome::Duplicate,
    })
}
