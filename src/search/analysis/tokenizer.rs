//! Splitting resident text into words.
//!
//! Unlike tantivy's `SimpleTokenizer` this knows Dutch spelling habits: `auto's` is the plural
//! of `auto`, `m'n` is `mn`, and `id-kaart` is `id` + `kaart` and also `idkaart`, because
//! residents write all three. Pure numbers (postcodes, house numbers, BSNs) are dropped: they
//! never identify a topic and must not end up in an index.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Tokenizer for Dutch chat text.
#[derive(Clone, Default)]
pub struct WordTokenizer;

/// A fully materialised token stream; messages and articles are short.
pub struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
}

impl VecTokenStream {
    pub fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream {
            tokens,
            index: usize::MAX,
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        self.index = self.index.wrapping_add(1);
        self.index < self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index]
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(tokenize(text))
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | '´')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_apostrophe(c) || c == '-'
}

/// Splits `text` into word tokens with byte offsets and positions.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for_each_word(text, |word, from, to, position| {
        tokens.push(token(word.to_string(), from, to, position));
    });
    tokens
}

/// Calls `emit(word, offset_from, offset_to, position)` for each token [`tokenize`] makes, in
/// the same order, without allocating for a plain word (most of them): an index build runs
/// this for every word of every article, several times.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str, usize, usize, usize)) {
    let mut position = 0;
    let mut chunk_start = None;
    // Whether the chunk so far is ASCII letters and digits only, and has a letter: such a
    // chunk (most are) is a word as it stands, or no word.
    let (mut plain, mut letter) = (true, false);
    for (offset, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (chunk_start, is_word_char(c)) {
            (None, true) => {
                chunk_start = Some(offset);
                (plain, letter) = (c.is_ascii_alphanumeric(), c.is_ascii_alphabetic());
            }
            (Some(_), true) => {
                plain &= c.is_ascii_alphanumeric();
                letter |= c.is_ascii_alphabetic();
            }
            (Some(start), false) => {
                let chunk = &text[start..offset];
                if plain {
                    if letter && chunk.len() > 1 {
                        // Dropped as a stop word would be: its position stays taken.
                        let english_as = chunk.eq_ignore_ascii_case("as")
                            && is_english(line_around(text, start, offset));
                        if !english_as {
                            emit(chunk, start, offset, position);
                        }
                        position += 1;
                    }
                } else {
                    push_chunk(chunk, start, &mut position, &mut emit);
                }
                chunk_start = None;
            }
            (None, false) => {}
        }
    }
}

/// English function words that are no Dutch words: a line with one is English. Dutch "as"
/// (ashes: "de as van de open haard") is a word of its own, English "as" a function word, so
/// the tokenizer drops "as" in English lines only (the stop list has neither).
const ENGLISH_ONLY: [&str; 27] = [
    "the", "my", "your", "you", "and", "with", "for", "what", "how", "when", "where", "which",
    "who", "why", "can", "could", "should", "would", "does", "did", "has", "are", "this", "it",
    "to", "from", "about",
];

/// The line of `text` that holds `text[from..to]`: an article's example questions are one
/// text, a line each, and only some of them English.
fn line_around(text: &str, from: usize, to: usize) -> &str {
    let start = text[..from].rfind('\n').map_or(0, |i| i + 1);
    let end = text[to..].find('\n').map_or(text.len(), |i| to + i);
    &text[start..end]
}

fn is_english(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|word| ENGLISH_ONLY.iter().any(|e| word.eq_ignore_ascii_case(e)))
}

fn push_chunk(
    chunk: &str,
    start: usize,
    position: &mut usize,
    emit: &mut impl FnMut(&str, usize, usize, usize),
) {
    let end = start + chunk.len();
    // `'s avonds`: a lone 's is the old genitive article, not a word.
    let trimmed = chunk.trim_matches(|c: char| is_apostrophe(c) || c == '-');
    let word = strip_plural_apostrophe(strip_clitic(trimmed));
    if !word.contains(|c: char| is_apostrophe(c) || c == '-') {
        if is_word(word) {
            emit(word, start, end, *position);
            *position += 1;
        }
        return;
    }
    let parts: Vec<String> = word
        .split('-')
        .map(|part| {
            part.chars()
                .filter(|c| !is_apostrophe(*c))
                .collect::<String>()
        })
        .filter(|part| is_word(part))
        .collect();
    if parts.is_empty() {
        return;
    }
    let first_position = *position;
    if parts.len() > 1 {
        emit(&parts.concat(), start, end, first_position);
    }
    for part in parts {
        emit(&part, start, end, *position);
        *position += 1;
    }
}

