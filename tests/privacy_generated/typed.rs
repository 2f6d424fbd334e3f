//! Personal data as residents type it, generated from a seed: valid BSNs and IBANs in random
//! groups with random separators, full-width digits, invisible characters, glued letters and
//! words around them; and numbers that must stay visible (phone numbers, case numbers,
//! amounts, dates, order numbers failing the elfproef).

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// The seed every generated test starts from, so a failure can be replayed.
pub const SEED: u64 = 0x7661_6172_6762_6161;

pub fn rng(salt: u64) -> StdRng {
    StdRng::seed_from_u64(SEED ^ salt)
}

/// One value in a message, as typed and in its compact form (`111222333`, `NL91ABNA…`).
pub struct Typed {
    pub text: String,
    pub compact: String,
}

const SEPARATORS: &[&str] = &[
    " ", " ", ".", "-", "/", " - ", " / ", "\u{a0}", "\u{2009}", "\u{202f}", "–", "．", "－", "／",
    "\u{200b}",
];
const INVISIBLE: &[&str] = &[
    "\u{200b}", "\u{200c}", "\u{200d}", "\u{2060}", "\u{feff}", "\u{ad}",
];
const WORDS: &[&str] = &[
    "Goedemiddag,",
    "Hallo",
    "ik",
    "wil",
    "graag",
    "weten",
    "wanneer",
    "de",
    "aanslag",
    "komt",
    "😀",
    "👨\u{200d}👩\u{200d}👧",
    "café",
    "Ëlla",
    "—",
    "...",
    "\n",
    "u",
    "mijn",
    "zoon",
    "?",
];
const BSN_BEFORE: &[&str] = &[
    "",
    "bsn ",
    "BSN: ",
    "mijn bsn is ",
    "Mijn burgerservicenummer: ",
    "bsn",
    "BSN-nummer ",
    "sofinummer ",
    "nummer ",
    "graag ",
    "(",
    "BSN:",
    "Bsn ",
    "ＢＳＮ ",
];
const BSN_AFTER: &[&str] = &[
    "",
    ".",
    "!",
    " graag",
    " is mijn bsn",
    ")",
    "?",
    "abc",
    "x",
    "is",
];
const IBAN_BEFORE: &[&str] = &["", "IBAN ", "rekening ", "rekeningnummer: ", "op ", "naar "];

/// A valid BSN: eight random digits and the ninth that makes the elfproef pass.
pub fn bsn(rng: &mut StdRng) -> String {
    loop {
        let d: Vec<u32> = (0..8).map(|_| rng.random_range(0..10)).collect();
        let sum: u32 = d
            .iter()
            .zip([9, 8, 7, 6, 5, 4, 3, 2])
            .map(|(x, w)| x * w)
            .sum();
        let last = sum % 11;
        if last < 10 && (d.iter().any(|&x| x != 0) || last != 0) {
            return d.iter().chain([&last]).map(u32::to_string).collect();
        }
    }
}

/// A valid Dutch, Belgian or German IBAN with its check digits.
pub fn iban(rng: &mut StdRng) -> String {
    let digits = |rng: &mut StdRng, n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    };
    let (country, bban) = match rng.random_range(0..4) {
        0 => ("BE", digits(rng, 12)),
        1 => ("DE", digits(rng, 18)),
        _ => {
            let bank: String = (0..4)
                .map(|_| char::from(rng.random_range(b'A'..=b'Z')))
                .collect();
            ("NL", bank + &digits(rng, 10))
        }
    };
    let mut rest = 0u32;
    for c in bban.chars().chain(country.chars()).chain("00".chars()) {
        let v = c.to_digit(36).expect("alphanumeric");
        rest = (rest * if v < 10 { 10 } else { 100 } + v) % 97;
    }
    format!("{country}{:02}{bban}", 98 - rest)
}

/// Group sizes for a number of `len` characters: whole, in fours (IBAN) or threes, or at
/// random, never a group of one (a list of single digits is no number).
fn groups(rng: &mut StdRng, len: usize) -> Vec<usize> {
    let fixed: &[&[usize]] = if len == 9 {
        &[
            &[9],
            &[3, 3, 3],
            &[4, 2, 3],
            &[2, 2, 2, 3],
            &[3, 2, 2, 2],
            &[5, 4],
        ]
    } else {
        &[&[len]]
    };
    match rng.random_range(0..4) {
        0 if len > 9 => {
            let mut sizes = vec![4; len / 4];
            if !len.is_multiple_of(4) {
                sizes.push(len % 4);
            }
            sizes
        }
        0 | 1 => fixed.choose(rng).expect("not empty").to_vec(),
        _ => {
            let mut sizes = Vec::new();
            let mut left = len;
            while left > 0 {
                let n = rng.random_range(2..=left.min(5));
                let n = if left - n == 1 { n + 1 } else { n };
                sizes.push(n.min(left));
                left -= n.min(left);
            }
            sizes
        }
    }
}

