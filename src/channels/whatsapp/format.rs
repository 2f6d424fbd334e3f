//! Article Markdown turned into WhatsApp's own formatting, which is not Markdown: `*bold*`,
//! `_italic_`, ```` ``` ```` blocks and `` `code` ``, and no links, headings or escapes.
//!
//! The knowledge base uses a small CommonMark subset (paragraphs, `**bold**`, `*italic*` and
//! `_italic_`, links, bare URLs, `-`/`*`/`1.` lists, headings, code). No Markdown parser is
//! among our dependencies, so this is a small converter that follows CommonMark's rules where
//! they matter in practice:
//!
//! - emphasis uses CommonMark's delimiter rules, so `5 * 3` and `bestand_naam` stay as typed;
//! - links become `text (url)`, or just the URL when the text already shows it;
//! - URLs, link targets and code are copied verbatim, so an underscore in a URL never turns
//!   into italics;
//! - headings become a bold line, bullets `• `, numbered items keep their number;
//! - a single newline stays a line break: editors write one paragraph per line, and WhatsApp
//!   shows newlines as typed, so joining lines as CommonMark does would only lose intent;
//! - runs of blank lines collapse to one.

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

/// `answer`, followed by a "Meer informatie:" list of the `(title, url)` links it does not
/// already show. Site-relative links are left out: they cannot be opened from a chat, so the
/// caller should pass absolute URLs.
pub fn with_links(answer: &str, links: &[(String, String)]) -> String {
    let mut listed: Vec<&str> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for (title, url) in links {
        let url = url.trim();
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        if !absolute || listed.contains(&url) || mentions(answer, url) {
            continue;
        }
        listed.push(url);
        let title = title.trim();
        lines.push(if title.is_empty() {
            format!("• {url}")
        } else {
            format!("• {title}: {url}")
        });
    }
    let answer = answer.trim_end();
    if lines.is_empty() {
        return answer.to_owned();
    }
    let list = format!("Meer informatie:\n{}", lines.join("\n"));
    if answer.is_empty() {
        list
    } else {
        format!("{answer}\n\n{list}")
    }
}

/// Whether `text` contains `url` as a whole link, not as the start of a longer one.
fn mentions(text: &str, url: &str) -> bool {
    text.match_indices(url).any(|(at, _)| {
        text[at + url.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ").,;:!?\"'/".contains(c))
    })
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

#[derive(Clone, Copy, PartialEq)]
enum Style {
    /// Emphasis becomes `*bold*` and `_italic_`.
    WhatsApp,
    /// Emphasis is dropped: inside a heading, which is bold as a whole.
    Plain,
}

/// A piece of a line, before emphasis is resolved.
enum Piece {
    Text(String),
    /// Finished output that emphasis must not look into: code, links, URLs.
    Verbatim(String),
    Delim(Delim),
}

/// A run of `*` or `_`, and the emphasis it ended up opening or closing.
struct Delim {
    ch: char,
    len: usize,
    left: usize,
    can_open: bool,
    can_close: bool,
    active: bool,
    /// Strength (1 italic, 2 bold) of each emphasis opened here, innermost first.
    opens: Vec<usize>,
    /// Strength of each emphasis closed here, innermost first.
    closes: Vec<usize>,
}

/// Inline Markdown to WhatsApp text.
fn inline(text: &str, style: Style) -> String {
    let mut pieces = tokenize(text, style);
    resolve_emphasis(&mut pieces);
    let marker = |strength: usize| match (style, strength) {
        (Style::Plain, _) => "",
        (Style::WhatsApp, 1) => "_",
        (Style::WhatsApp, _) => "*",
    };
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) | Piece::Verbatim(text) => out.push_str(&text),
            Piece::Delim(d) => {
                d.closes.iter().for_each(|&n| out.push_str(marker(n)));
                out.extend(std::iter::repeat_n(d.ch, d.left));
                d.opens.iter().rev().for_each(|&n| out.push_str(marker(n)));
            }
        }
    }
    out
}

