//! Which handoffs a branch changed: the merge base of a ref and HEAD, then one diff from the
//! merge base's tree to the working tree through the index (so commits on the branch, staged,
//! unstaged and untracked changes all count), with rename detection. Deleted handoffs are left
//! out; each changed file comes with its bytes at the merge base, for the score delta.

use std::path::{Component, Path, PathBuf};

use git2::{Delta, DiffFindOptions, DiffOptions, ErrorCode, FileMode, Repository};

use crate::change::{BaseContent, ChangeKind, ChangedFile, ChangedSince};
use crate::error::{Error, Result};
use crate::repo::Workspace;

/// The handoffs changed between the merge base of `reference` and HEAD, plus uncommitted
/// changes, with paths relative to the workspace root.
pub fn changed_handoffs(
    workspace: &Workspace,
    reference: &str,
) -> Result<(ChangedSince, Vec<ChangedFile>)> {
    let repo = open(&workspace.root)?;
    let workdir = repo.workdir().ok_or_else(|| {
        Error::Git(format!(
            "{}: a bare repository has no working tree; run `handoff lint --changed-since` in a checkout",
            repo.path().display()
        ))
    })?;
    let root_in_repo = relative_root(workspace, workdir)?;
    let head = repo
        .head()
        .and_then(|head| head.peel_to_commit())
        .map_err(|err| match err.code() {
            ErrorCode::UnbornBranch | ErrorCode::NotFound => {
                // A new repository, or a branch made with `git checkout --orphan`.
                let branch = repo
                    .find_reference("HEAD")
                    .ok()
                    .and_then(|head| {
                        head.symbolic_target_bytes()
                            .map(|target| String::from_utf8_lossy(target).into_owned())
                    })
                    .map(|target| {
                        format!(" (branch `{}`)", target.trim_start_matches("refs/heads/"))
                    })
                    .unwrap_or_default();
                Error::Git(format!(
                    "{}: HEAD{branch} has no commit yet, so nothing can have changed since {reference}; commit first, or lint without --changed-since",
                    workdir.display()
                ))
            }
            _ => Error::Git(format!("{}: cannot read HEAD: {}", workdir.display(), err.message())),
        })?;
    let base = repo
        .revparse_single(reference)
        .map_err(|_| unknown_ref(reference, repo.is_shallow()))?
        .peel_to_commit()
        .map_err(|_| {
            Error::Git(format!(
                "--changed-since {reference}: names an object that is not a commit; give a branch, tag or commit (e.g. origin/main)"
            ))
        })?;
    let merge_base = repo.merge_base(base.id(), head.id()).map_err(|err| {
        if repo.is_shallow() {
            Error::Git(format!(
                "--changed-since {reference}: this clone is shallow, so the merge base of {reference} and HEAD is not in it; fetch the whole history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`"
            ))
        } else if err.code() == ErrorCode::NotFound {
            Error::Git(format!(
                "--changed-since {reference}: {reference} and HEAD have no common history; give the branch this one was started from"
            ))
        } else {
            Error::Git(format!(
                "--changed-since {reference}: cannot find the merge base: {}",
                err.message()
            ))
        }
    })?;
    let git_error =
        |err: git2::Error| Error::Git(format!("{}: {}", workdir.display(), err.message()));
    let base_tree = repo
        .find_commit(merge_base)
        .and_then(|commit| commit.tree())
        .map_err(git_error)?;
    let handoffs_in_repo = root_in_repo.join(&workspace.config.handoffs_dir);
    let pathspec = slash_path(&handoffs_in_repo);
    let mut options = DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    if !pathspec.is_empty() {
        options.pathspec(&pathspec);
        // The rule files too: when they changed, every handoff is linted (crate::change).
        let roster = workspace.config.roster.trim_start_matches("./");
        for rule_path in crate::change::RULE_PATHS.iter().copied().chain([roster]) {
            options.pathspec(slash_path(&root_in_repo.join(rule_path)));
        }
    }
    let mut diff = repo
        .diff_tree_to_workdir_with_index(Some(&base_tree), Some(&mut options))
        .map_err(git_error)?;
    let mut find = DiffFindOptions::new();
    find.renames(true).for_untracked(true);
    diff.find_similar(Some(&mut find)).map_err(git_error)?;

    let prefix = if pathspec.is_empty() {
        String::new()
    } else {
        format!("{pathspec}/")
    };
    let root_prefix = slash_path(&root_in_repo);
    // Git paths are relative to the working tree; reports use paths relative to the root.
    let from_root = |path: &Path| -> String {
        let text = slash_path(path);
        match text.strip_prefix(&format!("{root_prefix}/")) {
            Some(rest) if !root_prefix.is_empty() => rest.to_string(),
            _ => text,
        }
    };
    let mut changed = Vec::new();
    let mut rules_changed = Vec::new();
    for delta in diff.deltas() {
        let rule_path = [delta.new_file().path(), delta.old_file().path()]
            .into_iter()
            .flatten()
            .map(from_root)
            .find(|path| crate::change::is_rule_path(path, &workspace.config.roster));
        if let Some(path) = rule_path {
            rules_changed.push(path);
            continue;
        }
        let kind = match delta.status() {
            Delta::Added | Delta::Untracked | Delta::Copied => ChangeKind::New,
            Delta::Modified | Delta::Typechange | Delta::Conflicted => ChangeKind::Modified,
            Delta::Renamed => ChangeKind::Renamed,
            Delta::Deleted | Delta::Ignored | Delta::Unmodified | Delta::Unreadable => continue,
        };
        // A submodule (gitlink) is another repository's commit, not a handoff file.
        if delta.new_file().mode() == FileMode::Commit {
            continue;
        }
        let Some(new_path) = delta.new_file().path() else {
            continue;
        };
        let in_repo = slash_path(new_path);
        if !in_repo.starts_with(&prefix) || !is_handoff_file(&in_repo) {
            continue;
        }
        let path = from_root(new_path);
        // A file that replaced a submodule has no earlier version.
        let kind = if delta.old_file().mode() == FileMode::Commit {
            ChangeKind::New
        } else {
            kind
        };
        let base = match kind {
            ChangeKind::New => None,
            ChangeKind::Modified | ChangeKind::Renamed | ChangeKind::Rules => {
                let old = delta.old_file();
                let old_path = old.path().map_or_else(|| path.clone(), from_root);
                let content = base_content(&repo, old.id(), workspace.config.max_file_size)
                    .map_err(|err| {
                        Error::Git(format!(
                            "{old_path}: cannot read its version at the merge base (git object {}): {}; check the repository with `git fsck` and restore what is missing from a healthy clone",
                            old.id(),
                            err.message()
                        ))
                    })?;
                Some((old_path, content))
            }
        };
        changed.push(ChangedFile { path, kind, base });
    }
    changed.sort_by(|a, b| a.path.cmp(&b.path));
    rules_changed.sort();
    rules_changed.dedup();
    let merge_base_text = merge_base.to_string();
    Ok((
        ChangedSince {
            reference: reference.to_string(),
            merge_base: merge_base_text[..merge_base_text.len().min(7)].to_string(),
            base_rule_files: match rules_changed.is_empty() {
                true => Vec::new(),
                false => super::snapshot::rule_files(&repo, &base_tree, &root_in_repo),
            },
            merge_base_id: merge_base_text,
            rules_changed,
        },
        changed,
    ))
}

