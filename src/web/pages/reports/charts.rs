//! Charts for the reports page as server-rendered inline SVG, no JavaScript.
//!
//! Every chart is a `<figure>` whose `<svg role="img">` carries a `<title>` and a `<desc>`
//! (read by screen readers), a `<figcaption>`, and beside it a `<table>` with the very same
//! numbers, so nothing is told by colour or shape alone. Colours meet WCAG AA: bars and cells
//! have at least 3:1 against white, and text on a heatmap cell picks black or white, whichever
//! contrasts more (always at least 4.5:1). All text passes through [`escape`].

use std::fmt::Write as _;

use pulldown_cmark_escape::escape_html;

/// What a chart is called and says about itself.
pub struct Chart<'a> {
    /// A prefix for the element ids; unique on the page.
    pub id: &'a str,
    /// The SVG's `<title>`: what is shown, short.
    pub title: &'a str,
    /// The `<figcaption>` and the table's `<caption>`.
    pub caption: &'a str,
    /// What a value counts, in the plural ("gesprekken"), for the description.
    pub unit: &'a str,
}

/// One stacked part of a bar chart, e.g. a channel, with a value per category.
pub struct Series {
    pub name: String,
    pub values: Vec<u64>,
}

/// One bar of a horizontal bar chart.
pub struct BarRow {
    pub label: String,
    pub value: f64,
    /// The value as people read it ("3 min", "42 %").
    pub shown: String,
}

/// Series colours: each has at least 3:1 contrast against the white background.
const PALETTE: [&str; 6] = [
    "#0b5394", "#b45309", "#1e7b34", "#6a3d9a", "#b3261e", "#455a64",
];

/// The heatmap's steps, light to dark (ColorBrewer "Blues").
const HEAT: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

const INK: &str = "#1d2733";
const GRID: &str = "#d9dee4";

/// The days of the week as the heatmap rows name them, Monday first.
pub(crate) use crate::chat::hours::words::DAY_NAMES as WEEKDAYS;

/// `text` safe inside HTML and SVG, in element content and in double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = escape_html(&mut out, text);
    out
}

