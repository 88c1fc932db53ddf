//! The registry pages: the region's registries (guidance services, validation offers, prices,
//! occupation links), the entries of each the admin may change, and adding, editing and
//! deleting one entry through a form generated from the registry's column description (the
//! admin API's `registryColumns`, from `cli::registry::columns`, the one description the
//! import file shares). Each page asks the admin API ([`super::api::ask`]): which entries an
//! admin sees, and whether a change is allowed, is the API's answer, so a municipal admin sees
//! the entries serving only their municipalities and a forged post for another's is refused,
//! audited and saves nothing.
//!
//! The form is built of [`super::form`]'s inputs: a select for a choice, a check box per value
//! for a list of choices (municipalities, channels, target groups), a text area for a free list
//! (one per line), a check box for yes or no, a text input for everything else, and the opening
//! hours as one input per weekday (`08:00-12:00, 13:00-16:00`), read back into the import's
//! `Mon 08:00-12:00` list. Every value is checked by the import's own code through the API
//! (`validateRegistryEntry`, then `createRegistryEntry` or `updateRegistryEntry`), whose
//! problems are shown at their column's input with what was typed kept.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveTime;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::api::{self, Refusal, ask};
use super::form::{Choice, Control, Input, Message, Section, SourceForm, shown};
use super::session::{CSRF_FIELD, Signed, Visit};
use super::{Bar, ConfirmDelete, checked, frame, refused};
use crate::web::{Frame, Web, render};

/// The registries the pages edit, in the order the pages list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registry {
    GuidanceServices,
    ValidationOffers,
    Prices,
    OccupationLinks,
}

impl Registry {
    pub const ALL: [Registry; 4] =
        [Self::GuidanceServices, Self::ValidationOffers, Self::Prices, Self::OccupationLinks];

    /// The registry's part of the pages' paths.
    pub fn slug(self) -> &'static str {
        match self {
            Self::GuidanceServices => "vagledning",
            Self::ValidationOffers => "validering",
            Self::Prices => "priser",
            Self::OccupationLinks => "yrkeskopplingar",
        }
    }

    fn of(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|registry| registry.slug() == slug)
    }

    /// The admin API's `Registry` value.
    fn api(self) -> &'static str {
        match self {
            Self::GuidanceServices => "GUIDANCE_SERVICES",
            Self::ValidationOffers => "VALIDATION_OFFERS",
            Self::Prices => "PRICES",
            Self::OccupationLinks => "OCCUPATION_LINKS",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::GuidanceServices => "Vägledning",
            Self::ValidationOffers => "Validering",
            Self::Prices => "Priser för interkommunal ersättning",
            Self::OccupationLinks => "Kopplingar till yrken",
        }
    }

    /// What the registry holds and who changes it.
    pub fn about(self) -> &'static str {
        match self {
            Self::GuidanceServices => {
                "Vägledningscentrum och lärcentrum: kanaler, språk, adress och öppettider. Kommunens administratör ändrar de som bara gäller den egna kommunen."
            }
            Self::ValidationOffers => {
                "Prövning och validering mot kurser och branschvalidering. Kommunens administratör ändrar de som bara gäller den egna kommunen."
            }
            Self::Prices => "Vad en hemkommun betalar en anordnande kommun. Ändras av regionens administratörer.",
            Self::OccupationLinks => {
                "Vilka kurser och yrkespaket som leder till vilka yrken. Ändras av regionens administratörer."
            }
        }
    }

    /// The columns the list shows of each entry.
    fn listed(self) -> &'static [&'static str] {
        match self {
            Self::GuidanceServices => &["name", "kind", "municipalities", "channels"],
            Self::ValidationOffers => &["title", "kind", "provider", "municipalities"],
            Self::Prices => {
                &["payer", "provider", "school_form", "course_code", "unit", "amount_sek", "valid_from", "valid_to"]
            }
            Self::OccupationLinks => &["course_code", "occupation_id"],
        }
    }

    /// Whether an entry can be changed, or only added and deleted (a link).
    fn updatable(self) -> bool {
        self != Self::OccupationLinks
    }

    fn path(self) -> String {
        format!("/admin/register/{}", self.slug())
    }
}

