//! Rate limits per caller, with `governor` (GCRA): one keyed limiter per role, by key for a
//! caller with one and by client address for anonymous callers, and one for refused keys by
//! client address (what keeps a brute-force attempt at keys slow: past the limit a refused key
//! is answered `429`, not `401`). The limits are `[access.rate_limits]`.
//!
//! A refusal is `429 Too Many Requests` with `Retry-After` (seconds), the IETF
//! `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers: `q`
//! requests per `w` seconds; `r` left, `t` seconds until there is one again) and a
//! GraphQL-style body with `extensions.code = RATE_LIMITED`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::http::header::{self, HeaderName, HeaderValue};
use axum::response::Response;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use vuxnav_schema::Role;
use vuxnav_store::KeyId;

use super::access::error_response;
use crate::auth::Caller;
use crate::config::{RateLimit, RateLimits};
use crate::graphql::codes::Code;

/// Whom a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Client {
    Key(KeyId),
    Address(IpAddr),
    /// No address known (a server without connection info): all such callers share one.
    Unknown,
}

/// One keyed limiter and the limit it enforces.
struct Limiter {
    name: &'static str,
    limit: RateLimit,
    state: DefaultKeyedRateLimiter<Client>,
}

impl Limiter {
    fn new(name: &'static str, limit: RateLimit) -> Self {
        let burst = NonZeroU32::new(limit.requests).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(limit.window / burst.get())
            .map_or_else(|| Quota::per_second(burst), |quota| quota.allow_burst(burst));
        Self { name, limit, state: DefaultKeyedRateLimiter::dashmap(quota) }
    }
}

/// The limiters of one server. Cheap to share (`Arc`).
pub struct RateLimiter {
    anonymous: Limiter,
    partner: Limiter,
    municipal_admin: Limiter,
    region_admin: Limiter,
    failed_keys: Limiter,
    /// The addresses past their refused-key limit, until when.
    blocked: Mutex<HashMap<Client, Instant>>,
    clock: DefaultClock,
    checks: AtomicU64,
}

/// How many checks between two sweeps of callers whose buckets are full again.
const SWEEP_EVERY: u64 = 4096;

impl RateLimiter {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            anonymous: Limiter::new("anonymous", limits.anonymous),
            partner: Limiter::new("partner", limits.partner),
            municipal_admin: Limiter::new("municipal_admin", limits.municipal_admin),
            region_admin: Limiter::new("region_admin", limits.region_admin),
            failed_keys: Limiter::new("failed_keys", limits.failed_keys),
            blocked: Mutex::default(),
            clock: DefaultClock::default(),
            checks: AtomicU64::new(0),
        }
    }

    /// Counts a request of `caller` from `address`: the `429` to answer when it is one too many.
    pub fn check(&self, caller: &Caller, address: Option<IpAddr>) -> Option<Response> {
        let (limiter, client) = match (caller.role(), caller.key_id()) {
            (Some(role), Some(key)) => (self.of(role), Client::Key(key)),
            _ => (&self.anonymous, address.map_or(Client::Unknown, Client::Address)),
        };
        self.count(limiter, client).map(|wait| too_many(limiter, wait))
    }

    /// Counts a refused key from `address`: the `429` to answer once there were too many, and
    /// until the limit lets it try again, [`Self::blocked`] answers it too.
    pub fn check_refused(&self, address: Option<IpAddr>) -> Option<Response> {
        let client = address.map_or(Client::Unknown, Client::Address);
        let wait = self.count(&self.failed_keys, client)?;
        self.blocked_clients().insert(client, Instant::now() + wait);
        Some(too_many(&self.failed_keys, wait))
    }

    /// The `429` for `address` while it is past its refused-key limit; nothing is counted.
    pub fn blocked(&self, address: Option<IpAddr>) -> Option<Response> {
        let client = address.map_or(Client::Unknown, Client::Address);
        let until = *self.blocked_clients().get(&client)?;
        let wait = until.checked_duration_since(Instant::now()).filter(|wait| !wait.is_zero())?;
        Some(too_many(&self.failed_keys, wait))
    }

    fn blocked_clients(&self) -> std::sync::MutexGuard<'_, HashMap<Client, Instant>> {
        self.blocked.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn of(&self, role: Role) -> &Limiter {
        match role {
            Role::Partner => &self.partner,
            Role::MunicipalAdmin => &self.municipal_admin,
            Role::RegionAdmin => &self.region_admin,
        }
    }

    /// Counts a request of `client`: how long it must wait when it is one too many.
    fn count(&self, limiter: &Limiter, client: Client) -> Option<Duration> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            for limiter in
                [&self.anonymous, &self.partner, &self.municipal_admin, &self.region_admin, &self.failed_keys]
            {
                limiter.state.retain_recent();
            }
            let now = Instant::now();
            self.blocked_clients().retain(|_, until| *until > now);
        }
        limiter.state.check_key(&client).err().map(|not_until| not_until.wait_time_from(self.clock.now()))
    }
}

