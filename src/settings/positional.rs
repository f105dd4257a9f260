//! The address as a command's first argument, as grpcurl and buf curl take it:
//! `call HOST:PORT METHOD`, `call http://HOST:PORT/SERVICE/METHOD` (one URL),
//! `list HOST:PORT [SERVICE]`, `describe HOST:PORT SYMBOL`, `bench HOST:PORT METHOD`.
//!
//! Addresses and names cannot be confused: a service, method or symbol never holds `:` or `//`,
//! and a word that does (`host:port`, `[::1]:port`, `http://…`, `unix:/path`) is an address.

use super::{parse_target, split_method};
use crate::{
    cli::{BenchArgs, CallArgs, Command, DescribeArgs, GlobalArgs, ListArgs},
    exit::{UsageError, one_line},
};

/// Whether `word` is written as an address rather than a name.
pub fn is_address(word: &str) -> bool {
    word.contains(':') || word.contains("//")
}

/// Sorts out the words of `call`, `bench`, `list` and `describe`: an address among them goes to
/// `global.addr`, the name stays where the command reads it. The address replaces one from
/// `APICLI_ADDR` (a default, as a profile's is, which is filled in later only when none is
/// given), and cannot join an `--addr` of the command line.
pub(super) fn take_address(
    command: &mut Command,
    global: &mut GlobalArgs,
) -> Result<(), UsageError> {
    let address = match command {
        Command::Call(CallArgs {
            address, method, ..
        }) => address_and_method("call", address.take(), method)?,
        Command::Bench(BenchArgs {
            address,
            method: Some(method),
            tool: None,
            ..
        }) => address_and_method("bench", address.take(), method)?,
        Command::List(ListArgs {
            address, service, ..
        }) => address_and_name("list", "SERVICE", address.take(), service)?,
        Command::Describe(DescribeArgs {
            address, symbol, ..
        }) => address_and_name("describe", "SYMBOL", address.take(), symbol)?,
        _ => None,
    };
    let Some(address) = address else {
        return Ok(());
    };
    if !global.addr.is_empty() && !global.addr_from_env {
        let given = global.addr.join("', --addr '");
        return Err(UsageError(one_line(format!(
            "the address is given twice, as '{address}' and as --addr '{given}'; give one"
        ))));
    }
    parse_target(&address)?;
    global.addr = vec![address];
    global.addr_from_env = false;
    Ok(())
}

/// `[ADDR] METHOD`, or one URL `http(s)://host:port/SERVICE/METHOD`: the address, if given, and
/// `method` left as the method alone (`SERVICE/METHOD`).
fn address_and_method(
    command: &str,
    address: Option<String>,
    method: &mut String,
) -> Result<Option<String>, UsageError> {
    if let Some((url_address, path)) = split_url(method) {
        if let Some(address) = &address {
            return Err(UsageError(one_line(format!(
                "the address is given twice, as '{address}' and in the URL '{method}'; give one"
            ))));
        }
        if path.contains(['?', '#']) {
            return Err(UsageError(one_line(format!(
                "bad method URL '{method}': write http(s)://host:port/SERVICE/METHOD, without a \
                 query or fragment"
            ))));
        }
        // The path's leading `/` is the URL's, not the method's.
        let path = &path[1..];
        split_method(path)?;
        let url_address = url_address.to_owned();
        *method = path.to_owned();
        return Ok(Some(url_address));
    }
    if let Some(address) = &address {
        first_is_address(command, "SERVICE/METHOD", address)?;
    }
    if is_address(method) {
        let hint = match &address {
            Some(_) => "give one address, then SERVICE/METHOD".to_owned(),
            None => format!("give the method after it: apicli {command} {method} SERVICE/METHOD"),
        };
        return Err(UsageError(one_line(format!(
            "'{method}' is an address, not a method; {hint}"
        ))));
    }
    Ok(address)
}

/// `[ADDR] [NAME]`: clap puts a word alone into `name`; it is the address when written as one.
fn address_and_name(
    command: &str,
    what: &str,
    address: Option<String>,
    name: &mut Option<String>,
) -> Result<Option<String>, UsageError> {
    let (address, word) = match (address, name.take()) {
        (Some(address), Some(word)) => {
            first_is_address(command, what, &address)?;
            (Some(address), Some(word))
        }
        (None, Some(word)) | (Some(word), None) if is_address(&word) => (Some(word), None),
        (None, word) | (word, None) => (None, word),
    };
    if let Some(word) = &word
        && is_address(word)
    {
        return Err(UsageError(one_line(format!(
            "'{word}' is an address, not a {what}; give one address, then the {what}"
        ))));
    }
    *name = word;
    Ok(address)
}

