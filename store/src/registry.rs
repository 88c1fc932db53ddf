//! The region's registries: occupation links, validation offers, guidance services and the
//! price list.
//!
//! Two writes, each in one transaction: [`Store::change_registry`] creates, updates or deletes
//! one entry for the admin API, with its audit row (before and after) in the same transaction,
//! and [`Store::import_registry`] writes a whole file's rows at once (all or nothing). Both
//! raise the registries' revision ([`Store::registry_revision`]) in that transaction, so a
//! replica rebuilds its registry snapshot only when something changed.
//!
//! Every entry carries `first_seen` and `last_changed` (m0007_registry_stamps), which both
//! writes set the same way ([`upsert`]): a new entry gets the write's time as both, a changed
//! one keeps its `first_seen` and moves `last_changed`, and an entry written with the content it
//! has is not written at all, so an import of unchanged rows changes nothing the open-data
//! release would show.
//!
//! Values are validated by the schema before they get here; the store adds the one rule that
//! needs what is stored: a price may not overlap a stored price of the same scope
//! ([`StoreError::RegistryConflict`]). Rows read back go through the schema's constructors;
//! one they reject is [`StoreError::Corrupt`].

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, IdenStatic, Iterable,
    QueryFilter, QueryOrder,
};
use serde_json::Value as Json;
use vuxnav_schema::{
    AmountSek, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Language,
    Location, ModelError, MunicipalityCode, OccupationLink, OpeningHours, Party, Payer, PriceList, PriceListEntry,
    PriceScope, PriceUnit, Registries, RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy, ValidationKind,
    ValidationOffer, Validity,
};

use crate::entity::{guidance_service, occupation_link, price_list_entry, registry_revision, validation_offer};
use crate::harvest::rows_per_statement;
use crate::{AuditContext, Store, StoreError};

/// One registry's rows from a bulk import, already validated by the schema.
#[derive(Debug, Clone, PartialEq)]
pub enum RegistryRows {
    OccupationLinks(Vec<OccupationLink>),
    ValidationOffers(Vec<ValidationOffer>),
    GuidanceServices(Vec<GuidanceService>),
    Prices(Vec<PriceListEntry>),
}

/// What a [`Store::import_registry`] did (or, in a dry run, would have done).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Rows whose key was not stored.
    pub new: u64,
    /// Rows that replaced the stored entry with the same key.
    pub updated: u64,
}

impl Store {
    /// The registries' revision: raised by every committed write of a registry, in commit
    /// order. Read it before [`Store::registries`]: a change committed between the two shows
    /// as a newer revision at the next look. One primary-key lookup.
    pub async fn registry_revision(&self) -> Result<i64, StoreError> {
        let row = registry_revision::Entity::find_by_id(1_i16).one(&self.db).await?;
        Ok(row.map_or(0, |row| row.revision))
    }

    /// Everything the region keeps, in one consistent read, ordered by key. Occupation ids are
    /// checked against `taxonomy`.
    pub async fn registries(&self, taxonomy: &Taxonomy) -> Result<Registries, StoreError> {
        let txn = self.begin_read().await?;
        let occupation_links = occupation_link::Entity::find()
            .order_by_asc(occupation_link::Column::CourseCode)
            .order_by_asc(occupation_link::Column::OccupationId)
            .all(&txn)
            .await?
            .into_iter()
            .map(|row| link_from_row(row, taxonomy))
            .collect::<Result<_, _>>()?;
        let validation_offers = validation_offer::Entity::find()
            .order_by_asc(validation_offer::Column::Key)
            .all(&txn)
            .await?
            .into_iter()
            .map(|row| offer_from_row(row, taxonomy))
            .collect::<Result<_, _>>()?;
        let guidance_services = guidance_service::Entity::find()
            .order_by_asc(guidance_service::Column::Key)
            .all(&txn)
            .await?
            .into_iter()
            .map(service_from_row)
            .collect::<Result<_, _>>()?;
        let prices = stored_prices(&txn).await?;
        txn.commit().await?;
        let prices = PriceList::new(prices).map_err(|e| corrupt("price_list_entries", "valid_from", "*", e))?;
        Ok(Registries { occupation_links, validation_offers, guidance_services, prices })
    }

