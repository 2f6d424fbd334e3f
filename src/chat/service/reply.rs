//! Replies to the resident, from an agent (Verstuur) or an inbox tool (the reply API), along
//! one path: the text checked, WhatsApp's 24-hour window applied, stored (queued for the
//! outbox on WhatsApp), audited, published.
//!
//! The window is measured from Meta's time of the resident's last message. When it has closed,
//! the answer is held and one re-engagement template asks the resident to write again (see
//! `store::held`); their next message releases the answer. Held answers that wait too long are
//! given up by [`Chat::expire_held_answers`].

use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::chat::hours::describe_date;
use crate::store::held::{self, Hold, Template};
use crate::chat::Via;
use crate::store::marketing;
use crate::store::usage::{self, Answered};
use crate::store::responses::BotResponse;

/// How often answers held for WhatsApp's window are checked for [`held::HELD_DAYS`].
pub const HELD_SWEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// Who sends a reply.
#[derive(Clone, Copy)]
pub enum Sender<'a> {
    Agent(&'a User),
    /// An inbox tool, by its API key's name; audited as `api:<name>`.
    Tool(&'a str),
}

impl Chat {
    /// Sends an agent's reply. `article_id` is the article the agent started from, `via`
    /// where they found it; without `via` it counts as a suggestion when it was one.
    pub async fn reply(
        &self,
        user: &User,
        id: i64,
        text: &str,
        article_id: Option<&str>,
        via: Option<Via>,
    ) -> Result<Message, ChatError> {
        let conversation = self.conversation_for(user, id).await?;
        self.send_reply(Sender::Agent(user), conversation, text, article_id, via)
            .await
    }

    /// An inbox tool's reply through the API. The caller found `conversation` within the
    /// key's scope.
    pub async fn reply_from_tool(
        &self,
        key: &str,
        conversation: Conversation,
        text: &str,
    ) -> Result<Message, ChatError> {
        self.send_reply(Sender::Tool(key), conversation, text, None, None)
            .await
    }

    async fn send_reply(
        &self,
        sender: Sender<'_>,
        conversation: Conversation,
        text: &str,
        article_id: Option<&str>,
        via: Option<Via>,
    ) -> Result<Message, ChatError> {
        let id = conversation.id;
        let text = self.clean_text(text)?;
        let template = if self.window_open(&conversation) {
            None
        } else {
            Some(self.reopen_template(&conversation).await?)
        };
        let snapshot = self.engine.snapshot();
        let article = article_id.and_then(|a| snapshot.article(a));
        let usage = match article {
            Some(article) if same_text(&article_markdown(article, &snapshot.site_url), &text) => {
                Usage::Unchanged
            }
            Some(_) => Usage::Edited,
            None => Usage::NotUsed,
        };
        let article_id = article.map(|a| a.id.clone());
        let delivery = delivery_on(&conversation.channel);
        let text = for_channel(&text, &conversation.channel);
        let notice = template.as_ref().map(template_notice);
        let since = (self.clock)();
        let (agent, actor, author_label) = match sender {
            Sender::Agent(user) => (Some(user.clone()), user.name.clone(), None),
            Sender::Tool(key) => (None, format!("api:{key}"), Some(format!("Koppeling {key}"))),
        };
        let chat = self.clone();
        let message = self
            .store
            .call(move |c| {
                let hold = template.as_ref().zip(notice.as_deref()).map(|reopen| Hold {
                    since,
                    reopen: Some(reopen),
                });
                let answered = answered(c, id, article_id.as_deref(), via)?;
                let reply = Reply {
                    text: &text,
                    article_id: article_id.as_deref(),
                    usage,
                    delivery,
                    hold,
                    author_label: author_label.as_deref(),
                    answered,
                };
                let message =
                    conv::send_reply(c, id, agent.as_ref(), &reply).map_err(ChatError::from);
                if message.is_ok()
                    && let Some(user) = &agent
                {
                    let learned =
                        chat.learn_from_reply(c, &user.name, article_id.as_deref(), &answered)?;
                    if let Some(proposal) = learned {
                        tracing::info!(conversation = id, proposal, "question learned from a reply");
                    }
                }
                if let Ok(m) = &message {
                    let held = if m.held_since.is_some() { ", held" } else { "" };
                    let detail = format!("message {} ({}){held}", m.id, usage.as_str());
                    audit::record(c, &actor, "message.send", Some(id), &detail)?;
                }
                Ok(message)
            })
            .await??;
        self.announce_outgoing(&message, delivery);
        self.publish_change(id, "assignment");
        Ok(message)
    }

    /// After an outgoing message is stored: wakes the outbox for it, says when it is held for
    /// the window, and publishes it.
    pub(super) fn announce_outgoing(&self, message: &Message, delivery: Delivery) {
        if delivery == Delivery::Queued {
            self.outbox.notify_one();
        }
        if message.held_since.is_some() {
            tracing::info!(
                conversation = message.conversation_id,
                message_id = message.id,
                "message held for the window"
            );
            self.publish_change(message.conversation_id, "delivery");
        }
        self.publish_message(message);
    }

    /// WhatsApp allows free-form replies only within 24 hours of the resident's last message,
    /// by Meta's clock. Other channels have no window.
    pub fn window_open(&self, conversation: &Conversation) -> bool {
        if conversation.channel != WHATSAPP {
            return true;
        }
        conversation
            .last_inbound_at
            .is_some_and(|at| within_window(at, (self.clock)()))
    }

    /// The re-engagement template for a conversation whose window closed, or why none may go
    /// out. This is the one place that decides whether a template may be sent to a resident.
    pub async fn reopen_template(
        &self,
        conversation: &Conversation,
    ) -> Result<Template, ChatError> {
        let (name, language) = self
            .config
            .whatsapp
            .reopen()
            .ok_or(ChatError::WindowClosed)?;
        // A resident who stopped template messages from us (WhatsApp's marketing preferences)
        // gets none: their answer waits until they write again.
        let wa_id = conversation.resident_ref.clone();
        let opted_out = self
            .store
            .call(move |c| marketing::marketing_opted_out(c, &wa_id))
            .await?;
        if opted_out {
            return Err(ChatError::OptedOut);
        }
        let asked = conversation
            .last_inbound_at
            .unwrap_or(conversation.created_at);
        Ok(Template {
            name: name.to_string(),
            language: language.to_string(),
            parameters: vec![describe_date(asked)],
        })
    }

    /// Gives up answers held longer than [`held::HELD_DAYS`] by this chat's clock: they are
    /// marked not delivered. Run periodically by the server; returns how many conversations
    /// changed.
    pub async fn expire_held_answers(&self) -> Result<usize, StoreError> {
        let now = (self.clock)();
        let changed = self.store.call(move |c| held::expire(c, now)).await?;
        for &id in &changed {
            tracing::info!(
                conversation = id,
                "held answers not delivered: no reaction in time"
            );
            self.publish_change(id, "delivery");
        }
        Ok(changed.len())
    }

    /// Runs [`Chat::expire_held_answers`] every [`HELD_SWEEP_EVERY`] until `shutdown` flips to
    /// true.
    pub async fn sweep_held_answers(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        loop {
            if let Err(err) = self.expire_held_answers().await {
                tracing::error!(error = %err, "held answers: the sweep failed; retrying later");
            }
            tokio::select! {
                () = tokio::time::sleep(HELD_SWEEP_EVERY) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
    }

    /// Whether a resident message arrived with its window already closed (Meta redelivers for
    /// days). Such a message gets no free-form automatic text: it could not be delivered.
    pub(super) fn arrived_late(&self, incoming: &Incoming) -> bool {
        incoming.channel == WHATSAPP
            && incoming
                .sent_at
                .is_some_and(|at| !within_window(at, (self.clock)()))
    }

    /// The response to a late message: nothing sent, and a reply owed since the resident sent
    /// it by Meta's clock, due the response time after that. No promise reached the resident
    /// (no away text went out), so the deadline is the one they would have had: usually
    /// overdue already, which puts the conversation first among the promised ones.
    pub(super) fn late_response(&self, sent_at: Option<DateTime<Utc>>) -> BotResponse {
        let now = (self.clock)();
        let sent = sent_at.map_or(now, |sent| sent.min(now));
        let hours = i64::from(self.config.response_hours);
        BotResponse {
            owed_since: Some(sent),
            reply_by: Some(sent + TimeDelta::hours(hours)),
            ..BotResponse::default()
        }
    }
}

fn within_window(last_inbound: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_inbound < TimeDelta::hours(WHATSAPP_WINDOW_HOURS)
}

/// What a reply about to be sent answers: the resident message whose suggestions the agent
/// saw (see [`asked`]), the article's rank among them, and where it came from.
fn answered(
    conn: &rusqlite::Connection,
    conversation_id: i64,
    article_id: Option<&str>,
    via: Option<Via>,
) -> Result<Answered, StoreError> {
    let thread = conv::messages(conn, conversation_id, 0, false)?;
    let message_id = asked(&thread).map(|m| m.id);
    let rank = match (message_id, article_id) {
        (Some(message), Some(article)) => usage::rank_of(conn, message, article)?,
        _ => None,
    };
    let via = article_id.map(|_| {
        via.unwrap_or(if rank.is_some() {
            Via::Suggestion
        } else {
            Via::Search
        })
    });
    Ok(Answered {
        message_id,
        rank,
        via,
    })
}

/// What agents read in the thread for the template message.
fn template_notice(template: &Template) -> String {
    format!(
        "WhatsApp-sjabloon ‘{}’ verstuurd: de inwoner wordt gevraagd te reageren op het \
         antwoord op de vraag van {}. Het antwoord volgt zodra de inwoner een bericht stuurt.",
        template.name,
        template.parameters.join(", ")
    )
}

/// Whether an agent sent the article's answer as it stands (whitespace aside).
fn same_text(answer: &str, sent: &str) -> bool {
    answer.split_whitespace().eq(sent.split_whitespace())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_question_date_is_the_dutch_day_in_amsterdam() {
        let friday_evening = Utc
            .with_ymd_and_hms(2026, 11, 27, 17, 2, 0)
            .single()
            .expect("a valid time");
        assert_eq!(describe_date(friday_evening), "vrijdag 27 november");
        // 23:30 UTC is already Saturday in Amsterdam.
        let late = Utc
            .with_ymd_and_hms(2026, 11, 27, 23, 30, 0)
            .single()
            .expect("a valid time");
        assert_eq!(describe_date(late), "zaterdag 28 november");
    }

    #[test]
    fn the_window_is_24_hours_from_the_resident_s_time() {
        let sent = Utc
            .with_ymd_and_hms(2026, 11, 27, 17, 2, 0)
            .single()
            .expect("a valid time");
        assert!(within_window(sent, sent + TimeDelta::hours(23)));
        assert!(!within_window(sent, sent + TimeDelta::hours(24)));
    }
}
