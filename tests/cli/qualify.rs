//! Issue 14 §2-3: the qualification gate (HO007) in every format, segment playbooks chosen by
//! `segment:` or `when:`, conditional fields with exact scores, pins per playbook,
//! `explain-score`, and broken conditions (exit 2 with file and line).

use serde_json::Value;

use crate::util::{day, only_file, project_root, spec_sales_cs, GitRepo, Repo, JANE};

const ROSTER: &str = "people:\n  - {name: Jane Doe, role: AE, team: sales}\n  - {name: Sam Lee, role: CSM, team: customer-success}\n  - {name: Diego Ramos, role: SDR, team: sales}\n  - {name: Olivia Brooks, role: AE, team: sales}\n";

fn orchid() -> String {
    std::fs::read_to_string(project_root().join("handoffs/sdr-ae/orchid-payroll.yaml"))
        .expect("example")
}

/// Orchid Payroll with authority, budget and timeline emptied: 2 of 5 signals, score 68.
fn unqualified() -> String {
    let text = orchid();
    let start = text.find("  budget: Looking").expect("budget");
    let end = text.find("conversation_history:").expect("history");
    format!(
        "{}  budget:\n  timeline: TBD\n  authority:\n{}",
        &text[..start],
        &text[end..]
    )
}

fn sdr_repo(yaml: &str) -> Repo {
    let repo = Repo::new();
    repo.write("roster.yaml", ROSTER);
    repo.write("handoffs/sdr-ae/orchid.yaml", yaml);
    repo
}

fn codes(file: &Value) -> Vec<String> {
    file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn run(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo.cmd().args(args).output().expect("run");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_qualification_gate_fails_a_handoff_whatever_its_score() {
    // Threshold 50: the score (68) passes, the qualification does not.
    let (code, report) =
        sdr_repo(&unqualified()).lint_json(&["--now", "2026-11-20", "--threshold", "50"]);
    let file = only_file(&report);
    assert_eq!(code, 1, "{file:#}");
    assert_eq!(file["score"], 68, "{file:#}");
    assert_eq!(file["valid"], true);
    assert_eq!(file["passed"], false);
    assert_eq!(codes(file), ["HO007"]);
    let finding = &file["diagnostics"][0];
    assert_eq!(
        finding["message"],
        "2 of 5 qualification signals met: authority, budget, timeline missing (3 needed)"
    );
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["rule"], "qualification");
    assert_eq!(file["qualification"]["met"], 2);
    assert_eq!(file["qualification"]["threshold"], 3);
    assert_eq!(file["qualification"]["qualified"], false);
    let met: Vec<bool> = file["qualification"]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["met"].as_bool().unwrap())
        .collect();
    assert_eq!(met, [true, false, true, false, false]);

    // Exactly at the threshold it passes: budget back, 3 of 5.
    let three = unqualified().replacen("  budget:\n", "  budget: 30k USD a year\n", 1);
    let (code, report) = sdr_repo(&three).lint_json(&["--now", "2026-11-20", "--threshold", "50"]);
    let file = only_file(&report);
    assert_eq!(code, 0, "{file:#}");
    assert_eq!(file["qualification"]["met"], 3);
    assert_eq!(file["qualification"]["qualified"], true);
    assert!(codes(file).is_empty());

    // The example itself meets all five.
    let (code, report) = sdr_repo(&orchid()).lint_json(&["--now", "2026-11-20"]);
    assert_eq!(code, 0);
    assert_eq!(only_file(&report)["qualification"]["met"], 5);
}

#[test]
fn the_qualification_finding_shows_in_every_lint_format() {
    let repo = sdr_repo(&unqualified());
    for format in [
        "human", "json", "github", "sarif", "junit", "markdown", "gitlab",
    ] {
        let (code, stdout, stderr) =
            run(&repo, &["lint", "--format", format, "--now", "2026-11-20"]);
        assert_eq!(code, 1, "{format}: {stderr}");
        assert!(
            stdout.contains(
                "2 of 5 qualification signals met: authority, budget, timeline missing (3 needed)"
            ),
            "{format}:\n{stdout}"
        );
        assert!(
            stdout.contains("HO007") || stdout.contains("qualification"),
            "{format}"
        );
        let version = env!("CARGO_PKG_VERSION");
        let stdout = stdout.replace(version, "[version]");
        insta::assert_snapshot!(format!("qualification_{format}"), stdout);
    }
}

