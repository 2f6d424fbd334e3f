//! The agents' inbox: which conversations a user may see, filtered and in the order they
//! should be answered.

use rusqlite::{Connection, params};
use serde::Serialize;

use super::Result;
use super::conversations::{CONVERSATION_SELECT, Conversation, conversation_from_row};
use super::users::User;

/// The preview of a message the resident deleted for everyone: its text is kept for the
/// archive, not shown at a glance.
pub const REVOKED_PREVIEW: &str = "[bericht ingetrokken door inwoner]";

/// Which conversations the inbox lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Not closed.
    #[default]
    Open,
    /// Held by the viewer.
    Mine,
    /// Not closed and held by nobody.
    Unassigned,
    Closed,
}

#[derive(Debug, Clone, Default)]
pub struct InboxFilter {
    pub scope: Scope,
    pub channel: Option<String>,
    pub label: Option<String>,
}

/// The resident messages an inbox row brings along for its preview.
pub const PREVIEW_MESSAGES: usize = 5;

/// A conversation in the inbox, with its latest resident messages for a preview.
#[derive(Debug, Clone, Serialize)]
pub struct InboxRow {
    pub conversation: Conversation,
    /// The texts of the last [`PREVIEW_MESSAGES`] resident messages, newest first.
    pub recent_texts: Vec<String>,
}

/// Which conversations (`c`) a viewer may see, given their department as the SQL parameter
/// `department`: the twin of [`can_access`].
fn visible_to(department: &str) -> String {
    format!("({department} IS NULL OR c.department = {department})")
}

/// The conversations `viewer` may see that match `filter`: priority first, then by the
/// deadline the resident was promised (earliest first), then the most recently active.
pub fn inbox(
    conn: &Connection,
    viewer: &User,
    filter: &InboxFilter,
    limit: usize,
) -> Result<Vec<InboxRow>> {
    let scope = match filter.scope {
        Scope::Open => "c.status != 'closed'",
        Scope::Mine => "c.status != 'closed' AND c.assignee_id = ?1",
        Scope::Unassigned => "c.status != 'closed' AND c.assignee_id IS NULL",
        Scope::Closed => "c.status = 'closed'",
    };
    let sql = format!(
        "{CONVERSATION_SELECT} WHERE {scope} AND {visible}
           AND (?3 IS NULL OR c.channel = ?3)
           AND (?4 IS NULL OR EXISTS (SELECT 1 FROM conversation_labels l
                                      WHERE l.conversation_id = c.id AND l.label = ?4))
         ORDER BY c.priority DESC, c.promised_by IS NULL, c.promised_by,
                  c.waiting_since IS NULL, c.waiting_since, c.updated_at DESC
         LIMIT ?5",
        visible = visible_to("?2"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let conversations: Vec<Conversation> = stmt
        .query_map(
            params![
                viewer.id,
                viewer.department,
                filter.channel,
                filter.label,
                limit as i64
            ],
            conversation_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    let mut recent = conn.prepare_cached(
        "SELECT CASE WHEN revoked_at IS NULL THEN text ELSE ?2 END FROM messages
         WHERE conversation_id = ?1 AND direction = 'in' ORDER BY id DESC LIMIT ?3",
    )?;
    conversations
        .into_iter()
        .map(|conversation| {
            let recent_texts = recent
                .query_map(
                    params![conversation.id, REVOKED_PREVIEW, PREVIEW_MESSAGES as i64],
                    |r| r.get(0),
                )?
                .collect::<rusqlite::Result<_>>()?;
            Ok(InboxRow {
                conversation,
                recent_texts,
            })
        })
        .collect()
}

/// The labels in use on conversations `viewer` may see, for the inbox filter: a department's
/// agents do not learn other departments' labels.
pub fn labels(conn: &Connection, viewer: &User) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT l.label FROM conversation_labels l
         JOIN conversations c ON c.id = l.conversation_id WHERE {} ORDER BY l.label",
        visible_to("?1")
    ))?;
    let rows = stmt
        .query_map([&viewer.department], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Whether `user` may see and act on `conversation`: agents of a department see only what was
/// forwarded to it; the contact centre (no department) sees everything.
pub fn can_access(user: &User, conversation: &Conversation) -> bool {
    can_see_department(user, conversation.department.as_deref())
}

/// [`can_access`] for a conversation known only by its department (`None`: not forwarded).
pub fn can_see_department(user: &User, department: Option<&str>) -> bool {
    match &user.department {
        None => true,
        Some(d) => department == Some(d.as_str()),
    }
}
