//! The authorization matrix, over HTTP: every role × every operation of the admin API × an
//! object of the caller's own municipality (Huddinge, 0126) and of another (Botkyrka, 0127),
//! each cell asserted against `auth::policy::POLICY`: allowed, `FORBIDDEN` (audited), or, with
//! no key, `UNAUTHENTICATED`. Registry entries of a municipality are validation offers and
//! guidance services serving it; links and prices are region-wide. The sources are the two municipalities' simulated systems,
//! connected by the region, so a harvest, an accepted run or a dry run in an allowed cell
//! really runs.

use vuxnav_gateway::auth::policy::{COLUMNS, POLICY};
use vuxnav_gateway::auth::{Operation, Reach};
use vuxnav_schema::{Role, SourceId};
use vuxnav_simulator::upstream::Upstreams;
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json, regional_of, source_config};

const OWN: &str = "0126";
const OTHER: &str = "0127";

fn source_id(municipality: &str) -> &'static str {
    if municipality == OWN { "huddinge-kurser" } else { "botkyrka-kurser" }
}

/// A draft of `municipality` that passes every check but the caller's permission.
fn public_draft(id: &str, municipality: &str, private: bool) -> Value {
    json!({
        "id": id, "municipality": municipality, "schedule": "0 0 3 * * *", "allow_private_network": private,
        "connector": { "kind": "csv", "url": "https://194.68.0.1/kurser.csv",
                       "columns": { "upstream_id": "Id", "title": "Kurs" },
                       "defaults": { "school_form": "VUXGY", "provider_name": "Komvux", "pace": 100 } },
    })
}

/// A validation offer of `municipality`, as a row of the import file in JSON.
fn offer_entry(key: &str, municipality: &str) -> Value {
    json!({
        "key": key, "kind": "AGAINST_COURSE", "title": "Prövning i Vård- och omsorgsarbete 1",
        "course_codes": ["VÅRVÅR01"], "provider": "Komvux", "municipalities": [municipality],
        "languages": ["swe"], "paid_by": "kommun", "contact": "https://komvux.example/provning",
        "valid_from": "2026-01-01",
    })
}

/// A guidance service of `municipality`, as a row of the import file in JSON.
fn service_entry(key: &str, municipality: &str) -> Value {
    json!({
        "key": key, "kind": "vagledning", "name": "Vägledningscentrum", "organiser": "Kommunen",
        "municipalities": [municipality], "channels": ["plats", "telefon"], "languages": ["swe"],
        "target_groups": ["sfi"], "opening_hours": ["Mon 08:00-12:00"], "draws_up_study_plan": true,
    })
}

/// A price of its own scope (a course code made from `cell`), so no two overlap.
fn price_entry(key: &str, cell: usize) -> Value {
    json!({
        "key": key, "payer": "*", "provider": "*", "school_form": "VUXGY", "course_code": format!("KURS{cell:04}"),
        "unit": "PER_COURSE", "amount_sek": 1000, "valid_from": "2026-01-01", "source": "illustrative",
    })
}

/// A link of its own (a course code made from `cell`).
fn link_entry(cell: usize) -> Value {
    json!({ "course_code": format!("KURS{cell:04}"), "occupation_id": "Y3QA_5pk_uXd" })
}

const CREATE_ENTRY: &str =
    "mutation($r: Registry!, $e: JSON!) { createRegistryEntry(registry: $r, entry: $e) { key } }";
const UPDATE_ENTRY: &str =
    "mutation($r: Registry!, $e: JSON!) { updateRegistryEntry(registry: $r, entry: $e) { key } }";
const DELETE_ENTRY: &str =
    "mutation($r: Registry!, $k: String!) { deleteRegistryEntry(registry: $r, key: $k) { key } }";

/// Has the region admin create `entry` in `registry`, for a cell that changes or deletes it.
async fn created_by_region(app: &TestApp, region: &str, registry: &str, entry: &Value) {
    let (_, body) = app.admin(region, CREATE_ENTRY, json!({ "r": registry, "e": entry })).await;
    assert!(body.get("errors").is_none(), "{}: the entry to change: {body}", app.backend);
}

