//! The gap report ("Hiaten") end to end: residents ask through the real chat service (their
//! messages stored with the suggestions the sample KB gave), agents answer, and the report,
//! the page and the API show what the knowledge base lacks.

use tempfile::TempDir;
use vraagbaak::chat::service::{Incoming, Received, WEB_CHAT};
use vraagbaak::store::users::{Role, User};

use crate::common::app::{Login, TestApp, app, editing_app, json, text};
use crate::common::sample_kb_dir;
use crate::reload_server::copy_dir;

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
        .reply(agent, conversation, text, article)
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
/// (nobody answered yet), one-off questions and answerable questions (answered with their article). Returns the
/// message ids of the drone and ice-rink questions.
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

/// The app on a copy of the sample KB, so that saves do not touch the checkout.
async fn editable_app() -> (TestApp, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("kb");
    copy_dir(&sample_kb_dir(), &kb);
    (editing_app(&kb).await, dir)
}

/// The report page as `login` sees it.
async fn page(app: &TestApp, login: &Login) -> String {
    let res = app.get("/kb/gaps", Some(login)).await;
    assert_eq!(res.status(), 200);
    text(res).await
}

/// Where a redirect points.
fn location(res: &axum::http::Response<axum::body::Body>) -> &str {
    res.headers()["location"].to_str().expect("ascii")
}

#[tokio::test]
async fn editors_see_the_groups_with_replies_and_masked_text_and_agents_get_403() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    assert!(
        page(&app, &editor)
            .await
            .contains("Geen onbeantwoorde vragen in de afgelopen 30 dagen")
    );

    let (drones, _) = mixed_inbox(&app, &agent.user).await;
    // A message stored before masking existed: the page masks it anyway.
    let conversation = ask(&app, "oud", "mag ik een kameel houden").await.0;
    app.state
        .chat
        .store
        .call(move |c| {
            c.execute(
                "UPDATE messages SET text = 'mag ik een kameel houden, bsn 111222333'
                 WHERE conversation_id = ?1",
                [conversation],
            )?;
            Ok(())
        })
        .await
        .expect("legacy text");

    let html = page(&app, &editor).await;
    assert!(html.contains("Hiaten in de kennisbank"));
    assert!(
        html.contains(&format!("href=\"/conversations/{conversation}\"")),
        "questions link to their conversation"
    );
    for question in DRONES.iter().chain(ICE_RINK.iter()) {
        assert!(html.contains(question), "{question} is listed");
    }
    for question in ANSWERABLE {
        assert!(!html.contains(question), "{question} was answered");
    }
    assert!(html.contains("5 vragen"), "{html}");
    assert!(html.contains(DRONE_REPLY), "the agents' reply is shown");
    assert!(html.contains("Meest gegeven"));
    assert!(html.contains("Voeg toe als voorbeeldvraag"));
    assert!(html.contains("Nieuw artikel") && html.contains("Negeer"));
    assert!(
        !html.contains("111222333") && html.contains("••••••333"),
        "masked again"
    );

    let res = app.get("/kb/gaps", Some(&agent)).await;
    assert_eq!(res.status(), 403, "agents do not see the report");
    let res = app
        .submit(
            &agent,
            "/kb/gaps/dismiss",
            &[("messages", &drones[0].to_string())],
        )
        .await;
    assert_eq!(res.status(), 403, "nor act on it");
    let res = app.get("/kb/gaps?days=0", Some(&editor)).await;
    assert_eq!(res.status(), 400);
    assert!(text(res).await.contains("from 1 to 365"));
}