fn tokenize(text: &str, style: Style) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let found = match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                plain.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '`' => code_span(&chars, i),
            '[' => link(&chars, i, style),
            '!' if chars.get(i + 1) == Some(&'[') => link(&chars, i + 1, style),
            '<' => autolink(&chars, i),
            'h' | 'H' | 'w' | 'W' if !prev.is_some_and(char::is_alphanumeric) => {
                bare_url(&chars, i)
            }
            '*' | '_' => {
                let end = chars[i..]
                    .iter()
                    .position(|&x| x != c)
                    .map_or(chars.len(), |n| i + n);
                Some((
                    Piece::Delim(delim(c, end - i, prev, chars.get(end).copied())),
                    end,
                ))
            }
            _ => None,
        };
        match found {
            Some((piece, end)) => {
                if !plain.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut plain)));
                }
                pieces.push(piece);
                i = end;
            }
            None => {
                plain.push(c);
                i += 1;
            }
        }
    }
    if !plain.is_empty() {
        pieces.push(Piece::Text(plain));
    }
    pieces
}

/// A delimiter run with CommonMark's flanking rules; `_` may not open or close inside a word.
fn delim(ch: char, len: usize, prev: Option<char>, next: Option<char>) -> Delim {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let left = !space(next) && (!punct(next) || space(prev) || punct(prev));
    let right = !space(prev) && (!punct(prev) || space(next) || punct(next));
    let (can_open, can_close) = if ch == '_' {
        (
            left && (!right || punct(prev)),
            right && (!left || punct(next)),
        )
    } else {
        (left, right)
    };
    Delim {
        ch,
        len,
        left: len,
        can_open,
        can_close,
        active: true,
        opens: Vec::new(),
        closes: Vec::new(),
    }
}

/// Pairs closers with the nearest fitting opener, as CommonMark's "process emphasis" does.
fn resolve_emphasis(pieces: &mut [Piece]) {
    for c in 0..pieces.len() {
        // A run like `***` can close more than one emphasis, so look again after each pair.
        while let Some(o) = opener_for(pieces, c) {
            let strength = match (&pieces[o], &pieces[c]) {
                (Piece::Delim(open), Piece::Delim(close)) if open.left >= 2 && close.left >= 2 => 2,
                _ => 1,
            };
            for (k, piece) in pieces.iter_mut().enumerate().take(c + 1).skip(o) {
                if let Piece::Delim(d) = piece {
                    if k == o {
                        d.left -= strength;
                        d.opens.push(strength);
                    } else if k == c {
                        d.left -= strength;
                        d.closes.push(strength);
                    } else {
                        // Runs between a matched pair can no longer match: they stay literal.
                        d.active = false;
                    }
                }
            }
        }
    }
}

/// The index of the run that the run at `c` closes, if it closes one.
fn opener_for(pieces: &[Piece], c: usize) -> Option<usize> {
    let Piece::Delim(closer) = &pieces[c] else {
        return None;
    };
    if !(closer.active && closer.can_close && closer.left > 0) {
        return None;
    }
    (0..c).rev().find(|&o| match &pieces[o] {
        Piece::Delim(d) => {
            // CommonMark's rule of 3: a run that could open and close does not pair when the
            // lengths add up to a multiple of 3, so `*a**b*` is one italic span.
            let both = d.can_close || closer.can_open;
            let rule_of_three =
                both && (d.len + closer.len) % 3 == 0 && !(d.len % 3 == 0 && closer.len % 3 == 0);
            d.active && d.ch == closer.ch && d.can_open && d.left > 0 && !rule_of_three
        }
        _ => false,
    })
}

/// `` `code` `` copied as WhatsApp inline code; `None` when the backticks are not closed.
fn code_span(chars: &[char], start: usize) -> Option<(Piece, usize)> {
    let ticks = chars[start..].iter().take_while(|&&c| c == '`').count();
    let mut i = start + ticks;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|&&c| c == '`').count();
        if run == ticks {
            let code: String = chars[start + ticks..i].iter().collect();
            let code = code
                .strip_prefix(' ')
                .and_then(|c| c.strip_suffix(' '))
                .unwrap_or(&code);
            return Some((Piece::Verbatim(format!("`{code}`")), i + run));
        }
        i += run.max(1);
    }
    None
}

