//! HO301 `unmeasurable-criteria`: success criteria that nobody could check later: no number
//! (digits or a spelled-out number such as "half" or "twice"), no percentage and no date (a
//! month name counts).

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

use super::{texts_at, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO301`.
pub const DOC: &str = "## What it checks
Each success criterion (`expectations.success_criteria` in sales-cs and sales-implementation,
`requirements.success_criteria` in ae-se) for something measurable: a number (digits, or a
spelled-out amount such as \"half\", \"twice\", \"three\"), a percentage, or a date (a month name
counts). Empty items and placeholders are left to scoring.

## Why it matters
The seeds: success criteria are the promise CS has to deliver on, and \"measurable outcomes\" is
what separates a handoff from a wish list. \"Better adoption\" cannot be checked at the first
business review; \"80% of reps active weekly by March 31\" can. It is a warning: it never changes
the score or the verdict.

## Example
```yaml
expectations:
  success_criteria:
    - Better visibility into the pipeline        # warning: nothing to measure
    - Weekly active use above 80% by 2027-03-31  # fine
```
";

/// The rule, declared once (HO301 `unmeasurable-criteria`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO301",
    name: "unmeasurable-criteria",
    severity: Severity::Warning,
    configurable: true,
    summary: "A success criterion has no number, date or percentage.",
    fix: "restate it with a number, a percentage or a date (\"80% weekly active by 2027-03-31\")",
    doc: DOC,
    check: Some(check),
};

/// Where each type keeps its success criteria.
const CRITERIA: &[(&str, &str)] = &[
    ("sales-cs", "/expectations/success_criteria"),
    ("sales-implementation", "/expectations/success_criteria"),
    ("ae-se", "/requirements/success_criteria"),
];

static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[0-9%]|(?-u:\b)(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|half|halve|double|doubles|twice|triple|quarter|percent|dozen|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?-u:\b)",
    )
    .expect("valid regex")
});

/// Finds criteria with nothing to measure.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let value = &document.value;
    let Some(handoff_type) = value.get("type").and_then(Value::as_str) else {
        return Vec::new();
    };
    CRITERIA
        .iter()
        .filter(|(t, _)| *t == handoff_type)
        .flat_map(|(_, pointer)| texts_at(value, pointer))
        .filter(|(_, text)| !MEASURE.is_match(text))
        .map(|(pointer, text)| {
            rule.at_pointer(
                pointer,
                format!(
                    "success criterion \"{}\" has no number, percentage or date to measure it by",
                    shorten(text)
                ),
            )
        })
        .collect()
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 60 {
        format!("{}...", text.chars().take(57).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {

    fn run(yaml: &str) -> Vec<String> {
        crate::playbook::rules::testing::on_yaml("HO301", yaml)
            .into_iter()
            .map(|d| format!("{} {}", d.pointer.unwrap_or_default(), d.message))
            .collect()
    }

    #[test]
    fn vague_criteria_are_reported_by_item() {
        let found = run("type: sales-cs\nexpectations:\n  success_criteria: [Onboard 500 users by March 31, Better visibility, TBD, Cut reporting time by half, '']\n");
        assert_eq!(
            found,
            ["/expectations/success_criteria/1 success criterion \"Better visibility\" has no number, percentage or date to measure it by"]
        );
    }

    #[test]
    fn each_type_has_its_own_field() {
        assert_eq!(
            run("type: ae-se\nrequirements: {success_criteria: [Looks modern]}\n").len(),
            1
        );
        assert_eq!(
            run("type: sales-implementation\nexpectations: {success_criteria: [Happy users]}\n")
                .len(),
            1
        );
        assert!(run("type: sdr-ae\nexpectations: {success_criteria: [Happy users]}\n").is_empty());
        // A single string where a list belongs (a schema error) is still read.
        assert_eq!(
            run("type: sales-cs\nexpectations: {success_criteria: Happy users}\n").len(),
            1
        );
    }

    #[test]
    fn spelled_out_numbers_percentages_and_months_count() {
        for text in [
            "Double the reply rate",
            "Ten new teams live",
            "Adoption above 80%",
            "Live before June",
            "Renewals handled twice as fast",
        ] {
            assert!(
                run(&format!(
                    "type: sales-cs\nexpectations: {{success_criteria: [{text}]}}\n"
                ))
                .is_empty(),
                "{text}"
            );
        }
    }
}
