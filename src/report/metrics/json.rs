//! `handoff metrics --format json`: `{"ref": ..., "handoffs": [...], "summary": {...}}` with the
//! SPEC's names, plus additive keys (`commit`, `as_of`, `threshold`, `since`, `until`, and per
//! handoff `title`, `trigger_date`, `merged_commit`, `merged_by`, `passed`, `stale`, `note`, `reassignments` ...).
//! Timestamps are RFC 3339 UTC strings; durations are fractional days.

use std::io::Write;

use serde_json::{json, Value};

use crate::history::metrics::HandoffRecord;
use crate::history::metrics::MetricsReport;

/// The JSON value of one handoff.
pub fn handoff_value(handoff: &HandoffRecord) -> Value {
    json!({
        "path": handoff.path,
        "type": handoff.handoff_type,
        "status": handoff.status,
        "title": handoff.title,
        "author": handoff.author,
        "trigger_date": handoff.trigger_date.map(|d| d.to_string()),
        "merged_at": handoff.merged_at.to_string(),
        "merged_commit": handoff.merged_commit,
        "merged_by": handoff.merged_by,
        "accepted_at": handoff.accepted_at.map(|t| t.to_string()),
        "time_to_handoff_days": handoff.time_to_handoff_days,
        "time_to_accept_days": handoff.time_to_accept_days,
        "revisions": handoff.revisions,
        "score_at_merge": handoff.score_at_merge,
        "threshold_at_merge": handoff.threshold_at_merge,
        "score": handoff.score,
        "threshold": handoff.threshold,
        "passed": handoff.passed,
        "below_threshold_at_merge": handoff.below_threshold_at_merge,
        "stale": handoff.stale,
        "note": handoff.note,
        "rating": handoff.rating,
        "rejected": handoff.rejected,
        "reassigned": handoff.reassigned(),
        "reassignments": handoff.reassignments.iter().map(|r| json!({
            "from": r.from,
            "to": r.to,
            "at": r.at.to_string(),
        })).collect::<Vec<_>>(),
        "time_in_review_days": handoff.time_in_review_days,
    })
}

/// The whole report as a JSON value.
pub fn report_value(report: &MetricsReport<'_>) -> Value {
    json!({
        "ref": report.git_ref,
        "commit": report.head.as_ref().map(|h| h.commit.clone()),
        "as_of": report.head.as_ref().map(|h| h.time.to_string()),
        "threshold": report.threshold,
        "since": report.since.map(|d| d.to_string()),
        "until": report.until.map(|d| d.to_string()),
        "handoffs": report.handoffs.iter().map(|h| handoff_value(h)).collect::<Vec<_>>(),
        "summary": report.summary,
    })
}

/// Writes the report as pretty JSON.
pub fn write(report: &MetricsReport<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &report_value(report))?;
    writeln!(out)
}
