//! From a resident's message to a tantivy query.
//!
//! The message is analysed with the index's own chain; resident text never goes through
//! tantivy's `QueryParser` (`auto's`, `:(` and `AND` would be syntax there). Each word of the
//! message becomes a group of weighted terms: its stem, its compound parts, synonyms and typo
//! corrections. Each term searches all article parts at once (a disjunction-max, so a word
//! counts once, in its best part) plus the whole article as one text, and the terms are
//! OR-ed together.

use std::collections::HashMap;

use tantivy::Term;
use tantivy::query::Query;
use tantivy::tokenizer::TextAnalyzer;

use super::analysis::analyze;
use super::closing;
use super::dictionary;
use super::engine::Snapshot;
use super::index::{Containment, NEGATED_WORDS, Part};
use super::links;
use super::names;
use super::places::{self, Word};
use super::times;
use super::words_query::{Alternative, WordsQuery};

/// How strongly each article part counts.
fn part_boost(part: Part) -> f32 {
    match part {
        Part::Title => 2.5,
        Part::Questions => 2.0,
        Part::Keywords => 1.5,
        Part::Body => 1.0,
    }
}
/// How strongly the whole-article match counts next to the best part. The parts reward a word
/// in the title or an example question; the whole article, scored as one text (a plain BM25),
/// rewards an article that uses the message's words often and across its parts, which the
/// best-part score cannot see. Chosen on `dev.tsv` (hit@1 0.949 → 0.961 at 2.0, falling above
/// 3); see the README's evaluation for the near-miss set.
const WHOLE_BOOST: f32 = 2.0;
/// A term's matches in other article parts still count a little.
const PART_TIE_BREAKER: f32 = 0.2;
/// A word's other forms (parts, synonyms) still count a little.
const TERM_TIE_BREAKER: f32 = 0.2;

/// Where a term of the query comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The word itself.
    Word,
    /// A part of a compound word.
    Part,
    /// A synonym from `kb/synonyms.txt`.
    Synonym,
    /// A known word one edit away from an unknown word.
    Typo,
}

impl Origin {
    /// What a term of this origin weighs in the query (a synonym of several words shares
    /// it among them).
    pub fn weight(self) -> f32 {
        match self {
            Origin::Word => 1.0,
            Origin::Part => 0.5,
            Origin::Synonym => 0.8,
            // Only a word that is no word is corrected (see `TypoIndex`): it stands for its
            // correction. At 0.7 (until 2026-12-05) one typo in a message's main word often
            // let a word the resident typed right decide ("strooizouut … stoep" went to the
            // pavement): with typos added to every answerable `dev.tsv` message
            // (`benches/robustness/typos.py`, five draws), hit@1 was 0.941 on average, 0.952
            // at 1.0; `dev.tsv` and `nearmiss.tsv` themselves did not change.
            Origin::Typo => 1.0,
        }
    }
}

/// One index term the query searches for.
#[derive(Debug, Clone)]
pub struct QueryTerm {
    pub term: String,
    pub origin: Origin,
    pub weight: f32,
    /// The term's id in the index, if any article contains it.
    pub id: Option<u32>,
}

/// One word of the message and everything it searches for.
#[derive(Debug, Clone)]
pub struct QueryWord {
    /// The word as analysed for display (lowercase, folded).
    pub text: String,
    pub terms: Vec<QueryTerm>,
    /// The word tells when ("dinsdag", "vorige week", see [`super::times`]): it is searched
    /// and explains like any word, but it is never what the message is about (its head) nor
    /// an unknown word.
    pub context: bool,
    /// The word is a later part of the hyphenated word before it ("pad" after "fiets-pad",
    /// whose first part and whole are that word's terms): searched as a word of its own,
    /// but not shown again.
    pub later_part: bool,
    /// A typo nothing corrects: no article has it, and the word lists know it in no case
    /// ("spiegelgald", "dringnd"; see [`QueryPlan::mark_non_words`]). It is no part of what
    /// the message is about, and counts nowhere in the confidence.
    pub no_word: bool,
    /// The word of the knowledge base this one is a typo of (its first correction): shown
    /// where the card names a word the article lacks ("strooizout", not "strooizoutt").
    pub corrected: Option<String>,
    /// The word asks the kind of answer wanted, after "hoe" or "how" ("hoe lang", "hoe
    /// hoog", "how often"): searched and counted like any word, but a card names it neither
    /// as found nor as missing ("Niet in dit artikel: hoog" for "hoe hoog is de boete").
    pub asks_kind: bool,
}

