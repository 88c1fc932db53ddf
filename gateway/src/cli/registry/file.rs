//! Registry files: one registry's rows as CSV (a header line, then one row per line) or JSON
//! (an array of objects with the CSV's column names as keys). The columns of each kind are
//! described in `columns.rs` ([`RegistryKind::describe`]); docs/registries.md lists them.
//!
//! Reading is all or nothing: every row is parsed and validated (the schema's constructors,
//! the region, the pinned taxonomy), every problem is collected with its row and column, and
//! rows come back only when there is none. Rows are counted from 1 without the header (in
//! JSON, the array's elements from 1). In a CSV cell a list is separated by `|`; in JSON it is
//! an array of strings. An empty cell (or a JSON `null`) is an absent value.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime, Weekday};
use vuxnav_schema::{
    AmountSek, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Language,
    Location, ModelError, MunicipalityCode, OccupationLink, OpeningHours, Party, Payer, PriceList, PriceListEntry,
    PriceScope, PriceUnit, Region, RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy, ValidationKind,
    ValidationOffer, Validity,
};
use vuxnav_store::RegistryRows;

/// The registries a file can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RegistryKind {
    OccupationLinks,
    ValidationOffers,
    GuidanceServices,
    Prices,
}

/// The format of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// From a file name's extension, `.csv` or `.json`.
    pub fn of(path: &std::path::Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// A problem of a file, with the row (0 for the file as a whole or its header) and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: String,
    pub reason: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.row, self.column.as_str()) {
            (0, "") => write!(f, "{}", self.reason),
            (0, column) => write!(f, "header, column `{column}`: {}", self.reason),
            (row, "") => write!(f, "row {row}: {}", self.reason),
            (row, column) => write!(f, "row {row}, column `{column}`: {}", self.reason),
        }
    }
}

/// What reading a file checks against.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub region: &'a Region,
    pub taxonomy: &'a Taxonomy,
}

