//! The gap report ("Hiaten") as editors and the API see it: the resident questions the
//! knowledge base did not answer ([`crate::store::gaps`]), grouped by meaning
//! ([`crate::search::gaps`]), with the agents' replies and the most common one per group.
//!
//! Texts are masked again with the privacy guard before they are shown, although they were
//! masked on arrival: a message stored before a rule was added, or an agent's reply that
//! repeated a number, then still shows no personal data. `draft.rs` turns a group into a
//! new article's concept ("Nieuw artikel").

mod draft;

pub use draft::{DraftError, NO_REPLY_BODY, questions as draft_questions};

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use super::editing::{EditError, Edited};
use super::learning::list_key;
use super::privacy::{self, Kind, Masking};
use super::service::{Chat, ChatError};
use crate::kb::write::QuestionList;
use crate::search::Snapshot;
use crate::search::gaps::{self as grouping, GapMessage, Nearest};
use crate::store::StoreError;
use crate::store::gaps::{self as store, Reason, Unanswered};

/// The period the report covers when none is asked for.
pub const DEFAULT_DAYS: u32 = 30;

/// The longest period the report covers.
pub const MAX_DAYS: u32 = 365;

/// A period outside 1..=[`MAX_DAYS`] days.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("days must be a whole number from 1 to {MAX_DAYS}, not {0}")]
pub struct BadDays(pub String);

/// The period of `?days=`: [`DEFAULT_DAYS`] when absent or empty.
pub fn days(param: Option<&str>) -> Result<u32, BadDays> {
    match param.map(str::trim) {
        None | Some("") => Ok(DEFAULT_DAYS),
        Some(text) => match text.parse::<u32>() {
            Ok(days) if (1..=MAX_DAYS).contains(&days) => Ok(days),
            _ => Err(BadDays(text.chars().take(20).collect())),
        },
    }
}

/// One unanswered question, masked.
#[derive(Debug, Clone, PartialEq)]
pub struct GapQuestion {
    pub message_id: i64,
    pub conversation_id: i64,
    pub text: String,
    pub at: DateTime<Utc>,
    pub reason: Reason,
    /// With [`Reason::NotHelpful`] and [`Reason::OfferDeclined`]: the article the bot answered
    /// with or offered, which the resident said "nee" to: the one whose `not_answered` list
    /// the question most likely belongs in.
    pub declined: Option<String>,
    /// The article an agent's reply used (after a "nee"): where the question belongs as
    /// an example, by an agent's judgement.
    pub replied_with: Option<String>,
    /// An article whose `not_answered` lists the question (the `declined` one when it does):
    /// an editor has said where the answer is not. The question stays in the report until
    /// it gets one.
    pub listed: Option<String>,
    /// The article the knowledge base suggests first for this question now, leaving out the
    /// `declined` and `listed` ones, with its confidence: the one whose example questions it
    /// most likely belongs to (the group's nearest article is that of its most typical
    /// question, which may be another subject).
    pub nearest: Option<Nearest>,
    /// The agents' replies to it, masked, oldest first.
    pub replies: Vec<String>,
}

/// Questions that ask the same thing.
#[derive(Debug, Clone, PartialEq)]
pub struct GapGroup {
    /// The most characteristic terms, as residents wrote them.
    pub terms: Vec<String>,
    /// The count, weighted by recency.
    pub impact: f64,
    /// Most recent first.
    pub questions: Vec<GapQuestion>,
    /// The group's most typical question.
    pub central: i64,
    pub nearest: Option<Nearest>,
    /// The agents' reply given most often to the group's questions (the most recent among
    /// equals): the body a new article starts from.
    pub common_reply: Option<String>,
}

impl GapGroup {
    pub fn count(&self) -> usize {
        self.questions.len()
    }
}

/// The report for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct GapReport {
    pub days: u32,
    /// Groups of two or more by impact, then single questions by impact.
    pub groups: Vec<GapGroup>,
    /// Older questions left out because only the most recent are grouped.
    pub dropped: usize,
    /// Questions left out because the knowledge base now answers them: their first
    /// suggestion reaches the bot's threshold, and it is not the article the resident said
    /// "nee" to. An editor who closed a gap in the editor sees it go.
    pub answered: usize,
}

