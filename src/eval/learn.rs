//! `eval --learn TRAIN TEST`: what the learning loop gains. TRAIN's labelled messages stand in
//! for agents' choices: each message whose expected article the engine did not put first
//! becomes a learned question for that article (masked, as in the review queue), an editor
//! accepts them all, and TEST is measured on the knowledge base before and after. The
//! questions go into in-memory copies of the articles; no file is touched.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Case, Figures, run};
use crate::chat::learning::{has_question, mask};
use crate::kb::KnowledgeBase;
use crate::search::{SearchError, Settings, Snapshot};

/// One proposal an agent's choice would have made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Learned {
    /// TRAIN's line.
    pub line: usize,
    pub article_id: String,
    /// The message, masked.
    pub question: String,
}

/// The figures before and after, and what was learned.
#[derive(Debug, Clone, Serialize)]
pub struct LearnReport {
    /// Messages whose expected article was not the first suggestion.
    pub proposals: usize,
    /// Questions added: proposals minus those an article already had (or had twice).
    pub accepted: usize,
    /// Articles that got at least one question.
    pub articles: usize,
    pub before: Figures,
    pub after: Figures,
}

/// The proposals TRAIN makes against `snapshot`: each answerable message whose first
/// suggestion is not one of its expected articles proposes itself for the first expected
/// article (the one an agent would have used). Ids the knowledge base lacks are skipped.
pub fn proposals(snapshot: &Snapshot, train: &[Case], today: NaiveDate) -> Vec<Learned> {
    train
        .iter()
        .filter_map(|case| {
            let chosen = case.expected.first()?;
            snapshot.article(chosen)?;
            // As `run` ranks: the top of five.
            let suggestions = snapshot.suggest(&case.message, 5, today);
            let first = suggestions.suggestions.first().map(|s| s.id.as_str());
            if first.is_some_and(|id| case.expected.iter().any(|e| e == id)) {
                return None;
            }
            Some(Learned {
                line: case.line,
                article_id: chosen.clone(),
                question: mask(&case.message),
            })
        })
        .collect()
}

/// Adds every proposal to a copy of `kb`, as an editor accepting them all would; returns the
/// copy and how many questions were added.
pub fn accept_all(kb: &KnowledgeBase, learned: &[Learned]) -> (KnowledgeBase, usize, usize) {
    let mut copy = kb.clone();
    // The copy is made in memory: it must not pass for the files on disk.
    copy.content_hash = None;
    let position: HashMap<String, usize> = (copy.articles.iter().enumerate())
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut added = 0;
    let mut changed = std::collections::HashSet::new();
    for proposal in learned {
        let Some(&i) = position.get(&proposal.article_id) else {
            continue;
        };
        let article = &mut copy.articles[i];
        if proposal.question.trim().is_empty() || has_question(article, &proposal.question) {
            continue;
        }
        article.questions.push(proposal.question.trim().to_string());
        changed.insert(i);
        added += 1;
    }
    (copy, added, changed.len())
}

/// Runs the whole loop: propose from TRAIN, accept, rebuild, measure TEST before and after.
pub fn learn(
    kb: &KnowledgeBase,
    settings: &Settings,
    train: &[Case],
    test: &[Case],
    min_confidence: f32,
    today: NaiveDate,
) -> Result<LearnReport, SearchError> {
    let before_snapshot = Snapshot::build(kb, settings)?;
    let figures = |snapshot: &Snapshot| {
        let (outcomes, _) = run(snapshot, test, min_confidence, today);
        Figures::of(&outcomes.iter().collect::<Vec<_>>())
    };
    let before = figures(&before_snapshot);
    let learned = proposals(&before_snapshot, train, today);
    drop(before_snapshot);
    let (learned_kb, accepted, articles) = accept_all(kb, &learned);
    let after = figures(&Snapshot::build(&learned_kb, settings)?);
    Ok(LearnReport {
        proposals: learned.len(),
        accepted,
        articles,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::Article;

    fn case(line: usize, message: &str, expected: &str) -> Case {
        Case {
            line,
            message: message.into(),
            expected: vec![expected.into()],
        }
    }

    #[test]
    fn accepting_adds_each_new_question_once_to_a_copy() {
        let kb = KnowledgeBase {
            articles: vec![Article::for_test("a", "A", &["Bestaat al"], "x")],
            ..KnowledgeBase::default()
        };
        let learned = |q: &str| Learned {
            line: 1,
            article_id: "a".into(),
            question: q.into(),
        };
        let (copy, added, articles) = accept_all(
            &kb,
            &[
                learned("bestaat al "),
                learned("nieuwe vraag"),
                learned("Nieuwe vraag"),
                Learned {
                    article_id: "onbekend".into(),
                    ..learned("x")
                },
            ],
        );
        assert_eq!((added, articles), (1, 1));
        assert_eq!(copy.articles[0].questions, ["Bestaat al", "nieuwe vraag"]);
        assert_eq!(
            kb.articles[0].questions,
            ["Bestaat al"],
            "the original is untouched"
        );
    }

    #[test]
    fn a_message_the_engine_missed_is_learned_masked_and_then_found() {
        let kb = KnowledgeBase {
            articles: vec![
                Article::for_test(
                    "hondenbelasting",
                    "Hondenbelasting",
                    &["hoeveel hondenbelasting betaal ik"],
                    "De belasting voor uw hond.",
                ),
                Article::for_test(
                    "kapvergunning",
                    "Kapvergunning",
                    &["mag ik een boom kappen"],
                    "Een vergunning om een boom te kappen.",
                ),
            ],
            ..KnowledgeBase::default()
        };
        let settings = Settings {
            pipeline: crate::search::Pipeline::FULL,
            site_url: url::Url::parse("https://www.example.nl").expect("url"),
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
        let train = [
            case(
                1,
                "de eik in mijn tuin moet weg, iban NL91ABNA0417164300",
                "kapvergunning",
            ),
            case(2, "mag ik een boom kappen", "kapvergunning"),
        ];
        let snapshot = Snapshot::build(&kb, &settings).expect("build");
        let learned = proposals(&snapshot, &train, today);
        assert_eq!(learned.len(), 1, "{learned:?}");
        assert_eq!(learned[0].line, 1);
        assert!(
            !learned[0].question.contains("0417164300"),
            "masked: {}",
            learned[0].question
        );

        let test = [case(1, "de eik in mijn tuin moet weg", "kapvergunning")];
        let report = learn(&kb, &settings, &train, &test, 0.5, today).expect("learn");
        assert_eq!((report.proposals, report.accepted), (1, 1));
        assert!(report.before.hit_at_1 < 1.0);
        assert_eq!(report.after.hit_at_1, 1.0);
    }
}
