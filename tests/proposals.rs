//! The review queue: learned questions from agents' replies, agents' proposals from a
//! conversation, and editors accepting (through the normal save path) or rejecting them.

use std::sync::Arc;

use vraagbaak::chat::system_clock;
use vraagbaak::store::proposals::{self, Proposal};
use vraagbaak::store::users::Role;

use crate::common::app::{Login, TestApp, app_over, editing_app, quiet_config, text};
use crate::common::{Kb, engine, fixture_kb};

/// The app over a fixture knowledge base of its own: accepting a question writes its file.
async fn app_with_kb() -> (TestApp, Kb) {
    let kb = fixture_kb();
    let app = editing_app(kb.path()).await;
    (app, kb)
}

async fn pending(app: &TestApp) -> Vec<Proposal> {
    app.state
        .chat
        .store
        .call(|c| proposals::pending(c))
        .await
        .expect("store")
}

/// A resident asks `text` in a new conversation; the agent answers with `article`.
async fn answered_with(app: &TestApp, agent: &Login, text: &str, article: &str, via: &str) -> i64 {
    app.resident_says(None, text).await;
    let id = app
        .state
        .chat
        .store
        .call(|c| {
            Ok(c.query_row("SELECT max(id) FROM conversations", [], |r| {
                r.get::<_, i64>(0)
            })?)
        })
        .await
        .expect("store");
    let mut fields = vec![("text", "Zie het antwoord."), ("article", article)];
    if !via.is_empty() {
        fields.push(("via", via));
    }
    let res = app.act(agent, id, "reply", &fields).await;
    assert_eq!(res.status(), 303, "{}", text_of(res).await);
    id
}

async fn text_of(res: axum::http::Response<axum::body::Body>) -> String {
    text(res).await
}

fn file(kb: &Kb, relative: &str) -> String {
    std::fs::read_to_string(kb.path().join(relative)).expect("article file")
}

#[tokio::test]
async fn an_article_found_through_search_proposes_the_message_masked_once() {
    let (app, _kb) = app_with_kb().await;
    let anna = app.login("anna", Role::Agent, None).await;
    let message = "de ton heeft een scheur, mijn rekening is NL91ABNA0417164300";
    let id = answered_with(&app, &anna, message, "container-kapot", "search").await;
    // The same article again for the same message: still one proposal.
    app.act(
        &anna,
        id,
        "reply",
        &[
            ("text", "Nog eens."),
            ("article", "container-kapot"),
            ("via", "search"),
        ],
    )
    .await;
    let queue = pending(&app).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    let learned = &queue[0];
    assert_eq!(learned.article_id, "container-kapot");
    assert!(learned.learned);
    assert_eq!(learned.proposed_by, "anna");
    assert_eq!(learned.conversation_id, Some(id));
    assert!(
        learned.text.starts_with("de ton heeft een scheur"),
        "{}",
        learned.text
    );
    assert!(
        !learned.text.contains("0417164300"),
        "masked: {}",
        learned.text
    );
}

#[tokio::test]
async fn a_learned_question_is_masked_even_where_agents_see_addresses() {
    // A municipality that shows agents addresses (for street lights and potholes) stores
    // them; what becomes content is masked all the same.
    let kb = fixture_kb();
    let mut config = quiet_config();
    config
        .privacy
        .kinds
        .retain(|k| *k != vraagbaak::chat::privacy::Kind::Address);
    let app = app_over(config, system_clock(), Arc::new(engine(&kb))).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let message = "de ton bij 1234 AB 12 heeft een scheur";
    answered_with(&app, &anna, message, "container-kapot", "search").await;
    assert_eq!(
        app.thread(1).await[0].text,
        message,
        "agents see the address"
    );
    let learned = &pending(&app).await[0];
    assert!(!learned.text.contains("1234 AB 12"), "{}", learned.text);
    assert!(learned.text.starts_with("de ton bij "), "{}", learned.text);
}

