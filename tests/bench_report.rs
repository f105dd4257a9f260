//! The JSON form of `apicli bench`'s report is a public interface: its schema
//! (`docs/bench-report.schema.json`), its example (`docs/bench-report.example.json`) and the
//! `Report` struct must agree, so that none of them drifts from the others; and the example is
//! a merged report that `apicli bench merge` makes again from itself.

mod common;

use std::collections::BTreeMap;

use apicli::bench::print::write_json;
use apicli::bench::report::{
    Bucket, Endpoint, ErrorGroup, Interval, Latency, OpenLoop, Part, Report, Shape, Streams,
};
use base64::Engine as _;
use hdrhistogram::{
    Histogram,
    serialization::{Serializer as _, V2DeflateSerializer},
};
use serde_json::{Value, json};

const SCHEMA: &str = include_str!("../docs/bench-report.schema.json");
const EXAMPLE: &str = include_str!("../docs/bench-report.example.json");

fn schema() -> Value {
    serde_json::from_str(SCHEMA).expect("the schema is JSON")
}

fn example() -> Value {
    serde_json::from_str(EXAMPLE).expect("the example is JSON")
}

/// Why `instance` does not meet the schema, one line per fault; empty when it does.
fn faults(instance: &Value) -> Vec<String> {
    let schema = schema();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    validator
        .iter_errors(instance)
        .map(|fault| format!("{}: {fault}", fault.instance_path()))
        .collect()
}

/// `values` in a histogram of apicli's bounds, as a report writes it.
fn hdr(values: &[u64]) -> String {
    let mut histogram = Histogram::<u64>::new_with_max(3_600_000_000, 3).unwrap();
    for value in values {
        histogram.record(*value).unwrap();
    }
    let mut bytes = Vec::new();
    V2DeflateSerializer::new()
        .serialize(&histogram, &mut bytes)
        .unwrap();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn latency(base: u64) -> Latency {
    Latency {
        min_us: base,
        mean_us: base as f64 * 2.5,
        p50_us: base * 2,
        p90_us: base * 3,
        p95_us: base * 4,
        p99_us: base * 6,
        p999_us: base * 9,
        p9999_us: base * 11,
        max_us: base * 12,
        hdr_histogram: Some(hdr(&[base, base * 2, base * 12])),
    }
}

/// A report with every option present.
fn full() -> Report {
    Report {
        method: "routeguide.RouteGuide/RouteChat".into(),
        kind: "bidi".into(),
        shape: Shape {
            concurrency: 10,
            connections: 2,
            threads: 1,
            total: Some(500),
            duration_us: Some(3_000_000),
            rps: Some(250.5),
            warmup_calls: Some(20),
            warmup_us: Some(200_000),
            split: Some("1/4".into()),
            start_at: Some("2026-12-05T10:00:00Z".into()),
        },
        count: 500,
        duration_us: 2_000_000,
        rps: 250.0,
        latency: latency(300),
        histogram: vec![
            Bucket {
                upper_us: 1_000,
                count: 400,
            },
            Bucket {
                upper_us: 3_600,
                count: 100,
            },
        ],
        statuses: BTreeMap::from([("OK".into(), 498), ("UNAVAILABLE".into(), 2)]),
        errors: vec![ErrorGroup {
            status: "UNAVAILABLE".into(),
            message: "connection reset".into(),
            count: 2,
        }],
        endpoints: vec![
            Endpoint {
                addr: "127.0.0.1:50051".into(),
                count: 250,
                errors: 2,
                unreachable_us: 1_500_000,
            },
            Endpoint {
                addr: "unix:/tmp/api.sock".into(),
                count: 250,
                errors: 0,
                unreachable_us: 0,
            },
        ],
        intervals: vec![
            Interval {
                start_us: 0,
                count: 300,
                rps: 300.0,
                p50_us: 600,
                p99_us: 1_800,
                errors: 2,
                target: Some(250.5),
            },
            Interval {
                start_us: 1_000_000,
                count: 200,
                rps: 200.0,
                p50_us: 590,
                p99_us: 3_600,
                errors: 0,
                target: None,
            },
        ],
        open_loop: Some(OpenLoop {
            target_rps: 250.5,
            late: 3,
        }),
        streams: Some(Streams {
            messages: 1500,
            messages_per_s: 750.0,
            first_message: latency(100),
        }),
        interrupted: true,
        unreachable_us: 1_500_000,
        unattempted: 7,
        started_at: Some("2026-03-01T09:30:00.250000Z".into()),
        ended_at: Some("2026-03-01T09:30:02.250000Z".into()),
        parts: vec![Part {
            source: "runs/pod-0.json".into(),
            started_at: "2026-03-01T09:30:00.250000Z".into(),
            ended_at: "2026-03-01T09:30:02.250000Z".into(),
            count: 500,
            errors: 2,
            duration_us: 2_000_000,
            rps: 250.0,
            p50_us: 600,
            p99_us: 1_800,
            intervals: vec![Interval {
                start_us: 0,
                count: 500,
                rps: 250.0,
                p50_us: 600,
                p99_us: 1_800,
                errors: 2,
                target: None,
            }],
        }],
    }
}

/// A report with every option absent and every list empty: a run that counted no call.
fn bare() -> Report {
    Report {
        method: "api.Api/sayHello".into(),
        kind: "unary".into(),
        shape: Shape {
            concurrency: 50,
            connections: 1,
            threads: 2,
            total: None,
            duration_us: None,
            rps: None,
            warmup_calls: None,
            warmup_us: None,
            split: None,
            start_at: None,
        },
        count: 0,
        duration_us: 0,
        rps: 0.0,
        latency: latency(0),
        histogram: Vec::new(),
        statuses: BTreeMap::new(),
        errors: Vec::new(),
        endpoints: Vec::new(),
        intervals: Vec::new(),
        open_loop: None,
        streams: None,
        interrupted: false,
        unreachable_us: 0,
        unattempted: 0,
        started_at: Some("2026-03-01T09:30:00Z".into()),
        ended_at: Some("2026-03-01T09:30:00Z".into()),
        parts: Vec::new(),
    }
}

#[test]
fn the_schema_is_a_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    if let Err(fault) = jsonschema::draft202012::meta::validate(&schema) {
        panic!("{}: {fault}", fault.instance_path());
    }
}

