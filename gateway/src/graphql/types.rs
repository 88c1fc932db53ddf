//! GraphQL object, enum and scalar types. Each wraps a model type and converts at this
//! boundary; the model itself knows nothing of GraphQL.

use std::sync::Arc;

use super::{MAX_FIRST, SEARCH_COST};
use async_graphql::{
    Context, Enum, ID, InputValueError, InputValueResult, Interface, Object, Scalar, ScalarType, SimpleObject, Value,
};
use chrono::{DateTime, NaiveDate, Utc};
use vuxnav_schema as model;

use super::connection::{OfferingConnection, offerings_connection};
use super::inputs::{OfferingFilterInput, OfferingOrderInput};
use vuxnav_read_model::{GuidanceFilter, ReadModel, ValidationFilter};

/// The read model a request sees from start to end, whatever is swapped in meanwhile.
pub(crate) type Snapshot = Arc<ReadModel>;

pub(crate) fn snapshot<'a>(ctx: &Context<'a>) -> &'a Snapshot {
    ctx.data_unchecked::<Snapshot>()
}

/// A calendar date in ISO 8601, such as `2026-08-17`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(text) if NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok())
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("`{text}` is not a date such as `2026-08-17`"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

macro_rules! remote_enum {
    ($(#[$meta:meta])* $name:ident => $remote:literal { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(remote = $remote)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }
    };
}

remote_enum! {
    /// The form of adult education (skolform), as in Susa-navet's `C_SchoolType`.
    SchoolForm => "vuxnav_schema::SchoolForm" {
        /// Komvux, grundläggande nivå.
        #[graphql(name = "VUXGR")] VuxGr,
        /// Komvux, gymnasial nivå.
        #[graphql(name = "VUXGY")] VuxGy,
        /// Svenska för invandrare.
        #[graphql(name = "VUXSFI")] VuxSfi,
        /// Komvux som anpassad utbildning, grundläggande nivå.
        #[graphql(name = "VUXGRAN")] VuxGran,
        /// Komvux som anpassad utbildning, gymnasial nivå.
        #[graphql(name = "VUXGYAN")] VuxGyan,
        /// Yrkeshögskola (outside komvux).
        #[graphql(name = "YH")] Yh,
        /// Folkhögskola (outside komvux).
        #[graphql(name = "FHS")] Fhs,
        /// Arbetsmarknadsutbildning (outside komvux).
        #[graphql(name = "AUB")] Aub,
        /// Studieförbund (outside komvux).
        #[graphql(name = "STF")] Stf,
    }
}

remote_enum! {
    /// Where the teaching happens.
    StudyMode => "vuxnav_schema::StudyMode" { OnSite, Distance, Hybrid }
}

remote_enum! {
    /// When the teaching happens.
    TimeOfStudy => "vuxnav_schema::TimeOfStudy" { Day, Evening, Weekend, Mixed }
}

remote_enum! {
    /// A band of study pace, as a resident chooses it.
    PaceBand => "vuxnav_read_model::PaceBand" {
        /// 100 %: `paceMin: 100`.
        FullTime,
        /// 50–99 %: `paceMin: 50, paceMax: 99`.
        PartTime,
        /// 1–49 %: `paceMax: 49`.
        UnderHalf,
    }
}

remote_enum! {
    /// Who may apply.
    Eligibility => "vuxnav_schema::Eligibility" {
        /// Residents of the municipality that offers it.
        Residents,
        /// Residents of every municipality of the region.
        Region,
        /// Anyone in Sweden.
        National,
    }
}

remote_enum! {
    /// A credits system.
    CreditsSystem => "vuxnav_schema::CreditsSystem" {
        /// Gymnasiepoäng.
        Gy,
        /// Verksamhetspoäng.
        Vp,
        /// Högskolepoäng.
        Hp,
        /// Yrkeshögskolepoäng.
        Yh,
        /// Folkhögskolepoäng.
        Fup,
        Nyp,
    }
}

remote_enum! {
    /// The kind of body behind a provider (huvudman).
    ProviderKind => "vuxnav_schema::ProviderKind" { Kommunal, Enskild, Region, Statlig, Annan }
}

remote_enum! {
    /// What a course is.
    CourseConfiguration => "vuxnav_schema::CourseConfiguration" { Course, Package, Programme }
}

remote_enum! {
    /// The health of a source.
    SourceState => "vuxnav_schema::SourceState" {
        /// The last harvest succeeded.
        Ok,
        /// The last harvest failed; the last good data is still served.
        Stale,
        /// No harvest has succeeded yet.
        Failing,
        /// Switched off in the configuration.
        Disabled,
        /// The last complete harvest was held by the harvest guard (`heldReason` says why):
        /// the last good data is still served until a harvest passes the guard or an operator
        /// accepts the source.
        Held,
    }
}

/// Anything with a stable public id.
// One short-lived value per `node` field: boxing would cost more than the size difference.
#[allow(clippy::large_enum_variant)]
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "The stable public id (a UUID)."))]
pub enum Node {
    Offering(Offering),
    Course(Course),
    Provider(Provider),
}

