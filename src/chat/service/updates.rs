//! A resident changes an earlier message: reacts to it, edits it, or deletes it for everyone.
//! Nothing is added to the conversation and the bot stays silent (no welcome, away text or
//! answer); an edited text is screened for personal data like any resident text. Dashboards
//! showing the conversation refresh.

use super::*;
use crate::store::updates::{self, Applied, Change, Update};

/// The longest reaction stored, in characters: an emoji with skin tone and joiners fits
/// easily; anything longer is not a reaction.
pub const MAX_REACTION_CHARS: usize = 16;

/// What a resident did to an earlier message, as the channel reports it.
#[derive(Debug, Clone)]
pub enum ResidentChange {
    /// Reacted with this emoji, or (`None`) took the reaction back.
    Reaction(Option<String>),
    /// Replaced the message's text.
    Edit(String),
    /// Deleted the message for everyone.
    Revoke,
}

impl Chat {
    /// Applies a resident's change to the message `update.target` in their own conversation.
    /// Returns after the commit; [`Applied::UnknownTarget`] when there is no such message.
    pub async fn change_message(
        &self,
        update: Update,
        change: ResidentChange,
    ) -> Result<Applied, ChatError> {
        let (change, what) = match change {
            ResidentChange::Reaction(emoji) => {
                if emoji
                    .as_ref()
                    .is_some_and(|e| e.chars().count() > MAX_REACTION_CHARS)
                {
                    return Err(ChatError::TooLong {
                        max: MAX_REACTION_CHARS,
                    });
                }
                (Change::Reaction(emoji), "reaction")
            }
            ResidentChange::Edit(text) => {
                let text = self.resident_text(&update.channel, &text)?;
                let screened = privacy::screen(&text, &self.config.privacy);
                let mut kinds: Vec<String> = screened
                    .findings
                    .iter()
                    .map(|(kind, _)| kind.label().to_string())
                    .collect();
                kinds.dedup();
                let change = Change::Edit {
                    text: screened.text,
                    privacy: kinds,
                };
                (change, "edit")
            }
            ResidentChange::Revoke => (Change::Revoke, "revoke"),
        };
        let applied = self
            .store
            .call(move |c| updates::apply(c, &update, &change))
            .await?;
        if let Applied::Changed { conversation_id } = applied {
            self.publish_change(conversation_id, what);
        }
        Ok(applied)
    }
}
