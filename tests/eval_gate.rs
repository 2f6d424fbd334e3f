//! The quality gate: the sample KB must meet the targets on the development set.
//!
//! The development set lives outside the repository (`../shared/eval/dev.tsv`); a copy is kept
//! in `tests/data/dev.tsv` so the gate runs on a clean clone.

use std::path::Path;

use vraagbaak::config::DEFAULT_MIN_CONFIDENCE;
use vraagbaak::eval::{self, Figures};
use vraagbaak::search::{Pipeline, Snapshot, today};

use crate::common::{sample_kb_dir, settings};

fn figures(pipeline: Pipeline) -> Figures {
    let cases = eval::read_cases(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv"))
        .expect("dev set");
    let kb = vraagbaak::kb::load(&sample_kb_dir()).expect("sample KB");
    let snapshot = Snapshot::build(
        &kb,
        &vraagbaak::search::Settings {
            pipeline,
            ..settings()
        },
    )
    .expect("build");
    let (outcomes, _) = eval::run(&snapshot, &cases, DEFAULT_MIN_CONFIDENCE, today());
    Figures::of(&outcomes.iter().collect::<Vec<_>>())
}

#[test]
fn dev_set_meets_the_quality_targets() {
    let f = figures(Pipeline::FULL);
    assert!(f.answerable > 250, "the dev set was read: {f:?}");
    assert!(f.hit_at_1 >= 0.85, "hit@1 {f:?}");
    assert!(f.hit_at_3 >= 0.95, "hit@3 {f:?}");
    assert!(f.mrr_at_5 >= 0.90, "MRR@5 {f:?}");
    assert!(f.bot_precision >= 0.95, "bot precision {f:?}");
    assert!(f.bot_coverage >= 0.60, "bot coverage {f:?}");
    assert!(
        f.no_article_confident <= 2,
        "'-' rows answered confidently {f:?}"
    );
}

#[test]
fn dutch_analysis_beats_the_plain_baseline() {
    let full = figures(Pipeline::FULL);
    let baseline = figures(Pipeline::BASELINE);
    assert!(
        full.hit_at_1 > baseline.hit_at_1,
        "full {full:?} baseline {baseline:?}"
    );
    assert!(
        full.mrr_at_5 > baseline.mrr_at_5,
        "full {full:?} baseline {baseline:?}"
    );
}

#[test]
fn the_bot_on_the_dev_set_is_right_at_least_95_percent_of_the_time() {
    let cases = eval::read_cases(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv"))
        .expect("dev set");
    let kb = vraagbaak::kb::load(&sample_kb_dir()).expect("sample KB");
    let snapshot = Snapshot::build(&kb, &settings()).expect("build");
    let report = eval::bot_report(
        &snapshot,
        &cases,
        &vraagbaak::config::Config::default(),
        today(),
    );
    assert!(report.precision() >= 0.95, "bot precision {report:?}");
    assert!(
        report.answered_share() >= 0.60,
        "bot answers too little {report:?}"
    );
    assert_eq!(
        report.without_article.get("answered with an article"),
        None,
        "a message without an article got one {report:?}"
    );
}
