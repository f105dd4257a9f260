use prost_reflect::ReflectMessage as _;
use serde_json::json;

use super::*;

/// The reply message of the file's first stub, rendered for `request` as JSON.
fn render(
    stub_text: &str,
    request: serde_json::Value,
    n: u64,
) -> Result<serde_json::Value, RenderError> {
    let pool = pool();
    let stubs = load_text(stub_text, "stubs.yaml", &pool).unwrap();
    let request = order(&pool, request);
    let mut headers = http::HeaderMap::new();
    headers.insert("x-user", "alice".parse().unwrap());
    let template = stubs[0].reply.message.as_ref().expect("a reply message");
    let context = RenderContext {
        request: Some(&request),
        headers: &headers,
        n,
    };
    let bytes = template.render(&context)?;
    let message = DynamicMessage::decode(template.descriptor().clone(), bytes).unwrap();
    assert_eq!(message.descriptor().full_name(), "shop.Order");
    Ok(serde_json::to_value(&message).unwrap())
}

#[test]
fn placeholders_fill_in_the_reply() {
    let stub = r#"
method: shop.Shop/Get
reply:
  message:
    name: "Hello {{request.name}} from {{request.first.sku}}, line {{request.lines.1.sku}}"
    id: "{{request.count}}"
    count: "{{n}}"
    customerName: '{{header "x-user"}}'
    tags: ["{{request.customer_name}}", "{{uuid}}", "{{now}}", fixed]
    first: "{{request.first}}"
"#;
    let request = json!({"name": "Go", "first": {"sku": "s1", "qty": 3}, "lines": [{"sku": "a"}, {"sku": "b"}],
                         "count": 42, "customerName": "Ann"});
    let reply = render(stub, request, 7).unwrap();
    assert_eq!(reply["name"], "Hello Go from s1, line b");
    assert_eq!(
        reply["id"], "42",
        "a whole-value placeholder puts the number (int64 prints as a string)"
    );
    assert_eq!(reply["count"], 7);
    assert_eq!(reply["customerName"], "alice");
    assert_eq!(
        reply["first"],
        json!({"sku": "s1", "qty": 3}),
        "a whole message"
    );
    let tags = reply["tags"].as_array().unwrap();
    assert_eq!(tags[0], "Ann");
    assert_eq!(
        uuid::Uuid::parse_str(tags[1].as_str().unwrap())
            .unwrap()
            .get_version_num(),
        4
    );
    let now = tags[2].as_str().unwrap();
    assert!(
        humantime::parse_rfc3339(now).is_ok() && now.ends_with('Z') && now.len() == 24,
        "{now}"
    );
    assert_eq!(tags[3], "fixed");
}

#[test]
fn a_reply_without_placeholders_is_encoded_once_and_a_bad_render_names_the_stub() {
    let pool = pool();
    let stubs = load_text(
        "method: shop.Shop/Get\nreply: {message: {name: x}}\n",
        "s.yaml",
        &pool,
    )
    .unwrap();
    assert!(
        stubs[0]
            .reply
            .message
            .as_ref()
            .unwrap()
            .constant_bytes()
            .is_some()
    );
    let err = render(
        "method: shop.Shop/Get\nreply: {message: {count: \"{{request.name}}\"}}\n",
        json!({"name": "not a number"}),
        1,
    )
    .unwrap_err();
    assert!(
        err.0.starts_with("the reply of the stub at stubs.yaml:2:18 is not a shop.Order once its placeholders are filled in: "),
        "{}",
        err.0
    );
}

#[test]
fn header_and_status_templates_render_with_the_call() {
    let pool = pool();
    let stubs = load_text(
        "method: shop.Shop/Get\nreply:\n  headers: {x-n: 'call {{n}} for {{request.name}}'}\n  status:\n    code: not_found\n    message: 'no {{request.name}}'\n    details:\n      - '@type': type.googleapis.com/google.rpc.ErrorInfo\n        reason: STOCKOUT\n",
        "s.yaml",
        &pool,
    )
    .unwrap();
    let request = order(&pool, json!({"name": "pie"}));
    let headers = http::HeaderMap::new();
    let context = RenderContext {
        request: Some(&request),
        headers: &headers,
        n: 2,
    };
    let reply = &stubs[0].reply;
    assert_eq!(context.render(&reply.headers[0].value), "call 2 for pie");
    let status = reply.status.as_ref().unwrap();
    assert_eq!(status.code, tonic::Code::NotFound);
    assert_eq!(context.render(&status.message), "no pie");
    let decoded = crate::details::decode(
        &tonic::Status::with_details(status.code, "x", status.details.clone()),
        None,
    );
    assert_eq!(
        decoded,
        vec![r#"{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"STOCKOUT"}"#]
    );
}

#[test]
fn scripts_rules_and_faults_are_read() {
    let pool = pool();
    let stubs = load_text(
        r#"
- method: shop.Shop/Chat
  reply:
    stream:
      - message: {name: hi}
        after: 10ms
        repeat: 2
      - wait: {messages: 2}
      - wait: half-close
    on:
      - match: {contains: {name: a}}
        reply: [{message: {name: "got {{request.name}}"}, repeat: "{{request.count}}"}]
      - reply: []
    fault: {kind: reset, after: 1, code: CANCEL}
- method: shop.Shop/List
  delay: 1s
  reply: {fault: {kind: stall}}
"#,
        "s.yaml",
        &pool,
    )
    .unwrap();
    let reply = &stubs[0].reply;
    assert_eq!(reply.stream.len(), 3);
    assert!(
        matches!(&reply.stream[0], Step::Send { after: Some(after), repeat: Some(_), .. } if after.as_millis() == 10)
    );
    assert!(matches!(reply.stream[1], Step::Wait(Wait::Messages(2))));
    assert!(matches!(reply.stream[2], Step::Wait(Wait::HalfClose)));
    assert_eq!(reply.on.len(), 2);
    let a = order(&pool, json!({"name": "a"}));
    let b = order(&pool, json!({"name": "b"}));
    let when = reply.on[0].when.as_ref().unwrap();
    assert!(when.matches_message(&a) && !when.matches_message(&b));
    assert!(reply.on[1].when.is_none() && reply.on[1].replies.is_empty());
    assert_eq!(
        reply.fault,
        Some(Fault {
            after: 1,
            kind: FaultKind::Reset(8)
        })
    );
    assert_eq!(
        stubs[1].reply.fault,
        Some(Fault {
            after: 0,
            kind: FaultKind::Stall
        })
    );
    assert_eq!(stubs[1].delay, Some(std::time::Duration::from_secs(1)));
}
