//! An article as the dashboard's editor form holds it: every field as the strings an editor
//! types, turned into the article file's text (`+++` TOML front matter `+++` body, laid out
//! like the files in `kb/`) and read back from a file's text.
//!
//! The form never validates: [`parse_article`](super::parse_article) does, with the rules of
//! `kb check`, on the text [`ArticleForm::to_source`] makes. [`ArticleForm::field_of`] then
//! tells which form field a problem's line belongs to, so the editor can show it there.

use std::ops::Range;
use std::str::FromStr;

use serde::Deserialize;
use toml::value::{Datetime, Value};

use super::parse::split_front_matter;
use super::{Article, Problem};

/// One link as the form holds it; either half may be empty while an editor types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct LinkForm {
    pub title: String,
    pub url: String,
}

/// Every field of [`Article`] except its id (the file name), as form strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleForm {
    pub title: String,
    pub questions: Vec<String>,
    pub not_answered: Vec<String>,
    pub keywords: Vec<String>,
    /// The first tag is the category, and so the article's directory.
    pub tags: Vec<String>,
    pub department: String,
    pub links: Vec<LinkForm>,
    pub bot: bool,
    /// Dates as `<input type=date>` sends them (`2026-12-01`), or empty.
    pub valid_from: String,
    pub valid_until: String,
    pub owner: String,
    pub reviewed: String,
    pub body: String,
}

impl Default for ArticleForm {
    /// An empty form; the bot may send an article unless an editor says otherwise, as in a file.
    fn default() -> Self {
        ArticleForm {
            title: String::new(),
            questions: Vec::new(),
            not_answered: Vec::new(),
            keywords: Vec::new(),
            tags: Vec::new(),
            department: String::new(),
            links: Vec::new(),
            bot: true,
            valid_from: String::new(),
            valid_until: String::new(),
            owner: String::new(),
            reviewed: String::new(),
            body: String::new(),
        }
    }
}

/// A form field, named as in the front matter and in the posted form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Questions,
    NotAnswered,
    Keywords,
    Tags,
    Department,
    Links,
    Bot,
    ValidFrom,
    ValidUntil,
    Owner,
    Reviewed,
    Body,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::Title,
        Field::Questions,
        Field::NotAnswered,
        Field::Keywords,
        Field::Tags,
        Field::Department,
        Field::Links,
        Field::Bot,
        Field::ValidFrom,
        Field::ValidUntil,
        Field::Owner,
        Field::Reviewed,
        Field::Body,
    ];

    /// The front-matter key and the form field's name (`body` is the text after `+++`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Questions => "questions",
            Field::NotAnswered => "not_answered",
            Field::Keywords => "keywords",
            Field::Tags => "tags",
            Field::Department => "department",
            Field::Links => "links",
            Field::Bot => "bot",
            Field::ValidFrom => "valid_from",
            Field::ValidUntil => "valid_until",
            Field::Owner => "owner",
            Field::Reviewed => "reviewed",
            Field::Body => "body",
        }
    }
}

/// Why a file's text could not be read into the form.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormError {
    #[error(
        "missing front matter: the file must start with a line `+++`, then TOML, then a closing `+++` line"
    )]
    NoFrontMatter,
    #[error("the front matter cannot be read: {0}")]
    Toml(String),
}

/// The front matter as leniently as serde reads it: anything the form can show.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Front {
    title: String,
    questions: Vec<String>,
    not_answered: Vec<String>,
    keywords: Vec<String>,
    tags: Vec<String>,
    department: String,
    links: Vec<LinkForm>,
    bot: Option<bool>,
    valid_from: Option<Datetime>,
    valid_until: Option<Datetime>,
    owner: Option<String>,
    reviewed: Option<Datetime>,
}

/// Names of the posted form's link halves, paired by position.
pub const LINK_TITLE: &str = "link_title";
pub const LINK_URL: &str = "link_url";

impl ArticleForm {
    /// The form for a validated article.
    pub fn from_article(article: &Article) -> ArticleForm {
        let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        ArticleForm {
            title: article.title.clone(),
            questions: article.questions.clone(),
            not_answered: article.not_answered.clone(),
            keywords: article.keywords.clone(),
            tags: article.tags.clone(),
            department: article.department.clone(),
            links: (article.links.iter())
                .map(|l| LinkForm {
                    title: l.title.clone(),
                    url: l.url.clone(),
                })
                .collect(),
            bot: article.bot,
            valid_from: date(article.valid_from),
            valid_until: date(article.valid_until),
            owner: article.owner.clone().unwrap_or_default(),
            reviewed: date(article.reviewed),
            body: article.body.clone(),
        }
    }

