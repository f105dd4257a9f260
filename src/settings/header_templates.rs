//! bench's `-H` values with placeholders (`{{n}}`, `{{uuid}}`, `{{rand A B}}`), which are filled
//! in for each call. The others stay constant metadata, built once for the whole run.

use tonic::metadata::AsciiMetadataKey;

use crate::{
    exit::UsageError,
    headers::Header,
    template::{Extreme, Template},
};

/// A header whose value is filled in for each call.
#[derive(Debug, Clone)]
pub struct HeaderTemplate {
    pub name: http::HeaderName,
    pub value: Template,
}

/// Takes out of `metadata` the headers whose values hold placeholders. Their names and the
/// text around the placeholders were checked as `-H` checks any header, and what the
/// placeholders become (digits, a minus sign, a UUID) fits in any header value.
pub fn take_header_templates(
    metadata: &mut Vec<Header>,
) -> Result<Vec<HeaderTemplate>, UsageError> {
    let mut templates = Vec::new();
    let mut kept = Vec::with_capacity(metadata.len());
    for header in metadata.drain(..) {
        let Header::Ascii(key, value) = &header else {
            kept.push(header);
            continue;
        };
        let text = value.to_str().unwrap_or_default();
        if !text.contains("{{") {
            kept.push(header);
            continue;
        }
        let template = Template::parse(text)
            .map_err(|err| UsageError(err.message(&format!("-H '{}: {text}'", key.as_str()))))?;
        if template.is_constant() {
            kept.push(header);
            continue;
        }
        let name = header_name(key)?;
        for extreme in [Extreme::Low, Extreme::High] {
            let mut filled = String::new();
            template.render_extreme(extreme, &mut filled);
            http::HeaderValue::try_from(filled).map_err(|_| {
                UsageError(format!(
                    "-H '{}: {text}' is not a header value once filled in",
                    key.as_str()
                ))
            })?;
        }
        templates.push(HeaderTemplate {
            name,
            value: template,
        });
    }
    *metadata = kept;
    Ok(templates)
}

fn header_name(key: &AsciiMetadataKey) -> Result<http::HeaderName, UsageError> {
    http::HeaderName::from_bytes(key.as_str().as_bytes())
        .map_err(|_| UsageError(format!("'{}' is not a header name", key.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(lines: &[&str]) -> Vec<Header> {
        lines
            .iter()
            .map(|line| Header::parse(line).unwrap())
            .collect()
    }

    #[test]
    fn only_headers_with_placeholders_are_taken() {
        let mut metadata = headers(&[
            "x-plain: a",
            "x-call: call {{n}}",
            "x-braces: {{not}} a placeholder",
            "x-id: {{uuid}}",
            "x-blob-bin: AAEC",
        ]);
        let err = take_header_templates(&mut metadata).unwrap_err().0;
        assert!(
            err.contains("bad placeholder '{{not}}' in -H 'x-braces"),
            "{err}"
        );

        let mut metadata = headers(&["x-plain: a", "x-call: call {{n}}", "x-id: {{uuid}}"]);
        let templates = take_header_templates(&mut metadata).unwrap();
        let names: Vec<&str> = templates.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["x-call", "x-id"]);
        assert_eq!(metadata, headers(&["x-plain: a"]));
        let mut text = String::new();
        templates[0]
            .value
            .render(7, &mut crate::template::Random::new(0), &mut text);
        assert_eq!(text, "call 7");
    }
}
