//! The server in-process: pages, API, auth, CSRF and authorisation.

use vraagbaak::store::users::Role;

use crate::common::app::{app, json, text};

#[tokio::test]
async fn healthz_answers_ok() {
    let app = app().await;
    let res = app.get("/healthz", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(text(res).await, "ok");
}

#[tokio::test]
async fn a_resident_message_reaches_the_inbox_with_suggestions() {
    let app = app().await;
    app.resident_says(None, "wanneer wordt het grofvuil opgehaald?")
        .await;
    let anna = app.login("anna", Role::Agent, None).await;
    let inbox = text(app.get("/inbox", Some(&anna)).await).await;
    assert!(
        inbox.contains("wanneer wordt het grofvuil opgehaald?"),
        "{inbox}"
    );
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("data-article=\"grofvuil"),
        "grofvuil suggested: {page}"
    );
}

#[tokio::test]
async fn pages_without_a_session_redirect_to_the_login_form() {
    let app = app().await;
    for path in ["/inbox", "/conversations/1", "/kb", "/admin"] {
        let res = app.get(path, None).await;
        assert!(res.status().is_redirection(), "{path}: {}", res.status());
        assert_eq!(res.headers()["location"], "/login", "{path}");
    }
}

#[tokio::test]
async fn a_form_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let res = app
        .post_form(
            "/conversations/1/take",
            Some(&anna),
            &[("csrf", "vervalst")],
        )
        .await;
    assert_eq!(res.status(), 403);
    let conversation = app
        .state
        .chat
        .conversation_for(&anna.user, 1)
        .await
        .expect("exists");
    assert!(conversation.assignee.is_none(), "not taken");
}

#[tokio::test]
async fn a_department_agent_cannot_read_a_conversation_that_was_not_forwarded_to_them() {
    let app = app().await;
    app.resident_says(
        None,
        "ik wil een dakkapel bouwen, heb ik een vergunning nodig?",
    )
    .await;
    let kcc = app.login("anna", Role::Agent, None).await;
    let team = app.login("piet", Role::Agent, Some("vergunningen")).await;
    assert_eq!(app.get("/conversations/1", Some(&team)).await.status(), 404);
    let take = app.act(&team, 1, "take", &[]).await;
    assert_eq!(take.status(), 404, "acting on it is refused the same way");
    assert_eq!(
        app.get("/conversations/999", Some(&kcc)).await.status(),
        404
    );

    let forward = app
        .act(&kcc, 1, "forward", &[("department", "vergunningen")])
        .await;
    assert!(forward.status().is_redirection());
    assert_eq!(app.get("/conversations/1", Some(&team)).await.status(), 200);
}