/// A municipality (kommun).
pub struct Municipality(pub model::Municipality);

#[Object]
impl Municipality {
    /// The kommunkod: four digits with a leading zero.
    async fn code(&self) -> &str {
        self.0.code.as_str()
    }

    async fn name(&self) -> &str {
        self.0.name
    }

    async fn county(&self) -> County {
        County { code: self.0.county().code, name: self.0.county().name }
    }

    /// The guidance services (vägledning) and lärcentra that serve this municipality's
    /// residents, by key.
    async fn guidance_services(&self, ctx: &Context<'_>) -> Vec<super::registry::GuidanceService> {
        let filter = GuidanceFilter { municipalities: vec![self.0.code], ..GuidanceFilter::default() };
        super::registry::registries(ctx)
            .guidance_services(&filter)
            .into_iter()
            .map(|found| super::registry::GuidanceService(found.entry.clone()))
            .collect()
    }

    /// Offerings in this municipality, cancelled ones left out: the `totalCount` of
    /// `offerings(filter: {municipalities: [code]})`.
    async fn offering_count(&self, ctx: &Context<'_>) -> u64 {
        snapshot(ctx).offering_count(self.0.code)
    }
}

/// A county (län).
#[derive(SimpleObject)]
pub struct County {
    /// The länskod, two digits.
    code: &'static str,
    name: &'static str,
}

/// A course occasion (utbildningstillfälle).
#[derive(Clone)]
pub struct Offering(pub model::Offering);

#[Object]
impl Offering {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn course(&self, ctx: &Context<'_>) -> Option<Course> {
        snapshot(ctx).course(self.0.course).cloned().map(Course)
    }

    async fn provider(&self, ctx: &Context<'_>) -> Option<Provider> {
        snapshot(ctx).provider(self.0.provider).cloned().map(Provider)
    }

    /// The municipality of study, which offers the course.
    async fn municipality(&self) -> Municipality {
        Municipality(self.0.municipality.municipality())
    }

    /// Validation offers (validering) valid today that grade this offering's course and serve
    /// its municipality: a way to the same grade without taking the whole course.
    async fn validation_offers(&self, ctx: &Context<'_>) -> Vec<super::registry::ValidationOffer> {
        let model = snapshot(ctx);
        let Some(code) = model.course(self.0.course).and_then(|course| course.code.as_ref()) else {
            return Vec::new();
        };
        let filter = ValidationFilter {
            municipalities: vec![self.0.municipality],
            course_codes: vec![code.clone()],
            ..ValidationFilter::default()
        };
        super::registry::registries(ctx)
            .validation_offers(&filter, super::today(ctx))
            .into_iter()
            .cloned()
            .map(super::registry::ValidationOffer)
            .collect()
    }

    async fn location(&self) -> Location {
        Location(self.0.location.clone())
    }

    async fn start(&self) -> Option<Date> {
        self.0.schedule.start().map(Date)
    }

    async fn end(&self) -> Option<Date> {
        self.0.schedule.end().map(Date)
    }

    /// The student starts when admitted, rather than on a set date.
    async fn continuous_intake(&self) -> bool {
        self.0.schedule.continuous_intake()
    }

    async fn application(&self) -> Application {
        Application(self.0.application.clone())
    }

    /// Study pace in percent of full time.
    async fn pace(&self) -> u8 {
        self.0.pace.percent()
    }

    /// When the teaching happens; null when unknown (the upstream does not say, and its
    /// title does not either). `provenance.configured` says when the value is the source's
    /// configured default rather than read.
    async fn time_of_study(&self) -> Option<TimeOfStudy> {
        self.0.time_of_study.map(Into::into)
    }

    /// Where the teaching happens; null when unknown.
    async fn mode(&self) -> Option<StudyMode> {
        self.0.mode.map(Into::into)
    }

    /// The language of instruction, ISO 639-2 (`swe`, `eng`); null when unknown.
    async fn language(&self) -> Option<String> {
        self.0.language.map(|l| l.to_string())
    }

    /// The title the provider published for this occasion (`Matematik 1c Kväll`), or the
    /// course's title when it published none. Searchable; the course's own title is
    /// `course.title`.
    async fn title(&self, ctx: &Context<'_>) -> String {
        match &self.0.title {
            Some(title) => title.clone(),
            None => snapshot(ctx).course(self.0.course).map(|c| c.title.clone()).unwrap_or_default(),
        }
    }

    async fn seats(&self) -> Option<u32> {
        self.0.seats
    }

