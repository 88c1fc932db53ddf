//! Sessions of the admin pages (`/admin`): a server-side row per signed-in browser, so every
//! replica sharing the database knows every session. Only the SHA-256 of the session id is
//! kept; the id itself is in the browser's cookie alone.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string_len, timestamp_with_time_zone};

pub(crate) struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m0006_admin_sessions"
    }
}

#[derive(DeriveIden)]
enum AdminSessions {
    Table,
    IdHash,
    KeyId,
    CsrfSecret,
    CreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminSessions::Table)
                    // Lowercase hex of the SHA-256 of the session id.
                    .col(string_len(AdminSessions::IdHash, 64).primary_key())
                    // The API key signed in with; its revocation or expiry ends the session.
                    .col(big_integer(AdminSessions::KeyId))
                    // The synchronizer token of the session's forms.
                    .col(string_len(AdminSessions::CsrfSecret, 64))
                    .col(timestamp_with_time_zone(AdminSessions::CreatedAt))
                    .col(timestamp_with_time_zone(AdminSessions::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        // Ending a key's sessions, and clearing expired ones.
        manager
            .create_index(
                Index::create()
                    .name("idx_admin_sessions_key_id")
                    .table(AdminSessions::Table)
                    .col(AdminSessions::KeyId)
                    .to_owned(),
            )
            .await
    }
}
