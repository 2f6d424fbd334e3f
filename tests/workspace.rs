//! The agents' workspace in-process: administration, labels, what agents did with the
//! suggestions, forwarding, status, the public chat's limits and the inbox-tool API.

use vraagbaak::chat::{Status, Usage};
use vraagbaak::config::Config;
use vraagbaak::store::audit;
use vraagbaak::store::conversations as conv;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app, app_with, json, quiet_config, text};

/// The value an admin page shows once (a new password or API key).
fn shown_secret(html: &str) -> String {
    let start = html
        .find("<code id=\"secret\">")
        .expect("a secret is shown")
        + 18;
    let end = start + html[start..].find("</code>").expect("closing tag");
    html[start..end].to_string()
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, String)> {
    app.state
        .chat
        .store
        .call(|c| audit::recent(c, 100))
        .await
        .expect("audit log")
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

#[tokio::test]
async fn an_admin_adds_a_colleague_whose_password_is_shown_once_and_works() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let added = app
        .submit(
            &admin,
            "/admin/users",
            &[("name", "bram"), ("role", "agent")],
        )
        .await;
    assert_eq!(added.status(), 303, "post/redirect/get");
    let page = text(app.get("/admin", Some(&admin)).await).await;
    assert!(page.contains("Wachtwoord voor bram"), "{page}");
    let password = shown_secret(&page);

    let again = text(app.get("/admin", Some(&admin)).await).await;
    assert!(!again.contains(&password), "shown only once");
    let login = app
        .post_form("/login", None, &[("name", "bram"), ("password", &password)])
        .await;
    assert!(login.status().is_redirection(), "{}", login.status());
    assert!(
        login.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .contains("HttpOnly")
    );
    let wrong = app
        .post_form(
            "/login",
            None,
            &[("name", "bram"), ("password", "geraden-123")],
        )
        .await;
    assert!(!wrong.headers().contains_key("set-cookie"));

    let duplicate = app
        .submit(
            &admin,
            "/admin/users",
            &[("name", "bram"), ("role", "agent")],
        )
        .await;
    assert_eq!(duplicate.status(), 303, "back to the form");
    assert!(
        text(app.get("/admin", Some(&admin)).await)
            .await
            .contains("Er bestaat al een gebruiker bram")
    );
    assert!(audit_actions(&app).await.contains(&(
        "beheer".into(),
        "user.add".into(),
        "bram (agent)".into()
    )));
}

#[tokio::test]
async fn an_api_key_is_shown_once_works_and_stops_working_when_revoked() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let bad = app
        .submit(&admin, "/admin/keys", &[("name", "social:inbox")])
        .await;
    assert_eq!(bad.status(), 303, "back to the form");
    assert!(
        text(app.get("/admin", Some(&admin)).await)
            .await
            .contains("geef de sleutel een naam"),
        "a colon would blur which conversations a key may read"
    );
    let no_scope = app
        .submit(&admin, "/admin/keys", &[("name", "social-inbox")])
        .await;
    assert_eq!(no_scope.status(), 303, "back to the form");
    assert!(
        text(app.get("/admin", Some(&admin)).await)
            .await
            .contains("kies ten minste één recht"),
        "a key that may do nothing is refused"
    );
    let created = app
        .submit(
            &admin,
            "/admin/keys",
            &[("name", "social-inbox"), ("suggest", "on"), ("kb", "on")],
        )
        .await;
    assert_eq!(created.status(), 303);
    let page = text(app.get("/admin", Some(&admin)).await).await;
    let key = shown_secret(&page);
    assert!(key.starts_with("vbk_"), "{key}");
    assert!(
        page.contains("<td>suggest,kb</td>"),
        "the scopes are listed"
    );
    let body = r#"{"message": "mijn paspoort is verlopen"}"#;
    let ok = app.post_json("/api/v1/suggest", Some(&key), body).await;
    assert_eq!(ok.status(), 200);
    let inbound = r#"{"channel": "social", "resident": "r1", "text": "hallo"}"#;
    let outside = app
        .post_json("/api/v1/conversations/messages", Some(&key), inbound)
        .await;
    assert_eq!(outside.status(), 403, "the key has no conversations scope");

    let page = text(app.get("/admin", Some(&admin)).await).await;
    assert!(!page.contains(&key), "the key is not shown again");
    let key_id = app
        .state
        .chat
        .store
        .call(|c| vraagbaak::store::users::api_keys(c))
        .await
        .expect("keys")[0]
        .id;
    let revoked = app
        .submit(&admin, &format!("/admin/keys/{key_id}/revoke"), &[])
        .await;
    assert!(revoked.status().is_redirection());
    let refused = app.post_json("/api/v1/suggest", Some(&key), body).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(json(refused).await["error"], "invalid API key");
}

