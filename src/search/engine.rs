//! The long-lived suggestion engine and its atomically swapped snapshots.
//!
//! A [`Snapshot`] is everything needed to answer from one version of the knowledge base:
//! articles, index, analyzers, synonyms and typo index. It is immutable. The [`Engine`] holds
//! the current snapshot behind an `ArcSwap`: a request takes the snapshot once and uses it to
//! the end, while `reload` builds a complete new snapshot on the side and swaps it in only if
//! the content is valid. No request ever sees a half-built index, and bad content never
//! replaces the last good one. A reload that finds the same files (same content hash) keeps
//! the current snapshot, so reading the folder again costs a load, not a rebuild.
//!
//! An editor's save is put in service in place ([`Engine::article_saved`]): a new snapshot
//! that shares everything with the current one except the saved article, in well under a
//! second at 10,000 articles. It is not [`Snapshot::exact`] (the vocabulary-wide parts are
//! those of before), so a full rebuild follows on a thread of its own and is swapped in when
//! no newer snapshot came in meanwhile.
//!
//! A replaced snapshot is freed when the last request holding it ends; the engine keeps only
//! weak references to replaced snapshots, to count the live ones ([`Engine::live_snapshots`]).

use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use chrono::NaiveDate;
use tantivy::tokenizer::TextAnalyzer;
use url::Url;

use super::analysis::{
    Analysis, Lexicon, analyze, for_each_word, surface_analyzer, surface_word_analyzer,
};
use super::dictionary;
use super::examples::ArticleExamples;
use super::features::{self, Coverage};
use super::index::{Part, SearchIndex};
use super::places::Streets;
use super::suggest::{Shown, Suggestions};
use super::synonyms::SynonymIndex;
use super::typos::TypoIndex;
use super::{Pipeline, SearchError};
use crate::kb::{self, Article, ContentHash, KnowledgeBase};

/// Settings that shape how articles are searched and shown.
#[derive(Debug, Clone)]
pub struct Settings {
    pub pipeline: Pipeline,
    /// Site paths in article links (`/afval`) resolve against this.
    pub site_url: Url,
}

/// One immutable, fully built version of the knowledge base.
pub struct Snapshot {
    pub articles: Vec<Article>,
    pub index: SearchIndex,
    pub pipeline: Pipeline,
    pub site_url: Url,
    /// The chain used for articles and messages alike.
    pub analyzer: TextAnalyzer,
    /// Words before stemming, for typo correction and display (Dutch pipeline only).
    pub surface: Option<TextAnalyzer>,
    pub lexicon: Option<Arc<Lexicon>>,
    pub typos: Arc<TypoIndex>,
    pub synonyms: Arc<SynonymIndex>,
    /// Per article: the aspects (cost, when, where, ...) it can answer, and what its text
    /// counts.
    pub aspects: Vec<Coverage>,
    /// Per article: its answer and links as a suggestion shows them (site links resolved).
    pub shown: Vec<Shown>,
    /// Per article with questions it does not answer: those and its own, analysed.
    pub examples: Vec<Option<Arc<ArticleExamples>>>,
    /// The street names the articles write as names, which a message names in any case.
    pub streets: Arc<Streets>,
    /// Articles with validity dates; the collectors fetch this many extra hits.
    pub dated_articles: usize,
    /// How long the build took, for reload reports.
    pub build_time: Duration,
    /// The files this snapshot was built from; `None` for a knowledge base made in memory.
    pub content_hash: Option<ContentHash>,
    /// Built from the whole knowledge base at once. False after an article was replaced in
    /// place ([`Snapshot::with_article`]): the vocabulary-wide parts (lexicon, typo index,
    /// tantivy's BM25 statistics) are then those of the version before, until the exact
    /// rebuild replaces the snapshot.
    pub exact: bool,
}

impl Snapshot {
    /// Builds a snapshot of `kb` with the given pipeline.
    pub fn build(kb: &KnowledgeBase, settings: &Settings) -> Result<Snapshot, SearchError> {
        Snapshot::build_from(kb.clone(), settings)
    }