/// A column as the admin API describes it.
#[derive(Debug, Clone, Deserialize)]
struct ColumnData {
    name: String,
    label: String,
    shape: String,
    required: bool,
    values: Vec<AllowedData>,
    help: String,
}

#[derive(Debug, Clone, Deserialize)]
struct AllowedData {
    value: String,
    label: String,
}

impl ColumnData {
    /// A value as the list shows it: a list joined, a code by its label.
    fn show(&self, value: Option<&Value>) -> String {
        let label = |text: &str| {
            self.values
                .iter()
                .find(|allowed| allowed.value == text)
                .map_or_else(|| text.to_owned(), |a| a.label.clone())
        };
        match value {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => label(text),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map_or_else(|| item.to_string(), label))
                .collect::<Vec<_>>()
                .join(", "),
            Some(Value::Bool(yes)) => if *yes { "Ja" } else { "Nej" }.to_owned(),
            Some(other) => other.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct RowData {
    key: String,
    entry: Value,
}

async fn columns(web: &Web, signed: &Signed, registry: Registry) -> Result<Vec<ColumnData>, Refusal> {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "registryColumns")]
        columns: Vec<ColumnData>,
    }
    let document = "query Columns($r: Registry!) {
        registryColumns(registry: $r) { name label shape required values { value label } help } }";
    ask::<Data>(&web.app, signed, document, json!({ "r": registry.api() })).await.map(|data| data.columns)
}

async fn entries(web: &Web, signed: &Signed, registry: Registry) -> Result<Vec<RowData>, Refusal> {
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "registryEntries")]
        entries: Vec<RowData>,
    }
    let document = "query Entries($r: Registry!) { registryEntries(registry: $r) { key entry } }";
    ask::<Data>(&web.app, signed, document, json!({ "r": registry.api() })).await.map(|data| data.entries)
}

/// The page for a path naming no registry.
fn unknown(web: &Web, signed: &Signed) -> Response {
    super::message(web, StatusCode::NOT_FOUND, Some(Bar::of(signed)), "Finns inte", "Det finns inget sådant register.")
}

/// The page for a refusal of a registry change: who may change what, and that nothing was saved.
fn forbidden(web: &Web, signed: &Signed) -> Response {
    super::message(
        web,
        StatusCode::FORBIDDEN,
        Some(Bar::of(signed)),
        "Ingen behörighet",
        "Din nyckel får inte ändra den här posten. En kommuns administratör ändrar bara vägledning och validering som enbart gäller de egna kommunerna; priser och kopplingar till yrken ändras av regionens administratörer. Inget sparades.",
    )
}

/// The page for a refusal of the API: who may change what for `FORBIDDEN`.
fn refusal_page(web: &Web, signed: &Signed, refusal: &Refusal) -> Response {
    match refusal.code.as_str() {
        "FORBIDDEN" => forbidden(web, signed),
        _ => refused(web, signed, refusal),
    }
}

/// A registry on the index page.
#[derive(Debug)]
pub struct RegistryLink {
    pub href: String,
    pub title: &'static str,
    pub about: &'static str,
}

#[derive(Template)]
#[template(path = "admin/registries.html")]
struct IndexPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    registries: Vec<RegistryLink>,
}

pub async fn index(State(web): State<Web>, signed: Signed) -> Response {
    let registries = Registry::ALL
        .into_iter()
        .map(|registry| RegistryLink { href: registry.path(), title: registry.title(), about: registry.about() })
        .collect();
    let page = IndexPage { frame: frame(&web, "Register", "/admin/register"), bar: Some(Bar::of(&signed)), registries };
    render(StatusCode::OK, &page)
}

