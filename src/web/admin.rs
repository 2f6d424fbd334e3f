//! Admin pages: users, API keys and the latest audit entries. The same actions exist on the
//! command line (`vraagbaak user add`, `vraagbaak apikey create`).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::auth::{Agent, CsrfForm, forget_api_keys};
use super::error::{AppError, PageResult};
use super::pages::{Nav, local_time};
use crate::store::audit::{self, Entry};
use crate::store::users::{self, ApiKey, Role, User, UserError};

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub nav: Nav,
    pub users: Vec<User>,
    pub keys: Vec<ApiKey>,
    pub audit: Vec<Entry>,
    pub departments: Vec<(String, String)>,
    /// A secret created by the last action, shown exactly once.
    pub secret: Option<(String, String)>,
}

impl AdminPage {
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        local_time(*at)
    }
}

async fn render(
    state: &AppState,
    agent: &Agent,
    secret: Option<(String, String)>,
) -> PageResult<AdminPage> {
    agent.require_admin()?;
    let (users, keys, audit) = state
        .chat
        .store
        .call(|c| Ok((users::users(c)?, users::api_keys(c)?, audit::recent(c, 50)?)))
        .await?;
    Ok(AdminPage {
        nav: Nav::new(state, &agent.0, "admin"),
        users,
        keys,
        audit,
        departments: state.chat.config.department_choices(),
        secret,
    })
}

pub async fn page(State(state): State<AppState>, agent: Agent) -> PageResult<AdminPage> {
    render(&state, &agent, None).await
}

#[derive(Deserialize)]
pub struct AddUserForm {
    csrf: String,
    name: String,
    role: String,
    #[serde(default)]
    department: String,
}

/// Adds a user with a random password, shown once to the admin to pass on.
pub async fn add_user(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<AddUserForm>,
) -> PageResult<AdminPage> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let role: Role = form.role.parse().map_err(AppError::BadRequest)?;
    let department = Some(form.department).filter(|d| !d.is_empty());
    if let Some(d) = &department
        && state.chat.config.department(d).is_none()
    {
        return Err(AppError::BadRequest(format!("onbekende afdeling `{d}`")).into());
    }
    if !users::valid_name(form.name.trim()) {
        return Err(AppError::User(UserError::BadName).into());
    }
    let password = users::new_token();
    let hash = {
        let password = password.clone();
        tokio::task::spawn_blocking(move || users::hash_password(&password))
            .await
            .map_err(|e| AppError::BadRequest(e.to_string()))?
    };
    let (name, actor) = (form.name.trim().to_string(), agent.0.user.name.clone());
    let user = state
        .chat
        .store
        .call(move |c| {
            let user = users::add_user(c, &name, role, department.as_deref(), &hash);
            if let Ok(u) = &user {
                audit::record(
                    c,
                    &actor,
                    "user.add",
                    None,
                    &format!("{} ({})", u.name, u.role.as_str()),
                )?;
            }
            Ok(user)
        })
        .await??;
    render(
        &state,
        &agent,
        Some((format!("Wachtwoord voor {}", user.name), password)),
    )
    .await
}

pub async fn disable_user(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    if id == agent.0.user.id {
        return Err(AppError::BadRequest("u kunt uzelf niet blokkeren".into()).into());
    }
    let actor = agent.0.user.name.clone();
    state
        .chat
        .store
        .call(move |c| {
            users::set_disabled(c, id, true)?;
            audit::record(c, &actor, "user.disable", None, &format!("user {id}"))
        })
        .await?;
    super::live::end_user_streams(&state, id);
    Ok(Redirect::to("/admin").into_response())
}

#[derive(Deserialize)]
pub struct KeyForm {
    csrf: String,
    name: String,
}

pub async fn create_key(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<KeyForm>,
) -> PageResult<AdminPage> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let name = form.name.trim().to_string();
    // The name also scopes which conversations the key may read (see `api.rs`).
    if !users::valid_name(&name) {
        return Err(AppError::BadRequest(
            "geef de sleutel een naam van 1 tot 64 letters, cijfers, punten of streepjes".into(),
        )
        .into());
    }
    let actor = agent.0.user.name.clone();
    let (key, created) = state
        .chat
        .store
        .call(move |c| {
            let created = users::create_api_key(c, &name)?;
            audit::record(c, &actor, "apikey.create", None, &created.1.name)?;
            Ok(created)
        })
        .await?;
    render(
        &state,
        &agent,
        Some((format!("API-sleutel {}", created.name), key)),
    )
    .await
}

pub async fn revoke_key(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let actor = agent.0.user.name.clone();
    state
        .chat
        .store
        .call(move |c| {
            users::revoke_api_key(c, id)?;
            audit::record(c, &actor, "apikey.revoke", None, &format!("key {id}"))
        })
        .await?;
    forget_api_keys(&state);
    Ok(Redirect::to("/admin").into_response())
}
