//! `eval --held-out`: the knowledge base's own example questions as messages nobody tuned for.
//!
//! Fold `f` of `k` takes out every article's example questions at positions `i` with
//! `i % k == f`, builds the index without them, and asks each one; its own article is the
//! expected answer. Every question is asked once, against an index that never saw it. No
//! labelled file is needed, so it works on any municipality's knowledge base, and it is large
//! (the sample knowledge base has about five times as many questions as `dev.tsv` has
//! answerable messages). The labels are the editors': a question another article answers as
//! well counts as a miss there, so the figures are a floor, best used to compare settings.
//!
//! The questions articles list as not answered (`not_answered`) are held out the same way and
//! in the same folds: each is asked against an index without it, as a message without an
//! expected article (a `-` row). Its article is the editors' word for one that does *not*
//! answer it, so a confident answer with that article is a near miss the bot would send were
//! the question not listed ([`Unanswered::by_its_article`]). These are the hardest near misses
//! there are (editors list what their article touches but does not say), and there are many
//! of them, none written for an eval file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::{Case, Latency, Outcome, run_timed};
use crate::kb::write::QuestionList;
use crate::kb::{KnowledgeBase, Problem, write};
use crate::search::{SearchError, Settings, Snapshot};

/// One fold: the knowledge base without the fold's questions, and those questions.
#[derive(Debug)]
pub struct Fold {
    /// The copy of the knowledge base the fold's index is built from.
    pub kb: KnowledgeBase,
    /// The fold's example questions, each expecting its own article. A case's `line` is the
    /// question's 1-based position in its article's `questions`.
    pub asked: Vec<Case>,
    /// The fold's `not_answered` questions, each with the article that lists it and no
    /// expected article (`line`: the 1-based position in the article's `not_answered`).
    pub unanswered: Vec<(String, Case)>,
}

/// Fold `fold` of `k`: every article's example questions and `not_answered` questions at
/// positions `i` with `i % k == fold` are taken out of the copy and asked ([`cases`]).
pub fn fold(kb: &KnowledgeBase, k: usize, fold: usize) -> Fold {
    let mut kept = kb.clone();
    // The copy is made in memory: it must not pass for the files on disk.
    kept.content_hash = None;
    for article in &mut kept.articles {
        for list in [&mut article.questions, &mut article.not_answered] {
            let mut position = 0;
            list.retain(|_| {
                let kept = !asked_in(position, k, fold);
                position += 1;
                kept
            });
        }
    }
    let (asked, unanswered) = cases(kb, k, fold);
    Fold {
        kb: kept,
        asked,
        unanswered,
    }
}

/// Fold `fold`'s questions of `kb`: the example questions, each expecting its own article,
/// and the `not_answered` ones, each with the article that lists it. A case's `line` is the
/// question's 1-based position in its list.
pub fn cases(kb: &KnowledgeBase, k: usize, fold: usize) -> (Vec<Case>, Vec<(String, Case)>) {
    let (mut asked, mut unanswered) = (Vec::new(), Vec::new());
    let held = |list: &[String]| -> Vec<(usize, String)> {
        (list.iter().enumerate())
            .filter(|(i, _)| asked_in(*i, k, fold))
            .map(|(i, question)| (i + 1, question.clone()))
            .collect()
    };
    for article in &kb.articles {
        for (line, message) in held(&article.questions) {
            let expected = vec![article.id.clone()];
            asked.push(Case {
                line,
                message,
                expected,
            });
        }
        for (line, message) in held(&article.not_answered) {
            let expected = Vec::new();
            let case = Case {
                line,
                message,
                expected,
            };
            unanswered.push((article.id.clone(), case));
        }
    }
    (asked, unanswered)
}

/// Whether the question at (0-based) `position` of an article is asked in fold `fold` of `k`.
fn asked_in(position: usize, k: usize, fold: usize) -> bool {
    position % k == fold
}

