//! End to end in real browsers: a resident asks in the web chat, two agents see it live, one
//! answers with a suggestion, and the resident sees the reply. Every test here skips with one
//! line where no browser is installed (see `common::browser`).

mod a11y;
mod editor;
mod gaps;
mod held;
mod reports;
mod whatsapp;

use std::time::Duration;

use fantoccini::{Client, Locator};
use vraagbaak::config::Config;
use vraagbaak::server::Server;
use vraagbaak::store::users::{self, Role};

use crate::common::browser::{Browser, click, locate, wait_for, wait_for_text};

const LIVE: Duration = Duration::from_secs(10);
const PASSWORD: &str = "wachtwoord-123";

/// The real server on a free port, with a fresh data dir and the sample knowledge base.
async fn start_server() -> (String, tokio::sync::oneshot::Sender<()>, tempfile::TempDir) {
    start_server_with(Config::default()).await
}

/// [`start_server`] with `config`'s other settings (WhatsApp, for one).
async fn start_server_with(
    config: Config,
) -> (String, tokio::sync::oneshot::Sender<()>, tempfile::TempDir) {
    start_server_over(config, &crate::common::sample_kb_dir()).await
}

/// [`start_server_with`] over the knowledge base in `kb` (a copy, where a test saves).
async fn start_server_over(
    mut config: Config,
    kb: &std::path::Path,
) -> (String, tokio::sync::oneshot::Sender<()>, tempfile::TempDir) {
    // Agents answer in this test, whatever the time of day.
    config.bot.mode = vraagbaak::config::BotMode::Off;
    start_server_with_bot(config, kb).await
}

/// [`start_server_over`] with the bot as `config` sets it.
async fn start_server_with_bot(
    mut config: Config,
    kb: &std::path::Path,
) -> (String, tokio::sync::oneshot::Sender<()>, tempfile::TempDir) {
    let data = tempfile::tempdir().expect("data dir");
    config.server.data = data.path().to_path_buf();
    config.server.kb = kb.to_path_buf();
    config.server.watch_kb = false;
    let server = Server::open(config).await.expect("server opens");
    let hash = users::hash_password(PASSWORD);
    server
        .state
        .chat
        .store
        .call(move |c| {
            for name in ["anna", "bram"] {
                users::add_user(c, name, Role::Agent, None, &hash).expect("agent added");
            }
            users::add_user(c, "beheer", Role::Admin, None, &hash).expect("admin added");
            Ok(())
        })
        .await
        .expect("store");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(listener, async move {
        let _ = stopped.await;
    }));
    (base, stop, data)
}

async fn log_in(browser: &Client, base: &str, name: &str) {
    browser
        .goto(&format!("{base}/login"))
        .await
        .expect("login page");
    browser
        .find(Locator::Css("input[name=name]"))
        .await
        .expect("name")
        .send_keys(name)
        .await
        .expect("type");
    browser
        .find(Locator::Css("input[name=password]"))
        .await
        .expect("password")
        .send_keys(PASSWORD)
        .await
        .expect("type");
    click(browser, "form button[type=submit]").await;
    wait_for(browser, "#inbox-rows", LIVE).await;
}

/// Residents ask `questions` in the web chat, each in a conversation of their own.
async fn residents_ask(base: &str, questions: &[&str]) {
    let client = reqwest::Client::new();
    for question in questions {
        let res = client
            .post(format!("{base}/api/v1/chat/messages"))
            .json(&serde_json::json!({ "text": question }))
            .send()
            .await
            .expect("the chat answers");
        assert_eq!(res.status(), 201);
    }
}

