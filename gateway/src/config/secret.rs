//! Secrets: values that are never printed, logged or put in an error message.

use std::fmt;

/// A value that must never be printed: a password, a token, a database URL that may hold one.
///
/// `Debug` and `Display` print `[REDACTED]`; the value is read only through [`Secret::expose`],
/// so every place that uses it in clear is easy to find. There is deliberately no `Serialize`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value in clear, for the one place that needs it (a connection, a request header).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// A URL with its password masked, for logs and error messages:
/// `postgres://user:secret@host/db?password=x` becomes `postgres://user:***@host/db?password=***`.
///
/// Masking errs on the side of hiding: a value that does not look like a URL is hidden
/// entirely, and a password with an unescaped `@`, `/` or `?` may hide more than the password.
pub fn mask_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return "[REDACTED]".to_owned();
    };
    let (scheme, rest) = url.split_at(scheme_end);
    let rest = match rest.rfind('@') {
        Some(at) => {
            let (userinfo, host_and_more) = rest.split_at(at);
            match userinfo.split_once(':') {
                Some((user, _password)) => format!("{user}:***{host_and_more}"),
                None => rest.to_owned(),
            }
        }
        None => rest.to_owned(),
    };
    let Some((before_query, query)) = rest.split_once('?') else {
        return format!("{scheme}{rest}");
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret_parameter(name) => format!("{name}=***"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{scheme}{before_query}?{}", query.join("&"))
}

fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["password", "passwd", "secret", "token", "key"].iter().any(|word| name.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_prints_as_redacted() {
        let secret = Secret::new("hunter2");
        assert_eq!(format!("{secret}"), "[REDACTED]");
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some([REDACTED])");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn a_url_password_is_masked_and_the_rest_kept() {
        assert_eq!(
            mask_url("postgres://vux:hunter2@db.example:5432/vuxnav"),
            "postgres://vux:***@db.example:5432/vuxnav"
        );
        assert_eq!(mask_url("postgres://vux@db/vuxnav"), "postgres://vux@db/vuxnav");
        assert_eq!(
            mask_url("postgres://db/vuxnav?user=vux&password=hunter2"),
            "postgres://db/vuxnav?user=vux&password=***"
        );
        assert_eq!(mask_url("postgres://vux:p@ss@db/vuxnav"), "postgres://vux:***@db/vuxnav");
        assert_eq!(mask_url("sqlite://./vuxnav-data/vuxnav.db?mode=rwc"), "sqlite://./vuxnav-data/vuxnav.db?mode=rwc");
    }

    #[test]
    fn a_value_that_is_not_a_url_is_hidden_entirely() {
        assert_eq!(mask_url("vux:hunter2@db"), "[REDACTED]");
    }
}
