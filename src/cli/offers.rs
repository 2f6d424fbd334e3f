//! `eval`'s offers ("Bedoelt u …?"): the rules it compares and how it prints them.

use vraagbaak::chat::bot::OfferRule;
use vraagbaak::config::Config;
use vraagbaak::eval;

/// The offer rules `eval` compares: `bot.offer_confidence` from 0.30 in steps of 0.05 up to
/// the bot threshold, each with three `bot.offer_lead` values.
pub(super) fn rules(config: &Config) -> Vec<OfferRule> {
    (6..20)
        .map(|step| step as f32 * 0.05)
        .filter(|&confidence| confidence < config.bot.min_confidence)
        .flat_map(|min_confidence| {
            OFFER_LEADS.map(|lead| OfferRule {
                min_confidence,
                lead,
            })
        })
        .collect()
}

const OFFER_LEADS: [f32; 3] = [0.5, 0.75, 1.0];

/// The configured offers, then the sweep as a table: right / wrong article / on `-` rows.
pub(super) fn print(bot: &eval::BotReport, sweep: &[eval::OfferReport]) {
    let o = &bot.offers;
    println!(
        "\noffers (bot.offer_confidence {:.2}, bot.offer_lead {:.2}): of {} messages below the \
         bot threshold ({} with an article), {} get \"Bedoelt u …?\": {} of the right article, \
         {} of a wrong article, {} on messages without an article (-); precision {:.3}",
        o.offer_confidence,
        o.offer_lead,
        o.below_threshold,
        o.answerable_below,
        o.offered,
        o.right,
        o.wrong_article,
        o.no_article,
        o.precision()
    );
    println!(
        "  right article in the end (bot answer, or offer and \"ja\"): {} + {} of {} messages \
         with an article ({:.3})",
        bot.answered_right,
        o.right,
        bot.answerable,
        bot.right_with_offers()
    );
    println!(
        "\noffer sweep: right / wrong article / on '-' rows, by offer_confidence and offer_lead"
    );
    let header: Vec<String> = OFFER_LEADS.iter().map(|l| format!("lead {l:.2}")).collect();
    println!("  {:<10}{}", "", columns(&header));
    for row in sweep.chunks(OFFER_LEADS.len()) {
        let cells: Vec<String> = row
            .iter()
            .map(|r| format!("{}/{}/{}", r.right, r.wrong_article, r.no_article))
            .collect();
        let confidence = row.first().map_or(0.0, |r| r.offer_confidence);
        println!("  {confidence:<10.2}{}", columns(&cells));
    }
}

fn columns(cells: &[String]) -> String {
    cells.iter().map(|cell| format!("{cell:>12}")).collect()
}
