//! The richer message kinds read into [`Content`]: contact cards, catalogue orders and the
//! answers of a WhatsApp Flow.

use serde_json::Value;

use super::raw::{RawContactCard, RawFlowReply, RawOrder};
use super::{ContactCard, Content, OrderItem};

pub(super) fn contacts(cards: Vec<RawContactCard>) -> Content {
    Content::Contacts(
        cards
            .into_iter()
            .map(|card| ContactCard {
                name: card.name.and_then(|n| n.formatted_name),
                phones: card.phones.into_iter().filter_map(|p| p.phone).collect(),
                emails: card.emails.into_iter().filter_map(|e| e.email).collect(),
            })
            .collect(),
    )
}

pub(super) fn order(order: RawOrder) -> Content {
    Content::Order {
        catalog_id: order.catalog_id,
        text: order.text,
        items: order
            .product_items
            .into_iter()
            .map(|item| OrderItem {
                product_id: item.product_retailer_id,
                quantity: item.quantity,
                price: item.item_price,
                currency: item.currency,
            })
            .collect(),
    }
}

/// The flow's answers as `key: value` pairs; `flow_token` is ours, not the resident's, and
/// left out. An answer that is not JSON is kept as one `antwoord` field.
pub(super) fn flow_reply(reply: RawFlowReply) -> Content {
    let fields = match reply
        .response_json
        .as_deref()
        .map(serde_json::from_str::<Value>)
    {
        Some(Ok(Value::Object(map))) => map
            .into_iter()
            .filter(|(key, _)| key != "flow_token")
            .map(|(key, value)| {
                let value = match value {
                    Value::String(text) => text,
                    other => other.to_string(),
                };
                (key, value)
            })
            .collect(),
        Some(_) => vec![(
            "antwoord".to_owned(),
            reply.response_json.clone().unwrap_or_default(),
        )],
        None => Vec::new(),
    };
    Content::FlowReply {
        name: reply.name,
        body: reply.body,
        fields,
    }
}
