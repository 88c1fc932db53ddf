//! The labour-market outlook (Yrkesbarometern) in plain Swedish, for the occupation list and
//! the pathway page: the read model's `outlook` for a county, national figures standing in
//! where the county has none (and saying so), with the publication's source and date, and a
//! visible "Illustrativa siffror" when the figures are made up.

use vuxnav_read_model::{Outlook, RegistryModel};
use vuxnav_schema::{County, OccupationId};

use super::date_sv;

/// One assessment, as sentences.
pub(super) struct OutlookView {
    /// The barometer occupation, such as `Undersköterskor, hemtjänst, hemsjukvård och äldreboende`.
    pub label: String,
    /// `Möjligheter till arbete i Stockholms län: stora`.
    pub opportunities: String,
    /// `Rekryteringssituation: brist på arbetskraft`.
    pub recruitment: String,
    /// `Efterfrågan på arbetskraft på fem års sikt: väntas öka`.
    pub forecast: String,
    /// Said when the national figures stand in for the county asked about.
    pub fallback: Option<String>,
    /// `Källa: …, publicerad 15 maj 2026`.
    pub source: String,
    pub illustrative: bool,
}

impl From<Outlook<'_>> for OutlookView {
    fn from(outlook: Outlook<'_>) -> Self {
        let row = outlook.row;
        let fallback = outlook.national_fallback().then(|| {
            let county = outlook.asked.map_or("länet", |c| c.name);
            format!("Det finns inga siffror för {county}, så siffrorna gäller hela landet.")
        });
        let area = match row.area {
            vuxnav_schema::OutlookArea::County(county) => format!("i {}", county.name),
            vuxnav_schema::OutlookArea::National => "i hela landet".to_owned(),
        };
        Self {
            label: row.barometer.label.clone(),
            opportunities: format!("Möjligheter till arbete {area}: {}", row.job_opportunities.label()),
            recruitment: format!("Rekryteringssituation: {}", row.recruitment.label()),
            forecast: format!("Efterfrågan på arbetskraft på fem års sikt: {}", row.forecast.label()),
            fallback,
            source: format!(
                "Källa: {}, publicerad {}",
                outlook.publication.source,
                date_sv(outlook.publication.published)
            ),
            illustrative: outlook.publication.illustrative,
        }
    }
}

/// The outlook for `occupation` in `county` (national figures when `None`).
pub(super) fn outlook_views(
    registries: &RegistryModel,
    occupation: &OccupationId,
    county: Option<County>,
) -> Vec<OutlookView> {
    registries.outlook(occupation, county).into_iter().map(OutlookView::from).collect()
}