#[tokio::test]
async fn labels_are_lowercased_suggested_from_the_used_article_and_commas_are_refused() {
    let app = app().await;
    app.resident_says(None, "wanneer wordt het grofvuil opgehaald?")
        .await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(!page.contains("label suggested"), "no article used yet");
    app.act(&anna, 1, "take", &[]).await;
    app.act(
        &anna,
        1,
        "reply",
        &[
            ("text", "Maak online een afspraak."),
            ("article", "grofvuil"),
        ],
    )
    .await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    for tag in ["afval", "grofvuil", "inzameling"] {
        assert!(
            page.contains(&format!("+ {tag}</button>")),
            "{tag} suggested: {page}"
        );
    }

    let add = |label: &'static str| {
        let app = &app;
        let anna = &anna;
        async move {
            app.act(anna, 1, "labels", &[("label", label), ("op", "add")])
                .await
        }
    };
    assert!(add("  Afval ").await.status().is_redirection());
    let refused = add("afval,grofvuil").await;
    assert_eq!(refused.status(), 400);
    assert!(text(refused).await.contains("geen komma"));
    let conversation = app
        .state
        .chat
        .conversation_for(&anna.user, 1)
        .await
        .expect("exists");
    assert_eq!(conversation.labels, ["afval"]);
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        !page.contains("+ afval</button>"),
        "a label in use is no longer suggested"
    );

    let filtered = text(app.get("/inbox?label=afval", Some(&anna)).await).await;
    assert!(filtered.contains("grofvuil opgehaald"), "{filtered}");
    let other = text(app.get("/inbox?label=paspoort", Some(&anna)).await).await;
    assert!(!other.contains("grofvuil opgehaald"), "{other}");

    app.act(&anna, 1, "labels", &[("label", "AFVAL"), ("op", "remove")])
        .await;
    let conversation = app
        .state
        .chat
        .conversation_for(&anna.user, 1)
        .await
        .expect("exists");
    assert!(conversation.labels.is_empty());
}

#[tokio::test]
async fn each_reply_records_whether_the_suggestion_was_sent_unchanged_edited_or_not_used() {
    let app = app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    // What "Gebruik" puts in the reply box: the answer with its links.
    let answer = vraagbaak::chat::answer::article_markdown(
        app.state
            .chat
            .engine
            .snapshot()
            .article("grofvuil")
            .expect("sample article"),
        &Config::default().site_url,
    );
    let token = app
        .resident_says(None, "wanneer wordt het grofvuil opgehaald?")
        .await;
    app.act(&anna, 1, "take", &[]).await;
    let replies = [
        (answer.as_str(), "grofvuil"),
        ("Dat kan online. Zie de website.", "grofvuil"),
        ("Ik zoek het voor u uit.", ""),
    ];
    for (reply, article) in replies {
        app.resident_says(Some(&token), "en nog een vraag").await;
        let sent = app
            .act(&anna, 1, "reply", &[("text", reply), ("article", article)])
            .await;
        assert!(sent.status().is_redirection(), "{}", sent.status());
    }
    let usages: Vec<Option<Usage>> = app
        .thread(1)
        .await
        .into_iter()
        .filter(|m| m.author_name.as_deref() == Some("anna"))
        .map(|m| m.usage)
        .collect();
    assert_eq!(
        usages,
        [
            Some(Usage::Unchanged),
            Some(Usage::Edited),
            Some(Usage::NotUsed)
        ]
    );
    let shown = app
        .state
        .chat
        .store
        .call(|c| conv::shown_suggestions(c, 1))
        .await
        .expect("shown");
    assert_eq!(shown.len(), 3, "three suggestions recorded for the message");
    assert_eq!(shown[0].article_id, "grofvuil");
}

#[tokio::test]
async fn forwarding_tells_the_resident_the_department_expectation() {
    let app = app().await;
    let token = app
        .resident_says(None, "mag ik een dakkapel plaatsen zonder vergunning?")
        .await;
    let anna = app.login("anna", Role::Agent, None).await;
    let unknown = app
        .act(&anna, 1, "forward", &[("department", "ruimtevaart")])
        .await;
    assert_eq!(unknown.status(), 400);
    app.act(&anna, 1, "forward", &[("department", "vergunningen")])
        .await;
    let resident = app.resident_view(&token).await;
    let last = &resident["messages"][1];
    assert_eq!(
        last["text"],
        "Uw vraag is doorgezet naar team Vergunningen. U krijgt binnen 3 werkdagen antwoord."
    );
    assert_eq!(last["author"], "system");
}

