//! `handoff metrics --format csv`: one row per handoff under a header row, for spreadsheets
//! and warehouses. RFC 4180: CRLF line ends; a field holding a comma, a quote or a line break
//! is quoted, its quotes doubled. Empty fields are unknown values.

use std::io::Write;

use crate::history::metrics::HandoffRecord;
use crate::history::metrics::MetricsReport;

/// The columns, in order (the JSON names).
pub const COLUMNS: [&str; 26] = [
    "path",
    "type",
    "status",
    "title",
    "author",
    "trigger_date",
    "merged_at",
    "merged_commit",
    "merged_by",
    "accepted_at",
    "time_to_handoff_days",
    "time_to_accept_days",
    "revisions",
    "score_at_merge",
    "threshold_at_merge",
    "score",
    "threshold",
    "passed",
    "below_threshold_at_merge",
    "stale",
    "week",
    "rating",
    "rejected",
    "reassigned",
    "reassignments",
    "time_in_review_days",
];

fn row(handoff: &HandoffRecord) -> [String; 26] {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let number = |value: Option<f64>| value.map(|v| v.to_string()).unwrap_or_default();
    [
        handoff.path.clone(),
        text(&handoff.handoff_type),
        text(&handoff.status),
        text(&handoff.title),
        text(&handoff.author),
        handoff
            .trigger_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        handoff.merged_at.to_string(),
        handoff.merged_commit.clone(),
        text(&handoff.merged_by),
        handoff
            .accepted_at
            .map(|t| t.to_string())
            .unwrap_or_default(),
        number(handoff.time_to_handoff_days),
        number(handoff.time_to_accept_days),
        handoff.revisions.to_string(),
        handoff.score_at_merge.to_string(),
        handoff.threshold_at_merge.to_string(),
        handoff.score.to_string(),
        handoff.threshold.to_string(),
        handoff.passed.to_string(),
        handoff.below_threshold_at_merge.to_string(),
        handoff.stale.to_string(),
        handoff.merged_week().to_string(),
        handoff.rating.map(|r| r.to_string()).unwrap_or_default(),
        handoff.rejected.to_string(),
        handoff.reassigned().to_string(),
        // `from → to` per change, `; `-separated, oldest first.
        handoff
            .reassignments
            .iter()
            .map(|r| format!("{} → {}", r.from, r.to))
            .collect::<Vec<_>>()
            .join("; "),
        number(handoff.time_in_review_days),
    ]
}

/// One field, quoted when RFC 4180 requires it. Control characters are shown escaped (`\n`):
/// a record is one line, and nothing in it reaches a terminal or a log as a command.
pub fn field(text: &str) -> String {
    let text = &*crate::report::escape::control(text);
    // A spreadsheet runs a cell that starts with = + - @ as a formula (CSV injection): text
    // that could do so gets a leading apostrophe; numbers (-0.5) stay numbers.
    let guarded;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && text.parse::<f64>().is_err()
    {
        guarded = format!("'{text}");
        guarded.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn write_row<S: AsRef<str>>(out: &mut dyn Write, fields: &[S]) -> std::io::Result<()> {
    let line: Vec<String> = fields.iter().map(|f| field(f.as_ref())).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// Writes the header and one row per handoff.
pub fn write(report: &MetricsReport<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    write_row(out, &COLUMNS)?;
    for handoff in &report.handoffs {
        write_row(out, &row(handoff))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Acme, Inc."), "\"Acme, Inc.\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "two\\nlines");
        assert_eq!(field("a,\u{1b}[2J"), "\"a,\\u{1b}[2J\"");
        assert_eq!(field(""), "");
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_defused_but_numbers_are_not() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("+1 555"), "'+1 555");
        assert_eq!(field("-0.5"), "-0.5");
        assert_eq!(field("-3"), "-3");
    }
}
