//! Dutch text analysis for resident messages and articles.
//!
//! The chain, applied alike to articles at index time and to messages at query time:
//!
//! 1. [`WordTokenizer`]: words, `auto's` → `auto`, `id-kaart` → `idkaart` `id` `kaart`;
//!    numbers dropped.
//! 2. lowercase and ASCII folding (`geïnteresseerd`, `café`);
//! 3. stop words (Dutch, chat and English function words, but not `niet`/`geen`);
//! 4. decompounding against the knowledge base's vocabulary, keeping the original word;
//! 5. rust-stemmers' Dutch Snowball stemmer, with overrides and rules for diminutives,
//!    vowel `-s` plurals and participles.
//!
//! [`Analysis::Plain`] is tantivy's default tokenizer, the baseline the evaluation compares
//! against.

mod filter;
mod lexicon;
mod memo;
mod tokenizer;

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    StopWordFilter, TextAnalyzer, TextAnalyzerBuilder, Tokenizer,
};

pub use filter::{Decompound, DutchStem, StepFilter, WordStep};
pub use lexicon::{LINKS, Lexicon};
pub use memo::MemoTokenizer;
pub use tokenizer::{WordTokenizer, for_each_word, tokenize};

const STOP_WORDS: &str = include_str!("stopwords.txt");
const MAX_WORD_BYTES: usize = 60;

/// The Dutch and English stop words, as analysed (lowercase, folded).
pub static STOP_LIST: LazyLock<BTreeSet<&'static str>> = LazyLock::new(|| {
    STOP_WORDS
        .lines()
        .filter(|line| !line.starts_with('#'))
        .flat_map(str::split_whitespace)
        .collect()
});

/// Which analysis chain to build.
#[derive(Clone)]
pub enum Analysis {
    /// tantivy's default: simple tokenizer and lowercasing. The evaluation baseline.
    Plain,
    /// The Dutch chain; `decompound` switches step 4 for ablation measurements.
    Dutch {
        lexicon: Arc<Lexicon>,
        decompound: bool,
    },
}

impl Analysis {
    /// The tantivy analyzer for this chain. For the Dutch chain, `known_words` (the raw words
    /// of the knowledge base) are analysed once up front, so indexing is a lookup per word.
    pub fn text_analyzer<'a>(
        &self,
        known_words: impl IntoIterator<Item = &'a str>,
    ) -> TextAnalyzer {
        match self {
            Analysis::Plain => TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(40))
                .filter(LowerCaser)
                .build(),
            Analysis::Dutch {
                lexicon,
                decompound,
            } => {
                let chain = word_chain(lexicon, *decompound);
                TextAnalyzer::builder(MemoTokenizer::new(chain, known_words)).build()
            }
        }
    }
}

/// Steps 2-5 for a single word: the chain [`MemoTokenizer`] applies after step 1.
fn word_chain(lexicon: &Arc<Lexicon>, decompound: bool) -> TextAnalyzer {
    let builder = normalise(RawTokenizer::default()).dynamic();
    let builder = if decompound {
        builder.filter_dynamic(StepFilter(Decompound(lexicon.clone())))
    } else {
        builder
    };
    builder
        .filter_dynamic(StepFilter(DutchStem(lexicon.clone())))
        .build()
}

/// Steps 1-3: the words as a resident wrote them, normalised but not stemmed. Used for the
/// lexicon and for typo correction.
pub fn surface_analyzer() -> TextAnalyzer {
    normalise(WordTokenizer).build()
}

/// Steps 2-3 on a single word.
pub fn surface_word_analyzer() -> TextAnalyzer {
    normalise(RawTokenizer::default()).build()
}

fn normalise<T: Tokenizer>(tokenizer: T) -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(tokenizer)
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_LIST.iter().map(|w| w.to_string()),
        ))
}

/// Runs `analyzer` over `text`: each output term with its word position.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        words.push((token.position, token.text.clone()));
    }
    words
}

#[cfg(test)]
mod tests;
