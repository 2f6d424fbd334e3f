//! Gap grouping on the sample knowledge base with constructed messages: two subjects the KB
//! lacks (flying drones, the winter ice rink), each asked five ways, among ten answerable
//! messages on different KB subjects.

use std::path::Path;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::{DateTime, Duration, TimeZone, Utc};
use url::Url;

use super::*;
use crate::kb;
use crate::search::{Pipeline, Settings};

/// The sample knowledge base, built once per test binary; other modules' tests use it too.
pub(crate) static SNAPSHOT: LazyLock<Snapshot> = LazyLock::new(|| {
    let kb = kb::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")).expect("sample KB loads");
    let settings = Settings {
        pipeline: Pipeline::FULL,
        site_url: Url::parse("https://www.dijkstede.example").expect("valid URL"),
    };
    Snapshot::build(&kb, &settings).expect("sample KB builds")
});

const DRONES: [&str; 5] = [
    "mag ik met mijn drone vliegen boven het park",
    "is drone vliegen toegestaan in de stad?",
    "waar mag je een drone oplaten in de buurt",
    // Singular on purpose: the Dutch stemmer keeps the loan plural "drones" apart from
    // "drone" (a limit of the analysis chain, not of the grouping).
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

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0)
        .single()
        .expect("valid time")
}

/// Ids 1-5 drones, 11-15 ice rink, 21-30 answerable. Drones are `drone_age` old, the ice
/// rink `rink_age`, the answerable ones a day.
fn messages(drone_age: Duration, rink_age: Duration) -> Vec<GapMessage> {
    let make = |first: i64, texts: &[&str], age: Duration| {
        (texts.iter().enumerate())
            .map(|(i, text)| GapMessage {
                id: first + i as i64,
                text: text.to_string(),
                at: now() - age - Duration::minutes(i as i64),
            })
            .collect::<Vec<_>>()
    };
    let mut all = make(1, &DRONES, drone_age);
    all.extend(make(11, &ICE_RINK, rink_age));
    all.extend(make(21, &ANSWERABLE, Duration::days(1)));
    all
}

fn group_of(report: &GapReport, id: i64) -> &GapGroup {
    (report.groups.iter())
        .find(|g| g.members.contains(&id))
        .expect("every message is in a group")
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort();
    ids
}

#[test]
fn each_lacking_subject_is_one_group_apart_from_the_rest() {
    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(2), Duration::days(2)),
        now(),
    )
    .expect("groups");
    assert_eq!(
        sorted(group_of(&report, 1).members.clone()),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(
        sorted(group_of(&report, 11).members.clone()),
        vec![11, 12, 13, 14, 15]
    );
    let covered: usize = report.groups.iter().map(GapGroup::count).sum();
    assert_eq!(covered, 20, "every message is in exactly one group");
    // Answerable messages stay out of both. Two of them share a group of their own: "mijn
    // paspoort is verlopen" and "mijn rijbewijs is bijna verlopen" share the specific word
    // "verlopen" (cosine 0.19). Nothing else joins: a lower threshold would add "ik ga
    // verhuizen, waar geef ik mijn nieuwe adres door" through "nieuw" (0.08 on average).
    let mut larger: Vec<Vec<i64>> = (report.groups.iter())
        .filter(|g| g.count() > 1)
        .map(|g| sorted(g.members.clone()))
        .collect();
    larger.sort();
    assert_eq!(
        larger,
        vec![vec![1, 2, 3, 4, 5], vec![11, 12, 13, 14, 15], vec![21, 30]]
    );
    assert_eq!(report.dropped, 0);
}

#[test]
fn a_groups_terms_are_the_residents_words() {
    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(2), Duration::days(2)),
        now(),
    )
    .expect("groups");
    let rink = &group_of(&report, 11).terms;
    assert_eq!(
        rink.first().map(String::as_str),
        Some("ijsbaan"),
        "{rink:?}"
    );
    let drones = &group_of(&report, 1).terms;
    assert!(drones.iter().any(|t| t == "drone"), "{drones:?}");
    assert!(drones.len() <= TOP_TERMS);
}

