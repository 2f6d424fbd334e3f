//! Channels residents write on besides the website chat (which lives in `web::chat`).
//!
//! ```text
//! whatsapp/   WhatsApp Business Cloud API: webhook payloads, signatures, formatting, sending
//! outbox.rs   the worker that delivers queued replies, in order, with backoff
//! queue.rs    the loop of a worker that drains a queue kept in the store
//! ```

pub mod outbox;
pub mod queue;
pub mod whatsapp;
