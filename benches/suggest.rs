//! Suggest latency over the dev-set messages, on the sample KB and on a synthetic 10k KB,
//! with exhaustive scoring and with tantivy's block-WAND.

mod common;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use vraagbaak::search::{Pipeline, Scoring, Snapshot, today};

fn bench(c: &mut Criterion) {
    let messages = common::messages();
    let sample = common::sample();
    let large = common::large(&sample);
    let day = today();
    for (kb_name, kb) in [("sample", &sample), ("10k", &large)] {
        for (scoring_name, scoring) in [
            ("exhaustive", Scoring::Exhaustive),
            ("block-wand", Scoring::BlockWand),
        ] {
            let pipeline = Pipeline {
                scoring,
                ..Pipeline::FULL
            };
            let snapshot = Snapshot::build(kb, &common::settings(pipeline)).expect("index builds");
            let label = format!("suggest/{kb_name}/{scoring_name}");
            common::percentiles(&label, messages.len() * 5, |i| {
                let result = snapshot.suggest(&messages[i % messages.len()], 5, day);
                black_box(result);
            });
            let mut next = 0;
            c.bench_function(&label, |b| {
                b.iter(|| {
                    next = (next + 1) % messages.len();
                    let result = snapshot.suggest(black_box(&messages[next]), 5, day);
                    // A check inside the loop: every message gets an answer object.
                    assert!(result.suggestions.len() <= 5);
                    result
                })
            });
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = bench
}
criterion_main!(benches);
