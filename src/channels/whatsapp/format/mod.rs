//! Article Markdown turned into WhatsApp's own formatting, which is not Markdown: `*bold*`,
//! `_italic_`, ```` ``` ```` blocks and `` `code` ``, and no links, headings or escapes.
//!
//! The knowledge base uses a small CommonMark subset (paragraphs, `**bold**`, `*italic*` and
//! `_italic_`, links, bare URLs, `-`/`*`/`1.` lists, headings, code). This is a small
//! line-by-line converter that follows CommonMark's rules where they matter in practice:
//!
//! - emphasis uses CommonMark's delimiter rules, so `5 * 3` and `bestand_naam` stay as typed;
//! - links become `text (url)`, or just the URL when the text already shows it;
//! - URLs, link targets and code are copied verbatim, so an underscore in a URL never turns
//!   into italics;
//! - headings become a bold line, bullets `• `, numbered items keep their number;
//! - a single newline stays a line break: editors write one paragraph per line, and WhatsApp
//!   shows newlines as typed, so joining lines as CommonMark does would only lose intent;
//! - runs of blank lines collapse to one.
//!
//! ```text
//! mod.rs     lines: headings, lists, quotes, code fences, blank lines
//! inline.rs  emphasis within a line (CommonMark's delimiter rules) and code spans
//! links.rs   links, autolinks and bare URLs, copied so emphasis never looks inside them
//! ```

mod inline;
mod links;

use inline::{Style, inline};

/// How the answer looks in WhatsApp.
pub fn to_whatsapp(markdown: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut in_fence = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            // WhatsApp shows ``` blocks in monospace but would print a language tag.
            in_fence = !in_fence;
            lines.push("```".to_owned());
        } else if in_fence {
            lines.push(line.to_owned());
        } else {
            let converted = block(line);
            let blank = converted.is_empty();
            let after_blank = lines.last().is_none_or(|last| last.is_empty());
            if !(blank && after_blank) {
                lines.push(converted);
            }
        }
    }
    while lines.last().is_some_and(|last| last.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// One line outside a code block.
fn block(line: &str) -> String {
    let indent = line.len() - line.trim_start().len();
    // Two trailing spaces or a backslash mark a hard break; the newline already is one.
    let text = line.trim();
    let text = text.strip_suffix('\\').unwrap_or(text).trim_end();
    if text.is_empty() || is_thematic_break(text) {
        return String::new();
    }
    if let Some(heading) = heading_text(text) {
        let heading = inline(heading, Style::Plain);
        return if heading.is_empty() {
            String::new()
        } else {
            format!("*{heading}*")
        };
    }
    let pad = " ".repeat(indent);
    for bullet in ["- ", "* ", "+ "] {
        if let Some(item) = text.strip_prefix(bullet) {
            return format!("{pad}• {}", inline(item.trim_start(), Style::WhatsApp));
        }
    }
    if let Some((number, item)) = numbered_item(text) {
        return format!("{pad}{number} {}", inline(item, Style::WhatsApp));
    }
    if let Some(quote) = text.strip_prefix('>') {
        // WhatsApp shows `> ` lines as a quote.
        return format!("> {}", inline(quote.trim_start(), Style::WhatsApp));
    }
    inline(text, Style::WhatsApp)
}

/// `---`, `***` or `___` (three or more, spaces allowed): a separator with no WhatsApp form.
fn is_thematic_break(text: &str) -> bool {
    let marks: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && ['-', '*', '_'].iter().any(|m| marks.iter().all(|c| c == m))
}

/// The text of an ATX heading (`## Kosten ##`), without the hashes.
fn heading_text(text: &str) -> Option<&str> {
    let hashes = text.len() - text.trim_start_matches('#').len();
    let rest = &text[hashes..];
    if !(1..=6).contains(&hashes) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim();
    // A closing run of hashes is decoration, unless it is the whole heading or glued to a word.
    let closed = rest.trim_end_matches('#');
    if closed.is_empty() || closed.ends_with([' ', '\t']) {
        Some(closed.trim_end())
    } else {
        Some(rest)
    }
}

/// `("1.", "rest")` for `1. rest` or `1) rest`.
fn numbered_item(text: &str) -> Option<(&str, &str)> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if !(1..=9).contains(&digits) {
        return None;
    }
    let rest = &text[digits..];
    let item = rest
        .strip_prefix(". ")
        .or_else(|| rest.strip_prefix(") "))?;
    Some((&text[..=digits], item.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::to_whatsapp;

    #[test]
    fn headings_become_a_bold_line_without_inner_markers() {
        assert_eq!(to_whatsapp("# Paspoort aanvragen"), "*Paspoort aanvragen*");
        assert_eq!(to_whatsapp("## Wat **kost** het? ##"), "*Wat kost het?*");
        assert_eq!(
            to_whatsapp("#hashtag blijft tekst"),
            "#hashtag blijft tekst"
        );
    }

    #[test]
    fn bullets_become_dots_and_numbered_items_keep_their_number() {
        let markdown =
            "- papier\n* glas\n+ textiel\n1. Maak een afspraak.\n2) Kom langs.\n  - genest";
        assert_eq!(
            to_whatsapp(markdown),
            "• papier\n• glas\n• textiel\n1. Maak een afspraak.\n2) Kom langs.\n  • genest"
        );
    }

    #[test]
    fn bold_inside_a_list_item_is_converted() {
        assert_eq!(
            to_whatsapp(
                "- **Kosten:** **€ 27,50 per afspraak (tarief 2026)**, voor maximaal **2 m³**."
            ),
            "• *Kosten:* *€ 27,50 per afspraak (tarief 2026)*, voor maximaal *2 m³*."
        );
    }

    #[test]
    fn code_keeps_its_backticks_and_fences_lose_their_language() {
        assert_eq!(
            to_whatsapp("Typ `STOP_NU` om te stoppen."),
            "Typ `STOP_NU` om te stoppen."
        );
        assert_eq!(
            to_whatsapp("```text\na  *b*\n\n\n```"),
            "```\na  *b*\n\n\n```"
        );
    }

    #[test]
    fn blank_lines_collapse_and_line_breaks_stay() {
        assert_eq!(
            to_whatsapp(
                "\n\nEerste regel  \nTweede regel\\\n\n\n\nNieuwe alinea\n\n---\n\nSlot\n\n"
            ),
            "Eerste regel\nTweede regel\n\nNieuwe alinea\n\nSlot"
        );
    }

    #[test]
    fn dutch_characters_pass_through() {
        assert_eq!(
            to_whatsapp("**Vóór 7.30 uur** aan de straat; café, reüniëren, ĳs, €"),
            "*Vóór 7.30 uur* aan de straat; café, reüniëren, ĳs, €"
        );
    }

    #[test]
    fn quotes_and_unclosed_markup_stay_readable() {
        assert_eq!(to_whatsapp("> Let **op**"), "> Let *op*");
        assert_eq!(
            to_whatsapp("[geen link] en [half](open"),
            "[geen link] en [half](open"
        );
        assert_eq!(to_whatsapp("`open"), "`open");
    }
}
