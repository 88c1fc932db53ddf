//! A simulated CSV export, written the way a municipal student-administration system (Alvis,
//! as in Sundsvall's export in `reference/samples/`) writes it: UTF-8, comma-separated, the
//! Sundsvall column names, date-times with seven fraction digits, `100.0` decimals, HTML in
//! CDATA in `RekommenderadInformation`, empty cells for what is unknown.
//!
//! Beyond Sundsvall's columns the export has five that a CSV can only carry as columns of its
//! own: `Organisationsnummer` and `Huvudman` of the provider, `Studieplats`, `Studieform`
//! (`Närundervisning`, `Distans`, `Delvis distans`) and `Studietid` (`Dag`, `Kväll`, `Helg`,
//! `Blandat`).
//!
//! What a CSV export cannot say, and the `csv` connector therefore does not read back:
//! continuous intake and continuous application (such rows have empty dates), cancellation,
//! apprenticeship, coordinates, and who may apply (the config says `region` for all).
//!
//! A yrkesvux package has no Skolverket code: its `Kurskod` is empty and its local code is in
//! `KurserVuxenutbildningId`, which the config maps to `course_id`, so the connector names the
//! course as the demo does. A national course's `KurserVuxenutbildningId` is a number.

use std::collections::HashMap;
use std::fmt::Write as _;

use chrono::NaiveDate;
use vuxnav_schema::{Course, CourseConfiguration, Provider, PublicId, SchoolForm, StudyMode, TimeOfStudy};

use super::super::DemoSource;
use super::susa_navet::local_code;

/// The header row.
pub(super) const HEADERS: [&str; 29] = [
    "KurserVuxenutbildningId",
    "kurstillfalleId",
    "Utbildningsanordnare",
    "UrlAnordnare",
    "Kurskod",
    "Namn",
    "Niva",
    "UrlKurs",
    "Poang",
    "RekommenderadInformation",
    "KurstillfalleStartdatum",
    "KurstillfalleSlutdatum",
    "Omfattning",
    "ForstaAnsokningsdag",
    "SistaAnsokningsdag",
    "Studieort",
    "Amneskod",
    "AntalPlatser",
    "Undervisningssprak",
    "DistansObligatorisk",
    "DistansValfritt",
    "Intresseomrade_kategori",
    "BesöksadressKommunkod",
    "SusaKurstillfällePlatsKommunkod",
    "Organisationsnummer",
    "Huvudman",
    "Studieplats",
    "Studieform",
    "Studietid",
];

/// The header that schema drift renames, and what to.
pub(super) const DRIFTED: (&str, &str) = ("Namn", "Kursnamn");

/// How the export spells each school form in `Niva`.
pub(super) const LEVELS: [(&str, SchoolForm); 5] = [
    ("grundläggande vuxenutbildning", SchoolForm::VuxGr),
    ("gymnasial vuxenutbildning", SchoolForm::VuxGy),
    ("svenska för invandrare", SchoolForm::VuxSfi),
    ("Kommunal vuxenutbildning som anpassad utbildning på grundläggande nivå", SchoolForm::VuxGran),
    ("Kommunal vuxenutbildning som anpassad utbildning på gymnasial nivå", SchoolForm::VuxGyan),
];

/// The `[source.connector]` table that reads this export from `url`.
pub(super) fn connector_toml(url: &str) -> String {
    let mut text = format!(
        r#"kind = "csv"
url = "{url}"

[columns]
upstream_id = "kurstillfalleId"
course_id = "KurserVuxenutbildningId"
course_code = "Kurskod"
title = "Namn"
school_form = "Niva"
credits = "Poang"
description = "RekommenderadInformation"
provider_name = "Utbildningsanordnare"
provider_org_number = "Organisationsnummer"
provider_url = "UrlAnordnare"
provider_kind = "Huvudman"
start = "KurstillfalleStartdatum"
end = "KurstillfalleSlutdatum"
application_opens = "ForstaAnsokningsdag"
application_closes = "SistaAnsokningsdag"
pace = "Omfattning"
seats = "AntalPlatser"
language = "Undervisningssprak"
town = "Studieort"
location_name = "Studieplats"
mode = "Studieform"
time_of_study = "Studietid"
url = "UrlKurs"
municipality_code = "SusaKurstillfällePlatsKommunkod"

[values.school_form]
"#
    );
    for (level, form) in LEVELS {
        let _ = writeln!(text, "\"{level}\" = \"{}\"", form.code());
    }
    text
}

