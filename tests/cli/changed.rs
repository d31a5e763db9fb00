//! `handoff lint --changed-since REF` on real git repositories built with git2 (pinned dates):
//! a branch that modifies, renames (to another folder), deletes and adds handoffs, plus
//! uncommitted edits; detached HEAD; score deltas in json, human and the GitHub step summary;
//! unknown refs, shallow clones and folders outside git exit 2 with the fix.

use std::path::Path;

use git2::Repository;
use serde_json::{json, Value};

use crate::util::{day, git_in, spec_sales_cs, GitRepo, Repo, JANE};

/// The SPEC example with `from` replaced by `to` in its text.
fn variant(from: &str, to: &str) -> String {
    let spec = spec_sales_cs();
    assert!(spec.contains(from), "fixture lacks {from:?}");
    spec.replacen(from, to, 1)
}

/// The SPEC example without risks: 85, risks missing.
fn without_risks() -> String {
    variant(
        "risks:\n  - {risk: Budget owner changes in January, severity: high, mitigation: Meet the new CFO in the first month}\n",
        "",
    )
}

/// The SPEC example without a go-live date: 88, expectations partial.
fn without_go_live() -> String {
    variant("go_live: 2027-01-15", "go_live:")
}

/// An sdr-ae handoff with nothing but the required keys: 0.
const BARE_SDR: &str =
    "type: sdr-ae\nstatus: draft\nfrom: {name: Maya Patel}\nto: {name: Jane Doe}\n";

/// A short cs-sales handoff, unlike every other file here (so that git pairs no new file with
/// its deletion as a rename).
const GAMMA: &str = "type: cs-sales\nstatus: submitted\ntitle: Gamma Inc renewal uplift\nfrom: {name: Sam Lee}\nto: {name: Marcus Chen}\naccount: {company: Gamma Inc, health: green}\n";

/// main: acme (85), beta (88), cs-sales/gamma, stable (88); branch `feature` from it: acme improved to
/// 100, beta moved to handoffs/archive/, gamma deleted, delta added. main moves on after the
/// branch point (main-only.yaml). Uncommitted on feature: stable completed (unstaged) and
/// handoffs/sdr-ae/fresh.yaml (untracked).
fn pull_request_repo() -> GitRepo {
    let repo = GitRepo::init(Repo::new()).author(JANE);
    repo.write("handoffs/sales-cs/acme.yaml", without_risks());
    repo.write(
        "handoffs/sales-cs/beta.yaml",
        without_go_live().replace("Acme Corp", "Beta Ltd"),
    );
    repo.write("handoffs/cs-sales/gamma.yaml", GAMMA);
    repo.write(
        "handoffs/sales-cs/stable.yaml",
        without_go_live().replace("Acme Corp", "Stable Co"),
    );
    let base = repo.commit_all(day(0), "main: four handoffs");
    let git = &repo.git;
    git.branch("feature", &git.find_commit(base).unwrap(), false)
        .unwrap();

    // main moves on: a handoff the pull request never touched.
    repo.write("handoffs/sales-cs/main-only.yaml", BARE_SDR);
    repo.commit_all(day(1), "main: another handoff");

    // Switch to feature: HEAD, index and working tree at the branch point.
    git.set_head("refs/heads/feature").unwrap();
    std::fs::remove_file(repo.path().join("handoffs/sales-cs/main-only.yaml")).unwrap();
    let mut index = git.index().unwrap();
    index
        .read_tree(&git.find_commit(base).unwrap().tree().unwrap())
        .unwrap();
    index.write().unwrap();

    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    let beta = repo.read("handoffs/sales-cs/beta.yaml");
    std::fs::remove_file(repo.path().join("handoffs/sales-cs/beta.yaml")).unwrap();
    repo.write("handoffs/archive/beta.yaml", beta);
    std::fs::remove_file(repo.path().join("handoffs/cs-sales/gamma.yaml")).unwrap();
    repo.write(
        "handoffs/sales-cs/delta.yaml",
        spec_sales_cs().replace("Acme Corp", "Delta AG"),
    );
    repo.commit_all(day(2), "feature: improve, move, delete, add");

    // Uncommitted work.
    repo.write(
        "handoffs/sales-cs/stable.yaml",
        spec_sales_cs().replace("Acme Corp", "Stable Co"),
    );
    repo.write("handoffs/sdr-ae/fresh.yaml", BARE_SDR);
    repo
}

