//! `[archive]`: who forms the archive (archiefvormer), how long conversations are kept under the
//! selectielijst, and whether the server destroys expired ones by itself.
//!
//! Every conversation gets one result from the Selectielijst gemeenten en intergemeentelijke
//! organen 2020: the default (6.1.3, a resident's request for information, destroyed one year
//! after closing), or the result of one of its labels (a complaint: 13.1, five years). With
//! several mapped labels the longest term wins, and a result to keep (`bewaren`) beats any
//! result to destroy. The term starts on the day (Europe/Amsterdam) the conversation was last
//! closed; a conversation that is open again has no term until it is closed again.

use chrono::{Months, NaiveDate};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArchiveConfig {
    /// The organisation that forms the archive, as MDTO's `archiefvormer`.
    pub archiefvormer: Archiefvormer,
    /// The result for a conversation none of whose labels is mapped.
    pub default_result: SelectionResult,
    /// Labels mapped to other results of the selectielijst.
    pub results: Vec<LabelResult>,
    /// Destroy conversations whose term ended once a day from the running server. Off by
    /// default: a municipality first checks the destruction list of `vraagbaak archive purge
    /// --dry-run`, and its archivist signs off the first real run.
    pub auto_purge: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Archiefvormer {
    /// As the organisation is known (`Gemeente Dijkstede`).
    pub name: String,
    /// Its identifier, such as an OIN or a TOOI code.
    pub id: String,
    /// Where the identifier comes from (`OIN`, `TOOI`).
    pub id_source: String,
}

/// One result of a selectielijst.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionResult {
    /// The result's number in the list (`6.1.3`).
    pub result: String,
    /// Its name (`informatieverzoek`).
    pub name: String,
    /// `vernietigen` (destroy when the term ends) or `bewaren` (keep; transfer later).
    pub waardering: Waardering,
    /// The term as an ISO 8601 period: `P1Y`, `P5Y`, `P6M`, `P1Y6M`, `P30D`.
    pub bewaartermijn: Term,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelResult {
    /// A conversation label, as agents set it (lower case).
    pub label: String,
    pub result: String,
    pub name: String,
    pub waardering: Waardering,
    pub bewaartermijn: Term,
}

impl LabelResult {
    pub fn selection(&self) -> SelectionResult {
        SelectionResult {
            result: self.result.clone(),
            name: self.name.clone(),
            waardering: self.waardering,
            bewaartermijn: self.bewaartermijn,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Waardering {
    Vernietigen,
    Bewaren,
}

impl Waardering {
    pub fn as_str(self) -> &'static str {
        match self {
            Waardering::Vernietigen => "vernietigen",
            Waardering::Bewaren => "bewaren",
        }
    }

    /// The code in MDTO's Begrippenlijst Waarderingen.
    pub fn code(self) -> &'static str {
        match self {
            Waardering::Vernietigen => "V",
            Waardering::Bewaren => "B",
        }
    }
}

/// A retention term: whole years, months and days (an ISO 8601 period without time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    months: u32,
    days: u32,
}

impl Term {
    /// The day the term ends when it starts on `start`; `None` past the calendar's end.
    pub fn end(self, start: NaiveDate) -> Option<NaiveDate> {
        start
            .checked_add_months(Months::new(self.months))?
            .checked_add_days(chrono::Days::new(u64::from(self.days)))
    }

    /// The term as a lead reads it: "1 jaar", "6 maanden", "1 jaar, 6 maanden en 30 dagen".
    pub fn in_dutch(self) -> String {
        let (years, months) = (self.months / 12, self.months % 12);
        let parts: Vec<String> = [
            (years, "jaar", "jaar"),
            (months, "maand", "maanden"),
            (self.days, "dag", "dagen"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        match parts.as_slice() {
            // Parsing refuses an empty term.
            [] => String::new(),
            [only] => only.clone(),
            [rest @ .., last] => format!("{} en {last}", rest.join(", ")),
        }
    }
}

impl std::str::FromStr for Term {
    type Err = String;

    fn from_str(text: &str) -> Result<Term, String> {
        let bad = || {
            format!("`{text}` is not a period such as P1Y, P5Y, P6M or P30D (years, months, days)")
        };
        let rest = text.strip_prefix('P').ok_or_else(bad)?;
        let (mut term, mut number, mut last_unit) = (Term { months: 0, days: 0 }, None, 0);
        for c in rest.chars() {
            if let Some(digit) = c.to_digit(10) {
                let n: u32 = number.unwrap_or(0);
                number = Some(
                    n.checked_mul(10)
                        .and_then(|n| n.checked_add(digit))
                        .ok_or_else(bad)?,
                );
                continue;
            }
            // Units in order, each once: Y, M, D.
            let (unit, months_each) = match c {
                'Y' => (1, 12),
                'M' => (2, 1),
                'D' => (3, 0),
                _ => return Err(bad()),
            };
            let n = number.take().ok_or_else(bad)?;
            if unit <= last_unit {
                return Err(bad());
            }
            last_unit = unit;
            if unit == 3 {
                term.days = n;
            } else {
                let add = n.checked_mul(months_each).ok_or_else(bad)?;
                term.months = term.months.checked_add(add).ok_or_else(bad)?;
            }
        }
        if number.is_some() || last_unit == 0 {
            return Err(bad());
        }
        if term.months == 0 && term.days == 0 {
            return Err(format!("`{text}` is an empty term"));
        }
        Ok(term)
    }
}

impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("P")?;
        let (years, months) = (self.months / 12, self.months % 12);
        if years > 0 {
            write!(f, "{years}Y")?;
        }
        if months > 0 {
            write!(f, "{months}M")?;
        }
        if self.days > 0 {
            write!(f, "{}D", self.days)?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Term, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Default for ArchiveConfig {
    fn default() -> Self {
        ArchiveConfig {
            archiefvormer: Archiefvormer {
                name: "Gemeente Dijkstede".into(),
                id: "gm9999".into(),
                id_source: "TOOI".into(),
            },
            default_result: SelectionResult {
                result: "6.1.3".into(),
                name: "informatieverzoek".into(),
                waardering: Waardering::Vernietigen,
                bewaartermijn: Term {
                    months: 12,
                    days: 0,
                },
            },
            results: vec![LabelResult {
                label: "klacht".into(),
                result: "13.1".into(),
                name: "klacht".into(),
                waardering: Waardering::Vernietigen,
                bewaartermijn: Term {
                    months: 60,
                    days: 0,
                },
            }],
            auto_purge: false,
        }
    }
}

impl ArchiveConfig {
    /// The result for a conversation with these labels: of the mapped ones, a result to keep
    /// first, else the longest term; the default when none is mapped.
    pub fn result_for(&self, labels: &[String]) -> SelectionResult {
        self.results
            .iter()
            .filter(|r| labels.contains(&r.label))
            // Terms compare by where they end (P400D outlasts P1Y), from any one day.
            .max_by_key(|r| {
                let end = r.bewaartermijn.end(NaiveDate::MIN);
                (r.waardering == Waardering::Bewaren, end)
            })
            .map_or_else(|| self.default_result.clone(), LabelResult::selection)
    }

    /// Names every problem serde cannot see: empty names, a label mapped twice.
    pub fn validate(&self) -> Result<(), String> {
        let a = &self.archiefvormer;
        for (field, value) in [
            ("name", &a.name),
            ("id", &a.id),
            ("id_source", &a.id_source),
        ] {
            if value.trim().is_empty() {
                return Err(format!("archive.archiefvormer.{field} must not be empty"));
            }
        }
        check_result("archive.default_result", &self.default_result)?;
        let mut seen = std::collections::HashSet::new();
        for r in &self.results {
            let label = r.label.trim();
            if label.is_empty() || label != r.label || label.to_lowercase() != label {
                return Err(format!(
                    "archive.results: label `{}` must be a lower-case label without spaces around it",
                    r.label
                ));
            }
            if !seen.insert(label) {
                return Err(format!("archive.results: label `{label}` is mapped twice"));
            }
            check_result(
                &format!("archive.results (label `{label}`)"),
                &r.selection(),
            )?;
        }
        Ok(())
    }
}

fn check_result(at: &str, r: &SelectionResult) -> Result<(), String> {
    let numbered = !r.result.is_empty()
        && r.result
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !numbered {
        return Err(format!(
            "{at}: result `{}` must be a result number of the selectielijst, such as 6.1.3",
            r.result
        ));
    }
    if r.name.trim().is_empty() {
        return Err(format!(
            "{at}: the result needs a name, such as informatieverzoek"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_in_dutch() {
        let dutch = |t: &str| t.parse::<Term>().expect("term").in_dutch();
        assert_eq!(dutch("P1Y"), "1 jaar");
        assert_eq!(dutch("P5Y"), "5 jaar");
        assert_eq!(dutch("P6M"), "6 maanden");
        assert_eq!(dutch("P1M"), "1 maand");
        assert_eq!(dutch("P1Y6M"), "1 jaar en 6 maanden");
        assert_eq!(dutch("P2Y1M30D"), "2 jaar, 1 maand en 30 dagen");
    }

    #[test]
    fn terms_parse_print_and_end_on_the_calendar() {
        let term: Term = "P1Y6M".parse().expect("valid");
        assert_eq!(term.to_string(), "P1Y6M");
        let start = NaiveDate::from_ymd_opt(2024, 2, 29).expect("date");
        assert_eq!(term.end(start), NaiveDate::from_ymd_opt(2025, 8, 29));
        let days: Term = "P30D".parse().expect("valid");
        assert_eq!(days.end(start), NaiveDate::from_ymd_opt(2024, 3, 30));
        assert_eq!("P12M".parse::<Term>().expect("valid").to_string(), "P1Y");
        for bad in [
            "1Y", "P", "PY", "P1", "P1D1Y", "P1Y1Y", "P1H", "PT1H", "P0Y", "P-1Y",
        ] {
            assert!(bad.parse::<Term>().is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn the_longest_mapped_term_wins_and_keeping_beats_destroying() {
        let mut config = ArchiveConfig::default();
        assert_eq!(config.result_for(&[]).result, "6.1.3");
        assert_eq!(
            config.result_for(&["klacht".into(), "afval".into()]).result,
            "13.1"
        );
        config.results.push(LabelResult {
            label: "bezwaar".into(),
            result: "1.1".into(),
            name: "bezwaar".into(),
            waardering: Waardering::Bewaren,
            bewaartermijn: "P1Y".parse().expect("valid"),
        });
        let labels = ["klacht".to_string(), "bezwaar".to_string()];
        assert_eq!(config.result_for(&labels).result, "1.1");
        // Terms compare by length, not by their written units.
        config.results[0].bewaartermijn = "P1Y".parse().expect("valid");
        config.results[1].waardering = Waardering::Vernietigen;
        config.results[1].bewaartermijn = "P400D".parse().expect("valid");
        assert_eq!(config.result_for(&labels).result, "1.1");
    }

    #[test]
    fn bad_settings_are_named() {
        let mut config = ArchiveConfig::default();
        config.validate().expect("the default is valid");
        config.results.push(config.results[0].clone());
        let err = config.validate().expect_err("mapped twice");
        assert!(err.contains("`klacht` is mapped twice"), "{err}");
        let mut config = ArchiveConfig::default();
        config.default_result.result = "zes".into();
        let err = config.validate().expect_err("not a number");
        assert!(err.contains("archive.default_result"), "{err}");
        let mut config = ArchiveConfig::default();
        config.archiefvormer.name = " ".into();
        let err = config.validate().expect_err("empty");
        assert!(err.contains("archive.archiefvormer.name"), "{err}");
        let err = toml::from_str::<ArchiveConfig>("[default_result]\nresult = \"6.1.3\"\nname = \"x\"\nwaardering = \"vernietigen\"\nbewaartermijn = \"1 jaar\"\n")
            .expect_err("not a period");
        assert!(
            err.to_string().contains("`1 jaar` is not a period"),
            "{err}"
        );
    }
}
