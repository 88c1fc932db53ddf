//! The public query root.

use super::{MAX_FIRST, SEARCH_COST};
use async_graphql::{Context, ID, Object};
use vuxnav_schema::{CourseCode, Municipality as ModelMunicipality, PublicId};

use super::connection::{CourseConnection, OfferingConnection, ProviderConnection, offerings_connection};
use super::errors::ApiError;
use super::inputs::{OfferingFilterInput, OfferingOrderInput};
use super::quality::{self, SourceQuality};
use super::registry::{self, Cost, Occupation, Pathway};
use super::registry_connection::{
    self, GuidanceServiceConnection, GuidanceServiceFilterInput, ValidationOfferConnection, ValidationOfferFilterInput,
};
use super::runs::{HarvestRunConnection, harvest_runs};
use super::statistics::{self, Statistics, StatisticsGroupBy};
use super::types::{Course, Municipality, Node, Offering, Provider, SchoolForm, Source, snapshot};
use super::{Settings, internal, today};

pub struct QueryRoot;

/// Runs a single-object lookup, keeping the error's code.
fn lookup<T>(find: impl FnOnce() -> Result<T, ApiError>) -> async_graphql::Result<T> {
    find().map_err(Into::into)
}

fn parse_id(id: &ID) -> Result<PublicId, ApiError> {
    PublicId::parse(id).map_err(|e| ApiError::bad_input("id", e.reason))
}

/// Everything the root answers from the read model may be cached for a while (`Cache-Control`
/// and `ETag` on `GET`, see `http::caching`); fields read live from the store say `no_cache`.
#[Object(name = "Query", cache_control(max_age = 60))]
impl QueryRoot {
    /// Offerings of the whole region: filtered, searched in Swedish, sorted and paged.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + SEARCH_COST")]
    async fn offerings(
        &self,
        ctx: &Context<'_>,
        filter: Option<OfferingFilterInput>,
        #[graphql(desc = "Swedish free text, at most 200 characters and 12 words: every word must match a \
                          course, provider, municipality or place, or name a kind of offering (`komvux`, \
                          `gymnasial`, `grundläggande`, `sfi`, `anpassad`, `yrkesvux`, `lärling`, \
                          `distans`, `kväll`, `helg`). Words are stemmed, prefixes and small typos \
                          are allowed, and å, ä, ö may be typed as a, a, o (exact spellings rank \
                          first).")]
        search: Option<String>,
        order_by: Option<OfferingOrderInput>,
        #[graphql(desc = "Page size, 20 by default, at most the configured limit (500).")] first: Option<i32>,
        #[graphql(desc = "The cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<OfferingConnection> {
        let filter = OfferingFilterInput::to_model(filter, ctx)?;
        offerings_connection(ctx, filter, search, order_by, first, after)
    }

    /// One offering by id.
    async fn offering(&self, ctx: &Context<'_>, id: ID) -> Option<async_graphql::Result<Offering>> {
        // `Option<Result>`: an error leaves this field null and its siblings in place.
        Some(lookup(|| {
            let id = parse_id(&id)?;
            let offering = snapshot(ctx).offering(id).ok_or_else(|| ApiError::NotFound(format!("offering {id}")))?;
            Ok(Offering(offering.clone()))
        }))
    }

    /// One course, by id or by Skolverket course code (give exactly one).
    async fn course(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        code: Option<String>,
    ) -> Option<async_graphql::Result<Course>> {
        Some(lookup(|| {
            let model = snapshot(ctx);
            let course = match (id, code) {
                (Some(id), None) => {
                    let id = parse_id(&id)?;
                    model.course(id).ok_or_else(|| ApiError::NotFound(format!("course {id}")))?
                }
                (None, Some(code)) => {
                    let code = CourseCode::parse(&code).map_err(|e| ApiError::bad_input("code", e.reason))?;
                    model
                        .course_by_code(&code)
                        .ok_or_else(|| ApiError::NotFound(format!("course with code {}", code.as_str())))?
                }
                _ => return Err(ApiError::bad_input("id", "give exactly one of id and code")),
            };
            Ok(Course(course.clone()))
        }))
    }

