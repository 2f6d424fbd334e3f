//! `eval FILE --with OTHER --folds | --fit PATH`: the confidence model, fitted and measured
//! out-of-fold on two labelled files.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use vraagbaak::config::Config;
use vraagbaak::eval::{self, Outcome, folds};
use vraagbaak::search::{Pipeline, Settings, Snapshot, today};

/// Folds for the k-fold figures.
const FOLDS: usize = 5;
/// Random splits for the repeated k-fold figures.
const SPLITS: usize = 20;

/// What to print besides the figures, and how.
pub(super) struct Output {
    pub json: bool,
    /// The rows answered confidently and wrongly in the repeated splits.
    pub show_misses: bool,
}

pub(super) fn cross_validate(
    config: &Config,
    files: [&Path; 2],
    kb_dir: &Path,
    Output { json, show_misses }: Output,
    fit: Option<&Path>,
) -> Result<ExitCode> {
    let threshold = config.bot.min_confidence;
    let kb = super::load_kb(kb_dir)?;
    let snapshot = Snapshot::build_from(
        kb,
        &Settings {
            pipeline: Pipeline::FULL,
            site_url: config.site_url.clone(),
        },
    )?;
    let today = today();
    let mut runs: Vec<(String, Vec<Outcome>)> = Vec::new();
    for file in files {
        let cases = eval::read_cases(file)?;
        let (outcomes, _) = eval::run(&snapshot, &cases, threshold, today);
        let name = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        runs.push((name, outcomes));
    }
    let [(a_name, a), (b_name, b)] =
        <[_; 2]>::try_from(runs).map_err(|_| anyhow::anyhow!("expected two labelled files"))?;
    if let Some(path) = fit {
        let model = folds::fit(a.iter().chain(&b));
        std::fs::write(path, model.to_rust())
            .with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote the fitted confidence model to {}", path.display());
    }
    let lines = folds::report((&a_name, &a), (&b_name, &b), FOLDS, threshold);
    let repeated = folds::repeated((&a_name, &a), (&b_name, &b), FOLDS, SPLITS, threshold);
    if json {
        let report = serde_json::json!({ "lines": lines, "repeated": repeated });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "confidence model, bot threshold {threshold:.2}, {FOLDS} folds; words: {}\n",
        vraagbaak::search::dictionary::describe()
    );
    println!(
        "{:<32} {:<14} {:>6} {:>6} {:>9} {:>8} {:>12}",
        "fitted", "tested on", "hit@1", "hit@3", "bot prec", "bot cov", "'-' confid."
    );
    for line in &lines {
        let f = &line.figures;
        println!(
            "{:<32} {:<14} {:>6.3} {:>6.3} {:>9.3} {:>8.3} {:>8} / {:<3}",
            line.how,
            line.set,
            f.hit_at_1,
            f.hit_at_3,
            f.bot_precision,
            f.bot_coverage,
            f.no_article_confident,
            f.no_article
        );
    }
    println!(
        "\n{FOLDS}-fold within the union over {SPLITS} random splits (mean; precision's range):"
    );
    for r in &repeated {
        println!(
            "{:<14} bot prec {:.3} ({:.3}–{:.3})  bot cov {:.3}  '-' confid. {:.1} / {}",
            r.set,
            r.precision_mean,
            r.precision_min,
            r.precision_max,
            r.coverage_mean,
            r.no_article_confident_mean,
            r.no_article
        );
    }
    if show_misses {
        for r in &repeated {
            println!(
                "\n{}: answered confidently and wrongly (in how many of the {SPLITS} splits)",
                r.set
            );
            for row in &r.wrong {
                let expected = match row.expected.is_empty() {
                    true => "-".to_string(),
                    false => row.expected.join(","),
                };
                println!(
                    "{:>3}  line {:<4} {} -> {} (expected {})",
                    row.splits, row.line, row.message, row.answered, expected
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
