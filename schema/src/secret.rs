//! Secrets: values that are never printed, logged, exported or put in an error message, and the
//! one rule for masking credentials in URLs and in messages that quote them.

use std::fmt;

/// A value that must never be printed: a password, a token, a database URL that may hold one.
///
/// `Debug` and `Display` print `[REDACTED]`; the value is read only through [`Secret::expose`],
/// so every place that uses it in clear is easy to find. There is deliberately no conversion to
/// text other than `expose`.
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

/// What replaces a masked credential.
const MASK: &str = "***";

/// A URL with its credentials masked, for logs and error messages:
/// `postgres://user:secret@host/db?password=x&sslmode=require` becomes
/// `postgres://user:***@host/db?password=***&sslmode=require`. Credentials are the password of
/// the authority and the value of every query parameter whose name contains `password`,
/// `passwd`, `secret`, `token` or `key` (any case).
///
/// Masking errs on the side of hiding: a value with an `@` but no `://` (not a URL, but maybe a
/// `user:password@host`) is hidden entirely, and a password with an unescaped `@`, `/` or `?`
/// may hide more than the password. A value with neither (`sqlite::memory:`, a path) has
/// nothing to hide and is kept.
pub fn mask_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return if url.contains('@') { "[REDACTED]".to_owned() } else { url.to_owned() };
    };
    let (scheme, rest) = url.split_at(scheme_end);
    let rest = match rest.rfind('@') {
        Some(at) => {
            let (userinfo, host_and_more) = rest.split_at(at);
            match userinfo.split_once(':') {
                Some((user, _password)) => format!("{user}:{MASK}{host_and_more}"),
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
            Some((name, _)) if is_secret_parameter(name) => format!("{name}={MASK}"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{scheme}{before_query}?{}", query.join("&"))
}

/// `text` with every credential of `url` (as [`mask_url`] finds them) replaced, for causes
/// that may quote the URL or parts of it.
pub fn scrub(text: &str, url: &str) -> String {
    let mut text = text.to_owned();
    for credential in credentials(url) {
        text = text.replace(credential, MASK);
    }
    text
}

/// The credentials in `url`: the authority's password and the values of secret parameters.
fn credentials(url: &str) -> Vec<&str> {
    let mut found = Vec::new();
    if let Some(after_scheme) = url.find("://").map(|i| &url[i + 3..]) {
        let authority_end = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
        let authority = &after_scheme[..authority_end];
        if let Some(userinfo) = authority.rfind('@').map(|at| &authority[..at])
            && let Some((_, password)) = userinfo.split_once(':')
        {
            found.push(password);
        }
    }
    if let Some((_, query)) = url.split_once('?') {
        found.extend(
            query
                .split('&')
                .filter_map(|pair| pair.split_once('='))
                .filter(|(name, _)| is_secret_parameter(name))
                .map(|(_, value)| value),
        );
    }
    found.retain(|credential| !credential.is_empty());
    found
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
    fn a_password_in_the_authority_is_masked_and_the_rest_kept() {
        assert_eq!(
            mask_url("postgres://vux:hunter2@db.example:5432/vuxnav"),
            "postgres://vux:***@db.example:5432/vuxnav"
        );
        assert_eq!(mask_url("postgres://vux:p@ss@db/vuxnav"), "postgres://vux:***@db/vuxnav");
        assert_eq!(mask_url("postgres://u:s:e@c@host/db?sslmode=disable"), "postgres://u:***@host/db?sslmode=disable");
    }

    #[test]
    fn every_secret_query_parameter_is_masked() {
        assert_eq!(
            mask_url("postgres://db/vuxnav?user=vux&password=hunter2&sslmode=require"),
            "postgres://db/vuxnav?user=vux&password=***&sslmode=require"
        );
        assert_eq!(
            mask_url("https://api.example/kurser?token=abc&api_key=def&Secret=ghi&page=2"),
            "https://api.example/kurser?token=***&api_key=***&Secret=***&page=2"
        );
    }

    #[test]
    fn a_url_without_credentials_is_unchanged() {
        for url in [
            "sqlite::memory:",
            "sqlite://./vuxnav-data/vuxnav.db?mode=rwc",
            "postgres://vux@db/vuxnav",
            "postgres://host/db",
        ] {
            assert_eq!(mask_url(url), url);
        }
    }

    #[test]
    fn a_value_with_credentials_that_is_not_a_url_is_hidden_entirely() {
        assert_eq!(mask_url("vux:hunter2@db"), "[REDACTED]");
    }

    #[test]
    fn a_cause_quoting_any_credential_is_scrubbed() {
        let url = "postgres://u:hunter2@host/db?token=t0k3n";
        assert_eq!(scrub("auth failed for hunter2 with t0k3n", url), "auth failed for *** with ***");
        assert_eq!(scrub("nothing to hide", "sqlite::memory:"), "nothing to hide");
    }
}
