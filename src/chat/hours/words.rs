//! Office hours in Dutch words, as residents read them: the week's hours, a day, a
//! promised deadline and an opening moment.

use chrono::{DateTime, Datelike};
use chrono_tz::Europe::Amsterdam;

use super::{OfficeHours, Period};
pub(crate) use crate::search::times::{DAY_NAMES, MONTH_NAMES};

impl OfficeHours {
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
        _ => describe_date(moment),
    }
}

/// The day of `moment` in the Netherlands, with its weekday: "vrijdag 27 november".
pub fn describe_date<Tz: chrono::TimeZone>(moment: DateTime<Tz>) -> String {
    let day = moment.with_timezone(&Amsterdam).date_naive();
    format!(
        "{} {} {}",
        DAY_NAMES[day.weekday().num_days_from_monday() as usize],
        day.day(),
        MONTH_NAMES[day.month0() as usize]
    )
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
