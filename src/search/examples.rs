//! Questions an article does not answer, matched word by word against a message.
//!
//! An article's subject words say little about whether it answers the detail a resident asks:
//! "wat kost een urngraf" shares its subject words with the article on graves, which gives no
//! price for an urn grave. Editors list such questions with the article (`not_answered`). A
//! message that asks what one of them asks, more closely than any of the article's own title
//! and example questions, is a question the article does not answer: the confidence counts it
//! against the match, and the agent's card names the question.
//!
//! Matching is word by word, through the same analysis as search (stems, compound parts,
//! synonyms, typo corrections), weighted by how specific each word is. A compound's part
//! counts half; all its parts, as in a compound written apart ("regio taxi"), count as the
//! word. Both directions count:
//! the message must hold most of the listed question ([`MIN_REVERSE`]), so that "wat kost een
//! graf" does not match "wat kost een urngraf", and the listed question must hold a fair share
//! of the message ([`MIN_FORWARD`]). Both were chosen on `dev.tsv` and `nearmiss.tsv` (the
//! README's "Quality" section has the figures).
//!
//! Which question is the closest also weighs the kind of question ([`question_kinds`]: the
//! cost, a time, a place, an amount …), which analysis drops with the question words: with
//! the same words, "hoeveel krijgen kinderen per kerstboom" asks the listed "hoeveel krijgen
//! kinderen per ingeleverde kerstboom", not the example question "krijgen kinderen geld voor
//! een kerstboom". The thresholds count words only, so a shared kind never makes a message
//! hold a listed question it otherwise would not.
//!
//! A message may also ask a listed question in other words, holding too little of it for the
//! thresholds ("Zijn de boa's ook 's nachts op straat?" against "tot hoe laat werken de boa's,
//! komen ze ook 's nachts"). When it names the listed question's *distinctive word*, the most
//! specific word of it that the article has nowhere ("nachts" for an article that gives no
//! hours), and is closer to it than to the article's own questions, it asks that question: the
//! distinctive word is the editors' word that this is what the article lacks.
//!
//! Most often, though, a resident asks a listed question with a story around it, or the
//! listed question carries a detail of its own ("welk uurtarief mag ik mijn buurvrouw
//! betalen uit mijn pgb" against "welk uurtarief mag ik rekenen als dochter"), so neither
//! side holds enough of the other. When a listed question is the nearest of all the
//! article's questions, at least [`NEAREST`] close, and asks the same kind of question (both
//! the cost, both a time, both a place), the message asks it too. That is weaker evidence:
//! it caps the confidence, but the article keeps its place among the suggestions.
//!
//! The same closeness tells when a message asks one of an article's example questions again
//! ([`REPEATED`]): the editors' word that this article answers it (`suggest` puts it first).
//! A message that asks the same kind of question as an example question and holds nearly all
//! of it asks it again with a detail of its own, from a lower closeness ([`CONTAINED`]).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap as HashMap, FxHasher};

use super::engine::Snapshot;
use super::features::question_kinds;
use super::query::{Origin, QueryPlan, QueryTerm, QueryWord};
use super::suggest::UNEXPLAINED_MIN_SPECIFICITY;

/// How much a match through a compound's part counts against a match of the word itself.
const PART_SHARE: f32 = 0.5;
/// The least share of a listed question's specificity the message must hold.
pub const MIN_REVERSE: f32 = 0.7;
/// The least share of the message's specificity the listed question must hold.
pub const MIN_FORWARD: f32 = 0.3;
/// From this closeness on, a message asks one of an article's own questions again: nearly
/// all the words of each are in the other.
pub const REPEATED: f32 = 0.9;
/// The least closeness to a listed question whose distinctive word the message names, for
/// the message to ask it (the share of the message it holds alone is [`MIN_FORWARD`]).
const NAMED_CLOSENESS: f32 = 0.3;
/// From this closeness on, a message that holds nearly all of an example question
/// ([`REPEATED`] of its words) and asks the same kind of question (a time, the cost, a
/// place …) asks that question again, with a detail of its own around it: "hoe laat moet de
/// groene bak buiten staan" asks the collection calendar's "welke dag moet de groene bak
/// buiten". Chosen on the public sets and the held-out questions (README "Quality").
pub const CONTAINED: f32 = 0.8;
/// From this closeness on, a listed question that asks the same kind of question as the
/// message (the cost, a time, a place …) and is nearer to it than the title and every
/// example question is the one it asks, whichever side holds how much of the other.
const NEAREST: f32 = 0.4;

/// The kinds of question a text asks ([`question_kinds`]), each counting as much as the
/// text's average word.
#[derive(Debug, Clone, Copy, Default)]
struct Kinds {
    bits: u16,
    weight: f32,
}

