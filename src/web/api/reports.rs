//! Reports over the API (keys with the `reports` scope): the summary a team lead sees on
//! /rapportages, and one CSV row per conversation.
//!
//! ```text
//! GET /api/v1/reports/summary?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=][&department=]
//! GET /api/v1/reports/conversations.csv?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=][&department=]
//! ```
//!
//! Days are Europe/Amsterdam days, `to` included. A bad date, a `from` after `to` or a bad
//! channel is a 400 naming the parameter. Per-agent figures are for team leads only and are
//! not in the API's summary.

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::store::StoreError;
use crate::store::reports::{self, CsvError, Filter, Summary};
use crate::web::AppState;
use crate::web::auth::ReportsCaller;
use crate::web::error::{ApiError, AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/summary", get(summary))
        .route("/api/v1/reports/conversations.csv", get(conversations_csv))
}

/// The query parameters, as text: their errors are ours to word.
#[derive(Deserialize)]
struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
    channel: Option<String>,
    department: Option<String>,
}

impl PeriodQuery {
    fn filter(&self) -> Result<Filter, ApiError> {
        Filter::parse(
            self.from.as_deref(),
            self.to.as_deref(),
            self.channel.as_deref(),
            self.department.as_deref(),
        )
        .map_err(|err| ApiError(AppError::BadRequest(err.to_string())))
    }
}

/// `GET /api/v1/reports/summary`.
async fn summary(
    State(state): State<AppState>,
    _caller: ReportsCaller,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<Summary>, ApiError> {
    let filter = query.filter()?;
    let config = state.chat.config.clone();
    let now = (state.chat.clock)();
    let summary = state
        .chat
        .store
        .call(move |c| reports::summary(c, &filter, &config.office_hours, now))
        .await
        .map_err(AppError::from)?;
    Ok(Json(summary))
}

/// `GET /api/v1/reports/conversations.csv`.
async fn conversations_csv(
    State(state): State<AppState>,
    _caller: ReportsCaller,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, ApiError> {
    let filter = query.filter()?;
    let name = format!("gesprekken-{}-{}.csv", filter.from, filter.to);
    let body = state
        .chat
        .store
        .call(move |c| {
            let mut out = Vec::new();
            reports::write_conversations_csv(c, &filter, &mut out).map_err(|err| match err {
                CsvError::Store(err) => err,
                CsvError::Write(err) => StoreError::Worker(err.to_string()),
            })?;
            Ok(out)
        })
        .await
        .map_err(AppError::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
