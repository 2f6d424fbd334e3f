//! The walk over a change: each message and status becomes an [`Event`], and each field we
//! need but cannot use becomes a [`FieldProblem`] with its path. Problems of one message or
//! status travel with it ([`Event::Skipped`], [`Content::Unreadable`]); only problems of the
//! change itself stay in the walk and reject the body. A message's type-specific object is
//! read in `content.rs`; echoes, preferences and system messages in `others.rs`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::others::system_change;
use super::raw::{
    RawContext, RawError, RawMessage, RawReferral, RawStatus, RawTimestamp, RawValue,
};
use super::updates;
use super::{
    Content, DeliveryStatus, Event, FieldProblem, ForeignChange, Forwarded, InboundMessage,
    MessageContext, MessageUpdate, StatusUpdate, SystemMessage,
};

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

    pub(super) fn timestamp(
        &mut self,
        path: &str,
        raw: Option<RawTimestamp>,
    ) -> Option<DateTime<Utc>> {
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

    /// Takes the problems recorded since `start` out of the list: they belong to one message
    /// or status that is skipped or stored as unreadable, not to the body.
    pub(super) fn take_problems(&mut self, start: usize) -> Vec<FieldProblem> {
        self.problems.split_off(start)
    }

    /// Skips the message or status whose problems were recorded since `start`.
    pub(super) fn skip(&mut self, start: usize) {
        let problems = self.take_problems(start);
        self.events.push(Event::Skipped(problems));
    }

    pub(super) fn value(&mut self, path: &str, value: RawValue, ours: Option<&str>) {
        let items = value.messages.len()
            + value.statuses.len()
            + value.message_echoes.len()
            + value.user_preferences.len();
        let addressed = value.metadata.and_then(|m| m.phone_number_id);
        if let (Some(ours), Some(addressed)) = (ours, addressed.as_deref())
            && addressed != ours
        {
            self.events.push(Event::Foreign(ForeignChange {
                phone_number_id: addressed.to_owned(),
                items,
            }));
            return;
        }
        // Contacts come in the same value as the messages and name each sender once.
        let names: HashMap<String, String> = value
            .contacts
            .into_iter()
            .filter_map(|c| Some((c.wa_id?, c.profile?.name?)))
            .collect();
        // Statuses are matched by their wamid and need no number; everything else does, as the
        // answer goes out from it.
        if items == value.statuses.len() {
            self.statuses(path, value.statuses);
            return;
        }
        let Some(phone_number_id) =
            self.required(&format!("{path}.metadata"), "phone_number_id", addressed)
        else {
            return;
        };
        // Meta puts an error beside the messages it could not read (131000).
        let beside = error_text(&value.errors);
        for (m, message) in value.messages.into_iter().enumerate() {
            let path = format!("{path}.messages[{m}]");
            self.message(&path, &phone_number_id, &names, message, beside.as_deref());
        }
        self.statuses(path, value.statuses);
        for (i, echo) in value.message_echoes.into_iter().enumerate() {
            self.echo(
                &format!("{path}.message_echoes[{i}]"),
                &phone_number_id,
                echo,
            );
        }
        for (i, preference) in value.user_preferences.into_iter().enumerate() {
            let path = format!("{path}.user_preferences[{i}]");
            self.preference(&path, &phone_number_id, preference);
        }
    }

    fn message(
        &mut self,
        path: &str,
        phone_number_id: &str,
        names: &HashMap<String, String>,
        message: RawMessage,
        beside: Option<&str>,
    ) {
        let start = self.problems.len();
        let wamid = self.required(path, "id", message.id);
        let from = self.required(path, "from", message.from);
        let timestamp = self.timestamp(path, message.timestamp);
        let (Some(wamid), Some(from), Some(timestamp)) = (wamid, from, timestamp) else {
            self.skip(start);
            return;
        };
        let mut rest = message.rest;
        let context = context(&mut rest);
        let kind = message.kind.unwrap_or_else(|| "onbekend".to_owned());
        // Reactions, edits and revokes change an earlier message (see `updates.rs`).
        if let Some(change) = updates::change_of(path, &kind, &rest) {
            self.events.push(change.event(MessageUpdate {
                phone_number_id: phone_number_id.to_owned(),
                wamid,
                from,
                timestamp,
                target: None,
            }));
            return;
        }
        if kind == "system" {
            let change = system_change(&mut rest);
            self.events.push(Event::System(SystemMessage {
                phone_number_id: phone_number_id.to_owned(),
                wamid,
                from,
                timestamp,
                change,
            }));
            return;
        }
        let content = self.readable_content(path, &kind, rest, beside);
        let profile_name = names.get(&from).cloned();
        self.events.push(Event::Inbound(InboundMessage {
            phone_number_id: phone_number_id.to_owned(),
            wamid,
            from,
            profile_name,
            timestamp,
            content,
            context,
        }));
    }

    /// The content of a message of type `kind`, or [`Content::Unreadable`] naming what arrived,
    /// Meta's error (from the message, else `beside` it) and where it was unusable.
    pub(super) fn readable_content(
        &mut self,
        path: &str,
        kind: &str,
        mut rest: Map<String, Value>,
        beside: Option<&str>,
    ) -> Content {
        let own_error = rest
            .remove("errors")
            .and_then(|e| serde_json::from_value::<Vec<RawError>>(e).ok())
            .and_then(|e| error_text(&e));
        let start = self.problems.len();
        let content = self.content(path, kind, rest);
        let problems = self.take_problems(start);
        match content {
            Some(content) if problems.is_empty() => content,
            _ => Content::Unreadable {
                kind: kind.to_owned(),
                error: own_error.or_else(|| beside.map(str::to_owned)),
                problems,
            },
        }
    }

    fn statuses(&mut self, path: &str, statuses: Vec<RawStatus>) {
        for (s, status) in statuses.into_iter().enumerate() {
            let path = format!("{path}.statuses[{s}]");
            let start = self.problems.len();
            let wamid = self.required(&path, "id", status.id);
            let name = self.required(&path, "status", status.status);
            let timestamp = self.timestamp(&path, status.timestamp);
            let recipient = self.required(&path, "recipient_id", status.recipient_id);
            let (Some(wamid), Some(name), Some(timestamp), Some(recipient)) =
                (wamid, name, timestamp, recipient)
            else {
                self.skip(start);
                continue;
            };
            // Statuses we do not track (Meta has sent `deleted`, `warning`, `played`) are skipped.
            if let Some(delivery) = DeliveryStatus::from_name(&name) {
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

/// The reply, forwarding and ad details of a message, taken from its other fields. An odd
/// shape loses the detail, never the message.
fn context(rest: &mut Map<String, Value>) -> MessageContext {
    let raw: Option<RawContext> = rest
        .remove("context")
        .and_then(|c| serde_json::from_value(c).ok());
    let referral: Option<RawReferral> = rest
        .remove("referral")
        .and_then(|r| serde_json::from_value(r).ok());
    let referral = referral.and_then(|r| {
        let parts: Vec<String> = [r.headline, r.source_url].into_iter().flatten().collect();
        (!parts.is_empty()).then(|| parts.join(" — "))
    });
    let forwarded = match &raw {
        Some(c) if c.frequently_forwarded => Forwarded::Frequently,
        Some(c) if c.forwarded => Forwarded::Once,
        _ => Forwarded::No,
    };
    MessageContext {
        reply_to: raw.and_then(|c| c.id),
        forwarded,
        referral,
    }
}

/// A problem's message for a value of the wrong shape. serde's own message quotes the value
/// (`invalid type: string "Mijn BSN is ..."`), which can be a resident's text, and problems
/// are logged: so only whether a type or a value was wrong is said.
pub(super) fn shape_problem(err: &serde_json::Error) -> String {
    let text = err.to_string();
    if text.starts_with("invalid type") {
        "not the expected type".to_owned()
    } else if text.starts_with("missing field") {
        // Quotes only a field name of our own structures.
        text
    } else {
        "not the expected value".to_owned()
    }
}

/// `131047 Re-engagement message: <details>` for each error, joined by `; `.
pub(super) fn error_text(errors: &[RawError]) -> Option<String> {
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
        PHONE_NUMBER_ID, body, change, one_message,
    };
    use crate::channels::whatsapp::payload::parse;

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
}
