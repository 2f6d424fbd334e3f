//! The page's charts, made from the summary with the captions of their tables.

use std::collections::HashMap;

use chrono::Datelike;

use super::Names;
use super::charts::{self, BarRow, Chart, Series};
use super::tables::{self, Table};
use crate::store::reports::Summary;

/// Every chart of the page, as HTML, by the slug of the table it goes with.
pub(super) fn charts(
    summary: &Summary,
    names: &Names,
    tables: &[Table],
) -> HashMap<&'static str, String> {
    let mut charts = HashMap::new();
    // Day and month suffice within one year; a longer period shows the year too.
    let format = if summary.period.from.year() == summary.period.to.year() {
        "%d-%m"
    } else {
        "%d-%m-%y"
    };
    let days: Vec<String> = (summary.volume.days.iter())
        .map(|d| d.date.format(format).to_string())
        .collect();
    let series: Vec<Series> = (names.channels.iter())
        .map(|c| Series {
            name: tables::channel_label(c),
            values: (summary.volume.days.iter())
                .map(|d| d.by_channel.get(c).map_or(0, |v| v.conversations))
                .collect(),
        })
        .collect();
    let caption = |slug: &str| {
        (tables.iter())
            .find(|t| t.slug == slug)
            .map_or_else(String::new, |t| t.caption.clone())
    };
    let per_day = caption("per-dag");
    charts.insert(
        "per-dag",
        charts::stacked_bars(
            &Chart {
                id: "grafiek-per-dag",
                title: "Nieuwe gesprekken per dag",
                caption: &per_day,
                unit: "gesprekken",
            },
            &days,
            &series,
        ),
    );
    let hours = caption("uur-van-de-week");
    charts.insert(
        "uur-van-de-week",
        charts::heatmap(
            &Chart {
                id: "grafiek-uur-van-de-week",
                title: "Berichten van inwoners per weekdag en uur",
                caption: &hours,
                unit: "berichten",
            },
            &summary.volume.heatmap,
        ),
    );
    let f = &summary.first_response;
    let times = |pairs: &[(&str, Option<i64>)]| -> Vec<BarRow> {
        (pairs.iter())
            .filter_map(|&(label, secs)| {
                secs.map(|s| BarRow {
                    label: label.to_string(),
                    value: s as f64,
                    shown: tables::duration(s),
                })
            })
            .collect()
    };
    charts.insert(
        "eerste-reactie",
        charts::horizontal_bars(
            &Chart {
                id: "grafiek-eerste-reactie",
                title: "Eerste reactie: mediaan en p90",
                caption: "Tijd tot de eerste reactie van een medewerker",
                unit: "tijden",
            },
            &times(&[
                ("Mediaan, kloktijd", f.p50_s),
                ("p90, kloktijd", f.p90_s),
                ("Mediaan, kantoortijd", f.p50_office_min.map(|m| m * 60)),
                ("p90, kantoortijd", f.p90_office_min.map(|m| m * 60)),
            ]),
            ("Maat", "Tijd"),
        ),
    );
    let r = &summary.resolution;
    charts.insert(
        "afhandeltijd",
        charts::horizontal_bars(
            &Chart {
                id: "grafiek-afhandeltijd",
                title: "Afhandeltijd: mediaan en p90",
                caption: "Tijd van begin tot eerste keer gesloten",
                unit: "tijden",
            },
            &times(&[("Mediaan", r.p50_s), ("p90", r.p90_s)]),
            ("Maat", "Tijd"),
        ),
    );
    let top: Vec<BarRow> = (summary.suggestions.top_articles.iter())
        .map(|a| BarRow {
            label: names
                .titles
                .get(&a.article_id)
                .cloned()
                .unwrap_or_else(|| a.article_id.clone()),
            value: a.used as f64,
            shown: a.used.to_string(),
        })
        .collect();
    charts.insert(
        "artikelen",
        charts::horizontal_bars(
            &Chart {
                id: "grafiek-artikelen",
                title: "Meest gebruikte artikelen",
                caption: "Top 20 artikelen: hoe vaak een antwoord ze gebruikte",
                unit: "artikelen",
            },
            &top,
            ("Artikel", "Gebruikt"),
        ),
    );
    let labels: Vec<BarRow> = (summary.labels.iter())
        .map(|l| BarRow {
            label: l.label.clone(),
            value: l.conversations as f64,
            shown: l.conversations.to_string(),
        })
        .collect();
    charts.insert(
        "labels",
        charts::horizontal_bars(
            &Chart {
                id: "grafiek-labels",
                title: "Meest gebruikte labels",
                caption: "Labels: aantal gesprekken",
                unit: "labels",
            },
            &labels,
            ("Label", "Gesprekken"),
        ),
    );
    charts
}
