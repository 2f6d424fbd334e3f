//! Reports (issue 13): a fixture store with known times checks every figure exactly — across
//! the autumn clock change, with a conversation closed unanswered and reopened, a bot-only
//! one, an offer settled by "ja", and a message outside office hours — and the API around it.
//!
//! The period is Monday 19 to Monday 26 October 2026, Europe/Amsterdam; the clocks go back on
//! Sunday 25 October (03:00 CEST becomes 02:00 CET). Default office hours: weekdays
//! 08:30–17:00; the bot promises a reply within 210 office minutes.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Value, json};

use vraagbaak::chat::hours::OfficeHours;
use vraagbaak::config::Config;
use vraagbaak::store::generate::{ReplyUse, Traffic};
use vraagbaak::store::reports::{self, Filter, Summary};
use vraagbaak::store::users::{self, Role};
use vraagbaak::store::{Store, write};

use crate::common::app::{TestApp, app_at, json as body_json, text as body_text};

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 time")
        .with_timezone(&Utc)
}

/// When the reports are read: a week after the period.
const NOW: &str = "2026-11-01T12:00:00Z";

/// The fixture's conversation ids.
struct Ids {
    a: i64,
    b: i64,
}

/// Writes the fixture (see the module doc and each conversation's comment).
fn fixture(store: &Store) -> Ids {
    store
        .blocking(|c| {
            let hash = users::dummy_hash();
            let anna = users::add_user(c, "anna", Role::Agent, None, hash)
                .expect("anna")
                .id;
            let bram = users::add_user(c, "bram", Role::Agent, None, hash)
                .expect("bram")
                .id;
            let tx = write(c)?;
            let t = Traffic::new(&tx);
            // A, web chat, Monday 10:00 CEST: owed at once, promised by 13:30; anna answers at
            // 10:20 with the first suggestion unchanged; closed at 11:00.
            let (a, q) = t.resident(
                "webchat",
                "a",
                "Hoe vraag ik een paspoort aan?",
                &["paspoort-aanvragen", "id-kaart-aanvragen"],
                utc("2026-10-19T08:00:00Z"),
            )?;
            t.owe(a, utc("2026-10-19T08:00:00Z"), utc("2026-10-19T11:30:00Z"))?;
            let used = ReplyUse {
                article_id: "paspoort-aanvragen",
                rank: Some(1),
                unchanged: true,
            };
            t.agent_reply(
                a,
                Some(anna),
                Some(q),
                Some(used),
                utc("2026-10-19T08:20:00Z"),
            )?;
            t.label(a, "paspoort")?;
            t.label(a, "vraag, algemeen")?;
            t.close(a, utc("2026-10-19T09:00:00Z"))?;
            // G, web chat, Monday 00:30 CEST (Sunday 22:30 UTC): still waiting.
            let (g, _) = t.resident("webchat", "g", "Hallo?", &[], utc("2026-10-18T22:30:00Z"))?;
            t.owe(g, utc("2026-10-18T22:30:00Z"), utc("2026-10-19T10:00:00Z"))?;
            // D, web chat, Tuesday 14:00 CEST: the bot answers, the resident says "nee"; owed
            // from 14:01, promised by Wednesday 09:01; closed unanswered at 14:31. Reopened
            // on Wednesday 09:00 and answered by anna at 09:10 (a later wait); closed 09:30.
            let (d, _) = t.resident(
                "webchat",
                "d",
                "Parkeervergunning?",
                &["parkeervergunning"],
                utc("2026-10-20T12:00:00Z"),
            )?;
            let answer = t.bot_answer(d, "parkeervergunning", utc("2026-10-20T12:00:02Z"))?;
            t.resident("webchat", "d", "nee", &[], utc("2026-10-20T12:01:00Z"))?;
            t.helpful(d, answer, false)?;
            t.owe(d, utc("2026-10-20T12:01:00Z"), utc("2026-10-21T07:01:00Z"))?;
            t.label(d, "klacht")?;
            t.close(d, utc("2026-10-20T12:31:00Z"))?;
            let (_, again) = t.resident(
                "webchat",
                "d",
                "Ik heb nog steeds geen antwoord.",
                &["parkeervergunning"],
                utc("2026-10-21T07:00:00Z"),
            )?;
            t.owe(d, utc("2026-10-21T07:00:00Z"), utc("2026-10-21T10:30:00Z"))?;
            t.agent_reply(
                d,
                Some(anna),
                Some(again),
                None,
                utc("2026-10-21T07:10:00Z"),
            )?;
            t.close(d, utc("2026-10-21T07:30:00Z"))?;
            // E, an inbox tool's e-mail, Thursday 09:00 CEST: the bot offers an article, the
            // resident's "ja" settles it. At 09:05 a question that needs a person, promised by
            // 12:35; bram answers at 13:05 with an article found through the search.
            let (e, _) = t.resident(
                "email",
                "e",
                "Wanneer open?",
                &[],
                utc("2026-10-22T07:00:00Z"),
            )?;
            t.offer(
                e,
                "openingstijden",
                utc("2026-10-22T10:30:00Z"),
                utc("2026-10-22T07:00:02Z"),
            )?;
            t.resident("email", "e", "ja", &[], utc("2026-10-22T07:01:00Z"))?;
            t.accept_offer(e, "openingstijden", utc("2026-10-22T07:01:01Z"))?;
            let (_, more) = t.resident(
                "email",
                "e",
                "Kan ik ook een afspraak maken?",
                &["openingstijden"],
                utc("2026-10-22T07:05:00Z"),
            )?;
            t.owe(e, utc("2026-10-22T07:05:00Z"), utc("2026-10-22T10:35:00Z"))?;
            let searched = ReplyUse {
                article_id: "afspraak-maken",
                rank: None,
                unchanged: true,
            };
            t.agent_reply(
                e,
                Some(bram),
                Some(more),
                Some(searched),
                utc("2026-10-22T11:05:00Z"),
            )?;
            t.close(e, utc("2026-10-22T11:10:00Z"))?;
            // B, WhatsApp, Friday 18:00 CEST, after closing time: promised by Monday 12:00
            // CET; forwarded Monday 08:45 CET and answered by bram at 09:00 CET with the
            // second suggestion, edited: 64 hours on the wall clock, 30 office minutes.
            let (b, q) = t.resident(
                "whatsapp",
                "b",
                "Mijn container is niet geleegd.",
                &["afvalkalender", "grofvuil-ophalen"],
                utc("2026-10-23T16:00:00Z"),
            )?;
            t.owe(b, utc("2026-10-23T16:00:00Z"), utc("2026-10-26T11:00:00Z"))?;
            t.forward(b, "burgerzaken", utc("2026-10-26T07:45:00Z"))?;
            let used = ReplyUse {
                article_id: "grofvuil-ophalen",
                rank: Some(2),
                unchanged: false,
            };
            t.agent_reply(
                b,
                Some(bram),
                Some(q),
                Some(used),
                utc("2026-10-26T08:00:00Z"),
            )?;
            t.label(b, "klacht")?;
            // C, WhatsApp, Sunday 00:30 CEST (Saturday 22:30 UTC), on the day of the clock
            // change: the bot answers, the resident says "ja". Nobody else.
            let (c_id, _) = t.resident(
                "whatsapp",
                "c",
                "Afvalkalender?",
                &[],
                utc("2026-10-24T22:30:00Z"),
            )?;
            let answer = t.bot_answer(c_id, "afvalkalender", utc("2026-10-24T22:30:02Z"))?;
            t.resident("whatsapp", "c", "ja", &[], utc("2026-10-24T22:32:00Z"))?;
            t.helpful(c_id, answer, true)?;
            // F, web chat, Tuesday 27 October 00:30 CET (Monday 23:30 UTC): after the period.
            t.resident("webchat", "f", "Te laat.", &[], utc("2026-10-26T23:30:00Z"))?;
            tx.commit()?;
            Ok(Ids { a, b })
        })
        .expect("fixture")
}

