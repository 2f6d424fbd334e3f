//! Questions an article does not answer, matched word by word against a message.
//!
//! An article's subject words say little about whether it answers the detail a resident asks:
//! "wat kost een urngraf" shares its subject words with the article on graves, which gives no
//! price for an urn grave. Editors list such questions with the article (`not_answered`). A
//! message that asks what one of them asks, more closely than any of the article's own title
//! and example questions, is a question the article does not answer: the confidence counts it
//! against the match, and the agent's card names the question.
//!
//! Matching is word by word, through the same analysis as search (stems, compound parts,
//! synonyms, typo corrections), weighted by how specific each word is. Both directions count:
//! the message must hold most of the listed question ([`MIN_REVERSE`]), so that "wat kost een
//! graf" does not match "wat kost een urngraf", and the listed question must hold a fair share
//! of the message ([`MIN_FORWARD`]). Both were chosen on `dev.tsv` and `nearmiss.tsv` (the
//! README's "Quality" section has the figures).

use rustc_hash::FxHashMap as HashMap;

use super::engine::Snapshot;
use super::query::{Origin, QueryPlan, QueryWord};
use crate::kb::Article;

/// How much a match through a compound's part counts against a match of the word itself.
const PART_SHARE: f32 = 0.5;
/// The least share of a listed question's specificity the message must hold.
pub const MIN_REVERSE: f32 = 0.7;
/// The least share of the message's specificity the listed question must hold.
pub const MIN_FORWARD: f32 = 0.3;

/// An article's own questions and the questions it does not answer, analysed once per
/// snapshot. Only articles with questions they do not answer have them.
#[derive(Debug, Clone, Default)]
pub struct ArticleExamples {
    /// The title and the example questions.
    asked: Vec<ExampleQuestion>,
    not_answered: Vec<ExampleQuestion>,
}

impl ArticleExamples {
    pub fn new(snapshot: &Snapshot, article: &Article) -> Option<ArticleExamples> {
        if article.not_answered.is_empty() {
            return None;
        }
        let analysed = |texts: &mut dyn Iterator<Item = &String>| -> Vec<ExampleQuestion> {
            texts.map(|q| ExampleQuestion::new(snapshot, q)).collect()
        };
        Some(ArticleExamples {
            asked: analysed(&mut std::iter::once(&article.title).chain(&article.questions)),
            not_answered: analysed(&mut article.not_answered.iter()),
        })
    }

    /// The position in the article's `not_answered` of the question the message asks, if
    /// it asks one: the closest of those that pass both thresholds, when it is closer than
    /// the title and every example question.
    pub fn unanswered(&self, message: &MessageTerms) -> Option<usize> {
        let (position, closest) = (self.not_answered.iter().enumerate())
            .filter_map(|(i, q)| {
                let (forward, reverse) = message.similarity(q);
                (reverse >= MIN_REVERSE && forward >= MIN_FORWARD)
                    .then(|| (i, harmonic(forward, reverse)))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        let asked = (self.asked.iter())
            .map(|q| {
                let (forward, reverse) = message.similarity(q);
                harmonic(forward, reverse)
            })
            .fold(0.0, f32::max);
        (closest > asked).then_some(position)
    }
}

fn harmonic(a: f32, b: f32) -> f32 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

/// One question, analysed as a message would be.
#[derive(Debug, Clone, Default)]
struct ExampleQuestion {
    words: Vec<ExampleWord>,
}

#[derive(Debug, Clone)]
struct ExampleWord {
    /// The word's terms (its stem, compound parts, synonyms, typo corrections).
    terms: Vec<(String, Origin)>,
    specificity: f32,
}

impl ExampleQuestion {
    fn new(snapshot: &Snapshot, text: &str) -> ExampleQuestion {
        let plan = QueryPlan::new(snapshot, text);
        ExampleQuestion {
            words: (plan.words.iter())
                .map(|word| ExampleWord {
                    terms: word
                        .terms
                        .iter()
                        .map(|t| (t.term.clone(), t.origin))
                        .collect(),
                    specificity: word.specificity(snapshot),
                })
                .collect(),
        }
    }
}

/// A message's terms, for matching against example questions.
pub struct MessageTerms<'a> {
    words: &'a [QueryWord],
    specificity: &'a [f32],
    /// Each term of the message with the best share it matches at.
    terms: HashMap<&'a str, f32>,
}

fn share(origin: Origin) -> f32 {
    if origin == Origin::Part {
        PART_SHARE
    } else {
        1.0
    }
}

impl<'a> MessageTerms<'a> {
    pub fn new(plan: &'a QueryPlan, specificity: &'a [f32]) -> MessageTerms<'a> {
        let mut terms: HashMap<&str, f32> = HashMap::default();
        for term in plan.words.iter().flat_map(|w| &w.terms) {
            let best = terms.entry(term.term.as_str()).or_insert(0.0);
            *best = best.max(share(term.origin));
        }
        MessageTerms {
            words: &plan.words,
            specificity,
            terms,
        }
    }

    /// How much the message and `question` ask the same: the share of the message's
    /// specificity the question holds, and the share of the question's specificity the
    /// message holds, each in [0, 1].
    fn similarity(&self, question: &ExampleQuestion) -> (f32, f32) {
        let total: f32 = self.specificity.iter().sum();
        let mut forward = 0.0;
        for (word, specificity) in self.words.iter().zip(self.specificity) {
            let best = (word.terms.iter())
                .filter_map(|t| {
                    (question.words.iter())
                        .flat_map(|w| &w.terms)
                        .find(|(term, _)| *term == t.term)
                        .map(|(_, origin)| share(t.origin).min(share(*origin)))
                })
                .fold(0.0, f32::max);
            forward += specificity * best;
        }
        let question_total: f32 = question.words.iter().map(|w| w.specificity).sum();
        let mut reverse = 0.0;
        for word in &question.words {
            let best = (word.terms.iter())
                .filter_map(|(term, origin)| {
                    self.terms.get(term.as_str()).map(|s| s.min(share(*origin)))
                })
                .fold(0.0, f32::max);
            reverse += word.specificity * best;
        }
        let forward = if total > 0.0 { forward / total } else { 0.0 };
        let reverse = if question_total > 0.0 {
            reverse / question_total
        } else {
            0.0
        };
        (forward, reverse)
    }
}
