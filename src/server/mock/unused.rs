//! `--report-unused`: when serve stops, the stubs that never matched a call, one warning line
//! each, and exit 3 if there is any, so that a CI job can tell that its whole fake was used.
//!
//! "Never" counts from the start, or from the admin service's last Reset, which zeroes the hits;
//! a stub reloaded from its file counts from its reload.

use std::sync::Arc;

use tracing::warn;

use crate::{exit::UnusedStubs, stubs::Stub};

/// Warns of each stub with no hits, and fails (exit 3) if there is any.
pub fn report(stubs: &[Arc<Stub>]) -> Result<(), UnusedStubs> {
    let lines = never_matched(stubs);
    for line in &lines {
        warn!("{line}");
    }
    match lines.len() {
        0 => Ok(()),
        unused => Err(UnusedStubs(unused)),
    }
}

/// One line per stub with no hits, in load order: `stub never matched: file:line METHOD`.
pub fn never_matched(stubs: &[Arc<Stub>]) -> Vec<String> {
    stubs
        .iter()
        .filter(|stub| stub.hits() == 0)
        .map(|stub| format!("stub never matched: {} {}", stub.origin, stub.method_name()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_stubs_that_never_matched() {
        let pool = crate::descriptors::builtin_pool();
        let load = |text: &str, name| crate::stubs::load_text(text, name, &pool).unwrap();
        let stubs: Vec<_> = load(
            "- method: routeguide.RouteGuide/GetFeature\n  reply: {message: {}}\n\
             - method: routeguide.RouteGuide/RouteChat\n  reply: {stream: []}\n",
            "a.yaml",
        )
        .into_iter()
        .chain(load(
            "method: routeguide.RouteGuide/RecordRoute\nreply: {message: {}}\n",
            "AddStubs",
        ))
        .map(Arc::new)
        .collect();
        stubs[0].count_hit();
        assert_eq!(
            never_matched(&stubs),
            [
                "stub never matched: a.yaml:3 routeguide.RouteGuide/RouteChat",
                "stub never matched: AddStubs:1 routeguide.RouteGuide/RecordRoute",
            ]
        );
        assert_eq!(report(&stubs).unwrap_err().0, 2);
        stubs[1].count_hit();
        stubs[2].count_hit();
        assert!(report(&stubs).is_ok());
        assert!(report(&[]).is_ok());
    }
}
