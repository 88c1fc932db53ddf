//! The pure half of the `csv` kind: export bytes in, providers, courses, offerings and
//! rejections out. No clock and no I/O: the time stamped on provenance is the run's start.

use std::collections::{BTreeMap, HashMap, HashSet};

use ::csv::{ReaderBuilder, StringRecord};
use vuxnav_schema::{
    Application, Course, CourseCode, Credits, CreditsSystem, Language, Location, MunicipalityCode, Offering, OrgNumber,
    Pace, Provenance, Provider, ProviderKind, PublicId, Schedule, SchoolForm,
};

use super::config::{Config, Encoding, Field, Prepared, parse_mode, parse_time_of_study};
use super::text::{parse_date, parse_decimal};
use crate::text::{paragraphs, plain};
use crate::{ConnectorError, HarvestContext, Item, Rejection};

/// Normalises one export.
///
/// The bytes are decoded as the configured encoding (a UTF-8 byte order mark is skipped) and
/// read with a header row. A header row that lacks a mapped column, an undecodable file or an
/// invalid configuration is one [`ConnectorError::Shape`]: nothing of the file can be trusted.
/// Otherwise every row becomes its provider and course (each distinct one yielded once, before
/// the first offering that uses it) and its offering, or one [`Item::Rejected`] naming the
/// upstream id (`row N`, counting the header as row 1, when there is none), the upstream column
/// and the reason. A row repeated with the same upstream id and the same content, as exports
/// with one row per interest category have, is yielded once.
pub fn normalize(config: &Config, ctx: &HarvestContext, bytes: &[u8]) -> Result<Vec<Item>, ConnectorError> {
    let shape = |reason: String| ConnectorError::Shape { url: config.location(), reason };
    let prepared = config.prepare().map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|(field, problem)| format!("{field}: {problem}")).collect();
        shape(format!("the configuration is invalid: {}", list.join("; ")))
    })?;
    let text = decode(config.encoding, bytes).map_err(shape)?;

    let mut reader = ReaderBuilder::new()
        .delimiter(prepared.delimiter)
        .quote(prepared.quote)
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| shape(format!("the header row cannot be read: {e}")))?.clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(shape("the file has no header row".to_owned()));
    }
    let columns = Columns::resolve(config, &headers).map_err(shape)?;
    let values = ValueMaps::new(config);

    let mut run = Run {
        config,
        prepared: &prepared,
        ctx,
        columns: &columns,
        values: &values,
        items: Vec::new(),
        providers: HashSet::new(),
        courses: HashSet::new(),
        offerings: HashMap::new(),
    };
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        match record {
            Ok(record) => run.row(row, &record, headers.len()),
            Err(error) => {
                run.items.push(Item::Rejected(Rejection::new(format!("row {row}"), "row", error.to_string())));
            }
        }
    }
    Ok(run.items)
}

fn decode(encoding: Encoding, bytes: &[u8]) -> Result<String, String> {
    match encoding {
        Encoding::Utf8 => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            std::str::from_utf8(bytes).map(str::to_owned).map_err(|e| {
                format!(
                    "the file is not valid UTF-8 at byte {}; for an export from Excel, set encoding = \"windows-1252\"",
                    e.valid_up_to()
                )
            })
        }
        Encoding::Windows1252 => Ok(encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()),
    }
}

/// The mapped columns: their position in the header row and the name the export gives them.
struct Columns {
    index: BTreeMap<Field, (usize, String)>,
}

impl Columns {
    fn resolve(config: &Config, headers: &StringRecord) -> Result<Self, String> {
        let mut index = BTreeMap::new();
        let mut missing = Vec::new();
        for (&field, wanted) in &config.columns {
            let wanted = wanted.trim();
            let position = headers
                .iter()
                .position(|h| h.trim() == wanted)
                .or_else(|| headers.iter().position(|h| h.trim().to_lowercase() == wanted.to_lowercase()));
            match position {
                Some(position) => {
                    index.insert(field, (position, wanted.to_owned()));
                }
                None => missing.push(format!("`{wanted}` (columns.{field})")),
            }
        }
        if missing.is_empty() {
            Ok(Self { index })
        } else {
            Err(format!("the header row lacks the mapped column {}", missing.join(", ")))
        }
    }

