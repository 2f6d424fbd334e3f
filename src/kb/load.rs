//! Reading a whole knowledge-base directory.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

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
    let mut problems = Vec::new();
    let mut article_files = Vec::new();
    for entry in sorted_entries(dir).map_err(unreadable)? {
        if entry.is_dir() {
            match sorted_entries(&entry) {
                Ok(files) => article_files.extend(files.into_iter().filter(|p| is_markdown(p))),
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

    let mut articles: Vec<Article> = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for path in article_files {
        if is_readme(&path) {
            continue;
        }
        let text = match read_text(&path) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        match parse_article(&path, &text) {
            Ok(article) => {
                if let Some(first) = seen.get(&article.id) {
                    problems.push(Problem::new(
                        &path,
                        0,
                        format!(
                            "duplicate article id `{}`: also used by {}",
                            article.id,
                            first.display()
                        ),
                    ));
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
        },
        problems,
    ))
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