fn period(channel: Option<&str>) -> Filter {
    Filter::parse(Some("2026-10-19"), Some("2026-10-26"), channel, None).expect("filter")
}

fn summary_of(store: &Store, filter: &Filter) -> Summary {
    store
        .blocking(|c| reports::summary(c, filter, &OfficeHours::default(), utc(NOW)))
        .expect("summary")
}

fn fixture_summary() -> Summary {
    let store = Store::open_in_memory().expect("store");
    fixture(&store);
    summary_of(&store, &period(None))
}

#[test]
fn volume_counts_amsterdam_days_across_the_clock_change() {
    let s = fixture_summary();
    assert_eq!(
        s.conversations, 6,
        "A, B, C, D, E, G; F is after the period"
    );
    assert_eq!(s.messages_in, 11);
    let channels: Vec<_> = s
        .by_channel
        .iter()
        .map(|(c, v)| (c.as_str(), v.conversations, v.messages_in))
        .collect();
    assert_eq!(
        channels,
        [("email", 1, 3), ("webchat", 3, 5), ("whatsapp", 2, 3)]
    );
    let days: Vec<_> = s
        .volume
        .days
        .iter()
        .map(|d| {
            (
                d.date.format("%d").to_string(),
                d.conversations,
                d.messages_in,
            )
        })
        .collect();
    let expected: Vec<_> = [
        ("19", 2, 2),
        ("20", 1, 2),
        ("21", 0, 1),
        ("22", 1, 3),
        ("23", 1, 1),
        ("24", 0, 0),
        ("25", 1, 2),
        ("26", 0, 0),
    ]
    .iter()
    .map(|(d, c, m)| (d.to_string(), *c, *m))
    .collect();
    assert_eq!(days, expected);
    let whatsapp_25 = &s.volume.days[6].by_channel["whatsapp"];
    assert_eq!((whatsapp_25.conversations, whatsapp_25.messages_in), (1, 2));
    // Hour of the week on Amsterdam clocks, Monday first.
    let mut cells = Vec::new();
    for (day, hours) in s.volume.heatmap.iter().enumerate() {
        for (hour, n) in hours.iter().enumerate() {
            if *n > 0 {
                cells.push((day, hour, *n));
            }
        }
    }
    assert_eq!(
        cells,
        [
            (0, 0, 1),
            (0, 10, 1),
            (1, 14, 2),
            (2, 9, 1),
            (3, 9, 3),
            (4, 18, 1),
            (6, 0, 2)
        ]
    );
}