impl Chat {
    /// The unanswered questions of the last `days` days, grouped by meaning. The query and
    /// the grouping run off the async threads.
    pub async fn gap_report(&self, days: u32) -> Result<GapReport, ChatError> {
        let now = (self.clock)();
        let since = now - TimeDelta::days(i64::from(days));
        let threshold = self.config.bot.min_confidence;
        let limit = grouping::MAX_BACKGROUND + grouping::MAX_MESSAGES;
        let (found, asked) = (self.store)
            .call(move |c| {
                let found = store::unanswered(c, since, threshold)?;
                Ok((found, store::questions(c, since, limit)?))
            })
            .await?;
        let masking = self.config.privacy.clone();
        let snapshot = self.engine.snapshot();
        let report = tokio::task::spawn_blocking(move || {
            // What else residents asked weighs the terms (see `group_with_background`).
            let gaps: HashSet<i64> = found.iter().map(|u| u.message_id).collect();
            let mut answered: Vec<String> = (asked.into_iter())
                .filter(|(id, _)| !gaps.contains(id))
                .map(|(_, text)| text)
                .collect();
            // The KB's own example questions too: how residents word what the KB answers. A
            // quiet period then still knows "drone" for rare and "mag ik" for common, and
            // keeps one subject's few questions together.
            answered.extend(
                (snapshot.articles.iter())
                    .flat_map(|a| a.questions.iter().cloned())
                    .take(grouping::MAX_BACKGROUND.saturating_sub(answered.len())),
            );
            let today = crate::search::date_in_netherlands(now);
            let (questions, answered_now) =
                still_open(found, &masking, &snapshot, threshold, today);
            let input: Vec<GapMessage> = (questions.iter())
                .map(|q| GapMessage {
                    id: q.message_id,
                    text: q.text.clone(),
                    at: q.at,
                })
                .collect();
            // Message ids are the table's key, so the grouping's only error cannot happen;
            // it is still reported rather than assumed away.
            let grouped = grouping::group_with_background(&snapshot, &input, &answered, now)
                .map_err(|err| StoreError::Worker(format!("gap report: {err}")))?;
            let mut by_id: HashMap<i64, GapQuestion> =
                (questions.into_iter()).map(|q| (q.message_id, q)).collect();
            let groups = (grouped.groups.into_iter())
                .map(|group| {
                    let questions: Vec<GapQuestion> = (group.members.iter())
                        .filter_map(|id| by_id.remove(id))
                        .collect();
                    GapGroup {
                        common_reply: most_common_reply(&questions),
                        nearest: nearest_for_group(group.nearest, group.central, &questions),
                        terms: group.terms,
                        impact: group.impact,
                        questions,
                        central: group.central,
                    }
                })
                .collect();
            Ok::<_, StoreError>(GapReport {
                days,
                groups,
                dropped: grouped.dropped,
                answered: answered_now,
            })
        })
        .await
        .map_err(|err| StoreError::Worker(crate::task::stopped(&err).into()))??;
        tracing::info!(
            days,
            groups = report.groups.len(),
            dropped = report.dropped,
            "gap report"
        );
        Ok(report)
    }

    /// "Negeer": leaves these questions out of the report from now on. Returns how many were
    /// newly dismissed.
    pub async fn dismiss_gaps(
        &self,
        message_ids: Vec<i64>,
        actor: &str,
    ) -> Result<usize, StoreError> {
        let actor = actor.to_string();
        let count = (self.store)
            .call(move |c| store::dismiss(c, &message_ids, &actor))
            .await?;
        tracing::info!(count, "gap questions dismissed");
        Ok(count)
    }
}

