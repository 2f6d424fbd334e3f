//! The command line: clear one-line errors, `kb check` output and streaming JSON.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::common::fixture_kb;

fn vraagbaak(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args(args)
        .output()
        .expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_kb_path_is_a_one_line_error() {
    let output = vraagbaak(&["suggest", "--kb", "/nonexistent/kb", "paspoort"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("vraagbaak: cannot read knowledge base directory /nonexistent/kb"),
        "{err}"
    );
}

#[test]
fn kb_check_prints_every_problem_and_a_count_and_exits_1() {
    let kb = fixture_kb();
    kb.write("afval/glas.md", "+++\ntitle = \"Glas\"\n+++\nTekst\n");
    kb.write("synonyms.txt", "kliko\n");
    let output = vraagbaak(&["kb", "check", &kb.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].ends_with("afval/glas.md:1: missing required field `questions`"),
        "{out}"
    );
    assert!(lines[3].ends_with("synonyms.txt:1: a synonym group needs at least two terms separated by commas, found `kliko`"), "{out}");
    assert_eq!(lines[4], "4 problem(s)");
}

#[test]
fn kb_check_passes_the_sample_kb() {
    let output = vraagbaak(&["kb", "check", concat!(env!("CARGO_MANIFEST_DIR"), "/kb")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn suggest_reads_stdin_and_writes_one_json_object_per_line() {
    let kb = fixture_kb();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args([
            "suggest",
            "--json",
            "-k",
            "2",
            "--kb",
            &kb.path().display().to_string(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all("paspoort verlopen\nhallo\nkliko kapot\n".as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("finishes");
    let lines: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["suggestions"][0]["id"], "paspoort-aanvragen");
    assert_eq!(lines[1]["message"], "hallo");
    assert_eq!(lines[1]["suggestions"].as_array().map(Vec::len), Some(0));
    assert_eq!(lines[2]["suggestions"][0]["id"], "container-kapot");
}

#[test]
fn suggest_with_a_message_prints_a_readable_list() {
    let kb = fixture_kb();
    let output = vraagbaak(&[
        "suggest",
        "--kb",
        &kb.path().display().to_string(),
        "paspoort verlopen",
    ]);
    assert!(output.status.success());
    let out = stdout(&output);
    assert!(
        out.contains("1. Paspoort aanvragen  [paspoort-aanvragen]  confidence"),
        "{out}"
    );
    assert!(out.contains("matched: paspoort, verlopen"), "{out}");
    assert!(
        out.contains("→ Meer informatie: https://www.dijkstede.example/info"),
        "{out}"
    );
}

#[test]
fn eval_reports_vraagbaak_and_the_baseline() {
    let output = vraagbaak(&[
        "eval",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/dev.tsv"),
        "--kb",
        concat!(env!("CARGO_MANIFEST_DIR"), "/kb"),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("baseline (tantivy default)"), "{out}");
    assert!(out.contains("+ whole-article BM25 (full)"), "{out}");
    assert!(out.contains("per category"), "{out}");
}

#[test]
fn eval_held_out_asks_every_example_question_and_needs_no_file() {
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let output = vraagbaak(&["eval", "--held-out", "--kb", kb, "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let sample = vraagbaak::kb::load(std::path::Path::new(kb)).expect("sample KB");
    let count = |list: fn(&vraagbaak::kb::Article) -> usize| -> usize {
        sample.articles.iter().map(list).sum()
    };
    let questions = count(|a| a.questions.len());
    assert_eq!(report["questions"], questions);
    assert_eq!(report["folds"], 4);
    let full = &report["pipelines"][5];
    assert_eq!(full["pipeline"], "+ whole-article BM25 (full)");
    assert_eq!(full["figures"]["answerable"], questions);
    // The questions articles list as not answered are held out too.
    let unanswered = &report["not_answered"];
    assert_eq!(unanswered["questions"], count(|a| a.not_answered.len()));
    let sent = unanswered["by_its_article"].as_u64().expect("count");
    assert!(sent <= unanswered["its_article_first"].as_u64().expect("count"));

    let neither = vraagbaak(&["eval", "--kb", kb]);
    assert_eq!(neither.status.code(), Some(2));
    assert!(stderr(&neither).contains("<FILE>"), "{}", stderr(&neither));
    let both = vraagbaak(&["eval", "tests/data/dev.tsv", "--held-out", "--kb", kb]);
    assert_eq!(both.status.code(), Some(2));
    let one_fold = vraagbaak(&["eval", "--held-out", "1", "--kb", kb]);
    assert!(
        stderr(&one_fold).contains("1 is not in 2..=100"),
        "{}",
        stderr(&one_fold)
    );
}

/// The folds as files: each fold's knowledge base and questions, which `vraagbaak eval` then
/// measures exactly as `--held-out` does (the peers' script runs on them).
#[test]
fn eval_held_out_writes_its_folds_for_other_tools() {
    let kb = concat!(env!("CARGO_MANIFEST_DIR"), "/kb");
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().to_str().expect("utf-8 path");
    let output = vraagbaak(&["eval", "--held-out", "3", "--kb", kb, "--write-folds", dir]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("wrote 3 folds"),
        "{}",
        stdout(&output)
    );
    let held_out = vraagbaak(&["eval", "--held-out", "3", "--kb", kb, "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&held_out)).expect("JSON");
    let full = |report: &serde_json::Value| -> (f64, f64) {
        let figures = &report["pipelines"][5]["figures"];
        let answerable = figures["answerable"].as_f64().expect("answerable");
        (
            figures["hit_at_1"].as_f64().expect("hit@1") * answerable,
            answerable,
        )
    };
    let (mut hits, mut questions) = (0.0, 0.0);
    for f in 0..3 {
        let fold_kb = out.path().join(format!("kb{f}"));
        let cases = out.path().join(format!("fold{f}.tsv"));
        let fold = vraagbaak(&[
            "eval",
            cases.to_str().expect("utf-8"),
            "--kb",
            fold_kb.to_str().expect("utf-8"),
            "--json",
        ]);
        assert!(fold.status.success(), "{}", stderr(&fold));
        let (h, q) = full(&serde_json::from_str(&stdout(&fold)).expect("JSON"));
        (hits, questions) = (hits + h, questions + q);
    }
    let (expected_hits, expected_questions) = full(&report);
    assert_eq!(questions, expected_questions);
    assert!(
        (hits - expected_hits).abs() < 0.5,
        "{hits} vs {expected_hits}"
    );

    let again = vraagbaak(&["eval", "--held-out", "3", "--kb", kb, "--write-folds", dir]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("is not empty"),
        "{}",
        stderr(&again)
    );
    let alone = vraagbaak(&["eval", "--kb", kb, "--write-folds", dir]);
    assert_eq!(alone.status.code(), Some(2));
}

#[test]
fn apikey_create_takes_scopes_and_names_an_unknown_one() {
    let data = tempfile::tempdir().expect("temp dir");
    let dir = data.path().to_str().expect("utf-8 path");
    let bad = vraagbaak(&[
        "apikey", "create", "cms", "--scope", "kb,admin", "--data", dir,
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("unknown scope `admin`"),
        "{}",
        stderr(&bad)
    );
    let made = vraagbaak(&["apikey", "create", "cms", "--scope", "kb", "--data", dir]);
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(
        stdout(&made).contains("with scopes kb "),
        "{}",
        stdout(&made)
    );
    let default = vraagbaak(&["apikey", "create", "inbox", "--data", dir]);
    assert!(stdout(&default).contains("with scopes suggest,conversations "));
}
