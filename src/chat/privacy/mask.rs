//! Masking: findings replaced by `•`s, so that what is stored, shown or logged no longer
//! holds the value. A BSN or IBAN may keep its last few characters visible.

use super::normal::normalise;
use super::{Certainty, Finding, Kind, MAX_VISIBLE, Masking};

/// `text` with `findings` (from [`detect`](super::detect) on the same text) replaced by `•`s.
///
/// BSN and IBAN: one `•` per masked digit or letter, separators dropped, the last
/// `keep_last` (at most [`MAX_VISIBLE`]) kept: `••••••782`. A date of birth becomes
/// `••-••-••••` and an address `•••• •• ••` whatever their length, which could tell a month
/// or house number apart.
pub fn mask(text: &str, findings: &[Finding], rule: &Masking) -> String {
    let mut todo: Vec<&Finding> = findings
        .iter()
        .filter(|f| rule.mask_low_certainty || f.certainty == Certainty::High)
        .collect();
    todo.sort_by_key(|f| f.range.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for f in todo {
        // Overlapping findings are masked as their union rather than skipped.
        let range = f.range.start.max(done)..f.range.end;
        if range.is_empty() {
            continue;
        }
        let (Some(before), Some(value)) = (text.get(done..range.start), text.get(range.clone()))
        else {
            continue; // not a range of this text
        };
        out.push_str(before);
        out.push_str(&masked(f.kind, value, rule.keep_last));
        done = range.end;
    }
    out.push_str(text.get(done..).unwrap_or_default());
    out
}

fn masked(kind: Kind, value: &str, keep_last: usize) -> String {
    match kind {
        Kind::BirthDate => "••-••-••••".into(),
        Kind::Address => "•••• •• ••".into(),
        Kind::Bsn | Kind::Iban => {
            // Normalised, so full-width digits count and invisible characters do not.
            let value = normalise(value);
            let chars: Vec<char> = value.chars().filter(char::is_ascii_alphanumeric).collect();
            let hidden = chars.len() - keep_last.min(MAX_VISIBLE).min(chars.len());
            let mut out: String = std::iter::repeat_n('•', hidden).collect();
            out.extend(&chars[hidden..]);
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::privacy::{screen, screen_message};
    use Certainty::{High, Low};
    use Kind::Bsn;

    #[test]
    fn masking_hides_all_but_the_last_characters() {
        let keep = |keep_last| Masking {
            keep_last,
            ..Masking::default()
        };
        for (text, rule, masked) in [
            ("Mijn BSN: 123456782", keep(3), "Mijn BSN: ••••••782"),
            ("bsn 123 456 782.", keep(3), "bsn ••••••782."),
            ("bsn 123456782", keep(0), "bsn •••••••••"),
            ("bsn 123456782", keep(9), "bsn •••••6782"),
            ("NL91 ABNA 0417 1643 00", keep(3), "•••••••••••••••300"),
            ("NL91 ABNA 0417 1643 00", keep(4), "••••••••••••••4300"),
            ("NL91ABNA0417164300", keep(0), "••••••••••••••••••"),
            (
                "geboren op 12 maart 1985.",
                keep(3),
                "geboren op ••-••-••••.",
            ),
            ("1234 AB 12a", keep(3), "•••• •• ••"),
            (
                "Dorpsstraat 12, 1234 AB Dijkstede",
                keep(3),
                "Dorpsstraat •••• •• •• Dijkstede",
            ),
            (
                "Één vraag, café: bsn 123456782 ✓ één",
                keep(3),
                "Één vraag, café: bsn ••••••782 ✓ één",
            ),
            ("order 111222333", keep(3), "order ••••••333"),
            ("bsn １１１２２２３３３", keep(3), "bsn ••••••333"),
            ("bsn 111\u{200b}222\u{200b}333!", keep(3), "bsn ••••••333!"),
            ("111222333abc", keep(3), "••••••333abc"),
            ("NL91-ABNA-0417-1643-00", keep(3), "•••••••••••••••300"),
            (
                "postcode 1234AB huisnummer 12, graag",
                keep(3),
                "postcode •••• •• ••, graag",
            ),
            (
                "👨\u{200d}👩\u{200d}👧 bsn 111222333",
                keep(3),
                "👨\u{200d}👩\u{200d}👧 bsn ••••••333",
            ),
            ("geen persoonsgegevens", keep(3), "geen persoonsgegevens"),
        ] {
            assert_eq!(screen(text, &rule).text, masked, "in {text:?}");
        }
    }

    #[test]
    fn the_profile_name_is_screened_but_its_findings_are_not_the_messages() {
        let screened = screen_message(
            "Wanneer wordt het grofvuil opgehaald?",
            Some("Jan BSN 111222333"),
            &Masking::default(),
        );
        assert_eq!(screened.text.findings, []);
        let name = screened.resident_name.expect("a name was given");
        assert_eq!(name.text, "Jan BSN ••••••333");
        assert_eq!(name.findings, [(Bsn, High)]);
        let nameless = screen_message("hallo", None, &Masking::default());
        assert_eq!(nameless.resident_name, None);
    }

    #[test]
    fn low_certainty_findings_can_be_left_visible() {
        let rule = Masking {
            mask_low_certainty: false,
            ..Masking::default()
        };
        let screened = screen("order 111222333, bsn 123456782", &rule);
        assert_eq!(screened.text, "order 111222333, bsn ••••••782");
        assert_eq!(screened.findings, [(Bsn, Low), (Bsn, High)]);
    }

    #[test]
    fn a_masked_bsn_never_shows_its_nine_digits() {
        for keep_last in [0, 3, 9, 100] {
            let rule = Masking {
                keep_last,
                ..Masking::default()
            };
            for text in [
                "123456782",
                "bsn: 123.456.782",
                "1234 56 782!",
                "x 12.34.56.782 y",
            ] {
                let masked = screen(text, &rule).text;
                let digits: String = masked.chars().filter(char::is_ascii_digit).collect();
                assert!(digits.len() <= MAX_VISIBLE, "{text:?} → {masked:?}");
            }
        }
    }
}
