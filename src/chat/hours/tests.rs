//! Office hours: parsing, openings across holidays and clock changes, promises and words.

use super::*;
use chrono::{NaiveDateTime, Utc};
use serde::Deserialize;

fn hours(toml_text: &str) -> Result<OfficeHours, toml::de::Error> {
    #[derive(Deserialize)]
    struct Wrapper {
        office_hours: OfficeHours,
    }
    toml::from_str::<Wrapper>(toml_text).map(|w| w.office_hours)
}

/// Default hours, but Thursday split around lunch and open into the evening.
fn with_late_thursday() -> OfficeHours {
    let mut h = OfficeHours::default();
    h.days[3] = vec![
        "08:30-12:30".parse().expect("valid"),
        "13:00-20:00".parse().expect("valid"),
    ];
    h
}

/// `"2026-11-27 18:00"` on Amsterdam clocks.
fn ams(local: &str) -> DateTime<chrono_tz::Tz> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("test time");
    Amsterdam
        .from_local_datetime(&naive)
        .single()
        .expect("unambiguous test time")
}

#[test]
fn describes_merged_days_in_dutch() {
    let h = hours(
        "[office_hours]\nmonday=[\"08:30-17:00\"]\ntuesday=[\"08:30-17:00\"]\n\
         wednesday=[\"08:30-17:00\"]\nthursday=[\"08:30-12:00\",\"13:00-20:00\"]\n\
         friday=[\"08:30-17:00\"]",
    )
    .expect("valid");
    assert_eq!(
        h.describe(),
        [
            "maandag t/m woensdag: 08:30–17:00",
            "donderdag: 08:30–12:00 en 13:00–20:00",
            "vrijdag: 08:30–17:00",
            "zaterdag en zondag: gesloten",
            "feestdagen: gesloten",
        ]
    );
}

#[test]
fn open_is_judged_in_amsterdam_time() {
    let h = OfficeHours::default();
    // Monday 2026-11-23 07:45 UTC is 08:45 in Amsterdam (CET).
    let monday = Utc.with_ymd_and_hms(2026, 11, 23, 7, 45, 0).single();
    assert!(h.is_open(&monday.expect("valid")));
    let saturday = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).single();
    assert!(!h.is_open(&saturday.expect("valid")));
}

#[test]
fn closed_on_holidays_and_closed_days() {
    let default = OfficeHours::default();
    let configured = hours(
        "[office_hours]\nmonday=[\"08:30-17:00\"]\nthursday=[\"08:30-17:00\"]\n\
         friday=[\"08:30-17:00\"]\ngood_friday=false\nliberation_day=\"every_year\"\n\
         closed_days=[\"2026-12-24\"]",
    )
    .expect("valid");
    for (h, at, open) in [
        (&default, "2026-04-27 10:00", false), // Koningsdag, a Monday
        (&default, "2026-05-25 10:00", false), // Tweede Pinksterdag
        (&default, "2026-05-26 10:00", true),
        (&default, "2026-04-03 10:00", false), // Goede Vrijdag
        (&configured, "2026-04-03 10:00", true),
        (&default, "2026-12-24 10:00", true),
        (&configured, "2026-12-24 10:00", false),
        (&configured, "2026-05-05 10:00", false), // Bevrijdingsdag, every year
    ] {
        assert_eq!(h.is_open(&ams(at)), open, "{at}");
    }
}

#[test]
fn next_open_skips_evenings_weekends_and_holidays() {
    let default = OfficeHours::default();
    let late_thursday = with_late_thursday();
    for (h, at, expected) in [
        (&default, "2026-11-27 18:00", "2026-11-30 08:30"), // Friday evening
        (&default, "2026-11-28 10:00", "2026-11-30 08:30"), // Saturday
        (&default, "2026-11-30 10:17", "2026-11-30 10:17"), // open now
        (&default, "2026-12-01 07:00", "2026-12-01 08:30"), // before opening
        (&default, "2026-12-24 18:00", "2026-12-28 08:30"), // Christmas, then a Sunday
        (&late_thursday, "2026-12-03 12:45", "2026-12-03 13:00"), // Thursday lunch
        (&late_thursday, "2026-12-24 20:00", "2026-12-28 08:30"),
    ] {
        assert_eq!(h.next_open(&ams(at)), Some(ams(expected)), "{at}");
    }
}

#[test]
fn next_open_keeps_clock_times_across_the_autumn_change() {
    // Clocks go back on Sunday 2026-10-25; Monday 08:30 is then 07:30 UTC, not 06:30.
    let opens = OfficeHours::default().next_open(&ams("2026-10-24 12:00"));
    let expected = Utc.with_ymd_and_hms(2026, 10, 26, 7, 30, 0).single();
    assert_eq!(opens.map(|t| t.with_timezone(&Utc)), expected);
}

