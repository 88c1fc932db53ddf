//! Access and administration: API keys (only the SHA-256 of each secret), the audit log
//! (append-only, enforced by triggers on both backends), and the sources managed through the
//! admin API with every saved revision of their configuration.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer_null, big_pk_auto, integer, string_len, string_len_null, text, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0004_access"
    }
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    Name,
    Role,
    Municipalities,
    TokenHash,
    Hint,
    CreatedAt,
    CreatedBy,
    CreatedByKey,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    At,
    ActorKeyId,
    Actor,
    ActorRole,
    Action,
    TargetType,
    TargetId,
    Municipality,
    Before,
    After,
    Outcome,
    RequestId,
    ClientAddress,
}

#[derive(DeriveIden)]
enum SourceConfigs {
    Table,
    Id,
    Municipality,
    Revision,
    Config,
    SavedAt,
    SavedBy,
}

#[derive(DeriveIden)]
enum SourceConfigRevisions {
    Table,
    SourceId,
    Revision,
    Municipality,
    Config,
    SavedAt,
    SavedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(text(ApiKeys::Name))
                    .col(string_len(ApiKeys::Role, 32))
                    // Kommunkoder separated by commas; empty for a region-wide role.
                    .col(text(ApiKeys::Municipalities))
                    // Lowercase hex of the SHA-256 of the whole token.
                    .col(string_len(ApiKeys::TokenHash, 64))
                    // The token's first characters, to recognise it in a list.
                    .col(string_len(ApiKeys::Hint, 16))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(text(ApiKeys::CreatedBy))
                    .col(big_integer_null(ApiKeys::CreatedByKey))
                    .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .to_owned(),
            )
            .await?;
        // The key check: one equality lookup per request that the cache does not answer.
        manager
            .create_index(
                Index::create()
                    .name("idx_api_keys_token_hash")
                    .table(ApiKeys::Table)
                    .col(ApiKeys::TokenHash)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(big_pk_auto(AuditEvents::Id))
                    .col(timestamp_with_time_zone(AuditEvents::At))
                    .col(big_integer_null(AuditEvents::ActorKeyId))
                    .col(text(AuditEvents::Actor))
                    .col(string_len(AuditEvents::ActorRole, 32))
                    .col(string_len(AuditEvents::Action, 64))
                    .col(string_len(AuditEvents::TargetType, 32))
                    .col(text(AuditEvents::TargetId))
                    .col(string_len_null(AuditEvents::Municipality, 4))
                    // JSON, secrets redacted before insert.
                    .col(text_null(AuditEvents::Before))
                    .col(text_null(AuditEvents::After))
                    .col(string_len(AuditEvents::Outcome, 16))
                    .col(text_null(AuditEvents::RequestId))
                    .col(text_null(AuditEvents::ClientAddress))
                    .to_owned(),
            )
            .await?;
        // A municipal admin reads its municipalities' entries, newest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_municipality")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::Municipality)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_actor")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::ActorKeyId)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SourceConfigs::Table)
                    .col(string_len(SourceConfigs::Id, 64).primary_key())
                    .col(string_len(SourceConfigs::Municipality, 4))
                    .col(integer(SourceConfigs::Revision))
                    // The `[[source]]` entry as JSON.
                    .col(text(SourceConfigs::Config))
                    .col(timestamp_with_time_zone(SourceConfigs::SavedAt))
                    .col(text(SourceConfigs::SavedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SourceConfigRevisions::Table)
                    .col(string_len(SourceConfigRevisions::SourceId, 64))
                    .col(integer(SourceConfigRevisions::Revision))
                    .col(string_len(SourceConfigRevisions::Municipality, 4))
                    // `NULL` for the revision that deleted the source.
                    .col(text_null(SourceConfigRevisions::Config))
                    .col(timestamp_with_time_zone(SourceConfigRevisions::SavedAt))
                    .col(text(SourceConfigRevisions::SavedBy))
                    .primary_key(
                        Index::create().col(SourceConfigRevisions::SourceId).col(SourceConfigRevisions::Revision),
                    )
                    .to_owned(),
            )
            .await?;

        append_only(manager.get_connection(), "audit_events").await
    }
}

/// Makes `table` append-only in the database itself: an `UPDATE` or `DELETE` fails, whoever
/// sends it.
async fn append_only(db: &SchemaManagerConnection<'_>, table: &str) -> Result<(), DbErr> {
    let statements = match db.get_database_backend() {
        DbBackend::Postgres => vec![
            format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
            ),
            format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            ),
        ],
        _ => vec![
            format!(
                "CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            ),
            format!(
                "CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} \
                 BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            ),
        ],
    };
    for statement in statements {
        db.execute_unprepared(&statement).await?;
    }
    Ok(())
}
