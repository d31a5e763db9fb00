//! HO202 `national-id`: national id numbers in the source text (values and comments alike): US
//! Social Security numbers (`123-45-6789`; without dashes only next to the words SSN or social
//! security) outside the ranges never issued, and UK National Insurance numbers. The number
//! itself never appears in the message.

use std::sync::LazyLock;

use regex::Regex;

use super::{Claimed, Rule, RuleContext, SourceLines};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO202`.
pub const DOC: &str = "## What it checks
The whole file, comments included, for national id numbers:

- US Social Security numbers written `123-45-6789`, or `123 45 6789` / `123456789` on a line that
  says SSN or social security. Numbers that are never issued (area 000, 666 or 900-999, group 00,
  serial 0000) do not count.
- UK National Insurance numbers (`AB 12 34 56 C`, with or without spaces, in capitals or not:
  `jg 10 37 21 a`), without the prefixes HMRC never issues.

Phone numbers (`617-555-0142`) and dates do not match. The finding names the line and column, never
the number.

## Why it matters
A national id number identifies a person for tax, credit and benefits; in a repository read by
many people and kept forever it is a data-protection incident. A handoff never needs one.

## Example
```yaml
customer:
  primary_contact: {name: Pat Kim, title: VP Operations}   # SSN 078-05-1120 for the credit check  <- error
