//! The quality gate: the sample KB must meet the targets on the development set, and hold
//! its ground on the near-miss set.
//!
//! The development set lives outside the repository (`../shared/eval/dev.tsv`); a copy is kept
//! in `tests/data/dev.tsv` so the gate runs on a clean clone. The near-miss set is read from
//! `../shared/eval/nearmiss.tsv` only, never copied: without it, its test prints `skipped:`.

use std::path::{Path, PathBuf};

use vraagbaak::config::DEFAULT_MIN_CONFIDENCE;
use vraagbaak::eval::{self, Figures, Outcome, folds};
use vraagbaak::search::{Pipeline, Snapshot, today};

use crate::common::{sample_kb_dir, settings, shared_file};

fn dev_set() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dev.tsv")
}

/// The sample knowledge base indexed with `pipeline`.
fn sample_snapshot(pipeline: Pipeline) -> Snapshot {
    let kb = vraagbaak::kb::load(&sample_kb_dir()).expect("sample KB");
    let settings = vraagbaak::search::Settings {
        pipeline,
        ..settings()
    };
    Snapshot::build(&kb, &settings).expect("build")
}

fn outcomes(file: &Path, pipeline: Pipeline) -> Vec<Outcome> {
    let cases = eval::read_cases(file).expect("labelled set");
    eval::run(
        &sample_snapshot(pipeline),
        &cases,
        DEFAULT_MIN_CONFIDENCE,
        today(),
    )
    .0
}

fn figures(pipeline: Pipeline) -> Figures {
    Figures::of(&outcomes(&dev_set(), pipeline).iter().collect::<Vec<_>>())
}

#[test]
fn dev_set_meets_the_quality_targets() {
    let f = figures(Pipeline::FULL);
    assert!(f.answerable > 250, "the dev set was read: {f:?}");
    assert!(f.hit_at_1 >= 0.93, "hit@1 {f:?}");
    assert!(f.hit_at_3 >= 0.95, "hit@3 {f:?}");
    assert!(f.mrr_at_5 >= 0.90, "MRR@5 {f:?}");
    assert!(f.bot_precision >= 0.97, "bot precision {f:?}");
    assert!(f.bot_coverage >= 0.70, "bot coverage {f:?}");
    assert!(
        f.no_article_confident <= 1,
        "'-' rows answered confidently {f:?}"
    );
}

/// The near-miss set: questions the KB only seems to answer. Its targets: hit@3 0.95, and the
/// bot's precision at least 0.92 at coverage at least 0.50 with at most 8 of its 130 `-` rows
/// answered confidently, in service and out of fold (2026-12-07: in service 0.958 / 0.511 / 1,
/// 5-fold over both sets 0.939 / 0.511 / 2; the hand-set model this replaced answered 32 of
/// the 130 `-` rows at precision 0.615).
#[test]
fn near_misses_are_answered_less_often_and_more_precisely() {
    let Some(nearmiss) = shared_file("near_misses", "eval/nearmiss.tsv") else {
        return;
    };
    let near = outcomes(&nearmiss, Pipeline::FULL);
    let f = Figures::of(&near.iter().collect::<Vec<_>>());
    assert!(f.no_article >= 100, "the near-miss set was read: {f:?}");
    assert!(f.hit_at_1 >= 0.80, "hit@1 {f:?}");
    assert!(f.hit_at_3 >= 0.95, "hit@3 {f:?}");
    assert!(f.bot_precision >= 0.92, "bot precision {f:?}");
    assert!(f.bot_coverage >= 0.50, "bot coverage {f:?}");
    assert!(f.no_article_confident <= 8, "'-' confident {f:?}");

    // Out-of-fold: 5-fold over both sets, so no row is scored by a model that saw it.
    let dev = outcomes(&dev_set(), Pipeline::FULL);
    let report = folds::report(
        ("dev", &dev),
        ("nearmiss", &near),
        5,
        DEFAULT_MIN_CONFIDENCE,
    );
    let union = |set: &str| {
        report
            .iter()
            .find(|l| l.how.contains("union") && l.set == set)
            .map(|l| l.figures.clone())
            .expect("5-fold figures")
    };
    let (dev, near) = (union("dev"), union("nearmiss"));
    assert!(
        dev.bot_precision >= 0.97 && dev.bot_coverage >= 0.70,
        "{dev:?}"
    );
    assert!(
        near.bot_precision >= 0.92 && near.bot_coverage >= 0.50 && near.no_article_confident <= 8,
        "{near:?}"
    );
}

