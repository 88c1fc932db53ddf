//! Server-side request forgery, closed at both ends: a connector URL is checked when a source
//! is saved ([`check_url`]) *and* at connection time ([`GuardedResolver`]), which resolves the
//! name once, checks every address and hands only checked addresses to the HTTP client, so a
//! second lookup that answers differently (DNS rebinding) never happens. Redirects are checked
//! hop by hop by the fetcher with the same rules.
//!
//! Refused, unless the source allows a private network ([`NetworkPolicy::AllowPrivate`]):
//! every special-purpose range of the IANA registries (RFC 6890): loopback, link-local,
//! private, shared (CGNAT), unique-local, site-local, unspecified, broadcast, multicast,
//! documentation, benchmarking and reserved addresses, also when an IPv4 address hides inside
//! an IPv6 one (IPv4-mapped `::ffff:0:0/96`, IPv4-compatible `::/96`, NAT64 `64:ff9b::/96`,
//! 6to4 `2002::/16`). The cloud metadata endpoints ([`METADATA`]) are refused even then.
//!
//! Addresses are parsed, never matched as text: `http://2852039166/`, `http://0xA9FEA9FE/` and
//! `http://[::ffff:a9fe:a9fe]/` are all 169.254.169.254 to the URL parser the client uses.

use std::error::Error as StdError;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Which addresses a source may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkPolicy {
    /// Public addresses only: the default of every source.
    PublicOnly,
    /// Private and loopback addresses too (`allow_private_network = true`: a system on the
    /// region's own network, or a test's simulated system on loopback); never the cloud
    /// metadata endpoints.
    AllowPrivate,
}

impl NetworkPolicy {
    /// The policy of a source's `allow_private_network`.
    pub fn of(allow_private_network: bool) -> Self {
        if allow_private_network { Self::AllowPrivate } else { Self::PublicOnly }
    }

    /// Why `ip` may not be reached under this policy, if it may not: the name of its range.
    pub fn refusal(self, ip: IpAddr) -> Option<&'static str> {
        if METADATA.contains(&ip) {
            return Some("cloud metadata");
        }
        match self {
            Self::PublicOnly => refused_range(ip),
            Self::AllowPrivate => None,
        }
    }
}

/// The cloud providers' instance-metadata endpoints, refused under every policy.
pub const METADATA: [IpAddr; 4] = [
    IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254)),
    IpAddr::V4(Ipv4Addr::new(169, 254, 170, 2)),
    IpAddr::V4(Ipv4Addr::new(100, 100, 100, 200)),
    IpAddr::V6(Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254)),
];

/// IPv4 special-purpose ranges as (network, prefix length, name), the most specific first.
const V4: [(u32, u32, &str); 16] = [
    (0xffff_ffff, 32, "broadcast"),
    (0x0000_0000, 8, "unspecified"),
    (0x0a00_0000, 8, "private"),
    (0x6440_0000, 10, "shared"),
    (0x7f00_0000, 8, "loopback"),
    (0xa9fe_0000, 16, "link-local"),
    (0xac10_0000, 12, "private"),
    (0xc000_0000, 24, "reserved"),
    (0xc000_0200, 24, "documentation"),
    (0xc058_6300, 24, "reserved"),
    (0xc0a8_0000, 16, "private"),
    (0xc612_0000, 15, "benchmarking"),
    (0xc633_6400, 24, "documentation"),
    (0xcb00_7100, 24, "documentation"),
    (0xe000_0000, 4, "multicast"),
    (0xf000_0000, 4, "reserved"),
];

/// IPv6 special-purpose ranges as (network, prefix length, name).
const V6: [(u128, u32, &str); 8] = [
    (0, 128, "unspecified"),
    (1, 128, "loopback"),
    (0xfc00 << 112, 7, "private"),
    (0xfe80 << 112, 10, "link-local"),
    (0xfec0 << 112, 10, "private"),
    (0xff00 << 112, 8, "multicast"),
    (0x2001_0db8 << 96, 32, "documentation"),
    (0x0100 << 112, 64, "reserved"),
];

/// The special-purpose range `ip` belongs to (`loopback`, `link-local`, `private`, …), or
/// `None` for a public address. An IPv4 address inside an IPv6 one is judged as IPv4.
pub fn refused_range(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => refused_v4(v4),
        IpAddr::V6(v6) => match embedded_v4(v6) {
            Some(v4) => refused_v4(v4),
            None => refused_v6(v6),
        },
    }
}

