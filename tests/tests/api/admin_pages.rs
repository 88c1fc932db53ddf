//! The admin pages over HTTP, without a browser (the browser journey is in web-tests/): signing
//! in with an API key into a strict, HTTP-only session cookie; a wrong key; a form post without
//! its CSRF token, with a wrong one, or with an expired or ended session, refused in Swedish
//! with nothing saved; a Huddinge admin who can neither see nor act on Botkyrka's sources; a
//! source form with every field wrong, every problem shown at its field with what was typed
//! kept; and a CSV source added through the form, dry run, saved, harvested and its run shown.

use sha2::{Digest, Sha256};
use vuxnav_connectors::config::ConnectorKind;
use vuxnav_store::{AdminSession, TokenHash};
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json, regional_of};

/// A browser without JavaScript: it follows no redirects (the tests look at them), keeps the
/// session cookie it is given, and posts forms as `application/x-www-form-urlencoded`.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    pub(crate) client: reqwest::Client,
    cookie: Option<String>,
}

/// An answer, with the body as text.
pub(crate) struct Page {
    pub(crate) status: StatusCode,
    headers: reqwest::header::HeaderMap,
    pub(crate) body: String,
}

impl Page {
    pub(crate) fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or_default()
    }

    /// The CSRF token of the page's forms.
    pub(crate) fn csrf(&self) -> String {
        let start = self.body.find("name=\"csrf\" value=\"").map(|at| at + "name=\"csrf\" value=\"".len());
        let token = start.and_then(|start| self.body[start..].split('"').next());
        token.unwrap_or_else(|| panic!("the page has no CSRF token: {}", self.body)).to_owned()
    }
}

/// `application/x-www-form-urlencoded`.
fn encode(fields: &[(&str, &str)]) -> String {
    fn part(text: &str) -> String {
        text.bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (byte as char).to_string(),
                b' ' => "+".to_owned(),
                other => format!("%{other:02X}"),
            })
            .collect()
    }
    fields.iter().map(|(name, value)| format!("{}={}", part(name), part(value))).collect::<Vec<_>>().join("&")
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Self {
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client");
        Self { app, client, cookie: None }
    }

    pub(crate) async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let request = match &self.cookie {
            Some(cookie) => request.header("cookie", format!("vuxnav_admin={cookie}")),
            None => request,
        };
        let response = request.send().await.unwrap_or_else(|error| panic!("{}: {error}", self.app.backend));
        let status = response.status();
        let headers = response.headers().clone();
        if let Some(set) = headers.get("set-cookie").and_then(|value| value.to_str().ok()) {
            let value = set.split(';').next().and_then(|pair| pair.strip_prefix("vuxnav_admin=")).unwrap_or_default();
            self.cookie = (!value.is_empty()).then(|| value.to_owned());
        }
        let body = response.text().await.unwrap_or_default();
        Page { status, headers, body }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let url = format!("http://{}{path}", self.app.address);
        let request = self.client.get(url);
        self.send(request).await
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let url = format!("http://{}{path}", self.app.address);
        let request =
            self.client.post(url).header("content-type", "application/x-www-form-urlencoded").body(encode(fields));
        self.send(request).await
    }

    /// Signs in with `token` and answers the overview.
    pub(crate) async fn sign_in(&mut self, token: &str) -> Page {
        let signed = self.post("/admin/logga-in", &[("nyckel", token)]).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}: {}", self.app.backend, signed.body);
        self.get("/admin").await
    }
}

/// The posted fields of a CSV source for `municipality` at `url`, reaching a private network
/// when `private`.
fn csv_form<'f>(
    csrf: &'f str,
    id: &'f str,
    municipality: &'f str,
    url: &'f str,
    action: &'f str,
) -> Vec<(&'f str, &'f str)> {
    vec![
        ("csrf", csrf),
        ("id", id),
        ("municipality", municipality),
        ("schedule", "0 0 3 * * *"),
        ("enabled", "true"),
        ("connector.kind", "csv"),
        ("connector.url", url),
        ("connector.columns.upstream_id", "Id"),
        ("connector.columns.title", "Kurs"),
        ("connector.defaults.school_form", "VUXGY"),
        ("connector.defaults.provider_name", "Komvux Huddinge"),
        ("connector.defaults.pace", "100"),
        ("action", action),
    ]
}

