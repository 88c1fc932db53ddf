//! The registries' lists on `/graphql`: `validationOffers(filter)` and
//! `guidanceServices(filter)` as Relay connections with facet counts, paged by position. The
//! filtering, the nearness order and the counting are the read model's
//! ([`RegistryModel::validation_offers`](vuxnav_read_model::RegistryModel::validation_offers)
//! and its siblings), which the portal calls too; this module parses the input and shapes the
//! answer.

use async_graphql::{Context, InputObject, SimpleObject};
use vuxnav_read_model::{GuidanceFilter, Near, ValidationFilter};
use vuxnav_schema::{Coordinates, CourseCode, Language, MunicipalityCode};

use super::connection::{LanguageCount, MunicipalityCount, Page, PageInfo, page_by_position};
use super::errors::ApiError;
use super::inputs::{enums, list};
use super::registry::{
    Channel, GuidanceKind, GuidanceService, TargetGroup, ValidationKind, ValidationOffer, registries,
};
use super::today;
use super::types::Municipality;

/// Which validation offers to list. Values in one list are alternatives; different fields all
/// apply.
#[derive(InputObject, Default, Debug)]
pub struct ValidationOfferFilterInput {
    /// Serving one of these municipalities: kommunkoder such as `"0127"`.
    municipalities: Option<Vec<String>>,
    /// Carried out in one of these languages, ISO 639-2 such as `"swe"`.
    languages: Option<Vec<String>>,
    kinds: Option<Vec<ValidationKind>>,
    /// Validating against one of these Skolverket course codes, such as `"VÅRVÅR01"`.
    course_codes: Option<Vec<String>>,
    /// Naming one of these occupations (JobTech Taxonomy concept ids such as
    /// `"Y3QA_5pk_uXd"`) or a course the region links to one of them.
    occupations: Option<Vec<String>>,
}

impl ValidationOfferFilterInput {
    fn to_model(input: Option<Self>, ctx: &Context<'_>) -> Result<ValidationFilter, ApiError> {
        let input = input.unwrap_or_default();
        let taxonomy = registries(ctx).taxonomy();
        Ok(ValidationFilter {
            municipalities: list("municipalities", input.municipalities, MunicipalityCode::parse)?,
            languages: list("languages", input.languages, Language::parse)?,
            kinds: enums("kinds", input.kinds)?,
            course_codes: list("courseCodes", input.course_codes, CourseCode::parse)?,
            occupations: list("occupations", input.occupations, |id| taxonomy.occupation_id(id))?,
        })
    }
}

/// A point in WGS 84 and, optionally, how far from it to look.
#[derive(InputObject, Debug)]
pub struct NearInput {
    latitude: f64,
    longitude: f64,
    /// Only services within this many kilometres (straight line); those without coordinates
    /// are then left out. Every service when left out.
    radius_km: Option<f64>,
}

/// Which guidance services to list. Values in one list are alternatives; different fields all
/// apply.
#[derive(InputObject, Default, Debug)]
pub struct GuidanceServiceFilterInput {
    /// Serving one of these municipalities: kommunkoder such as `"0127"`.
    municipalities: Option<Vec<String>>,
    /// Speaking one of these languages, ISO 639-2 such as `"som"`.
    languages: Option<Vec<String>>,
    channels: Option<Vec<Channel>>,
    target_groups: Option<Vec<TargetGroup>>,
    kinds: Option<Vec<GuidanceKind>>,
    /// Nearest first from this point (services without coordinates last), each edge with its
    /// `distanceKm`.
    near: Option<NearInput>,
}

impl GuidanceServiceFilterInput {
    fn to_model(input: Option<Self>) -> Result<GuidanceFilter, ApiError> {
        let input = input.unwrap_or_default();
        let near = input
            .near
            .map(|near| -> Result<Near, ApiError> {
                let point = Coordinates::new(near.latitude, near.longitude)
                    .map_err(|e| ApiError::bad_input("filter.near", e.reason))?;
                let radius_km = near
                    .radius_km
                    .map(|r| {
                        (r.is_finite() && r > 0.0)
                            .then_some(r)
                            .ok_or_else(|| ApiError::bad_input("filter.near.radiusKm", format!("{r} is not above 0")))
                    })
                    .transpose()?;
                Ok(Near { point, radius_km })
            })
            .transpose()?;
        Ok(GuidanceFilter {
            municipalities: list("municipalities", input.municipalities, MunicipalityCode::parse)?,
            languages: list("languages", input.languages, Language::parse)?,
            channels: enums("channels", input.channels)?,
            target_groups: enums("targetGroups", input.target_groups)?,
            kinds: enums("kinds", input.kinds)?,
            near,
        })
    }
}

#[derive(SimpleObject)]
pub struct ValidationOfferEdge {
    cursor: String,
    node: ValidationOffer,
}

/// A page of validation offers valid today, by key, with the total and the facet counts.
#[derive(SimpleObject)]
pub struct ValidationOfferConnection {
    edges: Vec<ValidationOfferEdge>,
    nodes: Vec<ValidationOffer>,
    page_info: PageInfo,
    total_count: u64,
    facets: ValidationOfferFacets,
}

