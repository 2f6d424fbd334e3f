//! Fitting the confidence model on labelled outcomes, and measuring it out-of-fold.
//!
//! Ranking does not depend on the confidence, so one run of each labelled set is enough: its
//! outcomes keep the top article's [`crate::search::Evidence`], and a model fitted on some
//! outcomes re-scores the others. Every figure comes in two kinds:
//! - **cross-set**: fit on one set, test on the other;
//! - **k-fold**: split the rows into k folds (row `i` in fold `i % k`), fit on k-1, test on the
//!   one left out, and put the predictions of all folds together.

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
    let mut predicted = outcomes.to_vec();
    for fold in 0..k {
        let model = fit(outcomes
            .iter()
            .enumerate()
            .filter(|(i, _)| i % k != fold)
            .map(|(_, o)| o));
        for (i, outcome) in outcomes.iter().enumerate().filter(|(i, _)| i % k == fold) {
            predicted[i] =
                rescored(std::slice::from_ref(outcome), &model, threshold).swap_remove(0);
        }
    }
    predicted
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
    fn rows_without_a_match_teach_nothing() {
        let mut empty = outcome(0.5, false);
        empty.evidence = None;
        assert_eq!(samples([&empty, &outcome(0.5, true)]).len(), 1);
    }
}
