//! What vuxnav's own checks cost each request, beside what parsing costs: the lexer pass of
//! `DocumentLimits::scan`, the fragment measure of `DocumentLimits::check_expansion`, and the
//! checks of the schema's extension (aliases, and `coercion::check` of variables and literal
//! arguments against the real schema's registry), on the search-page query, the introspection
//! query GraphiQL sends, a 32 KiB document and a fragment chain. The figures are in
//! docs/performance.md; this bench prints them, it never asserts on them.
//!
//! Run with `cargo bench -p vuxnav-gateway --bench request_limits`.

use std::hint::black_box;
use std::time::Duration;

use async_graphql::parser::parse_query;
use async_graphql::registry::Registry;
use async_graphql::{OutputType, Variables};
use criterion::Criterion;
use serde_json::json;
use vuxnav_gateway::graphql::QueryRoot;
use vuxnav_gateway::graphql::coercion;
use vuxnav_gateway::graphql::limits::{DocumentLimits, count_aliases};

const SEARCH_PAGE: &str = r#"query SearchPage($search: String, $municipalities: [String!], $schoolForms: [SchoolForm!]) {
  offerings(search: $search, filter: {municipalities: $municipalities, schoolForms: $schoolForms}, first: 20) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id start pace course { title code } provider { name } municipality { code name } } }
    facets {
      municipality { municipality { code name } count }
      schoolForm { value count }
      mode { value count }
      timeOfStudy { value count }
      language { value count }
    }
  }
}"#;

const INTROSPECTION: &str = include_str!("../../tests/tests/api/introspection.graphql");

/// A document of `bytes` bytes: fields with arguments, nested a few levels.
fn large_document(bytes: usize) -> String {
    let unit = "offerings(search: \"svenska\", first: 5) { totalCount nodes { id course { title } } } ";
    format!("{{ {} }}", unit.repeat(bytes / unit.len()))
}

fn fragment_chain(links: usize) -> String {
    let mut query = format!("{{ ...F{links} }} fragment F0 on Query {{ __typename }}");
    for i in 1..=links {
        query.push_str(&format!(" fragment F{i} on Query {{ ...F{} ...F{} }}", i - 1, i - 1));
    }
    query
}

fn main() {
    let limits = DocumentLimits { max_document_bytes: usize::MAX, ..DocumentLimits::default() };
    let documents = [
        ("search_page", SEARCH_PAGE.to_owned()),
        ("introspection", INTROSPECTION.to_owned()),
        ("32_kib", large_document(32 * 1024)),
        ("fragment_chain_45", fragment_chain(45)),
    ];
    let mut criterion =
        Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3)).configure_from_args();
    let mut group = criterion.benchmark_group("request_limits");
    for (name, document) in &documents {
        group.bench_function(format!("scan_{name}_{}_bytes", document.len()), |b| {
            b.iter(|| black_box(limits.scan(black_box(document)).is_ok()));
        });
        let parsed = parse_query(document).unwrap_or_else(|error| panic!("{name}: {error}"));
        group.bench_function(format!("check_expansion_{name}"), |b| {
            b.iter(|| black_box(limits.check_expansion(black_box(&parsed)).is_ok()));
        });
        group.bench_function(format!("parse_{name}"), |b| {
            b.iter(|| black_box(parse_query(black_box(document)).is_ok()));
        });
    }
    // The schema's registry, as async-graphql builds it for the query root.
    let mut registry = Registry { query_type: "Query".to_owned(), ..Registry::default() };
    QueryRoot::create_type_info(&mut registry);
    let search_page = parse_query(SEARCH_PAGE).expect("the search page parses");
    let variables = Variables::from_json(json!({
        "search": "svenska", "municipalities": ["0180"], "schoolForms": ["VUXGY"]
    }));
    assert!(coercion::check(&registry, &search_page, Some("SearchPage"), &variables).is_empty());
    group.bench_function("coercion_and_aliases_search_page", |b| {
        b.iter(|| {
            let problems =
                coercion::check(&registry, black_box(&search_page), Some("SearchPage"), black_box(&variables));
            black_box((problems.len(), count_aliases(&search_page)))
        });
    });
    group.finish();
    criterion.final_summary();
}
