//! The gap report ("Hiaten") end to end: residents ask through the real chat service (their
//! messages stored with the suggestions the sample KB gave), agents answer, and the report,
//! the page and the API show what the knowledge base lacks.

mod api;
mod page;

use vraagbaak::chat::service::{Incoming, Received, WEB_CHAT};
use vraagbaak::store::users::{Role, User};

use crate::common::app::{TestApp, app};

/// Two subjects the sample KB lacks, each asked five ways.
const DRONES: [&str; 5] = [
    "mag ik met mijn drone vliegen boven het park",
    "is drone vliegen toegestaan in de stad?",
    "waar mag je een drone oplaten in de buurt",
    "welke regels gelden er voor een drone in de gemeente",
    "heb ik een vergunning nodig om met een drone te vliegen bij het strand",
];
const ICE_RINK: [&str; 5] = [
    "wanneer gaat de ijsbaan open",
    "komt er deze winter weer een ijsbaan op het plein",
    "wat zijn de openingstijden van de ijsbaan met kerst",
    "kan ik schaatsen huren bij de ijsbaan",
    "hoeveel kost een kaartje voor de ijsbaan",
];
/// Questions the KB answers: the agent replies with the top suggestion.
const ANSWERABLE: [&str; 10] = [
    "mijn paspoort is verlopen, hoe vraag ik een nieuw paspoort aan",
    "grofvuil laten ophalen, hoe werkt dat",
    "parkeervergunning aanvragen voor mijn tweede auto",
    "hoeveel hondenbelasting betaal ik per jaar",
    "ik ga verhuizen, waar geef ik mijn nieuwe adres door",
    "mag ik de boom in mijn tuin kappen",
    "bezwaar maken tegen de woz waarde van mijn huis",
    "wanneer wordt de groene container geleegd",
    "ik heb een uittreksel uit de brp nodig",
    "mijn rijbewijs is bijna verlopen, hoe verleng ik het",
];
/// One-off questions the KB lacks, on unrelated subjects: a real report has many of these.
const ONE_OFF: [&str; 6] = [
    "mag ik een kameel houden in mijn achtertuin",
    "waar kan ik een trouwjurk lenen",
    "waar kan ik mijn fiets laten graveren",
    "mag ik een ooievaarsnest op mijn dak zetten",
    "organiseert de bibliotheek een taalcafé",
    "kan ik een gedenkbankje voor mijn opa aanvragen",
];
const DRONE_REPLY: &str = "Voor drones gelden de regels van de rijksoverheid.";

/// A resident asks in a conversation of their own: (conversation id, message id).
async fn ask(app: &TestApp, resident: &str, text: &str) -> (i64, i64) {
    let received = app
        .state
        .chat
        .receive_incoming(Incoming::text(WEB_CHAT, resident, text))
        .await
        .expect("the message is stored");
    match received {
        Received::New {
            conversation,
            message,
        } => (conversation.id, message.id),
        Received::Duplicate => panic!("not a duplicate"),
    }
}

/// The agent answers, starting from `article` or not.
async fn answer(app: &TestApp, agent: &User, conversation: i64, text: &str, article: Option<&str>) {
    app.state
        .chat
        .reply(agent, conversation, text, article, None)
        .await
        .expect("the reply is sent");
}

/// Each question asked and answered with its top suggestion, as an agent using "Gebruik".
async fn answered_with_articles(app: &TestApp, agent: &User, questions: &[&str]) {
    for question in questions {
        let (conversation, _) = ask(app, &format!("vraag-{question}"), question).await;
        let suggestions = app.state.chat.suggest(question, 1);
        let top = suggestions
            .top()
            .expect("the KB suggests something")
            .id
            .clone();
        answer(app, agent, conversation, "Zie het artikel.", Some(&top)).await;
    }
}

/// The mixed inbox of the tests: drones (agents answer without an article), the ice rink
/// (nobody answered yet), one-off questions and answerable questions (answered with their
/// article). Returns the message ids of the drone and ice-rink questions.
async fn mixed_inbox(app: &TestApp, agent: &User) -> (Vec<i64>, Vec<i64>) {
    let mut drones = Vec::new();
    for (i, question) in DRONES.iter().enumerate() {
        let (conversation, message) = ask(app, &format!("drone-{i}"), question).await;
        answer(app, agent, conversation, DRONE_REPLY, None).await;
        drones.push(message);
    }
    let mut ice = Vec::new();
    for (i, question) in ICE_RINK.iter().enumerate() {
        ice.push(ask(app, &format!("ijs-{i}"), question).await.1);
    }
    for (i, question) in ONE_OFF.iter().enumerate() {
        ask(app, &format!("los-{i}"), question).await;
    }
    answered_with_articles(app, agent, &ANSWERABLE).await;
    (drones, ice)
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn questions_on_subjects_the_kb_lacks_group_together_and_apart_from_answered_ones() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let (drones, ice) = mixed_inbox(&app, &agent.user).await;

    let report = app.state.chat.gap_report(30).await.expect("report");
    let groups: Vec<Vec<i64>> = (report.groups.iter())
        .map(|g| sorted(g.questions.iter().map(|q| q.message_id).collect()))
        .collect();
    let larger: Vec<&Vec<i64>> = groups.iter().filter(|g| g.len() > 1).collect();
    assert_eq!(larger.len(), 2, "{:#?}", report.groups);
    assert_eq!(
        groups.len(),
        2 + ONE_OFF.len(),
        "the one-off questions stand alone and the answered ones are left out"
    );
    assert!(groups.contains(&sorted(drones.clone())), "{groups:?}");
    assert!(groups.contains(&sorted(ice.clone())), "{groups:?}");

    let drone_group = (report.groups.iter())
        .find(|g| g.questions.iter().any(|q| q.message_id == drones[0]))
        .expect("the drone group");
    assert!(
        drone_group.terms.iter().any(|t| t == "drone"),
        "{:?}",
        drone_group.terms
    );
    assert_eq!(drone_group.common_reply.as_deref(), Some(DRONE_REPLY));
    assert!(
        drone_group
            .questions
            .iter()
            .all(|q| q.replies == [DRONE_REPLY])
    );
}

