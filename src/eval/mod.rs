//! Measuring suggestion quality on labelled messages (`message<TAB>expected ids` or `-`).
//!
//! ```text
//! mod.rs       reading the cases, ranking figures per pipeline and category, latency
//! bot.rs       what the bot policy does with each message: its answers and its offers
//! folds.rs     the confidence model out-of-fold
//! held_out.rs  the knowledge base's own example questions, each asked without it in the index
//! learn.rs     the learning loop: questions learned from one file, measured on another
//! ```

pub mod bot;
pub mod folds;
pub mod held_out;
pub mod learn;

pub use bot::{BotReport, OfferReport, bot_report, offer_sweep};

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::kb::Article;
use crate::search::features::Aspect;
use crate::search::{Evidence, Snapshot};
use chrono::NaiveDate;

/// One labelled message.
#[derive(Debug, Clone)]
pub struct Case {
    pub line: usize,
    pub message: String,
    /// Acceptable article ids; empty for "no article answers this" (`-`).
    pub expected: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Format {
        path: String,
        line: usize,
        message: String,
    },
}

/// Reads the TSV file; a header line starting with `message` is skipped.
pub fn read_cases(path: &Path) -> Result<Vec<Case>, EvalError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut cases = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() || (index == 0 && line.starts_with("message\t")) {
            continue;
        }
        let Some((message, expected)) = line.rsplit_once('\t') else {
            return Err(EvalError::Format {
                path: shown,
                line: index + 1,
                message: "expected `message<TAB>ids` (ids comma-separated, or `-`)".into(),
            });
        };
        let expected = match expected.trim() {
            "-" => Vec::new(),
            ids => ids
                .split(',')
                .map(|id| id.trim().to_string())
                .filter(|id| !id.is_empty())
                .collect(),
        };
        cases.push(Case {
            line: index + 1,
            message: message.to_string(),
            expected,
        });
    }
    Ok(cases)
}

/// The outcome for one case.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub line: usize,
    pub message: String,
    pub expected: Vec<String>,
    /// Ranked ids (top 5).
    pub ranked: Vec<String>,
    pub top_confidence: f32,
    pub confident: bool,
    /// 1-based rank of the first expected id within the top 5.
    pub rank: Option<usize>,
    /// What the top suggestion's confidence was computed from.
    pub evidence: Option<Evidence>,
    /// What the message asks that the top suggestion does not cover.
    pub unanswered: Vec<Aspect>,
}

impl Outcome {
    pub fn answerable(&self) -> bool {
        !self.expected.is_empty()
    }

    pub fn confident_and_right(&self) -> bool {
        self.confident && self.rank == Some(1)
    }
}

/// Aggregated figures for a set of outcomes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Figures {
    pub answerable: usize,
    pub no_article: usize,
    pub hit_at_1: f64,
    pub hit_at_3: f64,
    pub mrr_at_5: f64,
    /// Share of confident top answers that were right (a confident answer on a `-` row is wrong).
    pub bot_precision: f64,
    /// Share of answerable rows answered confidently and correctly.
    pub bot_coverage: f64,
    /// `-` rows that were answered confidently.
    pub no_article_confident: usize,
}