/// An entry on a registry's list.
#[derive(Debug)]
pub struct ListedRow {
    pub key: String,
    /// The key in a query string.
    pub query: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/registry.html")]
struct ListPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    title: &'static str,
    about: &'static str,
    path: String,
    updatable: bool,
    headings: Vec<String>,
    rows: Vec<ListedRow>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    sparad: Option<String>,
    #[serde(default)]
    borttagen: Option<String>,
}

pub async fn list(
    State(web): State<Web>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Response {
    let Some(registry) = Registry::of(&slug) else { return unknown(&web, &signed) };
    let rows = match entries(&web, &signed, registry).await {
        Ok(rows) => rows,
        Err(refusal) => return refusal_page(&web, &signed, &refusal),
    };
    let columns = match columns(&web, &signed, registry).await {
        Ok(columns) => columns,
        Err(refusal) => return refusal_page(&web, &signed, &refusal),
    };
    let listed: Vec<&ColumnData> =
        registry.listed().iter().filter_map(|name| columns.iter().find(|column| column.name == *name)).collect();
    let rows = rows
        .into_iter()
        .map(|row| ListedRow {
            query: encode(&row.key),
            cells: listed.iter().map(|column| column.show(row.entry.get(&column.name))).collect(),
            key: row.key,
        })
        .collect();
    let notice = match (query.sparad, query.borttagen) {
        (Some(key), _) => Some(format!("{key} är sparad. Ändringen syns på portalen direkt.")),
        (None, Some(key)) => Some(format!("{key} är borttagen.")),
        (None, None) => None,
    };
    let page = ListPage {
        frame: frame(&web, registry.title(), "/admin/register"),
        bar: Some(Bar::of(&signed)),
        title: registry.title(),
        about: registry.about(),
        path: registry.path(),
        updatable: registry.updatable(),
        headings: listed.iter().map(|column| column.label.clone()).collect(),
        rows,
        notice,
    };
    render(StatusCode::OK, &page)
}

/// The weekdays of the opening hours: the import's name and the Swedish one.
const WEEKDAYS: [(&str, &str); 7] = [
    ("Mon", "Måndag"),
    ("Tue", "Tisdag"),
    ("Wed", "Onsdag"),
    ("Thu", "Torsdag"),
    ("Fri", "Fredag"),
    ("Sat", "Lördag"),
    ("Sun", "Söndag"),
];

/// The form of an entry of `registry` with `columns`, showing `entry` (a saved entry or
/// defaults); with `key`, the key is fixed (an edit).
fn entry_form(registry: Registry, columns: &[ColumnData], entry: &Value, key: Option<&str>) -> SourceForm {
    let mut main = Section {
        path: String::new(),
        legend: registry.title().to_owned(),
        help: None,
        inputs: Vec::new(),
        problems: Vec::new(),
    };
    let mut sections = Vec::new();
    for column in columns {
        let help = (!column.help.is_empty()).then(|| column.help.clone());
        if column.shape == "OPENING_HOURS" {
            sections.push(opening_hours(column, help, entry.get(&column.name)));
            continue;
        }
        let mut choices: Vec<Choice> =
            column.values.iter().map(|v| Choice { value: v.value.clone(), label: v.label.clone() }).collect();
        let control = match column.shape.as_str() {
            "CHOICE" => {
                choices.insert(0, Choice { value: String::new(), label: "(välj)".to_owned() });
                Control::Select
            }
            "CHOICES" => Control::Choices,
            "LIST" => Control::Lines,
            "BOOLEAN" => Control::Checkbox,
            _ if column.name == "key" && key.is_some() => Control::Fixed,
            _ => Control::Text,
        };
        let value = match (control, entry.get(&column.name)) {
            (Control::Fixed, _) => key.unwrap_or_default().to_owned(),
            (_, Some(value)) if !value.is_null() => shown(value, control),
            (Control::Checkbox, _) => "false".to_owned(),
            _ => String::new(),
        };
        main.inputs.push(Input {
            name: column.name.clone(),
            id: format!("f-{}", column.name.replace('_', "-")),
            label: column.label.clone(),
            help,
            control,
            choices,
            required: column.required,
            max_length: None,
            minimum: None,
            maximum: None,
            value,
            problems: Vec::new(),
        });
    }
    sections.insert(0, main);
    SourceForm { sections, problems: Vec::new(), help_lang: "sv" }
}

/// The opening hours as a section of one input per weekday, showing `saved` (the import's
/// list, `Mon 08:00-12:00`) as `08:00-12:00, 13:00-16:00` at its day.
fn opening_hours(column: &ColumnData, help: Option<String>, saved: Option<&Value>) -> Section {
    let openings: Vec<&str> = saved.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let inputs = WEEKDAYS
        .into_iter()
        .map(|(day, label)| {
            let value = openings
                .iter()
                .filter_map(|opening| opening.strip_prefix(day).and_then(|rest| rest.strip_prefix(' ')))
                .collect::<Vec<_>>()
                .join(", ");
            Input {
                name: format!("{}.{day}", column.name),
                id: format!("f-{}-{}", column.name.replace('_', "-"), day.to_lowercase()),
                label: label.to_owned(),
                help: None,
                control: Control::Text,
                choices: Vec::new(),
                required: false,
                max_length: None,
                minimum: None,
                maximum: None,
                value,
                problems: Vec::new(),
            }
        })
        .collect();
    Section { path: column.name.clone(), legend: column.label.clone(), help, inputs, problems: Vec::new() }
}

/// Turns the draft's opening hours (a text per weekday) into the import's list
/// (`Mon 08:00-12:00`); a time that is not `HH:MM-HH:MM` is a problem at its day, left out.
fn read_opening_hours(form: &mut SourceForm, draft: &mut Value) {
    let Some(entry) = draft.as_object_mut() else { return };
    let Some(Value::Object(days)) = entry.remove("opening_hours") else { return };
    let mut openings = Vec::new();
    for input in form.sections.iter_mut().flat_map(|section| &mut section.inputs) {
        let Some(day) = input.name.strip_prefix("opening_hours.") else { continue };
        let Some(text) = days.get(day).and_then(Value::as_str) else { continue };
        for part in text.split([',', ';']).map(str::trim).filter(|part| !part.is_empty()) {
            let times = part.split_once('-').map(|(opens, closes)| {
                (NaiveTime::parse_from_str(opens.trim(), "%H:%M"), NaiveTime::parse_from_str(closes.trim(), "%H:%M"))
            });
            match times {
                Some((Ok(opens), Ok(closes))) => {
                    openings.push(Value::from(format!("{day} {}-{}", opens.format("%H:%M"), closes.format("%H:%M"))))
                }
                _ => input.problems.push(Message::swedish(format!("”{part}” är inte en tid som 08:00-16:00"))),
            }
        }
    }
    if !openings.is_empty() {
        entry.insert("opening_hours".to_owned(), Value::Array(openings));
    }
}

#[derive(Template)]
#[template(path = "admin/registry_form.html")]
struct FormPage<'a> {
    frame: Frame<'a>,
    bar: Option<Bar>,
    heading: String,
    action: String,
    back: String,
    form: SourceForm,
}

