//! What agents see of residents' media, who may open a file, and how it is served.

use super::*;

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
