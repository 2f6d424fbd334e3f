//! `vraagbaak eval --learn TRAIN TEST` on a tiny constructed knowledge base and files.

use std::process::Command;

use crate::common::fixture_kb;

#[test]
fn eval_learn_prints_the_test_figures_before_and_after_and_changes_no_file() {
    let kb = fixture_kb();
    let dir = tempfile::tempdir().expect("temp dir");
    let train = dir.path().join("train.tsv");
    let test = dir.path().join("test.tsv");
    // Words the container article does not have: the engine cannot put it first.
    std::fs::write(
        &train,
        "message\texpected\ner zit een scheur in de groene ton\tcontainer-kapot\nhoe vraag ik een nieuw paspoort aan\tpaspoort-aanvragen\n",
    )
    .expect("train");
    std::fs::write(
        &test,
        "er zit een scheur in de groene ton\tcontainer-kapot\n",
    )
    .expect("test");
    let article = kb.path().join("afval/container-kapot.md");
    let before = std::fs::read_to_string(&article).expect("article");

    let run = |json: bool| {
        let mut args = vec!["eval", "--learn", "--kb"];
        let kb_dir = kb.path().display().to_string();
        let (train, test) = (train.display().to_string(), test.display().to_string());
        args.push(&kb_dir);
        if json {
            args.push("--json");
        }
        args.extend([train.as_str(), test.as_str()]);
        let output = Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
            .args(&args)
            .output()
            .expect("runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let report: serde_json::Value = serde_json::from_str(&run(true)).expect("JSON");
    assert_eq!(report["proposals"], 1, "{report}");
    assert_eq!(report["not_answered_proposals"], 0, "{report}");
    assert_eq!(report["accepted"], 1);
    assert_eq!(report["before"]["hit_at_1"], 0.0);
    assert_eq!(report["after"]["hit_at_1"], 1.0);

    let table = run(false);
    let offer = vraagbaak::config::BotConfig::default().offer_confidence;
    assert!(
        table.contains(&format!(
            "1 example questions proposed (expected article not first), 0 questions an article \
             does not answer (no article, first suggestion at least bot.offer_confidence \
             {offer:.2}); 1 accepted into 1 articles"
        )),
        "{table}"
    );
    assert!(
        table.lines().any(|l| l.starts_with("before "))
            && table.lines().any(|l| l.starts_with("after ")),
        "{table}"
    );
    assert_eq!(
        std::fs::read_to_string(&article).expect("article"),
        before,
        "no file is changed"
    );
}

#[test]
fn eval_with_a_second_file_but_without_learn_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_vraagbaak"))
        .args(["eval", "a.tsv", "b.tsv"])
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("--learn"));
}
