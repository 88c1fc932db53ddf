//! The sources pages: the overview of the admin's sources, a source with its runs and their
//! rejections, the generated form to add or edit one (with a dry run before saving), and the
//! posts that harvest now, accept a held run, enable, disable and delete. Each asks the admin
//! API ([`super::api::ask`]); the status of each source is the public API's.

use std::collections::HashMap;

use askama::Template;
use async_graphql::Request;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use vuxnav_connectors::config::ConnectorKind;
use vuxnav_connectors::describe::source_schema;

use super::api::{self, Refusal, ask};
use super::form::{Message, SourceForm};
use super::session::{CSRF_FIELD, Signed, Visit};
use super::{Bar, ConfirmDelete, checked, frame, local, refused};
use crate::web::{Frame, Web, render};

/// A source as the admin API lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AdminSource {
    id: String,
    municipality: String,
    kind: String,
    enabled: bool,
    managed_by: String,
    revision: Option<u32>,
    #[serde(default)]
    config: Option<Value>,
    #[serde(default)]
    saved_at: Option<DateTime<Utc>>,
    #[serde(default)]
    saved_by: Option<String>,
}

/// A source's state as the public API tells it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    id: String,
    status: String,
    last_attempt: Option<DateTime<Utc>>,
    last_error: Option<String>,
    held_reason: Option<String>,
    offering_count: u64,
}

/// A row of the overview.
#[derive(Debug)]
pub struct Row {
    pub id: String,
    pub municipality: String,
    pub kind: String,
    pub status: &'static str,
    pub last_run: String,
    pub offerings: u64,
    pub last_error: String,
}

/// The status in Swedish.
fn status_text(status: Option<&Status>, enabled: bool) -> &'static str {
    match status.map(|s| s.status.as_str()) {
        _ if !enabled => "Avstängd",
        Some("OK") => "I drift",
        Some("STALE") => "Senaste skörd misslyckades",
        Some("FAILING") => "Ingen lyckad skörd än",
        Some("DISABLED") => "Avstängd",
        Some("HELD") => "Spärrad, väntar på granskning",
        _ => "Inte skördad än",
    }
}

fn municipality_name(code: &str) -> String {
    vuxnav_schema::MunicipalityCode::parse(code)
        .map(|code| format!("{} ({})", code.municipality().name, code.as_str()))
        .unwrap_or_else(|_| code.to_owned())
}

/// The public status of every source, by id.
async fn statuses(web: &Web) -> HashMap<String, Status> {
    let document = "{ sources { id status lastAttempt lastError heldReason offeringCount } }";
    let response = web.app.schema.execute(Request::new(document)).await;
    #[derive(Deserialize)]
    struct Data {
        sources: Vec<Status>,
    }
    let data = response.data.into_json().ok().and_then(|data| serde_json::from_value::<Data>(data).ok());
    data.map(|data| data.sources.into_iter().map(|s| (s.id.clone(), s)).collect()).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "admin/overview.html")]
struct Overview<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    rows: Vec<Row>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    borttagen: Option<String>,
}

pub async fn overview(State(web): State<Web>, signed: Signed, Query(query): Query<OverviewQuery>) -> Response {
    #[derive(Deserialize)]
    struct Data {
        sources: Vec<AdminSource>,
    }
    let data: Data = match ask(
        &web.app,
        &signed,
        "{ sources { id municipality kind enabled managedBy revision } }",
        json!({}),
    )
    .await
    {
        Ok(data) => data,
        Err(refusal) => return refused(&web, &signed, &refusal),
    };
    let statuses = statuses(&web).await;
    let rows = data
        .sources
        .into_iter()
        .map(|source| {
            let status = statuses.get(&source.id);
            Row {
                municipality: municipality_name(&source.municipality),
                kind: source.kind.clone(),
                status: status_text(status, source.enabled),
                last_run: status.and_then(|s| s.last_attempt.as_ref()).map(local).unwrap_or_else(|| "–".to_owned()),
                offerings: status.map_or(0, |s| s.offering_count),
                last_error: status.and_then(|s| s.last_error.clone()).unwrap_or_default(),
                id: source.id,
            }
        })
        .collect();
    let notice = query.borttagen.map(|id| format!("Källan {id} är borttagen och dess erbjudanden dragna tillbaka."));
    render(
        StatusCode::OK,
        &Overview { frame: frame(&web, "Källor", "/admin"), bar: Some(Bar::of(&signed)), rows, notice },
    )
}

