//! Downloading residents' media: size and type limits, retries, failures, checksums.

use super::*;

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

#[tokio::test]
async fn shutdown_does_not_wait_for_a_download_that_hangs() {
    let stalling = StandInMedia {
        stalls: true,
        ..served(&jpeg(), "image/jpeg")
    };
    let m = media_app(16 * 1024 * 1024, &[("14001", stalling)]).await;
    let worker = start_media(&m.app, "graph-token");
    photo(&m.app, "wamid.stall", "14001").await;
    eventually("the download started", async || {
        m.graph.lock().expect("graph").media["14001"].downloaded == 1
    })
    .await;
    m.app.stop.send(true).expect("shutdown");
    tokio::time::timeout(Duration::from_secs(2), worker)
        .await
        .expect("the worker stops at once")
        .expect("the worker did not panic");
    let media = all_media(&m.app).await;
    assert_eq!(
        media[0].state,
        MediaState::Pending,
        "fetched again after the restart"
    );
    assert_eq!(files_on_disk(m.data.path()), 0);
}
