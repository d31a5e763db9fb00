//! `--format gitlab`: GitLab's Code Quality report, the JSON array the merge request widget
//! reads (`artifacts: reports: codequality:`). Each issue has GitLab's documented fields
//! `description`, `check_name`, `fingerprint`, `severity` (`info|minor|major|critical|blocker`)
//! and `location: {path, lines: {begin}}`. A finding is one issue; a blocked file (below the
//! threshold, or invalid) is one more, `HO000 below-threshold` or `blocked`, at line 1.
//!
//! GitLab compares fingerprints between the base and the merge request to tell new issues from
//! fixed ones, so a fingerprint must survive edits elsewhere in the file: it hashes the rule,
//! the path and the finding's source line with its whitespace folded (the message instead, for
//! findings about sensitive text, so no hash of a card number is published), plus the
//! occurrence of that same triple in the file. The line number is not part of it.

use std::collections::HashMap;
use std::io::Write;

use serde_json::{json, Value};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::{FileReport, LintReport};
use crate::playbook::rules::BELOW_THRESHOLD;
use crate::report::verdict::{blocked_by, Blocked};

/// GitLab's severity for a finding: errors are `major` (they block the gate), personal data and
/// secrets `critical`, warnings `minor`, infos `info`. A blocked file is a `blocker`.
pub fn severity(diagnostic: &Diagnostic) -> &'static str {
    match diagnostic.severity {
        Severity::Error if diagnostic.redact.is_some() || is_sensitive(diagnostic.code) => {
            "critical"
        }
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// Personal data and secrets (HO201 card numbers, HO202 national ids, HO203 secrets).
fn is_sensitive(code: &str) -> bool {
    matches!(code, "HO201" | "HO202" | "HO203")
}

/// The issues of one run, in report order.
pub fn issues(report: &LintReport) -> Vec<Value> {
    let mut issues = Vec::new();
    for file in &report.files {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        for diagnostic in &file.diagnostics {
            let content = fingerprint_content(file, diagnostic);
            let occurrence = seen
                .entry((diagnostic.code.to_string(), content.clone()))
                .or_insert(0);
            *occurrence += 1;
            let mut description = format!("{}: {}", diagnostic.code, diagnostic.message);
            if let Some(help) = &diagnostic.help {
                description.push_str(&format!(" (fix: {help})"));
            }
            issues.push(issue(
                description,
                format!("{} {}", diagnostic.code, diagnostic.rule),
                fingerprint(&[
                    diagnostic.code,
                    &file.path,
                    &content,
                    &occurrence.to_string(),
                ]),
                severity(diagnostic),
                &file.path,
                diagnostic.line,
            ));
        }
        if file.blocked() {
            issues.push(blocked(file));
        }
    }
    issues
}

/// The issue for a file the gate blocks: why, the score, what to complete.
fn blocked(file: &FileReport) -> Value {
    let why = blocked_by(file);
    let check_name = if why == Some(Blocked::BelowThreshold) {
        format!("{} {}", BELOW_THRESHOLD.code, BELOW_THRESHOLD.name)
    } else {
        "blocked".to_string()
    };
    let reason = match why {
        Some(Blocked::Invalid) => "is invalid (see its other issues)",
        Some(Blocked::BelowThreshold) => "is below the threshold",
        _ => "has error findings (see its other issues)",
    };
    let mut description = format!(
        "{} {reason}: score {}/100, threshold {}",
        file.path, file.score, file.threshold
    );
    let gaps = super::github::missing_sections(file);
    if !gaps.is_empty() {
        description.push_str(&format!("; to complete: {}", gaps.join(", ")));
    }
    issue(
        description,
        check_name.clone(),
        fingerprint(&[&check_name, &file.path]),
        "blocker",
        &file.path,
        1,
    )
}

fn issue(
    description: String,
    check_name: String,
    fingerprint: String,
    severity: &str,
    path: &str,
    line: usize,
) -> Value {
    json!({
        "description": description,
        "check_name": check_name,
        "fingerprint": fingerprint,
        "severity": severity,
        // GitLab counts lines from 1; a finding about the whole file goes on the first.
        "location": {"path": path, "lines": {"begin": line.max(1)}},
    })
}

/// What identifies a finding inside its file, apart from its line number.
fn fingerprint_content(file: &FileReport, diagnostic: &Diagnostic) -> String {
    let line = match diagnostic.redact {
        Some(_) => None,
        None => file.source_line(diagnostic.line),
    };
    match line {
        Some(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        None => diagnostic.message.clone(),
    }
}

/// A stable 128-bit FNV-1a hash of the parts (each followed by a NUL), as 32 hex digits. Not a
/// security hash: GitLab only needs it stable and unlikely to collide.
pub fn fingerprint(parts: &[&str]) -> String {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:032x}")
}

/// Writes the report as a pretty JSON array (`[]` when nothing was found).
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &issues(report))?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_separate_their_parts() {
        // FNV-1a 128 of "" is its offset basis; a NUL follows each part.
        assert_eq!(fingerprint(&[]), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fingerprint(&["a", "b"]), fingerprint(&["a", "b"]));
        assert_ne!(fingerprint(&["ab", ""]), fingerprint(&["a", "b"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }
}
