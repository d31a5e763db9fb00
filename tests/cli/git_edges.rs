//! Git edge cases for the commands that read history — `metrics --format json`, `sample
//! --format json` and `lint --changed-since` — on repositories built by code with pinned
//! dates: git2 where it can make the state, the `git` CLI where it cannot (shallow clones,
//! submodules). Each case ends in numbers or a message naming what is wrong and what to do,
//! with the SPEC's exit code; every run has a time limit, so a hang fails instead of blocking.

use git2::{FileMode, Oid};
use serde_json::{json, Value};

use crate::util::{git_in, run_in, spec_sales_cs, GitRepo};

/// The SPEC's sales-cs example (score 100, trigger 2026-10-30, by Jane Doe).
fn acme() -> String {
    spec_sales_cs()
}

/// The same handoff, accepted by its receiver.
fn acme_accepted() -> String {
    spec_sales_cs()
        .replacen("status: submitted", "status: accepted", 1)
        .replacen(
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\n",
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\naccepted_by: Sam Lee\n",
            1,
        )
}

/// The example without a go-live date: scores 88.
fn acme_88() -> String {
    spec_sales_cs().replacen("go_live: 2027-01-15", "go_live:", 1)
}

const ACME: &str = "handoffs/sales-cs/acme.yaml";
const BOLT: &str = "handoffs/sales-cs/bolt.yaml";

fn paths(report: &Value) -> Vec<&str> {
    report["handoffs"]
        .as_array()
        .expect("handoffs")
        .iter()
        .map(|h| h["path"].as_str().expect("path"))
        .collect()
}

fn lint_paths(report: &Value) -> Vec<&str> {
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path"))
        .collect()
}

#[test]
fn an_unborn_branch_has_zero_counts_and_changed_since_says_head_has_no_commit() {
    let git = GitRepo::new();
    // Files in the work tree are not history.
    git.write(ACME, acme());
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["commit"], Value::Null);
    assert_eq!(metrics["handoffs"], json!([]));
    assert_eq!(metrics["summary"]["count"], 0);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(
        (
            &sample["commit"],
            &sample["population"],
            &sample["handoffs"]
        ),
        (&Value::Null, &json!(0), &json!([]))
    );
    let run = git.run(&["lint", "--changed-since", "main"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("HEAD (branch `main`) has no commit yet, so nothing can have changed since main; commit first"),
        "{}",
        run.stderr
    );

    // `git checkout --orphan fresh` (or a bare repository whose HEAD names `master` while only
    // `main` was pushed): HEAD names a branch that does not exist in a repository that has
    // history. Zero counts would read as "no handoffs": it is said instead.
    git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    git.git.set_head("refs/heads/fresh").unwrap();
    for args in [
        &["metrics", "--format", "json"][..],
        &["sample", "--format", "json", "--week", "2026-W45"],
    ] {
        let run = git.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains(
                "HEAD names the branch `fresh`, which does not exist (no commit has been made \
                 on it), while the repository has the branch `main`"
            ),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("or pass --ref main"), "{}", run.stderr);
    }
    let on_main = git.json(&["metrics", "--format", "json", "--ref", "main"]);
    assert_eq!(paths(&on_main), [ACME]);
    let run = git.run(&["lint", "--changed-since", "main"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "HEAD names the branch `fresh`, which does not exist (no commit has been made on it), \
             while the repository has the branch `main`, so nothing can have changed since main \
             on it; check out a branch that exists (`git checkout main`)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_detached_head_is_measured_and_changed_since_works() {
    let git = GitRepo::new();
    let first = git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    git.commit("2026-11-03T09:00:00Z", "Bolt", &[(BOLT, Some(&acme()))]);
    git.git.set_head_detached(first).unwrap();
    git.git
        .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
        .unwrap();

    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["commit"], first.to_string());
    assert_eq!(metrics["as_of"], "2026-11-02T09:00:00Z");
    assert_eq!(paths(&metrics), [ACME]);
    // 2026-11-02 09:00 − 2026-10-30 00:00 = 3.375 days.
    assert_eq!(metrics["handoffs"][0]["time_to_handoff_days"], 3.375);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(sample["commit"], first.to_string());
    assert_eq!(sample["population"], 1);

    // The merge base of main and the detached HEAD is HEAD itself; the edit is what changed.
    git.write(ACME, acme_88());
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(lint_paths(&report), [ACME]);
    assert_eq!(report["files"][0]["score"], 88);
    assert_eq!(report["files"][0]["change"], "modified");
    assert_eq!(report["files"][0]["base"]["score"], 100);
    assert_eq!(
        report["changed_since"]["merge_base"],
        first.to_string()[..7]
    );
}