/// Reads a registry file: its rows when every one is valid, or every problem found.
pub fn read(
    kind: RegistryKind,
    format: Format,
    bytes: &[u8],
    context: Context<'_>,
) -> Result<RegistryRows, Vec<Problem>> {
    let rows = match format {
        Format::Csv => csv_rows(kind, bytes)?,
        Format::Json => json_rows(kind, bytes)?,
    };
    let mut problems = Vec::new();
    let rows = match kind {
        RegistryKind::OccupationLinks => RegistryRows::OccupationLinks(
            each(&rows, &mut problems, |c| link(c, context)).into_iter().map(|(_, l)| l).collect(),
        ),
        RegistryKind::ValidationOffers => {
            let offers = each(&rows, &mut problems, |c| validation_offer(c, context));
            unique_keys(offers.iter().map(|(row, o)| (*row, &o.key)), &mut problems);
            RegistryRows::ValidationOffers(offers.into_iter().map(|(_, o)| o).collect())
        }
        RegistryKind::GuidanceServices => {
            let services = each(&rows, &mut problems, |c| guidance_service(c, context));
            unique_keys(services.iter().map(|(row, s)| (*row, &s.key)), &mut problems);
            RegistryRows::GuidanceServices(services.into_iter().map(|(_, s)| s).collect())
        }
        RegistryKind::Prices => {
            let entries = each(&rows, &mut problems, |c| price(c, context));
            let (numbers, entries): (Vec<usize>, Vec<PriceListEntry>) = entries.into_iter().unzip();
            if let Err((index, error)) = PriceList::check(&entries) {
                problems.push(Problem { row: numbers[index], column: column_of(error.field), reason: error.reason });
            }
            RegistryRows::Prices(entries)
        }
    };
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// The rows as a JSON registry file holds them, with every column of the kind (absent
/// values empty): what `read` reads back into the same rows.
pub fn to_json(rows: &RegistryRows) -> serde_json::Value {
    use serde_json::{Value, json};
    fn list<T: ToString>(items: impl IntoIterator<Item = T>) -> Value {
        Value::Array(items.into_iter().map(|i| Value::String(i.to_string())).collect())
    }
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let values: Vec<Value> = match rows {
        RegistryRows::OccupationLinks(links) => links
            .iter()
            .map(|l| json!({"course_code": l.course.as_str(), "occupation_id": l.occupation.as_str()}))
            .collect(),
        RegistryRows::ValidationOffers(offers) => offers
            .iter()
            .map(|o| {
                json!({
                    "key": o.key.as_str(),
                    "kind": o.kind.code(),
                    "title": o.title,
                    "course_codes": list(o.course_codes.iter().map(CourseCode::as_str)),
                    "occupations": list(o.occupations.iter().map(|id| id.as_str())),
                    "industry_model": o.industry_model.as_ref().map(|m| &m.name),
                    "industry_model_owner": o.industry_model.as_ref().map(|m| &m.owner),
                    "seqf_level": o.seqf_level.map(SeqfLevel::level),
                    "provider": o.provider,
                    "municipalities": list(&o.municipalities),
                    "languages": list(&o.languages),
                    "cost_sek": o.cost_sek,
                    "paid_by": o.paid_by.code(),
                    "contact": o.contact,
                    "valid_from": o.validity.from().to_string(),
                    "valid_to": date(o.validity.to()),
                })
            })
            .collect(),
        RegistryRows::GuidanceServices(services) => services
            .iter()
            .map(|s| {
                let openings = s
                    .opening_hours
                    .iter()
                    .map(|h| format!("{} {}-{}", h.weekday, h.opens.format("%H:%M"), h.closes.format("%H:%M")));
                json!({
                    "key": s.key.as_str(),
                    "kind": s.kind.code(),
                    "name": s.name,
                    "organiser": s.organiser,
                    "municipalities": list(&s.municipalities),
                    "channels": list(s.channels.iter().map(|c| c.code())),
                    "languages": list(&s.languages),
                    "target_groups": list(s.target_groups.iter().map(|t| t.code())),
                    "location_name": s.address.name,
                    "street_address": s.address.street_address,
                    "postal_code": s.address.postal_code,
                    "town": s.address.town,
                    "latitude": s.address.coordinates.map(|c| c.latitude),
                    "longitude": s.address.coordinates.map(|c| c.longitude),
                    "booking_url": s.booking_url,
                    "phone": s.phone,
                    "opening_hours": list(openings),
                    "draws_up_study_plan": s.draws_up_study_plan,
                })
            })
            .collect(),
        RegistryRows::Prices(entries) => entries
            .iter()
            .map(|e| {
                json!({
                    "key": e.key.as_str(),
                    "payer": e.payer.to_string(),
                    "provider": e.provider.to_string(),
                    "school_form": e.school_form.code(),
                    "course_code": match &e.scope {
                        PriceScope::Course(code) => Some(code.as_str()),
                        PriceScope::SchoolForm => None,
                    },
                    "unit": e.unit.code(),
                    "amount_sek": e.amount.to_string(),
                    "valid_from": e.validity.from().to_string(),
                    "valid_to": date(e.validity.to()),
                    "decision": e.decision,
                    "source": e.source.code(),
                })
            })
            .collect(),
    };
    Value::Array(values)
}

/// The registry a set of rows belongs to.
pub fn kind_of(rows: &RegistryRows) -> RegistryKind {
    match rows {
        RegistryRows::OccupationLinks(_) => RegistryKind::OccupationLinks,
        RegistryRows::ValidationOffers(_) => RegistryKind::ValidationOffers,
        RegistryRows::GuidanceServices(_) => RegistryKind::GuidanceServices,
        RegistryRows::Prices(_) => RegistryKind::Prices,
    }
}

/// The rows as a CSV registry file: a header of every column of the kind, then one line per
/// row (a list joined by `|`, an absent value empty): what `read` reads back into the same
/// rows.
pub fn to_csv(rows: &RegistryRows) -> Result<Vec<u8>, csv::Error> {
    use serde_json::Value;
    let columns = kind_of(rows).columns();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&columns)?;
    let json = to_json(rows);
    for row in json.as_array().into_iter().flatten() {
        let cell = |column: &str| match row.get(column) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text.clone(),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("|"),
            Some(other) => other.to_string(),
        };
        writer.write_record(columns.iter().map(|column| cell(column)))?;
    }
    writer.into_inner().map_err(|error| csv::Error::from(error.into_error()))
}

/// A row's cells by column: a text, or (JSON arrays, CSV cells of a list column) a list.
type Cells = BTreeMap<String, String>;

