//! Partner tooling (GraphiQL, code generators) reads the schema by introspection: the query
//! they send must fit the depth and complexity limits.

use vuxnav_tests::{TestApp, Value, fresh_databases, text};

const INTROSPECTION: &str = include_str!("introspection.graphql");

#[tokio::test]
async fn the_introspection_query_of_graphiql_and_code_generators_is_answered() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data(INTROSPECTION, Value::Null).await;
        let schema = &data["__schema"];
        let query_type = text(&schema["queryType"]["name"]);
        let types = schema["types"].as_array().expect("a list of types");
        let query = types.iter().find(|t| t["name"] == query_type).expect("the query type is listed");
        let fields: Vec<&str> = query["fields"].as_array().expect("fields").iter().map(|f| text(&f["name"])).collect();
        for field in ["offerings", "offering", "course", "courses", "providers", "municipalities", "node", "sources"] {
            assert!(fields.contains(&field), "{}: the query type has no `{field}`: {fields:?}", app.backend);
        }
        for name in ["Offering", "Course", "Provider", "OfferingFilterInput", "Date"] {
            assert!(types.iter().any(|t| t["name"] == name), "{}: no type {name}", app.backend);
        }
    }
}

#[test]
fn the_introspection_query_is_well_within_the_default_document_limits() {
    let limits = vuxnav_gateway::graphql::limits::DocumentLimits::default();
    let text = limits.scan(INTROSPECTION).expect("within the limits before parsing");
    let document = async_graphql::parser::parse_query(INTROSPECTION).expect("the introspection query parses");
    let expanded = limits.check_expansion(&document).expect("within the limits after parsing");
    println!("introspection query: {text:?}, {expanded:?}");
    // Room to spare (184 tokens, 489 selections and 17 levels once expanded, today), so that
    // GraphiQL and code generators keep working when an operator tightens the limits.
    assert!(text.tokens * 5 <= limits.max_tokens as u64, "{text:?}");
    assert!(expanded.selections * 4 <= limits.max_expanded_selections as u64, "{expanded:?}");
    assert!(text.nesting.max(expanded.nesting) + 10 <= limits.max_nesting as u64, "{text:?} {expanded:?}");
}