/// A check set of `tests/data/`, written blind and never fitted on: its figures on the full
/// pipeline, after checking that it was read (at least `answerable` and `no_article` rows).
fn check_set(name: &str, answerable: usize, no_article: usize) -> Figures {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let f = Figures::of(&outcomes(&file, Pipeline::FULL).iter().collect::<Vec<_>>());
    assert!(
        f.answerable >= answerable && f.no_article >= no_article,
        "{name} was read: {f:?}"
    );
    f
}

/// National questions (`tests/data/national.tsv`, written blind on 2026-12-03 and never
/// fitted on): half are municipal and answered by an article, half belong to national bodies
/// (Belastingdienst, UWV, SVB, DUO, CJIB, RDW, IND) and no article answers them. The bot
/// answers 5 of those 32 confidently (8 before the half-explained main word, 6 before a
/// number asked had to be given; income tax to the municipal tax articles, a CJIB fine to
/// parking fines): far from good, and this holds it from getting worse.
#[test]
fn national_questions_hold_their_ground() {
    let f = check_set("national.tsv", 30, 30);
    assert!(f.hit_at_1 >= 0.95, "hit@1 {f:?}");
    assert!(f.no_article_confident <= 5, "'-' confident {f:?}");
}

/// A near-miss check set (at least `answerable` and `no_article` rows) holds its floor for
/// hit@3 and its ceiling for `-` rows answered confidently; its figures, for more checks.
fn holds_near_misses(
    name: &str,
    (answerable, no_article): (usize, usize),
    hit_at_3: f64,
    confident: usize,
) -> Figures {
    let f = check_set(name, answerable, no_article);
    assert!(f.hit_at_3 >= hit_at_3, "{name}: hit@3 {f:?}");
    assert!(
        f.no_article_confident <= confident,
        "{name}: '-' confident {f:?}"
    );
    f
}

/// Near misses written blind (`tests/data/nearmiss_blind.tsv`, 2026-12-03, by a session that
/// saw only the articles and `kb-topics.tsv`): 48 questions about a detail no article states
/// and 32 detailed questions an article does answer. 10 of the 48 got a confident answer until
/// the articles listed the questions they do not answer (`not_answered`, written blind by other
/// sessions), and 7 since: this holds it there.
#[test]
fn blind_near_misses_hold_their_ground() {
    let f = holds_near_misses("nearmiss_blind.tsv", (30, 45), 0.95, 7);
    assert!(f.hit_at_1 >= 0.90, "hit@1 {f:?}");
}

#[test]
fn dutch_analysis_beats_the_plain_baseline() {
    let full = figures(Pipeline::FULL);
    let baseline = figures(Pipeline::BASELINE);
    assert!(
        full.hit_at_1 > baseline.hit_at_1,
        "full {full:?} baseline {baseline:?}"
    );
    assert!(
        full.mrr_at_5 > baseline.mrr_at_5,
        "full {full:?} baseline {baseline:?}"
    );
}

