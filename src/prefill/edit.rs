//! Filling an existing handoff without re-serialising it: each value is written into the text
//! at its node's position (from [`crate::document::PositionIndex`]), so comments, key order,
//! quoting and layout stay as the person left them. Only absent, null, empty or placeholder
//! fields are filled; a written value the export contradicts is reported, never changed.
//! Every edit is checked by parsing the result: the new text must hold exactly the old values
//! plus the filled ones, else nothing is written.

use serde_json::{Map, Value};

use super::calls::Candidates;
use super::plan::Fill;
use super::report::{Disagreement, NotPlaced};
use crate::document::{self, PositionIndex};
use crate::playbook::score::is_placeholder;
use crate::scaffold::skeleton::{fold_line, yaml_text};

/// The result of filling a text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edited {
    /// The new text.
    pub text: String,
    /// The fills written (a person's partly written object counts once).
    pub filled: Vec<Fill>,
    /// Paths whose written value already equals the export's.
    pub agreed: Vec<String>,
    /// Written values the export contradicts.
    pub disagreements: Vec<Disagreement>,
    /// Values with no place in the text.
    pub not_placed: Vec<NotPlaced>,
    /// Candidate comment lines written.
    pub candidates: usize,
    /// `sources` entries added.
    pub sources_added: Vec<String>,
}

/// Whether a value counts as not answered: absent, null, empty, a placeholder, or an object
/// whose values are all so.
pub fn is_empty(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => true,
        Some(Value::String(s)) => s.trim().is_empty() || is_placeholder(s),
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(map)) => map.values().all(|v| is_empty(Some(v))),
        Some(_) => false,
    }
}

/// Whether a written value says the same as the export's (text case-insensitively, numbers by
/// value, people by name).
fn same(written: &Value, export: &Value) -> bool {
    match (written, export) {
        (Value::String(a), Value::String(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Object(a), Value::Object(b)) => match (a.get("name"), b.get("name")) {
            (Some(x), Some(y)) => same(x, y),
            _ => a == b,
        },
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        _ => written == export,
    }
}

/// A text as lines, with its line ending.
struct Lines {
    lines: Vec<String>,
    eol: &'static str,
    final_newline: bool,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let final_newline = text.ends_with('\n');
        let body = text.strip_suffix('\n').unwrap_or(text);
        let body = if eol == "\r\n" {
            body.strip_suffix('\r').unwrap_or(body)
        } else {
            body
        };
        let lines = if body.is_empty() {
            Vec::new()
        } else {
            body.split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
                .collect()
        };
        Lines {
            lines,
            eol,
            final_newline,
        }
    }

    fn text(&self) -> String {
        let mut text = self.lines.join(self.eol);
        // A file without a last line break keeps it that way unless lines were added at its end.
        if self.final_newline {
            text.push_str(self.eol);
        }
        text
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// Splits a key line at its key: (byte offset after the `:`, or None when it cannot be read).
fn after_colon(line: &str, key_byte: usize) -> Option<usize> {
    let rest = line.get(key_byte..)?;
    let mut chars = rest.char_indices().peekable();
    if let Some(&(_, quote)) = chars.peek() {
        if quote == '"' || quote == '\'' {
            chars.next();
            let mut escaped = false;
            for (i, c) in chars.by_ref() {
                if quote == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == quote && !escaped {
                    let after = &rest[i + 1..];
                    let trimmed = after.trim_start_matches(' ');
                    return trimmed
                        .starts_with(':')
                        .then(|| key_byte + i + 1 + (after.len() - trimmed.len()) + 1);
                }
                escaped = false;
            }
            return None;
        }
    }
    for (i, c) in rest.char_indices() {
        if c == ':' {
            let next = rest[i + 1..].chars().next();
            if next.is_none() || next == Some(' ') {
                return Some(key_byte + i + 1);
            }
        }
    }
    None
}

/// Splits what follows a `key:` into the value text and a trailing comment (with its spaces).
fn value_and_comment(rest: &str) -> (&str, &str) {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in rest.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && rest[..i].trim().is_empty() => quote = Some(c),
            None if c == '#' && (previous == ' ' || i == 0) => {
                let value = rest[..i].trim_end();
                return (value, &rest[value.len()..]);
            }
            None => {}
        }
        previous = c;
    }
    (rest.trim_end(), "")
}

fn byte_of_column(line: &str, column: usize) -> usize {
    line.char_indices()
        .nth(column.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(line.len())
}

/// A string as a block-context YAML value: plain when it reads back as the same string
/// (`850 employees`, `Columbus, Ohio`, `2026-11-01`), double-quoted otherwise.
pub fn block_text(text: &str) -> String {
    let quoted = yaml_text(text);
    if !quoted.starts_with('"') {
        return quoted;
    }
    let plain_enough = !text.is_empty()
        && text.trim() == text
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
        && !text.chars().any(|c| c.is_control() || c == '\\');
    if plain_enough {
        let line = format!("k: {text}\n");
        if let Ok(parsed) = document::parse_value(line.as_bytes(), u64::MAX) {
            if parsed.value.get("k").and_then(Value::as_str) == Some(text) {
                return text.to_string();
            }
        }
    }
    quoted
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => block_text(s),
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(_) => flow_text(value),
    }
}

