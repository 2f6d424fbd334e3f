//! Suggestions with a confidence that means something.
//!
//! The confidence of a suggestion combines three pieces of evidence:
//! - **coverage**: how much of the message the article explains, each word weighted by how
//!   specific it is (its idf; a word no article knows counts as very specific, so "wat kost
//!   een iphone" stays unexplained);
//! - **lead**: how far the article's score is ahead of the best other article;
//! - **strength**: the score itself, which grows with the number and rarity of matched words.
//!
//! Three more say whether the article answers what is asked: whether the message's most
//! specific word is missing from it (and explained by another article instead), and whether
//! the message asks an aspect (cost, when, where, ...) the article does not cover
//! ([`super::features`]). A logistic model fitted on labelled messages
//! ([`super::confidence`]) turns them into the confidence.
//!
//! The order is retrieval's with two rules from the editors' questions: a message that asks
//! one of an article's own example questions again goes to that article
//! (`prefer_repeated_question`), and one that asks a question an article lists as not
//! answered goes below those that may answer it (`demote_not_answered`).

use chrono::NaiveDate;
use serde::Serialize;
use url::Url;

use super::Snapshot;
use super::collect::top_articles;
#[cfg(doc)]
use super::confidence::FEATURE_NAMES;
use super::confidence::{FITTED, Features, Model};
use super::examples::MessageTerms;
use super::features::{self, Aspect, Aspects};
use super::index::Containment;
use super::query::QueryPlan;
use crate::kb::Article;

/// How much a word counts as explained when the article has it only inside a compound.
const COMPOUND_ONLY_SHARE: f32 = 0.5;
/// A word an article lacks is shown as unexplained from this specificity on (share of the
/// highest possible): on the sample knowledge base, words in at most about a tenth of the
/// articles ("matras", not "dag" or "huis").
pub(crate) const UNEXPLAINED_MIN_SPECIFICITY: f32 = 0.5;
/// At most this many unexplained words are shown per suggestion.
const UNEXPLAINED_SHOWN: usize = 3;

/// The highest confidence of an article for a message that asks one of the questions its
/// editors list as not answering (`not_answered`). The list is their word that the article
/// does not answer such a question, so the bot neither sends it by itself nor offers it
/// ("Bedoelt u …?": `bot.offer_confidence` is above the ceiling by default), however well
/// the words match; agents still see it, with the listed question. The fitted weight alone
/// lowers the confidence but can leave a close match above the bot's threshold. Of the 19
/// top suggestions the feature marks on the four evaluation sets (dev, nearmiss, national,
/// blind near misses), one is right, at 0.05. The same ceiling holds for an aspect the
/// article does not give that is the answer itself ([`Evidence::capped`], [`Aspect::caps`]):
/// the state of the resident's own case the article does not tell how to follow; a number
/// (across the labelled sets, 77 top suggestions without the number asked were near misses
/// and 2 right); how long something takes when it names no period at all (13 near misses,
/// 3 right, none of them confident); an opinion, such as which of two options is better (17
/// near misses, no right answer); a supposed situation ("stel dat …") no example question
/// supposes (10 near misses, no right answer); how long something is valid; what holds
/// in another municipality; and a discount (7 near misses, no right answer).
pub const NOT_ANSWERED_CEILING: f32 = 0.35;

/// The answer to one message: ranked suggestions and whether the top one is confident.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestions {
    pub message: String,
    /// The top suggestion's confidence reached the threshold passed to [`Suggestions::mark`].
    pub confident: bool,
    pub suggestions: Vec<Suggestion>,
}

/// One suggested article.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub id: String,
    pub title: String,
    /// The raw retrieval score (BM25 over weighted parts); only comparable within a message.
    pub score: f32,
    /// Probability-like certainty in [0, 1] that this article answers the message.
    pub confidence: f32,
    /// The canned answer (Markdown).
    pub answer: String,
    pub links: Vec<SuggestedLink>,
    /// The message's words this article matched: the "why".
    pub matched: Vec<String>,
    /// Specific words of the message that this article lacks and another article explains,
    /// most specific first (at most three): what the message may be about instead ("matras"
    /// for the loose paving stone). Only words some article uses, analysed as the matched
    /// ones are: a word no article knows (a name, a typo) is never listed, and nothing here
    /// is stored with the conversation.
    pub unexplained: Vec<String>,
    /// Specific words of the message of which this article has only some parts ("kentekencard"
    /// in an article that has "card" but not "kenteken"), most specific first (at most three):
    /// they count among `matched`, but the article is about another kind of thing.
    pub partly: Vec<String>,
    /// Specific words of the message this article names only in the negation of the
    /// condition it opens with ("oprit" in "Heeft u geen eigen oprit? Dan …"), most specific
    /// first (at most three): the article is for whoever does not have what the message has.
    /// They cap the confidence at [`NOT_ANSWERED_CEILING`].
    pub excluded: Vec<String>,
    /// What the message asks about (cost, when, ...) that this article's text and example
    /// questions do not cover.
    pub unanswered: Vec<Aspect>,
    /// A question this article does not answer (one of its `not_answered`) that the message
    /// asks: the editors' own words for why the article may not fit.
    pub not_answered: Option<String>,
    /// The message asks another article's title or example question again, almost word for
    /// word, so that article came first and this one was passed over: which article and
    /// which of its questions.
    pub asked_elsewhere: Option<AskedElsewhere>,
    /// Whether the bot may send this answer by itself.
    pub bot: bool,
    /// What the confidence was computed from (for evaluation and tuning).
    #[serde(skip)]
    pub evidence: Evidence,
}

