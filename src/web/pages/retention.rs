//! The archive box on a conversation, for leads: which selectielijst result and term apply,
//! when the conversation will be destroyed, and "Niet vernietigen" (a hold for a Woo request
//! or an objection) with its release. Agents and editors do not see it.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::local_time;
use crate::archive::record::term_end;
use crate::config::{Config, Waardering};
use crate::store::archive::{self as store_archive, ActiveHold, Held};
use crate::store::audit;
use crate::store::users::Session;
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};
use crate::web::flash::Flash;

/// The longest reason a hold keeps, in characters.
const MAX_REASON_CHARS: usize = 500;

/// The form name of the hold's errors in the flash.
pub const FORM: &str = "archive";

/// What the archive box shows.
pub struct ArchiveBox {
    /// "6.1.3 informatieverzoek".
    pub result: String,
    /// "vernietigen na 1 jaar", or "bewaren (overbrengen naar het archief)".
    pub term: String,
    /// When the term ends, or why it has not started.
    pub destroy: String,
    pub hold: Option<HoldItem>,
    /// Why the last hold or release was refused.
    pub error: Option<String>,
}

pub struct HoldItem {
    pub reason: String,
    pub by: String,
    pub since: String,
}

impl ArchiveBox {
    pub fn new(
        config: &Config,
        labels: &[String],
        closed_at: Option<DateTime<Utc>>,
        hold: Option<ActiveHold>,
        error: Option<String>,
    ) -> ArchiveBox {
        let result = config.archive.result_for(labels);
        let (term, destroy) = match result.waardering {
            Waardering::Bewaren => (
                "bewaren (wordt overgebracht naar het archief)".to_owned(),
                "Wordt niet vernietigd.".to_owned(),
            ),
            Waardering::Vernietigen => (
                format!(
                    "vernietigen {} na het sluiten",
                    result.bewaartermijn.in_dutch()
                ),
                match closed_at.and_then(|at| term_end(&result, at).map(|end| (at, end))) {
                    Some((at, end)) => format!(
                        "Gesloten op {}; de termijn eindigt op {}.",
                        crate::archive::local_date(at).format("%-d-%-m-%Y"),
                        end.format("%-d-%-m-%Y")
                    ),
                    None => "De termijn begint als het gesprek gesloten wordt.".to_owned(),
                },
            ),
        };
        ArchiveBox {
            result: format!("{} {}", result.result, result.name),
            term,
            destroy,
            hold: hold.map(|h| HoldItem {
                reason: h.reason,
                by: h.held_by,
                since: local_time(h.held_at),
            }),
            error,
        }
    }
}

/// The archive box for `session` on conversation `id`; `None` for anyone but a lead.
pub async fn archive_box(
    state: &AppState,
    session: &Session,
    id: i64,
    labels: &[String],
    error: Option<String>,
) -> PageResult<Option<ArchiveBox>> {
    if !session.user.role.is_lead() {
        return Ok(None);
    }
    let (closed_at, hold) = state
        .chat
        .store
        .call(move |c| {
            Ok((
                store_archive::closed_at(c, id)?,
                store_archive::active_hold(c, id)?,
            ))
        })
        .await?;
    Ok(Some(ArchiveBox::new(
        &state.chat.config,
        labels,
        closed_at,
        hold,
        error,
    )))
}

#[derive(Deserialize)]
pub struct HoldForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/conversations/{id}#archief")).into_response()
}

/// The lead's session, or 403; the conversation must be one they may see.
async fn lead(state: &AppState, agent: &Agent, id: i64, csrf: &str) -> PageResult<()> {
    agent.check_csrf(csrf)?;
    if !agent.0.user.role.is_lead() {
        return Err(AppError::Forbidden.into());
    }
    state.chat.conversation_for(&agent.0.user, id).await?;
    Ok(())
}

/// "Niet vernietigen": puts the conversation on hold with the lead's reason.
pub async fn hold(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<HoldForm>,
) -> PageResult<Response> {
    lead(&state, &agent, id, &form.csrf).await?;
    let reason = form.reason.trim().to_owned();
    let problem = if reason.is_empty() {
        Some("Geef een reden, zoals het nummer van het Woo-verzoek of het bezwaar.".to_owned())
    } else if reason.chars().count() > MAX_REASON_CHARS {
        Some(format!(
            "De reden is te lang: hooguit {MAX_REASON_CHARS} tekens."
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        state.flashes.put(&agent.0, Flash::error(FORM, problem));
        return Ok(back(id));
    }
    let actor = agent.0.user.name.clone();
    state
        .chat
        .store
        .call(move |c| {
            if store_archive::hold(c, id, &reason, &actor)? == Held::New {
                audit::record(c, &actor, "archive.hold", Some(id), "")?;
            }
            Ok(())
        })
        .await?;
    Ok(back(id))
}

/// Releases the hold: the conversation is destroyed again when its term has ended.
pub async fn release(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<crate::web::auth::CsrfForm>,
) -> PageResult<Response> {
    lead(&state, &agent, id, &form.csrf).await?;
    let actor = agent.0.user.name.clone();
    let released = state
        .chat
        .store
        .call(move |c| {
            let released = store_archive::release(c, id, &actor)?;
            if released {
                audit::record(c, &actor, "archive.release", Some(id), "")?;
            }
            Ok(released)
        })
        .await?;
    if !released {
        state.flashes.put(
            &agent.0,
            Flash::error(FORM, "Dit gesprek stond niet (meer) vast.".to_owned()),
        );
    }
    Ok(back(id))
}