#[test]
fn the_bot_on_the_dev_set_is_right_at_least_95_percent_of_the_time() {
    let cases = eval::read_cases(&dev_set()).expect("dev set");
    let snapshot = sample_snapshot(Pipeline::FULL);
    let report = eval::bot_report(
        &snapshot,
        &cases,
        &vraagbaak::config::Config::default(),
        today(),
    );
    assert!(report.precision() >= 0.95, "bot precision {report:?}");
    assert!(
        report.answered_share() >= 0.60,
        "bot answers too little {report:?}"
    );
    assert_eq!(
        report.without_article.get("answered with an article"),
        None,
        "a message without an article got one {report:?}"
    );
    // The default offer rule was chosen as the one with the most right offers among those
    // right at least 95% of the time here; content changes must keep it there. What counts
    // is how many residents end with the right article, by the bot or by an offer: a message
    // the bot answers by itself needs no offer (254 of 311 on 2026-12-05, 222 + 32; then 225
    // + 30 with the times read; 225 + 40 with the abroad aspect, the weights fitted again and
    // the rule chosen again).
    let offers = &report.offers;
    assert!(
        offers.precision() >= 0.95 && report.right_with_offers() >= 254.0 / 311.0,
        "\"Bedoelt u …?\" offers on the dev set {offers:?}, right in the end {:.3}",
        report.right_with_offers()
    );
}

/// The knowledge base's own questions, each held out of the index it is asked against
/// (`vraagbaak eval --held-out`, four folds), with `pipeline`.
fn held_out(pipeline: Pipeline) -> eval::held_out::HeldOut {
    let kb = vraagbaak::kb::load(&sample_kb_dir()).expect("sample KB");
    let settings = vraagbaak::search::Settings {
        pipeline,
        ..settings()
    };
    eval::held_out::run_folds(&kb, &settings, 4, DEFAULT_MIN_CONFIDENCE, today()).expect("builds")
}

/// The example questions held out: nobody tunes on them, so they hold the pipeline to what it
/// reaches on questions it never saw (hit@1 0.832, hit@3 0.955 on 2026-12-05; 0.816 and 0.954
/// on 2026-12-04 with the English synonyms; 0.780 and 0.936 before), well above the plain
/// baseline there (0.578).
#[test]
fn held_out_example_questions_find_their_article() {
    let figures = |pipeline| Figures::of(&held_out(pipeline).asked.iter().collect::<Vec<_>>());
    let full = figures(Pipeline::FULL);
    assert!(full.answerable > 1000, "every question was asked: {full:?}");
    assert!(full.hit_at_1 >= 0.80, "hit@1 {full:?}");
    assert!(full.hit_at_3 >= 0.95, "hit@3 {full:?}");
    let baseline = figures(Pipeline::BASELINE);
    assert!(
        full.hit_at_1 >= baseline.hit_at_1 + 0.15,
        "full {full:?} baseline {baseline:?}"
    );
}

/// The questions articles list as not answered, held out the same way: the bot answers 204 of
/// the 1,224 confidently with the very article that lists them (0.167 on 2026-12-05; 218 of
/// 1,241, 0.176, at 05:45 on 2026-12-06 with the weights fitted again, a little bolder; 203,
/// 0.164, at 08:25 with the amount aspect and the nearest listed question). They are
/// near misses nobody wrote for an eval file; this holds the bot to not sending more of them.
#[test]
fn held_out_not_answered_questions_are_mostly_not_sent() {
    let asked = held_out(Pipeline::FULL).unanswered;
    let figures = eval::held_out::UnansweredFigures::of(&asked);
    assert!(
        figures.questions > 600,
        "every question was asked: {figures:?}"
    );
    assert!(figures.by_its_article_share() <= 0.20, "{figures:?}");
}

