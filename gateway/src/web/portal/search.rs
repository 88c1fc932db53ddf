//! `/sok`: the search. A `GET` form, so every search is a shareable URL; the filters are the
//! read model's (`OfferingFilter`), with the read model's facet count beside every choice:
//! municipality, school form, study form, time of study, language, subject (the
//! [`SUBJECTS_SHOWN`] with the most offerings, and the one chosen), pace, start window and the
//! two admission boxes. A count is what the search finds with that choice made instead (or the
//! box ticked). Pages are numbered
//! (`sida`), 20 offerings each, at most [`MAX_PAGES`]; the result count is in a
//! `role="status"` region.
//!
//! | parameter | filter |
//! |---|---|
//! | `q` | free text, Swedish stemming and typo tolerance |
//! | `kommun` | kommunkod; none: the whole region |
//! | `skolform` | `VUXGR`, `VUXGY`, `VUXSFI`, `VUXGRAN`, `VUXGYAN`, … (repeatable) |
//! | `amne` | a subject's name or code (`Matematik`, `MAT`); the form offers names |
//! | `studieform` | `plats`, `distans`, `hybrid` (repeatable) |
//! | `studietid` | `dag`, `kvall`, `helg`, `blandat` (repeatable) |
//! | `sprak` | ISO 639-2 (repeatable) |
//! | `takt` | `heltid` (100 %), `deltid` (50–99 %), `under-halvfart` (under 50 %) |
//! | `start` | starts within `30`, `90` or `180` days (continuous intake always qualifies) |
//! | `lopande` | `ja`: continuous intake only |
//! | `oppen` | `ja`: open for application today |
//! | `ordning` | `relevans` (default), `start`, `titel`, `kommun` |
//! | `sida` | the page, from 1 |
//!
//! A value that is not one of these is named in a notice and left out; a text the read model
//! refuses (over 200 characters or 12 words) is answered `400` with the reason.

use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Duration;
use vuxnav_read_model::{Facets, OfferingFilter, OfferingOrder, OfferingQuery, PaceBand, QueryError};
use vuxnav_schema::{Language, Offering, SchoolForm, StudyMode, TimeOfStudy};

use super::{Choice, Group, Params, date_sv, language_name, swedish_key};
use crate::web::{Frame, Web, render};

/// Offerings per page.
pub const PAGE_SIZE: usize = 20;
/// The last page a search shows: past it, the resident is asked to narrow the search.
pub const MAX_PAGES: usize = 50;
/// The subjects the form offers: those with the most offerings under the other filters (and
/// the one chosen), in Swedish order. Free text finds the rest.
pub const SUBJECTS_SHOWN: usize = 40;

/// One offering in the list.
struct Card {
    href: String,
    title: String,
    provider: String,
    municipality: String,
    start: String,
    facts: Vec<String>,
    cancelled: bool,
}

/// A link in the pagination.
struct PageLink {
    number: usize,
    href: String,
    current: bool,
    /// Pages are left out between this one and the one before.
    gap_before: bool,
}

#[derive(Template)]
#[template(path = "portal/search.html")]
struct SearchPage<'a> {
    frame: Frame<'a>,
    q: String,
    subjects: Vec<Choice>,
    problems: Vec<String>,
    status: String,
    cards: Vec<Card>,
    municipalities: Vec<Choice>,
    groups: Vec<Group>,
    paces: Vec<Choice>,
    starts: Vec<Choice>,
    orders: Vec<Choice>,
    continuous: bool,
    /// Offerings with continuous intake under the other filters.
    continuous_count: u64,
    open_now: bool,
    /// Offerings open for application today under the other filters.
    open_now_count: u64,
    pages: Vec<PageLink>,
    previous: Option<String>,
    next: Option<String>,
}

const PACES: [(&str, &str, PaceBand); 3] = [
    ("heltid", "Heltid, 100 %", PaceBand::FullTime),
    ("deltid", "Deltid, 50–99 %", PaceBand::PartTime),
    ("under-halvfart", "Under halvfart, under 50 %", PaceBand::UnderHalf),
];
/// The start windows: the read model counts each (`START_WINDOWS`), cumulatively.
const STARTS: [(&str, &str, u16); 3] =
    [("30", "Inom en månad", 30), ("90", "Inom tre månader", 90), ("180", "Inom ett halvår", 180)];
const ORDERS: [(&str, &str, OfferingOrder); 4] = [
    ("relevans", "Bäst matchning", OfferingOrder::Relevance),
    ("start", "Tidigast start", OfferingOrder::StartDate),
    ("titel", "Kursnamn A–Ö", OfferingOrder::Title),
    ("kommun", "Kommun A–Ö", OfferingOrder::Municipality),
];

