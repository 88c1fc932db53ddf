//! Private providers (entreprenörer) that municipalities contract to run komvux.
//!
//! Every name here is invented for the demo, as are the organisation numbers (nine digits
//! completed with a valid check digit). Contacts are functional mailboxes on `.example`
//! domains and telephone numbers from the range PTS sets aside for fiction (08-465 004 00 to
//! 08-465 004 99), never a person.

use super::courses::Field::{self, *};
use super::places::Area::{self, *};

/// A private provider and where and what it teaches.
#[derive(Debug)]
pub(super) struct PrivateProvider {
    pub name: &'static str,
    /// The first nine digits of the organisation number.
    pub org9: &'static str,
    /// The provider's domain name before `.example`.
    pub domain: &'static str,
    pub fields: &'static [Field],
    /// Where in Stockholm County it runs courses.
    pub areas: &'static [Area],
    /// Whether it also runs courses elsewhere in Sweden (national scale).
    pub national: bool,
}

impl PrivateProvider {
    /// The name without the company form, for study-place names: `Lärcentrum Söder`.
    pub(super) fn short_name(&self) -> &'static str {
        self.name.strip_suffix(" AB").unwrap_or(self.name)
    }
}

const fn p(
    name: &'static str,
    org9: &'static str,
    domain: &'static str,
    fields: &'static [Field],
    areas: &'static [Area],
    national: bool,
) -> PrivateProvider {
    PrivateProvider { name, org9, domain, fields, areas, national }
}

#[rustfmt::skip]
pub(super) const PRIVATE_PROVIDERS: &[PrivateProvider] = &[
    p("Vuxenakademin Norr AB", "556938411", "vuxenakademin-norr", &[General, Swedish, Business, It], &[North, City], false),
    p("Lärcentrum Söder AB", "556938629", "larcentrum-soder", &[Sfi, Swedish, General], &[South, City], false),
    p("Yrkesinstitutet i Mälardalen AB", "556938402", "yrkesinstitutet-malardalen", &[Technology, Transport, Construction, Restaurant], &[South, West, City], true),
    p("Språkbron Utbildning AB", "556939320", "sprakbron", &[Sfi, Swedish], &[City, West, North, South], false),
    p("Omsorgsskolan Roslagen AB", "556934111", "omsorgsskolan-roslagen", &[Care, Childcare], &[North], false),
    p("Vårdutbildarna Södertörn AB", "556934025", "vardutbildarna-sodertorn", &[Care], &[South, City], false),
    p("Stensunds Kompetenscenter AB", "556939387", "stensunds-kompetenscenter", &[General, Swedish, Business], &[South, East], false),
    p("Björkvik Lärande AB", "556938794", "bjorkvik-larande", &[Sfi, Swedish, General], &[West], false),
    p("Norrström Språkcenter AB", "556934050", "norrstrom-sprakcenter", &[Sfi, Swedish], &[City, East], false),
    p("Ekvägen Utbildning AB", "556932542", "ekvagen-utbildning", &[General, It, Business], &[City, West], false),
    p("Kompetenslyftet Öst AB", "556938316", "kompetenslyftet-ost", &[General, Swedish, Care], &[East], false),
    p("Byggtrappan Yrkesutbildning AB", "556935970", "byggtrappan", &[Construction, Technology], &[North, West, South], false),
    p("Köksbrigaden Utbildning AB", "556933323", "koksbrigaden", &[Restaurant, Service], &[City, South], false),
    p("Lastkajen Transportutbildning AB", "556932485", "lastkajen", &[Transport], &[North, West, South], true),
    p("Kodverkstaden Vux AB", "556939825", "kodverkstaden", &[It], &[City], false),
    p("Pedagogikhuset Mälaren AB", "556931686", "pedagogikhuset-malaren", &[Childcare, Care], &[West, City], false),
    p("Servicehuset Vuxenutbildning AB", "556937490", "servicehuset-vux", &[Service, Business], &[City, North, South], false),
    p("Kunskapsfyren Utbildning AB", "556938421", "kunskapsfyren", &[General, Swedish], &[North, East], false),
    p("Nordkustens Vuxenutbildning AB", "556933580", "nordkustens-vux", &[General, Swedish, Sfi, Care], &[North], true),
    p("Lärvägen Sverige AB", "556931245", "larvagen", &[General, Swedish, Business, It], &[City], true),
    p("Omvårdnadsinstitutet Norden AB", "556939656", "omvardnadsinstitutet", &[Care, Childcare], &[City, South], true),
    p("Svenska Språkhuset Vux AB", "556932034", "sprakhuset-vux", &[Sfi, Swedish], &[City, South, North], true),
    p("Teknikbryggan Yrkesutbildning AB", "556931975", "teknikbryggan", &[Technology, It], &[West, North], true),
    p("Mälarstrandens Utbildning AB", "556931584", "malarstranden", &[General, Sfi, Swedish, Service], &[West, South], false),
];
