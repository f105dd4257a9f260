use super::load;

/// The one-line error for `text`.
fn err(text: &str) -> String {
    let err = load(text).expect_err(text);
    assert!(!err.contains('\n'), "{err}");
    err
}

#[test]
fn each_bad_input_is_one_line_at_its_place() {
    let cases: &[(&str, &str)] = &[
        // Unknown keys, with the nearest one.
        (
            "method: shop.Shop/Get\nrepy: {}\n",
            "stubs.yaml:2:1: unknown key 'repy'; did you mean 'reply'?",
        ),
        (
            "- method: shop.Shop/Get\n  match: {reqest: {}}\n",
            "stubs.yaml:2:11: unknown key 'reqest'; did you mean 'request'?",
        ),
        // Unknown methods and services.
        (
            "method: shop.Shop/Gte\n",
            "stubs.yaml:1:9: unknown method 'Gte' in shop.Shop; did you mean 'Get'?",
        ),
        (
            "method: shop.Shp/Get\n",
            "stubs.yaml:1:9: unknown service 'shop.Shp'; did you mean 'shop.Shop'?",
        ),
        (
            "reply: {}\n",
            "stubs.yaml:1:1: a stub needs a method (SERVICE/METHOD)",
        ),
        (
            "method: 5\n",
            "stubs.yaml:1:9: method must be a string, not a number",
        ),
        // Unknown fields, with the nearest one; wrong types.
        (
            "method: shop.Shop/Get\nreply:\n  message: {nme: x}\n",
            "stubs.yaml:3:13: unknown field 'nme' in shop.Order; did you mean 'name'?",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  message: {name: 5}\n",
            "stubs.yaml:3:19: field 'name' of shop.Order must be a string, not a number (quote it)",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  message:\n    lines: {sku: a}\n",
            "stubs.yaml:4:12: field 'lines' of shop.Order must be a list, not a mapping",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  message:\n    lines: [{sku: a, qty: x}]\n",
            "stubs.yaml:4:27: field 'qty' of shop.Line must be a number, not a string",
        ),
        (
            "method: shop.Shop/Get\nmatch:\n  request:\n    contains: {first: {sku: [1]}}\n",
            "stubs.yaml:4:29: field 'sku' of shop.Line must be a string, not a list",
        ),
        (
            "method: shop.Shop/Get\ntimes: -1\n",
            "stubs.yaml:2:8: times must be a whole number of at least 0, not -1",
        ),
        // Bad regexes and field paths.
        (
            "method: shop.Shop/Get\nmatch:\n  request:\n    matches: {name: '(a'}\n",
            "stubs.yaml:4:21: bad regex '(a' in matches 'name': unclosed group",
        ),
        (
            "method: shop.Shop/Get\nmatch:\n  headers: {x-a: {matches: '['}}\n",
            "stubs.yaml:3:28: bad regex '[' in header x-a: unclosed character class",
        ),
        (
            "method: shop.Shop/Get\nmatch:\n  request:\n    matches: {'lines[*].skux': a}\n",
            "stubs.yaml:4:15: bad field path 'lines[*].skux': unknown field 'skux' in shop.Line; did you mean 'sku'?",
        ),
        (
            "method: shop.Shop/Get\nmatch:\n  request:\n    matches: {first: a}\n",
            "stubs.yaml:4:15: bad field path 'first': it ends at a message; name one of its fields",
        ),
        // Status codes, details, faults.
        (
            "method: shop.Shop/Get\nreply:\n  status: {code: NOT_FUND}\n",
            "stubs.yaml:3:18: unknown status code 'NOT_FUND'; did you mean 'NOT_FOUND'?",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  status: {code: 17}\n",
            "stubs.yaml:3:18: unknown status code 17; codes are 0 to 16",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  status:\n    code: 5\n    details:\n      - '@type': type.googleapis.com/google.rpc.Nope\n",
            "stubs.yaml:6:18: unknown detail type 'google.rpc.Nope': it is not a google.rpc type nor in the descriptors",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  status:\n    code: 5\n    details:\n      - '@type': type.googleapis.com/google.rpc.ErrorInfo\n        reson: X\n",
            "stubs.yaml:7:9: unknown field 'reson' in google.rpc.ErrorInfo; did you mean 'reason'?",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  fault: {kind: rest}\n",
            "stubs.yaml:3:17: unknown fault kind 'rest'; did you mean 'reset'?",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  fault: {kind: reset, code: CANCLE}\n",
            "stubs.yaml:3:30: unknown HTTP/2 error code 'CANCLE'; did you mean 'CANCEL'?",
        ),
        // Durations.
        (
            "method: shop.Shop/Get\ndelay: 5 parsecs\n",
            "stubs.yaml:2:8: bad delay '5 parsecs': unknown time unit \"parsecs\"",
        ),
        (
            "method: shop.Shop/Get\ndelay: 50\n",
            "stubs.yaml:2:8: bad delay 50: not a duration; write a duration such as 50ms or 2s",
        ),
        // What each kind allows.
        (
            "method: shop.Shop/Upload\nmatch: {request: {}}\n",
            "stubs.yaml:2:9: match.request is for unary and server-stream methods; this is a client-stream method: use match.messages",
        ),
        (
            "method: shop.Shop/Get\nmatch: {messages: {count: 1}}\n",
            "stubs.yaml:2:9: match.messages is for client-stream methods; this is a unary method: use match.request",
        ),
        (
            "method: shop.Shop/Chat\nmatch: {messages: {count: 1}}\n",
            "stubs.yaml:2:9: match.messages is for client-stream methods: a bidi stub is chosen on its headers when the call starts, before any message; react to messages with reply.on rules",
        ),
        (
            "method: shop.Shop/List\nreply: {message: {}}\n",
            "stubs.yaml:2:9: reply.message is for unary and client-stream methods (streams use reply.stream); this is a server-stream method",
        ),
        (
            "method: shop.Shop/Get\nreply: {stream: []}\n",
            "stubs.yaml:2:9: reply.stream is for server-stream and bidi methods (use reply.message); this is a unary method",
        ),
        (
            "method: shop.Shop/List\nreply:\n  stream:\n    - wait: half-close\n",
            "stubs.yaml:4:7: wait is only for a bidi method's reply.stream",
        ),
        (
            "method: shop.Shop/List\nreply: {on: []}\n",
            "stubs.yaml:2:9: reply.on is for bidi methods; this is a server-stream method",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  message: {name: x}\n  status: {code: NOT_FOUND}\n",
            "stubs.yaml:3:12: reply.message cannot go with a status other than OK: gRPC carries no message with an error",
        ),
        // Templates.
        (
            "method: shop.Shop/Get\nreply:\n  message: {name: '{{request.nam}}'}\n",
            "stubs.yaml:3:19: bad placeholder '{{request.nam}}': unknown field 'nam' in shop.Order; did you mean 'name'?",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  headers: {x-a: '{{bogus}}'}\n",
            "stubs.yaml:3:18: bad placeholder '{{bogus}}' in this value: the placeholders are {{n}}, {{uuid}}, {{rand A B}}, {{now}}, {{request.FIELD}} and {{header \"NAME\"}}",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  message: {name: '{{request.lines.sku}}'}\n",
            "stubs.yaml:3:19: bad placeholder '{{request.lines.sku}}': 'lines' is a list; write an index, e.g. lines.0",
        ),
        (
            "method: shop.Shop/Get\nreply:\n  trailers: {grpc-status: '5'}\n",
            "stubs.yaml:3:14: the server writes the header 'grpc-status' itself; use reply.status",
        ),
        // YAML itself: anchors in a loop, duplicate keys, a file that is not a stub.
        (
            "a: &x\n  b: *x\n",
            "stubs.yaml:2:6: this alias is inside its own anchor (a loop)",
        ),
        (
            "method: shop.Shop/Get\nmethod: shop.Shop/Get\n",
            "stubs.yaml:2:1: duplicate key 'method' (first at line 1)",
        ),
        (
            "just text\n",
            "stubs.yaml:1:1: a stub file holds a stub (a mapping) or a list of stubs, not a string",
        ),
    ];
    let mut failures = Vec::new();
    for (text, want) in cases {
        let got = err(text);
        if !got.starts_with(want) {
            failures.push(format!("{text:?}\n  want: {want}\n  got:  {got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let err = super::load_paths(&["no-such-file.yaml".into()], &super::pool()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no-such-file.yaml: no such file or directory"
    );
}

#[test]
fn a_folder_is_read_recursively_in_path_order_and_other_files_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("b")).unwrap();
    let stub = "method: shop.Shop/Get\n";
    std::fs::write(dir.path().join("b/one.yaml"), stub).unwrap();
    std::fs::write(dir.path().join("a.yml"), format!("- {stub}- {stub}")).unwrap();
    std::fs::write(dir.path().join("c.json"), r#"{"method": "shop.Shop/List"}"#).unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a stub").unwrap();
    std::fs::write(dir.path().join("empty.yaml"), "").unwrap();
    let stubs = super::load_paths(&[dir.path().to_owned()], &super::pool()).unwrap();
    let origins: Vec<String> = stubs
        .iter()
        .map(|stub| {
            let origin = stub.origin.to_string();
            origin
                .strip_prefix(&format!("{}/", dir.path().display()))
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(origins, ["a.yml:1", "a.yml:2", "b/one.yaml:1", "c.json:1"]);
}
