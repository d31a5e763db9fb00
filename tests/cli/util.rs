//! Test helpers: a temporary handoff repository and a way to run the binary in it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository's own root (where `handoffs/`, `schema/`, `playbooks/` live).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The SPEC's complete `sales-cs` example, which scores 100.
pub fn spec_sales_cs() -> String {
    std::fs::read_to_string(project_root().join("tests/fixtures/spec-sales-cs.yaml"))
        .expect("fixture tests/fixtures/spec-sales-cs.yaml")
}

/// A temporary repository with a `handoffs/` folder.
pub struct Repo {
    dir: tempfile::TempDir,
}

#[allow(dead_code)]
impl Repo {
    /// An empty repository with a `handoffs/` folder.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("handoffs")).expect("handoffs dir");
        Repo { dir }
    }

    /// The repository root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating folders), relative to the root.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> &Repo {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
        self
    }

    /// Reads a file relative to the root.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(relative)).expect("read")
    }

    /// The `handoff` binary, run in this repository.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("handoff").expect("binary");
        cmd.current_dir(self.dir.path());
        cmd.env_remove("GITHUB_STEP_SUMMARY");
        cmd
    }

    /// Runs `handoff lint --format json ARGS...` and returns (exit code, parsed JSON).
    pub fn lint_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let output = self
            .cmd()
            .args(["lint", "--format", "json"])
            .args(args)
            .output()
            .expect("run");
        let json = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().expect("exit code"), json)
    }
}

/// The one file's entry of a lint JSON report.
pub fn only_file(report: &serde_json::Value) -> &serde_json::Value {
    let files = report["files"].as_array().expect("files");
    assert_eq!(files.len(), 1, "{report:#}");
    &files[0]
}

/// A section's entry by id.
pub fn section<'a>(file: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    file["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no section {id} in {file:#}"))
}

/// The git fixture builder of the `--changed-since`, pull-request, first-day and reporter
/// tests: commits the working tree's state (additions, edits, deletions) on HEAD as Jane Doe,
/// `day` days after a pinned time, so the same history always has the same commit ids.
pub fn commit_all(git: &git2::Repository, message: &str, day: i64) -> git2::Oid {
    let mut index = git.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = git.find_tree(index.write_tree().unwrap()).unwrap();
    let when = git2::Time::new(1_790_000_000 + day * 86_400, 0);
    let signature = git2::Signature::new("Jane Doe", "jane.doe@example.com", &when).unwrap();
    let parents: Vec<git2::Commit> = git
        .head()
        .ok()
        .and_then(|h| h.peel_to_commit().ok())
        .into_iter()
        .collect();
    let parents: Vec<&git2::Commit> = parents.iter().collect();
    git.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )
    .unwrap()
}
