//! `--format github`: GitHub Actions workflow commands. One annotation per finding
//! (`::error file=…,line=…,col=…,title=…::message`), one `::error` per blocked file naming its
//! score and what is missing, and a Markdown step summary (files, scores, verdicts, deltas)
//! that the command appends to `$GITHUB_STEP_SUMMARY` when it is set.

use std::io::Write;

use super::delta::delta_text;
use crate::change::ChangeKind;
use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::playbook::rules::BELOW_THRESHOLD;
use crate::report::escape::control;
use crate::report::human::verdict;
use crate::report::verdict::{blocked_by, open_sections, shown_score, Blocked};

/// Writes the workflow commands.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    for file in &report.files {
        for diagnostic in &file.diagnostics {
            let command = match diagnostic.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            // Data is escaped twice over: control characters shown (`\n`), so that no value
            // is a line break even after the runner decodes `%0A`, then the toolkit's escapes.
            let mut properties = vec![format!("file={}", escape_property(&control(&file.path)))];
            if diagnostic.line > 0 {
                properties.push(format!("line={}", diagnostic.line));
                properties.push(format!("col={}", diagnostic.column.max(1)));
            }
            properties.push(format!(
                "title={}",
                escape_property(&format!("{} {}", diagnostic.code, diagnostic.rule))
            ));
            let mut message = control(&diagnostic.message).into_owned();
            if let Some(help) = &diagnostic.help {
                message.push_str(&format!("\nhelp: {}", control(help)));
            }
            writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                escape_data(&message)
            )?;
        }
        if file.blocked() {
            let (title, message) = blocked(file);
            writeln!(
                out,
                "::error file={},title={}::{}",
                escape_property(&control(&file.path)),
                escape_property(&title),
                escape_data(&message)
            )?;
        }
    }
    writeln!(out, "{}", totals(report))
}

/// The title and message of a blocked file's annotation: why, the score, what is missing.
fn blocked(file: &FileReport) -> (String, String) {
    let why = blocked_by(file);
    let title = if why == Some(Blocked::BelowThreshold) {
        format!("{} {}", BELOW_THRESHOLD.code, BELOW_THRESHOLD.name)
    } else {
        "handoff blocked".to_string()
    };
    let reason = match why {
        Some(Blocked::Invalid) => "is invalid (see the errors above)",
        Some(Blocked::BelowThreshold) => "is below the threshold",
        _ => "has error findings (see above)",
    };
    let mut message = format!(
        "{} {reason}: score {}/100, threshold {}",
        control(&file.path),
        file.score,
        file.threshold
    );
    let gaps = missing_sections(file);
    if !gaps.is_empty() {
        message.push_str(&format!("; to complete: {}", gaps.join(", ")));
    }
    (title, message)
}

/// `Risk flags (missing)`, `Expectations & success criteria (partial)`, ...
pub fn missing_sections(file: &FileReport) -> Vec<String> {
    open_sections(file)
        .map(|s| format!("{} ({})", control(&s.title), s.status.as_str()))
        .collect()
}

fn totals(report: &LintReport) -> String {
    if report.files.is_empty() {
        if let Some(since) = &report.changed_since {
            return format!(
                "no handoff changed since the merge base of {} ({}); nothing to lint",
                control(&since.reference),
                since.merge_base
            );
        }
        return "no handoff files (*.yaml, *.yml) were found".to_string();
    }
    let passed = report.files.iter().filter(|f| f.passed).count();
    format!(
        "{} handoff{}: {passed} passed, {} blocked{}; threshold {}",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        report.files.iter().filter(|f| f.blocked()).count(),
        skipped_text(report),
        report.threshold
    )
}

/// Writes the Markdown step summary: a table of files, scores and verdicts, with the change
/// since the merge base when `--changed-since` was given.
pub fn write_summary(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    let passed = report.files.iter().filter(|f| f.passed).count();
    writeln!(
        out,
        "### Handoff gate: {passed} passed, {} blocked{} (threshold {})\n",
        report.files.iter().filter(|f| f.blocked()).count(),
        skipped_text(report),
        report.threshold
    )?;
    if let Some(since) = &report.changed_since {
        writeln!(
            out,
            "Handoffs changed since `{}` (merge base `{}`).\n",
            cell(&since.reference),
            since.merge_base
        )?;
    }
    if report.files.is_empty() {
        let line = match &report.changed_since {
            Some(_) => "No handoff changed; nothing to gate.",
            None => "No handoff files were found.",
        };
        return writeln!(out, "{line}\n");
    }
    let with_delta = report.changed_since.is_some();
    if with_delta {
        writeln!(out, "| Handoff | Type | Score | Verdict | Since base |")?;
        writeln!(out, "|---|---|---:|---|---|")?;
    } else {
        writeln!(out, "| Handoff | Type | Score | Verdict |")?;
        writeln!(out, "|---|---|---:|---|")?;
    }
    for file in &report.files {
        let mark = if file.skipped {
            "⏭️"
        } else if file.passed {
            "✅"
        } else {
            "❌"
        };
        // A skipped file was not scored.
        let score = shown_score(file).map_or_else(|| "—".to_string(), |s| s.to_string());
        let mut row = format!(
            "| `{}` | {} | {score} | {mark} {} |",
            cell(&file.path).replace('`', "'"),
            cell(file.handoff_type.as_deref().unwrap_or("?")),
            cell(&verdict(file))
        );
        if with_delta {
            let mut delta = delta_text(file).unwrap_or_default();
            if let Some(change) = &file.change {
                if let (ChangeKind::Renamed, Some(base)) = (change.kind, &change.base) {
                    delta = format!("renamed from `{}` · {delta}", cell(&base.path));
                }
            }
            row.push_str(&format!(" {} |", cell(&delta)));
        }
        writeln!(out, "{row}")?;
    }
    writeln!(out)
}

/// `, N skipped` when files were not checked (symbolic links), else nothing.
fn skipped_text(report: &LintReport) -> String {
    match report.files.iter().filter(|f| f.skipped).count() {
        0 => String::new(),
        skipped => format!(", {skipped} skipped"),
    }
}

/// Text safe inside a Markdown table cell: control characters shown escaped, pipes escaped.
fn cell(text: &str) -> String {
    control(text).replace('|', "\\|")
}

/// Escapes a workflow command's message (GitHub's `escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (GitHub's `escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_actions_toolkit() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn table_cells_keep_their_shape() {
        assert_eq!(cell("a|b\nc\u{1b}"), "a\\|b\\nc\\u{1b}");
    }
}
