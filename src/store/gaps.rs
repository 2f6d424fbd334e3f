//! The resident messages the knowledge base did not answer: the input of the gap report
//! ("Hiaten", see [`crate::search::gaps`]), and the messages editors dismissed from it.
//!
//! A resident question is *unanswered* when
//! - no suggestion stored for it reached the bot's threshold, and no agent or bot reply to it
//!   used an article ([`Reason::NoAnswer`]); or
//! - the bot answered it and the resident said "nee" to that answer ([`Reason::NotHelpful`]);
//!   or no suggestion reached the threshold and no reply used an article, and the resident
//!   said "nee" to the article the bot offered ("Bedoelt u …?", [`Reason::OfferDeclined`]).
//!
//! The reply to a question is the agents' and the bot's messages after it, from the first one
//! up to the resident's next question. So a resident who asks in two messages before anyone
//! answers gets both answered by the one reply; a "ja" to the bot's offer ("Bedoelt u …?")
//! does not end the reply, so the article sent after it answers the question. Greetings,
//! thanks, "ja", "nee", requests for a person ([`crate::chat::intent`]), photos and files,
//! messages the resident deleted and messages dismissed with "Negeer" are never listed.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, now, write};
use crate::chat::intent::asks_something;

/// Why a message is in the gap report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// No confident suggestion, and no reply used an article.
    NoAnswer,
    /// The bot answered it and the resident said "nee".
    NotHelpful,
    /// No confident suggestion and no reply used an article, and the resident said "nee" to
    /// the article the bot offered.
    OfferDeclined,
}

/// One resident question the knowledge base did not answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Unanswered {
    pub message_id: i64,
    pub conversation_id: i64,
    /// The text as stored (personal data masked on arrival); never logged.
    pub text: String,
    pub at: DateTime<Utc>,
    pub reason: Reason,
    /// With [`Reason::NotHelpful`] and [`Reason::OfferDeclined`]: the article the bot
    /// answered with or offered, the one the resident said "nee" to.
    pub declined: Option<String>,
    /// The agents' replies to it, oldest first: what an article on the subject could say.
    pub replies: Vec<String>,
    /// The first article an agent's reply used, other than `declined`: where an agent found
    /// the answer after the resident said "nee" (a question no reply used an article for has
    /// none).
    pub replied_with: Option<String>,
}

/// One stored message as the report reads it.
struct Row {
    id: i64,
    conversation_id: i64,
    from_resident: bool,
    /// An agent's or the bot's message to the resident (not a system notice or a note).
    is_reply: bool,
    by_agent: bool,
    text: String,
    at: DateTime<Utc>,
    article_id: Option<String>,
    helpful: Option<bool>,
    /// The article a bot message offered, and the resident's answer ("ja" `true`).
    offered_article: Option<String>,
    offer_accepted: Option<bool>,
    /// Media, deleted by the resident, or dismissed: never listed, but still a boundary.
    hidden: bool,
    confidence: Option<f64>,
}

