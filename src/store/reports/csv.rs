//! One row per conversation, for the reports' CSV download (API and page).

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Europe::Amsterdam;
use rusqlite::Connection;

use super::{FILTER_SQL, Filter, facts};
use crate::store::StoreError;

/// The columns, in order.
pub const CSV_HEADER: [&str; 9] = [
    "id",
    "channel",
    "started",
    "first_response",
    "resolved",
    "labels",
    "department",
    "bot_handled",
    "helpful",
];

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write the CSV: {0}")]
    Write(#[from] ::csv::Error),
}

impl From<rusqlite::Error> for CsvError {
    fn from(err: rusqlite::Error) -> Self {
        CsvError::Store(err.into())
    }
}

/// A moment as ISO 8601 on Amsterdam clocks, with the offset: `2026-12-02T12:00:00+01:00`.
pub fn local_iso(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam)
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

/// Writes the conversations `filter` covers, oldest first, with [`CSV_HEADER`]. Returns the
/// number of rows.
pub fn write_conversations_csv<W: Write>(
    conn: &Connection,
    filter: &Filter,
    out: W,
) -> Result<u64, CsvError> {
    let facts = facts(conn, filter)?;
    let labels = labels(conn, filter)?;
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(CSV_HEADER)?;
    let time = |at: Option<DateTime<Utc>>| at.map(local_iso).unwrap_or_default();
    for fact in &facts {
        let helpful = if fact.helpful_no > 0 {
            "nee"
        } else if fact.helpful_yes > 0 {
            "ja"
        } else {
            ""
        };
        writer.write_record([
            fact.id.to_string(),
            fact.channel.clone(),
            local_iso(fact.started_at),
            time(fact.first_response_at),
            time(fact.first_closed_at),
            labels.get(&fact.id).cloned().unwrap_or_default(),
            fact.department.clone().unwrap_or_default(),
            if fact.bot_first_at.is_some() {
                "ja"
            } else {
                "nee"
            }
            .to_string(),
            helpful.to_string(),
        ])?;
    }
    writer.flush().map_err(::csv::Error::from)?;
    Ok(facts.len() as u64)
}

/// The labels of each covered conversation, sorted and joined with "; ".
fn labels(conn: &Connection, filter: &Filter) -> Result<HashMap<i64, String>, CsvError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT f.conversation_id, group_concat(l.label, '; ' ORDER BY l.label)
           FROM report_conversations f
           JOIN conversation_labels l ON l.conversation_id = f.conversation_id
          WHERE f.started_at >= ?1 AND f.started_at < ?2 AND {FILTER_SQL}
          GROUP BY f.conversation_id"
    ))?;
    let rows = stmt
        .query_map(filter.params(), |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
