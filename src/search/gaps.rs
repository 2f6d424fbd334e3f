//! Grouping the resident messages the knowledge base did not answer by meaning: the core of
//! the gap report ("Hiaten") for editors.
//!
//! 1. Each message is analysed with the snapshot's own chain (stop words, decompounding,
//!    stems), so "zonnepanelen" and "zonnepaneel" are one term, as they are for suggestions.
//! 2. A message becomes a tf-idf vector over those terms (sublinear tf, smoothed idf from the
//!    messages themselves), L2-normalised and sparse.
//! 3. Average-linkage agglomerative clustering on cosine dissimilarity (`kodama`, a port of
//!    fastcluster), cut where groups stop being similar enough: [`SIMILARITY_THRESHOLD`].
//! 4. Each group gets its top terms (as the residents wrote them), an impact (members
//!    weighted by recency, [`HALF_LIFE_DAYS`]) and the nearest article, found by suggesting for
//!    the group's most central message.
//!
//! The similarity matrix is O(n²) memory, so only the [`MAX_MESSAGES`] most recent messages
//! are grouped; [`GapReport::dropped`] says how many older ones were left out. The result is
//! deterministic: the same messages (in any order) give the same groups in the same order.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use kodama::Method;

use super::analysis::analyze;
use super::engine::Snapshot;
use super::query::LeftOut;

/// At most this many messages (the most recent) are grouped: the condensed similarity matrix
/// of 2,000 messages is 2 million `f64`s (16 MB), and the clustering takes well under a
/// second (measured in the module's tests, see the README).
pub const MAX_MESSAGES: usize = 2_000;

/// Two groups merge while their average pairwise cosine similarity is at least this. Chosen on
/// the constructed messages of the tests (20 messages, sample KB): two messages on the same
/// subject in different words ("wanneer gaat de ijsbaan open", "kan ik schaatsen huren bij
/// de ijsbaan") share one specific term and score 0.155-0.38; messages on different subjects
/// score at most 0.07, unless they share a specific word ("paspoort verlopen", "rijbewijs
/// bijna verlopen": 0.19), which no threshold below the same-subject pairs can keep apart.
/// 0.12 sits in the gap (0.07, 0.155), nearer its top so that a short same-subject message
/// with two extra words still joins. Average linkage then keeps a single shared word from
/// pulling one message into a larger group: its similarity is averaged over all members.
pub const SIMILARITY_THRESHOLD: f64 = 0.12;

/// A message's weight in a group's impact halves every this many days.
pub const HALF_LIFE_DAYS: f64 = 14.0;

/// How many terms describe a group.
pub const TOP_TERMS: usize = 5;

/// A compound's parts count half as much as the word itself, as they do in a query.
const PART_WEIGHT: f64 = 0.5;

/// One unanswered resident message, already masked.
#[derive(Debug, Clone, PartialEq)]
pub struct GapMessage {
    pub id: i64,
    /// The masked text; never logged.
    pub text: String,
    pub at: DateTime<Utc>,
}

/// The article closest to a group (or a question), and how sure the engine is of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Nearest {
    pub id: String,
    pub confidence: f32,
}

/// Messages that ask the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct GapGroup {
    /// Member message ids, most recent first (the higher id first among equals).
    pub members: Vec<i64>,
    /// The most characteristic terms (highest summed tf-idf), as residents wrote them.
    pub terms: Vec<String>,
    /// Σ over members of `0.5^(age / half-life)`: the count, weighted by recency.
    pub impact: f64,
    /// The member most similar on average to the others: the group's example message.
    pub central: i64,
    /// The best suggestion for the central message, if any article matched at all.
    pub nearest: Option<Nearest>,
}

impl GapGroup {
    pub fn count(&self) -> usize {
        self.members.len()
    }
}

/// The grouped messages: groups of two or more by impact, then single messages by impact.
#[derive(Debug, Clone, PartialEq)]
pub struct GapReport {
    pub groups: Vec<GapGroup>,
    /// Older messages left out because only the [`MAX_MESSAGES`] most recent are grouped.
    pub dropped: usize,
}

/// Why messages could not be grouped.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum GapError {
    #[error("message id {0} occurs more than once in the gap report's input")]
    DuplicateId(i64),
}

/// Groups `messages` by meaning, as of `now` (for recency and for the articles' validity
/// dates in the Netherlands).
pub fn group(
    snapshot: &Snapshot,
    messages: &[GapMessage],
    now: DateTime<Utc>,
) -> Result<GapReport, GapError> {
    group_at_most(snapshot, messages, &[], now, MAX_MESSAGES)
}

