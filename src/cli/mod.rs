//! Commands: `serve`, `suggest`, `eval`, `user add`, `apikey create`, `kb check`,
//! `kb generate`, `export`, `archive`, `whatsapp simulate`.
//!
//! ```text
//! mod.rs       the arguments and the dispatch
//! archive.rs   archive export, purge, hold, release; export --woo
//! search.rs    suggest, eval, kb check, kb generate
//! folds.rs     eval --folds / --fit: the confidence model out-of-fold
//! learn.rs     eval --learn: the learning loop's gain
//! offers.rs    eval: the bot's offers under each rule
//! serve.rs     serve, with graceful shutdown on Ctrl-C or SIGTERM
//! store.rs     user add, apikey create, export, store generate
//! whatsapp.rs  whatsapp simulate
//! ```

mod archive;
mod folds;
mod learn;
mod offers;
mod search;
mod serve;
mod store;
mod whatsapp;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use vraagbaak::config::{self, Config};
use vraagbaak::search::{Pipeline, Scoring};

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
    /// Measure suggestion quality on a labelled TSV file, or on the knowledge base's own example
    /// questions (`--held-out`).
    Eval {
        #[arg(required_unless_present = "held_out")]
        file: Option<PathBuf>,
        /// With `--learn`: the file measured before and after learning from FILE.
        #[arg(requires = "learn")]
        test: Option<PathBuf>,
        /// Treat FILE's labelled messages as agents' choices, accept the example questions
        /// they propose, and print TEST's figures before and after (no file is changed).
        #[arg(long, requires = "test")]
        learn: bool,
        #[arg(long, default_value = "kb")]
        kb: PathBuf,
        /// List every message whose top answer was wrong; with `--folds`, every message
        /// answered confidently and wrongly out-of-fold, with in how many of the splits.
        #[arg(long)]
        show_misses: bool,
        #[arg(long)]
        json: bool,
        /// Write every outcome of the full pipeline as JSON lines to this file (for tuning).
        #[arg(long, hide = true)]
        outcomes: Option<PathBuf>,
        /// A second labelled file for `--folds` and `--fit`.
        #[arg(long)]
        with: Option<PathBuf>,
        /// Print the confidence model's figures out-of-fold: fit on one file and test on the
        /// other, and 5-fold within each and within both.
        #[arg(long, requires = "with")]
        folds: bool,
        /// Fit the confidence model on both files and write its weights to this Rust file
        /// (`src/search/confidence_weights.rs`).
        #[arg(long, requires = "with")]
        fit: Option<PathBuf>,
        /// Instead of a file: ask every example question of the knowledge base against an index
        /// built without it, in FOLDS folds (default 4: each index keeps three quarters of the
        /// questions); its own article is the expected answer. No labels needed.
        #[arg(
            long,
            value_name = "FOLDS",
            num_args = 0..=1,
            default_missing_value = "4",
            value_parser = clap::value_parser!(u16).range(2..=100),
            conflicts_with_all = ["file", "learn", "with", "outcomes"]
        )]
        held_out: Option<u16>,
        /// With `--held-out`: instead of measuring, write each fold's knowledge base
        /// (`DIR/kb<f>/`, the article files without the fold's questions) and its questions
        /// (`DIR/fold<f>.tsv`), for other tools to run on (`benches/peers/held_out.sh`). DIR
        /// must be new or empty.
        #[arg(long, value_name = "DIR", requires = "held_out")]
        write_folds: Option<PathBuf>,
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
        /// Also copy every stored resident photo and file into this folder, under the path the
        /// export names (`media/ab/cdef…`), each checked against its SHA-256.
        #[arg(long, value_name = "DIR", conflicts_with = "woo")]
        media: Option<PathBuf>,
        /// For a Woo request: the conversations active from --from to --to, with every
        /// personal datum masked and agents given by their role.
        #[arg(long, requires_all = ["from", "to"])]
        woo: bool,
        /// First day (YYYY-MM-DD, Europe/Amsterdam) of the Woo export.
        #[arg(long, requires = "woo")]
        from: Option<chrono::NaiveDate>,
        /// Last day, included.
        #[arg(long, requires = "woo")]
        to: Option<chrono::NaiveDate>,
    },
    /// The Archiefwet archive: MDTO export, retention, holds.
    Archive {
        #[command(subcommand)]
        command: archive::ArchiveCommand,
    },
    /// The WhatsApp channel.
    Whatsapp {
        #[command(subcommand)]
        command: WhatsappCommand,
    },
    /// Tools for the data directory's store.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
}

