//! Webhook bodies for the tests of `walk.rs` and `content.rs`, built the way Meta sends them,
//! and readers for what `parse` makes of them.

use serde_json::{Value, json};

use super::{Content, Event, PayloadError, parse};

pub(super) const PHONE_NUMBER_ID: &str = "106540352242922";

/// A messages change as Meta sends it, around `value`'s `contacts` and `messages`.
pub(super) fn change(value: Value) -> Value {
    let mut full = json!({
        "messaging_product": "whatsapp",
        "metadata": { "display_phone_number": "31850001234", "phone_number_id": PHONE_NUMBER_ID },
    });
    if let (Some(full), Some(extra)) = (full.as_object_mut(), value.as_object()) {
        full.extend(extra.clone());
    }
    json!({ "field": "messages", "value": full })
}

pub(super) fn body(changes: Vec<Value>) -> Vec<u8> {
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "102290129340398", "changes": changes }],
    })
    .to_string()
    .into_bytes()
}

/// A body with one message from Anouk, whose type-specific part is `message`.
pub(super) fn one_message(message: Value) -> Vec<u8> {
    let mut full = json!({ "from": "31612345678", "id": "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUVCMDA", "timestamp": "1700000000" });
    if let (Some(full), Some(extra)) = (full.as_object_mut(), message.as_object()) {
        full.extend(extra.clone());
    }
    body(vec![change(json!({
        "contacts": [{ "profile": { "name": "Anouk de Vries" }, "wa_id": "31612345678" }],
        "messages": [full],
    }))])
}

pub(super) fn only_content(raw: &[u8]) -> Content {
    match parse(raw).as_deref() {
        Ok([Event::Inbound(message)]) => message.content.clone(),
        other => panic!("expected one inbound message, got {other:?}"),
    }
}

pub(super) fn problems(raw: &[u8]) -> Vec<String> {
    match parse(raw) {
        Err(PayloadError::Invalid(problems)) => problems.iter().map(ToString::to_string).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
}
