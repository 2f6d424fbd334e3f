//! Query-time synonym expansion from `kb/synonyms.txt`.
//!
//! Rules are analysed with the same chain as messages, so `kliko's`, `Kliko` and `klikos` in
//! a message all hit the rule written as `kliko`. Multi-word terms (`groene bak`) match
//! consecutive words of the message.

use std::collections::HashMap;

use tantivy::tokenizer::TextAnalyzer;

use super::analysis::analyze;
use crate::kb::{SynonymRule, Synonyms};

/// A sequence of stems: one per word of a synonym term.
type Stems = Vec<String>;

/// Synonym rules keyed by the stems they match.
#[derive(Default)]
pub struct SynonymIndex {
    expansions: HashMap<Stems, Vec<Stems>>,
    longest: usize,
}

impl SynonymIndex {
    pub fn new(synonyms: &Synonyms, analyzer: &mut TextAnalyzer) -> SynonymIndex {
        let mut index = SynonymIndex::default();
        let mut stems = |term: &str| primary_stems(analyzer, term);
        for rule in &synonyms.rules {
            let (from, to): (Vec<Stems>, Vec<Stems>) = match rule {
                SynonymRule::Equivalent(terms) => {
                    let all: Vec<Stems> = terms.iter().map(|t| stems(t)).collect();
                    (all.clone(), all)
                }
                SynonymRule::OneWay { from, to } => (
                    from.iter().map(|t| stems(t)).collect(),
                    to.iter().map(|t| stems(t)).collect(),
                ),
            };
            for key in from.iter().filter(|k| !k.is_empty()) {
                let entry = index.expansions.entry(key.clone()).or_default();
                for target in to.iter().filter(|t| !t.is_empty() && *t != key) {
                    if !entry.contains(target) {
                        entry.push(target.clone());
                    }
                }
                index.longest = index.longest.max(key.len());
            }
        }
        index
    }

    /// For each window of `words` (one primary stem per word) that matches a rule: the index
    /// of its first word and the stem sequences to add.
    pub fn expand<'a>(&'a self, words: &[&str]) -> Vec<(usize, &'a [Stems])> {
        let mut found = Vec::new();
        for start in 0..words.len() {
            for len in 1..=self.longest.min(words.len() - start) {
                let key: Stems = words[start..start + len]
                    .iter()
                    .map(|w| w.to_string())
                    .collect();
                if let Some(targets) = self.expansions.get(&key) {
                    found.push((start, targets.as_slice()));
                }
            }
        }
        found
    }
}

/// The first term of every word position: the word's own stem, without compound parts.
pub fn primary_stems(analyzer: &mut TextAnalyzer, text: &str) -> Stems {
    let mut stems: Stems = Vec::new();
    let mut last = usize::MAX;
    for (position, term) in analyze(analyzer, text) {
        if position != last {
            stems.push(term);
            last = position;
        }
    }
    stems
}