/// A question an article lists as not answered, asked against an index without it.
#[derive(Debug, Clone, Serialize)]
pub struct Unanswered {
    /// The article that lists the question.
    pub article: String,
    /// The outcome, with no expected article (its `line` is the question's 1-based position
    /// in the article's `not_answered`).
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Unanswered {
    /// The bot would answer it with the very article that says it does not answer it.
    pub fn by_its_article(&self) -> bool {
        self.outcome.confident && self.outcome.ranked.first() == Some(&self.article)
    }

    /// The bot would answer it with another article (which may or may not answer it).
    pub fn by_another(&self) -> bool {
        self.outcome.confident && self.outcome.ranked.first() != Some(&self.article)
    }
}

/// What the bot does with the held-out `not_answered` questions.
#[derive(Debug, Clone, Default, Serialize)]
pub struct UnansweredFigures {
    pub questions: usize,
    /// The listing article comes first.
    pub its_article_first: usize,
    /// ... and confidently: a near miss the bot would send.
    pub by_its_article: usize,
    /// Another article comes first, confidently.
    pub by_another: usize,
}

impl UnansweredFigures {
    pub fn of(asked: &[Unanswered]) -> UnansweredFigures {
        let count = |f: fn(&Unanswered) -> bool| asked.iter().filter(|u| f(u)).count();
        UnansweredFigures {
            questions: asked.len(),
            its_article_first: count(|u| u.outcome.ranked.first() == Some(&u.article)),
            by_its_article: count(Unanswered::by_its_article),
            by_another: count(Unanswered::by_another),
        }
    }

    /// Share of the questions the bot would answer with their own article.
    pub fn by_its_article_share(&self) -> f64 {
        self.by_its_article as f64 / self.questions.max(1) as f64
    }
}

/// Every held-out question's outcome.
#[derive(Debug)]
pub struct HeldOut {
    /// The example questions'.
    pub asked: Vec<Outcome>,
    /// The `not_answered` questions'.
    pub unanswered: Vec<Unanswered>,
    /// Per question, over both kinds.
    pub latency: Latency,
}

impl HeldOut {
    /// The example questions, then the `not_answered` ones as `-` rows: what a labelled file
    /// of them would give.
    pub fn outcomes(&self) -> Vec<&Outcome> {
        (self.asked.iter())
            .chain(self.unanswered.iter().map(|u| &u.outcome))
            .collect()
    }
}

/// Asks every example and `not_answered` question of `kb` with its fold held out (`k` folds,
/// at least 2).
pub fn run_folds(
    kb: &KnowledgeBase,
    settings: &Settings,
    k: usize,
    min_confidence: f32,
    today: NaiveDate,
) -> Result<HeldOut, SearchError> {
    let k = k.max(2);
    let (mut asked, mut unanswered, mut micros) = (Vec::new(), Vec::new(), Vec::new());
    for f in 0..k {
        let Fold {
            kb: kept,
            asked: cases,
            unanswered: listed,
        } = fold(kb, k, f);
        let snapshot = Snapshot::build_from(kept, settings)?;
        let (outcomes, fold_micros) = run_timed(&snapshot, &cases, min_confidence, today);
        asked.extend(outcomes);
        micros.extend(fold_micros);
        let (articles, cases): (Vec<String>, Vec<Case>) = listed.into_iter().unzip();
        let (outcomes, fold_micros) = run_timed(&snapshot, &cases, min_confidence, today);
        unanswered.extend(
            (articles.into_iter().zip(outcomes))
                .map(|(article, outcome)| Unanswered { article, outcome }),
        );
        micros.extend(fold_micros);
    }
    Ok(HeldOut {
        asked,
        unanswered,
        latency: Latency::of(micros),
    })
}

/// Why the folds could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteFoldsError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}")]
    Article(Problem),
    #[error("the knowledge base was made in memory: there are no files to copy")]
    NotFromFiles,
    #[error("{0} is not empty: give a new or empty directory, so nothing in it is overwritten")]
    NotEmpty(PathBuf),
}

