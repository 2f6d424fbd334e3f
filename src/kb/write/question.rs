//! Adding an example question to an article's file text, the way an editor would: the
//! `questions` array gets one more line, and everything else stays byte for byte.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Value};

use super::super::Problem;
use super::super::parse::split_front_matter;

/// The text of `source` with `question` added to its `questions`, or `None` when the article
/// already has that question (compared without case and surrounding spaces). `path` names
/// the file in problems.
pub fn with_question(path: &Path, source: &str, question: &str) -> Result<Option<String>, Problem> {
    let question = question.trim();
    if question.is_empty() {
        return Err(Problem::new(path, 0, "the example question is empty"));
    }
    let Some((front, _, _)) = split_front_matter(source) else {
        return Err(Problem::new(
            path,
            1,
            "missing front matter: the file must start with a line `+++`, then TOML, then a closing `+++` line",
        ));
    };
    let mut doc: DocumentMut = front.parse().map_err(|err| {
        Problem::new(
            path,
            2,
            format!("the front matter is not valid TOML: {err}"),
        )
    })?;
    let questions = doc
        .entry("questions")
        .or_insert_with(|| Item::Value(Value::Array(Array::new())))
        .as_array_mut()
        .ok_or_else(|| Problem::new(path, 2, "`questions` must be a list of strings"))?;
    let known = |q: &Value| q.as_str().is_some_and(|q| same_question(q, question));
    if questions.iter().any(known) {
        return Ok(None);
    }
    push_like_the_others(questions, question);
    // `front` is a slice of `source`: splice the edited front matter in its place.
    let start = front.as_ptr().addr() - source.as_ptr().addr();
    let mut text = String::with_capacity(source.len() + question.len() + 8);
    text.push_str(&source[..start]);
    text.push_str(&doc.to_string());
    text.push_str(&source[start + front.len()..]);
    Ok(Some(text))
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
    fn broken_front_matter_and_empty_questions_are_refused() {
        let path = Path::new("kb/x.md");
        assert!(with_question(path, "geen front matter", "vraag").is_err());
        assert!(with_question(path, "+++\nquestions = 3\n+++\nx\n", "vraag").is_err());
        assert!(with_question(path, ARTICLE, "   ").is_err());
    }
}
