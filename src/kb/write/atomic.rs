//! Durable file replacement: a reader (the loader, the watcher, `git`) sees either the old
//! file or the new one, whole, even when the process is killed or the machine loses power.
//!
//! The text goes to a hidden temporary file in the target's own directory (hidden, so the
//! loader never reads it; same directory, so the rename is atomic), which is flushed with
//! `sync_all` and then renamed over the target; finally the directory is synced so the rename
//! itself is on disk.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Tells apart the temporary files of concurrent writes in one process.
static NEXT_TEMP: AtomicU64 = AtomicU64::new(0);

/// A temporary file untouched for this long was left by a write that was killed; the next
/// write of the same file removes it. (Far longer than any write takes.)
const LEFTOVER_AFTER: Duration = Duration::from_secs(60);

/// Replaces (or creates) `path` with `bytes` atomically and durably, creating its directory
/// (durably too) when missing.
pub(super) fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent(path)?;
    create_dir_durably(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.tmp-");
    remove_leftovers(dir, &prefix);
    let temp = dir.join(format!(
        "{prefix}{}-{}",
        std::process::id(),
        NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
    ));
    let written = write_synced(&temp, bytes).and_then(|()| fs::rename(&temp, path));
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(err);
    }
    sync_dir(dir)
}

/// Moves `from` to `to` (same file system) durably: the directory of `to` is synced before
/// `from`'s, so at every moment at least one of the two names holds the file.
pub(super) fn rename(from: &Path, to: &Path) -> io::Result<()> {
    let to_dir = parent(to)?;
    create_dir_durably(to_dir)?;
    fs::rename(from, to)?;
    sync_dir(to_dir)?;
    sync_dir(parent(from)?)
}

/// Removes `path` and syncs its directory.
pub(super) fn remove(path: &Path) -> io::Result<()> {
    fs::remove_file(path)?;
    sync_dir(parent(path)?)
}

/// Removes temporary files of earlier writes of the same file that were killed before their
/// rename (they are hidden, so the loader never reads them, but they would clutter `git
/// status`). Best effort: a file that cannot be removed now is tried again next time.
fn remove_leftovers(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let stale = entry.file_name().to_string_lossy().starts_with(prefix)
            && entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|modified| {
                    now.duration_since(modified).unwrap_or_default() > LEFTOVER_AFTER
                });
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Creates `dir` and any missing parents, syncing each parent a new directory was made in.
fn create_dir_durably(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let up = parent(dir)?;
    create_dir_durably(up)?;
    match fs::create_dir(dir) {
        Ok(()) => sync_dir(up),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(err) => Err(err),
    }
}

fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

fn parent(path: &Path) -> io::Result<&Path> {
    path.parent().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} has no parent directory", path.display()),
        )
    })
}
