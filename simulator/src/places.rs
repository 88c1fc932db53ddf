//! Facts about the demo municipalities: rough populations (which set how much each offers),
//! approximate WGS 84 centres, study places and the kind of course system each one runs.
//!
//! Populations are rounded figures of the right size (SCB, early 2020s), not statistics to
//! quote. Centres are the main town's approximate centre. The study places are real district
//! and town names; the schools at them are invented.

use vuxnav_schema::Municipality;

use super::ConnectorKind;
use super::util::fnv1a;

/// Where in Stockholm County a municipality lies, for which private providers work there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Area {
    City,
    North,
    South,
    West,
    East,
    /// Outside Stockholm County (national scale only).
    Elsewhere,
}

/// A municipality of Stockholm County.
#[derive(Debug)]
pub(super) struct CountyMunicipality {
    pub code: &'static str,
    pub population: u32,
    pub centre: (f64, f64),
    /// The municipality as an organisation, as it names itself.
    pub organisation: &'static str,
    /// Its adult-education unit.
    pub unit: &'static str,
    pub kind: ConnectorKind,
    pub area: Area,
    /// Study places: (place, postal town).
    pub places: &'static [(&'static str, &'static str)],
}

use Area::*;
use ConnectorKind::*;

#[allow(clippy::too_many_arguments)]
const fn m(
    code: &'static str,
    population: u32,
    centre: (f64, f64),
    organisation: &'static str,
    unit: &'static str,
    kind: ConnectorKind,
    area: Area,
    places: &'static [(&'static str, &'static str)],
) -> CountyMunicipality {
    CountyMunicipality { code, population, centre, organisation, unit, kind, area, places }
}

