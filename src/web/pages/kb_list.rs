//! The editors' list on /kb: every article with its status and 30-day usage, filtered and
//! sorted by GET parameters, and "Controle nodig": what needs an editor's look, with why.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Months, NaiveDate, TimeDelta};
use serde::Deserialize;

use crate::config::Config;
use crate::kb::Article;
use crate::store::usage::ArticleUsage;

/// How far ahead an article's end date (`valid_until`) puts it on "Controle nodig".
pub const EXPIRES_WITHIN_DAYS: i64 = 30;

/// "Many" answers the resident said "nee" to: at least this many ...
pub const MANY_NO_AT_LEAST: u32 = 3;
/// ... and at least this share (1/3) of the article's bot answers.
pub const MANY_NO_SHARE: (u32, u32) = (1, 3);

/// The filters and the order, as the GET form sends them; empty means "all".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub owner: String,
    /// `published`, `draft` or `changed` (see [`Status`]).
    #[serde(default)]
    pub status: String,
    /// A usage column key (see [`USAGE_COLUMNS`]), sorted most first; the title otherwise.
    #[serde(default)]
    pub sort: String,
}

/// Where an article stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In the knowledge base and suggested.
    Published,
    /// A new article saved as a concept: not suggested yet.
    Draft,
    /// Published, with a newer concept waiting.
    Changed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Published, Status::Draft, Status::Changed];

    pub fn key(self) -> &'static str {
        match self {
            Status::Published => "published",
            Status::Draft => "draft",
            Status::Changed => "changed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Published => "gepubliceerd",
            Status::Draft => "concept",
            Status::Changed => "wijziging in concept",
        }
    }
}

/// A usage column: query key, header, value.
pub type UsageColumn = (&'static str, &'static str, fn(&ArticleUsage) -> u32);

/// The usage columns, in table order.
pub const USAGE_COLUMNS: [UsageColumn; 6] = [
    ("suggested", "Voorgesteld", |u| u.suggested),
    ("unchanged", "Ongewijzigd gebruikt", |u| u.used_unchanged),
    ("edited", "Aangepast gebruikt", |u| u.used_edited),
    ("not_used", "Niet gebruikt", |u| u.not_used),
    ("bot", "Botantwoorden", |u| u.bot_answers),
    ("bot_no", "“Nee” na bot", |u| u.bot_no),
];

pub struct Row {
    pub id: String,
    pub title: String,
    pub category: String,
    pub department: String,
    pub owner: String,
    pub reviewed: String,
    pub status: Status,
    pub bot: bool,
    /// The usage columns' values, in [`USAGE_COLUMNS`] order.
    pub usage: Vec<u32>,
}

/// An article on "Controle nodig", with every reason it is there.
pub struct ReviewItem {
    pub id: String,
    pub title: String,
    pub reasons: Vec<String>,
}

pub struct Listing {
    pub rows: Vec<Row>,
    pub review: Vec<ReviewItem>,
    pub categories: Vec<String>,
    pub departments: Vec<String>,
    pub owners: Vec<String>,
    pub query: ListQuery,
    /// Proposals waiting in the review queue.
    pub proposals: usize,
}

/// Everything the list is made of.
pub struct Sources<'a> {
    pub articles: &'a [Article],
    pub usage: &'a HashMap<String, ArticleUsage>,
    /// Ids whose newest revision is a concept.
    pub drafts: &'a HashSet<String>,
    pub config: &'a Config,
    pub today: NaiveDate,
    pub proposals: usize,
}

