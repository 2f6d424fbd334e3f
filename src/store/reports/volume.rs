//! Volume: conversations started and resident messages per channel and per Amsterdam day, and
//! the hour-of-week heatmap of resident messages.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Europe::Amsterdam;
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{FILTER_SQL, Fact, Filter, local_date};
use crate::store::Result;

/// Conversations and resident messages on one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChannelVolume {
    pub conversations: u64,
    pub messages_in: u64,
}

/// One Amsterdam day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayVolume {
    pub date: NaiveDate,
    pub conversations: u64,
    pub messages_in: u64,
    pub by_channel: BTreeMap<String, ChannelVolume>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Volume {
    pub by_channel: BTreeMap<String, ChannelVolume>,
    /// Every day of the period, also those without traffic.
    pub days: Vec<DayVolume>,
    /// Resident messages per weekday (Monday first) and Amsterdam hour (0–23).
    pub heatmap: [[u64; 24]; 7],
}

pub(super) fn volume(conn: &Connection, filter: &Filter, facts: &[Fact]) -> Result<Volume> {
    let mut days: BTreeMap<NaiveDate, DayVolume> = filter
        .days()
        .map(|date| {
            (
                date,
                DayVolume {
                    date,
                    conversations: 0,
                    messages_in: 0,
                    by_channel: BTreeMap::new(),
                },
            )
        })
        .collect();
    let mut by_channel: BTreeMap<String, ChannelVolume> = BTreeMap::new();
    for fact in facts {
        by_channel
            .entry(fact.channel.clone())
            .or_default()
            .conversations += 1;
        if let Some(day) = days.get_mut(&local_date(fact.started_at)) {
            day.conversations += 1;
            day.by_channel
                .entry(fact.channel.clone())
                .or_default()
                .conversations += 1;
        }
    }
    let mut heatmap = [[0u64; 24]; 7];
    let (from, to) = filter.bounds();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT h.hour, f.channel, SUM(h.n)
           FROM report_message_hours h
           JOIN report_conversations f ON f.conversation_id = h.conversation_id
          WHERE h.hour >= ?1 AND h.hour < ?2 AND {FILTER_SQL}
          GROUP BY h.hour, f.channel"
    ))?;
    let mut rows = stmt.query(params![
        from.timestamp().div_euclid(3600),
        to.timestamp().div_euclid(3600),
        filter.channel,
        filter.department
    ])?;
    while let Some(row) = rows.next()? {
        let hour: i64 = row.get(0)?;
        let channel: String = row.get(1)?;
        let n = super::count(row, 2)?;
        let local = DateTime::<Utc>::from_timestamp(hour * 3600, 0)
            .unwrap_or_default()
            .with_timezone(&Amsterdam);
        heatmap[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += n;
        by_channel.entry(channel.clone()).or_default().messages_in += n;
        if let Some(day) = days.get_mut(&local.date_naive()) {
            day.messages_in += n;
            day.by_channel.entry(channel).or_default().messages_in += n;
        }
    }
    Ok(Volume {
        by_channel,
        days: days.into_values().collect(),
        heatmap,
    })
}