impl Kinds {
    /// `bits` from [`question_kinds`] of the text whose words are `words`.
    fn of(bits: u16, words: &[(Terms, f32)]) -> Kinds {
        let bits = if words.is_empty() { 0 } else { bits };
        let weight = if bits == 0 {
            0.0
        } else {
            words.iter().map(|(_, s)| s).sum::<f32>() / words.len() as f32
        };
        Kinds { bits, weight }
    }

    /// The specificity of all of them.
    fn specificity(self) -> f32 {
        self.bits.count_ones() as f32 * self.weight
    }

    /// The specificity of all of them, and of those `other` asks too.
    fn weighed_against(self, other: Kinds) -> (f32, f32) {
        let shared = (self.bits & other.bits).count_ones() as f32 * self.weight;
        (self.specificity(), shared)
    }
}

/// A listed question a message asks ([`ArticleExamples::listed_asked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedAsked {
    /// Its position in the article's `not_answered`.
    pub position: usize,
    /// Found only because it is the question nearest to the message and asks the same kind
    /// of question ([`NEAREST`]): the message holds less of it than [`MIN_REVERSE`] or it
    /// holds less of the message than [`MIN_FORWARD`], and names no distinctive word of it.
    pub nearest: bool,
}

/// An article's own questions and the questions it does not answer, analysed once per
/// snapshot. Only articles with example questions or listed ones have them.
#[derive(Debug, Clone, Default)]
pub struct ArticleExamples {
    /// The title and the example questions.
    asked: Vec<ExampleQuestion>,
    not_answered: Vec<ExampleQuestion>,
}

impl ArticleExamples {
    /// `None` for an article with neither example questions nor listed ones.
    pub fn new(snapshot: &Snapshot, ord: usize) -> Option<ArticleExamples> {
        let article = &snapshot.articles[ord];
        if article.questions.is_empty() && article.not_answered.is_empty() {
            return None;
        }
        let analysed = |text: &String| ExampleQuestion::new(snapshot, text, None);
        Some(ArticleExamples {
            asked: (std::iter::once(&article.title).chain(&article.questions))
                .map(analysed)
                .collect(),
            not_answered: (article.not_answered.iter())
                .map(|text| ExampleQuestion::new(snapshot, text, Some(ord)))
                .collect(),
        })
    }

    /// The question of the article's `not_answered` the message asks, if it asks one: the
    /// closest of those that pass both thresholds, whose distinctive word the message names
    /// ([`NAMED_CLOSENESS`]) or that ask the same kind of question at least [`NEAREST`]
    /// close, when it is closer than the title and every example question; and whether only
    /// its nearness found it.
    pub fn listed_asked(&self, message: &MessageTerms) -> Option<ListedAsked> {
        let (position, closest, nearest) = (self.not_answered.iter().enumerate())
            .filter_map(|(i, question)| {
                if question.distinctive_word_in(message) {
                    let forward = message.share_in(question);
                    let closeness = message.closeness(question, forward, message.held(question));
                    if closeness >= NAMED_CLOSENESS {
                        return Some((i, closeness, false));
                    }
                }
                // The cheap direction first: most listed questions fail it early, the more
                // so when they ask another kind of question and only the thresholds count.
                let same_kind = message.kinds.bits & question.kinds.bits != 0;
                let least = match same_kind {
                    true => MIN_REVERSE.min(question.least_held_for(NEAREST)),
                    false => MIN_REVERSE,
                };
                let reverse = message.held_at_least(question, least)?;
                let forward = message.share_in(question);
                let closeness = message.closeness(question, forward, reverse);
                if reverse >= MIN_REVERSE && forward >= MIN_FORWARD {
                    Some((i, closeness, false))
                } else {
                    (same_kind && closeness >= NEAREST).then_some((i, closeness, true))
                }
            })
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        (!self.asked_as_closely(message, closest)).then_some(ListedAsked { position, nearest })
    }

    /// [`listed_asked`](Self::listed_asked)'s position alone.
    #[cfg(test)]
    fn unanswered(&self, message: &MessageTerms) -> Option<usize> {
        self.listed_asked(message).map(|found| found.position)
    }

    /// Whether the title or an example question is at least `closeness` close to the message
    /// ([`asked`](Self::asked) `>= closeness`), giving up early on a question whose words the
    /// message holds too little of to get there.
    fn asked_as_closely(&self, message: &MessageTerms, closeness: f32) -> bool {
        self.asked_at_least(message, closeness).next().is_some()
    }

