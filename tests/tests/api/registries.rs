//! The registries through the public API: pathways checked against the offerings, validation
//! offers and price list of the demo data, costs, the occupations of a course, and bad
//! arguments named.

use vuxnav_tests::{StatusCode, TestApp, fresh_databases, json};

const PATHWAY: &str = "query($occupation: String!, $municipality: String!) {
  pathway(occupation: $occupation, municipality: $municipality, first: 500) {
    occupation { id }
    routes { courseCode offeringCount offerings { ownMunicipality distanceKm offering { id municipality { code } }
             cost { kind priceListEntry { key source } } } }
    validationOffers { key municipalities }
    guidanceServices { key municipalities }
  }
}";

#[tokio::test]
async fn a_pathway_from_botkyrka_puts_botkyrka_first_and_prices_the_rest_from_the_price_list() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;

        let (status, body) =
            app.graphql(PATHWAY, json!({ "occupation": "Y3QA_5pk_uXd", "municipality": "0127" })).await;

        assert_eq!(status, StatusCode::OK, "{}: {body}", app.backend);
        let pathway = &body["data"]["pathway"];
        let route = pathway["routes"].as_array().and_then(|r| r.iter().find(|r| r["courseCode"] == "YVUSK"));
        let route = route.unwrap_or_else(|| panic!("{}: no YVUSK route in {body}", app.backend));
        let offerings = route["offerings"].as_array().expect("offerings");
        assert!(!offerings.is_empty(), "{}: the demo offers YVUSK", app.backend);
        assert_eq!(route["offeringCount"].as_u64(), Some(offerings.len() as u64), "{}", app.backend);
        let own = offerings.iter().take_while(|o| o["ownMunicipality"] == true).count();
        for offering in &offerings[own..] {
            assert_ne!(offering["offering"]["municipality"]["code"], "0127", "{}", app.backend);
            assert_eq!(offering["cost"]["kind"], "PRICED", "{}: {offering}", app.backend);
            assert_eq!(offering["cost"]["priceListEntry"]["key"], "paket-yvusk", "{}", app.backend);
            assert_eq!(offering["cost"]["priceListEntry"]["source"], "ILLUSTRATIVE", "{}", app.backend);
        }
        for offering in &offerings[..own] {
            assert_eq!(offering["cost"]["kind"], "OWN_MUNICIPALITY", "{}", app.backend);
        }
        let serves_botkyrka = |list: &str| {
            pathway[list].as_array().is_some_and(|items| {
                !items.is_empty()
                    && items.iter().all(|i| i["municipalities"].as_array().is_some_and(|m| m.contains(&json!("0127"))))
            })
        };
        assert!(serves_botkyrka("validationOffers"), "{}: {body}", app.backend);
        assert!(serves_botkyrka("guidanceServices"), "{}: {body}", app.backend);
    }
}

#[tokio::test]
async fn an_occupation_outside_the_pinned_taxonomy_is_bad_user_input_naming_it() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;

        let (_, body) = app.graphql(PATHWAY, json!({ "occupation": "PQkQ_Dmk_ZF8", "municipality": "0127" })).await;

        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{}: {body}", app.backend);
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.starts_with("occupation:") && message.contains("`PQkQ_Dmk_ZF8`"), "{}: {body}", app.backend);
    }
}

#[tokio::test]
async fn the_cost_of_an_offering_is_free_at_home_and_priced_elsewhere() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, body) = app
            .graphql(
                "{ pathway(occupation: \"Y3QA_5pk_uXd\", municipality: \"0180\", first: 1) {
                     routes { courseCode courses { occupations { id } } offerings { offering { id municipality { code } } } } } }",
                json!(null),
            )
            .await;
        let route = &body["data"]["pathway"]["routes"][0];
        assert_eq!(route["courseCode"], "YVUSK", "{}: {body}", app.backend);
        assert_eq!(route["courses"][0]["occupations"], json!([{ "id": "Y3QA_5pk_uXd" }]), "{}: {body}", app.backend);
        let node = &route["offerings"][0]["offering"];
        let home = node["municipality"]["code"].as_str().expect("a kommunkod").to_owned();
        let elsewhere = if home == "0180" { "0127" } else { "0180" };
        let query = "query($id: ID!, $home: String!) { cost(offering: $id, homeMunicipality: $home) { kind priceListEntry { key } } }";

        let (_, at_home) = app.graphql(query, json!({ "id": node["id"], "home": home })).await;
        let (_, away) = app.graphql(query, json!({ "id": node["id"], "home": elsewhere })).await;

        assert_eq!(at_home["data"]["cost"]["kind"], "OWN_MUNICIPALITY", "{}: {at_home}", app.backend);
        assert_eq!(away["data"]["cost"]["kind"], "PRICED", "{}: {away}", app.backend);
        assert_eq!(away["data"]["cost"]["priceListEntry"]["key"], "paket-yvusk", "{}: {away}", app.backend);
    }
}

