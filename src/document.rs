//! A parsed handoff: the source text, its value as JSON, and the position (line and column) of
//! every node. The YAML parser is used only here.
//!
//! One reader ([`reader`], over `saphyr-parser`'s events, a YAML 1.2 parser) builds the value
//! and the positions in the same pass, and refuses there, with their positions, what a handoff
//! must not hold: a second document, duplicate keys, deep nesting, alias bombs, tags other
//! than YAML's core ones. Before it, cheap checks on the bytes refuse what is not text (size,
//! UTF-16, bad UTF-8, NUL) and nesting too deep to parse quickly; a UTF-8 byte-order mark,
//! which YAML allows at the start of a stream, is skipped. [`from_yaml`] reads
//! configuration-like YAML (roster, playbooks, reviews) into a typed value with the same
//! reader, with errors that give line and column and never quote a value.

mod reader;
mod typed;

use serde::de::DeserializeOwned;
use serde_json::Value;

use reader::{Children, Node, Refusal, Refused};
pub use typed::YamlError;

/// A handoff file parsed into a JSON value.
#[derive(Debug, Clone)]
pub struct Document {
    /// The source text (without a byte-order mark).
    pub source: String,
    /// The parsed value.
    pub value: Value,
    /// Where each node of `value` is in `source`.
    pub positions: PositionIndex,
}

/// Why a file could not be parsed, with the position where that was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
}

impl ParseFailure {
    fn new(
        message: impl Into<String>,
        help: impl Into<String>,
        line: usize,
        column: usize,
    ) -> Self {
        ParseFailure {
            message: message.into(),
            help: help.into(),
            line,
            column,
        }
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

const BOM: &str = "\u{feff}";

/// Parses the bytes of a handoff file. `max_size` is the configured cap in bytes.
pub fn parse(bytes: &[u8], max_size: u64) -> Result<Document, ParseFailure> {
    parse_with(bytes, max_size, true)
}

/// Parses the bytes of a handoff file as [`parse`] does (the same checks and refusals, with
/// their positions), keeping the value without the positions of its nodes: for versions whose
/// findings nobody reads (history's scores, statuses and receivers). A finding on the result
/// points at line 1.
pub fn parse_value(bytes: &[u8], max_size: u64) -> Result<Document, ParseFailure> {
    parse_with(bytes, max_size, false)
}

fn parse_with(bytes: &[u8], max_size: u64, positions: bool) -> Result<Document, ParseFailure> {
    let source = text_of(bytes, max_size)?;
    if is_blank(source) {
        return Err(ParseFailure::new(
            "the file is empty",
            "start from a template: `handoff new TYPE NAME`",
            1,
            1,
        ));
    }
    match reader::read_with(source, positions) {
        Ok(Some((value, _))) if value.is_null() => Err(no_value()),
        Ok(None) => Err(no_value()),
        Ok(Some((value, node))) => Ok(Document {
            source: source.to_string(),
            value,
            positions: PositionIndex {
                root: positions.then_some(node),
            },
        }),
        Err(refused) => Err(failure(refused)),
    }
}

fn no_value() -> ParseFailure {
    ParseFailure::new(
        "the file holds no value",
        "start from a template: `handoff new TYPE NAME`",
        1,
        1,
    )
}

/// The checks on raw bytes every YAML file gets: size, encoding, NUL, nesting depth. Returns
/// the text without a leading byte-order mark.
fn text_of(bytes: &[u8], max_size: u64) -> Result<&str, ParseFailure> {
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64, max_size));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseFailure::new(
            "the file is UTF-16, not UTF-8",
            "save it as UTF-8 (in VS Code: \"Save with Encoding\" → UTF-8)",
            1,
            1,
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, column) = line_column_of_byte(bytes, err.valid_up_to());
            return Err(ParseFailure::new(
                "the file is not valid UTF-8",
                "save it as UTF-8; the first bad byte is at the position shown",
                line,
                column,
            ));
        }
    };
    // YAML allows a byte-order mark at the start of a stream; it is not part of the text.
    let source = text.strip_prefix(BOM).unwrap_or(text);
    if let Some(offset) = source.find('\0') {
        let (line, column) = line_column_of_byte(source.as_bytes(), offset);
        return Err(ParseFailure::new(
            "the file contains a NUL byte",
            "a handoff is a text file; remove the NUL byte (was a binary file saved as .yaml?)",
            line,
            column,
        ));
    }
    if let Some((line, column)) = too_deep(source) {
        return Err(ParseFailure::new(
            format!("the file is nested too deeply (more than {MAX_DEPTH} levels)"),
            "a handoff is a few levels deep; flatten the nesting",
            line,
            column,
        ));
    }
    Ok(source)
}

/// Whether `bytes` start with a UTF-8 byte-order mark (skipped by [`parse`]).
pub fn starts_with_bom(bytes: &[u8]) -> bool {
    bytes.starts_with(BOM.as_bytes())
}