/// A run as the source page shows it.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RunData {
    started: DateTime<Utc>,
    finished: Option<DateTime<Utc>>,
    outcome: String,
    full: bool,
    counts: Counts,
    error: Option<String>,
    rejections: Vec<RejectionData>,
    rejections_omitted: u64,
}

#[derive(Debug, Deserialize)]
pub struct Counts {
    pub fetched: u64,
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub withdrawn: u64,
    pub rejected: u64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RejectionData {
    pub upstream_id: String,
    pub field: String,
    pub reason: String,
}

/// A run, shown.
#[derive(Debug)]
pub struct Run {
    pub started: String,
    pub finished: String,
    pub outcome: &'static str,
    pub full: &'static str,
    pub counts: Counts,
    pub error: Option<String>,
    pub rejections: Vec<RejectionData>,
    pub rejections_omitted: u64,
}

fn outcome_text(outcome: &str) -> &'static str {
    match outcome {
        "RUNNING" => "Pågår",
        "SUCCEEDED" => "Lyckades",
        "FAILED" => "Misslyckades",
        "HELD" => "Spärrad",
        "SKIPPED" => "Kördes inte",
        _ => "Okänt",
    }
}

#[derive(Template)]
#[template(path = "admin/source.html")]
struct SourcePage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    id: String,
    municipality: String,
    kind: String,
    enabled: bool,
    managed_by_api: bool,
    revision: u32,
    saved: String,
    status: &'static str,
    held: bool,
    held_reason: String,
    last_error: String,
    offerings: u64,
    runs: Vec<Run>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct SourceQuery {
    #[serde(default)]
    sparad: Option<u32>,
    #[serde(default)]
    skord: Option<String>,
}

pub async fn source_page(
    State(web): State<Web>,
    signed: Signed,
    Path(id): Path<String>,
    Query(query): Query<SourceQuery>,
) -> Response {
    struct Data {
        source: AdminSource,
        runs: Vec<RunData>,
    }
    #[derive(Deserialize)]
    struct Found {
        source: AdminSource,
    }
    let document = "query Source($id: ID!) {
        source(id: $id) { id municipality kind enabled managedBy revision savedAt savedBy } }";
    let found: Found = match ask(&web.app, &signed, document, json!({ "id": id })).await {
        Ok(found) => found,
        Err(refusal) => return refused(&web, &signed, &refusal),
    };
    #[derive(Deserialize)]
    struct Runs {
        runs: Vec<RunData>,
    }
    let document = "query Runs($id: ID!) {
        runs(source: $id, first: 10) {
            started finished outcome full error rejectionsOmitted
            counts { fetched new changed unchanged withdrawn rejected }
            rejections(first: 50) { upstreamId field reason }
        } }";
    // A source saved but not yet harvested has no runs to find.
    let runs = ask::<Runs>(&web.app, &signed, document, json!({ "id": id })).await.map(|r| r.runs).unwrap_or_default();
    let data = Data { source: found.source, runs };
    let status = statuses(&web).await.remove(&data.source.id);
    let source = data.source;
    let saved = match (&source.saved_at, &source.saved_by) {
        (Some(at), Some(by)) => format!("{} av {by}", local(at)),
        _ => String::new(),
    };
    let notice = match (query.sparad, query.skord.as_deref()) {
        (Some(revision), _) => {
            Some(format!("Källan är sparad (version {revision}). Den skördas från nästa schemalagda körning."))
        }
        (None, Some(outcome)) => Some(format!("Skörden är klar: {}.", outcome_text(outcome).to_lowercase())),
        _ => None,
    };
    let page = SourcePage {
        frame: frame(&web, format!("Källa {}", source.id), ""),
        bar: Some(Bar::of(&signed)),
        municipality: municipality_name(&source.municipality),
        kind: source.kind.clone(),
        enabled: source.enabled,
        managed_by_api: source.managed_by == "API",
        revision: source.revision.unwrap_or_default(),
        saved,
        status: status_text(status.as_ref(), source.enabled),
        held: status.as_ref().is_some_and(|s| s.status == "HELD"),
        held_reason: status.as_ref().and_then(|s| s.held_reason.clone()).unwrap_or_default(),
        last_error: status.as_ref().and_then(|s| s.last_error.clone()).unwrap_or_default(),
        offerings: status.as_ref().map_or(0, |s| s.offering_count),
        runs: data
            .runs
            .into_iter()
            .map(|run| Run {
                started: local(&run.started),
                finished: run.finished.as_ref().map(local).unwrap_or_else(|| "–".to_owned()),
                outcome: outcome_text(&run.outcome),
                full: if run.full { "hel" } else { "ändringar" },
                counts: run.counts,
                error: run.error,
                rejections: run.rejections,
                rejections_omitted: run.rejections_omitted,
            })
            .collect(),
        id: source.id,
        notice,
    };
    render(StatusCode::OK, &page)
}