fn refused_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    V4.iter()
        .find(|(network, prefix, _)| {
            bits.checked_shr(32 - prefix).unwrap_or(0) == network.checked_shr(32 - prefix).unwrap_or(0)
        })
        .map(|(_, _, name)| *name)
}

fn refused_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let bits = u128::from(ip);
    V6.iter()
        .find(|(network, prefix, _)| {
            bits.checked_shr(128 - prefix).unwrap_or(0) == network.checked_shr(128 - prefix).unwrap_or(0)
        })
        .map(|(_, _, name)| *name)
}

/// The IPv4 address an IPv6 address carries: IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible
/// (`::a.b.c.d`, but not `::` and `::1`), NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:AABB:CCDD::`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let bits = u128::from(ip);
    let low = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    if let Some(mapped) = ip.to_ipv4_mapped() {
        Some(mapped)
    } else if (bits >> 32 == 0 && bits > 1) || bits >> 32 == 0x0064_ff9b_0000_0000_0000_0000 {
        Some(low)
    } else if bits >> 112 == 0x2002 {
        Some(Ipv4Addr::from(((bits >> 80) & 0xffff_ffff) as u32))
    } else {
        None
    }
}

/// A host that is, or resolves to, an address its source may not reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedAddress {
    pub host: String,
    pub address: IpAddr,
    pub range: &'static str,
}

impl fmt::Display for RefusedAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        if host == self.address.to_string() {
            write!(f, "refused: {} is a {} address", self.address, self.range)?;
        } else {
            write!(f, "refused: `{}` resolves to {}, a {} address", self.host, self.address, self.range)?;
        }
        if self.range == "cloud metadata" {
            Ok(())
        } else {
            f.write_str("; set `allow_private_network = true` on the source if it is meant to reach it")
        }
    }
}

impl StdError for RefusedAddress {}

/// What is wrong with `url` as an upstream address before anything is resolved: not http or
/// https, no host, or user name and password in it (secrets are named by environment
/// variable, never written in a URL).
pub fn url_problem(url: &Url) -> Option<String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Some(format!("the scheme `{}` is not http or https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Some("the URL has no host".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some("the URL holds a user name or password: name a secret by its environment variable".to_owned());
    }
    None
}

/// The address of `url`'s host when it is written as one (`http://10.0.0.1/`, `http://[::1]/`,
/// `http://2852039166/`): the URL parser has already turned every IPv4 spelling into one.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    url.host_str()?.trim_start_matches('[').trim_end_matches(']').parse().ok()
}

