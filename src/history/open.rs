//! Opening a git repository: the one place `git2::Repository` is opened or discovered, and the
//! one set of messages for the repositories that cannot be read (not a repository, another
//! user's, reftable refs, SHA-256 ids, a partial clone, a shallow one, a HEAD naming a branch
//! that does not exist). `metrics`, `sample`, `lint --changed-since` and `new --branch` all
//! come through [`open`]; the objects it hands out are then checked by [`super::objects`]
//! before libgit2 reads them.
//!
//! The environment is honoured as git honours it: `GIT_DIR` (then discovery does not search,
//! and without `GIT_WORK_TREE` or `core.worktree` the current folder is the top of the work
//! tree), `GIT_WORK_TREE`, `GIT_CEILING_DIRECTORIES`, `GIT_INDEX_FILE` and
//! `GIT_ALTERNATE_OBJECT_DIRECTORIES`. libgit2's own reading of the environment is not used: it
//! discovers from the process's folder (not `-C`) and refuses `GIT_WORK_TREE`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use git2::{ErrorClass, ErrorCode, Repository, RepositoryOpenFlags};

use crate::error::{Error, Result};

/// What the repository is opened for: it words the "not a repository" message, and decides
/// which shapes are refused (a partial clone still has every object `new --branch` reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `metrics` and `sample`: the whole first-parent history.
    History,
    /// `lint --changed-since`: the merge base and the versions there.
    ChangedSince,
    /// `new --branch`: HEAD, the index and one new commit.
    Branch,
}

impl Purpose {
    fn not_a_repository(self, root: &Path) -> String {
        let root = root.display();
        match self {
            Purpose::History => format!(
                "{root}: not a git repository (or any of its parents); metrics and samples are \
                 read from git history: run the command inside a clone of the handoff repository"
            ),
            Purpose::ChangedSince => format!(
                "{root}: not a git repository; --changed-since compares with git history, so run \
                 it in a clone of the repository (or lint without --changed-since)"
            ),
            Purpose::Branch => format!(
                "{root}: not a git repository, so --branch has nothing to branch from; run `git \
                 init` and commit, or drop --branch"
            ),
        }
    }
}

/// Opens the repository holding `start` (or the one `GIT_DIR` names) for `purpose`, refusing
/// with what to do every shape whose history libgit2 would read wrongly or not at all.
pub fn open(start: &Path, purpose: Purpose) -> Result<Repository> {
    // A read-only walk of objects git itself wrote: verifying every object's hash on read
    // doubles the time of diffing a long history and protects nothing here.
    git2::opts::strict_hash_verification(false);
    // The walk reads each commit and tree once (the few it needs again it keeps itself);
    // libgit2's object cache would hold every small one it saw, some hundred megabytes on a
    // long history.
    git2::opts::enable_caching(false);
    let env = GitEnv::read(start);
    let repo = env
        .open(start)
        .map_err(|err| open_error(start, env.git_dir.as_deref(), purpose, &err))?;
    apply_env(&repo, &env, start)?;
    if purpose != Purpose::Branch {
        if let Some(partial) = partial_clone(&repo) {
            return Err(Error::Git(format!(
                "{}: this is a partial clone ({partial}): git fetches the objects it left out \
                 from the remote when it needs them, and libgit2, which handoff reads history \
                 with, cannot, so older versions of handoffs are missing. Use a full clone: in \
                 GitHub Actions remove `filter:` from actions/checkout; here, `git config --unset \
                 remote.origin.partialclonefilter && git fetch --refetch origin`, then `git \
                 config --unset remote.origin.promisor` (and `git config --unset \
                 extensions.partialClone` if it is set)",
                start.display()
            )));
        }
    }
    if purpose == Purpose::History && repo.is_shallow() {
        return Err(Error::Git(format!(
            "{}: this is a shallow clone, so its oldest commit would count as the creation of \
             every handoff and the metrics would be wrong; fetch the whole history with \
             `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` on actions/checkout)",
            start.display()
        )));
    }
    Ok(repo)
}

/// Opens `git_dir` again, as [`open`] did (another thread's handle: no checks, they were made).
pub fn reopen(git_dir: &Path, root: &Path) -> Result<Repository> {
    let repo = open_git_dir(git_dir)
        .map_err(|err| open_error(root, Some(git_dir), Purpose::History, &err))?;
    apply_env(&repo, &GitEnv::read(root), root)?;
    Ok(repo)
}

