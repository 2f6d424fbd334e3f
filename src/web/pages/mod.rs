//! The agents' dashboard: inbox, conversation view and its actions, and the knowledge-base
//! page. Every page is server-rendered and works without JavaScript; `dashboard.js` adds live
//! updates and the one-click "Gebruik". Admin pages live in `admin.rs`.
//!
//! ```text
//! mod.rs           navigation, Dutch times and durations, static files
//! inbox.rs         the inbox with its filters
//! conversation.rs  a conversation: thread, suggestions, banners, reply box
//! actions.rs       take, release, reply, note, forward, status, labels
//! media.rs         residents' photos and files: in the thread, and served to agents only
//! kb.rs            searching and reloading the knowledge base
//! editor/          the article editor: form, preview, try-out, save, history, archive
//! kb_list.rs       the editors' article list with usage, and "Controle nodig"
//! proposals.rs     the review queue of proposals and learned questions; agents proposing
//! gaps.rs          the gap report ("Hiaten") for editors and its actions
//! window.rs        WhatsApp's window: the resident's time, answers held for it
//! retention.rs     for leads: a conversation's selectielijst term, "Niet vernietigen"
//! ```

mod actions;
mod conversation;
pub mod editor;
mod gaps;
mod inbox;
mod kb;
mod kb_list;
mod media;
pub mod proposals;
pub mod reports;
pub mod retention;
mod window;

pub use actions::{forward, labels, note, release, reply, status, take};
pub use conversation::conversation;
pub use gaps::{kb_gaps, kb_gaps_dismiss, kb_gaps_new, kb_gaps_question};
pub use inbox::inbox;
pub use kb::{MAX_QUERY_CHARS, kb, kb_reload};
pub use media::media;

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use super::AppState;
use super::chat::static_asset;
use super::error::{AppError, PageResult};
use crate::store::users::Session;

/// What the layout needs on every dashboard page.
pub struct Nav {
    pub municipality: String,
    pub user: String,
    pub csrf: String,
    pub editor: bool,
    pub admin: bool,
    /// Team leads and admins see "Rapportages".
    pub reports: bool,
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
            reports: session.user.role.can_see_reports(),
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

/// A confidence as the whole percent an agent reads on a card, rounded down: 0.7996 is 79%,
/// not the bot's threshold of 80% it did not reach ("80%, and the bot did not answer?").
pub fn confidence_percent(confidence: f32) -> u32 {
    (confidence.clamp(0.0, 1.0) * 100.0).floor() as u32
}

/// Local time in the Netherlands, as agents read it.
pub fn local_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&chrono_tz::Europe::Amsterdam)
        .format("%d-%m %H:%M")
        .to_string()
}

/// The dashboard's own CSS and JavaScript, compiled into the binary.
pub async fn static_file(Path(file): Path<String>) -> PageResult<Response> {
    let (content_type, body) = match file.as_str() {
        "app.css" => (
            "text/css; charset=utf-8",
            include_str!("../../../templates/static/app.css"),
        ),
        "site.css" => (
            "text/css; charset=utf-8",
            include_str!("../../../templates/static/site.css"),
        ),
        "editor.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../../../templates/static/editor.js"),
        ),
        "dashboard.js" => (
            "text/javascript; charset=utf-8",
            include_str!("../../../templates/static/dashboard.js"),
        ),
        _ => return Err(AppError::NotFound.into()),
    };
    let _ = header::CONTENT_TYPE;
    Ok(static_asset(content_type, body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confidence_just_below_the_threshold_does_not_read_as_the_threshold() {
        assert_eq!(confidence_percent(0.7996), 79);
        assert_eq!(confidence_percent(0.80), 80);
        assert_eq!(confidence_percent(0.999), 99);
        assert_eq!(confidence_percent(1.0), 100);
        assert_eq!(confidence_percent(-0.1), 0);
    }
}
