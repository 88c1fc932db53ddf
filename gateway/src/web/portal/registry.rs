//! The pages read from the region's registries: pathways to an occupation (`/yrken`, `/yrken/{id}`:
//! the read model's `pathway`, as the GraphQL `pathway` query answers), validering
//! (`/validering`) and vägledning (`/vagledning`), each with its filters (municipality,
//! language, and for vägledning the channel) and the registry snapshot's facet counts, through
//! the same `ValidationFilter` and `GuidanceFilter` as `/graphql`. Occupations and pathways
//! show the labour-market outlook of the home municipality's county (or the region's), see
//! `outlook`.

use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Weekday;
use vuxnav_read_model::{Cost, GuidanceFilter, ValidationFilter};
use vuxnav_schema::{Channel, FigureSource, GuidanceService, Language, MunicipalityCode, ValidationOffer};

use super::outlook::{OutlookView, outlook_views};
use super::{Choice, Group, Params, address_line, date_sv, language_name, map_link};
use crate::web::{Frame, Web, not_found_page, render};

/// Offerings listed per route of a pathway.
const OFFERINGS_PER_ROUTE: usize = 10;
/// Occupations listed for a search, at most.
const MAX_OCCUPATIONS: usize = 50;

/// The municipality options of a filter: the whole region, then each municipality with its
/// count (when counted).
fn municipality_choices(
    web: &Web,
    counts: Option<&[(MunicipalityCode, u64)]>,
    chosen: Option<MunicipalityCode>,
    whole: &str,
) -> Vec<Choice> {
    let mut choices = vec![Choice::new("kommun", "", whole, None, chosen.is_none())];
    choices.extend(web.municipalities().iter().map(|m| {
        let count = counts.map(|counts| counts.iter().find(|(code, _)| *code == m.code).map_or(0, |(_, n)| *n));
        Choice::new("kommun", m.code.as_str(), m.name, count, chosen == Some(m.code))
    }));
    choices
}

/// The language options: those counted, Swedish first, then by name.
fn language_choices(counts: &[(Language, u64)], chosen: Option<Language>) -> Vec<Choice> {
    let mut counts = counts.to_vec();
    if let Some(chosen) = chosen.filter(|c| !counts.iter().any(|(l, _)| l == c)) {
        counts.push((chosen, 0));
    }
    counts.sort_by_key(|(language, _)| (*language != Language::SWEDISH, language_name(*language)));
    let mut choices = vec![Choice::new("sprak", "", "Alla språk", None, chosen.is_none())];
    choices.extend(counts.into_iter().map(|(language, count)| {
        Choice::new("sprak", language.as_str(), language_name(language), Some(count), chosen == Some(language))
    }));
    choices
}

/// The filters both lists share: one municipality and one language, each named in a notice
/// when it is not one.
fn read_common(web: &Web, params: &Params, problems: &mut Vec<String>) -> (Option<MunicipalityCode>, Option<Language>) {
    let municipality = params.one("kommun").and_then(|value| {
        let code = web.region_municipality(value);
        if code.is_none() {
            problems.push(format!("”{value}” är ingen kommun i {}.", web.layout.region));
        }
        code
    });
    let language = params.one("sprak").and_then(|value| {
        Language::parse(value).map_err(|_| problems.push(format!("”{value}” är inget språk vi känner till."))).ok()
    });
    (municipality, language)
}

fn status_code(problems: &[String]) -> StatusCode {
    if problems.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST }
}

// ----- vägledning -----

struct GuidanceCard {
    name: String,
    organiser: String,
    kind: String,
    channels: String,
    languages: String,
    address: String,
    map: Option<String>,
    phone: Option<String>,
    booking: Option<String>,
    hours: Vec<String>,
    study_plan: bool,
}

#[derive(Template)]
#[template(path = "portal/guidance.html")]
struct GuidancePage<'a> {
    frame: Frame<'a>,
    problems: Vec<String>,
    status: String,
    municipalities: Vec<Choice>,
    languages: Vec<Choice>,
    channels: Group,
    cards: Vec<GuidanceCard>,
}