    /// Writes one registry's rows in one transaction: each row added, or replacing the entry
    /// with its key, and audited as `registry.import` by `by`, naming what it came `from` (a
    /// file) and how many rows were new and updated. All or nothing: a conflict (prices)
    /// writes nothing. With `dry_run` the transaction is rolled back, so the outcome says what
    /// an import would do, and nothing is audited.
    pub async fn import_registry(
        &self,
        rows: &RegistryRows,
        dry_run: bool,
        by: &AuditContext,
        from: &str,
    ) -> Result<ImportOutcome, StoreError> {
        let at = Utc::now();
        let txn = self.begin_write().await?;
        let (outcome, target_type, count) = match rows {
            RegistryRows::OccupationLinks(links) => {
                (upsert_links(&txn, links, at).await?, "occupation_link", links.len())
            }
            RegistryRows::ValidationOffers(offers) => {
                (upsert_offers(&txn, offers, at).await?, "validation_offer", offers.len())
            }
            RegistryRows::GuidanceServices(services) => {
                (upsert_services(&txn, services, at).await?, "guidance_service", services.len())
            }
            RegistryRows::Prices(entries) => (upsert_prices(&txn, entries, at).await?, "price", entries.len()),
        };
        if dry_run {
            txn.rollback().await?;
            return Ok(outcome);
        }
        raise_revision(&txn).await?;
        let record = crate::AuditRecord {
            action: "registry.import".to_owned(),
            target_type: target_type.to_owned(),
            target_id: from.to_owned(),
            municipality: None,
            before: None,
            after: Some(serde_json::json!({ "rows": count, "new": outcome.new, "updated": outcome.updated })),
            outcome: crate::AuditOutcome::Ok,
        };
        crate::access::write_audit(&txn, by, record, at).await?;
        txn.commit().await?;
        Ok(outcome)
    }
}

/// The outcome of upserting `written` rows of which the keys in `stored` existed before.
fn outcome(written: usize, stored: usize) -> ImportOutcome {
    let (written, stored) = (written as u64, stored as u64);
    ImportOutcome { new: written.saturating_sub(stored), updated: stored }
}

/// Stamps `rows` (each with its key) against the stored entries with the same keys and writes
/// those that are new or changed: a new entry gets `at` as `first_seen` and `last_changed`, a
/// changed one keeps its `first_seen` and gets `at` as `last_changed`, an unchanged one (every
/// column but the stamps equal) is not written. Writes insert, replacing every column but the
/// key on a key conflict, in chunks that stay under the bound-value limit. Returns how many of
/// the keys were stored before.
async fn upsert<A>(
    txn: &DatabaseTransaction,
    key: <A::Entity as EntityTrait>::Column,
    (first_seen, last_changed): (<A::Entity as EntityTrait>::Column, <A::Entity as EntityTrait>::Column),
    rows: Vec<(String, A)>,
    at: DateTime<Utc>,
) -> Result<usize, StoreError>
where
    A: sea_orm::ActiveModelTrait + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::ModelTrait,
{
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let content: Vec<_> = columns
        .iter()
        .copied()
        .filter(|c| c.as_str() != first_seen.as_str() && c.as_str() != last_changed.as_str())
        .collect();

    let mut stored: HashMap<String, <A::Entity as EntityTrait>::Model> = HashMap::new();
    let keys: Vec<&str> = rows.iter().map(|(k, _)| k.as_str()).collect();
    for chunk in keys.chunks(rows_per_statement(1)) {
        let found = <A::Entity as EntityTrait>::find().filter(key.is_in(chunk.iter().copied())).all(txn).await?;
        for model in found {
            let value = sea_orm::ModelTrait::get(&model, key);
            if let Ok(text) = <String as sea_orm::sea_query::ValueType>::try_from(value) {
                stored.insert(text, model);
            }
        }
    }
    let before = keys.iter().filter(|k| stored.contains_key(**k)).count();

    let mut written = Vec::with_capacity(rows.len());
    for (row_key, mut row) in rows {
        match stored.get(&row_key) {
            Some(model) => {
                let same = content
                    .iter()
                    .all(|c| row.get(*c).into_value().as_ref() == Some(&sea_orm::ModelTrait::get(model, *c)));
                if same {
                    continue;
                }
                row.set(first_seen, sea_orm::ModelTrait::get(model, first_seen));
                row.set(last_changed, at.into());
            }
            None => {
                row.set(first_seen, at.into());
                row.set(last_changed, at.into());
            }
        }
        written.push(row);
    }

    let updates: Vec<_> = columns.iter().copied().filter(|c| c.as_str() != key.as_str()).collect();
    let mut written = written.into_iter().peekable();
    while written.peek().is_some() {
        let chunk: Vec<A> = written.by_ref().take(rows_per_statement(columns.len())).collect();
        let mut conflict = OnConflict::column(key);
        conflict.update_columns(updates.iter().copied());
        <A::Entity as EntityTrait>::insert_many(chunk).on_conflict(conflict).exec_without_returning(txn).await?;
    }
    Ok(before)
}

