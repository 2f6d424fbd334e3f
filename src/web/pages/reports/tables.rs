//! The report's tables, built once from the summary: the page shows them and each downloads
//! as `/rapportages/<slug>.csv` with the same rows.

use std::collections::{BTreeSet, HashMap};

use crate::store::reports::{ArticleUse, Summary};

use super::charts::WEEKDAYS;

/// One table: what the page shows and the CSV holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The CSV's name: `/rapportages/<slug>.csv`.
    pub slug: &'static str,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    fn new(slug: &'static str, caption: &str, columns: &[&str]) -> Table {
        Table {
            slug,
            caption: caption.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        self.rows.push(cells.into_iter().collect());
    }

    /// A two-column table of named figures.
    fn figures(slug: &'static str, caption: &str, rows: Vec<(&str, String)>) -> Table {
        let mut table = Table::new(slug, caption, &["Maat", "Waarde"]);
        for (name, value) in rows {
            table.row([name.to_string(), value]);
        }
        table
    }
}

/// The knowledge base's health now, beside the period's figures.
#[derive(Debug, Clone)]
pub struct KbHealth {
    pub articles: usize,
    /// Articles on the editors' "Controle nodig" list.
    pub needs_review: usize,
    /// Groups on the gap report ("Hiaten") over its default days.
    pub gap_groups: usize,
    pub gap_days: u32,
    /// When these were counted (they are kept a few minutes).
    pub counted_at: chrono::DateTime<chrono::Utc>,
}

/// The slug of the knowledge base's health, which does not depend on the period.
pub const KB_HEALTH: &str = "kennisbank";

/// The knowledge base's health as a table.
pub fn kb_health(kb: &KbHealth) -> Table {
    Table::figures(
        KB_HEALTH,
        &format!(
            "Gezondheid van de kennisbank (geteld om {}, niet per periode)",
            super::super::local_time(kb.counted_at)
        ),
        vec![
            ("Artikelen", kb.articles.to_string()),
            (
                "Controle nodig (zie Kennisbank)",
                kb.needs_review.to_string(),
            ),
            (
                &format!("Open hiaten, laatste {} dagen (zie Hiaten)", kb.gap_days),
                kb.gap_groups.to_string(),
            ),
        ],
    )
}

/// What the tables need besides the summary.
pub struct Context<'a> {
    /// Article id → title, for the articles the knowledge base has now.
    pub titles: &'a HashMap<String, String>,
    /// Department id → name.
    pub departments: &'a HashMap<String, String>,
    /// The channels on the page, in order (those of the summary, or the one filtered on).
    pub channels: &'a [String],
}

/// Every table of the report, in page order. Per agent is the last.
pub fn tables(summary: &Summary, cx: &Context<'_>) -> Vec<Table> {
    vec![
        per_day(summary, cx),
        per_channel(summary, cx),
        hour_of_week(summary),
        first_response(summary),
        resolution(summary),
        bot(summary),
        suggestions(summary),
        ranks(summary),
        articles(
            "artikelen",
            "Top 20 artikelen in antwoorden",
            &summary.suggestions.top_articles,
            cx,
        ),
        articles(
            "acceptatie",
            "Acceptatie per artikel dat als eerste werd voorgesteld",
            &summary.suggestions.acceptance,
            cx,
        ),
        labels(summary),
        forwards(summary, cx),
        agents(summary),
    ]
}

/// The channels a summary has traffic on, in name order.
pub fn channels(summary: &Summary) -> Vec<String> {
    let mut names: BTreeSet<String> = summary.by_channel.keys().cloned().collect();
    if let Some(c) = &summary.period.channel {
        names.insert(c.clone());
    }
    names.into_iter().collect()
}

/// A channel's label on the page.
pub fn channel_label(channel: &str) -> String {
    super::filter::CHANNELS
        .iter()
        .find(|(value, _)| *value == channel)
        .map_or_else(|| channel.to_string(), |(_, label)| label.to_string())
}

