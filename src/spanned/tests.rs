use super::*;

fn err(text: &str) -> String {
    let err = parse(text).expect_err(text);
    format!("{}: {}", err.at, err.message)
}

#[test]
fn positions_are_one_based_and_scalars_resolve_by_the_core_schema() {
    let node = parse(
        "a: 1\nb:\n  - \"5\"\n  - 5\n  - 0x1F\n  - 1.5e3\n  - ~\n  - True\n  - .inf\n  - x\n",
    )
    .unwrap();
    let Value::Mapping(entries) = &node.value else {
        panic!("{node:?}")
    };
    assert_eq!(entries[0].0.at, Position { line: 1, column: 1 });
    assert_eq!(entries[1].0.at, Position { line: 2, column: 1 });
    let b = node.get("b").unwrap();
    let Value::Sequence(items) = &b.value else {
        panic!()
    };
    assert_eq!(items[0].at, Position { line: 3, column: 5 });
    assert_eq!(
        b.to_json(),
        serde_json::json!(["5", 5, 31, 1500.0, null, true, "Infinity", "x"])
    );
    assert_eq!(parse("").unwrap().value, Value::Null);
    assert_eq!(
        parse("{\"a\": [1, \"2\"]}").unwrap().to_json(),
        serde_json::json!({"a": [1, "2"]})
    );
    assert_eq!(
        parse("a: !!str 5").unwrap().to_json(),
        serde_json::json!({"a": "5"})
    );
}

#[test]
fn aliases_expand_and_loops_and_bombs_are_errors() {
    let node = parse("a: &x {b: 1}\nc: *x\n").unwrap();
    assert_eq!(
        node.to_json(),
        serde_json::json!({"a": {"b": 1}, "c": {"b": 1}})
    );
    assert_eq!(
        err("a: &x\n  b: *x\n"),
        "2:6: this alias is inside its own anchor (a loop)"
    );
    assert_eq!(
        err("a: &x [1, *x]\n"),
        "1:11: this alias is inside its own anchor (a loop)"
    );
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let prev = level - 1;
        bomb.push_str(&format!(
            "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    assert!(
        err(&bomb).contains("more than 1000000 values"),
        "{}",
        err(&bomb)
    );
}

#[test]
fn bad_texts_are_one_line_errors_with_positions() {
    assert_eq!(
        err("a: 1\nb: 2\na: 3\n"),
        "3:1: duplicate key 'a' (first at line 1)"
    );
    assert_eq!(
        err("{\"a\": 1, \"a\": 2}"),
        "1:10: duplicate key 'a' (first at line 1)"
    );
    assert_eq!(
        err("? [a]\n: 1\n"),
        "1:3: a key must be a string, not a list"
    );
    assert_eq!(
        err("a: 1\n---\nb: 2\n"),
        "2:1: only one YAML document is allowed in a file"
    );
    assert!(
        err("a: [1, 2\n").starts_with("2:1: bad YAML: "),
        "{}",
        err("a: [1, 2\n")
    );
    assert_eq!(err("a: !foo 1"), "1:4: the tag '!foo' is not supported");
    let deep = "[".repeat(200) + &"]".repeat(200);
    assert!(err(&deep).contains("nested more than 128 deep"));
}

#[test]
fn unknown_keys_name_the_nearest() {
    assert_eq!(
        unknown_key("key", "repy", &["reply", "method", "match"]),
        "unknown key 'repy'; did you mean 'reply'?"
    );
    assert_eq!(
        unknown_key("key", "zzz", &["reply", "method"]),
        "unknown key 'zzz'; expected one of: reply, method"
    );
}
