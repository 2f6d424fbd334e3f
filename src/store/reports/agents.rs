//! Per agent: the conversations they replied in, their replies, and the median first response
//! of the first waits they ended. Only team leads see these.

use std::collections::{BTreeMap, HashMap, HashSet};

use rusqlite::Connection;
use serde::Serialize;

use super::suggestions::Reply;
use super::{Fact, percentile};
use crate::store::Result;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentFigures {
    pub agent_id: i64,
    pub name: String,
    /// Conversations the agent replied in during the period.
    pub conversations: u64,
    /// Replies the agent sent in the period.
    pub replies: u64,
    /// The median first response (seconds) over the period's conversations whose first
    /// wait this agent's reply ended.
    pub median_first_response_s: Option<i64>,
}

pub(super) fn agents(
    conn: &Connection,
    facts: &[Fact],
    replies: &[Reply],
) -> Result<Vec<AgentFigures>> {
    let mut sent: BTreeMap<i64, (HashSet<i64>, u64)> = BTreeMap::new();
    for reply in replies {
        if let Some(agent) = reply.agent_id {
            let (conversations, count) = sent.entry(agent).or_default();
            conversations.insert(reply.conversation_id);
            *count += 1;
        }
    }
    let mut waits: HashMap<i64, Vec<i64>> = HashMap::new();
    for fact in facts {
        if let (Some(agent), Some(owed), Some(reply)) = (
            fact.responder_id,
            fact.first_owed_at,
            fact.first_response_at,
        ) {
            waits
                .entry(agent)
                .or_default()
                .push((reply - owed).num_seconds().max(0));
            sent.entry(agent).or_default();
        }
    }
    let mut names = conn.prepare_cached("SELECT name FROM users WHERE id = ?1")?;
    let mut figures = Vec::with_capacity(sent.len());
    for (agent, (conversations, count)) in sent {
        let name: String = names
            .query_row([agent], |r| r.get(0))
            .unwrap_or_else(|_| format!("#{agent}"));
        let mut own = waits.remove(&agent).unwrap_or_default();
        own.sort_unstable();
        figures.push(AgentFigures {
            agent_id: agent,
            name,
            conversations: conversations.len() as u64,
            replies: count,
            median_first_response_s: percentile(&own, 50),
        });
    }
    figures.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(figures)
}
