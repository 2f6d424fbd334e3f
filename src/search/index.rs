//! The tantivy index of one knowledge-base version.
//!
//! Articles are analysed once, here, and handed to tantivy pre-tokenized; the same terms also
//! fill a small in-memory term table per article, used to explain matches and compute
//! confidence without touching postings again.

use rustc_hash::FxHashMap as HashMap;

use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexWriter, ReloadPolicy, Searcher, TantivyDocument};

use crate::kb::Article;

/// Name of the article-ordinal fast field (index into the snapshot's article list).
pub const ORD_FIELD: &str = "ord";
/// Name under which the snapshot's analyzer is registered with its index.
const ANALYZER: &str = "vraagbaak";
const WRITER_MEMORY_PER_THREAD: usize = 50_000_000;
const WRITER_BYTES_PER_ARTICLE: usize = 8_000;
/// tantivy's minimum arena per writer thread (`MEMORY_BUDGET_NUM_BYTES_MIN`, not exported).
const MEMORY_BUDGET_NUM_BYTES_MIN: usize = 15_000_000;
const ARTICLES_PER_WRITER_THREAD: usize = 1_000;
const MAX_WRITER_THREADS: usize = 4;

/// The searchable parts of an article, strongest signal first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Title,
    Questions,
    Keywords,
    Body,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Title, Part::Questions, Part::Keywords, Part::Body];

    /// This part's bit in a set of parts.
    pub fn bit(self) -> u8 {
        match self {
            Part::Title => 1,
            Part::Questions => 2,
            Part::Keywords => 4,
            Part::Body => 8,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Part::Title => "title",
            Part::Questions => "questions",
            Part::Keywords => "keywords",
            Part::Body => "body",
        }
    }

    /// The text of this part of `article`, as indexed.
    pub fn text(self, article: &Article) -> String {
        match self {
            Part::Title => article.title.clone(),
            Part::Questions => article.questions.join("\n"),
            Part::Keywords => {
                let tags = article.tags.iter().map(|t| t.replace('-', " "));
                article
                    .keywords
                    .iter()
                    .cloned()
                    .chain(tags)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Part::Body => strip_link_targets(&article.body),
        }
    }
}

/// Term ids with the articles they occur in.
#[derive(Default)]
pub struct TermTable {
    ids: HashMap<String, u32>,
    /// Per term id: in how many articles it occurs.
    doc_freq: Vec<u32>,
    /// Per term id: the parts of any article it occurs in, one bit per [`Part::bit`].
    parts: Vec<u8>,
    /// Per article: the sorted ids of the terms it contains in any part.
    by_article: Vec<Vec<u32>>,
    /// Per article: the sorted ids of terms it contains as a word of their own, not only
    /// inside a compound (`inspreken` contains `spreken` only as a part).
    whole_by_article: Vec<Vec<u32>>,
    /// Per article: the sorted ids of the terms in its title.
    title_by_article: Vec<Vec<u32>>,
}

/// How an article contains a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Containment {
    /// Only as part of a compound word.
    InCompound,
    /// As a word of its own.
    AsWord,
}

impl TermTable {
    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// Whether any article has the term in `part`: a query need not search the others.
    pub fn occurs_in(&self, term: u32, part: Part) -> bool {
        self.parts
            .get(term as usize)
            .is_some_and(|bits| bits & part.bit() != 0)
    }

    /// Whether the article's title contains the term.
    pub fn in_title(&self, ord: usize, term: u32) -> bool {
        self.title_by_article
            .get(ord)
            .is_some_and(|terms| terms.binary_search(&term).is_ok())
    }

    /// Whether, and how, article `ord` contains the term.
    pub fn containment(&self, ord: usize, term: u32) -> Option<Containment> {
        let has = |lists: &[Vec<u32>]| {
            lists
                .get(ord)
                .is_some_and(|terms| terms.binary_search(&term).is_ok())
        };
        if has(&self.whole_by_article) {
            Some(Containment::AsWord)
        } else if has(&self.by_article) {
            Some(Containment::InCompound)
        } else {
            None
        }
    }

