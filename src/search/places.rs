//! Street and neighbourhood names in a message: where something is, not what it is about.
//!
//! Residents report with the location: "mijn container is niet geleegd, Beukenlaan 17", "de
//! lantaarnpaal bij de Merelstraat brandt niet". A street name that no article uses is a word
//! no article explains, the rarest word of the message, so it counted as what the message is
//! about and as missing from the right article: the first message fell from 95% to 68%
//! confidence, below the bot's threshold. A name is where the question applies, like a date
//! or a house number, and says nothing about which article answers it.
//!
//! A word is taken for a place name when it ends like a Dutch street or neighbourhood name
//! ([`SUFFIXES`]) and is written as a name: with a capital inside a sentence ("bij de
//! Molenweg"), before a house number ("beukenlaan 17"), or as a word the dictionary does not
//! know ("kortedijk"; a common noun such as "snelweg", "woonerf" or "schoolplein" it does
//! know). A street the knowledge base itself writes as a name ("Lindelaan 2", "aan de
//! Kerkstraat") is a place name however a resident writes it ("begraafplaats lindelaan"):
//! residents on WhatsApp seldom use capitals, and the dictionary knows many street names as
//! common nouns. The query keeps a name that an article's title or keywords use (the
//! "Milieustraat") or a synonym rule names (see `query::LeftOut`).

use std::ops::RangeInclusive;

use rustc_hash::FxHashMap as HashMap;

use super::analysis::{STOP_LIST, for_each_word};
use super::dictionary::Dictionary;

/// Endings of Dutch street and neighbourhood names. Not "-hof" or "-park", which end as many
/// subjects as names ("gerechtshof", "vakantiepark").
pub const SUFFIXES: &[&str] = &[
    "straat", "laan", "weg", "dijk", "kade", "singel", "gracht", "steeg", "dreef", "plein", "wijk",
    "pad", "erf", "buurt",
];
/// The least number of letters before the suffix: "Molenweg", not "weg" or "uitweg".
const MIN_STEM_CHARS: usize = 3;

/// Words that label a location: "Adres: Merelstraat 8".
const LABELS: &[&str] = &["adres", "locatie"];
/// Words that label a postcode: "postcode 3742 HN".
const POSTCODE_LABELS: &[&str] = &["postcode", "pc"];
/// "hoek Molenweg": the corner of a street is a place too.
const CORNER: &str = "hoek";

/// One word of the message as written, where [`for_each_word`] found it.
pub(super) struct Word<'m> {
    pub text: &'m str,
    /// The text in lowercase, made once for the readers of places, times, names, closings.
    pub lower: String,
    pub from: usize,
    pub to: usize,
    /// The first token position of the word.
    pub position: usize,
    /// Its last: a hyphenated word's parts ("Jan-van-Galenstraat") come at positions of their
    /// own, all with the whole word's offsets.
    pub through: usize,
}

impl Word<'_> {
    /// All the token positions of the word.
    pub fn positions(&self) -> RangeInclusive<usize> {
        self.position..=self.through
    }
}

/// The message's words as written, one per chunk of text: a hyphenated word comes as the
/// whole and its parts, with the same offsets, and is one word here.
pub(super) fn written_words(message: &str) -> Vec<Word<'_>> {
    let mut words: Vec<Word> = Vec::new();
    for_each_word(message, |_, from, to, position| match words.last_mut() {
        Some(last) if last.from == from => last.through = position,
        _ => words.push(Word {
            text: &message[from..to],
            lower: message[from..to].to_lowercase(),
            from,
            to,
            position,
            through: position,
        }),
    });
    words
}

/// A place named in a message: the words of its name ending like a street ("Merelstraat",
/// "Gracht" of "Nieuwe Gracht"), each with its token positions (as [`for_each_word`] counts
/// them), and the token positions of all its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub names: Vec<(String, RangeInclusive<usize>)>,
    pub positions: Vec<usize>,
}

/// The street names a knowledge base writes as names, in lowercase: the municipality's own
/// streets, which residents name in any case. Each with the number of texts that name it, so
/// an edited article's texts can be taken out and put back without reading every other one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Streets(HashMap<String, u32>);

