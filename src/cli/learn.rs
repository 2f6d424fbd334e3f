//! `eval --learn TRAIN TEST`: TEST's figures before and after the questions TRAIN teaches.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use vraagbaak::config::Config;
use vraagbaak::eval::{self, Figures, learn};
use vraagbaak::search::{Pipeline, Settings, today};

pub(super) fn evaluate(
    config: &Config,
    train: &Path,
    test: &Path,
    kb_dir: &Path,
    json: bool,
) -> Result<ExitCode> {
    let threshold = config.bot.min_confidence;
    let kb = super::load_kb(kb_dir)?;
    let settings = Settings {
        pipeline: Pipeline::FULL,
        site_url: config.site_url.clone(),
    };
    let train_cases = eval::read_cases(train)?;
    let test_cases = eval::read_cases(test)?;
    let report = learn::learn(
        &kb,
        &settings,
        &train_cases,
        &test_cases,
        threshold,
        config.bot.offer_confidence,
        today(),
    )?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "vraagbaak eval --learn: learned from {}, measured on {}; bot threshold {threshold:.2}",
        train.display(),
        test.display()
    );
    println!(
        "{} example questions proposed (expected article not first), {} questions an article \
         does not answer (no article, first suggestion at least bot.offer_confidence {:.2}); \
         {} accepted into {} articles\n",
        report.proposals,
        report.not_answered_proposals,
        config.bot.offer_confidence,
        report.accepted,
        report.articles
    );
    println!(
        "{:<8} {:>6} {:>6} {:>6} {:>9} {:>8} {:>11}",
        "", "hit@1", "hit@3", "MRR@5", "bot prec", "bot cov", "'-' confid."
    );
    for (name, f) in [("before", &report.before), ("after", &report.after)] {
        print_row(name, f);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_row(name: &str, f: &Figures) {
    println!(
        "{:<8} {:>6.3} {:>6.3} {:>6.3} {:>9.3} {:>8.3} {:>7} / {:<3}",
        name,
        f.hit_at_1,
        f.hit_at_3,
        f.mrr_at_5,
        f.bot_precision,
        f.bot_coverage,
        f.no_article_confident,
        f.no_article
    );
}
