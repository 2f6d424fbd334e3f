//! Residents' photos and files against the Graph API stand-in: downloaded in the background
//! with the bearer token, stored by SHA-256, refused over the size limit or off the type
//! allowlist (declared and by magic bytes), retried after a 503, failed after a 404, shown to
//! agents who may see the conversation and to nobody else, never served inline as SVG, and
//! listed in the export with their checksums.

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
fn start_media(app: &TestApp, token: &str) {
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
    tokio::spawn(worker.run(app.state.shutdown.clone()));
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

#[tokio::test]
async fn a_photo_is_downloaded_with_the_token_stored_by_its_hash_and_shown_inline() {
    let m = media_app(16 * 1024 * 1024, &[("1001", served(&jpeg(), "image/jpeg"))]).await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.photo", "1001").await;

    let media = settled(&m.app).await;
    assert_eq!(media[0].state, MediaState::Stored, "{:?}", media[0].reason);
    let file = media[0].file.clone().expect("stored file");
    let sha256 = hex::encode(sha2::Sha256::digest(jpeg()));
    assert_eq!(file.sha256, sha256);
    assert_eq!(file.mime_type, "image/jpeg");
    assert_eq!(file.dimensions, Some((4000, 3000)));
    let on_disk = m
        .data
        .path()
        .join("media")
        .join(&sha256[..2])
        .join(&sha256[2..]);
    assert_eq!(std::fs::read(on_disk).expect("the file"), jpeg());
    {
        let graph = m.graph.lock().expect("graph");
        assert_eq!(graph.unauthorized, 0);
        assert_eq!(graph.media["1001"].downloaded, 1);
    }

    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    let url = format!("/conversations/1/media/{}", media[0].message_id);
    assert!(
        page.contains(&format!(
            "<img src=\"{url}\" width=\"240\" height=\"180\" alt=\"Foto van de inwoner"
        )),
        "{page}"
    );
    assert!(
        page.contains("foto of video gestuurd"),
        "the privacy banner names the photo"
    );
    assert!(page.contains("kunnen persoonsgegevens staan"));

    let res = m.app.get(&url, Some(&anna)).await;
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(
        headers["content-disposition"],
        format!("inline; filename=\"foto-{}.jpg\"", media[0].message_id).as_str()
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(
        headers["content-security-policy"],
        "default-src 'none'; sandbox"
    );
    let body = http_body_util::BodyExt::collect(res.into_body())
        .await
        .expect("body");
    assert_eq!(body.to_bytes().as_ref(), jpeg().as_slice());
}

#[tokio::test]
async fn the_same_photo_twice_is_one_file_and_a_document_keeps_its_masked_name() {
    let m = media_app(
        16 * 1024 * 1024,
        &[
            ("2001", served(&jpeg(), "image/jpeg")),
            ("2002", served(&jpeg(), "image/jpeg")),
            ("2003", served(b"%PDF-1.7\nbezwaar", "application/pdf")),
        ],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.a", "2001").await;
    photo(&m.app, "wamid.b", "2002").await;
    let document = json!({ "id": "2003", "mime_type": "application/pdf", "sha256": "x", "filename": "bezwaar BSN 111222333.pdf" });
    resident_sends(&m.app, "wamid.c", "document", document).await;

    let media = settled(&m.app).await;
    assert!(media.iter().all(|m| m.state == MediaState::Stored));
    assert_eq!(
        media[0].file.as_ref().map(|f| &f.sha256),
        media[1].file.as_ref().map(|f| &f.sha256)
    );
    assert_eq!(files_on_disk(m.data.path()), 2, "two photos share one file");

    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        !page.contains("111222333"),
        "the BSN in the file name is masked"
    );
    let link = format!("/conversations/1/media/{}", media[2].message_id);
    assert!(
        page.contains(&format!("href=\"{link}\" download=")),
        "{page}"
    );
    assert!(page.contains("(16 bytes)</a>"), "{page}");
    let res = m.app.get(&link, Some(&anna)).await;
    let disposition = res.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"bezwaar BSN "),
        "{disposition}"
    );
    assert!(disposition.ends_with(".pdf\""), "{disposition}");
    assert!(!disposition.contains("111222333"), "{disposition}");
}

