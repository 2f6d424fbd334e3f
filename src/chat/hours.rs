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

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Weekday};
use chrono_tz::Europe::Amsterdam;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::holidays::{self, HolidayRules};

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
const DAY_NAMES: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
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

impl<'de> Deserialize<'de> for OfficeHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(OfficeHoursVisitor)
    }
}

/// Reads the table key by key, because the value's type depends on the key.
struct OfficeHoursVisitor;

impl<'de> Visitor<'de> for OfficeHoursVisitor {
    type Value = OfficeHours;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a table of weekdays, good_friday, liberation_day and closed_days")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OfficeHours, A::Error> {
        let mut hours = OfficeHours {
            days: Default::default(),
            holidays: HolidayRules::default(),
            closed_days: BTreeSet::new(),
        };
        while let Some(key) = map.next_key::<String>()? {
            let in_key =
                |e: &dyn fmt::Display| A::Error::custom(format!("office_hours.{key}: {e}"));
            match key.as_str() {
                "good_friday" => {
                    hours.holidays.good_friday = map.next_value().map_err(|e| in_key(&e))?;
                }
                "liberation_day" => {
                    let choice: String = map.next_value().map_err(|e| in_key(&e))?;
                    hours.holidays.liberation_day = choice.parse().map_err(|e| in_key(&e))?;
                }
                "closed_days" => {
                    let dates: Vec<String> = map.next_value().map_err(|e| in_key(&e))?;
                    for date in dates {
                        let parsed =
                            NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| {
                                in_key(&format!("`{date}` is not a date such as \"2026-12-24\""))
                            })?;
                        hours.closed_days.insert(parsed);
                    }
                }
                _ => {
                    let day = DAY_KEYS.iter().position(|d| *d == key).ok_or_else(|| {
                        A::Error::custom(format!(
                            "office_hours: unknown key `{key}`, expected one of {}, \
                             good_friday, liberation_day, closed_days",
                            DAY_KEYS.join(", ")
                        ))
                    })?;
                    let periods: Vec<String> = map.next_value().map_err(|e| in_key(&e))?;
                    let mut parsed = periods
                        .iter()
                        .map(|p| p.parse::<Period>())
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| in_key(&e))?;
                    parsed.sort_by_key(|p| p.start);
                    if parsed.windows(2).any(|w| w[0].end > w[1].start) {
                        return Err(in_key(&"periods overlap"));
                    }
                    hours.days[day] = parsed;
                }
            }
        }
        Ok(hours)
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

    /// Dutch lines for residents, consecutive days with the same hours merged:
    /// `maandag t/m vrijdag: 08:30–17:00`, then `feestdagen: gesloten`.
    pub fn describe(&self) -> Vec<String> {
        let mut lines = Vec::new();
        let mut i = 0;
        while i < 7 {
            let mut j = i;
            while j + 1 < 7 && self.days[j + 1] == self.days[i] {
                j += 1;
            }
            let days = match j - i {
                0 => DAY_NAMES[i].to_string(),
                1 => format!("{} en {}", DAY_NAMES[i], DAY_NAMES[j]),
                _ => format!("{} t/m {}", DAY_NAMES[i], DAY_NAMES[j]),
            };
            let hours = if self.days[i].is_empty() {
                "gesloten".to_string()
            } else {
                let periods: Vec<String> = self.days[i].iter().map(Period::to_string).collect();
                periods.join(" en ")
            };
            lines.push(format!("{days}: {hours}"));
            i = j + 1;
        }
        lines.push("feestdagen: gesloten".to_string());
        lines
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

/// The day of `moment` as a resident reads it at `now`: "vandaag", "morgen", the weekday within
/// the coming week ("maandag"), otherwise weekday and date ("dinsdag 5 januari").
pub fn describe_moment(moment: DateTime<chrono_tz::Tz>, now: DateTime<chrono_tz::Tz>) -> String {
    let day = moment.with_timezone(&Amsterdam).date_naive();
    let today = now.with_timezone(&Amsterdam).date_naive();
    let weekday = DAY_NAMES[day.weekday().num_days_from_monday() as usize];
    match (day - today).num_days() {
        0 => "vandaag".to_string(),
        1 => "morgen".to_string(),
        2..=6 => weekday.to_string(),
        _ => format!(
            "{weekday} {} {}",
            day.day(),
            MONTH_NAMES[day.month0() as usize]
        ),
    }
}

/// The response promise for a [`OfficeHours::reply_by`] moment: "maandag vóór 12:00".
pub fn describe_deadline(moment: DateTime<chrono_tz::Tz>, now: DateTime<chrono_tz::Tz>) -> String {
    let time = moment.with_timezone(&Amsterdam).format("%H:%M");
    format!("{} vóór {time}", describe_moment(moment, now))
}

/// When the office opens, for a [`OfficeHours::next_open`] moment: "maandag om 08:30".
pub fn describe_opening(moment: DateTime<chrono_tz::Tz>, now: DateTime<chrono_tz::Tz>) -> String {
    let time = moment.with_timezone(&Amsterdam).format("%H:%M");
    format!("{} om {time}", describe_moment(moment, now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDateTime, Utc};

    fn hours(toml_text: &str) -> Result<OfficeHours, toml::de::Error> {
        #[derive(Deserialize)]
        struct Wrapper {
            office_hours: OfficeHours,
        }
        toml::from_str::<Wrapper>(toml_text).map(|w| w.office_hours)
    }

    /// Default hours, but Thursday split around lunch and open into the evening.
    fn with_late_thursday() -> OfficeHours {
        let mut h = OfficeHours::default();
        h.days[3] = vec![
            "08:30-12:30".parse().expect("valid"),
            "13:00-20:00".parse().expect("valid"),
        ];
        h
    }

    /// `"2026-11-27 18:00"` on Amsterdam clocks.
    fn ams(local: &str) -> DateTime<chrono_tz::Tz> {
        let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
        Amsterdam
            .from_local_datetime(&naive)
            .single()
            .expect("unambiguous test time")
    }

    #[test]
    fn describes_merged_days_in_dutch() {
        let h = hours(
            "[office_hours]\nmonday=[\"08:30-17:00\"]\ntuesday=[\"08:30-17:00\"]\n\
             wednesday=[\"08:30-17:00\"]\nthursday=[\"08:30-12:00\",\"13:00-20:00\"]\n\
             friday=[\"08:30-17:00\"]",
        )
        .expect("valid");
        assert_eq!(
            h.describe(),
            [
                "maandag t/m woensdag: 08:30–17:00",
                "donderdag: 08:30–12:00 en 13:00–20:00",
                "vrijdag: 08:30–17:00",
                "zaterdag en zondag: gesloten",
                "feestdagen: gesloten",
            ]
        );
    }

    #[test]
    fn open_is_judged_in_amsterdam_time() {
        let h = OfficeHours::default();
        // Monday 2026-11-23 07:45 UTC is 08:45 in Amsterdam (CET).
        let monday = Utc.with_ymd_and_hms(2026, 11, 23, 7, 45, 0).single();
        assert!(h.is_open(&monday.expect("valid")));
        let saturday = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).single();
        assert!(!h.is_open(&saturday.expect("valid")));
    }

    #[test]
    fn closed_on_holidays_and_closed_days() {
        let default = OfficeHours::default();
        let configured = hours(
            "[office_hours]\nmonday=[\"08:30-17:00\"]\nthursday=[\"08:30-17:00\"]\n\
             friday=[\"08:30-17:00\"]\ngood_friday=false\nliberation_day=\"every_year\"\n\
             closed_days=[\"2026-12-24\"]",
        )
        .expect("valid");
        for (h, at, open) in [
            (&default, "2026-04-27 10:00", false), // Koningsdag, a Monday
            (&default, "2026-05-25 10:00", false), // Tweede Pinksterdag
            (&default, "2026-05-26 10:00", true),
            (&default, "2026-04-03 10:00", false), // Goede Vrijdag
            (&configured, "2026-04-03 10:00", true),
            (&default, "2026-12-24 10:00", true),
            (&configured, "2026-12-24 10:00", false),
            (&configured, "2026-05-05 10:00", false), // Bevrijdingsdag, every year
        ] {
            assert_eq!(h.is_open(&ams(at)), open, "{at}");
        }
    }

    #[test]
    fn next_open_skips_evenings_weekends_and_holidays() {
        let default = OfficeHours::default();
        let late_thursday = with_late_thursday();
        for (h, at, expected) in [
            (&default, "2026-11-27 18:00", "2026-11-30 08:30"), // Friday evening
            (&default, "2026-11-28 10:00", "2026-11-30 08:30"), // Saturday
            (&default, "2026-11-30 10:17", "2026-11-30 10:17"), // open now
            (&default, "2026-12-01 07:00", "2026-12-01 08:30"), // before opening
            (&default, "2026-12-24 18:00", "2026-12-28 08:30"), // Christmas, then a Sunday
            (&late_thursday, "2026-12-03 12:45", "2026-12-03 13:00"), // Thursday lunch
            (&late_thursday, "2026-12-24 20:00", "2026-12-28 08:30"),
        ] {
            assert_eq!(h.next_open(&ams(at)), Some(ams(expected)), "{at}");
        }
    }

    #[test]
    fn next_open_keeps_clock_times_across_the_autumn_change() {
        // Clocks go back on Sunday 2026-10-25; Monday 08:30 is then 07:30 UTC, not 06:30.
        let opens = OfficeHours::default().next_open(&ams("2026-10-24 12:00"));
        let expected = Utc.with_ymd_and_hms(2026, 10, 26, 7, 30, 0).single();
        assert_eq!(opens.map(|t| t.with_timezone(&Utc)), expected);
    }

    #[test]
    fn a_time_skipped_in_spring_is_read_as_the_same_time_past_three() {
        // 2026-03-29 02:30 does not exist in Amsterdam; clocks jump from 02:00 to 03:00.
        let date = NaiveDate::from_ymd_opt(2026, 3, 29).expect("valid date");
        let time = NaiveTime::from_hms_opt(2, 30, 0).expect("valid time");
        assert_eq!(on_the_clock(date, time), ams("2026-03-29 03:30"));
    }

    #[test]
    fn without_hours_there_is_no_opening_or_promise() {
        let closed = hours("[office_hours]\ngood_friday=true").expect("valid");
        assert_eq!(closed.next_open(&ams("2026-11-27 18:00")), None);
        assert_eq!(closed.reply_by(&ams("2026-11-27 18:00"), 60), None);
    }

    #[test]
    fn reply_by_counts_only_office_time() {
        let late_thursday = with_late_thursday();
        for (at, minutes, expected) in [
            ("2026-11-26 11:00", 120, "2026-11-26 13:30"), // over Thursday lunch
            ("2026-11-26 19:00", 90, "2026-11-27 09:00"),  // Thursday evening into Friday
            ("2026-11-27 16:00", 120, "2026-11-30 09:30"), // over the weekend
            ("2026-11-27 18:00", 210, "2026-11-30 12:00"),
            ("2026-11-27 15:00", 120, "2026-11-27 17:00"), // exactly until closing
            ("2026-03-27 16:00", 120, "2026-03-30 09:30"), // over the spring change
            ("2026-12-24 19:00", 120, "2026-12-28 09:30"), // over Christmas
        ] {
            assert_eq!(
                late_thursday.reply_by(&ams(at), minutes),
                Some(ams(expected)),
                "{at} + {minutes} min"
            );
        }
    }

    #[test]
    fn promise_and_opening_read_as_dutch() {
        let h = OfficeHours::default();
        let now = ams("2026-11-27 18:00");
        let reply_by = h.reply_by(&now, 210).expect("opens within a year");
        assert_eq!(describe_deadline(reply_by, now), "maandag vóór 12:00");
        let opens = h.next_open(&now).expect("opens within a year");
        assert_eq!(describe_opening(opens, now), "maandag om 08:30");
    }

    #[test]
    fn moments_are_named_relative_to_today() {
        let now = ams("2026-11-27 18:00"); // a Friday
        for (moment, expected) in [
            ("2026-11-27 20:00", "vandaag"),
            ("2026-11-28 08:30", "morgen"),
            ("2026-11-30 08:30", "maandag"),
            ("2026-12-03 08:30", "donderdag"),
            ("2026-12-04 08:30", "vrijdag 4 december"),
            ("2027-01-05 08:30", "dinsdag 5 januari"),
        ] {
            assert_eq!(describe_moment(ams(moment), now), expected, "{moment}");
        }
    }

    #[test]
    fn bad_entries_name_the_key() {
        for (toml_text, key, detail) in [
            (
                "monday=[\"17:00-08:00\"]",
                "office_hours.monday",
                "must end after",
            ),
            (
                "monday=[\"08:00-12:00\",\"11:00-17:00\"]",
                "office_hours.monday",
                "overlap",
            ),
            (
                "maandag=[\"08:00-17:00\"]",
                "office_hours",
                "unknown key `maandag`",
            ),
            (
                "closed_days=[\"24-12-2026\"]",
                "office_hours.closed_days",
                "`24-12-2026`",
            ),
            (
                "liberation_day=\"sometimes\"",
                "office_hours.liberation_day",
                "`sometimes`",
            ),
            ("good_friday=\"ja\"", "office_hours.good_friday", "boolean"),
        ] {
            let err = hours(&format!("[office_hours]\n{toml_text}")).expect_err(toml_text);
            let err = err.to_string();
            assert!(
                err.contains(key) && err.contains(detail),
                "{toml_text}: {err}"
            );
        }
    }
}
