//! Reloading while serving: good content replaces the index atomically, bad content never does;
//! only edits reload, reads never do, and replaced snapshots are freed.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use vraagbaak::kb::KbError;
use vraagbaak::search::{Engine, Pipeline, SearchError, Settings};
use vraagbaak::server::kb_watch::{Changes, KbWatcher, Timing};
use vraagbaak::store::users::Role;

use crate::common::app::{app, json, text};
use crate::common::{Kb, engine, fixture_kb, settings, valid_article};

#[test]
fn a_valid_change_is_served_after_reload() {
    let kb = fixture_kb();
    let engine = engine(&kb);
    assert_ne!(
        engine.suggest("glasbak vol", 1).top().map(|s| s.id.clone()),
        Some("glas".into())
    );
    kb.write(
        "afval/glas.md",
        &valid_article(
            "Glasbak",
            &["glasbak vol", "waar is de glasbak", "glas weggooien"],
            "afval",
            "",
        ),
    );
    let report = engine.reload().expect("valid content reloads");
    assert_eq!(report.articles, 4);
    assert_eq!(
        engine
            .suggest("glasbak vol", 1)
            .top()
            .map(|s| s.id.as_str()),
        Some("glas")
    );
}

#[test]
fn invalid_content_keeps_the_last_good_index_and_reports_problems() {
    let kb = fixture_kb();
    let engine = engine(&kb);
    let before = engine.snapshot();
    kb.write("afval/glas.md", "+++\ntitle = \"Glas\"\n+++\n");
    std::fs::remove_file(kb.path().join("burgerzaken/paspoort-aanvragen.md")).expect("remove");
    match engine.reload() {
        Err(SearchError::Kb(KbError::Invalid(problems))) => {
            assert!(
                problems.iter().any(|p| p.path.ends_with("afval/glas.md")),
                "{problems:?}"
            );
        }
        other => panic!("expected the content problems, got {other:?}"),
    }
    assert!(
        Arc::ptr_eq(&before, &engine.snapshot()),
        "the old snapshot stays in service"
    );
    // The deleted article is still answered from the last good index.
    assert_eq!(
        engine
            .suggest("paspoort verlopen", 1)
            .top()
            .map(|s| s.id.as_str()),
        Some("paspoort-aanvragen")
    );
}

#[test]
fn readers_keep_getting_answers_during_reloads() {
    let kb = fixture_kb();
    let engine = Arc::new(engine(&kb));
    let readers: Vec<_> = (0..2)
        .map(|_| {
            let engine = engine.clone();
            thread::spawn(move || {
                for _ in 0..200 {
                    let result = engine.suggest("paspoort verlopen", 2);
                    assert_eq!(
                        result.top().map(|s| s.id.as_str()),
                        Some("paspoort-aanvragen")
                    );
                }
            })
        })
        .collect();
    for round in 0..10 {
        let questions = [
            "glasbak vol",
            "glas weggooien",
            &format!("glas ronde {round}"),
        ];
        kb.write(
            "afval/glas.md",
            &valid_article("Glasbak", &questions, "afval", ""),
        );
        engine.reload().expect("valid content reloads");
    }
    for reader in readers {
        reader.join().expect("reader thread");
    }
}

/// Polls `done` every 50 ms for up to a minute (slow, shared machines); false if it never held.
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        thread::sleep(Duration::from_millis(50));
    }
    false
}

/// How long "stays quiet" is watched: many times the watcher's quiet period.
const QUIET: Duration = Duration::from_secs(3);

/// The engine over `kb`, watched: every handler call reloads it and is counted.
struct Watched {
    engine: Arc<Engine>,
    calls: Arc<AtomicUsize>,
    batches: Arc<Mutex<Vec<Changes>>>,
    watcher: Option<KbWatcher>,
}

fn watched(kb: &Kb, timing: Timing) -> Watched {
    let engine = Arc::new(engine(kb));
    let calls = Arc::new(AtomicUsize::new(0));
    let batches = Arc::new(Mutex::new(Vec::new()));
    let watcher = {
        let (engine, calls, batches) = (engine.clone(), calls.clone(), batches.clone());
        KbWatcher::start(kb.path(), timing, move |changes| {
            let _ = engine.reload();
            batches.lock().expect("batches").push(changes);
            calls.fetch_add(1, Ordering::SeqCst);
        })
        .expect("watches the folder")
    };
    Watched {
        engine,
        calls,
        batches,
        watcher: Some(watcher),
    }
}

impl Watched {
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// Waits for the next handler call, then checks that no further call follows.
    fn settles_after_one_more_call(&self, before: usize) {
        assert!(
            eventually(|| self.calls() > before),
            "the edit was never seen"
        );
        let seen = self.calls();
        thread::sleep(QUIET);
        assert_eq!(self.calls(), seen, "the reload set off another reload");
    }
}

/// What `vraagbaak kb check` does, plus a plain read of every file (`cat`, a backup job).
fn read_everything(kb: &Kb) {
    vraagbaak::kb::load_with_problems(kb.path()).expect("the folder reads");
    for dir in std::fs::read_dir(kb.path()).expect("kb dir") {
        let path = dir.expect("entry").path();
        let files = if path.is_dir() {
            std::fs::read_dir(&path)
                .expect("category dir")
                .map(|e| e.expect("entry").path())
                .collect()
        } else {
            vec![path]
        };
        for file in files {
            std::fs::read(&file).expect("reads");
        }
    }
}

