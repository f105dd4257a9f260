//! `--error-format json`: the error a run ended with, as one JSON object on one line, for
//! scripts. A status the call ended with:
//!
//! ```json
//! {"code":{"name":"NOT_FOUND","number":5},"message":"…","details":[{"@type":"…",…}],
//!  "trailers":{"name":"value"},"sent":{"messages":2},"received":{"messages":1}}
//! ```
//!
//! `sent` only for calls that stream requests; anything else: `{"error":"…","exit":N}`.

use super::{StatusError, Unmet, code_name};

/// The error as one line of JSON; `exit` is the code the process ends with.
pub fn error_json(err: &anyhow::Error, exit: u8) -> String {
    match err
        .chain()
        .find_map(|cause| cause.downcast_ref::<StatusError>())
    {
        Some(status) => status_json(status),
        None => {
            let message = match err.downcast_ref::<Unmet>() {
                Some(unmet) => unmet.0.join("; "),
                None => format!("{err:#}"),
            };
            format!(
                r#"{{"error":{},"exit":{exit}}}"#,
                string(&super::one_line(message))
            )
        }
    }
}

fn status_json(status: &StatusError) -> String {
    let details: Vec<String> = (status.details.iter())
        .map(
            |detail| match serde_json::from_str::<serde_json::Value>(detail) {
                // Already compact JSON, "@type" first: kept as written.
                Ok(serde_json::Value::Object(_)) => detail.clone(),
                _ => format!(r#"{{"value":{}}}"#, string(detail)),
            },
        )
        .collect();
    // A name repeated is one member, its values joined as HTTP joins them.
    let mut trailers: Vec<(&str, String)> = Vec::new();
    for (name, value) in &status.trailers {
        match trailers.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, values)) => {
                values.push_str(", ");
                values.push_str(value);
            }
            None => trailers.push((name, value.clone())),
        }
    }
    let trailers: Vec<String> = (trailers.iter())
        .map(|(name, value)| format!("{}:{}", string(name), string(value)))
        .collect();
    let sent = match status.tally.sent {
        Some(sent) => format!(r#","sent":{{"messages":{sent}}}"#),
        None => String::new(),
    };
    format!(
        r#"{{"code":{{"name":"{}","number":{}}},"message":{},"details":[{}],"trailers":{{{}}}{sent},"received":{{"messages":{}}}}}"#,
        code_name(status.code),
        status.code as i32,
        string(&status.message),
        details.join(","),
        trailers.join(","),
        status.tally.received.unwrap_or(0),
    )
}

/// A JSON string, escaped.
fn string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tonic::Code;

    use super::*;
    use crate::exit::{Tally, UsageError};

    fn parsed(line: &str) -> Value {
        assert!(!line.contains('\n'), "{line}");
        serde_json::from_str(line).unwrap()
    }

    #[test]
    fn a_status_with_its_details_trailers_and_counts() {
        let mut status = StatusError::new(Code::NotFound, "no \"such\"\nthing".into());
        status.details =
            vec![r#"{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"R"}"#.into()];
        status.trailers = vec![
            ("x-a".into(), "1".into()),
            ("x-b".into(), "2".into()),
            ("x-a".into(), "3".into()),
        ];
        status.tally = Tally::both_ways(2, 1);
        let line = error_json(&anyhow::Error::new(status), 69);
        assert_eq!(
            parsed(&line),
            json!({
                "code": {"name": "NOT_FOUND", "number": 5},
                "message": "no \"such\"\nthing",
                "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "R"}],
                "trailers": {"x-a": "1, 3", "x-b": "2"},
                "sent": {"messages": 2},
                "received": {"messages": 1},
            })
        );
        assert!(line.starts_with(r#"{"code":{"name":"NOT_FOUND","number":5},"message":"#));
    }

    #[test]
    fn a_status_with_nothing_more() {
        let line = error_json(
            &anyhow::Error::new(StatusError::new(Code::Unavailable, "down".into())),
            78,
        );
        assert_eq!(
            parsed(&line),
            json!({
                "code": {"name": "UNAVAILABLE", "number": 14},
                "message": "down",
                "details": [],
                "trailers": {},
                "received": {"messages": 0},
            })
        );
    }

    #[test]
    fn other_errors_are_their_line_and_the_exit_code() {
        let err = anyhow::Error::new(UsageError("bad header 'x'".into()));
        assert_eq!(
            parsed(&error_json(&err, 2)),
            json!({"error": "bad header 'x'", "exit": 2})
        );
        let unmet = anyhow::Error::new(Unmet(vec!["a".into(), "b".into()]));
        assert_eq!(
            parsed(&error_json(&unmet, 3)),
            json!({"error": "a; b", "exit": 3})
        );
    }
}