/// Parses each row with `parse`, collecting problems; returns the valid rows with their numbers.
fn each<T>(
    rows: &[(usize, Cells)],
    problems: &mut Vec<Problem>,
    parse: impl Fn(&mut Row<'_>) -> Option<T>,
) -> Vec<(usize, T)>
where
    T: Sized,
{
    let mut parsed = Vec::with_capacity(rows.len());
    for (number, cells) in rows {
        let mut row = Row { number: *number, cells, problems: Vec::new() };
        let value = parse(&mut row);
        match value {
            Some(value) if row.problems.is_empty() => parsed.push((*number, value)),
            _ => problems.append(&mut row.problems),
        }
    }
    parsed
}

fn unique_keys<'a>(keys: impl Iterator<Item = (usize, &'a RegistryKey)>, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<&RegistryKey, usize> = HashMap::new();
    for (row, key) in keys {
        if let Some(first) = seen.insert(key, row) {
            problems.push(Problem { row, column: "key".to_owned(), reason: format!("`{key}` is also in row {first}") });
        }
    }
}

/// The column a model field is read from: `validTo` is `valid_to`, `industryModel.name` is
/// `industry_model`.
/// The column of a model field: `validFrom` is `valid_from`.
pub fn column_of(field: &str) -> String {
    let field = field.split('.').next().unwrap_or(field);
    let mut column = String::new();
    for c in field.chars() {
        if c.is_ascii_uppercase() {
            column.push('_');
        }
        column.push(c.to_ascii_lowercase());
    }
    column
}

/// One row being read: its cells, and the problems found so far.
struct Row<'a> {
    number: usize,
    cells: &'a Cells,
    problems: Vec<Problem>,
}

impl Row<'_> {
    fn problem(&mut self, column: &str, reason: impl Into<String>) {
        self.problems.push(Problem { row: self.number, column: column.to_owned(), reason: reason.into() });
    }

    fn cell(&self, column: &str) -> Option<&str> {
        self.cells.get(column).map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// An optional value, parsed; a problem when it does not parse.
    fn optional<T>(&mut self, column: &str, parse: impl FnOnce(&str) -> Result<T, ModelError>) -> Option<Option<T>> {
        match self.cell(column).map(parse) {
            None => Some(None),
            Some(Ok(value)) => Some(Some(value)),
            Some(Err(error)) => {
                self.problem(column, error.reason);
                None
            }
        }
    }

    /// A required value, parsed.
    fn required<T>(&mut self, column: &str, parse: impl FnOnce(&str) -> Result<T, ModelError>) -> Option<T> {
        match self.optional(column, parse) {
            Some(Some(value)) => Some(value),
            Some(None) => {
                self.problem(column, "is required");
                None
            }
            None => None,
        }
    }

    fn text(&mut self, column: &str) -> Option<String> {
        self.required(column, |v| Ok(v.to_owned()))
    }

    fn optional_text(&mut self, column: &str) -> Option<String> {
        self.cell(column).map(str::to_owned)
    }

    /// A list separated by `|`, each item parsed; every bad item is a problem.
    fn list<T>(&mut self, column: &str, parse: impl Fn(&str) -> Result<T, ModelError>) -> Option<Vec<T>> {
        let items: Vec<String> = self
            .cell(column)
            .map(|v| v.split('|').map(|i| i.trim().to_owned()).filter(|i| !i.is_empty()).collect())
            .unwrap_or_default();
        let mut parsed = Vec::with_capacity(items.len());
        let mut ok = true;
        for item in items {
            match parse(&item) {
                Ok(value) => parsed.push(value),
                Err(error) => {
                    self.problem(column, error.reason);
                    ok = false;
                }
            }
        }
        ok.then_some(parsed)
    }

    /// A rule across fields; its problem goes to the column of the field it names.
    fn check(&mut self, result: Result<(), ModelError>) -> Option<()> {
        match result {
            Ok(()) => Some(()),
            Err(error) => {
                self.problem(&column_of(error.field), error.reason);
                None
            }
        }
    }

    fn validity(&mut self) -> Option<Validity> {
        let from = self.required("valid_from", date);
        let to = self.optional("valid_to", date);
        let validity = Validity::new(from?, to?);
        self.check(validity.as_ref().map(|_| ()).map_err(Clone::clone))?;
        validity.ok()
    }
}

fn date(value: &str) -> Result<NaiveDate, ModelError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| ModelError::new("date", format!("`{value}` is not a date such as `2026-08-17`")))
}

fn number(value: &str) -> Result<i64, ModelError> {
    value.parse().map_err(|_| ModelError::new("number", format!("`{value}` is not a whole number")))
}

fn decimal(value: &str) -> Result<f64, ModelError> {
    value
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| ModelError::new("number", format!("`{value}` is not a number")))
}

fn boolean(value: &str) -> Result<bool, ModelError> {
    match value.to_lowercase().as_str() {
        "true" | "ja" | "1" => Ok(true),
        "false" | "nej" | "0" => Ok(false),
        _ => Err(ModelError::new("boolean", format!("`{value}` is not `true` or `false`"))),
    }
}