pub async fn guidance(State(web): State<Web>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let mut problems = Vec::new();
    let (municipality, language) = read_common(&web, &params, &mut problems);
    let channels: Vec<Channel> = params
        .all("kanal")
        .filter_map(|value| {
            Channel::parse(value).map_err(|_| problems.push(format!("”{value}” är ingen kanal vi känner till."))).ok()
        })
        .collect();
    let filter = GuidanceFilter {
        municipalities: municipality.into_iter().collect(),
        languages: language.into_iter().collect(),
        channels: channels.clone(),
        ..GuidanceFilter::default()
    };
    let registries = web.registries();
    let facets = registries.guidance_facets(&filter);
    let services = registries.guidance_services(&filter);
    let cards: Vec<GuidanceCard> = services.iter().map(|nearby| guidance_card(nearby.entry)).collect();
    let status = match cards.len() {
        0 => "Ingen vägledning matchar valen. Pröva att ta bort ett val.".to_owned(),
        1 => "1 ställe att få vägledning.".to_owned(),
        n => format!("{n} ställen att få vägledning."),
    };
    let channel_choices = Channel::ALL
        .iter()
        .map(|channel| {
            let count = facets.channel.iter().find(|(c, _)| c == channel).map_or(0, |(_, n)| *n);
            Choice::new("kanal", channel.code(), capitalise(channel.label()), Some(count), channels.contains(channel))
        })
        .collect();
    let page = GuidancePage {
        frame: web.portal_frame("Vägledning", "/vagledning"),
        municipalities: municipality_choices(&web, Some(&facets.municipality), municipality, "Alla kommuner"),
        languages: language_choices(&facets.language, language),
        channels: Group { name: "kanal", legend: "Hur vill du ha kontakt?", choices: channel_choices },
        status,
        cards,
        problems,
    };
    render(status_code(&page.problems), &page)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Måndag",
        Weekday::Tue => "Tisdag",
        Weekday::Wed => "Onsdag",
        Weekday::Thu => "Torsdag",
        Weekday::Fri => "Fredag",
        Weekday::Sat => "Lördag",
        Weekday::Sun => "Söndag",
    }
}

fn guidance_card(service: &GuidanceService) -> GuidanceCard {
    GuidanceCard {
        name: service.name.clone(),
        organiser: service.organiser.clone(),
        kind: capitalise(service.kind.label()),
        channels: service.channels.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
        languages: service.languages.iter().map(|l| language_name(*l)).collect::<Vec<_>>().join(", "),
        address: address_line(&service.address),
        map: map_link(&service.address),
        phone: service.phone.clone(),
        booking: service.booking_url.clone(),
        hours: service
            .opening_hours
            .iter()
            .map(|h| format!("{} {}–{}", weekday(h.weekday), h.opens.format("%H.%M"), h.closes.format("%H.%M")))
            .collect(),
        study_plan: service.draws_up_study_plan,
    }
}

// ----- validering -----

struct ValidationCard {
    title: String,
    kind: String,
    provider: String,
    languages: String,
    municipalities: String,
    cost: String,
    contact: String,
    contact_href: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/validation.html")]
struct ValidationPage<'a> {
    frame: Frame<'a>,
    problems: Vec<String>,
    status: String,
    municipalities: Vec<Choice>,
    languages: Vec<Choice>,
    cards: Vec<ValidationCard>,
}

pub async fn validation(State(web): State<Web>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let mut problems = Vec::new();
    let (municipality, language) = read_common(&web, &params, &mut problems);
    let filter = ValidationFilter {
        municipalities: municipality.into_iter().collect(),
        languages: language.into_iter().collect(),
        ..ValidationFilter::default()
    };
    let registries = web.registries();
    let today = web.app.today();
    let facets = registries.validation_facets(&filter, today);
    let cards: Vec<ValidationCard> =
        registries.validation_offers(&filter, today).into_iter().map(validation_card).collect();
    let status = match cards.len() {
        0 => "Ingen validering matchar valen. Pröva att ta bort ett val.".to_owned(),
        1 => "1 validering.".to_owned(),
        n => format!("{n} valideringar."),
    };
    let page = ValidationPage {
        frame: web.portal_frame("Validering", "/validering"),
        municipalities: municipality_choices(&web, Some(&facets.municipality), municipality, "Alla kommuner"),
        languages: language_choices(&facets.language, language),
        status,
        cards,
        problems,
    };
    render(status_code(&page.problems), &page)
}

