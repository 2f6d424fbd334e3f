//! `[bot]`: when the bot answers by itself, how sure it must be, and what it says.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BotConfig {
    /// When the bot answers residents by itself.
    pub mode: BotMode,
    /// A top suggestion at or above this confidence is `confident`: the bot may send it.
    pub min_confidence: f32,
    /// Whether the bot offers articles it is not sure of ("Bedoelt u …?"); `false` leaves them
    /// to agents, as before offers existed.
    pub offers: bool,
    /// Below `min_confidence`, a top suggestion at or above this confidence that clearly leads
    /// (see `offer_lead`) is offered: "Bedoelt u: <titel>?", sent only after "ja".
    pub offer_confidence: f32,
    /// "Clearly leads": the second suggestion's confidence is below this share of the top's.
    pub offer_lead: f32,
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
    /// Offers an article the bot is not sure of; `{title}` is its title. The resident's "ja"
    /// gets the article, "nee" gets `offer_declined`.
    pub offer: String,
    /// The resident said "nee" to the offer: a person replies.
    pub offer_declined: String,
}

/// The fitted confidence model's threshold (`src/search/confidence.rs`): out-of-fold on the
/// development and near-miss sets together, confident answers here are right ≥ 97% on the
/// development set at a coverage ≥ 0.70.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.80;

/// `bot.offer_confidence` and `bot.offer_lead`, chosen on the development set with the offer
/// sweep of `vraagbaak eval`: of the rules whose offers name an expected article at least 95%
/// of the time there, the one with the most such offers. An offer asks before it answers, so
/// it may be a little less sure than a confident answer (≥ 97%). Chosen on the development set
/// only: on the near-miss sets the same offers name the right article in 28–38% of cases
/// (README).
pub const DEFAULT_OFFER_CONFIDENCE: f32 = 0.40;
/// See [`DEFAULT_OFFER_CONFIDENCE`].
pub const DEFAULT_OFFER_LEAD: f32 = 0.50;

impl Default for BotConfig {
    fn default() -> Self {
        BotConfig {
            mode: BotMode::OutsideOfficeHours,
            min_confidence: DEFAULT_MIN_CONFIDENCE,
            offers: true,
            offer_confidence: DEFAULT_OFFER_CONFIDENCE,
            offer_lead: DEFAULT_OFFER_LEAD,
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
            offer: "Bedoelt u: {title}? Antwoord met ja of nee.".into(),
            offer_declined: "Jammer. Een medewerker beantwoordt uw vraag {promise}.".into(),
        }
    }
}

impl BotConfig {
    /// The offer settings fit below the threshold, and the texts are valid.
    pub fn validate(&self) -> Result<(), String> {
        if self.offers && !(0.0..self.min_confidence).contains(&self.offer_confidence) {
            return Err(format!(
                "bot.offer_confidence must be at least 0 and below bot.min_confidence ({}), \
                 found {} (or set bot.offers = false)",
                self.min_confidence, self.offer_confidence
            ));
        }
        if !(self.offer_lead > 0.0 && self.offer_lead <= 1.0) {
            return Err(format!(
                "bot.offer_lead must be above 0 and at most 1, found {}",
                self.offer_lead
            ));
        }
        self.texts.validate()
    }
}

impl BotTexts {
    /// Every text is set and uses only the known placeholders; the offer names its article.
    pub fn validate(&self) -> Result<(), String> {
        if !self.offer.contains("{title}") {
            return Err("bot.texts.offer must contain {title}, the offered article's title".into());
        }
        for (name, text) in [
            ("offer", &self.offer),
            ("offer_declined", &self.offer_declined),
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
                let offers_title = name == "offer" && placeholder == "title";
                if !offers_title && !matches!(placeholder, "open" | "promise" | "municipality") {
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

    #[test]
    fn offer_settings_must_fit_below_the_threshold() {
        let valid = BotConfig::default();
        assert_eq!(valid.validate(), Ok(()));
        let at_threshold = BotConfig {
            offer_confidence: 0.8,
            ..BotConfig::default()
        };
        assert_eq!(
            at_threshold.validate(),
            Err(
                "bot.offer_confidence must be at least 0 and below bot.min_confidence (0.8), \
                 found 0.8 (or set bot.offers = false)"
                    .into()
            )
        );
        // A low threshold from before offers existed stays valid with offers switched off.
        let without_offers = BotConfig {
            min_confidence: 0.6,
            offers: false,
            ..BotConfig::default()
        };
        assert_eq!(without_offers.validate(), Ok(()));
        for offer_confidence in [-0.1, f32::NAN] {
            let bad = BotConfig {
                offer_confidence,
                ..BotConfig::default()
            };
            assert!(
                bad.validate()
                    .is_err_and(|e| e.starts_with("bot.offer_confidence")),
                "{offer_confidence}"
            );
        }
        for offer_lead in [0.0, 1.5, f32::NAN] {
            let bad = BotConfig {
                offer_lead,
                ..BotConfig::default()
            };
            assert!(
                bad.validate()
                    .is_err_and(|e| e.starts_with("bot.offer_lead")),
                "{offer_lead}"
            );
        }
    }

    #[test]
    fn the_offer_text_names_its_title_and_only_it_may() {
        let mut texts = BotTexts {
            offer: "Bedoelt u dit artikel?".into(),
            ..BotTexts::default()
        };
        assert_eq!(
            texts.validate(),
            Err("bot.texts.offer must contain {title}, the offered article's title".into())
        );
        texts.offer = "Zoekt u {title}? Zeg ja of nee.".into();
        assert_eq!(texts.validate(), Ok(()));
        texts.offer_declined = "Jammer, {title} was het niet.".into();
        assert!(
            texts
                .validate()
                .is_err_and(|e| e.starts_with("bot.texts.offer_declined: unknown placeholder"))
        );
    }
}
