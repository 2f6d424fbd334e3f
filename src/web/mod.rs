//! The HTTP face of vraagbaak: the agents' dashboard, the resident chat, and the JSON API.
//!
//! # Layout
//!
//! ```text
//! mod.rs     AppState, router(), serve()
//! error.rs   AppError, rendered as a Dutch page (PageError) or as JSON (ApiError)
//! auth.rs    sessions, CSRF, API keys, rate limits
//! login.rs   the login form (same-site check) and logout
//! login_limits.rs  login throttling per address, per (name, address) and per name
//! flash.rs   one-time messages for post/redirect/get forms
//! account.rs a user's own password
//! pages.rs   dashboard pages: inbox, conversation, knowledge base
//! admin/     users, API keys and the audit log (admins only)
//! live.rs    server-sent events for dashboards and residents
//! chat.rs    the public resident chat API, the widget and the demo page
//! api.rs     the JSON API for inbox tools (suggest, inbound messages, conversations)
//! whatsapp.rs the WhatsApp webhook: verification, signed messages and statuses
//! ```

pub mod account;
pub mod admin;
pub mod api;
pub mod auth;
pub mod chat;
pub mod error;
pub mod flash;
pub mod live;
pub mod login;
pub mod login_limits;
pub mod pages;
pub mod whatsapp;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::chat::Chat;

/// The largest request body accepted anywhere.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub chat: Chat,
    pub limits: Arc<auth::Limits>,
    /// What a form page shows once after its post redirected back (errors, new secrets).
    pub flashes: Arc<flash::Flashes>,
    pub kb_status: Arc<RwLock<KbStatus>>,
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
        let status = KbStatus {
            loaded_at: Some(Utc::now()),
            articles: chat.engine.snapshot().articles.len(),
            ..KbStatus::default()
        };
        AppState {
            chat,
            limits,
            flashes: Arc::default(),
            kb_status: Arc::new(RwLock::new(status)),
            shutdown,
        }
    }

    /// Reloads the knowledge base; invalid content keeps the current index and is reported.
    pub async fn reload_kb(&self) -> Result<usize, Vec<String>> {
        let engine = self.chat.engine.clone();
        let result = tokio::task::spawn_blocking(move || engine.reload())
            .await
            .map_err(|err| vec![format!("reload stopped: {err}")])
            .and_then(|r| r.map_err(crate::search::SearchError::problems));
        let mut status = self.kb_status.write().unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(report) => {
                tracing::info!(
                    articles = report.articles,
                    ms = report.build_time.as_millis() as u64,
                    "knowledge base reloaded"
                );
                *status = KbStatus {
                    loaded_at: Some(Utc::now()),
                    articles: report.articles,
                    ..KbStatus::default()
                };
            }
            Err(problems) => {
                tracing::warn!(
                    problems = problems.len(),
                    "knowledge base not reloaded; the last good index stays"
                );
                status.problems = problems.clone();
                status.failed_at = Some(Utc::now());
            }
        }
        result.map(|r| r.articles)
    }
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
               connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
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
        .route("/kb", get(pages::kb))
        .route("/kb/reload", post(pages::kb_reload))
        .route("/admin", get(admin::page))
        .route("/admin/users", post(admin::users::add))
        .route("/admin/users/{id}/role", post(admin::users::change_role))
        .route("/admin/users/{id}/{action}", post(admin::users::act))
        .route("/admin/keys", post(admin::keys::create))
        .route("/admin/keys/{id}/revoke", post(admin::keys::revoke))
        .route("/static/{file}", get(pages::static_file))
        .merge(chat::routes(&state.chat.config.server.allowed_origins))
        .merge(api::routes())
        .merge(whatsapp::routes())
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
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
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_streams.send(true);
        })
        .await
}
