//! The admin pages' registry editing over HTTP, without a browser (web-tests/ has the browser
//! journey): Huddinge's admin adds a guidance service through the generated form with mistakes
//! shown at their fields and what was typed kept, fixes and saves it, sees it on the portal,
//! edits and deletes it; another municipality's entry is neither listed nor changed by a forged
//! post (refused with the reason, audited, nothing saved); a region admin edits a price; a post
//! without its CSRF token is refused.

use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json};

use super::admin_pages::{Browser, Page};

const HUDDINGE: &str = "0126";
const BOTKYRKA_SERVICE: &str = "vagledning-0127-botkyrka";
const NEW_SERVICE: &str = "vagledning-huddinge-flemingsberg";

/// The columns whose values are check boxes, posted as `<column>.<value>`.
const CHOICES: [&str; 3] = ["municipalities", "channels", "target_groups"];

/// The fields a browser posts for `entry` (an import row as JSON), with the session's `csrf`.
fn fields(csrf: &str, entry: &Value) -> Vec<(String, String)> {
    let mut fields = vec![("csrf".to_owned(), csrf.to_owned())];
    for (column, value) in entry.as_object().into_iter().flatten() {
        match value {
            Value::Null | Value::Bool(false) => {}
            Value::Array(items) if column == "opening_hours" => {
                // One input per weekday, its openings separated by commas.
                for item in items.iter().filter_map(Value::as_str) {
                    let Some((day, hours)) = item.split_once(' ') else { continue };
                    let name = format!("opening_hours.{day}");
                    match fields.iter_mut().find(|(field, _)| *field == name) {
                        Some((_, value)) => *value = format!("{value}, {hours}"),
                        None => fields.push((name, hours.to_owned())),
                    }
                }
            }
            Value::Array(items) if CHOICES.contains(&column.as_str()) => {
                for item in items.iter().filter_map(Value::as_str) {
                    fields.push((format!("{column}.{item}"), "true".to_owned()));
                }
            }
            Value::Array(items) => {
                let lines: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                fields.push((column.clone(), lines.join("\n")));
            }
            Value::String(text) => fields.push((column.clone(), text.clone())),
            other => fields.push((column.clone(), other.to_string())),
        }
    }
    fields
}

async fn post(browser: &mut Browser<'_>, path: &str, fields: &[(String, String)]) -> Page {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(name, value)| (name.as_str(), value.as_str())).collect();
    browser.post(path, &borrowed).await
}

/// A Huddinge guidance service as the form posts it, named `name`.
fn new_service(name: &str) -> Value {
    json!({
        "key": NEW_SERVICE, "kind": "vagledning", "name": name, "organiser": "Huddinge kommun",
        "municipalities": [HUDDINGE], "channels": ["plats", "telefon"], "languages": ["swe", "ara"],
        "target_groups": ["sfi"], "town": "Flemingsberg", "latitude": "59.2186", "longitude": "17.9455",
        "opening_hours": ["Mon 08:00-12:00", "Mon 13:00-16:00", "Thu 13:00-19:00"], "draws_up_study_plan": true,
    })
}

/// The stored guidance services, by key, as the region admin's API lists them.
async fn stored_services(app: &TestApp) -> Vec<(String, Value)> {
    let token = app.key("region_admin", &[]).await;
    let (_, body) =
        app.admin(&token, "{ registryEntries(registry: GUIDANCE_SERVICES) { key entry } }", json!({})).await;
    body["data"]["registryEntries"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|row| (row["key"].as_str().unwrap_or_default().to_owned(), row["entry"].clone()))
        .collect()
}

