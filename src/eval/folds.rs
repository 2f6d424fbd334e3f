//! Fitting the confidence model on labelled outcomes, and measuring it out-of-fold.
//!
//! Ranking does not depend on the confidence, so one run of each labelled set is enough: its
//! outcomes keep the top article's [`crate::search::Evidence`], and a model fitted on some
//! outcomes re-scores the others. Every figure comes in two kinds:
//! - **cross-set**: fit on one set, test on the other;
//! - **k-fold**: split the rows into k folds (row `i` in fold `i % k`), fit on k-1, test on the
//!   one left out, and put the predictions of all folds together;
//! - **repeated k-fold**: the same over many random splits of the union of both sets, as means
//!   and ranges. One split of a few hundred rows moves a set's precision by a row or two
//!   depending on which rows share a fold; the mean over splits is the steadier estimate of
//!   what an unseen set gets, and the fairer one to set against the in-sample figure.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Serialize;

use super::{Figures, Outcome};
use crate::search::confidence::{Features, Model};

/// The rows a model can learn from: outcomes whose top article matched anything, with whether
/// it was the right one (always wrong for a message no article answers).
pub fn samples<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Vec<(Features, bool)> {
    outcomes
        .into_iter()
        .filter_map(|o| {
            let evidence = o.evidence.filter(|e| e.has_match())?;
            Some((evidence.features(), o.rank == Some(1)))
        })
        .collect()
}

/// Fits a model on the outcomes.
pub fn fit<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Model {
    Model::fit(&samples(outcomes))
}

/// The outcomes with their confidence recomputed by `model`.
pub fn rescored(outcomes: &[Outcome], model: &Model, threshold: f32) -> Vec<Outcome> {
    outcomes
        .iter()
        .map(|o| {
            let mut o = o.clone();
            o.top_confidence = o.evidence.map_or(0.0, |e| e.confidence_by(model));
            o.confident = o.top_confidence >= threshold;
            o
        })
        .collect()
}

fn figures(outcomes: &[Outcome]) -> Figures {
    Figures::of(&outcomes.iter().collect::<Vec<_>>())
}

/// Out-of-fold predictions for `outcomes` with `k` folds.
pub fn k_fold(outcomes: &[Outcome], k: usize, threshold: f32) -> Vec<Outcome> {
    let k = k.max(2);
    let folds: Vec<usize> = (0..outcomes.len()).map(|i| i % k).collect();
    k_fold_by(outcomes, &folds, k, threshold)
}

/// Out-of-fold predictions with row `i` in fold `folds[i]` (of `k`).
fn k_fold_by(outcomes: &[Outcome], folds: &[usize], k: usize, threshold: f32) -> Vec<Outcome> {
    let mut predicted = outcomes.to_vec();
    for fold in 0..k {
        let model = fit(outcomes
            .iter()
            .zip(folds)
            .filter(|&(_, &f)| f != fold)
            .map(|(o, _)| o));
        for (i, outcome) in outcomes.iter().enumerate() {
            if folds[i] == fold {
                predicted[i] =
                    rescored(std::slice::from_ref(outcome), &model, threshold).swap_remove(0);
            }
        }
    }
    predicted
}

/// A random split of `n` rows into `k` folds of equal size (give or take one), the same for
/// the same `seed`: the rows shuffled, then dealt out in turn.
fn shuffled_folds(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut StdRng::seed_from_u64(seed));
    let mut folds = vec![0; n];
    for (position, &row) in order.iter().enumerate() {
        folds[row] = position % k;
    }
    folds
}

/// One set's bot figures over repeated random k-fold splits.
#[derive(Debug, Clone, Serialize)]
pub struct RepeatedFigures {
    pub set: String,
    pub splits: usize,
    pub precision_mean: f64,
    pub precision_min: f64,
    pub precision_max: f64,
    pub coverage_mean: f64,
    /// `-` rows answered confidently, on average over the splits.
    pub no_article_confident_mean: f64,
    pub no_article: usize,
    /// The rows answered confidently and wrongly in at least one split, most often first.
    pub wrong: Vec<WrongRow>,
}

/// A row answered confidently with the wrong article (or with any article, for a `-` row)
/// in some of the repeated splits.
#[derive(Debug, Clone, Serialize)]
pub struct WrongRow {
    pub line: usize,
    pub message: String,
    pub expected: Vec<String>,
    /// The article it was answered with.
    pub answered: String,
    /// In how many splits.
    pub splits: usize,
}

