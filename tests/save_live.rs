//! Save-to-live: an editor's save replaces its one article in the live index before the save
//! returns, and the exact rebuild of the whole knowledge base follows in the background.
//! Readers never see a half-updated snapshot, the update in place suggests what a rebuild
//! suggests, and the watcher's reload finds the save already in service.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use vraagbaak::chat::editing::{Edit, Edited};
use vraagbaak::kb::{self, KnowledgeBase, write};
use vraagbaak::search::{Engine, Snapshot, today};

use crate::common::app::{TestApp, editing_app};
use crate::common::{copy_dir, fixture_kb, sample_kb_dir, settings, valid_article};

/// The ids and scores of the best five suggestions for each example question of every
/// article.
fn rankings(snapshot: &Snapshot) -> Vec<(String, Vec<(String, f32)>)> {
    (snapshot.articles.iter())
        .flat_map(|article| article.questions.iter())
        .map(|question| {
            let found = snapshot.suggest(question, 5, today());
            let ids = (found.suggestions.into_iter())
                .map(|s| (s.id, s.score))
                .collect();
            (question.clone(), ids)
        })
        .collect()
}

/// The messages whose suggestions (ids and order) differ between `a` and `b`.
fn differences(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    (rankings(a).into_iter().zip(rankings(b)))
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{:?}: {:?} vs {:?}", a.0, a.1, b.1))
        .collect()
}

/// `article` with its title said once more at the end of its answer: new text, no new words.
fn repeated_title(article: &kb::Article) -> kb::Article {
    let mut edited = article.clone();
    edited.body = format!("{}\n\n{}", edited.body, edited.title);
    edited
}

/// `before` (built from `kb`) with the article at `ord` replaced by `article`: in place, and
/// by a full build of the edited knowledge base.
fn edited_both_ways(
    kb: &KnowledgeBase,
    before: &Snapshot,
    ord: usize,
    article: kb::Article,
) -> (Snapshot, Snapshot) {
    let in_place = before
        .with_article(article.clone(), None)
        .expect("in place");
    let mut edited = kb.clone();
    edited.articles[ord] = article;
    let rebuilt = Snapshot::build(&edited, &settings()).expect("builds");
    (in_place, rebuilt)
}

/// Edits several articles of the sample KB without new vocabulary, in place and by a full
/// build: every article's example questions get the same suggestions in the same order.
#[test]
fn edits_in_place_suggest_what_a_full_rebuild_suggests_on_the_sample_kb() {
    let kb = kb::load(&sample_kb_dir()).expect("the sample KB is valid");
    let mut snapshot = Snapshot::build(&kb, &settings()).expect("builds");
    let mut edited = KnowledgeBase {
        content_hash: None,
        ..kb.clone()
    };
    for ord in (0..kb.articles.len()).step_by(7) {
        let article = repeated_title(&kb.articles[ord]);
        edited.articles[ord] = article.clone();
        snapshot = snapshot.with_article(article, None).expect("in place");
    }
    assert!(!snapshot.exact);
    let rebuilt = Snapshot::build(&edited, &settings()).expect("builds");
    let differ = differences(&snapshot, &rebuilt);
    assert!(differ.is_empty(), "{} differ: {differ:#?}", differ.len());
    // The edits were real: the edited articles now carry their title in the answer.
    assert_eq!(snapshot.shown[0].answer, rebuilt.shown[0].answer);
    assert_ne!(
        snapshot.shown[0].answer,
        Snapshot::build(&kb, &settings()).expect("builds").shown[0].answer
    );
}

/// The same on a small constructed knowledge base, with an article whose words change.
#[test]
fn an_edit_in_place_suggests_what_a_full_rebuild_suggests_on_a_small_kb() {
    let fixture = fixture_kb();
    let kb = kb::load(fixture.path()).expect("valid");
    let before = Snapshot::build(&kb, &settings()).expect("builds");
    let ord = before.ord("container-kapot").expect("known");
    let mut article = kb.articles[ord].clone();
    article
        .questions
        .push("de kerstboom past niet in de container".into());
    let (in_place, rebuilt) = edited_both_ways(&kb, &before, ord, article);
    assert!(differences(&in_place, &rebuilt).is_empty());
    let matched = |s: &Snapshot| {
        let found = s.suggest("kerstboom in de container", 5, today());
        let article = found
            .suggestions
            .into_iter()
            .find(|s| s.id == "container-kapot");
        article.expect("suggested").matched
    };
    assert!(matched(&in_place).iter().any(|w| w == "kerstboom"));
    assert!(!matched(&before).iter().any(|w| w == "kerstboom"));
}

