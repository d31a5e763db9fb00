//! The fastest of the three ways [`super::parse`] reads a handoff: a line-by-line reader for
//! the block style every handoff in practice is written in (nested `key: value` mappings,
//! `- item` lists, one-line `{...}` and `[...]` collections, one-line quoted strings, `|` and
//! `>` text), about six times faster than the event parser. It gives up (`None`) on anything
//! outside that subset — anchors, tags, escapes, multi-line plain or quoted scalars, keys that
//! are not plain names, indentation it does not expect, duplicate keys — and the event parser
//! or `serde_norway` reads the document instead, so errors, messages and odd forms stay theirs.
//! Differential property tests hold its values to `serde_norway`'s.

use serde_json::{Map, Value};

use super::{plain_scalar, plain_text};

/// The document's value, when the text keeps to the subset; `None` otherwise.
pub(super) fn parse(source: &str) -> Option<Value> {
    // A last line without its line break changes how block scalars end: left to the others.
    if !source.ends_with('\n') || source.contains('\r') || !plain_text(source.as_bytes()) {
        return None;
    }
    let lines: Vec<Line<'_>> = source[..source.len() - 1]
        .split('\n')
        .map(Line::of)
        .collect();
    let mut reader = Reader {
        lines,
        at: 0,
        depth: 0,
    };
    reader.skip_blank();
    let first = reader.lines.get(reader.at)?;
    // A document marker, a directive, or a root that is not a mapping at the margin.
    if first.indent != 0 || first.text.starts_with("---") || first.text.starts_with('%') {
        return None;
    }
    let root = reader.mapping(0, None)?;
    reader.skip_blank();
    (reader.at == reader.lines.len()).then_some(root)
}

#[derive(Debug, Clone, Copy)]
struct Line<'s> {
    /// Leading spaces.
    indent: usize,
    /// The rest.
    text: &'s str,
    /// The whole line.
    raw: &'s str,
}

impl<'s> Line<'s> {
    fn of(raw: &'s str) -> Line<'s> {
        let text = raw.trim_start_matches(' ');
        Line {
            indent: raw.len() - text.len(),
            text,
            raw,
        }
    }

    /// Empty, spaces only, or a comment.
    fn is_blank(&self) -> bool {
        self.text.is_empty() || self.text.starts_with('#')
    }

    fn is_item(&self) -> bool {
        self.text == "-" || self.text.starts_with("- ")
    }
}

struct Reader<'s> {
    lines: Vec<Line<'s>>,
    at: usize,
    /// Collections open: deeper than serde_norway's recursion limit, it reports the error.
    depth: usize,
}

impl<'s> Reader<'s> {
    fn skip_blank(&mut self) {
        while self.lines.get(self.at).is_some_and(Line::is_blank) {
            self.at += 1;
        }
    }

