//! The confidence model: a logistic regression over the features of a match.
//!
//! The weights are fitted offline (`vraagbaak eval dev.tsv --with nearmiss.tsv --fit PATH`) on
//! labelled messages, where the label is whether the top article was right (a message no
//! article answers is always wrong), and stored in `confidence_weights.rs`, so the server
//! needs no training at start. Fitting is Newton's method (IRLS) with a small ridge penalty,
//! which keeps the few weights finite when a feature separates the labels perfectly.

/// The names of the features, in the order of [`Features`]; also the fitted file's comments.
pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "coverage",
    "lead",
    "ln_score",
    "matched_share",
    "head_missing",
    "aspect_missing",
    "unknown_share",
    "single_word",
    "head_partial",
    "not_answered",
];
pub const FEATURE_COUNT: usize = 10;

/// The features of one (message, article) match.
pub type Features = [f64; FEATURE_COUNT];

/// Fitted weights: `p = 1 / (1 + exp(-(bias + weights · features)))`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Model {
    pub bias: f64,
    pub weights: Features,
}

/// The model in service, fitted by `vraagbaak eval --fit`.
pub const FITTED: Model = include!("confidence_weights.rs");

/// The ridge penalty on the weights (not the bias).
const RIDGE: f64 = 0.5;
const NEWTON_STEPS: usize = 30;

impl Model {
    pub fn probability(&self, features: &Features) -> f64 {
        let z = self.bias
            + self
                .weights
                .iter()
                .zip(features)
                .map(|(w, x)| w * x)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Fits the model to labelled samples (features, whether the match was right).
    pub fn fit(samples: &[(Features, bool)]) -> Model {
        const N: usize = FEATURE_COUNT + 1;
        let row = |x: &Features| -> [f64; N] {
            let mut r = [1.0; N];
            r[1..].copy_from_slice(x);
            r
        };
        let mut beta = [0.0; N];
        for _ in 0..NEWTON_STEPS {
            // Gradient and Hessian of the penalised negative log-likelihood.
            let mut gradient = [0.0; N];
            let mut hessian = [[0.0; N]; N];
            for (x, right) in samples {
                let r = row(x);
                let z: f64 = r.iter().zip(&beta).map(|(a, b)| a * b).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let y = if *right { 1.0 } else { 0.0 };
                for i in 0..N {
                    gradient[i] += (p - y) * r[i];
                    for j in 0..N {
                        hessian[i][j] += p * (1.0 - p) * r[i] * r[j];
                    }
                }
            }
            for i in 1..N {
                gradient[i] += RIDGE * beta[i];
                hessian[i][i] += RIDGE;
            }
            hessian[0][0] += 1e-9;
            let Some(step) = solve(hessian, gradient) else {
                break;
            };
            let mut moved = 0.0_f64;
            for i in 0..N {
                beta[i] -= step[i];
                moved = moved.max(step[i].abs());
            }
            if moved < 1e-9 {
                break;
            }
        }
        let mut weights = [0.0; FEATURE_COUNT];
        weights.copy_from_slice(&beta[1..]);
        Model {
            bias: beta[0],
            weights,
        }
    }

    /// The model as the Rust expression `confidence_weights.rs` holds.
    pub fn to_rust(&self) -> String {
        let mut out = String::from(
            "// Fitted by `vraagbaak eval FILE --with OTHER --fit PATH`; do not edit by hand.\n\
             Model {\n",
        );
        out.push_str(&format!("    bias: {:.4},\n    weights: [\n", self.bias));
        for (name, w) in FEATURE_NAMES.iter().zip(&self.weights) {
            out.push_str(&format!("        {w:.4}, // {name}\n"));
        }
        out.push_str("    ],\n}\n");
        out
    }
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; `None` when singular.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let pivot = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..N {
            let factor = a[row][col] / pivot_row[col];
            for (value, pivot) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *value -= factor * pivot;
            }
            b[row] -= factor * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let rest: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(first: f64, right: bool) -> (Features, bool) {
        let mut x = [0.0; FEATURE_COUNT];
        x[0] = first;
        (x, right)
    }

    #[test]
    fn fitting_learns_that_a_feature_predicts_the_label() {
        // Right more often as the first feature grows, with overlap so the fit is finite.
        let samples: Vec<_> = (0..100)
            .map(|i| sample(i as f64 / 100.0, (i * 7919) % 100 < i))
            .collect();
        let model = Model::fit(&samples);
        assert!(model.weights[0] > 1.0, "{model:?}");
        let low = model.probability(&sample(0.1, false).0);
        let high = model.probability(&sample(0.9, false).0);
        assert!(low < 0.3 && high > 0.7, "low {low} high {high}");
    }

    #[test]
    fn solving_a_small_system_gives_its_solution() {
        let x = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).expect("regular");
        assert!(
            (x[0] - 0.8).abs() < 1e-9 && (x[1] - 1.4).abs() < 1e-9,
            "{x:?}"
        );
        assert!(solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]).is_none());
    }

    #[test]
    fn the_rust_form_lists_every_feature() {
        let text = FITTED.to_rust();
        assert!(
            FEATURE_NAMES.iter().all(|name| text.contains(name)),
            "{text}"
        );
    }
}
