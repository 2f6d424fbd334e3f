//! The message query as one flat scorer over its term-in-part postings.
//!
//! A message's query is nested three deep: per word the best of its terms (a
//! disjunction-max), per term the best of the article parts it occurs in (another one), and
//! the words summed. Built from tantivy's `BooleanQuery` and `DisjunctionMaxQuery`, every
//! level with two or more matching clauses allocates a buffered union scorer with a 4,096-doc
//! window (48 kB for a disjunction-max), per message: profiling showed those allocations and
//! copies as the largest single cost of a suggestion.
//!
//! [`WordsQuery`] scores the same leaves (per term and part, tantivy's BM25 over its postings,
//! boosted by the term's weight times the part's boost; see [`LeafScorer`]) with one scorer and one set of buffers, window by
//! window, and combines them with exactly tantivy's arithmetic, in tantivy's order: a disjunction-max of
//! scores `s` is `max + (sum - max) * tie_breaker`, with `max` and `sum` accumulated from zero
//! in clause order, and the words' sum also starts at zero in word order. A clause with one
//! scorer gives that scorer's score either way (`s + (s - s) * t = s`), so scores are
//! bit-identical to the nested query's. An alternative may also search the whole article as
//! one text, added to its best part as a `BooleanQuery` of the two would add it. The one case
//! tantivy scores differently is a segment
//! where every word comes down to a single term-in-part: there it runs block-WAND over the
//! term scorers, and so does this query (through the same `BooleanWeight`).
//!
//! A kept term weight ([`TermWeights`]) also keeps the term's postings in each segment as an
//! impact list: per doc, the part of BM25 that does not depend on the boost. A leaf then
//! reads a slice instead of opening and decoding postings, which was a quarter of a
//! suggestion on the sample knowledge base once the weights were kept; the score is the same
//! product of the same `f32` values.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, RwLock};

use rustc_hash::FxHashMap as HashMap;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::postings::{Postings, SegmentPostings, TermInfo};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanWeight, EnableScoring, Explanation, Occur, Query, Scorer,
    SumCombiner, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    DocId, DocSet, InvertedIndexReader, Score, Searcher, SegmentReader, TERMINATED, Term,
};

/// One term of a word: its weight and the parts it is searched in, each with its boost.
#[derive(Debug, Clone)]
pub struct Alternative {
    pub boost: Score,
    pub parts: Vec<(Term, Score)>,
    /// The term in the whole-article field, with its boost: added to the best part's score.
    pub whole: Option<(Term, Score)>,
}

/// Per word the best of its alternatives, per alternative the best of its parts, words summed.
#[derive(Debug, Clone)]
pub struct WordsQuery {
    pub words: Vec<Vec<Alternative>>,
    /// How much an alternative's other matching parts add (disjunction-max tie breaker).
    pub part_tie_breaker: Score,
    /// How much a word's other matching alternatives add.
    pub term_tie_breaker: Score,
    /// The snapshot's term weights, made once instead of per message. The query must then be
    /// run with the statistics they were made with (the snapshot's); `None` makes them anew.
    pub weights: Option<Arc<TermWeights>>,
}

/// Per term (in its field): its BM25 weight and where its postings are, kept for the
/// snapshot whose statistics they were made with. Making them anew per message (a
/// term-dictionary lookup per segment, tantivy's idf explanation and a 256-entry length table
/// per term) was about a fifth of a suggestion on the sample knowledge base, for the same few
/// thousand terms again and again.
///
/// A kept term also keeps its postings as an impact list (each doc with its length-normalised
/// term frequency), so a message's leaves read a slice instead of decoding postings: for terms
/// in at most [`Self::IMPACT_MAX_DOCS`] articles, and [`Self::IMPACT_BUDGET`] bytes in all.
#[derive(Default)]
pub struct TermWeights {
    weights: RwLock<HashMap<Term, Arc<TermWeight>>>,
    /// Per field (by its average length): BM25's length factors, shared by its terms.
    lengths: Mutex<Vec<(u32, Arc<LengthTable>)>>,
    /// The bytes of the impact lists of the kept weights.
    impact_bytes: AtomicUsize,
}

