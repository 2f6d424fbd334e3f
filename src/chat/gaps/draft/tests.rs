use std::path::Path;

use chrono::Utc;

use super::*;
use crate::chat::gaps::GapQuestion;
use crate::kb;
use crate::search::gaps::Nearest;
use crate::search::gaps::tests::SNAPSHOT;
use crate::store::gaps::Reason;

fn group(texts: &[&str], reply: Option<&str>, nearest: Option<&str>) -> GapGroup {
    GapGroup {
        terms: vec!["drone".into(), "vliegen".into()],
        impact: 1.0,
        questions: (texts.iter().enumerate())
            .map(|(i, text)| GapQuestion {
                message_id: i as i64 + 1,
                conversation_id: 1,
                text: text.to_string(),
                at: Utc::now(),
                reason: Reason::NoAnswer,
                declined: None,
                replied_with: None,
                listed: None,
                nearest: None,
                replies: Vec::new(),
            })
            .collect(),
        central: 2,
        nearest: nearest.map(|id| Nearest {
            id: id.into(),
            confidence: 0.2,
        }),
        common_reply: reply.map(String::from),
    }
}

const DRONES: [&str; 4] = [
    "mag ik met mijn drone vliegen boven het park",
    "is drone vliegen toegestaan in de \"stad\"?",
    "mag ik met mijn drone vliegen boven het park",
    "waar mag je een drone oplaten",
];

fn parsed(source: &str, category: &str) -> kb::Article {
    let path = Path::new("kb").join(category).join("concept.md");
    kb::parse_article(&path, source).unwrap_or_else(|p| panic!("{p:?}\n{source}"))
}

#[test]
fn a_group_becomes_a_valid_article_with_its_questions_terms_and_reply() {
    let nearest = SNAPSHOT.articles[0].clone();
    let group = group(
        &DRONES,
        Some("Kijk op de site van de rijksoverheid."),
        Some(&nearest.id),
    );
    let (title, source) = source(&group, &SNAPSHOT, "Publiekszaken").expect("a draft");
    let article = parsed(&source, nearest.category());
    assert_eq!(
        title, "Is drone vliegen toegestaan in de \"stad\"?",
        "the central question"
    );
    assert_eq!(article.title, title);
    assert_eq!(
        article.questions,
        [DRONES[0], DRONES[1], DRONES[3]],
        "distinct, in order"
    );
    assert_eq!(article.keywords, ["drone", "vliegen"]);
    assert_eq!(article.tags, [nearest.category()]);
    assert_eq!(article.department, nearest.department);
    assert_eq!(article.body, "Kijk op de site van de rijksoverheid.");
}

#[test]
fn without_a_near_article_or_a_reply_the_draft_says_what_to_write() {
    let group = group(&DRONES, None, None);
    let (_, source) = source(&group, &SNAPSHOT, "Publiekszaken").expect("a draft");
    let article = parsed(&source, FALLBACK_CATEGORY);
    assert_eq!(article.department, "Publiekszaken");
    assert_eq!(article.body, NO_REPLY_BODY);
}

#[test]
fn personal_data_is_masked_completely_and_a_long_reply_is_cut_to_the_limit() {
    let texts = [
        "mijn bsn is 111222333 mag ik een drone",
        "drone vliegen mag dat",
        "drone in het park",
    ];
    let long = "woord ".repeat(MAX_BODY_WORDS + 20);
    let group = group(&texts, Some(&long), None);
    let (_, source) = source(&group, &SNAPSHOT, "Publiekszaken").expect("a draft");
    assert!(!source.contains("333"), "{source}");
    let article = parsed(&source, FALLBACK_CATEGORY);
    assert!(
        article.questions[0].contains("•••"),
        "{:?}",
        article.questions
    );
    assert_eq!(article.body.split_whitespace().count(), MAX_BODY_WORDS);
    assert!(article.body.ends_with('…'));
}

#[test]
fn a_group_with_too_few_distinct_questions_is_refused() {
    let group = group(&[DRONES[0], DRONES[0], DRONES[1]], None, None);
    assert!(matches!(
        source(&group, &SNAPSHOT, "Publiekszaken"),
        Err(DraftError::TooFewQuestions(2))
    ));
}

/// What becomes content keeps neither a number nor a name the message introduces.
#[test]
fn content_masks_numbers_and_introduced_names() {
    assert_eq!(
        as_content("Mijn naam is Fatima el Amrani, mag ik een kano te water laten?"),
        "Mijn naam is •••••• •• ••••••, mag ik een kano te water laten?"
    );
    assert_eq!(
        as_content("bsn ••••••782 namens mevrouw Jansen"),
        "bsn ••••••••• namens mevrouw ••••••"
    );
    // A word for a person without a name stays.
    assert_eq!(
        as_content("mijn zoon wil een kano te water laten"),
        "mijn zoon wil een kano te water laten"
    );
}
