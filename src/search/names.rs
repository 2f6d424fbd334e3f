//! People's names in a message: "de container van mevrouw Jansen", "mijn zoon Daan wordt 18",
//! "Mijn naam is Fatima el Amrani".
//!
//! A name says who, not what is asked, and no article explains it: it was often the message's
//! most specific word, and missing from the right article ("de container van mevrouw Jansen
//! is niet geleegd" got 60% against 95% without the name). A name is read only where a
//! message introduces one, after a word for a person ("mevrouw", "meneer", "mijn zoon",
//! "buurman") or after "mijn naam is", "ik heet": a capitalised word there, or one the
//! dictionary knows only as a name ("daan"), with its other words ("Jan de Vries", "van der
//! Berg"). Words for persons stay: "mijn zoon" may be what the question is about.

use std::ops::RangeInclusive;

use super::dictionary::Dictionary;
use super::places::{Word, is_capitalised};

/// Words for a person that a name may follow: "mevrouw Jansen", "mijn zoon Daan".
const PERSONS: &[&str] = &[
    "mevrouw",
    "meneer",
    "mevr",
    "mw",
    "dhr",
    "heer",
    "familie",
    "fam",
    "zoon",
    "zoontje",
    "dochter",
    "dochtertje",
    "kind",
    "man",
    "vrouw",
    "partner",
    "vriend",
    "vriendin",
    "buurman",
    "buurvrouw",
    "moeder",
    "vader",
    "opa",
    "oma",
    "broer",
    "zus",
    "collega",
];
/// Abbreviated words for a person, which a full stop may follow: "mevr. Yilmaz".
const ABBREVIATED: &[&str] = &["mevr", "mw", "dhr", "fam"];
/// Greetings after which "met" introduces the writer, as on the phone: "Hallo, met Kees".
const GREETINGS: &[&str] = &[
    "hallo",
    "hoi",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "dag",
];
/// Phrases that introduce the writer's own name; they go with it: "mijn naam is" says nothing
/// a name-change article answers.
const INTRODUCTIONS: &[&[&str]] = &[
    &["mijn", "naam", "is"],
    &["ik", "heet"],
    &["my", "name", "is"],
];
/// Words inside a name: "Jan de Vries", "mevrouw van der Berg", "Fatima el Amrani".
const PARTICLES: &[&str] = &[
    "de", "van", "der", "den", "het", "ter", "ten", "te", "in", "la", "le", "el", "al", "da", "di",
    "du", "von", "op",
];
/// The most words of a name, particles included.
const MAX_NAME_WORDS: usize = 5;

/// A name a message introduces, by the indices of its words.
pub(super) struct Named {
    /// The name with its introduction ("mijn naam is", "met", "namens mevrouw") when that
    /// goes with it.
    pub words: RangeInclusive<usize>,
    /// The first word of the name itself, its particles included ("van der Berg").
    pub name_from: usize,
}