/// The rows of `outcomes` answered confidently and wrongly in any of `runs` (each a run's
/// predictions for the same rows), most often first.
fn wrong_rows(outcomes: &[Outcome], runs: &[&[Outcome]]) -> Vec<WrongRow> {
    let mut rows: Vec<WrongRow> = (outcomes.iter().enumerate())
        .filter_map(|(i, o)| {
            let splits = (runs.iter())
                .filter(|run| run[i].confident && !run[i].confident_and_right())
                .count();
            (splits > 0).then(|| WrongRow {
                line: o.line,
                message: o.message.clone(),
                expected: o.expected.clone(),
                answered: o.ranked.first().cloned().unwrap_or_default(),
                splits,
            })
        })
        .collect();
    rows.sort_by(|a, b| b.splits.cmp(&a.splits).then(a.line.cmp(&b.line)));
    rows
}

/// `k`-fold over the union of `a` and `b`, for `splits` random splits: each set's bot figures
/// as means and the precision's range.
pub fn repeated(
    (a_name, a): (&str, &[Outcome]),
    (b_name, b): (&str, &[Outcome]),
    k: usize,
    splits: usize,
    threshold: f32,
) -> [RepeatedFigures; 2] {
    let k = k.max(2);
    let union: Vec<Outcome> = a.iter().chain(b).cloned().collect();
    let predictions: Vec<Vec<Outcome>> = (1..=splits.max(1) as u64)
        .map(|seed| k_fold_by(&union, &shuffled_folds(union.len(), k, seed), k, threshold))
        .collect();
    let (in_a, in_b): (Vec<&[Outcome]>, Vec<&[Outcome]>) =
        predictions.iter().map(|p| p.split_at(a.len())).unzip();
    let summary = |set: &str, outcomes: &[Outcome], in_set: &[&[Outcome]]| {
        let runs: Vec<Figures> = in_set.iter().map(|o| figures(o)).collect();
        let n = runs.len() as f64;
        let mean = |value: fn(&Figures) -> f64| runs.iter().map(value).sum::<f64>() / n;
        let precisions = runs.iter().map(|f| f.bot_precision);
        RepeatedFigures {
            set: set.to_string(),
            splits: runs.len(),
            precision_mean: mean(|f| f.bot_precision),
            precision_min: precisions.clone().fold(f64::INFINITY, f64::min),
            precision_max: precisions.fold(f64::NEG_INFINITY, f64::max),
            coverage_mean: mean(|f| f.bot_coverage),
            no_article_confident_mean: mean(|f| f.no_article_confident as f64),
            no_article: runs.first().map_or(0, |f| f.no_article),
            wrong: wrong_rows(outcomes, in_set),
        }
    };
    [summary(a_name, a, &in_a), summary(b_name, b, &in_b)]
}

/// One line of the cross-validation report.
#[derive(Debug, Clone, Serialize)]
pub struct FoldFigures {
    /// How the model was fitted and on what it was tested.
    pub how: String,
    pub set: String,
    pub figures: Figures,
}

