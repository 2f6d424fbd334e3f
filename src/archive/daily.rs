//! The server's daily purge (`archive.auto_purge = true`): once at start and then every 24
//! hours, destroy what is due as `vraagbaak archive purge` would, audited as `system`.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{list, purge};
use crate::config::Config;
use crate::store::Store;

/// How often the purge runs.
pub const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// Runs until `shutdown` turns true.
pub async fn run(store: Store, config: Arc<Config>, mut shutdown: watch::Receiver<bool>) {
    loop {
        let (s, c) = (store.clone(), config.clone());
        let ran = tokio::task::spawn_blocking(move || {
            let data = c.server.data.clone();
            let now = chrono::Utc::now();
            purge::purge(
                &s,
                &c,
                Some(&data),
                &list::lists_dir(&data),
                purge::today(),
                "system",
                now,
            )
        })
        .await;
        match ran {
            Ok(Ok(done)) => tracing::info!(
                destroyed = done.destroyed.len(),
                held = done.held,
                "archive: daily purge"
            ),
            Ok(Err(err)) => tracing::error!(error = %err, "archive: the daily purge failed"),
            Err(err) => tracing::error!(
                error = crate::task::stopped(&err),
                "archive: the daily purge stopped"
            ),
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            break;
        }
    }
}