    /// The title (0) and example questions (`i + 1`) at least `least` close to the message,
    /// with their closeness; a question whose words the message holds too little of to get
    /// there is given up early.
    fn asked_at_least<'a>(
        &'a self,
        message: &'a MessageTerms,
        least: f32,
    ) -> impl Iterator<Item = (usize, f32)> + 'a {
        (self.asked_with_share(message, least)).map(|(i, closeness, _)| (i, closeness))
    }

    /// [`asked_at_least`](Self::asked_at_least), each question with the share of its words
    /// the message holds too.
    fn asked_with_share<'a>(
        &'a self,
        message: &'a MessageTerms,
        least: f32,
    ) -> impl Iterator<Item = (usize, f32, f32)> + 'a {
        (self.asked.iter().enumerate()).filter_map(move |(i, q)| {
            let reverse = message.held_at_least(q, q.least_held_for(least))?;
            let closeness = message.closeness(q, message.share_in(q), reverse);
            (closeness >= least).then_some((i, closeness, reverse))
        })
    }

    /// How closely the message asks what the title or the closest example question asks, in
    /// [0, 1]; from [`REPEATED`] on, it asks that question again.
    pub fn asked(&self, message: &MessageTerms) -> f32 {
        (self.asked.iter())
            .map(|q| message.closeness(q, message.share_in(q), message.held(q)))
            .fold(0.0, f32::max)
    }

    /// Which question the message asks again, if it asks one, and how closely (then
    /// [`asked`](Self::asked)): 0 for the title, `i + 1` for the article's `questions[i]`; the
    /// closest of those at least [`REPEATED`] close, or, of the same kind of question as the
    /// message and held nearly whole by it, at least [`CONTAINED`] close. Cheaper than
    /// `asked`: a question whose words the message holds too little of to get there is given
    /// up early.
    pub fn repeated(&self, message: &MessageTerms) -> Option<(usize, f32)> {
        let least = match message.kinds.bits {
            0 => REPEATED,
            _ => CONTAINED,
        };
        (self.asked_with_share(message, least))
            .filter(|&(i, closeness, reverse)| {
                let same_kind = self.asked[i].kinds.bits & message.kinds.bits != 0;
                closeness >= REPEATED || (reverse >= REPEATED && same_kind)
            })
            .map(|(i, closeness, _)| (i, closeness))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

fn harmonic(a: f32, b: f32) -> f32 {
    if a + b > 0.0 {
        2.0 * a * b / (a + b)
    } else {
        0.0
    }
}

/// A term as a 64-bit hash of its text: matching compares numbers, not strings.
fn key(term: &str) -> u64 {
    let mut hasher = FxHasher::default();
    term.hash(&mut hasher);
    hasher.finish()
}

/// One term of a word, with the share of the word it counts at.
#[derive(Debug, Clone, Copy)]
struct Term {
    key: u64,
    share: f32,
    /// A compound's part ([`PART_SHARE`]): the parts together count as the word.
    part: bool,
}

impl Term {
    fn of(term: &QueryTerm) -> Term {
        let share = match term.origin {
            Origin::Part => PART_SHARE,
            // One word of a synonym of several words ("grijze bak" for "restafvalcontainer")
            // stands for that share of it: "bak" alone is not the grey bin.
            Origin::Synonym => (term.weight / Origin::Synonym.weight()).min(1.0),
            Origin::Word | Origin::Typo => 1.0,
        };
        Term {
            key: key(&term.term),
            share,
            part: term.origin == Origin::Part,
        }
    }
}

/// One word's terms.
type Terms = Vec<Term>;

/// One question, analysed as a message would be.
#[derive(Debug, Clone, Default)]
struct ExampleQuestion {
    /// Each word's terms and its specificity.
    words: Vec<(Terms, f32)>,
    /// All terms of the question, each once, with its best share.
    terms: Vec<(u64, f32)>,
    /// The sum of the words' specificity.
    total: f32,
    kinds: Kinds,
    /// For a listed question, its distinctive word: the most specific of its words that no
    /// term of the article has, not as a word and not in a compound, if one is specific
    /// enough to be shown as unexplained on an agent's card ([`UNEXPLAINED_MIN_SPECIFICITY`]:
    /// "nachts", not "laat" or "werken", words any text may lack).
    distinctive: Option<(Terms, f32)>,
}

impl ExampleQuestion {
    /// `listed_of` is the article of a listed question, whose distinctive word is kept.
    fn new(snapshot: &Snapshot, text: &str, listed_of: Option<usize>) -> ExampleQuestion {
        let plan = QueryPlan::new(snapshot, text);
        let mut words: Vec<(Terms, f32)> = (plan.words.iter())
            .map(|word| (word_terms(word), word.specificity(snapshot)))
            .collect();
        let least = UNEXPLAINED_MIN_SPECIFICITY * snapshot.index.terms.max_idf();
        let distinctive = listed_of.and_then(|ord| {
            (plan.words.iter().zip(&words))
                .filter(|(word, (_, specificity))| {
                    *specificity >= least && word.containment(snapshot, ord).is_none()
                })
                .map(|(_, word)| word.clone())
                .max_by(|a, b| a.1.total_cmp(&b.1))
        });
        let kinds = Kinds::of(question_kinds(text), &words);
        // Most specific first, so a question the message does not hold is given up early.
        words.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut terms: Vec<(u64, f32)> = Vec::new();
        for &Term { key, share, .. } in words.iter().flat_map(|(terms, _)| terms) {
            match terms.iter_mut().find(|(t, _)| *t == key) {
                Some((_, best)) => *best = best.max(share),
                None => terms.push((key, share)),
            }
        }
        ExampleQuestion {
            total: words.iter().map(|(_, s)| s).sum(),
            words,
            terms,
            kinds,
            distinctive,
        }
    }

    /// The least share of the question's words (in specificity) a message must hold for its
    /// closeness to reach `closeness` ([`MessageTerms::closeness`]): the harmonic mean needs
    /// both sides at `closeness / (2 − closeness)`, and the question's kinds, all shared,
    /// make up the rest of its side.
    fn least_held_for(&self, closeness: f32) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let side = closeness / (2.0 - closeness);
        let kinds = self.kinds.specificity();
        ((side * (self.total + kinds) - kinds) / self.total).max(0.0)
    }

    /// Whether the message names this listed question's distinctive word, as itself (or a
    /// synonym or typo correction of it) or as the head of a compound ("maandabonnement" is
    /// an "abonnement"), not through a compound's modifier only.
    fn distinctive_word_in(&self, message: &MessageTerms) -> bool {
        (self.distinctive.as_ref()).is_some_and(|word| {
            (message.held_of(std::slice::from_ref(word), word.1, 1.0)).is_some()
                || message.has_as_head(&word.0)
        })
    }

    /// The share at which the question has `term`, or 0.
    fn has(&self, term: u64) -> f32 {
        (self.terms.iter())
            .find(|(t, _)| *t == term)
            .map_or(0.0, |&(_, share)| share)
    }
}

