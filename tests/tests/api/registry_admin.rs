//! Editing the registries through the admin API as a region operator and a municipal admin
//! would: a change lands in the public API at once and in the audit log with before and after;
//! an edit outside the admin's municipalities is `FORBIDDEN`, audited, and changes nothing; a
//! bad entry is `BAD_USER_INPUT` naming every problem by its column.

use vuxnav_tests::{TestApp, Value, fresh_databases, json};

const HUDDINGE: &str = "0126";
const BOTKYRKA: &str = "0127";

const CREATE: &str =
    "mutation($r: Registry!, $e: JSON!) { createRegistryEntry(registry: $r, entry: $e) { key before after } }";
const UPDATE: &str =
    "mutation($r: Registry!, $e: JSON!) { updateRegistryEntry(registry: $r, entry: $e) { key before after } }";

fn service(key: &str, municipalities: &[&str], name: &str) -> Value {
    json!({
        "key": key, "kind": "vagledning", "name": name, "organiser": "Huddinge kommun",
        "municipalities": municipalities, "channels": ["plats", "chatt"], "languages": ["swe", "som"],
        "target_groups": ["sfi", "yrkesvux"], "latitude": 59.2366, "longitude": 17.9818,
        "opening_hours": ["Mon 08:00-12:00", "Wed 13:00-18:00"], "draws_up_study_plan": true,
    })
}

/// The public API's guidance services serving `municipality`, by key.
async fn public_services(app: &TestApp, municipality: &str) -> Vec<(String, String)> {
    let data = app
        .data(
            "query($m: [String!]) { guidanceServices(filter: {municipalities: $m}, first: 500) { nodes { key name } } }",
            json!({ "m": [municipality] }),
        )
        .await;
    data["guidanceServices"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| (n["key"].as_str().unwrap_or_default().to_owned(), n["name"].as_str().unwrap_or_default().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_municipal_admins_change_to_its_own_guidance_service_is_public_at_once_and_audited() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let admin = app.key("municipal_admin", &[HUDDINGE]).await;
        let region = app.key("region_admin", &[]).await;
        let entry = service("vagledning-huddinge-sfi", &[HUDDINGE], "Sfi-vägledning Huddinge");

        let (_, created) = app.admin(&admin, CREATE, json!({ "r": "GUIDANCE_SERVICES", "e": entry })).await;
        let renamed = service("vagledning-huddinge-sfi", &[HUDDINGE], "Sfi-vägledning Flemingsberg");
        let (_, updated) = app.admin(&admin, UPDATE, json!({ "r": "GUIDANCE_SERVICES", "e": renamed })).await;

        assert!(created.get("errors").is_none(), "{}: {created}", app.backend);
        assert_eq!(
            updated["data"]["updateRegistryEntry"]["before"]["name"], "Sfi-vägledning Huddinge",
            "{}",
            app.backend
        );
        assert_eq!(
            updated["data"]["updateRegistryEntry"]["after"]["name"], "Sfi-vägledning Flemingsberg",
            "{}",
            app.backend
        );
        let public = public_services(&app, HUDDINGE).await;
        assert!(
            public.contains(&("vagledning-huddinge-sfi".to_owned(), "Sfi-vägledning Flemingsberg".to_owned())),
            "{}: the registry snapshot was rebuilt: {public:?}",
            app.backend
        );
        let (_, audit) = app
            .admin(
                &region,
                "{ auditLog(first: 10, action: \"guidance_service.\") { action outcome municipality before after } }",
                Value::Null,
            )
            .await;
        let entries = audit["data"]["auditLog"].as_array().cloned().unwrap_or_default();
        assert_eq!(entries.len(), 2, "{}: {audit}", app.backend);
        assert_eq!(entries[0]["action"], "guidance_service.update", "{}: {audit}", app.backend);
        assert_eq!(entries[0]["outcome"], "ok", "{}", app.backend);
        let before = entries[0]["before"].to_string();
        assert!(before.contains("Sfi-vägledning Huddinge"), "{}: before as stored: {audit}", app.backend);
        assert!(entries[0]["after"].to_string().contains("Flemingsberg"), "{}: {audit}", app.backend);
    }
}

#[tokio::test]
async fn a_municipal_admin_may_not_edit_or_take_over_another_municipalitys_guidance_service() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let admin = app.key("municipal_admin", &[HUDDINGE]).await;
        let region = app.key("region_admin", &[]).await;
        let theirs = service("vagledning-botkyrka-sfi", &[BOTKYRKA], "Sfi-vägledning Botkyrka");
        let (_, body) = app.admin(&region, CREATE, json!({ "r": "GUIDANCE_SERVICES", "e": theirs })).await;
        assert!(body.get("errors").is_none(), "{}: {body}", app.backend);

        let attempts = [
            ("renamed in Botkyrka", service("vagledning-botkyrka-sfi", &[BOTKYRKA], "Kapad")),
            ("moved to Huddinge", service("vagledning-botkyrka-sfi", &[HUDDINGE], "Kapad")),
            ("shared with Huddinge", service("vagledning-botkyrka-sfi", &[HUDDINGE, BOTKYRKA], "Kapad")),
        ];
        for (what, entry) in attempts {
            let (_, body) = app.admin(&admin, UPDATE, json!({ "r": "GUIDANCE_SERVICES", "e": entry })).await;
            assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{}: {what}: {body}", app.backend);
        }
        let (_, body) = app
            .admin(
                &admin,
                CREATE,
                json!({ "r": "GUIDANCE_SERVICES", "e": service("ny-i-botkyrka", &[BOTKYRKA], "Ny") }),
            )
            .await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{}: {body}", app.backend);
        let (_, body) = app
            .admin(&admin, CREATE, json!({ "r": "PRICES", "e": { "key": "p", "payer": HUDDINGE, "provider": "*",
                "school_form": "VUXGY", "unit": "PER_POINT", "amount_sek": 1, "valid_from": "2026-01-01", "source": "decision" } }))
            .await;
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
            "{}: prices are the region's: {body}",
            app.backend
        );

        assert!(
            public_services(&app, BOTKYRKA)
                .await
                .contains(&("vagledning-botkyrka-sfi".to_owned(), "Sfi-vägledning Botkyrka".to_owned())),
            "{}: unchanged",
            app.backend
        );
        let (_, audit) =
            app.admin(&region, "{ auditLog(first: 50) { action outcome municipality actorRole } }", Value::Null).await;
        let denied: Vec<&Value> = audit["data"]["auditLog"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["outcome"] == "denied" && e["actorRole"] == "municipal_admin")
            .collect();
        assert_eq!(denied.len(), 5, "{}: every refusal audited: {audit}", app.backend);
        assert!(
            denied.iter().filter(|e| e["action"] == "guidance_service.update").all(|e| e["municipality"] == BOTKYRKA),
            "{}: a refusal names the municipality outside the admin's reach: {audit}",
            app.backend
        );
    }
}

