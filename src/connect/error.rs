//! The Connect error: `{"code": "...", "message": "...", "details": [{"type", "value",
//! "debug"}]}`, the body of a failed unary call and the `error` of an end-stream message; and
//! its translation to and from a gRPC status, whose details travel as an encoded
//! `google.rpc.Status` in `grpc-status-details-bin`.

use base64::{
    Engine as _,
    engine::{
        DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig, general_purpose::STANDARD_NO_PAD,
    },
};
use prost::Message as _;
use serde_json::{Map, Value};
use tonic::{Code, Status};

use super::{WireError, code_from_name, code_name};
use crate::details::RpcStatus;

/// Base64 with or without padding: the spec says to send it unpadded and accept both.
const ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
/// The same, in the URL-safe alphabet, which some peers send.
const URL_SAFE_ANY_PADDING: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
/// The prefix of the `type_url` of a `google.protobuf.Any`.
const TYPE_URL_PREFIX: &str = "type.googleapis.com/";

/// A failed call, as Connect writes it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectError {
    pub code: Code,
    pub message: String,
    pub details: Vec<Detail>,
}

/// One detail: a message's full name and its encoded bytes; `debug`, its JSON, for people only.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    pub type_name: String,
    pub value: Vec<u8>,
    pub debug: Option<Value>,
}

impl ConnectError {
    pub fn new(code: Code, message: impl Into<String>) -> ConnectError {
        ConnectError {
            code,
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The error as JSON, with the details' values in unpadded base64.
    pub fn to_value(&self) -> Value {
        let mut error = Map::new();
        error.insert("code".into(), code_name(self.code).into());
        if !self.message.is_empty() {
            error.insert("message".into(), self.message.clone().into());
        }
        if !self.details.is_empty() {
            let details = self.details.iter().map(|detail| {
                let mut object = Map::new();
                object.insert("type".into(), detail.type_name.clone().into());
                object.insert("value".into(), STANDARD_NO_PAD.encode(&detail.value).into());
                if let Some(debug) = &detail.debug {
                    object.insert("debug".into(), debug.clone());
                }
                Value::Object(object)
            });
            error.insert("details".into(), Value::Array(details.collect()));
        }
        Value::Object(error)
    }

    /// The error as the bytes of a JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        // A Value always serializes.
        serde_json::to_vec(&self.to_value()).unwrap_or_default()
    }

    /// The error in a JSON body.
    pub fn from_json(body: &[u8]) -> Result<ConnectError, WireError> {
        let value: Value = serde_json::from_slice(body).map_err(|err| {
            WireError::new(format!(
                "the error body is not JSON ({err}): {}",
                shown(body)
            ))
        })?;
        ConnectError::from_value(&value)
    }

    /// The error in a JSON value: an object with a known `code`; `message` and `details` may be
    /// left out.
    pub fn from_value(value: &Value) -> Result<ConnectError, WireError> {
        let Some(object) = value.as_object() else {
            return Err(WireError::new(format!(
                "the error {value} is not an object"
            )));
        };
        let code = match object.get("code") {
            Some(Value::String(name)) => code_from_name(name).ok_or_else(|| {
                WireError::new(format!("the error's code {name:?} is not a Connect code"))
            })?,
            _ => return Err(WireError::new(format!("the error {value} has no code"))),
        };
        let message = match object.get("message") {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(message)) => message.clone(),
            Some(other) => {
                return Err(WireError::new(format!(
                    "the error's message {other} is not a string"
                )));
            }
        };
        let details = match object.get("details") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(details)) => details.iter().map(detail).collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(WireError::new(format!(
                    "the error's details {other} are not an array"
                )));
            }
        };
        Ok(ConnectError {
            code,
            message,
            details,
        })
    }

    /// The error of a gRPC status, its details read from the `google.rpc.Status` it carries
    /// (details that do not decode are left out).
    pub fn from_status(status: &Status) -> ConnectError {
        let details = match RpcStatus::decode(status.details()) {
            Ok(rpc) if !status.details().is_empty() => rpc
                .details
                .into_iter()
                .map(|any| Detail {
                    type_name: match any.type_url.rsplit_once('/') {
                        Some((_, name)) => name.to_owned(),
                        None => any.type_url,
                    },
                    value: any.value,
                    debug: None,
                })
                .collect(),
            _ => Vec::new(),
        };
        ConnectError {
            code: status.code(),
            message: status.message().to_owned(),
            details,
        }
    }

    /// The gRPC status of this error, with its details in a `google.rpc.Status`.
    pub fn to_status(&self) -> Status {
        if self.details.is_empty() {
            return Status::new(self.code, self.message.clone());
        }
        let rpc = RpcStatus {
            code: self.code as i32,
            message: self.message.clone(),
            details: (self.details.iter())
                .map(|detail| prost_types::Any {
                    type_url: format!("{TYPE_URL_PREFIX}{}", detail.type_name),
                    value: detail.value.clone(),
                })
                .collect(),
        };
        Status::with_details(self.code, self.message.clone(), rpc.encode_to_vec().into())
    }
}

