//! The JSON of the WhatsApp Business Cloud API: the webhook POST body flattened into the
//! [`Event`]s the server stores, and the send request and response of the Graph API.
//!
//! # Strict where we store, lenient elsewhere
//!
//! Meta adds fields and message types without notice, so unknown fields are ignored, changes
//! other than `messages` (template and account updates) are skipped, statuses other than
//! sent/delivered/read/failed are skipped, and a message type we cannot show becomes
//! [`Content::Other`] instead of failing the body.
//!
//! A field we need to store a message or status (its id, sender, timestamp, a text's body, a
//! media id) is required. When one is missing the whole body is rejected with every such
//! problem listed by path (`entry[0].changes[0].value.messages[1].id: missing`), and the
//! server answers 400. Skipping would lose a resident's message without anyone noticing;
//! a 400 shows up in Meta's webhook dashboard and in our logs.
//!
//! # Layout
//!
//! ```text
//! mod.rs      the events the server stores, the errors, and `parse`
//! raw.rs      the webhook's JSON as Meta sends it, as serde structures
//! walk.rs     the walk over a messages change: messages and statuses to events, problems
//! content.rs  a message's type-specific object (`text`, `image`, ...) to a `Content`
//! send.rs     the Graph API's send request and response
//! ```

use std::fmt;

use chrono::{DateTime, Utc};

mod content;
#[cfg(test)]
mod fixtures;
mod raw;
mod send;
mod walk;

pub use send::{outbound_template, outbound_text, sent_wamid};

use raw::{RawPayload, RawValue};
use walk::Walk;

/// The longest text body the Cloud API accepts, in characters.
pub const MAX_BODY_CHARS: usize = 4096;

/// One thing that happened on one of the municipality's WhatsApp numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A resident wrote to us.
    Inbound(InboundMessage),
    /// A message we sent was delivered, read, or failed.
    Status(StatusUpdate),
}

/// A message from a resident.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundMessage {
    /// Which of our numbers received it: the reply must be sent from the same number.
    pub phone_number_id: String,
    /// WhatsApp's message id. Webhooks arrive at least once, so this is the deduplication key.
    pub wamid: String,
    /// The resident's WhatsApp id (`wa_id`): their number in international form without `+`.
    pub from: String,
    /// The name the resident set in WhatsApp, when Meta sent it along.
    pub profile_name: Option<String>,
    pub timestamp: DateTime<Utc>,
    pub content: Content,
}

/// What a resident's message contains, reduced to what an agent can act on.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Typed text, or the title of a button or list item the resident tapped.
    Text(String),
    /// A file kept at Meta; `media_id` fetches it through the Graph API.
    Media {
        kind: MediaKind,
        media_id: String,
        mime_type: String,
        caption: Option<String>,
        filename: Option<String>,
    },
    Location {
        latitude: f64,
        longitude: f64,
        name: Option<String>,
        address: Option<String>,
    },
    /// A type we do not show (reaction, contact card, poll, ...), named as Meta names it.
    Other { kind: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    Audio,
    Video,
    Document,
    Sticker,
}

impl MediaKind {
    /// The type name Meta uses, which is also how the store writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
            MediaKind::Document => "document",
            MediaKind::Sticker => "sticker",
        }
    }
}

/// News about a message we sent.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusUpdate {
    /// The id the send response gave us (see [`sent_wamid`]).
    pub wamid: String,
    pub status: DeliveryStatus,
    pub timestamp: DateTime<Utc>,
    /// The resident's WhatsApp id.
    pub recipient: String,
    /// Why sending failed, e.g. `131047 Re-engagement message: <details>`.
    pub error: Option<String>,
}

/// How far a sent message got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryStatus {
    Sent,
    Delivered,
    Read,
    Failed,
}

/// Why a webhook body was rejected.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("webhook body is not the expected JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("webhook object is {0:?}, expected \"whatsapp_business_account\"")]
    NotWhatsApp(String),
    /// Fields we need are missing or unusable; all of them are listed.
    #[error("webhook body has {} problem(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Invalid(Vec<FieldProblem>),
}

/// One unusable field, located by its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// For example `entry[0].changes[0].value.messages[1].id`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads a webhook POST body into events, in the order Meta listed them (per change: messages,
/// then statuses). An empty `entry` list gives no events.
pub fn parse(raw: &[u8]) -> Result<Vec<Event>, PayloadError> {
    let payload: RawPayload = serde_json::from_slice(raw)?;
    if payload.object != "whatsapp_business_account" {
        return Err(PayloadError::NotWhatsApp(payload.object));
    }
    let mut walk = Walk::default();
    for (e, entry) in payload.entry.into_iter().enumerate() {
        for (c, change) in entry.changes.into_iter().enumerate() {
            // A missing `field` is read as `messages`: hand-written test bodies often omit it.
            if change.field.as_deref().is_some_and(|f| f != "messages") {
                continue;
            }
            let path = format!("entry[{e}].changes[{c}].value");
            match serde_json::from_value::<RawValue>(change.value) {
                Ok(value) => walk.value(&path, value),
                Err(err) => walk.problem(&path, err.to_string()),
            }
        }
    }
    if walk.problems.is_empty() {
        Ok(walk.events)
    } else {
        Err(PayloadError::Invalid(walk.problems))
    }
}

