//! Starting a handoff on its own branch (`handoff new --branch`): every check happens before
//! anything is written (a repository with a commit, a git identity, a free branch name, nothing
//! staged that would be swept into the commit); then the branch is created at HEAD, checked out
//! and given one commit holding only the new file. Also the writer's git `user.name`.

use std::path::{Path, PathBuf};

use git2::{BranchType, Repository};

use crate::error::{Error, Result};

/// A repository checked and ready for [`HandoffBranch::commit_file`].
pub struct HandoffBranch {
    repo: Repository,
    workdir: PathBuf,
    branch: String,
    head: git2::Oid,
}

/// What [`HandoffBranch::commit_file`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    /// The branch, e.g. `handoff/acme-corp`.
    pub branch: String,
    /// The new commit's id, abbreviated.
    pub commit: String,
}

/// The `user.name` git would sign commits with from `start` (the repository's config over the
/// global one), when set.
pub fn user_name(start: &Path) -> Option<String> {
    let config = match super::open::discover_quietly(start) {
        Some(repo) => repo.config().ok()?,
        None => git2::Config::open_default().ok()?,
    };
    config
        .get_string("user.name")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

fn git_error(context: String) -> impl FnOnce(git2::Error) -> Error {
    move |err| Error::Git(format!("{context}: {}", err.message()))
}

impl HandoffBranch {
    /// Checks that branch `branch` can be started at HEAD of the repository holding `start`.
    pub fn prepare(start: &Path, branch: &str) -> Result<HandoffBranch> {
        let repo = super::open::open(start, super::open::Purpose::Branch)?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| {
                Error::Git(format!(
                    "{}: a bare repository has no work tree to write the handoff in; use a clone",
                    repo.path().display()
                ))
            })?
            .to_path_buf();
        if let Some(unborn) = super::open::unborn_head(&repo) {
            return Err(Error::Git(match unborn {
                super::open::UnbornHead::Empty { .. } => format!(
                    "{}: the repository has no commit yet to branch from; commit something first (e.g. `git commit --allow-empty -m \"Start\"`)",
                    workdir.display()
                ),
                missing => format!(
                    "{}, so there is nothing to branch from; {}",
                    missing.describe(&workdir),
                    missing.fix(false)
                ),
            }));
        }
        // Only what is read below is checked for damage: HEAD's commit and its trees.
        let store = super::objects::ObjectStore::of(&repo, start);
        let (head_id, head_tree) = store.head(&repo, &workdir)?;
        store.check_trees(&repo, head_tree, "", "HEAD")?;
        repo.signature().map_err(|_| {
            Error::Git(
                "git does not know who you are, so it cannot sign the commit; run `git config user.name \"Your Name\"` and `git config user.email you@example.com`"
                    .to_string(),
            )
        })?;
        let reference = format!("refs/heads/{branch}");
        if !git2::Reference::is_valid_name(&reference) {
            return Err(Error::Usage(format!(
                "`{branch}` is not a valid git branch name"
            )));
        }
        if repo.find_branch(branch, BranchType::Local).is_ok() {
            return Err(Error::Git(format!(
                "branch `{branch}` already exists; pick another NAME, or delete the branch (`git branch -D {branch}`) if it is left over"
            )));
        }
        refuse_unclean_index(&repo, head_id, &workdir)?;
        Ok(HandoffBranch {
            workdir,
            branch: branch.to_string(),
            head: head_id,
            repo,
        })
    }

    /// Creates the branch at HEAD, checks it out (it points at the same commit, so the work
    /// tree and index stay as they are) and commits `file` alone on it.
    pub fn commit_file(self, file: &Path, message: &str) -> Result<Committed> {
        let canonical = |path: &Path| {
            path.canonicalize()
                .map_err(|err| Error::io(path, "cannot resolve the path", err))
        };
        let workdir = canonical(&self.workdir)?;
        let file = canonical(file)?;
        let relative = file.strip_prefix(&workdir).map_err(|_| {
            Error::Git(format!(
                "{}: outside the repository's work tree {}; run handoff from inside the repository",
                file.display(),
                workdir.display()
            ))
        })?;
        let repo = &self.repo;
        let head = repo
            .find_commit(self.head)
            .map_err(git_error("cannot read HEAD".to_string()))?;
        let reference = format!("refs/heads/{}", self.branch);
        repo.branch(&self.branch, &head, false)
            .map_err(git_error(format!("cannot create branch `{}`", self.branch)))?;
        repo.set_head(&reference)
            .map_err(git_error(format!("cannot check out `{}`", self.branch)))?;
        let mut index = repo
            .index()
            .map_err(git_error("cannot read the git index".to_string()))?;
        index
            .add_path(relative)
            .and_then(|()| index.write())
            .map_err(git_error(format!("cannot stage {}", relative.display())))?;
        let tree = index
            .write_tree()
            .and_then(|id| repo.find_tree(id))
            .map_err(git_error("cannot write the commit's tree".to_string()))?;
        let signature = repo
            .signature()
            .map_err(git_error("git has no user identity".to_string()))?;
        let commit = repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &[&head],
            )
            .map_err(git_error(format!("cannot commit on `{}`", self.branch)))?;
        let short = commit.to_string().chars().take(7).collect();
        Ok(Committed {
            branch: self.branch,
            commit: short,
        })
    }
}

/// Why the index cannot be read; a sparse index (`index.sparse`) says how to turn it off.
fn index_error(workdir: &Path, err: &git2::Error) -> Error {
    if err.message().contains("'sdir'") {
        return Error::Git(format!(
            "{}: the git index is a sparse index (`index.sparse = true`), which libgit2, the git library handoff writes commits with, cannot read; turn it off with `git sparse-checkout set --no-sparse-index` (the checkout stays sparse), or commit the new file with git yourself and drop --branch",
            workdir.display()
        ));
    }
    Error::Git(format!(
        "{}: cannot read the git index: {}",
        workdir.display(),
        err.message()
    ))
}

/// Refuses an index with conflicts or staged changes: the handoff's commit must hold only the
/// new file, and committing the whole index would sweep the staged changes in.
fn refuse_unclean_index(repo: &Repository, head_id: git2::Oid, workdir: &Path) -> Result<()> {
    let index = repo.index().map_err(|err| index_error(workdir, &err))?;
    if index.has_conflicts() {
        return Err(Error::Git(format!(
            "{}: the git index has unresolved conflicts; finish or abort the merge first",
            workdir.display()
        )));
    }
    let head_tree = repo
        .find_commit(head_id)
        .and_then(|commit| commit.tree())
        .map_err(git_error("cannot read HEAD's tree".to_string()))?;
    let staged = repo
        .diff_tree_to_index(Some(&head_tree), Some(&index), None)
        .map_err(git_error("cannot compare the index with HEAD".to_string()))?;
    if staged.deltas().len() > 0 {
        let mut paths: Vec<String> = staged
            .deltas()
            .filter_map(|d| d.new_file().path().or_else(|| d.old_file().path()))
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .collect();
        paths.dedup();
        let more = paths.len().saturating_sub(5);
        paths.truncate(5);
        return Err(Error::Git(format!(
            "staged changes would be swept into the handoff's commit ({}{}); commit them or unstage them (`git restore --staged .`) first",
            paths.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )));
    }
    Ok(())
}
