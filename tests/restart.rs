//! Crash safety of the real binary: every resident message the server acknowledged is still
//! there after `kill -9` and a restart, and the first-start admin password is printed once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::process::Running;

/// The messages one resident got acknowledged: (message id, text).
type Acknowledged = Vec<(i64, String)>;

/// Posts messages in one conversation until the server stops answering.
fn resident(
    base: String,
    name: usize,
    acknowledged_total: Arc<AtomicUsize>,
) -> (String, Acknowledged) {
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let mut token: Option<String> = None;
    let mut acknowledged = Vec::new();
    for n in 0.. {
        let text = format!("bewoner {name} vraag {n}: wanneer wordt het grofvuil opgehaald?");
        let sent = client
            .post(format!("{base}/api/v1/chat/messages"))
            .json(&json!({ "text": text, "token": token }))
            .send();
        let Ok(response) = sent else { break };
        if response.status() != 201 {
            break;
        }
        let Ok(body) = response.json::<Value>() else {
            break;
        };
        token = body["token"].as_str().map(str::to_owned);
        let id = body["message"]["id"].as_i64().expect("message id");
        acknowledged.push((id, text));
        acknowledged_total.fetch_add(1, Ordering::SeqCst);
    }
    (
        token.expect("at least one message was acknowledged"),
        acknowledged,
    )
}

fn conversation(base: &str, token: &str) -> Vec<(i64, String)> {
    let body: Value = reqwest::blocking::Client::new()
        .get(format!("{base}/api/v1/chat/messages"))
        .query(&[("token", token)])
        .send()
        .expect("history answers")
        .json()
        .expect("JSON history");
    body["messages"]
        .as_array()
        .expect("messages array")
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().expect("id"),
                m["text"].as_str().expect("text").to_owned(),
            )
        })
        .collect()
}

#[test]
fn acknowledged_messages_survive_kill_9_and_the_admin_password_is_printed_once() {
    const RESIDENTS: usize = 4;
    const KILL_AFTER: usize = 200;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let config = dir.path().join("vraagbaak.toml");
    std::fs::write(
        &config,
        "[chat]\nmessages_per_minute_per_conversation = 100000\nrequests_per_minute_per_ip = 100000\n",
    )
    .expect("config");

    let server = Running::start(&data, &config, &[]);
    let acknowledged_total = Arc::new(AtomicUsize::new(0));
    let residents: Vec<_> = (0..RESIDENTS)
        .map(|name| {
            let base = server.base.clone();
            let total = acknowledged_total.clone();
            thread::spawn(move || resident(base, name, total))
        })
        .collect();
    // Kill while all residents are still posting.
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged_total.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(
            Instant::now() < deadline,
            "the server acknowledged too few messages"
        );
        thread::sleep(Duration::from_millis(5));
    }
    let first_output = server.kill().join("\n");
    let acknowledged: HashMap<String, Acknowledged> = residents
        .into_iter()
        .map(|r| r.join().expect("resident thread"))
        .collect();

    assert!(
        first_output.contains("First start: created the user `admin`"),
        "{first_output}"
    );
    assert!(
        first_output.contains("/inbox") && first_output.contains("/chat"),
        "{first_output}"
    );

    let server = Running::start(&data, &config, &[]);
    let mut checked = 0;
    for (token, sent) in &acknowledged {
        let stored = conversation(&server.base, token);
        for message in sent {
            assert!(
                stored.contains(message),
                "acknowledged {message:?} is missing after kill -9"
            );
            checked += 1;
        }
        let mut ids: Vec<i64> = stored.iter().map(|(id, _)| *id).collect();
        ids.dedup();
        assert_eq!(ids.len(), stored.len(), "a message was stored twice");
    }
    assert!(checked >= KILL_AFTER, "checked {checked} messages");
    let second_output = server.kill().join("\n");
    assert!(!second_output.contains("First start"), "{second_output}");
}

#[test]
fn export_reads_every_conversation_while_the_server_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let config = dir.path().join("vraagbaak.toml");
    std::fs::write(&config, "[bot]\nmode = \"off\"\n").expect("config");
    let server = Running::start(&data, &config, &[]);
    let client = reqwest::blocking::Client::new();
    for text in ["mijn paspoort is verlopen", "mijn bsn is 123456782"] {
        let res = client
            .post(format!("{}/api/v1/chat/messages", server.base))
            .json(&json!({ "text": text }))
            .send()
            .expect("chat answers");
        assert_eq!(res.status(), 201);
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args(["export", "--format", "json", "--data"])
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("export runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let export: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let conversations = export["conversations"].as_array().expect("conversations");
    assert_eq!(conversations.len(), 2);
    assert_eq!(conversations[0]["channel"], "webchat");
    assert_eq!(
        conversations[0]["messages"][0]["text"],
        "mijn paspoort is verlopen"
    );
    assert_eq!(
        conversations[1]["messages"][0]["text"],
        "mijn bsn is ••••••782"
    );
    assert_eq!(conversations[1]["messages"][0]["privacy"], json!(["BSN"]));
    assert!(String::from_utf8_lossy(&output.stderr).contains("exported 2 conversations"));
    drop(server);
}