impl FormPage<'_> {
    pub fn summary(&self) -> Vec<(String, String, Message)> {
        self.form.summary("Posten")
    }
}

fn form_page(
    web: &Web,
    signed: &Signed,
    status: StatusCode,
    registry: Registry,
    key: Option<&str>,
    form: SourceForm,
) -> Response {
    let (heading, action) = match key {
        Some(key) => (format!("Ändra {key}"), format!("{}/andra?nyckel={}", registry.path(), encode(key))),
        None => (format!("Ny post: {}", registry.title()), format!("{}/ny", registry.path())),
    };
    let title = if form.has_problems() { format!("Fel i formuläret: {heading}") } else { heading.clone() };
    let page = FormPage {
        frame: frame(web, title, "/admin/register"),
        bar: Some(Bar::of(signed)),
        heading,
        action,
        back: registry.path(),
        form,
    };
    render(status, &page)
}

pub async fn new_entry(State(web): State<Web>, signed: Signed, Path(slug): Path<String>) -> Response {
    let Some(registry) = Registry::of(&slug) else { return unknown(&web, &signed) };
    let columns = match columns(&web, &signed, registry).await {
        Ok(columns) => columns,
        Err(refusal) => return refusal_page(&web, &signed, &refusal),
    };
    // A municipal admin's new entry serves their municipalities to begin with.
    let mut defaults = Map::new();
    if matches!(registry, Registry::GuidanceServices | Registry::ValidationOffers) {
        let own: Vec<Value> = signed.caller.municipalities().iter().map(|code| Value::from(code.as_str())).collect();
        defaults.insert("municipalities".to_owned(), Value::Array(own));
    }
    let form = entry_form(registry, &columns, &Value::Object(defaults), None);
    form_page(&web, &signed, StatusCode::OK, registry, None, form)
}

