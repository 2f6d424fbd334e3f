//! Typed settings from `vraagbaak.toml`, validated once at start-up.
//!
//! Every field has a default, so vraagbaak runs without a configuration file; the file only
//! overrides what a municipality wants different.

use std::path::Path;

use serde::Deserialize;
use url::Url;

/// The default file name, read from the working directory when present.
pub const DEFAULT_FILE: &str = "vraagbaak.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// The municipality's name as residents know it.
    pub municipality: String,
    /// Site paths in article links resolve against this URL.
    pub site_url: Url,
    pub bot: BotConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BotConfig {
    /// A top suggestion at or above this confidence is `confident`: the bot may send it.
    pub min_confidence: f32,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            municipality: "Dijkstede".into(),
            site_url: Url::parse("https://www.dijkstede.example").expect("a valid literal URL"),
            bot: BotConfig::default(),
        }
    }
}

impl Default for BotConfig {
    fn default() -> Self {
        BotConfig {
            min_confidence: DEFAULT_MIN_CONFIDENCE,
        }
    }
}

/// Calibrated on the development set: confident answers at this threshold are right ≥ 95%.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.85;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read configuration {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("invalid configuration {path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    /// Reads `path`; with `required == false` a missing file gives the defaults.
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
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
        let config: Config = toml::from_str(&text).map_err(|err| ConfigError::Invalid {
            path: shown.clone(),
            message: err.to_string(),
        })?;
        config.validate().map_err(|message| ConfigError::Invalid {
            path: shown,
            message,
        })?;
        Ok(config)
    }

    fn validate(&self) -> Result<(), String> {
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
        Ok(())
    }
}
