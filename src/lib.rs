//! vraagbaak helps Dutch municipalities answer residents: it suggests canned answers from the
//! municipality's knowledge base (kennisbank) for every incoming message.
//!
//! # Layout
//!
//! ```text
//! kb        articles and synonyms as editors write them: parsing, validation
//! search    Dutch analysis, tantivy index, suggestions with confidence, the Engine
//! eval      quality measurement on labelled messages
//! config    typed settings from vraagbaak.toml and VRAAGBAAK_* variables
//! store     SQLite: conversations, messages, users, sessions, API keys, audit log
//! archive   the Archiefwet archive: MDTO export, retention and purge, the Woo export
//! chat      conversations: state, live events, the service every channel goes through,
//!           office hours and holidays, bot policy, privacy guard
//! channels  WhatsApp Business Cloud API (webhook in, outbox out)
//! web       HTTP: the agents' dashboard, the resident chat, the JSON API, the webhook
//! server    `vraagbaak serve`: opens everything, watches the knowledge base, runs until shutdown
//! ```
//!
//! The binary (`src/main.rs` and the commands in `src/cli/`) only wires these together.

pub mod archive;
pub mod channels;
pub mod chat;
pub mod config;
pub mod eval;
pub mod kb;
pub mod search;
pub mod server;
pub mod store;
pub mod task;
pub mod web;
