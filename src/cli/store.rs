//! Commands on the data directory: `user add`, `apikey create`, `export` and `store
//! generate`. They work while the server runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use vraagbaak::channels::whatsapp::media::files::{MediaFiles, sha256_hex};
use vraagbaak::config::Config;
use vraagbaak::store::generate::{self, Plan};
use vraagbaak::store::scopes::Scopes;
use vraagbaak::store::users::{self, Role, UserError};
use vraagbaak::store::{Store, StoreError, audit, export};

use super::ExportFormat;

pub(super) fn open_store(config: &Config, data: Option<PathBuf>) -> Result<Store> {
    let dir = data.unwrap_or_else(|| config.server.data.clone());
    Store::open(&dir).with_context(|| format!("opening the store in {}", dir.display()))
}

pub(super) fn add_user(
    config: &Config,
    data: Option<PathBuf>,
    name: &str,
    role: &str,
    department: Option<String>,
    password_stdin: bool,
) -> Result<ExitCode> {
    let role: Role = role.parse().map_err(anyhow::Error::msg)?;
    if let Some(d) = &department {
        anyhow::ensure!(
            config.department(d).is_some(),
            "unknown department `{d}`; configured: {}",
            config
                .departments
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (users::new_token(), true)
    };
    anyhow::ensure!(password.chars().count() >= 10, UserError::WeakPassword);
    let store = open_store(config, data)?;
    let hash = users::hash_password(&password);
    let user =
        store.blocking(|c| Ok(users::add_user(c, name, role, department.as_deref(), &hash)))??;
    store.blocking(|c| {
        audit::record(
            c,
            "cli",
            "user.add",
            None,
            &format!("{} ({})", user.name, role.as_str()),
        )
    })?;
    println!("added {} `{}`", role.as_str(), user.name);
    if generated {
        println!("password (shown once):");
        println!("{password}");
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn create_api_key(
    config: &Config,
    data: Option<PathBuf>,
    name: &str,
    scopes: Scopes,
) -> Result<ExitCode> {
    anyhow::ensure!(
        users::valid_name(name.trim()),
        "an API key name must be 1 to 64 letters, digits, dots, dashes or underscores"
    );
    let store = open_store(config, data)?;
    let (key, created) =
        store.blocking(|c| users::create_scoped_api_key(c, name.trim(), scopes))?;
    let detail = format!("{} ({scopes})", created.name);
    store.blocking(|c| audit::record(c, "cli", "apikey.create", None, &detail))?;
    println!(
        "created API key `{}` with scopes {scopes} (shown once):",
        created.name
    );
    println!("{key}");
    Ok(ExitCode::SUCCESS)
}

pub(super) fn export(
    config: &Config,
    data: Option<PathBuf>,
    format: ExportFormat,
    media_out: Option<PathBuf>,
) -> Result<ExitCode> {
    let ExportFormat::Json = format;
    let data_dir = data.clone().unwrap_or_else(|| config.server.data.clone());
    let store = open_store(config, data)?;
    // The files the export names, by SHA-256: copied after the JSON is written.
    let mut files: Vec<String> = Vec::new();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write!(
        out,
        "{{\"exported_at\":{},\"conversations\":[",
        serde_json::to_string(&chrono::Utc::now())?
    )?;
    let mut first = true;
    let count = store.blocking(|c| {
        export::each_conversation(c, |conversation| -> Result<()> {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut out, &conversation)?;
            files.extend(
                conversation
                    .messages
                    .iter()
                    .filter_map(|m| m.media.as_ref()?.sha256.clone()),
            );
            Ok(())
        })
        .map_err(|e| StoreError::Worker(e.to_string()))
    })?;
    writeln!(out, "\n]}}")?;
    out.flush()?;
    store.blocking(|c| {
        audit::record(
            c,
            "cli",
            "conversations.export",
            None,
            &format!("{count} conversations"),
        )
    })?;
    eprintln!("exported {count} conversations");
    match media_out {
        Some(dir) => copy_media(&data_dir, &dir, files),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Copies the stored files named by `sha256s` from the data directory into `out` (same
/// layout), checking each file's bytes against its name. Every missing or damaged file is
/// named on standard error and the exit code is 1; the others are copied all the same.
fn copy_media(data_dir: &Path, out: &Path, mut sha256s: Vec<String>) -> Result<ExitCode> {
    sha256s.sort();
    sha256s.dedup();
    let (from, to) = (MediaFiles::new(data_dir), MediaFiles::new(out));
    let mut problems = 0;
    for sha256 in &sha256s {
        let checked = from.read(sha256).and_then(|bytes| {
            if sha256_hex(&bytes) == *sha256 {
                to.store(sha256, &bytes)
            } else {
                Err(std::io::Error::other("its bytes do not match its SHA-256"))
            }
        });
        if let Err(err) = checked {
            problems += 1;
            let path = from.path(sha256).unwrap_or_default();
            eprintln!("media file {}: {err}", path.display());
        }
    }
    eprintln!(
        "copied {} of {} media files to {}",
        sha256s.len() - problems,
        sha256s.len(),
        out.display()
    );
    Ok(if problems == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `store generate`: synthetic traffic written into the data directory's store.
pub(super) fn generate(
    config: &Config,
    data: Option<PathBuf>,
    conversations: usize,
    seed: u64,
    from: chrono::NaiveDate,
    days: u32,
) -> Result<ExitCode> {
    anyhow::ensure!(conversations > 0, "--conversations must be at least 1");
    anyhow::ensure!(days > 0, "--days must be at least 1");
    let store = open_store(config, data)?;
    let plan = Plan {
        conversations,
        seed,
        from,
        days,
    };
    let started = std::time::Instant::now();
    let generated = store.blocking(|c| generate::generate(c, &plan, &config.office_hours))?;
    println!(
        "generated {} conversations with {} messages in {:.1} s",
        generated.conversations,
        generated.messages,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
