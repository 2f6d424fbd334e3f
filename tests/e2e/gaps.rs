//! The gap report in a browser: an editor opens "Hiaten", the page passes axe, and "Voeg toe
//! als voorbeeldvraag" adds a resident's question to an article, which then answers it.

use vraagbaak::config::Config;

use super::{LIVE, log_in, residents_ask, start_server_over, start_server_with_bot};
use crate::common::axe::{assert_accessible, screenshot};
use crate::common::browser::{Browser, click, wait_for, wait_for_text};
use crate::common::{copy_dir, sample_kb_dir};

const QUESTIONS: [&str; 3] = [
    "mag ik met mijn drone vliegen boven het park",
    "is drone vliegen toegestaan in de stad?",
    "welke regels gelden er voor een drone in de gemeente",
];

/// A browser session of the admin, on the gap report.
async fn editor_on_gaps(browser: &mut Browser, base: &str) -> fantoccini::Client {
    let editor = browser.session().await;
    log_in(&editor, base, "beheer").await;
    editor
        .goto(&format!("{base}/kb/gaps"))
        .await
        .expect("gaps page");
    editor
}

/// A copy of the sample knowledge base for the server to save into.
fn sample_kb_copy() -> tempfile::TempDir {
    let kb = tempfile::tempdir().expect("kb dir");
    copy_dir(&sample_kb_dir(), kb.path());
    kb
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_adds_a_gap_question_to_an_article() {
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let kb = sample_kb_copy();
    let (base, stop, _data) = start_server_over(Config::default(), kb.path()).await;
    // Residents ask in the web chat; with the bot off, nobody answers yet.
    residents_ask(&base, &QUESTIONS).await;

    let editor = editor_on_gaps(&mut browser, &base).await;
    wait_for_text(&editor, ".gap-group h2", "drone", LIVE).await;
    screenshot(&editor, "kb-gaps").await;
    assert_accessible(&editor, "kb gaps").await;

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

/// A resident said "nee" to the bot's answer: the editor lists the question as one that
/// article does not answer with the button for that article (never proposed for its example
/// questions), the page passing axe, and the question lands in the article's `not_answered`
/// and stays in the report, marked done, until it gets an answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_lists_a_question_the_resident_said_nee_to() {
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let kb = sample_kb_copy();
    let mut config = Config::default();
    config.bot.mode = vraagbaak::config::BotMode::Always;
    let (base, stop, _data) = start_server_with_bot(config, kb.path()).await;
    let question = "hoeveel hondenbelasting betaal ik per jaar";
    let client = reqwest::Client::new();
    let mut token = None;
    for text in [question, "nee"] {
        let mut body = serde_json::json!({ "text": text });
        if let Some(t) = &token {
            body["token"] = serde_json::Value::String(String::clone(t));
        }
        let res = (client.post(format!("{base}/api/v1/chat/messages")))
            .json(&body)
            .send()
            .await
            .expect("the chat answers");
        assert_eq!(res.status(), 201);
        let answer: serde_json::Value = res.json().await.expect("json");
        token = answer["token"].as_str().map(str::to_string);
    }

    let editor = editor_on_gaps(&mut browser, &base).await;
    let listed = wait_for_text(&editor, ".gap-group", question, LIVE).await;
    assert!(
        listed.contains(
            "Voeg toe als vraag die Hondenbelasting: hond aanmelden of afmelden niet beantwoordt"
        ),
        "{listed}"
    );
    assert!(
        !listed.contains("Voeg toe als voorbeeldvraag aan Hondenbelasting"),
        "{listed}"
    );
    screenshot(&editor, "kb-gaps-declined").await;
    assert_accessible(&editor, "kb gaps, declined").await;
    click(&editor, ".gap-add button[value=not_answered]").await;
    wait_for_text(
        &editor,
        ".notice",
        "De vraag staat nu bij hondenbelasting als vraag die het artikel niet beantwoordt",
        LIVE,
    )
    .await;
    // It stays, marked done, until it gets an answer.
    wait_for_text(&editor, ".gap-listed", "✓ Staat bij Hondenbelasting", LIVE).await;
    assert_accessible(&editor, "kb gaps, listed").await;
    let file = std::fs::read_to_string(kb.path().join("belastingen/hondenbelasting.md"))
        .expect("the article");
    let list = &file[file.find("not_answered").expect("the list")..];
    assert!(list.contains(question), "{file}");
    let _ = editor.close().await;
    let _ = stop.send(());
}
