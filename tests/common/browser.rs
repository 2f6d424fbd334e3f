//! A headless Chromium for end-to-end tests, driven through chromedriver (WebDriver) with
//! fantoccini. Each `session()` is a separate browser profile: a separate person with their
//! own cookies. Needs Debian's `chromium` and `chromium-driver`, which `.ci/run` installs.
//!
//! On a machine without them the browser tests print one line and pass as skipped, so the
//! README's `cargo test` works on a fresh machine; `VRAAGBAAK_REQUIRE_BROWSER=1` (set by
//! `.ci/run`) turns that skip into a failure, so CI never skips. axe-core, for the
//! accessibility checks, follows the same rule.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

pub struct Browser {
    driver: Child,
    url: String,
    chromium: String,
    profiles: Vec<tempfile::TempDir>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Set to `1` where a missing browser or axe-core must fail the tests instead of skipping them.
pub const REQUIRE: &str = "VRAAGBAAK_REQUIRE_BROWSER";

fn required() -> bool {
    std::env::var(REQUIRE).is_ok_and(|v| v == "1")
}

/// `path` when that file exists. Otherwise a test that needs it skips, and `Err` says why; or,
/// where `required`, it fails.
pub fn locate(path: &str, what: &str, hint: &str, required: bool) -> Result<String, String> {
    if std::path::Path::new(path).exists() {
        return Ok(path.to_string());
    }
    let problem = format!("{what} not found at {path}; {hint}");
    assert!(!required, "{problem}; {REQUIRE}=1 forbids skipping");
    Err(format!("skipped: {problem}"))
}

/// The path in `env`, or `default`, as [`locate`] finds it with CI's requirement; `None`
/// after printing the skip line.
fn tool(env: &str, default: &str, what: &str, hint: &str) -> Option<String> {
    let path = std::env::var(env).unwrap_or_else(|_| default.to_string());
    locate(&path, what, &format!("{hint} (or set {env})"), required())
        .map_err(|line| say_once(&line))
        .ok()
}

/// Writes `line` to stderr once per test run. Straight to stderr: the test harness captures
/// `eprintln!` of passing tests, and a skip must be seen.
fn say_once(line: &str) {
    static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let mut said = SAID.lock().unwrap_or_else(|p| p.into_inner());
    if !said.iter().any(|s| s == line) {
        said.push(line.to_string());
        let _ = writeln!(std::io::stderr(), "{line}");
    }
}

const BROWSER_HINT: &str = "install Debian's chromium and chromium-driver, as .ci/run does";

/// axe-core's `axe.min.js`: `VRAAGBAAK_AXE_JS`, or where `.ci/run` installs it with npm.
/// `None` (after one line) when it is absent and CI did not require it.
pub fn axe_source() -> Option<String> {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/target/axe/node_modules/axe-core/axe.min.js"
    );
    let path = tool(
        "VRAAGBAAK_AXE_JS",
        default,
        "axe-core",
        "run the npm install line of .ci/run",
    )?;
    Some(std::fs::read_to_string(&path).expect("axe.min.js is readable"))
}

impl Browser {
    /// Starts chromedriver on a free port and waits until it accepts sessions; `None` (after
    /// one line) when Chromium or chromedriver is absent and CI did not require them.
    pub async fn start() -> Option<Browser> {
        let driver_path = tool(
            "CHROMEDRIVER",
            "/usr/bin/chromedriver",
            "chromedriver",
            BROWSER_HINT,
        )?;
        let chromium = tool("CHROMIUM", "/usr/bin/chromium", "Chromium", BROWSER_HINT)?;
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("addr")
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(15);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start listening"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Some(Browser {
            driver,
            url,
            chromium,
            profiles: Vec::new(),
        })
    }

    /// A new headless browser with an empty profile.
    pub async fn session(&mut self) -> Client {
        let chromium = self.chromium.clone();
        let profile = tempfile::tempdir().expect("profile dir");
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        self.profiles.push(profile);
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": chromium, "args": args }),
        );
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a new Chromium session")
    }
}

/// Waits until the element at `css` exists.
pub async fn wait_for(client: &Client, css: &str, timeout: Duration) -> Element {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            return element;
        }
        assert!(
            Instant::now() < deadline,
            "no element `{css}` after {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the text of the element at `css` contains `needle`; returns the text.
pub async fn wait_for_text(client: &Client, css: &str, needle: &str, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    let mut last = String::new();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text.contains(needle) {
                return text;
            }
            last = text;
        }
        assert!(
            Instant::now() < deadline,
            "`{css}` did not show {needle:?} within {timeout:?}; last text: {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the DOM property `prop` of the element at `css` equals `want`.
pub async fn wait_for_prop(client: &Client, css: &str, prop: &str, want: &str, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    let mut last = None;
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await
            && let Ok(value) = element.prop(prop).await
        {
            if value.as_deref() == Some(want) {
                return;
            }
            last = value;
        }
        assert!(
            Instant::now() < deadline,
            "`{css}`.{prop} was not {want:?} within {timeout:?}; last: {last:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element at `css`, which must be on the page.
pub async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("`{css}` is on the page"))
        .click()
        .await
        .unwrap_or_else(|_| panic!("`{css}` takes a click"));
}
