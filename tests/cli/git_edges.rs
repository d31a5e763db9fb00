//! Git edge cases for the commands that read history — `metrics --format json`, `sample
//! --format json` and `lint --changed-since` — on repositories built by code with pinned
//! dates: git2 where it can make the state, the `git` CLI where it cannot (shallow clones,
//! submodules). Each case ends in numbers or a message naming what is wrong and what to do,
//! with the SPEC's exit code; every run has a time limit, so a hang fails instead of blocking.

use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use git2::{FileMode, ObjectType, Oid, Repository, Signature};
use serde_json::{json, Value};

use crate::util::spec_sales_cs;

/// A git repository in a temporary folder, committed to with pinned dates.
pub struct Git {
    dir: tempfile::TempDir,
    pub repo: Repository,
}

/// Seconds since 1970 of an RFC 3339 time.
pub fn at(when: &str) -> i64 {
    when.parse::<jiff::Timestamp>().expect("time").as_second()
}

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

#[allow(dead_code)]
impl Git {
    pub fn new() -> Git {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &options).expect("git init");
        Git { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file in the work tree (creating folders), without staging it.
    pub fn write(&self, path: &str, content: impl AsRef<[u8]>) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, content).expect("write");
    }

    /// Commits `files` (content, or `None` to delete) on HEAD at `seconds` since 1970, as
    /// Dev Eloper. git2 writes times as unsigned 32-bit numbers (libgit2's `%u`): for dates
    /// before 1970 or after 2106 use [`Git::commit_raw`].
    pub fn commit(&self, seconds: i64, message: &str, files: &[(&str, Option<&[u8]>)]) -> Oid {
        assert!((0..=u32::MAX as i64).contains(&seconds), "use commit_raw");
        let tree = self.stage(files);
        self.commit_tree(seconds, message, tree)
    }

    /// Commits `files` on HEAD with a commit object written from bytes, by `name` (any bytes)
    /// at `seconds` (any 64-bit number).
    pub fn commit_raw(
        &self,
        name: &[u8],
        seconds: i64,
        message: &str,
        files: &[(&str, Option<&[u8]>)],
    ) -> Oid {
        let tree = self.stage(files);
        let mut commit = format!("tree {tree}\n").into_bytes();
        if let Ok(head) = self.repo.head() {
            let parent = head.target().expect("head commit");
            commit.extend_from_slice(format!("parent {parent}\n").as_bytes());
        }
        for role in ["author", "committer"] {
            commit.extend_from_slice(role.as_bytes());
            commit.push(b' ');
            commit.extend_from_slice(name);
            commit.extend_from_slice(format!(" <dev@example.com> {seconds} +0000\n").as_bytes());
        }
        commit.extend_from_slice(format!("\n{message}\n").as_bytes());
        let id = self
            .repo
            .odb()
            .expect("odb")
            .write(ObjectType::Commit, &commit)
            .expect("write commit");
        let head = self.repo.find_reference("HEAD").expect("HEAD");
        let branch = head
            .symbolic_target()
            .expect("HEAD names a branch")
            .expect("HEAD names a branch")
            .to_string();
        self.repo
            .reference(&branch, id, true, message)
            .expect("move branch");
        id
    }

    /// Stages `files` (content, or `None` to delete) and returns the index's tree.
    fn stage(&self, files: &[(&str, Option<&[u8]>)]) -> Oid {
        let mut index = self.repo.index().expect("index");
        for (path, content) in files {
            match content {
                Some(content) => {
                    self.write(path, content);
                    index.add_path(Path::new(path)).expect("git add");
                }
                None => {
                    std::fs::remove_file(self.path().join(path)).expect("rm");
                    index.remove_path(Path::new(path)).expect("git rm");
                }
            }
        }
        index.write().expect("write index");
        index.write_tree().expect("write tree")
    }

    /// Commits `tree` on HEAD at `seconds` (the work tree is left alone).
    pub fn commit_tree(&self, seconds: i64, message: &str, tree: Oid) -> Oid {
        let tree = self.repo.find_tree(tree).expect("tree");
        let signature = Signature::new(
            "Dev Eloper",
            "dev@example.com",
            &git2::Time::new(seconds, 0),
        )
        .expect("signature");
        let parent = self.repo.head().ok().map(|h| h.peel_to_commit().unwrap());
        let parents: Vec<&git2::Commit> = parent.iter().collect();
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .expect("commit")
    }

    /// A tree holding `entries` (path, object, mode), folders made as needed.
    pub fn tree(&self, entries: &[(&str, Oid, FileMode)]) -> Oid {
        let mut builder = self.repo.treebuilder(None).expect("treebuilder");
        let mut folders: Vec<&str> = Vec::new();
        for (path, id, mode) in entries {
            match path.split_once('/') {
                None => {
                    builder.insert(path, *id, (*mode).into()).expect("insert");
                }
                Some((folder, _)) if !folders.contains(&folder) => folders.push(folder),
                Some(_) => {}
            }
        }
        for folder in folders {
            let inner: Vec<(&str, Oid, FileMode)> = entries
                .iter()
                .filter_map(|(path, id, mode)| {
                    path.strip_prefix(folder)
                        .and_then(|rest| rest.strip_prefix('/'))
                        .map(|rest| (rest, *id, *mode))
                })
                .collect();
            let id = self.tree(&inner);
            builder
                .insert(folder, id, FileMode::Tree.into())
                .expect("insert folder");
        }
        builder.write().expect("write tree")
    }

    pub fn blob(&self, content: &[u8]) -> Oid {
        self.repo.blob(content).expect("blob")
    }

    /// The id of the blob at `path` in `commit`.
    pub fn blob_at(&self, commit: Oid, path: &str) -> Oid {
        self.repo
            .find_commit(commit)
            .unwrap()
            .tree()
            .unwrap()
            .get_path(Path::new(path))
            .expect("path in commit")
            .id()
    }

    /// The loose object file of `id`.
    pub fn object_file(&self, id: Oid) -> PathBuf {
        let hex = id.to_string();
        self.repo
            .path()
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..])
    }

    /// Creates branch `name` at HEAD and checks it out.
    pub fn branch(&self, name: &str) {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, false).expect("branch");
        self.repo
            .set_head(&format!("refs/heads/{name}"))
            .expect("set head");
    }

    /// Checks out branch `name`, work tree included.
    pub fn checkout(&self, name: &str) {
        self.repo
            .set_head(&format!("refs/heads/{name}"))
            .expect("set head");
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .expect("checkout");
    }

    /// The `handoff` binary, run here, killed if it takes more than two minutes.
    pub fn cmd(&self) -> Command {
        handoff_in(self.path())
    }

    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs `handoff ARGS`, expecting exit 0 and JSON on standard output.
    pub fn json(&self, args: &[&str]) -> Value {
        json_in(self.path(), args)
    }

    /// Runs the `git` CLI here with a pinned identity and no user or system config.
    pub fn git(&self, args: &[&str], when: &str) {
        git_in(self.path(), args, when);
    }
}

