//! Parsing one article file: `+++` TOML front matter, then the Markdown answer.
//!
//! The front matter is read with `toml`'s spanned document model so that every problem can
//! name its line, and each field is checked on its own so that one mistake does not hide the
//! next.

use std::path::Path;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};
use url::Url;

use super::{Article, Link, Problem};

const DELIMITER: &str = "+++";
const FIELDS: &[&str] = &[
    "id",
    "title",
    "questions",
    "not_answered",
    "keywords",
    "tags",
    "department",
    "links",
    "bot",
    "valid_from",
    "valid_until",
    "owner",
    "reviewed",
];
/// Fewer example questions than this gives the search too little to go on.
pub const MIN_QUESTIONS: usize = 3;
/// The body is sent as a chat message; well above the ~120-word guideline is an error.
pub const MAX_BODY_WORDS: usize = 160;

/// The words of an answer as `kb check` counts them against [`MAX_BODY_WORDS`].
pub fn body_words(body: &str) -> usize {
    body.split_whitespace().count()
}

/// Parses and validates one article. `path` is used for the id (its stem), the category (its
/// directory) and in problem locations.
pub fn parse_article(path: &Path, text: &str) -> Result<Article, Vec<Problem>> {
    let mut problems = Vec::new();
    let id = path
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or_default()
        .to_string();
    if !is_kebab_case(&id) {
        problems.push(Problem::new(
            path,
            0,
            format!("article id `{id}` (the file name) must be lowercase kebab-case: a-z, 0-9 and single hyphens"),
        ));
    }
    let category = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|name| name.to_str())
        .unwrap_or_default();

    let Some((front, body, body_line)) = split_front_matter(text) else {
        problems.push(Problem::new(
            path,
            1,
            "missing front matter: the file must start with a line `+++`, then TOML, then a closing `+++` line",
        ));
        return Err(problems);
    };

    let table = match DeTable::parse(front) {
        Ok(table) => table.into_inner(),
        Err(err) => {
            let line = err
                .span()
                .map(|span| line_of(front, span.start))
                .unwrap_or(2);
            let message = err.message().trim().to_string();
            problems.push(Problem::new(path, line, format!("invalid TOML: {message}")));
            return Err(problems);
        }
    };

    let mut fields = Fields {
        path,
        front,
        table: &table,
        problems: &mut problems,
    };
    for (key, _) in table.iter() {
        if !FIELDS.contains(&key.get_ref().as_ref()) {
            let line = line_of(front, key.span().start);
            fields.problems.push(Problem::new(
                path,
                line,
                format!(
                    "unknown field `{}`; allowed fields are: {}",
                    key.get_ref(),
                    FIELDS.join(", ")
                ),
            ));
        }
    }

    if let Some((written, line)) = fields.string("id", false)
        && written != id
    {
        fields.problems.push(Problem::new(
            path,
            line,
            format!("`id` is `{written}` but the file name says `{id}`; they must match"),
        ));
    }
    let title = fields.string("title", true).map(|(s, _)| s);
    let questions = fields.string_list("questions", true);
    if let Some((questions, line)) = &questions
        && questions.len() < MIN_QUESTIONS
    {
        fields.problems.push(Problem::new(
            path,
            *line,
            format!(
                "`questions` has {} entr{}; at least {MIN_QUESTIONS} are required",
                questions.len(),
                if questions.len() == 1 { "y" } else { "ies" }
            ),
        ));
    }
    let not_answered = fields.string_list("not_answered", false);
    if let (Some((questions, _)), Some(_)) = (&questions, &not_answered) {
        fields.check_not_answered(questions);
    }
    let keywords = fields.string_list("keywords", false);
    let tags = fields.string_list("tags", true);
    if let Some((tags, line)) = &tags {
        fields.check_tags(tags, *line, category);
    }
    let department = fields.string("department", true).map(|(s, _)| s);
    let links = fields.links();
    let bot = fields.boolean("bot").unwrap_or(true);
    let valid_from = fields.date("valid_from");
    let valid_until = fields.date("valid_until");
    if let (Some(from), Some(until)) = (valid_from, valid_until)
        && from > until
    {
        let line = fields.line_of_key("valid_until");
        fields.problems.push(Problem::new(
            path,
            line,
            format!("`valid_until` ({until}) is before `valid_from` ({from})"),
        ));
    }
    let owner = fields.string("owner", false).map(|(s, _)| s);
    let reviewed = fields.date("reviewed");

    let body = body.trim();
    let words = body_words(body);
    if body.is_empty() {
        problems.push(Problem::new(
            path,
            body_line,
            "the answer (the text after the closing `+++`) is empty",
        ));
    } else if words > MAX_BODY_WORDS {
        problems.push(Problem::new(
            path,
            body_line,
            format!("the answer has {words} words; keep it under about 120 (at most {MAX_BODY_WORDS}) so it reads well in a chat"),
        ));
    }

    match (title, questions, tags, department) {
        (Some(title), Some((questions, _)), Some((tags, _)), Some(department))
            if problems.is_empty() =>
        {
            Ok(Article {
                id,
                path: path.to_path_buf(),
                title,
                questions,
                not_answered: not_answered.map(|(q, _)| q).unwrap_or_default(),
                keywords: keywords.map(|(k, _)| k).unwrap_or_default(),
                tags,
                department,
                links,
                bot,
                valid_from,
                valid_until,
                owner,
                reviewed,
                body: body.to_string(),
            })
        }
        _ => Err(problems),
    }
}

