//! The learning loop's proposals: agents propose example questions and changes from a
//! conversation, and a reply that used an article the suggestions did not put first (or one
//! found through the search) proposes its resident message as an example question for that
//! article. Every text is masked before it is stored. Editors accept or reject proposals on
//! /kb/proposals; accepting a question saves it through [`Chat::add_question`], as a revision.

use super::Direction;
use super::editing::{EditError, Edited};
use super::privacy::{self, Masking};
use super::service::Chat;
use crate::kb::write::QuestionList;
use crate::store::StoreError;
use crate::store::conversations as conv;
use crate::store::proposals::{self, Decision, Kind, NewProposal, Proposal};
use crate::store::usage::Answered;
use crate::store::users::User;

/// Masking for text that becomes content: no digit of a number left visible.
pub fn content_masking() -> Masking {
    Masking {
        keep_last: 0,
        ..Masking::default()
    }
}

/// `text` with personal data masked, for the review queue and the knowledge base.
pub fn mask(text: &str) -> String {
    privacy::mask_names(&privacy::screen(text, &content_masking()).text)
}

/// Whether `article` has `question` among its examples (case and outer spaces aside).
pub fn has_question(article: &crate::kb::Article, question: &str) -> bool {
    in_list(&article.questions, question)
}

/// Whether `list` (an article's questions or `not_answered`) has `question`, case and outer
/// spaces aside.
pub fn in_list(list: &[String], question: &str) -> bool {
    let wanted = list_key(question);
    list.iter().any(|q| list_key(q) == wanted)
}

/// A listed question as [`in_list`] compares it: case and outer spaces aside.
pub fn list_key(question: &str) -> String {
    question.trim().to_lowercase()
}

/// Why a proposal was refused.
#[derive(Debug, thiserror::Error)]
pub enum ProposalError {
    #[error("no such article `{0}`")]
    UnknownArticle(String),
    #[error("the message is not a resident's message in this conversation")]
    NotAResidentMessage,
    #[error("the proposal is empty")]
    Empty,
    #[error("no pending proposal {0}")]
    NotPending(i64),
    #[error("proposal {0} is a change: open the editor, then mark it done")]
    NeedsEditor(i64),
    #[error(transparent)]
    Chat(#[from] super::ChatError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Chat {
    /// An agent's proposal from a message of conversation `id` (which they may see). A
    /// question is the resident message itself; a change is `text`, the agent's words.
    /// Returns `None` when that message was already proposed for that article.
    pub async fn propose(
        &self,
        user: &User,
        id: i64,
        message_id: i64,
        article_id: &str,
        kind: Kind,
        text: &str,
    ) -> Result<Option<i64>, ProposalError> {
        self.conversation_for(user, id).await?;
        let message = self
            .store
            .call(move |c| conv::message(c, message_id))
            .await?
            .filter(|m| m.conversation_id == id);
        let text = self.check_proposal(message.as_ref(), article_id, kind, text)?;
        let (article_id, agent) = (article_id.to_string(), user.name.clone());
        let stored = self
            .store
            .call(move |c| {
                proposals::propose(
                    c,
                    &NewProposal {
                        article_id: &article_id,
                        kind,
                        text: &text,
                        message_id: Some(message_id),
                        proposed_by: &agent,
                        learned: false,
                    },
                )
            })
            .await?;
        tracing::info!(conversation = id, message_id, proposal = ?stored, "proposal from an agent");
        Ok(stored)
    }

    fn check_proposal(
        &self,
        message: Option<&conv::Message>,
        article_id: &str,
        kind: Kind,
        text: &str,
    ) -> Result<String, ProposalError> {
        if self.engine.snapshot().article(article_id).is_none() {
            return Err(ProposalError::UnknownArticle(article_id.to_string()));
        }
        let message = message.ok_or(ProposalError::NotAResidentMessage)?;
        let text = match kind {
            Kind::Question | Kind::NotAnswered if message.direction == Direction::In => {
                mask(&message.text)
            }
            Kind::Question | Kind::NotAnswered => return Err(ProposalError::NotAResidentMessage),
            Kind::Change => mask(text.trim()),
        };
        if text.trim().is_empty() {
            return Err(ProposalError::Empty);
        }
        Ok(text)
    }

    /// After an agent's reply: when it used an article the suggestions did not put first, or
    /// one found through the search, the resident message it answered becomes a learned
    /// question for that article, once, unless the article already has that question.
    pub(super) fn learn_from_reply(
        &self,
        conn: &mut rusqlite::Connection,
        agent: &str,
        article_id: Option<&str>,
        answered: &Answered,
    ) -> Result<Option<i64>, StoreError> {
        let (Some(article_id), Some(message_id)) = (article_id, answered.message_id) else {
            return Ok(None);
        };
        if !answered.teaches() {
            return Ok(None);
        }
        let Some(message) = conv::message(conn, message_id)? else {
            return Ok(None);
        };
        let question = mask(message.text.trim());
        let snapshot = self.engine.snapshot();
        let known = snapshot
            .article(article_id)
            .is_none_or(|a| has_question(a, &question));
        if known || question.is_empty() {
            return Ok(None);
        }
        proposals::propose(
            conn,
            &NewProposal {
                article_id,
                kind: Kind::Question,
                text: &question,
                message_id: Some(message_id),
                proposed_by: agent,
                learned: true,
            },
        )
    }

    /// The pending proposals, oldest first.
    pub async fn pending_proposals(&self) -> Result<Vec<Proposal>, StoreError> {
        self.store.call(|c| proposals::pending(c)).await
    }

    /// Accepts a pending proposal for one of an article's lists: the question is added to its
    /// example questions, or to those it does not answer, through the normal save path (a new
    /// revision by `editor`); then the proposal is marked accepted. As when it is added from
    /// the gap report, an example question takes its resident message out of the report; a
    /// question the article does not answer stays there, marked, until it gets an answer.
    pub async fn accept_question(&self, id: i64, editor: &str) -> Result<Edited, ProposalError> {
        let proposal = self.pending_proposal(id).await?;
        let (list, what) = match proposal.kind {
            Kind::Question => (QuestionList::Questions, "Voorbeeldvraag"),
            Kind::NotAnswered => (
                QuestionList::NotAnswered,
                "Vraag die het artikel niet beantwoordt",
            ),
            Kind::Change => return Err(ProposalError::NeedsEditor(id)),
        };
        let comment = format!("{what} uit voorstel {id} ({})", proposal.proposed_by);
        let edited = self
            .add_listed(&proposal.article_id, list, &proposal.text, editor, &comment)
            .await?;
        if let (Some(message), QuestionList::Questions) = (proposal.message_id, list) {
            self.dismiss_gaps(vec![message], editor).await?;
        }
        self.decide(id, Decision::Accepted, editor).await?;
        Ok(edited)
    }

    /// Marks a pending proposal done (a change carried out in the editor) or rejected.
    pub async fn decide(
        &self,
        id: i64,
        decision: Decision,
        editor: &str,
    ) -> Result<(), ProposalError> {
        let editor = editor.to_string();
        let decided = self
            .store
            .call(move |c| proposals::decide(c, id, decision, &editor))
            .await?;
        if !decided {
            return Err(ProposalError::NotPending(id));
        }
        tracing::info!(proposal = id, ?decision, "proposal decided");
        Ok(())
    }

    async fn pending_proposal(&self, id: i64) -> Result<Proposal, ProposalError> {
        self.store
            .call(move |c| proposals::get(c, id))
            .await?
            .filter(|p| p.decision.is_none())
            .ok_or(ProposalError::NotPending(id))
    }
}
