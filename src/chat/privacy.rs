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
//! The text is cut into alphanumeric tokens and the gaps between them; each rule reads a few
//! tokens. Checksums (elfproef, mod-97) and context words keep false positives down. The crate
//! has no regex dependency, and separator and context-window rules read well as token code.
//!
//! Deliberately not detected: a postcode without a house number (it points at a street, not a
//! person, and agents need it for questions about waste collection or parking), dates without
//! birth words, 8-digit BSNs with the leading zero left out, phone numbers and e-mail addresses
//! (a resident gives them to be contacted), names, and numbers glued to letters other than
//! "bsn" (`AB123456782` is a reference code).

use std::ops::Range;

use serde::Deserialize;

/// What kind of personal data a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

impl Default for Masking {
    fn default() -> Self {
        Masking {
            keep_last: 3,
            mask_low_certainty: true,
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
    let findings = detect(text);
    Screened {
        text: mask(text, &findings, rule),
        findings: findings.iter().map(|f| (f.kind, f.certainty)).collect(),
    }
}

/// Personal data in `text`, sorted by position and never overlapping.
pub fn detect(text: &str) -> Vec<Finding> {
    let mut scan = Scan::new(text);
    // Order matters: each rule claims its tokens, so the digits of an IBAN, a date or an
    // address are not read again as a BSN.
    scan.ibans();
    scan.dates();
    scan.addresses();
    scan.numbers();
    let mut findings = scan.findings;
    findings.sort_by_key(|f| f.range.start);
    findings
}

/// `text` with `findings` (from [`detect`] on the same text) replaced by `•`s.
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
            let chars: Vec<char> = value.chars().filter(char::is_ascii_alphanumeric).collect();
            let hidden = chars.len() - keep_last.min(MAX_VISIBLE).min(chars.len());
            let mut out: String = std::iter::repeat_n('•', hidden).collect();
            out.extend(&chars[hidden..]);
            out
        }
    }
}

const BSN_WORDS: &[&str] = &[
    "bsn",
    "burgerservicenummer",
    "burgerservice",
    "sofinummer",
    "sofi",
];
const BIRTH_WORDS: &[&str] = &["geboren", "geboortedatum", "geboortedag", "geb"];
const MONTHS: &str = "januari februari maart april mei juni juli augustus september oktober \
                      november december";
/// Two-letter Dutch words that follow a year or amount ("in 2023 op 12 …"); typed in lower
/// case after a space they are not taken for postcode letters.
const SHORT_WORDS: &[&str] = &[
    "af", "al", "de", "en", "er", "ik", "in", "is", "je", "ja", "me", "na", "nu", "of", "om", "op",
    "te", "tv", "uw", "we", "ze", "zo",
];
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Digits,
    Letters,
    Mixed,
}

/// A maximal run of alphanumeric characters.
struct Token<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    class: Class,
}

struct Scan<'t> {
    text: &'t str,
    tokens: Vec<Token<'t>>,
    /// Byte ranges already explained (a finding, or an ordinary date or invalid IBAN), which
    /// later rules leave alone.
    claimed: Vec<Range<usize>>,
    findings: Vec<Finding>,
}

impl<'t> Scan<'t> {
    fn new(text: &'t str) -> Self {
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
    fn gap(&self, i: usize) -> Option<&'t str> {
        let next = self.tokens.get(i + 1)?;
        self.text.get(self.tokens.get(i)?.end..next.start)
    }

    fn is_free(&self, first: usize, last: usize) -> bool {
        let (start, end) = (self.tokens[first].start, self.tokens[last].end);
        self.claimed
            .iter()
            .all(|r| r.end <= start || r.start >= end)
    }

    fn claim(&mut self, first: usize, last: usize, found: Option<(Kind, Certainty)>) {
        let range = self.tokens[first].start..self.tokens[last].end;
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
    fn near(&self, first: usize, last: usize, words: &[&str], before: usize, after: usize) -> bool {
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
    fn each(&mut self, rule: impl Fn(&Self, usize) -> Option<(usize, Option<(Kind, Certainty)>)>) {
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

    fn ibans(&mut self) {
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
        if head.len() < 4
            || !head[..2].iter().all(u8::is_ascii_alphabetic)
            || !head[2..4].iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let country = head[..2].to_ascii_uppercase();
        let expected = IBAN_LENGTHS.iter().find(|(cc, _)| cc.as_bytes() == country);
        let mut compact = String::new();
        let mut longest_valid = None;
        for j in i..self.tokens.len() {
            let part = self.tokens[j].text;
            if !part.bytes().all(|b| b.is_ascii_alphanumeric()) || compact.len() + part.len() > 34 {
                break;
            }
            compact.push_str(part);
            match expected {
                Some(&(_, len)) if compact.len() == len => return Some((j, mod97_ok(&compact))),
                None if compact.len() >= 15 && mod97_ok(&compact) => {
                    longest_valid = Some((j, true))
                }
                _ => {}
            }
            if !matches!(self.gap(j), Some(" " | "\u{a0}")) {
                break;
            }
        }
        longest_valid
    }

    fn dates(&mut self) {
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

    fn addresses(&mut self) {
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

    /// Phone numbers first, so their digits are not read as a BSN; then BSNs.
    fn numbers(&mut self) {
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
    use Certainty::{High, Low};
    use Kind::{Address, BirthDate, Bsn, Iban};

    type Expected<'a> = &'a [(Kind, Certainty, &'a str)];

    fn found(text: &str) -> Vec<(Kind, Certainty, &str)> {
        detect(text)
            .into_iter()
            .map(|f| (f.kind, f.certainty, &text[f.range]))
            .collect()
    }

    fn check(cases: &[(&str, Expected)]) {
        for (text, expected) in cases {
            assert_eq!(found(text), *expected, "in {text:?}");
        }
    }

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
            ("NL91ABNA0417164301", &[]),
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
        ]);
    }

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
            ("geen persoonsgegevens", keep(3), "geen persoonsgegevens"),
        ] {
            assert_eq!(screen(text, &rule).text, masked, "in {text:?}");
        }
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
        assert_eq!(found("ëën 123456782é"), []);
        assert_eq!(found("café 1234 AB 12ë"), []);
    }

    #[test]
    fn masking_reads_from_the_privacy_table() {
        let rule: Masking = toml::from_str("keep_last = 0").expect("valid toml");
        assert_eq!((rule.keep_last, rule.mask_low_certainty), (0, true));
        assert!(toml::from_str::<Masking>("keep_first = 2").is_err());
    }

    #[test]
    fn kinds_have_dutch_labels() {
        let labels = [Bsn, Iban, BirthDate, Address].map(Kind::label);
        assert_eq!(labels, ["BSN", "IBAN", "geboortedatum", "adres"]);
    }
}
