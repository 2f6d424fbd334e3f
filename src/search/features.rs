//! What a message asks, and whether an article answers it: the "aspect" signals behind the
//! confidence.
//!
//! A resident may ask about the right subject but a different aspect of it: the price of a
//! permit when the article only explains how to apply. [`asked`] finds the aspects a message
//! asks about with small word lists; [`covered`] finds the aspects an article can answer from
//! the kind of facts its text holds (amounts in €, durations, days and times, addresses,
//! lists of documents) and from its example questions. A confident answer needs both.
//!
//! One aspect is a situation rather than a question: a message set abroad ("mijn moeder is
//! tijdens haar vakantie in Spanje overleden") asks how things go there, which an article
//! that never mentions another country or "buitenland" does not say.
//!
//! One aspect is the number itself: "hoeveel krijgt hij per boom", "wat kost een aanmaning".
//! An article answers it when it names a sum of money, when one of its example questions
//! asks how much, or when its text counts what is asked ("hoeveel minuten" and "u krijgt 5
//! minuten"): other numbers (a time, a phone number) say nothing, and an article about
//! the reward for Christmas trees that never says how much it is, is no answer to "hoeveel".
//! A number of weeks asked is a period, which a sum of money does not give. And a price is
//! the price of something: "hoe hoog is de boete als ik zonder registratienummer verhuur" is
//! not answered by the article that prices the registration, unless a sentence with a price
//! names the fine, or the fine is what the article is about (its title or keywords).
//!
//! One aspect is how long something stays valid: "hoe lang is een uittreksel geldig". A
//! period the article names for getting one ("binnen 5 werkdagen") does not answer it; a
//! statement that something is valid for a period ("De ID-kaart is 10 jaar geldig") does.
//!
//! One aspect is another municipality: "ik woon in een andere gemeente, kan ik hier …", "bij
//! welke gemeente moet ik …". Which municipality does what is for a person to sort out unless
//! the article says what holds elsewhere ("Verhuist u naar een andere gemeente?") or that it
//! is only for residents. The editors of the sample knowledge base list such questions as not
//! answered fifteen times, and as answered once.
//!
//! One aspect is a discount: "krijg ik korting op de afvalstoffenheffing als ik weinig afval
//! heb". An article that prices the tax does not say whether less can be paid; only one that
//! names a reduction (korting, vermindering, kwijtschelding) does. Over the labelled sets, the
//! top suggestions it marks are 7, all of them near misses.
//!
//! A judgement between options asks advice like "wat raden jullie aan": "wat is goedkoper, een
//! spoedaanvraag of een noodpaspoort", "gaat het sneller via de huisarts of via het wijkteam".
//!
//! One aspect is the resident's own case: "is mijn kapvergunning al verleend?", "kunt u
//! laten weten of mijn aanvraag inmiddels is goedgekeurd?", and a case that is stuck: "2
//! maanden terug bezwaar gemaakt en nog niks gehoord". Only the people handling the case
//! know; an article answers it only when it tells how to follow a case (its status), what to
//! do when something did not come ("Geen stempas ontvangen?"), or one of its example
//! questions asks it.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::times::NUMBERS;
use crate::kb::Article;

/// One aspect a message can ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[repr(u16)]
pub enum Aspect {
    Cost = 1,
    Duration = 2,
    When = 4,
    Where = 8,
    Documents = 16,
    Allowed = 32,
    Apply = 64,
    /// The message is set abroad (it names another country, or "buitenland").
    Abroad = 128,
    /// How much or how many: a number, most often a sum of money.
    Amount = 256,
    /// How the resident's own case stands: whether it was decided or dealt with yet.
    Status = 512,
    /// An opinion or advice: which is best, what is recommended, whether it is worth it.
    Advice = 1024,
    /// A supposed situation: "stel dat mijn kwijtschelding alsnog wordt toegekend".
    Hypothetical = 2048,
    /// How long something stays valid: "hoe lang is een uittreksel geldig".
    Validity = 4096,
    /// The message is set in another municipality: "ik woon in een andere gemeente",
    /// "bij welke gemeente moet ik het aanvragen".
    Elsewhere = 8192,
    /// A reduction of a price or a tax: "krijg ik korting op de afvalstoffenheffing".
    Discount = 16384,
}

impl Aspect {
    pub const ALL: [Aspect; 15] = [
        Aspect::Cost,
        Aspect::Duration,
        Aspect::When,
        Aspect::Where,
        Aspect::Documents,
        Aspect::Allowed,
        Aspect::Apply,
        Aspect::Abroad,
        Aspect::Amount,
        Aspect::Status,
        Aspect::Advice,
        Aspect::Hypothetical,
        Aspect::Validity,
        Aspect::Elsewhere,
        Aspect::Discount,
    ];

    /// What the aspect is about, in Dutch, to complete "Het bericht vraagt naar …".
    pub fn label(self) -> &'static str {
        match self {
            Aspect::Cost => "de kosten",
            Aspect::Duration => "hoe lang iets duurt",
            Aspect::When => "een datum of tijd",
            Aspect::Where => "een plaats of adres",
            Aspect::Documents => "welke documenten nodig zijn",
            Aspect::Allowed => "of iets mag",
            Aspect::Apply => "hoe u iets aanvraagt",
            Aspect::Abroad => "een situatie in het buitenland",
            Aspect::Amount => "een bedrag of aantal",
            Aspect::Status => "de stand van zaken van een eigen aanvraag of melding",
            Aspect::Advice => "een advies of mening",
            Aspect::Hypothetical => "een veronderstelde situatie (stel dat …)",
            Aspect::Validity => "hoe lang iets geldig is",
            Aspect::Elsewhere => "een andere gemeente",
            Aspect::Discount => "een korting",
        }
    }

    /// Whether an article that does not give this aspect cannot answer a message that asks
    /// it, however well the words match: the suggestion's confidence is then capped
    /// ([`crate::search::Evidence::capped`]). The state of the resident's own case, a number,
    /// a period, how long something is valid, an opinion, a supposed situation, what holds
    /// in another municipality and a discount are the answer itself; a missing cost, date or
    /// place only weighs in the model (an article may well answer "can I" without its price).
    pub fn caps(self) -> bool {
        matches!(
            self,
            Aspect::Status
                | Aspect::Amount
                | Aspect::Advice
                | Aspect::Duration
                | Aspect::Hypothetical
                | Aspect::Validity
                | Aspect::Elsewhere
                | Aspect::Discount
        )
    }

    /// Phrases in a message that ask about this aspect (lowercase, matched on word bounds).
    fn asking(self) -> &'static [&'static str] {
        match self {
            Aspect::Cost => &[
                "kost", "kosten", "prijs", "tarief", "tarieven", "leges", "betalen", "betaal", "€",
                "euro", "gratis", "cost", "costs", "price", "fee", "fees",
            ],
            Aspect::Duration => &[
                "hoe lang",
                "termijn",
                "duurt",
                "duren",
                "binnen hoeveel",
                "hoelang",
                "hoe snel",
                "wachttijd",
                "how long",
                "how soon",
                "how quickly",
            ],
            Aspect::When => &[
                "wanneer",
                "wnr",
                "hoe laat",
                "hoe vroeg",
                "welke dag",
                "openingstijden",
                "tijden",
                "when",
                "what time",
                "which day",
                "opening hours",
            ],
            Aspect::Where => &["waar", "adres", "welk loket", "where"],
            Aspect::Documents => &[
                "meenemen",
                "meebrengen",
                "documenten",
                "papieren",
                "wat heb ik nodig",
                "welke stukken",
                "documents",
                "what do i need",
                "bring",
            ],
            Aspect::Allowed => &[
                "mag ik",
                "mag je",
                "mogen we",
                "mogen wij",
                "mag dat",
                "mag het",
                "toegestaan",
                "verboden",
                "is het toegestaan",
                "allowed",
                "may i",
                "permitted",
            ],
            Aspect::Apply => &[
                "aanvragen",
                "hoe vraag",
                "aanmelden",
                "inschrijven",
                "apply",
                "register",
                "sign up",
            ],
            Aspect::Abroad => &ABROAD,
            Aspect::Amount => &[
                "hoeveel",
                "hoe veel",
                "hoe hoog",
                "hoe groot",
                "hoe duur",
                "wat kost",
                "wat kosten",
                "welk bedrag",
                "wat voor bedrag",
                "how much",
                "how many",
            ],
            // And a case decided "yet" ([`asks_status`]).
            Aspect::Status => &[
                "stand van zaken",
                "status van mijn",
                "hoe staat het met mijn",
                "hoe het ervoor staat",
                "hoe het er voor staat",
                "hoe staat het ervoor",
                "status of my",
            ],
            Aspect::Advice => &[
                "raden jullie aan",
                "raden jullie",
                "raadt u aan",
                "raad je aan",
                "aanraden",
                "aanrader",
                "adviseren jullie",
                "adviseert u",
                "wat vindt",
                "vinden jullie",
                "de moeite waard",
                "heeft het zin",
                "het beste",
                "is het beter",
                "wat is beter",
                "welke is beter",
                "beter voor",
                // A judgement between options: "veiliger dan de rekken", "meer kans op
                // een baan dan met vrijwilligerswerk".
                "beter dan",
                "veiliger dan",
                "handiger dan",
                "makkelijker dan",
                "slimmer dan",
                "verstandiger dan",
                "wat is handiger",
                "wat is slimmer",
                "wat is verstandiger",
                "wat is veiliger",
                "werkt beter",
                "meer kans",
                "mooier",
                "leuker",
                "recommend",
                "worth it",
                "which is better",
                "is it better",
                "better to",
                "better than",
                "safer than",
                "the best",
                // Which option to take: "wat is voor haar de betere keuze", "is het slimmer
                // om mijn eigen naam te houden", "waar hebben we meer aan".
                "betere keuze",
                "beste keuze",
                "is het slimmer",
                "is het handiger",
                "is het verstandiger",
                "is het veiliger",
                "is het makkelijker",
                "waar hebben we meer aan",
                "waar heb ik meer aan",
                "waar heb je meer aan",
                "voor en nadelen",
                "voordelen en nadelen",
                // Which option pays off: "wat is voordeliger, een pgb of zorg in natura".
                "voordeliger",
                "voordeligst",
                "voordeligste",
                "better choice",
                "best choice",
                "pros and cons",
            ],
            Aspect::Hypothetical => &[
                "stel dat",
                "stel nou dat",
                "stel je voor dat",
                "gesteld dat",
                "hypothetisch",
                "hypothetische",
                "what if",
                "suppose",
                "supposing",
                "hypothetically",
                "hypothetical",
            ],
            // And "hoe lang" with "geldig" in one clause ([`asks_validity`]).
            Aspect::Validity => &["geldigheid", "geldigheidsduur", "validity"],
            Aspect::Elsewhere => &[
                "andere gemeente",
                "andere gemeenten",
                "buurgemeente",
                "buurgemeenten",
                "welke gemeente",
                "another municipality",
                "other municipality",
                "different municipality",
                "neighbouring municipality",
                "neighboring municipality",
                "which municipality",
            ],
            Aspect::Discount => &[
                "korting",
                "kortingen",
                "kortingsregeling",
                "reductie",
                "discount",
                "discounts",
                "reduction",
                "minder betalen",
                "pay less",
            ],
        }
    }

    /// Words in an article's text that show it can answer this aspect.
    fn answering(self) -> &'static [&'static str] {
        match self {
            Aspect::Cost => &[
                "€",
                "euro",
                "gratis",
                "kosteloos",
                "tarief",
                "leges",
                "kost",
            ],
            // A period itself: "binnen 8 weken", "een werkdag" ([`has_period`]).
            Aspect::Duration => &[],
            Aspect::When => &[
                "maandag",
                "dinsdag",
                "woensdag",
                "donderdag",
                "vrijdag",
                "zaterdag",
                "zondag",
                "januari",
                "april",
                "juli",
                "oktober",
                "december",
                "uur",
                "ophaaldag",
                "openingstijden",
                "kalender",
            ],
            Aspect::Where => &[
                "adres",
                "stadhuis",
                "gemeentehuis",
                "balie",
                "loket",
                "milieustraat",
                "straat",
                "plein",
                "locatie",
            ],
            Aspect::Documents => &[
                "meenemen",
                "meebrengen",
                "identiteitsbewijs",
                "paspoort",
                "documenten",
                "bewijs",
                "uittreksel",
                "kopie",
            ],
            Aspect::Allowed => &[
                "mag",
                "mogen",
                "toegestaan",
                "verboden",
                "vergunning",
                "vergunningvrij",
                "vergunningplichtig",
                "toestemming",
                "niet",
                "regels",
            ],
            Aspect::Apply => &["aanvragen", "aanvraag", "formulier", "digid", "online"],
            Aspect::Abroad => &ABROAD,
            // Most articles have some number (a phone number, an hour, a house number): only
            // a sum of money shows an amount. Other amounts are covered by an example
            // question that asks one.
            Aspect::Amount => &["€", "euro"],
            // "U volgt de status in de app."
            Aspect::Status => &["status", "stand van zaken"],
            // "Dat kan vóór de geboorte (aanbevolen)", "Tip: houd een logboek bij".
            Aspect::Advice => &[
                "aanbevolen",
                "raden wij aan",
                "raden we aan",
                "advies",
                "adviseren",
                "tip",
                "tips",
                "verstandig",
                "het beste",
                "het liefst",
                "beter dan",
                "recommended",
            ],
            // A text states what is: only an example question that supposes a situation
            // ("wat als mijn buren niet mee willen doen") shows its article answers one.
            Aspect::Hypothetical => &[],
            // A period it is valid for, in one statement ([`states_validity`]).
            Aspect::Validity => &[],
            // What holds in another municipality, or only for the municipality's own
            // residents: "Verhuist u naar een andere gemeente?", "alleen voor inwoners".
            Aspect::Elsewhere => &[
                "andere gemeente",
                "andere gemeenten",
                "buurgemeente",
                "nieuwe gemeente",
                "vorige gemeente",
                "elke gemeente",
                "iedere gemeente",
                "alle gemeenten",
                "alleen voor inwoners",
                "another municipality",
                "other municipalities",
                "any municipality",
            ],
            // A reduction, or a way out of paying: "50% korting", "kwijtschelding".
            Aspect::Discount => &[
                "korting",
                "kortingen",
                "reductie",
                "vermindering",
                "kwijtschelding",
                "kwijtgescholden",
                "tegemoetkoming",
                "discount",
                "reduction",
            ],
        }
    }
}

