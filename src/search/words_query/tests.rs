//! [`WordsQuery`] against the nested tantivy query it replaces, on an index of 5,000 articles.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, BoostQuery, DisjunctionMaxQuery, EnableScoring, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Schema, TEXT};
use tantivy::{DocAddress, Index, IndexWriter, Searcher, TantivyDocument, Term};

use super::{Alternative, TermWeights, WordsQuery};

const VOCABULARY: [&str; 12] = [
    "afval",
    "bak",
    "paspoort",
    "kosten",
    "afspraak",
    "rijbewijs",
    "kliko",
    "groen",
    "papier",
    "vergunning",
    "parkeren",
    "melding",
];

/// 5,000 small articles (more than one scoring window) in two segments, from a fixed
/// pseudo-random sequence, so term frequencies and field lengths vary.
fn index() -> (Searcher, [Field; 5]) {
    let mut schema = Schema::builder();
    // The four parts, and the whole article as one text.
    let fields =
        ["title", "questions", "keywords", "body", "all"].map(|n| schema.add_text_field(n, TEXT));
    let index = Index::create_in_ram(schema.build());
    let mut writer: IndexWriter = index
        .writer_with_num_threads(1, 15_000_000)
        .expect("writer");
    let mut state: u64 = 7;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        ((state >> 33) % n) as usize
    };
    for doc in 0..5_000 {
        let mut document = TantivyDocument::default();
        let mut all = Vec::new();
        for (part, field) in fields[..4].iter().enumerate() {
            let words = 1 + next(3 + 4 * part as u64);
            let text: Vec<&str> = (0..words).map(|_| VOCABULARY[next(12)]).collect();
            document.add_text(*field, text.join(" "));
            all.extend(text);
        }
        document.add_text(fields[4], all.join(" "));
        writer.add_document(document).expect("add");
        if doc == 2_500 {
            writer.commit().expect("commit");
        }
    }
    writer.commit().expect("commit");
    let searcher = index.reader().expect("reader").searcher();
    (searcher, fields)
}

/// A message query as `(weight, term)` alternatives per word; `whole` also searches the whole
/// article with that boost.
fn words_query(fields: [Field; 5], words: &[&[(f32, &str)]], whole: Option<f32>) -> WordsQuery {
    let boosts = [2.5, 2.0, 1.5, 1.0];
    WordsQuery {
        words: (words.iter())
            .map(|alternatives| {
                (alternatives.iter())
                    .map(|&(boost, term)| Alternative {
                        boost,
                        parts: (fields.iter().zip(boosts))
                            .map(|(&f, b)| (Term::from_field_text(f, term), b))
                            .collect(),
                        whole: whole.map(|b| (Term::from_field_text(fields[4], term), b)),
                    })
                    .collect()
            })
            .collect(),
        // Different tie breakers, so a mix-up of the levels shows.
        part_tie_breaker: 0.2,
        term_tie_breaker: 0.3,
        weights: None,
    }
}

/// The same query nested from tantivy's own queries, as `QueryPlan::to_query` built it.
fn nested(query: &WordsQuery) -> BooleanQuery {
    let boxed = |q: Box<dyn Query>, boost| Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>;
    let words = (query.words.iter())
        .map(|alternatives| {
            let alternatives = (alternatives.iter())
                .map(|alternative| {
                    let parts = (alternative.parts.iter())
                        .map(|(term, boost)| {
                            let term = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                            boxed(Box::new(term), *boost)
                        })
                        .collect();
                    let best: Box<dyn Query> = Box::new(DisjunctionMaxQuery::with_tie_breaker(
                        parts,
                        query.part_tie_breaker,
                    ));
                    let term: Box<dyn Query> = match &alternative.whole {
                        Some((term, boost)) => {
                            let whole = TermQuery::new(term.clone(), IndexRecordOption::WithFreqs);
                            Box::new(BooleanQuery::new(vec![
                                (Occur::Should, best),
                                (Occur::Should, boxed(Box::new(whole), *boost)),
                            ]))
                        }
                        None => best,
                    };
                    boxed(term, alternative.boost)
                })
                .collect();
            let best = DisjunctionMaxQuery::with_tie_breaker(alternatives, query.term_tie_breaker);
            (Occur::Should, Box::new(best) as Box<dyn Query>)
        })
        .collect();
    BooleanQuery::new(words)
}

