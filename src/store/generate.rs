//! Synthetic traffic for benches and demos (`vraagbaak store generate`): conversations on
//! the channels with office-hours peaks, bot answers and offers with "ja"/"nee", hand-overs,
//! agents' replies with and without suggestions, labels, forwards, closes and reopens. The
//! same seed gives the same store.
//!
//! [`Traffic`] writes each event at a given moment with the SQL the store's own paths run
//! (`inbound`, `responses`, `conversations`, `usage`), so the report triggers see what they
//! would see live; the report tests build their fixture with it at known times.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::reports::start_of_day;
use super::responses::answer_offer;
use super::users::{self, Role};
use super::{Result, write};
use crate::chat::hours::OfficeHours;

/// Writes conversation events at given moments, inside one transaction.
pub struct Traffic<'t> {
    tx: &'t Transaction<'t>,
}

/// How an agent's reply used the knowledge base.
#[derive(Debug, Clone, Copy)]
pub struct ReplyUse<'a> {
    pub article_id: &'a str,
    /// The article's rank among the answered message's suggestions; `None` when found
    /// through the search.
    pub rank: Option<i64>,
    /// Sent as the article stands (`true`) or edited first.
    pub unchanged: bool,
}

impl<'t> Traffic<'t> {
    pub fn new(tx: &'t Transaction<'t>) -> Traffic<'t> {
        Traffic { tx }
    }

    /// A resident message, starting the conversation on first contact and reopening a closed
    /// one, with the suggestions shown for it (best first). Returns (conversation, message).
    pub fn resident(
        &self,
        channel: &str,
        resident_ref: &str,
        text: &str,
        suggestions: &[&str],
        at: DateTime<Utc>,
    ) -> Result<(i64, i64)> {
        let existing: Option<i64> = self
            .tx
            .prepare_cached(
                "SELECT id FROM conversations WHERE channel = ?1 AND resident_ref = ?2",
            )?
            .query_row(params![channel, resident_ref], |r| r.get(0))
            .optional()?;
        let conversation = match existing {
            Some(id) => {
                self.tx
                    .prepare_cached(
                        "UPDATE conversations SET status = 'open', updated_at = ?2,
                         waiting_since = COALESCE(waiting_since, ?2), last_inbound_at = ?2
                         WHERE id = ?1",
                    )?
                    .execute(params![id, at])?;
                id
            }
            None => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO conversations (channel, resident_ref, status, created_at,
                         updated_at, waiting_since, last_inbound_at)
                         VALUES (?1, ?2, 'open', ?3, ?3, ?3, ?3)",
                    )?
                    .execute(params![channel, resident_ref, at])?;
                self.tx.last_insert_rowid()
            }
        };
        let message = self.message(conversation, "in", "resident", None, text, "received", at)?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO suggestions (message_id, rank, article_id, confidence)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, article) in suggestions.iter().enumerate() {
            stmt.execute(params![
                message,
                i as i64 + 1,
                article,
                0.9 - 0.2 * i as f64
            ])?;
        }
        Ok((conversation, message))
    }

    #[allow(clippy::too_many_arguments)]
    fn message(
        &self,
        conversation: i64,
        direction: &str,
        author: &str,
        author_id: Option<i64>,
        text: &str,
        delivery: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        self.tx
            .prepare_cached(
                "INSERT INTO messages (conversation_id, direction, author_kind, author_id, text,
                 created_at, delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                conversation,
                direction,
                author,
                author_id,
                text,
                at,
                delivery
            ])?;
        Ok(self.tx.last_insert_rowid())
    }

    /// The bot answers with an article and asks "Heeft dit u geholpen?". Returns the answer.
    pub fn bot_answer(
        &self,
        conversation: i64,
        article_id: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let id = self.message(conversation, "out", "bot", None, article_id, "sent", at)?;
        self.tx
            .prepare_cached("UPDATE messages SET article_id = ?2 WHERE id = ?1")?
            .execute(params![id, article_id])?;
        let question = "Heeft dit u geholpen? Antwoord met ja of nee.";
        self.message(conversation, "out", "bot", None, question, "sent", at)?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET feedback_for = ?2, status = CASE WHEN owed_since IS NULL
                 THEN 'waiting' ELSE 'open' END, updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![conversation, id, at])?;
        Ok(id)
    }

    /// The bot offers an article ("Bedoelt u …?"); the offer owes a reply until "ja".
    pub fn offer(
        &self,
        conversation: i64,
        article_id: &str,
        promised_by: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let offer = self.message(conversation, "out", "bot", None, "Bedoelt u …?", "sent", at)?;
        self.tx
            .prepare_cached("UPDATE messages SET offered_article = ?2 WHERE id = ?1")?
            .execute(params![offer, article_id])?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET offered_article = ?2,
                 offer_owes = owed_since IS NULL WHERE id = ?1",
            )?
            .execute(params![conversation, article_id])?;
        self.owe(conversation, at, promised_by)
    }

    /// The resident said "nee" to the offer: the reply stays owed.
    pub fn decline_offer(&self, conversation: i64) -> Result<()> {
        answer_offer(self.tx, conversation, false)?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET offered_article = NULL, offer_owes = 0 WHERE id = ?1",
            )?
            .execute([conversation])?;
        Ok(())
    }

    /// The resident said "ja" to the offer and got the article: the offer's debt is settled.
    pub fn accept_offer(
        &self,
        conversation: i64,
        article_id: &str,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        answer_offer(self.tx, conversation, true)?;
        let answer = self.bot_answer(conversation, article_id, at)?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET owed_since = NULL, promised_by = NULL
                 WHERE id = ?1 AND offer_owes = 1",
            )?
            .execute([conversation])?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET offered_article = NULL, offer_owes = 0 WHERE id = ?1",
            )?
            .execute([conversation])?;
        Ok(answer)
    }

    /// The resident answered "ja" or "nee" to a bot answer.
    pub fn helpful(&self, conversation: i64, answer: i64, helpful: bool) -> Result<()> {
        self.tx
            .prepare_cached("UPDATE messages SET helpful = ?2 WHERE id = ?1")?
            .execute(params![answer, helpful])?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET feedback_for = NULL, priority = ?2 WHERE id = ?1",
            )?
            .execute(params![conversation, !helpful])?;
        Ok(())
    }

    /// A reply is owed since `since`, promised by `promised_by`; an earlier debt stays.
    pub fn owe(
        &self,
        conversation: i64,
        since: DateTime<Utc>,
        promised_by: DateTime<Utc>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE conversations SET status = 'open', owed_since = COALESCE(owed_since, ?2),
                 promised_by = COALESCE(promised_by, ?3) WHERE id = ?1",
            )?
            .execute(params![conversation, since, promised_by])?;
        Ok(())
    }

    /// An agent's reply (an inbox tool's with `agent` `None`) to resident message `answered`.
    pub fn agent_reply(
        &self,
        conversation: i64,
        agent: Option<i64>,
        answered: Option<i64>,
        used: Option<ReplyUse<'_>>,
        at: DateTime<Utc>,
    ) -> Result<i64> {
        let text = used.map_or("Antwoord van de medewerker.", |u| u.article_id);
        let id = self.message(conversation, "out", "agent", agent, text, "sent", at)?;
        let usage = match used {
            Some(u) if u.unchanged => "unchanged",
            Some(_) => "edited",
            None => "not_used",
        };
        self.tx
            .prepare_cached("UPDATE messages SET article_id = ?2, usage = ?3 WHERE id = ?1")?
            .execute(params![id, used.map(|u| u.article_id), usage])?;
        self.tx
            .prepare_cached(
                "INSERT INTO reply_usage (reply_id, conversation_id, answered_id, article_id,
                 rank, via, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                conversation,
                answered,
                used.map(|u| u.article_id),
                used.and_then(|u| u.rank),
                used.map(|u| if u.rank.is_some() {
                    "suggestion"
                } else {
                    "search"
                }),
                at
            ])?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET assignee_id = COALESCE(?2, assignee_id),
                 status = 'waiting', waiting_since = NULL, owed_since = NULL, promised_by = NULL,
                 priority = 0, feedback_for = NULL, offered_article = NULL, offer_owes = 0,
                 updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![conversation, agent, at])?;
        Ok(id)
    }

    /// Forwards to a department with its expectation text.
    pub fn forward(&self, conversation: i64, department: &str, at: DateTime<Utc>) -> Result<()> {
        let notice = "Uw vraag is doorgestuurd.";
        self.message(conversation, "out", "system", None, notice, "sent", at)?;
        self.tx
            .prepare_cached(
                "UPDATE conversations SET department = ?2, assignee_id = NULL, status = 'open',
                 updated_at = ?3 WHERE id = ?1",
            )?
            .execute(params![conversation, department, at])?;
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, action, conversation_id, detail)
                 VALUES (?1, 'system', 'conversation.forward', ?2, ?3)",
            )?
            .execute(params![at, conversation, department])?;
        Ok(())
    }

    /// A notice from the system, such as the welcome and privacy text of a new WhatsApp
    /// conversation.
    pub fn notice(&self, conversation: i64, text: &str, at: DateTime<Utc>) -> Result<i64> {
        self.message(conversation, "out", "system", None, text, "sent", at)
    }

    /// Closes the conversation: nothing more is owed.
    pub fn close(&self, conversation: i64, at: DateTime<Utc>) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE conversations SET status = 'closed', updated_at = ?2,
                 waiting_since = NULL, owed_since = NULL, promised_by = NULL WHERE id = ?1",
            )?
            .execute(params![conversation, at])?;
        Ok(())
    }

    pub fn label(&self, conversation: i64, label: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO conversation_labels (conversation_id, label)
                 VALUES (?1, ?2)",
            )?
            .execute(params![conversation, label])?;
        Ok(())
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Plan {
    pub conversations: usize,
    pub seed: u64,
    /// The first Amsterdam day with traffic.
    pub from: NaiveDate,
    /// How many days the traffic is spread over.
    pub days: u32,
}

