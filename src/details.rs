//! The details a failed call's status carries (`grpc-status-details-bin`, an encoded
//! `google.rpc.Status`), as one line of proto3 JSON each with `"@type"` first, the way proto3
//! JSON writes a `google.protobuf.Any`.
//!
//! The `google.rpc` error types (ErrorInfo, BadRequest, RetryInfo…) always decode; other types
//! decode through the call's descriptors when they know them; any other detail shows its bytes
//! in base64. Details never fail a command: bytes that are not a `google.rpc.Status` show nothing.

use std::sync::LazyLock;

use base64::Engine as _;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, SerializeOptions};
use prost_types::Any;

/// `google/rpc/status.proto` and `error_details.proto`, with the `google/protobuf` files they
/// import, encoded at build time.
const RPC_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/rpc_descriptor_set.bin"));

/// The `google.rpc` error model, decoded on the first status that has details.
static RPC_POOL: LazyLock<Option<DescriptorPool>> =
    LazyLock::new(|| DescriptorPool::decode(RPC_DESCRIPTOR_SET).ok());

/// The `google.rpc` error types, which a stub's status details may name whatever the served
/// descriptors hold.
pub fn rpc_descriptors() -> Option<&'static DescriptorPool> {
    RPC_POOL.as_ref()
}

/// `google.rpc.Status`, as it travels in `grpc-status-details-bin` (and, translated, in a
/// Connect error's details).
#[derive(Clone, PartialEq, prost::Message)]
pub struct RpcStatus {
    #[prost(int32, tag = "1")]
    pub code: i32,
    #[prost(string, tag = "2")]
    pub message: String,
    #[prost(message, repeated, tag = "3")]
    pub details: Vec<Any>,
}

