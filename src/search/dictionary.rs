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
//! Residents also write English, and an English word is no typo of a Dutch one either
//! ("summer" is not "nummer", "leave" not "lease"): Debian's `hunspell-en-us` is read too
//! when it is installed.
//!
//! The dictionaries are a resource of the machine, read once per process from
//! `VRAAGBAAK_DICTIONARY` (paths without `.aff`/`.dic`, separated by `:`, or `off`), by
//! default [`DEFAULT_PATHS`]. When none can be read, search falls back to the knowledge
//! base's own words and says so once.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use rustc_hash::FxHashMap as HashMap;

use super::analysis::LINKS;

/// Where Debian's `hunspell-nl` and `hunspell-en-us` install their dictionaries.
pub const DEFAULT_PATHS: &str = "/usr/share/hunspell/nl:/usr/share/hunspell/en_US";
/// The environment variable that chooses another dictionary, or `off` for none.
pub const ENV: &str = "VRAAGBAAK_DICTIONARY";

/// One or more loaded Hunspell dictionaries.
pub struct Dictionary {
    words: Vec<spellbook::Dictionary>,
    /// Whether each of `words` is a Dutch list: every list but an English one (a file name
    /// starting with `en`).
    dutch: Vec<bool>,
    /// The paths they were read from, without extension (for reports).
    pub paths: Vec<PathBuf>,
    /// The answers of [`Dictionary::check`] so far: a Hunspell check of a word the lists lack
    /// tries its affixes and compound rules, and one message checks the same word several
    /// times (as a typo, a compound's part, a street name), as do residents' messages. It
    /// holds single words (a surname among them), never the message or conversation they came
    /// from; it is never written or logged, and goes with the process.
    checked: Answers<bool>,
    /// The answers of [`Dictionary::languages`] so far, kept the same way.
    languages: Answers<Languages>,
}

/// Which kinds of list know a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Languages {
    pub dutch: bool,
    /// A list that is not Dutch (English).
    pub other: bool,
}

impl Languages {
    /// No list knows the word (a typo, a name, slang).
    pub fn none(self) -> bool {
        !self.dutch && !self.other
    }
}

/// Answers about single words, kept (see [`Dictionary::check`]).
struct Answers<T>(Mutex<HashMap<Box<str>, T>>);

impl<T> Default for Answers<T> {
    fn default() -> Self {
        Answers(Mutex::default())
    }
}

impl<T: Copy> Answers<T> {
    /// The answer kept for `word`, or `answer()` kept.
    fn get_or_insert(&self, word: &str, answer: impl FnOnce() -> T) -> T {
        // A panic elsewhere while holding the lock leaves a map of right answers.
        let kept = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(&known) = kept().get(word) {
            return known;
        }
        let known = answer();
        let mut kept = kept();
        if kept.len() >= CHECKED_CAPACITY {
            kept.clear();
        }
        kept.insert(word.into(), known);
        known
    }
}

