//! The stable `extensions.code` of every error the API answers, for the transport
//! (`http::graphql_http`) and the resolvers (`graphql::errors`) alike.
//!
//! Clients branch on the code, never on the message. A code is chosen where vuxnav knows what
//! went wrong: by the type of the error (an [`HttpError`](crate::http::graphql_http::HttpError),
//! an [`ApiError`](super::errors::ApiError), a refused limit, a variable that does not
//! coerce) or by the step that produced it (parsing, validation), never by reading a library's
//! English message. A new code is one line in [`codes!`] below, and nothing else.

use async_graphql::{ErrorExtensionValues, ServerError};

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)+) => {
        /// A stable error code, sent as `extensions.code`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &[Code] = &[$(Code::$variant,)+];

            /// The code as sent: `BAD_USER_INPUT`, `QUERY_TOO_COMPLEX`, …
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }
        }
    };
}

codes! {
    /// The HTTP request is malformed: body, parameters or operation selection.
    BadRequest = "BAD_REQUEST",
    /// A value the caller gave is wrong: an argument or a variable; the message names it.
    BadUserInput = "BAD_USER_INPUT",
    /// The document is not valid GraphQL syntax.
    GraphqlParseFailed = "GRAPHQL_PARSE_FAILED",
    /// The document does not validate against the schema.
    GraphqlValidationFailed = "GRAPHQL_VALIDATION_FAILED",
    /// The request is bigger or costlier than a limit allows; `extensions.limit` names the
    /// limit, `extensions.measured` and `extensions.max` give the figures.
    QueryTooComplex = "QUERY_TOO_COMPLEX",
    /// A looked-up object does not exist.
    NotFound = "NOT_FOUND",
    /// The HTTP method is not allowed (for this operation).
    MethodNotAllowed = "METHOD_NOT_ALLOWED",
    /// No media type in `Accept` can be served.
    NotAcceptable = "NOT_ACCEPTABLE",
    /// The request body is larger than the limit.
    PayloadTooLarge = "PAYLOAD_TOO_LARGE",
    /// The request URL (a `GET` with its query string) is longer than the limit.
    UriTooLong = "URI_TOO_LONG",
    /// The request's `Content-Type` is missing or not supported.
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
    /// No key, or a malformed, unknown, expired or revoked one (HTTP 401, before anything runs).
    Unauthenticated = "UNAUTHENTICATED",
    /// The caller's role may not do this to this municipality's object.
    Forbidden = "FORBIDDEN",
    /// A save based on an older revision than the stored one.
    Conflict = "CONFLICT",
    /// The caller sent more requests than its role's limit (HTTP 429 with `Retry-After`).
    RateLimited = "RATE_LIMITED",
    /// A persisted query's hash that this server does not know: send the query with it once.
    PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND",
    /// An anonymous caller sent a document that is not one of the server's trusted documents
    /// (`[access.trusted_documents] anonymous = "require"`): send its `documentId`, or a key.
    PersistedQueryNotInList = "PERSISTED_QUERY_NOT_IN_LIST",
    /// Something failed that the client cannot fix; details are only in the log.
    Internal = "INTERNAL",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Code {
    /// A request-level error (no path, no location) with this code.
    pub fn error(self, message: impl Into<String>) -> ServerError {
        let mut error = ServerError::new(message, None);
        self.set(&mut error);
        error
    }

    /// Sets this code on `error`, replacing any it had.
    pub fn set(self, error: &mut ServerError) {
        error.extensions.get_or_insert_with(ErrorExtensionValues::default).set("code", self.as_str());
    }
}

/// Whether `error` already carries an `extensions.code`.
pub fn has_code(error: &ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|extensions| extensions.get("code").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_upper_snake_case_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(text.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{text}");
            assert!(seen.insert(text), "{text} twice");
        }
    }

    #[test]
    fn a_code_set_on_an_error_is_found_by_has_code() {
        let mut error = ServerError::new("x", None);
        assert!(!has_code(&error));
        Code::NotFound.set(&mut error);
        assert!(has_code(&error));
        let code = error.extensions.as_ref().and_then(|extensions| extensions.get("code").cloned());
        assert_eq!(code, Some(async_graphql::Value::from("NOT_FOUND")));
    }
}
