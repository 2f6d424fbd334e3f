//! The login form and logout.
//!
//! A login is refused when it was posted from another site (login CSRF), is throttled by
//! [`super::login_limits`], and always verifies a password hash, also for unknown names, so
//! the answer time does not tell which names exist.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Instant;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use url::Url;

use super::AppState;
use super::auth::{Agent, ClientIp, CsrfForm, SESSION_COOKIE, verify_password};
use super::error::PageResult;
use super::login_limits::{Refused, normalise_name};
use crate::store::audit;
use crate::store::users;

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub error: Option<String>,
    pub municipality: String,
}

pub async fn login_form(State(state): State<AppState>) -> LoginPage {
    LoginPage {
        error: None,
        municipality: state.chat.config.municipality.clone(),
    }
}

fn refused(state: &AppState, status: StatusCode, error: &str) -> Response {
    let page = LoginPage {
        error: Some(error.to_string()),
        municipality: state.chat.config.municipality.clone(),
    };
    (status, page).into_response()
}

/// Whether the login form was posted from this site. Browsers send `Origin` with every
/// POST (older ones at least `Referer`); it must name the host the request was sent to
/// (`Host`, or `X-Forwarded-Host` when a trusted proxy forwards it). Requests with neither
/// header do not come from a browser page, so they cannot be a cross-site forgery.
pub struct FromThisSite(pub bool);

impl FromRequestParts<AppState> for FromThisSite {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let via_proxy = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .is_some_and(|ConnectInfo(peer)| {
                state
                    .chat
                    .config
                    .server
                    .trusted_proxies
                    .contains(&peer.ip())
            });
        Ok(FromThisSite(posted_from_this_site(
            &parts.headers,
            via_proxy,
        )))
    }
}

fn posted_from_this_site(headers: &HeaderMap, via_proxy: bool) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let Some(source) = text(header::ORIGIN.as_str()).or(text(header::REFERER.as_str())) else {
        return true;
    };
    let Ok(source) = Url::parse(source) else {
        return false; // `Origin: null` (sandboxed frames, opaque origins) or garbage
    };
    let mut hosts = vec![text(header::HOST.as_str())];
    if via_proxy {
        hosts.push(text("x-forwarded-host"));
    }
    hosts
        .into_iter()
        .flatten()
        .any(|host| same_authority(&source, host))
}

/// `https://dashboard.example:8443/...` against a `Host` value such as `dashboard.example:8443`.
fn same_authority(source: &Url, host: &str) -> bool {
    let Ok(target) = Url::parse(&format!("{}://{}", source.scheme(), host.trim())) else {
        return false;
    };
    source.host_str().map(str::to_ascii_lowercase) == target.host_str().map(str::to_ascii_lowercase)
        && source.port_or_known_default() == target.port_or_known_default()
}

#[derive(Deserialize)]
pub struct LoginForm {
    name: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    FromThisSite(from_this_site): FromThisSite,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> PageResult<Response> {
    if !from_this_site {
        tracing::warn!("login posted from another site refused");
        return Ok(refused(
            &state,
            StatusCode::FORBIDDEN,
            "Deze aanmelding kwam van een andere website en is geweigerd. Open het \
             inlogscherm van vraagbaak zelf en probeer het opnieuw.",
        ));
    }
    let name = normalise_name(&form.name);
    let limits = &state.limits.login;
    let wait = match limits.admit(&name, ip, Instant::now()) {
        Ok(wait) => wait,
        Err(Refused::TooFast | Refused::NameBusy) => {
            return Ok(refused(
                &state,
                StatusCode::TOO_MANY_REQUESTS,
                "Te veel inlogpogingen. Probeer het over een minuut opnieuw.",
            ));
        }
    };
    tokio::time::sleep(wait).await;
    let found = {
        let name = name.clone();
        state
            .chat
            .store
            .call(move |c| users::user_for_login(c, &name))
            .await?
    };
    // Unknown names verify against a dummy hash: the same work, so the same answer time.
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, users::dummy_hash().to_string()),
    };
    limits.count_verification();
    // Verify on the blocking pool: argon2 takes tens of milliseconds on purpose.
    let verified = verify_password(form.password, hash).await;
    let Some(user) = user.filter(|user| verified && !user.disabled) else {
        limits.failed(&name, Instant::now());
        state
            .chat
            .store
            .call(move |c| audit::record(c, &name, "login.failed", None, ""))
            .await?;
        return Ok(refused(
            &state,
            StatusCode::UNAUTHORIZED,
            "Onbekende gebruikersnaam of onjuist wachtwoord.",
        ));
    };
    limits.succeeded(&name);
    let (token, _) = state
        .chat
        .store
        .call(move |c| {
            audit::record(c, &user.name, "login", None, "")?;
            users::create_session(c, user.id)
        })
        .await?;
    let cookie = Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.chat.config.server.secure_cookies)
        .path("/")
        .build();
    Ok((jar.add(cookie), Redirect::to("/inbox")).into_response())
}

pub async fn logout(
    State(state): State<AppState>,
    agent: Agent,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        let ended = token.clone();
        state
            .chat
            .store
            .call(move |c| users::delete_session(c, &token))
            .await?;
        super::live::end_session_streams(&state, &ended);
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/").build());
    Ok((jar, Redirect::to("/login")).into_response())
}

/// How many password hashes the login form has verified (for tests and diagnostics).
pub fn verifications(state: &AppState) -> u64 {
    state.limits.login.verifications.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("header value"));
        }
        map
    }

    /// Request headers, whether the peer is a trusted proxy, whether the post counts as this
    /// site's, and what the case shows.
    type Case<'a> = (&'a [(&'a str, &'a str)], bool, bool, &'a str);

    #[test]
    fn only_posts_from_this_host_count_as_this_site() {
        let cases: [Case; 9] = [
            (&[], false, true, "no browser headers"),
            (
                &[("host", "kcc.example"), ("origin", "https://kcc.example")],
                false,
                true,
                "same",
            ),
            (
                &[
                    ("host", "kcc.example:8080"),
                    ("origin", "http://kcc.example:8080"),
                ],
                false,
                true,
                "port",
            ),
            (
                &[("host", "KCC.example"), ("origin", "https://kcc.example")],
                false,
                true,
                "case",
            ),
            (
                &[("host", "kcc.example"), ("origin", "https://evil.example")],
                false,
                false,
                "foreign",
            ),
            (
                &[("host", "kcc.example"), ("origin", "null")],
                false,
                false,
                "opaque",
            ),
            (
                &[
                    ("host", "kcc.example"),
                    ("referer", "https://evil.example/x"),
                ],
                false,
                false,
                "referer",
            ),
            (
                &[
                    ("host", "10.0.0.5"),
                    ("x-forwarded-host", "kcc.example"),
                    ("origin", "https://kcc.example"),
                ],
                true,
                true,
                "proxy",
            ),
            (
                &[
                    ("host", "10.0.0.5"),
                    ("x-forwarded-host", "kcc.example"),
                    ("origin", "https://kcc.example"),
                ],
                false,
                false,
                "untrusted forwarded host",
            ),
        ];
        for (pairs, via_proxy, expected, case) in cases {
            assert_eq!(
                posted_from_this_site(&headers(pairs), via_proxy),
                expected,
                "{case}"
            );
        }
    }
}
