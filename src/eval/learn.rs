//! `eval --learn TRAIN TEST`: what the learning loop gains. TRAIN's labelled messages stand in
//! for agents' choices: each message whose expected article the engine did not put first
//! becomes a learned question for that article (masked, as in the review queue), and each
//! message without an article whose first suggestion the bot would send or offer becomes a
//! question that article does not answer (an agent's "Beantwoordt de vraag niet", or a
//! resident's "nee"). An editor accepts them all, and TEST is measured on the knowledge base
//! before and after. The questions go into in-memory copies of the articles; no file is
//! touched.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Case, Figures, run};
use crate::chat::learning::{has_question, in_list, mask};
use crate::kb::KnowledgeBase;
use crate::kb::write::QuestionList;
use crate::search::{SearchError, Settings, Snapshot};

/// One proposal an agent's choice would have made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Learned {
    /// TRAIN's line.
    pub line: usize,
    pub article_id: String,
    /// The message, masked.
    pub question: String,
    /// Which of the article's lists it joins: its example questions, or those it does not
    /// answer.
    #[serde(serialize_with = "list_name")]
    pub list: QuestionList,
}

fn list_name<S: serde::Serializer>(list: &QuestionList, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(list.key())
}

/// The figures before and after, and what was learned.
#[derive(Debug, Clone, Serialize)]
pub struct LearnReport {
    /// Messages whose expected article was not the first suggestion.
    pub proposals: usize,
    /// Messages without an article whose first suggestion the bot would send or offer.
    pub not_answered_proposals: usize,
    /// Questions added to either list: proposals minus those an article already had (or had
    /// twice).
    pub accepted: usize,
    /// Articles that got at least one question.
    pub articles: usize,
    pub before: Figures,
    pub after: Figures,
}

