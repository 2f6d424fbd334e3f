//! A conversation as an MDTO `informatieobject`: its identification, what happened to it
//! (received, answered, forwarded, closed; destroyed in the destruction list), its labels as
//! classification, and the selectielijst result with its retention term.
//!
//! Names and texts in the record never hold personal data: the name says channel and date,
//! not who wrote; events name teams, not agents.

use chrono::{DateTime, NaiveDate, Utc};

use super::local_date;
use super::mdto::{
    Begrip, BeperkingGebruik, DekkingInTijd, Gebeurtenis, Identificatie, Informatieobject, Termijn,
    Verwijzing,
};
use crate::chat::{AuthorKind, Direction};
use crate::config::{Config, SelectionResult};
use crate::store::export::ExportedConversation;

/// The list vraagbaak's own terms come from, where MDTO has no list of its own.
pub const OWN_TERMS: &str = "Begrippenlijst vraagbaak";
const EVENT_TYPES_MDTO: &str = "Begrippenlijst Eventtypen MDTO";
const SELECTIELIJST: &str = "Selectielijst gemeenten en intergemeentelijke organen 2020";

/// A forward to a team, from the audit log.
#[derive(Debug, Clone)]
pub struct Forward {
    pub at: DateTime<Utc>,
    /// The team's name as configured (or its id when no longer configured).
    pub team: String,
}

/// The identification of conversation `id` (and, with a file name, of one of its files).
pub fn identificatie(config: &Config, id: i64, file: Option<&str>) -> Identificatie {
    let kenmerk = match file {
        Some(name) => format!("gesprek-{id}/{name}"),
        None => format!("gesprek-{id}"),
    };
    Identificatie {
        kenmerk,
        bron: format!("vraagbaak {}", config.archive.archiefvormer.name),
    }
}

/// The record's name: channel and start date, no names.
pub fn naam(c: &ExportedConversation) -> String {
    format!(
        "Gesprek {} via {}, {}",
        c.id,
        channel_name(&c.channel),
        local_date(c.created_at).format("%d-%m-%Y")
    )
}

pub fn channel_name(channel: &str) -> &str {
    match channel {
        "web" => "webchat",
        "whatsapp" => "WhatsApp",
        other => other,
    }
}

/// The day the retention term ends for a conversation closed at `closed_at`; `None` for a
/// result that is kept (bewaren) or a date past the calendar.
pub fn term_end(result: &SelectionResult, closed_at: DateTime<Utc>) -> Option<NaiveDate> {
    match result.waardering {
        crate::config::Waardering::Bewaren => None,
        crate::config::Waardering::Vernietigen => result.bewaartermijn.end(local_date(closed_at)),
    }
}

/// The conversation's record. `files` are the names and identifications of its files.
pub fn informatieobject(
    config: &Config,
    c: &ExportedConversation,
    forwards: &[Forward],
    files: &[Verwijzing],
) -> Informatieobject {
    let result = config.archive.result_for(&c.labels);
    let vormer = &config.archive.archiefvormer;
    let messages = c
        .messages
        .iter()
        .filter(|m| m.direction != Direction::Note)
        .count();
    let mut omschrijving = format!(
        "Gesprek met een inwoner via {}; {messages} berichten",
        channel_name(&c.channel)
    );
    if let Some(d) = &c.department {
        omschrijving.push_str(&format!("; afdeling {}", team_name(config, d)));
    }
    Informatieobject {
        identificatie: identificatie(config, c.id, None),
        naam: naam(c),
        aggregatieniveau: Some(Begrip::new(
            "Archiefstuk",
            None,
            "Begrippenlijst Aggregatieniveaus MDTO",
        )),
        classificatie: c
            .labels
            .iter()
            .map(|l| {
                Begrip::new(
                    l,
                    None,
                    &format!("Labels vraagbaak {}", config.municipality),
                )
            })
            .collect(),
        omschrijving: Some(omschrijving),
        dekking_in_tijd: Some(DekkingInTijd {
            kind: Begrip::new("Looptijd", None, OWN_TERMS),
            begin: local_date(c.created_at),
            end: c.closed_at.map(local_date),
        }),
        taal: vec!["nl".into()],
        events: events(c, forwards),
        waardering: Begrip::new(
            result.waardering.as_str(),
            Some(result.waardering.code()),
            "Begrippenlijst Waarderingen MDTO",
        ),
        bewaartermijn: Some(Termijn {
            trigger: Some(Begrip::new("Afsluiting", None, OWN_TERMS)),
            start: c.closed_at.map(local_date),
            looptijd: Some(result.bewaartermijn.to_string()),
            end: c.closed_at.and_then(|at| term_end(&result, at)),
        }),
        informatiecategorie: Some(Begrip::new(
            &result.name,
            Some(&result.result),
            SELECTIELIJST,
        )),
        heeft_representatie: files.to_vec(),
        archiefvormer: Verwijzing {
            naam: vormer.name.clone(),
            identificatie: Some(Identificatie {
                kenmerk: vormer.id.clone(),
                bron: vormer.id_source.clone(),
            }),
        },
        beperking_gebruik: vec![BeperkingGebruik {
            kind: Begrip::new("Niet openbaar: persoonsgegevens", None, OWN_TERMS),
            description: Some(
                "Bevat persoonsgegevens van een inwoner (AVG). Openbaarmaking alleen na \
                 anonimisering (Woo artikel 5.1, tweede lid, onder e); zie vraagbaak export --woo."
                    .into(),
            ),
        }],
    }
}

/// The destruction event for the vernietigingslijst.
pub fn destruction(at: DateTime<Utc>, result: &SelectionResult, ended: NaiveDate) -> Gebeurtenis {
    Gebeurtenis {
        kind: Begrip::new("Vernietiging", None, EVENT_TYPES_MDTO),
        at,
        actor: None,
        result: Some(format!(
            "Vernietigd: bewaartermijn {} van resultaat {} ({}) verstreken op {ended}",
            result.bewaartermijn, result.result, result.name
        )),
    }
}

/// Received (the first resident message), answered (the first reply by an agent or the bot),
/// every forward, and closed; in time order.
fn events(c: &ExportedConversation, forwards: &[Forward]) -> Vec<Gebeurtenis> {
    let event = |label: &str, at: DateTime<Utc>, result: Option<String>| Gebeurtenis {
        kind: Begrip::new(label, None, OWN_TERMS),
        at,
        actor: None,
        result,
    };
    let mut events = Vec::new();
    if let Some(m) = c.messages.iter().find(|m| m.direction == Direction::In) {
        events.push(event("Ontvangst", m.created_at, None));
    }
    let answered = c.messages.iter().find(|m| {
        m.direction == Direction::Out && matches!(m.author, AuthorKind::Agent | AuthorKind::Bot)
    });
    if let Some(m) = answered {
        let by = match m.author {
            AuthorKind::Bot => "door de chatbot",
            _ => "door een medewerker",
        };
        events.push(event(
            "Beantwoording",
            m.created_at,
            Some(format!("Beantwoord {by}")),
        ));
    }
    for f in forwards {
        events.push(event(
            "Doorzending",
            f.at,
            Some(format!("Doorgezet naar team {}", f.team)),
        ));
    }
    if let Some(at) = c.closed_at {
        events.push(event("Afsluiting", at, None));
    }
    events.sort_by_key(|e| e.at);
    events
}

/// A team's configured name, or its id.
pub fn team_name(config: &Config, id: &str) -> String {
    config
        .department(id)
        .map_or_else(|| id.to_string(), |d| d.name.clone())
}