/// The repository for reading git config from `start` (`user.name`), without any checks;
/// `None` outside a repository or when it cannot be opened.
pub fn discover_quietly(start: &Path) -> Option<Repository> {
    GitEnv::read(start).open(start).ok()
}

/// The identity git would sign commits with from `start`: `user.name` and `user.email` (the
/// repository's config over the global one), each when set and not blank.
pub fn user_identity(start: &Path) -> (Option<String>, Option<String>) {
    let config = match discover_quietly(start) {
        Some(repo) => repo.config().ok(),
        None => git2::Config::open_default().ok(),
    };
    let Some(config) = config else {
        return (None, None);
    };
    let get = |key: &str| {
        config
            .get_string(key)
            .ok()
            .map(|value| value.trim().to_string())
            .filter(|value| !value.is_empty())
    };
    (get("user.name"), get("user.email"))
}

/// Opens exactly `git_dir`, without searching (as git opens `GIT_DIR`).
fn open_git_dir(git_dir: &Path) -> std::result::Result<Repository, git2::Error> {
    Repository::open_ext(
        git_dir,
        RepositoryOpenFlags::NO_SEARCH | RepositoryOpenFlags::NO_DOTGIT,
        std::iter::empty::<OsString>(),
    )
}

/// The git variables that change which repository, work tree, index and objects are read.
#[derive(Debug, Default)]
struct GitEnv {
    git_dir: Option<PathBuf>,
    work_tree: Option<PathBuf>,
    ceilings: Vec<OsString>,
    index_file: Option<PathBuf>,
    alternates: Vec<PathBuf>,
}

impl GitEnv {
    /// `GIT_DIR` when set, else discovery from `start` up to the ceilings.
    fn open(&self, start: &Path) -> std::result::Result<Repository, git2::Error> {
        match &self.git_dir {
            Some(git_dir) => open_git_dir(git_dir),
            None => Repository::open_ext(start, RepositoryOpenFlags::empty(), &self.ceilings),
        }
    }

    /// Relative paths are taken from `start` (the workspace root: the folder the command ran
    /// in unless that is below a checkout's top; git takes them from the folder it runs in).
    fn read(start: &Path) -> GitEnv {
        let path = |name: &str| {
            std::env::var_os(name)
                .filter(|value| !value.is_empty())
                .map(|value| start.join(value))
        };
        GitEnv {
            git_dir: path("GIT_DIR"),
            work_tree: path("GIT_WORK_TREE"),
            ceilings: std::env::var_os("GIT_CEILING_DIRECTORIES")
                .map(|value| std::env::split_paths(&value).map(OsString::from).collect())
                .unwrap_or_default(),
            index_file: path("GIT_INDEX_FILE"),
            alternates: alternate_object_directories(start),
        }
    }
}

/// `GIT_ALTERNATE_OBJECT_DIRECTORIES`, split like `PATH`.
pub fn alternate_object_directories(start: &Path) -> Vec<PathBuf> {
    std::env::var_os("GIT_ALTERNATE_OBJECT_DIRECTORIES")
        .map(|value| {
            std::env::split_paths(&value)
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| start.join(p))
                .collect()
        })
        .unwrap_or_default()
}

fn apply_env(repo: &Repository, env: &GitEnv, start: &Path) -> Result<()> {
    let failed = |what: &str, err: git2::Error| {
        Error::Git(format!(
            "{}: cannot use {what}: {}; check the variable, or unset it",
            start.display(),
            err.message()
        ))
    };
    let work_tree = match (&env.work_tree, &env.git_dir) {
        (Some(work_tree), _) => Some(work_tree.clone()),
        // git: with GIT_DIR and neither GIT_WORK_TREE nor core.worktree, the current folder
        // is the top of the work tree (unless the repository is bare).
        (None, Some(_)) if !repo.is_bare() && !has_core_worktree(repo) => Some(start.to_path_buf()),
        _ => None,
    };
    if let Some(work_tree) = work_tree {
        repo.set_workdir(&work_tree, false)
            .map_err(|err| failed("GIT_WORK_TREE", err))?;
    }
    if let Some(index_file) = &env.index_file {
        let mut index =
            git2::Index::open(index_file).map_err(|err| failed("GIT_INDEX_FILE", err))?;
        repo.set_index(&mut index)
            .map_err(|err| failed("GIT_INDEX_FILE", err))?;
    }
    if !env.alternates.is_empty() {
        let odb = repo
            .odb()
            .map_err(|err| failed("GIT_ALTERNATE_OBJECT_DIRECTORIES", err))?;
        for dir in &env.alternates {
            if let Some(text) = dir.to_str() {
                odb.add_disk_alternate(text)
                    .map_err(|err| failed("GIT_ALTERNATE_OBJECT_DIRECTORIES", err))?;
            }
        }
    }
    Ok(())
}