/// Another article's own question that the message asks again (see
/// [`Suggestion::asked_elsewhere`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AskedElsewhere {
    /// The article's id.
    pub id: String,
    pub title: String,
    /// Its title or the example question, as the editors wrote it.
    pub question: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SuggestedLink {
    pub title: String,
    pub url: String,
}

impl Suggestions {
    /// Sets `confident` for a threshold (`bot.min_confidence`).
    pub fn mark(mut self, min_confidence: f32) -> Self {
        self.confident = self
            .suggestions
            .first()
            .is_some_and(|s| s.confidence >= min_confidence);
        self
    }

    pub fn top(&self) -> Option<&Suggestion> {
        self.suggestions.first()
    }
}

/// The evidence behind one suggestion's confidence.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Evidence {
    pub score: f32,
    /// The best score of any other article (0 when there is none).
    pub competitor: f32,
    /// Share of the message's specificity this article matched, in [0, 1].
    pub coverage: f32,
    /// Words of the message that can match anything (stop words excluded).
    pub words: usize,
    /// Of those, how many this article matched.
    pub matched: usize,
    /// Of those, how many occur in the article's title.
    pub in_title: usize,
    /// The message's most specific word is not in this article.
    pub head_missing: bool,
    /// ... and another article does have it: the message is about something else ("matras").
    pub head_elsewhere: bool,
    /// The highest specificity (share of the highest possible) of a message word this article
    /// lacks but another article has: how much of the message is about something else.
    pub elsewhere_peak: f32,
    /// Share of the message's specificity matched in the article's title, in [0, 1].
    pub title_coverage: f32,
    /// Words of the message no article knows (nor a synonym or typo correction of them).
    pub unknown: usize,
    /// The aspects the message asks (cost, when, where, ...) that the article does not cover.
    pub missing: Aspects,
    /// The message's most specific word is a compound the article has only some parts of.
    pub head_partial: bool,
    /// The message asks what one of the article's `not_answered` questions asks, more
    /// closely than the article's own title and example questions.
    pub not_answered: bool,
    /// ... found only as the question nearest to the message: the article keeps its place.
    pub not_answered_nearest: bool,
    /// A specific word of the message is one the article has only in the negation of the
    /// condition it opens with ("Heeft u geen eigen oprit? Dan …"): the article is for
    /// whoever lacks what the message has.
    pub excluded: bool,
}

impl Evidence {
    /// The features the confidence model weighs, in the order of [`FEATURE_NAMES`].
    pub fn features(&self) -> Features {
        // With no competitor at all the lead is as large as the clamp allows.
        let lead = (self.score / self.competitor.max(f32::EPSILON))
            .ln()
            .clamp(-2.0, 2.0);
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        [
            f64::from(self.coverage),
            f64::from(lead),
            f64::from(self.score.max(f32::EPSILON).ln()),
            self.matched as f64 / self.words.max(1) as f64,
            flag(self.head_missing),
            flag(!self.missing.is_empty()),
            self.unknown as f64 / self.words.max(1) as f64,
            // One word gives full coverage and share by itself: weaker evidence than it looks.
            flag(self.words == 1),
            flag(self.head_partial),
            flag(self.not_answered),
        ]
    }

    /// The aspects the message asks that the article does not give and that cap the
    /// confidence at [`NOT_ANSWERED_CEILING`] ([`Aspect::caps`]).
    pub fn capped(&self) -> Aspects {
        self.missing.capping()
    }

    /// Whether anything of the message matched the article at all.
    pub fn has_match(&self) -> bool {
        self.score > 0.0 && self.coverage > 0.0 && self.words > 0
    }