/// One detail of an error's JSON.
fn detail(value: &Value) -> Result<Detail, WireError> {
    let field = |name: &str| match value.get(name) {
        Some(Value::String(text)) => Ok(text.as_str()),
        _ => Err(WireError::new(format!(
            "the error detail {value} has no string {name:?}"
        ))),
    };
    let type_name = field("type")?.to_owned();
    let encoded = field("value")?;
    let bytes = decode_base64(encoded).map_err(|err| {
        WireError::new(format!(
            "the value of the error detail {type_name} is not base64: {err}"
        ))
    })?;
    Ok(Detail {
        type_name,
        value: bytes,
        debug: value.get("debug").cloned(),
    })
}

/// Base64 in either alphabet, padded or not.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    ANY_PADDING
        .decode(text)
        .or_else(|err| URL_SAFE_ANY_PADDING.decode(text).map_err(|_| err))
}

/// The start of a body, for an error's words.
pub(super) fn shown(body: &[u8]) -> String {
    const MOST: usize = 80;
    let text = String::from_utf8_lossy(&body[..body.len().min(MOST)]);
    let more = if body.len() > MOST { "…" } else { "" };
    format!("{:?}{more}", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's example of an error with details.
    const RETRY: &str = r#"{
      "code": "unavailable",
      "message": "overloaded: back off and retry",
      "details": [
        {
          "type": "google.rpc.RetryInfo",
          "value": "CgIIPA",
          "debug": {"retryDelay": "30s"}
        }
      ]
    }"#;

    #[test]
    fn the_specs_error_with_details() {
        let error = ConnectError::from_json(RETRY.as_bytes()).unwrap();
        assert_eq!(error.code, Code::Unavailable);
        assert_eq!(error.message, "overloaded: back off and retry");
        assert_eq!(error.details.len(), 1);
        let detail = &error.details[0];
        assert_eq!(detail.type_name, "google.rpc.RetryInfo");
        // RetryInfo { retry_delay: Duration { seconds: 60 } }
        assert_eq!(detail.value, [0x0a, 0x02, 0x08, 0x3c]);
        assert_eq!(detail.debug.as_ref().unwrap()["retryDelay"], "30s");

        let back = error.to_value();
        assert_eq!(back["details"][0]["value"], "CgIIPA");
        assert_eq!(ConnectError::from_value(&back).unwrap(), error);
    }

    #[test]
    fn the_simplest_error_is_a_code() {
        let error = ConnectError::from_json(br#"{"code": "unavailable"}"#).unwrap();
        assert_eq!(error, ConnectError::new(Code::Unavailable, ""));
        assert_eq!(error.to_json(), br#"{"code":"unavailable"}"#);
    }

    #[test]
    fn padded_and_url_safe_values_are_accepted() {
        for value in ["CgIIPA==", "CgIIPA", "-_8", "+/8="] {
            let json =
                format!(r#"{{"code":"internal","details":[{{"type":"t","value":"{value}"}}]}}"#);
            assert!(ConnectError::from_json(json.as_bytes()).is_ok(), "{value}");
        }
    }

    #[test]
    fn malformed_errors_say_what_is_wrong() {
        for (body, words) in [
            (&b"<html>oops</html>"[..], "is not JSON"),
            (b"{}", "has no code"),
            (br#"{"code": null}"#, "has no code"),
            (br#"{"code": "ok"}"#, "not a Connect code"),
            (br#"{"code": "nope"}"#, "not a Connect code"),
            (b"[1]", "not an object"),
            (br#"{"code":"internal","message":3}"#, "not a string"),
            (br#"{"code":"internal","details":{}}"#, "not an array"),
            (
                br#"{"code":"internal","details":[{"type":"t"}]}"#,
                "no string \"value\"",
            ),
            (
                br#"{"code":"internal","details":[{"type":"t","value":"!!"}]}"#,
                "is not base64",
            ),
        ] {
            let err = ConnectError::from_json(body).unwrap_err();
            assert!(err.0.contains(words), "{err}");
        }
    }

    #[test]
    fn statuses_and_errors_translate_both_ways() {
        let error = ConnectError::from_json(RETRY.as_bytes()).unwrap();
        let status = error.to_status();
        assert_eq!(status.code(), Code::Unavailable);
        assert_eq!(status.message(), "overloaded: back off and retry");
        let rpc = RpcStatus::decode(status.details()).unwrap();
        assert_eq!(
            rpc.details[0].type_url,
            "type.googleapis.com/google.rpc.RetryInfo"
        );
        let back = ConnectError::from_status(&status);
        assert_eq!(back.details[0].value, error.details[0].value);
        assert_eq!(back.details[0].type_name, "google.rpc.RetryInfo");

        let plain = ConnectError::from_status(&Status::not_found("no such thing"));
        assert_eq!(plain, ConnectError::new(Code::NotFound, "no such thing"));
        assert!(plain.to_status().details().is_empty());
    }
}
