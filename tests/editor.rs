//! The article editor pages: open, preview, try out, save (published or as a concept), stale
//! saves, history with restore, archive, and who may use them. Each test has a knowledge base
//! of its own in a temporary directory, so saves change only that.

use axum::http::StatusCode;
use vraagbaak::store::users::Role;

use crate::common::app::{Login, TestApp, editing_app, text};
use crate::common::{Kb, fixture_kb};

/// The app over a fixture knowledge base of its own, and an editor logged in.
async fn editor_app() -> (TestApp, Kb, Login) {
    let kb = fixture_kb();
    let app = editing_app(kb.path()).await;
    let eva = app.login("eva", Role::Editor, None).await;
    (app, kb, eva)
}

/// A valid new article about dog mess, as the form posts it.
fn dog_mess(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Hondenpoep melden"),
        ("questions", "er ligt hondenpoep op de stoep"),
        ("questions", "waar meld ik hondenpoep"),
        ("questions", "hondenpoep in het speeltuintje"),
        ("questions", ""),
        ("not_answered", "hoe hoog is de boete voor hondenpoep"),
        ("not_answered", ""),
        ("keywords", "hondendrol"),
        ("tags", "openbare-ruimte"),
        ("department", "Publiekszaken"),
        ("link_title", "Melding doen"),
        ("link_url", "/melding"),
        ("bot", "on"),
        ("body", "Meld **hondenpoep** via de app of bel 14 0347."),
        ("comment", "eerste versie"),
        ("action", action),
    ]
}

/// The value of the hidden `version` field on an editor page.
fn version_on(page: &str) -> String {
    let start = page
        .find("name=\"version\" value=\"")
        .expect("a version field")
        + 22;
    page[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Whether `id` is the first suggestion for `message` now.
fn suggested_first(app: &TestApp, message: &str, id: &str) -> bool {
    app.state
        .chat
        .suggest(message, 3)
        .suggestions
        .first()
        .is_some_and(|s| s.id == id)
}

async fn flash_page(
    app: &TestApp,
    login: &Login,
    res: axum::http::Response<axum::body::Body>,
) -> String {
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    text(app.get(&location, Some(login)).await).await
}

#[tokio::test]
async fn an_editor_opens_an_article_with_every_field_as_a_form() {
    let (app, _kb, eva) = editor_app().await;
    let res = app.get("/kb/articles/paspoort-aanvragen", Some(&eva)).await;
    assert_eq!(res.status(), 200);
    let page = text(res).await;
    assert!(
        page.contains("name=\"title\" value=\"Paspoort aanvragen\""),
        "{page}"
    );
    assert!(page.contains("name=\"questions\" value=\"wat kost een paspoort\""));
    assert!(page.contains("<option value=\"Publiekszaken\" selected>"));
    assert!(page.contains("type=\"date\" id=\"f-valid_from\""));
    assert!(page.contains("name=\"link_url\" value=\"/info\""));
    assert_eq!(version_on(&page).len(), 64, "the file's version is carried");
    assert!(page.contains("Zo ziet de inwoner het in de webchat"));
    assert!(page.contains("Zo ziet de inwoner het op WhatsApp"));
    assert!(page.contains("Antwoord over Paspoort aanvragen."));
    let missing = app.get("/kb/articles/bestaat-niet", Some(&eva)).await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn a_new_article_is_saved_and_then_suggested() {
    let (app, kb, eva) = editor_app().await;
    assert!(!suggested_first(
        &app,
        "hondenpoep op de stoep",
        "hondenpoep-melden"
    ));
    let preview = text(
        app.submit(&eva, "/kb/articles/new", &dog_mess("preview"))
            .await,
    )
    .await;
    assert!(
        preview.contains("<code>hondenpoep-melden</code>"),
        "the id is shown before saving"
    );
    assert!(
        preview.contains("<strong>hondenpoep</strong>"),
        "the preview renders Markdown"
    );

    let res = app
        .submit(&eva, "/kb/articles/new", &dog_mess("publish"))
        .await;
    assert_eq!(res.headers()["location"], "/kb/articles/hondenpoep-melden");
    let page = flash_page(&app, &eva, res).await;
    assert!(
        page.contains("Opgeslagen; het antwoord wordt nu voorgesteld."),
        "{page}"
    );
    let file = std::fs::read_to_string(kb.path().join("openbare-ruimte/hondenpoep-melden.md"))
        .expect("the article's file");
    assert!(
        file.contains("not_answered = [\n  \"hoe hoog is de boete voor hondenpoep\",\n]\n"),
        "{file}"
    );
    assert!(
        page.contains("name=\"not_answered\" value=\"hoe hoog is de boete voor hondenpoep\""),
        "the reopened form keeps the unanswered question"
    );
    assert!(suggested_first(
        &app,
        "hondenpoep op de stoep",
        "hondenpoep-melden"
    ));
    let fine = app
        .state
        .chat
        .suggest("hoe hoog is de boete als je hondenpoep laat liggen", 3);
    let article = (fine.suggestions.iter())
        .find(|s| s.id == "hondenpoep-melden")
        .expect("the new article is suggested");
    assert_eq!(
        article.not_answered.as_deref(),
        Some("hoe hoog is de boete voor hondenpoep")
    );
    let history = app
        .state
        .chat
        .article_history("hondenpoep-melden")
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].author.as_str(), history[0].comment.as_str()),
        ("eva", "eerste versie")
    );
}