    /// The fitted model's probability that the article answers the message (see
    /// [`super::confidence`]); zero when nothing of the message matched.
    pub fn confidence(&self) -> f32 {
        self.confidence_by(&FITTED)
    }

    /// The confidence under another model (for fitting and cross-validation), at most
    /// [`NOT_ANSWERED_CEILING`] when the message asks a question the article lists as not
    /// answered or an aspect it does not give that caps ([`capped`](Self::capped)).
    pub fn confidence_by(&self, model: &Model) -> f32 {
        if !self.has_match() {
            return 0.0;
        }
        let probability = model.probability(&self.features()) as f32;
        if self.not_answered || self.excluded || !self.capped().is_empty() {
            probability.min(NOT_ANSWERED_CEILING)
        } else {
            probability
        }
    }
}

pub(super) fn suggest(
    snapshot: &Snapshot,
    message: &str,
    k: usize,
    today: NaiveDate,
) -> Suggestions {
    let mut plan = QueryPlan::new(snapshot, message);
    plan.mark_non_words(snapshot);
    let mut result = Suggestions {
        message: message.to_string(),
        confident: false,
        suggestions: Vec::new(),
    };
    if plan.is_empty() || k == 0 {
        return result;
    }
    let query = plan.to_query(snapshot);
    let keep = |ord: usize| snapshot.articles[ord].is_valid_on(today);
    // The rules below look as deep whatever `k` is, so the first suggestions never depend on
    // how many were asked for.
    let depth = k.max(DEPTH);
    // One more than that, so the last suggestion also has a competitor.
    let hits = match top_articles(snapshot, query.as_ref(), depth + 1, keep) {
        Ok(hits) => hits,
        // The index is in memory and read-only: a failure here is a bug, not bad input.
        Err(_) => return result,
    };
    // Every word, for the comparison with listed questions (`MessageTerms`).
    let all_specificity: Vec<f32> = plan.words.iter().map(|w| w.specificity(snapshot)).collect();
    // A typo nothing corrects counts for nothing.
    let specificity: Vec<f32> = (plan.words.iter().zip(&all_specificity))
        .map(|(w, &s)| if w.no_word { 0.0 } else { s })
        .collect();
    let total: f32 = specificity.iter().sum();
    // The most specific word; on a tie the later one (Dutch puts the subject late). A word
    // that tells when is not what the message is about ("kapotte stoep, al sinds dinsdag").
    let head = (0..plan.words.len())
        .filter(|&w| !plan.words[w].context && !plan.words[w].no_word)
        .max_by(|&a, &b| specificity[a].total_cmp(&specificity[b]));
    let known: Vec<bool> = (plan.words.iter())
        .map(|w| w.terms.iter().any(|t| t.id.is_some()))
        .collect();
    let head_known = head.is_some_and(|h| known[h]);
    let negated = plan.negated(message);
    let max_idf = snapshot.index.terms.max_idf().max(f32::EPSILON);
    let asked = features::asked_fully(message);
    let kinds = asked.kinds;
    // The first later suggestion whose article has the message as one of its own questions
    // (and does not list it as not answered): its position, its article, which question and
    // how closely.
    let mut repeated: Option<(usize, usize, (usize, f32))> = None;
    // Made only when a suggested article has questions of its own or listed ones.
    let mut message_terms: Option<MessageTerms> = None;
    // A suggestion whose article lists the message as not answered goes below those that
    // may answer it (`demote_not_answered`): the next hit is then needed too.
    let mut answering = 0;
    for (rank, &(ord, score)) in hits.iter().enumerate() {
        if answering >= depth || result.suggestions.len() > depth {
            break;
        }
        let competitor = hits
            .iter()
            .enumerate()
            .find(|(other, _)| *other != rank)
            .map_or(0.0, |(_, &(_, s))| s);
        // A word the message does not negate is not found where the article only negates it;
        // a specific one excludes the article ("geen eigen oprit" for "mijn eigen oprit").
        let mut excluded: Vec<usize> = Vec::new();
        let containments: Vec<(usize, Containment)> = (0..plan.words.len())
            .filter_map(|w| {
                let word = &plan.words[w];
                if negated[w] {
                    return word.containment(snapshot, ord).map(|c| (w, c));
                }
                let found = word.affirmed_containment(snapshot, ord);
                if found.is_none()
                    && !word.context
                    && specificity[w] / max_idf >= UNEXPLAINED_MIN_SPECIFICITY
                    && word.excluded_by(snapshot, ord)
                {
                    excluded.push(w);
                }
                found.map(|c| (w, c))
            })
            .collect();
        let matched_words: Vec<usize> = containments.iter().map(|&(w, _)| w).collect();
        // A word found only inside a compound (`spreken` in `inspreken`) explains less.
        let covered: f32 = containments
            .iter()
            .map(|&(w, how)| match how {
                Containment::AsWord => specificity[w],
                Containment::InCompound => specificity[w] * COMPOUND_ONLY_SHARE,
            })
            .sum();
        // A time the article does not have is not a word it lacks (it still counts in the
        // coverage); one it has is a word it matched.
        let words = (0..plan.words.len())
            .filter(|&w| !plan.words[w].no_word)
            .filter(|w| !plan.words[*w].context || matched_words.contains(w))
            .count();
        let head_missing = head.is_some_and(|h| !matched_words.contains(&h));
        let examples = snapshot.examples.get(ord).and_then(Option::as_ref);
        let examples = examples.map(|examples| {
            let terms = message_terms
                .get_or_insert_with(|| MessageTerms::new(&plan, &all_specificity, kinds));
            (examples, &*terms)
        });
        let listed = examples.and_then(|(e, terms)| e.listed_asked(terms));
        let not_answered = listed.map(|found| found.position);
        // Only a later suggestion can be put before the first.
        if (1..DEPTH).contains(&rank) && repeated.is_none() && not_answered.is_none() {
            repeated = (examples.and_then(|(e, terms)| e.repeated(terms)))
                .map(|question| (result.suggestions.len(), ord, question));
        }
        let in_title: Vec<usize> = (matched_words.iter().copied())
            .filter(|&w| plan.words[w].in_title(snapshot, ord))
            .collect();
        let title_covered: f32 = in_title.iter().map(|&w| specificity[w]).sum();
        // What the message asks that the article does not cover.
        let missing = snapshot.aspects[ord].lacking(&asked);
        let evidence = Evidence {
            title_coverage: if total > 0.0 {
                title_covered / total
            } else {
                0.0
            },
            head_missing,
            head_elsewhere: head_missing && head_known,
            head_partial: head.is_some_and(|h| plan.words[h].partly_contained(snapshot, ord)),
            elsewhere_peak: (0..plan.words.len())
                .filter(|w| known[*w] && !matched_words.contains(w))
                .map(|w| specificity[w] / max_idf)
                .fold(0.0, f32::max),
            // "gisteravond" is a word no article needs to know.
            unknown: (0..plan.words.len())
                .filter(|&w| !known[w] && !plan.words[w].context && !plan.words[w].no_word)
                .count(),
            missing,
            not_answered: not_answered.is_some(),
            not_answered_nearest: listed.is_some_and(|found| found.nearest),
            excluded: !excluded.is_empty(),
            score,
            competitor,
            coverage: if total > 0.0 { covered / total } else { 0.0 },
            words,
            matched: matched_words.len(),
            in_title: in_title.len(),
        };
        let mut matched: Vec<String> = (matched_words.iter())
            .filter(|&&w| !plan.words[w].later_part && !plan.words[w].asks_kind)
            .map(|&w| plan.words[w].text.clone())
            .collect();
        matched.dedup();
        let mut lacking: Vec<usize> = (0..plan.words.len())
            .filter(|w| known[*w] && !matched_words.contains(w) && !plan.words[*w].context)
            .filter(|w| !excluded.contains(w))
            .filter(|&w| !plan.words[w].asks_kind)
            .filter(|&w| specificity[w] / max_idf >= UNEXPLAINED_MIN_SPECIFICITY)
            // "ga", "zn": a conjugation or a chat word, not what a message is about.
            .filter(|&w| plan.words[w].text.chars().count() > 2)
            .collect();
        lacking.sort_by(|&a, &b| specificity[b].total_cmp(&specificity[a]));
        let mut partly: Vec<usize> = (matched_words.iter().copied())
            .filter(|&w| !plan.words[w].context)
            .filter(|&w| specificity[w] / max_idf >= UNEXPLAINED_MIN_SPECIFICITY)
            .filter(|&w| plan.words[w].partly_contained(snapshot, ord))
            .collect();
        partly.sort_by(|&a, &b| specificity[b].total_cmp(&specificity[a]));
        let mut suggestion = suggestion(snapshot, ord, evidence, matched);
        suggestion.unexplained = shown_words(&plan, lacking);
        suggestion.partly = shown_words(&plan, partly);
        excluded.sort_by(|&a, &b| specificity[b].total_cmp(&specificity[a]));
        suggestion.excluded = shown_words(&plan, excluded);
        // A missing cost says it already: the amount asked is a sum of money.
        suggestion.unanswered = (missing.iter())
            .filter(|&a| !(a == Aspect::Amount && missing.contains(Aspect::Cost)))
            .collect();
        suggestion.not_answered =
            not_answered.map(|i| snapshot.articles[ord].not_answered[i].clone());
        answering += usize::from(!demoted(&suggestion));
        result.suggestions.push(suggestion);
    }
    if let (Some((later, later_ord, (question, closeness))), Some(&(first_ord, _))) =
        (repeated, hits.first())
    {
        let terms =
            message_terms.get_or_insert_with(|| MessageTerms::new(&plan, &all_specificity, kinds));
        let first_asked = (snapshot.examples.get(first_ord).and_then(Option::as_ref))
            .map_or(0.0, |examples| examples.asked(terms));
        if first_asked < closeness - REPEATED_LEAD {
            let article = &snapshot.articles[later_ord];
            let question = match question {
                0 => article.title.clone(),
                i => article.questions[i - 1].clone(),
            };
            let asked = AskedElsewhere {
                id: article.id.clone(),
                title: article.title.clone(),
                question,
            };
            // One suggestion per hit, in order: the hit after it is the next one's.
            let next = hits.get(later + 1).map_or(0.0, |&(_, s)| s);
            prefer_repeated_question(&mut result.suggestions, later, asked, next);
        }
    }
    result.suggestions = demote_not_answered(std::mem::take(&mut result.suggestions));
    prefer_covering(&mut result.suggestions);
    result.suggestions.truncate(k);
    result
}

