//! `suggest`, `eval`, `kb check` and `kb generate`: the knowledge base and the search engine from the command line.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::offers;
use vraagbaak::config::Config;
use vraagbaak::eval::{self, Figures, Outcome};
use vraagbaak::kb;
use vraagbaak::search::{Engine, Pipeline, Settings, Snapshot, Suggestions, today};

pub(super) fn open_engine(config: &Config, kb_dir: &Path, pipeline: Pipeline) -> Result<Engine> {
    let settings = Settings {
        pipeline,
        site_url: config.site_url.clone(),
    };
    Engine::open(kb_dir, settings).map_err(|err| match err {
        vraagbaak::search::SearchError::Kb(kb::KbError::Invalid(problems)) => anyhow::anyhow!(
            "the knowledge base in {} has {} problem(s); run `vraagbaak kb check {}` to see them all. First: {}",
            kb_dir.display(),
            problems.len(),
            kb_dir.display(),
            problems[0]
        ),
        other => anyhow::Error::new(other),
    })
}

pub(super) fn suggest(
    config: &Config,
    kb_dir: &Path,
    pipeline: Pipeline,
    k: usize,
    json: bool,
    message: Option<String>,
) -> Result<ExitCode> {
    let engine = open_engine(config, kb_dir, pipeline)?;
    let threshold = config.bot.min_confidence;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let answer = |message: &str, out: &mut dyn Write| -> Result<()> {
        let result = engine.suggest(message, k).mark(threshold);
        if json {
            serde_json::to_writer(&mut *out, &result)?;
            writeln!(out)?;
        } else {
            print_suggestions(out, &result, threshold)?;
        }
        out.flush()?;
        Ok(())
    };
    match message {
        Some(message) => answer(&message, &mut out)?,
        None => {
            for line in std::io::stdin().lock().lines() {
                let line = line.context("reading messages from standard input")?;
                answer(&line, &mut out)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn print_suggestions(
    out: &mut dyn Write,
    result: &Suggestions,
    threshold: f32,
) -> Result<()> {
    writeln!(out, "> {}", result.message)?;
    if result.suggestions.is_empty() {
        writeln!(
            out,
            "  no suggestions: the message has no words the knowledge base knows\n"
        )?;
        return Ok(());
    }
    let verdict = if result.confident {
        "confident: the bot may answer"
    } else {
        "not confident: a person should answer"
    };
    writeln!(out, "  {verdict} (threshold {threshold:.2})\n")?;
    for (rank, s) in result.suggestions.iter().enumerate() {
        writeln!(
            out,
            "{}. {}  [{}]  confidence {:.2}{}",
            rank + 1,
            s.title,
            s.id,
            s.confidence,
            if s.bot { "" } else { "  (not for the bot)" }
        )?;
        writeln!(
            out,
            "   matched: {}",
            if s.matched.is_empty() {
                "-".to_string()
            } else {
                s.matched.join(", ")
            }
        )?;
        if !s.unexplained.is_empty() {
            writeln!(out, "   not in this article: {}", s.unexplained.join(", "))?;
        }
        if !s.excluded.is_empty() {
            writeln!(
                out,
                "   only after \"geen\"/\"zonder\" in this article: {}",
                s.excluded.join(", ")
            )?;
        }
        if !s.partly.is_empty() {
            writeln!(
                out,
                "   only partly in this article: {}",
                s.partly.join(", ")
            )?;
        }
        if !s.unanswered.is_empty() {
            let asked: Vec<&str> = s.unanswered.iter().map(|a| a.label()).collect();
            writeln!(out, "   asks about, not covered here: {}", asked.join(", "))?;
        }
        if let Some(question) = &s.not_answered {
            writeln!(
                out,
                "   asks what this article does not answer: \"{question}\""
            )?;
        }
        writeln!(out, "   {}", preview(&s.answer, 160))?;
        for link in &s.links {
            writeln!(out, "   → {}: {}", link.title, link.url)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

pub(super) fn preview(markdown: &str, max_chars: usize) -> String {
    let flat = markdown.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    format!("{}…", cut.trim_end())
}

/// The pipelines the evaluation compares, from baseline to full.
const VARIANTS: &[(&str, Pipeline)] = &[
    ("baseline (tantivy default)", Pipeline::BASELINE),
    (
        "+ Dutch analysis",
        Pipeline {
            dutch: true,
            ..Pipeline::BASELINE
        },
    ),
    (
        "+ decompounding",
        Pipeline {
            dutch: true,
            decompound: true,
            ..Pipeline::BASELINE
        },
    ),
    (
        "+ synonyms",
        Pipeline {
            fuzzy: false,
            whole: false,
            ..Pipeline::FULL
        },
    ),
    (
        "+ typo matching",
        Pipeline {
            whole: false,
            ..Pipeline::FULL
        },
    ),
    ("+ whole-article BM25 (full)", Pipeline::FULL),
];

pub(super) fn evaluate(
    config: &Config,
    file: &Path,
    kb_dir: &Path,
    show_misses: bool,
    json: bool,
    dump: Option<&Path>,
) -> Result<ExitCode> {
    let cases = eval::read_cases(file)?;
    let threshold = config.bot.min_confidence;
    let kb = super::load_kb(kb_dir)?;
    let today = today();
    let mut variants: Vec<(&str, Figures, eval::Latency)> = Vec::new();
    let mut full: Option<(Snapshot, Vec<Outcome>)> = None;
    for &(name, pipeline) in VARIANTS {
        let settings = Settings {
            pipeline,
            site_url: config.site_url.clone(),
        };
        let snapshot = Snapshot::build(&kb, &settings)?;
        let (outcomes, latency) = eval::run(&snapshot, &cases, threshold, today);
        variants.push((
            name,
            Figures::of(&outcomes.iter().collect::<Vec<_>>()),
            latency,
        ));
        full = Some((snapshot, outcomes));
    }
    let (snapshot, outcomes) = full.context("no pipeline evaluated")?;
    if let Some(path) = dump {
        let lines: Vec<String> = outcomes
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        std::fs::write(path, lines.join("\n") + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let categories = eval::by_category(|id| snapshot.article(id), &outcomes);
    let unknown = eval::unknown_ids(&snapshot, &cases);
    let misses: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.rank != Some(1) && (o.answerable() || o.confident))
        .collect();

    let bot = eval::bot_report(&snapshot, &cases, config, today);
    let sweep = eval::offer_sweep(&snapshot, &cases, config, today, &offers::rules(config));
    if json {
        let report = serde_json::json!({
            "file": file.display().to_string(),
            "threshold": threshold,
            "lexicon": vraagbaak::search::dictionary::describe(),
            "bot": bot,
            "offer_sweep": sweep,
            "pipelines": variants
                .iter()
                .map(|(name, f, latency)| serde_json::json!({"pipeline": name, "figures": f, "latency": latency}))
                .collect::<Vec<_>>(),
            "categories": categories,
            "unknown_ids": unknown.iter().map(|(line, id)| serde_json::json!({"line": line, "id": id})).collect::<Vec<_>>(),
            "misses": if show_misses { serde_json::to_value(&misses)? } else { serde_json::Value::Null },
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }

    let f = &variants.last().context("no pipeline evaluated")?.1;
    println!(
        "vraagbaak eval {}: {} answerable messages, {} without an article; bot threshold {threshold:.2}\nwords: {}\n",
        file.display(),
        f.answerable,
        f.no_article,
        vraagbaak::search::dictionary::describe()
    );
    print_pipelines(&variants);
    print_categories(&categories);
    println!(
        "\nbot (first message, office closed, bot.mode {}): answers {} of {} messages by itself \
         ({:.3}), {} of them right (precision {:.3})",
        config.bot.mode.as_str(),
        bot.answered,
        bot.messages,
        bot.answered_share(),
        bot.answered_right,
        bot.precision()
    );
    for (title, tally) in [
        ("  messages with an article:", &bot.with_article),
        ("  messages without an article (-):", &bot.without_article),
    ] {
        let parts: Vec<String> = tally
            .iter()
            .map(|(what, n)| format!("{what} {n}"))
            .collect();
        println!("{title} {}", parts.join(", "));
    }
    for (line, message, article) in &bot.wrong {
        println!(
            "  wrong automatic answer: {}:{line}: {message:?} → {article}",
            file.display()
        );
    }
    offers::print(&bot, &sweep);
    if show_misses {
        for (line, message, article) in &bot.wrong_offers {
            println!(
                "  offer to say \"nee\" to: {}:{line}: {message:?} → {article}",
                file.display()
            );
        }
    }
    for (line, id) in &unknown {
        println!(
            "warning: {}:{line}: expected id `{id}` is not in the knowledge base",
            file.display()
        );
    }
    if show_misses {
        print_misses(&misses, |o| o.line.to_string());
    }
    Ok(ExitCode::SUCCESS)
}

type Variant<'a> = (&'a str, Figures, eval::Latency);

/// `eval --held-out --write-folds DIR`: the folds as files, for the peers.
pub(super) fn write_held_out_folds(kb_dir: &Path, folds: usize, out: &Path) -> Result<ExitCode> {
    let kb = super::load_kb(kb_dir)?;
    let questions = eval::held_out::write_folds(&kb, folds, out)?;
    println!(
        "wrote {folds} folds of {questions} questions ({} articles; the not_answered ones as '-' \
         rows) to {}: kb0..kb{} and fold0.tsv..fold{}.tsv",
        kb.articles.len(),
        out.display(),
        folds - 1,
        folds - 1
    );
    Ok(ExitCode::SUCCESS)
}

/// `eval --held-out`: every example question asked against an index built without it
/// ([`eval::held_out`]), per pipeline; misses are questions that land on another article.
pub(super) fn evaluate_held_out(
    config: &Config,
    kb_dir: &Path,
    folds: usize,
    show_misses: bool,
    json: bool,
) -> Result<ExitCode> {
    let threshold = config.bot.min_confidence;
    let kb = super::load_kb(kb_dir)?;
    let today = today();
    let mut variants: Vec<Variant> = Vec::new();
    let mut full = None;
    for &(name, pipeline) in VARIANTS {
        let settings = Settings {
            pipeline,
            site_url: config.site_url.clone(),
        };
        let held_out = eval::held_out::run_folds(&kb, &settings, folds, threshold, today)?;
        variants.push((
            name,
            Figures::of(&held_out.outcomes()),
            held_out.latency.clone(),
        ));
        full = Some(held_out);
    }
    let full = full.context("no pipeline was measured")?;
    let categories = eval::by_category(|id| kb.article(id), &full.asked);
    let misses: Vec<&Outcome> = full.asked.iter().filter(|o| o.rank != Some(1)).collect();
    let unanswered_figures = eval::held_out::UnansweredFigures::of(&full.unanswered);
    let sent: Vec<&eval::held_out::Unanswered> = full
        .unanswered
        .iter()
        .filter(|u| u.by_its_article())
        .collect();
    if json {
        let report = serde_json::json!({
            "knowledge_base": kb_dir.display().to_string(),
            "folds": folds,
            "questions": full.asked.len(),
            "threshold": threshold,
            "lexicon": vraagbaak::search::dictionary::describe(),
            "pipelines": variants
                .iter()
                .map(|(name, f, latency)| serde_json::json!({"pipeline": name, "figures": f, "latency": latency}))
                .collect::<Vec<_>>(),
            "categories": categories,
            "misses": if show_misses { serde_json::to_value(&misses)? } else { serde_json::Value::Null },
            "not_answered": unanswered_figures,
            "not_answered_sent": if show_misses { serde_json::to_value(&sent)? } else { serde_json::Value::Null },
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "vraagbaak eval --held-out {folds}: {} example questions and {} not_answered questions \
         (as '-' rows) of {} articles in {}, each asked against an index without it ({folds} \
         folds); bot threshold {threshold:.2}\nwords: {}\n",
        full.asked.len(),
        full.unanswered.len(),
        kb.articles.len(),
        kb_dir.display(),
        vraagbaak::search::dictionary::describe()
    );
    print_pipelines(&variants);
    print_categories(&categories);
    print_unanswered(&unanswered_figures);
    if show_misses {
        // Where the question is: its article and its position among the example questions.
        print_misses(&misses, |o| format!("{}#{}", o.expected[0], o.line));
        println!("\nnot_answered questions the bot would answer with their own article:");
        for u in &sent {
            println!(
                "  {:.2}  {}#{}  {}",
                u.outcome.top_confidence, u.article, u.outcome.line, u.outcome.message
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The held-out `not_answered` questions: how often the bot would send the article that lists
/// one as not answered.
fn print_unanswered(f: &eval::held_out::UnansweredFigures) {
    println!(
        "\nnot_answered questions (the '-' rows above): {}\n  \
         its own article first: {}\n  \
         answered confidently with its own article (a near miss the bot would send): {} ({:.3})\n  \
         answered confidently with another article: {}",
        f.questions,
        f.its_article_first,
        f.by_its_article,
        f.by_its_article_share(),
        f.by_another
    );
}

/// The figures of every pipeline, one line each.
fn print_pipelines(variants: &[Variant]) {
    println!(
        "{:<28} {:>6} {:>6} {:>6} {:>9} {:>8} {:>11} {:>10}",
        "pipeline", "hit@1", "hit@3", "MRR@5", "bot prec", "bot cov", "'-' confid.", "median µs"
    );
    for (name, f, latency) in variants {
        println!(
            "{:<28} {:>6.3} {:>6.3} {:>6.3} {:>9.3} {:>8.3} {:>11} {:>10.0}",
            name,
            f.hit_at_1,
            f.hit_at_3,
            f.mrr_at_5,
            f.bot_precision,
            f.bot_coverage,
            f.no_article_confident,
            latency.median_us
        );
    }
}

/// The full pipeline's figures per category.
fn print_categories(categories: &std::collections::BTreeMap<String, Figures>) {
    println!("\nper category (full pipeline):");
    println!(
        "{:<20} {:>5} {:>6} {:>6} {:>6} {:>8}",
        "category", "rows", "hit@1", "hit@3", "MRR@5", "bot cov"
    );
    for (category, f) in categories {
        if f.answerable == 0 {
            println!(
                "{:<20} {:>5}   answered confidently: {}",
                category, f.no_article, f.no_article_confident
            );
            continue;
        }
        println!(
            "{:<20} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>8.3}",
            category,
            f.answerable + f.no_article,
            f.hit_at_1,
            f.hit_at_3,
            f.mrr_at_5,
            f.bot_coverage
        );
    }
}

/// Every miss with what was expected and what came first; `place` says where the message is.
fn print_misses(misses: &[&Outcome], place: impl Fn(&Outcome) -> String) {
    println!("\nmisses (expected → ranked, top confidence):");
    for o in misses {
        let expected = if o.expected.is_empty() {
            "-".to_string()
        } else {
            o.expected.join(",")
        };
        println!(
            "{}: {}\n    {} → {} ({:.2}{})",
            place(o),
            o.message,
            expected,
            o.ranked
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            o.top_confidence,
            if o.confident { ", confident" } else { "" }
        );
    }
}

pub(super) fn check(dir: &Path) -> Result<ExitCode> {
    let (kb, problems) = kb::load_with_problems(dir)?;
    for problem in &problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        println!(
            "{}: {} articles, {} synonym rules, no problems",
            dir.display(),
            kb.articles.len(),
            kb.synonyms.rules.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{} problem(s)", problems.len());
        Ok(ExitCode::from(1))
    }
}

pub(super) fn generate(from: &Path, out: &Path, articles: usize, seed: u64) -> Result<ExitCode> {
    if out.exists() {
        anyhow::bail!("{} already exists; choose a new directory", out.display());
    }
    let sample = kb::load(from).map_err(|err| anyhow::anyhow!("{err}"))?;
    let synonyms = std::fs::read_to_string(from.join("synonyms.txt")).unwrap_or_default();
    let generated = kb::synthetic::generate(&sample, articles, seed);
    kb::synthetic::write(&generated, out, &synonyms)
        .with_context(|| format!("writing {}", out.display()))?;
    println!(
        "{}: {} articles generated from {} (seed {seed})",
        out.display(),
        generated.articles.len(),
        from.display()
    );
    Ok(ExitCode::SUCCESS)
}