pub async fn search(State(web): State<Web>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let today = web.app.today();
    let mut problems = Vec::new();
    let mut filter = OfferingFilter::default();

    for value in params.all("kommun") {
        match web.region_municipality(value) {
            Some(code) => filter.municipalities.push(code),
            None => problems.push(format!("”{value}” är ingen kommun i {}.", web.layout.region)),
        }
    }
    filter.school_forms = parse_all(&params, "skolform", "skolform", SchoolForm::parse, &mut problems);
    filter.modes = parse_all(&params, "studieform", "studieform", StudyMode::parse, &mut problems);
    filter.times_of_study = parse_all(&params, "studietid", "studietid", TimeOfStudy::parse, &mut problems);
    filter.languages = parse_all(&params, "sprak", "språk", Language::parse, &mut problems);
    let subject = params.one("amne").unwrap_or_default().to_owned();
    if !subject.is_empty() {
        filter.subjects.push(subject.clone());
    }
    let pace = params.one("takt");
    match pace.map(|pace| PACES.iter().find(|(value, _, _)| *value == pace)) {
        None => {}
        Some(Some((_, _, band))) => {
            let (min, max) = band.bounds();
            (filter.pace_min, filter.pace_max) = (Some(min), Some(max));
        }
        Some(None) => problems.push(format!("”{}” är ingen studietakt vi känner till.", pace.unwrap_or_default())),
    }
    let start = params.one("start");
    match start.map(|start| STARTS.iter().find(|(value, _, _)| *value == start)) {
        None => {}
        Some(Some((_, _, days))) => {
            (filter.start_from, filter.start_to) = (Some(today), Some(today + Duration::days((*days).into())));
        }
        Some(None) => problems.push(format!("”{}” är inget startintervall vi känner till.", start.unwrap_or_default())),
    }
    let continuous = params.one("lopande") == Some("ja");
    if continuous {
        filter.continuous_intake = Some(true);
    }
    let open_now = params.one("oppen") == Some("ja");
    if open_now {
        filter.open_for_application_on = Some(today);
    }
    let order_value = params.one("ordning").unwrap_or("relevans");
    let order = ORDERS.iter().find(|(value, _, _)| *value == order_value).map_or_else(
        || {
            problems.push(format!("”{order_value}” är ingen sortering vi känner till."));
            OfferingOrder::Relevance
        },
        |(_, _, order)| *order,
    );
    let page_number = match params.one("sida").map(str::parse::<usize>) {
        None => 1,
        Some(Ok(number)) if number >= 1 => number,
        Some(_) => {
            problems.push("Sidnumret ska vara ett heltal från 1.".to_owned());
            1
        }
    };
    let q = params.one("q").unwrap_or_default().to_owned();

    let model = web.model();
    let query = OfferingQuery {
        filter: filter.clone(),
        text: Some(q.clone()).filter(|text| !text.is_empty()),
        order,
        descending: false,
        first: page_number.min(MAX_PAGES) * PAGE_SIZE,
        after: None,
        facets: true,
        today: Some(today),
    };
    let (status_code, status, cards, facets, total) = match model.search(&query) {
        Ok(page) => {
            let total = page.total_count as usize;
            let skip = (page_number - 1) * PAGE_SIZE;
            let cards: Vec<Card> = page.items.iter().skip(skip).map(|(offering, _)| card(&model, offering)).collect();
            let (code, status) = if total == 0 {
                (StatusCode::OK, "Inga utbildningar matchar sökningen.".to_owned())
            } else if cards.is_empty() {
                let last = total.div_ceil(PAGE_SIZE).min(MAX_PAGES);
                (
                    StatusCode::NOT_FOUND,
                    format!("Sidan {page_number} finns inte: sökningen ger {} på {last} sidor.", count_text(total)),
                )
            } else {
                let shown = format!("{}–{}", skip + 1, skip + cards.len());
                (StatusCode::OK, format!("{} matchar sökningen. Visar {shown}.", capitalise(&count_text(total))))
            };
            (code, status, cards, page.facets.unwrap_or_default(), total)
        }
        Err(QueryError::BadText(reason)) => {
            let status = format!(
                "Sökningen kunde inte göras: sökorden får vara högst 200 tecken och 12 ord ({reason}). Korta sökningen och försök igen."
            );
            (StatusCode::BAD_REQUEST, status, Vec::new(), Facets::default(), 0)
        }
        Err(error) => {
            tracing::error!(%error, "a portal search failed");
            let status = "Sökningen kunde inte göras just nu. Försök igen om en stund.".to_owned();
            (StatusCode::INTERNAL_SERVER_ERROR, status, Vec::new(), Facets::default(), 0)
        }
    };

    let last_page = total.div_ceil(PAGE_SIZE).min(MAX_PAGES);
    if total > MAX_PAGES * PAGE_SIZE && page_number >= MAX_PAGES {
        problems.push(format!(
            "Vi visar de första {} träffarna. Lägg till ett filter eller ett sökord för att se fler.",
            MAX_PAGES * PAGE_SIZE
        ));
    }
    let href = |number: usize| {
        let number = number.to_string();
        format!("/sok?{}", params.with("sida", Some(number.as_str()).filter(|n| *n != "1")))
    };
    let numbers = page_window(page_number, last_page);
    let pages = numbers
        .iter()
        .enumerate()
        .map(|(i, &number)| PageLink {
            number,
            href: href(number),
            current: number == page_number,
            gap_before: i > 0 && numbers[i - 1] + 1 < number,
        })
        .collect();
    let previous = (page_number > 1 && page_number <= last_page).then(|| href(page_number - 1));
    let next = (page_number < last_page).then(|| href(page_number + 1));

    let page = SearchPage {
        frame: web.portal_frame(if q.is_empty() { "Sök utbildning".to_owned() } else { format!("Sök: {q}") }, "/sok"),
        municipalities: municipality_choices(&web, &facets, &filter),
        groups: groups(&facets, &filter),
        subjects: subject_choices(&facets, &subject),
        paces: PACES
            .iter()
            .map(|(v, l, band)| {
                let count = facets.pace.iter().find(|(b, _)| b == band).map_or(0, |(_, n)| *n);
                Choice::new("takt", v, *l, Some(count), pace == Some(*v))
            })
            .collect(),
        starts: STARTS
            .iter()
            .map(|(v, l, days)| {
                let count = facets.start_within.iter().find(|(d, _)| d == days).map_or(0, |(_, n)| *n);
                Choice::new("start", v, *l, Some(count), start == Some(*v))
            })
            .collect(),
        orders: ORDERS.iter().map(|(v, l, _)| Choice::new("ordning", v, *l, None, *v == order_value)).collect(),
        continuous,
        continuous_count: facets.continuous_intake,
        open_now,
        open_now_count: facets.open_now.unwrap_or_default(),
        q,
        problems,
        status,
        cards,
        pages,
        previous,
        next,
    };
    render(status_code, &page)
}

