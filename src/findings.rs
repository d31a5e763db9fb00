//! What the lint model does with a file's findings once the rules have run, so that every
//! report format gets the same bounded, masked data:
//!
//! - one finding per secret: a card or id number inside a secret's range (the digits of a
//!   Slack token) is part of that secret, not a second finding;
//! - the source text kept for the report has every sensitive range masked (all of them, not
//!   only the finding's own, across lines for a private key block), so no format can echo one;
//! - at most [`MAX_PER_RULE`] findings per rule and file, then one finding saying how many more
//!   there are, so a file full of findings cannot make a report grow without bound.
//!
//! Everything here is linear in the size of the source and the number of findings (sorting
//! aside).

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostic::Diagnostic;

/// Findings reported per rule and file; the rest are counted in one more finding.
pub const MAX_PER_RULE: usize = 200;

/// The code of the rule whose ranges swallow other sensitive findings inside them.
const SECRET: &str = "HO203";

/// Byte offsets of line starts, built once per source.
pub struct LineStarts<'s> {
    source: &'s str,
    starts: Vec<usize>,
}

impl<'s> LineStarts<'s> {
    /// Indexes `source` in one pass.
    pub fn new(source: &'s str) -> LineStarts<'s> {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(at, _)| at + 1));
        LineStarts { source, starts }
    }

    /// The byte range of `length` characters from 1-based `line` and `column` (characters),
    /// clamped to the source; `None` for a position outside it.
    pub fn range(&self, line: usize, column: usize, length: usize) -> Option<Range<usize>> {
        let line_start = *self.starts.get(line.checked_sub(1)?)?;
        let rest = &self.source[line_start..];
        let mut chars = rest.char_indices().map(|(at, _)| line_start + at);
        let start = chars.nth(column.saturating_sub(1))?;
        let end = self.source[start..]
            .char_indices()
            .nth(length)
            .map_or(self.source.len(), |(at, _)| start + at);
        Some(start..end)
    }
}

/// The sensitive byte ranges of `diagnostics` (those with `redact`), sorted and merged.
pub fn redacted_ranges(source: &str, diagnostics: &[Diagnostic]) -> Vec<Range<usize>> {
    if diagnostics.iter().all(|d| d.redact.is_none()) {
        return Vec::new();
    }
    let lines = LineStarts::new(source);
    let mut ranges: Vec<Range<usize>> = diagnostics
        .iter()
        .filter_map(|d| lines.range(d.line, d.column, d.redact?))
        .collect();
    merge(&mut ranges);
    ranges
}

/// Sorts and merges overlapping ranges.
fn merge(ranges: &mut Vec<Range<usize>>) {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges.drain(..) {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    *ranges = merged;
}

/// Drops the sensitive findings of other rules that lie inside a secret's range: the digits of
/// `xoxb-1234567890123-…` are part of the Slack token (HO203), not also a card number (HO201).
pub fn drop_parts_of_secrets(source: &str, diagnostics: &mut Vec<Diagnostic>) {
    let secrets: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.code == SECRET && d.redact.is_some())
        .collect();
    if secrets.is_empty() || diagnostics.len() == secrets.len() {
        return;
    }
    let lines = LineStarts::new(source);
    let mut secret_ranges: Vec<Range<usize>> = secrets
        .iter()
        .filter_map(|d| lines.range(d.line, d.column, d.redact?))
        .collect();
    merge(&mut secret_ranges);
    diagnostics.retain(|d| {
        if d.code == SECRET {
            return true;
        }
        let Some(range) = d
            .redact
            .and_then(|length| lines.range(d.line, d.column, length))
        else {
            return true;
        };
        // The merged secret ranges are disjoint and sorted: the one that could hold `range`
        // is the last one starting at or before it.
        let at = secret_ranges.partition_point(|s| s.start <= range.start);
        !(at > 0 && secret_ranges[at - 1].end >= range.end)
    });
}

/// `source` with every byte range in `ranges` (sorted, disjoint) masked with `*`, one per
/// character; line breaks are kept so line numbers stay right.
pub fn mask(source: &str, ranges: &[Range<usize>]) -> String {
    let mut masked = String::with_capacity(source.len());
    let mut at = 0;
    for range in ranges {
        let (start, end) = (range.start.max(at), range.end.min(source.len()));
        if start >= end {
            continue;
        }
        masked.push_str(&source[at..start]);
        masked.extend(source[start..end].chars().map(|c| match c {
            '\n' | '\r' => c,
            _ => '*',
        }));
        at = end;
    }
    masked.push_str(&source[at..]);
    masked
}