/// Every match with its exact score bits, as an exhaustive collector sees them
/// (`Weight::for_each`).
fn all_scores(searcher: &Searcher, query: &dyn Query) -> Vec<(DocAddress, u32)> {
    let weight = (query.weight(EnableScoring::enabled_from_searcher(searcher))).expect("weight");
    let mut hits = Vec::new();
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let segment = segment as u32;
        (weight.for_each(reader, &mut |doc, score| {
            hits.push((DocAddress::new(segment, doc), score.to_bits()));
        }))
        .expect("scores");
    }
    hits
}

/// The best ten through block-WAND or the pruning loop, as `TopDocs` collects them.
fn top_ten(searcher: &Searcher, query: &dyn Query) -> Vec<(DocAddress, u32)> {
    let top = TopDocs::with_limit(10).order_by_score();
    (searcher.search(query, &top).expect("search"))
        .into_iter()
        .map(|(score, address)| (address, score.to_bits()))
        .collect()
}

#[test]
fn scores_are_bit_identical_to_the_nested_query() {
    let (searcher, fields) = index();
    let cases: [&[&[(f32, &str)]]; 6] = [
        // One word, one term.
        &[&[(1.0, "afval")]],
        // Words with parts, synonyms and typo corrections (several alternatives).
        &[
            &[(1.0, "kliko"), (0.8, "bak"), (0.5, "groen")],
            &[(1.0, "kosten")],
            &[(1.0, "papier"), (0.7, "parkeren")],
        ],
        // Five single-term words: block-WAND over the sum in tantivy.
        &[
            &[(1.0, "paspoort")],
            &[(1.0, "afspraak")],
            &[(1.0, "rijbewijs")],
            &[(1.0, "melding")],
            &[(1.0, "vergunning")],
        ],
        // A term no article has, next to known ones.
        &[&[(1.0, "onbekend"), (0.7, "afval")], &[(1.0, "bak")]],
        // Only unknown terms.
        &[&[(1.0, "onbekend")]],
        // Many words, each with several alternatives.
        &[
            &[(1.0, "afval"), (0.5, "bak")],
            &[(1.0, "paspoort"), (0.8, "rijbewijs")],
            &[(1.0, "kosten"), (0.7, "afspraak"), (0.5, "melding")],
            &[(1.0, "groen")],
        ],
    ];
    // Term weights kept across the cases, as a snapshot keeps them across messages: with
    // impact lists (for terms in at most `IMPACT_MAX_DOCS` articles of a segment: the parts
    // here, not the whole article), and with the impact budget spent (postings only).
    let weights = Arc::new(TermWeights::default());
    let spent = Arc::new(TermWeights::default());
    spent
        .impact_bytes
        .store(TermWeights::IMPACT_BUDGET, Ordering::Relaxed);
    for (words, whole) in (cases.iter()).flat_map(|w| [(*w, None), (*w, Some(2.0))]) {
        let query = words_query(fields, words, whole);
        let reference = nested(&query);
        let all = all_scores(&searcher, &query);
        assert_eq!(
            all,
            all_scores(&searcher, &reference),
            "all scores of {words:?}, whole {whole:?}"
        );
        assert_eq!(
            top_ten(&searcher, &query),
            top_ten(&searcher, &reference),
            "top of {words:?}, whole {whole:?}"
        );
        for weights in [&weights, &spent] {
            let kept = WordsQuery {
                weights: Some(weights.clone()),
                ..query.clone()
            };
            for _ in 0..2 {
                assert_eq!(all_scores(&searcher, &kept), all, "kept weights, {words:?}");
                assert_eq!(
                    top_ten(&searcher, &kept),
                    top_ten(&searcher, &reference),
                    "kept weights, top of {words:?}"
                );
            }
        }
        if words
            .iter()
            .any(|w| w.iter().any(|(_, t)| *t != "onbekend"))
        {
            assert!(
                all.len() > 100,
                "the case {words:?} should match many articles"
            );
        }
    }
    let listed = weights.impact_bytes.load(Ordering::Relaxed);
    assert!(listed > 0, "impact lists were used");
    assert_eq!(
        spent.impact_bytes.load(Ordering::Relaxed),
        TermWeights::IMPACT_BUDGET,
        "none fit in a spent budget"
    );
    let postings_only = (weights.weights.read().expect("weights").values())
        .flat_map(|w| &w.infos)
        .any(|(_, info)| {
            info.as_ref()
                .is_some_and(|i| i.doc_freq > TermWeights::IMPACT_MAX_DOCS)
        });
    assert!(postings_only, "some terms are too frequent for a list");
}
