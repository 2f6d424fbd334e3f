//! Web addresses and e-mail addresses in a message.
//!
//! Residents paste the page they looked at (`zie https://www.dijkstede.nl/afval`, "ik keek op
//! www.dijkstede.nl maar vond het niet") or add their e-mail address. The tokenizer reads an
//! address as words ("https", "www", "dijkstede", "nl", "afval"), which no article explains as
//! a question's words: with such an address added to every message of `dev.tsv`, the bot
//! answered a third of what it answers without. An address says where the resident looked or
//! how to reach them, not what they ask, and is left out like a street name.

use super::places::Word;

/// Words for the website itself: "op jullie website", "op internet".
#[rustfmt::skip]
const WEB: &[&str] = &[
    "website", "site", "websites", "webpagina", "webpage", "internet", "internetpagina",
    "homepage", "google", "pagina",
];

/// How residents say they looked: "ik keek op www.dijkstede.nl maar vond het niet", "op jullie
/// website kan ik niks vinden", "al gegoogeld". Looking, searching, finding and reading,
/// in the forms residents write, and the English ones. Not "gevonden": that may be what is
/// asked ("staat mijn gevonden fiets al op de website?").
#[rustfmt::skip]
const LOOKED: &[&str] = &[
    "kijk", "kijkt", "kijken", "keek", "keken", "gekeken", "nagekeken", "bekeken", "zoek",
    "zoekt", "zoeken", "zocht", "zochten", "gezocht", "opgezocht", "vind", "vindt", "vinden",
    "vond", "vonden", "lees", "leest", "lezen", "las", "lazen", "gelezen", "googelen", "googlen",
    "gegoogeld", "gegoogled", "googled", "look", "looked", "search", "searched", "find", "found",
    "read",
];

/// "maar vond het niet", "kan niks vinden": the looking came to nothing.
const NOT_FOUND: &[&str] = &["niet", "niks", "niets", "nergens", "not", "nothing"];

/// Words that label an address: "mail: jan@example.com", "zie https://…".
const LABELS: &[&str] = &["mail", "email", "e-mail", "website", "site", "link", "zie"];

/// The token positions to leave out of `message`, whose words are `words` (see
/// [`written_words`](super::places::written_words)): its web and e-mail addresses and where
/// the resident says they looked ([`looked`]). The addresses are found once for both.
pub(super) fn left_out(message: &str, words: &[Word]) -> Vec<usize> {
    let spans = address_spans(message);
    let mut positions = address_words(message, words, &spans);
    positions.extend(looked(message, words, &spans));
    positions
}

/// Whether `word` is inside one of the addresses `spans`.
fn inside(spans: &[(usize, usize)], word: &Word) -> bool {
    (spans.iter()).any(|(from, to)| (*from..*to).contains(&word.from))
}

/// The token positions of the words inside the web and e-mail addresses `spans`, with their
/// labels.
fn address_words(message: &str, words: &[Word], spans: &[(usize, usize)]) -> Vec<usize> {
    if spans.is_empty() {
        return Vec::new();
    }
    let mut positions = Vec::new();
    for word in words {
        // "mail: jan@example.com", "zie https://…": the label goes with the address.
        let after = &message[word.to..];
        let next = word.to + after.len()
            - (after
                .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '(' | '<')))
            .len();
        let label =
            LABELS.contains(&word.lower.as_str()) && spans.iter().any(|(from, _)| *from == next);
        if inside(spans, word) || label {
            positions.extend(word.positions());
        }
    }
    positions
}

/// The token positions of the words that say where the resident looked: in a sentence that
/// names a web address or the website and says they looked there, the words for looking,
/// searching and finding, "niet" and "niks", and the words for the website ("ik keek op
/// www.dijkstede.nl maar vond het niet", "op jullie website kan ik niet vinden hoe ik een
/// parkeervergunning aanvraag"). The resident tells what they tried, not what they ask; these
/// words are rare in the articles, so they were a message's most specific words, missing from
/// every article. The address itself is left out by [`address_words`].
fn looked(message: &str, words: &[Word], spans: &[(usize, usize)]) -> Vec<usize> {
    let is_web = |w: &Word| WEB.contains(&w.lower.as_str()) || inside(spans, w);
    if !words.iter().any(is_web) {
        return Vec::new();
    }
    let mut positions = Vec::new();
    for sentence in sentences(message) {
        let inside: Vec<&Word> = (words.iter())
            .filter(|w| sentence.contains(&w.from))
            .collect();
        let looking = |w: &&Word| LOOKED.contains(&w.lower.as_str());
        if !inside.iter().any(|w| is_web(w)) || !inside.iter().any(looking) {
            continue;
        }
        for word in inside {
            let lower = word.lower.as_str();
            if WEB.contains(&lower) || LOOKED.contains(&lower) || NOT_FOUND.contains(&lower) {
                positions.extend(word.positions());
            }
        }
    }
    positions
}

/// The byte ranges of the message's sentences and asides: split at `.`, `?`, `!`, `;` and
/// parentheses (not at the dots inside an address, which are followed by a letter).
fn sentences(message: &str) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    let mut from = 0;
    let mut chars = message.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = match c {
            '?' | '!' | ';' | '(' | ')' => true,
            '.' => next.is_none_or(char::is_whitespace),
            _ => false,
        };
        if ends {
            spans.push(from..at);
            from = at + c.len_utf8();
        }
    }
    spans.push(from..message.len());
    spans
}

