//! Typo correction: known words at edit distance 1 from an unknown word, or 2 from a long
//! one that is no real word.
//!
//! A deletion index (each word filed under itself and every one-letter deletion) finds all
//! candidates for substitutions, insertions, deletions and swapped neighbours in a few hash
//! lookups; `strsim` confirms the distance. A word the word lists know (Dutch or English) is
//! no typo, however close it is to a word of the knowledge base ([`super::dictionary`]).
//!
//! The index files words under a 64-bit hash of each deletion rather than the deletion's text:
//! looking a word up then makes no string per deletion and reads no key text, only a bucket
//! and a short run of word ids. Two deletions that share a hash only add a candidate, which
//! the distance check drops.

use std::hash::Hasher;

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use super::dictionary::Dictionary;

/// Words shorter than this are not corrected: too many short words are one edit apart.
pub const MIN_TYPO_CHARS: usize = 5;
/// At most this many corrections per word, the most frequent first.
const MAX_CORRECTIONS: usize = 2;
/// Words at least this long that no word list knows and no known word is one edit from get
/// corrections two edits away ("parkeerergunnig"): in a long word two typos are common, and
/// few known words are two edits from it.
pub const MIN_TWO_EDIT_CHARS: usize = 8;

/// Known words filed by their one-letter deletions.
#[derive(Default)]
pub struct TypoIndex {
    /// The hash of a word or deletion → the range of `ids` holding the words filed under it.
    by_deletion: HashMap<u64, (u32, u32)>,
    /// Word ids, grouped by deletion hash.
    ids: Vec<u32>,
    words: Vec<(String, u32)>,
    /// Word ids with their letters ([`letters`]) by first letter and length in letters, for
    /// corrections two edits away.
    by_start: HashMap<(char, usize), Vec<(u32, u32)>>,
    /// Real words, which are never corrected; `None`: only the knowledge base's words known.
    dictionary: Option<&'static Dictionary>,
}

impl TypoIndex {
    /// Indexes known words with how often they occur.
    pub fn new<'a>(words: impl IntoIterator<Item = (&'a str, u32)>) -> TypoIndex {
        let mut index = TypoIndex::default();
        let mut filed: Vec<(u64, u32)> = Vec::new();
        for (word, frequency) in words {
            if word.chars().count() < MIN_TYPO_CHARS - 1 {
                continue;
            }
            let id = index.words.len() as u32;
            index.words.push((word.to_string(), frequency));
            if let Some(first) = word.chars().next() {
                (index.by_start.entry((first, word.chars().count())))
                    .or_default()
                    .push((id, letters(word)));
            }
            filed.extend(keys(word).map(|key| (key, id)));
        }
        filed.sort_unstable();
        filed.dedup();
        index.ids = filed.iter().map(|&(_, id)| id).collect();
        let mut start = 0;
        for run in filed.chunk_by(|a, b| a.0 == b.0) {
            let len = run.len() as u32;
            index.by_deletion.insert(run[0].0, (start, len));
            start += len;
        }
        index
    }

    /// The same index, leaving the words `dictionary` knows as they are.
    pub fn with_dictionary(mut self, dictionary: Option<&'static Dictionary>) -> TypoIndex {
        self.dictionary = dictionary;
        self
    }

    /// Known words one edit away from `word`, most frequent first; none for a real word.
    pub fn corrections(&self, word: &str) -> Vec<&str> {
        let chars = word.chars().count();
        if chars < MIN_TYPO_CHARS {
            return Vec::new();
        }
        let mut ids: Vec<u32> = keys(word)
            .filter_map(|key| self.by_deletion.get(&key))
            .flat_map(|&(start, len)| &self.ids[start as usize..(start + len) as usize])
            .copied()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut found: Vec<&(String, u32)> = ids
            .into_iter()
            .map(|id| &self.words[id as usize])
            .filter(|(known, _)| known != word && strsim::osa_distance(known, word) == 1)
            .collect();
        // The word lists are asked only when there is something to correct to: most unknown
        // words have no near word, and a dictionary lookup costs more than the hash lookups
        // above. Two edits only with the word lists: without them a real word two edits from
        // a known one ("paspoorten") could not be told from a typo.
        if found.is_empty() && chars < MIN_TWO_EDIT_CHARS {
            return Vec::new();
        }
        match self.dictionary {
            Some(dictionary) if dictionary.check(word) => return Vec::new(),
            Some(_) if found.is_empty() => found = self.two_edits_from(word, chars),
            _ => {}
        }
        if found.is_empty() {
            return Vec::new();
        }
        // Typos rarely hit the first letter; then prefer common words.
        found.sort_by_key(|(known, frequency)| {
            (
                !known.starts_with(&word[..1]),
                std::cmp::Reverse(*frequency),
            )
        });
        found
            .into_iter()
            .take(MAX_CORRECTIONS)
            .map(|(w, _)| w.as_str())
            .collect()
    }

    /// Known words two edits from `word`, `chars` letters long, that start with the same
    /// letter (typos rarely hit the first).
    fn two_edits_from(&self, word: &str, chars: usize) -> Vec<&(String, u32)> {
        let Some(first) = word.chars().next() else {
            return Vec::new();
        };
        let own = letters(word);
        let counts = LetterCounts::of(word);
        (chars.saturating_sub(2)..=chars + 2)
            .filter_map(|length| self.by_start.get(&(first, length)))
            .flatten()
            // Two edits change which letters a word has by at most four.
            .filter(|&&(_, known)| (own ^ known).count_ones() <= 4)
            .map(|&(id, _)| &self.words[id as usize])
            .filter(|(known, _)| counts.bag_distance(known) <= 2)
            .filter(|(known, _)| strsim::osa_distance(known, word) == 2)
            .collect()
    }
}