/// [`group`], with the terms' document frequencies counted over `background` as well: the
/// other questions residents asked in the period (the answered ones). Without it, a subject
/// that makes up most of a small report is a common word *among the gaps*, weighs little, and
/// its questions fall apart; among everything residents asked it is as rare as it really is.
/// The calibration of [`SIMILARITY_THRESHOLD`] mixed gaps with answered questions in the same
/// way. At most [`MAX_BACKGROUND`] background texts are read.
pub fn group_with_background(
    snapshot: &Snapshot,
    messages: &[GapMessage],
    background: &[String],
    now: DateTime<Utc>,
) -> Result<GapReport, GapError> {
    let background = &background[..background.len().min(MAX_BACKGROUND)];
    group_at_most(snapshot, messages, background, now, MAX_MESSAGES)
}

/// At most this many background texts count towards document frequencies: analysing one
/// takes some microseconds (about 0.1 ms in a debug build), and frequencies over 5,000
/// questions are stable.
pub const MAX_BACKGROUND: usize = 5_000;

/// [`group`] with another cap than [`MAX_MESSAGES`] (tests).
fn group_at_most(
    snapshot: &Snapshot,
    messages: &[GapMessage],
    background: &[String],
    now: DateTime<Utc>,
    limit: usize,
) -> Result<GapReport, GapError> {
    let mut sorted: Vec<&GapMessage> = messages.iter().collect();
    // Most recent first; the id breaks ties so that input order never matters.
    sorted.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    let mut seen = HashSet::new();
    if let Some(m) = sorted.iter().find(|m| !seen.insert(m.id)) {
        return Err(GapError::DuplicateId(m.id));
    }
    let dropped = sorted.len().saturating_sub(limit);
    sorted.truncate(limit);

    let vectors = Vectors::new(snapshot, &sorted, background);
    let today = super::date_in_netherlands(now);
    let mut groups: Vec<GapGroup> = clusters(&vectors.rows)
        .into_iter()
        .map(|members| describe(snapshot, &sorted, &vectors, &members, now, today))
        .collect();
    tracing::debug!(
        messages = sorted.len(),
        dropped,
        groups = groups.len(),
        "gap messages grouped"
    );
    groups.sort_by(|a, b| {
        (a.count() == 1)
            .cmp(&(b.count() == 1))
            .then(b.impact.total_cmp(&a.impact))
            .then(b.count().cmp(&a.count()))
            .then(a.members.iter().min().cmp(&b.members.iter().min()))
    });
    Ok(GapReport { groups, dropped })
}

/// A sparse, L2-normalised vector: (term id, weight), sorted by term id.
type Sparse = Vec<(u32, f64)>;

/// The messages' tf-idf vectors and what the term ids stand for.
struct Vectors {
    rows: Vec<Sparse>,
    /// Per term id: the word to show (the most frequent surface form, else the term).
    shown: Vec<String>,
}

impl Vectors {
    fn new(snapshot: &Snapshot, messages: &[&GapMessage], background: &[String]) -> Vectors {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut surfaces: Vec<BTreeMap<String, u32>> = Vec::new();
        let mut analyzer = snapshot.analyzer.clone();
        let mut surface = snapshot.surface.clone();
        let counts: Vec<BTreeMap<u32, f64>> = messages
            .iter()
            .map(|message| {
                // The first surface word at each position is the word as written, as in
                // `QueryPlan::new` (later ones are its parts).
                let mut written: HashMap<usize, String> = HashMap::new();
                if let Some(surface) = &mut surface {
                    for (position, word) in analyze(surface, &message.text) {
                        written.entry(position).or_insert(word);
                    }
                }
                let mut counts = BTreeMap::new();
                let mut last_position = usize::MAX;
                // A street name, a closing or a day does not make two questions alike.
                let left_out = LeftOut::new(snapshot, &message.text);
                for (position, term) in analyze(&mut analyzer, &message.text) {
                    if left_out.skips(position) || left_out.is_context(position) {
                        continue;
                    }
                    let is_part = position == last_position;
                    last_position = position;
                    let next = ids.len() as u32;
                    let id = *ids.entry(term.clone()).or_insert(next);
                    if id == next {
                        surfaces.push(BTreeMap::new());
                    }
                    if !is_part && let Some(word) = written.get(&position) {
                        *surfaces[id as usize].entry(word.clone()).or_default() += 1;
                    }
                    let weight = if is_part { PART_WEIGHT } else { 1.0 };
                    *counts.entry(id).or_default() += weight;
                }
                counts
            })
            .collect();
        let mut document_frequency = vec![0u32; ids.len()];
        for row in &counts {
            row.keys()
                .for_each(|&id| document_frequency[id as usize] += 1);
        }
        // Background texts add to the frequencies of the messages' own terms only.
        for text in background {
            let terms: HashSet<u32> = (analyze(&mut analyzer, text).into_iter())
                .filter_map(|(_, term)| ids.get(&term).copied())
                .collect();
            terms
                .into_iter()
                .for_each(|id| document_frequency[id as usize] += 1);
        }
        let n = (messages.len() + background.len()) as f64;
        // Smoothed idf (as scikit-learn's): a term in every message still weighs 1.
        let idf: Vec<f64> = (document_frequency.iter())
            .map(|&df| ((1.0 + n) / (1.0 + f64::from(df))).ln() + 1.0)
            .collect();
        let rows = counts
            .into_iter()
            .map(|row| {
                let mut vector: Sparse = (row.into_iter())
                    .map(|(id, tf)| (id, (1.0 + tf.ln()) * idf[id as usize]))
                    .collect();
                let norm = vector.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
                if norm > 0.0 {
                    vector.iter_mut().for_each(|(_, w)| *w /= norm);
                }
                vector
            })
            .collect();
        let mut shown = vec![String::new(); ids.len()];
        for (term, id) in ids {
            // Most frequent surface form; alphabetical among equals, for determinism.
            let best = (surfaces[id as usize].iter())
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(word, _)| word.clone());
            shown[id as usize] = best.unwrap_or(term);
        }
        Vectors { rows, shown }
    }
}

