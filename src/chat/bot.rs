//! The bot policy: what vraagbaak answers by itself when the bot is active, and what it leaves
//! to people. Pure decisions over a [`Situation`]; the chat service carries them out.
//!
//! In order:
//! 1. an answer to the bot's "Heeft dit u geholpen?" is recorded ("nee" hands over with priority);
//! 2. nothing else happens while the bot is inactive (`bot.mode` and office hours);
//! 3. personal data in the message gets the privacy article instead of a content answer;
//! 4. asking for a person hands over at once, with the away text;
//! 5. greetings, thanks and "ben je een robot?" get a short reply;
//! 6. a confident suggestion whose article allows the bot is sent, with the feedback question;
//! 7. anything else gets the away text (or, during office hours, an acknowledgement) once per
//!    period, so a resident writing five messages on a Sunday gets it once.
//!
//! A message the bot does not answer leaves a person's reply owed ([`owes_reply`]); the store
//! keeps that debt until an agent replies, whatever the bot answers later.

use crate::config::BotMode;

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

/// Everything the decision depends on.
#[derive(Debug, Clone)]
pub struct Situation<'a> {
    pub mode: BotMode,
    pub office_open: bool,
    pub intent: Intent,
    /// The bot asked "Heeft dit u geholpen?" and waits for the answer.
    pub awaiting_feedback: bool,
    /// The message held personal data (now masked).
    pub personal_data: bool,
    /// The top suggestion, when it is confident and its article allows the bot.
    pub answerable: Option<&'a str>,
    /// The period the away text or acknowledgement was last sent for, and the current one.
    pub notice_sent_for: Option<&'a str>,
    pub period: &'a str,
}

/// One thing the bot does. A decision is a list of them, carried out in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Record the resident's answer to the feedback question.
    RecordFeedback { helpful: bool },
    /// Put the conversation first in the agents' inbox.
    Prioritise,
    /// Send an article's answer (with its links); `ask_feedback` adds the feedback question.
    SendArticle {
        article_id: String,
        ask_feedback: bool,
    },
    /// Send one of the configured texts.
    Say(Text),
    /// The away text (office closed) or acknowledgement (open), and remember the period.
    Notice,
}

/// Which configured text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Greeting,
    Thanks,
    Identity,
    FeedbackYes,
    FeedbackNo,
    Handover,
}

/// The article the bot may send by itself: the top suggestion, when it is confident and its
/// article allows the bot.
pub fn answerable(suggestions: &crate::search::Suggestions) -> Option<&str> {
    suggestions
        .top()
        .filter(|top| suggestions.confident && top.bot)
        .map(|top| top.id.as_str())
}

/// Whether the bot answers now.
pub fn active(mode: BotMode, office_open: bool) -> bool {
    match mode {
        BotMode::Off => false,
        BotMode::OutsideOfficeHours => !office_open,
        BotMode::Always => true,
    }
}

/// What the bot does with one resident message. `privacy_article` is sent for personal data.
pub fn decide(situation: &Situation<'_>, privacy_article: &str) -> Vec<Action> {
    let mut actions = Vec::new();
    if situation.awaiting_feedback {
        match situation.intent {
            Intent::Yes => {
                actions.push(Action::RecordFeedback { helpful: true });
                if active(situation.mode, situation.office_open) {
                    actions.push(Action::Say(Text::FeedbackYes));
                }
                return actions;
            }
            Intent::No => {
                actions.push(Action::RecordFeedback { helpful: false });
                actions.push(Action::Prioritise);
                if active(situation.mode, situation.office_open) {
                    actions.push(Action::Say(Text::FeedbackNo));
                    if !situation.office_open {
                        actions.push(Action::Notice);
                    }
                }
                return actions;
            }
            // The resident moved on; the question lapses.
            _ => {}
        }
    }
    if !active(situation.mode, situation.office_open) {
        return actions;
    }
    let notice_due = situation.notice_sent_for != Some(situation.period);
    if situation.personal_data {
        actions.push(Action::SendArticle {
            article_id: privacy_article.to_string(),
            ask_feedback: false,
        });
        if notice_due {
            actions.push(Action::Notice);
        }
        return actions;
    }
    match situation.intent {
        Intent::Person => {
            actions.push(Action::Prioritise);
            actions.push(Action::Say(Text::Handover));
            actions.push(Action::Notice);
        }
        Intent::Greeting => actions.push(Action::Say(Text::Greeting)),
        Intent::Thanks => actions.push(Action::Say(Text::Thanks)),
        Intent::Identity => actions.push(Action::Say(Text::Identity)),
        Intent::Yes | Intent::No | Intent::Other => match situation.answerable {
            Some(article_id) => actions.push(Action::SendArticle {
                article_id: article_id.to_string(),
                ask_feedback: true,
            }),
            None if notice_due => actions.push(Action::Notice),
            None => {}
        },
    }
    actions
}

