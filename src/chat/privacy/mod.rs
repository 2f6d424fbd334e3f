//! The privacy guard: finds personal data in a resident's message (BSN, IBAN, date of birth,
//! address) and masks it before the message is stored, shown to an agent or logged.
//!
//! It runs once, on arrival, because every later copy is hard to take back:
//! - A BSN must never be stored in full. Residents send it anyway ("mijn bsn is …") although
//!   the privacy notice asks them not to, and WhatsApp is no channel for a BSN: the message
//!   already lives on the resident's phone and at Meta, and we add no copy of our own.
//! - Conversations are archived under the Archiefwet and kept for years, so whatever is not
//!   masked on arrival ends up in the archive, the dashboard and the logs.
//!
//! The text is first normalised (`normal.rs`: NFKC, so full-width digits are digits; invisible
//! characters left out; odd dashes folded), then cut into alphanumeric tokens and the gaps
//! between them; each rule reads a few tokens. Findings are mapped back to the original text,
//! which is what is stored, with only the findings masked. Digit groups may be separated by a
//! space, dot, dash or slash (`111-222-333`, `NL91.ABNA.…`). Checksums (elfproef, mod-97) and context words keep false positives down. The crate
//! has no regex dependency, and separator and context-window rules read well as token code.
//!
//! Deliberately not detected: a postcode without a house number (it points at a street, not a
//! person, and agents need it for questions about waste collection or parking), dates without
//! birth words, 8-digit BSNs with the leading zero left out, phone numbers and e-mail addresses
//! (a resident gives them to be contacted), names (agents address residents by them; text that
//! becomes content masks the names a message introduces, see [`mask_names`]), numbers with
//! letters glued before them
//! other than "bsn" (`AB123456782` is a reference code; `123456782abc` is read as a typo),
//! amounts (`€ 123.456.782`, `123.456.782,-`), and nine digits that continue another number
//! without a space (`52.123456782`, `2024-123456782`).
//!
//! # Layout
//!
//! ```text
//! mod.rs      what a finding is, the masking settings, screen and detect (the rule order)
//! normal.rs   the normalised text the rules read, mapped back to the original
//! scan.rs     tokens and the scanner every rule reads with: claimed ranges, context words
//! iban.rs     IBANs, by their check digits
//! date.rs     dates, a finding only next to birth words
//! address.rs  a postcode with a house number
//! bsn.rs      BSNs by the elfproef, with phone numbers kept out
//! mask.rs     replacing findings with `•`s
//! ```

mod address;
mod bsn;
mod date;
mod iban;
mod mask;
mod normal;
mod scan;

use std::ops::Range;

use serde::Deserialize;

pub use mask::mask;
use normal::Normalised;
use scan::Scan;

/// What kind of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Bsn,
    Iban,
    BirthDate,
    Address,
}

impl Kind {
    /// The Dutch name shown to agents next to a masked value.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Bsn => "BSN",
            Kind::Iban => "IBAN",
            Kind::BirthDate => "geboortedatum",
            Kind::Address => "adres",
        }
    }
}

/// How sure the guard is that a finding is personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Context words confirm it ("bsn", "geboren"), or the form is unmistakable (an IBAN with
    /// valid check digits, a postcode with a house number).
    High,
    /// Nine digits pass the elfproef but nothing says "bsn": one in eleven order or case
    /// numbers passes too. Flag only.
    Low,
}

/// One piece of personal data in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub certainty: Certainty,
    /// Byte range in the text given to [`detect`], always on char boundaries.
    pub range: Range<usize>,
}

/// How findings are masked: the `[privacy]` table of `vraagbaak.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Masking {
    /// Trailing characters of a BSN or IBAN left visible, so an agent can check "the number
    /// ending in 782" with the resident. Capped at [`MAX_VISIBLE`]: with more, the elfproef
    /// would give the remaining digits away. Dates of birth and addresses are always masked
    /// completely.
    pub keep_last: usize,
    /// Mask low-certainty findings too. On by default: a masked order number costs less than
    /// a stored BSN.
    pub mask_low_certainty: bool,
    /// The kinds the guard acts on: masked, shown to agents as a warning, and answered with
    /// the privacy article by the bot. All four by default. A municipality whose residents
    /// report street lights and potholes by address may leave out `address`: the agent then
    /// sees where the problem is. The other kinds are still detected, so their digits are
    /// never taken for a BSN.
    pub kinds: Vec<Kind>,
}

impl Default for Masking {
    fn default() -> Self {
        Masking {
            keep_last: 3,
            mask_low_certainty: true,
            kinds: vec![Kind::Bsn, Kind::Iban, Kind::BirthDate, Kind::Address],
        }
    }
}

/// The most characters of a BSN or IBAN [`Masking::keep_last`] may leave visible.
pub const MAX_VISIBLE: usize = 4;

/// A message after the guard: what may be stored, and what was found (without the values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Screened {
    /// The text with every finding masked (low-certainty ones per [`Masking`]).
    pub text: String,
    /// What was found, in order of position; safe to count in logs.
    pub findings: Vec<(Kind, Certainty)>,
}

