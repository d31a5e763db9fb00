//! HO102 `roster`: the receiver (`to.name`) and every action item owner must be a person in
//! `roster.yaml`, when the repository has one (the seeds' "CSM not in dropdown"). Suggests the
//! closest roster name.

use super::{text_at, values_at, Rule, RuleContext};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::playbook::score::is_placeholder;
use crate::roster::Roster;
use crate::schema::field_name;

/// The rule's doc, printed by `handoff explain HO102`.
pub const DOC: &str = "## What it checks
When the repository has a `roster.yaml` (the people who send and receive handoffs: name, email,
role, team), that `to.name` and each `action_items[].owner` is a name in it (case and surrounding
spaces do not matter). The message suggests the closest roster name.

## Why it matters
The seeds' \"CSM not in dropdown\": a handoff addressed to someone who is not on the roster (a
typo, a person who left, a new hire never added) reaches nobody, and an action item without a
real owner does not get done. Nobody notices until the customer asks.

## Example
```yaml
to: {name: Sam Le, role: CSM}     # error: not in roster.yaml; did you mean \"Sam Lee\"?
action_items:
  - {action: Schedule kickoff, owner: CS team, due: 2026-11-10}   # error: not a person
```
";

/// The rule, declared once (HO102 `roster`; [`super::RULES`] lists it).
pub const RULE: &Rule = &Rule {
    code: "HO102",
    name: "roster",
    severity: Severity::Error,
    configurable: true,
    summary: "The receiver or an action item owner is not in roster.yaml.",
    fix: "write the name exactly as in roster.yaml, or add the person to roster.yaml",
    doc: DOC,
    check: Some(check),
};

/// Finds receivers and owners missing from the roster.
pub fn check(rule: &Rule, context: &RuleContext, document: &Document) -> Vec<Diagnostic> {
    let Some(roster) = context.roster else {
        return Vec::new();
    };
    let value = &document.value;
    let mut people: Vec<(String, &str)> = Vec::new();
    if let Some(name) = text_at(value, "/to/name") {
        people.push(("/to/name".to_string(), name));
    }
    for (pointer, owner) in values_at(value, "/action_items/*/owner") {
        if let Some(name) = owner.as_str().filter(|n| !n.trim().is_empty()) {
            people.push((pointer, name));
        }
    }
    people
        .into_iter()
        .filter(|(_, name)| !is_placeholder(name) && roster.find(name).is_none())
        .map(|(pointer, name)| {
            let mut message = format!(
                "{} \"{}\" is not in the roster",
                field_name(&pointer),
                name.trim()
            );
            let mut help = rule.fix.to_string();
            if let Some(suggestion) = closest(roster, name) {
                message.push_str(&format!("; did you mean \"{suggestion}\"?"));
                help = format!("write \"{suggestion}\" exactly as in the roster, or add \"{}\" to it by pull request", name.trim());
            }
            rule.at_pointer(pointer, message).with_help(help)
        })
        .collect()
}

/// The roster name closest to `name`: a unique first or last name match, else the smallest
/// edit distance when it is small for the name's length.
fn closest<'r>(roster: &'r Roster, name: &str) -> Option<&'r str> {
    let wanted = name.trim().to_lowercase();
    let part_matches: Vec<&str> = roster
        .people
        .iter()
        .map(|p| p.name.as_str())
        .filter(|full| {
            full.to_lowercase()
                .split_whitespace()
                .any(|part| part == wanted)
        })
        .collect();
    if let [only] = part_matches.as_slice() {
        return Some(only);
    }
    let limit = (wanted.chars().count() / 3).clamp(1, 3);
    roster
        .people
        .iter()
        .map(|p| {
            (
                crate::roster::edit_distance(&wanted, &p.name.trim().to_lowercase()),
                p.name.as_str(),
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::rules::find;

    fn roster() -> Roster {
        Roster::parse(
            "roster.yaml",
            "people:\n  - {name: Sam Lee, role: CSM}\n  - {name: Aisha Okafor, role: CSM}\n  - {name: Jane Doe, role: AE}\n",
        )
        .unwrap()
    }

    fn run(yaml: &str, roster: Option<&Roster>) -> Vec<(String, Option<String>)> {
        let document = crate::document::parse(yaml.as_bytes(), 1 << 20).unwrap();
        let context = RuleContext {
            roster,
            today: jiff::civil::date(2026, 11, 30),
            stale_draft_days: 30,
        };
        check(find("roster").unwrap(), &context, &document)
            .into_iter()
            .map(|d| (d.message, d.help))
            .collect()
    }

    #[test]
    fn receiver_typo_gets_a_suggestion() {
        let roster = roster();
        let found = run("type: sales-cs\nto: {name: Sam Le}\n", Some(&roster));
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].0,
            "to.name \"Sam Le\" is not in the roster; did you mean \"Sam Lee\"?"
        );
        assert!(found[0]
            .1
            .as_deref()
            .unwrap()
            .starts_with("write \"Sam Lee\""));
    }

    #[test]
    fn owners_are_checked_and_case_does_not_matter() {
        let roster = roster();
        let yaml = "type: sales-cs\nto: {name: sam lee}\naction_items:\n  - {owner: Jane Doe}\n  - {owner: CS team}\n  - {owner: TBD}\n  - {owner: Aisha}\n";
        let found = run(yaml, Some(&roster));
        let messages: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            messages,
            [
                "action_items[1].owner \"CS team\" is not in the roster",
                "action_items[3].owner \"Aisha\" is not in the roster; did you mean \"Aisha Okafor\"?",
            ]
        );
    }

    #[test]
    fn no_roster_no_findings() {
        assert!(run("type: sales-cs\nto: {name: Nobody}\n", None).is_empty());
    }
}
