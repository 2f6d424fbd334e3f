//! Accessibility checks in the browser: axe-core (pinned by `.ci/run`) is injected into the
//! page under test and run for WCAG 2.1 A/AA, WCAG 2.2 AA (target size) and axe's best
//! practices. Also saves screenshots, so a person can look at the pages that were checked.

use std::path::PathBuf;

use fantoccini::Client;
use serde::Deserialize;

/// The rule sets axe runs. WCAG 2.1 AA binds Dutch municipalities; target size (2.2) and the
/// best practices (one `h1`, heading order, named table headers) were asked for in review.
const TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// Runs axe with `TAGS` and hands back its violations, trimmed to what a failure should say.
const RUN: &str = r#"
const [tags, done] = [arguments[0], arguments[arguments.length - 1]];
axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
  .then((r) => done(r.violations.map((v) => ({
    id: v.id,
    impact: v.impact || 'unknown',
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }))))
  .catch((e) => done([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }]));
"#;

/// One rule the page breaks, with the elements that break it.
#[derive(Debug, Deserialize)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {} at {}",
            self.id,
            self.impact,
            self.help,
            self.targets.join(", ")
        )
    }
}

/// Injects axe (its source from `browser::axe_source`) and returns the page's violations.
pub async fn violations(client: &Client, axe: &str) -> Vec<Violation> {
    client.execute(axe, vec![]).await.expect("axe-core loads");
    let found = client
        .execute_async(RUN, vec![serde_json::json!(TAGS)])
        .await
        .expect("axe.run finishes");
    serde_json::from_value(found).expect("axe's violations")
}

/// The current page's violations as lines naming rule, impact and elements; empty when it
/// passes.
pub async fn problems(client: &Client, axe: &str, page: &str) -> Vec<String> {
    violations(client, axe)
        .await
        .iter()
        .map(|v| format!("{page}: {v}"))
        .collect()
}

/// Fails the test with the current page's violations, when axe-core is installed (without
/// it, `browser::axe_source` says why and this checks nothing).
pub async fn assert_accessible(client: &Client, page: &str) {
    if let Some(axe) = crate::common::browser::axe_source() {
        let found = problems(client, &axe, page).await;
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}

/// Saves a PNG of the current page as `target/screenshots/{name}.png` when
/// `VRAAGBAAK_SCREENSHOTS=1`; does nothing otherwise.
pub async fn screenshot(client: &Client, name: &str) {
    if !std::env::var("VRAAGBAAK_SCREENSHOTS").is_ok_and(|v| v == "1") {
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    let png = client.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
}