/// Every example question asked as written, against the full index: an editor who adds the
/// way residents ask to an article expects that question to find it. On 2026-12-06, 1,530 of
/// the 1,534 come first (22 missed before a repeated example question put its article first,
/// `prefer_repeated_question`); three of the four that do not are asked nearly alike by the
/// article that comes first ("mag gras en blad …" by both the organic-waste and the
/// garden-waste article).
#[test]
fn example_questions_asked_as_written_find_their_article() {
    let kb = vraagbaak::kb::load(&sample_kb_dir()).expect("sample KB");
    let cases: Vec<eval::Case> = (kb.articles.iter())
        .flat_map(|article| {
            (article.questions.iter()).map(|question| eval::Case {
                line: 0,
                message: question.clone(),
                expected: vec![article.id.clone()],
            })
        })
        .collect();
    let snapshot = Snapshot::build(&kb, &settings()).expect("build");
    let outcomes = eval::run(&snapshot, &cases, DEFAULT_MIN_CONFIDENCE, today()).0;
    let f = Figures::of(&outcomes.iter().collect::<Vec<_>>());
    assert!(f.answerable > 1000, "every question was asked: {f:?}");
    let missed = f.answerable - (f.hit_at_1 * f.answerable as f64).round() as usize;
    assert!(
        missed <= 8,
        "{missed} example questions find another article first: {f:?}"
    );
}

/// Waste questions written blind on 2026-12-06 (`tests/data/waste_blind.tsv`) by two helper
/// sessions that saw only the waste articles' one-line descriptions: 55 asking when household
/// waste is collected or put out (the collection calendar, or the named stream's article,
/// which says how often and links the calendar, as `dev.tsv` labels them), then 25 other
/// questions about bins (not emptied, broken, a new one, what goes in). The most common KCC
/// question: before the calendar's example questions in residents' words (written from rows
/// 1–30, measured on rows 31–55), hit@1 0.688, hit@3 0.938, bot precision 0.842 at coverage
/// 0.400; after, 0.787, 0.988, 0.950 at 0.475. This holds it.
#[test]
fn collection_day_questions_find_the_calendar() {
    holds_floors("waste_blind.tsv", 80, [0.75, 0.95, 0.90, 0.40]);
}

/// Everyday questions written blind on 2026-12-06 (`tests/data/everyday_blind.tsv`) by three
/// helper sessions that saw only `kb-topics.tsv`: 40 each about civil affairs and contact,
/// public space, parking and permits, and taxes, income, care and housing. Never used to
/// change anything: hit@1 0.933, hit@3 1.000, bot precision 0.988 at coverage 0.708. This
/// holds it.
#[test]
fn everyday_questions_written_blind_find_their_article() {
    holds_floors("everyday_blind.tsv", 120, [0.90, 0.97, 0.95, 0.60]);
}

/// Situations written blind on 2026-12-06 (`tests/data/situations_blind.tsv`, 200 rows) by
/// four helper sessions that saw only `kb-topics.tsv` and were told to write as residents
/// describe their situation, avoiding the topic list's words ("mn pas is gejat"). Harder than
/// the everyday set, and never read to change anything: hit@1 0.810, hit@3 0.915, bot
/// precision 0.985 at coverage 0.330 (bm25s hit@1 0.705 on the same rows); 0.830, 0.920,
/// 0.985 at 0.335 with the synonyms written from a development set like it. This holds it.
#[test]
fn situations_written_blind_find_their_article() {
    holds_floors("situations_blind.tsv", 200, [0.78, 0.90, 0.95, 0.28]);
}

/// Two more sets of near misses written blind on 2026-12-06 (`tests/data/nearmiss_blind2.tsv`,
/// 70 `-` rows and 50 answerable sub-questions; `nearmiss_blind3.tsv`, 60 and 40) by helper
/// sessions that read only the articles' titles and texts, never their example questions or
/// `not_answered` lists. They show what the public near-miss set no longer does: on questions
/// nobody wrote a listed question from, the bot still answers about one near miss in five
/// (12 of 70 and 12 of 60 on 2026-12-06, bot precision 0.647 and 0.600; 13 and 15 before a
/// listed question's distinctive word counted, 16 example questions moved to the listed and
/// "km" meant "kilometer"; 12 and 9 once an amount asked needed a sum of money or an example
/// question asking one; 12 and 7 once the nearest listed question of the same kind counted;
/// 11 and 5 with English aspects and plural compounds split; 10 and 3 once a number asked had
/// to be given).
/// Most of them ask, in other words, a question the article lists as not answered. Far from
/// good; this holds it from getting worse.
#[test]
fn fresh_near_misses_hold_their_ground() {
    holds_near_misses("nearmiss_blind2.tsv", (50, 70), 0.88, 11);
    holds_near_misses("nearmiss_blind3.tsv", (40, 60), 0.97, 4);
}

