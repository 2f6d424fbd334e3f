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

/// What went wrong delivering a message, as one sentence: `delivery_error` holds only the
/// reason. A held message still goes out when the resident writes, so it is "not yet"
/// delivered; a failed one is not delivered.
pub fn delivery_problem(message: &Message) -> Option<String> {
    let reason = message
        .delivery_error
        .as_deref()?
        .trim()
        .trim_end_matches('.');
    Some(if message.held_since.is_some() {
        format!(
            "Nog niet afgeleverd: {reason}. Het bericht gaat uit zodra de inwoner een bericht \
             stuurt."
        )
    } else {
        format!("Niet afgeleverd: {reason}.")
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

/// When the re-engagement template still standing went out, for the window banner.
pub fn reopen_requested(at: Option<DateTime<Utc>>) -> Option<String> {
    at.map(short_moment)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn failed(reason: &str, held: bool) -> Message {
        let at = Utc::now();
        Message {
            id: 1,
            conversation_id: 1,
            direction: crate::chat::Direction::Out,
            author: crate::chat::AuthorKind::Agent,
            author_name: None,
            text: String::new(),
            created_at: at,
            delivery: crate::chat::Delivery::Failed,
            article_id: None,
            usage: None,
            channel_message_id: None,
            media_kind: None,
            media_id: None,
            delivery_error: Some(reason.to_owned()),
            privacy: Vec::new(),
            helpful: None,
            edited_at: None,
            revoked_at: None,
            reply_to: None,
            details: Default::default(),
            sent_at: None,
            held_since: held.then_some(at),
        }
    }

    #[test]
    fn every_delivery_problem_reads_as_one_sentence() {
        let cases = [
            (
                crate::store::held::NOT_DELIVERED,
                false,
                "Niet afgeleverd: de inwoner heeft niet binnen 7 dagen gereageerd.",
            ),
            (
                "het versturen bleef mislukken, ook na herhaalde pogingen (laatste fout: HTTP 503)",
                false,
                "Niet afgeleverd: het versturen bleef mislukken, ook na herhaalde pogingen \
                 (laatste fout: HTTP 503).",
            ),
            (
                "HTTP 400: (#131047) Re-engagement message.",
                false,
                "Niet afgeleverd: HTTP 400: (#131047) Re-engagement message.",
            ),
            (
                "het heropeningssjabloon is door WhatsApp geweigerd (HTTP 400: unknown)",
                true,
                "Nog niet afgeleverd: het heropeningssjabloon is door WhatsApp geweigerd \
                 (HTTP 400: unknown). Het bericht gaat uit zodra de inwoner een bericht stuurt.",
            ),
        ];
        for (reason, held, sentence) in cases {
            assert_eq!(
                delivery_problem(&failed(reason, held)).as_deref(),
                Some(sentence)
            );
        }
    }

    #[test]
    fn a_short_moment_reads_as_agents_say_it() {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 27, 17, 2, 0)
            .single()
            .expect("a valid time");
        assert_eq!(short_moment(at), "vr 27 nov 18:02");
    }
}