fn has_core_worktree(repo: &Repository) -> bool {
    repo.config()
        .and_then(|config| config.get_path("core.worktree"))
        .is_ok()
}

/// Why libgit2 could not open the repository, in the user's terms.
fn open_error(start: &Path, git_dir: Option<&Path>, purpose: Purpose, err: &git2::Error) -> Error {
    let message = err.message();
    let located = git_dir
        .map(Path::to_path_buf)
        .or_else(|| locate_git_dir(start));
    let ownership = err.code() == ErrorCode::Owner
        || (matches!(err.class(), ErrorClass::Config | ErrorClass::Repository)
            && (message.contains("owned by")
                || message.contains("owner")
                || message.contains("safe.directory")));
    if ownership {
        // git wants the work tree's top (or a bare repository's folder) in safe.directory.
        let top = located
            .as_deref()
            .map(|dir| match dir.file_name() {
                Some(name) if name == ".git" => dir.parent().unwrap_or(dir).to_path_buf(),
                _ => dir.to_path_buf(),
            })
            .unwrap_or_else(|| start.to_path_buf());
        return Error::Git(format!(
            "{}: the git repository belongs to another user, so git refuses to read it (\"dubious \
             ownership\"); if you trust it, run `git config --global --add safe.directory {}` \
             (in CI containers the checkout often belongs to another user)",
            start.display(),
            top.display()
        ));
    }
    if let Some(format) = located.as_deref().and_then(unsupported_format) {
        return Error::Git(format!("{}: {format}", start.display()));
    }
    if err.code() == ErrorCode::NotFound && located.is_none() {
        return Error::Git(purpose.not_a_repository(start));
    }
    Error::Git(format!(
        "{}: cannot open the git repository: {message}; check it with `git status`",
        start.display()
    ))
}

/// The git directory git would find from `start`, found by hand when libgit2 refused to open
/// it (to read its config): `.git` (a folder, or a file `gitdir: PATH`), or a bare repository.
fn locate_git_dir(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let dot_git = dir.join(".git");
        if dot_git.is_dir() {
            return Some(dot_git);
        }
        if dot_git.is_file() {
            let text = std::fs::read_to_string(&dot_git).ok()?;
            let target = text.strip_prefix("gitdir:")?.trim();
            return Some(dir.join(target));
        }
        if dir.join("HEAD").is_file() && dir.join("objects").is_dir() {
            return Some(dir.to_path_buf());
        }
    }
    None
}

/// The repository formats libgit2 1.9 cannot read, from the repository's own config file.
fn unsupported_format(git_dir: &Path) -> Option<String> {
    let common = match std::fs::read_to_string(git_dir.join("commondir")) {
        Ok(text) => git_dir.join(text.trim()),
        Err(_) => git_dir.to_path_buf(),
    };
    let config = git2::Config::open(&common.join("config")).ok()?;
    let value = |key: &str| {
        config
            .get_string(key)
            .ok()
            .map(|v| v.trim().to_ascii_lowercase())
    };
    let works = "`handoff lint` without --changed-since, `render` and `new` (without --branch) \
                 need no history and work here";
    if value("extensions.refstorage").as_deref() == Some("reftable") {
        return Some(format!(
            "this repository stores its refs in the reftable format (`extensions.refStorage = \
             reftable`), which libgit2, the git library handoff reads history with, cannot read. \
             Convert it to the default format with `git refs migrate --ref-format=files` (git \
             2.46 or later), or run in a clone made with the default formats (`git clone \
             --ref-format=files URL`); {works}"
        ));
    }
    if let Some(format) = value("extensions.objectformat").filter(|f| f != "sha1") {
        return Some(format!(
            "this repository names its objects with {format} (`extensions.objectFormat = \
             {format}`), which libgit2, the git library handoff reads history with, cannot read; \
             metrics, sample, --changed-since and --branch need a repository in git's default \
             SHA-1 format (a repository cannot be converted in place); {works}"
        ));
    }
    None
}