/// The byte ranges of the addresses: chunks between white space that, without the
/// punctuation around them, are a web address or an e-mail address.
fn address_spans(message: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for chunk in message.split_whitespace() {
        // An address has a dot, an at sign or the colon of its scheme; most words have none
        // and need no further look.
        if !chunk.contains(['.', '@', ':']) {
            continue;
        }
        // `chunk` is a slice of `message`.
        let from = chunk.as_ptr() as usize - message.as_ptr() as usize;
        let trimmed = chunk.trim_start_matches(['(', '<', '[', '"', '\'']);
        let start = from + (chunk.len() - trimmed.len());
        let trimmed =
            trimmed.trim_end_matches([')', '>', ']', '"', '\'', '.', ',', ';', ':', '!', '?']);
        if is_address(trimmed) {
            spans.push((start, start + trimmed.len()));
        }
    }
    spans
}

/// Top-level domains of addresses written without `http` or `www`, as residents write them.
/// Not "nu" or "is", which end Dutch sentences typed without a space ("geleegd.Is").
const DOMAINS: &[&str] = &[
    "nl", "com", "org", "net", "eu", "be", "de", "info", "gov", "io", "app", "frl", "example",
];

fn is_address(chunk: &str) -> bool {
    let lower = chunk.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    if let Some((user, domain)) = lower.split_once('@') {
        return !user.is_empty() && is_domain(domain);
    }
    // Written in lowercase: "vol.Wat" is a sentence typed without its space.
    let host = chunk.split('/').next().unwrap_or_default();
    host.chars().all(|c| !c.is_uppercase()) && is_domain(host)
}

/// "dijkstede.nl", "mijn.overheid.nl": labels of letters, digits and hyphens, at least two,
/// the last one a common top-level domain (not "o.a.", "12.30" or "d.w.z.").
fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok =
        |l: &&str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let last = labels.last().copied().unwrap_or_default();
    labels.len() >= 2
        && labels.iter().all(label_ok)
        && DOMAINS.contains(&last)
        && labels[..labels.len() - 1].iter().any(|l| l.len() >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::places::tests::words_at;

    fn addresses(message: &str) -> Vec<String> {
        let words = crate::search::places::written_words(message);
        words_at(
            message,
            &address_words(message, &words, &address_spans(message)),
        )
    }

    #[test]
    fn web_and_mail_addresses_are_found_with_their_words() {
        assert_eq!(
            addresses("container niet geleegd zie https://www.dijkstede.nl/afval-kalender"),
            ["zie", "https", "www", "dijkstede", "nl", "afval-kalender"]
        );
        assert_eq!(
            addresses("ik keek op www.dijkstede.nl, maar vond het niet"),
            ["www", "dijkstede", "nl"]
        );
        assert_eq!(
            addresses("mail me op (jan.devries@example.com) aub"),
            ["jan", "devries", "example", "com"]
        );
        assert_eq!(
            addresses("lamp kapot (e-mail: jan@example.com)"),
            ["e-mail", "jan", "example", "com"]
        );
        assert_eq!(
            addresses("staat op mijnoverheid.nl/berichten"),
            ["mijnoverheid", "nl", "berichten"]
        );
    }

    fn looked_at(message: &str) -> Vec<String> {
        let words = crate::search::places::written_words(message);
        words_at(message, &looked(message, &words, &address_spans(message)))
    }

    #[test]
    fn where_the_resident_looked_is_read_in_the_sentence_that_names_the_website() {
        assert_eq!(
            looked_at("bordjes aanvragen (ik keek op www.dijkstede.nl maar vond het niet)"),
            ["keek", "vond", "niet"]
        );
        assert_eq!(
            looked_at("Ik kon op jullie website niet vinden hoe ik een parkeervergunning aanvraag"),
            ["website", "niet", "vinden"]
        );
        // Another sentence's words are what is asked.
        assert_eq!(
            looked_at("Waar kan ik mijn fiets vinden? Ik heb al op internet gezocht."),
            ["internet", "gezocht"]
        );
        assert!(looked_at("waar kan ik mijn weggehaalde fiets vinden").is_empty());
        // The website named, but no looking: "internet" may be what is asked.
        assert!(looked_at("mijn internet doet het niet, wie moet ik bellen").is_empty());
        assert!(looked_at("ik zocht mijn fiets, zie www.dijkstede.nl").len() == 1);
    }

    #[test]
    fn abbreviations_times_and_plain_words_are_no_addresses() {
        assert!(addresses("o.a. het paspoort, d.w.z. niet de id-kaart").is_empty());
        assert!(addresses("om 12.30 uur, bijv. morgen").is_empty());
        // A sentence typed without the space after its full stop.
        assert!(addresses("de bak is vol.Wat nu").is_empty());
        assert!(addresses("niet geleegd.is dat normaal").is_empty());
        assert!(addresses("mijn e-mail is kapot @gemeente").is_empty());
    }
}
