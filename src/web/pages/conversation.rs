//! One conversation as an agent sees it: the thread, the suggestions for the last resident
//! message that asks something, banners (priority, personal data, WhatsApp window) and the
//! reply box.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde::Deserialize;

use super::media::{self, MediaItem};
use super::{Nav, duration_nl, local_time};
use crate::chat::answer::{article_markdown, outgoing_text};
use crate::chat::service::{ConversationView, asked};
use crate::chat::{AuthorKind, Direction, Status};
use crate::search::{Snapshot, Suggestion};
use crate::store::audit;
use crate::store::conversations as conv;
use crate::store::media as store_media;
use crate::store::users::Session;
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::PageResult;
use crate::web::render::{channel_html, channel_label};

pub struct MessageItem {
    pub id: i64,
    /// CSS class: `in`, `out`, `note`, `system`.
    pub kind: &'static str,
    pub who: String,
    pub text: String,
    /// Replies as the resident saw them on the channel (safe HTML); `None` for the resident's
    /// own messages and notes, which are shown as typed.
    pub html: Option<String>,
    pub time: String,
    pub delivery: &'static str,
    /// Why the channel could not deliver it.
    pub delivery_error: Option<String>,
    pub usage: Option<&'static str>,
    /// For bot answers: what the resident said to "Heeft dit u geholpen?".
    pub feedback: Option<&'static str>,
    /// Personal data found and masked in a resident message, e.g. "BSN".
    pub privacy: String,
    /// A resident's photo or file.
    pub media: Option<MediaItem>,
}

