//! Metadata across the two protocols: a unary Connect response carries its trailers as headers
//! prefixed with `trailer-`, and the headers that belong to either protocol's framing are not
//! metadata to pass on.

use http::{HeaderMap, HeaderName, HeaderValue, header};

/// gRPC's headers, named once rather than parsed at each use.
pub const GRPC_STATUS: HeaderName = HeaderName::from_static("grpc-status");
pub const GRPC_ENCODING: HeaderName = HeaderName::from_static("grpc-encoding");
pub const GRPC_ACCEPT_ENCODING: HeaderName = HeaderName::from_static("grpc-accept-encoding");

/// The prefix of a unary response's trailers.
pub const TRAILER_PREFIX: &str = "trailer-";

/// Adds `trailers` to `headers`, each name prefixed with `trailer-`.
pub fn add_prefixed_trailers(trailers: &HeaderMap, headers: &mut HeaderMap) {
    for (name, value) in trailers {
        let prefixed = format!("{TRAILER_PREFIX}{name}");
        // A header name with a prefix of valid characters is valid.
        if let Ok(prefixed) = HeaderName::from_bytes(prefixed.as_bytes()) {
            headers.append(prefixed, value.clone());
        }
    }
}

/// Takes the `trailer-` headers out of `headers`, and returns them without their prefix.
pub fn take_prefixed_trailers(headers: &mut HeaderMap) -> HeaderMap {
    let names: Vec<HeaderName> = (headers.keys())
        .filter(|name| name.as_str().starts_with(TRAILER_PREFIX))
        .cloned()
        .collect();
    let mut trailers = HeaderMap::new();
    for name in names {
        let bare = &name.as_str()[TRAILER_PREFIX.len()..];
        let Ok(bare) = HeaderName::from_bytes(bare.as_bytes()) else {
            continue;
        };
        for value in headers.get_all(&name) {
            trailers.append(bare.clone(), value.clone());
        }
        headers.remove(&name);
    }
    trailers
}

/// Whether a header belongs to the framing of gRPC or Connect (or to HTTP's), rather than to
/// the call's metadata.
pub fn is_protocol_header(name: &HeaderName) -> bool {
    let name = name.as_str();
    name.starts_with("grpc-")
        || name.starts_with("connect-")
        || matches!(
            name,
            "content-type" | "content-encoding" | "accept-encoding" | "content-length" | "te"
        )
}

/// Removes the protocol headers from `headers`, keeping the metadata.
pub fn keep_metadata(headers: &mut HeaderMap) {
    remove_where(headers, is_protocol_header);
}

/// Keeps the metadata of `headers` under a new `content_type`: the old one is replaced rather
/// than removed, which saves a removal on each call.
pub fn keep_metadata_as(headers: &mut HeaderMap, content_type: HeaderValue) {
    remove_where(headers, |name| {
        name != header::CONTENT_TYPE && is_protocol_header(name)
    });
    headers.insert(header::CONTENT_TYPE, content_type);
}

fn remove_where(headers: &mut HeaderMap, protocol: impl Fn(&HeaderName) -> bool) {
    // A few headers at most: looking again from the start costs less than a list of them.
    while let Some(name) = headers.keys().find(|name| protocol(name)).cloned() {
        headers.remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specs_trailer_example() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/json".parse().unwrap());
        headers.insert("trailer-acme-operation-cost", "237".parse().unwrap());
        let trailers = take_prefixed_trailers(&mut headers);
        assert_eq!(trailers["acme-operation-cost"], "237");
        assert_eq!(headers.len(), 1);

        let mut again = HeaderMap::new();
        add_prefixed_trailers(&trailers, &mut again);
        assert_eq!(again["trailer-acme-operation-cost"], "237");
    }

    #[test]
    fn protocol_headers_are_not_metadata() {
        let mut headers = HeaderMap::new();
        for name in [
            "grpc-timeout",
            "connect-timeout-ms",
            "content-type",
            "te",
            "x-user",
            "authorization",
        ] {
            headers.insert(name, "1".parse().unwrap());
        }
        let mut other = headers.clone();
        keep_metadata(&mut headers);
        let mut left: Vec<_> = headers.keys().map(|k| k.as_str()).collect();
        left.sort_unstable();
        assert_eq!(left, ["authorization", "x-user"]);

        keep_metadata_as(&mut other, HeaderValue::from_static("application/grpc"));
        assert_eq!(other["content-type"], "application/grpc");
        assert_eq!(other.len(), 3);
    }
}
