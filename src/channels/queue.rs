//! The loop shared by the background workers that drain a queue kept in the store (the
//! outbox, media downloads): work off what is due, then sleep until the next entry is due, a
//! wake-up arrives, or the server shuts down. The queue is in the store, so nothing is lost
//! between passes or across a restart.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};

use crate::store::StoreError;

/// The longest a worker sleeps without looking at its queue.
const MAX_IDLE: Duration = Duration::from_secs(60);

/// A queue in the store, worked off in passes.
pub trait Queue: Sync {
    /// Named in the log.
    const NAME: &'static str;

    /// Whether shutdown may cut a pass short. A send in flight should finish (the resident may
    /// get it); a download can simply start again after the restart.
    const CANCEL_AT_SHUTDOWN: bool = false;

    /// Handles every entry that is due; returns how many were attempted.
    fn work_due(&self) -> impl Future<Output = Result<usize, StoreError>> + Send;

    /// When the next entry is due, if any is.
    fn next_due(&self) -> impl Future<Output = Result<Option<DateTime<Utc>>, StoreError>> + Send;
}

/// Works off `queue` until `shutdown` flips to true. An entry in flight finishes first, unless
/// the queue says it may be cancelled ([`Queue::CANCEL_AT_SHUTDOWN`]).
pub async fn run<Q: Queue>(queue: &Q, wakeup: &Notify, mut shutdown: watch::Receiver<bool>) {
    loop {
        let pass = if Q::CANCEL_AT_SHUTDOWN {
            tokio::select! {
                pass = queue.work_due() => pass,
                _ = shutdown.changed() => break,
            }
        } else {
            queue.work_due().await
        };
        let idle = match pass {
            Ok(0) => idle_until(queue.next_due().await.ok().flatten()),
            Ok(_) => continue,
            Err(err) => {
                tracing::error!(error = %err, queue = Q::NAME, "the store failed; retrying in 5 s");
                Duration::from_secs(5)
            }
        };
        tokio::select! {
            () = wakeup.notified() => {}
            () = tokio::time::sleep(idle) => {}
            _ = shutdown.changed() => break,
        }
        if *shutdown.borrow() {
            break;
        }
    }
}

fn idle_until(next: Option<DateTime<Utc>>) -> Duration {
    match next {
        Some(at) => (at - Utc::now()).to_std().unwrap_or_default().min(MAX_IDLE),
        None => MAX_IDLE,
    }
}
