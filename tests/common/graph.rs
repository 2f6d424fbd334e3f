//! The WhatsApp side of the tests: a configured app, signed webhook deliveries, a stand-in
//! of the Graph API that records what was sent, and the outbox worker with short backoff.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Request, Response, StatusCode};
use axum::routing::post;
use serde_json::{Value, json};
use vraagbaak::channels::outbox::{Backoff, Worker};
use vraagbaak::channels::whatsapp::client::GraphClient;
use vraagbaak::channels::whatsapp::signature::sign;
use vraagbaak::config::Config;

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
        .with_state(graph.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port");
    let url = format!("http://{}/v23.0", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    (url, graph)
}

/// Runs the outbox worker of `app` with short backoff.
pub fn start_outbox(app: &TestApp) {
    let credentials = app
        .state
        .chat
        .config
        .whatsapp
        .credentials()
        .expect("configured");
    let worker = Worker {
        store: app.state.chat.store.clone(),
        hub: app.state.chat.hub.clone(),
        client: GraphClient::new(&credentials),
        backoff: Backoff {
            base: Duration::from_millis(20),
            max: Duration::from_millis(200),
            give_up_after: Duration::from_secs(60),
        },
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
