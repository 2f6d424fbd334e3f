//! The knowledge base: articles written by content editors as Markdown files with TOML front
//! matter, plus the municipality's synonym list.
//!
//! Layout on disk:
//!
//! ```text
//! kb/
//!   synonyms.txt              Solr-style synonym groups (optional)
//!   <category>/<id>.md        one article; the first tag must be <category>
//! ```
//!
//! Loading never stops at the first mistake: every problem is collected with its path and
//! line, so an editor can fix a whole batch in one go (`vraagbaak kb check`). Saving from the
//! dashboard ([`write`]) applies the same rules before anything is written.

mod article;
pub mod form;
mod load;
mod parse;
mod problem;
pub mod readability;
mod synonyms;
pub mod synthetic;
pub mod write;

pub use article::{Article, Link};
pub(crate) use load::SYNONYMS_FILE;
pub use load::{ContentHash, KnowledgeBase, load, load_with_problems};
pub use parse::{MAX_BODY_WORDS, MIN_QUESTIONS, body_words, parse_article};
pub use problem::{KbError, Problem};
pub use synonyms::{SynonymRule, Synonyms};
