//! The one YAML reader: `saphyr-parser`'s events (a YAML 1.2 parser) turned, in one pass,
//! into a JSON value and the position of every node. Everything a handoff must not hold is
//! refused here, with where it was found: a second document, a duplicate key, a list or
//! mapping as a key, nesting deeper than [`MAX_DEPTH`], aliases that expand into a huge
//! value (an alias bomb) and tags other than YAML's core ones. Plain scalars resolve as
//! `serde_yaml` resolves them (YAML 1.2's core schema; digits with a leading zero stay text;
//! `.nan` and `.inf` become the strings `.nan`, `.inf`, `-.inf`, so the schema reports them).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use super::{Position, MAX_DEPTH};

/// Where each node of a value is: a tree shaped like the value.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    /// The node itself (for a mapping entry, its key has its own position in the parent).
    pub(crate) at: Position,
    pub(crate) children: Children,
}

/// The children of a [`Node`].
#[derive(Debug, Clone)]
pub(crate) enum Children {
    /// A scalar, or an alias (whose copied insides are placed at the alias).
    Leaf,
    /// A plain scalar that resolved to a number, boolean or null, with its text as written
    /// (typed reading gives it to a field that wants text, as serde_yaml does).
    Plain(Box<str>),
    /// A sequence's items, in order.
    Sequence(Vec<Node>),
    /// A mapping's entries, sorted by key: the key, where the key is, the value's node.
    Mapping(Vec<(Box<str>, Position, Node)>),
}

/// Why the text was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not YAML: the parser's message.
    Syntax(String),
    /// A second document starts here.
    SecondDocument,
    /// A key repeated in one mapping (the second occurrence).
    DuplicateKey(String),
    /// A list or mapping used as a key.
    ComplexKey,
    /// More than [`MAX_DEPTH`] nested collections.
    TooDeep,
    /// Aliases that copy more than [`MAX_ALIAS_NODES`] nodes.
    AliasBomb,
    /// A tag other than YAML's core ones (`!!str`, `!!int`, ...).
    Tag,
    /// A core tag whose value is not of its type (`!!int abc`).
    TagMismatch(&'static str),
}

/// A refusal and its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused {
    pub(crate) refusal: Refusal,
    pub(crate) at: Position,
}

/// Most nodes aliases may copy in one document (beyond the document's own nodes): a handoff
/// that reuses a person or two needs a few dozen; an alias bomb needs billions.
pub(crate) const MAX_ALIAS_NODES: usize = 100_000;

/// Reads `source`: `Ok(None)` when it holds no document at all (empty, comments only).
pub(crate) fn read(source: &str) -> Result<Option<(Value, Node)>, Refused> {
    read_with(source, true)
}

/// Reads `source` as [`read`] does, with the same refusals (at their positions); without
/// `positions` it keeps no node positions (the node returned is the root's alone), for values
/// whose findings nobody reads, at a fraction of the allocations.
pub(crate) fn read_with(source: &str, positions: bool) -> Result<Option<(Value, Node)>, Refused> {
    Reader {
        last_line: last_line(source),
        positions,
        ..Reader::default()
    }
    .run(source)
}

enum Frame {
    Sequence {
        items: Vec<Value>,
        nodes: Vec<Node>,
        at: Position,
        anchor: usize,
    },
    Mapping {
        map: Map<String, Value>,
        nodes: Vec<(Box<str>, Position, Node)>,
        /// The key waiting for its value, and where it is.
        key: Option<(String, Position)>,
        at: Position,
        anchor: usize,
    },
}

#[derive(Default)]
struct Reader {
    stack: Vec<Frame>,
    /// Anchored values and their node counts, by anchor id.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes copied by aliases so far.
    copied: usize,
    root: Option<(Value, Node)>,
    documents: usize,
    /// The last line that has text: an empty node at the very end (`?` then nothing) is
    /// placed there, not on a line after the file.
    last_line: usize,
    /// Whether to keep every node's position, or the value alone ([`read_with`]).
    positions: bool,
}

fn position(span: &Span, last_line: usize) -> Position {
    if span.start.line() > last_line {
        return Position {
            line: last_line,
            column: 1,
        };
    }
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// The number of the last line (lines end at LF, CRLF or a lone CR, as in YAML).
fn last_line(source: &str) -> usize {
    let bytes = source.as_bytes();
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(at, &b)| b == b'\n' || (b == b'\r' && bytes.get(at + 1) != Some(&b'\n')))
        .count();
    if source.ends_with(['\n', '\r']) {
        breaks.max(1)
    } else {
        breaks + 1
    }
}

