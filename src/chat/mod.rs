//! Conversations with residents: the words for their state, the live events agents and
//! residents subscribe to, and the service that every channel and the dashboard go through.
//!
//! # Layout
//!
//! ```text
//! hours/      office hours per weekday (Europe/Amsterdam), the response promise, in Dutch words
//! holidays.rs Dutch public holidays, computed per year
//! privacy/    detecting and masking personal data (BSN, IBAN, date of birth, address)
//! events.rs   the live event hub behind the dashboard's and the chat's server-sent events
//! service/    receive a resident message, reply, take, forward, label, close
//! intent.rs   what a message is about apart from its content: greeting, thanks, ja, nee, ...
//! bot/        the bot policy: answer, offer ("Bedoelt u …?"), small talk, hand over, away text
//! respond.rs  carrying out the bot's decisions, the welcome on WhatsApp
//! answer.rs   an article's outgoing text per channel, for the bot and "Gebruik" alike
//! learning.rs proposals for the review queue: agents' and learned example questions
//! editing.rs  saving, drafting, archiving and restoring articles: file, revision and index
//! ```

pub mod answer;
pub mod bot;
pub mod editing;
pub mod events;
pub mod holidays;
pub mod hours;
pub mod intent;
pub mod learning;
pub mod privacy;
mod respond;
pub mod service;

pub use events::{Event, Hub};

use std::sync::Arc;

use chrono::{DateTime, Utc};

/// The time as the bot and the office hours see it; tests fix it.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The real time.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}
pub use service::{Chat, ChatError};

/// Declares an enum stored as lowercase text, with `as_str`, `FromStr` and serde.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!("unknown {} `{other}`", stringify!($name))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Where a conversation stands.
    Status {
        /// The resident waits for an answer.
        Open = "open",
        /// Answered; waiting for the resident.
        Waiting = "waiting",
        Closed = "closed",
    }
);

text_enum!(
    Direction {
        /// From the resident.
        In = "in",
        /// To the resident.
        Out = "out",
        /// Internal note between agents.
        Note = "note",
    }
);

text_enum!(
    AuthorKind {
        Resident = "resident",
        Agent = "agent",
        /// Automatic texts, such as a forwarding notice.
        System = "system",
        Bot = "bot",
    }
);

text_enum!(
    /// How far a message got on its channel.
    Delivery {
        Received = "received",
        Queued = "queued",
        Sent = "sent",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
    }
);

text_enum!(
    /// What the agent did with the suggestions for the message they answered.
    Usage {
        Unchanged = "unchanged",
        Edited = "edited",
        NotUsed = "not_used",
    }
);

text_enum!(
    /// Where the agent took the article of a reply from.
    Via {
        /// The suggestions shown beside the conversation.
        Suggestion = "suggestion",
        /// The knowledge-base search (/kb), for when no suggestion fitted.
        Search = "search",
    }
);

impl Delivery {
    /// Whether a status the channel reports may replace `current`. Statuses only move forward
    /// (queued < sent < delivered < read), since webhooks may arrive out of order; `failed`
    /// replaces only a message not yet delivered, and nothing replaces `failed`.
    pub fn may_replace(self, current: Delivery) -> bool {
        let rank = |d: Delivery| match d {
            Delivery::Received | Delivery::Queued => 0,
            Delivery::Sent => 1,
            Delivery::Delivered => 2,
            Delivery::Read => 3,
            Delivery::Failed => 4,
        };
        match self {
            Delivery::Failed => rank(current) < 2,
            new => rank(new) > rank(current) && current != Delivery::Failed,
        }
    }

    /// Dutch, for the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Received => "ontvangen",
            Delivery::Queued => "in de wachtrij",
            Delivery::Sent => "verstuurd",
            Delivery::Delivered => "afgeleverd",
            Delivery::Read => "gelezen",
            Delivery::Failed => "niet afgeleverd",
        }
    }
}

impl Status {
    /// Dutch, for the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Waiting => "wacht op inwoner",
            Status::Closed => "gesloten",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Delivery::*;

    #[test]
    fn delivery_statuses_only_move_forward() {
        assert!(Sent.may_replace(Queued));
        assert!(Delivered.may_replace(Sent) && Read.may_replace(Delivered));
        assert!(
            !Delivered.may_replace(Read),
            "webhooks may arrive out of order"
        );
        assert!(Failed.may_replace(Sent));
        assert!(!Failed.may_replace(Delivered) && !Failed.may_replace(Read));
        assert!(!Read.may_replace(Failed));
    }
}