/// Counts per value, the most first. Each facet is counted under every filter field but its
/// own, so a chosen value's alternatives keep their counts. An offer serving several
/// municipalities or languages counts once under each: only `kind`'s counts add up to
/// `totalCount` (when `filter.kinds` is not set).
#[derive(SimpleObject, Default)]
pub struct ValidationOfferFacets {
    municipality: Vec<MunicipalityCount>,
    language: Vec<LanguageCount>,
    kind: Vec<ValidationKindCount>,
}

#[derive(SimpleObject)]
pub struct ValidationKindCount {
    value: ValidationKind,
    count: u64,
}

#[derive(SimpleObject)]
pub struct GuidanceServiceEdge {
    cursor: String,
    node: GuidanceService,
    /// Kilometres in a straight line from `filter.near`'s point, one decimal; null without
    /// `filter.near` or when the service has no coordinates.
    distance_km: Option<f64>,
}

/// A page of guidance services, by key or nearest first, with the total and the facet counts.
#[derive(SimpleObject)]
pub struct GuidanceServiceConnection {
    edges: Vec<GuidanceServiceEdge>,
    nodes: Vec<GuidanceService>,
    page_info: PageInfo,
    total_count: u64,
    facets: GuidanceServiceFacets,
}

/// Counts per value, as `ValidationOfferFacets` counts offers; `filter.near`'s radius always
/// applies. Only `kind`'s counts add up to `totalCount` (when `filter.kinds` is not set).
#[derive(SimpleObject, Default)]
pub struct GuidanceServiceFacets {
    municipality: Vec<MunicipalityCount>,
    language: Vec<LanguageCount>,
    channel: Vec<ChannelCount>,
    target_group: Vec<TargetGroupCount>,
    kind: Vec<GuidanceKindCount>,
}

#[derive(SimpleObject)]
pub struct ChannelCount {
    value: Channel,
    count: u64,
}

#[derive(SimpleObject)]
pub struct TargetGroupCount {
    value: TargetGroup,
    count: u64,
}

#[derive(SimpleObject)]
pub struct GuidanceKindCount {
    value: GuidanceKind,
    count: u64,
}

fn municipalities(counts: Vec<(MunicipalityCode, u64)>) -> Vec<MunicipalityCount> {
    counts
        .into_iter()
        .map(|(code, count)| MunicipalityCount { municipality: Municipality(code.municipality()), count })
        .collect()
}

fn languages(counts: Vec<(Language, u64)>) -> Vec<LanguageCount> {
    counts.into_iter().map(|(language, count)| LanguageCount { value: Some(language.to_string()), count }).collect()
}

fn wants_facets(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("facets").exists()
}

/// `validationOffers(filter, first, after)`.
pub(crate) fn validation_offers(
    ctx: &Context<'_>,
    filter: Option<ValidationOfferFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<ValidationOfferConnection, ApiError> {
    let filter = ValidationOfferFilterInput::to_model(filter, ctx)?;
    let (model, day) = (registries(ctx), today(ctx));
    let found = model.validation_offers(&filter, day);
    let Page { edges, page_info, total_count } =
        page_by_position(ctx, found.iter().map(|offer| ValidationOffer((*offer).clone())), first, after)?;
    let facets = wants_facets(ctx).then(|| model.validation_facets(&filter, day)).map(|f| ValidationOfferFacets {
        municipality: municipalities(f.municipality),
        language: languages(f.language),
        kind: f.kind.into_iter().map(|(kind, count)| ValidationKindCount { value: kind.into(), count }).collect(),
    });
    let edges: Vec<ValidationOfferEdge> =
        edges.into_iter().map(|(cursor, node)| ValidationOfferEdge { cursor, node }).collect();
    Ok(ValidationOfferConnection {
        nodes: edges.iter().map(|e| ValidationOffer(e.node.0.clone())).collect(),
        edges,
        page_info,
        total_count,
        facets: facets.unwrap_or_default(),
    })
}

/// `guidanceServices(filter, first, after)`.
pub(crate) fn guidance_services(
    ctx: &Context<'_>,
    filter: Option<GuidanceServiceFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> Result<GuidanceServiceConnection, ApiError> {
    let filter = GuidanceServiceFilterInput::to_model(filter)?;
    let model = registries(ctx);
    let found = model.guidance_services(&filter);
    let Page { edges, page_info, total_count } = page_by_position(ctx, found.iter(), first, after)?;
    let facets = wants_facets(ctx).then(|| model.guidance_facets(&filter)).map(|f| GuidanceServiceFacets {
        municipality: municipalities(f.municipality),
        language: languages(f.language),
        channel: f.channel.into_iter().map(|(value, count)| ChannelCount { value: value.into(), count }).collect(),
        target_group: f
            .target_group
            .into_iter()
            .map(|(value, count)| TargetGroupCount { value: value.into(), count })
            .collect(),
        kind: f.kind.into_iter().map(|(value, count)| GuidanceKindCount { value: value.into(), count }).collect(),
    });
    let edges: Vec<GuidanceServiceEdge> = edges
        .into_iter()
        .map(|(cursor, found)| GuidanceServiceEdge {
            cursor,
            node: GuidanceService(found.entry.clone()),
            distance_km: found.distance_km.map(|d| (d * 10.0).round() / 10.0),
        })
        .collect();
    Ok(GuidanceServiceConnection {
        nodes: edges.iter().map(|e| GuidanceService(e.node.0.clone())).collect(),
        edges,
        page_info,
        total_count,
        facets: facets.unwrap_or_default(),
    })
}
