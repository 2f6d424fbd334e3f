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

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Map, Value, json};

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
    /// How far a message got: sent 1 < delivered 2 < read 3.
    ///
    /// Meta does not promise the order of status webhooks, so a status only replaces one of
    /// lower rank (see [`DeliveryStatus::supersedes`]). `failed` ranks with `delivered`: it
    /// replaces `sent`, but once a message was delivered or read a late `failed` does not move
    /// it backwards, and a `read` after `failed` wins because the resident did see it.
    pub fn rank(self) -> u8 {
        match self {
            DeliveryStatus::Sent => 1,
            DeliveryStatus::Delivered | DeliveryStatus::Failed => 2,
            DeliveryStatus::Read => 3,
        }
    }

    /// Whether this status should replace `current` as a message's stored status.
    pub fn supersedes(self, current: DeliveryStatus) -> bool {
        self.rank() > current.rank()
    }

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

/// The Graph API request body that sends `body` as a text message to `to` (a `wa_id`).
///
/// Callers should keep answers within [`MAX_BODY_CHARS`]; a longer body is cut short with `…`
/// here as a last resort, because Meta rejects it outright and the resident would get nothing.
pub fn outbound_text(to: &str, body: &str) -> Value {
    let body = if body.chars().count() > MAX_BODY_CHARS {
        let mut cut: String = body.chars().take(MAX_BODY_CHARS - 1).collect();
        cut.push('…');
        cut
    } else {
        body.to_owned()
    };
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": { "preview_url": true, "body": body },
    })
}

/// The `wamid` of a sent message, from the Graph API's send response (`messages[0].id`); its
/// status webhooks refer to it.
pub fn sent_wamid(response: &Value) -> Option<String> {
    response
        .pointer("/messages/0/id")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

// The webhook as Meta sends it. Every field we read is optional here so that a missing one
// becomes a `FieldProblem` with its path instead of serde's line and column.

#[derive(Deserialize)]
struct RawPayload {
    object: String,
    #[serde(default)]
    entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    #[serde(default)]
    changes: Vec<RawChange>,
}

#[derive(Deserialize)]
struct RawChange {
    field: Option<String>,
    /// Kept untyped until `field` says it is a messages change: other fields have other shapes.
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize)]
struct RawValue {
    metadata: Option<RawMetadata>,
    #[serde(default)]
    contacts: Vec<RawContact>,
    #[serde(default)]
    messages: Vec<RawMessage>,
    #[serde(default)]
    statuses: Vec<RawStatus>,
}

#[derive(Deserialize)]
struct RawMetadata {
    phone_number_id: Option<String>,
}

#[derive(Deserialize)]
struct RawContact {
    wa_id: Option<String>,
    profile: Option<RawProfile>,
}

