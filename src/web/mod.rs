//! The HTTP face of vraagbaak: the agents' dashboard, the resident chat, and the JSON API.
//!
//! # Layout
//!
//! ```text
//! mod.rs          AppState, router(), serve()
//! listen.rs       the accept loop: header timeout, connection cap, graceful shutdown
//! error.rs        AppError, rendered as a Dutch page (PageError) or as JSON (ApiError)
//! auth.rs         sessions, CSRF, API keys, rate limits
//! login.rs        the login form (same-site check) and logout
//! login_limits.rs login throttling per address, per (name, address) and per name
//! flash.rs        one-time messages for post/redirect/get forms
//! account.rs      a user's own password
//! pages/          dashboard pages: inbox, conversation, knowledge base
//! admin/          users, API keys and the audit log (admins only)
//! render.rs       message text as HTML the way each channel shows it (Markdown, WhatsApp)
//! live.rs         server-sent events for dashboards and residents
//! streams.rs      open streams per session and address, the dashboard feed, ending streams
//! chat.rs         the public resident chat API, the widget and the demo page
//! api.rs          the JSON API for inbox tools (suggest, inbound messages, conversations)
//! whatsapp.rs     the WhatsApp webhook: verification, signed messages and statuses
//! ```

pub mod account;
pub mod admin;
pub mod api;
pub mod auth;
pub mod chat;
pub mod error;
pub mod flash;
pub mod listen;
pub mod live;
pub mod login;
pub mod login_limits;
pub mod pages;
pub mod render;
pub mod streams;
pub mod whatsapp;

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::RequestBodyDeadlineLayer;

use crate::chat::Chat;
use crate::kb::ContentHash;
use crate::search::ReloadReport;

/// The largest request body accepted anywhere.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub chat: Chat,
    pub limits: Arc<auth::Limits>,
    /// Open event streams and the feed dashboards follow.
    pub streams: Arc<streams::Streams>,
    /// What a form page shows once after its post redirected back (errors, new secrets).
    pub flashes: Arc<flash::Flashes>,
    pub kb_status: Arc<RwLock<KbStatus>>,
    /// The knowledge base's health on /rapportages, kept a few minutes.
    pub reports_kb: Arc<pages::reports::KbHealthCache>,
    /// Flips to `true` at shutdown, so long-lived event streams end and the server can stop.
    pub shutdown: watch::Receiver<bool>,
}

/// The outcome of the last knowledge-base (re)load, shown to editors.
#[derive(Debug, Clone, Default)]
pub struct KbStatus {
    pub loaded_at: Option<DateTime<Utc>>,
    pub articles: usize,
    /// Problems of the last attempt; empty when it succeeded.
    pub problems: Vec<String>,
    pub failed_at: Option<DateTime<Utc>>,
}

impl AppState {
    pub fn new(chat: Chat, shutdown: watch::Receiver<bool>) -> AppState {
        let limits = Arc::new(auth::Limits::new(&chat.config.chat));
        let streams = Arc::new(streams::Streams::new(&chat.config.server));
        let status = KbStatus {
            loaded_at: Some(Utc::now()),
            articles: chat.engine.snapshot().articles.len(),
            ..KbStatus::default()
        };
        AppState {
            chat,
            limits,
            streams,
            flashes: Arc::default(),
            kb_status: Arc::new(RwLock::new(status)),
            reports_kb: Arc::default(),
            shutdown,
        }
    }

    /// Reloads the knowledge base off the async threads; see [`AppState::reload_kb_now`].
    pub async fn reload_kb(&self, reason: ReloadReason) -> Result<ReloadReport, Vec<String>> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || state.reload_kb_now(reason))
            .await
            .map_err(|err| vec![format!("reload stopped: {}", crate::task::stopped(&err))])?
    }

    /// Reloads the knowledge base now, on this thread: a new index when the files changed,
    /// nothing when they did not. Invalid content keeps the current index and is reported.
    pub fn reload_kb_now(&self, reason: ReloadReason) -> Result<ReloadReport, Vec<String>> {
        let engine = &self.chat.engine;
        let result = engine
            .reload()
            .map_err(crate::search::SearchError::problems);
        let mut status = self.kb_status.write().unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(report) if report.changed => {
                tracing::info!(
                    %reason,
                    articles = report.articles,
                    ms = report.build_time.as_millis() as u64,
                    content = %DisplayHash(report.content_hash),
                    reloads = engine.reload_count(),
                    "knowledge base reloaded"
                );
                *status = KbStatus {
                    loaded_at: Some(Utc::now()),
                    articles: report.articles,
                    ..KbStatus::default()
                };
            }
            Ok(report) => {
                tracing::info!(
                    %reason,
                    content = %DisplayHash(report.content_hash),
                    skipped = engine.unchanged_count(),
                    "knowledge base unchanged; reload skipped"
                );
                // Content back to the version in service: earlier problems are gone.
                status.problems.clear();
                status.failed_at = None;
            }
            Err(problems) => {
                tracing::warn!(
                    %reason,
                    problems = problems.len(),
                    "knowledge base not reloaded; the last good index stays"
                );
                status.problems = problems.clone();
                status.failed_at = Some(Utc::now());
            }
        }
        result
    }
}

