//! Completeness scoring (the SPEC's "Scoring"): a field passes when it is present, not null,
//! not empty and not a placeholder, with its minimum words, items and keys; a section is
//! complete (credit 1), partial (0.5) or missing (0); the score is Σ weight × credit, rounded
//! half up.

use serde::Serialize;
use serde_json::Value;

use super::{Field, Playbook};

/// A section's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionStatus {
    /// Every field passes.
    Complete,
    /// Some fields pass.
    Partial,
    /// No field passes.
    Missing,
}

impl SectionStatus {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionStatus::Complete => "complete",
            SectionStatus::Partial => "partial",
            SectionStatus::Missing => "missing",
        }
    }

    /// Credit in halves (complete 2, partial 1, missing 0), so the sum stays an integer.
    fn half_credits(self) -> u32 {
        match self {
            SectionStatus::Complete => 2,
            SectionStatus::Partial => 1,
            SectionStatus::Missing => 0,
        }
    }
}

/// A field that does not pass, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    /// The field's path, e.g. `expectations.success_criteria`.
    pub path: String,
    /// Why it does not pass, e.g. "2 of 3 items".
    pub reason: String,
}

/// One section's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionResult {
    /// Section id.
    pub id: String,
    /// Section title.
    pub title: String,
    /// Weight.
    pub weight: u32,
    /// Complete, partial or missing.
    pub status: SectionStatus,
    /// Fields that do not pass, with the reason.
    pub gaps: Vec<Gap>,
    /// Every field of the section, applied or not, passed or not, and why (for
    /// `explain-score`; not part of the JSON report).
    #[serde(skip)]
    pub fields: Vec<FieldResult>,
}

impl SectionResult {
    /// The conditional fields (`when:`) of the section, applied or not.
    pub fn conditional(&self) -> impl Iterator<Item = &FieldResult> {
        self.fields.iter().filter(|f| f.condition.is_some())
    }
}

/// One field's result, for `explain-score`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldResult {
    /// The field's path.
    pub path: String,
    /// Its `when:` condition as written in the playbook (playbook text: escape it to print).
    pub condition: Option<String>,
    /// Whether it is scored: no condition, or the condition holds.
    pub applied: bool,
    /// Whether it passes (false when not applied).
    pub passed: bool,
    /// Why it does not pass (`absent`, `2 of 3 items`); `None` when it passes or is not applied.
    pub reason: Option<String>,
}

/// A handoff's score against one playbook.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// 0-100.
    pub score: u32,
    /// Per section, in playbook order.
    pub sections: Vec<SectionResult>,
}

/// Scores `value` against `playbook`. A field with a `when:` condition that does not hold is
/// not scored: the section counts only the fields that apply, and a section none of whose
/// fields apply is complete (nothing was asked of it).
pub fn score(playbook: &Playbook, value: &Value) -> Scorecard {
    let mut half_points = 0;
    let sections: Vec<SectionResult> = playbook
        .sections
        .iter()
        .map(|section| {
            let fields: Vec<FieldResult> = section
                .fields
                .iter()
                .map(|field| {
                    let applied = field.when.as_ref().is_none_or(|when| when.holds(value));
                    let result = if applied {
                        check_field(field, lookup(value, &field.path))
                    } else {
                        Ok(())
                    };
                    FieldResult {
                        path: field.path.clone(),
                        condition: field.when.as_ref().map(|w| w.source().to_string()),
                        applied,
                        passed: applied && result.is_ok(),
                        reason: result.err(),
                    }
                })
                .collect();
            let gaps: Vec<Gap> = fields
                .iter()
                .filter_map(|f| {
                    Some(Gap {
                        path: f.path.clone(),
                        reason: f.reason.clone()?,
                    })
                })
                .collect();
            let applied = fields.iter().filter(|f| f.applied).count();
            let status = if gaps.is_empty() {
                SectionStatus::Complete
            } else if gaps.len() == applied {
                SectionStatus::Missing
            } else {
                SectionStatus::Partial
            };
            half_points += section.weight * status.half_credits();
            SectionResult {
                id: section.id.clone(),
                title: section.title.clone(),
                weight: section.weight,
                status,
                gaps,
                fields,
            }
        })
        .collect();
    Scorecard {
        // Half points rounded half up: 145 half points = 72.5 → 73.
        score: (half_points.div_ceil(2)).min(100),
        sections,
    }
}

impl SectionStatus {
    /// The points a section of `weight` earns in this state (halves rounded up only in the
    /// total, so this is for display: 7.5 shows as 7.5).
    pub fn points(self, weight: u32) -> f64 {
        f64::from(weight * self.half_credits()) / 2.0
    }
}

/// Whether a value counts as an answer: present, not null, not empty, not a placeholder (the
/// conditions' `is filled`).
pub fn is_filled(value: Option<&Value>) -> bool {
    check_scalar(value).is_ok()
}

/// The value at a dotted path, if every step exists.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    path.split('.').try_fold(value, |node, key| node.get(key))
}

/// Whether a text is a placeholder: `TBD`, `n/a`, `[Name]`, `<name>`, `{{ name }}`, ...
pub fn is_placeholder(text: &str) -> bool {
    let trimmed = text.trim();
    let lower = trimmed.to_lowercase();
    const WORDS: [&str; 10] = [
        "tbd", "todo", "n/a", "unknown", "?", "-", "...", "…", "xxx", "tba",
    ];
    WORDS.contains(&lower.as_str())
        || lower.starts_with("lorem ipsum")
        || is_slot(trimmed, '[', ']')
        || is_slot(trimmed, '<', '>')
        || (trimmed.len() >= 4 && trimmed.starts_with("{{") && trimmed.ends_with("}}"))
}

