//! Suggest latency over the dev-set messages, on the sample KB and on a synthetic 10k KB,
//! with exhaustive scoring and with tantivy's block-WAND.

mod common;

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use tantivy::collector::TopDocs;
use vraagbaak::search::query::QueryPlan;
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
            stages(&label, &snapshot, &messages);
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

/// Median time per message of each stage of `suggest`, run on its own: analysis with synonym
/// and typo expansion (`QueryPlan::new`), building the query, tantivy's search with
/// collection (the same top-6 `TopDocs` as block-WAND scoring), and the whole `suggest`;
/// what the whole costs beyond the three is evidence, confidence and the suggestions.
fn stages(label: &str, snapshot: &Snapshot, messages: &[String]) {
    let rounds = messages.len() * 3;
    let plans: Vec<QueryPlan> = (messages.iter())
        .map(|m| QueryPlan::new(snapshot, m))
        .collect();
    let median = |run: &mut dyn FnMut(usize)| {
        let mut micros: Vec<f64> = (0..rounds)
            .map(|i| {
                let started = Instant::now();
                run(i % messages.len());
                started.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        micros.sort_by(f64::total_cmp);
        micros[micros.len() / 2]
    };
    let analysis = median(&mut |i| {
        black_box(QueryPlan::new(snapshot, &messages[i]));
    });
    let building = median(&mut |i| {
        black_box(plans[i].to_query(snapshot));
    });
    let queries: Vec<_> = plans.iter().map(|p| p.to_query(snapshot)).collect();
    let top = TopDocs::with_limit(6).order_by_score();
    let search = median(&mut |i| {
        let hits = snapshot.index.searcher.search(queries[i].as_ref(), &top);
        black_box(hits.expect("search"));
    });
    let day = today();
    let whole = median(&mut |i| {
        black_box(snapshot.suggest(&messages[i], 5, day));
    });
    println!(
        "{label} stages (median µs): analysis+expansion {analysis:.0}, query {building:.0}, \
         search {search:.0}, whole suggest {whole:.0}"
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = bench
}
criterion_main!(benches);
