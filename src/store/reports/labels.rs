//! Top labels of the period's conversations, and forwards to departments in the period.

use rusqlite::Connection;
use serde::Serialize;

use super::{FILTER_SQL, Filter};
use crate::store::Result;

/// How many labels the top list holds.
pub const TOP_LABELS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelCount {
    pub label: String,
    /// Conversations started in the period that carry the label now.
    pub conversations: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentForwards {
    pub department: String,
    /// Forwards to the department in the period.
    pub forwards: u64,
}

pub(super) fn top_labels(conn: &Connection, filter: &Filter) -> Result<Vec<LabelCount>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT l.label, COUNT(*) AS n
           FROM report_conversations f
           JOIN conversation_labels l ON l.conversation_id = f.conversation_id
          WHERE f.started_at >= ?1 AND f.started_at < ?2 AND {FILTER_SQL}
          GROUP BY l.label ORDER BY n DESC, l.label LIMIT ?5"
    ))?;
    let rows = stmt
        .query_map(
            {
                let (from, to, channel, department) = filter.params();
                (from, to, channel, department, TOP_LABELS as i64)
            },
            |r| {
                Ok(LabelCount {
                    label: r.get(0)?,
                    conversations: super::count(r, 1)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(super) fn forwards(conn: &Connection, filter: &Filter) -> Result<Vec<DepartmentForwards>> {
    let mut stmt = conn.prepare_cached(
        "SELECT w.department, COUNT(*) AS n
           FROM report_forwards w
           JOIN report_conversations f ON f.conversation_id = w.conversation_id
          WHERE w.at >= ?1 AND w.at < ?2 AND (?3 IS NULL OR f.channel = ?3)
            AND (?4 IS NULL OR w.department = ?4)
          GROUP BY w.department ORDER BY n DESC, w.department",
    )?;
    let rows = stmt
        .query_map(filter.params(), |r| {
            Ok(DepartmentForwards {
                department: r.get(0)?,
                forwards: super::count(r, 1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
