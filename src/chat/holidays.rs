//! Dutch public holidays, computed per year from the rules rather than listed by hand, so the
//! calendar never runs out.
//!
//! Owns the date rules (Easter and the days that hang off it, Koningsdag, the fixed days) and the
//! two choices a municipality makes itself: whether it closes on Goede Vrijdag, and whether it
//! closes on Bevrijdingsdag every year or only in lustrum years, as the civil-service collective
//! agreement has it. Office hours (`hours.rs`) consult this module to stay closed on these days.

use std::fmt;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

/// How often the office closes on Bevrijdingsdag (5 May).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LiberationDay {
    /// Closed on 5 May every year.
    EveryYear,
    /// Closed only in years divisible by five (2025, 2030, ...), the usual arrangement.
    #[default]
    EveryFiveYears,
}

impl LiberationDay {
    const CHOICES: [(&'static str, LiberationDay); 2] = [
        ("every_year", LiberationDay::EveryYear),
        ("every_five_years", LiberationDay::EveryFiveYears),
    ];

    /// Whether the office is closed on 5 May of `year`.
    pub fn observed_in(self, year: i32) -> bool {
        match self {
            LiberationDay::EveryYear => true,
            LiberationDay::EveryFiveYears => year.rem_euclid(5) == 0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LiberationDay::EveryYear => "every_year",
            LiberationDay::EveryFiveYears => "every_five_years",
        }
    }
}

impl std::str::FromStr for LiberationDay {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        LiberationDay::CHOICES
            .iter()
            .find(|(text, _)| *text == s)
            .map(|(_, choice)| *choice)
            .ok_or_else(|| format!("`{s}` is not one of \"every_year\", \"every_five_years\""))
    }
}

impl fmt::Display for LiberationDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The holidays a municipality's office observes beyond the ones that are always closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRules {
    /// Goede Vrijdag is not a national day off; most municipalities close nonetheless.
    pub good_friday: bool,
    pub liberation_day: LiberationDay,
}

impl Default for HolidayRules {
    /// Closed on Goede Vrijdag, and on Bevrijdingsdag every five years.
    fn default() -> Self {
        HolidayRules {
            good_friday: true,
            liberation_day: LiberationDay::EveryFiveYears,
        }
    }
}

/// Easter Sunday in the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" computus).
pub fn easter(year: i32) -> NaiveDate {
    let a = year.rem_euclid(19);
    let (b, c) = (year.div_euclid(100), year.rem_euclid(100));
    let (d, e) = (b.div_euclid(4), b.rem_euclid(4));
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 at most 31: always a day in March or April.
    NaiveDate::from_ymd_opt(year, (n / 31) as u32, (n % 31 + 1) as u32)
        .expect("the computus yields a day in March or April")
}

/// Koningsdag as celebrated since 2014: the King's birthday, 27 April, moved to the Saturday
/// before when it falls on a Sunday.
pub fn koningsdag(year: i32) -> NaiveDate {
    let birthday = fixed(year, 4, 27);
    if birthday.weekday() == Weekday::Sun {
        birthday - TimeDelta::days(1)
    } else {
        birthday
    }
}

fn fixed(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("fixed holidays exist in every year")
}

/// The holidays the office observes in `year` under `rules`, with their Dutch names. Mostly in
/// calendar order, but Hemelvaartsdag can fall before Bevrijdingsdag.
pub fn holidays_in(
    year: i32,
    rules: &HolidayRules,
) -> impl Iterator<Item = (NaiveDate, &'static str)> + use<> {
    let easter = easter(year);
    let after_easter = |days| easter + TimeDelta::days(days);
    [
        (fixed(year, 1, 1), "Nieuwjaarsdag", true),
        (after_easter(-2), "Goede Vrijdag", rules.good_friday),
        (easter, "Eerste Paasdag", true),
        (after_easter(1), "Tweede Paasdag", true),
        (koningsdag(year), "Koningsdag", true),
        (
            fixed(year, 5, 5),
            "Bevrijdingsdag",
            rules.liberation_day.observed_in(year),
        ),
        (after_easter(39), "Hemelvaartsdag", true),
        (after_easter(49), "Eerste Pinksterdag", true),
        (after_easter(50), "Tweede Pinksterdag", true),
        (fixed(year, 12, 25), "Eerste Kerstdag", true),
        (fixed(year, 12, 26), "Tweede Kerstdag", true),
    ]
    .into_iter()
    .filter_map(|(date, name, observed)| observed.then_some((date, name)))
}

