//! A parsed handoff: the source text, its value as JSON, and, on demand, the map from JSON
//! pointers back to line and column in the source. The YAML parser is used only here.
//!
//! Parsing is done once per file, straight into a JSON value, by the fastest of three readers
//! that accepts the text: `block` (a line reader for the block style handoffs are written
//! in), then `saphyr-parser`'s events, then `serde_norway` through a strict visitor that
//! rejects duplicate keys (a plain `serde_json::Value` target silently keeps the last one).
//! The first two give up on anything they do not read exactly as `serde_norway` does (so every
//! error and its message come from `serde_norway`); differential property tests below hold
//! them to its values. Positions come from a second, event-level pass with `saphyr-parser`,
//! run only for files that have findings, so clean files pay nothing for it.

mod block;

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// A handoff file parsed into a JSON value.
#[derive(Debug, Clone)]
pub struct Document {
    /// The source text (without a byte-order mark).
    pub source: String,
    /// The parsed value.
    pub value: Value,
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

/// Parses the bytes of a handoff file. `max_size` is the configured cap in bytes.
pub fn parse(bytes: &[u8], max_size: u64) -> Result<Document, ParseFailure> {
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64, max_size));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(ParseFailure::new(
            "the file starts with a byte-order mark (BOM)",
            "save it as UTF-8 without BOM (in VS Code: \"Save with Encoding\" → UTF-8)",
            1,
            1,
        ));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ParseFailure::new(
            "the file is UTF-16, not UTF-8",
            "save it as UTF-8 (in VS Code: \"Save with Encoding\" → UTF-8)",
            1,
            1,
        ));
    }
    let source = match std::str::from_utf8(bytes) {
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
    if let Some(offset) = source.find('\0') {
        let (line, column) = line_column_of_byte(bytes, offset);
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
    if is_blank(source) {
        return Err(ParseFailure::new(
            "the file is empty",
            "start from a template: `handoff new TYPE NAME`",
            1,
            1,
        ));
    }
    let parsed = match block::parse(source).or_else(|| from_events(source)) {
        Some(value) => Ok(StrictValue(value)),
        None => serde_norway::from_str::<StrictValue>(source),
    };
    match parsed {
        Ok(StrictValue(Value::Null)) => Err(ParseFailure::new(
            "the file holds no value",
            "start from a template: `handoff new TYPE NAME`",
            1,
            1,
        )),
        Ok(StrictValue(value)) => Ok(Document {
            source: source.to_string(),
            value,
        }),
        Err(err) => Err(yaml_failure(source, &err)),
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
/// quadratically with flow nesting depth, so depth is checked on the raw text first.
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

fn yaml_failure(source: &str, err: &serde_norway::Error) -> ParseFailure {
    let text = err.to_string();
    // serde_norway appends " at line L column C"; the position is reported separately.
    let message = match text.rfind(" at line ") {
        Some(cut) => text[..cut].to_string(),
        None => text.clone(),
    };
    let (mut line, mut column) = err
        .location()
        .map(|loc| (loc.line(), loc.column()))
        .unwrap_or((0, 0));
    let help;
    let message = if message.contains("more than one document") {
        if let Some(second) = second_document_line(source) {
            line = second;
            column = 1;
        }
        help = "one handoff per file: move the second document (after `---`) into its own file";
        "the file holds more than one YAML document".to_string()
    } else if message.contains("duplicate") {
        if let Some(at) = PositionIndex::build(source).duplicate {
            (line, column) = (at.line, at.column);
        }
        help = "remove one of the two entries; a repeated key would silently drop data";
        message
    } else if message.contains("recursion limit") {
        help = "a handoff is a few levels deep; flatten the nesting";
        "the file is nested too deeply".to_string()
    } else if message.contains("repetition limit") {
        help = "remove the YAML aliases (*name) that expand into a huge document";
        "aliases expand into too large a document (alias bomb)".to_string()
    } else {
        help = "fix the YAML syntax at the position shown (indentation, a missing `:`, an unclosed quote or bracket)";
        format!("invalid YAML: {message}")
    };
    if line == 0 {
        column = 0;
    }
    ParseFailure::new(message, help, line, column)
}

fn second_document_line(source: &str) -> Option<usize> {
    let mut seen_content = false;
    for (index, line) in source.lines().enumerate() {
        if line.starts_with("---") {
            if seen_content {
                return Some(index + 1);
            }
            continue;
        }
        let trimmed = line.trim();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            seen_content = true;
        }
    }
    None
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

/// The document's value built from `saphyr-parser`'s events, about twice as fast as
/// `serde_norway` (whose libyaml port scans each character several times), for documents that
/// keep to what both read alike: one document, no anchors, aliases or tags, no duplicate keys,
/// and plain scalars whose type is plain to see (text, `true`, `null`, decimal integers,
/// decimals, dates). Anything else, and every error, is `None`: `serde_norway` then parses the
/// document, so values, messages and positions stay its own. Differential tests hold both to
/// the same values.
fn from_events(source: &str) -> Option<Value> {
    use saphyr_parser::{Event, ScalarStyle};

    enum Frame {
        Sequence(Vec<Value>),
        /// A mapping and the key waiting for its value.
        Mapping(Map<String, Value>, Option<String>),
    }
    if !plain_text(source.as_bytes()) || !events_read_alike(source) {
        return None;
    }
    // Document markers after the first line: the parsers split streams differently.
    if source.starts_with("...")
        || source.contains("\n...")
        || source.contains("\r...")
        || source.contains("\n---")
        || source.contains("\r---")
    {
        return None;
    }
    let mut parser = saphyr_parser::Parser::new_from_str(source);
    let mut stack: Vec<Frame> = Vec::new();
    let mut root = None;
    let mut documents = 0;
    loop {
        let (event, _) = parser.next_event()?.ok()?;
        let value = match event {
            Event::StreamStart | Event::DocumentEnd | Event::Nothing => continue,
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
                continue;
            }
            Event::Alias(_) => return None,
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() || stack.is_empty() {
                    return None;
                }
                // An empty key (`: v`) is one libyaml refuses and saphyr reads as null.
                let is_key = matches!(stack.last(), Some(Frame::Mapping(_, None)));
                match style {
                    ScalarStyle::Plain if is_key && text.is_empty() => return None,
                    ScalarStyle::Plain => plain_scalar(&text)?,
                    _ => Value::String(text.into_owned()),
                }
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if anchor != 0 || tag.is_some() =>
            {
                return None
            }
            // A handoff is a mapping: other roots (where the two parsers part at the edges of
            // block scalars) are left to serde_norway.
            Event::SequenceStart(..) if stack.is_empty() => return None,
            // Deeper than serde_norway's recursion limit allows: it reports the error.
            Event::SequenceStart(..) | Event::MappingStart(..) if stack.len() >= MAX_DEPTH => {
                return None
            }
            Event::SequenceStart(..) => {
                stack.push(Frame::Sequence(Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Mapping(Map::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop()? {
                Frame::Sequence(items) => Value::Array(items),
                Frame::Mapping(..) => return None,
            },
            Event::MappingEnd => match stack.pop()? {
                Frame::Mapping(map, None) => Value::Object(map),
                _ => return None,
            },
        };
        match stack.last_mut() {
            None if root.is_none() => root = Some(value),
            None => return None,
            Some(Frame::Sequence(items)) => items.push(value),
            Some(Frame::Mapping(map, waiting @ None)) => {
                let key = match value {
                    Value::String(key) => key,
                    Value::Null => "null".to_string(),
                    Value::Bool(b) => b.to_string(),
                    Value::Number(n) => n.to_string(),
                    Value::Array(_) | Value::Object(_) => return None,
                };
                if map.contains_key(&key) {
                    return None;
                }
                *waiting = Some(key);
            }
            Some(Frame::Mapping(map, waiting)) => {
                let key = waiting.take()?;
                map.insert(key, value);
            }
        }
    }
    if !stack.is_empty() {
        return None;
    }
    root
}

/// Whether saphyr's events read `source` as libyaml does, as far as a cheap look tells:
/// - it ends with a line break (saphyr adds one to a last `|` or `>` text that has none);
/// - no line is over 1,024 bytes (libyaml refuses a key that long before its `:`);
/// - no `:` is followed by one of `, ? [ ] { }` (libyaml refuses it in flow collections);
/// - no line opens more `[`/`{` than it closes, or the reverse (libyaml wants a flow key and
///   its `:` on one line: collections spanning lines are left to it).
fn events_read_alike(source: &str) -> bool {
    source.ends_with('\n')
        && source.split('\n').all(|line| {
            let bytes = line.as_bytes();
            let opens = bytes.iter().filter(|&&b| b == b'[' || b == b'{').count();
            let closes = bytes.iter().filter(|&&b| b == b']' || b == b'}').count();
            bytes.len() <= 1024
                && opens == closes
                && !bytes
                    .windows(2)
                    .any(|w| w[0] == b':' && b",?[]{}".contains(&w[1]))
        })
}

/// Text without the characters the two parsers treat differently: tabs (libyaml refuses them
/// where saphyr takes them as indentation), control characters, the byte-order mark inside the
/// text, U+FFFE/U+FFFF, and NEL, U+2028 and U+2029 (line breaks to libyaml's YAML 1.1, not to
/// saphyr's YAML 1.2).
fn plain_text(bytes: &[u8]) -> bool {
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' | b'\r' | 0x20..=0x7e => {}
            0xc2 if matches!(bytes.get(at + 1), Some(0x80..=0x9f)) => return false,
            0xe2 if bytes.get(at + 1) == Some(&0x80)
                && matches!(bytes.get(at + 2), Some(0xa8 | 0xa9)) =>
            {
                return false
            }
            0xef if matches!(
                (bytes.get(at + 1), bytes.get(at + 2)),
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf))
            ) =>
            {
                return false
            }
            0x80..=0xff => {}
            _ => return false,
        }
        at += 1;
    }
    true
}

/// A plain scalar's value as `serde_norway` resolves it (YAML 1.2's core schema), for the
/// forms whose type is plain to see; `None` for the rest (hexadecimal, exponents, `.inf`,
/// numbers beyond 64 bits, signs other than a leading `-`...).
fn plain_scalar(text: &str) -> Option<Value> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    let bytes = text.as_bytes();
    // A plain scalar that starts with an indicator is one saphyr reads where libyaml may not
    // (`{>}`).
    if b"?:,[]{}#&*!|>'\"%@`".contains(&bytes[0])
        || (bytes[0] == b'-' && !bytes.get(1).is_some_and(u8::is_ascii_digit))
    {
        return None;
    }
    let string = || Some(Value::String(text.to_string()));
    // No number has a space, punctuation other than `.+-`, or a letter first ("inf" and "nan"
    // parse as floats but not finite ones, which are text too).
    if bytes[0].is_ascii_alphabetic()
        || !bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
    {
        return string();
    }
    let digits = |part: &[u8]| !part.is_empty() && part.iter().all(u8::is_ascii_digit);
    let (negative, unsigned) = match bytes.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if digits(unsigned) {
        // A leading zero makes digits text (YAML 1.2), not an octal number.
        if unsigned.len() > 1 && unsigned[0] == b'0' {
            return string();
        }
        return if negative {
            text.parse::<i64>().ok().map(Value::from)
        } else {
            text.parse::<u64>().ok().map(Value::from)
        };
    }
    if let Some(dot) = unsigned.iter().position(|&b| b == b'.') {
        if digits(&unsigned[..dot]) && digits(&unsigned[dot + 1..]) {
            return text
                .parse::<f64>()
                .ok()
                .and_then(Number::from_f64)
                .map(Value::Number);
        }
    }
    // A date: neither integer nor float.
    let date = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && [&bytes[..4], &bytes[5..7], &bytes[8..]]
            .iter()
            .all(|p| digits(p));
    if date {
        return string();
    }
    None
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

/// The map from JSON pointers (`/customer/company`, `/risks/0`) to positions in the source.
/// A mapping entry is placed at its key (where a writer looks for the field); a list item at
/// the item.
#[derive(Debug, Default)]
pub struct PositionIndex {
    positions: HashMap<String, Position>,
    /// The second occurrence of the first key that appears twice in one mapping.
    pub duplicate: Option<Position>,
}

impl PositionIndex {
    /// Builds the index for `source`, which has already parsed successfully.
    pub fn build(source: &str) -> PositionIndex {
        PositionIndex::build_for(source, &[])
    }

    /// Like [`PositionIndex::build`], but stops reading as soon as every pointer in `wanted`
    /// has its position (an empty `wanted` reads the whole file). Findings usually concern a
    /// few nodes, so this often spares the second half of the parse.
    pub fn build_for(source: &str, wanted: &[&str]) -> PositionIndex {
        let mut index = PositionIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = saphyr_parser::Parser::new_from_str(source);
        let all_found = |index: &PositionIndex| {
            !wanted.is_empty() && wanted.iter().all(|p| index.positions.contains_key(*p))
        };
        while let Some(Ok((event, span))) = parser.next_event() {
            if all_found(&index) {
                break;
            }
            use saphyr_parser::Event;
            let at = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::Scalar(ref text, ..) => {
                    index.node(&mut stack, at, Some(text), false);
                }
                Event::Alias(_) => index.node(&mut stack, at, Some(""), false),
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let is_map = matches!(event, Event::MappingStart(..));
                    index.node(&mut stack, at, None, is_map);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    value_done(&mut stack);
                }
                Event::StreamEnd => break,
                _ => {}
            }
        }
        index
    }

    fn node(&mut self, stack: &mut Vec<Frame>, at: Position, scalar: Option<&str>, is_map: bool) {
        let pointer = match stack.last_mut() {
            None => String::new(),
            Some(Frame::Skip) => {
                if scalar.is_none() {
                    stack.push(Frame::Skip);
                }
                return;
            }
            Some(Frame::Map {
                pointer,
                key,
                expecting_key,
            }) if *expecting_key => {
                *expecting_key = false;
                match scalar {
                    Some(text) => {
                        let child = format!("{pointer}/{}", escape(text));
                        if self.positions.contains_key(&child) {
                            self.duplicate.get_or_insert(at);
                        } else {
                            self.positions.insert(child.clone(), at);
                        }
                        *key = Some(child);
                    }
                    None => {
                        // A list or mapping used as a key: nothing a handoff can point at.
                        *key = None;
                        stack.push(Frame::Skip);
                    }
                }
                return;
            }
            Some(Frame::Map { key, .. }) => key.clone().unwrap_or_default(),
            Some(Frame::Seq { pointer, next }) => {
                let child = format!("{pointer}/{next}");
                *next += 1;
                child
            }
        };
        self.positions.entry(pointer.clone()).or_insert(at);
        match scalar {
            Some(_) => value_done(stack),
            None if is_map => stack.push(Frame::Map {
                pointer,
                key: None,
                expecting_key: true,
            }),
            None => stack.push(Frame::Seq { pointer, next: 0 }),
        }
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Position {
        let mut current = pointer;
        loop {
            if let Some(position) = self.positions.get(current) {
                return *position;
            }
            match current.rfind('/') {
                Some(cut) => current = &current[..cut],
                None => return Position { line: 1, column: 1 },
            }
        }
    }
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
        expecting_key: bool,
    },
    Seq {
        pointer: String,
        next: usize,
    },
    /// Inside a complex key: ignored.
    Skip,
}