/// The first entry of `tags` in the front matter of `text`, if it can be read: the category,
/// and so the directory an article is saved in. Everything else is left to [`parse_article`].
pub(crate) fn first_tag(text: &str) -> Option<String> {
    let (front, _, _) = split_front_matter(text)?;
    let table = DeTable::parse(front).ok()?.into_inner();
    let tags = table.get("tags")?.get_ref().as_array()?;
    tags.iter()
        .next()?
        .get_ref()
        .as_str()
        .map(ToString::to_string)
}

/// Splits `+++\n<toml>\n+++\n<body>`; returns the TOML, the body and the body's first line.
/// Both are slices of `text`.
pub(crate) fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != DELIMITER {
        return None;
    }
    let start = first.len();
    let mut offset = start;
    for (index, line) in lines.enumerate() {
        if line.trim_end() == DELIMITER {
            let front = &text[start..offset];
            let body = &text[offset + line.len()..];
            // Line 1 is the opening `+++`, the closing one is line index + 2.
            return Some((front, body, index + 3));
        }
        offset += line.len();
    }
    None
}

/// The file line of a byte offset inside the front matter (which starts on line 2).
fn line_of(front: &str, offset: usize) -> usize {
    2 + front[..offset.min(front.len())].matches('\n').count()
}

