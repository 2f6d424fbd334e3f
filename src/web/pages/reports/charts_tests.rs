//! The SVG the charts write: scales, empty data, one value, escaping, contrast.

use super::*;

const CHART: Chart = Chart {
    id: "volume",
    title: "Gesprekken per dag",
    caption: "Gesprekken per dag en kanaal",
    unit: "gesprekken",
};

fn days(n: usize) -> Vec<String> {
    (1..=n).map(|d| format!("{d:02}-12")).collect()
}

/// The numbers in `attr="…"` of every `<rect` that has a `<title>` (the data, not the legend).
fn bar_heights(svg: &str) -> Vec<f64> {
    svg.split("<rect ")
        .skip(1)
        .filter(|r| r.contains("<title>"))
        .map(|r| {
            let start = r.find("height=\"").expect("height") + 8;
            r[start..start + r[start..].find('"').expect("quote")]
                .parse()
                .expect("number")
        })
        .collect()
}

#[test]
fn the_axis_is_round_and_covers_the_largest_value() {
    assert_eq!(axis(0), (1.0, 1.0));
    assert_eq!(axis(1), (1.0, 1.0));
    assert_eq!(axis(3), (1.0, 3.0));
    assert_eq!(axis(7), (2.0, 8.0));
    assert_eq!(axis(45), (20.0, 60.0));
    assert_eq!(axis(100), (50.0, 100.0));
    assert_eq!(axis(1234), (500.0, 1500.0));
}

#[test]
fn bars_are_to_scale_and_stack_per_channel() {
    let series = [
        Series {
            name: "webchat".into(),
            values: vec![40, 0, 10],
        },
        Series {
            name: "whatsapp".into(),
            values: vec![20, 0, 0],
        },
    ];
    let html = stacked_bars(&CHART, &days(3), &series);
    // The axis runs to 60 (step 20) over 190 units: 40 → 126.7, 20 → 63.3, 10 → 31.7.
    assert_eq!(bar_heights(&html), [126.7, 63.3, 31.7]);
    assert!(html.contains("<title>01-12, whatsapp: 20</title>"));
    assert!(html.contains(">60</text>"), "the axis top is labelled");
    assert!(html.contains("<th scope=\"row\">01-12</th><td class=\"num\">40</td><td class=\"num\">20</td><td class=\"num\">60</td>"));
    assert!(html.contains("de meeste op 01-12: 60"));
    assert!(html.contains(">webchat</text>"), "two series have a legend");
}

#[test]
fn one_value_fills_the_axis_and_one_series_has_no_legend() {
    let series = [Series {
        name: "webchat".into(),
        values: vec![1],
    }];
    let html = stacked_bars(&CHART, &days(1), &series);
    assert_eq!(bar_heights(&html), [190.0]);
    assert!(!html.contains(">webchat</text>"));
    assert!(html.contains("Staafdiagram over 1 dagen, 1 gesprekken in totaal"));
}

#[test]
fn no_data_draws_no_bars_and_says_so() {
    let html = stacked_bars(&CHART, &days(7), &[]);
    assert!(bar_heights(&html).is_empty());
    assert!(html.contains("<desc id=\"volume-desc\">Geen gesprekken in deze periode.</desc>"));
    let html = horizontal_bars(&CHART, &[], ("Artikel", "Gebruikt"));
    assert!(html.contains("Geen gegevens"));
    assert!(!html.contains("NaN") && !html.contains("inf"));
    let html = heatmap(&CHART, &[[0; 24]; 7]);
    assert!(html.contains("Geen gesprekken in deze periode."));
    assert!(!html.contains("NaN"));
}

#[test]
fn every_chart_has_role_title_desc_caption_and_a_table() {
    let rows = [BarRow {
        label: "paspoort".into(),
        value: 3.0,
        shown: "3".into(),
    }];
    for html in [
        stacked_bars(&CHART, &days(2), &[]),
        heatmap(&CHART, &[[1; 24]; 7]),
        horizontal_bars(&CHART, &rows, ("Artikel", "Gebruikt")),
    ] {
        assert!(html.contains("role=\"img\""));
        assert!(html.contains("aria-labelledby=\"volume-title volume-desc\""));
        assert!(html.contains("<title id=\"volume-title\">Gesprekken per dag</title>"));
        assert!(html.contains("<figcaption>Gesprekken per dag en kanaal</figcaption>"));
        assert!(
            html.contains("<caption id=\"volume-table\">Gesprekken per dag en kanaal</caption>")
        );
        assert!(html.contains("scope=\"col\""));
        assert!(html.contains("scope=\"row\""));
    }
}

#[test]
fn labels_and_names_are_escaped_everywhere() {
    let evil = "<script>alert(\"x\")</script> & co";
    let chart = Chart {
        id: "a\"b",
        title: evil,
        caption: evil,
        unit: "gesprekken",
    };
    let rows = [BarRow {
        label: evil.into(),
        value: 1.0,
        shown: evil.into(),
    }];
    let series = [Series {
        name: evil.into(),
        values: vec![1],
    }];
    for html in [
        stacked_bars(&chart, &[evil.to_string()], &series),
        horizontal_bars(&chart, &rows, (evil, evil)),
        heatmap(&chart, &[[2; 24]; 7]),
    ] {
        assert!(!html.contains("<script>"), "{html}");
        assert!(!html.contains("\"x\")"));
        assert!(!html.contains("a\"b"));
        assert!(html.contains("&lt;script&gt;"));
    }
}

#[test]
fn heatmap_cells_carry_their_number_and_the_busiest_hour() {
    let mut cells = [[0; 24]; 7];
    cells[0][9] = 12;
    cells[4][16] = 3;
    cells[6][23] = 12_345;
    let html = heatmap(&CHART, &cells);
    assert!(html.contains(">12</text>"));
    assert!(html.contains(">3</text>"));
    assert!(
        html.contains(">12k</text>"),
        "large counts are shortened in the cell"
    );
    assert!(
        html.contains("<td class=\"num\">12345</td>"),
        "but not in the table"
    );
    assert!(html.contains("het drukst op zondag om 23:00 (12345)"));
    assert_eq!(
        html.matches("<title").count(),
        1 + 7 * 24,
        "the chart and every cell"
    );
}

#[test]
fn horizontal_bars_are_to_scale_and_long_labels_shortened() {
    let long = "Een heel lange artikeltitel die niet in de ruimte past";
    let rows = [
        BarRow {
            label: long.into(),
            value: 10.0,
            shown: "10".into(),
        },
        BarRow {
            label: "kort".into(),
            value: 5.0,
            shown: "5".into(),
        },
    ];
    let html = horizontal_bars(&CHART, &rows, ("Artikel", "Gebruikt"));
    assert!(
        html.contains("width=\"400.0\""),
        "the largest bar is 720 − 230 − 90 wide"
    );
    assert!(html.contains("width=\"200.0\""));
    assert!(html.contains("Een heel lange artikeltitel die n…"));
    assert!(html.contains(&format!("<th scope=\"row\">{long}</th>")));
}

#[test]
fn colours_meet_wcag_aa() {
    let white = luminance("#ffffff");
    assert!((white - 1.0).abs() < 1e-9);
    for colour in PALETTE {
        assert!(
            contrast(luminance(colour), white) >= 3.0,
            "{colour} on white"
        );
    }
    for colour in HEAT {
        let ink = if text_on(colour) == "#fff" { 1.0 } else { 0.0 };
        assert!(contrast(luminance(colour), ink) >= 4.5, "text on {colour}");
    }
    assert!(contrast(luminance(INK), white) >= 4.5);
}
