//! Field paths into a request: `name`, `location.latitude`, `points[0].x`, `points[*].x`. A
//! repeated field without an index means any of its elements. Resolved against the request's
//! type when the stub is loaded.

use base64::Engine as _;
use prost_reflect::{DynamicMessage, FieldDescriptor, Kind, MessageDescriptor, Value};

use crate::spanned::nearest;

/// A resolved path.
#[derive(Debug, Clone)]
pub struct FieldPath {
    /// As it was written.
    pub text: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone)]
enum Step {
    Field(FieldDescriptor),
    Index(usize),
    Each,
}

impl FieldPath {
    /// Resolves `text` against `descriptor`; the path must end at a field that is not a
    /// message (a number, a string, an enum…).
    pub fn parse(text: &str, descriptor: &MessageDescriptor) -> Result<FieldPath, String> {
        let bad = |why: String| format!("bad field path '{text}': {why}");
        let mut steps = Vec::new();
        let mut message = Some(descriptor.clone());
        let mut last: Option<FieldDescriptor> = None;
        for segment in text.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(at) => (&segment[..at], &segment[at..]),
                None => (segment, ""),
            };
            // `points.0.x`, as templates write it, is `points[0].x`.
            if let (Ok(index), Some(field)) = (name.parse::<usize>(), &last)
                && field.is_list()
                && matches!(steps.last(), Some(Step::Field(_)))
                && rest.is_empty()
            {
                steps.push(Step::Index(index));
                continue;
            }
            let Some(current) = message.take() else {
                return Err(bad(format!(
                    "'{name}' follows a field that is not a message"
                )));
            };
            let field = field(&current, name).map_err(bad)?;
            steps.push(Step::Field(field.clone()));
            let mut indexed = false;
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else {
                    return Err(bad("'[' without ']'".into()));
                };
                if !field.is_list() || indexed {
                    return Err(bad(format!("'{}' is not a list", field.name())));
                }
                match &inner[..close] {
                    "*" => steps.push(Step::Each),
                    index => steps.push(Step::Index(index.parse().map_err(|_| {
                        bad(format!(
                            "'[{index}]' is not an index; write [0], [1]… or [*]"
                        ))
                    })?)),
                }
                indexed = true;
                rest = &inner[close + 1..];
            }
            if !rest.is_empty() {
                return Err(bad(format!("unexpected '{rest}'")));
            }
            if field.is_map() {
                return Err(bad(format!(
                    "'{}' is a map; paths cannot enter maps",
                    field.name()
                )));
            }
            message = match field.kind() {
                Kind::Message(inner) => Some(inner),
                _ => None,
            };
            last = Some(field);
        }
        if message.is_some() {
            return Err(bad("it ends at a message; name one of its fields".into()));
        }
        Ok(FieldPath {
            text: text.to_owned(),
            steps,
        })
    }

    /// The text of every value at the path in `message` (none when a list is empty or too
    /// short): strings as they are, numbers in decimal, enums by name, booleans, bytes in base64.
    pub fn texts(&self, message: &DynamicMessage) -> Vec<String> {
        let mut out = Vec::new();
        collect_message(message, &self.steps, &mut out);
        out
    }
}

fn field(descriptor: &MessageDescriptor, name: &str) -> Result<FieldDescriptor, String> {
    descriptor
        .get_field_by_name(name)
        .or_else(|| descriptor.get_field_by_json_name(name))
        .ok_or_else(|| {
            let names: Vec<String> = descriptor.fields().map(|f| f.name().to_owned()).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            match nearest(name, &names) {
                Some(near) => format!(
                    "unknown field '{name}' in {}; did you mean '{near}'?",
                    descriptor.full_name()
                ),
                None => format!("unknown field '{name}' in {}", descriptor.full_name()),
            }
        })
}

fn collect(value: &Value, field: Option<&FieldDescriptor>, steps: &[Step], out: &mut Vec<String>) {
    let Some((step, rest)) = steps.split_first() else {
        match (value, field) {
            (Value::List(items), Some(field)) => {
                items
                    .iter()
                    .for_each(|item| out.push(value_text(item, field)));
            }
            (value, Some(field)) => out.push(value_text(value, field)),
            _ => {}
        }
        return;
    };
    match (step, value) {
        (Step::Field(_), Value::Message(message)) => collect_message(message, steps, out),
        (Step::Index(index), Value::List(items)) => {
            if let Some(item) = items.get(*index) {
                collect(item, field, rest, out);
            }
        }
        (Step::Each, Value::List(items)) => {
            for item in items {
                collect(item, field, rest, out);
            }
        }
        _ => {}
    }
}

/// The values at `steps` (a field first) in `message`.
fn collect_message(message: &DynamicMessage, steps: &[Step], out: &mut Vec<String>) {
    let Some((Step::Field(next), rest)) = steps.split_first() else {
        return;
    };
    let inner = message.get_field(next);
    // A list without an index: each of its elements.
    if next.is_list() && !matches!(rest.first(), Some(Step::Index(_) | Step::Each)) {
        if let Value::List(items) = inner.as_ref() {
            for item in items {
                collect(item, Some(next), rest, out);
            }
        }
        return;
    }
    collect(&inner, Some(next), rest, out);
}

/// A field's value as `matches` sees it.
pub(crate) fn value_text(value: &Value, field: &FieldDescriptor) -> String {
    match value {
        Value::Bool(v) => v.to_string(),
        Value::I32(v) => v.to_string(),
        Value::I64(v) => v.to_string(),
        Value::U32(v) => v.to_string(),
        Value::U64(v) => v.to_string(),
        Value::F32(v) => v.to_string(),
        Value::F64(v) => v.to_string(),
        Value::String(v) => v.clone(),
        Value::Bytes(v) => base64::engine::general_purpose::STANDARD.encode(v),
        Value::EnumNumber(number) => match field.kind() {
            Kind::Enum(descriptor) => descriptor
                .get_value(*number)
                .map(|value| value.name().to_owned())
                .unwrap_or_else(|| number.to_string()),
            _ => number.to_string(),
        },
        Value::Message(message) => serde_json::to_string(message).unwrap_or_default(),
        Value::List(items) => {
            let texts: Vec<String> = items.iter().map(|item| value_text(item, field)).collect();
            format!("[{}]", texts.join(", "))
        }
        Value::Map(map) => format!("{{{} entries}}", map.len()),
    }
}

/// Checks a template's `{{request.a.0.b}}` path against the request's type.
pub(crate) fn check_template_path(
    path: &[String],
    descriptor: &MessageDescriptor,
) -> Result<(), String> {
    let text = path.join(".");
    let mut message = Some(descriptor.clone());
    let mut list = false;
    for (at, step) in path.iter().enumerate() {
        if list && step.parse::<usize>().is_ok() {
            list = false;
            continue;
        }
        if list {
            let before = path[..at].join(".");
            return Err(format!(
                "bad placeholder '{{{{request.{text}}}}}': '{before}' is a list; write an index, \
                 e.g. {before}.0"
            ));
        }
        let Some(current) = message.take() else {
            return Err(format!(
                "bad placeholder '{{{{request.{text}}}}}': '{step}' is not a field"
            ));
        };
        let field = field(&current, step)
            .map_err(|why| format!("bad placeholder '{{{{request.{text}}}}}': {why}"))?;
        list = field.is_list();
        message = match field.kind() {
            Kind::Message(inner) if !field.is_map() => Some(inner),
            _ => None,
        };
    }
    Ok(())
}
