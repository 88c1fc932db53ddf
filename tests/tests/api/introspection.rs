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
