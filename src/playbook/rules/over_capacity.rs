//! HO106 `over-capacity`: the receiver would hold more open handoffs than their roster
//! `capacity`, counting this one (the seeds: assign a CSM by "capacity").

use super::receiver::open_receiver;
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO106`.
pub const DOC: &str = "## What it checks
For a handoff still open (`draft` or `submitted`) whose receiver (`to.name`) has a `capacity` in
the roster: the open handoffs addressed to them — every other handoff in the handoffs folder
with `status: submitted` and their name in `to.name` — plus this one must not exceed it.

## Why it matters
The seeds assign a CSM by expertise, capacity, relationship and availability. A receiver who
already holds all they can take will get to this customer late; the kickoff slips and the
customer notices. `handoff route PATH` suggests someone with room.

## Example
```yaml
# roster.yaml: {name: Sam Lee, role: CSM, capacity: 2}, and two submitted handoffs to Sam
to: {name: Sam Lee, role: CSM}   # warning: 3 open handoffs with this one, capacity 2
```
";

/// The rule, declared once (HO106 `over-capacity`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO106",
    name: "over-capacity",
    severity: Severity::Warning,
    configurable: true,
    summary: "The receiver would hold more open handoffs than their roster `capacity`.",
    fix: "address it to someone with room (`handoff route PATH` suggests one), or raise their capacity in the roster",
    doc: DOC,
    check: Some(check),
};

/// Finds receivers over their capacity.
pub fn check(rule: &Rule, context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let (Some((person, name)), Some(workload)) =
        (open_receiver(context, document), context.workload)
    else {
        return Vec::new();
    };
    let Some(capacity) = person.capacity else {
        return Vec::new();
    };
    let holding = workload.open_for(&person.name, context.path) + 1;
    if holding <= capacity as usize {
        return Vec::new();
    }
    vec![rule.at_pointer(
        "/to/name",
        format!(
            "to.name \"{name}\" would hold {holding} open handoffs with this one, over their capacity of {capacity} in the roster"
        ),
    )]
}