/// Reads configuration-like YAML (a roster, a playbook, a reviews file) into `T` with the one
/// reader: the same refusals as a handoff (duplicate keys, depth, alias bombs, tags), then
/// serde. `path` names the file in the error, which gives the line and column and quotes
/// key names but never values. An empty file reads as null.
pub fn from_yaml<T: DeserializeOwned>(text: &str, path: &str) -> Result<T, YamlError> {
    let error = |message: String, line: usize, column: usize| YamlError {
        path: path.to_string(),
        message,
        line,
        column,
    };
    let source = text_of(text.as_bytes(), u64::MAX)
        .map_err(|failure| error(failure.message, failure.line, failure.column))?;
    let (value, node) = match reader::read(source) {
        Ok(Some((value, node))) => (value, Some(node)),
        Ok(None) => (Value::Null, None),
        Err(refused) => {
            let failure = failure(refused);
            return Err(error(failure.message, failure.line, failure.column));
        }
    };
    let start = node
        .as_ref()
        .map_or(Position { line: 1, column: 1 }, |n| n.at);
    let root = typed::At {
        value: &value,
        node: node.as_ref(),
        at: start,
    };
    T::deserialize(root).map_err(|err| {
        let at = err.at.unwrap_or(start);
        error(err.message, at.line, at.column)
    })
}

/// Writes `value` as YAML (block style), for the files the tool writes (reviews).
pub fn to_yaml<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_norway::to_string(value).map_err(|err| err.to_string())
}

fn failure(refused: Refused) -> ParseFailure {
    let Refused { refusal, at } = refused;
    let (message, help) = match refusal {
        Refusal::SecondDocument => (
            "the file holds more than one YAML document".to_string(),
            "one handoff per file: move the second document (after `---`) into its own file",
        ),
        Refusal::DuplicateKey(key) => (
            format!("duplicate key `{}`", shown_key(&key)),
            "remove one of the two entries; a repeated key would silently drop data",
        ),
        Refusal::ComplexKey => (
            "a mapping key must be a plain name, not a list or mapping".to_string(),
            "write the key as a plain name (`name: value`)",
        ),
        Refusal::TooDeep => (
            format!("the file is nested too deeply (more than {MAX_DEPTH} levels)"),
            "a handoff is a few levels deep; flatten the nesting",
        ),
        Refusal::AliasBomb => (
            format!(
                "aliases expand into too large a document (alias bomb: more than {} copied nodes)",
                reader::MAX_ALIAS_NODES
            ),
            "remove the YAML aliases (*name) that expand into a huge document",
        ),
        Refusal::Tag => (
            "YAML tags (`!tag value`) are not supported; only YAML's core tags (`!!str`, `!!int`, ...) are"
                .to_string(),
            "remove the tag",
        ),
        Refusal::TagMismatch(kind) => (
            format!("a value tagged as {kind} is not {kind}"),
            "remove the tag, or write a value of its type",
        ),
        Refusal::Syntax(message) => (
            format!("invalid YAML: {message}"),
            "fix the YAML syntax at the position shown (indentation, a missing `:`, an unclosed quote or bracket)",
        ),
    };
    ParseFailure::new(message, help, at.line, at.column)
}

/// A key for a message: escaped (no line breaks or control characters) and shortened.
fn shown_key(key: &str) -> String {
    let escaped = key.escape_debug().to_string();
    if escaped.chars().count() > 60 {
        let cut: String = escaped.chars().take(57).collect();
        format!("{cut}...")
    } else {
        escaped
    }
}

fn too_large(size: u64, max_size: u64) -> ParseFailure {
    ParseFailure::new(
        format!("the file is {size} bytes, over the {max_size}-byte limit"),
        "a handoff is a few kilobytes: move attachments out of it, or raise max_file_size in handoff.toml",
        1,
        1,
    )
}

/// The failure for a file whose size (from its metadata) is over the cap, before reading it.
pub fn oversized(size: u64, max_size: u64) -> ParseFailure {
    too_large(size, max_size)
}

/// Deepest nesting accepted. A handoff needs about five levels; the YAML parser slows down
/// with flow nesting depth, so depth is checked on the raw text first.
pub const MAX_DEPTH: usize = 64;
/// A cheap scan of the raw text for nesting deeper than [`MAX_DEPTH`]: flow brackets outside
/// quotes and comments, plus block indentation levels and `- ` sequence entries. It may
/// over-count in odd texts (it never under-counts brackets), which only means a clear error.
fn too_deep(source: &str) -> Option<(usize, usize)> {
    // Bytes, not chars: every byte this looks at is ASCII, and UTF-8 continuation bytes never
    // equal an ASCII byte. Columns are counted in chars only for the error.
    let mut flow: usize = 0;
    let mut indents: Vec<usize> = Vec::new();
    let column_of =
        |line: &[u8], at: usize| String::from_utf8_lossy(&line[..at]).chars().count() + 1;
    for (number, line) in source.as_bytes().split(|&b| b == b'\n').enumerate() {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let body = &line[indent..];
        if flow == 0 && !body.is_empty() && body[0] != b'#' && body != b"\r" {
            while indents.last().is_some_and(|&top| top >= indent) {
                indents.pop();
            }
            indents.push(indent);
            let dashes = body.chunks(2).take_while(|pair| *pair == b"- ").count();
            if indents.len() + dashes > MAX_DEPTH {
                return Some((number + 1, indent + 1));
            }
        }
        if !body.contains(&b'[') && !body.contains(&b'{') && flow == 0 {
            continue;
        }
        let mut quote: Option<u8> = None;
        let mut previous = b' ';
        for (offset, &c) in body.iter().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, b'#') if previous == b' ' || previous == b'\t' => break,
                (None, b'"' | b'\'') if matches!(previous, b' ' | b'[' | b'{' | b',' | b':') => {
                    quote = Some(c)
                }
                (None, b'[' | b'{') => {
                    flow += 1;
                    if flow + indents.len() > MAX_DEPTH {
                        return Some((number + 1, column_of(line, indent + offset)));
                    }
                }
                (None, b']' | b'}') => flow = flow.saturating_sub(1),
                _ => {}
            }
            previous = c;
        }
    }
    None
}

