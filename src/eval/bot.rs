//! What the bot policy ([`crate::chat::bot`]) does with each labelled message as the first
//! message of a conversation while the office is closed (so that `outside_office_hours` and
//! `always` are both active): what it answers by itself, and what its offers ("Bedoelt u …?")
//! would turn into.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::Case;
use crate::chat::bot::{self, Action, Intent, OfferRule, Situation, Text};
use crate::chat::privacy;
use crate::config::{BotMode, Config};
use crate::search::{Snapshot, Suggestions};

/// The bot's decisions over a labelled set.
#[derive(Debug, Clone, Serialize)]
pub struct BotReport {
    pub messages: usize,
    /// Messages that have an expected article.
    pub answerable: usize,
    /// Messages the bot answered with a content article by itself.
    pub answered: usize,
    /// Of those, how many with an expected article.
    pub answered_right: usize,
    /// Messages that have an article, by what the bot did.
    pub with_article: BTreeMap<&'static str, usize>,
    /// Messages without an article (`-`), by what the bot did.
    pub without_article: BTreeMap<&'static str, usize>,
    /// Wrong automatic answers: (line, message, article sent).
    pub wrong: Vec<(usize, String, String)>,
    /// What the offers did, under the configured `bot.offer_confidence` and `bot.offer_lead`.
    pub offers: OfferReport,
    /// Offers the resident should say "nee" to: (line, message, article offered).
    pub wrong_offers: Vec<(usize, String, String)>,
}

impl BotReport {
    pub fn answered_share(&self) -> f64 {
        ratio(self.answered, self.messages)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.answered_right, self.answered)
    }

    /// Share of the messages with an article that end with the right article: answered by
    /// the bot, or offered and (the resident saying "ja") sent.
    pub fn right_with_offers(&self) -> f64 {
        ratio(self.answered_right + self.offers.right, self.answerable)
    }
}

/// What the offers do for the messages the bot does not answer by itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OfferReport {
    pub offer_confidence: f32,
    pub offer_lead: f32,
    /// Messages whose top suggestion is below the bot threshold (`bot.min_confidence`).
    pub below_threshold: usize,
    /// Of those, how many have an expected article.
    pub answerable_below: usize,
    /// Of those below the threshold, how many get an offer.
    pub offered: usize,
    /// Offers of an expected article: "ja" brings the right answer.
    pub right: usize,
    /// Offers of another article on a message that has one: the resident should say "nee".
    pub wrong_article: usize,
    /// Offers on a message no article answers (`-`): the resident should say "nee".
    pub no_article: usize,
}

impl OfferReport {
    pub fn new(rule: OfferRule) -> Self {
        OfferReport {
            offer_confidence: rule.min_confidence,
            offer_lead: rule.lead,
            ..OfferReport::default()
        }
    }

    /// Counts one message: `confident` is whether its top suggestion reached the threshold,
    /// `actions` what the bot did with it.
    pub fn tally(&mut self, expected: &[String], confident: bool, actions: &[Action]) {
        if confident {
            return;
        }
        self.below_threshold += 1;
        if !expected.is_empty() {
            self.answerable_below += 1;
        }
        let Some(offered) = bot::offer_in(actions) else {
            return;
        };
        self.offered += 1;
        if expected.is_empty() {
            self.no_article += 1;
        } else if expected.iter().any(|id| id == offered) {
            self.right += 1;
        } else {
            self.wrong_article += 1;
        }
    }

    /// Share of offers that name an expected article.
    pub fn precision(&self) -> f64 {
        ratio(self.right, self.offered)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// One labelled message as the bot sees it: screened for personal data, with suggestions.
struct FirstMessage<'c> {
    case: &'c Case,
    suggestions: Suggestions,
    intent: Intent,
    personal_data: bool,
}

impl<'c> FirstMessage<'c> {
    fn new(snapshot: &Snapshot, case: &'c Case, config: &Config, today: NaiveDate) -> Self {
        let screened = privacy::screen(&case.message, &config.privacy);
        FirstMessage {
            case,
            suggestions: snapshot
                .suggest(&screened.text, 3, today)
                .mark(config.bot.min_confidence),
            intent: bot::intent(&screened.text),
            personal_data: !screened.findings.is_empty(),
        }
    }

    /// What the bot does with it, offering by `rule`.
    fn decide(&self, config: &Config, rule: OfferRule) -> Vec<Action> {
        let situation = Situation {
            // The report is about what the bot does when it is on.
            mode: match config.bot.mode {
                BotMode::Off => BotMode::Always,
                mode => mode,
            },
            office_open: false,
            intent: self.intent,
            awaiting_feedback: false,
            personal_data: self.personal_data,
            answerable: bot::answerable(&self.suggestions),
            offerable: bot::offerable(&self.suggestions, rule),
            offered: None,
            notice_sent_for: None,
            period: "closed",
        };
        bot::decide(&situation, &config.bot.privacy_article)
    }

