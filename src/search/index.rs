//! The tantivy index of one knowledge-base version.
//!
//! Articles are analysed once, here, and handed to tantivy pre-tokenized ([`analysed`]); the
//! same terms also fill a small in-memory term table per article, used to explain matches and
//! compute confidence without touching postings again.

mod analysed;

use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use tantivy::indexer::NoMergePolicy;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::words_query::TermWeights;
use crate::kb::Article;
use analysed::{AnalysedText, AnalysedTokenizer};

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

/// Words that say what follows is absent: "geen eigen oprit", "zonder afspraak".
const NEGATIONS: [&str; 2] = ["geen", "zonder"];
/// How many words after a negation it covers ("geen eigen oprit").
pub const NEGATED_WORDS: usize = 2;

/// Reads a token stream for negations ([`NEGATIONS`], analysed as the index analyses them).
struct NegationScope<'n> {
    negations: &'n [String],
    /// The position of the last negation read.
    at: Option<usize>,
}

impl<'n> NegationScope<'n> {
    fn new(negations: &'n [String]) -> Self {
        NegationScope {
            negations,
            at: None,
        }
    }

    /// `None` for a negation itself; otherwise whether the token comes within
    /// [`NEGATED_WORDS`] after one ("oprit" in "geen eigen oprit").
    fn read(&mut self, text: &str, position: usize) -> Option<bool> {
        if self.negations.iter().any(|n| n == text) {
            self.at = Some(position);
            return None;
        }
        let after = (self.at)
            .is_some_and(|at| (1..=NEGATED_WORDS).contains(&(position.saturating_sub(at))));
        Some(after)
    }
}

