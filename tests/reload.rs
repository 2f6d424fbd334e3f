//! Reloading while serving: good content replaces the index atomically, bad content never does.

use std::sync::Arc;
use std::thread;

use vraagbaak::kb::KbError;
use vraagbaak::search::SearchError;

use crate::common::{engine, fixture_kb, valid_article};

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