#[tokio::test]
async fn one_subject_among_answered_questions_is_one_group() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let mut drones = Vec::new();
    for (i, question) in DRONES.iter().enumerate() {
        let (conversation, message) = ask(&app, &format!("drone-{i}"), question).await;
        answer(&app, &agent.user, conversation, DRONE_REPLY, None).await;
        drones.push(message);
    }
    answered_with_articles(&app, &agent.user, &ANSWERABLE).await;
    // The agent found an article for the ice rink too: no gaps, but what residents asked.
    answered_with_articles(&app, &agent.user, &ICE_RINK).await;
    let report = app.state.chat.gap_report(30).await.expect("report");
    let groups: Vec<Vec<i64>> = (report.groups.iter())
        .map(|g| sorted(g.questions.iter().map(|q| q.message_id).collect()))
        .collect();
    assert_eq!(groups, [sorted(drones)], "{:#?}", report.groups);
}

/// A quiet week: three questions on one subject and nothing else asked. The KB's own example
/// questions tell which words are common, so the three stay one group.
#[tokio::test]
async fn a_few_questions_on_one_subject_in_a_quiet_period_are_one_group() {
    let app = app().await;
    let mut drones = Vec::new();
    for (i, question) in [DRONES[0], DRONES[1], DRONES[3]].iter().enumerate() {
        drones.push(ask(&app, &format!("drone-{i}"), question).await.1);
    }
    let report = app.state.chat.gap_report(30).await.expect("report");
    let groups: Vec<Vec<i64>> = (report.groups.iter())
        .map(|g| sorted(g.questions.iter().map(|q| q.message_id).collect()))
        .collect();
    assert_eq!(groups, [sorted(drones)], "{:#?}", report.groups);
}

/// The whole report (query, masking, grouping) over a busy month: 2,000 unanswered questions
/// and 5,000 answered ones, inserted directly. Medians of 5:
/// `cargo test --test tests gaps::time_the_report -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn time_the_report() {
    let app = app().await;
    let questions: Vec<String> = (ANSWERABLE.iter().chain(&DRONES).chain(&ICE_RINK))
        .map(|q| q.to_string())
        .collect();
    app.state
        .chat
        .store
        .call(move |c| {
            let tx = c.transaction()?;
            let at = chrono::Utc::now() - chrono::TimeDelta::days(1);
            for i in 0..7_000i64 {
                tx.execute(
                    "INSERT INTO conversations (id, channel, resident_ref, status, created_at,
                     updated_at) VALUES (?1, 'webchat', ?1, 'open', ?2, ?2)",
                    rusqlite::params![i + 1, at],
                )?;
                let text = format!("{} {}", questions[i as usize % questions.len()], i);
                tx.execute(
                    "INSERT INTO messages (conversation_id, direction, author_kind, text,
                     created_at, delivery) VALUES (?1, 'in', 'resident', ?2, ?3, 'received')",
                    rusqlite::params![i + 1, text, at],
                )?;
                if i >= 2_000 {
                    tx.execute(
                        "INSERT INTO messages (conversation_id, direction, author_kind, text,
                         created_at, delivery, article_id)
                         VALUES (?1, 'out', 'agent', 'Zie het artikel.', ?2, 'sent', 'grofvuil')",
                        rusqlite::params![i + 1, at],
                    )?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
        .expect("messages");
    let mut times = Vec::new();
    let mut groups = 0;
    for _ in 0..5 {
        let started = std::time::Instant::now();
        groups = app
            .state
            .chat
            .gap_report(30)
            .await
            .expect("report")
            .groups
            .len();
        times.push(started.elapsed());
    }
    times.sort();
    println!(
        "2,000 gaps + 5,000 answered -> {groups} groups, median {:?} (min {:?}, max {:?})",
        times[2], times[0], times[4]
    );
}
