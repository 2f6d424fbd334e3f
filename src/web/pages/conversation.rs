//! One conversation as an agent sees it: the thread, the suggestions for the last resident
//! message that asks something, banners (priority, personal data, WhatsApp window) and the
//! reply box.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde::Deserialize;

use super::media::{self, MediaItem};
use super::proposals::ProposeBox;
use super::retention::{self, ArchiveBox, archive_box};
use super::{Nav, duration_nl, local_time, window};
use crate::chat::answer::{article_markdown, outgoing_text};
use crate::chat::service::{ConversationView, asked};
use crate::chat::{AuthorKind, Direction, Status, Via};
use crate::search::{Snapshot, Suggestion};
use crate::store::conversations as conv;
use crate::store::details::MessageDetails;
use crate::store::media as store_media;
use crate::store::updates;
use crate::store::users::Session;
use crate::store::{audit, held, marketing};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::PageResult;
use crate::web::flash::Flash;
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
    pub delivery: String,
    /// Why the channel could not deliver it, as a sentence.
    pub delivery_error: Option<String>,
    pub usage: Option<&'static str>,
    /// For bot answers: what the resident said to "Heeft dit u geholpen?".
    pub feedback: Option<&'static str>,
    /// Personal data found and masked in a resident message, e.g. "BSN".
    pub privacy: String,
    /// The resident's reactions to it (emoji).
    pub reactions: Vec<String>,
    /// When the resident last edited it, and its earlier texts as `(replaced at, text)`.
    pub edited: Option<String>,
    pub revisions: Vec<(String, String)>,
    /// When the resident deleted it for everyone; the text stays for the archive.
    pub revoked: Option<String>,
    /// For a reply: the start of the message it quotes.
    pub quote: Option<String>,
    /// Short facts shown with the message: "doorgestuurd", the ad, a tapped button's id.
    pub marks: Vec<String>,
    /// A resident's photo or file.
    pub media: Option<MediaItem>,
}

pub struct SuggestionItem {
    pub id: String,
    pub title: String,
    pub confidence: u32,
    pub matched: String,
    /// Specific words of the message this article lacks (another article has them).
    pub unexplained: String,
    /// Words of the message this article has only some parts of ("kentekencard").
    pub partly: String,
    /// Words of the message this article names only after "geen" or "zonder" ("oprit").
    pub excluded: String,
    /// What the message asks about that the article does not cover ("de kosten").
    pub unanswered: String,
    /// The question the article does not answer that the message asks (from `not_answered`).
    pub not_answered: Option<String>,
    /// Another article whose own question the message asks again, so it came first:
    /// `(its title, the question)`.
    pub asked_elsewhere: Option<(String, String)>,
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
            confidence: super::confidence_percent(suggestion.confidence),
            matched: suggestion.matched.join(", "),
            unexplained: suggestion.unexplained.join(", "),
            partly: suggestion.partly.join(", "),
            excluded: suggestion.excluded.join(", "),
            unanswered: (suggestion.unanswered.iter())
                .map(|aspect| aspect.label())
                .collect::<Vec<_>>()
                .join(" en "),
            not_answered: suggestion.not_answered.clone(),
            asked_elsewhere: (suggestion.asked_elsewhere.as_ref())
                .map(|asked| (asked.title.clone(), asked.question.clone())),
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
    /// The id of the resident message the suggestions are for (see [`asked`]), with the time
    /// of its last edit: the page reloads its suggestions when it changes.
    pub latest_in: String,
    /// The id of that message, for "Beantwoordt de vraag niet" on a suggestion.
    pub suggested_for: Option<i64>,
    pub suggestions: Vec<SuggestionItem>,
    pub departments: Vec<(String, String)>,
    /// Pre-filled reply (the no-JavaScript "Gebruik").
    pub draft: String,
    pub draft_article: String,
    /// Where the agent found `draft_article` (`suggestion` or `search`), sent with the reply.
    pub draft_via: String,
    /// The resident's name on the channel (WhatsApp profile name).
    pub resident_name: Option<String>,
    /// The resident asked for a person or said a bot answer did not help.
    pub priority: bool,
    /// WhatsApp's 24-hour window has closed: no free-form reply is possible.
    pub window_closed: bool,
    /// The re-engagement template Verstuur sends after the window, when configured.
    pub reopen_template: Option<String>,
    /// The re-engagement template went out then and is unanswered: Verstuur sends no second.
    pub reopen_requested: Option<String>,
    /// Answers wait for the resident to write again: since when (the oldest).
    pub held_since: Option<String>,
    /// The latest resident message held personal data: which kinds.
    pub privacy_warning: Option<String>,
    /// The resident sent a photo or video, which may show personal data.
    pub photo_notice: bool,
    /// Why the reply in `draft` was not sent (a colleague holds the conversation, ...).
    pub reply_error: Option<String>,
    /// The resident stopped WhatsApp marketing messages.
    pub marketing_opted_out: bool,
    /// "Voorstel voor de kennisbank": an example question or change from a message.
    pub propose: ProposeBox,
    /// For leads: the selectielijst term and "Niet vernietigen".
    pub archive: Option<ArchiveBox>,
}

impl ConversationPage {
    /// A colleague holds the conversation: Verstuur is off, "Overnemen en versturen" is on.
    pub fn held_by_other(&self) -> bool {
        self.assignee.is_some() && !self.mine
    }

    /// The window closed and no template can reopen it: Verstuur cannot send anything.
    pub fn window_blocks_reply(&self) -> bool {
        self.window_closed && self.reopen_template.is_none()
    }
}