impl TermWeights {
    /// At about 250 bytes per term, at most this many are kept; the next one starts afresh.
    pub const CAPACITY: usize = 16_384;
    /// A term in more articles (of one segment) is read from its postings each time: its
    /// list would be large, and block-WAND may skip most of it.
    pub const IMPACT_MAX_DOCS: u32 = 2_048;
    /// At most this many bytes of impact lists are kept (the sample knowledge base needs
    /// under one MB); later terms are read from their postings.
    pub const IMPACT_BUDGET: usize = 8 << 20;

    /// Reserves `bytes` of the impact budget; false when they do not fit.
    fn reserve_impacts(&self, bytes: usize) -> bool {
        self.impact_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used + bytes <= Self::IMPACT_BUDGET).then_some(used + bytes)
            })
            .is_ok()
    }

    /// Makes the weights of `terms` now, with `statistics`, so that messages using them find
    /// them made: a knowledge base small enough to keep every term's weight serves even its
    /// first messages after a build without making weights. The terms should all fit
    /// ([`Self::CAPACITY`]); any beyond it start the kept weights afresh, as usual.
    pub fn prewarm(
        &self,
        terms: impl IntoIterator<Item = Term>,
        searcher: &Searcher,
        statistics: &dyn Bm25StatisticsProvider,
    ) -> tantivy::Result<()> {
        for term in terms {
            self.get(&term, searcher, statistics)?;
        }
        Ok(())
    }

    /// How many term weights are kept.
    pub fn len(&self) -> usize {
        self.weights
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The length table for fields of this average length.
    fn lengths(&self, average: Score) -> Arc<LengthTable> {
        let mut lengths = self.lengths.lock().unwrap_or_else(PoisonError::into_inner);
        let key = average.to_bits();
        if let Some((_, table)) = lengths.iter().find(|(k, _)| *k == key) {
            return table.clone();
        }
        let table = Arc::new(length_table(average));
        lengths.push((key, table.clone()));
        table
    }

    fn get(
        &self,
        term: &Term,
        searcher: &Searcher,
        statistics: &dyn Bm25StatisticsProvider,
    ) -> tantivy::Result<Arc<TermWeight>> {
        let read = self.weights.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(weight) = read.get(term) {
            return Ok(weight.clone());
        }
        drop(read);
        let weight = Arc::new(TermWeight::new(term, searcher, statistics, Some(self))?);
        let mut weights = self.weights.write().unwrap_or_else(PoisonError::into_inner);
        if weights.len() >= Self::CAPACITY {
            weights.clear();
            // The cleared lists go when the last message using them ends.
            self.impact_bytes.store(0, Ordering::Relaxed);
        }
        weights.insert(term.clone(), weight.clone());
        Ok(weight)
    }
}

/// One term's weights: its BM25 weight for [`WordsScorer`]'s own leaves, and, made when
/// block-WAND first needs it, tantivy's `TermWeight` (whose term scorers only tantivy can
/// make).
struct TermWeight {
    term: Term,
    /// BM25's `idf * (k1 + 1)`, as `Bm25Weight` has it.
    weight: Score,
    /// The length factors of the term's field.
    lengths: Arc<LengthTable>,
    /// Where the term's postings are in each segment of the searcher it was made for
    /// (`None`: not in that segment): one term-dictionary lookup per segment, once.
    infos: Vec<(SegmentId, Option<TermInfo>)>,
    /// Per segment of `infos`: the postings as an impact list, for a kept weight whose term
    /// is in few enough articles.
    impacts: Vec<Option<Arc<[Impact]>>>,
    /// The statistics `weight` was made from, for tantivy's weight.
    statistics: TermStatistics,
    tantivy: OnceLock<Arc<dyn Weight>>,
}

