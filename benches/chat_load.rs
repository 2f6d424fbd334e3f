//! Load for the resident chat: inbound messages at a fixed rate while agents' dashboards
//! follow the live event stream. Measures, per message,
//! - **ack**: from sending `POST /api/v1/chat/messages` until its `201` (the message is
//!   committed to SQLite by then);
//! - **push**: from sending until each open dashboard received the event for that message.
//!
//! The server runs in this process on a real TCP port with a fresh data directory and the
//! sample knowledge base; the clients talk HTTP to it like browsers do.
//!
//! ```text
//! cargo bench --bench chat_load                       # 50 messages/s for 20 s, 5 dashboards
//! cargo bench --bench chat_load -- --rate 100 --seconds 30 --dashboards 10 --residents 50
//! cargo bench --bench chat_load -- --bot    # the bot answers every message as well
//! ```

mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use vraagbaak::config::Config;
use vraagbaak::server::{FIRST_ADMIN, Server};

struct Options {
    /// The bot answers every message (`bot.mode = "always"`); off by default.
    bot: bool,
    rate: u32,
    seconds: u32,
    dashboards: usize,
    residents: usize,
}

impl Options {
    fn from_args() -> Options {
        let mut options = Options {
            bot: false,
            rate: 50,
            seconds: 20,
            dashboards: 5,
            residents: 25,
        };
        let args: Vec<String> = std::env::args().skip(1).collect();
        let mut i = 0;
        while i < args.len() {
            let value = || -> u32 {
                args.get(i + 1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{} needs a number", args[i]))
            };
            match args[i].as_str() {
                "--rate" => options.rate = value(),
                "--seconds" => options.seconds = value(),
                "--dashboards" => options.dashboards = value() as usize,
                "--residents" => options.residents = value() as usize,
                "--bot" => {
                    options.bot = true;
                    i += 1;
                    continue;
                }
                // `cargo bench` passes `--bench`; other flags are not ours.
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        options
    }
}

/// When each message was sent and acknowledged, by message id.
type Sent = HashMap<i64, (Instant, Instant)>;
/// When one dashboard received the event for each message id.
type Received = HashMap<i64, Instant>;

fn main() {
    let options = Options::from_args();
    let data = tempfile::tempdir().expect("temp dir");
    let mut config = Config::default();
    config.server.kb = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("kb");
    config.server.data = data.path().to_path_buf();
    config.server.watch_kb = false;
    // The bot's replies would otherwise depend on the time of day.
    config.bot.mode = if options.bot {
        vraagbaak::config::BotMode::Always
    } else {
        vraagbaak::config::BotMode::Off
    };
    // Many residents behind one test address: the per-IP limit is not what is measured.
    config.chat.requests_per_minute_per_ip = 1_000_000;
    config.chat.messages_per_minute_per_conversation = 1_000_000;
    // Every dashboard here is one login on one address; the stream caps guard against a
    // greedy client, which is not what is measured either.
    config.server.max_streams_per_session = options.dashboards.max(1);
    config.server.max_streams_per_address = options.dashboards.max(1) + 1;

    // The server on its own runtime, as `vraagbaak serve` runs it.
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("server runtime");
        runtime.block_on(async move {
            let server = Server::open(config).await.expect("server opens");
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let password = server.first_admin_password.clone().expect("fresh data dir");
            address_tx
                .send((listener.local_addr().expect("address"), password))
                .expect("send address");
            server
                .run(listener, async {
                    let _ = stop_rx.await;
                })
                .await
                .expect("server runs");
        });
    });
    let (address, password) = address_rx.recv().expect("server started");
    let base = format!("http://{address}");

    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("client runtime");
    let (sent, received) = client_runtime.block_on(run(&base, &password, &options));
    let _ = stop_tx.send(());
    server.join().expect("server thread");

    report(&options, &sent, &received);
}

async fn run(base: &str, password: &str, options: &Options) -> (Sent, Vec<Received>) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(256)
        .build()
        .expect("client");
    let login = client
        .post(format!("{base}/login"))
        .form(&[("name", FIRST_ADMIN), ("password", password)])
        .send()
        .await
        .expect("login");
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("vraagbaak_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();

    // Dashboards: each an open event stream, recording when each message's event arrived.
    let stop = Arc::new(tokio::sync::Notify::new());
    let mut dashboards = Vec::new();
    for _ in 0..options.dashboards {
        let response = client
            .get(format!("{base}/events"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("event stream");
        assert_eq!(response.status(), 200, "dashboard event stream");
        let stop = stop.clone();
        dashboards.push(tokio::spawn(async move {
            let mut received = Received::new();
            let mut stream = response.bytes_stream();
            let mut buffer = String::new();
            loop {
                let chunk = tokio::select! {
                    chunk = stream.next() => chunk,
                    () = stop.notified() => break,
                };
                let Some(Ok(chunk)) = chunk else { break };
                let now = Instant::now();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buffer.find("\n\n") {
                    let event: String = buffer.drain(..end + 2).collect();
                    if let Some(id) = message_id(&event) {
                        received.entry(id).or_insert(now);
                    }
                }
            }
            received
        }));
    }

    // Residents: messages spread over the conversations at a fixed rate.
    let tokens: Arc<Mutex<Vec<Option<String>>>> =
        Arc::new(Mutex::new(vec![None; options.residents]));
    let sent = Arc::new(Mutex::new(Sent::new()));
    let total = options.rate * options.seconds;
    let mut ticker = tokio::time::interval(Duration::from_secs(1) / options.rate);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut posts = Vec::new();
    for n in 0..total {
        ticker.tick().await;
        let resident = n as usize % options.residents;
        let token = tokens.lock().expect("tokens")[resident].clone();
        let (client, base, tokens, sent) = (
            client.clone(),
            base.to_string(),
            tokens.clone(),
            sent.clone(),
        );
        posts.push(tokio::spawn(async move {
            let started = Instant::now();
            let response = client
                .post(format!("{base}/api/v1/chat/messages"))
                .json(&json!({
                    "text": format!("vraag {n}: wanneer wordt het grofvuil opgehaald?"),
                    "token": token,
                }))
                .send()
                .await
                .expect("post message");
            assert_eq!(response.status(), 201, "message acknowledged");
            let body: Value = response.json().await.expect("JSON");
            let acknowledged = Instant::now();
            let id = body["message"]["id"].as_i64().expect("message id");
            tokens.lock().expect("tokens")[resident] = body["token"].as_str().map(String::from);
            sent.lock()
                .expect("sent")
                .insert(id, (started, acknowledged));
        }));
    }
    for post in posts {
        post.await.expect("post task");
    }
    // Let the last events arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.notify_waiters();
    let mut received = Vec::new();
    for dashboard in dashboards {
        received.push(dashboard.await.expect("dashboard task"));
    }
    let sent = std::mem::take(&mut *sent.lock().expect("sent"));
    (sent, received)
}

/// The message id of a dashboard `change` event about a new message.
fn message_id(event: &str) -> Option<i64> {
    let data = event.lines().find_map(|l| l.strip_prefix("data:"))?;
    let value: Value = serde_json::from_str(data.trim()).ok()?;
    (value["type"] == "message").then(|| value["message_id"].as_i64())?
}

fn report(options: &Options, sent: &Sent, received: &[Received]) {
    let mut ack: Vec<Duration> = sent.values().map(|(s, a)| *a - *s).collect();
    let mut push = Vec::new();
    let mut missing = 0;
    for dashboard in received {
        for (id, (started, _)) in sent {
            match dashboard.get(id) {
                Some(arrived) => push.push(arrived.saturating_duration_since(*started)),
                None => missing += 1,
            }
        }
    }
    println!(
        "{} messages at {}/s over {} conversations, {} dashboards, bot {}",
        sent.len(),
        options.rate,
        options.residents,
        options.dashboards,
        if options.bot { "answering" } else { "off" }
    );
    println!("ack  (POST → 201, committed): {}", summary(&mut ack));
    println!("push (POST → event on a dashboard): {}", summary(&mut push));
    println!("events missing on dashboards: {missing}");
}

fn summary(samples: &mut [Duration]) -> String {
    if samples.is_empty() {
        return "no samples".into();
    }
    samples.sort();
    let at = |q: f64| {
        let i = ((samples.len() - 1) as f64 * q).round() as usize;
        format!("{:.1} ms", samples[i].as_secs_f64() * 1000.0)
    };
    format!(
        "median {}, p90 {}, p99 {}, max {}",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    )
}
