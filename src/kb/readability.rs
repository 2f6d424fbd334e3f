//! Language-level B1 hints for an answer, for the editor: Dutch government writes at B1.
//!
//! Hints, not rules: long sentences (over [`MAX_SENTENCE_WORDS`] words), long words (over
//! [`MAX_SYLLABLES`] syllables or [`MAX_LETTERS`] letters), and the passive voice (a form of
//! "worden" or "zijn" with a past participle, or "wordt … door"). Each hint quotes its
//! sentence. The text is read as a resident sees it: Markdown markup and link targets are
//! not words, and web addresses, e-mail addresses and numbers are never "long words".

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::parse::{MAX_BODY_WORDS, body_words};

/// B1 guidance: a sentence of more than this many words is hard to follow.
pub const MAX_SENTENCE_WORDS: usize = 20;
/// A word of more than this many syllables is hard to read.
pub const MAX_SYLLABLES: usize = 4;
/// A word of more than this many letters is hard to read.
pub const MAX_LETTERS: usize = 14;

/// What the editor sees under the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readability {
    /// Words as `kb check` counts them.
    pub words: usize,
    /// The most `kb check` accepts.
    pub limit: usize,
    pub hints: Vec<Hint>,
}

impl Readability {
    pub fn over_limit(&self) -> bool {
        self.words > self.limit
    }
}

/// One thing that may make the answer harder to read than B1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub kind: HintKind,
    /// The sentence, as the resident reads it.
    pub sentence: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HintKind {
    LongSentence {
        words: usize,
    },
    LongWords(Vec<String>),
    /// The auxiliary and the participle (or "door") that make it passive.
    Passive {
        auxiliary: String,
        participle: String,
    },
}

