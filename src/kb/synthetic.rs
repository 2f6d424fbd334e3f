//! A seeded generator of large knowledge bases for benchmarks and load tests.
//!
//! It recombines the sample articles' own vocabulary, so analysis, decompounding and typo
//! correction do realistic work, and the same seed always gives the same knowledge base.
//! The generated data is never committed: `vraagbaak kb generate` or the benchmarks make it.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use super::{Article, KnowledgeBase};

/// `count` articles derived from `sample`, reproducible for a given `seed`.
pub fn generate(sample: &KnowledgeBase, count: usize, seed: u64) -> KnowledgeBase {
    let mut rng = StdRng::seed_from_u64(seed);
    let vocabulary: Vec<&str> = sample
        .articles
        .iter()
        .flat_map(|a| a.questions.iter().chain(std::iter::once(&a.body)))
        .flat_map(|text| text.split_whitespace())
        .filter(|w| w.chars().all(char::is_alphabetic) && w.len() > 2)
        .collect();
    let mut articles = Vec::with_capacity(count);
    for n in 0..count {
        let Some(template) = sample.articles.choose(&mut rng) else {
            break;
        };
        let own: Vec<&str> = template
            .questions
            .iter()
            .chain(std::iter::once(&template.title))
            .flat_map(|q| q.split_whitespace())
            .collect();
        let sentence = |rng: &mut StdRng, words: usize| {
            (0..words)
                .map(|_| {
                    let pool = if rng.random_bool(0.6) {
                        &own
                    } else {
                        &vocabulary
                    };
                    pool.choose(rng).copied().unwrap_or("gemeente")
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = sentence(&mut rng, 4);
        let questions = (0..rng.random_range(8..14))
            .map(|_| {
                let words = rng.random_range(4..12);
                sentence(&mut rng, words)
            })
            .collect();
        let body_words = rng.random_range(70..120);
        let body = sentence(&mut rng, body_words);
        let mut article = Article {
            id: format!("synth-{n:05}"),
            title,
            questions,
            // Questions about the template's subject, not this article's.
            not_answered: Vec::new(),
            body,
            ..template.clone()
        };
        article.path = Path::new(article.category()).join(format!("{}.md", article.id));
        articles.push(article);
    }
    KnowledgeBase {
        dir: sample.dir.clone(),
        articles,
        synonyms: sample.synonyms.clone(),
        content_hash: None,
    }
}

/// Writes `kb` as a knowledge-base directory (articles and the synonym file) under `dir`.
pub fn write(kb: &KnowledgeBase, dir: &Path, synonyms_text: &str) -> io::Result<()> {
    for article in &kb.articles {
        let path = dir
            .join(article.category())
            .join(format!("{}.md", article.id));
        fs::create_dir_all(path.parent().unwrap_or(dir))?;
        fs::write(path, to_markdown(article))?;
    }
    fs::write(dir.join(super::load::SYNONYMS_FILE), synonyms_text)
}

fn to_markdown(article: &Article) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| quote(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = String::from("+++\n");
    let _ = writeln!(text, "title = {}", quote(&article.title));
    let _ = writeln!(text, "questions = [{}]", list(&article.questions));
    let _ = writeln!(text, "keywords = [{}]", list(&article.keywords));
    let _ = writeln!(text, "tags = [{}]", list(&article.tags));
    let _ = writeln!(text, "department = {}", quote(&article.department));
    let links: Vec<String> = article
        .links
        .iter()
        .map(|l| format!("{{ title = {}, url = {} }}", quote(&l.title), quote(&l.url)))
        .collect();
    let _ = writeln!(text, "links = [{}]", links.join(", "));
    let _ = writeln!(text, "+++\n{}", article.body);
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::{Link, Synonyms};

    fn sample() -> KnowledgeBase {
        let article = Article {
            id: "paspoort".into(),
            path: "burgerzaken/paspoort.md".into(),
            title: "Paspoort aanvragen".into(),
            questions: vec![
                "paspoort verlopen wat nu".into(),
                "nieuw paspoort aanvragen".into(),
            ],
            not_answered: vec![],
            keywords: vec!["reisdocument".into()],
            tags: vec!["burgerzaken".into()],
            department: "Publiekszaken".into(),
            links: vec![Link {
                title: "Paspoort".into(),
                url: "/paspoort".into(),
            }],
            bot: true,
            valid_from: None,
            valid_until: None,
            owner: None,
            reviewed: None,
            body: "U vraagt een paspoort aan bij de balie met een afspraak.".into(),
        };
        KnowledgeBase {
            dir: "kb".into(),
            articles: vec![article],
            synonyms: Synonyms::default(),
            content_hash: None,
        }
    }

    #[test]
    fn same_seed_same_articles() {
        let a = generate(&sample(), 20, 7);
        let b = generate(&sample(), 20, 7);
        assert_eq!(a.articles, b.articles);
        assert_ne!(a.articles, generate(&sample(), 20, 8).articles);
    }

    #[test]
    fn written_articles_are_valid() {
        let dir = tempfile::tempdir().expect("temp dir");
        let kb = generate(&sample(), 5, 1);
        write(&kb, dir.path(), "kliko, container\n").expect("write");
        let loaded = crate::kb::load(dir.path()).expect("generated KB is valid");
        assert_eq!(loaded.articles.len(), 5);
    }
}
