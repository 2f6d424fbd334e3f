//! Ids for new articles, made from their titles.

use unicode_normalization::UnicodeNormalization;

/// Longest slug made from a title; it is cut at a word boundary at or below this.
pub const MAX_SLUG_CHARS: usize = 60;

/// What a title without any letters or digits becomes.
const FALLBACK: &str = "artikel";

/// The kebab-case id for `title`: accents folded to ASCII (é → e, ë → e, ß → ss), everything
/// that is not a letter or digit a word break, at most [`MAX_SLUG_CHARS`] characters cut at a
/// word boundary. `"Paspoort aanvragen: zo werkt het"` → `paspoort-aanvragen-zo-werkt-het`.
pub fn slug(title: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in title.nfkd().flat_map(fold) {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let mut slug = String::new();
    for word in words {
        let extra = usize::from(!slug.is_empty()) + word.len();
        if slug.len() + extra > MAX_SLUG_CHARS {
            if slug.is_empty() {
                slug.push_str(&word[..MAX_SLUG_CHARS]);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word);
    }
    if slug.is_empty() {
        FALLBACK.to_string()
    } else {
        slug
    }
}

/// `slug(title)`, or with `-2`, `-3`, … appended: the first that `taken` does not hold.
pub fn unique_slug(title: &str, taken: impl Fn(&str) -> bool) -> String {
    let base = slug(title);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
}

/// One character after compatibility decomposition: combining marks (the accents NFKD split
/// off) are dropped, a few letters without a decomposition are spelled out, ASCII stays.
fn fold(c: char) -> impl Iterator<Item = char> {
    let spelled: &str = match c {
        'ß' => "ss",
        'æ' | 'Æ' => "ae",
        'œ' | 'Œ' => "oe",
        'ø' | 'Ø' => "o",
        'ł' | 'Ł' => "l",
        'đ' | 'Đ' => "d",
        _ => "",
    };
    let keep = if c.is_ascii() { Some(c) } else { None };
    let space = if keep.is_none() && spelled.is_empty() && !is_combining(c) {
        Some(' ')
    } else {
        None
    };
    keep.into_iter().chain(spelled.chars()).chain(space)
}

/// Combining diacritical marks, as NFKD leaves them after a base letter.
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}')
}
