//! Test helpers: a temporary handoff repository, the one git fixture builder every test that
//! needs history uses ([`GitRepo`]), and the ways to run the binary (and, where a test needs
//! real git, the git CLI) in them.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Command as Process;
use std::time::Duration;

use assert_cmd::Command;
use git2::{FileMode, ObjectType, Oid, Repository, Signature};

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
        let repo = Repo::empty();
        std::fs::create_dir_all(repo.path().join("handoffs")).expect("handoffs dir");
        repo
    }

    /// An empty temporary folder (no `handoffs/` either).
    pub fn empty() -> Repo {
        Repo {
            dir: tempfile::tempdir().expect("temp dir"),
        }
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

/// What a run printed and how it ended.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The `handoff` binary, run in `dir`, killed if it takes more than two minutes (so a hang
/// fails instead of blocking).
pub fn handoff_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("handoff").expect("binary");
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .timeout(Duration::from_secs(120));
    cmd
}

/// Runs `handoff ARGS` in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = handoff_in(dir).args(args).output().expect("run");
    Run {
        // A run killed by the time limit has no exit code.
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `handoff ARGS` in `dir`, expecting exit 0 and JSON on standard output.
pub fn json_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    let run = run_in(dir, args);
    assert_eq!(run.code, 0, "handoff {args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}", run.stdout))
}

/// Who commits when a test does not say: the fixtures' developer.
pub const DEV: (&str, &str) = ("Dev Eloper", "dev@example.com");

/// The sales rep of the SPEC's example, as a git identity.
pub const JANE: (&str, &str) = ("Jane Doe", "jane.doe@example.com");

/// A pinned commit time: RFC 3339 text (`"2026-11-02T09:00:00Z"`) or seconds since 1970
/// ([`day`] counts whole days from a fixed instant).
pub trait When {
    /// Seconds since 1970.
    fn seconds(&self) -> i64;
}

impl When for i64 {
    fn seconds(&self) -> i64 {
        *self
    }
}

impl When for &str {
    fn seconds(&self) -> i64 {
        self.parse::<jiff::Timestamp>()
            .unwrap_or_else(|err| panic!("{self:?} is not an RFC 3339 time: {err}"))
            .as_second()
    }
}

impl When for &String {
    fn seconds(&self) -> i64 {
        self.as_str().seconds()
    }
}

/// Day `n` of the fixtures' calendar, in seconds since 1970: day 0 is 2026-09-21T14:13:20Z
/// (1,790,000,000 s, a Monday of 2026-W39).
pub fn day(n: i64) -> i64 {
    1_790_000_000 + n * 86_400
}

/// The git fixture builder of every history test: a [`Repo`] (it derefs to one) that is a git
/// repository, HEAD on `main`, committed to by code at pinned times as a pinned author, so the
/// same test always builds the same commit ids. Its `git` is the repository itself, for what a
/// test does that the builder does not; [`GitRepo::git_cli`] and [`git_in`] run the real git
/// where a test needs it (clones, submodules, `repack`).
pub struct GitRepo {
    repo: Repo,
    /// The repository.
    pub git: Repository,
    /// Author and committer of the commits that name nobody ([`DEV`] unless set).
    author: (String, String),
}

impl Deref for GitRepo {
    type Target = Repo;

    fn deref(&self) -> &Repo {
        &self.repo
    }
}

#[allow(dead_code)]
impl GitRepo {
    /// An empty folder (no `handoffs/` either) made a git repository.
    pub fn new() -> GitRepo {
        GitRepo::init(Repo::empty())
    }

    /// Makes `repo` a git repository with HEAD on `main`; its files stay untracked.
    pub fn init(repo: Repo) -> GitRepo {
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let git = Repository::init_opts(repo.path(), &options).expect("git init");
        GitRepo {
            repo,
            git,
            author: (DEV.0.to_string(), DEV.1.to_string()),
        }
    }

    /// Commits that name nobody are by `who` (author and committer).
    pub fn author(mut self, (name, email): (&str, &str)) -> GitRepo {
        self.author = (name.to_string(), email.to_string());
        self
    }

    /// Sets `user.name` and `user.email` in the repository's own config: who the commands
    /// that read the git identity (`accept`, `new --branch`) take the user for.
    pub fn identity(self, (name, email): (&str, &str)) -> GitRepo {
        let mut config = self.git.config().expect("config");
        config.set_str("user.name", name).expect("user.name");
        config.set_str("user.email", email).expect("user.email");
        drop(config);
        self
    }

    /// Writes `files` (text, or `None` to delete) in the work tree, stages them and commits
    /// on HEAD at `when`.
    pub fn commit(&self, when: impl When, message: &str, files: &[(&str, Option<&str>)]) -> Oid {
        let (name, email) = &self.author;
        self.commit_as((name, email), when, message, files)
    }

