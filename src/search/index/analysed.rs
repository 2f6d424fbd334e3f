//! Article text handed to tantivy already analysed.
//!
//! [`super::TermTable::analyse`] runs the analysis chain over every part of an article for the
//! term table. The same terms, written down as an [`AnalysedText`], are what tantivy indexes:
//! its fields use [`AnalysedTokenizer`], which only reads the terms back, so tantivy's threads
//! do not tokenize, decompound and stem each text again for its part field and once more for
//! the whole-article field. tantivy then indexes the same terms at the same positions as with
//! the chain itself, so the index is identical. (tantivy's `PreTokenizedString` would do the
//! same, but copies every token into a `String` of its own.)
//!
//! Each term is written after a marker: [`NEXT`] for a term at the next position, [`SAME`]
//! for one at the position of the term before (a compound's parts), with one [`SKIP`] before
//! it for each position left out (a removed stop word). Terms never contain these control
//! characters: the chain makes terms of letters and digits.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

const NEXT: char = '\u{1}';
const SAME: char = '\u{2}';
const SKIP: char = '\u{3}';

/// The analysed terms of one text, as [`AnalysedTokenizer`] reads them.
pub struct AnalysedText {
    encoded: String,
    /// The position of the last term written; `usize::MAX` before the first.
    position: usize,
}

impl Default for AnalysedText {
    fn default() -> AnalysedText {
        AnalysedText {
            encoded: String::new(),
            position: usize::MAX,
        }
    }
}

impl AnalysedText {
    /// Appends `term` at `position` (never before the last term's).
    pub fn push(&mut self, position: usize, term: &str) {
        debug_assert!(!term.contains([NEXT, SAME, SKIP]), "{term:?}");
        if position == self.position {
            self.encoded.push(SAME);
        } else {
            let skipped = position.wrapping_sub(self.position) - 1;
            self.encoded.extend(std::iter::repeat_n(SKIP, skipped));
            self.encoded.push(NEXT);
        }
        self.encoded.push_str(term);
        self.position = position;
    }

    /// The text to put in a tantivy field that uses [`AnalysedTokenizer`].
    pub fn into_text(self) -> String {
        self.encoded
    }
}

/// Reads the terms of an [`AnalysedText`] back, at their positions.
#[derive(Clone, Default)]
pub struct AnalysedTokenizer;

impl Tokenizer for AnalysedTokenizer {
    type TokenStream<'a> = AnalysedStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> AnalysedStream<'a> {
        AnalysedStream {
            text,
            at: 0,
            token: Token {
                position: usize::MAX,
                ..Token::default()
            },
        }
    }
}

pub struct AnalysedStream<'a> {
    text: &'a str,
    /// Byte offset of the next marker.
    at: usize,
    token: Token,
}

fn is_marker(byte: u8) -> bool {
    matches!(byte, 1..=3)
}

impl TokenStream for AnalysedStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let mut position = self.token.position;
        let mut at = self.at;
        loop {
            match bytes.get(at) {
                None => return false,
                Some(3) => position = position.wrapping_add(1),
                Some(1) => {
                    position = position.wrapping_add(1);
                    break;
                }
                // SAME; anything else is no text this module wrote.
                Some(_) => break,
            }
            at += 1;
        }
        let start = at + 1;
        let end =
            (bytes[start..].iter().position(|b| is_marker(*b))).map_or(bytes.len(), |n| start + n);
        self.token.text.clear();
        self.token.text.push_str(&self.text[start..end]);
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = position;
        self.token.position_length = 1;
        self.at = end;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::analysis::{Analysis, Lexicon};
    use std::sync::Arc;
    use tantivy::tokenizer::TextAnalyzer;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((token.position, token.text.clone()));
        }
        tokens
    }

    /// The terms read back are the chain's, at the chain's positions: compound parts at their
    /// word's, and a gap where a stop word was.
    #[test]
    fn reads_back_the_terms_and_positions_the_chain_made() {
        let text = "De gft-bak en de parkeervergunning, auto's... van de buren";
        let lexicon = Arc::new(Lexicon::new(["parkeren", "vergunning", "buren", "auto"]));
        let analysis = Analysis::Dutch {
            lexicon,
            decompound: true,
        };
        let mut chain = analysis.text_analyzer([]);
        let expected = tokens(&mut chain, text);
        let mut analysed = AnalysedText::default();
        for (position, term) in &expected {
            analysed.push(*position, term);
        }
        let mut reader = TextAnalyzer::from(AnalysedTokenizer);
        assert_eq!(tokens(&mut reader, &analysed.into_text()), expected);
        assert!(expected.iter().any(|(p, _)| *p > 0), "{expected:?}");
    }

    #[test]
    fn an_empty_text_has_no_terms() {
        let mut reader = TextAnalyzer::from(AnalysedTokenizer);
        assert!(tokens(&mut reader, &AnalysedText::default().into_text()).is_empty());
    }
}
