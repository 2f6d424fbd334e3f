//! When something happened or is planned: "sinds vorige week dinsdag", "gisteravond om 21.00
//! uur", "al drie dagen", "op 12 maart".
//!
//! Residents say when: "de lantaarnpaal brandt al drie dagen niet", "mijn container is
//! dinsdag niet geleegd". Day and month names and words like "gisteren" are rare in the
//! articles, so they counted as the message's most specific words and as missing from the
//! right article: with "al sinds vorige week dinsdag" added to every answerable message of
//! `dev.tsv`, the bot answered a third fewer of them.
//!
//! Unlike a street name, a time stays in the query: it is sometimes what is asked ("is de
//! milieustraat op zaterdag open?"), and leaving it out changed which article came first
//! (measured: dev hit@1 0.965 → 0.961). In the confidence it is never the message's head nor
//! an unknown word, and an article that lacks it is not missing a word of the message; it
//! still counts in the coverage (see `QueryWord::context`).

use std::ops::RangeInclusive;

use super::places::Word;

/// The days of the week in Dutch, Monday first.
pub const DAY_NAMES: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];
/// The months in Dutch, January first.
pub const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Words besides the days and months that always tell when: "gisteren" and its kin, and
/// adverbs of time ("tegenwoordig", "inmiddels", "binnenkort").
const TIME_WORDS: &[&str] = &[
    "vandaag",
    "gisteren",
    "gister",
    "eergisteren",
    "morgen",
    "overmorgen",
    "vanochtend",
    "vanmorgen",
    "vanmiddag",
    "vanavond",
    "vannacht",
    "gisterochtend",
    "gistermorgen",
    "gistermiddag",
    "gisteravond",
    "gisternacht",
    "morgenochtend",
    "morgenvroeg",
    "morgenmiddag",
    "morgenavond",
    "zojuist",
    "zonet",
    "onlangs",
    "tegenwoordig",
    "inmiddels",
    "alweer",
    "destijds",
    "steeds",
    "binnenkort",
    "sinds",
    "geleden",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "yesterday",
    "today",
    "tomorrow",
];

/// Words that make the next one a time: "vorige week", "afgelopen weekend", "deze maand".
/// Not "elke" or "iedere": "wordt het elke week opgehaald?" asks how often.
const POINTING: &[&str] = &[
    "vorige",
    "vorig",
    "afgelopen",
    "komende",
    "aankomende",
    "volgende",
    "volgend",
    "deze",
    "dit",
    "last",
    "next",
    "this",
];

/// Units of time: a time after a pointing word or a number ("vorige week", "al 3 dagen").
const UNITS: &[&str] = &[
    "week", "weken", "weekend", "maand", "maanden", "jaar", "jaren", "dag", "dagen", "nacht",
    "ochtend", "middag", "avond", "uur", "uren", "minuten", "weeks", "month", "months", "days",
];

/// Number words that count units: "al twee weken" (and, for articles, a period given:
/// "binnen twaalf weken", see `features`).
pub(super) const NUMBERS: &[&str] = &[
    "een",
    "één",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "twintig",
    "dertig",
    "paar",
    "enkele",
    "half",
    "halve",
    "anderhalve",
    "anderhalf",
    "two",
    "three",
];

/// Words before a count of units that make it a time the message tells, not asks:
/// "al drie dagen", "sinds twee weken", "nu al een maand"; not "binnen vijf dagen" or
/// "hoeveel dagen".
const SINCE: &[&str] = &["al", "sinds", "ruim", "bijna", "since"];

