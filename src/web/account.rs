//! A user's own account: "Wachtwoord wijzigen". The new password ends every other session
//! of the user; the one that changed it stays logged in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use axum_extra::extract::cookie::CookieJar;
use serde::Deserialize;

use super::AppState;
use super::auth::{Agent, SESSION_COOKIE, hash_password, verify_password};
use super::error::{AppError, PageResult};
use super::flash::{Flash, back_to};
use super::pages::Nav;
use crate::store::audit;
use crate::store::users::{self, UserError};

/// The shortest password the form accepts (as [`UserError::WeakPassword`] says).
const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Template, WebTemplate)]
#[template(path = "account_password.html")]
pub struct PasswordPage {
    pub nav: Nav,
    pub flash: Flash,
}

/// `GET /account/password`
pub async fn password_form(State(state): State<AppState>, agent: Agent) -> PasswordPage {
    PasswordPage {
        nav: Nav::new(&state, &agent.0, "account"),
        flash: state.flashes.take(&agent.0),
    }
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

/// `POST /account/password`
pub async fn change_password(
    State(state): State<AppState>,
    agent: Agent,
    jar: CookieJar,
    Form(form): Form<PasswordForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let keep = jar.get(SESSION_COOKIE).map(|c| c.value().to_string());
    let outcome = change(&state, &agent, form, keep).await;
    back_to(&state, &agent.0, "/account/password", "password", outcome)
}

async fn change(
    state: &AppState,
    agent: &Agent,
    form: PasswordForm,
    keep: Option<String>,
) -> Result<Flash, AppError> {
    if form.new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(UserError::WeakPassword.into());
    }
    if form.new != form.repeat {
        return Err(AppError::BadRequest(
            "de twee nieuwe wachtwoorden zijn niet gelijk".into(),
        ));
    }
    let name = agent.0.user.name.clone();
    let stored = state
        .chat
        .store
        .call(move |c| users::user_for_login(c, &name))
        .await?
        .map(|(_, hash)| hash)
        .ok_or(AppError::Unauthorized("user no longer exists"))?;
    if !verify_password(form.current, stored).await {
        return Err(AppError::BadRequest(
            "het huidige wachtwoord klopt niet".into(),
        ));
    }
    let hash = hash_password(form.new).await?;
    let (id, actor) = (agent.0.user.id, agent.0.user.name.clone());
    state
        .chat
        .store
        .call(move |c| {
            users::set_password(c, id, &hash, keep.as_deref())?;
            audit::record(c, &actor, "user.password_change", None, "")
        })
        .await?;
    // The other sessions are gone; their open dashboards stop listening. This page's own
    // stream ends too and its EventSource reconnects with the session that stays.
    crate::web::live::end_user_streams(state, id);
    Ok(Flash::notice(
        "Uw wachtwoord is gewijzigd. U blijft hier ingelogd; andere sessies zijn beëindigd.",
    ))
}