/// Writes the folds as files, for tools that need a knowledge-base directory and a labelled
/// file (the peers on the held-out questions, `benches/peers/held_out.sh`): `out/kb<f>/` holds
/// every article file of `kb` with fold `f`'s questions taken out of its `questions` and
/// `not_answered` lists (nothing else changed) and the synonym file, and `out/fold<f>.tsv`
/// holds the example questions, each with its article's id, then the `not_answered` ones as
/// `-` rows. The split is [`fold`]'s. Returns the number of questions of both kinds.
pub fn write_folds(kb: &KnowledgeBase, k: usize, out: &Path) -> Result<usize, WriteFoldsError> {
    if kb.content_hash.is_none() {
        return Err(WriteFoldsError::NotFromFiles);
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteFoldsError::Io { path, source }
    };
    let empty = match fs::read_dir(out) {
        Ok(mut entries) => entries.next().is_none(),
        Err(err) if err.kind() == io::ErrorKind::NotFound => true,
        Err(err) => return Err(io(out)(err)),
    };
    if !empty {
        return Err(WriteFoldsError::NotEmpty(out.to_path_buf()));
    }
    let k = k.max(2);
    let sources = (kb.articles.iter())
        .map(|article| fs::read_to_string(&article.path).map_err(io(&article.path)))
        .collect::<Result<Vec<String>, _>>()?;
    let mut written = 0;
    for f in 0..k {
        let dir = out.join(format!("kb{f}"));
        for (article, source) in kb.articles.iter().zip(&sources) {
            let relative = article.path.strip_prefix(&kb.dir).unwrap_or(&article.path);
            let target = dir.join(relative);
            let held = |i| asked_in(i, k, f);
            let text =
                write::without_questions(&article.path, source, QuestionList::Questions, held)
                    .and_then(|text| {
                        write::without_questions(
                            &article.path,
                            &text,
                            QuestionList::NotAnswered,
                            held,
                        )
                    })
                    .map_err(WriteFoldsError::Article)?;
            fs::create_dir_all(target.parent().unwrap_or(&dir)).map_err(io(&target))?;
            fs::write(&target, text).map_err(io(&target))?;
        }
        let synonyms = kb.dir.join(crate::kb::SYNONYMS_FILE);
        if synonyms.exists() {
            let target = dir.join(crate::kb::SYNONYMS_FILE);
            fs::copy(&synonyms, &target).map_err(io(&synonyms))?;
        }
        // Only the questions: the copy `fold` makes is not needed here.
        let (asked, unanswered) = cases(kb, k, f);
        let cases: Vec<Case> = asked
            .into_iter()
            .chain(unanswered.into_iter().map(|(_, case)| case))
            .collect();
        // One question per line: a tab or line break inside one would split it.
        let rows: String = (cases.iter())
            .map(|c| {
                let question = c.message.replace(['\t', '\n', '\r'], " ");
                let expected = if c.expected.is_empty() {
                    "-".to_string()
                } else {
                    c.expected.join(",")
                };
                format!("{question}\t{expected}\n")
            })
            .collect();
        let tsv = out.join(format!("fold{f}.tsv"));
        fs::write(&tsv, rows).map_err(io(&tsv))?;
        written += cases.len();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Article;

    fn kb() -> KnowledgeBase {
        KnowledgeBase {
            articles: vec![
                Article::for_test(
                    "paspoort",
                    "Paspoort aanvragen",
                    &[
                        "paspoort verlengen",
                        "pasfoto meenemen voor het paspoort",
                        "wat kost een paspoort",
                    ],
                    "Een paspoort vraagt u aan bij de balie. Neem een pasfoto mee. \
                     Verlengen kost 80 euro.",
                ),
                Article::for_test(
                    "kliko",
                    "Container kapot",
                    &["deksel van de kliko kapot", "wiel van de container kwijt"],
                    "Een kapotte container of kliko meldt u online: deksel, wiel of bak.",
                ),
            ],
            ..KnowledgeBase::default()
        }
    }

    /// The full pipeline's settings and a fixed day to ask on.
    fn full_pipeline() -> (Settings, NaiveDate) {
        let settings = Settings {
            pipeline: crate::search::Pipeline::FULL,
            site_url: url::Url::parse("https://www.example.nl").expect("url"),
        };
        (
            settings,
            NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
        )
    }

    /// [`kb`] with the passport article listing these questions as not answered.
    fn listing(not_answered: &[&str]) -> KnowledgeBase {
        let mut kb = kb();
        kb.articles[0].not_answered = not_answered.iter().map(|q| q.to_string()).collect();
        kb
    }

    #[test]
    fn every_question_is_asked_once_against_an_index_without_it() {
        let kb = kb();
        let mut asked: Vec<(String, String)> = Vec::new();
        for f in 0..2 {
            let Fold {
                kb: kept,
                asked: cases,
                unanswered,
            } = fold(&kb, 2, f);
            assert!(kept.content_hash.is_none());
            assert!(unanswered.is_empty());
            for case in &cases {
                let own = kept.articles.iter().find(|a| a.id == case.expected[0]);
                let own = own.expect("the expected article stays in the index");
                assert!(
                    !own.questions.contains(&case.message),
                    "{:?} is asked and still indexed",
                    case.message
                );
                asked.push((case.expected[0].clone(), case.message.clone()));
            }
        }
        asked.sort();
        let mut all: Vec<(String, String)> = (kb.articles.iter())
            .flat_map(|a| a.questions.iter().map(|q| (a.id.clone(), q.clone())))
            .collect();
        all.sort();
        assert_eq!(asked, all);
        // Positions are 1-based within the article: the first fold holds the 1st and 3rd.
        let first = fold(&kb, 2, 0).asked;
        let lines: Vec<usize> = first.iter().map(|c| c.line).collect();
        assert_eq!(lines, vec![1, 3, 1]);
    }

    #[test]
    fn written_folds_are_the_folds_as_files() {
        let source = tempfile::tempdir().expect("temp dir");
        let article = |category: &str, title: &str, questions: &[&str], listed: &[&str]| {
            let lines = |list: &[&str]| -> String {
                list.iter().map(|q| format!("  \"{q}\",\n")).collect()
            };
            let not_answered = if listed.is_empty() {
                String::new()
            } else {
                format!("not_answered = [\n{}]\n", lines(listed))
            };
            format!(
                "+++\ntitle = \"{title}\"\nquestions = [\n{}]\n{not_answered}# kept as is\n\
                 tags = [\"{category}\"]\ndepartment = \"Publiekszaken\"\n+++\n\
                 {title}: zo regelt u dat bij de balie.\n",
                lines(questions)
            )
        };
        let files = [
            (
                "burgerzaken/paspoort.md",
                article(
                    "burgerzaken",
                    "Paspoort",
                    &["p1", "p2", "p3", "p4", "p5", "p6"],
                    &["n1", "n2", "n3"],
                ),
            ),
            (
                "afval/kliko.md",
                article(
                    "afval",
                    "Kliko",
                    &["k1", "k2", "k3", "k4", "k5", "k6", "k7"],
                    &[],
                ),
            ),
        ];
        for (path, text) in &files {
            let path = source.path().join(path);
            fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs::write(path, text).expect("written");
        }
        fs::write(source.path().join("synonyms.txt"), "pas => paspoort\n").expect("written");
        let kb = crate::kb::load(source.path()).expect("valid");
        let out = tempfile::tempdir().expect("temp dir");
        assert_eq!(write_folds(&kb, 2, out.path()).expect("writes"), 13 + 3);
        for f in 0..2 {
            let Fold {
                kb: kept,
                asked,
                unanswered,
            } = fold(&kb, 2, f);
            let cases: Vec<Case> = asked
                .into_iter()
                .chain(unanswered.into_iter().map(|(_, case)| case))
                .collect();
            let written = crate::kb::load(&out.path().join(format!("kb{f}"))).expect("valid");
            let questions = |kb: &KnowledgeBase| -> Vec<(String, Vec<String>, Vec<String>)> {
                let mut all: Vec<_> = (kb.articles.iter())
                    .map(|a| (a.id.clone(), a.questions.clone(), a.not_answered.clone()))
                    .collect();
                all.sort();
                all
            };
            assert_eq!(questions(&written), questions(&kept));
            assert_eq!(written.synonyms, kb.synonyms);
            let asked = super::super::read_cases(&out.path().join(format!("fold{f}.tsv")))
                .expect("readable");
            let pairs = |cases: &[Case]| -> Vec<(String, Vec<String>)> {
                cases
                    .iter()
                    .map(|c| (c.message.clone(), c.expected.clone()))
                    .collect()
            };
            assert_eq!(pairs(&asked), pairs(&cases));
        }
        let text = fs::read_to_string(out.path().join("kb0/afval/kliko.md")).expect("written");
        assert!(
            text.contains("# kept as is") && text.contains("  \"k2\",\n  \"k4\","),
            "{text}"
        );
        // A list the article does not have stays absent.
        assert!(!text.contains("not_answered"), "{text}");
        let fold1 = fs::read_to_string(out.path().join("fold1.tsv")).expect("written");
        assert!(fold1.ends_with("n2\t-\n"), "{fold1}");
        assert!(matches!(
            write_folds(&self::kb(), 2, out.path()),
            Err(WriteFoldsError::NotFromFiles)
        ));
        // Never into a directory that holds anything, such as the knowledge base itself.
        for full in [out.path(), source.path()] {
            assert!(matches!(
                write_folds(&kb, 2, full),
                Err(WriteFoldsError::NotEmpty(_))
            ));
        }
        assert_eq!(
            fs::read_to_string(source.path().join("synonyms.txt")).expect("kept"),
            "pas => paspoort\n"
        );
    }

    #[test]
    fn every_not_answered_question_is_asked_once_against_an_index_without_it() {
        let kb = listing(&[
            "kan ik met een beschadigd paspoort nog reizen",
            "wat kost een paspoort voor een baby",
            "mag een paspoort in de wasmachine",
        ]);
        let mut asked = Vec::new();
        for f in 0..2 {
            let Fold {
                kb: kept,
                unanswered: listed,
                ..
            } = fold(&kb, 2, f);
            for (article, case) in listed {
                assert_eq!(article, "paspoort");
                assert!(case.expected.is_empty());
                assert!(!kept.articles[0].not_answered.contains(&case.message));
                assert_eq!(kb.articles[0].not_answered[case.line - 1], case.message);
                asked.push(case.message);
            }
        }
        asked.sort();
        let mut all = kb.articles[0].not_answered.clone();
        all.sort();
        assert_eq!(asked, all);
    }

    #[test]
    fn a_held_out_not_answered_question_sent_with_its_own_article_is_counted() {
        let kb = listing(&[
            "kan ik met een beschadigd paspoort nog reizen",
            "wat kost een paspoort voor een baby",
        ]);
        let (settings, today) = full_pipeline();
        let figures = |min_confidence: f32| {
            let held_out = run_folds(&kb, &settings, 2, min_confidence, today).expect("builds");
            let asked = &held_out.unanswered;
            assert!(asked.iter().all(|u| u.article == "paspoort"));
            // They count as rows without an article, after the example questions.
            let outcomes = held_out.outcomes();
            assert_eq!(outcomes.len(), held_out.asked.len() + 2);
            assert!(
                outcomes[held_out.asked.len()..]
                    .iter()
                    .all(|o| !o.answerable())
            );
            UnansweredFigures::of(asked)
        };
        // Both name the passport, which only the passport article has.
        let sent = figures(0.0);
        assert_eq!(
            (
                sent.questions,
                sent.its_article_first,
                sent.by_its_article,
                sent.by_another
            ),
            (2, 2, 2, 0)
        );
        assert!((sent.by_its_article_share() - 1.0).abs() < 1e-9);
        // A bot that is never sure sends nothing.
        let silent = figures(1.01);
        assert_eq!((silent.its_article_first, silent.by_its_article), (2, 0));
    }

    #[test]
    fn held_out_questions_find_their_article_by_its_other_text() {
        let (settings, today) = full_pipeline();
        let held_out = run_folds(&kb(), &settings, 2, 0.8, today).expect("builds");
        let (outcomes, latency) = (&held_out.asked, &held_out.latency);
        assert_eq!(outcomes.len(), 5);
        assert!(held_out.unanswered.is_empty());
        for o in outcomes {
            assert_eq!(o.rank, Some(1), "{:?} ranked {:?}", o.message, o.ranked);
        }
        assert!(latency.median_us > 0.0);
    }
}
