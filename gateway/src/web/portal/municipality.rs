//! `/kommun/{kommunkod}`: a municipality's page: how many offerings it has by school form
//! (the read model's facets under the municipality's filter), a link to its search, and the
//! vägledning and validering that serve its residents. A code outside the region gets the
//! Swedish 404 page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use vuxnav_read_model::{GuidanceFilter, OfferingFilter, OfferingQuery, ValidationFilter};

use super::search::count_text;
use crate::web::{Frame, Web, not_found_page, render};

struct Count {
    href: String,
    label: String,
    count: u64,
}

#[derive(Template)]
#[template(path = "portal/municipality.html")]
struct MunicipalityPage<'a> {
    frame: Frame<'a>,
    name: String,
    code: String,
    total: String,
    forms: Vec<Count>,
    guidance: Vec<String>,
    validation: usize,
}

pub async fn municipality(State(web): State<Web>, Path(code): Path<String>) -> Response {
    let Some(code) = web.region_municipality(&code) else {
        return not_found_page(&web);
    };
    let municipality = code.municipality();
    let model = web.model();
    let query = OfferingQuery {
        filter: OfferingFilter { municipalities: vec![code], ..OfferingFilter::default() },
        first: 0,
        facets: true,
        ..OfferingQuery::default()
    };
    let (total, forms) = match model.search(&query) {
        Ok(page) => {
            let forms = page
                .facets
                .map(|facets| facets.school_form)
                .unwrap_or_default()
                .into_iter()
                .map(|(form, count)| Count {
                    href: format!("/sok?kommun={}&skolform={}", code.as_str(), form.code()),
                    label: form.label().to_owned(),
                    count,
                })
                .collect();
            (page.total_count as usize, forms)
        }
        Err(error) => {
            tracing::error!(%error, "counting a municipality's offerings failed");
            (0, Vec::new())
        }
    };
    let registries = web.registries();
    let guidance = registries
        .guidance_services(&GuidanceFilter { municipalities: vec![code], ..GuidanceFilter::default() })
        .into_iter()
        .map(|nearby| nearby.entry.name.clone())
        .collect();
    let validation = registries
        .validation_offers(
            &ValidationFilter { municipalities: vec![code], ..ValidationFilter::default() },
            web.app.today(),
        )
        .len();
    let page = MunicipalityPage {
        frame: web.portal_frame(format!("Vuxenutbildning i {}", municipality.name), ""),
        name: municipality.name.to_owned(),
        code: code.as_str().to_owned(),
        total: count_text(total),
        forms,
        guidance,
        validation,
    };
    render(StatusCode::OK, &page)
}
