//! Reactions, edits and revokes: messages in which a resident changes an earlier message
//! instead of saying something new. Each becomes its own [`Event`], never an
//! [`Event::Inbound`], which would open a conversation and send the welcome and away texts.
//!
//! Meta sends them as `type: "reaction" | "edit" | "revoke"` with an object of that name.
//! Some API versions send an edit or revoke as `type: "unsupported"` with
//! `unsupported.type: "edit"`; the original message's id is then looked for in the `edit` or
//! `revoke` object and in `unsupported`. A missing target or unreadable new content is not a
//! problem of the body: the event carries `None`, and the server acknowledges and ignores it.

use serde_json::{Map, Value};

use super::walk::Walk;
use super::{Content, Event, MessageUpdate};

/// What a message changes about an earlier one, before the common fields are known.
pub(super) struct Change {
    target: Option<String>,
    what: What,
}

enum What {
    Reaction(Option<String>),
    Edit(Option<Content>),
    Revoke,
}

impl Change {
    /// The event for this change, with `update`'s common fields and this change's target.
    pub(super) fn event(self, update: MessageUpdate) -> Event {
        let update = MessageUpdate {
            target: self.target,
            ..update
        };
        match self.what {
            What::Reaction(emoji) => Event::Reaction { update, emoji },
            What::Edit(content) => Event::Edit { update, content },
            What::Revoke => Event::Revoke(update),
        }
    }
}

/// The change a message of type `kind` at `path` makes; `None` for a new message.
pub(super) fn change_of(path: &str, kind: &str, rest: &Map<String, Value>) -> Option<Change> {
    let unsupported = rest.get("unsupported");
    let kind = match kind {
        "unsupported" => unsupported?.get("type")?.as_str()?,
        other => other,
    };
    let object = rest.get(kind);
    let original = || {
        text_at(object, "original_message_id")
            .or_else(|| text_at(unsupported, "original_message_id"))
    };
    match kind {
        "reaction" => Some(Change {
            target: text_at(object, "message_id"),
            // An empty or missing emoji takes the reaction back.
            what: What::Reaction(text_at(object, "emoji")),
        }),
        "edit" => Some(Change {
            target: original(),
            what: What::Edit(
                object
                    .and_then(|e| e.get("message"))
                    .and_then(|message| new_content(&format!("{path}.edit.message"), message)),
            ),
        }),
        "revoke" => Some(Change {
            target: original(),
            what: What::Revoke,
        }),
        _ => None,
    }
}

/// A non-empty string field of `object`.
fn text_at(object: Option<&Value>, field: &str) -> Option<String> {
    object?
        .get(field)?
        .as_str()
        .filter(|text| !text.trim().is_empty())
        .map(str::to_owned)
}

/// The edited message's new content (`{"type": "text", "text": {...}}`), read like any
/// message's. A problem in it does not fail the body: the edit is then not applied.
fn new_content(path: &str, message: &Value) -> Option<Content> {
    let object = message.as_object()?.clone();
    let kind = object.get("type")?.as_str()?.to_owned();
    let mut walk = Walk::default();
    let content = walk.content(path, &kind, object);
    if walk.problems.is_empty() {
        content
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::channels::whatsapp::payload::fixtures::one_message;
    use crate::channels::whatsapp::payload::{Content, Event, MediaKind, parse};

    fn only_event(raw: &[u8]) -> Event {
        match parse(raw).expect("valid body").as_slice() {
            [event] => event.clone(),
            other => panic!("expected one event, got {other:?}"),
        }
    }

    #[test]
    fn a_reaction_names_its_target_and_emoji() {
        let raw = one_message(
            json!({ "type": "reaction", "reaction": { "message_id": "wamid.antwoord", "emoji": "👍" } }),
        );
        let Event::Reaction { update, emoji } = only_event(&raw) else {
            panic!("expected a reaction");
        };
        assert_eq!(update.target.as_deref(), Some("wamid.antwoord"));
        assert_eq!(update.wamid, "wamid.HBgLMzE2MTIzNDU2NzgVAgASGBQzQUVCMDA");
        assert_eq!(update.from, "31612345678");
        assert_eq!(emoji.as_deref(), Some("👍"));
    }

    #[test]
    fn an_empty_or_missing_emoji_takes_the_reaction_back() {
        for reaction in [
            json!({ "message_id": "wamid.antwoord", "emoji": "" }),
            json!({ "message_id": "wamid.antwoord" }),
        ] {
            let raw = one_message(json!({ "type": "reaction", "reaction": reaction }));
            assert!(
                matches!(only_event(&raw), Event::Reaction { emoji: None, .. }),
                "{reaction}"
            );
        }
    }

    #[test]
    fn an_edit_carries_the_original_id_and_the_new_content() {
        let raw = one_message(json!({ "type": "edit", "edit": {
            "original_message_id": "wamid.vraag",
            "message": { "type": "text", "text": { "body": "Wanneer komt de vuilniswagen?" } } } }));
        let Event::Edit { update, content } = only_event(&raw) else {
            panic!("expected an edit");
        };
        assert_eq!(update.target.as_deref(), Some("wamid.vraag"));
        assert_eq!(
            content,
            Some(Content::Text("Wanneer komt de vuilniswagen?".into()))
        );

        let caption = one_message(json!({ "type": "edit", "edit": {
            "original_message_id": "wamid.foto",
            "message": { "type": "image", "image": { "id": "1", "mime_type": "image/jpeg", "caption": "Losse tegel" } } } }));
        let Event::Edit { content, .. } = only_event(&caption) else {
            panic!("expected an edit");
        };
        assert!(matches!(
            content,
            Some(Content::Media { kind: MediaKind::Image, caption: Some(c), .. }) if c == "Losse tegel"
        ));
    }

    #[test]
    fn unreadable_new_content_keeps_the_edit_without_failing_the_body() {
        let raw = one_message(json!({ "type": "edit", "edit": {
            "original_message_id": "wamid.vraag", "message": { "type": "text", "text": {} } } }));
        assert!(matches!(
            only_event(&raw),
            Event::Edit { content: None, update } if update.target.as_deref() == Some("wamid.vraag")
        ));
    }

    #[test]
    fn a_revoke_names_the_original_message() {
        let raw = one_message(
            json!({ "type": "revoke", "revoke": { "original_message_id": "wamid.vraag" } }),
        );
        assert!(matches!(
            only_event(&raw),
            Event::Revoke(update) if update.target.as_deref() == Some("wamid.vraag")
        ));
    }

    #[test]
    fn unsupported_edits_and_revokes_are_updates_not_messages() {
        let edit = one_message(json!({ "type": "unsupported",
            "unsupported": { "type": "edit" },
            "edit": { "original_message_id": "wamid.vraag" } }));
        assert!(matches!(
            only_event(&edit),
            Event::Edit { content: None, update } if update.target.as_deref() == Some("wamid.vraag")
        ));
        let revoke = one_message(json!({ "type": "unsupported",
            "unsupported": { "type": "revoke", "original_message_id": "wamid.vraag" } }));
        assert!(matches!(
            only_event(&revoke),
            Event::Revoke(update) if update.target.as_deref() == Some("wamid.vraag")
        ));
        let without_target =
            one_message(json!({ "type": "unsupported", "unsupported": { "type": "edit" } }));
        assert!(matches!(
            only_event(&without_target),
            Event::Edit { update, .. } if update.target.is_none()
        ));
    }
}
