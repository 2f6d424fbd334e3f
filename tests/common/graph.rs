//! The WhatsApp side of the tests: a configured app, signed webhook deliveries, a stand-in
//! of the Graph API that records what was sent, and the outbox worker with short backoff.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::routing::{get, post};
use serde_json::{Value, json};
use vraagbaak::channels::outbox::{Backoff, Worker};
use vraagbaak::channels::whatsapp::client::GraphClient;
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::config::{Config, WhatsAppCredentials};

use super::app::{TestApp, quiet_config};

pub const SECRET: &str = "app-secret-for-tests";
pub const PHONE_ID: &str = "1098765432";
pub const RESIDENT: &str = "31612345678";

pub fn whatsapp_config(graph_url: &str) -> Config {
    let mut config = quiet_config();
    config.whatsapp.app_secret = Some(SECRET.into());
    config.whatsapp.verify_token = Some("verify-me".into());
    config.whatsapp.token = Some("graph-token".into());
    config.whatsapp.phone_number_id = Some(PHONE_ID.into());
    config.whatsapp.graph_url = graph_url.parse().expect("graph url");
    config
}

/// Posts a webhook body signed with `secret` (or unsigned).
pub async fn deliver(app: &TestApp, body: &[u8], secret: Option<&str>) -> Response<Body> {
    let mut request =
        Request::post("/webhooks/whatsapp").header("content-type", "application/json");
    if let Some(secret) = secret {
        request = request.header("x-hub-signature-256", sign(secret.as_bytes(), body));
    }
    app.send(request.body(Body::from(body.to_vec())).expect("request"))
        .await
}

/// A stand-in for the Graph API that fails the first `fail_first` sends with 503.
#[derive(Default)]
pub struct GraphStandIn {
    pub fail_first: usize,
    pub calls: usize,
    /// `(to, text)` of every text message accepted.
    pub delivered: Vec<(String, String)>,
    /// Every send request body accepted, in order (texts and templates).
    pub requests: Vec<Value>,
    /// Answer template sends as Meta does for a template it does not know (error 132001).
    pub refuse_templates: bool,
    /// Residents' media by media id: `GET /v23.0/{id}` describes one, its URL serves it.
    pub media: HashMap<String, StandInMedia>,
    /// `http://127.0.0.1:<port>`, for the download URLs.
    pub origin: String,
    /// Media requests (descriptions and downloads) refused for a wrong or missing token.
    pub unauthorized: usize,
}

/// A resident's file as the Graph API keeps it.
#[derive(Clone, Default)]
pub struct StandInMedia {
    pub bytes: Vec<u8>,
    /// What Meta declares; the real type is in the bytes.
    pub mime_type: String,
    /// Declared `file_size`, when it should differ from the bytes' length (or be absent).
    pub declared_size: Option<Option<u64>>,
    /// Meta's checksum; the bytes' own hex SHA-256 when `None`.
    pub sha256: Option<String>,
    /// Describing it answers 503 this many times first.
    pub fail_first: usize,
    /// Meta no longer has it: 404.
    pub gone: bool,
    /// Served in chunks without a length, so only reading shows the size.
    pub chunked: bool,
    /// The download sends one chunk and then nothing, forever.
    pub stalls: bool,
    /// How often it was described and downloaded.
    pub described: usize,
    pub downloaded: usize,
}

fn bearer_ok(graph: &mut GraphStandIn, headers: &HeaderMap) -> bool {
    let ok = headers
        .get("authorization")
        .is_some_and(|v| v == "Bearer graph-token");
    if !ok {
        graph.unauthorized += 1;
    }
    ok
}

async fn graph_media_info(
    State(graph): State<SharedGraph>,
    Path(media_id): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, axum::Json<Value>) {
    let mut graph = graph.lock().expect("graph");
    if !bearer_ok(&mut graph, &headers) {
        let error = json!({"error": {"message": "Invalid OAuth access token", "code": 190}});
        return (StatusCode::UNAUTHORIZED, axum::Json(error));
    }
    let origin = graph.origin.clone();
    let Some(media) = graph.media.get_mut(&media_id) else {
        let error = json!({"error": {"message": "Unsupported get request", "code": 100}});
        return (StatusCode::BAD_REQUEST, axum::Json(error));
    };
    media.described += 1;
    if media.described <= media.fail_first {
        let error = json!({"error": {"message": "Service temporarily unavailable", "code": 2}});
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(error));
    }
    if media.gone {
        let error = json!({"error": {"message": "Media not found", "code": 100}});
        return (StatusCode::NOT_FOUND, axum::Json(error));
    }
    let sha256 = media.sha256.clone().unwrap_or_else(|| {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(&media.bytes))
    });
    let size = media
        .declared_size
        .unwrap_or(Some(media.bytes.len() as u64));
    (
        StatusCode::OK,
        axum::Json(json!({
            "messaging_product": "whatsapp",
            "url": format!("{origin}/lookaside/{media_id}?ext=1"),
            "mime_type": media.mime_type,
            "sha256": sha256,
            "file_size": size,
            "id": media_id,
        })),
    )
}

