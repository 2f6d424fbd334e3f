//! Office hours in the municipality's time zone (Europe/Amsterdam): the opening periods per
//! weekday, the days the office is closed (public holidays, one-off closed days), and the
//! response promise built on them — when the office next opens and by when a resident can expect
//! an answer, in Dutch words.
//!
//! Written in `vraagbaak.toml` as:
//!
//! ```text
//! [office_hours]
//! monday = ["08:30-12:00", "13:00-17:00"]   # a missing day is closed
//! good_friday = true                        # closed on Goede Vrijdag (the default)
//! liberation_day = "every_five_years"       # or "every_year"
//! closed_days = ["2026-12-24", "2026-12-31"]
//! ```
//!
//! Periods are wall-clock times; they become moments per date, so a period keeps its clock times
//! across the daylight-saving changes.
//!
//! ```text
//! mod.rs       the schedule and its questions: open now? next opening? reply by when?
//! settings.rs  reading [office_hours], each error naming its key
//! words.rs     the same in Dutch words for residents: "maandag vóór 12:00"
//! ```

mod settings;
#[cfg(test)]
mod tests;
pub(crate) mod words;

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Weekday};
use chrono_tz::Europe::Amsterdam;

use super::holidays::{self, HolidayRules};

pub use words::{describe_date, describe_deadline, describe_moment, describe_opening};

/// One opening period within a day, `start < end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl std::str::FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Period, String> {
        let bad = || format!("`{s}` is not a period such as \"08:30-17:00\"");
        let (start, end) = s.split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let period = Period {
            start: time(start)?,
            end: time(end)?,
        };
        if period.start >= period.end {
            return Err(format!("`{s}`: the period must end after it starts"));
        }
        Ok(period)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}–{}",
            self.start.format("%H:%M"),
            self.end.format("%H:%M")
        )
    }
}

/// Opening periods for each weekday, Monday first, and the dates on which they do not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    days: [Vec<Period>; 7],
    /// Which optional holidays close the office; the national ones always do.
    holidays: HolidayRules,
    /// One-off closures (Christmas Eve afternoon, a staff day) that no rule predicts.
    closed_days: BTreeSet<NaiveDate>,
}

const DAY_KEYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];
/// How far ahead to look for an opening: a year covers every holiday and closed day once, so
/// finding nothing means no hours are configured rather than a long closure.
const HORIZON_DAYS: u64 = 366;

impl Default for OfficeHours {
    /// Monday to Friday 08:30–17:00, closed on public holidays.
    fn default() -> Self {
        let weekday = vec![Period {
            start: NaiveTime::from_hms_opt(8, 30, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        }];
        OfficeHours {
            days: std::array::from_fn(|i| if i < 5 { weekday.clone() } else { Vec::new() }),
            holidays: HolidayRules::default(),
            closed_days: BTreeSet::new(),
        }
    }
}

impl OfficeHours {
    pub fn periods(&self, day: Weekday) -> &[Period] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Whether the office stays shut all of `date`: a holiday it observes or a configured closed
    /// day.
    pub fn is_closed_on(&self, date: NaiveDate) -> bool {
        self.closed_days.contains(&date) || holidays::holiday(date, &self.holidays).is_some()
    }

    /// Whether the office is open at `at` (any time zone; compared in Europe/Amsterdam).
    pub fn is_open<Tz: TimeZone>(&self, at: &DateTime<Tz>) -> bool {
        let at = at.with_timezone(&Amsterdam);
        self.open_periods(at.date_naive())
            .any(|(start, end)| start <= at && at < end)
    }

    /// The start of the next opening at or after `at`: `at` itself when the office is open then.
    /// `None` when the office does not open within a year, as when no hours are configured.
    pub fn next_open<Tz: TimeZone>(&self, at: &DateTime<Tz>) -> Option<DateTime<chrono_tz::Tz>> {
        self.open_from(at.with_timezone(&Amsterdam))
            .next()
            .map(|(start, _)| start)
    }

    /// The moment `office_minutes` of opening time have passed since `at`, counting only the
    /// periods the office is open: the latest time a reply is promised by. `None` when that is
    /// more than a year away.
    pub fn reply_by<Tz: TimeZone>(
        &self,
        at: &DateTime<Tz>,
        office_minutes: u32,
    ) -> Option<DateTime<chrono_tz::Tz>> {
        let mut remaining = TimeDelta::minutes(office_minutes.into());
        for (start, end) in self.open_from(at.with_timezone(&Amsterdam)) {
            // `<=` so that a promise filling a period ends at closing time, not the next opening.
            if remaining <= end - start {
                return Some(start + remaining);
            }
            remaining -= end - start;
        }
        None
    }

    /// The office time between `from` and `to`: the part of that stretch the office is open,
    /// the inverse of [`OfficeHours::reply_by`]. Zero when `to` is not after `from`.
    pub fn office_time_between<Tz: TimeZone>(
        &self,
        from: &DateTime<Tz>,
        to: &DateTime<Tz>,
    ) -> TimeDelta {
        let to = to.with_timezone(&Amsterdam);
        let mut total = TimeDelta::zero();
        for (start, end) in self.open_from(from.with_timezone(&Amsterdam)) {
            if start >= to {
                break;
            }
            total += end.min(to) - start;
        }
        total
    }

    /// The opening periods of `date` as moments; none when the office is closed that day.
    fn open_periods(
        &self,
        date: NaiveDate,
    ) -> impl Iterator<Item = (DateTime<chrono_tz::Tz>, DateTime<chrono_tz::Tz>)> + '_ {
        let periods = if self.is_closed_on(date) {
            &[][..]
        } else {
            self.periods(date.weekday())
        };
        periods
            .iter()
            .map(move |p| (on_the_clock(date, p.start), on_the_clock(date, p.end)))
    }

    /// The remaining opening periods from `at` on, within the horizon; one already under way
    /// starts at `at`.
    fn open_from(
        &self,
        at: DateTime<chrono_tz::Tz>,
    ) -> impl Iterator<Item = (DateTime<chrono_tz::Tz>, DateTime<chrono_tz::Tz>)> + '_ {
        let first_day = at.date_naive();
        (0..=HORIZON_DAYS)
            .map_while(move |n| first_day.checked_add_days(Days::new(n)))
            .flat_map(|date| self.open_periods(date))
            .filter(move |(_, end)| *end > at)
            .map(move |(start, end)| (start.max(at), end))
    }
}

/// The moment Amsterdam clocks show `time` on `date`. In the autumn hour that occurs twice the
/// first is taken; a time the spring change skips is read with the winter offset, which lands as
/// far past 03:00 as it was past 02:00, so a period never starts before it ends.
fn on_the_clock(date: NaiveDate, time: NaiveTime) -> DateTime<chrono_tz::Tz> {
    let local = date.and_time(time);
    Amsterdam
        .from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            Amsterdam
                .from_local_datetime(&(local + TimeDelta::hours(1)))
                .earliest()
        })
        .expect("Amsterdam's clock changes skip at most one hour")
}