/// The 26 municipalities of Stockholm County, by kommunkod.
#[rustfmt::skip]
pub(super) const STOCKHOLM_COUNTY: &[CountyMunicipality] = &[
    m("0114", 49_000, (59.518, 17.911), "Upplands Väsby kommun", "Vuxenutbildningen", SusaNavet, North,
        &[("Väsby centrum", "Upplands Väsby"), ("Runby", "Upplands Väsby"), ("Smedby", "Upplands Väsby")]),
    m("0115", 35_000, (59.534, 18.078), "Vallentuna kommun", "Lärcentrum", SusaNavet, North,
        &[("Vallentuna centrum", "Vallentuna"), ("Kårsta", "Vallentuna")]),
    m("0117", 47_000, (59.479, 18.299), "Österåkers kommun", "Komvux Österåker", SusaNavet, North,
        &[("Åkersberga", "Åkersberga"), ("Österskär", "Åkersberga")]),
    m("0120", 46_000, (59.327, 18.389), "Värmdö kommun", "Vuxenutbildningen", SusaNavet, East,
        &[("Gustavsberg", "Gustavsberg"), ("Hemmesta", "Värmdö")]),
    m("0123", 86_000, (59.423, 17.835), "Järfälla kommun", "Komvux Järfälla", Csv, West,
        &[("Jakobsberg", "Järfälla"), ("Barkarby", "Järfälla"), ("Kallhäll", "Järfälla")]),
    m("0125", 29_000, (59.291, 17.812), "Ekerö kommun", "Lärcentrum", SusaNavet, West,
        &[("Ekerö centrum", "Ekerö"), ("Stenhamra", "Stenhamra")]),
    m("0126", 115_000, (59.237, 17.982), "Huddinge kommun", "Vuxenutbildningscentrum", PlannedEducations, South,
        &[("Flemingsberg", "Huddinge"), ("Skogås", "Skogås"), ("Huddinge centrum", "Huddinge")]),
    m("0127", 97_000, (59.199, 17.833), "Botkyrka kommun", "Vuxenutbildningen", Csv, South,
        &[("Tumba", "Tumba"), ("Fittja", "Norsborg"), ("Alby", "Norsborg"), ("Hallunda", "Norsborg")]),
    m("0128", 17_500, (59.200, 17.765), "Salems kommun", "Lärcentrum", SusaNavet, South,
        &[("Salems centrum", "Salem"), ("Rönninge", "Rönninge")]),
    m("0136", 97_000, (59.168, 18.139), "Haninge kommun", "Komvux Haninge", PlannedEducations, South,
        &[("Handen", "Handen"), ("Jordbro", "Jordbro"), ("Brandbergen", "Haninge")]),
    m("0138", 49_000, (59.244, 18.229), "Tyresö kommun", "Vuxenutbildningen", SusaNavet, South,
        &[("Tyresö centrum", "Tyresö"), ("Trollbäcken", "Tyresö")]),
    m("0139", 30_000, (59.478, 17.752), "Upplands-Bro kommun", "Lärcentrum", SusaNavet, West,
        &[("Kungsängen", "Kungsängen"), ("Bro", "Bro")]),
    m("0140", 11_500, (59.178, 17.430), "Nykvarns kommun", "Vuxenutbildningen", SusaNavet, South,
        &[("Nykvarn centrum", "Nykvarn")]),
    m("0160", 75_000, (59.444, 18.069), "Täby kommun", "Komvux Täby", JsonApi, North,
        &[("Täby centrum", "Täby"), ("Näsbypark", "Täby"), ("Ensta", "Täby")]),
    m("0162", 33_000, (59.400, 18.035), "Danderyds kommun", "Vuxenutbildningen", SusaNavet, North,
        &[("Mörby", "Danderyd"), ("Djursholm", "Djursholm")]),
    m("0163", 76_000, (59.428, 17.951), "Sollentuna kommun", "Komvux Sollentuna", PlannedEducations, North,
        &[("Sollentuna centrum", "Sollentuna"), ("Rotebro", "Sollentuna"), ("Tureberg", "Sollentuna")]),
    m("0180", 985_000, (59.329, 18.069), "Stockholms stad", "Komvux Stockholm", Ss12000, City,
        &[
            ("Kista", "Kista"),
            ("Hägersten", "Hägersten"),
            ("Farsta", "Farsta"),
            ("Liljeholmen", "Stockholm"),
            ("Vällingby", "Vällingby"),
            ("Sveavägen", "Stockholm"),
            ("Skärholmen", "Skärholmen"),
            ("Rinkeby", "Spånga"),
            ("Södermalm", "Stockholm"),
            ("Fridhemsplan", "Stockholm"),
        ]),
    m("0181", 102_000, (59.196, 17.626), "Södertälje kommun", "Komvux Södertälje", Ss12000, South,
        &[("Södertälje centrum", "Södertälje"), ("Ronna", "Södertälje"), ("Hovsjö", "Södertälje"), ("Järna", "Järna")]),
    m("0182", 108_000, (59.310, 18.164), "Nacka kommun", "Vuxenutbildningen", JsonApi, East,
        &[("Sickla", "Nacka"), ("Fisksätra", "Saltsjöbaden"), ("Orminge", "Saltsjö-Boo"), ("Nacka strand", "Nacka")]),
    m("0183", 54_000, (59.361, 17.972), "Sundbybergs stad", "Vuxenutbildningen", Csv, West,
        &[("Sundbyberg centrum", "Sundbyberg"), ("Rissne", "Sundbyberg"), ("Hallonbergen", "Sundbyberg")]),
    m("0184", 85_000, (59.360, 18.001), "Solna stad", "Komvux Solna", Ss12000, West,
        &[("Solna centrum", "Solna"), ("Hagalund", "Solna"), ("Bergshamra", "Solna")]),
    m("0186", 48_000, (59.367, 18.133), "Lidingö stad", "Vuxenutbildningen", SusaNavet, East,
        &[("Lidingö centrum", "Lidingö"), ("Torsvik", "Lidingö")]),
    m("0187", 12_000, (59.402, 18.351), "Vaxholms stad", "Lärcentrum", SusaNavet, East,
        &[("Vaxholm centrum", "Vaxholm")]),
    m("0188", 64_000, (59.758, 18.705), "Norrtälje kommun", "Vuxenutbildningscentrum", PlannedEducations, North,
        &[("Norrtälje centrum", "Norrtälje"), ("Rimbo", "Rimbo"), ("Hallstavik", "Hallstavik")]),
    m("0191", 52_000, (59.622, 17.855), "Sigtuna kommun", "Komvux Sigtuna", PlannedEducations, North,
        &[("Märsta", "Märsta"), ("Sigtuna", "Sigtuna"), ("Valsta", "Märsta")]),
    m("0192", 29_000, (58.903, 17.948), "Nynäshamns kommun", "Lärcentrum", SusaNavet, South,
        &[("Nynäshamn centrum", "Nynäshamn"), ("Ösmo", "Ösmo")]),
];