#[derive(Subcommand)]
enum StoreCommand {
    /// Fill the store with realistic synthetic traffic (for benches and demos): the same
    /// seed gives the same conversations.
    Generate {
        #[arg(long)]
        conversations: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The first Amsterdam day with traffic.
        #[arg(long, default_value = "2025-12-01")]
        from: chrono::NaiveDate,
        /// How many days the traffic is spread over.
        #[arg(long, default_value_t = 365)]
        days: u32,
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(super) enum ExportFormat {
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
        /// agent, editor, admin or teamleider (answers residents and sees /rapportages).
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
        /// What the key may do: a comma-separated subset of suggest, conversations, kb,
        /// reports.
        #[arg(long, default_value = "suggest,conversations")]
        scope: vraagbaak::store::scopes::Scopes,
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
            search::suggest(&config, &kb, pipeline, k, json, message)
        }
        Command::Eval {
            held_out: Some(folds),
            kb,
            write_folds: Some(out),
            ..
        } => search::write_held_out_folds(&kb, usize::from(folds), &out),
        Command::Eval {
            held_out: Some(folds),
            kb,
            show_misses,
            json,
            ..
        } => search::evaluate_held_out(&config, &kb, usize::from(folds), show_misses, json),
        Command::Eval {
            file: Some(file),
            test: Some(test),
            kb,
            json,
            learn: true,
            ..
        } => learn::evaluate(&config, &file, &test, &kb, json),
        Command::Eval {
            file: Some(file),
            kb,
            json,
            with: Some(with),
            folds,
            fit,
            show_misses,
            ..
        } if folds || fit.is_some() => folds::cross_validate(
            &config,
            [&file, &with],
            &kb,
            folds::Output { json, show_misses },
            fit.as_deref(),
        ),
        Command::Eval {
            file: Some(file),
            kb,
            show_misses,
            json,
            outcomes,
            ..
        } => search::evaluate(&config, &file, &kb, show_misses, json, outcomes.as_deref()),
        // clap already requires one of them.
        Command::Eval { file: None, .. } => {
            Err(anyhow::anyhow!("eval needs a labelled FILE or --held-out"))
        }
        Command::Serve { listen, data, kb } => {
            let mut config = config;
            config.server.listen = listen.unwrap_or(config.server.listen);
            config.server.data = data.unwrap_or(config.server.data);
            config.server.kb = kb.unwrap_or(config.server.kb);
            serve::serve(config)
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
        } => store::add_user(&config, data, &name, &role, department, password_stdin),
        Command::Apikey {
            command: ApikeyCommand::Create { name, scope, data },
        } => store::create_api_key(&config, data, &name, scope),
        Command::Kb {
            command: KbCommand::Check { dir },
        } => search::check(&dir),
        Command::Export {
            woo: true,
            data,
            from,
            to,
            ..
        } => archive::woo(&config, data, from, to),
        Command::Export {
            format,
            data,
            media,
            ..
        } => store::export(&config, data, format, media),
        Command::Archive { command } => archive::run(&config, command),
        Command::Whatsapp {
            command:
                WhatsappCommand::Simulate {
                    message,
                    from,
                    name,
                    url,
                },
        } => whatsapp::simulate(&config, &message, &from, &name, url),
        Command::Store {
            command:
                StoreCommand::Generate {
                    conversations,
                    seed,
                    from,
                    days,
                    data,
                },
        } => store::generate(&config, data, conversations, seed, from, days),
        Command::Kb {
            command:
                KbCommand::Generate {
                    out,
                    articles,
                    seed,
                    from,
                },
        } => search::generate(&from, &out, articles, seed),
    }
}

/// The knowledge base in `kb_dir`, for the commands that measure it; a problem names the file
/// and points to `vraagbaak kb check`, which lists them all.
fn load_kb(kb_dir: &Path) -> Result<vraagbaak::kb::KnowledgeBase> {
    vraagbaak::kb::load(kb_dir)
        .map_err(|err| anyhow::anyhow!("{err}; run `vraagbaak kb check {}`", kb_dir.display()))
}
