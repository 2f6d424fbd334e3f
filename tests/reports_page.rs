//! The reports page (`/rapportages`) and its CSV downloads: who may see them, what they show
//! for a few real conversations, and how bad filter input is answered.

use axum::http::{StatusCode, header};
use vraagbaak::store::users::Role;

use crate::common::app::{Login, TestApp, app, text};

/// Two residents write in the web chat; an agent answers the first one.
async fn traffic(app: &TestApp) -> Login {
    let agent = app.login("anna", Role::Agent, None).await;
    app.resident_says(None, "mijn paspoort is verlopen, wat nu?")
        .await;
    app.resident_says(None, "wanneer wordt de groene container geleegd")
        .await;
    let res = app
        .act(
            &agent,
            1,
            "reply",
            &[("text", "U kunt een afspraak maken.")],
        )
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    agent
}

#[tokio::test]
async fn a_teamleider_and_an_admin_see_the_report_with_charts_and_tables() {
    let app = app().await;
    traffic(&app).await;
    for (name, role) in [("tessa", Role::Teamleider), ("bert", Role::Admin)] {
        let login = app.login(name, role, None).await;
        let res = app.get("/rapportages", Some(&login)).await;
        assert_eq!(res.status(), StatusCode::OK, "{name}");
        let page = text(res).await;
        assert!(page.contains(r#"<a href="/rapportages" aria-current="page">Rapportages</a>"#));
        assert!(
            page.contains("<strong>2</strong> nieuwe gesprekken"),
            "{page}"
        );
        assert!(
            page.contains("<title id=\"grafiek-per-dag-title\">Nieuwe gesprekken per dag</title>")
        );
        assert!(page.contains("<title id=\"grafiek-uur-van-de-week-title\">"));
        assert!(page.contains("role=\"img\""));
        assert!(page.contains("<caption id=\"tabel-bot\">"));
        assert!(page.contains("href=\"/rapportages/gesprekken.csv?period=week\""));
        assert!(page.contains("href=\"/rapportages/labels.csv?period=week\""));
        assert!(page.contains("<h2 id=\"h-agents\">Per medewerker</h2>"));
        assert!(
            page.contains("<th scope=\"row\">anna</th>"),
            "anna answered one"
        );
        assert!(!page.contains("Geen gesprekken in deze periode"));
    }
}

#[tokio::test]
async fn agents_and_editors_get_403_and_no_menu_item() {
    let app = app().await;
    for (name, role) in [("anna", Role::Agent), ("els", Role::Editor)] {
        let login = app.login(name, role, None).await;
        for path in [
            "/rapportages",
            "/rapportages/gesprekken.csv",
            "/rapportages/bot.csv",
        ] {
            let res = app.get(path, Some(&login)).await;
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{name} {path}");
            assert!(
                text(res)
                    .await
                    .contains("U heeft geen rechten voor deze pagina.")
            );
        }
        let inbox = text(app.get("/inbox", Some(&login)).await).await;
        assert!(
            !inbox.contains("/rapportages"),
            "{name} has no Rapportages link"
        );
    }
    let res = app.get("/rapportages", None).await;
    assert!(
        res.status().is_redirection(),
        "not logged in: to the login form"
    );
}

#[tokio::test]
async fn a_teamleider_works_conversations_like_an_agent_but_edits_nothing() {
    let app = app().await;
    let lead = app.login("tessa", Role::Teamleider, None).await;
    app.resident_says(None, "mijn paspoort is verlopen").await;
    let res = app
        .act(&lead, 1, "reply", &[("text", "Maak een afspraak.")])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(app.thread(1).await.len(), 2, "the reply is stored");
    assert_eq!(
        app.get("/admin", Some(&lead)).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/kb/gaps", Some(&lead)).await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn an_empty_period_says_so_instead_of_drawing_empty_charts() {
    let app = app().await;
    traffic(&app).await;
    let lead = app.login("tessa", Role::Teamleider, None).await;
    let res = app
        .get(
            "/rapportages?period=aangepast&from=2020-01-01&to=2020-01-31",
            Some(&lead),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(page.contains("Geen gesprekken in deze periode."));
    assert!(!page.contains("grafiek-per-dag"), "no empty charts");
    assert!(page.contains("Periode: <strong>01-01-2020 t/m 31-01-2020</strong>"));
    assert!(
        page.contains("Kennisbank-gezondheid"),
        "the KB's health does not depend on it"
    );
}

#[tokio::test]
async fn bad_filter_input_is_named_next_to_its_field() {
    let app = app().await;
    let lead = app.login("tessa", Role::Teamleider, None).await;
    let cases = [
        (
            "period=aangepast&from=2026-02-30&to=2026-03-01",
            "err-from",
            "‘2026-02-30’ is geen datum",
        ),
        (
            "period=aangepast&from=2026-03-02&to=2026-03-01",
            "err-to",
            "De einddatum (2026-03-01) ligt vóór de begindatum (2026-03-02).",
        ),
        (
            "period=aangepast&from=2026-03-02",
            "err-to",
            "Vul een datum in.",
        ),
        ("period=jaar", "err-period", "Onbekende periode ‘jaar’"),
        (
            "channel=%3Cfax%3E",
            "err-channel",
            "Onbekend kanaal ‘&#60;fax&#62;’",
        ),
        (
            "department=nergens",
            "err-department",
            "Onbekende afdeling ‘nergens’",
        ),
    ];
    for (query, id, message) in cases {
        let res = app.get(&format!("/rapportages?{query}"), Some(&lead)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{query}");
        let page = text(res).await;
        assert!(
            page.contains(&format!(r#"<p class="error" id="{id}">{message}"#)),
            "{query}: {page}"
        );
        assert!(page.contains("aria-invalid=\"true\""));
        assert!(!page.contains("<fax>"), "input is escaped: {page}");
    }
    let res = app
        .get(
            "/rapportages/bot.csv?period=aangepast&from=gisteren&to=2026-01-01",
            Some(&lead),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(text(res).await.contains("‘gisteren’ is geen datum"));
}

#[tokio::test]
async fn every_table_downloads_as_csv_with_its_header_row() {
    let app = app().await;
    traffic(&app).await;
    let lead = app.login("tessa", Role::Teamleider, None).await;
    let page = text(app.get("/rapportages", Some(&lead)).await).await;
    let links: Vec<&str> = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|href| href.starts_with("/rapportages/"))
        .collect();
    assert_eq!(links.len(), 15, "{links:?}");
    for href in links {
        let href = href.replace("&amp;", "&");
        let res = app.get(&href, Some(&lead)).await;
        assert_eq!(res.status(), StatusCode::OK, "{href}");
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            "text/csv; charset=utf-8",
            "{href}"
        );
        let disposition = res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .to_string();
        assert!(
            disposition.starts_with("attachment; filename=\"rapportage-"),
            "{disposition}"
        );
        let body = text(res).await;
        assert!(body.lines().count() >= 1, "{href}: a header row");
    }
    let conversations = text(app.get("/rapportages/gesprekken.csv", Some(&lead)).await).await;
    let mut lines = conversations.lines();
    assert_eq!(
        lines.next(),
        Some("id,channel,started,first_response,resolved,labels,department,bot_handled,helpful")
    );
    assert_eq!(lines.count(), 2, "one row per conversation");
    let channels = text(app.get("/rapportages/kanalen.csv", Some(&lead)).await).await;
    assert_eq!(
        channels.lines().collect::<Vec<_>>(),
        [
            "Kanaal,Gesprekken,Berichten van inwoners",
            "Webchat,2,2",
            "Totaal,2,2"
        ]
    );
    let agents = text(app.get("/rapportages/medewerkers.csv", Some(&lead)).await).await;
    assert!(
        agents.starts_with("Medewerker,Gesprekken,Antwoorden,Mediaan eerste reactie\nanna,1,1,"),
        "{agents}"
    );
    let res = app.get("/rapportages/bestaat-niet.csv", Some(&lead)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.get("/rapportages/bot.txt", Some(&lead)).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_teamleider_of_one_department_sees_only_its_figures() {
    let app = app().await;
    let agent = traffic(&app).await;
    let res = app
        .act(&agent, 2, "forward", &[("department", "vergunningen")])
        .await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let lead = app
        .login("vera", Role::Teamleider, Some("vergunningen"))
        .await;
    let res = app.get("/rapportages", Some(&lead)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = text(res).await;
    assert!(
        page.contains("<strong>1</strong> nieuwe gesprekken"),
        "{page}"
    );
    assert!(page.contains("<option value=\"\">Uw afdeling</option>"));
    assert!(
        !page.contains("value=\"belastingen\""),
        "only their own department is offered"
    );
    let csv = text(app.get("/rapportages/gesprekken.csv", Some(&lead)).await).await;
    assert_eq!(
        csv.lines().count(),
        2,
        "header and the one forwarded conversation"
    );

    let res = app
        .get("/rapportages?department=belastingen", Some(&lead))
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(text(res).await.contains(
        r#"<p class="error" id="err-department">U ziet alleen de cijfers van uw afdeling, Vergunningen.</p>"#
    ));
    let res = app
        .get(
            "/rapportages/gesprekken.csv?department=belastingen",
            Some(&lead),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