/// The words that set a message abroad, and that show an article deals with abroad
/// (`abroad.txt`).
static ABROAD: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    (include_str!("abroad.txt").lines())
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .collect()
});

/// A set of aspects; serialised, and shown in test failures, as the list of their names.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Aspects(u16);

impl std::fmt::Debug for Aspects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Aspects {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl Aspects {
    pub fn contains(self, aspect: Aspect) -> bool {
        self.0 & aspect as u16 != 0
    }

    fn insert(&mut self, aspect: Aspect) {
        self.0 |= aspect as u16;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The aspects in `self` that `other` lacks.
    pub fn without(self, other: Aspects) -> Aspects {
        Aspects(self.0 & !other.0)
    }

    /// Those that cap the confidence when an article lacks them ([`Aspect::caps`]).
    pub fn capping(self) -> Aspects {
        Aspects(
            self.iter()
                .filter(|a| a.caps())
                .fold(0, |bits, a| bits | a as u16),
        )
    }

    /// The aspects in the order of [`Aspect::ALL`].
    pub fn iter(self) -> impl Iterator<Item = Aspect> {
        Aspect::ALL.into_iter().filter(move |a| self.contains(*a))
    }
}

/// The text lowercased, with everything but letters, digits and `€` turned into single spaces
/// and a space at both ends, so phrases can be matched on word bounds with `contains`.
fn normalised(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push(' ');
    // `€12` and `12€` hold the sign as a word of its own: it is written as ` € `, and
    // `spaced` says whether the text so far ends in a separator (the sign is no separator).
    let mut spaced = true;
    let mut push = |c: char| {
        if c == '€' {
            out.push_str(" € ");
            spaced = false;
        } else if c.is_alphanumeric() {
            out.push(c);
            spaced = false;
        } else if !spaced {
            out.push(' ');
            spaced = true;
        }
    };
    for c in text.chars() {
        // Most of an article is ASCII, whose lowercase is one character.
        if c.is_ascii() {
            push(c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(&mut push);
        }
    }
    if !spaced {
        out.push(' ');
    }
    out
}

/// Whether `phrase` occurs in the normalised text as whole words (no allocation: this runs
/// once per message on the suggest path).
fn has_phrase(normalised: &str, phrase: &str) -> bool {
    normalised.match_indices(phrase).any(|(at, _)| {
        normalised[..at].ends_with(' ') && normalised[at + phrase.len()..].starts_with(' ')
    })
}

/// One list of phrases ([`Aspect::asking`] or [`Aspect::answering`]) ready for lookups.
struct Phrases {
    /// One-word phrases (most of them), with the aspects they stand for.
    words: HashMap<&'static str, u16>,
    /// Phrases of several words, by their first word.
    longer: HashMap<&'static str, Vec<(Aspect, &'static str)>>,
}

impl Phrases {
    fn new(phrases: fn(Aspect) -> &'static [&'static str]) -> Phrases {
        let mut words: HashMap<&'static str, u16> = HashMap::default();
        let mut longer: HashMap<&'static str, Vec<(Aspect, &'static str)>> = HashMap::default();
        for aspect in Aspect::ALL {
            for phrase in phrases(aspect) {
                match phrase.split_once(' ') {
                    Some((first, _)) => longer.entry(first).or_default().push((aspect, *phrase)),
                    None => *words.entry(phrase).or_default() |= aspect as u16,
                }
            }
        }
        Phrases { words, longer }
    }
}

static ASKING: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(Aspect::asking));
static ANSWERING: LazyLock<Phrases> = LazyLock::new(|| Phrases::new(Aspect::answering));

