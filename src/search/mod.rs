//! Finding the right article for a resident's message.
pub mod analysis;
