//! WhatsApp's 24-hour window on the conversation page: the resident's own time beside the
//! arrival time when Meta delivered late, and answers held until the resident writes again.

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use chrono_tz::Europe::Amsterdam;

use super::local_time;
use crate::store::conversations::Message;

/// Below this difference the resident's time and the arrival time are the same to an agent.
const LATE_AFTER: TimeDelta = TimeDelta::minutes(10);

const DAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const MONTHS: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// "vr 27 nov 18:02", in the Netherlands.
fn short_moment(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&Amsterdam);
    format!(
        "{} {} {} {}",
        DAYS[local.weekday().num_days_from_monday() as usize],
        local.day(),
        MONTHS[local.month0() as usize],
        local.format("%H:%M")
    )
}

/// The time shown on a message: when it arrived, or for a message Meta delivered long after
/// the resident sent it, both ("verzonden vr 27 nov 18:02, ontvangen ma 30 nov 08:30").
pub fn message_time(message: &Message) -> String {
    match message.sent_at {
        Some(sent) if (message.created_at - sent).abs() >= LATE_AFTER => format!(
            "verzonden {}, ontvangen {}",
            short_moment(sent),
            short_moment(message.created_at)
        ),
        _ => local_time(message.created_at),
    }
}

/// The state of an answer held for the window, as its delivery label.
pub fn held_label(message: &Message) -> Option<String> {
    message.held_since.map(|since| {
        format!(
            "wacht op heropening door inwoner sinds {}",
            short_moment(since)
        )
    })
}

/// Since when the oldest held answer of the thread waits, for the banner.
pub fn held_since(messages: &[Message]) -> Option<String> {
    messages
        .iter()
        .filter_map(|m| m.held_since)
        .min()
        .map(short_moment)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_short_moment_reads_as_agents_say_it() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 27, 17, 2, 0)
            .single()
            .expect("a valid time");
        assert_eq!(short_moment(at), "vr 27 nov 18:02");
    }
}
