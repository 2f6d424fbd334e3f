//! Editing an article's question lists in its file text, the way an editor would: the
//! `questions` (or `not_answered`) array gets one more line (or loses some), and everything
//! else stays byte for byte.

use std::ops::Range;
use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Value};

use super::super::Problem;
use super::super::parse::split_front_matter;

/// One of an article's lists of questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionList {
    /// `questions`: how residents ask what the article answers.
    Questions,
    /// `not_answered`: what residents ask about the subject that the article does not answer.
    NotAnswered,
}

impl QuestionList {
    /// The front-matter key.
    pub fn key(self) -> &'static str {
        match self {
            QuestionList::Questions => "questions",
            QuestionList::NotAnswered => "not_answered",
        }
    }
}

/// The text of `source` with `question` added to its `list`, or `None` when the article
/// already has that question there (compared without case and surrounding spaces). A list
/// the article does not have yet is added at the end of the front matter. `path` names the
/// file in problems.
pub fn with_listed(
    path: &Path,
    source: &str,
    list: QuestionList,
    question: &str,
) -> Result<Option<String>, Problem> {
    let question = question.trim();
    if question.is_empty() {
        return Err(Problem::new(path, 0, "the question is empty"));
    }
    let (mut doc, front) = front_matter(path, source)?;
    let questions = list_mut(path, &mut doc, list.key())?;
    let known = |q: &Value| q.as_str().is_some_and(|q| same_question(q, question));
    if questions.iter().any(known) {
        return Ok(None);
    }
    push_like_the_others(questions, question);
    Ok(Some(spliced(source, front, &doc)))
}

/// The text of `source` without the questions of `list` at the (0-based) positions `drop`
/// picks; the other questions keep their lines, and the rest of the file stays as it is.
pub fn without_questions(
    path: &Path,
    source: &str,
    list: QuestionList,
    drop: impl Fn(usize) -> bool,
) -> Result<String, Problem> {
    let (mut doc, front) = front_matter(path, source)?;
    if !doc.contains_key(list.key()) {
        return Ok(source.to_string());
    }
    let questions = list_mut(path, &mut doc, list.key())?;
    let mut position = 0;
    questions.retain(|_| {
        let kept = !drop(position);
        position += 1;
        kept
    });
    Ok(spliced(source, front, &doc))
}

/// The front matter of `source` as an editable document, and where it lies in `source`.
fn front_matter(path: &Path, source: &str) -> Result<(DocumentMut, Range<usize>), Problem> {
    let Some((front, _, _)) = split_front_matter(source) else {
        return Err(Problem::new(
            path,
            1,
            "missing front matter: the file must start with a line `+++`, then TOML, then a closing `+++` line",
        ));
    };
    let doc: DocumentMut = front.parse().map_err(|err| {
        Problem::new(
            path,
            2,
            format!("the front matter is not valid TOML: {err}"),
        )
    })?;
    // `front` is a slice of `source`.
    let start = front.as_ptr().addr() - source.as_ptr().addr();
    Ok((doc, start..start + front.len()))
}

/// The array at `key`, made empty when the front matter has none.
fn list_mut<'a>(
    path: &Path,
    doc: &'a mut DocumentMut,
    key: &str,
) -> Result<&'a mut Array, Problem> {
    doc.entry(key)
        .or_insert_with(|| Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .ok_or_else(|| Problem::new(path, 2, format!("`{key}` must be a list of strings")))
}

/// `source` with the edited front matter in place of the original at `front`.
fn spliced(source: &str, front: Range<usize>, doc: &DocumentMut) -> String {
    let edited = doc.to_string();
    let mut text = String::with_capacity(source.len() - front.len() + edited.len());
    text.push_str(&source[..front.start]);
    text.push_str(&edited);
    text.push_str(&source[front.end..]);
    text
}

/// Appends `question` formatted as the last item is: on its own line in a multi-line array.
fn push_like_the_others(questions: &mut Array, question: &str) {
    let prefix = questions
        .iter()
        .last()
        .and_then(|last| last.decor().prefix())
        .and_then(|p| p.as_str())
        .map(ToString::to_string);
    match prefix {
        Some(prefix) if prefix.contains('\n') => {
            questions.push_formatted(Value::from(question).decorated(prefix, ""));
        }
        _ => questions.push(question),
    }
}

