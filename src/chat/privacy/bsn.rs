//! BSNs: nine digits passing the elfproef, certain when a word such as "bsn" is near. Phone
//! numbers are recognised first, only so that their digits are not read as a BSN.

use super::scan::{Class, Scan};
use super::{Certainty, Finding, Kind};

const BSN_WORDS: &[&str] = &[
    "bsn",
    "burgerservicenummer",
    "burgerservice",
    "sofinummer",
    "sofi",
];

impl Scan<'_> {
    /// Phone numbers first, so their digits are not read as a BSN; then BSNs.
    pub(super) fn numbers(&mut self) {
        for chain in self.chains() {
            let mut phone = vec![false; chain.len()];
            let mut k = 0;
            while k < chain.len() {
                let n = self.phone_len(&chain[k..]).unwrap_or(0);
                phone[k..k + n].fill(true);
                k += n.max(1);
            }
            let mut k = 0;
            while k < chain.len() {
                let Some(n) = self.bsn_len(&chain[k..], &phone[k..]) else {
                    k += 1;
                    continue;
                };
                let (first, last) = (chain[k], chain[k + n - 1]);
                let certainty = if self.near(first, last, BSN_WORDS, 5, 3) {
                    Certainty::High
                } else {
                    Certainty::Low
                };
                self.claim(first, last, Some((Kind::Bsn, certainty)));
                k += n;
            }
        }
        // "bsn123456782", typed without a space: only glued to the word itself, so that
        // codes such as "AB123456782" stay out.
        for (i, t) in self.tokens.iter().enumerate() {
            let lower = t.text.to_ascii_lowercase();
            let glued = BSN_WORDS.iter().find_map(|w| lower.strip_prefix(w));
            let is_bsn = glued.is_some_and(|d| {
                d.len() == 9 && d.bytes().all(|b| b.is_ascii_digit()) && elfproef(d)
            });
            if is_bsn && self.is_free(i, i) {
                let range = t.end - 9..t.end;
                self.findings.push(Finding {
                    kind: Kind::Bsn,
                    certainty: Certainty::High,
                    range,
                });
            }
        }
    }

    /// Free digit tokens joined the way people type numbers: `06-1234 5678`, `+31 (0)6 …`,
    /// `1234.56.782`.
    fn chains(&self) -> Vec<Vec<usize>> {
        let joins = |gap: &str| {
            let marks = gap.chars().filter(|&c| c != ' ' && c != '\u{a0}').count();
            gap.chars().count() <= 3
                && marks <= 1
                && gap.chars().all(|c| " \u{a0}-./()".contains(c))
        };
        let mut chains: Vec<Vec<usize>> = Vec::new();
        for (i, t) in self.tokens.iter().enumerate() {
            if t.class != Class::Digits || !self.is_free(i, i) {
                continue;
            }
            let prev = i.checked_sub(1);
            match chains.last_mut() {
                Some(chain)
                    if prev.is_some_and(|p| {
                        chain.last() == Some(&p) && self.gap(p).is_some_and(joins)
                    }) =>
                {
                    chain.push(i)
                }
                _ => chains.push(vec![i]),
            }
        }
        chains
    }

    /// How many of the digit tokens `groups` form a phone number: ten digits starting with 0,
    /// `+31`/`0031` with nine more (after an optional `(0)`), or another international
    /// number of up to 15 digits.
    fn phone_len(&self, groups: &[usize]) -> Option<usize> {
        let plus = self.text[..self.tokens[*groups.first()?].start].ends_with('+');
        let mut digits = String::new();
        let mut ends = Vec::new();
        for &g in groups {
            digits.push_str(self.tokens[g].text);
            ends.push(digits.len());
            if digits.len() > 20 {
                break;
            }
        }
        let target = if plus || digits.starts_with("00") {
            let country_at = if plus { 0 } else { 2 };
            match digits[country_at..].strip_prefix("31") {
                Some(national) => country_at + 2 + usize::from(national.starts_with('0')) + 9,
                None => {
                    let n = ends.iter().take_while(|&&e| e <= country_at + 15).count();
                    return (n > 0 && ends[n - 1] >= country_at + 8).then_some(n);
                }
            }
        } else if digits.starts_with('0') {
            10
        } else {
            return None;
        };
        ends.iter().position(|&e| e == target).map(|n| n + 1)
    }

    /// How many of the digit tokens `groups` make a BSN: nine digits passing the elfproef,
    /// whole or in groups of two or more joined by spaces or dots.
    fn bsn_len(&self, groups: &[usize], phone: &[bool]) -> Option<usize> {
        let mut digits = String::new();
        let mut short_group = false;
        for (n, (&g, &is_phone)) in groups.iter().zip(phone).enumerate() {
            let joined = n == 0 || matches!(self.gap(g - 1), Some(" " | "." | "\u{a0}"));
            if is_phone || !joined {
                return None;
            }
            digits.push_str(self.tokens[g].text);
            short_group |= self.tokens[g].text.len() < 2;
            match digits.len() {
                9 => return ((n == 0 || !short_group) && elfproef(&digits)).then_some(n + 1),
                10.. => return None,
                _ => {}
            }
        }
        None
    }
}

