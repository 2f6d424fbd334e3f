//! The send side of the Graph API: the request bodies that send a text or a template message,
//! and the `wamid` in the send response that later status webhooks refer to.

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

/// The Graph API request body that sends the approved template `name` in `language` to `to`,
/// with `parameters` filling the body's `{{1}}`, `{{2}}`, ... in order. Templates may be sent
/// outside the 24-hour window; free-form text may not.
pub fn outbound_template(to: &str, name: &str, language: &str, parameters: &[String]) -> Value {
    let parameters: Vec<Value> = parameters
        .iter()
        .map(|text| json!({ "type": "text", "text": text }))
        .collect();
    let components = if parameters.is_empty() {
        json!([])
    } else {
        json!([{ "type": "body", "parameters": parameters }])
    };
    json!({
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {
            "name": name,
            "language": { "code": language },
            "components": components,
        },
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
    fn outbound_template_names_the_template_its_language_and_the_body_parameter() {
        assert_eq!(
            outbound_template(
                "31612345678",
                "vraag_beantwoord",
                "nl",
                &["vrijdag 27 november".to_string()]
            ),
            json!({
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": "31612345678",
                "type": "template",
                "template": {
                    "name": "vraag_beantwoord",
                    "language": { "code": "nl" },
                    "components": [{
                        "type": "body",
                        "parameters": [{ "type": "text", "text": "vrijdag 27 november" }],
                    }],
                },
            })
        );
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