fn word_terms(word: &QueryWord) -> Terms {
    word.terms.iter().map(Term::of).collect()
}

/// A message's terms, for matching against example questions.
pub struct MessageTerms {
    words: Vec<(Terms, f32)>,
    total: f32,
    kinds: Kinds,
    /// Each term of the message with the best share it matches at.
    terms: HashMap<u64, f32>,
}

impl MessageTerms {
    /// `plan` is the message analysed, `specificity` that of each of its words, `kinds` the
    /// kinds of question it asks ([`question_kinds`]).
    pub fn new(plan: &QueryPlan, specificity: &[f32], kinds: u16) -> MessageTerms {
        let words: Vec<(Terms, f32)> = (plan.words.iter())
            .map(word_terms)
            .zip(specificity.iter().copied())
            .collect();
        let mut terms: HashMap<u64, f32> = HashMap::default();
        for &Term { key, share, .. } in words.iter().flat_map(|(terms, _)| terms) {
            let best = terms.entry(key).or_insert(0.0);
            *best = best.max(share);
        }
        MessageTerms {
            total: specificity.iter().sum(),
            kinds: Kinds::of(kinds, &words),
            words,
            terms,
        }
    }

    /// How closely the message asks `question`: the harmonic mean of the share of the
    /// message the question holds (`forward`) and the share of the question the message holds
    /// (`reverse`), both in words, each with the kinds of question both ask counted in.
    fn closeness(&self, question: &ExampleQuestion, forward: f32, reverse: f32) -> f32 {
        let with_kinds = |share: f32, total: f32, (all, shared): (f32, f32)| {
            if total + all > 0.0 {
                (share * total + shared) / (total + all)
            } else {
                0.0
            }
        };
        harmonic(
            with_kinds(
                forward,
                self.total,
                self.kinds.weighed_against(question.kinds),
            ),
            with_kinds(
                reverse,
                question.total,
                question.kinds.weighed_against(self.kinds),
            ),
        )
    }

    /// The share of the message's specificity that `question` holds, in [0, 1].
    fn share_in(&self, question: &ExampleQuestion) -> f32 {
        let found: f32 = (self.words.iter())
            .map(|(terms, specificity)| {
                let best = (terms.iter())
                    .map(|term| term.share.min(question.has(term.key)))
                    .fold(0.0, f32::max);
                specificity * best
            })
            .sum();
        if self.total > 0.0 {
            found / self.total
        } else {
            0.0
        }
    }

