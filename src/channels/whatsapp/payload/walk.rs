//! The walk over a messages change: each message and status becomes an [`Event`], and each
//! field we need but cannot use becomes a [`FieldProblem`] with its path, so that a rejected
//! body lists all of them at once. A message's type-specific object is read in `content.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::raw::{RawError, RawTimestamp, RawValue};
use super::updates;
use super::{DeliveryStatus, Event, FieldProblem, InboundMessage, MessageUpdate, StatusUpdate};

/// The events found so far and every problem met on the way.
#[derive(Default)]
pub(super) struct Walk {
    pub(super) events: Vec<Event>,
    pub(super) problems: Vec<FieldProblem>,
}

impl Walk {
    pub(super) fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(FieldProblem {
            path: path.to_owned(),
            message: message.into(),
        });
    }

    /// `field` of the object at `path`, or a "missing" problem.
    pub(super) fn required<T>(&mut self, path: &str, field: &str, value: Option<T>) -> Option<T> {
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

    pub(super) fn value(&mut self, path: &str, value: RawValue) {
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
            // Reactions, edits and revokes change an earlier message (see `updates.rs`).
            if let Some(change) = kind
                .as_deref()
                .and_then(|kind| updates::change_of(&path, kind, &message.rest))
            {
                if let (Some(phone_number_id), Some(wamid), Some(from), Some(timestamp)) =
                    (phone_number_id.clone(), wamid, from, timestamp)
                {
                    self.events.push(change.event(MessageUpdate {
                        phone_number_id,
                        wamid,
                        from,
                        timestamp,
                        target: None,
                    }));
                }
                continue;
            }
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
    use serde_json::json;

    use super::*;
    use crate::channels::whatsapp::payload::fixtures::{
        PHONE_NUMBER_ID, body, change, one_message, problems,
    };
    use crate::channels::whatsapp::payload::{Content, parse};

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
                other => panic!("unexpected {other:?}"),
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
                _ => None,
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
}
