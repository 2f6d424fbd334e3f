//! Usage figures from constructed conversations.

use chrono::TimeDelta;

use super::*;
use crate::chat::{AuthorKind, Delivery, Usage};
use crate::store::Store;
use crate::store::conversations::{self as conv, Reply};
use crate::store::details::MessageDetails;
use crate::store::inbound::{Inbound, Recorded, record_inbound};
use crate::store::responses::{BotMessage, BotResponse};
use crate::store::users::{self, Role, User};

struct Fixture {
    store: Store,
    agent: User,
}

fn fixture() -> Fixture {
    let store = Store::open_in_memory().expect("store");
    let agent = store
        .blocking(|c| Ok(users::add_user(c, "anna", Role::Agent, None, "hash").expect("user")))
        .expect("user");
    Fixture { store, agent }
}

impl Fixture {
    /// A resident message with `suggested` as its stored suggestions, best first, and the
    /// bot's `response`. Returns (conversation, message, the bot's message ids).
    fn resident_with(
        &self,
        who: &str,
        text: &str,
        suggested: &[&str],
        response: BotResponse,
    ) -> (i64, i64, Vec<i64>) {
        let suggestions: Vec<(String, f32)> =
            suggested.iter().map(|id| (id.to_string(), 0.5)).collect();
        let details = MessageDetails::default();
        let inbound = Inbound {
            channel: "webchat",
            resident_ref: who,
            text,
            suggestions: &suggestions,
            channel_message_id: None,
            resident_name: None,
            media: None,
            file_name: None,
            privacy: &[],
            reply_to: None,
            details: &details,
            welcome: None,
            sent_at: None,
            reopens_window: false,
        };
        let recorded = self
            .store
            .blocking(|c| record_inbound(c, &inbound, |_, _| response))
            .expect("stored");
        match recorded {
            Recorded::New {
                conversation,
                message,
                automatic,
                ..
            } => (
                conversation.id,
                message.id,
                automatic.iter().map(|m| m.id).collect(),
            ),
            Recorded::Duplicate => panic!("not a duplicate"),
        }
    }

    fn resident(&self, who: &str, text: &str, suggested: &[&str]) -> (i64, i64) {
        let (c, m, _) = self.resident_with(who, text, suggested, BotResponse::default());
        (c, m)
    }

    /// The bot answers with `article`; returns the answer's id.
    fn bot_answer(&self, who: &str, text: &str, article: &str) -> i64 {
        let response = BotResponse {
            messages: vec![BotMessage {
                author: AuthorKind::Bot,
                text: "antwoord".into(),
                article_id: Some(article.into()),
                delivery: Delivery::Sent,
                awaits_feedback: true,
                offered_article: None,
            }],
            ..BotResponse::default()
        };
        let (_, _, bot) = self.resident_with(who, text, &[article], response);
        bot[0]
    }

    /// The resident answers "nee" (or "ja") to bot answer `answer`.
    fn feedback(&self, who: &str, answer: i64, helpful: bool) {
        let response = BotResponse {
            feedback: Some((answer, helpful)),
            ..BotResponse::default()
        };
        self.resident_with(who, if helpful { "ja" } else { "nee" }, &[], response);
    }

    /// The agent replies to `answered` with `article` (found `via`).
    fn reply(
        &self,
        conversation: i64,
        answered: i64,
        article: Option<&str>,
        usage: Usage,
        via: Option<Via>,
    ) -> i64 {
        let agent = self.agent.clone();
        let article = article.map(String::from);
        self.store
            .blocking(move |c| {
                let rank = match &article {
                    Some(a) => rank_of(c, answered, a)?,
                    None => None,
                };
                let reply = Reply {
                    text: "zo gaat dat",
                    article_id: article.as_deref(),
                    usage,
                    delivery: Delivery::Sent,
                    hold: None,
                    author_label: None,
                    answered: Answered {
                        message_id: Some(answered),
                        rank,
                        via,
                    },
                };
                Ok(conv::send_reply(c, conversation, Some(&agent), &reply)
                    .expect("sent")
                    .id)
            })
            .expect("store")
    }

    fn usage(&self) -> HashMap<String, ArticleUsage> {
        let since = now() - TimeDelta::days(30);
        self.store
            .blocking(move |c| per_article(c, since))
            .expect("usage")
    }
}

