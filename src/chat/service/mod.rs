//! The one path every message and agent action takes: validate, store (committed), audit,
//! then publish the event. Channels and the dashboard call [`Chat`]; none of them writes to
//! the store directly.
//!
//! ```text
//! mod.rs      the channels, the errors, what arrives (Incoming) and the Chat handle
//! receive.rs  a resident message arrives: stored with its suggestions, then the bot
//! updates.rs  a resident reacts to, edits or revokes an earlier message
//! reply.rs    replies from agents and inbox tools; the 24-hour window and held answers
//! agent.rs    what else agents do: take, release, note, forward, status, labels
//! channel_events.rs  system messages, echoes and marketing preferences from a channel
//! ```

mod agent;
mod channel_events;
mod receive;
mod reply;
mod updates;

pub use reply::Sender;
pub use updates::ResidentChange;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::chat::answer::{article_markdown, for_channel};
use crate::chat::bot;
use crate::chat::privacy::{self, Kind};
use crate::chat::{Clock, Delivery, Event, Hub, Status, Usage};
use crate::config::Config;
use crate::search::{Engine, Suggestions};
use crate::store::conversations::{self as conv, ChangeError, Conversation, Message, Reply};
use crate::store::details::MessageDetails;
use crate::store::inbound::{self, Inbound, Recorded};
use crate::store::inbox;
use crate::store::users::User;
use crate::store::{Store, StoreError, audit};

/// The channel name of the website chat.
pub const WEB_CHAT: &str = "webchat";

/// The channel name of WhatsApp.
pub const WHATSAPP: &str = "whatsapp";

/// WhatsApp's customer-service window.
pub const WHATSAPP_WINDOW_HOURS: i64 = 24;

/// How an outbound message starts out on a channel. WhatsApp replies go through the outbox;
/// web-chat residents read replies from the store, and inbox tools read them through the API,
/// so for those the message is delivered once stored.
pub fn delivery_on(channel: &str) -> Delivery {
    if channel == WHATSAPP {
        Delivery::Queued
    } else {
        Delivery::Sent
    }
}

/// The longest resident message stored, in characters: WhatsApp's own limit, so only a
/// forged or broken client sends more. Longer messages are cut and end in [`CUT_MARK`].
pub const MAX_STORED_CHARS: usize = 4096;

/// Ends a message that was cut, so agents know they do not see all of it.
pub const CUT_MARK: &str = " … [bericht ingekort]";

/// `text` if it has at most [`MAX_STORED_CHARS`] characters; otherwise its start, cut at a
/// character boundary, followed by [`CUT_MARK`], together exactly that long.
pub fn cut_long(text: &str) -> String {
    let keep = MAX_STORED_CHARS - CUT_MARK.chars().count();
    match text.char_indices().nth(MAX_STORED_CHARS) {
        None => text.to_string(),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(keep)
                .map_or(text.len(), |(at, _)| at);
            format!("{}{CUT_MARK}", &text[..end])
        }
    }
}

/// How many suggestions agents see and the store records.
pub const SUGGESTIONS_SHOWN: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    #[error("message is empty")]
    Empty,
    #[error("message is longer than {max} characters")]
    TooLong { max: usize },
    #[error("conversation not found")]
    NotFound,
    #[error("{0} is handling this conversation; take it over first")]
    HeldBy(String),
    #[error("unknown department `{0}`")]
    UnknownDepartment(String),
    #[error("a label must be 1 to 40 characters without commas")]
    BadLabel,
    #[error(
        "the resident's last WhatsApp message is more than 24 hours old; WhatsApp allows no free-form reply now, and no re-engagement template is configured (set [whatsapp] reopen_template to a template Meta approved)"
    )]
    WindowClosed,
    #[error(
        "the resident's last WhatsApp message is more than 24 hours old and they opted out of template messages from this number (WhatsApp marketing preferences), so no re-engagement template is sent; they can be answered when they write again"
    )]
    OptedOut,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ChatError {
    /// The same problem in Dutch, for residents and agents.
    pub fn dutch(&self) -> String {
        match self {
            ChatError::Empty => "Uw bericht is leeg.".into(),
            ChatError::TooLong { max } => {
                format!("Uw bericht is te lang. Gebruik maximaal {max} tekens.")
            }
            ChatError::NotFound => {
                "Dit gesprek bestaat niet of u heeft er geen toegang toe.".into()
            }
            ChatError::HeldBy(name) => {
                format!("{name} behandelt dit gesprek. Neem het eerst over als u wilt antwoorden.")
            }
            ChatError::UnknownDepartment(id) => format!("Onbekende afdeling: {id}."),
            ChatError::BadLabel => "Een label heeft 1 tot 40 tekens en geen komma.".into(),
            ChatError::WindowClosed => WINDOW_CLOSED_NL.into(),
            ChatError::OptedOut => {
                "Het laatste WhatsApp-bericht van de inwoner is meer dan 24 uur \
                oud en de inwoner heeft zich via WhatsApp afgemeld voor sjabloonberichten van de \
                gemeente. Daarom gaat er geen heropeningsverzoek uit. Antwoorden kan weer zodra de \
                inwoner zelf schrijft; neem zo nodig op een andere manier contact op."
                    .into()
            }
            ChatError::Store(_) => "Er ging iets mis bij het opslaan. Probeer het opnieuw.".into(),
        }
    }
}

