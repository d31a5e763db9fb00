//! `handoff lint`: scoring rules, exit codes, positions of schema errors, bad input.

use crate::util::{only_file, section, spec_sales_cs, Repo};

/// The SPEC example with `from` replaced by `to` in its text.
fn variant(from: &str, to: &str) -> String {
    let spec = spec_sales_cs();
    assert!(spec.contains(from), "fixture lacks {from:?}");
    spec.replacen(from, to, 1)
}

fn lint_one(yaml: &str) -> (i32, serde_json::Value) {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let (code, report) = repo.lint_json(&[]);
    (code, only_file(&report).clone())
}

#[test]
fn the_spec_example_scores_100_and_passes() {
    let (code, file) = lint_one(&spec_sales_cs());
    assert_eq!(code, 0);
    assert_eq!(file["score"], 100);
    assert_eq!(file["valid"], true);
    assert_eq!(file["passed"], true);
    assert_eq!(file["path"], "handoffs/sales-cs/acme.yaml");
    assert_eq!(file["type"], "sales-cs");
    for s in file["sections"].as_array().unwrap() {
        assert_eq!(s["status"], "complete", "{s}");
        assert_eq!(s["missing"], serde_json::json!([]));
    }
}

#[test]
fn json_report_has_the_spec_keys() {
    let (_, file) = lint_one(&variant("go_live: 2027-01-15", "go_live:"));
    let repo = Repo::new();
    repo.write(
        "handoffs/a.yaml",
        variant("go_live: 2027-01-15", "go_live:"),
    );
    let (_, report) = repo.lint_json(&[]);
    assert_eq!(report["threshold"], 70);
    assert!(report["passed"].is_boolean());
    for key in [
        "path",
        "type",
        "valid",
        "score",
        "passed",
        "sections",
        "diagnostics",
    ] {
        assert!(file.get(key).is_some(), "missing key {key}");
    }
    let expectations = section(&file, "expectations");
    assert_eq!(expectations["weight"], 25);
    assert_eq!(expectations["status"], "partial");
    assert_eq!(
        expectations["missing"],
        serde_json::json!(["expectations.go_live"])
    );
}

#[test]
fn a_partial_section_earns_half_its_weight_rounded_half_up() {
    // expectations partial: 100 - 12.5 = 87.5 → 88.
    let (_, file) = lint_one(&variant("go_live: 2027-01-15", "go_live:"));
    assert_eq!(file["score"], 88);
    // risks partial (15 → 7.5) as well: 100 - 12.5 - 7.5 = 80.
    let yaml = variant("go_live: 2027-01-15", "go_live:").replace(
        "mitigation: Meet the new CFO in the first month",
        "mitigation: TBD",
    );
    let (_, file) = lint_one(&yaml);
    assert_eq!(section(&file, "risks")["status"], "missing");
    assert_eq!(file["score"], 73);
}

#[test]
fn a_section_with_no_passing_field_is_missing() {
    let yaml = variant(
        "technical:\n  integrations: [Salesforce, Okta]\n  data_migration: Two years of activity history from the old tool\n  constraints: EU data residency\n  security: SOC 2 report before go-live\n",
        "technical:\n  integrations: []\n  data_migration: \"\"\n  constraints: ~\n",
    );
    let (code, file) = lint_one(&yaml);
    let technical = section(&file, "technical");
    assert_eq!(technical["status"], "missing");
    assert_eq!(
        technical["missing"],
        serde_json::json!([
            "technical.integrations",
            "technical.data_migration",
            "technical.constraints",
            "technical.security"
        ])
    );
    assert_eq!(file["score"], 85);
    assert_eq!(code, 0);
}

#[test]
fn every_placeholder_kind_costs_score() {
    for placeholder in [
        "TBD",
        "tbd",
        " Todo ",
        "N/A",
        "unknown",
        "'?'",
        "'-'",
        "'...'",
        "XXX",
        "Lorem ipsum...",
        "'[Name]'",
        "<name>",
        "'{{ name }}'",
    ] {
        let yaml = variant("industry: Healthcare", &format!("industry: {placeholder}"));
        let (_, file) = lint_one(&yaml);
        let context = section(&file, "customer_context");
        assert_eq!(
            context["status"], "partial",
            "{placeholder} should be a placeholder"
        );
        assert_eq!(
            context["missing"],
            serde_json::json!(["customer.industry"]),
            "{placeholder}"
        );
        assert_eq!(
            file["valid"], true,
            "{placeholder} is fine where a string goes"
        );
    }
}

