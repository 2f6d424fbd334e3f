//! Saving articles (`kb::write`): validation with the rules of `kb check`, stale versions
//! refused with a diff, category moves, archiving, ids from titles, and that a save killed
//! at any moment leaves the old or the new file, whole.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use vraagbaak::kb::write::{self, ARCHIVE_DIR, Expected, WriteError};
use vraagbaak::kb::{self, parse_article};

use crate::common::{fixture_kb, valid_article};

const PASSPORT: &str = "burgerzaken/paspoort-aanvragen.md";

fn passport_text(extra: &str) -> String {
    passport_in("burgerzaken", extra)
}

/// The fixture's passport article with `category` as its first tag.
fn passport_in(category: &str, extra: &str) -> String {
    valid_article(
        "Paspoort aanvragen",
        &[
            "paspoort verlopen wat nu",
            "hoe vraag ik een nieuw paspoort aan",
            "wat kost een paspoort",
        ],
        category,
        extra,
    )
}

/// Saves `source` over the passport article, expecting the version now on disk.
fn update_passport(kb_dir: &Path, source: &str) -> Result<write::Saved, WriteError> {
    let current = version_of(&kb_dir.join(PASSPORT));
    write::save(
        kb_dir,
        "paspoort-aanvragen",
        source,
        Expected::Version(current),
    )
}

fn version_of(path: &Path) -> String {
    write::version(&fs::read(path).expect("read article"))
}

#[test]
fn a_new_article_is_written_where_its_first_tag_says_and_loads() {
    let kb = fixture_kb();
    let source = valid_article(
        "Parkeervergunning",
        &[
            "parkeervergunning aanvragen",
            "mag ik hier parkeren",
            "wat kost parkeren",
        ],
        "parkeren",
        "",
    );
    let saved = write::save(kb.path(), "parkeervergunning", &source, Expected::New).expect("saved");
    assert!(saved.created);
    assert_eq!(saved.path, kb.path().join("parkeren/parkeervergunning.md"));
    assert_eq!(saved.version, write::version(source.as_bytes()));
    assert_eq!(fs::read_to_string(&saved.path).expect("read"), source);
    let loaded = kb::load(kb.path()).expect("still a valid knowledge base");
    let article = loaded.article("parkeervergunning").expect("loaded");
    assert_eq!(article.category(), "parkeren");
    assert_eq!(loaded.articles.len(), 4);
}

#[test]
fn an_update_with_the_current_version_is_written() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let new = passport_text("owner = \"Anna\"");
    let saved = update_passport(kb.path(), &new).expect("saved");
    assert!(!saved.created);
    assert_eq!(saved.moved_from, None);
    assert_eq!(fs::read_to_string(&path).expect("read"), new);
    assert_eq!(version_of(&path), saved.version);
    let no_temp_left = fs::read_dir(path.parent().expect("dir"))
        .expect("list")
        .all(|e| {
            !e.expect("entry")
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        });
    assert!(no_temp_left, "temporary files are renamed or removed");
}

#[test]
fn reading_an_article_gives_its_text_and_the_version_to_save_against() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let current = write::read(kb.path(), "paspoort-aanvragen")
        .expect("read")
        .expect("exists");
    assert_eq!(current.path, path);
    assert_eq!(current.source, fs::read_to_string(&path).expect("read"));
    assert_eq!(current.version, version_of(&path));
    assert_eq!(current.version.len(), 64, "hex SHA-256");
    assert_eq!(write::read(kb.path(), "bestaat-niet").expect("read"), None);
    assert!(matches!(
        write::read(kb.path(), "../etc"),
        Err(WriteError::Invalid(_))
    ));
}