    /// [`Snapshot::build`], keeping `kb`'s articles instead of a copy of them (a copy of a
    /// large knowledge base is tens of megabytes at the build's peak).
    pub fn build_from(kb: KnowledgeBase, settings: &Settings) -> Result<Snapshot, SearchError> {
        let started = Instant::now();
        let pipeline = settings.pipeline;
        // What is shown of each article, and the typo index, need nothing else of the build:
        // they are made on threads of their own while this one analyses and indexes.
        let (aspects, shown, streets, built) = std::thread::scope(|scope| {
            let per_article = scope.spawn(|| {
                let aspects: Vec<Coverage> = kb.articles.iter().map(features::covered).collect();
                let shown: Vec<Shown> = (kb.articles.iter())
                    .map(|article| Shown::new(article, &settings.site_url))
                    .collect();
                (aspects, shown, streets_named(&kb.articles))
            });
            let raw_words = raw_word_counts(&kb);
            let frequencies = pipeline.dutch.then(|| surface_frequencies(&raw_words));
            let built = std::thread::scope(|inner| {
                let typos = inner.spawn(|| match &frequencies {
                    Some(frequencies) if pipeline.fuzzy => {
                        TypoIndex::new(frequencies.iter().map(|(w, f)| (w.as_str(), *f)))
                            .with_dictionary(dictionary::system())
                    }
                    _ => TypoIndex::default(),
                });
                let (analysis, surface, lexicon) = match &frequencies {
                    Some(frequencies) => {
                        let lexicon =
                            Arc::new(Lexicon::new(frequencies.keys().map(String::as_str)));
                        let analysis = Analysis::Dutch {
                            lexicon: lexicon.clone(),
                            decompound: pipeline.decompound,
                        };
                        (analysis, Some(surface_analyzer()), Some(lexicon))
                    }
                    None => (Analysis::Plain, None, None),
                };
                let mut analyzer = analysis.text_analyzer(raw_words.keys().map(String::as_str));
                let synonyms = if pipeline.synonyms {
                    SynonymIndex::new(&kb.synonyms, &mut analyzer)
                } else {
                    SynonymIndex::default()
                };
                let index = SearchIndex::build(&kb.articles, &analyzer);
                let typos = joined(typos);
                Ok::<_, SearchError>((typos, analyzer, surface, lexicon, synonyms, index?))
            });
            let (aspects, shown, streets) = joined(per_article);
            (aspects, shown, streets, built)
        });
        let (typos, analyzer, surface, lexicon, synonyms, index) = built?;
        let KnowledgeBase {
            articles,
            content_hash,
            ..
        } = kb;
        Ok(Snapshot {
            dated_articles: dated_articles(&articles),
            articles,
            aspects,
            shown,
            index,
            pipeline,
            site_url: settings.site_url.clone(),
            analyzer,
            surface,
            lexicon,
            typos: Arc::new(typos),
            synonyms: Arc::new(synonyms),
            build_time: started.elapsed(),
            content_hash,
            exact: true,
            examples: Vec::new(),
            streets: Arc::new(streets),
        }
        .with_examples(None)
        .warmed())
    }

    /// This snapshot with `article` in place of the article with its id (or added, when it
    /// is new): only that article is analysed and indexed, with this snapshot's analyzer;
    /// everything else is shared or copied. The result is not [`Snapshot::exact`].
    pub fn with_article(
        &self,
        article: Article,
        content_hash: Option<ContentHash>,
    ) -> Result<Snapshot, SearchError> {
        let started = Instant::now();
        let found = self.ord(&article.id);
        let ord = found.unwrap_or(self.articles.len());
        let old = found.map(|ord| &self.articles[ord]);
        let index = (self.index).with_article(ord, old, &article, &self.analyzer)?;
        let mut articles = self.articles.clone();
        let mut aspects = self.aspects.clone();
        let mut shown = self.shown.clone();
        let (aspect, show) = (
            features::covered(&article),
            Shown::new(&article, &self.site_url),
        );
        let mut streets = Streets::clone(&self.streets);
        if let Some(old) = old {
            streets.remove(texts_of(old));
        }
        streets.add(texts_of(&article));
        let streets = Arc::new(streets);
        if found.is_some() {
            (articles[ord], aspects[ord], shown[ord]) = (article, aspect, show);
        } else {
            articles.push(article);
            aspects.push(aspect);
            shown.push(show);
        }
        Ok(Snapshot {
            dated_articles: dated_articles(&articles),
            articles,
            index,
            pipeline: self.pipeline,
            site_url: self.site_url.clone(),
            analyzer: self.analyzer.clone(),
            surface: self.surface.clone(),
            lexicon: self.lexicon.clone(),
            typos: self.typos.clone(),
            synonyms: self.synonyms.clone(),
            aspects,
            shown,
            build_time: started.elapsed(),
            content_hash,
            exact: false,
            examples: Vec::new(),
            streets,
        }
        .with_examples(Some((self, ord)))
        .warmed())
    }

