//! The webhook as Meta sends it, as serde structures. Every field we read is optional here so
//! that a missing one becomes a `FieldProblem` with its path instead of serde's line and column
//! (the walk in `walk.rs` and `content.rs` records those).

use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Deserialize)]
pub(super) struct RawPayload {
    pub(super) object: String,
    #[serde(default)]
    pub(super) entry: Vec<RawEntry>,
}

#[derive(Deserialize)]
pub(super) struct RawEntry {
    #[serde(default)]
    pub(super) changes: Vec<RawChange>,
}

#[derive(Deserialize)]
pub(super) struct RawChange {
    pub(super) field: Option<String>,
    /// Kept untyped until `field` says it is a messages change: other fields have other shapes.
    #[serde(default)]
    pub(super) value: Value,
}

#[derive(Deserialize)]
pub(super) struct RawValue {
    pub(super) metadata: Option<RawMetadata>,
    #[serde(default)]
    pub(super) contacts: Vec<RawContact>,
    #[serde(default)]
    pub(super) messages: Vec<RawMessage>,
    #[serde(default)]
    pub(super) statuses: Vec<RawStatus>,
    /// Errors Meta puts beside the messages, e.g. 131000 for a message it could not read.
    #[serde(default)]
    pub(super) errors: Vec<RawError>,
    /// `smb_message_echoes` changes: messages sent from another app on the same number.
    #[serde(default)]
    pub(super) message_echoes: Vec<RawEcho>,
    /// `user_preferences` changes: marketing opt-outs and opt-ins.
    #[serde(default)]
    pub(super) user_preferences: Vec<RawPreference>,
}

#[derive(Deserialize)]
pub(super) struct RawMetadata {
    pub(super) phone_number_id: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawContact {
    pub(super) wa_id: Option<String>,
    pub(super) profile: Option<RawProfile>,
}

#[derive(Deserialize)]
pub(super) struct RawProfile {
    pub(super) name: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawMessage {
    pub(super) from: Option<String>,
    pub(super) id: Option<String>,
    pub(super) timestamp: Option<RawTimestamp>,
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    /// The type-specific object (`text`, `image`, ...) among the rest, read once the type is
    /// known, so that a new type's unfamiliar shape cannot fail the body. `context` (a reply's
    /// quoted message, forwarded flags), `referral` (an ad) and `errors` are read from here
    /// too, leniently: an odd shape there loses that detail, not the message.
    #[serde(flatten)]
    pub(super) rest: Map<String, Value>,
}

#[derive(Deserialize)]
pub(super) struct RawContext {
    pub(super) id: Option<String>,
    #[serde(default)]
    pub(super) forwarded: bool,
    #[serde(default)]
    pub(super) frequently_forwarded: bool,
}

#[derive(Deserialize)]
pub(super) struct RawReferral {
    pub(super) source_url: Option<String>,
    pub(super) headline: Option<String>,
}

/// A message the business sent from another app (the WhatsApp Business app) on our number.
#[derive(Deserialize)]
pub(super) struct RawEcho {
    pub(super) id: Option<String>,
    pub(super) to: Option<String>,
    pub(super) timestamp: Option<RawTimestamp>,
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    #[serde(flatten)]
    pub(super) rest: Map<String, Value>,
}

#[derive(Deserialize)]
pub(super) struct RawPreference {
    pub(super) wa_id: Option<String>,
    pub(super) category: Option<String>,
    pub(super) value: Option<String>,
    pub(super) timestamp: Option<RawTimestamp>,
}

/// `system` of a system message.
#[derive(Deserialize)]
pub(super) struct RawSystem {
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    /// For a number change: the resident's new WhatsApp id.
    pub(super) wa_id: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawStatus {
    pub(super) id: Option<String>,
    pub(super) status: Option<String>,
    pub(super) timestamp: Option<RawTimestamp>,
    pub(super) recipient_id: Option<String>,
    #[serde(default)]
    pub(super) errors: Vec<RawError>,
}

#[derive(Deserialize)]
pub(super) struct RawError {
    pub(super) code: Option<i64>,
    pub(super) title: Option<String>,
    pub(super) message: Option<String>,
    pub(super) error_data: Option<RawErrorData>,
}

#[derive(Deserialize)]
pub(super) struct RawErrorData {
    pub(super) details: Option<String>,
}

/// Meta sends Unix seconds as a string; a number is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawTimestamp {
    Text(String),
    Number(i64),
}

#[derive(Deserialize)]
pub(super) struct RawText {
    pub(super) body: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawMedia {
    pub(super) id: Option<String>,
    pub(super) mime_type: Option<String>,
    pub(super) caption: Option<String>,
    pub(super) filename: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawAudio {
    pub(super) voice: Option<bool>,
}

#[derive(Deserialize)]
pub(super) struct RawLocation {
    pub(super) latitude: Option<f64>,
    pub(super) longitude: Option<f64>,
    pub(super) name: Option<String>,
    pub(super) address: Option<String>,
}

/// `button.text` of a template's quick-reply button.
#[derive(Deserialize)]
pub(super) struct RawButton {
    pub(super) text: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawInteractive {
    #[serde(rename = "type")]
    pub(super) kind: Option<String>,
    pub(super) button_reply: Option<RawReply>,
    pub(super) list_reply: Option<RawReply>,
    pub(super) nfm_reply: Option<RawFlowReply>,
}

#[derive(Deserialize)]
pub(super) struct RawReply {
    pub(super) id: Option<String>,
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
}

/// A WhatsApp Flow's answers: `response_json` is a JSON object encoded as a string.
#[derive(Deserialize)]
pub(super) struct RawFlowReply {
    pub(super) name: Option<String>,
    pub(super) body: Option<String>,
    pub(super) response_json: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawContactCard {
    pub(super) name: Option<RawContactName>,
    #[serde(default)]
    pub(super) phones: Vec<RawContactPhone>,
    #[serde(default)]
    pub(super) emails: Vec<RawContactEmail>,
}

#[derive(Deserialize)]
pub(super) struct RawContactName {
    pub(super) formatted_name: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawContactPhone {
    pub(super) phone: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawContactEmail {
    pub(super) email: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawOrder {
    pub(super) catalog_id: Option<String>,
    pub(super) text: Option<String>,
    #[serde(default)]
    pub(super) product_items: Vec<RawOrderItem>,
}

#[derive(Deserialize)]
pub(super) struct RawOrderItem {
    pub(super) product_retailer_id: Option<String>,
    pub(super) quantity: Option<f64>,
    pub(super) item_price: Option<f64>,
    pub(super) currency: Option<String>,
}
