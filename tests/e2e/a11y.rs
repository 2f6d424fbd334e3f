//! Every page a resident or agent sees passes axe-core: the login form, the inbox, a
//! conversation (with a proposal for the knowledge base sent, and put on hold by a lead), the knowledge base with results,
//! the review queue of proposals, the admin page, the 404 page and the public chat page with
//! the widget open.

use fantoccini::key::Key;
use fantoccini::{Client, Locator};

use super::{LIVE, log_in, resident_sends, start_server};
use crate::common::axe::{problems, screenshot};
use crate::common::browser::{Browser, axe_source, click, wait_for, wait_for_prop, wait_for_text};

/// Every page's violations, so one run names them all.
pub(super) struct Audit {
    pub(super) axe: String,
    pub(super) found: Vec<String>,
}

impl Audit {
    /// axe-core and a browser, or `None` (after one `skipped:` line) where either is absent
    /// and CI did not require them.
    pub(super) async fn start() -> Option<(Audit, Browser)> {
        let axe = axe_source()?;
        let browser = Browser::start().await?;
        let audit = Audit {
            axe,
            found: Vec::new(),
        };
        Some((audit, browser))
    }

    /// Checks the page `client` shows now and saves its screenshot as `name`.
    pub(super) async fn check(&mut self, client: &Client, name: &str) {
        screenshot(client, name).await;
        self.found.extend(problems(client, &self.axe, name).await);
    }

    /// Fails with every violation found on every page checked.
    pub(super) fn assert_clean(&self) {
        assert!(
            self.found.is_empty(),
            "{} accessibility violation(s):\n  {}",
            self.found.len(),
            self.found.join("\n  ")
        );
    }
}

/// WCAG 3.2.2: choosing an inbox filter with the arrow keys changes it without leaving the
/// page; the Filter button applies it.
async fn inbox_filters_wait_for_their_button(client: &Client) {
    client
        .execute("window.stayed = true", vec![])
        .await
        .expect("script");
    client
        .find(Locator::Css("input[name=scope][value=open]"))
        .await
        .expect("scope Open")
        .send_keys(&Key::Right.to_string())
        .await
        .expect("arrow key");
    wait_for_prop(
        client,
        "input[name=scope][value=mine]",
        "checked",
        "true",
        LIVE,
    )
    .await;
    let stayed = client
        .execute("return window.stayed === true", vec![])
        .await
        .expect("script");
    assert_eq!(
        stayed,
        serde_json::json!(true),
        "an arrow key left the inbox"
    );
    click(client, "#filters button[type=submit]").await;
    wait_for_prop(
        client,
        "input[name=scope][value=mine]",
        "defaultChecked",
        "true",
        LIVE,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_passes_axe_core() {
    let Some((mut audit, mut browser)) = Audit::start().await else {
        return;
    };
    let (base, stop, _data) = start_server().await;
    let resident = browser.session().await;
    let admin = browser.session().await;

    resident.goto(&format!("{base}/chat")).await.expect("chat");
    wait_for_text(&resident, ".vb-privacy", "BSN", LIVE).await;
    audit.check(&resident, "chat-widget-open").await;
    resident_sends(&resident, "wanneer wordt het grofvuil opgehaald?").await;
    wait_for(&resident, ".vb-messages .vb-msg", LIVE).await;
    audit.check(&resident, "chat-widget-asked").await;

    admin.goto(&format!("{base}/login")).await.expect("login");
    wait_for(&admin, "input[name=name]", LIVE).await;
    audit.check(&admin, "login").await;
    log_in(&admin, &base, "beheer").await;
    wait_for_text(&admin, "#inbox-rows", "grofvuil opgehaald", LIVE).await;
    audit.check(&admin, "inbox").await;
    inbox_filters_wait_for_their_button(&admin).await;

    admin
        .goto(&format!("{base}/conversations/1"))
        .await
        .expect("conversation");
    wait_for(
        &admin,
        "#suggestions .suggestion[data-article=grofvuil]",
        LIVE,
    )
    .await;
    // The other cards name what their article leaves out ("Niet in dit artikel: grofvuil").
    wait_for(&admin, "#suggestions .unexplained", LIVE).await;
    audit.check(&admin, "conversation").await;

    admin
        .goto(&format!("{base}/kb?q=grofvuil"))
        .await
        .expect("kb");
    wait_for(&admin, ".results .suggestion", LIVE).await;
    audit.check(&admin, "kb").await;

    // An agent's proposal from the conversation, and the editors' review queue.
    admin
        .goto(&format!("{base}/conversations/1"))
        .await
        .expect("conversation");
    click(&admin, "#voorstel summary").await;
    wait_for(&admin, "#voorstel input[name=article]", LIVE)
        .await
        .send_keys("grofvuil")
        .await
        .expect("type");
    click(&admin, "#voorstel button[type=submit]").await;
    wait_for(&admin, "#voorstel .notice", LIVE).await;
    audit.check(&admin, "conversation-proposed").await;
    // A lead's "Niet vernietigen": the archive box open with the hold.
    click(&admin, "#archief summary").await;
    wait_for(&admin, "#archive-reason", LIVE)
        .await
        .send_keys("Woo-verzoek 2026-14")
        .await
        .expect("type");
    click(&admin, "#archive-hold").await;
    wait_for_text(&admin, "#archive-destroy", "Woo-verzoek 2026-14", LIVE).await;
    audit.check(&admin, "conversation-archive-held").await;
    admin
        .goto(&format!("{base}/kb/proposals"))
        .await
        .expect("proposals");
    wait_for_text(&admin, "form.proposals", "grofvuil", LIVE).await;
    audit.check(&admin, "kb-proposals").await;

    admin.goto(&format!("{base}/admin")).await.expect("admin");
    wait_for(&admin, "form[action='/admin/keys']", LIVE).await;
    audit.check(&admin, "admin").await;

    admin
        .goto(&format!("{base}/bestaat-niet"))
        .await
        .expect("404");
    wait_for(&admin, "h1", LIVE).await;
    audit.check(&admin, "not-found").await;

    audit.assert_clean();
    for session in [resident, admin] {
        let _ = session.close().await;
    }
    let _ = stop.send(());
}
