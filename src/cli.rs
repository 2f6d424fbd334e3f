//! Commands: `serve`, `suggest`, `eval`, `user add`, `apikey create`, `kb check`,
//! `kb generate`, `export`, `whatsapp simulate`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use vraagbaak::channels::whatsapp::{signature, simulate};
use vraagbaak::config::{self, Config};
use vraagbaak::eval::{self, Figures, Outcome};
use vraagbaak::kb;
use vraagbaak::search::{Engine, Pipeline, Scoring, Settings, Snapshot, Suggestions, today};
use vraagbaak::server::Server;
use vraagbaak::store::users::{self, Role, UserError};
use vraagbaak::store::{Store, StoreError, audit, export};

#[derive(Parser)]
#[command(
    name = "vraagbaak",
    version,
    about = "Answer suggestions for a municipality's customer contact centre"
)]
struct Cli {
    /// Configuration file (default: ./vraagbaak.toml when present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Suggest answers for a message, or for each line on standard input.
    Suggest {
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        /// Number of suggestions.
        #[arg(short, default_value_t = 3)]
        k: usize,
        /// One JSON object per message.
        #[arg(long)]
        json: bool,
        /// Score every matching article instead of using block-WAND pruning.
        #[arg(long, hide = true)]
        exhaustive: bool,
        message: Option<String>,
    },
    /// Measure suggestion quality on a labelled TSV file.
    Eval {
        file: PathBuf,
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        /// List every message whose top answer was wrong.
        #[arg(long)]
        show_misses: bool,
        #[arg(long)]
        json: bool,
        /// Write every outcome of the full pipeline as JSON lines to this file (for tuning).
        #[arg(long, hide = true)]
        outcomes: Option<PathBuf>,
    },
    /// Run the server: agents' dashboard, resident chat and API.
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<std::net::SocketAddr>,
        /// Data directory holding the SQLite database (default ./data).
        #[arg(long)]
        data: Option<PathBuf>,
        /// Knowledge-base directory (default ./kb).
        #[arg(long)]
        kb: Option<PathBuf>,
    },
    /// Dashboard users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// API keys for inbox tools.
    Apikey {
        #[command(subcommand)]
        command: ApikeyCommand,
    },
    /// Knowledge-base tools.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Write every conversation with its messages to standard output (works while the
    /// server runs).
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        #[arg(long)]
        data: Option<PathBuf>,
    },
    /// The WhatsApp channel.
    Whatsapp {
        #[command(subcommand)]
        command: WhatsappCommand,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ExportFormat {
    Json,
}

#[derive(Subcommand)]
enum WhatsappCommand {
    /// Post a correctly signed webhook with one resident message to a running server, as
    /// Meta would: shows the channel without a phone. Needs the app secret and phone number
    /// id of the server's configuration (VRAAGBAAK_WHATSAPP_*).
    Simulate {
        /// The resident's message.
        message: String,
        /// The resident's WhatsApp number, international without `+`.
        #[arg(long, default_value = "31612345678")]
        from: String,
        /// The resident's WhatsApp profile name.
        #[arg(long, default_value = "Demo-inwoner")]
        name: String,
        /// The server (default: http:// + server.listen from the configuration).
        #[arg(long)]
        url: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user; prints a generated password unless --password-stdin is given.
    Add {
        name: String,
        #[arg(long, default_value = "agent")]
        role: String,
        /// Restrict the user to conversations forwarded to this department.
        #[arg(long)]
        department: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum ApikeyCommand {
    /// Create an API key; the key is printed alone on the last line, once.
    Create {
        name: String,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KbCommand {
    /// Validate every article and the synonym list; prints each problem as path:line.
    Check {
        #[arg(default_value = "kb")]
        dir: PathBuf,
    },
    /// Write a large synthetic knowledge base (for benchmarks and load tests).
    Generate {
        /// Directory to create; must not exist yet.
        out: PathBuf,
        #[arg(long, default_value_t = 10_000)]
        articles: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The knowledge base whose vocabulary is recombined.
        #[arg(long, default_value = "kb")]
        from: PathBuf,
    },
}

pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let config = match &cli.config {
        Some(path) => Config::load(path, true)?,
        None => Config::load(Path::new(config::DEFAULT_FILE), false)?,
    };
    match cli.command {
        Command::Suggest {
            kb,
            k,
            json,
            exhaustive,
            message,
        } => {
            let mut pipeline = Pipeline::FULL;
            if exhaustive {
                pipeline.scoring = Scoring::Exhaustive;
            }
            suggest(&config, &kb, pipeline, k, json, message)
        }
        Command::Eval {
            file,
            kb,
            show_misses,
            json,
            outcomes,
        } => evaluate(&config, &file, &kb, show_misses, json, outcomes.as_deref()),
        Command::Serve { listen, data, kb } => {
            let mut config = config;
            config.server.listen = listen.unwrap_or(config.server.listen);
            config.server.data = data.unwrap_or(config.server.data);
            config.server.kb = kb.unwrap_or(config.server.kb);
            serve(config)
        }
        Command::User {
            command:
                UserCommand::Add {
                    name,
                    role,
                    department,
                    password_stdin,
                    data,
                },
        } => add_user(&config, data, &name, &role, department, password_stdin),
        Command::Apikey {
            command: ApikeyCommand::Create { name, data },
        } => create_api_key(&config, data, &name),
        Command::Kb {
            command: KbCommand::Check { dir },
        } => check(&dir),
        Command::Export { format, data } => export(&config, data, format),
        Command::Whatsapp {
            command:
                WhatsappCommand::Simulate {
                    message,
                    from,
                    name,
                    url,
                },
        } => simulate(&config, &message, &from, &name, url),
        Command::Kb {
            command:
                KbCommand::Generate {
                    out,
                    articles,
                    seed,
                    from,
                },
        } => generate(&from, &out, articles, seed),
    }
}

fn open_engine(config: &Config, kb_dir: &Path, pipeline: Pipeline) -> Result<Engine> {
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

fn suggest(
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

fn print_suggestions(out: &mut dyn Write, result: &Suggestions, threshold: f32) -> Result<()> {
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
        writeln!(out, "   {}", preview(&s.answer, 160))?;
        for link in &s.links {
            writeln!(out, "   → {}: {}", link.title, link.url)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn preview(markdown: &str, max_chars: usize) -> String {
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
            ..Pipeline::FULL
        },
    ),
    ("+ typo matching (full)", Pipeline::FULL),
];

fn evaluate(
    config: &Config,
    file: &Path,
    kb_dir: &Path,
    show_misses: bool,
    json: bool,
    dump: Option<&Path>,
) -> Result<ExitCode> {
    let cases = eval::read_cases(file)?;
    let threshold = config.bot.min_confidence;
    let kb = kb::load(kb_dir)
        .map_err(|err| anyhow::anyhow!("{err}; run `vraagbaak kb check {}`", kb_dir.display()))?;
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
    let categories = eval::by_category(&snapshot, &outcomes);
    let unknown = eval::unknown_ids(&snapshot, &cases);
    let misses: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.rank != Some(1) && (o.answerable() || o.confident))
        .collect();

    let bot = eval::bot_report(&snapshot, &cases, config, today);
    if json {
        let report = serde_json::json!({
            "file": file.display().to_string(),
            "threshold": threshold,
            "bot": bot,
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
        "vraagbaak eval {}: {} answerable messages, {} without an article; bot threshold {threshold:.2}\n",
        file.display(),
        f.answerable,
        f.no_article
    );
    println!(
        "{:<28} {:>6} {:>6} {:>6} {:>9} {:>8} {:>11} {:>10}",
        "pipeline", "hit@1", "hit@3", "MRR@5", "bot prec", "bot cov", "'-' confid.", "median µs"
    );
    for (name, f, latency) in &variants {
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
    println!("\nper category (full pipeline):");
    println!(
        "{:<20} {:>5} {:>6} {:>6} {:>6} {:>8}",
        "category", "rows", "hit@1", "hit@3", "MRR@5", "bot cov"
    );
    for (category, f) in &categories {
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
    for (line, id) in &unknown {
        println!(
            "warning: {}:{line}: expected id `{id}` is not in the knowledge base",
            file.display()
        );
    }
    if show_misses {
        println!("\nmisses (expected → ranked, top confidence):");
        for o in misses {
            let expected = if o.expected.is_empty() {
                "-".to_string()
            } else {
                o.expected.join(",")
            };
            println!(
                "{}: {}\n    {} → {} ({:.2}{})",
                o.line,
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
    Ok(ExitCode::SUCCESS)
}

fn check(dir: &Path) -> Result<ExitCode> {
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

fn generate(from: &Path, out: &Path, articles: usize, seed: u64) -> Result<ExitCode> {
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

fn serve(config: Config) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async move {
        let listen = config.server.listen;
        let server = Server::open(config).await?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let base = format!("http://{}", listener.local_addr()?);
        let articles = server.state.chat.engine.snapshot().articles.len();
        eprintln!("vraagbaak serves {articles} articles on {base}");
        eprintln!("  dashboard:  {base}/inbox");
        eprintln!("  demo chat:  {base}/chat");
        let config = &server.state.chat.config;
        match config.whatsapp.credentials() {
            Ok(_) => eprintln!("  WhatsApp:   on, webhook {base}/webhooks/whatsapp"),
            Err(missing) => eprintln!(
                "  WhatsApp:   off (not set: {})",
                missing
                    .iter()
                    .map(|m| format!("VRAAGBAAK_WHATSAPP_{}", m.to_uppercase()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        eprintln!("  bot mode:   {}", config.bot.mode.as_str());
        if let Some(password) = &server.first_admin_password {
            eprintln!(
                "\nFirst start: created the user `{}` with password\n\n    {password}\n\nIt is shown only this once. Log in and add your colleagues under Beheer.",
                vraagbaak::server::FIRST_ADMIN
            );
        }
        server.run(listener, shutdown_signal()).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-C or SIGTERM (systemd, docker stop).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

fn open_store(config: &Config, data: Option<PathBuf>) -> Result<Store> {
    let dir = data.unwrap_or_else(|| config.server.data.clone());
    Store::open(&dir).with_context(|| format!("opening the store in {}", dir.display()))
}

fn add_user(
    config: &Config,
    data: Option<PathBuf>,
    name: &str,
    role: &str,
    department: Option<String>,
    password_stdin: bool,
) -> Result<ExitCode> {
    let role: Role = role.parse().map_err(anyhow::Error::msg)?;
    if let Some(d) = &department {
        anyhow::ensure!(
            config.department(d).is_some(),
            "unknown department `{d}`; configured: {}",
            config
                .departments
                .iter()
                .map(|d| d.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (users::new_token(), true)
    };
    anyhow::ensure!(password.chars().count() >= 10, UserError::WeakPassword);
    let store = open_store(config, data)?;
    let hash = users::hash_password(&password);
    let user =
        store.blocking(|c| Ok(users::add_user(c, name, role, department.as_deref(), &hash)))??;
    store.blocking(|c| {
        audit::record(
            c,
            "cli",
            "user.add",
            None,
            &format!("{} ({})", user.name, role.as_str()),
        )
    })?;
    println!("added {} `{}`", role.as_str(), user.name);
    if generated {
        println!("password (shown once):");
        println!("{password}");
    }
    Ok(ExitCode::SUCCESS)
}

fn create_api_key(config: &Config, data: Option<PathBuf>, name: &str) -> Result<ExitCode> {
    anyhow::ensure!(
        users::valid_name(name.trim()),
        "an API key name must be 1 to 64 letters, digits, dots, dashes or underscores"
    );
    let store = open_store(config, data)?;
    let (key, created) = store.blocking(|c| users::create_api_key(c, name.trim()))?;
    store.blocking(|c| audit::record(c, "cli", "apikey.create", None, &created.name))?;
    println!("created API key `{}` (shown once):", created.name);
    println!("{key}");
    Ok(ExitCode::SUCCESS)
}

fn export(config: &Config, data: Option<PathBuf>, format: ExportFormat) -> Result<ExitCode> {
    let ExportFormat::Json = format;
    let store = open_store(config, data)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    write!(
        out,
        "{{\"exported_at\":{},\"conversations\":[",
        serde_json::to_string(&chrono::Utc::now())?
    )?;
    let mut first = true;
    let count = store.blocking(|c| {
        export::each_conversation(c, |conversation| -> Result<()> {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            out.write_all(b"\n")?;
            serde_json::to_writer(&mut out, &conversation)?;
            Ok(())
        })
        .map_err(|e| StoreError::Worker(e.to_string()))
    })?;
    writeln!(out, "\n]}}")?;
    out.flush()?;
    store.blocking(|c| {
        audit::record(
            c,
            "cli",
            "conversations.export",
            None,
            &format!("{count} conversations"),
        )
    })?;
    eprintln!("exported {count} conversations");
    Ok(ExitCode::SUCCESS)
}

fn simulate(
    config: &Config,
    message: &str,
    from: &str,
    name: &str,
    url: Option<String>,
) -> Result<ExitCode> {
    let credentials = config.whatsapp.credentials().map_err(|missing| {
        anyhow::anyhow!(
            "the WhatsApp channel is not configured: set {}",
            missing
                .iter()
                .map(|m| format!("VRAAGBAAK_WHATSAPP_{}", m.to_uppercase()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let base = url.unwrap_or_else(|| format!("http://{}", config.server.listen));
    let endpoint = format!("{}/webhooks/whatsapp", base.trim_end_matches('/'));
    let wamid = simulate::new_wamid();
    let body = simulate::text_message(&credentials.phone_number_id, from, name, &wamid, message)
        .to_string();
    let signature = signature::sign(credentials.app_secret.as_bytes(), body.as_bytes());
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let (status, answer) = runtime.block_on(async {
        vraagbaak::channels::whatsapp::client::use_ring_for_tls();
        let response = reqwest::Client::new()
            .post(&endpoint)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body)
            .send()
            .await
            .with_context(|| format!("cannot reach {endpoint}"))?;
        let status = response.status();
        let answer = response.text().await.unwrap_or_default();
        anyhow::Ok((status, answer))
    })?;
    anyhow::ensure!(
        status.is_success(),
        "{endpoint} answered {status}: {answer}"
    );
    println!("delivered {wamid} from {from}: {answer}");
    Ok(ExitCode::SUCCESS)
}
