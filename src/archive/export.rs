//! `vraagbaak archive export --format mdto --out DIR [--from DATE --to DATE]`.
//!
//! Included are the conversations that are closed now and were (last) closed in the period:
//! an open conversation is not a finished record yet. Each gets a folder `gesprek-<id>/` with
//! `transcript.txt` and `conversation.json` (masked as stored), the resident's stored photos and
//! files as `bijlage-<message id>.<ext>`, an `informatieobject.xml` for the conversation and a
//! `<file>.bestand.xml` for each file. All of it is read in one transaction, so a running
//! server can keep writing.
//!
//! The transcript and the JSON carry their PRONOM ids. For photos and files only the media type
//! found by their magic bytes is known; PRONOM ids are per format version, which only a format
//! identification tool (DROID, Siegfried) can tell, so their `bestandsformaat` names the IANA
//! media type instead.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::mdto::{self, Begrip, Bestand, Verwijzing};
use super::record::{self as records, Forward};
use super::{ArchiveError, Period, Result, transcript, write_error};
use crate::channels::whatsapp::media::files::{MediaFiles, sha256_hex};
use crate::config::Config;
use crate::store::export::{ExportedConversation, each_selected};
use crate::store::{Store, archive};

/// The two files of every record, with their PRONOM formats.
const PLAIN_TEXT: (&str, &str) = ("Plain Text File", "x-fmt/111");
const JSON: (&str, &str) = ("JSON Data Interchange Format", "fmt/817");
const PRONOM: &str = "PRONOM-register";
const MEDIA_TYPES: &str = "IANA Media Types";

/// What an export wrote.
#[derive(Debug)]
pub struct Exported {
    /// The conversation ids, in order.
    pub conversations: Vec<i64>,
    pub files: usize,
}

/// Writes the records of the conversations closed in `period` into `out`. `data_dir` holds
/// the stored media files (`None` for a store without them).
pub fn export_mdto(
    store: &Store,
    config: &Config,
    data_dir: Option<&Path>,
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
                    team: records::team_name(config, id),
                };
                let forwards: Vec<Forward> = forwards
                    .get()
                    .and_then(|f| f.get(&conversation.id))
                    .map(|f| f.iter().map(team).collect())
                    .unwrap_or_default();
                let media = match data_dir {
                    Some(dir) => media_files(dir, &conversation)?,
                    None => Vec::new(),
                };
                let record = Record {
                    conversation: &conversation,
                    forwards: &forwards,
                    media,
                };
                exported.files += write_record(config, out, record, now)?;
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

/// What goes into one conversation's folder.
struct Record<'a> {
    conversation: &'a ExportedConversation,
    forwards: &'a [Forward],
    /// The resident's stored photos and files: name, bytes, media type.
    media: Vec<(String, Vec<u8>, String)>,
}

/// Writes one record; returns the number of files written.
fn write_record(
    config: &Config,
    out: &Path,
    record: Record<'_>,
    now: DateTime<Utc>,
) -> Result<usize> {
    let c = record.conversation;
    let dir = folder(out, c.id);
    std::fs::create_dir_all(&dir).map_err(write_error(&dir))?;
    let json =
        serde_json::to_vec_pretty(c).map_err(|source| ArchiveError::Json { id: c.id, source })?;
    let pronom = |(label, code): (&str, &str)| Begrip::new(label, Some(code), PRONOM);
    // Each file: name, bytes, format.
    let mut files: Vec<(String, Vec<u8>, Begrip)> = vec![
        (
            "transcript.txt".into(),
            transcript::transcript(config, c).into_bytes(),
            pronom(PLAIN_TEXT),
        ),
        ("conversation.json".into(), json, pronom(JSON)),
    ];
    files.extend(
        record
            .media
            .into_iter()
            .map(|(name, bytes, mime)| (name, bytes, Begrip::new(&mime, None, MEDIA_TYPES))),
    );
    let object_id = records::identificatie(config, c.id, None);
    let object_ref = Verwijzing {
        naam: records::naam(c),
        identificatie: Some(object_id),
    };
    let mut representations = Vec::new();
    for (name, bytes, formaat) in &files {
        write(&dir.join(name), bytes)?;
        let file = Bestand {
            identificatie: records::identificatie(config, c.id, Some(name)),
            naam: name.clone(),
            omvang: bytes.len() as u64,
            formaat: formaat.clone(),
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
    let object = records::informatieobject(config, c, record.forwards, &representations);
    let xml = mdto::informatieobject_xml(&object).map_err(write_error(&dir))?;
    write(&dir.join("informatieobject.xml"), &xml)?;
    Ok(files.len() * 2 + 1)
}

/// The conversation's stored media files, read and checked against their SHA-256, named
/// `bijlage-<message id>.<ext>`.
fn media_files(
    data_dir: &Path,
    c: &ExportedConversation,
) -> Result<Vec<(String, Vec<u8>, String)>> {
    let files = MediaFiles::new(data_dir);
    let mut found = Vec::new();
    for m in &c.messages {
        let Some(media) = &m.media else { continue };
        let (Some(sha256), Some(mime)) = (&media.sha256, &media.mime_type) else {
            continue; // not stored: failed, refused or still pending
        };
        let path = files.path(sha256).unwrap_or_default();
        let bytes = files.read(sha256).map_err(|source| ArchiveError::Media {
            path: path.clone(),
            problem: source.to_string(),
        })?;
        if sha256_hex(&bytes) != *sha256 {
            return Err(ArchiveError::Media {
                path,
                problem: "its bytes do not match its SHA-256".into(),
            });
        }
        let name = format!("bijlage-{}.{}", m.id, extension(mime));
        found.push((name, bytes, mime.clone()));
    }
    Ok(found)
}

/// The usual extension of the media types vraagbaak stores.
fn extension(mime: &str) -> &'static str {
    match mime {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "audio/ogg" => "ogg",
        "video/mp4" => "mp4",
        _ => "bin",
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(write_error(path))
}
