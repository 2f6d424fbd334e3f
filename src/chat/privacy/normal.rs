//! The text as the rules read it: Unicode NFKC (full-width digits and letters become ASCII,
//! odd spaces become a space), dashes and slashes folded to `-` and `/`, and invisible
//! characters (zero-width spaces, joiners, soft hyphens, direction marks) left out. Every
//! piece of the normalised text remembers where it came from, so a finding maps back to the
//! resident's own characters.
//!
//! Only the rules read the normalised text. What is stored is the original with the findings
//! masked: normalising what a resident wrote would change more than personal data (NFKC turns
//! `²` into `2` and `ﬁ` into `fi`, and dropping zero-width joiners breaks emoji such as 👨‍👩‍👧
//! and Persian words), and an agent must read the message as it was sent.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// A normalised text and the map back to the original.
pub(super) struct Normalised {
    pub(super) text: String,
    /// One entry per piece: its byte range in `text` and in the original, in order. A piece is
    /// a character with the combining marks that follow it; invisible characters have none.
    pieces: Vec<(Range<usize>, Range<usize>)>,
}

impl Normalised {
    pub(super) fn new(original: &str) -> Self {
        let mut text = String::with_capacity(original.len());
        let mut pieces = Vec::new();
        let mut start = 0;
        for (i, c) in original
            .char_indices()
            .skip(1)
            .chain([(original.len(), ' ')])
        {
            // NFKC composes a character only with the combining marks that follow it, so a
            // piece can be normalised on its own.
            if i < original.len() && canonical_combining_class(c) != 0 {
                continue;
            }
            let piece = &original[start..i];
            let from = text.len();
            text.extend(piece.nfkc().filter(|&c| !is_invisible(c)).map(fold));
            if text.len() > from {
                pieces.push((from..text.len(), start..i));
            }
            start = i;
        }
        Normalised { text, pieces }
    }

    /// The original byte range of `range` in the normalised text: from the start of the piece
    /// holding its first byte to the end of the piece holding its last.
    pub(super) fn original(&self, range: &Range<usize>) -> Range<usize> {
        let piece_at = |byte: usize| {
            let k = self.pieces.partition_point(|(norm, _)| norm.end <= byte);
            self.pieces.get(k).map(|(_, orig)| orig.clone())
        };
        match (piece_at(range.start), piece_at(range.end.saturating_sub(1))) {
            (Some(first), Some(last)) if !range.is_empty() => first.start..last.end,
            _ => 0..0,
        }
    }
}

/// The normalised form of a short value, such as a finding about to be masked.
pub(super) fn normalise(value: &str) -> String {
    Normalised::new(value).text
}

/// Characters that show nothing but split a number for a naive scanner (Unicode format
/// characters and fillers).
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}'
        | '\u{ffa0}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// Dashes and slashes that NFKC leaves alone, as the ASCII separator people mean.
fn fold(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' => '-',
        '\u{2044}' | '\u{2215}' => '/',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_odd_spaces_dashes_and_invisible_characters_are_normalised() {
        for (original, normalised) in [
            ("１１１２２２３３３", "111222333"),
            ("111\u{200b}222\u{feff}333", "111222333"),
            ("111\u{a0}222\u{202f}333", "111 222 333"),
            ("111–222—333", "111-222-333"),
            ("ＮＬ９１－ＡＢＮＡ", "NL91-ABNA"),
            ("12\u{2044}03", "12/03"),
            ("soft\u{ad}hyphen", "softhyphen"),
            ("cafe\u{301} ﬁets", "café fiets"),
        ] {
            assert_eq!(normalise(original), normalised, "{original:?}");
        }
    }

    #[test]
    fn ranges_map_back_to_the_original_characters() {
        let original = "bsn １１１\u{200b}２２２ ok";
        let normalised = Normalised::new(original);
        assert_eq!(normalised.text, "bsn 111222 ok");
        let found = normalised.original(&(4..10));
        assert_eq!(&original[found], "１１１\u{200b}２２２");
        assert_eq!(&original[normalised.original(&(11..13))], "ok");
        assert_eq!(normalised.original(&(3..3)), 0..0);
        let composed = Normalised::new("e\u{301}9");
        assert_eq!(composed.text, "é9");
        assert_eq!(composed.original(&(2..3)), 3..4);
    }
}
