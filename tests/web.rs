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
