//! `--format human` (the default): per file the score and verdict, the section table with what
//! is missing and why, and each finding with its source line, like a compiler.

use std::io::Write;

use super::delta::delta_text;
use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::playbook::score::SectionStatus;
use crate::report::escape::{control, push_char};
use crate::report::verdict::{blocked_by, Blocked};

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
        .filter(|f| blocked_by(f) == Some(Blocked::Invalid))
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
                control(&since.reference),
                since.merge_base
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
        return "SKIPPED".to_string();
    }
    match blocked_by(file) {
        None => "PASS".to_string(),
        Some(Blocked::Invalid) => "BLOCKED: invalid".to_string(),
        Some(Blocked::BelowThreshold) => format!("BLOCKED: below {}", file.threshold),
        Some(Blocked::NotQualified) => "BLOCKED: not qualified".to_string(),
        Some(Blocked::ErrorFindings) => "BLOCKED: errors".to_string(),
    }
}

/// Writes one file's block. Every value from the repository (path, playbook, titles, messages,
/// source lines) goes through [`control`]: none can start a line or reach the terminal as an
/// escape sequence.
pub fn write_file(file: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
    let path = control(&file.path);
    let mut header = vec![path.to_string()];
    if let Some(playbook) = &file.playbook {
        header.push(control(playbook).into_owned());
    }
    if !file.sections.is_empty() {
        header.push(format!("score {}/100", file.score));
    }
    header.push(verdict(file));
    writeln!(out, "{}", header.join(" · "))?;
    if let Some(delta) = delta_text(file) {
        let delta = control(&delta);
        match file.change.as_ref().and_then(|c| c.base.as_ref()) {
            Some(base) if base.path != file.path => writeln!(
                out,
                "  since base (renamed from {}): {delta}",
                control(&base.path)
            )?,
            _ => writeln!(out, "  since base: {delta}")?,
        }
    }
    let titles: Vec<_> = file.sections.iter().map(|s| control(&s.title)).collect();
    let width = titles.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    for (section, title) in file.sections.iter().zip(&titles) {
        let mark = match section.status {
            SectionStatus::Complete => "✓",
            SectionStatus::Partial => "◐",
            SectionStatus::Missing => "✗",
        };
        let gaps: Vec<String> = section
            .gaps
            .iter()
            .map(|g| format!("{} ({})", control(&g.path), control(&g.reason)))
            .collect();
        let line = format!(
            "  {mark} {:<width$}  {:>3}  {:<8}  {}",
            title,
            section.weight,
            section.status.as_str(),
            gaps.join("; "),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    if let Some(line) = conditional_line(file) {
        writeln!(out, "  {line}")?;
    }
    if let Some(q) = &file.qualification {
        let signals: Vec<String> = q
            .signals
            .iter()
            .map(|s| format!("{} {}", if s.met { "✓" } else { "✗" }, control(&s.id)))
            .collect();
        writeln!(
            out,
            "  qualification {} of {} ({} needed): {}",
            q.met,
            q.total,
            q.threshold,
            signals.join(", ")
        )?;
    }
    // Indexed once: a file with thousands of findings is not walked once per finding.
    let lines = file.source_lines();
    for diagnostic in &file.diagnostics {
        let label = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        };
        // A finding about the whole file (unreadable, a link, an alias bomb) has no position.
        let location = if diagnostic.line == 0 {
            path.to_string()
        } else {
            format!("{path}:{}:{}", diagnostic.line, diagnostic.column)
        };
        writeln!(
            out,
            "  {label}[{} {}] {location}: {}",
            diagnostic.code,
            diagnostic.rule,
            control(&diagnostic.message)
        )?;
        let text = diagnostic
            .line
            .checked_sub(1)
            .and_then(|index| lines.get(index));
        if let Some(text) = text {
            let number = diagnostic.line.to_string();
            let pad = " ".repeat(number.len());
            // The source is kept with its secrets already masked (`FileReport::source`).
            let (shown, caret_at) = shown_line(text, diagnostic.column.saturating_sub(1));
            writeln!(out, "    {number} | {shown}")?;
            let indent: String = shown
                .chars()
                .take(caret_at)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(out, "    {pad} | {indent}^")?;
        }
        if let Some(help) = &diagnostic.help {
            writeln!(out, "    help: {}", control(help))?;
        }
    }
    writeln!(out)
}

/// The first 160 characters of a source line as shown (control characters escaped), and where
/// the caret for character `column` (0-based) goes in it.
fn shown_line(text: &str, column: usize) -> (String, usize) {
    let mut shown = String::new();
    let mut width = 0;
    let mut caret_at = None;
    for (index, c) in text.chars().enumerate() {
        if index == column {
            caret_at = Some(width);
        }
        if width >= 160 {
            break;
        }
        width += push_char(&mut shown, c);
    }
    (shown, caret_at.unwrap_or(width))
}

/// `conditional fields: technical.security_review applied, technical.migration_plan not
/// applied`, when the playbook has any.
pub fn conditional_line(file: &FileReport) -> Option<String> {
    let fields: Vec<String> = file
        .sections
        .iter()
        .flat_map(|s| s.conditional())
        .map(|f| {
            format!(
                "{} {}",
                control(&f.path),
                if f.applied { "applied" } else { "not applied" }
            )
        })
        .collect();
    (!fields.is_empty()).then(|| format!("conditional fields: {}", fields.join(", ")))
}
