//! Logging in, sessions and the admin account cycle, in-process: the login limits, the
//! same-site check, `no-store`, the audited live refresh, password reset and change,
//! unblocking, role changes and the admin forms' post/redirect/get.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode, header};
use vraagbaak::store::audit;
use vraagbaak::store::users::{self, Role};
use vraagbaak::web::login::verifications;

use crate::common::app::{Login, TestApp, app, text};

const PASSWORD: &str = "wachtwoord-123";
const HOST: &str = "vraagbaak.test";

/// A login form post from `address` (as the connection's peer), as a browser on this site
/// sends it unless `origin` says otherwise.
async fn login_from(
    app: &TestApp,
    address: u8,
    name: &str,
    password: &str,
    origin: &str,
) -> Response<Body> {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([("name", name), ("password", password)])
        .finish();
    let mut request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::HOST, HOST)
        .header(header::ORIGIN, origin)
        .body(Body::from(body))
        .expect("request");
    let peer = SocketAddr::from(([198, 51, 100, address], 40000));
    request.extensions_mut().insert(ConnectInfo(peer));
    app.send(request).await
}

const HERE: &str = "http://vraagbaak.test";

fn logged_in(res: &Response<Body>) -> bool {
    res.status() == StatusCode::SEE_OTHER
        && res.headers()["location"] == "/inbox"
        && res.headers().contains_key(header::SET_COOKIE)
}

async fn audit_actions(app: &TestApp) -> Vec<(String, String, Option<i64>, String)> {
    app.state
        .chat
        .store
        .call(|c| audit::recent(c, 100))
        .await
        .expect("audit log")
        .into_iter()
        .map(|e| (e.actor, e.action, e.conversation_id, e.detail))
        .collect()
}

/// The value an admin page shows once (a new password or API key).
fn shown_secret(html: &str) -> Option<String> {
    let start = html.find("<code id=\"secret\">")? + 18;
    let end = start + html[start..].find("</code>")?;
    Some(html[start..end].to_string())
}

/// A form post that must redirect (303) to `to`; returns the page it leads to.
async fn submit_and_follow(
    app: &TestApp,
    who: &Login,
    path: &str,
    fields: &[(&str, &str)],
    to: &str,
) -> String {
    let res = app.submit(who, path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path} redirects");
    assert_eq!(res.headers()["location"], to);
    let page = app.get(to, Some(who)).await;
    assert_eq!(page.status(), 200);
    text(page).await
}

#[tokio::test]
async fn spaces_after_a_limited_name_do_not_lift_the_limit() {
    let app = app().await;
    app.login("anna", Role::Agent, None).await;
    for _ in 0..5 {
        let res = login_from(&app, 1, "anna", "geraden-123", HERE).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, 1, "anna  ", PASSWORD, HERE).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(text(res).await.contains("Te veel inlogpogingen"));
}

#[tokio::test]
async fn wrong_passwords_from_many_addresses_do_not_lock_the_real_user_out() {
    let app = app().await;
    app.login("eva", Role::Agent, None).await;
    // One address guessing is stopped after a few tries ...
    for _ in 0..5 {
        let res = login_from(&app, 1, "eva", "geraden-123", HERE).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    let res = login_from(&app, 1, "eva", "geraden-123", HERE).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    // ... more addresses only slow the name down ...
    for address in 2..7 {
        let res = login_from(&app, address, "eva", "geraden-123", HERE).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    }
    // ... and the real eva, from her own address, still gets in.
    let res = login_from(&app, 50, "eva", PASSWORD, HERE).await;
    assert!(logged_in(&res), "{}", res.status());
}

#[tokio::test]
async fn unknown_and_blocked_names_verify_a_password_hash_like_known_ones() {
    let app = app().await;
    let piet = app.login("piet", Role::Agent, None).await;
    app.state
        .chat
        .store
        .call(move |c| users::set_disabled(c, piet.user.id, true))
        .await
        .expect("blocked");
    assert_eq!(verifications(&app.state), 0);
    let res = login_from(&app, 1, "niemand", PASSWORD, HERE).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        verifications(&app.state),
        1,
        "an unknown name costs a verification"
    );
    let res = login_from(&app, 1, "piet", PASSWORD, HERE).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(verifications(&app.state), 2, "a blocked user costs one too");
}

#[tokio::test]
async fn a_login_posted_from_another_site_is_refused() {
    let app = app().await;
    app.login("anna", Role::Agent, None).await;
    for foreign in [
        "https://evil.example",
        "null",
        "http://vraagbaak.test.evil.example",
    ] {
        let res = login_from(&app, 1, "anna", PASSWORD, foreign).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{foreign}");
        assert!(!res.headers().contains_key(header::SET_COOKIE), "{foreign}");
    }
    let res = login_from(&app, 1, "anna", PASSWORD, HERE).await;
    assert!(logged_in(&res), "{}", res.status());
}