fn edit_glas(kb: &Kb, round: usize) {
    let questions = [
        "glasbak vol",
        "glas weggooien",
        &format!("glas ronde {round}"),
    ];
    kb.write(
        "afval/glas.md",
        &valid_article("Glasbak", &questions, "afval", ""),
    );
}

#[test]
fn reading_every_file_causes_no_reload() {
    let kb = fixture_kb();
    let watched = watched(&kb, Timing::default());
    read_everything(&kb);
    thread::sleep(QUIET);
    assert_eq!(watched.calls(), 0, "reading is not an edit");
    // The watcher works: an edit reloads once, and that reload's own reads stay quiet.
    edit_glas(&kb, 1);
    watched.settles_after_one_more_call(0);
    assert_eq!(watched.engine.reload_count(), 1);
    let seen = watched.calls();
    read_everything(&kb);
    thread::sleep(QUIET);
    assert_eq!(
        watched.calls(),
        seen,
        "reading after a reload is not an edit"
    );
}

#[test]
fn two_engines_watching_one_folder_stay_quiet() {
    let kb = fixture_kb();
    let first = watched(&kb, Timing::default());
    let second = watched(&kb, Timing::default());
    // Each reloads on its own, then their reads of the folder do not set each other off.
    first.engine.reload().expect("reloads");
    second.engine.reload().expect("reloads");
    thread::sleep(QUIET);
    assert_eq!((first.calls(), second.calls()), (0, 0));
    edit_glas(&kb, 1);
    first.settles_after_one_more_call(0);
    second.settles_after_one_more_call(0);
    assert_eq!(first.engine.reload_count(), 1);
    assert_eq!(second.engine.reload_count(), 1);
}

#[test]
fn a_burst_of_edits_becomes_one_reload() {
    let kb = fixture_kb();
    // A generous quiet period, so a slow machine still writes the burst within it.
    let timing = Timing {
        quiet: Duration::from_secs(1),
        max_delay: Duration::from_secs(20),
    };
    let watched = watched(&kb, timing);
    for n in 0..5 {
        kb.write(
            &format!("afval/extra-{n}.md"),
            &valid_article(
                &format!("Extra {n}"),
                &["extra vraag", "nog een vraag", "laatste vraag"],
                "afval",
                "",
            ),
        );
    }
    watched.settles_after_one_more_call(0);
    let batches = watched.batches.lock().expect("batches");
    assert_eq!(batches.len(), 1, "{batches:?}");
    assert_eq!(batches[0].paths.len(), 5, "{batches:?}");
    assert_eq!(watched.engine.snapshot().articles.len(), 8);
}

#[test]
fn editor_swap_and_backup_files_cause_no_reload() {
    let kb = fixture_kb();
    let watched = watched(&kb, Timing::default());
    kb.write("afval/.glas.md.swp", "swap");
    kb.write("afval/glas.md~", "backup");
    kb.write("afval/4913", "");
    std::fs::remove_file(kb.path().join("afval/4913")).expect("remove");
    thread::sleep(QUIET);
    assert_eq!(watched.calls(), 0);
}

#[test]
fn a_stopped_watcher_reloads_no_more() {
    let kb = fixture_kb();
    let mut watched = watched(&kb, Timing::default());
    drop(watched.watcher.take());
    edit_glas(&kb, 1);
    thread::sleep(QUIET);
    assert_eq!(watched.calls(), 0);
}

#[test]
fn unchanged_content_keeps_the_snapshot_in_service() {
    let kb = fixture_kb();
    let engine = engine(&kb);
    let before = engine.snapshot();
    let report = engine.reload().expect("reloads");
    assert!(!report.changed);
    assert!(Arc::ptr_eq(&before, &engine.snapshot()), "nothing rebuilt");
    assert_eq!((engine.reload_count(), engine.unchanged_count()), (0, 1));
    edit_glas(&kb, 1);
    assert!(engine.reload().expect("reloads").changed);
    assert_eq!(engine.reload_count(), 1);
}

#[test]
fn two_hundred_reloads_leave_one_live_snapshot() {
    let kb = fixture_kb();
    // The plain pipeline: the same snapshots and swaps, a fraction of the build time.
    let settings = Settings {
        pipeline: Pipeline::BASELINE,
        ..settings()
    };
    let engine = Engine::open(kb.path(), settings).expect("fixture KB is valid");
    let held = engine.snapshot();
    for round in 0..200 {
        edit_glas(&kb, round);
        assert!(engine.reload().expect("reloads").changed);
    }
    assert_eq!(engine.reload_count(), 200);
    assert_eq!(
        engine.live_snapshots(),
        2,
        "a request still holds the first"
    );
    drop(held);
    assert_eq!(engine.live_snapshots(), 1, "replaced snapshots are freed");
}

#[tokio::test]
async fn the_reload_api_says_when_nothing_changed_and_the_kb_page_counts_reloads() {
    let app = app().await;
    let inbox_key = app.api_key().await;
    let res = app
        .post_json("/api/v1/kb/reload", Some(&inbox_key), "")
        .await;
    assert_eq!(res.status(), 403, "reloading needs the kb scope");
    let key = app.api_key_with("kb").await;
    let res = app.post_json("/api/v1/kb/reload", Some(&key), "").await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(
        (&body["reloaded"], &body["changed"]),
        (&true.into(), &false.into()),
        "{body}"
    );
    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb", Some(&eva)).await).await;
    assert!(page.contains("keer opnieuw geladen"), "{page}");
}