/// Keeps the first [`MAX_PER_RULE`] findings of each rule (in the order the rules found them,
/// which is the file's order) and returns, for each rule that had more, one finding saying how
/// many were left out (no position: it is about the file), for the caller to add after sorting.
/// Findings left out are never positioned or matched against suppressions: a
/// `# handoff:ignore` aimed only at one of them is reported as unused.
pub fn cap_per_rule(diagnostics: &mut Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    let mut first_left_out: Vec<Diagnostic> = Vec::new();
    diagnostics.retain_mut(|diagnostic| {
        let count = seen.entry(diagnostic.code).or_insert(0);
        *count += 1;
        if *count == MAX_PER_RULE + 1 {
            first_left_out.push(diagnostic.clone());
        }
        *count <= MAX_PER_RULE
    });
    first_left_out
        .into_iter()
        .map(|template| {
            let more = seen[template.code] - MAX_PER_RULE;
            Diagnostic {
                message: format!(
                    "{more} more {} {} finding{} in this file (only the first {MAX_PER_RULE} of each rule are reported)",
                    template.code,
                    template.rule,
                    if more == 1 { "" } else { "s" },
                ),
                line: 0,
                column: 0,
                pointer: None,
                redact: None,
                ..template
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::rules;

    fn secret(rule: &rules::Rule, line: usize, column: usize, length: usize) -> Diagnostic {
        let mut d = rule.at_position(line, column, "x");
        d.redact = Some(length);
        d
    }

    #[test]
    fn ranges_count_characters_and_cross_lines() {
        let source = "a: é secret\nb: x\n";
        let lines = LineStarts::new(source);
        let range = lines.range(1, 6, 6).unwrap();
        assert_eq!(&source[range], "secret");
        let across = lines.range(1, 6, 10).unwrap();
        assert_eq!(&source[across], "secret\nb: ");
        assert!(lines.range(9, 1, 1).is_none());
    }

    #[test]
    fn masking_keeps_lines_and_covers_every_range() {
        let source = "k: AAA and BBB\n-----BEGIN\nabc\n-----END\nrest\n";
        let diagnostics = [
            secret(rules::find("HO203").unwrap(), 1, 4, 3),
            secret(rules::find("HO201").unwrap(), 1, 12, 3),
            secret(rules::find("HO203").unwrap(), 2, 1, 23),
        ];
        let ranges = redacted_ranges(source, &diagnostics);
        assert_eq!(
            mask(source, &ranges),
            "k: *** and ***\n**********\n***\n********\nrest\n"
        );
    }

    #[test]
    fn a_number_inside_a_token_is_part_of_the_token() {
        let source = "a: xoxb-4111111111111111-abc\n";
        let mut diagnostics = vec![
            secret(rules::find("HO203").unwrap(), 1, 4, 25),
            secret(rules::find("HO201").unwrap(), 1, 9, 16),
        ];
        drop_parts_of_secrets(source, &mut diagnostics);
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "HO203");
        // Outside the token, it stays.
        let mut diagnostics = vec![
            secret(rules::find("HO203").unwrap(), 1, 4, 4),
            secret(rules::find("HO201").unwrap(), 1, 9, 16),
        ];
        drop_parts_of_secrets(source, &mut diagnostics);
        assert_eq!(diagnostics.len(), 2);
    }

    #[test]
    fn caps_keep_the_first_of_each_rule_and_count_the_rest() {
        let warning = rules::find("HO301").unwrap();
        let info = rules::find("HO302").unwrap();
        let mut diagnostics: Vec<Diagnostic> = (1..=MAX_PER_RULE + 5)
            .map(|line| warning.at_position(line, 1, "w"))
            .chain([info.at_position(1, 1, "i")])
            .collect();
        let left_out = cap_per_rule(&mut diagnostics);
        assert_eq!(diagnostics.len(), MAX_PER_RULE + 1);
        assert_eq!(left_out.len(), 1);
        let last = &left_out[0];
        assert_eq!(last.code, "HO301");
        assert_eq!(last.line, 0);
        assert!(last.message.starts_with("5 more HO301"), "{}", last.message);
        assert_eq!(diagnostics[MAX_PER_RULE - 1].line, MAX_PER_RULE);
    }

    mod many_findings {
        use proptest::prelude::*;

        use super::super::MAX_PER_RULE;
        use crate::lint::Linter;
        use crate::repo::Workspace;

        /// One line of a generated handoff and the finding it makes (rule code), if any.
        const LINES: [(&str, Option<&str>); 4] = [
            ("    - Better visibility into the pipeline\n", Some("HO301")),
            ("# password: Winter2026!\n", Some("HO203")),
            ("# card 4111 1111 1111 1111\n", Some("HO201")),
            ("# nothing to see\n", None),
        ];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

            /// Any mix of many findings: each rule reports at most the cap plus one line that
            /// counts exactly the rest, and the kept source masks every secret and card.
            #[test]
            fn many_findings_are_capped_counted_and_masked(kinds in proptest::collection::vec(0..LINES.len(), 0..900)) {
                let mut yaml = String::from("type: sales-cs\nstatus: draft\nexpectations:\n  success_criteria:\n");
                for &kind in &kinds {
                    yaml.push_str(LINES[kind].0);
                }
                let empty = tempfile::tempdir().expect("temp dir");
                let workspace = Workspace::open(empty.path()).expect("workspace");
                let linter = Linter::new(&workspace, None, "2026-11-30".parse().expect("date")).expect("linter");
                let report = linter.evaluate("x.yaml", yaml.as_bytes());
                for (_, code) in LINES {
                    let Some(code) = code else { continue };
                    let made = kinds.iter().filter(|&&k| LINES[k].1 == Some(code)).count();
                    let positioned = report.diagnostics.iter().filter(|d| d.code == code && d.line > 0).count();
                    let notes: Vec<_> = report.diagnostics.iter().filter(|d| d.code == code && d.line == 0).collect();
                    prop_assert_eq!(positioned, made.min(MAX_PER_RULE));
                    if made > MAX_PER_RULE {
                        prop_assert_eq!(notes.len(), 1);
                        let more = format!("{} more {code} ", made - MAX_PER_RULE);
                        prop_assert!(notes[0].message.starts_with(&more), "{}", notes[0].message);
                    } else {
                        prop_assert!(notes.is_empty());
                    }
                }
                if let Some(source) = &report.source {
                    prop_assert!(!source.contains("Winter2026!") && !source.contains("4111"));
                    prop_assert_eq!(source.lines().count(), yaml.lines().count());
                    prop_assert_eq!(source.chars().count(), yaml.chars().count());
                }
            }
        }
    }
}