/// One opening such as `Mon 08:00-16:00` (English weekday, three letters or whole).
fn opening(value: &str) -> Result<(Weekday, NaiveTime, NaiveTime), ModelError> {
    let error = || ModelError::new("openingHours", format!("`{value}` is not an opening such as `Mon 08:00-16:00`"));
    let (day, times) = value.split_once(' ').ok_or_else(error)?;
    let (opens, closes) = times.trim().split_once('-').ok_or_else(error)?;
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| error());
    Ok((day.parse().map_err(|_| error())?, time(opens)?, time(closes)?))
}

fn link(row: &mut Row<'_>, context: Context<'_>) -> Option<OccupationLink> {
    let course = row.required("course_code", CourseCode::parse);
    let occupation = row.required("occupation_id", |v| context.taxonomy.occupation_id(v));
    Some(OccupationLink { course: course?, occupation: occupation? })
}

fn validation_offer(row: &mut Row<'_>, context: Context<'_>) -> Option<ValidationOffer> {
    let key = row.required("key", RegistryKey::parse);
    let kind = row.required("kind", ValidationKind::parse);
    let title = row.text("title");
    let course_codes = row.list("course_codes", CourseCode::parse);
    let occupations = row.list("occupations", |v| context.taxonomy.occupation_id(v));
    let model_name = row.optional_text("industry_model");
    let model_owner = row.optional_text("industry_model_owner");
    let industry_model = match (model_name, model_owner) {
        (Some(name), Some(owner)) => Some(Some(IndustryModel { name, owner })),
        (None, None) => Some(None),
        (Some(_), None) => {
            row.problem("industry_model_owner", "is required with an industry model");
            None
        }
        (None, Some(_)) => {
            row.problem("industry_model", "is required with its owner");
            None
        }
    };
    let seqf_level = row.optional("seqf_level", |v| SeqfLevel::new(number(v)?));
    let provider = row.text("provider");
    let municipalities = row.list("municipalities", MunicipalityCode::parse);
    let languages = row.list("languages", Language::parse);
    let cost_sek = row.optional("cost_sek", |v| {
        u32::try_from(number(v)?).map_err(|_| ModelError::new("costSek", format!("{v} is not 0 or more kronor")))
    });
    let paid_by = row.required("paid_by", Payer::parse);
    let contact = row.text("contact");
    let validity = row.validity();
    let offer = ValidationOffer {
        key: key?,
        kind: kind?,
        title: title?,
        course_codes: course_codes?,
        occupations: occupations?,
        industry_model: industry_model?,
        seqf_level: seqf_level?,
        provider: provider?,
        municipalities: municipalities?,
        languages: languages?,
        cost_sek: cost_sek?,
        paid_by: paid_by?,
        contact: contact?,
        validity: validity?,
    };
    row.check(offer.validate(context.region))?;
    Some(offer)
}

fn guidance_service(row: &mut Row<'_>, context: Context<'_>) -> Option<GuidanceService> {
    let key = row.required("key", RegistryKey::parse);
    let kind = row.required("kind", GuidanceKind::parse);
    let name = row.text("name");
    let organiser = row.text("organiser");
    let municipalities = row.list("municipalities", MunicipalityCode::parse);
    let channels = row.list("channels", Channel::parse);
    let languages = row.list("languages", Language::parse);
    let target_groups = row.list("target_groups", TargetGroup::parse);
    let latitude = row.optional("latitude", decimal);
    let longitude = row.optional("longitude", decimal);
    let coordinates = match (latitude?, longitude?) {
        (Some(lat), Some(lon)) => match Coordinates::new(lat, lon) {
            Ok(c) => Some(c),
            Err(error) => {
                row.problem("latitude", error.reason);
                return None;
            }
        },
        (None, None) => None,
        _ => {
            row.problem("longitude", "latitude and longitude come together");
            return None;
        }
    };
    let address = Location {
        name: row.optional_text("location_name"),
        street_address: row.optional_text("street_address"),
        postal_code: row.optional_text("postal_code"),
        town: row.optional_text("town"),
        coordinates,
    };
    let booking_url = row.optional_text("booking_url");
    let phone = row.optional_text("phone");
    let openings = row.list("opening_hours", opening);
    let opening_hours = match openings.map(OpeningHours::week) {
        Some(Ok(week)) => Some(week),
        Some(Err(error)) => {
            row.problem("opening_hours", error.reason);
            None
        }
        None => None,
    };
    let draws_up_study_plan = row.required("draws_up_study_plan", boolean);
    let service = GuidanceService {
        key: key?,
        kind: kind?,
        name: name?,
        organiser: organiser?,
        municipalities: municipalities?,
        channels: channels?,
        languages: languages?,
        target_groups: target_groups?,
        address,
        booking_url,
        phone,
        opening_hours: opening_hours?,
        draws_up_study_plan: draws_up_study_plan?,
    };
    row.check(service.validate(context.region))?;
    Some(service)
}

