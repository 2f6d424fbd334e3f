//! What the knowledge base did for each agent reply, and the figures per article that editors
//! read on /kb.
//!
//! A reply is recorded with the resident message it answered (the one whose suggestions the
//! agent saw), the article it used, that article's rank among the message's stored
//! suggestions and where the agent took it from ([`Via`]). Whether the answer was sent as it
//! stands or edited, and the resident's "ja"/"nee" after a bot answer, are on `messages`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde::Serialize;

use super::{Result, now};
use crate::chat::Via;

/// What a reply answered and how its article was found; stored with the reply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Answered {
    /// The resident message the reply answered; `None` when the resident sent nothing yet.
    pub message_id: Option<i64>,
    /// The used article's rank (1 = first) among that message's stored suggestions.
    pub rank: Option<i64>,
    /// Where the article came from; `None` when no article was used.
    pub via: Option<Via>,
}

impl Answered {
    /// Whether the agent chose something the suggestions did not put first: an article at a
    /// lower rank, or one found through the knowledge-base search. Such a choice teaches the
    /// knowledge base a new way of asking for that article.
    pub fn teaches(&self) -> bool {
        self.via.is_some() && self.rank != Some(1)
    }
}

/// The rank (1 = first) of `article_id` among the suggestions stored for `message_id`.
pub fn rank_of(conn: &Connection, message_id: i64, article_id: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT rank FROM suggestions WHERE message_id = ?1 AND article_id = ?2")?
        .query_row(params![message_id, article_id], |r| r.get(0))
        .optional()?)
}

/// Records what reply `reply_id` answered and used, in the transaction that stores it.
pub(super) fn record(
    tx: &Transaction<'_>,
    reply_id: i64,
    conversation_id: i64,
    article_id: Option<&str>,
    answered: &Answered,
) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO reply_usage (reply_id, conversation_id, answered_id, article_id, rank, via, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        reply_id,
        conversation_id,
        answered.message_id,
        article_id,
        answered.rank,
        answered.via.map(Via::as_str),
        now()
    ])?;
    Ok(())
}

/// One reply as recorded: for reading back and for the gap report's "agents' replies".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedReply {
    pub reply_id: i64,
    pub answered_id: Option<i64>,
    pub article_id: Option<String>,
    pub rank: Option<i64>,
    pub via: Option<Via>,
    /// The reply's text: the agent's own answer when no article was used.
    pub text: String,
}

/// The agents' replies to resident message `message_id`, oldest first.
pub fn replies_to(conn: &Connection, message_id: i64) -> Result<Vec<RecordedReply>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.reply_id, u.answered_id, u.article_id, u.rank, u.via, m.text
         FROM reply_usage u JOIN messages m ON m.id = u.reply_id
         WHERE u.answered_id = ?1 ORDER BY u.reply_id",
    )?;
    let rows = stmt
        .query_map([message_id], |r| {
            let via: Option<String> = r.get(4)?;
            Ok(RecordedReply {
                reply_id: r.get(0)?,
                answered_id: r.get(1)?,
                article_id: r.get(2)?,
                rank: r.get(3)?,
                via: via.and_then(|v| v.parse().ok()),
                text: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What happened with one article over a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ArticleUsage {
    /// Times it was among the suggestions stored for a resident message.
    pub suggested: u32,
    /// Agents' replies that sent its answer as it stands.
    pub used_unchanged: u32,
    /// Agents' replies that started from it and changed the text.
    pub used_edited: u32,
    /// Resident messages that had it as the first suggestion and were answered by an agent
    /// without it.
    pub not_used: u32,
    /// The bot's answers with it.
    pub bot_answers: u32,
    /// Bot answers with it that the resident said "nee" to.
    pub bot_no: u32,
}

impl ArticleUsage {
    /// Agents' replies that used it, changed or not.
    pub fn used(&self) -> u32 {
        self.used_unchanged + self.used_edited
    }

    /// Everything that happened with it: what "sort by usage" sorts on.
    pub fn total(&self) -> u32 {
        self.suggested + self.used() + self.bot_answers
    }
}

/// Usage per article id since `since`; articles with no usage are absent.
pub fn per_article(conn: &Connection, since: DateTime<Utc>) -> Result<HashMap<String, ArticleUsage>> {
    let mut usage: HashMap<String, ArticleUsage> = HashMap::new();
    let mut count = |sql: &str, apply: fn(&mut ArticleUsage, u32, u32)| -> Result<()> {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([since])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            apply(usage.entry(id).or_default(), row.get(1)?, row.get(2)?);
        }
        Ok(())
    };
    count(
        "SELECT s.article_id, count(*), 0 FROM suggestions s JOIN messages m ON m.id = s.message_id
         WHERE m.created_at >= ?1 GROUP BY s.article_id",
        |u, n, _| u.suggested = n,
    )?;
    count(
        "SELECT article_id, count(*) FILTER (WHERE usage = 'unchanged'),
                count(*) FILTER (WHERE usage = 'edited')
         FROM messages WHERE author_kind = 'agent' AND direction = 'out'
         AND article_id IS NOT NULL AND created_at >= ?1 GROUP BY article_id",
        |u, unchanged, edited| {
            u.used_unchanged = unchanged;
            u.used_edited = edited;
        },
    )?;
    // Per answered message, not per reply: a message answered twice without the article
    // counts once, and a later reply that did use it means it was used.
    count(
        "SELECT s.article_id, count(DISTINCT r.answered_id), 0
         FROM reply_usage r JOIN suggestions s ON s.message_id = r.answered_id AND s.rank = 1
         WHERE r.at >= ?1 AND NOT EXISTS (SELECT 1 FROM reply_usage o
             WHERE o.answered_id = r.answered_id AND o.article_id = s.article_id)
         GROUP BY s.article_id",
        |u, n, _| u.not_used = n,
    )?;
    count(
        "SELECT article_id, count(*), count(*) FILTER (WHERE helpful = 0)
         FROM messages WHERE author_kind = 'bot' AND article_id IS NOT NULL
         AND created_at >= ?1 GROUP BY article_id",
        |u, answers, no| {
            u.bot_answers = answers;
            u.bot_no = no;
        },
    )?;
    Ok(usage)
}

#[cfg(test)]
#[path = "usage/tests.rs"]
mod tests;