#[test]
fn impact_follows_count_and_recency() {
    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(1), Duration::days(30)),
        now(),
    )
    .expect("groups");
    let rank = |report: &GapReport, id: i64| {
        (report.groups.iter())
            .position(|g| g.members.contains(&id))
            .expect("every message is in a group")
    };
    assert_eq!(rank(&report, 1), 0, "recent drones lead");
    assert!(
        rank(&report, 11) > rank(&report, 1),
        "the old ice rink follows"
    );
    // Five messages a day old weigh 5 · 0.5^(1/14); thirty days old, 5 · 0.5^(30/14).
    assert!((report.groups[0].impact - 5.0 * 0.5f64.powf(1.0 / 14.0)).abs() < 1e-3);
    let rink = &report.groups[rank(&report, 11)];
    assert!((rink.impact - 5.0 * 0.5f64.powf(30.0 / 14.0)).abs() < 1e-3);

    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(30), Duration::days(1)),
        now(),
    )
    .expect("groups");
    assert_eq!(rank(&report, 11), 0, "now the ice rink leads");
    assert!(rank(&report, 1) > rank(&report, 11));

    // The larger group leads, and single messages come last, even a fresh one after an old
    // group of two (0.45 against 0.95).
    let mut fewer = messages(Duration::days(30), Duration::days(1));
    fewer.retain(|m| !(3..=5).contains(&m.id));
    let report = group(&SNAPSHOT, &fewer, now()).expect("groups");
    assert_eq!(rank(&report, 11), 0);
    assert_eq!(sorted(group_of(&report, 1).members.clone()), vec![1, 2]);
    let singles = (report.groups.iter())
        .position(|g| g.count() == 1)
        .expect("some single messages");
    assert!(rank(&report, 1) < singles);
    assert!(report.groups[singles..].iter().all(|g| g.count() == 1));
    let impacts: Vec<f64> = report.groups[singles..].iter().map(|g| g.impact).collect();
    assert!(impacts.windows(2).all(|w| w[0] >= w[1]), "{impacts:?}");
}

#[test]
fn members_are_most_recent_first_and_the_central_message_is_one_of_them() {
    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(2), Duration::days(2)),
        now(),
    )
    .expect("groups");
    let rink = group_of(&report, 11);
    assert_eq!(rink.members, vec![11, 12, 13, 14, 15]);
    assert!(rink.members.contains(&rink.central));
}

#[test]
fn the_nearest_article_is_reported_with_its_confidence() {
    let report = group(
        &SNAPSHOT,
        &messages(Duration::days(2), Duration::days(2)),
        now(),
    )
    .expect("groups");
    let passport = group_of(&report, 21)
        .nearest
        .clone()
        .expect("an article matches");
    assert_eq!(passport.id, "paspoort-aanvragen");
    let dog = group_of(&report, 24)
        .nearest
        .clone()
        .expect("an article matches");
    assert_eq!(dog.id, "hondenbelasting");
    let tree = group_of(&report, 26)
        .nearest
        .clone()
        .expect("an article matches");
    assert_eq!(tree.id, "kapvergunning");
    for lacking in [1, 11] {
        let nearest = &group_of(&report, lacking).nearest;
        assert!(
            nearest
                .as_ref()
                .is_none_or(|n| n.confidence < passport.confidence),
            "a lacking subject has no confident article: {nearest:?}"
        );
    }
}

#[test]
fn the_same_messages_in_any_order_give_the_same_report() {
    // All at the same moment, so that only the ids can order them.
    let mut input = messages(Duration::days(2), Duration::days(2));
    input.iter_mut().for_each(|m| m.at = now());
    let expected = group(&SNAPSHOT, &input, now()).expect("groups");
    assert_eq!(group_of(&expected, 1).members, vec![5, 4, 3, 2, 1]);
    let mut reversed = input.clone();
    reversed.reverse();
    let mut rotated = input.clone();
    rotated.rotate_left(7);
    for other in [reversed, rotated] {
        assert_eq!(group(&SNAPSHOT, &other, now()).expect("groups"), expected);
    }
}

