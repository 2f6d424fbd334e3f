//! Articles over the JSON API (`/api/v1/kb/articles…`, keys with the `kb` scope): every
//! status the API promises, the save path's guarantees (nothing written on a refusal, live
//! when the call returns), and the revision history including changes made on disk.

use axum::body::Body;
use axum::http::{Request, Response, header};
use serde_json::{Value, json};

use vraagbaak::chat::editing::EditError;
use vraagbaak::kb::write::Expected;

use crate::common::app::{TestApp, editing_app, json as body_json};
use crate::common::{Kb, fixture_kb, valid_article};

const PASSPORT: &str = "paspoort-aanvragen";

struct Api {
    app: TestApp,
    key: String,
    kb: Kb,
}

async fn api() -> Api {
    let kb = fixture_kb();
    let app = editing_app(kb.path()).await;
    let key = app.api_key_with("suggest,kb").await;
    Api { app, key, kb }
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        if_match: Option<&str>,
        body: Option<Value>,
    ) -> Response<Body> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.key));
        if let Some(tag) = if_match {
            request = request.header(header::IF_MATCH, tag);
        }
        let request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => request.body(Body::empty()),
        };
        self.app.send(request.expect("request")).await
    }

    /// The article's source and ETag.
    async fn open(&self, id: &str) -> (String, String) {
        let res = self
            .call("GET", &format!("/api/v1/kb/articles/{id}"), None, None)
            .await;
        assert_eq!(res.status(), 200);
        let etag = res.headers()[header::ETAG]
            .to_str()
            .expect("ascii")
            .to_string();
        let body = body_json(res).await;
        assert_eq!(
            etag,
            format!("\"{}\"", body["version"].as_str().expect("version"))
        );
        (body["source"].as_str().expect("source").to_string(), etag)
    }

    async fn put(&self, id: &str, if_match: Option<&str>, body: Value) -> Response<Body> {
        self.call(
            "PUT",
            &format!("/api/v1/kb/articles/{id}"),
            if_match,
            Some(body),
        )
        .await
    }

    fn first_suggestion(&self, message: &str) -> Option<String> {
        let found = self.app.state.chat.suggest(message, 1);
        found.suggestions.first().map(|s| s.id.clone())
    }

    fn file(&self, relative: &str) -> Option<String> {
        std::fs::read_to_string(self.kb.path().join(relative)).ok()
    }
}

fn parking_permit() -> String {
    valid_article(
        "Bewonersvergunning parkeren",
        &[
            "hoe krijg ik een parkeervergunning",
            "bewonersvergunning aanvragen",
            "mag ik voor mijn deur parkeren",
        ],
        "parkeren",
        "",
    )
}

#[tokio::test]
async fn a_new_article_is_created_and_suggested_when_the_call_returns() {
    let api = api().await;
    assert_ne!(
        api.first_suggestion("bewonersvergunning aanvragen")
            .as_deref(),
        Some("bewonersvergunning")
    );
    let res = api
        .put(
            "bewonersvergunning",
            None,
            json!({ "source": parking_permit(), "comment": "nieuw" }),
        )
        .await;
    assert_eq!(res.status(), 201);
    let etag = res.headers()[header::ETAG]
        .to_str()
        .expect("ascii")
        .to_string();
    let body = body_json(res).await;
    assert_eq!(body["id"], "bewonersvergunning");
    assert_eq!(
        etag,
        format!("\"{}\"", body["version"].as_str().expect("version"))
    );
    assert_eq!(
        api.first_suggestion("bewonersvergunning aanvragen")
            .as_deref(),
        Some("bewonersvergunning")
    );
    assert_eq!(
        api.file("parkeren/bewonersvergunning.md"),
        Some(parking_permit())
    );
}

