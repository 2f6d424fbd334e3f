//! `[bot]`: when the bot answers by itself, how sure it must be, and what it says.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BotConfig {
    /// When the bot answers residents by itself.
    pub mode: BotMode,
    /// A top suggestion at or above this confidence is `confident`: the bot may send it.
    pub min_confidence: f32,
    /// The response promise in the away text: a person replies within this much office time
    /// (minutes counted only while the office is open).
    pub reply_within_minutes: u32,
    /// The article the bot sends, and agents see first, when a resident sent personal data.
    pub privacy_article: String,
    pub texts: BotTexts,
}

/// `bot.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BotMode {
    /// Agents answer everything.
    Off,
    /// The bot answers while the office is closed.
    OutsideOfficeHours,
    /// The bot answers what it is sure of at any time; during office hours the rest goes to
    /// the agents with a short acknowledgement.
    Always,
}

impl BotMode {
    pub fn as_str(self) -> &'static str {
        match self {
            BotMode::Off => "off",
            BotMode::OutsideOfficeHours => "outside_office_hours",
            BotMode::Always => "always",
        }
    }
}

impl std::str::FromStr for BotMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" => Ok(BotMode::Off),
            "outside_office_hours" => Ok(BotMode::OutsideOfficeHours),
            "always" => Ok(BotMode::Always),
            other => Err(format!(
                "`{other}` is not a bot mode: use off, outside_office_hours or always"
            )),
        }
    }
}

/// What the bot says. `{open}` becomes when the office opens ("maandag om 08:30"),
/// `{promise}` by when a person replies ("maandag vóór 12:00"), `{municipality}` the name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BotTexts {
    /// Sent when the office is closed and the bot cannot answer; once per closed period.
    pub away: String,
    /// With `mode = "always"` during office hours, for what the bot cannot answer.
    pub acknowledgement: String,
    pub greeting: String,
    pub thanks: String,
    /// "Ben je een robot?"
    pub identity: String,
    /// After every answer the bot sends by itself.
    pub feedback_question: String,
    pub feedback_yes: String,
    /// The resident said "nee": a person takes over.
    pub feedback_no: String,
    /// The resident asked for a person.
    pub handover: String,
}

/// The fitted confidence model's threshold (`src/search/confidence.rs`): out-of-fold on the
/// development and near-miss sets together, confident answers here are right ≥ 97% on the
/// development set at a coverage ≥ 0.70.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.80;

impl Default for BotConfig {
    fn default() -> Self {
        BotConfig {
            mode: BotMode::OutsideOfficeHours,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            reply_within_minutes: 210,
            privacy_article: "privacy".into(),
            texts: BotTexts::default(),
        }
    }
}

impl Default for BotTexts {
    fn default() -> Self {
        BotTexts {
            away: "Wij zijn nu gesloten. Wij zijn weer bereikbaar {open}. Een medewerker \
                   beantwoordt uw vraag {promise}."
                .into(),
            acknowledgement: "Bedankt voor uw bericht. Een medewerker beantwoordt uw vraag zo \
                              snel mogelijk."
                .into(),
            greeting: "Goedendag! Stel gerust uw vraag, dan help ik u zo goed mogelijk.".into(),
            thanks: "Graag gedaan! Heeft u nog een vraag, dan kunt u die hier stellen.".into(),
            identity: "Ik ben de digitale assistent van gemeente {municipality}. Ik beantwoord \
                       veelgestelde vragen. Voor al het andere zijn er mijn collega's."
                .into(),
            feedback_question: "Heeft dit u geholpen? Antwoord met ja of nee.".into(),
            feedback_yes: "Fijn dat ik u kon helpen!".into(),
            feedback_no: "Jammer dat dit u niet verder hielp. Een medewerker neemt uw vraag over."
                .into(),
            handover: "Ik zet uw vraag door naar een medewerker.".into(),
        }
    }
}

impl BotTexts {
    /// Every text is set and uses only the known placeholders.
    pub fn validate(&self) -> Result<(), String> {
        for (name, text) in [
            ("away", &self.away),
            ("acknowledgement", &self.acknowledgement),
            ("greeting", &self.greeting),
            ("thanks", &self.thanks),
            ("identity", &self.identity),
            ("feedback_question", &self.feedback_question),
            ("feedback_yes", &self.feedback_yes),
            ("feedback_no", &self.feedback_no),
            ("handover", &self.handover),
        ] {
            if text.trim().is_empty() {
                return Err(format!("bot.texts.{name} must not be empty"));
            }
            let mut rest = text.as_str();
            while let Some(start) = rest.find('{') {
                let end = rest[start..]
                    .find('}')
                    .map(|e| start + e)
                    .ok_or_else(|| format!("bot.texts.{name}: a `{{` without a closing `}}`"))?;
                let placeholder = &rest[start + 1..end];
                if !matches!(placeholder, "open" | "promise" | "municipality") {
                    return Err(format!(
                        "bot.texts.{name}: unknown placeholder `{{{placeholder}}}`; use {{open}}, \
                     {{promise}} or {{municipality}}"
                    ));
                }
                rest = &rest[end + 1..];
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_an_unknown_placeholder_or_an_empty_text() {
        let mut texts = BotTexts::default();
        assert_eq!(texts.validate(), Ok(()));
        texts.away = "Wij zijn open {opening}.".into();
        assert_eq!(
            texts.validate(),
            Err(
                "bot.texts.away: unknown placeholder `{opening}`; use {open}, {promise} or \
                 {municipality}"
                    .into()
            )
        );
        texts.away = "{open".into();
        assert!(
            texts
                .validate()
                .is_err_and(|e| e.contains("without a closing"))
        );
        texts.away = " ".into();
        assert_eq!(
            texts.validate(),
            Err("bot.texts.away must not be empty".into())
        );
    }
}
