//! Inline suppressions: `# handoff:ignore HO203` (codes or names, comma-separated, an optional
//! reason after `--`) at the end of a line covers that line; alone on a line it covers the
//! next one. Applied after the findings have their positions; each named rule that suppresses
//! nothing there is reported as HO901 `unused-suppression`.

use std::sync::LazyLock;

use regex::Regex;

use crate::diagnostic::{Diagnostic, Severity};
use crate::playbook::rules::{self, Rule, UNUSED_SUPPRESSION};

static MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"#\s*handoff:ignore\b(.*)$").expect("valid regex"));

/// One `# handoff:ignore` comment.
struct Suppression {
    /// Where the comment is (1-based line and column of its `#`).
    line: usize,
    column: usize,
    /// The line whose findings it suppresses.
    target: usize,
    /// The rules it names, as written, with whether each suppressed something.
    entries: Vec<Entry>,
}

struct Entry {
    written: String,
    rule: Option<&'static Rule>,
    used: bool,
}

/// Removes the findings that a suppression comment in `source` covers, and adds an
/// `unused-suppression` finding (with `unused_severity`; `None` when that rule is off) for
/// each named rule that suppressed nothing.
pub fn apply(source: &str, diagnostics: &mut Vec<Diagnostic>, unused_severity: Option<Severity>) {
    if !source.contains("handoff:ignore") {
        return;
    }
    let mut suppressions = parse(source);
    if suppressions.is_empty() {
        return;
    }
    diagnostics.retain(|diagnostic| {
        for suppression in suppressions
            .iter_mut()
            .filter(|s| s.target == diagnostic.line)
        {
            for entry in &mut suppression.entries {
                if entry
                    .rule
                    .is_some_and(|rule| rule.code == diagnostic.code && suppressible(rule))
                {
                    entry.used = true;
                    return false;
                }
            }
        }
        true
    });
    let Some(severity) = unused_severity else {
        return;
    };
    for suppression in &suppressions {
        let at = |message: String| {
            let mut diagnostic =
                UNUSED_SUPPRESSION.at_position(suppression.line, suppression.column, message);
            diagnostic.severity = severity;
            diagnostic
        };
        if suppression.entries.is_empty() {
            diagnostics.push(at(
                "`# handoff:ignore` names no rule; write the rule it suppresses, e.g. `# handoff:ignore HO203`".to_string(),
            ));
        }
        for entry in suppression.entries.iter().filter(|e| !e.used) {
            let message = match entry.rule {
                None => format!(
                    "`# handoff:ignore {}`: there is no rule `{}`; `handoff explain` lists the rules",
                    entry.written, entry.written
                ),
                Some(rule) if !suppressible(rule) => format!(
                    "`# handoff:ignore {}`: {} ({}) cannot be suppressed inline{}",
                    entry.written,
                    rule.code,
                    rule.name,
                    if rule.configurable {
                        "; turn it off in handoff.toml [rules] instead"
                    } else {
                        "; it guards the handoff's validity"
                    }
                ),
                Some(rule) => format!(
                    "`# handoff:ignore {}` suppresses nothing: no {} ({}) finding on line {}",
                    entry.written, rule.code, rule.name, suppression.target
                ),
            };
            diagnostics.push(at(message));
        }
    }
}

/// Inline suppression is for content rules; validity rules and HO901 itself stay visible.
fn suppressible(rule: &Rule) -> bool {
    rule.configurable && rule.code != UNUSED_SUPPRESSION.code
}

fn parse(source: &str) -> Vec<Suppression> {
    let mut found = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let Some(caps) = MARKER.captures(line) else {
            continue;
        };
        let (Some(marker), Some(list)) = (caps.get(0), caps.get(1)) else {
            continue;
        };
        // A YAML comment starts the line or follows whitespace; `a#handoff:ignore` is text.
        let before = &line[..marker.start()];
        if !(before.is_empty() || before.ends_with([' ', '\t'])) {
            continue;
        }
        let list = list.as_str();
        let list = list.split(" --").next().unwrap_or_default();
        let list = list.split('#').next().unwrap_or_default();
        let entries = list
            .split([',', ' ', '\t'])
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .map(|token| Entry {
                written: token.to_string(),
                rule: rules::find(token),
                used: false,
            })
            .collect();
        let line_number = index + 1;
        let alone = before.trim().is_empty();
        found.push(Suppression {
            line: line_number,
            column: before.chars().count() + 1,
            target: if alone { line_number + 1 } else { line_number },
            entries,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::rules::find;

    fn finding(code: &str, line: usize) -> Diagnostic {
        find(code).unwrap().at_position(line, 5, "x")
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(String, usize)> {
        diagnostics
            .iter()
            .map(|d| (d.code.to_string(), d.line))
            .collect()
    }

    #[test]
    fn same_line_and_line_above() {
        let source = "a: 1  # handoff:ignore HO203\n# handoff:ignore card-number, HO202 -- test data\nb: 2\n";
        let mut diagnostics = vec![
            finding("HO203", 1),
            finding("HO201", 3),
            finding("HO202", 3),
            finding("HO203", 3),
        ];
        apply(source, &mut diagnostics, Some(Severity::Warning));
        assert_eq!(codes(&diagnostics), [("HO203".to_string(), 3)]);
    }

    #[test]
    fn unused_unknown_and_unsuppressible_entries_are_reported() {
        let source = "a: 1  # handoff:ignore HO203, nope, HO001\nb: 2 # handoff:ignore\n";
        let mut diagnostics = vec![finding("HO001", 1)];
        apply(source, &mut diagnostics, Some(Severity::Warning));
        let messages: Vec<String> = diagnostics
            .iter()
            .map(|d| format!("{} {}:{} {}", d.code, d.line, d.column, d.message))
            .collect();
        assert_eq!(
            messages,
            [
                "HO001 1:5 x",
                "HO901 1:7 `# handoff:ignore HO203` suppresses nothing: no HO203 (secret) finding on line 1",
                "HO901 1:7 `# handoff:ignore nope`: there is no rule `nope`; `handoff explain` lists the rules",
                "HO901 1:7 `# handoff:ignore HO001`: HO001 (schema) cannot be suppressed inline; it guards the handoff's validity",
                "HO901 2:6 `# handoff:ignore` names no rule; write the rule it suppresses, e.g. `# handoff:ignore HO203`",
            ]
        );
    }

    #[test]
    fn off_means_unused_suppressions_are_not_reported() {
        let mut diagnostics = Vec::new();
        apply("a: 1 # handoff:ignore HO203\n", &mut diagnostics, None);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn text_that_only_mentions_the_marker_is_not_a_comment() {
        let mut diagnostics = vec![finding("HO203", 1)];
        apply(
            "a: x#handoff:ignore HO203\n",
            &mut diagnostics,
            Some(Severity::Warning),
        );
        assert_eq!(codes(&diagnostics), [("HO203".to_string(), 1)]);
    }
}
