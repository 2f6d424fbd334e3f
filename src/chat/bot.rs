//! The bot policy: what vraagbaak answers by itself when the bot is active, and what it leaves
//! to people. Pure decisions over a [`Situation`]; the chat service carries them out.
//!
//! In order:
//! 1. "ja" to the bot's offer ("Bedoelt u …?") gets the offered article, "nee" the promise that
//!    a person replies; while the bot is inactive, agents answer either;
//! 2. an answer to the bot's "Heeft dit u geholpen?" is recorded ("nee" hands over with priority);
//! 3. nothing else happens while the bot is inactive (`bot.mode` and office hours);
//! 4. personal data in the message gets the privacy article instead of a content answer;
//! 5. asking for a person hands over at once, with the away text;
//! 6. greetings, thanks and "ben je een robot?" get a short reply;
//! 7. a confident suggestion whose article allows the bot is sent, with the feedback question;
//! 8. a question whose top suggestion is not confident but clearly leads ([`offerable`]) gets
//!    the away text once per period and the offer;
//! 9. anything else gets the away text (or, during office hours, an acknowledgement) once per
//!    period, so a resident writing five messages on a Sunday gets it once.
//!
//! A message the bot does not answer leaves a person's reply owed ([`owes_reply`]); the store
//! keeps that debt until an agent replies, whatever the bot answers later. The one exception:
//! an offer is no answer, so it leaves a reply owed, and the "ja" that gets its article settles
//! that debt (but not one from before the offer).

pub use super::intent::{Intent, asks_something, intent};
use crate::config::{BotConfig, BotMode};
use crate::search::Suggestions;

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
    /// The top suggestion, when it is not confident but may be offered ([`offerable`]).
    pub offerable: Option<&'a str>,
    /// The article the bot offered with its previous message, waiting for "ja" or "nee".
    pub offered: Option<&'a str>,
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
    /// Ask "Bedoelt u: <titel>?" about an article, and remember it for the next message.
    Offer { article_id: String },
    /// The resident accepted the offer and got its article: the reply the offer left owed is
    /// settled, as a confident answer would have settled it.
    SettleOffer,
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
    /// The resident said "nee" to the offer.
    OfferDeclined,
}

/// The article the bot may send by itself: the top suggestion, when it is confident and its
/// article allows the bot.
pub fn answerable(suggestions: &crate::search::Suggestions) -> Option<&str> {
    suggestions
        .top()
        .filter(|top| suggestions.confident && top.bot)
        .map(|top| top.id.as_str())
}

/// When the bot offers an article it is not sure of: `bot.offer_confidence`, `bot.offer_lead`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfferRule {
    /// The top suggestion's confidence reaches this...
    pub min_confidence: f32,
    /// ...and the second suggestion's confidence is below this share of it.
    pub lead: f32,
}

impl From<&BotConfig> for OfferRule {
    fn from(bot: &BotConfig) -> Self {
        OfferRule {
            min_confidence: bot.offer_confidence,
            lead: bot.offer_lead,
        }
    }
}