/// The largest municipalities outside Stockholm County: (kommunkod, population, centre).
#[rustfmt::skip]
const LARGE_ELSEWHERE: &[(&str, u32, (f64, f64))] = &[
    ("1480", 600_000, (57.708, 11.974)), // Göteborg
    ("1280", 360_000, (55.605, 13.003)), // Malmö
    ("0380", 245_000, (59.858, 17.639)), // Uppsala
    ("0580", 166_000, (58.411, 15.621)), // Linköping
    ("1880", 158_000, (59.274, 15.207)), // Örebro
    ("1980", 158_000, (59.611, 16.545)), // Västerås
    ("1283", 151_000, (56.046, 12.694)), // Helsingborg
    ("0581", 145_000, (58.588, 16.192)), // Norrköping
    ("0680", 144_000, (57.782, 14.161)), // Jönköping
    ("2480", 132_000, (63.826, 20.263)), // Umeå
    ("1281", 129_000, (55.705, 13.191)), // Lund
    ("1490", 115_000, (57.721, 12.940)), // Borås
    ("0484", 107_000, (59.371, 16.510)), // Eskilstuna
    ("1380", 105_000, (56.674, 12.857)), // Halmstad
    ("2180", 103_000, (60.675, 17.141)), // Gävle
    ("2281", 99_000, (62.391, 17.307)),  // Sundsvall
    ("0780", 97_000, (56.879, 14.806)),  // Växjö
    ("1780", 95_000, (59.380, 13.504)),  // Karlstad
    ("1290", 87_000, (56.029, 14.157)),  // Kristianstad
    ("2580", 80_000, (65.584, 22.155)),  // Luleå
    ("2482", 77_000, (64.750, 20.951)),  // Skellefteå
    ("0880", 72_000, (56.663, 16.357)),  // Kalmar
    ("1481", 71_000, (57.656, 12.014)),  // Mölndal
    ("2380", 65_000, (63.179, 14.636)),  // Östersund
    ("2080", 60_000, (60.607, 15.631)),  // Falun
    ("1488", 60_000, (58.283, 12.289)),  // Trollhättan
];

/// A coarse centre per county (its residence town), for municipalities without their own.
const COUNTY_CENTRES: &[(&str, (f64, f64))] = &[
    ("01", (59.329, 18.069)),
    ("03", (59.858, 17.639)),
    ("04", (58.753, 17.009)),
    ("05", (58.411, 15.621)),
    ("06", (57.782, 14.161)),
    ("07", (56.879, 14.806)),
    ("08", (56.663, 16.357)),
    ("09", (57.636, 18.295)),
    ("10", (56.161, 15.587)),
    ("12", (55.605, 13.003)),
    ("13", (56.674, 12.857)),
    ("14", (57.708, 11.974)),
    ("17", (59.380, 13.504)),
    ("18", (59.274, 15.207)),
    ("19", (59.611, 16.545)),
    ("20", (60.607, 15.631)),
    ("21", (60.675, 17.141)),
    ("22", (62.633, 17.938)),
    ("23", (63.179, 14.636)),
    ("24", (63.826, 20.263)),
    ("25", (65.584, 22.155)),
];

/// What the generator needs to know about one municipality.
#[derive(Debug)]
pub(super) struct Profile {
    pub municipality: Municipality,
    pub population: u32,
    pub centre: (f64, f64),
    /// Whether the centre is the municipality's own (true) or its county's (false).
    pub precise_centre: bool,
    pub organisation: String,
    pub unit: &'static str,
    pub kind: ConnectorKind,
    pub area: Area,
    pub places: Vec<(String, String)>,
}

impl Profile {
    pub(super) fn of(municipality: Municipality) -> Self {
        let code = municipality.code.as_str();
        if let Some(known) = STOCKHOLM_COUNTY.iter().find(|m| m.code == code) {
            return Self {
                municipality,
                population: known.population,
                centre: known.centre,
                precise_centre: true,
                organisation: known.organisation.to_owned(),
                unit: known.unit,
                kind: known.kind,
                area: known.area,
                places: known.places.iter().map(|&(place, town)| (place.to_owned(), town.to_owned())).collect(),
            };
        }
        let hash = fnv1a(code.as_bytes());
        let large = LARGE_ELSEWHERE.iter().find(|(c, ..)| *c == code);
        // Elsewhere, a deterministic small-to-medium size: 4,000 to 49,000, most of them small.
        let spread = hash % 1000;
        let population = large.map_or(4_000 + (spread * spread * 45 / 1000) as u32, |(_, population, _)| *population);
        let county_centre = COUNTY_CENTRES
            .iter()
            .find(|(county, _)| *county == municipality.code.county_code())
            .map_or((62.0, 15.0), |(_, centre)| *centre);
        let kind = match (hash >> 16) % 20 {
            0..=11 => ConnectorKind::SusaNavet,
            12..=14 => ConnectorKind::PlannedEducations,
            15..=16 => ConnectorKind::Ss12000,
            17..=18 => ConnectorKind::Csv,
            _ => ConnectorKind::JsonApi,
        };
        Self {
            municipality,
            population,
            centre: large.map_or(county_centre, |(.., centre)| *centre),
            precise_centre: large.is_some(),
            organisation: format!("{} kommun", municipality.name),
            unit: "Vuxenutbildningen",
            kind,
            area: Area::Elsewhere,
            places: vec![(municipality.name.to_owned(), municipality.name.to_owned())],
        }
    }

    /// How much of the region's offering this municipality holds: the population, damped
    /// above 200,000 so that Stockholm is the largest by far but not half of everything.
    pub(super) fn weight(&self) -> u64 {
        let population = u64::from(self.population);
        if population > 200_000 { 200_000 + (population - 200_000) * 7 / 10 } else { population }
    }
}
