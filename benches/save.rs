//! Save-to-live: from an editor's save (validation, atomic write with fsync, the revision,
//! the article replaced in the index in place and swapped in) until suggestions use the new
//! text, as `Chat::save_article` returns only then; and until the exact rebuild of the whole
//! knowledge base that follows in the background is in service. On the sample KB and on the
//! synthetic 10,000-article KB.
//!
//! `cargo bench --bench save -- [sample|10k] [saves]` prints medians and p99; no criterion,
//! as each exact rebuild at 10k is seconds long. Each save waits for the previous exact
//! rebuild, so the figures are those of an editor saving now and then.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Notify;
use vraagbaak::chat::editing::Edit;
use vraagbaak::chat::{Chat, Hub, system_clock};
use vraagbaak::config::Config;
use vraagbaak::kb::write::{self, Expected};
use vraagbaak::search::{Engine, Pipeline};
use vraagbaak::store::Store;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let which = args.first().map_or("sample", String::as_str);
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = common::sample();
    let (kb, saves) = match which {
        "10k" => (common::large(&sample), 10),
        _ => (sample, 50),
    };
    let saves = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(saves);
    let kb_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb");
    let synonyms = std::fs::read_to_string(kb_dir.join("synonyms.txt")).unwrap_or_default();
    vraagbaak::kb::synthetic::write(&kb, dir.path(), &synonyms).expect("KB written");
    let settings = common::settings(Pipeline::FULL);
    let engine = Arc::new(Engine::open(dir.path(), settings).expect("KB opens"));
    let id = kb.articles[0].id.clone();
    drop(kb);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let chat = Chat {
        store: Store::open_in_memory().expect("store"),
        engine,
        hub: Hub::default(),
        config: Arc::new(Config::default()),
        clock: system_clock(),
        outbox: Arc::new(Notify::new()),
        media: Arc::new(Notify::new()),
    };
    // The stages a save waits for, once each: reading and validating every file, and a
    // reload that finds nothing changed (the same read plus the content hash).
    let started = Instant::now();
    let loaded = vraagbaak::kb::load(dir.path()).expect("KB loads");
    let load = started.elapsed();
    drop(loaded);
    let started = Instant::now();
    assert!(!chat.engine.reload().expect("reloads").changed);
    println!(
        "{which}: kb::load {:.1} ms, unchanged reload {:.1} ms, last build {:.1} ms",
        ms(load),
        ms(started.elapsed()),
        ms(chat.engine.snapshot().build_time),
    );
    let current = write::read(dir.path(), &id)
        .expect("read")
        .expect("article");
    let (original, mut version) = (current.source, current.version);
    let mut times: Vec<Duration> = Vec::with_capacity(saves);
    let mut exact_times: Vec<Duration> = Vec::with_capacity(saves);
    let mut in_place_times: Vec<Duration> = Vec::with_capacity(saves);
    for round in 0..saves {
        // A word of its own per round (letters: the tokenizer drops numbers), so the check
        // below sees this save's text and no other.
        let word = format!("bewerking{}", letters(round));
        let source = format!("{}\nBijgewerkt: {word}.\n", original.trim_end());
        let started = Instant::now();
        let edited = runtime
            .block_on(chat.save_article(Edit {
                id: &id,
                source: &source,
                expected: Expected::Version(version),
                author: "bench",
                comment: "",
                draft: false,
            }))
            .expect("saved");
        times.push(started.elapsed());
        match edited.reload {
            Some(Ok(ref r)) if r.changed => in_place_times.push(r.build_time),
            ref other => panic!("not live: {other:?}"),
        }
        // The check inside the loop: suggestions use the new text (not timed).
        let checking = Instant::now();
        let top = chat.engine.suggest(&word, 1).top().map(|s| s.id.clone());
        assert_eq!(top.as_deref(), Some(id.as_str()), "live");
        let check = checking.elapsed();
        chat.engine.settle();
        exact_times.push(started.elapsed() - check);
        assert!(
            chat.engine.snapshot().exact,
            "the exact rebuild is in service"
        );
        version = edited.version;
    }
    report(&format!("save-to-live {which}"), saves, times);
    report(&format!("save-to-exact {which}"), saves, exact_times);
    report(&format!("of which in place {which}"), saves, in_place_times);
}

/// Prints the median and p99 of `times`.
fn report(what: &str, saves: usize, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: {saves} saves, median {:.1} ms, p99 {:.1} ms (min {:.1}, max {:.1})",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(times[0]),
        ms(times[times.len() - 1]),
    );
}

/// `n` in letters: a, b, ..., z, ba, bb, ...
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
