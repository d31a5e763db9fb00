//! What a template sees: the handoff value (fitted to its schema's shapes) and the verdict of
//! the gate on it — score, verdict, threshold, playbook, sections, what is missing, findings —
//! as minijinja values. The names are the documented template interface (README, "Rendering");
//! the findings, sections, qualification and conditional fields are the model's own data,
//! serialised by the same `Serialize` impls as `--format json` reads ([`Diagnostic`],
//! [`SectionResult`], [`QualificationResult`], [`FieldResult`]), not rebuilt here.

use std::collections::BTreeMap;

use minijinja::value::Serde;
use minijinja::Value;
use serde::Serialize;
use serde_json::Value as Json;

use crate::diagnostic::Diagnostic;
use crate::lint::FileReport;
use crate::playbook::qualification::QualificationResult;
use crate::playbook::score::{FieldResult, SectionResult, SectionStatus};

use super::filters::escape_inline;

/// The context's names and values, serialised into one minijinja value.
#[derive(Serialize)]
struct Context<'a> {
    /// Already a template value (numbers as [`from_json`] makes them).
    handoff: Value,
    path: &'a str,
    score: u32,
    threshold: u32,
    passed: bool,
    valid: bool,
    verdict: &'static str,
    playbook: Option<&'a str>,
    sections: &'a [SectionResult],
    missing: Vec<&'a SectionResult>,
    findings: &'a [Diagnostic],
    /// None when the playbook declares no signals.
    qualification_gate: Option<&'a QualificationResult>,
    /// The playbook's fields with a `when:`, applied or not.
    conditional: Vec<&'a FieldResult>,
    sender: String,
    /// Safe text: the sender's name is escaped in it already.
    not_provided: Value,
}

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
    Value::from(Serde(Context {
        handoff: from_json(handoff),
        path: &report.path,
        score: report.score,
        threshold: report.threshold,
        passed: report.passed,
        valid: report.valid,
        verdict: if report.passed { "PASS" } else { "FAIL" },
        playbook: report.playbook.as_deref(),
        sections: &report.sections,
        missing: report
            .sections
            .iter()
            .filter(|s| s.status != SectionStatus::Complete)
            .collect(),
        findings: &report.diagnostics,
        qualification_gate: report.qualification.as_ref(),
        conditional: report
            .sections
            .iter()
            .flat_map(SectionResult::conditional)
            .collect(),
        sender,
        not_provided: Value::from_safe_string(not_provided),
    }))
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