fn find(normalised: &str, phrases: &Phrases) -> Aspects {
    // Each word of the text is looked up among the one-word phrases and the first words of
    // the longer ones; searching the whole text once per phrase was a quarter of an index
    // build, and a set of the text's words per call most of a message's aspect finding.
    let mut found = Aspects::default();
    let mut starting: Vec<(Aspect, &'static str)> = Vec::new();
    for word in normalised.split(' ').filter(|w| !w.is_empty()) {
        if let Some(aspects) = phrases.words.get(word) {
            found.0 |= aspects;
        }
        if let Some(longer) = phrases.longer.get(word) {
            // A long text repeats its words: each phrase is looked for once.
            for &phrase in longer {
                if !starting.contains(&phrase) {
                    starting.push(phrase);
                }
            }
        }
    }
    for (aspect, phrase) in starting {
        if !found.contains(aspect) && has_phrase(normalised, phrase) {
            found.insert(aspect);
        }
    }
    found
}

/// The aspects a message asks about.
pub fn asked(message: &str) -> Aspects {
    asking_in(message, &normalised(message))
}

/// [`asked`], with the message already normalised.
fn asking_in(message: &str, normalised: &str) -> Aspects {
    let mut aspects = find(normalised, &ASKING);
    // Most messages have no word for valid, settled, not, still or a comparative: they need no
    // look at their clauses. One pass finds them all.
    let (mut valid, mut settled, mut waiting, mut comparing) = (false, false, false, false);
    for word in normalised.split(' ') {
        valid |= VALID.contains(&word);
        settled |= SETTLED.contains(&word);
        waiting |= NOT.contains(&word) || STILL.contains(&word);
        comparing |= COMPARATIVES.contains(&word);
    }
    if comparing && compares_options(message) {
        aspects.insert(Aspect::Advice);
    }
    if valid && asks_validity(message) {
        aspects.insert(Aspect::Validity);
    }
    if settled && asks_status(message) {
        aspects.insert(Aspect::Status);
    }
    // "Al weken niks gehoord, binnen welke termijn moet u beslissen?" asks the period.
    if waiting && !aspects.contains(Aspect::Duration) && says_not_received(message) {
        aspects.insert(Aspect::Status);
    }
    aspects
}

/// Comparatives a resident weighs two options with ([`compares_options`]).
#[rustfmt::skip]
const COMPARATIVES: [&str; 20] = [
    "goedkoper", "duurder", "sneller", "makkelijker", "gemakkelijker", "handiger", "slimmer",
    "voordeliger", "veiliger", "verstandiger", "beter", "betere", "cheaper", "faster",
    "quicker", "easier", "safer", "better", "smarter", "wiser",
];

/// Words that set one option against another: "A of B", "duurder dan online".
const ALTERNATIVE: [&str; 2] = ["of", "or"];
const THAN: [&str; 2] = ["dan", "than"];

/// Whether a sentence of the message weighs options against each other: a comparative with
/// an alternative in the same sentence ("wat is goedkoper, een spoedaanvraag of een
/// noodpaspoort", "kan ik beter zelf een regeling treffen of me aanmelden") or followed
/// closely by "dan" ("duurder dan online"). Which option to take is a judgement an article
/// gives only when it advises; "kan ik met de pas goedkoper zwemmen" weighs nothing. An "of"
/// that joins two nouns ("goedkoper op voetbal of zwemles") is taken for an alternative too.
fn compares_options(message: &str) -> bool {
    statements(message).any(|sentence| {
        let normalised = normalised(sentence);
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let alternative = words.iter().any(|w| ALTERNATIVE.contains(w));
        words.iter().enumerate().any(|(i, w)| {
            COMPARATIVES.contains(w)
                && (alternative || (words.iter().skip(i + 1).take(3)).any(|w| THAN.contains(w)))
        })
    })
}

/// The words for valid, in a question how long something is ([`asks_validity`]) and in an
/// article's statement of it ([`states_validity`]). Not "geldige": "neem een geldige ID-kaart
/// mee" says nothing of how long.
const VALID: [&str; 2] = ["geldig", "valid"];

/// Phrases that ask how long, or until when.
const HOW_LONG: [&str; 5] = [
    "hoe lang",
    "hoelang",
    "how long",
    "tot wanneer",
    "until when",
];

/// Whether a clause of the message asks how long something is valid: "hoe lang is een VOG
/// geldig", "hoelang blijft de downloadlink geldig", "how long is it valid".
fn asks_validity(message: &str) -> bool {
    clauses(message).any(|clause| {
        HOW_LONG.iter().any(|p| has_phrase(&clause, p))
            && clause.split(' ').any(|w| VALID.contains(&w))
    })
}

/// Words that say a thing stays valid with no end: "de pas blijft onbeperkt geldig".
const OPEN_ENDED: [&str; 4] = ["onbeperkt", "zolang", "altijd", "unlimited"];

/// Whether a statement of the text says how long something is valid: "geldig" with a period
/// ("De ID-kaart is 10 jaar geldig", "een tijdelijke pas (4 weken geldig)") or with no end
/// ("onbeperkt geldig").
fn states_validity(text: &str) -> bool {
    statements(text).any(|statement| {
        let normalised = normalised(statement);
        normalised.split(' ').any(|w| VALID.contains(&w))
            && (has_period(&normalised) || normalised.split(' ').any(|w| OPEN_ENDED.contains(&w)))
    })
}

/// Words that deny something happened, for [`says_not_received`]. "Nooit" is left out: "ik
/// heb nooit een eigen paspoort gehad" is the story, not a case waiting.
const NOT: [&str; 10] = [
    "geen", "niet", "niks", "niets", "not", "no", "nothing", "haven", "hasn", "didn",
];

/// Words that say something came in or was heard of: "nog niks gehoord", "geen besluit
/// ontvangen", "nog niet klaar", "it has not arrived"; or that a collection due was made:
/// "mijn grofvuil is vandaag niet opgehaald", "de bak is niet geleegd". A collection that did
/// not come is a case of the resident's own too, which only the articles that say what to do
/// then answer ("Is uw container niet geleegd? Meld het …"). Not "geweest" or "gekomen": "ik
/// ben nog niet bij de balie geweest" is the story.
const RECEIVED: [&str; 17] = [
    "opgehaald",
    "meegenomen",
    "geleegd",
    "collected",
    "ontvangen",
    "gekregen",
    "gehad",
    "gehoord",
    "teruggehoord",
    "vernomen",
    "binnen",
    "klaar",
    "bezorgd",
    "aangekomen",
    "received",
    "heard",
    "arrived",
];

/// News the resident waits for: "nog steeds geen mail met een link", "nog geen besluit".
const NEWS: [&str; 14] = [
    "besluit",
    "beslissing",
    "uitslag",
    "bericht",
    "reactie",
    "antwoord",
    "uitnodiging",
    "bevestiging",
    "brief",
    "mail",
    "email",
    "sms",
    "link",
    "post",
];

/// Words that, after "nog", say a thing has not changed: "nog steeds", "nog altijd".
const STILL: [&str; 2] = ["steeds", "altijd"];

/// Verbs of where a thing is: "de bank staat er nog steeds", "hij ligt er nog altijd".
const PLACED: [&str; 8] = [
    "staat", "staan", "ligt", "liggen", "zit", "zitten", "hangt", "hangen",
];

/// Whether the text says that something the resident waits for has not come: in one clause, a
/// word of [`NOT`] with one of [`RECEIVED`] at most four words after it ("2 maanden terug
/// bezwaar gemaakt en nog niks gehoord", "ik heb nog geen besluit ontvangen", "mijn paspoort
/// is nog niet klaar"), "nog (steeds) geen" and a word of [`NEWS`] ("nog steeds geen mail
/// met een link"), or that a thing is still where it was ([`still_there`]: "ik heb een losse
/// tegel gemeld maar hij ligt er nog steeds"). Such a message asks how its own case stands,
/// as a question whether it was decided yet does ([`asks_status`]); an article answers it
/// when it says what to do when something did not come ("Geen stempas ontvangen?"). "Binnen"
/// is "in" only at the end of its phrase: "niet binnen 6 weken" is a period, "naar binnen" a
/// place.
fn says_not_received(text: &str) -> bool {
    clauses(text).any(|clause| {
        let words: Vec<&str> = clause.split_whitespace().collect();
        (0..words.len()).any(|i| denies_coming(&words, i) || still_there(&words, i))
    })
}

/// Whether `words[i..]` starts "nog steeds" or "nog altijd" right after "er" with a verb of
/// place before it in the clause ("de bank staat er nog steeds", "ligt de tegel er nog
/// altijd"), or right after "er" and the verb ("er staat nog steeds niks"): what should have
/// been taken away, mended or delivered is still as it was. Not without "er": "de vorige
/// huurder staat nog steeds ingeschreven" is the story.
fn still_there(words: &[&str], i: usize) -> bool {
    if i < 2 || words[i] != "nog" || !words.get(i + 1).is_some_and(|w| STILL.contains(w)) {
        return false;
    }
    let placed_before = |end: usize| words[..end].iter().any(|w| PLACED.contains(w));
    (words[i - 1] == "er" && placed_before(i - 1))
        || (words[i - 2] == "er" && PLACED.contains(&words[i - 1]))
}

/// Whether `words[i]` denies that something came ([`says_not_received`]).
fn denies_coming(words: &[&str], i: usize) -> bool {
    if !NOT.contains(&words[i]) {
        return false;
    }
    let awaited = words[i] == "geen"
        && words[i.saturating_sub(2)..i].contains(&"nog")
        && words.get(i + 1).is_some_and(|next| NEWS.contains(next));
    awaited || (i + 1..(i + 5).min(words.len())).any(|j| comes_in(words, j))
}

/// Whether `words[j]` says something came in: a word of [`RECEIVED`], "binnen" only as "in"
/// (not "naar binnen", not before a period: "binnen 6 weken", "binnen de termijn").
fn comes_in(words: &[&str], j: usize) -> bool {
    match words[j] {
        "binnen" => {
            let opens_a_period = |next: &&str| {
                next.starts_with(|c: char| c.is_ascii_digit())
                    || ["de", "het", "die", "deze"].contains(next)
                    || NUMBERS.contains(next)
            };
            words[j - 1] != "naar" && !words.get(j + 1).is_some_and(opens_a_period)
        }
        word => RECEIVED.contains(&word),
    }
}

/// What ends a clause, for the clause-by-clause readings of a message.
const CLAUSE_ENDS: [char; 6] = ['.', ',', ';', '!', '?', '\n'];

/// The clauses of a text, each [`normalised`].
fn clauses(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(CLAUSE_ENDS).map(normalised)
}

/// Words that say a case was decided or dealt with.
const SETTLED: [&str; 24] = [
    "goedgekeurd",
    "afgekeurd",
    "verleend",
    "behandeld",
    "besloten",
    "beslist",
    "afgehandeld",
    "verwerkt",
    "toegekend",
    "beoordeeld",
    "bekeken",
    "gelukt",
    "besluit",
    "beslissing",
    "uitspraak",
    "approved",
    "processed",
    "decided",
    "granted",
    "reviewed",
    "handled",
    "rejected",
    "decision",
    "accepted",
];

/// Words that ask whether it happened yet.
const YET: [&str; 5] = ["al", "inmiddels", "intussen", "yet", "already"];

/// Words that open a yes/no question, or an indirect one ("laat u weten of …").
const QUESTION_OPENERS: [&str; 10] = [
    "is", "zijn", "heeft", "hebben", "wordt", "worden", "has", "have", "was", "were",
];
const INDIRECT: [&str; 3] = ["of", "whether", "if"];

/// Whether the message asks if the resident's own case was decided or dealt with yet: in a
/// question clause (a question mark, a verb first, or "of"), a word of [`SETTLED`] with one of
/// [`YET`] at most four words before it or two after it ("is die al goedgekeurd", "is er
/// inmiddels een besluit", "has my request been approved yet"). Said as a fact it is the
/// story, not the question: "de toeslag is al geregeld, waar vind ik opvang?".
fn asks_status(message: &str) -> bool {
    let mut rest = message;
    while !rest.is_empty() {
        let end = (rest.find(CLAUSE_ENDS)).map_or(rest.len(), |i| i + 1);
        let (clause, after) = rest.split_at(end);
        rest = after;
        let normalised = normalised(clause);
        let words: Vec<&str> = normalised.split_whitespace().collect();
        let question = clause.ends_with('?')
            || words.first().is_some_and(|w| QUESTION_OPENERS.contains(w))
            || words.iter().any(|w| INDIRECT.contains(w));
        if !question {
            continue;
        }
        let settled_yet = (words.iter().enumerate())
            .filter(|(_, w)| SETTLED.contains(w))
            .any(|(i, _)| {
                let window = &words[i.saturating_sub(4)..(i + 3).min(words.len())];
                window.iter().any(|w| YET.contains(w))
            });
        if settled_yet {
            return true;
        }
    }
    false
}

/// Phrases that ask for an amount or a number ("hoeveel", "hoe hoog", "maximaal"), for the
/// kind of question: broader than [`Aspect::Amount`]'s phrases, which ask for the number
/// itself.
const ASKING_AMOUNT: [&str; 9] = [
    "hoeveel",
    "how much",
    "how many",
    "hoe hoog",
    "hoe groot",
    "hoe zwaar",
    "maximaal",
    "maximale",
    "minimaal",
];

/// What kind of question `text` asks, as bits: the aspects it asks about ([`asked`]) and,
/// above them, whether it asks for an amount. "Hoe lang duurt het" and "wanneer" are one
/// kind, a time: "wanneer reageren jullie" and "hoe lang duurt het voor jullie reageren" ask
/// the same, and one sentence answers both.
pub fn question_kinds(text: &str) -> u16 {
    aspects_and_kinds(text, &normalised(text)).1
}

/// What a message asks: its aspects ([`asked`]), its kinds of question ([`question_kinds`])
/// and, when it asks an amount, what it asks the number of: the word after "hoeveel", "hoe
/// veel", "how many" or "how much" ("hoeveel minuten krijg ik", "how many guests").
#[derive(Debug, Clone, Default)]
pub struct Asked {
    pub aspects: Aspects,
    pub kinds: u16,
    pub counting: Option<String>,
    /// "When" is asked as a day or a time of day ("welke dag", "hoe laat"), which a period
    /// ("binnen 5 dagen") does not give.
    pub day_or_time: bool,
    /// What the message asks the price of, as stems: the words right after "wat kost", "hoe
    /// hoog is" and the like ("wat kost zo'n noodpaspoort", "hoe hoog is de boete"), if it
    /// names something there ([`priced_asked`]).
    pub priced: Vec<String>,
}

/// [`Asked`] of a message, from one pass over it.
pub fn asked_fully(message: &str) -> Asked {
    let normalised = normalised(message);
    let (aspects, kinds) = aspects_and_kinds(message, &normalised);
    let counting = (aspects.contains(Aspect::Amount))
        .then(|| counted_in_normalised(&normalised))
        .flatten();
    let day_or_time =
        aspects.contains(Aspect::When) && DAY_OR_TIME.iter().any(|p| has_phrase(&normalised, p));
    let priced = match aspects.contains(Aspect::Cost) || aspects.contains(Aspect::Amount) {
        true => priced_asked(message),
        false => Vec::new(),
    };
    Asked {
        aspects,
        kinds,
        counting,
        day_or_time,
        priced,
    }
}

/// Phrases that ask the price of what follows them.
const PRICE_OF: [&str; 18] = [
    "wat kost",
    "wat kosten",
    "hoeveel kost",
    "hoeveel kosten",
    "hoe duur is",
    "hoe duur zijn",
    "hoe hoog is",
    "hoe hoog zijn",
    "hoe hoog wordt",
    "prijs van",
    "kosten van",
    "kosten voor",
    "how much is",
    "how much are",
    "how much does",
    "how much do",
    "what does",
    "what do",
];

/// Words passed over between a [`PRICE_OF`] phrase and what it asks the price of, and within
/// it ("een paspoort of een id-kaart"): conjunctions, articles, pronouns that point ("zo'n",
/// normalised "zo n"), possessives, fillers and plain adjectives.
#[rustfmt::skip]
const PRICE_SKIPPED: [&str; 49] = [
    "en", "of", "or", "and", "de", "het", "een", "die", "dat", "deze", "dit", "zo", "n", "m",
    "zoiets", "zon", "mijn", "mn", "uw", "jullie", "onze", "ons", "je", "jouw", "hun", "er",
    "nou", "nu", "eigenlijk", "ongeveer", "precies", "dan", "ook", "nog", "toch", "nieuwe",
    "nieuw", "oude", "extra", "eigen", "tweede", "gewone", "the", "a", "an", "this", "that",
    "my", "new",
];

/// Words that end what a price is asked of: question words, prepositions, conjunctions and
/// pronouns ("wat kost het om …", "wat kost dat en hoe snel …", "what does it cost").
const PRICE_ENDS: [&str; 42] = [
    "hoe", "wat", "waar", "wie", "welke", "hoelang", "how", "what", "when", "om", "als", "wanneer",
    "want", "maar", "voor", "bij", "op", "in", "met", "naar", "van", "aan", "uit", "tot", "over",
    "per", "ik", "jij", "we", "wij", "u", "hij", "zij", "ze", "mij", "me", "i", "you", "it",
    "they", "cost", "if",
];

/// What a message asks the price of ([`Asked::priced`]): after its first [`PRICE_OF`] phrase,
/// passing over [`PRICE_SKIPPED`] and [`PRICE_WORDS`] words, the words up to a [`PRICE_ENDS`]
/// word, a number or the clause's end, at most three, as stems. "wat kost zo'n noodpaspoort
/// bij de marechaussee" asks the price of a `noodpaspoort`; "wat kost het om te trouwen"
/// names nothing.
fn priced_asked(message: &str) -> Vec<String> {
    for clause in clauses(message) {
        let words: Vec<&str> = clause.split_whitespace().collect();
        let Some(after) = (0..words.len()).find_map(|i| {
            PRICE_OF.iter().find_map(|phrase| {
                let length = phrase.split(' ').count();
                let candidate = words.get(i..i + length)?;
                phrase
                    .split(' ')
                    .eq(candidate.iter().copied())
                    .then_some(i + length)
            })
        }) else {
            continue;
        };
        let mut named = Vec::new();
        // "de leges voor een paspoort": the price's own word is followed by what it is of.
        let mut after_price_word = false;
        for word in &words[after..] {
            if PRICE_WORDS.contains(word) {
                after_price_word = true;
            } else if named.is_empty() && after_price_word && ["voor", "van"].contains(word) {
                continue;
            } else if PRICE_ENDS.contains(word) || (is_number(word) && word != &"een") {
                break;
            } else if !PRICE_SKIPPED.contains(word) {
                named.push(price_stem(word));
                if named.len() == 3 {
                    break;
                }
            }
        }
        // A stem of two letters ("id" of "id-kaart") says too little to look for.
        named.retain(|stem| stem.len() >= 3);
        return named;
    }
    Vec::new()
}

/// The words for a price itself, passed over ([`priced_asked`]).
const PRICE_WORDS: [&str; 9] = [
    "kosten", "kost", "leges", "prijs", "tarief", "price", "fee", "fees", "costs",
];

static DUTCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::Dutch));

