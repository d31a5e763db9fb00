//! HO103 `stale-draft`: a handoff still in `status: draft` more than `stale_draft_days` (30 by
//! default, `handoff.toml`) after its trigger date, as of "today" (`--now` for reproducible runs).

use serde_json::Value;

use super::{as_date, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO103`.
pub const DOC: &str = "## What it checks
A handoff with `status: draft` whose `trigger.date` is more than `stale_draft_days` days before
today (default 30; set it in `handoff.toml`; `handoff lint --now YYYY-MM-DD` fixes \"today\" for
reproducible runs).

## Why it matters
The seeds expire a handoff after 30 days: by then the customer has moved on and the receiver
either never got the context or got it from someone else. A draft that old is either forgotten or
dead.

## Example
```yaml
status: draft
trigger: {event: closed-won, date: 2026-09-01}   # warning on 2026-11-30: draft for 90 days
```
";

/// The rule, declared once (HO103 `stale-draft`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO103",
    name: "stale-draft",
    severity: Severity::Warning,
    configurable: true,
    summary: "A draft whose trigger date is older than `stale_draft_days` (30).",
    fix: "submit the handoff, or set `status: rejected` if it is no longer happening",
    doc: DOC,
    check: Some(check),
};

/// Finds drafts older than the limit.
pub fn check(rule: &Rule, context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let value = &document.value;
    if value.get("status").and_then(Value::as_str) != Some("draft") {
        return Vec::new();
    }
    let Some(triggered) = value.pointer("/trigger/date").and_then(as_date) else {
        return Vec::new();
    };
    let Ok(age) = context.today.since(triggered) else {
        return Vec::new();
    };
    let days = i64::from(age.get_days());
    if days <= i64::from(context.stale_draft_days) {
        return Vec::new();
    }
    vec![rule.at_pointer(
        "/status",
        format!(
            "still a draft {days} days after trigger.date {triggered} (stale after {} days)",
            context.stale_draft_days
        ),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::rules::find;

    fn run(yaml: &str, today: jiff::civil::Date, limit: u32) -> Vec<String> {
        let document = crate::document::parse(yaml.as_bytes(), 1 << 20).unwrap();
        let context = RuleContext {
            roster: None,
            today,
            stale_draft_days: limit,
        };
        check(find("HO103").unwrap(), &context, &document)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn the_31st_day_is_stale_the_30th_is_not() {
        let yaml = "status: draft\ntrigger: {date: 2026-10-01}\n";
        assert!(run(yaml, jiff::civil::date(2026, 10, 31), 30).is_empty());
        assert_eq!(
            run(yaml, jiff::civil::date(2026, 11, 1), 30),
            ["still a draft 31 days after trigger.date 2026-10-01 (stale after 30 days)"]
        );
        assert!(run(yaml, jiff::civil::date(2026, 11, 1), 45).is_empty());
    }

    #[test]
    fn only_drafts_with_a_date() {
        let today = jiff::civil::date(2027, 6, 1);
        assert!(run(
            "status: submitted\ntrigger: {date: 2026-01-01}\n",
            today,
            30
        )
        .is_empty());
        assert!(run("status: draft\ntrigger: {date: }\n", today, 30).is_empty());
        assert!(run("status: draft\ntrigger: {date: 2028-01-01}\n", today, 30).is_empty());
    }
}