/// 9·d1 + 8·d2 + … + 2·d8 − d9 divisible by 11, and not all zeros.
fn elfproef(digits: &str) -> bool {
    let d: Vec<i64> = digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(i64::from)
        .collect();
    let sum: i64 = d
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(x, w)| x * w)
        .sum();
    d.len() == 9 && d.iter().any(|&x| x != 0) && sum.rem_euclid(11) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::privacy::tests::{check, found};
    use Certainty::{High, Low};
    use Kind::Bsn;

    #[test]
    fn the_elfproef_accepts_valid_bsns_only() {
        for (digits, valid) in [
            ("111222333", true),
            ("123456782", true),
            ("628194821", true),
            ("012345672", true),
            ("111222334", false),
            ("123456783", false),
            ("628194822", false),
            ("000000000", false),
            ("12345678", false),
        ] {
            assert_eq!(elfproef(digits), valid, "{digits}");
        }
    }

    #[test]
    fn bsns_are_found_and_context_makes_them_certain() {
        check(&[
            ("Mijn BSN: 123456782", &[(Bsn, High, "123456782")]),
            ("bsn 1234.56.782 graag", &[(Bsn, High, "1234.56.782")]),
            (
                "burgerservicenummer 123 456 782",
                &[(Bsn, High, "123 456 782")],
            ),
            (
                "mijn sofi-nummer is 12.34.56.782",
                &[(Bsn, High, "12.34.56.782")],
            ),
            (
                "BSN-nummer van mijn zoon: 628194821",
                &[(Bsn, High, "628194821")],
            ),
            ("111222333 is mijn bsn", &[(Bsn, High, "111222333")]),
            ("Ordernummer 111222333", &[(Bsn, Low, "111222333")]),
            ("zaak 628194821 loopt nog", &[(Bsn, Low, "628194821")]),
            (
                "order 111222333, bsn 123456782",
                &[(Bsn, Low, "111222333"), (Bsn, High, "123456782")],
            ),
            ("bsn 012345672", &[(Bsn, High, "012345672")]),
            ("BSN123456782", &[(Bsn, High, "123456782")]),
            (
                "bsn 123456782 en van mijn vrouw 111222333",
                &[(Bsn, High, "123456782"), (Bsn, Low, "111222333")],
            ),
        ]);
    }

    #[test]
    fn near_misses_are_no_bsn() {
        check(&[
            ("bsn 123456783", &[]),       // one digit changed
            ("bsn 1234.56.783", &[]),     // the same, with dots
            ("bsn 111 222 334", &[]),     // the same, with spaces
            ("bsn 1234567821", &[]),      // inside a longer run
            ("bsn 91234567823", &[]),     // inside a longer run
            ("bsn 12345678", &[]),        // eight digits are out of scope
            ("1 2 3 4 5 6 7 8 2", &[]),   // single digits are a list, not a number
            ("kenmerk AB123456782", &[]), // glued to letters
            ("bsn 1234567820", &[]),
            ("bsn 000000000", &[]),
        ]);
    }

    #[test]
    fn phone_numbers_are_no_bsn() {
        // 612345671 passes the elfproef: only the phone rules keep these out.
        for text in [
            "0612345678",
            "06-12345678",
            "06 1234 5678",
            "06 12345671",
            "+31612345678",
            "+31612345671",
            "+31 612345671",
            "+31 6 1234 5671",
            "+31 (0)6 1234 5671",
            "0031612345678",
            "0031 612345671",
            "020-1234567",
            "020 612 3456",
            "+32 612 345 671",
            "mijn bsn? nee, bel me op +31 612345671",
        ] {
            assert_eq!(found(text), [], "in {text:?}");
        }
        check(&[(
            "bel 06-12345678, bsn 123456782",
            &[(Bsn, High, "123456782")],
        )]);
    }
}
