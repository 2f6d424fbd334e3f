//! Residents' reactions, edits and revokes of earlier messages. None of them adds a message or
//! touches the conversation (status, waiting, owed reply, the channel's window): each changes
//! only the message whose `channel_message_id` it names, and only in the resident's own
//! conversation. Times are the channel's (Meta's), so a late redelivery of an older update
//! cannot undo a newer one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Result, write};
use crate::chat::Direction;

/// A resident's change to the message with the channel id `target`.
#[derive(Debug, Clone)]
pub struct Update {
    pub channel: String,
    pub resident_ref: String,
    /// The channel id of the message it changes.
    pub target: String,
    /// The update's own channel id (its wamid): a redelivery is recognised by it.
    pub channel_message_id: String,
    /// When the resident made it, by the channel's clock.
    pub at: DateTime<Utc>,
}

/// What a resident did to the message.
#[derive(Debug, Clone)]
pub enum Change {
    /// Reacted with this emoji, or (`None`) took their reaction back.
    Reaction(Option<String>),
    /// Edited it: the new text as stored (personal data masked) and the kinds found.
    Edit { text: String, privacy: Vec<String> },
    /// Deleted it for everyone.
    Revoke,
}

/// What applying an update did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The message changed: dashboards showing `conversation_id` should refresh.
    Changed { conversation_id: i64 },
    /// Applied before (a redelivery), or older than what is stored.
    Unchanged,
    /// No message of this resident has that id, or it cannot change that way (a resident can
    /// react to our replies, but edit and revoke only their own messages).
    UnknownTarget,
}

/// A resident's current reaction to a message.
#[derive(Debug, Clone, Serialize)]
pub struct Reaction {
    #[serde(skip)]
    pub message_id: i64,
    pub emoji: String,
    pub reacted_at: DateTime<Utc>,
}

/// A text a message had before the resident edited it.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    #[serde(skip)]
    pub message_id: i64,
    /// As it was stored: personal data masked.
    pub text: String,
    pub privacy: Vec<String>,
    pub replaced_at: DateTime<Utc>,
    /// The wamid of the edit that replaced it.
    pub edit_id: String,
}

/// Reactions and earlier texts of a conversation's messages, by message id, oldest first.
#[derive(Debug, Default)]
pub struct Annotations {
    pub reactions: HashMap<i64, Vec<Reaction>>,
    pub revisions: HashMap<i64, Vec<Revision>>,
}

/// Applies `change` to the message `update` names, in one transaction.
pub fn apply(conn: &mut Connection, update: &Update, change: &Change) -> Result<Applied> {
    let tx = write(conn)?;
    let Some((message_id, conversation_id, direction)) = target(&tx, update)? else {
        return Ok(Applied::UnknownTarget);
    };
    let changed = match change {
        Change::Reaction(emoji) => react(&tx, message_id, update, emoji.as_deref())?,
        Change::Edit { .. } | Change::Revoke if direction != Direction::In => {
            return Ok(Applied::UnknownTarget);
        }
        Change::Edit { text, privacy } => edit(&tx, message_id, update, text, privacy)?,
        Change::Revoke => {
            tx.execute(
                "UPDATE messages SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![message_id, update.at],
            )? > 0
        }
    };
    tx.commit()?;
    Ok(if changed {
        Applied::Changed { conversation_id }
    } else {
        Applied::Unchanged
    })
}

