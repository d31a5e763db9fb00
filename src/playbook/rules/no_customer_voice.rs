//! HO302 `no-customer-voice`: the field that should carry the customer's own words (their
//! expectations, why they took the meeting, what they want next) has no quotation and the
//! handoff lists no `sources`.

use serde_json::Value;

use super::{texts_at, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::playbook::score::is_placeholder;

/// The rule's doc, printed by `handoff explain HO302`.
pub const DOC: &str = "## What it checks
The field that should carry the customer's own words — `expectations.summary` (sales-cs,
sales-implementation), `why_meeting` (sdr-ae), `opportunity.summary` (cs-sales) — when the
handoff has no `sources`: the text should quote the customer (`\"...\"`, `“...”`, `«...»`) or say
it is in their words (\"in their words: ...\"). Empty fields and placeholders are left to scoring.

## Why it matters
The seeds insist: \"use their words\" and \"cite sources\". A paraphrase drifts towards what the
seller wanted to hear; the receiver needs the promise as the customer heard it, and a way to check
it (the call recording, the email). It is an info: it never changes the score or the verdict.

## Example
```yaml
expectations:
  summary: They want better reporting.    # info: whose words? no quotation, no sources
  summary: 'Pat, on the discovery call: \"I need every rep on one workflow before Q1.\"'   # fine
```
";

/// The rule, declared once (HO302 `no-customer-voice`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO302",
    name: "no-customer-voice",
    severity: Severity::Info,
    configurable: true,
    summary: "The customer's expectations carry none of their own words and no sources.",
    fix: "quote the customer (\"...\") or list where it comes from under `sources:`",
    doc: DOC,
    check: Some(check),
};

/// Where each type keeps the customer's words.
const VOICE: &[(&str, &str)] = &[
    ("sales-cs", "/expectations/summary"),
    ("sales-implementation", "/expectations/summary"),
    ("sdr-ae", "/why_meeting"),
    ("cs-sales", "/opportunity/summary"),
];

const QUOTES: [char; 6] = ['"', '“', '”', '„', '«', '»'];

/// Finds customer-voice fields with no quotation when there are no sources.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let value = &document.value;
    let Some(handoff_type) = value.get("type").and_then(Value::as_str) else {
        return Vec::new();
    };
    if has_sources(value) {
        return Vec::new();
    }
    VOICE
        .iter()
        .filter(|(t, _)| *t == handoff_type)
        .flat_map(|(_, pointer)| texts_at(value, pointer))
        .filter(|(_, text)| !quotes_the_customer(text))
        .map(|(pointer, _)| {
            rule.at_pointer(&pointer,
                format!(
                    "{} has none of the customer's own words (no quotation) and the handoff lists no sources",
                    crate::schema::field_name(&pointer)
                ),
            )
        })
        .collect()
}

fn has_sources(value: &Value) -> bool {
    match value.get("sources") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .any(|s| !s.trim().is_empty() && !is_placeholder(s)),
        Some(Value::String(s)) => !s.trim().is_empty() && !is_placeholder(s),
        _ => false,
    }
}

fn quotes_the_customer(text: &str) -> bool {
    let lower = text.to_lowercase();
    text.contains(QUOTES)
        || [
            "in their words",
            "in her words",
            "in his words",
            "in their own words",
        ]
        .iter()
        .any(|phrase| lower.contains(phrase))
}

#[cfg(test)]
mod tests {

    fn run(yaml: &str) -> Vec<String> {
        crate::playbook::rules::testing::on_yaml("HO302", yaml)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn paraphrase_without_sources_is_reported() {
        assert_eq!(
            run("type: sales-cs\nexpectations: {summary: They want better reporting}\n"),
            ["expectations.summary has none of the customer's own words (no quotation) and the handoff lists no sources"]
        );
        assert_eq!(
            run("type: sdr-ae\nwhy_meeting: Needs a new tool\n").len(),
            1
        );
    }

    #[test]
    fn a_quotation_or_sources_is_enough() {
        assert!(run(
            "type: sales-cs\nexpectations: {summary: 'Pat: \"one workflow before Q1\"'}\n"
        )
        .is_empty());
        assert!(run("type: sales-cs\nexpectations: {summary: “One workflow”}\n").is_empty());
        assert!(run(
            "type: sales-cs\nexpectations: {summary: 'In their words: one workflow before Q1'}\n"
        )
        .is_empty());
        assert!(run(
            "type: sales-cs\nsources: [CRM]\nexpectations: {summary: They want reporting}\n"
        )
        .is_empty());
        assert_eq!(
            run("type: sales-cs\nsources: [TBD]\nexpectations: {summary: They want reporting}\n")
                .len(),
            1
        );
        assert!(run("type: sales-cs\nexpectations: {summary: TBD}\n").is_empty());
    }
}
