//! Who is at the other end of a request: the client's address (what rate
//! limits and login lockouts count) and whether it reached us over HTTPS
//! (what decides `Secure` cookies).
//!
//! Behind a reverse proxy the TCP peer is the proxy. Only a peer listed in
//! `http.trusted_proxies` may name the client: its `X-Forwarded-For` (or,
//! without one, its `Forwarded`) is read from the right, the hops the
//! trusted proxies added, and the first address that is not itself a
//! trusted proxy is the client. Anything left of it was written by the
//! client and is never believed. Any other peer is the client, whatever
//! headers it sends.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use actix_web::dev::Payload;
use actix_web::http::header::HeaderMap;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::{Ready, ready};
use ipnet::IpNet;

use super::{AppError, AppState};

/// The proxies whose forwarded headers are believed (`http.trusted_proxies`).
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Each entry is an address (`10.0.0.5`, `::1`) or a network
    /// (`10.0.0.0/8`, `fd00::/8`); the error names the first that is neither.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<TrustedProxies, String> {
        entries
            .iter()
            .map(|entry| entry.as_ref().trim())
            .filter(|entry| !entry.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map(|network| network.trunc())
                    .map_err(|_| format!("`{entry}` is neither an address nor an address/prefix"))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        let address = address.to_canonical();
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client's address, from the TCP peer and the request's headers.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trusts(peer) {
            return peer;
        }
        let hops = if headers.contains_key("x-forwarded-for") {
            forwarded_for_hops(headers)
        } else {
            forwarded_hops(headers)
        };
        // From the right: the nearest hop is the last one a trusted proxy
        // wrote. A hop that does not read stops the walk, so the client is
        // then the last proxy that could be identified.
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(address) = hop else {
                break;
            };
            client = address.to_canonical();
            if !self.trusts(client) {
                break;
            }
        }
        client
    }

    /// Whether the client reached the trusted proxy over HTTPS, as the
    /// proxy says (`X-Forwarded-Proto`, else `Forwarded: proto=`). An
    /// untrusted peer's word on it is not taken.
    pub fn forwarded_https(&self, peer: IpAddr, headers: &HeaderMap) -> bool {
        if !self.trusts(peer) {
            return false;
        }
        let proto = if let Some(value) = joined(headers, "x-forwarded-proto") {
            value
                .rsplit(',')
                .next()
                .map(|proto| proto.trim().to_owned())
        } else {
            joined(headers, "forwarded").and_then(|value| {
                value.rsplit(',').next().and_then(|element| {
                    parameters(element)
                        .find(|(name, _)| name.eq_ignore_ascii_case("proto"))
                        .map(|(_, value)| value.to_owned())
                })
            })
        };
        proto.is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
    }
}

/// Every value of a header, in order, as one comma-separated list (a
/// header sent twice means the same as one with both values).
fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .filter_map(|value| value.to_str().ok())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// `X-Forwarded-For: 203.0.113.7, 10.0.0.2`: one address per hop, `None`
/// for a hop that is not an address.
fn forwarded_for_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    joined(headers, "x-forwarded-for")
        .unwrap_or_default()
        .split(',')
        .map(|hop| node_address(hop.trim()))
        .collect()
}

/// RFC 7239 `Forwarded: for=203.0.113.7;proto=https, for="[2001:db8::1]:80"`.
/// A quoted comma is split like any other: only hops left of the first
/// untrusted one can hold quotes a client wrote, and those are never read.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    joined(headers, "forwarded")
        .unwrap_or_default()
        .split(',')
        .map(|element| {
            parameters(element)
                .find(|(name, _)| name.eq_ignore_ascii_case("for"))
                .and_then(|(_, node)| node_address(node))
        })
        .collect()
}

/// The `name=value` pairs of one `Forwarded` element, quotes removed.
fn parameters(element: &str) -> impl Iterator<Item = (&str, &str)> {
    element.split(';').filter_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|value| value.strip_suffix('"'))
            .unwrap_or(value);
        Some((name.trim(), value))
    })
}