    /// The share of `question`'s specificity that the message holds, in [0, 1].
    fn held(&self, question: &ExampleQuestion) -> f32 {
        self.held_at_least(question, 0.0).unwrap_or(0.0)
    }

    /// [`held`](Self::held), or `None` as soon as it cannot reach `least`.
    fn held_at_least(&self, question: &ExampleQuestion, least: f32) -> Option<f32> {
        self.held_of(&question.words, question.total, least)
    }

    /// The share of `words` (whose specificity sums to `total`) that the message holds, or
    /// `None` as soon as it cannot reach `least`.
    /// Whether a compound of the message ends in `word` (one of its own terms, not a part):
    /// Dutch compounds are right-headed, so its last part is what the compound is.
    fn has_as_head(&self, word: &Terms) -> bool {
        self.words.iter().any(|(terms, _)| {
            (terms.iter().rev().find(|t| t.part))
                .is_some_and(|head| word.iter().any(|t| !t.part && t.key == head.key))
        })
    }

    fn held_of(&self, words: &[(Terms, f32)], total: f32, least: f32) -> Option<f32> {
        if total <= 0.0 {
            return (least <= 0.0).then_some(0.0);
        }
        let allowed_to_miss = (1.0 - least) * total;
        let (mut found, mut missed) = (0.0, 0.0);
        for (terms, specificity) in words {
            // One lookup per term, for the best term and the parts alike: a compound the
            // message writes apart ("regio taxi" for "regiotaxi") holds all its parts, and
            // together they count as the word.
            let (mut best, mut parts) = (0.0_f32, 0.0_f32);
            for term in terms {
                if let Some(share) = self.terms.get(&term.key) {
                    let held = share.min(term.share);
                    best = best.max(held);
                    if term.part {
                        parts += held;
                    }
                }
            }
            let best = best.max(parts.min(1.0));
            found += specificity * best;
            missed += specificity * (1.0 - best);
            if missed > allowed_to_miss {
                return None;
            }
        }
        Some(found / total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Article, KnowledgeBase, Synonyms};
    use crate::search::{Pipeline, Settings};

    /// Two articles about graves and dogs; the grave article lists two questions it does not
    /// answer.
    fn snapshot() -> Snapshot {
        let mut graves = Article::for_test(
            "begraven",
            "Begraven op de gemeentelijke begraafplaats",
            &["wat kost een graf", "hoe lang duurt de grafrust"],
            "Een graf huurt u voor 20 jaar. Op het graf mag een steen. De kosten staan in de tarieventabel.",
        );
        graves.not_answered = vec![
            "wat kost een urngraf".into(),
            "mag ik as uitstrooien op het strooiveld".into(),
            "hoe hoog mag een grafsteen zijn".into(),
        ];
        let dogs = Article::for_test(
            "hondenbelasting",
            "Hondenbelasting",
            &["moet ik hondenbelasting betalen voor mijn hond"],
            "Voor elke hond betaalt u hondenbelasting.",
        );
        snapshot_of(vec![graves, dogs])
    }

    fn snapshot_of(articles: Vec<Article>) -> Snapshot {
        let kb = KnowledgeBase {
            dir: "kb".into(),
            articles,
            synonyms: Synonyms::default(),
            content_hash: None,
        };
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: "https://www.dijkstede.example".parse().expect("url"),
        };
        Snapshot::build(&kb, &settings).expect("snapshot")
    }

    fn message(snapshot: &Snapshot, text: &str) -> MessageTerms {
        let plan = QueryPlan::new(snapshot, text);
        let specificity: Vec<f32> = plan.words.iter().map(|w| w.specificity(snapshot)).collect();
        MessageTerms::new(&plan, &specificity, question_kinds(text))
    }

    #[test]
    fn only_articles_with_questions_get_them_analysed() {
        let title_only = Article::for_test("afval", "Afval", &[], "Afval scheiden.");
        let snapshot = snapshot();
        let with_title_only = snapshot_of(vec![title_only]);
        assert!(snapshot.examples[0].is_some());
        assert!(
            snapshot.examples[1].is_some(),
            "example questions, none listed"
        );
        assert!(with_title_only.examples[0].is_none());
    }

