//! Reactions, edits and revokes in a webhook delivery, applied to the messages they name.
//! An update whose message we do not know (sent before vraagbaak, or never stored) is
//! acknowledged and ignored, with one log line of ids: Meta would otherwise retry it for days.

use super::Tally;
use crate::channels::whatsapp::payload::{Event, MessageUpdate};
use crate::chat::ChatError;
use crate::chat::service::{ResidentChange, WHATSAPP};
use crate::store::updates::{Applied, Update};
use crate::web::AppState;
use crate::web::error::ApiError;

/// Applies a reaction, edit or revoke (any other event is left to the caller).
pub(super) async fn apply(
    state: &AppState,
    event: Event,
    tally: &mut Tally,
) -> Result<(), ApiError> {
    let (update, change) = match event {
        Event::Reaction { update, emoji } => (update, Some(ResidentChange::Reaction(emoji))),
        Event::Edit { update, content } => (
            update,
            content.map(|content| ResidentChange::Edit(content.summary())),
        ),
        Event::Revoke(update) => (update, Some(ResidentChange::Revoke)),
        _ => return Ok(()),
    };
    let MessageUpdate {
        wamid,
        from,
        timestamp,
        target,
        ..
    } = update;
    let (Some(target), Some(change)) = (target, change) else {
        tracing::info!(%wamid, "whatsapp: update without a message or readable content ignored");
        tally.ignored += 1;
        return Ok(());
    };
    let update = Update {
        channel: WHATSAPP.to_string(),
        resident_ref: from,
        target,
        channel_message_id: wamid,
        at: timestamp,
    };
    let (wamid, target) = (update.channel_message_id.clone(), update.target.clone());
    match state.chat.change_message(update, change).await {
        Ok(Applied::Changed { .. }) => tally.updates += 1,
        Ok(Applied::Unchanged) => tally.duplicates += 1,
        Ok(Applied::UnknownTarget) => {
            tracing::info!(%wamid, %target, "whatsapp: update for an unknown message ignored");
            tally.ignored += 1;
        }
        // An empty edit or an over-long reaction cannot be stored; acknowledged all the same.
        Err(ChatError::Empty | ChatError::TooLong { .. }) => {
            tracing::info!(%wamid, "whatsapp: unusable update ignored");
            tally.ignored += 1;
        }
        Err(err) => return Err(err.into()),
    }
    Ok(())
}
