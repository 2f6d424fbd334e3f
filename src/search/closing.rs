//! A message's closing: "Met vriendelijke groet, Jan de Vries", "groetjes Anja".
//!
//! Residents sign their messages as they would a letter. The closing's words and the name
//! after it are words no article explains, and a name no article knows counted as the
//! message's most specific word: "mijn container is niet geleegd, groetjes Anja" got 41%
//! against 95% without the closing. A phone's or mail app's line ("Verstuurd vanaf mijn
//! iPhone") is a closing too. A closing is found at the end of the message, followed by at
//! most [`MAX_NAME_WORDS`] words (the name), and left out with them.

use std::ops::RangeInclusive;

use super::places::Word;

/// Closings as the tokenizer gives their words (lowercase; "m.v.g." has no word of two
/// letters, so it needs no entry).
const CLOSINGS: &[&[&str]] = &[
    &["met", "vriendelijke", "groet"],
    &["met", "vriendelijke", "groeten"],
    &["met", "hartelijke", "groet"],
    &["met", "hartelijke", "groeten"],
    &["met", "groet"],
    &["vriendelijke", "groet"],
    &["vriendelijke", "groeten"],
    &["hartelijke", "groet"],
    &["hartelijke", "groeten"],
    &["groetjes"],
    &["groeten"],
    &["groet"],
    &["gr"],
    &["mvg"],
    &["bvd"],
    &["bij", "voorbaat", "dank"],
    &["alvast", "bedankt"],
    &["alvast", "dank"],
    // A formal letter's: "Hoogachtend, J. Bakker".
    &["hoogachtend"],
    &["met", "hoogachting"],
    &["hoogachting"],
    &["kind", "regards"],
    &["best", "regards"],
    &["regards"],
    // A phone's or mail app's line: "Verstuurd vanaf mijn iPhone", "Sent from my Galaxy".
    &["verstuurd", "vanaf", "mijn"],
    &["verzonden", "vanaf", "mijn"],
    &["verstuurd", "met"],
    &["verzonden", "met"],
    &["sent", "from", "my"],
    &["get", "outlook", "for"],
];
/// Words that join two closings: "Groeten en alvast bedankt".
const JOINERS: &[&str] = &["en", "and"];
/// The most words a name after the closing has: "Jan de Vries", "fam. van den Berg".
pub const MAX_NAME_WORDS: usize = 4;

/// The token positions (as the tokenizer counts them) of the closing and the name after it
/// in a message of `words` (see [`written_words`](super::places::written_words)); none when it has no closing at its end.
pub(super) fn positions(words: &[Word]) -> Vec<usize> {
    let words: Vec<(&str, RangeInclusive<usize>)> = (words.iter())
        .map(|w| (w.lower.as_str(), w.positions()))
        .collect();
    // The first closing from which at most a name is left: "groet" inside a sentence that
    // goes on is no closing. Closings may follow each other: "Groeten en alvast bedankt".
    let start = (0..words.len()).find(|&i| {
        let mut end = i;
        while let Some(next) = closing_at(&words, end) {
            end = next;
            if words.len() - end <= MAX_NAME_WORDS {
                return true;
            }
            if words.get(end).is_some_and(|(w, _)| JOINERS.contains(w)) {
                end += 1;
            }
        }
        false
    });
    start.map_or_else(Vec::new, |i| {
        (words[i..].iter())
            .flat_map(|(_, positions)| positions.clone())
            .collect()
    })
}

/// Where the closing starting at word `i` ends, if one does.
fn closing_at(words: &[(&str, RangeInclusive<usize>)], i: usize) -> Option<usize> {
    CLOSINGS.iter().find_map(|closing| {
        let end = i + closing.len();
        (end <= words.len() && (words[i..end].iter().zip(closing.iter())).all(|((w, _), c)| w == c))
            .then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closing(message: &str) -> Vec<String> {
        let words = crate::search::places::written_words(message);
        crate::search::places::tests::words_at(message, &positions(&words))
    }

    #[test]
    fn a_closing_and_the_name_after_it() {
        assert_eq!(
            closing("container niet geleegd. Met vriendelijke groet, Jan de Vries"),
            ["Met", "vriendelijke", "groet", "Jan", "de", "Vries"]
        );
        assert_eq!(
            closing("container niet geleegd, groetjes Anja"),
            ["groetjes", "Anja"]
        );
        assert_eq!(closing("container niet geleegd mvg"), ["mvg"]);
        assert_eq!(
            closing("container niet geleegd\n\nVerstuurd vanaf mijn iPhone"),
            ["Verstuurd", "vanaf", "mijn", "iPhone"]
        );
        assert_eq!(
            closing("container niet geleegd. Sent from my Samsung Galaxy-smartphone"),
            ["Sent", "from", "my", "Samsung", "Galaxy-smartphone"]
        );
        assert_eq!(
            closing("Bij voorbaat dank, Henk Jansen"),
            ["Bij", "voorbaat", "dank", "Henk", "Jansen"]
        );
        // Closings that follow each other.
        assert_eq!(
            closing("container niet geleegd. Groeten en alvast bedankt voor de moeite!"),
            ["Groeten", "en", "alvast", "bedankt", "voor", "de", "moeite"]
        );
        assert_eq!(
            closing("container niet geleegd. Alvast bedankt, met vriendelijke groet, Anja"),
            ["Alvast", "bedankt", "met", "vriendelijke", "groet", "Anja"]
        );
        // A formal letter's.
        assert_eq!(
            closing("Graag uw reactie. Hoogachtend, J. Bakker"),
            ["Hoogachtend", "Bakker"]
        );
        assert_eq!(
            closing("Graag uw reactie. Met vriendelijke groet en hoogachting, Bakker"),
            [
                "Met",
                "vriendelijke",
                "groet",
                "en",
                "hoogachting",
                "Bakker"
            ]
        );
    }

    #[test]
    fn a_greeting_inside_the_message_is_no_closing() {
        assert!(closing("container niet geleegd").is_empty());
        // Too much follows to be a name.
        assert!(closing("de groeten van mijn buurman, zijn container is niet geleegd").is_empty());
        assert!(
            closing("met vriendelijke groet stuur ik u mijn vraag over de kapvergunning")
                .is_empty()
        );
    }
}