#[test]
fn temporary_files_left_by_a_killed_save_are_removed_by_the_next_save() {
    let kb = fixture_kb();
    let hour_old = |path: &Path| {
        let hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(path)
            .and_then(|f| f.set_modified(hour_ago))
            .expect("age the leftover");
    };
    let old = kb.write("burgerzaken/.paspoort-aanvragen.md.tmp-1-0", "half");
    hour_old(&old);
    // One being written right now by someone else is left alone.
    let fresh = kb.write("burgerzaken/.paspoort-aanvragen.md.tmp-2-0", "bezig");
    let other = kb.write("burgerzaken/.container-kapot.md.tmp-1-0", "ander");
    hour_old(&other);
    update_passport(kb.path(), &passport_text("owner = \"Anna\"")).expect("saved");
    assert!(!old.exists(), "the old leftover is removed");
    assert!(
        fresh.exists(),
        "a recent temporary file may still be in use"
    );
    assert!(
        other.exists(),
        "only the saved file's leftovers are touched"
    );
}

#[test]
fn invalid_source_lists_problems_with_lines_and_leaves_the_file_untouched() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let before = fs::read(&path).expect("read");
    let broken = "+++\ntitle = \"Paspoort\"\nquestions = [\"een\"]\ntags = [\"burgerzaken\"]\ndepartment = \"Publiekszaken\"\nbot = \"ja\"\n+++\nTekst.\n";
    let err = update_passport(kb.path(), broken).expect_err("invalid");
    let WriteError::Invalid(problems) = err else {
        panic!("expected Invalid, got {err:?}");
    };
    let lines: Vec<(usize, &str)> = problems
        .iter()
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert!(
        lines
            .iter()
            .any(|(line, m)| *line == 3 && m.contains("questions")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|(line, m)| *line == 6 && m.contains("bot")),
        "{lines:?}"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        before,
        "the file is untouched"
    );
}

#[test]
fn a_first_tag_that_is_not_a_valid_category_is_refused_and_nothing_is_created() {
    let kb = fixture_kb();
    let source = valid_article("Iets", &["een", "twee", "drie"], "../buiten", "");
    let err = write::save(kb.path(), "iets", &source, Expected::New).expect_err("invalid");
    assert!(matches!(err, WriteError::Invalid(_)), "{err:?}");
    assert!(!kb.path().join("../buiten").exists());
    assert!(
        !kb.path()
            .parent()
            .expect("parent")
            .join("buiten/iets.md")
            .exists()
    );
}

#[test]
fn ids_that_are_not_kebab_case_are_refused_before_any_path_is_made() {
    let kb = fixture_kb();
    for id in ["../paspoort", "Paspoort", "a/b", "", "readme"] {
        let err = write::save(kb.path(), id, &passport_text(""), Expected::New).expect_err(id);
        let WriteError::Invalid(problems) = err else {
            panic!("{id}: expected Invalid, got {err:?}");
        };
        assert!(
            problems[0].message.contains("kebab-case"),
            "{id}: {problems:?}"
        );
    }
}

#[test]
fn an_id_used_by_two_files_is_refused_as_kb_check_words_it() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let before = fs::read(&path).expect("read");
    kb.write("reizen/paspoort-aanvragen.md", &passport_in("reizen", ""));
    let err = update_passport(kb.path(), &passport_text("owner = \"Anna\"")).expect_err("dup");
    let WriteError::Invalid(problems) = err else {
        panic!("expected Invalid, got {err:?}");
    };
    assert!(
        problems[0]
            .message
            .contains("duplicate article id `paspoort-aanvragen`"),
        "{problems:?}"
    );
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn a_stale_version_is_refused_with_a_diff_and_nothing_is_written() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let opened = version_of(&path);
    // Another editor saves first.
    let theirs = passport_text("owner = \"Bram\"");
    write::save(
        kb.path(),
        "paspoort-aanvragen",
        &theirs,
        Expected::Version(opened.clone()),
    )
    .expect("first save");
    let mine = passport_text("owner = \"Anna\"");
    let err = write::save(
        kb.path(),
        "paspoort-aanvragen",
        &mine,
        Expected::Version(opened.clone()),
    )
    .expect_err("stale");
    let invalid_and_stale = write::save(
        kb.path(),
        "paspoort-aanvragen",
        "geen front matter",
        Expected::Version(opened),
    );
    assert!(
        matches!(invalid_and_stale, Err(WriteError::Stale { .. })),
        "the version is checked first, as If-Match before the body: {invalid_and_stale:?}"
    );
    let WriteError::Stale { current, diff, .. } = err else {
        panic!("expected Stale, got {err:?}");
    };
    assert_eq!(current, write::version(theirs.as_bytes()));
    assert!(diff.contains("-owner = \"Bram\""), "{diff}");
    assert!(diff.contains("+owner = \"Anna\""), "{diff}");
    assert!(diff.contains("@@"), "a unified diff: {diff}");
    assert_eq!(fs::read_to_string(&path).expect("read"), theirs);
}