/// How often a word has each letter (all other characters counted as one), for the bag
/// distance: the letters one word has more of than the other, or the other more of than the
/// one, whichever is more. An insertion, deletion or substitution changes it by at most one
/// and swapping two neighbours not at all, so it is never more than the edit distance, and
/// it costs a pass over the word where the distance costs a table.
struct LetterCounts([i16; 27]);

impl LetterCounts {
    fn of(word: &str) -> LetterCounts {
        let mut counts = [0; 27];
        for c in word.chars() {
            counts[letter_slot(c)] += 1;
        }
        LetterCounts(counts)
    }

    fn bag_distance(&self, other: &str) -> u32 {
        let mut difference = self.0;
        for c in other.chars() {
            difference[letter_slot(c)] -= 1;
        }
        let (mut more, mut fewer) = (0, 0);
        for d in difference {
            if d > 0 {
                more += d as u32;
            } else {
                fewer += d.unsigned_abs() as u32;
            }
        }
        more.max(fewer)
    }
}

/// The slot of a character in [`LetterCounts`] and its bit in [`letters`].
fn letter_slot(c: char) -> usize {
    match c {
        'a'..='z' => (c as u32 - 'a' as u32) as usize,
        _ => 26,
    }
}

/// Which letters `word` has, one bit per letter (all others share one bit): a cheap first
/// check of how far apart two words can be.
fn letters(word: &str) -> u32 {
    word.chars().fold(0, |all, c| all | 1 << letter_slot(c))
}

