//! Residents' photos and files: the download worker. A media message is queued in the
//! transaction that stores it (`store::media`); this worker fetches it from the Graph API in
//! the background, never in the webhook's request path, checks size and type, and stores it
//! content-addressed under the data directory.
//!
//! ```text
//! mod.rs    the worker: due downloads, limits, retry with backoff, give up after 30 days
//! files.rs  the files on disk, named by SHA-256, written atomically
//! sniff.rs  the type allowlist, by magic bytes; image sizes from headers
//! ```
//!
//! Checks, in order: the type and size Meta declares (before downloading), the size while
//! reading (stopping at the limit), the real type by the first bytes, Meta's checksum. What
//! fails a check is refused with a Dutch reason agents see; what may pass (network, 5xx,
//! token) is retried with backoff until 30 days after the message, as long as Meta keeps it.
//! The queue lives in the store, so pending downloads resume after a restart.

pub mod files;
pub mod sniff;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{Notify, watch};

use super::client::{FetchError, GraphClient};
use crate::channels::outbox::Backoff;
use crate::channels::queue::{self, Queue};
use crate::chat::{Event, Hub};
use crate::store::media::{self, MediaState, PendingMedia, StoredFile};
use crate::store::{Store, StoreError};
use files::{MediaFiles, checksum_matches, sha256_hex};
use sniff::{ALLOWED_NL, FileType};

/// How long Meta keeps a resident's media.
pub const META_KEEPS_MEDIA: Duration = Duration::from_secs(30 * 24 * 60 * 60);

/// Retries every few seconds at first, at most hourly, for Meta's 30 days.
pub fn default_backoff() -> Backoff {
    Backoff {
        base: Duration::from_secs(5),
        max: Duration::from_secs(60 * 60),
        give_up_after: META_KEEPS_MEDIA,
    }
}

pub struct MediaWorker {
    pub store: Store,
    pub hub: Hub,
    pub client: GraphClient,
    pub files: MediaFiles,
    /// `[whatsapp] media_max_bytes`.
    pub max_bytes: u64,
    pub backoff: Backoff,
    /// Notified when a media message was stored.
    pub wakeup: Arc<Notify>,
}

/// Why an attempt did not store the file.
enum NotStored {
    Retry(String),
    /// Given up for good: `state` is failed or refused; `reason` is Dutch, for agents.
    Final {
        state: MediaState,
        reason: String,
        error: String,
    },
}

impl NotStored {
    fn refused(reason: String, error: impl Into<String>) -> NotStored {
        NotStored::Final {
            state: MediaState::Refused,
            reason,
            error: error.into(),
        }
    }
}