    #[test]
    fn a_message_asking_a_listed_question_finds_it_and_one_asking_an_example_question_does_not() {
        let snapshot = snapshot();
        let graves = snapshot.examples[0].as_ref().expect("examples");
        let urn = message(&snapshot, "hoeveel kost een urngraf eigenlijk?");
        assert_eq!(graves.unanswered(&urn), Some(0));
        let field = message(&snapshot, "mag ik daar as uitstrooien op een strooiveld?");
        assert_eq!(graves.unanswered(&field), Some(1));
        // The example question is closer than the listed one.
        let grave = message(&snapshot, "wat kost een graf");
        assert_eq!(graves.unanswered(&grave), None);
        // Too little of the listed question: "kost" without "urngraf".
        let cost = message(&snapshot, "kost het veel?");
        assert_eq!(graves.unanswered(&cost), None);
    }

    /// A message that asks a listed question in other words, holding too little of it for the
    /// thresholds, asks it when it names the question's distinctive word, which the article
    /// has nowhere: "hoog" in "hoe hoog mag een grafsteen zijn" (the article has "graf" and
    /// "steen"). A word the article has is no such word, and an example question as close
    /// still wins.
    #[test]
    fn a_message_naming_a_listed_questions_distinctive_word_asks_it() {
        let snapshot = snapshot();
        let graves = snapshot.examples[0].as_ref().expect("examples");
        let stone = message(
            &snapshot,
            "voor vader een steen van anderhalve meter met een engel, te hoog?",
        );
        let listed = &graves.not_answered[2];
        assert!(stone.share_in(listed) < MIN_FORWARD, "below the threshold");
        assert_eq!(graves.unanswered(&stone), Some(2));
        let grave = message(&snapshot, "wat kost een graf met een steen");
        assert_eq!(graves.unanswered(&grave), None);
        let dogs = snapshot.examples[1].as_ref().expect("examples");
        assert_eq!(dogs.unanswered(&stone), None, "no listed questions");
    }

    /// A compound names its head ("maandabonnement" is an "abonnement"), not its modifier.
    #[test]
    fn a_compound_ending_in_a_listed_questions_distinctive_word_names_it() {
        let mut bikes = Article::for_test(
            "fietsparkeren",
            "Fiets stallen bij het station",
            &[
                "waar kan ik mijn fiets stallen bij het station",
                "is de stalling gratis",
            ],
            "De bewaakte stalling bij het station is de eerste 24 uur gratis.",
        );
        bikes.not_answered = vec!["is er een abonnement voor de bewaakte stalling".into()];
        let garage = Article::for_test(
            "parkeergarage",
            "Parkeren in de garage",
            &["wat kost parkeren in de garage"],
            "Met een abonnement of een kaart parkeert u een maand in de garage.",
        );
        let snapshot = snapshot_of(vec![bikes, garage]);
        let bikes = snapshot.examples[0].as_ref().expect("examples");
        let monthly = message(
            &snapshot,
            "maandabonnement bewaakte stalling station mogelijk?",
        );
        let listed = &bikes.not_answered[0];
        assert!(listed.distinctive_word_in(&monthly));
        assert_eq!(bikes.unanswered(&monthly), Some(0));
        // An "abonnementskaart" is a card, not a subscription.
        let card = message(&snapshot, "abonnementskaart bewaakte stalling mogelijk?");
        assert!(!listed.distinctive_word_in(&card));
    }

    /// An article on extracts whose listed question comes with a story of its own.
    fn extracts() -> Snapshot {
        let mut extract = Article::for_test(
            "uittreksel",
            "Uittreksel BRP aanvragen",
            &["hoe vraag ik een uittreksel aan", "wat kost een uittreksel"],
            "Een uittreksel uit de BRP vraagt u online aan met DigiD. Het kost € 14,50.",
        );
        extract.not_answered = vec![
            "hoe lang blijft een uittreksel geldig? ik wil er niet steeds een nieuwe voor betalen"
                .into(),
        ];
        snapshot_of(vec![extract])
    }

    #[test]
    fn the_nearest_question_asking_the_same_kind_is_asked_without_holding_enough_of_it() {
        let snapshot = extracts();
        let extract = snapshot.examples[0].as_ref().expect("examples");
        let listed = &extract.not_answered[0];
        let how_long = message(
            &snapshot,
            "hoe lang is een uittreksel geldig, moet ik er steeds een nieuwe halen voor de ind",
        );
        assert!(how_long.held(listed) < MIN_REVERSE, "below the threshold");
        assert_eq!(
            extract.listed_asked(&how_long),
            Some(ListedAsked {
                position: 0,
                nearest: true
            })
        );
        // As near, but asking no kind of question the listed one asks: not enough.
        let whether = message(
            &snapshot,
            "is een uittreksel geldig, moet ik er steeds een nieuwe halen voor de ind",
        );
        assert_eq!(extract.listed_asked(&whether), None);
        // An example question nearer, of a kind the listed question asks too: that one is
        // asked.
        let cost = message(&snapshot, "wat kost een uittreksel eigenlijk");
        assert_eq!(extract.listed_asked(&cost), None);
    }

