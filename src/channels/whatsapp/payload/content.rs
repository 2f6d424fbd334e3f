//! A message's type-specific object (`"text": {...}`, `"image": {...}`, ...) read into a
//! [`Content`]. A type we cannot show becomes [`Content::Other`] instead of a problem, so that
//! a new message type cannot fail the body.

use serde_json::{Map, Value};

use super::raw::{
    RawAudio, RawButton, RawContactCard, RawInteractive, RawLocation, RawMedia, RawOrder, RawText,
};
use super::walk::{Walk, shape_problem};
use super::{Content, MediaKind, rich};

impl Walk {
    /// The content of a message of type `kind`; `None` after recording a problem.
    pub(super) fn content(
        &mut self,
        path: &str,
        kind: &str,
        mut rest: Map<String, Value>,
    ) -> Option<Content> {
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
                // Only a voice note recorded in WhatsApp says `voice: true`.
                let voice = rest
                    .get(kind)
                    .and_then(|a| serde_json::from_value::<RawAudio>(a.clone()).ok())
                    .and_then(|a| a.voice)
                    .unwrap_or(false);
                let media_kind = match media_kind {
                    Some(MediaKind::Audio) if voice => Some(MediaKind::Voice),
                    other => other,
                };
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
                let at = format!("{path}.interactive");
                let (reply, field) = match interactive.kind.as_deref() {
                    Some("button_reply") => (interactive.button_reply, "button_reply"),
                    Some("list_reply") => (interactive.list_reply, "list_reply"),
                    Some("nfm_reply") => {
                        let reply = self.required(&at, "nfm_reply", interactive.nfm_reply)?;
                        return Some(rich::flow_reply(reply));
                    }
                    // Future kinds carry nothing we know how to show.
                    _ => {
                        return Some(Content::Other {
                            kind: kind.to_owned(),
                        });
                    }
                };
                let reply = self.required(&at, field, reply)?;
                let title = self.required(&format!("{at}.{field}"), "title", reply.title)?;
                Some(Content::Choice {
                    title,
                    id: reply.id,
                    description: reply.description,
                })
            }
            "contacts" => {
                let cards: Vec<RawContactCard> = self.object(path, kind, &mut rest)?;
                Some(rich::contacts(cards))
            }
            "order" => {
                let order: RawOrder = self.object(path, kind, &mut rest)?;
                Some(rich::order(order))
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
                self.problem(&format!("{path}.{kind}"), shape_problem(&err));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::channels::whatsapp::payload::fixtures::{one_message, only_content};

    #[test]
    fn each_media_type_keeps_id_mime_type_caption_and_filename_and_voice_notes_differ_from_audio_files()
     {
        let cases = [
            (
                "image",
                MediaKind::Image,
                json!({ "id": "1479", "mime_type": "image/jpeg", "sha256": "x", "caption": "Kapotte lantaarnpaal" }),
            ),
            (
                "audio",
                MediaKind::Voice,
                json!({ "id": "1480", "mime_type": "audio/ogg; codecs=opus", "voice": true }),
            ),
            (
                "audio",
                MediaKind::Audio,
                json!({ "id": "1484", "mime_type": "audio/mpeg", "voice": false }),
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
    fn button_and_list_replies_read_as_their_title_and_keep_id_and_description() {
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
        assert_eq!(
            only_content(&reply),
            Content::Choice {
                title: "Afval".into(),
                id: Some("b1".into()),
                description: None
            }
        );
        let list = only_content(&list);
        assert_eq!(
            list,
            Content::Choice {
                title: "Parkeren".into(),
                id: Some("l2".into()),
                description: Some("Vergunningen".into())
            }
        );
        assert_eq!(list.summary(), "Parkeren");
    }

    #[test]
    fn unknown_and_unsupported_types_become_other_without_failing_the_body() {
        let unsupported = one_message(
            json!({ "type": "unsupported", "errors": [{ "code": 131051, "title": "Message type unknown" }], "unsupported": { "type": "poll_creation" } }),
        );
        let future = one_message(json!({ "type": "hologram", "hologram": "not even an object" }));
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
    fn a_text_message_without_body_is_unreadable_not_a_rejected_body() {
        let raw = one_message(json!({ "type": "text", "text": {} }));
        assert_eq!(
            only_content(&raw),
            Content::Unreadable {
                kind: "text".into(),
                error: None,
                problems: vec![super::super::FieldProblem {
                    path: "entry[0].changes[0].value.messages[0].text.body".into(),
                    message: "missing".into()
                }],
            }
        );
    }

    #[test]
    fn flow_replies_contacts_and_orders_keep_what_the_resident_sent() {
        let flow = one_message(
            json!({ "type": "interactive", "interactive": { "type": "nfm_reply", "nfm_reply": {
            "response_json": "{\"straat\":\"Dorpsstraat\",\"flow_token\":\"AQ\",\"score\":4}", "body": "Sent", "name": "melding" } } }),
        );
        assert_eq!(
            only_content(&flow),
            Content::FlowReply {
                name: Some("melding".into()),
                body: Some("Sent".into()),
                fields: vec![
                    ("score".into(), "4".into()),
                    ("straat".into(), "Dorpsstraat".into())
                ],
            }
        );
        let contacts = one_message(json!({ "type": "contacts", "contacts": [
            { "name": { "first_name": "Chandler", "formatted_name": "Chandler Bing" },
              "phones": [{ "phone": "+1 555-555-5555", "type": "CELL" }], "emails": [{ "email": "c@example.org" }] }] }));
        assert_eq!(
            only_content(&contacts),
            Content::Contacts(vec![super::super::ContactCard {
                name: Some("Chandler Bing".into()),
                phones: vec!["+1 555-555-5555".into()],
                emails: vec!["c@example.org".into()],
            }])
        );
        let order = one_message(
            json!({ "type": "order", "order": { "catalog_id": "354", "text": "",
            "product_items": [{ "product_retailer_id": "SODA", "quantity": 2, "item_price": 10, "currency": "EUR" }] } }),
        );
        assert_eq!(
            only_content(&order),
            Content::Order {
                catalog_id: Some("354".into()),
                text: Some(String::new()),
                items: vec![super::super::OrderItem {
                    product_id: Some("SODA".into()),
                    quantity: Some(2.0),
                    price: Some(10.0),
                    currency: Some("EUR".into()),
                }],
            }
        );
    }
}
