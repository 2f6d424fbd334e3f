//! Slow and greedy clients: header and idle timeouts, the connection cap, event-stream caps,
//! streams that end with their session, and the caps on message and search length.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Response, StatusCode, header};
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::service::{CUT_MARK, MAX_STORED_CHARS, cut_long};
use vraagbaak::config::Config;
use vraagbaak::store::users::Role;
use vraagbaak::web::pages::MAX_QUERY_CHARS;

use crate::common::app::{Login, TestApp, app_with, quiet_config, text};
use crate::whatsapp::whatsapp_config;

/// The app served on a free local port through the real accept loop, until `shutdown`.
async fn served_until(
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> (TestApp, SocketAddr, JoinHandle<std::io::Result<()>>) {
    let app = app_with(config).await;
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let address = listener.local_addr().expect("bound");
    let (state, stop) = (app.state.clone(), app.stop.clone());
    let server = tokio::spawn(vraagbaak::web::serve(listener, state, stop, shutdown));
    (app, address, server)
}

async fn served(config: Config) -> (TestApp, SocketAddr) {
    let (app, address, _) = served_until(config, std::future::pending()).await;
    (app, address)
}

/// Reads until the server closes the connection; what it sent, and how long that took.
async fn read_until_closed(socket: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let read = tokio::time::timeout(limit, socket.read_to_end(&mut received)).await;
    assert!(
        read.is_ok(),
        "the server kept the connection open for {limit:?}"
    );
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

/// `GET /healthz` on a fresh connection; the status line, or what went wrong.
async fn healthz(address: SocketAddr) -> String {
    let Ok(mut socket) = TcpStream::connect(address).await else {
        return "connect failed".into();
    };
    let request = b"GET /healthz HTTP/1.1\r\nhost: vraagbaak\r\nconnection: close\r\n\r\n";
    if socket.write_all(request).await.is_err() {
        return "write failed".into();
    }
    let mut received = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), socket.read_to_end(&mut received)).await;
    let received = String::from_utf8_lossy(&received);
    received.lines().next().unwrap_or("closed").to_string()
}

fn short_timeouts() -> Config {
    let mut config = quiet_config();
    config.server.header_timeout_secs = 1;
    config
}