#[test]
fn first_response_is_the_first_wait_in_wall_clock_and_office_time() {
    let r = fixture_summary().first_response;
    assert_eq!(r.waits, 5, "A, B, D, E, G; the bot answered C alone");
    assert_eq!(r.answered, 3, "A, B, E");
    assert_eq!(
        r.closed_unanswered, 1,
        "D: its reply after the reopen is not the first"
    );
    assert_eq!(r.waiting, 1, "G");
    // A 1200 s, E 14400 s, B 230400 s (Friday 18:00 CEST to Monday 09:00 CET).
    assert_eq!((r.p50_s, r.p90_s), (Some(14_400), Some(230_400)));
    // A 20, B 30 (Monday 08:30–09:00), E 240 office minutes.
    assert_eq!((r.p50_office_min, r.p90_office_min), (Some(30), Some(240)));
    assert_eq!(r.promised, 5);
    assert_eq!(r.within_promise, Some(0.4), "A and B of the five");
    assert_eq!(r.within_24h, Some(0.4), "A and E of the five");
}

#[test]
fn resolution_runs_from_the_start_to_the_first_close() {
    let r = fixture_summary().resolution;
    assert_eq!((r.closed, r.open), (3, 3), "A, D, E closed; B, C, G open");
    // D 1860 s, A 3600 s, E 15000 s.
    assert_eq!((r.p50_s, r.p90_s), (Some(3_600), Some(15_000)));
    assert_eq!((r.reopened, r.reopened_share), (1, Some(0.3333)));
}

#[test]
fn the_bot_counts_answers_alone_hand_overs_and_yes_and_no() {
    let b = fixture_summary().bot;
    assert_eq!(b.handled, 3, "C and D answered, E offered");
    assert_eq!(b.resolved_alone, 1, "C");
    assert_eq!(
        b.handed_over, 2,
        "D said nee, E needed a person after the offer"
    );
    assert_eq!((b.helpful_yes, b.helpful_no), (1, 1));
    assert_eq!(b.helpful_yes_share, Some(0.5));
    assert_eq!(
        (b.offers_yes, b.offers_no, b.offers_yes_share),
        (1, 0, Some(1.0)),
        "E said ja to the offer"
    );
}