#[derive(Deserialize)]
struct RawProfile {
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawMessage {
    from: Option<String>,
    id: Option<String>,
    timestamp: Option<RawTimestamp>,
    #[serde(rename = "type")]
    kind: Option<String>,
    /// The type-specific object (`text`, `image`, ...) among the rest, read once the type is
    /// known, so that a new type's unfamiliar shape cannot fail the body.
    #[serde(flatten)]
    rest: Map<String, Value>,
}

#[derive(Deserialize)]
struct RawStatus {
    id: Option<String>,
    status: Option<String>,
    timestamp: Option<RawTimestamp>,
    recipient_id: Option<String>,
    #[serde(default)]
    errors: Vec<RawError>,
}

#[derive(Deserialize)]
struct RawError {
    code: Option<i64>,
    title: Option<String>,
    message: Option<String>,
    error_data: Option<RawErrorData>,
}

#[derive(Deserialize)]
struct RawErrorData {
    details: Option<String>,
}

/// Meta sends Unix seconds as a string; a number is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawTimestamp {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
struct RawText {
    body: Option<String>,
}

#[derive(Deserialize)]
struct RawMedia {
    id: Option<String>,
    mime_type: Option<String>,
    caption: Option<String>,
    filename: Option<String>,
}

#[derive(Deserialize)]
struct RawLocation {
    latitude: Option<f64>,
    longitude: Option<f64>,
    name: Option<String>,
    address: Option<String>,
}

/// `button.text` of a template's quick-reply button.
#[derive(Deserialize)]
struct RawButton {
    text: Option<String>,
}

#[derive(Deserialize)]
struct RawInteractive {
    #[serde(rename = "type")]
    kind: Option<String>,
    button_reply: Option<RawReply>,
    list_reply: Option<RawReply>,
}

#[derive(Deserialize)]
struct RawReply {
    title: Option<String>,
}

/// The events found so far and every problem met on the way.
#[derive(Default)]
struct Walk {
    events: Vec<Event>,
    problems: Vec<FieldProblem>,
}

impl Walk {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(FieldProblem {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// `field` of the object at `path`, or a "missing" problem.
    fn required<T>(&mut self, path: &str, field: &str, value: Option<T>) -> Option<T> {
        if value.is_none() {
            self.problem(&format!("{path}.{field}"), "missing");
        }
        value
    }

    fn timestamp(&mut self, path: &str, raw: Option<RawTimestamp>) -> Option<DateTime<Utc>> {
        let seconds = match self.required(path, "timestamp", raw)? {
            RawTimestamp::Text(text) => text.trim().parse::<i64>().ok(),
            RawTimestamp::Number(n) => Some(n),
        };
        let parsed = seconds.and_then(|s| DateTime::from_timestamp(s, 0));
        if parsed.is_none() {
            self.problem(&format!("{path}.timestamp"), "not a Unix timestamp");
        }
        parsed
    }

    fn value(&mut self, path: &str, value: RawValue) {
        // Contacts come in the same value as the messages and name each sender once.
        let names: HashMap<String, String> = value
            .contacts
            .into_iter()
            .filter_map(|c| Some((c.wa_id?, c.profile?.name?)))
            .collect();
        let phone_number_id = if value.messages.is_empty() {
            None
        } else {
            let id = value.metadata.and_then(|m| m.phone_number_id);
            self.required(&format!("{path}.metadata"), "phone_number_id", id)
        };
        for (m, message) in value.messages.into_iter().enumerate() {
            let path = format!("{path}.messages[{m}]");
            let wamid = self.required(&path, "id", message.id);
            let from = self.required(&path, "from", message.from);
            let timestamp = self.timestamp(&path, message.timestamp);
            let kind = self.required(&path, "type", message.kind);
            let content = kind.and_then(|kind| self.content(&path, &kind, message.rest));
            if let (
                Some(phone_number_id),
                Some(wamid),
                Some(from),
                Some(timestamp),
                Some(content),
            ) = (phone_number_id.clone(), wamid, from, timestamp, content)
            {
                let profile_name = names.get(&from).cloned();
                self.events.push(Event::Inbound(InboundMessage {
                    phone_number_id,
                    wamid,
                    from,
                    profile_name,
                    timestamp,
                    content,
                }));
            }
        }
        for (s, status) in value.statuses.into_iter().enumerate() {
            let path = format!("{path}.statuses[{s}]");
            let wamid = self.required(&path, "id", status.id);
            let name = self.required(&path, "status", status.status);
            let timestamp = self.timestamp(&path, status.timestamp);
            let recipient = self.required(&path, "recipient_id", status.recipient_id);
            // Statuses we do not track (Meta has sent `deleted` and `warning`) are skipped.
            let delivery = name.as_deref().and_then(DeliveryStatus::from_name);
            if let (Some(wamid), Some(delivery), Some(timestamp), Some(recipient)) =
                (wamid, delivery, timestamp, recipient)
            {
                self.events.push(Event::Status(StatusUpdate {
                    wamid,
                    status: delivery,
                    timestamp,
                    recipient,
                    error: error_text(&status.errors),
                }));
            }
        }
    }

    /// The content of a message of type `kind`; `None` after recording a problem.
    fn content(&mut self, path: &str, kind: &str, mut rest: Map<String, Value>) -> Option<Content> {
        let media_kind = match kind {
            "image" => Some(MediaKind::Image),
            "audio" => Some(MediaKind::Audio),
            "video" => Some(MediaKind::Video),
            "document" => Some(MediaKind::Document),
            "sticker" => Some(MediaKind::Sticker),
            _ => None,
        };
        match kind {
            "text" => {
                let text: RawText = self.object(path, kind, &mut rest)?;
                let body = self.required(&format!("{path}.text"), "body", text.body)?;
                Some(Content::Text(body))
            }
            _ if media_kind.is_some() => {
                let media: RawMedia = self.object(path, kind, &mut rest)?;
                let at = format!("{path}.{kind}");
                let media_id = self.required(&at, "id", media.id);
                let mime_type = self.required(&at, "mime_type", media.mime_type);
                Some(Content::Media {
                    kind: media_kind?,
                    media_id: media_id?,
                    mime_type: mime_type?,
                    caption: media.caption,
                    filename: media.filename,
                })
            }
            "location" => {
                let location: RawLocation = self.object(path, kind, &mut rest)?;
                let at = format!("{path}.location");
                let latitude = self.required(&at, "latitude", location.latitude);
                let longitude = self.required(&at, "longitude", location.longitude);
                Some(Content::Location {
                    latitude: latitude?,
                    longitude: longitude?,
                    name: location.name,
                    address: location.address,
                })
            }
            "button" => {
                let button: RawButton = self.object(path, kind, &mut rest)?;
                let text = self.required(&format!("{path}.button"), "text", button.text)?;
                Some(Content::Text(text))
            }
            "interactive" => {
                let interactive: RawInteractive = self.object(path, kind, &mut rest)?;
                let (reply, field) = match interactive.kind.as_deref() {
                    Some("button_reply") => (interactive.button_reply, "button_reply"),
                    Some("list_reply") => (interactive.list_reply, "list_reply"),
                    // Flow replies and future kinds carry no title to show.
                    _ => {
                        return Some(Content::Other {
                            kind: kind.to_owned(),
                        });
                    }
                };
                let at = format!("{path}.interactive");
                let reply = self.required(&at, field, reply)?;
                let title = self.required(&format!("{at}.{field}"), "title", reply.title)?;
                Some(Content::Text(title))
            }
            // Newer bodies name what was unsupported (`poll_creation`, `edit`): more useful to
            // an agent than "unsupported".
            "unsupported" => {
                let inner = rest
                    .get("unsupported")
                    .and_then(|u| u.get("type"))
                    .and_then(Value::as_str);
                Some(Content::Other {
                    kind: inner.unwrap_or(kind).to_owned(),
                })
            }
            _ => Some(Content::Other {
                kind: kind.to_owned(),
            }),
        }
    }

    /// The object named after the message type (`"image": {...}`), typed.
    fn object<T: serde::de::DeserializeOwned>(
        &mut self,
        path: &str,
        kind: &str,
        rest: &mut Map<String, Value>,
    ) -> Option<T> {
        let raw = self.required(path, kind, rest.remove(kind))?;
        match serde_json::from_value(raw) {
            Ok(object) => Some(object),
            Err(err) => {
                self.problem(&format!("{path}.{kind}"), err.to_string());
                None
            }
        }
    }
}

/// `131047 Re-engagement message: <details>` for each error, joined by `; `.
fn error_text(errors: &[RawError]) -> Option<String> {
    let texts: Vec<String> = errors
        .iter()
        .filter_map(|e| {
            let head: Vec<String> = [e.code.map(|c| c.to_string()), e.title.clone()]
                .into_iter()
                .flatten()
                .collect();
            let head = head.join(" ");
            // `message` often repeats `title`; `error_data.details` is the informative part.
            let detail = e
                .error_data
                .as_ref()
                .and_then(|d| d.details.clone())
                .or_else(|| e.message.clone().filter(|m| Some(m) != e.title.as_ref()));
            match (head.is_empty(), detail) {
                (true, None) => None,
                (true, Some(detail)) => Some(detail),
                (false, None) => Some(head),
                (false, Some(detail)) => Some(format!("{head}: {detail}")),
            }
        })
        .collect();
    (!texts.is_empty()).then(|| texts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE_NUMBER_ID: &str = "106540352242922";

    /// A messages change as Meta sends it, around `value`'s `contacts` and `messages`.
    fn change(value: Value) -> Value {
        let mut full = json!({
            "messaging_product": "whatsapp",
            "metadata": { "display_phone_number": "31850001234", "phone_number_id": PHONE_NUMBER_ID },
        });
        if let (Some(full), Some(extra)) = (full.as_object_mut(), value.as_object()) {
            full.extend(extra.clone());
        }
        json!({ "field": "messages", "value": full })
    }

    fn body(changes: Vec<Value>) -> Vec<u8> {
        json!({
            "object": "whatsapp_business_account",
            "entry": [{ "id": "102290129340398", "changes": changes }],
        })
        .to_string()
        .into_bytes()
    }

    /// A body with one message from Anouk, whose type-specific part is `message`.
    fn one_message(message: Value) -> Vec<u8> {
        let mut full = json!({ "from": "31612345678", "id": "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUVCMDA", "timestamp": "1700000000" });
        if let (Some(full), Some(extra)) = (full.as_object_mut(), message.as_object()) {
            full.extend(extra.clone());
        }
        body(vec![change(json!({
            "contacts": [{ "profile": { "name": "Anouk de Vries" }, "wa_id": "31612345678" }],
            "messages": [full],
        }))])
    }

    fn only_content(raw: &[u8]) -> Content {
        match parse(raw).as_deref() {
            Ok([Event::Inbound(message)]) => message.content.clone(),
            other => panic!("expected one inbound message, got {other:?}"),
        }
    }

    fn problems(raw: &[u8]) -> Vec<String> {
        match parse(raw) {
            Err(PayloadError::Invalid(problems)) => {
                problems.iter().map(ToString::to_string).collect()
            }
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn a_text_message_carries_sender_name_number_and_time() {
        let raw = one_message(
            json!({ "type": "text", "text": { "body": "Wanneer wordt het grofvuil opgehaald?" } }),
        );
        let events = parse(&raw).expect("valid body");
        let [Event::Inbound(message)] = events.as_slice() else {
            panic!("expected one inbound message, got {events:?}");
        };
        assert_eq!(message.phone_number_id, PHONE_NUMBER_ID);
        assert_eq!(message.wamid, "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUVCMDA");
        assert_eq!(message.from, "31612345678");
        assert_eq!(message.profile_name.as_deref(), Some("Anouk de Vries"));
        assert_eq!(
            message.timestamp,
            DateTime::from_timestamp(1_700_000_000, 0).expect("in range")
        );
        assert_eq!(
            message.content,
            Content::Text("Wanneer wordt het grofvuil opgehaald?".into())
        );
    }

    #[test]
    fn every_entry_and_change_is_walked_and_names_follow_their_wa_id() {
        let text = |from: &str, id: &str, body: &str| json!({ "from": from, "id": id, "timestamp": "1700000100", "type": "text", "text": { "body": body } });
        let raw = json!({
            "object": "whatsapp_business_account",
            "entry": [
                { "id": "1", "changes": [
                    change(json!({
                        "contacts": [
                            { "profile": { "name": "Anouk" }, "wa_id": "31611111111" },
                            { "profile": { "name": "Bram" }, "wa_id": "31622222222" },
                        ],
                        "messages": [text("31622222222", "wamid.a", "Hallo"), text("31611111111", "wamid.b", "Goedemiddag")],
                    })),
                    { "field": "message_template_status_update", "value": { "event": "APPROVED", "message_template_id": 1 } },
                ]},
                { "id": "2", "changes": [change(json!({ "messages": [text("31633333333", "wamid.c", "Dag")] }))] },
            ],
        })
        .to_string();
        let events = parse(raw.as_bytes()).expect("valid body");
        let seen: Vec<(&str, Option<&str>)> = events
            .iter()
            .map(|e| match e {
                Event::Inbound(m) => (m.wamid.as_str(), m.profile_name.as_deref()),
                Event::Status(s) => panic!("unexpected status {s:?}"),
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("wamid.a", Some("Bram")),
                ("wamid.b", Some("Anouk")),
                ("wamid.c", None)
            ]
        );
    }

    #[test]
    fn a_status_only_body_gives_status_updates_with_error_text() {
        let raw = body(vec![change(json!({
            "statuses": [
                { "id": "wamid.sent1", "status": "delivered", "timestamp": "1700000200", "recipient_id": "31612345678",
                  "conversation": { "id": "c1", "origin": { "type": "service" } },
                  "pricing": { "billable": false, "pricing_model": "CBP", "category": "service" } },
                { "id": "wamid.sent2", "status": "failed", "timestamp": "1700000300", "recipient_id": "31612345678",
                  "errors": [{ "code": 131047, "title": "Re-engagement message", "message": "Re-engagement message",
                               "error_data": { "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number." } }] },
                { "id": "wamid.sent3", "status": "deleted", "timestamp": "1700000400", "recipient_id": "31612345678" },
            ],
        }))]);
        let events = parse(&raw).expect("valid body");
        let statuses: Vec<&StatusUpdate> = events
            .iter()
            .filter_map(|e| match e {
                Event::Status(s) => Some(s),
                Event::Inbound(_) => None,
            })
            .collect();
        assert_eq!(events.len(), 2, "the unknown `deleted` status is skipped");
        assert_eq!(statuses[0].status, DeliveryStatus::Delivered);
        assert_eq!(statuses[0].error, None);
        assert_eq!(statuses[1].wamid, "wamid.sent2");
        assert_eq!(statuses[1].status, DeliveryStatus::Failed);
        assert_eq!(statuses[1].recipient, "31612345678");
        assert_eq!(
            statuses[1].error.as_deref(),
            Some(
                "131047 Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number."
            )
        );
    }

    #[test]
    fn each_media_type_keeps_id_mime_type_caption_and_filename() {
        let cases = [
            (
                "image",
                MediaKind::Image,
                json!({ "id": "1479", "mime_type": "image/jpeg", "sha256": "x", "caption": "Kapotte lantaarnpaal" }),
            ),
            (
                "audio",
                MediaKind::Audio,
                json!({ "id": "1480", "mime_type": "audio/ogg; codecs=opus", "voice": true }),
            ),
            (
                "video",
                MediaKind::Video,
                json!({ "id": "1481", "mime_type": "video/mp4" }),
            ),
            (
                "document",
                MediaKind::Document,
                json!({ "id": "1482", "mime_type": "application/pdf", "filename": "factuur.pdf", "caption": "Aanslag" }),
            ),
            (
                "sticker",
                MediaKind::Sticker,
                json!({ "id": "1483", "mime_type": "image/webp", "animated": false }),
            ),
        ];
        for (kind, expected_kind, media) in cases {
            let content = only_content(&one_message(json!({ "type": kind, kind: media.clone() })));
            let text = |field: &str| media.get(field).and_then(Value::as_str).map(str::to_owned);
            assert_eq!(
                content,
                Content::Media {
                    kind: expected_kind,
                    media_id: text("id").expect("fixture has an id"),
                    mime_type: text("mime_type").expect("fixture has a mime type"),
                    caption: text("caption"),
                    filename: text("filename"),
                },
                "{kind}"
            );
        }
    }

    #[test]
    fn a_location_keeps_coordinates_name_and_address() {
        let raw = one_message(json!({ "type": "location", "location": {
            "latitude": 52.0907, "longitude": 5.1214, "name": "Gemeentehuis", "address": "Dorpsstraat 1", "url": "https://example.nl" } }));
        let content = only_content(&raw);
        assert_eq!(
            content,
            Content::Location {
                latitude: 52.0907,
                longitude: 5.1214,
                name: Some("Gemeentehuis".into()),
                address: Some("Dorpsstraat 1".into())
            }
        );
        assert_eq!(
            content.summary(),
            "[Locatie ontvangen: Gemeentehuis, Dorpsstraat 1 (52.0907, 5.1214)]"
        );
    }

    #[test]
    fn button_and_list_replies_read_as_their_title() {
        let button = one_message(
            json!({ "type": "button", "button": { "payload": "JA", "text": "Ja, graag" }, "context": { "id": "wamid.t" } }),
        );
        let reply = one_message(
            json!({ "type": "interactive", "interactive": { "type": "button_reply", "button_reply": { "id": "b1", "title": "Afval" } } }),
        );
        let list = one_message(
            json!({ "type": "interactive", "interactive": { "type": "list_reply", "list_reply": { "id": "l2", "title": "Parkeren", "description": "Vergunningen" } } }),
        );
        assert_eq!(only_content(&button), Content::Text("Ja, graag".into()));
        assert_eq!(only_content(&reply), Content::Text("Afval".into()));
        assert_eq!(only_content(&list), Content::Text("Parkeren".into()));
    }

    #[test]
    fn unknown_and_unsupported_types_become_other_without_failing_the_body() {
        let reaction = one_message(
            json!({ "type": "reaction", "reaction": { "message_id": "wamid.x", "emoji": "👍" } }),
        );
        let contacts = one_message(
            json!({ "type": "contacts", "contacts": [{ "name": { "formatted_name": "Gemeente" } }] }),
        );
        let unsupported = one_message(
            json!({ "type": "unsupported", "errors": [{ "code": 131051, "title": "Message type unknown" }], "unsupported": { "type": "poll_creation" } }),
        );
        let future = one_message(json!({ "type": "hologram", "hologram": "not even an object" }));
        assert_eq!(
            only_content(&reaction),
            Content::Other {
                kind: "reaction".into()
            }
        );
        assert_eq!(
            only_content(&contacts),
            Content::Other {
                kind: "contacts".into()
            }
        );
        assert_eq!(
            only_content(&unsupported),
            Content::Other {
                kind: "poll_creation".into()
            }
        );
        assert_eq!(
            only_content(&future),
            Content::Other {
                kind: "hologram".into()
            }
        );
    }

    #[test]
    fn missing_fields_are_all_reported_with_their_path() {
        let raw = body(vec![change(json!({
            "messages": [
                { "from": "31612345678", "id": "wamid.ok", "timestamp": "1700000000", "type": "text", "text": { "body": "ok" } },
                { "from": "31612345678", "timestamp": "gisteren", "type": "image", "image": { "mime_type": "image/png" } },
            ],
            "statuses": [{ "status": "read", "timestamp": "1700000000", "recipient_id": "31612345678" }],
        }))]);
        assert_eq!(
            problems(&raw),
            [
                "entry[0].changes[0].value.messages[1].id: missing",
                "entry[0].changes[0].value.messages[1].timestamp: not a Unix timestamp",
                "entry[0].changes[0].value.messages[1].image.id: missing",
                "entry[0].changes[0].value.statuses[0].id: missing",
            ]
        );
    }

    #[test]
    fn a_text_message_without_body_is_a_problem() {
        let raw = one_message(json!({ "type": "text", "text": {} }));
        assert_eq!(
            problems(&raw),
            ["entry[0].changes[0].value.messages[0].text.body: missing"]
        );
    }

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
    fn failed_replaces_sent_but_never_moves_a_delivered_or_read_message_back() {
        use DeliveryStatus::*;
        assert!(Sent.rank() < Delivered.rank() && Delivered.rank() < Read.rank());
        assert!(Failed.supersedes(Sent));
        assert!(!Failed.supersedes(Delivered));
        assert!(!Failed.supersedes(Read));
        assert!(Read.supersedes(Failed));
        assert!(
            !Delivered.supersedes(Read),
            "webhooks may arrive out of order"
        );
        for status in [Sent, Delivered, Read, Failed] {
            assert_eq!(DeliveryStatus::from_name(status.as_str()), Some(status));
        }
    }

    #[test]
    fn outbound_text_builds_the_send_request() {
        assert_eq!(
            outbound_text("31612345678", "Zie https://dijkstede.example/afval"),
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "31612345678",
                "type": "text",
                "text": { "preview_url": true, "body": "Zie https://dijkstede.example/afval" },
            })
        );
    }

    #[test]
    fn outbound_text_cuts_an_overlong_body_to_the_limit() {
        let long = "é".repeat(MAX_BODY_CHARS + 10);
        let request = outbound_text("31612345678", &long);
        let body = request
            .pointer("/text/body")
            .and_then(Value::as_str)
            .expect("body");
        assert_eq!(body.chars().count(), MAX_BODY_CHARS);
        assert!(body.ends_with('…'));
    }

    #[test]
    fn sent_wamid_reads_the_send_response() {
        let response = json!({
            "messaging_product": "whatsapp",
            "contacts": [{ "input": "+31 6 12345678", "wa_id": "31612345678" }],
            "messages": [{ "id": "wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA" }],
        });
        assert_eq!(
            sent_wamid(&response).as_deref(),
            Some("wamid.HBgLMzE2MTIzNDU2NzgVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA")
        );
        assert_eq!(sent_wamid(&json!({ "error": { "code": 190 } })), None);
    }
}