    /// The next line that is not blank, without taking it.
    fn peek(&mut self) -> Option<Line<'s>> {
        self.skip_blank();
        self.lines.get(self.at).copied()
    }

    /// A block mapping whose keys start at column `indent`; `first` is the text of its first
    /// entry when it began on a list item's line (`- key: value`).
    fn mapping(&mut self, indent: usize, first: Option<&'s str>) -> Option<Value> {
        self.enter()?;
        let map = self.entries(indent, first);
        self.depth -= 1;
        map
    }

    /// One level deeper, unless that is past the limit.
    fn enter(&mut self) -> Option<()> {
        if self.depth >= super::MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        Some(())
    }

    fn entries(&mut self, indent: usize, mut first: Option<&'s str>) -> Option<Value> {
        let mut map = Map::new();
        loop {
            let text = match first.take() {
                Some(text) => text,
                None => match self.peek() {
                    Some(line) if line.indent == indent && !line.is_item() => {
                        self.at += 1;
                        line.text
                    }
                    Some(line) if line.indent > indent => return None,
                    _ => return Some(Value::Object(map)),
                },
            };
            let (key, rest) = entry(text)?;
            if map.contains_key(key) {
                return None;
            }
            let value = self.value(rest, indent, true)?;
            map.insert(key.to_string(), value);
        }
    }

    /// A block list whose dashes are at column `indent`.
    fn sequence(&mut self, indent: usize) -> Option<Value> {
        self.enter()?;
        let items = self.items(indent);
        self.depth -= 1;
        items
    }

    fn items(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Some(line) if line.indent == indent && line.is_item() => {
                    self.at += 1;
                    let rest = line.text[1..].trim_start_matches(' ');
                    let offset = line.text.len() - rest.len();
                    let item = if rest.starts_with("- ") || rest == "-" {
                        return None;
                    } else if rest.is_empty() {
                        self.nested(indent, false)?
                    } else if entry(rest).is_some() {
                        self.mapping(indent + offset, Some(rest))?
                    } else {
                        self.value(rest, indent, false)?
                    };
                    items.push(item);
                }
                Some(line) if line.indent > indent => return None,
                _ => return Some(Value::Array(items)),
            }
        }
    }

    /// The block under a `key:` or `-` with nothing after it, at column `parent` (a list may
    /// sit at the key's own column when `same_column_list`); null when there is none.
    fn nested(&mut self, parent: usize, same_column_list: bool) -> Option<Value> {
        match self.peek() {
            Some(line) if line.indent > parent && line.is_item() => self.sequence(line.indent),
            Some(line) if line.indent > parent => {
                entry(line.text)?;
                self.mapping(line.indent, None)
            }
            Some(line) if line.indent == parent && same_column_list && line.is_item() => {
                self.sequence(parent)
            }
            _ => Some(Value::Null),
        }
    }

    /// The value written after `key:` or `- ` on a line of column `parent`.
    fn value(&mut self, rest: &'s str, parent: usize, in_mapping: bool) -> Option<Value> {
        let rest = rest.trim_end_matches(' ');
        if rest.is_empty() || rest.starts_with('#') {
            if !in_mapping && !rest.is_empty() {
                return None;
            }
            return self.nested(parent, in_mapping);
        }
        let value = match rest.as_bytes()[0] {
            b'|' | b'>' => return self.block_scalar(rest, parent),
            b'{' => flow_mapping(rest)?,
            b'[' => flow_sequence(rest)?,
            b'\'' | b'"' => quoted(rest)?,
            _ => {
                let text = match rest.find(" #") {
                    Some(comment) => rest[..comment].trim_end_matches(' '),
                    None => rest,
                };
                if text.contains(": ") || text.ends_with(':') {
                    return None;
                }
                plain_scalar(text)?
            }
        };
        // A more indented line after a one-line value continues it (or is an error).
        match self.peek() {
            Some(line) if line.indent > parent => None,
            _ => Some(value),
        }
    }

    /// A `|` or `>` scalar whose header is `header`, under a line of column `parent`.
    fn block_scalar(&mut self, header: &str, parent: usize) -> Option<Value> {
        let folded = header.starts_with('>');
        let mut rest = &header[1..];
        let strip = match rest.as_bytes().first() {
            Some(b'-') => {
                rest = &rest[1..];
                true
            }
            // Keep chomping, and indentation indicators, are left to the others.
            Some(b'+' | b'0'..=b'9') => return None,
            _ => false,
        };
        if !only_comment_after(rest) {
            return None;
        }
        // The first line with text sets the indentation; empty lines before it are left to
        // the others.
        let first = self.lines.get(self.at)?;
        if first.text.is_empty() || first.indent <= parent {
            return None;
        }
        let indent = first.indent;
        let mut parts: Vec<&str> = Vec::new();
        while let Some(line) = self.lines.get(self.at) {
            if line.text.is_empty() {
                if line.raw.len() > indent {
                    return None;
                }
                parts.push("");
            } else if line.indent >= indent {
                let content = &line.raw[indent..];
                if folded && (content.starts_with(' ') || content.ends_with(' ')) {
                    return None;
                }
                parts.push(content);
            } else {
                break;
            }
            self.at += 1;
        }
        while parts.last() == Some(&"") {
            parts.pop();
        }
        let mut text = String::new();
        if folded {
            let mut empty_run = 0;
            for (n, part) in parts.iter().enumerate() {
                if part.is_empty() {
                    empty_run += 1;
                    continue;
                }
                if n > 0 {
                    if empty_run == 0 {
                        text.push(' ');
                    }
                    for _ in 0..empty_run {
                        text.push('\n');
                    }
                }
                empty_run = 0;
                text.push_str(part);
            }
        } else {
            text = parts.join("\n");
        }
        if !strip && !parts.is_empty() {
            text.push('\n');
        }
        Some(Value::String(text))
    }
}

