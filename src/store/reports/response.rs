//! First response time: from the first resident message that needs a person (the start of the
//! conversation's first owed reply, see migration 0003) until the first agent reply.

use chrono::TimeDelta;
use serde::Serialize;

use super::{Fact, percentile, share};
use crate::chat::hours::OfficeHours;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FirstResponse {
    /// Conversations with a first wait: a reply was owed at some point.
    pub waits: u64,
    /// Of those, answered by an agent.
    pub answered: u64,
    /// Closed without an agent reply while the first reply was owed.
    pub closed_unanswered: u64,
    /// Still waiting for the first reply.
    pub waiting: u64,
    /// Percentiles over the answered ones, wall-clock seconds.
    pub p50_s: Option<i64>,
    pub p90_s: Option<i64>,
    /// The same in minutes the office was open (whole minutes, rounded down).
    pub p50_office_min: Option<i64>,
    pub p90_office_min: Option<i64>,
    /// Waits with a promised time.
    pub promised: u64,
    /// Share of those answered by the promised time.
    pub within_promise: Option<f64>,
    /// Share of all waits answered within 24 hours.
    pub within_24h: Option<f64>,
}

pub(super) fn first_response(facts: &[Fact], hours: &OfficeHours) -> FirstResponse {
    let mut waits = 0;
    let mut closed_unanswered = 0;
    let mut promised = 0;
    let mut kept = 0;
    let mut within_day = 0;
    let mut seconds = Vec::new();
    let mut office = Vec::new();
    for fact in facts {
        let Some(owed) = fact.first_owed_at else {
            continue;
        };
        waits += 1;
        if fact.first_wait_closed_at.is_some() {
            closed_unanswered += 1;
        }
        if fact.promised_by.is_some() {
            promised += 1;
        }
        let Some(reply) = fact.first_response_at else {
            continue;
        };
        let wait = (reply - owed).max(TimeDelta::zero());
        seconds.push(wait.num_seconds());
        office.push(hours.office_time_between(&owed, &reply).num_minutes());
        if wait <= TimeDelta::hours(24) {
            within_day += 1;
        }
        if fact.promised_by.is_some_and(|by| reply <= by) {
            kept += 1;
        }
    }
    seconds.sort_unstable();
    office.sort_unstable();
    let answered = seconds.len() as u64;
    FirstResponse {
        waits,
        answered,
        closed_unanswered,
        waiting: waits - answered - closed_unanswered,
        p50_s: percentile(&seconds, 50),
        p90_s: percentile(&seconds, 90),
        p50_office_min: percentile(&office, 50),
        p90_office_min: percentile(&office, 90),
        promised,
        within_promise: share(kept, promised),
        within_24h: share(within_day, waits),
    }
}