async fn saved_sources(app: &TestApp) -> Value {
    let token = app.key("region_admin", &[]).await;
    let (_, body) = app.admin(&token, "{ sources { id managedBy } }", json!({})).await;
    let managed: Vec<Value> = body["data"]["sources"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|s| s["managedBy"] == "API")
        .collect();
    Value::Array(managed)
}

#[tokio::test]
async fn signing_in_with_a_key_sets_a_strict_http_only_session_cookie_and_opens_the_overview() {
    for db in fresh_databases().await {
        let app = TestApp::builder().upstreams(vuxnav_tests::regional()).spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);

        let away = browser.get("/admin").await;
        assert_eq!(away.status, StatusCode::SEE_OTHER, "{backend}");
        assert_eq!(away.header("location"), "/admin/logga-in", "{backend}");
        let form = browser.get("/admin/logga-in").await;
        assert!(form.body.contains("<h1>Logga in i administrationen</h1>"), "{backend}: {}", form.body);

        let token = app.key("municipal_admin", &["0126"]).await;
        let signed = browser.post("/admin/logga-in", &[("nyckel", &token)]).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{backend}: {}", signed.body);
        let cookie = signed.header("set-cookie");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/admin", "Secure", "Max-Age=28800"] {
            assert!(cookie.contains(part), "{backend}: {part} missing from {cookie}");
        }
        assert!(!cookie.contains(&token), "{backend}: the key never travels in a cookie");

        let overview = browser.get("/admin").await;
        assert_eq!(overview.status, StatusCode::OK, "{backend}: {}", overview.body);
        assert_eq!(overview.header("cache-control"), "no-store", "{backend}");
        assert!(overview.body.contains("<html lang=\"sv\">"), "{backend}");
        assert!(overview.body.contains("Huddinge (0126)"), "{backend}: {}", overview.body);
        assert!(overview.header("content-security-policy").contains("default-src 'none'"), "{backend}");

        let out = browser.post("/admin/logga-ut", &[("csrf", &overview.csrf())]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER, "{backend}: {}", out.body);
        assert!(out.header("set-cookie").contains("Max-Age=0"), "{backend}");
        assert_eq!(browser.get("/admin").await.status, StatusCode::SEE_OTHER, "{backend}: signed out");
    }
}

#[tokio::test]
async fn a_wrong_key_or_a_partners_key_is_refused_in_swedish_and_gets_no_session() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let partner = app.key("partner", &[]).await;
        for (token, says) in [
            ("vx_notakeyatall", "Nyckeln gick inte att använda"),
            (partner.as_str(), "partnernyckel"),
            ("", "Skriv in din API-nyckel"),
        ] {
            let mut browser = Browser::new(&app);
            let refused = browser.post("/admin/logga-in", &[("nyckel", token)]).await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{backend}: {token}");
            assert!(refused.body.contains(says), "{backend}: {token}: {}", refused.body);
            assert!(refused.body.contains("aria-invalid=\"true\""), "{backend}: the problem is at the field");
            assert_eq!(refused.header("set-cookie"), "", "{backend}: {token}");
        }
    }
}

#[tokio::test]
async fn refused_sign_ins_are_limited_per_client_address_like_refused_keys() {
    for db in fresh_databases().await {
        let limits = "[access.rate_limits]\nfailed_keys = { requests = 2, window_seconds = 60 }\n";
        let app = TestApp::builder().config(limits).spawn(&db).await;
        let backend = app.backend;
        let token = app.key("region_admin", &[]).await;
        let mut browser = Browser::new(&app);
        for _ in 0..2 {
            let refused = browser.post("/admin/logga-in", &[("nyckel", "vx_notakeyatall")]).await;
            assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{backend}");
        }
        let limited = browser.post("/admin/logga-in", &[("nyckel", "vx_notakeyatall")]).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{backend}: {}", limited.body);
        assert!(limited.body.contains("För många misslyckade inloggningar"), "{backend}");
        assert!(!limited.header("retry-after").is_empty(), "{backend}");
        let blocked = browser.post("/admin/logga-in", &[("nyckel", &token)]).await;
        assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "{backend}: even a good key waits");
    }
}