    /// Courses with at least one offering, by title in Swedish collation.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + 1")]
    async fn courses(
        &self,
        ctx: &Context<'_>,
        school_forms: Option<Vec<SchoolForm>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<CourseConnection> {
        let forms: Vec<vuxnav_schema::SchoolForm> =
            school_forms.unwrap_or_default().into_iter().map(Into::into).collect();
        let courses: Vec<Course> = snapshot(ctx)
            .courses()
            .iter()
            .filter(|c| forms.is_empty() || forms.contains(&c.school_form))
            .cloned()
            .map(Course)
            .collect();
        Ok(CourseConnection::page(ctx, courses.into_iter(), first, after)?)
    }

    /// Providers with at least one offering, by name in Swedish collation.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + 1")]
    async fn providers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ProviderConnection> {
        let providers = snapshot(ctx).providers().iter().cloned().map(Provider);
        Ok(ProviderConnection::page(ctx, providers, first, after)?)
    }

    /// Occupations of the pinned JobTech Taxonomy snapshot, by label: those whose labels, SSYK
    /// group or search words hold every word of `search` as the start of a word (å, ä, ö may be
    /// written a, a, o); all without `search`.
    async fn occupations(&self, ctx: &Context<'_>, search: Option<String>) -> Vec<Occupation> {
        let registries = registry::registries(ctx);
        registries.occupations(search.as_deref()).into_iter().cloned().map(Occupation).collect()
    }

    /// Validation offers (validering) valid today that `filter` selects, by key, with facet
    /// counts.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + 1")]
    async fn validation_offers(
        &self,
        ctx: &Context<'_>,
        filter: Option<ValidationOfferFilterInput>,
        #[graphql(desc = "Page size, 20 by default, at most the configured limit (500).")] first: Option<i32>,
        #[graphql(desc = "The cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<ValidationOfferConnection> {
        lookup(|| registry_connection::validation_offers(ctx, filter, first, after))
    }

    /// Guidance services (vägledning) and lärcentra that `filter` selects, by key or, with
    /// `filter.near`, nearest first; with facet counts.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + 1")]
    async fn guidance_services(
        &self,
        ctx: &Context<'_>,
        filter: Option<GuidanceServiceFilterInput>,
        #[graphql(desc = "Page size, 20 by default, at most the configured limit (500).")] first: Option<i32>,
        #[graphql(desc = "The cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<GuidanceServiceConnection> {
        lookup(|| registry_connection::guidance_services(ctx, filter, first, after))
    }

    /// The region's statistics over the offerings `filter` selects (cancelled ones left out
    /// unless it includes them): offerings, seats and the shares of distance and evening
    /// study, in all and per group of `groupBy`'s values.
    #[graphql(complexity = "SEARCH_COST + child_complexity")]
    async fn statistics(
        &self,
        ctx: &Context<'_>,
        filter: Option<OfferingFilterInput>,
        #[graphql(default, desc = "What to group by; no groups when empty.")] group_by: Vec<StatisticsGroupBy>,
    ) -> async_graphql::Result<Statistics> {
        statistics::statistics(ctx, filter, group_by)
    }

    /// Per source: what the offerings served from its records lack (course code, start date,
    /// location, application link, a known course code) and how its last runs went (freshness,
    /// rejection rate), as of the read model's last rebuild.
    async fn data_quality(&self, ctx: &Context<'_>) -> Vec<SourceQuality> {
        quality::data_quality(ctx)
    }

    /// "I want to become an undersköterska and live in Botkyrka": the courses and packages
    /// that lead to `occupation`, their offerings open to a resident of `municipality` (own
    /// municipality first, then by distance) with what each costs the home municipality, the
    /// validation offers that shorten the way and the guidance services to talk to.
    #[graphql(complexity = "first.unwrap_or(20).clamp(0, MAX_FIRST) as usize * child_complexity + SEARCH_COST")]
    async fn pathway(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A JobTech Taxonomy concept id, such as `Y3QA_5pk_uXd`.")] occupation: String,
        #[graphql(desc = "The home municipality's kommunkod, such as `0127`.")] municipality: String,
        #[graphql(desc = "Offerings per route, 20 by default, at most the configured page size.")] first: Option<i32>,
    ) -> async_graphql::Result<Pathway> {
        lookup(|| {
            let max = ctx.data_unchecked::<Settings>().max_page_size;
            let first = first.unwrap_or(20);
            let first = usize::try_from(first)
                .ok()
                .filter(|f| *f <= max)
                .ok_or_else(|| ApiError::bad_input("first", format!("{first} is not 0 to {max}")))?;
            registry::pathway(ctx, &occupation, &municipality, first, today(ctx))
        })
    }

    /// What studying an offering costs a resident's home municipality (interkommunal
    /// ersättning): nothing inter-municipal in the own municipality, else the price list entry
    /// that applies on the offering's start, or a clear `NOT_COVERED`.
    async fn cost(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The offering's id.")] offering: ID,
        #[graphql(desc = "The resident's home municipality, a kommunkod such as `0127`.")] home_municipality: String,
    ) -> async_graphql::Result<Cost> {
        lookup(|| {
            let offering = PublicId::parse(&offering).map_err(|e| ApiError::bad_input("offering", e.reason))?;
            registry::cost(ctx, offering, &home_municipality, today(ctx))
        })
    }

    /// The municipalities of the region (by default), or all 290 of Sweden, by kommunkod.
    async fn municipalities(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true, desc = "Only the municipalities of the region.")] in_region: bool,
    ) -> Vec<Municipality> {
        let region = &ctx.data_unchecked::<Settings>().region;
        ModelMunicipality::all().filter(|m| !in_region || region.contains(m.code)).map(Municipality).collect()
    }

    /// Any object with a public id.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> Option<async_graphql::Result<Node>> {
        Some(lookup(|| {
            let id = parse_id(&id)?;
            let model = snapshot(ctx);
            let node = if let Some(o) = model.offering(id) {
                Node::Offering(Offering(o.clone()))
            } else if let Some(c) = model.course(id) {
                Node::Course(Course(c.clone()))
            } else if let Some(p) = model.provider(id) {
                Node::Provider(Provider(p.clone()))
            } else {
                return Err(ApiError::NotFound(format!("node {id}")));
            };
            Ok(node)
        }))
    }

    /// Every configured source with its harvest status. A stale source's last good data is
    /// still served.
    #[graphql(cache_control(no_cache))]
    async fn sources(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Source>> {
        let store = ctx.data_unchecked::<vuxnav_store::Store>();
        let sources = store.sources().await.map_err(internal)?;
        Ok(sources.into_iter().map(Source).collect())
    }

    /// Recorded harvest runs, newest first: of one source, or of every source.
    #[graphql(cache_control(no_cache), complexity = "first.clamp(0, MAX_FIRST) as usize * child_complexity + 1")]
    async fn harvest_runs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A source's id; every source when left out.")] source: Option<String>,
        #[graphql(default = 20, desc = "Page size, at most the configured limit (500).")] first: i32,
        #[graphql(desc = "The cursor of the last edge of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<HarvestRunConnection> {
        harvest_runs(ctx, source, Some(first), after).await
    }
}