    /// The form for an article file's text. Lenient: a file `kb check` would refuse still
    /// opens, as long as its front matter is TOML with the right kinds of values.
    pub fn from_source(text: &str) -> Result<ArticleForm, FormError> {
        let (front, body, _) = split_front_matter(text).ok_or(FormError::NoFrontMatter)?;
        let front: Front =
            toml::from_str(front).map_err(|err| FormError::Toml(err.message().to_string()))?;
        let date = |d: Option<Datetime>| d.map(|d| d.to_string()).unwrap_or_default();
        Ok(ArticleForm {
            title: front.title,
            questions: front.questions,
            not_answered: front.not_answered,
            keywords: front.keywords,
            tags: front.tags,
            department: front.department,
            links: front.links,
            bot: front.bot.unwrap_or(true),
            valid_from: date(front.valid_from),
            valid_until: date(front.valid_until),
            owner: front.owner.unwrap_or_default(),
            reviewed: date(front.reviewed),
            body: body.trim().to_string(),
        })
    }

    /// The form as posted: `questions`, `not_answered`, `keywords` and `tags` repeat once per item,
    /// [`LINK_TITLE`] and [`LINK_URL`] once per link (paired by position), `bot` is a
    /// checkbox. Empty list items (the rows for adding one) are dropped; other keys ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> ArticleForm {
        let mut form = ArticleForm {
            bot: false,
            ..ArticleForm::default()
        };
        let (mut link_titles, mut link_urls) = (Vec::new(), Vec::new());
        for (key, value) in pairs {
            // Browsers send a textarea's line breaks as CRLF.
            let value = value.replace("\r\n", "\n").trim().to_string();
            let single = match key.as_str() {
                "title" => Some(&mut form.title),
                "department" => Some(&mut form.department),
                "valid_from" => Some(&mut form.valid_from),
                "valid_until" => Some(&mut form.valid_until),
                "owner" => Some(&mut form.owner),
                "reviewed" => Some(&mut form.reviewed),
                "body" => Some(&mut form.body),
                _ => None,
            };
            if let Some(field) = single {
                *field = value;
                continue;
            }
            match key.as_str() {
                "questions" if !value.is_empty() => form.questions.push(value),
                "not_answered" if !value.is_empty() => form.not_answered.push(value),
                "keywords" if !value.is_empty() => form.keywords.push(value),
                "tags" if !value.is_empty() => form.tags.push(value),
                "bot" => form.bot = true,
                LINK_TITLE => link_titles.push(value),
                LINK_URL => link_urls.push(value),
                _ => {}
            }
        }
        let rows = link_titles.len().max(link_urls.len());
        form.links = (0..rows)
            .map(|i| LinkForm {
                title: link_titles.get(i).cloned().unwrap_or_default(),
                url: link_urls.get(i).cloned().unwrap_or_default(),
            })
            .filter(|link| !link.title.is_empty() || !link.url.is_empty())
            .collect();
        form
    }

    /// The article file's text.
    pub fn to_source(&self) -> String {
        self.write().0
    }

    /// The form field a problem with the text of [`to_source`](Self::to_source) belongs to:
    /// by its line, or for a missing field by the field it names. `None`: the whole article.
    pub fn field_of(&self, problem: &Problem) -> Option<Field> {
        let (_, lines) = self.write();
        if let Some((field, _)) = lines
            .iter()
            .find(|(_, range)| range.contains(&problem.line))
        {
            return Some(*field);
        }
        Field::ALL.into_iter().find(|f| {
            problem
                .message
                .contains(&format!("missing required field `{}`", f.name()))
        })
    }

    /// The text, and the lines each field occupies in it.
    fn write(&self) -> (String, Vec<(Field, Range<usize>)>) {
        let mut out = Writer::default();
        out.line("+++");
        out.string(Field::Title, &self.title);
        out.list(Field::Questions, self.questions.iter().map(|q| quoted(q)));
        if !self.not_answered.is_empty() {
            out.list(
                Field::NotAnswered,
                self.not_answered.iter().map(|q| quoted(q)),
            );
        }
        if !self.keywords.is_empty() {
            out.inline(Field::Keywords, self.keywords.iter().map(|k| quoted(k)));
        }
        out.inline(Field::Tags, self.tags.iter().map(|t| quoted(t)));
        out.string(Field::Department, &self.department);
        if !self.links.is_empty() {
            let links = self.links.iter().map(|link| {
                format!(
                    "{{ title = {}, url = {} }}",
                    quoted(&link.title),
                    quoted(&link.url)
                )
            });
            out.list(Field::Links, links);
        }
        if !self.bot {
            out.field(Field::Bot, "false".to_string());
        }
        for (field, value) in [
            (Field::ValidFrom, &self.valid_from),
            (Field::ValidUntil, &self.valid_until),
        ] {
            if !value.trim().is_empty() {
                out.field(field, date(value));
            }
        }
        if !self.owner.trim().is_empty() {
            out.string(Field::Owner, &self.owner);
        }
        if !self.reviewed.trim().is_empty() {
            out.field(Field::Reviewed, date(&self.reviewed));
        }
        out.line("+++");
        let start = out.next_line();
        let body = self.body.trim();
        out.text.push_str(body);
        out.text.push('\n');
        out.lines
            .push((Field::Body, start..start + 1 + body.matches('\n').count()));
        (out.text, out.lines)
    }
}

