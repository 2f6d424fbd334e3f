use chrono::TimeDelta;

use super::*;
use crate::store::Store;

const THRESHOLD: f32 = 0.6;

/// A conversation built message by message, a minute apart, starting `days_ago` days ago.
struct Thread<'a> {
    conn: &'a Connection,
    id: i64,
    at: DateTime<Utc>,
}

impl<'a> Thread<'a> {
    fn new(conn: &'a Connection, id: i64, days_ago: i64) -> Thread<'a> {
        conn.execute(
            "INSERT INTO conversations (id, channel, resident_ref, status, created_at, updated_at)
             VALUES (?1, 'webchat', ?2, 'open', ?3, ?3)",
            params![id, format!("resident-{id}"), now()],
        )
        .expect("conversation");
        Thread {
            conn,
            id,
            at: now() - TimeDelta::days(days_ago),
        }
    }

    fn insert(&mut self, direction: &str, author: &str, text: &str) -> i64 {
        self.at += TimeDelta::minutes(1);
        self.conn
            .execute(
                "INSERT INTO messages (conversation_id, direction, author_kind, text, created_at,
                 delivery) VALUES (?1, ?2, ?3, ?4, ?5, 'sent')",
                params![self.id, direction, author, text, self.at],
            )
            .expect("message");
        self.conn.last_insert_rowid()
    }

    /// A resident message with its top suggestion's confidence, if any was shown.
    fn resident(&mut self, text: &str, confidence: Option<f64>) -> i64 {
        let id = self.insert("in", "resident", text);
        if let Some(confidence) = confidence {
            self.conn
                .execute(
                    "INSERT INTO suggestions (message_id, rank, article_id, confidence)
                     VALUES (?1, 0, 'paspoort-aanvragen', ?2)",
                    params![id, confidence],
                )
                .expect("suggestion");
        }
        id
    }

    fn agent(&mut self, text: &str, article: Option<&str>) -> i64 {
        let id = self.insert("out", "agent", text);
        self.set("article_id", id, article);
        id
    }

    fn bot(&mut self, text: &str, article: Option<&str>, helpful: Option<bool>) -> i64 {
        let id = self.insert("out", "bot", text);
        self.set("article_id", id, article);
        self.set("helpful", id, helpful);
        id
    }

    fn set(&self, column: &str, id: i64, value: impl rusqlite::ToSql) {
        self.conn
            .execute(
                &format!("UPDATE messages SET {column} = ?2 WHERE id = ?1"),
                params![id, value],
            )
            .expect("update");
    }
}

fn gaps(conn: &Connection, days: i64) -> Vec<(i64, Reason)> {
    unanswered(conn, now() - TimeDelta::days(days), THRESHOLD)
        .expect("unanswered")
        .into_iter()
        .map(|u| (u.message_id, u.reason))
        .collect()
}

fn unanswered_since(conn: &Connection) -> Vec<Unanswered> {
    unanswered(conn, now() - TimeDelta::days(30), THRESHOLD).expect("unanswered")
}

fn with_store(test: impl FnOnce(&mut Connection)) {
    let store = Store::open_in_memory().expect("store");
    store
        .blocking(|conn| {
            test(conn);
            Ok(())
        })
        .expect("test");
}

#[test]
fn a_question_without_a_confident_suggestion_or_an_article_reply_is_a_gap() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let unsure = t.resident("mag ik een kameel houden in mijn tuin", Some(0.3));
        t.agent("Dat mag niet, kamelen zijn geen huisdieren.", None);
        let nothing = t.resident("waar kan ik mijn kameel dan laten", None);
        let found = unanswered(conn, now() - TimeDelta::days(30), THRESHOLD).expect("gaps");
        assert_eq!(
            found.iter().map(|u| u.message_id).collect::<Vec<_>>(),
            [unsure, nothing]
        );
        assert_eq!(found[0].reason, Reason::NoAnswer);
        assert_eq!(found[0].declined, None);
        assert_eq!(found[0].conversation_id, 1);
        assert_eq!(found[0].text, "mag ik een kameel houden in mijn tuin");
        assert_eq!(
            found[0].replies,
            ["Dat mag niet, kamelen zijn geen huisdieren."]
        );
        assert!(found[1].replies.is_empty(), "nobody answered yet");
    });
}

#[test]
fn a_suggestion_at_the_threshold_answers_a_question() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        t.resident("hoe vraag ik een paspoort aan", Some(f64::from(THRESHOLD)));
        let below = t.resident("hoe vraag ik een id-kaart aan", Some(0.59));
        assert_eq!(gaps(conn, 30), [(below, Reason::NoAnswer)]);
    });
}

