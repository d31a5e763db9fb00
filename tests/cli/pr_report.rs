//! What a pull request shows: `lint --format markdown` (the one PR comment body), `--format
//! gitlab` (Code Quality), and the gate's `--changed-since` rules for rule changes (every
//! handoff re-linted, the moved ones shown), drafts (HO105) and acceptance (HO104). Histories
//! are built with git2 at pinned dates.

use serde_json::Value;

use crate::util::{day, spec_sales_cs, GitRepo, Repo, JANE};

const ROSTER: &str = "people:\n  - {name: Jane Doe, role: AE}\n  - {name: Sam Lee, role: CSM}\n  - {name: Aisha Okafor, role: CSM}\n";

/// A repository whose `main` holds `files`, checked out on a new branch `feature` at the same
/// commit (so `--changed-since main` sees only what the test changes next).
fn repo_on_feature(files: &[(&str, &str)]) -> GitRepo {
    let repo = GitRepo::init(Repo::new()).author(JANE);
    for (path, text) in files {
        repo.write(path, text);
    }
    repo.commit_all(day(0), "main");
    repo.branch("feature");
    repo
}

/// The SPEC example for another company (scores 100, to Sam Lee).
fn company(name: &str) -> String {
    spec_sales_cs().replace("Acme Corp", name)
}

/// The SPEC example without risks and a go-live date: 73, two sections open.
fn thinner(name: &str) -> String {
    company(name)
        .replace(
            "risks:\n  - {risk: Budget owner changes in January, severity: high, mitigation: Meet the new CFO in the first month}\n",
            "",
        )
        .replace("go_live: 2027-01-15", "go_live:")
}

