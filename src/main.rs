//! The `vraagbaak` command line: wiring only, the work happens in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    limit_malloc_arenas();
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

/// glibc gives threads that allocate concurrently malloc arenas of their own, up to eight per
/// core, and keeps what is freed in each. Index builds and an editor's in-place updates run on
/// short-lived threads, so the server's resident memory grew with every knowledge-base edit
/// (sample KB, release: 93 MB at start, 223 MB after 12 file edits, 265 MB after 36 more
/// saves); with the arenas capped it stayed at 64–67 MB over 40 saves. Two arenas keep the
/// request threads from contending on one lock.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before any other thread
    // exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}