/// Of two words, the first is the address.
fn first_is_address(command: &str, what: &str, word: &str) -> Result<(), UsageError> {
    if is_address(word) {
        return Ok(());
    }
    Err(UsageError(one_line(format!(
        "'{word}' is not an address (host:port, http(s)://host:port or unix:/path); of two \
         words, the address comes first: apicli {command} ADDR {what}"
    ))))
}

/// `http(s)://host:port/SERVICE/METHOD` → (`http(s)://host:port`, `/SERVICE/METHOD`): the
/// address is everything before the path; `None` for a word that is not such a URL.
pub fn split_url(word: &str) -> Option<(&str, &str)> {
    let rest = word
        .strip_prefix("http://")
        .or_else(|| word.strip_prefix("https://"))?;
    let at = word.len() - rest.len() + rest.find('/')?;
    Some(word.split_at(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(address: Option<&str>, method: &str) -> Result<(Option<String>, String), String> {
        let mut method = method.to_owned();
        let address = address_and_method("call", address.map(str::to_owned), &mut method)
            .map_err(|err| err.0)?;
        Ok((address, method))
    }

    fn name(
        address: Option<&str>,
        word: Option<&str>,
    ) -> Result<(Option<String>, Option<String>), String> {
        let mut word = word.map(str::to_owned);
        let address = address_and_name("list", "SERVICE", address.map(str::to_owned), &mut word)
            .map_err(|err| err.0)?;
        Ok((address, word))
    }

    fn some(s: &str) -> Option<String> {
        Some(s.to_owned())
    }

    #[test]
    fn words_with_colon_or_double_slash_are_addresses() {
        for word in [
            "127.0.0.1:50051",
            "[::1]:50051",
            "localhost:1",
            "http://h:1",
            "https://h",
            "unix:/tmp/s",
            "//h",
        ] {
            assert!(is_address(word), "{word}");
        }
        for word in [
            "api.Api/sayHello",
            "api.Api.sayHello",
            "/api.Api/sayHello",
            "routeguide",
        ] {
            assert!(!is_address(word), "{word}");
        }
    }

    #[test]
    fn call_takes_an_address_then_a_method_or_one_url() {
        assert_eq!(
            method(None, "api.Api/sayHello"),
            Ok((None, "api.Api/sayHello".into()))
        );
        assert_eq!(
            method(Some("h:1"), "api.Api/sayHello"),
            Ok((some("h:1"), "api.Api/sayHello".into()))
        );
        assert_eq!(
            method(None, "http://h:1/api.Api/sayHello"),
            Ok((some("http://h:1"), "api.Api/sayHello".into()))
        );
        assert_eq!(
            method(None, "https://[::1]:7/api.Api/sayHello"),
            Ok((some("https://[::1]:7"), "api.Api/sayHello".into()))
        );
    }

    #[test]
    fn call_refuses_what_cannot_be_told_apart() {
        for (address, word, why) in [
            (None, "127.0.0.1:1", "is an address, not a method"),
            (None, "http://h:1", "is an address, not a method"),
            (None, "http://h:1/", "not a method name"),
            (None, "http://h:1/api", "not a method name"),
            (None, "http://h:1/api.Api/x?y=1", "without a query"),
            (Some("h:1"), "http://h:2/api.Api/x", "given twice"),
            (Some("api.Api"), "x", "the address comes first"),
            (Some("h:1"), "h:2", "is an address, not a method"),
        ] {
            let err = method(address, word).expect_err(word);
            assert!(err.contains(why), "{address:?} {word}: {err}");
        }
    }

    #[test]
    fn list_sorts_out_one_word_by_the_colon() {
        assert_eq!(name(None, None), Ok((None, None)));
        assert_eq!(name(None, Some("a.B")), Ok((None, some("a.B"))));
        assert_eq!(name(None, Some("h:1")), Ok((some("h:1"), None)));
        assert_eq!(name(Some("h:1"), None), Ok((some("h:1"), None)));
        assert_eq!(name(Some("a.B"), None), Ok((None, some("a.B"))));
        assert_eq!(
            name(Some("h:1"), Some("a.B")),
            Ok((some("h:1"), some("a.B")))
        );
        let err = name(Some("a.B"), Some("h:1")).unwrap_err();
        assert!(err.contains("'a.B' is not an address"), "{err}");
        let err = name(Some("h:1"), Some("h:2")).unwrap_err();
        assert!(err.contains("'h:2' is an address, not a SERVICE"), "{err}");
    }
}