#[tokio::test]
async fn files_over_the_limit_are_refused_by_declared_size_and_while_reading() {
    let big = [jpeg(), vec![0; 5000]].concat();
    let m = media_app(
        1000,
        &[
            ("3001", served(&big, "image/jpeg")),
            (
                "3002",
                StandInMedia {
                    declared_size: Some(None),
                    chunked: true,
                    ..served(&big, "image/jpeg")
                },
            ),
        ],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.big", "3001").await;
    photo(&m.app, "wamid.undeclared", "3002").await;

    let media = settled(&m.app).await;
    for m in &media {
        assert_eq!(m.state, MediaState::Refused);
        let reason = m.reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("groter dan de grens van 1000 bytes"),
            "{reason}"
        );
    }
    {
        let graph = m.graph.lock().expect("graph");
        assert_eq!(
            graph.media["3001"].downloaded, 0,
            "the declared size stops it first"
        );
        assert_eq!(graph.media["3002"].downloaded, 1, "read until the limit");
    }
    assert_eq!(files_on_disk(m.data.path()), 0);
    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("Niet opgehaald: het bestand is groter dan de grens van 1000 bytes"));
}

#[tokio::test]
async fn types_off_the_allowlist_are_refused_by_declaration_and_by_magic_bytes() {
    let m = media_app(
        16 * 1024 * 1024,
        &[
            ("4001", served(SVG, "image/svg+xml")),
            ("4002", served(SVG, "image/jpeg")),
            ("4003", served(&png(), "image/jpeg")),
        ],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.svg", "4001").await;
    photo(&m.app, "wamid.disguised", "4002").await;
    photo(&m.app, "wamid.png", "4003").await;

    let media = settled(&m.app).await;
    assert_eq!(media[0].state, MediaState::Refused);
    assert_eq!(
        media[0].reason.as_deref(),
        Some(
            "Niet opgehaald: bestandstype image/svg+xml is niet toegestaan (toegestaan: JPEG, PNG, WebP, PDF, OGG/Opus of MP4)."
        )
    );
    assert_eq!(m.graph.lock().expect("graph").media["4001"].downloaded, 0);
    assert_eq!(media[1].state, MediaState::Refused);
    assert!(
        media[1]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("de inhoud is geen toegestaan bestandstype"),
        "{:?}",
        media[1].reason
    );
    assert_eq!(
        media[2].state,
        MediaState::Stored,
        "a PNG declared as JPEG is still a PNG"
    );
    assert_eq!(
        media[2].file.as_ref().map(|f| f.mime_type.as_str()),
        Some("image/png")
    );
    assert_eq!(files_on_disk(m.data.path()), 1);
}

#[tokio::test]
async fn a_503_is_retried_until_it_works_and_a_404_fails_with_its_reason() {
    let m = media_app(
        16 * 1024 * 1024,
        &[
            (
                "5001",
                StandInMedia {
                    fail_first: 2,
                    ..served(&jpeg(), "image/jpeg")
                },
            ),
            (
                "5002",
                StandInMedia {
                    gone: true,
                    ..served(&jpeg(), "image/jpeg")
                },
            ),
        ],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.flaky", "5001").await;
    photo(&m.app, "wamid.gone", "5002").await;

    let media = settled(&m.app).await;
    assert_eq!(media[0].state, MediaState::Stored);
    assert_eq!(media[0].attempts, 3, "two 503s, then the download");
    assert_eq!(media[1].state, MediaState::Failed);
    assert_eq!(
        media[1].reason.as_deref(),
        Some(
            "Niet opgehaald: WhatsApp heeft dit bestand niet (meer); het is verlopen of verwijderd."
        )
    );
    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("WhatsApp heeft dit bestand niet (meer)"),
        "{page}"
    );
    let failed = format!("/conversations/1/media/{}", media[1].message_id);
    assert_eq!(m.app.get(&failed, Some(&anna)).await.status(), 404);
}

#[tokio::test]
async fn a_wrong_token_is_refused_by_the_graph_api_and_the_download_waits() {
    let m = media_app(16 * 1024 * 1024, &[("6001", served(&jpeg(), "image/jpeg"))]).await;
    start_media(&m.app, "not-the-token");
    photo(&m.app, "wamid.token", "6001").await;
    eventually("a refused attempt", async || {
        all_media(&m.app).await[0].attempts >= 2
    })
    .await;
    let media = all_media(&m.app).await;
    assert_eq!(
        media[0].state,
        MediaState::Pending,
        "a token can be renewed: retried"
    );
    assert!(m.graph.lock().expect("graph").unauthorized >= 2);
    assert_eq!(files_on_disk(m.data.path()), 0);
}

#[tokio::test]
async fn a_download_queued_while_no_worker_ran_is_fetched_when_one_starts() {
    let m = media_app(16 * 1024 * 1024, &[("7001", served(&jpeg(), "image/jpeg"))]).await;
    photo(&m.app, "wamid.queued", "7001").await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(all_media(&m.app).await[0].state, MediaState::Pending);
    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("Bestand wordt opgehaald."), "{page}");

    start_media(&m.app, "graph-token");
    assert_eq!(settled(&m.app).await[0].state, MediaState::Stored);
}

