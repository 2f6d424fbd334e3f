//! The inbox: the conversations an agent may see, priority first, then by the deadline the
//! resident was promised for a person's reply.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::Deserialize;

use super::{Nav, duration_nl};
use crate::chat::hours::describe_deadline;
use crate::chat::intent::asks_something;
use crate::store::conversations::Conversation;
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
    /// How long a person's reply has been owed, or empty when none is.
    pub waited: String,
    /// The deadline the resident was given, as they read it: "maandag vóór 12:00".
    pub deadline: String,
    /// Past that deadline.
    pub overdue: bool,
    /// Time left until the deadline, when not overdue.
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
                inbox::labels(c, &viewer)?,
                channels,
            ))
        })
        .await?;
    let now = (state.chat.clock)();
    let items = rows
        .into_iter()
        .map(|row| {
            let c = row.conversation;
            let owed = Owed::of(&c, now);
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
                preview: preview(&row.recent_texts, 90),
                waited: owed.waited,
                deadline: owed.deadline,
                overdue: owed.overdue,
                left: owed.left,
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

/// A person's reply a conversation owes, as the inbox shows it; all empty when none is owed.
#[derive(Default)]
struct Owed {
    waited: String,
    deadline: String,
    overdue: bool,
    left: String,
}

impl Owed {
    fn of(c: &Conversation, now: DateTime<Utc>) -> Owed {
        let (Some(since), Some(by)) = (c.owed_since, c.promised_by) else {
            return Owed::default();
        };
        let overdue = now > by;
        Owed {
            waited: duration_nl(now - since),
            deadline: describe_deadline(
                by.with_timezone(&Amsterdam),
                now.with_timezone(&Amsterdam),
            ),
            overdue,
            left: if overdue {
                String::new()
            } else {
                duration_nl(by - now)
            },
        }
    }
}

/// The row's text: the newest of the resident's recent messages (newest first) that asks
/// something, so a "nee", "ja" or thanks after the question does not hide it; else the
/// newest. At most `max` characters, on one line.
fn preview(recent: &[String], max: usize) -> String {
    let Some(text) = (recent.iter())
        .find(|t| asks_something(t))
        .or(recent.first())
    else {
        return String::new();
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        format!("{}…", flat.chars().take(max).collect::<String>().trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::preview;

    fn texts(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn the_preview_shows_the_question_rather_than_a_later_nee_or_thanks() {
        let question = "wanneer moet de groene bak buiten?";
        for after in [&["nee"][..], &["bedankt!", "ja"], &["Hallo"]] {
            let recent: Vec<&str> = after.iter().copied().chain([question]).collect();
            assert_eq!(preview(&texts(&recent), 90), question, "{after:?}");
        }
        assert_eq!(
            preview(&texts(&["nee", "hoi"]), 90),
            "nee",
            "nothing asks: the newest"
        );
        assert_eq!(preview(&[], 90), "");
        assert_eq!(
            preview(&texts(&["een  lange\nvraag over de kliko"]), 10),
            "een lange…"
        );
    }
}
