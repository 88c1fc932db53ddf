//! The sources' configuration surface: strict tables, every problem reported at once with its
//! source and field.

use chrono::{TimeZone, Utc};
use vuxnav_connectors::config::{
    ConnectorConfig, SecretRef, SourceConfig, SourceProblem, ValidSource, parse_sources, validate_sources,
};

const VALID: &str = r#"
[[source]]
id = "huddinge-susa"
municipality = "0126"
schedule = "0 0 3 * * *"

[source.connector]
kind = "susa_navet"
school_types = ["VUXGY", "VUXSFI"]
page_size = 1000

[[source]]
id = "sundsvall-csv"
municipality = "2281"
schedule = "0 30 2 * * Mon-Fri"
enabled = false
allow_private_network = true

[source.connector]
kind = "csv"
url = "https://sundsvall.example/export/kurser.csv"
delimiter = ";"

[source.connector.columns]
upstream_id = "KurstillfalleId"
title = "Namn"
school_form = "Niva"
provider_name = "Utbildningsanordnare"
pace = "Omfattning"
"#;

fn entries(text: &str) -> Vec<toml::Value> {
    let document: toml::Table = toml::from_str(text).expect("valid TOML");
    document["source"].as_array().expect("a [[source]] array").clone()
}

fn load(text: &str) -> Result<Vec<ValidSource>, Vec<SourceProblem>> {
    parse_sources(&entries(text))
}

fn problems(text: &str) -> Vec<SourceProblem> {
    match load(text) {
        Ok(sources) => panic!("expected problems, got {} valid sources", sources.len()),
        Err(problems) => problems,
    }
}

fn fields(problems: &[SourceProblem]) -> Vec<&str> {
    problems.iter().map(|problem| problem.field.as_str()).collect()
}

#[test]
fn valid_source_entries_deserialize() {
    let sources = load(VALID).unwrap();

    assert_eq!(sources.len(), 2);
    let susa = &sources[0];
    assert_eq!(susa.id.as_str(), "huddinge-susa");
    assert_eq!(susa.municipality.as_str(), "0126");
    assert!(susa.enabled && !susa.allow_private_network);
    assert!(matches!(&susa.connector, ConnectorConfig::SusaNavet(config) if config.page_size == 1000));
    let csv = &sources[1];
    assert_eq!(csv.municipality.as_str(), "2281");
    assert!(!csv.enabled && csv.allow_private_network);
    assert_eq!(csv.connector.kind().as_str(), "csv");
}

#[test]
fn the_same_entries_validate_through_serde_alone() {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        source: Vec<SourceConfig>,
    }
    let file: File = toml::from_str(VALID).unwrap();
    assert_eq!(validate_sources(&file.source).unwrap().len(), 2);
}

#[test]
fn a_schedule_is_evaluated_in_stockholm_time_across_daylight_saving() {
    let sources = load(VALID).unwrap();
    let susa = &sources[0];
    // 03:00 in Stockholm is 01:00 UTC in summer and 02:00 UTC in winter.
    let summer = susa.schedule.next_after(Utc.with_ymd_and_hms(2026, 7, 1, 12, 0, 0).unwrap()).unwrap();
    assert_eq!(summer, Utc.with_ymd_and_hms(2026, 7, 2, 1, 0, 0).unwrap());
    let winter = susa.schedule.next_after(Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0).unwrap()).unwrap();
    assert_eq!(winter, Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap());
}

#[test]
fn an_unknown_key_of_a_source_is_rejected_naming_it() {
    let text = VALID.replacen("schedule = \"0 0 3 * * *\"", "schedule = \"0 0 3 * * *\"\nshedule = \"x\"", 1);

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "source[0].shedule");
    assert_eq!(problems[0].source.as_deref(), Some("huddinge-susa"));
    assert!(problems[0].problem.contains("unknown field `shedule`"), "{}", problems[0]);
}

#[test]
fn an_unknown_key_in_the_connector_table_is_rejected_naming_it() {
    let text = VALID.replacen("page_size = 1000", "page_size = 1000\npage_sise = 10", 1);

    let problems = problems(&text);

    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].field.starts_with("source[0].connector"), "{}", problems[0]);
    assert!(problems[0].problem.contains("page_sise"), "{}", problems[0]);
}

#[test]
fn an_unknown_kind_is_rejected_naming_the_kinds() {
    let text = VALID.replacen("kind = \"susa_navet\"", "kind = \"susa\"", 1);

    let problems = problems(&text);

    assert_eq!(fields(&problems), ["source[0].connector.kind"]);
    assert!(problems[0].problem.contains("susa_navet") && problems[0].problem.contains("csv"), "{}", problems[0]);
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let text = r#"
[[source]]
id = "Bad Id"
municipality = "9999"
schedule = "every night"

[source.connector]
kind = "susa_navet"
page_size = 0

[[source]]
id = "ok-but-strict"
municipality = "0180"
schedule = "0 0 3 * * *"
colour = "blue"

[source.connector]
kind = "susa_navet"

[[source]]
id = "stockholm-csv"
municipality = "0180"
schedule = "0 0 3 * * *"

[source.connector]
kind = "csv"
url = "ftp://stockholm.example/kurser.csv"
"#;

    let problems = problems(text);
    let fields = fields(&problems);

    for expected in [
        "source[0].id",
        "source[0].municipality",
        "source[0].schedule",
        "source[0].connector.page_size",
        "source[1].colour",
        "source[2].connector.url",
    ] {
        assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
    }
    let rendered: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(rendered.iter().any(|line| line.contains("(source `Bad Id`)")), "{rendered:?}");
}

