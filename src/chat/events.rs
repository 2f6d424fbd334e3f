//! The live event hub: every change to a conversation is published here after it is
//! committed, and each open dashboard or resident chat turns the events into server-sent
//! events. Events carry ids only, never message text: a subscriber reads what it may see
//! from the store, with its own rights.

use serde::Serialize;
use tokio::sync::broadcast;

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A message was added (resident, agent, system or note).
    Message {
        conversation_id: i64,
        message_id: i64,
        /// Residents' streams skip internal notes.
        direction: crate::chat::Direction,
    },
    /// Assignment, status, labels or department changed.
    Conversation {
        conversation_id: i64,
        change: &'static str,
    },
}

impl Event {
    pub fn conversation_id(&self) -> i64 {
        match self {
            Event::Message {
                conversation_id, ..
            }
            | Event::Conversation {
                conversation_id, ..
            } => *conversation_id,
        }
    }
}

/// Fan-out of [`Event`]s to every subscriber. A subscriber that falls more than
/// [`Hub::CAPACITY`] events behind is told it lagged and reloads its view.
#[derive(Clone)]
pub struct Hub {
    sender: broadcast::Sender<Event>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            sender: broadcast::channel(Hub::CAPACITY).0,
        }
    }
}

impl Hub {
    pub const CAPACITY: usize = 1024;

    pub fn publish(&self, event: Event) {
        // No subscribers is fine: nobody has a dashboard open.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }
}
