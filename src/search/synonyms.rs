//! Query-time synonym expansion from `kb/synonyms.txt`.
//!
//! Rules are analysed with the same chain as messages, so `kliko's`, `Kliko` and `klikos` in
//! a message all hit the rule written as `kliko`. Multi-word terms (`groene bak`) match
//! consecutive words of the message.
//!
//! Matching is by the Dutch stem, which English words share now and then with Dutch ones
//! ("jar" with "jaren", "verge" with "vergen") or with other English words ("rate" with
//! "rats", "car" with "care"). Where the [`Dictionary`]'s lists know both the term and the
//! word, they must share a language, and English words their English stem too
//! ([`Source::applies_to`]).

use std::sync::{LazyLock, OnceLock};

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap as HashMap;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::analyze;
use super::dictionary::{Dictionary, Languages};
use crate::kb::{SynonymRule, Synonyms};

/// A sequence of stems: one per word of a synonym term.
type Stems = Vec<String>;

/// Synonym rules keyed by the stems they match.
#[derive(Default)]
pub struct SynonymIndex {
    /// Keyed by the stems joined with a space (no stem has one), so a window of a message
    /// is looked up without making a key of its own.
    expansions: HashMap<String, Vec<Source>>,
    longest: usize,
}

/// What the terms written one way (with the same stems) add.
#[derive(Debug)]
pub struct Source {
    /// The term as written in the rule, lowercase; `None` when it has several words.
    written: Option<Box<str>>,
    /// Which lists know `written`, and its English stem; asked of the process's dictionary
    /// on first use.
    known: OnceLock<(Languages, String)>,
    /// The stems of the terms it adds.
    pub targets: Vec<Stems>,
}

/// Porter's English stemmer, for words the English list knows.
static ENGLISH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::English));

impl Source {
    /// Whether the rule applies to the message's `word` (lowercase, as written), whose Dutch
    /// stem matched. When the word lists know both, the term and the word must share a
    /// language: English words must also share their English stem ("rates" and "rate", not
    /// "rats" or "care" and "car"), and a word that is only Dutch never matches a term that
    /// is only English ("jaren" and "jar"). A word or term no list knows (a typo, slang)
    /// matches by its Dutch stem, as does everything without the lists.
    pub fn applies_to(&self, word: &str, dictionary: Option<&Dictionary>) -> bool {
        let (Some(written), Some(dictionary)) = (self.written.as_deref(), dictionary) else {
            return true;
        };
        if written == word {
            return true;
        }
        let (term, english) = self.known.get_or_init(|| {
            let english = ENGLISH.stem(written).into_owned();
            (dictionary.languages(written), english)
        });
        let languages = dictionary.languages(word);
        if term.none() || languages.none() {
            true
        } else if term.other && languages.other {
            ENGLISH.stem(word) == english.as_str()
        } else {
            term.dutch && languages.dutch
        }
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
                let term = term.trim();
                let written =
                    (!term.contains(char::is_whitespace)).then(|| term.to_lowercase().into());
                let sources = index.expansions.entry(key.join(" ")).or_default();
                let source = match sources.iter().position(|s| s.written == written) {
                    Some(at) => &mut sources[at],
                    None => {
                        sources.push(Source {
                            written,
                            known: OnceLock::new(),
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
        let mut key = String::new();
        for start in 0..words.len() {
            key.clear();
            for (len, word) in words[start..].iter().take(self.longest).enumerate() {
                if len > 0 {
                    key.push(' ');
                }
                key.push_str(word);
                if let Some(sources) = self.expansions.get(key.as_str()) {
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

    /// Asserts that the Dutch stemmer gives `word` and `term` the same stem, so that only
    /// [`Source::applies_to`] tells them apart.
    fn same_stem(analyzer: &mut TextAnalyzer, word: &str, term: &str) {
        assert_eq!(primary_stems(analyzer, word), primary_stems(analyzer, term));
    }

    #[test]
    fn a_foreign_term_leaves_dutch_words_with_its_stem_alone() {
        let (jars, mut analyzer) = index("jar, jars => potten\nkliko, container\n");
        // "jar" and "jaren" share the stem "jar"; only the English words are jars.
        same_stem(&mut analyzer, "jaren", "jar");
        assert!(added(&jars, &mut analyzer, "jaren").is_empty());
        assert_eq!(added(&jars, &mut analyzer, "jars"), ["pot"]);
        assert_eq!(added(&jars, &mut analyzer, "jar"), ["pot"]);
        // Dutch terms apply to every word with their stem.
        assert_eq!(added(&jars, &mut analyzer, "kliko's"), ["container"]);
        assert_eq!(added(&jars, &mut analyzer, "containers"), ["kliko"]);

        // English words the Dutch stemmer conflates are told apart by the English one.
        let (rates, mut analyzer) = index("rate, rates => tarief\n");
        same_stem(&mut analyzer, "rats", "rate");
        assert!(added(&rates, &mut analyzer, "rats").is_empty());
        assert_eq!(added(&rates, &mut analyzer, "rates"), ["tarief"]);
        // A word no list knows (a typo) may still be the term.
        same_stem(&mut analyzer, "raten", "rate");
        assert_eq!(added(&rates, &mut analyzer, "raten"), ["tarief"]);

        // Also when both lists know both words.
        let (cars, mut analyzer) = index("car, cars => auto\n");
        same_stem(&mut analyzer, "care", "car");
        assert!(added(&cars, &mut analyzer, "care").is_empty());
        assert_eq!(added(&cars, &mut analyzer, "cars"), ["auto"]);
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
