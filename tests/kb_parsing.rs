//! Editors get every problem, with the exact file, line and a message that says what to fix.

use vraagbaak::kb::{self, Problem};

use crate::common::{Kb, article, fixture_kb, valid_article};

fn problems(kb: &Kb) -> Vec<String> {
    let (_, problems) = kb::load_with_problems(kb.path()).expect("directory is readable");
    let root = kb.path().display().to_string();
    problems
        .iter()
        .map(|p: &Problem| p.to_string().replace(&root, "KB"))
        .collect()
}

#[test]
fn the_fixture_is_valid() {
    assert!(problems(&fixture_kb()).is_empty());
}

#[test]
fn broken_toml_names_the_line() {
    let kb = fixture_kb();
    kb.write(
        "afval/glas.md",
        "+++\ntitle = \"Glas\"\nquestions = [\"a\", \"b\"\ntags = [\"afval\"]\n+++\nTekst\n",
    );
    let found = problems(&kb);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("KB/afval/glas.md:4: invalid TOML:"),
        "{found:?}"
    );
}

#[test]
fn missing_front_matter_is_reported_on_line_1() {
    let kb = fixture_kb();
    kb.write("afval/glas.md", "# Glas\nTekst zonder front matter\n");
    assert_eq!(
        problems(&kb),
        [
            "KB/afval/glas.md:1: missing front matter: the file must start with a line `+++`, then TOML, then a closing `+++` line"
        ]
    );
}

#[test]
fn every_field_problem_in_one_file_is_listed() {
    let kb = fixture_kb();
    let text = article(
        "title = \"Glas\"\nquestions = [\"waar is de glasbak\", \"glas weggooien\"]\ntags = [\"wonen\"]\ndepartment = \"Afval\"\nauthor = \"Piet\"\nlinks = [{ title = \"Kaart\", url = \"htps//kaart\" }]\nbot = \"ja\"\nvalid_from = \"december\"",
        "",
    );
    kb.write("afval/glas.md", &text);
    assert_eq!(
        problems(&kb),
        [
            "KB/afval/glas.md:6: unknown field `author`; allowed fields are: id, title, questions, not_answered, keywords, tags, department, links, bot, valid_from, valid_until, owner, reviewed",
            "KB/afval/glas.md:3: `questions` has 2 entries; at least 3 are required",
            "KB/afval/glas.md:4: the first tag `wonen` must be the category, which is the directory name `afval`",
            "KB/afval/glas.md:7: malformed URL `htps//kaart`: relative URL without a base",
            "KB/afval/glas.md:8: `bot` must be true or false, found string",
            "KB/afval/glas.md:9: `valid_from` must be a date without quotes, like 2026-12-01",
            "KB/afval/glas.md:11: the answer (the text after the closing `+++`) is empty",
        ]
    );
}

#[test]
fn questions_the_article_does_not_answer_are_strings_and_not_also_example_questions() {
    let kb = fixture_kb();
    let front = "title = \"Glas\"\n\
                 questions = [\"waar is de glasbak\", \"glas weggooien\", \"Mag een spiegel in de glasbak?\"]\n\
                 not_answered = [\n  \"hoeveel glasbakken staan er in Dijkstede\",\n  \"mag een  spiegel in de glasbak\",\n]\n\
                 tags = [\"afval\"]\ndepartment = \"Afval\"";
    kb.write("afval/glas.md", &article(front, "Tekst"));
    assert_eq!(
        problems(&kb),
        [
            "KB/afval/glas.md:6: \"mag een  spiegel in de glasbak\" is in both `questions` and `not_answered`; keep it in one"
        ]
    );
    kb.write(
        "afval/glas.md",
        &article(
            &front.replace("\"mag een  spiegel in de glasbak\"", "42"),
            "Tekst",
        ),
    );
    assert_eq!(
        problems(&kb),
        ["KB/afval/glas.md:6: `not_answered` must contain only strings, found integer"]
    );
    kb.write(
        "afval/glas.md",
        &article(
            &front.replace("  \"mag een  spiegel in de glasbak\",\n", ""),
            "Tekst",
        ),
    );
    assert_eq!(problems(&kb), Vec::<String>::new());
}

