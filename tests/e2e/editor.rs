//! An editor in a real browser: writes a new article, sees its problems next to the fields,
//! watches the live preview, saves, and finds the answer suggested on the knowledge-base
//! search. The editor and history pages pass axe-core, problems shown included.

use fantoccini::{Client, Locator};
use vraagbaak::config::Config;

use super::a11y::Audit;
use super::{LIVE, log_in, start_server_over};
use crate::common::browser::{click, wait_for, wait_for_text};
use crate::common::{copy_dir, sample_kb_dir};

async fn type_into(client: &Client, css: &str, text: &str) {
    wait_for(client, css, LIVE)
        .await
        .send_keys(text)
        .await
        .expect("type");
}

fn question_row(n: usize) -> String {
    format!("ol[data-name=questions] li:nth-child({n}) input")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_writes_an_article_previews_it_saves_it_and_finds_it_suggested() {
    let Some((mut audit, mut browser)) = Audit::start().await else {
        return;
    };
    let kb = tempfile::tempdir().expect("kb dir");
    copy_dir(&sample_kb_dir(), kb.path());
    let (base, stop, _data) = start_server_over(Config::default(), kb.path()).await;
    let editor = browser.session().await;
    log_in(&editor, &base, "beheer").await;

    // 1. A first try with too few questions and no category: the problems sit at their fields.
    editor
        .goto(&format!("{base}/kb/articles/new"))
        .await
        .expect("new article");
    type_into(&editor, "#f-title", "Hondenpoep melden").await;
    type_into(&editor, &question_row(1), "er ligt hondenpoep op de stoep").await;
    type_into(&editor, &question_row(2), "waar meld ik hondenpoep").await;
    type_into(
        &editor,
        "#f-body",
        "Meld **hondenpoep** via de app Buiten Beter of bel 14 0347.",
    )
    .await;
    // The live preview follows the typing, without a round trip.
    wait_for(&editor, "#preview .answer strong", LIVE).await;
    wait_for_text(&editor, "#word-count", "11 van de maximaal", LIVE).await;
    wait_for_text(&editor, "#preview .new-id code", "hondenpoep-melden", LIVE).await;
    click(&editor, "button[value=publish]").await;
    wait_for_text(&editor, "#err-questions", "minstens 3 nodig", LIVE).await;
    wait_for(&editor, "#err-tags", LIVE).await;
    audit.check(&editor, "kb-editor-problems").await;

    // 2. Fixed and saved.
    type_into(&editor, &question_row(3), "hondenpoep in het speeltuintje").await;
    type_into(
        &editor,
        "ol[data-name=tags] li:nth-child(1) input",
        "openbare-ruimte",
    )
    .await;
    editor
        .find(Locator::Css("#f-department"))
        .await
        .expect("department")
        .select_by_value("Openbare Ruimte")
        .await
        .expect("choose department");
    click(&editor, "button[value=preview]:not(.visually-hidden)").await;
    wait_for_text(&editor, "#preview .new-id code", "hondenpoep-melden", LIVE).await;
    audit.check(&editor, "kb-editor").await;
    click(&editor, "button[value=publish]").await;
    wait_for_text(
        &editor,
        ".notice",
        "Opgeslagen; het antwoord wordt nu voorgesteld.",
        LIVE,
    )
    .await;
    assert!(
        kb.path()
            .join("openbare-ruimte/hondenpoep-melden.md")
            .is_file()
    );

    // 3. Suggested on the knowledge-base search.
    editor
        .goto(&format!("{base}/kb?q=hondenpoep+op+de+stoep"))
        .await
        .expect("kb search");
    wait_for_text(
        &editor,
        ".results .suggestion h2",
        "Hondenpoep melden",
        LIVE,
    )
    .await;

    // 4. Its history.
    editor
        .goto(&format!("{base}/kb/articles/hondenpoep-melden/history"))
        .await
        .expect("history");
    wait_for_text(&editor, ".revision", "gepubliceerd, nu in gebruik", LIVE).await;
    audit.check(&editor, "kb-history").await;

    audit.assert_clean();
    let _ = editor.close().await;
    let _ = stop.send(());
}