#[test]
fn a_reply_is_recorded_with_the_message_it_answered_and_the_rank_of_its_article() {
    let f = fixture();
    let (conversation, asked) = f.resident("r1", "paspoort kwijt", &["paspoort", "id-kaart"]);
    let second = f.reply(
        conversation,
        asked,
        Some("id-kaart"),
        Usage::Edited,
        Some(Via::Suggestion),
    );
    let own = f.reply(conversation, asked, None, Usage::NotUsed, None);
    let replies = f
        .store
        .blocking(move |c| replies_to(c, asked))
        .expect("replies");
    assert_eq!(replies.len(), 2);
    assert_eq!(replies[0].reply_id, second);
    assert_eq!(replies[0].article_id.as_deref(), Some("id-kaart"));
    assert_eq!(replies[0].rank, Some(2));
    assert_eq!(replies[0].via, Some(Via::Suggestion));
    // The agent's own answer is findable by the message it answered.
    assert_eq!(replies[1].reply_id, own);
    assert_eq!(
        (replies[1].article_id.as_deref(), replies[1].via),
        (None, None)
    );
    assert_eq!(replies[1].text, "zo gaat dat");
}

#[test]
fn an_article_found_through_search_has_no_rank_and_teaches() {
    let f = fixture();
    let (conversation, asked) = f.resident("r1", "mijn hond is weg", &["afval"]);
    f.reply(
        conversation,
        asked,
        Some("dieren"),
        Usage::Unchanged,
        Some(Via::Search),
    );
    let replies = f
        .store
        .blocking(move |c| replies_to(c, asked))
        .expect("replies");
    assert_eq!((replies[0].rank, replies[0].via), (None, Some(Via::Search)));
    let first = Answered {
        message_id: Some(asked),
        rank: Some(1),
        via: Some(Via::Suggestion),
    };
    assert!(!first.teaches(), "the first suggestion teaches nothing");
    assert!(
        Answered {
            rank: Some(2),
            ..first
        }
        .teaches()
    );
    assert!(
        Answered {
            rank: None,
            via: Some(Via::Search),
            ..first
        }
        .teaches()
    );
    assert!(
        !Answered {
            rank: None,
            via: None,
            ..first
        }
        .teaches(),
        "no article used"
    );
}

#[test]
fn usage_counts_suggestions_uses_and_first_suggestions_not_used() {
    let f = fixture();
    // Paspoort first, used unchanged.
    let (c1, m1) = f.resident("r1", "paspoort", &["paspoort", "id-kaart"]);
    f.reply(c1, m1, Some("paspoort"), Usage::Unchanged, None);
    // Paspoort first, the agent used id-kaart (edited): paspoort was not used.
    let (c2, m2) = f.resident("r2", "identiteitskaart", &["paspoort", "id-kaart"]);
    f.reply(c2, m2, Some("id-kaart"), Usage::Edited, None);
    // Paspoort first, answered twice without it: one message not used.
    let (c3, m3) = f.resident("r3", "rijbewijs", &["paspoort"]);
    f.reply(c3, m3, None, Usage::NotUsed, None);
    f.reply(c3, m3, None, Usage::NotUsed, None);
    // Paspoort first, not answered at all: not "not used".
    f.resident("r4", "paspoort kwijt", &["paspoort"]);
    // First reply without it, a later one with it: used.
    let (c5, m5) = f.resident("r5", "paspoort verlopen", &["paspoort"]);
    f.reply(c5, m5, None, Usage::NotUsed, None);
    f.reply(c5, m5, Some("paspoort"), Usage::Edited, None);

    let usage = f.usage();
    let paspoort = usage["paspoort"];
    assert_eq!(paspoort.suggested, 5);
    assert_eq!((paspoort.used_unchanged, paspoort.used_edited), (1, 1));
    assert_eq!(paspoort.not_used, 2);
    let id_kaart = usage["id-kaart"];
    assert_eq!(id_kaart.suggested, 2);
    assert_eq!((id_kaart.used_unchanged, id_kaart.used_edited), (0, 1));
    assert_eq!(id_kaart.not_used, 0);
}

#[test]
fn usage_counts_bot_answers_and_the_no_after_them() {
    let f = fixture();
    let a = f.bot_answer("r1", "afval ophalen", "afvalkalender");
    f.feedback("r1", a, false);
    let b = f.bot_answer("r2", "afval", "afvalkalender");
    f.feedback("r2", b, true);
    f.bot_answer("r3", "kliko", "afvalkalender");
    let usage = f.usage()["afvalkalender"];
    assert_eq!((usage.bot_answers, usage.bot_no), (3, 1));
}

#[test]
fn usage_before_the_period_is_not_counted() {
    let f = fixture();
    let (c, m) = f.resident("r1", "paspoort", &["paspoort"]);
    f.reply(c, m, Some("paspoort"), Usage::Unchanged, None);
    let later = now() + TimeDelta::seconds(5);
    let usage = f
        .store
        .blocking(move |c| per_article(c, later))
        .expect("usage");
    assert!(usage.is_empty(), "{usage:?}");
}
