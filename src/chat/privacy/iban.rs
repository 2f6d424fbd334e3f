//! IBANs, whole or in groups of four (`NL91 ABNA …`, `NL91-ABNA-…`, `NL91.ABNA.…`): found by
//! their check digits (ISO 13616, mod 97).

use super::scan::{Scan, is_separator};
use super::{Certainty, Kind};

/// IBAN lengths of the countries residents bank in most, so an IBAN followed by a word
/// ends where it should; other countries are checked generically (15–34, longest valid).
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("NL", 18),
    ("BE", 16),
    ("DE", 22),
    ("FR", 27),
    ("LU", 20),
    ("GB", 22),
    ("ES", 24),
    ("IT", 27),
    ("AT", 20),
    ("CH", 21),
    ("DK", 18),
    ("PL", 28),
    ("PT", 25),
    ("TR", 26),
];

impl Scan<'_> {
    pub(super) fn ibans(&mut self) {
        self.each(|s, i| {
            let (last, valid) = s.iban_at(i)?;
            Some((last, valid.then_some((Kind::Iban, Certainty::High))))
        });
    }

    /// An IBAN starting at token `i`, written whole or in groups: its last token and whether
    /// the check digits are right. A wrong one in a known country's length is returned too,
    /// so its digits are not read as a BSN.
    fn iban_at(&self, i: usize) -> Option<(usize, bool)> {
        let head = self.tokens[i].text.as_bytes();
        if head.len() < 2 || !head[..2].iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let country = head[..2].to_ascii_uppercase();
        let expected = IBAN_LENGTHS.iter().find(|(cc, _)| cc.as_bytes() == country);
        // The check digits follow the country code, glued or (for a known country, so that
        // "op 12 …" is not read) after a separator: `NL91`, `NL9 1ABNA`, `NL 91 ABNA`.
        let digit_follows = match head.get(2) {
            Some(b) => b.is_ascii_digit(),
            None => expected.is_some() && self.gap(i).is_some_and(is_separator),
        };
        if !digit_follows {
            return None;
        }
        let mut compact = String::new();
        let mut longest_valid = None;
        for j in i..self.tokens.len() {
            let part = self.tokens[j].text;
            // A word after the number is no part of it; letters alone belong to the bank code
            // right after the check digits (`NL91 ABNA`, the first eight characters).
            let in_bank_code = compact.len() < 8;
            let word = j > i && part.bytes().all(|b| b.is_ascii_alphabetic()) && !in_bank_code;
            if word
                || !part.bytes().all(|b| b.is_ascii_alphanumeric())
                || compact.len() + part.len() > 34
            {
                break;
            }
            compact.push_str(part);
            if compact.len() >= 4 && !compact.as_bytes()[2..4].iter().all(u8::is_ascii_digit) {
                return None;
            }
            match expected {
                Some(&(_, len)) if compact.len() == len => return Some((j, mod97_ok(&compact))),
                None if compact.len() >= 15 && mod97_ok(&compact) => {
                    longest_valid = Some((j, true))
                }
                _ => {}
            }
            if !self.gap(j).is_some_and(is_separator) {
                break;
            }
        }
        longest_valid
    }
}

/// ISO 13616: the country code and check digits moved to the end, letters as 10–35, the
/// whole number mod 97 is 1.
fn mod97_ok(iban: &str) -> bool {
    let (head, tail) = iban.split_at(4.min(iban.len()));
    let mut rest = 0;
    for c in tail.chars().chain(head.chars()) {
        let Some(v) = c.to_digit(36) else {
            return false;
        };
        let shift = if v < 10 { 10 } else { 100 };
        rest = (rest * shift + v) % 97;
    }
    rest == 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::privacy::tests::check;
    use Certainty::{High, Low};
    use Kind::{Bsn, Iban};

    #[test]
    fn ibans_are_found_by_their_check_digits() {
        check(&[
            ("NL91ABNA0417164300", &[(Iban, High, "NL91ABNA0417164300")]),
            (
                "rekening NL91 ABNA 0417 1643 00 graag",
                &[(Iban, High, "NL91 ABNA 0417 1643 00")],
            ),
            (
                "nl91abna0417164300 is van mij",
                &[(Iban, High, "nl91abna0417164300")],
            ),
            (
                "BE68 5390 0754 7034",
                &[(Iban, High, "BE68 5390 0754 7034")],
            ),
            (
                "DE89370400440532013000",
                &[(Iban, High, "DE89370400440532013000")],
            ),
            // Greece is not in the length table: checked generically.
            (
                "GR16 0110 1250 0000 0001 2300 695",
                &[(Iban, High, "GR16 0110 1250 0000 0001 2300 695")],
            ),
            (
                "NL91-ABNA-0417-1643-00",
                &[(Iban, High, "NL91-ABNA-0417-1643-00")],
            ),
            (
                "NL91.ABNA.0417.1643.00.",
                &[(Iban, High, "NL91.ABNA.0417.1643.00")],
            ),
            (
                "iban: NL91 / ABNA / 0417 / 1643 / 00",
                &[(Iban, High, "NL91 / ABNA / 0417 / 1643 / 00")],
            ),
            (
                "ＮＬ９１ＡＢＮＡ０４１７１６４３００",
                &[(Iban, High, "ＮＬ９１ＡＢＮＡ０４１７１６４３００")],
            ),
            (
                "NL91\u{200b}ABNA\u{200b}0417164300",
                &[(Iban, High, "NL91\u{200b}ABNA\u{200b}0417164300")],
            ),
            (
                "NL9 1ABNA 0417164 300",
                &[(Iban, High, "NL9 1ABNA 0417164 300")],
            ),
            (
                "NL 91 ABNA 0417 1643 00",
                &[(Iban, High, "NL 91 ABNA 0417 1643 00")],
            ),
            ("op 12 3456 7890 1234 5678", &[]),
            // With the word, mod 97 would pass: words are no part of an IBAN.
            ("kenmerk AB334235309 weten", &[]),
            ("NL91ABNA0417164301", &[]),
            ("NL91-ABNA-0417-1643-01", &[]),
            ("NL91 ABNA 0417 1643 01", &[]),
            (
                "NL91 ABNA 0417 1643 00 123456782",
                &[
                    (Iban, High, "NL91 ABNA 0417 1643 00"),
                    (Bsn, Low, "123456782"),
                ],
            ),
        ]);
    }
}