/// `compact` as a resident might type it: in groups, with separators, full-width characters,
/// lower case and invisible characters.
pub fn typed(rng: &mut StdRng, compact: &str) -> Typed {
    let sizes = groups(rng, compact.len());
    let separator = *SEPARATORS.choose(rng).expect("not empty");
    let full_width = rng.random_bool(0.15);
    let lower = rng.random_bool(0.2);
    let mut text = String::new();
    let mut chars = compact.chars();
    for (n, size) in sizes.iter().enumerate() {
        if n > 0 {
            let odd_one = rng.random_bool(0.1);
            text.push_str(if odd_one {
                SEPARATORS.choose(rng).expect("not empty")
            } else {
                separator
            });
        }
        for c in chars.by_ref().take(*size) {
            let c = if lower { c.to_ascii_lowercase() } else { c };
            text.push(if full_width { to_full_width(c) } else { c });
            if rng.random_bool(0.04) {
                text.push_str(INVISIBLE.choose(rng).expect("not empty"));
            }
        }
    }
    Typed {
        text,
        compact: compact.to_string(),
    }
}

fn to_full_width(c: char) -> char {
    char::from_u32(u32::from(c) - 0x21 + 0xff01).unwrap_or(c)
}

fn words(rng: &mut StdRng) -> String {
    let n = rng.random_range(0..4);
    (0..n)
        .map(|_| *WORDS.choose(rng).expect("not empty"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A message with a BSN typed somehow, with words before and after.
pub fn bsn_message(rng: &mut StdRng) -> (String, Typed) {
    let compact = bsn(rng);
    let value = typed(rng, &compact);
    let before = BSN_BEFORE.choose(rng).expect("not empty");
    let after = BSN_AFTER.choose(rng).expect("not empty");
    let text = format!(
        "{} {before}{}{after} {}",
        words(rng),
        value.text,
        words(rng)
    );
    (text, value)
}

/// A message with an IBAN typed somehow.
pub fn iban_message(rng: &mut StdRng) -> (String, Typed) {
    let compact = iban(rng);
    let value = typed(rng, &compact);
    let before = IBAN_BEFORE.choose(rng).expect("not empty");
    let text = format!("{} {before}{} {}", words(rng), value.text, words(rng));
    (text, value)
}

/// A message with a postcode and house number, and the postcode's digits.
pub fn address_message(rng: &mut StdRng) -> (String, String) {
    let digits = rng.random_range(1000..10000).to_string();
    let letters: String = loop {
        let l: String = (0..2)
            .map(|_| char::from(rng.random_range(b'A'..=b'Z')))
            .collect();
        if !matches!(l.as_str(), "SA" | "SD" | "SS") {
            break l;
        }
    };
    let number = rng.random_range(1..400);
    let space = if rng.random_bool(0.5) { " " } else { "" };
    let text = match rng.random_range(0..4) {
        0 => format!("postcode {digits}{space}{letters} huisnummer {number}"),
        1 => format!("Kerkstraat {number}, {digits}{space}{letters} Dijkstede"),
        2 => format!("{digits}{space}{letters} {number}"),
        _ => format!("{digits}{space}{letters}, nr. {number}"),
    };
    (format!("{} {text} {}", words(rng), words(rng)), digits)
}

/// A message with numbers that are no personal data and must stay as they are.
pub fn harmless_message(rng: &mut StdRng) -> String {
    let mut digits = |n: usize| -> String {
        (0..n)
            .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
            .collect()
    };
    let (a, b, c) = (digits(4), digits(4), digits(9));
    let phone = [
        format!("06-{a}{b}"),
        format!("06 {a} {b}"),
        format!("+31 6 {a} {b}"),
        format!("+31 (0)6 {a}{b}"),
        format!("0031 6{a}{b}"),
        format!("06{a}{b}"),
        format!("020-{}", &c[..7]),
    ];
    let other = [
        format!("zaaknummer Z-2024-00{}", &a),
        format!("zaak 2024/{}", &c[..6]),
        format!("kenmerk AB{c}"),
        format!("€ {}.{},{}", &a[..1], &b[..3], &a[2..]),
        format!("€{c},-"),
        format!("€ {}.{}.{}", &c[..3], &c[3..6], &c[6..]),
        "afspraak op 12-03-2025".to_string(),
        "op 1 maart 2024 verhuisd".to_string(),
        format!("postcode {a}AB"),
    ];
    let order = loop {
        let n = digits(9);
        if !crate::privacy_generated::passes_elfproef(&n) {
            break format!("ordernummer {n}");
        }
    };
    let pick = match rng.random_range(0..3) {
        0 => phone.choose(rng).expect("not empty").clone(),
        1 => other.choose(rng).expect("not empty").clone(),
        _ => order,
    };
    format!("{} {pick} {}", words(rng), words(rng))
}
