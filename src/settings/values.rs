//! Single values from the command line: durations, sizes, and the files flags point at.

use std::{fs, path::Path, time::Duration};

use crate::{
    exit::{UsageError, io_words, one_line},
    headers::Header,
};

/// A positive duration such as `2s`, `500ms` or `1m30s`.
pub fn parse_duration(flag: &str, value: &str) -> Result<Duration, UsageError> {
    let duration = parse_duration_allow_zero(flag, value)?;
    if duration.is_zero() {
        return Err(UsageError(one_line(format!(
            "bad {flag} '{value}': must be more than zero"
        ))));
    }
    Ok(duration)
}

/// A duration that may be zero (`0s` turns a wait off).
pub fn parse_duration_allow_zero(flag: &str, value: &str) -> Result<Duration, UsageError> {
    use humantime::DurationError;
    humantime::parse_duration(value.trim()).map_err(|err| {
        let why = match err {
            DurationError::UnknownUnit { unit, .. } => format!("unknown unit '{unit}'; "),
            DurationError::NumberOverflow => "too long; ".to_owned(),
            _ => String::new(),
        };
        UsageError(one_line(format!(
            "bad {flag} '{value}': {why}expected a duration such as 2s, 500ms or 1m30s"
        )))
    })
}

/// A size in bytes: `4194304`, `64MiB`, `4 MB`.
pub fn parse_size(flag: &str, value: &str) -> Result<usize, UsageError> {
    let bad = |why: String| UsageError(one_line(format!("bad {flag} '{value}': {why}")));
    let size: bytesize::ByteSize = value
        .trim()
        .parse()
        .map_err(|e: String| bad(format!("{e} (expected bytes, e.g. 4194304 or 64MiB)")))?;
    let bytes = usize::try_from(size.as_u64()).map_err(|_| bad("too large".into()))?;
    if bytes == 0 {
        return Err(bad("must be at least 1 byte".into()));
    }
    Ok(bytes)
}

/// The whole content of a file a flag names.
pub fn read_file(flag: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    fs::read(path).map_err(|err| {
        UsageError(format!(
            "cannot read {flag} '{}': {}",
            path.display(),
            io_words(&err)
        ))
    })
}

/// A file of PEM certificates.
pub fn read_certificates(flag: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    let pem = read_file(flag, path)?;
    crate::tls::check_certificates(flag, &pem)?;
    Ok(pem)
}

/// A file holding a PEM private key.
pub fn read_private_key(flag: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    let pem = read_file(flag, path)?;
    crate::tls::check_private_key(flag, &pem)?;
    Ok(pem)
}

/// A bearer token from `--token-file`: the file's text without surrounding white space.
pub fn read_token(path: &Path) -> Result<String, UsageError> {
    let bytes = read_file("--token-file", path)?;
    let bad = |why: &str| UsageError(format!("bad --token-file '{}': {why}", path.display()));
    let text = String::from_utf8(bytes).map_err(|_| bad("the token is not text"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(bad("the file is empty"));
    }
    if !token.chars().all(|c| c.is_ascii_graphic()) {
        return Err(bad("a token is one word of printable ASCII"));
    }
    Ok(token.to_owned())
}

/// `-H` values: `name: value`, or `@FILE` with one header per line (blank lines and lines
/// starting with `#` are skipped).
pub fn parse_headers(values: &[String]) -> Result<Vec<Header>, UsageError> {
    let mut headers = Vec::new();
    for value in values {
        let Some(file) = value.strip_prefix('@') else {
            headers.push(Header::parse(value)?);
            continue;
        };
        let text = read_file("-H", Path::new(file))?;
        let text = String::from_utf8(text)
            .map_err(|_| UsageError(format!("bad header file '{file}': not UTF-8 text")))?;
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let header = Header::parse(line)
                .map_err(|err| UsageError(format!("{file}:{}: {}", number + 1, err.0)))?;
            headers.push(header);
        }
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;

    #[test]
    fn durations() {
        assert_eq!(
            parse_duration("--timeout", "2s").unwrap(),
            Duration::from_secs(2)
        );
        assert_eq!(
            parse_duration("--timeout", "500ms").unwrap(),
            Duration::from_millis(500)
        );
        assert_eq!(
            parse_duration("--timeout", "1m30s").unwrap(),
            Duration::from_secs(90)
        );
        let err = parse_duration("--timeout", "soon").unwrap_err();
        assert!(err.0.starts_with("bad --timeout 'soon'"), "{}", err.0);
        assert!(
            parse_duration("--timeout", "2x")
                .unwrap_err()
                .0
                .contains("unknown unit 'x'")
        );
        assert!(
            parse_duration("--timeout", "0s")
                .unwrap_err()
                .0
                .contains("more than zero")
        );
        assert!(
            parse_duration("--timeout", "2").is_err(),
            "a unit is required"
        );
        assert_eq!(
            parse_duration_allow_zero("--grace", "0").unwrap(),
            Duration::ZERO
        );
    }

    #[test]
    fn sizes() {
        let size = |v| parse_size("--max-message-size", v);
        assert_eq!(size("4194304").unwrap(), 4 * 1024 * 1024);
        assert_eq!(size("64MiB").unwrap(), 64 * 1024 * 1024);
        assert_eq!(size("4 KiB").unwrap(), 4096);
        assert!(size("0").is_err());
        assert!(size("lots").unwrap_err().0.contains("expected bytes"));
    }

    #[test]
    fn tokens() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "  s3cret-token \n").unwrap();
        assert_eq!(read_token(file.path()).unwrap(), "s3cret-token");
        let empty = tempfile::NamedTempFile::new().unwrap();
        assert!(read_token(empty.path()).unwrap_err().0.contains("empty"));
        let missing = read_token(Path::new("/nonexistent/token")).unwrap_err();
        assert!(missing.0.contains("no such file"), "{}", missing.0);
    }

    #[test]
    fn header_files() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        writeln!(file, "# sent with every call\nx-a: 1\n\nx-b:2").unwrap();
        let arg = format!("@{}", file.path().display());
        let headers = parse_headers(&[arg, "x-c: 3".into()]).unwrap();
        assert_eq!(headers.len(), 3);
        let mut bad = tempfile::NamedTempFile::new().unwrap();
        writeln!(bad, "x-a: 1\ngrpc-status: 0").unwrap();
        let err = parse_headers(&[format!("@{}", bad.path().display())]).unwrap_err();
        assert!(
            err.0.contains(":2: bad header 'grpc-status: 0'"),
            "{}",
            err.0
        );
    }
}