impl TermWeight {
    fn new(
        term: &Term,
        searcher: &Searcher,
        statistics: &dyn Bm25StatisticsProvider,
        kept: Option<&TermWeights>,
    ) -> tantivy::Result<TermWeight> {
        let statistics = TermStatistics {
            docs: statistics.total_num_docs()?,
            tokens: statistics.total_num_tokens(term.field())?,
            doc_freq: statistics.doc_freq(term)?,
        };
        // As `Bm25Weight::for_terms` computes the average.
        let average = statistics.tokens as Score / statistics.docs as Score;
        let lengths = match kept {
            Some(kept) => kept.lengths(average),
            None => Arc::new(length_table(average)),
        };
        let segments = searcher.segment_readers();
        let mut infos = Vec::with_capacity(segments.len());
        let mut impacts = Vec::with_capacity(segments.len());
        for reader in segments {
            let inverted = reader.inverted_index(term.field())?;
            let info = inverted.get_term_info(term)?;
            let listed = match (kept, &info) {
                (Some(kept), Some(info)) if info.doc_freq <= TermWeights::IMPACT_MAX_DOCS => {
                    let bytes = info.doc_freq as usize * std::mem::size_of::<Impact>();
                    if kept.reserve_impacts(bytes) {
                        let norms = field_norms(reader, term.field())?;
                        Some(impact_list(&inverted, info, &norms, &lengths)?)
                    } else {
                        None
                    }
                }
                _ => None,
            };
            infos.push((reader.segment_id(), info));
            impacts.push(listed);
        }
        Ok(TermWeight {
            term: term.clone(),
            weight: idf(statistics.doc_freq, statistics.docs) * (1.0 + K1),
            lengths,
            infos,
            impacts,
            statistics,
            tantivy: OnceLock::new(),
        })
    }

    /// tantivy's weight for this term, from the same statistics.
    fn tantivy(&self, searcher: &Searcher) -> tantivy::Result<Arc<dyn Weight>> {
        if let Some(weight) = self.tantivy.get() {
            return Ok(weight.clone());
        }
        let scoring = EnableScoring::enabled_from_statistics_provider(&self.statistics, searcher);
        let weight: Arc<dyn Weight> = Arc::new(
            TermQuery::new(self.term.clone(), IndexRecordOption::WithFreqs)
                .specialized_weight(scoring)?,
        );
        Ok(self.tantivy.get_or_init(|| weight).clone())
    }
}

/// One term's BM25 statistics, as the provider a weight was made with gave them.
#[derive(Debug, Clone, Copy)]
struct TermStatistics {
    docs: u64,
    tokens: u64,
    doc_freq: u64,
}

impl Bm25StatisticsProvider for TermStatistics {
    fn total_num_tokens(&self, _field: Field) -> tantivy::Result<u64> {
        Ok(self.tokens)
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs)
    }

    fn doc_freq(&self, _term: &Term) -> tantivy::Result<u64> {
        Ok(self.doc_freq)
    }
}

impl std::fmt::Debug for TermWeights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let weights = self.weights.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("TermWeights")
            .field("terms", &weights.len())
            .finish()
    }
}

