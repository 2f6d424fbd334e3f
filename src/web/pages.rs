//! The agents' dashboard: inbox, conversation view and its actions, and the knowledge-base
//! page. Every page is server-rendered and works without JavaScript; `dashboard.js` adds live
//! updates and the one-click "Gebruik". Admin pages live in `admin.rs`.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::AppState;
use super::auth::Agent;
use super::chat::static_asset;
use super::error::{AppError, PageResult};
use crate::chat::service::ConversationView;
use crate::chat::{AuthorKind, Direction, Status};
use crate::search::Suggestion;
use crate::store::conversations as conv;
use crate::store::inbox::{self, InboxFilter, Scope};
use crate::store::users::Session;

/// What the layout needs on every dashboard page.
pub struct Nav {
    pub municipality: String,
    pub user: String,
    pub csrf: String,
    pub editor: bool,
    pub admin: bool,
    pub active: &'static str,
}

impl Nav {
    pub fn new(state: &AppState, session: &Session, active: &'static str) -> Nav {
        Nav {
            municipality: state.chat.config.municipality.clone(),
            user: session.user.name.clone(),
            csrf: session.csrf_token.clone(),
            editor: session.user.role.can_edit_kb(),
            admin: session.user.role.is_admin(),
            active,
        }
    }
}

pub async fn home() -> Redirect {
    Redirect::to("/inbox")
}

/// "3 u 20 min" from a duration, for waiting times.
pub fn duration_nl(d: chrono::TimeDelta) -> String {
    let minutes = d.num_minutes().max(0);
    match (minutes / 60, minutes % 60) {
        (0, 0) => "net binnen".into(),
        (0, m) => format!("{m} min"),
        (h, m) if h < 48 => format!("{h} u {m} min"),
        (h, _) => format!("{} dagen {} u", h / 24, h % 24),
    }
}

/// Local time in the Netherlands, as agents read it.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m %H:%M")
        .to_string()
}

pub struct InboxItem {
    pub id: i64,
    pub channel: String,
    pub status: &'static str,
    pub assignee: Option<String>,
    pub mine: bool,
    pub department: Option<String>,
    pub labels: Vec<String>,
    pub preview: String,
    /// How long the resident has waited, or empty when nobody waits.
    pub waited: String,
    /// Past the response promise.
    pub overdue: bool,
    /// Time left within the promise, when not overdue.
    pub left: String,
    /// The resident asked for a person: listed first.
    pub priority: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "inbox.html")]
pub struct InboxPage {
    pub nav: Nav,
    pub items: Vec<InboxItem>,
    pub scope: String,
    pub channel: String,
    pub label: String,
    pub labels: Vec<String>,
    pub channels: Vec<String>,
    pub promise_hours: u32,
}

#[derive(Deserialize, Default)]
pub struct InboxQuery {
    #[serde(default)]
    scope: Scope,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    label: String,
}

pub async fn inbox(
    State(state): State<AppState>,
    Agent(session): Agent,
    Query(query): Query<InboxQuery>,
) -> PageResult<InboxPage> {
    let filter = InboxFilter {
        scope: query.scope,
        channel: Some(query.channel.clone()).filter(|c| !c.is_empty()),
        label: Some(query.label.clone()).filter(|l| !l.is_empty()),
    };
    let viewer = session.user.clone();
    let (rows, labels, channels) = state
        .chat
        .store
        .call(move |c| {
            let channels: Vec<String> = c
                .prepare("SELECT DISTINCT channel FROM conversations ORDER BY channel")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((
                inbox::inbox(c, &viewer, &filter, 200)?,
                conv::labels(c)?,
                channels,
            ))
        })
        .await?;
    let promise = chrono::TimeDelta::hours(i64::from(state.chat.config.response_hours));
    let now = Utc::now();
    let items = rows
        .into_iter()
        .map(|row| {
            let c = row.conversation;
            let waited = c.waiting_since.map(|since| now - since);
            InboxItem {
                priority: c.priority,
                id: c.id,
                channel: c.channel,
                status: c.status.label(),
                mine: c.assignee.as_ref().is_some_and(|a| a.id == session.user.id),
                assignee: c.assignee.map(|a| a.name),
                department: c
                    .department
                    .and_then(|d| state.chat.config.department(&d).map(|d| d.name.clone())),
                labels: c.labels,
                preview: row.last_text.map(|t| preview(&t, 90)).unwrap_or_default(),
                waited: waited.map(duration_nl).unwrap_or_default(),
                overdue: waited.is_some_and(|w| w > promise),
                left: waited
                    .filter(|w| *w <= promise)
                    .map(|w| duration_nl(promise - w))
                    .unwrap_or_default(),
            }
        })
        .collect();
    let scope = match query.scope {
        Scope::Open => "open",
        Scope::Mine => "mine",
        Scope::Unassigned => "unassigned",
        Scope::Closed => "closed",
    };
    Ok(InboxPage {
        nav: Nav::new(&state, &session, "inbox"),
        items,
        scope: scope.into(),
        channel: query.channel,
        label: query.label,
        labels,
        channels,
        promise_hours: state.chat.config.response_hours,
    })
}

