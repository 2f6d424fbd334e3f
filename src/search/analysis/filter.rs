//! One token filter for all per-word steps of the Dutch analysis.
//!
//! Each step maps a word to zero (stop word), one (stem) or more words (a compound and its
//! parts). Every output token keeps the input's position, so a compound and its parts count
//! as the same word of the message.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::lexicon::Lexicon;

/// A per-word step of the analysis.
pub trait WordStep: Clone + Send + Sync + 'static {
    /// Pushes the words `word` becomes onto `out`.
    fn apply(&self, word: &str, out: &mut Vec<String>);
}

/// Adapts a [`WordStep`] to tantivy's filter chain.
#[derive(Clone)]
pub struct StepFilter<S>(pub S);

impl<S: WordStep> TokenFilter for StepFilter<S> {
    type Tokenizer<T: Tokenizer> = StepTokenizer<S, T>;

    fn transform<T: Tokenizer>(self, inner: T) -> Self::Tokenizer<T> {
        StepTokenizer {
            step: self.0,
            inner,
        }
    }
}

#[derive(Clone)]
pub struct StepTokenizer<S, T> {
    step: S,
    inner: T,
}

impl<S: WordStep, T: Tokenizer> Tokenizer for StepTokenizer<S, T> {
    type TokenStream<'a> = StepStream<'a, S, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StepStream {
            step: &self.step,
            inner: self.inner.token_stream(text),
            pending: Vec::new(),
            current: Token::default(),
        }
    }
}

pub struct StepStream<'a, S, T> {
    step: &'a S,
    inner: T,
    /// Outputs of the current input word not yet emitted, in reverse order.
    pending: Vec<String>,
    current: Token,
}

impl<S: WordStep, T: TokenStream> TokenStream for StepStream<'_, S, T> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some(text) = self.pending.pop() {
                self.current.text = text;
                return true;
            }
            if !self.inner.advance() {
                return false;
            }
            let token = self.inner.token();
            self.step.apply(&token.text, &mut self.pending);
            self.pending.reverse();
            self.current = Token {
                text: String::new(),
                ..token.clone()
            };
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

/// Keeps a compound and adds its parts.
#[derive(Clone)]
pub struct Decompound(pub Arc<Lexicon>);

impl WordStep for Decompound {
    fn apply(&self, word: &str, out: &mut Vec<String>) {
        out.push(word.to_string());
        out.extend(self.0.split(word));
    }
}

/// Dutch Snowball stemming (rust-stemmers) with the lexicon's overrides and rules.
#[derive(Clone)]
pub struct DutchStem(pub Arc<Lexicon>);

impl WordStep for DutchStem {
    fn apply(&self, word: &str, out: &mut Vec<String>) {
        out.push(self.0.stem(word));
    }
}
