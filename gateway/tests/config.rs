//! The configuration surface: defaults, environment overrides, every problem reported at once,
//! secrets never printed, and the shipped example loading.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use vuxnav_gateway::config::{Config, ConfigErrors, CorsOrigins, DatabaseLocation, GraphqlLimits, LogFormat, Origin};
use vuxnav_schema::{MunicipalityCode, Region};

/// A config file in a temporary folder that lives as long as the value.
struct ConfigFile {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn file(toml: &str) -> ConfigFile {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("vuxnav.toml");
    std::fs::write(&path, toml).expect("the config file is written");
    ConfigFile { _dir: dir, path }
}

fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
    vars.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

fn load(toml: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
    let file = file(toml);
    Config::load(Some(&file.path), env(vars))
}

fn problems(toml: &str, vars: &[(&str, &str)]) -> ConfigErrors {
    load(toml, vars).expect_err("the config has problems")
}

fn keys(errors: &ConfigErrors) -> Vec<&str> {
    errors.iter().map(|error| error.key.as_str()).collect()
}

fn line_of(errors: &ConfigErrors, key: &str) -> Option<usize> {
    errors.for_key(key).find_map(|error| match &error.origin {
        Some(Origin::File { line, .. }) => *line,
        _ => None,
    })
}

fn code(value: &str) -> MunicipalityCode {
    MunicipalityCode::parse(value).expect("a kommunkod")
}

#[test]
fn an_empty_file_gives_the_defaults() {
    let config = load("", &[]).unwrap();
    assert_eq!(config.listen, "127.0.0.1:8080".parse::<SocketAddr>().unwrap());
    assert_eq!(config.data_dir, Path::new("./vuxnav-data"));
    assert_eq!(config.database, DatabaseLocation::Sqlite { path: Path::new("./vuxnav-data").join("vuxnav.db") });
    assert_eq!(config.log_format, LogFormat::Text);
    assert_eq!(config.region, Region::default());
    assert_eq!(config.region.municipalities().len(), 26);
    assert_eq!(
        config.graphql,
        GraphqlLimits {
            max_depth: 15,
            max_complexity: 50_000,
            max_aliases: 30,
            max_page_size: 500,
            max_body_bytes: 1_048_576,
            max_url_bytes: 16_384,
            max_document_bytes: 32_768,
            max_tokens: 2_000,
            max_nesting: 32,
            max_expanded_selections: 2_000,
            introspection: true,
            graphiql: true,
            cache_max_age: 60,
            cors_origins: CorsOrigins::Any,
        }
    );
    assert_eq!(config.shutdown_timeout, std::time::Duration::from_secs(30));
    assert_eq!(config.read_model.refresh.as_ref().map(|s| s.expression()), Some("*/2 * * * * *"));
}

#[test]
fn cors_origins_take_any_origin_or_a_list_of_origins_and_nothing_else() {
    let listed = load("[graphql]\ncors_origins = [\"https://portal.example\"]\n", &[]).unwrap();
    assert_eq!(listed.graphql.cors_origins, CorsOrigins::List(vec!["https://portal.example".to_owned()]));
    let none = load("[graphql]\ncors_origins = []\n", &[]).unwrap();
    assert_eq!(none.graphql.cors_origins, CorsOrigins::List(Vec::new()));

    let errors = load("[graphql]\ncors_origins = [\"*\", \"https://portal.example\"]\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("graphql.cors_origins: `*` allows every origin"), "{errors}");
    let errors = load("[graphql]\ncors_origins = [\"portal.example/path\"]\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("`portal.example/path` is not an origin"), "{errors}");
}

#[test]
fn a_trusted_documents_manifest_is_read_checked_and_needed_for_allow_or_require() {
    use vuxnav_gateway::http::persisted::DocumentPolicy;

    let dir = tempfile::tempdir().expect("a temporary folder");
    let manifest = dir.path().join("manifest.json");
    let table = format!("[access.trusted_documents]\nmanifest = {:?}\n", manifest.display().to_string());
    std::fs::write(
        &manifest,
        r#"{"sha256:1c7e1e347f726166b5b1c55afd61f278cc9b45e00c108ec33d540a566379811b": "{ a }"}"#,
    )
    .expect("written");
    let config = load(&table, &[]).expect("a good manifest");
    assert_eq!(config.access.trusted_documents.manifest.len(), 1);
    assert_eq!(
        config.access.trusted_documents.anonymous,
        DocumentPolicy::Allow,
        "allow is the default with a manifest"
    );

    std::fs::write(
        &manifest,
        r#"{"sha256:1c7e1e347f726166b5b1c55afd61f278cc9b45e00c108ec33d540a566379811b": "{ b }"}"#,
    )
    .expect("written");
    let errors = load(&table, &[]).unwrap_err();
    assert!(errors.to_string().contains("is not the SHA-256 of its document"), "{errors}");
    assert_eq!(keys(&errors), ["access.trusted_documents.manifest"]);

    let missing = "[access.trusted_documents]\nmanifest = \"/nonexistent/manifest.json\"\n";
    let errors = load(missing, &[]).unwrap_err();
    assert!(errors.to_string().contains("cannot read `/nonexistent/manifest.json`"), "{errors}");

    let errors = load("[access.trusted_documents]\nanonymous = \"require\"\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("access.trusted_documents.anonymous: needs a `manifest`"), "{errors}");
    assert_eq!(load("", &[]).unwrap().access.trusted_documents.anonymous, DocumentPolicy::Off);
}

#[test]
fn no_file_and_no_environment_gives_the_defaults() {
    let config = Config::load(None, Vec::new()).unwrap();
    assert_eq!(config.listen, Config::default().listen);
    assert_eq!(config.graphql, GraphqlLimits::default());
}

#[test]
fn env_overrides_beat_the_file_nested_with_double_underscores() {
    let toml = r#"
        listen = "127.0.0.1:7000"
        log_format = "text"
        [graphql]
        max_depth = 10
        max_aliases = 5
        [read_model]
        refresh = "0 0 * * * *"
    "#;
    let config = load(
        toml,
        &[
            ("VUXNAV_LISTEN", "0.0.0.0:9000"),
            ("VUXNAV_LOG_FORMAT", "json"),
            ("VUXNAV_DATA_DIR", "/var/lib/vuxnav"),
            ("VUXNAV_GRAPHQL__MAX_DEPTH", "20"),
            ("VUXNAV_GRAPHQL__INTROSPECTION", "false"),
            ("VUXNAV_REGION__MUNICIPALITIES", r#"["0180", "0114"]"#),
            ("VUXNAV_READ_MODEL__REFRESH", ""),
            ("PATH", "/usr/bin"),
        ],
    )
    .unwrap();
    assert_eq!(config.listen, "0.0.0.0:9000".parse::<SocketAddr>().unwrap());
    assert_eq!(config.log_format, LogFormat::Json);
    assert_eq!(config.data_dir, Path::new("/var/lib/vuxnav"));
    assert_eq!(config.database, DatabaseLocation::Sqlite { path: Path::new("/var/lib/vuxnav/vuxnav.db").into() });
    assert_eq!(config.graphql.max_depth, 20);
    assert_eq!(config.graphql.max_aliases, 5, "a key the environment does not set keeps the file's value");
    assert!(!config.graphql.introspection);
    assert_eq!(config.region.municipalities(), [code("0114"), code("0180")]);
    assert!(config.read_model.refresh.is_none());
}

#[test]
fn an_env_value_that_also_parses_as_toml_is_text_to_a_key_that_wants_text() {
    // `12` parses as a TOML integer, `03` does not parse as TOML at all; both are county codes.
    let skane = load("", &[("VUXNAV_REGION__COUNTY", "12")]).unwrap();
    assert!(skane.region.contains(code("1280")), "Malmö is in Skåne");
    let uppsala = load("", &[("VUXNAV_REGION__COUNTY", "03")]).unwrap();
    assert!(uppsala.region.contains(code("0380")), "Uppsala is in Uppsala län");
}

#[test]
fn a_problem_from_the_environment_names_the_variable() {
    let errors = problems("", &[("VUXNAV_GRAPHQL__MAX_PAGE_SIZE", "0")]);
    let error = errors.for_key("graphql.max_page_size").next().unwrap();
    assert_eq!(error.origin, Some(Origin::Env { var: "VUXNAV_GRAPHQL__MAX_PAGE_SIZE".into() }));
    assert!(error.to_string().starts_with("env VUXNAV_GRAPHQL__MAX_PAGE_SIZE: graphql.max_page_size: "), "{error}");
}

#[test]
fn unknown_keys_at_every_level_are_each_reported() {
    let toml = r#"
        lisen = "127.0.0.1:8080"
        colour = "blue"
        [region]
        countie = "01"
        [graphql]
        max_depht = 20
        [graphql.nested]
        deep = 1
        [read_model]
        refersh = ""
        [grapql]
        max_depth = 20
    "#;
    let errors = problems(toml, &[("VUXNAV_GRAPHQL__MAX_DEPHT", "3")]);
    let mut found = keys(&errors);
    found.sort();
    assert_eq!(
        found,
        ["colour", "graphql.max_depht", "graphql.nested", "grapql", "lisen", "read_model.refersh", "region.countie"]
    );
    assert!(errors.iter().all(|error| error.message.starts_with("unknown key")), "{errors}");
    let text = errors.to_string();
    assert!(text.contains("lisen: unknown key (did you mean listen?)"), "{text}");
    assert!(text.contains("graphql.max_depht: unknown key (did you mean max_depth?)"), "{text}");
    assert!(text.contains("grapql: unknown key (did you mean graphql?)"), "{text}");
    assert!(text.contains("region.countie: unknown key (did you mean county?)"), "{text}");
    // The environment variable overrides the misspelt key, so the problem points at it.
    let misspelt = errors.for_key("graphql.max_depht").next().unwrap();
    assert_eq!(misspelt.origin, Some(Origin::Env { var: "VUXNAV_GRAPHQL__MAX_DEPHT".into() }));
    assert_eq!(line_of(&errors, "lisen"), Some(2));
    assert_eq!(line_of(&errors, "read_model.refersh"), Some(11));
}

#[test]
fn an_unknown_env_variable_with_double_underscores_is_reported_and_one_without_is_left_alone() {
    let errors = problems(
        "",
        &[
            ("VUXNAV_TEST_DATABASE_URL", "postgres://localhost/test"),
            ("VUXNAV_HUDDINGE_API_TOKEN", "secret"),
            ("VUXNAV_GRAPHQL__MAX_DEPHT", "3"),
        ],
    );
    assert_eq!(keys(&errors), ["graphql.max_depht"]);
}

#[test]
fn several_problems_in_one_file_are_all_reported_at_once() {
    let toml = r#"
        listen = "localhost:8080"
        data_dir = 42
        log_format = "xml"
        [region]
        municipalities = ["0114", "9999"]
        [graphql]
        max_depth = "deep"
        max_complexity = -1
        max_page_size = 0
        introspection = "yes"
        [read_model]
        refresh = "every five minutes"
    "#;
    let errors = problems(toml, &[]);
    let mut found = keys(&errors);
    found.sort();
    assert_eq!(
        found,
        [
            "data_dir",
            "graphql.introspection",
            "graphql.max_complexity",
            "graphql.max_depth",
            "graphql.max_page_size",
            "listen",
            "log_format",
            "read_model.refresh",
            "region.municipalities[1]",
        ],
        "{errors}"
    );
    let text = errors.to_string();
    assert_eq!(text.lines().count(), errors.len(), "one problem per line:\n{text}");
    for error in &errors {
        let line = text.lines().find(|line| line.contains(&format!(": {}: ", error.key))).unwrap();
        assert!(line.contains("vuxnav.toml:"), "each line names the file and line: {line}");
    }
    assert_eq!(line_of(&errors, "graphql.max_depth"), Some(8));
    assert_eq!(line_of(&errors, "region.municipalities[1]"), Some(6));
    assert!(errors.for_key("listen").any(|e| e.message.contains("`localhost:8080` is not a socket address")));
    assert!(errors.for_key("log_format").any(|e| e.message.contains("json")), "{errors}");
    assert!(errors.for_key("graphql.max_page_size").any(|e| e.message.contains("from 1 to 10000")));
}

#[test]
fn max_page_size_above_ten_thousand_is_rejected_and_ten_thousand_accepted() {
    let errors = problems("[graphql]\nmax_page_size = 10001\n", &[]);
    assert_eq!(keys(&errors), ["graphql.max_page_size"]);
    assert_eq!(load("[graphql]\nmax_page_size = 10000\n", &[]).unwrap().graphql.max_page_size, 10_000);
}

#[test]
fn the_document_limits_are_read_and_reach_the_transport() {
    let toml = "[graphql]\nmax_document_bytes = 1000\nmax_tokens = 50\nmax_nesting = 20\nmax_expanded_selections = 70\nmax_url_bytes = 2000\n";
    let limits = load(toml, &[]).unwrap().graphql.http_limits();
    assert_eq!(limits.max_url_bytes, 2000);
    assert_eq!(
        (limits.document.max_document_bytes, limits.document.max_tokens, limits.document.max_nesting),
        (1000, 50, 20)
    );
    assert_eq!(limits.document.max_expanded_selections, 70);
}

#[test]
fn a_nesting_limit_at_or_below_max_depth_or_above_64_and_a_url_limit_past_hyper_are_rejected() {
    let errors = problems("[graphql]\nmax_depth = 15\nmax_nesting = 15\n", &[]);
    assert_eq!(keys(&errors), ["graphql.max_nesting"], "{errors}");
    assert!(errors.to_string().contains("max_depth (15)"), "{errors}");
    let errors = problems("[graphql]\nmax_nesting = 65\nmax_url_bytes = 65535\n", &[]);
    let mut found = keys(&errors);
    found.sort_unstable();
    assert_eq!(found, ["graphql.max_nesting", "graphql.max_url_bytes"], "{errors}");
}

#[test]
fn a_bad_cron_expression_names_read_model_refresh() {
    let errors = problems("[read_model]\nrefresh = \"0 */5 * *\"\n", &[]);
    assert_eq!(keys(&errors), ["read_model.refresh"]);
    let text = errors.to_string();
    assert!(text.contains("vuxnav.toml:2: read_model.refresh: `0 */5 * *` is not a cron expression"), "{text}");
}

#[test]
fn an_empty_refresh_disables_the_read_model_refresh() {
    let config = load("[read_model]\nrefresh = \"\"\n", &[]).unwrap();
    assert!(config.read_model.refresh.is_none());
}

#[test]
fn a_bad_kommunkod_names_the_list_index() {
    let toml = "[region]\nmunicipalities = [\n  \"0114\",\n  \"0180\",\n  \"0100\",\n  180,\n]\n";
    let errors = problems(toml, &[]);
    assert_eq!(keys(&errors), ["region.municipalities[2]", "region.municipalities[3]"]);
    assert_eq!(line_of(&errors, "region.municipalities[2]"), Some(5));
    let integer = errors.for_key("region.municipalities[3]").next().unwrap();
    assert!(integer.message.contains("leading zero, such as \"0180\""), "{integer}");
}

#[test]
fn an_explicit_list_of_kommunkoder_is_the_region() {
    let config = load("[region]\nmunicipalities = [\"0180\", \"0305\"]\n", &[]).unwrap();
    assert_eq!(config.region.municipalities(), [code("0180"), code("0305")]);
}

#[test]
fn an_empty_list_of_municipalities_and_an_unknown_county_are_errors() {
    assert_eq!(keys(&problems("[region]\nmunicipalities = []\n", &[])), ["region.municipalities"]);
    assert_eq!(keys(&problems("[region]\ncounty = \"99\"\n", &[])), ["region.county"]);
}

#[test]
fn county_and_municipalities_together_is_an_error() {
    let errors = problems("[region]\ncounty = \"01\"\nmunicipalities = [\"0180\"]\n", &[]);
    assert_eq!(keys(&errors), ["region"]);
    assert!(errors.to_string().contains("either `county` or `municipalities`, not both"), "{errors}");
}

#[test]
fn a_database_password_never_appears_in_any_error_or_debug_output() {
    let password = "hunter2-Sup3r";

    // A valid URL: the config holds it, but prints it nowhere.
    let url = format!("postgres://vuxnav:{password}@db.example:5432/vuxnav");
    let config = load(&format!("database_url = \"{url}\"\n"), &[]).unwrap();
    assert_eq!(config.database.connection_url().expose(), url);
    assert!(config.database.is_postgres());
    for output in [format!("{config:?}"), format!("{config:#?}"), format!("{:?}", config.database)] {
        assert!(!output.contains(password), "{output}");
        assert!(output.contains("[REDACTED]"), "{output}");
    }
    assert_eq!(config.database.to_string(), "postgres://vuxnav:***@db.example:5432/vuxnav");

    // An invalid URL, from the file and from the environment, next to another problem.
    let bad = format!("mysql://vuxnav:{password}@db.example/vuxnav?password={password}");
    for errors in [
        problems(&format!("database_url = \"{bad}\"\nlisten = \"nowhere\"\n"), &[]),
        problems("", &[("VUXNAV_DATABASE_URL", &bad), ("VUXNAV_LISTEN", "nowhere")]),
    ] {
        assert_eq!(keys(&errors).len(), 2, "{errors}");
        for output in [errors.to_string(), format!("{errors:?}"), format!("{errors:#?}")] {
            assert!(!output.contains(password), "{output}");
        }
        assert!(errors.to_string().contains("mysql://vuxnav:***@db.example/vuxnav?password=***"), "{errors}");
    }

    // A URL with a syntax error in the file around it.
    let errors = problems(&format!("database_url = \"{url}\"\n[graphql\n"), &[]);
    assert!(!format!("{errors} {errors:?}").contains(password));
}

#[test]
fn an_unparsable_listen_address_is_reported() {
    let errors = problems("listen = \"127.0.0.1\"\n", &[]);
    assert_eq!(keys(&errors), ["listen"]);
    assert_eq!(line_of(&errors, "listen"), Some(1));
}

#[test]
fn a_file_that_does_not_exist_is_reported_with_the_other_problems() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let errors = Config::load(Some(&missing), env(&[("VUXNAV_GRAPHQL__MAX_DEPTH", "0")])).unwrap_err();
    assert_eq!(keys(&errors), ["", "graphql.max_depth"]);
    let first = errors.iter().next().unwrap();
    assert_eq!(first.origin, Some(Origin::File { path: missing.clone(), line: None }));
    assert!(first.to_string().ends_with("missing.toml: the file does not exist"), "{first}");
}

#[test]
fn a_toml_syntax_error_is_reported_with_its_line() {
    let errors = problems("listen = \"127.0.0.1:8080\"\n\n[graphql\nmax_depth = 3\n", &[]);
    let syntax = errors.iter().find(|error| error.key.is_empty()).unwrap();
    assert!(syntax.message.starts_with("invalid TOML"), "{syntax}");
    assert!(matches!(syntax.origin, Some(Origin::File { line: Some(3), .. })), "{syntax:?}");
}

#[test]
fn the_example_config_loads_without_problems_and_documents_the_defaults() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../config/vuxnav.example.toml");
    let config = Config::load(Some(&example), Vec::new()).unwrap_or_else(|errors| panic!("{errors}"));
    let defaults = Config::default();
    assert_eq!(config.listen, defaults.listen);
    assert_eq!(config.data_dir, defaults.data_dir);
    assert_eq!(config.database, defaults.database);
    assert_eq!(config.log_format, defaults.log_format);
    assert_eq!(config.region, defaults.region);
    assert_eq!(config.graphql, defaults.graphql);
    assert_eq!(
        config.read_model.refresh.as_ref().map(|s| s.expression()),
        defaults.read_model.refresh.as_ref().map(|s| s.expression())
    );
}

#[test]
fn every_toml_example_in_the_docs_loads() {
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let mut examples = 0;
    for entry in std::fs::read_dir(&docs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for block in text.split("```toml\n").skip(1) {
            let toml = block.split("```").next().unwrap();
            // In the docs folder, so that the files an example names beside it are there.
            let file = tempfile::NamedTempFile::new_in(&docs).unwrap();
            std::fs::write(file.path(), toml).unwrap();
            let loaded = Config::load(Some(file.path()), std::iter::empty::<(String, String)>());
            assert!(loaded.is_ok(), "{}: {:?}\n{toml}", path.display(), loaded.err().map(|e| e.to_string()));
            examples += 1;
        }
    }
    assert!(examples >= 1, "no toml examples found in {}", docs.display());
}

#[test]
fn the_portal_is_branded_from_its_table_and_a_logo_file_is_read_at_load() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let logo = dir.path().join("region.svg");
    std::fs::write(&logo, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>").expect("the logo is written");
    let config = load(
        &format!(
            "[portal]\nname = \"Vuxenutbildning i Exempellän\"\nregion = \"Exempellän\"\nlogo = {logo:?}\nlogo_alt = \"Region Exempel\"\ncontact_email = \"vux@exempel.se\"\naccessibility_reviewed = \"2026-10-01\"\n[portal.colours]\nprimary = \"#004400\"\nlink = \"#00557F\"\n"
        ),
        &[],
    )
    .expect("the config loads");
    let portal = &config.portal;
    assert_eq!(portal.name, "Vuxenutbildning i Exempellän");
    assert_eq!(portal.logo_alt, "Region Exempel");
    assert_eq!(portal.logo.as_ref().map(|logo| logo.content_type), Some("image/svg+xml"));
    assert_eq!(portal.colours.primary.css(), "#004400");
    assert_eq!(portal.colours.link.css(), "#00557f");
    assert_eq!(portal.accessibility_reviewed.to_string(), "2026-10-01");
}

#[test]
fn a_brand_colour_below_aa_contrast_a_missing_logo_and_a_bad_address_are_each_reported() {
    let errors = problems(
        "[portal]\nlogo = \"/nowhere/logo.svg\"\ncontact_email = \"nobody\"\naccessibility_reviewed = \"igår\"\n[portal.colours]\nprimary = \"#ffcc00\"\nlink = \"blue\"\n",
        &[],
    );
    assert_eq!(
        keys(&errors),
        [
            "portal.logo",
            "portal.contact_email",
            "portal.accessibility_reviewed",
            "portal.colours.primary",
            "portal.colours.link"
        ]
    );
    let primary = errors.for_key("portal.colours.primary").next().expect("a problem").message.clone();
    assert!(primary.contains("contrast of 1.") && primary.contains("4.5:1"), "{primary}");
}

#[test]
fn admin_sessions_last_the_idle_minutes_within_the_session_hours_and_out_of_range_values_are_named() {
    let config = load("[access.admin_pages]\nsession_hours = 4\nidle_minutes = 15\n", &[]).expect("valid");
    assert_eq!(config.access.admin_pages.session, std::time::Duration::from_secs(4 * 3600));
    assert_eq!(config.access.admin_pages.idle, std::time::Duration::from_secs(15 * 60));

    let errors = problems("[access.admin_pages]\nsession_hours = 25\nidle_minutes = 1\n", &[]);
    assert_eq!(keys(&errors), ["access.admin_pages.session_hours", "access.admin_pages.idle_minutes"]);
    assert!(errors.to_string().contains("must be from 5 to 480 minutes, found 1"), "{errors}");
}
