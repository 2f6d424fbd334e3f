//! Bookkeeping for open event streams: how many each login session and each client address
//! holds, the one feed that tells every dashboard what changed (and in which department), and
//! the signal that ends the streams of a session or user.
//!
//! Before, each dashboard stream read the conversation from the store for every event to
//! check department access, so 3,000 streams meant 3,000 reads per event. Now one task reads
//! the department once per event and every stream decides from that.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use tokio::sync::{broadcast, watch};

use super::error::AppError;
use crate::chat::{Chat, Event, Hub};
use crate::config::ServerConfig;
use crate::store::Store;
use crate::store::conversations as conv;

/// What a dashboard stream hears.
#[derive(Debug, Clone)]
pub enum Feed {
    /// A committed change as JSON (serialized once for every stream), with the department
    /// of its conversation just after it (`None`: not forwarded, or the conversation is gone).
    Change {
        json: Arc<str>,
        department: Option<Arc<str>>,
    },
    /// The feed fell behind the hub: views reload.
    Reload,
    /// The session with this token hash ended (logout): its streams end.
    SessionEnded(Arc<[u8]>),
    /// This user was blocked or lost their sessions: their streams end.
    UserEnded(i64),
}

/// Open streams per session and per address, and the dashboard feed.
pub struct Streams {
    max_per_session: usize,
    max_per_address: usize,
    open: Mutex<OpenStreams>,
    feed: broadcast::Sender<Feed>,
    /// Set once the task that fills `feed` from the hub runs; started by the first stream.
    feeding: OnceLock<()>,
}

#[derive(Default)]
struct OpenStreams {
    sessions: HashMap<Arc<[u8]>, usize>,
    addresses: HashMap<IpAddr, usize>,
}

/// One open stream's place in the counts; given back when dropped (the stream ended).
pub struct Slot {
    streams: Arc<Streams>,
    session: Option<Arc<[u8]>>,
    address: IpAddr,
}

impl Streams {
    pub fn new(server: &ServerConfig) -> Streams {
        Streams {
            max_per_session: server.max_streams_per_session,
            max_per_address: server.max_streams_per_address,
            open: Mutex::default(),
            feed: broadcast::channel(Hub::CAPACITY).0,
            feeding: OnceLock::new(),
        }
    }

    /// Takes a slot for a stream of `session` (dashboards; `None` for residents) from
    /// `address`, or refuses when either already holds its maximum.
    pub fn open(
        self: &Arc<Self>,
        session: Option<Arc<[u8]>>,
        address: IpAddr,
    ) -> Result<Slot, AppError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let at_address = open.addresses.get(&address).copied().unwrap_or(0);
        let in_session = session
            .as_ref()
            .and_then(|s| open.sessions.get(s))
            .copied()
            .unwrap_or(0);
        if at_address >= self.max_per_address || in_session >= self.max_per_session {
            tracing::warn!(
                at_address,
                in_session,
                "event stream refused: limit reached"
            );
            return Err(AppError::TooManyStreams);
        }
        *open.addresses.entry(address).or_default() += 1;
        if let Some(session) = &session {
            *open.sessions.entry(session.clone()).or_default() += 1;
        }
        Ok(Slot {
            streams: self.clone(),
            session,
            address,
        })
    }

    /// The dashboard feed from now on. The first call starts the task that fills it; it
    /// stops at `shutdown`.
    pub fn subscribe(
        &self,
        chat: &Chat,
        shutdown: watch::Receiver<bool>,
    ) -> broadcast::Receiver<Feed> {
        let receiver = self.feed.subscribe();
        self.feeding.get_or_init(|| {
            let task = fill_feed(
                chat.store.clone(),
                chat.hub.subscribe(),
                self.feed.clone(),
                shutdown,
            );
            tokio::spawn(task);
        });
        receiver
    }

    /// Ends every stream of the session whose token hashes to `token_hash`.
    pub fn end_session(&self, token_hash: &[u8]) {
        // No receivers: no stream open, nothing to end.
        let _ = self.feed.send(Feed::SessionEnded(Arc::from(token_hash)));
    }

    /// Ends every stream of `user_id`, in every session.
    pub fn end_user(&self, user_id: i64) {
        let _ = self.feed.send(Feed::UserEnded(user_id));
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        release(&mut open.addresses, &self.address);
        if let Some(session) = &self.session {
            release(&mut open.sessions, session);
        }
    }
}

fn release<K: Hash + Eq>(counts: &mut HashMap<K, usize>, key: &K) {
    if let Some(count) = counts.get_mut(key) {
        *count = count.saturating_sub(1);
        if *count == 0 {
            counts.remove(key);
        }
    }
}

/// Turns hub events into [`Feed::Change`]s: one store read and one serialization per event,
/// not one per stream.
async fn fill_feed(
    store: Store,
    mut events: broadcast::Receiver<Event>,
    feed: broadcast::Sender<Feed>,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let received = tokio::select! {
            received = events.recv() => received,
            _ = shutdown.changed() => break,
        };
        let item = match received {
            // Nobody listens: skip the read.
            Ok(_) if feed.receiver_count() == 0 => continue,
            Ok(event) => {
                let Ok(json) = serde_json::to_string(&event) else {
                    continue;
                };
                let id = event.conversation_id();
                let department = store
                    .call(move |c| conv::conversation(c, id))
                    .await
                    .ok()
                    .flatten()
                    .and_then(|c| c.department)
                    .map(Arc::from);
                Feed::Change {
                    json: json.into(),
                    department,
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => Feed::Reload,
            Err(broadcast::error::RecvError::Closed) => break,
        };
        let _ = feed.send(item);
    }
}
