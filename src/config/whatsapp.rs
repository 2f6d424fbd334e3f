//! `[whatsapp]`: the WhatsApp Business Cloud API credentials and the Graph API address.

use serde::Deserialize;
use url::Url;

/// The WhatsApp Business Cloud API. The channel is on when the four credentials are set,
/// preferably through the environment (`VRAAGBAAK_WHATSAPP_*`) rather than this file.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WhatsAppConfig {
    /// The Meta app's secret: webhooks are signed with it.
    pub app_secret: Option<String>,
    /// Chosen when registering the webhook; Meta echoes it when verifying the URL.
    pub verify_token: Option<String>,
    /// The access token for sending messages.
    pub token: Option<String>,
    /// The business phone number's id in the Graph API.
    pub phone_number_id: Option<String>,
    pub graph_url: Url,
    /// The name of a message template Meta approved for this number, sent when an agent
    /// answers after WhatsApp's 24-hour window closed: it asks the resident to write again,
    /// and the held answer follows. Its one body parameter is the date of the question.
    pub reopen_template: Option<String>,
    /// The template's language code as approved at Meta (`nl`, `en_US`, ...).
    pub reopen_template_language: String,
    /// The largest resident photo or file downloaded, in bytes; larger ones are refused
    /// with a reason agents see.
    pub media_max_bytes: u64,
}

/// The WhatsApp settings once all credentials are present.
#[derive(Clone)]
pub struct WhatsAppCredentials {
    pub app_secret: String,
    pub verify_token: String,
    pub token: String,
    pub phone_number_id: String,
    pub graph_url: Url,
}

impl WhatsAppConfig {
    /// The credentials, or the names of the missing settings.
    pub fn credentials(&self) -> Result<WhatsAppCredentials, Vec<&'static str>> {
        let fields = [
            ("app_secret", &self.app_secret),
            ("verify_token", &self.verify_token),
            ("token", &self.token),
            ("phone_number_id", &self.phone_number_id),
        ];
        let missing: Vec<&'static str> = fields
            .iter()
            .filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()))
            .map(|(name, _)| *name)
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let get = |v: &Option<String>| v.clone().unwrap_or_default();
        Ok(WhatsAppCredentials {
            app_secret: get(&self.app_secret),
            verify_token: get(&self.verify_token),
            token: get(&self.token),
            phone_number_id: get(&self.phone_number_id),
            graph_url: self.graph_url.clone(),
        })
    }
}

/// Secrets never reach a log line.
impl std::fmt::Debug for WhatsAppConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| if v.is_some() { "<set>" } else { "<unset>" };
        f.debug_struct("WhatsAppConfig")
            .field("app_secret", &set(&self.app_secret))
            .field("verify_token", &set(&self.verify_token))
            .field("token", &set(&self.token))
            .field("phone_number_id", &self.phone_number_id)
            .field("graph_url", &self.graph_url.as_str())
            .field("reopen_template", &self.reopen_template)
            .field("reopen_template_language", &self.reopen_template_language)
            .field("media_max_bytes", &self.media_max_bytes)
            .finish()
    }
}

impl Default for WhatsAppConfig {
    fn default() -> Self {
        WhatsAppConfig {
            app_secret: None,
            verify_token: None,
            token: None,
            phone_number_id: None,
            graph_url: Url::parse(DEFAULT_GRAPH_URL).expect("a valid literal URL"),
            reopen_template: None,
            reopen_template_language: DEFAULT_TEMPLATE_LANGUAGE.into(),
            media_max_bytes: DEFAULT_MEDIA_MAX_BYTES,
        }
    }
}

pub const DEFAULT_GRAPH_URL: &str = "https://graph.facebook.com/v23.0";

/// The re-engagement template's language unless configured otherwise.
pub const DEFAULT_TEMPLATE_LANGUAGE: &str = "nl";

impl WhatsAppConfig {
    /// The re-engagement template, once configured (see [`WhatsAppConfig::reopen_template`]).
    pub fn reopen(&self) -> Option<(&str, &str)> {
        self.reopen_template
            .as_deref()
            .map(|name| (name, self.reopen_template_language.as_str()))
    }

    /// Template names at Meta are lowercase letters, digits and underscores; language codes
    /// are `nl` or `en_US` style.
    pub(super) fn validate_template(&self) -> Result<(), String> {
        if let Some(name) = &self.reopen_template {
            let valid = !name.is_empty()
                && name.len() <= 512
                && name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !valid {
                return Err(format!(
                    "whatsapp.reopen_template must be a template name of lowercase letters, \
                     digits and underscores, found `{name}`"
                ));
            }
        }
        let language = &self.reopen_template_language;
        let (code, region) = language.split_once('_').unwrap_or((language, ""));
        let valid = (2..=3).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_lowercase())
            && (region.is_empty()
                || ((2..=4).contains(&region.len())
                    && region.chars().all(|c| c.is_ascii_alphanumeric())));
        if !valid {
            return Err(format!(
                "whatsapp.reopen_template_language must be a language code such as `nl` or \
                 `en_US`, found `{language}`"
            ));
        }
        Ok(())
    }
}

/// 16 MB: WhatsApp's own limit for video and audio.
pub const DEFAULT_MEDIA_MAX_BYTES: u64 = 16 * 1024 * 1024;
