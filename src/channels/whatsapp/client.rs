//! Sending a text or template message through the Graph API:
//! `POST {graph_url}/{phone_number_id}/messages` with the bearer token.

use std::time::Duration;

use super::payload::{MAX_BODY_CHARS, outbound_template, outbound_text, sent_wamid};
use crate::config::WhatsAppCredentials;
use crate::store::held::Template;

/// Why a send did not go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// The Graph API is unreachable, overloaded (429) or failing (5xx): try again later.
    #[error("temporarily not sent: {0}")]
    Retry(String),
    /// The Graph API refused the message (4xx): retrying would not help.
    #[error("refused: {0}")]
    Refused(String),
}

/// reqwest is built without a TLS provider of its own (so the server builds without system
/// OpenSSL); HTTPS clients in this process use ring. Call before building a client; installing
/// it again is harmless.
pub fn use_ring_for_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[derive(Clone)]
pub struct GraphClient {
    http: reqwest::Client,
    endpoint: String,
    token: String,
}

impl GraphClient {
    pub fn new(credentials: &WhatsAppCredentials) -> GraphClient {
        use_ring_for_tls();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .unwrap_or_default();
        GraphClient {
            http,
            endpoint: format!(
                "{}/{}/messages",
                credentials.graph_url.as_str().trim_end_matches('/'),
                credentials.phone_number_id
            ),
            token: credentials.token.clone(),
        }
    }

    /// Sends `body` to the WhatsApp number `to`; returns the new message's wamid.
    ///
    /// A timeout after the Graph API accepted the message leads to a retry, so a resident may
    /// rarely get a reply twice; that is better than never getting it.
    pub async fn send_text(&self, to: &str, body: &str) -> Result<String, SendError> {
        if body.chars().count() > MAX_BODY_CHARS {
            return Err(SendError::Refused(format!(
                "the message is longer than {MAX_BODY_CHARS} characters"
            )));
        }
        self.send(&outbound_text(to, body)).await
    }

    /// Sends the approved `template` to `to`; returns the new message's wamid. A template Meta
    /// does not know or has not approved (error 132001 and the like) is `Refused`.
    pub async fn send_template(&self, to: &str, template: &Template) -> Result<String, SendError> {
        let request =
            outbound_template(to, &template.name, &template.language, &template.parameters);
        self.send(&request).await
    }

    async fn send(&self, request: &serde_json::Value) -> Result<String, SendError> {
        let response = self
            .http
            .post(&self.endpoint)
            .bearer_auth(&self.token)
            .json(request)
            .send()
            .await
            .map_err(|e| SendError::Retry(describe(&e)))?;
        let status = response.status();
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        if status.is_success() {
            return sent_wamid(&json).ok_or_else(|| {
                SendError::Refused("the Graph API answered without a message id".into())
            });
        }
        let message = graph_error(&json).unwrap_or_else(|| status.to_string());
        if status.as_u16() == 429 || status.is_server_error() {
            Err(SendError::Retry(format!(
                "HTTP {}: {message}",
                status.as_u16()
            )))
        } else {
            Err(SendError::Refused(format!(
                "HTTP {}: {message}",
                status.as_u16()
            )))
        }
    }
}

/// `{"error": {"message": "...", "code": 131047}}` as one line.
fn graph_error(json: &serde_json::Value) -> Option<String> {
    let error = json.get("error")?;
    let message = error.get("message")?.as_str()?;
    Some(match error.get("code").and_then(|c| c.as_i64()) {
        Some(code) => format!("{code} {message}"),
        None => message.to_string(),
    })
}

/// A transport error without the URL (it holds the phone number id).
fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "the Graph API did not answer in time".into()
    } else if error.is_connect() {
        "cannot connect to the Graph API".into()
    } else {
        "the request to the Graph API failed".into()
    }
}
