//! Comparing a request with what a stub wants: `equals` (every field) and `contains` (the fields
//! written, lists by membership). Each difference is told as `path: want X, got Y`.

use prost_reflect::{
    DynamicMessage, FieldDescriptor, MapKey, MessageDescriptor, ReflectMessage as _, Value,
};

use super::paths::value_text;
use crate::spanned::{self, Node};

/// How many conditions failed, and the words for the first.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub failed: usize,
    pub first: Option<String>,
    /// Stop at the first failure (matching); else count them all (explaining a miss).
    pub quick: bool,
}

impl Tally {
    pub fn quick() -> Tally {
        Tally {
            quick: true,
            ..Tally::default()
        }
    }

    pub fn fail(&mut self, words: impl FnOnce() -> String) {
        self.failed += 1;
        if self.first.is_none() && !self.quick {
            self.first = Some(words());
        }
    }

    /// Whether checking may stop: a quick tally that has failed.
    pub fn done(&self) -> bool {
        self.quick && self.failed > 0
    }
}

/// Each field of `want` against `got`'s, recursing into messages.
pub(crate) fn equals(want: &DynamicMessage, got: &DynamicMessage, path: &str, tally: &mut Tally) {
    if tally.quick {
        if want != got && !same_fields(want, got) {
            tally.fail(String::new);
        }
        return;
    }
    for field in want.descriptor().fields() {
        let (w, g) = (want.get_field(&field), got.get_field(&field));
        let here = format!("{path}.{}", field.name());
        match (w.as_ref(), g.as_ref()) {
            (Value::Message(w), Value::Message(g)) if !field.is_list() => {
                equals(w, g, &here, tally)
            }
            (w, g) if !same_value(w, g) => tally.fail(|| {
                format!(
                    "{here}: want {}, got {}",
                    shown(w, &field),
                    shown(g, &field)
                )
            }),
            _ => {}
        }
    }
}

/// Whether every field has the same value, defaults and absent fields being the same.
fn same_fields(want: &DynamicMessage, got: &DynamicMessage) -> bool {
    want.descriptor().fields().all(|field| {
        same_value(
            want.get_field(&field).as_ref(),
            got.get_field(&field).as_ref(),
        )
    })
}

/// Values compared by content: messages field by field, lists and maps element by element.
pub(crate) fn same_value(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Message(w), Value::Message(g)) => same_fields(w, g),
        (Value::List(w), Value::List(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(w, g)| same_value(w, g))
        }
        (Value::Map(w), Value::Map(g)) => {
            w.len() == g.len()
                && w.iter()
                    .all(|(key, w)| g.get(key).is_some_and(|g| same_value(w, g)))
        }
        (w, g) => w == g,
    }
}

fn shown(value: &Value, field: &FieldDescriptor) -> String {
    match value {
        Value::String(text) => serde_json::Value::String(text.clone()).to_string(),
        other => value_text(other, field),
    }
}

/// The fields a `contains` names, with the values they must have.
#[derive(Debug, Clone)]
pub(crate) enum Subset {
    Message(Vec<(FieldDescriptor, Subset)>),
    /// Each element must be among the request's elements; with its text for the miss words.
    List(Vec<(Subset, String)>),
    Map(Vec<(MapKey, Value)>),
    Equal(Value),
}

impl Subset {
    /// The fields written in `node`, valued from `message` (the node parsed).
    pub fn new(node: &Node, message: &DynamicMessage) -> Subset {
        let descriptor = message.descriptor();
        let spanned::Value::Mapping(entries) = &node.value else {
            return Subset::Equal(Value::Message(message.clone()));
        };
        if descriptor.full_name().starts_with("google.protobuf.") {
            return Subset::Equal(Value::Message(message.clone()));
        }
        let fields = entries
            .iter()
            .filter_map(|(key, value)| {
                let field = field_named(&descriptor, &key.text)?;
                let got = message.get_field(&field);
                Some((field.clone(), Subset::of_field(value, got.as_ref(), &field)))
            })
            .collect();
        Subset::Message(fields)
    }

