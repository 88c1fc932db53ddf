//! The region's registries: occupation links, validation offers, guidance services and the
//! price list.
//!
//! One function per write, each in its own transaction: `put_*` upserts one entry on its key,
//! `remove_*` deletes one, and [`Store::import_registry`] writes a whole file's rows at once
//! (all or nothing). Every write takes its transaction from `begin_write` and commits at the
//! end, so the audit row that branch `access` brings is one more call on the same transaction
//! before the commit: a change and its audit row land together or not at all.
//!
//! Values are validated by the schema before they get here; the store adds the one rule that
//! needs what is stored: a price may not overlap a stored price of the same scope
//! ([`StoreError::RegistryConflict`]). Rows read back go through the schema's constructors;
//! one they reject is [`StoreError::Corrupt`].

use std::collections::BTreeSet;

use chrono::{NaiveTime, Weekday};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, IdenStatic, Iterable, QueryFilter,
    QueryOrder,
};
use serde_json::Value as Json;
use vuxnav_schema::{
    AmountSek, Channel, Coordinates, CourseCode, FigureSource, GuidanceKind, GuidanceService, IndustryModel, Language,
    Location, ModelError, MunicipalityCode, OccupationLink, OpeningHours, Party, Payer, PriceList, PriceListEntry,
    PriceScope, PriceUnit, Registries, RegistryKey, SchoolForm, SeqfLevel, TargetGroup, Taxonomy, ValidationKind,
    ValidationOffer, Validity,
};

use crate::entity::{guidance_service, occupation_link, price_list_entry, validation_offer};
use crate::harvest::rows_per_statement;
use crate::{Store, StoreError};

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

    /// Links a course or package to an occupation; linking twice changes nothing.
    pub async fn put_occupation_link(&self, link: &OccupationLink) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert_links(&txn, std::slice::from_ref(link)).await?;
        Ok(txn.commit().await?)
    }

    /// Removes a link; `false` when there was none.
    pub async fn remove_occupation_link(&self, link: &OccupationLink) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let removed = occupation_link::Entity::delete_many()
            .filter(occupation_link::Column::CourseCode.eq(link.course.as_str()))
            .filter(occupation_link::Column::OccupationId.eq(link.occupation.as_str()))
            .exec(&txn)
            .await?
            .rows_affected;
        txn.commit().await?;
        Ok(removed > 0)
    }

    /// Adds a validation offer, or replaces the one with its key.
    pub async fn put_validation_offer(&self, offer: &ValidationOffer) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert_offers(&txn, std::slice::from_ref(offer)).await?;
        Ok(txn.commit().await?)
    }

    /// Removes a validation offer; `false` when no offer has the key.
    pub async fn remove_validation_offer(&self, key: &RegistryKey) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let removed = validation_offer::Entity::delete_by_id(key.as_str()).exec(&txn).await?.rows_affected;
        txn.commit().await?;
        Ok(removed > 0)
    }

    /// Adds a guidance service, or replaces the one with its key.
    pub async fn put_guidance_service(&self, service: &GuidanceService) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert_services(&txn, std::slice::from_ref(service)).await?;
        Ok(txn.commit().await?)
    }

    /// Removes a guidance service; `false` when no service has the key.
    pub async fn remove_guidance_service(&self, key: &RegistryKey) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let removed = guidance_service::Entity::delete_by_id(key.as_str()).exec(&txn).await?.rows_affected;
        txn.commit().await?;
        Ok(removed > 0)
    }

    /// Adds a price, or replaces the one with its key. A price that overlaps a stored price of
    /// the same scope is [`StoreError::RegistryConflict`], and nothing is written.
    pub async fn put_price(&self, entry: &PriceListEntry) -> Result<(), StoreError> {
        let txn = self.begin_write().await?;
        upsert_prices(&txn, std::slice::from_ref(entry)).await?;
        Ok(txn.commit().await?)
    }

    /// Removes a price; `false` when no price has the key.
    pub async fn remove_price(&self, key: &RegistryKey) -> Result<bool, StoreError> {
        let txn = self.begin_write().await?;
        let removed = price_list_entry::Entity::delete_by_id(key.as_str()).exec(&txn).await?.rows_affected;
        txn.commit().await?;
        Ok(removed > 0)
    }

    /// Writes one registry's rows in one transaction: each row added, or replacing the entry
    /// with its key. All or nothing: a conflict (prices) writes nothing. With `dry_run` the
    /// transaction is rolled back, so the outcome says what an import would do.
    pub async fn import_registry(&self, rows: &RegistryRows, dry_run: bool) -> Result<ImportOutcome, StoreError> {
        let txn = self.begin_write().await?;
        let outcome = match rows {
            RegistryRows::OccupationLinks(links) => upsert_links(&txn, links).await?,
            RegistryRows::ValidationOffers(offers) => upsert_offers(&txn, offers).await?,
            RegistryRows::GuidanceServices(services) => upsert_services(&txn, services).await?,
            RegistryRows::Prices(entries) => upsert_prices(&txn, entries).await?,
        };
        if dry_run {
            txn.rollback().await?;
        } else {
            txn.commit().await?;
        }
        Ok(outcome)
    }
}

