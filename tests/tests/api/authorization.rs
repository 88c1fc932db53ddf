//! The authorization matrix, over HTTP: every role × every operation of the admin API × an
//! object of the caller's own municipality (Huddinge, 0126) and of another (Botkyrka, 0127),
//! each cell asserted against `auth::policy::POLICY`: allowed, `FORBIDDEN` (audited), or, with
//! no key, `UNAUTHENTICATED`. The sources are the two municipalities' simulated systems,
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
    }
}
