//! The reports page for team leads and admins (`/rapportages`): a GET filter form, the
//! figures of `store::reports` as charts with their tables, and every table as CSV.
//!
//! ```text
//! mod.rs      the handlers: the page and its CSV downloads
//! filter.rs   the filter form: period, channel, department; problems per field
//! tables.rs   the report's tables, shared by the page and the CSV downloads
//! charts.rs   inline SVG charts, each with the same numbers as a table
//! figures.rs  the page's charts, made from the summary
//! health.rs   the knowledge base's health, kept a few minutes
//! ```

pub mod charts;
mod figures;
pub mod filter;
mod health;
pub mod tables;

pub use health::KbHealthCache;

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use self::filter::{CHANNELS, FieldError, FormValues, PERIODS, ReportQuery};
use self::tables::{Context, KbHealth, Table};
use super::Nav;
use crate::store::reports::{self, Filter, Summary};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};

/// The per-conversation CSV (`store::reports::write_conversations_csv`).
pub const CONVERSATIONS_CSV: &str = "gesprekken";

/// The report itself, when the filter was valid.
pub struct Report {
    pub summary: Summary,
    pub tables: Vec<Table>,
    /// Inline SVG figures with their tables, by name.
    pub charts: HashMap<&'static str, String>,
    pub kb: KbHealth,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub nav: Nav,
    pub form: FormValues,
    pub errors: Vec<FieldError>,
    pub periods: &'static [(&'static str, &'static str, u64)],
    /// The channels to filter on: value and label.
    pub channels: Vec<(String, String)>,
    pub departments: Vec<(String, String)>,
    /// The empty department choice: all of them, or (for a user limited to one) their own.
    pub all_departments: &'static str,
    /// The filter as a query string, for the CSV links.
    pub query: String,
    /// The period in words: "26-11-2026 t/m 02-12-2026".
    pub period: String,
    pub generated: String,
    pub report: Option<Report>,
}

impl ReportsPage {
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// The table named `slug`; the page only asks for tables it builds.
    pub fn table(&self, slug: &str) -> Option<&Table> {
        self.report
            .as_ref()
            .and_then(|r| r.tables.iter().find(|t| t.slug == slug))
    }

    /// Whether an option is the chosen one (the template compares `&str` with `String`).
    pub fn same(&self, option: &str, chosen: &str) -> bool {
        option == chosen
    }

    pub fn chart(&self, name: &str) -> &str {
        self.report
            .as_ref()
            .and_then(|r| r.charts.get(name))
            .map_or("", String::as_str)
    }

    pub fn csv_href(&self, slug: &str) -> String {
        format!("/rapportages/{slug}.csv?{}", self.query)
    }
}