impl Streets {
    /// The street names written as names in `texts` (articles' titles, texts and questions):
    /// capitalised inside a sentence or before a house number. Not the words the dictionary
    /// does not know, which in editors' questions are as often a resident's misspelling.
    pub fn named_in<'t>(texts: impl IntoIterator<Item = &'t str>) -> Streets {
        let mut streets = Streets::default();
        streets.add(texts);
        streets
    }

    /// Counts the names in `texts` in.
    pub fn add<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        for name in names_in(texts) {
            *self.0.entry(name).or_default() += 1;
        }
    }

    /// Counts the names in `texts` out again (texts once [`add`](Self::add)ed).
    pub fn remove<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        for name in names_in(texts) {
            if let Some(count) = self.0.get_mut(&name) {
                *count -= 1;
                if *count == 0 {
                    self.0.remove(&name);
                }
            }
        }
    }

    pub fn contains(&self, lowercase: &str) -> bool {
        self.0.contains_key(lowercase)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The street names written as names in `texts`, once per text and place.
fn names_in<'t>(texts: impl IntoIterator<Item = &'t str>) -> impl Iterator<Item = String> {
    (texts.into_iter())
        .flat_map(|text| places(text, None, &Streets::default()))
        .flat_map(|place| place.names)
        .map(|(name, _)| name.to_lowercase())
        .filter(|name| has_place_suffix(name))
}

/// The places written in `message`, each with what belongs to it: the other words of a name
/// in more words ("Nieuwe Gracht", "Oude Kerkstraat"), a house number with a letter ("39a",
/// which is a word to the tokenizer) and a label ("Adres:", "hoek"). `streets` are names in
/// any case. Whether the knowledge base uses the names as subjects is the caller's to check.
pub fn places(message: &str, dictionary: Option<&Dictionary>, streets: &Streets) -> Vec<Place> {
    places_in(message, &written_words(message), dictionary, streets)
}

/// [`places`], for `message`'s words already read by [`written_words`].
pub(super) fn places_in(
    message: &str,
    words: &[Word],
    dictionary: Option<&Dictionary>,
    streets: &Streets,
) -> Vec<Place> {
    let shouting = is_shouting(message);
    // A message in capitals says nothing by its capitals.
    let capital = |w: &Word| !shouting && is_capitalised(w.text);
    let capitalised = |w: &Word| capital(w) && !starts_sentence(&message[..w.from]);
    // Only spaces between two words: "Nieuwe Gracht", not "nieuwe, Gracht".
    let adjacent = |a: &Word, b: &Word| message[a.to..b.from].chars().all(char::is_whitespace);
    let mut place: Vec<bool> = (words.iter())
        .map(|w| {
            // Most words end otherwise: they are not made lowercase.
            has_place_suffix(w.text)
                && (before_house_number(&message[w.to..]) || capitalised(w) || {
                    let lower = &w.lower;
                    streets.contains(lower)
                        || dictionary.is_some_and(|d| !d.check(&lower.replace('-', "")))
                })
        })
        .collect();
    for i in 1..words.len() {
        let (before, word) = (&words[i - 1], &words[i]);
        // "Nieuwe Gracht": the suffix as a word, capitalised, after a capitalised word.
        let suffix_alone = is_suffix(word.text);
        if suffix_alone && capital(word) && capital(before) && adjacent(before, word) {
            place[i - 1] = true;
            place[i] = true;
        }
    }
    // Right to left, so "Koningin Wilhelmina Kerkstraat" is taken whole.
    for i in (1..words.len()).rev() {
        let (before, word) = (&words[i - 1], &words[i]);
        // Not the sentence's first word: "Lantaarnpaal Kerkstraat 12 kapot".
        if place[i] && capitalised(before) && adjacent(before, word) {
            place[i - 1] = true;
        }
    }
    for i in 0..words.len() {
        if !place[i] {
            continue;
        }
        if let Some(next) = words.get(i + 1)
            && next.text.starts_with(|c: char| c.is_ascii_digit())
            && adjacent(&words[i], next)
        {
            place[i + 1] = true;
        }
        if let Some(label) = i.checked_sub(1).map(|k| &words[k]) {
            let between = message[label.to..words[i].from].trim();
            let label = label.text.to_lowercase();
            // "Adres: Molenkade 3", "hoek Nieuwe Gracht".
            if (LABELS.contains(&label.as_str()) && between == ":")
                || (label == CORNER && between.is_empty())
            {
                place[i - 1] = true;
            }
        }
    }
    // A postcode's letters ("3742 HN", "3742hn"; the digits are no word), and its label.
    for (i, word) in words.iter().enumerate() {
        if !is_postcode_letters(word, message) {
            continue;
        }
        place[i] = true;
        if let Some(label) = i.checked_sub(1).map(|k| &words[k])
            && POSTCODE_LABELS.contains(&label.text.to_lowercase().as_str())
            && (message[label.to..word.from].chars())
                .all(|c| c.is_ascii_digit() || c.is_whitespace() || c == ':')
        {
            place[i - 1] = true;
        }
    }
    // Consecutive words of places make one place.
    let mut found: Vec<Place> = Vec::new();
    let mut open = false;
    for (i, word) in words.iter().enumerate() {
        if !place[i] {
            open = false;
            continue;
        }
        if !open {
            found.push(Place {
                names: Vec::new(),
                positions: Vec::new(),
            });
            open = true;
        }
        let current = found.last_mut().expect("just pushed");
        current.positions.extend(word.positions());
        // The other words joined only as capitalised words, numbers or labels.
        if has_place_suffix_or_is_one(word.text) {
            current
                .names
                .push((word.text.to_string(), word.positions()));
        }
    }
    found
}

