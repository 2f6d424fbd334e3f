//! The inbox keeps the bot's promise: once a resident message needs a person (a hand-over, a
//! "nee", personal data, the away text), the conversation owes a reply until an agent answers.
//! A later "bedankt", "hallo" or bot answer does not erase that debt, and the inbox shows the
//! deadline the resident was given. Suggestions follow the last message that asks something;
//! the label filter lists only labels of conversations the agent may see.

use vraagbaak::chat::Status;
use vraagbaak::config::BotMode;
use vraagbaak::store::conversations::{self as conv, Conversation};
use vraagbaak::store::users::Role;

use crate::bot::{UNKNOWN, Wall, amsterdam, bot_app, replies};
use crate::common::app::{Login, TestApp, app, text};

const GROFVUIL: &str = "wanneer wordt het grofvuil opgehaald?";

async fn stored(app: &TestApp, id: i64) -> Conversation {
    app.conversation(id).await
}

/// The "Wacht" cell of a conversation's inbox row, tags and all.
async fn wait_cell(app: &TestApp, login: &Login, id: i64) -> String {
    let inbox = text(app.get("/inbox", Some(login)).await).await;
    let row = inbox
        .find(&format!("data-id=\"{id}\""))
        .unwrap_or_else(|| panic!("conversation {id} is in the inbox: {inbox}"));
    let cell = &inbox[row..];
    let start = cell.find("class=\"wait\">").expect("a wait cell") + "class=\"wait\">".len();
    let end = cell[start..].find("</td>").expect("the cell ends");
    cell[start..start + end].to_string()
}

/// Ways a Saturday-morning conversation comes to need a person, each with the resident
/// messages that lead there.
const NEEDS_A_PERSON: &[(&str, &[&str])] = &[
    ("hand-over", &["Kan ik iemand spreken?"]),
    ("nee", &[GROFVUIL, "nee"]),
    (
        "personal data",
        &["Mijn BSN is 123456782, wanneer wordt het grofvuil opgehaald?"],
    ),
    ("away text", &[UNKNOWN]),
];

#[tokio::test]
async fn thanks_hello_and_a_bot_answer_keep_the_conversation_owed_with_its_promise() {
    for (case, opening) in NEEDS_A_PERSON {
        // Saturday: open again Monday 08:30, a person replies "maandag vóór 12:00".
        let wall = Wall::at("2026-11-28 11:00");
        let app = bot_app(BotMode::OutsideOfficeHours, &wall).await;
        let mut token = None;
        for message in *opening {
            token = Some(app.resident_says(token.as_deref(), message).await);
        }
        let token = token.expect("a conversation");
        let told = replies(&app, &token).await;
        assert!(
            told.iter().any(|(_, t)| t.contains("maandag vóór 12:00")),
            "{case}: the resident was given the promise: {told:?}"
        );
        let promised = stored(&app, 1).await.promised_by;
        assert_eq!(promised, Some(amsterdam("2026-11-30 12:00")), "{case}");

        for later in ["bedankt", "hallo", GROFVUIL] {
            wall.set("2026-11-28 11:30");
            app.resident_says(Some(&token), later).await;
            let c = stored(&app, 1).await;
            assert_eq!(c.status, Status::Open, "{case}, then {later:?}");
            assert_eq!(c.promised_by, promised, "{case}, then {later:?}");
            assert!(c.owed_since.is_some(), "{case}, then {later:?}");
        }
        let last = replies(&app, &token).await;
        assert!(
            last.iter()
                .any(|(_, t)| t.contains("Heeft dit u geholpen?")),
            "{case}: the bot did answer the question: {last:?}"
        );
        let anna = app.login("anna", Role::Agent, None).await;
        let cell = wait_cell(&app, &anna, 1).await;
        assert!(cell.contains("maandag vóór 12:00"), "{case}: {cell}");
        assert!(!cell.contains("te laat"), "{case}: {cell}");
    }
}

#[tokio::test]
async fn a_later_away_text_does_not_move_the_first_deadline() {
    // Friday evening: "maandag vóór 12:00".
    let wall = Wall::at("2026-11-27 18:00");
    let app = bot_app(BotMode::OutsideOfficeHours, &wall).await;
    let token = app.resident_says(None, UNKNOWN).await;

    // Monday evening nobody has answered; the new away text says "morgen vóór 12:00".
    wall.set("2026-11-30 19:00");
    app.resident_says(Some(&token), "hallo").await;
    app.resident_says(Some(&token), "Is er al nieuws?").await;
    let told = replies(&app, &token).await;
    assert!(
        told.last().expect("away").1.contains("morgen vóór 12:00"),
        "{told:?}"
    );
    assert_eq!(
        stored(&app, 1).await.promised_by,
        Some(amsterdam("2026-11-30 12:00"))
    );
    let anna = app.login("anna", Role::Agent, None).await;
    let cell = wait_cell(&app, &anna, 1).await;
    assert!(
        cell.contains("vandaag vóór 12:00") && cell.contains("te laat"),
        "the first promise, broken: {cell}"
    );
}

