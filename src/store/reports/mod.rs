//! Reports for team leads (issue 13): volumes, response and resolution times, the bot, the
//! knowledge base's suggestions, labels, forwards and agents, over a period of Amsterdam days.
//!
//! The figures are read from facts that migration 0015's triggers keep up to date in the
//! transaction that changes a conversation (`report_conversations`, `report_message_hours`,
//! `report_replies`, `report_forwards`), so a year's report reads one row per conversation and
//! per reply, never every message. Percentiles are computed here over the period's rows.
//! README.md ("Reports: what each figure means") defines every figure.
//!
//! # Layout
//!
//! ```text
//! mod.rs          the filter, the summary, the period's facts
//! volume.rs       conversations and resident messages per channel and day; hour-of-week heatmap
//! response.rs     first response time: wall clock and office minutes, promise, 24 hours
//! resolution.rs   open to closed, reopened
//! bot.rs          handled, answered alone, handed over, "ja"/"nee"
//! suggestions.rs  replies that used a suggestion, rank, acceptance per article
//! labels.rs       top labels, forwards per department
//! agents.rs       per agent: conversations, replies, median first response
//! csv.rs          one row per conversation, for downloads
//! ```

mod agents;
mod bot;
mod csv;
mod labels;
mod resolution;
mod response;
mod suggestions;
mod volume;

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use rusqlite::Connection;
use serde::Serialize;

use super::Result;
use crate::chat::hours::OfficeHours;

pub use agents::AgentFigures;
pub use bot::Bot;
pub use csv::{CSV_HEADER, CsvError, local_iso, write_conversations_csv};
pub use labels::{DepartmentForwards, LabelCount};
pub use resolution::Resolution;
pub use response::FirstResponse;
pub use suggestions::{ArticleUse, RankCount, Suggestions};
pub use volume::{ChannelVolume, DayVolume, Volume};

/// The longest period a report covers, in days: ten years and some leap days.
pub const MAX_DAYS: i64 = 3660;

/// Which conversations a report covers: those started on the Amsterdam days `from` to `to`
/// (both included), optionally on one channel and for one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Filter {
    pub from: NaiveDate,
    /// The last day, included.
    pub to: NaiveDate,
    pub channel: Option<String>,
    /// The department the conversation is forwarded to (now).
    pub department: Option<String>,
}

/// Why a report's parameters were refused; each names the parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("`{param}` is missing: give a date as YYYY-MM-DD")]
    Missing { param: &'static str },
    #[error("`{param}` is not a date as YYYY-MM-DD: `{value}`")]
    BadDate { param: &'static str, value: String },
    #[error("`from` ({from}) is after `to` ({to})")]
    FromAfterTo { from: NaiveDate, to: NaiveDate },
    #[error("the period from `from` to `to` is longer than {MAX_DAYS} days")]
    TooLong,
    #[error("`channel` must be 1 to 32 lowercase letters, digits or dashes: `{0}`")]
    BadChannel(String),
    #[error("`department` must be 1 to 64 letters, digits, dashes or underscores: `{0}`")]
    BadDepartment(String),
}

impl Filter {
    /// A filter from request parameters as given (`None` or empty: not given).
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        channel: Option<&str>,
        department: Option<&str>,
    ) -> Result<Filter, FilterError> {
        let date = |param: &'static str, value: Option<&str>| {
            let value = value
                .filter(|v| !v.is_empty())
                .ok_or(FilterError::Missing { param })?;
            NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FilterError::BadDate {
                param,
                value: value.to_string(),
            })
        };
        let from = date("from", from)?;
        let to = date("to", to)?;
        let channel = channel.filter(|c| !c.is_empty()).map(String::from);
        let department = department.filter(|d| !d.is_empty()).map(String::from);
        Filter::new(from, to, channel, department)
    }

    /// A checked filter.
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        channel: Option<String>,
        department: Option<String>,
    ) -> Result<Filter, FilterError> {
        if from > to {
            return Err(FilterError::FromAfterTo { from, to });
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(FilterError::TooLong);
        }
        if let Some(c) = &channel {
            let ok = (1..=32).contains(&c.len())
                && c.chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
            if !ok {
                return Err(FilterError::BadChannel(c.clone()));
            }
        }
        if let Some(d) = &department {
            let ok = (1..=64).contains(&d.len())
                && d.chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_');
            if !ok {
                return Err(FilterError::BadDepartment(d.clone()));
            }
        }
        Ok(Filter {
            from,
            to,
            channel,
            department,
        })
    }

    /// The period as UTC moments: from the start of `from` to the start of the day after
    /// `to`, on Amsterdam clocks (so a day of the clock change has 23 or 25 hours).
    pub fn bounds(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let end = self.to.checked_add_days(Days::new(1)).unwrap_or(self.to);
        (start_of_day(self.from), start_of_day(end))
    }

    /// `?1`–`?4` of a query over the period's facts: its bounds in milliseconds, the channel
    /// and the department (see [`FILTER_SQL`]).
    pub(crate) fn params(&self) -> (i64, i64, Option<&str>, Option<&str>) {
        let (from, to) = self.bounds();
        (
            from.timestamp_millis(),
            to.timestamp_millis(),
            self.channel.as_deref(),
            self.department.as_deref(),
        )
    }

    /// The days of the period, in order.
    pub fn days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.from.iter_days().take_while(|d| *d <= self.to)
    }
}