/// The proposals TRAIN makes against `snapshot`: each answerable message whose first
/// suggestion is not one of its expected articles proposes itself for the first expected
/// article (the one an agent would have used); ids the knowledge base lacks are skipped. Each
/// message without an article whose first suggestion reaches `offer_confidence` (the bot
/// sends or offers it, and the resident or an agent says it does not answer) proposes itself
/// for that article's `not_answered`.
pub fn proposals(
    snapshot: &Snapshot,
    train: &[Case],
    offer_confidence: f32,
    today: NaiveDate,
) -> Vec<Learned> {
    train
        .iter()
        .filter_map(|case| {
            // As `run` ranks: the top of five.
            let suggestions = snapshot.suggest(&case.message, 5, today);
            let first = suggestions.top();
            let Some(chosen) = case.expected.first() else {
                let first = first.filter(|s| s.confidence >= offer_confidence)?;
                return Some(Learned {
                    line: case.line,
                    article_id: first.id.clone(),
                    question: mask(&case.message),
                    list: QuestionList::NotAnswered,
                });
            };
            snapshot.article(chosen)?;
            if first.is_some_and(|s| case.expected.contains(&s.id)) {
                return None;
            }
            Some(Learned {
                line: case.line,
                article_id: chosen.clone(),
                question: mask(&case.message),
                list: QuestionList::Questions,
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
        let question = proposal.question.trim();
        if question.is_empty()
            || has_question(article, question)
            || in_list(&article.not_answered, question)
        {
            continue;
        }
        match proposal.list {
            QuestionList::Questions => article.questions.push(question.to_string()),
            QuestionList::NotAnswered => article.not_answered.push(question.to_string()),
        }
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
    offer_confidence: f32,
    today: NaiveDate,
) -> Result<LearnReport, SearchError> {
    let before_snapshot = Snapshot::build(kb, settings)?;
    let figures = |snapshot: &Snapshot| {
        let (outcomes, _) = run(snapshot, test, min_confidence, today);
        Figures::of(&outcomes.iter().collect::<Vec<_>>())
    };
    let before = figures(&before_snapshot);
    let learned = proposals(&before_snapshot, train, offer_confidence, today);
    drop(before_snapshot);
    let (learned_kb, accepted, articles) = accept_all(kb, &learned);
    let after = figures(&Snapshot::build(&learned_kb, settings)?);
    let not_answered = (learned.iter())
        .filter(|l| l.list == QuestionList::NotAnswered)
        .count();
    Ok(LearnReport {
        proposals: learned.len() - not_answered,
        not_answered_proposals: not_answered,
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
            list: QuestionList::Questions,
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

    /// Two articles, dog tax and tree felling, with the settings and day the tests search on.
    fn dogs_and_trees() -> (KnowledgeBase, Settings, NaiveDate) {
        let kb = KnowledgeBase {
            articles: vec![
                Article::for_test(
                    "hondenbelasting",
                    "Hondenbelasting",
                    &[
                        "hoeveel hondenbelasting betaal ik",
                        "hond aanmelden voor de belasting",
                    ],
                    "De belasting voor uw hond: 120 euro per jaar.",
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
        (
            kb,
            settings,
            NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
        )
    }

    #[test]
    fn a_message_the_engine_missed_is_learned_masked_and_then_found() {
        let (kb, settings, today) = dogs_and_trees();
        let train = [
            case(
                1,
                "de eik in mijn tuin moet weg, iban NL91ABNA0417164300",
                "kapvergunning",
            ),
            case(2, "mag ik een boom kappen", "kapvergunning"),
        ];
        let snapshot = Snapshot::build(&kb, &settings).expect("build");
        let learned = proposals(&snapshot, &train, 0.45, today);
        assert_eq!(learned.len(), 1, "{learned:?}");
        assert_eq!(learned[0].line, 1);
        assert!(
            !learned[0].question.contains("0417164300"),
            "masked: {}",
            learned[0].question
        );

        let test = [case(1, "de eik in mijn tuin moet weg", "kapvergunning")];
        let report = learn(&kb, &settings, &train, &test, 0.5, 0.45, today).expect("learn");
        assert_eq!((report.proposals, report.accepted), (1, 1));
        assert!(report.before.hit_at_1 < 1.0);
        assert_eq!(report.after.hit_at_1, 1.0);
    }

    #[test]
    fn a_message_without_an_article_that_the_bot_would_send_joins_the_articles_not_answered() {
        let (kb, settings, today) = dogs_and_trees();
        let near_miss = "hoeveel hondenbelasting betaal ik voor een logeerhond";
        let unsure = Case {
            line: 2,
            message: "wat doet de gemeente".into(),
            expected: vec![],
        };
        let train = [
            Case {
                line: 1,
                message: near_miss.into(),
                expected: vec![],
            },
            unsure.clone(),
        ];
        let snapshot = Snapshot::build(&kb, &settings).expect("build");
        let first = snapshot.suggest(near_miss, 1, today);
        let confidence = first.top().expect("suggested").confidence;
        assert!(confidence >= 0.45, "{confidence}");
        let learned = proposals(&snapshot, &train, 0.45, today);
        assert_eq!(
            learned,
            [Learned {
                line: 1,
                article_id: "hondenbelasting".into(),
                question: near_miss.into(),
                list: QuestionList::NotAnswered,
            }],
            "a message no suggestion is sure of teaches nothing"
        );
        let (copy, added, _) = accept_all(&kb, &learned);
        assert_eq!(added, 1);
        assert_eq!(copy.articles[0].not_answered, [near_miss]);
        assert!(
            copy.articles[0].questions.len() == 2,
            "not an example question"
        );

        let test = [Case {
            line: 1,
            message: "betaal ik hondenbelasting voor een logeerhond".into(),
            expected: vec![],
        }];
        let report = learn(&kb, &settings, &train, &test, 0.45, 0.45, today).expect("learn");
        assert_eq!((report.proposals, report.not_answered_proposals), (0, 1));
        assert_eq!(report.before.no_article_confident, 1);
        assert_eq!(report.after.no_article_confident, 0);
    }
}