/// What a dry run read, shown under the form.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DryRun {
    pub offerings: u64,
    pub courses: u64,
    pub providers: u64,
    pub rejected: u64,
    pub samples: Vec<Sample>,
    pub rejections: Vec<RejectionGroup>,
    pub error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct Sample {
    pub title: String,
    pub start: Option<NaiveDate>,
    pub municipality: String,
}

impl Sample {
    pub fn start_text(&self) -> String {
        self.start.map(|date| date.to_string()).unwrap_or_else(|| "löpande".to_owned())
    }
}

#[derive(Debug, Deserialize)]
pub struct RejectionGroup {
    pub field: String,
    pub reason: String,
    pub count: u64,
    pub examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub upstream_id: String,
    pub value: Option<String>,
}

impl Example {
    pub fn value_text(&self) -> &str {
        self.value.as_deref().unwrap_or("")
    }
}

/// The kinds an admin can choose for a new source.
#[derive(Debug)]
pub struct KindChoice {
    pub kind: &'static str,
    pub title: &'static str,
}

fn kind_title(kind: ConnectorKind) -> &'static str {
    match kind {
        ConnectorKind::SusaNavet => "Susa-navet (Skolverkets utbildningsdatabas)",
        ConnectorKind::PlannedEducations => "Skolverkets API för planerade utbildningar",
        ConnectorKind::Ss12000 => "SS 12000 (kommunens skoladministrativa system)",
        ConnectorKind::Csv => "CSV-fil (export från kursadministrationen)",
        ConnectorKind::JsonApi => "JSON-API (egen webbtjänst)",
    }
}

#[derive(Template)]
#[template(path = "admin/kinds.html")]
struct KindsPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    kinds: Vec<KindChoice>,
}

#[derive(Template)]
#[template(path = "admin/source_form.html")]
struct FormPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    heading: String,
    action: String,
    /// The revision an edit changes; `0` for a new source.
    revision: u32,
    form: SourceForm,
    dry_run: Option<DryRun>,
}

impl FormPage<'_> {
    /// Every problem, for the summary at the top: (the input's id, its label, the problem).
    pub fn summary(&self) -> Vec<(String, String, Message)> {
        self.form.summary("Källan")
    }
}

#[derive(Deserialize)]
pub struct KindQuery {
    #[serde(default)]
    typ: Option<String>,
}