    /// Residents often write a compound apart: "graf steen" holds both parts of
    /// "grafsteen", which then counts as the word; one part alone counts half.
    #[test]
    fn a_compound_written_apart_holds_the_word() {
        let snapshot = snapshot();
        let graves = snapshot.examples[0].as_ref().expect("examples");
        let listed = &graves.not_answered[2];
        let apart = message(&snapshot, "hoe hoog mag een graf steen zijn");
        let whole = message(&snapshot, "hoe hoog mag een grafsteen zijn");
        let half = message(&snapshot, "hoe hoog mag een steen zijn");
        assert!((apart.held(listed) - whole.held(listed)).abs() < 1e-6);
        assert!(
            half.held(listed) < apart.held(listed),
            "one part is not the word"
        );
        assert_eq!(graves.unanswered(&apart), Some(2));
    }

    /// The early exit gives the same share as the full sum, and gives up exactly when the
    /// share is below the bound.
    #[test]
    fn held_at_least_agrees_with_held() {
        let snapshot = snapshot();
        let graves = snapshot.examples[0].as_ref().expect("examples");
        for text in [
            "wat kost een urngraf",
            "kost een graf veel",
            "strooiveld",
            "mag ik de as uitstrooien",
            "hondenbelasting",
        ] {
            let m = message(&snapshot, text);
            for question in graves.not_answered.iter().chain(&graves.asked) {
                let held = m.held(question);
                assert!((0.0..=1.0).contains(&held), "{text}: {held}");
                for least in [0.0, 0.3, 0.5, 0.7, 0.9, 1.0] {
                    let early = m.held_at_least(question, least);
                    if held + 1e-6 < least {
                        assert_eq!(early, None, "{text} at {least}");
                    } else if held > least + 1e-6 {
                        let early = early.unwrap_or_else(|| panic!("{text} at {least}"));
                        assert!((early - held).abs() < 1e-6, "{text}: {early} vs {held}");
                    }
                }
            }
        }
    }

    /// A word matched only as a compound's part counts half: "graf" in "grafsteen".
    #[test]
    fn a_compound_part_counts_half() {
        let snapshot = snapshot();
        let graves = snapshot.examples[0].as_ref().expect("examples");
        let stone = &graves.not_answered[2];
        let whole = message(&snapshot, "grafsteen").share_in(stone);
        assert!((whole - 1.0).abs() < 1e-6, "{whole}");
        let part = message(&snapshot, "graf").share_in(stone);
        assert!((part - 0.5).abs() < 1e-6, "{part}");
    }

    /// Question words are stop words, so the kind of question is matched on its own: a
    /// listed question that asks "hoeveel" where the example question asks whether, with the
    /// same words, is the one a "hoeveel" message asks, and not the one a yes/no message asks.
    #[test]
    fn the_kind_of_question_tells_a_listed_question_from_an_example_with_the_same_words() {
        let mut litter = Article::for_test(
            "zwerfafval",
            "Zwerfafval opruimen als vrijwilliger",
            &["krijgen vrijwilligers een vergoeding voor het opruimen van zwerfafval"],
            "Vrijwilligers die zwerfafval opruimen krijgen een vergoeding. Grijpers en zakken lenen.",
        );
        litter.not_answered = vec![
            "hoeveel vergoeding krijgen vrijwilligers voor het opruimen van zwerfafval".into(),
        ];
        let snapshot = snapshot_of(vec![litter]);
        let litter = snapshot.examples[0].as_ref().expect("examples");
        let how_much = message(
            &snapshot,
            "hoeveel vergoeding krijgen vrijwilligers voor zwerfafval",
        );
        assert_eq!(litter.unanswered(&how_much), Some(0));
        let whether = message(
            &snapshot,
            "krijgen vrijwilligers een vergoeding voor zwerfafval",
        );
        assert_eq!(litter.unanswered(&whether), None);
    }