/// A promisor remote or `extensions.partialClone`: objects may be missing on purpose.
fn partial_clone(repo: &Repository) -> Option<String> {
    let config = git2::Config::open(&repo.commondir().join("config")).ok()?;
    if let Ok(remote) = config.get_string("extensions.partialclone") {
        return Some(format!("`extensions.partialClone = {remote}`"));
    }
    let mut entries = config.entries(Some(r"remote\..*\.promisor")).ok()?;
    while let Some(Ok(entry)) = entries.next() {
        let on = entry.value().ok().is_some_and(|v| {
            matches!(
                v.trim().to_ascii_lowercase().as_str(),
                "true" | "yes" | "on" | "1"
            )
        });
        if on {
            let name = entry.name().unwrap_or("remote.?.promisor");
            let remote = name
                .strip_prefix("remote.")
                .and_then(|n| n.strip_suffix(".promisor"))
                .unwrap_or("?");
            let filter = config
                .get_string(&format!("remote.{remote}.partialclonefilter"))
                .map(|f| format!(", filter {f}"))
                .unwrap_or_default();
            return Some(format!("remote `{remote}` is a promisor remote{filter}"));
        }
    }
    None
}

/// `git replace` objects, honoured as git honours them: a replaced commit is read as its
/// replacement (its tree, parents and dates; `git replace --graft` rewrites parents this way),
/// under its own id. `GIT_NO_REPLACE_OBJECTS` or `core.useReplaceRefs = false` turns them off.
#[derive(Debug, Clone, Default)]
pub struct Replacements {
    commits: std::collections::HashMap<git2::Oid, git2::Oid>,
}

impl Replacements {
    /// The replacements under `refs/replace/`. A replaced blob or tree cannot be honoured by
    /// the readers, so it is refused with the way to read the originals.
    pub fn load(repo: &Repository, root: &Path) -> Result<Replacements> {
        let mut replacements = Replacements::default();
        let off = std::env::var_os("GIT_NO_REPLACE_OBJECTS").is_some()
            || repo
                .config()
                .and_then(|c| c.get_bool("core.usereplacerefs"))
                .is_ok_and(|on| !on);
        if off {
            return Ok(replacements);
        }
        let Ok(references) = repo.references_glob("refs/replace/*") else {
            return Ok(replacements);
        };
        for reference in references.flatten() {
            let Ok(name) = reference.name().map(str::to_string) else {
                continue;
            };
            let Some(original) = name
                .strip_prefix("refs/replace/")
                .and_then(|hex| git2::Oid::from_str(hex).ok())
            else {
                continue;
            };
            let Some(replacement) = reference.target() else {
                continue;
            };
            let kind = repo.find_object(original, None).ok().and_then(|o| o.kind());
            if kind != Some(git2::ObjectType::Commit) {
                return Err(Error::Git(format!(
                    "{}: `git replace` replaces the {} {original} ({name}); handoff honours \
                     replaced commits (like grafts) but not replaced files or folders. Run with \
                     GIT_NO_REPLACE_OBJECTS=1 to read the original objects, as git then does, or \
                     remove the replacement (`git replace -d {original}`)",
                    root.display(),
                    kind.map_or("object", |k| k.str())
                )));
            }
            replacements.commits.insert(original, replacement);
        }
        Ok(replacements)
    }

    /// Whether there are any.
    pub fn is_empty(&self) -> bool {
        self.commits.is_empty()
    }

    /// The commit whose content stands for `id` (itself when not replaced), following a
    /// chain of replacements as git does (five deep).
    pub fn content_of(&self, id: git2::Oid) -> git2::Oid {
        let mut current = id;
        for _ in 0..5 {
            match self.commits.get(&current) {
                Some(next) if *next != current => current = *next,
                _ => break,
            }
        }
        current
    }
}

