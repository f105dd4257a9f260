//! JSON in and out of the admin service: `google.protobuf.Struct` and `Value` are JSON objects
//! and values as protobuf messages, and the matchers and the journal speak `serde_json`.

use prost_types::{ListValue, Struct, Value, value::Kind};

/// A `Struct` as the JSON object it stands for.
pub fn from_struct(fields: &Struct) -> serde_json::Value {
    serde_json::Value::Object(
        fields
            .fields
            .iter()
            .map(|(name, value)| (name.clone(), from_value(value)))
            .collect(),
    )
}

/// A `Value` as JSON. Numbers travel as doubles: one with no fraction becomes an integer again,
/// so that `1` matches an int32 field holding 1.
pub fn from_value(value: &Value) -> serde_json::Value {
    match &value.kind {
        None | Some(Kind::NullValue(_)) => serde_json::Value::Null,
        Some(Kind::BoolValue(b)) => serde_json::Value::Bool(*b),
        Some(Kind::NumberValue(n)) => number(*n),
        Some(Kind::StringValue(s)) => serde_json::Value::String(s.clone()),
        Some(Kind::StructValue(fields)) => from_struct(fields),
        Some(Kind::ListValue(list)) => {
            serde_json::Value::Array(list.values.iter().map(from_value).collect())
        }
    }
}

fn number(n: f64) -> serde_json::Value {
    // Within ±2^53 a double holds every integer exactly.
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.fract() == 0.0 && n.abs() <= EXACT {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// JSON as a `Value`. Numbers become doubles, which is what a `Value` holds; proto3 JSON writes
/// the 64-bit integers that a double cannot hold as strings, so they stay exact.
pub fn to_value(json: serde_json::Value) -> Value {
    let kind = match json {
        serde_json::Value::Null => Kind::NullValue(0),
        serde_json::Value::Bool(b) => Kind::BoolValue(b),
        serde_json::Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Kind::StringValue(s),
        serde_json::Value::Array(values) => Kind::ListValue(ListValue {
            values: values.into_iter().map(to_value).collect(),
        }),
        serde_json::Value::Object(fields) => Kind::StructValue(Struct {
            fields: fields
                .into_iter()
                .map(|(name, value)| (name, to_value(value)))
                .collect(),
        }),
    };
    Value { kind: Some(kind) }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn json_goes_through_a_value_and_back() {
        let json = json!({
            "name": "Go",
            "n": 1,
            "ratio": 0.5,
            "negative": -3,
            "on": true,
            "none": null,
            "points": [{"x": 1}, "two", [3]],
        });
        let value = to_value(json.clone());
        assert_eq!(from_value(&value), json);
        let Some(Kind::StructValue(fields)) = value.kind else {
            panic!("an object is a Struct");
        };
        assert_eq!(from_struct(&fields), json);
    }
}