fn kind_named(name: &str) -> Option<ConnectorKind> {
    ConnectorKind::ALL.into_iter().find(|kind| kind.as_str() == name)
}

pub async fn new_source(State(web): State<Web>, signed: Signed, Query(query): Query<KindQuery>) -> Response {
    let Some(kind) = query.typ.as_deref().and_then(kind_named) else {
        let kinds = ConnectorKind::ALL
            .into_iter()
            .map(|kind| KindChoice { kind: kind.as_str(), title: kind_title(kind) })
            .collect();
        let page =
            KindsPage { frame: frame(&web, "Ny källa", "/admin/kallor/ny"), bar: Some(Bar::of(&signed)), kinds };
        return render(StatusCode::OK, &page);
    };
    let mut values = json!({ "schedule": "0 0 3 * * *" });
    if let Some(code) = signed.caller.municipalities().first() {
        values["municipality"] = json!(code.as_str());
    }
    let form = SourceForm::new(&source_schema(kind), &values);
    form_page(&web, &signed, StatusCode::OK, None, kind, form, None)
}

fn form_page(
    web: &Web,
    signed: &Signed,
    status: StatusCode,
    edit: Option<(&str, u32)>,
    kind: ConnectorKind,
    form: SourceForm,
    dry_run: Option<DryRun>,
) -> Response {
    let (heading, action, revision) = match edit {
        Some((id, revision)) => (format!("Ändra källan {id}"), format!("/admin/kallor/{id}/andra"), revision),
        None => (format!("Ny källa: {}", kind_title(kind)), format!("/admin/kallor/ny?typ={}", kind.as_str()), 0),
    };
    let title = if form.has_problems() { format!("Fel i formuläret: {heading}") } else { heading.clone() };
    let page = FormPage {
        frame: frame(web, title, if edit.is_none() { "/admin/kallor/ny" } else { "" }),
        bar: Some(Bar::of(signed)),
        heading,
        action,
        revision,
        form,
        dry_run,
    };
    render(status, &page)
}

pub async fn post_new_source(
    State(web): State<Web>,
    visit: Visit,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    submit(&web, &visit, None, posted).await
}

pub async fn edit_source(State(web): State<Web>, signed: Signed, Path(id): Path<String>) -> Response {
    let source = match saved(&web, &signed, &id).await {
        Ok(source) => source,
        Err(response) => return response,
    };
    let Some(kind) = kind_named(&source.kind) else {
        return super::message(
            &web,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(Bar::of(&signed)),
            "Okänd typ",
            "Källans typ finns inte längre.",
        );
    };
    let form = SourceForm::new(&source_schema(kind), source.config.as_ref().unwrap_or(&Value::Null));
    form_page(&web, &signed, StatusCode::OK, Some((&source.id, source.revision.unwrap_or_default())), kind, form, None)
}

/// A source saved through the API, for a change; the config file's are shown as read-only.
async fn saved(web: &Web, signed: &Signed, id: &str) -> Result<AdminSource, Response> {
    #[derive(Deserialize)]
    struct Data {
        source: AdminSource,
    }
    let document =
        "query Source($id: ID!) { source(id: $id) { id municipality kind enabled managedBy revision config } }";
    let data: Data =
        ask(&web.app, signed, document, json!({ "id": id })).await.map_err(|refusal| refused(web, signed, &refusal))?;
    if data.source.managed_by != "API" {
        return Err(super::message(
            web,
            StatusCode::CONFLICT,
            Some(Bar::of(signed)),
            "Källan ändras i konfigurationsfilen",
            "Den här källan kommer från tjänstens konfigurationsfil och kan bara ändras där, av den som driftar tjänsten.",
        ));
    }
    Ok(data.source)
}

pub async fn post_edit_source(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    submit(&web, &visit, Some(id), posted).await
}

