//! The readable Dutch text stored for each [`Content`]: what agents read, what export and search
//! see, and what the privacy screening runs over (so a contact card's numbers or a form's
//! answers are screened like any resident text).

use super::{ContactCard, Content, MediaKind, OrderItem};

impl Content {
    /// The text an agent sees: the text itself, or a Dutch note in brackets for anything else,
    /// with what the resident filled in or shared on the lines below it.
    pub fn summary(&self) -> String {
        match self {
            Content::Text(text) => text.clone(),
            Content::Choice { title, .. } => title.clone(),
            Content::Media {
                kind,
                caption,
                filename,
                ..
            } => {
                let what = match kind {
                    MediaKind::Image => "Afbeelding",
                    MediaKind::Audio => "Audiobestand",
                    MediaKind::Voice => "Spraakbericht",
                    MediaKind::Video => "Video",
                    MediaKind::Document => "Document",
                    MediaKind::Sticker => "Sticker",
                };
                let details: Vec<String> = [
                    filename.clone(),
                    caption.as_ref().map(|c| format!("bijschrift \"{c}\"")),
                ]
                .into_iter()
                .flatten()
                .collect();
                bracket(&format!("{what} ontvangen"), &details.join(", "))
            }
            Content::Location {
                latitude,
                longitude,
                name,
                address,
            } => {
                let place: Vec<&str> = [name, address]
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .collect();
                if place.is_empty() {
                    format!("[Locatie ontvangen: {latitude}, {longitude}]")
                } else {
                    format!(
                        "[Locatie ontvangen: {} ({latitude}, {longitude})]",
                        place.join(", ")
                    )
                }
            }
            Content::Contacts(cards) => {
                let lines: Vec<String> = cards.iter().map(contact_line).collect();
                with_lines(
                    &format!("[Contactkaart ontvangen ({})]", cards.len()),
                    &lines,
                )
            }
            Content::Order {
                catalog_id,
                text,
                items,
            } => {
                let head = match catalog_id {
                    Some(id) => format!("[Bestelling ontvangen, catalogus {id}]"),
                    None => "[Bestelling ontvangen]".to_owned(),
                };
                let mut lines: Vec<String> = items.iter().map(order_line).collect();
                if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                    lines.push(format!("Opmerking: {text}"));
                }
                with_lines(&head, &lines)
            }
            Content::FlowReply { name, body, fields } => {
                let what = [name.as_deref(), body.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                let lines: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                with_lines(&bracket("Formulier ingevuld", &what), &lines)
            }
            Content::Unreadable { kind, error, .. } => match error {
                Some(error) => format!(
                    "[Bericht dat niet getoond kan worden ({kind}); WhatsApp meldt: {error}]"
                ),
                None => format!("[Bericht dat niet getoond kan worden ({kind})]"),
            },
            Content::Other { kind } => {
                let label = match kind.as_str() {
                    "reaction" => "reactie",
                    "system" => "systeemmelding",
                    "unsupported" | "unknown" => "onbekend",
                    other => other,
                };
                format!("[Bericht van type {label} ontvangen; dit type wordt niet getoond]")
            }
        }
    }
}

/// `[what: details]`, or `[what]` without details.
fn bracket(what: &str, details: &str) -> String {
    if details.is_empty() {
        format!("[{what}]")
    } else {
        format!("[{what}: {details}]")
    }
}

fn with_lines(head: &str, lines: &[String]) -> String {
    std::iter::once(head.to_owned())
        .chain(lines.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n")
}

fn contact_line(card: &ContactCard) -> String {
    let name = card.name.as_deref().unwrap_or("(zonder naam)");
    let reach: Vec<&str> = card
        .phones
        .iter()
        .chain(&card.emails)
        .map(String::as_str)
        .collect();
    if reach.is_empty() {
        name.to_owned()
    } else {
        format!("{name}: {}", reach.join(", "))
    }
}

fn order_line(item: &OrderItem) -> String {
    let product = item.product_id.as_deref().unwrap_or("(onbekend product)");
    let quantity = item
        .quantity
        .map_or_else(|| "?".to_owned(), |q| q.to_string());
    match (item.price, item.currency.as_deref()) {
        (Some(price), Some(currency)) => format!("{quantity} × {product} à {price} {currency}"),
        (Some(price), None) => format!("{quantity} × {product} à {price}"),
        _ => format!("{quantity} × {product}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_describe_non_text_messages_in_dutch() {
        let media = |kind, caption: Option<&str>, filename: Option<&str>| Content::Media {
            kind,
            media_id: "1".into(),
            mime_type: "x/y".into(),
            caption: caption.map(Into::into),
            filename: filename.map(Into::into),
        };
        assert_eq!(
            media(MediaKind::Image, Some("Scheve stoeptegel"), None).summary(),
            "[Afbeelding ontvangen: bijschrift \"Scheve stoeptegel\"]"
        );
        assert_eq!(
            media(MediaKind::Image, None, None).summary(),
            "[Afbeelding ontvangen]"
        );
        assert_eq!(
            media(MediaKind::Voice, None, None).summary(),
            "[Spraakbericht ontvangen]"
        );
        assert_eq!(
            media(MediaKind::Audio, None, None).summary(),
            "[Audiobestand ontvangen]"
        );
        assert_eq!(
            media(MediaKind::Document, None, Some("factuur.pdf")).summary(),
            "[Document ontvangen: factuur.pdf]"
        );
        let location = Content::Location {
            latitude: 52.1,
            longitude: 5.1,
            name: None,
            address: Some("Dorpsstraat 1".into()),
        };
        assert_eq!(
            location.summary(),
            "[Locatie ontvangen: Dorpsstraat 1 (52.1, 5.1)]"
        );
        assert_eq!(
            Content::Other {
                kind: "sticker".into()
            }
            .summary(),
            "[Bericht van type sticker ontvangen; dit type wordt niet getoond]"
        );
        assert_eq!(Content::Text("Dank u wel".into()).summary(), "Dank u wel");
    }

    #[test]
    fn rich_kinds_list_what_the_resident_shared() {
        let contacts = Content::Contacts(vec![
            ContactCard {
                name: Some("Chandler Bing".into()),
                phones: vec!["+1 555-555-5555".into()],
                emails: vec!["c@example.org".into()],
            },
            ContactCard::default(),
        ]);
        assert_eq!(
            contacts.summary(),
            "[Contactkaart ontvangen (2)]\nChandler Bing: +1 555-555-5555, c@example.org\n(zonder naam)"
        );
        let order = Content::Order {
            catalog_id: Some("354".into()),
            text: Some("Graag snel".into()),
            items: vec![OrderItem {
                product_id: Some("HAMBURGER".into()),
                quantity: Some(3.0),
                price: Some(30.0),
                currency: Some("EUR".into()),
            }],
        };
        assert_eq!(
            order.summary(),
            "[Bestelling ontvangen, catalogus 354]\n3 × HAMBURGER à 30 EUR\nOpmerking: Graag snel"
        );
        let flow = Content::FlowReply {
            name: Some("flow".into()),
            body: Some("Sent".into()),
            fields: vec![("straat".into(), "Dorpsstraat".into())],
        };
        assert_eq!(
            flow.summary(),
            "[Formulier ingevuld: flow, Sent]\nstraat: Dorpsstraat"
        );
        let unreadable = Content::Unreadable {
            kind: "interactive".into(),
            error: Some("131000 Something went wrong".into()),
            problems: Vec::new(),
        };
        assert_eq!(
            unreadable.summary(),
            "[Bericht dat niet getoond kan worden (interactive); WhatsApp meldt: 131000 Something went wrong]"
        );
    }
}