/// How deep the ordering rules look, however few suggestions are asked for or however many:
/// a repeated question ([`prefer_repeated_question`]) is looked for among the first `DEPTH`
/// hits only, and at least that many suggestions are made, so the first suggestion is the
/// same for every `k` (the gap report asks for one, the dashboard for three, `eval` for five).
const DEPTH: usize = 3;

/// The least share of the first suggestion's score a later one needs for
/// [`prefer_covering`] to put it first: close enough that the words alone do not decide.
/// Chosen on the public sets (dev and nearmiss; README "What is asked decides between close
/// articles").
const COVERING_SHARE: f32 = 0.8;

/// Puts first a later suggestion (among the first [`DEPTH`]) that covers more of what the
/// message asks than the first one does ([`Suggestion::unanswered`]: fewer aspects missing)
/// and scores at least [`COVERING_SHARE`] of it: "mag ik met bijstand 6 weken naar mijn
/// familie in Marokko?" matches the article on applying for social assistance best by its
/// words, but that article never mentions abroad, and the one on changes to report while on
/// assistance does. Not when the order was set by a repeated question
/// ([`prefer_repeated_question`]), and never a suggestion whose article lists the question as
/// not answered. The one passed over keeps its place after it, its confidence at most the
/// new first one's, so the list still reads from most to least likely; the first one's own
/// confidence is the model's, against the higher score of the one passed over.
fn prefer_covering(suggestions: &mut Vec<Suggestion>) {
    let Some(first) = suggestions.first() else {
        return;
    };
    let depth = suggestions.len().min(DEPTH);
    if first.unanswered.is_empty()
        || suggestions[..depth]
            .iter()
            .any(|s| s.asked_elsewhere.is_some())
    {
        return;
    }
    let covering = (1..depth).find(|&i| {
        let later = &suggestions[i];
        later.unanswered.len() < first.unanswered.len()
            && later.score >= COVERING_SHARE * first.score
            && later.not_answered.is_none()
    });
    if let Some(i) = covering {
        let later = suggestions.remove(i);
        suggestions[0].confidence = suggestions[0].confidence.min(later.confidence);
        suggestions.insert(0, later);
    }
}

