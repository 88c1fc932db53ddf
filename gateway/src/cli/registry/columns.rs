//! The columns of each registry, described once: name (the import file's header and the admin
//! API's JSON key), Swedish label, shape, whether it is required, the values it allows and a
//! Swedish help text. The import file's header ([`RegistryKind::columns`]), the admin API's
//! `registryColumns` and the admin pages' registry form are all read from here, so a new
//! column is described in one place. What a value must be is still decided by the import's
//! own code (`file::read`); this says how to write it.

use vuxnav_schema::{
    Channel, FigureSource, GuidanceKind, Payer, PriceUnit, Region, SchoolForm, TargetGroup, ValidationKind,
};

use super::file::RegistryKind;

/// How a column's value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    /// A whole number.
    Integer,
    /// A decimal number with a point, such as `48.50`.
    Decimal,
    /// A date such as `2026-08-17`.
    Date,
    /// `true` or `false`.
    Boolean,
    /// One of [`Column::values`].
    Choice,
    /// Any number of [`Column::values`] (a list).
    Choices,
    /// A list of free texts.
    List,
    /// A list of openings such as `Mon 08:00-16:00`, several a day allowed.
    OpeningHours,
}

/// Where a column's allowed values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codes {
    /// Any value of its shape.
    Free,
    ValidationKind,
    Payer,
    GuidanceKind,
    Channel,
    TargetGroup,
    SchoolForm,
    PriceUnit,
    FigureSource,
    /// A municipality of the region.
    Municipality,
    /// A municipality of the region, or `*` for all of them.
    Party,
}

/// One column of a registry's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    /// The Swedish label.
    pub label: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub codes: Codes,
    /// How to fill it in, in Swedish.
    pub help: &'static str,
}

/// An allowed value and its Swedish label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowed {
    pub value: String,
    pub label: String,
}

impl Column {
    /// The values the column allows, in `region`; empty when any value of its shape is.
    pub fn values(&self, region: &Region) -> Vec<Allowed> {
        fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Allowed> {
            all.iter().map(|v| Allowed { value: code(*v).to_owned(), label: label(*v).to_owned() }).collect()
        }
        let municipalities = || {
            region
                .municipalities()
                .iter()
                .map(|code| Allowed { value: code.as_str().to_owned(), label: code.municipality().name.to_owned() })
        };
        match self.codes {
            Codes::Free => Vec::new(),
            Codes::ValidationKind => codes(ValidationKind::ALL, ValidationKind::code, ValidationKind::label),
            Codes::Payer => codes(Payer::ALL, Payer::code, Payer::label),
            Codes::GuidanceKind => codes(GuidanceKind::ALL, GuidanceKind::code, GuidanceKind::label),
            Codes::Channel => codes(Channel::ALL, Channel::code, Channel::label),
            Codes::TargetGroup => codes(TargetGroup::ALL, TargetGroup::code, TargetGroup::label),
            Codes::SchoolForm => codes(SchoolForm::ALL, SchoolForm::code, SchoolForm::label),
            Codes::PriceUnit => codes(PriceUnit::ALL, PriceUnit::code, PriceUnit::label),
            Codes::FigureSource => codes(FigureSource::ALL, FigureSource::code, FigureSource::label),
            Codes::Municipality => municipalities().collect(),
            Codes::Party => std::iter::once(Allowed { value: "*".to_owned(), label: "Hela regionen".to_owned() })
                .chain(municipalities())
                .collect(),
        }
    }
}

const fn column(name: &'static str, label: &'static str, shape: Shape, required: bool, help: &'static str) -> Column {
    Column { name, label, shape, required, codes: Codes::Free, help }
}

const fn coded(
    name: &'static str,
    label: &'static str,
    shape: Shape,
    required: bool,
    codes: Codes,
    help: &'static str,
) -> Column {
    Column { name, label, shape, required, codes, help }
}

