//! `handoff log PATH`: the audit trail of one handoff on pinned histories (renames, a merged
//! branch, an accept, a reassignment, a rejection, a re-added file), in every format.

use serde_json::Value;

use crate::history::{sales_cs, scoring_65};
use crate::util::GitRepo;

/// Scores 65: expectations partial, risks missing, relationships partial.
fn acme_65() -> String {
    scoring_65(&sales_cs(
        "Jane Doe",
        "submitted",
        "2026-10-30",
        "Acme Corp — Sales to CS",
    ))
}

/// `acme_65` with its risk back: risks complete.
fn acme_with_risks() -> String {
    acme_65().replacen(
        "technical:",
        "risks:\n  - {risk: Budget owner changes in January, severity: high, mitigation: Meet the new CFO in the first month}\ntechnical:",
        1,
    )
}

/// `acme_with_risks` with its go-live date back: expectations complete.
fn acme_with_go_live() -> String {
    acme_with_risks().replacen("go_live:", "go_live: 2027-01-15", 1)
}

fn reassigned(yaml: &str) -> String {
    yaml.replacen(
        "to: {name: Sam Lee, role: CSM, email: sam@example.com}",
        "to: {name: Ana Ruiz, role: CSM, email: ana@example.com}",
        1,
    )
}

fn accepted(yaml: &str) -> String {
    yaml.replacen(
        "status: submitted",
        "status: accepted\naccepted_by: Ana Ruiz",
        1,
    )
}

const ACME: &str = "handoffs/sales-cs/acme.yaml";
const ARCHIVED: &str = "handoffs/archive/acme.yaml";
const BOLT: &str = "handoffs/sales-cs/bolt.yaml";

/// The story (times UTC, first-parent commits unless said):
///
/// | when  | commit                                                                   |
/// |-------|--------------------------------------------------------------------------|
/// | 11-01 | "Acme": acme added at 65 by jdoe (Jane Doe through .mailmap)             |
/// | 11-02 | "Bolt": bolt added (100); README                                         |
/// | branch| 11-03 "Add risks" (risks missing → complete, 80); 11-04 "Go-live date"   |
/// |       | (expectations partial → complete, 93)                                    |
/// | 11-05 | "Merge pull request #7 from acme/acme-risks" by Raj Patel                |
/// | 11-05 | README only                                                              |
/// | 11-06 | "Hand acme to Ana": to Sam Lee → Ana Ruiz                                |
/// | 11-07 | "File acme under archive": renamed, identical content                    |
/// | 11-08 | "Accept acme" by Ana Ruiz: status accepted, accepted_by Ana Ruiz         |
/// | 11-09 | "Reject bolt": status rejected, rejection {by: Sam Lee, reason: ...}     |
fn story() -> GitRepo {
    let h = GitRepo::new();
    let acme = acme_65();
    h.commit_as(
        ("jdoe", "jane@old.example"),
        "2026-11-01T09:00:00Z",
        "Acme",
        &[
            (
                ".mailmap",
                Some("Jane Doe <jane@example.com> <jane@old.example>\n"),
            ),
            (ACME, Some(&acme)),
        ],
    );
    let bolt = sales_cs("Raj Patel", "submitted", "2026-10-28", "Bolt Inc");
    h.commit(
        "2026-11-02T09:00:00Z",
        "Bolt",
        &[(BOLT, Some(&bolt)), ("README.md", Some("# Handoffs\n"))],
    );
    h.branch("acme-risks");
    h.commit(
        "2026-11-03T09:00:00Z",
        "Add risks",
        &[(ACME, Some(&acme_with_risks()))],
    );
    let tip = h.commit(
        "2026-11-04T09:00:00Z",
        "Go-live date",
        &[(ACME, Some(&acme_with_go_live()))],
    );
    h.checkout("main");
    h.merge_as(
        ("Raj Patel", "raj@example.com"),
        "2026-11-05T09:00:00Z",
        "Merge pull request #7 from acme/acme-risks",
        &[(ACME, Some(&acme_with_go_live()))],
        tip,
    );
    h.commit(
        "2026-11-05T10:00:00Z",
        "Docs",
        &[("README.md", Some("# Handoffs\n\nSee handoffs/.\n"))],
    );
    let moved = reassigned(&acme_with_go_live());
    h.commit(
        "2026-11-06T09:00:00Z",
        "Hand acme to Ana",
        &[(ACME, Some(&moved))],
    );
    h.commit(
        "2026-11-07T09:00:00Z",
        "File acme under archive",
        &[(ACME, None), (ARCHIVED, Some(&moved))],
    );
    h.commit_as(
        ("Ana Ruiz", "ana@example.com"),
        "2026-11-08T09:00:00Z",
        "Accept acme",
        &[(ARCHIVED, Some(&accepted(&moved)))],
    );
    let rejected = bolt.replacen(
        "status: submitted",
        "status: rejected\nrejection: {by: Sam Lee, reason: No kickoff date}",
        1,
    );
    h.commit(
        "2026-11-09T09:00:00Z",
        "Reject bolt",
        &[(BOLT, Some(&rejected))],
    );
    h
}