#[test]
fn a_bad_cron_expression_is_named() {
    let text = VALID.replacen("schedule = \"0 0 3 * * *\"", "schedule = \"0 3 * *\"", 1);

    let problems = problems(&text);

    assert_eq!(fields(&problems), ["source[0].schedule"]);
    assert!(problems[0].problem.contains("`0 3 * *` is not a cron expression"), "{}", problems[0]);
}

#[test]
fn a_bad_kommunkod_is_named() {
    let text = VALID.replacen("municipality = \"0126\"", "municipality = \"0999\"", 1);

    let problems = problems(&text);

    assert_eq!(fields(&problems), ["source[0].municipality"]);
    assert!(problems[0].problem.contains("0999"), "{}", problems[0]);
}

#[test]
fn a_kommunkod_written_as_an_integer_is_named_with_its_string_form() {
    let text = VALID.replacen("municipality = \"0126\"", "municipality = 180", 1);

    let problems = problems(&text);

    assert_eq!(fields(&problems), ["source[0].municipality"]);
    assert!(problems[0].problem.contains("\"0180\""), "{}", problems[0]);
}

#[test]
fn a_duplicate_source_id_is_named() {
    let text = VALID.replacen("id = \"sundsvall-csv\"", "id = \"huddinge-susa\"", 1);

    let problems = problems(&text);

    assert_eq!(fields(&problems), ["source[1].id"]);
    assert!(problems[0].problem.contains("source[0]"), "{}", problems[0]);
}

#[test]
fn a_missing_connector_table_is_named() {
    let text = r#"
[[source]]
id = "solna"
municipality = "0184"
schedule = "0 0 3 * * *"
"#;

    let problems = problems(text);

    assert_eq!(problems.len(), 1);
    assert!(problems[0].problem.contains("missing field `connector`"), "{}", problems[0]);
}

#[test]
fn a_secret_reference_prints_its_variable_and_never_a_value() {
    let reference: SecretRef = toml::Value::String("HUDDINGE_TOKEN".to_owned()).try_into().unwrap();
    assert_eq!(reference.env, "HUDDINGE_TOKEN");
    assert_eq!(reference.validate(), None);
    assert!(format!("{reference:?}").contains("HUDDINGE_TOKEN"));

    let value = reference.resolve(|name| (name == "HUDDINGE_TOKEN").then(|| "s3cr3t".to_owned())).unwrap();
    assert_eq!(value.expose(), "s3cr3t");
    assert_eq!(format!("{value:?} {value}"), "[REDACTED] [REDACTED]");

    let missing = reference.resolve(|_| None).unwrap_err();
    assert!(missing.contains("HUDDINGE_TOKEN"), "{missing}");
    assert!(SecretRef { env: "huddinge token".to_owned() }.validate().is_some());
}

#[test]
fn a_json_api_table_reports_its_problems_by_full_path_and_never_repeats_a_credential() {
    let text = r#"
[[source]]
id = "taby-api"
municipality = "0160"
schedule = "0 0 3 * * *"

[source.connector]
kind = "json_api"
url = "https://kurser.taby.example/api/kurstillfallen"

[source.connector.paging]
style = "page"
size = 0

[source.connector.headers]
Authorization = "Bearer hemlig-token"

[source.connector.fields]
upstream_id = "id"
"#;
    let problems = problems(text);
    let fields = fields(&problems);
    for expected in [
        "source[0].connector.paging.size",
        "source[0].connector.headers.\"Authorization\"",
        "source[0].connector.fields.upstream_id",
        "source[0].connector.fields.title",
    ] {
        assert!(fields.contains(&expected), "{expected} missing from {fields:?}");
    }
    let shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(shown.iter().all(|line| !line.contains("hemlig-token")), "{shown:?}");

    let valid = text
        .replace("size = 0", "size = 200")
        .replace("Authorization = \"Bearer hemlig-token\"", "Authorization = { env = \"TABY_TOKEN\", prefix = \"Bearer \" }")
        .replace("upstream_id = \"id\"", "upstream_id = \"/id\"\ntitle = \"/namn\"\nschool_form = \"/skolform\"\nprovider_name = \"/anordnare\"\npace = \"/takt\"");
    let sources = load(&valid).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(sources[0].connector.kind().as_str(), "json_api");
}