#[tokio::test]
async fn a_post_without_its_csrf_token_or_with_a_wrong_one_is_refused_and_saves_nothing() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);
        browser.sign_in(&app.key("municipal_admin", &["0126"]).await).await;
        let url = "https://kurser.huddinge.example/export.csv";
        for csrf in ["", "not-the-token"] {
            let mut fields = csv_form(csrf, "huddinge-kurser", "0126", url, "save");
            if csrf.is_empty() {
                fields.retain(|(name, _)| *name != "csrf");
            }
            let refused = browser.post("/admin/kallor/ny?typ=csv", &fields).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{backend}: {csrf:?}");
            assert!(refused.body.contains("säkerhetskod"), "{backend}: {}", refused.body);
            assert!(refused.body.contains("Inget sparades"), "{backend}");
        }
        let cross = browser
            .client
            .post(format!("http://{}/admin/logga-in", app.address))
            .header("sec-fetch-site", "cross-site");
        let cross =
            browser.send(cross.header("content-type", "application/x-www-form-urlencoded").body("nyckel=x")).await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN, "{backend}: a sign-in from another site");
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: nothing saved");
    }
}

#[tokio::test]
async fn a_post_with_an_expired_or_ended_session_is_refused_and_saves_nothing() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let token = app.key("municipal_admin", &["0126"]).await;
        let url = "https://kurser.huddinge.example/export.csv";

        // A session that expired a minute ago, as the store holds it.
        let key = app.store.api_keys(None).await.expect("the keys").remove(0);
        let expired = AdminSession {
            key: key.id,
            csrf_secret: "expired-csrf".to_owned(),
            created_at: chrono::Utc::now() - chrono::Duration::hours(8),
            expires_at: chrono::Utc::now() - chrono::Duration::minutes(1),
        };
        let id = "an-expired-session-id";
        let hash = TokenHash::from_bytes(Sha256::digest(id.as_bytes()).into());
        app.store
            .create_admin_session(&hash, &key, &expired, &vuxnav_store::AuditContext::cli())
            .await
            .expect("the session is stored");
        let mut browser = Browser::new(&app);
        browser.cookie = Some(id.to_owned());
        let refused = browser
            .post("/admin/kallor/ny?typ=csv", &csv_form("expired-csrf", "huddinge-kurser", "0126", url, "save"))
            .await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{backend}: {}", refused.body);
        assert!(refused.body.contains("har din inloggning gått ut"), "{backend}: {}", refused.body);
        assert!(refused.body.contains("Inget sparades"), "{backend}");
        assert!(refused.body.contains("name=\"nyckel\""), "{backend}: the sign-in form is on the page");

        // A session whose key is revoked ends with it.
        let mut browser = Browser::new(&app);
        let overview = browser.sign_in(&token).await;
        let csrf = overview.csrf();
        app.store
            .revoke_api_key(key.id, chrono::Utc::now(), &vuxnav_store::AuditContext::cli())
            .await
            .expect("revoked");
        let refused =
            browser.post("/admin/kallor/ny?typ=csv", &csv_form(&csrf, "huddinge-kurser", "0126", url, "save")).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{backend}: {}", refused.body);
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: nothing saved");
    }
}

/// A session ends `idle_minutes` (30 by default) after the last page asked for, and
/// `session_hours` (8) after sign-in however busy: each page moves the end, within that.
#[tokio::test]
async fn a_session_in_use_stays_alive_for_the_idle_time_but_never_past_the_session_hours() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        app.key("municipal_admin", &["0126"]).await;
        let key = app.store.api_keys(None).await.expect("the keys").remove(0);
        let now = chrono::Utc::now();
        let cases = [
            ("signed-in-an-hour-ago", now - chrono::Duration::hours(1), now + chrono::Duration::minutes(30)),
            (
                "signed-in-almost-8-hours-ago",
                now - chrono::Duration::minutes(8 * 60 - 5),
                now + chrono::Duration::minutes(5),
            ),
        ];
        for (id, created_at, ends_about) in cases {
            // A session with a minute left, as the store holds it.
            let session = AdminSession {
                key: key.id,
                csrf_secret: format!("{id}-csrf"),
                created_at,
                expires_at: now + chrono::Duration::minutes(1),
            };
            let hash = TokenHash::from_bytes(Sha256::digest(id.as_bytes()).into());
            app.store
                .create_admin_session(&hash, &key, &session, &vuxnav_store::AuditContext::cli())
                .await
                .expect("the session is stored");
            let mut browser = Browser::new(&app);
            browser.cookie = Some(id.to_owned());

            assert_eq!(browser.get("/admin").await.status, StatusCode::OK, "{backend}: {id}");

            let kept = app.store.admin_session(&hash, now).await.expect("read").expect("alive");
            let off = (kept.expires_at - ends_about).num_seconds().abs();
            assert!(off <= 60, "{backend}: {id} ends at {} instead of about {ends_about}", kept.expires_at);
        }
    }
}