fn log_json(h: &GitRepo, path: &str) -> Value {
    h.json(&["log", path, "--format", "json"])
}

fn column<'v>(log: &'v Value, key: &str) -> Vec<&'v Value> {
    log["commits"]
        .as_array()
        .expect("commits")
        .iter()
        .map(|c| &c[key])
        .collect()
}

#[test]
fn follows_the_rename_the_merged_branch_the_reassignment_and_the_accept() {
    let h = story();
    let log = log_json(&h, ARCHIVED);
    assert_eq!(log["path"], ARCHIVED);
    let subjects: Vec<&str> = column(&log, "subject")
        .into_iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    // Oldest first; the README commits and bolt's commits are not there; the branch's commits
    // come before the merge that landed them; nothing before the creation.
    assert_eq!(
        subjects,
        [
            "Acme",
            "Add risks",
            "Go-live date",
            "Merge pull request #7 from acme/acme-risks",
            "Hand acme to Ana",
            "File acme under archive",
            "Accept acme",
        ]
    );
    let authors: Vec<&str> = column(&log, "author")
        .into_iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        [
            "Jane Doe", // jdoe through .mailmap
            "Dev Eloper",
            "Dev Eloper",
            "Raj Patel",
            "Dev Eloper",
            "Dev Eloper",
            "Ana Ruiz"
        ]
    );
    // A rename shows the old path on the commits before it.
    let paths: Vec<&str> = column(&log, "path")
        .into_iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(paths, [ACME, ACME, ACME, ACME, ACME, ARCHIVED, ARCHIVED]);
    // 65; +15 for risks; expectations complete: 100 - 7.5 (relationships partial) = 92.5 → 93.
    let scores: Vec<u64> = column(&log, "score")
        .into_iter()
        .map(|s| s.as_u64().unwrap())
        .collect();
    assert_eq!(scores, [65, 80, 93, 93, 93, 93, 93]);
    let statuses: Vec<&str> = column(&log, "status")
        .into_iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "submitted",
            "submitted",
            "submitted",
            "submitted",
            "submitted",
            "submitted",
            "accepted"
        ]
    );
    let commits = log["commits"].as_array().unwrap();
    assert_eq!(commits[0]["sections_changed"], serde_json::json!([]));
    assert_eq!(
        commits[1]["sections_changed"],
        serde_json::json!([{"section": "risks", "from": "missing", "to": "complete"}])
    );
    assert_eq!(
        commits[2]["sections_changed"],
        serde_json::json!([{"section": "expectations", "from": "partial", "to": "complete"}])
    );
    // The branch's commits name the merge; the merge itself is on the first-parent chain.
    assert_eq!(commits[1]["merge"], commits[3]["commit"]);
    assert_eq!(commits[2]["merge"], commits[3]["commit"]);
    assert_eq!(commits[3]["merge"], Value::Null);
    assert_eq!(
        commits[4]["events"],
        serde_json::json!([{"kind": "reassigned", "from": "Sam Lee", "to": "Ana Ruiz"}])
    );
    assert_eq!(commits[5]["events"], serde_json::json!([]));
    assert_eq!(
        commits[6]["events"],
        serde_json::json!([{"kind": "accepted", "by": "Ana Ruiz"}])
    );
    assert_eq!(commits[0]["date"], "2026-11-01T09:00:00Z");
    // No origin remote: no links.
    assert_eq!(commits[3]["pull_request"], Value::Null);
    assert_eq!(commits[3]["commit_url"], Value::Null);
}

