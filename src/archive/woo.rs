//! `vraagbaak export --woo --from DATE --to DATE`: the conversations active in a period, ready to
//! hand over for a Woo request (Wet open overheid).
//!
//! Every personal datum is masked, beyond what was masked on arrival:
//! - the privacy guard runs again on every stored text with nothing left visible (no trailing
//!   digits) and low-certainty findings masked: BSN, IBAN, date of birth, address;
//! - any number of nine or more digits, separators allowed (phone numbers, BSNs, account
//!   and case numbers), becomes `[nummer]`; e-mail addresses become `[e-mailadres]`;
//! - every word of a dashboard user's name becomes their role (`[medewerker]`), and every word
//!   of the resident's profile name `[inwoner]`;
//! - authors are given by role, never by name; the resident's number or token, profile name,
//!   earlier numbers, channel ids and internal notes are left out.
//!
//! Conversations are included when they were active in the period: started before its end and
//! last changed after its start.

use std::collections::HashMap;
use std::io::Write;
use std::ops::Range;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::record::team_name;
use super::{ArchiveError, Period, Result};
use crate::chat::privacy::{self, Kind, Masking};
use crate::chat::{AuthorKind, Direction};
use crate::config::Config;
use crate::store::export::{ExportedConversation, ExportedMessage, each_selected};
use crate::store::users::User;
use crate::store::{Store, archive, users};

#[derive(Debug, Serialize)]
pub struct WooConversation {
    pub id: i64,
    pub channel: String,
    pub status: crate::chat::Status,
    /// The team's name.
    pub department: Option<String>,
    pub labels: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub messages: Vec<WooMessage>,
}

#[derive(Debug, Serialize)]
pub struct WooMessage {
    pub direction: Direction,
    /// A role, never a name: inwoner, medewerker, redacteur, beheerder, chatbot, koppeling,
    /// automatisch bericht.
    pub author: String,
    pub text: String,
    pub created_at: DateTime<Utc>,
    /// For a photo or file: its kind; the file itself is not part of the export.
    pub media_kind: Option<String>,
    pub edited_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The texts it had before the resident edited it, masked the same way.
    pub earlier_texts: Vec<String>,
}

/// Masks texts for a Woo export; built once from the store's users.
pub struct Redactor {
    /// Lower-case words of users' names, with the role that replaces them.
    names: HashMap<String, &'static str>,
    rule: Masking,
}

/// The role shown for a user instead of their name.
fn role_label(user: &User) -> &'static str {
    match user.role.as_str() {
        "editor" => "redacteur",
        "admin" => "beheerder",
        _ => "medewerker",
    }
}

/// Digits a number needs to be masked: a phone number has ten, a BSN nine.
const MIN_DIGITS: usize = 9;

impl Redactor {
    pub fn new(users: &[User]) -> Redactor {
        let mut names = HashMap::new();
        for user in users {
            for word in words(&user.name) {
                names.insert(user.name[word].to_lowercase(), role_label(user));
            }
        }
        Redactor {
            names,
            rule: Masking {
                keep_last: 0,
                mask_low_certainty: true,
                kinds: vec![Kind::Bsn, Kind::Iban, Kind::BirthDate, Kind::Address],
            },
        }
    }

    /// The role for an agent message's author name (a tool's label reads `Koppeling …`).
    fn author(&self, m: &ExportedMessage) -> String {
        let name = m.author_name.as_deref().unwrap_or_default();
        match m.author {
            AuthorKind::Resident => "inwoner".into(),
            AuthorKind::Bot => "chatbot".into(),
            AuthorKind::System => "automatisch bericht".into(),
            AuthorKind::Agent if name.starts_with("Koppeling") => "koppeling".into(),
            AuthorKind::Agent => self
                .names
                .get(&name.to_lowercase())
                .copied()
                .unwrap_or("medewerker")
                .into(),
        }
    }

    /// `text` with every personal datum masked; `resident` is the resident's profile name.
    pub fn text(&self, text: &str, resident: Option<&str>) -> String {
        let text = privacy::screen(text, &self.rule).text;
        // Masked on arrival, a BSN or IBAN kept its last characters (`••••••782`).
        let text = replace(&text, visible_tails(&text), "•••");
        let text = replace(&text, numbers(&text), "[nummer]");
        let text = replace(&text, emails(&text), "[e-mailadres]");
        let resident: Vec<String> = resident
            .map(|r| words(r).map(|w| r[w].to_lowercase()).collect())
            .unwrap_or_default();
        let mut spans = Vec::new();
        for w in words(&text) {
            let word = text[w.clone()].to_lowercase();
            if resident.contains(&word) {
                spans.push((w, "[inwoner]".to_string()));
            } else if let Some(role) = self.names.get(&word) {
                spans.push((w, format!("[{role}]")));
            }
        }
        splice(&text, spans)
    }

    pub fn conversation(&self, config: &Config, c: ExportedConversation) -> WooConversation {
        let resident = c.resident_name.as_deref();
        let messages = c
            .messages
            .iter()
            .filter(|m| m.direction != Direction::Note)
            .map(|m| WooMessage {
                direction: m.direction,
                author: self.author(m),
                text: self.text(&m.text, resident),
                created_at: m.created_at,
                media_kind: m.media_kind.clone(),
                edited_at: m.edited_at,
                revoked_at: m.revoked_at,
                earlier_texts: m
                    .revisions
                    .iter()
                    .map(|r| self.text(&r.text, resident))
                    .collect(),
            })
            .collect();
        WooConversation {
            id: c.id,
            channel: c.channel,
            status: c.status,
            department: c.department.map(|d| team_name(config, &d)),
            labels: c.labels,
            created_at: c.created_at,
            closed_at: c.closed_at,
            messages,
        }
    }
}