impl Reader {
    fn run(mut self, source: &str) -> Result<Option<(Value, Node)>, Refused> {
        let mut parser = Parser::new_from_str(source);
        loop {
            let (event, span) = match parser.next_event() {
                None => break,
                Some(Ok(next)) => next,
                Some(Err(err)) => {
                    let marker = err.marker();
                    return Err(Refused {
                        refusal: Refusal::Syntax(err.info().to_string()),
                        at: Position {
                            line: marker.line(),
                            column: marker.col() + 1,
                        },
                    });
                }
            };
            let at = position(&span, self.last_line);
            let refuse = |refusal| Err(Refused { refusal, at });
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return refuse(Refusal::SecondDocument);
                    }
                }
                Event::Alias(id) => {
                    let Some((value, count)) = self.anchors.get(&id) else {
                        return refuse(Refusal::Syntax("an alias to an unknown anchor".into()));
                    };
                    self.copied += count;
                    if self.copied > MAX_ALIAS_NODES {
                        return refuse(Refusal::AliasBomb);
                    }
                    let value = value.clone();
                    self.complete(value, Node::leaf(at), 0)?;
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let value = match scalar(&text, style, tag.as_deref()) {
                        Ok(value) => value,
                        Err(refusal) => return refuse(refusal),
                    };
                    let node = if self.positions
                        && matches!(style, ScalarStyle::Plain)
                        && !value.is_string()
                    {
                        Node {
                            at,
                            children: Children::Plain(text.as_ref().into()),
                        }
                    } else {
                        Node::leaf(at)
                    };
                    self.complete(value, node, anchor)?;
                }
                Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                    let is_mapping = matches!(event, Event::MappingStart(..));
                    if let Some(tag) = tag.as_deref() {
                        let fits = match core_tag(tag) {
                            Some("map") => is_mapping,
                            Some("seq") => !is_mapping,
                            Some(_) => false,
                            None => non_specific(tag),
                        };
                        if !fits {
                            return refuse(Refusal::Tag);
                        }
                    }
                    if self.stack.len() >= MAX_DEPTH {
                        return refuse(Refusal::TooDeep);
                    }
                    self.stack.push(if is_mapping {
                        Frame::Mapping {
                            map: Map::new(),
                            nodes: Vec::new(),
                            key: None,
                            at,
                            anchor,
                        }
                    } else {
                        Frame::Sequence {
                            items: Vec::new(),
                            nodes: Vec::new(),
                            at,
                            anchor,
                        }
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (value, node, anchor) = match self.stack.pop() {
                        Some(Frame::Sequence {
                            items,
                            nodes,
                            at,
                            anchor,
                        }) => (
                            Value::Array(items),
                            Node {
                                at,
                                children: Children::Sequence(nodes),
                            },
                            anchor,
                        ),
                        Some(Frame::Mapping {
                            map,
                            mut nodes,
                            at,
                            anchor,
                            ..
                        }) => {
                            if self.positions {
                                nodes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                            }
                            (
                                Value::Object(map),
                                Node {
                                    at,
                                    children: Children::Mapping(nodes),
                                },
                                anchor,
                            )
                        }
                        None => return refuse(Refusal::Syntax("an unbalanced collection".into())),
                    };
                    self.complete(value, node, anchor)?;
                }
            }
        }
        Ok(self.root)
    }

    /// A finished node goes into its parent (or becomes the root); an anchored one is kept
    /// for its aliases.
    fn complete(&mut self, value: Value, node: Node, anchor: usize) -> Result<(), Refused> {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), count(&value)));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some((value, node));
                }
            }
            Some(Frame::Sequence { items, nodes, .. }) => {
                items.push(value);
                if self.positions {
                    nodes.push(node);
                }
            }
            Some(Frame::Mapping {
                map, nodes, key, ..
            }) => match key.take() {
                Some((key, key_at)) => {
                    if self.positions {
                        nodes.push((key.as_str().into(), key_at, node));
                    }
                    map.insert(key, value);
                }
                None => {
                    let name = match value {
                        Value::String(name) => name,
                        Value::Null => "null".to_string(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        Value::Array(_) | Value::Object(_) => {
                            return Err(Refused {
                                refusal: Refusal::ComplexKey,
                                at: node.at,
                            })
                        }
                    };
                    if map.contains_key(&name) {
                        return Err(Refused {
                            refusal: Refusal::DuplicateKey(name),
                            at: node.at,
                        });
                    }
                    *key = Some((name, node.at));
                }
            },
        }
        Ok(())
    }
}

impl Node {
    fn leaf(at: Position) -> Node {
        Node {
            at,
            children: Children::Leaf,
        }
    }
}