/// Whether a resident message leaves a person's reply owed: nothing the bot did answers it,
/// and it asks something. Thanks and a "ja" to the feedback question ask nothing.
pub fn owes_reply(intent: Intent, actions: &[Action]) -> bool {
    let answered = actions.iter().any(|action| {
        matches!(
            action,
            Action::SendArticle {
                ask_feedback: true,
                ..
            } | Action::RecordFeedback { helpful: true }
                | Action::Say(Text::Greeting | Text::Thanks | Text::Identity | Text::FeedbackYes)
        )
    });
    !answered && intent != Intent::Thanks
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

    fn situation(intent: Intent) -> Situation<'static> {
        Situation {
            mode: BotMode::OutsideOfficeHours,
            office_open: false,
            intent,
            awaiting_feedback: false,
            personal_data: false,
            answerable: None,
            notice_sent_for: None,
            period: "2026-11-30T08:30",
        }
    }

    #[test]
    fn a_confident_answer_is_sent_with_the_feedback_question() {
        let s = Situation {
            answerable: Some("grofvuil"),
            ..situation(Intent::Other)
        };
        assert_eq!(
            decide(&s, "privacy"),
            [Action::SendArticle {
                article_id: "grofvuil".into(),
                ask_feedback: true
            }]
        );
    }

    #[test]
    fn the_away_text_goes_out_once_per_closed_period() {
        let first = situation(Intent::Other);
        assert_eq!(decide(&first, "privacy"), [Action::Notice]);
        let again = Situation {
            notice_sent_for: Some("2026-11-30T08:30"),
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&again, "privacy"), []);
        let next_period = Situation {
            notice_sent_for: Some("2026-11-27T08:30"),
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&next_period, "privacy"), [Action::Notice]);
    }

    #[test]
    fn no_after_an_answer_hands_over_with_priority() {
        let s = Situation {
            awaiting_feedback: true,
            ..situation(Intent::No)
        };
        assert_eq!(
            decide(&s, "privacy"),
            [
                Action::RecordFeedback { helpful: false },
                Action::Prioritise,
                Action::Say(Text::FeedbackNo),
                Action::Notice
            ]
        );
        let yes = Situation {
            awaiting_feedback: true,
            ..situation(Intent::Yes)
        };
        assert_eq!(
            decide(&yes, "privacy"),
            [
                Action::RecordFeedback { helpful: true },
                Action::Say(Text::FeedbackYes)
            ]
        );
    }

    #[test]
    fn asking_for_a_person_hands_over_at_once_even_after_the_notice() {
        let s = Situation {
            notice_sent_for: Some("2026-11-30T08:30"),
            ..situation(Intent::Person)
        };
        assert_eq!(
            decide(&s, "privacy"),
            [
                Action::Prioritise,
                Action::Say(Text::Handover),
                Action::Notice
            ]
        );
    }

    #[test]
    fn personal_data_gets_the_privacy_article_instead_of_an_answer() {
        let s = Situation {
            personal_data: true,
            answerable: Some("paspoort-aanvragen"),
            ..situation(Intent::Other)
        };
        assert_eq!(
            decide(&s, "privacy"),
            [
                Action::SendArticle {
                    article_id: "privacy".into(),
                    ask_feedback: false
                },
                Action::Notice
            ]
        );
    }

    #[test]
    fn a_reply_is_owed_unless_the_bot_answered_or_nothing_was_asked() {
        let owes = |intent, s: &Situation<'_>| owes_reply(intent, &decide(s, "privacy"));
        let person = situation(Intent::Person);
        assert!(owes(Intent::Person, &person), "hand-over");
        let privacy = Situation {
            personal_data: true,
            ..situation(Intent::Other)
        };
        assert!(owes(Intent::Other, &privacy), "privacy answer");
        assert!(owes(Intent::Other, &situation(Intent::Other)), "away text");
        let nee = Situation {
            awaiting_feedback: true,
            ..situation(Intent::No)
        };
        assert!(owes(Intent::No, &nee), "nee");
        let answered = Situation {
            answerable: Some("grofvuil"),
            ..situation(Intent::Other)
        };
        assert!(!owes(Intent::Other, &answered), "bot answer");
        assert!(!owes(Intent::Greeting, &situation(Intent::Greeting)));
        assert!(!owes(Intent::Thanks, &situation(Intent::Thanks)));
        let ja = Situation {
            awaiting_feedback: true,
            office_open: true,
            ..situation(Intent::Yes)
        };
        assert!(!owes(Intent::Yes, &ja), "ja, even with the bot inactive");
        // With the bot inactive only people answer: a greeting needs one, thanks does not.
        assert!(owes_reply(Intent::Greeting, &[]));
        assert!(!owes_reply(Intent::Thanks, &[]));
    }

    #[test]
    fn the_bot_is_silent_when_inactive_but_still_records_feedback() {
        let open = Situation {
            office_open: true,
            answerable: Some("grofvuil"),
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&open, "privacy"), []);
        let off = Situation {
            mode: BotMode::Off,
            ..situation(Intent::Greeting)
        };
        assert_eq!(decide(&off, "privacy"), []);
        let feedback_in_office = Situation {
            office_open: true,
            awaiting_feedback: true,
            ..situation(Intent::No)
        };
        assert_eq!(
            decide(&feedback_in_office, "privacy"),
            [
                Action::RecordFeedback { helpful: false },
                Action::Prioritise
            ]
        );
        let always = Situation {
            mode: BotMode::Always,
            office_open: true,
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&always, "privacy"), [Action::Notice]);
    }
}