/// At most this many answers are kept in each map (a few MB); the next one starts afresh.
const CHECKED_CAPACITY: usize = 65_536;

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
        let english = (path.file_name())
            .is_some_and(|name| name.to_string_lossy().to_lowercase().starts_with("en"));
        Ok(Dictionary {
            words: vec![compile(&aff, &dic, &path.display().to_string())?],
            dutch: vec![!english],
            paths: vec![path.to_path_buf()],
            checked: Answers::default(),
            languages: Answers::default(),
        })
    }

    /// The words of `self` and of `other`.
    pub fn and(mut self, other: Dictionary) -> Dictionary {
        self.words.extend(other.words);
        self.dutch.extend(other.dutch);
        self.paths.extend(other.paths);
        self.checked = Answers::default();
        self.languages = Answers::default();
        self
    }

    /// A dictionary from the text of its two files.
    pub fn parse(aff: &str, dic: &str) -> Result<Dictionary, DictionaryError> {
        Ok(Dictionary {
            words: vec![compile(aff, dic, "(text)")?],
            dutch: vec![true],
            paths: Vec::new(),
            checked: Answers::default(),
            languages: Answers::default(),
        })
    }

    /// Whether `word` (lowercase, as residents write it) is a correctly spelled word of any
    /// of the dictionaries.
    pub fn check(&self, word: &str) -> bool {
        (self.checked).get_or_insert(word, || self.words.iter().any(|words| words.check(word)))
    }

    /// Which kinds of list know `word` (lowercase), as written or capitalised: "jaren" is
    /// Dutch, "jars" English, "report" both (the Dutch list has it as a loanword).
    pub fn languages(&self, word: &str) -> Languages {
        self.languages.get_or_insert(word, || {
            let capital = capitalised(word);
            let mut languages = Languages::default();
            for (words, &dutch) in self.words.iter().zip(&self.dutch) {
                let known = if dutch {
                    &mut languages.dutch
                } else {
                    &mut languages.other
                };
                if !*known && (words.check(word) || words.check(&capital)) {
                    *known = true;
                }
            }
            languages
        })
    }

    /// Whether `word` is a word of any of the dictionaries, as written or capitalised:
    /// residents write "thailand" and "ahmed", which the word lists have only as names.
    pub fn knows(&self, word: &str) -> bool {
        self.check(word) || self.check(&capitalised(word))
    }

    /// Whether `word` (lowercase) is a word of the dictionaries or joins two or more of them
    /// ("parasolvergunning": "parasol" + "vergunning"; "bestemmingsplan" with its linking
    /// "s"). Dutch makes compounds freely, and the word lists hold only the common ones.
    pub fn knows_compound(&self, word: &str) -> bool {
        self.knows(word) || self.splits(word)
    }

    fn splits(&self, word: &str) -> bool {
        let min = MIN_COMPOUND_PART_CHARS;
        (word.char_indices().map(|(i, _)| i))
            .filter(|&i| word[..i].chars().count() >= min && word[i..].chars().count() >= min)
            .any(|i| {
                let (head, tail) = word.split_at(i);
                let head_known = self.check(head)
                    || (LINKS.iter())
                        .filter_map(|link| head.strip_suffix(link))
                        .any(|bare| bare.chars().count() >= min && self.check(bare));
                head_known && (self.check(tail) || self.splits(tail))
            })
    }
}

/// Shorter parts make too many chance compounds out of typos.
const MIN_COMPOUND_PART_CHARS: usize = 4;

/// `word` with its first letter in uppercase: "daan" → "Daan".
pub fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    (chars.next())
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Compiles one dictionary; `path` names it in the error.
fn compile(aff: &str, dic: &str, path: &str) -> Result<spellbook::Dictionary, DictionaryError> {
    spellbook::Dictionary::new(aff, dic).map_err(|err| DictionaryError::Parse {
        path: path.to_string(),
        message: err.to_string(),
    })
}

/// What [`system`] found, for reports ("which lexicon were these figures measured with").
pub fn describe() -> String {
    match system() {
        Some(dictionary) => describe_loaded(dictionary),
        None => "the knowledge base's own words (no dictionary)".to_string(),
    }
}