impl Query for WordsQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let EnableScoring::Enabled {
            searcher,
            statistics_provider: statistics,
        } = enable_scoring
        else {
            return Err(tantivy::TantivyError::InvalidArgument(
                "a words query only runs with scoring".into(),
            ));
        };
        let mut leaves = Vec::new();
        for (word, alternatives) in self.words.iter().enumerate() {
            for (alternative, alt) in alternatives.iter().enumerate() {
                // The parts first, then the whole article: the nested query's clause order.
                let parts = alt.parts.iter().map(|part| (part, false));
                for ((term, part_boost), adds) in parts.chain(alt.whole.iter().map(|w| (w, true))) {
                    let weight = match &self.weights {
                        Some(weights) => weights.get(term, searcher, statistics)?,
                        None => Arc::new(TermWeight::new(term, searcher, statistics, None)?),
                    };
                    leaves.push(LeafWeight {
                        word,
                        alternative,
                        weight,
                        // The boost tantivy's nested `BoostQuery`s hand down: term, then part.
                        boost: alt.boost,
                        part_boost: *part_boost,
                        adds,
                    });
                }
            }
        }
        Ok(Box::new(WordsWeight {
            leaves,
            searcher: searcher.clone(),
            part_tie_breaker: self.part_tie_breaker,
            term_tie_breaker: self.term_tie_breaker,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for alternative in self.words.iter().flatten() {
            for (term, _) in alternative.parts.iter().chain(&alternative.whole) {
                visitor(term, false);
            }
        }
    }
}

struct LeafWeight {
    word: usize,
    alternative: usize,
    weight: Arc<TermWeight>,
    boost: Score,
    part_boost: Score,
    /// The whole-article leaf: added to the alternative's best part, not competing with it.
    adds: bool,
}

impl LeafWeight {
    fn boost(&self, boost: Score) -> Score {
        boost * self.boost * self.part_boost
    }
}

struct WordsWeight {
    leaves: Vec<LeafWeight>,
    /// The searcher it was made for: tantivy's term weights need it.
    searcher: Searcher,
    part_tie_breaker: Score,
    term_tie_breaker: Score,
}

impl WordsWeight {
    fn words_scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<WordsScorer> {
        let mut leaves = Vec::with_capacity(self.leaves.len());
        // A message's terms are in the same few fields: each field's readers opened once.
        let mut fields: Vec<(Field, Arc<InvertedIndexReader>, FieldNormReader)> = Vec::new();
        let segment = reader.segment_id();
        for (source, leaf) in self.leaves.iter().enumerate() {
            let field = leaf.weight.term.field();
            let at = match fields.iter().position(|(f, ..)| *f == field) {
                Some(at) => at,
                None => {
                    let norms = field_norms(reader, field)?;
                    fields.push((field, reader.inverted_index(field)?, norms));
                    fields.len() - 1
                }
            };
            let (_, inverted, norms) = &fields[at];
            let weight = leaf.weight.weight * leaf.boost(boost);
            let kept = (leaf.weight.infos.iter()).position(|(id, _)| *id == segment);
            let scorer = match kept.and_then(|at| leaf.weight.impacts[at].clone()) {
                Some(impacts) => LeafScorer::Impacts(ImpactScorer {
                    impacts,
                    at: 0,
                    weight,
                }),
                None => {
                    let info = match kept {
                        Some(at) => leaf.weight.infos[at].1.clone(),
                        None => inverted.get_term_info(&leaf.weight.term)?,
                    };
                    let Some(info) = info else {
                        continue;
                    };
                    let postings = inverted
                        .read_postings_from_terminfo(&info, IndexRecordOption::WithFreqs)?;
                    if postings.doc() == TERMINATED {
                        continue;
                    }
                    LeafScorer::Postings(Box::new(PostingsScorer {
                        postings,
                        norms: norms.clone(),
                        lengths: leaf.weight.lengths.clone(),
                        weight,
                    }))
                }
            };
            leaves.push(Leaf {
                source,
                word: leaf.word,
                alternative: leaf.alternative,
                adds: leaf.adds,
                scorer,
            });
        }
        Ok(WordsScorer::new(
            leaves,
            reader.max_doc(),
            self.part_tie_breaker,
            self.term_tie_breaker,
        ))
    }

    /// When every word comes down to one term-in-part in this segment, tantivy sums them
    /// with block-WAND: the same `BooleanWeight` over the same leaves, for the same sums.
    fn single_leaf_words(
        &self,
        scorer: &WordsScorer,
    ) -> tantivy::Result<Option<BooleanWeight<SumCombiner>>> {
        let leaves = &scorer.leaves;
        if leaves.windows(2).any(|pair| pair[0].word == pair[1].word) {
            return Ok(None);
        }
        let mut clauses: Vec<(Occur, Box<dyn Weight>)> = Vec::with_capacity(leaves.len());
        for leaf in leaves {
            let source = &self.leaves[leaf.source];
            let boosted = Boosted {
                weight: source.weight.tantivy(&self.searcher)?,
                boost: source.boost(1.0),
            };
            clauses.push((Occur::Should, Box::new(boosted)));
        }
        // As `BooleanQuery::new` with only should clauses: at least one must match.
        Ok(Some(BooleanWeight::with_minimum_number_should_match(
            clauses,
            1,
            true,
            Box::new(SumCombiner::default),
        )))
    }
}

/// A leaf with its boost applied, as tantivy's `BoostWeight` applies it.
struct Boosted {
    weight: Arc<dyn Weight>,
    boost: Score,
}

impl Weight for Boosted {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.weight.scorer(reader, boost * self.boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.weight.explain(reader, doc)
    }
}

impl Weight for WordsWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(self.words_scorer(reader, boost)?))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.words_scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("sum of words", scorer.score()))
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut scorer = self.words_scorer(reader, 1.0)?;
        if let Some(weight) = self.single_leaf_words(&scorer)? {
            return weight.for_each_pruning(threshold, reader, callback);
        }
        let mut threshold = threshold;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            let score = scorer.score();
            if score > threshold {
                threshold = callback(doc, score);
            }
            doc = scorer.advance();
        }
        Ok(())
    }
}