/// "HN" after "3742 ", or "3742HN" as one word: a Dutch postcode's letters.
fn is_postcode_letters(word: &Word, message: &str) -> bool {
    let two_letters = |t: &str| t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic());
    let text = word.text;
    // Bytes are letters only in ASCII: "vóór" is six bytes too.
    if text.len() == 6
        && text.is_ascii()
        && text[..4].chars().all(|c| c.is_ascii_digit())
        && two_letters(&text[4..])
    {
        return true;
    }
    let before = message[..word.from].trim_end_matches([' ', '\u{a0}']);
    let digits = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .count();
    let first = before.len() - digits;
    // "in 2023 op": a lowercase Dutch word after a year is not a postcode's letters.
    let a_word = text.chars().all(|c| c.is_ascii_lowercase()) && STOP_LIST.contains(text);
    two_letters(text)
        && !a_word
        && digits == 4
        && before.len() < word.from
        && !before[..first].ends_with(|c: char| c.is_alphanumeric())
}

fn has_place_suffix_or_is_one(word: &str) -> bool {
    has_place_suffix(word) || is_suffix(word)
}

/// Whether `word` ends like a street name ("Molenweg", "MOLENWEG"), in any case.
fn has_place_suffix(word: &str) -> bool {
    SUFFIXES.iter().any(|suffix| {
        let stem_end = word.len().saturating_sub(suffix.len());
        word.len() > suffix.len()
            && word.is_char_boundary(stem_end)
            && word[stem_end..].eq_ignore_ascii_case(suffix)
            && word[..stem_end].chars().count() >= MIN_STEM_CHARS
    })
}

/// Whether `word` is a suffix by itself ("Gracht" of "Nieuwe Gracht"), in any case.
fn is_suffix(word: &str) -> bool {
    SUFFIXES
        .iter()
        .any(|suffix| word.eq_ignore_ascii_case(suffix))
}

/// A house number after the word (and spaces): "17", "17a", "12-2", "3,".
fn before_house_number(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\u{a0}']);
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let mut after = rest[digits..].chars().skip_while(|c| c.is_alphabetic());
    let letters = rest[digits..]
        .chars()
        .take_while(|c| c.is_alphabetic())
        .count();
    (1..=5).contains(&digits) && letters <= 1 && after.next().is_none_or(|c| !c.is_alphanumeric())
}

/// Whether a word starts with a capital.
pub(super) fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Whether the text before a word ends a sentence (or is empty): a capital there is the
/// sentence's, not the name's.
fn starts_sentence(before: &str) -> bool {
    let before = before.trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '\n'])
}