fn describe_loaded(dictionary: &Dictionary) -> String {
    let paths: Vec<String> = (dictionary.paths.iter())
        .map(|p| p.display().to_string())
        .collect();
    format!("Hunspell dictionaries {}", paths.join(", "))
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
            let paths = chosen.unwrap_or_else(|| DEFAULT_PATHS.to_string());
            let started = Instant::now();
            let mut loaded: Option<Dictionary> = None;
            for path in paths.split(':').map(str::trim).filter(|p| !p.is_empty()) {
                match Dictionary::load(Path::new(path)) {
                    Ok(dictionary) => {
                        loaded = Some(match loaded {
                            Some(before) => before.and(dictionary),
                            None => dictionary,
                        });
                    }
                    Err(err) => tracing::warn!("dictionary left out: {err}"),
                }
            }
            match &loaded {
                Some(dictionary) => tracing::info!(
                    "{} read in {} ms",
                    describe_loaded(dictionary),
                    started.elapsed().as_millis()
                ),
                None => tracing::warn!(
                    "no dictionary could be read; typo correction knows only the knowledge \
                     base's words. Install Debian's hunspell-nl (and hunspell-en-us) or set {ENV}"
                ),
            }
            loaded
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

    /// A Dutch list (`jaren`, `container`, `kliko`, and the loanwords `report`, `care`, `cars`)
    /// and an English one (`jar`, `jars`, `report`, `rate`, `rates`, `rat`, `rats`, `car`,
    /// `cars`, `care`), read from files named as Debian names them.
    pub(crate) fn dutch_and_english() -> Dictionary {
        let dir = tempfile::tempdir().expect("temporary directory");
        let write = |name: &str, dic: &str| {
            let path = dir.path().join(name);
            std::fs::write(path.with_extension("aff"), "SET UTF-8\n").expect("aff written");
            std::fs::write(path.with_extension("dic"), dic).expect("dic written");
            Dictionary::load(&path).expect("valid dictionary")
        };
        let dutch = write("nl", "6\njaren\nreport\ncontainer\nkliko\ncare\ncars\n");
        dutch.and(write(
            "en_US",
            "10\njar\njars\nreport\nrate\nrates\nrat\nrats\ncar\ncars\ncare\n",
        ))
    }

    #[test]
    fn tells_the_dutch_words_from_those_other_lists_know_too() {
        let dictionary = dutch_and_english();
        let languages = |word| dictionary.languages(word);
        let known = |dutch, other| Languages { dutch, other };
        assert_eq!(languages("jaren"), known(true, false));
        assert_eq!(languages("report"), known(true, true));
        assert_eq!(languages("jars"), known(false, true));
        assert!(languages("stoel").none());
        // Asked again, from the answers kept.
        assert_eq!(languages("jaren"), known(true, false));
        // A list read from text, as in tests, is Dutch.
        assert_eq!(tiny().languages("kapper"), known(true, false));
    }

    #[test]
    fn knows_names_written_in_lowercase() {
        let dictionary =
            Dictionary::parse("SET UTF-8\n", "2\nThailand\nstoel\n").expect("valid dictionary");
        assert!(!dictionary.check("thailand"));
        assert!(dictionary.knows("thailand"));
        assert!(dictionary.knows("stoel"));
        assert!(!dictionary.knows("thailnd"));
        assert_eq!(capitalised("ëlla"), "Ëlla");
        assert_eq!(capitalised(""), "");
    }

    #[test]
    fn knows_compounds_of_its_words() {
        let dic = "5\nparasol\nvergunning\nbestemming\nplan\nkaas\n";
        let dictionary = Dictionary::parse("SET UTF-8\n", dic).expect("valid dictionary");
        assert!(dictionary.knows_compound("parasolvergunning"));
        assert!(dictionary.knows_compound("bestemmingsplan"));
        assert!(dictionary.knows_compound("kaasparasolvergunning"));
        // A typo in a part, a part too short to trust, or a linking sound alone: no word.
        assert!(!dictionary.knows_compound("parasolvergunnig"));
        assert!(!dictionary.knows_compound("planx"));
        assert!(!dictionary.knows_compound("kaaxplan"));
        assert!(!dictionary.knows_compound("splan"));
    }

    #[test]
    fn knows_its_words_and_their_affixed_forms() {
        let dictionary = tiny();
        assert!(dictionary.check("kapper"));
        assert!(dictionary.check("kappen"));
        assert!(dictionary.check("stoel"));
        assert!(!dictionary.check("kaper"));
        assert!(!dictionary.check("stoep"));
        // Asked again, from the answers kept.
        assert!(dictionary.check("kapper") && !dictionary.check("stoep"));
    }

    #[test]
    fn two_dictionaries_know_the_words_of_both() {
        let english = Dictionary::parse("SET UTF-8\n", "1\nsummer\n").expect("valid");
        let both = tiny().and(english);
        assert!(both.check("kapper") && both.check("summer"));
        assert!(!both.check("nummer"));
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