/// The condition an article's text opens with, when it opens with one: a first sentence that
/// asks "Heeft u een elektrische auto en geen eigen oprit?", answered by the next, "Dan kunt
/// u …". It says whom the article is for.
fn opening_condition(body: &str) -> Option<&str> {
    let body = body.trim_start();
    let end = body.find(['?', '.', '!', '\n'])?;
    let rest = body[end + 1..].trim_start();
    (body[end..].starts_with('?') && rest.starts_with("Dan ")).then(|| &body[..end])
}

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

    /// This part's position in [`Part::ALL`].
    fn index(self) -> usize {
        match self {
            Part::Title => 0,
            Part::Questions => 1,
            Part::Keywords => 2,
            Part::Body => 3,
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
#[derive(Default, Clone)]
pub struct TermTable {
    ids: HashMap<String, u32>,
    /// Per term id: in how many articles it occurs. A term whose last article changed keeps
    /// its id with a count of 0 and counts as unknown ([`TermTable::id`]).
    doc_freq: Vec<u32>,
    /// Per term id and [`Part`]: in how many articles it occurs in that part. Counts, not
    /// bits, so that replacing an article in place removes its parts exactly.
    parts: Vec<[u32; 4]>,
    /// Per article: the sorted ids of the terms it contains in any part.
    by_article: Vec<Vec<u32>>,
    /// Per article: the sorted ids of terms it contains as a word of their own, not only
    /// inside a compound (`inspreken` contains `spreken` only as a part).
    whole_by_article: Vec<Vec<u32>>,
    /// Per article: the sorted ids of the terms in its title.
    title_by_article: Vec<Vec<u32>>,
    /// Per article: the sorted ids of the terms it has only right after a negation ("geen
    /// eigen oprit", "zonder afspraak"): what the article is not about.
    negated_by_article: Vec<Vec<u32>>,
    /// Per article: of those, the sorted ids of the terms its opening condition negates
    /// ("Heeft u geen eigen oprit? Dan …"): whom the article is not for.
    excluding_by_article: Vec<Vec<u32>>,
}

/// One article's terms, as [`TermTable::analyse`] finds them; every list sorted and unique.
struct ArticleTerms {
    all: Vec<u32>,
    whole: Vec<u32>,
    title: Vec<u32>,
    /// The terms only ever right after a negation ([`NEGATIONS`]).
    negated: Vec<u32>,
    /// Of those, the ones the body's opening condition negates ([`opening_condition`]).
    excluding: Vec<u32>,
    /// Per part, in [`Part::ALL`] order.
    parts: [Vec<u32>; 4],
    /// Per part: how many tokens tantivy indexes for it (its field length).
    tokens: [u64; 4],
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
    /// The id of a term that some article contains.
    pub fn id(&self, term: &str) -> Option<u32> {
        (self.ids.get(term).copied()).filter(|&id| self.doc_freq[id as usize] > 0)
    }

    /// Whether any article has the term in `part`: a query need not search the others.
    pub fn occurs_in(&self, term: u32, part: Part) -> bool {
        self.parts
            .get(term as usize)
            .is_some_and(|counts| counts[part.index()] > 0)
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

    /// Whether article `ord` has the term only right after a negation: "oprit" in an
    /// article for residents with "geen eigen oprit".
    pub fn only_negated(&self, ord: usize, term: u32) -> bool {
        self.negated_by_article
            .get(ord)
            .is_some_and(|terms| terms.binary_search(&term).is_ok())
    }

    /// Whether article `ord` is not for whoever has the term: its opening condition negates it
    /// and the article never has it otherwise ("Heeft u geen eigen oprit? Dan …").
    pub fn excludes(&self, ord: usize, term: u32) -> bool {
        self.excluding_by_article
            .get(ord)
            .is_some_and(|terms| terms.binary_search(&term).is_ok())
    }

    /// BM25's inverse document frequency of a term.
    pub fn idf(&self, term: u32) -> f32 {
        let n = self.by_article.len() as f32;
        let df = self.doc_freq.get(term as usize).copied().unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// The idf of a term that occurs in a single article: the most specific a known word can
    /// be ([`TermTable::unknown_idf`] is for words no article has).
    pub fn max_idf(&self) -> f32 {
        let n = self.by_article.len() as f32;
        (1.0 + (n - 0.5) / 1.5).ln()
    }

    /// The idf of a term no article contains: more specific than any known word.
    pub fn unknown_idf(&self) -> f32 {
        let n = self.by_article.len() as f32;
        (1.0 + (n + 0.5) / 0.5).ln()
    }

    /// The terms of `article` as `analyzer` makes them, interning new ones, and each part's
    /// terms as tantivy indexes them ([`AnalysedText`]).
    fn analyse(
        &mut self,
        article: &Article,
        analyzer: &mut TextAnalyzer,
    ) -> (ArticleTerms, [String; 4]) {
        let mut terms = ArticleTerms {
            all: Vec::new(),
            whole: Vec::new(),
            title: Vec::new(),
            negated: Vec::new(),
            excluding: Vec::new(),
            parts: Default::default(),
            tokens: [0; 4],
        };
        let negations: Vec<String> = (NEGATIONS.iter())
            .filter_map(|word| analyzer.token_stream(word).next().map(|t| t.text.clone()))
            .collect();
        let mut affirmed: Vec<u32> = Vec::new();
        let texts = Part::ALL.map(|part| {
            let text = part.text(article);
            let mut stream = analyzer.token_stream(&text);
            let mut analysed = AnalysedText::default();
            let mut last_position = usize::MAX;
            let mut scope = NegationScope::new(&negations);
            while let Some(token) = stream.next() {
                analysed.push(token.position, &token.text);
                let id = self.intern(&token.text);
                terms.parts[part.index()].push(id);
                terms.tokens[part.index()] += 1;
                terms.all.push(id);
                // Compound parts follow their word at the same position.
                if token.position != last_position {
                    terms.whole.push(id);
                    last_position = token.position;
                }
                if part == Part::Title {
                    terms.title.push(id);
                }
                match scope.read(&token.text, token.position) {
                    Some(true) => terms.negated.push(id),
                    Some(false) => affirmed.push(id),
                    None => {}
                }
            }
            analysed.into_text()
        });
        affirmed.sort_unstable();
        affirmed.dedup();
        terms
            .negated
            .retain(|id| affirmed.binary_search(id).is_err());
        if let Some(condition) = opening_condition(&article.body) {
            let mut stream = analyzer.token_stream(condition);
            let mut scope = NegationScope::new(&negations);
            while let Some(token) = stream.next() {
                if scope.read(&token.text, token.position) == Some(true)
                    && let Some(&id) = self.ids.get(&token.text)
                    && terms.negated.contains(&id)
                {
                    terms.excluding.push(id);
                }
            }
        }
        let ArticleTerms {
            all,
            whole,
            title,
            negated,
            excluding,
            parts,
            ..
        } = &mut terms;
        for list in [all, whole, title, negated, excluding]
            .into_iter()
            .chain(parts)
        {
            list.sort_unstable();
            list.dedup();
        }
        (terms, texts)
    }

    /// Counts `terms` as the terms of article `ord` (a new article when `ord` is the count).
    fn add(&mut self, ord: usize, terms: ArticleTerms) {
        for id in &terms.all {
            self.doc_freq[*id as usize] += 1;
        }
        for (index, ids) in terms.parts.iter().enumerate() {
            for id in ids {
                self.parts[*id as usize][index] += 1;
            }
        }
        let lists = [
            (&mut self.by_article, terms.all),
            (&mut self.whole_by_article, terms.whole),
            (&mut self.title_by_article, terms.title),
            (&mut self.negated_by_article, terms.negated),
            (&mut self.excluding_by_article, terms.excluding),
        ];
        for (per_article, list) in lists {
            if ord == per_article.len() {
                per_article.push(list);
            } else {
                per_article[ord] = list;
            }
        }
    }

    /// Uncounts `terms`, the terms an article had.
    fn remove(&mut self, terms: &ArticleTerms) {
        for id in &terms.all {
            self.doc_freq[*id as usize] -= 1;
        }
        for (index, ids) in terms.parts.iter().enumerate() {
            for id in ids {
                self.parts[*id as usize][index] -= 1;
            }
        }
    }
}

/// A built index, read-only to searches.
pub struct SearchIndex {
    pub searcher: Searcher,
    pub fields: [Field; 4],
    /// The whole article as one text: a plain BM25 over everything it says.
    pub all: Field,
    pub terms: TermTable,
    /// Kept to replace one article in place ([`SearchIndex::with_article`]).
    index: Index,
    reader: IndexReader,
    /// The article ordinal: a fast field for collectors, indexed to delete by.
    ord: Field,
    /// Per part: the tokens of the documents deleted in place, which tantivy still counts in
    /// its field lengths until segments merge. `None` when nothing was deleted.
    deleted_tokens: Option<[u64; 4]>,
    /// Per part, then for `all`: the field's length over all live articles, as BM25 needs it
    /// for every term of every message (tantivy would sum it over the segments each time).
    field_tokens: [u64; 5],
    /// Term weights made with this index's statistics, for its queries.
    pub weights: Arc<TermWeights>,
}

impl SearchIndex {
    /// Indexes `articles` with `analyzer`: this thread analyses each article once, for the
    /// term table and for tantivy, which indexes the terms on its own threads meanwhile.
    pub fn build(articles: &[Article], analyzer: &TextAnalyzer) -> tantivy::Result<SearchIndex> {
        let mut schema = Schema::builder();
        let options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqs),
        );
        let fields = Part::ALL.map(|part| schema.add_text_field(part.name(), options.clone()));
        let all = schema.add_text_field("all", options.clone());
        let ord = schema.add_u64_field(ORD_FIELD, FAST | INDEXED);
        let index = Index::create_in_ram(schema.build());
        // Texts come analysed already (`TermTable::analyse`).
        index
            .tokenizers()
            .register(ANALYZER, TextAnalyzer::from(AnalysedTokenizer));
        // Small knowledge bases index fastest on one thread with a small arena.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_WRITER_THREADS)
            .min(articles.len().div_ceil(ARTICLES_PER_WRITER_THREAD))
            .max(1);
        let memory = (articles.len() * WRITER_BYTES_PER_ARTICLE / threads)
            .clamp(MEMORY_BUDGET_NUM_BYTES_MIN, WRITER_MEMORY_PER_THREAD);
        let writer: IndexWriter = index.writer_with_num_threads(threads, memory * threads)?;
        let mut analyzer = analyzer.clone();
        let mut terms = TermTable::default();
        for (position, article) in articles.iter().enumerate() {
            let (article_terms, texts) = terms.analyse(article, &mut analyzer);
            writer.add_document(document(&fields, all, ord, position, texts))?;
            terms.add(position, article_terms);
        }
        commit(writer)?;
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let searcher = reader.searcher();
        let index = SearchIndex {
            field_tokens: field_tokens(&searcher, &fields, all, [0; 4])?,
            weights: Arc::default(),
            searcher,
            fields,
            all,
            terms,
            index,
            reader,
            ord,
            deleted_tokens: None,
        };
        index.prewarm(TermWeights::CAPACITY)?;
        Ok(index)
    }

    /// Makes every term's weight up front when all of them fit in the kept weights (the
    /// sample knowledge base has 9,825 terms in its five fields; a large one makes them per
    /// message, as before). A message then spends nothing on the weights of words
    /// the knowledge base has, also right after a build, at a few milliseconds per build.
    fn prewarm(&self, capacity: usize) -> tantivy::Result<()> {
        let mut dictionaries = Vec::new();
        for field in self.fields.iter().chain([&self.all]) {
            for reader in self.searcher.segment_readers() {
                dictionaries.push((*field, reader.inverted_index(*field)?));
            }
        }
        // A term in several segments counts once per segment here, and is made once.
        let count: usize = (dictionaries.iter())
            .map(|(_, inverted)| inverted.terms().num_terms())
            .sum();
        if count > capacity {
            return Ok(());
        }
        let mut terms = Vec::with_capacity(count);
        for (field, inverted) in &dictionaries {
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                terms.push(Term::from_field_text(
                    *field,
                    &String::from_utf8_lossy(stream.key()),
                ));
            }
        }
        self.weights.prewarm(terms, &self.searcher, self)
    }

    /// This index with article `ord` replaced by `article` (`ord` = the article count adds
    /// it), analysed with `analyzer`, the analyzer this index was built with. `old` is the
    /// article at `ord` now. The tantivy index is shared and updated in place: searchers
    /// taken before keep seeing the documents as they were.
    pub fn with_article(
        &self,
        ord: usize,
        old: Option<&Article>,
        article: &Article,
        analyzer: &TextAnalyzer,
    ) -> tantivy::Result<SearchIndex> {
        let mut analyzer = analyzer.clone();
        let mut terms = self.terms.clone();
        let mut deleted_tokens = self.deleted_tokens.unwrap_or_default();
        if let Some(old) = old {
            let (old_terms, _) = terms.analyse(old, &mut analyzer);
            terms.remove(&old_terms);
            for (deleted, tokens) in deleted_tokens.iter_mut().zip(old_terms.tokens) {
                *deleted += tokens;
            }
        }
        let (new_terms, texts) = terms.analyse(article, &mut analyzer);
        terms.add(ord, new_terms);
        let writer: IndexWriter = self
            .index
            .writer_with_num_threads(1, MEMORY_BUDGET_NUM_BYTES_MIN)?;
        // Merging is left to the next full build, which replaces this index.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        writer.delete_term(Term::from_field_u64(self.ord, ord as u64));
        writer.add_document(document(&self.fields, self.all, self.ord, ord, texts))?;
        commit(writer)?;
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        Ok(SearchIndex {
            field_tokens: field_tokens(&searcher, &self.fields, self.all, deleted_tokens)?,
            weights: Arc::default(),
            searcher,
            fields: self.fields,
            all: self.all,
            terms,
            index: self.index.clone(),
            reader: self.reader.clone(),
            ord: self.ord,
            deleted_tokens: Some(deleted_tokens),
        })
    }
}

/// BM25's statistics as a full build of the same articles has them. tantivy counts deleted
/// documents in its statistics until segments merge, so after an article was replaced in
/// place the article and term counts come from the term table (which has, per term, the
/// articles with it in each part and in any part: the document frequencies of the part
/// fields and of `all`), and field lengths leave out the deleted documents' tokens. Scores
/// then equal a rebuild's whenever the analysis is the same.
///
/// The counts come from the term table and `field_tokens` in a full build too (where they
/// equal tantivy's): tantivy looks each term up in every segment's term dictionary, and
/// sums the field lengths over the segments, for every term of every message.
impl Bm25StatisticsProvider for SearchIndex {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        match self.fields.iter().position(|f| *f == field) {
            Some(part) => Ok(self.field_tokens[part]),
            None if field == self.all => Ok(self.field_tokens[4]),
            None => self.searcher.total_num_tokens(field),
        }
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        match self.deleted_tokens {
            Some(_) => Ok(self.terms.by_article.len() as u64),
            None => self.searcher.total_num_docs(),
        }
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let known = (term.value().as_str()).and_then(|text| self.terms.ids.get(text));
        let Some(&id) = known else {
            return self.searcher.doc_freq(term);
        };
        let id = id as usize;
        let field = term.field();
        Ok(match self.fields.iter().position(|f| *f == field) {
            Some(part) => self.terms.parts[id][part],
            None if field == self.all => self.terms.doc_freq[id],
            None => return self.searcher.doc_freq(term),
        }
        .into())
    }
}

