//! HO101 `date-order`: pairs of dates that must come in order, per handoff type (go-live after
//! the deal closed, kickoff before go-live, an action item due after the trigger, go-live
//! within the contract term, ...). Pairs come from each type's schema; a pair with either date
//! missing or unparsable is skipped (the schema reports bad dates).

use jiff::civil::Date;
use serde_json::Value;

use super::{as_date, values_at, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::schema::field_name;

/// The rule's doc, printed by `handoff explain HO101`.
pub const DOC: &str = "## What it checks
Dates that must come in order, per handoff type:

| type | must hold |
|---|---|
| every type | `action_items[].due` ≥ `trigger.date` |
| sales-cs | `expectations.go_live`, `expectations.full_rollout`, `expectations.first_business_review` ≥ `trigger.date` (the deal closed); `expectations.full_rollout` ≥ `expectations.go_live`; go-live no later than the end of the term (`deal.contract_start` + `deal.term_months`) |
| sales-implementation | `timeline.kickoff`, `timeline.go_live`, `timeline.milestones[].date` ≥ `trigger.date`; `timeline.go_live` and milestones ≥ `timeline.kickoff`; go-live within the term |
| ae-se | `demo.date` ≥ `trigger.date`; `deal.expected_close` ≥ `trigger.date` and ≥ `demo.date` |
| sdr-ae | `meeting.date` ≥ `trigger.date` |
| cs-sales | `account.renewal_date`, `trigger.date`, `expansion_signals[].date` ≥ `account.customer_since` |

## Why it matters
A go-live before the deal closed, or an action item due before the handoff started, is a typo that
the receiver will plan around. Dates drive kickoff scheduling and the governance metrics.

## Example
```yaml
trigger: {event: closed-won, date: 2026-10-30}
expectations:
  go_live: 2026-01-15     # error: go-live before the deal closed (did you mean 2027?)
```
";

/// The rule, declared once (HO101 `date-order`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO101",
    name: "date-order",
    severity: Severity::Error,
    configurable: true,
    summary: "Two dates of the handoff are in an impossible order.",
    fix: "correct the date that is wrong (often a typo in the year or month)",
    doc: DOC,
    check: Some(check),
};

/// `later` must not be before `earlier`.
struct Order {
    types: &'static [&'static str],
    earlier: &'static str,
    later: &'static str,
    why: &'static str,
}

const ALL: &[&str] = &[
    "sdr-ae",
    "sales-cs",
    "ae-se",
    "sales-implementation",
    "cs-sales",
];

const ORDERS: &[Order] = &[
    Order {
        types: ALL,
        earlier: "/trigger/date",
        later: "/action_items/*/due",
        why: "an action item due before the handoff was triggered",
    },
    Order {
        types: &["sales-cs"],
        earlier: "/trigger/date",
        later: "/expectations/go_live",
        why: "go-live before the deal closed",
    },
    Order {
        types: &["sales-cs"],
        earlier: "/trigger/date",
        later: "/expectations/full_rollout",
        why: "full rollout before the deal closed",
    },
    Order {
        types: &["sales-cs"],
        earlier: "/expectations/go_live",
        later: "/expectations/full_rollout",
        why: "full rollout before go-live",
    },
    Order {
        types: &["sales-cs"],
        earlier: "/trigger/date",
        later: "/expectations/first_business_review",
        why: "a business review before the deal closed",
    },
    Order {
        types: &["sales-implementation"],
        earlier: "/trigger/date",
        later: "/timeline/kickoff",
        why: "kickoff before the deal closed",
    },
    Order {
        types: &["sales-implementation"],
        earlier: "/trigger/date",
        later: "/timeline/go_live",
        why: "go-live before the deal closed",
    },
    Order {
        types: &["sales-implementation"],
        earlier: "/timeline/kickoff",
        later: "/timeline/go_live",
        why: "go-live before kickoff",
    },
    Order {
        types: &["sales-implementation"],
        earlier: "/trigger/date",
        later: "/timeline/milestones/*/date",
        why: "a milestone before the deal closed",
    },
    Order {
        types: &["sales-implementation"],
        earlier: "/timeline/kickoff",
        later: "/timeline/milestones/*/date",
        why: "a milestone before kickoff",
    },
    Order {
        types: &["ae-se"],
        earlier: "/trigger/date",
        later: "/demo/date",
        why: "the demo before it was requested",
    },
    Order {
        types: &["ae-se"],
        earlier: "/trigger/date",
        later: "/deal/expected_close",
        why: "the deal expected to close before the handoff",
    },
    Order {
        types: &["ae-se"],
        earlier: "/demo/date",
        later: "/deal/expected_close",
        why: "the deal expected to close before the demo",
    },
    Order {
        types: &["sdr-ae"],
        earlier: "/trigger/date",
        later: "/meeting/date",
        why: "the first meeting before the handoff was triggered",
    },
    Order {
        types: &["cs-sales"],
        earlier: "/account/customer_since",
        later: "/account/renewal_date",
        why: "a renewal before they became a customer",
    },
    Order {
        types: &["cs-sales"],
        earlier: "/account/customer_since",
        later: "/trigger/date",
        why: "an expansion handoff before they became a customer",
    },
    Order {
        types: &["cs-sales"],
        earlier: "/account/customer_since",
        later: "/expansion_signals/*/date",
        why: "an expansion signal before they became a customer",
    },
];