#[test]
fn a_time_skipped_in_spring_is_read_as_the_same_time_past_three() {
    // 2026-03-29 02:30 does not exist in Amsterdam; clocks jump from 02:00 to 03:00.
    let date = NaiveDate::from_ymd_opt(2026, 3, 29).expect("valid date");
    let time = NaiveTime::from_hms_opt(2, 30, 0).expect("valid time");
    assert_eq!(on_the_clock(date, time), ams("2026-03-29 03:30"));
}

#[test]
fn without_hours_there_is_no_opening_or_promise() {
    let closed = hours("[office_hours]\ngood_friday=true").expect("valid");
    assert_eq!(closed.next_open(&ams("2026-11-27 18:00")), None);
    assert_eq!(closed.reply_by(&ams("2026-11-27 18:00"), 60), None);
}

#[test]
fn reply_by_counts_only_office_time() {
    let late_thursday = with_late_thursday();
    for (at, minutes, expected) in [
        ("2026-11-26 11:00", 120, "2026-11-26 13:30"), // over Thursday lunch
        ("2026-11-26 19:00", 90, "2026-11-27 09:00"),  // Thursday evening into Friday
        ("2026-11-27 16:00", 120, "2026-11-30 09:30"), // over the weekend
        ("2026-11-27 18:00", 210, "2026-11-30 12:00"),
        ("2026-11-27 15:00", 120, "2026-11-27 17:00"), // exactly until closing
        ("2026-03-27 16:00", 120, "2026-03-30 09:30"), // over the spring change
        ("2026-12-24 19:00", 120, "2026-12-28 09:30"), // over Christmas
    ] {
        assert_eq!(
            late_thursday.reply_by(&ams(at), minutes),
            Some(ams(expected)),
            "{at} + {minutes} min"
        );
    }
}

#[test]
fn promise_and_opening_read_as_dutch() {
    let h = OfficeHours::default();
    let now = ams("2026-11-27 18:00");
    let reply_by = h.reply_by(&now, 210).expect("opens within a year");
    assert_eq!(describe_deadline(reply_by, now), "maandag vóór 12:00");
    let opens = h.next_open(&now).expect("opens within a year");
    assert_eq!(describe_opening(opens, now), "maandag om 08:30");
}

#[test]
fn moments_are_named_relative_to_today() {
    let now = ams("2026-11-27 18:00"); // a Friday
    for (moment, expected) in [
        ("2026-11-27 20:00", "vandaag"),
        ("2026-11-28 08:30", "morgen"),
        ("2026-11-30 08:30", "maandag"),
        ("2026-12-03 08:30", "donderdag"),
        ("2026-12-04 08:30", "vrijdag 4 december"),
        ("2027-01-05 08:30", "dinsdag 5 januari"),
    ] {
        assert_eq!(describe_moment(ams(moment), now), expected, "{moment}");
    }
}

#[test]
fn bad_entries_name_the_key() {
    for (toml_text, key, detail) in [
        (
            "monday=[\"17:00-08:00\"]",
            "office_hours.monday",
            "must end after",
        ),
        (
            "monday=[\"08:00-12:00\",\"11:00-17:00\"]",
            "office_hours.monday",
            "overlap",
        ),
        (
            "maandag=[\"08:00-17:00\"]",
            "office_hours",
            "unknown key `maandag`",
        ),
        (
            "closed_days=[\"24-12-2026\"]",
            "office_hours.closed_days",
            "`24-12-2026`",
        ),
        (
            "liberation_day=\"sometimes\"",
            "office_hours.liberation_day",
            "`sometimes`",
        ),
        ("good_friday=\"ja\"", "office_hours.good_friday", "boolean"),
    ] {
        let err = hours(&format!("[office_hours]\n{toml_text}")).expect_err(toml_text);
        let err = err.to_string();
        assert!(
            err.contains(key) && err.contains(detail),
            "{toml_text}: {err}"
        );
    }
}

#[test]
fn office_time_counts_only_open_periods_and_undoes_reply_by() {
    let h = with_late_thursday();
    // Friday evening to Monday 09:00 across the autumn clock change: Monday 08:30–09:00.
    let waited = h.office_time_between(&ams("2026-10-23 18:00"), &ams("2026-10-26 09:00"));
    assert_eq!(waited.num_minutes(), 30);
    // Thursday 12:00 to 14:00 skips the lunch break.
    let lunch = h.office_time_between(&ams("2026-10-22 12:00"), &ams("2026-10-22 14:00"));
    assert_eq!(lunch.num_minutes(), 90);
    // Nothing when the end is not after the start.
    let backwards = h.office_time_between(&ams("2026-10-22 14:00"), &ams("2026-10-22 12:00"));
    assert_eq!(backwards, TimeDelta::zero());
    // The inverse of reply_by, over a weekend and Christmas.
    let from = ams("2026-12-24 16:00");
    let by = h.reply_by(&from, 210).expect("a deadline");
    assert_eq!(h.office_time_between(&from, &by).num_minutes(), 210);
}
