//! Pre-fill from CRM and call exports: `handoff new --prefill` (one handoff, `--each`) and
//! `handoff prefill` (fill an existing file in place), the report, provenance, the mapping
//! files and every bad input.

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

use crate::util::{day, project_root, GitRepo, Repo, JANE};

const FIXTURES: &str = "tests/fixtures/crm";

/// A repository with the project's roster, the given fixtures copied to `exports/`, and a home
/// folder of its own (so git's global `user.name` of the machine running the tests is not read).
fn repo_with(fixtures: &[&str]) -> Repo {
    let repo = Repo::new();
    repo.write(
        "roster.yaml",
        std::fs::read_to_string(project_root().join("roster.yaml")).expect("roster"),
    );
    for name in fixtures {
        let bytes = std::fs::read(project_root().join(FIXTURES).join(name)).expect("fixture");
        repo.write(&format!("exports/{name}"), bytes);
    }
    repo
}

fn handoff(repo: &Repo) -> Command {
    let mut cmd = repo.cmd();
    cmd.env("HOME", repo.path())
        .env("XDG_CONFIG_HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1");
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().expect("run");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn prefill_args(files: &[&str]) -> Vec<String> {
    files
        .iter()
        .flat_map(|f| ["--prefill".to_string(), format!("exports/{f}")])
        .collect()
}

/// `handoff new TYPE --prefill ... --format json ARGS`: (exit, report JSON, stderr).
fn new_json(
    repo: &Repo,
    handoff_type: &str,
    files: &[&str],
    args: &[&str],
) -> (i32, Value, String) {
    let (code, stdout, stderr) = run(handoff(repo)
        .args(["new", handoff_type])
        .args(prefill_args(files))
        .args(["--format", "json"])
        .args(args));
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, json, stderr)
}

