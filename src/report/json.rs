//! `--format json`: the SPEC's object, keys exactly as fixed there, plus a few additive keys
//! (`code`, `help`, `title`, `playbook`, `threshold` per file, `details`; `qualification` and
//! `conditional_fields` when the playbook has them; with
//! `--changed-since`, `change` and `base` per file and `changed_since` at the top).

use std::io::Write;

use serde_json::{json, Value};

use crate::lint::{FileReport, LintReport};

/// The JSON value of one file's verdict.
pub fn file_value(file: &FileReport) -> Value {
    let mut value = json!({
        "path": file.path,
        "type": file.handoff_type,
        "status": file.status,
        "playbook": file.playbook,
        "valid": file.valid,
        // A skipped file was not scored: no number that could be read as a verdict.
        "score": if file.skipped { Value::Null } else { json!(file.score) },
        "threshold": file.threshold,
        "passed": file.passed,
        "sections": file.sections.iter().map(|s| json!({
            "id": s.id,
            "title": s.title,
            "weight": s.weight,
            "status": s.status.as_str(),
            "missing": s.gaps.iter().map(|g| g.path.as_str()).collect::<Vec<_>>(),
            "details": s.gaps.iter().map(|g| json!({"field": g.path, "reason": g.reason})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        // Each finding as the model serialises it (crate::diagnostic::Diagnostic).
        "diagnostics": file.diagnostics,
    });
    if let Some(object) = value.as_object_mut() {
        let conditional: Vec<Value> = file
            .sections
            .iter()
            .flat_map(|s| s.conditional())
            .map(|f| json!({"field": f.path, "when": f.condition, "applied": f.applied, "passed": f.passed}))
            .collect();
        if !conditional.is_empty() {
            object.insert("conditional_fields".into(), json!(conditional));
        }
        if let Some(q) = &file.qualification {
            object.insert(
                "qualification".into(),
                json!({
                    "qualified": q.qualified,
                    "met": q.met,
                    "total": q.total,
                    "threshold": q.threshold,
                    "signals": q.signals.iter().map(|s| json!({"id": s.id, "title": s.title, "met": s.met})).collect::<Vec<_>>(),
                }),
            );
        }
    }
    if let (true, Some(object)) = (file.skipped, value.as_object_mut()) {
        object.insert("skipped".into(), json!(true));
    }
    if let (Some(change), Some(object)) = (&file.change, value.as_object_mut()) {
        object.insert("change".into(), json!(change.kind.as_str()));
        object.insert(
            "base".into(),
            match &change.base {
                None => Value::Null,
                Some(base) => json!({
                    "path": base.path,
                    "score": base.score,
                    "valid": base.valid,
                    "passed": base.passed,
                    "sections": base.sections.iter()
                        .map(|(id, status)| (id.clone(), json!(status.as_str())))
                        .collect::<serde_json::Map<String, Value>>(),
                }),
            },
        );
    }
    value
}

/// Serializes the files one at a time, so a large run never holds the whole document.
struct Files<'a>(&'a [FileReport]);

impl serde::Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for file in self.0 {
            seq.serialize_element(&file_value(file))?;
        }
        seq.end()
    }
}

/// Writes the report as pretty JSON, streaming file by file.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        threshold: u32,
        passed: bool,
        #[serde(skip_serializing_if = "Option::is_none")]
        changed_since: Option<Value>,
        files: Files<'a>,
    }
    let report = Report {
        threshold: report.threshold,
        passed: report.passed,
        changed_since: report.changed_since.as_ref().map(|since| {
            json!({
                "ref": since.reference,
                "merge_base": since.merge_base,
                "rules_changed": since.rules_changed,
            })
        }),
        files: Files(&report.files),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