#[cfg(test)]
#[test]
fn block_text_is_plain_where_it_reads_back() {
    assert_eq!(block_text("850 employees"), "850 employees");
    assert_eq!(
        block_text("Columbus, Ohio, United States"),
        "Columbus, Ohio, United States"
    );
    assert_eq!(block_text("2026-11-01"), "2026-11-01");
    assert_eq!(block_text("12"), "\"12\"");
    assert_eq!(block_text("true"), "\"true\"");
    assert_eq!(block_text("a: b"), "\"a: b\"");
    assert_eq!(block_text("- x"), "\"- x\"");
}

fn flow_text(value: &Value) -> String {
    match value {
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", yaml_text(k), scalar_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::String(s) => yaml_text(s),
        other => scalar_text(other),
    }
}

/// A list item at `indent`: `- {k: v, ...}` when that fits 80 columns, else a block mapping
/// (`- k: v` and `  k: v` lines, each folded to fit where its value allows).
pub fn item_lines(item: &Value, indent: usize) -> Vec<String> {
    let flow = flow_text(item);
    let pad = " ".repeat(indent);
    let map = match item {
        Value::Object(map) if !map.is_empty() && indent + 2 + flow.chars().count() > 80 => map,
        _ => return fold_line(indent, "-", &flow),
    };
    let mut lines = Vec::new();
    for (index, (key, value)) in map.iter().enumerate() {
        let head = format!("{}:", yaml_text(key));
        let mut entry = fold_line(indent + 2, &head, &flow_text(value));
        if index == 0 {
            if let Some(first) = entry.first_mut() {
                *first = format!("{pad}- {}", first.trim_start());
            }
        }
        lines.extend(entry);
    }
    lines
}