const KEY: Column = column(
    "key",
    "Nyckel",
    Shape::Text,
    true,
    "Postens namn i registret: 1–64 tecken av a–z, 0–9, -, _ och punkt. Går inte att ändra efteråt.",
);

const OCCUPATION_LINKS: &[Column] = &[
    column("course_code", "Kurskod", Shape::Text, true, "Kursens eller yrkespaketets kod, till exempel YVUSK."),
    column(
        "occupation_id",
        "Yrke (taxonomi-id)",
        Shape::Text,
        true,
        "Yrkets id i JobTechs yrkestaxonomi, till exempel Y3QA_5pk_uXd.",
    ),
];

const VALIDATION_OFFERS: &[Column] = &[
    KEY,
    coded(
        "kind",
        "Typ",
        Shape::Choice,
        true,
        Codes::ValidationKind,
        "Validering mot en kurs eller mot en branschmodell.",
    ),
    column("title", "Rubrik", Shape::Text, true, "Det invånarna ser, till exempel ”Prövning i vård och omsorg”."),
    column("course_codes", "Kurskoder", Shape::List, false, "En kurskod per rad. Minst en vid validering mot kurs."),
    column("occupations", "Yrken (taxonomi-id)", Shape::List, false, "Ett yrkes-id per rad."),
    column("industry_model", "Branschmodell", Shape::Text, false, "Krävs vid branschvalidering."),
    column("industry_model_owner", "Branschmodellens ägare", Shape::Text, false, "Krävs med en branschmodell."),
    column("seqf_level", "SeQF-nivå", Shape::Integer, false, "1 till 8."),
    column("provider", "Anordnare", Shape::Text, true, "Vem som genomför valideringen."),
    coded(
        "municipalities",
        "Kommuner",
        Shape::Choices,
        true,
        Codes::Municipality,
        "De kommuner vars invånare erbjudandet gäller.",
    ),
    column(
        "languages",
        "Språk",
        Shape::List,
        false,
        "En språkkod enligt ISO 639-2 per rad, till exempel swe, ara, som.",
    ),
    column("cost_sek", "Kostnad (kronor)", Shape::Integer, false, "Vad valideringen kostar, i hela kronor."),
    coded("paid_by", "Betalas av", Shape::Choice, true, Codes::Payer, "Vem som betalar kostnaden."),
    column("contact", "Kontakt", Shape::Text, true, "En webbadress, e-postadress eller ett telefonnummer."),
    column("valid_from", "Gäller från", Shape::Date, true, "Datum som 2026-08-17."),
    column("valid_to", "Gäller till", Shape::Date, false, "Datum som 2026-12-31; tomt om tills vidare."),
];

const GUIDANCE_SERVICES: &[Column] = &[
    KEY,
    coded("kind", "Typ", Shape::Choice, true, Codes::GuidanceKind, "Vägledningscentrum eller lärcentrum."),
    column("name", "Namn", Shape::Text, true, "Det invånarna ser, till exempel ”Vägledningscentrum Huddinge”."),
    column("organiser", "Huvudman", Shape::Text, true, "Vem som driver verksamheten, till exempel Huddinge kommun."),
    coded(
        "municipalities",
        "Kommuner",
        Shape::Choices,
        true,
        Codes::Municipality,
        "De kommuner vars invånare får vägledning här.",
    ),
    coded("channels", "Kanaler", Shape::Choices, true, Codes::Channel, "Hur invånarna kan nå vägledningen."),
    column(
        "languages",
        "Språk",
        Shape::List,
        false,
        "En språkkod enligt ISO 639-2 per rad, till exempel swe, ara, som.",
    ),
    coded("target_groups", "Målgrupper", Shape::Choices, false, Codes::TargetGroup, "Vilka vägledningen är till för."),
    column("location_name", "Platsens namn", Shape::Text, false, "Till exempel ”Huddinge vuxenutbildning”."),
    column("street_address", "Gatuadress", Shape::Text, false, ""),
    column("postal_code", "Postnummer", Shape::Text, false, ""),
    column("town", "Ort", Shape::Text, false, ""),
    column("latitude", "Latitud", Shape::Decimal, false, "Med punkt, till exempel 59.2366. Anges med longituden."),
    column("longitude", "Longitud", Shape::Decimal, false, "Med punkt, till exempel 17.9818. Anges med latituden."),
    column("booking_url", "Bokningslänk", Shape::Text, false, "Webbadress där invånare bokar tid."),
    column("phone", "Telefon", Shape::Text, false, ""),
    column(
        "opening_hours",
        "Öppettider",
        Shape::OpeningHours,
        false,
        "Per veckodag, som 08:00-16:00; flera tider samma dag med komma emellan. Tomt när det är stängt.",
    ),
    column(
        "draws_up_study_plan",
        "Upprättar individuell studieplan",
        Shape::Boolean,
        true,
        "Om vägledningen upprättar individuella studieplaner.",
    ),
];

