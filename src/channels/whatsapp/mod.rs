//! The WhatsApp Business Cloud API channel.
//!
//! ```text
//! payload/      the webhook's JSON: messages, contacts, statuses; the send request
//! signature.rs  X-Hub-Signature-256 and the verify token, compared in constant time
//! format/       article Markdown to WhatsApp's formatting: lines, emphasis, links
//! client.rs     the Graph API: sending a text, fetching a resident's media
//! media/        downloading residents' photos and files: worker, files on disk, types
//! simulate.rs   webhook bodies as Meta sends them, for demos and tests
//! ```

pub mod client;
pub mod format;
pub mod media;
pub mod payload;
pub mod signature;
pub mod simulate;
