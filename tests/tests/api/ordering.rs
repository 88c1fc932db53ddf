//! Orders in Swedish collation: å, ä and ö after z, case only breaking ties.

use vuxnav_tests::{TestApp, Value, fresh_databases, json, text};

/// A primary-strength Swedish sort key for the characters of the demo data's titles and
/// names, after CLDR's `sv` collation: case is ignored; space sorts before punctuation,
/// punctuation before digits, digits before letters; å, ä and ö follow z. Any other
/// character fails the test, so a new character in the data gets a deliberate key.
fn swedish_key(s: &str) -> Vec<u32> {
    const PUNCTUATION: &str = "_-,;:!?.'\"()[]{}@*/\\&#%";
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            ' ' => 0,
            'é' => 200 + u32::from(b'e' - b'a'),
            'ü' => 200 + u32::from(b'y' - b'a'),
            'a'..='z' => 200 + (u32::from(c) - u32::from('a')),
            'å' => 300,
            'ä' => 301,
            'ö' => 302,
            '0'..='9' => 100 + (u32::from(c) - u32::from('0')),
            c => match PUNCTUATION.find(c) {
                Some(position) => 10 + position as u32,
                None => panic!("no Swedish sort key for {c:?} in {s:?}: give it one in swedish_key"),
            },
        })
        .collect()
}

/// The distinct values in the order they first appear, checking that equal values are
/// adjacent (an order groups them).
fn runs<'a>(backend: &str, values: &'a [String]) -> Vec<&'a str> {
    let mut distinct: Vec<&str> = Vec::new();
    for value in values {
        if distinct.last() != Some(&value.as_str()) {
            assert!(!distinct.contains(&value.as_str()), "{backend}: {value:?} comes back after other values");
            distinct.push(value);
        }
    }
    distinct
}

fn assert_swedish_order(backend: &str, what: &str, values: &[&str], descending: bool) {
    for pair in values.windows(2) {
        let (a, b) = if descending { (pair[1], pair[0]) } else { (pair[0], pair[1]) };
        assert!(swedish_key(a) <= swedish_key(b), "{backend}: {what}: {:?} comes before {:?}", pair[0], pair[1]);
    }
}

/// Every offering's course title and municipality name in the given order, walking pages of 500.
async fn all_offerings(app: &TestApp, field: &str, direction: &str) -> (Vec<String>, Vec<String>) {
    const PAGE: &str = "query($orderBy: OfferingOrderInput, $after: String) {
      offerings(orderBy: $orderBy, first: 500, after: $after) {
        nodes { course { title } municipality { name } }
        pageInfo { hasNextPage endCursor }
      }
    }";
    let (mut titles, mut municipalities) = (Vec::new(), Vec::new());
    let mut after = Value::Null;
    loop {
        let variables = json!({ "orderBy": { "field": field, "direction": direction }, "after": after });
        let data = app.data(PAGE, variables).await;
        for node in data["offerings"]["nodes"].as_array().expect("a list") {
            titles.push(text(&node["course"]["title"]).to_owned());
            municipalities.push(text(&node["municipality"]["name"]).to_owned());
        }
        let info = &data["offerings"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].clone();
    }
    (titles, municipalities)
}

/// Pairs of demo titles in Swedish order that byte order or an English (root) collation
/// would sort the other way round.
const TITLES_IN_SWEDISH_ORDER: [(&str, &str); 6] = [
    ("Lokalvård och städservice", "Lärande och utveckling"),
    ("Mjukvarutestare", "Människors miljöer"),
    ("Restaurangbiträde", "Rätten och samhället"),
    ("Hygien", "Hälsa 1"),
    ("Fysik 2", "Företagsekonomi 1"),
    ("Fastighetsservice - elarbeten", "Fastighetsservice - VVS"),
];

#[tokio::test]
async fn ordering_by_title_follows_swedish_collation_with_a_a_o_after_z() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (titles, _) = all_offerings(&app, "TITLE", "ASC").await;
        let ascending = runs(app.backend, &titles);
        assert_swedish_order(app.backend, "TITLE ASC", &ascending, false);
        for (before, after) in TITLES_IN_SWEDISH_ORDER {
            let position = |title: &str| {
                ascending.iter().position(|t| *t == title).unwrap_or_else(|| panic!("{}: no {title:?}", app.backend))
            };
            assert!(position(before) < position(after), "{}: {after:?} sorts before {before:?}", app.backend);
        }

        let (titles, _) = all_offerings(&app, "TITLE", "DESC").await;
        let descending = runs(app.backend, &titles);
        assert_swedish_order(app.backend, "TITLE DESC", &descending, true);
        let mut reversed = descending.clone();
        reversed.reverse();
        assert_eq!(reversed, ascending, "{}: TITLE DESC is not TITLE ASC reversed", app.backend);
    }
}