#[tokio::test]
async fn media_older_than_metas_30_days_fail_without_asking() {
    let m = media_app(16 * 1024 * 1024, &[("8001", served(&jpeg(), "image/jpeg"))]).await;
    photo(&m.app, "wamid.old", "8001").await;
    let long_ago = Utc::now() - TimeDelta::days(31);
    m.app
        .state
        .chat
        .store
        .call(move |c| Ok(c.execute("UPDATE media SET received_at = ?1", [long_ago])?))
        .await
        .expect("backdated");
    start_media(&m.app, "graph-token");
    let media = settled(&m.app).await;
    assert_eq!(media[0].state, MediaState::Failed);
    assert!(
        media[0]
            .reason
            .as_deref()
            .unwrap_or_default()
            .contains("30 dagen")
    );
    assert_eq!(m.graph.lock().expect("graph").media["8001"].described, 0);
}

#[tokio::test]
async fn another_departments_agent_gets_404_and_a_visitor_is_sent_to_log_in() {
    let m = media_app(16 * 1024 * 1024, &[("9001", served(&jpeg(), "image/jpeg"))]).await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.private", "9001").await;
    let media = settled(&m.app).await;
    let url = format!("/conversations/1/media/{}", media[0].message_id);

    let team = m.app.login("piet", Role::Agent, Some("vergunningen")).await;
    assert_eq!(m.app.get(&url, Some(&team)).await.status(), 404);
    let visitor = m.app.get(&url, None).await;
    assert!(visitor.status().is_redirection());
    assert_eq!(visitor.headers()["location"], "/login");
    let anna = m.app.login("anna", Role::Agent, None).await;
    assert_eq!(m.app.get(&url, Some(&anna)).await.status(), 200);
    let elsewhere = format!("/conversations/2/media/{}", media[0].message_id);
    assert_eq!(
        m.app.get(&elsewhere, Some(&anna)).await.status(),
        404,
        "only under its own conversation"
    );

    let forward = m
        .app
        .act(&anna, 1, "forward", &[("department", "vergunningen")])
        .await;
    assert!(forward.status().is_redirection());
    assert_eq!(m.app.get(&url, Some(&team)).await.status(), 200);
}

#[tokio::test]
async fn an_svg_or_html_file_is_never_served_inline() {
    let m = media_app(16 * 1024 * 1024, &[]).await;
    photo(&m.app, "wamid.svg1", "10001").await;
    photo(&m.app, "wamid.html", "10002").await;
    let files = MediaFiles::new(m.data.path());
    let ids: Vec<i64> = all_media(&m.app)
        .await
        .iter()
        .map(|m| m.message_id)
        .collect();
    for (message_id, bytes, mime) in [
        (ids[0], SVG, "image/svg+xml"),
        (
            ids[1],
            b"<!DOCTYPE html><script>alert(1)</script>".as_slice(),
            "text/html",
        ),
    ] {
        let sha256 = vraagbaak::channels::whatsapp::media::files::sha256_hex(bytes);
        files.store(&sha256, bytes).expect("stored by hand");
        let file = media::StoredFile {
            sha256,
            size: bytes.len() as u64,
            mime_type: mime.into(),
            dimensions: None,
        };
        m.app
            .state
            .chat
            .store
            .call(move |c| media::mark_stored(c, message_id, &file))
            .await
            .expect("marked stored");
    }
    let anna = m.app.login("anna", Role::Agent, None).await;
    let page = text(m.app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        !page.contains("<img src=\"/conversations/1/media/"),
        "no inline image for SVG"
    );
    for message_id in ids {
        let res = m
            .app
            .get(&format!("/conversations/1/media/{message_id}"), Some(&anna))
            .await;
        assert_eq!(res.status(), 200);
        let h = res.headers();
        assert_eq!(h["content-type"], "application/octet-stream");
        let disposition = h["content-disposition"].to_str().expect("ascii");
        assert!(
            disposition.starts_with("attachment; filename=\"foto-"),
            "{disposition}"
        );
        assert!(disposition.ends_with(".bin\""), "{disposition}");
        assert_eq!(h["x-content-type-options"], "nosniff");
        assert_eq!(h["content-security-policy"], "default-src 'none'; sandbox");
    }
}