/// The request that exercises `operation` on an object of `municipality`, made ready by the
/// region admin where it needs an object of its own (a source to delete, a key to revoke).
async fn request_for(
    app: &TestApp,
    region: &str,
    operation: Operation,
    municipality: &str,
    cell: usize,
) -> (String, Value) {
    let source = source_id(municipality);
    let revision = |id: &str| {
        let id = SourceId::parse(id).expect("a source id");
        async move { app.store.managed_source(&id).await.expect("the store answers").map_or(0, |s| s.revision) }
    };
    match operation {
        Operation::ReadSource => (format!("{{ source(id: \"{source}\") {{ id }} }}"), Value::Null),
        Operation::TestSource => (
            "mutation($c: JSON!) { validateSource(config: $c) { valid } }".to_owned(),
            json!({ "c": public_draft("draft", municipality, false) }),
        ),
        Operation::CreateSource => (
            "mutation($c: JSON!) { createSource(config: $c) { id } }".to_owned(),
            json!({ "c": public_draft(&format!("created-{cell}"), municipality, false) }),
        ),
        Operation::AllowPrivateNetwork => (
            "mutation($c: JSON!) { createSource(config: $c) { id } }".to_owned(),
            json!({ "c": public_draft(&format!("private-{cell}"), municipality, true) }),
        ),
        Operation::UpdateSource => (
            format!(
                "mutation {{ setSourceEnabled(id: \"{source}\", revision: {}, enabled: true) {{ id }} }}",
                revision(source).await
            ),
            Value::Null,
        ),
        Operation::DeleteSource => {
            let id = format!("doomed-{cell}");
            let (_, body) = app
                .admin(
                    region,
                    "mutation($c: JSON!) { createSource(config: $c) { id } }",
                    json!({ "c": public_draft(&id, municipality, false) }),
                )
                .await;
            assert!(body.get("errors").is_none(), "{}: the source to delete: {body}", app.backend);
            (format!("mutation {{ deleteSource(id: \"{id}\", revision: 1) {{ withdrawnOfferings }} }}"), Value::Null)
        }
        Operation::HarvestNow => (format!("mutation {{ harvestNow(id: \"{source}\") {{ outcome }} }}"), Value::Null),
        Operation::ReadRuns => (format!("{{ runs(source: \"{source}\") {{ id }} }}"), Value::Null),
        Operation::ReadAudit => (format!("{{ auditLog(municipality: \"{municipality}\") {{ id }} }}"), Value::Null),
        Operation::ReadKeys => (format!("{{ keys(municipality: \"{municipality}\") {{ id }} }}"), Value::Null),
        Operation::CreatePartnerKey | Operation::CreateMunicipalAdminKey | Operation::CreateRegionAdminKey => {
            let (role, municipalities) = match operation {
                Operation::CreatePartnerKey => ("PARTNER", json!([municipality])),
                Operation::CreateMunicipalAdminKey => ("MUNICIPAL_ADMIN", json!([municipality])),
                _ => ("REGION_ADMIN", json!([])),
            };
            (
                "mutation($i: KeyInput!) { createKey(input: $i) { key { id } } }".to_owned(),
                json!({ "i": { "name": format!("cell {cell}"), "role": role, "municipalities": municipalities } }),
            )
        }
        Operation::RevokeKey => {
            let input = json!({ "i": { "name": format!("to revoke {cell}"), "role": "PARTNER", "municipalities": [municipality] } });
            let (_, body) =
                app.admin(region, "mutation($i: KeyInput!) { createKey(input: $i) { key { id } } }", input).await;
            let id = body["data"]["createKey"]["key"]["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: a key: {body}", app.backend))
                .to_owned();
            (format!("mutation {{ revokeKey(id: \"{id}\") {{ id }} }}"), Value::Null)
        }
        Operation::AcceptHeldRun => {
            (format!("mutation {{ acceptHeldRun(id: \"{source}\") {{ outcome }} }}"), Value::Null)
        }
        Operation::CreateValidationOffer => (
            CREATE_ENTRY.to_owned(),
            json!({ "r": "VALIDATION_OFFERS", "e": offer_entry(&format!("vo-{cell}"), municipality) }),
        ),
        Operation::CreateGuidanceService => (
            CREATE_ENTRY.to_owned(),
            json!({ "r": "GUIDANCE_SERVICES", "e": service_entry(&format!("gs-{cell}"), municipality) }),
        ),
        Operation::CreatePrice => {
            (CREATE_ENTRY.to_owned(), json!({ "r": "PRICES", "e": price_entry(&format!("p-{cell}"), cell) }))
        }
        Operation::CreateOccupationLink => {
            (CREATE_ENTRY.to_owned(), json!({ "r": "OCCUPATION_LINKS", "e": link_entry(cell) }))
        }
        Operation::UpdateValidationOffer | Operation::UpdateGuidanceService | Operation::UpdatePrice => {
            let (registry, entry) = match operation {
                Operation::UpdateValidationOffer => {
                    ("VALIDATION_OFFERS", offer_entry(&format!("vo-{cell}"), municipality))
                }
                Operation::UpdateGuidanceService => {
                    ("GUIDANCE_SERVICES", service_entry(&format!("gs-{cell}"), municipality))
                }
                _ => ("PRICES", price_entry(&format!("p-{cell}"), cell)),
            };
            created_by_region(app, region, registry, &entry).await;
            (UPDATE_ENTRY.to_owned(), json!({ "r": registry, "e": entry }))
        }
        Operation::DeleteValidationOffer
        | Operation::DeleteGuidanceService
        | Operation::DeletePrice
        | Operation::DeleteOccupationLink => {
            let (registry, entry, key) = match operation {
                Operation::DeleteValidationOffer => {
                    ("VALIDATION_OFFERS", offer_entry(&format!("vo-{cell}"), municipality), format!("vo-{cell}"))
                }
                Operation::DeleteGuidanceService => {
                    ("GUIDANCE_SERVICES", service_entry(&format!("gs-{cell}"), municipality), format!("gs-{cell}"))
                }
                Operation::DeletePrice => ("PRICES", price_entry(&format!("p-{cell}"), cell), format!("p-{cell}")),
                _ => ("OCCUPATION_LINKS", link_entry(cell), format!("KURS{cell:04}/Y3QA_5pk_uXd")),
            };
            created_by_region(app, region, registry, &entry).await;
            (DELETE_ENTRY.to_owned(), json!({ "r": registry, "k": key }))
        }
    }
}

