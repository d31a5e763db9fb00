//! The lint rule registry: every finding has a stable code (`HO101`), a name (`date-order`), a
//! default severity, a one-line fix hint and a doc that `handoff explain` prints. Each rule is
//! declared once: structural rules (YAML, schema, type, playbook pin, unreadable file, ...) are
//! raised by the lint pipeline itself and declared here as named constants; each content rule
//! is declared as `RULE` in its own file in this folder, beside its doc and its `check`.
//! [`RULES`] lists them all by reference, in code order; [`find`] looks one up by code or name.
//! Findings are made through the rule ([`Rule::at_pointer`], [`Rule::at_position`]).

pub mod acceptance;
pub mod card_number;
pub mod date_order;
pub mod national_id;
pub mod no_customer_voice;
pub mod over_capacity;
pub mod receiver;
pub mod receiver_away;
pub mod receiver_role;
pub mod roster;
pub mod secret;
pub mod stale_draft;
pub mod unmeasurable_criteria;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::roster::{Roster, Workload};

/// What a content rule sees besides the handoff.
pub struct RuleContext<'a> {
    /// The handoff's path, relative to the repository root.
    pub path: &'a str,
    /// The playbook that scores it, when it has one.
    pub playbook: Option<&'a crate::playbook::Playbook>,
    /// The open handoffs per receiver in the repository, when the receiver has a capacity.
    pub workload: Option<&'a Workload>,
    /// The repository's roster, when it has one.
    pub roster: Option<&'a Roster>,
    /// "Today", for age-based rules (`--now` makes runs reproducible).
    pub today: jiff::civil::Date,
    /// Days after its trigger date that a draft is stale.
    pub stale_draft_days: u32,
}

/// A content rule's check: findings for one parsed handoff (schema-valid or not, so checks
/// read values defensively).
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

impl Rule {
    /// A finding of this rule at a JSON pointer; line and column are resolved later, only for
    /// files that have findings.
    pub fn at_pointer(&self, pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule: self.name,
            code: self.code,
            severity: self.severity,
            message: message.into(),
            line: 0,
            column: 0,
            pointer: Some(pointer.into()),
            help: Some(self.fix.to_string()),
            redact: None,
        }
    }

    /// A finding of this rule at a known line and column.
    pub fn at_position(
        &self,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            rule: self.name,
            code: self.code,
            severity: self.severity,
            message: message.into(),
            line,
            column,
            pointer: None,
            help: Some(self.fix.to_string()),
            redact: None,
        }
    }
}

/// The handoff scores below the threshold (reported by the CI formats, never as a finding).
pub const BELOW_THRESHOLD: &Rule = &Rule {
    code: "HO000",
    name: "below-threshold",
    severity: Severity::Error,
    configurable: false,
    summary: "The handoff's completeness score is below the gate threshold.",
    fix: "fill in the sections listed as missing or partial until the score reaches the threshold",
    doc: "## What it checks\nThe completeness score (0-100, from the playbook's six weighted sections) against the threshold: `--threshold`, else `threshold` in handoff.toml, else the playbook's, else 70. `handoff lint` shows it as the verdict `BLOCKED: below 70`; the CI formats (`github`, `sarif`, `junit`) report it under this code.\n\n## Why it matters\nThe seeds: handoffs below 70 get flagged. A receiver who gets half a handoff asks the customer again what they already told sales.\n\n## Example\n```text\nhandoffs/sales-cs/acme.yaml · sales-cs@1 · score 55/100 · BLOCKED: below 70\n  ✗ Risk flags   15  missing  risks (absent)\n```\n",
    check: None,
};

/// Parse or validity failures that make the file invalid.
pub const SCHEMA: &Rule = &Rule {
    code: "HO001",
    name: "schema",
    severity: Severity::Error,
    configurable: false,
    summary: "The handoff does not match its type's JSON Schema.",
    fix: "fix the value at the position shown; `handoff schema TYPE` prints the schema",
    doc: "## What it checks\nThe handoff against `schema/TYPE.json`: required keys (`type`, `status`, `from.name`, `to.name`), no unknown keys (a typo must not pass silently), real calendar dates `YYYY-MM-DD`, valid emails, `severity` high|medium|low, amounts >= 0.\n\n## Why it matters\nA handoff that does not match its schema cannot be scored or rendered reliably; it fails the gate whatever its score.\n\n## Example\n```yaml\nexpectations:\n  go_live: TBD        # error: a date stays empty until it is known\n  go_live:            # fine: empty costs score, not validity\n```\n",
    check: None,
};