/// Every figure for two sets `a` and `b`: in-sample (fit on both), cross-set, and `k`-fold
/// within each set and within their union.
pub fn report(
    (a_name, a): (&str, &[Outcome]),
    (b_name, b): (&str, &[Outcome]),
    k: usize,
    threshold: f32,
) -> Vec<FoldFigures> {
    let mut lines = Vec::new();
    let mut line = |how: String, set: &str, outcomes: &[Outcome]| {
        lines.push(FoldFigures {
            how,
            set: set.to_string(),
            figures: figures(outcomes),
        });
    };
    let both = fit(a.iter().chain(b));
    line(
        "in-sample (fit on both)".into(),
        a_name,
        &rescored(a, &both, threshold),
    );
    line(
        "in-sample (fit on both)".into(),
        b_name,
        &rescored(b, &both, threshold),
    );
    line(
        format!("fit on {b_name}"),
        a_name,
        &rescored(a, &fit(b), threshold),
    );
    line(
        format!("fit on {a_name}"),
        b_name,
        &rescored(b, &fit(a), threshold),
    );
    line(
        format!("{k}-fold within {a_name}"),
        a_name,
        &k_fold(a, k, threshold),
    );
    line(
        format!("{k}-fold within {b_name}"),
        b_name,
        &k_fold(b, k, threshold),
    );
    let union: Vec<Outcome> = a.iter().chain(b).cloned().collect();
    let predicted = k_fold(&union, k, threshold);
    let (in_a, in_b) = predicted.split_at(a.len());
    line(format!("{k}-fold within the union"), a_name, in_a);
    line(format!("{k}-fold within the union"), b_name, in_b);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Evidence;

    /// An outcome whose top article matched with this coverage, right or wrong.
    fn outcome(coverage: f32, right: bool) -> Outcome {
        Outcome {
            line: 0,
            message: String::new(),
            expected: vec!["a".into()],
            ranked: vec![if right { "a" } else { "b" }.into()],
            top_confidence: 0.0,
            confident: false,
            rank: right.then_some(1),
            evidence: Some(Evidence {
                score: 5.0,
                competitor: 4.0,
                coverage,
                words: 2,
                matched: 2,
                ..Evidence::default()
            }),
            unanswered: Vec::new(),
        }
    }

    #[test]
    fn every_row_is_predicted_by_a_model_that_did_not_see_it() {
        // Right exactly when coverage is high: a model fitted on the other folds learns that.
        let outcomes: Vec<Outcome> = (0..40)
            .map(|i| outcome(if i % 2 == 0 { 1.0 } else { 0.1 }, i % 2 == 0))
            .collect();
        let predicted = k_fold(&outcomes, 5, 0.5);
        assert_eq!(predicted.len(), outcomes.len());
        for (p, o) in predicted.iter().zip(&outcomes) {
            assert_eq!(p.confident, o.rank == Some(1), "{p:?}");
        }
    }

    #[test]
    fn shuffled_folds_are_balanced_and_differ_by_seed() {
        let folds = shuffled_folds(23, 5, 1);
        for fold in 0..5 {
            let size = folds.iter().filter(|&&f| f == fold).count();
            assert!(
                (4..=5).contains(&size),
                "fold {fold} has {size} rows: {folds:?}"
            );
        }
        assert_eq!(
            folds,
            shuffled_folds(23, 5, 1),
            "the same seed, the same split"
        );
        assert_ne!(folds, shuffled_folds(23, 5, 2));
        assert_ne!(folds, (0..23).map(|i| i % 5).collect::<Vec<_>>());
    }

    #[test]
    fn repeated_splits_predict_every_row_out_of_fold() {
        // As above: every split's models learn "right when coverage is high".
        let a: Vec<Outcome> = (0..30)
            .map(|i| outcome(if i % 2 == 0 { 1.0 } else { 0.1 }, i % 2 == 0))
            .collect();
        let b: Vec<Outcome> = (0..20)
            .map(|i| outcome(if i % 4 == 0 { 1.0 } else { 0.1 }, i % 4 == 0))
            .collect();
        let [in_a, in_b] = repeated(("a", &a), ("b", &b), 5, 4, 0.5);
        assert_eq!((in_a.splits, in_b.splits), (4, 4));
        assert_eq!(in_a.precision_min, 1.0, "{in_a:?}");
        assert_eq!(in_b.precision_max, 1.0, "{in_b:?}");
        // Every right row answered, and only those: coverage is the share of right rows.
        assert!((in_a.coverage_mean - 0.5).abs() < 1e-9, "{in_a:?}");
        assert!((in_b.coverage_mean - 0.25).abs() < 1e-9, "{in_b:?}");
        assert!(in_a.wrong.is_empty() && in_b.wrong.is_empty(), "{in_a:?}");
    }

    #[test]
    fn a_row_answered_wrongly_in_every_split_is_listed_with_its_count() {
        // High coverage but wrong, once among many high-coverage rows that are right: every
        // model answers it, wrongly.
        let mut a: Vec<Outcome> = (0..30)
            .map(|i| outcome(if i % 2 == 0 { 1.0 } else { 0.1 }, i % 2 == 0))
            .collect();
        a[7] = Outcome {
            line: 8,
            ..outcome(1.0, false)
        };
        let b: Vec<Outcome> = (0..10).map(|i| outcome(0.1, i > 10)).collect();
        let [in_a, in_b] = repeated(("a", &a), ("b", &b), 5, 3, 0.5);
        assert_eq!(in_a.wrong.len(), 1, "{in_a:?}");
        assert_eq!((in_a.wrong[0].line, in_a.wrong[0].splits), (8, 3));
        assert_eq!(in_a.wrong[0].answered, "b");
        assert!(in_b.wrong.is_empty(), "{in_b:?}");
    }

    #[test]
    fn rows_without_a_match_teach_nothing() {
        let mut empty = outcome(0.5, false);
        empty.evidence = None;
        assert_eq!(samples([&empty, &outcome(0.5, true)]).len(), 1);
    }
}