/// How much closer a message must be to a later suggestion's own question than to the first
/// suggestion's for [`prefer_repeated_question`] (in [`ArticleExamples::asked`]): the first
/// one has nothing like it.
///
/// [`ArticleExamples::asked`]: super::examples::ArticleExamples::asked
const REPEATED_LEAD: f32 = 0.2;

/// Puts first the suggestion at `later` (after the first), whose article has the message as
/// one of its own questions (almost word for word, [`REPEATED`], or the same kind of question
/// held whole with a detail around it, [`CONTAINED`]) and does not list it as not
/// answered, while the first suggestion's own questions are much less close
/// ([`REPEATED_LEAD`]): an example question is the editors' word that
/// the article answers it, which the words' weights across whole articles can outvote. "welke
/// dag moet de groene bak buiten" is an example question of the collection calendar, yet the
/// green-bin article, with "groene bak" in its title and keywords and "buiten" in its text,
/// scored higher. The suggestions passed over keep their order after it, their confidence at
/// most the one put first has and at most [`NOT_ANSWERED_CEILING`]: the message is another
/// article's own question, and nothing in theirs comes close. So the list still reads from
/// most to least likely. Each one passed over says why (`asked`, which the agent's card
/// shows).
///
/// They are not its competitors either: its confidence is the model's with its lead taken
/// against `next`, the score of the hit after it. Against the green-bin article's higher
/// score the calendar got 0.75 and could only be offered ("Bedoelt u …?"); now 0.85.
///
/// [`REPEATED`]: super::examples::REPEATED
/// [`CONTAINED`]: super::examples::CONTAINED
fn prefer_repeated_question(
    suggestions: &mut Vec<Suggestion>,
    later: usize,
    asked: AskedElsewhere,
    next: f32,
) {
    let mut first = suggestions.remove(later);
    first.evidence.competitor = next;
    first.confidence = first.evidence.confidence();
    let ceiling = first.confidence.min(NOT_ANSWERED_CEILING);
    for suggestion in &mut suggestions[..later] {
        suggestion.confidence = suggestion.confidence.min(ceiling);
        suggestion.asked_elsewhere = Some(asked.clone());
    }
    suggestions.insert(0, first);
    // Below the later ones that are surer, as a listed question's article goes.
    *suggestions = demote(std::mem::take(suggestions), |s| s.asked_elsewhere.is_some());
}