pub async fn post_new_entry(
    State(web): State<Web>,
    visit: Visit,
    Path(slug): Path<String>,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    submit(&web, &visit, &slug, None, posted).await
}

#[derive(Deserialize)]
pub struct KeyQuery {
    #[serde(default)]
    nyckel: String,
}

/// The entry with `key` among those the admin may change, or the page saying there is none.
async fn saved(web: &Web, signed: &Signed, registry: Registry, key: &str) -> Result<Value, Response> {
    let rows = entries(web, signed, registry).await.map_err(|refusal| refusal_page(web, signed, &refusal))?;
    rows.into_iter().find(|row| row.key == key).map(|row| row.entry).ok_or_else(|| {
        super::message(
            web,
            StatusCode::NOT_FOUND,
            Some(Bar::of(signed)),
            "Finns inte",
            "Det finns ingen sådan post som du får ändra. Den kan ha tagits bort, eller gälla andra kommuner än dina.",
        )
    })
}

pub async fn edit_entry(
    State(web): State<Web>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(query): Query<KeyQuery>,
) -> Response {
    let Some(registry) = Registry::of(&slug).filter(|registry| registry.updatable()) else {
        return unknown(&web, &signed);
    };
    let entry = match saved(&web, &signed, registry, &query.nyckel).await {
        Ok(entry) => entry,
        Err(response) => return response,
    };
    let columns = match columns(&web, &signed, registry).await {
        Ok(columns) => columns,
        Err(refusal) => return refusal_page(&web, &signed, &refusal),
    };
    let form = entry_form(registry, &columns, &entry, Some(&query.nyckel));
    form_page(&web, &signed, StatusCode::OK, registry, Some(&query.nyckel), form)
}

pub async fn post_edit_entry(
    State(web): State<Web>,
    visit: Visit,
    Path(slug): Path<String>,
    Query(query): Query<KeyQuery>,
    Form(posted): Form<HashMap<String, String>>,
) -> Response {
    submit(&web, &visit, &slug, Some(query.nyckel), posted).await
}

