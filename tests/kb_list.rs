//! The knowledge-base page for editors (every article with status and usage, filters, sort,
//! "Controle nodig") and what an agent's reply records about the article it used.

use vraagbaak::store::usage;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app, text};

/// The suggestions stored for the first resident message of conversation 1.
async fn stored_suggestions(app: &TestApp, message: i64) -> Vec<String> {
    app.state
        .chat
        .store
        .call(move |c| vraagbaak::store::conversations::shown_suggestions(c, message))
        .await
        .expect("store")
        .into_iter()
        .map(|s| s.article_id)
        .collect()
}

async fn recorded(app: &TestApp, message: i64) -> Vec<usage::RecordedReply> {
    app.state
        .chat
        .store
        .call(move |c| usage::replies_to(c, message))
        .await
        .expect("store")
}

#[tokio::test]
async fn a_reply_records_the_article_its_rank_and_where_the_agent_found_it() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen, wat nu?").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let asked = app.thread(1).await[0].id;
    let suggested = stored_suggestions(&app, asked).await;
    assert!(suggested.len() >= 2, "{suggested:?}");

    // The second suggestion, from the conversation page (no `via`: it was a suggestion).
    let res = app
        .act(&anna, 1, "reply", &[("text", "Zie hieronder."), ("article", &suggested[1])])
        .await;
    assert_eq!(res.status(), 303);
    // An article found through the knowledge-base search.
    let res = app
        .act(
            &anna,
            1,
            "reply",
            &[("text", "Nog iets."), ("article", "afvalkalender"), ("via", "search")],
        )
        .await;
    assert_eq!(res.status(), 303);
    // The agent's own words.
    app.act(&anna, 1, "reply", &[("text", "Groet, Anna")]).await;

    let replies = recorded(&app, asked).await;
    assert_eq!(replies.len(), 3);
    assert_eq!(replies[0].article_id.as_deref(), Some(suggested[1].as_str()));
    assert_eq!(replies[0].rank, Some(2));
    assert_eq!(replies[0].via, Some(vraagbaak::chat::Via::Suggestion));
    assert_eq!(replies[1].rank, None, "afvalkalender was not suggested");
    assert_eq!(replies[1].via, Some(vraagbaak::chat::Via::Search));
    assert_eq!((replies[2].article_id.as_deref(), replies[2].via), (None, None));
    assert_eq!(replies[2].text, "Groet, Anna");
}

#[tokio::test]
async fn a_reply_answers_the_question_not_a_later_thank_you() {
    let app = app().await;
    let token = app.resident_says(None, "mijn paspoort is verlopen, wat nu?").await;
    app.resident_says(Some(&token), "bedankt alvast").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let question = app.thread(1).await[0].id;
    let first = stored_suggestions(&app, question).await.remove(0);
    app.act(&anna, 1, "reply", &[("text", "Zo werkt het."), ("article", &first)])
        .await;
    let replies = recorded(&app, question).await;
    assert_eq!(replies.len(), 1, "the reply answers the question");
    assert_eq!(replies[0].rank, Some(1));
}

#[tokio::test]
async fn an_unknown_via_is_refused_by_name() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let res = app
        .act(&anna, 1, "reply", &[("text", "Hallo"), ("via", "gok")])
        .await;
    assert_eq!(res.status(), 400);
    assert!(text(res).await.contains("gok"));
}

