//! JSON Schemas: each type's schema is compiled once per run (formats checked: `2026-02-30` is
//! not a date), `$ref`s between schema files resolve locally, and validation errors become
//! plain [`SchemaIssue`]s with a JSON pointer and a message a rep understands. The
//! `jsonschema` crate is used only here.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::playbook::HANDOFF_TYPES;

/// Base URI under which schema files resolve each other (`common.json#/$defs/person`).
const BASE: &str = "file:///handoffs/schema/";

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaIssue {
    /// JSON pointer of the offending node.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something more specific than the rule's hint.
    pub help: Option<String>,
}

/// The compiled validators, one per handoff type.
pub struct SchemaSet {
    validators: HashMap<&'static str, Validator>,
    documents: Arc<HashMap<String, Value>>,
}

struct LocalFiles(Arc<HashMap<String, Value>>);

impl Retrieve for LocalFiles {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> std::result::Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.as_str().strip_prefix(BASE).ok_or_else(|| {
            format!(
                "only local schema files can be referenced, not {}",
                uri.as_str()
            )
        })?;
        self.0
            .get(name)
            .cloned()
            .ok_or_else(|| format!("schema/{name} does not exist").into())
    }
}

impl SchemaSet {
    /// Compiles every type's schema. `files` maps file names (`sales-cs.json`, `common.json`)
    /// to their parsed contents; `origin` tells where a name came from, for errors.
    pub fn compile(
        files: HashMap<String, Value>,
        origin: &dyn Fn(&str) -> String,
    ) -> Result<SchemaSet> {
        let files = Arc::new(files);
        let mut validators = HashMap::new();
        for handoff_type in HANDOFF_TYPES {
            let name = format!("{handoff_type}.json");
            let schema = files.get(&name).ok_or_else(|| Error::Asset {
                path: origin(&name),
                message: "missing schema".into(),
            })?;
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .with_base_uri(format!("{BASE}{name}"))
                .with_retriever(LocalFiles(Arc::clone(&files)))
                .build(schema)
                .map_err(|err| Error::Asset {
                    path: origin(&name),
                    message: format!(
                        "not a valid JSON Schema (draft 2020-12): {}",
                        crate::repo::asset::value_free(&err.to_string())
                    ),
                })?;
            validators.insert(handoff_type, validator);
        }
        Ok(SchemaSet {
            validators,
            documents: files,
        })
    }

    /// The schema documents as plain JSON, by file name (`common.json`, `sales-cs.json`): the
    /// renderer reads their shapes (types, properties) without validating.
    pub fn documents(&self) -> &HashMap<String, Value> {
        &self.documents
    }

    /// Validates `value` against the schema of `handoff_type` (one of [`HANDOFF_TYPES`]),
    /// returning every violation (empty when valid).
    pub fn validate(&self, handoff_type: &str, value: &Value) -> Vec<SchemaIssue> {
        let Some(validator) = self.validators.get(handoff_type) else {
            return Vec::new();
        };
        if validator.is_valid(value) {
            return Vec::new();
        }
        let mut issues: Vec<SchemaIssue> = Vec::new();
        // A date that fails both `pattern` and `format` is one problem, not two. The set keeps
        // this linear: a file can hold tens of thousands of violations.
        let mut seen: HashSet<(String, String)> = HashSet::new();
        for error in validator.iter_errors(value) {
            let pointer = error.instance_path().as_str().to_string();
            let issue = describe(&pointer, error.kind(), error.instance(), &error.to_string());
            if seen.insert((issue.pointer.clone(), issue.message.clone())) {
                issues.push(issue);
            }
        }
        // Stable: the validator's order stays within one pointer.
        issues.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        issues
    }
}

/// Consecutive `$ref` hops a walker follows before giving up (a schema that refers to itself
/// in a loop must not hang `render` or `new`).
pub const MAX_REF_HOPS: usize = 32;

/// The one `$ref` walker outside validation: the node that `reference`, found in schema file
/// `file`, names — `common.json#/$defs/x` (another file, by its last path segment),
/// `#/$defs/x` (the same file) or `common.json` (a whole file). `document` looks a schema file
/// up by name and returns it with its name. `None` when the file or the node is missing.
pub fn follow_ref<'d>(
    file: &str,
    reference: &str,
    document: impl FnOnce(&str) -> Option<(&'d str, &'d Value)>,
) -> Option<(&'d str, &'d Value)> {
    let (target, pointer) = match reference.split_once('#') {
        Some(("", pointer)) => (file, pointer),
        Some((other, pointer)) => (other.rsplit('/').next().unwrap_or(other), pointer),
        None => (reference.rsplit('/').next().unwrap_or(reference), ""),
    };
    let (name, root) = document(target)?;
    Some((name, root.pointer(pointer)?))
}

/// `/risks/0/severity` → `risks[0].severity`, for messages.
pub fn field_name(pointer: &str) -> String {
    let mut name = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if token.chars().all(|c| c.is_ascii_digit()) && !token.is_empty() {
            name.push_str(&format!("[{token}]"));
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&token);
        }
    }
    if name.is_empty() {
        "the handoff".to_string()
    } else {
        name
    }
}

fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn describe(
    pointer: &str,
    kind: &ValidationErrorKind,
    instance: &Value,
    fallback: &str,
) -> SchemaIssue {
    let field = field_name(pointer);
    let child = |key: &str| format!("{pointer}/{}", crate::document::escape(key));
    let (pointer, message, help) = match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let key = unexpected.first().cloned().unwrap_or_default();
            let message = if unexpected.len() == 1 {
                format!("unknown key `{key}` in {field}")
            } else {
                format!(
                    "unknown keys {} in {field}",
                    unexpected
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            (child(&key), message, Some("check the spelling against `handoff schema TYPE`; unknown keys are refused so that a typo cannot pass silently".to_string()))
        }
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            (
                pointer.to_string(),
                format!("{field} needs `{key}`"),
                Some(format!("add `{key}:` under {field}")),
            )
        }
        ValidationErrorKind::Format { format } if format == "date" => (
            pointer.to_string(),
            format!(
                "{field}: {} is not a real date in the form YYYY-MM-DD",
                show(instance)
            ),
            Some(date_help(instance)),
        ),
        ValidationErrorKind::Pattern { .. }
            if instance.is_string() && looks_like_date_field(pointer) =>
        {
            (
                pointer.to_string(),
                format!(
                    "{field}: {} is not a real date in the form YYYY-MM-DD",
                    show(instance)
                ),
                Some(date_help(instance)),
            )
        }
        ValidationErrorKind::Format { format } if format == "email" => (
            pointer.to_string(),
            format!("{field}: {} is not a valid email address", show(instance)),
            Some("write a full address like name@company.com, or leave it empty".to_string()),
        ),
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .filter(|t| t != "null")
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let help = if instance.is_string()
                && (expected.contains("number") || expected.contains("integer"))
            {
                "leave a number empty until it is known (`amount:`), and write it without quotes, units or commas (120000)".to_string()
            } else if let Some(text) = expected
                .contains("string")
                .then(|| colon_pair(instance))
                .flatten()
            {
                format!("an unquoted `: ` made this a `key: value` pair; quote the whole text: \"{text}\"")
            } else if expected.contains("string") && instance.is_number() {
                "quote it (\"1.10\") so YAML keeps it as text".to_string()
            } else if expected.contains("array") {
                "write a list: `- item` on its own line per item, or `[a, b]`".to_string()
            } else if expected.contains("object") {
                "write the nested keys under it, indented".to_string()
            } else {
                format!("give {field} a {expected}")
            };
            (
                pointer.to_string(),
                format!("{field}: {} is not a {expected}", show(instance)),
                Some(help),
            )
        }
        ValidationErrorKind::Enum { options } => {
            let choices: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter(|v| !v.is_null())
                        .map(|v| {
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string())
                        })
                        .collect()
                })
                .unwrap_or_default();
            (
                pointer.to_string(),
                format!(
                    "{field}: {} is not one of {}",
                    show(instance),
                    choices.join(", ")
                ),
                Some(format!("use one of: {}", choices.join(", "))),
            )
        }
        ValidationErrorKind::Constant { expected_value } => (
            pointer.to_string(),
            format!("{field} must be {}", expected_value),
            None,
        ),
        ValidationErrorKind::Minimum { limit } => (
            pointer.to_string(),
            format!(
                "{field}: {} is below the minimum of {limit}",
                show(instance)
            ),
            None,
        ),
        _ => {
            let message = match fallback.split_once(": ") {
                Some((_, rest)) if fallback.starts_with('/') => rest.to_string(),
                _ => fallback.to_string(),
            };
            (pointer.to_string(), format!("{field}: {message}"), None)
        }
    };
    SchemaIssue {
        pointer,
        message,
        help,
    }
}

/// A one-entry mapping with a plain value, as YAML reads `- Cut time: by half`: the text as
/// written (`Cut time: by half`, shortened), for a hint to quote it.
fn colon_pair(instance: &Value) -> Option<String> {
    let object = instance.as_object().filter(|o| o.len() == 1)?;
    let (key, value) = object.iter().next()?;
    let value = match value {
        Value::String(text) => text.clone(),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        Value::Null => String::new(),
        _ => return None,
    };
    let text = format!("{key}: {value}")
        .trim_end()
        .replace(['"', '\\'], "'");
    let mut shown: String = text.chars().filter(|c| !c.is_control()).take(60).collect();
    if text.chars().count() > 60 {
        shown.push('…');
    }
    Some(shown)
}

fn looks_like_date_field(pointer: &str) -> bool {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    last == "date"
        || last == "due"
        || last.ends_with("_date")
        || last.ends_with("_start")
        || last.ends_with("_end")
        || last == "go_live"
        || last.ends_with("_at")
}

fn date_help(instance: &Value) -> String {
    let is_placeholder = instance
        .as_str()
        .is_some_and(crate::playbook::score::is_placeholder);
    if is_placeholder {
        "leave a date empty until it is known (`go_live:`): that costs score, not validity"
            .to_string()
    } else {
        "write the date as YYYY-MM-DD (2026-11-30), a day that exists in that month".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_read_like_paths() {
        assert_eq!(field_name("/risks/0/severity"), "risks[0].severity");
        assert_eq!(field_name("/deal/amount"), "deal.amount");
        assert_eq!(field_name(""), "the handoff");
    }
}
