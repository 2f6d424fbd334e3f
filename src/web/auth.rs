//! Who is asking: dashboard sessions (cookie + CSRF token), API keys for inbox tools, and
//! the rate limits that keep the public endpoints and the login form usable. The login form
//! itself is in `login.rs`.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum_extra::extract::cookie::CookieJar;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;

use super::AppState;
use super::error::{ApiError, AppError, PageError};
use super::login_limits::LoginLimits;
use crate::config::ChatConfig;
use crate::store::now;
use crate::store::scopes::{Scope, Scopes};
use crate::store::users::{self, Session, token_hash};

pub const SESSION_COOKIE: &str = "vraagbaak_session";

/// Keyed rate limiters, in memory (they reset on restart, which is fine for abuse control).
pub struct Limits {
    pub chat_ip: DefaultKeyedRateLimiter<IpAddr>,
    pub chat_conversation: DefaultKeyedRateLimiter<String>,
    pub login: LoginLimits,
    /// Verified API keys by hash, so the suggest endpoint does not hit SQLite per request.
    api_keys: RwLock<HashMap<Vec<u8>, (ApiCaller, Instant)>>,
}

/// How long a verified API key is trusted before it is checked again (bounds revocation delay).
const API_KEY_CACHE: Duration = Duration::from_secs(30);

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(chat: &ChatConfig) -> Limits {
        // Hash the login form's dummy password now, so the first unknown name does not
        // answer slower than later ones.
        users::dummy_hash();
        Limits {
            chat_ip: RateLimiter::keyed(per_minute(chat.requests_per_minute_per_ip)),
            chat_conversation: RateLimiter::keyed(per_minute(
                chat.messages_per_minute_per_conversation,
            )),
            login: LoginLimits::default(),
            api_keys: RwLock::new(HashMap::new()),
        }
    }
}

/// The client's address: the connection's peer, or for a request through one of
/// `server.trusted_proxies` the address that proxy reports in `X-Forwarded-For`. `0.0.0.0`
/// when the server runs without connection info (in tests).
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let trusted = &state.chat.config.server.trusted_proxies;
        Ok(ClientIp(client_ip(peer, &forwarded, trusted)))
    }
}

/// Walks `X-Forwarded-For` from the nearest hop back while the hops are trusted proxies; the
/// first untrusted address is the client. A client can prepend anything to the header, so
/// only what trusted proxies appended counts.
fn client_ip(peer: IpAddr, forwarded_for: &str, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&peer) {
        return client;
    }
    for hop in forwarded_for.rsplit(',').map(str::trim) {
        let Ok(hop) = hop.parse::<IpAddr>() else {
            break;
        };
        client = hop;
        if !trusted.contains(&hop) {
            break;
        }
    }
    client
}

/// A logged-in dashboard user. Pages without one redirect to the login form.
pub struct Agent(pub Session);

impl FromRequestParts<AppState> for Agent {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar
            .get(SESSION_COOKIE)
            .map(|c| c.value().to_string())
            .ok_or(AppError::Unauthorized("not logged in"))?;
        let session = state
            .chat
            .store
            .call(move |c| users::session(c, &token, now()))
            .await?
            .ok_or(AppError::Unauthorized("not logged in"))?;
        Ok(Agent(session))
    }
}

