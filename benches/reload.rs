//! What the knowledge-base reload loop costs: resident memory and threads over 1,000 reloads
//! of edited content (each one builds and swaps a new snapshot), and the time from saving an
//! article to its new version answering (watcher, quiet period, reload).
//!
//! `cargo bench --bench reload` prints its figures; no criterion, as each is one long run.

mod common;

use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use vraagbaak::search::{Engine, Pipeline};
use vraagbaak::server::kb_watch::{KbWatcher, Timing};

/// Reloads in the memory run; `VRAAGBAAK_BENCH_RELOADS` sets another number.
const RELOADS: usize = 1_000;
const SAVES: usize = 20;

/// This process's resident memory in MiB, from `/proc/self/status`.
fn rss_mib() -> f64 {
    let status = fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS line");
    kib / 1024.0
}

fn threads() -> usize {
    fs::read_dir("/proc/self/task").map_or(0, |tasks| tasks.count())
}

fn report(label: &str, engine: &Engine) {
    println!(
        "{label}: rss {:.1} MiB, threads {}, live snapshots {}",
        rss_mib(),
        threads(),
        engine.live_snapshots()
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    common::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("kb"),
        dir.path(),
    );
    let engine = Arc::new(
        Engine::open(dir.path(), common::settings(Pipeline::FULL)).expect("sample KB opens"),
    );
    let article = dir.path().join("afval/glas.md");
    let original = fs::read_to_string(&article).expect("glas article");
    let edit = |round: usize| {
        fs::write(&article, format!("{original}\nAangepast ({round}).\n")).expect("write");
    };

    let reloads = std::env::var("VRAAGBAAK_BENCH_RELOADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(RELOADS);
    report("opened", &engine);
    for round in 1..=reloads {
        edit(round);
        assert!(engine.reload().expect("reloads").changed);
        if round % (reloads / 10).max(1) == 0 {
            report(&format!("after {round} reloads"), &engine);
        }
    }
    assert_eq!(engine.live_snapshots(), 1, "replaced snapshots are freed");

    let _watcher = {
        let engine = engine.clone();
        KbWatcher::start(dir.path(), Timing::default(), move |_| {
            let _ = engine.reload();
        })
        .expect("watches")
    };
    common::percentiles("save-to-live/one-article", SAVES, |round| {
        let before = engine.snapshot().content_hash;
        edit(reloads + 1 + round);
        while engine.snapshot().content_hash == before {
            thread::sleep(Duration::from_millis(1));
        }
    });
    report("after the saves", &engine);
}
