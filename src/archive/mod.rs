//! The Archiefwet archive: conversations are government records. Closed conversations are
//! exported as MDTO 1.0.2 records (the Nationaal Archief's metadata standard), kept as long as
//! the selectielijst result their labels map to says (`[archive]` in the configuration), and
//! then destroyed with a destruction list (vernietigingslijst), unless a lead put them on hold.
//! For a Woo request the same conversations are exported with every personal datum masked.
//!
//! # Layout
//!
//! ```text
//! mod.rs         the error type, periods in Dutch dates
//! mdto.rs        writing MDTO `informatieobject` and `bestand` XML in the schema's order
//! record.rs      a conversation as an MDTO informatieobject: events, waardering, term
//! transcript.rs  the plain-text transcript, in Dutch local time
//! export.rs      `archive export --format mdto`: one folder per closed conversation
//! purge.rs       `archive purge`: destroying expired conversations everywhere
//! list.rs        the vernietigingslijst: a folder per purge, CSV and MDTO records
//! daily.rs       the server's daily purge when `archive.auto_purge` is on
//! woo.rs         `export --woo`: conversations for a Woo request, personal data masked
//! ```

pub mod daily;
pub mod export;
pub mod list;
pub mod mdto;
pub mod purge;
pub mod record;
pub mod transcript;
pub mod woo;

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode conversation {id} as JSON: {source}")]
    Json { id: i64, source: serde_json::Error },
    #[error("media file {path}: {problem}")]
    Media { path: PathBuf, problem: String },
    #[error("the period is empty: --from {from} is after --to {to}")]
    EmptyPeriod { from: NaiveDate, to: NaiveDate },
    #[error("conversation {0} does not exist")]
    NotFound(i64),
}

pub type Result<T, E = ArchiveError> = std::result::Result<T, E>;

/// Helper for `map_err`: an I/O error on `path`.
pub(crate) fn write_error(
    path: &std::path::Path,
) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Whole days in Europe/Amsterdam, both ends included; either end may be open.
#[derive(Debug, Clone, Copy, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period> {
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ArchiveError::EmptyPeriod { from, to });
        }
        Ok(Period { from, to })
    }

    /// The period as UTC instants: `[start of from, start of the day after to)`.
    pub fn bounds(self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        (
            self.from.map(start_of_day),
            self.to.and_then(|d| d.succ_opt()).map(start_of_day),
        )
    }
}

/// Midnight in Amsterdam on `date`, in UTC.
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    Amsterdam
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The day it was in Amsterdam at `at`.
pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_whole_dutch_days() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 7, d).expect("date");
        let (from, to) = Period::new(Some(day(1)), Some(day(1)))
            .expect("one day")
            .bounds();
        assert_eq!(
            from.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-06-30T22:00:00+00:00")
        );
        assert_eq!(
            to.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-07-01T22:00:00+00:00")
        );
        let err = Period::new(Some(day(2)), Some(day(1))).expect_err("backwards");
        assert!(
            err.to_string()
                .contains("--from 2026-07-02 is after --to 2026-07-01")
        );
    }
}