impl Agent {
    /// Every state-changing form carries the session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), AppError> {
        let expected = token_hash(&self.0.csrf_token);
        if token_hash(token) == expected {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    pub fn require_editor(&self) -> Result<(), AppError> {
        if self.0.user.role.can_edit_kb() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Team leads and admins; everyone else gets the 403 page.
    pub fn require_reports(&self) -> Result<(), AppError> {
        if self.0.user.role.can_see_reports() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.0.user.role.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// An inbox tool authenticated with `Authorization: Bearer <api key>`; carries the key's name.
pub struct ApiClient(pub String);

/// [`ApiClient`] with what the key may do.
#[derive(Debug, Clone)]
pub struct ApiCaller {
    pub name: String,
    /// An admin granted the key every conversation, not only those it posted into.
    pub all_conversations: bool,
    pub scopes: Scopes,
}

impl ApiCaller {
    /// 403 with a JSON error naming the scope, unless the key has it.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scopes.contains(scope) {
            Ok(())
        } else {
            Err(AppError::MissingScope(scope).into())
        }
    }

    /// How the caller appears in revisions and the audit log.
    pub fn actor(&self) -> String {
        format!("api:{}", self.name)
    }
}

/// Extractors for callers whose key has one scope; any other key gets 403 before the body
/// is read.
macro_rules! scoped_caller {
    ($(#[$doc:meta] $name:ident => $scope:expr;)+) => {$(
        #[$doc]
        pub struct $name(pub ApiCaller);

        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, ApiError> {
                let caller = ApiCaller::from_request_parts(parts, state).await?;
                caller.require($scope)?;
                Ok($name(caller))
            }
        }
    )+};
}

scoped_caller! {
    /// A key with the `suggest` scope.
    SuggestCaller => Scope::Suggest;
    /// A key with the `conversations` scope.
    ConversationsCaller => Scope::Conversations;
    /// A key with the `kb` scope.
    KbCaller => Scope::Kb;
    /// A key with the `reports` scope.
    ReportsCaller => Scope::Reports;
}

impl FromRequestParts<AppState> for ApiClient {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = ApiCaller::from_request_parts(parts, state).await?;
        Ok(ApiClient(caller.name))
    }
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(AppError::Unauthorized(
                "missing API key: send the header Authorization: Bearer <key>",
            ))?;
        let key = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or(AppError::Unauthorized(
                "malformed Authorization header: expected Bearer <key>",
            ))?
            .to_string();
        let hash = token_hash(&key);
        if let Some((caller, at)) = state
            .limits
            .api_keys
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&hash)
            && at.elapsed() < API_KEY_CACHE
        {
            return Ok(caller.clone());
        }
        let grant = state
            .chat
            .store
            .call(move |c| users::api_key_grant(c, &key))
            .await?
            .ok_or(AppError::Unauthorized("invalid API key"))?;
        let caller = ApiCaller {
            name: grant.name,
            all_conversations: grant.all_conversations,
            scopes: grant.scopes,
        };
        state
            .limits
            .api_keys
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(hash, (caller.clone(), Instant::now()));
        Ok(caller)
    }
}

/// Drops the verified-key cache, so a revoked key stops working at once.
pub fn forget_api_keys(state: &AppState) {
    state
        .limits
        .api_keys
        .write()
        .unwrap_or_else(|p| p.into_inner())
        .clear();
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// Hashes a password on the blocking pool: argon2 is slow on purpose.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || users::hash_password(&password))
        .await
        .map_err(|err| {
            AppError::Store(crate::store::StoreError::Worker(
                crate::task::stopped(&err).into(),
            ))
        })
}

/// Checks a password against its hash on the blocking pool; a failed worker counts as a
/// wrong password.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || users::verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    #[test]
    fn the_client_address_comes_from_trusted_proxies_only() {
        let proxy = ["10.0.0.2"];
        let two = ["10.0.0.2", "10.0.0.3"];
        let cases: [(&str, &str, &[&str], &str, &str); 6] = [
            (
                "203.0.113.9",
                "1.2.3.4",
                &[],
                "203.0.113.9",
                "no proxy configured",
            ),
            (
                "10.0.0.2",
                "198.51.100.7",
                &proxy,
                "198.51.100.7",
                "through the proxy",
            ),
            (
                "10.0.0.2",
                "1.2.3.4, 198.51.100.7",
                &proxy,
                "198.51.100.7",
                "forged first hop",
            ),
            (
                "10.0.0.2",
                "198.51.100.7, 10.0.0.3",
                &two,
                "198.51.100.7",
                "two proxies",
            ),
            (
                "203.0.113.9",
                "1.2.3.4",
                &proxy,
                "203.0.113.9",
                "not from the proxy",
            ),
            ("10.0.0.2", "nonsense", &proxy, "10.0.0.2", "garbage"),
        ];
        for (peer, header, trusted, expected, case) in cases {
            let trusted: Vec<IpAddr> = trusted.iter().map(|t| ip(t)).collect();
            assert_eq!(
                client_ip(ip(peer), header, &trusted),
                ip(expected),
                "{case}"
            );
        }
    }
}