    /// Counts it under `rule`.
    fn tally(&self, config: &Config, rule: OfferRule, offers: &mut OfferReport) -> Vec<Action> {
        let actions = self.decide(config, rule);
        offers.tally(&self.case.expected, self.suggestions.confident, &actions);
        actions
    }
}

/// Runs the bot policy (privacy guard, intents, confident answers, offers) over every case.
pub fn bot_report(
    snapshot: &Snapshot,
    cases: &[Case],
    config: &Config,
    today: NaiveDate,
) -> BotReport {
    let rule = OfferRule::from(&config.bot);
    let mut report = BotReport {
        messages: cases.len(),
        answerable: cases.iter().filter(|c| !c.expected.is_empty()).count(),
        answered: 0,
        answered_right: 0,
        with_article: BTreeMap::new(),
        without_article: BTreeMap::new(),
        wrong: Vec::new(),
        offers: OfferReport::new(rule),
        wrong_offers: Vec::new(),
    };
    for case in cases {
        let first = FirstMessage::new(snapshot, case, config, today);
        let actions = first.tally(config, rule, &mut report.offers);
        // An offer goes out after the away text: it says more about the message.
        let offered = bot::offer_in(&actions);
        if let Some(article_id) = offered.filter(|id| !case.expected.iter().any(|e| e == id)) {
            report
                .wrong_offers
                .push((case.line, case.message.clone(), article_id.to_string()));
        }
        let outcome = offered
            .map(|_| "offered an article (Bedoelt u …?)")
            .or_else(|| {
                actions.iter().find_map(|action| match action {
                    Action::SendArticle {
                        ask_feedback: false,
                        ..
                    } => Some("privacy answer"),
                    Action::SendArticle { article_id, .. } => {
                        report.answered += 1;
                        if case.expected.contains(article_id) {
                            report.answered_right += 1;
                        } else {
                            report.wrong.push((
                                case.line,
                                case.message.clone(),
                                article_id.clone(),
                            ));
                        }
                        Some("answered with an article")
                    }
                    Action::Say(Text::Handover) => Some("handed over (asked for a person)"),
                    Action::Say(Text::Greeting) => Some("greeting"),
                    Action::Say(Text::Thanks) => Some("thanks"),
                    Action::Say(Text::Identity) => Some("'I am the digital assistant'"),
                    Action::Notice => Some("away text"),
                    _ => None,
                })
            })
            .unwrap_or("nothing");
        let tally = if case.expected.is_empty() {
            &mut report.without_article
        } else {
            &mut report.with_article
        };
        *tally.entry(outcome).or_default() += 1;
    }
    report
}

/// The offers under each rule, for choosing `bot.offer_confidence` and `bot.offer_lead`:
/// every message is searched once and decided once per rule.
pub fn offer_sweep(
    snapshot: &Snapshot,
    cases: &[Case],
    config: &Config,
    today: NaiveDate,
    rules: &[OfferRule],
) -> Vec<OfferReport> {
    let messages: Vec<FirstMessage<'_>> = (cases.iter())
        .map(|case| FirstMessage::new(snapshot, case, config, today))
        .collect();
    rules
        .iter()
        .map(|&rule| {
            let mut offers = OfferReport::new(rule);
            for message in &messages {
                message.tally(config, rule, &mut offers);
            }
            offers
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn offers_are_counted_by_whether_they_name_an_expected_article() {
        let rule = OfferRule {
            min_confidence: 0.5,
            lead: 0.5,
        };
        let mut offers = OfferReport::new(rule);
        let offer = |id: &str| {
            vec![
                Action::Notice,
                Action::Offer {
                    article_id: id.into(),
                },
            ]
        };
        let answer = [Action::SendArticle {
            article_id: "grofvuil".into(),
            ask_feedback: true,
        }];
        offers.tally(&ids(&["paspoort", "idkaart"]), false, &offer("idkaart"));
        offers.tally(&ids(&["paspoort"]), false, &offer("rijbewijs"));
        offers.tally(&[], false, &offer("paspoort"));
        offers.tally(&ids(&["grofvuil"]), false, &[Action::Notice]);
        offers.tally(&[], false, &[Action::Notice]);
        // Confident messages are the bot's own answers, not offers.
        offers.tally(&ids(&["grofvuil"]), true, &answer);
        assert_eq!(
            offers,
            OfferReport {
                offer_confidence: 0.5,
                offer_lead: 0.5,
                below_threshold: 5,
                answerable_below: 3,
                offered: 3,
                right: 1,
                wrong_article: 1,
                no_article: 1,
            }
        );
        assert!((offers.precision() - 1.0 / 3.0).abs() < 1e-9);
    }
}