/// The suggestions in retrieval order, except that one whose article lists the message as a
/// question it does not answer comes after every later suggestion with a higher confidence
/// than the cap ([`NOT_ANSWERED_CEILING`]) and its own:
/// when an editor has listed "wanneer moet de groene bak buiten?" as not answered by the
/// green-bin article and added it to the collection calendar's examples, the calendar comes
/// first, and the bot may send it.
fn demote_not_answered(suggestions: Vec<Suggestion>) -> Vec<Suggestion> {
    demote(suggestions, demoted)
}

/// Whether the suggestion goes below those that may answer the message: its article lists
/// the question as not answered, and the message holds enough of it (or names its
/// distinctive word). A listed question that is only the nearest one caps the confidence
/// but keeps the order: the agent still sees the article first, with the question named.
fn demoted(suggestion: &Suggestion) -> bool {
    suggestion.not_answered.is_some() && !suggestion.evidence.not_answered_nearest
}

/// The suggestions in their order, except that each `held_back` one, at most as sure as the
/// listed questions' ceiling, comes after every later suggestion surer than the ceiling and
/// than itself.
fn demote(
    suggestions: Vec<Suggestion>,
    held_back: impl Fn(&Suggestion) -> bool,
) -> Vec<Suggestion> {
    let mut ordered = Vec::with_capacity(suggestions.len());
    let mut held: std::collections::VecDeque<Suggestion> = Default::default();
    for suggestion in suggestions {
        if held_back(&suggestion) {
            held.push_back(suggestion);
            continue;
        }
        // Only past a suggestion that may well answer it: not one as unsure as the cap.
        while held.front().is_some_and(|h| {
            h.confidence >= suggestion.confidence || suggestion.confidence <= NOT_ANSWERED_CEILING
        }) {
            ordered.extend(held.pop_front());
        }
        ordered.push(suggestion);
    }
    ordered.extend(held);
    ordered
}

/// The message's words at `positions` as shown to the agent: each once, at most
/// [`UNEXPLAINED_SHOWN`], in the given order.
fn shown_words(plan: &QueryPlan, positions: Vec<usize>) -> Vec<String> {
    let mut shown: Vec<String> = Vec::new();
    for w in positions {
        // A misspelled word as the word it stands for.
        let word = &plan.words[w];
        let text = word.corrected.as_ref().unwrap_or(&word.text);
        if shown.len() < UNEXPLAINED_SHOWN && !shown.contains(text) {
            shown.push(text.clone());
        }
    }
    shown
}

impl Snapshot {
    /// An article a rule puts first rather than retrieval (the privacy article when a message
    /// holds personal data): full confidence, `reason` as the matched words.
    pub fn ruled_suggestion(&self, id: &str, reason: &str) -> Option<Suggestion> {
        let ord = self.ord(id)?;
        let evidence = Evidence::default();
        let mut suggestion = suggestion(self, ord, evidence, vec![reason.to_string()]);
        suggestion.confidence = 1.0;
        Some(suggestion)
    }
}

/// What a suggestion shows of an article, made once per snapshot rather than per message.
#[derive(Debug, Clone)]
pub struct Shown {
    /// [`Article::answer`]: site links made absolute.
    pub answer: String,
    pub links: Vec<SuggestedLink>,
}