impl Hint {
    /// The hint in Dutch, u-form, without the sentence.
    pub fn message(&self) -> String {
        match &self.kind {
            HintKind::LongSentence { words } => format!(
                "Lange zin: {words} woorden. Houd zinnen bij voorkeur onder {} woorden.",
                MAX_SENTENCE_WORDS + 1
            ),
            HintKind::LongWords(words) => format!(
                "Lang woord: {}. Kunt u een korter of bekender woord gebruiken?",
                words
                    .iter()
                    .map(|w| format!("„{w}”"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            HintKind::Passive {
                auxiliary,
                participle,
            } => format!(
                "Lijdende vorm („{auxiliary} … {participle}”). Schrijf actief: wie doet wat?"
            ),
        }
    }
}

/// The B1 hints for `body` (Markdown), in the order of its sentences.
pub fn check(body: &str) -> Readability {
    let mut hints = Vec::new();
    for sentence in sentences(body) {
        let words: Vec<&str> = sentence.split_whitespace().filter_map(word).collect();
        if words.len() > MAX_SENTENCE_WORDS {
            hints.push(Hint {
                kind: HintKind::LongSentence { words: words.len() },
                sentence: sentence.clone(),
            });
        }
        let long: Vec<String> = words
            .iter()
            .filter(|w| is_long(w))
            .map(|w| w.to_string())
            .collect();
        if !long.is_empty() {
            hints.push(Hint {
                kind: HintKind::LongWords(long),
                sentence: sentence.clone(),
            });
        }
        if let Some((auxiliary, participle)) = passive(&words) {
            hints.push(Hint {
                kind: HintKind::Passive {
                    auxiliary,
                    participle,
                },
                sentence,
            });
        }
    }
    Readability {
        words: body_words(body.trim()),
        limit: MAX_BODY_WORDS,
        hints,
    }
}

/// The text a resident reads, one sentence each: paragraphs, list items and headings end
/// a sentence, as do `.`, `!` and `?` before a space.
fn sentences(markdown: &str) -> Vec<String> {
    let mut blocks = vec![String::new()];
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => {
                if let Some(block) = blocks.last_mut() {
                    block.push_str(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(block) = blocks.last_mut() {
                    block.push(' ');
                }
            }
            Event::Start(Tag::Item | Tag::Paragraph | Tag::Heading { .. })
            | Event::End(TagEnd::Item | TagEnd::Paragraph | TagEnd::Heading(_)) => {
                blocks.push(String::new());
            }
            _ => {}
        }
    }
    let mut sentences = Vec::new();
    for block in blocks {
        let mut sentence = String::new();
        let mut words = block.split_whitespace().peekable();
        while let Some(w) = words.next() {
            if !sentence.is_empty() {
                sentence.push(' ');
            }
            sentence.push_str(w);
            let ends = w.ends_with(['.', '!', '?']) && !is_abbreviation(w);
            if ends || words.peek().is_none() {
                sentences.push(std::mem::take(&mut sentence));
            }
        }
    }
    sentences.retain(|s| s.split_whitespace().any(|w| word(w).is_some()));
    sentences
}

/// Abbreviations whose full stop does not end a sentence.
fn is_abbreviation(token: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "bijv.", "bv.", "o.a.", "d.w.z.", "m.b.v.", "i.v.m.", "t.o.v.", "z.s.m.", "ca.", "nr.",
        "tel.", "incl.", "excl.", "max.", "min.", "enz.", "etc.", "mevr.", "dhr.",
    ];
    let lower = token.to_lowercase();
    ABBREVIATIONS.contains(&lower.trim_start_matches(['(', '*', '_']))
}

/// A token as a word: punctuation around it removed; `None` when nothing is left.
fn word(token: &str) -> Option<&str> {
    let word = token.trim_matches(|c: char| !c.is_alphanumeric());
    (!word.is_empty()).then_some(word)
}

/// Web and e-mail addresses, paths and numbers are not words to shorten.
fn is_address_or_number(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || lower.contains(['/', '@'])
        || lower.contains(".nl")
        || lower.contains(".example")
        || !word.chars().any(char::is_alphabetic)
}

fn is_long(word: &str) -> bool {
    if is_address_or_number(word) {
        return false;
    }
    word.chars().filter(|c| c.is_alphabetic()).count() > MAX_LETTERS
        || syllables(word) > MAX_SYLLABLES
}

/// Dutch syllables, approximately: groups of vowels (`ij` counts as one; a diaeresis, as in
/// "geëmigreerd", starts a new syllable).
pub fn syllables(word: &str) -> usize {
    let mut count = 0;
    let mut in_vowels = false;
    let mut previous = ' ';
    for c in word.to_lowercase().chars() {
        let diaeresis = matches!(c, 'ë' | 'ï' | 'ü' | 'ö' | 'ä');
        let vowel = diaeresis
            || matches!(
                c,
                'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'é' | 'è' | 'ê' | 'á' | 'ó' | 'ú'
            )
            || (c == 'j' && previous == 'i');
        if vowel && (!in_vowels || diaeresis) {
            count += 1;
        }
        in_vowels = vowel;
        previous = c;
    }
    count.max(1)
}

const WORDEN: &[&str] = &["word", "wordt", "worden", "werd", "werden", "geworden"];
const ZIJN: &[&str] = &["is", "zijn", "was", "waren", "ben", "bent", "geweest"];
/// Separable prefixes that come before `ge` in a participle ("aangevraagd", "opgehaald").
const SEPARABLE: &[&str] = &[
    "aan", "af", "bij", "door", "in", "mee", "na", "neer", "om", "op", "over", "terug", "toe",
    "uit", "vast", "voor", "weg",
];
/// Inseparable prefixes: their participles have no `ge` ("betaald", "verstuurd", "ontvangen").
const INSEPARABLE: &[&str] = &["be", "ver", "ont", "her", "er"];
/// Words shaped like a participle that are not one: nouns, adjectives, and present tenses
/// of verbs that start with `ge` ("gebeurt", "geeft").
#[rustfmt::skip]
const NOT_PARTICIPLES: &[&str] = &[
    "gebied", "gebieden", "geld", "gelden", "geldt", "gemeenten", "gevolgen", "gezond", "gebed",
    "gebit", "gelegenheden", "gewoonten", "gezicht", "gedicht", "gewicht", "gericht", "gebeurt",
    "gebeuren", "geeft", "geven", "gaat", "gaan", "geniet", "genieten",
];

/// The auxiliary and participle of a passive sentence, if it has one.
fn passive(words: &[&str]) -> Option<(String, String)> {
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let worden = lower.iter().find(|w| WORDEN.contains(&w.as_str()));
    let zijn = lower.iter().find(|w| ZIJN.contains(&w.as_str()));
    let auxiliary = worden.or(zijn)?;
    let participle = lower
        .iter()
        .filter(|w| *w != auxiliary)
        .find(|w| is_ge_participle(w) || (worden.is_some() && is_prefixed_participle(w)));
    if let Some(participle) = participle {
        return Some((auxiliary.clone(), participle.clone()));
    }
    // "Het formulier wordt door de gemeente verwerkt."
    let worden = worden?;
    lower
        .iter()
        .any(|w| w == "door")
        .then(|| (worden.clone(), "door".to_string()))
}

/// `ge…d`, `ge…t` or `ge…en`, after an optional separable prefix: "geleegd", "opgehaald".
fn is_ge_participle(word: &str) -> bool {
    if NOT_PARTICIPLES.contains(&word) || word.ends_with("heid") || word.ends_with("heden") {
        return false;
    }
    let rest = without_separable_prefix(word, &["ge"]);
    let Some(stem) = rest.strip_prefix("ge") else {
        return false;
    };
    has_participle_ending(stem)
}

/// `be…d`, `ver…d`, `ont…en` (also after a separable prefix: "terugbetaald"): participles
/// without `ge`, counted only next to "worden". Not `…t`: "verstuurt", "erkent" and "bewaart"
/// are present tenses, so "bereikt" is missed rather than those flagged.
fn is_prefixed_participle(word: &str) -> bool {
    let rest = without_separable_prefix(word, INSEPARABLE);
    INSEPARABLE
        .iter()
        .find_map(|p| rest.strip_prefix(p))
        .is_some_and(|stem| has_participle_ending(stem) && !stem.ends_with('t'))
}

/// `word` without a separable prefix that is followed by one of `then` ("op|ge|haald").
fn without_separable_prefix<'w>(word: &'w str, then: &[&str]) -> &'w str {
    SEPARABLE
        .iter()
        .find_map(|p| {
            word.strip_prefix(p)
                .filter(|rest| then.iter().any(|t| rest.starts_with(t)))
        })
        .unwrap_or(word)
}

