//! Applying the profile in use: filling in what the command line and the environment left
//! unset, and showing it as resolved with its secrets redacted.

use std::path::Path;

use super::Chosen;
use crate::{
    cli::{
        Compression, DescriptorArgs, ErrorFormat, GlobalArgs, HttpVersion, OutputFormat, Protocol,
    },
    exit::UsageError,
};

impl Chosen {
    /// Fills in what the command line and the environment left unset; headers add up.
    pub fn fill(&self, global: &mut GlobalArgs) -> Result<(), UsageError> {
        let p = &self.profile;
        global.profile_in_use = Some(format!("{} (from {})", self.name, self.file.display()));
        let bad = |key: &str, value: &str, expected: &str| {
            UsageError(format!(
                "profile '{}' in {}: bad {key} '{value}': expected {expected}",
                self.name,
                self.file.display()
            ))
        };
        if global.addr.is_empty()
            && let Some(addr) = &p.addr
        {
            global.addr.push(addr.clone());
        }
        fill(&mut global.ca_cert, &p.ca_cert);
        // A certificate and its key come together, from one place.
        if global.cert.is_none() && global.key.is_none() {
            fill(&mut global.cert, &p.cert);
            fill(&mut global.key, &p.key);
        }
        fill(&mut global.authority, &p.authority);
        global.insecure |= p.insecure.unwrap_or(false);
        // A token given on the command line, either way, replaces the profile's.
        let token_given = global.token_file.is_some() || global.headers.iter().any(|h| is_auth(h));
        if !token_given {
            fill(&mut global.token_file, &p.token_file);
        }
        let mut headers: Vec<String> = p
            .headers
            .iter()
            .filter(|h| !(token_given && is_auth(h)))
            .cloned()
            .collect();
        headers.append(&mut global.headers);
        global.headers = headers;
        fill(&mut global.timeout, &p.timeout);
        fill(&mut global.connect_timeout, &p.connect_timeout);
        fill(&mut global.max_message_size, &p.max_message_size);
        fill(&mut global.keepalive, &p.keepalive);
        if global.output.is_none()
            && let Some(output) = &p.output
        {
            global.output = Some(match output.as_str() {
                "table" => OutputFormat::Table,
                "json" => OutputFormat::Json,
                "text" => OutputFormat::Text,
                other => return Err(bad("output", other, "table, json or text")),
            });
        }
        if global.compress.is_none()
            && let Some(compress) = &p.compress
        {
            global.compress = Some(match compress.as_str() {
                "gzip" => Compression::Gzip,
                "zstd" => Compression::Zstd,
                other => return Err(bad("compress", other, "gzip or zstd")),
            });
        }
        if global.protocol.is_none()
            && let Some(protocol) = &p.protocol
        {
            global.protocol = Some(match protocol.as_str() {
                "grpc" => Protocol::Grpc,
                "connect" => Protocol::Connect,
                "grpc-web" | "grpcweb" => Protocol::GrpcWeb,
                "grpc-web-text" => Protocol::GrpcWebText,
                other => {
                    return Err(bad(
                        "protocol",
                        other,
                        "grpc, connect, grpc-web or grpc-web-text",
                    ));
                }
            });
        }
        if global.http.is_none()
            && let Some(http) = &p.http
        {
            global.http = Some(match http.as_str() {
                "1.1" => HttpVersion::Http1,
                "2" => HttpVersion::Http2,
                "auto" => HttpVersion::Auto,
                other => return Err(bad("http", other, "1.1, 2 or auto")),
            });
        }
        if global.error_format.is_none()
            && let Some(format) = &p.error_format
        {
            global.error_format = Some(match format.as_str() {
                "text" => ErrorFormat::Text,
                "json" => ErrorFormat::Json,
                other => return Err(bad("error-format", other, "text or json")),
            });
        }
        Ok(())
    }

    /// Fills in the descriptor sources, when the command line gives none.
    pub fn fill_descriptors(&self, args: &mut DescriptorArgs) {
        let p = &self.profile;
        if args.protos.is_empty() && args.protosets.is_empty() {
            args.protos = p.proto.clone();
            args.protosets = p.protoset.clone();
            if args.import_paths.is_empty() {
                args.import_paths = p.import_path.clone();
            }
        }
    }

    /// The profile as resolved, in the file's syntax, with secrets shown as `[redacted]`.
    pub fn show(&self) -> String {
        let p = &self.profile;
        let mut out = format!("# {}\n[profiles.{}]\n", self.file.display(), self.name);
        let mut line = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
        let text = |s: &str| format!("{s:?}");
        let path = |p: &Path| format!("{:?}", p.display().to_string());
        let list = |items: Vec<String>| format!("[{}]", items.join(", "));
        if let Some(v) = &p.addr {
            line("addr", text(v));
        }
        for (key, value) in [
            ("ca-cert", &p.ca_cert),
            ("cert", &p.cert),
            ("key", &p.key),
            ("token-file", &p.token_file),
        ] {
            if let Some(v) = value {
                line(key, path(v));
            }
        }
        if let Some(v) = &p.authority {
            line("authority", text(v));
        }
        if let Some(v) = p.insecure {
            line("insecure", v.to_string());
        }
        if !p.headers.is_empty() {
            let headers = p.headers.iter().map(|h| text(&redacted(h))).collect();
            line("headers", list(headers));
        }
        for (key, value) in [
            ("timeout", &p.timeout),
            ("connect-timeout", &p.connect_timeout),
            ("output", &p.output),
            ("max-message-size", &p.max_message_size),
            ("compress", &p.compress),
            ("keepalive", &p.keepalive),
            ("protocol", &p.protocol),
            ("http", &p.http),
            ("error-format", &p.error_format),
        ] {
            if let Some(v) = value {
                line(key, text(v));
            }
        }
        for (key, value) in [
            ("proto", &p.proto),
            ("import-path", &p.import_path),
            ("protoset", &p.protoset),
        ] {
            if !value.is_empty() {
                line(key, list(value.iter().map(|v| path(v)).collect()));
            }
        }
        out
    }
}

fn fill<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
    if slot.is_none() {
        slot.clone_from(value);
    }
}

fn is_auth(header: &str) -> bool {
    header
        .split_once(':')
        .is_some_and(|(name, _)| name.trim().eq_ignore_ascii_case("authorization"))
}

/// `authorization: [redacted]`; other headers as they are.
fn redacted(header: &str) -> String {
    match header.split_once(':') {
        Some((name, _)) if is_auth(header) => format!("{}: [redacted]", name.trim()),
        _ => header.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{FILE, parse};

    #[test]
    fn secrets_are_redacted_when_shown() {
        let shown = parse(FILE).unwrap().get("staging").unwrap().show();
        assert!(shown.contains(r#"headers = ["x-env: staging", "authorization: [redacted]"]"#));
        assert!(!shown.contains("abc"), "{shown}");
    }
}
