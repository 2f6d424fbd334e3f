//! What a channel reports besides resident messages: system messages about a resident (noted
//! for agents; a number change moves the conversation), messages the municipality sent from
//! another app on the same number (echoes), and marketing preferences. None of them is a
//! resident message: no welcome, no bot, nothing owed.

use chrono::{DateTime, Utc};

use super::*;
use crate::store::echoes::{self, Echo};
use crate::store::marketing;
use crate::store::numbers::{self, Noted, SystemNote};

impl Chat {
    /// Notes a system message in the resident's conversation (see
    /// [`numbers::record_system_note`]) and tells every dashboard.
    pub async fn note_system(&self, note: SystemNote) -> Result<Noted, ChatError> {
        let noted = self
            .store
            .call(move |c| numbers::record_system_note(c, &note))
            .await?;
        match &noted {
            Noted::New { note, moved } => {
                tracing::info!(
                    conversation_id = note.conversation_id,
                    moved,
                    "system message noted"
                );
                self.publish_message(note);
            }
            Noted::NoConversation => {
                tracing::info!("system message for a resident without a conversation ignored");
            }
            Noted::Duplicate => {}
        }
        Ok(noted)
    }

    /// Records a message sent outside vraagbaak; `None` when it was recorded before.
    pub async fn record_echo(&self, echo: Echo) -> Result<Option<Message>, ChatError> {
        let recorded = self
            .store
            .call(move |c| echoes::record_echo(c, &echo))
            .await?;
        if let Some(message) = &recorded {
            self.publish_message(message);
        }
        Ok(recorded)
    }

    /// Records a resident's marketing stop, resume or signup at WhatsApp's time.
    pub async fn record_marketing_preference(
        &self,
        wa_id: String,
        value: String,
        at: DateTime<Utc>,
    ) -> Result<(), ChatError> {
        self.store
            .call(move |c| marketing::record_preference(c, &wa_id, &value, at))
            .await?;
        Ok(())
    }
}
