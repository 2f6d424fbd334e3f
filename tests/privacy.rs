//! After residents send a BSN and an IBAN on both channels, no log line (at trace level, every
//! crate) and no byte of the database files holds the full numbers; the formats of issue 9
//! (separators, glued letters, full-width digits, zero-width spaces, a BSN in the WhatsApp
//! profile name) are masked in the store and the export too.

use std::path::{Path, PathBuf};

use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::channels::whatsapp::simulate;

use crate::common::process::{Running, export_json};

const BSN: &str = "123456782";
const IBAN: &str = "NL91ABNA0417164300";
/// What issue 9 found stored, shown, exported and written to disk unmasked.
const ISSUE_9: [&str; 7] = [
    "bsn 111-222-333",
    "111222333abc",
    "１１１２２２３３３",
    "mijn bsn 111\u{200b}222333",
    "NL91-ABNA-0417-1643-00",
    "NL91.ABNA.0417.1643.00",
    "postcode 1234AB huisnummer 12",
];

/// Every byte of every file under `dir`, subdirectories included.
pub fn every_byte_under(dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            bytes.extend(every_byte_under(&path));
        } else {
            bytes.extend(std::fs::read(&path).expect("readable"));
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

/// The server with trace logging, the bot always on and WhatsApp set up (sending to a closed
/// port), on a fresh data directory: what the privacy tests search afterwards.
pub struct Guarded {
    pub server: Running,
    pub data: PathBuf,
    pub config: PathBuf,
    /// Holds `data` and `config`; removed when dropped.
    pub dir: tempfile::TempDir,
}

pub fn start_guarded(config_text: &str) -> Guarded {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let config = dir.path().join("vraagbaak.toml");
    std::fs::write(&config, config_text).expect("config");
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
    Guarded {
        server,
        data,
        config,
        dir,
    }
}

/// A signed WhatsApp webhook POST of `body` to the guarded server at `base`.
pub fn webhook(
    client: &reqwest::blocking::Client,
    base: &str,
    body: String,
) -> reqwest::blocking::RequestBuilder {
    client
        .post(format!("{base}/webhooks/whatsapp"))
        .header("x-hub-signature-256", sign(b"secret", body.as_bytes()))
        .header("content-type", "application/json")
        .body(body)
}

#[test]
fn no_log_line_and_no_database_byte_holds_an_unmasked_bsn() {
    let Guarded {
        server,
        data,
        config,
        dir: _dir,
    } = start_guarded("");
    let client = reqwest::blocking::Client::new();

    let chat = client
        .post(format!("{}/api/v1/chat/messages", server.base))
        .json(&serde_json::json!({
            "text": format!("Mijn bsn is {BSN} en mijn rekening {IBAN}, kunt u de aanslag terugbetalen?")
        }))
        .send()
        .expect("chat answers");
    assert_eq!(chat.status(), 201);
    let stored: serde_json::Value = chat.json().expect("JSON");
    assert_eq!(
        stored["message"]["text"],
        "Mijn bsn is ••••••782 en mijn rekening •••••••••••••••300, kunt u de aanslag terugbetalen?"
    );

    let body = simulate::text_message(
        "1098765432",
        "31612345678",
        "Fatima",
        "wamid.privacy",
        // Not the town hall's postcode: the sample KB publishes that one, and its text is
        // in the database as the articles' revision history.
        "BSN: 1234.56.782 geboren 12-03-1985, Dorpsstraat 12, 3741 XK Dijkstede",
    )
    .to_string();
    let answer = webhook(&client, &server.base, body)
        .send()
        .expect("webhook answers");
    assert_eq!(answer.status(), 200);

    // The formats of issue 9, from a resident whose profile name holds a BSN.
    for (n, text) in ISSUE_9.iter().enumerate() {
        let body = simulate::text_message(
            "1098765432",
            "31687654321",
            "Jan BSN 111222333",
            &format!("wamid.issue9.{n}"),
            text,
        )
        .to_string();
        let answer = webhook(&client, &server.base, body)
            .send()
            .expect("webhook answers");
        assert_eq!(answer.status(), 200);
    }
    let export: serde_json::Value =
        serde_json::from_str(&export_json(&data, &config)).expect("JSON export");
    let jan = export["conversations"]
        .as_array()
        .expect("conversations")
        .iter()
        .find(|c| c["resident"] == "31687654321")
        .expect("Jan's conversation");
    assert_eq!(jan["resident_name"], "Jan BSN ••••••333");
    let texts: Vec<&str> = jan["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["direction"] == "in")
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "bsn ••••••333",
            "••••••333abc",
            "••••••333",
            "mijn bsn ••••••333",
            "•••••••••••••••300",
            "•••••••••••••••300",
            "postcode •••• •• ••",
        ]
    );

    // kill -9 leaves the write-ahead log next to the database: both are searched.
    let logs = server.kill().join("\n");
    assert!(logs.contains("TRACE"), "trace logging was on");
    let files = every_byte_under(&data);
    let issue_9 = [
        "111-222-333",
        "111222333",
        "１１１２２２３３３",
        "111\u{200b}222333",
        "NL91-ABNA-0417-1643-00",
        "NL91.ABNA.0417.1643.00",
        "1234AB",
    ];
    for secret in [BSN, "1234.56.782", IBAN, "12-03-1985", "3741 XK"]
        .into_iter()
        .chain(issue_9)
    {
        assert!(!logs.contains(secret), "a log line holds {secret}");
        assert!(!contains(&files, secret), "the database holds {secret}");
    }
    assert!(contains(&files, "••••••782"), "the masked form is stored");
}
