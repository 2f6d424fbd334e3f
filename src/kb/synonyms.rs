//! The municipality's synonym list, Solr style.
//!
//! ```text
//! # comment
//! kliko, container, minicontainer, afvalbak     (all equivalent)
//! stort, vuilstort => milieustraat              (one way: left side also searches right side)
//! ```

use std::path::Path;

use super::Problem;

/// One line of the synonym file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SynonymRule {
    /// Every term searches for every other term.
    Equivalent(Vec<String>),
    /// A message containing a term on the left also searches the terms on the right.
    OneWay { from: Vec<String>, to: Vec<String> },
}

/// All synonym rules, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    pub rules: Vec<SynonymRule>,
}

impl Synonyms {
    /// Parses the synonym file, collecting a problem per malformed line.
    pub fn parse(path: &Path, text: &str) -> (Synonyms, Vec<Problem>) {
        let mut rules = Vec::new();
        let mut problems = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match parse_rule(line) {
                Ok(rule) => rules.push(rule),
                Err(message) => problems.push(Problem::new(path, index + 1, message)),
            }
        }
        (Synonyms { rules }, problems)
    }
}

fn parse_rule(line: &str) -> Result<SynonymRule, String> {
    let sides: Vec<&str> = line.split("=>").collect();
    match sides.as_slice() {
        [group] => {
            let terms = terms(group)?;
            if terms.len() < 2 {
                return Err(format!(
                    "a synonym group needs at least two terms separated by commas, found `{line}`"
                ));
            }
            Ok(SynonymRule::Equivalent(terms))
        }
        [from, to] => Ok(SynonymRule::OneWay {
            from: terms(from).map_err(|e| format!("left of `=>`: {e}"))?,
            to: terms(to).map_err(|e| format!("right of `=>`: {e}"))?,
        }),
        _ => Err(format!("a rule can contain `=>` only once, found `{line}`")),
    }
}

fn terms(list: &str) -> Result<Vec<String>, String> {
    let terms: Vec<String> = list.split(',').map(|t| t.trim().to_lowercase()).collect();
    if terms.iter().any(String::is_empty) {
        return Err("empty term (two commas in a row, or a comma at the start or end)".into());
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_one_way_rules_and_comments() {
        let text = "# afval\nkliko, Container\nstort => milieustraat # oud woord\n\n";
        let (synonyms, problems) = Synonyms::parse(Path::new("s.txt"), text);
        assert!(problems.is_empty());
        assert_eq!(
            synonyms.rules,
            vec![
                SynonymRule::Equivalent(vec!["kliko".into(), "container".into()]),
                SynonymRule::OneWay {
                    from: vec!["stort".into()],
                    to: vec!["milieustraat".into()]
                },
            ]
        );
    }

    #[test]
    fn malformed_lines_are_reported_with_their_line() {
        let text = "kliko\na, , b\na => b => c\n=> b\n";
        let (_, problems) = Synonyms::parse(Path::new("s.txt"), text);
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
    }
}
