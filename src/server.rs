//! `vraagbaak serve`: opens the knowledge base and the store, creates the first admin on an
//! empty store, watches the knowledge base for edits ([`kb_watch`]), and serves until shutdown.
//! The binary and the tests call the same [`Server::open`] and [`Server::run`].

pub mod kb_watch;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::channels::outbox::{Backoff, Worker};
use crate::channels::whatsapp::client::GraphClient;
use crate::channels::whatsapp::media::{self, MediaWorker, files::MediaFiles};
use crate::chat::{Chat, Hub, system_clock};
use crate::config::Config;
use crate::search::{Engine, Pipeline, SearchError, Settings};
use crate::store::users::{self, Role};
use crate::store::{Store, StoreError};
use crate::web::{self, AppState, ReloadReason};
use kb_watch::{KbWatcher, Timing};

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("the knowledge base cannot be served: {0}")]
    Kb(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot watch the knowledge base folder: {0}")]
    Watch(String),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The name of the admin account created on first start.
pub const FIRST_ADMIN: &str = "admin";

pub struct Server {
    pub state: AppState,
    stop_streams: watch::Sender<bool>,
    /// Set when this start created the first admin: its password, to print once.
    pub first_admin_password: Option<String>,
}

impl Server {
    /// Loads everything the server needs; fails on invalid content or an unusable data dir.
    pub async fn open(config: Config) -> Result<Server, ServerError> {
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: config.site_url.clone(),
        };
        let kb_dir = config.server.kb.clone();
        let engine = tokio::task::spawn_blocking(move || Engine::open(kb_dir, settings))
            .await
            .map_err(|e| std::io::Error::other(crate::task::stopped(&e)))??;
        let store = Store::open(&config.server.data)?;
        let first_admin_password = create_first_admin(&store)?;
        let (stop_streams, stopped) = watch::channel(false);
        let chat = Chat {
            store,
            engine: Arc::new(engine),
            hub: Hub::default(),
            config: Arc::new(config),
            clock: system_clock(),
            outbox: Arc::new(Notify::new()),
            media: Arc::new(Notify::new()),
        };
        Ok(Server {
            state: AppState::new(chat, stopped),
            stop_streams,
            first_admin_password,
        })
    }

    /// Serves on `listener` until `shutdown` completes; in-flight requests finish, event
    /// streams end, and the store is checkpointed and closed.
    pub async fn run(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServerError> {
        // The history starts with the files as they are (and with changes made while the
        // server was down).
        if let Err(err) = self.state.chat.record_file_changes().await {
            tracing::warn!(error = %err, "file changes not recorded as revisions");
        }
        let watcher = if self.state.chat.config.server.watch_kb {
            Some(watch_kb(&self.state)?)
        } else {
            None
        };
        let shutdown = async move {
            shutdown.await;
            // No reload starts while the last requests finish.
            drop(watcher);
        };
        let chat = &self.state.chat;
        let mut workers = match chat.config.whatsapp.credentials() {
            Ok(credentials) => {
                let worker = Worker {
                    store: chat.store.clone(),
                    hub: chat.hub.clone(),
                    client: GraphClient::new(&credentials),
                    backoff: Backoff::default(),
                    wakeup: chat.outbox.clone(),
                };
                // Answers held for a closed window that waited too long are given up.
                tokio::spawn(chat.clone().sweep_held_answers(self.state.shutdown.clone()));
                let media = MediaWorker {
                    store: chat.store.clone(),
                    hub: chat.hub.clone(),
                    client: GraphClient::new(&credentials),
                    files: MediaFiles::new(&chat.config.server.data),
                    max_bytes: chat.config.whatsapp.media_max_bytes,
                    backoff: media::default_backoff(),
                    wakeup: chat.media.clone(),
                };
                vec![
                    tokio::spawn(worker.run(self.state.shutdown.clone())),
                    tokio::spawn(media.run(self.state.shutdown.clone())),
                ]
            }
            Err(_) => Vec::new(),
        };
        // Retention: destroy what the selectielijst no longer keeps, once a day, when enabled.
        // Awaited at shutdown with the workers, so a purge in progress finishes first.
        if chat.config.archive.auto_purge {
            workers.push(tokio::spawn(crate::archive::daily::run(
                chat.store.clone(),
                chat.config.clone(),
                self.state.shutdown.clone(),
            )));
        }
        let store = chat.store.clone();
        web::serve(listener, self.state, self.stop_streams, shutdown).await?;
        for worker in workers {
            // They stop at the shutdown signal; a send in flight finishes first, a download
            // is cut off and starts again after the restart.
            let _ = worker.await;
        }
        store.close()?;
        tracing::info!("stopped cleanly");
        Ok(())
    }
}

/// Records the files changed outside the dashboard as revisions by "bestand"; the watcher's
/// thread waits for it, so the next burst of edits is compared with this history.
fn record_file_changes(runtime: &tokio::runtime::Handle, state: &AppState) {
    if let Err(err) = runtime.block_on(state.chat.record_file_changes()) {
        tracing::warn!(error = %err, "file changes not recorded as revisions");
    }
}

/// On an empty store: an `admin` account with a random password.
fn create_first_admin(store: &Store) -> Result<Option<String>, StoreError> {
    if store.blocking(|c| users::user_count(c))? > 0 {
        return Ok(None);
    }
    let password = users::new_token();
    let hash = users::hash_password(&password);
    store.blocking(
        |c| match users::add_user(c, FIRST_ADMIN, Role::Admin, None, &hash) {
            Ok(_) => Ok(()),
            Err(users::UserError::Store(e)) => Err(e),
            // Another process created it first: fine, it printed its own password.
            Err(_) => Ok(()),
        },
    )?;
    Ok(Some(password))
}

/// Reloads the index shortly after articles or synonyms change. The watch stops when the
/// returned value is dropped.
fn watch_kb(state: &AppState) -> Result<KbWatcher, ServerError> {
    let kb_dir = state.chat.engine.kb_dir().to_path_buf();
    let state = state.clone();
    let runtime = tokio::runtime::Handle::current();
    KbWatcher::start(&kb_dir, Timing::default(), move |changes| {
        let reason = ReloadReason::Files {
            changed: changes.paths.len(),
            rescan: changes.rescan,
        };
        // Outcome and problems are logged and shown on the knowledge-base page.
        if state.reload_kb_now(reason).is_ok() {
            record_file_changes(&runtime, &state);
        }
    })
    .map_err(|e| ServerError::Watch(format!("{}: {e}", kb_dir.display())))
}