#[tokio::test]
async fn only_an_agent_reply_pays_the_debt() {
    let wall = Wall::at("2026-11-28 11:00");
    let app = bot_app(BotMode::OutsideOfficeHours, &wall).await;
    let token = app.resident_says(None, UNKNOWN).await;
    let anna = app.login("anna", Role::Agent, None).await;
    assert!(
        wait_cell(&app, &anna, 1)
            .await
            .contains("maandag vóór 12:00")
    );

    let sent = app
        .act(&anna, 1, "reply", &[("text", "Dat mag, tot de erfgrens.")])
        .await;
    assert!(sent.status().is_redirection(), "{}", sent.status());
    let c = stored(&app, 1).await;
    assert_eq!((c.owed_since, c.promised_by), (None, None));
    assert_eq!(c.status, Status::Waiting);
    assert_eq!(wait_cell(&app, &anna, 1).await, "–");

    // A thanks asks nothing: still nothing owed.
    app.resident_says(Some(&token), "top bedankt!").await;
    assert_eq!(stored(&app, 1).await.status, Status::Waiting);
    assert_eq!(wait_cell(&app, &anna, 1).await, "–");

    // A new question the bot cannot answer owes a reply again, by the same promise.
    app.resident_says(Some(&token), "Het gaat om een eik van 10 meter hoog")
        .await;
    let c = stored(&app, 1).await;
    assert_eq!(c.status, Status::Open);
    assert_eq!(c.promised_by, Some(amsterdam("2026-11-30 12:00")));
}

#[tokio::test]
async fn the_inbox_lists_the_earliest_promise_first() {
    let wall = Wall::at("2026-11-27 18:00");
    let app = bot_app(BotMode::OutsideOfficeHours, &wall).await;
    // Promised Tuesday: asked Monday evening.
    wall.set("2026-11-30 19:00");
    app.resident_says(None, UNKNOWN).await;
    // Promised Monday 12:00: asked Sunday, but written second.
    wall.set("2026-11-29 10:00");
    app.resident_says(None, UNKNOWN).await;
    wall.set("2026-11-29 10:05");
    let anna = app.login("anna", Role::Agent, None).await;
    let inbox = text(app.get("/inbox", Some(&anna)).await).await;
    let monday = inbox.find("data-id=\"2\"").expect("the Sunday question");
    let tuesday = inbox.find("data-id=\"1\"").expect("the Monday question");
    assert!(monday < tuesday, "earliest deadline first: {inbox}");
}

#[tokio::test]
async fn suggestions_follow_the_last_question_not_a_closing_thanks() {
    let app = app().await;
    let token = app.resident_says(None, GROFVUIL).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let before = text(app.get("/conversations/1", Some(&anna)).await).await;
    let first = |page: &str| {
        let at = page.find("data-article=\"").expect("suggestions") + "data-article=\"".len();
        page[at..].split('"').next().unwrap_or_default().to_string()
    };
    let asked = first(&before);

    app.resident_says(Some(&token), "bedankt").await;
    for path in ["/conversations/1", "/conversations/1?partial=true"] {
        let page = text(app.get(path, Some(&anna)).await).await;
        assert!(
            page.contains("data-article=\""),
            "{path}: suggestions shown"
        );
        assert_eq!(first(&page), asked, "{path}");
    }
}

#[tokio::test]
async fn the_label_filter_lists_only_labels_of_conversations_the_agent_may_see() {
    let app = app().await;
    app.resident_says(
        None,
        "ik wil een dakkapel bouwen, heb ik een vergunning nodig?",
    )
    .await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let kcc = app.login("anna", Role::Agent, None).await;
    let team = app.login("piet", Role::Agent, Some("vergunningen")).await;
    app.act(&kcc, 1, "forward", &[("department", "vergunningen")])
        .await;
    for (id, label) in [(1, "dakkapel"), (2, "reisdocument-spoed")] {
        let added = app
            .act(&kcc, id, "labels", &[("label", label), ("op", "add")])
            .await;
        assert!(added.status().is_redirection(), "{}", added.status());
    }

    let theirs = text(app.get("/inbox", Some(&team)).await).await;
    assert!(theirs.contains("<option value=\"dakkapel\""), "{theirs}");
    assert!(!theirs.contains("reisdocument-spoed"), "{theirs}");
    let everyone = text(app.get("/inbox", Some(&kcc)).await).await;
    assert!(everyone.contains("<option value=\"reisdocument-spoed\""));
}

