//! The gap report in a browser: an editor opens "Hiaten", the page passes axe, and "Voeg toe
//! als voorbeeldvraag" adds a resident's question to an article, which then answers it.

use vraagbaak::config::Config;

use super::{LIVE, log_in, residents_ask, start_server_over};
use crate::common::axe::{problems, screenshot};
use crate::common::browser::{Browser, axe_source, click, wait_for, wait_for_text};
use crate::common::{copy_dir, sample_kb_dir};

const QUESTIONS: [&str; 3] = [
    "mag ik met mijn drone vliegen boven het park",
    "is drone vliegen toegestaan in de stad?",
    "welke regels gelden er voor een drone in de gemeente",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_adds_a_gap_question_to_an_article() {
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let kb = tempfile::tempdir().expect("kb dir");
    copy_dir(&sample_kb_dir(), kb.path());
    let (base, stop, _data) = start_server_over(Config::default(), kb.path()).await;
    // Residents ask in the web chat; with the bot off, nobody answers yet.
    residents_ask(&base, &QUESTIONS).await;

    let editor = browser.session().await;
    log_in(&editor, &base, "beheer").await;
    editor
        .goto(&format!("{base}/kb/gaps"))
        .await
        .expect("gaps page");
    wait_for_text(&editor, ".gap-group h2", "drone", LIVE).await;
    screenshot(&editor, "kb-gaps").await;
    if let Some(axe) = axe_source() {
        let found = problems(&editor, &axe, "kb gaps").await;
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    // Another article than the nearest one: the editor types its id.
    let input = wait_for(&editor, ".gap-add input[name=article]", LIVE).await;
    input.clear().await.expect("clear");
    input
        .send_keys("evenementenvergunning")
        .await
        .expect("type");
    click(&editor, ".gap-add button").await;
    wait_for_text(
        &editor,
        ".notice",
        "toegevoegd aan evenementenvergunning",
        LIVE,
    )
    .await;
    let page = editor.source().await.expect("page source");
    assert_eq!(
        QUESTIONS.iter().filter(|q| page.contains(*q)).count(),
        2,
        "the added question left the list"
    );
    let file = std::fs::read_to_string(kb.path().join("vergunningen/evenementenvergunning.md"))
        .expect("the article");
    assert_eq!(
        QUESTIONS.iter().filter(|q| file.contains(*q)).count(),
        1,
        "one question added to the file"
    );
    let _ = editor.close().await;
    let _ = stop.send(());
}
