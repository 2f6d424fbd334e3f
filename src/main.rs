//! The `vraagbaak` command line: wiring only, the work happens in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vraagbaak: {err:#}");
            ExitCode::from(2)
        }
    }
}
