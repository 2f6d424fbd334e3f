//! `vraagbaak archive export --format mdto --out DIR [--from DATE --to DATE]`.
//!
//! Included are the conversations that are closed now and were (last) closed in the period:
//! an open conversation is not a finished record yet. Each gets a folder `gesprek-<id>/` with
//! `transcript.txt` and `conversation.json` (masked as stored), an `informatieobject.xml` for
//! the conversation and a `<file>.bestand.xml` for each of the two files. All of it is read in
//! one transaction, so a running server can keep writing.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::mdto::{self, Begrip, Bestand, Verwijzing};
use super::record::{self, Forward};
use super::{ArchiveError, Period, Result, transcript, write_error};
use crate::channels::whatsapp::media::files::sha256_hex;
use crate::config::Config;
use crate::store::export::{ExportedConversation, each_selected};
use crate::store::{Store, archive};

/// The two files of every record, with their PRONOM formats.
const PLAIN_TEXT: (&str, &str) = ("Plain Text File", "x-fmt/111");
const JSON: (&str, &str) = ("JSON Data Interchange Format", "fmt/817");

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// The conversation ids, in order.
    pub conversations: Vec<i64>,
    pub files: usize,
}

/// Writes the records of the conversations closed in `period` into `out`.
pub fn export_mdto(
    store: &Store,
    config: &Config,
    out: &Path,
    period: Period,
    now: DateTime<Utc>,
) -> Result<Exported> {
    std::fs::create_dir_all(out).map_err(write_error(out))?;
    let (from, to) = period.bounds();
    // Read in the snapshot by the selection, used by each record.
    let forwards = std::cell::OnceCell::new();
    let mut exported = Exported {
        conversations: Vec::new(),
        files: 0,
    };
    store.blocking(|conn| {
        Ok(each_selected(
            conn,
            |c| {
                let ids = archive::closed_between(c, from, to)?;
                let _ = forwards.set(archive::forwards(c, &ids)?);
                Ok(ids)
            },
            |conversation| -> Result<()> {
                let team = |(at, id): &(DateTime<Utc>, String)| Forward {
                    at: *at,
                    team: record::team_name(config, id),
                };
                let forwards: Vec<Forward> = forwards
                    .get()
                    .and_then(|f| f.get(&conversation.id))
                    .map(|f| f.iter().map(team).collect())
                    .unwrap_or_default();
                exported.files += write_record(config, out, &conversation, &forwards, now)?;
                exported.conversations.push(conversation.id);
                Ok(())
            },
        ))
    })??;
    Ok(exported)
}

/// The folder of one conversation's record.
pub fn folder(out: &Path, id: i64) -> PathBuf {
    out.join(format!("gesprek-{id}"))
}

/// Writes one record; returns the number of files written.
fn write_record(
    config: &Config,
    out: &Path,
    c: &ExportedConversation,
    forwards: &[Forward],
    now: DateTime<Utc>,
) -> Result<usize> {
    let dir = folder(out, c.id);
    std::fs::create_dir_all(&dir).map_err(write_error(&dir))?;
    let json =
        serde_json::to_vec_pretty(c).map_err(|source| ArchiveError::Json { id: c.id, source })?;
    let files = [
        (
            "transcript.txt",
            transcript::transcript(config, c).into_bytes(),
            PLAIN_TEXT,
        ),
        ("conversation.json", json, JSON),
    ];
    let object_id = record::identificatie(config, c.id, None);
    let object_ref = Verwijzing {
        naam: record::naam(c),
        identificatie: Some(object_id),
    };
    let mut representations = Vec::new();
    for (name, bytes, (label, pronom)) in &files {
        write(&dir.join(name), bytes)?;
        let file = Bestand {
            identificatie: record::identificatie(config, c.id, Some(name)),
            naam: (*name).into(),
            omvang: bytes.len() as u64,
            formaat: Begrip::new(label, Some(pronom), "PRONOM-register"),
            sha256: sha256_hex(bytes),
            checksum_at: now,
            is_representatie_van: object_ref.clone(),
        };
        let xml = mdto::bestand_xml(&file).map_err(write_error(&dir))?;
        write(&dir.join(format!("{name}.bestand.xml")), &xml)?;
        representations.push(Verwijzing {
            naam: file.naam,
            identificatie: Some(file.identificatie),
        });
    }
    let object = record::informatieobject(config, c, forwards, &representations);
    let xml = mdto::informatieobject_xml(&object).map_err(write_error(&dir))?;
    write(&dir.join("informatieobject.xml"), &xml)?;
    Ok(files.len() * 2 + 1)
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(write_error(path))
}
