//! Watching the knowledge-base folder: which file events are edits, and how a burst of edits
//! becomes one reload.
//!
//! Only real content changes count: a file created, written, removed or renamed, when it is
//! an article (`*.md`) or the synonym list, or when a category folder appears, disappears or
//! moves. Opening and reading a file never counts, so the reload's own reads, `vraagbaak kb
//! check`, a backup job or a second server on the same folder cannot set off a reload.
//! Editors' swap, backup and temporary files (`.glas.md.swp`, `glas.md~`, `4913`) never count.
//!
//! Events are coalesced on one thread: after the first edit it waits until the folder has
//! been quiet for [`Timing::quiet`] (at most [`Timing::max_delay`]), then calls the handler
//! once. Edits during a reload are collected for the next call, so calls never overlap.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::kb::SYNONYMS_FILE;

/// How long edits are gathered before one reload.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// The folder must be this long without edits: a save of several files is one reload.
    pub quiet: Duration,
    /// Reload at the latest this long after the first edit, even if edits continue.
    pub max_delay: Duration,
}

impl Default for Timing {
    fn default() -> Timing {
        Timing {
            quiet: Duration::from_millis(300),
            max_delay: Duration::from_secs(2),
        }
    }
}

/// The edits gathered for one reload.
#[derive(Debug, Default)]
pub struct Changes {
    /// Every edited path, once.
    pub paths: BTreeSet<PathBuf>,
    /// The system dropped events (queue overflow): anything may have changed.
    pub rescan: bool,
}

enum Message {
    Edit(Event),
    Stop,
}

/// A running watch on one folder. Dropping it stops the watch at once: no handler call starts
/// afterwards, and one already running finishes on its own thread without being waited for.
pub struct KbWatcher {
    /// Dropping it removes the system watch.
    _watcher: RecommendedWatcher,
    stopped: Arc<AtomicBool>,
    messages: mpsc::Sender<Message>,
}

impl KbWatcher {
    /// Watches `dir` (recursively) and calls `on_change` on a thread of its own after edits.
    pub fn start(
        dir: &Path,
        timing: Timing,
        on_change: impl FnMut(Changes) + Send + 'static,
    ) -> notify::Result<KbWatcher> {
        let (messages, inbox) = mpsc::channel();
        let stopped = Arc::new(AtomicBool::new(false));
        let events = messages.clone();
        let mut watcher =
            notify::recommended_watcher(move |result: notify::Result<Event>| match result {
                Ok(event) if is_edit(&event) => {
                    let _ = events.send(Message::Edit(event));
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(error = %err, "knowledge base watcher error"),
            })?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        let flag = stopped.clone();
        thread::Builder::new()
            .name("kb-watch".into())
            .spawn(move || coalesce(&inbox, &flag, timing, on_change))?;
        Ok(KbWatcher {
            _watcher: watcher,
            stopped,
            messages,
        })
    }
}

impl Drop for KbWatcher {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _ = self.messages.send(Message::Stop);
    }
}

