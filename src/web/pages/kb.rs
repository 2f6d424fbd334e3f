//! The knowledge-base page: search for everyone; for editors also every article with its
//! status and usage, "Controle nodig" (see `kb_list.rs`) and the status of the last (re)load.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::conversation::SuggestionItem;
use super::kb_list::{self, ListQuery, Listing, Sources, USAGE_COLUMNS};
use super::{Nav, local_time};
use crate::chat::service::{WEB_CHAT, WHATSAPP};
use crate::web::auth::Agent;
use crate::web::error::PageResult;
use crate::web::{AppState, ReloadReason, reload_detail};

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
    /// New indexes built since the server started.
    pub reloads: u64,
    /// The conversation the search was opened from: its results get "Gebruik".
    pub conversation: Option<i64>,
    /// For editors: the articles, their usage and what needs a review.
    pub listing: Option<Listing>,
}

impl KbPage {
    /// The status filter's choices.
    pub fn statuses(&self) -> [kb_list::Status; 3] {
        kb_list::Status::ALL
    }

    /// The usage columns' keys and headers, for the table.
    pub fn usage_columns(&self) -> Vec<(&'static str, &'static str)> {
        USAGE_COLUMNS
            .iter()
            .map(|(key, label, _)| (*key, *label))
            .collect()
    }

    /// `aria-sort` for the column `key` (`title` for the title column).
    pub fn aria_sort(&self, key: &str) -> &'static str {
        let sort = self.listing.as_ref().map_or("", |l| l.query.sort.as_str());
        let by_usage = USAGE_COLUMNS.iter().any(|(k, _, _)| *k == sort);
        match key {
            "title" if !by_usage => "ascending",
            key if key == sort => "descending",
            _ => "none",
        }
    }

    /// The page's address with the current filters, sorted by `key`.
    pub fn sort_link(&self, key: &str) -> String {
        let Some(listing) = &self.listing else {
            return "/kb".into();
        };
        let q = &listing.query;
        let mut url = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("category", &q.category),
            ("department", &q.department),
            ("owner", &q.owner),
            ("status", &q.status),
        ] {
            if !value.is_empty() {
                url.append_pair(name, value);
            }
        }
        if key != "title" {
            url.append_pair("sort", key);
        }
        format!("/kb?{}#artikelen", url.finish())
    }
}

/// The longest search an agent can type that still means something; a longer `q` is cut, so
/// a pasted wall of text cannot make the page slow.
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Deserialize, Default)]
pub struct KbQuery {
    #[serde(default)]
    q: String,
    /// The conversation whose search form opened the page.
    #[serde(default)]
    conversation: String,
    #[serde(flatten)]
    list: ListQuery,
}

/// The period the usage columns count.
pub(super) const USAGE_DAYS: i64 = 30;

/// Search the knowledge base (for when no suggestion fits) and, for editors, its status.
pub async fn kb(
    State(state): State<AppState>,
    Agent(session): Agent,
    Query(query): Query<KbQuery>,
) -> PageResult<KbPage> {
    let q: String = query.q.chars().take(MAX_QUERY_CHARS).collect();
    let results = if q.trim().is_empty() {
        Vec::new()
    } else {
        let snapshot = state.chat.engine.snapshot();
        state
            .chat
            .suggest(&q, 10)
            .suggestions
            .iter()
            .filter_map(|s| SuggestionItem::new(s, &snapshot, &[WEB_CHAT, WHATSAPP]))
            .collect()
    };
    let listing = if session.user.role.can_edit_kb() {
        Some(editors_listing(&state, query.list).await?)
    } else {
        None
    };
    let status = state
        .kb_status
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    Ok(KbPage {
        nav: Nav::new(&state, &session, "kb"),
        query: q,
        results,
        articles: status.articles,
        loaded_at: status.loaded_at.map(local_time).unwrap_or_default(),
        problems: status.problems,
        failed_at: status.failed_at.map(local_time).unwrap_or_default(),
        reloads: state.chat.engine.reload_count(),
        conversation: query.conversation.parse().ok(),
        listing,
    })
}

async fn editors_listing(state: &AppState, query: ListQuery) -> PageResult<Listing> {
    let since = crate::store::now() - chrono::TimeDelta::days(USAGE_DAYS);
    let (usage, drafts, proposals) = state
        .chat
        .store
        .call(move |c| {
            Ok((
                crate::store::usage::per_article(c, since)?,
                crate::store::revisions::drafts(c)?
                    .into_iter()
                    .map(|r| r.article_id)
                    .collect::<std::collections::HashSet<_>>(),
                crate::store::proposals::pending_count(c)?,
            ))
        })
        .await?;
    let snapshot = state.chat.engine.snapshot();
    let sources = Sources {
        articles: &snapshot.articles,
        usage: &usage,
        drafts: &drafts,
        config: &state.chat.config,
        today: (state.chat.clock)()
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .date_naive(),
        proposals,
    };
    Ok(kb_list::listing(&sources, query))
}

pub async fn kb_reload(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<crate::web::auth::CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let result = state.reload_kb(ReloadReason::Dashboard).await;
    let actor = agent.0.user.name.clone();
    let detail = reload_detail(&result);
    state
        .chat
        .store
        .call(move |c| crate::store::audit::record(c, &actor, "kb.reload", None, &detail))
        .await?;
    Ok(Redirect::to("/kb").into_response())
}