fn validation_card(offer: &ValidationOffer) -> ValidationCard {
    let contact = offer.contact.clone();
    let contact_href = if contact.starts_with("https://") || contact.starts_with("http://") {
        Some(contact.clone())
    } else if contact.contains('@') && !contact.contains(' ') {
        Some(format!("mailto:{contact}"))
    } else {
        None
    };
    ValidationCard {
        title: offer.title.clone(),
        kind: capitalise(offer.kind.label()),
        provider: offer.provider.clone(),
        languages: offer.languages.iter().map(|l| language_name(*l)).collect::<Vec<_>>().join(", "),
        municipalities: offer.municipalities.iter().map(|m| m.municipality().name).collect::<Vec<_>>().join(", "),
        cost: match offer.cost_sek {
            Some(0) | None => format!("Betalas av {}", offer.paid_by.label()),
            Some(sek) => format!("{} kr, betalas av {}", kronor_sv(u64::from(sek) * 100), offer.paid_by.label()),
        },
        contact,
        contact_href,
    }
}

// ----- pathways -----

/// Kronor as Swedes write them: `52 000`, `87,50`.
fn kronor_sv(ore: u64) -> String {
    let whole = (ore / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    match ore % 100 {
        0 => grouped,
        cents => format!("{grouped},{cents:02}"),
    }
}

/// What an offering costs the home municipality, in a sentence: the price list entry that
/// applies (marked when it is illustrative), none within the municipality, or none found.
fn cost_sv(cost: &Cost<'_>) -> String {
    match cost {
        Cost::OwnMunicipality => "Ingen kostnad mellan kommuner: tillfället finns i din kommun.".to_owned(),
        Cost::Priced { entry, .. } => {
            let amount = kronor_sv(entry.amount.ore());
            let illustrative = if entry.source == FigureSource::Illustrative { " (exempelpris)" } else { "" };
            format!("Din kommun betalar {amount} kr {}{illustrative}.", entry.unit.label())
        }
        Cost::NotCovered { .. } => "Ingen prislista täcker tillfället: fråga din kommun vad som gäller.".to_owned(),
    }
}

struct OccupationLink {
    href: String,
    label: String,
    /// The job opportunities in the county, in a sentence, when an outlook is published.
    outlook: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/occupations.html")]
struct OccupationsPage<'a> {
    frame: Frame<'a>,
    q: String,
    municipalities: Vec<Choice>,
    status: String,
    occupations: Vec<OccupationLink>,
    problems: Vec<String>,
}

pub async fn occupations(State(web): State<Web>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let mut problems = Vec::new();
    let (home, _) = read_common(&web, &params, &mut problems);
    let q: String = params.one("q").unwrap_or_default().chars().take(100).collect();
    let registries = web.registries();
    let found = if q.is_empty() { Vec::new() } else { registries.occupations(Some(&q)) };
    let status = match (q.is_empty(), found.len()) {
        (true, _) => String::new(),
        (false, 0) => format!("Inget yrke matchar ”{q}”. Pröva ett annat ord, som undersköterska eller elektriker."),
        (false, 1) => "1 yrke matchar.".to_owned(),
        (false, n) if n > MAX_OCCUPATIONS => format!("{n} yrken matchar; de första {MAX_OCCUPATIONS} visas."),
        (false, n) => format!("{n} yrken matchar."),
    };
    let kommun = home.map(|code| format!("?kommun={}", code.as_str())).unwrap_or_default();
    let county = outlook_county(&web, home);
    let occupations = found
        .into_iter()
        .take(MAX_OCCUPATIONS)
        .map(|o| OccupationLink {
            href: format!("/yrken/{}{kommun}", o.id.as_str()),
            label: o.label.clone(),
            outlook: outlook_views(&registries, &o.id, county).into_iter().next().map(|view| {
                let illustrative = if view.illustrative { " (illustrativa siffror)" } else { "" };
                format!("{}{illustrative}", view.opportunities)
            }),
        })
        .collect();
    let page = OccupationsPage {
        frame: web
            .portal_frame(if q.is_empty() { "Vägar till yrken".to_owned() } else { format!("Yrken: {q}") }, "/yrken"),
        municipalities: municipality_choices(&web, None, home, "Välj kommun"),
        q,
        status,
        occupations,
        problems,
    };
    render(status_code(&page.problems), &page)
}

/// The county whose outlook to show: the home municipality's, or the region's when it lies
/// in one county (else the national figures).
fn outlook_county(web: &Web, home: Option<MunicipalityCode>) -> Option<vuxnav_schema::County> {
    home.map(|code| code.municipality().county()).or_else(|| web.app.config.region.home_county())
}

struct RouteView {
    title: String,
    code: String,
    search: String,
    offerings: Vec<RouteOffering>,
    more: usize,
}

struct RouteOffering {
    href: String,
    title: String,
    place: String,
    start: String,
    /// What the home municipality pays the offering's municipality for it.
    cost: String,
}

#[derive(Template)]
#[template(path = "portal/pathway.html")]
struct PathwayPage<'a> {
    frame: Frame<'a>,
    label: String,
    id: String,
    /// A search for the occupation's name (its label up to the first comma).
    search: String,
    home: Option<String>,
    municipalities: Vec<Choice>,
    routes: Vec<RouteView>,
    validation: Vec<ValidationCard>,
    guidance: Vec<GuidanceCard>,
    /// The labour-market outlook in the home municipality's county (or the region's).
    outlook: Vec<OutlookView>,
    problems: Vec<String>,
}

