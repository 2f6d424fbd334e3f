//! Delivery statuses the channel reports for our messages (WhatsApp: sent, delivered, read,
//! failed). They only move forward, and one that arrives before we know the message's id waits.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::conversations::{Message, message};
use super::{Result, now, write};
use crate::chat::Delivery;

/// How long a status for an unknown message id waits for that id. Meta reports statuses for
/// messages another tool sent from the same number too; those ids never arrive here, and
/// without an end they would pile up.
pub const EARLY_STATUS_DAYS: i64 = 7;

/// A delivery status reported by the channel for one of our messages.
pub struct StatusUpdate {
    pub channel_message_id: String,
    pub delivery: Delivery,
    pub error: Option<String>,
}

/// Applies a channel's delivery status where [`Delivery::may_replace`] allows it. A status for a wamid we do not know yet
/// (it raced the send's response) is kept until the outbox records that wamid. Returns the
/// message when it changed.
pub fn apply_status(conn: &mut Connection, update: &StatusUpdate) -> Result<Option<Message>> {
    let tx = write(conn)?;
    let changed = apply_status_in(&tx, update)?;
    if changed.is_none() {
        let known = tx
            .query_row(
                "SELECT 1 FROM messages WHERE channel_message_id = ?1",
                [&update.channel_message_id],
                |_| Ok(()),
            )
            .optional()?;
        if known.is_none() {
            tx.execute(
                "INSERT INTO early_statuses (channel_message_id, delivery, error, received_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    update.channel_message_id,
                    update.delivery.as_str(),
                    update.error,
                    now()
                ],
            )?;
            tx.execute(
                "DELETE FROM early_statuses WHERE received_at < ?1",
                [now() - chrono::TimeDelta::days(EARLY_STATUS_DAYS)],
            )?;
        }
    }
    tx.commit()?;
    match changed {
        Some(id) => message(conn, id),
        None => Ok(None),
    }
}

/// Applies statuses that arrived before their wamid was known; called when it is recorded.
pub(super) fn apply_early_statuses(tx: &Transaction<'_>, channel_message_id: &str) -> Result<()> {
    let early: Vec<(String, Option<String>)> = tx
        .prepare_cached(
            "SELECT delivery, error FROM early_statuses WHERE channel_message_id = ?1
             ORDER BY rowid",
        )?
        .query_map([channel_message_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (delivery, error) in early {
        let Ok(delivery) = delivery.parse::<Delivery>() else {
            continue;
        };
        apply_status_in(
            tx,
            &StatusUpdate {
                channel_message_id: channel_message_id.to_string(),
                delivery,
                error,
            },
        )?;
    }
    tx.execute(
        "DELETE FROM early_statuses WHERE channel_message_id = ?1",
        [channel_message_id],
    )?;
    Ok(())
}

/// The forward-only rule; returns the id of the message it changed.
fn apply_status_in(tx: &Transaction<'_>, update: &StatusUpdate) -> Result<Option<i64>> {
    let current: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, delivery FROM messages WHERE channel_message_id = ?1 AND direction = 'out'",
            [&update.channel_message_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, current)) = current else {
        return Ok(None);
    };
    let moves_forward = current
        .parse::<Delivery>()
        .is_ok_and(|current| update.delivery.may_replace(current));
    if !moves_forward {
        return Ok(None);
    }
    tx.execute(
        "UPDATE messages SET delivery = ?2, delivery_error = COALESCE(?3, delivery_error)
         WHERE id = ?1",
        params![id, update.delivery.as_str(), update.error],
    )?;
    Ok(Some(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn early(conn: &Connection) -> Vec<String> {
        conn.prepare("SELECT channel_message_id FROM early_statuses ORDER BY rowid")
            .expect("query")
            .query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("ids")
    }

    #[test]
    fn statuses_for_unknown_ids_expire_after_a_week() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|conn| {
                for (id, days) in [("wamid.old", EARLY_STATUS_DAYS + 1), ("wamid.recent", 6)] {
                    conn.execute(
                        "INSERT INTO early_statuses (channel_message_id, delivery, received_at)
                         VALUES (?1, 'delivered', ?2)",
                        params![id, now() - chrono::TimeDelta::days(days)],
                    )?;
                }
                let update = StatusUpdate {
                    channel_message_id: "wamid.new".into(),
                    delivery: Delivery::Sent,
                    error: None,
                };
                assert!(apply_status(conn, &update)?.is_none());
                assert_eq!(early(conn), ["wamid.recent", "wamid.new"]);
                Ok(())
            })
            .expect("statuses");
    }
}
