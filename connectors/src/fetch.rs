//! The HTTP rules every kind shares: one [`Fetcher`] per source.
//!
//! - **Server-side request forgery** ([`crate::ssrf`]). Unless the source says
//!   `allow_private_network`, a URL whose host is or resolves to a special-purpose address
//!   (loopback, link-local, private, unique-local, shared, IPv4 inside IPv6, …) is refused
//!   before anything is sent; the cloud metadata endpoints are refused always. The client's
//!   resolver checks every address again at connection time and connects only to checked
//!   ones, and every redirect is checked too, so neither DNS rebinding nor a redirect gets
//!   around it. Proxies from the environment (`HTTP_PROXY`) are ignored: they would resolve
//!   names where no check sees them.
//! - **Retries.** 429, 5xx, timeouts and connection errors (also a body cut off in the middle)
//!   are retried up to [`FetchOptions::retries`] times with exponential backoff and full jitter
//!   ([`retry_delay`]); a `Retry-After` (seconds or an HTTP date) is honoured, capped at
//!   [`FetchOptions::backoff_max`]. Other 4xx are not retried. The final error names the URL,
//!   the status or cause and the number of attempts.
//! - **Bounded bodies.** The body is read chunk by chunk and reading stops with
//!   [`ConnectorError::TooLarge`] as soon as it passes [`FetchOptions::max_body_bytes`].
//! - **Secrets.** Header values passed to [`Fetcher::get`] are marked sensitive and never
//!   logged or put into an error.
//!
//! Every attempt emits [`RequestSucceeded`] or [`RequestFailed`].

use std::error::Error as StdError;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use vuxnav_schema::SourceId;

use crate::ConnectorError;
use crate::config::SecretRef;
use crate::events::{RequestFailed, RequestSucceeded};
pub use crate::ssrf::refused_range;
use crate::ssrf::{GuardedResolver, NetworkPolicy, RefusedAddress, literal_ip, url_problem};
use vuxnav_schema::Secret;

/// The most redirects followed for one request.
const MAX_REDIRECTS: usize = 10;

/// How a [`Fetcher`] talks to an upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The limit for one attempt, from connecting to the end of the body. Default 30 s.
    pub timeout: Duration,
    /// How many times a failed attempt is retried (so `retries + 1` attempts at most).
    /// Default 3.
    pub retries: u32,
    /// The first backoff ceiling; it doubles with every retry. Default 500 ms.
    pub backoff_base: Duration,
    /// The largest wait between two attempts, also for a `Retry-After`. Default 30 s.
    pub backoff_max: Duration,
    /// The largest body read; a larger one is [`ConnectorError::TooLarge`]. Default 256 MiB.
    pub max_body_bytes: u64,
    /// Allow loopback, link-local and private addresses (a source on the same network, or a
    /// test). Default `false`.
    pub allow_private_network: bool,
    /// The `User-Agent` sent. Default `vuxnav/<version>`.
    pub user_agent: String,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_body_bytes: 256 * 1024 * 1024,
            allow_private_network: false,
            user_agent: concat!("vuxnav/", env!("CARGO_PKG_VERSION")).to_owned(),
        }
    }
}

/// A successful answer with its whole body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The HTTP client could not be built (no TLS configuration, for instance).
#[derive(Debug, thiserror::Error)]
#[error("cannot set up the HTTP client: {0}")]
pub struct ClientError(String);

/// Where a [`Fetcher`] finds the value of a secret by its environment variable's name.
pub type SecretLookup = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Fetches upstream resources for one source, under the rules in the module documentation.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    options: FetchOptions,
    source: SourceId,
    secrets: SecretLookup,
}

impl fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fetcher").field("source", &self.source).field("options", &self.options).finish_non_exhaustive()
    }
}