/// The stem a price is matched on: a diminutive's base ("ritje" → "rit"), stemmed.
fn price_stem(word: &str) -> String {
    let base = ["tje", "pje", "je"]
        .iter()
        .find(|suffix| word.ends_with(*suffix) && word.len() > suffix.len() + 2)
        .map_or(word, |suffix| &word[..word.len() - suffix.len()]);
    DUTCH.stem(base).into_owned()
}

/// Phrases of [`Aspect::When`] that ask a day or a time of day.
const DAY_OR_TIME: [&str; 8] = [
    "hoe laat",
    "hoe vroeg",
    "welke dag",
    "openingstijden",
    "tijden",
    "what time",
    "which day",
    "opening hours",
];

/// [`asked`] and [`question_kinds`] of a message and its normalised text.
fn aspects_and_kinds(message: &str, normalised: &str) -> (Aspects, u16) {
    let aspects = asking_in(message, normalised);
    // An amount is a kind of its own only when the cost is not asked (below).
    let mut kinds = aspects.without(Aspects(Aspect::Amount as u16));
    if kinds.contains(Aspect::Duration) {
        kinds.0 = (kinds.0 & !(Aspect::Duration as u16)) | Aspect::When as u16;
    }
    // "hoeveel kost" asks the cost, not another amount.
    let amount =
        !aspects.contains(Aspect::Cost) && ASKING_AMOUNT.iter().any(|p| has_phrase(normalised, p));
    (
        aspects,
        kinds.0 | if amount { Aspect::Amount as u16 } else { 0 },
    )
}

