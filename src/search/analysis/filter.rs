//! One token filter for all per-word steps of the Dutch analysis.
//!
//! Each step rewrites a word in place (a stem) and may add more words (the parts of a
//! compound). Every output token keeps the input's position, so a compound and its parts
//! count as the same word of the message. Words are rewritten in their own buffer: indexing
//! 10,000 articles runs this millions of times.

use std::sync::Arc;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::lexicon::Lexicon;

/// A per-word step of the analysis.
pub trait WordStep: Clone + Send + Sync + 'static {
    /// Rewrites `word` in place and pushes any further words it becomes onto `more`.
    fn apply(&self, word: &mut String, more: &mut Vec<String>);
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
            more: Vec::new(),
            extra: None,
        }
    }
}

pub struct StepStream<'a, S, T> {
    step: &'a S,
    inner: T,
    /// Further words of the current input word not yet emitted, in reverse order.
    more: Vec<String>,
    /// The token being emitted when it is one of `more`.
    extra: Option<Token>,
}

impl<S: WordStep, T: TokenStream> TokenStream for StepStream<'_, S, T> {
    fn advance(&mut self) -> bool {
        if let Some(text) = self.more.pop() {
            let base = self.inner.token();
            self.extra = Some(Token {
                text,
                offset_from: base.offset_from,
                offset_to: base.offset_to,
                position: base.position,
                position_length: base.position_length,
            });
            return true;
        }
        self.extra = None;
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        self.step.apply(&mut token.text, &mut self.more);
        self.more.reverse();
        true
    }

    fn token(&self) -> &Token {
        self.extra.as_ref().unwrap_or_else(|| self.inner.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.extra {
            Some(token) => token,
            None => self.inner.token_mut(),
        }
    }
}

/// Keeps a compound and adds its parts.
#[derive(Clone)]
pub struct Decompound(pub Arc<Lexicon>);

impl WordStep for Decompound {
    fn apply(&self, word: &mut String, more: &mut Vec<String>) {
        self.0.split_into(word, more);
    }
}

/// Dutch Snowball stemming (rust-stemmers) with the lexicon's overrides and rules.
#[derive(Clone)]
pub struct DutchStem(pub Arc<Lexicon>);

impl WordStep for DutchStem {
    fn apply(&self, word: &mut String, _more: &mut Vec<String>) {
        self.0.stem_in_place(word);
    }
}
