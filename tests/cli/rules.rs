//! Lint rules (HO101-HO302): each one positive and negative through the real binary, inline
//! suppression (`# handoff:ignore`, HO901), severity overrides and `off` in handoff.toml,
//! and `handoff explain`.

use serde_json::Value;

use crate::util::{only_file, spec_sales_cs, Repo};

/// The SPEC example with `from` replaced by `to` in its text.
fn variant(from: &str, to: &str) -> String {
    let spec = spec_sales_cs();
    assert!(spec.contains(from), "fixture lacks {from:?}");
    spec.replacen(from, to, 1)
}

const ROSTER: &str = "people:\n  - {name: Jane Doe, role: AE, team: sales}\n  - {name: Sam Lee, role: CSM, team: customer-success}\n  - {name: Aisha Okafor, role: CSM, team: customer-success}\n";

/// Lints one sales-cs file (with a roster) and returns the exit code and its report.
fn lint(yaml: &str, args: &[&str]) -> (i32, Value) {
    let repo = Repo::new();
    repo.write("roster.yaml", ROSTER);
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let (code, report) = repo.lint_json(args);
    (code, only_file(&report).clone())
}

/// `(code, severity, line, column)` of each finding.
fn findings(file: &Value) -> Vec<(String, String, u64, u64)> {
    file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
                d["column"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

fn finding(code: &str, severity: &str, line: u64, column: u64) -> (String, String, u64, u64) {
    (code.to_string(), severity.to_string(), line, column)
}

fn message_of<'a>(file: &'a Value, code: &str) -> &'a str {
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_else(|| panic!("no {code} in {file:#}"))
}

#[test]
fn the_spec_example_with_a_roster_has_no_findings() {
    let (code, file) = lint(&spec_sales_cs(), &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&file), []);
}