struct Leaf {
    /// Index of its [`LeafWeight`].
    source: usize,
    word: usize,
    alternative: usize,
    adds: bool,
    scorer: LeafScorer,
}

/// One term in one part, in one segment: tantivy's `TermScorer` (which only tantivy can
/// make), with the same postings, lengths and arithmetic, and no `Box` or virtual calls;
/// from the kept impact list when the term has one.
enum LeafScorer {
    /// Boxed: its block buffers are nearly 2 kB, an impact leaf's a few words.
    Postings(Box<PostingsScorer>),
    Impacts(ImpactScorer),
}

impl LeafScorer {
    #[inline]
    fn doc(&self) -> DocId {
        match self {
            LeafScorer::Postings(scorer) => scorer.doc(),
            LeafScorer::Impacts(scorer) => scorer.doc(),
        }
    }

    fn size_hint(&self) -> u32 {
        match self {
            LeafScorer::Postings(scorer) => scorer.postings.size_hint(),
            LeafScorer::Impacts(scorer) => scorer.impacts.len() as u32,
        }
    }
}

/// A leaf's docs and scores, for [`WordsScorer::refill`]'s inner loop.
trait LeafDocs {
    fn doc(&self) -> DocId;
    fn advance(&mut self) -> DocId;
    fn score(&self) -> Score;
}

struct PostingsScorer {
    postings: SegmentPostings,
    norms: FieldNormReader,
    lengths: Arc<LengthTable>,
    /// The boosted `idf * (k1 + 1)` (`Bm25Weight::boost_by`; its shortcut for a boost of 1
    /// gives the same value).
    weight: Score,
}

impl LeafDocs for PostingsScorer {
    #[inline]
    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    #[inline]
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    /// `Bm25Weight::score`: `weight * tf / (tf + k1 * (1 - b + b * length / average))`.
    #[inline]
    fn score(&self) -> Score {
        self.weight * ratio(&self.postings, &self.norms, &self.lengths)
    }
}

/// BM25 at the postings' current doc without the boosted idf: `tf / (tf + k1 * (1 - b + b *
/// length / average))`. [`PostingsScorer`] multiplies it by its weight now, an [`Impact`]
/// keeps it for later: the same `f32` product either way.
#[inline]
fn ratio(postings: &SegmentPostings, norms: &FieldNormReader, lengths: &LengthTable) -> Score {
    let term_freq = postings.term_freq() as Score;
    let norm = lengths[norms.fieldnorm_id(postings.doc()) as usize];
    term_freq / (term_freq + norm)
}

/// One doc of a term's postings with its [`ratio`].
#[derive(Debug, Clone, Copy)]
struct Impact {
    doc: DocId,
    ratio: Score,
}

