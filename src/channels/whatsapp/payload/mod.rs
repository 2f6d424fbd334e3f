//! The JSON of the WhatsApp Business Cloud API: the webhook POST body flattened into the
//! [`Event`]s the server stores, and the send request and response of the Graph API.
//!
//! # Strict about the envelope, lenient about each message
//!
//! Meta adds fields and message types without notice, so unknown fields are ignored, changes
//! other than `messages`, `smb_message_echoes` and `user_preferences` (template and account
//! updates) are skipped, statuses other than sent/delivered/read/failed are skipped, and a
//! message type we cannot show becomes [`Content::Other`] instead of failing the body.
//!
//! Only a problem with the envelope rejects the body (answered 400): not JSON, an `object`
//! other than `whatsapp_business_account`, a change whose value is not an object of the known
//! shape, or a messages change without `metadata.phone_number_id`. Meta redelivers a rejected
//! body for days, so one bad message must not do that to the others beside it:
//!
//! - a message with id, sender and timestamp whose type-specific part is unusable (Meta sends
//!   `interactive` without its object, with error 131000 beside it) is a real resident
//!   message: it becomes [`Content::Unreadable`], naming what arrived and Meta's error, and is
//!   stored and answered like any other message we cannot show (it may need a person);
//! - a message or status without id, sender or usable timestamp cannot be stored: it becomes
//!   [`Event::Skipped`] with its problems located by path
//!   (`entry[0].changes[0].value.messages[1].id: missing`), which the server logs (paths only,
//!   never content) and counts as ignored.
//!
//! [`parse_for`] also drops every change addressed to a phone number id other than ours, as
//! one [`Event::Foreign`] per change.
//!
//! # Layout
//!
//! ```text
//! mod.rs      the events the server stores, the errors, and `parse`
//! raw.rs      the webhook's JSON as Meta sends it, as serde structures
//! walk.rs     the walk over a messages change: messages and statuses to events, problems
//! content.rs  a message's type-specific object (`text`, `image`, ...) to a `Content`
//! rich.rs     contacts, orders and flow replies, the richer message kinds
//! others.rs   system messages, message echoes, marketing preferences
//! summary.rs  the readable Dutch text stored for each `Content`
//! updates.rs  reactions, edits and revokes: messages that change an earlier message
//! send.rs     the Graph API's send request and response
//! ```

use std::fmt;

use chrono::{DateTime, Utc};

mod content;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod lenient_tests;
mod others;
mod raw;
mod rich;
mod send;
mod summary;
mod updates;
mod walk;

pub use others::{EchoMessage, ForeignChange, MarketingPreference, SystemChange, SystemMessage};
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
    /// WhatsApp says something about a resident: a new number, a new security code.
    System(SystemMessage),
    /// A message the municipality sent from another app on the same number.
    Echo(EchoMessage),
    /// A resident stopped or resumed marketing messages.
    MarketingPreference(MarketingPreference),
    /// A message or status that cannot be stored (no id, sender or time): logged by path and
    /// counted, while the rest of the body is processed.
    Skipped(Vec<FieldProblem>),
    /// A change addressed to a number this install does not serve (see [`parse_for`]).
    Foreign(ForeignChange),
    /// A resident reacted to a message with an emoji; `None` takes their reaction back.
    Reaction {
        update: MessageUpdate,
        emoji: Option<String>,
    },
    /// A resident edited one of their messages. `None` when Meta did not send the new content
    /// in a form we can read.
    Edit {
        update: MessageUpdate,
        content: Option<Content>,
    },
    /// A resident deleted one of their messages for everyone.
    Revoke(MessageUpdate),
}

/// A resident's message that changes an earlier message instead of saying something new.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageUpdate {
    /// Which of our numbers received it.
    pub phone_number_id: String,
    /// The update's own id: a redelivery is recognised by it.
    pub wamid: String,
    /// The resident's WhatsApp id.
    pub from: String,
    pub timestamp: DateTime<Utc>,
    /// The wamid of the message it applies to (`reaction.message_id`,
    /// `original_message_id`); `None` when Meta did not say, so it cannot be applied.
    pub target: Option<String>,
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
    /// What the message replies to, whether it was forwarded, the ad it came from.
    pub context: MessageContext,
}

/// Around a message: the message it quotes, forwarding, a click-to-WhatsApp ad.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MessageContext {
    /// The wamid of the message this one replies to.
    pub reply_to: Option<String>,
    pub forwarded: Forwarded,
    /// The ad's headline and source URL, when the resident came from a click-to-WhatsApp ad.
    pub referral: Option<String>,
}

