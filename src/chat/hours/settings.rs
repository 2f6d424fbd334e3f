//! Reading `[office_hours]` from `vraagbaak.toml`: weekdays with periods, the optional
//! holidays and one-off closed days, each error naming its key.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::de::{Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{DAY_KEYS, OfficeHours, Period};
use crate::chat::holidays::HolidayRules;

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
