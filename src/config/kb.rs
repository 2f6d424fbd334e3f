//! `[kb]`: how the knowledge base is kept.

use serde::Deserialize;

/// The longest review period accepted: ten years is already no review at all.
const MAX_REVIEW_MONTHS: u32 = 120;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KbConfig {
    /// An article whose `reviewed` date is older than this many months is listed under
    /// "Controle nodig" on /kb.
    pub review_months: u32,
}

impl Default for KbConfig {
    fn default() -> Self {
        KbConfig { review_months: 12 }
    }
}

impl KbConfig {
    pub(super) fn validate(&self) -> Result<(), String> {
        if !(1..=MAX_REVIEW_MONTHS).contains(&self.review_months) {
            return Err(format!(
                "kb.review_months must be between 1 and {MAX_REVIEW_MONTHS}, found {}",
                self.review_months
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_months_default_to_a_year_and_zero_is_refused_by_name() {
        assert_eq!(KbConfig::default().review_months, 12);
        let zero: KbConfig = toml::from_str("review_months = 0").expect("parses");
        let err = zero.validate().expect_err("zero is refused");
        assert!(err.contains("kb.review_months"), "{err}");
        let long: KbConfig = toml::from_str("review_months = 121").expect("parses");
        assert!(long.validate().is_err());
        let ok: KbConfig = toml::from_str("review_months = 6").expect("parses");
        assert_eq!(ok.validate(), Ok(()));
    }
}
