//! Shared fixtures: small knowledge bases written to temporary directories, the server
//! in-process (`app`), a headless browser (`browser`) and its accessibility check (`axe`).

#![allow(dead_code)]

pub mod app;
pub mod axe;
pub mod browser;
pub mod graph;
pub mod process;

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;
use url::Url;
use vraagbaak::search::{Engine, Pipeline, Settings};

/// A temporary knowledge-base directory, removed when dropped.
pub struct Kb {
    pub dir: TempDir,
}

impl Kb {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `text` to `relative` (creating directories) and returns the full path.
    pub fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(relative);
        fs::create_dir_all(path.parent().expect("file has a parent")).expect("create dir");
        fs::write(&path, text).expect("write file");
        path
    }
}

/// An article file with the given front-matter lines and body.
pub fn article(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}\n")
}

/// A valid article about `subject` with recognisable questions.
pub fn valid_article(title: &str, questions: &[&str], category: &str, extra: &str) -> String {
    let questions = questions
        .iter()
        .map(|q| format!("  \"{q}\","))
        .collect::<Vec<_>>()
        .join("\n");
    article(
        &format!(
            "title = \"{title}\"\nquestions = [\n{questions}\n]\ntags = [\"{category}\"]\ndepartment = \"Publiekszaken\"\nlinks = [{{ title = \"Meer informatie\", url = \"/info\" }}]\n{extra}"
        ),
        &format!("Antwoord over {title}."),
    )
}

/// A small, valid knowledge base: passports, bins and a seasonal Christmas-tree article.
pub fn fixture_kb() -> Kb {
    let kb = Kb {
        dir: tempfile::tempdir().expect("temp dir"),
    };
    kb.write(
        "burgerzaken/paspoort-aanvragen.md",
        &valid_article(
            "Paspoort aanvragen",
            &[
                "paspoort verlopen wat nu",
                "hoe vraag ik een nieuw paspoort aan",
                "wat kost een paspoort",
            ],
            "burgerzaken",
            "",
        ),
    );
    kb.write(
        "afval/container-kapot.md",
        &valid_article(
            "Container kapot",
            &[
                "mijn kliko is kapot",
                "deksel van de container is afgebroken",
                "wieltjes van de bak zijn stuk",
            ],
            "afval",
            "",
        ),
    );
    kb.write(
        "afval/kerstbomen.md",
        &valid_article(
            "Kerstbomen inzamelen",
            &[
                "wanneer wordt de kerstboom opgehaald",
                "waar kan ik mijn kerstboom kwijt",
                "kerstbomen inleveren",
            ],
            "afval",
            "valid_from = 2026-12-15\nvalid_until = 2027-01-31",
        ),
    );
    kb.write("synonyms.txt", "kliko, container, vuilnisbak\n");
    kb
}

pub fn settings() -> Settings {
    Settings {
        pipeline: Pipeline::FULL,
        site_url: Url::parse("https://www.dijkstede.example").expect("valid URL"),
    }
}

pub fn engine(kb: &Kb) -> Engine {
    Engine::open(kb.path(), settings()).expect("fixture KB is valid")
}

/// Copies the directory `from` to `to`, recursively (a knowledge base a test may change).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy");
        }
    }
}

/// The sample knowledge base shipped with the crate.
pub fn sample_kb_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")
}

/// Meta's real webhook bodies, `../shared/whatsapp/pywa-updates` next to the checkout (or a
/// worktree one level deeper), or `$VRAAGBAAK_SHARED/whatsapp/pywa-updates`. They are read
/// from there, never copied into the project. `None` (after one `skipped:` line) where they
/// are not on disk, unless `VRAAGBAAK_REQUIRE_SHARED=1` makes that a failure.
pub fn pywa_updates(test: &str) -> Option<PathBuf> {
    shared_file(test, "whatsapp/pywa-updates/message.json")
        .and_then(|file| file.parent().map(Path::to_path_buf))
}

/// A file in `../shared` (or `$VRAAGBAAK_SHARED`), which a clean clone elsewhere lacks: then
/// one `skipped:` line, or a failure when `VRAAGBAAK_REQUIRE_SHARED` is set.
pub fn shared_file(test: &str, relative: &str) -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("VRAAGBAAK_SHARED").map(PathBuf::from),
        Some(manifest.join("../shared")),
        Some(manifest.join("../../shared")),
    ];
    let found = candidates
        .into_iter()
        .flatten()
        .map(|shared| shared.join(relative))
        .find(|file| file.is_file());
    if found.is_none() {
        let missing = format!("../shared/{relative} is not on this machine (set VRAAGBAAK_SHARED)");
        assert!(
            std::env::var_os("VRAAGBAAK_REQUIRE_SHARED").is_none(),
            "{test}: {missing}"
        );
        eprintln!("skipped: {test}: {missing}");
    }
    found
}
