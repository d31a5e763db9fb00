//! Every reporter on one shared set of findings, as snapshots (as ruff does): the lint formats
//! (human, json, github, sarif, junit, markdown, gitlab) on one repository holding a passing
//! handoff with a warning, a blocked one with a secret, and an invalid one; the metrics formats
//! (table, json, csv, html) on one history built at pinned dates. A change to any reporter
//! shows here as a diff of what users read.

use crate::util::{day, spec_sales_cs, GitRepo, Repo, JANE};

const LINT_FORMATS: [&str; 7] = [
    "human", "json", "github", "sarif", "junit", "markdown", "gitlab",
];
const METRICS_FORMATS: [&str; 4] = ["table", "json", "csv", "html"];

/// The shared findings: HO301 (a warning) on a passing handoff, HO000 and HO203 on a blocked
/// one, HO001 on an invalid one.
fn findings_repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Jane Doe, role: AE}\n  - {name: Sam Lee, role: CSM}\n",
    );
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_sales_cs().replacen("Cut reporting time by half", "Happier reps", 1),
    );
    repo.write(
        "handoffs/sales-cs/blocked.yaml",
        "type: sales-cs\nstatus: submitted\ntitle: \"Globex: sandbox password: Harbor2027!\"\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\n",
    );
    repo.write(
        "handoffs/sales-cs/invalid.yaml",
        spec_sales_cs().replace("Acme Corp", "Initech").replacen(
            "severity: high",
            "severity: urgent",
            1,
        ),
    );
    repo
}

fn stdout(repo: &Repo, args: &[&str]) -> String {
    let output = repo
        .cmd()
        .args(args)
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .output()
        .expect("run");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn every_lint_reporter_on_the_shared_findings() {
    let repo = findings_repo();
    for format in LINT_FORMATS {
        let text = stdout(&repo, &["lint", "--now", "2026-11-30", "--format", format]);
        insta::assert_snapshot!(format!("lint_{format}"), text);
    }
}

#[test]
fn every_metrics_reporter_on_one_history() {
    let repo = GitRepo::init(findings_repo()).author(JANE);
    // Three handoffs landing on three days after their trigger date (2026-10-30), the invalid
    // one fixed on the fourth.
    let invalid = repo.read("handoffs/sales-cs/invalid.yaml");
    std::fs::remove_file(repo.path().join("handoffs/sales-cs/invalid.yaml")).unwrap();
    std::fs::remove_file(repo.path().join("handoffs/sales-cs/blocked.yaml")).unwrap();
    repo.commit_all(day(40), "acme");
    repo.write(
        "handoffs/sales-cs/blocked.yaml",
        "type: sales-cs\nstatus: submitted\ntitle: Globex\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\n",
    );
    repo.commit_all(day(41), "globex");
    repo.write("handoffs/sales-cs/invalid.yaml", &invalid);
    repo.commit_all(day(42), "initech");
    repo.write(
        "handoffs/sales-cs/invalid.yaml",
        invalid.replacen("severity: urgent", "severity: high", 1),
    );
    repo.commit_all(day(43), "initech: fix the severity");
    for format in METRICS_FORMATS {
        let text = stdout(&repo, &["metrics", "--format", format]);
        insta::assert_snapshot!(format!("metrics_{format}"), text);
    }
}
