//! Routing (issue 14 §1): `handoff route PATH` and `handoff new --to auto` on rosters and
//! repositories built here — each strategy alone and in order, deterministic ties, capacity,
//! away dates, no candidate (exit 1), JSON; and the receiver rules HO106-HO108 in human and
//! JSON output.

use serde_json::Value;

use crate::util::{only_file, spec_sales_cs, Repo};

/// A sales-cs handoff for `company` in `hq`, of `industry`, to `to` (empty: nobody yet), with
/// `status` and trigger `date`.
fn handoff(company: &str, hq: &str, industry: &str, to: &str, status: &str, date: &str) -> String {
    format!(
        "type: sales-cs\nstatus: {status}\nfrom: {{name: Jane Doe, role: AE}}\nto: {{name: {to}}}\ntrigger: {{event: closed-won, date: {date}}}\ncustomer:\n  company: {company}\n  industry: {industry}\n  hq: {hq}\ndeal:\n  bought: Platform and the Analytics add-on for the brokers\ntechnical:\n  integrations: [Salesforce]\n"
    )
}

/// Three CSMs and an AE; nobody has any attribute beyond the role.
const PLAIN: &str = "people:\n  - {name: Sam Lee, role: CSM}\n  - {name: Aisha Okafor, role: CSM}\n  - {name: Chris Park, role: CSM}\n  - {name: Jane Doe, role: AE}\n";

fn repo(roster: &str) -> Repo {
    let repo = Repo::new();
    repo.write("roster.yaml", roster);
    repo
}

/// Writes the handoff being routed (to nobody yet) at `handoffs/sales-cs/new.yaml`.
fn target(repo: &Repo, company: &str, hq: &str, industry: &str, date: &str) {
    repo.write(
        "handoffs/sales-cs/new.yaml",
        handoff(company, hq, industry, "''", "draft", date),
    );
}

