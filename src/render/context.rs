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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::qualification::SignalResult;
    use crate::playbook::rules::roster;
    use crate::playbook::score::Gap;

    /// Every documented name reaches a template, read from the model as serialised.
    #[test]
    fn the_documented_names_are_the_model_serialised() {
        let mut with_hint = roster::RULE.at_position(3, 5, "who is this");
        with_hint.help = Some("add them".to_string());
        let mut without = roster::RULE.at_position(4, 1, "and this");
        without.help = None;
        let condition = FieldResult {
            path: "technical.security_review".to_string(),
            condition: Some("segment is enterprise".to_string()),
            applied: true,
            passed: false,
            reason: Some("absent".to_string()),
        };
        let report = FileReport {
            path: "handoffs/sales-cs/acme.yaml".to_string(),
            handoff_type: Some("sales-cs".to_string()),
            status: Some("submitted".to_string()),
            playbook: Some("sales-cs@1".to_string()),
            valid: true,
            score: 85,
            threshold: 70,
            passed: true,
            skipped: false,
            sections: vec![SectionResult {
                id: "risks".to_string(),
                title: "Risk flags".to_string(),
                weight: 15,
                status: SectionStatus::Missing,
                gaps: vec![Gap {
                    path: "risks".to_string(),
                    reason: "absent".to_string(),
                }],
                fields: vec![condition],
            }],
            qualification: Some(QualificationResult {
                met: 1,
                total: 1,
                threshold: 1,
                qualified: true,
                signals: vec![SignalResult {
                    id: "budget".to_string(),
                    title: "Budget".to_string(),
                    condition: "budget is filled".to_string(),
                    met: true,
                }],
            }),
            diagnostics: vec![with_hint, without],
            source: None,
            change: None,
        };
        let handoff = serde_json::json!({"from": {"name": "Jane Doe"}, "deal": {"amount": 5}});
        let template = "{{ handoff.deal.amount + 1 }} {{ path }} {{ score }}/{{ threshold }} \
            {{ verdict }} {{ passed }} {{ valid }} {{ playbook }}\n\
            {% for s in sections %}{{ s.id }} {{ s.title }} {{ s.weight }} {{ s.status }} \
            {{ s.gaps[0].path }}: {{ s.gaps[0].reason }}{% endfor %} {{ missing | length }}\n\
            {% for f in findings %}{{ f.rule }} {{ f.code }} {{ f.severity }} {{ f.line }}:{{ f.column }} \
            {{ f.message }} [{{ f.help }}] {{ f.help is none }}\n{% endfor %}\
            {{ qualification_gate.qualified }} {{ qualification_gate.met }}/{{ qualification_gate.total }} \
            ({{ qualification_gate.threshold }}) {{ qualification_gate.signals[0].title }} \
            {{ qualification_gate.signals[0].condition }}\n\
            {{ conditional[0].path }} {{ conditional[0].condition }} {{ conditional[0].applied }} \
            {{ conditional[0].passed }}\n{{ sender }}: {{ not_provided }}";
        let env = minijinja::Environment::new();
        let text = env
            .render_str(template, build(&handoff, &report))
            .expect("renders");
        let code = roster::RULE.code;
        let name = roster::RULE.name;
        assert_eq!(
            text,
            format!(
                "6 handoffs/sales-cs/acme.yaml 85/70 PASS True True sales-cs@1\n\
                 risks Risk flags 15 missing risks: absent 1\n\
                 {name} {code} error 3:5 who is this [add them] False\n\
                 {name} {code} error 4:1 and this [None] True\n\
                 True 1/1 (1) Budget budget is filled\n\
                 technical.security_review segment is enterprise True False\n\
                 Jane Doe: _Not provided — ask Jane Doe._"
            )
        );
        // Through the project's formatter a finding without a hint shows nothing, as when
        // `help` was an empty text.
        let mut env = minijinja::Environment::new();
        crate::render::filters::register(&mut env);
        let text = env
            .render_str(
                "{% for f in findings %}[{{ f.help }}]{% endfor %}",
                build(&handoff, &report),
            )
            .expect("renders");
        assert_eq!(text, "[add them][]");
    }
}
