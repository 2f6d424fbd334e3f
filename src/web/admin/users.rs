//! The account cycle as an admin runs it: add a colleague, block and unblock them, reset
//! their password, change their role and department. An admin cannot block, reset or
//! change the role of their own account here (they change their own password on
//! `/account/password`), so nobody locks the last admin out by accident.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::store::audit;
use crate::store::users::{self, Role, User, UserError};
use crate::web::auth::{Agent, CsrfForm, hash_password};
use crate::web::error::{AppError, PageResult};
use crate::web::flash::{Flash, back_to};
use crate::web::{AppState, live};

fn role(value: &str) -> Result<Role, AppError> {
    value
        .parse()
        .map_err(|_| AppError::BadRequest(format!("onbekende rol `{value}`")))
}

/// The department field: empty means the KCC (all conversations).
fn department(state: &AppState, value: String) -> Result<Option<String>, AppError> {
    match Some(value).filter(|d| !d.is_empty()) {
        Some(d) if state.chat.config.department(&d).is_none() => {
            Err(AppError::BadRequest(format!("onbekende afdeling `{d}`")))
        }
        department => Ok(department),
    }
}

/// The user `id`, if it is not the admin themselves.
async fn someone_else(state: &AppState, agent: &Agent, id: i64) -> Result<User, AppError> {
    if id == agent.0.user.id {
        return Err(AppError::BadRequest(
            "dit kunt u niet bij uw eigen account doen".into(),
        ));
    }
    state
        .chat
        .store
        .call(move |c| users::user(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub struct AddForm {
    csrf: String,
    name: String,
    role: String,
    #[serde(default)]
    department: String,
}

/// `POST /admin/users`: adds a user with a random password, shown once to pass on.
pub async fn add(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<AddForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let outcome = add_user(&state, &agent, form).await;
    back_to(&state, &agent.0, "/admin", "user-add", outcome)
}

async fn add_user(state: &AppState, agent: &Agent, form: AddForm) -> Result<Flash, AppError> {
    let role = role(&form.role)?;
    let department = department(state, form.department)?;
    let name = form.name.trim().to_string();
    if !users::valid_name(&name) {
        return Err(UserError::BadName.into());
    }
    let password = users::new_token();
    let hash = hash_password(password.clone()).await?;
    let actor = agent.0.user.name.clone();
    let user = state
        .chat
        .store
        .call(move |c| {
            let user = users::add_user(c, &name, role, department.as_deref(), &hash);
            if let Ok(u) = &user {
                let detail = format!("{} ({})", u.name, u.role.as_str());
                audit::record(c, &actor, "user.add", None, &detail)?;
            }
            Ok(user)
        })
        .await??;
    Ok(Flash::secret(
        format!("Wachtwoord voor {}", user.name),
        password,
    ))
}

/// Blocks or unblocks `id`; blocking ends their sessions.
async fn set_blocked(
    state: &AppState,
    agent: &Agent,
    id: i64,
    blocked: bool,
) -> Result<Flash, AppError> {
    let user = someone_else(state, agent, id).await?;
    let actor = agent.0.user.name.clone();
    let action = if blocked {
        "user.disable"
    } else {
        "user.enable"
    };
    state
        .chat
        .store
        .call(move |c| {
            users::set_disabled(c, id, blocked)?;
            audit::record(c, &actor, action, None, &format!("user {id}"))
        })
        .await?;
    if blocked {
        // The store has ended their sessions; their open dashboards stop listening too.
        live::end_user_streams(state, id);
    }
    Ok(Flash::notice(if blocked {
        format!("{} is geblokkeerd.", user.name)
    } else {
        format!("{} kan weer inloggen.", user.name)
    }))
}

/// What the buttons on a user's row do.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowAction {
    /// Block: the user cannot log in and their sessions end.
    Disable,
    /// Unblock.
    Enable,
    /// Reset the password to a generated one, shown once; every session of the user ends.
    Password,
}

/// `POST /admin/users/{id}/{disable|enable|password}`
pub async fn act(
    State(state): State<AppState>,
    agent: Agent,
    Path((id, action)): Path<(i64, RowAction)>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let outcome = match action {
        RowAction::Disable => set_blocked(&state, &agent, id, true).await,
        RowAction::Enable => set_blocked(&state, &agent, id, false).await,
        RowAction::Password => reset(&state, &agent, id).await,
    };
    back_to(&state, &agent.0, "/admin", "users", outcome)
}

async fn reset(state: &AppState, agent: &Agent, id: i64) -> Result<Flash, AppError> {
    let user = someone_else(state, agent, id).await?;
    let password = users::new_token();
    let hash = hash_password(password.clone()).await?;
    let actor = agent.0.user.name.clone();
    state
        .chat
        .store
        .call(move |c| {
            users::set_password(c, id, &hash, None)?;
            audit::record(
                c,
                &actor,
                "user.password_reset",
                None,
                &format!("user {id}"),
            )
        })
        .await?;
    live::end_user_streams(state, id);
    Ok(Flash::secret(
        format!("Nieuw wachtwoord voor {}", user.name),
        password,
    ))
}

#[derive(Deserialize)]
pub struct RoleForm {
    csrf: String,
    role: String,
    #[serde(default)]
    department: String,
}

/// `POST /admin/users/{id}/role`: role and department; they apply from the user's next
/// request, since sessions read the user afresh.
pub async fn change_role(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let outcome = set_role(&state, &agent, id, form).await;
    back_to(&state, &agent.0, "/admin", "users", outcome)
}

async fn set_role(
    state: &AppState,
    agent: &Agent,
    id: i64,
    form: RoleForm,
) -> Result<Flash, AppError> {
    let role = role(&form.role)?;
    let department = department(state, form.department)?;
    let user = someone_else(state, agent, id).await?;
    let actor = agent.0.user.name.clone();
    let detail = format!(
        "user {id}: {} ({})",
        role.as_str(),
        department.as_deref().unwrap_or("kcc")
    );
    state
        .chat
        .store
        .call(move |c| {
            users::set_role(c, id, role, department.as_deref())?;
            audit::record(c, &actor, "user.role", None, &detail)
        })
        .await?;
    Ok(Flash::notice(format!(
        "De rol en afdeling van {} zijn gewijzigd.",
        user.name
    )))
}
