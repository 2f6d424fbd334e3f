//! What a resident message is about apart from its content: a greeting, thanks, "ja" or
//! "nee" to the bot's question, a request for a person, or a question ([`Intent::Other`]).
//! Decided from the words alone, so the bot policy ([`super::bot`]) stays a pure decision.

/// What a short message is about, apart from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Greeting,
    Thanks,
    /// "Ben je een robot?"
    Identity,
    /// Asks for a person.
    Person,
    Yes,
    No,
    /// A question or anything else.
    Other,
}

/// Whether a message asks something, rather than greeting, thanking or answering "ja" or
/// "nee": agents' suggestions are for the last message that does.
pub fn asks_something(text: &str) -> bool {
    intent(text) == Intent::Other
}

const GREETINGS: &[&str] = &[
    "hallo",
    "hoi",
    "hey",
    "hai",
    "hi",
    "hello",
    "goedemorgen",
    "goedemiddag",
    "goedenavond",
    "goedendag",
    "dag",
    "morgen",
    "middag",
    "avond",
    "beste",
    "good",
    "morning",
    "afternoon",
    "evening",
];
/// Words that may surround a greeting without making it a question.
const GREETING_FILLER: &[&str] = &[
    "daar", "is", "er", "iemand", "anyone", "there", "allemaal", "gemeente", "ik", "heb", "een",
    "vraag", "over", "iets", "wil", "graag", "stellen", "even", "goede", "zijn", "jullie",
];
const THANKS: &[&str] = &[
    "bedankt",
    "dank",
    "dankje",
    "dankjewel",
    "dankuwel",
    "thanks",
    "thx",
    "merci",
    "top",
];
const THANKS_FILLER: &[&str] = &[
    "je",
    "u",
    "wel",
    "heel",
    "erg",
    "hartelijk",
    "voor",
    "de",
    "het",
    "snelle",
    "reactie",
    "info",
    "informatie",
    "hulp",
    "antwoord",
    "super",
    "fijn",
    "prima",
    "oke",
    "ok",
    "oké",
    "okay",
    "duidelijk",
    "helder",
    "goed",
    "mooi",
    "perfect",
    "fijne",
    "dag",
    "nog",
    "avond",
    "weekend",
    "alvast",
    "jullie",
    "geholpen",
];
const YES: &[&str] = &[
    "ja", "jazeker", "jawel", "yes", "zeker", "klopt", "jep", "yep",
];
const NO: &[&str] = &["nee", "neen", "no", "nope", "helaas", "niet"];
const PERSON_WORDS: &[&str] = &["medewerker", "medewerkster", "medewerkers", "mens"];
const PERSON_PHRASES: &[&str] = &[
    "iemand spreken",
    "iemand anders spreken",
    "echt iemand",
    "echte persoon",
    "persoon spreken",
    "iemand aan de lijn",
    "iemand bellen",
    "met iemand praten",
];
const IDENTITY_WORDS: &[&str] = &["robot", "bot", "chatbot", "computer"];

/// The intent of a message, from its words alone. Only short messages are greetings, thanks
/// or answers; a longer message with a question in it is [`Intent::Other`].
pub fn intent(text: &str) -> Intent {
    let words = words(text);
    let count = words.len();
    let all_in = |sets: &[&[&str]]| {
        count > 0
            && words
                .iter()
                .all(|w| sets.iter().any(|s| s.contains(&w.as_str())))
    };
    let any_in = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    let joined = words.join(" ");

    let asks_person = (count <= 16 && any_in(PERSON_WORDS))
        || PERSON_PHRASES.iter().any(|p| contains_phrase(&joined, p));
    if asks_person {
        return Intent::Person;
    }
    let first = words.first().map(String::as_str).unwrap_or("");
    if count <= 5 && YES.contains(&first) {
        return Intent::Yes;
    }
    if count <= 6 && NO.contains(&first) {
        return Intent::No;
    }
    if count <= 8 && any_in(IDENTITY_WORDS) {
        return Intent::Identity;
    }
    if any_in(THANKS) && all_in(&[THANKS, THANKS_FILLER]) {
        return Intent::Thanks;
    }
    if any_in(GREETINGS) && all_in(&[GREETINGS, GREETING_FILLER]) {
        return Intent::Greeting;
    }
    Intent::Other
}

/// Lowercase words; a thumbs-up counts as "top".
fn words(text: &str) -> Vec<String> {
    text.replace('👍', " top ")
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

fn contains_phrase(joined: &str, phrase: &str) -> bool {
    format!(" {joined} ").contains(&format!(" {phrase} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_get_their_intent_and_questions_stay_questions() {
        let cases = [
            ("Goedemorgen", Intent::Greeting),
            ("hallo is daar iemand?", Intent::Greeting),
            ("goedemiddag, ik heb een vraag over iets", Intent::Greeting),
            ("Good morning, is anyone there?", Intent::Greeting),
            ("top bedankt!", Intent::Thanks),
            ("Dankjewel voor de snelle reactie 👍", Intent::Thanks),
            ("oke dankjewel, fijne dag nog", Intent::Thanks),
            ("👍", Intent::Thanks),
            ("Kan ik iemand spreken?", Intent::Person),
            ("ik wil een echt mens spreken geen robot", Intent::Person),
            (
                "Mag ik een medewerker aan de lijn? Ik kom er niet uit met deze chat",
                Intent::Person,
            ),
            ("ben jij een robot?", Intent::Identity),
            ("ja", Intent::Yes),
            ("Ja, dank u wel", Intent::Yes),
            ("nee", Intent::No),
            ("nee helaas niet", Intent::No),
            (
                "hallo, wanneer wordt het grofvuil opgehaald?",
                Intent::Other,
            ),
            (
                "weet iemand hoe feyenoord gisteren gespeeld heeft?",
                Intent::Other,
            ),
            ("hoeveel kost een paspoort per persoon", Intent::Other),
            ("???", Intent::Other),
            ("", Intent::Other),
        ];
        for (text, expected) in cases {
            assert_eq!(intent(text), expected, "{text:?}");
        }
    }
}
