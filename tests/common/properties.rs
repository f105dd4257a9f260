//! What the property tests share: a bounded configuration, the one-line check of an error,
//! and inputs built from a grammar's tokens.
#![allow(dead_code)]

use proptest::{prelude::*, test_runner::TestCaseError};

/// 256 cases a property, unless `PROPTEST_CASES` asks for more (a longer search before a
/// release) or `PROPTEST_RNG_SEED` replays a run.
pub fn config() -> ProptestConfig {
    let from_env = ProptestConfig::default();
    ProptestConfig {
        cases: match std::env::var_os("PROPTEST_CASES") {
            Some(_) => from_env.cases,
            None => 256,
        },
        failure_persistence: None,
        ..from_env
    }
}

/// An error as `apicli: error: …` prints it: one line, with something on it.
pub fn one_line(error: &str) -> Result<(), TestCaseError> {
    prop_assert!(!error.trim().is_empty(), "an empty error");
    prop_assert!(
        !error.contains(['\n', '\r']),
        "an error of more than one line: {error:?}"
    );
    Ok(())
}

/// Text made of a grammar's tokens, and of anything else now and then.
pub fn tokens(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
    let token = prop_oneof![
        9 => prop::sample::select(alphabet).prop_map(str::to_owned),
        1 => any::<String>(),
    ];
    prop::collection::vec(token, 0..8).prop_map(|parts| parts.concat())
}

/// Arbitrary text, or text near a grammar.
pub fn input(alphabet: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), tokens(alphabet)]
}

pub fn host_name() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z0-9]{1,8}){0,3}"
}

/// A host as an address names it: a name, an IPv4 address or a bracketed IPv6 address.
pub fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        host_name(),
        any::<std::net::Ipv4Addr>().prop_map(|ip| ip.to_string()),
        any::<std::net::Ipv6Addr>().prop_map(|ip| format!("[{ip}]")),
    ]
}