/// Types whose go-live must fall within the contract term, and where their go-live is.
const TERM_GO_LIVE: &[(&str, &str)] = &[
    ("sales-cs", "/expectations/go_live"),
    ("sales-implementation", "/timeline/go_live"),
];

/// Finds dates in an impossible order.
pub fn check(rule: &Rule, _context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let value = &document.value;
    let Some(handoff_type) = value.get("type").and_then(Value::as_str) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for order in ORDERS.iter().filter(|o| o.types.contains(&handoff_type)) {
        let Some(earlier) = value.pointer(order.earlier).and_then(as_date) else {
            continue;
        };
        for (pointer, node) in values_at(value, order.later) {
            let Some(later) = as_date(node) else { continue };
            if later < earlier {
                found.push(rule.at_pointer(
                    &pointer,
                    format!(
                        "{} {later} is before {} {earlier}: {}",
                        field_name(&pointer),
                        field_name(order.earlier),
                        order.why
                    ),
                ));
            }
        }
    }
    for (_, go_live_pointer) in TERM_GO_LIVE.iter().filter(|(t, _)| *t == handoff_type) {
        if let Some(diagnostic) = go_live_after_term(rule, value, go_live_pointer) {
            found.push(diagnostic);
        }
    }
    found
}

/// Go-live after the contract has ended (`contract_start` + `term_months`).
fn go_live_after_term(rule: &Rule, value: &Value, go_live_pointer: &str) -> Option<Diagnostic> {
    let start = value.pointer("/deal/contract_start").and_then(as_date)?;
    let months = value
        .pointer("/deal/term_months")
        .and_then(Value::as_i64)
        .filter(|m| (1..=1200).contains(m))?;
    let go_live = value.pointer(go_live_pointer).and_then(as_date)?;
    let end: Date = start.checked_add(jiff::Span::new().months(months)).ok()?;
    (go_live > end).then(|| {
        rule.at_pointer(go_live_pointer,
            format!(
                "{} {go_live} is after the end of the contract term {end} (deal.contract_start {start} + {months} months): go-live after the contract ended",
                field_name(go_live_pointer)
            ),
        )
    })
}

#[cfg(test)]
mod tests {

    fn run(yaml: &str) -> Vec<String> {
        crate::playbook::rules::testing::on_yaml("HO101", yaml)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn go_live_before_close_is_reported_with_both_dates() {
        let found = run(
            "type: sales-cs\ntrigger: {date: 2026-10-30}\nexpectations: {go_live: 2026-01-15}\n",
        );
        assert_eq!(
            found,
            ["expectations.go_live 2026-01-15 is before trigger.date 2026-10-30: go-live before the deal closed"]
        );
    }

    #[test]
    fn dates_in_order_or_missing_are_fine() {
        assert!(run("type: sales-cs\ntrigger: {date: 2026-10-30}\nexpectations: {go_live: 2027-01-15, full_rollout: 2027-03-01}\n").is_empty());
        assert!(
            run("type: sales-cs\ntrigger: {date: 2026-10-30}\nexpectations: {go_live: }\n")
                .is_empty()
        );
        assert!(
            run("type: sales-cs\ntrigger: {date: TBD}\nexpectations: {go_live: 2020-01-01}\n")
                .is_empty()
        );
        // Same day is in order.
        assert!(
            run("type: sdr-ae\ntrigger: {date: 2026-11-02}\nmeeting: {date: 2026-11-02}\n")
                .is_empty()
        );
    }

    #[test]
    fn list_items_are_checked_one_by_one() {
        let found = run("type: cs-sales\ntrigger: {date: 2026-10-01}\naction_items:\n  - {due: 2026-10-05}\n  - {due: 2026-09-05}\n  - 7\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("action_items[1].due 2026-09-05 is before trigger.date"));
    }

    #[test]
    fn go_live_after_the_term_ends() {
        let yaml = "type: sales-cs\ndeal: {contract_start: 2026-12-01, term_months: 12}\nexpectations: {go_live: 2027-12-02}\n";
        let found = run(yaml);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].contains("after the end of the contract term 2027-12-01"),
            "{}",
            found[0]
        );
        assert!(run(&yaml.replace("2027-12-02", "2027-12-01")).is_empty());
    }

    #[test]
    fn schema_invalid_shapes_are_skipped() {
        assert!(
            run("type: sales-cs\ntrigger: [2026-10-30]\nexpectations: go-live soon\n").is_empty()
        );
        assert!(run("type: 5\n").is_empty());
    }
}