/// A posted entry form: read it, then save it through the API, or show it again with every
/// problem at its field and everything typed kept.
async fn submit(
    web: &Web,
    visit: &Visit,
    slug: &str,
    key: Option<String>,
    posted: HashMap<String, String>,
) -> Response {
    let signed = match checked(web, visit, posted.get(CSRF_FIELD).map(String::as_str)).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Some(registry) = Registry::of(slug).filter(|registry| key.is_none() || registry.updatable()) else {
        return unknown(web, &signed);
    };
    let columns = match columns(web, &signed, registry).await {
        Ok(columns) => columns,
        Err(refusal) => return refusal_page(web, &signed, &refusal),
    };
    let mut form = entry_form(registry, &columns, &Value::Null, key.as_deref());
    let mut draft = form.read(&posted);
    read_opening_hours(&mut form, &mut draft);
    let show = |form: SourceForm, status: StatusCode| form_page(web, &signed, status, registry, key.as_deref(), form);
    let variables = json!({ "r": registry.api(), "e": draft });
    if form.has_problems() {
        // Values the form could not read are left out; the API names every other problem.
        let check = "mutation Check($r: Registry!, $e: JSON!) {
            validateRegistryEntry(registry: $r, entry: $e) { problems { field message } } }";
        return match api::problems(&web.app, &signed, check, variables).await {
            Ok(problems) => {
                form.place(problems);
                show(form, StatusCode::UNPROCESSABLE_ENTITY)
            }
            Err(refusal) => answer_refusal(web, &signed, form, refusal, show),
        };
    }
    let document = match key {
        None => "mutation Create($r: Registry!, $e: JSON!) { createRegistryEntry(registry: $r, entry: $e) { key } }",
        Some(_) => "mutation Update($r: Registry!, $e: JSON!) { updateRegistryEntry(registry: $r, entry: $e) { key } }",
    };
    #[derive(Deserialize)]
    struct Data {
        #[serde(rename = "createRegistryEntry", alias = "updateRegistryEntry")]
        saved: Saved,
    }
    match ask::<Data>(&web.app, &signed, document, variables).await {
        Ok(data) => Redirect::to(&format!("{}?sparad={}", registry.path(), encode(&data.saved.key))).into_response(),
        Err(refusal) => answer_refusal(web, &signed, form, refusal, show),
    }
}

#[derive(Deserialize)]
struct Saved {
    key: String,
}

