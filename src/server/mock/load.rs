//! What the test double serves: the descriptors (built in, the user's files, or a live server's
//! reflection) and the stubs read from `--stubs`.
//!
//! The stub files are read by a small JSON reader of the stub format's core (method, delay,
//! reply headers, message, stream, rules, trailers, status with details, fault) until the stub
//! loader of `stubs` takes its place: [`stubs`] is the one call to change then.

use std::{path::PathBuf, sync::Arc, time::Duration};

use anyhow::Context as _;
use bytes::Bytes;
use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage, MethodDescriptor};
use serde_json::Value;

use crate::{
    client,
    descriptors::{Descriptors, Reflection, builtin_pool, load_files},
    details::RpcStatus,
    exit::UsageError,
    settings::{DoubleDescriptors, read_text},
    stubs::{
        CallMatcher, Fault, FaultKind, HeaderTemplate, MessageTemplate, Origin, Reply, Rule,
        StatusReply, Step, Stub, StubSet, Wait,
    },
    template::Template,
};

/// Services the double never answers from stubs: it serves its own health and reflection.
const OWN_SERVICES: &[&str] = &[
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// The descriptors of the services to serve, and those services' full names, sorted.
pub async fn descriptors(
    source: &DoubleDescriptors,
) -> anyhow::Result<(DescriptorPool, Vec<String>)> {
    let pool = match source {
        DoubleDescriptors::Builtin => builtin_pool(),
        DoubleDescriptors::Files(files) => {
            load_files(&files.protos, &files.import_paths, &files.protosets)?
        }
        DoubleDescriptors::Reflection(settings) => {
            let server = settings.target.display();
            let connection = client::connect(settings)
                .await
                .with_context(|| format!("--reflect-from {server}"))?;
            let metadata = client::request(settings, (), None).into_parts().0;
            let reflection = Reflection::new(connection.channel, metadata);
            let mut descriptors = Descriptors::from_reflection(reflection, server.clone());
            let fetched = async {
                for name in descriptors.services().await? {
                    if !OWN_SERVICES.contains(&name.as_str()) {
                        descriptors.service(&name).await?;
                    }
                }
                anyhow::Ok(())
            };
            fetched
                .await
                .with_context(|| format!("--reflect-from {server}"))?;
            descriptors.close_reflection().await;
            descriptors.pool().clone()
        }
    };
    let mut services: Vec<String> = (pool.services())
        .map(|service| service.full_name().to_owned())
        .filter(|name| !OWN_SERVICES.contains(&name.as_str()))
        .collect();
    services.sort();
    if services.is_empty() {
        anyhow::bail!("the descriptors describe no service to serve");
    }
    Ok((pool, services))
}

/// The stubs of `paths` (files, and the `.json` files of folders, read recursively in path
/// order), checked against `pool`.
pub fn stubs(paths: &[PathBuf], pool: &DescriptorPool) -> Result<StubSet, UsageError> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    let mut stubs = Vec::new();
    for file in files {
        let text = read_text("--stubs", &file, 16 * 1024 * 1024)?;
        let shown: Arc<str> = file.display().to_string().into();
        let fail = |why: String| UsageError(format!("{shown}: {why}"));
        let value: Value = serde_json::from_str(&text).map_err(|err| fail(err.to_string()))?;
        let entries = match value {
            Value::Array(entries) => entries,
            entry => vec![entry],
        };
        for (index, entry) in entries.iter().enumerate() {
            let origin = Origin {
                file: Arc::clone(&shown),
                line: u32::try_from(index + 1).unwrap_or(u32::MAX),
            };
            stubs.push(stub(entry, origin, pool).map_err(fail)?);
        }
    }
    Ok(StubSet::new(stubs))
}

fn collect(path: &PathBuf, files: &mut Vec<PathBuf>) -> Result<(), UsageError> {
    if !path.is_dir() {
        files.push(path.clone());
        return Ok(());
    }
    let entries = std::fs::read_dir(path)
        .map_err(|err| UsageError(format!("--stubs '{}': {err}", path.display())))?;
    let mut inside: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    inside.sort();
    for entry in inside {
        if entry.is_dir() || entry.extension().is_some_and(|ext| ext == "json") {
            collect(&entry, files)?;
        }
    }
    Ok(())
}

fn stub(entry: &Value, origin: Origin, pool: &DescriptorPool) -> Result<Stub, String> {
    let name = entry["method"].as_str().ok_or("a stub needs 'method'")?;
    let (service, method) = name
        .split_once('/')
        .ok_or_else(|| format!("method '{name}' is not SERVICE/METHOD"))?;
    let method = (pool.get_service_by_name(service))
        .and_then(|s| s.methods().find(|m| m.name() == method))
        .ok_or_else(|| format!("no method {name} in the descriptors"))?;
    let reply = reply(&entry["reply"], &method, pool)?;
    let mut stub = Stub::new(origin, method, CallMatcher::default(), reply);
    stub.delay = entry["delay"].as_str().map(duration).transpose()?;
    stub.priority = entry["priority"].as_i64().unwrap_or(0);
    stub.times = entry["times"].as_u64();
    Ok(stub)
}