/// What was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Generated {
    pub conversations: u64,
    pub messages: u64,
}

/// Conversations per transaction.
const BATCH: usize = 5_000;

/// The channels vraagbaak serves, with their share of the traffic.
const CHANNELS: [(&str, f64); 2] = [("whatsapp", 0.62), ("webchat", 0.38)];
const DEPARTMENTS: [&str; 3] = ["burgerzaken", "belastingen", "vergunningen"];
const LABELS: [&str; 8] = [
    "paspoort",
    "afval",
    "parkeren",
    "verhuizing",
    "klacht",
    "belasting",
    "uitkering",
    "melding-openbare-ruimte",
];
/// Articles of the sample knowledge base, each with a question a resident might ask about it.
const ARTICLES: [(&str, &str); 24] = [
    (
        "paspoort-aanvragen",
        "mijn paspoort is verlopen, hoe vraag ik een nieuwe aan?",
    ),
    (
        "identiteitskaart-aanvragen",
        "wat kost een id-kaart en hoe lang duurt het?",
    ),
    (
        "rijbewijs-verlengen",
        "mijn rijbewijs verloopt volgende maand, wat moet ik doen",
    ),
    (
        "verhuizing-doorgeven",
        "ik ga verhuizen binnen dijkstede, waar geef ik dat door?",
    ),
    (
        "grofvuil",
        "kan mijn oude bank worden opgehaald als grofvuil?",
    ),
    ("afvalkalender", "wanneer moet de groene bak buiten?"),
    (
        "parkeervergunning",
        "hoe krijg ik een parkeervergunning voor mijn straat",
    ),
    (
        "bezoekersparkeren",
        "mijn moeder komt logeren, waar kan zij parkeren?",
    ),
    (
        "gemeentelijke-belastingen",
        "ik snap mijn aanslag gemeentelijke belastingen niet",
    ),
    (
        "kwijtschelding",
        "ik kan de afvalstoffenheffing niet betalen, kan ik kwijtschelding krijgen?",
    ),
    (
        "afspraak-maken",
        "ik wil een afspraak verzetten bij de balie",
    ),
    (
        "uittreksel-brp",
        "ik heb een uittreksel uit de brp nodig voor mijn werkgever",
    ),
    (
        "melding-openbare-ruimte",
        "de lantaarnpaal in onze straat brandt niet",
    ),
    (
        "omgevingsvergunning",
        "heb ik een vergunning nodig voor een dakkapel?",
    ),
    (
        "bijstand-aanvragen",
        "ik ben mijn baan kwijt, kan ik bijstand aanvragen?",
    ),
    (
        "trouwen-partnerschap",
        "wij willen trouwen, hoe regelen we dat?",
    ),
    (
        "geboorteaangifte",
        "onze dochter is geboren, waar doen we aangifte?",
    ),
    (
        "overlijden-aangifte",
        "mijn vader is overleden, wat moet ik regelen bij de gemeente",
    ),
    (
        "hondenbelasting",
        "ik heb een puppy, moet ik hondenbelasting betalen?",
    ),
    (
        "wmo-huishoudelijke-hulp",
        "ik kan mijn huis niet meer zelf schoonhouden, krijg ik hulp?",
    ),
    ("kapvergunning", "mag ik de boom in mijn tuin omzagen?"),
    (
        "evenementenvergunning",
        "we organiseren een buurtfeest, hebben we een vergunning nodig?",
    ),
    (
        "openingstijden",
        "hoe laat is het stadhuis open op zaterdag?",
    ),
    ("privacy", "wat doen jullie met mijn gegevens?"),
];
/// Agents the traffic is answered by, created when missing (with passwords nobody knows).
const AGENTS: usize = 12;