#[tokio::test]
async fn a_municipality_and_an_offering_reach_their_registries_in_the_same_request() {
    const FROM_THE_CATALOGUE: &str = "{
      municipalities { code guidanceServices { key municipalities } }
      guidanceServices(first: 500) { nodes { key municipalities } }
      validationOffers(first: 500) { nodes { key courseCodes municipalities } }
    }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app.data(FROM_THE_CATALOGUE, json!(null)).await;

        let services = data["guidanceServices"]["nodes"].as_array().expect("a list");
        for municipality in data["municipalities"].as_array().expect("a list") {
            let code = &municipality["code"];
            let reached: Vec<&serde_json::Value> =
                municipality["guidanceServices"].as_array().expect("a list").iter().map(|s| &s["key"]).collect();
            let serving: Vec<&serde_json::Value> = services
                .iter()
                .filter(|s| s["municipalities"].as_array().is_some_and(|m| m.contains(code)))
                .map(|s| &s["key"])
                .collect();
            assert!(!reached.is_empty(), "{}: no guidance service serves {code}", app.backend);
            assert_eq!(reached, serving, "{}: the guidance services serving {code}", app.backend);
        }

        // The first offer against a course that has offerings in the municipalities it serves.
        let mut found = None;
        for offer in data["validationOffers"]["nodes"].as_array().expect("a list") {
            let Some(code) = offer["courseCodes"].as_array().and_then(|c| c.first()) else { continue };
            let offerings = app
                .data(
                    "query($filter: OfferingFilterInput) { offerings(filter: $filter, first: 5) { nodes { validationOffers { key } } } }",
                    json!({ "filter": { "courseCodes": [code], "municipalities": offer["municipalities"] } }),
                )
                .await;
            let nodes = offerings["offerings"]["nodes"].as_array().cloned().unwrap_or_default();
            if !nodes.is_empty() {
                found = Some((offer.clone(), nodes));
                break;
            }
        }
        let (offer, nodes) = found
            .unwrap_or_else(|| panic!("{}: no validation offer's course has offerings where it serves", app.backend));
        for node in nodes {
            let keys = node["validationOffers"].as_array().expect("a list");
            assert!(keys.iter().any(|k| k["key"] == offer["key"]), "{}: {offer} missing from {node}", app.backend);
        }
    }
}

