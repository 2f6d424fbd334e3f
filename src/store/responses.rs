//! The bot's response to a resident message, applied in the transaction that stores the
//! message (see [`super::inbound::record_inbound`]).

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::conversations::insert_message;
use super::now;
use crate::chat::{AuthorKind, Delivery, Direction};

/// One message the bot (or the system) sends.
pub struct BotMessage {
    /// `Bot` for answers and away texts, `System` for notices.
    pub author: AuthorKind,
    pub text: String,
    pub article_id: Option<String>,
    pub delivery: Delivery,
    /// Ask "Heeft dit u geholpen?" about this message: the resident's next "ja" or "nee"
    /// is recorded on it.
    pub awaits_feedback: bool,
    /// The article this message offers ("Bedoelt u …?").
    pub offered_article: Option<String>,
}

/// Everything the bot does about one resident message, stored with it.
#[derive(Default)]
pub struct BotResponse {
    pub messages: Vec<BotMessage>,
    /// The resident's answer to the feedback question: (the bot answer it is about, helpful).
    pub feedback: Option<(i64, bool)>,
    /// First in the agents' inbox.
    pub prioritise: bool,
    /// The away text or acknowledgement went out for this period.
    pub notice_key: Option<String>,
    /// The article the bot offered ("Bedoelt u …?") with this response. Any resident message
    /// answers or lapses the previous offer, so `None` clears it.
    pub offer: Option<String>,
    /// The resident said "ja" to the offer and got its article: the reply the offer left owed
    /// is settled, unless something was owed before the offer.
    pub settles_offer: bool,
    /// The resident's answer to the open offer: `true` for "ja", `false` for "nee", recorded
    /// on the message that made it.
    pub offer_answer: Option<bool>,
    /// The message needs a person, who replies by this deadline (the one the resident was
    /// given). `None`: the bot answered it, or it asks nothing ("bedankt").
    pub reply_by: Option<DateTime<Utc>>,
    /// Since when that reply is owed, when not since now: a message Meta delivered late is
    /// owed from the resident's own time.
    pub owed_since: Option<DateTime<Utc>>,
}

/// Applies the bot's response inside the transaction that stores the resident's message.
/// Returns the ids of the messages it added.
///
/// A reply owed from an earlier message stays owed, with its first deadline, whatever this
/// message brings: only an agent's reply (or closing) settles it.
pub(super) fn apply_bot_response(
    tx: &Transaction<'_>,
    conversation_id: i64,
    response: &BotResponse,
) -> rusqlite::Result<Vec<i64>> {
    if let Some((answer, helpful)) = response.feedback {
        tx.execute(
            "UPDATE messages SET helpful = ?2 WHERE id = ?1",
            params![answer, helpful],
        )?;
        tx.execute(
            "UPDATE conversations SET feedback_for = NULL, priority = ?2 WHERE id = ?1",
            params![conversation_id, !helpful],
        )?;
    }
    if response.prioritise {
        tx.execute(
            "UPDATE conversations SET priority = 1, feedback_for = NULL WHERE id = ?1",
            [conversation_id],
        )?;
    }
    if response.settles_offer {
        tx.execute(
            "UPDATE conversations SET owed_since = NULL, promised_by = NULL
             WHERE id = ?1 AND offer_owes = 1",
            [conversation_id],
        )?;
    }
    if let Some(accepted) = response.offer_answer {
        answer_offer(tx, conversation_id, accepted)?;
    }
    // Before this message's own debt is recorded below: whether anything was owed before.
    // A new offer replaces the feedback question the resident moved on from.
    tx.execute(
        "UPDATE conversations SET offered_article = ?2,
         offer_owes = ?2 IS NOT NULL AND owed_since IS NULL,
         feedback_for = CASE WHEN ?2 IS NULL THEN feedback_for END WHERE id = ?1",
        params![conversation_id, response.offer],
    )?;
    let mut ids = Vec::new();
    for bot in &response.messages {
        let id = insert_message(
            tx,
            conversation_id,
            Direction::Out,
            bot.author,
            None,
            &bot.text,
            bot.delivery,
        )?;
        if let Some(article) = &bot.article_id {
            tx.execute(
                "UPDATE messages SET article_id = ?2 WHERE id = ?1",
                params![id, article],
            )?;
        }
        if let Some(article) = &bot.offered_article {
            tx.execute(
                "UPDATE messages SET offered_article = ?2 WHERE id = ?1",
                params![id, article],
            )?;
        }
        if bot.awaits_feedback {
            tx.execute(
                "UPDATE conversations SET feedback_for = ?2 WHERE id = ?1",
                params![conversation_id, id],
            )?;
        }
        ids.push(id);
    }
    if let Some(key) = &response.notice_key {
        tx.execute(
            "UPDATE conversations SET notice_key = ?2 WHERE id = ?1",
            params![conversation_id, key],
        )?;
    }
    match response.reply_by {
        Some(deadline) => tx.execute(
            "UPDATE conversations SET status = 'open', owed_since = COALESCE(owed_since, ?2),
             promised_by = COALESCE(promised_by, ?3) WHERE id = ?1",
            params![
                conversation_id,
                response.owed_since.unwrap_or_else(now),
                deadline
            ],
        )?,
        // Nothing new is owed: the resident waits for nobody, unless an earlier message does.
        None => tx.execute(
            "UPDATE conversations SET
             status = CASE WHEN owed_since IS NULL THEN 'waiting' ELSE 'open' END,
             waiting_since = CASE WHEN owed_since IS NULL THEN NULL ELSE waiting_since END,
             updated_at = ?2 WHERE id = ?1",
            params![conversation_id, now()],
        )?,
    };
    Ok(ids)
}

/// Records the resident's "ja" (`accepted`) or "nee" on the conversation's last offer.
pub(super) fn answer_offer(
    conn: &rusqlite::Connection,
    conversation_id: i64,
    accepted: bool,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE messages SET offer_accepted = ?2 WHERE id = (SELECT max(id) FROM messages
         WHERE conversation_id = ?1 AND offered_article IS NOT NULL)",
    )?
    .execute(params![conversation_id, accepted])?;
    Ok(())
}
