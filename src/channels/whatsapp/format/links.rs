//! Links within a line, written out for a chat: `[text](url)` as `text (url)`, autolinks and
//! bare URLs as the address. The result is verbatim, so emphasis never looks inside a URL.

use super::inline::{Piece, Style, inline};

/// `[text](url "title")` as `text (url)`, or as the URL alone when the text shows it.
pub(super) fn link(chars: &[char], start: usize, style: Style) -> Option<(Piece, usize)> {
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
pub(super) fn autolink(chars: &[char], start: usize) -> Option<(Piece, usize)> {
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
pub(super) fn bare_url(chars: &[char], start: usize) -> Option<(Piece, usize)> {
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
    use super::super::to_whatsapp;

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
}