#[test]
fn missing_required_fields_are_each_named() {
    let kb = fixture_kb();
    kb.write("afval/glas.md", &article("title = \"Glas\"", "Tekst"));
    assert_eq!(
        problems(&kb),
        [
            "KB/afval/glas.md:1: missing required field `questions`",
            "KB/afval/glas.md:1: missing required field `tags`",
            "KB/afval/glas.md:1: missing required field `department`",
        ]
    );
}

#[test]
fn duplicate_ids_across_categories_are_reported() {
    let kb = fixture_kb();
    let copy = valid_article("Paspoort", &["a", "b", "c"], "overig", "");
    kb.write("overig/paspoort-aanvragen.md", &copy);
    let found = problems(&kb);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("KB/overig/paspoort-aanvragen.md: duplicate article id `paspoort-aanvragen`: also used by "),
        "{found:?}"
    );
}

#[test]
fn file_names_must_be_kebab_case_and_match_an_id_field() {
    let kb = fixture_kb();
    kb.write(
        "afval/Glas_Bak.md",
        &valid_article("Glas", &["a", "b", "c"], "afval", ""),
    );
    kb.write(
        "afval/glas.md",
        &valid_article("Glas", &["a", "b", "c"], "afval", "id = \"glasbak\""),
    );
    assert_eq!(
        problems(&kb),
        [
            "KB/afval/Glas_Bak.md: article id `Glas_Bak` (the file name) must be lowercase kebab-case: a-z, 0-9 and single hyphens",
            "KB/afval/glas.md:11: `id` is `glasbak` but the file name says `glas`; they must match",
        ]
    );
}

#[test]
fn validity_dates_must_be_in_order() {
    let kb = fixture_kb();
    kb.write(
        "afval/glas.md",
        &valid_article(
            "Glas",
            &["a", "b", "c"],
            "afval",
            "valid_from = 2027-01-31\nvalid_until = 2026-12-15",
        ),
    );
    assert_eq!(
        problems(&kb),
        ["KB/afval/glas.md:12: `valid_until` (2026-12-15) is before `valid_from` (2027-01-31)"]
    );
}

#[test]
fn synonym_file_problems_name_the_line() {
    let kb = fixture_kb();
    kb.write(
        "synonyms.txt",
        "# afval\nkliko, container\nkliko\nstort => \n",
    );
    assert_eq!(
        problems(&kb),
        [
            "KB/synonyms.txt:3: a synonym group needs at least two terms separated by commas, found `kliko`",
            "KB/synonyms.txt:4: right of `=>`: empty term (two commas in a row, or a comma at the start or end)",
        ]
    );
}

#[test]
fn non_utf8_files_are_reported_not_fatal() {
    let kb = fixture_kb();
    let path = kb.path().join("afval/latin1.md");
    std::fs::write(&path, b"+++\ntitle = \"caf\xe9\"\n+++\n").expect("write");
    assert_eq!(
        problems(&kb),
        ["KB/afval/latin1.md:2: the file is not valid UTF-8; save it as UTF-8"]
    );
}

#[test]
fn a_missing_directory_is_an_error_not_a_problem_list() {
    let err = kb::load(std::path::Path::new("/nonexistent/kb")).expect_err("must fail");
    assert!(
        err.to_string()
            .starts_with("cannot read knowledge base directory /nonexistent/kb:"),
        "{err}"
    );
}

#[test]
fn the_sample_knowledge_base_is_valid_and_complete() {
    let kb = kb::load(&crate::common::sample_kb_dir()).expect("sample KB is valid");
    let topics = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/kb/topics.tsv"));
    // The id list is kept next to the KB so the check does not depend on files outside the repo.
    let topics = topics.expect("kb/topics.tsv exists");
    for id in topics
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
    {
        assert!(kb.article(id).is_some(), "article `{id}` is missing");
    }
}