#[test]
fn minimum_words_items_and_item_keys() {
    // deal.bought needs 8 words.
    let (_, file) = lint_one(&variant(
        "bought: Platform and onboarding package to automate their outreach across three regions",
        "bought: Platform and onboarding",
    ));
    assert_eq!(
        section(&file, "customer_context")["missing"],
        serde_json::json!(["deal.bought"])
    );
    // success criteria need 3 items.
    let (_, file) = lint_one(&variant(
        "success_criteria: [Onboard 500 users by March 31, Cut reporting time by half, Weekly active use above 80%]",
        "success_criteria: [Onboard 500 users by March 31, Cut reporting time by half]",
    ));
    assert_eq!(
        section(&file, "expectations")["missing"],
        serde_json::json!(["expectations.success_criteria"])
    );
    // each action item needs action, owner and due.
    let (_, file) = lint_one(&variant(
        "- {action: Schedule kickoff call, owner: Sam Lee, due: 2026-11-10}",
        "- {action: Schedule kickoff call, owner: Sam Lee}",
    ));
    assert_eq!(section(&file, "action_items")["status"], "missing");
    assert_eq!(file["score"], 90);
    // the primary contact needs name, title and email.
    let (_, file) = lint_one(&variant(
        "title: VP Operations, email: pat@acme.example",
        "title: VP Operations",
    ));
    assert_eq!(
        section(&file, "customer_context")["missing"],
        serde_json::json!(["customer.primary_contact"])
    );
}

#[test]
fn null_empty_and_absent_fields_cost_score_not_validity() {
    for replacement in ["go_live:", "go_live: ~", "go_live: null", "go_live: ''"] {
        let yaml = variant("go_live: 2027-01-15", replacement);
        let (code, file) = lint_one(&yaml);
        assert_eq!(file["score"], 88, "{replacement}");
        if replacement == "go_live: ''" {
            // An empty string is not a date: schema error with the hint to leave it empty.
            assert_eq!(file["valid"], false);
            assert_eq!(code, 1);
        } else {
            assert_eq!(file["valid"], true, "{replacement}");
            assert_eq!(code, 0);
        }
    }
    let (_, file) = lint_one(&variant("  go_live: 2027-01-15\n", ""));
    assert_eq!(
        section(&file, "expectations")["missing"],
        serde_json::json!(["expectations.go_live"])
    );
}

#[test]
fn below_threshold_blocks_with_exit_1_and_threshold_flag_and_config_move_the_gate() {
    let yaml = variant("risks:\n  - {risk: Budget owner changes in January, severity: high, mitigation: Meet the new CFO in the first month}\n", "")
        .replace("go_live: 2027-01-15", "go_live:")
        .replace("champion: {name: Pat Kim, title: VP Operations}", "champion:")
        .replace("executive_sponsor: {name: Lee Chan, title: COO}", "executive_sponsor:");
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", &yaml);
    let (code, report) = repo.lint_json(&[]);
    let file = only_file(&report);
    // 100 - 12.5 (expectations) - 15 (risks) - 7.5 (relationships) = 65.
    assert_eq!(file["score"], 65);
    assert_eq!(file["passed"], false);
    assert_eq!(report["passed"], false);
    assert_eq!(code, 1);
    let (code, report) = repo.lint_json(&["--threshold", "60"]);
    assert_eq!((code, report["threshold"].as_u64()), (0, Some(60)));
    repo.write("handoff.toml", "threshold = 60\n");
    let (code, _) = repo.lint_json(&[]);
    assert_eq!(code, 0);
    let (code, _) = repo.lint_json(&["--threshold", "90"]);
    assert_eq!(code, 1, "--threshold overrides handoff.toml");
}

