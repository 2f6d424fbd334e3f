//! `kb check`'s problems with an edited article, placed at the form field they belong to and
//! said in Dutch. The rules and their English wording stay in `kb::parse` (the command line
//! and the API speak English); a problem this module does not know is shown as written.

use crate::kb::form::{ArticleForm, Field};
use crate::kb::{MAX_BODY_WORDS, Problem};

/// `problems` placed at the fields of `form` (`None`: the article as a whole), in Dutch.
pub fn placed(form: &ArticleForm, problems: &[Problem]) -> Vec<(Option<Field>, String)> {
    problems
        .iter()
        .map(|p| (form.field_of(p), dutch(&p.message)))
        .collect()
}

/// The first `quoted` part of a message.
fn quoted(message: &str) -> &str {
    message.split('`').nth(1).unwrap_or_default()
}

/// The `n`th word of a message as a number.
fn number(message: &str, n: usize) -> usize {
    (message.split_whitespace().nth(n))
        .and_then(|w| w.parse().ok())
        .unwrap_or_default()
}

/// A problem message of `kb::parse` in Dutch, for the editor; unknown ones unchanged.
pub fn dutch(message: &str) -> String {
    if message.starts_with("missing required field `") {
        "Dit veld is verplicht.".into()
    } else if message.starts_with("`questions` has ") && message.contains("at least") {
        let n = number(message, 2);
        format!(
            "Er {} {n} voorbeeldvra{}; er zijn er minstens {} nodig.",
            if n == 1 { "is" } else { "zijn" },
            if n == 1 { "ag" } else { "gen" },
            crate::kb::MIN_QUESTIONS
        )
    } else if message.ends_with("` is empty") {
        "Dit veld is leeg.".into()
    } else if message.contains("must be a date without quotes") {
        "Vul een datum in, zoals 2026-12-01.".into()
    } else if message.starts_with("`valid_until` (") {
        "„Geldig tot en met” ligt vóór „Geldig vanaf”.".into()
    } else if message.starts_with("tag `") && message.contains("kebab-case") {
        format!(
            "De tag „{}” mag alleen kleine letters (a-z), cijfers en losse streepjes bevatten.",
            quoted(message)
        )
    } else if message.starts_with("the answer (the text after") {
        "Het antwoord is leeg.".into()
    } else if message.starts_with("the answer has ") {
        format!(
            "Het antwoord heeft {} woorden; houd het onder ongeveer 120 (hooguit {MAX_BODY_WORDS}), zodat het goed leest in een chat.",
            number(message, 3)
        )
    } else if message == "a link needs both a `title` and a `url`" {
        "Een link heeft een titel én een adres nodig.".into()
    } else if message.starts_with("malformed URL `") {
        format!(
            "Het adres „{}” klopt niet: gebruik een pad op de eigen site (/afval) of een volledig adres (https://…).",
            quoted(message)
        )
    } else {
        message.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::kb::form::LinkForm;
    use crate::kb::parse_article;

    fn problems_of(form: &ArticleForm) -> Vec<(Option<Field>, String)> {
        let path = Path::new("kb/afval/test.md");
        let problems = parse_article(path, &form.to_source()).expect_err("invalid");
        placed(form, &problems)
    }

    #[test]
    fn every_problem_an_editor_can_make_in_the_form_is_said_in_dutch() {
        let form = ArticleForm {
            title: String::new(),
            questions: vec!["een".into(), "twee".into()],
            tags: vec!["afval".into(), "Grof Vuil".into()],
            department: "Afval".into(),
            links: vec![
                LinkForm {
                    title: "Kalender".into(),
                    url: String::new(),
                },
                LinkForm {
                    title: "Fout".into(),
                    url: "ftp://x.nl".into(),
                },
            ],
            valid_from: "2027-01-31".into(),
            valid_until: "2026-12-15".into(),
            reviewed: "gisteren".into(),
            body: "woord ".repeat(MAX_BODY_WORDS + 1),
            ..ArticleForm::default()
        };
        let placed = problems_of(&form);
        let said = |field: Field, text: &str| {
            placed
                .iter()
                .any(|(f, m)| *f == Some(field) && m.contains(text))
        };
        assert!(said(Field::Title, "Dit veld is leeg."), "{placed:?}");
        assert!(said(
            Field::Questions,
            "Er zijn 2 voorbeeldvragen; er zijn er minstens 3 nodig."
        ));
        assert!(said(
            Field::Tags,
            "De tag „Grof Vuil” mag alleen kleine letters"
        ));
        assert!(said(
            Field::Links,
            "Een link heeft een titel én een adres nodig."
        ));
        assert!(said(Field::Links, "Het adres „ftp://x.nl” klopt niet"));
        assert!(said(Field::ValidUntil, "ligt vóór"));
        assert!(said(Field::Reviewed, "Vul een datum in"));
        assert!(said(Field::Body, "Het antwoord heeft 161 woorden"));
        let english: Vec<&String> = placed
            .iter()
            .map(|(_, m)| m)
            .filter(|m| m.contains("must") || m.contains("required") || m.contains("missing"))
            .collect();
        assert!(english.is_empty(), "{english:?}");
    }

    #[test]
    fn missing_fields_and_an_empty_answer_too() {
        let placed = problems_of(&ArticleForm::default());
        assert!(placed.contains(&(Some(Field::Title), "Dit veld is leeg.".into())));
        assert_eq!(
            dutch("missing required field `tags`"),
            "Dit veld is verplicht."
        );
        assert!(placed.contains(&(Some(Field::Body), "Het antwoord is leeg.".into())));
        assert_eq!(dutch("iets nieuws"), "iets nieuws");
    }
}