impl Figures {
    pub fn of(outcomes: &[&Outcome]) -> Figures {
        let answerable: Vec<&&Outcome> = outcomes.iter().filter(|o| o.answerable()).collect();
        let n = answerable.len().max(1) as f64;
        let share = |count: usize| count as f64 / n;
        let confident: Vec<&&Outcome> = outcomes.iter().filter(|o| o.confident).collect();
        let right = confident.iter().filter(|o| o.confident_and_right()).count();
        Figures {
            answerable: answerable.len(),
            no_article: outcomes.len() - answerable.len(),
            hit_at_1: share(answerable.iter().filter(|o| o.rank == Some(1)).count()),
            hit_at_3: share(
                answerable
                    .iter()
                    .filter(|o| o.rank.is_some_and(|r| r <= 3))
                    .count(),
            ),
            mrr_at_5: answerable
                .iter()
                .map(|o| o.rank.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / n,
            bot_precision: if confident.is_empty() {
                1.0
            } else {
                right as f64 / confident.len() as f64
            },
            bot_coverage: share(
                answerable
                    .iter()
                    .filter(|o| o.confident_and_right())
                    .count(),
            ),
            no_article_confident: outcomes
                .iter()
                .filter(|o| !o.answerable() && o.confident)
                .count(),
        }
    }
}

/// Per-message suggest latency over a run, in microseconds.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Latency {
    pub median_us: f64,
    pub p99_us: f64,
}

impl Latency {
    fn of(mut micros: Vec<f64>) -> Latency {
        if micros.is_empty() {
            return Latency::default();
        }
        micros.sort_by(f64::total_cmp);
        let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
        Latency {
            median_us: at(0.5),
            p99_us: at(0.99),
        }
    }
}

/// Runs every case against `snapshot`, timing each suggestion.
pub fn run(
    snapshot: &Snapshot,
    cases: &[Case],
    min_confidence: f32,
    today: NaiveDate,
) -> (Vec<Outcome>, Latency) {
    let (outcomes, micros) = run_timed(snapshot, cases, min_confidence, today);
    (outcomes, Latency::of(micros))
}

/// [`run`], with each suggestion's time in microseconds.
fn run_timed(
    snapshot: &Snapshot,
    cases: &[Case],
    min_confidence: f32,
    today: NaiveDate,
) -> (Vec<Outcome>, Vec<f64>) {
    let mut micros = Vec::with_capacity(cases.len());
    let mut outcomes = Vec::with_capacity(cases.len());
    for case in cases {
        let started = std::time::Instant::now();
        let result = snapshot
            .suggest(&case.message, 5, today)
            .mark(min_confidence);
        micros.push(started.elapsed().as_secs_f64() * 1e6);
        let ranked: Vec<String> = result.suggestions.iter().map(|s| s.id.clone()).collect();
        let rank = ranked
            .iter()
            .position(|id| case.expected.contains(id))
            .map(|p| p + 1);
        outcomes.push(Outcome {
            line: case.line,
            message: case.message.clone(),
            expected: case.expected.clone(),
            top_confidence: result.top().map_or(0.0, |s| s.confidence),
            confident: result.confident,
            evidence: result.top().map(|s| s.evidence),
            unanswered: result.top().map_or(Vec::new(), |s| s.unanswered.clone()),
            ranked,
            rank,
        });
    }
    (outcomes, micros)
}

/// Figures per category of the (first) expected article, found by `article` (a snapshot's or
/// a knowledge base's lookup by id); `-` rows under "(geen artikel)".
pub fn by_category<'a>(
    article: impl Fn(&str) -> Option<&'a Article>,
    outcomes: &[Outcome],
) -> BTreeMap<String, Figures> {
    let mut groups: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for outcome in outcomes {
        let category = match outcome.expected.first() {
            None => "(geen artikel)".to_string(),
            Some(id) => article(id)
                .map_or_else(|| "(onbekend id)".to_string(), |a| a.category().to_string()),
        };
        groups.entry(category).or_default().push(outcome);
    }
    groups
        .into_iter()
        .map(|(category, outcomes)| (category, Figures::of(&outcomes)))
        .collect()
}

/// Expected ids that no article has: a typo in the test file, or a missing article.
pub fn unknown_ids(snapshot: &Snapshot, cases: &[Case]) -> Vec<(usize, String)> {
    cases
        .iter()
        .flat_map(|case| case.expected.iter().map(move |id| (case.line, id)))
        .filter(|(_, id)| snapshot.article(id).is_none())
        .map(|(line, id)| (line, id.clone()))
        .collect()
}
