//! MDTO 1.0.2 (Metagegevens voor Duurzaam Toegankelijke Overheidsinformatie, Nationaal
//! Archief) records: an `informatieobject` for a conversation and a `bestand` for each file.
//!
//! The schema's sequences are strict, so each writer below emits its elements in exactly the
//! order of `MDTO-XML-1.0.2.xsd` (`objectType` first: identificatie, naam; then the type's own
//! sequence). Optional elements without a value are left out; text is escaped by quick-xml,
//! and characters XML 1.0 cannot carry at all (control characters) are dropped first.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// MDTO's namespace.
pub const NAMESPACE: &str = "https://www.nationaalarchief.nl/mdto";
const SCHEMA_LOCATION: &str =
    "https://www.nationaalarchief.nl/mdto https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.2.xsd";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identificatie {
    pub kenmerk: String,
    pub bron: String,
}

/// A reference to another object, by name and optionally by identification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verwijzing {
    pub naam: String,
    pub identificatie: Option<Identificatie>,
}

/// A term from a list of terms (begrippenlijst), such as a PRONOM format or a waardering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Begrip {
    pub label: String,
    pub code: Option<String>,
    /// The name of the list the term comes from.
    pub lijst: String,
}

impl Begrip {
    pub fn new(label: &str, code: Option<&str>, lijst: &str) -> Begrip {
        Begrip {
            label: label.into(),
            code: code.map(String::from),
            lijst: lijst.into(),
        }
    }
}

