use serde_json::json;

use super::*;

fn headers(pairs: &[(&'static str, &str)]) -> http::HeaderMap {
    let mut map = http::HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, value.parse().unwrap());
    }
    map
}

/// Which stub (its line) answers a Get with `request` and `headers`, or the miss.
fn answer(
    stubs: &StubSet,
    method: &str,
    messages: &[DynamicMessage],
    headers: &http::HeaderMap,
) -> Result<u32, String> {
    let call = CallView {
        method,
        headers,
        messages,
    };
    stubs
        .find(&call)
        .map(|stub| stub.origin.line)
        .map_err(|miss| miss.0)
}

fn get(stubs: &StubSet, request: serde_json::Value) -> Result<u32, String> {
    let pool = pool();
    answer(
        stubs,
        "shop.Shop/Get",
        &[order(&pool, request)],
        &http::HeaderMap::new(),
    )
}

fn request_matcher(json: serde_json::Value) -> RequestMatcher {
    RequestMatcher::from_json(&json, &order_type(&pool())).unwrap()
}

#[test]
fn equals_contains_and_matches() {
    let pool = pool();
    let request = order(
        &pool,
        json!({"name": "Gopher", "id": 7, "color": "RED", "tags": ["a", "b"], "blob": "AQI=",
               "lines": [{"sku": "x1", "qty": 1}, {"sku": "y2", "qty": 2}], "first": {"sku": "x1"},
               "paid": true}),
    );
    for (matcher, want) in [
        (json!({"equals": {"name": "Gopher"}}), false),
        (
            json!({"contains": {"name": "Gopher", "first": {"sku": "x1"}}}),
            true,
        ),
        (
            json!({"contains": {"name": "Gopher", "first": {"sku": "x2"}}}),
            false,
        ),
        (json!({"contains": {"tags": ["b"]}}), true),
        (json!({"contains": {"tags": ["b", "c"]}}), false),
        (json!({"contains": {"lines": [{"qty": 2}]}}), true),
        (json!({"contains": {"lines": [{"qty": 3}]}}), false),
        (json!({"contains": {"color": "RED", "paid": true}}), true),
        (json!({"matches": {"name": "^Go"}}), true),
        (json!({"matches": {"name": "^go"}}), false),
        (
            json!({"matches": {"id": "^7$", "color": "^RED$", "paid": "true", "blob": "^AQI=$"}}),
            true,
        ),
        (json!({"matches": {"lines[*].sku": "^y"}}), true),
        (json!({"matches": {"lines[0].sku": "^y"}}), false),
        (json!({"matches": {"lines[1].sku": "^y"}}), true),
        (json!({"matches": {"lines.1.qty": "^2$"}}), true),
        (json!({"matches": {"lines[5].sku": "."}}), false),
        (json!({"matches": {"lines.sku": "^y"}}), true),
        (json!({"matches": {"tags": "^b$"}}), true),
        (json!({"matches": {"first.sku": "^x1$"}}), true),
        (json!({"matches": {"customerName": "^$"}}), true),
    ] {
        assert_eq!(
            request_matcher(matcher.clone()).matches(&request),
            want,
            "{matcher}"
        );
    }
    let exact = json!({"name": "Gopher", "id": 7, "color": "RED", "tags": ["a", "b"], "blob": "AQI=",
        "lines": [{"sku": "x1", "qty": 1}, {"sku": "y2", "qty": 2}], "first": {"sku": "x1"}, "paid": true});
    let mut tally = super::super::compare::Tally::default();
    request_matcher(json!({ "equals": exact })).check(&request, "request", &mut tally);
    assert_eq!(tally.first, None);
    assert!(request_matcher(json!({ "equals": exact })).matches(&request));
    // A field given as its zero equals an absent one.
    assert!(request_matcher(json!({"equals": {"count": 0}})).matches(&order(&pool, json!({}))));
    let err = RequestMatcher::from_json(&json!({"equal": {}}), &order_type(&pool)).unwrap_err();
    assert_eq!(err, "unknown key 'equal'; did you mean 'equals'?");
}

