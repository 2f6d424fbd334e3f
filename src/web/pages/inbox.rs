//! The inbox: the conversations an agent may see, longest-waiting (and priority) first.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::Utc;
use serde::Deserialize;

use super::{Nav, duration_nl};
use crate::store::conversations as conv;
use crate::store::inbox::{self, InboxFilter, Scope};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::PageResult;

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