fn is_slot(text: &str, open: char, close: char) -> bool {
    text.len() >= 2
        && text.starts_with(open)
        && text.ends_with(close)
        && !text[1..text.len() - 1].contains([open, close])
}

/// Why a single value does not count as an answer, or `Ok` when it does.
fn check_scalar(value: Option<&Value>) -> Result<(), String> {
    match value {
        None => Err("absent".into()),
        Some(Value::Null) => Err("empty".into()),
        Some(Value::String(s)) if s.trim().is_empty() => Err("empty".into()),
        Some(Value::String(s)) if is_placeholder(s) => Err(format!("placeholder \"{}\"", s.trim())),
        Some(Value::Array(items)) if items.is_empty() => Err("empty list".into()),
        Some(Value::Object(map)) if map.is_empty() => Err("empty".into()),
        Some(Value::Object(map)) => {
            if map.values().any(|v| check_scalar(Some(v)).is_ok()) {
                Ok(())
            } else {
                Err("no field filled in".into())
            }
        }
        Some(Value::Array(items)) => {
            if items.iter().any(|v| check_scalar(Some(v)).is_ok()) {
                Ok(())
            } else {
                Err("no item filled in".into())
            }
        }
        Some(_) => Ok(()),
    }
}

fn check_keys(object: &Value, keys: &[String]) -> Result<(), String> {
    let failing: Vec<&str> = keys
        .iter()
        .filter(|key| check_scalar(object.get(key.as_str())).is_err())
        .map(String::as_str)
        .collect();
    if failing.is_empty() {
        Ok(())
    } else {
        Err(format!("needs {}", failing.join(", ")))
    }
}

fn check_field(field: &Field, value: Option<&Value>) -> Result<(), String> {
    check_scalar(value)?;
    let Some(value) = value else {
        return Err("absent".into());
    };
    match value {
        Value::String(text) => {
            if let Some(min) = field.min_words {
                let words = text.split_whitespace().count();
                if words < min {
                    return Err(format!("{words} words, at least {min} needed"));
                }
            }
            Ok(())
        }
        Value::Array(items) => {
            let min = field.min_items.unwrap_or(1);
            for (index, item) in items.iter().enumerate() {
                let result = if field.keys.is_empty() {
                    check_scalar(Some(item))
                } else if item.is_object() {
                    check_keys(item, &field.keys)
                } else {
                    Err(format!("needs {}", field.keys.join(", ")))
                };
                if let Err(reason) = result {
                    return Err(format!("item {}: {reason}", index + 1));
                }
            }
            if items.len() < min {
                return Err(format!("{} of {min} items", items.len()));
            }
            Ok(())
        }
        Value::Object(_) if !field.keys.is_empty() => check_keys(value, &field.keys),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(yaml: &str) -> Field {
        crate::document::from_yaml(yaml, "test").unwrap()
    }

    #[test]
    fn placeholders() {
        for text in [
            "TBD",
            " tbd ",
            "TODO",
            "n/a",
            "N/A",
            "Unknown",
            "?",
            "-",
            "...",
            "xxx",
            "Lorem ipsum dolor",
            "lorem ipsum...",
            "[Name]",
            "<name>",
            "{{ name }}",
            "[Company Name]",
        ] {
            assert!(is_placeholder(text), "{text:?} should be a placeholder");
        }
        for text in ["Acme", "None", "[a] and [b]", "Q1", "<3 weeks"] {
            assert!(
                !is_placeholder(text),
                "{text:?} should not be a placeholder"
            );
        }
    }

    #[test]
    fn min_words_items_and_keys() {
        let words = field("path: a\nmin_words: 3");
        assert!(check_field(&words, Some(&json!("one two three"))).is_ok());
        assert_eq!(
            check_field(&words, Some(&json!("one two"))).unwrap_err(),
            "2 words, at least 3 needed"
        );
        let items = field("path: a\nmin_items: 3");
        assert_eq!(
            check_field(&items, Some(&json!(["a", "b"]))).unwrap_err(),
            "2 of 3 items"
        );
        assert_eq!(
            check_field(&items, Some(&json!(["a", "TBD", "c"]))).unwrap_err(),
            "item 2: placeholder \"TBD\""
        );
        let keyed = field("path: a\nkeys: [risk, severity]");
        assert!(check_field(&keyed, Some(&json!([{"risk": "x", "severity": "high"}]))).is_ok());
        assert_eq!(
            check_field(&keyed, Some(&json!([{"risk": "x", "severity": null}]))).unwrap_err(),
            "item 1: needs severity"
        );
        assert_eq!(
            check_field(&keyed, Some(&json!({"risk": "x"}))).unwrap_err(),
            "needs severity"
        );
        assert_eq!(
            check_field(&keyed, Some(&json!([]))).unwrap_err(),
            "empty list"
        );
    }

    #[test]
    fn numbers_and_booleans_pass() {
        let plain = field("path: a");
        assert!(check_field(&plain, Some(&json!(0))).is_ok());
        assert!(check_field(&plain, Some(&json!(false))).is_ok());
        assert_eq!(check_field(&plain, None).unwrap_err(), "absent");
        assert_eq!(
            check_field(&plain, Some(&json!(null))).unwrap_err(),
            "empty"
        );
        assert_eq!(
            check_field(&plain, Some(&json!("  "))).unwrap_err(),
            "empty"
        );
    }
}