/// A date as agents read it: `02-12-2026`.
pub fn day(date: chrono::NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

fn per_day(summary: &Summary, cx: &Context<'_>) -> Table {
    let mut columns = vec!["Dag".to_string()];
    columns.extend(cx.channels.iter().map(|c| channel_label(c)));
    columns.push("Totaal".into());
    let mut table = Table::new("per-dag", "Nieuwe gesprekken per dag en kanaal", &[]);
    table.columns = columns;
    for d in &summary.volume.days {
        let mut cells = vec![day(d.date)];
        cells.extend(cx.channels.iter().map(|c| {
            d.by_channel
                .get(c)
                .map_or(0, |v| v.conversations)
                .to_string()
        }));
        cells.push(d.conversations.to_string());
        table.row(cells);
    }
    table
}

fn per_channel(summary: &Summary, cx: &Context<'_>) -> Table {
    let mut table = Table::new(
        "kanalen",
        "Gesprekken en berichten van inwoners per kanaal",
        &["Kanaal", "Gesprekken", "Berichten van inwoners"],
    );
    for c in cx.channels {
        let v = summary.by_channel.get(c).cloned().unwrap_or_default();
        table.row([
            channel_label(c),
            v.conversations.to_string(),
            v.messages_in.to_string(),
        ]);
    }
    table.row([
        "Totaal".to_string(),
        summary.conversations.to_string(),
        summary.messages_in.to_string(),
    ]);
    table
}

fn hour_of_week(summary: &Summary) -> Table {
    let mut columns = vec!["Dag".to_string()];
    columns.extend((0..24).map(|h| format!("{h}:00")));
    let mut table = Table::new(
        "uur-van-de-week",
        "Berichten van inwoners per weekdag en uur",
        &[],
    );
    table.columns = columns;
    for (d, row) in summary.volume.heatmap.iter().enumerate() {
        let mut cells = vec![WEEKDAYS[d].to_string()];
        cells.extend(row.iter().map(u64::to_string));
        table.row(cells);
    }
    table
}

fn first_response(summary: &Summary) -> Table {
    let f = &summary.first_response;
    Table::figures(
        "eerste-reactie",
        "Eerste reactie van een medewerker",
        vec![
            (
                "Gesprekken waarin een inwoner op een medewerker wachtte",
                f.waits.to_string(),
            ),
            ("Beantwoord door een medewerker", f.answered.to_string()),
            ("Gesloten zonder antwoord", f.closed_unanswered.to_string()),
            ("Wacht nog", f.waiting.to_string()),
            ("Mediaan (p50), kloktijd", seconds(f.p50_s)),
            ("p90, kloktijd", seconds(f.p90_s)),
            (
                "Mediaan (p50), kantoortijd",
                office_minutes(f.p50_office_min),
            ),
            ("p90, kantoortijd", office_minutes(f.p90_office_min)),
            ("Met een beloofde tijd", f.promised.to_string()),
            ("Binnen de belofte beantwoord", percent(f.within_promise)),
            ("Binnen 24 uur beantwoord", percent(f.within_24h)),
        ],
    )
}

fn resolution(summary: &Summary) -> Table {
    let r = &summary.resolution;
    Table::figures(
        "afhandeltijd",
        "Afhandeltijd: van begin tot eerste keer gesloten",
        vec![
            ("Gesloten", r.closed.to_string()),
            ("Nog open", r.open.to_string()),
            ("Mediaan (p50)", seconds(r.p50_s)),
            ("p90", seconds(r.p90_s)),
            ("Heropend na sluiten", r.reopened.to_string()),
            ("Aandeel heropend", percent(r.reopened_share)),
        ],
    )
}

fn bot(summary: &Summary) -> Table {
    let b = &summary.bot;
    Table::figures(
        "bot",
        "Het automatische antwoord (bot)",
        vec![
            ("Gesprekken met een botantwoord", b.handled.to_string()),
            (
                "Alleen door de bot geholpen (24 uur geen medewerker, geen ‘nee’)",
                b.resolved_alone.to_string(),
            ),
            ("Toch naar een medewerker", b.handed_over.to_string()),
            ("‘Ja, dit hielp’", b.helpful_yes.to_string()),
            ("‘Nee’", b.helpful_no.to_string()),
            ("Aandeel ‘ja’", percent(b.helpful_yes_share)),
            ("‘Bedoelt u …?’: ‘ja’", b.offers_yes.to_string()),
            ("‘Bedoelt u …?’: ‘nee’", b.offers_no.to_string()),
            (
                "Aandeel ‘ja’ op ‘Bedoelt u …?’",
                percent(b.offers_yes_share),
            ),
        ],
    )
}

fn suggestions(summary: &Summary) -> Table {
    let s = &summary.suggestions;
    Table::figures(
        "suggesties",
        "Antwoorden van medewerkers en de suggesties",
        vec![
            ("Antwoorden van medewerkers", s.replies.to_string()),
            ("Met een voorgesteld artikel", s.used.to_string()),
            ("… ongewijzigd verstuurd", s.unchanged.to_string()),
            ("… eerst bewerkt", s.edited.to_string()),
            ("Aandeel met een voorgesteld artikel", percent(s.share_used)),
            (
                "Met een artikel uit de zoekfunctie",
                s.via_search.to_string(),
            ),
        ],
    )
}

fn ranks(summary: &Summary) -> Table {
    let mut table = Table::new(
        "suggesties-rang",
        "Welke suggestie werd gebruikt (1 = de bovenste)",
        &["Rang", "Antwoorden"],
    );
    for r in &summary.suggestions.by_rank {
        table.row([r.rank.to_string(), r.replies.to_string()]);
    }
    table
}

fn articles(slug: &'static str, caption: &str, uses: &[ArticleUse], cx: &Context<'_>) -> Table {
    let mut table = Table::new(
        slug,
        caption,
        &[
            "Artikel",
            "Gebruikt",
            "Ongewijzigd",
            "Bewerkt",
            "Als eerste voorgesteld",
            "Daarna gebruikt",
            "Acceptatie",
        ],
    );
    for a in uses {
        table.row([
            cx.titles
                .get(&a.article_id)
                .cloned()
                .unwrap_or_else(|| a.article_id.clone()),
            a.used.to_string(),
            a.unchanged.to_string(),
            a.edited.to_string(),
            a.suggested_first.to_string(),
            a.accepted.to_string(),
            percent(a.acceptance),
        ]);
    }
    table
}

fn labels(summary: &Summary) -> Table {
    let mut table = Table::new("labels", "Meest gebruikte labels", &["Label", "Gesprekken"]);
    for l in &summary.labels {
        table.row([l.label.clone(), l.conversations.to_string()]);
    }
    table
}

fn forwards(summary: &Summary, cx: &Context<'_>) -> Table {
    let mut table = Table::new(
        "doorverwijzingen",
        "Aantal doorverwijzingen naar elke afdeling",
        &["Afdeling", "Doorverwijzingen"],
    );
    for f in &summary.forwards {
        let name = cx
            .departments
            .get(&f.department)
            .cloned()
            .unwrap_or_else(|| f.department.clone());
        table.row([name, f.forwards.to_string()]);
    }
    table
}

fn agents(summary: &Summary) -> Table {
    let mut table = Table::new(
        "medewerkers",
        "Gesprekken, antwoorden en eerste reactie per medewerker",
        &[
            "Medewerker",
            "Gesprekken",
            "Antwoorden",
            "Mediaan eerste reactie",
        ],
    );
    for a in &summary.agents {
        table.row([
            a.name.clone(),
            a.conversations.to_string(),
            a.replies.to_string(),
            seconds(a.median_first_response_s),
        ]);
    }
    table
}

/// A duration in seconds as people say it: "45 s", "3 min", "1 u 20 min", "2 d 4 u".
pub fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    let minutes = secs / 60;
    match (minutes / 60, minutes % 60) {
        (0, 0) => format!("{secs} s"),
        (0, m) => format!("{m} min"),
        (h, 0) if h < 48 => format!("{h} u"),
        (h, m) if h < 48 => format!("{h} u {m} min"),
        (h, _) => format!("{} d {} u", h / 24, h % 24),
    }
}

/// A duration, or a dash when there was nothing to measure.
pub fn seconds(secs: Option<i64>) -> String {
    secs.map_or_else(|| "–".into(), duration)
}

/// Office minutes ("95 min kantoortijd" reads as "1 u 35 min").
pub fn office_minutes(minutes: Option<i64>) -> String {
    minutes.map_or_else(|| "–".into(), |m| duration(m * 60))
}

/// A share (0–1) as a Dutch percentage with one decimal: "42,5%".
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(
        || "–".into(),
        |s| format!("{:.1}%", s * 100.0).replace('.', ","),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(180), "3 min");
        assert_eq!(duration(3600), "1 u");
        assert_eq!(duration(4800), "1 u 20 min");
        assert_eq!(duration(49 * 3600), "2 d 1 u");
        assert_eq!(seconds(None), "–");
        assert_eq!(office_minutes(Some(95)), "1 u 35 min");
    }

    #[test]
    fn shares_are_dutch_percentages() {
        assert_eq!(percent(Some(0.425)), "42,5%");
        assert_eq!(percent(Some(1.0)), "100,0%");
        assert_eq!(percent(None), "–");
    }
}