    /// The export's name for a field's column, or the field's own name when it has none.
    fn name(&self, field: Field) -> String {
        self.index.get(&field).map_or_else(|| field.name().to_owned(), |(_, name)| name.clone())
    }
}

/// The value maps, keyed by the lowercased upstream value.
struct ValueMaps(HashMap<Field, HashMap<String, String>>);

impl ValueMaps {
    fn new(config: &Config) -> Self {
        Self(
            config
                .values
                .iter()
                .map(|(field, map)| {
                    (*field, map.iter().map(|(from, to)| (plain(from).to_lowercase(), to.trim().to_owned())).collect())
                })
                .collect(),
        )
    }

    fn get(&self, field: Field, value: &str) -> Option<&str> {
        self.0.get(&field)?.get(&value.to_lowercase()).map(String::as_str)
    }
}

/// One row's cells, read through the column mapping and the value maps.
struct Row<'a> {
    record: &'a StringRecord,
    columns: &'a Columns,
    values: &'a ValueMaps,
    /// The upstream id, or `row N` until it is known.
    id: String,
}

impl Row<'_> {
    /// The cell of a field as plain text after the value map; `None` when the field has no
    /// column, the cell is empty or its value is mapped to `""`.
    fn text(&self, field: Field) -> Option<String> {
        let cell = self.cell(field)?;
        let key = plain(cell);
        let text = match self.values.get(field, &key) {
            Some(mapped) => plain(mapped),
            None if field == Field::Description => paragraphs(cell),
            None => key,
        };
        (!text.is_empty()).then_some(text)
    }

    /// The cell as plain text before the value map.
    fn raw(&self, field: Field) -> Option<String> {
        let text = plain(self.cell(field)?);
        (!text.is_empty()).then_some(text)
    }

    fn cell(&self, field: Field) -> Option<&str> {
        let (position, _) = self.columns.index.get(&field)?;
        self.record.get(*position)
    }

    fn reject(&self, field: Field, reason: impl Into<String>) -> Rejection {
        Rejection::new(self.id.clone(), self.columns.name(field), reason)
    }

    fn required(&self, field: Field) -> Result<String, Rejection> {
        self.text(field).ok_or_else(|| self.reject(field, "is empty"))
    }

    fn date(&self, field: Field, formats: &[String]) -> Result<Option<chrono::NaiveDate>, Rejection> {
        let Some(text) = self.text(field) else { return Ok(None) };
        parse_date(&text, formats).map(Some).ok_or_else(|| {
            let formats: Vec<String> = formats.iter().map(|f| format!("`{f}`")).collect();
            self.reject(field, format!("`{text}` is not a date in the format {}", formats.join(" or ")))
        })
    }

    fn decimal(&self, field: Field, decimal_comma: bool) -> Result<Option<f64>, Rejection> {
        let Some(text) = self.text(field) else { return Ok(None) };
        parse_decimal(&text, decimal_comma).map(Some).ok_or_else(|| {
            let hint = if !decimal_comma && text.contains(',') { " (set decimal_comma = true)" } else { "" };
            self.reject(field, format!("`{text}` is not a number{hint}"))
        })
    }

    /// A code read through its parser, or the default when the cell is empty.
    fn code<T>(
        &self,
        field: Field,
        default: Option<T>,
        parse: impl Fn(&str) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, Rejection> {
        match self.text(field) {
            None => Ok(default),
            Some(text) => parse(&text).map(Some).ok_or_else(|| {
                let raw = self.raw(field).unwrap_or(text);
                self.reject(field, format!("`{raw}` is not {expected}: map it under [source.connector.values.{field}]"))
            }),
        }
    }
}

/// What one run has yielded so far.
struct Run<'a> {
    config: &'a Config,
    prepared: &'a Prepared,
    ctx: &'a HarvestContext,
    columns: &'a Columns,
    values: &'a ValueMaps,
    items: Vec<Item>,
    providers: HashSet<PublicId>,
    courses: HashSet<PublicId>,
    /// Upstream id → (row, content hash) of the offering yielded for it.
    offerings: HashMap<String, (usize, String)>,
}