/// Midnight on Amsterdam clocks, as UTC. Midnight always exists there (the clocks change at
/// 02:00 and 03:00).
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
}

/// The Amsterdam date of a moment.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

/// A stored fact time (Unix milliseconds) as a moment.
pub(crate) fn moment(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// Everything a report shows, in the shape of `GET /api/v1/reports/summary`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub period: Period,
    /// Conversations started in the period.
    pub conversations: u64,
    /// Resident messages received in the period.
    pub messages_in: u64,
    pub by_channel: BTreeMap<String, ChannelVolume>,
    pub volume: Volume,
    pub first_response: FirstResponse,
    pub resolution: Resolution,
    pub bot: Bot,
    pub suggestions: Suggestions,
    /// The most used labels, most first (at most [`labels::TOP_LABELS`]).
    pub labels: Vec<LabelCount>,
    pub forwards: Vec<DepartmentForwards>,
    /// Per agent. Only team leads see these, so the API leaves them out.
    #[serde(skip)]
    pub agents: Vec<AgentFigures>,
}

/// The period a summary covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub channel: Option<String>,
    pub department: Option<String>,
    pub time_zone: &'static str,
}

/// One conversation's facts (a `report_conversations` row), times as moments.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub id: i64,
    pub channel: String,
    pub department: Option<String>,
    pub started_at: DateTime<Utc>,
    pub first_owed_at: Option<DateTime<Utc>>,
    pub promised_by: Option<DateTime<Utc>>,
    pub first_response_at: Option<DateTime<Utc>>,
    pub responder_id: Option<i64>,
    pub first_wait_closed_at: Option<DateTime<Utc>>,
    pub first_agent_at: Option<DateTime<Utc>>,
    pub bot_first_at: Option<DateTime<Utc>>,
    pub helpful_yes: u64,
    pub helpful_no: u64,
    /// The residents' "ja" and "nee" to the bot's offers ("Bedoelt u …?").
    pub offers_yes: u64,
    pub offers_no: u64,
    pub first_closed_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub reopened: u64,
}

/// The SQL condition on `report_conversations f` for the filter's channel (`?3`) and
/// department (`?4`).
pub(crate) const FILTER_SQL: &str =
    "(?3 IS NULL OR f.channel = ?3) AND (?4 IS NULL OR f.department = ?4)";

/// A non-negative count column.
pub(crate) fn count(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(row.get::<_, i64>(i)?.max(0) as u64)
}

