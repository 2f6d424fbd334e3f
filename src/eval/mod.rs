//! Measuring suggestion quality on labelled messages (`message<TAB>expected ids` or `-`).

pub mod folds;

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

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
            ranked,
            rank,
        });
    }
    (outcomes, Latency::of(micros))
}

/// Figures per category of the (first) expected article; `-` rows under "(geen artikel)".
pub fn by_category(snapshot: &Snapshot, outcomes: &[Outcome]) -> BTreeMap<String, Figures> {
    let mut groups: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for outcome in outcomes {
        let category = match outcome.expected.first() {
            None => "(geen artikel)".to_string(),
            Some(id) => snapshot
                .article(id)
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

/// What the bot does with each labelled message as the first message of a conversation while
/// the office is closed (so that `outside_office_hours` and `always` are both active).
#[derive(Debug, Clone, Serialize)]
pub struct BotReport {
    pub messages: usize,
    /// Messages the bot answered with a content article by itself.
    pub answered: usize,
    /// Of those, how many with an expected article.
    pub answered_right: usize,
    /// Messages that have an article, by what the bot did.
    pub with_article: BTreeMap<&'static str, usize>,
    /// Messages without an article (`-`), by what the bot did.
    pub without_article: BTreeMap<&'static str, usize>,
    /// Wrong automatic answers: (line, message, article sent).
    pub wrong: Vec<(usize, String, String)>,
}

impl BotReport {
    pub fn answered_share(&self) -> f64 {
        ratio(self.answered, self.messages)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.answered_right, self.answered)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Runs the bot policy (privacy guard, intents, confident answers) over every case.
pub fn bot_report(
    snapshot: &Snapshot,
    cases: &[Case],
    config: &crate::config::Config,
    today: NaiveDate,
) -> BotReport {
    use crate::chat::bot::{self, Action, Situation, Text};
    use crate::chat::privacy;
    use crate::config::BotMode;

    let mut report = BotReport {
        messages: cases.len(),
        answered: 0,
        answered_right: 0,
        with_article: BTreeMap::new(),
        without_article: BTreeMap::new(),
        wrong: Vec::new(),
    };
    for case in cases {
        let screened = privacy::screen(&case.message, &config.privacy);
        let suggestions = snapshot
            .suggest(&screened.text, 3, today)
            .mark(config.bot.min_confidence);
        let answerable = bot::answerable(&suggestions);
        let situation = Situation {
            // The report is about what the bot does when it is on.
            mode: match config.bot.mode {
                BotMode::Off => BotMode::Always,
                mode => mode,
            },
            office_open: false,
            intent: bot::intent(&screened.text),
            awaiting_feedback: false,
            personal_data: !screened.findings.is_empty(),
            answerable,
            notice_sent_for: None,
            period: "closed",
        };
        let actions = bot::decide(&situation, &config.bot.privacy_article);
        let outcome = actions
            .iter()
            .find_map(|action| match action {
                Action::SendArticle {
                    ask_feedback: false,
                    ..
                } => Some("privacy answer"),
                Action::SendArticle { article_id, .. } => {
                    report.answered += 1;
                    if case.expected.contains(article_id) {
                        report.answered_right += 1;
                    } else {
                        report
                            .wrong
                            .push((case.line, case.message.clone(), article_id.clone()));
                    }
                    Some("answered with an article")
                }
                Action::Say(Text::Handover) => Some("handed over (asked for a person)"),
                Action::Say(Text::Greeting) => Some("greeting"),
                Action::Say(Text::Thanks) => Some("thanks"),
                Action::Say(Text::Identity) => Some("'I am the digital assistant'"),
                Action::Notice => Some("away text"),
                _ => None,
            })
            .unwrap_or("nothing");
        let tally = if case.expected.is_empty() {
            &mut report.without_article
        } else {
            &mut report.with_article
        };
        *tally.entry(outcome).or_default() += 1;
    }
    report
}