#[test]
fn suggestions_count_replies_ranks_and_acceptance_per_article() {
    let s = fixture_summary().suggestions;
    assert_eq!(s.replies, 4);
    assert_eq!((s.used, s.unchanged, s.edited, s.via_search), (2, 1, 1, 1));
    assert_eq!(s.share_used, Some(0.5));
    let ranks: Vec<_> = s.by_rank.iter().map(|r| (r.rank, r.replies)).collect();
    assert_eq!(ranks, [(1, 1), (2, 1)]);
    let top: Vec<_> = s
        .top_articles
        .iter()
        .map(|a| (a.article_id.as_str(), a.used, a.unchanged, a.edited))
        .collect();
    assert_eq!(
        top,
        [
            ("afspraak-maken", 1, 1, 0),
            ("grofvuil-ophalen", 1, 0, 1),
            ("paspoort-aanvragen", 1, 1, 0)
        ]
    );
    let acceptance: Vec<_> = s
        .acceptance
        .iter()
        .map(|a| {
            (
                a.article_id.as_str(),
                a.suggested_first,
                a.accepted,
                a.acceptance,
            )
        })
        .collect();
    assert_eq!(
        acceptance,
        [
            ("afvalkalender", 1, 0, Some(0.0)),
            ("openingstijden", 1, 0, Some(0.0)),
            ("parkeervergunning", 1, 0, Some(0.0)),
            ("paspoort-aanvragen", 1, 1, Some(1.0))
        ]
    );
}

#[test]
fn labels_forwards_and_agents() {
    let s = fixture_summary();
    let labels: Vec<_> = s
        .labels
        .iter()
        .map(|l| (l.label.as_str(), l.conversations))
        .collect();
    assert_eq!(
        labels,
        [("klacht", 2), ("paspoort", 1), ("vraag, algemeen", 1)]
    );
    let forwards: Vec<_> = s
        .forwards
        .iter()
        .map(|f| (f.department.as_str(), f.forwards))
        .collect();
    assert_eq!(forwards, [("burgerzaken", 1)]);
    let agents: Vec<_> = s
        .agents
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.conversations,
                a.replies,
                a.median_first_response_s,
            )
        })
        .collect();
    assert_eq!(
        agents,
        [("anna", 2, 2, Some(1_200)), ("bram", 2, 2, Some(14_400))]
    );
}

#[test]
fn a_channel_and_a_department_narrow_every_figure() {
    let store = Store::open_in_memory().expect("store");
    fixture(&store);
    let s = summary_of(&store, &period(Some("whatsapp")));
    assert_eq!((s.conversations, s.messages_in), (2, 3));
    assert_eq!(s.first_response.answered, 1);
    assert_eq!(s.bot.resolved_alone, 1);
    let mut filter = period(None);
    filter.department = Some("burgerzaken".into());
    let s = summary_of(&store, &filter);
    assert_eq!(
        (s.conversations, s.messages_in, s.suggestions.replies),
        (1, 1, 1)
    );
}

#[test]
fn a_destroyed_conversation_leaves_the_reports() {
    let store = Store::open_in_memory().expect("store");
    let ids = fixture(&store);
    store
        .blocking(|c| {
            let destroyer = vraagbaak::store::archive::Destroyer::new(c)?;
            let tx = write(c)?;
            let record = vraagbaak::store::archive::Destruction {
                conversation_id: ids.a,
                channel: "webchat".into(),
                created_at: utc("2026-10-19T08:00:00Z"),
                closed_at: utc("2026-10-19T09:00:00Z"),
                result: "6.1.3".into(),
                result_name: "informatieverzoek".into(),
                bewaartermijn: "P1Y".into(),
                term_ended: NaiveDate::from_ymd_opt(2027, 10, 19).expect("date"),
                messages: 2,
                destroyed_at: utc(NOW),
                list: "test".into(),
            };
            destroyer.destroy(&tx, &record)?;
            tx.commit()?;
            Ok(())
        })
        .expect("destroy");
    let s = summary_of(&store, &period(None));
    assert_eq!((s.conversations, s.messages_in), (5, 10));
    assert_eq!(s.suggestions.replies, 3);
}

async fn fixture_app() -> (TestApp, Ids) {
    let clock: vraagbaak::chat::Clock = Arc::new(|| utc(NOW));
    let app = app_at(Config::default(), clock).await;
    let ids = fixture(&app.state.chat.store);
    (app, ids)
}

