//! Every example query in `docs/api.md` and `docs/registries.md` runs against the demo data
//! without errors, and every example of `docs/admin.md` runs in order against the admin API
//! with a region admin's key. An example is a fenced `graphql` block holding a complete
//! document; a `json` block right after it holds its variables.

use std::path::PathBuf;

use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases};

/// A guide of `<workspace>/docs/`, read whole.
fn guide(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("docs").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Runs every example of `docs/<name>` against the demo data on every database, asserting
/// that each answers data without errors; the guide must hold at least `at_least` examples.
async fn every_example_runs(name: &str, at_least: usize) {
    let examples = examples(&guide(name));
    assert!(examples.len() >= at_least, "docs/{name} has {} example queries, fewer than {at_least}", examples.len());
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for example in &examples {
            let (status, body) = app.graphql(&example.query, example.variables.clone()).await;
            assert!(
                status == StatusCode::OK && body.get("errors").is_none() && body["data"].is_object(),
                "{}: the example at docs/{name}:{} answers HTTP {status} with {body}\n{}",
                app.backend,
                example.line,
                example.query
            );
        }
    }
}

#[derive(Debug, PartialEq)]
struct Example {
    /// The line of the opening fence, 1-based.
    line: usize,
    query: String,
    variables: Value,
}

/// The `graphql` blocks of a Markdown text, each with the `json` block that follows it (only
/// blank lines between) as its variables.
fn examples(markdown: &str) -> Vec<Example> {
    let lines: Vec<&str> = markdown.lines().collect();
    let fence = |line: &str, language: &str| {
        line.trim().strip_prefix("```").is_some_and(|info| info.split_whitespace().next() == Some(language))
    };
    let block = |start: usize| -> (String, usize) {
        let end = (start + 1..lines.len()).find(|&i| lines[i].trim() == "```").unwrap_or(lines.len());
        (lines[start + 1..end].join("\n"), end)
    };
    let mut examples = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !fence(lines[i], "graphql") {
            // Another block (```text, ```json without a query) is skipped whole.
            i = if lines[i].trim().starts_with("```") { block(i).1 + 1 } else { i + 1 };
            continue;
        }
        let opening = i;
        let (query, end) = block(opening);
        let mut next = end + 1;
        while next < lines.len() && lines[next].trim().is_empty() {
            next += 1;
        }
        let variables = if next < lines.len() && fence(lines[next], "json") {
            let (text, json_end) = block(next);
            i = json_end + 1;
            serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("docs/api.md:{}: the variables are not JSON: {error}", next + 1))
        } else {
            i = end + 1;
            Value::Null
        };
        examples.push(Example { line: opening + 1, query, variables });
    }
    examples
}

#[test]
fn examples_are_graphql_blocks_with_the_json_block_after_them_as_variables() {
    let markdown = "# Guide\n\n```text\n```graphql\n```\n\n```graphql\n{ a }\n```\n\n```json\n{\"x\": 1}\n```\n\ntext\n\n```graphql\nquery { b }\n```\nmore\n```json\n{}\n```\n";
    let found = examples(markdown);
    assert_eq!(
        found,
        [
            Example { line: 7, query: "{ a }".to_owned(), variables: serde_json::json!({ "x": 1 }) },
            Example { line: 17, query: "query { b }".to_owned(), variables: Value::Null },
        ]
    );
}

#[tokio::test]
async fn every_example_in_the_api_guide_runs_without_errors() {
    every_example_runs("api.md", 5).await;
}

#[tokio::test]
async fn every_example_in_the_registries_guide_runs_without_errors() {
    every_example_runs("registries.md", 3).await;
}

#[tokio::test]
async fn every_example_in_the_admin_guide_runs_in_order_without_errors() {
    let examples = examples(&guide("admin.md"));
    assert!(examples.len() >= 8, "docs/admin.md has {} examples; it should have at least 8", examples.len());
    for db in fresh_databases().await {
        // The guide's sources are on `.example` hosts, which never resolve: a dry run fails at once.
        let app = TestApp::builder().config("[harvest]\nretries = 0").spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        for example in &examples {
            let (status, body) = app.admin(&region, &example.query, example.variables.clone()).await;
            assert!(
                status == StatusCode::OK && body.get("errors").is_none() && body["data"].is_object(),
                "{}: the example at docs/admin.md:{} answers HTTP {status} with {body}\n{}",
                app.backend,
                example.line,
                example.query
            );
        }
    }
}
