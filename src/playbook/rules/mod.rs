//! The lint rule registry: every finding has a stable code (`HO101`), a name (`date-order`), a
//! default severity, a one-line fix hint and a doc that `handoff explain` prints. Structural
//! rules (YAML, schema, type, playbook pin, unreadable file) are raised by the lint pipeline
//! itself; content rules have a `check` function, one rule per file in this folder.

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::roster::Roster;

/// What a content rule sees besides the handoff.
pub struct RuleContext<'a> {
    /// The repository's roster, when it has one.
    pub roster: Option<&'a Roster>,
    /// "Today", for age-based rules (`--now` makes runs reproducible).
    pub today: jiff::civil::Date,
    /// Days after its trigger date that a draft is stale.
    pub stale_draft_days: u32,
}

/// A content rule's check: findings for one parsed, schema-valid handoff.
pub type Check = fn(&Rule, &RuleContext, &Document) -> Vec<Diagnostic>;

/// A lint rule.
pub struct Rule {
    /// Stable code, e.g. `HO101`.
    pub code: &'static str,
    /// Stable name, e.g. `date-order` (the SPEC's JSON `rule` key).
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Whether configuration may turn it off or change its severity.
    pub configurable: bool,
    /// One-line summary.
    pub summary: &'static str,
    /// One-line fix hint.
    pub fix: &'static str,
    /// What it checks, why it matters, an example (Markdown).
    pub doc: &'static str,
    /// The check, for content rules.
    pub check: Option<Check>,
}

/// Parse or validity failures that make the file invalid.
pub const SCHEMA: &Rule = &RULES[0];
/// The file is not a single, well-formed YAML document.
pub const YAML: &Rule = &RULES[1];
/// `type` is missing or not one of the five.
pub const UNKNOWN_TYPE: &Rule = &RULES[2];
/// `playbook:` pins a version that does not exist.
pub const PLAYBOOK_PIN: &Rule = &RULES[3];
/// The file cannot be read.
pub const UNREADABLE: &Rule = &RULES[4];
/// A symbolic link in the handoffs folder (not followed).
pub const SYMLINK: &Rule = &RULES[5];

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    Rule {
        code: "HO001",
        name: "schema",
        severity: Severity::Error,
        configurable: false,
        summary: "The handoff does not match its type's JSON Schema.",
        fix: "fix the value at the position shown; `handoff schema TYPE` prints the schema",
        doc: "## What it checks\nThe handoff against `schema/TYPE.json`: required keys (`type`, `status`, `from.name`, `to.name`), no unknown keys (a typo must not pass silently), real calendar dates `YYYY-MM-DD`, valid emails, `severity` high|medium|low, amounts >= 0.\n\n## Why it matters\nA handoff that does not match its schema cannot be scored or rendered reliably; it fails the gate whatever its score.\n\n## Example\n```yaml\nexpectations:\n  go_live: TBD        # error: a date stays empty until it is known\n  go_live:            # fine: empty costs score, not validity\n```\n",
        check: None,
    },
    Rule {
        code: "HO002",
        name: "yaml",
        severity: Severity::Error,
        configurable: false,
        summary: "The file is not one well-formed UTF-8 YAML document.",
        fix: "fix the YAML at the position shown",
        doc: "## What it checks\nThat the file is UTF-8 without a byte-order mark, under the size cap (`max_file_size`), holds exactly one YAML document with no duplicate keys, no deep nesting and no alias bombs.\n\n## Why it matters\nA duplicate key silently drops data; several documents or a BOM confuse other tools; a huge or alias-bomb file would exhaust CI.\n\n## Example\n```yaml\nstatus: draft\nstatus: submitted   # error: duplicate key `status`\n```\n",
        check: None,
    },
    Rule {
        code: "HO003",
        name: "unknown-type",
        severity: Severity::Error,
        configurable: false,
        summary: "`type` is missing or not a handoff type.",
        fix: "set `type:` to sdr-ae, sales-cs, ae-se, sales-implementation or cs-sales",
        doc: "## What it checks\nThat the top-level `type` is one of `sdr-ae`, `sales-cs`, `ae-se`, `sales-implementation`, `cs-sales`.\n\n## Why it matters\nThe type selects the schema, the playbook and the template; without it nothing else can be checked.\n\n## Example\n```yaml\ntype: sales-to-cs   # error: did you mean sales-cs?\n```\n",
        check: None,
    },
    Rule {
        code: "HO004",
        name: "playbook-pin",
        severity: Severity::Error,
        configurable: false,
        summary: "`playbook:` pins a playbook version that does not exist.",
        fix: "pin an existing version (`TYPE@N`) or remove `playbook:` to use the current one",
        doc: "## What it checks\nThat `playbook: TYPE@N` names the handoff's own type and a version present as `playbooks/TYPE.yaml` (current) or `playbooks/TYPE@N.yaml` (archived).\n\n## Why it matters\nA pinned handoff is scored by the version it was written against, so editing a playbook never silently re-scores it. A pin to nothing cannot be scored.\n\n## Example\n```yaml\ntype: sales-cs\nplaybook: sales-cs@7   # error when only versions 1 and 2 exist\n```\n",
        check: None,
    },
    Rule {
        code: "HO005",
        name: "unreadable",
        severity: Severity::Error,
        configurable: false,
        summary: "The file cannot be read.",
        fix: "check the file's permissions (it must be readable by the user running handoff)",
        doc: "## What it checks\nThat every handoff file found can be read.\n\n## Why it matters\nA file the gate cannot read must not pass silently.\n",
        check: None,
    },
    Rule {
        code: "HO006",
        name: "symlink",
        severity: Severity::Warning,
        configurable: true,
        summary: "A handoff file is a symbolic link; it is not followed.",
        fix: "replace the link with the file itself (git stores links as links)",
        doc: "## What it checks\nSymbolic links named like handoffs (`*.yaml`, `*.yml`) inside the handoffs folder. They are reported and skipped, never followed; linked folders are not entered.\n\n## Why it matters\nA link can point outside the repository (a home folder, a secrets file); following it would read and report what is not part of the repository. A file named on the command line is read even when it is a link: you chose it.\n\n## Example\n```sh\nln -s ~/notes/acme.yaml handoffs/sales-cs/acme.yaml   # warning: not followed\n```\n",
        check: None,
    },
];

/// Looks a rule up by code (`HO101`, case-insensitive) or name (`date-order`).
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(id) || rule.name == id)
}

/// The value at a JSON pointer, when present and a non-empty string.
pub fn text_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_ordered() {
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        let sorted = {
            let mut c = codes.clone();
            c.sort();
            c
        };
        assert_eq!(codes, sorted, "RULES must be in code order");
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), RULES.len());
    }

    #[test]
    fn find_by_code_or_name() {
        assert_eq!(find("ho001").unwrap().name, "schema");
        assert_eq!(find("yaml").unwrap().code, "HO002");
        assert!(find("nope").is_none());
    }
}
