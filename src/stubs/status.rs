//! A stub's status (a code by name or number, a message, details of any known type) and fault
//! (reset with an HTTP/2 error code, goaway, close, stall).

use bytes::Bytes;
use prost::Message as _;
use prost_reflect::MessageDescriptor;

use super::{Fault, FaultKind, StatusReply, StubError, message, read::Source, read::shown, reply};
use crate::{
    details::RpcStatus,
    exit::code_name,
    spanned::{Node, Value, nearest},
};

pub(crate) fn compile(
    source: &Source<'_>,
    node: &Node,
    input: &MessageDescriptor,
) -> Result<StatusReply, StubError> {
    source.mapping(node, "status", &["code", "message", "details"])?;
    let code = match node.get("code") {
        Some(code) => status_code(source, code)?,
        None => tonic::Code::Ok,
    };
    let text = match node.get("message") {
        Some(message) => source.string(message, "status.message")?.to_owned(),
        None => String::new(),
    };
    let message = match node.get("message") {
        Some(at) => reply::template(source, at, &text, input)?,
        None => crate::template::Template::parse_reply("")
            .map_err(|err| source.error(node.at, err.message("status.message")))?,
    };
    let mut any = Vec::new();
    if let Some(details) = node.get("details") {
        let Value::Sequence(items) = &details.value else {
            return Err(source.error(
                details.at,
                format!("status.details must be a list, not {}", details.kind()),
            ));
        };
        for item in items {
            any.push(detail(source, item)?);
        }
    }
    let details = match any.is_empty() {
        true => Bytes::new(),
        false => Bytes::from(
            RpcStatus {
                code: code as i32,
                // A message with placeholders is filled in per call; the details keep its text.
                message: text,
                details: any,
            }
            .encode_to_vec(),
        ),
    };
    Ok(StatusReply {
        code,
        message,
        details,
    })
}

/// `NOT_FOUND`, `not_found`, `NotFound` or 5.
fn status_code(source: &Source<'_>, node: &Node) -> Result<tonic::Code, StubError> {
    let names: Vec<&str> = (0..=16)
        .map(|n| code_name(tonic::Code::from_i32(n)))
        .collect();
    match &node.value {
        Value::Number(number) => match number.as_u64() {
            Some(n @ 0..=16) => Ok(tonic::Code::from_i32(n as i32)),
            _ => Err(source.error(
                node.at,
                format!("unknown status code {number}; codes are 0 to 16"),
            )),
        },
        Value::String(text) => {
            let wanted: String = text
                .chars()
                .filter(|c| *c != '_')
                .collect::<String>()
                .to_ascii_uppercase();
            (0..=16)
                .map(tonic::Code::from_i32)
                .find(|code| code_name(*code).replace('_', "") == wanted)
                .ok_or_else(|| {
                    let hint = match nearest(&text.to_ascii_uppercase(), &names) {
                        Some(near) => format!("; did you mean '{near}'?"),
                        None => format!("; the codes are {}", names.join(", ")),
                    };
                    source.error(node.at, format!("unknown status code '{text}'{hint}"))
                })
        }
        _ => Err(source.error(
            node.at,
            format!(
                "status.code must be a name or a number, not {}",
                node.kind()
            ),
        )),
    }
}

/// One detail: `"@type": type.googleapis.com/NAME` and the message's fields.
fn detail(source: &Source<'_>, node: &Node) -> Result<prost_types::Any, StubError> {
    let Value::Mapping(entries) = &node.value else {
        return Err(source.error(
            node.at,
            format!(
                "a detail must be a mapping with \"@type\", not {}",
                node.kind()
            ),
        ));
    };
    let Some(type_node) = node.get("@type") else {
        return Err(source.error(
            node.at,
            "a detail needs \"@type\", e.g. type.googleapis.com/google.rpc.ErrorInfo",
        ));
    };
    let type_url = source.string(type_node, "@type")?;
    let name = type_url.rsplit('/').next().unwrap_or(type_url);
    let descriptor = source
        .pool
        .get_message_by_name(name)
        .or_else(|| crate::details::rpc_descriptors().and_then(|pool| pool.get_message_by_name(name)))
        .ok_or_else(|| source.error(type_node.at, format!("unknown detail type '{name}': it is not a google.rpc type nor in the descriptors")))?;
    let fields = Node {
        at: node.at,
        value: Value::Mapping(
            entries
                .iter()
                .filter(|(key, _)| key.text != "@type")
                .cloned()
                .collect(),
        ),
    };
    let checked = message::check(source, &fields, &descriptor, message::Leaves::Text)?;
    Ok(prost_types::Any {
        type_url: match type_url.contains('/') {
            true => type_url.to_owned(),
            false => format!("type.googleapis.com/{name}"),
        },
        value: checked.message.encode_to_vec(),
    })
}

/// The HTTP/2 error codes (RFC 9113, section 7), by number.
const H2_CODES: &[&str] = &[
    "NO_ERROR",
    "PROTOCOL_ERROR",
    "INTERNAL_ERROR",
    "FLOW_CONTROL_ERROR",
    "SETTINGS_TIMEOUT",
    "STREAM_CLOSED",
    "FRAME_SIZE_ERROR",
    "REFUSED_STREAM",
    "CANCEL",
    "COMPRESSION_ERROR",
    "CONNECT_ERROR",
    "ENHANCE_YOUR_CALM",
    "INADEQUATE_SECURITY",
    "HTTP_1_1_REQUIRED",
];

const FAULT_KINDS: &[&str] = &["reset", "goaway", "close", "stall"];

pub(crate) fn fault(source: &Source<'_>, node: &Node) -> Result<Fault, StubError> {
    source.mapping(node, "fault", &["kind", "after", "code"])?;
    let Some(kind_node) = node.get("kind") else {
        return Err(source.error(
            node.at,
            "a fault needs a kind: reset, goaway, close or stall",
        ));
    };
    let kind_text = source.string(kind_node, "fault.kind")?;
    let code = node.get("code");
    if let Some(code) = code
        && kind_text != "reset"
    {
        return Err(source.error(code.at, "fault.code is for kind: reset"));
    }
    let kind = match kind_text {
        "reset" => FaultKind::Reset(match code {
            Some(code) => h2_code(source, code)?,
            None => 2,
        }),
        "goaway" => FaultKind::GoAway,
        "close" => FaultKind::Close,
        "stall" => FaultKind::Stall,
        other => {
            return Err(source.error(
                kind_node.at,
                crate::spanned::unknown_key("fault kind", other, FAULT_KINDS),
            ));
        }
    };
    let after = node
        .get("after")
        .map(|after| source.count(after, "fault.after"))
        .transpose()?
        .unwrap_or(0);
    Ok(Fault { after, kind })
}

fn h2_code(source: &Source<'_>, node: &Node) -> Result<u32, StubError> {
    match &node.value {
        Value::Number(number) => number
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| source.error(node.at, format!("bad HTTP/2 error code {}", shown(node)))),
        Value::String(text) => H2_CODES
            .iter()
            .position(|name| name.eq_ignore_ascii_case(text))
            .map(|n| n as u32)
            .ok_or_else(|| {
                source.error(
                    node.at,
                    crate::spanned::unknown_key("HTTP/2 error code", text, H2_CODES),
                )
            }),
        _ => Err(source.error(
            node.at,
            format!("fault.code must be a name or a number, not {}", node.kind()),
        )),
    }
}
