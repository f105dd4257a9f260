//! The end-stream message, the last envelope of a Connect response stream:
//! `{"error": {...}, "metadata": {"key": ["value", ...]}}`. It carries what gRPC carries in
//! trailers: the outcome and the trailing metadata.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::{ConnectError, WireError, error::shown};

/// How a response stream ended.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndStream {
    /// The error of a failed call; `None` when it succeeded.
    pub error: Option<ConnectError>,
    /// The trailing metadata.
    pub metadata: HeaderMap,
}

impl EndStream {
    /// The message's JSON: `{}` for a success without trailers.
    pub fn to_json(&self) -> Vec<u8> {
        let mut object = Map::new();
        if let Some(error) = &self.error {
            object.insert("error".into(), error.to_value());
        }
        if !self.metadata.is_empty() {
            let mut metadata = Map::new();
            for name in self.metadata.keys() {
                let values = (self.metadata.get_all(name).iter())
                    .map(|value| Value::String(String::from_utf8_lossy(value.as_bytes()).into()))
                    .collect();
                metadata.insert(name.as_str().to_owned(), Value::Array(values));
            }
            object.insert("metadata".into(), Value::Object(metadata));
        }
        // A Value always serializes.
        serde_json::to_vec(&Value::Object(object)).unwrap_or_default()
    }

    /// The end-stream message in `body`.
    pub fn from_json(body: &[u8]) -> Result<EndStream, WireError> {
        let value: Value = serde_json::from_slice(body).map_err(|err| {
            WireError::new(format!(
                "the end-stream message is not JSON ({err}): {}",
                shown(body)
            ))
        })?;
        let Value::Object(object) = value else {
            return Err(WireError::new(format!(
                "the end-stream message {value} is not an object"
            )));
        };
        let error = match object.get("error") {
            None => None,
            Some(error) => Some(ConnectError::from_value(error)?),
        };
        let mut metadata = HeaderMap::new();
        match object.get("metadata") {
            None | Some(Value::Null) => {}
            Some(Value::Object(entries)) => {
                for (key, values) in entries {
                    let name = HeaderName::from_bytes(key.as_bytes()).map_err(|_| {
                        WireError::new(format!("the trailer name {key:?} is not a header name"))
                    })?;
                    let Value::Array(values) = values else {
                        return Err(WireError::new(format!(
                            "the trailer {key:?} is not an array of strings"
                        )));
                    };
                    for value in values {
                        let value = value
                            .as_str()
                            .and_then(|v| HeaderValue::from_str(v).ok())
                            .ok_or_else(|| {
                                WireError::new(format!(
                                    "the trailer {key:?} has a value that cannot be a header: \
                                     {value}"
                                ))
                            })?;
                        metadata.append(name.clone(), value);
                    }
                }
            }
            Some(other) => {
                return Err(WireError::new(format!(
                    "the end-stream metadata {other} is not an object"
                )));
            }
        }
        Ok(EndStream { error, metadata })
    }
}

#[cfg(test)]
mod tests {
    use tonic::Code;

    use super::*;

    #[test]
    fn the_specs_examples() {
        let end = EndStream::from_json(
            br#"{"error": {"code": "unavailable"}, "metadata": {"acme-operation-cost": ["237"]}}"#,
        )
        .unwrap();
        assert_eq!(end.error.as_ref().unwrap().code, Code::Unavailable);
        assert_eq!(end.metadata["acme-operation-cost"], "237");

        let success = EndStream::from_json(b"{}").unwrap();
        assert_eq!(success, EndStream::default());
        assert_eq!(success.to_json(), b"{}");

        let failed =
            EndStream::from_json(br#"{"error": {"code": "unavailable", "message": "overloaded"}}"#)
                .unwrap();
        assert_eq!(failed.error.unwrap().message, "overloaded");
    }

    #[test]
    fn metadata_keeps_every_value() {
        let mut metadata = HeaderMap::new();
        metadata.append("x-many", "one".parse().unwrap());
        metadata.append("x-many", "two".parse().unwrap());
        metadata.insert("x-bin", "AAEC".parse().unwrap());
        let end = EndStream {
            error: Some(ConnectError::new(Code::Aborted, "stop")),
            metadata,
        };
        let json = end.to_json();
        assert_eq!(EndStream::from_json(&json).unwrap(), end);
        let value: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            value["metadata"]["x-many"],
            serde_json::json!(["one", "two"])
        );
    }

    #[test]
    fn malformed_end_streams_say_what_is_wrong() {
        for (body, words) in [
            (&b"not json"[..], "is not JSON"),
            (b"", "is not JSON"),
            (b"[]", "not an object"),
            (br#"{"error": null}"#, "not an object"),
            (br#"{"error": {}}"#, "has no code"),
            (br#"{"error": {"code": null}}"#, "has no code"),
            (br#"{"metadata": {"a": "b"}}"#, "not an array"),
            (br#"{"metadata": {"a b": ["c"]}}"#, "not a header name"),
            (br#"{"metadata": {"a": [1]}}"#, "cannot be a header"),
            (br#"{"metadata": []}"#, "not an object"),
        ] {
            let err = EndStream::from_json(body).unwrap_err();
            assert!(err.0.contains(words), "{err}");
        }
    }
}