/// A resident's name goes into the conversation, where agents address them by it, but never
/// into the knowledge base's text.
#[tokio::test]
async fn a_learned_question_keeps_no_name() {
    let (app, _kb) = app_with_kb().await;
    let anna = app.login("anna", Role::Agent, None).await;
    let message = "de ton van mevrouw Jansen heeft een scheur";
    answered_with(&app, &anna, message, "container-kapot", "search").await;
    assert_eq!(app.thread(1).await[0].text, message, "agents see the name");
    let learned = &pending(&app).await[0];
    assert_eq!(learned.text, "de ton van mevrouw •••••• heeft een scheur");
}

#[tokio::test]
async fn the_first_suggestion_or_a_question_the_article_has_teaches_nothing() {
    let (app, _kb) = app_with_kb().await;
    let anna = app.login("anna", Role::Agent, None).await;
    // The first suggestion (a message the article does not have as a question).
    let first = app.state.chat.suggest("de kliko is echt helemaal kapot", 1);
    assert_eq!(first.suggestions[0].id, "container-kapot");
    answered_with(
        &app,
        &anna,
        "de kliko is echt helemaal kapot",
        "container-kapot",
        "",
    )
    .await;
    // Out of season, so found through the search; but the article has this question.
    answered_with(&app, &anna, "Kerstbomen inleveren", "kerstbomen", "search").await;
    // The agent's own words, no article.
    answered_with(&app, &anna, "waar is het gemeentehuis", "", "").await;
    assert!(pending(&app).await.is_empty());
}