/// A version's bytes, unless its size (from the object's header) is over the cap.
fn base_content(
    repo: &Repository,
    id: git2::Oid,
    max_size: u64,
) -> Result<BaseContent, git2::Error> {
    let (size, _) = repo.odb()?.read_header(id)?;
    if size as u64 > max_size {
        return Ok(BaseContent::TooLarge(size as u64));
    }
    Ok(BaseContent::Bytes(repo.find_blob(id)?.content().to_vec()))
}

fn open(root: &Path) -> Result<Repository> {
    let repo = discover(root)?;
    super::objects::refuse_damaged(&repo, root)?;
    Ok(repo)
}

fn discover(root: &Path) -> Result<Repository> {
    Repository::discover(root).map_err(|err| match err.code() {
        ErrorCode::Owner => Error::Git(format!(
            "{}: the git repository belongs to another user, so git refuses to read it; if you trust it, run `git config --global --add safe.directory {}` (in CI containers the checkout often belongs to another user)",
            root.display(),
            root.display()
        )),
        ErrorCode::NotFound => Error::Git(format!(
            "{}: not a git repository; --changed-since compares with git history, so run it in a clone of the repository (or lint without --changed-since)",
            root.display()
        )),
        _ => Error::Git(format!(
            "{}: cannot open the git repository: {}",
            root.display(),
            err.message()
        )),
    })
}

fn unknown_ref(reference: &str, shallow: bool) -> Error {
    let branch = reference
        .strip_prefix("origin/")
        .or_else(|| reference.strip_prefix("refs/remotes/origin/"))
        .unwrap_or(reference);
    let mut message = format!(
        "--changed-since {reference}: no such branch, tag or commit in this clone; fetch it first (`git fetch origin {branch}`), or in GitHub Actions check out with `fetch-depth: 0`"
    );
    if shallow {
        message.push_str(" (this clone is shallow)");
    }
    Error::Git(message)
}

/// The workspace root relative to the git working tree (empty when they are the same).
fn relative_root(workspace: &Workspace, workdir: &Path) -> Result<PathBuf> {
    let canonical = |path: &Path| {
        std::fs::canonicalize(path).map_err(|err| Error::io(path, "cannot resolve", err))
    };
    let root = canonical(&workspace.root)?;
    let workdir = canonical(workdir)?;
    root.strip_prefix(&workdir)
        .map(Path::to_path_buf)
        .map_err(|_| {
            Error::Git(format!(
                "{}: the handoff repository is outside the git working tree {}",
                root.display(),
                workdir.display()
            ))
        })
}

/// A relative path with `/` separators, as git writes them.
fn slash_path(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_handoff_file(path: &str) -> bool {
    path.ends_with(".yaml") || path.ends_with(".yml")
}
