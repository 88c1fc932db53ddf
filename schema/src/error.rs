//! Errors of the model: every one names the field and says what is wrong with it, so a
//! rejection or a `BAD_USER_INPUT` can be traced to the value that caused it.

/// A value that does not satisfy the model's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ModelError {
    /// The canonical field name, for example `municipality` or `pace`.
    pub field: &'static str,
    /// What is wrong, lowercase, no trailing period.
    pub reason: String,
}

impl ModelError {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self { field, reason: reason.into() }
    }
}
