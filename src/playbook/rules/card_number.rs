//! HO201 `card-number`: payment card numbers in the source text (values and comments alike):
//! 13-19 digits, contiguous or in the printed groups (4-4-4-4, 4-6-5) with spaces or dashes,
//! starting with a card network's digit (2-6) and passing the Luhn checksum. The number itself
//! never appears in the message.

use std::sync::LazyLock;

use regex::Regex;

use super::{Rule, RuleContext, SourceLines};
use crate::diagnostic::Diagnostic;
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO201`.
pub const DOC: &str = "## What it checks
The whole file, comments included, for payment card numbers: 13 to 19 digits written together or
in the groups printed on cards (`4111 1111 1111 1111`, `3782-822463-10005`), starting with 2-6 (the
card networks) and passing the Luhn checksum that every real card number passes. Dates, phone
numbers, amounts and CRM ids do not match. The finding names the line and column, never the number.

## Why it matters
A handoff repository is read by sales, CS, implementation and managers, and git keeps every
version forever. A card number in it is a PCI DSS incident: delete it, purge it from the history
and tell whoever owns billing. Card details belong in the billing system only.

## Example
```yaml
technical:
  constraints: They pay by card 4111 1111 1111 1111   # error: a payment card number
```
";

static CARD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{4,5})(?-u:\b)")
        .expect("valid regex")
});

/// Finds card numbers in the source.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    // A card number has 13-19 digits within at most 23 characters (groups and separators).
    if !super::has_digit_cluster(&document.source, 13, 23) {
        return Vec::new();
    }
    let lines = SourceLines::new(&document.source);
    CARD.find_iter(&document.source)
        .filter_map(|candidate| {
            let digits: Vec<u32> = candidate
                .as_str()
                .chars()
                .filter_map(|c| c.to_digit(10))
                .collect();
            is_card_number(&digits).then(|| {
                lines.at(candidate.start(), candidate.end()).diagnostic(
                    rule,
                    format!(
                        "a payment card number ({} digits, valid checksum) must not be in a handoff",
                        digits.len()
                    ),
                )
            })
        })
        .collect()
}

/// 13-19 digits, a card network's first digit, and a valid Luhn checksum.
fn is_card_number(digits: &[u32]) -> bool {
    (13..=19).contains(&digits.len()) && (2..=6).contains(&digits[0]) && luhn(digits)
}

/// The Luhn checksum: from the right, double every second digit (minus 9 when over 9); the sum
/// must end in 0.
fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(position, &digit)| {
            if position % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<(usize, usize, Option<usize>)> {
        crate::playbook::rules::testing::on_text("HO201", text)
            .into_iter()
            .map(|d| {
                assert!(!d.message.contains("4111"), "the message echoes the number");
                (d.line, d.column, d.redact)
            })
            .collect()
    }

    #[test]
    fn printed_and_contiguous_card_numbers() {
        assert_eq!(run("a: card 4111 1111 1111 1111\n"), [(1, 9, Some(19))]);
        assert_eq!(run("a: x\nb: 4111-1111-1111-1111\n"), [(2, 4, Some(19))]);
        assert_eq!(run("a: 4111111111111111\n"), [(1, 4, Some(16))]);
        // American Express layout, in a comment.
        assert_eq!(run("a: 1  # 3782 822463 10005\n"), [(1, 9, Some(17))]);
    }

    #[test]
    fn luhn_invalid_and_lookalikes_pass() {
        assert!(run("a: 4111 1111 1111 1112\n").is_empty());
        assert!(run("a: 2026-11-13 2026-11-20 2026-12-01\n").is_empty());
        assert!(run("a: +1 617 555 0142\n").is_empty());
        assert!(run("a: 120000\n").is_empty());
        // Starts with 1 (not a card network), Luhn-valid: an id, not a card.
        assert!(run("a: 1000000000000008\n").is_empty());
    }

    #[test]
    fn luhn_reference_values() {
        let digits = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(luhn(&digits("79927398713")));
        assert!(!luhn(&digits("79927398710")));
    }
}