/// Links are their own key: a new one is stamped `at`, a stored one is left as it is.
async fn upsert_links(
    txn: &DatabaseTransaction,
    links: &[OccupationLink],
    at: DateTime<Utc>,
) -> Result<ImportOutcome, StoreError> {
    let held: BTreeSet<(String, String)> =
        occupation_link::Entity::find().all(txn).await?.into_iter().map(|r| (r.course_code, r.occupation_id)).collect();
    let stored =
        links.iter().filter(|l| held.contains(&(l.course.as_str().to_owned(), l.occupation.to_string()))).count();
    let unique: BTreeSet<&OccupationLink> = links.iter().collect();
    for chunk in unique.into_iter().collect::<Vec<_>>().chunks(rows_per_statement(4)) {
        let rows = chunk.iter().map(|link| occupation_link::ActiveModel {
            course_code: ActiveValue::Set(link.course.as_str().to_owned()),
            occupation_id: ActiveValue::Set(link.occupation.to_string()),
            first_seen: ActiveValue::Set(at),
            last_changed: ActiveValue::Set(at),
        });
        occupation_link::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::columns([occupation_link::Column::CourseCode, occupation_link::Column::OccupationId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(outcome(links.len(), stored))
}

async fn upsert_offers(
    txn: &DatabaseTransaction,
    offers: &[ValidationOffer],
    at: DateTime<Utc>,
) -> Result<ImportOutcome, StoreError> {
    let rows = offers.iter().map(|o| (o.key.to_string(), offer_row(o))).collect();
    let stored = upsert(
        txn,
        validation_offer::Column::Key,
        (validation_offer::Column::FirstSeen, validation_offer::Column::LastChanged),
        rows,
        at,
    )
    .await?;
    Ok(outcome(offers.len(), stored))
}

async fn upsert_services(
    txn: &DatabaseTransaction,
    services: &[GuidanceService],
    at: DateTime<Utc>,
) -> Result<ImportOutcome, StoreError> {
    let rows = services.iter().map(|s| (s.key.to_string(), service_row(s))).collect();
    let stored = upsert(
        txn,
        guidance_service::Column::Key,
        (guidance_service::Column::FirstSeen, guidance_service::Column::LastChanged),
        rows,
        at,
    )
    .await?;
    Ok(outcome(services.len(), stored))
}

/// Upserts prices after checking that the stored list with them in place is still a valid
/// [`PriceList`]; it reads the whole list, which is small (rows per municipality pair, not
/// per offering).
async fn upsert_prices(
    txn: &DatabaseTransaction,
    entries: &[PriceListEntry],
    at: DateTime<Utc>,
) -> Result<ImportOutcome, StoreError> {
    let keys: BTreeSet<&RegistryKey> = entries.iter().map(|e| &e.key).collect();
    let stored = stored_prices(txn).await?;
    let replaced = stored.iter().filter(|e| keys.contains(&e.key)).count();
    let mut merged: Vec<PriceListEntry> = stored.into_iter().filter(|e| !keys.contains(&e.key)).collect();
    merged.extend(entries.iter().cloned());
    PriceList::new(merged).map_err(StoreError::RegistryConflict)?;
    let rows = entries.iter().map(|e| (e.key.to_string(), price_row(e))).collect();
    upsert(
        txn,
        price_list_entry::Column::Key,
        (price_list_entry::Column::FirstSeen, price_list_entry::Column::LastChanged),
        rows,
        at,
    )
    .await?;
    Ok(outcome(entries.len(), replaced))
}

async fn stored_prices(conn: &impl ConnectionTrait) -> Result<Vec<PriceListEntry>, StoreError> {
    price_list_entry::Entity::find()
        .order_by_asc(price_list_entry::Column::Key)
        .all(conn)
        .await?
        .into_iter()
        .map(price_from_row)
        .collect()
}

// Conversions between the model and the rows.

fn codes<'a>(values: impl IntoIterator<Item = &'a str>) -> Json {
    Json::Array(values.into_iter().map(|v| Json::String(v.to_owned())).collect())
}

fn corrupt(table: &'static str, column: &'static str, row: &str, error: ModelError) -> StoreError {
    StoreError::Corrupt { table, column, row: row.to_owned(), reason: error.to_string() }
}

/// Parses every string of a stored JSON array with `parse`.
fn parsed<T>(
    json: &Json,
    parse: impl Fn(&str) -> Result<T, ModelError>,
    (table, column, row): (&'static str, &'static str, &str),
) -> Result<Vec<T>, StoreError> {
    let Some(values) = json.as_array() else {
        return Err(corrupt(table, column, row, ModelError::new(column, "is not a JSON array")));
    };
    values
        .iter()
        .map(|v| {
            let text = v.as_str().ok_or_else(|| ModelError::new(column, format!("{v} is not a string")))?;
            parse(text)
        })
        .collect::<Result<_, _>>()
        .map_err(|e| corrupt(table, column, row, e))
}

fn key(table: &'static str, value: &str) -> Result<RegistryKey, StoreError> {
    RegistryKey::parse(value).map_err(|e| corrupt(table, "key", value, e))
}

fn validity(
    table: &'static str,
    row: &str,
    from: chrono::NaiveDate,
    to: Option<chrono::NaiveDate>,
) -> Result<Validity, StoreError> {
    Validity::new(from, to).map_err(|e| corrupt(table, "valid_to", row, e))
}

pub(crate) fn link_from_row(row: occupation_link::Model, taxonomy: &Taxonomy) -> Result<OccupationLink, StoreError> {
    const TABLE: &str = "occupation_links";
    let name = format!("{}/{}", row.course_code, row.occupation_id);
    Ok(OccupationLink {
        course: CourseCode::parse(&row.course_code).map_err(|e| corrupt(TABLE, "course_code", &name, e))?,
        occupation: taxonomy
            .occupation_id(&row.occupation_id)
            .map_err(|e| corrupt(TABLE, "occupation_id", &name, e))?,
    })
}

fn offer_row(offer: &ValidationOffer) -> validation_offer::ActiveModel {
    validation_offer::ActiveModel {
        key: ActiveValue::Set(offer.key.to_string()),
        kind: ActiveValue::Set(offer.kind.code().to_owned()),
        title: ActiveValue::Set(offer.title.clone()),
        course_codes: ActiveValue::Set(codes(offer.course_codes.iter().map(CourseCode::as_str))),
        occupations: ActiveValue::Set(codes(offer.occupations.iter().map(|o| o.as_str()))),
        industry_model_name: ActiveValue::Set(offer.industry_model.as_ref().map(|m| m.name.clone())),
        industry_model_owner: ActiveValue::Set(offer.industry_model.as_ref().map(|m| m.owner.clone())),
        seqf_level: ActiveValue::Set(offer.seqf_level.map(|l| i16::from(l.level()))),
        provider: ActiveValue::Set(offer.provider.clone()),
        municipalities: ActiveValue::Set(codes(offer.municipalities.iter().map(MunicipalityCode::as_str))),
        languages: ActiveValue::Set(codes(offer.languages.iter().map(Language::as_str))),
        cost_sek: ActiveValue::Set(offer.cost_sek.map(i64::from)),
        paid_by: ActiveValue::Set(offer.paid_by.code().to_owned()),
        contact: ActiveValue::Set(offer.contact.clone()),
        valid_from: ActiveValue::Set(offer.validity.from()),
        valid_to: ActiveValue::Set(offer.validity.to()),
        first_seen: ActiveValue::NotSet,
        last_changed: ActiveValue::NotSet,
    }
}

pub(crate) fn offer_from_row(row: validation_offer::Model, taxonomy: &Taxonomy) -> Result<ValidationOffer, StoreError> {
    const TABLE: &str = "validation_offers";
    let name = row.key.clone();
    let at = |column| (TABLE, column, name.as_str());
    let field = |column: &'static str| {
        let name = name.as_str();
        move |e: ModelError| corrupt(TABLE, column, name, e)
    };
    Ok(ValidationOffer {
        key: key(TABLE, &row.key)?,
        kind: ValidationKind::parse(&row.kind).map_err(field("kind"))?,
        title: row.title.clone(),
        course_codes: parsed(&row.course_codes, CourseCode::parse, at("course_codes"))?,
        occupations: parsed(&row.occupations, |id| taxonomy.occupation_id(id), at("occupations"))?,
        industry_model: match (&row.industry_model_name, &row.industry_model_owner) {
            (Some(name), Some(owner)) => Some(IndustryModel { name: name.clone(), owner: owner.clone() }),
            _ => None,
        },
        seqf_level: row.seqf_level.map(|l| SeqfLevel::new(i64::from(l))).transpose().map_err(field("seqf_level"))?,
        provider: row.provider.clone(),
        municipalities: parsed(&row.municipalities, MunicipalityCode::parse, at("municipalities"))?,
        languages: parsed(&row.languages, Language::parse, at("languages"))?,
        cost_sek: row
            .cost_sek
            .map(|c| u32::try_from(c).map_err(|_| ModelError::new("costSek", format!("{c} is out of range"))))
            .transpose()
            .map_err(field("cost_sek"))?,
        paid_by: Payer::parse(&row.paid_by).map_err(field("paid_by"))?,
        contact: row.contact.clone(),
        validity: validity(TABLE, &row.key, row.valid_from, row.valid_to)?,
    })
}

fn weekday_code(day: Weekday) -> String {
    day.to_string()
}

fn service_row(service: &GuidanceService) -> guidance_service::ActiveModel {
    let hours = service
        .opening_hours
        .iter()
        .map(|h| {
            serde_json::json!({
                "weekday": weekday_code(h.weekday),
                "opens": h.opens.format("%H:%M").to_string(),
                "closes": h.closes.format("%H:%M").to_string(),
            })
        })
        .collect();
    let coordinates = service.address.coordinates;
    guidance_service::ActiveModel {
        key: ActiveValue::Set(service.key.to_string()),
        kind: ActiveValue::Set(service.kind.code().to_owned()),
        name: ActiveValue::Set(service.name.clone()),
        organiser: ActiveValue::Set(service.organiser.clone()),
        municipalities: ActiveValue::Set(codes(service.municipalities.iter().map(MunicipalityCode::as_str))),
        channels: ActiveValue::Set(codes(service.channels.iter().map(|c| c.code()))),
        languages: ActiveValue::Set(codes(service.languages.iter().map(Language::as_str))),
        target_groups: ActiveValue::Set(codes(service.target_groups.iter().map(|t| t.code()))),
        location_name: ActiveValue::Set(service.address.name.clone()),
        street_address: ActiveValue::Set(service.address.street_address.clone()),
        postal_code: ActiveValue::Set(service.address.postal_code.clone()),
        town: ActiveValue::Set(service.address.town.clone()),
        latitude: ActiveValue::Set(coordinates.map(|c| c.latitude)),
        longitude: ActiveValue::Set(coordinates.map(|c| c.longitude)),
        booking_url: ActiveValue::Set(service.booking_url.clone()),
        phone: ActiveValue::Set(service.phone.clone()),
        opening_hours: ActiveValue::Set(Json::Array(hours)),
        draws_up_study_plan: ActiveValue::Set(service.draws_up_study_plan),
        first_seen: ActiveValue::NotSet,
        last_changed: ActiveValue::NotSet,
    }
}

fn opening_hours(json: &Json) -> Result<Vec<OpeningHours>, ModelError> {
    let error = || ModelError::new("openingHours", format!("{json} is not a list of weekday, opens and closes"));
    let rows = json.as_array().ok_or_else(error)?;
    let week = rows
        .iter()
        .map(|row| {
            let text = |name: &str| row.get(name).and_then(Json::as_str).ok_or_else(error);
            let time = |name: &str| NaiveTime::parse_from_str(text(name)?, "%H:%M").map_err(|_| error());
            let weekday: Weekday = text("weekday")?.parse().map_err(|_| error())?;
            Ok((weekday, time("opens")?, time("closes")?))
        })
        .collect::<Result<Vec<_>, ModelError>>()?;
    OpeningHours::week(week)
}

pub(crate) fn service_from_row(row: guidance_service::Model) -> Result<GuidanceService, StoreError> {
    const TABLE: &str = "guidance_services";
    let name = row.key.clone();
    let at = |column| (TABLE, column, name.as_str());
    let field = |column: &'static str| {
        let name = name.as_str();
        move |e: ModelError| corrupt(TABLE, column, name, e)
    };
    let coordinates = match (row.latitude, row.longitude) {
        (Some(lat), Some(lon)) => Some(Coordinates::new(lat, lon).map_err(field("latitude"))?),
        _ => None,
    };
    Ok(GuidanceService {
        key: key(TABLE, &row.key)?,
        kind: GuidanceKind::parse(&row.kind).map_err(field("kind"))?,
        name: row.name.clone(),
        organiser: row.organiser.clone(),
        municipalities: parsed(&row.municipalities, MunicipalityCode::parse, at("municipalities"))?,
        channels: parsed(&row.channels, Channel::parse, at("channels"))?,
        languages: parsed(&row.languages, Language::parse, at("languages"))?,
        target_groups: parsed(&row.target_groups, TargetGroup::parse, at("target_groups"))?,
        address: Location {
            name: row.location_name.clone(),
            street_address: row.street_address.clone(),
            postal_code: row.postal_code.clone(),
            town: row.town.clone(),
            coordinates,
        },
        booking_url: row.booking_url.clone(),
        phone: row.phone.clone(),
        opening_hours: opening_hours(&row.opening_hours).map_err(field("opening_hours"))?,
        draws_up_study_plan: row.draws_up_study_plan,
    })
}