#[tokio::test]
async fn an_editor_accepts_a_question_as_a_revision_and_rejects_another() {
    let (app, kb) = app_with_kb().await;
    let anna = app.login("anna", Role::Agent, None).await;
    answered_with(
        &app,
        &anna,
        "de groene ton heeft een scheur",
        "container-kapot",
        "search",
    )
    .await;
    answered_with(
        &app,
        &anna,
        "mijn reisdocument is over datum",
        "paspoort-aanvragen",
        "search",
    )
    .await;
    let queue = pending(&app).await;
    assert_eq!(queue.len(), 2);

    assert_eq!(
        app.get("/kb/proposals", Some(&anna)).await.status(),
        403,
        "editors only"
    );
    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(page.contains("de groene ton heeft een scheur"), "{page}");
    assert!(page.contains("geleerd uit het antwoord van anna"));
    assert!(page.contains(r#"href="/kb/articles/container-kapot">Container kapot</a>"#));

    let before = file(&kb, "burgerzaken/paspoort-aanvragen.md");
    let res = app
        .submit(
            &eva,
            &format!("/kb/proposals/{}", queue[1].id),
            &[("action", "reject")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        file(&kb, "burgerzaken/paspoort-aanvragen.md"),
        before,
        "a rejection changes nothing"
    );

    let res = app
        .submit(
            &eva,
            &format!("/kb/proposals/{}", queue[0].id),
            &[("action", "accept")],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(file(&kb, "afval/container-kapot.md").contains("\"de groene ton heeft een scheur\""));
    assert!(pending(&app).await.is_empty());
    let history = app
        .state
        .chat
        .article_history("container-kapot")
        .await
        .expect("history");
    assert_eq!(history[0].author, "eva");
    assert!(
        history[0].comment.contains("voorstel"),
        "{}",
        history[0].comment
    );
    // The live index has the question now.
    let top = app.state.chat.suggest("de groene ton heeft een scheur", 1);
    assert_eq!(top.suggestions[0].id, "container-kapot");
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(page.contains("De vraag is aan het artikel toegevoegd."));

    // Deciding twice is refused, next to the list.
    let again = app
        .submit(
            &eva,
            &format!("/kb/proposals/{}", queue[0].id),
            &[("action", "accept")],
        )
        .await;
    assert_eq!(again.status(), 303);
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(page.contains("al afgehandeld"), "{page}");
}

#[tokio::test]
async fn a_batch_accept_adds_every_checked_question() {
    let (app, kb) = app_with_kb().await;
    let anna = app.login("anna", Role::Agent, None).await;
    answered_with(
        &app,
        &anna,
        "de groene ton heeft een scheur",
        "container-kapot",
        "search",
    )
    .await;
    answered_with(
        &app,
        &anna,
        "mijn reisdocument is over datum",
        "paspoort-aanvragen",
        "search",
    )
    .await;
    let ids: Vec<String> = pending(&app)
        .await
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    let eva = app.login("eva", Role::Editor, None).await;
    let res = app
        .submit(
            &eva,
            "/kb/proposals/accept",
            &[("id", &ids[0]), ("id", &ids[1])],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(pending(&app).await.is_empty());
    assert!(file(&kb, "afval/container-kapot.md").contains("de groene ton heeft een scheur"));
    assert!(
        file(&kb, "burgerzaken/paspoort-aanvragen.md").contains("mijn reisdocument is over datum")
    );
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(page.contains("2 vragen aan hun artikel toegevoegd."));
}

#[tokio::test]
async fn an_agent_proposes_a_question_and_a_change_from_a_conversation() {
    let (app, kb) = app_with_kb().await;
    app.resident_says(None, "mag mijn kerstboom bij het glas?")
        .await;
    let anna = app.login("anna", Role::Agent, None).await;
    let message = app.thread(1).await[0].id.to_string();
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains(r#"action="/conversations/1/propose""#));
    assert!(page.contains(r#"<option value="kerstbomen">Kerstbomen inzamelen</option>"#));

    let propose = |kind: &'static str, article: &'static str, text: &'static str| {
        let (app, anna, message) = (&app, &anna, message.clone());
        async move {
            app.act(
                anna,
                1,
                "propose",
                &[
                    ("message", &message),
                    ("article", article),
                    ("kind", kind),
                    ("text", text),
                ],
            )
            .await
        }
    };
    assert_eq!(propose("question", "kerstbomen", "").await.status(), 303);
    let again = propose("question", "kerstbomen", "").await;
    assert_eq!(again.status(), 303);
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(
        page.contains("Dit bericht was al voorgesteld voor dit artikel."),
        "{page}"
    );
    let change = propose(
        "change",
        "kerstbomen",
        "Noem ook de inleverpunten, bel 0612345678 niet",
    )
    .await;
    assert_eq!(change.status(), 303);
    assert_eq!(propose("question", "bestaat-niet", "").await.status(), 422);
    assert_eq!(propose("idee", "kerstbomen", "").await.status(), 400);

    let queue = pending(&app).await;
    assert_eq!(queue.len(), 2, "{queue:?}");
    assert_eq!(queue[0].text, "mag mijn kerstboom bij het glas?");
    assert!(!queue[0].learned);

    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(page.contains("Noem ook de inleverpunten"), "{page}");
    assert!(page.contains("Open in editor"));
    let before = file(&kb, "afval/kerstbomen.md");
    // A change is done in the editor; accepting it only marks it done.
    let done = app
        .submit(
            &eva,
            &format!("/kb/proposals/{}", queue[1].id),
            &[("action", "accept")],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(file(&kb, "afval/kerstbomen.md"), before);
    assert_eq!(pending(&app).await.len(), 1);
}

#[tokio::test]
async fn a_proposal_needs_a_resident_message_of_that_conversation() {
    let (app, _kb) = app_with_kb().await;
    app.resident_says(None, "mijn kliko is kapot").await;
    app.resident_says(None, "paspoort verlopen wat nu").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let other = app.thread(2).await[0].id.to_string();
    let res = app
        .act(
            &anna,
            1,
            "propose",
            &[
                ("message", &other),
                ("article", "container-kapot"),
                ("kind", "question"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(text(res).await.contains("bericht van de inwoner"));
}

/// "Beantwoordt de vraag niet" on a suggestion: the agent proposes the resident's question
/// for the article's `not_answered` list, an editor accepts it as a revision, and from then
/// on the article's suggestion for such a question quotes it, with a lower confidence.
#[tokio::test]
async fn an_agent_marks_a_suggestion_as_not_answering_and_the_editor_adds_it() {
    let (app, kb) = app_with_kb().await;
    let question = "mag ik mijn kapotte kliko zelf repareren met tape";
    app.resident_says(None, question).await;
    let suggested = |app: &TestApp| {
        let result = app.state.chat.suggest(question, 3);
        let top = result.top().expect("a suggestion").clone();
        (top.id, top.confidence, top.not_answered)
    };
    let (article, before, listed) = suggested(&app);
    assert_eq!((article.as_str(), listed), ("container-kapot", None));

    let anna = app.login("anna", Role::Agent, None).await;
    let message = app.thread(1).await[0].id.to_string();
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let card = page
        .find(r#"<article class="suggestion" data-article="container-kapot">"#)
        .map(|at| &page[at..at + page[at..].find("</article>").expect("card end")])
        .expect("the card");
    for field in [
        r#"name="kind" value="not_answered""#.to_string(),
        r#"name="article" value="container-kapot""#.to_string(),
        format!(r#"name="message" value="{message}""#),
    ] {
        assert!(card.contains(&field), "{field} in {card}");
    }
    assert!(card.contains("Beantwoordt de vraag niet"), "{card}");

    let propose = |kind: &'static str| {
        let (app, anna, message) = (&app, &anna, message.clone());
        async move {
            let fields = [
                ("message", message.as_str()),
                ("article", "container-kapot"),
                ("kind", kind),
            ];
            app.act(anna, 1, "propose", &fields).await
        }
    };
    let res = propose("not_answered").await;
    assert_eq!(res.status(), 303);
    assert_eq!(
        res.headers()["location"].to_str().expect("ascii"),
        "/conversations/1#voorstel"
    );
    // Once per message and article: not also as an example question.
    propose("question").await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains("Dit bericht was al voorgesteld voor dit artikel."));
    let queue = pending(&app).await;
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0].kind, proposals::Kind::NotAnswered);

    let in_gaps = || async {
        let report = app.state.chat.gap_report(30).await.expect("report");
        (report.groups.iter())
            .flat_map(|g| g.questions.iter())
            .find(|q| q.text == question)
            .map(|q| q.listed.clone())
    };
    assert_eq!(
        in_gaps().await,
        Some(None),
        "no confident answer: a gap until an editor handles it"
    );
    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb/proposals", Some(&eva)).await).await;
    assert!(
        page.contains("1 voorstel, waarvan 1 vraag om aan een artikel toe te voegen"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "<span class=\"kind\">Beantwoordt het artikel niet:</span> <q>{question}</q>"
        )),
        "{page}"
    );
    let res = app
        .submit(
            &eva,
            "/kb/proposals/accept",
            &[("id", &queue[0].id.to_string())],
        )
        .await;
    assert_eq!(res.status(), 303);
    assert!(pending(&app).await.is_empty());
    assert_eq!(
        in_gaps().await,
        Some(Some("container-kapot".to_string())),
        "listed where the answer is not, it still needs one: it stays, marked"
    );
    let source = file(&kb, "afval/container-kapot.md");
    let listed_at = source.find("not_answered = [").expect("the list");
    assert!(source[listed_at..].contains(question), "{source}");
    let history = (app.state.chat.article_history("container-kapot").await).expect("history");
    assert_eq!(history[0].author, "eva");
    assert!(
        history[0]
            .comment
            .starts_with("Vraag die het artikel niet beantwoordt uit voorstel"),
        "{}",
        history[0].comment
    );

    let (article, after, listed) = suggested(&app);
    assert_eq!(article, "container-kapot");
    assert_eq!(listed.as_deref(), Some(question));
    assert!(after < before, "{after} < {before}");
}

/// The proposal box starts from the resident's question, not from the "nee" or thanks after
/// it, which are the newest messages more often than not; those are still there to choose.
#[tokio::test]
async fn the_proposal_box_offers_the_question_before_a_later_nee() {
    let (app, _kb) = app_with_kb().await;
    let token = app
        .resident_says(None, "mag mijn kerstboom bij het glas?")
        .await;
    app.resident_says(Some(&token), "nee").await;
    app.resident_says(Some(&token), "bedankt").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let thread = app.thread(1).await;
    let id = |text: &str| {
        (thread.iter())
            .find(|m| m.text == text)
            .unwrap_or_else(|| panic!("{text} in {thread:?}"))
            .id
    };
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let select = page
        .find(r#"<select name="message">"#)
        .map(|at| &page[at..at + page[at..].find("</select>").expect("select end")])
        .expect("the message select");
    let options: Vec<i64> = (select.split(r#"<option value=""#).skip(1))
        .map(|o| o[..o.find('"').expect("value end")].parse().expect("an id"))
        .collect();
    assert_eq!(
        options,
        vec![
            id("mag mijn kerstboom bij het glas?"),
            id("bedankt"),
            id("nee")
        ],
        "{select}"
    );
}