#[test]
fn new_over_an_existing_article_is_stale_and_a_vanished_article_too() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let before = fs::read(&path).expect("read");
    let err = write::save(
        kb.path(),
        "paspoort-aanvragen",
        &passport_text("owner = \"X\""),
        Expected::New,
    )
    .expect_err("exists");
    assert!(
        matches!(&err, WriteError::Stale { current, .. } if *current == write::version(&before)),
        "{err:?}"
    );
    assert_eq!(fs::read(&path).expect("read"), before);

    let err = write::save(
        kb.path(),
        "verdwenen",
        &passport_text(""),
        Expected::Version("abc".into()),
    )
    .expect_err("gone");
    assert!(
        matches!(&err, WriteError::Stale { current, .. } if current.is_empty()),
        "{err:?}"
    );
    assert!(err.to_string().contains("no longer exists"), "{err}");
}

#[test]
fn changing_the_first_tag_moves_the_article_to_its_new_category() {
    let kb = fixture_kb();
    let old = kb.path().join(PASSPORT);
    let moved = passport_in("reisdocumenten", "");
    let saved = write::save(
        kb.path(),
        "paspoort-aanvragen",
        &moved,
        Expected::Version(version_of(&old)),
    )
    .expect("moved");
    assert_eq!(
        saved.path,
        kb.path().join("reisdocumenten/paspoort-aanvragen.md")
    );
    assert_eq!(saved.moved_from.as_deref(), Some(old.as_path()));
    assert!(!old.exists(), "the old file is removed");
    let loaded = kb::load(kb.path()).expect("valid, no duplicate id");
    assert_eq!(
        loaded
            .article("paspoort-aanvragen")
            .expect("loaded")
            .category(),
        "reisdocumenten"
    );
}

#[test]
fn archiving_moves_the_article_out_of_the_loaded_knowledge_base() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let text = fs::read_to_string(&path).expect("read");

    let err = write::archive(kb.path(), "paspoort-aanvragen", "0000").expect_err("stale");
    assert!(matches!(err, WriteError::Stale { .. }), "{err:?}");
    assert!(path.exists());

    let archived =
        write::archive(kb.path(), "paspoort-aanvragen", &version_of(&path)).expect("archived");
    assert!(!path.exists());
    assert_eq!(archived.path, kb.path().join(ARCHIVE_DIR).join(PASSPORT));
    assert_eq!(archived.source, text);
    assert_eq!(
        fs::read_to_string(&archived.path).expect("archived file"),
        text
    );
    let loaded = kb::load(kb.path()).expect("valid");
    assert!(loaded.article("paspoort-aanvragen").is_none());
    assert_eq!(loaded.articles.len(), 2);

    let err = write::archive(kb.path(), "paspoort-aanvragen", &archived.version).expect_err("gone");
    assert!(matches!(err, WriteError::NotFound(_)), "{err:?}");
    // The archived id stays taken, so its history keeps meaning one article.
    assert_eq!(
        write::new_id(kb.path(), "Paspoort aanvragen").expect("id"),
        "paspoort-aanvragen-2"
    );
}