/// Checks `text` as a source would reach it under `policy`, when the source is saved: its form
/// ([`url_problem`]), and every address its host is or resolves to now. A name that does not
/// resolve now is not refused here (the connection-time check still guards it). The problem,
/// if any, is one lowercase sentence.
pub async fn check_url(text: &str, policy: NetworkPolicy) -> Result<(), String> {
    let url = Url::parse(text.trim()).map_err(|error| format!("`{}` is not a URL: {error}", text.trim()))?;
    if let Some(problem) = url_problem(&url) {
        return Err(problem);
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let addresses: Vec<IpAddr> = match literal_ip(&url) {
        Some(ip) => vec![ip],
        None => {
            let port = url.port_or_known_default().unwrap_or(443);
            match tokio::net::lookup_host((host.as_str(), port)).await {
                Ok(found) => found.map(|address| address.ip()).collect(),
                Err(_) => Vec::new(),
            }
        }
    };
    for address in addresses {
        if let Some(range) = policy.refusal(address) {
            return Err(RefusedAddress { host, address, range }.to_string());
        }
    }
    Ok(())
}

/// The HTTP client's resolver: resolves a name once, refuses the connection when any address
/// is refused under the policy, and hands the client exactly the addresses it checked.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver {
    pub policy: NetworkPolicy,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let policy = self.policy;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(refused) = found.iter().find_map(|address| {
                policy.refusal(address.ip()).map(|range| RefusedAddress {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> Option<&'static str> {
        refused_range(text.parse().expect("an address"))
    }

    #[test]
    fn every_special_purpose_range_is_refused_and_public_addresses_are_not() {
        let refused = [
            ("0.1.2.3", "unspecified"),
            ("10.20.30.40", "private"),
            ("100.64.0.1", "shared"),
            ("100.127.255.255", "shared"),
            ("127.0.0.1", "loopback"),
            ("127.255.0.1", "loopback"),
            ("169.254.169.254", "link-local"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.0.0.8", "reserved"),
            ("192.0.2.1", "documentation"),
            ("192.88.99.1", "reserved"),
            ("192.168.0.1", "private"),
            ("198.18.0.1", "benchmarking"),
            ("198.19.255.255", "benchmarking"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "broadcast"),
            ("::", "unspecified"),
            ("::1", "loopback"),
            ("fc00::1", "private"),
            ("fd12:3456::1", "private"),
            ("fe80::1", "link-local"),
            ("fec0::1", "private"),
            ("ff02::1", "multicast"),
            ("2001:db8::1", "documentation"),
            ("100::1", "reserved"),
        ];
        for (address, expected) in refused {
            assert_eq!(range(address), Some(expected), "{address}");
        }
        for public in ["93.184.216.34", "100.128.0.1", "172.32.0.1", "198.20.0.1", "2a00:1450:4001::1", "64:ff9c::1"] {
            assert_eq!(range(public), None, "{public}");
        }
    }

    #[test]
    fn an_ipv4_address_inside_an_ipv6_one_is_judged_as_ipv4() {
        assert_eq!(range("::ffff:127.0.0.1"), Some("loopback"));
        assert_eq!(range("::ffff:a9fe:a9fe"), Some("link-local"));
        assert_eq!(range("::127.0.0.1"), Some("loopback"));
        assert_eq!(range("64:ff9b::10.0.0.1"), Some("private"));
        assert_eq!(range("2002:7f00:0001::"), Some("loopback"));
        assert_eq!(range("2002:5db8:d822::"), None, "6to4 of a public address");
        assert_eq!(range("::ffff:93.184.216.34"), None);
    }

    #[test]
    fn the_metadata_endpoints_are_refused_even_where_private_networks_are_allowed() {
        let allow = NetworkPolicy::AllowPrivate;
        assert_eq!(allow.refusal("169.254.169.254".parse().expect("ip")), Some("cloud metadata"));
        assert_eq!(allow.refusal("fd00:ec2::254".parse().expect("ip")), Some("cloud metadata"));
        assert_eq!(allow.refusal("127.0.0.1".parse().expect("ip")), None);
        assert_eq!(NetworkPolicy::PublicOnly.refusal("127.0.0.1".parse().expect("ip")), Some("loopback"));
    }

    #[test]
    fn every_spelling_of_the_metadata_address_is_the_same_address_to_the_url_parser() {
        for spelling in
            ["http://169.254.169.254/", "http://2852039166/", "http://0xA9FEA9FE/", "http://[::ffff:a9fe:a9fe]/"]
        {
            let url = Url::parse(spelling).expect("a URL");
            let ip = literal_ip(&url).expect("a literal address");
            assert!(NetworkPolicy::PublicOnly.refusal(ip).is_some(), "{spelling} is {ip}");
        }
    }

    #[test]
    fn a_url_with_credentials_another_scheme_or_no_host_is_refused_before_resolving() {
        for (text, expected) in [
            ("ftp://example.org/x", "scheme `ftp`"),
            ("file:///etc/passwd", "scheme `file`"),
            ("https://user:secret@example.org/x", "user name or password"),
        ] {
            let url = Url::parse(text).expect("a URL");
            let problem = url_problem(&url).unwrap_or_default();
            assert!(problem.contains(expected), "{text}: {problem}");
        }
        assert_eq!(url_problem(&Url::parse("https://example.org/x.csv").expect("a URL")), None);
    }

    #[tokio::test]
    async fn a_saved_url_to_the_metadata_address_or_a_name_resolving_to_loopback_is_refused() {
        let metadata = check_url("http://169.254.169.254/latest/meta-data/", NetworkPolicy::PublicOnly).await;
        let localhost = check_url("http://localhost:8080/kurser.csv", NetworkPolicy::PublicOnly).await;
        let allowed = check_url("http://localhost:8080/kurser.csv", NetworkPolicy::AllowPrivate).await;

        assert!(metadata.as_ref().is_err_and(|e| e.contains("169.254.169.254")), "{metadata:?}");
        assert!(localhost.as_ref().is_err_and(|e| e.contains("`localhost` resolves to") && e.contains("loopback")));
        assert_eq!(allowed, Ok(()));
    }
}