#[tokio::test]
async fn a_session_reloads_the_knowledge_base_only_with_its_csrf_token() {
    let app = app().await;
    let editor = app.login("els", Role::Editor, None).await;
    let reload = |token: Option<&str>| {
        let mut request = Request::post("/api/v1/kb/reload").header(header::COOKIE, &editor.cookie);
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        app.send(request.body(Body::empty()).expect("request"))
    };
    let bare = reload(None).await;
    assert_eq!(bare.status(), StatusCode::FORBIDDEN);
    assert!(text(bare).await.contains("x-csrf-token header"));
    assert_eq!(
        reload(Some("geraden")).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(reload(Some(&editor.csrf)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn authenticated_pages_and_api_answers_are_not_stored() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let key = app.api_key().await;
    let posted = app
        .post_json(
            "/api/v1/conversations/messages",
            Some(&key),
            r#"{"channel": "email", "resident": "r1", "text": "mijn paspoort is verlopen"}"#,
        )
        .await;
    assert_eq!(posted.status(), StatusCode::CREATED);
    let id = crate::common::app::json(posted).await["conversation_id"]
        .as_i64()
        .expect("an id");
    let mut answers = Vec::new();
    for path in [
        "/inbox",
        "/admin",
        "/account/password",
        "/kb",
        &format!("/conversations/{id}"),
    ] {
        answers.push((path.to_string(), app.get(path, Some(&admin)).await));
    }
    let api = Request::get(format!("/api/v1/conversations/{id}"))
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .expect("request");
    answers.push(("api".into(), app.send(api).await));
    let secret = app
        .submit(&admin, "/admin/keys", &[("name", "tweede")])
        .await;
    answers.push(("key post".into(), secret));
    for (what, res) in answers {
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{what}"
        );
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store", "{what}");
    }
    let asset = app.get("/static/app.css", None).await;
    assert_eq!(
        asset.headers()[header::CACHE_CONTROL],
        "public, max-age=300"
    );
}

#[tokio::test]
async fn the_live_refresh_of_a_conversation_is_audited() {
    let app = app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let res = app.get("/conversations/1?partial=true", Some(&anna)).await;
    assert_eq!(res.status(), 200);
    let views: Vec<_> = audit_actions(&app)
        .await
        .into_iter()
        .filter(|(actor, action, id, _)| {
            actor == "anna" && action == "conversation.view" && *id == Some(1)
        })
        .collect();
    assert_eq!(views.len(), 1, "{views:?}");
}

#[tokio::test]
async fn an_admin_resets_a_password_shown_once_and_the_users_sessions_end() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let bram = app.login("bram", Role::Agent, None).await;
    let path = format!("/admin/users/{}/password", bram.user.id);
    let page = submit_and_follow(&app, &admin, &path, &[], "/admin").await;
    assert!(page.contains("Nieuw wachtwoord voor bram"), "{page}");
    let password = shown_secret(&page).expect("the new password is shown");
    let again = text(app.get("/admin", Some(&admin)).await).await;
    assert!(!again.contains(&password), "shown only once");
    let old_session = app.get("/inbox", Some(&bram)).await;
    assert_eq!(
        old_session.headers()["location"],
        "/login",
        "bram's session ended"
    );
    assert!(!logged_in(
        &login_from(&app, 1, "bram", PASSWORD, HERE).await
    ));
    assert!(logged_in(
        &login_from(&app, 2, "bram", &password, HERE).await
    ));
    let detail = format!("user {}", bram.user.id);
    assert!(audit_actions(&app).await.contains(&(
        "beheer".into(),
        "user.password_reset".into(),
        None,
        detail
    )));
}

#[tokio::test]
async fn a_user_changes_their_own_password_and_their_other_sessions_end() {
    let app = app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    let (token, _) = {
        let id = anna.user.id;
        app.state
            .chat
            .store
            .call(move |c| users::create_session(c, id))
            .await
            .expect("session")
    };
    let elsewhere = format!("vraagbaak_session={token}");
    let form = app.get("/account/password", Some(&anna)).await;
    assert!(text(form).await.contains("<h1>Wachtwoord wijzigen</h1>"));

    let wrong = [
        ("current", "geraden-123"),
        ("new", "nieuw-wachtwoord-9"),
        ("repeat", "nieuw-wachtwoord-9"),
    ];
    let page = submit_and_follow(
        &app,
        &anna,
        "/account/password",
        &wrong,
        "/account/password",
    )
    .await;
    assert!(page.contains("het huidige wachtwoord klopt niet"), "{page}");
    let short = [("current", PASSWORD), ("new", "kort"), ("repeat", "kort")];
    let page = submit_and_follow(
        &app,
        &anna,
        "/account/password",
        &short,
        "/account/password",
    )
    .await;
    assert!(page.contains("minstens 10 tekens"), "{page}");

    let good = [
        ("current", PASSWORD),
        ("new", "nieuw-wachtwoord-9"),
        ("repeat", "nieuw-wachtwoord-9"),
    ];
    let page =
        submit_and_follow(&app, &anna, "/account/password", &good, "/account/password").await;
    assert!(page.contains("Uw wachtwoord is gewijzigd"), "{page}");
    let other = Request::get("/inbox")
        .header(header::COOKIE, elsewhere)
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        app.send(other).await.headers()["location"],
        "/login",
        "the other session ended"
    );
    assert_eq!(
        app.get("/inbox", Some(&anna)).await.status(),
        200,
        "this session stays"
    );
    assert!(logged_in(
        &login_from(&app, 1, "anna", "nieuw-wachtwoord-9", HERE).await
    ));
}