fn price(row: &mut Row<'_>, context: Context<'_>) -> Option<PriceListEntry> {
    let key = row.required("key", RegistryKey::parse);
    let payer = row.required("payer", |v| Party::parse("payer", v));
    let provider = row.required("provider", |v| Party::parse("provider", v));
    let school_form = row.required("school_form", SchoolForm::parse);
    let scope = row.optional("course_code", CourseCode::parse);
    let unit = row.required("unit", PriceUnit::parse);
    let amount = row.required("amount_sek", AmountSek::parse);
    let validity = row.validity();
    let decision = row.optional_text("decision");
    let source = row.required("source", FigureSource::parse);
    let entry = PriceListEntry {
        key: key?,
        payer: payer?,
        provider: provider?,
        school_form: school_form?,
        scope: scope?.map_or(PriceScope::SchoolForm, PriceScope::Course),
        unit: unit?,
        amount: amount?,
        validity: validity?,
        decision,
        source: source?,
    };
    row.check(entry.validate(context.region))?;
    Some(entry)
}

/// Checks a header against the kind's columns: unknown columns are problems.
fn check_header<'a>(kind: RegistryKind, header: impl Iterator<Item = &'a str>) -> Result<(), Vec<Problem>> {
    let problems: Vec<Problem> = header
        .filter(|h| !kind.columns().contains(h))
        .map(|h| Problem {
            row: 0,
            column: h.to_owned(),
            reason: format!("is not a column of this registry; its columns are {}", kind.columns().join(", ")),
        })
        .collect();
    if problems.is_empty() { Ok(()) } else { Err(problems) }
}

fn csv_rows(kind: RegistryKind, bytes: &[u8]) -> Result<Vec<(usize, Cells)>, Vec<Problem>> {
    let whole = |reason: String| vec![Problem { row: 0, column: String::new(), reason }];
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| whole(format!("the header cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    check_header(kind, header.iter().map(String::as_str))?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let number = index + 1;
        match record {
            Ok(record) => rows.push((number, header.iter().cloned().zip(record.iter().map(str::to_owned)).collect())),
            Err(error) => problems.push(Problem { row: number, column: String::new(), reason: error.to_string() }),
        }
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

fn json_rows(kind: RegistryKind, bytes: &[u8]) -> Result<Vec<(usize, Cells)>, Vec<Problem>> {
    use serde_json::Value;
    let whole = |reason: String| vec![Problem { row: 0, column: String::new(), reason }];
    let array: Vec<Value> =
        serde_json::from_slice(bytes).map_err(|e| whole(format!("the file is not a JSON array of objects: {e}")))?;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (index, value) in array.into_iter().enumerate() {
        let number = index + 1;
        let Value::Object(object) = value else {
            problems.push(Problem { row: number, column: String::new(), reason: "is not a JSON object".to_owned() });
            continue;
        };
        if let Err(mut unknown) = check_header(kind, object.keys().map(String::as_str)) {
            unknown.iter_mut().for_each(|p| p.row = number);
            problems.append(&mut unknown);
            continue;
        }
        let mut cells = Cells::new();
        for (column, value) in object {
            let text = match value {
                Value::Null => continue,
                Value::String(s) => Ok(s),
                Value::Number(n) => Ok(n.to_string()),
                Value::Bool(b) => Ok(b.to_string()),
                Value::Array(items) => items
                    .into_iter()
                    .map(|item| match item {
                        Value::String(s) if !s.contains('|') => Ok(s),
                        Value::Number(n) => Ok(n.to_string()),
                        other => Err(format!("{other} is not a string without `|` in a list")),
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|items| items.join("|")),
                Value::Object(_) => Err("is an object, not a value or a list".to_owned()),
            };
            match text {
                Ok(text) => {
                    cells.insert(column, text);
                }
                Err(reason) => problems.push(Problem { row: number, column, reason }),
            }
        }
        rows.push((number, cells));
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}
