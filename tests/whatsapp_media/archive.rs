//! Media in the export, in Meta's own webhook bodies, and across a server restart.

use super::*;

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
async fn media_messages_as_meta_sends_them_are_downloaded() {
    let Some(dir) =
        crate::common::pywa_updates("whatsapp_media::media_messages_as_meta_sends_them")
    else {
        return;
    };
    let fixtures = dir.join("message.json");
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
    let relative = stored["path"].as_str().expect("path");
    let file = data.join(relative);
    assert_eq!(std::fs::read(&file).expect("the file"), jpeg());

    // `export --media DIR` copies the files beside the JSON, checked against their hash.
    let export = |out: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
            .args(["export", "--format", "json", "--data"])
            .arg(&data)
            .arg("--config")
            .arg(&config)
            .arg("--media")
            .arg(out)
            .output()
            .expect("export runs")
    };
    let archive = dir.path().join("archive");
    let copied = export(&archive);
    let stderr = String::from_utf8_lossy(&copied.stderr);
    assert!(copied.status.success(), "{stderr}");
    assert!(stderr.contains("copied 1 of 1 media files"), "{stderr}");
    assert_eq!(
        std::fs::read(archive.join(relative)).expect("copied under the exported path"),
        jpeg()
    );
    // A damaged file is named, not copied, and fails the export.
    std::fs::write(&file, b"not the photo").expect("damage the stored file");
    let damaged_archive = dir.path().join("damaged");
    let damaged = export(&damaged_archive);
    let stderr = String::from_utf8_lossy(&damaged.stderr);
    assert!(!damaged.status.success(), "a damaged file fails: {stderr}");
    assert!(
        stderr.contains(&sha256[2..]) && stderr.contains("do not match"),
        "{stderr}"
    );
    assert!(!damaged_archive.join(relative).exists());
}
