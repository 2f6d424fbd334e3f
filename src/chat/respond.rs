//! Carrying out what the bot decided ([`super::bot`]) about one resident message. The whole
//! response (messages, feedback, priority, the away-text period) is stored in one transaction
//! that also marks the message dealt with; a message whose response never got stored (the
//! server stopped in between) is answered on the channel's redelivery or at the next start.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Europe::Amsterdam;

use super::bot::{self, Action, Situation, Text};
use super::hours::{describe_deadline, describe_opening};
use super::service::{Chat, ChatError, delivery_on};
use super::{AuthorKind, Delivery};
use crate::channels::whatsapp::format::with_links;
use crate::search::Suggestions;
use crate::store::conversations::{self as conv, BotMessage, BotResponse, Conversation, Message};

/// A resident message older than this is not answered by the bot after a restart: the moment
/// has passed, and agents see it anyway.
const LATE_RESPONSE: TimeDelta = TimeDelta::minutes(30);

impl Chat {
    /// Lets the bot act on a stored resident message.
    pub(super) async fn respond(
        &self,
        conversation: &Conversation,
        message: &Message,
        suggestions: &Suggestions,
    ) -> Result<(), ChatError> {
        let now = (self.clock)();
        let office_open = self.config.office_hours.is_open(&now);
        let answerable = suggestions
            .top()
            .filter(|top| suggestions.confident && top.bot)
            .map(|top| top.id.as_str());
        let period = self.period(now, office_open);
        let situation = Situation {
            mode: self.config.bot.mode,
            office_open,
            intent: bot::intent(&message.text),
            awaiting_feedback: conversation.feedback_for.is_some(),
            personal_data: !message.privacy.is_empty(),
            answerable,
            notice_sent_for: conversation.notice_key.as_deref(),
            period: &period,
        };
        let actions = bot::decide(&situation, &self.config.bot.privacy_article);
        let response = self.response(conversation, &actions, now, office_open, &period);
        let (id, inbound) = (conversation.id, message.id);
        let stored = self
            .store
            .call(move |c| conv::store_bot_response(c, id, inbound, &response))
            .await?;
        if stored.iter().any(|m| m.delivery == Delivery::Queued) {
            self.outbox.notify_one();
        }
        for message in &stored {
            self.publish_message(message);
        }
        if !stored.is_empty() || !actions.is_empty() {
            self.publish_change(id, "bot");
        }
        Ok(())
    }

    /// Answers resident messages the bot had not dealt with when the server stopped; those
    /// older than half an hour are left to the agents.
    pub async fn respond_pending(&self) -> Result<usize, ChatError> {
        let pending = self.store.call(|c| conv::pending_responses(c)).await?;
        let mut answered = 0;
        for (conversation_id, message_id) in pending {
            let found = self
                .store
                .call(move |c| {
                    Ok(conv::conversation(c, conversation_id)?.zip(conv::message(c, message_id)?))
                })
                .await?;
            let Some((conversation, message)) = found else {
                continue;
            };
            if (self.clock)() - message.created_at > LATE_RESPONSE {
                self.store
                    .call(move |c| conv::drop_pending_response(c, message_id))
                    .await?;
                continue;
            }
            self.respond_again(&conversation, &message).await?;
            answered += 1;
        }
        Ok(answered)
    }

    /// The bot's turn for a message stored earlier, with the suggestions as they are now.
    pub(super) async fn respond_again(
        &self,
        conversation: &Conversation,
        message: &Message,
    ) -> Result<(), ChatError> {
        let suggestions = self.suggestions_for(&message.text, !message.privacy.is_empty());
        self.respond(conversation, message, &suggestions).await
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
        let say = |text: &str, answered: bool| BotMessage {
            author: AuthorKind::Bot,
            text: Chat::outgoing_text(&self.fill(text, now)),
            article_id: None,
            delivery,
            answered,
            awaits_feedback: false,
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
                    let links: Vec<(String, String)> = article
                        .links
                        .iter()
                        .map(|l| (l.title.clone(), l.resolve(&snapshot.site_url)))
                        .collect();
                    let text = with_links(&article.answer(&snapshot.site_url), &links);
                    response.messages.push(BotMessage {
                        author: AuthorKind::Bot,
                        text: Chat::outgoing_text(&text),
                        article_id: Some(article_id.clone()),
                        delivery,
                        answered: *ask_feedback,
                        awaits_feedback: *ask_feedback,
                    });
                    if *ask_feedback {
                        response.messages.push(say(&texts.feedback_question, true));
                    }
                }
                Action::Say(text) => response.messages.push(match text {
                    Text::Greeting => say(&texts.greeting, true),
                    Text::Thanks => say(&texts.thanks, true),
                    Text::Identity => say(&texts.identity, true),
                    Text::FeedbackYes => say(&texts.feedback_yes, true),
                    Text::FeedbackNo => say(&texts.feedback_no, false),
                    Text::Handover => say(&texts.handover, false),
                }),
                Action::Notice => {
                    let template = if office_open {
                        &texts.acknowledgement
                    } else {
                        &texts.away
                    };
                    response.messages.push(say(template, false));
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

    /// A configured text with `{open}`, `{promise}` and `{municipality}` filled in.
    fn fill(&self, template: &str, now: DateTime<Utc>) -> String {
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
        template
            .replace("{open}", &open)
            .replace("{promise}", &promise)
            .replace("{municipality}", &self.config.municipality)
    }
}
