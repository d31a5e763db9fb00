//! What a template sees: the handoff value (fitted to its schema's shapes) and the verdict of
//! the gate on it — score, verdict, threshold, playbook, sections, what is missing, findings —
//! as minijinja values. The names are the documented template interface (README, "Rendering").

use std::collections::BTreeMap;

use minijinja::Value;
use serde_json::Value as Json;

use crate::lint::FileReport;
use crate::playbook::score::{SectionResult, SectionStatus};

use super::filters::escape_inline;

/// The template context for one handoff.
pub fn build(handoff: &Json, report: &FileReport) -> Value {
    let sender = handoff
        .get("from")
        .and_then(|from| from.get("name"))
        .and_then(Json::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("the sender")
        .to_string();
    let not_provided = format!("_Not provided — ask {}._", escape_inline(&sender));
    let sections: Vec<Value> = report.sections.iter().map(section).collect();
    let missing: Vec<Value> = report
        .sections
        .iter()
        .filter(|s| s.status != SectionStatus::Complete)
        .map(section)
        .collect();
    let findings: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            map([
                ("rule", Value::from(d.rule)),
                ("code", Value::from(d.code)),
                ("severity", Value::from(d.severity.as_str())),
                ("message", Value::from(d.message.as_str())),
                ("line", Value::from(d.line)),
                ("column", Value::from(d.column)),
                ("help", Value::from(d.help.clone().unwrap_or_default())),
            ])
        })
        .collect();
    map([
        ("handoff", from_json(handoff)),
        ("path", Value::from(report.path.as_str())),
        ("score", Value::from(report.score)),
        ("threshold", Value::from(report.threshold)),
        ("passed", Value::from(report.passed)),
        ("valid", Value::from(report.valid)),
        (
            "verdict",
            Value::from(if report.passed { "PASS" } else { "FAIL" }),
        ),
        (
            "playbook",
            report
                .playbook
                .as_deref()
                .map(Value::from)
                .unwrap_or(Value::from(())),
        ),
        ("sections", Value::from(sections)),
        ("missing", Value::from(missing)),
        ("findings", Value::from(findings)),
        ("qualification_gate", qualification(report)),
        ("conditional", conditional(report)),
        ("sender", Value::from(sender)),
        ("not_provided", Value::from_safe_string(not_provided)),
    ])
}

fn section(result: &SectionResult) -> Value {
    let gaps: Vec<Value> = result
        .gaps
        .iter()
        .map(|gap| {
            map([
                ("path", Value::from(gap.path.as_str())),
                ("reason", Value::from(gap.reason.as_str())),
            ])
        })
        .collect();
    map([
        ("id", Value::from(result.id.as_str())),
        ("title", Value::from(result.title.as_str())),
        ("weight", Value::from(result.weight)),
        ("status", Value::from(result.status.as_str())),
        ("gaps", Value::from(gaps)),
    ])
}

/// `qualification`: none when the playbook declares no signals.
fn qualification(report: &FileReport) -> Value {
    let Some(q) = &report.qualification else {
        return Value::from(());
    };
    let signals: Vec<Value> = q
        .signals
        .iter()
        .map(|s| {
            map([
                ("id", Value::from(s.id.as_str())),
                ("title", Value::from(s.title.as_str())),
                ("condition", Value::from(s.condition.as_str())),
                ("met", Value::from(s.met)),
            ])
        })
        .collect();
    map([
        ("qualified", Value::from(q.qualified)),
        ("met", Value::from(q.met)),
        ("total", Value::from(q.total)),
        ("threshold", Value::from(q.threshold)),
        ("signals", Value::from(signals)),
    ])
}

/// `conditional`: the playbook's fields with a `when:`, applied or not.
fn conditional(report: &FileReport) -> Value {
    let fields: Vec<Value> = report
        .sections
        .iter()
        .flat_map(|s| s.conditional())
        .map(|f| {
            map([
                ("path", Value::from(f.path.as_str())),
                (
                    "condition",
                    Value::from(f.condition.as_deref().unwrap_or_default()),
                ),
                ("applied", Value::from(f.applied)),
                ("passed", Value::from(f.passed)),
            ])
        })
        .collect();
    Value::from(fields)
}

fn map<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::from(
        entries
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect::<BTreeMap<String, Value>>(),
    )
}

/// A JSON value as a template value.
pub fn from_json(value: &Json) -> Value {
    match value {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                Value::from(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from(items.iter().map(from_json).collect::<Vec<_>>()),
        Json::Object(object) => Value::from(
            object
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect::<BTreeMap<String, Value>>(),
        ),
    }
}
