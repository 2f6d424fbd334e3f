//! Carrying out what the bot decided ([`super::bot`]) for one resident message, and the
//! welcome a new WhatsApp conversation gets. Every automatic message is stored (and queued for
//! its channel) in one transaction and shown to agents marked as the bot's.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

use super::bot::{self, Action, Situation, Text};
use super::hours::{describe_deadline, describe_opening};
use super::service::{Chat, ChatError, WHATSAPP, delivery_on};
use super::{AuthorKind, Delivery};
use crate::channels::whatsapp::format::with_links;
use crate::search::Suggestions;
use crate::store::conversations::{self as conv, BotMessage, Conversation, Message};

impl Chat {
    /// A new WhatsApp conversation first gets the welcome and the privacy notice. (The web
    /// chat shows both above the conversation.)
    pub(super) async fn welcome(&self, conversation: &Conversation) -> Result<(), ChatError> {
        if conversation.channel != WHATSAPP {
            return Ok(());
        }
        let texts = &self.config.texts;
        let text = format!("{}\n\n{}", texts.welcome, texts.privacy);
        self.send_automatic(conversation, AuthorKind::System, &text, None, false)
            .await?;
        Ok(())
    }

    /// Lets the bot act on a stored resident message.
    pub(super) async fn respond(
        &self,
        conversation: &Conversation,
        message: &Message,
        suggestions: &Suggestions,
    ) -> Result<(), ChatError> {
        let now = (self.clock)();
        let hours = &self.config.office_hours;
        let office_open = hours.is_open(&now);
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
        let id = conversation.id;
        for action in actions {
            match action {
                Action::RecordFeedback { helpful } => {
                    if let Some(answer) = conversation.feedback_for {
                        self.store
                            .call(move |c| conv::record_feedback(c, id, answer, helpful))
                            .await?;
                        self.publish_change(id, "feedback");
                    }
                }
                Action::Prioritise => {
                    self.store.call(move |c| conv::prioritise(c, id)).await?;
                    self.publish_change(id, "priority");
                }
                Action::SendArticle {
                    article_id,
                    ask_feedback,
                } => {
                    let snapshot = self.engine.snapshot();
                    let Some(article) = snapshot.article(&article_id) else {
                        continue;
                    };
                    let links: Vec<(String, String)> = article
                        .links
                        .iter()
                        .map(|l| (l.title.clone(), l.resolve(&snapshot.site_url)))
                        .collect();
                    let text = with_links(&article.answer(&snapshot.site_url), &links);
                    let answer = self
                        .send_automatic(
                            conversation,
                            AuthorKind::Bot,
                            &text,
                            Some(&article_id),
                            ask_feedback,
                        )
                        .await?;
                    if ask_feedback {
                        let question = self.config.bot.texts.feedback_question.clone();
                        self.send_automatic(conversation, AuthorKind::Bot, &question, None, true)
                            .await?;
                        let answer_id = answer.id;
                        self.store
                            .call(move |c| conv::await_feedback(c, id, Some(answer_id)))
                            .await?;
                    }
                }
                Action::Say(text) => {
                    let texts = &self.config.bot.texts;
                    let (words, answered) = match text {
                        Text::Greeting => (&texts.greeting, true),
                        Text::Thanks => (&texts.thanks, true),
                        Text::Identity => (&texts.identity, true),
                        Text::FeedbackYes => (&texts.feedback_yes, true),
                        Text::FeedbackNo => (&texts.feedback_no, false),
                        Text::Handover => (&texts.handover, false),
                    };
                    let words = self.fill(words, now);
                    self.send_automatic(conversation, AuthorKind::Bot, &words, None, answered)
                        .await?;
                }
                Action::Notice => {
                    let texts = &self.config.bot.texts;
                    let template = if office_open {
                        &texts.acknowledgement
                    } else {
                        &texts.away
                    };
                    let words = self.fill(template, now);
                    self.send_automatic(conversation, AuthorKind::Bot, &words, None, false)
                        .await?;
                    let key = period.clone();
                    self.store
                        .call(move |c| conv::set_notice_key(c, id, &key))
                        .await?;
                }
            }
        }
        Ok(())
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

    /// Stores an automatic message, queues it for its channel and tells the dashboards.
    async fn send_automatic(
        &self,
        conversation: &Conversation,
        author: AuthorKind,
        text: &str,
        article_id: Option<&str>,
        answered: bool,
    ) -> Result<Message, ChatError> {
        let id = conversation.id;
        let delivery = delivery_on(&conversation.channel);
        let text = Chat::outgoing_text(text);
        let article_id = article_id.map(String::from);
        let message = self
            .store
            .call(move |c| {
                conv::send_automatic(
                    c,
                    id,
                    &BotMessage {
                        author,
                        text: &text,
                        article_id: article_id.as_deref(),
                        delivery,
                        answered,
                    },
                )
            })
            .await?;
        if delivery == Delivery::Queued {
            self.outbox.notify_one();
        }
        self.publish_message(&message);
        if answered {
            self.publish_change(id, "status");
        }
        Ok(message)
    }
}
