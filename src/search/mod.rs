//! Finding the right article for a resident's message.
//!
//! - [`analysis`]: the Dutch analysis chain (tokenizer, stop words, decompounder, stemmer);
//! - [`index`]: building the tantivy index of one knowledge-base version;
//! - [`dictionary`]: real Dutch words (Hunspell), so a real word is not taken for a typo;
//! - [`query`]: turning a message into weighted terms (synonyms, typo corrections);
//! - `words_query`: scoring those terms as one flat tantivy query;
//! - [`suggest`]: ranking and the evidence behind a confidence;
//! - [`features`]: what a message asks and whether an article answers it;
//! - [`confidence`]: the fitted model that turns evidence into a confidence;
//! - [`engine`]: the long-lived [`Engine`] with atomic reloads;
//! - [`gaps`]: unanswered resident messages grouped by meaning, for the gap report.

pub mod analysis;
pub mod closing;
mod collect;
pub mod confidence;
pub mod dictionary;
pub mod engine;
pub mod examples;
pub mod features;
pub mod gaps;
pub mod index;
pub mod links;
pub mod names;
pub mod places;
pub mod query;
pub mod suggest;
pub mod synonyms;
pub mod times;
pub mod typos;
mod words_query;

pub use engine::{Engine, ReloadReport, Settings, Snapshot, date_in_netherlands, today};
pub use suggest::{
    AskedElsewhere, Evidence, NOT_ANSWERED_CEILING, SuggestedLink, Suggestion, Suggestions,
};

use crate::kb::KbError;

/// How matching articles are scored and collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// Score every matching article, keeping the best in a small buffer.
    Exhaustive,
    /// tantivy's `TopDocs` with block-WAND pruning: the default. Measured in
    /// `benches/suggest.rs`, it ties with exhaustive scoring on the sample KB and is about
    /// 1.35× faster on 10,000 articles.
    BlockWand,
}

/// Which parts of the retrieval pipeline are switched on. The evaluation compares
/// [`Pipeline::BASELINE`] with [`Pipeline::FULL`] and the steps in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pipeline {
    /// The Dutch analysis chain instead of tantivy's default tokenizer.
    pub dutch: bool,
    pub decompound: bool,
    pub synonyms: bool,
    pub fuzzy: bool,
    /// Each word also scores against the whole article as one text (a plain BM25), next to
    /// its best part.
    pub whole: bool,
    pub scoring: Scoring,
}

impl Pipeline {
    pub const FULL: Pipeline = Pipeline {
        dutch: true,
        decompound: true,
        synonyms: true,
        fuzzy: true,
        whole: true,
        scoring: Scoring::BlockWand,
    };
    /// tantivy's default tokenizer over the same articles: no Dutch analysis, synonyms or typos.
    pub const BASELINE: Pipeline = Pipeline {
        dutch: false,
        decompound: false,
        synonyms: false,
        fuzzy: false,
        whole: false,
        scoring: Scoring::BlockWand,
    };
}

/// Why the engine could not build or search an index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error(transparent)]
    Kb(#[from] KbError),
    #[error("building the search index failed: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// Every problem as one line each (`path:line: message`), for editors.
    pub fn problems(self) -> Vec<String> {
        match self {
            SearchError::Kb(KbError::Invalid(problems)) => {
                problems.iter().map(ToString::to_string).collect()
            }
            other => vec![other.to_string()],
        }
    }
}
