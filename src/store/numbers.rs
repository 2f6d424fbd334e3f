//! System messages about a resident, recorded as notes for agents in the resident's
//! conversation: a new WhatsApp number (the conversation moves to it) or a new security code.
//! Neither is a resident message: no welcome, no bot, nothing owed.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::conversations::{Message, insert_message, message, missing};
use super::{Result, now, write};
use crate::chat::{AuthorKind, Delivery, Direction};

/// The note for a number change when the conversation moved to the new number.
pub const NUMBER_MOVED: &str = "De inwoner gebruikt nu een ander WhatsApp-nummer. Nieuwe berichten en uw antwoorden gaan via het nieuwe nummer.";
/// The note when the new number already had a conversation of its own.
pub const NUMBER_HAS_CONVERSATION: &str = "De inwoner gebruikt nu een ander WhatsApp-nummer. Dat nummer heeft al een eigen gesprek; nieuwe berichten komen daar binnen. Antwoorden in dit gesprek gaan nog naar het oude nummer.";
/// The note for a changed security code.
pub const IDENTITY_CHANGED: &str = "De beveiligingscode van de inwoner is gewijzigd (nieuwe telefoon of WhatsApp opnieuw geïnstalleerd). Controleer bij twijfel of u nog met dezelfde persoon spreekt.";

/// A system message about the resident at `resident_ref`.
pub struct SystemNote {
    pub channel: String,
    pub resident_ref: String,
    /// The channel's id of the system message: a second delivery is ignored.
    pub channel_message_id: String,
    /// WhatsApp's time of the event.
    pub at: DateTime<Utc>,
    /// For a number change: the new number.
    pub new_ref: Option<String>,
    /// The note for anything other than a number change.
    pub text: String,
}

/// What [`record_system_note`] did.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "returned once and matched at once"
)]
pub enum Noted {
    /// The note is stored; for a number change, `moved` says whether the conversation now
    /// belongs to the new number (false: that number had a conversation already).
    New { note: Message, moved: bool },
    /// Delivered before.
    Duplicate,
    /// No conversation with this resident: nothing to note.
    NoConversation,
}

/// Notes a system message in the resident's conversation and, for a number change, moves the
/// conversation to the new number (keeping the old one in `resident_ref_links`). When the new
/// number already has its own conversation, both stay as they are and the note says so: the
/// two are different threads and merging them would reorder an archive.
pub fn record_system_note(conn: &mut Connection, note: &SystemNote) -> Result<Noted> {
    let tx = write(conn)?;
    if seen(&tx, &note.channel_message_id)? {
        return Ok(Noted::Duplicate);
    }
    let Some(conversation_id) = conversation_of(&tx, &note.channel, &note.resident_ref)? else {
        return Ok(Noted::NoConversation);
    };
    let mut moved = false;
    let text = match note.new_ref.as_deref() {
        Some(new_ref) => {
            if conversation_of(&tx, &note.channel, new_ref)?.is_none() {
                tx.execute(
                    "UPDATE conversations SET resident_ref = ?2 WHERE id = ?1",
                    params![conversation_id, new_ref],
                )?;
                moved = true;
            }
            tx.execute(
                "INSERT INTO resident_ref_links
                 (conversation_id, channel, old_ref, new_ref, changed_at, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    conversation_id,
                    note.channel,
                    note.resident_ref,
                    new_ref,
                    note.at,
                    now()
                ],
            )?;
            if moved {
                NUMBER_MOVED
            } else {
                NUMBER_HAS_CONVERSATION
            }
        }
        None => note.text.as_str(),
    };
    let id = insert_message(
        &tx,
        conversation_id,
        Direction::Note,
        AuthorKind::System,
        None,
        text,
        Delivery::Received,
    )?;
    tx.execute(
        "UPDATE messages SET channel_message_id = ?2 WHERE id = ?1",
        params![id, note.channel_message_id],
    )?;
    tx.execute(
        "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
        params![conversation_id, now()],
    )?;
    tx.commit()?;
    let note = message(conn, id)?.ok_or(missing())?;
    Ok(Noted::New { note, moved })
}

/// The numbers this conversation's resident changed away from, oldest first (also when the
/// conversation stayed with the old number because the new one had its own).
pub fn earlier_refs(conn: &Connection, conversation_id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT old_ref FROM resident_ref_links WHERE conversation_id = ?1 ORDER BY id",
    )?;
    let refs = stmt
        .query_map([conversation_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(refs)
}

pub(super) fn seen(tx: &Transaction<'_>, channel_message_id: &str) -> Result<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM messages WHERE channel_message_id = ?1",
            [channel_message_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub(super) fn conversation_of(
    tx: &Transaction<'_>,
    channel: &str,
    resident_ref: &str,
) -> Result<Option<i64>> {
    Ok(tx
        .query_row(
            "SELECT id FROM conversations WHERE channel = ?1 AND resident_ref = ?2",
            params![channel, resident_ref],
            |r| r.get(0),
        )
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn open(conn: &mut Connection, resident_ref: &str) -> Result<i64> {
        conn.execute(
            "INSERT INTO conversations (channel, resident_ref, status, created_at, updated_at)
             VALUES ('whatsapp', ?1, 'open', ?2, ?2)",
            params![resident_ref, now()],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn change(wamid: &str, from: &str, to: &str) -> SystemNote {
        SystemNote {
            channel: "whatsapp".into(),
            resident_ref: from.into(),
            channel_message_id: wamid.into(),
            at: now(),
            new_ref: Some(to.into()),
            text: String::new(),
        }
    }

    #[test]
    fn a_new_number_with_its_own_conversation_keeps_both_and_says_so() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                let old = open(c, "31611111111")?;
                let new = open(c, "31622222222")?;
                let noted =
                    record_system_note(c, &change("wamid.s1", "31611111111", "31622222222"))?;
                let Noted::New { note, moved } = noted else {
                    panic!("expected a note, got {noted:?}");
                };
                assert!(!moved);
                assert_eq!(
                    (note.conversation_id, note.text.as_str()),
                    (old, NUMBER_HAS_CONVERSATION)
                );
                let refs: Vec<String> = c
                    .prepare("SELECT resident_ref FROM conversations ORDER BY id")?
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                assert_eq!(
                    refs,
                    ["31611111111", "31622222222"],
                    "neither conversation moved"
                );
                assert_eq!(earlier_refs(c, old)?, ["31611111111"], "the link is kept");
                assert!(earlier_refs(c, new)?.is_empty());
                let again =
                    record_system_note(c, &change("wamid.s1", "31611111111", "31622222222"))?;
                assert!(matches!(again, Noted::Duplicate));
                let unknown =
                    record_system_note(c, &change("wamid.s2", "31699999999", "31688888888"))?;
                assert!(matches!(unknown, Noted::NoConversation));
                Ok(())
            })
            .expect("store calls");
    }
}
