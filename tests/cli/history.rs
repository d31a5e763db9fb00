//! `handoff metrics`, `handoff sample` and `handoff review` on git histories built by code with
//! pinned author and committer dates. Every expected number is worked out by hand in comments.

use std::process::Command as Process;

use git2::Oid;
use serde_json::{json, Value};

use crate::util::{git_in, run_in, spec_sales_cs, GitRepo};

/// `handoff metrics --format json ARGS` in `history`.
fn metrics(history: &GitRepo, args: &[&str]) -> Value {
    let mut all = vec!["metrics", "--format", "json"];
    all.extend_from_slice(args);
    history.json(&all)
}

/// The SPEC's sales-cs example (score 100) by `author`, with `status`, `trigger` date and title.
pub(crate) fn sales_cs(author: &str, status: &str, trigger: &str, title: &str) -> String {
    let mut yaml = spec_sales_cs()
        .replacen("status: submitted", &format!("status: {status}"), 1)
        .replacen(
            "from: {name: Jane Doe,",
            &format!("from: {{name: {author},"),
            1,
        )
        .replacen("date: 2026-10-30", &format!("date: {trigger}"), 1)
        .replacen(
            "title: Acme Corp — Sales to CS",
            &format!("title: {title}"),
            1,
        );
    if status == "accepted" {
        yaml = yaml.replacen(
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\n",
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\naccepted_by: Sam Lee\n",
            1,
        );
    }
    yaml
}

/// Scores 88: expectations partial (no go-live date).
fn scoring_88(yaml: &str) -> String {
    yaml.replacen("go_live: 2027-01-15", "go_live:", 1)
}

/// Scores 65: 100 − 12.5 (expectations partial) − 15 (no risks) − 7.5 (relationships partial).
pub(crate) fn scoring_65(yaml: &str) -> String {
    yaml.replacen("risks:\n  - {risk: Budget owner changes in January, severity: high, mitigation: Meet the new CFO in the first month}\n", "", 1)
        .replacen("go_live: 2027-01-15", "go_live:", 1)
        .replacen("champion: {name: Pat Kim, title: VP Operations}", "champion:", 1)
        .replacen("executive_sponsor: {name: Lee Chan, title: COO}", "executive_sponsor:", 1)
}

/// Only the required keys: valid, scores 0.
fn bare_sdr_ae(author: &str) -> String {
    format!("type: sdr-ae\nstatus: draft\ntitle: Echo Labs\nfrom: {{name: {author}}}\nto: {{name: Sam Lee}}\n")
}

struct Scenario {
    history: GitRepo,
    bolt_merge: Oid,
    acme_landing: Oid,
}

/// The story every metrics test reads (times UTC):
///
/// | when              | first-parent commit                                              |
/// |-------------------|------------------------------------------------------------------|
/// | 10-05 06:00       | C cobalt added (Jane Doe, trigger 10-01, scores 88); .mailmap    |
/// | 10-06 00:00       | D delta added (Lee Chan)                                         |
/// | 11-01 00:00       | D deleted                                                        |
/// | 11-11 12:00       | A acme added (Jane Doe, trigger 11-10) by "jdoe" (mailmap)       |
/// |   side branch     | 11-12 B bolt added (Raj Patel, trigger 11-09, scores 65), edited |
/// | 11-13 00:00       | A accepted                                                       |
/// | 11-14 00:00       | merge of the side branch: B lands here, by Raj Patel             |
/// | 11-15 00:00       | C moved to sales-cs/2026/ (identical content)                    |
/// | 11-18 00:00       | D re-added, accepted (trigger 11-08): a new handoff              |
/// | 11-19 12:00       | E echo added (sdr-ae, Raj Patel, draft, no trigger, scores 0)    |
/// | 11-20 00:00       | A moved to archive/ with its title edited                        |
/// | 11-21 00:00       | B completed (scores 100)                                         |
/// | 11-22 00:00       | README only (the head: "now")                                    |
fn scenario() -> Scenario {
    let history = GitRepo::new();
    let h = &history;
    let acme = sales_cs(
        "Jane Doe",
        "submitted",
        "2026-11-10",
        "Acme Corp — Sales to CS",
    );
    let acme_accepted = sales_cs(
        "Jane Doe",
        "accepted",
        "2026-11-10",
        "Acme Corp — Sales to CS",
    );
    let acme_archived = sales_cs(
        "Jane Doe",
        "accepted",
        "2026-11-10",
        "Acme Corp — Sales to CS (archived)",
    );
    let bolt_draft = scoring_65(&sales_cs(
        "Raj Patel",
        "submitted",
        "2026-11-09",
        "Bolt Inc",
    ));
    let bolt_edited = scoring_65(&sales_cs(
        "Raj Patel",
        "submitted",
        "2026-11-09",
        "Bolt Inc — Sales to CS",
    ));
    let bolt_complete = sales_cs(
        "Raj Patel",
        "submitted",
        "2026-11-09",
        "Bolt Inc — Sales to CS",
    );
    let cobalt = scoring_88(&sales_cs(
        "Jane Doe",
        "submitted",
        "2026-10-01",
        "Cobalt, Ltd.",
    ));
    let delta_first = sales_cs("Lee Chan", "submitted", "2026-10-05", "Delta Air");
    let delta_again = sales_cs("Lee Chan", "accepted", "2026-11-08", "Delta Air (renewed)");

    h.commit_as(
        ("jdoe", "jane@old.example"),
        "2026-10-05T06:00:00Z",
        "Cobalt handoff",
        &[
            (
                ".mailmap",
                Some("Jane Doe <jane@example.com> <jane@old.example>\n"),
            ),
            ("README.md", Some("# Handoffs\n")),
            ("handoffs/sales-cs/cobalt.yaml", Some(&cobalt)),
        ],
    );
    h.commit(
        "2026-10-06T00:00:00Z",
        "Delta",
        &[("handoffs/sales-cs/delta.yaml", Some(&delta_first))],
    );
    h.commit(
        "2026-11-01T00:00:00Z",
        "Drop delta",
        &[("handoffs/sales-cs/delta.yaml", None)],
    );
    let acme_landing = h.commit_as(
        ("jdoe", "jane@old.example"),
        "2026-11-11T12:00:00Z",
        "Acme",
        &[("handoffs/sales-cs/acme.yaml", Some(&acme))],
    );
    h.branch("feature/bolt");
    h.commit(
        "2026-11-12T00:00:00Z",
        "Bolt draft",
        &[("handoffs/sales-cs/bolt.yaml", Some(&bolt_draft))],
    );
    let bolt_tip = h.commit(
        "2026-11-12T06:00:00Z",
        "Bolt title",
        &[("handoffs/sales-cs/bolt.yaml", Some(&bolt_edited))],
    );
    h.checkout("main");
    h.commit(
        "2026-11-13T00:00:00Z",
        "Acme accepted",
        &[("handoffs/sales-cs/acme.yaml", Some(&acme_accepted))],
    );
    let bolt_merge = h.merge_as(
        ("Raj Patel", "raj@example.com"),
        "2026-11-14T00:00:00Z",
        "Merge feature/bolt",
        &[("handoffs/sales-cs/bolt.yaml", Some(&bolt_edited))],
        bolt_tip,
    );
    h.commit(
        "2026-11-15T00:00:00Z",
        "File cobalt under 2026",
        &[
            ("handoffs/sales-cs/cobalt.yaml", None),
            ("handoffs/sales-cs/2026/cobalt.yaml", Some(&cobalt)),
        ],
    );
    h.commit(
        "2026-11-18T00:00:00Z",
        "Delta again",
        &[("handoffs/sales-cs/delta.yaml", Some(&delta_again))],
    );
    h.commit(
        "2026-11-19T12:00:00Z",
        "Echo",
        &[("handoffs/sdr-ae/echo.yaml", Some(&bare_sdr_ae("Raj Patel")))],
    );
    h.commit(
        "2026-11-20T00:00:00Z",
        "Archive acme",
        &[
            ("handoffs/sales-cs/acme.yaml", None),
            ("handoffs/archive/acme.yaml", Some(&acme_archived)),
        ],
    );
    h.commit(
        "2026-11-21T00:00:00Z",
        "Bolt complete",
        &[("handoffs/sales-cs/bolt.yaml", Some(&bolt_complete))],
    );
    h.commit(
        "2026-11-22T00:00:00Z",
        "Docs",
        &[("README.md", Some("# Handoffs\n\nSee handoffs/.\n"))],
    );
    Scenario {
        history,
        bolt_merge,
        acme_landing,
    }
}

