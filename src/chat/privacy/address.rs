//! Addresses: a postcode with a house number (`1234 AB 12a`, `Dorpsstraat 12, 1234 AB`). A
//! postcode alone is left visible; see the module doc of `privacy`.

use super::scan::{Class, Scan};
use super::{Certainty, Kind};

/// Two-letter Dutch words that follow a year or amount ("in 2023 op 12 …"); typed in lower
/// case after a space they are not taken for postcode letters.
const SHORT_WORDS: &[&str] = &[
    "af", "al", "de", "en", "er", "ik", "in", "is", "je", "ja", "me", "na", "nu", "of", "om", "op",
    "te", "tv", "uw", "we", "ze", "zo",
];

/// Words residents put between a postcode and the house number, or before the postcode.
const HOUSE_NUMBER_WORDS: &[&str] = &["huisnummer", "huisnr", "nummer", "nr", "no"];
const POSTCODE_WORDS: &[&str] = &["postcode", "pc"];

impl Scan<'_> {
    pub(super) fn addresses(&mut self) {
        self.each(|s, i| Some((s.address_at(i)?, Some((Kind::Address, Certainty::High)))));
    }

    /// `1234 AB 12a`, `1234AB12`, or after a street name `12a, 1234 AB`: the last token.
    fn address_at(&self, i: usize) -> Option<usize> {
        let glued = self.tokens[i].text.as_bytes();
        if glued.len() > 6
            && is_postcode(&glued[..4], &glued[4..6])
            && is_house_number(self.tokens[i].text.get(6..).unwrap_or_default())
        {
            return Some(i);
        }
        let is_space = |g: &str| g.chars().all(char::is_whitespace);
        let is_sep = |g: &str| matches!(g.trim(), "" | ",");
        let after_street = i > 0
            && self.tokens[i - 1].class == Class::Letters
            && self.gap(i - 1).is_some_and(is_space);
        if after_street
            && let Some(number) = self.house_number_at(i)
            && self.gap(number).is_some_and(is_sep)
            && let Some(postcode) = self.after_word(number + 1, POSTCODE_WORDS, Self::postcode_at)
        {
            return Some(postcode);
        }
        let postcode = self.postcode_at(i)?;
        self.gap(postcode).filter(|g| is_sep(g))?;
        self.after_word(postcode + 1, HOUSE_NUMBER_WORDS, Self::house_number_at)
    }

    /// `part` at token `k`, or after one of `words` there (`huisnummer 12`, `nr. 12`,
    /// `postcode: 1234 AB`).
    fn after_word(
        &self,
        k: usize,
        words: &[&str],
        part: impl Fn(&Self, usize) -> Option<usize>,
    ) -> Option<usize> {
        let word = self.tokens.get(k)?.text;
        let labelled = words.iter().any(|w| word.eq_ignore_ascii_case(w))
            && self
                .gap(k)
                .is_some_and(|g| matches!(g.trim(), "" | ":" | "."));
        part(self, k).or_else(|| labelled.then(|| part(self, k + 1)).flatten())
    }

    /// A postcode starting at token `k` (`1234AB`, `1234 AB`): its last token.
    fn postcode_at(&self, k: usize) -> Option<usize> {
        let t = self.tokens.get(k)?;
        let bytes = t.text.as_bytes();
        if bytes.len() == 6 && is_postcode(&bytes[..4], &bytes[4..]) {
            return Some(k);
        }
        let letters = self.tokens.get(k + 1)?.text;
        let typed_as_postcode = letters.bytes().all(|b| b.is_ascii_uppercase())
            || !SHORT_WORDS.contains(&letters.to_ascii_lowercase().as_str());
        let spaced = self.gap(k) == Some(" ");
        (spaced && typed_as_postcode && is_postcode(bytes, letters.as_bytes())).then_some(k + 1)
    }

    /// A house number starting at token `k` (`12`, `12a`, `12-2`): its last token.
    fn house_number_at(&self, k: usize) -> Option<usize> {
        if !is_house_number(self.tokens.get(k)?.text) {
            return None;
        }
        let addition = self.gap(k) == Some("-")
            && self.tokens.get(k + 1).is_some_and(|a| {
                a.text.len() <= 4 && a.text.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        Some(if addition { k + 1 } else { k })
    }
}

fn is_postcode(digits: &[u8], letters: &[u8]) -> bool {
    digits.len() == 4
        && digits.iter().all(u8::is_ascii_digit)
        && digits[0] != b'0'
        && letters.len() == 2
        && letters.iter().all(u8::is_ascii_alphabetic)
        // Not issued: SA, SD and SS recall the occupation.
        && !matches!(letters.to_ascii_uppercase().as_slice(), b"SA" | b"SD" | b"SS")
}

/// `12` or `12a`: up to five digits, not starting with 0, and an optional letter.
fn is_house_number(t: &str) -> bool {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let suffix = &t.as_bytes()[digits..];
    (1..=5).contains(&digits)
        && !t.starts_with('0')
        && (suffix.is_empty() || suffix.len() == 1 && suffix[0].is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::privacy::tests::check;
    use Certainty::High;
    use Kind::Address;

    #[test]
    fn addresses_need_a_house_number() {
        check(&[
            ("1234 AB 12", &[(Address, High, "1234 AB 12")]),
            ("postcode 1234AB 12a", &[(Address, High, "1234AB 12a")]),
            ("1234 ab 7", &[(Address, High, "1234 ab 7")]),
            ("1234AB12", &[(Address, High, "1234AB12")]),
            (
                "Dorpsstraat 12, 1234 AB Dijkstede",
                &[(Address, High, "12, 1234 AB")],
            ),
            (
                "Dorpsstraat 12-2 1234 AB",
                &[(Address, High, "12-2 1234 AB")],
            ),
            (
                "postcode 1234AB huisnummer 12",
                &[(Address, High, "1234AB huisnummer 12")],
            ),
            ("1234 AB, nr. 7b", &[(Address, High, "1234 AB, nr. 7b")]),
            (
                "Kerkweg 12 postcode 1234AB",
                &[(Address, High, "12 postcode 1234AB")],
            ),
            ("１２３４ＡＢ １２", &[(Address, High, "１２３４ＡＢ １２")]),
            ("postcode 1234 AB", &[]),
            ("postcode 1234 AB nummer", &[]),
            ("1234 SA 12", &[]),
            ("0234 AB 12", &[]),
            ("in 2023 op 12 maart", &[]),
        ]);
    }
}
