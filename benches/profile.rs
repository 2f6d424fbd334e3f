//! A release driver for profiling and checking `Snapshot::suggest`.
//!
//! A bench target without a harness, so it builds with the benches' profile and never runs
//! under plain `cargo bench` (it then prints its usage and exits):
//! - `cargo bench --bench profile -- loop sample 20 [FILE...]` runs every message of the files
//!   (by default the dev set) through `suggest` 20 times (for `perf record`), and prints the
//!   time per message;
//! - `cargo bench --bench profile -- build 10k 5` builds the snapshot 5 more times (for
//!   `perf record` on the index build), and prints the time per build;
//! - `... -- cold sample ROUNDS FILE...` runs the files' messages once each on a fresh
//!   snapshot, ROUNDS times, as `vraagbaak eval` times them, and prints the median and p99 per
//!   message and the slowest messages (median over the rounds);
//! - `... -- dump 10k FILE...` prints every suggestion (id, exact score and confidence bits,
//!   matched words, evidence) for every message of the labelled files, on a fixed date: two
//!   dumps are byte-identical exactly when a change kept the results.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use url::Url;
use vraagbaak::kb::{self, KnowledgeBase};
use vraagbaak::search::{Pipeline, Settings, Snapshot};

fn main() -> anyhow::Result<()> {
    // `cargo bench` appends `--bench` to the arguments it passes.
    let args: Vec<String> = (std::env::args().skip(1))
        .filter(|a| a != "--bench")
        .collect();
    let [mode, kb_name, rest @ ..] = args.as_slice() else {
        println!(
            "usage: cargo bench --bench profile -- loop|build|cold|dump sample|10k [ROUNDS] [FILE...]"
        );
        return Ok(());
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sample = kb::load(&root.join("kb"))?;
    let kb: KnowledgeBase = match kb_name.as_str() {
        "sample" => sample,
        "10k" => common::large(&sample),
        other => anyhow::bail!("unknown knowledge base {other:?}: use sample or 10k"),
    };
    let settings = Settings {
        pipeline: Pipeline::FULL,
        site_url: Url::parse("https://www.dijkstede.example")?,
    };
    let snapshot = Snapshot::build(&kb, &settings)?;
    let day = NaiveDate::from_ymd_opt(2026, 12, 1).ok_or_else(|| anyhow::anyhow!("date"))?;
    match mode.as_str() {
        "loop" => {
            let rounds: usize = rest.first().map_or(Ok(20), |r| r.parse())?;
            let files: Vec<PathBuf> = match rest.get(1..) {
                Some(files) if !files.is_empty() => files.iter().map(PathBuf::from).collect(),
                _ => vec![root.join("tests/data/dev.tsv")],
            };
            let messages = messages(&files)?;
            let started = Instant::now();
            let mut shown = 0;
            for _ in 0..rounds {
                for message in &messages {
                    shown += snapshot.suggest(message, 5, day).suggestions.len();
                }
            }
            let per = started.elapsed().as_secs_f64() * 1e6 / (rounds * messages.len()) as f64;
            println!("{per:.1} µs per message ({shown} suggestions)");
        }
        "build" => {
            let rounds: usize = rest.first().map_or(Ok(5), |r| r.parse())?;
            let started = Instant::now();
            for _ in 0..rounds {
                let rebuilt = Snapshot::build(&kb, &settings)?;
                anyhow::ensure!(rebuilt.articles.len() == kb.articles.len(), "articles lost");
            }
            let per = started.elapsed().as_secs_f64() * 1e3 / rounds.max(1) as f64;
            println!(
                "{per:.1} ms per build of {} articles, {} term weights made up front",
                kb.articles.len(),
                snapshot.index.weights.len()
            );
        }
        "cold" => {
            let (rounds, files) = match rest {
                [rounds, files @ ..] => (rounds.parse::<usize>()?, files),
                [] => anyhow::bail!("cold needs ROUNDS and at least one FILE"),
            };
            let files: Vec<PathBuf> = files.iter().map(PathBuf::from).collect();
            let messages = messages(&files)?;
            anyhow::ensure!(!messages.is_empty(), "no messages in {files:?}");
            // times[m][r]: message m in round r, in µs.
            let mut times = vec![Vec::with_capacity(rounds); messages.len()];
            for _ in 0..rounds.max(1) {
                let fresh = Snapshot::build(&kb, &settings)?;
                for (message, times) in messages.iter().zip(&mut times) {
                    let started = Instant::now();
                    std::hint::black_box(fresh.suggest(message, 5, day));
                    times.push(started.elapsed().as_secs_f64() * 1e6);
                }
            }
            let mut all: Vec<f64> = times.iter().flatten().copied().collect();
            all.sort_by(f64::total_cmp);
            let at = |q: f64| all[((all.len() - 1) as f64 * q).round() as usize];
            println!(
                "{} messages x {} rounds: median {:.1} µs, p90 {:.1} µs, p99 {:.1} µs",
                messages.len(),
                rounds,
                at(0.5),
                at(0.9),
                at(0.99)
            );
            let mut slowest: Vec<(f64, &String)> = times
                .iter_mut()
                .zip(&messages)
                .map(|(t, m)| {
                    t.sort_by(f64::total_cmp);
                    (t[t.len() / 2], m)
                })
                .collect();
            slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
            for (median, message) in slowest.iter().take(15) {
                println!("{median:8.1} µs  {message}");
            }
        }
        "dump" => {
            let files: Vec<PathBuf> = rest.iter().map(PathBuf::from).collect();
            for message in messages(&files)? {
                println!("# {message}");
                for s in snapshot.suggest(&message, 5, day).suggestions {
                    println!(
                        "{} {:08x} {:08x} bot={} {:?} {:?} {:?} {:?}",
                        s.id,
                        s.score.to_bits(),
                        s.confidence.to_bits(),
                        s.bot,
                        s.matched,
                        s.evidence,
                        s.answer,
                        s.links
                            .iter()
                            .map(|l| (&l.title, &l.url))
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        other => anyhow::bail!("unknown mode {other:?}: use loop, build or dump"),
    }
    Ok(())
}

fn messages(files: &[PathBuf]) -> anyhow::Result<Vec<String>> {
    let mut messages = Vec::new();
    for file in files {
        messages.extend(
            vraagbaak::eval::read_cases(file)?
                .into_iter()
                .map(|c| c.message),
        );
    }
    Ok(messages)
}
