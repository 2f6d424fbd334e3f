//! The scanner the detection rules share: the text cut into tokens and the gaps between them,
//! the byte ranges already claimed, and the window of context words around a number. Each
//! rule (`iban.rs`, `date.rs`, `address.rs`, `bsn.rs`) adds its own `impl Scan` block.

use std::ops::Range;

use super::{Certainty, Finding, Kind};

/// Whether `gap` may stand between the groups of one number: a space, dot, dash or slash,
/// with spaces around it (`111-222-333`, `NL91.ABNA`, `111 / 222 / 333`).
pub(super) fn is_separator(gap: &str) -> bool {
    let marks = gap.chars().filter(|&c| c != ' ').count();
    (1..=3).contains(&gap.chars().count()) && marks <= 1 && gap.chars().all(|c| " .-/".contains(c))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Digits,
    Letters,
    Mixed,
}

/// A maximal run of alphanumeric characters.
pub(super) struct Token<'t> {
    pub(super) text: &'t str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) class: Class,
}

pub(super) struct Scan<'t> {
    pub(super) text: &'t str,
    pub(super) tokens: Vec<Token<'t>>,
    /// Byte ranges already explained (a finding, or an ordinary date or invalid IBAN), which
    /// later rules leave alone.
    claimed: Vec<Range<usize>>,
    pub(super) findings: Vec<Finding>,
}

impl<'t> Scan<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        let mut tokens = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    let word = &text[s..i];
                    let class = if word.bytes().all(|b| b.is_ascii_digit()) {
                        Class::Digits
                    } else if word.chars().all(char::is_alphabetic) {
                        Class::Letters
                    } else {
                        Class::Mixed
                    };
                    tokens.push(Token {
                        text: word,
                        start: s,
                        end: i,
                        class,
                    });
                    start = None;
                }
                _ => {}
            }
        }
        Scan {
            text,
            tokens,
            claimed: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// The text between token `i` and the next; `None` after the last token.
    pub(super) fn gap(&self, i: usize) -> Option<&'t str> {
        let next = self.tokens.get(i + 1)?;
        self.text.get(self.tokens.get(i)?.end..next.start)
    }

    pub(super) fn is_free(&self, first: usize, last: usize) -> bool {
        let (start, end) = (self.tokens[first].start, self.tokens[last].end);
        self.claimed
            .iter()
            .all(|r| r.end <= start || r.start >= end)
    }

    pub(super) fn claim(&mut self, first: usize, last: usize, found: Option<(Kind, Certainty)>) {
        let range = self.tokens[first].start..self.tokens[last].end;
        self.claim_range(range, found);
    }

    /// Claims a byte range that may end inside a token, such as the digits of `123456782abc`.
    pub(super) fn claim_range(&mut self, range: Range<usize>, found: Option<(Kind, Certainty)>) {
        if let Some((kind, certainty)) = found {
            self.findings.push(Finding {
                kind,
                certainty,
                range: range.clone(),
            });
        }
        self.claimed.push(range);
    }

    /// Whether one of `words` is among the `before` tokens before token `first` or the
    /// `after` tokens after token `last`. Another number ends the window, and a word that a
    /// number follows belongs to that number: in "order 111222333, bsn 123456782" only the
    /// second is a BSN.
    pub(super) fn near(
        &self,
        first: usize,
        last: usize,
        words: &[&str],
        before: usize,
        after: usize,
    ) -> bool {
        let is_word = |k: &usize| self.tokens[*k].class != Class::Digits;
        let is_key = |k: usize| {
            words
                .iter()
                .any(|w| self.tokens[k].text.eq_ignore_ascii_case(w))
        };
        let leads_to_number = |k: usize| {
            let mut next = self.tokens.iter().skip(k + 1).take(before);
            next.any(|t| t.class == Class::Digits)
        };
        let mut preceding = (0..first).rev().take(before).take_while(is_word);
        let mut following = (last + 1..self.tokens.len())
            .take(after)
            .take_while(is_word);
        preceding.any(is_key) || following.any(|k| is_key(k) && !leads_to_number(k))
    }

    /// Runs `rule` at every free token; it returns the last token of what it found.
    pub(super) fn each(
        &mut self,
        rule: impl Fn(&Self, usize) -> Option<(usize, Option<(Kind, Certainty)>)>,
    ) {
        let mut i = 0;
        while i < self.tokens.len() {
            match rule(self, i).filter(|&(last, _)| self.is_free(i, last)) {
                Some((last, found)) => {
                    self.claim(i, last, found);
                    i = last + 1;
                }
                None => i += 1,
            }
        }
    }
}
