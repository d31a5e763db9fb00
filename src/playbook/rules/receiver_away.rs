//! HO107 `receiver-away`: the receiver is away (a roster `away` range) on the handoff's trigger
//! date (the seeds: assign a CSM by "availability").

use super::receiver::open_receiver;
use super::{as_date, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO107`.
pub const DOC: &str = "## What it checks
For a handoff still open (`draft` or `submitted`) with a `trigger.date`: that its receiver
(`to.name`) is not away on that date by the roster, where `away:` lists ranges of days, both
ends included (`away: [{from: 2026-12-21, to: 2027-01-01, note: holiday}]`).

## Why it matters
A handoff sent to someone on holiday waits until they are back, while the customer expects their
kickoff. The seeds assign a CSM by availability. `handoff route PATH` suggests someone who is in.

## Example
```yaml
# roster.yaml: {name: Sam Lee, role: CSM, away: [{from: 2026-12-21, to: 2027-01-01}]}
to: {name: Sam Lee, role: CSM}
trigger: {event: closed-won, date: 2026-12-23}   # warning: Sam Lee is away that day
```
";

/// The rule, declared once (HO107 `receiver-away`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO107",
    name: "receiver-away",
    severity: Severity::Warning,
    configurable: true,
    summary: "The receiver is away (roster `away`) on the trigger date.",
    fix: "address it to someone who is in (`handoff route PATH` suggests one), or correct the trigger date",
    doc: DOC,
    check: Some(check),
};

/// Finds receivers away on the trigger date.
pub fn check(rule: &Rule, context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let Some((person, name)) = open_receiver(context, document) else {
        return Vec::new();
    };
    let Some(date) = document.value.pointer("/trigger/date").and_then(as_date) else {
        return Vec::new();
    };
    let Some(away) = person.away_on(date) else {
        return Vec::new();
    };
    vec![rule.at_pointer(
        "/to/name",
        format!(
            "to.name \"{name}\" is away on the trigger date {date} (away {} to {} in the roster)",
            away.from, away.to
        ),
    )]
}
