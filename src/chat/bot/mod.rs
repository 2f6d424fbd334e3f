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
            // Offers switched off: no confidence reaches infinity.
            min_confidence: if bot.offers {
                bot.offer_confidence
            } else {
                f32::INFINITY
            },
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

/// The article `actions` offer, if they make an offer.
pub fn offer_in(actions: &[Action]) -> Option<&str> {
    actions.iter().find_map(|action| match action {
        Action::Offer { article_id } => Some(article_id.as_str()),
        _ => None,
    })
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
            let offer = situation
                .offerable
                .filter(|_| situation.intent == Intent::Other);
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
mod tests;
