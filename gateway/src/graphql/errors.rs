//! Error policy of the GraphQL API.
//!
//! Clients branch on `extensions.code` ([`Code`]), never on the message. Every code is chosen
//! where vuxnav knows what went wrong, never by reading async-graphql's English messages:
//!
//! - a resolver refuses an argument or misses an object with an [`ApiError`]
//!   (`BAD_USER_INPUT` naming the argument in `extensions.argument`, or `NOT_FOUND`);
//! - [`Protections`] checks each request before async-graphql validates it: the document
//!   must parse (`GRAPHQL_PARSE_FAILED`), its aliases are counted against the limit, its
//!   variables and literal arguments must coerce to their types (`graphql::coercion`,
//!   `BAD_USER_INPUT` naming `$variable.path` or `argument.path`); after validation it
//!   compares async-graphql's measured depth and complexity with the limits. A refused limit
//!   is a [`LimitExceeded`]: `QUERY_TOO_COMPLEX` naming the limit and both figures. Whatever
//!   async-graphql's validation itself rejects is `GRAPHQL_VALIDATION_FAILED`;
//! - anything else is a bug: logged with its message and path, answered `INTERNAL` with no
//!   detail (see [`internal`](super::internal) for errors a resolver catches itself).
//!
//! Messages are lowercase and name the argument, variable or limit at fault.
//!
//! Access adds `UNAUTHENTICATED` (HTTP 401 before anything runs), `FORBIDDEN` (the key may not
//! do this to this municipality's object), `RATE_LIMITED` (HTTP 429) and `CONFLICT` (a save
//! based on an older revision).

use std::sync::{Arc, Mutex, PoisonError};

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest, NextRequest, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ErrorExtensions, Request, Response, ServerError, ServerResult, ValidationResult, Variables};

use super::codes::{Code, has_code};
use super::coercion;
use super::limits::{Limit, LimitExceeded, MAX_NESTING, count_aliases};

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

    pub fn code(&self) -> Code {
        match self {
            Self::BadUserInput { .. } => Code::BadUserInput,
            Self::NotFound(_) => Code::NotFound,
            Self::Forbidden(_) => Code::Forbidden,
            Self::Conflict(_) => Code::Conflict,
        }
    }
}

impl ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        async_graphql::Error::new(self.message()).extend_with(|_, extensions| {
            extensions.set("code", self.code().as_str());
            if let Self::BadUserInput { argument, .. } = self {
                extensions.set("argument", argument.as_str());
            }
        })
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(error: ApiError) -> Self {
        error.extend()
    }
}

/// The limits and checks of the schema, as an async-graphql extension. The depth and
/// complexity limits are not given to async-graphql's builder: its refusal is an English
/// message without the figures, so this extension compares the figures its validation
/// measured instead.
#[derive(Debug, Clone, Copy)]
pub struct Protections {
    pub max_aliases: usize,
    pub max_depth: usize,
    pub max_complexity: usize,
}

impl ExtensionFactory for Protections {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Checks { limits: *self, refused: Mutex::new(Vec::new()) })
    }
}

/// One request's checks. async-graphql's `prepare_request` hook can return only one error,
/// so the problems found there are kept here and returned from the `validation` hook, which
/// can return them all; nothing is validated or run after a refusal.
struct Checks {
    limits: Protections,
    refused: Mutex<Vec<ServerError>>,
}

impl Checks {
    fn refuse(&self, errors: Vec<ServerError>) {
        self.refused.lock().unwrap_or_else(PoisonError::into_inner).extend(errors);
    }

    fn take_refused(&self) -> Vec<ServerError> {
        std::mem::take(&mut *self.refused.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The aliases, variables and literal arguments of a parsed document.
    fn check_document(
        &self,
        ctx: &ExtensionContext<'_>,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> Vec<ServerError> {
        let mut refused = Vec::new();
        let aliases = count_aliases(document);
        if aliases > self.limits.max_aliases as u64 {
            let max = self.limits.max_aliases as u64;
            refused.push(LimitExceeded { limit: Limit::Aliases, measured: aliases, max }.into());
        }
        let problems = coercion::check(&ctx.schema_env.registry, document, operation_name, variables);
        refused.extend(problems.into_iter().map(ServerError::from));
        refused
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Checks {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        // Parsing is the only thing `parsed_query` can fail at (it is a no-op for a document
        // the transport parsed already).
        let operation_name = request.operation_name.clone();
        let variables = std::mem::take(&mut request.variables);
        let document = request.parsed_query().map_err(|mut error| {
            Code::GraphqlParseFailed.set(&mut error);
            error
        })?;
        let refused = self.check_document(ctx, document, operation_name.as_deref(), &variables);
        request.variables = variables;
        self.refuse(refused);
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        // The document is parsed already (`prepare_request`): what async-graphql does here is
        // its recursion-depth check, which follows fragment spreads. The transport refuses a
        // document nested deeper than `max_nesting` before it gets here
        // (`limits::DocumentLimits::check_expansion`); a caller in process meets this one.
        next.run(ctx, query, variables).await.map_err(|error| {
            let message = format!("the document nests selection sets deeper than {MAX_NESTING}");
            let mut refusal = Code::QueryTooComplex.error(message);
            refusal.locations = error.locations;
            refusal
        })
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let refused = self.take_refused();
        if !refused.is_empty() {
            return Err(refused);
        }
        let result = next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|mut error| {
                    Code::GraphqlValidationFailed.set(&mut error);
                    error
                })
                .collect::<Vec<_>>()
        })?;
        let figures = [
            (Limit::Depth, result.depth, self.limits.max_depth),
            (Limit::Complexity, result.complexity, self.limits.max_complexity),
        ];
        let refused: Vec<ServerError> = figures
            .into_iter()
            .filter(|&(_, measured, max)| measured > max)
            .map(|(limit, measured, max)| LimitExceeded { limit, measured: measured as u64, max: max as u64 }.into())
            .collect();
        if refused.is_empty() { Ok(result) } else { Err(refused) }
    }

    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        for error in response.errors.iter_mut().filter(|error| !has_code(error)) {
            tracing::error!(message = %error.message, path = ?error.path, "unexpected GraphQL error");
            error.message = "internal error".to_owned();
            Code::Internal.set(error);
        }
        response
    }
}