pub async fn pathway(State(web): State<Web>, Path(id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let registries = web.registries();
    let Ok(occupation) = registries.taxonomy().occupation(&id) else {
        return not_found_page(&web);
    };
    let params = Params::parse(raw.as_deref());
    let mut problems = Vec::new();
    let (home, _) = read_common(&web, &params, &mut problems);
    let model = web.model();
    let today = web.app.today();
    let mut page = PathwayPage {
        frame: web.portal_frame(format!("Bli {}", occupation.label.to_lowercase()), "/yrken"),
        label: occupation.label.clone(),
        id: occupation.id.as_str().to_owned(),
        search: {
            let name = occupation.label.split(',').next().unwrap_or_default().trim().to_lowercase();
            format!("/sok?q={}", form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>())
        },
        home: home.map(|code| code.municipality().name.to_owned()),
        municipalities: municipality_choices(&web, None, home, "Välj kommun"),
        routes: Vec::new(),
        validation: Vec::new(),
        guidance: Vec::new(),
        outlook: outlook_views(&registries, &occupation.id, outlook_county(&web, home)),
        problems,
    };
    if let Some(pathway) = home.and_then(|home| registries.pathway(&model, &occupation.id, home, today)) {
        page.routes = pathway
            .routes
            .iter()
            .map(|route| {
                let title = route.courses.first().map_or_else(|| route.code.as_str().to_owned(), |c| c.title.clone());
                let offerings = route
                    .offerings
                    .iter()
                    .take(OFFERINGS_PER_ROUTE)
                    .map(|o| {
                        let offering = o.offering;
                        let mut place = offering.municipality.municipality().name.to_owned();
                        if o.own_municipality {
                            place.push_str(" (din kommun)");
                        } else if let Some(km) = o.distance_km {
                            place.push_str(&format!(" (cirka {} km bort)", km.round()));
                        }
                        let start = if offering.schedule.continuous_intake() {
                            "Löpande antagning".to_owned()
                        } else {
                            offering
                                .schedule
                                .start()
                                .map_or_else(|| "Start ej angiven".to_owned(), |d| format!("Start {}", date_sv(d)))
                        };
                        RouteOffering {
                            href: format!("/utbildning/{}", offering.id),
                            title: offering.title.clone().unwrap_or_else(|| title.clone()),
                            place,
                            start,
                            cost: cost_sv(&o.cost),
                        }
                    })
                    .collect();
                RouteView {
                    search: format!("/sok?q={}", form_urlencoded::byte_serialize(title.as_bytes()).collect::<String>()),
                    title,
                    code: route.code.as_str().to_owned(),
                    more: route.offerings.len().saturating_sub(OFFERINGS_PER_ROUTE),
                    offerings,
                }
            })
            .collect();
        page.validation = pathway.validation_offers.iter().map(|offer| validation_card(offer)).collect();
        page.guidance = pathway.guidance_services.iter().map(|service| guidance_card(service)).collect();
    }
    render(status_code(&page.problems), &page)
}

#[cfg(test)]
mod tests {
    use super::kronor_sv;

    #[test]
    fn kronor_are_grouped_by_thousands_with_a_decimal_comma_only_when_there_are_ore() {
        assert_eq!(kronor_sv(0), "0");
        assert_eq!(kronor_sv(8_750), "87,50");
        assert_eq!(kronor_sv(5_200_000), "52\u{a0}000");
        assert_eq!(kronor_sv(123_456_705), "1\u{a0}234\u{a0}567,05");
    }
}