pub(crate) fn is_kebab_case(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// Field-by-field access to the front matter, recording problems as it goes.
struct Fields<'a, 'i> {
    path: &'a Path,
    front: &'a str,
    table: &'a DeTable<'i>,
    problems: &'a mut Vec<Problem>,
}

impl<'a, 'i> Fields<'a, 'i> {
    fn get(&self, key: &str) -> Option<(&'a Spanned<DeValue<'i>>, usize)> {
        let table: &'a DeTable<'i> = self.table;
        table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(k, v)| (v, line_of(self.front, k.span().start)))
    }

    fn line_of_key(&self, key: &str) -> usize {
        self.get(key).map(|(_, line)| line).unwrap_or(1)
    }

    fn problem(&mut self, line: usize, message: String) {
        self.problems.push(Problem::new(self.path, line, message));
    }

    fn missing(&mut self, key: &str) {
        self.problem(1, format!("missing required field `{key}`"));
    }

    fn string(&mut self, key: &str, required: bool) -> Option<(String, usize)> {
        let Some((value, line)) = self.get(key) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        match value.get_ref().as_str() {
            Some(s) if !s.trim().is_empty() => Some((s.trim().to_string(), line)),
            Some(_) => {
                self.problem(line, format!("`{key}` is empty"));
                None
            }
            None => {
                let found = value.get_ref().type_str();
                self.problem(line, format!("`{key}` must be a string, found {found}"));
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, required: bool) -> Option<(Vec<String>, usize)> {
        let Some((value, line)) = self.get(key) else {
            if required {
                self.missing(key);
            }
            return None;
        };
        let Some(array) = value.get_ref().as_array() else {
            let found = value.get_ref().type_str();
            self.problem(
                line,
                format!("`{key}` must be an array of strings, found {found}"),
            );
            return None;
        };
        let mut items = Vec::new();
        let mut ok = true;
        for item in array.iter() {
            let item_line = line_of(self.front, item.span().start);
            match item.get_ref().as_str() {
                Some(s) if !s.trim().is_empty() => items.push(s.trim().to_string()),
                Some(_) => {
                    self.problem(item_line, format!("`{key}` contains an empty string"));
                    ok = false;
                }
                None => {
                    let found = item.get_ref().type_str();
                    self.problem(
                        item_line,
                        format!("`{key}` must contain only strings, found {found}"),
                    );
                    ok = false;
                }
            }
        }
        if required && ok && items.is_empty() {
            self.problem(line, format!("`{key}` is empty"));
            return None;
        }
        ok.then_some((items, line))
    }

    fn boolean(&mut self, key: &str) -> Option<bool> {
        let (value, line) = self.get(key)?;
        let result = value.get_ref().as_bool();
        if result.is_none() {
            let found = value.get_ref().type_str();
            self.problem(
                line,
                format!("`{key}` must be true or false, found {found}"),
            );
        }
        result
    }

    fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let (value, line) = self.get(key)?;
        let date = value
            .get_ref()
            .as_datetime()
            .filter(|dt| dt.time.is_none() && dt.offset.is_none())
            .and_then(|dt| dt.date)
            .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()));
        if date.is_none() {
            self.problem(
                line,
                format!("`{key}` must be a date without quotes, like 2026-12-01"),
            );
        }
        date
    }

    /// A question cannot be both one the article answers and one it does not (compared by
    /// their words, ignoring case and punctuation). Names the line of the listed question.
    fn check_not_answered(&mut self, questions: &[String]) {
        let words = |q: &str| -> Vec<String> {
            (q.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let asked: Vec<Vec<String>> = questions.iter().map(|q| words(q)).collect();
        let Some((value, _)) = self.get("not_answered") else {
            return;
        };
        let Some(array) = value.get_ref().as_array() else {
            return;
        };
        let mut found = Vec::new();
        for item in array.iter() {
            if let Some(question) = item.get_ref().as_str()
                && asked.contains(&words(question))
            {
                found.push((
                    line_of(self.front, item.span().start),
                    question.trim().to_string(),
                ));
            }
        }
        for (line, question) in found {
            self.problem(
                line,
                format!("\"{question}\" is in both `questions` and `not_answered`; keep it in one"),
            );
        }
    }

    fn check_tags(&mut self, tags: &[String], line: usize, category: &str) {
        for tag in tags {
            if !is_kebab_case(tag) {
                self.problem(line, format!("tag `{tag}` must be lowercase kebab-case"));
            }
        }
        if let Some(first) = tags.first()
            && first != category
        {
            self.problem(
                    line,
                    format!("the first tag `{first}` must be the category, which is the directory name `{category}`"),
                );
        }
    }

    fn links(&mut self) -> Vec<Link> {
        let Some((value, line)) = self.get("links") else {
            return Vec::new();
        };
        let Some(array) = value.get_ref().as_array() else {
            self.problem(
                line,
                "`links` must be an array of { title, url } tables".to_string(),
            );
            return Vec::new();
        };
        let mut links = Vec::new();
        for item in array.iter() {
            let item_line = line_of(self.front, item.span().start);
            let Some(table) = item.get_ref().as_table() else {
                self.problem(
                    item_line,
                    "each link must be a table like { title = \"...\", url = \"...\" }".to_string(),
                );
                continue;
            };
            let field = |name: &str| {
                table
                    .iter()
                    .find(|(k, _)| k.get_ref().as_ref() == name)
                    .and_then(|(_, v)| v.get_ref().as_str())
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            };
            for (key, _) in table.iter() {
                if !matches!(key.get_ref().as_ref(), "title" | "url") {
                    self.problem(
                        item_line,
                        format!(
                            "unknown link field `{}`; a link has only `title` and `url`",
                            key.get_ref()
                        ),
                    );
                }
            }
            let (Some(title), Some(url)) = (field("title"), field("url")) else {
                self.problem(
                    item_line,
                    "a link needs both a `title` and a `url`".to_string(),
                );
                continue;
            };
            match check_url(url) {
                Ok(()) => links.push(Link {
                    title: title.to_string(),
                    url: url.to_string(),
                }),
                Err(why) => self.problem(item_line, format!("malformed URL `{url}`: {why}")),
            }
        }
        links
    }
}

/// A link is a site path (`/afval/kalender`) or an absolute http(s) URL with a host.
fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("//") {
        return Err("use a path starting with a single `/` or a full https:// URL".into());
    }
    if url.starts_with('/') {
        if url.chars().any(char::is_whitespace) {
            return Err("a path cannot contain spaces".into());
        }
        return Ok(());
    }
    let parsed = Url::parse(url).map_err(|err| err.to_string())?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(format!(
            "scheme `{}` is not allowed; use https://",
            parsed.scheme()
        ));
    }
    match parsed.host_str() {
        Some(host) if host.contains('.') => Ok(()),
        _ => Err("the URL has no valid host name".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_with_body_line() {
        let (front, body, line) =
            split_front_matter("+++\na = 1\nb = 2\n+++\nHallo\n").expect("front matter");
        assert_eq!(front, "a = 1\nb = 2\n");
        assert_eq!(body, "Hallo\n");
        assert_eq!(line, 5);
    }

    #[test]
    fn urls_are_checked() {
        assert!(check_url("/afval").is_ok());
        assert!(check_url("https://www.digid.nl").is_ok());
        assert!(check_url("htps//digid").is_err());
        assert!(check_url("ftp://x.nl").is_err());
        assert!(check_url("/met spatie").is_err());
    }
}