/// The knowledge base's own street names (place names in any case) follow an edit in place:
/// a street the edit takes out is gone unless another article names it, a new one is in.
#[test]
fn an_edit_in_place_knows_the_streets_a_full_rebuild_knows() {
    let kb = kb::load(&sample_kb_dir()).expect("the sample KB is valid");
    let before = Snapshot::build(&kb, &settings()).expect("builds");
    assert!(before.streets.contains("lindelaan"));
    let ord = before.ord("begraven").expect("known");
    let mut article = kb.articles[ord].clone();
    article.body = article.body.replace("Lindelaan 2", "Eikenlaan 2");
    let (in_place, rebuilt) = edited_both_ways(&kb, &before, ord, article);
    assert_eq!(in_place.streets, rebuilt.streets);
    assert!(in_place.streets.contains("eikenlaan"));
    assert!(!in_place.streets.contains("lindelaan"));
}

/// Saves through the chat service, as the editor and the API do.
async fn save(app: &TestApp, id: &str, source: &str, expected: write::Expected) -> Edited {
    let edited = (app.state.chat)
        .save_article(Edit {
            id,
            source,
            expected,
            author: "eva",
            comment: "",
            draft: false,
        })
        .await
        .expect("saved");
    assert!(
        matches!(edited.reload, Some(Ok(ref r)) if r.changed),
        "{:?}",
        edited.reload
    );
    edited
}

fn top_id(engine: &Engine, message: &str) -> Option<String> {
    engine.suggest(message, 1).top().map(|s| s.id.clone())
}

#[tokio::test]
async fn saved_articles_are_suggested_when_the_save_returns_and_archived_ones_are_gone() {
    let kb = fixture_kb();
    let app = editing_app(kb.path()).await;
    let engine = app.state.chat.engine.clone();
    let glas = valid_article(
        "Glasbak",
        &["glasbak vol", "waar is de glasbak", "glas weggooien"],
        "afval",
        "",
    );
    save(&app, "glas", &glas, write::Expected::New).await;
    assert_eq!(top_id(&engine, "de glasbak is vol"), Some("glas".into()));

    let current = write::read(kb.path(), "container-kapot")
        .expect("read")
        .expect("there");
    let changed = valid_article(
        "Zwerfvuil melden",
        &[
            "zwerfvuil op straat",
            "troep in het park",
            "zwerfvuil melden",
        ],
        "afval",
        "",
    );
    let edited = save(
        &app,
        "container-kapot",
        &changed,
        write::Expected::Version(current.version),
    )
    .await;
    assert_eq!(
        top_id(&engine, "zwerfvuil in het park"),
        Some("container-kapot".into())
    );
    let old = engine.suggest("wieltjes van de bak zijn stuk", 3);
    assert!(
        old.suggestions.iter().all(|s| s.id != "container-kapot"),
        "the old text no longer matches: {:?}",
        old.suggestions.iter().map(|s| &s.id).collect::<Vec<_>>()
    );

    (app.state.chat)
        .archive_article("container-kapot", &edited.version, "eva", "")
        .await
        .expect("archived");
    let snapshot = engine.snapshot();
    assert!(snapshot.article("container-kapot").is_none());
    assert_ne!(
        top_id(&engine, "zwerfvuil in het park"),
        Some("container-kapot".into())
    );
    engine.settle();
    assert_eq!(top_id(&engine, "de glasbak is vol"), Some("glas".into()));
}

/// What a reader checks in each snapshot it takes: every article is in the index exactly
/// once and the new articles are searchable exactly when they are in `articles`.
fn check(snapshot: &Snapshot, new: &[(String, String)]) -> Result<(), String> {
    let n = snapshot.articles.len();
    let docs = snapshot.index.searcher.num_docs() as usize;
    if docs != n || snapshot.shown.len() != n || snapshot.aspects.len() != n {
        return Err(format!(
            "{n} articles, {docs} documents, {} shown",
            snapshot.shown.len()
        ));
    }
    for (id, word) in new {
        let listed = snapshot.article(id).is_some();
        let found = snapshot
            .suggest(word, 1, today())
            .top()
            .map(|s| s.id.clone());
        if listed != (found.as_deref() == Some(id.as_str())) {
            return Err(format!("{id}: listed {listed}, found {found:?}"));
        }
    }
    Ok(())
}