/// The article the bot may offer ("Bedoelt u …?"): the top suggestion, when it is not
/// confident but reaches the rule's confidence, clearly leads the second suggestion, and its
/// article allows the bot.
pub fn offerable(suggestions: &Suggestions, rule: OfferRule) -> Option<&str> {
    let top = suggestions.top()?;
    let second = suggestions.suggestions.get(1).map_or(0.0, |s| s.confidence);
    let leads = second < rule.lead * top.confidence;
    (!suggestions.confident && top.bot && top.confidence >= rule.min_confidence && leads)
        .then_some(top.id.as_str())
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
    let active = active(situation.mode, situation.office_open);
    let notice_due = situation.notice_sent_for != Some(situation.period);
    // Personal data goes first: the privacy answer, and the offer lapses.
    if let Some(offered) = situation.offered.filter(|_| !situation.personal_data) {
        match situation.intent {
            Intent::Yes if active => {
                actions.push(Action::SendArticle {
                    article_id: offered.to_string(),
                    ask_feedback: true,
                });
                actions.push(Action::SettleOffer);
                return actions;
            }
            Intent::No if active => {
                actions.push(Action::Say(Text::OfferDeclined));
                if notice_due {
                    actions.push(Action::Notice);
                }
                return actions;
            }
            // The agents are on duty now: they read the offer and the answer to it.
            Intent::Yes | Intent::No => return actions,
            // The resident moved on; the offer lapses.
            _ => {}
        }
    }
    if situation.awaiting_feedback {
        match situation.intent {
            Intent::Yes => {
                actions.push(Action::RecordFeedback { helpful: true });
                if active {
                    actions.push(Action::Say(Text::FeedbackYes));
                }
                return actions;
            }
            Intent::No => {
                actions.push(Action::RecordFeedback { helpful: false });
                actions.push(Action::Prioritise);
                if active {
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
    if !active {
        return actions;
    }
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
        Intent::Yes | Intent::No | Intent::Other => {
            // Only a question gets an offer: "ja" or "nee" to nothing is no question.
            let offer = situation.offerable.filter(|_| situation.intent == Intent::Other);
            match (situation.answerable, offer) {
                (Some(article_id), _) => actions.push(Action::SendArticle {
                    article_id: article_id.to_string(),
                    ask_feedback: true,
                }),
                (None, offer) => {
                    if notice_due {
                        actions.push(Action::Notice);
                    }
                    if let Some(article_id) = offer {
                        actions.push(Action::Offer {
                            article_id: article_id.to_string(),
                        });
                    }
                }
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn situation(intent: Intent) -> Situation<'static> {
        Situation {
            mode: BotMode::OutsideOfficeHours,
            office_open: false,
            intent,
            awaiting_feedback: false,
            personal_data: false,
            answerable: None,
            offerable: None,
            offered: None,
            notice_sent_for: None,
            period: "2026-11-30T08:30",
        }
    }

    const NOTICE_SENT: Option<&str> = Some("2026-11-30T08:30");

    fn offer(article_id: &str) -> Action {
        Action::Offer {
            article_id: article_id.into(),
        }
    }

    fn article(article_id: &str) -> Action {
        Action::SendArticle {
            article_id: article_id.into(),
            ask_feedback: true,
        }
    }

    /// Suggestions ranked as given: (id, confidence, whether the article allows the bot).
    fn ranked(confident: bool, ranked: &[(&str, f32, bool)]) -> Suggestions {
        let suggestion = |&(id, confidence, bot): &(&str, f32, bool)| crate::search::Suggestion {
            id: id.into(),
            title: id.into(),
            score: 1.0,
            confidence,
            answer: String::new(),
            links: Vec::new(),
            matched: Vec::new(),
            bot,
            evidence: Default::default(),
        };
        Suggestions {
            message: "vraag".into(),
            confident,
            suggestions: ranked.iter().map(suggestion).collect(),
        }
    }

    #[test]
    fn only_a_clear_lead_below_the_threshold_is_offerable() {
        let rule = OfferRule {
            min_confidence: 0.5,
            lead: 0.5,
        };
        let offered = |s: &Suggestions| offerable(s, rule).map(String::from);
        let clear = ranked(false, &[("paspoort", 0.6, true), ("idkaart", 0.29, true)]);
        assert_eq!(offered(&clear).as_deref(), Some("paspoort"));
        let alone = ranked(false, &[("paspoort", 0.5, true)]);
        assert_eq!(offered(&alone).as_deref(), Some("paspoort"), "no competitor");
        let close = ranked(false, &[("paspoort", 0.6, true), ("idkaart", 0.3, true)]);
        assert_eq!(offered(&close), None, "#2 at half of #1 is no clear lead");
        let weak = ranked(false, &[("paspoort", 0.49, true)]);
        assert_eq!(offered(&weak), None, "below offer_confidence");
        let confident = ranked(true, &[("paspoort", 0.9, true)]);
        assert_eq!(offered(&confident), None, "confident: answered, not offered");
        let people_only = ranked(false, &[("paspoort", 0.7, false)]);
        assert_eq!(offered(&people_only), None, "the article does not allow the bot");
        assert_eq!(offered(&ranked(false, &[])), None);
    }

    #[test]
    fn a_clear_lead_below_the_threshold_is_offered_after_the_away_text() {
        let s = Situation {
            offerable: Some("paspoort"),
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&s, "privacy"), [Action::Notice, offer("paspoort")]);
        assert!(owes_reply(Intent::Other, &decide(&s, "privacy")), "an offer is no answer");
        let noticed = Situation {
            notice_sent_for: NOTICE_SENT,
            ..s.clone()
        };
        assert_eq!(decide(&noticed, "privacy"), [offer("paspoort")]);
        let confident = Situation {
            answerable: Some("grofvuil"),
            ..s
        };
        assert_eq!(decide(&confident, "privacy"), [article("grofvuil")]);
    }

    #[test]
    fn ja_to_the_offer_sends_the_article_and_settles_the_reply() {
        let s = Situation {
            offered: Some("paspoort"),
            notice_sent_for: NOTICE_SENT,
            ..situation(Intent::Yes)
        };
        let actions = decide(&s, "privacy");
        assert_eq!(actions, [article("paspoort"), Action::SettleOffer]);
        assert!(!owes_reply(Intent::Yes, &actions));
        // The offer comes after any feedback question, so "ja" answers the offer.
        let after_feedback = Situation {
            awaiting_feedback: true,
            ..s
        };
        assert_eq!(
            decide(&after_feedback, "privacy"),
            [article("paspoort"), Action::SettleOffer]
        );
    }

    #[test]
    fn nee_to_the_offer_promises_a_person_and_leaves_the_reply_owed() {
        let s = Situation {
            offered: Some("paspoort"),
            notice_sent_for: NOTICE_SENT,
            ..situation(Intent::No)
        };
        let actions = decide(&s, "privacy");
        assert_eq!(actions, [Action::Say(Text::OfferDeclined)]);
        assert!(owes_reply(Intent::No, &actions));
        let next_period = Situation {
            notice_sent_for: None,
            ..s
        };
        assert_eq!(
            decide(&next_period, "privacy"),
            [Action::Say(Text::OfferDeclined), Action::Notice]
        );
    }

    #[test]
    fn anything_else_lets_the_offer_lapse_and_is_handled_as_usual() {
        let pending = |intent| Situation {
            offered: Some("paspoort"),
            notice_sent_for: NOTICE_SENT,
            ..situation(intent)
        };
        let question = Situation {
            answerable: Some("grofvuil"),
            ..pending(Intent::Other)
        };
        assert_eq!(decide(&question, "privacy"), [article("grofvuil")]);
        assert_eq!(decide(&pending(Intent::Other), "privacy"), []);
        let another_offer = Situation {
            offerable: Some("idkaart"),
            ..pending(Intent::Other)
        };
        assert_eq!(decide(&another_offer, "privacy"), [offer("idkaart")]);
        assert_eq!(
            decide(&pending(Intent::Thanks), "privacy"),
            [Action::Say(Text::Thanks)]
        );
    }

    #[test]
    fn personal_data_a_person_and_small_talk_go_before_an_offer() {
        let offerable = |intent| Situation {
            offerable: Some("paspoort"),
            notice_sent_for: NOTICE_SENT,
            ..situation(intent)
        };
        let privacy = Situation {
            personal_data: true,
            ..offerable(Intent::Other)
        };
        assert_eq!(
            decide(&privacy, "privacy"),
            [Action::SendArticle {
                article_id: "privacy".into(),
                ask_feedback: false
            }]
        );
        let ja_with_personal_data = Situation {
            personal_data: true,
            offered: Some("paspoort"),
            ..situation(Intent::Yes)
        };
        assert!(
            !decide(&ja_with_personal_data, "privacy").contains(&article("paspoort")),
            "the privacy answer, not the offered article"
        );
        assert_eq!(
            decide(&offerable(Intent::Person), "privacy"),
            [
                Action::Prioritise,
                Action::Say(Text::Handover),
                Action::Notice
            ]
        );
        assert_eq!(
            decide(&offerable(Intent::Greeting), "privacy"),
            [Action::Say(Text::Greeting)]
        );
        // "ja" with no offer pending asks nothing, so it gets no offer either.
        assert_eq!(decide(&offerable(Intent::Yes), "privacy"), []);
    }

    #[test]
    fn an_inactive_bot_offers_nothing_and_leaves_the_answer_to_the_offer_to_agents() {
        let open = Situation {
            office_open: true,
            offerable: Some("paspoort"),
            ..situation(Intent::Other)
        };
        assert_eq!(decide(&open, "privacy"), []);
        let off = Situation {
            mode: BotMode::Off,
            ..open.clone()
        };
        assert_eq!(decide(&off, "privacy"), []);
        for intent in [Intent::Yes, Intent::No] {
            let answer = Situation {
                office_open: true,
                offered: Some("paspoort"),
                awaiting_feedback: true,
                ..situation(intent)
            };
            let actions = decide(&answer, "privacy");
            assert_eq!(actions, [], "{intent:?} answers the offer, not the feedback question");
            assert!(owes_reply(intent, &actions), "{intent:?}: agents reply");
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
