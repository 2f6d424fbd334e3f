//! Dates of birth: any date is read, so its digits are not taken for a BSN, but only one with
//! birth words around it ("geboren", "geb.") is a finding.

use super::scan::{Class, Scan};
use super::{Certainty, Kind};

const BIRTH_WORDS: &[&str] = &["geboren", "geboortedatum", "geboortedag", "geb"];
const MONTHS: &str = "januari februari maart april mei juni juli augustus september oktober \
                      november december";

impl Scan<'_> {
    pub(super) fn dates(&mut self) {
        self.each(|s, i| {
            let last = s.date_at(i)?;
            // Ordinary dates are claimed too: their digits are no BSN.
            let birth = s.near(i, last, BIRTH_WORDS, 5, 2);
            Some((last, birth.then_some((Kind::BirthDate, Certainty::High))))
        });
    }

    /// A date starting at token `i` (`12-03-1985`, `12/03/85`, `1985-03-12`, `12 maart 1985`,
    /// `1 mrt. 1985`): its last token.
    fn date_at(&self, i: usize) -> Option<usize> {
        let number = |k: usize| {
            let t = self
                .tokens
                .get(k)
                .filter(|t| t.class == Class::Digits && t.text.len() <= 4)?;
            Some((t.text.parse::<u32>().ok()?, t.text.len()))
        };
        let (a, a_len) = number(i)?;
        let sep = self.gap(i)?;
        if matches!(sep, "-" | "/" | ".") {
            if self.gap(i + 1) != Some(sep) {
                return None;
            }
            // `11-12-22-333` and `684.02.09.56` are numbers in groups, not dates with
            // something before or after them.
            let tight = |g: &str| matches!(g, "-" | "/" | ".");
            let digits_at = |k: usize| {
                let t = self.tokens.get(k);
                t.is_some_and(|t| t.text.starts_with(|c: char| c.is_ascii_digit()))
            };
            let continues = (self.gap(i + 2).is_some_and(tight) && digits_at(i + 3))
                || (i > 0 && self.gap(i - 1).is_some_and(tight) && digits_at(i - 1));
            if continues {
                return None;
            }
            let ((b, b_len), (c, c_len)) = (number(i + 1)?, number(i + 2)?);
            let (y, m, d) = match (a_len, b_len, c_len) {
                (1 | 2, 1 | 2, 4) => (c, b, a),
                (1 | 2, 1 | 2, 2) => (1900 + c, b, a),
                (4, 1 | 2, 1 | 2) => (a, b, c),
                _ => return None,
            };
            return is_date(y, m, d).then_some(i + 2);
        }
        let month = month_number(self.tokens.get(i + 1)?.text)?;
        let (y, y_len) = number(i + 2)?;
        let spaced = sep.trim().is_empty() && matches!(self.gap(i + 1)?.trim(), "" | ".");
        (a_len <= 2 && y_len == 4 && spaced && is_date(y, month, a)).then_some(i + 2)
    }
}

fn is_date(y: u32, m: u32, d: u32) -> bool {
    i32::try_from(y).is_ok_and(|y| chrono::NaiveDate::from_ymd_opt(y, m, d).is_some())
}

/// `maart`, `mrt`, `sept`, `okt` …: full Dutch month names and their abbreviations.
fn month_number(word: &str) -> Option<u32> {
    let word = word.to_lowercase();
    let found = match word.as_str() {
        "mrt" => Some(2),
        w if w.len() >= 3 => MONTHS.split_whitespace().position(|m| m.starts_with(w)),
        _ => None,
    };
    found.and_then(|i| u32::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::privacy::tests::{check, found};
    use Certainty::High;
    use Kind::BirthDate;

    #[test]
    fn dates_are_flagged_only_as_a_date_of_birth() {
        check(&[
            (
                "Ik ben geboren op 12-03-1985",
                &[(BirthDate, High, "12-03-1985")],
            ),
            (
                "geboortedatum: 1985-03-12",
                &[(BirthDate, High, "1985-03-12")],
            ),
            ("geb. 12 maart 1985", &[(BirthDate, High, "12 maart 1985")]),
            ("geb 1 mrt. 1985", &[(BirthDate, High, "1 mrt. 1985")]),
            ("geboren 12/03/85", &[(BirthDate, High, "12/03/85")]),
            ("12-03-1985 geboren", &[(BirthDate, High, "12-03-1985")]),
            ("Afspraak op 12-03-2025", &[]),
            ("op 12 maart 1985 verhuisd", &[]),
            ("geboren 31-02-1985", &[]),
            (
                "geboren op １２－０３－１９８５",
                &[(BirthDate, High, "１２－０３－１９８５")],
            ),
            (
                "geboren op 12\u{200b}-03-1985",
                &[(BirthDate, High, "12\u{200b}-03-1985")],
            ),
        ]);
        // Numbers in groups of two are no dates (a BSN may be read there instead).
        for text in [
            "geboren 11-12-22-333",
            "geboren 684.02.09.56",
            "13.07.97.509abc",
        ] {
            let kinds: Vec<Kind> = found(text).into_iter().map(|(kind, ..)| kind).collect();
            assert!(!kinds.contains(&BirthDate), "in {text:?}");
        }
    }
}