/// The file is not a single, well-formed YAML document.
pub const YAML: &Rule = &Rule {
    code: "HO002",
    name: "yaml",
    severity: Severity::Error,
    configurable: false,
    summary: "The file is not one well-formed UTF-8 YAML document.",
    fix: "fix the YAML at the position shown",
    doc: "## What it checks\nThat the file is UTF-8 without a byte-order mark, under the size cap (`max_file_size`), holds exactly one YAML document with no duplicate keys, no deep nesting and no alias bombs.\n\n## Why it matters\nA duplicate key silently drops data; several documents or a BOM confuse other tools; a huge or alias-bomb file would exhaust CI.\n\n## Example\n```yaml\nstatus: draft\nstatus: submitted   # error: duplicate key `status`\n```\n",
    check: None,
};

/// `type` is missing or not one of the five.
pub const UNKNOWN_TYPE: &Rule = &Rule {
    code: "HO003",
    name: "unknown-type",
    severity: Severity::Error,
    configurable: false,
    summary: "`type` is missing or not a handoff type.",
    fix: "set `type:` to sdr-ae, sales-cs, ae-se, sales-implementation or cs-sales",
    doc: "## What it checks\nThat the top-level `type` is one of `sdr-ae`, `sales-cs`, `ae-se`, `sales-implementation`, `cs-sales`.\n\n## Why it matters\nThe type selects the schema, the playbook and the template; without it nothing else can be checked.\n\n## Example\n```yaml\ntype: sales-to-cs   # error: did you mean sales-cs?\n```\n",
    check: None,
};

/// `playbook:` pins a version that does not exist.
pub const PLAYBOOK_PIN: &Rule = &Rule {
    code: "HO004",
    name: "playbook-pin",
    severity: Severity::Error,
    configurable: false,
    summary: "`playbook:` pins a playbook version that does not exist.",
    fix: "pin an existing version (`TYPE@N`) or remove `playbook:` to use the current one",
    doc: "## What it checks\nThat `playbook: TYPE@N` names the handoff's own type and a version present as `playbooks/TYPE.yaml` (current) or `playbooks/TYPE@N.yaml` (archived).\n\n## Why it matters\nA pinned handoff is scored by the version it was written against, so editing a playbook never silently re-scores it. A pin to nothing cannot be scored.\n\n## Example\n```yaml\ntype: sales-cs\nplaybook: sales-cs@7   # error when only versions 1 and 2 exist\n```\n",
    check: None,
};

/// The file cannot be read.
pub const UNREADABLE: &Rule = &Rule {
    code: "HO005",
    name: "unreadable",
    severity: Severity::Error,
    configurable: false,
    summary: "The file cannot be read.",
    fix: "check the file's permissions (it must be readable by the user running handoff)",
    doc: "## What it checks\nThat every handoff file found can be read.\n\n## Why it matters\nA file the gate cannot read must not pass silently.\n",
    check: None,
};

/// A symbolic link in the handoffs folder (not followed).
pub const SYMLINK: &Rule = &Rule {
    code: "HO006",
    name: "symlink",
    severity: Severity::Warning,
    configurable: true,
    summary: "A handoff file is a symbolic link; it is not followed.",
    fix: "replace the link with the file itself (git stores links as links)",
    doc: "## What it checks\nSymbolic links named like handoffs (`*.yaml`, `*.yml`) inside the handoffs folder. They are reported and skipped, never followed; linked folders are not entered.\n\n## Why it matters\nA link can point outside the repository (a home folder, a secrets file); following it would read and report what is not part of the repository. A file named on the command line is read even when it is a link: you chose it.\n\n## Example\n```sh\nln -s ~/notes/acme.yaml handoffs/sales-cs/acme.yaml   # warning: not followed\n```\n",
    check: None,
};

/// Fewer qualification signals met than the playbook's `qualification.threshold`.
pub const QUALIFICATION: &Rule = &Rule {
    code: "HO007",
    name: "qualification",
    severity: Severity::Error,
    configurable: false,
    summary: "Fewer qualification signals are met than the playbook's threshold.",
    fix: "fill in the fields behind the missing signals, or keep the lead with the sender until it qualifies",
    doc: "## What it checks\nFor a playbook with a `qualification` block (the default `sdr-ae` playbook: company size, authority, use-case fit, budget, timeline), how many of its signals hold on the handoff, against `qualification.threshold` (3 of 5 by default). Each signal is a condition on fields (docs/playbook-format.md). Below the threshold the handoff fails the gate whatever its completeness score; `handoff explain-score` lists every signal.\n\n## Why it matters\nThe seeds: \"3 out of 5 signals met = qualified\". An AE who takes an unqualified lead spends the first call qualifying it again, and the SDR's pipeline numbers count a lead that is not one.\n\n## Example\n```yaml\nqualification:\n  pain: Month-end payroll reconciliation takes four days\n  authority: VP Finance signs, CFO approves\n  budget:        # error: 2 of 5 qualification signals met: budget, timeline missing (3 needed)\n```\n",
    check: None,
};