/// Why a message could not be added to an article as an example question.
#[derive(Debug, thiserror::Error)]
pub enum QuestionError {
    #[error("there is no resident message {0}")]
    UnknownMessage(i64),
    #[error("message {0} has no text left after masking personal data")]
    EmptyMessage(i64),
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl Chat {
    /// "Voeg toe als voorbeeldvraag" (`list` is `questions`) or "Voeg toe als vraag die dit
    /// artikel niet beantwoordt" (`not_answered`): adds resident message `message_id`, as
    /// content ([`as_content`]), to that list of article `article_id` as a new revision by
    /// `author`. An example question answers it, so the message leaves the gap report from
    /// then on. A question listed as not answered (after a resident's "nee", or by an
    /// editor's judgement) stops the bot from sending that article to it, but it still needs
    /// an answer: it stays in the report, marked as listed ([`GapQuestion::listed`]).
    pub async fn add_gap_to(
        &self,
        message_id: i64,
        article_id: &str,
        list: QuestionList,
        author: &str,
    ) -> Result<Edited, QuestionError> {
        let (conversation, text) = (self.store)
            .call(move |c| store::resident_message(c, message_id))
            .await
            .map_err(EditError::from)?
            .ok_or(QuestionError::UnknownMessage(message_id))?;
        let question = as_content(&text);
        if question.trim().is_empty() {
            return Err(QuestionError::EmptyMessage(message_id));
        }
        let comment = match list {
            QuestionList::Questions => {
                format!("Voorbeeldvraag uit gesprek {conversation} (Hiaten)")
            }
            QuestionList::NotAnswered => format!(
                "Vraag die het artikel niet beantwoordt, uit gesprek {conversation} (Hiaten)"
            ),
        };
        let edited = self
            .add_listed(article_id, list, question.trim(), author, &comment)
            .await?;
        if list == QuestionList::Questions {
            self.dismiss_gaps(vec![message_id], author)
                .await
                .map_err(EditError::from)?;
        }
        tracing::info!(
            message = message_id,
            article = article_id,
            revision = edited.revision,
            "gap question added to an article"
        );
        Ok(edited)
    }
}

/// Resident text made fit for content every resident reads: personal data masked completely,
/// and the visible tail of a number masked on arrival (`••••••782`) hidden as well.
pub fn as_content(text: &str) -> String {
    let masking = Masking {
        keep_last: 0,
        mask_low_certainty: true,
        kinds: vec![Kind::Bsn, Kind::Iban, Kind::BirthDate, Kind::Address],
    };
    let masked = privacy::mask_names(&privacy::screen(text, &masking).text);
    let mut out = String::with_capacity(masked.len());
    let mut after_mask = false;
    for c in masked.chars() {
        after_mask = c == '•' || (after_mask && c.is_alphanumeric());
        out.push(if after_mask { '•' } else { c });
    }
    out
}

fn mask(text: &str, masking: &privacy::Masking) -> String {
    privacy::screen(text, masking).text
}

/// The questions the knowledge base still does not answer, masked and newest first, each
/// with its `listed` and `nearest` article, and how many it now answers. Only as many are
/// judged as can be grouped; older ones stay unjudged, for the grouping to count as left out.
fn still_open(
    mut found: Vec<Unanswered>,
    masking: &privacy::Masking,
    snapshot: &Snapshot,
    threshold: f32,
    today: NaiveDate,
) -> (Vec<GapQuestion>, usize) {
    found.sort_by_key(|u| std::cmp::Reverse((u.at, u.message_id)));
    let listed = listed_questions(snapshot);
    let mut open = Vec::with_capacity(found.len());
    let mut answered = 0;
    for unanswered in found {
        let mut q = masked(unanswered, masking);
        if open.len() < grouping::MAX_MESSAGES {
            let lists: &[String] = listed
                .get(&list_key(&as_content(&q.text)))
                .map_or(&[], Vec::as_slice);
            q.listed = (q.declined.iter().chain(lists))
                .find(|id| lists.contains(id))
                .cloned();
            let suggested = snapshot.suggest(&q.text, 3, today);
            let declined = |id: &str| q.declined.as_deref() == Some(id);
            let first = suggested.top().filter(|s| !declined(&s.id));
            if first.is_some_and(|s| s.confidence >= threshold) {
                answered += 1;
                continue;
            }
            // The articles the resident said "nee" to or an editor listed it on are not
            // where the question belongs as an example: the next one is.
            let other = (suggested.suggestions.iter())
                .find(|s| !declined(&s.id) && q.listed.as_deref() != Some(&s.id));
            q.nearest = other.map(|s| Nearest {
                id: s.id.clone(),
                confidence: s.confidence,
            });
        }
        open.push(q);
    }
    (open, answered)
}

/// Every article's `not_answered` questions, by [`list_key`], with the articles that list
/// each (in knowledge base order).
fn listed_questions(snapshot: &Snapshot) -> HashMap<String, Vec<String>> {
    let mut listed: HashMap<String, Vec<String>> = HashMap::new();
    for article in snapshot.articles.iter() {
        for question in &article.not_answered {
            listed
                .entry(list_key(question))
                .or_default()
                .push(article.id.clone());
        }
    }
    listed
}

/// The group's nearest article, unless its most typical question was said "nee" to or is
/// listed as not answered there: then that question's own nearest article.
fn nearest_for_group(
    nearest: Option<Nearest>,
    central: i64,
    questions: &[GapQuestion],
) -> Option<Nearest> {
    let Some(q) = questions.iter().find(|q| q.message_id == central) else {
        return nearest;
    };
    let excluded = |id: &str| q.declined.as_deref() == Some(id) || q.listed.as_deref() == Some(id);
    match nearest {
        Some(n) if excluded(&n.id) => q.nearest.clone(),
        nearest => nearest,
    }
}

fn masked(u: Unanswered, masking: &privacy::Masking) -> GapQuestion {
    GapQuestion {
        message_id: u.message_id,
        conversation_id: u.conversation_id,
        text: mask(&u.text, masking),
        at: u.at,
        reason: u.reason,
        declined: u.declined,
        replied_with: u.replied_with,
        listed: None,
        nearest: None,
        replies: u.replies.iter().map(|r| mask(r, masking)).collect(),
    }
}

/// The reply given most often (compared trimmed), the most recent among equals; `questions`
/// are most recent first.
fn most_common_reply(questions: &[GapQuestion]) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    let replies = questions.iter().flat_map(|q| q.replies.iter().rev());
    for (order, reply) in replies.enumerate() {
        let entry = counts.entry(reply.trim()).or_insert((0, order));
        entry.0 += 1;
    }
    (counts.into_iter())
        .filter(|(reply, _)| !reply.is_empty())
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(reply, _)| reply.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(replies: &[&str]) -> GapQuestion {
        GapQuestion {
            message_id: 1,
            conversation_id: 1,
            text: String::new(),
            at: Utc::now(),
            reason: Reason::NoAnswer,
            declined: None,
            replied_with: None,
            listed: None,
            nearest: None,
            replies: replies.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn the_most_common_reply_wins_and_the_most_recent_breaks_ties() {
        let questions = [
            question(&["Nieuw antwoord.", "Bel 14 0123."]),
            question(&["Bel 14 0123. "]),
            question(&["Oud antwoord."]),
        ];
        assert_eq!(
            most_common_reply(&questions).as_deref(),
            Some("Bel 14 0123.")
        );
        let tie = [question(&["Nieuw."]), question(&["Oud."])];
        assert_eq!(most_common_reply(&tie).as_deref(), Some("Nieuw."));
        assert_eq!(most_common_reply(&[question(&[])]), None);
    }

    #[test]
    fn a_groups_nearest_article_is_not_one_its_central_question_is_kept_from() {
        let near = |id: &str| Nearest {
            id: id.into(),
            confidence: 0.6,
        };
        let central = |declined: Option<&str>, listed: Option<&str>| GapQuestion {
            message_id: 7,
            declined: declined.map(Into::into),
            listed: listed.map(Into::into),
            nearest: Some(near("afvalkalender")),
            ..question(&[])
        };
        let group_nearest = |q: GapQuestion| nearest_for_group(Some(near("gft")), 7, &[q]);
        for (declined, listed) in [(Some("gft"), None), (None, Some("gft"))] {
            let chosen = group_nearest(central(declined, listed)).expect("one");
            assert_eq!(chosen.id, "afvalkalender", "{declined:?} {listed:?}");
        }
        let chosen = group_nearest(central(Some("pmd"), None)).expect("one");
        assert_eq!(chosen.id, "gft", "another article was declined");
        let elsewhere = nearest_for_group(Some(near("gft")), 8, &[central(Some("gft"), None)]);
        assert_eq!(
            elsewhere.expect("one").id,
            "gft",
            "not the central question"
        );
    }

    #[test]
    fn content_hides_personal_data_and_tails_left_visible_on_arrival() {
        assert_eq!(
            as_content("mijn bsn is 111222333, en •••••••782 ook"),
            "mijn bsn is •••••••••, en •••••••••• ook"
        );
        assert_eq!(as_content("geen 14 0123 hier"), "geen 14 0123 hier");
    }

    #[test]
    fn days_default_to_thirty_and_refuse_nonsense() {
        assert_eq!(days(None), Ok(30));
        assert_eq!(days(Some("")), Ok(30));
        assert_eq!(days(Some("7")), Ok(7));
        assert_eq!(days(Some("365")), Ok(365));
        for bad in ["0", "366", "-1", "abc", "1.5"] {
            assert!(days(Some(bad)).is_err(), "{bad}");
        }
    }
}