/// What an article can answer ([`covered`]).
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// The aspects it covers.
    pub aspects: Aspects,
    /// The words its text counts ("5 minuten", "twee getuigen", "10 maandelijkse termijnen"),
    /// each once: what it gives a number of.
    counted: Box<[Box<str>]>,
    /// The stems of the words of the sentences that name a price (a sum of money, "gratis"),
    /// each once.
    priced: Box<[Box<str>]>,
    /// The stems of its title and keywords: what it is about, whose price its prices are.
    subject: Box<[Box<str>]>,
}

impl Coverage {
    /// The aspects of `asked` the article does not cover. Of what the message asks the number
    /// of ([`Asked::counting`]), an article that counts it ("u krijgt 5 minuten")
    /// gives the amount asked even without a sum of money. A period answers "when" unless a
    /// day or a time of day is asked ([`Asked::day_or_time`]).
    pub fn lacking(&self, asked: &Asked) -> Aspects {
        let (counting, day_or_time) = (asked.counting.as_deref(), asked.day_or_time);
        let priced = &asked.priced;
        let asked = asked.aspects;
        let mut missing = asked.without(self.aspects);
        // "Wanneer moet ik het doorgeven?" is answered by "binnen 5 dagen" too.
        if self.aspects.contains(Aspect::Duration) && !day_or_time {
            missing.0 &= !(Aspect::When as u16);
        }
        if !priced.is_empty() && !self.priced.is_empty() && !self.prices(priced) {
            missing.insert(Aspect::Amount);
            return missing;
        }
        let Some(unit) = counting.filter(|_| asked.contains(Aspect::Amount)) else {
            return missing;
        };
        // "hoeveel weken" asks a period, which a sum of money does not give.
        let answered = match PERIOD_UNITS.contains(&unit) || unit == "tijd" || unit == "time" {
            true => self.aspects.contains(Aspect::Duration) || self.counts(unit),
            false => !missing.contains(Aspect::Amount) || self.counts(unit),
        };
        if answered {
            missing.0 &= !(Aspect::Amount as u16);
        } else {
            missing.insert(Aspect::Amount);
        }
        missing
    }

    /// Whether the article gives the price of one of `asked` (stems, [`Asked::priced`]): it
    /// is what the article is about (its title or keywords have it, or a compound ending in
    /// it), or a sentence with a price names it, or a compound of it ("spoed" in
    /// "spoedtoeslag"). An article that prices a registration number for holiday lets does
    /// not say how high the fine is for letting without one.
    fn prices(&self, asked: &[String]) -> bool {
        let (subject, priced) = (&self.subject, &self.priced);
        asked.iter().any(|stem| {
            let stem = stem.as_str();
            subject.iter().any(|word| word.ends_with(stem))
                || (priced.iter())
                    .any(|word| word.ends_with(stem) || (stem.len() >= 4 && word.starts_with(stem)))
        })
    }

    /// Whether the article's text counts `unit`, or a compound ending in it ("werkdagen"
    /// counts "dagen"). "Hoeveel keer" asks a count of anything ("in 10 termijnen").
    fn counts(&self, unit: &str) -> bool {
        match unit {
            "keer" | "maal" | "stuks" | "times" => !self.counted.is_empty(),
            _ => self.counted.iter().any(|word| word.ends_with(unit)),
        }
    }
}

/// The aspects an article can answer: from the facts in its text and the aspects its own
/// example questions ask about.
pub fn covered(article: &Article) -> Coverage {
    let (title, keywords) = (&article.title, &article.keywords);
    covered_by(title, keywords, &article.questions, &article.body)
}

fn covered_by(title: &str, keywords: &[String], questions: &[String], body: &str) -> Coverage {
    let whole = format!("{title}\n{body}");
    let text = normalised(&whole);
    let mut aspects = find(&text, &ANSWERING);
    if has_period(&text) {
        aspects.insert(Aspect::Duration);
    }
    // "Geen stempas ontvangen? Vraag een vervangende aan."
    if says_not_received(&whole) {
        aspects.insert(Aspect::Status);
    }
    if states_validity(&whole) {
        aspects.insert(Aspect::Validity);
    }
    for question in questions {
        aspects.0 |= asked(question).0;
    }
    Coverage {
        aspects,
        counted: counted_in(&whole),
        priced: priced_in(&whole),
        subject: stems(normalised(&format!("{title} {}", keywords.join(" "))).split_whitespace()),
    }
}

/// The stems of `words`, sorted and each once.
fn stems<'a>(words: impl Iterator<Item = &'a str>) -> Box<[Box<str>]> {
    let mut stems: Vec<Box<str>> = words.map(|w| price_stem(w).into()).collect();
    stems.sort_unstable();
    stems.dedup();
    stems.into_boxed_slice()
}

/// The stems of the sentences and list items of `text` that name a price: a sum of money,
/// "gratis" or "kosteloos" ([`Coverage::prices`]).
fn priced_in(text: &str) -> Box<[Box<str>]> {
    let mut words: Vec<String> = Vec::new();
    for sentence in statements(text) {
        let normalised = normalised(sentence);
        let priced = normalised
            .split_whitespace()
            .any(|w| matches!(w, "€" | "euro" | "gratis" | "kosteloos"));
        if priced {
            words.extend(normalised.split_whitespace().map(str::to_string));
        }
    }
    stems(words.iter().map(String::as_str))
}

/// What the message asks the number of: the word after "hoeveel", "hoe veel", "how many"
/// or "how much" ("hoeveel minuten krijg ik", "how many guests"), if it asks one.
#[cfg(test)]
fn counted_asked(message: &str) -> Option<String> {
    counted_in_normalised(&normalised(message))
}

/// What a normalised message asks the number of ([`Asked::counting`]).
fn counted_in_normalised(normalised: &str) -> Option<String> {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    (0..words.len()).find_map(|i| {
        let after = match (words[i], words.get(i + 1)) {
            ("hoeveel", _) => i + 1,
            ("hoe", Some(&"veel")) | ("how", Some(&"many" | &"much")) => i + 2,
            _ => return None,
        };
        words.get(after).map(|word| word.to_string())
    })
}

/// The words a text gives a number of: the two words after each count in digits or in
/// words within its sentence ("5 minuten", "twee getuigen", "10 maandelijkse termijnen"),
/// sorted and without repeats. "een" is left out (it is the article as often as the
/// number), and so is a number in digits right after another ([`is_count`]): a time of day
/// ("12.00 uur") or a phone number counts nothing.
fn counted_in(text: &str) -> Box<[Box<str>]> {
    let mut counted: Vec<Box<str>> = Vec::new();
    for sentence in sentences(text) {
        let normalised = normalised(sentence);
        let words: Vec<&str> = normalised.split_whitespace().collect();
        for i in (0..words.len()).filter(|&i| is_count(&words, i)) {
            if matches!(words[i], "een" | "één") {
                continue;
            }
            let after = words
                .iter()
                .skip(i + 1)
                .take(2)
                .take_while(|w| !is_number(w));
            counted.extend(after.map(|w| Box::from(*w)));
        }
    }
    counted.sort_unstable();
    counted.dedup();
    counted.into_boxed_slice()
}

/// Whether a normalised word is a number: in digits, or one of the number words of `times`.
fn is_number(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit()) || NUMBERS.contains(&word)
}

/// Whether `words[i]` counts something: a number, but not digits right after digits (a time
/// of day, "10.00 uur" normalised "10 00 uur", or a phone number, "14 0347").
fn is_count(words: &[&str], i: usize) -> bool {
    let digits = |w: &str| w.bytes().all(|b| b.is_ascii_digit());
    is_number(words[i]) && !(digits(words[i]) && i > 0 && digits(words[i - 1]))
}

/// The sentences and list items of a text: split at a line break, and at `.`, `!`, `?`, `;`
/// or `:` before white space (not in "12.00" or "€ 1,50").
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    split_sentences(text, b".!?;:")
}

/// [`sentences`], but a colon does not end one: "Paspoort: € 84,80" is one fact.
fn statements(text: &str) -> impl Iterator<Item = &str> {
    split_sentences(text, b".!?;")
}

/// `text` split at a line break and at each of `ends` before white space.
fn split_sentences<'t>(text: &'t str, ends: &[u8]) -> impl Iterator<Item = &'t str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut cuts = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        let end = b == b'\n'
            || (ends.contains(&b) && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()));
        if end {
            cuts.push(&text[start..i]);
            start = i + 1;
        }
    }
    cuts.push(&text[start..]);
    cuts.into_iter()
}

/// Units of a period, counted by a number or one of the number words of `times` ("8 weken",
/// "een werkdag", "enkele dagen").
const PERIOD_UNITS: [&str; 15] = [
    "minuut",
    "minuten",
    "kwartier",
    "uur",
    "uren",
    "dag",
    "dagen",
    "werkdag",
    "werkdagen",
    "week",
    "weken",
    "maand",
    "maanden",
    "jaar",
    "jaren",
];

