//! "Probeer een vraag": the article as an editor is writing it, searched against the whole
//! knowledge base before it is saved.
//!
//! A throwaway [`Snapshot`] is built from the knowledge base on disk with the draft article
//! replaced (or added); nothing of it reaches the live engine. Building an index is blocking
//! work: callers run these functions inside `spawn_blocking`.

use std::collections::HashSet;
use std::path::Path;

use chrono::NaiveDate;

use crate::kb::{self, Article};
use crate::search::analysis::analyze;
use crate::search::confidence::{FEATURE_COUNT, FEATURE_NAMES, FITTED};
use crate::search::index::Part;
use crate::search::query::QueryPlan;
use crate::search::{SearchError, Settings, Snapshot, Suggestion};
use crate::web::pages::confidence_percent;

/// How deep an example question's rank is looked for.
pub const RANKED: usize = 10;
/// How many articles the free box shows.
pub const TOP: usize = 5;

/// What each confidence input means, in the order of [`FEATURE_NAMES`].
const INPUT_LABELS: [&str; FEATURE_COUNT] = [
    "Dekking: hoeveel van het bericht het artikel verklaart",
    "Voorsprong op het volgende artikel",
    "Sterkte van de score",
    "Aandeel gevonden woorden",
    "Het belangrijkste woord ontbreekt",
    "Gevraagd onderdeel (kosten, wanneer, waar …) ontbreekt",
    "Aandeel woorden die de kennisbank niet kent",
    "Bericht van één woord",
    "Het belangrijkste woord staat er maar half in (een deel van de samenstelling)",
    "Het bericht lijkt meer op een vraag die het artikel niet beantwoordt dan op een voorbeeldvraag",
];

/// The knowledge base on disk with `article` in place of the article with its id (or added),
/// indexed like the live `snapshot`. Other articles with problems are left out, as a reload
/// would refuse them anyway.
pub fn with_draft(
    kb_dir: &Path,
    live: &Snapshot,
    article: &Article,
) -> Result<Snapshot, SearchError> {
    let (mut kb, _problems) = kb::load_with_problems(kb_dir)?;
    kb.content_hash = None;
    match kb.articles.iter_mut().find(|a| a.id == article.id) {
        Some(existing) => *existing = article.clone(),
        None => kb.articles.push(article.clone()),
    }
    let settings = Settings {
        pipeline: live.pipeline,
        site_url: live.site_url.clone(),
    };
    Snapshot::build(&kb, &settings)
}

/// The date to try the article on: today, or the nearest day it is valid (a seasonal article
/// is not suggested outside its dates).
pub fn try_date(article: &Article, today: NaiveDate) -> NaiveDate {
    match (article.valid_from, article.valid_until) {
        (Some(from), _) if today < from => from,
        (_, Some(until)) if today > until => until,
        _ => today,
    }
}

/// Where one example question of the article ranks.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionRank {
    pub question: String,
    /// 1-based; `None` when it is not in the first [`RANKED`].
    pub rank: Option<usize>,
    /// The article that comes first when it is not this one: `(id, title, confidence %)`.
    pub winner: Option<(String, String, u32)>,
}

impl QuestionRank {
    /// Another article wins this question: a conflict, or a duplicate of that article.
    pub fn conflict(&self) -> bool {
        self.winner.is_some()
    }
}

/// How each of `article`'s example questions ranks in `snapshot` on `date`.
pub fn rank_questions(
    snapshot: &Snapshot,
    article: &Article,
    date: NaiveDate,
) -> Vec<QuestionRank> {
    (article.questions.iter())
        .map(|question| {
            let found = snapshot.suggest(question, RANKED, date).suggestions;
            let rank = found.iter().position(|s| s.id == article.id).map(|r| r + 1);
            let winner = found.first().filter(|s| s.id != article.id).map(|s| {
                (
                    s.id.clone(),
                    s.title.clone(),
                    confidence_percent(s.confidence),
                )
            });
            QuestionRank {
                question: question.clone(),
                rank,
                winner,
            }
        })
        .collect()
}

/// One article in the free box, with why it was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Explained {
    pub id: String,
    pub title: String,
    pub confidence: u32,
    /// The message's words found in each part of the article: `(part, words)`.
    pub fields: Vec<(&'static str, String)>,
    /// What the confidence was computed from.
    pub inputs: Vec<Input>,
}

/// One input of the confidence model.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub name: &'static str,
    pub label: &'static str,
    pub value: String,
    /// The input times its weight: what it adds to (or takes from) the confidence.
    pub effect: String,
}