#[test]
fn an_agent_reply_with_an_article_answers_every_question_before_it() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        t.resident("ik ben mijn paspoort kwijt", Some(0.2));
        t.resident("wat moet ik nu doen", None);
        t.agent("Zie het artikel.", Some("paspoort-kwijt"));
        t.agent("Nog een tip erbij.", None);
        let later = t.resident("en hoe zit het met mijn rijbewijs", Some(0.2));
        t.agent("Dat weet ik niet.", None);
        assert_eq!(gaps(conn, 30), [(later, Reason::NoAnswer)]);
    });
}

#[test]
fn an_article_reply_after_the_residents_next_question_does_not_answer_the_first() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let first = t.resident("wanneer gaat de ijsbaan open", Some(0.1));
        t.agent("Dat weet ik niet precies.", None);
        t.resident("hoe vraag ik een paspoort aan", Some(0.2));
        t.agent("Zie het artikel.", Some("paspoort-aanvragen"));
        assert_eq!(gaps(conn, 30), [(first, Reason::NoAnswer)]);
    });
}

#[test]
fn a_bot_answer_followed_by_nee_is_a_gap_even_when_confident() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let asked = t.resident("hoe vraag ik een paspoort aan", Some(0.9));
        t.bot(
            "Zo vraagt u een paspoort aan.",
            Some("paspoort-aanvragen"),
            Some(false),
        );
        t.bot("Heeft dit u geholpen?", None, None);
        t.resident("nee", None);
        t.agent("Ik help u verder: u moet naar het stadhuis.", None);
        let helped = t.resident("en een id-kaart", Some(0.9));
        t.bot(
            "Zo vraagt u een id-kaart aan.",
            Some("id-kaart"),
            Some(true),
        );
        let found = unanswered(conn, now() - TimeDelta::days(30), THRESHOLD).expect("gaps");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].message_id, found[0].reason),
            (asked, Reason::NotHelpful)
        );
        assert_eq!(found[0].declined.as_deref(), Some("paspoort-aanvragen"));
        assert_eq!(
            found[0].replies,
            ["Ik help u verder: u moet naar het stadhuis."],
            "the agent's reply after the \"nee\" belongs to the question"
        );
        assert_eq!(found[0].replied_with, None, "no reply used an article");
        assert_ne!(helped, asked);
    });
}

/// After a "nee" an agent answers with another article: the question stays a gap (the bot's
/// article did not help), and the agent's article is where it belongs as an example; the
/// declined article, sent again, is not.
#[test]
fn an_agents_article_after_a_nee_is_named() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let asked = t.resident("wanneer moet de groene bak buiten", Some(0.9));
        t.bot(
            "Wat mag in de groene bak.",
            Some("gft-container"),
            Some(false),
        );
        t.resident("nee", None);
        t.agent("Nog eens het artikel.", Some("gft-container"));
        t.agent("Zie de afvalkalender.", Some("afvalkalender"));
        t.agent("Of bel ons.", Some("contact"));
        let found = unanswered(conn, now() - TimeDelta::days(30), THRESHOLD).expect("gaps");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            (found[0].message_id, found[0].reason),
            (asked, Reason::NotHelpful)
        );
        assert_eq!(found[0].declined.as_deref(), Some("gft-container"));
        assert_eq!(found[0].replied_with.as_deref(), Some("afvalkalender"));
    });
}

#[test]
fn an_offered_article_accepted_with_ja_answers_the_question() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        t.resident("paspoort", Some(0.4));
        t.bot("Bedoelt u: Paspoort aanvragen?", None, None);
        t.resident("ja", None);
        t.bot(
            "Zo vraagt u een paspoort aan.",
            Some("paspoort-aanvragen"),
            None,
        );
        let declined = t.resident("rijbewijs", Some(0.4));
        t.bot("Bedoelt u: Rijbewijs verlengen?", None, None);
        t.resident("nee", None);
        t.bot("Een medewerker helpt u.", None, None);
        assert_eq!(gaps(conn, 30), [(declined, Reason::NoAnswer)]);
    });
}

