//! API keys over HTTP, and the admin API as a region operator and two municipal admins use it:
//! keys refused without saying why, a broken draft with every problem named at once, a source
//! connected, dry-run, harvested and watched, a concurrent edit refused, a revoked key refused,
//! and all of it in the audit log.

use vuxnav_simulator::upstream::Upstreams;
use vuxnav_tests::{StatusCode, TestApp, Value, fresh_databases, json, regional_of, source_config};

const ME: &str = "{ me { name role municipalities } }";

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_missing_malformed_or_unknown_key_is_unauthenticated_and_names_no_key() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let body = json!({ "query": ME }).to_string();
        let reply = app
            .request(reqwest::Method::POST, "/admin/graphql", &[("content-type", "application/json")], body.into())
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: no key on the admin API: {}", db.backend, reply.body);
        assert_eq!(reply.header("www-authenticate"), "Bearer", "{}", db.backend);
        assert_eq!(code(&reply.json()), "UNAUTHENTICATED", "{}", db.backend);

        // Well formed, but no such key.
        let unknown = vuxnav_gateway::auth::Token::generate().expose().to_owned();
        let mut messages = Vec::new();
        for token in ["garbage", unknown.as_str(), ""] {
            for path in ["/admin/graphql", "/graphql"] {
                let (status, body) = app.graphql_as(path, token, "{ __typename }", Value::Null).await;
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{}: `{token}` on {path}: {body}", db.backend);
                assert_eq!(code(&body), "UNAUTHENTICATED", "{}: {body}", db.backend);
                messages.push(body["errors"][0]["message"].clone());
            }
        }
        messages.dedup();
        assert_eq!(messages.len(), 1, "{}: the answers tell refusals apart: {messages:?}", db.backend);

        let (status, body) = app.graphql("{ __typename }", Value::Null).await;
        assert_eq!((status, body["data"]["__typename"].as_str()), (StatusCode::OK, Some("Query")), "{}", db.backend);
        let partner = app.key("partner", &[]).await;
        let (status, body) = app.graphql_as("/graphql", &partner, "{ __typename }", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{}: a partner key on the public API: {body}", db.backend);
    }
}

#[tokio::test]
async fn a_key_created_through_the_api_works_until_it_is_revoked_and_every_step_is_audited() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let create =
            "mutation($input: KeyInput!) { createKey(input: $input) { token key { id name role municipalities } } }";
        let input =
            json!({ "input": { "name": "huddinge-admin", "role": "MUNICIPAL_ADMIN", "municipalities": ["0126"] } });
        let (status, body) = app.admin(&region, create, input).await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", db.backend);
        let token =
            body["data"]["createKey"]["token"].as_str().unwrap_or_else(|| panic!("{}: a token: {body}", db.backend));
        let id = body["data"]["createKey"]["key"]["id"].clone();
        assert!(token.starts_with("vx_"), "{}: {token}", db.backend);

        let (_, body) = app.admin(token, ME, Value::Null).await;
        assert_eq!(
            body["data"]["me"],
            json!({ "name": "huddinge-admin", "role": "MUNICIPAL_ADMIN", "municipalities": ["0126"] }),
            "{}",
            db.backend
        );

        let (_, body) =
            app.admin(&region, "mutation($id: ID!) { revokeKey(id: $id) { revokedAt } }", json!({ "id": id })).await;
        assert!(body["data"]["revokeKey"]["revokedAt"].is_string(), "{}: {body}", db.backend);
        let (status, body) = app.admin(token, ME, Value::Null).await;
        assert_eq!((status, code(&body)), (StatusCode::UNAUTHORIZED, "UNAUTHENTICATED"), "{}: {body}", db.backend);

        let (_, body) = app.admin(&region, "{ auditLog(first: 20) { action outcome targetId } }", Value::Null).await;
        let actions: Vec<&str> =
            body["data"]["auditLog"].as_array().into_iter().flatten().filter_map(|e| e["action"].as_str()).collect();
        for action in ["key.create", "key.first_use", "key.revoke", "key.refused"] {
            assert!(actions.contains(&action), "{}: no `{action}` in the audit log: {actions:?}", db.backend);
        }
    }
}

