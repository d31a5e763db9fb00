//! What every reader shares: JSON scalars as property text, ids, the export error, and where
//! a deal was read (for the order of deals across files).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::export::{Associated, Record};
use crate::error::Error;

/// Where a deal was read: the file's index, then its position there.
pub(crate) type Order = (usize, usize);

/// An [`Error::Export`] for `path`.
pub(crate) fn export_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Export {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// A JSON scalar as property text: strings as given, numbers as a faithful decimal
/// (`120000.0` → `120000`), booleans as `true`/`false`; null, `""` and containers are absent.
pub(crate) fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number_text(number)),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A JSON number as decimal text, without a `.0` for whole numbers.
pub(crate) fn number_text(number: &serde_json::Number) -> String {
    if let Some(int) = number.as_i64() {
        return int.to_string();
    }
    if let Some(int) = number.as_u64() {
        return int.to_string();
    }
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 1e15 => format!("{float:.0}"),
        Some(float) => float.to_string(),
        None => number.to_string(),
    }
}

/// An id given as a string or an integer (`"9001001"`, `9001001`).
pub(crate) fn id_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) if !text.trim().is_empty() => Some(text.trim().to_string()),
        Value::Number(number) => Some(number_text(number)),
        _ => None,
    }
}

/// Associated records without duplicates, built in linear time (an export may name one
/// record thousands of times): a record seen again merges its labels and fills the properties
/// it lacked. Records are the same when they share a key (see [`AssociatedSet::new`]) and
/// their ids do not differ.
pub(crate) struct AssociatedSet {
    list: Vec<Associated>,
    keys: fn(&Record) -> Vec<String>,
    by_key: HashMap<String, usize>,
    labels: HashSet<(usize, String)>,
}

impl AssociatedSet {
    /// An empty set; `keys` gives a record's keys, most telling first (its id, then e.g. its
    /// e-mail).
    pub(crate) fn new(keys: fn(&Record) -> Vec<String>) -> AssociatedSet {
        AssociatedSet {
            list: Vec::new(),
            keys,
            by_key: HashMap::new(),
            labels: HashSet::new(),
        }
    }

    /// Adds a record with its labels, or merges it into the one it is.
    pub(crate) fn add(&mut self, associated: Associated) {
        let keys = (self.keys)(&associated.record);
        let found = keys.iter().find_map(|key| {
            let at = *self.by_key.get(key)?;
            let known = &self.list[at].record.id;
            let incoming = &associated.record.id;
            (known.is_empty() || incoming.is_empty() || known == incoming).then_some(at)
        });
        let at = match found {
            Some(at) => {
                let known = &mut self.list[at].record;
                if known.id.is_empty() {
                    known.id = associated.record.id;
                }
                for (name, value) in associated.record.properties {
                    known.properties.entry(name).or_insert(value);
                }
                at
            }
            None => {
                let at = self.list.len();
                self.list.push(Associated {
                    record: associated.record,
                    labels: Vec::new(),
                });
                at
            }
        };
        for key in keys {
            self.by_key.entry(key).or_insert(at);
        }
        for label in associated.labels {
            if self.labels.insert((at, label.clone())) {
                self.list[at].labels.push(label);
            }
        }
    }

    /// The records, in the order first added.
    pub(crate) fn into_vec(self) -> Vec<Associated> {
        self.list
    }
}

/// The key of a record that only its id identifies (HubSpot).
pub(crate) fn id_key(record: &Record) -> Vec<String> {
    vec![record.id.clone()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_faithful_decimals() {
        let value: Value = serde_json::from_str("[120000.0, 48000.5, 7, -3, 1e20]").unwrap();
        let texts: Vec<_> = value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| scalar_text(v).unwrap())
            .collect();
        assert_eq!(
            texts,
            ["120000", "48000.5", "7", "-3", "100000000000000000000"]
        );
    }

    #[test]
    fn empty_and_null_are_absent() {
        for text in ["null", "\"\"", "\"  \"", "{}", "[]"] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(scalar_text(&value), None, "{text}");
        }
    }
}

/// Fixtures and builders the readers' tests share.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    use crate::prefill::export::{Exports, Record};
    use crate::prefill::read::parse_exports;

    /// A fixture of `tests/fixtures/crm`, as `parse_exports` takes it (shown by its name).
    pub(crate) fn fixture(name: &str) -> (PathBuf, Vec<u8>) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/crm")
            .join(name);
        let bytes = std::fs::read(&path).unwrap_or_else(|_| panic!("fixture {name}"));
        (PathBuf::from(name), bytes)
    }

    /// The fixtures read together, detected by content.
    pub(crate) fn read(names: &[&str]) -> Exports {
        let files: Vec<_> = names.iter().map(|name| fixture(name)).collect();
        parse_exports(&files, None).expect("reads")
    }

    /// The message refusing the fixtures read together.
    pub(crate) fn read_err(names: &[&str]) -> String {
        let files: Vec<_> = names.iter().map(|name| fixture(name)).collect();
        parse_exports(&files, None).expect_err("fails").to_string()
    }

    /// A record from its id and properties.
    pub(crate) fn record(id: &str, properties: &[(&str, &str)]) -> Record {
        Record {
            id: id.to_string(),
            properties: properties
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}