/// `(path, change, base)` per linted file.
fn changes(report: &Value) -> Vec<(String, Value, Value)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["change"].clone(),
                f["base"].clone(),
            )
        })
        .collect()
}

fn base(path: &str, score: u32, sections: Value) -> Value {
    json!({"path": path, "score": score, "valid": true, "passed": true, "sections": sections})
}

fn sections(risks: &str, expectations: &str) -> Value {
    json!({
        "customer_context": "complete",
        "expectations": expectations,
        "risks": risks,
        "technical": "complete",
        "relationships": "complete",
        "action_items": "complete",
    })
}

fn expected_changes() -> Vec<(String, Value, Value)> {
    vec![
        (
            "handoffs/archive/beta.yaml".into(),
            json!("renamed"),
            base(
                "handoffs/sales-cs/beta.yaml",
                88,
                sections("complete", "partial"),
            ),
        ),
        (
            "handoffs/sales-cs/acme.yaml".into(),
            json!("modified"),
            base(
                "handoffs/sales-cs/acme.yaml",
                85,
                sections("missing", "complete"),
            ),
        ),
        (
            "handoffs/sales-cs/delta.yaml".into(),
            json!("new"),
            Value::Null,
        ),
        (
            "handoffs/sales-cs/stable.yaml".into(),
            json!("modified"),
            base(
                "handoffs/sales-cs/stable.yaml",
                88,
                sections("complete", "partial"),
            ),
        ),
        (
            "handoffs/sdr-ae/fresh.yaml".into(),
            json!("new"),
            Value::Null,
        ),
    ]
}

#[test]
fn only_added_modified_renamed_and_uncommitted_handoffs_are_linted() {
    let repo = pull_request_repo();
    let (code, report) = repo.lint_json(&["--changed-since", "main"]);
    assert_eq!(changes(&report), expected_changes());
    let scores: Vec<u64> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["score"].as_u64().unwrap())
        .collect();
    assert_eq!(scores, [88, 100, 100, 100, 0]);
    // fresh.yaml scores 0: the gate fails on what the pull request changed, nothing else.
    assert_eq!(code, 1);
    assert_eq!(report["changed_since"]["ref"], "main");
    assert_eq!(
        report["changed_since"]["merge_base"]
            .as_str()
            .unwrap()
            .len(),
        7
    );
}

#[test]
fn a_detached_head_pull_request_checkout_gives_the_same_set() {
    let repo = pull_request_repo();
    repo.git.set_head_detached(repo.head()).unwrap();
    assert!(repo.git.head_detached().unwrap());
    let (_, report) = repo.lint_json(&["--changed-since", "main"]);
    assert_eq!(changes(&report), expected_changes());
}

#[test]
fn paths_narrow_the_changed_set() {
    let repo = pull_request_repo();
    let (code, report) = repo.lint_json(&["--changed-since", "main", "handoffs/sales-cs"]);
    assert_eq!(code, 0);
    let paths: Vec<String> = changes(&report).into_iter().map(|c| c.0).collect();
    assert_eq!(
        paths,
        [
            "handoffs/sales-cs/acme.yaml",
            "handoffs/sales-cs/delta.yaml",
            "handoffs/sales-cs/stable.yaml"
        ]
    );
}

#[test]
fn human_output_shows_each_delta() {
    let repo = pull_request_repo();
    let output = repo
        .cmd()
        .args(["lint", "--changed-since", "main", "--now", "2026-11-30"])
        .output()
        .unwrap();
    let human = String::from_utf8(output.stdout).unwrap();
    let deltas: Vec<&str> = human
        .lines()
        .filter(|l| l.starts_with("  since base"))
        .collect();
    assert_eq!(
        deltas,
        [
            "  since base (renamed from handoffs/sales-cs/beta.yaml): 88 → 88 · no section moved",
            "  since base: 85 → 100 · risks: missing → complete",
            "  since base: new",
            "  since base: 88 → 100 · expectations: partial → complete",
            "  since base: new",
        ]
    );
    insta::assert_snapshot!("changed_since_human", human);
}