impl Content {
    /// The text an agent sees: the text itself, or a Dutch note in brackets for anything else.
    pub fn summary(&self) -> String {
        match self {
            Content::Text(text) => text.clone(),
            Content::Media {
                kind,
                caption,
                filename,
                ..
            } => {
                let what = match kind {
                    MediaKind::Image => "Afbeelding",
                    MediaKind::Audio => "Spraakbericht",
                    MediaKind::Video => "Video",
                    MediaKind::Document => "Document",
                    MediaKind::Sticker => "Sticker",
                };
                let details: Vec<String> = [
                    filename.clone(),
                    caption.as_ref().map(|c| format!("bijschrift \"{c}\"")),
                ]
                .into_iter()
                .flatten()
                .collect();
                if details.is_empty() {
                    format!("[{what} ontvangen]")
                } else {
                    format!("[{what} ontvangen: {}]", details.join(", "))
                }
            }
            Content::Location {
                latitude,
                longitude,
                name,
                address,
            } => {
                let place: Vec<&str> = [name, address]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if place.is_empty() {
                    format!("[Locatie ontvangen: {latitude}, {longitude}]")
                } else {
                    format!(
                        "[Locatie ontvangen: {} ({latitude}, {longitude})]",
                        place.join(", ")
                    )
                }
            }
            Content::Other { kind } => {
                let label = match kind.as_str() {
                    "reaction" => "reactie",
                    "contacts" => "contactkaart",
                    "order" => "bestelling",
                    "system" => "systeemmelding",
                    "unsupported" | "unknown" => "onbekend",
                    other => other,
                };
                format!("[Bericht van type {label} ontvangen; dit type wordt niet getoond]")
            }
        }
    }
}

impl DeliveryStatus {
    /// The name Meta uses, which is also how the store writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Read => "read",
            DeliveryStatus::Failed => "failed",
        }
    }

    /// The inverse of [`DeliveryStatus::as_str`]; `None` for names we do not track.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sent" => Some(DeliveryStatus::Sent),
            "delivered" => Some(DeliveryStatus::Delivered),
            "read" => Some(DeliveryStatus::Read),
            "failed" => Some(DeliveryStatus::Failed),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_foreign_objects_are_rejected() {
        assert!(matches!(parse(b"not json"), Err(PayloadError::Json(_))));
        assert!(matches!(
            parse(br#"{"object":"whatsapp_business_account","entry":{}}"#),
            Err(PayloadError::Json(_))
        ));
        assert!(
            matches!(parse(br#"{"object":"page","entry":[]}"#), Err(PayloadError::NotWhatsApp(o)) if o == "page")
        );
    }

    #[test]
    fn an_empty_entry_list_has_no_events() {
        let events =
            parse(br#"{"object":"whatsapp_business_account","entry":[]}"#).expect("valid body");
        assert!(events.is_empty());
    }

    #[test]
    fn summaries_describe_non_text_messages_in_dutch() {
        let media = |kind, caption: Option<&str>, filename: Option<&str>| Content::Media {
            kind,
            media_id: "1".into(),
            mime_type: "x/y".into(),
            caption: caption.map(Into::into),
            filename: filename.map(Into::into),
        };
        assert_eq!(
            media(MediaKind::Image, Some("Scheve stoeptegel"), None).summary(),
            "[Afbeelding ontvangen: bijschrift \"Scheve stoeptegel\"]"
        );
        assert_eq!(
            media(MediaKind::Image, None, None).summary(),
            "[Afbeelding ontvangen]"
        );
        assert_eq!(
            media(MediaKind::Audio, None, None).summary(),
            "[Spraakbericht ontvangen]"
        );
        assert_eq!(
            media(MediaKind::Document, None, Some("factuur.pdf")).summary(),
            "[Document ontvangen: factuur.pdf]"
        );
        let location = Content::Location {
            latitude: 52.1,
            longitude: 5.1,
            name: None,
            address: Some("Dorpsstraat 1".into()),
        };
        assert_eq!(
            location.summary(),
            "[Locatie ontvangen: Dorpsstraat 1 (52.1, 5.1)]"
        );
        assert_eq!(
            Content::Other {
                kind: "sticker".into()
            }
            .summary(),
            "[Bericht van type sticker ontvangen; dit type wordt niet getoond]"
        );
        assert_eq!(Content::Text("Dank u wel".into()).summary(), "Dank u wel");
    }

    #[test]
    fn status_names_round_trip() {
        use DeliveryStatus::*;
        for status in [Sent, Delivered, Read, Failed] {
            assert_eq!(DeliveryStatus::from_name(status.as_str()), Some(status));
        }
    }
}
