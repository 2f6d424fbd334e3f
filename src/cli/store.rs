//! Commands on the data directory: `user add`, `apikey create` and `export`. They work while
//! the server runs.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use vraagbaak::config::Config;
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
) -> Result<ExitCode> {
    anyhow::ensure!(
        users::valid_name(name.trim()),
        "an API key name must be 1 to 64 letters, digits, dots, dashes or underscores"
    );
    let store = open_store(config, data)?;
    let (key, created) = store.blocking(|c| users::create_api_key(c, name.trim()))?;
    store.blocking(|c| audit::record(c, "cli", "apikey.create", None, &created.name))?;
    println!("created API key `{}` (shown once):", created.name);
    println!("{key}");
    Ok(ExitCode::SUCCESS)
}

pub(super) fn export(
    config: &Config,
    data: Option<PathBuf>,
    format: ExportFormat,
) -> Result<ExitCode> {
    let ExportFormat::Json = format;
    let store = open_store(config, data)?;
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
    Ok(ExitCode::SUCCESS)
}
