//! The stubs that recorded exchanges become, for every RPC kind, with fixed times.

use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue};
use prost::Message as _;

use super::{
    exchange::{Event, Exchange, Writing},
    yaml,
};
use crate::routeguide::{Feature, Point, RouteNote};

fn point(latitude: i32, longitude: i32) -> Point {
    Point {
        latitude,
        longitude,
    }
}

fn note(at: i32, message: &str) -> Bytes {
    RouteNote {
        location: Some(point(at, at)),
        message: message.into(),
    }
    .encode_to_vec()
    .into()
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(name, value)| {
            (
                HeaderName::from_static(name),
                HeaderValue::from_str(value).unwrap(),
            )
        })
        .collect()
}

/// Plays `events` (each `ms` after the start) of `method`, with reply headers at `headers_at`
/// ms, and returns the stub file.
fn stub(
    method: &str,
    events: Vec<(u64, Event)>,
    headers_at: Option<u64>,
    trailers: &HeaderMap,
    timing: bool,
) -> String {
    let pool = crate::descriptors::builtin_pool();
    let (service, name) = method.split_once('/').unwrap();
    let method = pool
        .get_service_by_name(service)
        .unwrap()
        .methods()
        .find(|m| m.name() == name)
        .unwrap();
    let start = Instant::now();
    let at = |ms: u64| start + Duration::from_millis(ms);
    let mut exchange = Exchange::new(method, start);
    for (ms, event) in events {
        exchange.push(event, at(ms));
    }
    if let Some(ms) = headers_at {
        exchange.headers(headers(&[("x-served-by", "live")]), at(ms));
    }
    let redact = [HeaderName::from_static("x-secret")];
    let writing = Writing {
        redact: &redact,
        timing,
        pool: &pool,
    };
    let text = yaml::to_string(&exchange.stub(trailers, &writing).unwrap());
    // Every file the recorder writes is one the stub loader reads.
    if let Err(err) = crate::stubs::load_text(&text, "recorded.yaml", &pool) {
        panic!("the stub loader refuses the recorded file: {err}\n{text}");
    }
    text
}

fn ok() -> HeaderMap {
    headers(&[("grpc-status", "0")])
}

#[test]
fn unary_matches_its_request_and_replies_its_message() {
    let feature = Feature {
        name: "Patriots Path".into(),
        location: Some(point(4, -7)),
    };
    let events = vec![
        (0, Event::In(point(4, -7).encode_to_vec().into())),
        (0, Event::HalfClose),
        (5, Event::Out(feature.encode_to_vec().into())),
    ];
    let trailers = headers(&[
        ("grpc-status", "0"),
        ("x-trailer", "t"),
        ("authorization", "Bearer s3cret"),
        ("set-cookie", "id=1"),
        ("x-api-key", "k"),
        ("x-secret", "s"),
        ("cookie", "c"),
    ]);
    assert_eq!(
        stub(
            "routeguide.RouteGuide/GetFeature",
            events,
            Some(3),
            &trailers,
            true
        ),
        "method: \"routeguide.RouteGuide/GetFeature\"\n\
         delay: \"3ms\"\n\
         match:\n  \
           request:\n    \
             equals:\n      \
               latitude: 4\n      \
               longitude: -7\n\
         reply:\n  \
           headers:\n    \
             x-served-by: \"live\"\n  \
           message:\n    \
             name: \"Patriots Path\"\n    \
             location:\n      \
               latitude: 4\n      \
               longitude: -7\n  \
           trailers:\n    \
             x-trailer: \"t\"\n"
    );
}

#[test]
fn a_failed_unary_call_has_its_status_and_no_message() {
    let events = vec![
        (0, Event::In(point(900_000_000, 0).encode_to_vec().into())),
        (0, Event::HalfClose),
    ];
    // Trailers-only: the status came in the headers.
    let trailers = headers(&[
        ("grpc-status", "3"),
        ("grpc-message", "latitude%20out%20of%20range"),
        ("content-type", "application/grpc"),
    ]);
    assert_eq!(
        stub(
            "routeguide.RouteGuide/GetFeature",
            events,
            None,
            &trailers,
            false
        ),
        "method: \"routeguide.RouteGuide/GetFeature\"\n\
         match:\n  \
           request:\n    \
             equals:\n      \
               latitude: 900000000\n\
         reply:\n  \
           status:\n    \
             code: \"INVALID_ARGUMENT\"\n    \
             message: \"latitude out of range\"\n"
    );
}

