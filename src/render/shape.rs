//! Fitting a handoff value to its schema's shapes before it reaches a template. An invalid
//! handoff still renders (its banner lists the schema errors), so a template must never meet a
//! value of the wrong kind: a number where it loops over a list, text where it reads a key.
//! Values whose JSON type the schema does not allow are dropped, as are nulls and keys a closed
//! object does not declare; templates then only ask whether a key is defined. This walks the
//! schema documents as plain JSON (`type`, `properties`, `items`, `$ref`); validation itself
//! stays in [`crate::schema`].

use std::collections::HashMap;

use serde_json::{Map, Value};

/// Schema documents by file name (`common.json`, `sales-cs.json`).
pub struct Shapes<'a> {
    documents: &'a HashMap<String, Value>,
}

impl<'a> Shapes<'a> {
    /// Shapes from the schema documents.
    pub fn new(documents: &'a HashMap<String, Value>) -> Shapes<'a> {
        Shapes { documents }
    }

    /// `value` with every part that does not fit `TYPE.json` removed. Without a schema for the
    /// type, the value is returned with its nulls removed.
    pub fn fit(&self, handoff_type: &str, value: &Value) -> Value {
        let file = format!("{handoff_type}.json");
        match self.documents.get(&file) {
            Some(schema) => self
                .fit_node(&file, schema, value, 0)
                .unwrap_or(Value::Object(Map::new())),
            None => without_nulls(value).unwrap_or(Value::Object(Map::new())),
        }
    }

    fn fit_node(&self, file: &str, schema: &Value, value: &Value, hops: usize) -> Option<Value> {
        if value.is_null() {
            return None;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            if hops >= crate::schema::MAX_REF_HOPS {
                return without_nulls(value);
            }
            let documents = self.documents;
            let document = |name: &str| documents.get_key_value(name).map(|(k, v)| (k.as_str(), v));
            return match crate::schema::follow_ref(file, reference, document) {
                Some((target_file, target)) => self.fit_node(target_file, target, value, hops + 1),
                None => without_nulls(value),
            };
        }
        if let Some(allowed) = schema.get("type") {
            if !type_allows(allowed, value) {
                return None;
            }
        }
        match value {
            Value::Object(map) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
                let mut fitted = Map::new();
                for (key, child) in map {
                    let child_schema = properties.and_then(|p| p.get(key));
                    let kept = match child_schema {
                        Some(child_schema) => self.fit_node(file, child_schema, child, 0),
                        None if closed => None,
                        None => without_nulls(child),
                    };
                    if let Some(kept) = kept {
                        fitted.insert(key.clone(), kept);
                    }
                }
                Some(Value::Object(fitted))
            }
            Value::Array(items) => {
                let item_schema = schema.get("items");
                Some(Value::Array(
                    items
                        .iter()
                        .filter_map(|item| match item_schema {
                            Some(item_schema) => self.fit_node(file, item_schema, item, 0),
                            None => without_nulls(item),
                        })
                        .collect(),
                ))
            }
            other => Some(other.clone()),
        }
    }
}

fn type_allows(allowed: &Value, value: &Value) -> bool {
    let fits = |name: &str| match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => {
            value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|n| n.fract() == 0.0)
        }
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => false,
    };
    match allowed {
        Value::String(name) => fits(name),
        Value::Array(names) => names.iter().filter_map(Value::as_str).any(fits),
        // Not a type keyword we understand: do not second-guess it.
        _ => true,
    }
}

fn without_nulls(value: &Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Object(map) => Some(Value::Object(
            map.iter()
                .filter_map(|(k, v)| without_nulls(v).map(|v| (k.clone(), v)))
                .collect(),
        )),
        Value::Array(items) => Some(Value::Array(
            items.iter().filter_map(without_nulls).collect(),
        )),
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn documents() -> HashMap<String, Value> {
        crate::repo::embedded::SCHEMAS
            .iter()
            .map(|(name, text)| (name.to_string(), serde_json::from_str(text).unwrap()))
            .collect()
    }

    #[test]
    fn wrong_kinds_nulls_and_unknown_keys_are_dropped() {
        let documents = documents();
        let shapes = Shapes::new(&documents);
        let value = json!({
            "type": "sales-cs",
            "customer": "Acme",
            "custmer": {"company": "typo"},
            "deal": {"amount": "$96k", "term_months": 12, "bought": null},
            "expectations": {"success_criteria": ["a", null, 3, "b"]},
            "risks": [{"risk": "x", "severity": "high"}, "loose text", null],
            "relationships": {"champion": {"name": "Pat", "nick": "P"}},
            "action_items": 5
        });
        assert_eq!(
            shapes.fit("sales-cs", &value),
            json!({
                "type": "sales-cs",
                "deal": {"term_months": 12},
                "expectations": {"success_criteria": ["a", "b"]},
                "risks": [{"risk": "x", "severity": "high"}],
                "relationships": {"champion": {"name": "Pat"}}
            })
        );
    }

    #[test]
    fn a_valid_handoff_is_unchanged() {
        let documents = documents();
        let shapes = Shapes::new(&documents);
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/spec-sales-cs.yaml"),
        )
        .unwrap();
        let value = crate::document::parse(source.as_bytes(), 1 << 20)
            .unwrap()
            .value;
        assert_eq!(shapes.fit("sales-cs", &value), value);
    }

    #[test]
    fn reference_loops_stop() {
        let documents: HashMap<String, Value> = [(
            "x.json".to_string(),
            json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}),
        )]
        .into_iter()
        .collect();
        let shapes = Shapes::new(&documents);
        assert_eq!(shapes.fit("x", &json!({"k": [1, null]})), json!({"k": [1]}));
    }
}