/// The API's refusal of a form: its problems at their columns' inputs (a taken key at the
/// key); a refusal of who may change what shown above the form, with what was typed kept;
/// anything else as its own page.
fn answer_refusal(
    web: &Web,
    signed: &Signed,
    mut form: SourceForm,
    refusal: Refusal,
    show: impl FnOnce(SourceForm, StatusCode) -> Response,
) -> Response {
    if !refusal.problems.is_empty() {
        form.place(refusal.problems);
        return show(form, StatusCode::UNPROCESSABLE_ENTITY);
    }
    match (refusal.code.as_str(), refusal.argument.as_deref().and_then(|a| a.strip_prefix("entry."))) {
        ("BAD_USER_INPUT", Some(column)) => {
            form.place([(column.to_owned(), refusal.message.clone())]);
            show(form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        ("BAD_USER_INPUT", None) => {
            form.problems.push(Message::english(refusal.message));
            show(form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        ("FORBIDDEN", _) => {
            form.problems.push(Message::swedish(
                "Din nyckel får inte spara den här posten: en kommuns administratör ändrar bara vägledning och validering som enbart gäller de egna kommunerna, och priser och kopplingar till yrken ändras av regionens administratörer.",
            ));
            show(form, StatusCode::FORBIDDEN)
        }
        _ => refused(web, signed, &refusal),
    }
}

pub async fn confirm_delete(
    State(web): State<Web>,
    signed: Signed,
    Path(slug): Path<String>,
    Query(query): Query<KeyQuery>,
) -> Response {
    let Some(registry) = Registry::of(&slug) else { return unknown(&web, &signed) };
    if let Err(response) = saved(&web, &signed, registry, &query.nyckel).await {
        return response;
    }
    let key = &query.nyckel;
    let page = ConfirmDelete {
        frame: frame(&web, format!("Ta bort {key}"), "/admin/register"),
        bar: Some(Bar::of(&signed)),
        heading: format!("Ta bort {key}?"),
        text: "Posten försvinner från portalen direkt. Ändringen skrivs i loggen, med posten som den var, så att den kan läggas tillbaka. Det går inte att ångra här.".to_owned(),
        action: format!("{}/ta-bort?nyckel={}", registry.path(), encode(key)),
        revision: None,
        confirm: format!("Ja, ta bort {key}"),
        back: registry.path(),
        back_text: format!("Nej, tillbaka till {}", registry.title().to_lowercase()),
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: Option<String>,
}

pub async fn delete(
    State(web): State<Web>,
    visit: Visit,
    Path(slug): Path<String>,
    Query(query): Query<KeyQuery>,
    Form(form): Form<CsrfForm>,
) -> Response {
    let signed = match checked(&web, &visit, form.csrf.as_deref()).await {
        Ok(signed) => signed,
        Err(response) => return response,
    };
    let Some(registry) = Registry::of(&slug) else { return unknown(&web, &signed) };
    let document = "mutation Delete($r: Registry!, $k: String!) { deleteRegistryEntry(registry: $r, key: $k) { key } }";
    match ask::<Value>(&web.app, &signed, document, json!({ "r": registry.api(), "k": query.nyckel })).await {
        Ok(_) => Redirect::to(&format!("{}?borttagen={}", registry.path(), encode(&query.nyckel))).into_response(),
        Err(refusal) => refusal_page(&web, &signed, &refusal),
    }
}

/// A key in a query string (a link's has a `/`).
fn encode(key: &str) -> String {
    form_urlencoded::byte_serialize(key.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opening_hours_column() -> ColumnData {
        ColumnData {
            name: "opening_hours".to_owned(),
            label: "Öppettider".to_owned(),
            shape: "OPENING_HOURS".to_owned(),
            required: false,
            values: Vec::new(),
            help: String::new(),
        }
    }

    #[test]
    fn opening_hours_are_one_input_per_weekday_and_read_back_into_the_imports_list() {
        let saved = json!({ "opening_hours": ["Mon 08:00-12:00", "Mon 13:00-16:00", "Thu 13:00-19:00"] });
        let form = entry_form(Registry::GuidanceServices, &[opening_hours_column()], &saved, None);
        let shown: Vec<(&str, &str)> = form
            .inputs()
            .map(|input| (input.name.as_str(), input.value.as_str()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        assert_eq!(shown, [("opening_hours.Mon", "08:00-12:00, 13:00-16:00"), ("opening_hours.Thu", "13:00-19:00")]);

        let posted: HashMap<String, String> =
            form.inputs().map(|input| (input.name.clone(), input.value.clone())).collect();
        let mut form = entry_form(Registry::GuidanceServices, &[opening_hours_column()], &Value::Null, None);
        let mut draft = form.read(&posted);
        read_opening_hours(&mut form, &mut draft);
        assert!(!form.has_problems());
        assert_eq!(draft, saved);
    }

    #[test]
    fn a_time_that_is_not_hours_and_minutes_is_a_problem_at_its_day_and_is_kept_as_typed() {
        let mut form = entry_form(Registry::GuidanceServices, &[opening_hours_column()], &Value::Null, None);
        let posted: HashMap<String, String> = [
            ("opening_hours.Tue".to_owned(), "8-12".to_owned()),
            ("opening_hours.Wed".to_owned(), "09:00-11:00".to_owned()),
        ]
        .into_iter()
        .collect();
        let mut draft = form.read(&posted);
        read_opening_hours(&mut form, &mut draft);
        let tuesday = form.inputs().find(|input| input.name == "opening_hours.Tue").expect("Tuesday");
        assert_eq!(tuesday.value, "8-12");
        assert_eq!(tuesday.problems, vec![Message::swedish("”8-12” är inte en tid som 08:00-16:00")]);
        assert_eq!(draft, json!({ "opening_hours": ["Wed 09:00-11:00"] }));
    }
}