/// `zo'n` → `zo`, `I'd` → `I`, `we're` → `we`, `don't` → nothing: a clitic after an
/// apostrophe is a function word of its own ("een", "would", "are", "not"), and glued to its
/// word it made another one: "zon" (the sun), "id" (the ID card), "were", "dont". Only the
/// clitic goes, so the rest is a stop word or a letter, dropped as before. `m'n` and `z'n`
/// keep their letters (`mn`, `zn`, stop words like `mijn`); `zzp'er` is one word.
fn strip_clitic(word: &str) -> &str {
    let Some((at, apostrophe)) = word.char_indices().rev().find(|&(_, c)| is_apostrophe(c)) else {
        return word;
    };
    let (stem, clitic) = (&word[..at], &word[at + apostrophe.len_utf8()..]);
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    if is(clitic, "t") && NEGATED.iter().any(|n| is(stem, n)) {
        return "";
    }
    let glued = if is(clitic, "n") {
        stem.chars().count() > 1
    } else {
        ENGLISH_CLITICS.iter().any(|c| is(clitic, c))
    };
    if glued { stem } else { word }
}

/// English clitics: `I'm`, `you're`, `we've`, `I'll`, `I'd`.
const ENGLISH_CLITICS: [&str; 5] = ["m", "re", "ve", "ll", "d"];

/// English verbs before `n't`, all function words.
const NEGATED: [&str; 20] = [
    "don", "doesn", "didn", "can", "couldn", "won", "wouldn", "shouldn", "isn", "aren", "wasn",
    "weren", "haven", "hasn", "hadn", "mustn", "needn", "shan", "ain", "mightn",
];

/// `auto's` → `auto`, `baby's` → `baby`: the apostrophe-s plural of words ending in a vowel.
fn strip_plural_apostrophe(word: &str) -> &str {
    for apostrophe in ['\'', '’', '‘', '`', '´'] {
        let suffix_len = apostrophe.len_utf8() + 1;
        if word.len() > suffix_len + 1
            && word.ends_with('s')
            && word[..word.len() - 1].ends_with(apostrophe)
        {
            return &word[..word.len() - suffix_len];
        }
    }
    word
}

/// Single letters and numbers carry no topic.
fn is_word(part: &str) -> bool {
    part.chars().count() > 1 && part.chars().any(char::is_alphabetic)
}

fn token(text: String, from: usize, to: usize, position: usize) -> Token {
    Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn apostrophes_plurals_and_hyphens() {
        assert_eq!(words("auto's en baby's"), ["auto", "en", "baby"]);
        assert_eq!(words("m'n kliko 's avonds"), ["mn", "kliko", "avonds"]);
        assert_eq!(words("ID-kaart"), ["IDkaart", "ID", "kaart"]);
    }

    #[test]
    fn clitics_are_not_glued_to_their_word() {
        assert_eq!(words("zo'n pas, z'n pas"), ["zo", "pas", "zn", "pas"]);
        assert_eq!(
            words("I'd like my ID, we're here"),
            ["like", "my", "ID", "we", "here"]
        );
        assert_eq!(words("I don't know, it isn't open"), ["know", "it", "open"]);
        assert_eq!(words("zzp'er, d'r fiets"), ["zzper", "dr", "fiets"]);
    }

    #[test]
    fn numbers_emoji_and_punctuation_are_dropped() {
        assert_eq!(
            words("3744 KT 12, bsn 999955597 :( 😱 ok?"),
            ["KT", "bsn", "ok"]
        );
    }

    #[test]
    fn hyphenated_parts_share_the_first_position() {
        let positions: Vec<usize> = tokenize("gft-bak vol").iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 0, 1, 2]);
    }
}