/// Fills the store with `plan.conversations` conversations. Deterministic for a seed and an
/// empty store; batches of [`BATCH`] conversations per transaction.
pub fn generate(conn: &mut Connection, plan: &Plan, hours: &OfficeHours) -> Result<Generated> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let agents = agents(conn)?;
    let mut starts: Vec<DateTime<Utc>> = (0..plan.conversations)
        .map(|_| start_time(&mut rng, plan))
        .collect();
    starts.sort_unstable();
    let before: i64 = conn.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
    for (batch, chunk) in starts.chunks(BATCH).enumerate() {
        let tx = write(conn)?;
        {
            let traffic = Traffic::new(&tx);
            for (i, start) in chunk.iter().enumerate() {
                let n = batch * BATCH + i;
                conversation(&traffic, &mut rng, plan.seed, n, *start, hours, &agents)?;
            }
        }
        tx.commit()?;
    }
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let after: i64 = conn.query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?;
    Ok(Generated {
        conversations: plan.conversations as u64,
        messages: (after - before).max(0) as u64,
    })
}

fn agents(conn: &mut Connection) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(AGENTS);
    for n in 1..=AGENTS {
        let name = format!("medewerker-{n:02}");
        let found: Option<i64> = conn
            .query_row("SELECT id FROM users WHERE name = ?1", [&name], |r| {
                r.get(0)
            })
            .optional()?;
        let id = match found {
            Some(id) => id,
            None => match users::add_user(conn, &name, Role::Agent, None, users::dummy_hash()) {
                Ok(user) => user.id,
                Err(users::UserError::Store(err)) => return Err(err),
                Err(other) => {
                    return Err(super::StoreError::Worker(format!("adding {name}: {other}")));
                }
            },
        };
        ids.push(id);
    }
    Ok(ids)
}