#[tokio::test]
async fn an_invalid_save_shows_the_problem_at_its_field_keeps_the_form_and_writes_nothing() {
    let (app, kb, eva) = editor_app().await;
    let mut fields = dog_mess("publish");
    fields.retain(|(k, v)| !(*k == "questions" && v.starts_with("waar")));
    fields.retain(|(k, _)| *k != "department");
    let res = app.submit(&eva, "/kb/articles/new", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text(res).await;
    assert!(page.contains("Het artikel is niet opgeslagen."), "{page}");
    let at_questions = page
        .split("id=\"err-questions\"")
        .nth(1)
        .expect("questions' problems");
    assert!(
        at_questions
            .split("</ul>")
            .next()
            .unwrap_or_default()
            .contains("minstens 3 nodig")
    );
    assert!(page.contains("id=\"err-department\""));
    assert!(
        page.contains("aria-describedby=\"err-department\""),
        "the field points at its problem"
    );
    assert!(
        page.contains("value=\"hondenpoep in het speeltuintje\""),
        "the form is kept as typed"
    );
    assert!(
        !kb.path().join("openbare-ruimte").exists(),
        "nothing written"
    );
    let history = app
        .state
        .chat
        .article_history("hondenpoep-melden")
        .await
        .expect("history");
    assert!(history.is_empty());
}

#[tokio::test]
async fn a_save_over_a_newer_version_is_refused_with_a_diff() {
    let (app, kb, eva) = editor_app().await;
    let page = text(app.get("/kb/articles/container-kapot", Some(&eva)).await).await;
    let opened = version_on(&page);
    // Meanwhile the file changes on disk.
    let path = kb.path().join("afval/container-kapot.md");
    let theirs = std::fs::read_to_string(&path)
        .expect("file")
        .replace("Antwoord over", "Nieuw antwoord over");
    std::fs::write(&path, &theirs).expect("write");

    let mut fields = vec![
        ("version", opened.as_str()),
        ("title", "Container kapot"),
        ("questions", "mijn kliko is kapot"),
        ("questions", "deksel van de container is afgebroken"),
        ("questions", "wieltjes van de bak zijn stuk"),
        ("tags", "afval"),
        ("department", "Publiekszaken"),
        ("body", "Mijn eigen antwoord over de container."),
    ];
    fields.push(("action", "publish"));
    let res = app
        .submit(&eva, "/kb/articles/container-kapot", &fields)
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let page = text(res).await;
    assert!(
        page.contains("iemand anders heeft dit artikel intussen gewijzigd"),
        "{page}"
    );
    assert!(
        page.contains("<del>-Nieuw antwoord over Container kapot.</del>"),
        "{page}"
    );
    assert!(page.contains("<ins>+Mijn eigen antwoord over de container.</ins>"));
    assert!(
        page.contains(
            "href=\"/kb/articles/container-kapot\">Begin opnieuw vanaf de nieuwste versie"
        )
    );
    assert!(
        page.contains("readonly>+++"),
        "the editor's own text is kept"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("file"),
        theirs,
        "nothing overwritten"
    );
}

#[tokio::test]
async fn a_draft_is_not_suggested_until_it_is_published() {
    let (app, kb, eva) = editor_app().await;
    let res = app
        .submit(&eva, "/kb/articles/new", &dog_mess("draft"))
        .await;
    let page = flash_page(&app, &eva, res).await;
    assert!(page.contains("Opgeslagen als concept; het wordt nog niet voorgesteld."));
    assert!(
        page.contains("<strong>Concept.</strong>"),
        "the draft is opened: {page}"
    );
    assert!(page.contains("name=\"title\" value=\"Hondenpoep melden\""));
    assert!(
        !kb.path()
            .join("openbare-ruimte/hondenpoep-melden.md")
            .exists()
    );
    assert!(!suggested_first(
        &app,
        "hondenpoep op de stoep",
        "hondenpoep-melden"
    ));

    let mut publish = dog_mess("publish");
    publish.push(("version", ""));
    let res = app
        .submit(&eva, "/kb/articles/hondenpoep-melden", &publish)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(suggested_first(
        &app,
        "hondenpoep op de stoep",
        "hondenpoep-melden"
    ));
}

#[tokio::test]
async fn restoring_an_old_version_is_a_new_revision() {
    let (app, kb, eva) = editor_app().await;
    app.submit(&eva, "/kb/articles/new", &dog_mess("publish"))
        .await;
    let first = std::fs::read_to_string(kb.path().join("openbare-ruimte/hondenpoep-melden.md"))
        .expect("file");
    let page = text(app.get("/kb/articles/hondenpoep-melden", Some(&eva)).await).await;
    let version = version_on(&page);
    let mut second = dog_mess("publish");
    second.retain(|(k, _)| *k != "body");
    second.push(("body", "Bel 14 0347 over hondenpoep."));
    second.push(("version", version.as_str()));
    let res = app
        .submit(&eva, "/kb/articles/hondenpoep-melden", &second)
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let history = text(
        app.get("/kb/articles/hondenpoep-melden/history", Some(&eva))
            .await,
    )
    .await;
    assert!(
        history.contains("<del>-Meld **hondenpoep** via de app of bel 14 0347.</del>"),
        "{history}"
    );
    assert!(history.contains("<ins>+Bel 14 0347 over hondenpoep.</ins>"));
    assert!(history.contains("gepubliceerd, nu in gebruik"));
    let revisions = app
        .state
        .chat
        .article_history("hondenpoep-melden")
        .await
        .expect("history");
    let (oldest, current) = (revisions[1].id, version_on(&history));
    let res = app
        .submit(
            &eva,
            &format!("/kb/articles/hondenpoep-melden/history/{oldest}/restore"),
            &[("version", current.as_str())],
        )
        .await;
    let page = flash_page(&app, &eva, res).await;
    assert!(
        page.contains("De gekozen versie is hersteld als nieuwe versie"),
        "{page}"
    );
    let revisions = app
        .state
        .chat
        .article_history("hondenpoep-melden")
        .await
        .expect("history");
    assert_eq!(revisions.len(), 3);
    assert_eq!(revisions[0].author, "eva");
    assert_eq!(revisions[0].comment, "Versie 1 hersteld");
    let history = text(
        app.get("/kb/articles/hondenpoep-melden/history", Some(&eva))
            .await,
    )
    .await;
    assert!(
        history.contains("<h2>Versie 3 <small>"),
        "numbered per article: {history}"
    );
    let on_disk = std::fs::read_to_string(kb.path().join("openbare-ruimte/hondenpoep-melden.md"))
        .expect("file");
    assert_eq!(on_disk, first);
}

#[tokio::test]
async fn archiving_asks_first_then_stops_the_suggestions_and_keeps_the_history() {
    let (app, _kb, eva) = editor_app().await;
    assert!(suggested_first(
        &app,
        "mijn kliko is kapot",
        "container-kapot"
    ));
    let confirm = text(
        app.get("/kb/articles/container-kapot/archive", Some(&eva))
            .await,
    )
    .await;
    assert!(confirm.contains("Ja, archiveer dit artikel"));
    let version = version_on(&confirm);
    let unconfirmed = app
        .submit(
            &eva,
            "/kb/articles/container-kapot/archive",
            &[("version", version.as_str())],
        )
        .await;
    assert_eq!(
        unconfirmed.headers()["location"],
        "/kb/articles/container-kapot/archive"
    );
    assert!(suggested_first(
        &app,
        "mijn kliko is kapot",
        "container-kapot"
    ));

    let res = app
        .submit(
            &eva,
            "/kb/articles/container-kapot/archive",
            &[("version", version.as_str()), ("confirm", "ja")],
        )
        .await;
    let history = flash_page(&app, &eva, res).await;
    assert!(
        history.contains("Het artikel is gearchiveerd en wordt niet meer voorgesteld."),
        "{history}"
    );
    assert!(history.contains("gearchiveerd"));
    assert!(history.contains("Dit artikel staat niet (meer) in de kennisbank"));
    assert!(
        !history.contains("Terug naar het artikel"),
        "it cannot be opened"
    );

    let audit = app
        .state
        .chat
        .store
        .call(|c| vraagbaak::store::audit::recent(c, 5))
        .await
        .expect("audit log");
    assert!(
        audit
            .iter()
            .any(|e| e.action == "kb.archive" && e.detail == "container-kapot" && e.actor == "eva"),
        "{audit:?}"
    );
    assert!(!suggested_first(
        &app,
        "mijn kliko is kapot",
        "container-kapot"
    ));

    // "Herstel deze versie" puts it back.
    let archived = app
        .state
        .chat
        .article_history("container-kapot")
        .await
        .expect("history")[0]
        .id;
    let res = app
        .submit(
            &eva,
            &format!("/kb/articles/container-kapot/history/{archived}/restore"),
            &[("version", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(suggested_first(
        &app,
        "mijn kliko is kapot",
        "container-kapot"
    ));
}

#[tokio::test]
async fn trying_the_example_questions_flags_one_another_article_wins() {
    let (app, _kb, eva) = editor_app().await;
    let mut fields = dog_mess("probe");
    fields.push(("questions", "wat kost een paspoort"));
    let page = text(app.submit(&eva, "/kb/articles/new", &fields).await).await;
    assert!(
        page.contains("Plaats van dit artikel per voorbeeldvraag"),
        "{page}"
    );
    assert!(
        page.contains(
            "<strong>Conflict of dubbel:</strong> <a href=\"/kb/articles/paspoort-aanvragen\">"
        ),
        "{page}"
    );
    assert!(page.contains("1 conflict"));
    assert!(
        !suggested_first(&app, "hondenpoep op de stoep", "hondenpoep-melden"),
        "nothing saved"
    );
}

#[tokio::test]
async fn the_free_box_shows_the_top_five_with_why() {
    let (app, _kb, eva) = editor_app().await;
    let mut fields = dog_mess("ask");
    fields.push(("probe_message", "hondenpoep bij de speeltuin"));
    let page = text(app.submit(&eva, "/kb/articles/new", &fields).await).await;
    let first = page
        .split("<ol class=\"explained\">")
        .nth(1)
        .expect("results");
    assert!(
        first.contains("Hondenpoep melden"),
        "the draft article takes part: {page}"
    );
    assert!(
        first.contains("<dt>Voorbeeldvragen</dt><dd>hondenpoep"),
        "{first}"
    );
    assert!(first.contains("Waarop de zekerheid is gebaseerd"));
    assert!(first.contains("<code>coverage</code>"));
}

#[tokio::test]
async fn the_live_preview_answers_with_both_channels() {
    let (app, _kb, eva) = editor_app().await;
    let res = app
        .submit(&eva, "/kb/articles/new/preview", &dog_mess("preview"))
        .await;
    assert_eq!(res.status(), 200);
    let html = text(res).await;
    assert!(
        html.contains("in de webchat") && html.contains("op WhatsApp"),
        "{html}"
    );
    assert!(html.contains("<strong>hondenpoep</strong>"));
    assert!(
        html.contains("Het artikel krijgt de id (bestandsnaam) <code>hondenpoep-melden</code>"),
        "{html}"
    );
    assert!(html.contains("9 van de maximaal 160 woorden"), "{html}");
}

#[tokio::test]
async fn agents_get_403_on_every_editor_page_and_action() {
    let (app, kb, _eva) = editor_app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    for path in [
        "/kb/articles/new",
        "/kb/articles/container-kapot",
        "/kb/articles/container-kapot/history",
        "/kb/articles/container-kapot/archive",
    ] {
        let res = app.get(path, Some(&anna)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    for path in [
        "/kb/articles/new",
        "/kb/articles/new/preview",
        "/kb/articles/container-kapot",
        "/kb/articles/container-kapot/history/1/restore",
        "/kb/articles/container-kapot/archive",
    ] {
        let res = app.submit(&anna, path, &dog_mess("publish")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
    }
    assert!(!kb.path().join("openbare-ruimte").exists());
    assert!(kb.path().join("afval/container-kapot.md").is_file());
}

#[tokio::test]
async fn a_new_article_titled_like_a_pending_draft_gets_an_id_of_its_own() {
    let (app, _kb, eva) = editor_app().await;
    let res = app
        .submit(&eva, "/kb/articles/new", &dog_mess("draft"))
        .await;
    assert_eq!(res.headers()["location"], "/kb/articles/hondenpoep-melden");
    let page = text(
        app.submit(&eva, "/kb/articles/new", &dog_mess("preview"))
            .await,
    )
    .await;
    assert!(page.contains("<code>hondenpoep-melden-2</code>"), "{page}");
}