async fn resident_sends(resident: &Client, text: &str) {
    let input = wait_for(resident, ".vb-input", LIVE).await;
    input.send_keys(text).await.expect("type");
    click(resident, ".vb-send").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resident_question_is_answered_live_by_one_agent() {
    let (base, stop, _data) = start_server().await;
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let anna = browser.session().await;
    let bram = browser.session().await;
    let resident = browser.session().await;
    log_in(&anna, &base, "anna").await;
    log_in(&bram, &base, "bram").await;

    // 1. The resident opens the chat page and asks.
    resident
        .goto(&format!("{base}/chat"))
        .await
        .expect("chat page");
    wait_for_text(&resident, ".vb-privacy", "BSN", LIVE).await;
    resident_sends(&resident, "wanneer wordt het grofvuil opgehaald?").await;
    wait_for_text(
        &resident,
        ".vb-messages",
        "wanneer wordt het grofvuil opgehaald?",
        LIVE,
    )
    .await;

    // 2. Both dashboards show it live, without reloading.
    wait_for_text(&anna, "#inbox-rows", "grofvuil opgehaald", LIVE).await;
    wait_for_text(&bram, "#inbox-rows", "grofvuil opgehaald", LIVE).await;
    click(&anna, "#inbox-rows a").await;
    wait_for(
        &anna,
        "#suggestions .suggestion[data-article=grofvuil]",
        LIVE,
    )
    .await;
    click(&bram, "#inbox-rows a").await;
    wait_for_text(&bram, "#holder", "Nog niemand", LIVE).await;

    // 3. Anna takes it, uses the grofvuil suggestion and sends it.
    click(&anna, "#take").await;
    wait_for_text(&anna, "#holder", "U behandelt", LIVE).await;
    // 5. Bram sees live that Anna handles it.
    wait_for_text(&bram, "#holder", "anna behandelt dit gesprek", LIVE).await;

    click(&anna, "a.use[data-article=grofvuil]").await;
    let draft = anna
        .find(Locator::Css("#reply-text"))
        .await
        .expect("reply box")
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(
        draft.contains("Grofvuil laat u ophalen"),
        "Gebruik filled the reply box: {draft:?}"
    );
    click(&anna, "#send").await;
    wait_for_text(&anna, "#thread", "Grofvuil laat u ophalen", LIVE).await;

    // 4. The resident sees the reply arrive.
    wait_for_text(
        &resident,
        ".vb-messages .vb-out",
        "Grofvuil laat u ophalen",
        LIVE,
    )
    .await;

    // The reply shows as the web chat renders Markdown: bold, lists and the article's links,
    // on the resident's side and in the agents' thread alike.
    wait_for(&resident, ".vb-messages .vb-out strong", LIVE).await;
    wait_for(&resident, ".vb-messages .vb-out li", LIVE).await;
    wait_for(
        &resident,
        ".vb-messages .vb-out a[href$='/milieustraat'][target=_blank]",
        LIVE,
    )
    .await;
    let shown = resident
        .find(Locator::Css(".vb-messages .vb-out .vb-text"))
        .await
        .expect("the reply")
        .text()
        .await
        .expect("its text");
    assert!(!shown.contains("**") && !shown.contains("]("), "{shown}");
    wait_for(&anna, "#thread .msg.out .text.rendered strong", LIVE).await;

    // 6. Markup in a resident message stays text and runs nothing.
    let attack = "<script>alert(1)</script><img src=x onerror=\"window.hacked=1\">";
    resident_sends(&resident, attack).await;
    wait_for_text(&resident, ".vb-messages", "<script>alert(1)</script>", LIVE).await;
    wait_for_text(&anna, "#thread", "<script>alert(1)</script>", LIVE).await;
    bram.refresh().await.expect("reload");
    wait_for_text(&bram, "#thread", "onerror=", LIVE).await;
    for page in [&resident, &anna, &bram] {
        assert!(page.get_alert_text().await.is_err(), "no alert may be open");
        let hacked = page
            .execute("return window.hacked === undefined", vec![])
            .await
            .expect("script");
        assert_eq!(
            hacked,
            serde_json::json!(true),
            "the injected handler did not run"
        );
    }

    // The conversation survives a reload of the resident's page.
    resident.refresh().await.expect("reload");
    wait_for_text(&resident, ".vb-messages", "Grofvuil laat u ophalen", LIVE).await;

    for session in [anna, bram, resident] {
        let _ = session.close().await;
    }
    let _ = stop.send(());
}

#[test]
fn a_missing_browser_skips_locally() {
    let found = locate("/nonexistent/chromium", "Chromium", "install it", false);
    assert_eq!(
        found,
        Err("skipped: Chromium not found at /nonexistent/chromium; install it".into())
    );
}

#[test]
#[should_panic(expected = "VRAAGBAAK_REQUIRE_BROWSER=1 forbids skipping")]
fn a_missing_browser_fails_where_ci_requires_it() {
    let _ = locate("/nonexistent/chromium", "Chromium", "install it", true);
}