#[test]
fn a_server_stream_keeps_its_order_and_timing() {
    let feature = |name: &str| Feature {
        name: name.into(),
        location: None,
    };
    let rectangle = crate::routeguide::Rectangle {
        lo: Some(point(1, 1)),
        hi: None,
    };
    let events = vec![
        (1, Event::In(rectangle.encode_to_vec().into())),
        (1, Event::HalfClose),
        (10, Event::Out(feature("b").encode_to_vec().into())),
        (30, Event::Out(feature("a").encode_to_vec().into())),
    ];
    assert_eq!(
        stub(
            "routeguide.RouteGuide/ListFeatures",
            events,
            Some(2),
            &ok(),
            true
        ),
        "method: \"routeguide.RouteGuide/ListFeatures\"\n\
         delay: \"1ms\"\n\
         match:\n  \
           request:\n    \
             equals:\n      \
               lo:\n        \
                 latitude: 1\n        \
                 longitude: 1\n\
         reply:\n  \
           headers:\n    \
             x-served-by: \"live\"\n  \
           stream:\n    \
             - message:\n        \
                 name: \"b\"\n      \
               after: \"8ms\"\n    \
             - message:\n        \
                 name: \"a\"\n      \
               after: \"20ms\"\n"
    );
}

#[test]
fn a_client_stream_matches_every_message_in_order() {
    let events = vec![
        (0, Event::In(point(2, 2).encode_to_vec().into())),
        (0, Event::In(Bytes::new())),
        (0, Event::HalfClose),
    ];
    let trailers = headers(&[("grpc-status", "5"), ("grpc-message", "no route")]);
    assert_eq!(
        stub(
            "routeguide.RouteGuide/RecordRoute",
            events,
            Some(0),
            &trailers,
            false
        ),
        "method: \"routeguide.RouteGuide/RecordRoute\"\n\
         match:\n  \
           messages:\n    \
             equals:\n      \
               - latitude: 2\n        \
                 longitude: 2\n      \
               - {}\n\
         reply:\n  \
           headers:\n    \
             x-served-by: \"live\"\n  \
           status:\n    \
             code: \"NOT_FOUND\"\n    \
             message: \"no route\"\n"
    );
}

#[test]
fn bidi_splits_into_a_script_and_a_rule_per_incoming_message() {
    let events = vec![
        (1, Event::Out(note(0, "hello"))),
        (2, Event::In(note(1, "a"))),
        (3, Event::In(note(1, "b"))),
        (4, Event::Out(note(1, "a"))),
        (6, Event::Out(note(1, "a again"))),
        (7, Event::HalfClose),
        (9, Event::Out(note(9, "bye"))),
    ];
    assert_eq!(
        stub(
            "routeguide.RouteGuide/RouteChat",
            events,
            Some(0),
            &ok(),
            true
        ),
        "method: \"routeguide.RouteGuide/RouteChat\"\n\
         delay: \"0ms\"\n\
         reply:\n  \
           headers:\n    \
             x-served-by: \"live\"\n  \
           stream:\n    \
             - message:\n        \
                 location: {}\n        \
                 message: \"hello\"\n      \
               after: \"1ms\"\n    \
             - wait: \"half-close\"\n    \
             - message:\n        \
                 location:\n          \
                   latitude: 9\n          \
                   longitude: 9\n        \
                 message: \"bye\"\n      \
               after: \"2ms\"\n  \
           on:\n    \
             - match:\n        \
                 equals:\n          \
                   location:\n            \
                     latitude: 1\n            \
                     longitude: 1\n          \
                   message: \"a\"\n      \
               reply: []\n    \
             - match:\n        \
                 equals:\n          \
                   location:\n            \
                     latitude: 1\n            \
                     longitude: 1\n          \
                   message: \"b\"\n      \
               reply:\n        \
                 - message:\n            \
                     location:\n              \
                       latitude: 1\n              \
                       longitude: 1\n            \
                     message: \"a\"\n          \
                   after: \"1ms\"\n        \
                 - message:\n            \
                     location:\n              \
                       latitude: 1\n              \
                       longitude: 1\n            \
                     message: \"a again\"\n          \
                   after: \"2ms\"\n"
    );
}