/// Whether the normalised text gives a period: a count and a unit ("binnen 8 weken", "een
/// werkdag"). A time of day is no period ("10.00 uur", normalised "10 00 uur"), and neither
/// is a bare "weken" or "binnen" ("loop binnen in de bibliotheek").
fn has_period(normalised: &str) -> bool {
    let words: Vec<&str> = normalised.split_whitespace().collect();
    (1..words.len()).any(|i| PERIOD_UNITS.contains(&words[i]) && is_count(&words, i - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The aspects an article with this title, example questions and body covers.
    fn article(title: &str, questions: &[&str], body: &str) -> Aspects {
        coverage(title, questions, body).aspects
    }

    /// What an article with this title, example questions and body covers.
    fn coverage(title: &str, questions: &[&str], body: &str) -> Coverage {
        let questions: Vec<String> = questions.iter().map(|q| q.to_string()).collect();
        covered_by(title, &[], &questions, body)
    }

    /// Whether an article with this body lacks the amount `message` asks.
    fn lacks_amount(body: &str, message: &str) -> bool {
        let coverage = coverage("Terras", &[], body);
        (coverage.lacking(&asked_fully(message))).contains(Aspect::Amount)
    }

    #[test]
    fn a_collection_that_did_not_come_is_a_case_of_ones_own() {
        assert!(says_not_received(
            "mijn grofvuil is vandaag niet opgehaald, wat nu"
        ));
        assert!(says_not_received("de groene bak is weer niet geleegd"));
        assert!(says_not_received("the bin was not collected"));
        assert!(says_not_received("Is uw container niet geleegd? Meld het."));
        // Having been somewhere is the story, not a case waiting.
        assert!(!says_not_received("ik ben nog niet bij de balie geweest"));
        assert!(!says_not_received(
            "mijn grofvuil is opgehaald, alleen de kast niet"
        ));
    }

    #[test]
    fn a_thing_still_there_is_a_case_waiting() {
        assert!(says_not_received(
            "ik heb een losse tegel gemeld maar hij ligt er nog steeds"
        ));
        assert!(says_not_received(
            "de bank en de kast staan er nog altijd, komen ze nog?"
        ));
        assert!(says_not_received("en er staat nog steeds niks"));
        let aspects = asked("de bank staat er nog steeds, wat nu");
        assert!(aspects.contains(Aspect::Status), "{aspects:?}");
        // Where a person is registered is the story; so is a thing that is there for good.
        assert!(!says_not_received(
            "de vorige huurder staat nog steeds ingeschreven"
        ));
        assert!(!says_not_received(
            "er staat een bankje, mag dat er nog staan?"
        ));
        assert!(!asked("de vorige huurder staat nog steeds ingeschreven").contains(Aspect::Status));
        // "Ligt de tegel er nog steeds? Meld het opnieuw": an article that says what to do.
        let followed = article(
            "Tegel los",
            &[],
            "Ligt de tegel er nog steeds? Meld het opnieuw.",
        );
        assert!(followed.contains(Aspect::Status));
    }

    #[test]
    fn a_missing_place_weighs_in_while_a_missing_number_or_period_caps() {
        let terrace = article("Terras", &[], "Vraag het aan via de website.");
        let place = asked("waar staat het loket").without(terrace);
        assert_eq!(place.iter().collect::<Vec<_>>(), [Aspect::Where]);
        assert!(place.capping().is_empty());
        let asked = asked("wat kost het en hoe lang duurt het");
        let missing = asked.without(terrace);
        assert_eq!(
            missing.capping().iter().collect::<Vec<_>>(),
            [Aspect::Duration, Aspect::Amount]
        );
        assert_eq!(
            serde_json::to_string(&missing).expect("serialises"),
            r#"["cost","duration","amount"]"#
        );
    }

    #[test]
    fn how_many_asks_the_number_of_the_word_after_it() {
        assert_eq!(
            counted_asked("Hoeveel getuigen mag ik meenemen?").as_deref(),
            Some("getuigen")
        );
        assert_eq!(
            counted_asked("hoe veel tafels passen er").as_deref(),
            Some("tafels")
        );
        assert_eq!(
            counted_asked("How many guests can we invite?").as_deref(),
            Some("guests")
        );
        assert_eq!(counted_asked("wat kost een terras"), None);
        // "te veel" asks nothing.
        assert_eq!(counted_asked("er staan te veel tafels"), None);
    }

    #[test]
    fn a_text_counts_the_words_after_its_numbers_within_a_sentence() {
        let counted = counted_in(
            "U krijgt 5 minuten spreektijd. Bel 14 0347. Inspreken kan tot 12.00 uur.\n\
             Met incasso betaalt u in tien maandelijkse termijnen. Een tafel kost € 3.",
        );
        let counted: Vec<&str> = counted.iter().map(|w| &**w).collect();
        for word in ["minuten", "spreektijd", "maandelijkse", "termijnen"] {
            assert!(counted.contains(&word), "{word}: {counted:?}");
        }
        // A sentence's end, a time of day, a phone number and "een" count nothing.
        for word in ["bel", "inspreken", "uur", "tafel", "met"] {
            assert!(!counted.contains(&word), "{word}: {counted:?}");
        }
    }

    #[test]
    fn a_price_asked_is_of_the_words_right_after_the_question() {
        let priced = |message: &str| asked_fully(message).priced;
        assert_eq!(
            priced("wat kost zo'n tuinhuis bij de bouwmarkt?"),
            ["tuinhuis"]
        );
        assert_eq!(priced("Hoe hoog is de boete als ik te laat ben"), ["boet"]);
        // Both of two options, a diminutive's base, and past the words for a price.
        assert_eq!(
            priced("wat kosten de leges voor een ritje of een pasje?"),
            ["rit", "pas"]
        );
        assert_eq!(
            priced("How much does a parking permit cost?"),
            ["parking", "permit"]
        );
        // "het" before a verb or nothing, a question word, a pronoun: nothing is named.
        for message in [
            "wat kost het om te trouwen",
            "wat kost dat en hoe snel heb ik het",
            "how much is it",
            "hoe hoog mag een schutting zijn",
            "hoeveel kost het?",
        ] {
            assert!(priced(message).is_empty(), "{message}");
        }
    }

    #[test]
    fn a_price_asked_of_something_the_article_does_not_price_is_not_given() {
        let lacks = |title: &str, keywords: &[&str], body: &str, message: &str| {
            let keywords: Vec<String> = keywords.iter().map(|k| k.to_string()).collect();
            let coverage = covered_by(title, &keywords, &[], body);
            (coverage.lacking(&asked_fully(message))).contains(Aspect::Amount)
        };
        let body = "Een tuinhuis tot 10 m² bouwt u zonder vergunning.\n\
                    - Leges: € 120 per aanvraag.\n\
                    Wie bouwt zonder vergunning, krijgt een last onder dwangsom.";
        // The article's subject is what its prices are of, and so is what a price names.
        assert!(!lacks(
            "Schuur of tuinhuis bouwen",
            &[],
            body,
            "wat kost een tuinhuis"
        ));
        assert!(!lacks(
            "Bouwen",
            &[],
            body,
            "wat kosten de leges voor de aanvraag?"
        ));
        assert!(!lacks(
            "Bouwen",
            &["schuurtje"],
            body,
            "wat kost een schuurtje"
        ));
        // A fine the article names but never prices is not given by the leges.
        assert!(lacks(
            "Bouwen",
            &[],
            body,
            "hoe hoog is de dwangsom als ik toch bouw"
        ));
        assert!(lacks("Bouwen", &[], body, "wat kost een carport"));
        // "Paspoort: € 84" is one fact, though a colon ends a sentence elsewhere.
        let passport = "- Paspoort: € 84,80\n- Noodpaspoort: haalt u bij de marechaussee.";
        assert!(!lacks(
            "Reisdocumenten",
            &[],
            passport,
            "wat kost een paspoort"
        ));
        assert!(lacks(
            "Reisdocumenten",
            &[],
            passport,
            "wat kost een noodpaspoort"
        ));
        // Without any price, the amount is lacking anyway; naming nothing, it is not judged.
        assert!(!lacks("Bouwen", &[], body, "wat kost het om te bouwen"));
    }

    #[test]
    fn a_number_asked_is_given_by_a_sum_of_money_or_a_count_of_what_is_asked() {
        let priced = "De leges zijn € 120 per jaar.";
        let counted = "Op een terras passen hooguit 8 tafels.";
        // A sum of money answers what it costs, a count of tables how many tables.
        assert!(!lacks_amount(priced, "hoeveel kost een terras"));
        assert!(lacks_amount(counted, "hoeveel kost een terras"));
        assert!(!lacks_amount(
            counted,
            "hoeveel tafels passen er op een terras"
        ));
        assert!(lacks_amount(
            "Vraag het online aan.",
            "hoeveel tafels passen er"
        ));
        // A compound counts its head; "hoeveel keer" asks any count.
        assert!(!lacks_amount(
            "U krijgt 3 statafels.",
            "hoeveel tafels mag ik"
        ));
        assert!(!lacks_amount(counted, "in hoeveel keer mag ik betalen"));
    }

    #[test]
    fn a_number_of_weeks_asked_is_given_by_a_period_not_by_a_sum_of_money() {
        let asked = "hoeveel weken van tevoren moet ik het terras aanvragen";
        assert!(lacks_amount("De leges zijn € 120 per jaar.", asked));
        assert!(!lacks_amount(
            "Vraag het uiterlijk 6 weken van tevoren aan.",
            asked
        ));
        assert!(!lacks_amount("U hoort het binnen twee maanden.", asked));
    }

    #[test]
    fn an_opinion_asked_needs_an_article_that_advises() {
        for message in [
            "welke trouwlocatie raden jullie aan voor 80 gasten?",
            "zijn zonnepanelen nog de moeite waard?",
            "wat is beter voor het milieu: composteren of de groene bak?",
            "Which is better, the castle or the town hall?",
            // A judgement between two options asks an opinion too.
            "is een bakfiets veiliger dan een fietskar voor kinderen?",
            "heb ik met een cursus meer kans op een baan dan zonder?",
            "is a scooter safer than a bike?",
        ] {
            assert!(asked(message).contains(Aspect::Advice), "{message}");
        }
        // Asking how, or what it is like, asks no opinion.
        assert!(!asked("hoe vraag ik een trouwlocatie aan").contains(Aspect::Advice));
        assert!(
            !asked("het gaat beter met mijn moeder, stopt de hulp nu?").contains(Aspect::Advice)
        );
        let facts = article("Trouwlocaties", &[], "In het kasteel passen 60 gasten.");
        let advice = article(
            "Erkennen",
            &[],
            "Dat kan vóór de geboorte (aanbevolen) of erna.",
        );
        let compares = article(
            "Vervoer",
            &[],
            "Met de scootmobiel bent u vaak beter dan met de taxi op tijd.",
        );
        assert!(!facts.contains(Aspect::Advice));
        assert!(advice.contains(Aspect::Advice));
        assert!(compares.contains(Aspect::Advice));
        // Which option to take is a judgement too.
        for message in [
            "wat is voor haar de betere keuze: een traplift of verhuizen?",
            "is het slimmer om mijn eigen naam te houden?",
            "waar hebben we meer aan, de pas of de verzekering",
            "wat zijn de voor- en nadelen van een bakfiets",
            // Which option pays off.
            "wat is voordeliger, een bakfiets of een fietskar?",
            "we willen eerst de voordeligste regelen",
        ] {
            assert!(asked(message).contains(Aspect::Advice), "{message}");
        }
    }

    #[test]
    fn weighing_two_options_asks_a_judgement() {
        for message in [
            "wat is goedkoper, een spoedaanvraag of een noodpaspoort op het vliegveld?",
            "is het goedkoper om ze via de bezoekersregeling te laten parkeren of in de garage?",
            "gaat het sneller als ik het via de huisarts regel of via het wijkteam?",
            "kan ik beter zelf een regeling treffen of me aanmelden bij jullie?",
            "is een uittreksel aan de balie duurder dan online?",
            "Is it cheaper to park at the station or in the garage?",
        ] {
            assert!(asked(message).contains(Aspect::Advice), "{message}");
        }
        // A comparative with nothing to weigh it against asks no judgement, nor does an
        // alternative in another sentence.
        for message in [
            "kan ik met de stadspas goedkoper zwemmen?",
            "kan het sneller?",
            "het moet sneller. Kunt u bellen of mailen?",
            "ik ben dan beter bereikbaar",
        ] {
            assert!(!asked(message).contains(Aspect::Advice), "{message}");
        }
    }

    #[test]
    fn a_discount_is_answered_by_a_text_that_names_one() {
        for message in [
            "krijg ik korting op de afvalstoffenheffing als ik weinig afval heb?",
            "is er een kortingsregeling voor ouderen",
            "Is there a discount for students?",
            "kan ik minder betalen als mijn bak bijna leeg is",
        ] {
            assert!(asked(message).contains(Aspect::Discount), "{message}");
        }
        assert!(!asked("wat kost de afvalstoffenheffing").contains(Aspect::Discount));
        assert!(Aspect::Discount.caps());
        let price = article(
            "Afvalstoffenheffing",
            &[],
            "Een huishouden betaalt € 312 per jaar.",
        );
        assert!(!price.contains(Aspect::Discount));
        for body in [
            "Met een laag inkomen kunt u kwijtschelding aanvragen.",
            "Met de stadspas krijgt u 50% korting.",
        ] {
            assert!(
                article("Heffing", &[], body).contains(Aspect::Discount),
                "{body}"
            );
        }
    }

    #[test]
    fn how_long_something_is_valid_is_answered_by_a_period_it_is_valid_for() {
        for message in [
            "hoe lang is een verklaring eigenlijk geldig?",
            "Hoelang blijft de code geldig, ik was hem vergeten",
            "How long is the permit valid?",
            "wat is de geldigheidsduur van de pas",
        ] {
            assert!(asked(message).contains(Aspect::Validity), "{message}");
        }
        // How long it takes, or "geldig" outside that question, asks no validity.
        for message in [
            "hoe lang duurt een aanvraag",
            "mijn pas is nog geldig tot maart. hoe lang duurt een nieuwe?",
            "neem ik een geldig paspoort mee?",
        ] {
            assert!(!asked(message).contains(Aspect::Validity), "{message}");
        }
        let valid_for = |body: &str| article("Pas", &[], body).contains(Aspect::Validity);
        assert!(valid_for("De pas is 10 jaar geldig."));
        assert!(valid_for("Haal een tijdelijke pas (4 weken geldig) op."));
        assert!(valid_for("De vergunning blijft onbeperkt geldig."));
        // A period something takes, or a valid document to bring, is not how long it is valid.
        assert!(!valid_for(
            "U krijgt de pas binnen 5 werkdagen. Neem een geldig paspoort mee."
        ));
        assert!(!valid_for(
            "Na de melding is uw oude pas ongeldig, ook na 2 weken."
        ));
        // An example question that asks it shows the article answers it.
        let asks = article("Pas", &["hoe lang is de pas geldig"], "Vraag de pas aan.");
        assert!(asks.contains(Aspect::Validity));
    }

    #[test]
    fn another_municipality_is_answered_only_by_an_article_that_says_what_holds_there() {
        for message in [
            "ik woon in een andere gemeente, kan ik hier toch een pas krijgen?",
            "bij welke gemeente moet ik de toeslag aanvragen",
            "mag ik met de pas ook naar de milieustraat van de buurgemeente",
            "We are moving to another municipality, does the care continue?",
        ] {
            assert!(asked(message).contains(Aspect::Elsewhere), "{message}");
        }
        // The municipality itself is no other one.
        assert!(!asked("moet ik dat bij de gemeente melden?").contains(Aspect::Elsewhere));
        let elsewhere = |body: &str| article("Pas", &[], body).contains(Aspect::Elsewhere);
        assert!(elsewhere(
            "Verhuist u naar een andere gemeente? Dan vervalt de pas."
        ));
        assert!(elsewhere("De pas is alleen voor inwoners van de gemeente."));
        assert!(!elsewhere(
            "Vraag de pas aan bij de gemeente. U krijgt hem thuisgestuurd."
        ));
        let asks = article(
            "Pas",
            &["geldt de pas ook in een andere gemeente"],
            "Vraag hem aan.",
        );
        assert!(asks.contains(Aspect::Elsewhere));
    }

    #[test]
    fn a_supposed_situation_is_answered_only_by_an_article_whose_questions_suppose_one() {
        for message in [
            "stel dat de trouwambtenaar ziek wordt, gaat de ceremonie dan door?",
            "Hypothetische vraag: als iemand over de tegel valt, ben ik dan aansprakelijk?",
            "What if my flight is cancelled, can I still vote by proxy?",
        ] {
            assert!(asked(message).contains(Aspect::Hypothetical), "{message}");
        }
        // "stel" alone is a verb ("ik stel een vraag"), and "als" a plain condition.
        assert!(!asked("ik stel het op prijs als u belt").contains(Aspect::Hypothetical));
        let states = article(
            "Trouwen",
            &["hoe plan ik mijn ceremonie"],
            "Als de trouwambtenaar ziek is, regelen wij een vervanger.",
        );
        let supposes = article(
            "Buren",
            &["stel dat mijn buren niet mee willen doen, wat dan?"],
            "Buurtbemiddeling is vrijwillig.",
        );
        assert!(!states.contains(Aspect::Hypothetical));
        assert!(supposes.contains(Aspect::Hypothetical));
    }

    #[test]
    fn a_price_question_asks_for_cost() {
        let aspects = asked("Wat kost een vergunning voor een terras?");
        assert!(aspects.contains(Aspect::Cost));
        assert!(!aspects.contains(Aspect::Where));
    }

    #[test]
    fn aspects_match_whole_words_only() {
        // "kostuum" is not "kost", "waarom" is not "waar".
        let aspects = asked("waarom is mijn kostuum weg");
        assert!(aspects.is_empty(), "{aspects:?}");
    }

    #[test]
    fn duration_when_where_allowed_and_documents_are_told_apart() {
        assert!(asked("hoe lang duurt dat?").contains(Aspect::Duration));
        assert!(asked("wanneer wordt de bak geleegd").contains(Aspect::When));
        // The chat spelling asks the same.
        assert!(asked("wnr wordt de bak geleegd").contains(Aspect::When));
        assert!(asked_fully("hoe vroeg moet de bak buiten?").day_or_time);
        assert!(asked("waar kan ik dat inleveren").contains(Aspect::Where));
        assert!(asked("mag ik een schuur bouwen").contains(Aspect::Allowed));
        assert!(asked("welke papieren moet ik meenemen").contains(Aspect::Documents));
        assert!(asked("hoe vraag ik dat aan").contains(Aspect::Apply));
    }

    #[test]
    fn an_article_with_an_amount_covers_cost_and_one_without_does_not() {
        let priced = article("Terrasvergunning", &[], "De leges zijn €45,- per jaar.");
        let unpriced = article("Terrasvergunning", &[], "Vraag de vergunning online aan.");
        assert!(priced.contains(Aspect::Cost));
        assert!(!unpriced.contains(Aspect::Cost));
        assert!(unpriced.contains(Aspect::Apply));
    }

    #[test]
    fn an_example_question_asking_an_aspect_covers_it() {
        let plain = article("Grofvuil", &[], "U kunt grofvuil laten ophalen.");
        let asked_where = article(
            "Grofvuil",
            &["Waar breng ik grofvuil heen?"],
            "Zie hieronder.",
        );
        assert!(!plain.contains(Aspect::Where));
        assert!(asked_where.contains(Aspect::Where));
    }

    #[test]
    fn a_message_set_abroad_needs_an_article_that_deals_with_abroad() {
        let asked = asked("mijn vader is tijdens zijn vakantie in Griekenland overleden");
        assert!(asked.contains(Aspect::Abroad));
        // Accents left out, names of two words, English.
        assert!(super::asked("we verhuizen naar nieuw-zeeland").contains(Aspect::Abroad));
        assert!(super::asked("ik woon in oekraine").contains(Aspect::Abroad));
        assert!(super::asked("I moved here from Poland").contains(Aspect::Abroad));
        assert!(!super::asked("ik ga verhuizen naar de Kerkstraat").contains(Aspect::Abroad));
        let home = article(
            "Aangifte van overlijden",
            &[],
            "Bel 14 0347 voor een afspraak.",
        );
        let away = article(
            "Vertrek naar het buitenland",
            &[],
            "Meld uw vertrek binnen 5 dagen.",
        );
        let named = article("Paspoort", &[], "Reist u naar Turkije? Kijk op de website.");
        assert!(asked.without(home).contains(Aspect::Abroad));
        assert!(!asked.without(away).contains(Aspect::Abroad));
        assert!(!asked.without(named).contains(Aspect::Abroad));
    }

    #[test]
    fn a_question_for_an_amount_is_a_kind_of_its_own_unless_it_asks_the_cost() {
        let amount = Aspect::Amount as u16;
        assert_eq!(question_kinds("hoeveel uur hulp krijg ik per week"), amount);
        assert_eq!(question_kinds("hoe hoog mag de schutting"), amount);
        assert_eq!(question_kinds("How many bins can I get?"), amount);
        // "hoeveel kost" asks the cost, in English as well.
        let cost = Aspect::Cost as u16;
        assert_eq!(question_kinds("hoeveel kost een parkeervergunning"), cost);
        assert_eq!(question_kinds("How much does a parking permit cost?"), cost);
        assert_eq!(
            question_kinds("wanneer en waar"),
            Aspect::When as u16 | Aspect::Where as u16
        );
        // How long and when are one kind: a time.
        assert_eq!(
            question_kinds("hoe lang duurt het"),
            question_kinds("wanneer is het klaar")
        );
        // A yes/no question asks no kind.
        assert_eq!(question_kinds("krijg ik daar geld voor"), 0);
    }

    #[test]
    fn an_amount_is_covered_by_a_sum_of_money_or_an_example_question_asking_one() {
        let asked = asked("hoeveel krijgen de kinderen per ingeleverde boom");
        assert!(asked.contains(Aspect::Amount));
        assert!(super::asked("wat kost een aanmaning").contains(Aspect::Amount));
        assert!(super::asked("How much allowance do we get?").contains(Aspect::Amount));
        assert!(!super::asked("krijgen kinderen iets voor een boom").contains(Aspect::Amount));
        // Numbers that are not amounts: a time, a phone number.
        let timed = article(
            "Kerstbomen",
            &["wanneer halen jullie de kerstboom op"],
            "Leg de boom vóór 7.30 uur buiten. Kinderen krijgen een beloning. Bel 14 0347.",
        );
        let priced = article("Kerstbomen", &[], "Kinderen krijgen € 0,50 per boom.");
        let asked_amount = article(
            "Kerstbomen",
            &["hoeveel krijgen kinderen per boom"],
            "Kinderen krijgen een beloning per boom.",
        );
        assert!(asked.without(timed).contains(Aspect::Amount));
        assert!(!asked.without(priced).contains(Aspect::Amount));
        assert!(!asked.without(asked_amount).contains(Aspect::Amount));
    }

    #[test]
    fn a_period_is_a_count_and_a_unit_not_a_time_of_day() {
        let period = |body: &str| article("Melding", &[], body).contains(Aspect::Duration);
        assert!(period("U krijgt binnen 8 weken een besluit."));
        assert!(period("Een spoedaanvraag is na een werkdag klaar."));
        assert!(!period(
            "Loop binnen in de bibliotheek, di 10.00-12.00 uur."
        ));
        assert!(!period("Dit kan enige weken duren."));
        // An example question asking how long covers it as before.
        assert!(
            article("Melding", &["hoe lang duurt het"], "Meld het.").contains(Aspect::Duration)
        );
    }

    #[test]
    fn a_deadline_answers_when_something_must_be_done() {
        let asked = asked_fully("wanneer moet ik mijn verhuizing doorgeven?");
        let lacking = |body: &str| coverage("Verhuizing", &[], body).lacking(&asked);
        assert!(!lacking("Geef uw verhuizing binnen 5 dagen door.").contains(Aspect::When));
        assert!(lacking("Geef uw verhuizing online door.").contains(Aspect::When));
        // A day or a time of day is no period.
        let day = asked_fully("op welke dag wordt de groene bak geleegd?");
        assert!(day.day_or_time);
        let lacking = |body: &str| coverage("Groene bak", &[], body).lacking(&day);
        assert!(lacking("U krijgt de bak binnen 2 weken.").contains(Aspect::When));
        assert!(!lacking("De bak wordt op dinsdag geleegd.").contains(Aspect::When));
        assert!(!asked_fully("wanneer moet ik het doorgeven?").day_or_time);
    }

    #[test]
    fn a_text_that_says_no_permit_is_needed_answers_whether_it_is_allowed() {
        let asked = asked_fully("mogen wij zonder vergunning zonnepanelen op het dak leggen?");
        assert!(asked.aspects.contains(Aspect::Allowed));
        let lacking = |body: &str| coverage("Zonnepanelen", &[], body).lacking(&asked);
        assert!(!lacking("Zonnepanelen zijn meestal vergunningvrij.").contains(Aspect::Allowed));
        assert!(lacking("Zonnepanelen leveren stroom op.").contains(Aspect::Allowed));
    }

    #[test]
    fn english_and_chat_questions_ask_the_same_aspects() {
        assert!(asked("How long does it take?").contains(Aspect::Duration));
        assert!(asked("hoe snel krijg ik antwoord").contains(Aspect::Duration));
        assert!(asked("When is the market?").contains(Aspect::When));
        assert!(asked("Where can I drop off old paint?").contains(Aspect::Where));
        assert!(asked("What documents do I need to bring?").contains(Aspect::Documents));
        assert!(asked("Am I allowed to park here?").contains(Aspect::Allowed));
        assert!(asked("How do I apply for a permit?").contains(Aspect::Apply));
        // "whenever" is not "when", "somewhere" not "where".
        assert!(asked("call me whenever, somewhere").is_empty());
    }

    /// Whether `message` asks the state of one's own case.
    fn status(message: &str) -> bool {
        asked(message).contains(Aspect::Status)
    }

    #[test]
    fn a_question_whether_ones_own_case_was_decided_yet_asks_its_status() {
        assert!(status(
            "is mn dakkapelvergunning al verleend? aangevraagd in mei"
        ));
        assert!(status(
            "Kunt u laten weten of mijn verzoek inmiddels is behandeld."
        ));
        assert!(status(
            "heb in juni een bezwaar ingediend. is er al een besluit"
        ));
        assert!(status("Has my application been approved yet?"));
        assert!(status(
            "Graag verneem ik de stand van zaken van mijn aanvraag."
        ));
        assert!(status("hoe staat het met mijn bezwaar tegen de WOZ"));
        // Told as the story, not asked.
        assert!(!status(
            "de vergunning is al verleend, waar hang ik de kaart op?"
        ));
        // Asked, but not whether it happened yet.
        assert!(!status(
            "hoe lang duurt het voordat mijn aanvraag is behandeld?"
        ));
        assert!(!status("wordt mijn aanvraag ook in het weekend behandeld?"));
    }

    #[test]
    fn a_message_that_something_did_not_come_asks_how_its_own_case_stands() {
        assert!(status(
            "2 maanden terug bezwaar gemaakt en nog niks gehoord, wat nu"
        ));
        assert!(status(
            "Ik heb nog geen besluit ontvangen. Welke stappen kan ik zetten?"
        ));
        assert!(status("mijn paspoort is nog steeds niet klaar"));
        assert!(status("uitkering is nog niet binnen, hoe kan dat"));
        assert!(status("My new card never arrived, I have not received it"));
        assert!(status(
            "3 weken geleden aangevraagd maar nog steeds geen mail met een link"
        ));
        assert!(status("Bij wie kan ik navragen hoe het ervoor staat?"));
        // The words apart, in other clauses, or a denial of something else.
        assert!(!status("ik heb geen DigiD. Ontvangen jullie ook post?"));
        assert!(!status(
            "nog steeds geen baan gevonden, kan ik bijstand krijgen"
        ));
        assert!(!status("ik heb nooit een eigen paspoort gehad"));
        // No news awaited: "geen post" without "nog" is a fact of the story.
        assert!(!status(
            "ik heb geen post ontvangst hier, kan het per mail?"
        ));
        assert!(!status("ik heb nog geen containers, hoe vraag ik die aan"));
        // "Binnen" a period or a place is no "in".
        assert!(!status("ik heb mijn bezwaar niet binnen 6 weken ingediend"));
        assert!(!status("de kat komt niet meer naar binnen"));
        // Asking the period, the waiting is the story: the period answers it.
        assert!(!status(
            "al 8 weken niks gehoord, binnen welke termijn moet u beslissen?"
        ));
    }

    #[test]
    fn the_status_is_covered_by_a_text_on_what_to_do_when_something_did_not_come() {
        let asked = asked("ik heb mijn stempas nog niet gekregen");
        let plain = article(
            "Stempas",
            &[],
            "U krijgt de stempas per post. Neem hem mee.",
        );
        let covering = article(
            "Stempas",
            &[],
            "Geen stempas ontvangen? Vraag een vervangende stempas aan.",
        );
        assert!(asked.without(plain).contains(Aspect::Status));
        assert!(!asked.without(covering).contains(Aspect::Status));
    }

    #[test]
    fn the_status_is_covered_by_a_text_that_tells_how_to_follow_a_case_or_a_question_asking_it() {
        let asked = asked("is mijn melding al behandeld?");
        let plain = article("Melding", &[], "Meld het online. Wij lossen het op.");
        let followed = article("Melding", &[], "U volgt de status in de app.");
        let asking = article(
            "Melding",
            &["is mijn melding al afgehandeld"],
            "Meld het online.",
        );
        assert!(asked.without(plain).contains(Aspect::Status));
        assert!(!asked.without(followed).contains(Aspect::Status));
        assert!(!asked.without(asking).contains(Aspect::Status));
    }

    #[test]
    fn missing_aspects_are_those_asked_and_not_covered() {
        let asked = asked("wat kost het en waar moet ik heen");
        let article = article("Loket", &[], "Het stadhuis is open op maandag.");
        let missing = asked.without(article);
        assert!(missing.contains(Aspect::Cost));
        assert!(!missing.contains(Aspect::Where));
    }
}