fn paths(report: &Value) -> Vec<(String, String, bool)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["change"].as_str().unwrap_or("-").to_string(),
                f["passed"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn removing_a_receiver_from_the_roster_relints_every_handoff_and_blocks() {
    let repo = repo_on_feature(&[
        ("roster.yaml", ROSTER),
        ("handoffs/sales-cs/acme.yaml", &company("Acme Corp")),
        (
            "handoffs/sales-cs/beta.yaml",
            &company("Beta Ltd").replace("Sam Lee", "Aisha Okafor"),
        ),
    ]);
    // The pull request only removes Sam Lee, acme's receiver, from the roster.
    repo.write(
        "roster.yaml",
        ROSTER.replace("  - {name: Sam Lee, role: CSM}\n", ""),
    );
    let (code, report) = repo.lint_json(&["--changed-since", "main", "--now", "2026-11-30"]);
    assert_eq!(code, 1, "{report:#}");
    // beta did not move (its receiver is still listed): not shown.
    assert_eq!(
        paths(&report),
        [("handoffs/sales-cs/acme.yaml".into(), "rules".into(), false)]
    );
    assert_eq!(
        report["changed_since"]["rules_changed"],
        serde_json::json!(["roster.yaml"])
    );
    let acme = &report["files"][0];
    assert_eq!(acme["base"]["score"], 100);
    assert_eq!(acme["score"], 100);
    let rules: Vec<&str> = acme["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"HO102"), "{acme:#}");

    // The human report says why a file nobody touched is shown.
    let human = repo
        .cmd()
        .args(["lint", "--changed-since", "main", "--now", "2026-11-30"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(
        text.contains("since base: 100 → 100 · now blocked"),
        "{text}"
    );

    // Adding someone moves no verdict: nothing is shown and the gate passes.
    repo.write(
        "roster.yaml",
        format!("{ROSTER}  - {{name: New Person, role: CSM}}\n"),
    );
    let (code, report) = repo.lint_json(&["--changed-since", "main", "--now", "2026-11-30"]);
    assert_eq!((code, paths(&report)), (0, Vec::new()), "{report:#}");
}

#[test]
fn a_playbook_change_shows_the_handoffs_whose_score_moved() {
    let repo = repo_on_feature(&[
        ("handoffs/sales-cs/thin.yaml", &thinner("Thin Co")),
        ("handoffs/sales-cs/full.yaml", &company("Full Co")),
    ]);
    // A stricter playbook: the threshold goes from 70 to 80, so the thin handoff (73) fails.
    let playbook =
        std::fs::read_to_string(crate::util::project_root().join("playbooks/sales-cs.yaml"))
            .unwrap();
    assert!(playbook.contains("\nthreshold: 70\n"));
    repo.write(
        "playbooks/sales-cs.yaml",
        playbook.replacen("\nthreshold: 70\n", "\nthreshold: 80\n", 1),
    );
    let (code, report) = repo.lint_json(&["--changed-since", "main", "--now", "2026-11-30"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(
        paths(&report),
        [("handoffs/sales-cs/thin.yaml".into(), "rules".into(), false)]
    );
    assert_eq!(report["changed_since"]["ref"], "main");
    assert_eq!(
        report["changed_since"]["rules_changed"],
        serde_json::json!(["playbooks/sales-cs.yaml"])
    );
    assert_eq!(report["files"][0]["base"]["passed"], true);
}

#[test]
fn a_changed_draft_is_blocked_unless_configured_otherwise() {
    let repo = repo_on_feature(&[("handoffs/sales-cs/acme.yaml", &company("Acme Corp"))]);
    repo.write(
        "handoffs/sales-cs/acme.yaml",
        company("Acme Corp").replace("status: submitted", "status: draft"),
    );
    let (code, report) = repo.lint_json(&["--changed-since", "main", "--now", "2026-11-10"]);
    assert_eq!(code, 1, "{report:#}");
    let diagnostic = &report["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "HO105");
    assert_eq!(diagnostic["line"], 2);
    // A full lint does not block a draft (it is work in progress on a branch).
    let (code, _) = repo.lint_json(&["--now", "2026-11-10"]);
    assert_eq!(code, 0);
    // `block_drafts = false` turns it off (handoff.toml is a rule file: every handoff is
    // re-linted, and the draft is still reported as changed).
    repo.write("handoff.toml", "block_drafts = false\n");
    let (code, report) = repo.lint_json(&["--changed-since", "main", "--now", "2026-11-10"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(
        paths(&report),
        [(
            "handoffs/sales-cs/acme.yaml".into(),
            "modified".into(),
            true
        )]
    );
}

#[test]
fn acceptance_needs_a_name_and_a_name_needs_acceptance() {
    let repo = Repo::new();
    repo.write(
        "handoffs/sales-cs/accepted.yaml",
        company("Acme Corp").replace("status: submitted", "status: accepted"),
    );
    repo.write(
        "handoffs/sales-cs/named.yaml",
        company("Beta Ltd").replace(
            "status: submitted",
            "status: submitted\naccepted_by: Sam Lee",
        ),
    );
    let (code, report) = repo.lint_json(&["--now", "2026-11-10"]);
    assert_eq!(code, 1);
    let found: Vec<(String, String, u64)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["diagnostics"].as_array().unwrap().iter().map(move |d| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    d["line"].as_u64().unwrap(),
                )
            })
        })
        .collect();
    assert_eq!(
        found,
        [
            ("handoffs/sales-cs/accepted.yaml".into(), "HO104".into(), 2),
            ("handoffs/sales-cs/named.yaml".into(), "HO104".into(), 3),
        ]
    );
    let explain = repo.cmd().args(["explain", "acceptance"]).output().unwrap();
    let text = String::from_utf8_lossy(&explain.stdout);
    assert!(text.starts_with("# HO104 acceptance"), "{text}");
    assert!(text.contains("## Example"), "{text}");
}

/// A pull request that improves one handoff, adds a blocked one with hostile text, against
/// `main`, with GitHub's environment set.
fn comment_repo() -> GitRepo {
    let repo = repo_on_feature(&[
        ("roster.yaml", ROSTER),
        ("handoffs/sales-cs/acme.yaml", &thinner("Acme Corp")),
    ]);
    repo.write("handoffs/sales-cs/acme.yaml", company("Acme Corp"));
    repo.write(
        "handoffs/sales-cs/hostile.yaml",
        "type: sales-cs\nstatus: submitted\ntitle: \"</details> <script>alert(1)</script>\"\nfrom: {name: Jane Doe}\nto: {name: \"# Sam [x](javascript:alert(1)) | Lee\"}\ncustomer:\n  company: \"</details><img src=x onerror=alert(1)> https://crm.example/deal?id=9_1&tab=~x\"\n  primary_contact: {name: Pat, title: VP, email: monica_reyes+cs@brightline.example}\n",
    );
    repo
}

fn comment(repo: &Repo) -> (i32, String) {
    let output = repo
        .cmd()
        .args([
            "lint",
            "--format",
            "markdown",
            "--changed-since",
            "main",
            "--now",
            "2026-11-30",
        ])
        .env("GITHUB_SERVER_URL", "https://github.com")
        .env("GITHUB_REPOSITORY", "acme/handoffs")
        .env("GITHUB_SHA", "0123456789abcdef0123456789abcdef01234567")
        .output()
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

#[test]
fn the_pull_request_comment() {
    let repo = comment_repo();
    let (code, body) = comment(&repo);
    assert_eq!(code, 1);
    assert_eq!(body.lines().next(), Some("<!-- handoff-gate -->"));
    // Deterministic: the same run writes the same bytes.
    assert_eq!(comment(&repo).1, body);
    assert!(body.contains("| 73 → 100 |"), "{body}");
    assert!(
        body.contains("](<https://github.com/acme/handoffs/blob/0123456789abcdef0123456789abcdef01234567/handoffs/sales-cs/hostile.yaml#L5>)"),
        "{body}"
    );
    insta::assert_snapshot!("pr_comment", body);
}

#[test]
fn the_comment_lets_no_data_become_markup() {
    let repo = comment_repo();
    let (_, body) = comment(&repo);
    // Exactly one details block per rendered handoff, opened and closed by us.
    assert_eq!(body.matches("<details>").count(), 2, "{body}");
    assert_eq!(body.matches("</details>").count(), 2, "{body}");
    for bad in ["<script", "<img", "](javascript", "\n# Sam"] {
        assert!(!body.contains(bad), "{bad} in {body}");
    }
    // As GitHub would render it (comrak in GFM mode, raw HTML allowed as GitHub allows
    // `<details>`): no script, no image, no javascript: link, and the addresses link exactly.
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(&body, &options);
    for bad in ["<script", "<img", "href=\"javascript", "<h1>Sam"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    // The hostile text is there, as text.
    assert!(html.contains("&lt;/details&gt;&lt;img src=x"), "{html}");
    assert!(
        html.contains("href=\"https://crm.example/deal?id=9_1&amp;tab=~x\""),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"mailto:monica_reyes+cs@brightline.example\">monica_reyes+cs@brightline.example</a>"),
        "{html}"
    );
}

#[test]
fn without_github_the_comment_names_plain_lines() {
    let repo = comment_repo();
    let output = repo
        .cmd()
        .args(["lint", "--format", "markdown", "--now", "2026-11-30"])
        .env_remove("GITHUB_SERVER_URL")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .output()
        .unwrap();
    let body = String::from_utf8(output.stdout).unwrap();
    assert!(
        body.contains(" handoffs/sales-cs/hostile.yaml:5: "),
        "{body}"
    );
    assert!(!body.contains("https://github.com"), "{body}");
    // Without --changed-since, scores have no arrow.
    assert!(!body.contains(" → "), "{body}");
}

#[test]
fn gitlab_code_quality_has_the_documented_fields_and_stable_fingerprints() {
    let repo = comment_repo();
    let run = |repo: &Repo| -> (i32, Value) {
        let output = repo
            .cmd()
            .args(["lint", "--format", "gitlab", "--now", "2026-11-30"])
            .output()
            .unwrap();
        (
            output.status.code().unwrap(),
            serde_json::from_slice(&output.stdout).expect("JSON"),
        )
    };
    let (code, issues) = run(&repo);
    assert_eq!(code, 1);
    let issues = issues.as_array().expect("a JSON array").clone();
    assert!(issues.len() >= 2, "{issues:#?}");
    let severities = ["info", "minor", "major", "critical", "blocker"];
    let mut fingerprints = std::collections::HashSet::new();
    for issue in &issues {
        let object = issue.as_object().unwrap();
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "check_name",
                "description",
                "fingerprint",
                "location",
                "severity"
            ]
        );
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(issue["check_name"].as_str().is_some_and(|d| !d.is_empty()));
        assert!(
            severities.contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        assert!(issue["location"]["path"]
            .as_str()
            .unwrap()
            .starts_with("handoffs/"));
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(fingerprints.insert(issue["fingerprint"].as_str().unwrap().to_string()));
    }
    assert!(issues
        .iter()
        .any(|i| i["severity"] == "blocker" && i["check_name"] == "HO000 below-threshold"));
    insta::assert_json_snapshot!("gitlab_code_quality", issues);

    // Lines move (a comment on top), the findings do not: same fingerprints, lines + 1.
    let hostile = repo.read("handoffs/sales-cs/hostile.yaml");
    repo.write(
        "handoffs/sales-cs/hostile.yaml",
        format!("# reviewed\n{hostile}"),
    );
    let (_, moved) = run(&repo);
    let moved = moved.as_array().unwrap();
    assert_eq!(moved.len(), issues.len());
    for (before, after) in issues.iter().zip(moved) {
        assert_eq!(before["fingerprint"], after["fingerprint"]);
        if before["location"]["path"] == "handoffs/sales-cs/hostile.yaml"
            && before["check_name"] != "HO000 below-threshold"
        {
            assert_eq!(
                after["location"]["lines"]["begin"].as_u64().unwrap(),
                before["location"]["lines"]["begin"].as_u64().unwrap() + 1
            );
        }
    }

    // Nothing found: an empty array, exit 0.
    let clean = Repo::new();
    clean.write("handoffs/sales-cs/acme.yaml", company("Acme Corp"));
    let (code, issues) = run(&clean);
    assert_eq!((code, issues), (0, Value::Array(Vec::new())));
}

#[test]
fn the_comment_stays_under_githubs_size_limit() {
    let repo = Repo::new();
    for n in 0..30 {
        repo.write(
            &format!("handoffs/sales-cs/company-{n:02}.yaml"),
            company(&format!("Company {n:02}")),
        );
    }
    let output = repo
        .cmd()
        .args(["lint", "--format", "markdown", "--now", "2026-11-30"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let body = String::from_utf8(output.stdout).unwrap();
    let length = body.chars().count();
    assert!(length <= 65_536, "{length} characters");
    // Every handoff is in the table and has its section; some rendered copies are left out.
    assert_eq!(
        body.matches("### ✅ `handoffs/sales-cs/company-").count(),
        30
    );
    let details = body.matches("<details>").count();
    assert!(details > 0 && details < 30, "{details}");
    assert!(
        body.contains(&format!(
            "_{} rendered handoffs were left out to keep this comment under GitHub's size limit",
            30 - details
        )),
        "{body}"
    );
}