#[test]
fn readers_never_see_a_half_updated_snapshot() {
    let kb = fixture_kb();
    let engine = Arc::new(crate::common::engine(&kb));
    let new: Vec<(String, String)> = ["vlonder", "steiger", "dakkapel", "schutting", "carport"]
        .iter()
        .map(|word| (format!("{word}-vergunning"), format!("{word}vergunning")))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (engine, stop, new) = (engine.clone(), stop.clone(), new.clone());
        thread::spawn(move || {
            let mut checked = 0;
            while !stop.load(Ordering::Relaxed) {
                check(&engine.snapshot(), &new)?;
                checked += 1;
            }
            Ok::<usize, String>(checked)
        })
    };
    for (id, word) in &new {
        let text = valid_article(
            &format!("Vergunning voor een {word}"),
            &[
                word,
                &format!("mag ik een {word} plaatsen"),
                &format!("{word} aanvragen"),
            ],
            "wonen",
            "",
        );
        let path = kb.write(&format!("wonen/{id}.md"), &text);
        engine.article_saved(&path, None).expect("in place");
        assert_eq!(
            top_id(&engine, word),
            Some(id.clone()),
            "live when it returns"
        );
    }
    engine.settle();
    stop.store(true, Ordering::Relaxed);
    let checked = reader
        .join()
        .expect("reader")
        .expect("consistent snapshots");
    assert!(checked > 0);
    check(&engine.snapshot(), &new).expect("consistent at the end");
}

#[test]
fn the_exact_rebuild_follows_and_equals_a_fresh_build() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&sample_kb_dir(), dir.path());
    let engine = Arc::new(Engine::open(dir.path(), settings()).expect("valid"));
    let first = engine.snapshot().articles[0].clone();
    let current = write::read(dir.path(), &first.id)
        .expect("read")
        .expect("there");
    let source = current.source.replacen("+++\n", "+++\n# bewerkt\n", 1);
    let saved = write::save(
        dir.path(),
        &first.id,
        &source,
        write::Expected::Version(current.version.clone()),
    )
    .expect("saved");
    let report = engine
        .article_saved(&saved.path, Some((&current.path, &current.version)))
        .expect("in place");
    assert!(report.changed);
    engine.settle();
    let snapshot = engine.snapshot();
    assert!(snapshot.exact, "the exact rebuild is in service");
    assert_eq!(engine.exact_rebuild_count(), 1);
    let fresh =
        Snapshot::build(&kb::load(dir.path()).expect("valid"), &settings()).expect("builds");
    let ids = |s: &Snapshot| s.articles.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&snapshot), ids(&fresh));
    assert_eq!(snapshot.content_hash, fresh.content_hash);
    let differ = differences(&snapshot, &fresh);
    assert!(differ.is_empty(), "{differ:#?}");
}

/// The content hash after an update in place is that of the files on disk, so the watcher's
/// reload after an editor's save keeps the snapshot; a change on disk is still picked up.
#[test]
fn the_reload_after_a_save_in_place_finds_nothing_new_but_a_disk_edit_is_picked_up() {
    let kb = fixture_kb();
    let engine = Arc::new(crate::common::engine(&kb));
    let current = write::read(kb.path(), "kerstbomen")
        .expect("read")
        .expect("there");
    let moved = current
        .source
        .replace("tags = [\"afval\"]", "tags = [\"wonen\"]");
    let saved = write::save(
        kb.path(),
        "kerstbomen",
        &moved,
        write::Expected::Version(current.version.clone()),
    )
    .expect("saved");
    assert!(saved.moved_from.is_some(), "a new category moves the file");
    engine
        .article_saved(&saved.path, Some((&current.path, &current.version)))
        .expect("in place");
    let on_disk = kb::load(kb.path()).expect("valid").content_hash;
    assert_eq!(engine.snapshot().content_hash, on_disk);
    let in_service = engine.snapshot();
    assert!(!engine.reload().expect("reloads").changed);
    assert!(Arc::ptr_eq(&in_service, &engine.snapshot()) || engine.snapshot().exact);
    drop(in_service);
    engine.settle();
    kb.write(
        "afval/glas.md",
        &valid_article(
            "Glasbak",
            &["glasbak vol", "waar is de glasbak", "glas weggooien"],
            "afval",
            "",
        ),
    );
    assert!(
        engine.reload().expect("reloads").changed,
        "a disk edit is new"
    );
    assert_eq!(top_id(&engine, "de glasbak is vol"), Some("glas".into()));
}