/// A TOML basic string, escaped by the `toml` crate.
fn quoted(s: &str) -> String {
    Value::String(s.trim().to_string()).to_string()
}

/// A date as a bare TOML date; anything else quoted, so `kb check` names the field's problem
/// ("must be a date without quotes") rather than a TOML syntax error.
fn date(value: &str) -> String {
    match Datetime::from_str(value.trim()) {
        Ok(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
        _ => quoted(value),
    }
}

/// Builds the text line by line, remembering which lines hold which field.
#[derive(Default)]
struct Writer {
    text: String,
    lines: Vec<(Field, Range<usize>)>,
}

impl Writer {
    /// The 1-based number of the line the next write starts.
    fn next_line(&self) -> usize {
        self.text.matches('\n').count() + 1
    }

    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn field(&mut self, field: Field, value: String) {
        let start = self.next_line();
        self.line(&format!("{} = {value}", field.name()));
        self.lines.push((field, start..start + 1));
    }

    fn string(&mut self, field: Field, value: &str) {
        self.field(field, quoted(value));
    }

    /// A short array on one line, as the files in `kb/` have keywords and tags.
    fn inline(&mut self, field: Field, items: impl Iterator<Item = String>) {
        let items: Vec<String> = items.collect();
        self.field(field, format!("[{}]", items.join(", ")));
    }

    /// An array with one item per line, as the files in `kb/` have questions and links.
    fn list(&mut self, field: Field, items: impl Iterator<Item = String>) {
        let start = self.next_line();
        self.line(&format!("{} = [", field.name()));
        for item in items {
            self.line(&format!("  {item},"));
        }
        self.line("]");
        self.lines.push((field, start..self.next_line()));
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::kb::{load, parse_article};

    fn sample() -> ArticleForm {
        ArticleForm {
            title: "Kerstbomen \"inzamelen\"".into(),
            questions: vec![
                "wanneer wordt de kerstboom opgehaald".into(),
                "waar kan ik mijn kerstboom kwijt".into(),
                "kerstbomen inleveren".into(),
            ],
            not_answered: vec!["hoeveel krijgen kinderen per ingeleverde kerstboom".into()],
            keywords: vec!["kerstboom".into()],
            tags: vec!["afval".into(), "seizoen".into()],
            department: "Afval en Grondstoffen".into(),
            links: vec![LinkForm {
                title: "Kalender".into(),
                url: "/afvalkalender".into(),
            }],
            bot: false,
            valid_from: "2026-12-15".into(),
            valid_until: "2027-01-31".into(),
            owner: "Team Afval".into(),
            reviewed: "2026-10-12".into(),
            body: "Zet de boom **zonder** versiering\nbij de container.".into(),
        }
    }

    fn path() -> PathBuf {
        Path::new("kb/afval/kerstbomen.md").to_path_buf()
    }

    #[test]
    fn every_article_in_kb_survives_form_to_text_to_parse() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
        let kb = load(&dir).expect("the sample KB is valid");
        assert!(kb.articles.len() > 50);
        for article in &kb.articles {
            let text = ArticleForm::from_article(article).to_source();
            let parsed = parse_article(&article.path, &text)
                .unwrap_or_else(|p| panic!("{}: {p:?}\n{text}", article.id));
            assert_eq!(&parsed, article, "{text}");
            // And back from the text, as the editor opens a file.
            let reopened = ArticleForm::from_source(&text).expect("readable");
            assert_eq!(reopened, ArticleForm::from_article(article));
        }
    }

    #[test]
    fn text_is_laid_out_like_the_files_in_kb() {
        let text = sample().to_source();
        assert_eq!(
            text,
            "+++\n\
             title = 'Kerstbomen \"inzamelen\"'\n\
             questions = [\n  \"wanneer wordt de kerstboom opgehaald\",\n  \"waar kan ik mijn kerstboom kwijt\",\n  \"kerstbomen inleveren\",\n]\n\
             not_answered = [\n  \"hoeveel krijgen kinderen per ingeleverde kerstboom\",\n]\n\
             keywords = [\"kerstboom\"]\n\
             tags = [\"afval\", \"seizoen\"]\n\
             department = \"Afval en Grondstoffen\"\n\
             links = [\n  { title = \"Kalender\", url = \"/afvalkalender\" },\n]\n\
             bot = false\n\
             valid_from = 2026-12-15\n\
             valid_until = 2027-01-31\n\
             owner = \"Team Afval\"\n\
             reviewed = 2026-10-12\n\
             +++\n\
             Zet de boom **zonder** versiering\nbij de container.\n"
        );
        let article = parse_article(&path(), &text).expect("valid");
        assert_eq!(article.title, "Kerstbomen \"inzamelen\"");
        assert!(!article.bot);
    }

    /// An editor who opens an article from `kb/` and saves it unchanged changes no byte, so
    /// the first save through the dashboard does not rewrite the file for git or the history.
    #[test]
    fn an_article_saved_unchanged_keeps_its_file_byte_for_byte() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
        let mut changed = Vec::new();
        for article in load(&root).expect("sample KB").articles {
            let text = std::fs::read_to_string(&article.path).expect("readable");
            let form = ArticleForm::from_source(&text).expect("a form");
            if form.to_source() != text {
                changed.push(article.id);
            }
        }
        assert_eq!(changed, Vec::<String>::new());
    }

    #[test]
    fn posted_pairs_become_the_form_with_empty_rows_dropped() {
        let pairs: Vec<(String, String)> = [
            ("csrf", "x"),
            ("title", " Kerstbomen \"inzamelen\" "),
            ("questions", "wanneer wordt de kerstboom opgehaald"),
            ("questions", ""),
            ("questions", "waar kan ik mijn kerstboom kwijt"),
            ("questions", "kerstbomen inleveren"),
            (
                "not_answered",
                "hoeveel krijgen kinderen per ingeleverde kerstboom",
            ),
            ("not_answered", ""),
            ("keywords", "kerstboom"),
            ("keywords", " "),
            ("tags", "afval"),
            ("tags", "seizoen"),
            ("department", "Afval en Grondstoffen"),
            (LINK_TITLE, "Kalender"),
            (LINK_URL, "/afvalkalender"),
            (LINK_TITLE, ""),
            (LINK_URL, ""),
            ("valid_from", "2026-12-15"),
            ("valid_until", "2027-01-31"),
            ("owner", "Team Afval"),
            ("reviewed", "2026-10-12"),
            (
                "body",
                "Zet de boom **zonder** versiering\r\nbij de container.\r\n",
            ),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(ArticleForm::from_pairs(&pairs), sample());
        let mut checked = pairs.clone();
        checked.push(("bot".into(), "on".into()));
        assert!(ArticleForm::from_pairs(&checked).bot);
    }

    #[test]
    fn a_half_link_is_kept_so_validation_names_it() {
        let pairs = vec![(LINK_URL.to_string(), "/afval".to_string())];
        let form = ArticleForm::from_pairs(&pairs);
        assert_eq!(
            form.links,
            vec![LinkForm {
                title: String::new(),
                url: "/afval".into()
            }]
        );
    }

    #[test]
    fn problems_are_placed_at_their_field() {
        let mut form = sample();
        form.questions.truncate(2);
        form.valid_from = "15-12-2026".into();
        form.links[0].url = "htps//x".into();
        form.department = String::new();
        form.body = "woord ".repeat(200);
        form.not_answered
            .push("waar kan ik mijn kerstboom kwijt".into());
        let text = form.to_source();
        let problems = parse_article(&path(), &text).expect_err("invalid");
        let placed: Vec<(Option<Field>, &str)> = problems
            .iter()
            .map(|p| (form.field_of(p), p.message.as_str()))
            .collect();
        let at = |field: Field| placed.iter().any(|(f, _)| *f == Some(field));
        assert!(at(Field::Questions), "{placed:?}");
        assert!(at(Field::ValidFrom), "{placed:?}");
        assert!(at(Field::Links), "{placed:?}");
        assert!(at(Field::Department), "{placed:?}");
        assert!(at(Field::Body), "{placed:?}");
        assert!(at(Field::NotAnswered), "{placed:?}");
        assert!(placed.iter().all(|(f, _)| f.is_some()), "{placed:?}");
    }

    #[test]
    fn a_missing_title_is_placed_by_the_field_it_names() {
        let mut form = sample();
        form.title = String::new();
        let problems = parse_article(&path(), &form.to_source()).expect_err("invalid");
        assert_eq!(form.field_of(&problems[0]), Some(Field::Title));
        let missing = Problem::new(&path(), 1, "missing required field `tags`");
        assert_eq!(form.field_of(&missing), Some(Field::Tags));
        let whole = Problem::new(&path(), 0, "duplicate article id `x`");
        assert_eq!(form.field_of(&whole), None);
    }

    #[test]
    fn a_file_that_is_not_an_article_says_why() {
        assert_eq!(
            ArticleForm::from_source("geen front matter"),
            Err(FormError::NoFrontMatter)
        );
        assert!(matches!(
            ArticleForm::from_source("+++\ntitle = [\n+++\nx"),
            Err(FormError::Toml(_))
        ));
    }
}