#[test]
fn a_repeated_message_id_is_refused() {
    let mut input = messages(Duration::days(2), Duration::days(2));
    input[7].id = 3;
    assert_eq!(
        group(&SNAPSHOT, &input, now()),
        Err(GapError::DuplicateId(3))
    );
}

#[test]
fn no_messages_and_wordless_messages_still_work() {
    let report = group(&SNAPSHOT, &[], now()).expect("groups");
    assert!(report.groups.is_empty());
    let wordless = vec![
        GapMessage {
            id: 1,
            text: "??".into(),
            at: now(),
        },
        GapMessage {
            id: 2,
            text: "ik de het".into(),
            at: now(),
        },
    ];
    let report = group(&SNAPSHOT, &wordless, now()).expect("groups");
    assert_eq!(
        report.groups.len(),
        2,
        "nothing in common: two single messages"
    );
    assert!(report.groups.iter().all(|g| g.terms.is_empty()));
}

#[test]
fn only_the_most_recent_messages_are_grouped() {
    let input = messages(Duration::days(2), Duration::days(40));
    let report = group_at_most(&SNAPSHOT, &input, &[], now(), 15).expect("groups");
    assert_eq!(report.dropped, 5);
    assert!(
        report
            .groups
            .iter()
            .all(|g| g.members.iter().all(|&id| !(11..=15).contains(&id)))
    );
}

/// A made-up word for `i` (letters only: the tokenizer drops numbers).
fn made_up_word(mut i: usize) -> String {
    let mut word = String::from("q");
    loop {
        word.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return word;
        }
    }
}

/// Times grouping the largest allowed input three ways: messages mixing the constructed ones
/// (a few large groups), made-up words that share nothing (2,000 single messages) and the
/// sample KB's example questions (many small groups, each suggested for). Run in release:
/// `cargo test --release --lib search::gaps -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_the_largest_input() {
    let base = messages(Duration::days(1), Duration::days(3));
    let mixed: Vec<GapMessage> = (0..MAX_MESSAGES)
        .map(|i| {
            let m = &base[i % base.len()];
            let other = &base[(i / base.len()) % base.len()];
            GapMessage {
                id: i as i64,
                text: format!("{} {} {}", m.text, other.text, made_up_word(i)),
                at: m.at - Duration::minutes(i as i64),
            }
        })
        .collect();
    let distinct: Vec<GapMessage> = (0..MAX_MESSAGES)
        .map(|i| GapMessage {
            id: i as i64,
            text: made_up_word(i),
            at: now() - Duration::minutes(i as i64),
        })
        .collect();
    // The sample KB's example questions, each with a word of its own: many small groups,
    // each with a suggestion over real words.
    let questions: Vec<&String> = (SNAPSHOT.articles.iter())
        .flat_map(|a| &a.questions)
        .collect();
    let asked: Vec<GapMessage> = (0..MAX_MESSAGES)
        .map(|i| GapMessage {
            id: i as i64,
            text: format!("{} {}", questions[i % questions.len()], made_up_word(i)),
            at: now() - Duration::minutes(i as i64),
        })
        .collect();
    for (name, input) in [
        ("mixed", &mixed),
        ("distinct", &distinct),
        ("asked", &asked),
    ] {
        let mut times = Vec::new();
        let mut groups = 0;
        for _ in 0..5 {
            let started = Instant::now();
            groups = group(&SNAPSHOT, input, now()).expect("groups").groups.len();
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{name}: {} messages -> {groups} groups, median {:?} (min {:?}, max {:?})",
            input.len(),
            times[2],
            times[0],
            times[4]
        );
    }
}

