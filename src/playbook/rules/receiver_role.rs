//! HO108 `receiver-role`: the receiver's roster role is not the playbook's `to_role` (a Sales →
//! CS handoff addressed to an AE).

use super::receiver::open_receiver;
use super::{Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;

/// The rule's doc, printed by `handoff explain HO108`.
pub const DOC: &str = "## What it checks
For a handoff still open (`draft` or `submitted`) whose receiver (`to.name`) is in the roster
with a `role`: that the role is the one its playbook receives with (`to_role`: `CSM` for
`sales-cs`, `AE` for `sdr-ae`, ...; case does not matter). A roster person without a role, or a
playbook without `to_role`, is not checked.

## Why it matters
A handoff addressed to the wrong role reaches someone who will not run the next step: a Sales →
CS handoff sent to another AE leaves the customer without a CSM, and the CODEOWNERS review goes
to the wrong team.

## Example
```yaml
type: sales-cs
to: {name: Marcus Chen}   # error: Marcus Chen is an AE in the roster; sales-cs goes to a CSM
```
";

/// The rule, declared once (HO108 `receiver-role`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO108",
    name: "receiver-role",
    severity: Severity::Error,
    configurable: true,
    summary: "The receiver's roster role is not the playbook's `to_role`.",
    fix: "address it to someone with the playbook's to_role, or correct their role in the roster",
    doc: DOC,
    check: Some(check),
};

/// Finds receivers whose role is not the playbook's `to_role`.
pub fn check(rule: &Rule, context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let (Some((person, name)), Some(wanted)) = (
        open_receiver(context, document),
        context.playbook.and_then(|p| p.to_role.as_deref()),
    ) else {
        return Vec::new();
    };
    let Some(role) = person.role.as_deref() else {
        return Vec::new();
    };
    if person.has_role(wanted) {
        return Vec::new();
    }
    let handoff_type = context.playbook.map_or("this", |p| p.handoff_type.as_str());
    vec![rule.at_pointer(
        "/to/name",
        format!(
            "to.name \"{name}\" is {} {} in the roster; a {handoff_type} handoff goes to a {} (the playbook's to_role)",
            article(role.trim()),
            role.trim(),
            wanted.trim()
        ),
    )
    .with_help(format!(
        "address it to a {} (`handoff route PATH` suggests one), or correct their role in the roster",
        wanted.trim()
    ))]
}

/// `a` or `an` before a role (`an AE`, `an SE`, `a CSM`).
fn article(role: &str) -> &'static str {
    let first = role.chars().next().unwrap_or('x').to_ascii_uppercase();
    let initialism = role.chars().take(2).all(|c| c.is_ascii_uppercase());
    let vowel_sound = match initialism {
        true => "AEFHILMNORSX".contains(first),
        false => "AEIOU".contains(first),
    };
    if vowel_sound {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::article;

    #[test]
    fn articles() {
        assert_eq!(article("AE"), "an");
        assert_eq!(article("SE"), "an");
        assert_eq!(article("CSM"), "a");
        assert_eq!(article("SDR"), "an");
        assert_eq!(article("Implementation lead"), "an");
        assert_eq!(article("Sales engineer"), "a");
    }
}
