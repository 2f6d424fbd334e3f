//! Index build time of the sample KB and the synthetic 10k KB, and a one-article reload of
//! the sample KB from disk (what an editor's save triggers).

mod common;

use std::fs;

use criterion::{Criterion, criterion_group, criterion_main};
use vraagbaak::search::{Engine, Pipeline, Snapshot};

fn bench(c: &mut Criterion) {
    let sample = common::sample();
    let large = common::large(&sample);
    let settings = common::settings(Pipeline::FULL);
    c.bench_function("build/sample", |b| {
        b.iter(|| {
            let snapshot = Snapshot::build(&sample, &settings).expect("builds");
            assert_eq!(snapshot.articles.len(), sample.articles.len());
        })
    });
    let mut group = c.benchmark_group("build-10k");
    group.sample_size(10);
    group.bench_function("build/10k", |b| {
        b.iter(|| {
            let snapshot = Snapshot::build(&large, &settings).expect("builds");
            assert_eq!(snapshot.articles.len(), common::LARGE);
        })
    });
    group.finish();

    // Reload from disk after one article changed: load, validate and rebuild.
    let dir = tempfile::tempdir().expect("temp dir");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    common::copy_dir(&source, dir.path());
    let engine = Engine::open(dir.path(), settings.clone()).expect("opens");
    let article = dir.path().join("afval/glas.md");
    let original = fs::read_to_string(&article).expect("glas article");
    let mut round = 0u64;
    c.bench_function("reload/sample-one-article", |b| {
        b.iter(|| {
            round += 1;
            fs::write(&article, format!("{original}\nAangepast ({round}).\n")).expect("write");
            let report = engine.reload().expect("reloads");
            assert_eq!(report.articles, sample.articles.len());
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
