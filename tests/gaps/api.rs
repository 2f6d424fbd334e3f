//! The gap endpoints of the API: `GET /api/v1/kb/gaps` and
//! `POST /api/v1/kb/articles/{id}/questions`, with every status they promise.

use vraagbaak::store::users::Role;

use super::page::editable_app;
use super::*;
use crate::common::app::json;

/// `GET path` with an API key.
async fn api_get(app: &TestApp, path: &str, key: &str) -> axum::http::Response<axum::body::Body> {
    let request = axum::http::Request::get(path)
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::empty())
        .expect("request");
    app.send(request).await
}

/// The `error` of a JSON error answer.
async fn error_of(res: axum::http::Response<axum::body::Body>) -> String {
    let body = json(res).await;
    body["error"].as_str().expect("a JSON error").to_string()
}

#[tokio::test]
async fn the_gaps_api_answers_kb_keys_with_the_groups() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let (drones, ice) = mixed_inbox(&app, &agent.user).await;
    let key = app.api_key_with("kb").await;

    let res = api_get(&app, "/api/v1/kb/gaps", &key).await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["days"], 30);
    assert_eq!(body["answered_now"], 0);
    let groups = body["groups"].as_array().expect("groups");
    let ids = |group: &serde_json::Value| -> Vec<i64> {
        sorted(
            (group["messages"].as_array().expect("messages").iter())
                .map(|m| m["message_id"].as_i64().expect("id"))
                .collect(),
        )
    };
    let drone_group = (groups.iter())
        .find(|g| ids(g) == sorted(drones.clone()))
        .expect("the drone group");
    assert_eq!(drone_group["count"], 5);
    assert!(
        drone_group["terms"]
            .as_array()
            .expect("terms")
            .contains(&"drone".into())
    );
    let first = &drone_group["messages"][0];
    assert!(first["conversation_id"].is_i64() && first["at"].is_string());
    assert!(DRONES.contains(&first["text"].as_str().expect("text")));
    assert_eq!(first["reason"], "no_answer");
    assert!(first["declined_article"].is_null());
    assert!(
        first["nearest"].is_null() || first["nearest"]["id"].is_string(),
        "{first}"
    );
    assert!(drone_group["nearest"].is_null() || drone_group["nearest"]["confidence"].is_f64());
    assert!(groups.iter().any(|g| ids(g) == sorted(ice.clone())));

    let res = api_get(&app, "/api/v1/kb/gaps?days=366", &key).await;
    assert_eq!(res.status(), 400);
    assert!(error_of(res).await.contains("1 to 365"));
    let plain = app.api_key().await;
    let res = api_get(&app, "/api/v1/kb/gaps", &plain).await;
    assert_eq!(res.status(), 403, "a key without the kb scope");
    assert!(!error_of(res).await.is_empty());
    assert_eq!(app.get("/api/v1/kb/gaps", None).await.status(), 401);
}

#[tokio::test]
async fn adding_a_question_over_the_api_answers_200_404_422_and_403() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let (drones, _) = mixed_inbox(&app, &agent.user).await;
    let key = app.api_key_with("kb").await;
    let article = "evenementenvergunning";
    let path = format!("/api/v1/kb/articles/{article}/questions");
    let add = |path: String, message: i64, key: String| {
        let app = &app;
        async move {
            let body = format!("{{\"message_id\": {message}}}");
            app.post_json(&path, Some(&key), &body).await
        }
    };

    let res = add(path.clone(), drones[0], key.clone()).await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["id"], article);
    assert_eq!(body["added"], true);
    let opened = app.state.chat.open_article(article).await.expect("open");
    let file = opened.and_then(|a| a.file).expect("the file");
    assert_eq!(body["version"], file.version.as_str(), "the new version");
    assert!(file.source.contains(DRONES[0]));
    let history = app
        .state
        .chat
        .article_history(article)
        .await
        .expect("history");
    assert_eq!(history[0].author, "api:tool");
    let gaps = json(api_get(&app, "/api/v1/kb/gaps", &key).await)
        .await
        .to_string();
    assert!(!gaps.contains(DRONES[0]), "the question left the report");

    let not_answered = format!("/api/v1/kb/articles/{article}/not_answered");
    let res = add(not_answered, drones[4], key.clone()).await;
    assert_eq!(res.status(), 200);
    assert_eq!(json(res).await["added"], true);
    let opened = app.state.chat.open_article(article).await.expect("open");
    let source = opened.and_then(|a| a.file).expect("the file").source;
    let listed_at = source.find("not_answered").expect("the list");
    assert!(source[listed_at..].contains(DRONES[4]), "{source}");
    let report = json(api_get(&app, "/api/v1/kb/gaps", &key).await).await;
    let entry = (report["groups"].as_array().expect("groups").iter())
        .flat_map(|g| g["messages"].as_array().expect("messages").iter())
        .find(|m| m["text"] == DRONES[4])
        .unwrap_or_else(|| panic!("a listed question stays in the report: {report}"));
    assert_eq!(entry["listed_article"], article, "{entry}");
    assert_ne!(entry["nearest"]["id"], article, "{entry}");

    let res = add(path.clone(), 999_999, key.clone()).await;
    assert_eq!(res.status(), 404, "unknown message");
    assert!(error_of(res).await.contains("999999"));
    let res = add(
        "/api/v1/kb/articles/bestaat-niet/questions".into(),
        drones[1],
        key.clone(),
    )
    .await;
    assert_eq!(res.status(), 404, "unknown article");
    let reply_id = app.thread(1).await.last().expect("the agent's reply").id;
    let res = add(path.clone(), reply_id, key.clone()).await;
    assert_eq!(res.status(), 404, "an agent's reply is no resident message");

    let empty = drones[2];
    app.state
        .chat
        .store
        .call(move |c| {
            c.execute("UPDATE messages SET text = '   ' WHERE id = ?1", [empty])?;
            Ok(())
        })
        .await
        .expect("empty text");
    let res = add(path.clone(), empty, key.clone()).await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.contains("no text"));

    let plain = app.api_key().await;
    let res = add(path.clone(), drones[3], plain).await;
    assert_eq!(res.status(), 403, "a key without the kb scope");
    let opened = app.state.chat.open_article(article).await.expect("open");
    let source = opened.and_then(|a| a.file).expect("the file").source;
    assert!(!source.contains(DRONES[3]), "nothing written on a refusal");
}

#[tokio::test]
async fn the_openapi_document_describes_the_gap_endpoints() {
    let app = app().await;
    let doc = json(app.get("/api/v1/openapi.json", None).await).await;
    assert!(doc["paths"]["/api/v1/kb/gaps"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/kb/articles/{id}/questions"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/kb/articles/{id}/not_answered"]["post"].is_object());
}
