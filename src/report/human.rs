//! `--format human` (the default): per file the score and verdict, the section table with what
//! is missing and why, and each finding with its source line, like a compiler.

use std::io::Write;

use crate::change::delta_text;
use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::playbook::score::SectionStatus;

/// Writes the report for people.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    for file in &report.files {
        write_file(file, out)?;
    }
    let passed = report.files.iter().filter(|f| f.passed).count();
    let blocked = report.files.iter().filter(|f| f.blocked()).count();
    let skipped = report.files.iter().filter(|f| f.skipped).count();
    let invalid = report
        .files
        .iter()
        .filter(|f| f.blocked() && !f.valid)
        .count();
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped")
    } else {
        String::new()
    };
    writeln!(
        out,
        "{} handoff{}: {passed} passed, {blocked} blocked ({invalid} invalid){skipped}; threshold {}",
        report.files.len(),
        if report.files.len() == 1 { "" } else { "s" },
        report.threshold
    )?;
    if report.files.is_empty() {
        match &report.changed_since {
            Some(since) => writeln!(
                out,
                "no handoff changed since the merge base of {} ({}); nothing to lint",
                since.reference, since.merge_base
            )?,
            None => writeln!(out, "no handoff files (*.yaml, *.yml) were found")?,
        }
    }
    Ok(())
}

/// The verdict in words: `PASS`, `SKIPPED` (not checked), `BLOCKED: below 70`,
/// `BLOCKED: invalid`, `BLOCKED: errors`.
pub fn verdict(file: &FileReport) -> String {
    if file.skipped {
        "SKIPPED".to_string()
    } else if file.passed {
        "PASS".to_string()
    } else if !file.valid {
        "BLOCKED: invalid".to_string()
    } else if file.score < file.threshold {
        format!("BLOCKED: below {}", file.threshold)
    } else {
        "BLOCKED: errors".to_string()
    }
}

/// Writes one file's block.
pub fn write_file(file: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut header = vec![file.path.clone()];
    if let Some(playbook) = &file.playbook {
        header.push(playbook.clone());
    }
    if !file.sections.is_empty() {
        header.push(format!("score {}/100", file.score));
    }
    header.push(verdict(file));
    writeln!(out, "{}", header.join(" · "))?;
    if let Some(delta) = delta_text(file) {
        match file.change.as_ref().and_then(|c| c.base.as_ref()) {
            Some(base) if base.path != file.path => {
                writeln!(out, "  since base (renamed from {}): {delta}", base.path)?
            }
            _ => writeln!(out, "  since base: {delta}")?,
        }
    }
    let width = file
        .sections
        .iter()
        .map(|s| s.title.chars().count())
        .max()
        .unwrap_or(0);
    for section in &file.sections {
        let mark = match section.status {
            SectionStatus::Complete => "✓",
            SectionStatus::Partial => "◐",
            SectionStatus::Missing => "✗",
        };
        let gaps: Vec<String> = section
            .gaps
            .iter()
            .map(|g| format!("{} ({})", g.path, g.reason))
            .collect();
        let line = format!(
            "  {mark} {:<width$}  {:>3}  {:<8}  {}",
            section.title,
            section.weight,
            section.status.as_str(),
            gaps.join("; "),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    for diagnostic in &file.diagnostics {
        let label = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        // A finding about the whole file (unreadable, a link, an alias bomb) has no position.
        let location = if diagnostic.line == 0 {
            file.path.clone()
        } else {
            format!("{}:{}:{}", file.path, diagnostic.line, diagnostic.column)
        };
        writeln!(
            out,
            "  {label}[{} {}] {location}: {}",
            diagnostic.code, diagnostic.rule, diagnostic.message
        )?;
        if let Some(text) = file.source_line(diagnostic.line) {
            let number = diagnostic.line.to_string();
            let pad = " ".repeat(number.len());
            let text: String = masked(text, diagnostic.column, diagnostic.redact)
                .chars()
                .take(160)
                .collect();
            writeln!(out, "    {number} | {text}")?;
            let caret_at = diagnostic
                .column
                .saturating_sub(1)
                .min(text.chars().count());
            let indent: String = text
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "    {pad} | {indent}^")?;
        }
        if let Some(help) = &diagnostic.help {
            writeln!(out, "    help: {help}")?;
        }
    }
    writeln!(out)
}

/// The source line with the `length` characters from `column` (a secret, a card number)
/// replaced by `*`, so that the report never echoes them.
fn masked(text: &str, column: usize, length: Option<usize>) -> String {
    let Some(length) = length else {
        return text.to_string();
    };
    let start = column.saturating_sub(1);
    text.chars()
        .enumerate()
        .map(|(index, c)| {
            if index >= start && index < start + length {
                '*'
            } else {
                c
            }
        })
        .collect()
}
