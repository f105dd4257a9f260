//! From the parser's events to a tree of nodes: anchors and aliases expanded, keys checked.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};

use super::{Key, Node, Position, SpanError, Value, resolve};

/// The most nodes a text may hold once its aliases are expanded: beyond it, a few lines of
/// aliases could make billions (an "alias bomb").
pub const MAX_NODES: usize = 1_000_000;

/// The deepest nesting allowed, so that no walk over the tree runs out of stack.
const MAX_DEPTH: usize = 128;

/// Reads `text`, YAML 1.2 or JSON, holding at most one document. An empty text is null.
pub fn parse(text: &str) -> Result<Node, SpanError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|err| SpanError {
            at: Position {
                line: to_u32(err.marker().line()),
                column: to_u32(err.marker().col() + 1),
            },
            message: format!("bad YAML: {}", err.info()),
        })?;
        if builder.event(event, span)? {
            break;
        }
    }
    Ok(builder.root.unwrap_or(Node {
        at: Position { line: 1, column: 1 },
        value: Value::Null,
    }))
}

fn to_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn position(span: &Span) -> Position {
    Position {
        line: to_u32(span.start.line()),
        column: to_u32(span.start.col() + 1),
    }
}

/// A sequence or mapping still being read.
struct Frame {
    at: Position,
    anchor: usize,
    /// Nodes in it so far, itself included.
    size: usize,
    kind: FrameKind,
}

enum FrameKind {
    Sequence(Vec<Node>),
    Mapping {
        entries: Vec<(Key, Node)>,
        key: Option<Key>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    /// Each anchor's node and its size; None while the anchor's own node is being read.
    anchors: HashMap<usize, Option<(Node, usize)>>,
    nodes: usize,
    documents: usize,
    root: Option<Node>,
}

impl Builder {
    /// Takes one event; true once the text's end is reached.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, SpanError> {
        let at = position(&span);
        let fail = |message: String| Err(SpanError { at, message });
        match event {
            Event::StreamEnd => return Ok(true),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return fail("only one YAML document is allowed in a file".into());
                }
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(Some((node, size))) => {
                    let (node, size) = (node.clone(), *size);
                    self.count(size, at)?;
                    self.complete(node, size)?;
                }
                Some(None) => {
                    return fail("this alias is inside its own anchor (a loop)".into());
                }
                None => return fail("this alias names no anchor".into()),
            },
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, at)?;
                let value = scalar(&text, style, tag.as_deref())
                    .map_err(|message| SpanError { at, message })?;
                let node = Node { at, value };
                if anchor != 0 {
                    self.anchors.insert(anchor, Some((node.clone(), 1)));
                }
                self.complete(node, 1)?;
            }
            Event::SequenceStart(anchor, tag) => {
                collection_tag(tag.as_deref(), "seq")
                    .map_err(|message| SpanError { at, message })?;
                self.open(at, anchor, FrameKind::Sequence(Vec::new()))?;
            }
            Event::MappingStart(anchor, tag) => {
                collection_tag(tag.as_deref(), "map")
                    .map_err(|message| SpanError { at, message })?;
                let kind = FrameKind::Mapping {
                    entries: Vec::new(),
                    key: None,
                };
                self.open(at, anchor, kind)?;
            }
            Event::SequenceEnd | Event::MappingEnd => self.close()?,
        }
        Ok(false)
    }
}

impl Builder {
    fn count(&mut self, nodes: usize, at: Position) -> Result<(), SpanError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(SpanError {
                at,
                message: format!(
                    "the text holds more than {MAX_NODES} values once its aliases are expanded"
                ),
            });
        }
        Ok(())
    }

    fn open(&mut self, at: Position, anchor: usize, kind: FrameKind) -> Result<(), SpanError> {
        self.count(1, at)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(SpanError {
                at,
                message: format!("values are nested more than {MAX_DEPTH} deep"),
            });
        }
        if anchor != 0 {
            self.anchors.insert(anchor, None);
        }
        self.stack.push(Frame {
            at,
            anchor,
            size: 1,
            kind,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), SpanError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.kind {
            FrameKind::Sequence(items) => Value::Sequence(items),
            FrameKind::Mapping { entries, .. } => Value::Mapping(entries),
        };
        let node = Node {
            at: frame.at,
            value,
        };
        if frame.anchor != 0 {
            self.anchors
                .insert(frame.anchor, Some((node.clone(), frame.size)));
        }
        self.complete(node, frame.size)
    }

    /// Puts a finished node where it belongs: in the collection being read, or at the root.
    fn complete(&mut self, node: Node, size: usize) -> Result<(), SpanError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        frame.size += size;
        match &mut frame.kind {
            FrameKind::Sequence(items) => items.push(node),
            FrameKind::Mapping { entries, key } => match key.take() {
                Some(key) => entries.push((key, node)),
                None => {
                    let text = key_text(&node)?;
                    if let Some((first, _)) = entries.iter().find(|(k, _)| k.text == text) {
                        return Err(SpanError {
                            at: node.at,
                            message: format!(
                                "duplicate key '{text}' (first at line {})",
                                first.at.line
                            ),
                        });
                    }
                    *key = Some(Key { at: node.at, text });
                }
            },
        }
        Ok(())
    }
}

/// A mapping key's text: keys are scalars.
fn key_text(node: &Node) -> Result<String, SpanError> {
    let text = match &node.value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(value) => value.to_string(),
        Value::Null => "null".to_owned(),
        Value::Sequence(_) | Value::Mapping(_) => {
            return Err(SpanError {
                at: node.at,
                message: format!("a key must be a string, not {}", node.kind()),
            });
        }
    };
    Ok(text)
}

/// A scalar's value: quoted and block scalars are strings; plain ones go through the core
/// schema, unless a core tag (`!!str`, `!!int`…) says otherwise.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if let Some(tag) = tag {
        if !tag.is_yaml_core_schema() {
            return Err(format!("the tag '{tag}' is not supported"));
        }
        return match tag.suffix.as_str() {
            "str" => Ok(Value::String(text.to_owned())),
            "null" | "bool" | "int" | "float" => {
                let value = resolve::plain(text);
                let fits = matches!(
                    (tag.suffix.as_str(), &value),
                    ("null", Value::Null) | ("bool", Value::Bool(_))
                ) || matches!(
                    (tag.suffix.as_str(), &value),
                    ("int" | "float", Value::Number(_))
                );
                match fits {
                    true => Ok(value),
                    false => Err(format!("'{text}' is not a {}", tag.suffix)),
                }
            }
            _ => Err(format!("the tag '{tag}' is not supported here")),
        };
    }
    Ok(match style {
        ScalarStyle::Plain => resolve::plain(text),
        _ => Value::String(text.to_owned()),
    })
}

/// A collection's tag, if any, must be the core one for its kind.
fn collection_tag(tag: Option<&Tag>, kind: &str) -> Result<(), String> {
    match tag {
        Some(tag) if !(tag.is_yaml_core_schema() && tag.suffix == kind) => {
            Err(format!("the tag '{tag}' is not supported"))
        }
        _ => Ok(()),
    }
}