impl From<ChangeError> for ChatError {
    fn from(err: ChangeError) -> Self {
        match err {
            ChangeError::NotFound => ChatError::NotFound,
            ChangeError::HeldBy(name) => ChatError::HeldBy(name),
            ChangeError::Store(e) => ChatError::Store(e),
        }
    }
}

/// Why a reply after WhatsApp's window cannot go out, and what would make it possible.
pub const WINDOW_CLOSED_NL: &str = "Het laatste WhatsApp-bericht van de inwoner is meer dan 24 \
    uur oud. WhatsApp staat dan geen gewoon antwoord toe, alleen een sjabloonbericht dat Meta \
    heeft goedgekeurd, en er is geen ingesteld. Vraag de beheerder een heropeningssjabloon in te \
    stellen ([whatsapp] reopen_template of VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE); dan wacht uw \
    antwoord tot de inwoner reageert. Neem intussen op een andere manier contact op.";

/// A resident message as a channel hands it over.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub channel: String,
    pub resident_ref: String,
    pub text: String,
    /// The channel's own id for the message (WhatsApp's wamid).
    pub channel_message_id: Option<String>,
    /// The resident's display name on the channel.
    pub resident_name: Option<String>,
    /// For media: the kind (`image`, `audio`, ...) and the channel's media id.
    pub media: Option<(String, String)>,
    /// A document's file name as the resident sent it; screened like the text before storing.
    pub file_name: Option<String>,
    /// The channel id of the message this one replies to.
    pub reply_to: Option<String>,
    /// What the dashboard shows around the message (forwarded, ad, tapped button).
    pub details: MessageDetails,
    /// When the resident sent it by the channel's clock (WhatsApp's timestamp); `None` for
    /// channels without one. WhatsApp's 24-hour window runs from this time.
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Incoming {
    /// A plain text message.
    pub fn text(channel: &str, resident_ref: &str, text: &str) -> Self {
        Incoming {
            channel: channel.to_string(),
            resident_ref: resident_ref.to_string(),
            text: text.to_string(),
            channel_message_id: None,
            resident_name: None,
            media: None,
            file_name: None,
            reply_to: None,
            details: MessageDetails::default(),
            sent_at: None,
        }
    }
}

/// What [`Chat::receive_incoming`] did.
#[allow(
    clippy::large_enum_variant,
    reason = "returned once and matched at once"
)]
pub enum Received {
    New {
        conversation: Conversation,
        message: Message,
    },
    /// Delivered before; acknowledged and ignored.
    Duplicate,
}

/// A conversation as an agent sees it.
pub struct ConversationView {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
    /// Fresh suggestions for what the resident last asked (full answers and links).
    pub suggestions: Option<Suggestions>,
}

#[derive(Clone)]
pub struct Chat {
    pub store: Store,
    pub engine: Arc<Engine>,
    pub hub: Hub,
    pub config: Arc<Config>,
    /// What time it is for office hours and the bot.
    pub clock: Clock,
    /// Wakes the outbox worker when a reply is queued.
    pub outbox: Arc<Notify>,
    /// Wakes the media worker when a resident's photo or file arrived.
    pub media: Arc<Notify>,
}

impl Chat {
    /// Checks a resident's or agent's text: trimmed, not empty, not too long.
    pub fn clean_text(&self, text: &str) -> Result<String, ChatError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ChatError::Empty);
        }
        let max = self.config.chat.max_message_chars;
        if text.chars().count() > max {
            return Err(ChatError::TooLong { max });
        }
        Ok(text.to_string())
    }

    pub fn suggest(&self, text: &str, k: usize) -> Suggestions {
        self.engine
            .suggest(text, k)
            .mark(self.config.bot.min_confidence)
    }

    pub(super) fn publish_message(&self, message: &Message) {
        self.hub.publish(Event::Message {
            conversation_id: message.conversation_id,
            message_id: message.id,
            direction: message.direction,
        });
    }

    pub(super) fn publish_change(&self, conversation_id: i64, change: &'static str) {
        self.hub.publish(Event::Conversation {
            conversation_id,
            change,
        });
    }

    /// The conversation if `user` may see it; NotFound otherwise, so ids cannot be probed.
    pub async fn conversation_for(&self, user: &User, id: i64) -> Result<Conversation, ChatError> {
        let found = self.store.call(move |c| conv::conversation(c, id)).await?;
        found
            .filter(|conversation| inbox::can_access(user, conversation))
            .ok_or(ChatError::NotFound)
    }

    /// Everything the conversation page shows; the view is audited.
    pub async fn view(&self, user: &User, id: i64) -> Result<ConversationView, ChatError> {
        let conversation = self.conversation_for(user, id).await?;
        let actor = user.name.clone();
        let messages = self
            .store
            .call(move |c| {
                audit::record(c, &actor, "conversation.view", Some(id), "")?;
                conv::messages(c, id, 0, true)
            })
            .await?;
        let suggestions = self.suggestions_for_thread(&messages);
        Ok(ConversationView {
            conversation,
            messages,
            suggestions,
        })
    }
}

/// The resident message agents' suggestions are for: the latest that asks something, so a
/// closing "bedankt" or "hallo" keeps the suggestions of the question before it; the latest
/// resident message when none asks anything. A message the resident deleted asks nothing.
pub fn asked(messages: &[Message]) -> Option<&Message> {
    let from_resident = || {
        messages
            .iter()
            .rev()
            .filter(|m| m.direction == crate::chat::Direction::In && m.revoked_at.is_none())
    };
    from_resident()
        .find(|m| bot::asks_something(&m.text))
        .or_else(|| from_resident().next())
}