#[tokio::test]
async fn a_half_sent_request_line_is_closed_within_the_header_timeout() {
    let (_app, address) = served(short_timeouts()).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    socket.write_all(b"GET /heal").await.expect("write");
    let (_, took) = read_until_closed(&mut socket, Duration::from_secs(5)).await;
    assert!(took < Duration::from_secs(3), "closed after {took:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let (_app, address) = served(short_timeouts()).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    socket
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: vraagbaak\r\n\r\n")
        .await
        .expect("write");
    let (answer, took) = read_until_closed(&mut socket, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(took < Duration::from_secs(3), "idle for {took:?}");
}

#[tokio::test]
async fn beyond_the_connection_cap_clients_are_refused_and_healthz_returns_when_they_go() {
    let mut config = quiet_config();
    config.server.max_connections = 3;
    let (_app, address) = served(config).await;
    let mut idle = Vec::new();
    for _ in 0..3 {
        let mut socket = TcpStream::connect(address).await.expect("connect");
        socket.write_all(b"GET /he").await.expect("write");
        idle.push(socket);
    }
    // Give the server time to accept all three.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = TcpStream::connect(address)
        .await
        .expect("the kernel accepts");
    let (answer, took) = read_until_closed(&mut extra, Duration::from_secs(2)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 503"),
        "{answer}"
    );
    assert!(took < Duration::from_secs(1), "refused after {took:?}");
    assert_ne!(healthz(address).await, "HTTP/1.1 200 OK", "still full");

    drop(idle);
    let started = Instant::now();
    loop {
        if healthz(address).await == "HTTP/1.1 200 OK" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "healthz never answered"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn shutdown_ends_open_event_streams_and_the_server_stops() {
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async {
        let _ = stopped.await;
    };
    let (app, address, server) = served_until(quiet_config(), shutdown).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    let request = format!(
        "GET /events HTTP/1.1\r\nhost: vraagbaak\r\ncookie: {}\r\n\r\n",
        anna.cookie
    );
    socket.write_all(request.as_bytes()).await.expect("write");
    let mut head = [0u8; 12];
    socket.read_exact(&mut head).await.expect("a response");
    assert_eq!(&head, b"HTTP/1.1 200");

    let _ = stop.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(5), server).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "{stopped:?}");
    read_until_closed(&mut socket, Duration::from_secs(2)).await;
}

/// Opens `/events` as `login`; the response holds the stream open until dropped.
async fn events(app: &TestApp, login: &Login) -> Response<Body> {
    app.get("/events", Some(login)).await
}

/// Whether the event stream ends (the server closes it) within `limit`.
async fn ends_within(res: Response<Body>, limit: Duration) -> bool {
    let mut body = res.into_body();
    let drained = async {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    };
    tokio::time::timeout(limit, drained).await.is_ok()
}

#[tokio::test]
async fn event_streams_are_capped_per_session_and_per_address_with_a_429() {
    let mut config = quiet_config();
    config.server.max_streams_per_session = 2;
    config.server.max_streams_per_address = 3;
    let app = app_with(config).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let bram = app.login("bram", Role::Agent, None).await;

    let first = events(&app, &anna).await;
    let second = events(&app, &anna).await;
    assert_eq!(
        (first.status(), second.status()),
        (StatusCode::OK, StatusCode::OK)
    );
    let third = events(&app, &anna).await;
    assert_eq!(third.status(), StatusCode::TOO_MANY_REQUESTS, "per session");
    assert!(text(third).await.contains("te veel live-verbindingen"));

    let bram_first = events(&app, &bram).await;
    assert_eq!(bram_first.status(), StatusCode::OK);
    let bram_second = events(&app, &bram).await;
    assert_eq!(
        bram_second.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "per address"
    );

    // A stream that closes gives its place back.
    drop(first);
    let started = Instant::now();
    while events(&app, &anna).await.status() != StatusCode::OK {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the slot never came back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop((second, bram_first));
}

#[tokio::test]
async fn logout_ends_the_sessions_open_event_stream() {
    let app = app_with(quiet_config()).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let stream = events(&app, &anna).await;
    assert_eq!(stream.status(), StatusCode::OK);
    let res = app.submit(&anna, "/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(ends_within(stream, Duration::from_secs(2)).await);
}

#[tokio::test]
async fn a_blocked_users_event_streams_end_and_others_stay_open() {
    let app = app_with(quiet_config()).await;
    let admin = app.login("beheer", Role::Admin, None).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let anna_stream = events(&app, &anna).await;
    let admin_stream = events(&app, &admin).await;
    let path = format!("/admin/users/{}/disable", anna.user.id);
    let res = app.submit(&admin, &path, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(ends_within(anna_stream, Duration::from_secs(2)).await);
    assert!(!ends_within(admin_stream, Duration::from_millis(300)).await);
}

async fn only_conversation(app: &TestApp) -> i64 {
    app.state
        .chat
        .store
        .call(|c| Ok(c.query_row("SELECT id FROM conversations", [], |r| r.get(0))?))
        .await
        .expect("one conversation")
}

/// The next `change` event's data on a dashboard stream, if one comes within `limit`.
async fn next_change(body: &mut Body, limit: Duration) -> Option<String> {
    let next = async {
        while let Some(Ok(frame)) = body.frame().await {
            let Ok(data) = frame.into_data() else {
                continue;
            };
            let data = String::from_utf8_lossy(&data).into_owned();
            if data.contains("event: change") {
                return Some(data);
            }
        }
        None
    };
    tokio::time::timeout(limit, next).await.ok().flatten()
}

#[tokio::test]
async fn a_department_stream_hears_only_its_departments_conversations() {
    let app = app_with(quiet_config()).await;
    let centre = app.login("anna", Role::Agent, None).await;
    let team = app.login("vera", Role::Agent, Some("vergunningen")).await;
    let mut centre_body = events(&app, &centre).await.into_body();
    let mut team_body = events(&app, &team).await.into_body();

    app.resident_says(None, "Wanneer wordt het grofvuil opgehaald?")
        .await;
    let heard = next_change(&mut centre_body, Duration::from_secs(2)).await;
    assert!(
        heard.is_some(),
        "the contact centre hears every conversation"
    );
    assert_eq!(
        next_change(&mut team_body, Duration::from_millis(300)).await,
        None
    );

    let id = only_conversation(&app).await;
    app.act(&centre, id, "take", &[]).await;
    app.act(&centre, id, "forward", &[("department", "vergunningen")])
        .await;
    let heard = next_change(&mut team_body, Duration::from_secs(2)).await;
    assert!(heard.is_some_and(|data| data.contains(&format!("\"conversation_id\":{id}"))));
}

#[tokio::test]
async fn a_long_whatsapp_message_is_stored_cut_and_marked() {
    let app = app_with(whatsapp_config("http://127.0.0.1:9")).await;
    let secret = app
        .state
        .chat
        .config
        .whatsapp
        .app_secret
        .clone()
        .expect("a secret");
    let phone_id = app
        .state
        .chat
        .config
        .whatsapp
        .phone_number_id
        .clone()
        .expect("an id");
    let long = "Mijn vraag gaat over de afvalkalender van café Zoë. ".repeat(2_000);
    assert!(long.chars().count() > 100_000);
    let body = simulate::text_message(&phone_id, "31612345678", "Fatima", "wamid.long", &long)
        .to_string()
        .into_bytes();
    let request = axum::http::Request::post("/webhooks/whatsapp")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-hub-signature-256", sign(secret.as_bytes(), &body))
        .body(Body::from(body))
        .expect("request");
    assert_eq!(app.send(request).await.status(), StatusCode::OK);

    let id = only_conversation(&app).await;
    let thread = app.thread(id).await;
    let stored = thread
        .iter()
        .find(|m| m.text.starts_with("Mijn vraag"))
        .expect("stored");
    assert_eq!(stored.text.chars().count(), MAX_STORED_CHARS);
    assert!(stored.text.ends_with(CUT_MARK));

    let agent = app.login("anna", Role::Agent, None).await;
    let page = text(app.get(&format!("/conversations/{id}"), Some(&agent)).await).await;
    assert!(page.contains("[bericht ingekort]"));
}

#[test]
fn cutting_keeps_short_texts_whole_and_cuts_at_a_character_boundary() {
    let exact = "é".repeat(MAX_STORED_CHARS);
    assert_eq!(cut_long(&exact), exact);
    let cut = cut_long(&"é".repeat(MAX_STORED_CHARS + 1));
    assert_eq!(cut.chars().count(), MAX_STORED_CHARS);
    assert!(cut.starts_with('é') && cut.ends_with(CUT_MARK));
}

#[tokio::test]
async fn a_long_kb_search_is_answered_quickly_with_a_capped_query() {
    let app = app_with(quiet_config()).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let long = "paspoort+aanvragen+".repeat(3_000);
    let started = Instant::now();
    let res = app.get(&format!("/kb?q={long}"), Some(&anna)).await;
    let took = started.elapsed();
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    let shown = page
        .split("name=\"q\" type=\"search\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the search box");
    assert!(
        shown.chars().count() <= MAX_QUERY_CHARS,
        "{} characters",
        shown.len()
    );
    assert!(shown.starts_with("paspoort aanvragen"));
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test]
async fn a_request_body_that_stalls_is_answered_and_closed_within_the_body_deadline() {
    let mut config = short_timeouts();
    config.server.body_timeout_secs = 1;
    let (_app, address) = served(config).await;
    let mut socket = TcpStream::connect(address).await.expect("connect");
    socket
        .write_all(
            b"POST /api/v1/chat/messages HTTP/1.1\r\nhost: vraagbaak\r\n\
              content-type: application/json\r\ncontent-length: 100\r\n\r\n{\"text\": \"ha",
        )
        .await
        .expect("write");
    let (answer, took) = read_until_closed(&mut socket, Duration::from_secs(10)).await;
    assert!(took < Duration::from_secs(5), "closed after {took:?}");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("niet op tijd"), "a Dutch message: {answer}");
}