/// Waits for an edit, gathers the burst it starts, hands it over; until stopped.
fn coalesce(
    inbox: &mpsc::Receiver<Message>,
    stopped: &AtomicBool,
    timing: Timing,
    mut on_change: impl FnMut(Changes),
) {
    while let Ok(Message::Edit(first)) = inbox.recv() {
        let started = Instant::now();
        let mut changes = Changes::default();
        changes.add(first);
        loop {
            let left = timing.max_delay.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match inbox.recv_timeout(timing.quiet.min(left)) {
                Ok(Message::Edit(event)) => changes.add(event),
                Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        if stopped.load(Ordering::SeqCst) {
            return;
        }
        on_change(changes);
    }
}

impl Changes {
    fn add(&mut self, event: Event) {
        self.rescan |= event.need_rescan();
        let kind = event.kind;
        self.paths
            .extend(event.paths.into_iter().filter(|p| is_kb_path(p, kind)));
    }
}

/// Whether `event` may have changed what a load reads.
fn is_edit(event: &Event) -> bool {
    if event.need_rescan() {
        return true;
    }
    let kind_counts = match event.kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        // Permissions and times do not change the text (a hash would say the same).
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        // The end of a write; opening, reading and closing after reading are not edits.
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        // `Any` and `Other` cannot be told from reads, which is what caused reload loops.
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    };
    kind_counts && event.paths.iter().any(|p| is_kb_path(p, event.kind))
}

/// Articles, the synonym list and category folders; never hidden files or editors' backups.
fn is_kb_path(path: &Path, kind: EventKind) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.starts_with('.') {
        return false;
    }
    let content = name == SYNONYMS_FILE || path.extension().is_some_and(|e| e == "md");
    let folder = match kind {
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => true,
        // A folder renamed or moved in or out; a moved-out folder no longer exists, so a
        // name without extension counts too (editors' temp files are not renamed).
        EventKind::Modify(ModifyKind::Name(_)) => path.is_dir() || path.extension().is_none(),
        _ => false,
    };
    content || folder
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind, RenameMode};

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn reading_an_article_is_not_an_edit() {
        for access in [
            AccessKind::Open(AccessMode::Read),
            AccessKind::Open(AccessMode::Any),
            AccessKind::Close(AccessMode::Read),
            AccessKind::Read,
            AccessKind::Any,
        ] {
            assert!(!is_edit(&event(
                EventKind::Access(access),
                "/kb/afval/glas.md"
            )));
        }
        assert!(!is_edit(&event(EventKind::Any, "/kb/afval/glas.md")));
        let touched = EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime));
        assert!(!is_edit(&event(touched, "/kb/afval/glas.md")));
    }

    #[test]
    fn writing_creating_removing_and_renaming_content_are_edits() {
        let kinds = [
            EventKind::Create(CreateKind::File),
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            EventKind::Remove(RemoveKind::File),
            EventKind::Modify(ModifyKind::Name(RenameMode::To)),
        ];
        for kind in kinds {
            assert!(is_edit(&event(kind, "/kb/afval/glas.md")), "{kind:?}");
            assert!(is_edit(&event(kind, "/kb/synonyms.txt")), "{kind:?}");
        }
    }

    #[test]
    fn editor_swap_backup_and_temp_files_are_not_edits() {
        let written = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        for path in [
            "/kb/afval/.glas.md.swp",
            "/kb/afval/.#glas.md",
            "/kb/afval/glas.md~",
            "/kb/afval/#glas.md#",
            "/kb/afval/glas.md.tmp",
            "/kb/afval/4913",
            "/kb/notes.txt",
        ] {
            assert!(!is_edit(&event(written, path)), "{path}");
            assert!(
                !is_edit(&event(EventKind::Create(CreateKind::File), path)),
                "{path}"
            );
        }
    }

    #[test]
    fn an_atomic_save_counts_by_its_target_name() {
        let renamed = Event::new(EventKind::Modify(ModifyKind::Name(RenameMode::Both)))
            .add_path(PathBuf::from("/kb/afval/glas.md.tmp"))
            .add_path(PathBuf::from("/kb/afval/glas.md"));
        assert!(is_edit(&renamed));
        let mut changes = Changes::default();
        changes.add(renamed);
        assert_eq!(
            changes.paths.into_iter().collect::<Vec<_>>(),
            [PathBuf::from("/kb/afval/glas.md")]
        );
    }

    #[test]
    fn category_folders_appearing_or_moving_are_edits() {
        assert!(is_edit(&event(
            EventKind::Remove(RemoveKind::Folder),
            "/kb/afval"
        )));
        assert!(is_edit(&event(
            EventKind::Modify(ModifyKind::Name(RenameMode::From)),
            "/kb/afval"
        )));
        assert!(!is_edit(&event(
            EventKind::Create(CreateKind::Folder),
            "/kb/.git"
        )));
    }
}