/// A changed handoff still `status: draft` under `--changed-since` (`block_drafts`).
pub const DRAFT_IN_REVIEW: &Rule = &Rule {
    code: "HO105",
    name: "draft-in-review",
    severity: Severity::Error,
    configurable: true,
    summary: "A handoff changed on the branch is still `status: draft` (`--changed-since`).",
    fix: "set `status: submitted` when the handoff is ready for its receiver",
    doc: "## What it checks\nUnder `handoff lint --changed-since REF` (the pull-request gate), each handoff changed on the branch whose `status` is still `draft`. Turn it off with `block_drafts = false` in handoff.toml (or set `HO105` under `[rules]`). A full lint does not report it: a draft on a branch is work in progress.\n\n## Why it matters\nMerging is handing over: a handoff merged as a draft reaches its receiver without the sender saying it is ready, and the metrics count it as handed over while it is not.\n\n## Example\n```yaml\nstatus: draft        # error in the pull request: submit it first\nstatus: submitted    # fine\n```\n",
    check: None,
};

/// A `# handoff:ignore` comment that suppresses nothing.
pub const UNUSED_SUPPRESSION: &Rule = &Rule {
    code: "HO901",
    name: "unused-suppression",
    severity: Severity::Warning,
    configurable: true,
    summary: "A `# handoff:ignore` comment suppresses nothing.",
    fix: "remove the comment (or the rule code that no longer applies)",
    doc: "## What it checks\nEvery `# handoff:ignore RULE` comment: at the end of a line it covers that line, alone on a line it covers the next one. Each rule it names (code or name, several comma-separated, an optional reason after `--`) must suppress a finding there. A name that is no rule, or a rule that cannot be suppressed (the validity rules HO000-HO005), is reported too.\n\n## Why it matters\nA suppression that no longer suppresses anything hides the next real finding on that line. Reporting it keeps suppressions few and deliberate.\n\n## Example\n```yaml\ntechnical:\n  security: SSO via Okta   # handoff:ignore HO203   <- HO901: nothing to suppress here\n  # handoff:ignore card-number -- Stripe's public test card, not a customer's\n  data: POC payments use the test card 4242 4242 4242 4242\n```\n",
    check: None,
};

/// Every rule, in code order: the structural rules above, the content rules from their files.
pub static RULES: &[&Rule] = &[
    BELOW_THRESHOLD,
    SCHEMA,
    YAML,
    UNKNOWN_TYPE,
    PLAYBOOK_PIN,
    UNREADABLE,
    SYMLINK,
    QUALIFICATION,
    date_order::RULE,
    roster::RULE,
    stale_draft::RULE,
    acceptance::RULE,
    DRAFT_IN_REVIEW,
    over_capacity::RULE,
    receiver_away::RULE,
    receiver_role::RULE,
    card_number::RULE,
    national_id::RULE,
    secret::RULE,
    unmeasurable_criteria::RULE,
    no_customer_voice::RULE,
    UNUSED_SUPPRESSION,
];

/// Looks a rule up by code (`HO101`, case-insensitive) or name (`date-order`).
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(id) || rule.name == id)
}

/// The value at a JSON pointer, when present and a non-empty string.
pub fn text_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

/// The values matching a JSON pointer pattern in which `*` stands for every item of a list,
/// with their concrete pointers: `/action_items/*/due` → `/action_items/0/due`, ...
pub fn values_at<'v>(value: &'v Value, pattern: &str) -> Vec<(String, &'v Value)> {
    let mut found = vec![(String::new(), value)];
    for token in pattern.split('/').skip(1) {
        let mut next = Vec::new();
        for (pointer, node) in found {
            if token == "*" {
                if let Some(items) = node.as_array() {
                    for (index, item) in items.iter().enumerate() {
                        next.push((format!("{pointer}/{index}"), item));
                    }
                }
            } else if let Some(child) = node.get(token) {
                next.push((format!("{pointer}/{token}"), child));
            }
        }
        found = next;
    }
    found
}

/// A calendar date written as `YYYY-MM-DD`; anything else (including an impossible date, which
/// the schema reports) is `None`.
pub fn as_date(value: &Value) -> Option<jiff::civil::Date> {
    let text = value.as_str()?.trim();
    if text.len() != 10 {
        return None;
    }
    text.parse().ok()
}

