//! Walking every page of a result with `first` and `after: endCursor`.

use std::collections::BTreeSet;

use vuxnav_tests::{TestApp, Value, count, fresh_databases, json, text};

const PAGE: &str =
    "query($filter: OfferingFilterInput, $search: String, $orderBy: OfferingOrderInput, $after: String) {
  offerings(filter: $filter, search: $search, orderBy: $orderBy, first: 100, after: $after) {
    totalCount
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

const FIELDS: [&str; 4] = ["RELEVANCE", "START_DATE", "TITLE", "MUNICIPALITY"];
const DIRECTIONS: [&str; 2] = ["ASC", "DESC"];

/// Walks every page of 100 and returns the ids in the order given, after checking that every
/// page agrees on `totalCount`, that the page info matches the edges, and that the ids are as
/// many as `totalCount` and each comes once.
async fn walk(app: &TestApp, filter: &Value, search: Option<&str>, order_by: &Value) -> Vec<String> {
    let what = format!("{} with filter {filter}, search {search:?}, orderBy {order_by}", app.backend);
    let mut ids = Vec::new();
    let mut after = Value::Null;
    let mut total = None;
    for page in 0.. {
        let variables = json!({ "filter": filter, "search": search, "orderBy": order_by, "after": after });
        let data = app.data(PAGE, variables).await;
        let offerings = &data["offerings"];
        let page_total = count(&offerings["totalCount"]);
        assert_eq!(*total.get_or_insert(page_total), page_total, "{what}: totalCount changed on page {page}");
        assert!(page <= page_total / 100 + 1, "{what}: more pages than totalCount {page_total} allows");
        let edges = offerings["edges"].as_array().expect("a list of edges");
        let info = &offerings["pageInfo"];
        assert_eq!(info["hasPreviousPage"], page > 0, "{what}: hasPreviousPage on page {page}");
        assert_eq!(
            info["endCursor"],
            edges.last().map_or(Value::Null, |e| e["cursor"].clone()),
            "{what}: endCursor on page {page}"
        );
        assert_eq!(
            info["startCursor"],
            edges.first().map_or(Value::Null, |e| e["cursor"].clone()),
            "{what}: startCursor on page {page}"
        );
        ids.extend(edges.iter().map(|e| text(&e["node"]["id"]).to_owned()));
        if info["hasNextPage"] == false {
            break;
        }
        assert_eq!(edges.len(), 100, "{what}: a page before the last is not full (page {page})");
        after = info["endCursor"].clone();
    }
    let total = total.unwrap_or_default();
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{what}: {} offerings came more than once", ids.len() - unique.len());
    assert_eq!(ids.len() as u64, total, "{what}: the pages hold {} offerings, totalCount says {total}", ids.len());
    ids
}

#[tokio::test]
async fn walking_every_page_of_a_filter_returns_each_offering_once_in_every_order() {
    let filter = json!({ "schoolForms": ["VUXGY"], "municipalities": ["0180"] });
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let mut sets = Vec::new();
        for field in FIELDS {
            for direction in DIRECTIONS {
                let ids = walk(&app, &filter, None, &json!({ "field": field, "direction": direction })).await;
                assert!(ids.len() > 200, "{}: the filter should span several pages, not {}", app.backend, ids.len());
                sets.push((field, direction, ids.into_iter().collect::<BTreeSet<_>>()));
            }
        }
        let (_, _, first) = &sets[0];
        for (field, direction, set) in &sets {
            assert_eq!(set, first, "{}: {field} {direction} selects other offerings than RELEVANCE ASC", app.backend);
        }
    }
}

#[tokio::test]
async fn walking_every_page_of_a_search_returns_each_match_once_in_every_order() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        for field in FIELDS {
            for direction in DIRECTIONS {
                let order = json!({ "field": field, "direction": direction });
                let ids = walk(&app, &json!({ "modes": ["ON_SITE", "HYBRID"] }), Some("svenska"), &order).await;
                assert!(ids.len() > 200, "{}: the search should span several pages, not {}", app.backend, ids.len());
            }
        }
    }
}

#[tokio::test]
async fn walking_every_page_without_a_filter_returns_every_offering_once() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let ids = walk(&app, &Value::Null, None, &Value::Null).await;
        assert!(ids.len() >= 5000, "{}: only {} offerings", app.backend, ids.len());
    }
}
