//! The Hiaten page and its actions: Voeg toe als voorbeeldvraag, Nieuw artikel, Negeer.

use tempfile::TempDir;
use vraagbaak::store::users::Role;

use super::*;
use crate::common::app::{Login, editing_app, text};
use crate::common::copy_dir;
use crate::common::sample_kb_dir;

/// The app on a copy of the sample KB, so that saves do not touch the checkout.
pub(super) async fn editable_app() -> (TestApp, TempDir) {
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

/// The page's list item of resident question `text`, from its link on.
fn list_item(html: &str, text: &str) -> String {
    let at = html.find(&format!("{text}</a>")).expect("listed");
    let end = at + html[at..].find("</li>").expect("its item");
    html[at..end].to_string()
}

/// The gap API's entry for the message `text`, with the `kb` key `key`.
async fn api_entry(app: &TestApp, key: &str, text: &str) -> serde_json::Value {
    let res = (app.send(
        axum::http::Request::get("/api/v1/kb/gaps")
            .header("authorization", format!("Bearer {key}"))
            .body(axum::body::Body::empty())
            .expect("request"),
    ))
    .await;
    let body = crate::common::app::json(res).await;
    (body["groups"].as_array().expect("groups").iter())
        .flat_map(|g| g["messages"].as_array().expect("messages").iter())
        .find(|m| m["text"] == text)
        .unwrap_or_else(|| panic!("{text} over the API: {body}"))
        .clone()
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
    // No article is near the drone questions (the nearest is another subject, below the
    // bot's offer confidence): the editor names one, none is proposed.
    for question in DRONES {
        let item = list_item(&html, question);
        assert!(
            item.contains(r#"pattern="[a-z0-9]+(-[a-z0-9]+)*" ></label>"#)
                && !item.contains("Voeg toe als voorbeeldvraag aan "),
            "{item}"
        );
    }
    assert!(html.contains("Nieuw artikel") && html.contains("Negeer"));
    assert!(
        !html.contains("111222333") && html.contains("••••••333"),
        "masked again"
    );

    assert!(
        html.contains(r#"<a href="/kb/gaps" aria-current="page">Hiaten</a>"#),
        "editors reach the report from the navigation"
    );
    let inbox = text(app.get("/inbox", Some(&agent)).await).await;
    assert!(!inbox.contains("/kb/gaps"), "agents have no link to it");
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

/// "Voeg toe als vraag die dit artikel niet beantwoordt": the message joins the article's
/// `not_answered`, and from then on the article's suggestion for such a message quotes it,
/// with a lower confidence. The question still needs an answer, so it stays in the report,
/// marked as listed there, and that article is no longer proposed for it.
#[tokio::test]
async fn a_question_the_article_does_not_answer_joins_its_not_answered_list() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    let (drones, _) = mixed_inbox(&app, &agent.user).await;
    let article = "evenementenvergunning";
    let confidence = |message: &str| {
        let result = app.state.chat.suggest(message, 5);
        (result.suggestions.iter())
            .find(|s| s.id == article)
            .map(|s| (s.confidence, s.not_answered.clone()))
            .expect("the article is suggested")
    };
    let (before, listed) = confidence(DRONES[4]);
    assert_eq!(listed, None);

    let res = app
        .submit(
            &editor,
            "/kb/gaps/question",
            &[
                ("message_id", &drones[4].to_string()),
                ("article", article),
                ("list", "not_answered"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!(res.status(), 303);
    let html = page(&app, &editor).await;
    assert!(
        html.contains(
            "De vraag staat nu bij evenementenvergunning als vraag die het artikel niet beantwoordt"
        ),
        "{html}"
    );
    let item = list_item(&html, DRONES[4]);
    let title = app
        .state
        .chat
        .engine
        .snapshot()
        .article(article)
        .expect("article")
        .title
        .clone();
    assert!(
        item.contains(&format!(
            "✓ Staat bij {title} als vraag die het artikel niet beantwoordt."
        )) && !item.contains(&format!(r#"value="{article}""#))
            && !item.contains(r#"value="not_answered""#),
        "stays, marked, without the article proposed or a second listing button: {item}"
    );
    let opened = app.state.chat.open_article(article).await.expect("open");
    let source = opened.and_then(|a| a.file).expect("the file").source;
    let listed_at = source.find("not_answered").expect("the list");
    assert!(source[listed_at..].contains(DRONES[4]), "{source}");
    let history = (app.state.chat.article_history(article).await).expect("history");
    assert!(
        history[0].comment.contains("niet beantwoordt"),
        "{}",
        history[0].comment
    );

    let (after, listed) = confidence(DRONES[4]);
    assert_eq!(listed.as_deref(), Some(DRONES[4]));
    assert!(after < before, "{after} < {before}");
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

/// Each question proposes its own article: the one the bot sent and the resident said "nee"
/// to (for its `not_answered` list), or else its own first suggestion when the bot would at
/// least offer it; a question far from every article proposes none.
#[tokio::test]
async fn each_question_proposes_the_article_it_most_likely_belongs_to() {
    let mut config = crate::common::app::quiet_config();
    config.bot.mode = vraagbaak::config::BotMode::Always;
    let app = crate::common::app::app_with(config).await;
    let editor = app.login("eva", Role::Editor, None).await;
    let declined = "hoeveel hondenbelasting betaal ik per jaar";
    let token = app.resident_says(None, declined).await;
    app.resident_says(Some(&token), "nee").await;
    let far = DRONES[0];
    app.resident_says(None, far).await;

    let report = app.state.chat.gap_report(30).await.expect("report");
    let questions: Vec<_> = (report.groups.iter())
        .flat_map(|g| g.questions.iter())
        .collect();
    let question = |text: &str| {
        *(questions.iter())
            .find(|q| q.text == text)
            .unwrap_or_else(|| panic!("{text} is in the report: {questions:?}"))
    };
    assert_eq!(
        question(declined).declined.as_deref(),
        Some("hondenbelasting")
    );
    assert_eq!(question(far).declined, None);

    let html = page(&app, &editor).await;
    let nee = list_item(&html, declined);
    assert!(
        nee.contains(r#"<input type="hidden" name="article" value="hondenbelasting">"#)
            && nee.contains("(Hondenbelasting: hond aanmelden of afmelden)")
            && nee.contains(
                "Voeg toe als vraag die Hondenbelasting: hond aanmelden of afmelden niet beantwoordt"
            ),
        "{nee}"
    );
    // The article that did not help is never the one proposed for the example questions:
    // adding the question there would make the bot send it more surely.
    assert!(
        !nee.contains(r#"pattern="[a-z0-9]+(-[a-z0-9]+)*" value="hondenbelasting""#)
            && !nee.contains("Voeg toe als voorbeeldvraag aan Hondenbelasting")
            && !nee.contains("Voeg toe als vraag die dit artikel niet beantwoordt"),
        "{nee}"
    );
    let key = app.api_key_with("kb").await;
    let listed = api_entry(&app, &key, declined).await;
    assert_eq!(listed["reason"], "not_helpful");
    assert_eq!(listed["declined_article"], "hondenbelasting");
    assert_ne!(
        listed["nearest"]["id"], "hondenbelasting",
        "nearest leaves out the declined article: {listed}"
    );
    let lost = list_item(&html, far);
    assert!(
        lost.contains(r#"pattern="[a-z0-9]+(-[a-z0-9]+)*" ></label>"#),
        "no article is proposed: {lost}"
    );

    // After the "nee" an agent answers with another article: that one is proposed for the
    // example questions, on the page and over the API.
    let agent = app.login("anna", Role::Agent, None).await;
    let conversation = question(declined).conversation_id;
    app.state
        .chat
        .reply(
            &agent.user,
            conversation,
            "Zie de tarieven.",
            Some("betalen-belastingen"),
            None,
        )
        .await
        .expect("the agent replies");
    let html = page(&app, &editor).await;
    let nee = list_item(&html, declined);
    assert!(
        nee.contains(r#"pattern="[a-z0-9]+(-[a-z0-9]+)*" value="betalen-belastingen""#)
            && nee.contains(r#"<input type="hidden" name="article" value="hondenbelasting">"#),
        "{nee}"
    );
    let listed = api_entry(&app, &key, declined).await;
    assert_eq!(listed["replied_article"], "betalen-belastingen", "{listed}");
}

/// A gap closed elsewhere than on this page (an editor adds the question to an article in
/// the editor) leaves the report: the question's first suggestion now reaches the bot's
/// threshold. The page and the API say how many questions went that way.
#[tokio::test]
async fn a_question_the_knowledge_base_now_answers_leaves_the_report() {
    let (app, _kb) = editable_app().await;
    let agent = app.login("anna", Role::Agent, None).await;
    let editor = app.login("eva", Role::Editor, None).await;
    mixed_inbox(&app, &agent.user).await;
    let listed = |report: &vraagbaak::chat::gaps::GapReport| -> Vec<String> {
        (report.groups.iter())
            .flat_map(|g| g.questions.iter().map(|q| q.text.clone()))
            .collect()
    };
    let before = app.state.chat.gap_report(30).await.expect("report");
    assert_eq!(before.answered, 0);
    assert!(listed(&before).iter().any(|q| q == ICE_RINK[0]));
    assert!(
        !page(&app, &editor)
            .await
            .contains("inmiddels een zeker antwoord")
    );

    app.state
        .chat
        .add_question("evenementenvergunning", ICE_RINK[0], "eva", "ijsbaan")
        .await
        .expect("added in the editor");
    let after = app.state.chat.gap_report(30).await.expect("report");
    let (before, after_listed) = (listed(&before), listed(&after));
    let gone: Vec<&String> = (before.iter())
        .filter(|q| !after_listed.contains(q))
        .collect();
    assert!(gone.iter().any(|q| *q == ICE_RINK[0]), "{after_listed:?}");
    assert_eq!(after.answered, gone.len(), "{gone:?}");
    assert!(
        after_listed.iter().any(|q| q == DRONES[0]),
        "the rest stays"
    );

    let html = page(&app, &editor).await;
    let line = if gone.len() == 1 {
        "1 vraag krijgt inmiddels een zeker antwoord uit de kennisbank en staat hier niet meer bij."
            .to_string()
    } else {
        format!(
            "{} vragen krijgen inmiddels een zeker antwoord uit de kennisbank en staan hier niet meer bij.",
            gone.len()
        )
    };
    assert!(html.contains(&line), "{html}");
    assert!(!html.contains(&format!("{}</a>", ICE_RINK[0])));
}

/// A question the resident said "nee" to has two halves: the declined article does not answer
/// it, and another article (or a new one) should. Listing it on the declined article keeps it
/// in the report, marked done, until it gets its answer.
#[tokio::test]
async fn a_nee_question_listed_on_the_declined_article_stays_until_it_gets_an_answer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("kb");
    copy_dir(&sample_kb_dir(), &kb);
    let engine = vraagbaak::search::Engine::open(&kb, crate::common::settings()).expect("the KB");
    let mut config = crate::common::app::quiet_config();
    config.bot.mode = vraagbaak::config::BotMode::Always;
    let app = crate::common::app::app_over(
        config,
        vraagbaak::chat::system_clock(),
        std::sync::Arc::new(engine),
    )
    .await;
    let editor = app.login("eva", Role::Editor, None).await;
    let declined = "hoeveel hondenbelasting betaal ik per jaar";
    let token = app.resident_says(None, declined).await;
    app.resident_says(Some(&token), "nee").await;
    let report = app.state.chat.gap_report(30).await.expect("report");
    let message = (report.groups.iter())
        .flat_map(|g| g.questions.iter())
        .find(|q| q.text == declined)
        .expect("listed")
        .message_id
        .to_string();
    let add = |article: &'static str, list: &'static str| {
        let (app, editor, message) = (&app, &editor, message.clone());
        async move {
            let fields = [
                ("message_id", message.as_str()),
                ("article", article),
                ("list", list),
                ("days", "30"),
            ];
            let res = app.submit(editor, "/kb/gaps/question", &fields).await;
            assert_eq!(res.status(), 303);
            page(app, editor).await
        }
    };
    // The group's nearest article is not the one the resident said "nee" to.
    let html = page(&app, &editor).await;
    let at = html.find(&format!("{declined}</a>")).expect("listed");
    let section = &html[html[..at].rfind("<section").expect("its group")..at];
    assert!(
        section.contains("Dichtstbijzijnde artikel")
            && !section.contains("Hondenbelasting: hond aanmelden"),
        "{section}"
    );

    let html = add("hondenbelasting", "not_answered").await;
    assert!(
        html.contains("Voeg de vraag nu als voorbeeldvraag toe"),
        "{html}"
    );
    let item = list_item(&html, declined);
    assert!(
        item.contains("✓ Staat bij Hondenbelasting: hond aanmelden of afmelden als vraag die het artikel niet beantwoordt.")
            && !item.contains(r#"value="not_answered""#)
            && item.contains("Voeg toe als voorbeeldvraag"),
        "{item}"
    );
    let html = add("betalen-belastingen", "questions").await;
    assert!(
        !html.contains(&format!("{declined}</a>")),
        "answered: {html}"
    );
    for (article, list) in [
        ("hondenbelasting", "not_answered"),
        ("betalen-belastingen", "questions"),
    ] {
        let opened = app.state.chat.open_article(article).await.expect("open");
        let source = opened.and_then(|a| a.file).expect("the file").source;
        let at = source.find(&format!("{list} = [")).expect("the list");
        let list_text = &source[at..at + source[at..].find(']').expect("end")];
        assert!(list_text.contains(declined), "{article}: {source}");
    }
}