#[derive(Deserialize, Default)]
pub struct ConversationQuery {
    /// An article id whose answer goes into the reply box.
    #[serde(default, rename = "use")]
    use_article: String,
    /// Where that article was found: `search` from the knowledge-base page; a suggestion
    /// otherwise.
    #[serde(default)]
    via: String,
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
    let mut annotations = state
        .chat
        .store
        .call(move |c| updates::of_conversation(c, id))
        .await?;
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
            reactions: annotations
                .reactions
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.emoji)
                .collect(),
            edited: m.edited_at.map(local_time),
            revisions: annotations
                .revisions
                .remove(&m.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| (local_time(r.replaced_at), r.text))
                .collect(),
            revoked: m.revoked_at.map(local_time),
            id: m.id,
            kind: match (m.direction, m.author) {
                (Direction::In, _) => "in",
                (Direction::Note, _) => "note",
                (Direction::Out, AuthorKind::System | AuthorKind::Bot) => "system",
                (Direction::Out, _) => "out",
            },
            who: match (m.direction, m.author) {
                (Direction::In, _) => "Inwoner".into(),
                (Direction::Note, AuthorKind::System) => "Melding van WhatsApp".into(),
                (Direction::Note, _) => {
                    format!("Notitie van {}", m.author_name.clone().unwrap_or_default())
                }
                (_, AuthorKind::Bot) => "Bot".into(),
                (_, AuthorKind::System) => "Automatisch bericht".into(),
                _ => m.author_name.clone().unwrap_or_else(|| "Medewerker".into()),
            },
            html: (m.direction == Direction::Out).then(|| channel_html(&m.text, &c.channel)),
            text: m.text.clone(),
            time: window::message_time(m),
            delivery: window::held_label(m).unwrap_or_else(|| m.delivery.label().into()),
            delivery_error: window::delivery_problem(m),
            feedback: m.helpful.map(|helpful| {
                if helpful {
                    "de inwoner is geholpen"
                } else {
                    "de inwoner is niet geholpen"
                }
            }),
            privacy: m.privacy.join(", "),
            quote: m
                .reply_to
                .as_deref()
                .map(|quoted| quote_of(quoted, &view.messages)),
            marks: marks(&m.details),
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
    let suggested_for = asked(&view.messages).map(|m| m.id);
    let latest_in = asked(&view.messages)
        .map(|m| match m.edited_at {
            Some(at) => format!("{}-{}", m.id, at.timestamp()),
            None => m.id.to_string(),
        })
        .unwrap_or_else(|| "0".into());
    let reopen_requested = state
        .chat
        .store
        .call(move |conn| Ok(held::reopen_requested(conn, id)?))
        .await?;
    let marketing_opted_out = if c.channel == crate::chat::service::WHATSAPP {
        let wa_id = c.resident_ref.clone();
        state
            .chat
            .store
            .call(move |conn| marketing::marketing_opted_out(conn, &wa_id))
            .await?
    } else {
        false
    };
    // The live refresh leaves a message meant for the page the agent's action returns to.
    let flash = if query.partial {
        Flash::default()
    } else {
        state.flashes.take(session)
    };
    let archive = archive_box(
        state,
        session,
        id,
        &c.labels,
        flash.error_for(retention::FORM).map(str::to_owned),
    )
    .await?;
    Ok(ConversationPage {
        nav: Nav::new(state, session, "inbox"),
        resident_name: c.resident_name.clone(),
        priority: c.priority,
        window_closed: !state.chat.window_open(c),
        reopen_template: state
            .chat
            .config
            .whatsapp
            .reopen()
            .map(|(name, _)| name.to_string()),
        held_since: window::held_since(&view.messages),
        reopen_requested: window::reopen_requested(reopen_requested),
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
        suggested_for,
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
        draft_via: match (draft_article, query.via.as_str()) {
            (None, _) => String::new(),
            (Some(_), "search") => Via::Search.as_str().to_owned(),
            (Some(_), _) => Via::Suggestion.as_str().to_owned(),
        },
        reply_error: None,
        marketing_opted_out,
        propose: ProposeBox::new(&view.messages, &snapshot, flash.notice),
        archive,
    })
}

/// The longest quote shown above a reply, in characters.
const QUOTE_CHARS: usize = 120;

/// The start of the quoted message when it is in this conversation.
fn quote_of(quoted: &str, messages: &[conv::Message]) -> String {
    match messages
        .iter()
        .find(|m| m.channel_message_id.as_deref() == Some(quoted))
    {
        Some(m) => quote_text(&m.text),
        None => "een bericht dat niet in dit gesprek staat".to_owned(),
    }
}

/// At most [`QUOTE_CHARS`] of `text`, with "…" when cut.
pub(super) fn quote_text(text: &str) -> String {
    if text.chars().count() > QUOTE_CHARS {
        let cut: String = text.chars().take(QUOTE_CHARS).collect();
        format!("{}…", cut.trim_end())
    } else {
        text.to_owned()
    }
}

fn marks(details: &MessageDetails) -> Vec<String> {
    [
        details.forwarded.clone(),
        details
            .referral
            .as_ref()
            .map(|ad| format!("via advertentie: {ad}")),
        details
            .choice_id
            .as_ref()
            .map(|id| format!("keuze-id {id}")),
        details.choice_description.clone(),
        details
            .sent_outside
            .then(|| "verstuurd buiten vraagbaak".to_owned()),
    ]
    .into_iter()
    .flatten()
    .collect()
}