/// The facts of the conversations the filter covers, oldest first.
pub(crate) fn facts(conn: &Connection, filter: &Filter) -> Result<Vec<Fact>> {
    let at = |r: &rusqlite::Row<'_>, i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get::<_, Option<i64>>(i)?.map(moment))
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT f.conversation_id, f.channel, f.department, f.started_at, f.first_owed_at,
                f.promised_by, f.first_response_at, f.responder_id, f.first_wait_closed_at,
                f.first_agent_at, f.bot_first_at, f.helpful_yes, f.helpful_no,
                f.first_closed_at, f.closed_at, f.reopened, f.offers_yes, f.offers_no
           FROM report_conversations f
          WHERE f.started_at >= ?1 AND f.started_at < ?2 AND {FILTER_SQL}
          ORDER BY f.started_at, f.conversation_id"
    ))?;
    let rows = stmt
        .query_map(filter.params(), |r| {
            Ok(Fact {
                id: r.get(0)?,
                channel: r.get(1)?,
                department: r.get(2)?,
                started_at: moment(r.get(3)?),
                first_owed_at: at(r, 4)?,
                promised_by: at(r, 5)?,
                first_response_at: at(r, 6)?,
                responder_id: r.get(7)?,
                first_wait_closed_at: at(r, 8)?,
                first_agent_at: at(r, 9)?,
                bot_first_at: at(r, 10)?,
                helpful_yes: count(r, 11)?,
                helpful_no: count(r, 12)?,
                first_closed_at: at(r, 13)?,
                closed_at: at(r, 14)?,
                reopened: count(r, 15)?,
                offers_yes: count(r, 16)?,
                offers_no: count(r, 17)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// The report for `filter`. `now` decides which bot answers have had their 24 hours, and
/// `hours` are the office hours the promises were made on (the bot's own calendar).
pub fn summary(
    conn: &Connection,
    filter: &Filter,
    hours: &OfficeHours,
    now: DateTime<Utc>,
) -> Result<Summary> {
    let facts = facts(conn, filter)?;
    let volume = volume::volume(conn, filter, &facts)?;
    let replies = suggestions::replies(conn, filter)?;
    Ok(Summary {
        period: Period {
            from: filter.from,
            to: filter.to,
            channel: filter.channel.clone(),
            department: filter.department.clone(),
            time_zone: "Europe/Amsterdam",
        },
        conversations: facts.len() as u64,
        messages_in: volume.by_channel.values().map(|c| c.messages_in).sum(),
        by_channel: volume.by_channel.clone(),
        first_response: response::first_response(&facts, hours),
        resolution: resolution::resolution(&facts),
        bot: bot::bot(&facts, now),
        suggestions: suggestions::suggestions(&replies),
        labels: labels::top_labels(conn, filter)?,
        forwards: labels::forwards(conn, filter)?,
        agents: agents::agents(conn, &facts, &replies)?,
        volume,
    })
}

/// The nearest-rank percentile (`p` in 0..=100) of sorted values: the smallest value with at
/// least p% of the values at or below it. `None` for no values.
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (sorted.len() * p as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// `part / whole`, rounded to four decimals; `None` when `whole` is zero.
pub fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
        assert_eq!(percentile(&values, 50), Some(50));
        assert_eq!(percentile(&values, 90), Some(90));
        assert_eq!(percentile(&[7], 90), Some(7));
        assert_eq!(percentile(&[1, 2, 3], 50), Some(2));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn a_day_of_the_clock_change_has_its_own_hours() {
        let filter =
            Filter::parse(Some("2026-10-25"), Some("2026-10-25"), None, None).expect("filter");
        let (from, to) = filter.bounds();
        assert_eq!(from.to_rfc3339(), "2026-10-24T22:00:00+00:00");
        assert_eq!((to - from).num_hours(), 25);
    }

    #[test]
    fn the_migration_backfills_conversations_stored_before_it() {
        let mut conn = Connection::open_in_memory().expect("db");
        let (before, reports) = crate::store::MIGRATIONS.split_at(14);
        for sql in before {
            conn.execute_batch(sql).expect("earlier migration");
        }
        conn.execute_batch(
            "INSERT INTO users (id, name, role, password_hash, created_at)
             VALUES (7, 'anna', 'agent', 'x', '2026-10-01 00:00:00+00:00');
             INSERT INTO conversations (id, channel, resident_ref, status, created_at, updated_at,
                 closed_at, department)
             VALUES (1, 'webchat', 'r1', 'closed', '2026-10-19 08:00:00.000+00:00',
                     '2026-10-19 09:00:00+00:00', '2026-10-19 09:00:00+00:00', 'burgerzaken');
             INSERT INTO messages (id, conversation_id, direction, author_kind, author_id, text,
                 created_at, delivery, article_id, helpful) VALUES
               (1, 1, 'in', 'resident', NULL, 'vraag', '2026-10-19 08:00:00.000+00:00',
                'received', NULL, NULL),
               (2, 1, 'out', 'bot', NULL, 'antwoord', '2026-10-19 08:00:01.500+00:00', 'sent',
                'paspoort', 0),
               (3, 1, 'in', 'resident', NULL, 'nee', '2026-10-19 08:01:00+00:00', 'received',
                NULL, NULL),
               (4, 1, 'out', 'agent', 7, 'hallo', '2026-10-19 08:20:00+00:00', 'sent', NULL,
                NULL);
             INSERT INTO reply_usage (reply_id, conversation_id, answered_id, at)
             VALUES (4, 1, 3, '2026-10-19 08:20:00+00:00');
             INSERT INTO audit_log (at, actor, action, conversation_id, detail)
             VALUES ('2026-10-19 08:10:00+00:00', 'anna', 'conversation.forward', 1,
                     'burgerzaken');",
        )
        .expect("old data");
        let tx = conn.transaction().expect("tx");
        tx.execute_batch(reports[0]).expect("0015 applies");
        tx.commit().expect("commit");
        let at = |t: &str| {
            DateTime::parse_from_rfc3339(t)
                .expect("time")
                .timestamp_millis()
        };
        let row: (i64, i64, Option<i64>, Option<i64>, i64, i64, i64, i64, i64) = conn
            .query_row(
                "SELECT started_at, first_owed_at, first_response_at, responder_id, bot_first_at,
                        helpful_no, messages_in, agent_replies, first_closed_at
                   FROM report_conversations WHERE conversation_id = 1",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                        r.get(8)?,
                    ))
                },
            )
            .expect("facts");
        assert_eq!(
            row,
            (
                at("2026-10-19T08:00:00Z"),
                at("2026-10-19T08:00:00Z"),
                Some(at("2026-10-19T08:20:00Z")),
                Some(7),
                at("2026-10-19T08:00:01.500Z"),
                1,
                2,
                1,
                at("2026-10-19T09:00:00Z"),
            )
        );
        let counts: (i64, i64, i64) = conn
            .query_row(
                "SELECT (SELECT SUM(n) FROM report_message_hours),
                        (SELECT COUNT(*) FROM report_replies),
                        (SELECT COUNT(*) FROM report_forwards)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .expect("counts");
        assert_eq!(counts, (2, 1, 1));
    }

    #[test]
    fn bad_parameters_are_named() {
        let err = |f: Option<&str>, t: Option<&str>, c: Option<&str>| {
            Filter::parse(f, t, c, None)
                .expect_err("refused")
                .to_string()
        };
        assert!(err(Some("2026-13-01"), Some("2026-12-01"), None).contains("`from`"));
        assert!(err(Some("2026-12-01"), None, None).contains("`to`"));
        assert!(err(Some("2026-12-02"), Some("2026-12-01"), None).contains("after"));
        assert!(
            err(Some("2026-12-01"), Some("2026-12-01"), Some("Web Chat")).contains("`channel`")
        );
    }

    /// Migration 0019 counts the offer answers recorded since 0017 (and before it), and its
    /// trigger keeps counting.
    #[test]
    fn offer_answers_recorded_before_the_migration_are_counted() {
        let mut conn = Connection::open_in_memory().expect("db");
        let at = crate::store::migrate_up_to(&mut conn, "report_offer_answer");
        conn.execute_batch(
            "INSERT INTO conversations (id, channel, resident_ref, status, created_at, updated_at)
             VALUES (1, 'webchat', 'r1', 'open', '2026-12-01 08:00:00+00:00',
                     '2026-12-01 08:00:00+00:00');
             INSERT INTO messages (id, conversation_id, direction, author_kind, text, created_at,
                 delivery, offered_article, offer_accepted) VALUES
               (1, 1, 'out', 'bot', 'Bedoelt u: A?', '2026-12-01 08:00:01+00:00', 'sent', 'a', 0),
               (2, 1, 'out', 'bot', 'Bedoelt u: B?', '2026-12-01 08:05:01+00:00', 'sent', 'b', 1),
               (3, 1, 'out', 'bot', 'Bedoelt u: C?', '2026-12-01 08:09:01+00:00', 'sent', 'c',
                NULL);",
        )
        .expect("old data");
        let tx = conn.transaction().expect("tx");
        tx.execute_batch(crate::store::MIGRATIONS[at])
            .expect("0019 applies");
        tx.commit().expect("commit");
        let counts = |conn: &Connection| -> (i64, i64) {
            conn.query_row(
                "SELECT offers_yes, offers_no FROM report_conversations WHERE conversation_id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("row")
        };
        assert_eq!(counts(&conn), (1, 1), "the lapsed offer is not counted");
        conn.execute("UPDATE messages SET offer_accepted = 0 WHERE id = 3", [])
            .expect("answer");
        assert_eq!(counts(&conn), (1, 2));
    }
}
