//! The editors' review queue: example questions and changes proposed for articles by agents,
//! and questions learned from agents' replies. A proposal changes nothing by itself; an
//! editor accepts (through the normal save path) or rejects it. Texts arrive masked.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Result, now, write};

/// What is proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Add the text as an example question ("voeg toe als voorbeeldvraag").
    Question,
    /// A change in the agent's words ("voorstel"), carried out by an editor in the editor.
    Change,
    /// Add the text to the questions the article does not answer ("beantwoordt de vraag
    /// niet"), its `not_answered` list.
    NotAnswered,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Change => "change",
            Kind::NotAnswered => "not_answered",
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "question" => Ok(Kind::Question),
            "change" => Ok(Kind::Change),
            "not_answered" => Ok(Kind::NotAnswered),
            other => Err(format!(
                "unknown proposal kind `{other}`: expected question, change or not_answered"
            )),
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

/// Stores a proposal; `None` when that message was already proposed for one of that article's
/// lists, as an example question or as one it does not answer (pending or decided: an editor
/// decides once).
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
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE p.state = 'pending' ORDER BY p.id"))?;
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

    /// Migration 0018 rebuilds the table for the kind `not_answered`: what was stored stays,
    /// and a message is proposed for one article's lists once, whichever list.
    #[test]
    fn the_rebuild_for_not_answered_keeps_every_proposal() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(crate::store::DATABASE_FILE);
        {
            let mut conn = Connection::open(&path).expect("open");
            crate::store::migrate_up_to(&mut conn, "CREATE TABLE kb_proposals_new");
            conn.execute_batch(
                "INSERT INTO conversations (id, channel, resident_ref, status, created_at,
                                            updated_at)
                     VALUES (1, 'webchat', 'r', 'open', 'a', 'a');
                 INSERT INTO messages (id, conversation_id, direction, author_kind, text,
                                       created_at, delivery)
                     VALUES (7, 1, 'in', 'resident', 'mijn ton is kapot', 'a', 'received');
                 INSERT INTO kb_proposals (id, article_id, kind, text, message_id, proposed_by,
                                           learned, created_at)
                     VALUES (1, 'kliko', 'question', 'mijn ton is kapot', 7, 'anna', 1,
                             '2026-12-01T09:00:00Z');
                 INSERT INTO kb_proposals (id, article_id, kind, text, proposed_by, created_at,
                                           state, decided_by, decided_at)
                     VALUES (2, 'kliko', 'change', 'Nieuwe tijden.', 'piet',
                             '2026-12-01T10:00:00Z', 'rejected', 'eva', '2026-12-02T08:00:00Z');",
            )
            .expect("proposals");
        }
        let store = Store::open(dir.path()).expect("migrated");
        store
            .blocking(|c| {
                let kept = get(c, 1)?.expect("the question");
                assert_eq!(
                    (kept.kind, kept.text.as_str(), kept.message_id, kept.learned),
                    (Kind::Question, "mijn ton is kapot", Some(7), true)
                );
                assert_eq!(kept.conversation_id, Some(1));
                let decided = get(c, 2)?.expect("the change");
                assert_eq!(decided.decision, Some(Decision::Rejected));
                let not_answered = NewProposal {
                    kind: Kind::NotAnswered,
                    ..question("kliko", Some(7))
                };
                assert_eq!(
                    propose(c, &not_answered)?,
                    None,
                    "once per message and article"
                );
                let elsewhere = NewProposal {
                    article_id: "container-kapot",
                    ..not_answered
                };
                let id = propose(c, &elsewhere)?.expect("another article");
                assert_eq!(get(c, id)?.expect("stored").kind, Kind::NotAnswered);
                let unknown = c.execute("UPDATE kb_proposals SET kind = 'idee' WHERE id = 1", []);
                assert!(unknown.is_err(), "the CHECK still lists the kinds");
                Ok(())
            })
            .expect("checks");
    }
}