/// Detects and masks in one call; what channels run on every incoming message.
pub fn screen(text: &str, rule: &Masking) -> Screened {
    let mut findings = detect(text);
    findings.retain(|f| rule.kinds.contains(&f.kind));
    Screened {
        text: mask(text, &findings, rule),
        findings: findings.iter().map(|f| (f.kind, f.certainty)).collect(),
    }
}

/// Every text a resident sent with one message, after the guard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreenedMessage {
    /// The message text; for media and locations the channel's summary, which holds the
    /// caption, the file name and the place's name and address.
    pub text: Screened,
    /// The name the resident set on the channel (WhatsApp's profile name). Residents put
    /// anything there, numbers too. Its findings are not the message's: the name comes with
    /// every message, and the privacy answer would then follow each one.
    pub resident_name: Option<Screened>,
}

/// Screens everything a resident supplied with one message; what the chat service runs
/// before storing anything.
pub fn screen_message(text: &str, resident_name: Option<&str>, rule: &Masking) -> ScreenedMessage {
    ScreenedMessage {
        text: screen(text, rule),
        resident_name: resident_name.map(|name| screen(name, rule)),
    }
}

/// `text` with the people's names it introduces ("mevrouw Jansen", "mijn naam is Fatima el
/// Amrani", see [`crate::search::names`]) masked, for text that becomes content: an example
/// question in `kb/` is read by every editor and may live in a public repository. The stored
/// conversation keeps names (agents address residents by them; see the module's notes).
pub fn mask_names(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in crate::search::names::name_ranges(text) {
        out.push_str(&text[last..range.start]);
        for c in text[range.clone()].chars() {
            out.push(if c.is_whitespace() { c } else { '•' });
        }
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Personal data in `text`, sorted by position and never overlapping.
pub fn detect(text: &str) -> Vec<Finding> {
    let normalised = Normalised::new(text);
    let mut scan = Scan::new(&normalised.text);
    // Order matters: each rule claims its tokens, so the digits of an IBAN, a date or an
    // address are not read again as a BSN.
    scan.ibans();
    scan.dates();
    scan.addresses();
    scan.numbers();
    let mut findings = scan.findings;
    for f in &mut findings {
        f.range = normalised.original(&f.range);
    }
    findings.sort_by_key(|f| f.range.start);
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::{Address, BirthDate, Bsn, Iban};

    type Expected<'a> = &'a [(Kind, Certainty, &'a str)];

    /// What [`detect`] finds in `text`, with the values; shared by the rules' tests.
    pub(super) fn found(text: &str) -> Vec<(Kind, Certainty, &str)> {
        detect(text)
            .into_iter()
            .map(|f| (f.kind, f.certainty, &text[f.range]))
            .collect()
    }

    pub(super) fn check(cases: &[(&str, Expected)]) {
        for (text, expected) in cases {
            assert_eq!(found(text), *expected, "in {text:?}");
        }
    }

    #[test]
    fn odd_input_never_panics_and_ranges_stay_on_char_boundaries() {
        let long_run = "1".repeat(10_000);
        let many_groups = "12 ".repeat(5_000);
        for text in [
            "",
            " ",
            "+",
            "+31",
            "00",
            "NL",
            "NL91",
            "geb.",
            "(0)",
            "-",
            "1234 AB",
            "€",
            "١٢٣٤٥٦٧٨٩",
            "ëën 123456782é",
            "café 1234 AB 12ë",
            &long_run,
            &many_groups,
        ] {
            let findings = detect(text);
            for pair in findings.windows(2) {
                assert!(
                    pair[0].range.end <= pair[1].range.start,
                    "overlap in {text:?}"
                );
            }
            for f in &findings {
                assert!(
                    text.get(f.range.clone()).is_some(),
                    "{:?} in {text:?}",
                    f.range
                );
            }
            screen(text, &Masking::default());
        }
        // Letters glued after the digits are a typo, whatever the alphabet.
        assert_eq!(
            found("ëën 123456782é"),
            [(Bsn, Certainty::Low, "123456782")]
        );
        assert_eq!(found("café 1234 AB 12ë"), []);
    }

    #[test]
    fn masking_reads_from_the_privacy_table() {
        let rule: Masking = toml::from_str("keep_last = 0").expect("valid toml");
        assert_eq!((rule.keep_last, rule.mask_low_certainty), (0, true));
        assert!(toml::from_str::<Masking>("keep_first = 2").is_err());
    }

    #[test]
    fn kinds_left_out_of_the_rule_are_neither_masked_nor_reported() {
        let rule: Masking =
            toml::from_str(r#"kinds = ["bsn", "iban", "birth_date"]"#).expect("valid toml");
        let text = "De lantaarnpaal bij 3741 AB 12 is kapot, mijn bsn is 123456782";
        let screened = screen(text, &rule);
        assert_eq!(
            screened.text,
            "De lantaarnpaal bij 3741 AB 12 is kapot, mijn bsn is ••••••782"
        );
        assert_eq!(screened.findings, [(Bsn, Certainty::High)]);
        assert!(toml::from_str::<Masking>(r#"kinds = ["telefoon"]"#).is_err());
    }

    #[test]
    fn kinds_have_dutch_labels() {
        let labels = [Bsn, Iban, BirthDate, Address].map(Kind::label);
        assert_eq!(labels, ["BSN", "IBAN", "geboortedatum", "adres"]);
    }
}