/// The handoff lints with no error finding and is valid against its schema (the score and the
/// SDR -> AE qualification (HO007) may be below the gate: a CRM holds no authority, budget or
/// timeline answers, so a pre-filled handoff still needs a person).
fn assert_valid_with_no_errors(repo: &Repo, path: &str) {
    let (_, report) = repo.lint_json(&[path]);
    let file = crate::util::only_file(&report);
    assert_eq!(file["valid"], true, "{file:#}");
    let errors: Vec<&Value> = file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error" && d["code"] != "HO007")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

const BUNDLE_AND_CALLS: [&str; 3] = [
    "hubspot-bundle.json",
    "gong-calls-extensive.json",
    "gong-transcript.json",
];

#[test]
fn a_hubspot_bundle_and_gong_calls_prefill_a_sales_cs_handoff() {
    let repo = repo_with(&BUNDLE_AND_CALLS);
    let (code, stdout, stderr) = run(handoff(&repo)
        .args(["new", "sales-cs"])
        .args(prefill_args(&BUNDLE_AND_CALLS))
        .args(["--from", "Jane Doe", "--to", "Sam Lee"]));
    assert_eq!(code, 0, "{stderr}");
    // The name comes from the company.
    let text = repo.read("handoffs/sales-cs/northwind-freight.yaml");
    insta::assert_snapshot!("prefill_new_hubspot_bundle_gong", text);
    // With --from, the owner (not in the roster) is not needed; 15 of the 18 mapped fields are
    // answered, and the other 3 stay empty under their questions.
    assert!(
        stdout.contains(
            "handoffs/sales-cs/northwind-freight.yaml: pre-filled 15 of 18 CRM fields (1 inferred) · score 18/100 · still to write: expectations (25), customer_context (20, partly), risks (15), technical (15), relationships (15, partly), action_items (10)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "not in the exports (left empty): from, customer.technical_lead, relationships.blocker"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("inferred: customer.primary_contact (champion contact)"),
        "{stdout}"
    );
    assert!(stdout.contains("4 candidates from the calls"), "{stdout}");
    assert_valid_with_no_errors(&repo, "handoffs/sales-cs/northwind-freight.yaml");
}

#[test]
fn the_report_as_json_counts_fields_and_cites_each() {
    let repo = repo_with(&BUNDLE_AND_CALLS);
    let (code, report, stderr) =
        new_json(&repo, "sales-cs", &BUNDLE_AND_CALLS, &["--to", "Sam Lee"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["path"], "handoffs/sales-cs/northwind-freight.yaml");
    assert_eq!(report["deal"], "HubSpot deal 9001001");
    assert_eq!(report["fields"], 18);
    assert_eq!(report["filled"], 15);
    assert_eq!(report["inferred"], 1);
    assert_eq!(report["candidates"], 4);
    let unanswered: Vec<&str> = report["unanswered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // The deal owner is not in the roster: `from` is not guessed.
    assert_eq!(
        unanswered,
        ["from", "customer.technical_lead", "relationships.blocker"]
    );
    let cited = |path: &str| {
        report["filled_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {report:#}"))
            .clone()
    };
    assert_eq!(
        cited("deal.amount")["citation"],
        "HubSpot deal 9001001 · amount"
    );
    assert_eq!(
        cited("customer.industry")["citation"],
        "HubSpot company 5501 · industry"
    );
    assert_eq!(
        cited("trigger.date")["citation"],
        "HubSpot deal 9001001 · closedate"
    );
    assert_eq!(
        cited("customer.primary_contact")["inferred"],
        "champion contact"
    );
    assert_eq!(
        report["sources"],
        serde_json::json!([
            "CRM: HubSpot deal 9001001",
            "Gong: Discovery call 2026-10-12",
            "Gong: call 7782342274025937896"
        ])
    );
    let sections: Vec<&str> = report["still_to_write"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(sections[0], "expectations");
    assert_eq!(report["score"], 18);
    assert!(report["warnings"][0]
        .as_str()
        .unwrap()
        .contains("hubspot_owner_id 61234567"));
    // The provenance in the file says the same, the inferred one marked.
    let text = repo.read("handoffs/sales-cs/northwind-freight.yaml");
    assert!(
        text.contains("  deal.amount: HubSpot deal 9001001 · amount\n"),
        "{text}"
    );
    assert!(
        text.contains("  customer.primary_contact: \"HubSpot contact 7301 · firstname, lastname,\n    jobtitle, email (inferred: champion contact)\"\n"),
        "{text}"
    );
}

#[test]
fn the_deal_owner_is_found_in_the_roster_by_hubspot_owner_id() {
    let repo = repo_with(&["hubspot-bundle.json"]);
    let roster = repo.read("roster.yaml").replace(
        "{name: Marcus Chen, email: marcus.chen@example.com, role: AE, team: sales}",
        "{name: Marcus Chen, email: marcus.chen@example.com, role: AE, team: sales, hubspot_owner_id: 61234567}",
    );
    repo.write("roster.yaml", roster);
    let (code, report, stderr) = new_json(
        &repo,
        "sales-cs",
        &["hubspot-bundle.json"],
        &["--to", "Sam Lee"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    let text = repo.read("handoffs/sales-cs/northwind-freight.yaml");
    assert!(
        text.contains("from:\n  # Who writes this handoff?")
            && text.contains("  name: Marcus Chen\n  role: AE\n  email: marcus.chen@example.com\n"),
        "{text}"
    );
    assert!(
        text.contains("  from: HubSpot deal 9001001 · hubspot_owner_id (owner, in roster.yaml)\n"),
        "{text}"
    );
    assert_valid_with_no_errors(&repo, "handoffs/sales-cs/northwind-freight.yaml");
}

#[test]
fn every_input_shape_prefills_a_valid_handoff() {
    let cases: [(&str, &[&str], &[&str]); 5] = [
        (
            "hubspot_v3_objects",
            &[
                "hubspot-v3-deal.json",
                "hubspot-v3-companies-search.json",
                "hubspot-v3-contacts-batch.json",
            ],
            &[],
        ),
        ("salesforce_sf_cli", &["salesforce-sf-cli.json"], &[]),
        (
            "hubspot_csv_german",
            &["hubspot-deals-de.csv", "hubspot-contacts-de.csv"],
            &[],
        ),
        (
            "hubspot_csv_trio",
            &[
                "hubspot-deals.csv",
                "hubspot-contacts.csv",
                "hubspot-companies.csv",
            ],
            &["--each"],
        ),
        ("salesforce_soql", &["salesforce-soql.json"], &["--each"]),
    ];
    for (label, files, extra) in cases {
        let repo = repo_with(files);
        let (code, report, stderr) = new_json(
            &repo,
            "sales-cs",
            files,
            &[&["--from", "Jane Doe", "--to", "Sam Lee"], extra].concat(),
        );
        assert_eq!(code, 0, "{label}: {stderr}");
        let reports: Vec<Value> = match report.get("handoffs") {
            Some(list) => list.as_array().unwrap().clone(),
            None => vec![report.clone()],
        };
        assert!(!reports.is_empty(), "{label}: {report:#}");
        let first = reports[0]["path"].as_str().unwrap().to_string();
        insta::assert_snapshot!(format!("prefill_shape_{label}"), repo.read(&first));
        for one in &reports {
            let path = one["path"].as_str().unwrap();
            assert!(one["filled"].as_u64().unwrap() >= 5, "{label}: {one:#}");
            assert_valid_with_no_errors(&repo, path);
        }
    }
}

#[test]
fn every_type_takes_the_company_contact_and_deal_facts_its_schema_has() {
    let repo = repo_with(&BUNDLE_AND_CALLS);
    for (handoff_type, from, to, field) in [
        ("sdr-ae", "Maya Patel", "Jane Doe", "prospect:\n"),
        ("ae-se", "Jane Doe", "Priya Nair", "  economic_buyer:\n    name: Dana Ruiz\n"),
        ("sales-implementation", "Jane Doe", "Lukas Novak", "  stakeholders:\n    - name: Pat Kim\n      title: VP Operations\n      role: Champion\n      email: pat.kim@northwind-freight.example\n"),
        ("cs-sales", "Sam Lee", "Jane Doe", "account:\n"),
    ] {
        let (code, report, stderr) =
            new_json(&repo, handoff_type, &BUNDLE_AND_CALLS, &["--from", from, "--to", to]);
        assert_eq!(code, 0, "{handoff_type}: {stderr}");
        assert!(report["filled"].as_u64().unwrap() >= 7, "{handoff_type}: {report:#}");
        let path = report["path"].as_str().unwrap();
        let text = repo.read(path);
        assert!(text.contains(field), "{handoff_type}: {field:?} in\n{text}");
        assert!(text.contains("  company: Northwind Freight\n"), "{handoff_type}\n{text}");
        assert!(text.contains("# Per Gong (Discovery call, 2026-10-12"), "{handoff_type}\n{text}");
        assert_valid_with_no_errors(&repo, path);
    }
}

#[test]
fn each_makes_one_handoff_per_won_deal_with_unique_names_and_skips_the_rest() {
    let files = [
        "hubspot-deals.csv",
        "hubspot-contacts.csv",
        "hubspot-companies.csv",
    ];
    let repo = repo_with(&files);
    // A handoff already there is never replaced: the new one gets the next free name.
    repo.write(
        "handoffs/sales-cs/northwind-freight.yaml",
        "written by a person\n",
    );
    let (code, report, stderr) =
        new_json(&repo, "sales-cs", &files, &["--each", "--to", "Sam Lee"]);
    assert_eq!(code, 0, "{stderr}");
    let paths: Vec<&str> = report["handoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "handoffs/sales-cs/northwind-freight-2.yaml",
            "handoffs/sales-cs/contoso-health.yaml"
        ]
    );
    assert_eq!(
        repo.read("handoffs/sales-cs/northwind-freight.yaml"),
        "written by a person\n"
    );
    assert_eq!(report["skipped"][0]["deal"], "HubSpot deal 9001003");
    assert_eq!(report["skipped"][0]["reason"], "not won");
}

#[test]
fn each_gives_a_deal_only_the_calls_its_contacts_were_on() {
    let files = [
        "hubspot-deals.csv",
        "hubspot-contacts.csv",
        "hubspot-companies.csv",
        "gong-calls-extensive.json",
        "gong-transcript.json",
    ];
    let repo = repo_with(&files);
    let (code, report, stderr) =
        new_json(&repo, "sales-cs", &files, &["--each", "--to", "Sam Lee"]);
    assert_eq!(code, 0, "{stderr}");
    let handoffs = report["handoffs"].as_array().unwrap();
    let by_path = |path: &str| {
        handoffs
            .iter()
            .find(|h| h["path"] == path)
            .unwrap_or_else(|| panic!("{path} in {report:#}"))
    };
    // Pat Kim (pat.kim@northwind-freight.example) is on the discovery call and a contact of
    // the Northwind deal only.
    let northwind = by_path("handoffs/sales-cs/northwind-freight.yaml");
    assert!(
        northwind["candidates"].as_u64().unwrap() >= 1,
        "{northwind:#}"
    );
    assert!(
        northwind["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "Gong: Discovery call 2026-10-12"),
        "{northwind:#}"
    );
    let text = repo.read("handoffs/sales-cs/northwind-freight.yaml");
    assert!(
        text.contains("# Per Gong (Discovery call, 2026-10-12"),
        "{text}"
    );
    let contoso = by_path("handoffs/sales-cs/contoso-health.yaml");
    assert_eq!(contoso["candidates"], 0, "{contoso:#}");
    assert_eq!(
        contoso["sources"],
        serde_json::json!(["CRM: HubSpot deal 9001002"])
    );
    let text = repo.read("handoffs/sales-cs/contoso-health.yaml");
    assert!(!text.contains("# Per Gong ("), "{text}");
}

/// The generator the `--each` benchmark uses (BENCHMARKS.md).
#[path = "../../examples/gen_hubspot_export.rs"]
mod gen_hubspot_export;

#[test]
fn each_fills_a_thousand_deals_from_a_hubspot_csv_export() {
    let repo = repo_with(&[]);
    let export = gen_hubspot_export::hubspot_csv_export(1000);
    repo.write("exports/deals.csv", export.deals);
    repo.write("exports/contacts.csv", export.contacts);
    repo.write("exports/companies.csv", export.companies);
    let started = Instant::now();
    let (code, stdout, stderr) = run(handoff(&repo)
        .args(["new", "sales-cs", "--each", "--format", "json"])
        .args(["--from", "Jane Doe", "--to", "Sam Lee"])
        .args(prefill_args(&[
            "deals.csv",
            "contacts.csv",
            "companies.csv",
        ])));
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("report");
    let handoffs = report["handoffs"].as_array().expect("handoffs");
    assert_eq!(handoffs.len(), 1000);
    assert_eq!(report["skipped"].as_array().map(Vec::len), Some(0));
    // 800 companies for 1,000 deals: repeat customers get `-2`, every name once.
    let paths: std::collections::BTreeSet<&str> = handoffs
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 1000);
    assert!(paths.contains("handoffs/sales-cs/northwind-freight.yaml"));
    assert!(paths.contains("handoffs/sales-cs/northwind-freight-2.yaml"));
    let deals: std::collections::BTreeSet<&str> = handoffs
        .iter()
        .map(|h| h["deal"].as_str().unwrap())
        .collect();
    assert_eq!(deals.len(), 1000);
    // Exactly the reported files, and no temporary file left behind.
    let mut written: Vec<String> = std::fs::read_dir(repo.path().join("handoffs/sales-cs"))
        .unwrap()
        .map(|e| {
            format!(
                "handoffs/sales-cs/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    written.sort();
    assert_eq!(
        written,
        paths.iter().map(|p| p.to_string()).collect::<Vec<_>>()
    );
    // Each one is that deal's: its company, amount and provenance.
    let first = repo.read("handoffs/sales-cs/northwind-freight.yaml");
    assert!(first.contains("  company: Northwind Freight\n"), "{first}");
    assert!(first.contains("  amount: 12000\n"), "{first}");
    assert!(
        first.contains("HubSpot deal 9000000 · closedate"),
        "{first}"
    );
    let repeat = repo.read("handoffs/sales-cs/northwind-freight-2.yaml");
    assert!(
        repeat.contains("HubSpot deal 9000800 · closedate"),
        "{repeat}"
    );
    for h in handoffs.iter().step_by(97) {
        assert!(h["filled"].as_u64().unwrap() >= 8, "{h:#}");
        assert_valid_with_no_errors(&repo, h["path"].as_str().unwrap());
    }
    // A debug build on a shared, loaded machine (over a minute at a load of 20 on 2 cores):
    // only a bound that catches a hang or a quadratic slip; the release build's figures are
    // in BENCHMARKS.md.
    assert!(took < Duration::from_secs(300), "{took:?}");
}

const WRITTEN: &str = "\
# yaml-language-server: $schema=../../schema/sales-cs.json
# Jane's notes: the amount is the signed order form, not the CRM.
type: sales-cs
status: draft
title: Northwind — Sales → CS
from: {name: Jane Doe, role: AE}
to: {name: Sam Lee, role: CSM}
customer:
  company: Northwind Freight   # as on the order form
  # What industry are they in?
  industry: TBD
  size:
deal:
  amount: 50000
  bought: |
    TODO
expectations:
  summary: \"In their words: every warehouse on one screen before the February peak\"
";

#[test]
fn prefill_fills_only_empty_fields_keeps_comments_and_reports_disagreements() {
    let repo = repo_with(&["hubspot-bundle.json"]);
    repo.write("handoffs/sales-cs/northwind.yaml", WRITTEN);
    let (code, stdout, stderr) = run(handoff(&repo).args([
        "prefill",
        "handoffs/sales-cs/northwind.yaml",
        "exports/hubspot-bundle.json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let text = repo.read("handoffs/sales-cs/northwind.yaml");
    insta::assert_snapshot!("prefill_existing_file", text);
    // What the person wrote stays, comments included.
    for kept in [
        "# Jane's notes: the amount is the signed order form, not the CRM.\n",
        "  company: Northwind Freight   # as on the order form\n  # What industry are they in?\n  industry: Logistics and supply chain\n",
        "  amount: 50000\n",
        "  summary: \"In their words: every warehouse on one screen before the February peak\"\n",
    ] {
        assert!(text.contains(kept), "{kept:?} in\n{text}");
    }
    assert!(
        stdout.contains("disagrees: deal.amount is \"50000\" here, \"48000\" per HubSpot deal 9001001 · amount; left as written"),
        "{stdout}"
    );
    assert_valid_with_no_errors(&repo, "handoffs/sales-cs/northwind.yaml");
    // Again: nothing left to fill, the file unchanged.
    let (code, stdout, _) = run(handoff(&repo).args([
        "prefill",
        "handoffs/sales-cs/northwind.yaml",
        "exports/hubspot-bundle.json",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["filled"], 0, "{report:#}");
    assert_eq!(report["written"], false);
    assert_eq!(repo.read("handoffs/sales-cs/northwind.yaml"), text);
    assert_eq!(report["disagreements"][0]["path"], "deal.amount");
    assert_eq!(report["disagreements"][0]["written"], 50000);
    assert_eq!(report["disagreements"][0]["export"], 48000);
}

#[test]
fn prefill_dry_run_prints_the_diff_and_writes_nothing() {
    let repo = repo_with(&["hubspot-bundle.json"]);
    repo.write("handoffs/sales-cs/northwind.yaml", WRITTEN);
    let (code, stdout, stderr) = run(handoff(&repo).args([
        "prefill",
        "handoffs/sales-cs/northwind.yaml",
        "exports/hubspot-bundle.json",
        "--dry-run",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(repo.read("handoffs/sales-cs/northwind.yaml"), WRITTEN);
    assert!(
        stdout.starts_with(
            "--- a/handoffs/sales-cs/northwind.yaml\n+++ b/handoffs/sales-cs/northwind.yaml\n@@ "
        ),
        "{stdout}"
    );
    assert!(stdout.contains("\n-  industry: TBD\n"), "{stdout}");
    assert!(
        stdout.contains("\n+  industry: Logistics and supply chain\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n   amount: 50000\n"), "{stdout}");
    assert!(
        stdout.contains("(dry run: nothing was written)"),
        "{stdout}"
    );
}

#[test]
fn new_prefill_with_branch_commits_on_the_handoff_branch() {
    let repo = GitRepo::init(repo_with(&["hubspot-bundle.json"]))
        .author(JANE)
        .identity(JANE);
    repo.write(".gitignore", "exports/\n");
    repo.commit_all(day(0), "start");
    let (code, stdout, stderr) = run(handoff(&repo).args([
        "new",
        "sales-cs",
        "--prefill",
        "exports/hubspot-bundle.json",
        "--branch",
        "--to",
        "Sam Lee",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("On branch handoff/northwind-freight"),
        "{stdout}"
    );
    // git's user.name is in the roster: the writer.
    assert!(repo
        .read("handoffs/sales-cs/northwind-freight.yaml")
        .contains("  name: Jane Doe\n"));
}

#[test]
fn bad_exports_are_exit_2_and_nothing_is_written() {
    // Each bad file, and values in it that no message may repeat.
    let cases: [(&str, &[&str]); 6] = [
        ("bad-truncated.json", &["48000", "Northwind", "closedwon"]),
        ("bad-unknown-shape.json", &["48000", "Northwind"]),
        ("bad-export.xlsx", &["PK"]),
        ("bad-latin1.csv", &["Ren", "Kim", "VP Operations"]),
        ("bad-row.csv", &["Contoso", "Expansion", "125000"]),
        ("bad-oversized.csv", &["Oversized", "99999"]),
    ];
    for (bad, values) in cases {
        let repo = if bad == "bad-oversized.csv" {
            let repo = repo_with(&[]);
            let mut big = String::from("Record ID,Deal Name,Amount\n");
            while big.len() <= 16 * 1024 * 1024 {
                big.push_str("9001001,Oversized deal,99999.0\n");
            }
            repo.write(&format!("exports/{bad}"), big);
            repo
        } else {
            repo_with(&[bad])
        };
        let (code, _, stderr) = run(handoff(&repo).args([
            "new",
            "sales-cs",
            "--prefill",
            &format!("exports/{bad}"),
            "--to",
            "Sam Lee",
        ]));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!("exports/{bad}")),
            "{bad}: {stderr}"
        );
        assert!(stderr.starts_with("error: "), "{bad}: {stderr}");
        for value in values {
            assert!(!stderr.contains(value), "{bad}: {value:?} in {stderr}");
        }
        assert!(!repo.path().join("handoffs/sales-cs").exists(), "{bad}");
        repo.write("handoffs/sales-cs/x.yaml", WRITTEN);
        let (code, _, stderr) = run(handoff(&repo).args([
            "prefill",
            "handoffs/sales-cs/x.yaml",
            &format!("exports/{bad}"),
        ]));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(
            stderr.contains(&format!("exports/{bad}")),
            "{bad}: {stderr}"
        );
        assert_eq!(repo.read("handoffs/sales-cs/x.yaml"), WRITTEN, "{bad}");
    }
}

#[test]
fn bad_requests_are_exit_2_with_what_to_do() {
    let repo = repo_with(&["hubspot-deals.csv", "hubspot-bundle.json"]);
    let cases: [(&[&str], &str); 5] = [
        (
            &["new", "sales-cs", "--prefill", "exports/hubspot-deals.csv"],
            "3 deals in the exports; pass --each",
        ),
        (
            &[
                "new",
                "sales-cs",
                "Not A Slug",
                "--prefill",
                "exports/hubspot-bundle.json",
            ],
            "is not a slug",
        ),
        (
            &["new", "sales-cs", "--prefill", "exports/missing.json"],
            "exports/missing.json: no such file",
        ),
        (
            &[
                "prefill",
                "handoffs/none.yaml",
                "exports/hubspot-bundle.json",
            ],
            "handoffs/none.yaml: no such file",
        ),
        (
            &["new", "nope", "--prefill", "exports/hubspot-bundle.json"],
            "no handoff type \"nope\"",
        ),
    ];
    for (args, expected) in cases {
        let (code, _, stderr) = run(handoff(&repo).args(args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // A handoff that does not parse names its line.
    repo.write(
        "handoffs/sales-cs/broken.yaml",
        "type: sales-cs\nstatus: [draft\n",
    );
    let (code, _, stderr) = run(handoff(&repo).args([
        "prefill",
        "handoffs/sales-cs/broken.yaml",
        "exports/hubspot-bundle.json",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("handoffs/sales-cs/broken.yaml:"),
        "{stderr}"
    );
}

#[test]
fn the_repository_mapping_overrides_the_embedded_one_and_a_broken_one_names_its_line() {
    let repo = repo_with(&["hubspot-bundle.json"]);
    let mapping = handoffs::prefill::mapping::embedded::HUBSPOT
        .replace("Champion: champion\n", "Champion: executive_sponsor\n")
        .replace(
            "    CHAMPION: champion\n",
            "    CHAMPION: executive_sponsor\n",
        );
    repo.write("crm/hubspot.yaml", &mapping);
    let (code, report, stderr) = new_json(
        &repo,
        "sales-cs",
        &["hubspot-bundle.json"],
        &["--to", "Sam Lee"],
    );
    assert_eq!(code, 0, "{stderr}");
    // Nobody is a champion now; the primary contact falls back to the first contact.
    let unanswered = report["unanswered"].as_array().unwrap();
    assert!(
        unanswered.contains(&Value::from("relationships.champion")),
        "{report:#}"
    );

    let broken = mapping.replace("from: company.industry", "from: compny.industry");
    let line = broken.lines().position(|l| l.contains("compny")).unwrap() + 1;
    repo.write("crm/hubspot.yaml", &broken);
    let (code, _, stderr) = run(handoff(&repo).args([
        "new",
        "sales-cs",
        "acme",
        "--prefill",
        "exports/hubspot-bundle.json",
    ]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!("crm/hubspot.yaml: line {line}:")),
        "{stderr}"
    );
    assert!(!Path::new(&repo.path().join("handoffs/sales-cs/acme.yaml")).exists());
}

#[test]
fn render_cites_the_prefilled_values_per_crm_and_leaves_out_emptied_ones() {
    let repo = repo_with(&["hubspot-bundle.json"]);
    let (code, _, stderr) = run(handoff(&repo).args([
        "new",
        "sales-cs",
        "--prefill",
        "exports/hubspot-bundle.json",
        "--from",
        "Jane Doe",
        "--to",
        "Sam Lee",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let path = "handoffs/sales-cs/northwind-freight.yaml";
    // The writer emptied the industry; a provenance entry names a field that is not there.
    let text = repo
        .read(path)
        .replace("  industry: Logistics and supply chain\n", "  industry:\n")
        .replace(
            "provenance:\n",
            "provenance:\n  deal.nothing: HubSpot deal 9001001 · nothing\n",
        );
    repo.write(path, text);
    let (code, markdown, stderr) = run(handoff(&repo).args(["render", path]));
    assert_eq!(code, 0, "{stderr}");
    assert!(markdown.contains("\nPre-filled:\n"), "{markdown}");
    assert!(
        markdown.contains("- `deal.amount`: Per CRM (HubSpot deal 9001001 · amount)\n"),
        "{markdown}"
    );
    assert!(!markdown.contains("`customer.industry`: Per"), "{markdown}");
    assert!(!markdown.contains("deal.nothing"), "{markdown}");
    // Lint gives provenance no weight: an entry for an emptied or absent field is no finding.
    let (_, report) = repo.lint_json(&["--threshold", "0", path]);
    let file = crate::util::only_file(&report);
    assert_eq!(file["valid"], true, "{file:#}");
    assert!(!file.to_string().contains("provenance"), "{file:#}");
}

#[test]
fn gong_never_fills_a_value_it_adds_cited_candidates_and_the_call_to_sources() {
    let calls = ["gong-calls-extensive.json", "gong-transcript.json"];
    let repo = repo_with(&calls);
    repo.write("handoffs/sales-cs/northwind.yaml", WRITTEN);
    let (code, stdout, stderr) = run(handoff(&repo).args([
        "prefill",
        "handoffs/sales-cs/northwind.yaml",
        "exports/gong-calls-extensive.json",
        "exports/gong-transcript.json",
        "--format",
        "json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["filled"], 0, "{report:#}");
    assert!(report["candidates"].as_u64().unwrap() >= 1, "{report:#}");
    let text = repo.read("handoffs/sales-cs/northwind.yaml");
    // Every line of the person's file is still there, in order; only comments and sources
    // were added.
    let mut remaining = text.lines();
    for line in WRITTEN.lines() {
        assert!(
            remaining.any(|l| l == line),
            "{line:?} kept in order in\n{text}"
        );
    }
    let added: Vec<&str> = text
        .lines()
        .filter(|l| !WRITTEN.lines().any(|w| w == *l))
        .collect();
    for line in &added {
        let line = line.trim_start();
        assert!(
            line.starts_with("# Per Gong (Discovery call, 2026-10-12")
                || line.starts_with("#   ")
                || line.starts_with("sources:")
                || line.starts_with("- \"Gong:")
                || line.starts_with("sources: [\"Gong:"),
            "unexpected {line:?} in\n{text}"
        );
    }
    assert!(text.contains("Gong: Discovery call 2026-10-12"), "{text}");
    let (_, lint) = repo.lint_json(&["handoffs/sales-cs/northwind.yaml"]);
    assert_eq!(crate::util::only_file(&lint)["valid"], true);
}

#[test]
fn new_without_from_says_when_git_user_name_is_not_in_the_roster() {
    let repo = repo_with(&[]);
    repo.write(".gitconfig", "[user]\n\tname = Jane Do\n");
    let (code, stdout, stderr) =
        run(handoff(&repo).args(["new", "sales-cs", "acme", "--to", "Sam Lee"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(
            "Note: git user.name \"Jane Do\": not in roster.yaml; did you mean Jane Doe?"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("from.name is left empty. Pass --from NAME"),
        "{stdout}"
    );
    // Known to the roster: taken as the writer, and nothing to say.
    repo.write(".gitconfig", "[user]\n\tname = Jane Doe\n");
    let (code, stdout, _) =
        run(handoff(&repo).args(["new", "sales-cs", "beta", "--to", "Sam Lee"]));
    assert_eq!(code, 0);
    assert!(!stdout.contains("Note: git user.name"), "{stdout}");
    assert!(repo
        .read("handoffs/sales-cs/beta.yaml")
        .contains("  name: Jane Doe\n"));
}