/// Cosine similarity of two L2-normalised sparse vectors.
fn cosine(a: &Sparse, b: &Sparse) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Average-linkage clusters of `rows`, cut at [`SIMILARITY_THRESHOLD`]: each cluster as its
/// row indices, ascending.
fn clusters(rows: &[Sparse]) -> Vec<Vec<usize>> {
    let n = rows.len();
    if n < 2 {
        return (0..n).map(|i| vec![i]).collect();
    }
    let mut condensed = Vec::with_capacity(n * (n - 1) / 2);
    for (i, a) in rows.iter().enumerate() {
        for b in &rows[i + 1..] {
            // Clamped: rounding can push a self-similar pair a hair above 1.
            condensed.push((1.0 - cosine(a, b)).max(0.0));
        }
    }
    let dendrogram = kodama::linkage(&mut condensed, n, Method::Average);
    // Cluster labels: 0..n are the messages, n + step the cluster a step creates. Average
    // linkage never merges below an earlier merge, so the steps under the cut form whole
    // subtrees and following parents from a message ends at its cluster.
    let cut = 1.0 - SIMILARITY_THRESHOLD;
    let mut parent: Vec<usize> = (0..2 * n - 1).collect();
    for (step, merge) in dendrogram.steps().iter().enumerate() {
        if merge.dissimilarity <= cut {
            parent[merge.cluster1] = n + step;
            parent[merge.cluster2] = n + step;
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for message in 0..n {
        let mut root = message;
        while parent[root] != root {
            root = parent[root];
        }
        by_root.entry(root).or_default().push(message);
    }
    by_root.into_values().collect()
}

/// A cluster (row indices into `messages`) as a group: terms, impact, central message and
/// the nearest article.
fn describe(
    snapshot: &Snapshot,
    messages: &[&GapMessage],
    vectors: &Vectors,
    members: &[usize],
    now: DateTime<Utc>,
    today: NaiveDate,
) -> GapGroup {
    let mut sums: BTreeMap<u32, f64> = BTreeMap::new();
    for &m in members {
        for &(id, w) in &vectors.rows[m] {
            *sums.entry(id).or_default() += w;
        }
    }
    let mut ranked: Vec<(u32, f64)> = sums.into_iter().collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut terms: Vec<String> = Vec::new();
    for (id, _) in ranked {
        let word = &vectors.shown[id as usize];
        if !terms.contains(word) {
            terms.push(word.clone());
        }
        if terms.len() == TOP_TERMS {
            break;
        }
    }
    let impact = members
        .iter()
        .map(|&m| {
            let age_days = (now - messages[m].at).num_seconds().max(0) as f64 / 86_400.0;
            0.5f64.powf(age_days / HALF_LIFE_DAYS)
        })
        .sum();
    // Rows are most recent first, so the first of equals is the most recent message.
    let central = (members.iter())
        .map(|&m| {
            let total: f64 = (members.iter())
                .filter(|&&o| o != m)
                .map(|&o| cosine(&vectors.rows[m], &vectors.rows[o]))
                .sum();
            (m, total)
        })
        .fold(None, |best: Option<(usize, f64)>, (m, total)| match best {
            Some((_, best_total)) if best_total >= total => best,
            _ => Some((m, total)),
        })
        .map_or(members[0], |(m, _)| m);
    let suggestions = snapshot.suggest(&messages[central].text, 1, today);
    let nearest = suggestions.top().map(|s| Nearest {
        id: s.id.clone(),
        confidence: s.confidence,
    });
    GapGroup {
        // Row order is most recent first, and members are ascending row indices.
        members: members.iter().map(|&m| messages[m].id).collect(),
        terms,
        impact,
        central: messages[central].id,
        nearest,
    }
}

#[cfg(test)]
pub(crate) mod tests;