/// Texts worth scanning in a field: the string itself, or each string item of a list, with
/// its pointer. Placeholders and empty texts are left to scoring.
pub fn texts_at<'v>(value: &'v Value, pointer: &str) -> Vec<(String, &'v str)> {
    let usable =
        |text: &str| !text.trim().is_empty() && !crate::playbook::score::is_placeholder(text);
    match value.pointer(pointer) {
        Some(Value::String(text)) if usable(text) => vec![(pointer.to_string(), text.as_str())],
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let text = item.as_str().filter(|t| usable(t))?;
                Some((format!("{pointer}/{index}"), text))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether `text` has at least `digits` ASCII digits within some `window` consecutive bytes: a
/// single cheap pass that lets the digit-based source rules (card numbers, SSNs) skip their
/// regexes on the many handoffs that hold no such run.
pub fn has_digit_cluster(text: &str, digits: usize, window: usize) -> bool {
    let bytes = text.as_bytes();
    let mut count = 0;
    for (index, byte) in bytes.iter().enumerate() {
        count += usize::from(byte.is_ascii_digit());
        if index >= window && bytes[index - window].is_ascii_digit() {
            count -= 1;
        }
        if count >= digits {
            return true;
        }
    }
    false
}

/// The line starts of a source text. Source rules search the whole text once per pattern (far
/// cheaper than once per line) and turn match offsets into positions here; their patterns
/// never match across a line break.
pub struct SourceLines<'s> {
    source: &'s str,
    /// Built on the first lookup: most files have nothing for a source rule to point at.
    starts: std::cell::OnceCell<Vec<usize>>,
}

impl<'s> SourceLines<'s> {
    /// The lines of `source` (indexed when first asked for a position).
    pub fn new(source: &'s str) -> SourceLines<'s> {
        SourceLines {
            source,
            starts: std::cell::OnceCell::new(),
        }
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr_lines(self.source));
            starts
        })
    }

    /// The text of the line holding byte `offset` (without its line break).
    pub fn line_of(&self, offset: usize) -> &'s str {
        let index = self.index_of(offset);
        let starts = self.starts();
        let start = starts[index];
        let end = starts
            .get(index + 1)
            .map_or(self.source.len(), |next| next - 1);
        self.source[start..end].trim_end_matches('\r')
    }

    /// The byte offset where the line holding byte `offset` starts.
    pub fn line_start(&self, offset: usize) -> usize {
        self.starts()[self.index_of(offset)]
    }

    /// The position of the match at byte range `start..end`.
    pub fn at(&self, start: usize, end: usize) -> SourceMatch {
        let index = self.index_of(start);
        let line_start = self.starts()[index];
        SourceMatch {
            line: index + 1,
            column: self.source[line_start..start].chars().count() + 1,
            length: self.source[start..end].chars().count(),
        }
    }

    fn index_of(&self, offset: usize) -> usize {
        self.starts().partition_point(|&start| start <= offset) - 1
    }
}

/// The offsets just after each `\n` of `source`.
fn memchr_lines(source: &str) -> impl Iterator<Item = usize> + '_ {
    source.match_indices('\n').map(|(at, _)| at + 1)
}

/// Byte ranges already taken by a finding: source rules report one finding per sensitive
/// value, whichever pattern saw it first. The ranges kept are disjoint, so an overlap is found
/// in O(log n) (a linear scan per hit made a file full of secrets quadratic).
#[derive(Default)]
pub struct Claimed {
    ranges: std::collections::BTreeMap<usize, usize>,
}

impl Claimed {
    /// Takes `start..end` unless it overlaps a range taken before; says whether it did.
    pub fn claim(&mut self, start: usize, end: usize) -> bool {
        // Of the disjoint ranges, only the last one starting before `end` can overlap.
        if let Some((_, &taken_end)) = self.ranges.range(..end.max(start + 1)).next_back() {
            if taken_end > start {
                return false;
            }
        }
        self.ranges.insert(start, end);
        true
    }
}

/// A pattern found in the raw source text: 1-based line and column (in characters) and its
/// length in characters, so reports can point at it without echoing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceMatch {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Length in characters.
    pub length: usize,
}

impl SourceMatch {
    /// A finding at this match whose source text reports must mask.
    pub fn diagnostic(self, rule: &Rule, message: impl Into<String>) -> Diagnostic {
        let mut diagnostic = rule.at_position(self.line, self.column, message);
        diagnostic.redact = Some(self.length);
        diagnostic
    }
}

