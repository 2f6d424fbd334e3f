//! Word-level memoisation of the analysis chain.
//!
//! After tokenizing, every step of the chain works on one word at a time, so the terms of a
//! word never depend on its neighbours. [`MemoTokenizer`] runs the word chain once per
//! distinct word of the knowledge base and afterwards only looks words up: indexing 10,000
//! articles then costs a hash lookup per word instead of five filters. Words it has not seen
//! (most of a resident's message is seen) go through the same chain, so the result is
//! identical either way.

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use tantivy::tokenizer::{TextAnalyzer, Token, Tokenizer};

use super::tokenizer::{VecTokenStream, tokenize};

/// Tokenizes, then maps each word through the memoised word chain.
#[derive(Clone)]
pub struct MemoTokenizer {
    chain: TextAnalyzer,
    memo: Arc<HashMap<String, Box<[String]>>>,
}

impl MemoTokenizer {
    /// Analyses `known_words` (raw words, as the tokenizer emits them) up front.
    pub fn new<'a>(
        mut chain: TextAnalyzer,
        known_words: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let memo = known_words
            .into_iter()
            .map(|word| (word.to_string(), run(&mut chain, word).into_boxed_slice()))
            .collect();
        MemoTokenizer {
            chain,
            memo: Arc::new(memo),
        }
    }
}

fn run(chain: &mut TextAnalyzer, word: &str) -> Vec<String> {
    let mut terms = Vec::new();
    let mut stream = chain.token_stream(word);
    while let Some(token) = stream.next() {
        terms.push(token.text.clone());
    }
    terms
}

impl Tokenizer for MemoTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for word in tokenize(text) {
            let computed;
            let terms: &[String] = match self.memo.get(&word.text) {
                Some(terms) => terms,
                None => {
                    computed = run(&mut self.chain, &word.text);
                    &computed
                }
            };
            for term in terms {
                tokens.push(Token {
                    text: term.clone(),
                    offset_from: word.offset_from,
                    offset_to: word.offset_to,
                    position: word.position,
                    position_length: word.position_length,
                });
            }
        }
        VecTokenStream::new(tokens)
    }
}