#[tokio::test]
async fn ordering_by_municipality_puts_osteraker_last() {
    const IN_SWEDISH_ORDER: [&str; 26] = [
        "Botkyrka",
        "Danderyd",
        "Ekerö",
        "Haninge",
        "Huddinge",
        "Järfälla",
        "Lidingö",
        "Nacka",
        "Norrtälje",
        "Nykvarn",
        "Nynäshamn",
        "Salem",
        "Sigtuna",
        "Sollentuna",
        "Solna",
        "Stockholm",
        "Sundbyberg",
        "Södertälje",
        "Tyresö",
        "Täby",
        "Upplands Väsby",
        "Upplands-Bro",
        "Vallentuna",
        "Vaxholm",
        "Värmdö",
        "Österåker",
    ];
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let (_, names) = all_offerings(&app, "MUNICIPALITY", "ASC").await;
        assert_eq!(runs(app.backend, &names), IN_SWEDISH_ORDER, "{}: MUNICIPALITY ASC", app.backend);
        let (_, names) = all_offerings(&app, "MUNICIPALITY", "DESC").await;
        let mut descending = runs(app.backend, &names);
        descending.reverse();
        assert_eq!(descending, IN_SWEDISH_ORDER, "{}: MUNICIPALITY DESC", app.backend);
    }
}

#[tokio::test]
async fn courses_and_providers_are_listed_in_swedish_collation() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let data = app
            .data("{ courses(first: 500) { totalCount nodes { title } } providers(first: 500) { totalCount nodes { name } } }", Value::Null)
            .await;
        let courses: Vec<&str> =
            data["courses"]["nodes"].as_array().expect("a list").iter().map(|n| text(&n["title"])).collect();
        assert_eq!(courses.len() as u64, data["courses"]["totalCount"].as_u64().unwrap_or(0), "{}", app.backend);
        assert_swedish_order(app.backend, "courses", &courses, false);
        let providers: Vec<&str> =
            data["providers"]["nodes"].as_array().expect("a list").iter().map(|n| text(&n["name"])).collect();
        assert_eq!(providers.len() as u64, data["providers"]["totalCount"].as_u64().unwrap_or(0), "{}", app.backend);
        assert_swedish_order(app.backend, "providers", &providers, false);
        let last_a_to_z = providers.iter().rposition(|name| name.starts_with(|c: char| c.is_ascii_uppercase()));
        let first_aao = providers.iter().position(|name| name.starts_with(['Å', 'Ä', 'Ö']));
        let (Some(last_a_to_z), Some(first_aao)) = (last_a_to_z, first_aao) else {
            panic!("{}: the demo providers should start with both A–Z and Å/Ä/Ö: {providers:?}", app.backend)
        };
        assert!(
            last_a_to_z < first_aao,
            "{}: a provider starting with Å/Ä/Ö sorts before A–Z: {providers:?}",
            app.backend
        );
    }
}

/// Each offering's start in START_DATE order, walking pages of 500: `Ok(date)` for a set
/// start, `Err(true)` for continuous intake, `Err(false)` for neither.
async fn starts(app: &TestApp, direction: &str) -> Vec<Result<String, bool>> {
    const PAGE: &str = "query($direction: OrderDirection, $after: String) {
      offerings(orderBy: {field: START_DATE, direction: $direction}, first: 500, after: $after) {
        nodes { start continuousIntake }
        pageInfo { hasNextPage endCursor }
      }
    }";
    let mut starts = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = app.data(PAGE, json!({ "direction": direction, "after": after })).await;
        for node in data["offerings"]["nodes"].as_array().expect("a list") {
            starts.push(match (node["continuousIntake"].as_bool(), node["start"].as_str()) {
                (Some(true), _) => Err(true),
                (_, Some(start)) => Ok(start.to_owned()),
                _ => Err(false),
            });
        }
        let info = &data["offerings"]["pageInfo"];
        if info["hasNextPage"] != true {
            return starts;
        }
        after = info["endCursor"].clone();
    }
}

#[tokio::test]
async fn ordering_by_start_date_puts_continuous_intake_first_then_the_earliest_start() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        // (0, "") for continuous intake, (1, start) for a set start, (2, "") for neither.
        let keys: Vec<(u8, String)> = starts(&app, "ASC")
            .await
            .into_iter()
            .map(|start| match start {
                Err(true) => (0, String::new()),
                Ok(start) => (1, start),
                Err(false) => (2, String::new()),
            })
            .collect();
        assert!(
            keys.iter().any(|k| k.0 == 0) && keys.iter().any(|k| k.0 == 1),
            "{}: the demo data lacks a case",
            app.backend
        );
        for pair in keys.windows(2) {
            assert!(pair[0] <= pair[1], "{}: START_DATE puts {:?} before {:?}", app.backend, pair[0], pair[1]);
        }
    }
}

#[tokio::test]
async fn ordering_by_start_date_descending_puts_the_latest_start_first_and_continuous_intake_after_every_date() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        // (0, latest first) for a set start, (1, _) for continuous intake, (2, _) for neither.
        let keys: Vec<(u8, std::cmp::Reverse<String>)> = starts(&app, "DESC")
            .await
            .into_iter()
            .map(|start| match start {
                Ok(start) => (0, std::cmp::Reverse(start)),
                Err(true) => (1, std::cmp::Reverse(String::new())),
                Err(false) => (2, std::cmp::Reverse(String::new())),
            })
            .collect();
        assert!(
            keys.iter().any(|k| k.0 == 0) && keys.iter().any(|k| k.0 == 1),
            "{}: the demo data lacks a case",
            app.backend
        );
        for pair in keys.windows(2) {
            assert!(pair[0] <= pair[1], "{}: START_DATE DESC puts {:?} before {:?}", app.backend, pair[0], pair[1]);
        }
    }
}