pub struct SuggestionItem {
    pub id: String,
    pub title: String,
    pub confidence: u32,
    pub matched: String,
    /// What "Gebruik" puts in the reply box: the answer with its links, as Markdown. Sent on
    /// a channel it becomes exactly what the bot sends there.
    pub reply: String,
    /// How residents see the answer: `(channel, safe HTML)`, e.g. `("op WhatsApp", …)`.
    pub previews: Vec<(&'static str, String)>,
}

impl SuggestionItem {
    /// The card for `suggestion`, previewed on each of `channels`. `None` when the article is
    /// no longer in the knowledge base (a reload between search and rendering).
    pub fn new(suggestion: &Suggestion, snapshot: &Snapshot, channels: &[&str]) -> Option<Self> {
        let article = snapshot.article(&suggestion.id)?;
        let site_url = &snapshot.site_url;
        Some(SuggestionItem {
            id: suggestion.id.clone(),
            title: suggestion.title.clone(),
            confidence: (suggestion.confidence * 100.0).round() as u32,
            matched: suggestion.matched.join(", "),
            reply: article_markdown(article, site_url),
            previews: channels
                .iter()
                .map(|&channel| {
                    let text = outgoing_text(article, channel, site_url);
                    (channel_label(channel), channel_html(&text, channel))
                })
                .collect(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "conversation.html")]
pub struct ConversationPage {
    pub nav: Nav,
    pub id: i64,
    pub channel: String,
    pub status: &'static str,
    pub closed: bool,
    pub assignee: Option<String>,
    pub mine: bool,
    pub department: Option<String>,
    pub labels: Vec<String>,
    pub suggested_labels: Vec<String>,
    pub waited: String,
    pub messages: Vec<MessageItem>,
    /// The id of the resident message the suggestions are for (see [`asked`]): the page
    /// reloads its suggestions when it changes.
    pub latest_in: i64,
    pub suggestions: Vec<SuggestionItem>,
    pub departments: Vec<(String, String)>,
    /// Pre-filled reply (the no-JavaScript "Gebruik").
    pub draft: String,
    pub draft_article: String,
    /// The resident's name on the channel (WhatsApp profile name).
    pub resident_name: Option<String>,
    /// The resident asked for a person or said a bot answer did not help.
    pub priority: bool,
    /// WhatsApp's 24-hour window has closed: no free-form reply is possible.
    pub window_closed: bool,
    /// The latest resident message held personal data: which kinds.
    pub privacy_warning: Option<String>,
    /// The resident sent a photo or video, which may show personal data.
    pub photo_notice: bool,
    /// Why the reply in `draft` was not sent (a colleague holds the conversation, ...).
    pub reply_error: Option<String>,
}

impl ConversationPage {
    /// A colleague holds the conversation: Verstuur is off, "Overnemen en versturen" is on.
    pub fn held_by_other(&self) -> bool {
        self.assignee.is_some() && !self.mine
    }
}

#[derive(Deserialize, Default)]
pub struct ConversationQuery {
    /// An article id whose answer goes into the reply box.
    #[serde(default, rename = "use")]
    use_article: String,
    /// Set by the live refresh, which re-reads a page the agent already has open.
    #[serde(default)]
    partial: bool,
}

pub async fn conversation(
    State(state): State<AppState>,
    Agent(session): Agent,
    Path(id): Path<i64>,
    Query(query): Query<ConversationQuery>,
) -> PageResult<ConversationPage> {
    page(&state, &session, id, &query).await
}

/// The page for `session`'s agent, also rendered by a refused reply with its draft.
pub(super) async fn page(
    state: &AppState,
    session: &Session,
    id: i64,
    query: &ConversationQuery,
) -> PageResult<ConversationPage> {
    let view = if query.partial {
        let conversation = state.chat.conversation_for(&session.user, id).await?;
        let actor = session.user.name.clone();
        // The refresh shows the whole thread, so it is a view like any other.
        let messages = state
            .chat
            .store
            .call(move |c| {
                audit::record(c, &actor, "conversation.view", Some(id), "live refresh")?;
                conv::messages(c, id, 0, true)
            })
            .await?;
        let suggestions = state.chat.suggestions_for_thread(&messages);
        ConversationView {
            conversation,
            messages,
            suggestions,
        }
    } else {
        state.chat.view(&session.user, id).await?
    };
    let snapshot = state.chat.engine.snapshot();
    let c = &view.conversation;
    let mut suggested_labels: Vec<String> = view
        .messages
        .iter()
        .filter_map(|m| m.article_id.as_deref())
        .filter_map(|a| snapshot.article(a))
        .flat_map(|a| a.tags.iter().cloned())
        .filter(|t| !c.labels.contains(t))
        .collect();
    suggested_labels.sort();
    suggested_labels.dedup();
    let draft_article = snapshot.article(&query.use_article);
    let mut media = media::items(
        id,
        &state
            .chat
            .store
            .call(move |c| store_media::for_conversation(c, id))
            .await?,
    );
    let messages = view
        .messages
        .iter()
        .map(|m| MessageItem {
            id: m.id,
            kind: match (m.direction, m.author) {
                (Direction::In, _) => "in",
                (Direction::Note, _) => "note",
                (Direction::Out, AuthorKind::System | AuthorKind::Bot) => "system",
                (Direction::Out, _) => "out",
            },
            who: match (m.direction, m.author) {
                (Direction::In, _) => "Inwoner".into(),
                (Direction::Note, _) => {
                    format!("Notitie van {}", m.author_name.clone().unwrap_or_default())
                }
                (_, AuthorKind::Bot) => "Bot".into(),
                (_, AuthorKind::System) => "Automatisch bericht".into(),
                _ => m.author_name.clone().unwrap_or_else(|| "Medewerker".into()),
            },
            html: (m.direction == Direction::Out).then(|| channel_html(&m.text, &c.channel)),
            text: m.text.clone(),
            time: local_time(m.created_at),
            delivery: m.delivery.label(),
            delivery_error: m.delivery_error.clone(),
            feedback: m.helpful.map(|helpful| {
                if helpful {
                    "de inwoner is geholpen"
                } else {
                    "de inwoner is niet geholpen"
                }
            }),
            privacy: m.privacy.join(", "),
            media: media.remove(&m.id),
            usage: m.usage.map(|u| match u {
                crate::chat::Usage::Unchanged => "suggestie ongewijzigd verstuurd",
                crate::chat::Usage::Edited => "suggestie aangepast verstuurd",
                crate::chat::Usage::NotUsed => "eigen antwoord",
            }),
        })
        .collect();
    let latest_in = view
        .messages
        .iter()
        .rev()
        .find(|m| m.direction == Direction::In);
    let privacy_warning = latest_in
        .filter(|m| !m.privacy.is_empty())
        .map(|m| m.privacy.join(", "));
    let latest_in = asked(&view.messages).map(|m| m.id).unwrap_or(0);
    Ok(ConversationPage {
        nav: Nav::new(state, session, "inbox"),
        resident_name: c.resident_name.clone(),
        priority: c.priority,
        window_closed: !state.chat.window_open(c),
        privacy_warning,
        photo_notice: view.messages.iter().any(|m| {
            m.direction == Direction::In
                && matches!(m.media_kind.as_deref(), Some("image" | "video"))
        }),
        id,
        channel: c.channel.clone(),
        status: c.status.label(),
        closed: c.status == Status::Closed,
        mine: c.assignee.as_ref().is_some_and(|a| a.id == session.user.id),
        assignee: c.assignee.as_ref().map(|a| a.name.clone()),
        department: c
            .department
            .as_ref()
            .and_then(|d| state.chat.config.department(d).map(|d| d.name.clone())),
        labels: c.labels.clone(),
        suggested_labels,
        waited: c
            .waiting_since
            .map(|s| duration_nl(Utc::now() - s))
            .unwrap_or_default(),
        latest_in,
        messages,
        suggestions: view
            .suggestions
            .iter()
            .flat_map(|s| s.suggestions.iter())
            .filter_map(|s| SuggestionItem::new(s, &snapshot, &[c.channel.as_str()]))
            .collect(),
        departments: state.chat.config.department_choices(),
        draft: draft_article
            .map(|a| article_markdown(a, &snapshot.site_url))
            .unwrap_or_default(),
        draft_article: draft_article.map(|a| a.id.clone()).unwrap_or_default(),
        reply_error: None,
    })
}
