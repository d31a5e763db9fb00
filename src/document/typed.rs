//! Typed reading of configuration-like YAML (roster, playbooks, reviews): the value and node
//! positions from [`super::reader`] drive a serde `Deserializer`, so an error names the line
//! and column of the node it concerns. Error messages name types and key names, never the
//! file's values: a YAML file that is really a credential must not be printed by a parse error.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Unexpected, Visitor};
use serde_json::Value;

use super::reader::{Children, Node};
use super::Position;

/// A typed reading failure, at a position (line 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// The file, as the caller named it.
    pub path: String,
    /// What is wrong (no values quoted).
    pub message: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
}

impl YamlError {
    /// "line L, column C: message" (without the path).
    pub fn located(&self) -> String {
        if self.line == 0 {
            self.message.clone()
        } else {
            format!(
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.located())
    }
}

impl std::error::Error for YamlError {}

/// A deserialisation error and the position of the innermost node that saw it.
#[derive(Debug)]
pub(crate) struct Error {
    pub(crate) message: String,
    pub(crate) at: Option<Position>,
}

impl Error {
    fn at(mut self, at: Position) -> Error {
        self.at.get_or_insert(at);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// What kind of thing a value was, without the value itself.
fn kind(unexpected: &Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "an integer",
        Unexpected::Float(_) => "a number",
        Unexpected::Char(_) | Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null (an empty value)",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct | Unexpected::NewtypeVariant => "a wrapped value",
        Unexpected::Seq => "a list",
        Unexpected::Map => "a mapping",
        Unexpected::Enum | Unexpected::UnitVariant => "a choice",
        Unexpected::TupleVariant | Unexpected::StructVariant => "a choice with fields",
        Unexpected::Other(_) => "a value",
    }
}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error {
            message: message.to_string(),
            at: None,
        }
    }
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "found {}, expected {expected}",
            kind(&unexpected)
        ))
    }
    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "this {} is not allowed here, expected {expected}",
            kind(&unexpected)
                .trim_start_matches("a ")
                .trim_start_matches("an ")
        ))
    }
    fn invalid_length(length: usize, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!("{length} items, expected {expected}"))
    }
    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Self::custom(format_args!(
            "not one of the allowed values: {}",
            expected.join(", ")
        ))
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        // A key name is structure, not content: it is shown (escaped) to point at the typo.
        let field = field.escape_debug().to_string();
        let field: String = field.chars().take(60).collect();
        if expected.is_empty() {
            Self::custom(format_args!(
                "unknown key `{field}`: no keys are allowed here"
            ))
        } else {
            Self::custom(format_args!(
                "unknown key `{field}`, expected one of {}",
                expected
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
    fn missing_field(field: &'static str) -> Self {
        Self::custom(format_args!("missing key `{field}`"))
    }
    fn duplicate_field(field: &'static str) -> Self {
        Self::custom(format_args!("duplicate key `{field}`"))
    }
}

/// One node: its value and, when known, its positions.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub(crate) value: &'a Value,
    pub(crate) node: Option<&'a Node>,
    /// Where errors about this node point (a mapping entry's value: its own position).
    pub(crate) at: Position,
}

impl<'a> At<'a> {
    fn child_of_sequence(&self, index: usize, value: &'a Value) -> At<'a> {
        let node = match self.node.map(|n| &n.children) {
            Some(Children::Sequence(nodes)) => nodes.get(index),
            _ => None,
        };
        At {
            value,
            node,
            at: node.map_or(self.at, |n| n.at),
        }
    }

    fn entry_of_mapping(&self, key: &str, value: &'a Value) -> (Position, At<'a>) {
        let entry = match self.node.map(|n| &n.children) {
            Some(Children::Mapping(entries)) => entries
                .binary_search_by(|(name, ..)| (**name).cmp(key))
                .ok()
                .map(|i| &entries[i]),
            _ => None,
        };
        let key_at = entry.map_or(self.at, |(_, at, _)| *at);
        let node = entry.map(|(_, _, node)| node);
        (
            key_at,
            At {
                value,
                node,
                at: node.map_or(key_at, |n| n.at),
            },
        )
    }
}

impl<'de, 'a> Deserializer<'de> for At<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let result = match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or_default())
                }
            }
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Items {
                parent: self,
                items: items.iter().enumerate(),
            }),
            Value::Object(map) => visitor.visit_map(Entries {
                parent: self,
                entries: map.iter(),
                pending: None,
            }),
        };
        result.map_err(|err| err.at(self.at))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
        .map_err(|err| err.at(self.at))
    }

    /// A field that wants text takes a plain number, boolean or null as written (`name: 12`
    /// is the name "12", `version: 1.10` the text "1.10"), as serde_yaml does.
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.node.map(|n| &n.children) {
            Some(Children::Plain(text)) => visitor
                .visit_str::<Error>(text)
                .map_err(|err| err.at(self.at)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor
            .visit_newtype_struct(self)
            .map_err(|err| err.at(self.at))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::String(s) => {
                let variant: de::value::StrDeserializer<'_, Error> = s.as_str().into_deserializer();
                visitor.visit_enum(variant)
            }
            _ => Err(de::Error::invalid_type(
                match self.value {
                    Value::Array(_) => Unexpected::Seq,
                    Value::Object(_) => Unexpected::Map,
                    Value::Null => Unexpected::Unit,
                    Value::Bool(b) => Unexpected::Bool(*b),
                    _ => Unexpected::Float(0.0),
                },
                &"one of the allowed names",
            )),
        }
        .map_err(|err| err.at(self.at))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

struct Items<'a, I> {
    parent: At<'a>,
    items: I,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Value)>> de::SeqAccess<'de> for Items<'a, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            None => Ok(None),
            Some((index, value)) => {
                // An error a `Deserialize` impl raises after reading the item (a value that
                // parses but is refused) points at the item, not at the list.
                let child = self.parent.child_of_sequence(index, value);
                let at = child.at;
                seed.deserialize(child).map(Some).map_err(|err| err.at(at))
            }
        }
    }
}

struct Entries<'a> {
    parent: At<'a>,
    entries: serde_json::map::Iter<'a>,
    pending: Option<At<'a>>,
}

impl<'de, 'a> de::MapAccess<'de> for Entries<'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let (key_at, child) = self.parent.entry_of_mapping(key, value);
        self.pending = Some(child);
        let name: de::value::StrDeserializer<'_, Error> = key.as_str().into_deserializer();
        seed.deserialize(name)
            .map(Some)
            .map_err(|err| err.at(key_at))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.pending.take() {
            Some(child) => {
                // As for list items: a refusal raised after reading points at the value.
                let at = child.at;
                seed.deserialize(child).map_err(|err| err.at(at))
            }
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}
