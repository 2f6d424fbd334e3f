//! Typed settings from `vraagbaak.toml` and `VRAAGBAAK_*` environment variables, validated
//! once at start-up.
//!
//! Every field has a default, so vraagbaak runs without a configuration file; the file only
//! overrides what a municipality wants different, and the environment overrides the file
//! (see [`ENV_OVERRIDES`]). `vraagbaak.example.toml` documents every setting.
//!
//! ```text
//! mod.rs       the file, the environment, validation; server, chat, texts, departments
//! archive.rs   [archive]: archiefvormer, selectielijst results and terms, auto_purge
//! bot.rs       [bot]: mode, threshold, offers, promise, texts
//! whatsapp.rs  [whatsapp]: credentials (kept out of logs) and the Graph API address
//! kb.rs        [kb]: when articles need a review
//! ```

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use crate::chat::hours::OfficeHours;

mod archive;
mod bot;
mod kb;
mod whatsapp;

pub use archive::{Archiefvormer, ArchiveConfig, LabelResult, SelectionResult, Term, Waardering};
pub use bot::{BotConfig, BotMode, BotTexts, DEFAULT_MIN_CONFIDENCE};
pub use kb::KbConfig;
pub use whatsapp::{DEFAULT_GRAPH_URL, WhatsAppConfig, WhatsAppCredentials};

/// The default file name, read from the working directory when present.
pub const DEFAULT_FILE: &str = "vraagbaak.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The municipality's name as residents know it.
    pub municipality: String,
    /// Site paths in article links resolve against this URL.
    pub site_url: Url,
    /// The response promise: a resident gets a human answer within this many hours.
    pub response_hours: u32,
    pub server: ServerConfig,
    pub office_hours: OfficeHours,
    /// Teams a conversation can be forwarded to.
    pub departments: Vec<Department>,
    pub texts: Texts,
    pub chat: ChatConfig,
    pub bot: BotConfig,
    /// How personal data found in resident messages is masked.
    pub privacy: crate::chat::privacy::Masking,
    pub whatsapp: WhatsAppConfig,
    /// How the knowledge base is kept: when an article needs a review.
    pub kb: KbConfig,
    /// The Archiefwet archive: archiefvormer, selectielijst mapping, retention.
    pub archive: ArchiveConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Holds the SQLite database.
    pub data: PathBuf,
    pub kb: PathBuf,
    /// Set when the dashboard is served over HTTPS, so session cookies are `Secure`.
    pub secure_cookies: bool,
    /// Web origins whose pages may embed the chat widget (CORS).
    pub allowed_origins: Vec<String>,
    /// Watch the knowledge-base folder and reload the index when a file changes.
    pub watch_kb: bool,
    /// Reverse proxies in front of the server. For requests from these addresses the client
    /// is read from `X-Forwarded-For`, so rate limits apply per resident, not per proxy.
    pub trusted_proxies: Vec<IpAddr>,
    /// Open connections at most. Further connections are refused at once, so a flood of
    /// slow clients cannot use up the process's file descriptors.
    pub max_connections: usize,
    /// Seconds a client may take to send a request's headers. The same clock runs while a
    /// keep-alive connection waits for its next request, so it is also the idle timeout.
    pub header_timeout_secs: u64,
    /// Seconds a request body may take to arrive in full; a slower one is cut off (the
    /// request fails and the connection closes).
    pub body_timeout_secs: u64,
    /// Open dashboard event streams per login session.
    pub max_streams_per_session: usize,
    /// Open event streams (dashboards and resident chats) per client address. Agents behind
    /// one office NAT share an address, so keep this well above the number of agents.
    pub max_streams_per_address: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// Short stable name used in URLs and the store (`vergunningen`).
    pub id: String,
    /// As shown to agents and residents (`Vergunningen`).
    pub name: String,
    /// Sent to the resident when a conversation is forwarded to this team.
    pub expectation: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Texts {
    /// Shown when a resident opens the chat.
    pub welcome: String,
    /// The privacy notice under the welcome text.
    pub privacy: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatConfig {
    /// Longest resident message accepted, in characters.
    pub max_message_chars: usize,
    /// Messages one conversation may post per minute.
    pub messages_per_minute_per_conversation: u32,
    /// Requests one IP address may make per minute to the public chat endpoints.
    pub requests_per_minute_per_ip: u32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            municipality: "Dijkstede".into(),
            site_url: Url::parse("https://www.dijkstede.example").expect("a valid literal URL"),
            response_hours: 24,
            server: ServerConfig::default(),
            office_hours: OfficeHours::default(),
            departments: default_departments(),
            texts: Texts::default(),
            whatsapp: WhatsAppConfig::default(),
            privacy: crate::chat::privacy::Masking::default(),
            chat: ChatConfig::default(),
            bot: BotConfig::default(),
            kb: KbConfig::default(),
            archive: ArchiveConfig::default(),
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data: PathBuf::from("data"),
            kb: PathBuf::from("kb"),
            secure_cookies: false,
            allowed_origins: vec!["https://www.dijkstede.example".into()],
            watch_kb: true,
            trusted_proxies: Vec::new(),
            max_connections: 512,
            header_timeout_secs: 10,
            body_timeout_secs: 30,
            max_streams_per_session: 5,
            max_streams_per_address: 100,
        }
    }
}

