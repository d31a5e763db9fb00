//! Real repository shapes, each built with the git CLI as a CI runner or a user has it:
//! alternates (`clone --shared`, `--reference`, `GIT_ALTERNATE_OBJECT_DIRECTORIES`), partial
//! clones, sparse checkouts (cone mode, and with a sparse index), reftable and SHA-256
//! repositories, `git replace`, bare repositories, a HEAD naming a branch that does not exist,
//! `GIT_DIR`/`GIT_WORK_TREE`, and a repository owned by another user. A shape the installed git
//! cannot build is skipped with a message on standard error.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{git_command, git_in, handoff_in, run_in, spec_sales_cs, Run, DEV};

/// When the shapes' commits are made.
const WHEN: &str = "2026-11-05T09:00:00Z";

const ACME: &str = "handoffs/sales-cs/acme.yaml";
const BOLT: &str = "handoffs/sales-cs/bolt.yaml";
const CORE: &str = "handoffs/sdr-ae/core.yaml";

/// The SPEC's example (score 100).
fn acme() -> String {
    spec_sales_cs()
}

/// The example with an unknown key: invalid, so the gate blocks it.
fn broken() -> String {
    spec_sales_cs().replacen("risks:", "riskz: 1\nrisks:", 1)
}

/// A folder of repositories built with the git CLI.
struct Shapes {
    dir: tempfile::TempDir,
}