#[tokio::test]
async fn guidance_services_are_filtered_and_counted_and_a_point_orders_them_by_distance() {
    const NEAR: &str = "query($filter: GuidanceServiceFilterInput) {
      guidanceServices(filter: $filter, first: 3) {
        totalCount
        edges { distanceKm node { key channels languages } }
        pageInfo { hasNextPage endCursor }
        facets { channel { value count } language { value count } kind { value count } }
      }
    }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let near = json!({ "latitude": 59.3326, "longitude": 18.0649, "radiusKm": 30.0 });

        let data = app.data(NEAR, json!({ "filter": { "channels": ["CHAT"], "near": near } })).await;

        let connection = &data["guidanceServices"];
        let edges = connection["edges"].as_array().expect("edges");
        assert!(!edges.is_empty(), "{}: chat guidance near Stockholm: {data}", app.backend);
        let distances: Vec<f64> = edges.iter().map(|e| e["distanceKm"].as_f64().expect("a distance")).collect();
        assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{}: nearest first {distances:?}", app.backend);
        assert!(edges.iter().all(|e| e["node"]["channels"].as_array().is_some_and(|c| c.contains(&json!("CHAT")))));
        let total = connection["totalCount"].as_u64().expect("a total");
        let kinds: u64 =
            connection["facets"]["kind"].as_array().expect("kinds").iter().filter_map(|k| k["count"].as_u64()).sum();
        assert_eq!(kinds, total, "{}: one kind per service", app.backend);
        let chat = connection["facets"]["channel"].as_array().expect("channels");
        assert!(
            chat.iter().any(|c| c["value"] == "ON_SITE"),
            "{}: the other channels stay as alternatives: {data}",
            app.backend
        );
        assert!(
            chat.iter().any(|c| c["value"] == "CHAT" && c["count"].as_u64() == Some(total)),
            "{}: {data}",
            app.backend
        );

        let has_next = connection["pageInfo"]["hasNextPage"].as_bool().expect("a flag");
        assert_eq!(has_next, total > edges.len() as u64, "{}: {data}", app.backend);
    }
}

#[tokio::test]
async fn validation_offers_are_filtered_by_kind_course_and_occupation_and_paged() {
    const OFFERS: &str = "query($filter: ValidationOfferFilterInput, $after: String) {
      validationOffers(filter: $filter, first: 2, after: $after) {
        totalCount
        nodes { key kind courseCodes municipalities }
        pageInfo { hasNextPage endCursor }
        facets { kind { value count } municipality { municipality { code } count } }
      }
    }";
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let filter = json!({ "municipalities": ["0127"], "occupations": ["Y3QA_5pk_uXd"] });

        let first = app.data(OFFERS, json!({ "filter": filter })).await;
        let cursor = first["validationOffers"]["pageInfo"]["endCursor"].clone();
        let second = app.data(OFFERS, json!({ "filter": filter, "after": cursor })).await;

        let total = first["validationOffers"]["totalCount"].as_u64().expect("a total");
        assert!(total >= 2, "{}: prövning and branschvalidering for undersköterska: {first}", app.backend);
        let keys = |page: &serde_json::Value| -> Vec<String> {
            page["validationOffers"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["key"].as_str().unwrap_or_default().to_owned())
                .collect()
        };
        let (one, two) = (keys(&first), keys(&second));
        assert!(one.iter().all(|k| !two.contains(k)), "{}: pages do not repeat {one:?} {two:?}", app.backend);
        assert!(one.iter().chain(&two).any(|k| k == "provning-varvar01-0127"), "{}: {one:?} {two:?}", app.backend);
        let kinds: u64 = first["validationOffers"]["facets"]["kind"]
            .as_array()
            .expect("kinds")
            .iter()
            .filter_map(|k| k["count"].as_u64())
            .sum();
        assert_eq!(kinds, total, "{}", app.backend);

        let (_, body) = app
            .graphql(OFFERS, json!({ "filter": { "occupations": ["PQkQ_Dmk_ZF8"], "municipalities": ["0127", "12"] } }))
            .await;
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{}: {body}", app.backend);
    }
}

#[tokio::test]
async fn a_bad_filter_value_is_named_by_its_path() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let cases = [
            (
                "{ validationOffers(filter: { municipalities: [\"0127\", \"12\"] }) { totalCount } }",
                "filter.municipalities[1]",
            ),
            (
                "{ validationOffers(filter: { occupations: [\"PQkQ_Dmk_ZF8\"] }) { totalCount } }",
                "filter.occupations[0]",
            ),
            ("{ guidanceServices(filter: { near: { latitude: 91, longitude: 18 } }) { totalCount } }", "filter.near"),
            (
                "{ guidanceServices(filter: { near: { latitude: 59, longitude: 18, radiusKm: -1 } }) { totalCount } }",
                "filter.near.radiusKm",
            ),
        ];
        for (query, path) in cases {
            let (_, body) = app.graphql(query, json!(null)).await;
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{}: {query}: {body}", app.backend);
            let message = error["message"].as_str().unwrap_or_default();
            assert!(message.starts_with(&format!("{path}:")), "{}: {query}: {body}", app.backend);
        }
    }
}