/// Per part, then for `all`: the field's indexed length less the tokens of deleted
/// documents (`deleted`, per part).
fn field_tokens(
    searcher: &Searcher,
    fields: &[Field; 4],
    all: Field,
    deleted: [u64; 4],
) -> tantivy::Result<[u64; 5]> {
    let mut tokens = [0; 5];
    for (part, field) in fields.iter().enumerate() {
        tokens[part] = searcher.total_num_tokens(*field)? - deleted[part];
    }
    tokens[4] = searcher.total_num_tokens(all)? - deleted.iter().sum::<u64>();
    Ok(tokens)
}

/// The tantivy document of the article at `ord`, from its parts' texts.
fn document(
    fields: &[Field; 4],
    all: Field,
    ord: Field,
    position: usize,
    texts: [String; 4],
) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    for (field, text) in fields.iter().zip(texts) {
        // The whole article is the `all` field's values together: one field length,
        // one term frequency, as if the parts were one text.
        doc.add_text(all, &text);
        doc.add_text(*field, text);
    }
    doc.add_u64(ord, position as u64);
    doc
}

fn commit(mut writer: IndexWriter) -> tantivy::Result<()> {
    writer.commit()?;
    Ok(())
}

impl TermTable {
    fn intern(&mut self, term: &str) -> u32 {
        if let Some(id) = self.ids.get(term) {
            return *id;
        }
        let id = self.doc_freq.len() as u32;
        self.ids.insert(term.to_string(), id);
        self.doc_freq.push(0);
        self.parts.push([0; 4]);
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
            not_answered: vec![],
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

    /// A passport article, and a waste article that has "paspoort" as a keyword.
    fn two_articles() -> Vec<Article> {
        vec![
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
        ]
    }

    /// The index of one charging-point article with this body.
    fn charging_point(body: &str) -> SearchIndex {
        let articles = vec![article("laadpaal", "Laadpaal aanvragen", &[], body)];
        let analyzer = crate::search::analysis::Analysis::Plain.text_analyzer([]);
        SearchIndex::build(&articles, &analyzer).expect("index")
    }

    /// A term an article has only right after "geen" or "zonder" is what it is not about;
    /// one it also has elsewhere is not.
    #[test]
    fn terms_only_after_a_negation_are_marked() {
        let index = charging_point(
            "Heeft u geen eigen oprit? Dan vraagt u een laadpaal aan. Zonder afspraak kunt u \
             niet langskomen. Maak een afspraak online.",
        );
        let terms = &index.terms;
        let negated = |word: &str| terms.only_negated(0, terms.id(word).expect(word));
        assert!(negated("oprit"));
        assert!(negated("eigen"));
        assert!(!negated("laadpaal"));
        // "afspraak" follows "zonder" once, and stands on its own later.
        assert!(!negated("afspraak"));
        assert!(!negated("geen"));
    }

    #[test]
    fn an_opening_condition_is_a_first_question_answered_by_dan() {
        let opening = opening_condition;
        assert_eq!(
            opening("Heeft u geen eigen oprit? Dan vraagt u een laadpaal aan."),
            Some("Heeft u geen eigen oprit")
        );
        assert_eq!(opening("Geen DigiD? Bel ons."), None);
        assert_eq!(
            opening("U vraagt het aan. Heeft u geen DigiD? Dan belt u."),
            None
        );
        assert_eq!(opening("Stuur geen BSN via WhatsApp."), None);
    }

    /// Of the terms an article has only after a negation, those of its opening condition
    /// exclude: "oprit" in "Heeft u geen eigen oprit? Dan …", not "afspraak" later on.
    #[test]
    fn an_opening_condition_excludes_what_it_negates() {
        let index = charging_point(
            "Heeft u een auto en geen eigen oprit? Dan vraagt u een laadpaal aan. Zonder \
             afspraak kunt u niet langskomen.",
        );
        let terms = &index.terms;
        let excludes = |word: &str| terms.excludes(0, terms.id(word).expect(word));
        assert!(excludes("oprit"));
        assert!(!excludes("auto"));
        assert!(!excludes("afspraak"));
        assert!(terms.only_negated(0, terms.id("afspraak").expect("afspraak")));
    }

    /// After a full build, the BM25 statistics the index answers from its term table equal
    /// tantivy's own, for every term in every field.
    #[test]
    fn statistics_equal_tantivys_after_a_full_build() {
        let mut articles = two_articles();
        articles.push(article(
            "rijbewijs",
            "Rijbewijs verlengen",
            &["paspoort", "rijbewijs"],
            "Verleng uw rijbewijs op tijd. Neem uw paspoort mee naar de balie.",
        ));
        let analyzer = crate::search::analysis::Analysis::Plain.text_analyzer([]);
        let index = SearchIndex::build(&articles, &analyzer).expect("index");
        let searcher = &index.searcher;
        let fields = index.fields.iter().chain([&index.all]);
        for field in fields {
            assert_eq!(
                index.total_num_tokens(*field).expect("tokens"),
                searcher.total_num_tokens(*field).expect("tokens"),
            );
            for term in index.terms.ids.keys() {
                let term = Term::from_field_text(*field, term);
                assert_eq!(
                    index.doc_freq(&term).expect("doc freq"),
                    searcher.doc_freq(&term).expect("doc freq"),
                    "{term:?}"
                );
            }
        }
        assert_eq!(
            index.total_num_docs().expect("docs"),
            searcher.total_num_docs().expect("docs")
        );
    }

    /// A full build keeps the weight of every term in every field, when they all fit, and
    /// none when they do not.
    #[test]
    fn a_full_build_makes_every_terms_weight_when_they_fit() {
        let articles = two_articles();
        let analyzer = crate::search::analysis::Analysis::Plain.text_analyzer([]);
        let mut index = SearchIndex::build(&articles, &analyzer).expect("index");
        let mut in_fields = 0;
        for field in index.fields.iter().chain([&index.all]) {
            for reader in index.searcher.segment_readers() {
                in_fields += reader
                    .inverted_index(*field)
                    .expect("field")
                    .terms()
                    .num_terms();
            }
        }
        assert!(in_fields > 10, "{in_fields}");
        assert_eq!(index.weights.len(), in_fields);
        index.weights = Arc::default();
        index.prewarm(in_fields - 1).expect("prewarm");
        assert!(index.weights.is_empty(), "one too many to keep: none made");
        index.prewarm(in_fields).expect("prewarm");
        assert_eq!(index.weights.len(), in_fields);
    }

    /// The parts recorded per term are exactly the fields whose tantivy postings hold it.
    #[test]
    fn term_parts_match_the_indexed_fields() {
        let articles = two_articles();
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

    /// Per term: its text, article count and per-part counts.
    type TermCounts = Vec<(String, u32, [u32; 4])>;
    /// Per article: its terms, whole words and title terms, as text.
    type ArticleWords = Vec<[Vec<String>; 3]>;

    /// Everything the term table says, by term text rather than id.
    fn described(terms: &TermTable) -> (TermCounts, ArticleWords) {
        let mut names: Vec<(&String, &u32)> = terms.ids.iter().collect();
        names.sort();
        let per_term = (names.iter())
            .filter(|(_, id)| terms.doc_freq[**id as usize] > 0)
            .map(|(term, id)| {
                let id = **id as usize;
                ((*term).clone(), terms.doc_freq[id], terms.parts[id])
            })
            .collect();
        let text: HashMap<u32, &String> = names.iter().map(|(t, id)| (**id, *t)).collect();
        let words = |ids: &Vec<u32>| {
            let mut words: Vec<String> = ids.iter().map(|id| text[id].clone()).collect();
            words.sort();
            words
        };
        let per_article = (0..terms.by_article.len())
            .map(|ord| {
                [
                    words(&terms.by_article[ord]),
                    words(&terms.whole_by_article[ord]),
                    words(&terms.title_by_article[ord]),
                ]
            })
            .collect();
        (per_term, per_article)
    }

    /// The ordinals of the documents a search for `term` in the `all` field finds.
    fn found(index: &SearchIndex, term: &str) -> Vec<u64> {
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(index.all, term),
            IndexRecordOption::Basic,
        );
        let docs = (index.searcher)
            .search(&query, &tantivy::collector::DocSetCollector)
            .expect("search");
        let mut ords: Vec<u64> = (docs.into_iter())
            .map(|address| {
                let reader = index.searcher.segment_reader(address.segment_ord);
                let column = reader.fast_fields().u64(ORD_FIELD).expect("ord");
                column.first(address.doc_id).expect("an ord")
            })
            .collect();
        ords.sort();
        ords
    }

    /// Replacing an article in place (and adding one) leaves the term table exactly as a
    /// build of the changed articles makes it, and tantivy finds the new text, not the old.
    #[test]
    fn an_article_replaced_in_place_equals_a_build_of_the_changed_articles() {
        let articles = two_articles();
        let analyzer = crate::search::analysis::Analysis::Plain.text_analyzer([]);
        let before = SearchIndex::build(&articles, &analyzer).expect("index");
        let edited = article("afval", "Kliko kapot", &["container"], "Bel de balie.");
        let added = article(
            "glas",
            "Glasbak",
            &["glas"],
            "De glasbak staat bij de kliko.",
        );
        let in_place = (before.with_article(1, Some(&articles[1]), &edited, &analyzer))
            .and_then(|index| index.with_article(2, None, &added, &analyzer))
            .expect("in place");
        let rebuilt =
            SearchIndex::build(&[articles[0].clone(), edited, added], &analyzer).expect("index");
        assert_eq!(described(&in_place.terms), described(&rebuilt.terms));
        assert_eq!(
            in_place.terms.id("afvalkalender"),
            None,
            "gone with the edit"
        );
        assert_eq!(found(&in_place, "kliko"), vec![1, 2]);
        assert_eq!(found(&in_place, "afvalkalender"), Vec::<u64>::new());
        assert_eq!(found(&in_place, "balie"), vec![0, 1]);
        assert_eq!(
            found(&before, "afvalkalender"),
            vec![1],
            "the old searcher is unchanged"
        );
        assert_eq!(in_place.searcher.num_docs(), 3);
    }

    #[test]
    fn link_targets_are_not_indexed() {
        assert_eq!(
            strip_link_targets("Zie [de afvalkalender](/afval/kalender) of **bel**."),
            "Zie [de afvalkalender] of **bel**."
        );
    }
}