#[tokio::test]
async fn a_huddinge_admin_adds_a_guidance_service_with_a_mistake_fixes_it_edits_and_deletes_it_and_the_portal_follows()
{
    for db in fresh_databases().await {
        let app = TestApp::builder().registries().spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);
        browser.sign_in(&app.key("municipal_admin", &[HUDDINGE]).await).await;

        let index = browser.get("/admin/register").await;
        assert_eq!(index.status, StatusCode::OK, "{backend}: {}", index.body);
        assert!(index.body.contains("href=\"/admin/register/vagledning\""), "{backend}: {}", index.body);
        let list = browser.get("/admin/register/vagledning").await;
        assert_eq!(list.status, StatusCode::OK, "{backend}: {}", list.body);
        assert!(list.body.contains("vagledning-0126-huddinge"), "{backend}: its own service is listed");
        assert!(!list.body.contains(BOTKYRKA_SERVICE), "{backend}: Botkyrka's is not");

        let form = browser.get("/admin/register/vagledning/ny").await;
        assert_eq!(form.status, StatusCode::OK, "{backend}: {}", form.body);
        assert!(
            form.body.contains("name=\"municipalities.0126\" value=\"true\" checked"),
            "{backend}: a new entry serves the admin's municipality: {}",
            form.body
        );
        assert!(form.body.contains("<label for=\"f-opening-hours-mon\">Måndag</label>"), "{backend}");

        // A name left out, a latitude that is no number and a Monday that is no time.
        let mut wrong = new_service("");
        wrong["latitude"] = json!("norr");
        let mut posted = fields(&form.csrf(), &wrong);
        posted.retain(|(name, _)| name != "opening_hours.Mon");
        posted.push(("opening_hours.Mon".to_owned(), "8-12".to_owned()));
        let shown = post(&mut browser, "/admin/register/vagledning/ny", &posted).await;
        assert_eq!(shown.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {}", shown.body);
        assert!(shown.body.contains("Formuläret har 3 fel. Inget sparades."), "{backend}: {}", shown.body);
        for problem in ["f-name-problem", "f-latitude-problem", "f-opening-hours-mon-problem"] {
            assert!(shown.body.contains(&format!("id=\"{problem}\"")), "{backend}: {problem} missing: {}", shown.body);
        }
        assert!(shown.body.contains("value=\"norr\""), "{backend}: the latitude is kept as typed");
        assert!(shown.body.contains("value=\"8-12\""), "{backend}: the opening hours are kept as typed");
        assert!(shown.body.contains("value=\"Flemingsberg\""), "{backend}: the other fields are kept");
        assert!(stored_services(&app).await.iter().all(|(key, _)| key != NEW_SERVICE), "{backend}: nothing saved");

        let saved = post(
            &mut browser,
            "/admin/register/vagledning/ny",
            &fields(&form.csrf(), &new_service("Vägledning Flemingsberg")),
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{backend}: {}", saved.body);
        assert_eq!(saved.header("location"), format!("/admin/register/vagledning?sparad={NEW_SERVICE}"), "{backend}");
        let portal = app.get("/vagledning?kommun=0126", &[]).await;
        assert!(portal.body.contains("Vägledning Flemingsberg"), "{backend}: on the portal at once: {}", portal.body);

        let edit_path = format!("/admin/register/vagledning/andra?nyckel={NEW_SERVICE}");
        let edit = browser.get(&edit_path).await;
        assert_eq!(edit.status, StatusCode::OK, "{backend}: {}", edit.body);
        assert!(
            edit.body.contains("value=\"08:00-12:00, 13:00-16:00\""),
            "{backend}: Monday's two openings: {}",
            edit.body
        );
        assert!(edit.body.contains("name=\"channels.telefon\" value=\"true\" checked"), "{backend}");
        let renamed =
            post(&mut browser, &edit_path, &fields(&edit.csrf(), &new_service("Vägledning Huddinge syd"))).await;
        assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{backend}: {}", renamed.body);
        let portal = app.get("/vagledning?kommun=0126", &[]).await;
        assert!(portal.body.contains("Vägledning Huddinge syd"), "{backend}: the edit is public");
        assert!(!portal.body.contains("Vägledning Flemingsberg"), "{backend}");

        let delete_path = format!("/admin/register/vagledning/ta-bort?nyckel={NEW_SERVICE}");
        let confirm = browser.get(&delete_path).await;
        assert!(confirm.body.contains(&format!("Ja, ta bort {NEW_SERVICE}")), "{backend}: {}", confirm.body);
        let deleted = browser.post(&delete_path, &[("csrf", &confirm.csrf())]).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{backend}: {}", deleted.body);
        let portal = app.get("/vagledning?kommun=0126", &[]).await;
        assert!(!portal.body.contains("Vägledning Huddinge syd"), "{backend}: gone from the portal");
        assert!(stored_services(&app).await.iter().all(|(key, _)| key != NEW_SERVICE), "{backend}: deleted");
    }
}

#[tokio::test]
async fn another_municipalitys_entry_is_not_offered_and_a_forged_post_for_it_is_refused_audited_and_saves_nothing() {
    for db in fresh_databases().await {
        let app = TestApp::builder().registries().spawn(&db).await;
        let backend = app.backend;
        let before = stored_services(&app).await;
        let (_, botkyrka) =
            before.iter().find(|(key, _)| key == BOTKYRKA_SERVICE).cloned().expect("Botkyrka's service");
        let mut browser = Browser::new(&app);
        let overview = browser.sign_in(&app.key("municipal_admin", &[HUDDINGE]).await).await;
        let csrf = overview.csrf();

        let edit_path = format!("/admin/register/vagledning/andra?nyckel={BOTKYRKA_SERVICE}");
        let edit = browser.get(&edit_path).await;
        assert_eq!(edit.status, StatusCode::NOT_FOUND, "{backend}: not offered: {}", edit.body);

        let mut forged = botkyrka.clone();
        forged["name"] = json!("Övertagen av Huddinge");
        let refused = post(&mut browser, &edit_path, &fields(&csrf, &forged)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{backend}: {}", refused.body);
        assert!(refused.body.contains("enbart gäller de egna kommunerna"), "{backend}: the reason: {}", refused.body);
        assert!(refused.body.contains("Inget sparades"), "{backend}");
        let delete_path = format!("/admin/register/vagledning/ta-bort?nyckel={BOTKYRKA_SERVICE}");
        let refused = browser.post(&delete_path, &[("csrf", &csrf)]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{backend}: {}", refused.body);
        assert!(refused.body.contains("Inget sparades"), "{backend}");

        assert_eq!(stored_services(&app).await, before, "{backend}: nothing saved");
        let region = app.key("region_admin", &[]).await;
        let (_, audit) = app
            .admin(
                &region,
                "{ auditLog(first: 10, action: \"guidance_service.\") { action outcome targetId } }",
                json!({}),
            )
            .await;
        let denied: Vec<&Value> = audit["data"]["auditLog"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|entry| entry["outcome"] == "denied")
            .collect();
        let actions: Vec<&str> = denied.iter().filter_map(|entry| entry["action"].as_str()).collect();
        assert!(actions.contains(&"guidance_service.update"), "{backend}: {audit}");
        assert!(actions.contains(&"guidance_service.delete"), "{backend}: {audit}");

        let prices = browser.get("/admin/register/priser").await;
        assert_eq!(prices.status, StatusCode::FORBIDDEN, "{backend}: prices are the region's: {}", prices.body);
    }
}

#[tokio::test]
async fn a_region_admin_edits_a_price_through_the_form() {
    for db in fresh_databases().await {
        let app = TestApp::builder().registries().spawn(&db).await;
        let backend = app.backend;
        let token = app.key("region_admin", &[]).await;
        let (_, body) = app.admin(&token, "{ registryEntries(registry: PRICES) { key entry } }", json!({})).await;
        let first = body["data"]["registryEntries"][0].clone();
        let key = first["key"].as_str().unwrap_or_else(|| panic!("{backend}: a demo price: {body}")).to_owned();
        let mut browser = Browser::new(&app);
        browser.sign_in(&token).await;

        let list = browser.get("/admin/register/priser").await;
        assert!(list.body.contains(&format!("/admin/register/priser/andra?nyckel={key}")), "{backend}: {}", list.body);
        let edit_path = format!("/admin/register/priser/andra?nyckel={key}");
        let edit = browser.get(&edit_path).await;
        assert_eq!(edit.status, StatusCode::OK, "{backend}: {}", edit.body);
        let mut entry = first["entry"].clone();
        entry["amount_sek"] = json!("51.25");
        let saved = post(&mut browser, &edit_path, &fields(&edit.csrf(), &entry)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{backend}: {}", saved.body);

        let (_, after) = app.admin(&token, "{ registryEntries(registry: PRICES) { key entry } }", json!({})).await;
        let stored = after["data"]["registryEntries"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|row| row["key"] == key.as_str())
            .map(|row| row["entry"]["amount_sek"].clone());
        assert_eq!(stored, Some(json!("51.25")), "{backend}: {after}");
    }
}

#[tokio::test]
async fn a_registry_post_without_its_csrf_token_is_refused_and_saves_nothing() {
    for db in fresh_databases().await {
        let app = TestApp::builder().registries().spawn(&db).await;
        let backend = app.backend;
        let before = stored_services(&app).await;
        let mut browser = Browser::new(&app);
        browser.sign_in(&app.key("municipal_admin", &[HUDDINGE]).await).await;
        let mut posted = fields("", &new_service("Vägledning Flemingsberg"));
        posted.retain(|(name, _)| name != "csrf");
        let refused = post(&mut browser, "/admin/register/vagledning/ny", &posted).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{backend}: {}", refused.body);
        assert!(refused.body.contains("säkerhetskod"), "{backend}: {}", refused.body);
        let delete = browser.post("/admin/register/vagledning/ta-bort?nyckel=vagledning-0126-huddinge", &[]).await;
        assert_eq!(delete.status, StatusCode::FORBIDDEN, "{backend}: {}", delete.body);
        assert_eq!(stored_services(&app).await, before, "{backend}: nothing saved");
    }
}

#[tokio::test]
async fn the_apis_reads_for_the_pages_list_only_what_the_admin_may_change_and_describe_every_import_column() {
    for db in fresh_databases().await {
        let app = TestApp::builder().registries().spawn(&db).await;
        let backend = app.backend;
        let admin = app.key("municipal_admin", &[HUDDINGE]).await;
        let query = "{ registryEntries(registry: GUIDANCE_SERVICES) { key entry }
            registryColumns(registry: GUIDANCE_SERVICES) { name label shape required values { value label } } }";
        let (_, body) = app.admin(&admin, query, json!({})).await;
        assert!(body.get("errors").is_none(), "{backend}: {body}");
        let entries = body["data"]["registryEntries"].as_array().cloned().unwrap_or_default();
        assert!(entries.iter().any(|row| row["key"] == "vagledning-0126-huddinge"), "{backend}: {body}");
        for row in &entries {
            assert_eq!(row["entry"]["municipalities"], json!([HUDDINGE]), "{backend}: only Huddinge's: {row}");
        }
        let columns = body["data"]["registryColumns"].as_array().cloned().unwrap_or_default();
        let names: Vec<&str> = columns.iter().filter_map(|column| column["name"].as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "kind",
                "name",
                "organiser",
                "municipalities",
                "channels",
                "languages",
                "target_groups",
                "location_name",
                "street_address",
                "postal_code",
                "town",
                "latitude",
                "longitude",
                "booking_url",
                "phone",
                "opening_hours",
                "draws_up_study_plan",
            ],
            "{backend}: the import file's columns, in its order"
        );
        let municipalities = columns.iter().find(|column| column["name"] == "municipalities").expect("municipalities");
        assert_eq!(municipalities["shape"], "CHOICES", "{backend}");
        assert_eq!(municipalities["required"], true, "{backend}");
        assert!(
            municipalities["values"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|v| v["value"] == HUDDINGE && v["label"] == "Huddinge"),
            "{backend}: {municipalities}"
        );

        let check = "mutation($e: JSON!) { validateRegistryEntry(registry: GUIDANCE_SERVICES, entry: $e) { valid problems { field message } } }";
        let mut wrong = new_service("Vägledning Flemingsberg");
        wrong["latitude"] = json!("norr");
        wrong["channels"] = json!(["brevduva"]);
        let (_, checked) = app.admin(&admin, check, json!({ "e": wrong })).await;
        let fields: Vec<&str> = checked["data"]["validateRegistryEntry"]["problems"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|problem| problem["field"].as_str())
            .collect();
        assert_eq!(checked["data"]["validateRegistryEntry"]["valid"], false, "{backend}: {checked}");
        assert_eq!(fields, ["channels", "latitude"], "{backend}: every problem by its column: {checked}");
        assert!(stored_services(&app).await.iter().all(|(key, _)| key != NEW_SERVICE), "{backend}: nothing saved");

        for query in ["{ registryEntries(registry: PRICES) { key } }", "{ registryColumns(registry: PRICES) { name } }"]
        {
            let (_, refused) = app.admin(&admin, query, json!({})).await;
            assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{backend}: {query}: {refused}");
        }
    }
}