impl Shapes {
    fn new() -> Shapes {
        Shapes {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs git in `name` (or in the folder itself for an empty name).
    fn git(&self, name: &str, args: &[&str]) {
        git_in(&self.path(name), args, WHEN);
    }

    fn write(&self, path: &str, content: &str) {
        let full = self.path(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, content).expect("write");
    }

    /// `origin`: `main` with ACME and CORE, then branch `feature` that breaks BOLT (added on
    /// main first), left checked out on `main`. Loose objects only (no `gc`).
    fn origin(&self) -> PathBuf {
        self.git("", &["init", "--quiet", "-b", "main", "origin"]);
        self.write(&format!("origin/{ACME}"), &acme());
        self.write(&format!("origin/{BOLT}"), &acme());
        self.write(&format!("origin/{CORE}"), "type: sdr-ae\nstatus: draft\n");
        self.git("origin", &["add", "."]);
        self.git("origin", &["commit", "--quiet", "-m", "Handoffs"]);
        self.git("origin", &["checkout", "--quiet", "-b", "feature"]);
        self.write(&format!("origin/{BOLT}"), &broken());
        self.git("origin", &["commit", "--quiet", "-am", "Edit Bolt"]);
        self.git("origin", &["checkout", "--quiet", "main"]);
        self.git("origin", &["config", "uploadpack.allowFilter", "true"]);
        self.path("origin")
    }

    fn url(&self, name: &str) -> String {
        format!("file://{}", self.path(name).display())
    }
}

/// Whether the installed git can run `args` in an empty folder; otherwise says it skips.
fn git_can(args: &[&str], what: &str) -> bool {
    let dir = tempfile::tempdir().expect("temp dir");
    let ok = git_succeeds(dir.path(), args);
    if !ok {
        eprintln!(
            "skipped: the installed git cannot {what} (`git {}`)",
            args.join(" ")
        );
    }
    ok
}

/// Whether `git ARGS` succeeds in `dir` (no user or system config).
fn git_succeeds(dir: &Path, args: &[&str]) -> bool {
    git_command(dir, DEV, WHEN)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The object file of `id` under an objects folder.
fn object_file(objects: &Path, id: &str) -> PathBuf {
    objects.join(&id[..2]).join(&id[2..])
}

/// `git rev-parse SPEC` in `dir`.
fn rev_parse(dir: &Path, spec: &str) -> String {
    git_in(dir, &["rev-parse", spec], WHEN).trim().to_string()
}

/// Cuts an object file in half: its header survives, its data does not (libgit2 1.9 spins
/// forever on such a file).
fn truncate(file: &Path) {
    let bytes = std::fs::read(file).expect("object file");
    std::fs::remove_file(file).expect("remove");
    std::fs::write(file, &bytes[..bytes.len() / 2]).expect("write");
}

/// Runs `handoff ARGS` in `dir` with the environment variables `vars` set.
fn run_with_env(dir: &Path, vars: &[(&str, &Path)], args: &[&str]) -> Run {
    let mut cmd = handoff_in(dir);
    for (name, value) in vars {
        cmd.env(name, value);
    }
    let output = cmd.args(args).output().expect("run");
    Run {
        // A run killed by the time limit has no exit code.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn assert_refused(run: &Run, wanted: &[&str]) {
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "", "{}", run.stderr);
    for text in wanted {
        assert!(run.stderr.contains(text), "no {text:?} in: {}", run.stderr);
    }
}

fn lint_paths(run: &Run) -> Vec<String> {
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {} {}", run.stdout, run.stderr));
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}

#[test]
fn damage_in_an_alternate_object_store_is_named_instead_of_hanging() {
    let shapes = Shapes::new();
    let origin = shapes.origin();
    let objects = origin.join(".git/objects");
    // `--shared` (from a local path) borrows origin's objects through objects/info/alternates;
    // `--reference` does too, and a shared clone of the shared clone borrows recursively.
    shapes.git("", &["clone", "--quiet", "--shared", "origin", "shared"]);
    shapes.git(
        "",
        &[
            "clone",
            "--quiet",
            "--reference",
            origin.to_str().unwrap(),
            &shapes.url("origin"),
            "referenced",
        ],
    );
    shapes.git("", &["clone", "--quiet", "--shared", "shared", "nested"]);
    for clone in ["shared", "referenced", "nested"] {
        let run = run_in(&shapes.path(clone), &["metrics", "--format", "json"]);
        assert_eq!(run.code, 0, "{clone}: {}", run.stderr);
    }
    let blob = rev_parse(&origin, &format!("main:{ACME}"));
    let feature = rev_parse(&origin, "feature");
    let file = object_file(&objects, &blob);
    truncate(&file);
    let damaged = format!(
        "the git object {blob} (blob {ACME} at HEAD) is damaged: its file ends before its \
         compressed data does (truncated) ({})",
        file.display()
    );
    for clone in ["shared", "referenced", "nested"] {
        let dir = shapes.path(clone);
        for args in [
            &["metrics", "--format", "json"][..],
            &["sample", "--format", "json"],
        ] {
            assert_refused(&run_in(&dir, args), &[&damaged, "git fsck"]);
        }
        git_in(
            &dir,
            &["checkout", "--quiet", "-B", "feature", &feature],
            WHEN,
        );
        std::fs::write(dir.join(ACME), broken()).unwrap();
        let run = run_in(&dir, &["lint", "--changed-since", "origin/main"]);
        assert_refused(
            &run,
            &[&format!(
                "the git object {blob} (blob {ACME} at the merge base) is damaged"
            )],
        );
    }
}

#[test]
fn git_alternate_object_directories_is_read_and_checked() {
    let shapes = Shapes::new();
    let origin = shapes.origin();
    shapes.git("", &["clone", "--quiet", "--shared", "origin", "borrowing"]);
    let clone = shapes.path("borrowing");
    // The objects are found only through the variable now.
    std::fs::remove_file(clone.join(".git/objects/info/alternates")).unwrap();
    let objects = origin.join(".git/objects");
    let run = run_in(&clone, &["metrics", "--format", "json"]);
    assert_eq!(
        run.code, 2,
        "without the variable the history is missing: {}",
        run.stderr
    );
    let with_env = |args: &[&str]| {
        run_with_env(
            &clone,
            &[("GIT_ALTERNATE_OBJECT_DIRECTORIES", &objects)],
            args,
        )
    };
    let run = with_env(&["metrics", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let metrics: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(metrics["summary"]["count"], 3);
    let blob = rev_parse(&origin, &format!("main:{ACME}"));
    let file = object_file(&objects, &blob);
    truncate(&file);
    let run = with_env(&["metrics", "--format", "json"]);
    assert_refused(
        &run,
        &[&format!(
            "the git object {blob} (blob {ACME} at HEAD) is damaged"
        )],
    );
}

#[test]
fn a_partial_clone_is_refused_with_the_fix() {
    let shapes = Shapes::new();
    shapes.origin();
    for (name, filter) in [("blobless", "blob:none"), ("treeless", "tree:0")] {
        shapes.git(
            "",
            &[
                "clone",
                "--quiet",
                &format!("--filter={filter}"),
                &shapes.url("origin"),
                name,
            ],
        );
        let dir = shapes.path(name);
        for args in [
            &["metrics", "--format", "json"][..],
            &["sample", "--format", "json"],
            &["lint", "--changed-since", "origin/main"],
        ] {
            let run = run_in(&dir, args);
            assert_refused(
                &run,
                &[
                    &format!(
                        "this is a partial clone (remote `origin` is a promisor remote, filter \
                         {filter})"
                    ),
                    "remove `filter:` from actions/checkout",
                    "git config --unset remote.origin.partialclonefilter && git fetch --refetch origin",
                ],
            );
        }
        // The fix it gives works.
        shapes.git(
            name,
            &["config", "--unset", "remote.origin.partialclonefilter"],
        );
        shapes.git(name, &["fetch", "--quiet", "--refetch", "origin"]);
        shapes.git(name, &["config", "--unset", "remote.origin.promisor"]);
        let run = run_in(&dir, &["metrics", "--format", "json"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    }
}

#[test]
fn a_handoff_changed_outside_a_sparse_checkout_is_linted_from_the_commit() {
    let shapes = Shapes::new();
    shapes.origin();
    let shapes_built = [
        (
            "cone",
            vec!["sparse-checkout", "set", "--cone", "handoffs/sdr-ae"],
        ),
        (
            "sparse-index",
            vec![
                "sparse-checkout",
                "set",
                "--cone",
                "--sparse-index",
                "handoffs/sdr-ae",
            ],
        ),
    ];
    for (name, sparse) in shapes_built {
        shapes.git(
            "",
            &[
                "clone",
                "--quiet",
                "--no-checkout",
                &shapes.url("origin"),
                name,
            ],
        );
        if !git_succeeds(&shapes.path(name), &sparse) {
            eprintln!(
                "skipped: the installed git cannot run `git {}`",
                sparse.join(" ")
            );
            continue;
        }
        shapes.git(name, &["checkout", "--quiet", "feature"]);
        let dir = shapes.path(name);
        assert!(
            !dir.join(BOLT).exists(),
            "{name}: the cone leaves sales-cs out"
        );
        assert!(dir.join(CORE).exists());
        // BOLT changed on the branch, outside the cone: linted from HEAD, and blocked.
        let run = run_in(
            &dir,
            &["lint", "--changed-since", "origin/main", "--format", "json"],
        );
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(lint_paths(&run), [BOLT], "{name}");
        let report: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(report["files"][0]["valid"], false, "{name}");
        assert_eq!(report["files"][0]["change"], "modified", "{name}");
        assert_eq!(report["files"][0]["base"]["score"], 100, "{name}");
        // An edit inside the cone, not committed, counts too; the committed one stays.
        std::fs::write(dir.join(CORE), "type: sdr-ae\nstatus: draft\ntitle: Core\n").unwrap();
        let run = run_in(
            &dir,
            &["lint", "--changed-since", "origin/main", "--format", "json"],
        );
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert_eq!(lint_paths(&run), [BOLT, CORE], "{name}");
        // A path filter keeps to its folder.
        let run = run_in(
            &dir,
            &[
                "lint",
                "--changed-since",
                "origin/main",
                "--format",
                "json",
                "handoffs/sdr-ae",
            ],
        );
        assert_eq!(lint_paths(&run), [CORE], "{name}: {}", run.stderr);
    }
    // `new --branch` cannot commit through a sparse index: it says how to turn it off.
    if !shapes.path("sparse-index").join(CORE).exists() {
        return;
    }
    let run = run_in(
        &shapes.path("sparse-index"),
        &["new", "sdr-ae", "fresh", "--branch"],
    );
    assert_refused(
        &run,
        &[
            "is a sparse index",
            "git sparse-checkout set --no-sparse-index",
        ],
    );
}

#[test]
fn reftable_and_sha256_repositories_say_what_works() {
    let shapes = Shapes::new();
    let mut built = Vec::new();
    for (format, name, what, fix) in [
        (
            "--ref-format=reftable",
            "reftable",
            "this repository stores its refs in the reftable format",
            "git refs migrate --ref-format=files",
        ),
        (
            "--object-format=sha256",
            "sha256",
            "this repository names its objects with sha256",
            "need a repository in git's default SHA-1 format",
        ),
    ] {
        if git_can(
            &["init", format, "probe"],
            &format!("make {name} repositories"),
        ) {
            shapes.git("", &["init", "--quiet", "-b", "main", format, name]);
            built.push((name, what, fix));
        }
    }
    for (name, what, fix) in built {
        shapes.write(&format!("{name}/{ACME}"), &acme());
        shapes.git(name, &["add", "."]);
        shapes.git(name, &["commit", "--quiet", "-m", "Acme"]);
        let dir = shapes.path(name);
        for args in [
            &["metrics", "--format", "json"][..],
            &["sample", "--format", "json"],
            &["lint", "--changed-since", "main"],
            &["new", "sales-cs", "bolt", "--branch"],
        ] {
            let run = run_in(&dir, args);
            assert_refused(&run, &[what, fix, "`handoff lint` without --changed-since"]);
            assert!(
                !run.stderr.contains("not a git repository"),
                "{}",
                run.stderr
            );
        }
        // What it says works, works.
        let run = run_in(&dir, &["lint", "--format", "json"]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
    }
}

#[test]
fn replaced_commits_are_read_like_grafts_and_replaced_files_are_refused() {
    let shapes = Shapes::new();
    let origin = shapes.origin();
    // main: "Handoffs" (ACME, BOLT, CORE). Graft a commit of its own before it, dated earlier,
    // that already had ACME: with the graft, ACME landed there.
    shapes.git("origin", &["checkout", "--quiet", "--orphan", "old"]);
    shapes.git("origin", &["rm", "--quiet", "-r", "--cached", "."]);
    shapes.git("origin", &["add", ACME]);
    git_in(
        &origin,
        &["commit", "--quiet", "-m", "Old Acme"],
        "2026-11-01T09:00:00Z",
    );
    let old = rev_parse(&origin, "HEAD");
    shapes.git("origin", &["checkout", "--quiet", "-f", "main"]);
    let head = rev_parse(&origin, "main");
    let metrics = |dir: &Path| -> Value {
        let run = run_in(dir, &["metrics", "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        serde_json::from_str(&run.stdout).unwrap()
    };
    let acme_of = |report: &Value| -> Value {
        report["handoffs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["path"] == ACME)
            .cloned()
            .expect("acme")
    };
    let before = acme_of(&metrics(&origin));
    assert_eq!(before["merged_commit"], head);
    shapes.git("origin", &["replace", "--graft", &head, &old]);
    let after = acme_of(&metrics(&origin));
    assert_eq!(after["merged_commit"], old);
    assert_eq!(after["merged_at"], "2026-11-01T09:00:00Z");
    assert_eq!(after["revisions"], 1);
    // As git does, GIT_NO_REPLACE_OBJECTS reads the originals.
    let run = run_with_env(
        &origin,
        &[("GIT_NO_REPLACE_OBJECTS", Path::new("1"))],
        &["metrics", "--format", "json"],
    );
    let original: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(acme_of(&original)["merged_commit"], head);
    // --changed-since honours the graft too: on `feature`, the merge base with `old` is
    // `old` itself through the graft (without it they share no history).
    shapes.git("origin", &["checkout", "--quiet", "feature"]);
    let run = run_in(
        &origin,
        &["lint", "--changed-since", "old", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(lint_paths(&run), [BOLT, CORE]);

    // A replaced blob cannot be honoured by the readers: refused, with the way out.
    shapes.git("origin", &["checkout", "--quiet", "main"]);
    let acme_blob = rev_parse(&origin, &format!("main:{ACME}"));
    let core_blob = rev_parse(&origin, &format!("main:{CORE}"));
    shapes.git("origin", &["replace", &acme_blob, &core_blob]);
    let run = run_in(&origin, &["metrics", "--format", "json"]);
    assert_refused(
        &run,
        &[
            &format!("`git replace` replaces the blob {acme_blob}"),
            "GIT_NO_REPLACE_OBJECTS=1",
            &format!("git replace -d {acme_blob}"),
        ],
    );
}

#[test]
fn a_bare_repository_is_measured_from_head_and_says_when_config_would_be_ignored() {
    let shapes = Shapes::new();
    shapes.origin();
    // HEAD names `master`, which does not exist: only `main` is pushed.
    shapes.git(
        "",
        &["init", "--quiet", "--bare", "-b", "master", "hub.git"],
    );
    shapes.git(
        "origin",
        &["push", "--quiet", &shapes.url("hub.git"), "main"],
    );
    let hub = shapes.path("hub.git");
    let run = run_in(
        shapes.dir.path(),
        &["-C", "hub.git", "metrics", "--format", "json"],
    );
    assert_refused(
        &run,
        &[
            "HEAD names the branch `master`, which does not exist",
            "the branch `main`",
            "or pass --ref main",
        ],
    );
    assert!(!run.stderr.contains("no commit yet"), "{}", run.stderr);
    // With --ref, or HEAD pointed at main, it is measured like the checkout.
    let checkout = run_in(&shapes.path("origin"), &["metrics", "--format", "json"]);
    let bare = run_in(
        shapes.dir.path(),
        &[
            "-C", "hub.git", "metrics", "--format", "json", "--ref", "main",
        ],
    );
    assert_eq!(bare.code, 0, "{}", bare.stderr);
    let strip = |text: &str| -> Value {
        let mut value: Value = serde_json::from_str(text).unwrap();
        value["ref"] = Value::Null;
        value
    };
    assert_eq!(strip(&bare.stdout), strip(&checkout.stdout));
    git_in(&hub, &["symbolic-ref", "HEAD", "refs/heads/main"], WHEN);
    let run = run_in(&hub, &["sample", "--format", "json", "--week", "2026-W45"]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // Committed config would be ignored without a work tree: said, not silently replaced.
    shapes.write("origin/handoff.toml", "threshold = 90\n");
    shapes.git("origin", &["add", "handoff.toml"]);
    shapes.git("origin", &["commit", "--quiet", "-m", "Config"]);
    shapes.git(
        "origin",
        &["push", "--quiet", &shapes.url("hub.git"), "main"],
    );
    for args in [
        &["metrics", "--format", "json"][..],
        &["sample", "--format", "json"],
    ] {
        let run = run_in(&hub, args);
        assert_refused(
            &run,
            &[
                "a bare repository has no work tree, so the handoff.toml committed at HEAD would not be read",
                "the embedded defaults would score the handoffs instead",
                "worktree add",
            ],
        );
    }
}

#[test]
fn git_dir_and_git_work_tree_are_honoured() {
    let shapes = Shapes::new();
    shapes.origin();
    // A repository whose git folder lives apart from its work tree, as tools and hooks set up.
    shapes.git(
        "",
        &[
            "clone",
            "--quiet",
            "--bare",
            &shapes.url("origin"),
            "store.git",
        ],
    );
    let work = shapes.path("work");
    std::fs::create_dir_all(&work).unwrap();
    let store = shapes.path("store.git");
    let with_env = run_with_env;
    let run = with_env(&work, &[], &["metrics", "--format", "json"]);
    assert_refused(&run, &["not a git repository"]);
    let vars = [
        ("GIT_DIR", store.as_path()),
        ("GIT_WORK_TREE", work.as_path()),
    ];
    let run = with_env(&work, &vars, &["metrics", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let metrics: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(metrics["summary"]["count"], 3);
    // The work tree is read through the index: check out `feature` there and edit one file.
    let output = git_command(&work, DEV, WHEN)
        .args(["checkout", "--quiet", "-f", "feature"])
        .env("GIT_DIR", &store)
        .env("GIT_WORK_TREE", &work)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(
        work.join(CORE),
        "type: sdr-ae\nstatus: draft\ntitle: Core\n",
    )
    .unwrap();
    let run = with_env(
        &work,
        &vars,
        &["lint", "--changed-since", "main", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(lint_paths(&run), [BOLT, CORE]);
    // From a folder inside the work tree, the work tree's top is the root, as for git.
    let run = with_env(
        &work.join("handoffs"),
        &vars,
        &["lint", "--changed-since", "main", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(lint_paths(&run), [BOLT, CORE]);
    // GIT_DIR alone on a bare store: git treats it as bare too.
    let git_dir_only = [("GIT_DIR", store.as_path())];
    let run = with_env(&work, &git_dir_only, &["lint", "--changed-since", "main"]);
    assert_refused(&run, &["a bare repository has no working tree"]);
    // GIT_DIR alone on a store that is not bare: the current folder is the top of the work
    // tree, as in git.
    git_in(&store, &["config", "core.bare", "false"], WHEN);
    let run = with_env(
        &work,
        &git_dir_only,
        &["lint", "--changed-since", "main", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(lint_paths(&run), [BOLT, CORE]);
}

#[cfg(unix)]
#[test]
fn new_branch_in_a_repository_owned_by_another_user_gives_the_safe_directory_command() {
    let shapes = Shapes::new();
    let origin = shapes.origin();
    // Giving the checkout to another user needs root (as in CI containers).
    if std::os::unix::fs::chown(&origin, Some(65534), Some(65534)).is_err() {
        eprintln!("skipped: chown needs root");
        return;
    }
    for args in [
        &["new", "sales-cs", "fresh", "--branch"][..],
        &["metrics", "--format", "json"],
        &["lint", "--changed-since", "main"],
    ] {
        let run = run_in(&origin, args);
        assert_refused(
            &run,
            &[
                "belongs to another user",
                &format!(
                    "git config --global --add safe.directory {}",
                    origin.display()
                ),
            ],
        );
        assert!(
            !run.stderr.contains("not a git repository"),
            "{}",
            run.stderr
        );
    }
}
