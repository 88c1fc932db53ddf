//! `/utbildning/{id}`: an offering's page. Every fact a resident needs to decide and apply, the
//! provider, the address with a map link, the course's other occasions in the region, the
//! occupations it leads to, the validation offers and guidance services for it, and the
//! offering as schema.org `Course` with a `CourseInstance` in JSON-LD. An id that is not an
//! offering's gets the Swedish 404 page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};
use vuxnav_read_model::{GuidanceFilter, ValidationFilter};
use vuxnav_schema::{Course, Eligibility, Offering, Provider, PublicId, StudyMode};

use super::{address_line, date_sv, language_name, map_link};
use crate::web::{Frame, Web, not_found_page, render};

/// Other occasions of the course listed, at most.
const MAX_OCCASIONS: usize = 20;

/// A fact: its term and its value.
struct Fact {
    term: &'static str,
    value: String,
}

/// A link with its text.
struct Link {
    href: String,
    text: String,
    detail: String,
}

struct ProviderView {
    name: String,
    web: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/offering.html")]
struct OfferingPage<'a> {
    frame: Frame<'a>,
    title: String,
    course_title: String,
    description: Option<String>,
    cancelled: bool,
    open_now: bool,
    facts: Vec<Fact>,
    apply: Option<String>,
    municipality: Link,
    address: String,
    map: Option<String>,
    provider: Option<ProviderView>,
    occasions: Vec<Link>,
    occupations: Vec<Link>,
    validation: Vec<Link>,
    guidance: Vec<Link>,
    json_ld: String,
}

pub async fn offering(State(web): State<Web>, Path(id): Path<String>) -> Response {
    let model = web.model();
    let Some(offering) = PublicId::parse(&id).ok().and_then(|id| model.offering(id)) else {
        return not_found_page(&web);
    };
    let Some(course) = model.course(offering.course) else {
        return not_found_page(&web);
    };
    let provider = model.provider(offering.provider);
    let registries = web.registries();
    let today = web.app.today();
    let title = offering.title.clone().unwrap_or_else(|| course.title.clone());
    let home = offering.municipality.municipality();

    let mut occasions: Vec<&Offering> =
        model.offerings_of(course).filter(|other| other.id != offering.id && !other.cancelled).collect();
    occasions.sort_by_key(|other| (other.schedule.start(), other.municipality, other.id));
    let occasions = occasions
        .into_iter()
        .take(MAX_OCCASIONS)
        .map(|other| Link {
            href: format!("/utbildning/{}", other.id),
            text: format!("{}, {}", other.municipality.municipality().name, start_text(other)),
            detail: model.provider(other.provider).map(|p| p.name.clone()).unwrap_or_default(),
        })
        .collect();
    let occupations = course
        .code
        .as_ref()
        .map(|code| registries.occupations_of(code))
        .unwrap_or_default()
        .into_iter()
        .map(|occupation| Link {
            href: format!("/yrken/{}?kommun={}", occupation.id.as_str(), home.code.as_str()),
            text: occupation.label.clone(),
            detail: String::new(),
        })
        .collect();
    let validation = match &course.code {
        Some(code) => {
            let filter = ValidationFilter {
                municipalities: vec![offering.municipality],
                course_codes: vec![code.clone()],
                ..ValidationFilter::default()
            };
            registries
                .validation_offers(&filter, today)
                .into_iter()
                .map(|offer| Link { href: String::new(), text: offer.title.clone(), detail: offer.provider.clone() })
                .collect()
        }
        None => Vec::new(),
    };
    let guidance = registries
        .guidance_services(&GuidanceFilter { municipalities: vec![offering.municipality], ..GuidanceFilter::default() })
        .into_iter()
        .map(|nearby| Link {
            href: format!("/vagledning?kommun={}", home.code.as_str()),
            text: nearby.entry.name.clone(),
            detail: nearby.entry.organiser.clone(),
        })
        .collect();

    let apply = offering.application.url.clone().or_else(|| offering.web.clone());
    let page = OfferingPage {
        frame: web.portal_frame(format!("{title}, {}", home.name), "/sok"),
        course_title: course.title.clone(),
        description: course.description.clone(),
        cancelled: offering.cancelled,
        open_now: offering.application.is_open_on(today),
        facts: facts(offering, course),
        apply,
        municipality: Link {
            href: format!("/kommun/{}", home.code.as_str()),
            text: home.name.to_owned(),
            detail: String::new(),
        },
        address: address_line(&offering.location),
        map: map_link(&offering.location),
        provider: provider.map(|p| ProviderView {
            name: p.name.clone(),
            web: p.web.clone(),
            email: p.email.clone(),
            phone: p.phone.clone(),
        }),
        occasions,
        occupations,
        validation,
        guidance,
        json_ld: json_ld(offering, course, provider, &title),
        title,
    };
    render(StatusCode::OK, &page)
}

fn start_text(offering: &Offering) -> String {
    if offering.schedule.continuous_intake() {
        "löpande antagning".to_owned()
    } else {
        offering.schedule.start().map_or_else(|| "start ej angiven".to_owned(), |d| format!("start {}", date_sv(d)))
    }
}

