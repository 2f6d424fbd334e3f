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
            && let Some(postcode) = self.postcode_at(number + 1)
        {
            return Some(postcode);
        }
        let postcode = self.postcode_at(i)?;
        self.gap(postcode).filter(|g| is_sep(g))?;
        self.house_number_at(postcode + 1)
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
        let spaced = matches!(self.gap(k), Some(" " | "\u{a0}"));
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
            ("postcode 1234 AB", &[]),
            ("1234 SA 12", &[]),
            ("0234 AB 12", &[]),
            ("in 2023 op 12 maart", &[]),
        ]);
    }
}
