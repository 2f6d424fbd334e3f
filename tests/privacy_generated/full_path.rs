//! A few hundred generated BSNs and IBANs through the real server, on both channels and in
//! every field a resident fills in (message, WhatsApp profile name, caption, file name,
//! location name), then searched for in the database files (WAL included), the export and
//! the trace log.

use std::collections::HashMap;

use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::simulate;

use super::typed::{Typed, bsn_message, iban_message, rng};
use crate::common::process::export_json;
use crate::privacy::{Guarded, every_byte_under, start_guarded, webhook};

const MESSAGES: usize = 300;

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
    let Guarded {
        server,
        data,
        config,
        dir: _dir,
    } = start_guarded("[chat]\nrequests_per_minute_per_ip = 100000\n");
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
                webhook(&client, &server.base, body)
            }
        };
        let res = request.send().expect("the server answers");
        assert!(res.status().is_success(), "message {n}: {}", res.status());
        secrets.extend([bsn, iban]);
    }

    let export = export_json(&data, &config);
    let exported: Value = serde_json::from_str(&export).expect("JSON export");
    let conversations = exported["conversations"].as_array().expect("conversations");
    assert_eq!(conversations.len(), MESSAGES);
    assert!(export.contains("••••••"), "the masked forms are exported");

    // kill -9 leaves the write-ahead log next to the database: both are searched.
    let logs = server.kill().join("\n");
    assert!(logs.contains("TRACE"), "trace logging was on");
    let files = every_byte_under(&data);
    // The search finds what is there: the location's street, which is no personal data.
    assert_eq!(
        found_in(&files, &["Dorpsstraat 1"]).first(),
        Some(&"Dorpsstraat 1")
    );
    assert_eq!(
        found_in(b"bsn 111222333.", &["111222333", "NL91ABNA"]),
        ["111222333"]
    );
    let forms: Vec<&str> = secrets
        .iter()
        .flat_map(|s| [s.text.as_str(), s.compact.as_str()])
        .collect();
    for (place, haystack) in [
        ("the database", files.as_slice()),
        ("the export", export.as_bytes()),
        ("the log", logs.as_bytes()),
    ] {
        let found = found_in(haystack, &forms);
        assert!(found.is_empty(), "{place} holds {found:?}");
    }
}

/// Which of `needles` (each at least four bytes) occur in `haystack`, in one pass: a
/// database file with its write-ahead log runs to megabytes, and a search per needle took
/// minutes. Needles are looked up by their first two bytes, then their first four.
fn found_in<'n>(haystack: &[u8], needles: &[&'n str]) -> Vec<&'n str> {
    let mut first_two = vec![false; 1 << 16];
    let mut by_prefix: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for needle in needles {
        let bytes = needle.as_bytes();
        first_two[usize::from(u16::from_be_bytes([bytes[0], bytes[1]]))] = true;
        by_prefix.entry(&bytes[..4]).or_default().push(needle);
    }
    let mut found = Vec::new();
    for (i, window) in haystack.windows(4).enumerate() {
        if !first_two[usize::from(u16::from_be_bytes([window[0], window[1]]))] {
            continue;
        }
        for needle in by_prefix.get(window).into_iter().flatten() {
            if haystack[i..].starts_with(needle.as_bytes()) {
                found.push(*needle);
            }
        }
    }
    found
}