/// The outcome of upserting `written` rows of which the keys in `stored` existed before.
fn outcome(written: usize, stored: usize) -> ImportOutcome {
    let (written, stored) = (written as u64, stored as u64);
    ImportOutcome { new: written.saturating_sub(stored), updated: stored }
}

/// How many of `keys` the table `E` holds already.
async fn count_stored<E>(txn: &DatabaseTransaction, column: E::Column, keys: Vec<String>) -> Result<usize, StoreError>
where
    E: EntityTrait,
{
    let mut count = 0;
    for chunk in keys.chunks(rows_per_statement(1)) {
        count += E::find().filter(column.is_in(chunk.iter().cloned())).all(txn).await?.len();
    }
    Ok(count)
}

/// Inserts `rows`, replacing every column but the key on a key conflict, in chunks that stay
/// under the bound-value limit.
async fn upsert<A>(
    txn: &DatabaseTransaction,
    key: <A::Entity as EntityTrait>::Column,
    rows: Vec<A>,
) -> Result<(), StoreError>
where
    A: sea_orm::ActiveModelTrait + Send,
{
    let columns: Vec<_> = <A::Entity as EntityTrait>::Column::iter().collect();
    let updates: Vec<_> = columns.iter().copied().filter(|c| c.as_str() != key.as_str()).collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(rows_per_statement(columns.len())).collect();
        let mut conflict = OnConflict::column(key);
        if updates.is_empty() {
            conflict.do_nothing();
        } else {
            conflict.update_columns(updates.iter().copied());
        }
        <A::Entity as EntityTrait>::insert_many(chunk).on_conflict(conflict).exec_without_returning(txn).await?;
    }
    Ok(())
}

async fn upsert_links(txn: &DatabaseTransaction, links: &[OccupationLink]) -> Result<ImportOutcome, StoreError> {
    let held: BTreeSet<(String, String)> =
        occupation_link::Entity::find().all(txn).await?.into_iter().map(|r| (r.course_code, r.occupation_id)).collect();
    let stored =
        links.iter().filter(|l| held.contains(&(l.course.as_str().to_owned(), l.occupation.to_string()))).count();
    let unique: BTreeSet<&OccupationLink> = links.iter().collect();
    for chunk in unique.into_iter().collect::<Vec<_>>().chunks(rows_per_statement(2)) {
        let rows = chunk.iter().map(|link| occupation_link::ActiveModel {
            course_code: ActiveValue::Set(link.course.as_str().to_owned()),
            occupation_id: ActiveValue::Set(link.occupation.to_string()),
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

async fn upsert_offers(txn: &DatabaseTransaction, offers: &[ValidationOffer]) -> Result<ImportOutcome, StoreError> {
    let keys = offers.iter().map(|o| o.key.to_string()).collect();
    let stored = count_stored::<validation_offer::Entity>(txn, validation_offer::Column::Key, keys).await?;
    upsert(txn, validation_offer::Column::Key, offers.iter().map(offer_row).collect()).await?;
    Ok(outcome(offers.len(), stored))
}

async fn upsert_services(txn: &DatabaseTransaction, services: &[GuidanceService]) -> Result<ImportOutcome, StoreError> {
    let keys = services.iter().map(|s| s.key.to_string()).collect();
    let stored = count_stored::<guidance_service::Entity>(txn, guidance_service::Column::Key, keys).await?;
    upsert(txn, guidance_service::Column::Key, services.iter().map(service_row).collect()).await?;
    Ok(outcome(services.len(), stored))
}

/// Upserts prices after checking that the stored list with them in place is still a valid
/// [`PriceList`]; it reads the whole list, which is small (rows per municipality pair, not
/// per offering).
async fn upsert_prices(txn: &DatabaseTransaction, entries: &[PriceListEntry]) -> Result<ImportOutcome, StoreError> {
    let keys: BTreeSet<&RegistryKey> = entries.iter().map(|e| &e.key).collect();
    let stored = stored_prices(txn).await?;
    let replaced = stored.iter().filter(|e| keys.contains(&e.key)).count();
    let mut merged: Vec<PriceListEntry> = stored.into_iter().filter(|e| !keys.contains(&e.key)).collect();
    merged.extend(entries.iter().cloned());
    PriceList::new(merged).map_err(StoreError::RegistryConflict)?;
    upsert(txn, price_list_entry::Column::Key, entries.iter().map(price_row).collect()).await?;
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

fn link_from_row(row: occupation_link::Model, taxonomy: &Taxonomy) -> Result<OccupationLink, StoreError> {
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
    }
}

fn offer_from_row(row: validation_offer::Model, taxonomy: &Taxonomy) -> Result<ValidationOffer, StoreError> {
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

fn service_from_row(row: guidance_service::Model) -> Result<GuidanceService, StoreError> {
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
    }
}

fn price_from_row(row: price_list_entry::Model) -> Result<PriceListEntry, StoreError> {
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