/// Writes the Woo export of `period` as one JSON document to `out`; returns the count.
pub fn export_woo(
    store: &Store,
    config: &Config,
    period: Period,
    out: &mut impl Write,
) -> Result<usize> {
    let (from, to) = period.bounds();
    let redactor = Redactor::new(&store.blocking(|c| users::users(c))?);
    let io = |source| ArchiveError::Write {
        path: "standard output".into(),
        source,
    };
    let header = serde_json::json!({
        "exported_at": Utc::now(),
        "period": { "from": period.from, "to": period.to },
        "masked": "persoonsgegevens gemaskeerd; auteurs als rol; interne notities weggelaten",
    });
    let header = header.to_string();
    // The header object, left open for the conversations.
    out.write_all(&header.as_bytes()[..header.len() - 1])
        .map_err(io)?;
    out.write_all(b",\"conversations\":[").map_err(io)?;
    let mut first = true;
    let count = store.blocking(|conn| {
        Ok(each_selected(
            conn,
            |c| archive::active_between(c, from, to),
            |conversation| -> Result<()> {
                let woo = redactor.conversation(config, conversation);
                let json = serde_json::to_string(&woo)
                    .map_err(|source| ArchiveError::Json { id: woo.id, source })?;
                let sep = if first { "\n" } else { ",\n" };
                first = false;
                out.write_all(sep.as_bytes()).map_err(io)?;
                out.write_all(json.as_bytes()).map_err(io)?;
                Ok(())
            },
        ))
    })??;
    out.write_all(b"\n]}\n").map_err(io)?;
    out.flush().map_err(io)?;
    Ok(count)
}

/// Byte ranges of the words (runs of letters and digits) in `text`.
fn words(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    text.char_indices()
        .chain(std::iter::once((text.len(), ' ')))
        .filter_map(move |(i, c)| match (c.is_alphanumeric(), start) {
            (true, None) => {
                start = Some(i);
                None
            }
            (false, Some(s)) => {
                start = None;
                Some(s..i)
            }
            _ => None,
        })
}

/// Numbers of [`MIN_DIGITS`] or more digits, single separators (space, dash, dot, slash,
/// brackets) and a leading `+` allowed: `06-12345678`, `+31 6 1234 5678`, `123.456.782`.
fn numbers(text: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].1.is_ascii_digit()
            || (chars[i].1 == '+' && chars.get(i + 1).is_some_and(|c| c.1.is_ascii_digit()));
        if !starts {
            i += 1;
            continue;
        }
        let (mut j, mut digits, mut end) = (i, 0, i);
        while j < chars.len() {
            let c = chars[j].1;
            if c.is_ascii_digit() {
                digits += 1;
                end = j;
            } else if !(matches!(c, ' ' | '-' | '.' | '/' | '(' | ')') || (c == '+' && j == i))
                || !chars
                    .get(j + 1)
                    .is_some_and(|n| n.1.is_ascii_digit() || n.1 == '(')
            {
                break;
            }
            j += 1;
        }
        if digits >= MIN_DIGITS {
            let stop = chars.get(end + 1).map_or(text.len(), |c| c.0);
            found.push(chars[i].0..stop);
        }
        i = j.max(i + 1);
    }
    found
}

/// The letters and digits right after a run of `•`s: what masking on arrival left visible.
fn visible_tails(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut after_mask = false;
    let mut tail: Option<Range<usize>> = None;
    for (i, c) in text.char_indices() {
        if after_mask && c.is_alphanumeric() {
            let start = tail.as_ref().map_or(i, |t| t.start);
            tail = Some(start..i + c.len_utf8());
            continue;
        }
        found.extend(tail.take());
        after_mask = c == '•';
    }
    found.extend(tail);
    found
}

/// Whitespace-separated tokens with an `@` followed by a dot: e-mail addresses.
fn emails(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut offset = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        let word = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        let word_start = word.len() - word.trim_start_matches(['(', '<']).len();
        if let Some(at) = word.find('@')
            && word[at..].contains('.')
            && at > word_start
        {
            found.push(offset + word_start..offset + word.len());
        }
        offset += token.len();
    }
    found
}

fn replace(text: &str, ranges: Vec<Range<usize>>, with: &str) -> String {
    splice(
        text,
        ranges.into_iter().map(|r| (r, with.to_string())).collect(),
    )
}

/// `text` with each (non-overlapping, ordered) range replaced.
fn splice(text: &str, spans: Vec<(Range<usize>, String)>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, with) in spans {
        out.push_str(&text[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::users::Role;

    fn user(name: &str, role: Role) -> User {
        User {
            id: 1,
            name: name.into(),
            role,
            department: None,
            disabled: false,
        }
    }

    #[test]
    fn numbers_mails_and_names_are_masked() {
        let redactor = Redactor::new(&[
            user("anna.de-vries", Role::Agent),
            user("Bert", Role::Admin),
        ]);
        let text = "Bel 06-12345678 of +31 6 1234 5678, mail jan@example.nl. Groet, Anna (ook Bert). \
                    Huisnummer 12, postcode 1234, datum 12-03-2024.";
        let masked = redactor.text(text, Some("Jan Jansen"));
        assert_eq!(
            masked,
            "Bel [nummer] of [nummer], mail [e-mailadres]. Groet, [medewerker] (ook [beheerder]). \
             Huisnummer 12, postcode 1234, datum 12-03-2024."
        );
        let masked = redactor.text("Dag Jan, uw BSN ••••••333 (eerder: 111222333)", Some("Jan"));
        assert!(
            masked.starts_with("Dag [inwoner], uw BSN ••••••••• (eerder: "),
            "{masked}"
        );
        assert!(!masked.chars().any(|c| c.is_ascii_digit()), "{masked}");
    }
}