fn price_row(entry: &PriceListEntry) -> price_list_entry::ActiveModel {
    price_list_entry::ActiveModel {
        key: ActiveValue::Set(entry.key.to_string()),
        payer: ActiveValue::Set(entry.payer.to_string()),
        provider: ActiveValue::Set(entry.provider.to_string()),
        school_form: ActiveValue::Set(entry.school_form.code().to_owned()),
        course_code: ActiveValue::Set(match &entry.scope {
            PriceScope::Course(code) => Some(code.as_str().to_owned()),
            PriceScope::SchoolForm => None,
        }),
        unit: ActiveValue::Set(entry.unit.code().to_owned()),
        amount_ore: ActiveValue::Set(i64::try_from(entry.amount.ore()).unwrap_or(i64::MAX)),
        valid_from: ActiveValue::Set(entry.validity.from()),
        valid_to: ActiveValue::Set(entry.validity.to()),
        decision: ActiveValue::Set(entry.decision.clone()),
        source: ActiveValue::Set(entry.source.code().to_owned()),
        first_seen: ActiveValue::NotSet,
        last_changed: ActiveValue::NotSet,
    }
}

pub(crate) fn price_from_row(row: price_list_entry::Model) -> Result<PriceListEntry, StoreError> {
    const TABLE: &str = "price_list_entries";
    let name = row.key.clone();
    let field = |column: &'static str| {
        let name = name.as_str();
        move |e: ModelError| corrupt(TABLE, column, name, e)
    };
    Ok(PriceListEntry {
        key: key(TABLE, &row.key)?,
        payer: Party::parse("payer", &row.payer).map_err(field("payer"))?,
        provider: Party::parse("provider", &row.provider).map_err(field("provider"))?,
        school_form: SchoolForm::parse(&row.school_form).map_err(field("school_form"))?,
        scope: match &row.course_code {
            Some(code) => PriceScope::Course(CourseCode::parse(code).map_err(field("course_code"))?),
            None => PriceScope::SchoolForm,
        },
        unit: PriceUnit::parse(&row.unit).map_err(field("unit"))?,
        amount: u64::try_from(row.amount_ore)
            .map(AmountSek::from_ore)
            .map_err(|_| ModelError::new("amountSek", "is negative"))
            .map_err(field("amount_ore"))?,
        validity: validity(TABLE, &row.key, row.valid_from, row.valid_to)?,
        decision: row.decision.clone(),
        source: FigureSource::parse(&row.source).map_err(field("source"))?,
    })
}

