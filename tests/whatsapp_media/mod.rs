//! Residents' photos and files against the Graph API stand-in: downloaded in the background
//! with the bearer token, stored by SHA-256, refused over the size limit or off the type
//! allowlist (declared and by magic bytes), retried after a 503, failed after a 404, shown to
//! agents who may see the conversation and to nobody else, never served inline as SVG, and
//! listed in the export with their checksums.
//!
//! ```text
//! mod.rs      the app with a data dir, the worker with short backoff, webhook bodies
//! fetch.rs    downloading: limits, allowlist, retries, 404, 30 days, checksums
//! agents.rs   what agents see and may open; headers; SVG and HTML never inline
//! archive.rs  the export, Meta's own bodies, the real server across a restart
//! ```

mod agents;
mod archive;
mod fetch;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use serde_json::json;
use sha2::Digest;
use tempfile::TempDir;
use vraagbaak::channels::outbox::Backoff;
use vraagbaak::channels::whatsapp::client::GraphClient;
use vraagbaak::channels::whatsapp::media::files::MediaFiles;
use vraagbaak::channels::whatsapp::media::{META_KEEPS_MEDIA, MediaWorker};
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::config::Config;
use vraagbaak::store::media::{self, Media, MediaState};
use vraagbaak::store::users::Role;
use vraagbaak::store::{StoreError, export};

use crate::common::app::{TestApp, app_with, text};
use crate::common::graph::{
    PHONE_ID, RESIDENT, SECRET, SharedGraph, StandInMedia, credentials, deliver, eventually,
    graph_stand_in, whatsapp_config,
};
use crate::common::process::{Running, export_json};

/// The start of a 4000×3000 JPEG: SOI, a 16-byte APP0, then SOF0 with the size.
fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    bytes.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
    bytes.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08, 0x0B, 0xB8, 0x0F, 0xA0, 0x03]);
    bytes.extend_from_slice(b"a broken street light, pixel data follows");
    bytes
}

fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x10\0\0\0\x10\x08\x02\0\0\0".to_vec();
    bytes.extend_from_slice(b"pixels");
    bytes
}

const SVG: &[u8] = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";

struct MediaApp {
    app: TestApp,
    graph: SharedGraph,
    data: TempDir,
}

/// The app with WhatsApp on, a data directory of its own, and `media` at the stand-in.
async fn media_app(max_bytes: u64, media: &[(&str, StandInMedia)]) -> MediaApp {
    media_app_with(media, |config| config.whatsapp.media_max_bytes = max_bytes).await
}

async fn media_app_with(
    media: &[(&str, StandInMedia)],
    change: impl FnOnce(&mut Config),
) -> MediaApp {
    let (url, graph) = graph_stand_in(0).await;
    graph
        .lock()
        .expect("graph")
        .media
        .extend(media.iter().map(|(id, m)| (id.to_string(), m.clone())));
    let data = tempfile::tempdir().expect("data dir");
    let mut config = whatsapp_config(&url);
    config.server.data = data.path().to_path_buf();
    change(&mut config);
    MediaApp {
        app: app_with(config).await,
        graph,
        data,
    }
}

fn served(bytes: &[u8], mime_type: &str) -> StandInMedia {
    StandInMedia {
        bytes: bytes.to_vec(),
        mime_type: mime_type.into(),
        ..StandInMedia::default()
    }
}

/// Runs the media worker of `app` with short backoff and the given access token.
fn start_media(app: &TestApp, token: &str) -> tokio::task::JoinHandle<()> {
    let mut credentials = credentials(app);
    credentials.token = token.into();
    let worker = MediaWorker {
        store: app.state.chat.store.clone(),
        hub: app.state.chat.hub.clone(),
        client: GraphClient::new(&credentials),
        files: MediaFiles::new(&app.state.chat.config.server.data),
        max_bytes: app.state.chat.config.whatsapp.media_max_bytes,
        backoff: Backoff {
            base: Duration::from_millis(20),
            max: Duration::from_millis(100),
            give_up_after: META_KEEPS_MEDIA,
        },
        wakeup: app.state.chat.media.clone(),
    };
    tokio::spawn(worker.run(app.state.shutdown.clone()))
}

/// A signed delivery of one media message, shaped as Meta sends it.
async fn resident_sends(app: &TestApp, wamid: &str, kind: &str, object: serde_json::Value) {
    let body = media_body(wamid, kind, object);
    let res = deliver(app, body.to_string().as_bytes(), Some(SECRET)).await;
    assert_eq!(res.status(), 200);
}

/// A webhook body with one media message from [`RESIDENT`].
fn media_body(wamid: &str, kind: &str, object: serde_json::Value) -> serde_json::Value {
    let mut message = json!({
        "from": RESIDENT,
        "id": wamid,
        "timestamp": Utc::now().timestamp().to_string(),
        "type": kind,
    });
    message[kind] = object;
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": "102290129340398",
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": { "display_phone_number": "15550783881", "phone_number_id": PHONE_ID },
                    "contacts": [{ "profile": { "name": "Fatima" }, "wa_id": RESIDENT }],
                    "messages": [message]
                }
            }]
        }]
    })
}

async fn photo(app: &TestApp, wamid: &str, media_id: &str) {
    let object = json!({ "id": media_id, "mime_type": "image/jpeg", "sha256": "x", "caption": "Lantaarnpaal kapot" });
    resident_sends(app, wamid, "image", object).await;
}

async fn all_media(app: &TestApp) -> Vec<Media> {
    app.state
        .chat
        .store
        .call(|c| media::for_conversation(c, 1))
        .await
        .expect("media")
}

/// Waits until no download is pending, then returns every media row.
async fn settled(app: &TestApp) -> Vec<Media> {
    eventually("every download settled", async || {
        let media = all_media(app).await;
        !media.is_empty() && media.iter().all(|m| m.state != MediaState::Pending)
    })
    .await;
    all_media(app).await
}

fn files_on_disk(data: &Path) -> usize {
    let Ok(folders) = std::fs::read_dir(data.join("media")) else {
        return 0;
    };
    folders
        .flatten()
        .map(|folder| std::fs::read_dir(folder.path()).map_or(0, |files| files.count()))
        .sum()
}
