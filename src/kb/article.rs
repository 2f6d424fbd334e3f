//! The article model: what an editor writes, after validation.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::Serialize;
use url::Url;

/// One canned answer with everything needed to find it and to send it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    /// The file stem: lowercase kebab-case, unique in the knowledge base.
    pub id: String,
    /// Where the article was read from, for error messages and editors' tools.
    pub path: PathBuf,
    pub title: String,
    /// How residents ask for this answer, in their own words. The strongest search signal.
    pub questions: Vec<String>,
    /// Questions residents ask about the subject that this article does not answer (a price
    /// it does not give, a case it does not cover). The bot does not send the article to a
    /// message that asks what one of these asks.
    pub not_answered: Vec<String>,
    /// Extra search words (old names, colloquial terms, English).
    pub keywords: Vec<String>,
    /// Topic labels; the first is the category (and the article's directory).
    pub tags: Vec<String>,
    /// The team that owns the subject.
    pub department: String,
    pub links: Vec<Link>,
    /// Whether the bot may send this answer without a person checking it.
    pub bot: bool,
    /// Seasonal answers (kerstbomen, verkiezingen) are only suggested inside these dates.
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub owner: Option<String>,
    pub reviewed: Option<NaiveDate>,
    /// The answer as a resident reads it: plain Markdown.
    pub body: String,
}

impl Article {
    /// The category is the first tag; validation guarantees there is one.
    pub fn category(&self) -> &str {
        self.tags.first().map(String::as_str).unwrap_or("")
    }

    /// The answer with site-relative Markdown links (`](/afval)`) made absolute, so they
    /// work wherever the answer is sent.
    pub fn answer(&self, site_url: &Url) -> String {
        let site = site_url.as_str().trim_end_matches('/');
        self.body.replace("](/", &format!("]({site}/"))
    }

    /// Whether the article may be suggested on `date` (validity dates are inclusive).
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date)
            && self.valid_until.is_none_or(|until| date <= until)
    }
}

/// A link shown under the answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub title: String,
    /// As written by the editor: either a path on the municipality's site (`/afval`) or an
    /// absolute `https://` URL of a national site.
    pub url: String,
}

impl Link {
    /// The URL a resident can open: site paths resolve against the configured `site_url`.
    pub fn resolve(&self, site_url: &Url) -> String {
        if self.url.starts_with('/') {
            site_url
                .join(&self.url)
                .map(String::from)
                .unwrap_or_else(|_| self.url.clone())
        } else {
            self.url.clone()
        }
    }
}

#[cfg(test)]
impl Article {
    /// An article in `overig` with only what search reads; for tests that build a knowledge
    /// base in memory.
    pub(crate) fn for_test(id: &str, title: &str, questions: &[&str], body: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("overig/{id}.md").into(),
            title: title.into(),
            questions: questions.iter().map(|q| q.to_string()).collect(),
            not_answered: vec![],
            keywords: vec![],
            tags: vec!["overig".into()],
            department: "KCC".into(),
            links: vec![],
            bot: true,
            valid_from: None,
            valid_until: None,
            owner: None,
            reviewed: None,
            body: body.into(),
        }
    }
}