#[test]
fn the_example_meets_the_schema() {
    assert_eq!(faults(&example()), Vec::<String>::new());
}

#[test]
fn the_example_is_a_report_that_writes_back_the_same() {
    let report: Report = serde_json::from_str(EXAMPLE).expect("the example is a Report");
    assert_eq!(serde_json::to_value(&report).unwrap(), example());
    // As `-o json` prints it: one line, the same value.
    let mut line = Vec::new();
    write_json(&mut line, &report).unwrap();
    let line = String::from_utf8(line).unwrap();
    assert_eq!(line.lines().count(), 1);
    assert_eq!(serde_json::from_str::<Value>(&line).unwrap(), example());
}

#[test]
fn reports_built_in_code_meet_the_schema() {
    for report in [full(), bare()] {
        let mut line = Vec::new();
        write_json(&mut line, &report).unwrap();
        let value: Value = serde_json::from_slice(&line).unwrap();
        assert_eq!(faults(&value), Vec::<String>::new(), "{value}");
        assert_eq!(serde_json::from_value::<Report>(value).unwrap(), report);
    }
}

/// A change to the example, which should make it fail the schema.
type Edit = fn(&mut Value);

#[test]
fn the_schema_rejects_what_is_not_a_report() {
    let edits: [(&str, Edit); 15] = [
        ("a field missing", |v| {
            v.as_object_mut().unwrap().remove("rps");
        }),
        ("a field unknown", |v| v["extra"] = json!(1)),
        ("a nested field unknown", |v| {
            v["latency"]["p75_us"] = json!(1)
        }),
        ("a nested field missing", |v| {
            v["shape"].as_object_mut().unwrap().remove("threads");
        }),
        ("a count below 0", |v| v["count"] = json!(-1)),
        ("a count with a fraction", |v| v["count"] = json!(1.5)),
        ("a rate as text", |v| v["rps"] = json!("2000")),
        ("an unknown kind", |v| v["kind"] = json!("streaming")),
        ("an unknown status", |v| {
            v["statuses"]["Unavailable"] = json!(1)
        }),
        ("OK among the errors", |v| {
            v["errors"][0]["status"] = json!("OK")
        }),
        ("null where no option is", |v| v["latency"] = Value::Null),
        ("no threads", |v| v["shape"]["threads"] = json!(0)),
        ("a histogram not in HdrHistogram's text form", |v| {
            v["latency"]["hdr_histogram"] = json!("1000:3,2000:1")
        }),
        ("a time with an offset", |v| {
            v["started_at"] = json!("2026-03-01T10:30:00+01:00")
        }),
        ("a part without its rate", |v| {
            v["parts"][0].as_object_mut().unwrap().remove("rps");
        }),
    ];
    for (what, edit) in edits {
        let mut value = example();
        edit(&mut value);
        assert!(!faults(&value).is_empty(), "{what} passes the schema");
    }
}

