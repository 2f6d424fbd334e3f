//! What the editor page shows: the form as typed, the problems next to their fields, the
//! resident's view of the answer, the B1 hints and the try-out results.

use std::path::PathBuf;

use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use url::Url;

use super::diff::DiffLine;
use super::probe::{Explained, QuestionRank};
use crate::chat::answer::outgoing_text;
use crate::chat::service::{WEB_CHAT, WHATSAPP};
use crate::kb::form::{ArticleForm, Field, LinkForm};
use crate::kb::readability::{self, Hint};
use crate::kb::{Article, Link};
use crate::web::pages::Nav;
use crate::web::render::{channel_html, channel_label};

/// Empty rows under a list, for adding items without JavaScript.
const EMPTY_ROWS: usize = 2;

#[derive(Template, WebTemplate)]
#[template(path = "kb_editor.html")]
pub struct EditorPage {
    pub nav: Nav,
    /// The article's id; for a new article the id its title gives (empty without a title).
    pub id: String,
    /// No file and no draft yet: the form posts to `/kb/articles/new`.
    pub new: bool,
    /// The version of the file the form was opened from; empty when there is no file.
    pub version: String,
    pub form: ArticleForm,
    /// The departments in use in the knowledge base, and the form's own.
    pub departments: Vec<String>,
    pub comment: String,
    /// A flash after a save or restore.
    pub notice: Option<String>,
    /// Set when the form holds a draft rather than the published file.
    pub draft_note: Option<String>,
    /// `kb check`'s problems with the form's text, each with the field it belongs to.
    pub problems: Vec<(Option<Field>, String)>,
    pub preview: Preview,
    pub ranks: Option<Ranks>,
    pub probe_message: String,
    pub explained: Option<Vec<Explained>>,
    /// Why the try-out could not run, or which knowledge base it used.
    pub probe_note: Option<String>,
    /// A save over a newer version (409).
    pub conflict: Option<Conflict>,
}

/// How the resident sees the answer, and how it reads.
pub struct Preview {
    /// `(channel label, safe HTML)`.
    pub channels: Vec<(&'static str, String)>,
    pub words: usize,
    pub limit: usize,
    pub over: bool,
    /// `(hint, sentence)`.
    pub hints: Vec<(String, String)>,
    /// For a new article: the id (file name) its title gives.
    pub new_id: Option<String>,
}

/// The POST `/kb/articles/{id}/preview` answer: the preview alone, for the live preview.
#[derive(Template, WebTemplate)]
#[template(path = "kb_editor_preview.html")]
pub struct PreviewPartial {
    pub preview: Preview,
}

/// The example questions' ranks against the whole knowledge base.
pub struct Ranks {
    /// The day tried on, `dd-mm-jjjj`.
    pub date: String,
    pub rows: Vec<QuestionRank>,
}

impl Ranks {
    pub fn conflicts(&self) -> usize {
        self.rows.iter().filter(|r| r.conflict()).count()
    }
}

/// A refused save: what changed on disk, and the editor's own text to keep.
pub struct Conflict {
    pub diff: Vec<DiffLine>,
    /// The editor's text, as it would have been saved.
    pub source: String,
}

impl EditorPage {
    /// Where the form posts.
    pub fn action(&self) -> String {
        if self.new {
            "/kb/articles/new".to_string()
        } else {
            format!("/kb/articles/{}", self.id)
        }
    }

    /// The problems that belong to `field` (its form name).
    pub fn errors(&self, field: &str) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|(f, _)| f.is_some_and(|f| f.name() == field))
            .map(|(_, message)| message.as_str())
            .collect()
    }

    /// The problems of the article as a whole.
    pub fn general_errors(&self) -> Vec<&str> {
        self.problems
            .iter()
            .filter(|(f, _)| f.is_none())
            .map(|(_, message)| message.as_str())
            .collect()
    }

    /// `aria-describedby` for a field: its hint and, when it has problems, their list.
    pub fn described_by(&self, field: &str, hint: bool) -> String {
        let mut ids = Vec::new();
        if hint {
            ids.push(format!("hint-{field}"));
        }
        if !self.errors(field).is_empty() {
            ids.push(format!("err-{field}"));
        }
        ids.join(" ")
    }

    /// The items of a list field, then empty rows to add more; at least `min` rows.
    pub fn rows(&self, items: &[String], min: usize) -> Vec<String> {
        let mut rows = items.to_vec();
        let total = (items.len() + EMPTY_ROWS).max(min);
        rows.resize(total, String::new());
        rows
    }

    pub fn link_rows(&self) -> Vec<LinkForm> {
        let mut rows = self.form.links.clone();
        rows.resize(self.form.links.len() + EMPTY_ROWS, LinkForm::default());
        rows
    }
}

impl Preview {
    /// The preview of the form's answer, valid or not, on the web chat and on WhatsApp.
    pub fn of(form: &ArticleForm, site_url: &Url) -> Preview {
        let article = preview_article(form);
        let report = readability::check(&form.body);
        Preview {
            channels: [WEB_CHAT, WHATSAPP]
                .into_iter()
                .map(|channel| {
                    let text = outgoing_text(&article, channel, site_url);
                    (channel_label(channel), channel_html(&text, channel))
                })
                .collect(),
            words: report.words,
            limit: report.limit,
            over: report.over_limit(),
            hints: report
                .hints
                .iter()
                .map(|hint: &Hint| (hint.message(), hint.sentence.clone()))
                .collect(),
            new_id: None,
        }
    }
}

/// The form as an article for the preview only: what it would send, not checked.
fn preview_article(form: &ArticleForm) -> Article {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    Article {
        id: String::new(),
        path: PathBuf::new(),
        title: form.title.clone(),
        questions: form.questions.clone(),
        not_answered: form.not_answered.clone(),
        keywords: form.keywords.clone(),
        tags: form.tags.clone(),
        department: form.department.clone(),
        links: (form.links.iter())
            .filter(|l| !l.title.is_empty() && !l.url.is_empty())
            .map(|l| Link {
                title: l.title.clone(),
                url: l.url.clone(),
            })
            .collect(),
        bot: form.bot,
        valid_from: date(&form.valid_from),
        valid_until: date(&form.valid_until),
        owner: None,
        reviewed: None,
        body: form.body.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_shows_both_channels_the_count_and_the_hints() {
        let form = ArticleForm {
            body: "Uw pas wordt **binnen 5 dagen** verstuurd.".into(),
            links: vec![LinkForm {
                title: "Afvalpas".into(),
                url: "/afvalpas".into(),
            }],
            ..ArticleForm::default()
        };
        let site = Url::parse("https://www.dijkstede.example").expect("url");
        let preview = Preview::of(&form, &site);
        assert_eq!(preview.channels.len(), 2);
        assert!(
            preview.channels[0]
                .1
                .contains("<strong>binnen 5 dagen</strong>")
        );
        assert!(
            preview.channels[1]
                .1
                .contains("https://www.dijkstede.example/afvalpas")
        );
        assert_eq!(preview.words, 7);
        assert!(preview.hints[0].0.starts_with("Lijdende vorm"));
    }
}