const PRICES: &[Column] = &[
    KEY,
    coded("payer", "Betalare", Shape::Choice, true, Codes::Party, "Hemkommunen som betalar, eller hela regionen."),
    coded("provider", "Anordnare", Shape::Choice, true, Codes::Party, "Kommunen som anordnar, eller hela regionen."),
    coded("school_form", "Skolform", Shape::Choice, true, Codes::SchoolForm, ""),
    column(
        "course_code",
        "Kurskod",
        Shape::Text,
        false,
        "Priset gäller en kurs eller ett paket; tomt för hela skolformen.",
    ),
    coded("unit", "Per", Shape::Choice, true, Codes::PriceUnit, "Vad priset räknas per."),
    column("amount_sek", "Belopp (kronor)", Shape::Decimal, true, "Med punkt, till exempel 48.00."),
    column("valid_from", "Gäller från", Shape::Date, true, "Datum som 2026-01-01."),
    column("valid_to", "Gäller till", Shape::Date, false, "Datum som 2026-12-31; tomt om tills vidare."),
    column("decision", "Beslut", Shape::Text, false, "Beslutets diarienummer; krävs när källan är ett beslut."),
    coded("source", "Källa", Shape::Choice, true, Codes::FigureSource, "Ett beslut, eller ett illustrativt pris."),
];

impl RegistryKind {
    /// This kind's columns, in the order an export writes them.
    pub fn describe(self) -> &'static [Column] {
        match self {
            Self::OccupationLinks => OCCUPATION_LINKS,
            Self::ValidationOffers => VALIDATION_OFFERS,
            Self::GuidanceServices => GUIDANCE_SERVICES,
            Self::Prices => PRICES,
        }
    }

    /// The names of this kind's columns, in the order an export writes them.
    pub fn columns(self) -> Vec<&'static str> {
        self.describe().iter().map(|column| column.name).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_coded_column_allows_values_and_every_free_one_none() {
        let region = Region::county("01").expect("Stockholm County");
        for kind in [
            RegistryKind::OccupationLinks,
            RegistryKind::ValidationOffers,
            RegistryKind::GuidanceServices,
            RegistryKind::Prices,
        ] {
            for column in kind.describe() {
                let values = column.values(&region);
                let coded = matches!(column.shape, Shape::Choice | Shape::Choices);
                assert_eq!(coded, !values.is_empty(), "{kind:?}.{}", column.name);
                assert_eq!(coded, column.codes != Codes::Free, "{kind:?}.{}", column.name);
            }
        }
    }

    #[test]
    fn a_party_is_the_whole_region_or_one_of_its_municipalities() {
        let region = Region::county("01").expect("Stockholm County");
        let payer = PRICES.iter().find(|c| c.name == "payer").expect("the payer column");
        let values = payer.values(&region);
        assert_eq!(values[0].value, "*");
        assert!(values.iter().any(|v| v.value == "0126" && v.label == "Huddinge"), "{values:?}");
        assert_eq!(values.len(), region.municipalities().len() + 1);
    }
}
