//! The one path every message and agent action takes: validate, store (committed), audit,
//! then publish the event. Channels and the dashboard call [`Chat`]; none of them writes to
//! the store directly.

use std::sync::Arc;

use tokio::sync::Notify;

use crate::chat::bot;
use crate::chat::answer::{article_markdown, for_channel};
use crate::chat::privacy::{self, Kind};
use crate::chat::{Clock, Delivery, Event, Hub, Status, Usage};
use crate::config::Config;
use crate::search::{Engine, Suggestions};
use crate::store::conversations::{self as conv, ChangeError, Conversation, Message, Reply};
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
        "the resident's last WhatsApp message is more than 24 hours old; WhatsApp allows no free-form reply now"
    )]
    WindowClosed,
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
            ChatError::WindowClosed => "Het laatste WhatsApp-bericht van de inwoner is meer dan \
                24 uur oud. WhatsApp staat dan geen gewoon antwoord toe; neem op een andere \
                manier contact op."
                .into(),
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

    /// Stores a resident message with the suggestions for it and tells every dashboard.
    /// Returns only after the commit: the channel may acknowledge the message then.
    pub async fn receive(
        &self,
        channel: &str,
        resident_ref: &str,
        text: &str,
    ) -> Result<(Conversation, Message), ChatError> {
        match self
            .receive_incoming(Incoming::text(channel, resident_ref, text))
            .await?
        {
            Received::New {
                conversation,
                message,
            } => Ok((conversation, message)),
            // Only messages with a channel id can be duplicates.
            Received::Duplicate => Err(ChatError::NotFound),
        }
    }

    /// [`Chat::receive`] for channels that say more than the text: their own message id (a
    /// second delivery is ignored), the resident's name, media.
    ///
    /// Personal data is masked before anything is stored (see [`privacy`]); when some was
    /// found, the privacy article is the first suggestion. After the commit the bot may answer.
    pub async fn receive_incoming(&self, incoming: Incoming) -> Result<Received, ChatError> {
        let text = match self.clean_text(&incoming.text) {
            // WhatsApp limits messages itself (4096 characters) and cannot be told "too
            // long"; a longer one is stored cut, and marked.
            Err(ChatError::TooLong { .. }) if incoming.channel == WHATSAPP => {
                let text = incoming.text.trim();
                tracing::warn!(chars = text.chars().count(), "long WhatsApp message cut");
                cut_long(text)
            }
            other => other?,
        };
        let privacy::ScreenedMessage {
            text: screened,
            resident_name,
        } = privacy::screen_message(
            &text,
            incoming.resident_name.as_deref(),
            &self.config.privacy,
        );
        let found: Vec<Kind> = screened.findings.iter().map(|(kind, _)| *kind).collect();
        let suggestions = self.suggestions_for(&screened.text, !found.is_empty());
        let shown: Vec<(String, f32)> = suggestions
            .suggestions
            .iter()
            .map(|s| (s.id.clone(), s.confidence))
            .collect();
        let text = screened.text;
        // WhatsApp residents get the welcome and privacy notice first; the web chat shows
        // both above the conversation.
        let welcome = (incoming.channel == WHATSAPP).then(|| {
            let texts = &self.config.texts;
            (
                for_channel(&format!("{}\n\n{}", texts.welcome, texts.privacy), WHATSAPP),
                delivery_on(WHATSAPP),
            )
        });
        let chat = self.clone();
        let recorded = self
            .store
            .call(move |c| {
                let mut kinds: Vec<&str> = found.iter().map(|k| k.label()).collect();
                kinds.dedup();
                inbound::record_inbound(
                    c,
                    &Inbound {
                        channel: &incoming.channel,
                        resident_ref: &incoming.resident_ref,
                        text: &text,
                        suggestions: &shown,
                        channel_message_id: incoming.channel_message_id.as_deref(),
                        resident_name: resident_name.as_ref().map(|name| name.text.as_str()),
                        media: incoming
                            .media
                            .as_ref()
                            .map(|(kind, id)| (kind.as_str(), id.as_str())),
                        privacy: &kinds,
                        welcome: welcome.as_ref().map(|(text, d)| (text.as_str(), *d)),
                    },
                    |conversation, message| chat.plan_response(conversation, message, &suggestions),
                )
            })
            .await?;
        let Recorded::New {
            conversation,
            message,
            automatic,
            ..
        } = recorded
        else {
            return Ok(Received::Duplicate);
        };
        self.publish_message(&message);
        if automatic.iter().any(|m| m.delivery == Delivery::Queued) {
            self.outbox.notify_one();
        }
        for automatic in &automatic {
            self.publish_message(automatic);
        }
        if !automatic.is_empty() {
            // Status, priority or feedback may have changed with the bot's response.
            self.publish_change(conversation.id, "bot");
        }
        Ok(Received::New {
            conversation,
            message,
        })
    }

    /// Suggestions for a (masked) resident message; with personal data in it, the privacy
    /// article comes first.
    pub fn suggestions_for(&self, text: &str, personal_data: bool) -> Suggestions {
        let mut suggestions = self.suggest(text, SUGGESTIONS_SHOWN);
        if personal_data {
            let privacy_id = self.config.bot.privacy_article.as_str();
            let snapshot = self.engine.snapshot();
            if let Some(article) = snapshot.ruled_suggestion(privacy_id, "persoonsgegevens") {
                suggestions.suggestions.retain(|s| s.id != privacy_id);
                suggestions.suggestions.insert(0, article);
                suggestions.suggestions.truncate(SUGGESTIONS_SHOWN);
                // The privacy answer is what the message needs, whatever else it asks.
                suggestions.confident = false;
            }
        }
        suggestions
    }

    /// Fresh suggestions for what the resident last asked (see [`asked`]).
    pub fn suggestions_for_thread(&self, messages: &[Message]) -> Option<Suggestions> {
        asked(messages).map(|m| self.suggestions_for(&m.text, !m.privacy.is_empty()))
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

    /// Sends an agent's reply. `article_id` is the suggestion the agent started from.
    pub async fn reply(
        &self,
        user: &User,
        id: i64,
        text: &str,
        article_id: Option<&str>,
    ) -> Result<Message, ChatError> {
        let conversation = self.conversation_for(user, id).await?;
        if !self.window_open(&conversation) {
            return Err(ChatError::WindowClosed);
        }
        let text = self.clean_text(text)?;
        let snapshot = self.engine.snapshot();
        let article = article_id.and_then(|a| snapshot.article(a));
        let usage = match article {
            Some(article) if same_text(&article_markdown(article, &snapshot.site_url), &text) => {
                Usage::Unchanged
            }
            Some(_) => Usage::Edited,
            None => Usage::NotUsed,
        };
        let article_id = article.map(|a| a.id.clone());
        let delivery = delivery_on(&conversation.channel);
        let text = for_channel(&text, &conversation.channel);
        let (agent, actor) = (user.clone(), user.name.clone());
        let message = self
            .store
            .call(move |c| {
                let reply = Reply {
                    text: &text,
                    article_id: article_id.as_deref(),
                    usage,
                    delivery,
                };
                let message = conv::send_reply(c, id, &agent, &reply).map_err(ChatError::from);
                if let Ok(m) = &message {
                    let detail = format!("message {} ({})", m.id, usage.as_str());
                    audit::record(c, &actor, "message.send", Some(id), &detail)?;
                }
                Ok(message)
            })
            .await??;
        if delivery == Delivery::Queued {
            self.outbox.notify_one();
        }
        self.publish_message(&message);
        self.publish_change(id, "assignment");
        Ok(message)
    }

    /// WhatsApp allows free-form replies only within 24 hours of the resident's last message
    /// (template messages are not supported). Other channels have no window.
    pub fn window_open(&self, conversation: &Conversation) -> bool {
        if conversation.channel != WHATSAPP {
            return true;
        }
        conversation
            .last_inbound_at
            .is_some_and(|at| (self.clock)() - at < chrono::TimeDelta::hours(WHATSAPP_WINDOW_HOURS))
    }

    /// Takes the conversation; `force` takes it over from another agent.
    pub async fn take(&self, user: &User, id: i64, force: bool) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let (agent, actor) = (user.clone(), user.name.clone());
        self.store
            .call(move |c| {
                let taken = conv::assign(c, id, &agent, force).map_err(ChatError::from);
                if let Ok(previous) = &taken {
                    let detail = previous
                        .as_ref()
                        .map(|p| format!("from {}", p.name))
                        .unwrap_or_default();
                    audit::record(c, &actor, "conversation.take", Some(id), &detail)?;
                }
                Ok(taken)
            })
            .await??;
        self.publish_change(id, "assignment");
        Ok(())
    }

    pub async fn release(&self, user: &User, id: i64) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let (agent, actor) = (user.clone(), user.name.clone());
        self.store
            .call(move |c| {
                let released = conv::release(c, id, &agent).map_err(ChatError::from);
                if released.is_ok() {
                    audit::record(c, &actor, "conversation.release", Some(id), "")?;
                }
                Ok(released)
            })
            .await??;
        self.publish_change(id, "assignment");
        Ok(())
    }

    pub async fn note(&self, user: &User, id: i64, text: &str) -> Result<Message, ChatError> {
        self.conversation_for(user, id).await?;
        let text = self.clean_text(text)?;
        let (agent, actor) = (user.clone(), user.name.clone());
        let message = self
            .store
            .call(move |c| {
                let note = conv::add_note(c, id, &agent, &text).map_err(ChatError::from);
                if note.is_ok() {
                    audit::record(c, &actor, "note.add", Some(id), "")?;
                }
                Ok(note)
            })
            .await??;
        self.publish_message(&message);
        Ok(message)
    }

    /// Forwards to a department; the resident gets the department's expectation text.
    pub async fn forward(
        &self,
        user: &User,
        id: i64,
        department: &str,
    ) -> Result<Message, ChatError> {
        let conversation = self.conversation_for(user, id).await?;
        let delivery = delivery_on(&conversation.channel);
        let dept = self
            .config
            .department(department)
            .ok_or_else(|| ChatError::UnknownDepartment(department.to_string()))?;
        let notice = for_channel(&dept.expectation, &conversation.channel);
        let (dept_id, actor) = (dept.id.clone(), user.name.clone());
        let message = self
            .store
            .call(move |c| {
                let sent =
                    conv::forward(c, id, &dept_id, &notice, delivery).map_err(ChatError::from);
                if sent.is_ok() {
                    audit::record(c, &actor, "conversation.forward", Some(id), &dept_id)?;
                }
                Ok(sent)
            })
            .await??;
        if delivery == Delivery::Queued {
            self.outbox.notify_one();
        }
        self.publish_message(&message);
        self.publish_change(id, "department");
        Ok(message)
    }

    pub async fn set_status(&self, user: &User, id: i64, status: Status) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let actor = user.name.clone();
        self.store
            .call(move |c| {
                let changed = conv::set_status(c, id, status).map_err(ChatError::from);
                if changed.is_ok() {
                    audit::record(c, &actor, "conversation.status", Some(id), status.as_str())?;
                }
                Ok(changed)
            })
            .await??;
        self.publish_change(id, "status");
        Ok(())
    }

    /// Adds (`add == true`) or removes a label.
    pub async fn label(
        &self,
        user: &User,
        id: i64,
        label: &str,
        add: bool,
    ) -> Result<(), ChatError> {
        self.conversation_for(user, id).await?;
        let label = label.trim().to_lowercase();
        if label.is_empty() || label.chars().count() > 40 || label.contains(',') {
            return Err(ChatError::BadLabel);
        }
        let actor = user.name.clone();
        self.store
            .call(move |c| {
                let changed = if add {
                    conv::add_label(c, id, &label)
                } else {
                    conv::remove_label(c, id, &label)
                }
                .map_err(ChatError::from);
                if changed.is_ok() {
                    let action = if add { "label.add" } else { "label.remove" };
                    audit::record(c, &actor, action, Some(id), &label)?;
                }
                Ok(changed)
            })
            .await??;
        self.publish_change(id, "labels");
        Ok(())
    }
}

/// The resident message agents' suggestions are for: the latest that asks something, so a
/// closing "bedankt" or "hallo" keeps the suggestions of the question before it; the latest
/// resident message when none asks anything.
pub fn asked(messages: &[Message]) -> Option<&Message> {
    let from_resident = || {
        messages
            .iter()
            .rev()
            .filter(|m| m.direction == crate::chat::Direction::In)
    };
    from_resident()
        .find(|m| bot::asks_something(&m.text))
        .or_else(|| from_resident().next())
}

/// Whether an agent sent the article's answer as it stands (whitespace aside).
fn same_text(answer: &str, sent: &str) -> bool {
    answer.split_whitespace().eq(sent.split_whitespace())
}