/// One entry of one registry, as an admin edits it.
#[derive(Debug, Clone, PartialEq)]
pub enum RegistryEntry {
    OccupationLink(OccupationLink),
    ValidationOffer(ValidationOffer),
    GuidanceService(GuidanceService),
    Price(PriceListEntry),
}

/// What names one entry: its registry and key (a link is its own key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryEntryId {
    OccupationLink(OccupationLink),
    ValidationOffer(RegistryKey),
    GuidanceService(RegistryKey),
    Price(RegistryKey),
}

impl RegistryEntryId {
    /// The entry's type as the audit log names it: `validation_offer`, …
    pub fn target_type(&self) -> &'static str {
        match self {
            Self::OccupationLink(_) => "occupation_link",
            Self::ValidationOffer(_) => "validation_offer",
            Self::GuidanceService(_) => "guidance_service",
            Self::Price(_) => "price",
        }
    }

    /// The key, as the audit log names it; a link is `course_code/occupation_id`.
    pub fn key(&self) -> String {
        match self {
            Self::OccupationLink(link) => format!("{}/{}", link.course.as_str(), link.occupation.as_str()),
            Self::ValidationOffer(key) | Self::GuidanceService(key) | Self::Price(key) => key.to_string(),
        }
    }
}

impl RegistryEntry {
    pub fn id(&self) -> RegistryEntryId {
        match self {
            Self::OccupationLink(link) => RegistryEntryId::OccupationLink(link.clone()),
            Self::ValidationOffer(offer) => RegistryEntryId::ValidationOffer(offer.key.clone()),
            Self::GuidanceService(service) => RegistryEntryId::GuidanceService(service.key.clone()),
            Self::Price(entry) => RegistryEntryId::Price(entry.key.clone()),
        }
    }