/// The status's details, one compact JSON object each, in the order the server sent them.
/// `pool`: the call's descriptors, for detail types beyond `google.rpc`'s.
pub fn decode(status: &tonic::Status, pool: Option<&DescriptorPool>) -> Vec<String> {
    let bytes = status.details();
    if bytes.is_empty() {
        return Vec::new();
    }
    match RpcStatus::decode(bytes) {
        Ok(rpc_status) => rpc_status
            .details
            .iter()
            .map(|any| detail(any, pool))
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// One detail as proto3 JSON writes an `Any`: `"@type"`, then the message's fields, or its JSON
/// under `"value"` for a well-known type; `"value"` holds the bytes in base64 when the type is
/// unknown or the bytes are not one.
fn detail(any: &Any, pool: Option<&DescriptorPool>) -> String {
    let type_url = json_string(&any.type_url);
    let Some((name, json)) = message_json(any, pool) else {
        let value = base64::engine::general_purpose::STANDARD.encode(&any.value);
        return format!(r#"{{"@type":{type_url},"value":"{value}"}}"#);
    };
    if is_well_known_type(name) {
        return format!(r#"{{"@type":{type_url},"value":{json}}}"#);
    }
    // An ordinary message's JSON is an object: its fields follow "@type".
    match json.strip_prefix('{') {
        Some("}") => format!(r#"{{"@type":{type_url}}}"#),
        Some(fields) => format!(r#"{{"@type":{type_url},{fields}"#),
        None => format!(r#"{{"@type":{type_url},"value":{json}}}"#),
    }
}

/// The detail's type name and its message's proto3 JSON, when the `google.rpc` descriptors or
/// `pool` know the type and the bytes decode as it.
fn message_json<'a>(any: &'a Any, pool: Option<&DescriptorPool>) -> Option<(&'a str, String)> {
    // The type name is what follows the last '/' of the URL.
    let name = any.type_url.rsplit('/').next().unwrap_or(&any.type_url);
    let descriptor = RPC_POOL
        .as_ref()
        .and_then(|rpc| rpc.get_message_by_name(name))
        .or_else(|| pool?.get_message_by_name(name))?;
    let message = DynamicMessage::decode(descriptor, any.value.as_slice()).ok()?;
    let mut json = Vec::new();
    message
        .serialize_with_options(
            &mut serde_json::Serializer::new(&mut json),
            &SerializeOptions::new(),
        )
        .ok()?;
    Some((name, String::from_utf8(json).ok()?))
}

/// The types proto3 JSON writes other than as an object of their fields, and so nests under
/// `"value"` inside an `Any`.
fn is_well_known_type(name: &str) -> bool {
    matches!(
        name,
        "google.protobuf.Any"
            | "google.protobuf.Timestamp"
            | "google.protobuf.Duration"
            | "google.protobuf.Struct"
            | "google.protobuf.FloatValue"
            | "google.protobuf.DoubleValue"
            | "google.protobuf.Int32Value"
            | "google.protobuf.Int64Value"
            | "google.protobuf.UInt32Value"
            | "google.protobuf.UInt64Value"
            | "google.protobuf.BoolValue"
            | "google.protobuf.StringValue"
            | "google.protobuf.BytesValue"
            | "google.protobuf.FieldMask"
            | "google.protobuf.ListValue"
            | "google.protobuf.Value"
            | "google.protobuf.Empty"
    )
}

/// `text` as a JSON string, quotes included.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::Code;

    /// A status whose details are `details`, as a server would send it.
    fn status(details: Vec<Any>) -> tonic::Status {
        let rpc_status = RpcStatus {
            code: Code::FailedPrecondition as i32,
            message: "no".into(),
            details,
        };
        tonic::Status::with_details(
            Code::FailedPrecondition,
            "no",
            rpc_status.encode_to_vec().into(),
        )
    }

    /// A `google.rpc` detail built from its proto3 JSON.
    fn rpc_detail(name: &str, json: &str) -> Any {
        let pool = RPC_POOL.as_ref().unwrap();
        let descriptor = pool
            .get_message_by_name(&format!("google.rpc.{name}"))
            .unwrap();
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let message = DynamicMessage::deserialize(descriptor, &mut deserializer).unwrap();
        Any {
            type_url: format!("type.googleapis.com/google.rpc.{name}"),
            value: message.encode_to_vec(),
        }
    }

    /// `google.protobuf.Duration`, to build RetryInfo's bytes by hand.
    #[derive(Clone, PartialEq, prost::Message)]
    struct Duration {
        #[prost(int64, tag = "1")]
        seconds: i64,
        #[prost(int32, tag = "2")]
        nanos: i32,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    struct RetryInfo {
        #[prost(message, optional, tag = "1")]
        retry_delay: Option<Duration>,
    }

    #[test]
    fn no_details_decode_to_nothing() {
        assert!(decode(&tonic::Status::internal("boom"), None).is_empty());
        assert!(decode(&status(Vec::new()), None).is_empty());
    }

    #[test]
    fn bytes_that_are_no_status_decode_to_nothing() {
        let garbage = tonic::Status::with_details(Code::Internal, "x", vec![0xff; 7].into());
        assert!(decode(&garbage, None).is_empty());
        // Field 3 says 200 bytes follow, and 2 do.
        let cut = tonic::Status::with_details(Code::Internal, "x", vec![0x1a, 200, 1, 2].into());
        assert!(decode(&cut, None).is_empty());
    }

    #[test]
    fn retry_info_built_by_hand() {
        let retry = RetryInfo {
            retry_delay: Some(Duration {
                seconds: 1,
                nanos: 500_000_000,
            }),
        };
        let any = Any {
            type_url: "type.googleapis.com/google.rpc.RetryInfo".into(),
            value: retry.encode_to_vec(),
        };
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.500s"}"#]
        );
    }

    #[test]
    fn every_google_rpc_type_decodes() {
        let cases = [
            (
                "ErrorInfo",
                r#"{"reason":"STOCK_OUT","domain":"shop.example","metadata":{"sku":"42"}}"#,
            ),
            ("RetryInfo", r#"{"retryDelay":"30s"}"#),
            (
                "DebugInfo",
                r#"{"stackEntries":["main.rs:1","lib.rs:2"],"detail":"it broke"}"#,
            ),
            (
                "QuotaFailure",
                r#"{"violations":[{"subject":"project:7","description":"daily limit","quotaValue":"100"}]}"#,
            ),
            (
                "PreconditionFailure",
                r#"{"violations":[{"type":"TOS","subject":"user:1","description":"not accepted"}]}"#,
            ),
            (
                "BadRequest",
                r#"{"fieldViolations":[{"field":"name","description":"empty"}]}"#,
            ),
            (
                "RequestInfo",
                r#"{"requestId":"r-1","servingData":"shard 3"}"#,
            ),
            (
                "ResourceInfo",
                r#"{"resourceType":"book","resourceName":"shelves/1/books/2","owner":"user:1","description":"gone"}"#,
            ),
            (
                "Help",
                r#"{"links":[{"description":"docs","url":"https://example.com/help"}]}"#,
            ),
            ("LocalizedMessage", r#"{"locale":"fr-FR","message":"Non"}"#),
        ];
        let details = cases
            .iter()
            .map(|(name, json)| rpc_detail(name, json))
            .collect();
        let decoded = decode(&status(details), None);
        let expected: Vec<String> = cases
            .iter()
            .map(|(name, json)| {
                format!(
                    r#"{{"@type":"type.googleapis.com/google.rpc.{name}",{}"#,
                    &json[1..]
                )
            })
            .collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn a_detail_with_no_set_fields_is_its_type_alone() {
        let any = rpc_detail("DebugInfo", "{}");
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.googleapis.com/google.rpc.DebugInfo"}"#]
        );
    }

    #[test]
    fn unknown_types_show_their_bytes_in_base64() {
        let any = Any {
            type_url: "type.example.com/shop.OutOfStock".into(),
            value: vec![0x08, 0x2a, 0xff],
        };
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.example.com/shop.OutOfStock","value":"CCr/"}"#]
        );
    }

    #[test]
    fn bytes_that_are_not_the_type_show_in_base64() {
        // Field 1 of RetryInfo says 5 bytes follow, and 1 does.
        let any = Any {
            type_url: "type.googleapis.com/google.rpc.RetryInfo".into(),
            value: vec![0x0a, 0x05, 0x08],
        };
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.googleapis.com/google.rpc.RetryInfo","value":"CgUI"}"#]
        );
    }

    #[test]
    fn other_types_decode_through_the_given_pool() {
        let pool = crate::descriptors::builtin_pool();
        let hello = pool.get_message_by_name("api.Hello").unwrap();
        let mut message = DynamicMessage::new(hello);
        message.set_field_by_name("message", prost_reflect::Value::String("hi \"you\"".into()));
        let any = Any {
            type_url: "type.googleapis.com/api.Hello".into(),
            value: message.encode_to_vec(),
        };
        let known = [r#"{"@type":"type.googleapis.com/api.Hello","message":"hi \"you\""}"#];
        assert_eq!(decode(&status(vec![any.clone()]), Some(&pool)), known);
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.googleapis.com/api.Hello","value":"CghoaSAieW91Ig=="}"#]
        );
    }

    #[test]
    fn well_known_types_nest_under_value() {
        let delay = Duration {
            seconds: 2,
            nanos: 0,
        };
        let any = Any {
            type_url: "type.googleapis.com/google.protobuf.Duration".into(),
            value: delay.encode_to_vec(),
        };
        assert_eq!(
            decode(&status(vec![any]), None),
            [r#"{"@type":"type.googleapis.com/google.protobuf.Duration","value":"2s"}"#]
        );
    }

    #[test]
    fn details_keep_the_servers_order() {
        let details = vec![
            rpc_detail("LocalizedMessage", r#"{"locale":"en","message":"b"}"#),
            Any {
                type_url: "x/y.Z".into(),
                value: Vec::new(),
            },
            rpc_detail("RequestInfo", r#"{"requestId":"a"}"#),
        ];
        assert_eq!(
            decode(&status(details), None),
            [
                r#"{"@type":"type.googleapis.com/google.rpc.LocalizedMessage","locale":"en","message":"b"}"#,
                r#"{"@type":"x/y.Z","value":""}"#,
                r#"{"@type":"type.googleapis.com/google.rpc.RequestInfo","requestId":"a"}"#,
            ]
        );
    }
}