#[test]
fn a_declined_offer_names_the_offered_article_unless_a_reply_used_one() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let declined = t.resident("mag mijn kliko de hele week buiten staan", Some(0.5));
        let offer = t.bot("Bedoelt u: Afvalkalender?", None, None);
        t.set("offered_article", offer, "afvalkalender");
        t.set("offer_accepted", offer, false);
        t.resident("nee", None);
        t.bot("Jammer. Een medewerker beantwoordt uw vraag.", None, None);
        let answered = t.resident("mag mijn grijze bak de hele week buiten staan", Some(0.5));
        let offer = t.bot("Bedoelt u: Afvalkalender?", None, None);
        t.set("offered_article", offer, "afvalkalender");
        t.set("offer_accepted", offer, false);
        t.resident("nee", None);
        t.agent(
            "Dat staat in het artikel over containers.",
            Some("container-aanvragen"),
        );
        let unanswered = t.resident("en mijn oude bank dan", Some(0.5));
        let offer = t.bot("Bedoelt u: Grofvuil?", None, None);
        t.set("offered_article", offer, "grofvuil");
        let found = unanswered_since(conn);
        let listed: Vec<_> = (found.iter())
            .map(|u| (u.message_id, u.reason, u.declined.as_deref()))
            .collect();
        assert_eq!(
            listed,
            [
                (declined, Reason::OfferDeclined, Some("afvalkalender")),
                (unanswered, Reason::NoAnswer, None),
            ],
            "an offer nobody answered is no \"nee\""
        );
        assert_ne!(answered, declined);
    });
}

#[test]
fn greetings_thanks_answers_media_deleted_and_dismissed_messages_are_skipped() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        t.resident("hallo", None);
        t.resident("goedemorgen, ik heb een vraag", None);
        t.resident("bedankt!", None);
        t.resident("ja", None);
        t.resident("nee", None);
        t.resident("ik wil een medewerker spreken", None);
        let photo = t.resident("Foto: lantaarnpaal", None);
        t.set("media_kind", photo, "image");
        let deleted = t.resident("mag ik vuurwerk afsteken op straat", None);
        t.set("revoked_at", deleted, now());
        let dismissed = t.resident("mag ik een kameel houden", None);
        let kept = t.resident("waar laat ik mijn oude bank", None);
        assert_eq!(gaps(conn, 30).len(), 2);
        assert_eq!(
            dismiss(conn, &[dismissed], "redacteur").expect("dismiss"),
            1
        );
        assert_eq!(
            dismiss(conn, &[dismissed, 9_999], "redacteur").expect("again"),
            0,
            "already dismissed, and an unknown id, change nothing"
        );
        assert_eq!(gaps(conn, 30), [(kept, Reason::NoAnswer)]);
    });
}

#[test]
fn only_the_last_n_days_count_and_notes_are_no_reply() {
    with_store(|conn| {
        let mut old = Thread::new(conn, 1, 40);
        old.resident("mag ik een kameel houden", None);
        let mut recent = Thread::new(conn, 2, 3);
        let asked = recent.resident("waar laat ik mijn oude bank", None);
        let note = recent.insert("note", "agent", "Zie artikel grofvuil");
        recent.set("article_id", note, "grofvuil");
        assert_eq!(gaps(conn, 30), [(asked, Reason::NoAnswer)]);
        assert!(gaps(conn, 2).is_empty());
        assert_eq!(gaps(conn, 60).len(), 2);
    });
}

#[test]
fn resident_message_finds_only_resident_messages() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 7, 1);
        let asked = t.resident("mag ik een kameel houden", None);
        let reply = t.agent("Nee.", None);
        assert_eq!(
            resident_message(conn, asked).expect("query"),
            Some((7, "mag ik een kameel houden".to_string()))
        );
        assert_eq!(resident_message(conn, reply).expect("query"), None);
        assert_eq!(resident_message(conn, 9_999).expect("query"), None);
    });
}

#[test]
fn questions_are_the_residents_questions_newest_first_up_to_the_limit() {
    with_store(|conn| {
        let mut t = Thread::new(conn, 1, 2);
        let first = t.resident("mag ik een kameel houden", Some(0.9));
        t.resident("bedankt!", None);
        t.agent("Graag gedaan.", None);
        let photo = t.resident("Foto", None);
        t.set("media_kind", photo, "image");
        let second = t.resident("waar laat ik mijn oude bank", None);
        let third = t.resident("hoe vraag ik een paspoort aan", None);
        let since = now() - TimeDelta::days(30);
        let ids = |limit| -> Vec<i64> {
            (questions(conn, since, limit)
                .expect("questions")
                .into_iter())
            .map(|(id, _)| id)
            .collect()
        };
        assert_eq!(ids(10), [third, second, first]);
        assert_eq!(ids(2), [third, second]);
    });
}