    /// The municipalities whose residents the entry serves; none for the region-wide
    /// registries (links and prices).
    pub fn municipalities(&self) -> &[MunicipalityCode] {
        match self {
            Self::ValidationOffer(offer) => &offer.municipalities,
            Self::GuidanceService(service) => &service.municipalities,
            Self::OccupationLink(_) | Self::Price(_) => &[],
        }
    }

    /// The entry as one row of its registry.
    pub fn into_rows(self) -> RegistryRows {
        match self {
            Self::OccupationLink(link) => RegistryRows::OccupationLinks(vec![link]),
            Self::ValidationOffer(offer) => RegistryRows::ValidationOffers(vec![offer]),
            Self::GuidanceService(service) => RegistryRows::GuidanceServices(vec![service]),
            Self::Price(entry) => RegistryRows::Prices(vec![entry]),
        }
    }
}

/// An admin's change of one registry entry.
#[derive(Debug, Clone, PartialEq)]
pub enum RegistryChange {
    /// Add an entry whose key is not stored.
    Create(RegistryEntry),
    /// Replace the stored entry with the same key.
    Update(RegistryEntry),
    Delete(RegistryEntryId),
}

impl RegistryChange {
    pub fn id(&self) -> RegistryEntryId {
        match self {
            Self::Create(entry) | Self::Update(entry) => entry.id(),
            Self::Delete(id) => id.clone(),
        }
    }

