//! "Niet vernietigen" from the dashboard (issue 13): a lead sees a conversation's selectielijst
//! result and term, puts it on hold with a reason and releases it; a held conversation is not
//! due for destruction. Agents and editors neither see nor use it.

use chrono::{Months, Utc};
use vraagbaak::archive::purge;
use vraagbaak::config::Config;
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app, text};

/// One closed conversation from a resident; its id.
async fn closed_conversation(app: &TestApp) -> i64 {
    app.resident_says(None, "wanneer wordt het grofvuil opgehaald")
        .await;
    let closer = app.login("kees", Role::Agent, None).await;
    let res = app.act(&closer, 1, "status", &[("status", "closed")]).await;
    assert_eq!(res.status(), 303);
    1
}

/// The conversations due for destruction two years from now.
async fn due_in_two_years(app: &TestApp) -> Vec<i64> {
    let store = app.state.chat.store.clone();
    let as_of = Utc::now()
        .date_naive()
        .checked_add_months(Months::new(24))
        .expect("date");
    tokio::task::spawn_blocking(move || purge::due(&store, &Config::default(), as_of))
        .await
        .expect("joins")
        .expect("due")
        .into_iter()
        .map(|d| d.id)
        .collect()
}

async fn audited(app: &TestApp, action: &'static str) -> i64 {
    app.state
        .chat
        .store
        .call(move |c| {
            Ok(c.query_row(
                "SELECT count(*) FROM audit_log WHERE action = ?1 AND conversation_id = 1",
                [action],
                |r| r.get(0),
            )?)
        })
        .await
        .expect("store")
}

#[tokio::test]
async fn a_lead_holds_a_conversation_and_it_is_not_due_until_released() {
    let app = app().await;
    let id = closed_conversation(&app).await;
    let lead = app.login("lotte", Role::Teamleider, None).await;
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains(r#"id="archief""#), "{page}");
    assert!(
        page.contains("6.1.3 informatieverzoek: vernietigen 1 jaar na het sluiten"),
        "the default result and its term are shown"
    );
    let closed_on = vraagbaak::archive::local_date(Utc::now());
    let end = closed_on.checked_add_months(Months::new(12)).expect("date");
    assert!(
        page.contains(&format!(
            "de termijn eindigt op {}",
            end.format("%-d-%-m-%Y")
        )),
        "the day the term ends: {page}"
    );
    assert_eq!(due_in_two_years(&app).await, vec![id]);

    // A hold needs a reason; without one nothing is held and the box says why.
    let res = app
        .act(&lead, id, "archive/hold", &[("reason", "  ")])
        .await;
    assert_eq!(res.status(), 303);
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains(r#"id="archive-error""#), "{page}");
    assert!(page.contains("Geef een reden"));
    assert_eq!(due_in_two_years(&app).await, vec![id]);

    let res = app
        .act(
            &lead,
            id,
            "archive/hold",
            &[("reason", "Woo-verzoek 2026-14")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains("door lotte: Woo-verzoek 2026-14"), "{page}");
    assert!(page.contains(r#"id="archive-release""#));
    assert!(
        !page.contains(r#"id="archive-error""#),
        "the error was shown once"
    );
    assert!(due_in_two_years(&app).await.is_empty(), "held: never due");
    assert_eq!(audited(&app, "archive.hold").await, 1);

    // Holding again keeps the first hold and is not audited twice.
    app.act(&lead, id, "archive/hold", &[("reason", "ander verzoek")])
        .await;
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains("Woo-verzoek 2026-14") && !page.contains("ander verzoek"));
    assert_eq!(audited(&app, "archive.hold").await, 1);

    let res = app.act(&lead, id, "archive/release", &[]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(due_in_two_years(&app).await, vec![id]);
    assert_eq!(audited(&app, "archive.release").await, 1);
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains(r#"id="archive-hold""#));
    // Releasing what is not held says so.
    app.act(&lead, id, "archive/release", &[]).await;
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains("stond niet (meer) vast"), "{page}");
}

#[tokio::test]
async fn a_complaint_shows_its_own_result_and_an_open_conversation_no_end_yet() {
    let app = app().await;
    app.resident_says(None, "ik wil een klacht indienen over de vuilnisdienst")
        .await;
    let lead = app.login("lotte", Role::Admin, None).await;
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(page.contains("De termijn begint als het gesprek gesloten wordt."));
    app.act(&lead, 1, "labels", &[("op", "add"), ("label", "klacht")])
        .await;
    let page = text(app.get("/conversations/1", Some(&lead)).await).await;
    assert!(
        page.contains("13.1") && page.contains("vernietigen 5 jaar na het sluiten"),
        "{page}"
    );
}

#[tokio::test]
async fn agents_and_editors_neither_see_nor_hold() {
    let app = app().await;
    let id = closed_conversation(&app).await;
    for (name, role) in [("anna", Role::Agent), ("eva", Role::Editor)] {
        let login = app.login(name, role, None).await;
        let page = text(app.get("/conversations/1", Some(&login)).await).await;
        assert!(
            !page.contains(r#"id="archief""#),
            "{name} sees no archive box"
        );
        let res = app
            .act(&login, id, "archive/hold", &[("reason", "Woo-verzoek")])
            .await;
        assert_eq!(res.status(), 403, "{name}");
    }
    assert_eq!(due_in_two_years(&app).await, vec![id], "nothing held");
}