/// The top [`TOP`] articles for `message` on `date`, each with why.
pub fn explain(snapshot: &Snapshot, message: &str, date: NaiveDate) -> Vec<Explained> {
    let plan = QueryPlan::new(snapshot, message);
    (snapshot.suggest(message, TOP, date).suggestions.iter())
        .filter_map(|s| {
            let article = snapshot.article(&s.id)?;
            Some(Explained {
                id: s.id.clone(),
                title: s.title.clone(),
                confidence: confidence_percent(s.confidence),
                fields: matched_per_part(snapshot, &plan, article),
                inputs: inputs(s),
            })
        })
        .collect()
}

/// The message's words found in each part of the article, by the same analysis the index
/// uses; parts without any are left out.
fn matched_per_part(
    snapshot: &Snapshot,
    plan: &QueryPlan,
    article: &Article,
) -> Vec<(&'static str, String)> {
    let mut analyzer = snapshot.analyzer.clone();
    Part::ALL
        .into_iter()
        .filter_map(|part| {
            let terms: HashSet<String> = analyze(&mut analyzer, &part.text(article))
                .into_iter()
                .map(|(_, term)| term)
                .collect();
            let words: Vec<&str> = (plan.words.iter())
                .filter(|w| w.terms.iter().any(|t| terms.contains(&t.term)))
                .map(|w| w.text.as_str())
                .collect();
            (!words.is_empty()).then(|| (part_label(part), words.join(", ")))
        })
        .collect()
}

fn part_label(part: Part) -> &'static str {
    match part {
        Part::Title => "Titel",
        Part::Questions => "Voorbeeldvragen",
        Part::Keywords => "Trefwoorden en tags",
        Part::Body => "Antwoord",
    }
}

fn inputs(suggestion: &Suggestion) -> Vec<Input> {
    let features = suggestion.evidence.features();
    (0..FEATURE_COUNT)
        .map(|i| Input {
            name: FEATURE_NAMES[i],
            label: INPUT_LABELS[i],
            value: format!("{:.2}", features[i]),
            effect: format!("{:+.2}", features[i] * FITTED.weights[i]),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{KnowledgeBase, load};
    use crate::search::Pipeline;

    fn sample() -> (KnowledgeBase, Snapshot) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
        let kb = load(&dir).expect("the sample KB is valid");
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: url::Url::parse("https://www.dijkstede.example").expect("url"),
        };
        let snapshot = Snapshot::build(&kb, &settings).expect("index");
        (kb, snapshot)
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 2).expect("date")
    }

    #[test]
    fn a_copy_of_an_article_loses_its_questions_to_the_original() {
        let (kb, live) = sample();
        let original = kb.article("afvalpas").expect("afvalpas");
        let mut copy = original.clone();
        copy.id = "afvalpas-kopie".into();
        copy.title = "Pasje voor de container".into();
        copy.questions = vec![original.questions[0].clone(), "wat is een kliko".into()];
        let snapshot = with_draft(&kb.dir, &live, &copy).expect("index");
        assert_eq!(snapshot.articles.len(), live.articles.len() + 1);
        let ranks = rank_questions(&snapshot, &copy, day());
        assert!(ranks.iter().any(QuestionRank::conflict), "{ranks:?}");
        let own = rank_questions(&snapshot, original, day());
        assert!(own.iter().filter(|r| r.rank == Some(1)).count() > own.len() / 2);
    }

    #[test]
    fn the_free_box_says_which_words_matched_where_and_the_inputs() {
        let (_, live) = sample();
        let explained = explain(&live, "ik ben mijn afvalpas kwijt", day());
        assert!(!explained.is_empty() && explained.len() <= TOP);
        let top = &explained[0];
        assert_eq!(top.id, "afvalpas");
        assert!(
            top.fields
                .iter()
                .any(|(part, words)| *part == "Titel" && words.contains("afvalpas")),
            "{:?}",
            top.fields
        );
        assert_eq!(top.inputs.len(), FEATURE_COUNT);
        assert_eq!(top.inputs[0].name, "coverage");
    }

    #[test]
    fn a_seasonal_article_is_tried_on_a_day_it_is_valid() {
        let (kb, _) = sample();
        let mut article = kb.articles[0].clone();
        article.valid_from = NaiveDate::from_ymd_opt(2026, 12, 15);
        article.valid_until = NaiveDate::from_ymd_opt(2027, 1, 31);
        assert_eq!(
            try_date(&article, day()),
            NaiveDate::from_ymd_opt(2026, 12, 15).expect("date")
        );
        let late = NaiveDate::from_ymd_opt(2027, 3, 1).expect("date");
        assert_eq!(
            try_date(&article, late),
            NaiveDate::from_ymd_opt(2027, 1, 31).expect("date")
        );
        let inside = NaiveDate::from_ymd_opt(2027, 1, 2).expect("date");
        assert_eq!(try_date(&article, inside), inside);
    }
}