impl MediaWorker {
    /// Downloads until `shutdown` flips to true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        if let Ok(pending) = self.store.call(|c| media::pending_count(c)).await {
            tracing::info!(pending, "media: worker started");
        }
        let wakeup = self.wakeup.clone();
        queue::run(&self, &wakeup, shutdown).await;
    }

    /// Attempts every download that is due; returns how many were attempted.
    pub async fn fetch_due(&self) -> Result<usize, StoreError> {
        let due = self.store.call(|c| media::due(c, Utc::now(), 16)).await?;
        for entry in &due {
            self.fetch(entry).await?;
        }
        Ok(due.len())
    }

    async fn fetch(&self, entry: &PendingMedia) -> Result<(), StoreError> {
        let age = (Utc::now() - entry.received_at)
            .to_std()
            .unwrap_or_default();
        let outcome = if age >= self.backoff.give_up_after {
            Err(NotStored::Final {
                state: MediaState::Failed,
                reason: "Niet opgehaald: WhatsApp bewaart bestanden 30 dagen en die termijn \
                         is voorbij."
                    .into(),
                error: "older than 30 days".into(),
            })
        } else {
            self.download(entry).await
        };
        let id = entry.message_id;
        let (conversation, attempts) = (entry.conversation_id, entry.attempts + 1);
        match outcome {
            Ok(file) => {
                tracing::info!(
                    conversation,
                    message_id = id,
                    size = file.size,
                    "media: stored"
                );
                self.store
                    .call(move |c| media::mark_stored(c, id, &file))
                    .await?;
            }
            Err(NotStored::Retry(error)) => {
                let delay = self.backoff.delay(entry.attempts);
                tracing::warn!(
                    conversation,
                    message_id = id,
                    attempts,
                    retry_in_ms = delay.as_millis() as u64,
                    %error,
                    "media: not fetched, will retry"
                );
                let next = Utc::now() + TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
                self.store
                    .call(move |c| media::retry_later(c, id, &error, next))
                    .await?;
            }
            Err(NotStored::Final {
                state,
                reason,
                error,
            }) => {
                tracing::warn!(
                    conversation,
                    message_id = id,
                    attempts,
                    state = state.as_str(),
                    %error,
                    "media: given up"
                );
                self.store
                    .call(move |c| media::give_up(c, id, state, &reason, &error))
                    .await?;
            }
        }
        self.hub.publish(Event::Conversation {
            conversation_id: conversation,
            change: "media",
        });
        Ok(())
    }

    /// One attempt: what Meta declares, the bytes, the checks, the file on disk.
    async fn download(&self, entry: &PendingMedia) -> Result<StoredFile, NotStored> {
        let limit = self.max_bytes;
        let info = self
            .client
            .media_info(&entry.media_id)
            .await
            .map_err(|e| self.not_fetched(e))?;
        if let Some(declared) = info.mime_type.as_deref()
            && FileType::from_mime(declared).is_none()
        {
            return Err(NotStored::refused(
                format!(
                    "Niet opgehaald: bestandstype {} is niet toegestaan (toegestaan: {ALLOWED_NL}).",
                    shown_type(declared)
                ),
                "declared type not allowed",
            ));
        }
        if let Some(size) = info.file_size().filter(|&size| size > limit) {
            return Err(self.not_fetched(FetchError::TooLarge { limit, size }));
        }
        let bytes = self
            .client
            .media_bytes(&info.url, limit)
            .await
            .map_err(|e| self.not_fetched(e))?;
        let Some(file_type) = FileType::sniff(&bytes) else {
            return Err(NotStored::refused(
                format!(
                    "Niet opgehaald: de inhoud is geen toegestaan bestandstype (toegestaan: \
                     {ALLOWED_NL}), wat de afzender ook opgaf."
                ),
                "content type not allowed",
            ));
        };
        let sha256 = sha256_hex(&bytes);
        if let Some(declared) = info.sha256.as_deref()
            && checksum_matches(declared, &sha256) == Some(false)
        {
            return Err(NotStored::Retry(
                "the bytes do not match Meta's sha256".into(),
            ));
        }
        let dimensions = file_type.dimensions(&bytes);
        let size = bytes.len() as u64;
        let (files, name) = (self.files.clone(), sha256.clone());
        tokio::task::spawn_blocking(move || files.store(&name, &bytes))
            .await
            .map_err(|e| {
                NotStored::Retry(format!("writing stopped: {}", crate::task::stopped(&e)))
            })?
            .map_err(|e| NotStored::Retry(format!("cannot write the file: {e}")))?;
        Ok(StoredFile {
            sha256,
            size,
            mime_type: file_type.mime().to_string(),
            dimensions,
        })
    }

    fn not_fetched(&self, error: FetchError) -> NotStored {
        match error {
            FetchError::Retry(error) => NotStored::Retry(error),
            FetchError::Gone(error) => NotStored::Final {
                state: MediaState::Failed,
                reason: "Niet opgehaald: WhatsApp heeft dit bestand niet (meer); het is \
                         verlopen of verwijderd."
                    .into(),
                error,
            },
            FetchError::TooLarge { limit, size } => NotStored::refused(
                format!(
                    "Niet opgehaald: het bestand is groter dan de grens van {} ({} of meer).",
                    size_nl(limit),
                    size_nl(size)
                ),
                format!("larger than {limit} bytes"),
            ),
        }
    }
}

impl Queue for MediaWorker {
    const NAME: &'static str = "media";
    const CANCEL_AT_SHUTDOWN: bool = true;

    async fn work_due(&self) -> Result<usize, StoreError> {
        self.fetch_due().await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.store.call(|c| media::next_due(c)).await
    }
}

/// A declared type as agents may read it: only the characters a type name has.
fn shown_type(declared: &str) -> String {
    declared
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "/+-.;= ".contains(*c))
        .take(60)
        .collect()
}

/// A file size in Dutch: `512 bytes`, `12 kB`, `3,4 MB`.
pub fn size_nl(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} bytes")
    } else if bytes < MB {
        format!("{} kB", bytes.div_ceil(KB))
    } else {
        format!("{:.1} MB", bytes as f64 / MB as f64).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_dutch() {
        assert_eq!(size_nl(512), "512 bytes");
        assert_eq!(size_nl(12 * 1024), "12 kB");
        assert_eq!(size_nl(16 * 1024 * 1024), "16,0 MB");
        assert_eq!(size_nl(3_565_158), "3,4 MB");
    }

    #[test]
    fn declared_types_are_shown_without_markup() {
        assert_eq!(shown_type("image/svg+xml"), "image/svg+xml");
        assert_eq!(shown_type("text/<b>html</b>"), "text/bhtml/b");
    }
}
