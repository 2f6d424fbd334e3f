//! The plain-text transcript of a conversation, as a person reads it back years later: every
//! message (masked as stored) with its time in Europe/Amsterdam, who wrote it, internal notes
//! marked as such, and earlier texts of edited messages.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

use super::record::{channel_name, team_name};
use crate::chat::{AuthorKind, Direction};
use crate::config::Config;
use crate::store::export::{ExportedConversation, ExportedMessage};

/// `2026-12-02 10:15:03`, Dutch local time.
fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The transcript, UTF-8, lines ending in `\n`.
pub fn transcript(config: &Config, c: &ExportedConversation) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Gesprek {} via {} ({})",
        c.id,
        channel_name(&c.channel),
        config.archive.archiefvormer.name
    );
    let _ = writeln!(out, "Tijden: Europe/Amsterdam");
    let _ = writeln!(out, "Begonnen: {}", local(c.created_at));
    if let Some(at) = c.closed_at {
        let _ = writeln!(out, "Gesloten: {}", local(at));
    }
    if let Some(d) = &c.department {
        let _ = writeln!(out, "Afdeling: {}", team_name(config, d));
    }
    if !c.labels.is_empty() {
        let _ = writeln!(out, "Labels: {}", c.labels.join(", "));
    }
    for m in &c.messages {
        out.push('\n');
        let _ = writeln!(out, "[{}] {}", local(m.created_at), author(m));
        for line in m.text.lines() {
            let _ = writeln!(out, "    {line}");
        }
        for r in &m.revisions {
            let _ = writeln!(
                out,
                "    (eerdere tekst, vervangen {}:)",
                local(r.replaced_at)
            );
            for line in r.text.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
        if let Some(at) = m.revoked_at {
            let _ = writeln!(out, "    (door de inwoner verwijderd op {})", local(at));
        }
        for r in &m.reactions {
            let _ = writeln!(out, "    (reactie van de inwoner: {})", r.emoji);
        }
    }
    out
}

fn author(m: &ExportedMessage) -> String {
    let name = m.author_name.as_deref();
    match (m.direction, m.author) {
        (Direction::Note, _) => format!("Interne notitie van {}", name.unwrap_or("medewerker")),
        (_, AuthorKind::Resident) => "Inwoner".into(),
        (_, AuthorKind::Agent) => match name {
            Some(name) => format!("Medewerker {name}"),
            None => "Medewerker".into(),
        },
        (_, AuthorKind::Bot) => "Chatbot".into(),
        (_, AuthorKind::System) => match name {
            Some(label) => label.to_string(),
            None => "Automatisch bericht".into(),
        },
    }
}
