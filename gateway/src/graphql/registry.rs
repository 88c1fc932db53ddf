//! The public registry types and what the root asks of them (`occupations`,
//! `validationOffers`, `guidanceServices`, `pathway`, `cost`), answered from the registry
//! snapshot of the request and, for pathways and costs, its read model. Each type wraps a
//! model value and converts here.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject};
use vuxnav_read_model::RegistryModel;
use vuxnav_schema as model;

use super::errors::ApiError;
use super::outlook::LabourMarketOutlook;
use super::types::{Course, Date, Location, Offering, SchoolForm, snapshot};

/// The registry snapshot a request sees from start to end.
pub(crate) type RegistrySnapshot = Arc<RegistryModel>;

pub(crate) fn registries<'a>(ctx: &Context<'a>) -> &'a RegistrySnapshot {
    ctx.data_unchecked::<RegistrySnapshot>()
}

/// Parses a kommunkod argument, naming the argument when it is wrong.
pub(crate) fn municipality_argument(argument: &str, value: &str) -> Result<model::MunicipalityCode, ApiError> {
    model::MunicipalityCode::parse(value).map_err(|e| ApiError::bad_input(argument, e.reason))
}

/// Parses a taxonomy concept id argument, naming the argument when it is not an occupation of
/// the pinned snapshot.
pub(crate) fn occupation_argument(
    ctx: &Context<'_>,
    argument: &str,
    value: &str,
) -> Result<model::OccupationId, ApiError> {
    registries(ctx).taxonomy().occupation_id(value).map_err(|e| ApiError::bad_input(argument, e.reason))
}

/// An occupation of the pinned JobTech Taxonomy snapshot.
pub struct Occupation(pub model::Occupation);

#[Object]
impl Occupation {
    /// The JobTech Taxonomy concept id (`occupation-name`), such as `Y3QA_5pk_uXd`.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// JobTech's preferred label.
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The SSYK 2012 unit group (level 4), such as `5321`.
    async fn ssyk_code(&self) -> String {
        self.0.ssyk.code()
    }

    async fn ssyk_label(&self) -> &str {
        &self.0.ssyk_label
    }

    /// The codes of the courses and yrkesvux packages the region links to this occupation.
    async fn course_codes(&self, ctx: &Context<'_>) -> Vec<String> {
        let registries = registries(ctx);
        registries
            .registries()
            .occupation_links
            .iter()
            .filter(|l| l.occupation == self.0.id)
            .map(|l| l.course.as_str().to_owned())
            .collect()
    }

    /// The labour-market outlook (Yrkesbarometern, newest publication) for this occupation in
    /// a county, one assessment per barometer occupation it belongs to: the county's own, or
    /// the national one standing in (`nationalFallback`). Empty when none is published.
    async fn outlook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A county code such as `01`, or `riket` for the national figures; by default the \
                          region's county (national when the region spans several).")]
        county: Option<String>,
    ) -> async_graphql::Result<Vec<LabourMarketOutlook>> {
        super::outlook::occupation_outlook(ctx, &self.0.id, county.as_deref()).map_err(Into::into)
    }
}

/// What a validation offer validates against.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::ValidationKind")]
pub enum ValidationKind {
    /// Against a Skolverket course: prövning or validation to a grade.
    AgainstCourse,
    /// Against an industry's requirements: branschvalidering.
    AgainstIndustry,
}

/// Who pays for a validation.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::Payer")]
pub enum Payer {
    Municipality,
    EmploymentService,
    Employer,
    Industry,
    Participant,
}

/// An industry's validation model and its owner.
#[derive(SimpleObject)]
pub struct IndustryModel {
    name: String,
    owner: String,
}

/// An offer of validering in the region.
pub struct ValidationOffer(pub model::ValidationOffer);

#[Object]
impl ValidationOffer {
    /// The key the region gave it, stable across edits and imports.
    async fn key(&self) -> &str {
        self.0.key.as_str()
    }