/// The times told in a message of `words` (see
/// [`written_words`](super::places::written_words)), whose text is `message`: for each, the
/// indices of its words ("vorige week dinsdag" is two times, "vorige week" and "dinsdag").
pub(super) fn times_in(message: &str, words: &[Word]) -> Vec<RangeInclusive<usize>> {
    let lower: Vec<&str> = words.iter().map(|w| w.lower.as_str()).collect();
    let is = |i: usize, list: &[&str]| lower.get(i).is_some_and(|w| list.contains(w));
    // A number written in digits is no word: it is in the text before a word ("3 dagen").
    let digits_before = |i: usize| {
        let from = if i == 0 { 0 } else { words[i - 1].to };
        message[from..words[i].from]
            .chars()
            .any(|c| c.is_ascii_digit())
    };
    let mut times = Vec::new();
    let always = [&DAY_NAMES[..], &MONTH_NAMES, TIME_WORDS];
    for (i, word) in lower.iter().enumerate() {
        // "dinsdag-ochtend": a hyphenated word by its first part.
        let first = word.split('-').next().unwrap_or_default();
        // The first word of the time: "vorige week", "al drie dagen".
        let start = if always.iter().any(|list| list.contains(&first)) {
            Some(i)
        } else if is(i, UNITS) && i > 0 && is(i - 1, POINTING) {
            Some(i - 1)
        } else if is(i, UNITS) {
            counted(i, &is, &digits_before)
        } else {
            None
        };
        // "om 21.00 uur", "9 uur": a time of day.
        let start = start.or_else(|| (*word == "uur" && digits_before(i)).then_some(i));
        if let Some(start) = start {
            times.push(start..=i);
        }
    }
    times
}

/// Where the count of the unit at `i` starts, when it is told, not asked: "al 3 dagen",
/// "sinds twee weken", "drie dagen geleden"; `None` for "binnen vijf dagen".
fn counted(
    i: usize,
    is: &impl Fn(usize, &[&str]) -> bool,
    digits_before: &impl Fn(usize) -> bool,
) -> Option<usize> {
    // The count: digits right before the unit, or a number word.
    let count_at = if digits_before(i) {
        i
    } else if i > 0 && is(i - 1, NUMBERS) {
        i - 1
    } else {
        return None;
    };
    if count_at > 0 && is(count_at - 1, SINCE) {
        Some(count_at - 1)
    } else {
        is(i + 1, &["geleden", "ago"]).then_some(count_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn times(message: &str) -> Vec<String> {
        let words = crate::search::places::written_words(message);
        crate::search::places::tests::words_in(message, times_in(message, &words))
    }

    #[test]
    fn days_months_and_yesterday_tell_when() {
        assert_eq!(times("mijn container is dinsdag niet geleegd"), ["dinsdag"]);
        assert_eq!(
            times("paspoort verlopen sinds 12 maart"),
            ["sinds", "maart"]
        );
        assert_eq!(
            times("de lantaarnpaal brandt sinds gisteravond niet"),
            ["sinds", "gisteravond"]
        );
        assert_eq!(
            times("al sinds vorige week dinsdag"),
            ["sinds", "vorige", "week", "dinsdag"]
        );
        assert_eq!(times("My bin was not emptied on Tuesday"), ["Tuesday"]);
        assert_eq!(
            times("wat kost een id kaart tegenwoordig"),
            ["tegenwoordig"]
        );
    }

    #[test]
    fn a_counted_time_is_told_after_al_or_sinds_or_before_geleden() {
        assert_eq!(times("de lamp brandt al 3 dagen niet"), ["al", "dagen"]);
        assert_eq!(
            times("de lamp brandt al drie dagen niet"),
            ["al", "drie", "dagen"]
        );
        assert_eq!(
            times("ik heb twee weken geleden een melding gedaan"),
            ["twee", "weken", "geleden"]
        );
        assert_eq!(times("gisteravond om 21.00 uur"), ["gisteravond", "uur"]);
    }

    #[test]
    fn a_duration_or_a_frequency_asked_is_no_time_told() {
        assert!(times("binnen hoeveel dagen moet ik aangifte doen").is_empty());
        assert!(times("binnen 5 dagen aangifte doen").is_empty());
        assert!(times("wordt het elke week opgehaald").is_empty());
        assert!(times("hoe lang duurt een paspoort aanvragen").is_empty());
        assert!(times("welke dag wordt het restafval opgehaald").is_empty());
    }

    #[test]
    fn a_hyphenated_time_is_one_word_with_all_its_positions() {
        let message = "melding gedaan op dinsdag-ochtend";
        let words = crate::search::places::written_words(message);
        assert_eq!(times_in(message, &words), [3..=3]);
        assert!(words[3].positions().count() > 1, "the whole and its parts");
    }
}
