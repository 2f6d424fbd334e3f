//! Webhook bodies as Meta sends them, for `vraagbaak whatsapp simulate` (showing the channel
//! without a phone) and for tests.

use serde_json::{Value, json};

/// A delivery of one text message from `from` (a WhatsApp id such as `31612345678`).
pub fn text_message(
    phone_number_id: &str,
    from: &str,
    name: &str,
    wamid: &str,
    text: &str,
) -> Value {
    delivery(
        phone_number_id,
        json!({
            "contacts": [{ "profile": { "name": name }, "wa_id": from }],
            "messages": [{
                "from": from,
                "id": wamid,
                "timestamp": now(),
                "type": "text",
                "text": { "body": text }
            }]
        }),
    )
}

/// A delivery of one status (`sent`, `delivered`, `read` or `failed`) for our message `wamid`.
pub fn status(phone_number_id: &str, recipient: &str, wamid: &str, status: &str) -> Value {
    let mut update = json!({
        "id": wamid,
        "status": status,
        "timestamp": now(),
        "recipient_id": recipient
    });
    if status == "failed" {
        update["errors"] = json!([{
            "code": 131047,
            "title": "Re-engagement message",
            "message": "Re-engagement message",
            "error_data": { "details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number." }
        }]);
    }
    delivery(phone_number_id, json!({ "statuses": [update] }))
}

/// A fresh wamid-like id.
pub fn new_wamid() -> String {
    format!("wamid.sim.{}", crate::store::users::new_token())
}

/// The envelope around one change: `fields` (messages, contacts or statuses) are added to its
/// `value` next to the number's metadata.
fn delivery(phone_number_id: &str, fields: Value) -> Value {
    let mut value = json!({
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": "31850000000",
            "phone_number_id": phone_number_id
        }
    });
    if let (Some(value), Value::Object(fields)) = (value.as_object_mut(), fields) {
        value.extend(fields);
    }
    json!({
        "object": "whatsapp_business_account",
        "entry": [{ "id": "0", "changes": [{ "field": "messages", "value": value }] }]
    })
}

fn now() -> String {
    chrono::Utc::now().timestamp().to_string()
}