/// `handoff route PATH --format json`: exit code and the report.
fn route_json(repo: &Repo, path: &str) -> (i32, Value) {
    let output = repo
        .cmd()
        .args(["route", path, "--format", "json"])
        .output()
        .expect("run");
    let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!(
            "not JSON ({err}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("exit code"), json)
}

/// The candidates' names, best first.
fn names(report: &Value) -> Vec<String> {
    report["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn reasons(report: &Value, index: usize) -> Vec<String> {
    report["candidates"][index]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|r| r.as_str().unwrap_or_default().to_string())
        .collect()
}

fn human(repo: &Repo, args: &[&str]) -> (i32, String, String) {
    let output = repo.cmd().args(args).output().expect("run");
    (
        output.status.code().expect("exit code"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn ties_are_broken_by_name_and_only_the_playbooks_role_is_suggested() {
    let repo = repo(PLAIN);
    target(&repo, "Acme Corp", "Boston, MA", "Healthcare", "2026-11-02");
    let (code, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(code, 0);
    assert_eq!(report["path"], "handoffs/sales-cs/new.yaml");
    // Nobody owns, covers or knows anything and all hold 0: by name. Jane is an AE.
    assert_eq!(names(&report), ["Aisha Okafor", "Chris Park", "Sam Lee"]);
    assert_eq!(reasons(&report, 0), ["0 open"]);
    // The same repository gives the same answer.
    assert_eq!(route_json(&repo, "handoffs/sales-cs/new.yaml").1, report);
}

#[test]
fn account_owner_alone_ranks_whoever_received_an_earlier_handoff_for_the_company() {
    let repo = repo(PLAIN);
    repo.write("handoff.toml", "routing = [\"account-owner\"]\n");
    target(
        &repo,
        "ACME corp.",
        "Boston, MA",
        "Healthcare",
        "2026-11-02",
    );
    repo.write(
        "handoffs/sales-cs/acme-2025.yaml",
        handoff(
            "Acme Corp",
            "Boston, MA",
            "Healthcare",
            "Sam Lee",
            "accepted",
            "2025-06-01",
        ),
    );
    // A later handoff for the company does not make an owner, nor does a rejected one.
    repo.write(
        "handoffs/sales-cs/acme-2027.yaml",
        handoff(
            "Acme Corp",
            "Boston, MA",
            "Healthcare",
            "Chris Park",
            "accepted",
            "2027-01-05",
        ),
    );
    repo.write(
        "handoffs/sales-cs/acme-rejected.yaml",
        handoff(
            "Acme",
            "Boston, MA",
            "Healthcare",
            "Aisha Okafor",
            "rejected",
            "2026-01-05",
        ),
    );
    let (code, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(code, 0);
    assert_eq!(names(&report), ["Sam Lee", "Aisha Okafor", "Chris Park"]);
    assert_eq!(
        reasons(&report, 0),
        [
            "owns ACME corp. (handoffs/sales-cs/acme-2025.yaml)",
            "0 open"
        ]
    );
}

#[test]
fn territory_alone_matches_the_parts_of_the_customers_hq() {
    let roster = "people:\n  - {name: Sam Lee, role: CSM, territories: [West]}\n  - {name: Aisha Okafor, role: CSM, territories: [NY]}\n  - {name: Chris Park, role: CSM, territories: [CT, MA]}\n";
    let repo = repo(roster);
    repo.write("handoff.toml", "routing = [\"territory\"]\n");
    target(
        &repo,
        "Brightline",
        "Hartford, CT",
        "Insurance",
        "2026-11-02",
    );
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Chris Park", "Aisha Okafor", "Sam Lee"]);
    assert_eq!(reasons(&report, 0), ["covers CT", "0 open"]);
}

#[test]
fn skill_alone_counts_industry_segment_skills_and_products() {
    let roster = "people:\n  - {name: Sam Lee, role: CSM, industries: [Insurance]}\n  - {name: Aisha Okafor, role: CSM, industries: [insurance], skills: [Salesforce], products: [Analytics add-on]}\n  - {name: Chris Park, role: CSM, industries: [Healthcare], products: [Analytics]}\n";
    let repo = repo(roster);
    repo.write("handoff.toml", "routing = [\"skill\"]\n");
    target(
        &repo,
        "Brightline",
        "Hartford, CT",
        "Insurance",
        "2026-11-02",
    );
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Aisha Okafor", "Chris Park", "Sam Lee"]);
    assert_eq!(
        reasons(&report, 0),
        [
            "knows insurance (industry), Salesforce (skill), Analytics add-on (product)",
            "0 open"
        ]
    );
    // Chris and Sam know one thing each: the tie goes by name.
    assert_eq!(reasons(&report, 1), ["knows Analytics (product)", "0 open"]);
}

#[test]
fn round_robin_alone_prefers_the_fewest_open_then_whoever_waited_longest() {
    let repo = repo(PLAIN);
    repo.write("handoff.toml", "routing = [\"round-robin\"]\n");
    target(&repo, "New Co", "Boston, MA", "Retail", "2026-11-20");
    let write = |file: &str, to: &str, status: &str, date: &str| {
        repo.write(
            &format!("handoffs/sales-cs/{file}.yaml"),
            handoff(file, "Boston, MA", "Retail", to, status, date),
        );
    };
    // Sam holds two open handoffs; Aisha and Chris none (accepted and draft do not count).
    write("a", "Sam Lee", "submitted", "2026-10-01");
    write("b", "Sam Lee", "submitted", "2026-10-02");
    write("c", "Aisha Okafor", "accepted", "2026-10-20");
    write("d", "Chris Park", "accepted", "2026-09-01");
    write("e", "Chris Park", "draft", "2026-10-25");
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    // Chris's last handoff (draft, 2026-10-25) is after Aisha's (2026-10-20): Aisha first.
    assert_eq!(names(&report), ["Aisha Okafor", "Chris Park", "Sam Lee"]);
    assert_eq!(report["candidates"][2]["open"], 2);
    assert_eq!(reasons(&report, 2), ["2 open"]);
}

#[test]
fn strategies_apply_in_the_playbooks_order_before_the_configs() {
    // Sam owns the account, Chris covers the territory.
    let roster = "people:\n  - {name: Sam Lee, role: CSM}\n  - {name: Chris Park, role: CSM, territories: [MA]}\n";
    let repo = repo(roster);
    target(&repo, "Acme", "Boston, MA", "Retail", "2026-11-20");
    repo.write(
        "handoffs/sales-cs/acme-old.yaml",
        handoff(
            "Acme",
            "Boston, MA",
            "Retail",
            "Sam Lee",
            "accepted",
            "2025-01-01",
        ),
    );
    // Default order: account-owner first.
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Sam Lee", "Chris Park"]);
    assert_eq!(
        reasons(&report, 0),
        ["owns Acme (handoffs/sales-cs/acme-old.yaml)", "0 open"]
    );
    // handoff.toml puts territory first.
    repo.write(
        "handoff.toml",
        "routing = [\"territory\", \"account-owner\"]\n",
    );
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Chris Park", "Sam Lee"]);
    // A playbook's own list wins over handoff.toml's.
    let playbook =
        std::fs::read_to_string(crate::util::project_root().join("playbooks/sales-cs.yaml"))
            .expect("playbook");
    repo.write(
        "playbooks/sales-cs.yaml",
        format!("{playbook}\nrouting: [account-owner, territory]\n"),
    );
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Sam Lee", "Chris Park"]);
    assert_eq!(
        reasons(&report, 0),
        ["owns Acme (handoffs/sales-cs/acme-old.yaml)", "0 open"]
    );
    assert_eq!(reasons(&report, 1), ["covers MA", "0 open"]);
}

#[test]
fn people_at_capacity_or_away_on_the_trigger_date_are_left_out() {
    let roster = "people:\n  - {name: Sam Lee, role: CSM, capacity: 1}\n  - {name: Aisha Okafor, role: CSM, capacity: 8, away: [{from: 2026-12-21, to: 2027-01-01, note: holiday}]}\n  - {name: Chris Park, role: CSM, capacity: 3}\n";
    let repo = repo(roster);
    target(&repo, "New Co", "Boston, MA", "Retail", "2027-01-01");
    repo.write(
        "handoffs/sales-cs/a.yaml",
        handoff(
            "A",
            "Boston, MA",
            "Retail",
            "Sam Lee",
            "submitted",
            "2026-10-01",
        ),
    );
    repo.write(
        "handoffs/sales-cs/b.yaml",
        handoff(
            "B",
            "Boston, MA",
            "Retail",
            "Chris Park",
            "submitted",
            "2026-10-01",
        ),
    );
    let (code, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(code, 0);
    assert_eq!(names(&report), ["Chris Park"]);
    assert_eq!(report["candidates"][0]["capacity"], 3);
    assert_eq!(report["candidates"][0]["open"], 1);
    assert_eq!(reasons(&report, 0), ["1 of 3 open"]);
    let (code, text, _) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(
        text,
        "handoffs/sales-cs/new.yaml · receivers with role CSM on 2027-01-01 (trigger date) · by account-owner, territory, skill, round-robin\n  1. Chris Park — 1 of 3 open\n  not suggested: Sam Lee (1 of 1 open); Aisha Okafor (away 2026-12-21 to 2027-01-01)\n"
    );
    // The day after her last day away, Aisha is back and holds nothing.
    target(&repo, "New Co", "Boston, MA", "Retail", "2027-01-02");
    let (_, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(names(&report), ["Aisha Okafor", "Chris Park"]);
}

#[test]
fn no_candidate_is_exit_1_with_what_to_do() {
    let roster =
        "people:\n  - {name: Sam Lee, role: CSM, capacity: 0}\n  - {name: Jane Doe, role: AE}\n";
    let repo = repo(roster);
    target(&repo, "New Co", "Boston, MA", "Retail", "2026-11-02");
    let (code, text, _) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 1);
    assert!(text.ends_with("  not suggested: Sam Lee (0 of 0 open)\nno receiver to suggest: every CSM in roster.yaml is away on 2026-11-02 or at capacity; write to.name yourself (a colleague covering), or raise a capacity in the roster\n"), "{text}");
    let (code, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(code, 1);
    assert_eq!(report["candidates"], serde_json::json!([]));
    // Nobody with the role at all.
    repo.write("roster.yaml", "people:\n  - {name: Jane Doe, role: AE}\n");
    let (code, text, _) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 1);
    assert!(text.contains("no receiver to suggest: nobody in roster.yaml has the role CSM (the playbook's to_role); add them to the roster with `role: CSM`"), "{text}");
}

#[test]
fn broken_inputs_are_named_with_their_exit_codes() {
    let repo = Repo::new();
    target(&repo, "New Co", "Boston, MA", "Retail", "2026-11-02");
    // No roster: nothing to route from (2).
    let (code, _, err) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: roster.yaml: no roster in this repository"),
        "{err}"
    );
    repo.write("roster.yaml", PLAIN);
    // A handoff that does not parse (1), a missing file and a folder (2).
    repo.write("handoffs/sales-cs/bad.yaml", "type: sales-cs\nstatus: [\n");
    let (code, _, err) = human(&repo, &["route", "handoffs/sales-cs/bad.yaml"]);
    assert_eq!(code, 1);
    assert!(
        err.starts_with("error: handoffs/sales-cs/bad.yaml: line "),
        "{err}"
    );
    let (code, _, err) = human(&repo, &["route", "handoffs/nope.yaml"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = human(&repo, &["route", "handoffs"]);
    assert_eq!(code, 2);
    assert!(err.contains("takes one handoff file"), "{err}");
    // An unknown strategy in handoff.toml names the file (2).
    repo.write("handoff.toml", "routing = [\"by-luck\"]\n");
    let (code, _, err) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("handoff.toml: line 1"), "{err}");
    // So does an unknown roster key, and an away date that is not one (2), without its value.
    repo.write("handoff.toml", "");
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Sam Lee, role: CSM, holiday: yes}\n",
    );
    let (code, _, err) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("roster.yaml") && err.contains("holiday"),
        "{err}"
    );
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Sam Lee, role: CSM, away: [{from: 2026-13-01, to: 2026-12-01}]}\n",
    );
    let (code, _, err) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("away `from`: not a date") && !err.contains("2026-13-01"),
        "{err}"
    );
}

#[test]
fn route_json_snapshot_and_escaped_human_output() {
    let roster = "people:\n  - {name: Aisha Okafor, email: aisha@example.com, role: CSM, capacity: 8, territories: [CT], industries: [Insurance]}\n  - {name: \"Sam\\e[31m Lee\", email: sam@example.com, role: CSM}\n";
    let repo = repo(roster);
    target(
        &repo,
        "Brightline Insurance",
        "Hartford, CT",
        "Insurance",
        "2026-11-20",
    );
    for (index, day) in ["2026-10-01", "2026-10-02", "2026-10-03"]
        .iter()
        .enumerate()
    {
        repo.write(
            &format!("handoffs/sales-cs/brightline-{index}.yaml"),
            handoff(
                "Brightline Insurance",
                "Hartford, CT",
                "Insurance",
                "Aisha Okafor",
                "submitted",
                day,
            ),
        );
    }
    let (code, report) = route_json(&repo, "handoffs/sales-cs/new.yaml");
    assert_eq!(code, 0);
    insta::assert_json_snapshot!("route_json", report);
    let (_, text, _) = human(&repo, &["route", "handoffs/sales-cs/new.yaml"]);
    assert!(text.contains("  1. Aisha Okafor — owns Brightline Insurance (handoffs/sales-cs/brightline-2.yaml); covers CT; knows Insurance (industry); 3 of 8 open\n"), "{text}");
    // A control character in a roster name is shown escaped, never sent to the terminal.
    assert!(
        text.contains("  2. Sam\\u{1b}[31m Lee — 0 open\n"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn new_to_auto_writes_the_first_suggestion() {
    let roster = "people:\n  - {name: Sam Lee, email: sam@example.com, role: CSM, capacity: 1}\n  - {name: Aisha Okafor, email: aisha@example.com, role: CSM}\n  - {name: Jane Doe, role: AE}\n";
    let repo = repo(roster);
    repo.write(
        "handoffs/sales-cs/a.yaml",
        handoff(
            "A",
            "Boston, MA",
            "Retail",
            "Sam Lee",
            "submitted",
            "2026-10-01",
        ),
    );
    let (code, text, err) = human(
        &repo,
        &[
            "new",
            "sales-cs",
            "acme-corp",
            "--from",
            "Jane Doe",
            "--to",
            "auto",
            "--date",
            "2026-11-02",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Receiver (--to auto): Aisha Okafor — 0 open. `handoff route handoffs/sales-cs/acme-corp.yaml` lists the others.\n"), "{text}");
    let written = repo.read("handoffs/sales-cs/acme-corp.yaml");
    assert!(
        written.contains("to:\n  name: Aisha Okafor\n") || written.contains("name: Aisha Okafor"),
        "{written}"
    );
    assert!(written.contains("aisha@example.com"), "{written}");
    // The company its NAME spells makes an earlier receiver the account owner.
    repo.write(
        "handoffs/sales-cs/globex-2025.yaml",
        handoff(
            "Globex",
            "Boston, MA",
            "Retail",
            "Aisha Okafor",
            "accepted",
            "2025-01-01",
        ),
    );
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Sam Lee, role: CSM}\n  - {name: Aisha Okafor, role: CSM}\n  - {name: Jane Doe, role: AE}\n",
    );
    let (code, text, err) = human(
        &repo,
        &[
            "new",
            "sales-cs",
            "globex",
            "--from",
            "Jane Doe",
            "--to",
            "AUTO",
            "--date",
            "2026-11-02",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(text.contains("Receiver (--to auto): Aisha Okafor — owns Globex (handoffs/sales-cs/globex-2025.yaml); 0 open."), "{text}");
    // Nobody available: exit 1, nothing written.
    repo.write(
        "roster.yaml",
        "people:\n  - {name: Sam Lee, role: CSM, away: [{from: 2026-11-01, to: 2026-11-30}]}\n",
    );
    let (code, _, err) = human(
        &repo,
        &[
            "new",
            "sales-cs",
            "initech",
            "--to",
            "auto",
            "--date",
            "2026-11-02",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.starts_with("error: handoffs/sales-cs/initech.yaml: --to auto: no receiver to suggest: every CSM in roster.yaml is away on 2026-11-02 or at capacity"), "{err}");
    assert!(!repo.path().join("handoffs/sales-cs/initech.yaml").exists());
}

/// The SPEC example addressed to `to`, triggered on `date`, with `status`.
fn spec_to(to: &str, date: &str, status: &str) -> String {
    spec_sales_cs()
        .replacen(
            "name: Sam Lee, role: CSM",
            &format!("name: {to}, role: CSM"),
            1,
        )
        .replacen("date: 2026-10-30", &format!("date: {date}"), 1)
        .replacen("status: submitted", &format!("status: {status}"), 1)
        .replace("owner: Sam Lee", "owner: Jane Doe")
}

const RULE_ROSTER: &str = "people:\n  - {name: Jane Doe, role: AE}\n  - {name: Sam Lee, role: CSM, capacity: 1, away: [{from: 2026-10-29, to: 2026-11-05}]}\n  - {name: Marcus Chen, role: AE}\n  - {name: Pat Kim, role: CSM}\n";

fn codes(file: &Value) -> Vec<(String, String, u64)> {
    file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["severity"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn receiver_rules_in_json() {
    let repo = repo(RULE_ROSTER);
    assert!(spec_sales_cs().contains("date: 2026-10-30"));
    // Within capacity and in: no finding.
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_to("Sam Lee", "2026-10-28", "submitted"),
    );
    let (code, report) = repo.lint_json(&["handoffs/sales-cs/acme.yaml"]);
    assert_eq!((code, codes(only_file(&report))), (0, vec![]));
    // A second open handoff to Sam: over capacity (warning, still passes), on both.
    repo.write(
        "handoffs/sales-cs/other.yaml",
        spec_to("Sam Lee", "2026-10-27", "submitted"),
    );
    let (code, report) = repo.lint_json(&["handoffs/sales-cs/acme.yaml"]);
    assert_eq!(code, 0);
    let file = only_file(&report);
    assert_eq!(
        codes(file),
        [("HO106".to_string(), "warning".to_string(), 5)]
    );
    assert_eq!(
        file["diagnostics"][0]["message"],
        "to.name \"Sam Lee\" would hold 2 open handoffs with this one, over their capacity of 1 in the roster"
    );
    assert_eq!(file["diagnostics"][0]["rule"], "over-capacity");
    // Accepted handoffs are history: neither counted nor flagged.
    repo.write(
        "handoffs/sales-cs/other.yaml",
        spec_to("Sam Lee", "2026-10-27", "accepted").replacen(
            "title:",
            "accepted_by: Sam Lee\ntitle:",
            1,
        ),
    );
    let (code, report) = repo.lint_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| codes(f).is_empty()),
        "{report:#}"
    );
    // Away on the trigger date: warning.
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_to("Sam Lee", "2026-10-30", "submitted"),
    );
    let (code, report) = repo.lint_json(&["handoffs/sales-cs/acme.yaml"]);
    let file = only_file(&report);
    assert_eq!(
        (code, codes(file)),
        (0, vec![("HO107".to_string(), "warning".to_string(), 5)])
    );
    assert_eq!(
        file["diagnostics"][0]["message"],
        "to.name \"Sam Lee\" is away on the trigger date 2026-10-30 (away 2026-10-29 to 2026-11-05 in the roster)"
    );
    // An AE as the receiver of a sales-cs handoff: error, the gate fails.
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_to("Marcus Chen", "2026-10-30", "submitted"),
    );
    let (code, report) = repo.lint_json(&["handoffs/sales-cs/acme.yaml"]);
    let file = only_file(&report);
    assert_eq!(
        (code, codes(file)),
        (1, vec![("HO108".to_string(), "error".to_string(), 5)])
    );
    assert_eq!(file["passed"], false);
    assert_eq!(
        file["diagnostics"][0]["message"],
        "to.name \"Marcus Chen\" is an AE in the roster; a sales-cs handoff goes to a CSM (the playbook's to_role)"
    );
    // Configurable like every content rule.
    repo.write(
        "handoff.toml",
        "[rules]\nreceiver-role = \"warning\"\nHO106 = \"off\"\n",
    );
    let (code, report) = repo.lint_json(&["handoffs/sales-cs/acme.yaml"]);
    assert_eq!(
        (code, codes(only_file(&report))),
        (0, vec![("HO108".to_string(), "warning".to_string(), 5)])
    );
}

#[test]
fn receiver_rules_in_human_output_and_explain() {
    let repo = repo(RULE_ROSTER);
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        spec_to("Marcus Chen", "2026-10-30", "submitted"),
    );
    repo.write(
        "handoffs/sales-cs/away.yaml",
        spec_to("Sam Lee", "2026-10-30", "draft"),
    );
    let (code, text, _) = human(&repo, &["lint", "--now", "2026-10-30"]);
    assert_eq!(code, 1);
    assert!(text.contains("HO108"), "{text}");
    assert!(text.contains("to.name \"Marcus Chen\" is an AE in the roster; a sales-cs handoff goes to a CSM (the playbook's to_role)"), "{text}");
    assert!(text.contains("HO107"), "{text}");
    assert!(
        text.contains("to.name \"Sam Lee\" is away on the trigger date 2026-10-30"),
        "{text}"
    );
    for (code, name) in [
        ("HO106", "over-capacity"),
        ("HO107", "receiver-away"),
        ("HO108", "receiver-role"),
    ] {
        let (exit, doc, _) = human(&repo, &["explain", code]);
        assert_eq!(exit, 0);
        assert!(doc.starts_with(&format!("# {code} {name}: ")), "{doc}");
        assert!(
            doc.contains("## What it checks") && doc.contains("## Example"),
            "{doc}"
        );
        let (_, list, _) = human(&repo, &["explain"]);
        assert!(list.contains(&format!("{code:<6} {name:<23}")), "{list}");
    }
}

#[test]
fn schema_roster_prints_the_rosters_keys() {
    let repo = Repo::new();
    let (code, text, _) = human(&repo, &["schema", "roster"]);
    assert_eq!(code, 0);
    let schema: Value = serde_json::from_str(&text).expect("JSON");
    let keys: Vec<&str> = schema["$defs"]["person"]["properties"]
        .as_object()
        .expect("person properties")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "capacity",
        "territories",
        "segments",
        "industries",
        "skills",
        "products",
        "away",
        "github",
        "crm_owner_id",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    // The types' schemas still print.
    let (code, text, _) = human(&repo, &["schema", "sales-cs"]);
    assert_eq!(code, 0);
    assert!(text.contains("\"customer\""));
}