pub fn handoff_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("handoff").expect("binary");
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(Duration::from_secs(120));
    cmd
}

pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = handoff_in(dir).args(args).output().expect("run");
    Run {
        // A run killed by the time limit has no exit code.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn json_in(dir: &Path, args: &[&str]) -> Value {
    let run = run_in(dir, args);
    assert_eq!(run.code, 0, "handoff {args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}", run.stdout))
}

pub fn git_in(dir: &Path, args: &[&str], when: &str) {
    let output = Process::new("git")
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Dev Eloper")
        .env("GIT_AUTHOR_EMAIL", "dev@example.com")
        .env("GIT_COMMITTER_NAME", "Dev Eloper")
        .env("GIT_COMMITTER_EMAIL", "dev@example.com")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .output()
        .expect("git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The SPEC's sales-cs example (score 100, trigger 2026-10-30, by Jane Doe).
fn acme() -> Vec<u8> {
    spec_sales_cs().into_bytes()
}

/// The same handoff, accepted by its receiver.
fn acme_accepted() -> Vec<u8> {
    spec_sales_cs()
        .replacen("status: submitted", "status: accepted", 1)
        .replacen(
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\n",
            "to: {name: Sam Lee, role: CSM, email: sam@example.com}\naccepted_by: Sam Lee\n",
            1,
        )
        .into_bytes()
}

/// The example without a go-live date: scores 88.
fn acme_88() -> Vec<u8> {
    spec_sales_cs()
        .replacen("go_live: 2027-01-15", "go_live:", 1)
        .into_bytes()
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
    let git = Git::new();
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
    git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    git.repo.set_head("refs/heads/fresh").unwrap();
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
    let git = Git::new();
    let first = git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    git.commit(at("2026-11-03T09:00:00Z"), "Bolt", &[(BOLT, Some(&acme()))]);
    git.repo.set_head_detached(first).unwrap();
    git.repo
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
    let source = Git::new();
    source.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    source.branch("feature");
    source.commit(at("2026-11-03T09:00:00Z"), "Bolt", &[(BOLT, Some(&acme()))]);
    source.checkout("main");
    source.commit(
        at("2026-11-04T09:00:00Z"),
        "Docs",
        &[("README.md", Some(b"hi\n"))],
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
    let git = Git::new();
    let landed = git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    git.commit(
        at("2026-11-04T09:00:00Z"),
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
    let git = Git::new();
    let base = git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    git.branch("feature");
    git.commit(
        at("2026-11-03T09:00:00Z"),
        "Edit",
        &[(ACME, Some(&acme_88()))],
    );
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
    let git = Git::new();
    git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    let head = git.commit(
        at("2026-11-04T09:00:00Z"),
        "Accept",
        &[(ACME, Some(&acme_accepted()))],
    );
    git.branch("feature");
    git.commit(at("2026-11-05T09:00:00Z"), "Bolt", &[(BOLT, Some(&acme()))]);
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
    let git = Git::new();
    let (one, two, three) = (
        Oid::from_str(&"1".repeat(40)).unwrap(),
        Oid::from_str(&"2".repeat(40)).unwrap(),
        Oid::from_str(&"3".repeat(40)).unwrap(),
    );
    let acme_blob = git.blob(&acme());
    let vendor = "handoffs/vendor.yaml";
    let tree = git.tree(&[
        (ACME, acme_blob, FileMode::Blob),
        (vendor, one, FileMode::Commit),
    ]);
    git.commit_tree(at("2026-11-02T09:00:00Z"), "Acme and a submodule", tree);
    let tree = git.tree(&[
        (ACME, two, FileMode::Commit),
        (vendor, three, FileMode::Commit),
    ]);
    git.commit_tree(at("2026-11-03T09:00:00Z"), "Acme becomes a submodule", tree);
    let accepted = git.blob(&acme_accepted());
    let tree = git.tree(&[
        (ACME, accepted, FileMode::Blob),
        (vendor, three, FileMode::Commit),
    ]);
    let back = git.commit_tree(at("2026-11-04T09:00:00Z"), "Acme is a file again", tree);
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
    let library = Git::new();
    library.commit(
        at("2026-11-01T09:00:00Z"),
        "Library",
        &[("a.yaml", Some(b"not: a handoff\n"))],
    );
    let git = Git::new();
    git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    let url = library.path().display().to_string();
    git.git(
        &["submodule", "add", "--quiet", &url, vendor],
        "2026-11-02T10:00:00Z",
    );
    git.git(
        &["commit", "--quiet", "-m", "Vendor"],
        "2026-11-02T10:00:00Z",
    );
    git.git(
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
    git.git(&["add", vendor], "2026-11-03T09:00:00Z");
    git.git(&["commit", "--quiet", "-m", "Bump"], "2026-11-03T09:00:00Z");
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
    let git = Git::new();
    git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    // A 20 MB deck (not a handoff: never read) and a 5 MB handoff over the 1 MiB cap.
    let deck: Vec<u8> = (0..20_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut big = acme();
    while big.len() < 5 * 1024 * 1024 {
        big.extend_from_slice(b"# padding: a deck pasted into the handoff by mistake\n");
    }
    let big_path = "handoffs/sales-cs/big.yaml";
    git.commit(
        at("2026-11-03T09:00:00Z"),
        "Attachments",
        &[("handoffs/deck.pdf", Some(&deck)), (big_path, Some(&big))],
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
    big.extend_from_slice(b"# one more line\n");
    git.commit(
        at("2026-11-04T09:00:00Z"),
        "Edit",
        &[(big_path, Some(&big))],
    );
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
    let git = Git::new();
    git.commit(at("2026-11-03T10:00:00Z"), "Acme", &[(ACME, Some(&acme()))]);
    git.commit(at("2026-11-10T10:00:00Z"), "Drop Acme", &[(ACME, None)]);
    let again = git.commit(
        at("2026-11-17T10:00:00Z"),
        "Acme again",
        &[(ACME, Some(&acme_accepted()))],
    );
    git.commit(
        at("2026-11-25T10:00:00Z"),
        "Docs",
        &[("README.md", Some(b"x\n"))],
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
    let git = Git::new();
    let landed = git.commit(at("2026-11-02T09:00:00Z"), "Acme", &[(old, Some(&acme()))]);
    git.branch("feature");
    git.checkout("main");
    // Made as trees, so the file system's case rules do not matter.
    let blob = git.blob(&acme());
    let tree = git.tree(&[(ACME, blob, FileMode::Blob)]);
    git.commit_tree(at("2026-11-04T09:00:00Z"), "Lower case", tree);
    let accepted = git.blob(&acme_accepted());
    let tree = git.tree(&[(ACME, accepted, FileMode::Blob)]);
    git.commit_tree(at("2026-11-06T09:00:00Z"), "Accept", tree);

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
        at("2026-11-03T09:00:00Z"),
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
    let git = Git::new();
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
    git.commit_raw(dev, i64::MAX, "Docs", &[("README.md", Some(b"x\n"))]);
    git.commit_raw(dev, 7_258_204_800, "Docs", &[("README.md", Some(b"y\n"))]);
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
    git.commit_raw(dev, 7_258_291_200, "Docs", &[("README.md", Some(b"z\n"))]);
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
    let git = Git::new();
    // git2's Signature takes &str: the commit is written from bytes (a Latin-1 name).
    git.commit_raw(
        b"J\xe9r\xf4me Latin",
        at("2026-11-01T00:00:00Z"),
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
    git.commit(
        at("2026-11-02T09:00:00Z"),
        "Edit",
        &[(ACME, Some(&acme_88()))],
    );
    let run = git.run(&["lint", "--changed-since", "main", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // .mailmap still maps the identity (by its e-mail) to a readable name.
    git.checkout("main");
    git.commit(
        at("2026-11-03T09:00:00Z"),
        "Mailmap",
        &[(
            ".mailmap",
            Some("Jérôme Latin <dev@example.com>\n".as_bytes()),
        )],
    );
    let metrics = git.json(&["metrics", "--format", "json"]);
    assert_eq!(metrics["handoffs"][0]["merged_by"], "Jérôme Latin");
}