/// `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:8080`; anything else (`unknown`, `_hidden`) is no address.
fn node_address(node: &str) -> Option<IpAddr> {
    node.parse::<IpAddr>()
        .ok()
        .or_else(|| node.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
        .or_else(|| {
            node.strip_prefix('[')
                .and_then(|node| node.strip_suffix(']'))
                .and_then(|node| node.parse::<IpAddr>().ok())
        })
}

/// What limits and lockouts count a client by: its IPv4 address, or the
/// /64 network of its IPv6 address (one subscriber line is given a whole
/// /64, and could otherwise take a new address for every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientKey(IpAddr);

impl ClientKey {
    pub fn of(address: IpAddr) -> ClientKey {
        match address.to_canonical() {
            IpAddr::V4(address) => ClientKey(IpAddr::V4(address)),
            IpAddr::V6(address) => {
                let network = u128::from(address) & (u128::MAX << 64);
                ClientKey(IpAddr::V6(Ipv6Addr::from(network)))
            }
        }
    }
}

impl fmt::Display for ClientKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(address) => write!(formatter, "{address}"),
            IpAddr::V6(network) => write!(formatter, "{network}/64"),
        }
    }
}

/// The client of a request, as a handler argument.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    pub address: IpAddr,
    /// The client's connection (to us, or to the trusted proxy) is HTTPS.
    pub https: bool,
}

impl Client {
    /// The one place that decides who the client of `request` is.
    pub fn of(request: &HttpRequest) -> Client {
        let state = request.app_data::<web::Data<AppState>>();
        let proxies = state.map(|state| &state.trusted_proxies);
        let peer = request
            .peer_addr()
            .map_or(IpAddr::from([0, 0, 0, 0]), |peer| peer.ip());
        let headers = request.headers();
        let (address, forwarded_https) = match proxies {
            Some(proxies) => (
                proxies.client_address(peer, headers),
                proxies.forwarded_https(peer, headers),
            ),
            None => (peer.to_canonical(), false),
        };
        // A public URL in https:// means browsers reach us only over TLS,
        // whether or not the proxy says so.
        let public_https =
            state.is_some_and(|state| state.settings.http.public_url.starts_with("https://"));
        Client {
            address,
            https: forwarded_https || public_https,
        }
    }

    pub fn key(&self) -> ClientKey {
        ClientKey::of(self.address)
    }
}

/// Whether `request` reached us over HTTPS: cookies are then `Secure`.
pub fn is_https(request: &HttpRequest) -> bool {
    Client::of(request).https
}

