//! Residents' marketing preferences as WhatsApp reports them (`user_preferences`): every
//! stop, resume or signup with WhatsApp's time. The latest one counts; a template that is not
//! an answer to the resident (a re-engagement template) must not go to a resident who stopped.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, now, write};

/// The value WhatsApp sends when a resident stops marketing messages.
pub const STOP: &str = "stop";

/// Records one preference change.
pub fn record_preference(
    conn: &mut Connection,
    wa_id: &str,
    value: &str,
    changed_at: DateTime<Utc>,
) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "INSERT INTO marketing_preferences (wa_id, value, changed_at, recorded_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![wa_id, value, changed_at, now()],
    )?;
    tx.commit()?;
    Ok(())
}

/// Whether the resident's latest preference (by WhatsApp's time) is `stop`.
pub fn marketing_opted_out(conn: &Connection, wa_id: &str) -> Result<bool> {
    let latest: Option<String> = conn
        .query_row(
            "SELECT value FROM marketing_preferences WHERE wa_id = ?1
             ORDER BY changed_at DESC, id DESC LIMIT 1",
            [wa_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(latest.as_deref() == Some(STOP))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn the_latest_preference_by_whatsapp_time_counts() {
        let store = Store::open_in_memory().expect("store");
        let at = |s| DateTime::from_timestamp(s, 0).expect("in range");
        store
            .blocking(|c| {
                assert!(!marketing_opted_out(c, "31611111111")?);
                record_preference(c, "31611111111", STOP, at(1_700_000_100))?;
                assert!(marketing_opted_out(c, "31611111111")?);
                // A resume that happened earlier but arrived later does not undo the stop.
                record_preference(c, "31611111111", "resume", at(1_700_000_000))?;
                assert!(marketing_opted_out(c, "31611111111")?);
                record_preference(c, "31611111111", "resume", at(1_700_000_200))?;
                assert!(!marketing_opted_out(c, "31611111111")?);
                assert!(!marketing_opted_out(c, "31622222222")?);
                Ok(())
            })
            .expect("store calls");
    }
}