```
";

/// The rule, declared once (HO202 `national-id`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO202",
    name: "national-id",
    severity: Severity::Error,
    configurable: true,
    summary: "A national id number (US SSN, UK National Insurance number) is in the file.",
    fix: "delete the id number (and purge it from git history); a handoff never needs it",
    doc: DOC,
    check: Some(check),
};

static SSN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{3})-([0-9]{2})-([0-9]{4})(?-u:\b)").expect("valid regex")
});

/// Spaced or bare SSNs: only trusted on a line that names them.
static SSN_LOOSE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)([0-9]{3}) ?([0-9]{2}) ?([0-9]{4})(?-u:\b)").expect("valid regex")
});

static SSN_WORDS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)ssn(?-u:\b)|social security").expect("valid regex"));

static NI_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    // Case-insensitive: people write `jg 10 37 21 a` as often as `JG 10 37 21 A`.
    Regex::new(r"(?i)(?-u:\b)([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-D](?-u:\b)")
        .expect("valid regex")
});

/// Prefixes HMRC does not issue.
const NI_UNUSED_PREFIXES: [&str; 7] = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];

/// Finds national id numbers in the source.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let source = document.source.as_str();
    let lines = SourceLines::new(source);
    // (byte range, what): one finding per number, whichever pattern saw it first; the
    // claimed ranges answer an overlap in O(log n).
    let mut claimed = Claimed::default();
    let mut hits: Vec<(usize, usize, &str)> = Vec::new();
    let mut add = |start: usize, end: usize, what: &'static str| {
        if claimed.claim(start, end) {
            hits.push((start, end, what));
        }
    };
    // An SSN has 9 digits within 11 characters; most handoffs have no such run.
    let may_hold_ssn = super::has_digit_cluster(source, 9, 11);
    if may_hold_ssn {
        for caps in SSN.captures_iter(source) {
            if let (Some(whole), true) = (caps.get(0), issued_ssn(&caps[1], &caps[2], &caps[3])) {
                add(whole.start(), whole.end(), "a US Social Security number");
            }
        }
        for caps in SSN_LOOSE.captures_iter(source) {
            if let (Some(whole), true) = (caps.get(0), issued_ssn(&caps[1], &caps[2], &caps[3])) {
                if SSN_WORDS.is_match(lines.line_of(whole.start())) {
                    add(whole.start(), whole.end(), "a US Social Security number");
                }
            }
        }
    }
    // A National Insurance number is two letters and three pairs of digits (spaced or not):
    // a byte scan for that shape rules most files out (dates have six digits within eight
    // characters too). The pattern is case-insensitive in Unicode's sense (the Kelvin sign
    // folds to `k`): a text that is not all ASCII runs it.
    let may_hold_ni = !source.is_ascii() || has_ni_shape(source.as_bytes());
    let numbers = may_hold_ni
        .then(|| NI_NUMBER.captures_iter(source))
        .into_iter()
        .flatten();
    for caps in numbers {
        if let Some(whole) = caps.get(0) {
            if !NI_UNUSED_PREFIXES.contains(&caps[1].to_ascii_uppercase().as_str()) {
                add(whole.start(), whole.end(), "a UK National Insurance number");
            }
        }
    }
    hits.sort();
    hits.into_iter()
        .map(|(start, end, what)| {
            lines
                .at(start, end)
                .diagnostic(rule, format!("{what} must not be in a handoff"))
        })
        .collect()
}

/// Whether `bytes` hold two ASCII letters followed by three pairs of digits, each pair after an
/// optional space: the start of every National Insurance number the pattern matches.
fn has_ni_shape(bytes: &[u8]) -> bool {
    let pair = |at: usize| -> Option<usize> {
        let at = if bytes.get(at) == Some(&b' ') {
            at + 1
        } else {
            at
        };
        (bytes.get(at)?.is_ascii_digit() && bytes.get(at + 1)?.is_ascii_digit()).then_some(at + 2)
    };
    (0..bytes.len().saturating_sub(7)).any(|start| {
        bytes[start].is_ascii_alphabetic()
            && bytes[start + 1].is_ascii_alphabetic()
            && pair(start + 2).and_then(pair).and_then(pair).is_some()
    })
}

/// Whether an SSN's parts fall in issued ranges.
fn issued_ssn(area: &str, group: &str, serial: &str) -> bool {
    let area_number: u32 = area.parse().unwrap_or(0);
    area_number != 0 && area_number != 666 && area_number < 900 && group != "00" && serial != "0000"
}

#[cfg(test)]
mod tests {

    fn run(text: &str) -> Vec<(usize, usize, String)> {
        crate::playbook::rules::testing::on_text("HO202", text)
            .into_iter()
            .map(|d| (d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn the_ni_shape_scan_finds_every_spacing_and_skips_dates() {
        for text in ["JG103721A", "jg 10 37 21 a", "JG 103721 A", "JG10 37 21A"] {
            assert!(super::has_ni_shape(text.as_bytes()), "{text}");
            assert_eq!(run(&format!("a: {text}\n")).len(), 1, "{text}");
        }
        for text in ["2026-10-30 to 2026-11-15", "JG 1 037 21 A", "J 10 37 21"] {
            assert!(!super::has_ni_shape(text.as_bytes()), "{text}");
        }
        // Not ASCII: the pattern runs whatever the scan says (the second letter is the Kelvin sign,
        // which the case-insensitive pattern takes for `K`).
        assert_eq!(run("a: J\u{212A} 10 37 21 A\n").len(), 1);
    }

    #[test]
    fn dashed_ssn_anywhere_bare_ssn_only_when_named() {
        assert_eq!(
            run("a: id 123-45-6789\n"),
            [(
                1,
                7,
                "a US Social Security number must not be in a handoff".to_string()
            )]
        );
        assert_eq!(run("a: SSN 123456789\n").len(), 1);
        assert!(run("a: order 123456789\n").is_empty());
    }

    #[test]
    fn never_issued_ssns_and_lookalikes_pass() {
        for text in [
            "000-12-3456",
            "666-12-3456",
            "912-34-5678",
            "123-00-4567",
            "123-45-0000",
            "617-555-0142",
            "2026-11-13",
        ] {
            assert!(run(&format!("a: {text}\n")).is_empty(), "{text}");
        }
    }

    #[test]
    fn uk_national_insurance_numbers() {
        assert_eq!(run("a: NI AB 12 34 56 C\n").len(), 1);
        assert_eq!(run("a: NI AB123456C\n").len(), 1);
        assert!(run("a: GB123456A\n").is_empty());
        assert_eq!(run("a: ni jg 10 37 21 a\n").len(), 1);
        assert_eq!(run("a: NI jg103721a\n").len(), 1);
        assert!(run("a: gb 12 34 56 a\n").is_empty());
        assert!(run("a: SOC2 report\n").is_empty());
    }
}
