//! The Graph API calls, with the bearer token: sending a text or template message
//! (`POST {graph_url}/{phone_number_id}/messages`) and fetching a resident's media
//! (`GET {graph_url}/{media_id}` gives a short-lived URL; `GET` that URL gives the bytes).

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
    /// `{graph_url}` without the trailing slash, for media ids.
    graph_url: String,
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
        let graph_url = credentials.graph_url.as_str().trim_end_matches('/');
        GraphClient {
            http,
            endpoint: format!("{graph_url}/{}/messages", credentials.phone_number_id),
            graph_url: graph_url.to_string(),
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

/// What the Graph API says about a media id. The URL works for a few minutes, with the token.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MediaInfo {
    pub url: String,
    #[serde(default)]
    pub mime_type: Option<String>,
    /// Hex or base64, depending on the API version.
    #[serde(default)]
    pub sha256: Option<String>,
    /// A number, or a number in a string.
    #[serde(default)]
    file_size: Option<serde_json::Value>,
}

impl MediaInfo {
    pub fn file_size(&self) -> Option<u64> {
        match self.file_size.as_ref()? {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// How long one media download may take, body included.
const MEDIA_DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Why a media file was not fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Unreachable, overloaded, failing, or the token refused: try again later.
    #[error("temporarily not fetched: {0}")]
    Retry(String),
    /// Meta does not have the file (any more): retrying would not help.
    #[error("not available: {0}")]
    Gone(String),
    /// The file is larger than allowed; `size` is what was declared or read so far.
    #[error("larger than {limit} bytes ({size} or more)")]
    TooLarge { limit: u64, size: u64 },
}

impl GraphClient {
    /// The short-lived download URL and what Meta declares about media `media_id`.
    pub async fn media_info(&self, media_id: &str) -> Result<MediaInfo, FetchError> {
        let valid = !media_id.is_empty()
            && media_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !valid {
            return Err(FetchError::Gone(
                "the media id is not a Graph API id".into(),
            ));
        }
        let response = self
            .http
            .get(format!("{}/{media_id}", self.graph_url))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| FetchError::Retry(describe(&e)))?;
        let status = response.status();
        let json: serde_json::Value = response.json().await.unwrap_or_default();
        if !status.is_success() {
            let message = graph_error(&json).unwrap_or_else(|| status.to_string());
            return Err(fetch_error(status, message));
        }
        serde_json::from_value(json)
            .map_err(|e| FetchError::Retry(format!("unexpected media answer: {e}")))
    }

    /// The bytes at `url` (from [`GraphClient::media_info`]), at most `limit` of them: a
    /// larger declared length stops before reading, a longer body stops at the limit.
    pub async fn media_bytes(&self, url: &str, limit: u64) -> Result<Vec<u8>, FetchError> {
        let mut response = self
            .http
            .get(url)
            .bearer_auth(&self.token)
            // The client's 20 s covers a text send; 16 MB over a slow line needs longer.
            .timeout(MEDIA_DOWNLOAD_TIMEOUT)
            .send()
            .await
            .map_err(|e| FetchError::Retry(describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(fetch_error(status, status.to_string()));
        }
        if let Some(size) = response.content_length().filter(|&size| size > limit) {
            return Err(FetchError::TooLarge { limit, size });
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| FetchError::Retry(describe(&e)))?
        {
            let size = (bytes.len() + chunk.len()) as u64;
            if size > limit {
                return Err(FetchError::TooLarge { limit, size });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// 404, 410 and Graph's "object does not exist" (400, code 100) mean the file is gone; the
/// rest may pass (a 401 too: the token can be renewed within Meta's 30 days).
fn fetch_error(status: reqwest::StatusCode, message: String) -> FetchError {
    let line = format!("HTTP {}: {message}", status.as_u16());
    match status.as_u16() {
        404 | 410 => FetchError::Gone(line),
        400 if message.starts_with("100 ") => FetchError::Gone(line),
        _ => FetchError::Retry(line),
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