/// The whole export of one source.
pub(super) fn export(source: &DemoSource, drift: bool) -> String {
    let catalogue = &source.catalogue;
    let courses: HashMap<PublicId, (usize, &Course)> =
        catalogue.courses.iter().enumerate().map(|(i, c)| (c.id, (i, c))).collect();
    let providers: HashMap<PublicId, &Provider> = catalogue.providers.iter().map(|p| (p.id, p)).collect();

    let mut out = String::with_capacity(catalogue.offerings.len() * 600);
    let headers: Vec<&str> = HEADERS.iter().map(|h| if drift && *h == DRIFTED.0 { DRIFTED.1 } else { *h }).collect();
    out.push_str(&headers.join(","));
    out.push_str("\r\n");
    for offering in &catalogue.offerings {
        let (Some((index, course)), Some(provider)) =
            (courses.get(&offering.course), providers.get(&offering.provider))
        else {
            continue;
        };
        let package = course.configuration != CourseConfiguration::Course;
        let code = local_code(course);
        let level = LEVELS.iter().find(|(_, form)| *form == course.school_form).map_or("", |(level, _)| level);
        let distance = |mandatory: bool| match (offering.mode, mandatory) {
            (Some(StudyMode::Distance), _) | (Some(StudyMode::Hybrid), false) => "1",
            _ => "0",
        };
        let description = course
            .description
            .as_deref()
            .map(|text| format!("<![CDATA[ <p>{}</p> ]]>", html_escape(text)))
            .unwrap_or_default();
        let location = &offering.location;
        let cells: [String; 29] = [
            if package { code.clone() } else { (700 + index).to_string() },
            offering.provenance.upstream_id.clone(),
            provider.name.clone(),
            provider.web.clone().unwrap_or_default(),
            if package { String::new() } else { code.clone() },
            offering.title.clone().unwrap_or_else(|| course.title.clone()),
            level.to_owned(),
            offering.web.clone().unwrap_or_default(),
            course.credits.map(|c| format!("{:.1}", c.value)).unwrap_or_default(),
            description,
            date_time(offering.schedule.start()),
            date_time(offering.schedule.end()),
            format!("{:.1}", f64::from(offering.pace.percent())),
            date_time(offering.application.opens()),
            date_time(offering.application.closes()),
            location.town.clone().unwrap_or_default(),
            code,
            offering.seats.map(|s| s.to_string()).unwrap_or_default(),
            offering.language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
            distance(true).to_owned(),
            distance(false).to_owned(),
            course.subject.clone().unwrap_or_default(),
            provider.municipality.map(|m| m.as_str().to_owned()).unwrap_or_default(),
            offering.municipality.as_str().to_owned(),
            provider.org_number.as_ref().map(|o| o.as_str().to_owned()).unwrap_or_default(),
            provider.kind.map_or("", |k| k.code()).to_owned(),
            location.name.clone().unwrap_or_default(),
            match offering.mode {
                Some(StudyMode::OnSite) => "Närundervisning",
                Some(StudyMode::Distance) => "Distans",
                Some(StudyMode::Hybrid) => "Delvis distans",
                None => "",
            }
            .to_owned(),
            match offering.time_of_study {
                Some(TimeOfStudy::Day) => "Dag",
                Some(TimeOfStudy::Evening) => "Kväll",
                Some(TimeOfStudy::Weekend) => "Helg",
                Some(TimeOfStudy::Mixed) => "Blandat",
                None => "",
            }
            .to_owned(),
        ];
        let row: Vec<String> = cells.iter().map(|cell| quote(cell)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A date as Alvis writes it: `2023-10-16 00:00:00.0000000`.
fn date_time(date: Option<NaiveDate>) -> String {
    date.map(|d| format!("{} 00:00:00.0000000", d.format("%Y-%m-%d"))).unwrap_or_default()
}

/// A cell quoted when it holds a comma, a quote or a line break.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_owned() }
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// What a misconfigured export server sends instead of the file: its HTML login page.
pub(super) const LOGIN_PAGE: &str = "<!DOCTYPE html>\n<html lang=\"sv\"><head><title>Logga in</title></head>\n<body><form method=\"post\" action=\"/login\"><input name=\"user\"><input name=\"password\" type=\"password\"></form></body></html>\n";
