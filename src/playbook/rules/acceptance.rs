//! HO104 `acceptance`: `status: accepted` and `accepted_by` go together. An accepted handoff
//! names who accepted it; a name in `accepted_by` on a handoff that is not accepted is left over
//! (a reopened handoff) or premature.

use serde_json::Value;

use super::{text_at, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::playbook::score::is_placeholder;

/// The rule's doc, printed by `handoff explain HO104`.
pub const DOC: &str = "## What it checks
That a handoff with `status: accepted` names its receiver in `accepted_by` (not empty, not a
placeholder such as `TBD`), and that a handoff with `accepted_by` has `status: accepted`.
`handoff accept` writes both at once.

## Why it matters
Acceptance is the receiver's signature: the metrics count accepted handoffs and the time to
accept, and a manager reviewing the weekly sample asks who took it over. An acceptance without a
name cannot be followed up; a name on a handoff that is still submitted, rejected or a draft
claims an acceptance that did not happen.

## Example
```yaml
status: accepted            # error: accepted, but `accepted_by` is missing
---
status: submitted
accepted_by: Sam Lee        # error: accepted_by on a handoff that is not accepted
```
";

/// The rule, declared once (HO104 `acceptance`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO104",
    name: "acceptance",
    severity: Severity::Error,
    configurable: true,
    summary: "`status: accepted` without `accepted_by`, or `accepted_by` with another status.",
    fix: "set `status: accepted` and `accepted_by` together (`handoff accept` writes both)",
    doc: DOC,
    check: Some(check),
};

/// Finds accepted handoffs without `accepted_by`, and `accepted_by` without acceptance.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let value = &document.value;
    let status = value.get("status").and_then(Value::as_str).map(str::trim);
    let accepted_by = text_at(value, "/accepted_by").filter(|name| !is_placeholder(name));
    let has_key = value.get("accepted_by").is_some_and(|by| match by {
        Value::Null => false,
        Value::String(text) => !text.trim().is_empty(),
        _ => true,
    });
    match (status, accepted_by) {
        (Some("accepted"), None) => vec![rule.at_pointer("/status",
            "`status: accepted` without `accepted_by`: the handoff does not say who accepted it",
        )
        .with_help(
            "add `accepted_by:` with the receiver's name (`handoff accept PATH --as NAME` writes both)",
        )],
        (Some(other), _) if other != "accepted" && has_key => vec![rule.at_pointer("/accepted_by",
            format!("`accepted_by` on a handoff whose status is `{other}`, not `accepted`"),
        )
        .with_help(
            "remove `accepted_by`, or set `status: accepted` if the receiver did accept it",
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::playbook::rules::testing::on_yaml;

    fn messages(yaml: &str) -> Vec<String> {
        on_yaml("HO104", yaml)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn accepted_needs_a_name_and_a_name_needs_acceptance() {
        assert!(messages("status: accepted\naccepted_by: Sam Lee\n").is_empty());
        assert!(messages("status: submitted\n").is_empty());
        assert_eq!(messages("status: accepted\n").len(), 1);
        assert_eq!(messages("status: accepted\naccepted_by: TBD\n").len(), 1);
        assert_eq!(messages("status: accepted\naccepted_by:\n").len(), 1);
        assert_eq!(
            messages("status: submitted\naccepted_by: Sam Lee\n"),
            ["`accepted_by` on a handoff whose status is `submitted`, not `accepted`"]
        );
        assert_eq!(messages("status: draft\naccepted_by: [x]\n").len(), 1);
        assert!(messages("status: draft\naccepted_by:\n").is_empty());
    }
}