fn sales_repo(yaml: &str) -> Repo {
    let repo = Repo::new();
    repo.write("roster.yaml", ROSTER);
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    repo
}

fn scored(repo: &Repo) -> (String, u64, Value) {
    let (_, report) = repo.lint_json(&["--now", "2026-11-01"]);
    let file = only_file(&report).clone();
    (
        file["playbook"].as_str().unwrap_or_default().to_string(),
        file["score"].as_u64().unwrap_or_default(),
        file,
    )
}

fn applied(file: &Value) -> Vec<(String, bool)> {
    file["conditional_fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["field"].as_str().unwrap().to_string(),
                        f["applied"].as_bool().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn segment_playbooks_and_conditional_fields_score_exactly() {
    // No segment: the default playbook, 100.
    let (playbook, score, file) = scored(&sales_repo(&spec_sales_cs()));
    assert_eq!((playbook.as_str(), score), ("sales-cs@1", 100));
    assert!(file.get("conditional_fields").is_none());

    // `segment: enterprise`: the enterprise playbook. 120k: the sponsor (with title) and the
    // security review apply; a migration is described, so its plan applies too. Neither the
    // review nor the plan is written: technical is partial, 92.5 → 93.
    let enterprise = format!("segment: Enterprise\n{}", spec_sales_cs());
    let (playbook, score, file) = scored(&sales_repo(&enterprise));
    assert_eq!((playbook.as_str(), score), ("sales-cs.enterprise@1", 93));
    assert_eq!(
        applied(&file),
        [
            ("technical.security_review".to_string(), true),
            ("technical.migration_plan".to_string(), true),
            ("relationships.executive_sponsor".to_string(), true),
        ]
    );

    // 90k and no migration: none of the three applies, technical is complete: 100.
    let small = enterprise
        .replacen("amount: 120000", "amount: 90000", 1)
        .replacen(
            "data_migration: Two years of activity history from the old tool",
            "data_migration: none",
            1,
        );
    let (playbook, score, file) = scored(&sales_repo(&small));
    assert_eq!((playbook.as_str(), score), ("sales-cs.enterprise@1", 100));
    assert!(applied(&file).iter().all(|(_, applied)| !applied));

    // Both written: 100 with every conditional field applied.
    let written = enterprise.replacen(
        "  security: SOC 2 report before go-live\n",
        "  security: SOC 2 report before go-live\n  security_review: Questionnaire answered, DPA signed by their counsel\n  migration_plan: Their admin exports the history, we import it in two batches before go-live\n",
        1,
    );
    let (_, score, _) = scored(&sales_repo(&written));
    assert_eq!(score, 100);

    // A segment without a playbook of its own: the default.
    let other = format!("segment: mid-market\n{}", spec_sales_cs());
    assert_eq!(scored(&sales_repo(&other)).0, "sales-cs@1");
}

#[test]
fn a_segment_playbook_is_chosen_by_its_when_condition() {
    let enterprise =
        std::fs::read_to_string(project_root().join("playbooks/sales-cs.enterprise.yaml")).unwrap();
    let strategic = enterprise
        .replacen("segment: enterprise\n", "", 1)
        .replacen(
            "# when: deal.amount >= 100000",
            "when: deal.amount >= 100000",
            1,
        );
    let repo = sales_repo(&spec_sales_cs());
    repo.write("playbooks/sales-cs.strategic.yaml", &strategic);
    assert_eq!(
        scored(&repo),
        ("sales-cs.strategic@1".to_string(), 93, scored(&repo).2)
    );
    // Below 100k the condition does not hold: the default.
    let repo = sales_repo(&spec_sales_cs().replacen("amount: 120000", "amount: 99999", 1));
    repo.write("playbooks/sales-cs.strategic.yaml", &strategic);
    assert_eq!(scored(&repo).0, "sales-cs@1");
}

#[test]
fn pins_and_archives_work_per_segment_playbook() {
    let enterprise =
        std::fs::read_to_string(project_root().join("playbooks/sales-cs.enterprise.yaml")).unwrap();
    // Version 2 needs two risks: the fixture's one risk leaves the section missing.
    let v2 = enterprise
        .replacen("version: 1\n", "version: 2\n", 1)
        .replacen(
            "      - path: risks\n        min_items: 1\n",
            "      - path: risks\n        min_items: 2\n",
            1,
        );
    assert_ne!(v2, enterprise.replacen("version: 1\n", "version: 2\n", 1));
    let handoff = format!("segment: enterprise\n{}", spec_sales_cs());
    let pinned = format!("playbook: sales-cs.enterprise@1\n{handoff}");
    let repo = sales_repo(&handoff);
    repo.write("playbooks/sales-cs.enterprise@1.yaml", &enterprise);
    repo.write("playbooks/sales-cs.enterprise.yaml", &v2);
    let (playbook, score, _) = scored(&repo);
    assert_eq!((playbook.as_str(), score), ("sales-cs.enterprise@2", 78));
    repo.write("handoffs/sales-cs/acme.yaml", &pinned);
    let (playbook, score, _) = scored(&repo);
    assert_eq!((playbook.as_str(), score), ("sales-cs.enterprise@1", 93));
    // A pin to the default is still the default, whatever the segment.
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        format!("playbook: sales-cs@1\n{handoff}"),
    );
    assert_eq!(scored(&repo).1, 100);
    // A pin to nothing: HO004 with the versions there are.
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        format!("playbook: sales-cs.enterprise@7\n{handoff}"),
    );
    let (_, _, file) = scored(&repo);
    assert_eq!(codes(&file), ["HO004"]);
    assert!(file["diagnostics"][0]["message"]
        .as_str()
        .unwrap()
        .contains("available: sales-cs.enterprise@1, sales-cs.enterprise@2"));
}