#[test]
fn archiving_twice_keeps_both_archived_files() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    let first = write::archive(kb.path(), "paspoort-aanvragen", &version_of(&path)).expect("first");
    let again = passport_text("owner = \"Anna\"");
    write::save(kb.path(), "paspoort-aanvragen", &again, Expected::New).expect("recreated");
    let second =
        write::archive(kb.path(), "paspoort-aanvragen", &version_of(&path)).expect("second");
    assert_ne!(first.path, second.path);
    assert!(
        second.path.ends_with("burgerzaken/paspoort-aanvragen~2.md"),
        "{second:?}"
    );
    assert_eq!(fs::read_to_string(&second.path).expect("read"), again);
    assert!(first.path.exists());
}

#[test]
fn slugs_are_ascii_kebab_case_cut_at_a_word_boundary() {
    assert_eq!(
        write::slug("Paspoort aanvragen: zo werkt het"),
        "paspoort-aanvragen-zo-werkt-het"
    );
    assert_eq!(
        write::slug("Café ëxtra  -- Überweg ß"),
        "cafe-extra-uberweg-ss"
    );
    assert_eq!(
        write::slug("  Wat kost een ID-kaart?  "),
        "wat-kost-een-id-kaart"
    );
    assert_eq!(write::slug("€ % !"), "artikel");
    let long = write::slug(
        "Een hele lange titel over het aanvragen van een vergunning voor een evenement in de binnenstad",
    );
    assert!(long.len() <= write::MAX_SLUG_CHARS, "{long}");
    assert_eq!(
        long,
        "een-hele-lange-titel-over-het-aanvragen-van-een-vergunning"
    );
    let word = "a".repeat(80);
    assert_eq!(write::slug(&word).len(), write::MAX_SLUG_CHARS);
}

#[test]
fn new_ids_are_unique_in_the_knowledge_base() {
    let kb = fixture_kb();
    assert_eq!(
        write::new_id(kb.path(), "Paspoort aanvragen").expect("id"),
        "paspoort-aanvragen-2"
    );
    kb.write("burgerzaken/paspoort-aanvragen-2.md", &passport_text(""));
    assert_eq!(
        write::new_id(kb.path(), "Paspoort aanvragen!").expect("id"),
        "paspoort-aanvragen-3"
    );
    assert_eq!(
        write::new_id(kb.path(), "Rijbewijs").expect("id"),
        "rijbewijs"
    );
}

/// The child side of the crash test: saves two alternating texts of different lengths, as
/// fast as it can, until it is killed. Run only by `a_save_killed_at_any_moment_...`.
#[test]
#[ignore = "run as a child process by the crash test"]
fn save_loop_for_crash_test() {
    let Some(dir) = std::env::var_os("VRAAGBAAK_CRASH_KB") else {
        return;
    };
    let dir = Path::new(&dir);
    let path = dir.join(PASSPORT);
    let start = saved_number(&path, &fs::read_to_string(&path).expect("read")) + 1;
    for n in start.. {
        let text = crash_text(n);
        update_passport(dir, &text).expect("save in the loop");
    }
}

/// Which `crash_text` the article file holds; panics when it is not a whole, valid article.
fn saved_number(path: &Path, text: &str) -> u64 {
    let article = parse_article(path, text).expect("the article file is whole and valid");
    let owner = article.owner.expect("owner");
    owner
        .trim_start_matches("versie ")
        .parse()
        .expect("version number")
}