fn same_question(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_question(path: &Path, source: &str, question: &str) -> Result<Option<String>, Problem> {
        with_listed(path, source, QuestionList::Questions, question)
    }

    const ARTICLE: &str = "+++\ntitle = \"Paspoort\"\nquestions = [\n  \"paspoort aanvragen\",\n  \"hoe lang duurt een paspoort\",\n]\n# a comment stays\ntags = [\"burgerzaken\"]\n+++\nU vraagt een **paspoort** aan.\n";

    fn add(source: &str, question: &str) -> Option<String> {
        with_question(Path::new("kb/x.md"), source, question).expect("edits")
    }

    #[test]
    fn the_question_gets_a_line_of_its_own_and_the_rest_stays() {
        let text = add(ARTICLE, "  wat kost een paspoort ").expect("added");
        assert_eq!(
            text,
            ARTICLE.replace(
                "paspoort\",\n]",
                "paspoort\",\n  \"wat kost een paspoort\",\n]"
            )
        );
    }

    #[test]
    fn a_question_the_article_does_not_answer_goes_to_its_own_list() {
        let path = Path::new("kb/x.md");
        let listed = |source: &str, question: &str| {
            with_listed(path, source, QuestionList::NotAnswered, question).expect("edits")
        };
        let text = listed(ARTICLE, "wat kost een paspoort voor een baby").expect("added");
        assert!(
            text.contains("not_answered = [\"wat kost een paspoort voor een baby\"]\n+++"),
            "{text}"
        );
        assert!(text.starts_with(&ARTICLE[..ARTICLE.find("+++\nU").expect("end")]));
        let again = listed(&text, "Is er een spoedprocedure").expect("added");
        assert!(
            again.contains(
                "not_answered = [\"wat kost een paspoort voor een baby\", \"Is er een spoedprocedure\"]"
            ),
            "{again}"
        );
        assert_eq!(listed(&again, "is er een SPOEDprocedure "), None);
    }

    #[test]
    fn a_question_the_article_has_is_not_added_twice() {
        assert_eq!(add(ARTICLE, "Paspoort Aanvragen"), None);
    }

    #[test]
    fn an_article_without_questions_gets_the_list() {
        let source = "+++\ntitle = \"X\"\n+++\nTekst\n";
        let text = add(source, "een vraag").expect("added");
        assert!(text.contains("questions = [\"een vraag\"]"), "{text}");
        assert!(text.ends_with("+++\nTekst\n"), "{text}");
    }

    #[test]
    fn quotes_in_the_question_are_escaped() {
        let text = add(ARTICLE, "wat is een \"nooddocument\"").expect("added");
        let (front, _, _) = split_front_matter(&text).expect("front matter");
        let doc: DocumentMut = front.parse().expect("valid TOML");
        let last = doc["questions"].as_array().and_then(|q| q.iter().last());
        assert_eq!(
            last.and_then(Value::as_str),
            Some("wat is een \"nooddocument\"")
        );
    }

    #[test]
    fn dropped_questions_lose_their_lines_and_the_rest_stays() {
        let path = Path::new("kb/x.md");
        let text =
            without_questions(path, ARTICLE, QuestionList::Questions, |i| i == 0).expect("edits");
        assert_eq!(text, ARTICLE.replace("\n  \"paspoort aanvragen\",", ""));
        let last =
            without_questions(path, ARTICLE, QuestionList::Questions, |i| i == 1).expect("edits");
        assert_eq!(
            last,
            ARTICLE.replace("\n  \"hoe lang duurt een paspoort\",", "")
        );
        let none =
            without_questions(path, ARTICLE, QuestionList::Questions, |_| false).expect("edits");
        assert_eq!(none, ARTICLE);
        assert!(
            without_questions(path, "geen front matter", QuestionList::Questions, |_| true)
                .is_err()
        );
        // A list the article does not have is not added.
        let absent = without_questions(path, ARTICLE, QuestionList::NotAnswered, |_| true);
        assert_eq!(absent.expect("edits"), ARTICLE);
        let listed = with_listed(path, ARTICLE, QuestionList::NotAnswered, "wat kost het")
            .expect("edits")
            .expect("added");
        let dropped = without_questions(path, &listed, QuestionList::NotAnswered, |i| i == 0);
        assert!(dropped.expect("edits").contains("not_answered = []"));
    }

    #[test]
    fn broken_front_matter_and_empty_questions_are_refused() {
        let path = Path::new("kb/x.md");
        assert!(with_question(path, "geen front matter", "vraag").is_err());
        assert!(with_question(path, "+++\nquestions = 3\n+++\nx\n", "vraag").is_err());
        assert!(with_question(path, ARTICLE, "   ").is_err());
    }
}