/// Something that happened to the record: received, answered, closed, destroyed.
#[derive(Debug, Clone)]
pub struct Gebeurtenis {
    pub kind: Begrip,
    pub at: DateTime<Utc>,
    pub actor: Option<Verwijzing>,
    pub result: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DekkingInTijd {
    pub kind: Begrip,
    pub begin: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// A term such as the retention term (bewaartermijn).
#[derive(Debug, Clone)]
pub struct Termijn {
    pub trigger: Option<Begrip>,
    pub start: Option<NaiveDate>,
    /// An xsd:duration (`P1Y`).
    pub looptijd: Option<String>,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct BeperkingGebruik {
    pub kind: Begrip,
    pub description: Option<String>,
}

/// An `informatieobject`: the conversation as a record.
#[derive(Debug, Clone)]
pub struct Informatieobject {
    pub identificatie: Identificatie,
    pub naam: String,
    pub aggregatieniveau: Option<Begrip>,
    pub classificatie: Vec<Begrip>,
    pub omschrijving: Option<String>,
    pub dekking_in_tijd: Option<DekkingInTijd>,
    pub taal: Vec<String>,
    pub events: Vec<Gebeurtenis>,
    pub waardering: Begrip,
    pub bewaartermijn: Option<Termijn>,
    pub informatiecategorie: Option<Begrip>,
    pub heeft_representatie: Vec<Verwijzing>,
    pub archiefvormer: Verwijzing,
    pub beperking_gebruik: Vec<BeperkingGebruik>,
}

/// A `bestand`: one file of a record, with its checksum.
#[derive(Debug, Clone)]
pub struct Bestand {
    pub identificatie: Identificatie,
    pub naam: String,
    pub omvang: u64,
    pub formaat: Begrip,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    pub checksum_at: DateTime<Utc>,
    pub is_representatie_van: Verwijzing,
}

/// The record as an MDTO XML document.
pub fn informatieobject_xml(object: &Informatieobject) -> io::Result<Vec<u8>> {
    document(|w| {
        element(w, "informatieobject", |w| {
            identificatie(w, "identificatie", &object.identificatie)?;
            text(w, "naam", &object.naam)?;
            if let Some(b) = &object.aggregatieniveau {
                begrip(w, "aggregatieniveau", b)?;
            }
            for b in &object.classificatie {
                begrip(w, "classificatie", b)?;
            }
            if let Some(o) = &object.omschrijving {
                text(w, "omschrijving", o)?;
            }
            if let Some(d) = &object.dekking_in_tijd {
                element(w, "dekkingInTijd", |w| {
                    begrip(w, "dekkingInTijdType", &d.kind)?;
                    text(w, "dekkingInTijdBegindatum", &d.begin.to_string())?;
                    if let Some(end) = d.end {
                        text(w, "dekkingInTijdEinddatum", &end.to_string())?;
                    }
                    Ok(())
                })?;
            }
            for t in &object.taal {
                text(w, "taal", t)?;
            }
            for e in &object.events {
                element(w, "event", |w| {
                    begrip(w, "eventType", &e.kind)?;
                    text(w, "eventTijd", &local_date_time(e.at))?;
                    if let Some(actor) = &e.actor {
                        verwijzing(w, "eventVerantwoordelijkeActor", actor)?;
                    }
                    if let Some(result) = &e.result {
                        text(w, "eventResultaat", result)?;
                    }
                    Ok(())
                })?;
            }
            begrip(w, "waardering", &object.waardering)?;
            if let Some(t) = &object.bewaartermijn {
                termijn(w, "bewaartermijn", t)?;
            }
            if let Some(b) = &object.informatiecategorie {
                begrip(w, "informatiecategorie", b)?;
            }
            for v in &object.heeft_representatie {
                verwijzing(w, "heeftRepresentatie", v)?;
            }
            verwijzing(w, "archiefvormer", &object.archiefvormer)?;
            for b in &object.beperking_gebruik {
                element(w, "beperkingGebruik", |w| {
                    begrip(w, "beperkingGebruikType", &b.kind)?;
                    if let Some(d) = &b.description {
                        text(w, "beperkingGebruikNadereBeschrijving", d)?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })
    })
}

/// The file's record as an MDTO XML document.
pub fn bestand_xml(file: &Bestand) -> io::Result<Vec<u8>> {
    document(|w| {
        element(w, "bestand", |w| {
            identificatie(w, "identificatie", &file.identificatie)?;
            text(w, "naam", &file.naam)?;
            text(w, "omvang", &file.omvang.to_string())?;
            begrip(w, "bestandsformaat", &file.formaat)?;
            element(w, "checksum", |w| {
                let algorithm =
                    Begrip::new("SHA256", None, "Begrippenlijst ChecksumAlgoritme MDTO");
                begrip(w, "checksumAlgoritme", &algorithm)?;
                text(w, "checksumWaarde", &file.sha256)?;
                text(w, "checksumDatum", &local_date_time(file.checksum_at))
            })?;
            verwijzing(w, "isRepresentatieVan", &file.is_representatie_van)
        })
    })
}

/// An xsd:dateTime in Dutch local time with its offset: `2026-12-02T10:15:00+01:00`.
pub fn local_date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&Amsterdam)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

type Xml = Writer<Vec<u8>>;

fn document(body: impl FnOnce(&mut Xml) -> io::Result<()>) -> io::Result<Vec<u8>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let root = BytesStart::new("MDTO").with_attributes([
        ("xmlns", NAMESPACE),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ("xsi:schemaLocation", SCHEMA_LOCATION),
    ]);
    w.write_event(Event::Start(root))?;
    body(&mut w)?;
    w.write_event(Event::End(BytesEnd::new("MDTO")))?;
    let mut bytes = w.into_inner();
    bytes.write_all(b"\n")?;
    Ok(bytes)
}

fn element(
    w: &mut Xml,
    name: &str,
    inner: impl FnOnce(&mut Xml) -> io::Result<()>,
) -> io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    inner(w)?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text(w: &mut Xml, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_chars(value)))?;
    Ok(())
}

fn identificatie(w: &mut Xml, name: &str, id: &Identificatie) -> io::Result<()> {
    element(w, name, |w| {
        text(w, "identificatieKenmerk", &id.kenmerk)?;
        text(w, "identificatieBron", &id.bron)
    })
}

fn verwijzing(w: &mut Xml, name: &str, v: &Verwijzing) -> io::Result<()> {
    element(w, name, |w| {
        text(w, "verwijzingNaam", &v.naam)?;
        match &v.identificatie {
            Some(id) => identificatie(w, "verwijzingIdentificatie", id),
            None => Ok(()),
        }
    })
}

fn begrip(w: &mut Xml, name: &str, b: &Begrip) -> io::Result<()> {
    element(w, name, |w| {
        text(w, "begripLabel", &b.label)?;
        if let Some(code) = &b.code {
            text(w, "begripCode", code)?;
        }
        verwijzing(
            w,
            "begripBegrippenlijst",
            &Verwijzing {
                naam: b.lijst.clone(),
                identificatie: None,
            },
        )
    })
}

fn termijn(w: &mut Xml, name: &str, t: &Termijn) -> io::Result<()> {
    element(w, name, |w| {
        if let Some(trigger) = &t.trigger {
            begrip(w, "termijnTriggerStartLooptijd", trigger)?;
        }
        if let Some(start) = t.start {
            text(w, "termijnStartdatumLooptijd", &start.to_string())?;
        }
        if let Some(looptijd) = &t.looptijd {
            text(w, "termijnLooptijd", looptijd)?;
        }
        if let Some(end) = t.end {
            text(w, "termijnEinddatum", &end.to_string())?;
        }
        Ok(())
    })
}

/// The text without the characters XML 1.0 forbids (controls other than tab and newlines,
/// U+FFFE and U+FFFF), which no escaping can carry.
fn xml_chars(value: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    };
    if value.chars().all(allowed) {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(value.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(kenmerk: &str) -> Identificatie {
        Identificatie {
            kenmerk: kenmerk.into(),
            bron: "vraagbaak".into(),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("a time")
    }

    #[test]
    fn a_bestand_lists_its_elements_in_the_schema_order() {
        let xml = bestand_xml(&Bestand {
            identificatie: id("gesprek-7/transcript.txt"),
            naam: "transcript.txt".into(),
            omvang: 1234,
            formaat: Begrip::new("Plain Text File", Some("x-fmt/111"), "PRONOM-register"),
            sha256: "ab".repeat(32),
            checksum_at: at("2026-07-01T08:00:00Z"),
            is_representatie_van: Verwijzing {
                naam: "Gesprek 7".into(),
                identificatie: Some(id("gesprek-7")),
            },
        })
        .expect("written");
        let xml = String::from_utf8(xml).expect("UTF-8");
        let order = [
            "<bestand>",
            "<identificatie>",
            "<naam>transcript.txt</naam>",
            "<omvang>1234</omvang>",
            "<begripCode>x-fmt/111</begripCode>",
            "<checksumWaarde>",
            // Summer time in Amsterdam.
            "<checksumDatum>2026-07-01T10:00:00+02:00</checksumDatum>",
            "<isRepresentatieVan>",
        ];
        let positions: Vec<usize> = order
            .iter()
            .map(|tag| {
                xml.find(tag)
                    .unwrap_or_else(|| panic!("{tag} missing in {xml}"))
            })
            .collect();
        assert!(positions.windows(2).all(|p| p[0] < p[1]), "{xml}");
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{xml}"
        );
        assert!(
            xml.contains("xmlns=\"https://www.nationaalarchief.nl/mdto\""),
            "{xml}"
        );
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let object = Informatieobject {
            identificatie: id("gesprek-1"),
            naam: "Vraag <over> \"afval\" & \u{1}glas".into(),
            aggregatieniveau: None,
            classificatie: vec![Begrip::new("klacht", None, "labels")],
            omschrijving: None,
            dekking_in_tijd: None,
            taal: vec!["nl".into()],
            events: Vec::new(),
            waardering: Begrip::new("vernietigen", Some("V"), "Begrippenlijst Waarderingen MDTO"),
            bewaartermijn: None,
            informatiecategorie: None,
            heeft_representatie: Vec::new(),
            archiefvormer: Verwijzing {
                naam: "Gemeente Dijkstede".into(),
                identificatie: None,
            },
            beperking_gebruik: Vec::new(),
        };
        let xml =
            String::from_utf8(informatieobject_xml(&object).expect("written")).expect("UTF-8");
        assert!(
            xml.contains("<naam>Vraag &lt;over&gt; &quot;afval&quot; &amp; glas</naam>"),
            "{xml}"
        );
        let (classificatie, taal, waardering, archiefvormer) = (
            xml.find("<classificatie>").expect("classificatie"),
            xml.find("<taal>nl</taal>").expect("taal"),
            xml.find("<waardering>").expect("waardering"),
            xml.find("<archiefvormer>").expect("archiefvormer"),
        );
        assert!(
            classificatie < taal && taal < waardering && waardering < archiefvormer,
            "{xml}"
        );
    }
}