/// Whether WhatsApp marked a message as forwarded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Forwarded {
    #[default]
    No,
    Once,
    /// Forwarded through a chain of five or more chats.
    Frequently,
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
    /// A button or list item the resident tapped: the title is the text, the id and
    /// description are what we offered.
    Choice {
        title: String,
        id: Option<String>,
        description: Option<String>,
    },
    /// Contact cards the resident shared.
    Contacts(Vec<ContactCard>),
    /// An order from the catalogue.
    Order {
        catalog_id: Option<String>,
        text: Option<String>,
        items: Vec<OrderItem>,
    },
    /// A WhatsApp Flow's answers, as `key: value` pairs sorted by key.
    FlowReply {
        name: Option<String>,
        body: Option<String>,
        fields: Vec<(String, String)>,
    },
    /// A message whose type-specific part we could not read: what arrived and Meta's error.
    Unreadable {
        kind: String,
        error: Option<String>,
        /// Where the message was unusable, for the log (paths only).
        problems: Vec<FieldProblem>,
    },
    /// A type we do not show (reaction, poll, ...), named as Meta names it.
    Other { kind: String },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactCard {
    pub name: Option<String>,
    pub phones: Vec<String>,
    pub emails: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrderItem {
    pub product_id: Option<String>,
    pub quantity: Option<f64>,
    pub price: Option<f64>,
    pub currency: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    Image,
    /// An audio file (`voice: false`, or Meta did not say).
    Audio,
    /// A voice message recorded in WhatsApp (`audio` with `voice: true`).
    Voice,
    Video,
    Document,
    Sticker,
}

impl MediaKind {
    /// The type name Meta uses, which is also how the store writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Audio | MediaKind::Voice => "audio",
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

impl PayloadError {
    /// A description safe for the log: serde's messages can quote the body (and so a
    /// resident's text), so only serde's category, line and column, and field paths, appear.
    pub fn safe_summary(&self) -> String {
        match self {
            PayloadError::Json(err) => format!(
                "not the expected JSON ({:?} error at line {}, column {})",
                err.classify(),
                err.line(),
                err.column()
            ),
            PayloadError::NotWhatsApp(_) => {
                "object is not \"whatsapp_business_account\"".to_owned()
            }
            PayloadError::Invalid(problems) => format!(
                "unusable field(s): {}",
                problems
                    .iter()
                    .map(|p| p.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Reads a webhook POST body into events, in the order Meta listed them (per change: messages,
/// then statuses). An empty `entry` list gives no events.
pub fn parse(raw: &[u8]) -> Result<Vec<Event>, PayloadError> {
    walk_body(raw, None)
}

/// [`parse`] for the install that serves `phone_number_id`: each change addressed to another
/// number becomes one [`Event::Foreign`] instead of its messages and statuses.
pub fn parse_for(raw: &[u8], phone_number_id: &str) -> Result<Vec<Event>, PayloadError> {
    walk_body(raw, Some(phone_number_id))
}

fn walk_body(raw: &[u8], ours: Option<&str>) -> Result<Vec<Event>, PayloadError> {
    let payload: RawPayload = serde_json::from_slice(raw)?;
    if payload.object != "whatsapp_business_account" {
        return Err(PayloadError::NotWhatsApp(payload.object));
    }
    let mut walk = Walk::default();
    for (e, entry) in payload.entry.into_iter().enumerate() {
        for (c, change) in entry.changes.into_iter().enumerate() {
            // A missing `field` is read as `messages`: hand-written test bodies often omit it.
            let field = change.field.as_deref().unwrap_or("messages");
            if !matches!(
                field,
                "messages" | "smb_message_echoes" | "user_preferences"
            ) {
                continue;
            }
            let path = format!("entry[{e}].changes[{c}].value");
            match serde_json::from_value::<RawValue>(change.value) {
                Ok(value) => walk.value(&path, value, ours),
                Err(err) => walk.problem(&path, walk::shape_problem(&err)),
            }
        }
    }
    if walk.problems.is_empty() {
        Ok(walk.events)
    } else {
        Err(PayloadError::Invalid(walk.problems))
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
    fn status_names_round_trip() {
        use DeliveryStatus::*;
        for status in [Sent, Delivered, Read, Failed] {
            assert_eq!(DeliveryStatus::from_name(status.as_str()), Some(status));
        }
    }
}
