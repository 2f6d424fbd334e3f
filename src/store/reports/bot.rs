//! The bot: conversations it handled, answered alone, handed over, and the residents' "ja" and
//! "nee" to its answers and to its offers.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::{Fact, share};

/// How long after the bot's first answer an agent's message still means the bot did not
/// answer alone.
pub const ALONE_HOURS: i64 = 24;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bot {
    /// Conversations where the bot answered with an article or offered one.
    pub handled: u64,
    /// Handled, no agent message within 24 hours of the bot's first answer and no "nee";
    /// counted once those 24 hours have passed.
    pub resolved_alone: u64,
    /// Handled, and a person was needed after all: a reply was owed or an agent replied.
    pub handed_over: u64,
    /// The residents' answers to "Heeft dit u geholpen?".
    pub helpful_yes: u64,
    pub helpful_no: u64,
    pub helpful_yes_share: Option<f64>,
    /// The residents' answers to the bot's offers ("Bedoelt u …?"): "ja" gets the article,
    /// "nee" a person. Unanswered offers lapse and are not counted.
    pub offers_yes: u64,
    pub offers_no: u64,
    pub offers_yes_share: Option<f64>,
}

pub(super) fn bot(facts: &[Fact], now: DateTime<Utc>) -> Bot {
    let window = TimeDelta::hours(ALONE_HOURS);
    let handled: Vec<&Fact> = facts.iter().filter(|f| f.bot_first_at.is_some()).collect();
    let resolved_alone = handled
        .iter()
        .filter(|f| resolved_alone(f, now, window))
        .count() as u64;
    let handed_over = handled
        .iter()
        .filter(|f| f.first_owed_at.is_some() || f.first_agent_at.is_some())
        .count() as u64;
    let helpful_yes = facts.iter().map(|f| f.helpful_yes).sum();
    let helpful_no = facts.iter().map(|f| f.helpful_no).sum();
    let offers_yes = facts.iter().map(|f| f.offers_yes).sum();
    let offers_no = facts.iter().map(|f| f.offers_no).sum();
    Bot {
        handled: handled.len() as u64,
        resolved_alone,
        handed_over,
        helpful_yes,
        helpful_no,
        helpful_yes_share: share(helpful_yes, helpful_yes + helpful_no),
        offers_yes,
        offers_no,
        offers_yes_share: share(offers_yes, offers_yes + offers_no),
    }
}

fn resolved_alone(fact: &Fact, now: DateTime<Utc>, window: TimeDelta) -> bool {
    let Some(first) = fact.bot_first_at else {
        return false;
    };
    let agent_in_time = fact.first_agent_at.is_some_and(|a| a < first + window);
    first + window <= now && !agent_in_time && fact.helpful_no == 0
}
