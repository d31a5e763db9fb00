//! What the receiver rules share: the roster person a handoff that is still open (`draft` or
//! `submitted`) is addressed to. An accepted or rejected handoff is history: who received it
//! then is not re-judged by today's roster.

use serde_json::Value;

use super::{text_at, RuleContext};
use crate::document::Document;
use crate::roster::Person;

/// The receiver's roster entry and `to.name` as written, for an open handoff.
pub fn open_receiver<'a>(
    context: &RuleContext<'a>,
    document: &'a Document,
) -> Option<(&'a Person, &'a str)> {
    let value = &document.value;
    let status = value.get("status").and_then(Value::as_str)?;
    if !matches!(status, "draft" | "submitted") {
        return None;
    }
    let name = text_at(value, "/to/name")?;
    Some((context.roster?.find(name)?, name.trim()))
}