/// The hashes of `word` itself and of each of its one-letter deletions. A deletion is hashed
/// byte by byte, so the same text hashes the same whichever letter was deleted to make it.
fn keys(word: &str) -> impl Iterator<Item = u64> + '_ {
    let hash = |skip: std::ops::Range<usize>| {
        let mut hasher = FxHasher::default();
        (word.as_bytes().iter().enumerate())
            .filter(|(i, _)| !skip.contains(i))
            .for_each(|(_, &b)| hasher.write_u8(b));
        hasher.finish()
    };
    std::iter::once(hash(0..0)).chain(
        word.char_indices()
            .map(move |(i, c)| hash(i..i + c.len_utf8())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::dictionary::tests::tiny;

    #[test]
    fn the_bag_distance_is_never_more_than_the_edit_distance() {
        let words = [
            "parkeervergunning",
            "parkeerergunnig",
            "prakeervergunning",
            "vergunning",
            "verguning",
            "afvalkalender",
            "afvalkalendre",
            "kalender",
            "ondergrondse",
            "café-terras",
            "cafeterras",
            "straatverlichting",
        ];
        for a in words {
            let counts = LetterCounts::of(a);
            for b in words {
                let (bag, edits) = (counts.bag_distance(b), strsim::osa_distance(a, b));
                assert!(bag as usize <= edits, "{a} {b}: {bag} > {edits}");
            }
        }
        // Letters swapped: no letter more or fewer.
        assert_eq!(LetterCounts::of("prakeren").bag_distance("parkeren"), 0);
        // Two letters dropped.
        assert_eq!(
            LetterCounts::of("parkeervergunning").bag_distance("parkeerergunnig"),
            2
        );
        assert_eq!(LetterCounts::of("afval").bag_distance("kalender"), 6);
    }

    fn index() -> TypoIndex {
        TypoIndex::new([
            ("paspoort", 5),
            ("afspraak", 3),
            ("rijbewijs", 2),
            ("kast", 9),
        ])
    }

    #[test]
    fn finds_one_edit_typos() {
        let index = index();
        assert_eq!(index.corrections("pasport"), ["paspoort"]); // deletion
        assert_eq!(index.corrections("afpsraak"), ["afspraak"]); // swapped letters
        assert_eq!(index.corrections("rijbwijs"), ["rijbewijs"]);
        assert_eq!(index.corrections("rijbewyjs"), ["rijbewijs"]); // insertion
    }

    #[test]
    fn a_real_word_is_no_typo_of_a_known_one() {
        let index = TypoIndex::new([("kappen", 4), ("stoep", 6), ("kapot", 2)]);
        // Without a dictionary every near word of the knowledge base looks like a typo.
        assert_eq!(index.corrections("kapper"), ["kappen"]);
        assert_eq!(index.corrections("stoel"), ["stoep"]);
        let dictionary: &'static Dictionary = Box::leak(Box::new(tiny()));
        let index = index.with_dictionary(Some(dictionary));
        assert!(index.corrections("kapper").is_empty());
        assert!(index.corrections("stoel").is_empty());
        // A word the dictionary does not know is still corrected.
        assert_eq!(index.corrections("kappot"), ["kapot"]);
    }

    #[test]
    fn a_long_word_no_word_list_knows_is_corrected_two_edits_away() {
        let dic = "2\nparkeervergunningen\nrijbewijzen\n";
        let dictionary: &'static Dictionary = Box::leak(Box::new(
            Dictionary::parse("SET UTF-8\n", dic).expect("valid dictionary"),
        ));
        let index = TypoIndex::new([("parkeervergunning", 3), ("rijbewijs", 2), ("paspoort", 5)]);
        // Without the word lists one edit only: "paspoorten" may be a real word.
        assert!(index.corrections("parkeerergunnig").is_empty());
        assert!(index.corrections("paspoorten").is_empty());
        let index = index.with_dictionary(Some(dictionary));
        assert_eq!(index.corrections("parkeerergunnig"), ["parkeervergunning"]);
        assert_eq!(index.corrections("rijbeiwjs"), ["rijbewijs"]); // two swaps
        // A real word two edits from a known one is no typo.
        assert!(index.corrections("rijbewijzen").is_empty());
        // Nor is a short word, or one whose first letter differs.
        assert!(index.corrections("pasprot").is_empty());
        assert!(index.corrections("oarkeerergunning").is_empty());
    }

    #[test]
    fn deletions_are_found_whichever_letter_made_them() {
        // "kaper" is "kapper" without either "p"; "renie" is "reünie" without its two-byte
        // "ü" and "reunie" without its "u".
        let index = TypoIndex::new([("kapper", 1), ("reünie", 1)]);
        assert_eq!(index.corrections("kaper"), ["kapper"]);
        assert_eq!(index.corrections("reunie"), ["reünie"]);
        assert_eq!(index.corrections("kappers"), ["kapper"]);
    }

    #[test]
    fn short_words_and_distant_words_are_not_corrected() {
        let index = index();
        assert!(index.corrections("kost").is_empty());
        assert!(index.corrections("paspoorten").is_empty());
    }
}