#[tokio::test]
async fn an_admin_unblocks_a_user_and_changes_their_role_and_department() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let bram = app.login("bram", Role::Agent, None).await;
    let id = bram.user.id;
    submit_and_follow(
        &app,
        &admin,
        &format!("/admin/users/{id}/disable"),
        &[],
        "/admin",
    )
    .await;
    assert!(!logged_in(
        &login_from(&app, 1, "bram", PASSWORD, HERE).await
    ));
    let page = submit_and_follow(
        &app,
        &admin,
        &format!("/admin/users/{id}/enable"),
        &[],
        "/admin",
    )
    .await;
    assert!(page.contains("bram kan weer inloggen"), "{page}");
    assert!(logged_in(
        &login_from(&app, 2, "bram", PASSWORD, HERE).await
    ));

    let role = [("role", "editor"), ("department", "vergunningen")];
    let page = submit_and_follow(
        &app,
        &admin,
        &format!("/admin/users/{id}/role"),
        &role,
        "/admin",
    )
    .await;
    assert!(
        page.contains("De rol en afdeling van bram zijn gewijzigd"),
        "{page}"
    );
    let changed = app
        .state
        .chat
        .store
        .call(move |c| users::user(c, id))
        .await
        .expect("store")
        .expect("bram");
    assert_eq!(changed.role, Role::Editor);
    assert_eq!(changed.department.as_deref(), Some("vergunningen"));
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|(_, action, _, _)| action == "user.enable")
    );
}

#[tokio::test]
async fn the_own_row_offers_no_block_and_blocking_oneself_is_refused() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    app.login("bram", Role::Agent, None).await;
    let page = text(app.get("/admin", Some(&admin)).await).await;
    let own = format!("/admin/users/{}/disable", admin.user.id);
    assert!(!page.contains(&own), "no Blokkeren on the own row");
    assert_eq!(page.matches(">Blokkeren<").count(), 1, "only bram's row");
    let page = submit_and_follow(&app, &admin, &own, &[], "/admin").await;
    assert!(
        page.contains("dit kunt u niet bij uw eigen account doen"),
        "{page}"
    );
    assert_eq!(
        app.get("/admin", Some(&admin)).await.status(),
        200,
        "still an admin, still in"
    );
    let id = admin.user.id;
    let me = app
        .state
        .chat
        .store
        .call(move |c| users::user(c, id))
        .await
        .expect("store")
        .expect("me");
    assert!(!me.disabled);
}

#[tokio::test]
async fn an_invalid_admin_form_redirects_back_and_shows_its_error_on_the_form() {
    let app = app().await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let res = app
        .submit(
            &admin,
            "/admin/users",
            &[("name", "met spatie"), ("role", "agent")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/admin");
    let page = text(app.get("/admin", Some(&admin)).await).await;
    let form = &page[page.find("action=\"/admin/users\"").expect("the add form")..];
    let form = &form[..form.find("</form>").expect("form end")];
    assert!(
        form.contains("role=\"alert\">Een gebruikersnaam heeft 1 tot 64"),
        "{form}"
    );
    let reload = text(app.get("/admin", Some(&admin)).await).await;
    assert!(
        !reload.contains("role=\"alert\""),
        "the error is shown once"
    );
    let page = submit_and_follow(
        &app,
        &admin,
        "/admin/users",
        &[("name", "bram"), ("role", "baas")],
        "/admin",
    )
    .await;
    assert!(page.contains("onbekende rol `baas`"), "{page}");
}

/// Prints median answer times for a wrong password on a known name and on an unknown one:
/// `cargo test --test tests measure_login -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "measurement"]
async fn measure_login_answer_times() {
    let app = app().await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for i in 0..9u8 {
        let name = format!("bekend{i}");
        app.login(&name, Role::Agent, None).await;
        let t = std::time::Instant::now();
        let res = login_from(&app, i, &name, "geraden-123", HERE).await;
        known.push(t.elapsed().as_micros());
        assert_eq!(res.status(), 401);
        let t = std::time::Instant::now();
        let res = login_from(&app, 100 + i, &format!("onbekend{i}"), "geraden-123", HERE).await;
        unknown.push(t.elapsed().as_micros());
        assert_eq!(res.status(), 401);
    }
    known.sort();
    unknown.sort();
    println!(
        "MEASURE known wrong password median {} µs, unknown name median {} µs (n=9) known={known:?} unknown={unknown:?}",
        known[4], unknown[4]
    );
}
