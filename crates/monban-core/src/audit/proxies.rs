//! The source IP of a request: the peer address, or what `X-Forwarded-For` / `Forwarded`
//! say when (and only when) the peer is a configured trusted proxy. Hops are read from the
//! right, skipping trusted proxies, so that a client cannot choose its recorded address by
//! sending the header itself.

use std::net::IpAddr;
use std::str::FromStr;

/// An address block: `10.0.0.0/8`, `fd00::/8`, or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpNet {
    addr: IpAddr,
    prefix: u8,
}

impl IpNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(&net.octets(), &ip.octets(), self.prefix)
            }
            _ => false,
        }
    }
}

impl FromStr for IpNet {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not an IP address or CIDR block");
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().map_err(|_| bad())?)),
            None => (s.trim(), None),
        };
        let addr = canonical(addr.parse::<IpAddr>().map_err(|_| bad())?);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        if prefix > max {
            return Err(bad());
        }
        Ok(Self { addr, prefix })
    }
}

impl std::fmt::Display for IpNet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a.get(..full) != b.get(..full) {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    match (a.get(full), b.get(full)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

/// An IPv4 peer seen through an IPv6 socket (`::ffff:10.0.0.1`) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// One hop of a `Forwarded: for=` element: `1.2.3.4`, `"1.2.3.4:80"`, `"[::1]:80"`.
fn forwarded_for_hop(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("for") {
            return None;
        }
        let value = value.trim().trim_matches('"');
        Some(match value.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None if value.matches(':').count() == 1 => value.split(':').next().unwrap_or(value),
            None => value,
        })
    })
}

/// The address to record. `forwarded_for` is every `X-Forwarded-For` value joined with
/// commas, `forwarded` every `Forwarded` value likewise. An unknown peer gives `None`.
pub fn source_ip(
    peer: Option<IpAddr>,
    forwarded_for: Option<&str>,
    forwarded: Option<&str>,
    trusted: &[IpNet],
) -> Option<String> {
    let peer = canonical(peer?);
    let is_trusted = |ip: IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(peer) {
        return Some(peer.to_string());
    }
    let hops: Vec<&str> = match (forwarded_for, forwarded) {
        (Some(xff), _) => xff.split(',').map(str::trim).collect(),
        (None, Some(fwd)) => fwd.split(',').filter_map(forwarded_for_hop).collect(),
        (None, None) => Vec::new(),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // A garbled hop: the last address a trusted proxy vouched for stands.
            break;
        };
        client = canonical(ip);
        if !is_trusted(client) {
            break;
        }
    }
    Some(client.to_string())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn blocks_parse_and_match() {
        let net: IpNet = "10.1.0.0/16".parse().unwrap();
        assert!(net.contains("10.1.200.3".parse().unwrap()));
        assert!(!net.contains("10.2.0.1".parse().unwrap()));
        assert!(net.contains("::ffff:10.1.0.9".parse().unwrap()));
        let one: IpNet = "fd00::1".parse().unwrap();
        assert!(one.contains("fd00::1".parse().unwrap()));
        assert!(!one.contains("fd00::2".parse().unwrap()));
        let odd: IpNet = "192.168.0.0/23".parse().unwrap();
        assert!(odd.contains("192.168.1.7".parse().unwrap()));
        assert!(!odd.contains("192.168.2.7".parse().unwrap()));
        assert!("10.0.0.0/33".parse::<IpNet>().is_err());
        assert!("example.com".parse::<IpNet>().is_err());
    }

    #[test]
    fn headers_count_only_from_a_trusted_peer() {
        let trusted = nets(&["10.0.0.0/8"]);
        let xff = Some("198.51.100.1, 203.0.113.9");
        assert_eq!(
            source_ip(ip("192.0.2.5"), xff, None, &trusted).as_deref(),
            Some("192.0.2.5")
        );
        assert_eq!(
            source_ip(ip("10.0.0.2"), xff, None, &trusted).as_deref(),
            Some("203.0.113.9")
        );
        assert_eq!(
            source_ip(
                ip("10.0.0.2"),
                Some("198.51.100.1, 10.0.0.7"),
                None,
                &trusted
            )
            .as_deref(),
            Some("198.51.100.1")
        );
        assert_eq!(
            source_ip(ip("10.0.0.2"), Some("junk"), None, &trusted).as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(
            source_ip(
                ip("10.0.0.2"),
                None,
                Some(r#"for="[2001:db8::7]:4711";proto=https, for=10.0.0.3"#),
                &trusted
            )
            .as_deref(),
            Some("2001:db8::7")
        );
        assert_eq!(source_ip(None, xff, None, &trusted), None);
    }
}