impl Fetcher {
    pub fn new(source: SourceId, options: FetchOptions) -> Result<Self, ClientError> {
        install_crypto_provider();
        let policy = NetworkPolicy::of(options.allow_private_network);
        let builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .user_agent(options.user_agent.clone())
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { policy }))
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= MAX_REDIRECTS {
                    return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
                }
                if let Some(problem) = url_problem(attempt.url()) {
                    return attempt.error(problem);
                }
                match literal_ip(attempt.url()).and_then(|ip| policy.refusal(ip).map(|range| (ip, range))) {
                    Some((address, range)) => {
                        let host = attempt.url().host_str().unwrap_or_default().to_owned();
                        attempt.error(RefusedAddress { host, address, range })
                    }
                    None => attempt.follow(),
                }
            }));
        let client = builder.build().map_err(|error| ClientError(root_cause(&error)))?;
        Ok(Self { client, options, source, secrets: Arc::new(|_| None) })
    }

    /// Where [`secret`](Self::secret) looks secrets up: the gateway passes the process
    /// environment, a test its own values. Without it, no secret is set.
    #[must_use]
    pub fn with_secrets(mut self, lookup: SecretLookup) -> Self {
        self.secrets = lookup;
        self
    }

    /// The value of a secret a kind's config names (`token_env = "HUDDINGE_TOKEN"`), to put in
    /// a request header; an unset variable is an error naming the variable, never a value.
    pub fn secret(&self, secret: &SecretRef) -> Result<Secret, ConnectorError> {
        secret.resolve(|name| (self.secrets)(name)).map_err(ConnectorError::Config)
    }

    pub fn options(&self) -> &FetchOptions {
        &self.options
    }

    pub fn source(&self) -> &SourceId {
        &self.source
    }

    /// GETs `url` with `headers` (an `Accept`, an authorisation whose value comes from a
    /// secret, …), retrying as the module documentation says, and returns a 2xx or 3xx
    /// answer with its body.
    pub async fn get(&self, url: &Url, headers: &[(HeaderName, String)]) -> Result<Response, ConnectorError> {
        let shown = url.as_str();
        let mut header_map = HeaderMap::with_capacity(headers.len());
        for (name, value) in headers {
            let mut value = HeaderValue::from_str(value).map_err(|_| ConnectorError::Upstream {
                url: shown.to_owned(),
                reason: format!("the value of header `{name}` is not a valid header value"),
            })?;
            value.set_sensitive(true);
            header_map.append(name.clone(), value);
        }
        self.check_destination(url).await?;

        let attempts = self.options.retries.saturating_add(1);
        let mut attempt = 1;
        loop {
            let started = Instant::now();
            let failure = match self.attempt(url, &header_map).await {
                Ok(response) => {
                    RequestSucceeded {
                        source: &self.source,
                        url: shown,
                        status: response.status.as_u16(),
                        bytes: response.body.len() as u64,
                        elapsed: started.elapsed(),
                    }
                    .emit();
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            RequestFailed { source: &self.source, url: shown, reason: &failure.reason, attempt }.emit();
            let tries = if attempt == 1 { "1 attempt".to_owned() } else { format!("{attempt} attempts") };
            match failure.kind {
                FailureKind::TooLarge => {
                    return Err(ConnectorError::TooLarge { url: shown.to_owned(), limit: self.options.max_body_bytes });
                }
                FailureKind::Final => {
                    return Err(ConnectorError::Upstream {
                        url: shown.to_owned(),
                        reason: format!("{} after {tries}", failure.reason),
                    });
                }
                FailureKind::Retry { .. } if attempt >= attempts => {
                    return Err(ConnectorError::Upstream {
                        url: shown.to_owned(),
                        reason: format!("{} after {tries}", failure.reason),
                    });
                }
                FailureKind::Retry { retry_after } => {
                    let delay = retry_delay(attempt - 1, retry_after, &self.options, &mut rand::rng());
                    tokio::time::sleep(delay).await;
                }
            }
            attempt += 1;
        }
    }

    async fn attempt(&self, url: &Url, headers: &HeaderMap) -> Result<Response, Failure> {
        let mut response = self
            .client
            .get(url.clone())
            .headers(headers.clone())
            .send()
            .await
            .map_err(|error| classify(&error, self.options.timeout))?;
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let retry_after = response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| parse_retry_after(value, Utc::now()));
            return Err(Failure { reason: status_reason(status), kind: FailureKind::Retry { retry_after } });
        }
        if status.is_client_error() || status.is_informational() {
            return Err(Failure { reason: status_reason(status), kind: FailureKind::Final });
        }
        let limit = self.options.max_body_bytes;
        if response.content_length().is_some_and(|length| length > limit) {
            return Err(Failure {
                reason: format!("the body is larger than {limit} bytes"),
                kind: FailureKind::TooLarge,
            });
        }
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| classify(&error, self.options.timeout))? {
            if body.len() as u64 + chunk.len() as u64 > limit {
                return Err(Failure {
                    reason: format!("the body is larger than {limit} bytes"),
                    kind: FailureKind::TooLarge,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, headers, body })
    }

    /// Refuses a URL that is not http or https, holds credentials, or whose host is or
    /// resolves to an address the source may not reach, before anything is sent. (The
    /// resolver checks again at connection time, which is what DNS rebinding cannot pass.)
    async fn check_destination(&self, url: &Url) -> Result<(), ConnectorError> {
        let refuse = |reason: String| ConnectorError::Upstream { url: url.as_str().to_owned(), reason };
        if let Some(problem) = url_problem(url) {
            return Err(refuse(problem));
        }
        let policy = NetworkPolicy::of(self.options.allow_private_network);
        let host = url.host_str().unwrap_or_default();
        let addresses: Vec<IpAddr> = match literal_ip(url) {
            Some(ip) => vec![ip],
            None => {
                let port = url.port_or_known_default().unwrap_or(443);
                // A name that does not resolve now fails in the request, where it is retried.
                match tokio::net::lookup_host((host, port)).await {
                    Ok(found) => found.map(|address| address.ip()).collect(),
                    Err(_) => Vec::new(),
                }
            }
        };
        for address in addresses {
            if let Some(range) = policy.refusal(address) {
                return Err(refuse(RefusedAddress { host: host.to_owned(), address, range }.to_string()));
            }
        }
        Ok(())
    }
}

