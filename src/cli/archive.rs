//! `vraagbaak archive export|purge|hold|release` and `vraagbaak export --woo`. They work while
//! the server runs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use vraagbaak::archive::{Period, export, list, purge, woo};
use vraagbaak::config::Config;
use vraagbaak::store::archive::{self as store_archive, Held};
use vraagbaak::store::audit;

use super::store::open_store;

#[derive(Subcommand)]
pub(super) enum ArchiveCommand {
    /// Write every conversation closed in the period as an MDTO record: one folder each with
    /// the transcript, the JSON, informatieobject.xml and a bestand XML per file.
    Export {
        #[arg(long, value_enum)]
        format: ArchiveFormat,
        /// The folder to write to (created when missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// First day (YYYY-MM-DD, Europe/Amsterdam) the conversation was closed.
        #[arg(long)]
        from: Option<NaiveDate>,
        /// Last day, included.
        #[arg(long)]
        to: Option<NaiveDate>,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Destroy the conversations whose retention term has ended, and write a
    /// vernietigingslijst (destruction list). Held conversations are never destroyed.
    Purge {
        /// Destroy what is due on this day (YYYY-MM-DD) rather than today.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Print the list as CSV and change nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Put a conversation on hold ("niet vernietigen"), for a Woo request or an objection.
    Hold {
        id: i64,
        /// Why, for instance the Woo request's number.
        #[arg(long)]
        reason: String,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// Release a conversation's hold: it is destroyed again when its term has ended.
    Release {
        id: i64,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum ArchiveFormat {
    Mdto,
}

/// Who the audit log names for these commands.
const ACTOR: &str = "cli";

pub(super) fn run(config: &Config, command: ArchiveCommand) -> Result<ExitCode> {
    match command {
        ArchiveCommand::Export {
            format: ArchiveFormat::Mdto,
            out,
            from,
            to,
            data,
        } => {
            let period = Period::new(from, to)?;
            let data_dir = data.clone().unwrap_or_else(|| config.server.data.clone());
            let store = open_store(config, data)?;
            let now = chrono::Utc::now();
            let done = export::export_mdto(&store, config, Some(&data_dir), &out, period, now)?;
            let detail = format!("{} conversations (mdto)", done.conversations.len());
            store.blocking(|c| audit::record(c, ACTOR, "archive.export", None, &detail))?;
            eprintln!(
                "exported {} closed conversations ({} files) to {}",
                done.conversations.len(),
                done.files,
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Purge {
            as_of,
            dry_run,
            data,
        } => {
            let data_dir = data.clone().unwrap_or_else(|| config.server.data.clone());
            let store = open_store(config, data)?;
            let as_of = as_of.unwrap_or_else(purge::today);
            if dry_run {
                let due = purge::due(&store, config, as_of)?;
                println!(
                    "gesprek,gesloten,resultaat,omschrijving,bewaartermijn,termijn_verstreken"
                );
                for d in &due {
                    println!(
                        "{},{},{},{},{},{}",
                        d.id,
                        vraagbaak::archive::local_date(d.closed_at),
                        d.result.result,
                        d.result.name.replace(',', " "),
                        d.result.bewaartermijn,
                        d.term_ended
                    );
                }
                eprintln!(
                    "dry run: {} conversations would be destroyed as of {as_of}",
                    due.len()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let lists = list::lists_dir(&data_dir);
            let done = purge::purge(
                &store,
                config,
                Some(&data_dir),
                &lists,
                as_of,
                ACTOR,
                chrono::Utc::now(),
            )?;
            match &done.list {
                Some(list) => println!("{}", list.display()),
                None => eprintln!("nothing to destroy as of {as_of}"),
            }
            eprintln!(
                "destroyed {} conversations ({} media files); {} on hold",
                done.destroyed.len(),
                done.media_removed,
                done.held
            );
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Hold { id, reason, data } => {
            anyhow::ensure!(!reason.trim().is_empty(), "a hold needs a --reason");
            let store = open_store(config, data)?;
            let held = store.blocking(|c| store_archive::hold(c, id, reason.trim(), ACTOR))?;
            match held {
                Held::NotFound => anyhow::bail!("conversation {id} does not exist"),
                Held::Already => eprintln!("conversation {id} was already on hold"),
                Held::New => {
                    store.blocking(|c| audit::record(c, ACTOR, "archive.hold", Some(id), ""))?;
                    eprintln!("conversation {id} is on hold: it will not be destroyed");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        ArchiveCommand::Release { id, data } => {
            let store = open_store(config, data)?;
            let released = store.blocking(|c| store_archive::release(c, id, ACTOR))?;
            anyhow::ensure!(released, "conversation {id} is not on hold");
            store.blocking(|c| audit::record(c, ACTOR, "archive.release", Some(id), ""))?;
            eprintln!("conversation {id} is no longer on hold");
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `vraagbaak export --woo --from --to`: the JSON on standard output.
pub(super) fn woo(
    config: &Config,
    data: Option<PathBuf>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<ExitCode> {
    let period = Period::new(from, to)?;
    let store = open_store(config, data)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let count = woo::export_woo(&store, config, period, &mut out).context("the Woo export")?;
    let detail = format!("{count} conversations (woo)");
    store.blocking(|c| audit::record(c, ACTOR, "conversations.export", None, &detail))?;
    eprintln!("exported {count} conversations for a Woo request, personal data masked");
    Ok(ExitCode::SUCCESS)
}