    fn after(&self) -> Option<&RegistryEntry> {
        match self {
            Self::Create(entry) | Self::Update(entry) => Some(entry),
            Self::Delete(_) => None,
        }
    }
}

/// What [`Store::change_registry`] did.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant, reason = "one per admin request, moved once")]
pub enum RegistryChanged {
    /// Written and audited: the entry before (none for a creation) and after (none for a
    /// deletion).
    Done { before: Option<RegistryEntry>, after: Option<RegistryEntry> },
    /// Nothing written: `may` refused the municipalities the change touches (listed; empty for
    /// a region-wide registry or an entry that does not exist). The caller audits the refusal.
    Refused { municipalities: Vec<MunicipalityCode> },
}

/// How the audit log describes an entry, given by the caller: the gateway writes the import
/// file's JSON, so a `before` can be imported again.
pub type Describe<'a> = &'a (dyn Fn(&RegistryEntry) -> Json + Sync);

/// Who makes a change: asked with the municipalities the change touches, the stored entry's
/// and the new one's (empty for the region-wide registries), inside the transaction that
/// writes it.
pub type May<'a> = &'a (dyn Fn(&[MunicipalityCode]) -> bool + Sync);

/// Who changes a registry entry, and how the change is audited.
#[derive(Clone, Copy)]
pub struct ChangedBy<'a> {
    /// The audit log's action, such as `guidance_service.update`.
    pub action: &'a str,
    pub may: May<'a>,
    pub describe: Describe<'a>,
    pub context: &'a crate::AuditContext,
}

