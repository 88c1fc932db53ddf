//! The admin pages ask the admin API, in this process: [`ask`] executes a GraphQL document on
//! the app's `AdminSchema` with the session's `Caller` and `AuditContext` in the request's data,
//! exactly as `http::access::attach` puts them there for `/admin/graphql`. So every page goes
//! through the API's authorization (`admin::authorize`, `POLICY`), validation and audit, and
//! there is no second rule set; nor is there a network round trip.

use async_graphql::{Request, Variables};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::session::Signed;
use crate::app::App;

/// Why the API said no, as the pages tell it.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// `extensions.code`: `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, `CONFLICT`, `INTERNAL`, …
    pub code: String,
    /// The API's message (English).
    pub message: String,
    /// A draft's problems (`extensions.problems`): (field, message).
    pub problems: Vec<(String, String)>,
    /// The argument a `BAD_USER_INPUT` names (`extensions.argument`), such as `entry.key`.
    pub argument: Option<String>,
}

impl Refusal {
    fn internal(message: impl Into<String>) -> Self {
        Self { code: "INTERNAL".to_owned(), message: message.into(), problems: Vec::new(), argument: None }
    }

    /// What the refusal means to an admin, in Swedish.
    pub fn swedish(&self) -> String {
        match self.code.as_str() {
            "FORBIDDEN" => "Din nyckel har inte behörighet till det här.".to_owned(),
            "NOT_FOUND" => "Det finns inget sådant.".to_owned(),
            "CONFLICT" => format!(
                "Någon annan har sparat källan sedan du öppnade den. Läs in sidan igen och gör om ändringen. ({})",
                self.message
            ),
            "BAD_USER_INPUT" => format!("Uppgifterna kunde inte användas: {}", self.message),
            _ => "Något gick fel hos tjänsten. Försök igen om en stund.".to_owned(),
        }
    }
}

/// Executes `document` with `variables` as the signed-in admin and reads the answer's `data`
/// as `T`; the first error is the refusal.
pub async fn ask<T: DeserializeOwned>(
    app: &App,
    signed: &Signed,
    document: &str,
    variables: Value,
) -> Result<T, Refusal> {
    let request = Request::new(document)
        .variables(Variables::from_json(variables))
        .data(signed.caller.clone())
        .data(signed.context.clone());
    let response = app.admin_schema.execute(request).await;
    if let Some(error) = response.errors.first() {
        let extensions = error.extensions.as_ref();
        let code = extensions
            .and_then(|extensions| extensions.get("code"))
            .and_then(|code| match code {
                async_graphql::Value::String(code) => Some(code.clone()),
                async_graphql::Value::Enum(code) => Some(code.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "INTERNAL".to_owned());
        let problems = extensions
            .and_then(|extensions| extensions.get("problems"))
            .and_then(|problems| problems.clone().into_json().ok())
            .and_then(|problems| serde_json::from_value::<Vec<Problem>>(problems).ok())
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.field, problem.message))
            .collect();
        let argument =
            extensions.and_then(|extensions| extensions.get("argument")).and_then(|argument| match argument {
                async_graphql::Value::String(argument) => Some(argument.clone()),
                _ => None,
            });
        return Err(Refusal { code, message: error.message.clone(), problems, argument });
    }
    let data = response.data.into_json().map_err(|error| Refusal::internal(error.to_string()))?;
    serde_json::from_value(data).map_err(|error| {
        tracing::error!(%error, "the admin pages cannot read the admin API's answer");
        Refusal::internal("unreadable answer")
    })
}

#[derive(serde::Deserialize)]
struct Problem {
    field: String,
    message: String,
}

/// The problems, as (field, message), that a `validate…` mutation finds in a draft: `document`
/// asks one such mutation for `problems { field message }`.
pub async fn problems(
    app: &App,
    signed: &Signed,
    document: &str,
    variables: Value,
) -> Result<Vec<(String, String)>, Refusal> {
    #[derive(serde::Deserialize)]
    struct Checked {
        problems: Vec<Problem>,
    }
    let data = ask::<std::collections::HashMap<String, Checked>>(app, signed, document, variables).await?;
    Ok(data.into_values().flat_map(|checked| checked.problems).map(|p| (p.field, p.message)).collect())
}