fn preview(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>().trim_end())
    }
}

pub struct MessageItem {
    pub id: i64,
    /// CSS class: `in`, `out`, `note`, `system`.
    pub kind: &'static str,
    pub who: String,
    pub text: String,
    pub time: String,
    pub delivery: &'static str,
    /// Why the channel could not deliver it.
    pub delivery_error: Option<String>,
    pub usage: Option<&'static str>,
    /// For bot answers: what the resident said to "Heeft dit u geholpen?".
    pub feedback: Option<&'static str>,
    /// Personal data found and masked in a resident message, e.g. "BSN".
    pub privacy: String,
}

pub struct SuggestionItem {
    pub id: String,
    pub title: String,
    pub confidence: u32,
    pub matched: String,
    pub answer: String,
    pub links: Vec<(String, String)>,
}

impl From<&Suggestion> for SuggestionItem {
    fn from(s: &Suggestion) -> Self {
        SuggestionItem {
            id: s.id.clone(),
            title: s.title.clone(),
            confidence: (s.confidence * 100.0).round() as u32,
            matched: s.matched.join(", "),
            answer: s.answer.clone(),
            links: s
                .links
                .iter()
                .map(|l| (l.title.clone(), l.url.clone()))
                .collect(),
        }
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
    /// The latest resident message's id: the page reloads its suggestions when it changes.
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
    let view = if query.partial {
        let conversation = state.chat.conversation_for(&session.user, id).await?;
        let messages = state
            .chat
            .store
            .call(move |c| conv::messages(c, id, 0, true))
            .await?;
        let suggestions = messages
            .iter()
            .rev()
            .find(|m| m.direction == Direction::In)
            .map(|m| state.chat.suggestions_for(&m.text, !m.privacy.is_empty()));
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
    let latest_in = latest_in.map(|m| m.id).unwrap_or(0);
    Ok(ConversationPage {
        nav: Nav::new(&state, &session, "inbox"),
        resident_name: c.resident_name.clone(),
        priority: c.priority,
        window_closed: !state.chat.window_open(c),
        privacy_warning,
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
            .map(SuggestionItem::from)
            .collect(),
        departments: state
            .chat
            .config
            .departments
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect(),
        draft: draft_article
            .map(|a| a.answer(&snapshot.site_url))
            .unwrap_or_default(),
        draft_article: draft_article.map(|a| a.id.clone()).unwrap_or_default(),
    })
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/conversations/{id}")).into_response()
}

#[derive(Deserialize)]
pub struct TakeForm {
    csrf: String,
    #[serde(default)]
    force: bool,
}

pub async fn take(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<TakeForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.take(&agent.0.user, id, form.force).await?;
    Ok(back(id))
}

pub async fn release(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<super::auth::CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.release(&agent.0.user, id).await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Deserialize)]
pub struct ReplyForm {
    csrf: String,
    text: String,
    #[serde(default)]
    article: String,
}

pub async fn reply(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ReplyForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let article = Some(form.article.as_str()).filter(|a| !a.is_empty());
    state
        .chat
        .reply(&agent.0.user, id, &form.text, article)
        .await?;
    Ok(back(id))
}

#[derive(Deserialize)]
pub struct TextForm {
    csrf: String,
    text: String,
}

pub async fn note(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<TextForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state.chat.note(&agent.0.user, id, &form.text).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
pub struct ForwardForm {
    csrf: String,
    department: String,
}

pub async fn forward(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ForwardForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    state
        .chat
        .forward(&agent.0.user, id, &form.department)
        .await?;
    Ok(Redirect::to("/inbox").into_response())
}

#[derive(Deserialize)]
pub struct StatusForm {
    csrf: String,
    status: String,
}

pub async fn status(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<StatusForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let status = match form.status.as_str() {
        "closed" => Status::Closed,
        "open" => Status::Open,
        other => return Err(AppError::BadRequest(format!("onbekende status `{other}`")).into()),
    };
    state.chat.set_status(&agent.0.user, id, status).await?;
    Ok(back(id))
}

#[derive(Deserialize)]
pub struct LabelForm {
    csrf: String,
    label: String,
    /// `add` or `remove`.
    op: String,
}

pub async fn labels(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<LabelForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let add = match form.op.as_str() {
        "add" => true,
        "remove" => false,
        other => return Err(AppError::BadRequest(format!("onbekende actie `{other}`")).into()),
    };
    state
        .chat
        .label(&agent.0.user, id, &form.label, add)
        .await?;
    Ok(back(id))
}

#[derive(Template, WebTemplate)]
#[template(path = "kb.html")]
pub struct KbPage {
    pub nav: Nav,
    pub query: String,
    pub results: Vec<SuggestionItem>,
    pub articles: usize,
    pub loaded_at: String,
    pub problems: Vec<String>,
    pub failed_at: String,
}

#[derive(Deserialize, Default)]
pub struct KbQuery {
    #[serde(default)]
    q: String,
}

/// Search the knowledge base (for when no suggestion fits) and, for editors, its status.
pub async fn kb(
    State(state): State<AppState>,
    Agent(session): Agent,
    Query(query): Query<KbQuery>,
) -> PageResult<KbPage> {
    let results = if query.q.trim().is_empty() {
        Vec::new()
    } else {
        state
            .chat
            .suggest(&query.q, 10)
            .suggestions
            .iter()
            .map(SuggestionItem::from)
            .collect()
    };
    let status = state
        .kb_status
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    Ok(KbPage {
        nav: Nav::new(&state, &session, "kb"),
        query: query.q,
        results,
        articles: status.articles,
        loaded_at: status.loaded_at.map(local_time).unwrap_or_default(),
        problems: status.problems,
        failed_at: status.failed_at.map(local_time).unwrap_or_default(),
    })
}

pub async fn kb_reload(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<super::auth::CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let result = state.reload_kb().await;
    let actor = agent.0.user.name.clone();
    let detail = match &result {
        Ok(n) => format!("{n} articles"),
        Err(p) => format!("refused: {} problems", p.len()),
    };
    state
        .chat
        .store
        .call(move |c| crate::store::audit::record(c, &actor, "kb.reload", None, &detail))
        .await?;
    Ok(Redirect::to("/kb").into_response())
}

/// The dashboard's own CSS and JavaScript, compiled into the binary.
pub async fn static_file(Path(file): Path<String>) -> PageResult<Response> {
    let (content_type, body) = match file.as_str() {
        "app.css" => (
            "text/css; charset=utf-8",
            include_str!("../../templates/static/app.css"),
        ),
        "site.css" => (
            "text/css; charset=utf-8",
            include_str!("../../templates/static/site.css"),
        ),
        "dashboard.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../../templates/static/dashboard.js"),
        ),
        _ => return Err(AppError::NotFound.into()),
    };
    let _ = header::CONTENT_TYPE;
    Ok(static_asset(content_type, body).into_response())
}
