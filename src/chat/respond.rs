//! Turning what the bot decided ([`super::bot`]) about one resident message into messages and
//! state changes. The store applies them in the transaction that stores the resident's
//! message, so a crash never leaves a message stored without the bot's response.

use std::cell::OnceCell;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Europe::Amsterdam;

use super::AuthorKind;
use super::answer::{for_channel, outgoing_text};
use super::bot::{self, Action, Situation, Text};
use super::hours::{describe_deadline, describe_opening};
use super::service::{Chat, delivery_on};
use crate::search::Suggestions;
use crate::store::conversations::{Conversation, Message};
use crate::store::responses::{BotMessage, BotResponse};

impl Chat {
    /// What the bot does about a resident message, given the conversation as it stands with
    /// the message stored. Runs inside the store's transaction, so it only decides.
    pub(super) fn plan_response(
        &self,
        conversation: &Conversation,
        message: &Message,
        suggestions: &Suggestions,
    ) -> BotResponse {
        let now = (self.clock)();
        let office_open = self.config.office_hours.is_open(&now);
        let active = bot::active(self.config.bot.mode, office_open);
        let awaiting_feedback = conversation.feedback_for.is_some();
        let intent = bot::intent(&message.text);
        // While inactive, the bot has nothing to do or record, unless "ja" or "nee" answers it.
        let awaiting = awaiting_feedback || conversation.offered_article.is_some();
        let (actions, mut response) = if active || awaiting {
            let answerable = bot::answerable(suggestions);
            let offerable = bot::offerable(suggestions, (&self.config.bot).into());
            let period = self.period(now, office_open);
            let situation = Situation {
                mode: self.config.bot.mode,
                office_open,
                intent,
                awaiting_feedback,
                personal_data: !message.privacy.is_empty(),
                answerable,
                offerable,
                offered: conversation.offered_article.as_deref(),
                notice_sent_for: conversation.notice_key.as_deref(),
                period: &period,
            };
            let actions = bot::decide(&situation, &self.config.bot.privacy_article);
            let response = self.response(conversation, &actions, now, office_open, &period);
            (actions, response)
        } else {
            (Vec::new(), BotResponse::default())
        };
        // "ja" or "nee" to the open offer is recorded on it, whoever is on duty: a declined
        // offer tells editors which article did not answer the question (the gap report).
        // Personal data lets the offer lapse instead.
        if conversation.offered_article.is_some() && message.privacy.is_empty() {
            response.offer_answer = match intent {
                bot::Intent::Yes => Some(true),
                bot::Intent::No => Some(false),
                _ => None,
            };
        }
        if bot::owes_reply(intent, &actions) {
            response.reply_by = Some(self.promised(now, active));
        }
        response
    }

    /// By when a person replies to a message the bot leaves to people: the `{promise}` the
    /// bot's texts give while it is active, else the configured response time.
    fn promised(&self, now: DateTime<Utc>, active: bool) -> DateTime<Utc> {
        let hours = &self.config.office_hours;
        active
            .then(|| hours.reply_by(&now, self.config.bot.reply_within_minutes))
            .flatten()
            .map(|at| at.with_timezone(&Utc))
            .unwrap_or_else(|| now + TimeDelta::hours(i64::from(self.config.response_hours)))
    }

    /// The messages and state changes that carry out `actions`.
    fn response(
        &self,
        conversation: &Conversation,
        actions: &[Action],
        now: DateTime<Utc>,
        office_open: bool,
        period: &str,
    ) -> BotResponse {
        let delivery = delivery_on(&conversation.channel);
        // When the office opens and by when a person replies: worked out once, and only if a
        // text needs them.
        let moments = OnceCell::new();
        let say = |text: &str| BotMessage {
            author: AuthorKind::Bot,
            text: for_channel(
                &self.fill(text, moments.get_or_init(|| self.moments(now))),
                &conversation.channel,
            ),
            article_id: None,
            delivery,
            awaits_feedback: false,
            offered_article: None,
        };
        let texts = &self.config.bot.texts;
        let mut response = BotResponse::default();
        for action in actions {
            match action {
                Action::RecordFeedback { helpful } => {
                    response.feedback = conversation.feedback_for.map(|answer| (answer, *helpful));
                }
                Action::Prioritise => response.prioritise = true,
                Action::SendArticle {
                    article_id,
                    ask_feedback,
                } => {
                    let snapshot = self.engine.snapshot();
                    let Some(article) = snapshot.article(article_id) else {
                        continue;
                    };
                    response.messages.push(BotMessage {
                        author: AuthorKind::Bot,
                        text: outgoing_text(article, &conversation.channel, &snapshot.site_url),
                        article_id: Some(article_id.clone()),
                        delivery,
                        awaits_feedback: *ask_feedback,
                        offered_article: None,
                    });
                    if *ask_feedback {
                        response.messages.push(say(&texts.feedback_question));
                    }
                }
                Action::Say(text) => response.messages.push(match text {
                    Text::Greeting => say(&texts.greeting),
                    Text::Thanks => say(&texts.thanks),
                    Text::Identity => say(&texts.identity),
                    Text::FeedbackYes => say(&texts.feedback_yes),
                    Text::FeedbackNo => say(&texts.feedback_no),
                    Text::Handover => say(&texts.handover),
                    Text::OfferDeclined => say(&texts.offer_declined),
                }),
                Action::Offer { article_id } => {
                    let snapshot = self.engine.snapshot();
                    let Some(article) = snapshot.article(article_id) else {
                        continue;
                    };
                    response.messages.push(BotMessage {
                        offered_article: Some(article_id.clone()),
                        ..say(&texts.offer.replace("{title}", &article.title))
                    });
                    response.offer = Some(article_id.clone());
                }
                // Only when the article went out: a "ja" to an article since removed from the
                // knowledge base leaves the reply owed.
                Action::SettleOffer => {
                    response.settles_offer =
                        response.messages.iter().any(|m| m.article_id.is_some())
                }
                Action::Notice => {
                    let template = if office_open {
                        &texts.acknowledgement
                    } else {
                        &texts.away
                    };
                    response.messages.push(say(template));
                    response.notice_key = Some(period.to_string());
                }
            }
        }
        response
    }

    /// Which period a notice belongs to: the office day while open, else the closed stretch
    /// until the next opening.
    fn period(&self, now: DateTime<Utc>, office_open: bool) -> String {
        let local = now.with_timezone(&Amsterdam);
        if office_open {
            return format!("open {}", local.date_naive());
        }
        match self.config.office_hours.next_open(&now) {
            Some(opens) => format!("closed until {}", opens.to_rfc3339()),
            None => "closed".to_string(),
        }
    }

    /// `{open}` and `{promise}` as residents read them: "maandag om 08:30", "maandag vóór 12:00".
    fn moments(&self, now: DateTime<Utc>) -> (String, String) {
        let hours = &self.config.office_hours;
        let local = now.with_timezone(&Amsterdam);
        let open = hours
            .next_open(&now)
            .map(|at| describe_opening(at, local))
            .unwrap_or_else(|| "zodra wij weer open zijn".to_string());
        let promise = hours
            .reply_by(&now, self.config.bot.reply_within_minutes)
            .map(|at| describe_deadline(at, local))
            .unwrap_or_else(|| "zo snel mogelijk".to_string());
        (open, promise)
    }

    /// A configured text with `{open}`, `{promise}` and `{municipality}` filled in.
    fn fill(&self, template: &str, (open, promise): &(String, String)) -> String {
        template
            .replace("{open}", open)
            .replace("{promise}", promise)
            .replace("{municipality}", &self.config.municipality)
    }
}