/// A fourth near-miss set (`tests/data/nearmiss_blind4.tsv`, 60 `-` rows and 40 answerable),
/// written the same way after the distinctive-word rule and the audit were done, and never
/// read to change anything: 14 near misses answered confidently both by the build of the
/// morning and by the one after those changes (bot precision 0.622 → 0.632); 12 (0.667) with
/// the amount aspect, whose class its failure list helped find; 9 once a number asked had to
/// be given; 7 once a case that is stuck ("nog niks gehoord") asked its state; 6 once another
/// municipality needed an article that says what holds there (2026-12-07). This holds it.
#[test]
fn near_misses_written_after_the_changes_hold_their_ground() {
    holds_near_misses("nearmiss_blind4.tsv", (40, 60), 0.95, 7);
}

/// A fifth near-miss set (`tests/data/nearmiss_blind5.tsv`, 60 `-` rows and 40 answerable),
/// written on 2026-12-06 by a helper session that read only the topic list and the articles'
/// titles and texts, before the amount aspect was built, and measured only as figures until
/// that change was done: 12 near misses answered confidently before it, 11 after (bot
/// precision 0.629 → 0.647 at coverage 0.550; hit@1 0.900, hit@3 1.000); 8 (0.700 at 0.525)
/// with the nearest listed question, whose variants were compared on this set's figures
/// (never its rows); 6 later. This holds it.
#[test]
fn near_misses_written_before_the_amount_aspect_hold_their_ground() {
    holds_near_misses("nearmiss_blind5.tsv", (40, 60), 0.97, 7);
}

/// A sixth near-miss set (`tests/data/nearmiss_blind6.tsv`, 60 `-` rows and 40 answerable),
/// written on 2026-12-06 the same way while the nearest-listed-question rule was being built,
/// and measured once, after it was done, never read: the build before the rule (with the
/// amount aspect) answered 11 near misses confidently, the one after 7 (bot precision 0.667 →
/// 0.767, coverage 0.550 → 0.575; hit@1 0.925, hit@3 0.950 both); 5 (0.821) once a number
/// asked had to be given. This holds it.
#[test]
fn near_misses_written_while_the_nearest_rule_was_built_hold_their_ground() {
    holds_near_misses("nearmiss_blind6.tsv", (40, 60), 0.93, 6);
}

/// Two more near-miss sets (`tests/data/nearmiss_blind7.tsv` and `nearmiss_blind8.tsv`, 60
/// `-` rows and 40 answerable each), written on 2026-12-06 the same way after the nearest
/// rule: 16 and 15 near misses answered confidently at first (bot precision 0.644 and
/// 0.625). The seventh's rows were read to find classes (the state of one's own case,
/// English aspects); the eighth was measured as figures only (three of its rows were seen
/// while counting aspects): 10 (0.737) and 11 (0.703) with the status aspect, English
/// aspects, periods and plural compounds split; 9 and 10 once a number asked had to be
/// given; 8 and 7 once an opinion asked needed an article that advises; the eighth 6 once a
/// case that is stuck asked its state, 4 once a price asked had to be of what is asked ("hoe
/// hoog is de boete") and how long something is valid had to be stated (2026-12-07). This
/// holds them.
#[test]
fn near_misses_written_after_the_nearest_rule_hold_their_ground() {
    holds_near_misses("nearmiss_blind7.tsv", (40, 60), 0.95, 9);
    holds_near_misses("nearmiss_blind8.tsv", (40, 60), 0.97, 5);
}

