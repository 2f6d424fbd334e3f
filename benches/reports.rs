//! The reports' summary at scale: 200,000 synthetic conversations (about a million messages)
//! over a year, generated once into a temporary data directory with `store::generate`, then
//! the summary for a month and for the whole year, as `GET /api/v1/reports/summary` computes
//! it (the target is ≤ 2 s), and the month's CSV.
//!
//! `cargo bench --bench reports -- [conversations] [rounds]`; `VRAAGBAAK_BENCH_DATA=DIR`
//! keeps the generated store in DIR and reuses it on the next run.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use chrono::NaiveDate;
use vraagbaak::chat::hours::OfficeHours;
use vraagbaak::store::Store;
use vraagbaak::store::generate::{self, Plan};
use vraagbaak::store::reports::{self, Filter};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let conversations = args.first().and_then(|n| n.parse().ok()).unwrap_or(200_000);
    let rounds = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(7);
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = std::env::var_os("VRAAGBAAK_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| temp.path().to_path_buf());
    let store = Store::open(&dir).expect("store");
    let hours = OfficeHours::default();
    let stored: i64 = store
        .blocking(|c| Ok(c.query_row("SELECT COUNT(*) FROM conversations", [], |r| r.get(0))?))
        .expect("count");
    if stored == 0 {
        let plan = Plan {
            conversations,
            seed: 42,
            from: NaiveDate::from_ymd_opt(2025, 12, 1).expect("date"),
            days: 365,
        };
        let started = Instant::now();
        let generated = store
            .blocking(|c| generate::generate(c, &plan, &hours))
            .expect("generate");
        println!(
            "generated {} conversations, {} messages in {:.1} s",
            generated.conversations,
            generated.messages,
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing {stored} conversations in {}", dir.display());
    }
    let now = chrono::Utc::now();
    let month = Filter::parse(Some("2026-03-01"), Some("2026-03-31"), None, None).expect("month");
    let year = Filter::parse(Some("2025-12-01"), Some("2026-11-30"), None, None).expect("year");
    let whatsapp_year = Filter::parse(
        Some("2025-12-01"),
        Some("2026-11-30"),
        Some("whatsapp"),
        None,
    )
    .expect("year on WhatsApp");
    for (label, filter) in [
        ("summary, month", &month),
        ("summary, year", &year),
        ("summary, year, whatsapp", &whatsapp_year),
    ] {
        let summary = store
            .blocking(|c| reports::summary(c, filter, &hours, now))
            .expect("summary");
        println!(
            "{label}: {} conversations, {} resident messages, first response p50 {:?} s",
            summary.conversations, summary.messages_in, summary.first_response.p50_s
        );
        assert!(summary.conversations > 0, "the period has traffic");
        common::percentiles(label, rounds, |_| {
            let s = store
                .blocking(|c| reports::summary(c, filter, &hours, now))
                .expect("summary");
            assert_eq!(s.conversations, summary.conversations);
        });
    }
    common::percentiles("conversations.csv, month", rounds, |_| {
        let mut out = Vec::new();
        store
            .blocking(|c| {
                reports::write_conversations_csv(c, &month, &mut out)
                    .map_err(|e| vraagbaak::store::StoreError::Worker(e.to_string()))
            })
            .expect("csv");
        assert!(out.len() > 100);
    });
}