async fn get(app: &TestApp, path: &str, key: &str) -> axum::http::Response<Body> {
    app.send(
        Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

#[tokio::test]
async fn the_summary_api_answers_in_the_issues_shape() {
    let (app, _) = fixture_app().await;
    let key = app.api_key_with("reports").await;
    let res = get(
        &app,
        "/api/v1/reports/summary?from=2026-10-19&to=2026-10-26",
        &key,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: Value = body_json(res).await;
    assert_eq!(body["period"]["from"], "2026-10-19");
    assert_eq!(body["period"]["time_zone"], "Europe/Amsterdam");
    assert_eq!(body["conversations"], 6);
    assert_eq!(body["messages_in"], 11);
    assert_eq!(
        body["by_channel"]["whatsapp"],
        json!({"conversations": 2, "messages_in": 3})
    );
    assert_eq!(body["first_response"]["p50_s"], 14_400);
    assert_eq!(body["first_response"]["p90_s"], 230_400);
    assert_eq!(body["first_response"]["within_promise"], 0.4);
    assert_eq!(body["resolution"]["p50_s"], 3_600);
    assert_eq!(
        [
            &body["bot"]["handled"],
            &body["bot"]["resolved_alone"],
            &body["bot"]["handed_over"],
            &body["bot"]["helpful_yes"],
            &body["bot"]["helpful_no"]
        ],
        [&json!(3), &json!(1), &json!(2), &json!(1), &json!(1)]
    );
    assert_eq!(body["suggestions"]["share_used"], 0.5);
    assert!(
        body.get("agents").is_none(),
        "per-agent figures are for leads only"
    );
    let narrowed = get(
        &app,
        "/api/v1/reports/summary?from=2026-10-19&to=2026-10-26&channel=whatsapp",
        &key,
    )
    .await;
    assert_eq!(body_json(narrowed).await["conversations"], 2);
    let team = get(
        &app,
        "/api/v1/reports/summary?from=2026-10-19&to=2026-10-26&department=burgerzaken",
        &key,
    )
    .await;
    assert_eq!(body_json(team).await["conversations"], 1);
}

#[tokio::test]
async fn reports_need_the_reports_scope() {
    let (app, _) = fixture_app().await;
    let key = app.api_key_with("kb").await;
    for path in [
        "/api/v1/reports/summary?from=2026-10-19&to=2026-10-26",
        "/api/v1/reports/conversations.csv?from=2026-10-19&to=2026-10-26",
    ] {
        let res = get(&app, path, &key).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{path}");
        assert!(
            body_json(res).await["error"]
                .as_str()
                .expect("error")
                .contains("reports")
        );
    }
}

#[tokio::test]
async fn bad_parameters_are_a_400_naming_the_parameter() {
    let (app, _) = fixture_app().await;
    let key = app.api_key_with("reports").await;
    for (query, named) in [
        ("from=2026-10-32&to=2026-10-26", "`from`"),
        ("from=2026-10-19&to=26-10-2026", "`to`"),
        ("to=2026-10-26", "`from`"),
        ("from=2026-10-27&to=2026-10-26", "`from`"),
        (
            "from=2026-10-19&to=2026-10-26&channel=Web%20Chat",
            "`channel`",
        ),
        (
            "from=2026-10-19&to=2026-10-26&department=nergens",
            "`department`",
        ),
    ] {
        for endpoint in ["summary", "conversations.csv"] {
            let res = get(&app, &format!("/api/v1/reports/{endpoint}?{query}"), &key).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{endpoint}?{query}");
            let error = body_json(res).await["error"]
                .as_str()
                .expect("error")
                .to_string();
            assert!(error.contains(named), "{query}: {error}");
        }
    }
}

#[tokio::test]
async fn the_csv_has_one_row_per_conversation_in_local_time() {
    let (app, ids) = fixture_app().await;
    let key = app.api_key_with("reports").await;
    let res = get(
        &app,
        "/api/v1/reports/conversations.csv?from=2026-10-19&to=2026-10-26",
        &key,
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    assert!(
        res.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .expect("ascii")
            .contains("gesprekken-2026-10-19-2026-10-26.csv")
    );
    let csv = body_text(res).await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "id,channel,started,first_response,resolved,labels,department,bot_handled,helpful"
    );
    assert_eq!(lines.len(), 7, "the header and six conversations");
    let a = format!(
        "{},webchat,2026-10-19T10:00:00+02:00,2026-10-19T10:20:00+02:00,\
         2026-10-19T11:00:00+02:00,\"paspoort; vraag, algemeen\",,nee,",
        ids.a
    );
    assert!(lines.contains(&a.as_str()), "{csv}");
    // Started in summer time, answered in winter time.
    let b = format!(
        "{},whatsapp,2026-10-23T18:00:00+02:00,2026-10-26T09:00:00+01:00,,klacht,burgerzaken,nee,",
        ids.b
    );
    assert!(lines.contains(&b.as_str()), "{csv}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains(",whatsapp,2026-10-25T00:30:00+02:00,,,,,ja,ja")),
        "{csv}"
    );
}

#[tokio::test]
async fn the_store_paths_keep_the_facts_a_resident_an_agent_and_a_close() {
    // The real paths (web chat, the dashboard's reply and close) rather than the fixture's
    // writer: the triggers see them the same way. Times are the store's own clock.
    let app = crate::common::app::app().await;
    let token = app.resident_says(None, "Mijn paspoort is verlopen").await;
    let anna = app
        .login("anna", vraagbaak::store::users::Role::Agent, None)
        .await;
    app.act(&anna, 1, "take", &[]).await;
    app.act(&anna, 1, "reply", &[("text", "Maak een afspraak.")])
        .await;
    app.act(&anna, 1, "status", &[("status", "closed")]).await;
    app.resident_says(Some(&token), "Nog een vraag").await;
    let today = reports::local_date(Utc::now());
    let filter = Filter::new(today.pred_opt().expect("date"), today, None, None).expect("filter");
    let s = summary_of(&app.state.chat.store, &filter);
    assert_eq!((s.conversations, s.messages_in), (1, 2));
    assert_eq!(
        (s.first_response.waits, s.first_response.answered),
        (1, 1),
        "the bot is off: the first message waited for anna"
    );
    assert!(s.first_response.p50_s.is_some_and(|p| p >= 0));
    assert_eq!((s.resolution.closed, s.resolution.reopened), (1, 1));
    assert_eq!(s.suggestions.replies, 1);
    let agents: Vec<_> = s
        .agents
        .iter()
        .map(|a| (a.name.as_str(), a.replies))
        .collect();
    assert_eq!(agents, [("anna", 1)]);
}

#[tokio::test]
async fn the_openapi_document_describes_the_report_routes() {
    let app = crate::common::app::app().await;
    let doc = body_json(app.get("/api/v1/openapi.json", None).await).await;
    for path in [
        "/api/v1/reports/summary",
        "/api/v1/reports/conversations.csv",
    ] {
        let get = &doc["paths"][path]["get"];
        assert_eq!(get["tags"][0], "reports", "{path}");
        let names: Vec<&str> = get["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        assert_eq!(names, ["from", "to", "channel", "department"], "{path}");
    }
    // The summary's schema names every top-level field the API returns.
    let (app, _) = fixture_app().await;
    let key = app.api_key_with("reports").await;
    let body = body_json(
        get(
            &app,
            "/api/v1/reports/summary?from=2026-10-19&to=2026-10-26",
            &key,
        )
        .await,
    )
    .await;
    let schema = &doc["components"]["schemas"]["ReportSummary"]["properties"];
    for (field, value) in body.as_object().expect("object") {
        assert!(schema[field].is_object(), "{field} is documented");
        if let (Some(inner), Some(props)) =
            (value.as_object(), schema[field]["properties"].as_object())
        {
            for name in inner.keys() {
                assert!(props.contains_key(name), "{field}.{name} is documented");
            }
        }
    }
}

#[test]
fn store_generate_writes_the_same_traffic_for_a_seed() {
    let run = |dir: &std::path::Path, seed: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
            .args([
                "store",
                "generate",
                "--conversations",
                "120",
                "--seed",
                seed,
            ])
            .args(["--from", "2026-03-02", "--days", "14", "--data"])
            .arg(dir)
            .output()
            .expect("runs");
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            stdout.starts_with("generated 120 conversations with "),
            "{stdout}"
        );
        let store = Store::open(dir).expect("store");
        let filter =
            Filter::parse(Some("2026-03-02"), Some("2026-03-15"), None, None).expect("filter");
        let mut csv = Vec::new();
        store
            .blocking(|c| {
                reports::write_conversations_csv(c, &filter, &mut csv)
                    .map_err(|e| vraagbaak::store::StoreError::Worker(e.to_string()))
            })
            .expect("csv");
        (
            summary_of(&store, &filter),
            String::from_utf8(csv).expect("utf-8"),
        )
    };
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().expect("dir")).collect();
    let (first, first_csv) = run(dirs[0].path(), "5");
    let (again, again_csv) = run(dirs[1].path(), "5");
    let (other, _) = run(dirs[2].path(), "6");
    assert_eq!(first, again);
    assert_eq!(first_csv, again_csv);
    assert_ne!(first, other);
    assert_eq!(first.conversations, 120);
    assert_eq!(first_csv.lines().count(), 121);
    // The traffic has every kind of event the reports count.
    assert!(first.messages_in > 120);
    assert!(first.first_response.answered > 0 && first.bot.handled > 0);
    assert!(first.bot.helpful_yes > 0 && first.suggestions.used > 0);
    assert!(first.resolution.closed > 0 && !first.labels.is_empty());
}
