//! The send side of the Graph API: the request body that sends a text message, and the
//! `wamid` in the send response that later status webhooks refer to.

use serde_json::{Value, json};

use super::MAX_BODY_CHARS;

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

#[cfg(test)]
mod tests {
    use super::*;

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
