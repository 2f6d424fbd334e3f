//! Generated personal data (see `typed.rs`) through the guard: thousands of values at the
//! scanner, and a few hundred through the real server into the database files, the export
//! and the logs. None may survive; phone numbers, case numbers, amounts and dates must.

mod typed;

use unicode_normalization::UnicodeNormalization;
use vraagbaak::chat::privacy::{Masking, screen};

use typed::{address_message, bsn_message, harmless_message, iban_message, rng};

mod full_path;

/// The elfproef, written again here so the test does not trust the code it tests.
pub fn passes_elfproef(digits: &str) -> bool {
    let d: Vec<i64> = digits.bytes().map(|b| i64::from(b - b'0')).collect();
    let sum: i64 = d
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(x, w)| x * w)
        .sum();
    d.len() == 9 && sum.rem_euclid(11) == 0
}

/// The ASCII digits a reader sees in `text`, full-width ones included.
fn digits_in(text: &str) -> String {
    text.nfkc().filter(char::is_ascii_digit).collect()
}

/// The characters of an IBAN that survive in `text`, full-width ones as ASCII.
fn alphanumerics_in(text: &str) -> String {
    text.nfkc()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[test]
fn thousands_of_generated_bsns_leave_only_their_last_three_digits() {
    let mut rng = rng(1);
    let rule = Masking::default();
    for _ in 0..5_000 {
        let (text, bsn) = bsn_message(&mut rng);
        let screened = screen(&text, &rule);
        // The last three digits stay visible, unless the number was also read as something
        // masked whole (`16290 2141is` reads as a house number and postcode).
        let left = digits_in(&screened.text);
        assert!(
            left.len() <= 3 && bsn.compact.ends_with(&left) && !screened.findings.is_empty(),
            "{text:?} ({}) became {:?}",
            bsn.compact,
            screened.text
        );
    }
}

#[test]
fn thousands_of_generated_ibans_leave_only_their_last_three_characters() {
    let mut rng = rng(2);
    let rule = Masking::default();
    for _ in 0..3_000 {
        let (text, iban) = iban_message(&mut rng);
        let screened = screen(&text, &rule);
        let left = alphanumerics_in(&screened.text);
        let tail = &iban.compact[iban.compact.len() - 3..];
        assert!(
            !left.contains(&iban.compact[4..]) && left.contains(tail),
            "{text:?} ({}) became {:?}",
            iban.compact,
            screened.text
        );
        assert_eq!(
            digits_in(&screened.text),
            digits_in(tail),
            "{text:?} became {:?}",
            screened.text
        );
    }
}

#[test]
fn generated_addresses_lose_their_postcode() {
    let mut rng = rng(3);
    let rule = Masking::default();
    for _ in 0..1_000 {
        let (text, postcode) = address_message(&mut rng);
        let screened = screen(&text, &rule);
        assert_eq!(digits_in(&screened.text), "", "{text:?} ({postcode})");
    }
}

#[test]
fn generated_phone_numbers_case_numbers_amounts_and_dates_stay_visible() {
    let mut rng = rng(4);
    let rule = Masking::default();
    for _ in 0..3_000 {
        let text = harmless_message(&mut rng);
        let screened = screen(&text, &rule);
        assert_eq!(screened.text, text, "findings: {:?}", screened.findings);
    }
}
