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

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::tokenizer::for_each_word;

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
    type TokenStream<'a> = MemoStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MemoStream<'a> {
        let MemoTokenizer { chain, memo } = self;
        let memo: &'a HashMap<String, Box<[String]>> = memo;
        let mut terms = Vec::new();
        let mut computed = Vec::new();
        for_each_word(text, |word, offset_from, offset_to, position| {
            let at = |text| Term {
                text,
                offset_from,
                offset_to,
                position,
            };
            match memo.get(word) {
                Some(known) => terms.extend(known.iter().map(|t| at(TermText::Known(t)))),
                None => {
                    for term in run(chain, word) {
                        terms.push(at(TermText::Computed(computed.len())));
                        computed.push(term);
                    }
                }
            }
        });
        MemoStream {
            terms,
            computed,
            next: 0,
            token: Token::default(),
        }
    }
}

/// Where a term's text is: in the memo, or computed for this text alone.
enum TermText<'a> {
    Known(&'a str),
    Computed(usize),
}

/// One output term and the word it came from.
struct Term<'a> {
    text: TermText<'a>,
    offset_from: usize,
    offset_to: usize,
    position: usize,
}

/// The terms of one text, emitted through a single reused [`Token`]: tantivy copies each
/// token's text into its own buffer, so no term needs a `String` of its own.
pub struct MemoStream<'a> {
    terms: Vec<Term<'a>>,
    /// The terms of words the memo lacks.
    computed: Vec<String>,
    next: usize,
    token: Token,
}

impl TokenStream for MemoStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(term) = self.terms.get(self.next) else {
            return false;
        };
        self.next += 1;
        let text = match term.text {
            TermText::Known(text) => text,
            TermText::Computed(at) => &self.computed[at],
        };
        self.token.text.clear();
        self.token.text.push_str(text);
        self.token.offset_from = term.offset_from;
        self.token.offset_to = term.offset_to;
        self.token.position = term.position;
        self.token.position_length = 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}