/// What HEAD points at when it is not a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnbornHead {
    /// A new repository: no branch exists yet (HEAD names `branch`, the first one).
    Empty {
        /// The branch HEAD names.
        branch: String,
    },
    /// HEAD names a branch that does not exist while others do (`git checkout --orphan`, or a
    /// bare repository whose HEAD names `master` while only `main` was pushed).
    MissingBranch {
        /// The branch HEAD names.
        branch: String,
        /// Up to five branches that exist.
        branches: Vec<String>,
    },
}

impl UnbornHead {
    /// What is wrong, for a command that needs HEAD's commit: `ROOT: HEAD ...`.
    pub fn describe(&self, root: &Path) -> String {
        match self {
            UnbornHead::Empty { branch } => format!(
                "{}: HEAD (branch `{branch}`) has no commit yet",
                root.display()
            ),
            UnbornHead::MissingBranch { branch, branches } => format!(
                "{}: HEAD names the branch `{branch}`, which does not exist (no commit has been \
                 made on it), while the repository has {}",
                root.display(),
                match branches.as_slice() {
                    [one] => format!("the branch `{one}`"),
                    many => format!(
                        "the branches {}",
                        many.iter()
                            .map(|b| format!("`{b}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                }
            ),
        }
    }

    /// What to do about a HEAD naming a missing branch (`--ref` where the command has it).
    pub fn fix(&self, with_ref: bool) -> String {
        let first = match self {
            UnbornHead::MissingBranch { branches, .. } => {
                branches.first().map(String::as_str).unwrap_or("main")
            }
            UnbornHead::Empty { .. } => "main",
        };
        let mut fix = format!(
            "check out a branch that exists (`git checkout {first}`) or point HEAD at one (`git \
             symbolic-ref HEAD refs/heads/{first}`)"
        );
        if with_ref {
            fix.push_str(&format!(", or pass --ref {first}"));
        }
        fix
    }
}

/// `None` when HEAD is a commit (or detached); otherwise which kind of unborn HEAD it is.
pub fn unborn_head(repo: &Repository) -> Option<UnbornHead> {
    match repo.head() {
        Ok(_) => return None,
        Err(err) if matches!(err.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {}
        Err(_) => return None,
    }
    let branch = repo
        .find_reference("HEAD")
        .ok()
        .and_then(|head| {
            head.symbolic_target_bytes()
                .map(|target| String::from_utf8_lossy(target).into_owned())
        })
        .map(|target| target.trim_start_matches("refs/heads/").to_string())
        .unwrap_or_else(|| "HEAD".to_string());
    let mut branches: Vec<String> = repo
        .branches(Some(git2::BranchType::Local))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|(branch, _)| branch.name().ok().flatten().map(str::to_string))
        .take(5)
        .collect();
    branches.sort();
    Some(if branches.is_empty() {
        UnbornHead::Empty { branch }
    } else {
        UnbornHead::MissingBranch { branch, branches }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dubious_ownership_says_how_to_trust_the_repository() {
        let err = git2::Error::new(
            ErrorCode::Owner,
            ErrorClass::Config,
            "repository path '/srv/handoffs/' is not owned by current user",
        );
        let message =
            open_error(Path::new("/srv/handoffs"), None, Purpose::History, &err).to_string();
        assert!(message.contains("dubious ownership"), "{message}");
        assert!(message.contains("belongs to another user"), "{message}");
        assert!(
            message.contains("git config --global --add safe.directory /srv/handoffs"),
            "{message}"
        );
        // Older libgit2 reports it by class and message only.
        let err = git2::Error::new(
            ErrorCode::GenericError,
            ErrorClass::Config,
            "repository path '/srv/handoffs/' is not owned by current user",
        );
        assert!(
            open_error(Path::new("/srv/handoffs"), None, Purpose::History, &err)
                .to_string()
                .contains("safe.directory")
        );
    }

    #[test]
    fn not_found_says_not_a_repository() {
        let err = git2::Error::new(
            ErrorCode::NotFound,
            ErrorClass::Repository,
            "could not find repository",
        );
        let message = open_error(
            Path::new("/nonexistent-handoffs-test/x"),
            None,
            Purpose::History,
            &err,
        )
        .to_string();
        assert!(
            message.starts_with("/nonexistent-handoffs-test/x: not a git repository"),
            "{message}"
        );
    }
}