fn too_many(limiter: &Limiter, wait: Duration) -> Response {
    let retry_after = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let mut response = error_response(
        StatusCode::TOO_MANY_REQUESTS,
        &format!(
            "too many requests: at most {} in {} seconds; retry in {retry_after} seconds",
            limiter.limit.requests,
            limiter.limit.window.as_secs()
        ),
        Code::RateLimited,
    );
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::RETRY_AFTER, retry_after.to_string());
    set(
        HeaderName::from_static("ratelimit-policy"),
        format!("\"{}\";q={};w={}", limiter.name, limiter.limit.requests, limiter.limit.window.as_secs()),
    );
    set(HeaderName::from_static("ratelimit"), format!("\"{}\";r=0;t={retry_after}", limiter.name));
    response
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_caller_past_its_burst_is_told_when_to_retry() {
        let limits = RateLimits {
            anonymous: RateLimit { requests: 2, window: Duration::from_secs(60) },
            ..RateLimits::default()
        };
        let limiter = RateLimiter::new(&limits);
        let address = Some("198.51.100.7".parse().expect("an address"));
        let anonymous = Caller::anonymous();
        assert!(limiter.check(&anonymous, address).is_none());
        assert!(limiter.check(&anonymous, address).is_none());
        let refused = limiter.check(&anonymous, address).expect("the third is refused");
        assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
        let retry: u64 = refused.headers()[header::RETRY_AFTER].to_str().ok().and_then(|v| v.parse().ok()).unwrap_or(0);
        assert!((1..=30).contains(&retry), "Retry-After {retry}");
        assert_eq!(refused.headers()["ratelimit-policy"], "\"anonymous\";q=2;w=60");
        // Another address has its own bucket.
        assert!(limiter.check(&anonymous, Some("198.51.100.8".parse().expect("an address"))).is_none());
    }

    #[test]
    fn an_address_past_its_refused_key_limit_is_blocked_until_it_may_try_again() {
        let limits = RateLimits {
            failed_keys: RateLimit { requests: 1, window: Duration::from_secs(60) },
            ..RateLimits::default()
        };
        let limiter = RateLimiter::new(&limits);
        let (guesser, other) =
            (Some("198.51.100.7".parse().expect("an address")), Some("198.51.100.8".parse().expect("an address")));
        assert!(limiter.blocked(guesser).is_none());
        assert!(limiter.check_refused(guesser).is_none(), "the first refusal is within the limit");
        assert!(limiter.blocked(guesser).is_none(), "not blocked before the limit is passed");
        assert!(limiter.check_refused(guesser).is_some());
        let blocked = limiter.blocked(guesser).expect("blocked past the limit");
        assert_eq!(blocked.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(blocked.headers()["ratelimit-policy"], "\"failed_keys\";q=1;w=60");
        assert!(limiter.blocked(other).is_none(), "another address is not blocked");
    }
}