#[tokio::test]
async fn the_export_lists_each_file_with_its_path_and_checksum() {
    let m = media_app(
        1000,
        &[
            ("11001", served(&jpeg(), "image/jpeg")),
            ("11002", served(SVG, "image/svg+xml")),
        ],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.e1", "11001").await;
    photo(&m.app, "wamid.e2", "11002").await;
    settled(&m.app).await;
    let exported = m
        .app
        .state
        .chat
        .store
        .call(|c| {
            let mut exported = Vec::new();
            export::each_conversation(c, |conversation| -> Result<(), StoreError> {
                exported.push(serde_json::to_value(&conversation).expect("json"));
                Ok(())
            })?;
            Ok(exported)
        })
        .await
        .expect("export");
    let with_media: Vec<&serde_json::Value> = exported[0]["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| !m["media"].is_null())
        .collect();
    let sha256 = hex::encode(sha2::Sha256::digest(jpeg()));
    assert_eq!(with_media.len(), 2);
    let stored = &with_media[0]["media"];
    assert_eq!(stored["state"], "stored");
    assert_eq!(stored["sha256"], sha256.as_str());
    assert_eq!(
        stored["path"],
        format!("media/{}/{}", &sha256[..2], &sha256[2..]).as_str()
    );
    assert_eq!(stored["size"], jpeg().len());
    assert_eq!(stored["mime_type"], "image/jpeg");
    let refused = &with_media[1]["media"];
    assert_eq!(refused["state"], "refused");
    assert!(refused["path"].is_null());
    assert!(
        refused["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("niet toegestaan")
    );
    let file = m.data.path().join(stored["path"].as_str().expect("path"));
    assert_eq!(
        std::fs::read(file).expect("the listed path is relative to the data directory"),
        jpeg()
    );
}

#[tokio::test]
async fn a_checksum_that_does_not_match_is_retried_and_nothing_is_kept() {
    let m = media_app(
        16 * 1024 * 1024,
        &[(
            "12001",
            StandInMedia {
                sha256: Some(hex::encode(sha2::Sha256::digest(b"other bytes"))),
                ..served(&jpeg(), "image/jpeg")
            },
        )],
    )
    .await;
    start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.corrupt", "12001").await;
    eventually("two attempts", async || {
        all_media(&m.app).await[0].attempts >= 2
    })
    .await;
    assert_eq!(all_media(&m.app).await[0].state, MediaState::Pending);
    assert_eq!(files_on_disk(m.data.path()), 0);
}

/// `../shared/whatsapp` from the crate (or `VRAAGBAAK_SHARED`); missing fails the test.
fn shared_whatsapp() -> std::path::PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("VRAAGBAAK_SHARED").map(|dir| Path::new(&dir).join("whatsapp")),
        Some(crate_dir.join("../../shared/whatsapp")),
        Some(crate_dir.join("../shared/whatsapp")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("pywa-updates/message.json").is_file())
        .expect("the shared WhatsApp fixtures (../shared/whatsapp or VRAAGBAAK_SHARED)")
}

#[tokio::test]
async fn media_messages_as_meta_sends_them_are_downloaded() {
    let fixtures = shared_whatsapp().join("pywa-updates/message.json");
    let fixtures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures).expect("message.json"))
            .expect("fixture JSON");
    let mp4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    let phone_number_id =
        fixtures["image"]["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"]
            .as_str()
            .expect("phone_number_id")
            .to_string();
    let m = media_app_with(
        &[
            ("65463453", served(&jpeg(), "image/jpeg")),
            ("765756756", served(&mp4, "video/mp4")),
            (
                "1234567890987654321",
                served(b"%PDF-1.4\n", "application/pdf"),
            ),
        ],
        |config| config.whatsapp.phone_number_id = Some(phone_number_id),
    )
    .await;
    let app = &m.app;
    start_media(app, "graph-token");
    for (n, name) in ["image", "video", "document"].into_iter().enumerate() {
        let mut body = fixtures[name].clone();
        // The fixtures share one wamid; each is a message of its own here.
        body["entry"][0]["changes"][0]["value"]["messages"][0]["id"] =
            json!(format!("wamid.fixture.{n}"));
        let res = deliver(app, body.to_string().as_bytes(), Some(SECRET)).await;
        assert_eq!(res.status(), 200, "{name}");
    }
    let media = settled(app).await;
    let stored: Vec<(&str, &str)> = media
        .iter()
        .map(|m| {
            let file = m.file.as_ref().expect("stored");
            (m.kind.as_str(), file.mime_type.as_str())
        })
        .collect();
    assert_eq!(
        stored,
        [
            ("image", "image/jpeg"),
            ("video", "video/mp4"),
            ("document", "application/pdf")
        ]
    );
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("Download filename.pdf (9 bytes)"), "{page}");
}