/// A term's postings in one segment as an impact list.
fn impact_list(
    inverted: &InvertedIndexReader,
    info: &TermInfo,
    norms: &FieldNormReader,
    lengths: &LengthTable,
) -> tantivy::Result<Arc<[Impact]>> {
    let mut postings = inverted.read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
    let mut impacts = Vec::with_capacity(info.doc_freq as usize);
    let mut doc = postings.doc();
    while doc != TERMINATED {
        impacts.push(Impact {
            doc,
            ratio: ratio(&postings, norms, lengths),
        });
        doc = postings.advance();
    }
    Ok(impacts.into())
}

/// A field's length codes in a segment, as tantivy's `TermWeight` reads them, scoring on.
fn field_norms(reader: &SegmentReader, field: Field) -> tantivy::Result<FieldNormReader> {
    Ok(match reader.fieldnorms_readers().get_field(field)? {
        Some(norms) => norms,
        None => FieldNormReader::constant(reader.max_doc(), 1),
    })
}

struct ImpactScorer {
    impacts: Arc<[Impact]>,
    at: usize,
    weight: Score,
}

impl LeafDocs for ImpactScorer {
    #[inline]
    fn doc(&self) -> DocId {
        self.impacts.get(self.at).map_or(TERMINATED, |i| i.doc)
    }

    #[inline]
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    #[inline]
    fn score(&self) -> Score {
        self.weight * self.impacts[self.at].ratio
    }
}

// tantivy's BM25 (`query/bm25.rs`, 0.27), step for step in the same `f32` operations, so
// scores are the same to the bit (`tests.rs` checks every score against tantivy's own
// queries). `Bm25Weight` computes its length table per term; here a field's terms share it.
const K1: Score = 1.2;
const B: Score = 0.75;

/// Per length code (`FieldNormReader::fieldnorm_id`): `k1 * (1 - b + b * length / average)`.
type LengthTable = [Score; 256];

fn length_table(average: Score) -> LengthTable {
    std::array::from_fn(|id| {
        let length = FieldNormReader::id_to_fieldnorm(id as u8);
        K1 * (1.0 - B + B * length as Score / average)
    })
}