#[tokio::test]
async fn the_search_from_a_conversation_carries_the_article_and_search_into_the_reply_form() {
    let app = app().await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    assert!(page.contains(r#"name="conversation" value="1""#), "the search form says where it came from");
    assert!(page.contains(r#"data-via="suggestion""#));

    let found = text(app.get("/kb?q=grofvuil&conversation=1", Some(&anna)).await).await;
    assert!(found.contains("/conversations/1?use="), "{found}");
    assert!(found.contains("&amp;via=search#reply"));
    assert!(!found.contains("Controle nodig"), "agents keep the search as it is");

    let id = "grofvuil";
    let page = text(
        app.get(&format!("/conversations/1?use={id}&via=search"), Some(&anna))
            .await,
    )
    .await;
    assert!(page.contains(r#"id="reply-via" value="search""#), "{page}");
    let page = text(app.get(&format!("/conversations/1?use={id}"), Some(&anna)).await).await;
    assert!(page.contains(r#"id="reply-via" value="suggestion""#));
}

#[tokio::test]
async fn editors_see_every_article_with_status_usage_and_what_needs_a_review() {
    let app = app().await;
    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb", Some(&eva)).await).await;
    let articles = app.state.chat.engine.snapshot().articles.len();
    assert!(page.contains(&format!("{articles} artikelen; gebruik in de laatste 30 dagen")), "{page}");
    assert!(page.contains(r#"href="/kb/articles/paspoort-aanvragen""#));
    assert!(page.contains("Controle nodig"));
    assert!(page.contains(r#"href="/kb/articles/new""#));
    assert!(page.contains(r#"href="/kb/gaps""#));
    assert!(page.contains(r#"<a href="/kb/proposals">Voorstellen om te beoordelen (0)</a>"#));
    assert!(page.contains(r#"aria-sort="ascending"><a href="/kb?#artikelen">Titel"#), "{page}");
}

#[tokio::test]
async fn the_list_filters_by_get_parameters_and_sorts_by_usage() {
    let app = app().await;
    // Three suggestions stored for one message: those three lead when sorted by them.
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let eva = app.login("eva", Role::Editor, None).await;
    let asked = app.thread(1).await[0].id;
    let suggested = stored_suggestions(&app, asked).await;

    let page = text(app.get("/kb?sort=suggested", Some(&eva)).await).await;
    assert!(page.contains(r#"aria-sort="descending"><a href="/kb?sort=suggested#artikelen">Voorgesteld"#), "{page}");
    let table = &page[page.find("<tbody>").expect("a table")..];
    let rows: Vec<&str> = table.split("</tr>").collect();
    for row in &rows[..suggested.len()] {
        assert!(suggested.iter().any(|id| row.contains(&format!("/kb/articles/{id}\""))), "{row}");
    }
    let unsorted = text(app.get("/kb", Some(&eva)).await).await;
    let table = &unsorted[unsorted.find("<tbody>").expect("a table")..];
    let first = table.split("</tr>").next().expect("a row");
    assert!(!suggested.iter().any(|id| first.contains(&format!("/kb/articles/{id}\""))), "by title, another article is first");

    let page = text(app.get("/kb?category=afval&status=published", Some(&eva)).await).await;
    let table = &page[page.find("<tbody>").expect("a table")..];
    assert!(table.contains("/kb/articles/grofvuil"));
    assert!(!table.contains("/kb/articles/paspoort-aanvragen"));
    let page = text(app.get("/kb?status=draft", Some(&eva)).await).await;
    assert!(page.contains("Geen artikelen met deze filters."));
}

#[tokio::test]
async fn concepts_show_as_concept_or_pending_change_and_missing_owners_need_a_review() {
    use vraagbaak::chat::editing::Edit;
    use vraagbaak::kb::write::{self, Expected};

    let kb = crate::common::fixture_kb();
    let app = crate::common::app::editing_app(kb.path()).await;
    let current = write::read(kb.path(), "container-kapot")
        .expect("read")
        .expect("the article exists");
    let changed = current.source.replace("Antwoord over", "Nieuw antwoord over");
    let concept = crate::common::valid_article("Grofvuil", &["grofvuil ophalen", "bank weggooien", "oude kast kwijt"], "afval", "");
    for (id, source, expected) in [
        ("container-kapot", changed.as_str(), Expected::Version(current.version.clone())),
        ("grofvuil", concept.as_str(), Expected::New),
    ] {
        app.state
            .chat
            .save_article(Edit {
                id,
                source,
                expected,
                author: "eva",
                comment: "concept",
                draft: true,
            })
            .await
            .expect("saved as a concept");
    }
    let eva = app.login("eva", Role::Editor, None).await;
    let page = text(app.get("/kb", Some(&eva)).await).await;
    let row = |id: &str| {
        let table = &page[page.find("<tbody>").expect("a table")..];
        let start = table.find(&format!("/kb/articles/{id}\"")).expect("a row");
        table[start..].split("</tr>").next().expect("row end").to_string()
    };
    assert!(row("container-kapot").contains("<td>wijziging in concept</td>"), "{page}");
    assert!(row("grofvuil").contains("<td>concept</td>"));
    assert!(row("paspoort-aanvragen").contains("<td>gepubliceerd</td>"));
    // The fixture articles have no owner and no review date.
    assert!(page.contains("Controle nodig (3)"), "{page}");
    assert!(page.contains("nooit gecontroleerd; geen eigenaar"));
    let drafts = text(app.get("/kb?status=draft", Some(&eva)).await).await;
    let table = &drafts[drafts.find("<tbody>").expect("a table")..];
    assert!(table.contains("/kb/articles/grofvuil\"") && !table.contains("container-kapot"));
}