/// A ninth near-miss set (`tests/data/nearmiss_blind9.tsv`, 60 `-` rows and 40 answerable),
/// written on 2026-12-06 from a broader brief (more kinds of near miss) and measured as figures
/// only that day: 9 near misses answered confidently at first (bot precision 0.735), 8 (0.771)
/// with the status aspect and plural compounds split, 7 (0.794) once a number asked had to be
/// given (its confident rows were read for that change); 6 once a case that is stuck asked
/// its state. This holds it.
#[test]
fn near_misses_written_from_a_broader_brief_hold_their_ground() {
    holds_near_misses("nearmiss_blind9.tsv", (40, 60), 0.97, 7);
}

/// A second set of situations written blind on 2026-12-06 (`tests/data/situations_blind2.tsv`,
/// two per article, 240 rows) the same way as the first, by a session that saw only
/// `kb-topics.tsv`: hit@1 0.846, hit@3 0.938, bot precision 0.989 at coverage 0.362 (bm25s
/// hit@1 0.771). Read only to find classes of failure, nothing written from it. This holds it.
#[test]
fn more_situations_written_blind_find_their_article() {
    holds_floors("situations_blind2.tsv", 240, [0.80, 0.90, 0.95, 0.30]);
}

/// Two sets of WhatsApp messages written blind on 2026-12-06 (`tests/data/whatsapp_blind.tsv`
/// and `whatsapp_blind2.tsv`, 135 answerable rows over all 120 articles and 15 greetings or
/// off-topic rows each) by two helper sessions that read only `kb-topics.tsv` and the
/// articles, told not to reword the example questions: short chat with typos and
/// abbreviations, and residents of every kind (a pensioner, a hurried parent, someone who
/// writes as they speak, expats). The closest stand-ins for the unseen WhatsApp-style set on
/// which plain BM25 once led. Measured first as figures: hit@1 0.904 and 0.896, hit@3 0.985
/// and 0.978, bot precision 0.987 at coverage 0.570 and 0.933 at 0.519 (one `-` row
/// answered), against bm25s hit@1 0.822 and 0.815; hit@1 0.911 and 0.904 once a son or a
/// daughter was a child. The first was then read (its misses and its right answers below
/// 0.80); the second never. This holds them.
#[test]
fn whatsapp_messages_written_blind_find_their_article() {
    for name in ["whatsapp_blind.tsv", "whatsapp_blind2.tsv"] {
        let f = check_set(name, 135, 15);
        let floors = [
            (f.hit_at_1, 0.87),
            (f.hit_at_3, 0.96),
            (f.bot_precision, 0.92),
        ];
        for (figure, floor) in floors {
            assert!(figure >= floor, "{name}: {figure} < {floor}: {f:?}");
        }
        assert!(f.bot_coverage >= 0.48, "{name}: coverage {f:?}");
        assert!(f.no_article_confident <= 2, "{name}: '-' confident {f:?}");
    }
}

/// A check set of answerable rows only (at least `rows`) holds its floors for hit@1, hit@3,
/// bot precision and bot coverage, in that order.
fn holds_floors(name: &str, rows: usize, floors: [f64; 4]) {
    let f = check_set(name, rows, 0);
    let figures = [f.hit_at_1, f.hit_at_3, f.bot_precision, f.bot_coverage];
    for ((figure, floor), label) in
        figures
            .iter()
            .zip(floors)
            .zip(["hit@1", "hit@3", "bot precision", "bot coverage"])
    {
        assert!(
            *figure >= floor,
            "{name}: {label} {figure} < {floor}: {f:?}"
        );
    }
}