    /// This snapshot with every article's questions analysed for [`Snapshot::examples`], or
    /// only the one at `only` (the others kept from `previous`).
    /// A full build analyses the articles on all cores (about 2,000 questions on the sample
    /// knowledge base: 15 ms on one core).
    fn with_examples(mut self, previous: Option<(&Snapshot, usize)>) -> Snapshot {
        let one = |ord: usize| match previous {
            Some((before, only)) if ord != only => before.examples.get(ord).cloned().flatten(),
            _ => ArticleExamples::new(&self, ord).map(Arc::new),
        };
        let examples = if previous.is_some() {
            (0..self.articles.len()).map(one).collect()
        } else {
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
            let chunk = self.articles.len().div_ceil(threads).max(1);
            std::thread::scope(|scope| {
                let parts: Vec<_> = (0..self.articles.len())
                    .step_by(chunk)
                    .map(|start| {
                        let end = (start + chunk).min(self.articles.len());
                        scope.spawn(move || (start..end).map(one).collect::<Vec<_>>())
                    })
                    .collect();
                parts.into_iter().flat_map(joined).collect()
            })
        };
        self.examples = examples;
        self
    }

    /// The snapshot after answering one message: an article's own title and first question,
    /// and its longest word misspelt. The first search of a new index pays one-time costs
    /// (tantivy's readers and scorer set-up, the first look-ups in every table, the typo
    /// index and the word lists on a word no article has), about 0.1 ms on this project's
    /// machine, which would otherwise land on the first residents after every reload. The
    /// build time includes it.
    fn warmed(mut self) -> Snapshot {
        let started = Instant::now();
        if let Some(message) = self.articles.first().map(warm_up_message) {
            std::hint::black_box(self.suggest(&message, 1, today()));
        }
        self.build_time += started.elapsed();
        self
    }

    /// The best `k` articles for `message` that are valid on `today`.
    ///
    /// A defect in reading one message must not cost the message: the channels store a
    /// message with its suggestions, so a panic here would leave it unstored and
    /// unacknowledged (WhatsApp would redeliver it into the same panic until it gives up).
    /// Such a message gets no suggestions, is stored and waits for a person; the log names
    /// the failure, never the text.
    pub fn suggest(&self, message: &str, k: usize, today: NaiveDate) -> Suggestions {
        without_panic(message, || super::suggest::suggest(self, message, k, today))
    }

    pub fn article(&self, id: &str) -> Option<&Article> {
        self.ord(id).map(|ord| &self.articles[ord])
    }

    /// The position of article `id` in [`Snapshot::articles`].
    pub fn ord(&self, id: &str) -> Option<usize> {
        self.articles.iter().position(|a| a.id == id)
    }
}

/// `suggest()`, or no suggestions when it panics.
fn without_panic(message: &str, suggest: impl FnOnce() -> Suggestions) -> Suggestions {
    // The snapshot is immutable and `suggest` holds no lock: nothing is left half-changed.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(suggest)).unwrap_or_else(|_| {
        tracing::error!(
            characters = message.chars().count(),
            "suggesting answers failed (a defect): the message gets no suggestions"
        );
        Suggestions {
            message: message.to_string(),
            confident: false,
            suggestions: Vec::new(),
        }
    })
}

/// The warm-up message for [`Snapshot::warmed`]: `article`'s title, its first question, and
/// the longest word of the two with its middle letter left out, so the typo step runs too.
fn warm_up_message(article: &Article) -> String {
    let mut message = article.title.clone();
    if let Some(question) = article.questions.first() {
        message.push(' ');
        message.push_str(question);
    }
    let longest = (message.split(|c: char| !c.is_alphabetic()))
        .max_by_key(|word| word.chars().count())
        .unwrap_or_default();
    let letters: Vec<char> = longest.chars().collect();
    if letters.len() >= 5 {
        let middle = letters.len() / 2;
        let misspelt: String = (letters.iter().enumerate())
            .filter(|&(i, _)| i != middle)
            .map(|(_, c)| c)
            .collect();
        message.push(' ');
        message.push_str(&misspelt);
    }
    message
}

