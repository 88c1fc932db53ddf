//! The HTTP rules every kind shares: one [`Fetcher`] per source.
//!
//! - **Server-side request forgery.** Unless the source says `allow_private_network`, a URL
//!   whose host is or resolves to a loopback, link-local, private (RFC 1918, ULA `fc00::/7`),
//!   shared (`100.64.0.0/10`), unspecified, broadcast or multicast address is refused before
//!   anything is sent. The same check guards every redirect and every later DNS answer (the
//!   client's resolver filters too), so neither a redirect nor DNS rebinding gets around it.
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
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::Rng;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use vuxnav_schema::SourceId;

use crate::ConnectorError;
use crate::config::SecretRef;
use crate::events::{RequestFailed, RequestSucceeded};
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
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .user_agent(options.user_agent.clone());
        if options.allow_private_network {
            builder = builder.redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS));
        } else {
            builder = builder.dns_resolver(Arc::new(PublicOnlyResolver)).redirect(reqwest::redirect::Policy::custom(
                |attempt| {
                    if attempt.previous().len() >= MAX_REDIRECTS {
                        return attempt.error(format!("more than {MAX_REDIRECTS} redirects"));
                    }
                    match literal_ip(attempt.url()).and_then(|ip| refused_range(ip).map(|range| (ip, range))) {
                        Some((address, range)) => {
                            let host = attempt.url().host_str().unwrap_or_default().to_owned();
                            attempt.error(RefusedAddress { host, address, range })
                        }
                        None => attempt.follow(),
                    }
                },
            ));
        }
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
        if !self.options.allow_private_network {
            self.check_destination(url).await?;
        }

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

    /// Refuses a URL whose host is, or resolves to, an address in a refused range.
    async fn check_destination(&self, url: &Url) -> Result<(), ConnectorError> {
        let refuse = |reason: String| ConnectorError::Upstream { url: url.as_str().to_owned(), reason };
        if !matches!(url.scheme(), "http" | "https") {
            return Err(refuse(format!("the scheme `{}` is not http or https", url.scheme())));
        }
        let host = url.host_str().ok_or_else(|| refuse("the URL has no host".to_owned()))?;
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
            if let Some(range) = refused_range(address) {
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

/// The range `ip` belongs to when a source may not reach it without `allow_private_network`:
/// `loopback`, `link-local`, `private`, `shared`, `unspecified`, `broadcast` or `multicast`.
pub fn refused_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => refused_v4(v4),
            None => refused_v6(v6),
        },
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [first, second, ..] = ip.octets();
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_link_local() {
        Some("link-local")
    } else if ip.is_private() {
        Some("private")
    } else if first == 100 && (64..128).contains(&second) {
        Some("shared")
    } else if ip.is_unspecified() || first == 0 {
        Some("unspecified")
    } else if ip.is_broadcast() {
        Some("broadcast")
    } else if ip.is_multicast() {
        Some("multicast")
    } else {
        None
    }
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let first = ip.segments()[0];
    if ip.is_loopback() {
        Some("loopback")
    } else if first & 0xffc0 == 0xfe80 {
        Some("link-local")
    } else if first & 0xfe00 == 0xfc00 {
        Some("private")
    } else if ip.is_unspecified() {
        Some("unspecified")
    } else if ip.is_multicast() {
        Some("multicast")
    } else {
        None
    }
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    url.host_str()?.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// A host that is or resolves to an address a source may not reach.
#[derive(Debug)]
struct RefusedAddress {
    host: String,
    address: IpAddr,
    range: &'static str,
}

impl fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if host == self.address.to_string() {
            write!(f, "refused: {} is a {} address", self.address, self.range)?;
        } else {
            write!(f, "refused: `{}` resolves to {}, a {} address", self.host, self.address, self.range)?;
        }
        f.write_str("; set `allow_private_network = true` on the source if it is meant to reach it")
    }
}

impl StdError for RefusedAddress {}

/// The client's resolver when private networks are not allowed: an answer with a refused
/// address fails the connection, which closes DNS rebinding and redirects to such hosts.
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(refused) = found.iter().find_map(|address| {
                refused_range(address.ip()).map(|range| RefusedAddress {
                    host: host.clone(),
                    address: address.ip(),
                    range,
                })
            }) {
                return Err(Box::new(refused) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
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
