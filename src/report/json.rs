//! `--format json`: the SPEC's object, keys exactly as fixed there, plus a few additive keys
//! (`code`, `help`, `title`, `playbook`, `threshold` per file, `details`; `qualification` and
//! `conditional_fields` when the playbook has them; with
//! `--changed-since`, `change` and `base` per file and `changed_since` at the top).
//!
//! The document is serialised once, by derived `Serialize` impls: the findings, statuses and
//! the change as the model serialises them ([`Diagnostic`], [`SectionStatus`],
//! [`crate::change`]), and [`FileJson`], a view that borrows the file report's fields under
//! the SPEC's names (`type`, `missing`, `details[].field`, `conditional_fields[].when`).

use std::io::Write;

use serde::ser::{SerializeSeq, Serializer};
use serde::Serialize;

use crate::change::{Baseline, ChangeKind, ChangedSince};
use crate::diagnostic::Diagnostic;
use crate::lint::{FileReport, LintReport};
use crate::playbook::qualification::{QualificationResult, SignalResult};
use crate::playbook::score::{FieldResult, Gap, SectionResult, SectionStatus};

use super::verdict;

/// One file's verdict as `--format json` writes it.
#[derive(Serialize)]
pub struct FileJson<'a> {
    path: &'a str,
    #[serde(rename = "type")]
    handoff_type: Option<&'a str>,
    status: Option<&'a str>,
    playbook: Option<&'a str>,
    valid: bool,
    /// `null` for a skipped file: it was not scored, and no number may read as a verdict.
    score: Option<u32>,
    threshold: u32,
    passed: bool,
    #[serde(serialize_with = "sections")]
    sections: &'a [SectionResult],
    diagnostics: &'a [Diagnostic],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conditional_fields: Vec<ConditionalJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    qualification: Option<QualificationJson<'a>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skipped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    change: Option<ChangeKind>,
    /// With a change: the base version, `null` for a new file.
    #[serde(skip_serializing_if = "Option::is_none")]
    base: Option<Option<&'a Baseline>>,
}

impl<'a> FileJson<'a> {
    /// The view of `file`.
    pub fn new(file: &'a FileReport) -> FileJson<'a> {
        FileJson {
            path: &file.path,
            handoff_type: file.handoff_type.as_deref(),
            status: file.status.as_deref(),
            playbook: file.playbook.as_deref(),
            valid: file.valid,
            score: verdict::shown_score(file),
            threshold: file.threshold,
            passed: file.passed,
            sections: &file.sections,
            diagnostics: &file.diagnostics,
            conditional_fields: file
                .sections
                .iter()
                .flat_map(SectionResult::conditional)
                .map(ConditionalJson::from)
                .collect(),
            qualification: file.qualification.as_ref().map(QualificationJson::from),
            skipped: file.skipped,
            change: file.change.as_ref().map(|change| change.kind),
            base: file.change.as_ref().map(|change| change.base.as_ref()),
        }
    }
}

/// A section as the SPEC writes it: the paths still missing, and why each is (`details`).
#[derive(Serialize)]
struct SectionJson<'a> {
    id: &'a str,
    title: &'a str,
    weight: u32,
    status: SectionStatus,
    #[serde(serialize_with = "missing")]
    missing: &'a [Gap],
    #[serde(serialize_with = "details")]
    details: &'a [Gap],
}

fn sections<S: Serializer>(sections: &&[SectionResult], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(sections.iter().map(|s| SectionJson {
        id: &s.id,
        title: &s.title,
        weight: s.weight,
        status: s.status,
        missing: &s.gaps,
        details: &s.gaps,
    }))
}

fn missing<S: Serializer>(gaps: &&[Gap], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(gaps.iter().map(|gap| gap.path.as_str()))
}

/// A gap under the SPEC's name for its path.
#[derive(Serialize)]
struct Detail<'a> {
    field: &'a str,
    reason: &'a str,
}

fn details<S: Serializer>(gaps: &&[Gap], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(gaps.iter().map(|gap| Detail {
        field: &gap.path,
        reason: &gap.reason,
    }))
}

/// A field with a `when:` condition, applied or not.
#[derive(Serialize)]
struct ConditionalJson<'a> {
    field: &'a str,
    when: Option<&'a str>,
    applied: bool,
    passed: bool,
}

impl<'a> From<&'a FieldResult> for ConditionalJson<'a> {
    fn from(field: &'a FieldResult) -> Self {
        ConditionalJson {
            field: &field.path,
            when: field.condition.as_deref(),
            applied: field.applied,
            passed: field.passed,
        }
    }
}

/// The qualification, its signals without their conditions (playbook text, not a verdict).
#[derive(Serialize)]
struct QualificationJson<'a> {
    qualified: bool,
    met: usize,
    total: usize,
    threshold: usize,
    #[serde(serialize_with = "signals")]
    signals: &'a [SignalResult],
}

impl<'a> From<&'a QualificationResult> for QualificationJson<'a> {
    fn from(q: &'a QualificationResult) -> Self {
        QualificationJson {
            qualified: q.qualified,
            met: q.met,
            total: q.total,
            threshold: q.threshold,
            signals: &q.signals,
        }
    }
}

/// A signal as the report names it.
#[derive(Serialize)]
struct SignalJson<'a> {
    id: &'a str,
    title: &'a str,
    met: bool,
}

fn signals<S: Serializer>(signals: &&[SignalResult], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(signals.iter().map(|s| SignalJson {
        id: &s.id,
        title: &s.title,
        met: s.met,
    }))
}

/// Serializes the files one at a time, so a large run never holds the whole document.
struct Files<'a>(&'a [FileReport]);

impl Serialize for Files<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for file in self.0 {
            seq.serialize_element(&FileJson::new(file))?;
        }
        seq.end()
    }
}

/// The whole report.
#[derive(Serialize)]
struct Report<'a> {
    threshold: u32,
    passed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    changed_since: Option<&'a ChangedSince>,
    files: Files<'a>,
}

/// Writes the report as pretty JSON, streaming file by file.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    let report = Report {
        threshold: report.threshold,
        passed: report.passed,
        changed_since: report.changed_since.as_ref(),
        files: Files(&report.files),
    };
    serde_json::to_writer_pretty(&mut *out, &report)?;
    writeln!(out)
}