#[tokio::test]
async fn a_resident_token_reads_only_its_own_conversation_and_never_notes() {
    let app = app().await;
    let mine = app
        .resident_says(None, "wanneer wordt het grofvuil opgehaald?")
        .await;
    let theirs = app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "note", &[("text", "interne notitie")])
        .await;

    let body = app.resident_view(&mine).await;
    let texts: Vec<&str> = body["messages"]
        .as_array()
        .expect("list")
        .iter()
        .map(|m| m["text"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(texts, ["wanneer wordt het grofvuil opgehaald?"]);
    let other = app.resident_view(&theirs).await;
    assert_eq!(other["messages"][0]["text"], "mijn paspoort is verlopen");
    let unknown = app.get("/api/v1/chat/messages?token=geraden", None).await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(json(unknown).await["error"], "conversation not found");
}

#[tokio::test]
async fn a_conversation_held_by_one_agent_cannot_be_answered_by_another_without_taking_it_over() {
    let app = app().await;
    app.resident_says(None, "de lantaarnpaal brandt niet").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let bram = app.login("bram", Role::Agent, None).await;
    app.act(&anna, 1, "take", &[]).await;
    let refused = app.act(&bram, 1, "reply", &[("text", "Hallo")]).await;
    assert_eq!(refused.status(), 409);
    assert!(text(refused).await.contains("anna behandelt dit gesprek"));

    app.act(&bram, 1, "take", &[("force", "true")]).await;
    let sent = app.act(&bram, 1, "reply", &[("text", "Hallo")]).await;
    assert!(sent.status().is_redirection());
    let late = app.act(&anna, 1, "reply", &[("text", "Ook hallo")]).await;
    assert_eq!(late.status(), 409);
}

#[tokio::test]
async fn markup_in_a_resident_message_is_shown_as_text() {
    let app = app().await;
    app.resident_says(None, "<script>alert(1)</script>").await;
    let anna = app.login("anna", Role::Agent, None).await;
    for path in ["/inbox", "/conversations/1"] {
        let res = app.get(path, Some(&anna)).await;
        assert!(
            res.headers()["content-security-policy"]
                .to_str()
                .expect("ascii")
                .contains("script-src 'self'")
        );
        let html = text(res).await;
        assert!(html.contains("&#60;script&#62;alert(1)"), "{path}: escaped");
        assert!(!html.contains("<script>alert(1)"), "{path}");
    }
}

#[tokio::test]
async fn the_suggest_api_explains_each_bad_request() {
    let app = app().await;
    let key = app.api_key().await;
    let cases: [(Option<&str>, &str, u16, &str); 6] = [
        (None, r#"{"message": "grofvuil"}"#, 401, "missing API key"),
        (
            Some("vbk_fout"),
            r#"{"message": "grofvuil"}"#,
            401,
            "invalid API key",
        ),
        (Some(&key), r#"{"message": "#, 400, "malformed JSON"),
        (Some(&key), r#"{"k": 3}"#, 422, "message"),
        (Some(&key), r#"{"message": "  "}"#, 400, "message is empty"),
        (
            Some(&key),
            &format!(r#"{{"message": "{}"}}"#, "a".repeat(20_000)),
            413,
            "larger than",
        ),
    ];
    for (bearer, body, status, needle) in cases {
        let res = app.post_json("/api/v1/suggest", bearer, body).await;
        assert_eq!(res.status(), status, "{needle}");
        let error = json(res).await["error"]
            .as_str()
            .expect("error text")
            .to_string();
        assert!(
            error.contains(needle),
            "{error:?} should mention {needle:?}"
        );
    }
}

#[tokio::test]
async fn the_suggest_api_answers_like_the_command_line() {
    let app = app().await;
    let key = app.api_key().await;
    let res = app
        .post_json(
            "/api/v1/suggest",
            Some(&key),
            r#"{"message": "wanneer wordt het grofvuil opgehaald?", "k": 2}"#,
        )
        .await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["message"], "wanneer wordt het grofvuil opgehaald?");
    assert_eq!(body["confident"], true);
    let top = &body["suggestions"][0];
    assert_eq!(top["id"], "grofvuil");
    for field in [
        "title",
        "score",
        "confidence",
        "answer",
        "links",
        "matched",
        "unexplained",
        "unanswered",
    ] {
        assert!(!top[field].is_null(), "{field}");
    }
    assert_eq!(body["suggestions"].as_array().expect("list").len(), 2);
}

#[tokio::test]
async fn an_agent_cannot_open_the_admin_page_or_reload_the_knowledge_base() {
    let app = app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    assert_eq!(app.get("/admin", Some(&anna)).await.status(), 403);
    assert_eq!(app.submit(&anna, "/kb/reload", &[]).await.status(), 403);
}

#[tokio::test]
async fn an_unknown_url_is_a_dutch_404_page_and_json_under_the_api() {
    let app = app().await;
    let res = app.get("/bestaat-niet", None).await;
    assert_eq!(res.status(), 404);
    let page = text(res).await;
    assert!(page.contains("<html lang=\"nl\">"), "{page}");
    assert!(page.contains("Pagina niet gevonden"), "{page}");
    let res = app.get("/api/v1/bestaat-niet", None).await;
    assert_eq!(res.status(), 404);
    assert_eq!(json(res).await["error"], "not found");
}

#[tokio::test]
async fn a_reply_into_a_colleagues_conversation_keeps_the_draft_and_offers_to_take_over() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let bram = app.login("bram", Role::Agent, None).await;
    assert!(
        app.act(&anna, 1, "take", &[])
            .await
            .status()
            .is_redirection()
    );

    let page = text(app.get("/conversations/1", Some(&bram)).await).await;
    assert!(
        page.contains("id=\"send\" disabled"),
        "Verstuur is off while anna holds it"
    );
    assert!(page.contains("Overnemen en versturen"), "{page}");

    let draft = "U kunt een nieuw paspoort aanvragen & ophalen.";
    let refused = app.act(&bram, 1, "reply", &[("text", draft)]).await;
    assert_eq!(refused.status(), 409);
    let page = text(refused).await;
    assert!(
        page.contains("U kunt een nieuw paspoort aanvragen &#38; ophalen.</textarea>"),
        "the draft is back in the reply box: {page}"
    );
    assert!(
        page.contains("id=\"reply-error\" role=\"alert\">anna behandelt dit gesprek"),
        "the reason stands inline: {page}"
    );
    assert!(app.thread(1).await.iter().all(|m| m.text != draft));

    let sent = app
        .act(&bram, 1, "reply", &[("text", draft), ("take_over", "true")])
        .await;
    assert!(sent.status().is_redirection(), "{}", sent.status());
    assert!(app.thread(1).await.iter().any(|m| m.text == draft));
    let conversation = app
        .state
        .chat
        .conversation_for(&bram.user, 1)
        .await
        .expect("exists");
    assert_eq!(
        conversation.assignee.map(|a| a.name).as_deref(),
        Some("bram")
    );
}
