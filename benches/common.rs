//! Shared fixtures for the benchmarks: the sample KB, the dev-set messages and a seeded
//! 10,000-article KB generated from the sample's vocabulary.

#![allow(dead_code)]

/// The binary's allocator (`src/main.rs`), so the benches measure what the server runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fs;
use std::path::Path;
use std::time::Instant;

use url::Url;
use vraagbaak::kb::{self, KnowledgeBase};
use vraagbaak::search::{Pipeline, Settings};

pub const SEED: u64 = 42;
pub const LARGE: usize = 10_000;

pub fn sample() -> KnowledgeBase {
    kb::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")).expect("sample KB is valid")
}

pub fn large(sample: &KnowledgeBase) -> KnowledgeBase {
    kb::synthetic::generate(sample, LARGE, SEED)
}

pub fn messages() -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv");
    vraagbaak::eval::read_cases(&path)
        .expect("dev set")
        .into_iter()
        .map(|c| c.message)
        .collect()
}

pub fn settings(pipeline: Pipeline) -> Settings {
    Settings {
        pipeline,
        site_url: Url::parse("https://www.dijkstede.example").expect("valid URL"),
    }
}

/// Median and p99 of `run` over `rounds` passes, in microseconds; printed next to criterion's
/// figures because the targets are stated as p99.
pub fn percentiles(label: &str, rounds: usize, mut run: impl FnMut(usize)) {
    let mut micros = Vec::new();
    for round in 0..rounds {
        let started = Instant::now();
        run(round);
        micros.push(started.elapsed().as_secs_f64() * 1e6);
    }
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label}: median {:.0} µs, p99 {:.0} µs over {rounds} runs",
        at(0.5),
        at(0.99)
    );
}

/// Copies a knowledge-base folder, so a bench can edit its files.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}
