//! The reports' filter form: a period (dag, week, maand or aangepast with two dates), a
//! channel and a department, read from the query string. Every problem is named in Dutch next
//! to the field it belongs to.

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use crate::chat::service::{WEB_CHAT, WHATSAPP};
use crate::config::Config;
use crate::store::reports::{Filter, FilterError, MAX_DAYS};

/// The query string as given; every field is optional so a bad value never fails extraction.
#[derive(Debug, Default, Deserialize)]
pub struct ReportQuery {
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub channel: Option<String>,
    pub department: Option<String>,
}

/// The periods the form offers: value, label, and the days it spans up to today.
pub const PERIODS: [(&str, &str, u64); 4] = [
    ("dag", "Vandaag", 1),
    ("week", "Laatste 7 dagen", 7),
    ("maand", "Laatste 30 dagen", 30),
    ("aangepast", "Aangepast (van – tot)", 0),
];

/// The channels vraagbaak itself serves, with their labels. The form also offers any other
/// channel the store has conversations on (an inbox tool's), by its own name.
pub const CHANNELS: [(&str, &str); 2] = [(WEB_CHAT, "Webchat"), (WHATSAPP, "WhatsApp")];

/// A problem with one field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name (`from`, `to`, `period`, `channel`, `department`).
    pub field: &'static str,
    pub message: String,
}

/// The form as it is shown again: the values given, with today filled in where none were.
#[derive(Debug, Clone)]
pub struct FormValues {
    pub period: String,
    pub from: String,
    pub to: String,
    pub channel: String,
    pub department: String,
}

impl ReportQuery {
    /// The filter this query asks for, on the Amsterdam date `today`, or every problem.
    pub fn resolve(&self, today: NaiveDate, config: &Config) -> Result<Filter, Vec<FieldError>> {
        let channel = given(&self.channel);
        let department = given(&self.department);
        let mut errors = Vec::new();
        if let Some(d) = department
            && config.department(d).is_none()
        {
            errors.push(field("department", format!("Onbekende afdeling ‘{d}’.")));
        }
        let period = given(&self.period).unwrap_or("week");
        let filter = match PERIODS.iter().find(|(value, _, _)| *value == period) {
            None => {
                errors.push(field(
                    "period",
                    format!("Onbekende periode ‘{period}’: kies dag, week, maand of aangepast."),
                ));
                return Err(errors);
            }
            Some((_, _, 0)) => {
                Filter::parse(given(&self.from), given(&self.to), channel, department)
            }
            Some((_, _, days)) => {
                let from = today.checked_sub_days(Days::new(days - 1)).unwrap_or(today);
                Filter::new(
                    from,
                    today,
                    channel.map(String::from),
                    department.map(String::from),
                )
            }
        };
        match filter {
            Ok(filter) if errors.is_empty() => Ok(filter),
            Ok(_) => Err(errors),
            Err(err) => {
                let problem = dutch(&err);
                if !errors.iter().any(|e| e.field == problem.field) {
                    errors.push(problem);
                }
                Err(errors)
            }
        }
    }

    /// The filter `viewer_department` may see: a user limited to one department sees only its
    /// figures, as in the inbox. Their department is filled in; another one is refused.
    pub fn for_viewer(
        mut self,
        today: NaiveDate,
        config: &Config,
        viewer_department: Option<&str>,
    ) -> (ReportQuery, Result<Filter, Vec<FieldError>>) {
        let Some(own) = viewer_department else {
            let resolved = self.resolve(today, config);
            return (self, resolved);
        };
        match given(&self.department) {
            Some(asked) if asked != own => {
                let name = config.department(own).map_or(own, |d| d.name.as_str());
                let refused = field(
                    "department",
                    format!("U ziet alleen de cijfers van uw afdeling, {name}."),
                );
                (self, Err(vec![refused]))
            }
            _ => {
                self.department = Some(own.to_string());
                let resolved = self.resolve(today, config);
                (self, resolved)
            }
        }
    }

    /// The values to show in the form again; the dates of `filter` when there is one.
    pub fn values(&self, filter: Option<&Filter>) -> FormValues {
        let text = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
        let (from, to) = match filter {
            Some(f) => (f.from.to_string(), f.to.to_string()),
            None => (text(&self.from), text(&self.to)),
        };
        FormValues {
            period: self.period.clone().unwrap_or_else(|| "week".into()),
            from,
            to,
            channel: text(&self.channel),
            department: text(&self.department),
        }
    }
}