/// Block lines for `value` under a key at `indent` (the key line itself not included), or
/// `None` when the value fits on the key's line.
fn block_lines(value: &Value, indent: usize, key: &str) -> Option<Vec<String>> {
    let pad = " ".repeat(indent + 2);
    match value {
        Value::Object(map) => Some(
            map.iter()
                .flat_map(|(k, v)| {
                    let head = format!("{pad}{}:", yaml_text(k));
                    match block_lines(v, indent + 2, k) {
                        Some(mut lines) => {
                            lines.insert(0, head);
                            lines
                        }
                        None => {
                            fold_line(indent + 2, &format!("{}:", yaml_text(k)), &scalar_text(v))
                        }
                    }
                })
                .collect(),
        ),
        Value::Array(items) if items.iter().any(Value::is_object) => Some(
            items
                .iter()
                .flat_map(|item| item_lines(item, indent + 2))
                .collect(),
        ),
        // A list of scalars too long for its key's line: `- item` lines.
        Value::Array(items)
            if !items.is_empty()
                && indent + key.chars().count() + 2 + scalar_text(value).chars().count() > 80 =>
        {
            Some(
                items
                    .iter()
                    .flat_map(|item| fold_line(indent + 2, "-", &flow_text(item)))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// Lines for a chain of missing keys ending in `value`, at `indent`.
fn chain_lines(keys: &[String], value: &Value, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let key = yaml_text(&keys[0]);
    if keys.len() > 1 {
        let mut lines = vec![format!("{pad}{key}:")];
        lines.extend(chain_lines(&keys[1..], value, indent + 2));
        return lines;
    }
    match block_lines(value, indent, &keys[0]) {
        Some(mut lines) => {
            lines.insert(0, format!("{pad}{key}:"));
            lines
        }
        None => fold_line(indent, &format!("{key}:"), &scalar_text(value)),
    }
}

fn pointer(keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("/{}", document::escape(k)))
        .collect()
}

/// The working state: the text, its value and positions, re-read after every edit.
struct Working {
    lines: Lines,
    value: Value,
    positions: PositionIndex,
}

impl Working {
    fn new(text: &str) -> Result<Working, String> {
        let parsed = document::parse(text.as_bytes(), u64::MAX)
            .map_err(|f| format!("line {}: {}", f.line, f.message))?;
        Ok(Working {
            lines: Lines::new(text),
            positions: parsed.positions,
            value: parsed.value,
        })
    }

    fn reload(&mut self) -> Result<(), String> {
        *self = Working::new(&self.lines.text())?;
        Ok(())
    }

    /// The 0-based line and byte column of a key, when the path exists.
    fn key_at(&self, keys: &[String]) -> Option<(usize, usize)> {
        let pointer = pointer(keys);
        self.value.pointer(&pointer)?;
        let position = self.positions.locate(&pointer);
        let line = position.line.checked_sub(1)?;
        let text = self.lines.lines.get(line)?;
        Some((line, byte_of_column(text, position.column)))
    }

    /// The last line of the block that belongs to the key on `line` whose key starts at byte
    /// `indent`: the lines indented deeper, and `-` items at the key's own indentation right
    /// below it (YAML allows a list there). Comments and blank lines are skipped over.
    fn block_end(&self, line: usize, indent: usize) -> usize {
        let mut end = line;
        let mut list = true;
        for (i, text) in self.lines.lines.iter().enumerate().skip(line + 1) {
            if is_blank_or_comment(text) {
                continue;
            }
            let deeper = indent_of(text) > indent;
            let item = indent_of(text) == indent && text.trim_start().starts_with('-');
            if !(deeper || item && list) {
                break;
            }
            list = list && item;
            end = i;
        }
        end
    }

    /// Replaces the (empty) value of an existing key with `value`.
    fn set(&mut self, keys: &[String], value: &Value) -> Result<(), String> {
        let (line, key_byte) = self
            .key_at(keys)
            .ok_or_else(|| "its key could not be found".to_string())?;
        let text = self.lines.lines[line].clone();
        let colon = after_colon(&text, key_byte)
            .ok_or_else(|| "its line could not be read as `key: value`".to_string())?;
        let (old, comment) = value_and_comment(&text[colon..]);
        let old = old.trim();
        let indent = key_byte;
        // What follows the key line and belongs to it (a `|` text, a block list).
        let end = self.block_end(line, indent);
        let continuation: Vec<usize> = (line + 1..=end)
            .filter(|&i| !is_blank_or_comment(&self.lines.lines[i]))
            .collect();
        let block_scalar = old.starts_with('|') || old.starts_with('>');
        if !continuation.is_empty() && !block_scalar && !old.is_empty() {
            return Err("it is written over several lines; fill it in by hand".into());
        }
        if !continuation.is_empty() && old.is_empty() {
            // A block value below the key (an empty list of `-` items cannot be empty, so this
            // is a mapping or list whose entries are all empty): not ours to rewrite.
            return Err("it has entries below it; fill them in by hand".into());
        }
        let head = text[..colon].to_string();
        let mut replacement = Vec::new();
        let key = text.get(indent..colon).unwrap_or("").trim_end_matches(':');
        match block_lines(value, indent, key) {
            Some(lines) => {
                replacement.push(format!("{head}{comment}"));
                replacement.extend(lines);
            }
            // Folded to 80 columns where the line has no comment of its own to keep.
            None if comment.is_empty() && text[..indent].trim().is_empty() => {
                replacement.extend(fold_line(indent, &text[indent..colon], &scalar_text(value)))
            }
            None => replacement.push(format!("{head} {}{comment}", scalar_text(value))),
        }
        // A `|` text's lines go with it (comment-like lines in it are part of the text).
        let last = if block_scalar { end } else { line };
        self.lines.lines.splice(line..=last, replacement);
        Ok(())
    }

    /// Adds a missing key (and its missing parents) at the end of its nearest existing parent.
    fn insert(&mut self, keys: &[String], value: &Value) -> Result<(), String> {
        let mut depth = keys.len() - 1;
        while depth > 0 && self.value.pointer(&pointer(&keys[..depth])).is_none() {
            depth -= 1;
        }
        let parent = &keys[..depth];
        let missing = &keys[depth..];
        let parent_value = if parent.is_empty() {
            Some(&self.value)
        } else {
            self.value.pointer(&pointer(parent))
        };
        match parent_value {
            Some(Value::Object(_)) | Some(Value::Null) => {}
            _ => {
                return Err(format!(
                    "`{}` holds something other than fields; add it by hand",
                    parent.join(".")
                ))
            }
        }
        if parent.is_empty() {
            let lines = chain_lines(missing, value, 0);
            self.lines.lines.extend(lines);
            self.lines.final_newline = true;
            return Ok(());
        }
        let (line, key_byte) = self
            .key_at(parent)
            .ok_or_else(|| "its parent's key could not be found".to_string())?;
        let text = self.lines.lines[line].clone();
        let colon = after_colon(&text, key_byte)
            .ok_or_else(|| "its parent's line could not be read as `key: value`".to_string())?;
        let (old, comment) = value_and_comment(&text[colon..]);
        let old = old.trim();
        let empty_inline = matches!(old, "" | "~" | "null" | "Null" | "NULL" | "{}");
        let parent_is_empty = self
            .value
            .pointer(&pointer(parent))
            .is_none_or(|v| v.is_null() || v.as_object().is_some_and(Map::is_empty));
        if !(old.is_empty() || empty_inline && parent_is_empty) {
            return Err(format!(
                "`{}` is written on one line ({old}); add it by hand",
                parent.join(".")
            ));
        }
        let end = self.block_end(line, key_byte);
        let child_indent = (line + 1..=end)
            .map(|i| &self.lines.lines[i])
            .find(|l| !is_blank_or_comment(l))
            .map(|l| indent_of(l))
            .unwrap_or(key_byte + 2);
        let lines = chain_lines(missing, value, child_indent);
        if !old.is_empty() {
            self.lines.lines[line] = format!("{}{comment}", &text[..colon]);
        }
        let at = end + 1;
        self.lines.lines.splice(at..at, lines);
        Ok(())
    }

    /// Writes comment lines right above a key (or its nearest existing parent, or at the end).
    fn comment_above(&mut self, keys: &[String], notes: &[String]) -> usize {
        let mut depth = keys.len();
        let mut at = None;
        while depth > 0 {
            if let Some(found) = self.key_at(&keys[..depth]) {
                at = Some(found);
                break;
            }
            depth -= 1;
        }
        let existing: Vec<String> = self
            .lines
            .lines
            .iter()
            .map(|l| l.trim().to_string())
            .collect();
        let (line, indent) = match at {
            Some((line, _)) => (line, indent_of(&self.lines.lines[line])),
            None => (self.lines.lines.len(), 0),
        };
        // Each note wrapped to 80 columns; one already in the file (its first line) is not
        // written again.
        let fresh: Vec<Vec<String>> = notes
            .iter()
            .map(|n| crate::scaffold::skeleton::note_lines(n, indent))
            .filter(|wrapped| {
                !wrapped
                    .first()
                    .is_some_and(|first| existing.iter().any(|l| l.starts_with(first.as_str())))
            })
            .collect();
        if fresh.is_empty() {
            return 0;
        }
        if at.is_none() {
            self.lines.final_newline = true;
        }
        let pad = " ".repeat(indent);
        let count = fresh.len();
        let lines: Vec<String> = fresh
            .into_iter()
            .flatten()
            .map(|l| format!("{pad}{l}"))
            .collect();
        self.lines.lines.splice(line..line, lines);
        count
    }
}

/// Splits a dotted path into keys.
fn keys_of(path: &str) -> Vec<String> {
    path.split('.').map(str::to_string).collect()
}

/// Fills `source` (a parsed handoff's text) with the fills, candidates, sources and
/// provenance. `Err` says why the text cannot be edited safely (nothing is written then).
pub fn apply(
    source: &str,
    fills: &[Fill],
    candidates: &Candidates,
    sources: &[String],
) -> Result<Edited, String> {
    let mut work = Working::new(source)?;
    let original = work.value.clone();
    let mut expected = original.clone();
    let mut edited = Edited::default();
    let set_expected = |expected: &mut Value, keys: &[String], value: &Value| {
        let mut node = expected;
        for key in &keys[..keys.len() - 1] {
            if !node.is_object() {
                *node = Value::Object(Map::new());
            }
            node = node
                .as_object_mut()
                .map(|m| m.entry(key.clone()).or_insert(Value::Null))
                .expect("an object");
            if node.is_null() {
                *node = Value::Object(Map::new());
            }
        }
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        if let Some(map) = node.as_object_mut() {
            map.insert(keys[keys.len() - 1].clone(), value.clone());
        }
    };
    let write = |work: &mut Working,
                 expected: &mut Value,
                 keys: &[String],
                 value: &Value|
     -> Result<(), String> {
        let exists = work.value.pointer(&pointer(keys)).is_some();
        let backup = work.lines.lines.clone();
        if exists {
            work.set(keys, value)?;
        } else {
            work.insert(keys, value)?;
        }
        if let Err(problem) = work.reload() {
            work.lines.lines = backup;
            work.reload()?;
            return Err(format!(
                "writing it there would break the file ({problem}); fill it in by hand"
            ));
        }
        if work.value.pointer(&pointer(keys)) != Some(value) {
            work.lines.lines = backup;
            work.reload()?;
            return Err("it could not be written where it belongs; fill it in by hand".into());
        }
        set_expected(expected, keys, value);
        Ok(())
    };
    for fill in fills {
        let keys = keys_of(&fill.path);
        let current = work.value.pointer(&pointer(&keys)).cloned();
        let whole = is_empty(current.as_ref())
            && !matches!(&current, Some(Value::Object(m)) if !m.is_empty());
        let outcome: Result<bool, String> = if whole {
            write(&mut work, &mut expected, &keys, &fill.value).map(|()| true)
        } else {
            match (&current, &fill.value) {
                (Some(Value::Object(written)), Value::Object(export)) => {
                    let name_differs = match (written.get("name"), export.get("name")) {
                        (Some(w), Some(e)) if !is_empty(Some(w)) => !same(w, e),
                        _ => false,
                    };
                    if name_differs {
                        if fill.compare {
                            edited.disagreements.push(Disagreement {
                                path: fill.path.clone(),
                                written: Value::Object(written.clone()),
                                export: fill.value.clone(),
                                citation: fill.provenance(),
                            });
                        }
                        continue;
                    }
                    let mut wrote = false;
                    let mut result = Ok(());
                    for (key, value) in export {
                        let mut sub = keys.clone();
                        sub.push(key.clone());
                        let now = work.value.pointer(&pointer(&sub)).cloned();
                        if is_empty(now.as_ref()) {
                            if let Err(e) = write(&mut work, &mut expected, &sub, value) {
                                result = Err(e);
                                break;
                            }
                            wrote = true;
                        } else if let Some(now) = now.filter(|n| !same(n, value)) {
                            if fill.compare {
                                edited.disagreements.push(Disagreement {
                                    path: sub.join("."),
                                    written: now,
                                    export: value.clone(),
                                    citation: fill.provenance(),
                                });
                            }
                        }
                    }
                    result.map(|()| wrote)
                }
                (Some(written), export) => {
                    if !same(written, export) && fill.compare {
                        edited.disagreements.push(Disagreement {
                            path: fill.path.clone(),
                            written: written.clone(),
                            export: export.clone(),
                            citation: fill.provenance(),
                        });
                    }
                    Ok(false)
                }
                // An absent value is empty: written above.
                (None, _) => Ok(false),
            }
        };
        match outcome {
            Ok(true) => edited.filled.push(fill.clone()),
            Ok(false) => {
                let all_agree = current.as_ref().is_some_and(|c| same(c, &fill.value));
                if all_agree && !edited.agreed.contains(&fill.path) {
                    edited.agreed.push(fill.path.clone());
                }
            }
            Err(reason) => {
                edited.not_placed.push(NotPlaced {
                    path: fill.path.clone(),
                    reason,
                });
            }
        }
    }
    for (path, notes) in &candidates.by_field {
        edited.candidates += work.comment_above(&keys_of(path), notes);
    }
    work.reload()?;

    // `sources`: the exports used, appended to what is there.
    let written: Vec<String> = match work.value.get("sources") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    let new_sources: Vec<String> = sources
        .iter()
        .filter(|s| {
            !written
                .iter()
                .any(|w| w.trim().eq_ignore_ascii_case(s.trim()))
        })
        .cloned()
        .collect();
    let used = !edited.filled.is_empty() || edited.candidates > 0;
    if !new_sources.is_empty() && used {
        match add_sources(&mut work, &new_sources) {
            Ok(all) => {
                work.reload()?;
                set_expected(&mut expected, &["sources".to_string()], &all);
                edited.sources_added = new_sources;
            }
            Err(reason) => edited.not_placed.push(NotPlaced {
                path: "sources".into(),
                reason,
            }),
        }
    }

    // `provenance`: one entry per field filled now (an entry already there is kept).
    for fill in edited.filled.clone() {
        let keys = vec!["provenance".to_string(), fill.path.clone()];
        if work.value.pointer(&pointer(&keys)).is_some() {
            continue;
        }
        let citation = Value::String(fill.provenance());
        if let Err(reason) = write(&mut work, &mut expected, &keys, &citation) {
            edited.not_placed.push(NotPlaced {
                path: format!("provenance.{}", fill.path),
                reason,
            });
        }
    }

    if work.value != expected {
        return Err(
            "the edits would change values other than the empty ones (nothing was written); fill it with `handoff new --prefill` into a new file, or by hand"
                .into(),
        );
    }
    edited.text = work.lines.text();
    Ok(edited)
}

/// Appends entries to `sources` (a block list, a one-line flow list, or nothing yet); returns
/// the whole list.
fn add_sources(work: &mut Working, new: &[String]) -> Result<Value, String> {
    let keys = vec!["sources".to_string()];
    let current = work.value.get("sources").cloned();
    let mut all: Vec<Value> = match &current {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    all.extend(new.iter().cloned().map(Value::String));
    let all = Value::Array(all);
    match &current {
        None => work.insert(&keys, &all)?,
        Some(value) if is_empty(Some(value)) => work.set(&keys, &all)?,
        Some(Value::Array(_)) => {
            let (line, key_byte) = work
                .key_at(&keys)
                .ok_or_else(|| "its key could not be found".to_string())?;
            let text = work.lines.lines[line].clone();
            let colon = after_colon(&text, key_byte)
                .ok_or_else(|| "its line could not be read".to_string())?;
            let (old, comment) = value_and_comment(&text[colon..]);
            let old = old.trim();
            if old.starts_with('[') && old.ends_with(']') {
                let items: Vec<String> = new.iter().map(|s| yaml_text(s)).collect();
                let inner = old[1..old.len() - 1].trim();
                let joined = if inner.is_empty() {
                    items.join(", ")
                } else {
                    format!("{inner}, {}", items.join(", "))
                };
                work.lines.lines[line] = format!("{} [{joined}]{comment}", &text[..colon]);
            } else if old.is_empty() {
                let end = work.block_end(line, key_byte);
                let item_line = (line + 1..=end)
                    .map(|i| work.lines.lines[i].clone())
                    .find(|l| l.trim_start().starts_with('-'))
                    .ok_or_else(|| "its items could not be found".to_string())?;
                let pad = " ".repeat(indent_of(&item_line));
                let lines: Vec<String> = new
                    .iter()
                    .map(|s| format!("{pad}- {}", yaml_text(s)))
                    .collect();
                work.lines.lines.splice(end + 1..end + 1, lines);
            } else {
                return Err(
                    "it is written in a way this tool does not edit; add the sources by hand"
                        .into(),
                );
            }
        }
        Some(_) => return Err("it is not a list; make it one".into()),
    }
    Ok(all)
}

/// One change [`set_fields`] makes to a handoff's text.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldEdit {
    /// Sets the value at the dotted `path` (a scalar, or a mapping written as a block): the
    /// value on the key's line is replaced, or the key (with its missing parents) is added.
    Set {
        /// Dotted path, e.g. `feedback.rating`.
        path: String,
        /// The new value.
        value: Value,
        /// A new top-level key goes right below this top-level key's block (when there is one),
        /// else at the end of the file.
        after: Option<String>,
    },
    /// Removes a top-level key with the lines of its value (absent: nothing to do).
    Remove {
        /// The key.
        key: String,
    },
}

impl Working {
    /// Adds the missing top-level chain `keys` right below the block of top-level `anchor`.
    fn insert_after(&mut self, keys: &[String], value: &Value, anchor: &str) -> Result<(), String> {
        let anchor = vec![anchor.to_string()];
        let Some((line, 0)) = self.key_at(&anchor) else {
            return self.insert(keys, value);
        };
        let end = self.block_end(line, 0);
        let lines = chain_lines(keys, value, 0);
        self.lines.lines.splice(end + 1..end + 1, lines);
        Ok(())
    }

    /// Removes a top-level key's line and the lines of its value (comments right below it,
    /// inside its block, go with it; a comment above it stays).
    fn remove(&mut self, key: &str) -> Result<(), String> {
        let keys = vec![key.to_string()];
        let (line, key_byte) = self
            .key_at(&keys)
            .ok_or_else(|| format!("`{key}` could not be found"))?;
        if key_byte != 0 {
            return Err(format!(
                "`{key}` is not at the start of its line; remove it by hand"
            ));
        }
        let end = self.block_end(line, 0);
        self.lines.lines.drain(line..=end);
        Ok(())
    }
}

/// Applies `edits` to `source` (a handoff's text) at the nodes' positions: every line the
/// edits do not touch stays byte for byte (comments, blank lines, quoting, key order, line
/// endings). The result is parsed again and must hold exactly the old values with the edits
/// applied; `Err` says why the text cannot be edited safely (nothing is written then).
pub fn set_fields(source: &str, edits: &[FieldEdit]) -> Result<String, String> {
    let mut work = Working::new(source)?;
    let mut expected = work.value.clone();
    for edit in edits {
        let backup = work.lines.lines.clone();
        let backup_final_newline = work.lines.final_newline;
        let (keys, done) = match edit {
            FieldEdit::Set { path, value, after } => {
                let keys = keys_of(path);
                let exists = work.value.pointer(&pointer(&keys)).is_some();
                // A value under a top-level key that is there already goes inside it.
                let top_exists = keys.len() > 1 && work.value.get(&keys[0]).is_some();
                let done = if exists {
                    work.set(&keys, value)
                } else if let (Some(anchor), false) = (after, top_exists) {
                    work.insert_after(&keys, value, anchor)
                } else {
                    work.insert(&keys, value)
                };
                (keys, done)
            }
            FieldEdit::Remove { key } => {
                if work.value.get(key).is_none() {
                    continue;
                }
                (vec![key.clone()], work.remove(key))
            }
        };
        let shown = keys.join(".");
        done.map_err(|reason| format!("`{shown}`: {reason}"))?;
        if let Err(problem) = work.reload() {
            work.lines.lines = backup;
            work.lines.final_newline = backup_final_newline;
            return Err(format!(
                "`{shown}`: writing it would break the file ({problem}); edit it by hand"
            ));
        }
        match edit {
            FieldEdit::Set { value, .. } => {
                if work.value.pointer(&pointer(&keys)) != Some(value) {
                    return Err(format!(
                        "`{shown}` could not be written where it belongs; edit it by hand"
                    ));
                }
                set_at(&mut expected, &keys, value);
            }
            FieldEdit::Remove { key } => {
                if let Some(map) = expected.as_object_mut() {
                    map.remove(key);
                }
            }
        }
    }
    if work.value != expected {
        return Err(
            "the edit would change other values too (nothing was written); edit it by hand".into(),
        );
    }
    Ok(work.lines.text())
}

/// Sets `keys` in `value`, making objects on the way.
fn set_at(value: &mut Value, keys: &[String], new: &Value) {
    let mut node = value;
    for key in keys {
        if !node.is_object() {
            *node = Value::Object(Map::new());
        }
        node = node
            .as_object_mut()
            .map(|m| m.entry(key.clone()).or_insert(Value::Null))
            .expect("an object");
    }
    *node = new.clone();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fill(path: &str, value: Value) -> Fill {
        Fill {
            path: path.into(),
            value,
            citation: format!("HubSpot deal 1 · {path}"),
            inferred: None,
            compare: true,
        }
    }

    const WRITTEN: &str = "\
# Written by a person: keep every comment.
type: sales-cs
status: draft
title: Acme — Sales → CS
from: {name: Jane Doe, role: AE}
to: {name: Sam Lee}
customer:
  company: Acme Corp   # as on the order form
  # What industry?
  industry: TBD
  primary_contact:
    name: Pat Kim
    title:
deal:
  amount: 50000
  bought: |
    TODO
expectations:
  go_live:
sources:
  - CRM
";

    #[test]
    fn only_empty_fields_are_filled_and_comments_and_layout_stay() {
        let fills = vec![
            fill("customer.company", json!("Acme Corporation")),
            fill("customer.industry", json!("Healthcare")),
            fill("customer.size", json!("500 employees")),
            fill(
                "customer.primary_contact",
                json!({"name": "Pat Kim", "title": "VP Operations", "email": "pat@acme.example"}),
            ),
            fill("deal.amount", json!(48000)),
            fill("deal.currency", json!("USD")),
            fill("deal.bought", json!("Platform × 1")),
            fill(
                "relationships.champion",
                json!({"name": "Pat Kim", "title": "VP Operations"}),
            ),
        ];
        let edited = apply(
            WRITTEN,
            &fills,
            &Candidates::default(),
            &["CRM: HubSpot deal 1".into()],
        )
        .unwrap();
        let expected = "\
# Written by a person: keep every comment.
type: sales-cs
status: draft
title: Acme — Sales → CS
from: {name: Jane Doe, role: AE}
to: {name: Sam Lee}
customer:
  company: Acme Corp   # as on the order form
  # What industry?
  industry: Healthcare
  primary_contact:
    name: Pat Kim
    title: VP Operations
    email: pat@acme.example
  size: 500 employees
deal:
  amount: 50000
  bought: Platform × 1
  currency: USD
expectations:
  go_live:
sources:
  - CRM
  - \"CRM: HubSpot deal 1\"
relationships:
  champion:
    name: Pat Kim
    title: VP Operations
provenance:
  customer.industry: HubSpot deal 1 · customer.industry
  customer.size: HubSpot deal 1 · customer.size
  customer.primary_contact: HubSpot deal 1 · customer.primary_contact
  deal.currency: HubSpot deal 1 · deal.currency
  deal.bought: HubSpot deal 1 · deal.bought
  relationships.champion: HubSpot deal 1 · relationships.champion
";
        assert_eq!(edited.text, expected);
        let paths: Vec<_> = edited
            .disagreements
            .iter()
            .map(|d| d.path.as_str())
            .collect();
        assert_eq!(paths, vec!["customer.company", "deal.amount"]);
        assert_eq!(edited.disagreements[1].written, json!(50000));
        assert_eq!(edited.filled.len(), 6);
        // Running it again changes nothing.
        let again = apply(
            &edited.text,
            &fills,
            &Candidates::default(),
            &["CRM: HubSpot deal 1".into()],
        )
        .unwrap();
        assert_eq!(again.text, edited.text);
        assert!(again.filled.is_empty());
    }

    #[test]
    fn a_different_person_is_a_disagreement_not_a_merge() {
        let fills = vec![fill(
            "customer.primary_contact",
            json!({"name": "Lee Chan", "title": "COO"}),
        )];
        let edited = apply(WRITTEN, &fills, &Candidates::default(), &[]).unwrap();
        assert_eq!(edited.text, WRITTEN);
        assert_eq!(edited.disagreements.len(), 1);
    }

    #[test]
    fn candidates_go_above_their_keys_once() {
        let mut candidates = Candidates::default();
        candidates.by_field.insert(
            "expectations.go_live".into(),
            vec!["Per Gong (Discovery call, 2026-10-12, 07:40), Pat Kim: \"By March\"".into()],
        );
        let edited = apply(
            WRITTEN,
            &[],
            &candidates,
            &["Gong: Discovery call 2026-10-12".into()],
        )
        .unwrap();
        assert!(edited.text.contains(
            "expectations:\n  # Per Gong (Discovery call, 2026-10-12, 07:40), Pat Kim: \"By March\"\n  go_live:\n"
        ), "{}", edited.text);
        assert!(edited
            .text
            .contains("  - \"Gong: Discovery call 2026-10-12\"\n"));
        let again = apply(
            &edited.text,
            &[],
            &candidates,
            &["Gong: Discovery call 2026-10-12".into()],
        )
        .unwrap();
        assert_eq!(again.text, edited.text);
    }

    #[test]
    fn flow_style_parents_and_crlf() {
        let text = "type: sales-cs\r\nstatus: draft\r\nfrom: {name: Jane Doe}\r\nto: {name: Sam Lee}\r\nsources: [CRM]\r\n";
        let fills = vec![
            fill("from.email", json!("jane@example.com")),
            fill("title", json!("Acme — Sales → CS handoff")),
        ];
        let edited = apply(
            text,
            &fills,
            &Candidates::default(),
            &["CRM: HubSpot deal 1".into()],
        )
        .unwrap();
        assert_eq!(edited.not_placed.len(), 1, "{:?}", edited.not_placed);
        assert_eq!(edited.not_placed[0].path, "from.email");
        assert_eq!(
            edited.text,
            "type: sales-cs\r\nstatus: draft\r\nfrom: {name: Jane Doe}\r\nto: {name: Sam Lee}\r\nsources: [CRM, \"CRM: HubSpot deal 1\"]\r\ntitle: Acme — Sales → CS handoff\r\nprovenance:\r\n  title: HubSpot deal 1 · title\r\n"
        );
    }

    #[test]
    fn empty_parents_and_null_objects() {
        let text = "type: sales-cs\nstatus: draft\ncustomer:\n  primary_contact: ~  # who?\nrelationships: {}\n";
        let fills = vec![
            fill("customer.primary_contact", json!({"name": "Pat Kim"})),
            fill("relationships.champion", json!({"name": "Pat Kim"})),
        ];
        let edited = apply(text, &fills, &Candidates::default(), &[]).unwrap();
        assert_eq!(
            edited.text,
            "type: sales-cs\nstatus: draft\ncustomer:\n  primary_contact:  # who?\n    name: Pat Kim\nrelationships:\n  champion:\n    name: Pat Kim\nprovenance:\n  customer.primary_contact: HubSpot deal 1 · customer.primary_contact\n  relationships.champion: HubSpot deal 1 · relationships.champion\n"
        );
    }

    #[test]
    fn a_file_without_a_last_line_break_is_left_alone_when_nothing_is_filled() {
        let text = "type: sales-cs\nstatus: draft\ncustomer:\n  company: Acme";
        let edited = apply(
            text,
            &[fill("customer.company", json!("Acme"))],
            &Candidates::default(),
            &[],
        )
        .unwrap();
        assert_eq!(edited.text, text);
        assert_eq!(edited.agreed, vec!["customer.company"]);
        let edited = apply(
            text,
            &[fill("customer.size", json!("5 employees"))],
            &Candidates::default(),
            &[],
        )
        .unwrap();
        assert!(
            edited.text.starts_with(
                "type: sales-cs\nstatus: draft\ncustomer:\n  company: Acme\n  size: 5 employees\n"
            ),
            "{}",
            edited.text
        );
    }

    #[test]
    fn set_fields_sets_adds_below_an_anchor_and_removes() {
        let text = "type: sales-cs\nstatus: submitted # ready\naccepted_by: Old\nto: {name: Sam Lee}\nfeedback:\n  # why?\n  note: x\n# the end\n";
        let edits = vec![
            FieldEdit::Set {
                path: "status".into(),
                value: serde_json::json!("rejected"),
                after: None,
            },
            FieldEdit::Remove {
                key: "accepted_by".into(),
            },
            FieldEdit::Remove {
                key: "feedback".into(),
            },
            FieldEdit::Set {
                path: "rejection.reason".into(),
                value: serde_json::json!("a: b"),
                after: Some("status".into()),
            },
            FieldEdit::Remove {
                key: "absent".into(),
            },
        ];
        assert_eq!(
            set_fields(text, &edits).unwrap(),
            "type: sales-cs\nstatus: rejected # ready\nrejection:\n  reason: \"a: b\"\nto: {name: Sam Lee}\n# the end\n"
        );
    }

    #[test]
    fn set_fields_refuses_what_it_cannot_place() {
        // A whole document in flow style: nothing can be placed on lines of its own.
        let text = "{type: sales-cs, status: submitted, to: {name: Sam Lee}}\n";
        let edits = vec![FieldEdit::Set {
            path: "accepted_by".into(),
            value: serde_json::json!("Sam Lee"),
            after: Some("status".into()),
        }];
        assert!(set_fields(text, &edits).is_err());
        // A value written over several lines is not replaced.
        let text = "status: submitted\nfeedback:\n  rating: [1,\n    2]\n";
        let edits = vec![FieldEdit::Set {
            path: "feedback.rating".into(),
            value: serde_json::json!(4),
            after: None,
        }];
        assert!(set_fields(text, &edits).is_err());
    }

    #[test]
    fn key_lines() {
        assert_eq!(after_colon("  name: x", 2), Some(7));
        assert_eq!(after_colon("  \"a: b\": x", 2), Some(9));
        assert_eq!(after_colon("url: http://x", 0), Some(4));
        assert_eq!(value_and_comment(" x # c"), (" x", " # c"));
        assert_eq!(value_and_comment(" \"a # b\" # c"), (" \"a # b\"", " # c"));
        assert_eq!(value_and_comment(""), ("", ""));
    }
}
