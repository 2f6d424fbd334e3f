//! API keys for inbox tools: created (the key shown once), granted every conversation, and
//! revoked.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::Deserialize;

use crate::store::audit;
use crate::store::scopes::{Scope, Scopes};
use crate::store::users;
use crate::web::AppState;
use crate::web::auth::{Agent, CsrfForm, forget_api_keys};
use crate::web::error::{AppError, PageResult};
use crate::web::flash::{Flash, back_to};

#[derive(Deserialize)]
pub struct KeyForm {
    csrf: String,
    name: String,
    // One checkbox per scope: present ("on") when ticked.
    suggest: Option<String>,
    conversations: Option<String>,
    kb: Option<String>,
    reports: Option<String>,
}

impl KeyForm {
    fn scopes(&self) -> Scopes {
        [
            (&self.suggest, Scope::Suggest),
            (&self.conversations, Scope::Conversations),
            (&self.kb, Scope::Kb),
            (&self.reports, Scope::Reports),
        ]
        .into_iter()
        .filter(|(ticked, _)| ticked.is_some())
        .map(|(_, scope)| scope)
        .collect()
    }
}

/// `POST /admin/keys`
pub async fn create(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<KeyForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let outcome = create_key(&state, &agent, form.name.trim().to_string(), form.scopes()).await;
    back_to(&state, &agent.0, "/admin", "key-add", outcome)
}

async fn create_key(
    state: &AppState,
    agent: &Agent,
    name: String,
    scopes: Scopes,
) -> Result<Flash, AppError> {
    // The name also scopes which conversations the key may read (see `api.rs`).
    if !users::valid_name(&name) {
        return Err(AppError::BadRequest(
            "geef de sleutel een naam van 1 tot 64 letters, cijfers, punten of streepjes".into(),
        ));
    }
    if scopes.iter().next().is_none() {
        return Err(AppError::BadRequest(
            "kies ten minste één recht voor de sleutel".into(),
        ));
    }
    let actor = agent.0.user.name.clone();
    let (key, created) = state
        .chat
        .store
        .call(move |c| {
            let created = users::create_scoped_api_key(c, &name, scopes)?;
            let detail = format!("{} ({scopes})", created.1.name);
            audit::record(c, &actor, "apikey.create", None, &detail)?;
            Ok(created)
        })
        .await?;
    Ok(Flash::secret(format!("API-sleutel {}", created.name), key))
}

/// `POST /admin/keys/{id}/revoke`
pub async fn revoke(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let actor = agent.0.user.name.clone();
    let revoked = state
        .chat
        .store
        .call(move |c| {
            let revoked = users::revoke_api_key(c, id)?;
            if revoked {
                audit::record(c, &actor, "apikey.revoke", None, &format!("key {id}"))?;
            }
            Ok(revoked)
        })
        .await;
    forget_api_keys(&state);
    let outcome = match revoked {
        Ok(true) => Ok(Flash::notice("De sleutel is ingetrokken.")),
        Ok(false) => Err(AppError::BadRequest(
            "deze sleutel bestaat niet of is al ingetrokken".into(),
        )),
        Err(err) => Err(err.into()),
    };
    back_to(&state, &agent.0, "/admin", "keys", outcome)
}

#[derive(Deserialize)]
pub struct ScopeForm {
    csrf: String,
    /// `true`: the key reads and answers every conversation (an inbox tool that takes over
    /// the whole inbox); `false`: only those it posted into.
    all_conversations: bool,
}

/// `POST /admin/keys/{id}/scope`
pub async fn scope(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ScopeForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_admin()?;
    let (actor, all) = (agent.0.user.name.clone(), form.all_conversations);
    let changed = state
        .chat
        .store
        .call(move |c| {
            let changed = users::set_all_conversations(c, id, all)?;
            if changed {
                let detail = format!("key {id}: all_conversations = {all}");
                audit::record(c, &actor, "apikey.scope", None, &detail)?;
            }
            Ok(changed)
        })
        .await;
    forget_api_keys(&state);
    let outcome = match changed {
        Ok(true) if all => Ok(Flash::notice(
            "De sleutel mag nu alle gesprekken lezen en beantwoorden.",
        )),
        Ok(true) => Ok(Flash::notice(
            "De sleutel mag nu alleen de eigen gesprekken lezen en beantwoorden.",
        )),
        Ok(false) => Err(AppError::BadRequest(
            "deze sleutel bestaat niet of is ingetrokken".into(),
        )),
        Err(err) => Err(err.into()),
    };
    back_to(&state, &agent.0, "/admin", "keys", outcome)
}