impl FromRequest for Client {
    type Error = AppError;
    type Future = Ready<Result<Client, AppError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Client::of(request)))
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};
    use proptest::prelude::*;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_static(name),
                HeaderValue::from_str(value).expect("header value"),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    fn proxies(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(entries).expect("valid")
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_sends() {
        let none = TrustedProxies::default();
        let forged = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("forwarded", "for=198.51.100.9;proto=https"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            none.client_address(ip("203.0.113.5"), &forged),
            ip("203.0.113.5")
        );
        assert!(!none.forwarded_https(ip("203.0.113.5"), &forged));
        let other = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            other.client_address(ip("203.0.113.5"), &forged),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.1"]);
        // The client wrote 198.51.100.9 itself; the proxies added the rest.
        let sent = headers(&[("x-forwarded-for", "198.51.100.9, 203.0.113.7, 10.1.1.1")]);
        assert_eq!(
            trusted.client_address(ip("192.0.2.1"), &sent),
            ip("203.0.113.7")
        );
        let split = headers(&[
            ("x-forwarded-for", "198.51.100.9"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.1"), &split),
            ip("203.0.113.7")
        );
        let all_trusted = headers(&[("x-forwarded-for", "10.2.2.2, 10.1.1.1")]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.1"), &all_trusted),
            ip("10.2.2.2")
        );
        let garbage = headers(&[("x-forwarded-for", "198.51.100.9, nonsense, 10.1.1.1")]);
        assert_eq!(
            trusted.client_address(ip("10.0.0.1"), &garbage),
            ip("10.1.1.1"),
            "the walk stops at a hop that does not read"
        );
        assert_eq!(
            trusted.client_address(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_read_when_there_is_no_x_forwarded_for() {
        let trusted = proxies(&["::1", "10.0.0.0/8"]);
        let sent = headers(&[(
            "forwarded",
            "for=198.51.100.9, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.3",
        )]);
        assert_eq!(
            trusted.client_address(ip("::1"), &sent),
            ip("2001:db8:cafe::17")
        );
        assert!(
            !trusted.forwarded_https(ip("::1"), &sent),
            "proto of the last element"
        );
        let tls = headers(&[("forwarded", "for=203.0.113.7;proto=https")]);
        assert!(trusted.forwarded_https(ip("::1"), &tls));
        assert_eq!(trusted.client_address(ip("::1"), &tls), ip("203.0.113.7"));
        let mixed = headers(&[
            ("x-forwarded-for", "203.0.113.8"),
            ("forwarded", "for=198.51.100.9"),
        ]);
        assert_eq!(trusted.client_address(ip("::1"), &mixed), ip("203.0.113.8"));
    }

    #[test]
    fn x_forwarded_proto_counts_only_from_a_trusted_proxy() {
        let trusted = proxies(&["127.0.0.1"]);
        let https = headers(&[("x-forwarded-proto", "https")]);
        assert!(trusted.forwarded_https(ip("127.0.0.1"), &https));
        assert!(trusted.forwarded_https(ip("::ffff:127.0.0.1"), &https));
        assert!(!trusted.forwarded_https(ip("127.0.0.2"), &https));
        let http = headers(&[("x-forwarded-proto", "https, http")]);
        assert!(!trusted.forwarded_https(ip("127.0.0.1"), &http));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")),
            ClientKey::of(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            ClientKey::of(ip("2001:db8:1:2::1")),
            ClientKey::of(ip("2001:db8:1:3::1"))
        );
        assert_eq!(
            ClientKey::of(ip("2001:db8:1:2:aaaa::1")).to_string(),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            ClientKey::of(ip("::ffff:192.0.2.4")).to_string(),
            "192.0.2.4"
        );
        assert_ne!(
            ClientKey::of(ip("192.0.2.4")),
            ClientKey::of(ip("192.0.2.5"))
        );
    }

    #[test]
    fn entries_are_addresses_or_networks() {
        let trusted = proxies(&["10.0.0.7", " 172.16.0.0/12 ", "fd00::/8", ""]);
        assert!(trusted.trusts(ip("10.0.0.7")));
        assert!(!trusted.trusts(ip("10.0.0.8")));
        assert!(trusted.trusts(ip("172.31.255.255")));
        assert!(trusted.trusts(ip("fd12::1")));
        let error =
            TrustedProxies::parse(&["10.0.0.0/8", "proxy.example.org"]).expect_err("refused");
        assert!(error.contains("proxy.example.org"), "{error}");
        assert!(TrustedProxies::parse(&["10.0.0.0/33"]).is_err());
    }

    proptest! {
        /// Whatever a client sends, the answer is the peer or an address a
        /// header named, and a header can never name anyone when the peer
        /// is not trusted.
        #[test]
        fn any_forwarded_headers_name_the_peer_or_a_listed_hop(
            forwarded_for in "[0-9a-f.:, \\[\\]]{0,60}",
            forwarded in "[ -~]{0,60}",
            peer_trusted in any::<bool>(),
        ) {
            let trusted = proxies(&["10.0.0.0/8"]);
            let peer = if peer_trusted { ip("10.0.0.1") } else { ip("203.0.113.5") };
            let mut map = HeaderMap::new();
            if let Ok(value) = HeaderValue::from_str(&forwarded_for) {
                map.append(HeaderName::from_static("x-forwarded-for"), value);
            }
            if let Ok(value) = HeaderValue::from_str(&forwarded) {
                map.append(HeaderName::from_static("forwarded"), value);
            }
            let client = trusted.client_address(peer, &map);
            if peer_trusted {
                let named = forwarded_for_hops(&map).into_iter().chain(forwarded_hops(&map)).flatten()
                    .any(|hop| hop.to_canonical() == client);
                prop_assert!(client == peer || named);
            } else {
                prop_assert_eq!(client, peer);
            }
        }
    }
}