/// `[text](url "title")` as `text (url)`, or as the URL alone when the text shows it.
fn link(chars: &[char], start: usize, style: Style) -> Option<(Piece, usize)> {
    let close = matching(chars, start, '[', ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = matching(chars, close + 1, '(', ')')?;
    let label: String = chars[start + 1..close].iter().collect();
    let target: String = chars[close + 2..end].iter().collect();
    let target = target.split_whitespace().next().unwrap_or_default();
    let target = target
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(target);
    let shown = target
        .strip_prefix("mailto:")
        .or_else(|| target.strip_prefix("tel:"))
        .unwrap_or(target);
    let rendered = if label.trim().is_empty() || same_place(&label, shown) {
        shown.to_owned()
    } else if shown.is_empty() {
        inline(&label, style)
    } else {
        format!("{} ({shown})", inline(&label, style))
    };
    Some((Piece::Verbatim(rendered), end + 1))
}

/// Whether a link's text merely spells out its target (`www.example.nl` for `https://...`).
fn same_place(label: &str, target: &str) -> bool {
    fn bare(s: &str) -> String {
        let s = s.trim().to_lowercase();
        let s = ["https://", "http://"]
            .iter()
            .fold(s, |s, p| s.strip_prefix(p).map(str::to_owned).unwrap_or(s));
        let s = s.strip_prefix("www.").map(str::to_owned).unwrap_or(s);
        s.trim_end_matches('/').to_owned()
    }
    bare(label) == bare(target)
}

/// The index of the bracket closing the one at `open`, skipping escaped and nested ones.
fn matching(chars: &[char], open: usize, left: char, right: char) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            c if c == left => depth += 1,
            c if c == right => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `<https://...>` or `<info@example.nl>` as the bare address.
fn autolink(chars: &[char], start: usize) -> Option<(Piece, usize)> {
    let len = chars[start + 1..]
        .iter()
        .position(|&c| c == '>' || c == '<' || c.is_whitespace())?;
    let end = start + 1 + len;
    let inner: String = chars[start + 1..end].iter().collect();
    if chars.get(end) != Some(&'>') || !(inner.contains("://") || inner.contains('@')) {
        return None;
    }
    let shown = inner.strip_prefix("mailto:").unwrap_or(&inner).to_owned();
    Some((Piece::Verbatim(shown), end + 1))
}

/// A bare `https://`, `http://` or `www.` URL, without the punctuation that ends its sentence.
fn bare_url(chars: &[char], start: usize) -> Option<(Piece, usize)> {
    let rest: String = chars[start..chars.len().min(start + 8)]
        .iter()
        .collect::<String>()
        .to_lowercase();
    if !["https://", "http://", "www."]
        .iter()
        .any(|p| rest.starts_with(p))
    {
        return None;
    }
    let mut end = chars[start..]
        .iter()
        .position(|&c| c.is_whitespace() || c == '<')
        .map_or(chars.len(), |n| start + n);
    loop {
        let url = &chars[start..end];
        let last = *url.last()?;
        let unbalanced_paren = last == ')'
            && url.iter().filter(|&&c| c == '(').count()
                < url.iter().filter(|&&c| c == ')').count();
        if ".,:;!?\"'*_".contains(last) || unbalanced_paren {
            end -= 1;
        } else {
            break;
        }
    }
    let url: String = chars[start..end].iter().collect();
    Some((Piece::Verbatim(url), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bold_and_both_italic_forms_become_whatsapp_emphasis() {
        assert_eq!(
            to_whatsapp("Neem **uw paspoort** mee."),
            "Neem *uw paspoort* mee."
        );
        assert_eq!(to_whatsapp("Dat is *niet* nodig."), "Dat is _niet_ nodig.");
        assert_eq!(to_whatsapp("Dat is _niet_ nodig."), "Dat is _niet_ nodig.");
        assert_eq!(to_whatsapp("__Let op__"), "*Let op*");
        assert_eq!(to_whatsapp("***Gesloten***"), "_*Gesloten*_");
        assert_eq!(
            to_whatsapp("**vet met *schuin* erin**"),
            "*vet met _schuin_ erin*"
        );
    }

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
    fn links_are_written_out() {
        assert_eq!(
            to_whatsapp("Zie [Afvalpas](https://dijkstede.example/afvalpas)."),
            "Zie Afvalpas (https://dijkstede.example/afvalpas)."
        );
        assert_eq!(
            to_whatsapp(
                "via [https://dijkstede.example/grofvuil](https://dijkstede.example/grofvuil)"
            ),
            "via https://dijkstede.example/grofvuil"
        );
        assert_eq!(
            to_whatsapp(
                "via [www.dijkstede.example/grofvuil](https://www.dijkstede.example/grofvuil/)"
            ),
            "via https://www.dijkstede.example/grofvuil/"
        );
        assert_eq!(
            to_whatsapp("[**Mail** ons](mailto:info@dijkstede.example \"E-mail\")"),
            "*Mail* ons (info@dijkstede.example)"
        );
        assert_eq!(
            to_whatsapp("<https://www.omgevingsloket.nl>"),
            "https://www.omgevingsloket.nl"
        );
    }

    #[test]
    fn underscores_in_urls_are_never_italicised() {
        assert_eq!(
            to_whatsapp(
                "Vul [het formulier](https://dijkstede.example/aanvraag_form_2026) in, _vandaag_ nog."
            ),
            "Vul het formulier (https://dijkstede.example/aanvraag_form_2026) in, _vandaag_ nog."
        );
        assert_eq!(
            to_whatsapp("Kijk op https://dijkstede.example/a_b_c en lees _dit_."),
            "Kijk op https://dijkstede.example/a_b_c en lees _dit_."
        );
        assert_eq!(
            to_whatsapp("(zie www.dijkstede.example/tarieven_2026)."),
            "(zie www.dijkstede.example/tarieven_2026)."
        );
        assert_eq!(
            to_whatsapp("**https://dijkstede.example/x_y**"),
            "*https://dijkstede.example/x_y*"
        );
    }

    #[test]
    fn asterisks_and_underscores_that_are_not_emphasis_stay() {
        assert_eq!(to_whatsapp("5 * 3 = 15"), "5 * 3 = 15");
        assert_eq!(to_whatsapp("5 * 3 * 2 = 30"), "5 * 3 * 2 = 30");
        assert_eq!(to_whatsapp("bestand_naam_v2.pdf"), "bestand_naam_v2.pdf");
        assert_eq!(to_whatsapp("een ster*"), "een ster*");
        assert_eq!(
            to_whatsapp(r"een \*letterlijke\* ster"),
            "een *letterlijke* ster"
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

    #[test]
    fn with_links_lists_the_links_not_yet_in_the_answer() {
        let links = [
            (
                "Grofvuil ophaalafspraak".to_owned(),
                "https://dijkstede.example/grofvuil".to_owned(),
            ),
            (
                "Milieustraat".to_owned(),
                "https://dijkstede.example/milieustraat".to_owned(),
            ),
            (
                "Dubbel".to_owned(),
                "https://dijkstede.example/milieustraat".to_owned(),
            ),
            ("Relatief".to_owned(), "/afval".to_owned()),
        ];
        assert_eq!(
            with_links(
                "Maak een afspraak via https://dijkstede.example/grofvuil.\n",
                &links
            ),
            "Maak een afspraak via https://dijkstede.example/grofvuil.\n\nMeer informatie:\n• Milieustraat: https://dijkstede.example/milieustraat"
        );
    }

    #[test]
    fn with_links_does_not_mistake_a_longer_url_for_the_link() {
        let links = [(
            "Afval".to_owned(),
            "https://dijkstede.example/afval".to_owned(),
        )];
        assert_eq!(
            with_links("Zie https://dijkstede.example/afvalpas", &links),
            "Zie https://dijkstede.example/afvalpas\n\nMeer informatie:\n• Afval: https://dijkstede.example/afval"
        );
    }

    #[test]
    fn with_links_leaves_the_answer_alone_when_nothing_is_new() {
        assert_eq!(with_links("Klaar.", &[]), "Klaar.");
        let links = [(
            "Afval".to_owned(),
            "https://dijkstede.example/afval".to_owned(),
        )];
        assert_eq!(
            with_links("Zie https://dijkstede.example/afval/", &links),
            "Zie https://dijkstede.example/afval/"
        );
    }
}
