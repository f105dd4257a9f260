//! One stub entry of a file: its method, priority, times, delay, match and reply, checked
//! against the method's types.

use prost_reflect::MethodDescriptor;

use super::{CallMatcher, Origin, Stub, StubError, read::Source, reply};
use crate::spanned::{Node, nearest};

const STUB_KEYS: &[&str] = &["method", "priority", "times", "delay", "match", "reply"];

/// Which of the four kinds a method is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kinds {
    pub client_streaming: bool,
    pub server_streaming: bool,
}

impl Kinds {
    pub fn of(method: &MethodDescriptor) -> Kinds {
        Kinds {
            client_streaming: method.is_client_streaming(),
            server_streaming: method.is_server_streaming(),
        }
    }

    pub fn name(self) -> &'static str {
        match (self.client_streaming, self.server_streaming) {
            (false, false) => "unary",
            (false, true) => "server-stream",
            (true, false) => "client-stream",
            (true, true) => "bidi",
        }
    }

    pub fn bidi(self) -> bool {
        self.client_streaming && self.server_streaming
    }
}

/// Compiles one stub.
pub(crate) fn compile(source: &Source<'_>, node: &Node) -> Result<Stub, StubError> {
    let entries = source.mapping(node, "a stub", STUB_KEYS)?;
    let Some(method_node) = node.get("method") else {
        return Err(source.error(node.at, "a stub needs a method (SERVICE/METHOD)"));
    };
    let method = method(source, method_node)?;
    let kinds = Kinds::of(&method);
    let mut matcher = CallMatcher::default();
    let mut reply = super::Reply::default();
    let (mut priority, mut times, mut delay) = (0, None, None);
    for (key, value) in entries {
        match key.text.as_str() {
            "priority" => priority = source.integer(value, "priority")?,
            "times" => times = Some(source.count(value, "times")?),
            "delay" => delay = Some(source.duration(value, "delay")?),
            "match" => matcher = CallMatcher::compile(source, value, &method.input(), kinds)?,
            "reply" => reply = reply::compile(source, value, &method, kinds)?,
            _ => {}
        }
    }
    let origin = Origin {
        file: source.file.clone(),
        line: node.at.line,
    };
    let mut stub = Stub::new(origin, method, matcher, reply);
    stub.priority = priority;
    stub.times = times;
    stub.delay = delay;
    Ok(stub)
}

/// `package.Service/Method` (a `.` before the method is taken too), found in the descriptors.
fn method(source: &Source<'_>, node: &Node) -> Result<MethodDescriptor, StubError> {
    let text = source.string(node, "method")?;
    let (service_name, method_name) = text
        .trim_start_matches('/')
        .rsplit_once(['/', '.'])
        .ok_or_else(|| source.error(node.at, format!("bad method '{text}': write SERVICE/METHOD, e.g. routeguide.RouteGuide/GetFeature")))?;
    let Some(service) = source.pool.get_service_by_name(service_name) else {
        let names: Vec<String> = source
            .pool
            .services()
            .map(|s| s.full_name().to_owned())
            .collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let hint = match nearest(service_name, &names) {
            Some(near) => format!("; did you mean '{near}'?"),
            None if names.is_empty() => String::new(),
            None => format!("; the services are: {}", names.join(", ")),
        };
        return Err(source.error(node.at, format!("unknown service '{service_name}'{hint}")));
    };
    service
        .methods()
        .find(|m| m.name() == method_name)
        .ok_or_else(|| {
            let names: Vec<String> = service.methods().map(|m| m.name().to_owned()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let hint = match nearest(method_name, &names) {
                Some(near) => format!("; did you mean '{near}'?"),
                None => format!("; its methods are: {}", names.join(", ")),
            };
            source.error(
                node.at,
                format!("unknown method '{method_name}' in {service_name}{hint}"),
            )
        })
}