fn is_blank(source: &str) -> bool {
    source.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    })
}

fn line_column_of_byte(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// The map from JSON pointers (`/customer/company`, `/risks/0`) to positions in the source,
/// built by the reader in the same pass as the value. A mapping entry is placed at its key
/// (where a writer looks for the field); a list item at the item. Looking a pointer up costs
/// its depth times the log of each mapping's size.
#[derive(Debug, Clone, Default)]
pub struct PositionIndex {
    root: Option<Node>,
}

impl PositionIndex {
    /// The position of `pointer`, or of its nearest ancestor that has one (line 1, column 1
    /// for the root of an index without nodes).
    pub fn locate(&self, pointer: &str) -> Position {
        self.find(pointer).0
    }

    /// The position of `pointer` and whether it is that node's own (not an ancestor's).
    fn find(&self, pointer: &str) -> (Position, bool) {
        let Some(mut node) = self.root.as_ref() else {
            return (Position { line: 1, column: 1 }, pointer.is_empty());
        };
        let mut found = node.at;
        if pointer.is_empty() {
            return (found, true);
        }
        let Some(tokens) = pointer.strip_prefix('/') else {
            return (found, false);
        };
        for token in tokens.split('/') {
            let token = unescape(token);
            match &node.children {
                Children::Sequence(items) => {
                    let item = token
                        .parse::<usize>()
                        .ok()
                        .filter(|_| !token.starts_with('+'))
                        .and_then(|index| items.get(index));
                    match item {
                        Some(item) => {
                            node = item;
                            found = item.at;
                        }
                        None => return (found, false),
                    }
                }
                Children::Mapping(entries) => {
                    match entries.binary_search_by(|(key, ..)| (**key).cmp(token.as_ref())) {
                        Ok(at) => {
                            found = entries[at].1;
                            node = &entries[at].2;
                        }
                        Err(_) => return (found, false),
                    }
                }
                Children::Leaf | Children::Plain(_) => return (found, false),
            }
        }
        (found, true)
    }
}

fn unescape(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~").into()
    } else {
        token.into()
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_json::{Map, Number};
    use std::fmt;

    /// `serde_norway`'s reading of a text (the libyaml port), as a strict JSON value: the
    /// oracle the differential tests compare the reader with.
    fn libyaml(text: &str) -> Option<Value> {
        serde_norway::from_str::<StrictValue>(text)
            .map(|v| v.0)
            .ok()
    }

    /// Texts in the forms the YAML test suite shows libyaml reading wrongly (so the reader,
    /// which follows the suite, differs): a `|`/`>` text at the end of a file without a line
    /// break (JEF9, L24T), a kept (`|+`) text's trailing blank lines (the issue's "trailing
    /// blank lines dropped"), an anchor name with a `:` (`&an:chor`, 2SXE), a plain scalar
    /// starting with `?` (`?foo`, 652Z); and NEL, U+2028 and U+2029, which are line breaks to
    /// libyaml's YAML 1.1 and ordinary characters to YAML 1.2. The differential tests skip
    /// these.
    pub(super) fn libyaml_is_known_wrong(text: &str) -> bool {
        let bytes = text.as_bytes();
        let block_header = |at: usize| matches!(bytes[at], b'|' | b'>');
        !text.ends_with('\n')
            || text.contains(['\u{85}', '\u{2028}', '\u{2029}'])
            || (0..bytes.len()).any(|at| {
                (block_header(at) && bytes[at + 1..].iter().take(3).any(|&b| b == b'+'))
                    || (bytes[at] == b'&'
                        && bytes[at + 1..]
                            .iter()
                            .take_while(|b| !b.is_ascii_whitespace())
                            .any(|&b| b == b':'))
                    || (bytes[at] == b'?'
                        && bytes.get(at + 1).is_some_and(|b| !b.is_ascii_whitespace()))
            })
    }

    /// A JSON value deserialized from YAML that refuses duplicate keys and keeps non-finite floats
    /// as strings (so the schema reports them instead of the JSON layer dropping them).
    struct StrictValue(Value);

    impl<'de> Deserialize<'de> for StrictValue {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(StrictVisitor).map(StrictValue)
        }
    }

    struct StrictVisitor;

    impl<'de> Visitor<'de> for StrictVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a YAML value")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(Value::Bool(v))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(Value::Number(v.into()))
        }
        fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
            // Beyond 64 bits JSON keeps the magnitude, not every digit.
            self.visit_f64(v as f64)
        }
        fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
            self.visit_f64(v as f64)
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(match Number::from_f64(v) {
                Some(number) => Value::Number(number),
                None if v.is_nan() => Value::String(".nan".into()),
                None if v > 0.0 => Value::String(".inf".into()),
                None => Value::String("-.inf".into()),
            })
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(Value::String(v.to_string()))
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(Value::String(v))
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_none<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            StrictValue::deserialize(d).map(|v| v.0)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(StrictValue(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Value::Array(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
            let mut object = Map::new();
            while let Some(KeyString(key)) = map.next_key()? {
                let StrictValue(value) = map.next_value()?;
                if object.contains_key(&key) {
                    return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                }
                object.insert(key, value);
            }
            Ok(Value::Object(object))
        }
        fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
            Err(de::Error::custom(
                "YAML tags (`!tag value`) are not supported in a handoff; remove the tag",
            ))
        }
    }

    /// A mapping key, as a string (YAML allows numbers, booleans and null as keys).
    struct KeyString(String);

    impl<'de> Deserialize<'de> for KeyString {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            match StrictValue::deserialize(deserializer)?.0 {
                Value::String(s) => Ok(KeyString(s)),
                Value::Null => Ok(KeyString("null".into())),
                Value::Bool(b) => Ok(KeyString(b.to_string())),
                Value::Number(n) => Ok(KeyString(n.to_string())),
                Value::Array(_) | Value::Object(_) => Err(de::Error::custom(
                    "a mapping key must be a plain name, not a list or mapping",
                )),
            }
        }
    }

    fn ok(text: &str) -> Value {
        parse(text.as_bytes(), DEFAULT).unwrap().value
    }
    fn fail(text: &[u8]) -> ParseFailure {
        parse(text, DEFAULT).unwrap_err()
    }
    const DEFAULT: u64 = 1 << 20;

    #[test]
    fn the_examples_read_as_libyaml_reads_them() {
        let examples = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/handoffs"))
            .unwrap()
            .flat_map(|dir| std::fs::read_dir(dir.unwrap().path()).unwrap())
            .map(|file| std::fs::read_to_string(file.unwrap().path()).unwrap());
        let mut count = 0;
        for text in examples {
            assert_eq!(Some(ok(&text)), libyaml(&text), "{text}");
            count += 1;
        }
        assert!(count >= 10);
        // Scalars resolve as serde_yaml resolves them.
        for (text, value) in [
            ("a: 0x1F\n", Value::from(31)),
            ("a: 1e3\n", Value::from(1000.0)),
            ("a: .inf\n", Value::from(".inf")),
            ("a: +5\n", Value::from(5)),
            ("a: 007\n", Value::from("007")),
            ("a: -12\n", Value::from(-12)),
            ("a: 2.50\n", Value::from(2.5)),
            ("a: 12:30\n", Value::from("12:30")),
            ("a: nan\n", Value::from("nan")),
            ("a: ~\n", Value::Null),
            (
                "a: 123456789012345678901234567890\n",
                Value::from(1.2345678901234568e29),
            ),
        ] {
            assert_eq!(ok(text)["a"], value, "{text}");
            assert_eq!(libyaml(text).unwrap()["a"], value, "{text}");
        }
        // YAML's core tags and the non-specific `!` decide a scalar's type; others are refused.
        assert_eq!(ok("a: !!str 12\n")["a"], "12");
        assert_eq!(ok("a: ! 12\n")["a"], "12");
        assert_eq!(ok("a: !!float 1\n")["a"], 1.0);
        assert!(fail(b"a: !!int x\n").message.contains("not an integer"));
        assert!(fail(b"a: !secret x\n").message.contains("tags"));
        assert_eq!(ok("a: &x 1\nb: *x\n")["b"], 1);
    }

    /// Texts where saphyr's events and libyaml part, found by a review of the earlier fast
    /// readers.
    #[test]
    fn where_saphyr_and_libyaml_part() {
        let long_key = format!("{}: v\n", "a".repeat(1025));
        let long_flow_key = format!("k: {{{}: v}}\n", "a".repeat(1025));
        let wide_key = format!("k: v\n{}: v\n", "é".repeat(513));
        let spaced_flow_key = format!("k: {{a{}: b}}\n", " ".repeat(1024));
        let deep_dashes = format!("k:\n{}x\n", "-   ".repeat(130));
        let deep_flow = format!("k: [a 'b, {}x{}]\n", "[".repeat(130), "]".repeat(130));
        // A last `|`/`>` text that runs to the end of the file without a line break: the
        // reader ends it with one, as the YAML test suite does (JEF9/02, L24T/01); libyaml
        // does not.
        assert_eq!(ok("k: |\n  a")["k"], "a\n");
        assert_eq!(ok("k: >\n  a\n  b")["k"], "a b\n");
        assert_eq!(ok("k:\n- |\n  a")["k"][0], "a\n");
        assert_eq!(ok("k: |\n  a\n   ")["k"], "a\n \n");
        assert_eq!(libyaml("k: |\n  a").unwrap()["k"], "a");
        // libyaml's reading, and the reader's: the same.
        for text in [
            "k: >-\n  a",
            "k: |-\n  a\n\n",
            "k: |+\n  a\n",
            // Keys past the 1,024-character limit of implicit keys.
            &long_key,
            // Nesting past the recursion limit that the depth scan under-counts.
            &deep_dashes,
            &deep_flow,
        ] {
            let ours = parse(text.as_bytes(), DEFAULT).ok().map(|d| d.value);
            assert_eq!(ours, libyaml(text), "{text:?}");
        }
        // Texts libyaml refuses and YAML 1.2 (and the reader) accept, or where the reader is
        // lenient about a limit of the spec (a flow key's `:` on the next line, a flow key
        // over 1,024 characters): each has one
        // obvious reading, and that is the reader's.
        let obvious = |text: &str| parse(text.as_bytes(), DEFAULT).unwrap().value;
        let null = Value::Null;
        assert_eq!(obvious("k: [a:]\n")["k"][0]["a"], null);
        assert_eq!(obvious("k: {a:, b: c}\n")["k"]["a"], null);
        assert_eq!(obvious("k: [a:?]\n")["k"][0], "a:?");
        assert_eq!(obvious("k: {a\n : b}\n")["k"]["a"], "b");
        assert_eq!(obvious("k: {a: b, c\n  : d}\n")["k"]["c"], "d");
        // The limit counts characters (libyaml counts bytes).
        assert_eq!(obvious(&wide_key)["é".repeat(513)], "v");
        // In flow collections the reader does not hold keys to 1,024 characters.
        assert_eq!(obvious(&long_flow_key)["k"]["a".repeat(1025)], "v");
        assert_eq!(obvious(&spaced_flow_key)["k"]["a"], "b");
    }

    #[test]
    fn the_value_only_read_agrees_on_the_examples_and_the_refusals() {
        let mut texts: Vec<String> = [
            include_str!("../handoffs/sales-cs/brightline-insurance.yaml"),
            include_str!("../handoffs/sdr-ae/orchid-payroll.yaml"),
            include_str!("../handoffs/ae-se/kestrel-analytics.yaml"),
            include_str!("../handoffs/sales-implementation/copperleaf-manufacturing.yaml"),
            include_str!("../handoffs/cs-sales/alder-biotech.yaml"),
        ]
        .map(str::to_string)
        .to_vec();
        texts.extend(
            [
                "a: 1\na: 2\n",
                "a: &x [1, 2]\nb: *x\n",
                "---\na: 1\n---\nb: 2\n",
                "a: !custom x\n",
                "[1, 2]: x\n",
                "a: [1, 2\n",
                "",
                "# only a comment\n",
            ]
            .map(str::to_string),
        );
        assert_eq!(texts.len(), 13);
        for text in texts {
            let full = parse(text.as_bytes(), 1 << 20).map(|d| d.value);
            let only = parse_value(text.as_bytes(), 1 << 20).map(|d| d.value);
            assert_eq!(full, only, "{text}");
        }
    }

    #[test]
    fn dates_stay_strings_and_numbers_stay_numbers() {
        let value = ok("d: 2026-10-30\nn: 120000\nb: yes\n");
        assert_eq!(value["d"], "2026-10-30");
        assert_eq!(value["n"], 120000);
        assert_eq!(value["b"], "yes");
    }

    #[test]
    fn duplicate_keys_are_refused_with_position() {
        let failure = fail(b"a: 1\nb: 2\na: 3\n");
        assert!(failure.message.contains("duplicate key `a`"), "{failure:?}");
        assert_eq!(failure.line, 3);
    }

    #[test]
    fn several_documents_point_at_the_second() {
        let failure = fail(b"a: 1\n---\nb: 2\n");
        assert_eq!(
            failure.message,
            "the file holds more than one YAML document"
        );
        assert_eq!(failure.line, 2);
    }

    #[test]
    fn utf16_nul_and_bad_utf8_are_refused() {
        assert!(fail(b"\xFF\xFEa\0").message.contains("UTF-16"));
        assert!(fail(b"a: 1\nb: \0\n").message.contains("NUL"));
        let bad = fail(b"a: 1\nb: \xC3\x28\n");
        assert_eq!((bad.line, bad.column), (2, 4));
    }

    /// YAML allows a byte-order mark at the start of a stream: the file reads as without it,
    /// positions included (an editor does not show the mark).
    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        let with = parse(b"\xEF\xBB\xBFa: 1\nb: [x]\n", DEFAULT).unwrap();
        let without = parse(b"a: 1\nb: [x]\n", DEFAULT).unwrap();
        assert_eq!(with.value, without.value);
        assert_eq!(with.source, without.source);
        assert_eq!(
            with.positions.locate("/b/0"),
            Position { line: 2, column: 5 }
        );
        assert!(starts_with_bom(b"\xEF\xBB\xBFa: 1"));
        // Only at the start: inside the text it is not YAML.
        assert!(parse(b"a: 1\n\xEF\xBB\xBFb: 2\n", DEFAULT).is_err());
    }

    #[test]
    fn empty_and_comment_only_files_are_empty() {
        assert_eq!(fail(b"").message, "the file is empty");
        assert_eq!(fail(b"# nothing\n\n").message, "the file is empty");
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        assert!(fail(deep.as_bytes()).message.contains("nested too deeply"));
        assert!(started.elapsed().as_millis() < 500);
        let mut block = String::new();
        for depth in 0..100 {
            block.push_str(&format!("{}k{depth}:\n", " ".repeat(depth * 2)));
        }
        assert_eq!(fail(block.as_bytes()).line, MAX_DEPTH + 1);
        // Brackets inside quotes and comments do not count.
        let quoted = format!("a: \"{}\"  # {}\n", "[".repeat(100), "{".repeat(100));
        assert!(parse(quoted.as_bytes(), DEFAULT).is_ok());
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Person {
        name: String,
        team: Option<String>,
        #[serde(default)]
        level: u32,
    }

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct People {
        people: Vec<Person>,
    }

    fn typed_error(text: &str) -> YamlError {
        from_yaml::<People>(text, "roster.yaml").unwrap_err()
    }

    #[test]
    fn from_yaml_reads_typed_values_as_serde_yaml_does() {
        let text = "people:\n  - name: 12\n    team: 1.10\n  - {name: Sam, level: 3}\n";
        let people: People = from_yaml(text, "roster.yaml").unwrap();
        // Plain numbers where text goes stay as written.
        assert_eq!(people.people[0].name, "12");
        assert_eq!(people.people[0].team.as_deref(), Some("1.10"));
        assert_eq!(people.people[1].level, 3);
        let theirs: People = serde_norway::from_str(text).unwrap();
        assert_eq!(people, theirs);
        // A BOM is skipped here too.
        assert!(from_yaml::<People>("\u{feff}people: []\n", "r").is_ok());
    }

    #[test]
    fn from_yaml_errors_give_line_and_column_and_no_values() {
        let secret = "hunter2-secret";
        for (text, line, column, says) in [
            (
                format!("people: {secret}\n"),
                1,
                9,
                "found a string, expected a sequence",
            ),
            (
                format!("people:\n  - name: x\n    level: {secret}\n"),
                3,
                12,
                "expected u32",
            ),
            (
                format!("people:\n  - name: x\n    pass: {secret}\n"),
                3,
                5,
                "unknown key `pass`",
            ),
            (
                format!("people:\n  - team: {secret}\n"),
                2,
                5,
                "missing key `name`",
            ),
            (
                format!("people: []\npeople: [{secret}]\n"),
                2,
                1,
                "duplicate key `people`",
            ),
            (format!("people: [\"{secret}\n"), 1, 10, "invalid YAML"),
            (format!("people: !vault {secret}\n"), 1, 9, "tags"),
            (
                "people:\n  - name: x\n    level: -1\n".to_string(),
                3,
                12,
                "expected u32",
            ),
        ] {
            let err = typed_error(&text);
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
            assert!(err.message.contains(says), "{text:?}: {err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
            assert!(err.to_string().starts_with("roster.yaml: line "), "{err}");
        }
        // An empty file is null: the type says what it needed.
        assert!(typed_error("").message.contains("null"));
    }

    #[test]
    fn non_finite_floats_become_strings() {
        let value = ok("a: .nan\nb: -.inf\n");
        assert_eq!(value["a"], ".nan");
        assert_eq!(value["b"], "-.inf");
    }

    #[test]
    fn size_cap_is_enforced() {
        let failure = parse(b"a: 1234567890", 4).unwrap_err();
        assert!(failure.message.contains("over the 4-byte limit"));
    }

    #[test]
    fn positions_of_block_and_flow_nodes() {
        let source = "type: sales-cs\nfrom: {name: Jane, role: AE}\nrisks:\n  - risk: x\n    severity: high\n  - {risk: y}\nlist: [a, b]\n";
        let index = parse(source.as_bytes(), DEFAULT).unwrap().positions;
        assert_eq!(index.locate("/type"), Position { line: 1, column: 1 });
        assert_eq!(
            index.locate("/from/role"),
            Position {
                line: 2,
                column: 20
            }
        );
        assert_eq!(
            index.locate("/risks/0/severity"),
            Position { line: 5, column: 5 }
        );
        assert_eq!(index.locate("/risks/1"), Position { line: 6, column: 5 });
        assert_eq!(
            index.locate("/risks/1/risk"),
            Position { line: 6, column: 6 }
        );
        assert_eq!(
            index.locate("/list/1"),
            Position {
                line: 7,
                column: 11
            }
        );
        // Unknown pointers fall back to the nearest ancestor.
        assert_eq!(
            index.locate("/risks/0/nope"),
            Position { line: 4, column: 5 }
        );
    }

    /// An empty node at the very end of the file is placed on its last line.
    #[test]
    fn an_empty_node_at_the_end_is_on_the_last_line() {
        for (text, pointer) in [
            ("?\n", "/null"),
            ("a:\n  - b\n  -\n", "/a/1"),
            ("k: [a,\n]\r", "/k/0"),
        ] {
            let document = parse(text.as_bytes(), DEFAULT).unwrap();
            let at = document.positions.locate(pointer);
            assert!(at.line <= text.lines().count().max(1), "{text:?}: {at:?}");
        }
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let index = parse(b"\"a/b\": 1\n\"c~d\": 2\n", DEFAULT)
            .unwrap()
            .positions;
        assert_eq!(index.locate("/a~1b").line, 1);
        assert_eq!(index.locate("/c~0d").line, 2);
    }

    mod properties {
        use super::super::*;
        use super::{libyaml, libyaml_is_known_wrong};
        use proptest::prelude::*;

        fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    for (key, child) in map {
                        let pointer = format!("{at}/{}", escape(key));
                        out.push(pointer.clone());
                        pointers(child, pointer, out);
                    }
                }
                Value::Array(items) => {
                    for (index, child) in items.iter().enumerate() {
                        let pointer = format!("{at}/{index}");
                        out.push(pointer.clone());
                        pointers(child, pointer, out);
                    }
                }
                _ => {}
            }
        }

        fn leaf() -> impl Strategy<Value = Value> {
            prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(|n| Value::Number(n.into())),
                "[ -~]{0,20}".prop_map(Value::String),
                "\\PC{0,12}".prop_map(Value::String),
            ]
        }

        fn tree() -> impl Strategy<Value = Value> {
            leaf().prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                    proptest::collection::btree_map("[a-z_/~ ]{1,8}", inner, 1..5)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        /// Writes `value` as block-style YAML, each node in the style `styles` picks: plain,
        /// quoted, flow, `|`/`>` text, lists at the key's column or indented, compact `- k: v`.
        /// Plain text is written raw, so some documents mean something else or are not YAML:
        /// the differential test only compares what the fast readers accept.
        fn render(
            value: &Value,
            indent: usize,
            styles: &mut impl Iterator<Item = u8>,
            out: &mut String,
        ) {
            let pad = " ".repeat(indent);
            match value {
                Value::Object(map) => {
                    for (key, child) in map {
                        out.push_str(&format!("{pad}{key}:"));
                        render_value(child, indent, styles, out);
                    }
                }
                Value::Array(items) => {
                    for item in items {
                        out.push_str(&format!("{pad}-"));
                        match item {
                            Value::Object(map)
                                if !map.is_empty()
                                    && styles.next().unwrap_or(0).is_multiple_of(2) =>
                            {
                                // Compact: the first key on the dash's line.
                                let mut text = String::new();
                                render(item, indent + 2, styles, &mut text);
                                out.push(' ');
                                out.push_str(&text[indent + 2..]);
                            }
                            _ => render_value(item, indent, styles, out),
                        }
                    }
                }
                _ => render_value(value, indent, styles, out),
            }
        }

        fn scalar_text(value: &Value) -> String {
            match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            }
        }

        /// The rest of a `key:` or `-` line for `value`, and its block when it has one.
        fn render_value(
            value: &Value,
            indent: usize,
            styles: &mut impl Iterator<Item = u8>,
            out: &mut String,
        ) {
            let style = styles.next().unwrap_or(0) % 8;
            let step = 2 + (styles.next().unwrap_or(0) % 2) as usize * 2;
            match value {
                Value::Object(map)
                    if style == 0 && map.values().all(|v| !v.is_object() && !v.is_array()) =>
                {
                    let items: Vec<String> = map
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", scalar_text(v)))
                        .collect();
                    out.push_str(&format!(" {{{}}}\n", items.join(", ")));
                }
                Value::Array(items)
                    if style == 0 && items.iter().all(|v| !v.is_object() && !v.is_array()) =>
                {
                    let items: Vec<String> = items.iter().map(scalar_text).collect();
                    out.push_str(&format!(" [{}]\n", items.join(", ")));
                }
                Value::Array(_) if style == 1 => {
                    out.push('\n');
                    render(value, indent, styles, out);
                }
                Value::Object(_) | Value::Array(_) => {
                    out.push('\n');
                    render(value, indent + step, styles, out);
                }
                _ => {
                    let text = scalar_text(value);
                    match style {
                        1 => out.push_str(&format!(" '{}'\n", text.replace('\'', "''"))),
                        2 => out.push_str(&format!(
                            " \"{}\"\n",
                            text.replace('\\', "\\\\").replace('"', "\\\"")
                        )),
                        3 | 4 => {
                            let header =
                                ["|", "|-", ">", ">-"][(styles.next().unwrap_or(0) % 4) as usize];
                            out.push_str(&format!(" {header}\n"));
                            for line in text.split(' ') {
                                out.push_str(&format!("{}{line}\n", " ".repeat(indent + step)));
                            }
                        }
                        5 => out.push_str(&format!(" {text} # note\n")),
                        _ => out.push_str(&format!(" {text}\n")),
                    }
                }
            }
        }

        fn handoff_like() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                "[a-zA-Z0-9 .,:#'\"@()/-]{0,16}".prop_map(Value::String),
                "[a-z]{1,8}( [a-z]{1,8}){0,3}".prop_map(Value::String),
                any::<i32>().prop_map(Value::from),
                Just(Value::Bool(true)),
                Just(Value::Null),
                "20[0-9]{2}-[01][0-9]-[0-3][0-9]".prop_map(Value::String),
            ];
            let tree = leaf.prop_recursive(4, 40, 5, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 1..4).prop_map(Value::Array),
                    proptest::collection::btree_map("[a-z_]{1,6}", inner, 1..4)
                        .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            });
            proptest::collection::btree_map("[a-z_]{1,6}", tree, 1..6)
                .prop_map(|m| Value::Object(m.into_iter().collect()))
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

            /// Arbitrary bytes never panic the parser, and a failure's position is inside the file.
            #[test]
            fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
                if let Err(failure) = parse(&bytes, 1 << 20) {
                    let lines = bytes.split(|&b| b == b'\n').count();
                    prop_assert!(failure.line <= lines + 1, "{failure:?}");
                }
            }

            /// YAML-ish text (the characters that make YAML structure) never panics either, and
            /// every node of what parses has a position inside the file.
            #[test]
            fn yaml_like_text_parses_or_fails_cleanly(text in "[a-c:\\- \\[\\]{}\"',#\n&*!|>?]{0,300}") {
                if let Ok(document) = parse(text.as_bytes(), 1 << 20) {
                    let index = &document.positions;
                    let mut all = Vec::new();
                    pointers(&document.value, String::new(), &mut all);
                    let lines = document.source.lines().count().max(1);
                    for pointer in all {
                        let at = index.locate(&pointer);
                        prop_assert!(at.line >= 1 && at.line <= lines, "{pointer} at {at:?}");
                    }
                }
            }

            /// The value-only read gives what the full read gives: the same value, or the same
            /// refusal at the same position.
            #[test]
            fn the_value_only_read_agrees_with_the_full_read(
                text in "[a-c0-9:\\- \\[\\]{}\"',#\n&*!|>?.+~\t]{0,300}",
            ) {
                let full = parse(text.as_bytes(), 1 << 20).map(|d| d.value);
                let only = parse_value(text.as_bytes(), 1 << 20).map(|d| d.value);
                prop_assert_eq!(full, only);
            }

            /// Where both the reader and libyaml (`serde_norway`) accept a text, they read the
            /// same value: on YAML-ish text, on indented lines of YAML's block forms, on any
            /// written tree, and on lone scalars.
            #[test]
            fn the_reader_agrees_with_libyaml(
                text in "[a-c0-9:\\- \\[\\]{}\"',#\n&*!|>?.+~\t]{0,200}",
                lines in proptest::collection::vec((0usize..7, proptest::sample::select(vec![
                    "k: v", "- x", "k: |", "k: >-", "text", "'q", "\"d\\n\"", "k:", "? k", ": v",
                    "- - a", "{a: b}", "[a, b]", "k: 'multi", "line'", "#c", "k: v #c", "---",
                    "...", "k: \"a", "b\"", "- k: v", "|+", "k: |2", "", "k: 1", "k: 2026-01-15",
                    "k: >-", "k: |-", "- |", "- >", "text text", "  ", "k: 'a: b'", "k: \"a 'b'\"",
                    "k: {a: b, c: 1}", "k: [a, b c]", "k: {}", "k: []", "- [x, y]", "k: a #c",
                    "k: 'a''b'", "k: \"a\\nb\"", "k: a:b", "k2: -1", "k: 1.5", "- k: {a: b}",
                    "k: x # c", "-", "k: |  # c", "k: 'x' #c", "k: [a]x", "k: {a: b}#c", "a.b: c",
                ])), 0..16),
                value in tree(),
                scalar in "[-+.0-9a-fA-Fxobeinf_:~ ]{0,12}",
            ) {
                let written = serde_norway::to_string(&value).unwrap();
                let indented: String = lines
                    .iter()
                    .map(|(indent, line)| format!("{}{line}\n", " ".repeat(*indent)))
                    .collect();
                let texts = [text, indented, written, format!("k: {scalar}\n"), format!("{scalar}: v\n")];
                for text in texts.iter().filter(|text| !libyaml_is_known_wrong(text)) {
                    if let (Ok(ours), Some(theirs)) = (parse(text.as_bytes(), 1 << 20), libyaml(text)) {
                        prop_assert_eq!(&ours.value, &theirs, "{:?}", text);
                    }
                }
            }

            /// Documents written in every block style handoffs use (and raw plain text that may
            /// mean something else): where both accept one, the reader and libyaml build the
            /// same value.
            #[test]
            fn block_styles_read_as_libyaml_reads_them(
                value in handoff_like(),
                styles in proptest::collection::vec(any::<u8>(), 64),
            ) {
                let mut text = String::new();
                render(&value, 0, &mut styles.iter().copied().cycle(), &mut text);
                if libyaml_is_known_wrong(&text) {
                    return Ok(());
                }
                if let (Ok(ours), Some(theirs)) = (parse(text.as_bytes(), 1 << 20), libyaml(&text)) {
                    prop_assert_eq!(&ours.value, &theirs, "{}", text);
                }
            }

            /// Any JSON-like tree written as YAML parses back to itself, and every node in it is
            /// located exactly (not through an ancestor) on a line that mentions it.
            #[test]
            fn written_yaml_round_trips_with_exact_positions(value in tree()) {
                let root = Value::Object([("root".to_string(), value)].into_iter().collect());
                let text = serde_norway::to_string(&root).unwrap();
                // libyaml's writer treats NEL, U+2028 and U+2029 as YAML 1.1 line breaks.
                if text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
                    return Ok(());
                }
                let document = parse(text.as_bytes(), 1 << 20).unwrap();
                prop_assert_eq!(&document.value, &root);
                let index = &document.positions;
                let mut all = Vec::new();
                pointers(&root, String::new(), &mut all);
                let lines: Vec<&str> = text.lines().collect();
                for pointer in &all {
                    let (at, exact) = index.find(pointer);
                    prop_assert!(exact, "{} not indexed in\n{}", pointer, text);
                    prop_assert!(at.line >= 1 && at.line <= lines.len(), "{} at {:?}", pointer, at);
                }
            }
        }
    }
}
