//! One-time messages for the page a form redirects back to (post/redirect/get).
//!
//! A form post answers `303 See Other` to its page; what the page should say about the post
//! (an error next to the form, a confirmation, a new password or API key to show once) waits
//! here, server-side and keyed by the session, until that page is next rendered. Secrets thus
//! never travel in a URL, and a reload shows the page, not a resubmission or a 405.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::response::{IntoResponse, Redirect, Response};

use super::AppState;
use super::error::{AppError, PageResult};
use crate::store::users::{Session, token_hash};

/// A flash nobody picked up is dropped after this long.
const KEEP_FOR: Duration = Duration::from_secs(10 * 60);

/// What the next render of a form page shows once.
#[derive(Debug, Default, Clone)]
pub struct Flash {
    /// Which form on the page the error belongs to, and the error in Dutch.
    pub error: Option<(&'static str, String)>,
    /// A confirmation, e.g. "Het wachtwoord is gewijzigd."
    pub notice: Option<String>,
    /// A secret created by the post (what it is, the value), shown exactly once.
    pub secret: Option<(String, String)>,
}

impl Flash {
    pub fn error(form: &'static str, message: String) -> Flash {
        Flash {
            error: Some((form, message)),
            ..Flash::default()
        }
    }

    pub fn notice(message: impl Into<String>) -> Flash {
        Flash {
            notice: Some(message.into()),
            ..Flash::default()
        }
    }

    pub fn secret(what: String, value: String) -> Flash {
        Flash {
            secret: Some((what, value)),
            ..Flash::default()
        }
    }

    /// The error for `form`, if the last post of that form failed.
    pub fn error_for(&self, form: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(f, _)| *f == form)
            .map(|(_, message)| message.as_str())
    }
}

/// Flashes by session (the hash of its CSRF token, which is as secret as the cookie).
#[derive(Default)]
pub struct Flashes {
    pending: Mutex<HashMap<Vec<u8>, (Flash, Instant)>>,
}

impl Flashes {
    /// Keeps `flash` for the session's next page; replaces one not yet shown.
    pub fn put(&self, session: &Session, flash: Flash) {
        let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        pending.retain(|_, (_, at)| at.elapsed() < KEEP_FOR);
        pending.insert(token_hash(&session.csrf_token), (flash, Instant::now()));
    }

    /// The session's flash, removed so it shows only once.
    pub fn take(&self, session: &Session) -> Flash {
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&token_hash(&session.csrf_token))
            .filter(|(_, at)| at.elapsed() < KEEP_FOR)
            .map(|(flash, _)| flash)
            .unwrap_or_default()
    }
}

/// Ends a form post the post/redirect/get way: `303 See Other` to `page`, which shows the
/// outcome once. A mistake in the form (a 4xx) is shown next to `form` on that page; a server
/// error is answered with the error page instead.
pub fn back_to(
    state: &AppState,
    session: &Session,
    page: &'static str,
    form: &'static str,
    outcome: Result<Flash, AppError>,
) -> PageResult<Response> {
    let flash = match outcome {
        Ok(flash) => flash,
        Err(err) if err.status().is_client_error() => Flash::error(form, err.dutch()),
        Err(err) => return Err(err.into()),
    };
    state.flashes.put(session, flash);
    Ok(Redirect::to(page).into_response())
}