pub fn listing(sources: &Sources<'_>, query: ListQuery) -> Listing {
    let published: HashSet<&str> = sources.articles.iter().map(|a| a.id.as_str()).collect();
    let mut rows: Vec<Row> = sources
        .articles
        .iter()
        .map(|a| Row {
            id: a.id.clone(),
            title: a.title.clone(),
            category: a.category().to_string(),
            department: a.department.clone(),
            owner: a.owner.clone().unwrap_or_default(),
            reviewed: a.reviewed.map(|d| d.to_string()).unwrap_or_default(),
            status: if sources.drafts.contains(&a.id) {
                Status::Changed
            } else {
                Status::Published
            },
            bot: a.bot,
            usage: usage_values(sources.usage.get(&a.id)),
        })
        .collect();
    // New concepts have no file yet: only their id is known here.
    let mut concepts: Vec<&String> = sources
        .drafts
        .iter()
        .filter(|id| !published.contains(id.as_str()))
        .collect();
    concepts.sort();
    rows.extend(concepts.into_iter().map(|id| Row {
        id: id.clone(),
        title: id.clone(),
        category: String::new(),
        department: String::new(),
        owner: String::new(),
        reviewed: String::new(),
        status: Status::Draft,
        bot: false,
        usage: usage_values(None),
    }));
    let categories = distinct(rows.iter().map(|r| r.category.as_str()));
    let owners = distinct(rows.iter().map(|r| r.owner.as_str()));
    let departments = distinct(rows.iter().map(|r| r.department.as_str()));
    rows.retain(|r| {
        (query.category.is_empty() || r.category == query.category)
            && (query.department.is_empty() || r.department == query.department)
            && (query.owner.is_empty() || r.owner == query.owner)
            && (query.status.is_empty() || r.status.key() == query.status)
    });
    match USAGE_COLUMNS
        .iter()
        .position(|(key, _, _)| *key == query.sort)
    {
        Some(column) => rows.sort_by(|a, b| {
            b.usage[column]
                .cmp(&a.usage[column])
                .then_with(|| a.title.cmp(&b.title))
        }),
        None => rows.sort_by_key(|row| row.title.to_lowercase()),
    }
    let review = sources
        .articles
        .iter()
        .filter_map(|a| {
            let reasons = review_reasons(
                a,
                sources.usage.get(&a.id),
                sources.today,
                sources.config.kb.review_months,
            );
            (!reasons.is_empty()).then(|| ReviewItem {
                id: a.id.clone(),
                title: a.title.clone(),
                reasons,
            })
        })
        .collect();
    Listing {
        rows,
        review,
        categories,
        departments,
        owners,
        query,
        proposals: sources.proposals,
    }
}

fn usage_values(usage: Option<&ArticleUsage>) -> Vec<u32> {
    let usage = usage.copied().unwrap_or_default();
    USAGE_COLUMNS
        .iter()
        .map(|(_, _, value)| value(&usage))
        .collect()
}

fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values
        .filter(|v| !v.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(String::from)
        .collect()
}

/// Whether the resident said "nee" to many of the article's bot answers.
pub fn many_no(usage: &ArticleUsage) -> bool {
    let (part, whole) = MANY_NO_SHARE;
    usage.bot_no >= MANY_NO_AT_LEAST && usage.bot_no * whole >= usage.bot_answers * part
}

/// Why an article needs an editor's look, in Dutch; empty when it does not.
pub fn review_reasons(
    article: &Article,
    usage: Option<&ArticleUsage>,
    today: NaiveDate,
    review_months: u32,
) -> Vec<String> {
    let mut reasons = Vec::new();
    let due = today.checked_sub_months(Months::new(review_months));
    match article.reviewed {
        None => reasons.push("nooit gecontroleerd".to_string()),
        Some(reviewed) if due.is_some_and(|due| reviewed < due) => reasons.push(format!(
            "gecontroleerd op {reviewed}, langer dan {review_months} maanden geleden"
        )),
        Some(_) => {}
    }
    if article.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
        reasons.push("geen eigenaar".to_string());
    }
    if let Some(until) = article.valid_until {
        if until < today {
            reasons.push(format!("verlopen op {until}: wordt niet meer voorgesteld"));
        } else if until <= today + TimeDelta::days(EXPIRES_WITHIN_DAYS) {
            reasons.push(format!("geldig tot {until}"));
        }
    }
    if let Some(usage) = usage.filter(|u| many_no(u)) {
        reasons.push(format!(
            "{} van de {} botantwoorden kregen “nee” (30 dagen)",
            usage.bot_no, usage.bot_answers
        ));
    }
    reasons
}

#[cfg(test)]
#[path = "kb_list_tests.rs"]
mod tests;