impl Default for Texts {
    fn default() -> Self {
        Texts {
            welcome: "Welkom bij de chat van gemeente Dijkstede. Stel hier uw vraag, dan helpen \
                      wij u zo snel mogelijk."
                .into(),
            privacy: "Stuur in de chat geen BSN, paspoortnummer, bankgegevens of andere \
                      persoonsgegevens. Die hebben wij hier niet nodig."
                .into(),
        }
    }
}

impl Default for ChatConfig {
    fn default() -> Self {
        ChatConfig {
            max_message_chars: 1000,
            messages_per_minute_per_conversation: 20,
            requests_per_minute_per_ip: 120,
        }
    }
}

fn default_departments() -> Vec<Department> {
    [
        ("vergunningen", "Vergunningen", "3 werkdagen"),
        ("belastingen", "Belastingen", "5 werkdagen"),
        ("openbare-ruimte", "Openbare Ruimte", "2 werkdagen"),
        ("burgerzaken", "Burgerzaken", "2 werkdagen"),
        ("zorg", "Wmo en Jeugd", "3 werkdagen"),
    ]
    .into_iter()
    .map(|(id, name, term)| Department {
        id: id.into(),
        name: name.into(),
        expectation: format!(
            "Uw vraag is doorgezet naar team {name}. U krijgt binnen {term} antwoord."
        ),
    })
    .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid configuration {path}: {message}")]
    Invalid { path: String, message: String },
    #[error("invalid environment variable {name}: {message}")]
    Env { name: String, message: String },
}

/// The environment variables that override the file, and what they set.
pub const ENV_OVERRIDES: &[(&str, &str)] = &[
    ("VRAAGBAAK_MUNICIPALITY", "municipality"),
    ("VRAAGBAAK_SITE_URL", "site_url"),
    ("VRAAGBAAK_RESPONSE_HOURS", "response_hours"),
    ("VRAAGBAAK_LISTEN", "server.listen"),
    ("VRAAGBAAK_DATA", "server.data"),
    ("VRAAGBAAK_KB", "server.kb"),
    ("VRAAGBAAK_SECURE_COOKIES", "server.secure_cookies"),
    (
        "VRAAGBAAK_ALLOWED_ORIGINS",
        "server.allowed_origins (comma-separated)",
    ),
    ("VRAAGBAAK_WATCH_KB", "server.watch_kb"),
    (
        "VRAAGBAAK_TRUSTED_PROXIES",
        "server.trusted_proxies (comma-separated)",
    ),
    ("VRAAGBAAK_MAX_CONNECTIONS", "server.max_connections"),
    (
        "VRAAGBAAK_HEADER_TIMEOUT_SECS",
        "server.header_timeout_secs",
    ),
    ("VRAAGBAAK_BODY_TIMEOUT_SECS", "server.body_timeout_secs"),
    (
        "VRAAGBAAK_MAX_STREAMS_PER_SESSION",
        "server.max_streams_per_session",
    ),
    (
        "VRAAGBAAK_MAX_STREAMS_PER_ADDRESS",
        "server.max_streams_per_address",
    ),
    ("VRAAGBAAK_BOT_MIN_CONFIDENCE", "bot.min_confidence"),
    ("VRAAGBAAK_BOT_MODE", "bot.mode"),
    ("VRAAGBAAK_WHATSAPP_APP_SECRET", "whatsapp.app_secret"),
    ("VRAAGBAAK_WHATSAPP_VERIFY_TOKEN", "whatsapp.verify_token"),
    ("VRAAGBAAK_WHATSAPP_TOKEN", "whatsapp.token"),
    (
        "VRAAGBAAK_WHATSAPP_PHONE_NUMBER_ID",
        "whatsapp.phone_number_id",
    ),
    ("VRAAGBAAK_WHATSAPP_GRAPH_URL", "whatsapp.graph_url"),
    (
        "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE",
        "whatsapp.reopen_template",
    ),
    (
        "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE_LANGUAGE",
        "whatsapp.reopen_template_language",
    ),
    (
        "VRAAGBAAK_WHATSAPP_MEDIA_MAX_BYTES",
        "whatsapp.media_max_bytes",
    ),
];

