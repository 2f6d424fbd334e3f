//! An editor in a real browser: writes a new article, sees its problems next to the fields,
//! watches the live preview, saves, and finds the answer suggested on the knowledge-base
//! search and for a resident's question in /chat; a save over a colleague's change is refused
//! with the diff; the first version is restored. The editor (problems and conflict shown) and
//! history pages pass axe-core.

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

    // 4. A resident asks in the web chat; the agent's conversation suggests the new article.
    let resident = browser.session().await;
    resident
        .goto(&format!("{base}/chat"))
        .await
        .expect("chat page");
    let input = wait_for(&resident, ".vb-input", LIVE).await;
    input
        .send_keys("er ligt hondenpoep op de stoep bij de school")
        .await
        .expect("type");
    click(&resident, ".vb-send").await;
    editor.goto(&format!("{base}/inbox")).await.expect("inbox");
    wait_for_text(&editor, "#inbox-rows", "hondenpoep op de stoep", LIVE).await;
    click(&editor, "#inbox-rows a").await;
    wait_for(
        &editor,
        "#suggestions .suggestion[data-article=hondenpoep-melden]",
        LIVE,
    )
    .await;
    let _ = resident.close().await;

    // 5. A colleague changes the file while the editor has it open: the save is refused with
    // the difference, and nothing is overwritten.
    let path = kb.path().join("openbare-ruimte/hondenpoep-melden.md");
    let saved = std::fs::read_to_string(&path).expect("saved file");
    editor
        .goto(&format!("{base}/kb/articles/hondenpoep-melden"))
        .await
        .expect("editor");
    let theirs = saved.replace("of bel 14 0347", "of bel 14 0347 (ma-vr 8-17 uur)");
    std::fs::write(&path, &theirs).expect("a colleague's change");
    type_into(&editor, &question_row(4), "wie ruimt hondenpoep op").await;
    click(&editor, "button[value=publish]").await;
    wait_for_text(&editor, "#conflict-title", "iemand anders", LIVE).await;
    wait_for_text(&editor, "pre.diff", "ma-vr 8-17 uur", LIVE).await;
    wait_for_text(&editor, "pre.diff ins", "wie ruimt hondenpoep op", LIVE).await;
    audit.check(&editor, "kb-editor-conflict").await;
    assert_eq!(std::fs::read_to_string(&path).expect("file"), theirs);
    // Starting again from the newer version, the question is added to the colleague's text.
    click(
        &editor,
        ".conflict a[href='/kb/articles/hondenpoep-melden']",
    )
    .await;
    type_into(&editor, &question_row(4), "wie ruimt hondenpoep op").await;
    click(&editor, "button[value=publish]").await;
    wait_for_text(&editor, ".notice", "Opgeslagen", LIVE).await;
    let both = std::fs::read_to_string(&path).expect("file");
    assert!(both.contains("ma-vr 8-17 uur") && both.contains("wie ruimt hondenpoep op"));

    // 6. Its history, and the first version restored.
    editor
        .goto(&format!("{base}/kb/articles/hondenpoep-melden/history"))
        .await
        .expect("history");
    wait_for_text(&editor, ".revision", "gepubliceerd, nu in gebruik", LIVE).await;
    audit.check(&editor, "kb-history").await;
    click(&editor, "form[action$='/restore'] button").await;
    wait_for_text(&editor, ".notice", "De gekozen versie is hersteld", LIVE).await;
    assert_eq!(std::fs::read_to_string(&path).expect("file"), saved);

    audit.assert_clean();
    let _ = editor.close().await;
    let _ = stop.send(());
}