#[tokio::test]
async fn voeg_toe_adds_the_question_to_the_article_as_a_revision_and_it_is_suggested_at_once() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    let (drones, _) = mixed_inbox(&app, &agent.user).await;
    let message = drones[0].to_string();
    let article = "evenementenvergunning";
    let before = app.state.chat.suggest(DRONES[0], 1);
    assert_ne!(before.top().map(|s| s.id.as_str()), Some(article));

    let res = app
        .submit(
            &editor,
            "/kb/gaps/question",
            &[
                ("message_id", &message),
                ("article", article),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(location(&res), "/kb/gaps?days=30");
    let html = page(&app, &editor).await;
    assert!(html.contains("De vraag is als voorbeeldvraag toegevoegd aan evenementenvergunning"));
    assert!(!html.contains(DRONES[0]), "the question left the report");

    let opened = app.state.chat.open_article(article).await.expect("open");
    let source = opened.and_then(|a| a.file).expect("the file").source;
    assert!(source.contains(DRONES[0]), "{source}");
    let history = app
        .state
        .chat
        .article_history(article)
        .await
        .expect("history");
    assert_eq!(history[0].author, "eva");
    assert!(
        history[0].comment.contains("Hiaten"),
        "{}",
        history[0].comment
    );
    let after = app.state.chat.suggest(DRONES[0], 1);
    assert_eq!(
        after.top().map(|s| s.id.as_str()),
        Some(article),
        "live at once"
    );

    let res = app
        .submit(
            &editor,
            "/kb/gaps/question",
            &[
                ("message_id", &drones[1].to_string()),
                ("article", "bestaat-niet"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = page(&app, &editor).await;
    assert!(
        html.contains("er is geen artikel met id `bestaat-niet`"),
        "{html}"
    );
    assert!(html.contains(DRONES[1]), "still in the report");

    let res = app
        .post_form(
            "/kb/gaps/question",
            Some(&editor),
            &[
                ("csrf", "vervalst"),
                ("message_id", &message),
                ("article", article),
            ],
        )
        .await;
    assert_eq!(res.status(), 403, "CSRF is checked");
}

#[tokio::test]
async fn nieuw_artikel_makes_a_concept_from_the_group_and_opens_it() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    let (drones, _) = mixed_inbox(&app, &agent.user).await;

    let res = app
        .submit(
            &editor,
            "/kb/gaps/new",
            &[("central", &drones[2].to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    let id = location(&res)
        .strip_prefix("/kb/articles/")
        .expect("opens the editor")
        .to_string();
    let drafts = app.state.chat.drafts().await.expect("drafts");
    let draft = drafts
        .iter()
        .find(|d| d.article_id == id)
        .expect("a concept");
    assert_eq!(draft.author, "eva");
    let opened = app
        .state
        .chat
        .open_article(&id)
        .await
        .expect("open")
        .expect("exists");
    assert!(opened.file.is_none(), "a concept is not written to kb/");
    let source = opened.draft.expect("the draft").1;
    for question in DRONES {
        assert!(source.contains(question), "{question} in {source}");
    }
    assert!(
        source.contains("keywords") && source.contains("\"drone\""),
        "{source}"
    );
    assert!(
        source.ends_with(&format!("+++\n{DRONE_REPLY}\n")),
        "{source}"
    );
    let suggested = app.state.chat.suggest(DRONES[0], 3);
    assert!(
        suggested.suggestions.iter().all(|s| s.id != id),
        "not suggested"
    );

    let html = page(&app, &editor).await;
    assert!(!html.contains(DRONES[0]), "the group left the report");
    assert!(html.contains(ICE_RINK[0]));
    let res = app
        .submit(
            &editor,
            "/kb/gaps/new",
            &[("central", &drones[2].to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        page(&app, &editor)
            .await
            .contains("deze groep staat niet meer in de lijst")
    );
}

#[tokio::test]
async fn negeer_hides_the_groups_messages_and_nothing_else() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    let (drones, ice) = mixed_inbox(&app, &agent.user).await;
    let members = ice.iter().map(i64::to_string).collect::<Vec<_>>().join(",");

    let res = app
        .submit(
            &editor,
            "/kb/gaps/dismiss",
            &[("messages", &members), ("days", "7")],
        )
        .await;
    assert_eq!(location(&res), "/kb/gaps?days=7");
    let html = text(app.get("/kb/gaps?days=7", Some(&editor)).await).await;
    assert!(
        html.contains("5 vragen worden niet meer getoond."),
        "{html}"
    );
    for question in ICE_RINK {
        assert!(!html.contains(question), "{question} is dismissed");
    }
    assert!(html.contains(DRONES[0]));
    let report = app.state.chat.gap_report(30).await.expect("report");
    let listed: Vec<i64> = (report.groups.iter())
        .flat_map(|g| g.questions.iter().map(|q| q.message_id))
        .collect();
    assert!(drones.iter().all(|d| listed.contains(d)));
    assert!(ice.iter().all(|i| !listed.contains(i)));

    let res = app
        .submit(&editor, "/kb/gaps/dismiss", &[("messages", "een,twee")])
        .await;
    assert_eq!(res.status(), 303);
    assert!(
        page(&app, &editor)
            .await
            .contains("geen geldige berichten om te negeren")
    );
}

/// `GET path` with an API key.
async fn api_get(app: &TestApp, path: &str, key: &str) -> axum::http::Response<axum::body::Body> {
    let request = axum::http::Request::get(path)
        .header("authorization", format!("Bearer {key}"))
        .body(axum::body::Body::empty())
        .expect("request");
    app.send(request).await
}

/// The `error` of a JSON error answer.
async fn error_of(res: axum::http::Response<axum::body::Body>) -> String {
    let body = json(res).await;
    body["error"].as_str().expect("a JSON error").to_string()
}

#[tokio::test]
async fn the_gaps_api_answers_kb_keys_with_the_groups() {
    let app = app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let (drones, ice) = mixed_inbox(&app, &agent.user).await;
    let key = app.api_key_with("kb").await;

    let res = api_get(&app, "/api/v1/kb/gaps", &key).await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["days"], 30);
    let groups = body["groups"].as_array().expect("groups");
    let ids = |group: &serde_json::Value| -> Vec<i64> {
        sorted(
            (group["messages"].as_array().expect("messages").iter())
                .map(|m| m["message_id"].as_i64().expect("id"))
                .collect(),
        )
    };
    let drone_group = (groups.iter())
        .find(|g| ids(g) == sorted(drones.clone()))
        .expect("the drone group");
    assert_eq!(drone_group["count"], 5);
    assert!(
        drone_group["terms"]
            .as_array()
            .expect("terms")
            .contains(&"drone".into())
    );
    let first = &drone_group["messages"][0];
    assert!(first["conversation_id"].is_i64() && first["at"].is_string());
    assert!(DRONES.contains(&first["text"].as_str().expect("text")));
    assert!(drone_group["nearest"].is_null() || drone_group["nearest"]["confidence"].is_f64());
    assert!(groups.iter().any(|g| ids(g) == sorted(ice.clone())));

    let res = api_get(&app, "/api/v1/kb/gaps?days=366", &key).await;
    assert_eq!(res.status(), 400);
    assert!(error_of(res).await.contains("1 to 365"));
    let plain = app.api_key().await;
    let res = api_get(&app, "/api/v1/kb/gaps", &plain).await;
    assert_eq!(res.status(), 403, "a key without the kb scope");
    assert!(!error_of(res).await.is_empty());
    assert_eq!(app.get("/api/v1/kb/gaps", None).await.status(), 401);
}

#[tokio::test]
async fn adding_a_question_over_the_api_answers_200_404_422_and_403() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let (drones, _) = mixed_inbox(&app, &agent.user).await;
    let key = app.api_key_with("kb").await;
    let article = "evenementenvergunning";
    let path = format!("/api/v1/kb/articles/{article}/questions");
    let add = |path: String, message: i64, key: String| {
        let app = &app;
        async move {
            let body = format!("{{\"message_id\": {message}}}");
            app.post_json(&path, Some(&key), &body).await
        }
    };

    let res = add(path.clone(), drones[0], key.clone()).await;
    assert_eq!(res.status(), 200);
    let body = json(res).await;
    assert_eq!(body["id"], article);
    assert_eq!(body["added"], true);
    let opened = app.state.chat.open_article(article).await.expect("open");
    let file = opened.and_then(|a| a.file).expect("the file");
    assert_eq!(body["version"], file.version.as_str(), "the new version");
    assert!(file.source.contains(DRONES[0]));
    let history = app
        .state
        .chat
        .article_history(article)
        .await
        .expect("history");
    assert_eq!(history[0].author, "api:tool");
    let gaps = json(api_get(&app, "/api/v1/kb/gaps", &key).await)
        .await
        .to_string();
    assert!(!gaps.contains(DRONES[0]), "the question left the report");

    let res = add(path.clone(), 999_999, key.clone()).await;
    assert_eq!(res.status(), 404, "unknown message");
    assert!(error_of(res).await.contains("999999"));
    let res = add(
        "/api/v1/kb/articles/bestaat-niet/questions".into(),
        drones[1],
        key.clone(),
    )
    .await;
    assert_eq!(res.status(), 404, "unknown article");
    let reply_id = app.thread(1).await.last().expect("the agent's reply").id;
    let res = add(path.clone(), reply_id, key.clone()).await;
    assert_eq!(res.status(), 404, "an agent's reply is no resident message");

    let empty = drones[2];
    app.state
        .chat
        .store
        .call(move |c| {
            c.execute("UPDATE messages SET text = '   ' WHERE id = ?1", [empty])?;
            Ok(())
        })
        .await
        .expect("empty text");
    let res = add(path.clone(), empty, key.clone()).await;
    assert_eq!(res.status(), 422);
    assert!(error_of(res).await.contains("no text"));

    let plain = app.api_key().await;
    let res = add(path.clone(), drones[3], plain).await;
    assert_eq!(res.status(), 403, "a key without the kb scope");
    let opened = app.state.chat.open_article(article).await.expect("open");
    let source = opened.and_then(|a| a.file).expect("the file").source;
    assert!(!source.contains(DRONES[3]), "nothing written on a refusal");
}

#[tokio::test]
async fn the_openapi_document_describes_the_gap_endpoints() {
    let app = app().await;
    let doc = json(app.get("/api/v1/openapi.json", None).await).await;
    assert!(doc["paths"]["/api/v1/kb/gaps"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/kb/articles/{id}/questions"]["post"].is_object());
}