/// `GET /rapportages`: the report for the filter in the query string.
pub async fn page(
    State(state): State<AppState>,
    agent: Agent,
    Query(query): Query<ReportQuery>,
) -> PageResult<Response> {
    agent.require_reports()?;
    let now = (state.chat.clock)();
    let own = agent.0.user.department.clone();
    let (query, resolved) =
        query.for_viewer(reports::local_date(now), &state.chat.config, own.as_deref());
    let mut departments = state.chat.config.department_choices();
    if let Some(own) = &own {
        departments.retain(|(id, _)| id == own);
    }
    let mut page = ReportsPage {
        nav: Nav::new(&state, &agent.0, "reports"),
        form: query.values(resolved.as_ref().ok()),
        errors: Vec::new(),
        periods: &PERIODS,
        channels: channel_choices(&state).await?,
        all_departments: if own.is_some() {
            "Uw afdeling"
        } else {
            "Alle afdelingen"
        },
        departments,
        query: String::new(),
        period: String::new(),
        generated: super::local_time(now),
        report: None,
    };
    page.query = page.form.query_string();
    match resolved {
        Err(errors) => {
            page.errors = errors;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Ok(filter) => {
            page.period = format!(
                "{} t/m {}",
                tables::day(filter.from),
                tables::day(filter.to)
            );
            page.report = Some(report(&state, filter, now).await?);
            Ok(page.into_response())
        }
    }
}

/// `GET /rapportages/<table>.csv`: one table of the report, or one row per conversation.
pub async fn csv(
    State(state): State<AppState>,
    agent: Agent,
    Path(file): Path<String>,
    Query(query): Query<ReportQuery>,
) -> PageResult<Response> {
    agent.require_reports()?;
    let slug = file
        .strip_suffix(".csv")
        .ok_or(AppError::NotFound)?
        .to_string();
    let now = (state.chat.clock)();
    let own = agent.0.user.department.as_deref();
    let (_, resolved) = query.for_viewer(reports::local_date(now), &state.chat.config, own);
    let filter = resolved.map_err(|errors| {
        AppError::BadRequest(
            (errors.iter())
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        )
    })?;
    let name = format!("rapportage-{slug}-{}-{}.csv", filter.from, filter.to);
    let body = if slug == CONVERSATIONS_CSV {
        state
            .chat
            .store
            .call(move |c| {
                let mut out = Vec::new();
                reports::write_conversations_csv(c, &filter, &mut out).map_err(csv_error)?;
                Ok(out)
            })
            .await?
    } else if slug == tables::KB_HEALTH {
        table_csv(&tables::kb_health(&health::kb_health(&state, now).await?))?
    } else {
        let summary = summary(&state, filter, now).await?;
        let table = tables::tables(&summary, &context(&state, &summary).as_context())
            .into_iter()
            .find(|t| t.slug == slug)
            .ok_or(AppError::NotFound)?;
        table_csv(&table)?
    };
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

/// vraagbaak's own channels, then any other the store has conversations on.
async fn channel_choices(state: &AppState) -> PageResult<Vec<(String, String)>> {
    let stored = state
        .chat
        .store
        .call(|c| {
            let mut stmt = c.prepare_cached("SELECT DISTINCT channel FROM conversations")?;
            let names = stmt.query_map([], |r| r.get::<_, String>(0))?;
            Ok(names.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .await?;
    let mut names: Vec<String> = CHANNELS.iter().map(|(c, _)| c.to_string()).collect();
    for name in stored {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    Ok(names
        .into_iter()
        .map(|c| {
            let label = tables::channel_label(&c);
            (c, label)
        })
        .collect())
}

/// A table as CSV: its columns, then its rows.
fn table_csv(table: &Table) -> Result<Vec<u8>, AppError> {
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let written = std::iter::once(&table.columns)
        .chain(&table.rows)
        .try_for_each(|row| writer.write_record(row));
    written
        .map_err(|err| csv_error(reports::CsvError::Write(err)))
        .and_then(|()| {
            writer
                .into_inner()
                .map_err(|err| csv_error(reports::CsvError::Write(err.into_error().into())))
        })
        .map_err(AppError::Store)
}

/// A CSV failure as a store failure: both end the download with the server error page.
fn csv_error(err: reports::CsvError) -> crate::store::StoreError {
    match err {
        reports::CsvError::Store(err) => err,
        reports::CsvError::Write(err) => crate::store::StoreError::Worker(err.to_string()),
    }
}

async fn summary(state: &AppState, filter: Filter, now: DateTime<Utc>) -> PageResult<Summary> {
    let hours = state.chat.config.office_hours.clone();
    Ok(state
        .chat
        .store
        .call(move |c| reports::summary(c, &filter, &hours, now))
        .await?)
}

/// Names for ids: article titles from the knowledge base, department names from the config.
struct Names {
    titles: HashMap<String, String>,
    departments: HashMap<String, String>,
    channels: Vec<String>,
}

impl Names {
    fn as_context(&self) -> Context<'_> {
        Context {
            titles: &self.titles,
            departments: &self.departments,
            channels: &self.channels,
        }
    }
}

fn context(state: &AppState, summary: &Summary) -> Names {
    let snapshot = state.chat.engine.snapshot();
    Names {
        titles: (snapshot.articles.iter())
            .map(|a| (a.id.clone(), a.title.clone()))
            .collect(),
        departments: state.chat.config.department_choices().into_iter().collect(),
        channels: tables::channels(summary),
    }
}

async fn report(state: &AppState, filter: Filter, now: DateTime<Utc>) -> PageResult<Report> {
    let summary = summary(state, filter, now).await?;
    let names = context(state, &summary);
    let kb = health::kb_health(state, now).await?;
    let mut tables = tables::tables(&summary, &names.as_context());
    tables.push(tables::kb_health(&kb));
    let charts = figures::charts(&summary, &names, &tables);
    Ok(Report {
        summary,
        tables,
        charts,
        kb,
    })
}