impl Config {
    /// Reads `path` (with `required == false` a missing file gives the defaults), then applies
    /// the process environment and validates.
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let mut config = Config::from_file(path, required)?;
        config.apply_env(std::env::vars())?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        Ok(config)
    }

    fn from_file(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default());
            }
            Err(source) => {
                return Err(ConfigError::Read {
                    path: shown,
                    source,
                });
            }
        };
        toml::from_str(&text).map_err(|err| ConfigError::Invalid {
            path: shown,
            message: err.to_string(),
        })
    }

    /// Applies the `VRAAGBAAK_*` variables of [`ENV_OVERRIDES`] found in `vars`.
    pub fn apply_env(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), ConfigError> {
        for (name, value) in vars {
            let invalid = |message: String| ConfigError::Env {
                name: name.clone(),
                message,
            };
            let value = value.trim();
            match name.as_str() {
                "VRAAGBAAK_MUNICIPALITY" => self.municipality = value.to_string(),
                "VRAAGBAAK_SITE_URL" => {
                    self.site_url = Url::parse(value).map_err(|e| invalid(e.to_string()))?
                }
                "VRAAGBAAK_RESPONSE_HOURS" => {
                    self.response_hours = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_LISTEN" => self.server.listen = parse(value).map_err(invalid)?,
                "VRAAGBAAK_DATA" => self.server.data = PathBuf::from(value),
                "VRAAGBAAK_KB" => self.server.kb = PathBuf::from(value),
                "VRAAGBAAK_SECURE_COOKIES" => {
                    self.server.secure_cookies = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_ALLOWED_ORIGINS" => {
                    self.server.allowed_origins = value
                        .split(',')
                        .map(str::trim)
                        .filter(|o| !o.is_empty())
                        .map(String::from)
                        .collect()
                }
                "VRAAGBAAK_WATCH_KB" => self.server.watch_kb = parse(value).map_err(invalid)?,
                "VRAAGBAAK_TRUSTED_PROXIES" => {
                    self.server.trusted_proxies = value
                        .split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(|p| parse(p).map_err(&invalid))
                        .collect::<Result<_, _>>()?
                }
                "VRAAGBAAK_MAX_CONNECTIONS" => {
                    self.server.max_connections = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_HEADER_TIMEOUT_SECS" => {
                    self.server.header_timeout_secs = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_BODY_TIMEOUT_SECS" => {
                    self.server.body_timeout_secs = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_MAX_STREAMS_PER_SESSION" => {
                    self.server.max_streams_per_session = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_MAX_STREAMS_PER_ADDRESS" => {
                    self.server.max_streams_per_address = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_BOT_MIN_CONFIDENCE" => {
                    self.bot.min_confidence = parse(value).map_err(invalid)?
                }
                "VRAAGBAAK_BOT_MODE" => self.bot.mode = value.parse().map_err(invalid)?,
                "VRAAGBAAK_WHATSAPP_APP_SECRET" => self.whatsapp.app_secret = secret(value),
                "VRAAGBAAK_WHATSAPP_VERIFY_TOKEN" => self.whatsapp.verify_token = secret(value),
                "VRAAGBAAK_WHATSAPP_TOKEN" => self.whatsapp.token = secret(value),
                "VRAAGBAAK_WHATSAPP_PHONE_NUMBER_ID" => {
                    self.whatsapp.phone_number_id = secret(value)
                }
                "VRAAGBAAK_WHATSAPP_GRAPH_URL" => {
                    self.whatsapp.graph_url =
                        Url::parse(value).map_err(|e| invalid(e.to_string()))?
                }
                "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE" => {
                    self.whatsapp.reopen_template =
                        Some(value.trim().to_string()).filter(|v| !v.is_empty())
                }
                "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE_LANGUAGE" => {
                    self.whatsapp.reopen_template_language = value.trim().to_string()
                }
                "VRAAGBAAK_WHATSAPP_MEDIA_MAX_BYTES" => {
                    self.whatsapp.media_max_bytes = parse(value).map_err(invalid)?
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Checks what serde cannot: ranges, URL schemes, unique department ids.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.bot.min_confidence) {
            return Err(format!(
                "bot.min_confidence must be between 0 and 1, found {}",
                self.bot.min_confidence
            ));
        }
        if !matches!(self.site_url.scheme(), "https" | "http") {
            return Err(format!(
                "site_url must be an http(s) URL, found {}",
                self.site_url
            ));
        }
        if self.response_hours == 0 {
            return Err("response_hours must be at least 1".into());
        }
        let most = crate::chat::service::MAX_STORED_CHARS;
        if !(1..=most).contains(&self.chat.max_message_chars) {
            return Err(format!(
                "chat.max_message_chars must be between 1 and {most}, found {}",
                self.chat.max_message_chars
            ));
        }
        if self.chat.messages_per_minute_per_conversation == 0
            || self.chat.requests_per_minute_per_ip == 0
        {
            return Err("chat rate limits must be at least 1 per minute".into());
        }
        self.server.validate_limits()?;
        for origin in &self.server.allowed_origins {
            let parsed = Url::parse(origin)
                .map_err(|e| format!("server.allowed_origins: `{origin}` is not a URL: {e}"))?;
            if parsed.path() != "/" || origin.ends_with('/') {
                return Err(format!(
                    "server.allowed_origins: `{origin}` must be an origin such as \
                     https://www.example.nl, without a path or trailing slash"
                ));
            }
        }
        self.bot.validate()?;
        self.kb.validate()?;
        if self.whatsapp.graph_url.scheme() != "https" && self.whatsapp.graph_url.scheme() != "http"
        {
            return Err(format!(
                "whatsapp.graph_url must be an http(s) URL, found {}",
                self.whatsapp.graph_url
            ));
        }
        self.whatsapp.validate_template()?;
        if self.whatsapp.media_max_bytes == 0 {
            return Err("whatsapp.media_max_bytes must be at least 1".into());
        }
        self.archive.validate()?;
        let mut seen = std::collections::HashSet::new();
        for d in &self.departments {
            if d.id.is_empty() || d.name.is_empty() || d.expectation.is_empty() {
                return Err(format!(
                    "departments: `{}` needs an id, a name and an expectation text",
                    d.id
                ));
            }
            if !seen.insert(d.id.as_str()) {
                return Err(format!("departments: id `{}` appears twice", d.id));
            }
        }
        Ok(())
    }

    /// The departments as (id, name) pairs, for forms.
    pub fn department_choices(&self) -> Vec<(String, String)> {
        self.departments
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect()
    }

    pub fn department(&self, id: &str) -> Option<&Department> {
        self.departments.iter().find(|d| d.id == id)
    }
}

impl ServerConfig {
    /// Every limit must be at least 1: a zero would refuse everything or close at once.
    fn validate_limits(&self) -> Result<(), String> {
        let limits = [
            ("max_connections", self.max_connections as u64),
            ("header_timeout_secs", self.header_timeout_secs),
            ("body_timeout_secs", self.body_timeout_secs),
            (
                "max_streams_per_session",
                self.max_streams_per_session as u64,
            ),
            (
                "max_streams_per_address",
                self.max_streams_per_address as u64,
            ),
        ];
        match limits.iter().find(|(_, value)| *value == 0) {
            Some((name, _)) => Err(format!("server.{name} must be at least 1")),
            None => Ok(()),
        }
    }
}

/// An empty variable unsets the setting.
fn secret(value: &str) -> Option<String> {
    Some(value.to_string()).filter(|v| !v.is_empty())
}

fn parse<T: std::str::FromStr>(value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value.parse().map_err(|e: T::Err| format!("`{value}`: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file() {
        let mut config = Config::default();
        config
            .apply_env([
                ("VRAAGBAAK_LISTEN".into(), "0.0.0.0:9000".into()),
                (
                    "VRAAGBAAK_ALLOWED_ORIGINS".into(),
                    "https://a.nl, https://b.nl".into(),
                ),
                ("VRAAGBAAK_BOT_MIN_CONFIDENCE".into(), "0.9".into()),
                ("UNRELATED".into(), "x".into()),
            ])
            .expect("valid overrides");
        assert_eq!(config.server.listen.port(), 9000);
        assert_eq!(
            config.server.allowed_origins,
            ["https://a.nl", "https://b.nl"]
        );
        assert_eq!(config.bot.min_confidence, 0.9);
    }

    #[test]
    fn a_bad_environment_value_names_the_variable() {
        let err = Config::default()
            .apply_env([("VRAAGBAAK_LISTEN".into(), "nergens".into())])
            .expect_err("not an address");
        assert!(err.to_string().contains("VRAAGBAAK_LISTEN"), "{err}");
    }

    #[test]
    fn the_example_file_is_valid_and_complete() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("vraagbaak.example.toml"),
        )
        .expect("vraagbaak.example.toml is committed");
        let config: Config = toml::from_str(&text).expect("the example parses");
        config.validate().expect("the example is valid");
        assert!(!config.departments.is_empty());
        let complaint = config.archive.result_for(&["klacht".into()]);
        assert_eq!(
            (
                complaint.result.as_str(),
                complaint.bewaartermijn.to_string().as_str()
            ),
            ("13.1", "P5Y")
        );
    }

    #[test]
    fn a_zero_limit_is_refused_by_name() {
        let mut config = Config::default();
        config
            .apply_env([("VRAAGBAAK_HEADER_TIMEOUT_SECS".into(), "0".into())])
            .expect("a number");
        let err = config.validate().expect_err("zero is refused");
        assert!(err.contains("server.header_timeout_secs"), "{err}");
    }

    #[test]
    fn the_reopen_template_comes_from_the_environment_and_is_checked() {
        let mut config = Config::default();
        assert_eq!(config.whatsapp.reopen(), None);
        config
            .apply_env([
                (
                    "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE".into(),
                    "vraag_beantwoord".into(),
                ),
                (
                    "VRAAGBAAK_WHATSAPP_REOPEN_TEMPLATE_LANGUAGE".into(),
                    "nl".into(),
                ),
            ])
            .expect("valid overrides");
        config.validate().expect("a valid template name");
        assert_eq!(config.whatsapp.reopen(), Some(("vraag_beantwoord", "nl")));

        config.whatsapp.reopen_template = Some("Vraag Beantwoord".into());
        let err = config.validate().expect_err("spaces and capitals");
        assert!(err.contains("whatsapp.reopen_template"), "{err}");
        config.whatsapp.reopen_template = Some("vraag_beantwoord".into());
        config.whatsapp.reopen_template_language = "nederlands".into();
        let err = config.validate().expect_err("not a language code");
        assert!(err.contains("whatsapp.reopen_template_language"), "{err}");
    }

    #[test]
    fn the_media_limit_comes_from_the_environment_and_zero_is_refused() {
        let mut config = Config::default();
        assert_eq!(config.whatsapp.media_max_bytes, 16 * 1024 * 1024);
        config
            .apply_env([(
                "VRAAGBAAK_WHATSAPP_MEDIA_MAX_BYTES".into(),
                "5000000".into(),
            )])
            .expect("a number");
        assert_eq!(config.whatsapp.media_max_bytes, 5_000_000);
        let err = config
            .apply_env([("VRAAGBAAK_WHATSAPP_MEDIA_MAX_BYTES".into(), "16 MB".into())])
            .expect_err("not a number");
        assert!(
            err.to_string()
                .contains("VRAAGBAAK_WHATSAPP_MEDIA_MAX_BYTES"),
            "{err}"
        );
        config.whatsapp.media_max_bytes = 0;
        let err = config.validate().expect_err("zero is refused");
        assert!(err.contains("whatsapp.media_max_bytes"), "{err}");
    }

    #[test]
    fn origins_with_paths_are_refused() {
        let mut config = Config::default();
        config.server.allowed_origins = vec!["https://a.nl/chat".into()];
        assert!(config.validate().is_err());
    }
}
