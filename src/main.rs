//! The `vraagbaak` command line: wiring only, the work happens in the library.

mod cli;

use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: a fifth of a suggestion's time was spent in malloc
/// and free (perf, the slowest near-miss messages). Built without transparent huge pages
/// (`no_thp`): with them its peak memory at 10k articles was 189–201 MB against glibc's 127,
/// without them 137–139 MB. The figures are in the README (Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    limit_malloc_arenas();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("VRAAGBAAK_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tantivy=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    log_panics_without_their_message();
    match cli::run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("vraagbaak: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A panic's message can quote what the code was working on, a resident's text included
/// ("begin > end when slicing `…`"), and personal data is never logged: the log gets where it
/// happened. `VRAAGBAAK_PANIC_MESSAGES=1` restores Rust's own report, for a developer's
/// machine.
fn log_panics_without_their_message() {
    if std::env::var("VRAAGBAAK_PANIC_MESSAGES").is_ok_and(|v| v.trim() == "1") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map_or_else(
            || "unknown".to_string(),
            |at| format!("{}:{}", at.file(), at.line()),
        );
        let thread = std::thread::current()
            .name()
            .unwrap_or("unnamed")
            .to_string();
        tracing::error!(%location, %thread, "panic (its message is not logged: it may quote a resident's text)");
    }));
}

/// For what still goes through glibc's malloc (the bundled SQLite, other C code): glibc gives
/// threads that allocate concurrently malloc arenas of their own, up to eight per core, and
/// keeps what is freed in each. Before mimalloc took Rust's allocations over, this made the
/// server's resident memory grow with every knowledge-base edit, as index builds run on
/// short-lived threads (93 MB at start, 223 MB after 12 file edits; capped, 64–67 MB over 40
/// saves). Two arenas keep threads from contending on one lock.
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
