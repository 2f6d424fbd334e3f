//! Office hours per weekday, in the municipality's time zone (Europe/Amsterdam).
//!
//! Written in `vraagbaak.toml` as `monday = ["08:30-12:00", "13:00-17:00"]`; a missing day is
//! closed. Shown to residents in the chat and used to tell whether the office is open.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveTime, TimeZone, Weekday};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Deserializer};

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

/// Opening periods for each weekday, Monday first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficeHours {
    days: [Vec<Period>; 7],
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

impl Default for OfficeHours {
    /// Monday to Friday 08:30–17:00.
    fn default() -> Self {
        let weekday = vec![Period {
            start: NaiveTime::from_hms_opt(8, 30, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        }];
        OfficeHours {
            days: std::array::from_fn(|i| if i < 5 { weekday.clone() } else { Vec::new() }),
        }
    }
}

impl<'de> Deserialize<'de> for OfficeHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let table = std::collections::BTreeMap::<String, Vec<String>>::deserialize(deserializer)?;
        let mut days: [Vec<Period>; 7] = Default::default();
        for (key, periods) in table {
            let day = DAY_KEYS.iter().position(|d| *d == key).ok_or_else(|| {
                D::Error::custom(format!(
                    "office_hours: unknown day `{key}`, expected one of {}",
                    DAY_KEYS.join(", ")
                ))
            })?;
            let mut parsed = periods
                .iter()
                .map(|p| p.parse::<Period>())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| D::Error::custom(format!("office_hours.{key}: {e}")))?;
            parsed.sort_by_key(|p| p.start);
            if parsed.windows(2).any(|w| w[0].end > w[1].start) {
                return Err(D::Error::custom(format!(
                    "office_hours.{key}: periods overlap"
                )));
            }
            days[day] = parsed;
        }
        Ok(OfficeHours { days })
    }
}

impl OfficeHours {
    pub fn periods(&self, day: Weekday) -> &[Period] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Whether the office is open at `at` (any time zone; compared in Europe/Amsterdam).
    pub fn is_open<Tz: TimeZone>(&self, at: &DateTime<Tz>) -> bool {
        let local = at.with_timezone(&Amsterdam);
        let time = local.time();
        self.periods(local.weekday())
            .iter()
            .any(|p| p.start <= time && time < p.end)
    }

    /// Dutch lines for residents, consecutive days with the same hours merged:
    /// `maandag t/m vrijdag: 08:30–17:00`.
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
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(toml_text: &str) -> Result<OfficeHours, toml::de::Error> {
        #[derive(Deserialize)]
        struct Wrapper {
            office_hours: OfficeHours,
        }
        toml::from_str::<Wrapper>(toml_text).map(|w| w.office_hours)
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
            ]
        );
    }

    #[test]
    fn open_is_judged_in_amsterdam_time() {
        let h = OfficeHours::default();
        // Monday 2026-11-23 07:45 UTC is 08:45 in Amsterdam (CET).
        let at = chrono::Utc
            .with_ymd_and_hms(2026, 11, 23, 7, 45, 0)
            .unwrap();
        assert!(h.is_open(&at));
        let saturday = chrono::Utc
            .with_ymd_and_hms(2026, 11, 28, 10, 0, 0)
            .unwrap();
        assert!(!h.is_open(&saturday));
    }

    #[test]
    fn bad_periods_name_the_day() {
        let err = hours("[office_hours]\nmonday=[\"17:00-08:00\"]").expect_err("reversed");
        assert!(err.to_string().contains("office_hours.monday"), "{err}");
        let err = hours("[office_hours]\nmaandag=[\"08:00-17:00\"]").expect_err("dutch key");
        assert!(err.to_string().contains("unknown day"), "{err}");
    }
}
