//! A few hundred generated BSNs and IBANs through the real server, on both channels and in
//! every field a resident fills in (message, WhatsApp profile name, caption, file name,
//! location name), then searched for in the database files (WAL included), the export and
//! the trace log.

use std::path::Path;

use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::channels::whatsapp::simulate;

use super::typed::{Typed, bsn_message, iban_message, rng};
use crate::common::process::Running;

const MESSAGES: usize = 300;

fn every_byte_under(dir: &Path, bytes: &mut Vec<u8>) {
    for entry in std::fs::read_dir(dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            every_byte_under(&path, bytes);
        } else {
            bytes.extend(std::fs::read(&path).expect("readable"));
        }
    }
}

/// A WhatsApp delivery from `from` named `name`, carrying `message` (Meta's message object
/// without its id, sender and time).
fn whatsapp_body(n: usize, name: &str, mut message: Value) -> String {
    let from = format!("3161234{n:04}");
    let wamid = format!("wamid.generated.{n}");
    let mut body = simulate::text_message("1098765432", &from, name, &wamid, "");
    message["from"] = json!(from);
    message["id"] = json!(wamid);
    message["timestamp"] =
        body["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"].clone();
    body["entry"][0]["changes"][0]["value"]["messages"][0] = message;
    body.to_string()
}

#[test]
fn generated_personal_data_reaches_no_database_byte_export_or_log_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let config = dir.path().join("vraagbaak.toml");
    std::fs::write(&config, "[chat]\nrequests_per_minute_per_ip = 100000\n").expect("config");
    let env = [
        ("VRAAGBAAK_LOG", "trace"),
        ("VRAAGBAAK_BOT_MODE", "always"),
        ("VRAAGBAAK_WHATSAPP_APP_SECRET", "secret"),
        ("VRAAGBAAK_WHATSAPP_VERIFY_TOKEN", "verify"),
        ("VRAAGBAAK_WHATSAPP_TOKEN", "token"),
        ("VRAAGBAAK_WHATSAPP_PHONE_NUMBER_ID", "1098765432"),
        ("VRAAGBAAK_WHATSAPP_GRAPH_URL", "http://127.0.0.1:9/v23.0"),
    ];
    let server = Running::start(&data, &config, &env);
    let client = reqwest::blocking::Client::new();
    let mut rng = rng(5);
    let mut secrets: Vec<Typed> = Vec::new();
    for n in 0..MESSAGES {
        let (text, bsn) = bsn_message(&mut rng);
        let (with_iban, iban) = iban_message(&mut rng);
        let request = match n % 5 {
            0 => client
                .post(format!("{}/api/v1/chat/messages", server.base))
                .json(&json!({ "text": format!("{text} {with_iban}") })),
            channel => {
                let message = match channel {
                    1 => json!({ "type": "text", "text": { "body": with_iban } }),
                    2 => json!({ "type": "image", "image": {
                        "id": "1479", "mime_type": "image/jpeg", "caption": with_iban } }),
                    3 => json!({ "type": "document", "document": {
                        "id": "1482", "mime_type": "application/pdf",
                        "filename": format!("{}.pdf", iban.text), "caption": "mijn aanslag" } }),
                    _ => json!({ "type": "location", "location": {
                        "latitude": 52.0907, "longitude": 5.1214,
                        "name": with_iban, "address": "Dorpsstraat 1" } }),
                };
                let body = whatsapp_body(n, &text, message);
                client
                    .post(format!("{}/webhooks/whatsapp", server.base))
                    .header("x-hub-signature-256", sign(b"secret", body.as_bytes()))
                    .header("content-type", "application/json")
                    .body(body)
            }
        };
        let res = request.send().expect("the server answers");
        assert!(res.status().is_success(), "message {n}: {}", res.status());
        secrets.extend([bsn, iban]);
    }

    let export = std::process::Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args(["export", "--format", "json", "--data"])
        .arg(&data)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("export runs");
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let export = String::from_utf8(export.stdout).expect("UTF-8 export");
    let exported: Value = serde_json::from_str(&export).expect("JSON export");
    let conversations = exported["conversations"].as_array().expect("conversations");
    assert_eq!(conversations.len(), MESSAGES);
    assert!(export.contains("••••••"), "the masked forms are exported");

    // kill -9 leaves the write-ahead log next to the database: both are searched.
    let logs = server.kill().join("\n");
    assert!(logs.contains("TRACE"), "trace logging was on");
    let mut files = Vec::new();
    every_byte_under(&data, &mut files);
    let files = String::from_utf8_lossy(&files);
    for secret in &secrets {
        for form in [&secret.text, &secret.compact] {
            assert!(
                !files.contains(form.as_str()),
                "the database holds {form:?}"
            );
            assert!(!export.contains(form.as_str()), "the export holds {form:?}");
            assert!(!logs.contains(form.as_str()), "a log line holds {form:?}");
        }
    }
}