    fn of_field(node: &Node, value: &Value, field: &FieldDescriptor) -> Subset {
        match (value, &node.value) {
            (Value::List(items), spanned::Value::Sequence(nodes)) => Subset::List(
                items
                    .iter()
                    .zip(nodes)
                    .map(|(item, node)| {
                        (Subset::of_element(node, item), node.to_json().to_string())
                    })
                    .collect(),
            ),
            (Value::Map(map), _) => {
                Subset::Map(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            (Value::Message(message), spanned::Value::Mapping(_)) if !field.is_list() => {
                Subset::new(node, message)
            }
            (value, _) => Subset::Equal(value.clone()),
        }
    }

    fn of_element(node: &Node, value: &Value) -> Subset {
        match value {
            Value::Message(message) => Subset::new(node, message),
            other => Subset::Equal(other.clone()),
        }
    }

    /// Conditions: one per leaf.
    pub fn points(&self) -> usize {
        match self {
            Subset::Message(fields) => fields.iter().map(|(_, s)| s.points()).sum(),
            Subset::List(items) => items.iter().map(|(s, _)| s.points()).sum::<usize>().max(1),
            Subset::Map(entries) => entries.len().max(1),
            Subset::Equal(_) => 1,
        }
    }

    /// Checks a message against the subset.
    pub fn check_message(&self, message: &DynamicMessage, path: &str, tally: &mut Tally) {
        let Subset::Message(fields) = self else {
            return self.check(&Value::Message(message.clone()), None, path, tally);
        };
        for (field, subset) in fields {
            if tally.done() {
                return;
            }
            let value = message.get_field(field);
            // The words are only needed to explain a miss.
            let here = match tally.quick {
                true => String::new(),
                false => format!("{path}.{}", field.name()),
            };
            subset.check(&value, Some(field), &here, tally);
        }
    }

    /// Checks `got` against the subset.
    pub fn check(
        &self,
        got: &Value,
        field: Option<&FieldDescriptor>,
        path: &str,
        tally: &mut Tally,
    ) {
        match (self, got) {
            (Subset::Message(_), Value::Message(message)) => {
                self.check_message(message, path, tally);
            }
            (Subset::List(items), Value::List(got_items)) => {
                for (item, text) in items {
                    let found = got_items.iter().any(|got| {
                        let mut inner = Tally::quick();
                        item.check(got, field, path, &mut inner);
                        inner.failed == 0
                    });
                    if !found {
                        tally.fail(|| {
                            format!(
                                "{path}: want an element {text}, got {}",
                                list_text(got, field)
                            )
                        });
                    }
                }
            }
            (Subset::Map(entries), Value::Map(map)) => {
                for (key, want) in entries {
                    if !map.get(key).is_some_and(|got| same_value(want, got)) {
                        tally.fail(|| format!("{path}: want the entry {key:?}"));
                    }
                }
            }
            (Subset::Equal(want), got) => {
                if !same_value(want, got) {
                    tally.fail(|| match field {
                        Some(field) => format!(
                            "{path}: want {}, got {}",
                            shown(want, field),
                            shown(got, field)
                        ),
                        None => format!("{path}: differs"),
                    });
                }
            }
            _ => tally.fail(|| format!("{path}: differs")),
        }
    }
}

fn list_text(value: &Value, field: Option<&FieldDescriptor>) -> String {
    match field {
        Some(field) => value_text(value, field),
        None => "a list".into(),
    }
}

pub(crate) fn field_named(descriptor: &MessageDescriptor, name: &str) -> Option<FieldDescriptor> {
    descriptor
        .get_field_by_json_name(name)
        .or_else(|| descriptor.get_field_by_name(name))
}

/// Leaf fields written in `node` (at least one): `equals`' points.
pub(crate) fn leaves(node: &Node) -> usize {
    match &node.value {
        spanned::Value::Mapping(entries) => {
            entries.iter().map(|(_, v)| leaves(v)).sum::<usize>().max(1)
        }
        spanned::Value::Sequence(items) => items.iter().map(leaves).sum::<usize>().max(1),
        _ => 1,
    }
}

/// `message` encoded with each field at its zero left out (sub-messages too) and unknown fields
/// dropped: two messages `equals` finds the same have the same bytes. None for a type with a map
/// field, whose entries have no fixed order.
pub(crate) fn canonical_bytes(message: &DynamicMessage) -> Option<Vec<u8>> {
    use prost::Message as _;
    if has_map(&message.descriptor(), &mut Vec::new()) {
        return None;
    }
    let mut copy = message.clone();
    normalize(&mut copy);
    Some(copy.encode_to_vec())
}

fn normalize(message: &mut DynamicMessage) {
    message.take_unknown_fields().for_each(drop);
    let set: Vec<FieldDescriptor> = message.fields().map(|(field, _)| field).collect();
    for field in set {
        let zero = {
            let value = message.get_field_mut(&field);
            match value {
                Value::Message(inner) => normalize(inner),
                Value::List(items) => {
                    for item in items.iter_mut() {
                        if let Value::Message(inner) = item {
                            normalize(inner);
                        }
                    }
                }
                _ => {}
            }
            value.is_default_for_field(&field)
        };
        if zero {
            message.clear_field(&field);
        }
    }
}

/// Whether `descriptor` or a message within it has a map field.
fn has_map(descriptor: &MessageDescriptor, seen: &mut Vec<String>) -> bool {
    if seen.iter().any(|name| name == descriptor.full_name()) {
        return false;
    }
    seen.push(descriptor.full_name().to_owned());
    descriptor.fields().any(|field| {
        field.is_map()
            || match field.kind() {
                prost_reflect::Kind::Message(inner) => has_map(&inner, seen),
                _ => false,
            }
    })
}