impl QueryWord {
    /// How well the article contains this word: the best containment of any of its terms.
    pub fn containment(&self, snapshot: &Snapshot, ord: usize) -> Option<Containment> {
        self.terms
            .iter()
            .filter_map(|t| t.id)
            .filter_map(|id| snapshot.index.terms.containment(ord, id))
            .max()
    }

    /// [`containment`](Self::containment) without the terms the article has only after a
    /// negation: "oprit" is not found in an article for residents with "geen eigen oprit".
    pub fn affirmed_containment(&self, snapshot: &Snapshot, ord: usize) -> Option<Containment> {
        let terms = &snapshot.index.terms;
        self.terms
            .iter()
            .filter_map(|t| t.id)
            .filter(|&id| !terms.only_negated(ord, id))
            .filter_map(|id| terms.containment(ord, id))
            .max()
    }

    /// Whether the article's opening condition negates this word (or a synonym of it) and
    /// nothing else of the article has it ("geen eigen oprit"); the caller has found it not
    /// otherwise ([`affirmed_containment`](Self::affirmed_containment) is `None`).
    pub fn excluded_by(&self, snapshot: &Snapshot, ord: usize) -> bool {
        let terms = &snapshot.index.terms;
        (self.terms.iter().filter_map(|t| t.id)).any(|id| terms.excludes(ord, id))
    }

    /// Whether the article has this compound only in part: some of its parts but not all,
    /// and not the word itself (nor a synonym or typo correction of it). "kentekencard" in an
    /// article about a "card" for something else.
    pub fn partly_contained(&self, snapshot: &Snapshot, ord: usize) -> bool {
        let terms = &snapshot.index.terms;
        let has = |t: &QueryTerm| t.id.is_some_and(|id| terms.containment(ord, id).is_some());
        let (parts, whole): (Vec<&QueryTerm>, Vec<&QueryTerm>) =
            self.terms.iter().partition(|t| t.origin == Origin::Part);
        let found = parts.iter().filter(|t| has(t)).count();
        parts.len() >= 2 && found > 0 && found < parts.len() && !whole.iter().any(|t| has(t))
    }

    /// Whether any of this word's terms is in the article's title.
    pub fn in_title(&self, snapshot: &Snapshot, ord: usize) -> bool {
        self.terms
            .iter()
            .filter_map(|t| t.id)
            .any(|id| snapshot.index.terms.in_title(ord, id))
    }

    /// How specific the word is: the idf of its own stem; for a misspelled word, that of the
    /// likeliest word it stands for ("afsraak" is as common as "afspraak"); for a word the
    /// knowledge base does not know at all, the idf of an unseen term (above any known word's).
    pub fn specificity(&self, snapshot: &Snapshot) -> f32 {
        let terms = &snapshot.index.terms;
        let own = (self.terms.iter())
            .filter(|t| t.origin == Origin::Word)
            .filter_map(|t| t.id)
            .map(|id| terms.idf(id))
            .fold(None, |best: Option<f32>, idf| {
                Some(best.map_or(idf, |b| b.max(idf)))
            });
        // Corrections come likeliest first.
        let corrected = || {
            (self.terms.iter())
                .filter(|t| t.origin == Origin::Typo)
                .find_map(|t| t.id)
                .map(|id| terms.idf(id))
        };
        own.or_else(corrected)
            .unwrap_or_else(|| terms.unknown_idf())
    }
}

/// Words of a message that say what follows is absent: "geen oprit", "no driveway".
const MESSAGE_NEGATIONS: [&str; 4] = ["geen", "zonder", "no", "without"];

/// The analysed message.
#[derive(Debug, Clone, Default)]
pub struct QueryPlan {
    pub words: Vec<QueryWord>,
}

impl QueryPlan {
    pub fn new(snapshot: &Snapshot, message: &str) -> QueryPlan {
        let mut analyzer = snapshot.analyzer.clone();
        // Show residents' words as written (normalised), not as stems.
        let shown: HashMap<usize, String> = match &snapshot.surface {
            Some(surface) => {
                let mut words = analyze(&mut surface.clone(), message);
                words.dedup_by_key(|(position, _)| *position);
                words.into_iter().collect()
            }
            None => HashMap::new(),
        };
        let left_out = LeftOut::new(snapshot, message);
        let mut words: Vec<QueryWord> = Vec::new();
        let mut last_position = usize::MAX;
        for (position, term) in analyze(&mut analyzer, message) {
            if left_out.skips(position) {
                continue;
            }
            let origin = if position == last_position {
                Origin::Part
            } else {
                Origin::Word
            };
            if origin == Origin::Word {
                let text = shown
                    .get(&position)
                    .cloned()
                    .unwrap_or_else(|| term.clone());
                words.push(QueryWord {
                    text,
                    terms: Vec::new(),
                    context: left_out.is_context(position),
                    later_part: left_out.same_word(last_position, position),
                    no_word: false,
                    corrected: None,
                    asks_kind: left_out.asks_kind(position),
                });
                last_position = position;
            }
            if let Some(word) = words.last_mut() {
                push_term(word, snapshot, term, origin, 1.0);
            }
        }
        let mut plan = QueryPlan { words };
        if snapshot.pipeline.fuzzy {
            plan.add_typo_corrections(snapshot);
        }
        if snapshot.pipeline.synonyms {
            plan.add_synonyms(snapshot);
        }
        plan
    }

