//! Webhook bodies shaped as Meta sends them: the first resident's whole thread, and single
//! texts for the others.

use chrono::Utc;
use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::simulate;

use super::{DOCUMENT_ID, EDITED, GONE_ID, PHOTO_ID, QUESTION};
use crate::common::graph::{PHONE_ID, RESIDENT};
use crate::whatsapp_kinds::body_for;

/// One message of `kind` from `from`, sent `ago` seconds before now as Meta stamps it.
fn message(from: &str, wamid: &str, ago: i64, kind: &str, object: Value) -> Value {
    let mut message = json!({ "from": from, "id": wamid,
        "timestamp": (Utc::now().timestamp() - ago).to_string(), "type": kind });
    message[kind] = object;
    let mut body = simulate::text_message(PHONE_ID, from, "Fatima", wamid, "-");
    body["entry"][0]["changes"][0]["value"]["messages"][0] = message;
    body
}

pub(super) fn text(from: &str, wamid: &str, ago: i64, body: &str) -> Value {
    message(from, wamid, ago, "text", json!({ "body": body }))
}

/// `body`'s one message with `key` (a quote's `context`, an ad's `referral`) set to `value`.
fn with(mut body: Value, key: &str, value: Value) -> Value {
    body["entry"][0]["changes"][0]["value"]["messages"][0][key] = value;
    body
}

/// Conversation 1: everything a resident's WhatsApp can add to a thread.
pub(super) fn first_resident_thread() -> Vec<Value> {
    let r = RESIDENT;
    vec![
        text(r, "wamid.c1.q", 600, QUESTION),
        message(
            r,
            "wamid.c1.photo",
            590,
            "image",
            json!({ "id": PHOTO_ID,
            "mime_type": "image/png", "caption": "De lantaarnpaal bij de speeltuin is kapot" }),
        ),
        message(
            r,
            "wamid.c1.doc",
            588,
            "document",
            json!({ "id": DOCUMENT_ID, "mime_type": "application/pdf",
                    "filename": "aanvraag.pdf" }),
        ),
        message(
            r,
            "wamid.c1.gone",
            586,
            "image",
            json!({ "id": GONE_ID, "mime_type": "image/png" }),
        ),
        with(
            text(r, "wamid.c1.reply", 580, "Het gaat om een bank en een kast"),
            "context",
            json!({ "from": "31850001234", "id": "wamid.c1.q" }),
        ),
        message(
            r,
            "wamid.c1.react",
            570,
            "reaction",
            json!({ "message_id": "wamid.c1.q", "emoji": "👍" }),
        ),
        message(
            r,
            "wamid.c1.edit",
            560,
            "edit",
            json!({ "original_message_id": "wamid.c1.q",
            "message": { "type": "text", "text": { "body": EDITED } } }),
        ),
        text(r, "wamid.c1.oops", 550, "Verkeerde chat, sorry"),
        message(
            r,
            "wamid.c1.revoke",
            540,
            "revoke",
            json!({ "original_message_id": "wamid.c1.oops" }),
        ),
        with(
            text(
                r,
                "wamid.c1.fwd",
                530,
                "Afvalkalender 2026: grofvuil op dinsdag",
            ),
            "context",
            json!({ "forwarded": true }),
        ),
        with(
            text(r, "wamid.c1.ad", 520, "Ik zag uw advertentie"),
            "referral",
            json!({
            "source_url": "https://fb.example/ad", "headline": "Afvalkalender",
            "source_type": "ad" }),
        ),
        message(
            r,
            "wamid.c1.choice",
            510,
            "interactive",
            json!({ "type": "list_reply",
            "list_reply": { "id": "l2", "title": "Parkeren",
                            "description": "Vergunningen en ontheffingen" } }),
        ),
        message(
            r,
            "wamid.c1.sys",
            500,
            "system",
            json!({ "body": "User identity changed", "type": "customer_identity_changed" }),
        ),
        body_for(
            PHONE_ID,
            "user_preferences",
            json!({ "user_preferences": [{ "wa_id": r,
            "detail": "User requested to stop marketing messages", "category": "marketing_messages",
            "value": "stop", "timestamp": Utc::now().timestamp() - 490 }] }),
        ),
        body_for(
            PHONE_ID,
            "smb_message_echoes",
            json!({ "message_echoes": [{ "from": "31850001234",
            "to": r, "id": "wamid.c1.echo", "timestamp": (Utc::now().timestamp() - 480).to_string(),
            "type": "text", "text": { "body": "Gebeld met de inwoner" } }] }),
        ),
    ]
}
