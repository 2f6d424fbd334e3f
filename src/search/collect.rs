//! Collecting scored articles: exhaustively, or with tantivy's block-WAND pruning.
//!
//! Resident messages become long OR-queries, where block-WAND's bookkeeping could cost more
//! than it prunes; `benches/suggest.rs` measures both (see [`Scoring`]).

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::index::ORD_FIELD;
use super::{Scoring, Snapshot};

/// Articles with the same score come out in the order of their ordinals, not in the order the
/// index holds their documents (an article edited in place moves to the end of it), so an
/// update in place suggests what a full build suggests. tantivy's `TopDocs` cuts ties at its
/// limit by document, so block-WAND fetches this many more hits than it returns: ties of up to
/// this many articles at the cut are ordered by ordinal.
const TIES: usize = 8;

/// Scores every matching article: `(article ordinal, score)`, best first, at most `limit`
/// among those `keep` accepts.
pub fn top_articles(
    snapshot: &Snapshot,
    query: &dyn Query,
    limit: usize,
    keep: impl Fn(usize) -> bool,
) -> tantivy::Result<Vec<(usize, Score)>> {
    let searcher = &snapshot.index.searcher;
    // BM25 statistics as a full build has them, also after an update in place.
    // Articles outside their validity dates are dropped after collection, so fetch enough.
    let fetch = limit + snapshot.dated_articles;
    let mut hits: Vec<(usize, Score)> = match snapshot.pipeline.scoring {
        Scoring::Exhaustive => searcher.search_with_statistics_provider(
            query,
            &AllScores { keep: fetch },
            &snapshot.index,
        )?,
        Scoring::BlockWand => {
            let docs = searcher.search_with_statistics_provider(
                query,
                &TopDocs::with_limit(fetch + TIES).order_by_score(),
                &snapshot.index,
            )?;
            // Opening a column costs more than reading it: once per segment, not per hit.
            let mut columns: Vec<(SegmentOrdinal, Arc<dyn ColumnValues<u64>>)> = Vec::new();
            let mut hits = Vec::with_capacity(docs.len());
            for (score, address) in docs {
                let known = columns.iter().find(|(s, _)| *s == address.segment_ord);
                let ords = match known {
                    Some((_, ords)) => ords.clone(),
                    None => {
                        let ords = ord_column(searcher.segment_reader(address.segment_ord))?;
                        columns.push((address.segment_ord, ords.clone()));
                        ords
                    }
                };
                hits.push((ords.get_val(address.doc_id) as usize, score));
            }
            hits
        }
    };
    hits.retain(|(ord, _)| keep(*ord));
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.truncate(limit);
    Ok(hits)
}

fn ord_column(reader: &SegmentReader) -> tantivy::Result<Arc<dyn ColumnValues<u64>>> {
    Ok(reader.fast_fields().u64(ORD_FIELD)?.first_or_default_col(0))
}

/// Scores every matching document, keeping the best `keep` per segment.
struct AllScores {
    keep: usize,
}

struct AllScoresInSegment {
    ords: Arc<dyn ColumnValues<u64>>,
    keep: usize,
    hits: Vec<(usize, Score)>,
}

impl AllScoresInSegment {
    /// Cuts the buffer back to the best `keep` hits, ties by ordinal (amortised: only when it
    /// doubled).
    fn truncate(&mut self) {
        if self.hits.len() > self.keep {
            self.hits.select_nth_unstable_by(self.keep - 1, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            self.hits.truncate(self.keep);
        }
    }
}

impl Collector for AllScores {
    type Fruit = Vec<(usize, Score)>;
    type Child = AllScoresInSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let keep = self.keep.max(1);
        Ok(AllScoresInSegment {
            ords: ord_column(reader)?,
            keep,
            hits: Vec::with_capacity(2 * keep),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(usize, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllScoresInSegment {
    type Fruit = Vec<(usize, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.hits.push((self.ords.get_val(doc) as usize, score));
        if self.hits.len() >= 2 * self.keep {
            self.truncate();
        }
    }

    fn harvest(mut self) -> Self::Fruit {
        self.truncate();
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use url::Url;

    use super::*;
    use crate::kb::{Article, KnowledgeBase};
    use crate::search::{Pipeline, Settings};

    /// Eight articles with the same text, so every query scores them all the same.
    fn twins() -> KnowledgeBase {
        let articles = (0..8)
            .map(|i| {
                Article::for_test(
                    &format!("tweeling-{i}"),
                    "Kliko aan de straat",
                    &["wanneer moet de kliko buiten", "kliko vergeten"],
                    "Zet de kliko voor 7.30 uur aan de straat.",
                )
            })
            .collect();
        KnowledgeBase {
            dir: "kb".into(),
            articles,
            synonyms: Default::default(),
            content_hash: None,
        }
    }

    #[test]
    fn tied_articles_come_in_ordinal_order_also_after_an_edit_in_place() {
        for scoring in [Scoring::BlockWand, Scoring::Exhaustive] {
            let settings = Settings {
                pipeline: Pipeline {
                    scoring,
                    ..Pipeline::FULL
                },
                site_url: Url::parse("https://www.dijkstede.example").expect("a URL"),
            };
            let kb = twins();
            let built = Snapshot::build(&kb, &settings).expect("builds");
            // The same text with another department: the same score, but the article's
            // document moves to the end of the index.
            let mut first = kb.articles[0].clone();
            first.department = "Afval".into();
            let edited = built.with_article(first, None).expect("in place");
            for snapshot in [&built, &edited] {
                let found = snapshot.suggest("kliko buiten", 3, crate::search::today());
                let ids: Vec<&str> = found.suggestions.iter().map(|s| s.id.as_str()).collect();
                assert_eq!(
                    ids,
                    ["tweeling-0", "tweeling-1", "tweeling-2"],
                    "{scoring:?}"
                );
            }
        }
    }
}