    /// [`GitRepo::commit`] as `who`.
    pub fn commit_as(
        &self,
        who: (&str, &str),
        when: impl When,
        message: &str,
        files: &[(&str, Option<&str>)],
    ) -> Oid {
        self.stage_files(&as_bytes(files));
        self.commit_index(who, when.seconds(), message, None)
    }

    /// [`GitRepo::commit`] with any bytes as contents.
    pub fn commit_bytes(
        &self,
        when: impl When,
        message: &str,
        files: &[(&str, Option<&[u8]>)],
    ) -> Oid {
        self.stage_files(files);
        let (name, email) = &self.author;
        self.commit_index((name, email), when.seconds(), message, None)
    }

    /// A merge commit by `who`: HEAD and `merged` as parents, with `files` as in
    /// [`GitRepo::commit`].
    pub fn merge_as(
        &self,
        who: (&str, &str),
        when: impl When,
        message: &str,
        files: &[(&str, Option<&str>)],
        merged: Oid,
    ) -> Oid {
        self.stage_files(&as_bytes(files));
        self.commit_index(who, when.seconds(), message, Some(merged))
    }

    /// Commits the whole work tree as it is (additions, edits and deletions; ignored files
    /// left out) on HEAD at `when`.
    pub fn commit_all(&self, when: impl When, message: &str) -> Oid {
        let mut index = self.git.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("git add");
        index.update_all(["*"], None).expect("git add -u");
        index.write().expect("write index");
        let (name, email) = &self.author;
        self.commit_index((name, email), when.seconds(), message, None)
    }

    /// Stages the work tree's `paths` as they are.
    pub fn stage(&self, paths: &[&str]) {
        let mut index = self.git.index().expect("index");
        for path in paths {
            index.add_path(Path::new(path)).expect("git add");
        }
        index.write().expect("write index");
    }

    /// Commits what is staged on HEAD at `when`, as `who`.
    pub fn commit_staged(&self, who: (&str, &str), when: impl When, message: &str) -> Oid {
        self.commit_index(who, when.seconds(), message, None)
    }

    /// Stages `files` (content, or `None` to delete).
    fn stage_files(&self, files: &[(&str, Option<&[u8]>)]) {
        let mut index = self.git.index().expect("index");
        for (path, content) in files {
            let full = self.path().join(path);
            match content {
                Some(content) => {
                    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
                    std::fs::write(&full, content).expect("write");
                    index.add_path(Path::new(path)).expect("git add");
                }
                None => {
                    std::fs::remove_file(&full).expect("rm");
                    index.remove_path(Path::new(path)).expect("git rm");
                }
            }
        }
        index.write().expect("write index");
    }

    /// Commits the index's tree on HEAD (and `merged`, for a merge).
    fn commit_index(
        &self,
        who: (&str, &str),
        seconds: i64,
        message: &str,
        merged: Option<Oid>,
    ) -> Oid {
        let mut index = self.git.index().expect("index");
        let tree = index.write_tree().expect("write tree");
        let mut parents = Vec::new();
        if let Ok(head) = self.git.head() {
            parents.push(head.peel_to_commit().expect("head commit"));
        }
        if let Some(merged) = merged {
            parents.push(self.git.find_commit(merged).expect("merged commit"));
        }
        self.commit_with_parents(who, seconds, message, tree, &parents)
    }

    /// Commits `tree` on HEAD at `when` as the author; the index and work tree are left alone.
    pub fn commit_tree(&self, when: impl When, message: &str, tree: Oid) -> Oid {
        let parent = self.git.head().ok().map(|h| h.peel_to_commit().unwrap());
        let (name, email) = &self.author;
        self.commit_with_parents(
            (name, email),
            when.seconds(),
            message,
            tree,
            parent.as_slice(),
        )
    }