fn idf(doc_freq: u64, docs: u64) -> Score {
    let x = (docs.saturating_sub(doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

/// How many docs one window of [`WordsScorer`] scores (tantivy's union horizon).
const WINDOW: u32 = 4096;

/// Scores the leaves window by window, like tantivy's buffered union: each leaf adds its
/// docs in the window to its term's slot, a finished term folds into its word's slot, a
/// finished word into the doc's total. Leaves are in (word, alternative, part) order, so
/// every doc sees exactly the nested query's additions in the nested query's order.
struct WordsScorer {
    leaves: Vec<Leaf>,
    part_tie_breaker: Score,
    term_tie_breaker: Score,
    width: u32,
    start: DocId,
    alternatives: Vec<DisMax>,
    words: Vec<DisMax>,
    totals: Vec<Score>,
    touched_alternatives: Vec<usize>,
    touched_words: Vec<usize>,
    /// The window's scored docs not yet visited, one bit per offset from `start`.
    scored: Vec<u64>,
    /// The `scored` word holding the current doc.
    bucket: usize,
    doc: DocId,
    score: Score,
}

impl WordsScorer {
    fn new(
        leaves: Vec<Leaf>,
        max_doc: u32,
        part_tie_breaker: Score,
        term_tie_breaker: Score,
    ) -> WordsScorer {
        let width = max_doc.clamp(1, WINDOW);
        let slots = width as usize;
        let mut scorer = WordsScorer {
            leaves,
            part_tie_breaker,
            term_tie_breaker,
            width,
            start: 0,
            alternatives: vec![DisMax::default(); slots],
            words: vec![DisMax::default(); slots],
            totals: vec![0.0; slots],
            touched_alternatives: Vec::new(),
            touched_words: Vec::new(),
            scored: vec![0; slots.div_ceil(64)],
            bucket: 0,
            doc: TERMINATED,
            score: 0.0,
        };
        scorer.refill();
        scorer
    }

    /// Scores the next window that holds a doc, and moves to its first doc.
    fn refill(&mut self) {
        self.bucket = 0;
        let Some(start) = self.leaves.iter().map(|l| l.scorer.doc()).min() else {
            self.doc = TERMINATED;
            return;
        };
        if start == TERMINATED {
            self.doc = TERMINATED;
            return;
        }
        self.start = start;
        let end = start + self.width;
        let mut i = 0;
        while i < self.leaves.len() {
            let word = self.leaves[i].word;
            while i < self.leaves.len() && self.leaves[i].word == word {
                let alternative = self.leaves[i].alternative;
                while let Some(leaf) = self.leaves.get_mut(i)
                    && (leaf.word, leaf.alternative) == (word, alternative)
                {
                    let window = Window {
                        start,
                        end,
                        adds: leaf.adds,
                        alternatives: &mut self.alternatives,
                        touched: &mut self.touched_alternatives,
                    };
                    match &mut leaf.scorer {
                        LeafScorer::Postings(scorer) => window.fill(&mut **scorer),
                        LeafScorer::Impacts(scorer) => window.fill(scorer),
                    }
                    i += 1;
                }
                for &slot in &self.touched_alternatives {
                    let score = self.alternatives[slot].score(self.part_tie_breaker);
                    self.alternatives[slot] = DisMax::default();
                    if !self.words[slot].any {
                        self.touched_words.push(slot);
                    }
                    self.words[slot].update(score);
                }
                self.touched_alternatives.clear();
            }
            for &slot in &self.touched_words {
                let score = self.words[slot].score(self.term_tie_breaker);
                self.words[slot] = DisMax::default();
                let bit = 1 << (slot % 64);
                let bits = &mut self.scored[slot / 64];
                if *bits & bit == 0 {
                    *bits |= bit;
                    // The sum starts at zero, as tantivy's `SumCombiner` does.
                    self.totals[slot] = 0.0;
                }
                self.totals[slot] += score;
            }
            self.touched_words.clear();
        }
        let found = self.take();
        debug_assert!(found, "the window starts at a leaf's doc");
    }

    /// Moves to the window's next scored doc; false when the window has none left.
    fn take(&mut self) -> bool {
        while let Some(bits) = self.scored.get_mut(self.bucket) {
            if *bits != 0 {
                let slot = self.bucket * 64 + bits.trailing_zeros() as usize;
                *bits &= *bits - 1;
                self.doc = self.start + slot as DocId;
                self.score = self.totals[slot];
                return true;
            }
            self.bucket += 1;
        }
        false
    }
}

/// One leaf's part of a window: its docs' scores into their alternatives' slots.
struct Window<'a> {
    start: DocId,
    end: DocId,
    adds: bool,
    alternatives: &'a mut [DisMax],
    touched: &'a mut Vec<usize>,
}

impl Window<'_> {
    #[inline]
    fn fill(self, scorer: &mut impl LeafDocs) {
        let mut doc = scorer.doc();
        while doc < self.end {
            let slot = (doc - self.start) as usize;
            let best = &mut self.alternatives[slot];
            if !best.any {
                self.touched.push(slot);
            }
            if self.adds {
                best.add(scorer.score());
            } else {
                best.update(scorer.score());
            }
            doc = scorer.advance();
        }
    }
}

/// tantivy's `DisjunctionMaxCombiner`, accumulated in clause order from zero, plus what a
/// `BooleanQuery` around it adds (the whole-article score).
#[derive(Debug, Clone, Copy, Default)]
struct DisMax {
    max: Score,
    sum: Score,
    added: Score,
    any: bool,
}

impl DisMax {
    fn update(&mut self, score: Score) {
        self.max = Score::max(score, self.max);
        self.sum += score;
        self.any = true;
    }

    /// A score summed after the disjunction-max, as `SumCombiner` adds its second clause.
    fn add(&mut self, score: Score) {
        self.added += score;
        self.any = true;
    }

    fn score(&self, tie_breaker: Score) -> Score {
        self.max + (self.sum - self.max) * tie_breaker + self.added
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        self.score
    }
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        if !self.take() {
            self.refill();
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.leaves
            .iter()
            .map(|leaf| leaf.scorer.size_hint())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests;
