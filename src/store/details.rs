//! What the dashboard shows around a message besides its text, kept as JSON in
//! `messages.details`: forwarding, the ad a resident came from, the id and description of a
//! button or list item they tapped, and whether an outbound message was sent outside
//! vraagbaak. Unknown or unreadable JSON reads as no details, so older rows and later
//! additions never fail a page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDetails {
    /// `doorgestuurd`, or `vaak doorgestuurd` for a chain of five or more chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forwarded: Option<String>,
    /// The click-to-WhatsApp ad's headline and source URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<String>,
    /// The id we gave the button or list item the resident tapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice_description: Option<String>,
    /// Sent from another app on the municipality's number (a message echo), not by vraagbaak.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sent_outside: bool,
}

impl MessageDetails {
    pub fn is_empty(&self) -> bool {
        *self == MessageDetails::default()
    }

    /// The JSON column's value: `None` when there is nothing to keep.
    pub fn to_column(&self) -> Option<String> {
        if self.is_empty() {
            None
        } else {
            serde_json::to_string(self).ok()
        }
    }

    pub fn from_column(column: Option<&str>) -> MessageDetails {
        column
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_round_trip_and_nothing_is_stored_as_null() {
        assert_eq!(MessageDetails::default().to_column(), None);
        let details = MessageDetails {
            forwarded: Some("doorgestuurd".into()),
            choice_id: Some("b1".into()),
            ..MessageDetails::default()
        };
        let column = details.to_column();
        assert_eq!(MessageDetails::from_column(column.as_deref()), details);
        assert_eq!(
            MessageDetails::from_column(Some("not json")),
            MessageDetails::default()
        );
    }
}