/// Longest key read here: libyaml refuses a key over 1,024 characters before its `:`.
const MAX_KEY: usize = 1000;

/// `key: rest` or `key:` with a plain name for key.
fn entry(text: &str) -> Option<(&str, &str)> {
    let (key, rest) = match text.find(':') {
        Some(colon) if colon <= MAX_KEY => (&text[..colon], &text[colon + 1..]),
        _ => return None,
    };
    if !(rest.is_empty() || rest.starts_with(' ')) || !is_name(key) {
        return None;
    }
    match plain_scalar(key)? {
        Value::String(_) => Some((key, rest.trim_start_matches(' '))),
        _ => None,
    }
}

/// Letters, digits, `_`, and `-` or `.` after the first.
fn is_name(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// What follows a one-line value: nothing, or a comment after a space.
fn only_comment_after(tail: &str) -> bool {
    let trimmed = tail.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < tail.len())
}

/// `'text'` or `"text"` on one line, with no escape inside (no backslash in double quotes, no
/// doubled quote in single ones).
fn quoted(text: &str) -> Option<Value> {
    let quote = text.as_bytes()[0];
    let inner_end = text[1..].find(quote as char)? + 1;
    let inner = &text[1..inner_end];
    if (quote == b'"' && inner.contains('\\')) || !only_comment_after(&text[inner_end + 1..]) {
        return None;
    }
    Some(Value::String(inner.to_string()))
}

/// The items between `open` and `close` on one line, split at commas.
fn flow_items(text: &str, open: char, close: char) -> Option<Vec<&str>> {
    let end = text.find(close)?;
    if !only_comment_after(&text[end + 1..]) {
        return None;
    }
    let inner = &text[open.len_utf8()..end];
    if inner.contains(['{', '}', '[', ']', '"', '\'', '#', '\\']) {
        return None;
    }
    if inner.trim_matches(' ').is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| Some(item.trim_matches(' ')).filter(|item| !item.is_empty()))
        .collect()
}

/// A flow scalar: plain, without `:` (flow context is where the parsers differ most).
fn flow_scalar(text: &str) -> Option<Value> {
    if text.is_empty() || text.contains(':') {
        return None;
    }
    plain_scalar(text)
}

fn flow_mapping(text: &str) -> Option<Value> {
    let mut map = Map::new();
    for item in flow_items(text, '{', '}')? {
        let (key, value) = item.split_once(": ")?;
        if key.len() > MAX_KEY {
            return None;
        }
        let key = key.trim_end_matches(' ');
        if !is_name(key) || map.contains_key(key) {
            return None;
        }
        if !matches!(plain_scalar(key)?, Value::String(_)) {
            return None;
        }
        map.insert(key.to_string(), flow_scalar(value.trim_start_matches(' '))?);
    }
    Some(Value::Object(map))
}

fn flow_sequence(text: &str) -> Option<Value> {
    flow_items(text, '[', ']')?
        .into_iter()
        .map(flow_scalar)
        .collect::<Option<Vec<_>>>()
        .map(Value::Array)
}
