//! Collecting scored articles: exhaustively, or with tantivy's block-WAND pruning.
//!
//! Resident messages become long OR-queries over few documents, where block-WAND's
//! bookkeeping can cost more than it prunes; `benches/suggest.rs` measures both.

use std::sync::Arc;

use tantivy::collector::{Collector, SegmentCollector, TopDocs};
use tantivy::columnar::ColumnValues;
use tantivy::query::Query;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::index::ORD_FIELD;
use super::{Scoring, Snapshot};

/// Scores every matching article: `(article ordinal, score)`, best first, at most `limit`
/// among those `keep` accepts.
pub fn top_articles(
    snapshot: &Snapshot,
    query: &dyn Query,
    limit: usize,
    keep: impl Fn(usize) -> bool,
) -> tantivy::Result<Vec<(usize, Score)>> {
    let searcher = &snapshot.index.searcher;
    let mut hits: Vec<(usize, Score)> = match snapshot.pipeline.scoring {
        Scoring::Exhaustive => searcher.search(query, &AllScores)?,
        Scoring::BlockWand => {
            let fetch = limit + snapshot.dated_articles;
            let docs = searcher.search(query, &TopDocs::with_limit(fetch).order_by_score())?;
            let mut hits = Vec::with_capacity(docs.len());
            for (score, address) in docs {
                let ords = ord_column(searcher.segment_reader(address.segment_ord))?;
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

/// Collects the score of every matching document.
struct AllScores;

struct AllScoresInSegment {
    ords: Arc<dyn ColumnValues<u64>>,
    hits: Vec<(usize, Score)>,
}

impl Collector for AllScores {
    type Fruit = Vec<(usize, Score)>;
    type Child = AllScoresInSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(AllScoresInSegment {
            ords: ord_column(reader)?,
            hits: Vec::new(),
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
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}