/// The names introduced in a message of `words` (see
/// [`written_words`](super::places::written_words)).
pub(super) fn names_in(
    message: &str,
    words: &[Word],
    dictionary: Option<&Dictionary>,
) -> Vec<Named> {
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let mut names = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let introduction = INTRODUCTIONS.iter().find(|phrase| {
            i + phrase.len() <= lower.len()
                && (lower[i..i + phrase.len()].iter())
                    .zip(phrase.iter())
                    .all(|(w, p)| w == p)
        });
        // "met Kees Bakker" at the start, or after a greeting, as on the phone.
        let on_the_phone =
            lower[i] == "met" && (i == 0 || (i == 1 && GREETINGS.contains(&lower[0])));
        let (start, first) = match introduction {
            Some(phrase) => (i, i + phrase.len()),
            None if on_the_phone => (i, i + 1),
            // "namens mevrouw Jansen": "namens" goes with the name.
            None if PERSONS.contains(&lower[i]) => (
                if i > 0 && lower[i - 1] == "namens" {
                    i - 1
                } else {
                    i + 1
                },
                i + 1,
            ),
            None => {
                i += 1;
                continue;
            }
        };
        let end = name_end(message, words, &lower, first, dictionary);
        if let Some(end) = end {
            names.push(Named {
                words: start..=end,
                name_from: first,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    names
}

/// The byte ranges of the people's names a message introduces, without their introductions:
/// "Mijn naam is Fatima el Amrani" gives "Fatima el Amrani".
pub fn name_ranges(message: &str) -> Vec<std::ops::Range<usize>> {
    let words = super::places::written_words(message);
    (names_in(message, &words, super::dictionary::system()).into_iter())
        .map(|name| words[name.name_from].from..words[*name.words.end()].to)
        .collect()
}

/// The last word of a name that starts at `first`, if a name starts there: words that are
/// capitalised or known only as names, with particles among them, and nothing but spaces
/// between them ("Daan. Hij …" ends at "Daan").
fn name_end(
    message: &str,
    words: &[Word],
    lower: &[&str],
    first: usize,
    dictionary: Option<&Dictionary>,
) -> Option<usize> {
    let mut last = None;
    for i in first..words.len().min(first + MAX_NAME_WORDS) {
        let between = if i == 0 {
            ""
        } else {
            message[words[i - 1].to..words[i].from].trim()
        };
        let abbreviated = i == first && i > 0 && ABBREVIATED.contains(&lower[i - 1]);
        let joined = between.is_empty() || (abbreviated && between == ".");
        if !joined {
            break;
        }
        let word = words[i].text;
        if is_capitalised(word) || only_a_name(word, dictionary) {
            last = Some(i);
        } else if !PARTICLES.contains(&lower[i]) {
            break;
        }
    }
    last
}

/// Whether the dictionary knows `word` only as a name: written in lowercase it is no word,
/// capitalised it is ("daan" → "Daan").
fn only_a_name(word: &str, dictionary: Option<&Dictionary>) -> bool {
    let Some(dictionary) = dictionary else {
        return false;
    };
    !dictionary.check(word) && dictionary.check(&super::dictionary::capitalised(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(message: &str) -> Vec<String> {
        let words = crate::search::places::written_words(message);
        let named = names_in(message, &words, None).into_iter().map(|n| n.words);
        crate::search::places::tests::words_in(message, named)
    }

    #[test]
    fn a_name_after_a_word_for_a_person() {
        assert_eq!(
            names("de container van mevrouw Jansen is niet geleegd"),
            ["Jansen"]
        );
        assert_eq!(names("mijn zoon Daan wordt 18"), ["Daan"]);
        assert_eq!(
            names("mijn buurman Jan de Vries zet zijn afval buiten"),
            ["Jan", "de", "Vries"]
        );
        assert_eq!(
            names("ik bel namens mevrouw van der Berg"),
            ["namens", "mevrouw", "van", "der", "Berg"]
        );
    }

    #[test]
    fn an_introduction_goes_with_the_name() {
        assert_eq!(
            names("Mijn naam is Fatima el Amrani, mijn paspoort is verlopen"),
            ["Mijn", "naam", "is", "Fatima", "el", "Amrani"]
        );
        assert_eq!(
            names("ik heet Sanne en ik wil trouwen"),
            ["ik", "heet", "Sanne"]
        );
        assert_eq!(
            names("Hallo, met Kees Bakker. Mijn container is niet geleegd"),
            ["met", "Kees", "Bakker"]
        );
        assert_eq!(
            names("ik bel namens mevrouw Jansen"),
            ["namens", "mevrouw", "Jansen"]
        );
        assert_eq!(names("bezwaar gemaakt - mevr. Yilmaz"), ["Yilmaz"]);
        // "met" inside a sentence introduces no one.
        assert!(names("kan ik met Pasen langskomen").is_empty());
    }

    #[test]
    fn name_ranges_are_the_names_without_their_introductions() {
        let message =
            "Mijn naam is Fatima el Amrani, namens mevrouw van der Berg en mijn zoon Daan";
        let names: Vec<&str> = (name_ranges(message).into_iter())
            .map(|r| &message[r])
            .collect();
        assert_eq!(names, ["Fatima el Amrani", "van der Berg", "Daan"]);
    }

    #[test]
    fn a_word_for_a_person_without_a_name_is_no_name() {
        assert!(names("mijn zoon wordt 18, moet hij zelf een DigiD aanvragen").is_empty());
        assert!(names("mijn buurman zet zijn grofvuil op de stoep").is_empty());
        // "de" alone is no name, nor a sentence's capital.
        assert!(names("de vrouw de hond").is_empty());
        assert!(names("ik vraag het voor mijn moeder. Zij is 82").is_empty());
    }
}