/// A start moment: weekdays in office hours mostly, with peaks mid-morning and early
/// afternoon; evenings and weekends less.
fn start_time(rng: &mut StdRng, plan: &Plan) -> DateTime<Utc> {
    loop {
        let day = plan
            .from
            .checked_add_days(Days::new(rng.random_range(0..plan.days.max(1)) as u64))
            .unwrap_or(plan.from);
        let weekend = day.weekday().num_days_from_monday() >= 5;
        if weekend && rng.random_bool(0.6) {
            continue;
        }
        // Minutes after midnight: two office peaks or anywhere in the day.
        let minute = if !weekend && rng.random_bool(0.75) {
            let peak: f64 = if rng.random_bool(0.55) { 630.0 } else { 840.0 };
            (peak + normal(rng) * 75.0).clamp(480.0, 1080.0)
        } else {
            rng.random_range(420.0..1410.0)
        };
        // On a clock-change day the minutes count from midnight, an hour off after 02:00.
        return start_of_day(day) + TimeDelta::seconds((minute * 60.0) as i64);
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut StdRng) -> f64 {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[zipf(rng, items.len())]
}

/// An index below `len`, Zipf-like: earlier items more often.
fn zipf(rng: &mut StdRng, len: usize) -> usize {
    let i = ((rng.random::<f64>().powi(2)) * len as f64) as usize;
    i.min(len - 1)
}

fn minutes(m: f64) -> TimeDelta {
    TimeDelta::seconds((m * 60.0).max(1.0) as i64)
}

/// The promise the bot gives: its default response time in office minutes.
const PROMISE_MINUTES: u32 = 210;

#[allow(clippy::too_many_arguments)]
fn conversation(
    traffic: &Traffic<'_>,
    rng: &mut StdRng,
    seed: u64,
    n: usize,
    start: DateTime<Utc>,
    hours: &OfficeHours,
    agents: &[i64],
) -> Result<()> {
    let roll: f64 = rng.random();
    let channel = CHANNELS
        .iter()
        .scan(0.0, |acc, (c, p)| {
            *acc += p;
            Some((*c, *acc))
        })
        .find(|(_, acc)| roll < *acc)
        .map_or("webchat", |(c, _)| c);
    let resident = format!("gen-{seed}-{n}");
    let (article, question) = ARTICLES[zipf(rng, ARTICLES.len())];
    let others: Vec<&str> = (ARTICLES.iter())
        .map(|(id, _)| *id)
        .filter(|a| *a != article)
        .collect();
    let second = others[rng.random_range(0..others.len())];
    let third = others[rng.random_range(0..others.len())];
    let suggestions = [article, second, third];
    let promise = |at: DateTime<Utc>| {
        hours
            .reply_by(&at, PROMISE_MINUTES)
            .map_or(at + TimeDelta::hours(24), |t| t.with_timezone(&Utc))
    };
    let (id, first) = traffic.resident(channel, &resident, question, &suggestions, start)?;
    if channel == "whatsapp" {
        traffic.notice(
            id,
            "Welkom bij de gemeente. Lees hoe wij uw gegevens gebruiken.",
            start,
        )?;
    }
    let mut at = start + TimeDelta::seconds(rng.random_range(1..4));
    let mut answered = Some(first);
    let scenario: f64 = rng.random();
    // Whether a person must reply; the bot's part comes first.
    let needs_person = if scenario < 0.32 {
        // The bot answers; the resident is helped (mostly says so).
        let answer = traffic.bot_answer(id, article, at)?;
        if rng.random_bool(0.7) {
            at += minutes(rng.random_range(0.5..5.0));
            traffic.resident(channel, &resident, "ja", &[], at)?;
            traffic.helpful(id, answer, true)?;
        }
        false
    } else if scenario < 0.47 {
        // The bot answers; "nee": a person is needed.
        let answer = traffic.bot_answer(id, article, at)?;
        at += minutes(rng.random_range(0.5..5.0));
        let (_, no) = traffic.resident(channel, &resident, "nee", &[], at)?;
        traffic.helpful(id, answer, false)?;
        traffic.owe(id, at, promise(at))?;
        answered = Some(no);
        true
    } else if scenario < 0.57 {
        // "Bedoelt u …?": "ja" settles it, otherwise a person is needed.
        traffic.offer(id, article, promise(at), at)?;
        at += minutes(rng.random_range(0.5..5.0));
        if rng.random_bool(0.65) {
            traffic.resident(channel, &resident, "ja", &[], at)?;
            let answer = traffic.accept_offer(id, article, at)?;
            if rng.random_bool(0.5) {
                at += minutes(rng.random_range(0.5..5.0));
                traffic.resident(channel, &resident, "ja", &[], at)?;
                traffic.helpful(id, answer, true)?;
            }
            false
        } else {
            let (_, no) = traffic.resident(channel, &resident, "nee", &[], at)?;
            traffic.decline_offer(id)?;
            answered = Some(no);
            true
        }
    } else {
        // A hand-over at once: personal data, a request for a person, an unknown question.
        traffic.owe(id, start, promise(start))?;
        true
    };
    if needs_person {
        if rng.random_bool(0.35) {
            at += minutes(rng.random_range(1.0..30.0));
            traffic.resident(channel, &resident, "Aanvulling.", &[], at)?;
        }
        if rng.random_bool(0.08) {
            at += minutes(rng.random_range(5.0..60.0));
            traffic.forward(id, DEPARTMENTS[rng.random_range(0..DEPARTMENTS.len())], at)?;
        }
        if rng.random_bool(0.03) {
            // Closed without an answer (a duplicate, spam).
            at += minutes(rng.random_range(10.0..600.0));
            traffic.close(id, at)?;
            return maybe_label(traffic, rng, id);
        }
        // The reply comes after some office time: minutes mostly, sometimes hours.
        let office = (normal(rng) * 1.1 + 3.3).exp().clamp(1.0, 2_400.0) as u32;
        at = hours
            .reply_by(&at, office)
            .map_or(at + TimeDelta::hours(2), |t| t.with_timezone(&Utc));
        agent_reply(traffic, rng, id, agents, answered, &suggestions, at)?;
        if rng.random_bool(0.3) {
            at += minutes(rng.random_range(1.0..120.0));
            let (_, more) = traffic.resident(
                channel,
                &resident,
                "Dank u, nog een vraag.",
                &suggestions,
                at,
            )?;
            at += minutes(rng.random_range(2.0..240.0));
            agent_reply(traffic, rng, id, agents, Some(more), &suggestions, at)?;
        }
    }
    maybe_label(traffic, rng, id)?;
    if rng.random_bool(0.85) {
        at += minutes(rng.random_range(5.0..2_880.0));
        traffic.close(id, at)?;
        if rng.random_bool(0.06) {
            // Reopened: the resident writes again days later and gets an answer.
            at += minutes(rng.random_range(600.0..10_000.0));
            let (_, again) = traffic.resident(
                channel,
                &resident,
                "Ik heb nog een vraag.",
                &suggestions,
                at,
            )?;
            traffic.owe(id, at, promise(at))?;
            at = hours
                .reply_by(&at, rng.random_range(5..300))
                .map_or(at + TimeDelta::hours(2), |t| t.with_timezone(&Utc));
            agent_reply(traffic, rng, id, agents, Some(again), &suggestions, at)?;
            at += minutes(rng.random_range(5.0..600.0));
            traffic.close(id, at)?;
        }
    }
    Ok(())
}

fn maybe_label(traffic: &Traffic<'_>, rng: &mut StdRng, id: i64) -> Result<()> {
    if rng.random_bool(0.5) {
        traffic.label(id, pick(rng, &LABELS))?;
    }
    Ok(())
}

fn agent_reply(
    traffic: &Traffic<'_>,
    rng: &mut StdRng,
    id: i64,
    agents: &[i64],
    answered: Option<i64>,
    suggestions: &[&str; 3],
    at: DateTime<Utc>,
) -> Result<i64> {
    let agent = agents[rng.random_range(0..agents.len())];
    let roll: f64 = rng.random();
    let used = if roll < 0.55 {
        let rank = match rng.random::<f64>() {
            r if r < 0.7 => 1,
            r if r < 0.9 => 2,
            _ => 3,
        };
        Some(ReplyUse {
            article_id: suggestions[rank - 1],
            rank: Some(rank as i64),
            unchanged: rng.random_bool(0.6),
        })
    } else if roll < 0.65 {
        Some(ReplyUse {
            article_id: ARTICLES[zipf(rng, ARTICLES.len())].0,
            rank: None,
            unchanged: rng.random_bool(0.4),
        })
    } else {
        None
    };
    traffic.agent_reply(id, Some(agent), answered, used, at)
}

/// The Amsterdam hour of a moment.
#[cfg(test)]
fn local_hour(at: DateTime<Utc>) -> u32 {
    chrono::Timelike::hour(&at.with_timezone(&chrono_tz::Europe::Amsterdam))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// The reports show the titles of the articles the traffic uses: they must exist.
    #[test]
    fn the_traffic_uses_articles_of_the_sample_knowledge_base() {
        let kb = crate::kb::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("kb"))
            .expect("the sample knowledge base loads");
        for (id, _) in ARTICLES {
            assert!(
                kb.articles.iter().any(|a| a.id == id),
                "`{id}` is not an article of the sample knowledge base"
            );
        }
    }

    fn plan(seed: u64) -> Plan {
        Plan {
            conversations: 300,
            seed,
            from: NaiveDate::from_ymd_opt(2026, 1, 5).expect("date"),
            days: 28,
        }
    }

    fn fingerprint(seed: u64) -> (Generated, String) {
        let store = Store::open_in_memory().expect("store");
        let generated = store
            .blocking(|c| generate(c, &plan(seed), &OfficeHours::default()))
            .expect("generate");
        let digest = store
            .blocking(|c| {
                Ok(c.query_row(
                    "SELECT group_concat(conversation_id || ':' || started_at || ':' ||
                       COALESCE(first_response_at, '') || ':' || COALESCE(closed_at, ''), ',')
                     FROM report_conversations",
                    [],
                    |r| r.get(0),
                )?)
            })
            .expect("digest");
        (generated, digest)
    }

    #[test]
    fn the_same_seed_gives_the_same_traffic() {
        let (a, digest_a) = fingerprint(7);
        let (b, digest_b) = fingerprint(7);
        assert_eq!(a, b);
        assert_eq!(digest_a, digest_b);
        let (_, other) = fingerprint(8);
        assert_ne!(digest_a, other);
        assert_eq!(a.conversations, 300);
        // Several messages per conversation, as live traffic has.
        assert!(a.messages > 3 * 300, "{} messages", a.messages);
    }

    #[test]
    fn most_conversations_start_in_office_hours() {
        let mut rng = StdRng::seed_from_u64(1);
        let p = plan(1);
        let starts: Vec<_> = (0..1000).map(|_| start_time(&mut rng, &p)).collect();
        let daytime = starts
            .iter()
            .filter(|t| (8..18).contains(&local_hour(**t)))
            .count();
        assert!(daytime > 700, "{daytime} of 1000 in office hours");
    }
}
