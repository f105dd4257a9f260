//! Single values from the command line: durations, sizes, and the files flags point at.

use std::{fs::File, io::Read, path::Path, time::Duration};

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
        // bytesize's own words name its internals ("cannot parse float from empty string").
        .map_err(|_: String| bad("expected bytes, e.g. 4194304 or 64MiB".to_owned()))?;
    let bytes = usize::try_from(size.as_u64()).map_err(|_| bad("too large".into()))?;
    if bytes == 0 {
        return Err(bad("must be at least 1 byte".into()));
    }
    Ok(bytes)
}

/// The most each kind of file may hold, in one place. Reading stops one byte past the bound, so
/// a device that never ends (`/dev/urandom`) or the wrong file fails at once instead of hanging or
/// filling memory; a pipe (`<(…)`) or FIFO is read like a file. Each bound is well above what the
/// right file holds.
pub mod bound {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    /// `--protoset`: a set with every import and source info, such as the whole of googleapis,
    /// runs to tens of MiB.
    pub const PROTOSET: u64 = 64 * MIB;
    /// `--proto`: written sources are KiB; the largest generated ones a few MiB.
    pub const PROTO: u64 = 16 * MIB;
    /// One request message as JSON (`-d`): servers refuse requests over gRPC's usual 4 MiB, and
    /// their JSON is rarely more than three times as long (base64 adds a third to bytes). A
    /// stream (`-d @-`, NDJSON) is bounded message by message, never as a whole.
    pub const REQUEST_MESSAGE: u64 = 16 * MIB;
    /// `bench -d`'s whole text, read at once to fill in its placeholders: room for the many
    /// messages of a client stream.
    pub const REQUEST_TEXT: u64 = 64 * MIB;
    /// `-H @FILE`: servers refuse metadata over 8 or 16 KiB (gRPC's usual limits).
    pub const HEADERS: u64 = MIB;
    /// `--token-file`: a token is one line, a few KiB for the largest JWTs.
    pub const TOKEN: u64 = 64 * KIB;
    /// PEM certificates and keys: a system's whole CA bundle is about 200 KiB.
    pub const PEM: u64 = 4 * MIB;
    /// The config file of profiles: a few KiB of TOML.
    pub const CONFIG: u64 = MIB;
    /// `--compare`: a `bench -o json` report is a few KiB.
    pub const REPORT: u64 = 16 * MIB;
    /// One input of `bench merge`: room for thousands of reports, one per line, each of tens of
    /// KiB with its histograms.
    pub const REPORTS: u64 = 256 * MIB;

    /// `64 MiB`, `64 KiB`, for messages.
    pub fn shown(bytes: u64) -> String {
        if bytes.is_multiple_of(MIB) {
            format!("{} MiB", bytes / MIB)
        } else if bytes.is_multiple_of(KIB) {
            format!("{} KiB", bytes / KIB)
        } else {
            format!("{bytes} bytes")
        }
    }
}

/// Reads `input` to its end, failing once it holds more than `limit` bytes; the error is why, in
/// words, for the caller to say which input. The one reader of every file-valued flag.
///
/// `size` is what a regular file says it holds. Without it (a pipe, a device) room for the whole
/// bound is reserved at once: memory the system gives only as it is written, and no copy each
/// time the buffer would have doubled.
pub fn read_bounded(input: impl Read, limit: u64, size: Option<u64>) -> Result<Vec<u8>, String> {
    let room = size.unwrap_or(limit).min(limit) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    input
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| io_words(&err))?;
    if bytes.len() as u64 > limit {
        return Err(over(limit));
    }
    Ok(bytes)
}

/// The file at `path`, whole, through [`read_bounded`]. A directory, a regular file over the
/// bound, or one that cannot be opened fails before anything is read.
pub fn read_path(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|err| io_words(&err))?;
    let metadata = file.metadata().map_err(|err| io_words(&err))?;
    if metadata.is_dir() {
        return Err("is a directory".to_owned());
    }
    // Only a regular file's size is known beforehand; a pipe or a device says 0.
    let size = metadata.is_file().then_some(metadata.len());
    if size.is_some_and(|size| size > limit) {
        return Err(over(limit));
    }
    read_bounded(file, limit, size)
}

fn over(limit: u64) -> String {
    format!("more than {}; is it the right file?", bound::shown(limit))
}

/// How messages name the file a flag points at: `--protoset 'set.binpb'`, or as typed for the
/// flags that take `@FILE`: `-d @req.json`.
pub fn named(flag: &str, path: &Path) -> String {
    match flag {
        "-d" | "-H" => format!("{flag} @{}", path.display()),
        _ => format!("{flag} '{}'", path.display()),
    }
}

/// The whole content of a file a flag names, at most `limit` bytes (see [`bound`]).
pub fn read_file(flag: &str, path: &Path, limit: u64) -> Result<Vec<u8>, UsageError> {
    read_path(path, limit).map_err(|why| UsageError(format!("{}: {why}", named(flag, path))))
}

/// [`read_file`] for text: UTF-8 is checked.
pub fn read_text(flag: &str, path: &Path, limit: u64) -> Result<String, UsageError> {
    let bytes = read_file(flag, path, limit)?;
    String::from_utf8(bytes).map_err(|_| UsageError(format!("{}: {NOT_TEXT}", named(flag, path))))
}

/// Why text input that is not UTF-8 is refused.
pub const NOT_TEXT: &str = "not UTF-8 text; is it the right file?";

/// A file of PEM certificates.
pub fn read_certificates(flag: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    let pem = read_file(flag, path, bound::PEM)?;
    crate::tls::check_certificates(flag, &pem)?;
    Ok(pem)
}

/// A file holding a PEM private key.
pub fn read_private_key(flag: &str, path: &Path) -> Result<Vec<u8>, UsageError> {
    let pem = read_file(flag, path, bound::PEM)?;
    crate::tls::check_private_key(flag, &pem)?;
    Ok(pem)
}

/// A bearer token from `--token-file`: the file's text without surrounding white space.
pub fn read_token(path: &Path) -> Result<String, UsageError> {
    let bytes = read_file("--token-file", path, bound::TOKEN)?;
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
        let text = read_text("-H", Path::new(file), bound::HEADERS)?;
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
    fn reads_stop_one_byte_past_the_bound() {
        assert_eq!(read_bounded(&b"abcd"[..], 4, None).unwrap(), b"abcd");
        assert_eq!(
            read_bounded(&b"abcde"[..], 4, Some(5)).unwrap_err(),
            "more than 4 bytes; is it the right file?"
        );
        // A reader that never ends is read no further than the bound.
        assert!(read_bounded(std::io::repeat(b'x'), 1024, None).is_err());
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            read_file("--protoset", dir.path(), bound::PROTOSET)
                .unwrap_err()
                .0,
            format!("--protoset '{}': is a directory", dir.path().display())
        );
        assert_eq!(
            read_file("-H", Path::new("/nonexistent/h"), bound::HEADERS)
                .unwrap_err()
                .0,
            "-H @/nonexistent/h: no such file or directory"
        );
        assert_eq!(bound::shown(64 * 1024 * 1024), "64 MiB");
        assert_eq!(bound::shown(64 * 1024), "64 KiB");
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