#[test]
fn the_step_summary_has_a_delta_column() {
    let repo = pull_request_repo();
    let summary = repo.path().join("summary.md");
    let output = repo
        .cmd()
        .args(["lint", "--format", "github", "--changed-since", "main"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = std::fs::read_to_string(&summary).unwrap();
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(
        rows,
        [
            "| `handoffs/archive/beta.yaml` | sales-cs | 88 | ✅ PASS | renamed from `handoffs/sales-cs/beta.yaml` · 88 → 88 · no section moved |",
            "| `handoffs/sales-cs/acme.yaml` | sales-cs | 100 | ✅ PASS | 85 → 100 · risks: missing → complete |",
            "| `handoffs/sales-cs/delta.yaml` | sales-cs | 100 | ✅ PASS | new |",
            "| `handoffs/sales-cs/stable.yaml` | sales-cs | 100 | ✅ PASS | 88 → 100 · expectations: partial → complete |",
            "| `handoffs/sdr-ae/fresh.yaml` | sdr-ae | 0 | ❌ BLOCKED: below 70 | new |",
        ]
    );
    assert!(text.contains("| Handoff | Type | Score | Verdict | Since base |"));
    assert!(text.contains("Handoffs changed since `main` (merge base `"));
}

#[test]
fn nothing_changed_is_a_pass_that_says_so() {
    let repo = GitRepo::init(Repo::new()).author(JANE);
    repo.write("handoffs/a.yaml", spec_sales_cs());
    repo.commit_all(day(0), "one handoff");
    let (code, report) = repo.lint_json(&["--changed-since", "main"]);
    assert_eq!(code, 0);
    assert_eq!(report["files"], json!([]));
    assert_eq!(report["passed"], true);
    let output = repo
        .cmd()
        .args(["lint", "--changed-since", "HEAD"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let human = String::from_utf8(output.stdout).unwrap();
    assert!(
        human.contains("no handoff changed since the merge base of HEAD ("),
        "{human}"
    );
    assert!(human.ends_with("); nothing to lint\n"), "{human}");
}

fn stderr_of(repo_path: &Path, args: &[&str]) -> (i32, String) {
    let output = assert_cmd::Command::cargo_bin("handoff")
        .unwrap()
        .current_dir(repo_path)
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn an_unknown_ref_is_exit_2_with_the_fetch_to_run() {
    let repo = pull_request_repo();
    let (code, stderr) = stderr_of(repo.path(), &["lint", "--changed-since", "origin/develop"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--changed-since origin/develop: no such branch, tag or commit"),
        "{stderr}"
    );
    assert!(stderr.contains("git fetch origin develop"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn outside_a_git_repository_is_exit_2() {
    let repo = Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    let (code, stderr) = stderr_of(repo.path(), &["lint", "--changed-since", "main"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a git repository"), "{stderr}");
}

#[test]
fn a_shallow_clone_is_exit_2_with_the_unshallow_fix() {
    let repo = pull_request_repo();
    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("checkout");
    git_in(
        clone.path(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-single-branch",
            "--branch",
            "feature",
            &format!("file://{}", repo.path().display()),
            "checkout",
        ],
        "2026-11-02T00:00:00Z",
    );
    assert!(Repository::open(&target).unwrap().is_shallow());
    let (code, stderr) = stderr_of(&target, &["lint", "--changed-since", "origin/main"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("this clone is shallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_repository_owned_by_another_user_is_exit_2_with_safe_directory() {
    let repo = GitRepo::init(Repo::new()).author(JANE);
    repo.write("handoffs/a.yaml", spec_sales_cs());
    repo.commit_all(day(0), "one handoff");
    // Giving the checkout to another user needs root (as in CI containers); elsewhere the
    // situation cannot be built, so there is nothing to check.
    if std::os::unix::fs::chown(repo.path(), Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: chown needs root");
        return;
    }
    let (code, stderr) = stderr_of(repo.path(), &["lint", "--changed-since", "main"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("belongs to another user"), "{stderr}");
    assert!(
        stderr.contains("git config --global --add safe.directory"),
        "{stderr}"
    );
}