#[test]
fn headers_and_client_streams() {
    let pool = pool();
    let stubs = set(r#"
- method: shop.Shop/Get
  match:
    headers: {x-user: alice, x-trace: {matches: "^t-"}}
- method: shop.Shop/Upload
  match:
    messages: {count: 3}
- method: shop.Shop/Upload
  match:
    messages:
      count: {min: 1, max: 2}
      any: {contains: {name: b}}
- method: shop.Shop/Upload
  match:
    messages:
      all: {matches: {name: "^[a-z]$"}}
- method: shop.Shop/Upload
  match:
    messages:
      equals: [{name: a}, {name: z}]
"#);
    let empty = order(&pool, json!({}));
    assert_eq!(
        answer(
            &stubs,
            "shop.Shop/Get",
            std::slice::from_ref(&empty),
            &headers(&[("x-user", "alice"), ("x-trace", "t-1")])
        ),
        Ok(2)
    );
    assert_eq!(
        answer(&stubs, "shop.Shop/Get", std::slice::from_ref(&empty), &headers(&[("x-user", "bob"), ("x-trace", "t-1")])),
        Err("no stub matched shop.Shop/Get; closest is stubs.yaml:2: header x-user: want \"alice\", got \"bob\"".into())
    );
    assert_eq!(
        answer(&stubs, "shop.Shop/Get", &[empty], &headers(&[("x-user", "alice")])),
        Err("no stub matched shop.Shop/Get; closest is stubs.yaml:2: header x-trace: want a match of /^t-/, got none".into())
    );
    let named = |names: &[&str]| -> Vec<DynamicMessage> {
        names
            .iter()
            .map(|name| order(&pool, json!({ "name": name })))
            .collect()
    };
    let upload = |names: &[&str]| {
        answer(
            &stubs,
            "shop.Shop/Upload",
            &named(names),
            &http::HeaderMap::new(),
        )
    };
    assert_eq!(upload(&["A", "B", "C"]), Ok(5));
    assert_eq!(upload(&["a", "b"]), Ok(8), "count and any: two points");
    assert_eq!(
        upload(&["a", "z"]),
        Ok(17),
        "equals: two messages, two points"
    );
    assert_eq!(upload(&["q", "r"]), Ok(13));
    assert_eq!(
        upload(&["Q"]),
        Err(
            "no stub matched shop.Shop/Upload; closest is stubs.yaml:5: messages: want 3, got 1"
                .into()
        )
    );
}

#[test]
fn the_most_specific_wins_then_priority_then_order_and_times_run_out() {
    let stubs = set(r#"
- method: shop.Shop/Get
- method: shop.Shop/Get
  match: {request: {contains: {name: a}}}
- method: shop.Shop/Get
  match: {request: {contains: {name: a, id: 1}}}
- method: shop.Shop/Get
  priority: 5
  match: {request: {matches: {name: "^b"}}}
- method: shop.Shop/Get
  match: {request: {equals: {name: b}}}
- method: shop.Shop/Get
  times: 2
  match: {request: {equals: {name: c}}}
"#);
    assert_eq!(get(&stubs, json!({"name": "zzz"})), Ok(2));
    assert_eq!(get(&stubs, json!({"name": "a"})), Ok(3));
    assert_eq!(get(&stubs, json!({"name": "a", "id": 1})), Ok(5));
    assert_eq!(
        get(&stubs, json!({"name": "b"})),
        Ok(7),
        "priority breaks the tie"
    );
    assert_eq!(get(&stubs, json!({"name": "c"})), Ok(12));
    assert_eq!(get(&stubs, json!({"name": "c"})), Ok(12));
    assert_eq!(
        get(&stubs, json!({"name": "c"})),
        Ok(2),
        "used up: the catch-all answers"
    );
    let stub = &stubs.all()[5];
    assert_eq!((stub.hits(), stub.used_up()), (2, true));
}

#[test]
fn times_cannot_be_taken_twice_by_racing_calls() {
    let stubs = std::sync::Arc::new(set("method: shop.Shop/Get\ntimes: 50\n"));
    let taken = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let pool = pool();
                let request = [order(&pool, json!({}))];
                let headers = http::HeaderMap::new();
                let call = CallView {
                    method: "shop.Shop/Get",
                    headers: &headers,
                    messages: &request,
                };
                for _ in 0..40 {
                    if stubs.take(&call).is_ok() {
                        taken.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                }
            });
        }
    });
    assert_eq!(taken.into_inner(), 50);
}

