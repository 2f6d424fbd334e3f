//! The vocabulary the Dutch analysis leans on: which words exist, how each is stemmed and how
//! compounds split.
//!
//! It is built from the knowledge base's own words (plus a small shipped word list), so the
//! decompounder only splits into parts that articles actually use, and the stem rules only
//! map a word onto a base that exists. Index and query use the same lexicon, so both sides
//! always agree.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use rust_stemmers::{Algorithm, Stemmer};

const EXTRA_WORDS: &str = include_str!("words.txt");
const OVERRIDES: &str = include_str!("overrides.txt");
/// Shorter dictionary words make too many accidental splits (`ver` + `huizing`).
const MIN_PART_CHARS: usize = 4;
/// Words shorter than this are never split.
const MIN_COMPOUND_CHARS: usize = 7;
const MAX_PARTS: usize = 4;
/// Linking sounds between compound parts: `bestemming·s·plan`, `kind·er·opvang`.
pub const LINKS: &[&str] = &["s", "e", "en", "er"];

/// Known words with their precomputed stems and compound splits.
pub struct Lexicon {
    stemmer: Stemmer,
    /// Words compounds may be split into.
    parts: HashSet<String>,
    /// Stems of all known words, so stem rules only map onto something that exists.
    known_stems: HashSet<String>,
    /// The manual list, applied before any rule.
    overrides: HashMap<String, String>,
    /// Cache of `stem` for every known word.
    stems: HashMap<String, String>,
    /// Cache of `split` for every known word (empty: not a compound).
    splits: HashMap<String, Vec<String>>,
}

