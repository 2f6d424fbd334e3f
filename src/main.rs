//! The `vraagbaak` command line: wiring only, the work happens in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VRAAGBAAK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vraagbaak: {err:#}");
            ExitCode::from(2)
        }
    }
}
