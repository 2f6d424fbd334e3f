//! The knowledge-base page: search, and the status of the last (re)load for editors.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::conversation::SuggestionItem;
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
}

/// The longest search an agent can type that still means something; a longer `q` is cut, so
/// a pasted wall of text cannot make the page slow.
pub const MAX_QUERY_CHARS: usize = 200;

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
    })
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