fn has_participle_ending(stem: &str) -> bool {
    let letters = stem.chars().count();
    letters >= 3 && (stem.ends_with(['d', 't']) || (letters >= 4 && stem.ends_with("en")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(body: &str) -> Vec<HintKind> {
        check(body).hints.into_iter().map(|h| h.kind).collect()
    }

    #[test]
    fn a_short_active_sentence_has_no_hints() {
        assert!(kinds("U zet de container op de stoep. Wij legen hem op dinsdag.").is_empty());
    }

    #[test]
    fn a_sentence_over_twenty_words_is_quoted() {
        let long = "Als u een nieuwe container wilt hebben omdat de oude kapot is dan kunt u \
                    die aanvragen via de website of door te bellen met ons.";
        let report = check(&format!("Dat kan. {long} Bel ons."));
        let hint = report
            .hints
            .iter()
            .find(|h| matches!(h.kind, HintKind::LongSentence { .. }))
            .expect("a long-sentence hint");
        assert_eq!(hint.kind, HintKind::LongSentence { words: 26 });
        assert_eq!(hint.sentence, long);
        let twenty = "een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien \
                      veertien vijftien zestien zeventien achttien negentien twintig.";
        assert!(kinds(twenty).is_empty());
    }

    #[test]
    fn long_words_are_named_but_not_addresses_or_markup() {
        assert_eq!(
            kinds("Vraag een omgevingsvergunning aan."),
            vec![HintKind::LongWords(vec!["omgevingsvergunning".into()])]
        );
        assert_eq!(
            kinds("Dit is gemeentelijke informatie."),
            vec![HintKind::LongWords(vec!["gemeentelijke".into()])]
        );
        assert!(
            kinds(
                "Kijk op [www.dijkstede.example/afvalkalender](/afvalkalender) of \
                 https://www.rijksoverheid.nl/onderwerpen/paspoort. Mail info@dijkstede.example."
            )
            .is_empty()
        );
        assert!(kinds("Bel **14 0347**.").is_empty());
    }

    #[test]
    fn syllables_are_counted_the_dutch_way() {
        assert_eq!(syllables("kliko"), 2);
        assert_eq!(syllables("paspoort"), 2);
        assert_eq!(syllables("gemeentelijke"), 5);
        assert_eq!(syllables("geëmigreerd"), 4);
        assert_eq!(syllables("vrij"), 1);
    }

    #[test]
    fn the_passive_voice_is_found() {
        for (sentence, aux, participle) in [
            (
                "De grijze container wordt elke 2 weken geleegd.",
                "wordt",
                "geleegd",
            ),
            ("Uw pas is gisteren opgehaald.", "is", "opgehaald"),
            (
                "De kosten worden niet terugbetaald.",
                "worden",
                "terugbetaald",
            ),
            (
                "De pas wordt binnen 5 dagen verstuurd.",
                "wordt",
                "verstuurd",
            ),
            ("Als de pas gestolen is, blokkeer hem.", "is", "gestolen"),
            (
                "Het formulier wordt door de gemeente bekeken.",
                "wordt",
                "bekeken",
            ),
            (
                "De aanvraag werd door een collega afgehandeld.",
                "werd",
                "afgehandeld",
            ),
        ] {
            assert_eq!(
                kinds(sentence),
                vec![HintKind::Passive {
                    auxiliary: aux.into(),
                    participle: participle.into()
                }],
                "{sentence}"
            );
        }
        assert_eq!(
            kinds("Uw melding wordt door ons snel opgepakt!"),
            vec![HintKind::Passive {
                auxiliary: "wordt".into(),
                participle: "opgepakt".into()
            }]
        );
        assert_eq!(
            kinds("De aanvraag wordt door ons behandeld")[0],
            HintKind::Passive {
                auxiliary: "wordt".into(),
                participle: "behandeld".into()
            }
        );
        assert!(matches!(
            &kinds("Het werk wordt door de aannemer morgen uitgevoerd")[..],
            [HintKind::Passive { .. }]
        ));
    }

    #[test]
    fn active_sentences_with_similar_words_are_not_passive() {
        for sentence in [
            "U betaalt het bedrag zelf.",
            "Dit gebied is groot.",
            "Het is gezond om te fietsen.",
            "De gemeenten zijn klein.",
            "Het wordt beter.",
            "Wij versturen de pas.",
            "Dan wordt u pas ouder als u het kind erkent.",
            "Bewaart u het zelf, dan wordt u eigenaar.",
            "Dat gebeurt in de gemeente, die is open.",
            "Dan geeft de bewoner toestemming, dat zijn de regels.",
        ] {
            assert!(
                kinds(sentence).is_empty(),
                "{sentence}: {:?}",
                kinds(sentence)
            );
        }
    }

    #[test]
    fn list_items_and_abbreviations_split_sentences_as_a_resident_reads_them() {
        assert_eq!(
            sentences("Neem mee:\n\n- uw paspoort\n- bijv. een foto\n\nKlaar. Bel ons!"),
            vec![
                "Neem mee:",
                "uw paspoort",
                "bijv. een foto",
                "Klaar.",
                "Bel ons!"
            ]
        );
    }

    #[test]
    fn the_word_count_is_the_one_kb_check_uses() {
        let body = "**Let op:** dit zijn [zes](/x) woorden.";
        let report = check(body);
        assert_eq!(report.words, 6);
        assert_eq!(report.limit, MAX_BODY_WORDS);
        assert!(!report.over_limit());
        assert!(check(&"woord ".repeat(MAX_BODY_WORDS + 1)).over_limit());
    }
}