fn handoff<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["handoffs"]
        .as_array()
        .expect("handoffs")
        .iter()
        .find(|h| h["path"] == path)
        .unwrap_or_else(|| panic!("no {path} in {report:#}"))
}

fn paths(report: &Value) -> Vec<&str> {
    report["handoffs"]
        .as_array()
        .expect("handoffs")
        .iter()
        .map(|h| h["path"].as_str().expect("path"))
        .collect()
}

fn assert_close(actual: &Value, expected: f64) {
    let actual = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

#[test]
fn each_handoff_follows_renames_merges_accepts_and_re_adds() {
    let s = scenario();
    let report = metrics(&s.history, &[]);
    assert_eq!(report["ref"], "HEAD");
    assert_eq!(report["as_of"], "2026-11-22T00:00:00Z");
    // Only handoffs present at the head count; the first delta (deleted) is gone.
    assert_eq!(
        paths(&report),
        [
            "handoffs/archive/acme.yaml",
            "handoffs/sales-cs/2026/cobalt.yaml",
            "handoffs/sales-cs/bolt.yaml",
            "handoffs/sales-cs/delta.yaml",
            "handoffs/sdr-ae/echo.yaml",
        ]
    );

    // A: moved to another folder with an edit, keeps merged_at; 3 revisions (add, accept, move).
    let acme = handoff(&report, "handoffs/archive/acme.yaml");
    assert_eq!(acme["merged_at"], "2026-11-11T12:00:00Z");
    assert_eq!(acme["merged_commit"], s.acme_landing.to_string());
    assert_eq!(acme["merged_by"], "Jane Doe", "through .mailmap");
    assert_eq!(acme["accepted_at"], "2026-11-13T00:00:00Z");
    assert_eq!(acme["time_to_handoff_days"], 1.5); // 11-10 00:00 → 11-11 12:00
    assert_eq!(acme["time_to_accept_days"], 1.5); // 11-11 12:00 → 11-13 00:00
    assert_eq!(acme["revisions"], 3);
    assert_eq!(acme["status"], "accepted");
    assert_eq!(acme["type"], "sales-cs");
    assert_eq!(acme["author"], "Jane Doe");
    assert_eq!(
        (acme["score_at_merge"].as_u64(), acme["score"].as_u64()),
        (Some(100), Some(100))
    );
    assert_eq!(acme["below_threshold_at_merge"], false);

    // B: its side-branch commits count at the merge commit, once; it landed at 65: a bypass.
    let bolt = handoff(&report, "handoffs/sales-cs/bolt.yaml");
    assert_eq!(bolt["merged_at"], "2026-11-14T00:00:00Z");
    assert_eq!(bolt["merged_commit"], s.bolt_merge.to_string());
    assert_eq!(bolt["merged_by"], "Raj Patel");
    assert_eq!(bolt["time_to_handoff_days"], 5.0);
    assert_eq!(bolt["revisions"], 2); // the merge, then the completion on main
    assert_eq!(bolt["score_at_merge"], 65);
    assert_eq!(bolt["score"], 100);
    assert_eq!(bolt["below_threshold_at_merge"], true);
    assert_eq!(bolt["accepted_at"], Value::Null);
    assert_eq!(bolt["time_to_accept_days"], Value::Null);
    assert_eq!(bolt["stale"], false, "8 days is not stale");

    // C: moved unchanged; submitted 47.75 days before the head, never accepted: stale.
    let cobalt = handoff(&report, "handoffs/sales-cs/2026/cobalt.yaml");
    assert_eq!(cobalt["merged_at"], "2026-10-05T06:00:00Z");
    assert_eq!(cobalt["time_to_handoff_days"], 4.25);
    assert_eq!(cobalt["revisions"], 2);
    assert_eq!(cobalt["score"], 88);
    assert_eq!(cobalt["merged_by"], "Jane Doe");
    assert_eq!(cobalt["stale"], true);

    // D: deleted on 11-01 and added again on 11-18: a new handoff, landed accepted.
    let delta = handoff(&report, "handoffs/sales-cs/delta.yaml");
    assert_eq!(delta["merged_at"], "2026-11-18T00:00:00Z");
    assert_eq!(delta["accepted_at"], "2026-11-18T00:00:00Z");
    assert_eq!(delta["time_to_handoff_days"], 10.0);
    assert_eq!(delta["time_to_accept_days"], 0.0);
    assert_eq!(delta["revisions"], 1);
    assert_eq!(delta["title"], "Delta Air (renewed)");

    // E: no trigger date → no time to handoff; a 0 draft that landed: a bypass too.
    let echo = handoff(&report, "handoffs/sdr-ae/echo.yaml");
    assert_eq!(echo["time_to_handoff_days"], Value::Null);
    assert_eq!(echo["score_at_merge"], 0);
    assert_eq!(echo["below_threshold_at_merge"], true);
    assert_eq!(echo["stale"], false, "a draft is not stale");
    assert_eq!(echo["type"], "sdr-ae");
}

/// Objects read straight from pack files (both delta kinds) give the same metrics as the loose
/// objects libgit2 reads, to the last field.
#[test]
fn a_packed_history_gives_the_same_metrics_as_loose_objects() {
    let s = scenario();
    let loose = metrics(&s.history, &[]);
    for offsets in ["true", "false"] {
        s.history.git_cli(
            &[
                "-c",
                &format!("repack.useDeltaBaseOffset={offsets}"),
                "repack",
                "-a",
                "-d",
                "-f",
                "-q",
                "--depth=50",
                "--window=50",
            ],
            "2026-11-22T00:00:00Z",
        );
        let objects = s.history.path().join(".git/objects");
        let loose_left = std::fs::read_dir(&objects)
            .expect("objects")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().len() == 2)
            .count();
        assert_eq!(
            loose_left, 0,
            "git repack -d leaves no loose object folders"
        );
        assert_eq!(
            metrics(&s.history, &[]),
            loose,
            "repacked with offsets={offsets}"
        );
    }
}

