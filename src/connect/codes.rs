//! Connect's error codes: their names on the wire (`invalid_argument`…), the HTTP status each
//! code is sent with, and the code a client infers from an HTTP status that came without one
//! (the spec's tables "Error Codes" and "HTTP to Error Code").

use http::StatusCode;
use tonic::Code;

/// The name of `code` as Connect spells it. `Ok` has no Connect name: a call that succeeded
/// carries no error; it is written `ok` only so that the function is total.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "ok",
        Code::Cancelled => "canceled",
        Code::Unknown => "unknown",
        Code::InvalidArgument => "invalid_argument",
        Code::DeadlineExceeded => "deadline_exceeded",
        Code::NotFound => "not_found",
        Code::AlreadyExists => "already_exists",
        Code::PermissionDenied => "permission_denied",
        Code::ResourceExhausted => "resource_exhausted",
        Code::FailedPrecondition => "failed_precondition",
        Code::Aborted => "aborted",
        Code::OutOfRange => "out_of_range",
        Code::Unimplemented => "unimplemented",
        Code::Internal => "internal",
        Code::Unavailable => "unavailable",
        Code::DataLoss => "data_loss",
        Code::Unauthenticated => "unauthenticated",
    }
}

/// The code a Connect name stands for; `None` for a name the spec does not list (`ok` included:
/// an error cannot be a success).
pub fn code_from_name(name: &str) -> Option<Code> {
    Some(match name {
        "canceled" => Code::Cancelled,
        "unknown" => Code::Unknown,
        "invalid_argument" => Code::InvalidArgument,
        "deadline_exceeded" => Code::DeadlineExceeded,
        "not_found" => Code::NotFound,
        "already_exists" => Code::AlreadyExists,
        "permission_denied" => Code::PermissionDenied,
        "resource_exhausted" => Code::ResourceExhausted,
        "failed_precondition" => Code::FailedPrecondition,
        "aborted" => Code::Aborted,
        "out_of_range" => Code::OutOfRange,
        "unimplemented" => Code::Unimplemented,
        "internal" => Code::Internal,
        "unavailable" => Code::Unavailable,
        "data_loss" => Code::DataLoss,
        "unauthenticated" => Code::Unauthenticated,
        _ => return None,
    })
}

/// The HTTP status a unary error with `code` is sent with.
pub fn http_status(code: Code) -> StatusCode {
    let status = match code {
        Code::Ok => 200,
        Code::Cancelled => 499,
        Code::Unknown | Code::Internal | Code::DataLoss => 500,
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => 400,
        Code::DeadlineExceeded => 504,
        Code::NotFound => 404,
        Code::AlreadyExists | Code::Aborted => 409,
        Code::PermissionDenied => 403,
        Code::ResourceExhausted => 429,
        Code::Unimplemented => 501,
        Code::Unavailable => 503,
        Code::Unauthenticated => 401,
    };
    // Every number above is a valid status.
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The code a client infers from an HTTP status that came without a Connect error.
pub fn code_from_http(status: StatusCode) -> Code {
    match status.as_u16() {
        400 => Code::Internal,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::Unimplemented,
        429 | 502 | 503 | 504 => Code::Unavailable,
        _ => Code::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The spec's table "Error Codes", row by row.
    const TABLE: &[(&str, u16)] = &[
        ("canceled", 499),
        ("unknown", 500),
        ("invalid_argument", 400),
        ("deadline_exceeded", 504),
        ("not_found", 404),
        ("already_exists", 409),
        ("permission_denied", 403),
        ("resource_exhausted", 429),
        ("failed_precondition", 400),
        ("aborted", 409),
        ("out_of_range", 400),
        ("unimplemented", 501),
        ("internal", 500),
        ("unavailable", 503),
        ("data_loss", 500),
        ("unauthenticated", 401),
    ];

    #[test]
    fn every_code_has_the_specs_name_and_status() {
        for &(name, status) in TABLE {
            let code = code_from_name(name).unwrap();
            assert_eq!(code_name(code), name);
            assert_eq!(http_status(code).as_u16(), status, "{name}");
        }
        for number in 1..=16 {
            let code = Code::from_i32(number);
            assert!(TABLE.iter().any(|&(name, _)| name == code_name(code)));
        }
    }

    #[test]
    fn names_outside_the_table_are_no_code() {
        for name in ["ok", "", "CANCELED", "cancelled", "Unavailable", "14"] {
            assert_eq!(code_from_name(name), None, "{name}");
        }
    }

    /// The spec's table "HTTP to Error Code".
    #[test]
    fn http_statuses_infer_the_specs_codes() {
        for (status, code) in [
            (400, Code::Internal),
            (401, Code::Unauthenticated),
            (403, Code::PermissionDenied),
            (404, Code::Unimplemented),
            (429, Code::Unavailable),
            (502, Code::Unavailable),
            (503, Code::Unavailable),
            (504, Code::Unavailable),
            (408, Code::Unknown),
            (415, Code::Unknown),
            (500, Code::Unknown),
            (302, Code::Unknown),
        ] {
            assert_eq!(
                code_from_http(StatusCode::from_u16(status).unwrap()),
                code,
                "{status}"
            );
        }
    }
}