impl Run<'_> {
    fn row(&mut self, row: usize, record: &StringRecord, width: usize) {
        if record.iter().all(|cell| cell.trim().is_empty()) {
            return;
        }
        let mut cells = Row { record, columns: self.columns, values: self.values, id: format!("row {row}") };
        if let Some(id) = cells.text(Field::UpstreamId) {
            cells.id = id;
        }
        if record.len() != width {
            let reason = format!("the row has {} fields where the header row has {width}", record.len());
            self.items.push(Item::Rejected(Rejection::new(cells.id.clone(), "row", reason)));
            return;
        }
        match self.build(&cells) {
            Err(rejection) => self.items.push(Item::Rejected(rejection)),
            Ok((provider, course, offering)) => {
                let upstream_id = offering.provenance.upstream_id.clone();
                if let Some((first, hash)) = self.offerings.get(&upstream_id) {
                    if *hash != offering.provenance.content_hash {
                        let reason = format!(
                            "repeats the upstream id of row {first} with different content; row {first} is kept"
                        );
                        self.items.push(Item::Rejected(cells.reject(Field::UpstreamId, reason)));
                    }
                    return;
                }
                self.offerings.insert(upstream_id, (row, offering.provenance.content_hash.clone()));
                if self.providers.insert(provider.id) {
                    self.items.push(Item::Provider(provider));
                }
                if self.courses.insert(course.id) {
                    self.items.push(Item::Course(course));
                }
                self.items.push(Item::Offering(offering));
            }
        }
    }

    fn build(&self, row: &Row<'_>) -> Result<(Provider, Course, Offering), Rejection> {
        let (config, prepared, ctx) = (self.config, self.prepared, self.ctx);
        let source = &ctx.source;
        let upstream_id = row.required(Field::UpstreamId)?;
        let title = row.required(Field::Title)?;

        let school_form = row
            .code(Field::SchoolForm, prepared.default_school_form, |v| SchoolForm::parse(v).ok(), &school_forms())?
            .ok_or_else(|| row.reject(Field::SchoolForm, "is empty"))?;

        // The provider: one across sources when its organisation number is valid.
        let provider_name = match row.text(Field::ProviderName) {
            Some(name) => name,
            None => config
                .default_provider_name
                .as_deref()
                .map(plain)
                .ok_or_else(|| row.reject(Field::ProviderName, "is empty"))?,
        };
        let org_number = row.text(Field::ProviderOrgNumber).and_then(|v| OrgNumber::parse(&v).ok());
        // A kind the row does not state clearly falls back to the default, so the kind can be
        // mapped from the provider's name column with a value map of the few known providers.
        let provider_kind = row
            .text(Field::ProviderKind)
            .and_then(|kind| ProviderKind::parse(&kind).ok())
            .unwrap_or(prepared.default_provider_kind);
        let provider_id = match &org_number {
            Some(number) => PublicId::provider_by_org_number(number),
            None => PublicId::local_provider(source, &row.text(Field::ProviderId).unwrap_or(provider_name.clone())),
        };
        let provider = Provider {
            id: provider_id,
            name: provider_name,
            org_number,
            kind: provider_kind,
            school_unit_code: None,
            municipality: (provider_kind == ProviderKind::Kommunal).then_some(ctx.municipality),
            web: row.text(Field::ProviderUrl),
            email: None,
            phone: None,
        };
        provider.validate().map_err(|e| row.reject(Field::ProviderName, e.reason))?;

        // The course: one across sources when its code is a course code.
        let code_text = row.text(Field::CourseCode);
        let code = code_text.as_deref().and_then(|v| CourseCode::parse(v).ok());
        let course_id = match (&code, code_text, row.text(Field::CourseId)) {
            (Some(code), _, _) => PublicId::course_by_code(code),
            (None, _, Some(course_id)) => PublicId::local_course(source, &course_id),
            (None, Some(own_code), None) => PublicId::local_course(source, &own_code),
            (None, None, None) => PublicId::local_course(source, &upstream_id),
        };
        let credits_system = prepared.credits_system.or_else(|| credits_system_of(school_form));
        let credits = match (row.decimal(Field::Credits, config.decimal_comma)?, credits_system) {
            (Some(value), Some(system)) => {
                Some(Credits::new(system, value).map_err(|e| row.reject(Field::Credits, e.reason))?)
            }
            _ => None,
        };
        let course = Course {
            id: course_id,
            code,
            title,
            description: row.text(Field::Description),
            school_form,
            credits,
            subject: row.text(Field::Subject),
            sun_field: None,
            vocational: false,
            configuration: prepared.configuration,
        };
        course.validate().map_err(|e| row.reject(Field::Title, e.reason))?;

        // The offering.
        let formats = &config.date_formats;
        let start = row.date(Field::Start, formats)?;
        let end = row.date(Field::End, formats)?;
        let schedule = Schedule::new(start, end, false).map_err(|e| row.reject(Field::End, e.reason))?;
        let opens = row.date(Field::ApplicationOpens, formats)?;
        let closes = row.date(Field::ApplicationCloses, formats)?;
        let application =
            Application::new(opens, closes, false, None).map_err(|e| row.reject(Field::ApplicationCloses, e.reason))?;
        let pace = match row.decimal(Field::Pace, config.decimal_comma)? {
            Some(percent) => Pace::from_percentage(percent).map_err(|e| row.reject(Field::Pace, e.reason))?,
            None => prepared.default_pace.ok_or_else(|| row.reject(Field::Pace, "is empty"))?,
        };
        let seats = match row.decimal(Field::Seats, config.decimal_comma)? {
            Some(seats) if seats.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&seats) => Some(seats as u32),
            Some(seats) => return Err(row.reject(Field::Seats, format!("{seats} is not a number of seats"))),
            None => None,
        };
        let municipality = match row.text(Field::MunicipalityCode) {
            Some(code) => {
                MunicipalityCode::parse_lenient(&code).map_err(|e| row.reject(Field::MunicipalityCode, e.reason))?
            }
            None => ctx.municipality,
        };
        let language = row
            .code(
                Field::Language,
                Some(prepared.default_language),
                |v| Language::parse(v).ok(),
                "an ISO 639-2 code such as `swe`",
            )?
            .unwrap_or(prepared.default_language);
        let mode = row
            .code(Field::Mode, Some(prepared.default_mode), parse_mode, "one of plats, distans, hybrid")?
            .unwrap_or(prepared.default_mode);
        let time_of_study = row
            .code(
                Field::TimeOfStudy,
                Some(prepared.default_time_of_study),
                parse_time_of_study,
                "one of dag, kväll, helg, blandat",
            )?
            .unwrap_or(prepared.default_time_of_study);

        let mut offering = Offering {
            id: PublicId::offering(source, &upstream_id),
            course: course.id,
            provider: provider.id,
            municipality,
            location: Location {
                name: row.text(Field::LocationName),
                street_address: row.text(Field::StreetAddress),
                postal_code: row.text(Field::PostalCode),
                town: row.text(Field::Town),
                coordinates: None,
            },
            schedule,
            application,
            pace,
            time_of_study,
            mode,
            language,
            seats,
            cancelled: false,
            apprenticeship: false,
            fee_sek: None,
            eligibility: prepared.eligibility,
            web: row.text(Field::Url),
            provenance: Provenance {
                source: source.clone(),
                upstream_id,
                first_seen: ctx.started,
                last_changed: ctx.started,
                content_hash: String::new(),
                last_harvest: ctx.started,
            },
        };
        offering.provenance.content_hash = offering.content_hash();
        Ok((provider, course, offering))
    }
}

/// The credits system a school form's courses are counted in, when the config names none.
fn credits_system_of(form: SchoolForm) -> Option<CreditsSystem> {
    match form {
        SchoolForm::VuxGy | SchoolForm::VuxGyan => Some(CreditsSystem::Gy),
        SchoolForm::VuxGr | SchoolForm::VuxGran => Some(CreditsSystem::Vp),
        SchoolForm::Yh => Some(CreditsSystem::Yh),
        SchoolForm::Fhs => Some(CreditsSystem::Fup),
        SchoolForm::VuxSfi | SchoolForm::Aub | SchoolForm::Stf => None,
    }
}

fn school_forms() -> String {
    let codes: Vec<&str> = SchoolForm::ALL.iter().map(|f| f.code()).collect();
    format!("one of {}", codes.join(", "))
}