/// Conversations from before the owed reply was stored, in the state the bug left them.
const LEGACY: &str = "
INSERT INTO users (id, name, role, password_hash, created_at)
    VALUES (1, 'anna', 'agent', 'x', '2026-11-20 08:00:00.000+00:00');
INSERT INTO conversations (id, channel, resident_ref, status, created_at, updated_at,
                           waiting_since, priority)
VALUES (1, 'webchat', 'away-then-thanks', 'waiting', '2026-11-27 17:00:00.000+00:00',
        '2026-11-28 10:00:00.000+00:00', NULL, 0),
       (2, 'webchat', 'answered', 'waiting', '2026-11-27 09:00:00.000+00:00',
        '2026-11-27 09:10:00.000+00:00', NULL, 0),
       (3, 'webchat', 'asked-again', 'open', '2026-11-26 09:00:00.000+00:00',
        '2026-11-27 11:00:00.000+00:00', '2026-11-27 11:00:00.000+00:00', 0),
       (4, 'webchat', 'closed', 'closed', '2026-11-26 09:00:00.000+00:00',
        '2026-11-26 09:00:00.000+00:00', NULL, 1);
INSERT INTO messages (id, conversation_id, direction, author_kind, author_id, text, created_at,
                      delivery)
VALUES (1, 1, 'in', 'resident', NULL, 'Mijn buurman...', '2026-11-27 17:00:00.000+00:00', 'received'),
       (2, 1, 'out', 'bot', NULL, 'Wij zijn nu gesloten. Een medewerker beantwoordt uw vraag maandag vóór 12:00.',
        '2026-11-27 17:00:00.100+00:00', 'sent'),
       (3, 1, 'in', 'resident', NULL, 'bedankt', '2026-11-28 10:00:00.000+00:00', 'received'),
       (4, 1, 'out', 'bot', NULL, 'Graag gedaan!', '2026-11-28 10:00:00.100+00:00', 'sent'),
       (5, 2, 'in', 'resident', NULL, 'vraag', '2026-11-27 09:00:00.000+00:00', 'received'),
       (6, 2, 'out', 'agent', 1, 'antwoord', '2026-11-27 09:10:00.000+00:00', 'sent'),
       (7, 3, 'in', 'resident', NULL, 'vraag', '2026-11-26 09:00:00.000+00:00', 'received'),
       (8, 3, 'out', 'agent', 1, 'antwoord', '2026-11-26 10:00:00.000+00:00', 'sent'),
       (9, 3, 'in', 'resident', NULL, 'nog een vraag', '2026-11-27 11:00:00.000+00:00', 'received'),
       (10, 4, 'in', 'resident', NULL, 'iemand spreken', '2026-11-26 09:00:00.000+00:00', 'received');
";

#[tokio::test]
async fn existing_conversations_are_backfilled_with_the_reply_they_owe() {
    use vraagbaak::store::{DATABASE_FILE, Store};
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let old = rusqlite::Connection::open(dir.path().join(DATABASE_FILE)).expect("open");
        old.execute_batch(include_str!("../src/store/migrations/0001_initial.sql"))
            .expect("0001");
        old.execute_batch(include_str!(
            "../src/store/migrations/0002_channels_bot_privacy.sql"
        ))
        .expect("0002");
        old.execute_batch(LEGACY).expect("legacy rows");
        old.pragma_update(None, "user_version", 2).expect("version");
    }
    let store = Store::open(dir.path()).expect("migrated");
    let owed = |id: i64| {
        let c = store
            .blocking(move |c| conv::conversation(c, id))
            .expect("store")
            .expect("exists");
        (c.status, c.owed_since, c.promised_by)
    };
    let at = |utc: &str| {
        Some(
            utc.parse::<chrono::DateTime<chrono::Utc>>()
                .expect("a time"),
        )
    };
    assert_eq!(
        owed(1),
        (
            Status::Open,
            at("2026-11-27T17:00:00Z"),
            at("2026-11-28T17:00:00Z")
        ),
        "the away text's debt survives the thanks"
    );
    assert_eq!(owed(2), (Status::Waiting, None, None), "an agent replied");
    assert_eq!(
        owed(3),
        (
            Status::Open,
            at("2026-11-27T11:00:00Z"),
            at("2026-11-28T11:00:00Z")
        ),
        "owed from the first message after the agent's reply"
    );
    assert_eq!(owed(4), (Status::Closed, None, None), "closed owes nothing");
}