    async fn kind(&self) -> ValidationKind {
        self.0.kind.into()
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn course_codes(&self) -> Vec<&str> {
        self.0.course_codes.iter().map(model::CourseCode::as_str).collect()
    }

    async fn occupations(&self, ctx: &Context<'_>) -> Vec<Occupation> {
        let taxonomy = registries(ctx).taxonomy();
        self.0
            .occupations
            .iter()
            .filter_map(|id| taxonomy.occupation(id.as_str()).ok().cloned())
            .map(Occupation)
            .collect()
    }

    async fn industry_model(&self) -> Option<IndustryModel> {
        self.0.industry_model.as_ref().map(|m| IndustryModel { name: m.name.clone(), owner: m.owner.clone() })
    }

    /// The SeQF level (1 to 8; the same as the EQF level) of the qualification, when levelled.
    async fn seqf_level(&self) -> Option<u8> {
        self.0.seqf_level.map(model::SeqfLevel::level)
    }

    async fn provider(&self) -> &str {
        &self.0.provider
    }

    /// The kommunkoder of the municipalities whose residents it serves.
    async fn municipalities(&self) -> Vec<&str> {
        self.0.municipalities.iter().map(model::MunicipalityCode::as_str).collect()
    }

    /// ISO 639-2 codes.
    async fn languages(&self) -> Vec<&str> {
        self.0.languages.iter().map(model::Language::as_str).collect()
    }

    /// What it costs, in kronor, when stated.
    async fn cost_sek(&self) -> Option<u32> {
        self.0.cost_sek
    }

    async fn paid_by(&self) -> Payer {
        self.0.paid_by.into()
    }

    async fn contact(&self) -> &str {
        &self.0.contact
    }

    async fn valid_from(&self) -> Date {
        Date(self.0.validity.from())
    }

    async fn valid_to(&self) -> Option<Date> {
        self.0.validity.to().map(Date)
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::Channel")]
pub enum Channel {
    OnSite,
    Phone,
    Video,
    Chat,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::TargetGroup")]
pub enum TargetGroup {
    Sfi,
    Basic,
    UpperSecondary,
    Adapted,
    Vocational,
}

/// A guidance centre (studie- och yrkesvägledning) or a lärcentrum that supports distance
/// students.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::GuidanceKind")]
pub enum GuidanceKind {
    GuidanceCentre,
    LearningCentre,
}

/// One opening of a week, in local time.
#[derive(SimpleObject)]
pub struct OpeningHours {
    /// `MONDAY` to `SUNDAY`, in English as ISO 8601 names them.
    weekday: String,
    /// `08:30`.
    opens: String,
    closes: String,
}

/// Where adults get study and career guidance, or a lärcentrum.
pub struct GuidanceService(pub model::GuidanceService);

#[Object]
impl GuidanceService {
    async fn key(&self) -> &str {
        self.0.key.as_str()
    }

    async fn kind(&self) -> GuidanceKind {
        self.0.kind.into()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Who runs it: a municipality, several together, or a regional centre.
    async fn organiser(&self) -> &str {
        &self.0.organiser
    }

    /// The kommunkoder of the municipalities whose residents it serves.
    async fn municipalities(&self) -> Vec<&str> {
        self.0.municipalities.iter().map(model::MunicipalityCode::as_str).collect()
    }

    async fn channels(&self) -> Vec<Channel> {
        self.0.channels.iter().map(|&c| c.into()).collect()
    }

    /// ISO 639-2 codes.
    async fn languages(&self) -> Vec<&str> {
        self.0.languages.iter().map(model::Language::as_str).collect()
    }

    async fn target_groups(&self) -> Vec<TargetGroup> {
        self.0.target_groups.iter().map(|&t| t.into()).collect()
    }

    async fn address(&self) -> Location {
        Location(self.0.address.clone())
    }

    async fn booking_url(&self) -> Option<&str> {
        self.0.booking_url.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// The week's openings, by weekday and time; empty when by appointment only.
    async fn opening_hours(&self) -> Vec<OpeningHours> {
        self.0
            .opening_hours
            .iter()
            .map(|h| OpeningHours {
                weekday: format!("{:?}", h.weekday).to_uppercase(),
                opens: h.opens.format("%H:%M").to_string(),
                closes: h.closes.format("%H:%M").to_string(),
            })
            .collect()
    }

    /// Whether it draws up an individual study plan (individuell studieplan).
    async fn draws_up_study_plan(&self) -> bool {
        self.0.draws_up_study_plan
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::PriceUnit")]
#[allow(clippy::enum_variant_names, reason = "the names the API and the model share: PER_POINT, PER_WEEK, …")]
pub enum PriceUnit {
    PerPoint,
    PerWeek,
    PerCourse,
    PerSfiCourse,
}

/// Where a figure comes from.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "vuxnav_schema::FigureSource")]
pub enum FigureSource {
    /// A decision, named in `decision`.
    Decision,
    /// Made up for the demo or a test: not a municipality's tariff.
    Illustrative,
}

/// One row of the price list for interkommunal ersättning.
pub struct PriceListEntry(pub model::PriceListEntry);

#[Object]
impl PriceListEntry {
    async fn key(&self) -> &str {
        self.0.key.as_str()
    }

    /// The paying home municipality's kommunkod; `*` for every municipality of the region.
    async fn payer(&self) -> String {
        self.0.payer.to_string()
    }

    /// The providing municipality's kommunkod; `*` for every municipality of the region.
    async fn provider(&self) -> String {
        self.0.provider.to_string()
    }

    async fn school_form(&self) -> SchoolForm {
        self.0.school_form.into()
    }

    /// The course or package priced; null when the price covers the whole school form.
    async fn course_code(&self) -> Option<&str> {
        match &self.0.scope {
            model::PriceScope::Course(code) => Some(code.as_str()),
            model::PriceScope::SchoolForm => None,
        }
    }

    async fn unit(&self) -> PriceUnit {
        self.0.unit.into()
    }

    async fn amount_sek(&self) -> f64 {
        self.0.amount.kronor()
    }

    async fn valid_from(&self) -> Date {
        Date(self.0.validity.from())
    }

    async fn valid_to(&self) -> Option<Date> {
        self.0.validity.to().map(Date)
    }

    async fn decision(&self) -> Option<&str> {
        self.0.decision.as_deref()
    }

    /// `ILLUSTRATIVE` for made-up prices: never show one as a municipality's tariff.
    async fn source(&self) -> FigureSource {
        self.0.source.into()
    }
}

/// How an offering's cost to the home municipality was answered.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CostKind {
    /// The offering is in the home municipality: no inter-municipal price applies.
    OwnMunicipality,
    /// A price list entry applies; it is in `priceListEntry`.
    Priced,
    /// No price list covers it: ask the home municipality.
    NotCovered,
}

/// What an offering costs the home municipality (interkommunal ersättning).
#[derive(SimpleObject)]
pub struct Cost {
    kind: CostKind,
    /// The day the price applies on: the offering's start, or today for continuous intake.
    day: Option<Date>,
    /// The entry the price came from, when priced.
    price_list_entry: Option<PriceListEntry>,
    /// Says in Swedish what was found, for people.
    explanation: String,
}

impl From<vuxnav_read_model::Cost<'_>> for Cost {
    fn from(cost: vuxnav_read_model::Cost<'_>) -> Self {
        use vuxnav_read_model::Cost as C;
        match cost {
            C::OwnMunicipality => Cost {
                kind: CostKind::OwnMunicipality,
                day: None,
                price_list_entry: None,
                explanation: "Utbildningen ges i hemkommunen.".to_owned(),
            },
            C::Priced { entry, day } => Cost {
                kind: CostKind::Priced,
                day: Some(Date(day)),
                explanation: format!(
                    "{} kr {} enligt {}{}.",
                    entry.amount,
                    entry.unit.label(),
                    entry.key,
                    if entry.source == model::FigureSource::Illustrative { " (illustrativt pris)" } else { "" }
                ),
                price_list_entry: Some(PriceListEntry(entry.clone())),
            },
            C::NotCovered { day } => Cost {
                kind: CostKind::NotCovered,
                day: Some(Date(day)),
                price_list_entry: None,
                explanation: format!("Ingen prislista täcker utbildningen den {day}."),
            },
        }
    }
}

/// An offering on the way to an occupation.
#[derive(SimpleObject)]
pub struct PathwayOffering {
    offering: Offering,
    /// In the home municipality.
    own_municipality: bool,
    /// Straight-line distance from the home municipality's centre (the mean position of its
    /// offerings), when known.
    distance_km: Option<f64>,
    cost: Cost,
}

/// A course or yrkesvux package that leads to the occupation, with its offerings open to the
/// resident: own municipality first, then by distance, then by start.
#[derive(SimpleObject)]
pub struct PathwayRoute {
    course_code: String,
    /// The courses with this national or local code (a yrkesvux package's local code may be
    /// used by several providers); empty when none is offered.
    courses: Vec<Course>,
    /// The number of offerings open to the resident.
    offering_count: usize,
    /// The first `first` of them (the pathway's `first` argument).
    offerings: Vec<PathwayOffering>,
}

/// The way to an occupation for a resident of a home municipality.
#[derive(SimpleObject)]
pub struct Pathway {
    occupation: Occupation,
    /// The home municipality's kommunkod.
    home_municipality: String,
    routes: Vec<PathwayRoute>,
    /// Validation offers for the occupation or its courses that serve the home municipality.
    validation_offers: Vec<ValidationOffer>,
    /// Guidance services that serve the home municipality.
    guidance_services: Vec<GuidanceService>,
    /// The labour-market outlook for the occupation in the home municipality's county, or
    /// nationally where the county has no figures (`nationalFallback`).
    outlook: Vec<LabourMarketOutlook>,
}

/// `pathway(occupation, municipality)`, with at most `first` offerings per route.
pub(crate) fn pathway(
    ctx: &Context<'_>,
    occupation: &str,
    municipality: &str,
    first: usize,
    today: chrono::NaiveDate,
) -> Result<Pathway, ApiError> {
    let occupation = occupation_argument(ctx, "occupation", occupation)?;
    let home = municipality_argument("municipality", municipality)?;
    let found = registries(ctx)
        .pathway(snapshot(ctx), &occupation, home, today)
        .ok_or_else(|| ApiError::NotFound(format!("occupation {occupation}")))?;
    Ok(Pathway {
        occupation: Occupation(found.occupation.clone()),
        home_municipality: home.as_str().to_owned(),
        routes: found
            .routes
            .into_iter()
            .map(|route| PathwayRoute {
                course_code: route.code.as_str().to_owned(),
                courses: route.courses.into_iter().cloned().map(Course).collect(),
                offering_count: route.offerings.len(),
                offerings: route
                    .offerings
                    .into_iter()
                    .take(first)
                    .map(|o| PathwayOffering {
                        offering: Offering(o.offering.clone()),
                        own_municipality: o.own_municipality,
                        distance_km: o.distance_km.map(|d| (d * 10.0).round() / 10.0),
                        cost: o.cost.into(),
                    })
                    .collect(),
            })
            .collect(),
        validation_offers: found.validation_offers.into_iter().cloned().map(ValidationOffer).collect(),
        guidance_services: found.guidance_services.into_iter().cloned().map(GuidanceService).collect(),
        outlook: found.outlook.into_iter().map(LabourMarketOutlook::from).collect(),
    })
}

/// `cost(offering, homeMunicipality)`.
pub(crate) fn cost(
    ctx: &Context<'_>,
    offering: model::PublicId,
    home: &str,
    today: chrono::NaiveDate,
) -> Result<Cost, ApiError> {
    let home = municipality_argument("homeMunicipality", home)?;
    let catalogue = snapshot(ctx);
    let offering = catalogue.offering(offering).ok_or_else(|| ApiError::NotFound(format!("offering {offering}")))?;
    let course =
        catalogue.course(offering.course).ok_or_else(|| ApiError::NotFound(format!("course {}", offering.course)))?;
    Ok(registries(ctx).cost(offering, course, home, today).into())
}
