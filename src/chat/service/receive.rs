//! A resident message arrives: cleaned, screened for personal data, stored with its
//! suggestions in one transaction, then published and answered by the bot.

use super::*;

impl Chat {
    /// Stores a resident message with the suggestions for it and tells every dashboard.
    /// Returns only after the commit: the channel may acknowledge the message then.
    pub async fn receive(
        &self,
        channel: &str,
        resident_ref: &str,
        text: &str,
    ) -> Result<(Conversation, Message), ChatError> {
        match self
            .receive_incoming(Incoming::text(channel, resident_ref, text))
            .await?
        {
            Received::New {
                conversation,
                message,
            } => Ok((conversation, message)),
            // Only messages with a channel id can be duplicates.
            Received::Duplicate => Err(ChatError::NotFound),
        }
    }

    /// [`Chat::receive`] for channels that say more than the text: their own message id (a
    /// second delivery is ignored), the resident's name, media.
    ///
    /// Personal data is masked before anything is stored (see [`privacy`]); when some was
    /// found, the privacy article is the first suggestion. After the commit the bot may answer.
    pub async fn receive_incoming(&self, incoming: Incoming) -> Result<Received, ChatError> {
        let text = self.resident_text(&incoming.channel, &incoming.text)?;
        let privacy::ScreenedMessage {
            text: screened,
            resident_name,
        } = privacy::screen_message(
            &text,
            incoming.resident_name.as_deref(),
            &self.config.privacy,
        );
        let found: Vec<Kind> = screened.findings.iter().map(|(kind, _)| *kind).collect();
        let suggestions = self.suggestions_for(&screened.text, !found.is_empty());
        let shown: Vec<(String, f32)> = suggestions
            .suggestions
            .iter()
            .map(|s| (s.id.clone(), s.confidence))
            .collect();
        let text = screened.text;
        let late = self.arrived_late(&incoming);
        if late {
            tracing::info!("whatsapp: message arrived after its window closed; no automatic text");
        }
        // WhatsApp residents get the welcome and privacy notice first; the web chat shows
        // both above the conversation.
        let welcome = (incoming.channel == WHATSAPP && !late).then(|| {
            let texts = &self.config.texts;
            (
                for_channel(&format!("{}\n\n{}", texts.welcome, texts.privacy), WHATSAPP),
                delivery_on(WHATSAPP),
            )
        });
        let file_name = (incoming.file_name.as_deref())
            .map(|name| privacy::screen(name, &self.config.privacy).text);
        let chat = self.clone();
        let recorded = self
            .store
            .call(move |c| {
                let mut kinds: Vec<&str> = found.iter().map(|k| k.label()).collect();
                kinds.dedup();
                inbound::record_inbound(
                    c,
                    &Inbound {
                        channel: &incoming.channel,
                        resident_ref: &incoming.resident_ref,
                        text: &text,
                        suggestions: &shown,
                        channel_message_id: incoming.channel_message_id.as_deref(),
                        resident_name: resident_name.as_ref().map(|name| name.text.as_str()),
                        media: incoming
                            .media
                            .as_ref()
                            .map(|(kind, id)| (kind.as_str(), id.as_str())),
                        file_name: file_name.as_deref(),
                        privacy: &kinds,
                        reply_to: incoming.reply_to.as_deref(),
                        details: &incoming.details,
                        welcome: welcome.as_ref().map(|(text, d)| (text.as_str(), *d)),
                        sent_at: incoming.sent_at,
                        reopens_window: !late,
                    },
                    |conversation, message| {
                        if late {
                            chat.late_response(incoming.sent_at)
                        } else {
                            chat.plan_response(conversation, message, &suggestions)
                        }
                    },
                )
            })
            .await?;
        let Recorded::New {
            conversation,
            message,
            automatic,
            released,
        } = recorded
        else {
            return Ok(Received::Duplicate);
        };
        self.publish_message(&message);
        if !released.is_empty() {
            tracing::info!(
                conversation = conversation.id,
                released = released.len(),
                "held answers released: the resident reopened the window"
            );
            self.publish_change(conversation.id, "delivery");
        }
        if message.media_id.as_deref().is_some_and(|id| !id.is_empty()) {
            self.media.notify_one();
        }
        if automatic
            .iter()
            .chain(&released)
            .any(|m| m.delivery == Delivery::Queued)
        {
            self.outbox.notify_one();
        }
        for automatic in &automatic {
            self.publish_message(automatic);
        }
        if !automatic.is_empty() {
            // Status, priority or feedback may have changed with the bot's response.
            self.publish_change(conversation.id, "bot");
        }
        Ok(Received::New {
            conversation,
            message,
        })
    }

    /// A resident's text, trimmed and checked like [`Chat::clean_text`]. WhatsApp limits
    /// messages itself (4096 characters) and cannot be told "too long"; a longer one is
    /// stored cut, and marked.
    pub(super) fn resident_text(&self, channel: &str, text: &str) -> Result<String, ChatError> {
        match self.clean_text(text) {
            Err(ChatError::TooLong { .. }) if channel == WHATSAPP => {
                let text = text.trim();
                tracing::warn!(chars = text.chars().count(), "long WhatsApp message cut");
                Ok(cut_long(text))
            }
            other => other,
        }
    }

    /// Suggestions for a (masked) resident message; with personal data in it, the privacy
    /// article comes first.
    pub fn suggestions_for(&self, text: &str, personal_data: bool) -> Suggestions {
        let mut suggestions = self.suggest(text, SUGGESTIONS_SHOWN);
        if personal_data {
            let privacy_id = self.config.bot.privacy_article.as_str();
            let snapshot = self.engine.snapshot();
            if let Some(article) = snapshot.ruled_suggestion(privacy_id, "persoonsgegevens") {
                suggestions.suggestions.retain(|s| s.id != privacy_id);
                suggestions.suggestions.insert(0, article);
                suggestions.suggestions.truncate(SUGGESTIONS_SHOWN);
                // The privacy answer is what the message needs, whatever else it asks.
                suggestions.confident = false;
            }
        }
        suggestions
    }

    /// Fresh suggestions for what the resident last asked (see [`asked`]).
    pub fn suggestions_for_thread(&self, messages: &[Message]) -> Option<Suggestions> {
        asked(messages).map(|m| self.suggestions_for(&m.text, !m.privacy.is_empty()))
    }
}
