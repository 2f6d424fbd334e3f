//! The editors' list and "Controle nodig" from constructed articles and usage.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::*;
use crate::kb::Article;

fn date(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

fn article(id: &str, category: &str, owner: Option<&str>, reviewed: Option<&str>) -> Article {
    Article {
        id: id.into(),
        path: format!("{category}/{id}.md").into(),
        title: id.replace('-', " "),
        questions: vec![],
        not_answered: vec![],
        keywords: vec![],
        tags: vec![category.into()],
        department: if category == "afval" {
            "Afval"
        } else {
            "Publiekszaken"
        }
        .into(),
        links: vec![],
        bot: true,
        valid_from: None,
        valid_until: None,
        owner: owner.map(String::from),
        reviewed: reviewed.map(date),
        body: "Antwoord.".into(),
    }
}

const TODAY: &str = "2026-12-02";

#[test]
fn an_article_needs_a_review_for_each_reason_it_has() {
    let today = date(TODAY);
    let fine = article("paspoort", "burgerzaken", Some("kcc"), Some("2026-06-01"));
    assert!(review_reasons(&fine, None, today, 12).is_empty());

    let old = article("rijbewijs", "burgerzaken", None, Some("2025-11-30"));
    let reasons = review_reasons(&old, None, today, 12);
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert!(reasons[0].contains("langer dan 12 maanden"));
    assert_eq!(reasons[1], "geen eigenaar");
    // Exactly twelve months ago is not yet older than twelve months.
    let year = article("id-kaart", "burgerzaken", Some("kcc"), Some("2025-12-02"));
    assert!(review_reasons(&year, None, today, 12).is_empty());
    assert_eq!(review_reasons(&year, None, today, 6).len(), 1);

    let never = article("kerst", "afval", Some("kcc"), None);
    assert_eq!(
        review_reasons(&never, None, today, 12),
        ["nooit gecontroleerd"]
    );

    let mut ending = fine.clone();
    ending.valid_until = Some(date("2027-01-01"));
    assert_eq!(
        review_reasons(&ending, None, today, 12),
        ["geldig tot 2027-01-01"]
    );
    ending.valid_until = Some(date("2027-01-02"));
    assert!(
        review_reasons(&ending, None, today, 12).is_empty(),
        "31 days ahead"
    );
    ending.valid_until = Some(date("2026-12-01"));
    assert!(review_reasons(&ending, None, today, 12)[0].starts_with("verlopen"));
}

#[test]
fn many_no_is_at_least_three_and_a_third_of_the_bot_answers() {
    let usage = |bot_answers, bot_no| ArticleUsage {
        bot_answers,
        bot_no,
        ..ArticleUsage::default()
    };
    assert!(many_no(&usage(9, 3)));
    assert!(!many_no(&usage(10, 3)), "less than a third");
    assert!(!many_no(&usage(2, 2)), "fewer than three");
    let today = date(TODAY);
    let fine = article("paspoort", "burgerzaken", Some("kcc"), Some("2026-06-01"));
    let reasons = review_reasons(&fine, Some(&usage(6, 3)), today, 12);
    assert_eq!(
        reasons,
        ["3 van de 6 botantwoorden kregen “nee” (30 dagen)"]
    );
}

fn sources_listing(query: ListQuery) -> Listing {
    let articles = vec![
        article("paspoort", "burgerzaken", Some("kcc"), Some("2026-06-01")),
        article(
            "afvalkalender",
            "afval",
            Some("afvalteam"),
            Some("2026-06-01"),
        ),
        article("kliko-kapot", "afval", None, Some("2026-06-01")),
    ];
    let mut usage = HashMap::new();
    usage.insert(
        "kliko-kapot".to_string(),
        ArticleUsage {
            suggested: 9,
            ..ArticleUsage::default()
        },
    );
    usage.insert(
        "paspoort".to_string(),
        ArticleUsage {
            suggested: 4,
            used_edited: 2,
            ..ArticleUsage::default()
        },
    );
    let drafts: HashSet<String> = ["afvalkalender".to_string(), "nieuw-artikel".to_string()].into();
    let config = crate::config::Config::default();
    let sources = Sources {
        articles: &articles,
        usage: &usage,
        drafts: &drafts,
        config: &config,
        today: date(TODAY),
        proposals: 0,
    };
    listing(&sources, query)
}

fn ids(listing: &Listing) -> Vec<&str> {
    listing.rows.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn the_list_has_every_article_and_new_concept_by_title_with_its_status() {
    let list = sources_listing(ListQuery::default());
    assert_eq!(
        ids(&list),
        ["afvalkalender", "kliko-kapot", "nieuw-artikel", "paspoort"]
    );
    let status = |id: &str| list.rows.iter().find(|r| r.id == id).map(|r| r.status);
    assert_eq!(status("afvalkalender"), Some(Status::Changed));
    assert_eq!(status("nieuw-artikel"), Some(Status::Draft));
    assert_eq!(status("paspoort"), Some(Status::Published));
    assert_eq!(list.categories, ["afval", "burgerzaken"]);
    assert_eq!(list.owners, ["afvalteam", "kcc"]);
    assert_eq!(list.review.len(), 1, "kliko-kapot has no owner");
}

#[test]
fn filters_combine_and_usage_sorts_most_first() {
    let list = sources_listing(ListQuery {
        category: "afval".into(),
        ..ListQuery::default()
    });
    assert_eq!(ids(&list), ["afvalkalender", "kliko-kapot"]);
    let list = sources_listing(ListQuery {
        status: "changed".into(),
        ..ListQuery::default()
    });
    assert_eq!(ids(&list), ["afvalkalender"]);
    let list = sources_listing(ListQuery {
        owner: "kcc".into(),
        department: "Publiekszaken".into(),
        ..ListQuery::default()
    });
    assert_eq!(ids(&list), ["paspoort"]);
    let list = sources_listing(ListQuery {
        sort: "suggested".into(),
        ..ListQuery::default()
    });
    assert_eq!(ids(&list)[..2], ["kliko-kapot", "paspoort"]);
    let list = sources_listing(ListQuery {
        sort: "edited".into(),
        ..ListQuery::default()
    });
    assert_eq!(ids(&list)[0], "paspoort");
}