#[tokio::test]
async fn a_closed_conversation_reopens_when_the_resident_writes_again() {
    let app = app().await;
    let token = app.resident_says(None, "de lantaarnpaal brandt niet").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "status", &[("status", "closed")]).await;
    let status = |app: &TestApp| {
        let user = anna.user.clone();
        let chat = app.state.chat.clone();
        async move {
            chat.conversation_for(&user, 1)
                .await
                .expect("exists")
                .status
        }
    };
    assert_eq!(status(&app).await, Status::Closed);
    let closed = text(app.get("/inbox?scope=closed", Some(&anna)).await).await;
    assert!(closed.contains("lantaarnpaal"), "{closed}");
    let open = text(app.get("/inbox?scope=open", Some(&anna)).await).await;
    assert!(!open.contains("lantaarnpaal"), "{open}");

    app.resident_says(Some(&token), "hij is nog steeds kapot")
        .await;
    assert_eq!(status(&app).await, Status::Open);
    let open = text(app.get("/inbox?scope=open", Some(&anna)).await).await;
    assert!(open.contains("nog steeds kapot"), "{open}");
}

#[tokio::test]
async fn the_public_chat_limits_length_and_rate_with_a_clear_message() {
    let mut config = quiet_config();
    config.chat.max_message_chars = 50;
    config.chat.messages_per_minute_per_conversation = 3;
    let app = app_with(config).await;
    let long = serde_json::json!({ "text": "a".repeat(51) }).to_string();
    let refused = app.post_json("/api/v1/chat/messages", None, &long).await;
    assert_eq!(refused.status(), 413);
    let body = json(refused).await;
    assert_eq!(body["error"], "message is longer than 50 characters");
    assert_eq!(
        body["melding"],
        "Uw bericht is te lang. Gebruik maximaal 50 tekens."
    );
    let empty = app
        .post_json("/api/v1/chat/messages", None, r#"{"text": "   "}"#)
        .await;
    assert_eq!(empty.status(), 400);
    assert_eq!(json(empty).await["error"], "message is empty");

    let token = app.resident_says(None, "vraag 1").await;
    app.resident_says(Some(&token), "vraag 2").await;
    app.resident_says(Some(&token), "vraag 3").await;
    let fourth = serde_json::json!({ "text": "vraag 4", "token": token }).to_string();
    let limited = app.post_json("/api/v1/chat/messages", None, &fourth).await;
    assert_eq!(limited.status(), 429);
    assert!(
        json(limited).await["melding"]
            .as_str()
            .expect("Dutch message")
            .contains("over een minuut")
    );
    assert_eq!(
        app.thread(1).await.len(),
        3,
        "the refused message is not stored"
    );
    // Another resident is not held back by this one.
    app.resident_says(None, "een andere vraag").await;
}

#[tokio::test]
async fn an_inbox_tool_posts_into_one_conversation_per_resident_and_reads_only_its_own() {
    let app = app().await;
    let key = app.api_key().await;
    let post = |resident: &'static str, text: &'static str| {
        let (app, key) = (&app, &key);
        async move {
            let body =
                serde_json::json!({ "channel": "facebook", "resident": resident, "text": text });
            app.post_json(
                "/api/v1/conversations/messages",
                Some(key),
                &body.to_string(),
            )
            .await
        }
    };
    let first = post("fb-1", "mijn paspoort is verlopen").await;
    assert_eq!(first.status(), 201);
    let first = json(first).await;
    assert_eq!(
        first["suggestions"]["suggestions"][0]["id"],
        "paspoort-aanvragen"
    );
    let second = json(post("fb-1", "kan het ook op zaterdag?").await).await;
    assert_eq!(first["conversation_id"], second["conversation_id"]);
    let other = json(post("fb-2", "de lantaarnpaal brandt niet").await).await;
    assert_ne!(first["conversation_id"], other["conversation_id"]);

    let id = first["conversation_id"].as_i64().expect("id");
    let read = app
        .send(
            axum::http::Request::get(format!("/api/v1/conversations/{id}"))
                .header("authorization", format!("Bearer {key}"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(read.status(), 200);
    let read = json(read).await;
    assert_eq!(read["conversation"]["channel"], "facebook");
    assert_eq!(read["messages"].as_array().expect("list").len(), 2);

    // A web-chat conversation is not the tool's to read, and webchat is not its channel.
    app.resident_says(None, "wanneer wordt het grofvuil opgehaald?")
        .await;
    let webchat = app
        .send(
            axum::http::Request::get("/api/v1/conversations/3")
                .header("authorization", format!("Bearer {key}"))
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(webchat.status(), 404);
    let body = r#"{"channel": "webchat", "resident": "x", "text": "hallo"}"#;
    let refused = app
        .post_json("/api/v1/conversations/messages", Some(&key), body)
        .await;
    assert_eq!(refused.status(), 400);
    let missing = app
        .post_json(
            "/api/v1/conversations/messages",
            Some(&key),
            r#"{"channel": "email", "text": "hallo"}"#,
        )
        .await;
    assert_eq!(missing.status(), 422);
    assert_eq!(
        json(missing).await["error"],
        "invalid request: missing field `resident` at line 1 column 37"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_every_api_route() {
    let app = app().await;
    let res = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(res.status(), 200);
    let doc = json(res).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/suggest",
        "/api/v1/conversations/messages",
        "/api/v1/conversations/{id}",
        "/api/v1/conversations/{id}/replies",
        "/api/v1/kb/reload",
        "/api/v1/kb/articles",
        "/api/v1/kb/articles/{id}",
        "/api/v1/kb/articles/{id}/revisions",
        "/api/v1/chat/info",
        "/api/v1/chat/messages",
        "/api/v1/chat/events",
        "/webhooks/whatsapp",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    // Every reference resolves.
    let raw = doc.to_string();
    for reference in raw.split("\"$ref\":\"#/").skip(1) {
        let pointer = &reference[..reference.find('"').expect("end of ref")];
        assert!(
            doc.pointer(&format!("/{pointer}")).is_some(),
            "{pointer} is defined"
        );
    }
}

/// The `Suggestion` schema lists exactly the fields a suggestion has, requires each, and its
/// `unanswered` values are every aspect the engine can name.
#[tokio::test]
async fn the_openapi_suggestion_schema_matches_what_the_api_sends() {
    let app = app().await;
    let doc = json(app.get("/api/v1/openapi.json", None).await).await;
    let schema = &doc["components"]["schemas"]["Suggestion"];
    let key = app.api_key().await;
    // Set abroad and asking a cost: the articles found lack some aspects.
    let body = r#"{"message": "wat kost een paspoort aanvragen als ik in Spanje woon?", "k": 5}"#;
    let found = json(app.post_json("/api/v1/suggest", Some(&key), body).await).await;
    let suggestion = found["suggestions"][0].as_object().expect("a suggestion");
    let mut sent: Vec<&str> = suggestion.keys().map(String::as_str).collect();
    let mut documented: Vec<&str> = (schema["properties"].as_object())
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    sent.sort_unstable();
    documented.sort_unstable();
    assert_eq!(sent, documented);
    let mut required: Vec<&str> = (schema["required"].as_array().expect("required").iter())
        .filter_map(|v| v.as_str())
        .collect();
    required.sort_unstable();
    assert_eq!(required, documented, "every field is always sent");
    let aspects = &schema["properties"]["unanswered"]["items"]["enum"];
    for aspect in vraagbaak::search::features::Aspect::ALL {
        let name = serde_json::to_value(aspect).expect("aspect");
        assert!(
            aspects.as_array().expect("enum").contains(&name),
            "{name} is documented"
        );
    }
}

#[tokio::test]
async fn viewing_and_sending_are_written_to_the_audit_log() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.get("/conversations/1", Some(&anna)).await;
    app.act(&anna, 1, "take", &[]).await;
    app.act(&anna, 1, "reply", &[("text", "Maak een afspraak.")])
        .await;
    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(actor, _, _)| actor == "anna")
        .map(|(_, action, _)| action)
        .collect();
    for expected in ["conversation.view", "conversation.take", "message.send"] {
        assert!(
            actions.contains(&expected.to_string()),
            "{expected}: {actions:?}"
        );
    }
    let entries = app
        .state
        .chat
        .store
        .call(|c| audit::recent(c, 100))
        .await
        .expect("audit");
    assert!(
        entries
            .iter()
            .all(|e| !e.detail.contains("Maak een afspraak")),
        "the audit log never holds message text"
    );
    let tampered = app
        .state
        .chat
        .store
        .call(|c| Ok(c.execute("DELETE FROM audit_log", [])))
        .await
        .expect("store");
    assert!(tampered.is_err(), "the audit log is append-only");
}