#[test]
fn the_answered_questions_as_background_keep_a_small_reports_subject_together() {
    // Only the drone questions are gaps; the rest of what residents asked was answered.
    let drones: Vec<GapMessage> = messages(Duration::days(2), Duration::days(2))
        .into_iter()
        .filter(|m| m.id <= 5)
        .collect();
    let alone = group(&SNAPSHOT, &drones, now()).expect("groups");
    assert!(
        alone.groups.len() > 1,
        "among the gaps alone \"drone\" is in every message and weighs least: {:?}",
        alone.groups
    );
    let answered: Vec<String> = (ANSWERABLE.iter().chain(ICE_RINK.iter()))
        .map(|t| t.to_string())
        .collect();
    let report = group_with_background(&SNAPSHOT, &drones, &answered, now()).expect("groups");
    assert_eq!(report.groups.len(), 1, "{:?}", report.groups);
    assert_eq!(
        sorted(report.groups[0].members.clone()),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(report.groups[0].terms[0], "drone");
}

/// What the background costs: 200 gap messages alone, and with the most background texts
/// ([`MAX_BACKGROUND`], the sample KB's example questions). Medians of 5:
/// `cargo test --lib search::gaps::tests::time_the_background -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_the_background() {
    let questions: Vec<&String> = (SNAPSHOT.articles.iter())
        .flat_map(|a| &a.questions)
        .collect();
    let gaps: Vec<GapMessage> = (0..200)
        .map(|i| GapMessage {
            id: i as i64,
            text: format!("{} {}", questions[i % questions.len()], made_up_word(i)),
            at: now() - Duration::minutes(i as i64),
        })
        .collect();
    let background: Vec<String> = (0..MAX_BACKGROUND)
        .map(|i| questions[i % questions.len()].to_string())
        .collect();
    for (name, background) in [("alone", &background[..0]), ("background", &background[..])] {
        let mut times = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            group_with_background(&SNAPSHOT, &gaps, background, now()).expect("groups");
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "{name}: {} messages, {} background texts, median {:?} (min {:?}, max {:?})",
            gaps.len(),
            background.len(),
            times[2],
            times[0],
            times[4]
        );
    }
}

/// Message `id`, sent `id` hours ago.
fn sent_hours_ago(id: i64, text: &str) -> GapMessage {
    GapMessage {
        id,
        text: text.to_string(),
        at: now() - Duration::hours(id),
    }
}

/// A street name says where, not what: two questions on different subjects at the same
/// street are not one subject, and the street is no group's word.
#[test]
fn a_street_name_does_not_make_questions_alike() {
    let report = group(
        &SNAPSHOT,
        &[
            sent_hours_ago(1, "waar kan ik een kano te water laten aan de Havenkade"),
            sent_hours_ago(2, "mag ik met een hengel vissen vanaf de Havenkade"),
        ],
        now(),
    )
    .expect("groups");
    assert_ne!(group_of(&report, 1).central, group_of(&report, 2).central);
    for g in &report.groups {
        assert!(!g.terms.iter().any(|t| t == "havenkade"), "{:?}", g.terms);
    }
}

/// A time says when, not what: two questions on different subjects asked "sinds vorige week
/// dinsdag" are not one subject, and the day is no group's word.
#[test]
fn a_time_told_does_not_make_questions_alike() {
    let report = group(
        &SNAPSHOT,
        &[
            sent_hours_ago(
                1,
                "waar kan ik een kano te water laten, al sinds vorige week dinsdag",
            ),
            sent_hours_ago(
                2,
                "mag ik met een hengel vissen, al sinds vorige week dinsdag",
            ),
        ],
        now(),
    )
    .expect("groups");
    assert_ne!(group_of(&report, 1).central, group_of(&report, 2).central);
    for g in &report.groups {
        assert!(
            !g.terms.iter().any(|t| t == "dinsdag" || t == "week"),
            "{:?}",
            g.terms
        );
    }
}