#[test]
fn details_are_written_as_json_with_their_type() {
    use base64::Engine as _;
    let info = crate::details::RpcStatus {
        code: 9,
        message: "out of stock".into(),
        details: vec![prost_types::Any {
            type_url: "type.googleapis.com/google.rpc.LocalizedMessage".into(),
            // locale "en", message "gone"
            value: vec![0x0a, 2, b'e', b'n', 0x12, 4, b'g', b'o', b'n', b'e'],
        }],
    };
    let details = base64::engine::general_purpose::STANDARD_NO_PAD.encode(info.encode_to_vec());
    let trailers = headers(&[
        ("grpc-status", "9"),
        ("grpc-message", "out of stock"),
        ("grpc-status-details-bin", &details),
    ]);
    let events = vec![(0, Event::In(Bytes::new())), (0, Event::HalfClose)];
    let text = stub(
        "routeguide.RouteGuide/GetFeature",
        events,
        None,
        &trailers,
        false,
    );
    assert!(
        text.ends_with(
            "  status:\n    \
               code: \"FAILED_PRECONDITION\"\n    \
               message: \"out of stock\"\n    \
               details:\n      \
                 - \"@type\": \"type.googleapis.com/google.rpc.LocalizedMessage\"\n        \
                   locale: \"en\"\n        \
                   message: \"gone\"\n"
        ),
        "{text}"
    );
}

#[test]
fn a_message_sent_again_with_the_same_replies_has_one_rule() {
    let events = vec![
        (1, Event::In(note(1, "a"))),
        (2, Event::Out(note(1, "x"))),
        (3, Event::In(note(1, "a"))),
        (4, Event::Out(note(1, "x"))),
        (5, Event::HalfClose),
    ];
    let text = stub(
        "routeguide.RouteGuide/RouteChat",
        events,
        Some(0),
        &ok(),
        true,
    );
    assert_eq!(text.matches("- match:").count(), 1, "{text}");
    assert!(!text.contains("wait"), "{text}");
}

#[test]
fn a_message_sent_again_with_other_replies_makes_the_call_a_script_by_count() {
    let events = vec![
        (1, Event::In(note(1, "a"))),
        (2, Event::Out(note(1, "x"))),
        (3, Event::In(note(2, "b"))),
        (4, Event::In(note(1, "a"))),
        (5, Event::Out(note(1, "y"))),
        (6, Event::HalfClose),
        (7, Event::Out(note(9, "bye"))),
    ];
    assert_eq!(
        stub(
            "routeguide.RouteGuide/RouteChat",
            events,
            Some(0),
            &ok(),
            false
        ),
        "method: \"routeguide.RouteGuide/RouteChat\"\n\
         reply:\n  \
           headers:\n    \
             x-served-by: \"live\"\n  \
           stream:\n    \
             - wait:\n        \
                 messages: 1\n    \
             - message:\n        \
                 location:\n          \
                   latitude: 1\n          \
                   longitude: 1\n        \
                 message: \"x\"\n    \
             - wait:\n        \
                 messages: 3\n    \
             - message:\n        \
                 location:\n          \
                   latitude: 1\n          \
                   longitude: 1\n        \
                 message: \"y\"\n    \
             - wait: \"half-close\"\n    \
             - message:\n        \
                 location:\n          \
                   latitude: 9\n          \
                   longitude: 9\n        \
                 message: \"bye\"\n"
    );
}

#[test]
fn details_of_unknown_or_well_known_types_are_left_out() {
    use base64::Engine as _;
    let info = crate::details::RpcStatus {
        code: 9,
        message: "out of stock".into(),
        details: vec![
            prost_types::Any {
                type_url: "type.googleapis.com/acme.Secret".into(),
                value: vec![0x0a, 1, b'x'],
            },
            prost_types::Any {
                type_url: "type.googleapis.com/google.protobuf.Duration".into(),
                value: vec![0x08, 1],
            },
            prost_types::Any {
                type_url: "type.googleapis.com/google.rpc.ErrorInfo".into(),
                // reason "R"
                value: vec![0x0a, 1, b'R'],
            },
        ],
    };
    let details = base64::engine::general_purpose::STANDARD_NO_PAD.encode(info.encode_to_vec());
    let trailers = headers(&[
        ("grpc-status", "9"),
        ("grpc-message", "out of stock"),
        ("grpc-status-details-bin", &details),
    ]);
    let events = vec![(0, Event::In(Bytes::new())), (0, Event::HalfClose)];
    let text = stub(
        "routeguide.RouteGuide/GetFeature",
        events,
        None,
        &trailers,
        false,
    );
    assert!(
        text.ends_with(
            "    details:\n      \
                 - \"@type\": \"type.googleapis.com/google.rpc.ErrorInfo\"\n        \
                   reason: \"R\"\n"
        ),
        "{text}"
    );
}
