//! The formats, data-driven: each folder under `tests/cases/` holds `records.toml` (the records
//! of one release, and optionally `previous.toml`, the night before) and one snapshot per
//! format: `expected-csv.snap`, `expected-excel.snap`, `expected-jsonl.snap`,
//! `expected-jsonld.snap` and, with a previous night, `expected-delta.snap`. A new case is a
//! new folder; `INSTA_UPDATE=always cargo test -p vuxnav-export --test formats` writes its
//! snapshots, to be read before they are committed.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use support::{Memory, night, options, read};
use vuxnav_export::{LocalFolder, publish, v1::TABLES};
use vuxnav_schema::{
    Application, Catalogue, ConfiguredField, Coordinates, Course, CourseCode, CourseConfiguration, Credits,
    CreditsSystem, Eligibility, Language, Location, MunicipalityCode, Offering, OrgNumber, Pace, Provenance, Provider,
    ProviderKind, PublicId, RunCounts, Schedule, SchoolForm, SourceId, SourceReport, SourceState, SourceStatus,
    StudyMode, TimeOfStudy,
};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    source: Vec<SourceIn>,
    #[serde(default)]
    provider: Vec<ProviderIn>,
    #[serde(default)]
    course: Vec<CourseIn>,
    #[serde(default)]
    offering: Vec<OfferingIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceIn {
    id: String,
    municipality: String,
    kind: String,
    state: String,
    last_success: Option<String>,
    first_run: Option<String>,
    fetched: Option<u64>,
    rejected: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderIn {
    source: String,
    key: String,
    name: String,
    org_number: Option<String>,
    /// Absent: unknown.
    kind: Option<String>,
    school_unit_code: Option<String>,
    municipality: Option<String>,
    web: Option<String>,
    email: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseIn {
    source: String,
    key: String,
    code: Option<String>,
    local_code: Option<String>,
    title: String,
    description: Option<String>,
    school_form: String,
    credits: Option<f64>,
    credits_system: Option<String>,
    subject: Option<String>,
    vocational: bool,
    configuration: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OfferingIn {
    source: String,
    key: String,
    course: String,
    provider: String,
    title: Option<String>,
    location_name: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    town: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    start: Option<String>,
    end: Option<String>,
    #[serde(default)]
    continuous_intake: bool,
    opens: Option<String>,
    closes: Option<String>,
    #[serde(default)]
    application_continuous: bool,
    apply_url: Option<String>,
    pace: i64,
    /// Absent: unknown, as are `mode` and `language`.
    time: Option<String>,
    mode: Option<String>,
    language: Option<String>,
    seats: Option<u32>,
    #[serde(default)]
    cancelled: bool,
    #[serde(default)]
    apprenticeship: bool,
    fee: Option<u32>,
    eligibility: String,
    web: Option<String>,
    /// The configured fields' codes (`timeOfStudy`, `mode`, …).
    #[serde(default)]
    configured: Vec<String>,
    first_seen: String,
    last_changed: String,
}

fn instant(text: &str) -> DateTime<Utc> {
    text.parse().unwrap_or_else(|e| panic!("`{text}` is not an RFC 3339 instant: {e}"))
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.map(|t| t.parse().unwrap_or_else(|e| panic!("`{t}` is not a date: {e}")))
}

fn source_id(text: &str) -> SourceId {
    SourceId::parse(text).expect("a source id")
}

/// The records a case file describes, as the store would hand them over.
fn records(path: &Path) -> Memory {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let providers: Vec<(String, Provider)> = case
        .provider
        .into_iter()
        .map(|p| {
            let org_number = p.org_number.as_deref().map(|o| OrgNumber::parse(o).expect("an org number"));
            let id = match &org_number {
                Some(org) => PublicId::provider_by_org_number(org),
                None => PublicId::local_provider(&source_id(&p.source), &p.key),
            };
            let provider = Provider {
                id,
                name: p.name,
                org_number,
                kind: p.kind.map(|kind| ProviderKind::parse(&kind).expect("a provider kind")),
                school_unit_code: p.school_unit_code,
                municipality: p.municipality.map(|m| MunicipalityCode::parse(&m).expect("a kommunkod")),
                web: p.web,
                email: p.email,
                phone: None,
            };
            (p.key, provider)
        })
        .collect();
    let courses: Vec<(String, Course)> = case
        .course
        .into_iter()
        .map(|c| {
            let code = c.code.as_deref().map(|code| CourseCode::parse(code).expect("a course code"));
            let id = match &code {
                Some(code) => PublicId::course_by_code(code),
                None => PublicId::local_course(&source_id(&c.source), &c.key),
            };
            let credits = c.credits.map(|value| {
                let system = CreditsSystem::parse(c.credits_system.as_deref().unwrap_or("gy")).expect("a system");
                Credits::new(system, value).expect("credits")
            });
            let course = Course {
                id,
                code,
                local_code: c.local_code,
                title: c.title,
                description: c.description,
                school_form: SchoolForm::parse(&c.school_form).expect("a school form"),
                credits,
                subject: c.subject,
                sun_field: None,
                vocational: c.vocational,
                configuration: CourseConfiguration::parse(&c.configuration).expect("a configuration"),
            };
            (c.key, course)
        })
        .collect();
    let find = |key: &str, list: &[(String, PublicId)]| {
        list.iter().find(|(k, _)| k == key).map(|(_, id)| *id).unwrap_or_else(|| panic!("no record `{key}`"))
    };
    let course_ids: Vec<(String, PublicId)> = courses.iter().map(|(k, c)| (k.clone(), c.id)).collect();
    let provider_ids: Vec<(String, PublicId)> = providers.iter().map(|(k, p)| (k.clone(), p.id)).collect();
    let sources: Vec<(String, String)> = case.source.iter().map(|s| (s.id.clone(), s.municipality.clone())).collect();
    let offerings = case
        .offering
        .into_iter()
        .map(|o| {
            let source = source_id(&o.source);
            let municipality =
                sources.iter().find(|(id, _)| *id == o.source).map(|(_, m)| m.clone()).expect("its source");
            let mut offering = Offering {
                id: PublicId::offering(&source, &o.key),
                course: find(&o.course, &course_ids),
                provider: find(&o.provider, &provider_ids),
                municipality: MunicipalityCode::parse(&municipality).expect("a kommunkod"),
                title: o.title,
                location: Location {
                    name: o.location_name,
                    street_address: o.street_address,
                    postal_code: o.postal_code,
                    town: o.town,
                    coordinates: o.latitude.zip(o.longitude).map(|(a, b)| Coordinates::new(a, b).expect("a position")),
                },
                schedule: Schedule::new(date(o.start), date(o.end), o.continuous_intake).expect("a schedule"),
                application: Application::new(date(o.opens), date(o.closes), o.application_continuous, o.apply_url)
                    .expect("an application"),
                pace: Pace::new(o.pace).expect("a pace"),
                time_of_study: o.time.map(|time| TimeOfStudy::parse(&time).expect("a time of study")),
                mode: o.mode.map(|mode| StudyMode::parse(&mode).expect("a mode")),
                language: o.language.map(|language| Language::parse(&language).expect("a language")),
                seats: o.seats,
                cancelled: o.cancelled,
                apprenticeship: o.apprenticeship,
                fee_sek: o.fee,
                eligibility: Eligibility::parse(&o.eligibility).expect("an eligibility"),
                web: o.web,
                provenance: Provenance {
                    configured: o
                        .configured
                        .iter()
                        .map(|field| ConfiguredField::parse(field).expect("a configured field"))
                        .collect(),
                    source,
                    upstream_id: o.key,
                    first_seen: instant(&o.first_seen),
                    last_changed: instant(&o.last_changed),
                    content_hash: String::new(),
                    last_harvest: instant(&o.last_changed),
                },
            };
            offering.provenance.content_hash = offering.content_hash();
            offering
        })
        .collect();
    let mut memory = Memory {
        sources: case
            .source
            .into_iter()
            .map(|s| SourceReport {
                status: SourceStatus {
                    id: source_id(&s.id),
                    municipality: MunicipalityCode::parse(&s.municipality).expect("a kommunkod"),
                    kind: s.kind,
                    state: SourceState::parse(&s.state).expect("a state"),
                    last_attempt: s.last_success.as_deref().map(instant),
                    last_success: s.last_success.as_deref().map(instant),
                    last_error: None,
                    held_reason: None,
                    offering_count: 0,
                },
                first_run: s.first_run.as_deref().map(instant),
                last_success_counts: s.fetched.map(|fetched| RunCounts {
                    fetched,
                    rejected: s.rejected.unwrap_or(0),
                    ..RunCounts::default()
                }),
            })
            .collect(),
        ..Memory::default()
    };
    memory.sources.sort_by(|a, b| a.status.id.as_str().cmp(b.status.id.as_str()));
    memory.set(Catalogue {
        providers: providers.into_iter().map(|(_, p)| p).collect(),
        courses: courses.into_iter().map(|(_, c)| c).collect(),
        offerings,
    });
    memory
}

/// The files of a format, each under its name, with the invisible made visible.
fn render(root: &Path, release: &str, paths: &[String]) -> String {
    let mut out = String::new();
    for path in paths {
        let mut text = read(root, &format!("releases/{release}/{path}"));
        // Municipalities and occupations are code lists: the first three rows show the format.
        if path.contains("municipalities") || path.contains("/occupations.") {
            text = text.split_inclusive('\n').take(4).collect();
        }
        let text = text.replace('\u{feff}', "<BOM>").replace("\r\n", "⏎\n");
        out.push_str(&format!("== {path}\n{text}\n"));
    }
    out
}

fn cases() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&folder).expect("tests/cases").map(|e| e.expect("an entry").path()).collect();
    cases.sort();
    cases
}

#[tokio::test]
async fn every_case_writes_every_format_as_its_snapshots_say() {
    let cases = cases();
    assert!(cases.len() >= 3, "{cases:?}");
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let storage = Arc::new(LocalFolder::new(root));
        let has_previous = case.join("previous.toml").exists();
        if has_previous {
            publish(&records(&case.join("previous.toml")), storage.clone(), &options(), night(0)).await.unwrap();
        }
        let summary = publish(&records(&case.join("records.toml")), storage, &options(), night(1)).await.unwrap();
        let release = summary.release;

        let mut formats: Vec<(&str, Vec<String>)> = vec![
            ("csv", TABLES.iter().map(|t| t.csv_path()).collect()),
            ("excel", TABLES.iter().map(|t| t.excel_path()).collect()),
            ("jsonl", TABLES.iter().map(|t| t.jsonl_path()).collect()),
            ("jsonld", vec!["jsonld/graph.jsonl.gz".into()]),
        ];
        if has_previous {
            formats.push(("delta", vec!["delta.jsonl.gz".into()]));
        }
        for (format, paths) in formats {
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_path(&case);
            settings.set_prepend_module_to_snapshot(false);
            settings.set_omit_expression(true);
            let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            settings.set_description(format!("the {format} files of case `{name}`"));
            let rendering = render(root, &release, &paths);
            settings.bind(|| insta::assert_snapshot!(format!("expected-{format}"), rendering));
        }
    }
}