impl Shown {
    pub fn new(article: &Article, site_url: &Url) -> Shown {
        Shown {
            answer: article.answer(site_url),
            links: (article.links.iter())
                .map(|link| SuggestedLink {
                    title: link.title.clone(),
                    url: link.resolve(site_url),
                })
                .collect(),
        }
    }
}

/// The suggestion of article `ord`.
fn suggestion(
    snapshot: &Snapshot,
    ord: usize,
    evidence: Evidence,
    matched: Vec<String>,
) -> Suggestion {
    let article = &snapshot.articles[ord];
    let shown = &snapshot.shown[ord];
    Suggestion {
        id: article.id.clone(),
        title: article.title.clone(),
        score: evidence.score,
        confidence: evidence.confidence(),
        evidence,
        answer: shown.answer.clone(),
        links: shown.links.clone(),
        matched,
        unexplained: Vec::new(),
        partly: Vec::new(),
        excluded: Vec::new(),
        unanswered: Vec::new(),
        not_answered: None,
        asked_elsewhere: None,
        bot: article.bot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{KnowledgeBase, Link, Synonyms};
    use crate::search::{Pipeline, Settings};

    fn article() -> Article {
        Article {
            id: "paspoort".into(),
            path: "burgerzaken/paspoort.md".into(),
            title: "Paspoort aanvragen".into(),
            questions: vec!["nieuw paspoort aanvragen".into()],
            not_answered: vec![],
            keywords: vec!["reisdocument".into()],
            tags: vec!["burgerzaken".into()],
            department: "Publiekszaken".into(),
            links: vec![
                Link {
                    title: "Afspraak".into(),
                    url: "/afspraak".into(),
                },
                Link {
                    title: "Rijksoverheid".into(),
                    url: "https://www.rijksoverheid.example/paspoort".into(),
                },
            ],
            bot: true,
            valid_from: None,
            valid_until: None,
            owner: None,
            reviewed: None,
            body: "Maak een [afspraak](/afspraak) voor uw paspoort.".into(),
        }
    }

    /// The answer and links made once per snapshot are those the article gives directly.
    #[test]
    fn shown_answer_and_links_are_the_articles_own() {
        let article = article();
        let kb = KnowledgeBase {
            dir: "kb".into(),
            articles: vec![article.clone()],
            synonyms: Synonyms::default(),
            content_hash: None,
        };
        let site_url = Url::parse("https://www.gemeente.example/").expect("url");
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: site_url.clone(),
        };
        let snapshot = Snapshot::build(&kb, &settings).expect("build");
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let suggested = snapshot.suggest("paspoort aanvragen", 3, today);
        let ruled = snapshot
            .ruled_suggestion("paspoort", "regel")
            .expect("article");
        for suggestion in [suggested.top().expect("a suggestion"), &ruled] {
            assert_eq!(suggestion.answer, article.answer(&site_url));
            assert!(
                suggestion
                    .answer
                    .contains("](https://www.gemeente.example/afspraak)")
            );
            let links: Vec<(String, String)> = (article.links.iter())
                .map(|l| (l.title.clone(), l.resolve(&site_url)))
                .collect();
            let shown: Vec<(String, String)> = (suggestion.links.iter())
                .map(|l| (l.title.clone(), l.url.clone()))
                .collect();
            assert_eq!(shown, links);
        }
    }

    /// A suggestion as `prefer_covering` sees it.
    fn ranked(id: &str, score: f32, confidence: f32, unanswered: &[Aspect]) -> Suggestion {
        Suggestion {
            id: id.into(),
            title: id.into(),
            score,
            confidence,
            answer: String::new(),
            links: vec![],
            matched: vec![],
            unexplained: vec![],
            partly: vec![],
            excluded: vec![],
            unanswered: unanswered.to_vec(),
            not_answered: None,
            asked_elsewhere: None,
            bot: true,
            evidence: Evidence::default(),
        }
    }

    fn ids(suggestions: &[Suggestion]) -> Vec<&str> {
        suggestions.iter().map(|s| s.id.as_str()).collect()
    }

    /// Between articles whose words match about as well, the one that covers what the
    /// message asks goes first; one that scores much lower, or covers no more, or lists the
    /// question as not answered, does not.
    #[test]
    fn a_close_article_that_covers_the_asked_aspect_goes_first() {
        let abroad = [Aspect::Abroad];
        let mut close = vec![
            ranked("bijstand", 10.0, 0.7, &abroad),
            ranked("wijzigingen", 8.5, 0.4, &[]),
            ranked("werk", 5.0, 0.1, &[]),
        ];
        prefer_covering(&mut close);
        assert_eq!(ids(&close), ["wijzigingen", "bijstand", "werk"]);
        // The one passed over is no surer than the one put first.
        assert!(close[1].confidence <= close[0].confidence, "{close:?}");

        let mut far = vec![
            ranked("bijstand", 10.0, 0.7, &abroad),
            ranked("wijzigingen", 7.0, 0.4, &[]),
        ];
        prefer_covering(&mut far);
        assert_eq!(ids(&far), ["bijstand", "wijzigingen"]);

        let mut no_better = vec![
            ranked("bijstand", 10.0, 0.7, &abroad),
            ranked("wijzigingen", 9.5, 0.4, &abroad),
        ];
        prefer_covering(&mut no_better);
        assert_eq!(ids(&no_better), ["bijstand", "wijzigingen"]);

        let mut listed = vec![
            ranked("bijstand", 10.0, 0.7, &abroad),
            ranked("wijzigingen", 9.5, 0.3, &[]),
        ];
        listed[1].not_answered = Some("mag ik met bijstand naar het buitenland".into());
        prefer_covering(&mut listed);
        assert_eq!(ids(&listed), ["bijstand", "wijzigingen"]);

        // A first article that misses nothing keeps its place.
        let mut covered = vec![
            ranked("bijstand", 10.0, 0.7, &[]),
            ranked("wijzigingen", 9.5, 0.4, &[]),
        ];
        prefer_covering(&mut covered);
        assert_eq!(ids(&covered), ["bijstand", "wijzigingen"]);
    }

    /// A message that repeats the calendar's example question goes to the calendar, although
    /// the bin article, full of the message's words, scores higher.
    #[test]
    fn a_repeated_example_question_puts_its_article_first() {
        let mut bin = Article::for_test(
            "gft",
            "Groene bak: wat mag erin",
            &[
                "wat mag er in de groene bak",
                "mag vlees in de groene bak",
                "groene bak stinkt",
            ],
            "In de groene bak horen groente en fruit. Zet de groene bak buiten op de ophaaldag. \
             Een groene bak buiten laten staan mag niet.",
        );
        bin.keywords = vec!["groene bak".into(), "gft".into()];
        let calendar = Article::for_test(
            "afvalkalender",
            "Afvalkalender",
            &[
                "welke dag moet de groene bak buiten",
                "waar vind ik de afvalkalender",
            ],
            "De ophaaldagen staan in de afvalkalender.",
        );
        let paving = Article::for_test(
            "stoep",
            "Stoeptegel los",
            &["er ligt een tegel los op de stoep"],
            "Meld een losse tegel.",
        );
        let kb = KnowledgeBase {
            dir: "kb".into(),
            articles: vec![bin, calendar, paving],
            synonyms: Synonyms::default(),
            content_hash: None,
        };
        let settings = Settings {
            pipeline: Pipeline::FULL,
            site_url: Url::parse("https://www.gemeente.example/").expect("url"),
        };
        let snapshot = Snapshot::build(&kb, &settings).expect("build");
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
        let scores = |text: &str| -> Vec<(String, f32, f32)> {
            (snapshot.suggest(text, 3, today).suggestions.into_iter())
                .map(|s| (s.id, s.score, s.confidence))
                .collect()
        };
        let repeated = scores("Welke dag moet de groene bak buiten?");
        assert_eq!(repeated[0].0, "afvalkalender", "{repeated:?}");
        assert_eq!(repeated[1].0, "gft", "{repeated:?}");
        assert!(
            repeated[1].1 > repeated[0].1,
            "the bin scores higher: {repeated:?}"
        );
        assert!(repeated[1].2 <= repeated[0].2, "{repeated:?}");
        assert!(repeated[1].2 <= NOT_ANSWERED_CEILING, "{repeated:?}");
        let passed = &snapshot.suggest("Welke dag moet de groene bak buiten?", 3, today);
        assert_eq!(
            passed.suggestions[1].asked_elsewhere,
            Some(AskedElsewhere {
                id: "afvalkalender".into(),
                title: "Afvalkalender".into(),
                question: "welke dag moet de groene bak buiten".into(),
            }),
            "the card says why the bin article was passed over"
        );
        assert_eq!(passed.suggestions[0].asked_elsewhere, None);
        assert!(
            repeated.windows(2).all(|w| w[0].2 >= w[1].2),
            "from most to least likely: {repeated:?}"
        );
        // A question the bin article has itself stays with it.
        let own = scores("wat mag er in de groene bak");
        assert_eq!(own[0].0, "gft", "{own:?}");
    }
}
