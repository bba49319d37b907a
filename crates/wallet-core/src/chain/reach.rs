//! Where a shop's payment link may lead the wallet's HTTP client. A scanned code is anyone's text: a
//! link to `https://192.168.1.1/` or to a name that resolves to this machine would make the wallet
//! knock on the shopper's own router, printer or local services. So, on a public network, a shop is
//! reached only at public internet addresses: an address written in the link is checked before any
//! connection, a name is checked **as resolved** (every address the resolver gives; a name that
//! resolves to a private one is refused, however it is spelt, and the connection uses only the
//! addresses checked, so a second lookup cannot differ). On a local (dev) network, the demo's shop on
//! this machine is allowed. The same holds for the servers an NFT's metadata points to
//! ([`crate::nft::remote`]): they are anyone's text too.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use crate::chain::network::Network;
use crate::error::{CheckoutError, Error, Result};

/// Which addresses a shop may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Public internet addresses only.
    Public,
    /// Any, this machine's included (a local dev network: the demo's shop).
    Local,
}

impl Reach {
    /// The reach on `network`: local only on a local network.
    pub fn on(network: &Network) -> Self {
        if network.local { Reach::Local } else { Reach::Public }
    }
}

/// Whether `ip` is a public internet address (not this machine, a private or shared network,
/// link-local, multicast, unspecified, broadcast or reserved for documentation).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first == 0x2001 && ip.segments()[1] == 0x0db8) // documentation
        || (first == 0x0064 && ip.segments()[1] == 0xff9b)) // NAT64 to any IPv4, private ones included
}

/// The shop's name as a person should read it: the link's host (and port when it is not the
/// default), lower case, IDNA as written by the URL parser. This is who asks: the TLS certificate
/// vouches for it, unlike any name the shop gives itself.
pub fn domain_of(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    }
}

fn private_address(url: &url::Url) -> Error {
    CheckoutError::PrivateAddress { domain: domain_of(url) }.into()
}

/// Refuses, before any connection, a link whose host is an address that `reach` does not allow.
pub fn check_host(url: &url::Url, reach: Reach) -> Result<()> {
    if reach == Reach::Local {
        return Ok(());
    }
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") || d.ends_with(".localhost") => {
            return Err(private_address(url));
        }
        _ => return Ok(()),
    };
    if is_public(ip) { Ok(()) } else { Err(private_address(url)) }
}

/// The resolver's refusal: the name resolves inside a private network.
#[derive(Debug)]
struct PrivateNetwork(String);

impl std::fmt::Display for PrivateNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to an address inside a private network", self.0)
    }
}

impl std::error::Error for PrivateNetwork {}

/// Whether the HTTP client's failure is the resolver's refusal of a private address.
pub fn refused_private(e: &reqwest::Error) -> bool {
    std::iter::successors(std::error::Error::source(e), |s| s.source()).any(|s| s.is::<PrivateNetwork>())
}

/// A resolver that gives only public addresses (the system's resolver, then the check): a name
/// with any private address is refused whole.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if found.is_empty() || found.iter().any(|a| !is_public(a.ip())) {
                return Err(Box::new(PrivateNetwork(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: reqwest::dns::Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

/// `builder` held to `reach` for names it resolves.
pub fn restrict(builder: reqwest::ClientBuilder, reach: Reach) -> reqwest::ClientBuilder {
    match reach {
        Reach::Local => builder,
        Reach::Public => builder.dns_resolver(Arc::new(PublicOnly)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_internet_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:192.168.1.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(private.parse().expect("ip")), "{private}");
        }
        for public in ["1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:1.1.1.1"] {
            assert!(is_public(public.parse().expect("ip")), "{public}");
        }
    }

    #[test]
    fn a_link_to_a_private_address_is_refused_on_a_public_network_only() {
        for link in [
            "https://192.168.1.1/pay",
            "https://[::1]:8443/pay",
            "https://localhost/pay",
            "https://shop.localhost/pay",
            "http://127.0.0.1:4000/pay",
        ] {
            let url = url::Url::parse(link).expect("url");
            let e = check_host(&url, Reach::Public).expect_err(link);
            assert_eq!(e.code().as_str(), "private_shop_address", "{link}");
            check_host(&url, Reach::Local).expect("the demo's shop on a local network");
        }
        check_host(&url::Url::parse("https://shop.example/pay").expect("url"), Reach::Public).expect("a name");
    }

    /// A name that resolves to this machine is refused by the resolver, and nothing connects.
    #[tokio::test]
    async fn a_name_resolving_to_this_machine_is_never_connected_to() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let client = restrict(reqwest::Client::builder(), Reach::Public).build().expect("client");
        // `localtest.me`-style names need the network; `localhost` resolves locally everywhere. The
        // resolver sees it because the client is given the name, not an address.
        let e =
            client.get(format!("http://localhost:{port}/")).send().await.expect_err("a private address was reached");
        assert!(refused_private(&e), "refused as private, not as unreachable: {e:?}");
        let accepted = tokio::time::timeout(std::time::Duration::from_millis(300), listener.accept()).await;
        assert!(accepted.is_err(), "the client connected to this machine");
    }
}