#[tokio::test]
async fn a_change_needs_the_version_it_started_from() {
    let api = api().await;
    let (source, etag) = api.open(PASSPORT).await;
    let changed = source.replace("wat kost een paspoort", "wat kost een paspoort in 2027");

    let res = api.put(PASSPORT, None, json!({ "source": changed })).await;
    assert_eq!(res.status(), 428, "no If-Match on an existing article");
    assert!(
        body_json(res).await["error"]
            .as_str()
            .expect("error")
            .contains("If-Match")
    );

    let res = api
        .put(PASSPORT, Some(&etag), json!({ "source": changed }))
        .await;
    assert_eq!(res.status(), 200);
    let new_version = body_json(res).await["version"]
        .as_str()
        .expect("v")
        .to_string();

    // The same ETag again is stale now: refused with the diff, nothing written.
    let other = source.replace("paspoort verlopen wat nu", "mijn paspoort is verlopen");
    let res = api
        .put(PASSPORT, Some(&etag), json!({ "source": other }))
        .await;
    assert_eq!(res.status(), 412);
    let body = body_json(res).await;
    assert_eq!(body["current_version"], new_version.as_str());
    let diff = body["diff"].as_str().expect("diff");
    assert!(
        diff.contains("-  \"wat kost een paspoort in 2027\","),
        "{diff}"
    );
    assert!(diff.contains("+  \"mijn paspoort is verlopen\","), "{diff}");
    assert_eq!(api.file("burgerzaken/paspoort-aanvragen.md"), Some(changed));

    let res = api
        .put(PASSPORT, Some("not-quoted"), json!({ "source": other }))
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn invalid_content_gets_422_with_the_problems_by_line_and_nothing_is_written() {
    let api = api().await;
    let (source, etag) = api.open(PASSPORT).await;
    let broken = source.replace("department = \"Publiekszaken\"\n", "");
    let res = api
        .put(PASSPORT, Some(&etag), json!({ "source": broken }))
        .await;
    assert_eq!(res.status(), 422);
    let body = body_json(res).await;
    let problems = body["problems"].as_array().expect("problems");
    assert!(
        problems.iter().any(|p| p["message"]
            .as_str()
            .is_some_and(|m| m.contains("department"))
            && p["line"].is_u64()),
        "{body}"
    );
    assert_eq!(api.file("burgerzaken/paspoort-aanvragen.md"), Some(source));
    let res = api
        .put(PASSPORT, Some(&etag), json!({ "text": "wrong field" }))
        .await;
    assert_eq!(res.status(), 422, "an unknown field is a JSON data error");
}

#[tokio::test]
async fn a_draft_is_kept_but_not_suggested_until_it_is_published() {
    let api = api().await;
    let res = api
        .put(
            "bewonersvergunning",
            None,
            json!({ "source": parking_permit(), "status": "draft" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(body_json(res).await["status"], "draft");
    assert_eq!(api.file("parkeren/bewonersvergunning.md"), None);
    assert_ne!(
        api.first_suggestion("bewonersvergunning aanvragen")
            .as_deref(),
        Some("bewonersvergunning")
    );
    let res = api
        .call("GET", "/api/v1/kb/articles/bewonersvergunning", None, None)
        .await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get(header::ETAG).is_none(),
        "a concept has no file to match"
    );
    assert_eq!(body_json(res).await["status"], "draft");
    let list = body_json(api.call("GET", "/api/v1/kb/articles", None, None).await).await;
    let listed = list.as_array().expect("list");
    assert_eq!(listed.len(), 4, "three files and one concept: {list}");
    assert!(
        listed
            .iter()
            .any(|a| a["id"] == "bewonersvergunning" && a["status"] == "draft")
    );
    let usage = &listed[0]["usage"];
    for count in [
        "suggested",
        "used_unchanged",
        "used_edited",
        "not_used",
        "bot_answers",
        "bot_no",
    ] {
        assert!(usage[count].is_u64(), "usage has {count}: {list}");
    }

    let res = api
        .put(
            "bewonersvergunning",
            None,
            json!({ "source": parking_permit() }),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        api.first_suggestion("bewonersvergunning aanvragen")
            .as_deref(),
        Some("bewonersvergunning")
    );
}

#[tokio::test]
async fn delete_archives_the_article_and_its_history_stays() {
    let api = api().await;
    let (_, etag) = api.open(PASSPORT).await;
    let path = format!("/api/v1/kb/articles/{PASSPORT}");
    assert_eq!(api.call("DELETE", &path, None, None).await.status(), 428);
    assert_eq!(
        api.first_suggestion("paspoort verlopen wat nu").as_deref(),
        Some(PASSPORT)
    );
    let res = api.call("DELETE", &path, Some(&etag), None).await;
    assert_eq!(res.status(), 200);
    assert_ne!(
        api.first_suggestion("paspoort verlopen wat nu").as_deref(),
        Some(PASSPORT)
    );
    assert_eq!(api.file("burgerzaken/paspoort-aanvragen.md"), None);
    assert!(
        api.file(".archive/burgerzaken/paspoort-aanvragen.md")
            .is_some()
    );
    assert_eq!(api.call("GET", &path, None, None).await.status(), 404);
    let revisions = body_json(
        api.call("GET", &format!("{path}/revisions"), None, None)
            .await,
    )
    .await;
    assert_eq!(revisions[0]["status"], "archived", "{revisions}");
}

#[tokio::test]
async fn revisions_come_newest_first_with_author_and_comment_and_file_changes_as_bestand() {
    let api = api().await;
    let chat = &api.app.state.chat;
    assert_eq!(
        chat.record_file_changes().await.expect("recorded"),
        3,
        "the first history"
    );
    let (source, etag) = api.open(PASSPORT).await;
    let changed = source.replace("wat kost een paspoort", "kosten paspoort");
    let res = api
        .put(
            PASSPORT,
            Some(&etag),
            json!({ "source": changed, "comment": "kortere vraag" }),
        )
        .await;
    assert_eq!(res.status(), 200);
    // Someone edits the file in git; the watcher's scan records it once.
    api.kb.write("burgerzaken/paspoort-aanvragen.md", &source);
    assert_eq!(chat.record_file_changes().await.expect("recorded"), 1);
    assert_eq!(chat.record_file_changes().await.expect("recorded"), 0);

    let path = format!("/api/v1/kb/articles/{PASSPORT}/revisions");
    let revisions = body_json(api.call("GET", &path, None, None).await).await;
    let authors: Vec<&str> = (revisions.as_array().expect("list").iter())
        .map(|r| r["author"].as_str().expect("author"))
        .collect();
    assert_eq!(authors, ["bestand", "api:tool", "bestand"]);
    assert_eq!(revisions[1]["comment"], "kortere vraag");
    assert!(revisions[1]["at"].is_string() && revisions[1]["version"].is_string());
    let missing = api.call(
        "GET",
        "/api/v1/kb/articles/bestaat-niet/revisions",
        None,
        None,
    );
    assert_eq!(missing.await.status(), 404);
}

#[tokio::test]
async fn keys_without_the_kb_scope_get_403_with_a_json_error() {
    let api = api().await;
    let default_key = api.app.api_key().await;
    let res = api
        .app
        .send(
            Request::get("/api/v1/kb/articles")
                .header(header::AUTHORIZATION, format!("Bearer {default_key}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 403);
    let body = body_json(res).await;
    assert!(
        body["error"]
            .as_str()
            .expect("error")
            .contains("`kb` scope"),
        "{body}"
    );

    // A kb-only key may not suggest.
    let kb_only = api.app.api_key_with("kb").await;
    let res = api
        .app
        .send(
            Request::post("/api/v1/suggest")
                .header(header::AUTHORIZATION, format!("Bearer {kb_only}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(r#"{"message": "paspoort"}"#))
                .expect("request"),
        )
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn an_added_question_is_masked_a_revision_and_live_and_not_added_twice() {
    let api = api().await;
    let chat = &api.app.state.chat;
    let question = "paspoort kwijt, mijn bsn is 111222333";
    let edited = (chat
        .add_question(PASSPORT, question, "redacteur", "uit hiaten")
        .await)
        .expect("added");
    assert!(edited.revision.is_some());
    let file = api.file("burgerzaken/paspoort-aanvragen.md").expect("file");
    assert!(!file.contains("111222333"), "{file}");
    assert!(file.contains("paspoort kwijt, mijn bsn is"), "{file}");
    let again = (chat.add_question(PASSPORT, question, "redacteur", "").await).expect("same");
    assert_eq!(
        again.revision, None,
        "a question the article has is not added again"
    );
    let history = chat.article_history(PASSPORT).await.expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].author.as_str(), history[0].comment.as_str()),
        ("redacteur", "uit hiaten")
    );
}

#[tokio::test]
async fn restoring_a_revision_saves_its_text_again_as_a_new_revision() {
    let api = api().await;
    let chat = &api.app.state.chat;
    chat.record_file_changes().await.expect("recorded");
    let (original, etag) = api.open(PASSPORT).await;
    let first = chat.article_history(PASSPORT).await.expect("history")[0].id;
    let changed = original.replace("wat kost een paspoort", "tarief paspoort");
    let res = api
        .put(PASSPORT, Some(&etag), json!({ "source": changed }))
        .await;
    let version = body_json(res).await["version"]
        .as_str()
        .expect("v")
        .to_string();

    let stale = chat
        .restore_revision(
            PASSPORT,
            first,
            Expected::Version("0".repeat(64)),
            "redacteur",
        )
        .await;
    assert!(matches!(stale, Err(EditError::Stale { .. })), "{stale:?}");
    let restored = chat
        .restore_revision(PASSPORT, first, Expected::Version(version), "redacteur")
        .await
        .expect("restored");
    assert_eq!(
        api.file("burgerzaken/paspoort-aanvragen.md"),
        Some(original)
    );
    let history = chat.article_history(PASSPORT).await.expect("history");
    assert_eq!(history.len(), 3);
    assert_eq!(Some(history[0].id), restored.revision);
    assert_eq!(
        history[0].comment, "Versie 1 hersteld",
        "editors count an article's versions from 1, whatever the store's ids"
    );
}