/// The result of a build thread; its panic, if it panicked.
fn joined<T>(thread: std::thread::ScopedJoinHandle<'_, T>) -> T {
    thread
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// The street names the articles write as names, in their titles, texts and questions.
fn streets_named(articles: &[Article]) -> Streets {
    Streets::named_in(articles.iter().flat_map(texts_of))
}

/// An article's texts that may name a street.
fn texts_of(article: &Article) -> impl Iterator<Item = &str> {
    [article.title.as_str(), article.body.as_str()]
        .into_iter()
        .chain(article.questions.iter().map(String::as_str))
        .chain(article.not_answered.iter().map(String::as_str))
}

/// Articles with validity dates.
fn dated_articles(articles: &[Article]) -> usize {
    (articles.iter())
        .filter(|a| a.valid_from.is_some() || a.valid_until.is_some())
        .count()
}

/// Every word of the knowledge base as the tokenizer emits it, with how often it occurs.
fn raw_word_counts(kb: &KnowledgeBase) -> HashMap<String, u32> {
    let mut counts: HashMap<String, u32> = HashMap::default();
    let mut add = |text: &str| {
        for_each_word(text, |word, _, _, _| match counts.get_mut(word) {
            Some(count) => *count += 1,
            None => {
                counts.insert(word.to_string(), 1);
            }
        });
    };
    for article in &kb.articles {
        for part in Part::ALL {
            add(&part.text(article));
        }
    }
    for rule in &kb.synonyms.rules {
        let terms = match rule {
            kb::SynonymRule::Equivalent(terms) => terms.iter().collect::<Vec<_>>(),
            kb::SynonymRule::OneWay { from, to } => from.iter().chain(to).collect(),
        };
        terms.into_iter().for_each(|t| add(t));
    }
    counts
}

/// The normalised (lowercase, folded, no stop words) words with their frequencies.
fn surface_frequencies(raw_words: &HashMap<String, u32>) -> HashMap<String, u32> {
    let mut surface = surface_word_analyzer();
    let mut frequencies: HashMap<String, u32> = HashMap::default();
    for (raw, count) in raw_words {
        for (_, word) in analyze(&mut surface, raw) {
            *frequencies.entry(word).or_default() += count;
        }
    }
    frequencies
}

/// What a successful reload did.
#[derive(Debug, Clone)]
pub struct ReloadReport {
    pub articles: usize,
    /// The build time of the snapshot in service afterwards.
    pub build_time: Duration,
    /// False when the files were the same as the snapshot in service: nothing was rebuilt.
    pub changed: bool,
    /// The content hash of the snapshot in service afterwards.
    pub content_hash: Option<ContentHash>,
}

/// The suggestion engine: answers from the current snapshot, reloads without interruption.
pub struct Engine {
    kb_dir: PathBuf,
    settings: Settings,
    current: ArcSwap<Snapshot>,
    /// Serialises reloads (readers never wait for it) and remembers the snapshots replaced so
    /// far, weakly: they are freed when their last request ends, and counted until then.
    reloading: Mutex<Vec<Weak<Snapshot>>>,
    /// Snapshots swapped in by `reload`, updates in place and exact rebuilds, for operators;
    /// also the generation of the snapshot in service.
    reloads: AtomicU64,
    /// Reloads that found the same content and kept the current snapshot.
    unchanged: AtomicU64,
    /// The exact rebuild after updates in place: whether one is wanted, and running.
    rebuild: Mutex<Rebuild>,
    /// Signalled when the exact rebuild thread stops.
    rebuilt: Condvar,
    /// Exact rebuilds swapped in.
    exact_rebuilds: AtomicU64,
}

/// The state of the exact rebuild that follows updates in place.
#[derive(Default)]
struct Rebuild {
    /// An update in place came after the last rebuild started.
    wanted: bool,
    /// A thread is rebuilding (or about to).
    running: bool,
}

impl Engine {
    /// Loads and indexes the knowledge base in `kb_dir`; fails on any content problem.
    pub fn open(kb_dir: impl Into<PathBuf>, settings: Settings) -> Result<Engine, SearchError> {
        let kb_dir = kb_dir.into();
        let kb = kb::load(&kb_dir)?;
        let snapshot = Snapshot::build_from(kb, &settings)?;
        Ok(Engine::with_snapshot(kb_dir, settings, snapshot))
    }

    /// An engine over an already loaded knowledge base (tests, benchmarks, generated KBs).
    pub fn from_kb(kb: &KnowledgeBase, settings: Settings) -> Result<Engine, SearchError> {
        let snapshot = Snapshot::build(kb, &settings)?;
        Ok(Engine::with_snapshot(kb.dir.clone(), settings, snapshot))
    }

    fn with_snapshot(kb_dir: PathBuf, settings: Settings, snapshot: Snapshot) -> Engine {
        Engine {
            kb_dir,
            settings,
            current: ArcSwap::from_pointee(snapshot),
            reloading: Mutex::new(Vec::new()),
            reloads: AtomicU64::new(0),
            unchanged: AtomicU64::new(0),
            rebuild: Mutex::new(Rebuild::default()),
            rebuilt: Condvar::new(),
            exact_rebuilds: AtomicU64::new(0),
        }
    }

    pub fn kb_dir(&self) -> &Path {
        &self.kb_dir
    }

    /// The current snapshot. Hold it for the whole request.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Re-reads the knowledge base and swaps in a new index, unless the files are the same
    /// as those of the current snapshot. On any problem the current index stays in service
    /// and the problems are returned. Reloads never overlap: a second one waits.
    ///
    /// The files are read before the reload takes its turn, so the watcher's reload after
    /// an editor's save (which finds that save in service) never holds up the next save; if
    /// a snapshot came in during the read, they are read again in turn.
    pub fn reload(&self) -> Result<ReloadReport, SearchError> {
        let generation = self.reloads.load(Ordering::Acquire);
        let early = kb::load(&self.kb_dir)?;
        let mut replaced = lock(&self.reloading);
        let kb = if self.reloads.load(Ordering::Acquire) == generation {
            early
        } else {
            kb::load(&self.kb_dir)?
        };
        let same = {
            let current = self.current.load();
            (kb.content_hash.is_some() && kb.content_hash == current.content_hash)
                .then(|| report(&current, false))
        };
        if let Some(same) = same {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(same);
        }
        let snapshot = Arc::new(Snapshot::build_from(kb, &self.settings)?);
        self.swap(&mut replaced, snapshot.clone());
        Ok(report(&snapshot, true))
    }

    /// Puts the article file at `path`, just saved by an editor, into service in place
    /// ([`Snapshot::with_article`]): the cost of one article, not of the knowledge base.
    /// `previous` is the path and version ([`kb::write::version`]) of the file it replaced,
    /// if any, so the content hash stays that of the files on disk and the watcher's reload
    /// finds nothing new. The exact rebuild then follows on a thread of its own.
    pub fn article_saved(
        self: &Arc<Self>,
        path: &Path,
        previous: Option<(&Path, &str)>,
    ) -> Result<ReloadReport, SearchError> {
        let mut replaced = lock(&self.reloading);
        let text = std::fs::read_to_string(path).map_err(|source| kb::KbError::Unreadable {
            path: path.to_path_buf(),
            source,
        })?;
        let article = kb::parse_article(path, &text).map_err(kb::KbError::Invalid)?;
        let current = self.current.load_full();
        let version = kb::write::version(text.as_bytes());
        let content_hash = (current.content_hash)
            .map(|hash| hash.with_file_replaced(&self.kb_dir, previous, Some((path, &version))));
        let snapshot = Arc::new(current.with_article(article, content_hash)?);
        drop(current);
        self.swap(&mut replaced, snapshot.clone());
        drop(replaced);
        self.want_rebuild();
        Ok(report(&snapshot, true))
    }

    /// Swaps `snapshot` in; the caller holds [`Engine::reloading`]. The reload count is also
    /// the generation that reads outside the lock compare.
    fn swap(&self, replaced: &mut Vec<Weak<Snapshot>>, snapshot: Arc<Snapshot>) {
        let old = self.current.swap(snapshot);
        self.reloads.fetch_add(1, Ordering::Release);
        replaced.retain(|weak| weak.strong_count() > 0);
        replaced.push(Arc::downgrade(&old));
    }

    /// Starts the exact rebuild unless one is running; a running one builds again after it
    /// finishes.
    fn want_rebuild(self: &Arc<Self>) {
        let mut rebuild = lock(&self.rebuild);
        rebuild.wanted = true;
        if rebuild.running {
            return;
        }
        let engine = self.clone();
        let spawned = std::thread::Builder::new()
            .name("exact-rebuild".into())
            .spawn(move || engine.rebuild_exact());
        match spawned {
            Ok(_) => rebuild.running = true,
            Err(err) => tracing::warn!(error = %err, "exact rebuild not started"),
        }
    }

    /// Builds the whole knowledge base again, as [`Engine::reload`] would, and swaps the
    /// result in if no other snapshot came in meanwhile; again while updates keep coming.
    /// The build runs outside [`Engine::reloading`], so saves stay fast while it runs.
    fn rebuild_exact(&self) {
        loop {
            {
                let mut rebuild = lock(&self.rebuild);
                if !rebuild.wanted {
                    rebuild.running = false;
                    self.rebuilt.notify_all();
                    return;
                }
                rebuild.wanted = false;
            }
            let generation = self.reloads.load(Ordering::Acquire);
            let built = kb::load(&self.kb_dir)
                .map_err(SearchError::from)
                .and_then(|kb| Snapshot::build_from(kb, &self.settings));
            let snapshot = match built {
                Ok(snapshot) => Arc::new(snapshot),
                Err(err) => {
                    tracing::warn!(
                        problems = err.problems().len(),
                        "exact rebuild refused; the index updated in place stays"
                    );
                    continue;
                }
            };
            let mut replaced = lock(&self.reloading);
            // A newer snapshot: an update in place has asked for another rebuild, and a
            // reload is exact already.
            if self.reloads.load(Ordering::Acquire) == generation {
                let ms = snapshot.build_time.as_millis() as u64;
                self.swap(&mut replaced, snapshot);
                self.exact_rebuilds.fetch_add(1, Ordering::Relaxed);
                tracing::info!(ms, "exact rebuild in service");
            }
        }
    }

    /// Waits until no exact rebuild is wanted or running, for tests and benchmarks.
    pub fn settle(&self) {
        let mut rebuild = lock(&self.rebuild);
        while rebuild.running {
            rebuild = (self.rebuilt.wait(rebuild)).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }

    /// How many snapshots are still in memory: the current one plus replaced ones that a
    /// request still holds. Stays at one when nothing holds an old snapshot.
    pub fn live_snapshots(&self) -> usize {
        let replaced = lock(&self.reloading);
        1 + replaced
            .iter()
            .filter(|weak| weak.strong_count() > 0)
            .count()
    }

    /// Snapshots swapped in since the engine opened: by [`Engine::reload`], by updates in
    /// place and by the exact rebuilds after them.
    pub fn reload_count(&self) -> u64 {
        self.reloads.load(Ordering::Relaxed)
    }

    /// Reloads skipped because the files had not changed.
    pub fn unchanged_count(&self) -> u64 {
        self.unchanged.load(Ordering::Relaxed)
    }

    /// Exact rebuilds swapped in after updates in place.
    pub fn exact_rebuild_count(&self) -> u64 {
        self.exact_rebuilds.load(Ordering::Relaxed)
    }

    /// Suggestions for `message` as of today in the Netherlands.
    pub fn suggest(&self, message: &str, k: usize) -> Suggestions {
        self.snapshot().suggest(message, k, today())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn report(snapshot: &Snapshot, changed: bool) -> ReloadReport {
    ReloadReport {
        articles: snapshot.articles.len(),
        build_time: snapshot.build_time,
        changed,
        content_hash: snapshot.content_hash,
    }
}

/// Today's date in the Netherlands, where validity dates are meant.
pub fn today() -> NaiveDate {
    date_in_netherlands(chrono::Utc::now())
}

/// The date in the Netherlands at moment `at`.
pub fn date_in_netherlands(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The warm-up message ends in a word no article has that the typo step corrects, so the
    /// first resident after a reload does not pay for the typo index's first look-ups.
    #[test]
    fn the_warm_up_message_takes_the_typo_step() {
        let article = Article::for_test(
            "paspoort",
            "Paspoort aanvragen",
            &["hoe vraag ik een nieuw paspoort aan"],
            "Maak een afspraak.",
        );
        let message = warm_up_message(&article);
        let misspelt = message.split(' ').next_back().expect("a word");
        assert_eq!(misspelt, "aanvagen");
        let typos = TypoIndex::new([("aanvragen", 1), ("paspoort", 2)]);
        assert_eq!(typos.corrections(misspelt), ["aanvragen"]);
    }

    #[test]
    fn a_panic_while_suggesting_leaves_the_message_without_suggestions() {
        let suggestions = without_panic("mijn container", || panic!("a defect"));
        assert_eq!(suggestions.message, "mijn container");
        assert!(suggestions.suggestions.is_empty() && !suggestions.confident);
    }

    #[test]
    fn short_words_are_warmed_up_without_a_typo() {
        let article = Article::for_test("wc", "Wc", &[], "");
        assert_eq!(warm_up_message(&article), "Wc");
    }
}