/// The resident questions since `since` that the knowledge base did not answer, oldest
/// first. `threshold` is the bot's (`bot.min_confidence`): a suggestion at or above it
/// counts as an answer.
pub fn unanswered(
    conn: &Connection,
    since: DateTime<Utc>,
    threshold: f32,
) -> Result<Vec<Unanswered>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.conversation_id, m.direction, m.author_kind, m.text, m.created_at,
                m.article_id, m.helpful,
                m.media_kind IS NOT NULL OR m.revoked_at IS NOT NULL
                    OR EXISTS (SELECT 1 FROM gap_dismissals d WHERE d.message_id = m.id),
                (SELECT MAX(s.confidence) FROM suggestions s WHERE s.message_id = m.id),
                m.offered_article, m.offer_accepted
         FROM messages m
         WHERE m.created_at >= ?1 AND m.direction != 'note' AND m.author_kind != 'system'
         ORDER BY m.conversation_id, m.id",
    )?;
    let rows: Vec<Row> = stmt
        .query_map([since], |r| {
            let direction: String = r.get(2)?;
            let author: String = r.get(3)?;
            Ok(Row {
                id: r.get(0)?,
                conversation_id: r.get(1)?,
                from_resident: direction == "in",
                is_reply: direction == "out" && (author == "agent" || author == "bot"),
                by_agent: author == "agent",
                text: r.get(4)?,
                at: r.get(5)?,
                article_id: r.get(6)?,
                helpful: r.get(7)?,
                hidden: r.get(8)?,
                confidence: r.get(9)?,
                offered_article: r.get(10)?,
                offer_accepted: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut found = Vec::new();
    for conversation in rows.chunk_by(|a, b| a.conversation_id == b.conversation_id) {
        for (i, row) in conversation.iter().enumerate() {
            if !row.from_resident || row.hidden || !asks_something(&row.text) {
                continue;
            }
            if let Some(gap) = judge(row, reply_to(&conversation[i + 1..]), threshold) {
                found.push(gap);
            }
        }
    }
    found.sort_by(|a, b| a.at.cmp(&b.at).then(a.message_id.cmp(&b.message_id)));
    Ok(found)
}

/// The reply to a question, given the messages after it: from the first agent or bot
/// message up to the resident's next question.
fn reply_to(after: &[Row]) -> &[Row] {
    let Some(start) = after.iter().position(|r| r.is_reply) else {
        return &[];
    };
    let rest = &after[start..];
    let end = (rest.iter())
        .position(|r| r.from_resident && !r.hidden && asks_something(&r.text))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `question`, with `reply`, is a gap, and why.
fn judge(question: &Row, reply: &[Row], threshold: f32) -> Option<Unanswered> {
    let replies = reply.iter().filter(|r| r.is_reply);
    let declined = replies
        .clone()
        .find(|r| !r.by_agent && r.helpful == Some(false));
    let confident = question.confidence.is_some_and(|c| c as f32 >= threshold);
    let used_article = replies.clone().any(|r| r.article_id.is_some());
    let declined_offer = (replies.clone())
        .find(|r| !r.by_agent && r.offered_article.is_some() && r.offer_accepted == Some(false));
    let (reason, declined) = match (declined, declined_offer) {
        (Some(answer), _) => (Reason::NotHelpful, answer.article_id.clone()),
        _ if confident || used_article => return None,
        (None, Some(offer)) => (Reason::OfferDeclined, offer.offered_article.clone()),
        (None, None) => (Reason::NoAnswer, None),
    };
    // Not the article the resident said "nee" to, should an agent send it again.
    let replied_with = (replies.clone().filter(|r| r.by_agent))
        .filter_map(|r| r.article_id.clone())
        .find(|id| declined.as_ref() != Some(id));
    Some(Unanswered {
        message_id: question.id,
        conversation_id: question.conversation_id,
        text: question.text.clone(),
        at: question.at,
        reason,
        declined,
        replied_with,
        replies: (replies.filter(|r| r.by_agent))
            .map(|r| r.text.clone())
            .collect(),
    })
}

/// The resident questions since `since` (greetings, thanks, media and deleted messages left
/// out), newest first, at most `limit`: (message id, text). What the gap report weighs its
/// terms against.
pub fn questions(
    conn: &Connection,
    since: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, text FROM messages
         WHERE created_at >= ?1 AND direction = 'in' AND media_kind IS NULL
           AND revoked_at IS NULL
         ORDER BY id DESC",
    )?;
    let mut rows = stmt.query([since])?;
    let mut found = Vec::new();
    while found.len() < limit
        && let Some(row) = rows.next()?
    {
        let text: String = row.get(1)?;
        if asks_something(&text) {
            found.push((row.get(0)?, text));
        }
    }
    Ok(found)
}

/// A resident message by id: (conversation id, stored text), or `None` when there is no
/// resident message with that id.
pub fn resident_message(conn: &Connection, id: i64) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT conversation_id, text FROM messages WHERE id = ?1 AND direction = 'in'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Leaves `message_ids` out of the gap report from now on ("Negeer"), recorded with who did
/// it. Ids of messages that are not resident messages, or already dismissed, are skipped.
/// Returns how many were newly dismissed.
pub fn dismiss(conn: &mut Connection, message_ids: &[i64], actor: &str) -> Result<usize> {
    let tx = write(conn)?;
    let mut count = 0;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO gap_dismissals (message_id, dismissed_by, dismissed_at)
             SELECT id, ?2, ?3 FROM messages WHERE id = ?1 AND direction = 'in'",
        )?;
        let at = now();
        for id in message_ids {
            count += insert.execute(params![id, actor, at])?;
        }
        tx.prepare_cached(
            "INSERT INTO audit_log (at, actor, action, detail) VALUES (?1, ?2, 'gaps.dismiss', ?3)",
        )?
        .execute(params![at, actor, format!("{count} messages")])?;
    }
    tx.commit()?;
    Ok(count)
}

#[cfg(test)]
mod tests;