#[test]
fn broken_conditions_are_exit_2_with_file_and_line() {
    let enterprise =
        std::fs::read_to_string(project_root().join("playbooks/sales-cs.enterprise.yaml")).unwrap();
    let line = enterprise
        .lines()
        .position(|l| l.contains("when: deal.amount >= 100000") && !l.starts_with('#'))
        .unwrap()
        + 1;
    for (bad, why) in [
        ("when: deal.amount >= hush-secret-value", "orders numbers"),
        ("when: deal.amount = 100000", "compare with `==`"),
        (
            "when: deal.notes matches \"(?=x)\"",
            "not a valid regular expression",
        ),
        ("when: (deal.amount >= 1", "never closed"),
    ] {
        let broken = enterprise.replacen(
            "        when: deal.amount >= 100000",
            &format!("        {bad}"),
            1,
        );
        let repo = sales_repo(&spec_sales_cs());
        repo.write("playbooks/sales-cs.enterprise.yaml", &broken);
        let (code, stdout, stderr) = run(&repo, &["lint"]);
        assert_eq!(code, 2, "{bad}: {stdout}{stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(
            stderr.contains("playbooks/sales-cs.enterprise.yaml"),
            "{stderr}"
        );
        assert!(stderr.contains(&format!("line {line},")), "{bad}: {stderr}");
        assert!(stderr.contains(why), "{bad}: {stderr}");
        assert!(!stderr.contains("hush-secret-value"), "{stderr}");
    }
    // A qualification threshold above the signals.
    let repo = sdr_repo(&orchid());
    let sdr = std::fs::read_to_string(project_root().join("playbooks/sdr-ae.yaml")).unwrap();
    repo.write(
        "playbooks/sdr-ae.yaml",
        sdr.replacen("  threshold: 3\n", "  threshold: 6\n", 1),
    );
    let (code, _, stderr) = run(&repo, &["lint"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("playbooks/sdr-ae.yaml"), "{stderr}");
    assert!(
        stderr.contains("between 1 and the number of signals (5)"),
        "{stderr}"
    );
}

#[test]
fn explain_score_says_where_every_point_went() {
    let enterprise = format!("segment: enterprise\n{}", spec_sales_cs());
    let repo = sales_repo(&enterprise);
    let (code, stdout, stderr) = run(
        &repo,
        &[
            "explain-score",
            "handoffs/sales-cs/acme.yaml",
            "--now",
            "2026-11-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("explain_score_enterprise", stdout);

    let repo = sdr_repo(&unqualified());
    let (code, stdout, _) = run(&repo, &["explain-score", "handoffs", "--now", "2026-11-20"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain_score_unqualified", stdout);

    // lint --explain: the human report, then the same explanation; the gate's exit code.
    let (code, lint_out, _) = run(&repo, &["lint", "--explain", "--now", "2026-11-20"]);
    assert_eq!(code, 1);
    assert!(lint_out.ends_with(&stdout), "{lint_out}");
    let (code, _, stderr) = run(&repo, &["lint", "--explain", "--format", "json"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--explain goes with --format human"),
        "{stderr}"
    );
    let (code, _, _) = run(&repo, &["explain-score", "handoffs/nope.yaml"]);
    assert_eq!(code, 2);
}

#[test]
fn render_shows_the_qualification_table_and_conditional_fields() {
    let repo = sdr_repo(&unqualified());
    let (code, stdout, stderr) = run(&repo, &["render", "handoffs/sdr-ae/orchid.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("— FAIL**"), "{stdout}");
    assert!(
        stdout.contains("**Qualification:** 2 of 5 signals met (3 needed) — **not qualified**"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "| signal | met |\n|---|---|\n| Company size | yes |\n| Role / authority | no |"
        ),
        "{stdout}"
    );

    let repo = sales_repo(&format!("segment: enterprise\n{}", spec_sales_cs()));
    let (code, stdout, _) = run(&repo, &["render", "handoffs/sales-cs/acme.yaml"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("**Conditional fields:** `technical.security_review` applied; `technical.migration_plan` applied; `relationships.executive_sponsor` applied"),
        "{stdout}"
    );
}

#[test]
fn metrics_give_the_qualified_rate_in_every_breakdown_and_format() {
    let repo = sdr_repo(&orchid());
    repo.write("handoffs/sdr-ae/orchid-bare.yaml", unqualified());
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    let repo = GitRepo::init(repo).author(JANE);
    repo.commit_all(day(0), "Three handoffs");

    let output = repo
        .cmd()
        .args(["metrics", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&output.stdout).expect("json");
    let summary = &report["summary"];
    // Two SDR -> AE handoffs declare qualification, one meets it; sales-cs has none.
    assert_eq!(summary["qualified"], 1, "{summary:#}");
    assert_eq!(summary["qualified_rate"], 0.5, "{summary:#}");
    assert_eq!(summary["by_type"]["sdr-ae"]["qualified_rate"], 0.5);
    assert_eq!(
        summary["by_type"]["sales-cs"]["qualified_rate"],
        Value::Null
    );
    let weeks = summary["by_week"].as_object().expect("weeks");
    assert_eq!(weeks.len(), 1);
    let week = weeks.values().next().expect("week");
    assert_eq!(week["qualified_rate"], 0.5, "{week:#}");
    let authors = summary["by_author"].as_object().expect("authors");
    let qualified: u64 = authors
        .values()
        .map(|a| a["qualified"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(qualified, 1);
    let per_file: Vec<Value> = report["handoffs"]
        .as_array()
        .expect("handoffs")
        .iter()
        .map(|h| h["qualified"].clone())
        .collect();
    assert!(per_file.contains(&Value::Bool(true)));
    assert!(per_file.contains(&Value::Bool(false)));
    assert!(per_file.contains(&Value::Null));

    let table = repo.cmd().args(["metrics"]).output().expect("run");
    let table = String::from_utf8(table.stdout).expect("utf-8");
    assert!(
        table.contains("Qualified                50.0% (1 of the handoffs"),
        "{table}"
    );
    let html = repo
        .cmd()
        .args(["metrics", "--format", "html"])
        .output()
        .expect("run");
    let html = String::from_utf8(html.stdout).expect("utf-8");
    assert!(html.contains("<th scope=\"col\">Qualified</th>") || html.contains(">Qualified<"));
    assert!(html.contains("50.0%"));
}