    async fn cancelled(&self) -> bool {
        self.0.cancelled
    }

    async fn apprenticeship(&self) -> bool {
        self.0.apprenticeship
    }

    /// A fee in Swedish kronor; komvux is free, so usually null.
    async fn fee_sek(&self) -> Option<u32> {
        self.0.fee_sek
    }

    async fn eligibility(&self) -> Eligibility {
        self.0.eligibility.into()
    }

    /// The offering's own web page.
    async fn url(&self) -> Option<&str> {
        self.0.web.as_deref()
    }

    /// Where this record was harvested from.
    async fn provenance(&self) -> Provenance {
        Provenance(self.0.provenance.clone())
    }

    /// Other sources that list this same occasion (the same course, provider, municipality,
    /// start, study mode, time of study and pace). Their records are merged into this one, which
    /// is the one changed last, so the occasion is listed once; their ids find it too.
    async fn also_listed_by(&self, ctx: &Context<'_>) -> Vec<Provenance> {
        snapshot(ctx).also_listed(self.0.id).iter().cloned().map(Provenance).collect()
    }
}

/// Where an offering is studied.
pub struct Location(pub model::Location);

#[Object]
impl Location {
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn street_address(&self) -> Option<&str> {
        self.0.street_address.as_deref()
    }

    async fn postal_code(&self) -> Option<&str> {
        self.0.postal_code.as_deref()
    }

    async fn town(&self) -> Option<&str> {
        self.0.town.as_deref()
    }

    /// WGS 84 latitude.
    async fn latitude(&self) -> Option<f64> {
        self.0.coordinates.map(|c| c.latitude)
    }

    /// WGS 84 longitude.
    async fn longitude(&self) -> Option<f64> {
        self.0.coordinates.map(|c| c.longitude)
    }
}

/// When and where to apply.
pub struct Application(model::Application);

#[Object]
impl Application {
    async fn opens(&self) -> Option<Date> {
        self.0.opens().map(Date)
    }

    async fn closes(&self) -> Option<Date> {
        self.0.closes().map(Date)
    }

    /// Applications are taken all the time.
    async fn continuous(&self) -> bool {
        self.0.continuous()
    }

    async fn url(&self) -> Option<&str> {
        self.0.url.as_deref()
    }
}

/// Where a record comes from.
pub struct Provenance(model::Provenance);

#[Object]
impl Provenance {
    /// The id of the configured source.
    async fn source(&self) -> &str {
        self.0.source.as_str()
    }

    /// The upstream system's own id.
    async fn upstream_id(&self) -> &str {
        &self.0.upstream_id
    }

    async fn first_seen(&self) -> DateTime<Utc> {
        self.0.first_seen
    }

    async fn last_changed(&self) -> DateTime<Utc> {
        self.0.last_changed
    }

    /// The fields whose value the source's configuration stated rather than the upstream
    /// record (`timeOfStudy`, `mode`, `language`, `providerKind`, `pace`, `schoolForm`,
    /// `providerName`): empty when everything was read.
    async fn configured(&self) -> Vec<&'static str> {
        self.0.configured.iter().map(|f| f.code()).collect()
    }

    async fn last_harvest(&self) -> DateTime<Utc> {
        self.0.last_harvest
    }
}

/// What is taught: a national course (one that Skolverket publishes: one course for the
/// whole region, its title and credits from Skolverket's lists) or a local one (a yrkesvux
/// package or a municipality's own course, local to the source that lists it).
#[derive(Clone)]
pub struct Course(pub model::Course);

#[Object]
impl Course {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The national course code, such as `MATMAT01c`: set only for a course Skolverket
    /// publishes. A local course's own code is `localCode`.
    async fn code(&self) -> Option<&str> {
        self.0.code.as_ref().map(model::CourseCode::as_str)
    }

    /// A local course's own code as its source writes it (such as a municipality's package
    /// code `RLXAAR`): it means something only within that source, and the same code may
    /// name different courses there. Null for a national course.
    async fn local_code(&self) -> Option<&str> {
        self.0.local_code.as_deref()
    }

    /// Whether Skolverket publishes this course (it has a national `code`).
    async fn national(&self) -> bool {
        self.0.code.is_some()
    }

    /// A national course's title as Skolverket publishes it; a local course's as its source
    /// writes it. An offering's own title is `Offering.title`.
    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    async fn school_form(&self) -> SchoolForm {
        self.0.school_form.into()
    }

    /// Whether the school form is part of kommunal vuxenutbildning.
    async fn komvux(&self) -> bool {
        self.0.school_form.is_komvux()
    }

    async fn credits(&self) -> Option<Credits> {
        self.0.credits.map(|c| Credits { system: c.system.into(), value: c.value })
    }