#[tokio::test]
async fn a_huddinge_admin_can_neither_see_nor_act_on_botkyrkas_sources_through_the_pages() {
    for db in fresh_databases().await {
        let sources = regional_of(&["0126", "0127"]);
        let sources: &'static [vuxnav_simulator::DemoSource] = Box::leak(sources.into_boxed_slice());
        let app = TestApp::builder().upstreams(sources).spawn(&db).await;
        let backend = app.backend;
        let huddinge = sources.iter().find(|s| s.municipality.as_str() == "0126").expect("Huddinge's source");
        let botkyrka = sources.iter().find(|s| s.municipality.as_str() == "0127").expect("Botkyrka's source");
        let mut browser = Browser::new(&app);
        let overview = browser.sign_in(&app.key("municipal_admin", &["0126"]).await).await;
        assert!(overview.body.contains(huddinge.id.as_str()), "{backend}: {}", overview.body);
        assert!(!overview.body.contains(botkyrka.id.as_str()), "{backend}: Botkyrka's source is not listed");
        let csrf = overview.csrf();

        let page = browser.get(&format!("/admin/kallor/{}", botkyrka.id)).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{backend}: {}", page.body);
        let unknown = browser.get("/admin/kallor/botkyrka-finns-inte").await;
        assert_eq!(unknown.status, StatusCode::FORBIDDEN, "{backend}: the same answer whether it exists or not");

        let harvest = browser.post(&format!("/admin/kallor/{}/skorda", botkyrka.id), &[("csrf", &csrf)]).await;
        assert_eq!(harvest.status, StatusCode::FORBIDDEN, "{backend}: {}", harvest.body);
        assert!(harvest.body.contains("behörighet"), "{backend}");
        assert!(app.store.runs(Some(&botkyrka.id), 10, None).await.expect("the runs").is_empty(), "{backend}: no run");

        let url = "https://kurser.botkyrka.example/export.csv";
        let create =
            browser.post("/admin/kallor/ny?typ=csv", &csv_form(&csrf, "botkyrka-kurser", "0127", url, "save")).await;
        assert_eq!(create.status, StatusCode::FORBIDDEN, "{backend}: {}", create.body);
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: nothing saved");
    }
}

#[tokio::test]
async fn a_source_form_with_every_field_wrong_shows_every_problem_at_its_field_and_keeps_what_was_typed() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);
        let overview = browser.sign_in(&app.key("municipal_admin", &["0126"]).await).await;
        let csrf = overview.csrf();
        let wrong = [
            ("id", "Huddinge Kurser!"),
            ("municipality", "9999"),
            ("schedule", "varje natt"),
            ("connector.url", "ftp://kurser.huddinge.example/x.csv"),
            ("connector.delimiter", "§§"),
            ("connector.encoding", "ebcdic"),
            ("connector.defaults.pace", "snabbt"),
            ("guard.max_rejected_percent", "300"),
            ("connector.values.school_form", "gymnasial utan likhetstecken"),
        ];
        let mut fields = vec![("csrf", csrf.as_str()), ("connector.kind", "csv"), ("action", "save")];
        fields.extend(wrong);
        let page = browser.post("/admin/kallor/ny?typ=csv", &fields).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {}", page.body);
        assert!(page.body.contains("class=\"error-summary\""), "{backend}");
        for (name, typed) in wrong {
            let id = format!("f-{}", name.replace(['.', '_'], "-"));
            assert!(page.body.contains(&format!("id=\"{id}-problem\"")), "{backend}: no problem shown at {name}");
            let input = page.body.split(&format!("id=\"{id}\"")).nth(1).unwrap_or_default();
            let tag = input.split('>').next().unwrap_or_default();
            assert!(tag.contains(&format!("{id}-problem")), "{backend}: {name} is not described by its problem: {tag}");
            assert!(tag.contains("aria-invalid=\"true\""), "{backend}: {name}: {tag}");
            if name != "connector.encoding" {
                let shown = typed.replace('!', "&#33;");
                assert!(
                    page.body.contains(typed) || page.body.contains(&shown),
                    "{backend}: {name}: `{typed}` not kept"
                );
            }
        }
        // The columns the csv kind requires, though nothing was typed there.
        assert!(page.body.contains("id=\"f-connector-columns-title-problem\""), "{backend}");
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: nothing saved");
    }
}

