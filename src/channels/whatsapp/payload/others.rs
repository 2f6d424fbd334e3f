//! What a change holds besides resident messages and statuses: system messages about a
//! resident (a new number, a new security code), echoes of messages the municipality sent from
//! another app on the same number, and marketing preferences.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::raw::{RawEcho, RawPreference, RawSystem};
use super::walk::Walk;
use super::{Content, Event};

/// A change for another phone number id: acknowledged, never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignChange {
    pub phone_number_id: String,
    /// How many messages, statuses and other items it held.
    pub items: usize,
}

/// A system message about a resident (`type: system`).
#[derive(Debug, Clone, PartialEq)]
pub struct SystemMessage {
    pub phone_number_id: String,
    pub wamid: String,
    /// The resident's WhatsApp id the message is about (their old number for a change).
    pub from: String,
    pub timestamp: DateTime<Utc>,
    pub change: SystemChange,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SystemChange {
    /// The resident now uses `new_wa_id`.
    NumberChanged { new_wa_id: String },
    /// The resident's security code changed (new phone or reinstall).
    IdentityChanged,
    /// A system message of a kind we do not know, named as Meta names it.
    Other { kind: String },
}

/// A message sent from our number by another app (`smb_message_echoes`).
#[derive(Debug, Clone, PartialEq)]
pub struct EchoMessage {
    pub phone_number_id: String,
    pub wamid: String,
    /// The resident's WhatsApp id.
    pub to: String,
    pub timestamp: DateTime<Utc>,
    pub content: Content,
}

/// A resident's choice about marketing messages (`user_preferences`).
#[derive(Debug, Clone, PartialEq)]
pub struct MarketingPreference {
    pub phone_number_id: String,
    pub wa_id: String,
    /// `stop`, `resume` or `signup`, as Meta names it.
    pub value: String,
    pub timestamp: DateTime<Utc>,
}

/// What a system message says; an unreadable `system` object is a system message of unknown
/// kind rather than a lost message.
pub(super) fn system_change(rest: &mut Map<String, Value>) -> SystemChange {
    let system: Option<RawSystem> = rest
        .remove("system")
        .and_then(|s| serde_json::from_value(s).ok());
    let Some(system) = system else {
        return SystemChange::Other {
            kind: "system".to_owned(),
        };
    };
    match (system.kind.as_deref(), system.wa_id) {
        // Meta has named the number change `user_changed_number` and `customer_changed_number`.
        (Some(kind), Some(new_wa_id)) if kind.ends_with("changed_number") => {
            SystemChange::NumberChanged { new_wa_id }
        }
        (Some(kind), _) if kind.ends_with("identity_changed") => SystemChange::IdentityChanged,
        (kind, _) => SystemChange::Other {
            kind: kind.unwrap_or("system").to_owned(),
        },
    }
}

impl Walk {
    pub(super) fn echo(&mut self, path: &str, phone_number_id: &str, echo: RawEcho) {
        let start = self.problems.len();
        let wamid = self.required(path, "id", echo.id);
        let to = self.required(path, "to", echo.to);
        let timestamp = self.timestamp(path, echo.timestamp);
        let (Some(wamid), Some(to), Some(timestamp)) = (wamid, to, timestamp) else {
            self.skip(start);
            return;
        };
        let kind = echo.kind.unwrap_or_else(|| "onbekend".to_owned());
        let content = self.readable_content(path, &kind, echo.rest, None);
        self.events.push(Event::Echo(EchoMessage {
            phone_number_id: phone_number_id.to_owned(),
            wamid,
            to,
            timestamp,
            content,
        }));
    }

    /// Only marketing preferences are kept; Meta has no other category yet.
    pub(super) fn preference(&mut self, path: &str, phone_number_id: &str, raw: RawPreference) {
        if raw
            .category
            .as_deref()
            .is_some_and(|c| c != "marketing_messages")
        {
            return;
        }
        let start = self.problems.len();
        let wa_id = self.required(path, "wa_id", raw.wa_id);
        let value = self.required(path, "value", raw.value);
        let timestamp = self.timestamp(path, raw.timestamp);
        let (Some(wa_id), Some(value), Some(timestamp)) = (wa_id, value, timestamp) else {
            self.skip(start);
            return;
        };
        self.events
            .push(Event::MarketingPreference(MarketingPreference {
                phone_number_id: phone_number_id.to_owned(),
                wa_id,
                value,
                timestamp,
            }));
    }
}
