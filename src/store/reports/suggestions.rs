//! Suggestions: how agents' replies used the knowledge base (from `reply_usage`, kept in
//! `report_replies`): the share that used a suggested article, sent unchanged or edited, the
//! rank used, and acceptance per article.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde::Serialize;

use super::{FILTER_SQL, Filter, share};
use crate::store::Result;

/// How many articles the top list holds.
pub const TOP_ARTICLES: usize = 20;

/// One agent reply in the period.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub conversation_id: i64,
    pub agent_id: Option<i64>,
    pub usage: Option<String>,
    pub article_id: Option<String>,
    pub rank: Option<i64>,
    pub via: Option<String>,
    pub top_article: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestions {
    /// Agent replies sent in the period.
    pub replies: u64,
    /// Replies that used an article from the suggestions beside the conversation.
    pub used: u64,
    /// Of those, sent as the article stands, and edited first.
    pub unchanged: u64,
    pub edited: u64,
    /// `used / replies`.
    pub share_used: Option<f64>,
    /// Replies that used an article found through the knowledge-base search instead.
    pub via_search: u64,
    /// The rank of the used suggestion (1 = first), with how many replies used that rank.
    pub by_rank: Vec<RankCount>,
    /// The most used articles (suggestion or search), most first; at most [`TOP_ARTICLES`].
    pub top_articles: Vec<ArticleUse>,
    /// Every article the suggestions put first for an answered message, with how often the
    /// reply then used it; most suggested first.
    pub acceptance: Vec<ArticleUse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankCount {
    pub rank: i64,
    pub replies: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleUse {
    pub article_id: String,
    /// Replies that used the article.
    pub used: u64,
    pub unchanged: u64,
    pub edited: u64,
    /// Replies to a message for which the suggestions put this article first ...
    pub suggested_first: u64,
    /// ... and of those, replies that used it.
    pub accepted: u64,
    /// `accepted / suggested_first`.
    pub acceptance: Option<f64>,
}

/// The agent replies sent in the period, on conversations the filter covers.
pub(crate) fn replies(conn: &Connection, filter: &Filter) -> Result<Vec<Reply>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.conversation_id, r.agent_id, r.usage, r.article_id, r.rank, r.via,
                r.top_article
           FROM report_replies r
           JOIN report_conversations f ON f.conversation_id = r.conversation_id
          WHERE r.at >= ?1 AND r.at < ?2 AND {FILTER_SQL}"
    ))?;
    let rows = stmt
        .query_map(filter.params(), |r| {
            Ok(Reply {
                conversation_id: r.get(0)?,
                agent_id: r.get(1)?,
                usage: r.get(2)?,
                article_id: r.get(3)?,
                rank: r.get(4)?,
                via: r.get(5)?,
                top_article: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(super) fn suggestions(replies: &[Reply]) -> Suggestions {
    let mut used = 0;
    let mut unchanged = 0;
    let mut edited = 0;
    let mut via_search = 0;
    let mut ranks: BTreeMap<i64, u64> = BTreeMap::new();
    let mut articles: HashMap<&str, ArticleUse> = HashMap::new();
    for reply in replies {
        let usage = reply.usage.as_deref();
        match reply.via.as_deref() {
            Some("suggestion") => {
                used += 1;
                unchanged += u64::from(usage == Some("unchanged"));
                edited += u64::from(usage == Some("edited"));
                if let Some(rank) = reply.rank {
                    *ranks.entry(rank).or_default() += 1;
                }
            }
            Some("search") => via_search += 1,
            _ => {}
        }
        if let Some(article) = reply.article_id.as_deref() {
            let a = article_entry(&mut articles, article);
            a.used += 1;
            a.unchanged += u64::from(usage == Some("unchanged"));
            a.edited += u64::from(usage == Some("edited"));
        }
        if let Some(top) = reply.top_article.as_deref() {
            let accepted = reply.article_id.as_deref() == Some(top);
            let a = article_entry(&mut articles, top);
            a.suggested_first += 1;
            a.accepted += u64::from(accepted);
        }
    }
    let mut all: Vec<ArticleUse> = articles
        .into_values()
        .map(|mut a| {
            a.acceptance = share(a.accepted, a.suggested_first);
            a
        })
        .collect();
    all.sort_by(|a, b| b.used.cmp(&a.used).then(a.article_id.cmp(&b.article_id)));
    let top_articles = all
        .iter()
        .filter(|a| a.used > 0)
        .take(TOP_ARTICLES)
        .cloned()
        .collect();
    let mut acceptance: Vec<ArticleUse> =
        all.into_iter().filter(|a| a.suggested_first > 0).collect();
    acceptance.sort_by(|a, b| {
        b.suggested_first
            .cmp(&a.suggested_first)
            .then(a.article_id.cmp(&b.article_id))
    });
    Suggestions {
        replies: replies.len() as u64,
        used,
        unchanged,
        edited,
        share_used: share(used, replies.len() as u64),
        via_search,
        by_rank: ranks
            .into_iter()
            .map(|(rank, replies)| RankCount { rank, replies })
            .collect(),
        top_articles,
        acceptance,
    }
}

fn article_entry<'a, 'b>(
    articles: &'b mut HashMap<&'a str, ArticleUse>,
    id: &'a str,
) -> &'b mut ArticleUse {
    articles.entry(id).or_insert_with(|| ArticleUse {
        article_id: id.to_string(),
        ..ArticleUse::default()
    })
}
