//! BSNs: nine digits passing the elfproef, certain when a word such as "bsn" is near. Phone
//! numbers are recognised first, only so that their digits are not read as a BSN.

use std::ops::Range;

use super::scan::{Scan, is_separator};
use super::{Certainty, Kind};

const BSN_WORDS: &[&str] = &[
    "bsn",
    "burgerservicenummer",
    "burgerservice",
    "sofinummer",
    "sofi",
];

/// The digits of one token that may be part of a number: a digit token whole, or the digits
/// of a token with letters glued to them. Letters after the digits are a typo or a word run
/// on (`123456782abc`); letters before them only when they are a BSN word (`bsn123456782`),
/// because `AB123456782` is a reference code.
struct Group {
    token: usize,
    /// Byte range of the digits in the scanned text.
    digits: Range<usize>,
    /// A BSN word is glued before the digits.
    prefixed: bool,
    /// Letters are glued after the digits, so no group can follow.
    suffixed: bool,
}

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
            // A BSN starts and ends where the chain does or at a gap with a space: in
            // `52.123456782` or `2024-123456782` the digits continue another number.
            let tight_before: Vec<bool> = (0..=chain.len())
                .map(|k| {
                    k > 0
                        && k < chain.len()
                        && self
                            .gap(chain[k - 1].token)
                            .is_some_and(|g| !g.contains(' '))
                })
                .collect();
            let tight = |k: usize| tight_before[k];
            let mut k = 0;
            while k < chain.len() {
                let found = self.bsn_len(&chain[k..], &phone[k..]);
                let Some(n) = found.filter(|&n| !tight(k) && !tight(k + n)) else {
                    k += 1;
                    continue;
                };
                let (first, last) = (&chain[k], &chain[k + n - 1]);
                let range = first.digits.start..last.digits.end;
                if self.is_amount(&range, first.token) {
                    k += n;
                    continue;
                }
                let certainty =
                    if first.prefixed || self.near(first.token, last.token, BSN_WORDS, 5, 3) {
                        Certainty::High
                    } else {
                        Certainty::Low
                    };
                self.claim_range(range, Some((Kind::Bsn, certainty)));
                k += n;
            }
        }
    }

    /// The digits of token `i` as a [`Group`], if it has any that can be part of a number.
    fn group(&self, i: usize) -> Option<Group> {
        let t = &self.tokens[i];
        let lower = t.text.to_ascii_lowercase();
        let prefix = BSN_WORDS
            .iter()
            .filter(|w| lower.starts_with(*w))
            .map(|w| w.len())
            .max()
            .unwrap_or(0);
        let rest = t.text.get(prefix..)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = rest.get(digits..)?;
        let suffixed = !suffix.is_empty();
        (digits > 0 && suffix.chars().all(char::is_alphabetic)).then(|| Group {
            token: i,
            digits: t.start + prefix..t.start + prefix + digits,
            prefixed: prefix > 0,
            suffixed,
        })
    }

    /// Free digit groups joined the way people type numbers: `06-1234 5678`, `+31 (0)6 …`,
    /// `1234.56.782`, `111 / 222 / 333`.
    fn chains(&self) -> Vec<Vec<Group>> {
        let joins = |gap: &str| {
            let marks = gap.chars().filter(|&c| c != ' ').count();
            gap.chars().count() <= 3 && marks <= 1 && gap.chars().all(|c| " -./()".contains(c))
        };
        let mut chains: Vec<Vec<Group>> = Vec::new();
        for i in 0..self.tokens.len() {
            let Some(group) = self.group(i).filter(|_| self.is_free(i, i)) else {
                continue;
            };
            let joined = |chain: &Vec<Group>| {
                chain.last().is_some_and(|last| {
                    last.token + 1 == i
                        && !last.suffixed
                        && !group.prefixed
                        && self.gap(last.token).is_some_and(joins)
                })
            };
            match chains.last_mut() {
                Some(chain) if joined(chain) => chain.push(group),
                _ => chains.push(vec![group]),
            }
        }
        chains
    }

    /// Whether the number at `range` is an amount of money: `€ 123.456.782`, `EUR 123456782`,
    /// `123.456.782,-` or `123.456.782,00`.
    fn is_amount(&self, range: &Range<usize>, first: usize) -> bool {
        let before = self.text[..range.start].trim_end();
        let currency = first > 0
            && ["eur", "euro"]
                .iter()
                .any(|w| self.tokens[first - 1].text.eq_ignore_ascii_case(w))
            && self.tokens[first - 1].end == before.len();
        let after = &self.text[range.end..];
        let cents = after.strip_prefix(',').is_some_and(|rest| {
            rest.starts_with('-') || rest.bytes().take_while(u8::is_ascii_digit).count() == 2
        });
        before.ends_with('€') || currency || cents
    }

    /// How many of the digit groups `groups` form a phone number: ten digits starting with 0,
    /// `+31`/`0031` with nine more (after an optional `(0)`), or another international
    /// number of up to 15 digits.
    fn phone_len(&self, groups: &[Group]) -> Option<usize> {
        let plus = self.text[..groups.first()?.digits.start].ends_with('+');
        let mut digits = String::new();
        let mut ends = Vec::new();
        for g in groups {
            digits.push_str(&self.text[g.digits.clone()]);
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

    /// How many of the digit groups `groups` make a BSN: nine digits passing the elfproef,
    /// whole or in groups of two or more joined by spaces, dots, dashes or slashes.
    fn bsn_len(&self, groups: &[Group], phone: &[bool]) -> Option<usize> {
        let mut digits = String::new();
        let mut short_group = false;
        for (n, (g, &is_phone)) in groups.iter().zip(phone).enumerate() {
            let joined = n == 0 || self.gap(g.token - 1).is_some_and(is_separator);
            if is_phone || !joined {
                return None;
            }
            let group = &self.text[g.digits.clone()];
            digits.push_str(group);
            short_group |= group.len() < 2;
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
    fn bsns_typed_the_way_residents_type_them_are_found() {
        check(&[
            ("bsn 111-222-333", &[(Bsn, High, "111-222-333")]),
            ("bsn 111/222/333", &[(Bsn, High, "111/222/333")]),
            ("bsn 111 - 222 - 333", &[(Bsn, High, "111 - 222 - 333")]),
            ("bsn 11-12-22-333", &[(Bsn, High, "11-12-22-333")]),
            ("111222333abc", &[(Bsn, Low, "111222333")]),
            ("bsn: 111-222-333abc", &[(Bsn, High, "111-222-333")]),
            ("bsn111 222 333", &[(Bsn, High, "111 222 333")]),
            ("Bsn111222333x", &[(Bsn, High, "111222333")]),
            ("１１１２２２３３３", &[(Bsn, Low, "１１１２２２３３３")]),
            ("bsn 111\u{200b}222333", &[(Bsn, High, "111\u{200b}222333")]),
            (
                "bsn 111\u{ad}222\u{2060}333.",
                &[(Bsn, High, "111\u{ad}222\u{2060}333")],
            ),
            ("bsn 111–222–333", &[(Bsn, High, "111–222–333")]),
            (
                "ＢＳＮ：１１１．２２２．３３３",
                &[(Bsn, High, "１１１．２２２．３３３")],
            ),
        ]);
    }

    #[test]
    fn amounts_and_numbers_that_go_on_are_no_bsn() {
        check(&[
            ("€ 123.456.782", &[]),
            ("€123456782", &[]),
            ("EUR 123456782", &[]),
            ("123.456.782,- terug", &[]),
            ("123.456.782,00", &[]),
            ("52.123456782", &[]),
            ("zaak 2024-123456782", &[]),
            ("123456782.5 meter", &[]),
            ("AB123456782", &[]),
            ("order 111222334abc", &[]),
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
            "06-1234-5671",
            "06/12345671",
            "０６－１２３４５６７１",
            "+31\u{a0}6\u{200b}12345671",
        ] {
            assert_eq!(found(text), [], "in {text:?}");
        }
        check(&[(
            "bel 06-12345678, bsn 123456782",
            &[(Bsn, High, "123456782")],
        )]);
    }
}
