//! The labour-market outlook (Yrkesbarometern) on `Occupation.outlook(county)` and
//! `Pathway.outlook`: the newest publication's assessment for an occupation in a county, or
//! the national one standing in for it, always with the publication's date and source and
//! whether its figures are illustrative.

use async_graphql::{Context, Enum, SimpleObject};
use vuxnav_read_model::Outlook;
use vuxnav_schema as model;

use super::errors::ApiError;
use super::registry::registries;
use super::types::Date;

/// Möjligheter till arbete: how easy it is to get a job in the occupation now.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::JobOpportunities")]
pub enum JobOpportunities {
    Small,
    Medium,
    Large,
}

/// Rekryteringssituationen: employers' demand compared with the workers available now.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::RecruitmentSituation")]
pub enum RecruitmentSituation {
    /// Brist: fewer qualified applicants than employers seek.
    Shortage,
    Balance,
    /// Överskott: more qualified applicants than employers seek.
    Surplus,
}

/// How demand for workers in the occupation is expected to develop over five years.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::OutlookForecast")]
pub enum OutlookForecast {
    Decrease,
    Unchanged,
    Increase,
}

/// A barometer occupation of Arbetsförmedlingen's Yrkesbarometer: the taxonomy concept the
/// assessment is made for, related to one or more occupations.
#[derive(SimpleObject)]
pub struct BarometerOccupation {
    /// The taxonomy's `barometer-occupation` concept id.
    id: String,
    label: String,
}

/// One assessment of the labour-market outlook for an occupation, with the publication it
/// comes from.
#[derive(SimpleObject)]
pub struct LabourMarketOutlook {
    barometer_occupation: BarometerOccupation,
    /// Where the assessment applies: a county code such as `01`, or `riket` for the whole
    /// country.
    area: String,
    /// The area's name: `Stockholms län`, or `hela landet`.
    area_name: String,
    /// The county asked about had no assessment of its own: this is the national one.
    national_fallback: bool,
    job_opportunities: JobOpportunities,
    recruitment_situation: RecruitmentSituation,
    /// Over five years.
    forecast: OutlookForecast,
    /// The publication's date.
    published: Date,
    /// Where the publication comes from, as shown to readers.
    source: String,
    /// Made-up figures (no real ones are vendored): never show them as Arbetsförmedlingen's.
    illustrative: bool,
}

impl From<Outlook<'_>> for LabourMarketOutlook {
    fn from(outlook: Outlook<'_>) -> Self {
        let Outlook { publication, row, .. } = outlook;
        Self {
            barometer_occupation: BarometerOccupation {
                id: row.barometer.id.clone(),
                label: row.barometer.label.clone(),
            },
            area: row.area.code().to_owned(),
            area_name: row.area.name().to_owned(),
            national_fallback: outlook.national_fallback(),
            job_opportunities: row.job_opportunities.into(),
            recruitment_situation: row.recruitment.into(),
            forecast: row.forecast.into(),
            published: Date(publication.published),
            source: publication.source.clone(),
            illustrative: publication.illustrative,
        }
    }
}

/// `Occupation.outlook(county)`: in `county` (a county code, or `riket`), by default the
/// region's county (national when the region spans several).
pub(crate) fn occupation_outlook(
    ctx: &Context<'_>,
    occupation: &model::OccupationId,
    county: Option<&str>,
) -> Result<Vec<LabourMarketOutlook>, ApiError> {
    let county = match county {
        Some(code) => match model::OutlookArea::parse(code).map_err(|e| ApiError::bad_input("county", e.reason))? {
            model::OutlookArea::County(county) => Some(county),
            model::OutlookArea::National => None,
        },
        None => ctx.data_unchecked::<super::Settings>().region.home_county(),
    };
    Ok(registries(ctx).outlook(occupation, county).into_iter().map(LabourMarketOutlook::from).collect())
}
