//! The editors' review queue: example questions and changes proposed for articles by agents,
//! and questions learned from agents' replies. A proposal changes nothing by itself; an
//! editor accepts (through the normal save path) or rejects it. Texts arrive masked.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, now, write};

/// What is proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Add the text as an example question ("voeg toe als voorbeeldvraag").
    Question,
    /// A change in the agent's words ("voorstel"), carried out by an editor in the editor.
    Change,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Change => "change",
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "question" => Ok(Kind::Question),
            "change" => Ok(Kind::Change),
            other => Err(format!("unknown proposal kind `{other}`: expected question or change")),
        }
    }
}

/// An editor's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Accepted,
    Rejected,
}

impl Decision {
    fn as_str(self) -> &'static str {
        match self {
            Decision::Accepted => "accepted",
            Decision::Rejected => "rejected",
        }
    }
}

/// A proposal to store.
#[derive(Debug, Clone)]
pub struct NewProposal<'a> {
    pub article_id: &'a str,
    pub kind: Kind,
    /// Masked.
    pub text: &'a str,
    /// The resident message it came from.
    pub message_id: Option<i64>,
    /// The agent who proposed it, or whose reply taught it.
    pub proposed_by: &'a str,
    pub learned: bool,
}

/// A proposal in the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub id: i64,
    pub article_id: String,
    pub kind: Kind,
    pub text: String,
    pub message_id: Option<i64>,
    /// The conversation of that message.
    pub conversation_id: Option<i64>,
    pub proposed_by: String,
    pub learned: bool,
    pub created_at: DateTime<Utc>,
    /// `None` while pending.
    pub decision: Option<Decision>,
}

/// Stores a proposal; `None` when that message was already proposed as a question for that
/// article (pending or decided: an editor decides once).
pub fn propose(conn: &mut Connection, proposal: &NewProposal<'_>) -> Result<Option<i64>> {
    let tx = write(conn)?;
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO kb_proposals
             (article_id, kind, text, message_id, proposed_by, learned, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?
        .execute(params![
            proposal.article_id,
            proposal.kind.as_str(),
            proposal.text,
            proposal.message_id,
            proposal.proposed_by,
            proposal.learned,
            now()
        ])?;
    let id = (added == 1).then(|| tx.last_insert_rowid());
    tx.commit()?;
    Ok(id)
}

const SELECT: &str = "SELECT p.id, p.article_id, p.kind, p.text, p.message_id, m.conversation_id,
       p.proposed_by, p.learned, p.created_at, p.state
       FROM kb_proposals p LEFT JOIN messages m ON m.id = p.message_id";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Proposal> {
    let text_column = |index: usize, value: String| {
        rusqlite::Error::FromSqlConversionFailure(
            index,
            rusqlite::types::Type::Text,
            format!("unexpected proposal value `{value}`").into(),
        )
    };
    let kind: String = r.get(2)?;
    let state: String = r.get(9)?;
    Ok(Proposal {
        id: r.get(0)?,
        article_id: r.get(1)?,
        kind: kind.parse().map_err(|_| text_column(2, kind.clone()))?,
        text: r.get(3)?,
        message_id: r.get(4)?,
        conversation_id: r.get(5)?,
        proposed_by: r.get(6)?,
        learned: r.get(7)?,
        created_at: r.get(8)?,
        decision: match state.as_str() {
            "pending" => None,
            "accepted" => Some(Decision::Accepted),
            "rejected" => Some(Decision::Rejected),
            _ => return Err(text_column(9, state)),
        },
    })
}

/// The pending proposals, oldest first.
pub fn pending(conn: &Connection) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE p.state = 'pending' ORDER BY p.id"
    ))?;
    let rows = stmt
        .query_map([], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// How many proposals wait for an editor.
pub fn pending_count(conn: &Connection) -> Result<usize> {
    let count: i64 = conn
        .prepare_cached("SELECT count(*) FROM kb_proposals WHERE state = 'pending'")?
        .query_row([], |r| r.get(0))?;
    Ok(usize::try_from(count).unwrap_or(0))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Proposal>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?
        .query_row([id], from_row)
        .optional()?)
}

/// Records an editor's decision on a pending proposal; `false` when it was not pending
/// (decided before, or unknown).
pub fn decide(conn: &mut Connection, id: i64, decision: Decision, editor: &str) -> Result<bool> {
    let tx = write(conn)?;
    let changed = tx.execute(
        "UPDATE kb_proposals SET state = ?2, decided_by = ?3, decided_at = ?4
         WHERE id = ?1 AND state = 'pending'",
        params![id, decision.as_str(), editor, now()],
    )?;
    tx.commit()?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn question<'a>(article_id: &'a str, message_id: Option<i64>) -> NewProposal<'a> {
        NewProposal {
            article_id,
            kind: Kind::Question,
            text: "mijn ton is kapot",
            message_id,
            proposed_by: "anna",
            learned: true,
        }
    }

    #[test]
    fn a_message_is_proposed_as_a_question_for_an_article_once() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                // Messages are referenced; without one, the same text may come twice.
                assert!(propose(c, &question("kliko", None))?.is_some());
                assert!(propose(c, &question("kliko", None))?.is_some());
                let change = NewProposal {
                    kind: Kind::Change,
                    text: "De openingstijden zijn veranderd.",
                    learned: false,
                    ..question("kliko", None)
                };
                let id = propose(c, &change)?.expect("stored");
                let queue = pending(c)?;
                assert_eq!(queue.len(), 3);
                assert_eq!(pending_count(c)?, 3);
                assert_eq!(queue[2].kind, Kind::Change);
                assert_eq!(queue[2].text, "De openingstijden zijn veranderd.");
                assert!(!queue[2].learned && queue[0].learned);

                assert!(decide(c, id, Decision::Rejected, "eva")?);
                assert!(!decide(c, id, Decision::Accepted, "eva")?, "decided once");
                assert_eq!(pending(c)?.len(), 2);
                let decided = get(c, id)?.expect("kept");
                assert_eq!(decided.decision, Some(Decision::Rejected));
                Ok(())
            })
            .expect("store");
    }
}
