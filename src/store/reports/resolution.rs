//! Resolution time: from the conversation's start until it was first closed, and how many
//! closed conversations were reopened.

use serde::Serialize;

use super::{Fact, percentile, share};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// Conversations closed at least once.
    pub closed: u64,
    /// Conversations not closed now.
    pub open: u64,
    /// Start to first close, wall-clock seconds.
    pub p50_s: Option<i64>,
    pub p90_s: Option<i64>,
    /// Closed conversations reopened at least once (the resident wrote again).
    pub reopened: u64,
    pub reopened_share: Option<f64>,
}

pub(super) fn resolution(facts: &[Fact]) -> Resolution {
    let mut seconds: Vec<i64> = facts
        .iter()
        .filter_map(|f| {
            f.first_closed_at
                .map(|c| (c - f.started_at).num_seconds().max(0))
        })
        .collect();
    seconds.sort_unstable();
    let closed = seconds.len() as u64;
    let reopened = facts
        .iter()
        .filter(|f| f.first_closed_at.is_some() && f.reopened > 0)
        .count() as u64;
    Resolution {
        closed,
        open: facts.iter().filter(|f| f.closed_at.is_none()).count() as u64,
        p50_s: percentile(&seconds, 50),
        p90_s: percentile(&seconds, 90),
        reopened,
        reopened_share: share(reopened, closed),
    }
}