async fn graph_media_download(
    State(graph): State<SharedGraph>,
    Path(media_id): Path<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let mut graph = graph.lock().expect("graph");
    let status = |code: StatusCode| {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = code;
        response
    };
    if !bearer_ok(&mut graph, &headers) {
        return status(StatusCode::UNAUTHORIZED);
    }
    let Some(media) = graph.media.get_mut(&media_id) else {
        return status(StatusCode::NOT_FOUND);
    };
    media.downloaded += 1;
    let body = if media.stalls {
        use futures_util::StreamExt;
        let first = Ok::<_, std::io::Error>(media.bytes[..10].to_vec());
        Body::from_stream(
            futures_util::stream::iter([first]).chain(futures_util::stream::pending()),
        )
    } else if media.chunked {
        let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
            media.bytes.chunks(1000).map(|c| Ok(c.to_vec())).collect();
        Body::from_stream(futures_util::stream::iter(chunks))
    } else {
        Body::from(media.bytes.clone())
    };
    let mut response = Response::new(body);
    if let Ok(value) = media.mime_type.parse() {
        response.headers_mut().insert("content-type", value);
    }
    response
}

pub type SharedGraph = Arc<Mutex<GraphStandIn>>;

async fn graph_send(
    State(graph): State<SharedGraph>,
    Path(phone_id): Path<String>,
    headers: HeaderMap,
    axum::Json(body): axum::Json<Value>,
) -> (StatusCode, axum::Json<Value>) {
    assert_eq!(phone_id, PHONE_ID);
    assert_eq!(headers["authorization"], "Bearer graph-token");
    let mut graph = graph.lock().expect("graph");
    graph.calls += 1;
    if graph.calls <= graph.fail_first {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(json!({"error": {"message": "Service temporarily unavailable", "code": 2}})),
        );
    }
    if graph.refuse_templates && body["type"] == "template" {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(json!({"error": {
                "message": "(#132001) Template name does not exist in the translation",
                "code": 132001
            }})),
        );
    }
    let to = body["to"].as_str().expect("to").to_string();
    assert_eq!(body["messaging_product"], "whatsapp");
    if let Some(text) = body["text"]["body"].as_str() {
        graph.delivered.push((to.clone(), text.to_string()));
    }
    graph.requests.push(body);
    let wamid = format!("wamid.out.{}", graph.requests.len());
    (
        StatusCode::OK,
        axum::Json(json!({
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}]
        })),
    )
}

pub async fn graph_stand_in(fail_first: usize) -> (String, SharedGraph) {
    let graph: SharedGraph = Arc::new(Mutex::new(GraphStandIn {
        fail_first,
        ..GraphStandIn::default()
    }));
    let router = axum::Router::new()
        .route("/v23.0/{phone_id}/messages", post(graph_send))
        .route("/v23.0/{media_id}", get(graph_media_info))
        .route("/lookaside/{media_id}", get(graph_media_download))
        .with_state(graph.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    graph.lock().expect("graph").origin = origin.clone();
    let url = format!("{origin}/v23.0");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, graph)
}

/// The WhatsApp credentials `app` was configured with.
pub fn credentials(app: &TestApp) -> WhatsAppCredentials {
    app.state
        .chat
        .config
        .whatsapp
        .credentials()
        .expect("configured")
}

/// Runs the outbox worker of `app` with short backoff.
pub fn start_outbox(app: &TestApp) {
    start_outbox_with(
        app,
        Backoff {
            base: Duration::from_millis(20),
            max: Duration::from_millis(200),
            give_up_after: Duration::from_secs(60),
        },
    );
}

/// Runs the outbox worker of `app` with `backoff`.
pub fn start_outbox_with(app: &TestApp, backoff: Backoff) {
    let credentials = credentials(app);
    let worker = Worker {
        store: app.state.chat.store.clone(),
        hub: app.state.chat.hub.clone(),
        client: GraphClient::new(&credentials),
        backoff,
        wakeup: app.state.chat.outbox.clone(),
    };
    tokio::spawn(worker.run(app.state.shutdown.clone()));
}

pub async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what} did not happen within 6 s");
}
