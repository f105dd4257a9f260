//! `NO_PROXY`: the hosts reached directly although a proxy variable is set. The entries and
//! their meaning are those of Go's `golang.org/x/net/http/httpproxy`, which grpc-go uses:
//!
//! - `*` alone: no host is proxied;
//! - an IP address (`10.1.2.3`, `::1`, `[::1]`), or a CIDR range (`10.0.0.0/8`, `fd00::/8`);
//! - a domain: `example.com` matches it and its subdomains, `.example.com` (or `*.example.com`)
//!   only the subdomains;
//! - any of these but a range may end with `:PORT`, and then matches that port only.
//!
//! Entries are separated by commas; blanks around them and malformed entries are ignored.

use std::net::IpAddr;

/// A parsed `NO_PROXY` list.
#[derive(Debug, Default)]
pub struct NoProxy {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    /// As written, for `-v`.
    text: String,
    rule: Rule,
}

#[derive(Debug)]
enum Rule {
    Everything,
    Ip {
        ip: IpAddr,
        port: Option<u16>,
    },
    Range {
        network: IpAddr,
        prefix: u8,
    },
    /// `suffix` starts with a dot; `or_itself` when the entry named the domain itself.
    Domain {
        suffix: String,
        or_itself: bool,
        port: Option<u16>,
    },
}

impl NoProxy {
    pub fn parse(list: &str) -> NoProxy {
        let entries = list
            .split(',')
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .filter_map(|text| {
                Some(Entry {
                    text: text.to_owned(),
                    rule: Rule::parse(&text.to_ascii_lowercase())?,
                })
            })
            .collect();
        NoProxy { entries }
    }

    /// The entry that exempts `host` (an address's host, an IPv6 one in brackets or not) on
    /// `port`, if one does.
    pub fn exempting(&self, host: &str, port: u16) -> Option<&str> {
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        let ip = host.parse::<IpAddr>().ok().map(canonical);
        self.entries
            .iter()
            .find(|entry| entry.rule.matches(&host, ip, port))
            .map(|entry| entry.text.as_str())
    }
}

impl Rule {
    fn parse(text: &str) -> Option<Rule> {
        if text == "*" {
            return Some(Rule::Everything);
        }
        if let Some((network, prefix)) = text.split_once('/') {
            let network = canonical(network.parse().ok()?);
            let mut prefix: u8 = prefix.parse().ok()?;
            // A v4-mapped v6 range (::ffff:10.0.0.0/104) is the v4 range it maps.
            if network.is_ipv4() && text.contains(':') {
                prefix = prefix.checked_sub(96)?;
            }
            let bits = if network.is_ipv4() { 32 } else { 128 };
            return (prefix <= bits).then_some(Rule::Range { network, prefix });
        }
        let (host, port) = split_port(text)?;
        if let Ok(ip) = host.parse::<IpAddr>() {
            return Some(Rule::Ip {
                ip: canonical(ip),
                port,
            });
        }
        let host = host.strip_prefix('*').unwrap_or(host);
        if host.is_empty() || host == "." {
            return None;
        }
        let (suffix, or_itself) = match host.strip_prefix('.') {
            Some(_) => (host.to_owned(), false),
            None => (format!(".{host}"), true),
        };
        Some(Rule::Domain {
            suffix,
            or_itself,
            port,
        })
    }

    fn matches(&self, host: &str, ip: Option<IpAddr>, port: u16) -> bool {
        let port_matches = |wanted: &Option<u16>| wanted.is_none_or(|wanted| wanted == port);
        match self {
            Rule::Everything => true,
            Rule::Ip {
                ip: wanted,
                port: p,
            } => ip == Some(*wanted) && port_matches(p),
            Rule::Range { network, prefix } => ip.is_some_and(|ip| in_range(ip, *network, *prefix)),
            Rule::Domain {
                suffix,
                or_itself,
                port: p,
            } => {
                let named = host.ends_with(suffix.as_str()) || (*or_itself && host == &suffix[1..]);
                named && port_matches(p)
            }
        }
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`, and a bare v6 address, which has colons but no
/// port. `None` when the port is not a port.
fn split_port(text: &str) -> Option<(&str, Option<u16>)> {
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((host, Some(port.parse().ok()?))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match text.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port.parse().ok()?))),
        _ => Some((text, None)),
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is, as Go compares them.
pub fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_range(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exempt(list: &str, host: &str, port: u16) -> bool {
        NoProxy::parse(list).exempting(host, port).is_some()
    }

    #[test]
    fn domains_match_themselves_and_their_subdomains() {
        let list = "example.com";
        assert!(exempt(list, "example.com", 443));
        assert!(exempt(list, "api.example.com", 443));
        assert!(exempt(list, "a.b.EXAMPLE.com", 443));
        assert!(!exempt(list, "notexample.com", 443));
        assert!(!exempt(list, "example.com.evil", 443));
    }

    #[test]
    fn a_leading_dot_or_star_matches_only_subdomains() {
        for list in [".example.com", "*.example.com"] {
            assert!(exempt(list, "api.example.com", 443), "{list}");
            assert!(!exempt(list, "example.com", 443), "{list}");
            assert!(!exempt(list, "badexample.com", 443), "{list}");
        }
    }

    #[test]
    fn ports_narrow_an_entry() {
        let list = "example.com:8443, 10.0.0.1:50051, [::1]:7";
        assert!(exempt(list, "api.example.com", 8443));
        assert!(!exempt(list, "api.example.com", 443));
        assert!(exempt(list, "10.0.0.1", 50051));
        assert!(!exempt(list, "10.0.0.1", 50052));
        assert!(exempt(list, "[::1]", 7));
        assert!(!exempt(list, "::1", 8));
    }

    #[test]
    fn addresses_and_ranges() {
        let list = "10.0.0.0/8, 192.168.1.7, fd00::/8, 2001:db8::1";
        assert!(exempt(list, "10.200.3.4", 1));
        assert!(!exempt(list, "11.0.0.1", 1));
        assert!(exempt(list, "192.168.1.7", 1));
        assert!(!exempt(list, "192.168.1.8", 1));
        assert!(exempt(list, "[fd12::3]", 1));
        assert!(!exempt(list, "fe80::1", 1));
        assert!(exempt(list, "[2001:db8::1]", 1));
        assert!(exempt(list, "::ffff:10.1.1.1", 1), "v4-mapped v6 is v4");
        // An address is not a domain: 10.0.0.0/8 says nothing of a name.
        assert!(!exempt(list, "ten.example", 1));
        assert!(exempt("0.0.0.0/0", "8.8.8.8", 1));
        assert!(exempt("::ffff:10.0.0.0/104", "10.9.9.9", 1));
    }

    #[test]
    fn star_exempts_everything() {
        assert!(exempt("*", "anything.example", 1));
        assert!(exempt("a.example, *", "10.1.1.1", 1));
        assert!(!exempt("*.", "anything.example", 1), "not a star entry");
    }

    #[test]
    fn blanks_and_malformed_entries_are_ignored() {
        let list = " , example.com:notaport, 10.0.0.0/99, [::1, :80, .,  api.test ";
        assert!(exempt(list, "api.test", 1));
        assert!(!exempt(list, "example.com", 1));
        assert!(!exempt(list, "10.0.0.1", 1));
        assert!(!exempt("", "example.com", 1));
    }

    #[test]
    fn names_the_entry_that_matched() {
        let list = NoProxy::parse("other.test, .Example.COM");
        assert_eq!(list.exempting("api.example.com", 1), Some(".Example.COM"));
    }
}
