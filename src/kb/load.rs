//! Reading a whole knowledge-base directory.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{Article, KbError, Problem, Synonyms, parse_article};

/// File name of the synonym list at the root of the knowledge base.
pub(crate) const SYNONYMS_FILE: &str = "synonyms.txt";

/// A validated knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    pub dir: PathBuf,
    /// Sorted by path, so builds are reproducible.
    pub articles: Vec<Article>,
    pub synonyms: Synonyms,
    /// What was read from disk, so a reload of unchanged files can be skipped. `None` for a
    /// knowledge base made in memory (generated, or built by tests).
    pub content_hash: Option<ContentHash>,
}

/// Per file read, a SHA-256 over its relative path and its text's version
/// ([`super::write::version`]); the files' digests combined with XOR. Order does not matter,
/// so the hash after one file changed follows from the old hash without reading the others
/// ([`ContentHash::with_file_replaced`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentHash([u8; 32]);

/// The first 12 hex digits: enough to tell versions apart in a log line.
impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0[..6].iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl ContentHash {
    /// The hash of the knowledge base at `root` after one file changed: `old` (path and
    /// version) gone, `new` there. `None` for a file that did not exist before or no longer
    /// exists.
    pub fn with_file_replaced(
        self,
        root: &Path,
        old: Option<(&Path, &str)>,
        new: Option<(&Path, &str)>,
    ) -> ContentHash {
        let mut hash = self;
        for (path, version) in old.into_iter().chain(new) {
            hash.toggle(root, path, version);
        }
        hash
    }

    /// Adds a file to the hash, or removes it if it is in.
    fn toggle(&mut self, root: &Path, path: &Path, version: &str) {
        // Path and length frame the text, so moving text between files or renaming a file
        // changes the hash.
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = relative.to_string_lossy();
        let mut sha = Sha256::new();
        for part in [name.as_bytes(), version.as_bytes()] {
            sha.update((part.len() as u64).to_le_bytes());
            sha.update(part);
        }
        let digest: [u8; 32] = sha.finalize().into();
        self.0.iter_mut().zip(digest).for_each(|(a, b)| *a ^= b);
    }
}

/// Feeds each file read into the hash.
struct Hasher<'a> {
    root: &'a Path,
    hash: ContentHash,
}

impl Hasher<'_> {
    fn add(&mut self, path: &Path, text: &str) {
        (self.hash).toggle(self.root, path, &super::write::version(text.as_bytes()));
    }

    fn finish(self) -> ContentHash {
        self.hash
    }
}

impl KnowledgeBase {
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }
}

/// Loads and validates `dir`. Any problem makes the whole load fail, listing all problems.
pub fn load(dir: &Path) -> Result<KnowledgeBase, KbError> {
    let (kb, problems) = load_with_problems(dir)?;
    if problems.is_empty() {
        Ok(kb)
    } else {
        Err(KbError::Invalid(problems))
    }
}

/// Loads `dir`, returning the valid articles together with every problem found.
pub fn load_with_problems(dir: &Path) -> Result<(KnowledgeBase, Vec<Problem>), KbError> {
    let unreadable = |source| KbError::Unreadable {
        path: dir.to_path_buf(),
        source,
    };
    let (article_files, mut problems) = article_files(dir).map_err(unreadable)?;
    let mut hasher = Hasher {
        root: dir,
        hash: ContentHash([0; 32]),
    };
    let mut articles: Vec<Article> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for path in article_files {
        let text = match read_text(&path) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        hasher.add(&path, &text);
        match parse_article(&path, &text) {
            Ok(article) => {
                if let Some(problem) = duplicate_id(&seen, &article.id, &path) {
                    problems.push(problem);
                    continue;
                }
                seen.insert(article.id.clone(), path.clone());
                articles.push(article);
            }
            Err(found) => problems.extend(found),
        }
    }

    let synonyms_path = dir.join(SYNONYMS_FILE);
    let synonyms = if synonyms_path.exists() {
        match read_text(&synonyms_path) {
            Ok(text) => {
                hasher.add(&synonyms_path, &text);
                let (synonyms, found) = Synonyms::parse(&synonyms_path, &text);
                problems.extend(found);
                synonyms
            }
            Err(problem) => {
                problems.push(problem);
                Synonyms::default()
            }
        }
    } else {
        Synonyms::default()
    };

    if articles.is_empty() && problems.is_empty() {
        problems.push(Problem::new(
            dir,
            0,
            "no articles found: expected <category>/<id>.md files",
        ));
    }
    Ok((
        KnowledgeBase {
            dir: dir.to_path_buf(),
            articles,
            synonyms,
            content_hash: Some(hasher.finish()),
        },
        problems,
    ))
}

/// Every article file of the knowledge base at `dir` (`<category>/<id>.md`, sorted, hidden
/// entries and READMEs skipped), and the problems with the layout: Markdown files outside a
/// category directory, unreadable category directories.
fn article_files(dir: &Path) -> std::io::Result<(Vec<PathBuf>, Vec<Problem>)> {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for entry in sorted_entries(dir)? {
        if entry.is_dir() {
            match sorted_entries(&entry) {
                Ok(found) => files.extend(
                    found
                        .into_iter()
                        .filter(|p| is_markdown(p) && !is_readme(p)),
                ),
                Err(err) => problems.push(Problem::new(
                    &entry,
                    0,
                    format!("cannot read directory: {err}"),
                )),
            }
        } else if is_markdown(&entry) && !is_readme(&entry) {
            problems.push(Problem::new(
                &entry,
                0,
                "articles belong in a category directory: move this file to <category>/<id>.md",
            ));
        }
    }
    Ok((files, problems))
}

/// The category directories of the knowledge base at `dir`, sorted, hidden ones skipped: the
/// directories [`article_files`] reads.
pub(crate) fn category_dirs(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut dirs = sorted_entries(dir)?;
    dirs.retain(|entry| entry.is_dir());
    Ok(dirs)
}

/// The knowledge-base rule that ids are unique: a problem at `path` when `seen` (id → the
/// file that already uses it) holds `id`.
pub(crate) fn duplicate_id(
    seen: &HashMap<String, PathBuf>,
    id: &str,
    path: &Path,
) -> Option<Problem> {
    seen.get(id).map(|first| {
        Problem::new(
            path,
            0,
            format!(
                "duplicate article id `{id}`: also used by {}",
                first.display()
            ),
        )
    })
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    entries.retain(|p| {
        !p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
    });
    entries.sort();
    Ok(entries)
}

fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "md")
}

fn is_readme(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.eq_ignore_ascii_case("README.md"))
}

fn read_text(path: &Path) -> Result<String, Problem> {
    let bytes =
        fs::read(path).map_err(|err| Problem::new(path, 0, format!("cannot read file: {err}")))?;
    String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let line = 1 + err.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        Problem::new(path, line, "the file is not valid UTF-8; save it as UTF-8")
    })
}
