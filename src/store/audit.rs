//! The append-only audit log: who viewed, sent, exported or changed what. Triggers in the
//! schema refuse every UPDATE and DELETE on it.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{Result, now, write};

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub conversation_id: Option<i64>,
    pub detail: String,
}

/// Appends one entry. `detail` must never hold message text or personal data.
pub fn record(
    conn: &mut Connection,
    actor: &str,
    action: &str,
    conversation_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    let tx = write(conn)?;
    record_in(&tx, actor, action, conversation_id, detail)?;
    tx.commit()?;
    Ok(())
}

/// [`record`] inside the caller's transaction, so the entry commits with the change it records.
pub fn record_in(
    conn: &Connection,
    actor: &str,
    action: &str,
    conversation_id: Option<i64>,
    detail: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (at, actor, action, conversation_id, detail)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![now(), actor, action, conversation_id, detail])?;
    Ok(())
}

/// The newest entries first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?1")?;
    let rows = stmt
        .query_map([limit as i64], |r| {
            Ok(Entry {
                id: r.get("id")?,
                at: r.get("at")?,
                actor: r.get("actor")?,
                action: r.get("action")?,
                conversation_id: r.get("conversation_id")?,
                detail: r.get("detail")?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn entries_cannot_be_changed_or_deleted() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                record(c, "anna", "conversation.view", Some(1), "")?;
                assert!(c.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
                assert!(c.execute("DELETE FROM audit_log", []).is_err());
                assert_eq!(recent(c, 10)?.len(), 1);
                Ok(())
            })
            .expect("store calls");
    }
}
