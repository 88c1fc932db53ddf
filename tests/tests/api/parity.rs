//! PostgreSQL answers exactly as SQLite does: the same demo data, the same queries, the same
//! bytes. Without `VUXNAV_TEST_DATABASE_URL` there is only SQLite and nothing to compare.

use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json};

const OFFERING_FIELDS: &str = "id
  course { id code title description schoolForm komvux credits { system value } subject sunField vocational configuration }
  provider { id name organisationNumber kind schoolUnitCode municipality { code } url email phone }
  municipality { code name county { code name } offeringCount }
  location { name streetAddress postalCode town latitude longitude }
  start end continuousIntake
  application { opens closes continuous url }
  pace timeOfStudy mode language seats cancelled apprenticeship feeSek eligibility url
  provenance { source upstreamId firstSeen lastChanged lastHarvest }";

const FACETS: &str = "facets {
  municipality { municipality { code } count } schoolForm { value count } mode { value count }
  timeOfStudy { value count } language { value count }
}";

/// Representative queries: every field of every type, filters, search, orders and facets.
fn queries() -> Vec<(String, Value)> {
    let connection = |args: &str| {
        format!(
            "{{ offerings({args}) {{ totalCount edges {{ cursor node {{ {OFFERING_FIELDS} }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} {FACETS} }} }}"
        )
    };
    vec![
        ("{ municipalities { code name offeringCount } }".to_owned(), Value::Null),
        (connection("first: 40"), Value::Null),
        (connection("first: 50, filter: {municipalities: [\"0180\", \"0126\"], schoolForms: [VUXGY, VUXGR]}"), Value::Null),
        (connection("first: 50, search: \"svenska\""), Value::Null),
        (connection("first: 50, search: \"matematk\", orderBy: {field: RELEVANCE, direction: DESC}"), Value::Null),
        (connection("first: 40, orderBy: {field: TITLE, direction: DESC}"), Value::Null),
        (connection("first: 40, orderBy: {field: MUNICIPALITY}, filter: {modes: [DISTANCE], paceMax: 50}"), Value::Null),
        (
            connection("first: 40, orderBy: {field: START_DATE, direction: DESC}, filter: {includeCancelled: true}"),
            Value::Null,
        ),
        (
            "query($filter: OfferingFilterInput) { offerings(filter: $filter, first: 100) { totalCount nodes { id start application { opens closes } } } }"
                .to_owned(),
            json!({ "filter": { "startFrom": "2027-01-01", "startTo": "2027-03-31", "openForApplicationNow": true } }),
        ),
        (
            format!("{{ course(code: \"MATMAT01c\") {{ id title offerings(first: 40, orderBy: {{field: MUNICIPALITY}}) {{ totalCount nodes {{ {OFFERING_FIELDS} }} }} }} }}"),
            Value::Null,
        ),
        ("{ courses(first: 400) { totalCount pageInfo { hasNextPage } nodes { id code title schoolForm credits { system value } } } }".to_owned(), Value::Null),
        ("{ providers(first: 100) { totalCount pageInfo { hasNextPage } nodes { id name organisationNumber kind municipality { code } offerings(first: 3) { totalCount nodes { id } } } } }".to_owned(), Value::Null),
        ("{ sources { id kind status lastAttempt lastSuccess lastError municipality { code } offeringCount } }".to_owned(), Value::Null),
    ]
}

#[tokio::test]
async fn postgres_answers_byte_for_byte_as_sqlite_does() {
    let databases = fresh_databases().await;
    if databases.len() < 2 {
        eprintln!("only SQLite: set VUXNAV_TEST_DATABASE_URL (scripts/with-postgres) to compare with PostgreSQL");
        return;
    }
    let mut apps = Vec::new();
    for db in &databases {
        apps.push(TestApp::spawn(db).await);
    }
    let (sqlite, others) = apps.split_first().expect("two apps");
    for (query, variables) in queries() {
        let expected = sqlite.graphql_reply(&query, variables.clone()).await;
        assert_eq!(expected.status, StatusCode::OK, "{}: {query}: {}", sqlite.backend, expected.body);
        let json = expected.json();
        assert!(json.get("errors").is_none(), "{}: {query}: {}", sqlite.backend, expected.body);
        for other in others {
            let actual = other.graphql_reply(&query, variables.clone()).await;
            assert_eq!(actual.status, expected.status, "{} and {}: {query}", sqlite.backend, other.backend);
            if actual.body != expected.body {
                panic!(
                    "{} answers otherwise than {}: {query}\n{}",
                    other.backend,
                    sqlite.backend,
                    first_difference(&expected.body, &actual.body)
                );
            }
        }
    }
    // A later page, through the cursor an earlier page gave (the same on every backend).
    const PAGE: &str = "query($after: String) {
      offerings(first: 100, after: $after, orderBy: {field: TITLE, direction: DESC}) {
        edges { cursor node { id course { title } } } pageInfo { endCursor }
      }
    }";
    let first_page = sqlite.data(PAGE, json!({ "after": null })).await;
    let cursor = &first_page["offerings"]["pageInfo"]["endCursor"];
    let expected = sqlite.graphql_reply(PAGE, json!({ "after": cursor })).await;
    for other in others {
        let actual = other.graphql_reply(PAGE, json!({ "after": cursor })).await;
        assert_eq!(actual.body, expected.body, "{} and {}: the second page", sqlite.backend, other.backend);
    }
}

/// Where two bodies part, with some context on both sides.
fn first_difference(expected: &str, actual: &str) -> String {
    let at = expected.bytes().zip(actual.bytes()).position(|(a, b)| a != b).unwrap_or(expected.len().min(actual.len()));
    let window = |s: &str| {
        let start = s.floor_char_boundary(at.saturating_sub(200));
        let end = s.ceil_char_boundary((at + 200).min(s.len()));
        s[start..end].to_owned()
    };
    format!("at byte {at}:\n  expected …{}…\n  actual   …{}…", window(expected), window(actual))
}
