//! The outbox worker: delivers queued replies to WhatsApp, in order per conversation, with
//! exponential backoff while the Graph API is down or busy. It wakes when a reply is queued,
//! when the next retry is due, and stops at shutdown; whatever is pending stays in the store
//! and goes out after a restart.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use tokio::sync::{Notify, watch};

use super::queue::{self, Queue};
use super::whatsapp::client::{GraphClient, SendError};
use crate::chat::{Event, Hub};
use crate::store::outbox::{self, Pending};
use crate::store::{Store, StoreError};

/// How long to wait between attempts: `base · 2^attempts`, at most `max`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
    /// After this long a reply is given up (WhatsApp's customer-service window is 24 hours).
    pub give_up_after: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(2),
            max: Duration::from_secs(10 * 60),
            give_up_after: Duration::from_secs(24 * 60 * 60),
        }
    }
}

impl Backoff {
    pub fn delay(&self, attempts: i64) -> Duration {
        let factor = 2u32.saturating_pow(attempts.clamp(0, 20) as u32);
        self.base.saturating_mul(factor).min(self.max)
    }
}

/// Wakes the worker when a reply was queued.
pub type Wakeup = Arc<Notify>;

pub struct Worker {
    pub store: Store,
    pub hub: Hub,
    pub client: GraphClient,
    pub backoff: Backoff,
    pub wakeup: Wakeup,
}

impl Worker {
    /// Delivers until `shutdown` flips to true.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        let wakeup = self.wakeup.clone();
        queue::run(&self, &wakeup, shutdown).await;
    }

    /// Sends every queue head that is due; returns how many were attempted.
    pub async fn deliver_due(&self) -> Result<usize, StoreError> {
        let due = self.store.call(|c| outbox::due(c, Utc::now(), 32)).await?;
        for entry in &due {
            self.deliver(entry).await?;
        }
        Ok(due.len())
    }

    async fn deliver(&self, entry: &Pending) -> Result<(), StoreError> {
        // Stored in WhatsApp's own formatting already (`chat::answer::for_channel`); a
        // template's text is only what agents read.
        let result = match &entry.template {
            Some(template) => {
                self.client
                    .send_template(&entry.resident_ref, template)
                    .await
            }
            None => {
                self.client
                    .send_text(&entry.resident_ref, &entry.text)
                    .await
            }
        };
        let entry_owned = entry.clone();
        let age = (Utc::now() - entry.queued_at).to_std().unwrap_or_default();
        let backoff = self.backoff;
        match result {
            Ok(wamid) => {
                tracing::info!(
                    conversation = entry.conversation_id,
                    message_id = entry.message_id,
                    "outbox: sent"
                );
                self.store
                    .call(move |c| outbox::mark_sent(c, &entry_owned, &wamid))
                    .await?;
            }
            Err(SendError::Retry(reason)) if age < backoff.give_up_after => {
                let delay = backoff.delay(entry.attempts);
                tracing::warn!(
                    conversation = entry.conversation_id,
                    message_id = entry.message_id,
                    attempts = entry.attempts + 1,
                    retry_in_ms = delay.as_millis() as u64,
                    %reason,
                    "outbox: not sent, will retry"
                );
                let next = Utc::now() + TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
                self.store
                    .call(move |c| outbox::retry_later(c, &entry_owned, &reason, next))
                    .await?;
            }
            Err(err) => {
                let reason = match err {
                    SendError::Retry(reason) => {
                        // Agents read it after "Niet afgeleverd: " (Dutch, like the page).
                        format!(
                            "het versturen bleef mislukken, ook na herhaalde pogingen (laatste \
                             fout: {reason})"
                        )
                    }
                    SendError::Refused(reason) => reason,
                };
                tracing::warn!(
                    conversation = entry.conversation_id,
                    message_id = entry.message_id,
                    %reason,
                    "outbox: given up"
                );
                self.store
                    .call(move |c| outbox::give_up(c, &entry_owned, &reason))
                    .await?;
            }
        }
        self.hub.publish(Event::Conversation {
            conversation_id: entry.conversation_id,
            change: "delivery",
        });
        Ok(())
    }
}

impl Queue for Worker {
    const NAME: &'static str = "outbox";

    async fn work_due(&self) -> Result<usize, StoreError> {
        self.deliver_due().await
    }

    async fn next_due(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        self.store.call(|c| outbox::next_due(c)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let backoff = Backoff {
            base: Duration::from_millis(100),
            max: Duration::from_secs(1),
            give_up_after: Duration::from_secs(60),
        };
        let delays: Vec<u128> = (0..6).map(|a| backoff.delay(a).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1000, 1000]);
    }
}