fn crash_text(n: u64) -> String {
    // Every other version is much longer, so a torn write cannot look like a whole file.
    let padding = if n.is_multiple_of(2) {
        String::new()
    } else {
        "Meer uitleg. ".repeat(40)
    };
    passport_text(&format!("owner = \"versie {n}\""))
        .replace("Antwoord over", &format!("{padding}Antwoord over"))
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_file_whole() {
    let kb = fixture_kb();
    let path = kb.path().join(PASSPORT);
    fs::write(&path, crash_text(0)).expect("start text");
    let exe = std::env::current_exe().expect("test binary");
    let mut seen = std::collections::BTreeSet::new();
    for round in 0..25u64 {
        let mut child = Command::new(&exe)
            .args([
                "kb_write::save_loop_for_crash_test",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env("VRAAGBAAK_CRASH_KB", kb.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("child starts");
        std::thread::sleep(Duration::from_millis(20 + (round * 37) % 120));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        let text = fs::read_to_string(&path).expect("the article file exists after kill -9");
        let article = parse_article(&path, &text).expect("the article file is whole and valid");
        let owner = article.owner.expect("owner");
        let n: u64 = owner
            .trim_start_matches("versie ")
            .parse()
            .expect("version number");
        assert_eq!(
            text,
            crash_text(n),
            "round {round}: the file is exactly one saved version"
        );
        let loaded = kb::load(kb.path()).expect("the knowledge base still loads");
        assert_eq!(loaded.articles.len(), 3, "round {round}");
        seen.insert(n);
    }
    // The children really saved (a child that never ran would make this test pass vacuously).
    assert!(seen.len() > 5, "versions seen: {seen:?}");
}

#[test]
fn revisions_are_recorded_with_their_text_and_listed_newest_first() {
    use vraagbaak::store::Store;
    use vraagbaak::store::revisions::{self, FILE_AUTHOR, NewRevision, Status};

    let kb = fixture_kb();
    let store = Store::open_in_memory().expect("store");
    let path = kb.path().join(PASSPORT);
    let original = fs::read_to_string(&path).expect("read");
    let edited = passport_text("owner = \"Anna\"");
    let saved = update_passport(kb.path(), &edited).expect("saved");
    let history = [
        (FILE_AUTHOR, "", original.as_str(), Status::Published),
        (
            "Anna",
            "eigenaar ingevuld",
            edited.as_str(),
            Status::Published,
        ),
        ("Bram", "concept", edited.as_str(), Status::Draft),
    ];
    let ids = store
        .blocking(|c| {
            let mut ids = Vec::new();
            for (author, comment, source, status) in history {
                let version = write::version(source.as_bytes());
                let revision = NewRevision {
                    article_id: "paspoort-aanvragen",
                    version: &version,
                    author,
                    comment,
                    source,
                    status,
                };
                ids.push(revisions::record(c, &revision)?);
            }
            revisions::record(
                c,
                &NewRevision {
                    article_id: "container-kapot",
                    version: "x",
                    author: "Anna",
                    comment: "",
                    source: "ander artikel",
                    status: Status::Published,
                },
            )?;
            Ok(ids)
        })
        .expect("recorded");

    let (listed, latest, first_text, wrong_article) = store
        .blocking(|c| {
            Ok((
                revisions::list(c, "paspoort-aanvragen")?,
                revisions::latest(c, "paspoort-aanvragen")?,
                revisions::source(c, "paspoort-aanvragen", ids[0])?,
                revisions::source(c, "container-kapot", ids[0])?,
            ))
        })
        .expect("read");
    let authors: Vec<&str> = listed.iter().map(|r| r.author.as_str()).collect();
    assert_eq!(authors, ["Bram", "Anna", FILE_AUTHOR], "newest first");
    assert!(listed.windows(2).all(|w| w[0].at >= w[1].at));
    assert_eq!(listed[1].version, saved.version);
    assert_eq!(listed[1].comment, "eigenaar ingevuld");
    assert_eq!(listed[0].status, Status::Draft);
    assert_eq!(latest.as_ref(), listed.first());
    assert_eq!(first_text.as_deref(), Some(original.as_str()));
    assert_eq!(
        wrong_article, None,
        "a revision id of another article gives nothing"
    );

    let changed = store.blocking(|c| {
        Ok((
            c.execute("UPDATE kb_revisions SET author = 'x'", [])
                .is_err(),
            c.execute("DELETE FROM kb_revisions", []).is_err(),
        ))
    });
    assert_eq!(
        changed.expect("tried"),
        (true, true),
        "revisions are append-only"
    );
}

#[test]
fn revision_statuses_round_trip_and_unknown_ones_are_named() {
    use vraagbaak::store::revisions::Status;
    for status in [Status::Published, Status::Draft, Status::Archived] {
        assert_eq!(status.as_str().parse::<Status>().expect("parses"), status);
    }
    let err = "concept".parse::<Status>().expect_err("unknown");
    assert!(err.to_string().contains("`concept`"), "{err}");
}