    /// Marks the words that are no words: no article has them nor a correction of them, and
    /// the word lists know them in no case, nor as a compound of their words ("spiegelgald",
    /// "parkeerergunnig", "dringnd"; not "parasolvergunning"). They are typos beyond
    /// correcting and match nothing either way; but counted, such a word was the message's
    /// most specific word, missing from every article, and sank the confidence in the right
    /// one: typos added to every answerable `dev.tsv` message (`benches/robustness/typos.py`)
    /// cost the bot a tenth of its answers. A real word no article knows still counts: it may
    /// be what the knowledge base cannot answer ("studiefinanciering"). So does a word of a
    /// question the articles list as not answered ("urngraf"), which only the word lists
    /// would call a typo: the comparison with those questions sees every word. Without the
    /// word lists (or typo correction) no word can be told from a typo, and none is marked.
    /// Only the confidence reads the mark, so only [`suggest`](super::suggest) makes it.
    pub(super) fn mark_non_words(&mut self, snapshot: &Snapshot) {
        let (true, Some(dictionary), Some(lexicon)) = (
            snapshot.pipeline.fuzzy,
            dictionary::system(),
            &snapshot.lexicon,
        ) else {
            return;
        };
        for word in &mut self.words {
            word.no_word = !word.terms.iter().any(|t| t.id.is_some())
                && !lexicon.knows(&word.text)
                && !dictionary.knows_compound(&word.text);
        }
    }

    /// Unknown words (not in any article, not a known word) get their one-edit neighbours,
    /// compounds too ("passoort" splits into "pas" and "soort" but is "paspoort").
    fn add_typo_corrections(&mut self, snapshot: &Snapshot) {
        let Some(lexicon) = &snapshot.lexicon else {
            return;
        };
        // Cloned only when a word has corrections: most messages have none.
        let mut analyzer: Option<TextAnalyzer> = None;
        for word in &mut self.words {
            let known = word
                .terms
                .iter()
                .any(|t| t.origin == Origin::Word && t.id.is_some());
            if known || lexicon.knows(&word.text) {
                continue;
            }
            let corrections = snapshot.typos.corrections(&word.text);
            word.corrected = corrections.first().map(|c| c.to_string());
            for correction in corrections {
                let analyzer = analyzer.get_or_insert_with(|| snapshot.analyzer.clone());
                // The correction itself, then its compound parts, which count as parts do.
                for (i, (_, term)) in analyze(analyzer, correction).into_iter().enumerate() {
                    let share = if i == 0 { 1.0 } else { Origin::Part.weight() };
                    push_term(word, snapshot, term, Origin::Typo, share);
                }
            }
        }
    }

    fn add_synonyms(&mut self, snapshot: &Snapshot) {
        // A misspelled word has the synonyms of the word it stands for ("strooizoutt").
        let primaries: Vec<String> = (self.words.iter())
            .map(|w| {
                let own = w.terms.first().filter(|t| t.id.is_some());
                let corrected = || w.terms.iter().find(|t| t.origin == Origin::Typo);
                (own.or_else(corrected).or(w.terms.first()))
                    .map(|t| t.term.clone())
                    .unwrap_or_default()
            })
            .collect();
        let primaries: Vec<&str> = primaries.iter().map(String::as_str).collect();
        let dictionary = dictionary::system();
        for (start, sources) in snapshot.synonyms.expand(&primaries) {
            let word = &self.words[start].text;
            let applying: Vec<_> = (sources.iter())
                .filter(|source| source.applies_to(word, dictionary))
                .collect();
            for target in applying.iter().flat_map(|source| &source.targets) {
                // A multi-word synonym shares the weight of the one word it replaces.
                let share = 1.0 / target.len() as f32;
                for term in target {
                    push_term(
                        &mut self.words[start],
                        snapshot,
                        term.clone(),
                        Origin::Synonym,
                        share,
                    );
                }
            }
        }
    }