#[test]
fn usage_errors_exit_2_and_name_the_problem() {
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    let out = repo
        .cmd()
        .args(["lint", "handoffs/nope.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("handoffs/nope.yaml") && stderr.contains("no such file"),
        "{stderr}"
    );
    let out = repo
        .cmd()
        .args(["lint", "--format", "xml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = repo
        .cmd()
        .args(["lint", "--threshold", "101"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    repo.write("handoff.toml", "threshhold = 60\n");
    let out = repo.cmd().args(["lint"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("handoff.toml") && stderr.contains("line 1"),
        "{stderr}"
    );
    let empty = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("handoff")
        .unwrap()
        .current_dir(empty.path())
        .arg("lint")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("handoff init"));
}

#[test]
fn schema_errors_carry_line_and_column_of_the_node() {
    let yaml = variant("go_live: 2027-01-15", "go_live: TBD")
        .replace("term_months: 12", "term_months: 12\n  termz: 3")
        .replace("severity: high", "severity: urgent")
        .replace("email: jane@example.com", "email: not-an-email");
    let (code, file) = lint_one(&yaml);
    assert_eq!(code, 1);
    assert_eq!(file["valid"], false);
    let diags = file["diagnostics"].as_array().unwrap();
    let find = |needle: &str| {
        diags
            .iter()
            .find(|d| d["message"].as_str().unwrap().contains(needle))
            .unwrap_or_else(|| panic!("no diagnostic with {needle}: {diags:#?}"))
    };
    let lines: Vec<&str> = yaml.lines().collect();
    let line_of = |needle: &str| lines.iter().position(|l| l.contains(needle)).unwrap() + 1;
    let email = find("not a valid email");
    assert_eq!(email["rule"], "schema");
    assert_eq!(
        (
            email["line"].as_u64().unwrap() as usize,
            email["column"].as_u64().unwrap()
        ),
        (line_of("not-an-email"), 34)
    );
    let unknown = find("unknown key `termz`");
    assert_eq!(
        (
            unknown["line"].as_u64().unwrap() as usize,
            unknown["column"].as_u64().unwrap()
        ),
        (line_of("termz"), 3)
    );
    let date = find("expectations.go_live");
    assert_eq!(
        date["line"].as_u64().unwrap() as usize,
        line_of("go_live: TBD")
    );
    assert!(date["help"]
        .as_str()
        .unwrap()
        .contains("leave a date empty"));
    let severity = find("urgent");
    assert_eq!(
        severity["line"].as_u64().unwrap() as usize,
        line_of("severity: urgent")
    );
    let severity_line = lines[line_of("severity: urgent") - 1];
    assert_eq!(
        severity["column"].as_u64().unwrap() as usize,
        severity_line.find("severity").unwrap() + 1
    );
}

#[test]
fn impossible_dates_and_negative_amounts_are_schema_errors() {
    let (_, file) = lint_one(&variant(
        "contract_start: 2026-12-01",
        "contract_start: 2026-02-30",
    ));
    assert_eq!(file["valid"], false);
    let (_, file) = lint_one(&variant("amount: 120000", "amount: -5"));
    assert_eq!(file["valid"], false);
    let (_, file) = lint_one(&variant("amount: 120000", "amount: TBD"));
    assert_eq!(file["valid"], false);
    assert!(file["diagnostics"][0]["help"]
        .as_str()
        .unwrap()
        .contains("leave a number empty"));
}

#[test]
fn only_type_status_and_names_are_required() {
    let (code, file) =
        lint_one("type: sales-cs\nstatus: draft\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\n");
    assert_eq!(file["valid"], true);
    assert_eq!(file["score"], 0);
    assert_eq!(code, 1);
    let (_, file) = lint_one("type: sales-cs\nstatus: draft\nfrom: {name: Jane Doe}\n");
    assert_eq!(file["valid"], false);
    assert!(file["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("needs `to`"));
    let (_, file) = lint_one("type: sales-to-cs\nstatus: draft\n");
    assert_eq!(file["diagnostics"][0]["rule"], "unknown-type");
    assert_eq!(file["diagnostics"][0]["line"], 1);
}

fn bad_input_is_one_invalid_file(name: &str, bytes: &[u8], expect: &str) {
    let repo = Repo::new();
    repo.write("handoffs/good.yaml", spec_sales_cs());
    repo.write(&format!("handoffs/{name}"), bytes);
    let started = std::time::Instant::now();
    let (code, report) = repo.lint_json(&[]);
    assert!(
        started.elapsed().as_secs() < 5,
        "{name} took {:?}",
        started.elapsed()
    );
    assert_eq!(code, 1, "{name}");
    let files = report["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        2,
        "the good file is still reported: {report:#}"
    );
    let good = files
        .iter()
        .find(|f| f["path"] == "handoffs/good.yaml")
        .unwrap();
    assert_eq!(good["passed"], true);
    let bad = files
        .iter()
        .find(|f| f["path"] != "handoffs/good.yaml")
        .unwrap();
    assert_eq!(bad["valid"], false, "{name}");
    let message = bad["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains(expect), "{name}: {message}");
}

#[test]
fn bad_input_never_hides_the_other_files() {
    bad_input_is_one_invalid_file(
        "not-yaml.yaml",
        b"type: sales-cs\n  status: : [\n",
        "invalid YAML",
    );
    bad_input_is_one_invalid_file("empty.yaml", b"", "empty");
    bad_input_is_one_invalid_file(
        "two.yaml",
        b"type: sales-cs\n---\ntype: sales-cs\n",
        "more than one YAML document",
    );
    bad_input_is_one_invalid_file(
        "dup.yaml",
        b"type: sales-cs\nstatus: draft\nstatus: submitted\n",
        "duplicate key `status`",
    );
    bad_input_is_one_invalid_file(
        "latin1.yaml",
        b"type: sales-cs\ntitle: Caf\xe9\n",
        "not valid UTF-8",
    );
    // A byte-order mark is allowed by YAML at the start: the file reads as without it (so
    // here only the missing `status` is wrong).
    bad_input_is_one_invalid_file(
        "bom.yaml",
        b"\xEF\xBB\xBFtype: sales-cs\n",
        "the handoff needs `status`",
    );
    let huge = format!(
        "type: sales-cs\ntitle: \"{}\"\n",
        "x".repeat(2 * 1024 * 1024)
    );
    bad_input_is_one_invalid_file("huge.yaml", huge.as_bytes(), "over the 1048576-byte limit");
    let deep = format!(
        "type: sales-cs\nx: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    bad_input_is_one_invalid_file("deep.yaml", deep.as_bytes(), "nested too deeply");
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..20 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!("b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    bad_input_is_one_invalid_file("bomb.yaml", bomb.as_bytes(), "alias");
}

#[test]
fn human_output_shows_verdict_sections_and_source_line() {
    let repo = Repo::new();
    repo.write(
        "handoffs/a.yaml",
        variant("go_live: 2027-01-15", "go_live: TBD"),
    );
    let out = repo.cmd().arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("handoffs/a.yaml · sales-cs@1 · score 88/100 · BLOCKED: invalid"),
        "{text}"
    );
    assert!(text.contains("◐ Expectations & success criteria   25  partial   expectations.go_live (placeholder \"TBD\")"), "{text}");
    assert!(text.contains("|   go_live: TBD"), "{text}");
    assert!(
        text.contains("1 handoff: 0 passed, 1 blocked (1 invalid); threshold 70"),
        "{text}"
    );
}

#[test]
fn pinned_playbook_versions_score_by_that_version() {
    let repo = Repo::new();
    let current =
        std::fs::read_to_string(crate::util::project_root().join("playbooks/sales-cs.yaml"))
            .unwrap();
    // Version 2 demands a fourth success criterion; version 1 is archived as sales-cs@1.yaml.
    repo.write("playbooks/sales-cs@1.yaml", &current);
    let v2 =
        current
            .replacen("version: 1", "version: 2", 1)
            .replacen("min_items: 3", "min_items: 4", 1);
    assert_ne!(v2, current);
    repo.write("playbooks/sales-cs.yaml", &v2);
    repo.write("handoffs/unpinned.yaml", spec_sales_cs());
    repo.write(
        "handoffs/pinned.yaml",
        variant("type: sales-cs\n", "type: sales-cs\nplaybook: sales-cs@1\n"),
    );
    repo.write(
        "handoffs/bad-pin.yaml",
        variant("type: sales-cs\n", "type: sales-cs\nplaybook: sales-cs@7\n"),
    );
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 1);
    let by_path = |p: &str| {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()
            .clone()
    };
    assert_eq!(by_path("handoffs/unpinned.yaml")["score"], 88);
    assert_eq!(by_path("handoffs/unpinned.yaml")["playbook"], "sales-cs@2");
    assert_eq!(by_path("handoffs/pinned.yaml")["score"], 100);
    assert_eq!(by_path("handoffs/pinned.yaml")["playbook"], "sales-cs@1");
    let bad = by_path("handoffs/bad-pin.yaml");
    assert_eq!(bad["valid"], false);
    assert_eq!(bad["diagnostics"][0]["rule"], "playbook-pin");
}

#[test]
fn the_repository_own_examples_pass_the_gate() {
    let out = assert_cmd::Command::cargo_bin("handoff")
        .unwrap()
        .current_dir(crate::util::project_root())
        .args(["lint", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let types: std::collections::BTreeSet<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(types.len(), 5, "examples of every type: {types:?}");
}

#[test]
fn a_repository_with_only_handoffs_uses_the_embedded_defaults() {
    // No schema/, playbooks/ or roster: Repo::new() has only handoffs/.
    let (code, file) = lint_one(&spec_sales_cs());
    assert_eq!((code, file["score"].as_u64()), (0, Some(100)));
}

#[test]
fn broken_playbook_override_is_exit_2_naming_the_file() {
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    repo.write("playbooks/sales-cs.yaml", "type: sales-cs\nversion: 1\ntitle: x\nsections:\n  - {id: a, title: A, weight: 50, fields: [{path: customer.company}]}\n");
    let out = repo.cmd().arg("lint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("playbooks/sales-cs.yaml") && stderr.contains("add up to 50"),
        "{stderr}"
    );
}
