//! Emphasis and code spans within one line: `**bold**` and `*italic*` become WhatsApp's
//! `*bold*` and `_italic_`, paired by CommonMark's delimiter rules.

use super::links::{autolink, bare_url, link};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Style {
    /// Emphasis becomes `*bold*` and `_italic_`.
    WhatsApp,
    /// Emphasis is dropped: inside a heading, which is bold as a whole.
    Plain,
}

/// A piece of a line, before emphasis is resolved.
pub(super) enum Piece {
    Text(String),
    /// Finished output that emphasis must not look into: code, links, URLs.
    Verbatim(String),
    Delim(Delim),
}

/// A run of `*` or `_`, and the emphasis it ended up opening or closing.
pub(super) struct Delim {
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
pub(super) fn inline(text: &str, style: Style) -> String {
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

#[cfg(test)]
mod tests {
    use super::super::to_whatsapp;

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
}
