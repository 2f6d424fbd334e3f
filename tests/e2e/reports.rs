//! The reports page in a browser: a team lead logs in, opens "Rapportages", sees the SVG charts
//! with their titles, downloads a CSV through the page's own link, and the page passes axe.

use vraagbaak::store::Store;
use vraagbaak::store::users::{self, Role};

use super::{LIVE, PASSWORD, log_in, residents_ask, start_server};
use crate::common::axe::{assert_accessible, screenshot};
use crate::common::browser::{Browser, wait_for};

const QUESTIONS: [&str; 3] = [
    "mijn paspoort is verlopen, wat moet ik doen",
    "wanneer wordt de groene container geleegd",
    "hoeveel kost een parkeervergunning",
];

/// Fetches `href` with the page's own cookies: (content type, body).
const FETCH: &str = r#"
const [href, done] = [arguments[0], arguments[arguments.length - 1]];
fetch(href).then(async (r) => done([r.headers.get('content-type'), await r.text()]))
  .catch((e) => done(['error', String(e)]));
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teamleider_sees_the_charts_and_downloads_a_csv() {
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let (base, stop, data) = start_server().await;
    let hash = users::hash_password(PASSWORD);
    Store::open(data.path())
        .expect("the server's store")
        .call(move |c| {
            users::add_user(c, "tessa", Role::Teamleider, None, &hash).expect("team lead");
            Ok(())
        })
        .await
        .expect("store");
    residents_ask(&base, &QUESTIONS).await;

    let lead = browser.session().await;
    log_in(&lead, &base, "tessa").await;
    lead.goto(&format!("{base}/rapportages"))
        .await
        .expect("reports page");
    wait_for(&lead, "figure.chart svg[role=img]", LIVE).await;
    let titles = lead
        .execute(
            "return [...document.querySelectorAll('svg[role=img] > title')].map(t => t.textContent)",
            vec![],
        )
        .await
        .expect("titles");
    let titles: Vec<String> = serde_json::from_value(titles).expect("strings");
    for expected in [
        "Nieuwe gesprekken per dag",
        "Berichten van inwoners per weekdag en uur",
    ] {
        assert!(titles.iter().any(|t| t == expected), "{titles:?}");
    }
    let key_figures = wait_for(&lead, ".key-figures", LIVE)
        .await
        .text()
        .await
        .expect("text");
    assert!(key_figures.contains("3 nieuwe gesprekken"), "{key_figures}");

    let href = wait_for(&lead, "a[href^='/rapportages/gesprekken.csv']", LIVE)
        .await
        .attr("href")
        .await
        .expect("attr")
        .expect("the link has an href");
    let fetched = lead
        .execute_async(FETCH, vec![serde_json::json!(href)])
        .await
        .expect("fetch");
    let (content_type, body): (String, String) = serde_json::from_value(fetched).expect("pair");
    assert_eq!(content_type, "text/csv; charset=utf-8", "{body}");
    let mut lines = body.lines();
    assert_eq!(
        lines.next(),
        Some("id,channel,started,first_response,resolved,labels,department,bot_handled,helpful")
    );
    assert_eq!(lines.count(), 3, "one row per conversation");

    screenshot(&lead, "reports").await;
    assert_accessible(&lead, "reports").await;
    let _ = lead.close().await;
    let _ = stop.send(());
}