fn value_done(stack: &mut [Frame]) {
    if let Some(Frame::Map { expecting_key, .. }) = stack.last_mut() {
        *expecting_key = true;
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

    fn ok(text: &str) -> Value {
        parse(text.as_bytes(), DEFAULT).unwrap().value
    }
    fn fail(text: &[u8]) -> ParseFailure {
        parse(text, DEFAULT).unwrap_err()
    }
    const DEFAULT: u64 = 1 << 20;

    #[test]
    fn the_examples_take_the_fast_path_and_read_as_serde_norway_reads_them() {
        let examples = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/handoffs"))
            .unwrap()
            .flat_map(|dir| std::fs::read_dir(dir.unwrap().path()).unwrap())
            .map(|file| std::fs::read_to_string(file.unwrap().path()).unwrap());
        let mut count = 0;
        for text in examples {
            let slow = serde_norway::from_str::<StrictValue>(&text).unwrap().0;
            assert_eq!(from_events(&text).as_ref(), Some(&slow), "{text}");
            assert_eq!(block::parse(&text).as_ref(), Some(&slow), "{text}");
            count += 1;
        }
        assert!(count >= 10);
        // Scalars whose type is not plain to see go to serde_norway, whole document and all.
        for text in [
            "a: 0x1F\n",
            "a: 1e3\n",
            "a: .inf\n",
            "a: +5\n",
            "a: &x 1\nb: *x\n",
        ] {
            assert_eq!(from_events(text), None, "{text}");
        }
        for (text, value) in [
            ("a: 007\n", Value::from("007")),
            ("a: -12\n", Value::from(-12)),
            ("a: 2.50\n", Value::from(2.5)),
            ("a: 12:30\n", Value::from("12:30")),
            ("a: nan\n", Value::from("nan")),
            ("a: ~\n", Value::Null),
        ] {
            assert_eq!(from_events(text).unwrap()["a"], value, "{text}");
        }
    }

    /// Texts where saphyr (or the line reader) read something libyaml refuses or reads
    /// otherwise, found by a review: the fast readers leave them to serde_norway.
    #[test]
    fn the_fast_readers_leave_what_libyaml_reads_otherwise_to_serde_norway() {
        let long_key = format!("{}: v\n", "a".repeat(1025));
        let long_flow_key = format!("k: {{{}: v}}\n", "a".repeat(1025));
        let wide_key = format!("k: v\n{}: v\n", "é".repeat(513));
        let spaced_flow_key = format!("k: {{a{}: b}}\n", " ".repeat(1024));
        let deep_dashes = format!("k:\n{}x\n", "-   ".repeat(130));
        let deep_flow = format!("k: [a 'b, {}x{}]\n", "[".repeat(130), "]".repeat(130));
        let cases: Vec<&str> = vec![
            // A last `|`/`>` text without its line break: saphyr adds one.
            "k: |\n  a",
            "k: >\n  a\n  b",
            "k:\n- |\n  a",
            // `:` before a flow indicator: libyaml refuses it.
            "k: [a:]\n",
            "k: {a:, b: c}\n",
            "k: [a:?]\n",
            // A flow key whose `:` is on a later line.
            "k: {a\n : b}\n",
            "k: {a: b, c\n  : d}\n",
            // Keys past libyaml's 1,024-character limit.
            &long_key,
            &long_flow_key,
            &wide_key,
            &spaced_flow_key,
            // Nesting past serde_norway's recursion limit that the depth scan under-counts.
            &deep_dashes,
            &deep_flow,
        ];
        for text in cases {
            let slow = serde_norway::from_str::<StrictValue>(text)
                .map(|v| v.0)
                .ok();
            for fast in [from_events(text), block::parse(text)]
                .into_iter()
                .flatten()
            {
                assert_eq!(Some(&fast), slow.as_ref(), "{text:?}");
            }
            // Through parse: serde_norway's verdict, whichever it is.
            assert_eq!(
                parse(text.as_bytes(), DEFAULT).ok().map(|d| d.value),
                slow.filter(|v| !v.is_null()),
                "{text:?}"
            );
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
    fn bom_utf16_nul_and_bad_utf8_are_refused() {
        assert!(fail(b"\xEF\xBB\xBFa: 1")
            .message
            .contains("byte-order mark"));
        assert!(fail(b"\xFF\xFEa\0").message.contains("UTF-16"));
        assert!(fail(b"a: 1\nb: \0\n").message.contains("NUL"));
        let bad = fail(b"a: 1\nb: \xC3\x28\n");
        assert_eq!((bad.line, bad.column), (2, 4));
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
        let index = PositionIndex::build(source);
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

    #[test]
    fn pointer_tokens_are_escaped() {
        let index = PositionIndex::build("\"a/b\": 1\n\"c~d\": 2\n");
        assert_eq!(index.locate("/a~1b").line, 1);
        assert_eq!(index.locate("/c~0d").line, 2);
    }

    mod properties {
        use super::super::*;
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
                    let index = PositionIndex::build(&document.source);
                    let mut all = Vec::new();
                    pointers(&document.value, String::new(), &mut all);
                    let lines = document.source.lines().count().max(1);
                    for pointer in all {
                        let at = index.locate(&pointer);
                        prop_assert!(at.line >= 1 && at.line <= lines, "{pointer} at {at:?}");
                    }
                }
            }

            /// Where the event fast path builds a value, `serde_norway` reads the same text as
            /// the same value: on YAML-ish text, on indented lines of YAML's block forms, on any
            /// written tree, and on lone scalars.
            #[test]
            fn the_fast_path_agrees_with_serde_norway(
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
                for text in texts {
                    for fast in [from_events(&text), block::parse(&text)].into_iter().flatten() {
                        let slow = serde_norway::from_str::<StrictValue>(&text).map(|v| v.0);
                        prop_assert_eq!(slow.as_ref().ok(), Some(&fast), "{:?}: {:?}", text, slow);
                    }
                }
            }

            /// Documents written in every block style the fast reader knows (and raw plain text
            /// that may mean something else): where it builds a value, `serde_norway` builds the
            /// same one.
            #[test]
            fn the_block_reader_agrees_with_serde_norway(
                value in handoff_like(),
                styles in proptest::collection::vec(any::<u8>(), 64),
            ) {
                let mut text = String::new();
                render(&value, 0, &mut styles.iter().copied().cycle(), &mut text);
                if let Some(fast) = block::parse(&text) {
                    let slow = serde_norway::from_str::<StrictValue>(&text).map(|v| v.0);
                    prop_assert_eq!(slow.as_ref().ok(), Some(&fast), "{}\n{:?}", text, slow);
                }
            }

            /// Any JSON-like tree written as YAML parses back to itself, and every node in it is
            /// located exactly (not through an ancestor) on a line that mentions it.
            #[test]
            fn written_yaml_round_trips_with_exact_positions(value in tree()) {
                let root = Value::Object([("root".to_string(), value)].into_iter().collect());
                let text = serde_norway::to_string(&root).unwrap();
                let document = parse(text.as_bytes(), 1 << 20).unwrap();
                prop_assert_eq!(&document.value, &root);
                let index = PositionIndex::build(&text);
                let mut all = Vec::new();
                pointers(&root, String::new(), &mut all);
                for pointer in &all {
                    prop_assert!(index.positions.contains_key(pointer), "{} not indexed in\n{}", pointer, text);
                }
                // Stopping early once the wanted pointers are found gives the same positions.
                let wanted: Vec<&str> = all.iter().step_by(3).map(String::as_str).collect();
                let partial = PositionIndex::build_for(&text, &wanted);
                for pointer in wanted {
                    prop_assert_eq!(partial.locate(pointer), index.locate(pointer));
                }
            }
        }
    }
}