/// The message `update.target` in the resident's own conversation on the channel.
fn target(tx: &Transaction<'_>, update: &Update) -> Result<Option<(i64, i64, Direction)>> {
    let found: Option<(i64, i64, String)> = tx
        .query_row(
            "SELECT m.id, m.conversation_id, m.direction FROM messages m
             JOIN conversations c ON c.id = m.conversation_id
             WHERE m.channel_message_id = ?1 AND c.channel = ?2 AND c.resident_ref = ?3",
            params![update.target, update.channel, update.resident_ref],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(found.and_then(|(id, conversation, direction)| {
        Some((id, conversation, direction.parse().ok()?))
    }))
}

/// Replaces the resident's reaction unless this one is a redelivery or older; returns whether
/// the emoji shown changed.
fn react(
    tx: &Transaction<'_>,
    message_id: i64,
    update: &Update,
    emoji: Option<&str>,
) -> Result<bool> {
    let current: Option<(Option<String>, String, DateTime<Utc>)> = tx
        .query_row(
            "SELECT emoji, channel_message_id, reacted_at FROM reactions
             WHERE message_id = ?1 AND resident_ref = ?2",
            params![message_id, update.resident_ref],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((_, seen, at)) = &current
        && (*seen == update.channel_message_id || *at > update.at)
    {
        return Ok(false);
    }
    // An un-reaction is kept as a row without emoji: see the migration.
    tx.execute(
        "INSERT INTO reactions (message_id, resident_ref, emoji, channel_message_id, reacted_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (message_id, resident_ref) DO UPDATE SET emoji = excluded.emoji,
             channel_message_id = excluded.channel_message_id, reacted_at = excluded.reacted_at",
        params![
            message_id,
            update.resident_ref,
            emoji,
            update.channel_message_id,
            update.at
        ],
    )?;
    let before = current.and_then(|(emoji, _, _)| emoji);
    Ok(before.as_deref() != emoji)
}

/// Keeps the message's current text as a revision and stores the new one. An edit older than
/// the last one applied (Meta does not promise order) is kept as a revision only.
fn edit(
    tx: &Transaction<'_>,
    message_id: i64,
    update: &Update,
    text: &str,
    privacy: &[String],
) -> Result<bool> {
    let seen = tx
        .query_row(
            "SELECT 1 FROM message_revisions WHERE channel_message_id = ?1",
            [&update.channel_message_id],
            |_| Ok(()),
        )
        .optional()?;
    if seen.is_some() {
        return Ok(false);
    }
    let (old_text, old_privacy, edited_at): (String, Option<String>, Option<DateTime<Utc>>) = tx
        .query_row(
            "SELECT text, privacy, edited_at FROM messages WHERE id = ?1",
            [message_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
    let privacy = Some(privacy.join(",")).filter(|p| !p.is_empty());
    let insert = |text: &str, privacy: Option<&str>, replaced_at: DateTime<Utc>| {
        tx.execute(
            "INSERT INTO message_revisions (message_id, text, privacy, replaced_at,
             channel_message_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                message_id,
                text,
                privacy,
                replaced_at,
                update.channel_message_id
            ],
        )
    };
    match edited_at {
        Some(last) if last > update.at => {
            insert(text, privacy.as_deref(), last)?;
        }
        _ => {
            insert(&old_text, old_privacy.as_deref(), update.at)?;
            tx.execute(
                "UPDATE messages SET text = ?2, privacy = ?3, edited_at = ?4 WHERE id = ?1",
                params![message_id, text, privacy, update.at],
            )?;
        }
    }
    Ok(true)
}

/// The current reactions and the earlier texts of every message in a conversation.
pub fn of_conversation(conn: &Connection, conversation_id: i64) -> Result<Annotations> {
    let reactions = by_message(
        conn,
        conversation_id,
        "SELECT r.message_id, r.emoji, r.reacted_at FROM reactions r
         JOIN messages m ON m.id = r.message_id
         WHERE m.conversation_id = ?1 AND r.emoji IS NOT NULL ORDER BY r.reacted_at",
        |r| {
            Ok(Reaction {
                message_id: r.get(0)?,
                emoji: r.get(1)?,
                reacted_at: r.get(2)?,
            })
        },
        |reaction| reaction.message_id,
    )?;
    let revisions = by_message(
        conn,
        conversation_id,
        "SELECT v.message_id, v.text, v.privacy, v.replaced_at, v.channel_message_id
         FROM message_revisions v JOIN messages m ON m.id = v.message_id
         WHERE m.conversation_id = ?1 ORDER BY v.replaced_at, v.id",
        |r| {
            Ok(Revision {
                message_id: r.get(0)?,
                text: r.get(1)?,
                privacy: r
                    .get::<_, Option<String>>(2)?
                    .map(|p| p.split(',').map(String::from).collect())
                    .unwrap_or_default(),
                replaced_at: r.get(3)?,
                edit_id: r.get(4)?,
            })
        },
        |revision| revision.message_id,
    )?;
    Ok(Annotations {
        reactions,
        revisions,
    })
}

/// The rows `sql` gives for a conversation, grouped by the message they belong to, in order.
fn by_message<T>(
    conn: &Connection,
    conversation_id: i64,
    sql: &str,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    message_id: impl Fn(&T) -> i64,
) -> Result<HashMap<i64, Vec<T>>> {
    let mut grouped: HashMap<i64, Vec<T>> = HashMap::new();
    for row in conn
        .prepare_cached(sql)?
        .query_map([conversation_id], read)?
    {
        let row = row?;
        grouped.entry(message_id(&row)).or_default().push(row);
    }
    Ok(grouped)
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::store::{Store, now};

    fn edit_of(wamid: &str, at: DateTime<Utc>) -> Update {
        Update {
            channel: "whatsapp".into(),
            resident_ref: "31612345678".into(),
            target: "wamid.vraag".into(),
            channel_message_id: wamid.into(),
            at,
        }
    }

    fn new_text(text: &str) -> Change {
        Change::Edit {
            text: text.into(),
            privacy: Vec::new(),
        }
    }

    #[test]
    fn an_edit_delivered_after_a_newer_one_is_kept_as_a_revision_only() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                c.execute_batch(
                    "INSERT INTO conversations (id, channel, resident_ref, status, created_at,
                     updated_at) VALUES (1, 'whatsapp', '31612345678', 'open', 'x', 'x');
                     INSERT INTO messages (id, conversation_id, direction, author_kind, text,
                     created_at, delivery, channel_message_id)
                     VALUES (1, 1, 'in', 'resident', 'eerste', 'x', 'received', 'wamid.vraag');",
                )?;
                let at = now();
                let newer = edit_of("wamid.e2", at);
                let older = edit_of("wamid.e1", at - TimeDelta::seconds(5));
                assert_eq!(
                    apply(c, &newer, &new_text("derde"))?,
                    Applied::Changed { conversation_id: 1 }
                );
                apply(c, &older, &new_text("tweede"))?;
                let text: String =
                    c.query_row("SELECT text FROM messages WHERE id = 1", [], |r| r.get(0))?;
                assert_eq!(text, "derde", "the newest edit stays");
                let revisions: Vec<String> = of_conversation(c, 1)?.revisions[&1]
                    .iter()
                    .map(|r| r.text.clone())
                    .collect();
                assert_eq!(revisions, ["eerste", "tweede"], "nothing written is lost");
                assert_eq!(apply(c, &older, &new_text("tweede"))?, Applied::Unchanged);
                Ok(())
            })
            .expect("edits");
    }
}
