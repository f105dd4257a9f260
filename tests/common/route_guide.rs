//! One check of every RPC kind of routeguide.RouteGuide, for any server that answers it as gRPC's
//! examples do (the features of route_guide_db.json) and any descriptor source.

use serde_json::{Value, json};

use super::{apicli, assert_exit, json_lines, output_of, run_with_input, stdout};

/// Calls each RouteGuide method at `addr` with the flags of `source`, and checks the answers.
pub fn check_every_kind(addr: &str, source_args: &[String], label: &str) {
    let call = |method: &str, extra: &[&str], input: Option<&str>| {
        let mut cmd = apicli();
        cmd.args(["call", method, "--addr", addr, "-o", "json"])
            .args(source_args)
            .args(extra);
        match input {
            Some(input) => run_with_input(cmd.args(["-d", "@-"]), input),
            None => output_of(&mut cmd),
        }
    };

    let unary = call(
        "routeguide.RouteGuide/GetFeature",
        &["-d", r#"{"latitude":407838351,"longitude":-746143763}"#],
        None,
    );
    assert_exit(&unary, 0);
    let feature = &json_lines(&stdout(&unary))[0];
    assert_eq!(
        feature["name"], "Patriots Path, Mendham, NJ 07945, USA",
        "{label}: GetFeature"
    );

    let listed = call(
        "routeguide.RouteGuide/ListFeatures",
        &[
            "-d",
            r#"{"lo":{"latitude":400000000,"longitude":-750000000},"hi":{"latitude":420000000,"longitude":-730000000}}"#,
        ],
        None,
    );
    assert_exit(&listed, 0);
    let features = json_lines(&stdout(&listed));
    assert!(!features.is_empty(), "{label}: ListFeatures found nothing");
    assert!(
        features
            .iter()
            .all(|f| f["location"]["latitude"].as_i64().unwrap() >= 400000000),
        "{label}: {features:?}"
    );

    let points = "{\"latitude\":407838351,\"longitude\":-746143763}\n\
                  {\"latitude\":408122808,\"longitude\":-743999179}\n";
    let recorded = call("routeguide.RouteGuide/RecordRoute", &[], Some(points));
    assert_exit(&recorded, 0);
    let summary = &json_lines(&stdout(&recorded))[0];
    assert_eq!(summary["pointCount"], 2, "{label}: RecordRoute {summary}");
    assert_eq!(summary["featureCount"], 2, "{label}: RecordRoute {summary}");
    assert!(
        summary["distance"].as_i64().unwrap() > 0,
        "{label}: {summary}"
    );

    let notes = "{\"location\":{\"latitude\":1,\"longitude\":1},\"message\":\"first\"}\n\
                 {\"location\":{\"latitude\":2,\"longitude\":2},\"message\":\"second\"}\n\
                 {\"location\":{\"latitude\":1,\"longitude\":1},\"message\":\"third\"}\n";
    let chat = call("routeguide.RouteGuide/RouteChat", &[], Some(notes));
    assert_exit(&chat, 0);
    let echoed: Vec<Value> = json_lines(&stdout(&chat))
        .into_iter()
        .map(|note| note["message"].clone())
        .collect();
    assert_eq!(echoed, [json!("first")], "{label}: RouteChat");

    let nothing = call("routeguide.RouteGuide/RecordRoute", &[], None);
    assert_exit(&nothing, 0);
    assert_eq!(
        stdout(&nothing),
        "{}\n",
        "{label}: no points, an empty summary"
    );
}