fn reply(value: &Value, method: &MethodDescriptor, pool: &DescriptorPool) -> Result<Reply, String> {
    let output = method.output();
    let message = |value: &Value| -> Result<MessageTemplate, String> {
        let message = DynamicMessage::deserialize(output.clone(), value)
            .map_err(|err| format!("a reply message: {err}"))?;
        Ok(MessageTemplate::constant(&message))
    };
    let steps = |value: &Value| -> Result<Vec<Step>, String> {
        let Some(steps) = value.as_array() else {
            return Ok(Vec::new());
        };
        steps
            .iter()
            .map(|step| match &step["wait"] {
                Value::String(half) if half == "half-close" => Ok(Step::Wait(Wait::HalfClose)),
                Value::Object(wait) => Ok(Step::Wait(Wait::Messages(
                    wait.get("messages").and_then(Value::as_u64).unwrap_or(0),
                ))),
                _ => Ok(Step::Send {
                    message: message(&step["message"])?,
                    after: step["after"].as_str().map(duration).transpose()?,
                    repeat: match &step["repeat"] {
                        Value::Null => None,
                        Value::Number(n) => Some(template(&n.to_string())?),
                        Value::String(text) => Some(template(text)?),
                        _ => return Err("repeat is a count".to_owned()),
                    },
                }),
            })
            .collect()
    };
    let on = match value["on"].as_array() {
        Some(rules) => rules
            .iter()
            .map(|rule| {
                Ok(Rule {
                    when: None,
                    replies: steps(&rule["reply"])?,
                })
            })
            .collect::<Result<_, String>>()?,
        None => Vec::new(),
    };
    Ok(Reply {
        headers: headers(&value["headers"])?,
        message: match &value["message"] {
            Value::Null => None,
            value => Some(message(value)?),
        },
        stream: steps(&value["stream"])?,
        on,
        trailers: headers(&value["trailers"])?,
        status: match &value["status"] {
            Value::Null => None,
            status => Some(status_reply(status, pool)?),
        },
        fault: match &value["fault"] {
            Value::Null => None,
            fault => Some(fault_of(fault)?),
        },
    })
}

fn headers(value: &Value) -> Result<Vec<HeaderTemplate>, String> {
    let Some(map) = value.as_object() else {
        return Ok(Vec::new());
    };
    map.iter()
        .map(|(name, value)| {
            Ok(HeaderTemplate {
                name: name
                    .parse()
                    .map_err(|_| format!("'{name}' is not a header name"))?,
                value: template(value.as_str().ok_or("header values are text")?)?,
            })
        })
        .collect()
}

fn template(text: &str) -> Result<Template, String> {
    Template::parse(text).map_err(|err| err.message(text))
}

fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|err| format!("bad duration '{text}': {err}"))
}

fn status_reply(value: &Value, pool: &DescriptorPool) -> Result<StatusReply, String> {
    let code = match &value["code"] {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()).unwrap_or(2),
        Value::String(name) => (0..=16)
            .find(|&n| {
                let code = tonic::Code::from_i32(n);
                crate::exit::code_name(code).eq_ignore_ascii_case(name)
            })
            .ok_or_else(|| format!("unknown status code '{name}'"))?,
        _ => 0,
    };
    let code = tonic::Code::from_i32(code);
    let text = value["message"].as_str().unwrap_or_default();
    let mut details = Vec::new();
    for detail in value["details"].as_array().into_iter().flatten() {
        let url = detail["@type"].as_str().ok_or("a detail needs '@type'")?;
        let name = url.rsplit('/').next().unwrap_or(url);
        let descriptor = (pool.get_message_by_name(name))
            .ok_or_else(|| format!("unknown detail type '{name}'"))?;
        let mut fields = detail.clone();
        if let Some(fields) = fields.as_object_mut() {
            fields.remove("@type");
        }
        let message = DynamicMessage::deserialize(descriptor, &fields)
            .map_err(|err| format!("a detail: {err}"))?;
        details.push(prost_types::Any {
            type_url: url.to_owned(),
            value: message.encode_to_vec(),
        });
    }
    let encoded = if details.is_empty() {
        Bytes::new()
    } else {
        let status = RpcStatus {
            code: code as i32,
            message: text.to_owned(),
            details,
        };
        Bytes::from(status.encode_to_vec())
    };
    Ok(StatusReply {
        code,
        message: template(text)?,
        details: encoded,
    })
}

fn fault_of(value: &Value) -> Result<Fault, String> {
    let kind = match value["kind"].as_str() {
        Some("reset") => FaultKind::Reset(match &value["code"] {
            Value::Null => 2,
            Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()).unwrap_or(2),
            Value::String(name) => h2_code(name)?,
            _ => return Err("a reset's code is a name or a number".into()),
        }),
        Some("goaway") => FaultKind::GoAway,
        Some("close") => FaultKind::Close,
        Some("stall") => FaultKind::Stall,
        _ => return Err("a fault's kind is reset, goaway, close or stall".into()),
    };
    Ok(Fault {
        after: value["after"].as_u64().unwrap_or(0),
        kind,
    })
}

fn h2_code(name: &str) -> Result<u32, String> {
    const NAMES: [&str; 14] = [
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
    (NAMES
        .iter()
        .position(|known| known.eq_ignore_ascii_case(name)))
    .and_then(|n| u32::try_from(n).ok())
    .ok_or_else(|| format!("unknown HTTP/2 error code '{name}'"))
}