/// The Dutch name of the holiday on `date`, if the office observes one under `rules`.
///
/// When two coincide (Hemelvaartsdag on 5 May, as in 2016) the first in [`holidays_in`] wins;
/// either way the office is closed.
pub fn holiday(date: NaiveDate, rules: &HolidayRules) -> Option<&'static str> {
    holidays_in(date.year(), rules)
        .find(|(day, _)| *day == date)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("test dates are ISO dates")
    }

    #[test]
    fn easter_matches_known_dates() {
        for (year, expected) in [
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2026, "2026-04-05"),
            (2027, "2027-03-28"),
            (2038, "2038-04-25"),
            (2285, "2285-03-22"), // earliest possible date
        ] {
            assert_eq!(easter(year), date(expected), "Easter {year}");
        }
    }

    #[test]
    fn koningsdag_moves_to_saturday_when_the_27th_is_a_sunday() {
        assert_eq!(koningsdag(2025), date("2025-04-26"));
        assert_eq!(koningsdag(2026), date("2026-04-27"));
        let rules = HolidayRules::default();
        assert_eq!(holiday(date("2025-04-27"), &rules), None);
    }

    #[test]
    fn names_the_holiday_on_a_date() {
        let default = HolidayRules::default();
        let open_good_friday = HolidayRules {
            good_friday: false,
            ..default
        };
        let liberation_every_year = HolidayRules {
            liberation_day: LiberationDay::EveryYear,
            ..default
        };
        for (day, rules, expected) in [
            ("2026-01-01", default, Some("Nieuwjaarsdag")),
            ("2026-04-03", default, Some("Goede Vrijdag")),
            ("2026-04-03", open_good_friday, None),
            ("2026-04-05", default, Some("Eerste Paasdag")),
            ("2026-04-06", default, Some("Tweede Paasdag")),
            ("2025-04-26", default, Some("Koningsdag")),
            ("2026-04-27", default, Some("Koningsdag")),
            ("2025-05-05", default, Some("Bevrijdingsdag")),
            ("2026-05-05", default, None),
            ("2026-05-05", liberation_every_year, Some("Bevrijdingsdag")),
            ("2026-05-14", default, Some("Hemelvaartsdag")),
            ("2026-05-24", default, Some("Eerste Pinksterdag")),
            ("2026-05-25", default, Some("Tweede Pinksterdag")),
            ("2026-12-25", default, Some("Eerste Kerstdag")),
            ("2026-12-26", default, Some("Tweede Kerstdag")),
            ("2026-12-24", default, None),
            ("2026-05-13", default, None),
        ] {
            assert_eq!(holiday(date(day), &rules), expected, "{day} with {rules:?}");
        }
    }

    #[test]
    fn default_rules_give_ten_holidays_plus_bevrijdingsdag_in_lustrum_years() {
        let rules = HolidayRules::default();
        assert_eq!(holidays_in(2026, &rules).count(), 10);
        assert_eq!(holidays_in(2025, &rules).count(), 11);
    }

    #[test]
    fn liberation_day_parses_only_known_choices() {
        assert_eq!("every_year".parse(), Ok(LiberationDay::EveryYear));
        assert_eq!(
            "every_five_years".parse(),
            Ok(LiberationDay::EveryFiveYears)
        );
        let err = "sometimes"
            .parse::<LiberationDay>()
            .expect_err("unknown choice");
        assert!(err.contains("`sometimes`"), "{err}");
    }
}
