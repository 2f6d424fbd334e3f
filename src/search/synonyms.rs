//! Query-time synonym expansion from `kb/synonyms.txt`.
//!
//! Rules are analysed with the same chain as messages, so `kliko's`, `Kliko` and `klikos` in
//! a message all hit the rule written as `kliko`. Multi-word terms (`groene bak`) match
//! consecutive words of the message.
//!
//! A term that is no Dutch word shares its stem with Dutch words now and then: "jar" with
//! "jaren", "verge" with "vergen", "evening" with "even". Such a term only applies to a word
//! of the message that is no Dutch word either ("jars"), or that is the term itself; the
//! Dutch lists of the [`Dictionary`] decide, and without them every term applies.

use std::collections::HashMap;
use std::sync::OnceLock;

use tantivy::tokenizer::TextAnalyzer;

use super::analysis::analyze;
use super::dictionary::Dictionary;
use crate::kb::{SynonymRule, Synonyms};

/// A sequence of stems: one per word of a synonym term.
type Stems = Vec<String>;

/// Synonym rules keyed by the stems they match.
#[derive(Default)]
pub struct SynonymIndex {
    expansions: HashMap<Stems, Vec<Source>>,
    longest: usize,
}

/// What the terms written one way (with the same stems) add.
#[derive(Debug)]
pub struct Source {
    /// The term as written in the rule, lowercase; `None` when it has several words.
    written: Option<Box<str>>,
    /// Whether `written` is a Dutch word, asked of the process's dictionary on first use.
    dutch: OnceLock<bool>,
    /// The stems of the terms it adds.
    pub targets: Vec<Stems>,
}

impl Source {
    /// Whether the rule applies to the message's `word` (lowercase, as written), whose stem
    /// matched: not when the rule's term is no Dutch word and `word` is a Dutch word other
    /// than the term.
    pub fn applies_to(&self, word: &str, dictionary: Option<&Dictionary>) -> bool {
        let (Some(written), Some(dictionary)) = (self.written.as_deref(), dictionary) else {
            return true;
        };
        written == word
            || *self.dutch.get_or_init(|| dictionary.knows_dutch(written))
            || !dictionary.knows_only_dutch(word)
    }
}

impl SynonymIndex {
    pub fn new(synonyms: &Synonyms, analyzer: &mut TextAnalyzer) -> SynonymIndex {
        let mut index = SynonymIndex::default();
        let mut stems = |term: &str| primary_stems(analyzer, term);
        for rule in &synonyms.rules {
            let (from, to) = match rule {
                SynonymRule::Equivalent(terms) => (terms, terms),
                SynonymRule::OneWay { from, to } => (from, to),
            };
            let to: Vec<Stems> = to.iter().map(|t| stems(t)).collect();
            for term in from {
                let key = stems(term);
                if key.is_empty() {
                    continue;
                }
                let written = (key.len() == 1).then(|| term.trim().to_lowercase().into());
                let sources = index.expansions.entry(key.clone()).or_default();
                let source = match sources.iter().position(|s| s.written == written) {
                    Some(at) => &mut sources[at],
                    None => {
                        sources.push(Source {
                            written,
                            dutch: OnceLock::new(),
                            targets: Vec::new(),
                        });
                        sources.last_mut().expect("just pushed")
                    }
                };
                for target in to.iter().filter(|t| !t.is_empty() && **t != key) {
                    if !source.targets.contains(target) {
                        source.targets.push(target.clone());
                    }
                }
                index.longest = index.longest.max(key.len());
            }
        }
        index
    }

    /// For each window of `words` (one primary stem per word) that matches a rule: the index
    /// of its first word and the rules' terms written with those stems.
    pub fn expand<'a>(&'a self, words: &[&str]) -> Vec<(usize, &'a [Source])> {
        let mut found = Vec::new();
        for start in 0..words.len() {
            for len in 1..=self.longest.min(words.len() - start) {
                let key: Stems = words[start..start + len]
                    .iter()
                    .map(|w| w.to_string())
                    .collect();
                if let Some(sources) = self.expansions.get(&key) {
                    found.push((start, sources.as_slice()));
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

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::search::analysis::{Analysis, Lexicon};
    use crate::search::dictionary::tests::dutch_and_english;

    fn index(rules: &str) -> (SynonymIndex, TextAnalyzer) {
        let (synonyms, problems) = Synonyms::parse(Path::new("synonyms.txt"), rules);
        assert!(problems.is_empty(), "{problems:?}");
        let analysis = Analysis::Dutch {
            lexicon: Arc::new(Lexicon::new([
                "jaren",
                "jars",
                "potten",
                "kliko",
                "container",
            ])),
            decompound: false,
        };
        let mut analyzer = analysis.text_analyzer(std::iter::empty());
        (SynonymIndex::new(&synonyms, &mut analyzer), analyzer)
    }

    /// The terms the rules add to `word`, as the message's analysis would.
    fn added(index: &SynonymIndex, analyzer: &mut TextAnalyzer, word: &str) -> Vec<String> {
        let dictionary = dutch_and_english();
        let stems = primary_stems(analyzer, word);
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        (index.expand(&stems).into_iter())
            .flat_map(|(_, sources)| sources)
            .filter(|source| source.applies_to(word, Some(&dictionary)))
            .flat_map(|source| source.targets.iter().flatten().cloned())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    #[test]
    fn a_foreign_term_leaves_dutch_words_with_its_stem_alone() {
        let (index, mut analyzer) = index("jar, jars => potten\nkliko, container\n");
        // "jar" and "jaren" share the stem "jar"; only the English words are jars.
        assert_eq!(
            primary_stems(&mut analyzer, "jaren"),
            primary_stems(&mut analyzer, "jar")
        );
        assert!(added(&index, &mut analyzer, "jaren").is_empty());
        assert_eq!(added(&index, &mut analyzer, "jars"), ["pot"]);
        assert_eq!(added(&index, &mut analyzer, "jar"), ["pot"]);
        // Dutch terms apply to every word with their stem.
        assert_eq!(added(&index, &mut analyzer, "kliko's"), ["container"]);
        assert_eq!(added(&index, &mut analyzer, "containers"), ["kliko"]);
    }

    #[test]
    fn without_a_dictionary_every_term_applies() {
        let (index, mut analyzer) = index("jar, jars => potten\n");
        let stems = primary_stems(&mut analyzer, "jaren");
        let stems: Vec<&str> = stems.iter().map(String::as_str).collect();
        let found = index.expand(&stems);
        assert!(!found.is_empty());
        assert!(
            found
                .iter()
                .all(|(_, sources)| sources.iter().all(|s| s.applies_to("jaren", None)))
        );
    }
}