#[tokio::test]
async fn every_role_may_do_exactly_what_the_policy_table_says_on_its_own_and_other_municipalities() {
    let sources = regional_of(&[OWN, OTHER]);
    for db in fresh_databases().await {
        let upstreams = Upstreams::start(&sources).expect("the simulated systems start");
        let app = TestApp::builder().spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        for source in &sources {
            let config = source_config(&upstreams, source, source_id(source.municipality.as_str()), true);
            let (_, body) = app
                .admin(&region, "mutation($c: JSON!) { createSource(config: $c) { id } }", json!({ "c": config }))
                .await;
            assert!(body.get("errors").is_none(), "{}: connecting {}: {body}", db.backend, source.id);
        }
        let mut tokens = Vec::new();
        for role in COLUMNS {
            tokens.push(match role {
                None => None,
                Some(Role::MunicipalAdmin) => Some(app.key("municipal_admin", &[OWN]).await),
                Some(role) => Some(app.key(role.code(), &[]).await),
            });
        }
        let mut cell = 0;
        let mut walked = 0;
        for (operation, reaches) in POLICY {
            for (column, reach) in reaches.iter().enumerate() {
                for municipality in [OWN, OTHER] {
                    cell += 1;
                    let (query, variables) = request_for(&app, &region, operation, municipality, cell).await;
                    let expected = match reach {
                        Reach::Any => true,
                        Reach::Own => municipality == OWN,
                        // `[access] municipal_partner_keys` is off by default.
                        Reach::OwnIfRegionAllows | Reach::None => false,
                    };
                    let role = COLUMNS[column].map_or("anonymous", Role::code);
                    let context = format!("{}: {role} × {} × {municipality}", db.backend, operation.name());
                    let Some(token) = &tokens[column] else {
                        let body = json!({ "query": query, "variables": variables }).to_string();
                        let reply = app
                            .request(
                                reqwest::Method::POST,
                                "/admin/graphql",
                                &[("content-type", "application/json")],
                                body.into(),
                            )
                            .await;
                        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{context}: {}", reply.body);
                        walked += 1;
                        continue;
                    };
                    let (status, body) = app.admin(token, &query, variables).await;
                    let refused = if expected { StatusCode::OK } else { StatusCode::FORBIDDEN };
                    assert_eq!(status, refused, "{context}: {body}");
                    if expected {
                        assert!(body.get("errors").is_none(), "{context}: expected allowed, got {body}");
                    } else {
                        assert_eq!(
                            body["errors"][0]["extensions"]["code"], "FORBIDDEN",
                            "{context}: expected FORBIDDEN, got {body}"
                        );
                        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
                        assert!(!message.contains("not found"), "{context}: the refusal tells what exists: {body}");
                    }
                    walked += 1;
                }
            }
        }
        assert_eq!(walked, POLICY.len() * COLUMNS.len() * 2, "{}: every cell walked", db.backend);

        // Every FORBIDDEN was audited, with the municipal admin's key as the actor.
        let (_, body) = app
            .admin(&region, "{ auditLog(first: 500, action: \"source.\") { outcome actorRole } }", Value::Null)
            .await;
        let denied = body["data"]["auditLog"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["outcome"] == "denied" && entry["actorRole"] == "municipal_admin")
            .count();
        assert!(denied >= 6, "{}: the refusals were not audited: {body}", db.backend);
        let (_, body) = app
            .admin(
                &region,
                "{ auditLog(first: 500, action: \"guidance_service.\") { outcome actorRole } }",
                Value::Null,
            )
            .await;
        let denied = body["data"]["auditLog"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["outcome"] == "denied" && entry["actorRole"] == "municipal_admin")
            .count();
        assert_eq!(
            denied, 3,
            "{}: create, update and delete of Botkyrka's service, refused and audited: {body}",
            db.backend
        );
    }
}
