//! The real server watching a copy of the knowledge base: reads never reload it, an edit
//! reloads it once, and SIGTERM ends it without waiting for reloads.

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use crate::common::process::Running;

fn reloads(server: &Running) -> usize {
    server
        .printed_so_far()
        .iter()
        .filter(|line| line.contains("knowledge base reloaded"))
        .count()
}

#[test]
fn a_watching_server_ignores_reads_reloads_an_edit_once_and_stops_at_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("kb");
    crate::common::copy_dir(&crate::common::sample_kb_dir(), &kb);
    let config = dir.path().join("vraagbaak.toml");
    fs::write(&config, "").expect("config");
    let server = Running::start_on(
        &kb,
        &dir.path().join("data"),
        &config,
        &[("VRAAGBAAK_WATCH_KB", "true")],
    );
    // `vraagbaak kb check` and `cat` of an article.
    vraagbaak::kb::load_with_problems(&kb).expect("reads");
    let article = kb.join("afval/glas.md");
    let text = fs::read_to_string(&article).expect("cat");
    thread::sleep(Duration::from_secs(3));
    assert_eq!(reloads(&server), 0, "reading is not an edit");

    fs::write(&article, format!("{text}\nAangepast.\n")).expect("edit");
    let deadline = Instant::now() + Duration::from_secs(120);
    while reloads(&server) == 0 {
        assert!(Instant::now() < deadline, "the edit was never reloaded");
        thread::sleep(Duration::from_millis(100));
    }
    thread::sleep(Duration::from_secs(3));
    assert_eq!(reloads(&server), 1, "the reload did not set off another");

    let printed = server.stop();
    assert!(
        printed.iter().any(|l| l.contains("stopped cleanly")),
        "{printed:#?}"
    );
}
