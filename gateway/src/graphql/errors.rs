//! Error policy of the GraphQL API.
//!
//! Clients branch on `extensions.code`, never on the message. Each code is stable:
//! `BAD_USER_INPUT` (an argument is wrong; the message names it), `NOT_FOUND`,
//! `QUERY_TOO_COMPLEX` (depth, complexity or alias limits), `GRAPHQL_PARSE_FAILED`,
//! `GRAPHQL_VALIDATION_FAILED`, and `INTERNAL` for anything unexpected, which is logged with its
//! cause and answered with no detail. Access adds `UNAUTHENTICATED` (a missing, malformed,
//! unknown, expired or revoked key: HTTP 401 before anything runs), `FORBIDDEN` (the key may not
//! do this to this municipality's object), `RATE_LIMITED` (HTTP 429) and `CONFLICT` (a save
//! based on an older revision). The [`Protections`] extension attaches the codes that
//! async-graphql itself does not.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
};
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensions, Pos, Positioned, Response, ServerError, ServerResult, ValidationResult, Variables,
};

pub const BAD_USER_INPUT: &str = "BAD_USER_INPUT";
pub const NOT_FOUND: &str = "NOT_FOUND";
pub const QUERY_TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";
pub const PARSE_FAILED: &str = "GRAPHQL_PARSE_FAILED";
pub const VALIDATION_FAILED: &str = "GRAPHQL_VALIDATION_FAILED";
pub const INTERNAL: &str = "INTERNAL";
pub const UNAUTHENTICATED: &str = "UNAUTHENTICATED";
pub const FORBIDDEN: &str = "FORBIDDEN";
pub const RATE_LIMITED: &str = "RATE_LIMITED";
pub const CONFLICT: &str = "CONFLICT";

/// An error a resolver returns on purpose. It is deliberately not `Display`, so `?` turns it
/// into a GraphQL error through `From` below, which keeps its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// An argument is wrong; `argument` is its path, such as `filter.municipalities[0]`.
    BadUserInput {
        argument: String,
        reason: String,
    },
    NotFound(String),
    /// The caller may not do this; the message names the operation, never the object.
    Forbidden(String),
    /// The object changed since the caller read it.
    Conflict(String),
}

impl ApiError {
    pub fn bad_input(argument: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::BadUserInput { argument: argument.into(), reason: reason.into() }
    }

    pub fn message(&self) -> String {
        match self {
            Self::BadUserInput { argument, reason } => format!("{argument}: {reason}"),
            Self::NotFound(what) => format!("{what} not found"),
            Self::Forbidden(what) | Self::Conflict(what) => what.clone(),
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, extensions| match self {
            Self::BadUserInput { argument, .. } => {
                extensions.set("code", BAD_USER_INPUT);
                extensions.set("argument", argument.as_str());
            }
            Self::NotFound(_) => extensions.set("code", NOT_FOUND),
            Self::Forbidden(_) => extensions.set("code", FORBIDDEN),
            Self::Conflict(_) => extensions.set("code", CONFLICT),
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        error.extend()
    }
}

/// Limits that async-graphql does not enforce itself.
#[derive(Debug, Clone, Copy)]
pub struct Protections {
    pub max_aliases: usize,
}

impl ExtensionFactory for Protections {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

fn with_code(mut error: ServerError, code: &str) -> ServerError {
    if !has_code(&error) {
        error.extensions.get_or_insert_with(Default::default).set("code", code);
    }
    error
}

fn has_code(error: &ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|e| e.get("code").is_some())
}

fn count_aliases(document: &ExecutableDocument) -> usize {
    fn in_set(set: &Positioned<SelectionSet>) -> usize {
        set.node
            .items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(field) => usize::from(field.node.alias.is_some()) + in_set(&field.node.selection_set),
                Selection::InlineFragment(fragment) => in_set(&fragment.node.selection_set),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    let operations: usize = document.operations.iter().map(|(_, op)| in_set(&op.node.selection_set)).sum();
    let fragments: usize = document.fragments.values().map(|f| in_set(&f.node.selection_set)).sum();
    operations + fragments
}

#[async_graphql::async_trait::async_trait]
impl Extension for Protections {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await.map_err(|error| {
            if error.message.starts_with("The recursion depth") {
                with_code(
                    ServerError::new("the query is nested too deep", error.locations.first().copied()),
                    QUERY_TOO_COMPLEX,
                )
            } else {
                with_code(error, PARSE_FAILED)
            }
        })?;
        let aliases = count_aliases(&document);
        if aliases > self.max_aliases {
            return Err(with_code(
                ServerError::new(
                    format!("the query uses {aliases} aliases; at most {} are allowed", self.max_aliases),
                    Some(Pos::default()),
                ),
                QUERY_TOO_COMPLEX,
            ));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|error| match error.message.as_str() {
                    "Query is too complex." => with_code(
                        ServerError::new("the query is too complex: ask for fewer fields or smaller pages", None),
                        QUERY_TOO_COMPLEX,
                    ),
                    "Query is nested too deep." => {
                        with_code(ServerError::new("the query is nested too deep", None), QUERY_TOO_COMPLEX)
                    }
                    // A literal of the wrong type for an argument is the caller's input.
                    message if message.starts_with("Invalid value for argument") => with_code(error, BAD_USER_INPUT),
                    _ => with_code(error, VALIDATION_FAILED),
                })
                .collect()
        })
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in &mut response.errors {
            if has_code(error) {
                continue;
            }
            if error.path.is_empty() {
                // Errors before execution (variable coercion and the like) are the caller's.
                *error = with_code(std::mem::replace(error, ServerError::new("", None)), BAD_USER_INPUT);
            } else {
                tracing::error!(message = %error.message, path = ?error.path, "unexpected error while resolving");
                error.message = "internal error".to_owned();
                *error = with_code(std::mem::replace(error, ServerError::new("", None)), INTERNAL);
            }
        }
        response
    }
}