#[tokio::test]
async fn a_broken_draft_gets_every_problem_named_at_once_and_nothing_is_saved() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let huddinge = app.key("municipal_admin", &["0126"]).await;
        let draft = json!({
            "id": "huddinge-csv", "municipality": "0126", "schedule": "0 0 3 * * *", "colour": "blue",
            "allow_private_network": true,
            "connector": { "kind": "csv", "url": "http://169.254.169.254/latest/meta-data" },
        });
        let validate = "mutation($config: JSON!) { validateSource(config: $config) { valid problems { field message forbidden } } }";
        let (_, body) = app.admin(&huddinge, validate, json!({ "config": draft })).await;
        let check = &body["data"]["validateSource"];
        assert_eq!(check["valid"], false, "{}: {body}", db.backend);
        let fields: Vec<&str> =
            check["problems"].as_array().into_iter().flatten().filter_map(|p| p["field"].as_str()).collect();
        for field in ["colour", "connector.url", "allow_private_network"] {
            assert!(fields.iter().any(|f| f.contains(field)), "{}: `{field}` not named: {body}", db.backend);
        }

        // A region admin's draft: a kommunkod outside the region and a name resolving to loopback.
        let region = app.key("region_admin", &[]).await;
        let draft = json!({
            "id": "goteborg-csv", "municipality": "1480", "schedule": "0 0 3 * * *",
            "connector": { "kind": "csv", "url": "http://localhost:9/kurser.csv" },
        });
        let create = "mutation($config: JSON!) { createSource(config: $config) { id } }";
        let (status, body) = app.admin(&region, create, json!({ "config": draft })).await;
        assert_eq!((status, code(&body)), (StatusCode::OK, "BAD_USER_INPUT"), "{}: {body}", db.backend);
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        for named in ["config.municipality", "config.connector.url", "loopback"] {
            assert!(message.contains(named), "{}: `{named}` not named: {message}", db.backend);
        }
        let (_, body) = app.admin(&region, "{ sources { id } }", Value::Null).await;
        assert_eq!(body["data"]["sources"], json!([]), "{}: something was saved: {body}", db.backend);
    }
}

#[tokio::test]
async fn huddinges_admin_dry_runs_harvests_and_watches_the_source_the_region_connected() {
    let sources = regional_of(&["0126"]);
    for db in fresh_databases().await {
        let upstreams = Upstreams::start(&sources).expect("the simulated system starts");
        let app = TestApp::builder().spawn(&db).await;
        let (region, huddinge) = (app.key("region_admin", &[]).await, app.key("municipal_admin", &["0126"]).await);

        // The simulated system is on loopback: a municipal admin may not reach it.
        let on_loopback = source_config(&upstreams, &sources[0], "huddinge-kurser", false);
        let dry_run =
            "mutation($config: JSON) { dryRunSource(config: $config) { offerings rejected error samples { title } } }";
        let (_, body) = app.admin(&huddinge, dry_run, json!({ "config": on_loopback })).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{}: {body}", db.backend);
        assert!(
            body["errors"][0]["message"].as_str().unwrap_or_default().contains("config.connector"),
            "{}: {body}",
            db.backend
        );

        let allowed = source_config(&upstreams, &sources[0], "huddinge-kurser", true);
        let (_, body) = app.admin(&region, dry_run, json!({ "config": allowed })).await;
        let offerings = body["data"]["dryRunSource"]["offerings"].as_u64().unwrap_or_default();
        assert!(offerings > 0 && body["data"]["dryRunSource"]["error"].is_null(), "{}: {body}", db.backend);
        assert_eq!(app.store.sources().await.expect("the sources").len(), 0, "{}: a dry run stored", db.backend);

        let create = "mutation($config: JSON!) { createSource(config: $config) { id revision managedBy } }";
        let (_, body) = app.admin(&region, create, json!({ "config": allowed })).await;
        assert_eq!(
            body["data"]["createSource"],
            json!({ "id": "huddinge-kurser", "revision": 1, "managedBy": "API" }),
            "{}: {body}",
            db.backend
        );

        let harvest = "mutation { harvestNow(id: \"huddinge-kurser\") { outcome run { counts { new } } } }";
        let (_, body) = app.admin(&huddinge, harvest, Value::Null).await;
        assert_eq!(body["data"]["harvestNow"]["outcome"], "SUCCEEDED", "{}: {body}", db.backend);
        assert_eq!(
            body["data"]["harvestNow"]["run"]["counts"]["new"].as_u64(),
            Some(offerings),
            "{}: {body}",
            db.backend
        );

        let (_, body) = app
            .admin(&huddinge, "{ runs(source: \"huddinge-kurser\") { outcome rejections { reason } } }", Value::Null)
            .await;
        assert_eq!(body["data"]["runs"].as_array().map(Vec::len), Some(1), "{}: {body}", db.backend);

        // Disabling keeps the region's private network: the URLs did not change.
        let disable =
            "mutation { setSourceEnabled(id: \"huddinge-kurser\", revision: 1, enabled: false) { revision enabled } }";
        let (_, body) = app.admin(&huddinge, disable, Value::Null).await;
        assert_eq!(
            body["data"]["setSourceEnabled"],
            json!({ "revision": 2, "enabled": false }),
            "{}: {body}",
            db.backend
        );
        let runner = app.runner().await;
        let enabled: Vec<bool> =
            runner.sources().iter().filter(|s| s.id.as_str() == "huddinge-kurser").map(|s| s.enabled).collect();
        assert_eq!(enabled, [false], "{}: the runner did not pick up the change", db.backend);
    }
}