/// A posted source form: read it, then dry run it or save it through the API, or show it
/// again with every problem at its field and everything typed kept.
async fn submit(web: &Web, visit: &Visit, edit: Option<String>, posted: HashMap<String, String>) -> Response {
    let signed = match checked(web, visit, posted.get(CSRF_FIELD).map(String::as_str)).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Some(kind) = posted.get("connector.kind").and_then(|name| kind_named(name)) else {
        return super::message(
            web,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(Bar::of(&signed)),
            "Okänd typ",
            "Formuläret angav ingen känd typ av koppling.",
        );
    };
    let revision: u32 = posted.get("revision").and_then(|r| r.parse().ok()).unwrap_or_default();
    let mut form = SourceForm::new(&source_schema(kind), &Value::Null);
    let draft = form.read(&posted);
    let edit_of = edit.as_deref().map(|id| (id, revision));
    let show = |form: SourceForm, status: StatusCode, dry_run: Option<DryRun>| {
        form_page(web, &signed, status, edit_of, kind, form, dry_run)
    };
    if form.has_problems() {
        // Values the form could not read are left out; the API names every other problem.
        let check = "mutation Check($config: JSON!) { validateSource(config: $config) { problems { field message } } }";
        match api::problems(&web.app, &signed, check, json!({ "config": draft })).await {
            Ok(problems) => form.place(problems),
            Err(refusal) => return answer_refusal(web, &signed, form, refusal, show),
        }
        return show(form, StatusCode::UNPROCESSABLE_ENTITY, None);
    }
    if posted.get("action").map(String::as_str) == Some("dry_run") {
        let document = "mutation DryRun($config: JSON!) { dryRunSource(config: $config) {
            offerings courses providers rejected error
            samples { title start municipality }
            rejections { field reason count examples { upstreamId value } }
        } }";
        #[derive(Deserialize)]
        struct Data {
            #[serde(rename = "dryRunSource")]
            dry_run: DryRun,
        }
        return match ask::<Data>(&web.app, &signed, document, json!({ "config": draft })).await {
            Ok(data) => show(form, StatusCode::OK, Some(data.dry_run)),
            Err(refusal) => answer_refusal(web, &signed, form, refusal, show),
        };
    }
    #[derive(Deserialize)]
    struct Saved {
        id: String,
        revision: u32,
    }
    let saved = match &edit {
        None => {
            #[derive(Deserialize)]
            struct Data {
                #[serde(rename = "createSource")]
                saved: Saved,
            }
            let document = "mutation Create($config: JSON!) { createSource(config: $config) { id revision } }";
            ask::<Data>(&web.app, &signed, document, json!({ "config": draft })).await.map(|data| data.saved)
        }
        Some(id) => {
            #[derive(Deserialize)]
            struct Data {
                #[serde(rename = "updateSource")]
                saved: Saved,
            }
            let document = "mutation Update($id: ID!, $revision: Int!, $config: JSON!) {
                updateSource(id: $id, revision: $revision, config: $config) { id revision } }";
            let variables = json!({ "id": id, "revision": revision, "config": draft });
            ask::<Data>(&web.app, &signed, document, variables).await.map(|data| data.saved)
        }
    };
    match saved {
        Ok(saved) => Redirect::to(&format!("/admin/kallor/{}?sparad={}", saved.id, saved.revision)).into_response(),
        Err(refusal) => answer_refusal(web, &signed, form, refusal, show),
    }
}

/// The API's refusal of a form: its problems at their fields (a permission among them too,
/// such as a private network), a conflict or a bad input at the top of the form; anything else
/// as its own page.
fn answer_refusal(
    web: &Web,
    signed: &Signed,
    mut form: SourceForm,
    refusal: Refusal,
    show: impl FnOnce(SourceForm, StatusCode, Option<DryRun>) -> Response,
) -> Response {
    if !refusal.problems.is_empty() {
        form.place(refusal.problems);
        return show(form, StatusCode::UNPROCESSABLE_ENTITY, None);
    }
    match refusal.code.as_str() {
        "CONFLICT" => {
            form.problems.push(Message::swedish(refusal.swedish()));
            show(form, StatusCode::CONFLICT, None)
        }
        "BAD_USER_INPUT" => {
            form.problems.push(Message::english(refusal.message));
            show(form, StatusCode::UNPROCESSABLE_ENTITY, None)
        }
        _ => refused(web, signed, &refusal),
    }
}