impl Lexicon {
    /// Builds the lexicon from surface words (lowercase, folded, stop words removed).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let vocabulary: HashSet<String> = words.into_iter().map(str::to_string).collect();
        let extra = EXTRA_WORDS
            .lines()
            .filter(|line| !line.starts_with('#'))
            .flat_map(str::split_whitespace);
        let mut parts: HashSet<String> = vocabulary
            .iter()
            .filter(|w| w.len() >= MIN_PART_CHARS && w.bytes().all(|b| b.is_ascii_lowercase()))
            .cloned()
            .collect();
        parts.extend(extra.map(str::to_string));
        let overrides: HashMap<String, String> = OVERRIDES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| line.split_once(' '))
            .map(|(word, stem)| (word.trim().to_string(), stem.trim().to_string()))
            .collect();
        let stemmer = Stemmer::create(Algorithm::Dutch);
        let known_stems = vocabulary
            .iter()
            .chain(parts.iter())
            .map(|w| stemmer.stem(w).into_owned())
            .chain(overrides.values().cloned())
            .collect();
        let mut lexicon = Lexicon {
            stemmer,
            parts,
            known_stems,
            overrides,
            stems: HashMap::default(),
            splits: HashMap::default(),
        };
        let splits = vocabulary
            .iter()
            .map(|w| (w.clone(), lexicon.compute_split(w)))
            .collect();
        lexicon.splits = splits;
        let stems = vocabulary
            .iter()
            .chain(lexicon.splits.values().flatten())
            .map(|w| (w.clone(), lexicon.compute_stem(w)))
            .collect();
        lexicon.stems = stems;
        lexicon
    }

    /// Whether the word occurs in the knowledge base (or the shipped word list).
    pub fn knows(&self, word: &str) -> bool {
        self.stems.contains_key(word) || self.parts.contains(word)
    }

    /// All known words, for the typo index.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.stems.keys().map(String::as_str)
    }

    /// The stem of a lowercase, folded word.
    pub fn stem(&self, word: &str) -> String {
        match self.stems.get(word) {
            Some(stem) => stem.clone(),
            None => self.compute_stem(word),
        }
    }

    /// Replaces `word` by its stem, without allocating for known words.
    pub fn stem_in_place(&self, word: &mut String) {
        match self.stems.get(word.as_str()) {
            Some(stem) => {
                word.clear();
                word.push_str(stem);
            }
            None => *word = self.compute_stem(word),
        }
    }

    /// Pushes the parts of `word` onto `out` (nothing when it is not a known compound).
    pub fn split_into(&self, word: &str, out: &mut Vec<String>) {
        match self.splits.get(word) {
            Some(parts) => out.extend(parts.iter().cloned()),
            None => out.extend(self.compute_split(word)),
        }
    }

    /// The parts of a compound (`parkeervergunning` → `parkeer`, `vergunning`), including
    /// the parts of parts; empty when the word is not a known compound.
    pub fn split(&self, word: &str) -> Vec<String> {
        match self.splits.get(word) {
            Some(parts) => parts.clone(),
            None => self.compute_split(word),
        }
    }

    fn compute_stem(&self, word: &str) -> String {
        if let Some(stem) = self.overrides.get(word) {
            return stem.clone();
        }
        let base = self.base_form(word).unwrap_or(word);
        // A diminutive of a listed word keeps its stem: `zoontje` is a `zoon`, not a `zone`.
        if let Some(stem) = self.overrides.get(base) {
            return stem.clone();
        }
        let stem = self.stemmer.stem(base).into_owned();
        self.align_consonant(stem)
    }

    /// Inflections Snowball leaves alone, mapped onto a known base word:
    /// diminutives (`huisje`, `pasjes`), `-s` plurals after a vowel (`klikos`) and
    /// past participles (`geleegd`, `opgehaald`). The shortest suffix is tried first, so the
    /// longest known base wins: `kaartje` is a small `kaart`, not a `kar` (`kaar` + `tje`),
    /// and `lampje` a `lamp`, not a `lam`.
    fn base_form<'w>(&self, word: &'w str) -> Option<&'w str> {
        let known = |base: &str| {
            base.len() >= 3
                && (self.overrides.contains_key(base)
                    || self.known_stems.contains(self.stemmer.stem(base).as_ref()))
        };
        for suffix in ["jes", "tjes", "pjes", "je", "tje", "pje", "s"] {
            if let Some(base) = word.strip_suffix(suffix) {
                let vowel_plural = suffix == "s" && base.ends_with(['a', 'e', 'i', 'o', 'u', 'y']);
                if (suffix != "s" || vowel_plural) && known(base) {
                    return Some(base);
                }
            }
        }
        None
    }

    /// Snowball keeps the voiced consonant of the plural (`rijbewijz`, `brievv`); map it back
    /// to the singular's spelling when that stem is known.
    fn align_consonant(&self, stem: String) -> String {
        for (voiced, plain) in [('z', 's'), ('v', 'f')] {
            if let Some(base) = stem.strip_suffix(voiced) {
                let candidate = format!("{base}{plain}");
                if self.known_stems.contains(&candidate) {
                    return candidate;
                }
            }
        }
        stem
    }

    fn compute_split(&self, word: &str) -> Vec<String> {
        if word.len() < MIN_COMPOUND_CHARS || !word.bytes().all(|b| b.is_ascii_lowercase()) {
            return Vec::new();
        }
        let mut parts = Vec::new();
        if let Some(split) = self.best_split(word) {
            for part in split {
                let sub = self.compute_split(part);
                parts.push(part.to_string());
                parts.extend(sub);
            }
        }
        parts.dedup();
        parts
    }

    /// A known word, or (for longer parts) a form with a known stem: `parkeer` in
    /// `parkeervergunning` is known through `parkeren`.
    fn is_part(&self, part: &str) -> bool {
        self.parts.contains(part)
            || (part.len() > MIN_PART_CHARS
                && self.known_stems.contains(self.stemmer.stem(part).as_ref()))
    }

    /// The split of `word` into the fewest known parts (at least two), allowing a linking
    /// sound after each part but the last.
    fn best_split<'w>(&self, word: &'w str) -> Option<Vec<&'w str>> {
        let n = word.len();
        // best[i]: fewest parts covering word[..i], with the previous cut and the part.
        let mut best: Vec<Option<(usize, usize, &str)>> = vec![None; n + 1];
        best[0] = Some((0, 0, ""));
        for start in 0..n {
            let Some((count, _, _)) = best[start] else {
                continue;
            };
            if count >= MAX_PARTS {
                continue;
            }
            for end in start + 2..=n {
                let part = &word[start..end];
                if (start == 0 && end == n) || !self.is_part(part) {
                    continue;
                }
                let mut nexts = vec![end];
                // A linking sound joins two parts: one that ends the word is its inflection
                // ("aanmaningskost·en" is no part and a link, but "aanmaning·s·kosten").
                nexts.extend(
                    (LINKS.iter())
                        .filter(|l| word[end..].starts_with(*l) && end + l.len() < n)
                        .map(|l| end + l.len()),
                );
                for next in nexts {
                    if next < n && n - next < 3 {
                        continue;
                    }
                    let better = best[next].is_none_or(|(c, _, _)| count + 1 < c);
                    if better {
                        best[next] = Some((count + 1, start, part));
                    }
                }
            }
        }
        let (count, _, _) = best[n]?;
        if count < 2 {
            return None;
        }
        let mut split = Vec::new();
        let mut at = n;
        while at > 0 {
            let (_, start, part) = best[at]?;
            split.push(part);
            at = start;
        }
        split.reverse();
        Some(split)
    }
}