    fn commit_with_parents(
        &self,
        (name, email): (&str, &str),
        seconds: i64,
        message: &str,
        tree: Oid,
        parents: &[git2::Commit],
    ) -> Oid {
        // libgit2 writes times as unsigned 32-bit numbers (`%u`): for dates before 1970 or
        // after 2106 use `commit_raw`.
        assert!((0..=u32::MAX as i64).contains(&seconds), "use commit_raw");
        let signature =
            Signature::new(name, email, &git2::Time::new(seconds, 0)).expect("signature");
        let tree = self.git.find_tree(tree).expect("tree");
        let parents: Vec<&git2::Commit> = parents.iter().collect();
        self.git
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

    /// Commits `files` on HEAD with a commit object written from bytes, by `name` (any bytes)
    /// at `when` (any 64-bit number of seconds).
    pub fn commit_raw(
        &self,
        name: &[u8],
        when: impl When,
        message: &str,
        files: &[(&str, Option<&str>)],
    ) -> Oid {
        let seconds = when.seconds();
        self.stage_files(&as_bytes(files));
        let tree = self
            .git
            .index()
            .expect("index")
            .write_tree()
            .expect("write tree");
        let mut commit = format!("tree {tree}\n").into_bytes();
        if let Ok(head) = self.git.head() {
            let parent = head.target().expect("head commit");
            commit.extend_from_slice(format!("parent {parent}\n").as_bytes());
        }
        for role in ["author", "committer"] {
            commit.extend_from_slice(role.as_bytes());
            commit.push(b' ');
            commit.extend_from_slice(name);
            commit.extend_from_slice(format!(" <{}> {seconds} +0000\n", DEV.1).as_bytes());
        }
        commit.extend_from_slice(format!("\n{message}\n").as_bytes());
        let id = self
            .git
            .odb()
            .expect("odb")
            .write(ObjectType::Commit, &commit)
            .expect("write commit");
        let head = self.git.find_reference("HEAD").expect("HEAD");
        let branch = head
            .symbolic_target()
            .expect("HEAD names a branch")
            .expect("HEAD names a branch")
            .to_string();
        self.git
            .reference(&branch, id, true, message)
            .expect("move branch");
        id
    }

    /// A tree holding `entries` (path, object, mode), folders made as needed.
    pub fn tree(&self, entries: &[(&str, Oid, FileMode)]) -> Oid {
        let mut builder = self.git.treebuilder(None).expect("treebuilder");
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

    /// Writes a blob.
    pub fn blob(&self, content: impl AsRef<[u8]>) -> Oid {
        self.git.blob(content.as_ref()).expect("blob")
    }

    /// The id of the blob at `path` in `commit`.
    pub fn blob_at(&self, commit: Oid, path: &str) -> Oid {
        self.git
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
        self.git
            .path()
            .join("objects")
            .join(&hex[..2])
            .join(&hex[2..])
    }

    /// The commit HEAD names.
    pub fn head(&self) -> Oid {
        self.git
            .head()
            .expect("HEAD")
            .peel_to_commit()
            .expect("HEAD commit")
            .id()
    }

    /// Creates branch `name` at HEAD and makes HEAD name it (index and work tree stay: they
    /// are the same commit's).
    pub fn branch(&self, name: &str) {
        let head = self.git.head().unwrap().peel_to_commit().unwrap();
        self.git.branch(name, &head, false).expect("branch");
        self.git
            .set_head(&format!("refs/heads/{name}"))
            .expect("set head");
    }

    /// Checks out branch `name`, work tree included.
    pub fn checkout(&self, name: &str) {
        self.git
            .set_head(&format!("refs/heads/{name}"))
            .expect("set head");
        self.git
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .expect("checkout");
    }

    /// The `handoff` binary, run here, killed if it takes more than two minutes.
    pub fn cmd(&self) -> Command {
        handoff_in(self.path())
    }

    /// Runs `handoff ARGS` here.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args)
    }

    /// Runs `handoff ARGS` here, expecting exit 0 and JSON on standard output.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        json_in(self.path(), args)
    }

    /// Runs the git CLI here as the author, at `when`; see [`git_in`].
    pub fn git_cli(&self, args: &[&str], when: &str) -> String {
        let (name, email) = &self.author;
        git_as(self.path(), (name, email), args, when)
    }
}

fn as_bytes<'a>(files: &[(&'a str, Option<&'a str>)]) -> Vec<(&'a str, Option<&'a [u8]>)> {
    files
        .iter()
        .map(|(path, content)| (*path, content.map(str::as_bytes)))
        .collect()
}

/// The git CLI in `dir`, for what only real git builds (clones, submodules, pushes,
/// `repack`): no user or system config, local `file://` transport allowed, as `who` at
/// `when` (RFC 3339) for whatever it commits.
pub fn git_command(dir: &Path, (name, email): (&str, &str), when: &str) -> Process {
    let mut git = Process::new("git");
    git.args(["-c", "protocol.file.allow=always"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", name)
        .env("GIT_AUTHOR_EMAIL", email)
        .env("GIT_COMMITTER_NAME", name)
        .env("GIT_COMMITTER_EMAIL", email)
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when);
    git
}

/// Runs `git ARGS` in `dir` as [`DEV`] at `when` ([`git_command`]); panics when it fails,
/// returns its standard output.
pub fn git_in(dir: &Path, args: &[&str], when: &str) -> String {
    git_as(dir, DEV, args, when)
}

pub fn git_as(dir: &Path, who: (&str, &str), args: &[&str], when: &str) -> String {
    let output = git_command(dir, who, when)
        .args(args)
        .output()
        .expect("git");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