    /// Two bins, each with an example question; both colours are synonyms of several words.
    fn bins() -> Snapshot {
        let green = Article::for_test(
            "gft",
            "Groene container",
            &["wat mag er in de groene container"],
            "Groente en fruit horen in de groene container.",
        );
        let grey = Article::for_test(
            "restafval",
            "Grijze container",
            &["wat mag er in de grijze container"],
            "Restafval hoort in de grijze container.",
        );
        let (synonyms, problems) = Synonyms::parse(
            std::path::Path::new("synonyms.txt"),
            "groene bak, groene container, gftbak\ngrijze bak, grijze container, restafvalbak\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        let kb = KnowledgeBase {
            dir: "kb".into(),
            articles: vec![green, grey],
            synonyms,
            content_hash: None,
        };
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: "https://www.dijkstede.example".parse().expect("url"),
        };
        Snapshot::build(&kb, &settings).expect("snapshot")
    }

    #[test]
    fn a_message_asking_an_example_question_again_repeats_it_and_another_one_does_not() {
        let snapshot = bins();
        let [green, grey] = [0, 1].map(|ord| snapshot.examples[ord].clone().expect("analysed"));
        let again = message(&snapshot, "Wat mag er in de grijze container?");
        // Its example question, closer than its title "Grijze container".
        assert_eq!(grey.repeated(&again).map(|(i, _)| i), Some(1));
        assert!(grey.asked(&again) >= REPEATED);
        // One word of "grijze bak" is not the grey bin: a message about it does not ask the
        // green bin's question, although "groene container" also stands for "groene bak".
        let other_bin = message(&snapshot, "wat mag er in de grijze bak");
        assert_eq!(green.repeated(&other_bin).map(|(i, _)| i), None);
        assert!(
            green.asked(&other_bin) < REPEATED,
            "{}",
            green.asked(&other_bin)
        );
        let detail = message(&snapshot, "mogen luiers in de grijze container bij de flat");
        assert_eq!(grey.repeated(&detail).map(|(i, _)| i), None);
    }

    #[test]
    fn a_message_holding_an_example_question_of_its_kind_with_a_detail_repeats_it() {
        // Everyday words, in most articles of a knowledge base: they say little.
        let everyday = [
            "paspoort",
            "parkeren",
            "markt",
            "bibliotheek",
            "sporthal",
            "loket",
        ]
        .map(|id| {
            let street = if id.len() > 6 { " Op straat." } else { "" };
            let text = format!("Hoe laat en op welke dag? Het moet buiten staan.{street}");
            Article::for_test(id, id, &[], &text)
        });
        let snapshot = snapshot_of(
            vec![
                Article::for_test(
                    "afvalkalender",
                    "Afvalkalender",
                    &["welke dag moet de groene bak buiten"],
                    "Kijk in de afvalkalender.",
                ),
                Article::for_test(
                    "container-niet-geleegd",
                    "Container niet geleegd",
                    &["de groene bak was te zwaar en is blijven staan"],
                    "Meld een bak die niet geleegd is.",
                ),
            ]
            .into_iter()
            .chain(everyday)
            .collect(),
        );
        let calendar = snapshot.examples[0].clone().expect("analysed");
        let asked = |text: &str| calendar.repeated(&message(&snapshot, text));
        // A time asked, the whole question held, and a word more: asked again, though not
        // as closely as a question asked again word for word.
        let detail = asked("hoe laat moet de groene bak op straat buiten");
        assert!(
            detail
                .is_some_and(|(i, closeness)| i == 1 && (CONTAINED..REPEATED).contains(&closeness)),
            "{detail:?}"
        );
        // Another kind of question about the same words ("waar", a place) is not this one.
        assert_eq!(asked("waar moet de groene bak op straat buiten"), None);
        // Nor the same words asking nothing.
        assert_eq!(asked("de groene bak moet op straat buiten"), None);
        // Nor a time asked about the grey bin: it does not hold the question whole.
        assert_eq!(asked("hoe laat moet de grijze bak op straat buiten"), None);
    }

    #[test]
    fn repeated_and_asked_as_closely_agree_with_asked() {
        let snapshot = bins();
        let examples: Vec<_> = (0..2)
            .map(|ord| snapshot.examples[ord].clone().expect("analysed"))
            .collect();
        for text in [
            "wat mag er in de groene container",
            "wat mag in de groene bak",
            "groene container",
            "wat mag er in de grijze bak",
            "mag er fruit in de groene container",
            "restafval",
            "wat mag erin",
            "wat mag er precies in de groene container",
        ] {
            let terms = message(&snapshot, text);
            for article in &examples {
                // Asked at least as closely as `REPEATED` is asked again; asked again is at
                // least as close as `CONTAINED` (a question of its kind held whole).
                let (repeated, asked) = (article.repeated(&terms), article.asked(&terms));
                assert!(asked < REPEATED || repeated.is_some(), "{text}: {asked}");
                assert!(
                    repeated.is_none_or(|(_, c)| (CONTAINED..=asked).contains(&c)),
                    "{text}: {repeated:?} {asked}"
                );
                for closeness in [0.2, 0.4, 0.6, 0.8] {
                    assert_eq!(
                        article.asked_as_closely(&terms, closeness),
                        article.asked(&terms) >= closeness,
                        "{text} at {closeness}: {}",
                        article.asked(&terms)
                    );
                }
            }
        }
    }
}