#[test]
fn the_summary_and_breakdowns_are_exact() {
    let report = metrics(&scenario().history, &[]);
    let summary = &report["summary"];
    // Times to handoff, sorted: 1.5 (A), 4.25 (C), 5 (B), 10 (D); E has none.
    // Median (4.25 + 5) / 2 = 4.625; p90 rank 0.9 × 3 = 2.7 → 5 + 0.7 × (10 − 5) = 8.5.
    // Times to accept: 0 (D), 1.5 (A) → median 0.75.
    assert_eq!(summary["count"], 5);
    assert_eq!(summary["accepted"], 2);
    assert_eq!(summary["completion_rate"], 0.4);
    assert_eq!(summary["median_time_to_handoff_days"], 4.625);
    assert_close(&summary["p90_time_to_handoff_days"], 8.5);
    assert_eq!(summary["median_time_to_accept_days"], 0.75);
    assert_eq!(summary["below_threshold_at_merge"], 2);
    assert_eq!(summary["stale"], 1);

    let sales_cs = &summary["by_type"]["sales-cs"];
    assert_eq!(
        (sales_cs["count"].as_u64(), sales_cs["accepted"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(sales_cs["median_time_to_handoff_days"], 4.625);
    assert_eq!(sales_cs["below_threshold_at_merge"], 1);
    let sdr_ae = &summary["by_type"]["sdr-ae"];
    assert_eq!(sdr_ae["count"], 1);
    assert_eq!(sdr_ae["completion_rate"], 0.0);
    assert_eq!(sdr_ae["median_time_to_handoff_days"], Value::Null);
    assert_eq!(sdr_ae["p90_time_to_handoff_days"], Value::Null);

    let authors = summary["by_author"].as_object().unwrap();
    assert_eq!(
        authors.keys().collect::<Vec<_>>(),
        ["Jane Doe", "Lee Chan", "Raj Patel"]
    );
    // Jane: A (1.5) and C (4.25) → median 2.875; p90 rank 0.9 → 1.5 + 0.9 × 2.75 = 3.975.
    assert_eq!(authors["Jane Doe"]["count"], 2);
    assert_eq!(authors["Jane Doe"]["accepted"], 1);
    assert_eq!(authors["Jane Doe"]["median_time_to_handoff_days"], 2.875);
    assert_close(&authors["Jane Doe"]["p90_time_to_handoff_days"], 3.975);
    assert_eq!(authors["Jane Doe"]["stale"], 1);
    assert_eq!(authors["Raj Patel"]["below_threshold_at_merge"], 2);
    assert_eq!(authors["Raj Patel"]["median_time_to_handoff_days"], 5.0);
    assert_eq!(authors["Lee Chan"]["median_time_to_accept_days"], 0.0);

    // Weeks of merged_at: C 10-05 (W41), A 11-11 and B 11-14 (W46), D 11-18 and E 11-19 (W47).
    let weeks = summary["by_week"].as_object().unwrap();
    assert_eq!(
        weeks.keys().collect::<Vec<_>>(),
        ["2026-W41", "2026-W46", "2026-W47"]
    );
    assert_eq!(weeks["2026-W46"]["count"], 2);
    assert_eq!(weeks["2026-W46"]["median_time_to_handoff_days"], 3.25); // (1.5 + 5) / 2
    assert_eq!(
        weeks["2026-W47"]["reviews"],
        json!({"sampled": 2, "reviewed": 0})
    );
}

#[test]
fn threshold_flag_moves_the_bypass_count() {
    let s = scenario();
    // At 60, bolt's 65 passed the gate: only echo (0) bypassed it.
    let report = metrics(&s.history, &["--threshold", "60"]);
    assert_eq!(report["threshold"], 60);
    assert_eq!(report["summary"]["below_threshold_at_merge"], 1);
    // handoff.toml sets it for the repository; the flag wins over it.
    std::fs::write(s.history.path().join("handoff.toml"), "threshold = 90\n").unwrap();
    let report = metrics(&s.history, &[]);
    assert_eq!(report["summary"]["below_threshold_at_merge"], 3); // + cobalt's 88
    let report = metrics(&s.history, &["--threshold", "50"]);
    assert_eq!(report["summary"]["below_threshold_at_merge"], 1);
}

#[test]
fn since_and_until_filter_by_merge_date_inclusively() {
    let s = scenario();
    let report = metrics(
        &s.history,
        &["--since", "2026-11-11", "--until", "2026-11-18"],
    );
    assert_eq!(
        paths(&report),
        [
            "handoffs/archive/acme.yaml",
            "handoffs/sales-cs/bolt.yaml",
            "handoffs/sales-cs/delta.yaml",
        ]
    );
    assert_eq!(report["since"], "2026-11-11");
    assert_eq!(report["summary"]["count"], 3);
    // 1.5, 5, 10 → median 5.
    assert_eq!(report["summary"]["median_time_to_handoff_days"], 5.0);
    let report = metrics(&s.history, &["--since", "2026-11-19"]);
    assert_eq!(paths(&report), ["handoffs/sdr-ae/echo.yaml"]);
    let report = metrics(&s.history, &["--until", "2026-10-05"]);
    assert_eq!(paths(&report), ["handoffs/sales-cs/2026/cobalt.yaml"]);

    let output = s
        .history
        .cmd()
        .args(["metrics", "--since", "2026-11-20", "--until", "2026-11-01"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("--since 2026-11-20 is after --until 2026-11-01"));
    let output = s
        .history
        .cmd()
        .args(["metrics", "--since", "last week"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn ref_measures_the_history_of_another_commit() {
    let s = scenario();
    // At the merge of bolt: acme (accepted), bolt (just merged) and cobalt (not moved yet).
    let at_merge = s.bolt_merge.to_string();
    let report = metrics(&s.history, &["--ref", &at_merge]);
    assert_eq!(report["ref"], at_merge.as_str());
    assert_eq!(report["as_of"], "2026-11-14T00:00:00Z");
    assert_eq!(
        paths(&report),
        [
            "handoffs/sales-cs/acme.yaml",
            "handoffs/sales-cs/bolt.yaml",
            "handoffs/sales-cs/cobalt.yaml",
        ]
    );
    assert_eq!(handoff(&report, "handoffs/sales-cs/bolt.yaml")["score"], 65);
    // The side branch alone: bolt landed at its own first commit there.
    let report = metrics(&s.history, &["--ref", "feature/bolt"]);
    let bolt = handoff(&report, "handoffs/sales-cs/bolt.yaml");
    assert_eq!(bolt["merged_at"], "2026-11-12T00:00:00Z");
    assert_eq!(bolt["revisions"], 2);

    let output = s
        .history
        .cmd()
        .args(["metrics", "--ref", "no-such-branch"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown ref \"no-such-branch\""),
        "{stderr}"
    );
}

#[test]
fn table_output_is_readable() {
    let s = scenario();
    let output = s.history.cmd().arg("metrics").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let text = text.replace(
        &s.history.git.head().unwrap().target().unwrap().to_string()[..7],
        "HEADSHA",
    );
    let text = text.replace(&s.bolt_merge.to_string()[..7], "MERGESHA");
    insta::assert_snapshot!(text);
}

#[test]
fn csv_has_a_header_and_a_quoted_row_per_handoff() {
    let s = scenario();
    let output = s
        .history
        .cmd()
        .args(["metrics", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(rows.len(), 6, "{text}");
    assert_eq!(
        rows[0],
        "path,type,status,title,author,trigger_date,merged_at,merged_commit,merged_by,accepted_at,time_to_handoff_days,time_to_accept_days,revisions,score_at_merge,threshold_at_merge,score,threshold,passed,below_threshold_at_merge,stale,week,rating,rejected,reassigned,reassignments,time_in_review_days,qualified"
    );
    let cobalt = rows
        .iter()
        .find(|r| r.starts_with("handoffs/sales-cs/2026/cobalt.yaml"))
        .unwrap();
    assert!(
        cobalt.starts_with("handoffs/sales-cs/2026/cobalt.yaml,sales-cs,submitted,\"Cobalt, Ltd.\",Jane Doe,2026-10-01,2026-10-05T06:00:00Z,"),
        "{cobalt}"
    );
    assert!(
        cobalt.ends_with(",Jane Doe,,4.25,,2,88,70,88,70,true,false,true,2026-W41,,false,0,,,"),
        "{cobalt}"
    );
    assert!(!text.contains('\n') || text.matches('\n').count() == text.matches("\r\n").count());
}

#[test]
fn html_is_one_self_contained_page_with_charts() {
    let s = scenario();
    let output = s
        .history
        .cmd()
        .args(["metrics", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        html.matches("<svg").count(),
        3,
        "time to handoff, weekly volume, scores"
    );
    assert!(
        !html.contains("http:") && !html.contains("https:"),
        "nothing fetched from the network"
    );
    // One script, the filter boxes and sorting, allowed by its hash alone.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("script-src 'sha256-"));
    assert!(html.contains("class=\"threshold\""), "the threshold line");
    assert!(html.contains("threshold 70"));
    // The gate bypasses and the stale handoff are listed.
    let bypasses = &html[html.find("<h2>Gate bypasses</h2>").unwrap()
        ..html.find("<h2>Stale handoffs</h2>").unwrap()];
    assert!(bypasses.contains("handoffs/sales-cs/bolt.yaml"));
    assert!(bypasses.contains("handoffs/sdr-ae/echo.yaml"));
    assert!(bypasses.contains("65 &lt; 70"));
    let stale =
        &html[html.find("<h2>Stale handoffs</h2>").unwrap()..html.find("<h2>Weeks</h2>").unwrap()];
    assert!(stale.contains("handoffs/sales-cs/2026/cobalt.yaml"));
    assert!(!stale.contains("bolt"));
    // Per-author table.
    assert!(html.contains("<td>Raj Patel</td><td>2</td>"));
}

#[test]
fn output_file_is_written_atomically_and_never_overwritten_without_force() {
    let s = scenario();
    s.history
        .cmd()
        .args(["metrics", "--format", "json", "-o", "out/metrics.json"])
        .assert()
        .code(2);
    s.history
        .cmd()
        .args(["metrics", "--format", "json", "-o", "metrics.json"])
        .assert()
        .code(0)
        .stdout(predicates::str::starts_with("wrote metrics.json (json: "));
    let first: Value =
        serde_json::from_slice(&std::fs::read(s.history.path().join("metrics.json")).unwrap())
            .unwrap();
    assert_eq!(first["summary"]["count"], 5);
    let output = s
        .history
        .cmd()
        .args(["metrics", "-o", "metrics.json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("metrics.json: already exists; pass --force"));
    s.history
        .cmd()
        .args([
            "metrics",
            "--format",
            "csv",
            "-o",
            "metrics.json",
            "--force",
        ])
        .assert()
        .code(0);
    let replaced = std::fs::read_to_string(s.history.path().join("metrics.json")).unwrap();
    assert!(replaced.starts_with("path,type,"));
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(s.history.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".handoff-"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_shallow_clone_is_refused_with_the_fix() {
    let s = scenario();
    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("shallow");
    git_in(
        clone.path(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            &format!("file://{}", s.history.path().display()),
            "shallow",
        ],
        "2026-11-22T00:00:00Z",
    );
    for command in ["metrics", "sample"] {
        let run = run_in(&target, &[command]);
        assert_eq!(run.code, 2, "{command}");
        assert!(run.stdout.is_empty());
        let stderr = &run.stderr;
        assert!(stderr.contains("shallow clone"), "{stderr}");
        assert!(stderr.contains("git fetch --unshallow"), "{stderr}");
        assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
    }
}

#[test]
fn outside_a_git_repository_is_exit_2() {
    let repo = crate::util::Repo::new();
    repo.write("handoffs/a.yaml", spec_sales_cs());
    for command in ["metrics", "sample"] {
        let output = repo.cmd().arg(command).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("not a git repository"), "{stderr}");
    }
}

#[test]
fn an_empty_repository_or_one_without_handoffs_has_zero_counts() {
    let history = GitRepo::new();
    std::fs::create_dir_all(history.path().join("handoffs")).unwrap();
    // Untracked files are not history.
    std::fs::write(history.path().join("handoffs/a.yaml"), spec_sales_cs()).unwrap();
    let report = metrics(&history, &[]);
    assert_eq!(report["commit"], Value::Null);
    assert_eq!(report["handoffs"], json!([]));
    assert_eq!(report["summary"]["count"], 0);
    assert_eq!(report["summary"]["completion_rate"], Value::Null);
    assert_eq!(
        report["summary"]["median_time_to_handoff_days"],
        Value::Null
    );
    history.cmd().arg("metrics").assert().code(0);
    history
        .cmd()
        .args(["metrics", "--format", "html"])
        .assert()
        .code(0);
    let sample = history.json(&["sample", "--format", "json", "--week", "2026-W47"]);
    assert_eq!(sample["handoffs"], json!([]));

    history.commit(
        "2026-11-02T00:00:00Z",
        "Docs only",
        &[("README.md", Some("hi\n"))],
    );
    let report = metrics(&history, &[]);
    assert_eq!(report["summary"]["count"], 0);
    assert_eq!(report["as_of"], "2026-11-02T00:00:00Z");
    history
        .cmd()
        .args(["metrics", "--format", "csv"])
        .assert()
        .code(0);
}

/// Week 2026-W47 (11-16 to 11-22): Ann ×4, Bob ×2, Cy ×1; week W46: three by Ann. Head in W48.
fn sampling_history() -> GitRepo {
    let history = GitRepo::new();
    let mut n = 0;
    let mut add = |day: &str, author: &str| {
        n += 1;
        let name = format!("handoffs/sales-cs/h{n:02}.yaml");
        let yaml = sales_cs(author, "submitted", "2026-11-01", &format!("Handoff {n}"));
        history.commit(
            &format!("{day}T{:02}:00:00Z", 8 + n % 10),
            &format!("h{n}"),
            &[(&name, Some(&yaml))],
        );
    };
    for day in ["2026-11-10", "2026-11-11", "2026-11-12"] {
        add(day, "Ann");
    }
    for (day, author) in [
        ("2026-11-16", "Ann"),
        ("2026-11-16", "Bob"),
        ("2026-11-17", "Ann"),
        ("2026-11-18", "Cy"),
        ("2026-11-19", "Ann"),
        ("2026-11-20", "Bob"),
        ("2026-11-22", "Ann"),
    ] {
        add(day, author);
    }
    history.commit(
        "2026-11-25T09:00:00Z",
        "Docs",
        &[("README.md", Some("x\n"))],
    );
    history
}

fn sampled(sample: &Value) -> Vec<(String, String)> {
    sample["handoffs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap().to_string(),
                h["author"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_sample_is_reproducible_and_spreads_across_authors() {
    let history = sampling_history();
    // Default week: the last full week before the head (11-25, W48) is W47.
    let sample = history.json(&["sample", "--format", "json", "--size", "3"]);
    assert_eq!(sample["week"], "2026-W47");
    assert_eq!(
        (sample["from"].as_str(), sample["to"].as_str()),
        (Some("2026-11-16"), Some("2026-11-22"))
    );
    assert_eq!(sample["population"], 7);
    let three = sampled(&sample);
    let mut authors: Vec<&str> = three.iter().map(|(_, a)| a.as_str()).collect();
    authors.sort();
    assert_eq!(
        authors,
        ["Ann", "Bob", "Cy"],
        "one each before anyone gets a second"
    );
    for (path, _) in &three {
        let n: u32 = path
            .trim_start_matches("handoffs/sales-cs/h")
            .trim_end_matches(".yaml")
            .parse()
            .unwrap();
        assert!((4..=10).contains(&n), "{path} was not merged in W47");
    }

    // Same week, same history: the same sample, in the same order, every run.
    assert_eq!(
        sampled(&history.json(&["sample", "--format", "json", "--size", "3"])),
        three
    );
    let five = sampled(&history.json(&["sample", "--format", "json", "--week", "2026-W47"]));
    assert_eq!(five.len(), 5);
    assert_eq!(
        &five[..3],
        &three[..],
        "a larger sample extends the smaller one"
    );
    let count = |who: &str| five.iter().filter(|(_, a)| a == who).count();
    assert_eq!((count("Ann"), count("Bob"), count("Cy")), (2, 2, 1));
    // All seven when asked for more than there are.
    assert_eq!(
        sampled(&history.json(&["sample", "--format", "json", "--size", "50"])).len(),
        7
    );

    // Another week samples other handoffs.
    let other = sampled(&history.json(&["sample", "--format", "json", "--week", "2026-W46"]));
    assert_eq!(other.len(), 3);
    assert!(other.iter().all(|o| !five.contains(o)));

    let output = history
        .cmd()
        .args(["sample", "--week", "2026-47"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("YYYY-Www"));
    history
        .cmd()
        .args(["sample", "--size", "0"])
        .assert()
        .code(2);
}

#[test]
fn the_sample_markdown_is_a_review_checklist() {
    let history = sampling_history();
    let output = history
        .cmd()
        .args(["sample", "--size", "2"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("# Review sample — 2026-W47 (2026-11-16 to 2026-11-22)\n"));
    assert!(text.contains("2 of 7 handoffs merged in 2026-W47"));
    assert_eq!(
        text.matches("- [ ] Expectations are in the customer's own words")
            .count(),
        2
    );
    assert_eq!(
        text.matches("- [ ] Every action item has an owner and a due date")
            .count(),
        2
    );
    assert_eq!(
        text.matches("- Score: **100** (threshold 70, passes); at merge: 100")
            .count(),
        2
    );
    assert!(text.contains("- Landed in `"));
    let empty = history
        .cmd()
        .args(["sample", "--week", "2026-W30"])
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&empty.stdout).contains("No handoff merged in 2026-W30"));
}

#[test]
fn reviews_are_recorded_marked_in_the_sample_and_counted_in_metrics() {
    let history = sampling_history();
    let first = sampled(&history.json(&["sample", "--format", "json", "--size", "1"]));
    let (path, _) = &first[0];
    let output = history
        .cmd()
        .args([
            "review",
            path,
            "--reviewer",
            "Dana",
            "--verdict",
            "needs-work",
            "--note",
            "No owner on the second action",
            "--week",
            "2026-W47",
        ])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!(
            "recorded: {path} — needs-work by Dana (2026-W47) in reviews/2026-W47.yaml"
        )),
        "{stdout}"
    );
    let file: Value = serde_norway::from_str(
        &std::fs::read_to_string(history.path().join("reviews/2026-W47.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(file["week"], "2026-W47");
    let review = &file["reviews"][0];
    assert_eq!(review["path"], path.as_str());
    assert_eq!(review["reviewer"], "Dana");
    assert_eq!(review["verdict"], "needs-work");
    assert_eq!(review["note"], "No owner on the second action");
    assert_eq!(review["week"], "2026-W47");
    let at: jiff::Timestamp = review["reviewed_at"]
        .as_str()
        .unwrap()
        .parse()
        .expect("RFC 3339");
    assert!((jiff::Timestamp::now().as_second() - at.as_second()).abs() < 300);

    let sample = history.json(&["sample", "--format", "json", "--size", "2"]);
    assert_eq!(sample["handoffs"][0]["reviewed"], true);
    assert_eq!(sample["handoffs"][0]["reviews"][0]["reviewer"], "Dana");
    assert_eq!(sample["handoffs"][1]["reviewed"], false);
    let markdown = history
        .cmd()
        .args(["sample", "--size", "2"])
        .output()
        .unwrap();
    let markdown = String::from_utf8(markdown.stdout).unwrap();
    assert_eq!(markdown.matches("✅ reviewed").count(), 1);
    assert!(markdown.contains("- Reviewed by Dana (needs-work, "));

    let metrics = metrics(&history, &[]);
    assert_eq!(
        metrics["summary"]["by_week"]["2026-W47"]["reviews"],
        json!({"sampled": 5, "reviewed": 1})
    );
    assert_eq!(
        metrics["summary"]["by_week"]["2026-W46"]["reviews"],
        json!({"sampled": 3, "reviewed": 0})
    );
}

#[test]
fn concurrent_reviews_all_land() {
    let history = sampling_history();
    let binary = assert_cmd::cargo::cargo_bin("handoff");
    let children: Vec<_> = (0..8)
        .map(|i| {
            Process::new(&binary)
                .current_dir(history.path())
                .args([
                    "review",
                    &format!("handoffs/sales-cs/h{:02}.yaml", i + 1),
                    "--reviewer",
                    &format!("Reviewer {i}"),
                    "--verdict",
                    "ok",
                    "--week",
                    "2026-W47",
                ])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let file: Value = serde_norway::from_str(
        &std::fs::read_to_string(history.path().join("reviews/2026-W47.yaml")).unwrap(),
    )
    .unwrap();
    let mut reviewers: Vec<&str> = file["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reviewer"].as_str().unwrap())
        .collect();
    reviewers.sort();
    assert_eq!(
        reviewers,
        (0..8).map(|i| format!("Reviewer {i}")).collect::<Vec<_>>()
    );
    // The lock file stays out of commits.
    assert_eq!(
        std::fs::read_to_string(history.path().join("reviews/.gitignore")).unwrap(),
        "# Lock files of `handoff review`.\n.*.lock\n"
    );
}

#[test]
fn review_refuses_what_is_not_a_handoff() {
    let history = sampling_history();
    let run = |args: &[&str]| {
        let output = history.cmd().args(args).output().unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    };
    let (code, stderr) = run(&[
        "review",
        "handoffs/nope.yaml",
        "--reviewer",
        "Dana",
        "--verdict",
        "ok",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("handoffs/nope.yaml: no such file"),
        "{stderr}"
    );
    let (code, stderr) = run(&[
        "review",
        "README.md",
        "--reviewer",
        "Dana",
        "--verdict",
        "ok",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("README.md: not a handoff; give a .yaml file inside handoffs/"),
        "{stderr}"
    );
    let (code, stderr) = run(&[
        "review",
        "handoffs/sales-cs/h01.yaml",
        "--reviewer",
        " ",
        "--verdict",
        "ok",
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--reviewer is empty"), "{stderr}");
    let (code, _) = run(&[
        "review",
        "handoffs/sales-cs/h01.yaml",
        "--reviewer",
        "Dana",
        "--verdict",
        "fine",
    ]);
    assert_eq!(code, Some(2));
    assert!(
        !history.path().join("reviews").exists(),
        "nothing written on a refusal"
    );
    // A malformed reviews file is named, with its line.
    std::fs::create_dir_all(history.path().join("reviews")).unwrap();
    std::fs::write(
        history.path().join("reviews/2026-W47.yaml"),
        "week: 2026-W47\nreviews:\n  - {path: a, reviewr: Dana}\n",
    )
    .unwrap();
    let (code, stderr) = run(&["sample"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("reviews/2026-W47.yaml: line 3"), "{stderr}");
}

#[test]
fn a_handoff_repository_in_a_subfolder_with_its_own_handoffs_dir() {
    let history = GitRepo::new();
    let yaml = sales_cs("Jane Doe", "submitted", "2026-11-01", "Acme");
    history.commit(
        "2026-11-02T00:00:00Z",
        "Ops handoffs",
        &[
            ("ops/handoff.toml", Some("handoffs_dir = \"deals\"\n")),
            ("ops/deals/acme.yaml", Some(&yaml)),
            ("ops/deals/notes.txt", Some("not a handoff\n")),
            ("ops/deals/.drafts/hidden.yaml", Some(&yaml)),
            ("handoffs/elsewhere.yaml", Some(&yaml)),
        ],
    );
    let output = history
        .cmd()
        .current_dir(history.path().join("ops"))
        .args(["metrics", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(paths(&report), ["deals/acme.yaml"]);
    assert_eq!(report["handoffs"][0]["time_to_handoff_days"], 1.0);
}

/// Ratings, rejections, reassignments and review times (issue 14 §4), worked out by hand:
/// - `acme` lands through a merge: its branch's first commit touching it is 2026-11-02T09:00Z,
///   the merge 2026-11-04T21:00Z → time_in_review_days 2.5. It is reassigned Sam Lee → Aisha
///   Okafor (11-05) and accepted by her with rating 4 (11-06).
/// - `beta` is committed straight to main (no review time), rejected (11-05), resubmitted to
///   another receiver (11-07: one reassignment Sam Lee → Lukas Novak), then accepted with
///   rating 5 (11-08).
/// - `gamma` lands through a merge whose branch touched it first 2026-11-03T00:00Z, merge
///   2026-11-05T06:00Z → 2.25 days; it stays submitted, never rated.
#[test]
fn ratings_rejections_reassignments_and_review_times_are_exact() {
    let history = GitRepo::new();
    let acme = "handoffs/sales-cs/acme.yaml";
    let beta = "handoffs/sales-cs/beta.yaml";
    let gamma = "handoffs/sales-cs/gamma.yaml";
    let submitted = sales_cs("Jane Doe", "submitted", "2026-10-30", "Acme");
    let to = |yaml: &str, name: &str| {
        yaml.replacen("to: {name: Sam Lee,", &format!("to: {{name: {name},"), 1)
    };
    let answered = |yaml: &str, status: &str, extra: &str| {
        yaml.replacen(
            "status: submitted",
            &format!("status: {status}\n{extra}"),
            1,
        )
    };
    history.commit(
        "2026-11-01T08:00:00Z",
        "Start",
        &[("README.md", Some("x\n"))],
    );

    history.branch("handoff/acme");
    history.commit(
        "2026-11-02T09:00:00Z",
        "Draft acme",
        &[(
            acme,
            Some(&submitted.replacen("status: submitted", "status: draft", 1)),
        )],
    );
    let acme_tip = history.commit(
        "2026-11-03T09:00:00Z",
        "Submit acme",
        &[(acme, Some(&submitted))],
    );
    history.checkout("main");
    history.merge_as(
        ("Dev Eloper", "dev@example.com"),
        "2026-11-04T21:00:00Z",
        "Merge handoff/acme",
        &[(acme, Some(&submitted))],
        acme_tip,
    );

    history.branch("handoff/gamma");
    let gamma_tip = history.commit(
        "2026-11-03T00:00:00Z",
        "gamma",
        &[(gamma, Some(&submitted))],
    );
    history.checkout("main");
    history.merge_as(
        ("Dev Eloper", "dev@example.com"),
        "2026-11-05T06:00:00Z",
        "Merge handoff/gamma",
        &[(gamma, Some(&submitted))],
        gamma_tip,
    );

    history.commit("2026-11-04T22:00:00Z", "beta", &[(beta, Some(&submitted))]);
    let acme_aisha = to(&submitted, "Aisha Okafor");
    history.commit(
        "2026-11-05T10:00:00Z",
        "Reassign acme",
        &[
            (acme, Some(&acme_aisha)),
            (
                beta,
                Some(&answered(
                    &submitted,
                    "rejected",
                    "rejection: {by: Sam Lee, reason: No go-live date}",
                )),
            ),
        ],
    );
    history.commit(
        "2026-11-06T10:00:00Z",
        "Accept acme",
        &[(
            acme,
            Some(&answered(
                &acme_aisha,
                "accepted",
                "accepted_by: Aisha Okafor\nfeedback: {rating: 4, note: Good}",
            )),
        )],
    );
    let beta_lukas = to(&submitted, "Lukas Novak");
    history.commit(
        "2026-11-07T10:00:00Z",
        "Resubmit beta",
        &[(beta, Some(&beta_lukas))],
    );
    history.commit(
        "2026-11-08T10:00:00Z",
        "Accept beta",
        &[(
            beta,
            Some(&answered(
                &beta_lukas,
                "accepted",
                "accepted_by: Lukas Novak\nfeedback:\n  rating: 5\n",
            )),
        )],
    );

    let report = metrics(&history, &[]);
    let a = handoff(&report, acme);
    assert_eq!(a["rating"], json!(4));
    assert_eq!(a["rejected"], json!(false));
    assert_eq!(a["reassigned"], json!(1));
    assert_eq!(
        a["reassignments"],
        json!([{"from": "Sam Lee", "to": "Aisha Okafor", "at": "2026-11-05T10:00:00Z"}])
    );
    assert_close(&a["time_in_review_days"], 2.5);

    let b = handoff(&report, beta);
    assert_eq!(b["rating"], json!(5));
    assert_eq!(b["rejected"], json!(true));
    assert_eq!(b["reassigned"], json!(1));
    assert_eq!(b["reassignments"][0]["to"], json!("Lukas Novak"));
    assert_eq!(b["time_in_review_days"], Value::Null);

    let g = handoff(&report, gamma);
    assert_eq!(g["rating"], Value::Null);
    assert_eq!(g["rejected"], json!(false));
    assert_eq!(g["reassigned"], json!(0));
    assert_close(&g["time_in_review_days"], 2.25);

    let summary = &report["summary"];
    assert_close(&summary["median_rating"], 4.5);
    assert_close(&summary["mean_rating"], 4.5);
    assert_eq!(summary["rejected"], json!(1));
    assert_eq!(summary["reassigned"], json!(2));
    assert_close(&summary["median_time_in_review_days"], 2.375);
    let jane = &summary["by_author"]["Jane Doe"];
    assert_close(&jane["median_rating"], 4.5);
    assert_eq!(jane["rejected"], json!(1));
    assert_eq!(jane["reassigned"], json!(2));
    let sales_cs = &summary["by_type"]["sales-cs"];
    assert_close(&sales_cs["mean_rating"], 4.5);
    // acme merged 11-04 (2026-W45), gamma 11-05 and beta 11-04: all in W45.
    let week = &summary["by_week"]["2026-W45"];
    assert_eq!(week["count"], json!(3));
    assert_eq!(week["rejected"], json!(1));
    assert_eq!(week["reassigned"], json!(2));

    let output = history
        .cmd()
        .args(["metrics", "--format", "csv"])
        .output()
        .unwrap();
    let csv = String::from_utf8(output.stdout).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(",rating,rejected,reassigned,reassignments,time_in_review_days,qualified"),
        "{header}"
    );
    let acme_row = csv.lines().find(|l| l.starts_with(acme)).unwrap();
    assert!(
        acme_row.ends_with(",4,false,1,Sam Lee → Aisha Okafor,2.5,"),
        "{acme_row}"
    );
    let gamma_row = csv.lines().find(|l| l.starts_with(gamma)).unwrap();
    assert!(gamma_row.ends_with(",,false,0,,2.25,"), "{gamma_row}");

    let output = history.cmd().args(["metrics"]).output().unwrap();
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.contains("Rating                   median 4.5, mean 4.5 (feedback.rating, 1-5)"),
        "{table}"
    );
    assert!(
        table.contains("Rejected                 1 (sent back at least once)"),
        "{table}"
    );
    assert!(
        table.contains("Reassigned               2 (to.name changed after merging)"),
        "{table}"
    );
    assert!(table.contains("Median time in review    2.38 d"), "{table}");
    assert!(
        table.contains("handoffs/sales-cs/acme.yaml  Sam Lee → Aisha Okafor  2026-11-05"),
        "{table}"
    );

    let output = history
        .cmd()
        .args(["metrics", "--format", "html"])
        .output()
        .unwrap();
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(
        html.contains("<th>Mean rating</th>") || html.contains("Mean rating"),
        "html"
    );
    assert!(html.contains("median rating"), "html");
}