#[tokio::test]
async fn a_bad_entry_is_refused_naming_every_problem_by_its_column_and_nothing_is_written() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let mut closes_first = service("vagledning-trasig", &[HUDDINGE], "Trasig");
        closes_first["opening_hours"] = json!(["Mon 17:00-08:00"]);
        let in_malmo = service("vagledning-trasig", &["1280"], "Trasig");
        let offer = json!({
            "key": "prov-niva-9", "kind": "AGAINST_COURSE", "title": "Prövning", "course_codes": ["VÅRVÅR01"],
            "occupations": ["PQkQ_Dmk_ZF8"], "seqf_level": 9, "provider": "Komvux", "municipalities": [HUDDINGE],
            "languages": ["swe"], "paid_by": "kommun", "contact": "x@komvux.example", "valid_from": "2026-01-01",
        });

        let (_, hours_body) = app.admin(&region, CREATE, json!({ "r": "GUIDANCE_SERVICES", "e": closes_first })).await;
        let (_, malmo_body) = app.admin(&region, CREATE, json!({ "r": "GUIDANCE_SERVICES", "e": in_malmo })).await;
        let (_, offer_body) = app.admin(&region, CREATE, json!({ "r": "VALIDATION_OFFERS", "e": offer })).await;

        let cases = [
            (&hours_body, &["opening_hours"][..]),
            (&malmo_body, &["municipalities"][..]),
            (&offer_body, &["occupations", "seqf_level"][..]),
        ];
        for (body, columns) in cases {
            let error = &body["errors"][0];
            assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{}: {body}", app.backend);
            let fields: Vec<&str> = error["extensions"]["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["field"].as_str())
                .collect();
            for column in columns {
                assert!(fields.contains(column), "{}: `{column}` named in {body}", app.backend);
                let message = error["message"].as_str().unwrap_or_default();
                assert!(message.contains(&format!("entry.{column}:")), "{}: {body}", app.backend);
            }
        }
        assert!(public_services(&app, HUDDINGE).await.iter().all(|(k, _)| k != "vagledning-trasig"), "{}", app.backend);
    }
}

#[tokio::test]
async fn a_price_that_overlaps_one_of_the_same_scope_is_bad_input_naming_its_validity() {
    for db in fresh_databases().await {
        let app = TestApp::spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let price = |key: &str, from: &str| {
            json!({ "key": key, "payer": HUDDINGE, "provider": BOTKYRKA, "school_form": "VUXGY", "course_code": "VÅRVÅR01",
                    "unit": "PER_COURSE", "amount_sek": 5200, "valid_from": from, "source": "decision", "decision": "KF 2026-01-12 §4" })
        };

        let (_, first) =
            app.admin(&region, CREATE, json!({ "r": "PRICES", "e": price("vard1-2026", "2026-01-01") })).await;
        let (_, second) =
            app.admin(&region, CREATE, json!({ "r": "PRICES", "e": price("vard1-2026-ht", "2026-08-01") })).await;
        let (_, again) =
            app.admin(&region, CREATE, json!({ "r": "PRICES", "e": price("vard1-2026", "2026-01-01") })).await;

        assert!(first.get("errors").is_none(), "{}: {first}", app.backend);
        assert_eq!(second["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{}: {second}", app.backend);
        let argument = second["errors"][0]["extensions"]["argument"].as_str().unwrap_or_default();
        assert!(argument.starts_with("entry.valid"), "{}: {second}", app.backend);
        assert_eq!(again["errors"][0]["extensions"]["argument"], "entry.key", "{}: {again}", app.backend);
    }
}