#[test]
fn a_shallow_clone_is_refused_with_the_fix_by_metrics_sample_and_changed_since() {
    let source = GitRepo::new();
    source.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    source.branch("feature");
    source.commit("2026-11-03T09:00:00Z", "Bolt", &[(BOLT, Some(&acme()))]);
    source.checkout("main");
    source.commit(
        "2026-11-04T09:00:00Z",
        "Docs",
        &[("README.md", Some("hi\n"))],
    );
    let clones = tempfile::tempdir().unwrap();
    let url = format!("file://{}", source.path().display());
    git_in(
        clones.path(),
        &[
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-single-branch",
            &url,
            "shallow",
        ],
        "2026-11-05T09:00:00Z",
    );
    let clone = clones.path().join("shallow");
    for command in ["metrics", "sample"] {
        let run = run_in(&clone, &[command, "--format", "json"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains("this is a shallow clone"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr.contains("git fetch --unshallow"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    }
    // The branch and main each have one commit here: their merge base is not in the clone.
    git_in(
        &clone,
        &["checkout", "--quiet", "feature"],
        "2026-11-05T09:00:00Z",
    );
    let run = run_in(&clone, &["lint", "--changed-since", "origin/main"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "this clone is shallow, so the merge base of origin/main and HEAD is not in it"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}

#[test]
fn a_missing_object_is_named_with_the_handoff_it_belongs_to() {
    let git = GitRepo::new();
    let landed = git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    git.commit(
        "2026-11-04T09:00:00Z",
        "Accept",
        &[(ACME, Some(&acme_accepted()))],
    );
    // The version that landed is gone from the object store.
    let blob = git.blob_at(landed, ACME);
    std::fs::remove_file(git.object_file(blob)).unwrap();
    for args in [
        &["metrics", "--format", "json"][..],
        &["sample", "--format", "json", "--week", "2026-W45"],
    ] {
        let command = args[0];
        let run = git.run(args);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(
            run.stderr.contains(&format!(
                "cannot read a version of {ACME} (git object {blob}) from the history"
            )),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("`git fsck`"), "{}", run.stderr);
    }

    // --changed-since reads the version at the merge base.
    let git = GitRepo::new();
    let base = git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    git.branch("feature");
    git.commit("2026-11-03T09:00:00Z", "Edit", &[(ACME, Some(&acme_88()))]);
    let blob = git.blob_at(base, ACME);
    std::fs::remove_file(git.object_file(blob)).unwrap();
    let run = git.run(&["lint", "--changed-since", "main"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "{ACME}: cannot read its version at the merge base (git object {blob})"
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`git fsck`"), "{}", run.stderr);
}

#[test]
fn a_truncated_object_is_named_instead_of_hanging() {
    let git = GitRepo::new();
    git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    let head = git.commit(
        "2026-11-04T09:00:00Z",
        "Accept",
        &[(ACME, Some(&acme_accepted()))],
    );
    git.branch("feature");
    git.commit("2026-11-05T09:00:00Z", "Bolt", &[(BOLT, Some(&acme()))]);
    // Cut the current version's object file in half: its header survives, its data does not.
    let blob = git.blob_at(head, ACME);
    let file = git.object_file(blob);
    let bytes = std::fs::read(&file).unwrap();
    std::fs::remove_file(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let expected = format!(
        "the git object {blob} (blob {ACME} at HEAD) is damaged: its file ends before its \
         compressed data does (truncated) ({})",
        file.display()
    );
    for args in [
        &["metrics", "--format", "json"][..],
        &["sample", "--format", "json"],
    ] {
        let run = git.run(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert_eq!(run.stdout, "");
        assert!(run.stderr.contains(&expected), "{}", run.stderr);
        assert!(
            run.stderr.contains("Run `git fsck` to see all the damage"),
            "{}",
            run.stderr
        );
    }
    // `--changed-since` checks only what it reads: the damaged version is not among them
    // until the file is edited, and then it is the version at the merge base.
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    git.write(ACME, acme_88());
    let run = git.run(&["lint", "--changed-since", "main"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(&format!(
            "the git object {blob} (blob {ACME} at the merge base) is damaged: its file ends \
             before its compressed data does (truncated) ({})",
            file.display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("Run `git fsck` to see all the damage"),
        "{}",
        run.stderr
    );
}

#[test]
fn submodule_entries_inside_the_handoffs_folder_are_ignored() {
    // Trees made by hand: a gitlink named like a handoff, and a handoff that becomes a
    // gitlink and then a file again (a new handoff: the old one was deleted).
    let git = GitRepo::new();
    let (one, two, three) = (
        Oid::from_str(&"1".repeat(40)).unwrap(),
        Oid::from_str(&"2".repeat(40)).unwrap(),
        Oid::from_str(&"3".repeat(40)).unwrap(),
    );
    let acme_blob = git.blob(acme());
    let vendor = "handoffs/vendor.yaml";
    let tree = git.tree(&[
        (ACME, acme_blob, FileMode::Blob),
        (vendor, one, FileMode::Commit),
    ]);
    git.commit_tree("2026-11-02T09:00:00Z", "Acme and a submodule", tree);
    let tree = git.tree(&[
        (ACME, two, FileMode::Commit),
        (vendor, three, FileMode::Commit),
    ]);
    git.commit_tree("2026-11-03T09:00:00Z", "Acme becomes a submodule", tree);
    let accepted = git.blob(acme_accepted());
    let tree = git.tree(&[
        (ACME, accepted, FileMode::Blob),
        (vendor, three, FileMode::Commit),
    ]);
    let back = git.commit_tree("2026-11-04T09:00:00Z", "Acme is a file again", tree);
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(paths(&metrics), [ACME]);
    let record = &metrics["handoffs"][0];
    assert_eq!(record["merged_commit"], back.to_string());
    assert_eq!(record["merged_at"], "2026-11-04T09:00:00Z");
    assert_eq!(record["revisions"], 1);
    assert_eq!(record["accepted_at"], "2026-11-04T09:00:00Z");
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(sample["population"], 1);

    // A real submodule (`git submodule add`) named like a handoff, moved on a branch.
    let library = GitRepo::new();
    library.commit(
        "2026-11-01T09:00:00Z",
        "Library",
        &[("a.yaml", Some("not: a handoff\n"))],
    );
    let git = GitRepo::new();
    git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    let url = library.path().display().to_string();
    git.git_cli(
        &["submodule", "add", "--quiet", &url, vendor],
        "2026-11-02T10:00:00Z",
    );
    git.git_cli(
        &["commit", "--quiet", "-m", "Vendor"],
        "2026-11-02T10:00:00Z",
    );
    git.git_cli(
        &["checkout", "--quiet", "-b", "feature"],
        "2026-11-03T09:00:00Z",
    );
    let checkout = git.path().join(vendor);
    std::fs::write(checkout.join("b.yaml"), "also: not a handoff\n").unwrap();
    git_in(&checkout, &["add", "b.yaml"], "2026-11-03T09:00:00Z");
    git_in(
        &checkout,
        &["commit", "--quiet", "-m", "More"],
        "2026-11-03T09:00:00Z",
    );
    git.git_cli(&["add", vendor], "2026-11-03T09:00:00Z");
    git.git_cli(&["commit", "--quiet", "-m", "Bump"], "2026-11-03T09:00:00Z");
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["files"], json!([]));
    // A handoff edited beside it is still linted.
    git.write(ACME, acme_88());
    let report: Value = serde_json::from_str(
        &git.run(&["lint", "--changed-since", "main", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(lint_paths(&report), [ACME]);
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(paths(&metrics), [ACME]);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(sample["population"], 1);
}

#[test]
fn large_files_in_history_are_not_read_past_the_size_cap() {
    let git = GitRepo::new();
    git.commit("2026-11-02T09:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    // A 20 MB deck (not a handoff: never read) and a 5 MB handoff over the 1 MiB cap.
    let deck: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut big = acme();
    while big.len() < 5 * 1024 * 1024 {
        big.push_str("# padding: a deck pasted into the handoff by mistake\n");
    }
    let big_path = "handoffs/sales-cs/big.yaml";
    git.commit_bytes(
        "2026-11-03T09:00:00Z",
        "Attachments",
        &[
            ("handoffs/deck.pdf", Some(&deck)),
            (big_path, Some(big.as_bytes())),
        ],
    );
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(paths(&metrics), [ACME, big_path]);
    assert_eq!(metrics["handoffs"][0]["note"], Value::Null);
    let record = &metrics["handoffs"][1];
    assert_eq!(
        record["note"],
        format!(
            "not scored (score 0): the file is {} bytes, over the 1048576-byte limit",
            big.len()
        )
    );
    assert_eq!(
        (
            &record["score"],
            &record["score_at_merge"],
            &record["passed"],
            &record["type"]
        ),
        (&json!(0), &json!(0), &json!(false), &Value::Null)
    );
    assert_eq!(record["below_threshold_at_merge"], true);
    assert_eq!(metrics["summary"]["below_threshold_at_merge"], 1);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(sample["population"], 2);

    // On a branch that edits it, lint reports the cap now and scores 0 at the merge base.
    git.branch("feature");
    big.push_str("# one more line\n");
    git.commit("2026-11-04T09:00:00Z", "Edit", &[(big_path, Some(&big))]);
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(lint_paths(&report), [big_path]);
    let file = &report["files"][0];
    assert_eq!(
        file["diagnostics"][0]["message"],
        format!(
            "the file is {} bytes, over the 1048576-byte limit",
            big.len()
        )
    );
    assert_eq!(file["change"], "modified");
    assert_eq!(file["base"]["score"], 0);
    assert_eq!(file["base"]["valid"], false);
}

#[test]
fn a_handoff_deleted_and_added_again_is_sampled_as_a_new_one() {
    let git = GitRepo::new();
    git.commit("2026-11-03T10:00:00Z", "Acme", &[(ACME, Some(&acme()))]);
    git.commit("2026-11-10T10:00:00Z", "Drop Acme", &[(ACME, None)]);
    let again = git.commit(
        "2026-11-17T10:00:00Z",
        "Acme again",
        &[(ACME, Some(&acme_accepted()))],
    );
    git.commit(
        "2026-11-25T10:00:00Z",
        "Docs",
        &[("README.md", Some("x\n"))],
    );
    let first_week = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(first_week["population"], 0);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W47"]);
    assert_eq!(sample["population"], 1);
    assert_eq!(sample["handoffs"][0]["merged_commit"], again.to_string());
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["handoffs"][0]["merged_at"], "2026-11-17T10:00:00Z");
    assert_eq!(metrics["handoffs"][0]["revisions"], 1);
}

#[test]
fn a_case_only_rename_is_the_same_handoff_with_its_history() {
    let old = "handoffs/sales-cs/Acme.yaml";
    let git = GitRepo::new();
    let landed = git.commit("2026-11-02T09:00:00Z", "Acme", &[(old, Some(&acme()))]);
    git.branch("feature");
    git.checkout("main");
    // Made as trees, so the file system's case rules do not matter.
    let blob = git.blob(acme());
    let tree = git.tree(&[(ACME, blob, FileMode::Blob)]);
    git.commit_tree("2026-11-04T09:00:00Z", "Lower case", tree);
    let accepted = git.blob(acme_accepted());
    let tree = git.tree(&[(ACME, accepted, FileMode::Blob)]);
    git.commit_tree("2026-11-06T09:00:00Z", "Accept", tree);

    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(paths(&metrics), [ACME]);
    let record = &metrics["handoffs"][0];
    assert_eq!(record["merged_commit"], landed.to_string());
    assert_eq!(record["merged_at"], "2026-11-02T09:00:00Z");
    // Added, renamed, accepted.
    assert_eq!(record["revisions"], 3);
    assert_eq!(record["accepted_at"], "2026-11-06T09:00:00Z");
    assert_eq!(record["time_to_accept_days"], 4.0);
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(sample["handoffs"][0]["path"], ACME);

    // --changed-since sees the rename on a branch.
    git.checkout("feature");
    git.commit(
        "2026-11-03T09:00:00Z",
        "Lower case",
        &[(old, None), (ACME, Some(&acme()))],
    );
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(lint_paths(&report), [ACME]);
    assert_eq!(report["files"][0]["change"], "renamed");
    assert_eq!(report["files"][0]["base"]["path"], old);
}

#[test]
fn dates_before_1970_and_far_in_the_future_are_measured() {
    let git = GitRepo::new();
    let dev = b"Dev Eloper";
    // 1967-04-07: 1,000 days before 1970. The trigger (2026-10-30) is day 20,756, so
    // time_to_handoff_days = −1,000 − 20,756.
    git.commit_raw(dev, -86_400_000, "Acme", &[(ACME, Some(&acme()))]);
    let metrics = git.json(&["metrics", "--format", "json"]);
    let record = &metrics["handoffs"][0];
    assert_eq!(record["merged_at"], "1967-04-07T00:00:00Z");
    assert_eq!(record["time_to_handoff_days"], -21756.0);
    assert_eq!(metrics["summary"]["median_time_to_handoff_days"], -21756.0);
    assert_eq!(metrics["as_of"], "1967-04-07T00:00:00Z");
    let weeks: Vec<&String> = metrics["summary"]["by_week"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(weeks, ["1967-W14"]);
    let sample = git.json(&["sample", "--format", "json", "--week", "1967-W14"]);
    assert_eq!(sample["population"], 1);
    for format in ["table", "csv", "html"] {
        git.cmd()
            .args(["metrics", "--format", format])
            .assert()
            .code(0);
    }

    // 2200-01-01 is day 84,006: 84,006 − 20,756 days after the trigger. As of then, the 1967
    // handoff is long stale.
    git.commit_raw(dev, 7_258_118_400, "Bolt", &[(BOLT, Some(&acme()))]);
    let metrics = git.json(&["metrics", "--format", "json"]);
    let bolt = &metrics["handoffs"][1];
    assert_eq!(bolt["merged_at"], "2200-01-01T00:00:00Z");
    assert_eq!(bolt["time_to_handoff_days"], 63250.0);
    assert_eq!(bolt["stale"], false);
    assert_eq!(metrics["handoffs"][0]["stale"], true);
    assert_eq!(metrics["summary"]["stale"], 1);
    let sample = git.json(&["sample", "--format", "json", "--week", "2200-W01"]);
    assert_eq!(sample["population"], 1);

    // git2's largest time on a commit that touches no handoff does not matter...
    git.commit_raw(dev, i64::MAX, "Docs", &[("README.md", Some("x\n"))]);
    git.commit_raw(dev, 7_258_204_800, "Docs", &[("README.md", Some("y\n"))]);
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["summary"]["count"], 2);
    git.branch("feature");
    git.commit_raw(dev, 7_258_204_900, "Edit", &[(ACME, Some(&acme_88()))]);
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    git.checkout("main");

    // ...on one that adds a handoff, it cannot be placed in time: said plainly.
    let broken = git.commit_raw(
        dev,
        i64::MAX,
        "Cobalt",
        &[("handoffs/cobalt.yaml", Some(&acme()))],
    );
    git.commit_raw(dev, 7_258_291_200, "Docs", &[("README.md", Some("z\n"))]);
    for command in ["metrics", "sample"] {
        let run = git.run(&[command, "--format", "json"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "commit {broken} is dated 9223372036854775807 seconds from 1970, outside the \
                 years -9999 to 9999"
            )),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn non_utf8_author_names_are_shown_lossily() {
    let git = GitRepo::new();
    // git2's Signature takes &str: the commit is written from bytes (a Latin-1 name).
    git.commit_raw(
        b"J\xe9r\xf4me Latin",
        "2026-11-01T00:00:00Z",
        "Add Acme",
        &[(ACME, Some(&acme()))],
    );
    let metrics = git.json(&["metrics", "--format", "json"]);
    let record = &metrics["handoffs"][0];
    assert_eq!(record["merged_by"], "J\u{FFFD}r\u{FFFD}me Latin");
    assert_eq!(record["merged_at"], "2026-11-01T00:00:00Z");
    assert_eq!(record["author"], "Jane Doe");
    let sample = git.json(&["sample", "--format", "json", "--week", "2026-W44"]);
    assert_eq!(
        sample["handoffs"][0]["merged_by"],
        "J\u{FFFD}r\u{FFFD}me Latin"
    );
    for format in ["table", "csv", "html"] {
        git.cmd()
            .args(["metrics", "--format", format])
            .assert()
            .code(0);
    }
    git.branch("feature");
    git.commit("2026-11-02T09:00:00Z", "Edit", &[(ACME, Some(&acme_88()))]);
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // .mailmap still maps the identity (by its e-mail) to a readable name.
    git.checkout("main");
    git.commit(
        "2026-11-03T09:00:00Z",
        "Mailmap",
        &[(".mailmap", Some("Jérôme Latin <dev@example.com>\n"))],
    );
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["handoffs"][0]["merged_by"], "Jérôme Latin");
}
