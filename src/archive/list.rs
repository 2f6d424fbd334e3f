//! The vernietigingslijst (destruction list) a purge writes before it destroys anything: a
//! new folder per run under the data directory's `vernietigingslijsten/`, holding
//! `vernietigingslijst.csv` and per conversation an MDTO record with its "Vernietiging" event.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

use super::mdto;
use super::{ArchiveError, Result, write_error};
use crate::store::archive::Destruction;

/// The folder destruction lists go to by default.
pub fn lists_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("vernietigingslijsten")
}

/// Creates a new, empty folder for this purge's list: `vernietigingslijst-<time>`, with `-2`,
/// `-3`, … when a purge in the same second took that name, so no list is ever overwritten.
pub fn claim_folder(lists: &Path, now: DateTime<Utc>) -> Result<PathBuf> {
    std::fs::create_dir_all(lists).map_err(write_error(lists))?;
    let stamp = now.with_timezone(&Amsterdam).format("%Y%m%d-%H%M%S");
    for n in 1..1000 {
        let name = match n {
            1 => format!("vernietigingslijst-{stamp}"),
            n => format!("vernietigingslijst-{stamp}-{n}"),
        };
        let folder = lists.join(name);
        match std::fs::create_dir(&folder) {
            Ok(()) => return Ok(folder),
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(source) => {
                return Err(ArchiveError::Write {
                    path: folder,
                    source,
                });
            }
        }
    }
    Err(ArchiveError::Write {
        path: lists.to_path_buf(),
        source: std::io::Error::other("a thousand purges in one second"),
    })
}

/// The vernietigingslijst: the CSV and one MDTO record per destroyed conversation.
pub fn write(
    list: &Path,
    destroyed: &[Destruction],
    records: &[(i64, mdto::Informatieobject)],
) -> Result<()> {
    let csv_path = list.join("vernietigingslijst.csv");
    std::fs::write(&csv_path, csv(destroyed)).map_err(write_error(&csv_path))?;
    for (id, object) in records {
        let path = list.join(format!("gesprek-{id}.xml"));
        let xml = mdto::informatieobject_xml(object).map_err(write_error(&path))?;
        std::fs::write(&path, xml).map_err(write_error(&path))?;
    }
    Ok(())
}

/// The destruction list as CSV (comma-separated, header first, times in Europe/Amsterdam).
pub fn csv(rows: &[Destruction]) -> String {
    let local = |at: DateTime<Utc>| {
        at.with_timezone(&Amsterdam)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let mut out = String::from(
        "gesprek,kanaal,begonnen,gesloten,resultaat,omschrijving,bewaartermijn,\
         termijn_verstreken,berichten,vernietigd\n",
    );
    for r in rows {
        let fields = [
            r.conversation_id.to_string(),
            r.channel.clone(),
            local(r.created_at),
            local(r.closed_at),
            r.result.clone(),
            r.result_name.clone(),
            r.bewaartermijn.clone(),
            r.term_ended.to_string(),
            r.messages.to_string(),
            local(r.destroyed_at),
        ];
        let quoted: Vec<String> = fields.iter().map(String::as_str).map(csv_field).collect();
        let _ = writeln!(out, "{}", quoted.join(","));
    }
    out
}

fn csv_field(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_purges_in_one_second_get_two_list_folders() {
        let dir = tempfile::tempdir().expect("tempdir");
        let now: DateTime<Utc> = "2026-07-01T08:00:00Z".parse().expect("a time");
        let first = claim_folder(dir.path(), now).expect("first");
        let second = claim_folder(dir.path(), now).expect("second");
        assert!(
            first.ends_with("vernietigingslijst-20260701-100000"),
            "{first:?}"
        );
        assert!(
            second.ends_with("vernietigingslijst-20260701-100000-2"),
            "{second:?}"
        );
    }
}