/// Runs one rule by code in unit tests: on YAML (parsed) or on raw text (source rules read only
/// the text, so it need not be valid YAML), with no roster and "today" 2026-11-30.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    fn run(code: &str, document: &Document) -> Vec<Diagnostic> {
        let context = RuleContext {
            path: "handoffs/x.yaml",
            playbook: None,
            workload: None,
            roster: None,
            today: jiff::civil::date(2026, 11, 30),
            stale_draft_days: 30,
        };
        let rule = find(code).expect("a rule with that code");
        (rule.check.expect("a content rule"))(rule, &context, document)
    }

    /// The rule's findings on a YAML handoff.
    pub fn on_yaml(code: &str, yaml: &str) -> Vec<Diagnostic> {
        run(
            code,
            &crate::document::parse(yaml.as_bytes(), 1 << 20).expect("test YAML parses"),
        )
    }

    /// The rule's findings on raw text.
    pub fn on_text(code: &str, text: &str) -> Vec<Diagnostic> {
        let document = Document {
            source: text.to_string(),
            value: Value::Null,
            positions: Default::default(),
        };
        run(code, &document)
    }
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
    fn named_rules_point_at_their_codes() {
        assert_eq!(BELOW_THRESHOLD.code, "HO000");
        assert_eq!(SCHEMA.code, "HO001");
        assert_eq!(YAML.code, "HO002");
        assert_eq!(UNKNOWN_TYPE.code, "HO003");
        assert_eq!(PLAYBOOK_PIN.code, "HO004");
        assert_eq!(UNREADABLE.code, "HO005");
        assert_eq!(UNUSED_SUPPRESSION.code, "HO901");
        assert_eq!(DRAFT_IN_REVIEW.code, "HO105");
    }

    #[test]
    fn every_rule_has_a_doc_in_three_parts_and_a_one_line_fix() {
        for rule in RULES {
            for heading in ["## What it checks", "## Why it matters"] {
                assert!(rule.doc.contains(heading), "{} lacks {heading}", rule.code);
            }
            if rule.code != "HO005" {
                assert!(
                    rule.doc.contains("## Example"),
                    "{} lacks an example",
                    rule.code
                );
            }
            assert!(
                !rule.fix.contains('\n'),
                "{}: the fix is one line",
                rule.code
            );
        }
    }

    #[test]
    fn pointer_patterns_expand_list_items() {
        let value = serde_json::json!({"a": [{"d": 1}, {"x": 2}, {"d": 3}]});
        let found: Vec<String> = values_at(&value, "/a/*/d")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["/a/0/d", "/a/2/d"]);
        assert!(values_at(&value, "/b/*/d").is_empty());
    }

    #[test]
    fn source_positions_count_characters() {
        let lines = SourceLines::new("a: 1\nb: é x\r\nc");
        let x = "a: 1\nb: é x".find('x').unwrap();
        assert_eq!(
            lines.at(x, x + 1),
            SourceMatch {
                line: 2,
                column: 6,
                length: 1
            }
        );
        assert_eq!(lines.line_of(x), "b: é x");
        assert_eq!(lines.at(0, 1).line, 1);
        assert_eq!(lines.line_of(lines.starts()[2]), "c");
    }

    #[test]
    fn dates_are_strict() {
        assert!(as_date(&serde_json::json!("2026-11-30")).is_some());
        assert!(as_date(&serde_json::json!("2026-02-30")).is_none());
        assert!(as_date(&serde_json::json!("2026-1-3")).is_none());
        assert!(as_date(&serde_json::json!(20261130)).is_none());
    }

    #[test]
    fn find_by_code_or_name() {
        assert_eq!(find("ho001").unwrap().name, "schema");
        assert_eq!(find("yaml").unwrap().code, "HO002");
        assert!(find("nope").is_none());
    }

    #[test]
    fn claimed_ranges_refuse_overlaps() {
        let mut claimed = Claimed::default();
        assert!(claimed.claim(0, 5));
        assert!(claimed.claim(6, 10));
        assert!(!claimed.claim(4, 7));
        assert!(!claimed.claim(4, 6));
        assert!(!claimed.claim(7, 8));
        assert!(claimed.claim(5, 6));
        assert!(claimed.claim(10, 12));
    }

    #[test]
    fn digit_clusters() {
        assert!(has_digit_cluster("card 4242 4242 4242 4242", 13, 23));
        assert!(!has_digit_cluster(
            "go_live: 2027-01-15, amount: 120000",
            13,
            23
        ));
        assert!(has_digit_cluster("ssn 078-05-1120", 9, 11));
        assert!(!has_digit_cluster("phone 617-555", 9, 11));
        assert!(!has_digit_cluster("", 1, 1));
    }
}