#[tokio::test]
async fn a_second_save_of_the_same_revision_is_refused_naming_the_revision() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let draft = json!({
            "id": "huddinge-csv", "municipality": "0126", "schedule": "0 0 3 * * *",
            "connector": { "kind": "csv", "url": "https://194.68.0.1/kurser.csv",
                           "columns": { "upstream_id": "Id", "title": "Kurs" },
                           "defaults": { "school_form": "VUXGY", "provider_name": "Komvux Huddinge", "pace": 100 } },
        });
        let (_, body) = app
            .admin(&region, "mutation($c: JSON!) { createSource(config: $c) { revision } }", json!({ "c": draft }))
            .await;
        assert_eq!(body["data"]["createSource"]["revision"], 1, "{}: {body}", db.backend);
        let update = "mutation($c: JSON!) { updateSource(id: \"huddinge-csv\", revision: 1, config: $c) { revision } }";
        let (_, first) = app.admin(&region, update, json!({ "c": draft })).await;
        let (_, second) = app.admin(&region, update, json!({ "c": draft })).await;
        assert_eq!(first["data"]["updateSource"]["revision"], 2, "{}: {first}", db.backend);
        assert_eq!(code(&second), "CONFLICT", "{}: {second}", db.backend);
        assert!(
            second["errors"][0]["message"].as_str().unwrap_or_default().contains("revision 2"),
            "{}: {second}",
            db.backend
        );
    }
}

#[tokio::test]
async fn anonymous_callers_past_their_limit_get_429_with_retry_after_while_a_partner_key_goes_on() {
    for db in fresh_databases().await {
        let limits = "[access.rate_limits]\nanonymous = { requests = 2, window_seconds = 60 }";
        let app = TestApp::builder().config(limits).spawn(&db).await;
        for _ in 0..2 {
            let (status, body) = app.graphql("{ __typename }", Value::Null).await;
            assert_eq!(status, StatusCode::OK, "{}: within the limit: {body}", db.backend);
        }
        let body = json!({ "query": "{ __typename }" }).to_string();
        let reply = app.post(body, &[("content-type", "application/json")]).await;
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}: {}", db.backend, reply.body);
        assert_eq!(code(&reply.json()), "RATE_LIMITED", "{}", db.backend);
        let retry_after: u64 = reply.header("retry-after").parse().unwrap_or(0);
        assert!((1..=60).contains(&retry_after), "{}: Retry-After `{}`", db.backend, reply.header("retry-after"));
        assert_eq!(reply.header("ratelimit-policy"), "\"anonymous\";q=2;w=60", "{}", db.backend);
        assert_eq!(reply.header("ratelimit"), format!("\"anonymous\";r=0;t={retry_after}"), "{}", db.backend);

        let partner = app.key("partner", &[]).await;
        let (status, body) = app.graphql_as("/graphql", &partner, "{ __typename }", Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{}: a partner has its own limit: {body}", db.backend);
    }
}