impl Store {
    /// Makes one admin change and audits it as `by.action` with the entry before and after
    /// (as `by.describe` writes them), in one transaction. The stored entry is read in the same transaction and `may` is asked
    /// about both its municipalities and the new ones (`by.may`), so an admin cannot move another
    /// municipality's entry into their own. Refused: nothing written
    /// ([`RegistryChanged::Refused`]). Creating a stored key is
    /// [`StoreError::RegistryEntryExists`], updating or deleting a missing one
    /// [`StoreError::UnknownRegistryEntry`], an overlapping price
    /// [`StoreError::RegistryConflict`]; each writes nothing.
    pub async fn change_registry(
        &self,
        change: &RegistryChange,
        by: ChangedBy<'_>,
        taxonomy: &Taxonomy,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<RegistryChanged, StoreError> {
        let ChangedBy { action, may, describe, context } = by;
        let id = change.id();
        let txn = self.begin_write().await?;
        let before = stored_entry(&txn, &id, taxonomy).await?;
        let mut touched: Vec<MunicipalityCode> =
            before.iter().chain(change.after()).flat_map(|e| e.municipalities().iter().copied()).collect();
        touched.sort();
        touched.dedup();
        if !may(&touched) {
            txn.rollback().await?;
            return Ok(RegistryChanged::Refused { municipalities: touched });
        }
        match (change, &before) {
            (RegistryChange::Create(_), Some(_)) => {
                return Err(StoreError::RegistryEntryExists(id.target_type(), id.key()));
            }
            (RegistryChange::Update(_) | RegistryChange::Delete(_), None) => {
                return Err(StoreError::UnknownRegistryEntry(id.target_type(), id.key()));
            }
            _ => {}
        }
        match change {
            RegistryChange::Create(entry) | RegistryChange::Update(entry) => {
                match entry {
                    RegistryEntry::OccupationLink(link) => upsert_links(&txn, std::slice::from_ref(link), at).await?,
                    RegistryEntry::ValidationOffer(offer) => {
                        upsert_offers(&txn, std::slice::from_ref(offer), at).await?
                    }
                    RegistryEntry::GuidanceService(service) => {
                        upsert_services(&txn, std::slice::from_ref(service), at).await?
                    }
                    RegistryEntry::Price(entry) => upsert_prices(&txn, std::slice::from_ref(entry), at).await?,
                };
            }
            RegistryChange::Delete(id) => delete_entry(&txn, id).await?,
        }
        raise_revision(&txn).await?;
        let record = crate::AuditRecord {
            action: action.to_owned(),
            target_type: id.target_type().to_owned(),
            target_id: id.key(),
            municipality: touched.first().copied(),
            before: before.as_ref().map(describe),
            after: change.after().map(describe),
            outcome: crate::AuditOutcome::Ok,
        };
        crate::access::write_audit(&txn, context, record, at).await?;
        txn.commit().await?;
        Ok(RegistryChanged::Done { before, after: change.after().cloned() })
    }
}

/// Raises the registries' revision in `txn`. The update locks the row until `txn` ends, so
/// concurrent writers take their revisions in commit order.
async fn raise_revision(txn: &DatabaseTransaction) -> Result<(), StoreError> {
    registry_revision::Entity::update_many()
        .col_expr(registry_revision::Column::Revision, Expr::col(registry_revision::Column::Revision).add(1))
        .filter(registry_revision::Column::Id.eq(1_i16))
        .exec(txn)
        .await?;
    Ok(())
}

/// The stored entry `id` names, read in `txn`.
async fn stored_entry(
    txn: &DatabaseTransaction,
    id: &RegistryEntryId,
    taxonomy: &Taxonomy,
) -> Result<Option<RegistryEntry>, StoreError> {
    Ok(match id {
        RegistryEntryId::OccupationLink(link) => occupation_link::Entity::find()
            .filter(occupation_link::Column::CourseCode.eq(link.course.as_str()))
            .filter(occupation_link::Column::OccupationId.eq(link.occupation.as_str()))
            .one(txn)
            .await?
            .map(|row| link_from_row(row, taxonomy))
            .transpose()?
            .map(RegistryEntry::OccupationLink),
        RegistryEntryId::ValidationOffer(key) => validation_offer::Entity::find_by_id(key.as_str())
            .one(txn)
            .await?
            .map(|row| offer_from_row(row, taxonomy))
            .transpose()?
            .map(RegistryEntry::ValidationOffer),
        RegistryEntryId::GuidanceService(key) => guidance_service::Entity::find_by_id(key.as_str())
            .one(txn)
            .await?
            .map(service_from_row)
            .transpose()?
            .map(RegistryEntry::GuidanceService),
        RegistryEntryId::Price(key) => price_list_entry::Entity::find_by_id(key.as_str())
            .one(txn)
            .await?
            .map(price_from_row)
            .transpose()?
            .map(RegistryEntry::Price),
    })
}

async fn delete_entry(txn: &DatabaseTransaction, id: &RegistryEntryId) -> Result<(), StoreError> {
    match id {
        RegistryEntryId::OccupationLink(link) => {
            occupation_link::Entity::delete_many()
                .filter(occupation_link::Column::CourseCode.eq(link.course.as_str()))
                .filter(occupation_link::Column::OccupationId.eq(link.occupation.as_str()))
                .exec(txn)
                .await?;
        }
        RegistryEntryId::ValidationOffer(key) => {
            validation_offer::Entity::delete_by_id(key.as_str()).exec(txn).await?;
        }
        RegistryEntryId::GuidanceService(key) => {
            guidance_service::Entity::delete_by_id(key.as_str()).exec(txn).await?;
        }
        RegistryEntryId::Price(key) => {
            price_list_entry::Entity::delete_by_id(key.as_str()).exec(txn).await?;
        }
    }
    Ok(())
}