/// Why the knowledge base was reloaded, for the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReloadReason {
    /// The folder watcher saw edits to this many content paths.
    Files { changed: usize, rescan: bool },
    /// An editor's button on the knowledge-base page.
    Dashboard,
    /// `POST /api/v1/kb/reload`.
    Api,
}

impl fmt::Display for ReloadReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReloadReason::Files { rescan: true, .. } => f.write_str("file change (rescan)"),
            ReloadReason::Files { changed, .. } => write!(f, "file change ({changed} paths)"),
            ReloadReason::Dashboard => f.write_str("dashboard"),
            ReloadReason::Api => f.write_str("api"),
        }
    }
}

/// The audit-log detail of a reload.
pub fn reload_detail(result: &Result<ReloadReport, Vec<String>>) -> String {
    match result {
        Ok(report) if report.changed => format!("{} articles", report.articles),
        Ok(report) => format!("{} articles, unchanged", report.articles),
        Err(problems) => format!("refused: {} problems", problems.len()),
    }
}

/// A content hash for the log, `-` for a knowledge base made in memory.
struct DisplayHash(Option<ContentHash>);

impl fmt::Display for DisplayHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(hash) => hash.fmt(f),
            None => f.write_str("-"),
        }
    }
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    let body_timeout = Duration::from_secs(state.chat.config.server.body_timeout_secs);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(pages::home))
        .route("/login", get(login::login_form).post(login::login))
        .route("/logout", post(login::logout))
        .route(
            "/account/password",
            get(account::password_form).post(account::change_password),
        )
        .route("/inbox", get(pages::inbox))
        .route("/events", get(live::dashboard))
        .route("/conversations/{id}", get(pages::conversation))
        .route("/conversations/{id}/take", post(pages::take))
        .route("/conversations/{id}/release", post(pages::release))
        .route("/conversations/{id}/reply", post(pages::reply))
        .route("/conversations/{id}/note", post(pages::note))
        .route("/conversations/{id}/forward", post(pages::forward))
        .route("/conversations/{id}/status", post(pages::status))
        .route("/conversations/{id}/labels", post(pages::labels))
        .route(
            "/conversations/{id}/archive/hold",
            post(pages::retention::hold),
        )
        .route(
            "/conversations/{id}/archive/release",
            post(pages::retention::release),
        )
        .route("/conversations/{id}/media/{message_id}", get(pages::media))
        .route("/kb", get(pages::kb))
        .route("/kb/reload", post(pages::kb_reload))
        .route(
            "/kb/articles/new",
            get(pages::editor::new_article).post(pages::editor::post_new),
        )
        .route(
            "/kb/articles/{id}",
            get(pages::editor::open).post(pages::editor::post),
        )
        .route("/kb/articles/{id}/preview", post(pages::editor::preview))
        .route("/kb/articles/{id}/history", get(pages::editor::history))
        .route(
            "/kb/articles/{id}/history/{revision}/restore",
            post(pages::editor::restore),
        )
        .route(
            "/kb/articles/{id}/archive",
            get(pages::editor::archive_form).post(pages::editor::archive),
        )
        .route("/kb/proposals", get(pages::proposals::get))
        .route("/kb/proposals/accept", post(pages::proposals::accept_batch))
        .route("/kb/proposals/{id}", post(pages::proposals::decide))
        .route(
            "/conversations/{id}/propose",
            post(pages::proposals::propose),
        )
        .route("/kb/gaps", get(pages::kb_gaps))
        .route("/kb/gaps/question", post(pages::kb_gaps_question))
        .route("/kb/gaps/new", post(pages::kb_gaps_new))
        .route("/kb/gaps/dismiss", post(pages::kb_gaps_dismiss))
        .route("/rapportages", get(pages::reports::page))
        .route("/rapportages/{file}", get(pages::reports::csv))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::users::add))
        .route("/admin/users/{id}/role", post(admin::users::change_role))
        .route("/admin/users/{id}/{action}", post(admin::users::act))
        .route("/admin/keys", post(admin::keys::create))
        .route("/admin/keys/{id}/revoke", post(admin::keys::revoke))
        .route("/admin/keys/{id}/scope", post(admin::keys::scope))
        .route("/static/{file}", get(pages::static_file))
        .merge(chat::routes(&state.chat.config.server.allowed_origins))
        .merge(api::routes())
        .merge(whatsapp::routes())
        .fallback(error::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A body that trickles in is cut off, so it cannot hold a connection for long.
        .layer(RequestBodyDeadlineLayer::new(body_timeout))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        ))
        // Pages and API answers hold conversations, new passwords and keys: no cache keeps
        // them. Static assets set their own `Cache-Control`.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// Serves until `shutdown` completes, then lets in-flight requests finish and ends every
/// event stream.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    stop_streams: watch::Sender<bool>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits = listen::ConnectionLimits::from(&state.chat.config.server);
    let shutdown = async move {
        shutdown.await;
        let _ = stop_streams.send(true);
    };
    listen::run(listener, router(state), limits, shutdown).await
}