    /// BM25's inverse document frequency of a term.
    pub fn idf(&self, term: u32) -> f32 {
        let n = self.by_article.len() as f32;
        let df = self.doc_freq.get(term as usize).copied().unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The idf of a term that occurs in a single article: the most specific a word can be.
    pub fn max_idf(&self) -> f32 {
        let n = self.by_article.len() as f32;
        (1.0 + (n - 0.5) / 1.5).ln()
    }
}

/// A built, read-only index.
pub struct SearchIndex {
    pub searcher: Searcher,
    pub fields: [Field; 4],
    /// The whole article as one text: a plain BM25 over everything it says.
    pub all: Field,
    pub terms: TermTable,
}

impl SearchIndex {
    /// Indexes `articles` with `analyzer`. tantivy analyses and indexes on its own threads
    /// while this thread fills the term table with the same analyzer.
    pub fn build(articles: &[Article], analyzer: &TextAnalyzer) -> tantivy::Result<SearchIndex> {
        let mut schema = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Part::ALL.map(|part| schema.add_text_field(part.name(), options.clone()));
        let all = schema.add_text_field("all", options.clone());
        let ord = schema.add_u64_field(ORD_FIELD, FAST);
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(ANALYZER, analyzer.clone());
        // Small knowledge bases index fastest on one thread with a small arena.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_WRITER_THREADS)
            .min(articles.len().div_ceil(ARTICLES_PER_WRITER_THREAD))
            .max(1);
        let memory = (articles.len() * WRITER_BYTES_PER_ARTICLE / threads)
            .clamp(MEMORY_BUDGET_NUM_BYTES_MIN, WRITER_MEMORY_PER_THREAD);
        let mut writer: IndexWriter = index.writer_with_num_threads(threads, memory * threads)?;
        let mut analyzer = analyzer.clone();
        let mut terms = TermTable::default();
        for (position, article) in articles.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            let mut article_terms = Vec::new();
            let mut whole_terms = Vec::new();
            for (part, field) in Part::ALL.into_iter().zip(fields) {
                let text = part.text(article);
                let mut stream = analyzer.token_stream(&text);
                let mut last_position = usize::MAX;
                let mut title = Vec::new();
                while let Some(token) = stream.next() {
                    let id = terms.intern(&token.text);
                    terms.parts[id as usize] |= part.bit();
                    article_terms.push(id);
                    // Compound parts follow their word at the same position.
                    if token.position != last_position {
                        whole_terms.push(id);
                        last_position = token.position;
                    }
                    if part == Part::Title {
                        title.push(id);
                    }
                }
                drop(stream);
                if part == Part::Title {
                    title.sort_unstable();
                    title.dedup();
                    terms.title_by_article.push(title);
                }
                // The whole article is the `all` field's values together: one field length,
                // one term frequency, as if the parts were one text.
                doc.add_text(all, &text);
                doc.add_text(field, text);
            }
            doc.add_u64(ord, position as u64);
            writer.add_document(doc)?;
            for list in [&mut article_terms, &mut whole_terms] {
                list.sort_unstable();
                list.dedup();
            }
            for id in &article_terms {
                terms.doc_freq[*id as usize] += 1;
            }
            terms.by_article.push(article_terms);
            terms.whole_by_article.push(whole_terms);
        }
        writer.commit()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            searcher: reader.searcher(),
            fields,
            all,
            terms,
        })
    }
}

impl TermTable {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(id) = self.ids.get(term) {
            return *id;
        }
        let id = self.doc_freq.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.doc_freq.push(0);
        self.parts.push(0);
        id
    }
}

/// Drops the `(url)` of Markdown links so URLs do not become search words.
fn strip_link_targets(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..at + 1]);
        rest = &rest[at + 2..];
        match rest.find(')') {
            Some(close) => rest = &rest[close + 1..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, title: &str, keywords: &[&str], body: &str) -> Article {
        Article {
            id: id.into(),
            path: format!("{id}.md").into(),
            title: title.into(),
            questions: vec!["hoe vraag ik een paspoort aan".into()],
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
            tags: vec!["burgerzaken".into()],
            department: "Publiekszaken".into(),
            links: Vec::new(),
            bot: true,
            valid_from: None,
            valid_until: None,
            owner: None,
            reviewed: None,
            body: body.into(),
        }
    }

    /// The parts recorded per term are exactly the fields whose tantivy postings hold it.
    #[test]
    fn term_parts_match_the_indexed_fields() {
        let articles = [
            article(
                "paspoort",
                "Paspoort aanvragen",
                &["reisdocument"],
                "Bij de balie.",
            ),
            article(
                "afval",
                "Afvalkalender",
                &["kliko", "paspoort"],
                "De kliko aan de weg.",
            ),
        ];
        let analyzer = crate::search::analysis::Analysis::Plain.text_analyzer([]);
        let index = SearchIndex::build(&articles, &analyzer).expect("index");
        let mut checked = 0;
        for (term, &id) in &index.terms.ids {
            for (part, field) in Part::ALL.into_iter().zip(index.fields) {
                let in_postings = index.searcher.segment_readers().iter().any(|reader| {
                    let postings = reader.inverted_index(field).expect("field");
                    let term = tantivy::Term::from_field_text(field, term);
                    postings.get_term_info(&term).expect("lookup").is_some()
                });
                assert_eq!(
                    index.terms.occurs_in(id, part),
                    in_postings,
                    "{term} in {part:?}"
                );
                checked += usize::from(in_postings);
            }
        }
        assert!(
            checked > 10,
            "the articles should index terms in several parts"
        );
        let paspoort = index.terms.id("paspoort").expect("known");
        assert!(index.terms.occurs_in(paspoort, Part::Keywords));
        assert!(!index.terms.occurs_in(paspoort, Part::Body));
    }

    #[test]
    fn link_targets_are_not_indexed() {
        assert_eq!(
            strip_link_targets("Zie [de afvalkalender](/afval/kalender) of **bel**."),
            "Zie [de afvalkalender] of **bel**."
        );
    }
}