#[tokio::test]
async fn a_csv_source_added_through_the_form_is_dry_run_saved_harvested_and_its_run_shown() {
    for db in fresh_databases().await {
        let csv = vuxnav_tests::regional().iter().find(|s| s.kind == ConnectorKind::Csv).expect("a csv source");
        let sources: &'static [vuxnav_simulator::DemoSource] = std::slice::from_ref(csv);
        let app = TestApp::builder().upstreams(sources).spawn(&db).await;
        let backend = app.backend;
        let config = vuxnav_tests::source_config(app.upstreams(), csv, "huddinge-csv", true);
        let mut browser = Browser::new(&app);
        let overview = browser.sign_in(&app.key("region_admin", &[]).await).await;
        let csrf = overview.csrf();

        let form = browser.get("/admin/kallor/ny?typ=csv").await;
        assert_eq!(form.status, StatusCode::OK, "{backend}: {}", form.body);
        assert!(form.body.contains("id=\"f-connector-columns-title\""), "{backend}: the generated form");

        // The simulated system's own csv table, typed into the form field by field.
        let connector = &config["connector"];
        let mut owned: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("id".into(), "huddinge-csv".into()),
            ("municipality".into(), csv.municipality.as_str().into()),
            ("schedule".into(), "0 0 3 * * *".into()),
            ("enabled".into(), "true".into()),
            ("allow_private_network".into(), "true".into()),
        ];
        for (key, value) in connector.as_object().expect("a table") {
            match value {
                Value::String(text) => owned.push((format!("connector.{key}"), text.clone())),
                Value::Bool(true) => owned.push((format!("connector.{key}"), "true".into())),
                Value::Object(table) => {
                    for (field, value) in table {
                        // A value map is typed as `upstream = code` lines.
                        let text = match value {
                            Value::String(text) => text.clone(),
                            Value::Object(map) => map
                                .iter()
                                .map(|(from, to)| format!("{from} = {}", to.as_str().unwrap_or_default()))
                                .collect::<Vec<_>>()
                                .join("\n"),
                            other => other.to_string(),
                        };
                        owned.push((format!("connector.{key}.{field}"), text));
                    }
                }
                _ => {}
            }
        }
        let fields = |action: &'static str| {
            let mut fields: Vec<(&str, &str)> = owned.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            fields.push(("action", action));
            fields
        };
        let dry = browser.post("/admin/kallor/ny?typ=csv", &fields("dry_run")).await;
        assert_eq!(dry.status, StatusCode::OK, "{backend}: {}", dry.body);
        assert!(dry.body.contains("Provkörning: inget sparades"), "{backend}: {}", dry.body);
        assert!(dry.body.contains("Exempel på erbjudanden"), "{backend}");
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: a dry run saves nothing");

        let saved = browser.post("/admin/kallor/ny?typ=csv", &fields("save")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{backend}: {}", saved.body);
        assert_eq!(saved.header("location"), "/admin/kallor/huddinge-csv?sparad=1", "{backend}");
        app.runner().await;

        let harvested = browser.post("/admin/kallor/huddinge-csv/skorda", &[("csrf", &csrf)]).await;
        assert_eq!(harvested.status, StatusCode::SEE_OTHER, "{backend}: {}", harvested.body);
        assert_eq!(harvested.header("location"), "/admin/kallor/huddinge-csv?skord=SUCCEEDED", "{backend}");
        let page = browser.get("/admin/kallor/huddinge-csv?skord=SUCCEEDED").await;
        assert_eq!(page.status, StatusCode::OK, "{backend}: {}", page.body);
        assert!(page.body.contains("Skörden är klar: lyckades."), "{backend}: {}", page.body);
        assert!(page.body.contains("<td>Lyckades</td>"), "{backend}: the run is listed: {}", page.body);
    }
}