/// The first suggestion does not depend on how many are asked for: the gap report asks for
/// one, the dashboard and the bot for three, `eval` for five. Before the ordering rules
/// looked at a fixed depth, one asked for gave "wanneer moet de groene bak buiten?" the
/// green-bin article (0.91, confident) where three gave the collection calendar.
#[test]
fn the_first_suggestion_is_the_same_however_many_are_asked_for() {
    let cases = eval::read_cases(&dev_set()).expect("labelled set");
    let snapshot = sample_snapshot(Pipeline::FULL);
    let day = today();
    let first = |message: &str, k: usize| {
        let found = snapshot.suggest(message, k, day);
        (found.suggestions.first()).map(|s| (s.id.clone(), s.confidence.to_bits()))
    };
    let messages =
        (cases.iter().map(|c| c.message.as_str())).chain(["wanneer moet de groene bak buiten?"]);
    for message in messages {
        let three = first(message, 3);
        for k in [1, 2, 5, 10] {
            assert_eq!(first(message, k), three, "{message:?} with k = {k}");
        }
    }
}

/// Two near-miss sets written on 2026-12-06 from a brief of eight kinds of near miss, evenly
/// (`tests/data/nearmiss_blind10.tsv` and `nearmiss_blind11.tsv`, 60 `-` rows and 40
/// answerable each), measured first as figures only: 18 and 6 near misses answered
/// confidently (bot precision 0.500 and 0.793) with the build of that morning and after the
/// number rule. The tenth's rows were read (seven ask an opinion or advice): 14 (0.553) once
/// advice had to be given; the eleventh was never read: 5 (0.821). This holds them.
///
/// A third set from the same brief (`nearmiss_blind12.tsv`), written after every change of
/// that session and measured once, never read: 8 near misses answered confidently by the
/// morning's build (0.733), 7 (0.759) by the last; hit@1 0.900 → 0.925.
///
/// A fourth (`nearmiss_blind13.tsv`), written the next session from the articles as they
/// then stood: 14 near misses answered confidently by that session's first build (0.611)
/// and after the period and deadline rules (0.622), hit@3 1.000; its confident rows were
/// then read. The tenth has 13 since a period asked must be given. A fifth
/// (`nearmiss_blind14.tsv`), written at the end of that session and never read: 7 (0.682 at
/// coverage 0.375) by its first build, 7 (0.696 at 0.400) by its last. A judgement between
/// two options asks an opinion ("veiliger dan", "meer kans"): the tenth 11, the twelfth 6 and
/// the thirteenth 13 since. A sixth (`nearmiss_blind15.tsv`), written after every change of
/// that session and never read: 14 (0.622 at 0.575) by that session's first build and its
/// last alike. A seventh (`nearmiss_blind16.tsv`), written while a stuck case ("nog niks
/// gehoord") came to ask its state, never read: 18 (0.486 at 0.425) with and without it.
/// Its rows were then read: a supposed situation ("stel dat …") and which option to take
/// ("de betere keuze", "is het slimmer om") need an article that asks or advises it: 14
/// (0.548), the thirteenth 11; 12 and 10 once news awaited ("nog steeds geen mail") and "hoe
/// het ervoor staat" asked the state of one's case. An eighth (`nearmiss_blind17.tsv`), the same
/// brief asking for fewer stock phrases, written during that session and never read: 13
/// (0.517 at 0.375) by its first build, 12 (0.536) by its last. On 2026-12-07 the price of
/// what is asked, how long something is valid and "voordeliger" as an opinion: the sixteenth
/// 8, the never-read eleventh and twelfth 4 and 5.
#[test]
fn near_misses_of_eight_kinds_hold_their_ground() {
    holds_near_misses("nearmiss_blind10.tsv", (40, 60), 0.97, 12);
    holds_near_misses("nearmiss_blind11.tsv", (40, 60), 0.90, 5);
    holds_near_misses("nearmiss_blind12.tsv", (40, 60), 0.90, 6);
    holds_near_misses("nearmiss_blind13.tsv", (40, 60), 0.97, 11);
    holds_near_misses("nearmiss_blind14.tsv", (40, 60), 0.97, 8);
    holds_near_misses("nearmiss_blind15.tsv", (40, 60), 0.97, 15);
    holds_near_misses("nearmiss_blind16.tsv", (40, 60), 0.95, 9);
    holds_near_misses("nearmiss_blind17.tsv", (40, 60), 0.95, 13);
}