/// How many nodes a value has (what an alias to it copies).
fn count(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Object(map) => 1 + map.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

/// A scalar's value: quoted and block scalars are text; plain ones resolve by their form; a
/// core tag (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`) or the non-specific `!` decides
/// instead.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Result<Value, Refusal> {
    let Some(tag) = tag else {
        return Ok(match style {
            ScalarStyle::Plain => resolve_plain(text),
            _ => Value::String(text.to_string()),
        });
    };
    let Some(core) = core_tag(tag) else {
        return if non_specific(tag) {
            Ok(Value::String(text.to_string()))
        } else {
            Err(Refusal::Tag)
        };
    };
    let resolved = resolve_plain(text);
    let fits = |ok: bool, kind| {
        if ok {
            Ok(resolved.clone())
        } else {
            Err(Refusal::TagMismatch(kind))
        }
    };
    match core {
        "str" => Ok(Value::String(text.to_string())),
        "null" => fits(resolved.is_null(), "null"),
        "bool" => fits(resolved.is_boolean(), "a boolean"),
        "int" => fits(
            resolved.is_i64() || resolved.is_u64() || is_big_integer(text),
            "an integer",
        ),
        "float" => match resolved {
            Value::Number(n) => Ok(Value::Number(
                n.as_f64().and_then(Number::from_f64).unwrap_or(n),
            )),
            Value::String(ref s) if matches!(s.as_str(), ".nan" | ".inf" | "-.inf") => Ok(resolved),
            _ => Err(Refusal::TagMismatch("a number")),
        },
        _ => Err(Refusal::Tag),
    }
}

const CORE: &str = "tag:yaml.org,2002:";

/// The name of a core tag (`!!str`, `!<tag:yaml.org,2002:str>` → `str`).
fn core_tag(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE {
        Some(&tag.suffix)
    } else if tag.handle.is_empty() {
        tag.suffix.strip_prefix(CORE)
    } else {
        None
    }
}

/// The non-specific tag `!`: a plain string, a collection as it is.
fn non_specific(tag: &Tag) -> bool {
    tag.handle.is_empty() && tag.suffix == "!"
}

fn is_big_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// A plain scalar's value as `serde_yaml` (and `serde_norway`) resolve it.
pub(crate) fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    // Cheap exit for text: every number starts with a digit, a sign or a dot.
    let first = text.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::String(text.to_string());
    }
    if let Some(int) = parse_unsigned(text, u64::from_str_radix) {
        return Value::from(int);
    }
    if let Some(int) = parse_negative(text, i64::from_str_radix) {
        return Value::from(int);
    }
    // Beyond 64 bits JSON keeps the magnitude, not every digit.
    if let Some(int) = parse_unsigned(text, u128::from_str_radix) {
        return float(int as f64);
    }
    if let Some(int) = parse_negative(text, i128::from_str_radix) {
        return float(int as f64);
    }
    if !digits_but_not_number(text) {
        if let Some(value) = parse_float(text) {
            return float(value);
        }
    }
    Value::String(text.to_string())
}

fn float(value: f64) -> Value {
    match Number::from_f64(value) {
        Some(number) => Value::Number(number),
        None if value.is_nan() => Value::String(".nan".into()),
        None if value > 0.0 => Value::String(".inf".into()),
        None => Value::String("-.inf".into()),
    }
}

type Radix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

fn parse_unsigned<T>(text: &str, from_str_radix: Radix<T>) -> Option<T> {
    let unsigned = text.strip_prefix('+').unwrap_or(text);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = unsigned.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if unsigned.starts_with(['+', '-']) || digits_but_not_number(text) {
        return None;
    }
    from_str_radix(unsigned, 10).ok()
}

fn parse_negative<T>(text: &str, from_str_radix: Radix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = text.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if digits_but_not_number(text) {
        return None;
    }
    from_str_radix(text, 10).ok()
}

fn parse_float(text: &str) -> Option<f64> {
    let unsigned = match text.strip_prefix('+') {
        Some(rest) if rest.starts_with(['+', '-']) => return None,
        Some(rest) => rest,
        None => text,
    };
    if let ".inf" | ".Inf" | ".INF" = unsigned {
        return Some(f64::INFINITY);
    }
    if let "-.inf" | "-.Inf" | "-.INF" = text {
        return Some(f64::NEG_INFINITY);
    }
    if let ".nan" | ".NaN" | ".NAN" = text {
        return Some(f64::NAN);
    }
    unsigned.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Leading zeros followed by digits are text in YAML 1.2 (not an octal number).
fn digits_but_not_number(text: &str) -> bool {
    let text = text.strip_prefix(['-', '+']).unwrap_or(text);
    text.len() > 1 && text.starts_with('0') && text[1..].bytes().all(|b| b.is_ascii_digit())
}