impl FormValues {
    /// The same filter as a query string, for the CSV links.
    pub fn query_string(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("period", &self.period);
        if self.period == "aangepast" {
            query.append_pair("from", &self.from);
            query.append_pair("to", &self.to);
        }
        for (key, value) in [("channel", &self.channel), ("department", &self.department)] {
            if !value.is_empty() {
                query.append_pair(key, value);
            }
        }
        query.finish()
    }
}

/// A parameter's trimmed value; `None` when absent or empty.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn field(field: &'static str, message: String) -> FieldError {
    FieldError { field, message }
}

/// A refused filter in the page's words, at the field it concerns.
fn dutch(err: &FilterError) -> FieldError {
    match err {
        FilterError::Missing { param } => field(param, "Vul een datum in.".into()),
        FilterError::BadDate { param, value } => field(
            param,
            format!(
                "‘{value}’ is geen datum; gebruik de vorm jjjj-mm-dd, bijvoorbeeld 2026-12-01."
            ),
        ),
        FilterError::FromAfterTo { from, to } => field(
            "to",
            format!("De einddatum ({to}) ligt vóór de begindatum ({from})."),
        ),
        FilterError::TooLong => field(
            "to",
            format!("Een periode is hooguit {MAX_DAYS} dagen; kies een latere begindatum."),
        ),
        FilterError::BadChannel(c) => field("channel", format!("Onbekend kanaal ‘{c}’.")),
        FilterError::BadDepartment(d) => field("department", format!("Onbekende afdeling ‘{d}’.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(period: &str, from: &str, to: &str) -> ReportQuery {
        ReportQuery {
            period: Some(period.into()),
            from: Some(from.into()),
            to: Some(to.into()),
            ..ReportQuery::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).expect("date")
    }

    #[test]
    fn named_periods_end_today() {
        let config = Config::default();
        let week = query("week", "", "")
            .resolve(today(), &config)
            .expect("week");
        assert_eq!(
            (week.from.to_string(), week.to),
            ("2026-11-26".into(), today())
        );
        let day = query("dag", "", "").resolve(today(), &config).expect("day");
        assert_eq!(day.from, today());
        let month = query("maand", "x", "y")
            .resolve(today(), &config)
            .expect("month");
        assert_eq!(
            month.from.to_string(),
            "2026-11-03",
            "dates are ignored outside aangepast"
        );
        let none = ReportQuery::default()
            .resolve(today(), &config)
            .expect("default");
        assert_eq!(none, week);
    }

    #[test]
    fn custom_dates_are_checked_and_each_problem_is_at_its_field() {
        let config = Config::default();
        let ok = query("aangepast", "2026-01-01", "2026-01-31")
            .resolve(today(), &config)
            .expect("custom");
        assert_eq!(ok.to.to_string(), "2026-01-31");
        let err = query("aangepast", "2026-02-30", "2026-03-01")
            .resolve(today(), &config)
            .expect_err("bad date");
        assert_eq!(err[0].field, "from");
        assert!(err[0].message.contains("‘2026-02-30’ is geen datum"));
        let err = query("aangepast", "2026-03-02", "2026-03-01")
            .resolve(today(), &config)
            .expect_err("reversed");
        assert_eq!(err[0].field, "to");
        let err = query("aangepast", "2026-03-02", "")
            .resolve(today(), &config)
            .expect_err("missing");
        assert_eq!(
            (err[0].field, err[0].message.as_str()),
            ("to", "Vul een datum in.")
        );
        let err = query("jaar", "", "")
            .resolve(today(), &config)
            .expect_err("period");
        assert_eq!(err[0].field, "period");
    }

    #[test]
    fn unknown_channels_and_departments_are_named() {
        let config = Config::default();
        let mut q = query("week", "", "");
        q.channel = Some("<fax>".into());
        q.department = Some("nergens".into());
        let err = q.resolve(today(), &config).expect_err("refused");
        let fields: Vec<_> = err.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["department", "channel"]);
        assert!(err[1].message.contains("‘<fax>’"));
    }

    #[test]
    fn the_csv_links_carry_the_same_filter() {
        let mut q = query("aangepast", "2026-01-01", "2026-01-31");
        q.channel = Some("whatsapp".into());
        assert_eq!(
            q.values(None).query_string(),
            "period=aangepast&from=2026-01-01&to=2026-01-31&channel=whatsapp"
        );
        let week = query("week", "2026-01-01", "");
        assert_eq!(week.values(None).query_string(), "period=week");
    }
}