fn parse_all<T, E>(
    params: &Params,
    key: &str,
    what: &str,
    parse: impl Fn(&str) -> Result<T, E>,
    problems: &mut Vec<String>,
) -> Vec<T> {
    params
        .all(key)
        .filter_map(|value| {
            parse(value).map_err(|_| problems.push(format!("”{value}” är ingen {what} vi känner till."))).ok()
        })
        .collect()
}

/// `1 utbildning`, `12 utbildningar`.
pub(super) fn count_text(count: usize) -> String {
    if count == 1 { "1 utbildning".to_owned() } else { format!("{count} utbildningar") }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The page numbers to link: the first, the last, and two on each side of the current.
fn page_window(current: usize, last: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = (1..=last).filter(|&n| n == 1 || n == last || n.abs_diff(current) <= 2).collect();
    numbers.dedup();
    numbers
}

fn card(model: &vuxnav_read_model::ReadModel, offering: &Offering) -> Card {
    let course = model.course(offering.course);
    let title = offering.title.clone().or_else(|| course.map(|c| c.title.clone())).unwrap_or_default();
    let provider = model.provider(offering.provider).map(|p| p.name.clone()).unwrap_or_default();
    let start = if offering.schedule.continuous_intake() {
        "Löpande antagning".to_owned()
    } else {
        offering.schedule.start().map_or_else(|| "Start ej angiven".to_owned(), |d| format!("Start {}", date_sv(d)))
    };
    let mut facts = Vec::new();
    if let Some(course) = course {
        facts.push(course.school_form.label().to_owned());
    }
    if let Some(mode) = offering.mode {
        facts.push(capitalise(mode.label()));
    }
    if let Some(time) = offering.time_of_study {
        facts.push(capitalise(time.label()));
    }
    facts.push(format!("Studietakt {} %", offering.pace.percent()));
    if let Some(language) = offering.language.filter(|l| *l != Language::SWEDISH) {
        facts.push(format!("Undervisning på {}", language_name(language)));
    }
    Card {
        href: format!("/utbildning/{}", offering.id),
        title,
        provider,
        municipality: offering.municipality.municipality().name.to_owned(),
        start,
        facts,
        cancelled: offering.cancelled,
    }
}

fn municipality_choices(web: &Web, facets: &Facets, filter: &OfferingFilter) -> Vec<Choice> {
    let total: u64 = facets.municipality.iter().map(|(_, count)| count).sum();
    let counts: std::collections::HashMap<_, _> = facets.municipality.iter().copied().collect();
    let mut choices = vec![Choice::new(
        "kommun",
        "",
        format!("Hela {}", web.layout.region),
        Some(total),
        filter.municipalities.is_empty(),
    )];
    choices.extend(web.municipalities().iter().map(|m| {
        let count = counts.get(&m.code).copied().unwrap_or(0);
        Choice::new("kommun", m.code.as_str(), m.name, Some(count), filter.municipalities.contains(&m.code))
    }));
    choices
}

/// The subjects to choose from: the [`SUBJECTS_SHOWN`] with the most offerings and the chosen
/// one (matched ignoring case, kept with its count even when it is 0), in Swedish order.
fn subject_choices(facets: &Facets, chosen: &str) -> Vec<Choice> {
    let is_chosen = |subject: &str| !chosen.is_empty() && subject.to_lowercase() == chosen.to_lowercase();
    let mut shown: Vec<&(String, u64)> = facets
        .subject
        .iter()
        .enumerate()
        .filter(|(rank, (subject, count))| (*rank < SUBJECTS_SHOWN && *count > 0) || is_chosen(subject))
        .map(|(_, entry)| entry)
        .collect();
    shown.sort_by_cached_key(|(subject, _)| swedish_key(subject));
    let mut choices = vec![Choice::new("amne", "", "Alla ämnen", None, chosen.is_empty())];
    choices.extend(
        shown
            .into_iter()
            .map(|(subject, count)| Choice::new("amne", subject, subject.as_str(), Some(*count), is_chosen(subject))),
    );
    if !chosen.is_empty() && !choices.iter().any(|choice| choice.chosen) {
        // No counts (the search failed): the choice is kept all the same.
        choices.push(Choice::new("amne", chosen, chosen, None, true));
    }
    choices
}

/// The checkbox groups with the read model's counts, in the code lists' order; a value with
/// no offerings is left out unless it is chosen.
fn groups(facets: &Facets, filter: &OfferingFilter) -> Vec<Group> {
    /// The counts of known values (the read model counts unknown ones too).
    fn known<T: Copy>(counts: &[(Option<T>, u64)]) -> Vec<(T, u64)> {
        counts.iter().filter_map(|(v, n)| v.map(|v| (v, *n))).collect()
    }
    fn group<T: Copy + PartialEq>(
        name: &'static str,
        legend: &'static str,
        all: impl IntoIterator<Item = T>,
        counts: &[(T, u64)],
        chosen: &[T],
        code: impl Fn(T) -> String,
        label: impl Fn(T) -> String,
    ) -> Group {
        let choices = all
            .into_iter()
            .filter_map(|value| {
                let count = counts.iter().find(|(v, _)| *v == value).map_or(0, |(_, n)| *n);
                let chosen = chosen.contains(&value);
                (count > 0 || chosen).then(|| Choice::new(name, &code(value), label(value), Some(count), chosen))
            })
            .collect();
        Group { name, legend, choices }
    }
    let mut languages: Vec<Language> = facets.language.iter().filter_map(|(v, _)| *v).collect();
    languages.extend(filter.languages.iter().copied());
    languages.sort_by_key(|l| (*l != Language::SWEDISH, language_name(*l)));
    languages.dedup();
    vec![
        group(
            "skolform",
            "Skolform",
            SchoolForm::ALL.iter().copied(),
            &facets.school_form,
            &filter.school_forms,
            |v| v.code().to_owned(),
            |v| v.label().to_owned(),
        ),
        group(
            "studieform",
            "Studieform",
            StudyMode::ALL.iter().copied(),
            &known(&facets.mode),
            &filter.modes,
            |v| v.code().to_owned(),
            |v| capitalise(v.label()),
        ),
        group(
            "studietid",
            "Studietid",
            TimeOfStudy::ALL.iter().copied(),
            &known(&facets.time_of_study),
            &filter.times_of_study,
            |v| v.code().to_owned(),
            |v| capitalise(v.label()),
        ),
        group(
            "sprak",
            "Undervisningsspråk",
            languages,
            &known(&facets.language),
            &filter.languages,
            |v| v.as_str().to_owned(),
            |v| capitalise(&language_name(v)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pagination_links_the_first_the_last_and_two_pages_around_the_current() {
        assert_eq!(page_window(1, 1), [1]);
        assert_eq!(page_window(1, 10), [1, 2, 3, 10]);
        assert_eq!(page_window(6, 10), [1, 4, 5, 6, 7, 8, 10]);
        assert_eq!(page_window(12, 10), [1, 10]);
        assert!(page_window(1, 0).is_empty());
    }
}