/// The stored state of the one media file in `vraagbaak export`, read from `data`.
fn exported_media(data: &Path, config: &Path) -> serde_json::Value {
    let exported: serde_json::Value =
        serde_json::from_str(&export_json(data, config)).expect("export JSON");
    exported["conversations"][0]["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| !m["media"].is_null())
        .map(|m| m["media"].clone())
        .expect("a media message")
}

#[test]
fn the_server_downloads_in_the_background_and_resumes_after_a_restart() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (url, graph) = runtime.block_on(graph_stand_in(0));
    graph.lock().expect("graph").media.insert(
        "13001".into(),
        StandInMedia {
            fail_first: usize::MAX,
            ..served(&jpeg(), "image/jpeg")
        },
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let (data, config) = (dir.path().join("data"), dir.path().join("vraagbaak.toml"));
    std::fs::write(&config, "").expect("config");
    let env = [
        ("VRAAGBAAK_WHATSAPP_APP_SECRET", SECRET),
        ("VRAAGBAAK_WHATSAPP_VERIFY_TOKEN", "verify-me"),
        ("VRAAGBAAK_WHATSAPP_TOKEN", "graph-token"),
        ("VRAAGBAAK_WHATSAPP_PHONE_NUMBER_ID", PHONE_ID),
        ("VRAAGBAAK_WHATSAPP_GRAPH_URL", url.as_str()),
    ];

    let server = Running::start(&data, &config, &env);
    let object = json!({ "id": "13001", "mime_type": "image/jpeg", "sha256": "x" });
    let body = media_body("wamid.restart", "image", object).to_string();
    let res = reqwest::blocking::Client::new()
        .post(format!("{}/webhooks/whatsapp", server.base))
        .header(
            "x-hub-signature-256",
            sign(SECRET.as_bytes(), body.as_bytes()),
        )
        .header("content-type", "application/json")
        .body(body)
        .send()
        .expect("webhook answers");
    assert_eq!(res.status(), 200, "acknowledged before any download");
    let deadline = Instant::now() + Duration::from_secs(30);
    while graph.lock().expect("graph").media["13001"].described == 0 {
        assert!(
            Instant::now() < deadline,
            "the server never asked for the media"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let printed = server.stop();
    assert!(
        printed.iter().all(|line| !line.contains(RESIDENT)),
        "no log line holds the phone number"
    );
    assert_eq!(exported_media(&data, &config)["state"], "pending");

    graph
        .lock()
        .expect("graph")
        .media
        .get_mut("13001")
        .expect("media")
        .fail_first = 0;
    let server = Running::start(&data, &config, &env);
    let deadline = Instant::now() + Duration::from_secs(40);
    let stored = loop {
        let media = exported_media(&data, &config);
        if media["state"] == "stored" {
            break media;
        }
        assert!(Instant::now() < deadline, "not resumed: {media}");
        std::thread::sleep(Duration::from_millis(250));
    };
    server.stop();
    let sha256 = hex::encode(sha2::Sha256::digest(jpeg()));
    assert_eq!(stored["sha256"], sha256.as_str());
    let file = data.join(stored["path"].as_str().expect("path"));
    assert_eq!(std::fs::read(file).expect("the file"), jpeg());
}
