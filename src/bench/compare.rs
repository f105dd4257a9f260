//! `--compare REPORT.json`: the report of an earlier run, as `-o json` wrote it, to print each
//! figure beside.

use std::path::Path;

use serde::Deserialize as _;

use super::report::Report;
use crate::settings::{bound, read_path};

/// What `--compare` takes.
pub(super) const EXPECTED: &str = "expected a report from 'apicli bench -o json'";

/// Reads an earlier `-o json` report. The error says why in one phrase, for the caller to put
/// after the flag and file: it cannot be read, it is not JSON, or it is not a report (and which
/// field is wrong).
pub fn load(path: &Path) -> Result<Report, String> {
    let bytes = read_path(path, bound::REPORT)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".to_owned());
    }
    let mut json = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_json::Value::deserialize(&mut json).map_err(|err| {
        // Where a file that is JSON at first breaks off helps; "line 1 column 1" does not.
        if err.line() == 1 && err.column() <= 1 {
            format!("not JSON ({EXPECTED})")
        } else {
            format!("not JSON ({EXPECTED}): {err}")
        }
    })?;
    // One report only: `-o json` writes one object and a newline.
    json.end()
        .map_err(|err| format!("more than one JSON value ({EXPECTED}): {err}"))?;
    report_of(value)
}

/// The report a JSON value holds; the error says why it is none, and which field is wrong.
pub(super) fn report_of(value: serde_json::Value) -> Result<Report, String> {
    let not_a_report = |why: String| format!("not an apicli bench report: {why}");
    if !value.is_object() {
        return Err(not_a_report(format!(
            "{} instead of an object",
            json_type(&value)
        )));
    }
    serde_path_to_error::deserialize(value).map_err(|err| {
        let field = err.path().to_string();
        if field.is_empty() || field == "." || field == "?" {
            not_a_report(err.into_inner().to_string())
        } else {
            not_a_report(format!("field {field}: {}", err.into_inner()))
        }
    })
}

/// "an array", "a string"…, for messages.
fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::bench::print::write_json;
    use crate::bench::report::example as report;

    fn file(content: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(content).unwrap();
        file
    }

    /// Why `content` is refused: one phrase, without the file's name (the caller adds it).
    fn error(content: &[u8]) -> String {
        let file = file(content);
        let err = load(file.path()).unwrap_err();
        assert!(!err.contains('\n'), "{err}");
        assert!(!err.contains("--compare"), "{err}");
        err
    }

    #[test]
    fn reads_what_write_json_wrote() {
        let mut json = Vec::new();
        write_json(&mut json, &report()).unwrap();
        let file = file(&json);
        assert_eq!(load(file.path()), Ok(report()));
    }

    #[test]
    fn reads_a_report_written_by_hand() {
        let mut value = serde_json::to_value(report()).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(load(file(pretty.as_bytes()).path()), Ok(report()));
        // Options may be left out; fields unknown to this version are let be.
        let object = value.as_object_mut().unwrap();
        object.remove("open_loop");
        object.remove("streams");
        object.insert("added_later".into(), serde_json::json!(1));
        let json = serde_json::to_vec(&value).unwrap();
        assert_eq!(load(file(&json).path()), Ok(report()));
    }

    #[test]
    fn a_file_that_cannot_be_read_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.json");
        assert_eq!(load(&path).unwrap_err(), "no such file or directory");
        assert_eq!(load(dir.path()).unwrap_err(), "is a directory");
    }

    #[test]
    fn not_json() {
        assert_eq!(error(b""), "the file is empty");
        assert_eq!(error(b" \n"), "the file is empty");
        let expected = "expected a report from 'apicli bench -o json'";
        assert_eq!(error(b"count: 1000\n"), format!("not JSON ({expected})"));
        assert_eq!(
            error(br#"{"method": "api.Api/sayHello""#),
            format!("not JSON ({expected}): EOF while parsing an object at line 1 column 29")
        );
        assert_eq!(
            error(b"{} x"),
            format!(
                "more than one JSON value ({expected}): trailing characters at line 1 column 4"
            )
        );
        assert_eq!(error(b"\xff\xfe{}"), format!("not JSON ({expected})"));
    }

    #[test]
    fn not_a_report_names_the_field() {
        let with = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut value = serde_json::to_value(report()).unwrap();
            edit(&mut value);
            error(&serde_json::to_vec(&value).unwrap())
        };
        let not = "not an apicli bench report:";
        assert_eq!(
            with(&|v| v["latency"]["p99_us"] = "7ms".into()),
            format!("{not} field latency.p99_us: invalid type: string \"7ms\", expected u64")
        );
        assert_eq!(
            with(&|v| v["histogram"][0]["count"] = (-1).into()),
            format!("{not} field histogram[0].count: invalid value: integer `-1`, expected u64")
        );
        assert_eq!(
            with(&|v| v["statuses"]["OK"] = 1.5.into()),
            format!("{not} field statuses.OK: invalid type: floating point `1.5`, expected u64")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("latency");
            }),
            format!("{not} missing field `latency`")
        );
        assert_eq!(
            with(&|v| {
                v["shape"].as_object_mut().unwrap().remove("threads");
            }),
            format!("{not} field shape: missing field `threads`")
        );
        assert_eq!(
            error(b"[1, 2]\n"),
            format!("{not} an array instead of an object")
        );
        assert_eq!(
            error(br#"{"message": "Hello Gonzalo!"}"#),
            format!("{not} missing field `method`")
        );
    }

    #[test]
    fn one_report_only() {
        let mut json = Vec::new();
        write_json(&mut json, &report()).unwrap();
        write_json(&mut json, &report()).unwrap();
        assert_eq!(
            error(&json),
            "more than one JSON value (expected a report from 'apicli bench -o json'): trailing \
             characters at line 2 column 1"
        );
    }
}