/// Every object of the schema lists all its properties as required and allows no other, as
/// serde writes every field of the struct, options as `null`.
#[test]
fn every_object_requires_all_its_properties_and_no_other() {
    fn walk(at: &str, node: &Value, objects: &mut usize) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    *objects += 1;
                    let mut names: Vec<&String> = properties.keys().collect();
                    names.sort();
                    let mut required: Vec<&str> = map["required"]
                        .as_array()
                        .unwrap_or_else(|| panic!("{at}: no required"))
                        .iter()
                        .map(|name| name.as_str().unwrap())
                        .collect();
                    required.sort_unstable();
                    assert_eq!(names, required, "{at}");
                    assert_eq!(map["additionalProperties"], false, "{at}");
                }
                for (key, value) in map {
                    walk(&format!("{at}/{key}"), value, objects);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(&format!("{at}/{i}"), item, objects);
                }
            }
            _ => {}
        }
    }
    let mut objects = 0;
    walk("", &schema(), &mut objects);
    // The report, Shape, Latency, Bucket, ErrorGroup, Endpoint, Interval, OpenLoop, Streams,
    // Part.
    assert_eq!(objects, 10);
}

/// A report written before `intervals` was added still reads, as one without them.
#[test]
fn reports_from_before_intervals_still_read() {
    let mut value = example();
    value.as_object_mut().unwrap().remove("intervals");
    let report: Report = serde_json::from_value(value).expect("an earlier report reads");
    assert!(report.intervals.is_empty());
}

/// A report written before `unreachable_us` was added still reads (as `--compare` reads it),
/// as one whose endpoints were never unreachable.
#[test]
fn reports_from_before_unreachable_us_still_read() {
    let mut value = example();
    value.as_object_mut().unwrap().remove("unreachable_us");
    for endpoint in value["endpoints"].as_array_mut().unwrap() {
        endpoint.as_object_mut().unwrap().remove("unreachable_us");
    }
    let report: Report = serde_json::from_value(value).expect("an earlier report reads");
    assert_eq!(report.unreachable_us, 0);
    assert!(report.endpoints.iter().all(|e| e.unreachable_us == 0));
}

/// The example is a merged report, as `apicli bench merge` writes it: merged again, alone, it is
/// the same report (its parts kept, its figures those of its histograms).
#[test]
fn the_example_merges_into_itself() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/bench-report.example.json"
    );
    let output = common::run(&["bench", "merge", path, "-o", "json"]);
    common::assert_exit(&output, 0);
    let merged: Value = serde_json::from_str(&common::stdout(&output)).unwrap();
    assert_eq!(merged, example());
}

/// A report written before the histograms were added still reads (as `--compare` reads it),
/// without them; merging it is refused (see `tests/bench_merge.rs`).
#[test]
fn reports_from_before_histograms_still_read() {
    let mut value = example();
    let object = value.as_object_mut().unwrap();
    for field in ["unattempted", "started_at", "ended_at", "parts"] {
        object.remove(field);
    }
    for pointer in ["/latency", "/streams/first_message"] {
        let latency = value.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
        latency.remove("p9999_us");
        latency.remove("hdr_histogram");
    }
    let report: Report = serde_json::from_value(value).expect("an earlier report reads");
    assert_eq!(report.latency.hdr_histogram, None);
    assert_eq!((report.latency.p9999_us, report.unattempted), (0, 0));
    assert_eq!((report.started_at, report.parts.len()), (None, 0));
}
