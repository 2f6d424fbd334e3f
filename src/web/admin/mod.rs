//! Admin pages: users, API keys and the latest audit entries. The same actions exist on the
//! command line (`vraagbaak user add`, `vraagbaak apikey create`).
//!
//! Every form posts, then redirects back to `/admin` (post/redirect/get): the outcome, a
//! mistake next to its form or a new secret shown once, travels as a server-side
//! [`Flash`](super::flash::Flash).
//!
//! ```text
//! mod.rs    the page
//! users.rs  add, block and unblock, reset a password, change role and department
//! keys.rs   create and revoke API keys
//! ```

pub mod keys;
pub mod users;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

use super::AppState;
use super::auth::Agent;
use super::error::PageResult;
use super::flash::Flash;
use super::pages::{Nav, local_time};
use crate::store::audit::{self, Entry};
use crate::store::users::{self as store_users, ApiKey, User};

/// The roles as the admin page names them.
const ROLES: [(&str, &str); 4] = [
    ("agent", "medewerker"),
    ("editor", "redacteur"),
    ("admin", "beheerder"),
    ("teamleider", "teamleider"),
];

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
pub struct AdminPage {
    pub nav: Nav,
    /// The admin looking at the page: their own row offers no block, reset or role change.
    pub me: i64,
    pub users: Vec<User>,
    pub keys: Vec<ApiKey>,
    pub audit: Vec<Entry>,
    pub departments: Vec<(String, String)>,
    pub roles: [(&'static str, &'static str); 4],
    /// What the last form post left to show once.
    pub flash: Flash,
}

impl AdminPage {
    pub fn time(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        local_time(*at)
    }

    pub fn role_label(&self, user: &User) -> &'static str {
        ROLES
            .iter()
            .find(|(value, _)| *value == user.role.as_str())
            .map_or("", |(_, label)| *label)
    }

    pub fn in_department(&self, user: &User, department: &str) -> bool {
        user.department.as_deref() == Some(department)
    }

    pub fn department_name(&self, user: &User) -> String {
        match &user.department {
            None => "KCC (alles)".into(),
            Some(id) => self
                .departments
                .iter()
                .find(|(d, _)| d == id)
                .map_or_else(|| id.clone(), |(_, name)| name.clone()),
        }
    }
}

/// `GET /admin`
pub async fn page(State(state): State<AppState>, agent: Agent) -> PageResult<AdminPage> {
    agent.require_admin()?;
    let (users, keys, audit) = state
        .chat
        .store
        .call(|c| {
            Ok((
                store_users::users(c)?,
                store_users::api_keys(c)?,
                audit::recent(c, 50)?,
            ))
        })
        .await?;
    Ok(AdminPage {
        nav: Nav::new(&state, &agent.0, "admin"),
        me: agent.0.user.id,
        users,
        keys,
        audit,
        departments: state.chat.config.department_choices(),
        roles: ROLES,
        flash: state.flashes.take(&agent.0),
    })
}
