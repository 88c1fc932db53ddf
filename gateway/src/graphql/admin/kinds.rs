//! `sourceKinds`: every connector kind with the JSON Schema of a `[[source]]` entry of that
//! kind (`connectors::describe`), the one description of a source's fields that the config
//! file, this API and the admin pages' form share. Partners' tools can build their own forms
//! from it.

use async_graphql::{Context, Json, Object, SimpleObject};
use serde_json::Value;
use vuxnav_connectors::config::ConnectorKind;
use vuxnav_connectors::describe::source_schema;

use super::{Target, caller, deny};
use crate::auth::{Operation, Reach};

/// A connector kind and how a source of it is written.
#[derive(SimpleObject)]
pub struct SourceKind {
    /// The kind's name as written in `connector.kind`, such as `csv`.
    kind: String,
    /// The JSON Schema (draft 2020-12) of a `[[source]]` entry of this kind, as JSON: every
    /// field with its Swedish title, its description and its default.
    schema: Json<Value>,
}

#[derive(Default)]
pub struct KindQuery;

#[Object]
impl KindQuery {
    /// Every connector kind, with the JSON Schema of a source of it.
    async fn source_kinds(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SourceKind>> {
        if caller(ctx).reach(Operation::ReadSource) == Reach::None {
            deny(ctx, Operation::ReadSource, Target { kind: "source", id: "*", municipality: None }).await?;
        }
        Ok(ConnectorKind::ALL
            .into_iter()
            .map(|kind| SourceKind { kind: kind.as_str().to_owned(), schema: Json(source_schema(kind)) })
            .collect())
    }
}
