use proptest::prelude::*;

use super::pool;

/// Pieces of stub files, joined at random: near-valid text reaches deep into the checks.
const TOKENS: &[&str] = &[
    "- ",
    "method: ",
    "shop.Shop/Get",
    "shop.Shop/Chat",
    "shop.Shop/Upload",
    "\n",
    "  ",
    "match: ",
    "request: ",
    "equals: ",
    "contains: ",
    "matches: ",
    "reply: ",
    "message: ",
    "stream: ",
    "status: ",
    "code: ",
    "fault: ",
    "kind: ",
    "reset",
    "{",
    "}",
    "[",
    "]",
    ", ",
    ": ",
    "name",
    "lines[*].sku",
    "'^a'",
    "\"{{request.name}}\"",
    "{{n}}",
    "&a ",
    "*a",
    "!!str ",
    "5",
    "-1",
    "1.5",
    "~",
    "null",
    "true",
    "after: ",
    "10ms",
    "wait: ",
    "half-close",
    "on: ",
    "headers: ",
    "x-a",
    "times: ",
    "priority: ",
    "delay: ",
    "details: ",
    "'@type': ",
    "#",
    "\"",
    "'",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn loading_never_panics_and_errors_are_one_line(
        parts in prop::collection::vec(
            prop_oneof![9 => prop::sample::select(TOKENS).prop_map(str::to_owned), 1 => any::<String>()],
            0..40,
        )
    ) {
        let text = parts.concat();
        if let Err(err) = super::load_text(&text, "p.yaml", &pool()) {
            let line = err.to_string();
            prop_assert!(line.starts_with("p.yaml:"), "{line}");
            prop_assert!(!line.contains(['\n', '\r']), "{line:?}");
        }
    }
}