#[derive(Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: Option<String>,
    #[serde(default)]
    revision: Option<u32>,
    #[serde(default)]
    enabled: Option<String>,
}

pub async fn harvest_now(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    run(&web, &visit, &id, form, "harvestNow").await
}

pub async fn accept_held_run(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    run(&web, &visit, &id, form, "acceptHeldRun").await
}

async fn run(web: &Web, visit: &Visit, id: &str, form: ActionForm, mutation: &str) -> Response {
    let signed = match checked(web, visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let document = format!("mutation Run($id: ID!) {{ result: {mutation}(id: $id) {{ outcome error }} }}");
    #[derive(Deserialize)]
    struct Data {
        result: Outcome,
    }
    #[derive(Deserialize)]
    struct Outcome {
        outcome: String,
    }
    match ask::<Data>(&web.app, &signed, &document, json!({ "id": id })).await {
        Ok(data) => Redirect::to(&format!("/admin/kallor/{id}?skord={}", data.result.outcome)).into_response(),
        Err(refusal) => refused(web, &signed, &refusal),
    }
}

pub async fn set_enabled(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let enabled = form.enabled.as_deref() == Some("true");
    let document = "mutation Enable($id: ID!, $revision: Int!, $enabled: Boolean!) {
        setSourceEnabled(id: $id, revision: $revision, enabled: $enabled) { id revision } }";
    let variables = json!({ "id": id, "revision": form.revision.unwrap_or_default(), "enabled": enabled });
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "setSourceEnabled")]
        saved: Saved,
    }
    #[derive(Deserialize)]
    struct Saved {
        revision: u32,
    }
    match ask::<Data>(&web.app, &signed, document, variables).await {
        Ok(data) => Redirect::to(&format!("/admin/kallor/{id}?sparad={}", data.saved.revision)).into_response(),
        Err(refusal) => refused(&web, &signed, &refusal),
    }
}

pub async fn confirm_delete(State(web): State<Web>, signed: Signed, Path(id): Path<String>) -> Response {
    let source = match saved(&web, &signed, &id).await {
        Ok(source) => source,
        Err(response) => return response,
    };
    let offerings = statuses(&web).await.get(&source.id).map_or(0, |s| s.offering_count);
    let id = source.id;
    let page = ConfirmDelete {
        frame: frame(&web, format!("Ta bort {id}"), ""),
        bar: Some(Bar::of(&signed)),
        heading: format!("Ta bort källan {id}?"),
        text: format!(
            "Källans {offerings} erbjudanden dras tillbaka ur katalogen. Körningarna finns kvar i historiken och ändringen skrivs i loggen. Det går inte att ångra."
        ),
        action: format!("/admin/kallor/{id}/ta-bort"),
        revision: Some(source.revision.unwrap_or_default()),
        confirm: format!("Ja, ta bort {id}"),
        back: format!("/admin/kallor/{id}"),
        back_text: "Nej, tillbaka till källan".to_owned(),
    };
    render(StatusCode::OK, &page)
}

pub async fn delete(
    State(web): State<Web>,
    visit: Visit,
    Path(id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let document = "mutation Delete($id: ID!, $revision: Int!) { deleteSource(id: $id, revision: $revision) { id } }";
    let variables = json!({ "id": id, "revision": form.revision.unwrap_or_default() });
    match ask::<Value>(&web.app, &signed, document, variables).await {
        Ok(_) => Redirect::to(&format!("/admin?borttagen={id}")).into_response(),
        Err(refusal) => refused(&web, &signed, &refusal),
    }
}
