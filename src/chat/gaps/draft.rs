//! "Nieuw artikel" from a gap group: a concept (draft revision, not suggested) pre-filled with
//! the group's questions (as content: [`as_content`]), its terms as keywords and the agents'
//! most common reply as the answer, in the category and department of the nearest article.
//! The editor finishes it.

use toml_edit::{Array, DocumentMut, value};

use super::super::editing::{Edit, EditError, Edited};
use super::{GapGroup, as_content};
use crate::chat::Chat;
use crate::kb::write::{self, Expected};
use crate::kb::{MAX_BODY_WORDS, MIN_QUESTIONS};
use crate::search::dictionary::capitalised;
use crate::search::engine::Snapshot;

/// The category of a draft when no article is near.
const FALLBACK_CATEGORY: &str = "overig";

/// The answer of a draft when no agent replied to the group's questions.
pub const NO_REPLY_BODY: &str = "Schrijf hier het antwoord op deze vragen.";

/// The longest title taken from a question, in characters.
const MAX_TITLE_CHARS: usize = 100;

/// Why a group cannot become a draft.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// Fewer distinct questions than an article needs.
    #[error("an article needs at least {MIN_QUESTIONS} example questions; this group has {0}")]
    TooFewQuestions(usize),
    #[error(transparent)]
    Edit(#[from] EditError),
}

/// The group's distinct questions, masked, most recent first.
pub fn questions(group: &GapGroup) -> Vec<String> {
    let mut questions: Vec<String> = Vec::new();
    for q in &group.questions {
        let text = as_content(q.text.trim());
        if !text.is_empty() && !questions.contains(&text) {
            questions.push(text);
        }
    }
    questions
}

/// The title: the group's most typical question, with a capital, cut at a word.
fn title(group: &GapGroup, questions: &[String]) -> String {
    let central = (group.questions.iter())
        .find(|q| q.message_id == group.central)
        .map(|q| as_content(q.text.trim()))
        .or_else(|| questions.first().cloned())
        .unwrap_or_default();
    let mut title = String::new();
    for word in central.split_whitespace() {
        if title.chars().count() + word.chars().count() + 1 > MAX_TITLE_CHARS {
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(word);
    }
    capitalised(&title)
}

/// The answer: the most common agent reply, masked and cut to the word limit.
fn body(group: &GapGroup) -> String {
    let Some(reply) = &group.common_reply else {
        return NO_REPLY_BODY.to_string();
    };
    let reply = as_content(reply.trim());
    if reply.split_whitespace().count() <= MAX_BODY_WORDS {
        return reply;
    }
    let words: Vec<&str> = reply.split_whitespace().take(MAX_BODY_WORDS - 1).collect();
    format!("{} …", words.join(" "))
}

fn list(items: &[String]) -> Array {
    let mut array: Array = items.iter().map(String::as_str).collect();
    for item in array.iter_mut() {
        item.decor_mut().set_prefix("\n  ");
    }
    array.set_trailing(",\n");
    array
}

/// The draft's file text, or why the group cannot become one.
pub fn source(
    group: &GapGroup,
    snapshot: &Snapshot,
    default_department: &str,
) -> Result<(String, String), DraftError> {
    let questions = questions(group);
    if questions.len() < MIN_QUESTIONS {
        return Err(DraftError::TooFewQuestions(questions.len()));
    }
    let nearest = (group.nearest.as_ref()).and_then(|n| snapshot.article(&n.id));
    let category = nearest.map_or(FALLBACK_CATEGORY, |a| a.category());
    let department = nearest.map_or(default_department, |a| a.department.as_str());
    let title = title(group, &questions);
    let mut front = DocumentMut::new();
    front["title"] = value(title.as_str());
    front["questions"] = value(list(&questions));
    front["keywords"] = value(list(&group.terms));
    front["tags"] = value([category].into_iter().collect::<Array>());
    front["department"] = value(department);
    Ok((title, format!("+++\n{front}+++\n{}\n", body(group))))
}

impl Chat {
    /// "Nieuw artikel": saves `group` as a concept with a new id from its title. The draft
    /// is validated like any save and kept as a revision; it is not suggested.
    pub async fn draft_from_gap(
        &self,
        group: &GapGroup,
        author: &str,
    ) -> Result<Edited, DraftError> {
        let default_department =
            (self.config.departments.first()).map_or("Publiekszaken", |d| d.name.as_str());
        let (title, source) = source(group, &self.engine.snapshot(), default_department)?;
        let kb_dir = self.engine.kb_dir().to_path_buf();
        let id = tokio::task::spawn_blocking(move || write::new_id(&kb_dir, &title))
            .await
            .map_err(|err| EditError::Io(crate::task::stopped(&err).into()))?
            .map_err(EditError::from)?;
        let comment = format!("Concept uit Hiaten ({} vragen)", group.count());
        Ok(self
            .save_article(Edit {
                id: &id,
                source: &source,
                expected: Expected::New,
                author,
                comment: &comment,
                draft: true,
            })
            .await?)
    }
}

#[cfg(test)]
mod tests;