#[tokio::test]
async fn guessing_keys_is_rate_limited_per_client_address() {
    for db in fresh_databases().await {
        let limits = "[access.rate_limits]\nfailed_keys = { requests = 3, window_seconds = 60 }";
        let app = TestApp::builder().config(limits).spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let (status, _) = app.admin(&region, ME, Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{}", db.backend);
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let guess = vuxnav_gateway::auth::Token::generate().expose().to_owned();
            statuses.push(app.admin(&guess, ME, Value::Null).await.0);
        }
        let (unauthorized, too_many) = (StatusCode::UNAUTHORIZED, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            statuses,
            [unauthorized, unauthorized, unauthorized, too_many, too_many, too_many],
            "{}",
            db.backend
        );

        // Past the limit a guess costs no lookup and no audit entry, while a key this server
        // already knows from that address goes on.
        let refusals = "{ auditLog(first: 100, action: \"key.refused\") { action } }";
        let (status, body) = app.admin(&region, refusals, Value::Null).await;
        assert_eq!(status, StatusCode::OK, "{}: a known key from a blocked address: {body}", db.backend);
        let audited = body["data"]["auditLog"].as_array().map(Vec::len);
        assert_eq!(audited, Some(4), "{}: the three refused and the one that hit the limit: {body}", db.backend);
    }
}

#[tokio::test]
async fn an_oversized_config_is_refused_whole_and_a_1_mb_request_is_413_never_5xx() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let region = app.key("region_admin", &[]).await;
        let big = json!({ "id": "x".repeat(100_000), "municipality": "0126" });
        let create = "mutation($config: JSON!) { createSource(config: $config) { id } }";
        let (status, body) = app.admin(&region, create, json!({ "config": big })).await;
        assert_eq!((status, code(&body)), (StatusCode::OK, "BAD_USER_INPUT"), "{}: {body}", db.backend);
        assert!(
            body["errors"][0]["message"].as_str().unwrap_or_default().contains("at most 65536"),
            "{}: {body}",
            db.backend
        );

        let huge = json!({ "query": create, "variables": { "config": { "id": "x".repeat(1_100_000) } } }).to_string();
        let authorization = format!("Bearer {region}");
        let headers = [("content-type", "application/json"), ("authorization", authorization.as_str())];
        let reply = app.request(reqwest::Method::POST, "/admin/graphql", &headers, huge.into()).await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{}: {}", db.backend, reply.body);
    }
}

/// Sends `request` on `stream` and reads one response: its status line, or `None` when the
/// server closed the connection instead.
async fn exchange(stream: &mut tokio::net::TcpStream, request: &str) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let read = stream.read(&mut buffer).await.ok()?;
        if read == 0 {
            return None;
        }
        received.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&received);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .and_then(|value| value.parse::<usize>().ok())?;
            if body.len() >= length {
                return head.lines().next().map(str::to_owned);
            }
        }
    }
}

#[tokio::test]
async fn a_refused_key_with_a_request_body_keeps_the_connection_open_for_the_next_request() {
    for db in fresh_databases().await {
        let app = TestApp::builder().spawn(&db).await;
        let mut stream = tokio::net::TcpStream::connect(app.address).await.expect("a connection");
        let body = json!({ "query": ME }).to_string();
        let refused = format!(
            "POST /admin/graphql HTTP/1.1\r\nhost: vuxnav\r\ncontent-type: application/json\r\nauthorization: Bearer garbage\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
        let status = exchange(&mut stream, &refused).await;
        assert_eq!(status.as_deref(), Some("HTTP/1.1 401 Unauthorized"), "{}", db.backend);
        let next = "GET /healthz HTTP/1.1\r\nhost: vuxnav\r\n\r\n";
        let status = exchange(&mut stream, next).await;
        assert_eq!(
            status.as_deref(),
            Some("HTTP/1.1 200 OK"),
            "{}: the connection was closed after the refusal",
            db.backend
        );
    }
}