/// The wait before retry number `retry + 1` (`retry` counts from 0): the upstream's
/// `Retry-After` when it sent one, capped at `backoff_max`; otherwise full jitter, a uniformly
/// random wait between zero and `min(backoff_max, backoff_base × 2^retry)`.
pub fn retry_delay(retry: u32, retry_after: Option<Duration>, options: &FetchOptions, rng: &mut impl Rng) -> Duration {
    if let Some(wait) = retry_after {
        return wait.min(options.backoff_max);
    }
    let factor = 2u32.checked_pow(retry).unwrap_or(u32::MAX);
    let ceiling = options.backoff_base.checked_mul(factor).unwrap_or(options.backoff_max).min(options.backoff_max);
    let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(rng.random_range(0..=nanos))
}

/// A `Retry-After` value as a wait from `now`: delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2026 07:28:00 GMT`; a date in the past is no wait). `None` when unreadable.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some((date.with_timezone(&Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

/// Why one attempt failed, and what to do about it.
struct Failure {
    reason: String,
    kind: FailureKind,
}

enum FailureKind {
    Retry { retry_after: Option<Duration> },
    Final,
    TooLarge,
}

fn classify(error: &reqwest::Error, timeout: Duration) -> Failure {
    let mut source: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(current) = source {
        if let Some(refused) = current.downcast_ref::<RefusedAddress>() {
            return Failure { reason: refused.to_string(), kind: FailureKind::Final };
        }
        source = current.source();
    }
    let retry = FailureKind::Retry { retry_after: None };
    if error.is_timeout() {
        Failure { reason: format!("timed out (limit {timeout:?})"), kind: retry }
    } else if error.is_connect() {
        Failure { reason: format!("cannot connect: {}", root_cause(error)), kind: retry }
    } else if error.is_redirect() || error.is_builder() {
        Failure { reason: root_cause(error), kind: FailureKind::Final }
    } else if error.is_body() || error.is_decode() {
        Failure { reason: format!("the body was cut off: {}", root_cause(error)), kind: retry }
    } else {
        Failure { reason: root_cause(error), kind: retry }
    }
}

/// The innermost cause's message: reqwest's own wording repeats the URL, which the
/// [`ConnectorError`] already names.
fn root_cause(error: &(dyn StdError + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn status_reason(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("HTTP {} {reason}", status.as_u16()),
        None => format!("HTTP {}", status.as_u16()),
    }
}

/// rustls needs one process-wide crypto provider; this installs ring once. Every [`Fetcher`]
/// calls it before building its client; a process with other HTTP clients (reqwest is built
/// with rustls and no provider of its own) calls it at start-up.
pub fn install_crypto_provider() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        // Another part of the process may have installed one already; that one is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