fn facts(offering: &Offering, course: &Course) -> Vec<Fact> {
    let mut facts = vec![Fact { term: "Skolform", value: course.school_form.label().to_owned() }];
    if let Some(code) = &course.code {
        facts.push(Fact { term: "Kurskod", value: code.as_str().to_owned() });
    }
    if let Some(credits) = &course.credits {
        facts.push(Fact { term: "Omfattning", value: format!("{} {}", credits.value, credits.system.label()) });
    }
    if let Some(subject) = &course.subject {
        facts.push(Fact { term: "Ämne", value: subject.clone() });
    }
    let start = if offering.schedule.continuous_intake() {
        "Löpande antagning: du börjar när du blivit antagen".to_owned()
    } else {
        offering.schedule.start().map_or_else(|| "Inte angiven".to_owned(), date_sv)
    };
    facts.push(Fact { term: "Start", value: start });
    if let Some(end) = offering.schedule.end() {
        facts.push(Fact { term: "Slut", value: date_sv(end) });
    }
    facts.push(Fact { term: "Studietakt", value: format!("{} %", offering.pace.percent()) });
    facts.push(Fact {
        term: "Studieform",
        value: offering.mode.map_or_else(|| "Inte angiven".to_owned(), |mode| mode.label().to_owned()),
    });
    facts.push(Fact {
        term: "Studietid",
        value: offering.time_of_study.map_or_else(|| "Inte angiven".to_owned(), |time| time.label().to_owned()),
    });
    facts.push(Fact {
        term: "Undervisningsspråk",
        value: offering.language.map_or_else(|| "Inte angivet".to_owned(), language_name),
    });
    let who = match offering.eligibility {
        Eligibility::Residents => format!("Den som bor i {}", offering.municipality.municipality().name),
        Eligibility::Region => "Den som bor i länet".to_owned(),
        Eligibility::National => "Alla, oavsett hemkommun".to_owned(),
    };
    facts.push(Fact { term: "Vem kan söka", value: who });
    let application = &offering.application;
    let window = match (application.continuous(), application.opens(), application.closes()) {
        (true, _, _) => "Löpande: du kan söka när som helst".to_owned(),
        (false, Some(opens), Some(closes)) => format!("Från {} till {}", date_sv(opens), date_sv(closes)),
        (false, None, Some(closes)) => format!("Till {}", date_sv(closes)),
        (false, Some(opens), None) => format!("Från {}", date_sv(opens)),
        (false, None, None) => "Fråga din hemkommun".to_owned(),
    };
    facts.push(Fact { term: "Ansökan", value: window });
    facts.push(Fact {
        term: "Kostnad",
        value: offering.fee_sek.map_or_else(|| "Avgiftsfri".to_owned(), |fee| format!("{fee} kr")),
    });
    if let Some(seats) = offering.seats {
        facts.push(Fact { term: "Platser", value: seats.to_string() });
    }
    facts
}

/// The offering as schema.org `Course` with one `CourseInstance`, as a JSON text that is safe
/// inside `<script type="application/ld+json">` (no `<`, so no `</script>`).
fn json_ld(offering: &Offering, course: &Course, provider: Option<&Provider>, title: &str) -> String {
    let mut instance = json!({
        "@type": "CourseInstance",
        "name": title,
        "courseWorkload": format!("{} %", offering.pace.percent()),
    });
    let put = |node: &mut Value, key: &str, value: Option<Value>| {
        if let (Some(value), Some(map)) = (value, node.as_object_mut()) {
            map.insert(key.to_owned(), value);
        }
    };
    let mode = offering.mode.map(|mode| match mode {
        StudyMode::OnSite => "onsite",
        StudyMode::Distance => "online",
        StudyMode::Hybrid => "blended",
    });
    put(&mut instance, "courseMode", mode.map(Value::from));
    put(&mut instance, "startDate", offering.schedule.start().map(|d| Value::from(d.to_string())));
    put(&mut instance, "endDate", offering.schedule.end().map(|d| Value::from(d.to_string())));
    put(
        &mut instance,
        "inLanguage",
        offering.language.map(|l| Value::from(vuxnav_export::jsonld::language_tag(l.as_str()))),
    );
    let location = &offering.location;
    let address = json!({
        "@type": "PostalAddress",
        "streetAddress": location.street_address,
        "postalCode": location.postal_code,
        "addressLocality": location.town.clone().unwrap_or_else(|| offering.municipality.municipality().name.to_owned()),
        "addressCountry": "SE",
    });
    put(&mut instance, "location", Some(json!({ "@type": "Place", "name": location.name, "address": address })));
    put(
        &mut instance,
        "offers",
        Some(json!({
            "@type": "Offer",
            "price": offering.fee_sek.unwrap_or(0),
            "priceCurrency": "SEK",
            "url": offering.application.url.clone().or_else(|| offering.web.clone()),
        })),
    );
    let mut root = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "hasCourseInstance": [instance],
    });
    put(&mut root, "description", course.description.clone().map(Value::from));
    put(&mut root, "courseCode", course.code.as_ref().map(|c| Value::from(c.as_str())));
    put(
        &mut root,
        "provider",
        provider.map(|p| json!({ "@type": "EducationalOrganization", "name": p.name, "url": p.web })),
    );
    root.to_string().replace('<', "\\u003c")
}