#[test]
fn go_live_before_the_deal_closed_is_an_error_that_fails_the_gate() {
    let (code, file) = lint(&variant("go_live: 2027-01-15", "go_live: 2026-01-15"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO101", "error", 22, 3)]);
    assert_eq!(
        message_of(&file, "HO101"),
        "expectations.go_live 2026-01-15 is before trigger.date 2026-10-30: go-live before the deal closed"
    );
    // The score is completeness only: a rule error blocks without costing points.
    assert_eq!(file["score"], 100);
    assert_eq!(file["passed"], false);
}

#[test]
fn action_item_due_before_the_trigger_and_go_live_after_the_term() {
    let yaml = variant("due: 2026-11-10", "due: 2026-10-01").replacen(
        "go_live: 2027-01-15",
        "go_live: 2028-01-15",
        1,
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&file),
        [
            finding("HO101", "error", 22, 3),
            finding("HO101", "error", 36, 53)
        ]
    );
    assert!(message_of(&file, "HO101").contains("after the end of the contract term 2027-12-01"));
}

#[test]
fn receiver_not_in_the_roster_gets_the_closest_name() {
    let (code, file) = lint(&variant("to: {name: Sam Lee", "to: {name: Sam Le"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO102", "error", 5, 6)]);
    assert_eq!(
        message_of(&file, "HO102"),
        "to.name \"Sam Le\" is not in the roster; did you mean \"Sam Lee\"?"
    );
    // Without a roster there is nothing to check against.
    let repo = Repo::new();
    repo.write(
        "handoffs/a.yaml",
        variant("to: {name: Sam Lee", "to: {name: Sam Le"),
    );
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0);
    assert_eq!(findings(only_file(&report)), []);
}

#[test]
fn action_item_owner_not_in_the_roster() {
    let (code, file) = lint(&variant("owner: Sam Lee", "owner: CS team"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO102", "error", 36, 37)]);
}

#[test]
fn a_draft_goes_stale_after_30_days_or_the_configured_limit() {
    let draft = variant("status: submitted", "status: draft");
    let (code, file) = lint(&draft, &["--now", "2026-12-15"]);
    assert_eq!(code, 0, "a warning never blocks");
    assert_eq!(findings(&file), [finding("HO103", "warning", 2, 1)]);
    assert_eq!(
        message_of(&file, "HO103"),
        "still a draft 46 days after trigger.date 2026-10-30 (stale after 30 days)"
    );
    let (_, file) = lint(&draft, &["--now", "2026-11-29"]);
    assert_eq!(findings(&file), []);
    let (_, file) = lint(&spec_sales_cs(), &["--now", "2027-06-01"]);
    assert_eq!(findings(&file), [], "only drafts go stale");

    let repo = Repo::new();
    repo.write("handoff.toml", "stale_draft_days = 60\n");
    repo.write("handoffs/a.yaml", &draft);
    let (_, report) = repo.lint_json(&["--now", "2026-12-15"]);
    assert_eq!(findings(only_file(&report)), []);
}

#[test]
fn a_card_number_is_found_in_a_comment_and_never_echoed() {
    let yaml = variant(
        "constraints: EU data residency",
        "constraints: EU data residency  # card on file 4111 1111 1111 1111",
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO201", "error", 28, 50)]);
    assert!(!message_of(&file, "HO201").contains("4111"));

    let repo = Repo::new();
    repo.write("handoffs/a.yaml", &yaml);
    let output = repo.cmd().arg("lint").output().unwrap();
    let human = String::from_utf8(output.stdout).unwrap();
    assert!(!human.contains("4111"), "{human}");
    assert!(
        human.contains("28 |   constraints: EU data residency  # card on file *******************"),
        "{human}"
    );
}

#[test]
fn numbers_that_are_not_cards_pass() {
    let yaml = variant(
        "constraints: EU data residency",
        "constraints: EU data residency; call +1 617 555 0142, order 4111 1111 1111 1112",
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&file), []);
}

#[test]
fn a_social_security_number_is_an_error_unless_never_issued() {
    let yaml = variant("hq: Boston, MA", "hq: Boston, MA  # Pat's SSN 123-45-6789");
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO202", "error", 11, 31)]);
    let yaml = variant("hq: Boston, MA", "hq: Boston, MA  # ref 000-45-6789");
    assert_eq!(findings(&lint(&yaml, &[]).1), []);
}

#[test]
fn passwords_and_tokens_are_errors_placeholders_are_not() {
    let yaml = variant(
        "security: SOC 2 report before go-live",
        "security: \"SOC 2 report before go-live; sandbox password: Harbor2027!\"",
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&file), [finding("HO203", "error", 29, 61)]);
    assert_eq!(
        message_of(&file, "HO203"),
        "a password must not be in a handoff (it is readable by everyone with the repository, forever)"
    );
    let yaml = variant(
        "security: SOC 2 report before go-live",
        "security: \"SSO via Okta; CI key AKIAIOSFODNN7EXAMPLE\"",
    );
    assert_eq!(
        findings(&lint(&yaml, &[]).1),
        [finding("HO203", "error", 29, 35)]
    );
    let yaml = variant(
        "security: SOC 2 report before go-live",
        "security: \"Password reset via Okta; admin password: <in 1Password>\"",
    );
    assert_eq!(findings(&lint(&yaml, &[]).1), []);
}

#[test]
fn an_unmeasurable_success_criterion_warns_without_costing_score() {
    let yaml = variant("Cut reporting time by half", "Happier reps");
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 0);
    assert_eq!(file["score"], 100);
    assert_eq!(findings(&file), [finding("HO301", "warning", 21, 53)]);
}

#[test]
fn expectations_without_the_customers_words_or_sources_are_an_info() {
    let paraphrase = variant(
        "summary: \"In their words: we need every rep on one workflow before the Q1 kickoff\"",
        "summary: They need every rep on one workflow before the Q1 kickoff",
    );
    let (code, file) = lint(&paraphrase, &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&file), [finding("HO302", "info", 20, 3)]);
    let with_sources = paraphrase.replacen(
        "customer:\n",
        "sources: ['Gong: discovery call']\ncustomer:\n",
        1,
    );
    assert_eq!(findings(&lint(&with_sources, &[]).1), []);
}

#[test]
fn an_inline_suppression_covers_its_line_or_the_next() {
    let card = "constraints: EU data residency  # card on file 4111 1111 1111 1111";
    let same_line = variant(
        "constraints: EU data residency",
        &format!("{card}  # handoff:ignore HO201 -- Stripe test card"),
    );
    let (code, file) = lint(&same_line, &[]);
    assert_eq!(code, 0);
    assert_eq!(findings(&file), []);

    let line_above = variant(
        "constraints: EU data residency",
        &format!("# handoff:ignore card-number, HO202\n  {card}"),
    );
    let (code, file) = lint(&line_above, &[]);
    assert_eq!(code, 0);
    // card-number suppressed the card; HO202 suppressed nothing and says so.
    assert_eq!(findings(&file), [finding("HO901", "warning", 28, 3)]);
    assert_eq!(
        message_of(&file, "HO901"),
        "`# handoff:ignore HO202` suppresses nothing: no HO202 (national-id) finding on line 29"
    );
}

#[test]
fn an_unused_or_unknown_suppression_is_reported() {
    let yaml = variant(
        "hq: Boston, MA",
        "hq: Boston, MA  # handoff:ignore HO203, HO999",
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        findings(&file),
        [
            finding("HO901", "warning", 11, 19),
            finding("HO901", "warning", 11, 19)
        ]
    );
    // A schema error cannot be suppressed inline.
    let yaml = variant(
        "hq: Boston, MA",
        "hq: Boston, MA\n  hqq: x  # handoff:ignore HO001",
    );
    let (code, file) = lint(&yaml, &[]);
    assert_eq!(code, 1);
    let codes: Vec<String> = findings(&file).into_iter().map(|f| f.0).collect();
    assert_eq!(codes, ["HO001", "HO901"]);
    // And HO901 can be turned off.
    let repo = Repo::new();
    repo.write("handoff.toml", "[rules]\nunused-suppression = \"off\"\n");
    repo.write(
        "handoffs/a.yaml",
        variant("hq: Boston, MA", "hq: Boston, MA  # handoff:ignore HO203"),
    );
    assert_eq!(findings(only_file(&repo.lint_json(&[]).1)), []);
}

#[test]
fn severity_overrides_and_off_in_the_config() {
    let card = variant(
        "constraints: EU data residency",
        "constraints: EU data residency  # 4111 1111 1111 1111",
    );
    let vague = variant("Cut reporting time by half", "Happier reps");
    let run = |config: &str, yaml: &str| {
        let repo = Repo::new();
        repo.write("handoff.toml", config);
        repo.write("handoffs/a.yaml", yaml);
        let (code, report) = repo.lint_json(&[]);
        (code, findings(only_file(&report)))
    };
    assert_eq!(
        run("[rules]\nHO201 = \"warning\"\n", &card),
        (0, vec![finding("HO201", "warning", 28, 37)])
    );
    assert_eq!(run("[rules]\ncard-number = \"off\"\n", &card), (0, vec![]));
    assert_eq!(
        run("[rules]\nHO301 = \"error\"\n", &vague),
        (1, vec![finding("HO301", "error", 21, 53)])
    );
    assert_eq!(
        run("[rules]\nunmeasurable-criteria = \"off\"\n", &vague),
        (0, vec![])
    );

    let repo = Repo::new();
    repo.write("handoff.toml", "[rules]\nHO001 = \"off\"\n");
    repo.write("handoffs/a.yaml", spec_sales_cs());
    let output = repo.cmd().arg("lint").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("handoff.toml"), "{stderr}");
    assert!(
        stderr.contains("HO001 (schema) guards validity"),
        "{stderr}"
    );
}

#[test]
fn explain_lists_every_rule_and_prints_each_doc() {
    let repo = Repo::new();
    let output = repo.cmd().arg("explain").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let list = String::from_utf8(output.stdout).unwrap();
    for code in [
        "HO000", "HO001", "HO005", "HO101", "HO102", "HO103", "HO201", "HO202", "HO203", "HO301",
        "HO302", "HO901",
    ] {
        assert!(list.contains(code), "{code} missing from:\n{list}");
    }
    for rule in [
        "HO203",
        "card-number",
        "below-threshold",
        "unused-suppression",
    ] {
        let output = repo.cmd().args(["explain", rule]).output().unwrap();
        assert_eq!(output.status.code(), Some(0));
        let doc = String::from_utf8(output.stdout).unwrap();
        for part in [
            "## What it checks",
            "## Why it matters",
            "## Example",
            "Fix: ",
        ] {
            assert!(doc.contains(part), "{rule}: {part} missing from:\n{doc}");
        }
    }
    let output = repo.cmd().args(["explain", "HO999"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}