#[tokio::test]
async fn a_saved_source_is_edited_disabled_and_deleted_after_a_confirmation_and_a_stale_edit_is_refused() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);
        let csrf = browser.sign_in(&app.key("municipal_admin", &["0126"]).await).await.csrf();
        let url = "https://kurser.huddinge.example/export.csv";
        let saved =
            browser.post("/admin/kallor/ny?typ=csv", &csv_form(&csrf, "huddinge-kurser", "0126", url, "save")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{backend}: {}", saved.body);

        let form = browser.get("/admin/kallor/huddinge-kurser/andra").await;
        assert_eq!(form.status, StatusCode::OK, "{backend}: {}", form.body);
        assert!(form.body.contains("value=\"Komvux Huddinge\""), "{backend}: the saved values are in the form");
        let mut edit = csv_form(&csrf, "huddinge-kurser", "0126", url, "save");
        edit.retain(|(name, _)| *name != "connector.defaults.provider_name");
        edit.push(("connector.defaults.provider_name", "Huddinge komvux"));
        edit.push(("revision", "1"));
        let updated = browser.post("/admin/kallor/huddinge-kurser/andra", &edit).await;
        assert_eq!(updated.status, StatusCode::SEE_OTHER, "{backend}: {}", updated.body);
        assert_eq!(updated.header("location"), "/admin/kallor/huddinge-kurser?sparad=2", "{backend}");

        let stale = browser.post("/admin/kallor/huddinge-kurser/andra", &edit).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{backend}: {}", stale.body);
        assert!(stale.body.contains("Någon annan har sparat källan"), "{backend}");
        assert!(stale.body.contains("value=\"Huddinge komvux\""), "{backend}: what was typed is kept");

        let disabled = browser
            .post("/admin/kallor/huddinge-kurser/aktivera", &[("csrf", &csrf), ("revision", "2"), ("enabled", "false")])
            .await;
        assert_eq!(
            disabled.header("location"),
            "/admin/kallor/huddinge-kurser?sparad=3",
            "{backend}: {}",
            disabled.body
        );
        let page = browser.get("/admin/kallor/huddinge-kurser").await;
        assert!(
            page.body.contains("<dd>Avstängd</dd>") && page.body.contains(">Slå på</button>"),
            "{backend}: {}",
            page.body
        );

        let confirm = browser.get("/admin/kallor/huddinge-kurser/ta-bort").await;
        assert!(confirm.body.contains("Ta bort källan huddinge-kurser?"), "{backend}: {}", confirm.body);
        let deleted =
            browser.post("/admin/kallor/huddinge-kurser/ta-bort", &[("csrf", &csrf), ("revision", "3")]).await;
        assert_eq!(deleted.header("location"), "/admin?borttagen=huddinge-kurser", "{backend}: {}", deleted.body);
        assert_eq!(saved_sources(&app).await, json!([]), "{backend}: deleted");
    }
}

#[tokio::test]
async fn a_key_is_created_on_the_keys_page_shown_once_revoked_and_every_step_is_in_the_log() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let backend = app.backend;
        let mut browser = Browser::new(&app);
        let csrf = browser.sign_in(&app.key("region_admin", &[]).await).await.csrf();
        let fields = [
            ("csrf", csrf.as_str()),
            ("namn", "huddinge-admin"),
            ("roll", "MUNICIPAL_ADMIN"),
            ("kommuner", "0126"),
            ("giltig_till", ""),
        ];
        let created = browser.post("/admin/nycklar", &fields).await;
        assert_eq!(created.status, StatusCode::OK, "{backend}: {}", created.body);
        let token = created.body.split("id=\"ny-nyckel\" value=\"").nth(1).and_then(|rest| rest.split('"').next());
        let token = token.unwrap_or_else(|| panic!("{backend}: the token is shown: {}", created.body)).to_owned();
        assert!(token.starts_with("vx_"), "{backend}: {token}");
        let listed = browser.get("/admin/nycklar").await;
        assert!(listed.body.contains("huddinge-admin") && !listed.body.contains(&token), "{backend}: shown once");

        let wrong = [
            ("csrf", csrf.as_str()),
            ("namn", "x"),
            ("roll", "MUNICIPAL_ADMIN"),
            ("kommuner", ""),
            ("giltig_till", "snart"),
        ];
        let refused = browser.post("/admin/nycklar", &wrong).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{backend}: {}", refused.body);
        assert!(refused.body.contains("value=\"snart\""), "{backend}: what was typed is kept");

        let (_, me) = app.admin(&token, "{ me { id } }", json!({})).await;
        let id = me["data"]["me"]["id"].as_str().unwrap_or_else(|| panic!("{backend}: {me}")).to_owned();
        let revoked = browser.post(&format!("/admin/nycklar/{id}/aterkalla"), &[("csrf", &csrf)]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{backend}: {}", revoked.body);
        assert!(browser.get("/admin/nycklar").await.body.contains("Återkallad"), "{backend}");

        let log = browser.get("/admin/logg").await;
        for action in ["session.create", "key.create", "key.revoke"] {
            assert!(log.body.contains(&format!("<code>{action}</code>")), "{backend}: {action} missing: {}", log.body);
        }
    }
}