#[test]
fn a_rejection_names_who_and_why() {
    let h = story();
    let log = log_json(&h, BOLT);
    let commits = log["commits"].as_array().unwrap();
    assert_eq!(commits.len(), 2);
    assert_eq!(commits[1]["status"], "rejected");
    assert_eq!(
        commits[1]["events"],
        serde_json::json!([{"kind": "rejected", "by": "Sam Lee", "reason": "No kickoff date"}])
    );
}

#[test]
fn a_re_added_file_starts_a_new_trail() {
    let h = GitRepo::new();
    let first = sales_cs("Lee Chan", "submitted", "2026-10-05", "Delta Air");
    let again = sales_cs("Lee Chan", "submitted", "2026-11-08", "Delta Air (renewed)");
    h.commit("2026-10-06T00:00:00Z", "Delta", &[(ACME, Some(&first))]);
    h.commit("2026-11-01T00:00:00Z", "Drop delta", &[(ACME, None)]);
    h.commit(
        "2026-11-18T00:00:00Z",
        "Delta again",
        &[(ACME, Some(&again))],
    );
    let log = log_json(&h, ACME);
    let subjects: Vec<&Value> = column(&log, "subject");
    assert_eq!(subjects, ["Delta again"]);
}

#[test]
fn links_to_the_forge_when_origin_is_on_github() {
    let h = story();
    h.git
        .remote(
            "origin",
            "https://x-access-token:s3cret@github.com/acme/handoffs.git",
        )
        .unwrap();
    let log = log_json(&h, ARCHIVED);
    let merge = &log["commits"][3];
    assert_eq!(merge["pull_request"], 7);
    assert_eq!(
        merge["pull_request_url"],
        "https://github.com/acme/handoffs/pull/7"
    );
    let commit = merge["commit"].as_str().unwrap();
    assert_eq!(
        merge["commit_url"],
        format!("https://github.com/acme/handoffs/commit/{commit}")
    );
    let output = h
        .cmd()
        .args(["log", ARCHIVED, "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8(output.stdout).unwrap();
    assert!(
        md.contains("([#7](https://github.com/acme/handoffs/pull/7))"),
        "{md}"
    );
    assert!(!md.contains("s3cret"), "credentials are never shown: {md}");
    insta::assert_snapshot!("log_md_github", md);
}

#[test]
fn table_and_markdown_read_well() {
    let h = story();
    let output = h.cmd().args(["log", ARCHIVED]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("log_table", String::from_utf8(output.stdout).unwrap());
    let output = h
        .cmd()
        .args(["log", ARCHIVED, "--format", "md"])
        .output()
        .unwrap();
    insta::assert_snapshot!("log_md", String::from_utf8(output.stdout).unwrap());
    insta::assert_json_snapshot!("log_json", log_json(&h, ARCHIVED));
}

#[test]
fn a_file_not_committed_is_an_error_naming_it() {
    let h = story();
    std::fs::write(h.path().join("handoffs/sales-cs/new.yaml"), acme_65()).unwrap();
    let output = h
        .cmd()
        .args(["log", "handoffs/sales-cs/new.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("handoffs/sales-cs/new.yaml: not committed on HEAD"),
        "{stderr}"
    );
    let output = h.cmd().args(["log", "README.md"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = h
        .cmd()
        .args(["log", "handoffs/nope.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_html_report_and_the_sample_link_to_the_forge_and_the_log() {
    let h = story();
    h.git
        .remote("origin", "git@github.com:acme/handoffs.git")
        .unwrap();
    let output = h
        .cmd()
        .args(["metrics", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(
        html.contains("href=\"https://github.com/acme/handoffs/commits/"),
        "a link to each handoff's history: {html}"
    );
    assert!(html.contains("href=\"https://github.com/acme/handoffs/blob/"));
    let sample = h
        .cmd()
        .args(["sample", "--week", "2026-W45"])
        .output()
        .unwrap();
    let md = String::from_utf8(sample.stdout).unwrap();
    assert!(
        md.contains("- Audit trail: `handoff log handoffs/sales-cs/bolt.yaml` ([history](https://github.com/acme/handoffs/commits/"),
        "{md}"
    );
    let json = h.json(&["sample", "--week", "2026-W45", "--format", "json"]);
    assert_eq!(
        json["handoffs"][0]["log"],
        "handoff log handoffs/sales-cs/bolt.yaml"
    );
    // Without a forge remote: plain text, no links.
    let plain = story();
    let output = plain
        .cmd()
        .args(["metrics", "--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(!html.contains("href=\"https://"), "{html}");
}