/// Bars per category (days), stacked per series (channels), with a y axis of round numbers.
pub fn stacked_bars(chart: &Chart, categories: &[String], series: &[Series]) -> String {
    let totals: Vec<u64> = (0..categories.len())
        .map(|i| series.iter().map(|s| value_at(s, i)).sum())
        .collect();
    let (width, plot_top, plot_height, left) = (720.0, 12.0, 190.0, 48.0);
    let plot_width = width - left - 8.0;
    let legend = series.len() > 1;
    let height = plot_top + plot_height + 28.0 + if legend { 26.0 } else { 0.0 };
    let (step, top) = axis(totals.iter().copied().max().unwrap_or(0));
    let y = |v: f64| plot_top + plot_height - v / top * plot_height;

    let mut svg = String::new();
    let mut v = 0.0;
    while v <= top {
        let _ = write!(
            svg,
            r#"<line x1="{left}" x2="{width}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{INK}">{v}</text>"#,
            y = y(v),
            tx = left - 6.0,
            ty = y(v) + 4.0,
        );
        v += step;
    }
    let band = plot_width / categories.len().max(1) as f64;
    let bar = (band * 0.8).max(1.0);
    let label_every = categories.len().div_ceil(12).max(1);
    for (i, category) in categories.iter().enumerate() {
        let x = left + band * i as f64 + (band - bar) / 2.0;
        let mut base = 0.0;
        for (s, part) in series.iter().enumerate() {
            let value = value_at(part, i) as f64;
            if value == 0.0 {
                continue;
            }
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{ry:.1}" width="{bar:.1}" height="{h:.1}" fill="{fill}"><title>{c}, {name}: {value}</title></rect>"#,
                ry = y(base + value),
                h = value / top * plot_height,
                fill = PALETTE[s % PALETTE.len()],
                c = escape(category),
                name = escape(&part.name),
            );
            base += value;
        }
        if i % label_every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{ly}" text-anchor="middle" font-size="11" fill="{INK}">{c}</text>"#,
                cx = left + band * (i as f64 + 0.5),
                ly = plot_top + plot_height + 16.0,
                c = escape(category),
            );
        }
    }
    if legend {
        let ly = plot_top + plot_height + 34.0;
        let mut lx = left;
        for (s, part) in series.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<rect x="{lx}" y="{ry}" width="12" height="12" fill="{fill}"/><text x="{tx}" y="{ty}" font-size="12" fill="{INK}">{name}</text>"#,
                ry = ly - 10.0,
                fill = PALETTE[s % PALETTE.len()],
                tx = lx + 16.0,
                ty = ly,
                name = escape(&part.name),
            );
            lx += 28.0 + 7.0 * part.name.chars().count() as f64;
        }
    }
    let desc = match totals
        .iter()
        .enumerate()
        .max_by_key(|(i, t)| (**t, usize::MAX - i))
    {
        Some((i, &most)) if most > 0 => format!(
            "Staafdiagram over {} dagen, {} {} in totaal; de meeste op {}: {most}.",
            categories.len(),
            totals.iter().sum::<u64>(),
            chart.unit,
            categories[i],
        ),
        _ => format!("Geen {} in deze periode.", chart.unit),
    };

    let mut table = String::from("<thead><tr><th scope=\"col\">Dag</th>");
    for part in series {
        let _ = write!(
            table,
            r#"<th scope="col" class="num">{}</th>"#,
            escape(&part.name)
        );
    }
    table.push_str("<th scope=\"col\" class=\"num\">Totaal</th></tr></thead><tbody>");
    for (i, category) in categories.iter().enumerate() {
        let _ = write!(table, r#"<tr><th scope="row">{}</th>"#, escape(category));
        for part in series {
            let _ = write!(table, r#"<td class="num">{}</td>"#, value_at(part, i));
        }
        let _ = write!(table, r#"<td class="num">{}</td></tr>"#, totals[i]);
    }
    table.push_str("</tbody>");
    figure(chart, width, height, &desc, &svg, &table)
}

/// A 7 × 24 grid, Monday to Sunday by hour; every non-empty cell shows its number.
pub fn heatmap(chart: &Chart, cells: &[[u64; 24]; 7]) -> String {
    let (left, top, cell_w, cell_h) = (76.0, 18.0, 26.0, 24.0);
    let width = left + 24.0 * cell_w + 4.0;
    let height = top + 7.0 * cell_h + 4.0;
    let max = cells.iter().flatten().copied().max().unwrap_or(0);
    let mut svg = String::new();
    for hour in (0..24).step_by(3) {
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="12" text-anchor="middle" font-size="11" fill="{INK}">{hour}:00</text>"#,
            x = left + cell_w * (hour as f64 + 0.5),
        );
    }
    for (d, row) in cells.iter().enumerate() {
        let y = top + cell_h * d as f64;
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="11" fill="{INK}">{day}</text>"#,
            tx = left - 6.0,
            ty = y + cell_h / 2.0 + 4.0,
            day = WEEKDAYS[d],
        );
        for (h, &n) in row.iter().enumerate() {
            let fill = heat(n, max);
            let x = left + cell_w * h as f64;
            let _ = write!(
                svg,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{hh:.1}" fill="{fill}" stroke="white"><title>{day} {h}:00–{h}:59: {n}</title></rect>"#,
                w = cell_w,
                hh = cell_h,
                day = WEEKDAYS[d],
            );
            if n > 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{cx:.1}" y="{cy:.1}" text-anchor="middle" font-size="10" fill="{ink}">{shown}</text>"#,
                    cx = x + cell_w / 2.0,
                    cy = y + cell_h / 2.0 + 3.5,
                    ink = text_on(fill),
                    shown = compact(n),
                );
            }
        }
    }
    let total: u64 = cells.iter().flatten().sum();
    let desc = match busiest(cells) {
        Some((d, h, n)) => format!(
            "Raster van 7 dagen bij 24 uur, {total} {} in totaal; het drukst op {} om {h}:00 ({n}).",
            chart.unit, WEEKDAYS[d]
        ),
        None => format!("Geen {} in deze periode.", chart.unit),
    };

    let mut table = String::from("<thead><tr><th scope=\"col\">Dag</th>");
    for hour in 0..24 {
        let _ = write!(table, r#"<th scope="col" class="num">{hour}</th>"#);
    }
    table.push_str("</tr></thead><tbody>");
    for (d, row) in cells.iter().enumerate() {
        let _ = write!(table, r#"<tr><th scope="row">{}</th>"#, WEEKDAYS[d]);
        for n in row {
            let _ = write!(table, r#"<td class="num">{n}</td>"#);
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody>");
    figure(chart, width, height, &desc, &svg, &table)
}

/// Horizontal bars, longest value full width, each labelled and with its shown value.
/// `headings` name the table's two columns.
pub fn horizontal_bars(chart: &Chart, rows: &[BarRow], headings: (&str, &str)) -> String {
    let (left, right, bar_h, gap) = (230.0, 90.0, 18.0, 8.0);
    let width = 720.0;
    let height = (rows.len().max(1) as f64) * (bar_h + gap) + gap;
    let max = rows.iter().map(|r| r.value).fold(0.0, f64::max);
    let mut svg = String::new();
    for (i, row) in rows.iter().enumerate() {
        let y = gap + (bar_h + gap) * i as f64;
        let length = if max > 0.0 {
            (row.value.max(0.0) / max * (width - left - right)).max(1.0)
        } else {
            0.0
        };
        let _ = write!(
            svg,
            r#"<text x="{tx}" y="{ty:.1}" text-anchor="end" font-size="12" fill="{INK}">{label}</text><rect x="{left}" y="{y:.1}" width="{length:.1}" height="{bar_h}" fill="{fill}"/><text x="{vx:.1}" y="{ty:.1}" font-size="12" fill="{INK}">{shown}</text>"#,
            tx = left - 8.0,
            ty = y + bar_h - 4.0,
            label = escape(&shorten(&row.label, 34)),
            fill = PALETTE[0],
            vx = left + length + 6.0,
            shown = escape(&row.shown),
        );
    }
    let desc = match rows.iter().max_by(|a, b| a.value.total_cmp(&b.value)) {
        Some(top) if !rows.is_empty() => format!(
            "Liggende staven voor {} {}; de grootste: {} ({}).",
            rows.len(),
            chart.unit,
            top.label,
            top.shown
        ),
        _ => format!("Geen {} in deze periode.", chart.unit),
    };

    let mut table = format!(
        r#"<thead><tr><th scope="col">{}</th><th scope="col" class="num">{}</th></tr></thead><tbody>"#,
        escape(headings.0),
        escape(headings.1)
    );
    for row in rows {
        let _ = write!(
            table,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td></tr>"#,
            escape(&row.label),
            escape(&row.shown)
        );
    }
    if rows.is_empty() {
        table.push_str(r#"<tr><td colspan="2">Geen gegevens</td></tr>"#);
    }
    table.push_str("</tbody>");
    figure(chart, width, height, &desc, &svg, &table)
}

/// The figure (SVG with title and description, caption) and the table beside it.
fn figure(chart: &Chart, width: f64, height: f64, desc: &str, svg: &str, table: &str) -> String {
    format!(
        r#"<div class="chart-pair"><figure class="chart" id="{id}"><svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height:.0}" aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{svg}</svg><figcaption>{caption}</figcaption></figure><div class="table-scroll" role="region" tabindex="0" aria-labelledby="{id}-table"><table class="figures"><caption id="{id}-table">{caption}</caption>{table}</table></div></div>"#,
        id = escape(chart.id),
        title = escape(chart.title),
        desc = escape(desc),
        caption = escape(chart.caption),
    )
}

fn value_at(series: &Series, i: usize) -> u64 {
    series.values.get(i).copied().unwrap_or(0)
}

/// A round step for about four grid lines, and the axis top (a multiple of it, ≥ 1).
pub fn axis(max: u64) -> (f64, f64) {
    let raw = (max as f64 / 4.0).max(1.0);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|f| f * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let top = ((max as f64 / step).ceil() * step).max(step);
    (step, top)
}

/// The heatmap colour for `n` of at most `max`: the lightest for nothing.
fn heat(n: u64, max: u64) -> &'static str {
    if n == 0 || max == 0 {
        return HEAT[0];
    }
    let steps = HEAT.len() - 1;
    let index = ((n as f64 / max as f64) * steps as f64).ceil() as usize;
    HEAT[index.clamp(1, steps)]
}

/// Black or white, whichever contrasts more with `fill` (`#rrggbb`).
pub fn text_on(fill: &str) -> &'static str {
    let l = luminance(fill);
    if contrast(l, 0.0) >= contrast(l, 1.0) {
        "#000"
    } else {
        "#fff"
    }
}

/// Relative luminance (WCAG 2) of `#rrggbb`.
pub fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c =
            u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0) as f64 / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// The WCAG contrast ratio of two luminances.
pub fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// A count that fits a heatmap cell: 12k from 10 000 on.
fn compact(n: u64) -> String {
    if n >= 10_000 {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

fn busiest(cells: &[[u64; 24]; 7]) -> Option<(usize, usize, u64)> {
    let mut best = None;
    for (d, row) in cells.iter().enumerate() {
        for (h, &n) in row.iter().enumerate() {
            if n > best.map_or(0, |(_, _, b)| b) {
                best = Some((d, h, n));
            }
        }
    }
    best
}

/// At most `max` characters, with an ellipsis when cut (the table has the full label).
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
#[path = "charts_tests.rs"]
mod tests;