    async fn subject(&self) -> Option<&str> {
        self.0.subject.as_deref()
    }

    /// SUN 2020 education field code.
    async fn sun_field(&self) -> Option<&str> {
        self.0.sun_field.as_deref()
    }

    async fn vocational(&self) -> bool {
        self.0.vocational
    }

    async fn configuration(&self) -> CourseConfiguration {
        self.0.configuration.into()
    }

    /// The offerings of this course.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + SEARCH_COST")]
    async fn offerings(
        &self,
        ctx: &Context<'_>,
        filter: Option<OfferingFilterInput>,
        order_by: Option<OfferingOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<OfferingConnection> {
        let mut filter = OfferingFilterInput::to_model(filter, ctx)?;
        filter.courses = vec![self.0.id];
        offerings_connection(ctx, filter, None, order_by, first, after)
    }

    /// The occupations the region links this course or package to (JobTech Taxonomy).
    async fn occupations(&self, ctx: &Context<'_>) -> Vec<super::registry::Occupation> {
        // A yrkesvux package is linked by its local code, a course by its national one.
        let local = self.0.local_code.as_deref().and_then(|c| model::CourseCode::parse(c).ok());
        let Some(code) = self.0.code.as_ref().or(local.as_ref()) else { return Vec::new() };
        super::registry::registries(ctx)
            .occupations_of(code)
            .into_iter()
            .cloned()
            .map(super::registry::Occupation)
            .collect()
    }
}

/// Credits in a credits system.
#[derive(SimpleObject)]
pub struct Credits {
    system: CreditsSystem,
    value: f64,
}

/// An utbildningsanordnare.
#[derive(Clone)]
pub struct Provider(pub model::Provider);

#[Object]
impl Provider {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Organisationsnummer, ten digits.
    async fn organisation_number(&self) -> Option<&str> {
        self.0.org_number.as_ref().map(model::OrgNumber::as_str)
    }

    /// The kind of body behind the provider; null when unknown (the upstream does not say,
    /// and neither its organisation number nor its name shows it).
    async fn kind(&self) -> Option<ProviderKind> {
        self.0.kind.map(Into::into)
    }

    async fn school_unit_code(&self) -> Option<&str> {
        self.0.school_unit_code.as_deref()
    }

    /// The municipality the provider belongs to or is contracted by.
    async fn municipality(&self) -> Option<Municipality> {
        self.0.municipality.map(|m| Municipality(m.municipality()))
    }

    async fn url(&self) -> Option<&str> {
        self.0.web.as_deref()
    }

    /// A public, functional mailbox.
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }

    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }

    /// The offerings this provider gives.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + SEARCH_COST")]
    async fn offerings(
        &self,
        ctx: &Context<'_>,
        filter: Option<OfferingFilterInput>,
        order_by: Option<OfferingOrderInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<OfferingConnection> {
        let mut filter = OfferingFilterInput::to_model(filter, ctx)?;
        filter.providers = vec![self.0.id];
        offerings_connection(ctx, filter, None, order_by, first, after)
    }
}

/// A configured source: one municipality's course system, harvested by a connector kind.
pub struct Source(pub model::SourceStatus);

#[Object]
impl Source {
    async fn id(&self) -> &str {
        self.0.id.as_str()
    }

    async fn municipality(&self) -> Municipality {
        Municipality(self.0.municipality.municipality())
    }

    /// The connector kind, such as `susa_navet` or `csv`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    async fn status(&self) -> SourceState {
        self.0.state.into()
    }

    async fn last_attempt(&self) -> Option<DateTime<Utc>> {
        self.0.last_attempt
    }

    async fn last_success(&self) -> Option<DateTime<Utc>> {
        self.0.last_success
    }

    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// Why the last complete harvest was held by the harvest guard, while the source is
    /// `HELD`.
    async fn held_reason(&self) -> Option<&str> {
        self.0.held_reason.as_deref()
    }

    /// Offerings served from this source, cancelled ones included, from the same read model as
    /// `offerings`: an occasion that two sources list counts once, under the source whose
    /// record is served, so over all sources these add up to
    /// `offerings(filter: {includeCancelled: true}) { totalCount }`.
    async fn offering_count(&self, ctx: &Context<'_>) -> u64 {
        snapshot(ctx).source_offering_count(&self.0.id)
    }

    /// Offerings the store holds from this source right now, read live, cancelled ones
    /// included, as the source lists them (an occasion another source lists too counts for
    /// both): ahead of `offeringCount` for the seconds between a harvest and the read model's
    /// rebuild.
    async fn stored_offering_count(&self) -> u64 {
        self.0.offering_count
    }

    /// The latest recorded harvest run, if the source ever ran.
    async fn last_run(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<super::runs::HarvestRun>> {
        super::runs::last_run(ctx, &self.0.id).await
    }
}