#[test]
fn a_miss_names_the_closest_stub_and_what_differs() {
    let stubs = set(r#"
- method: shop.Shop/Get
  match: {request: {equals: {name: a, id: 1, count: 2}}}
- method: shop.Shop/Get
  match: {request: {contains: {name: b, count: 1}}}
- method: shop.Shop/List
"#);
    assert_eq!(
        get(&stubs, json!({"name": "a", "id": 1, "count": 5})),
        Err(
            "no stub matched shop.Shop/Get; closest is stubs.yaml:2: request.count: want 2, got 5"
                .into()
        )
    );
    assert_eq!(
        get(&stubs, json!({"name": "x", "count": 1})),
        Err("no stub matched shop.Shop/Get; closest is stubs.yaml:4: request.name: want \"b\", got \"x\"".into())
    );
    let pool = pool();
    assert_eq!(
        answer(&stubs, "shop.Shop/Chat", &[], &http::HeaderMap::new()),
        Err("no stub for shop.Shop/Chat; stubs exist for: shop.Shop/Get, shop.Shop/List".into())
    );
    let _ = pool;
    let used = set("method: shop.Shop/Get\ntimes: 0\n");
    assert_eq!(
        get(&used, json!({})),
        Err(
            "no stub matched shop.Shop/Get; closest is stubs.yaml:1: used up: it answers 0 calls"
                .into()
        )
    );
}

#[test]
fn specificity_counts_each_condition() {
    let stubs = load(
        r#"
- method: shop.Shop/Get
  match:
    request:
      equals: {name: a, first: {sku: x, qty: 1}}
      contains: {tags: [a, b]}
      matches: {name: a, id: "1"}
    headers: {x-a: b}
- method: shop.Shop/Upload
  match:
    messages: {count: 1, any: {contains: {name: a}}, all: {matches: {name: a, id: b}}}
"#,
    )
    .unwrap();
    assert_eq!(stubs[0].matcher.specificity(), 3 + 2 + 2 + 1);
    assert_eq!(stubs[1].matcher.specificity(), 1 + 1 + 2);
}

#[test]
fn equals_stubs_are_found_by_the_request_whatever_its_encoding() {
    let stubs = set(r#"
- method: shop.Shop/Get
- method: shop.Shop/Get
  match: {request: {equals: {name: a, count: 0, first: {sku: ""}}}}
- method: shop.Shop/Get
  match: {request: {equals: {name: b, lines: [{sku: x}]}}}
"#);
    assert_eq!(get(&stubs, json!({"name": "a"})), Ok(3));
    assert_eq!(get(&stubs, json!({"name": "a", "count": 0})), Ok(3));
    assert_eq!(
        get(
            &stubs,
            json!({"name": "b", "lines": [{"sku": "x", "qty": 0}]})
        ),
        Ok(5)
    );
    assert_eq!(get(&stubs, json!({"name": "c"})), Ok(2));
    let pool = pool();
    let want = order(&pool, json!({"name": "a", "count": 0}));
    let plain = order(&pool, json!({"name": "a"}));
    use prost::Message as _;
    assert_eq!(
        want.encode_to_vec(),
        plain.encode_to_vec(),
        "zeros are not encoded"
    );
}

#[test]
fn among_a_thousand_equals_stubs_each_request_finds_its_own() {
    let mut text =
        String::from("- method: shop.Shop/Get\n  match: {request: {contains: {id: 5}}}\n");
    for n in 0..1000 {
        text.push_str(&format!(
            "- method: shop.Shop/Get\n  match: {{request: {{equals: {{count: {n}}}}}}}\n"
        ));
    }
    let stubs = set(&text);
    assert_eq!(get(&stubs, json!({"count": 999})), Ok(2 * 999 + 3));
    assert_eq!(get(&stubs, json!({"count": 0})), Ok(3));
    // The stubs beside the index are tried too.
    assert_eq!(get(&stubs, json!({"count": 3, "id": 5})), Ok(1));
    assert!(get(&stubs, json!({"count": 1000})).is_err());
}