/// Whether most of the message's letters are capitals.
fn is_shouting(message: &str) -> bool {
    let (upper, lower) = message
        .chars()
        .filter(|c| c.is_alphabetic())
        .fold((0, 0), |(u, l), c| {
            if c.is_uppercase() {
                (u + 1, l)
            } else {
                (u, l + 1)
            }
        });
    upper > lower
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The words of the places in `message`, without a dictionary.
    fn words_of(message: &str) -> Vec<String> {
        let positions: Vec<usize> = (places(message, None, &Streets::default()).into_iter())
            .flat_map(|p| p.positions)
            .collect();
        words_at(message, &positions)
    }

    /// The words of `message` at token `positions`, as written.
    /// The words of `message` in any of `spans` (word indices as [`written_words`] counts),
    /// each once, in the message's order.
    pub(in crate::search) fn words_in(
        message: &str,
        spans: impl IntoIterator<Item = RangeInclusive<usize>>,
    ) -> Vec<String> {
        let indices: std::collections::BTreeSet<usize> = spans.into_iter().flatten().collect();
        let words = written_words(message);
        indices
            .into_iter()
            .map(|i| words[i].text.to_string())
            .collect()
    }

    pub(in crate::search) fn words_at(message: &str, positions: &[usize]) -> Vec<String> {
        (written_words(message).into_iter())
            .filter(|w| positions.contains(&w.position))
            .map(|w| w.text.to_string())
            .collect()
    }

    #[test]
    fn a_name_is_capitalised_inside_a_sentence_or_before_a_house_number() {
        assert_eq!(
            words_of("mijn container is niet geleegd, Beukenlaan 17"),
            ["Beukenlaan"]
        );
        assert_eq!(
            words_of("container niet geleegd, beukenlaan 17a."),
            ["beukenlaan", "17a"]
        );
        assert_eq!(
            words_of("lantaarnpaal bij de Merelstraat is kapot"),
            ["Merelstraat"]
        );
        assert_eq!(
            words_of("stoep kapot in de Vogelwijk, bij nr 4"),
            ["Vogelwijk"]
        );
        assert_eq!(words_of("Tegel los. Kerkstraat 3"), ["Kerkstraat"]);
    }

    #[test]
    fn a_name_takes_its_other_words_its_house_number_and_its_label() {
        assert_eq!(
            words_of("lamp kapot op de Nieuwe Gracht"),
            ["Nieuwe", "Gracht"]
        );
        assert_eq!(
            words_of("lamp kapot, Oude Kerkstraat 12"),
            ["Oude", "Kerkstraat"]
        );
        assert_eq!(
            words_of("mag kattengrit bij het gft. Adres: Merelstraat 8b"),
            ["Adres", "Merelstraat", "8b"]
        );
        assert_eq!(
            words_of("container weg, Berkenlaan 128a"),
            ["Berkenlaan", "128a"]
        );
        // Not a name: a sentence's capital, or a common noun in a sentence.
        assert!(words_of("Ik woon aan een gracht").is_empty());
        assert!(words_of("het adres: weet ik niet").is_empty());
        assert_eq!(words_of("Lantaarnpaal Kerkstraat 12 kapot"), ["Kerkstraat"]);
        assert_eq!(
            words_of("stoplicht kapot op de hoek Molenweg"),
            ["hoek", "Molenweg"]
        );
    }

    #[test]
    fn a_postcode_is_a_place() {
        assert_eq!(words_of("container niet geleegd, 3742 HN"), ["HN"]);
        assert_eq!(
            words_of("container niet geleegd, postcode 3742hn"),
            ["postcode", "3742hn"]
        );
        assert_eq!(
            words_of("lamp kapot (postcode: 3742 HN)"),
            ["postcode", "HN"]
        );
        // Two letters after a year or another number are no postcode's.
        assert!(words_of("sinds 2023 ik wacht").is_empty());
        assert!(words_of("bon nr 12345 ab").is_empty());
    }

    #[test]
    fn words_with_accents_are_read_whole() {
        // Six bytes, like "3742HN": "vóór" once split a letter in two.
        for message in [
            "de container moet vóór 7 uur buiten",
            "één vraag over de Dorpsstraat",
            "geëist bij de ruïne aan de Molenkade 3",
            "café 3742 ÉÉ",
            "ŝŝŝŝŝŝ 12",
        ] {
            let named: Vec<String> = (places(message, None, &Streets::default()).into_iter())
                .flat_map(|p| p.names)
                .map(|(name, _)| name)
                .collect();
            assert!(
                named.iter().all(|n| has_place_suffix_or_is_one(n)),
                "{message}: {named:?}"
            );
        }
        assert!(words_of("de container moet vóór 7 uur buiten").is_empty());
        assert_eq!(words_of("één vraag over de Dorpsstraat"), ["Dorpsstraat"]);
    }

    #[test]
    fn a_hyphenated_name_is_one_word_with_all_its_positions() {
        let message = "lamp kapot in de Jan-van-Galenstraat 12, hoek Van-Hallstraat";
        let found = places(message, None, &Streets::default());
        // "Jan-van-Galenstraat" is the whole word and its three parts: positions 4 to 6
        // (the tokenizer emits the whole and the first part at the same position; "12" is
        // no token); then "hoek" (7) and "Van-Hallstraat" (8, 9), one place with it.
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].positions, [4, 5, 6, 7, 8, 9]);
        assert_eq!(
            words_of(message),
            ["Jan-van-Galenstraat", "hoek", "Van-Hallstraat"]
        );
        // Its parts once came as words of their own, each with the whole's offsets, and the
        // text between two of them was read backwards.
        assert!(words_of("het fiets-pad is kapot").is_empty());
        let dictionary = Dictionary::parse("SET UTF-8\n", "1\nfietspad\n").expect("dic");
        // The dictionary is asked about the word without its hyphen.
        let message = "het fiets-pad bij de kortedijk";
        let found = places(message, Some(&dictionary), &Streets::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].names[0].0, "kortedijk");
    }

    #[test]
    fn a_street_the_knowledge_base_names_is_a_name_in_lowercase() {
        let streets = Streets::named_in([
            "Het Stadhuis, Marktplein 1, en de begraafplaats aan de Lindelaan.",
            // Not a name: a sentence's first word and a common noun.
            "Fietspad kapot? Meld het. Op het fietspad mag u niet parkeren.",
        ]);
        assert!(streets.contains("marktplein") && streets.contains("lindelaan"));
        assert!(!streets.contains("fietspad"));
        assert_eq!(streets.len(), 2);
        let found = |m: &str| {
            let positions: Vec<usize> = (places(m, None, &streets).into_iter())
                .flat_map(|p| p.positions)
                .collect();
            words_at(m, &positions)
        };
        assert_eq!(
            found("openingstijden begraafplaats lindelaan"),
            ["lindelaan"]
        );
        assert_eq!(found("markt op het marktplein"), ["marktplein"]);
        assert!(found("fietspad kapot bij de school").is_empty());
        // A name two texts use stays while one of them still does.
        let mut streets = Streets::named_in(["aan de Lindelaan", "Lindelaan 2"]);
        streets.remove(["Lindelaan 2"]);
        assert!(streets.contains("lindelaan"));
        streets.remove(["aan de Lindelaan"]);
        assert!(streets.is_empty());
    }

    #[test]
    fn common_nouns_and_sentence_capitals_are_not_names() {
        // Without a dictionary only capitals and house numbers tell.
        assert!(words_of("er ligt troep op de snelweg").is_empty());
        assert!(words_of("Schoolplein is vies").is_empty());
        assert!(words_of("Het schoolplein is vies. Zandweg ook").is_empty());
        assert!(words_of("MIJN STRAAT IS NIET GEVEEGD, BEUKENLAAN").is_empty());
        // Too short before the suffix to be a name.
        assert!(words_of("is er een Weg 3").is_empty());
        assert!(words_of("de dreef 12").is_empty());
        // A number that is not a house number.
        assert!(words_of("de stationsweg 12km verderop").is_empty());
    }

    #[test]
    fn a_word_the_dictionary_does_not_know_is_a_name() {
        let dictionary = Dictionary::parse("SET UTF-8\n", "2\nsnelweg\nwoonerf\n").expect("dic");
        let found = |m: &str| places(m, Some(&dictionary), &Streets::default());
        assert_eq!(
            found("hoe lang is de kortedijk nog dicht"),
            [Place {
                names: vec![("kortedijk".to_string(), 4..=4)],
                positions: vec![4]
            }]
        );
        assert!(found("hoe lang is de snelweg nog dicht").is_empty());
        assert!(found("te hard rijden op het woonerf").is_empty());
        // A common noun written with a hyphen is still the common noun.
        assert!(found("hoe lang is de snel-weg nog dicht").is_empty());
    }
}
