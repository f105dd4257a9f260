//! The name of a method as `call` and `bench` take it: `SERVICE/METHOD` (or `SERVICE.METHOD`,
//! as grpcurl writes it), checked before anything connects.

use crate::exit::{UsageError, one_line};

/// The service and method of `name`, or the usage error that says how to write one.
pub fn split_method(name: &str) -> Result<(&str, &str), UsageError> {
    let trimmed = name.trim_start_matches('/');
    let split = trimmed.rfind('/').or_else(|| trimmed.rfind('.'));
    match split.filter(|&at| at > 0 && at + 1 < trimmed.len()) {
        Some(at) => Ok((&trimmed[..at], &trimmed[at + 1..])),
        None => Err(UsageError(one_line(format!(
            "'{name}' is not a method name; write SERVICE/METHOD, e.g. api.Api/sayHello"
        )))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_service_slash_method_or_dotted() {
        assert_eq!(
            split_method("api.Api/sayHello").unwrap(),
            ("api.Api", "sayHello")
        );
        assert_eq!(
            split_method("/api.Api/sayHello").unwrap(),
            ("api.Api", "sayHello")
        );
        assert_eq!(
            split_method("api.Api.sayHello").unwrap(),
            ("api.Api", "sayHello")
        );
        for bad in ["api", "api.Api/", "/sayHello", ""] {
            assert!(split_method(bad).is_err(), "{bad}");
        }
    }
}
