//! A list of real Dutch words, from a Hunspell dictionary (Debian's `hunspell-nl`, the
//! OpenTaal word list), so that a meaningful word the knowledge base never uses is not taken
//! for a typo.
//!
//! Without it, typo correction only knows the knowledge base's own vocabulary, and every real
//! word it lacks looks like a misspelling of a word it has: "kapper" became "kappen", "stoel"
//! "stoep", "ruilen" "ruimen", "postbode" "postcode". Those false corrections made articles
//! match words the resident never wrote. With the dictionary a real word stays what it is
//! (unknown to the knowledge base, which the confidence counts against a match), and only
//! words that are no Dutch word at all ("contaners", "afpsraak") are corrected.
//!
//! The dictionary is a resource of the machine, read once per process from
//! `VRAAGBAAK_DICTIONARY` (a path without `.aff`/`.dic`, or `off`), by default
//! [`DEFAULT_PATH`]. When it is missing, search falls back to the knowledge base's own words
//! and says so once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

/// Where Debian's `hunspell-nl` installs the Dutch dictionary (`nl.aff`, `nl.dic`).
pub const DEFAULT_PATH: &str = "/usr/share/hunspell/nl";
/// The environment variable that chooses another dictionary, or `off` for none.
pub const ENV: &str = "VRAAGBAAK_DICTIONARY";

/// A loaded Hunspell dictionary.
pub struct Dictionary {
    words: spellbook::Dictionary,
    /// The path it was read from, without extension (for reports).
    pub path: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum DictionaryError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a Hunspell dictionary: {message}")]
    Parse { path: String, message: String },
}

impl Dictionary {
    /// Reads `<path>.aff` and `<path>.dic`.
    pub fn load(path: &Path) -> Result<Dictionary, DictionaryError> {
        let read = |extension: &str| {
            let mut file = path.as_os_str().to_owned();
            file.push(".");
            file.push(extension);
            let file = PathBuf::from(file);
            std::fs::read_to_string(&file).map_err(|source| DictionaryError::Read {
                path: file.display().to_string(),
                source,
            })
        };
        let (aff, dic) = (read("aff")?, read("dic")?);
        let mut dictionary = Dictionary::parse(&aff, &dic).map_err(|err| match err {
            DictionaryError::Parse { message, .. } => DictionaryError::Parse {
                path: path.display().to_string(),
                message,
            },
            other => other,
        })?;
        dictionary.path = path.to_path_buf();
        Ok(dictionary)
    }

    /// A dictionary from the text of its two files.
    pub fn parse(aff: &str, dic: &str) -> Result<Dictionary, DictionaryError> {
        let words = spellbook::Dictionary::new(aff, dic).map_err(|err| DictionaryError::Parse {
            path: String::new(),
            message: err.to_string(),
        })?;
        Ok(Dictionary {
            words,
            path: PathBuf::new(),
        })
    }

    /// Whether `word` (lowercase, as residents write it) is a correctly spelled word.
    pub fn check(&self, word: &str) -> bool {
        self.words.check(word)
    }
}

/// What [`system`] found, for reports ("which lexicon were these figures measured with").
pub fn describe() -> String {
    match system() {
        Some(dictionary) => format!("Hunspell dictionary {}", dictionary.path.display()),
        None => "the knowledge base's own words (no Dutch dictionary)".to_string(),
    }
}

/// The process's dictionary: read on first use, `None` when switched off or missing (logged
/// once).
pub fn system() -> Option<&'static Dictionary> {
    static SYSTEM: OnceLock<Option<Dictionary>> = OnceLock::new();
    SYSTEM
        .get_or_init(|| {
            let chosen = std::env::var(ENV).ok().filter(|v| !v.trim().is_empty());
            if chosen.as_deref().map(str::trim) == Some("off") {
                tracing::info!("{ENV}=off: typo correction knows only the knowledge base's words");
                return None;
            }
            let path = chosen.map_or_else(|| PathBuf::from(DEFAULT_PATH), PathBuf::from);
            let started = Instant::now();
            match Dictionary::load(&path) {
                Ok(dictionary) => {
                    tracing::info!(
                        "Dutch dictionary {} read in {} ms",
                        path.display(),
                        started.elapsed().as_millis()
                    );
                    Some(dictionary)
                }
                Err(err) => {
                    tracing::warn!(
                        "no Dutch dictionary ({err}); typo correction knows only the knowledge \
                         base's words. Install Debian's hunspell-nl or set {ENV}"
                    );
                    None
                }
            }
        })
        .as_ref()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny Hunspell dictionary: `kapper`, `kappen` (via a suffix rule on `kap`), `stoel`.
    pub(crate) fn tiny() -> Dictionary {
        let aff = "SET UTF-8\nSFX N Y 1\nSFX N 0 pen .\n";
        let dic = "3\nkap/N\nkapper\nstoel\n";
        Dictionary::parse(aff, dic).expect("valid dictionary")
    }

    #[test]
    fn knows_its_words_and_their_affixed_forms() {
        let dictionary = tiny();
        assert!(dictionary.check("kapper"));
        assert!(dictionary.check("kappen"));
        assert!(dictionary.check("stoel"));
        assert!(!dictionary.check("kaper"));
        assert!(!dictionary.check("stoep"));
    }

    #[test]
    fn a_missing_dictionary_is_an_error_that_names_the_file() {
        let dir = std::env::temp_dir().join("vraagbaak-no-such-dictionary");
        let err = Dictionary::load(&dir.join("nl"))
            .err()
            .expect("missing files");
        assert!(err.to_string().contains("nl.aff"), "{err}");
    }
}