    /// Per word: whether the message has it right after a negation, at most
    /// [`NEGATED_WORDS`] words before it ("ik heb geen eigen oprit", "I have no driveway").
    /// Read from the message as written: English "no" is a stop word.
    pub fn negated(&self, message: &str) -> Vec<bool> {
        let written = places::written_words(message);
        let negated: Vec<&str> = (0..written.len())
            .filter(|&i| {
                written[i.saturating_sub(NEGATED_WORDS)..i]
                    .iter()
                    .any(|w| MESSAGE_NEGATIONS.contains(&w.lower.as_str()))
            })
            .map(|i| written[i].lower.as_str())
            .collect();
        (self.words.iter())
            .map(|w| negated.contains(&w.text.as_str()))
            .collect()
    }

    /// Whether the message has any word an article could match.
    pub fn is_empty(&self) -> bool {
        self.words
            .iter()
            .all(|w| w.terms.iter().all(|t| t.id.is_none()))
    }

    /// The tantivy query: per word the best of its terms (the word itself, its parts,
    /// synonyms, corrections), and the words OR-ed. Taking the best rather than the sum
    /// keeps a word with five synonyms from counting five times. Each term searches every
    /// article part, counting mostly the best part, plus the whole article ([`WordsQuery`]
    /// scores the nesting as tantivy's `DisjunctionMaxQuery`s and `BooleanQuery` would,
    /// without their buffers).
    pub fn to_query(&self, snapshot: &Snapshot) -> Box<dyn Query> {
        let terms = &snapshot.index.terms;
        let words = self
            .words
            .iter()
            .map(|word| {
                (word.terms.iter())
                    .filter_map(|t| Some((t, t.id?)))
                    .map(|(t, id)| Alternative {
                        boost: t.weight,
                        whole: (snapshot.pipeline.whole).then(|| {
                            (
                                Term::from_field_text(snapshot.index.all, &t.term),
                                WHOLE_BOOST,
                            )
                        }),
                        // A part no article has the term in scores nothing: not searched.
                        parts: Part::ALL
                            .into_iter()
                            .zip(snapshot.index.fields)
                            .filter(|&(part, _)| terms.occurs_in(id, part))
                            .map(|(part, field)| {
                                (Term::from_field_text(field, &t.term), part_boost(part))
                            })
                            .collect(),
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|alternatives| !alternatives.is_empty())
            .collect();
        Box::new(WordsQuery {
            words,
            part_tie_breaker: PART_TIE_BREAKER,
            term_tie_breaker: TERM_TIE_BREAKER,
            weights: Some(snapshot.index.weights.clone()),
        })
    }
}

/// The words of a message that the analysis leaves out because they are not what it asks
/// about: place names (see [`places`]), where the question applies, and the closing with the
/// signature (see [`closing`]). A place name stays when an article's title or keywords use
/// it ("de Milieustraat") or a synonym rule names it. A street that an article's text or
/// example questions name is an address there ("Kerkstraat 5") or an example of where ("de
/// helling bij de Kerkstraat"), and is left out like any other.
pub struct LeftOut {
    /// The token positions left out.
    positions: Vec<usize>,
    /// The token positions that tell when (see [`super::times`]): kept in the query, but
    /// never what the message is about.
    context: Vec<usize>,
    /// The positions of each hyphenated word.
    hyphenated: Vec<std::ops::RangeInclusive<usize>>,
    /// The token positions of adjectives that ask the kind of answer ([`QueryWord::asks_kind`]).
    asking: Vec<usize>,
}

impl LeftOut {
    pub fn new(snapshot: &Snapshot, message: &str) -> LeftOut {
        // The baseline pipelines stay plain.
        if !snapshot.pipeline.dutch {
            return LeftOut {
                positions: Vec::new(),
                context: Vec::new(),
                hyphenated: Vec::new(),
                asking: Vec::new(),
            };
        }
        // Read once, for the places, the closing and the addresses alike.
        let words = places::written_words(message);
        let found = places::places_in(message, &words, dictionary::system(), &snapshot.streets);
        let mut analyzer: Option<TextAnalyzer> = None;
        let mut is_subject = |name: &str| {
            let analyzer = analyzer.get_or_insert_with(|| snapshot.analyzer.clone());
            // The first term is the word's own, the others its parts.
            (analyze(analyzer, name).into_iter().next())
                .is_some_and(|(_, term)| is_subject(snapshot, &term))
        };
        // A name an article is about stays, also misspelled ("mileustraat" is no street);
        // the rest of its place (a house number, a postcode, another street) is left out:
        // "de milieustraat (3742 HN)".
        let mut positions: Vec<usize> = Vec::new();
        for place in found {
            let kept: Vec<usize> = (place.names.into_iter())
                .filter(|(name, _)| {
                    is_subject(name)
                        || (snapshot.typos.corrections(&name.to_lowercase()).into_iter())
                            .any(&mut is_subject)
                })
                .flat_map(|(_, at)| at)
                .collect();
            positions.extend(place.positions.into_iter().filter(|p| !kept.contains(p)));
        }
        // A name is left out unless a word of it is what an article is about ("mijn zoon
        // Wajong"): then it was no name.
        for name in names::names_in(message, &words, dictionary::system()) {
            let named = &words[name.words];
            if !(named.iter()).any(|w| places::is_capitalised(w.text) && is_subject(w.text)) {
                positions.extend(named.iter().flat_map(Word::positions));
            }
        }
        positions.extend(closing::positions(&words));
        positions.extend(links::left_out(message, &words));
        // A day or month an article's title or keywords use (a keyword "zaterdag" of a
        // Saturday market) is a subject like any other word.
        let mut context = Vec::new();
        for time in times::times_in(message, &words) {
            let told = &words[time];
            if let [word] = told
                && is_subject(word.text)
            {
                continue;
            }
            context.extend(told.iter().flat_map(Word::positions));
        }
        context.retain(|p| !positions.contains(p));
        let hyphenated = (words.iter())
            .filter(|w| w.through > w.position)
            .map(Word::positions)
            .collect();
        // "hoe lang", "hoe hoog", "how often": the adjective asks the kind of question.
        let asking = (words.windows(2))
            .filter(|pair| QUESTION_OPENERS.contains(&pair[0].lower.as_str()))
            .filter(|pair| QUESTION_ADJECTIVES.contains(&pair[1].lower.as_str()))
            .flat_map(|pair| pair[1].positions())
            .collect();
        LeftOut {
            positions,
            context,
            hyphenated,
            asking,
        }
    }

    /// Whether the term analysed at `position` asks the kind of answer ("lang" in "hoe lang").
    pub fn asks_kind(&self, position: usize) -> bool {
        self.asking.contains(&position)
    }

    /// Whether to leave out the term analysed at `position`.
    pub fn skips(&self, position: usize) -> bool {
        self.positions.contains(&position)
    }

    /// Whether `first` and `later` are positions of one hyphenated word ("fiets-pad").
    pub fn same_word(&self, first: usize, later: usize) -> bool {
        self.hyphenated
            .iter()
            .any(|w| w.contains(&first) && w.contains(&later))
    }

    /// Whether the term analysed at `position` tells when (kept, but never the subject).
    pub fn is_context(&self, position: usize) -> bool {
        self.context.contains(&position)
    }
}

/// The words that open a question with an adjective: "hoe lang", "how often".
const QUESTION_OPENERS: [&str; 2] = ["hoe", "how"];

/// Adjectives that, after "hoe" or "how", ask what kind of answer is wanted (a period, a
/// height, a price, a distance) rather than name what the message is about. Only the cards
/// leave them out: leaving them out of the query, or counting them as context, let more
/// near misses through (2026-12-07: blind6, blind7, blind8 one or two more each).
const QUESTION_ADJECTIVES: [&str; 22] = [
    "lang", "laat", "vaak", "hoog", "duur", "groot", "ver", "oud", "snel", "zwaar", "vroeg",
    "breed", "diep", "zeker", "long", "late", "often", "high", "far", "old", "soon", "early",
];

fn is_subject(snapshot: &Snapshot, term: &str) -> bool {
    let terms = &snapshot.index.terms;
    terms.id(term).is_some_and(|id| {
        [Part::Title, Part::Keywords]
            .into_iter()
            .any(|part| terms.occurs_in(id, part))
    }) || !snapshot.synonyms.expand(&[term]).is_empty()
}

fn push_term(word: &mut QueryWord, snapshot: &Snapshot, term: String, origin: Origin, share: f32) {
    let weight = origin.weight() * share;
    if let Some(existing) = word.terms.iter_mut().find(|t| t.term == term) {
        existing.weight = existing.weight.max(weight);
        return;
    }
    let id = snapshot.index.terms.id(&term);
    word.terms.push(QueryTerm {
        term,
        origin,
        weight,
        id,
    });
}
