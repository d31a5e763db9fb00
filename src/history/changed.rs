//! Which handoffs a branch changed: the merge base of a ref and HEAD, then one diff from the
//! merge base's tree to the working tree through the index (so commits on the branch, staged,
//! unstaged and untracked changes all count), with rename detection. Deleted handoffs are left
//! out; each changed file comes with its bytes at the merge base, for the score delta.
//!
//! In a sparse checkout the handoffs outside the cone are not in the working tree (and a sparse
//! index cannot be read by libgit2 at all), so there the commits are diffed tree to tree, the
//! working tree is compared with HEAD, and a changed handoff that is not checked out comes with
//! its bytes at HEAD: it is linted from the commit, never passed unread.
//!
//! Only the objects read are checked for damage ([`ObjectStore::check`]): the commits of the
//! merge-base walk, the trees down to and below the handoffs folder, the blobs compared.

use std::collections::{BinaryHeap, HashMap};
use std::path::{Component, Path, PathBuf};

use git2::{Delta, Diff, DiffFindOptions, DiffOptions, FileMode, Oid, Repository, Tree};

use super::objects::ObjectStore;
use super::open::{self, Purpose, UnbornHead};
use crate::change::{BaseContent, ChangeKind, ChangedFile, ChangedSince};
use crate::error::{Error, Result};
use crate::repo::Workspace;

/// The handoffs changed between the merge base of `reference` and HEAD, plus uncommitted
/// changes, with paths relative to the workspace root.
pub fn changed_handoffs(
    workspace: &Workspace,
    reference: &str,
) -> Result<(ChangedSince, Vec<ChangedFile>)> {
    let repo = open::open(&workspace.root, Purpose::ChangedSince)?;
    let store = ObjectStore::of(&repo, &workspace.root);
    let workdir = repo.workdir().ok_or_else(|| {
        Error::Git(format!(
            "{}: a bare repository has no working tree; run `handoff lint --changed-since` in a checkout",
            repo.path().display()
        ))
    })?.to_path_buf();
    let root_in_repo = relative_root(workspace, &workdir)?;
    if let Some(unborn) = open::unborn_head(&repo) {
        return Err(Error::Git(match unborn {
            UnbornHead::Empty { .. } => format!(
                "{}, so nothing can have changed since {reference}; commit first, or lint without --changed-since",
                unborn.describe(&workdir)
            ),
            missing => format!(
                "{}, so nothing can have changed since {reference} on it; {}",
                missing.describe(&workdir),
                missing.fix(false)
            ),
        }));
    }
    let git_error =
        |err: git2::Error| Error::Git(format!("{}: {}", workdir.display(), err.message()));
    let (head_id, _) = store.head(&repo, &workdir)?;
    let head = repo.find_commit(head_id).map_err(git_error)?;
    let base = resolve_commit(&repo, &store, reference)?;
    let replacements = open::Replacements::load(&repo, &workspace.root)?;
    let bases = guard_merge_base(&repo, &store, &replacements, base, head.id())?;
    let merge_base = if replacements.is_empty() {
        if bases.len() > 1 {
            // Several candidate bases: libgit2 walks further to choose one; check everything.
            store.refuse_damaged(&repo)?;
        }
        repo.merge_base(base, head.id()).map_err(|err| {
            merge_base_error(
                &repo,
                reference,
                err.code() == git2::ErrorCode::NotFound,
                err.message(),
            )
        })?
    } else {
        // libgit2 does not know `git replace`: the search above read the replacements.
        *bases
            .first()
            .ok_or_else(|| merge_base_error(&repo, reference, true, "no merge base"))?
    };
    let head = repo
        .find_commit(replacements.content_of(head.id()))
        .map_err(git_error)?;
    let handoffs_in_repo = root_in_repo.join(&workspace.config.handoffs_dir);
    let pathspec = slash_path(&handoffs_in_repo);
    let base_tree_id = repo
        .find_commit(replacements.content_of(merge_base))
        .map(|commit| commit.tree_id())
        .map_err(git_error)?;
    store.check_trees(&repo, base_tree_id, &pathspec, "the merge base")?;
    let base_tree = repo.find_tree(base_tree_id).map_err(git_error)?;
    let context = Context {
        repo: &repo,
        store: &store,
        workspace,
        workdir: &workdir,
        prefix: if pathspec.is_empty() {
            String::new()
        } else {
            format!("{pathspec}/")
        },
        root_prefix: slash_path(&root_in_repo),
        pathspec,
    };
    let mut changed = if is_sparse(&repo) {
        context.sparse_changes(&base_tree, &head)?
    } else {
        match context.changes(&base_tree) {
            // A sparse index (`index.sparse`) has an extension libgit2 cannot read.
            Err(Unreadable::SparseIndex) => context.sparse_changes(&base_tree, &head)?,
            Err(Unreadable::Failed(err)) => return Err(err),
            Ok(changed) => changed,
        }
    };
    changed.sort_by(|a, b| a.path.cmp(&b.path));
    // The rule files too: when they changed, every handoff is linted (crate::change).
    let rules_changed = context.rule_changes(&base_tree, &head, &root_in_repo)?;
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

/// Why the diff through the index failed.
enum Unreadable {
    SparseIndex,
    Failed(Error),
}

/// What the diffs share.
struct Context<'a> {
    repo: &'a Repository,
    store: &'a ObjectStore,
    workspace: &'a Workspace,
    workdir: &'a Path,
    /// The handoffs folder relative to the work tree (empty: all of it).
    pathspec: String,
    /// `pathspec/`, or empty.
    prefix: String,
    /// The workspace root relative to the work tree.
    root_prefix: String,
}

impl Context<'_> {
    fn git_error(&self, err: &git2::Error) -> Error {
        Error::Git(format!("{}: {}", self.workdir.display(), err.message()))
    }

    fn options(&self, untracked: bool) -> DiffOptions {
        let mut options = DiffOptions::new();
        if untracked {
            options.include_untracked(true).recurse_untracked_dirs(true);
        }
        if !self.pathspec.is_empty() {
            options.pathspec(&self.pathspec);
        }
        options
    }

    /// Git paths are relative to the working tree; reports use paths relative to the root.
    fn root_relative(&self, path: &Path) -> String {
        let text = slash_path(path);
        match text.strip_prefix(&format!("{}/", self.root_prefix)) {
            Some(rest) if !self.root_prefix.is_empty() => rest.to_string(),
            _ => text,
        }
    }

    /// The rule files ([`crate::change::RULE_PATHS`] and the roster) that changed since the
    /// merge base, relative to the root: through the index and work tree in a full checkout,
    /// commit to commit where the work tree is sparse.
    fn rule_changes(
        &self,
        base_tree: &Tree<'_>,
        head: &git2::Commit<'_>,
        root_in_repo: &Path,
    ) -> Result<Vec<String>> {
        let roster = self.workspace.config.roster.trim_start_matches("./");
        let sparse = is_sparse(self.repo);
        let mut head_tree = None;
        let mut rules_changed: Vec<String> = Vec::new();
        // One diff per rule path: libgit2 bounds a diff's walk of the index and the work tree
        // by its pathspecs' common prefix, so one diff over all of them (no common prefix)
        // stats every file of the checkout, the 10,000 handoffs included.
        for rule_path in crate::change::RULE_PATHS.iter().copied().chain([roster]) {
            let mut options = DiffOptions::new();
            options.include_untracked(true).recurse_untracked_dirs(true);
            options.pathspec(slash_path(&root_in_repo.join(rule_path)));
            let through_index = if sparse {
                None
            } else {
                match self
                    .repo
                    .diff_tree_to_workdir_with_index(Some(base_tree), Some(&mut options))
                {
                    Ok(diff) => Some(diff),
                    Err(err) if err.message().contains("'sdir'") => None,
                    Err(err) => return Err(self.git_error(&err)),
                }
            };
            let diff = match through_index {
                Some(diff) => diff,
                None => {
                    if head_tree.is_none() {
                        head_tree = Some(head.tree().map_err(|err| self.git_error(&err))?);
                    }
                    self.repo
                        .diff_tree_to_tree(Some(base_tree), head_tree.as_ref(), Some(&mut options))
                        .map_err(|err| self.git_error(&err))?
                }
            };
            rules_changed.extend(diff.deltas().filter_map(|delta| {
                [delta.new_file().path(), delta.old_file().path()]
                    .into_iter()
                    .flatten()
                    .map(|path| self.root_relative(path))
                    .find(|path| crate::change::is_rule_path(path, roster))
            }));
        }
        rules_changed.sort();
        rules_changed.dedup();
        Ok(rules_changed)
    }

    /// A checkout with every file: one diff from the merge base to the work tree, through the
    /// index.
    fn changes(&self, base_tree: &Tree<'_>) -> std::result::Result<Vec<ChangedFile>, Unreadable> {
        let failed = |err: git2::Error| {
            if err.message().contains("'sdir'") {
                Unreadable::SparseIndex
            } else {
                Unreadable::Failed(self.git_error(&err))
            }
        };
        let mut options = self.options(true);
        let mut diff = self
            .repo
            .diff_tree_to_workdir_with_index(Some(base_tree), Some(&mut options))
            .map_err(failed)?;
        self.find_renames(&mut diff, true, ["the merge base", "the index"])
            .map_err(Unreadable::Failed)?;
        let mut changed = Vec::new();
        for delta in diff.deltas() {
            if let Some(file) = self
                .changed_file(&delta, "the merge base")
                .map_err(Unreadable::Failed)?
            {
                changed.push(file);
            }
        }
        Ok(changed)
    }

    /// A sparse checkout: the commits tree to tree (with renames), then the work tree against
    /// HEAD (what is checked out and edited); a changed handoff that is not in the work tree
    /// carries its bytes at HEAD.
    fn sparse_changes(
        &self,
        base_tree: &Tree<'_>,
        head: &git2::Commit<'_>,
    ) -> Result<Vec<ChangedFile>> {
        let git_error = |err: git2::Error| self.git_error(&err);
        self.store
            .check_trees(self.repo, head.tree_id(), &self.pathspec, "HEAD")?;
        let head_tree = head.tree().map_err(git_error)?;
        let mut options = self.options(false);
        let mut committed = self
            .repo
            .diff_tree_to_tree(Some(base_tree), Some(&head_tree), Some(&mut options))
            .map_err(git_error)?;
        self.find_renames(&mut committed, false, ["the merge base", "HEAD"])?;
        let mut by_path: HashMap<String, ChangedFile> = HashMap::new();
        for delta in committed.deltas() {
            if let Some(file) = self.changed_file(&delta, "the merge base")? {
                by_path.insert(file.path.clone(), file);
            }
        }
        // What is checked out and edited since HEAD. Without rename detection: outside the
        // cone every handoff looks deleted, and pairing them would read them all.
        for path in self.local_changes(&head_tree)? {
            if by_path.contains_key(&path) {
                continue;
            }
            // Compared with the merge base, not HEAD: the score delta is the branch's.
            let in_repo = self.in_repo(&path);
            let file = match base_tree.get_path(Path::new(&in_repo)) {
                Ok(entry) if entry.kind() == Some(git2::ObjectType::Blob) => {
                    let content = self.read(entry.id(), &path, "the merge base")?;
                    ChangedFile {
                        path: path.clone(),
                        kind: ChangeKind::Modified,
                        base: Some((path.clone(), content)),
                        committed: None,
                    }
                }
                _ => ChangedFile {
                    path: path.clone(),
                    kind: ChangeKind::New,
                    base: None,
                    committed: None,
                },
            };
            by_path.insert(path, file);
        }
        let mut changed: Vec<ChangedFile> = by_path.into_values().collect();
        for file in &mut changed {
            if self.workspace.root.join(&file.path).is_file() {
                continue;
            }
            let in_repo = self.in_repo(&file.path);
            if let Ok(entry) = head_tree.get_path(Path::new(&in_repo)) {
                if entry.kind() == Some(git2::ObjectType::Blob) {
                    file.committed = Some(self.read(entry.id(), &file.path, "HEAD")?);
                }
            }
        }
        Ok(changed)
    }

    /// The handoffs checked out and edited since HEAD (staged, unstaged or untracked), by
    /// path relative to the root. Without rename detection: outside the cone every handoff
    /// looks deleted, and pairing them would read them all. A sparse index cannot be read by
    /// libgit2 (not even for a diff that skips it), so then the files are hashed and compared
    /// with HEAD's tree by hand.
    fn local_changes(&self, head_tree: &Tree<'_>) -> Result<Vec<String>> {
        let mut options = self.options(true);
        match self
            .repo
            .diff_tree_to_workdir_with_index(Some(head_tree), Some(&mut options))
        {
            Ok(diff) => {
                return Ok(diff
                    .deltas()
                    .filter_map(|d| self.handoff_path(&d))
                    .collect())
            }
            Err(err) if err.message().contains("'sdir'") => {}
            Err(err) => return Err(self.git_error(&err)),
        }
        let folder = self.workspace.handoffs_dir();
        let mut changed = Vec::new();
        for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
            let entry = entry.map_err(|err| {
                Error::Git(format!(
                    "{}: cannot list the handoffs folder: {err}",
                    folder.display()
                ))
            })?;
            // Links are not followed (and git stores them as links, not handoffs).
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(relative) = entry.path().strip_prefix(&self.workspace.root) else {
                continue;
            };
            let path = slash_path(relative);
            if !is_handoff_file(&path) {
                continue;
            }
            let in_repo = self.in_repo(&path);
            if self
                .repo
                .is_path_ignored(Path::new(&in_repo))
                .unwrap_or(false)
            {
                continue;
            }
            let now = Oid::hash_file(git2::ObjectType::Blob, entry.path()).map_err(|err| {
                Error::io(
                    entry.path(),
                    "cannot read",
                    std::io::Error::other(err.message().to_string()),
                )
            })?;
            let same = head_tree
                .get_path(Path::new(&in_repo))
                .is_ok_and(|at_head| at_head.id() == now);
            if !same {
                changed.push(path);
            }
        }
        Ok(changed)
    }

    /// `path` (relative to the root) relative to the work tree.
    fn in_repo(&self, path: &str) -> String {
        if self.root_prefix.is_empty() {
            path.to_string()
        } else {
            format!("{}/{path}", self.root_prefix)
        }
    }

    /// Pairs renames, after checking the blobs the pairing reads.
    fn find_renames(&self, diff: &mut Diff<'_>, untracked: bool, labels: [&str; 2]) -> Result<()> {
        for delta in diff.deltas() {
            for (file, side) in [(delta.old_file(), labels[0]), (delta.new_file(), labels[1])] {
                if file.mode() == FileMode::Commit {
                    continue;
                }
                let path = file
                    .path()
                    .map(|p| self.root_relative(p))
                    .unwrap_or_default();
                self.store
                    .check(file.id(), &|| format!("blob {path} at {side}"))?;
            }
        }
        let mut find = DiffFindOptions::new();
        find.renames(true).for_untracked(untracked);
        diff.find_similar(Some(&mut find))
            .map_err(|err| self.git_error(&err))
    }

    /// A changed handoff file's path relative to the root, unless the change is a deletion,
    /// a submodule or not a handoff under the handoffs folder.
    fn handoff_path(&self, delta: &git2::DiffDelta<'_>) -> Option<String> {
        match delta.status() {
            Delta::Deleted | Delta::Ignored | Delta::Unmodified | Delta::Unreadable => return None,
            _ => {}
        }
        // A submodule (gitlink) is another repository's commit, not a handoff file.
        if delta.new_file().mode() == FileMode::Commit {
            return None;
        }
        let new_path = delta.new_file().path()?;
        let in_repo = slash_path(new_path);
        if !in_repo.starts_with(&self.prefix) || !is_handoff_file(&in_repo) {
            return None;
        }
        let path = self.root_relative(new_path);
        // A playbook or roster under the handoffs folder is a rule file, not a handoff.
        (!crate::change::is_rule_path(&path, &self.workspace.config.roster)).then_some(path)
    }

    /// The changed file a delta from `label`'s tree reports, with its version there.
    fn changed_file(
        &self,
        delta: &git2::DiffDelta<'_>,
        label: &str,
    ) -> Result<Option<ChangedFile>> {
        let Some(path) = self.handoff_path(delta) else {
            return Ok(None);
        };
        let kind = match delta.status() {
            Delta::Added | Delta::Untracked | Delta::Copied => ChangeKind::New,
            Delta::Renamed => ChangeKind::Renamed,
            _ => ChangeKind::Modified,
        };
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
                let old_path = old
                    .path()
                    .map_or_else(|| path.clone(), |p| self.root_relative(p));
                let content = self.read(old.id(), &old_path, label)?;
                Some((old_path, content))
            }
        };
        Ok(Some(ChangedFile {
            path,
            kind,
            base,
            committed: None,
        }))
    }

    /// A version's bytes (checked for damage first), unless it is over the size cap.
    fn read(&self, id: Oid, path: &str, label: &str) -> Result<BaseContent> {
        self.store
            .check(id, &|| format!("blob {path} at {label}"))?;
        base_content(self.repo, id, self.workspace.config.max_file_size).map_err(|err| {
            Error::Git(format!(
                "{path}: cannot read its version at {label} (git object {id}): {}; check the repository with `git fsck` and restore what is missing from a healthy clone",
                err.message()
            ))
        })
    }
}

/// The commit `reference` names, each object on the way checked before it is read. A branch,
/// tag or full id resolves without reading objects; an expression (`HEAD~2`, `main@{1}`) is
/// left to libgit2's parser after a scan of every loose object.
fn resolve_commit(repo: &Repository, store: &ObjectStore, reference: &str) -> Result<Oid> {
    let not_a_commit = || {
        Error::Git(format!(
            "--changed-since {reference}: names an object that is not a commit; give a branch, tag or commit (e.g. origin/main)"
        ))
    };
    let direct = repo
        .resolve_reference_from_short_name(reference)
        .ok()
        .and_then(|r| r.resolve().ok())
        .and_then(|r| r.target())
        .or_else(|| {
            (reference.len() == 40)
                .then(|| Oid::from_str(reference).ok())
                .flatten()
        });
    let Some(mut id) = direct else {
        store.refuse_damaged(repo)?;
        let object = repo
            .revparse_single(reference)
            .map_err(|_| unknown_ref(reference, repo.is_shallow()))?;
        return object
            .peel_to_commit()
            .map(|commit| commit.id())
            .map_err(|_| not_a_commit());
    };
    // Annotated tags (possibly of tags) down to the commit.
    for _ in 0..16 {
        store.check(id, &|| format!("the object {reference} names"))?;
        let object = repo
            .find_object(id, None)
            .map_err(|_| unknown_ref(reference, repo.is_shallow()))?;
        match object.kind() {
            Some(git2::ObjectType::Commit) => return Ok(id),
            Some(git2::ObjectType::Tag) => {
                id = object
                    .as_tag()
                    .map(|tag| tag.target_id())
                    .ok_or_else(not_a_commit)?;
            }
            _ => return Err(not_a_commit()),
        }
    }
    Err(not_a_commit())
}

/// Checks the commits libgit2's merge-base search will read (git's paint-down-to-common:
/// newest first from both sides until every queued commit is reachable from both). Answers
/// the candidates it found, newest first; with several, libgit2 walks further to pick one.
/// Replaced commits (`git replace`) are read as their replacements, as git reads them.
fn guard_merge_base(
    repo: &Repository,
    store: &ObjectStore,
    replacements: &open::Replacements,
    one: Oid,
    two: Oid,
) -> Result<Vec<Oid>> {
    const ONE: u8 = 1;
    const TWO: u8 = 2;
    const STALE: u8 = 4;
    if one == two {
        return Ok(vec![one]);
    }
    const RESULT: u8 = 8;
    // Each commit is read once (and checked just before).
    let mut parsed: HashMap<Oid, Option<(i64, Vec<Oid>)>> = HashMap::new();
    let mut read = |id: Oid| -> Result<Option<(i64, Vec<Oid>)>> {
        if let Some(known) = parsed.get(&id) {
            return Ok(known.clone());
        }
        let content = replacements.content_of(id);
        store.check(content, &|| "a commit of the merge-base search".to_string())?;
        // A commit that cannot be read is left to libgit2 to report (a shallow clone).
        let found = repo
            .find_commit(content)
            .ok()
            .map(|c| (c.time().seconds(), c.parent_ids().collect::<Vec<_>>()));
        parsed.insert(id, found.clone());
        Ok(found)
    };
    let mut flags: HashMap<Oid, u8> = HashMap::new();
    let mut queue: BinaryHeap<(i64, Oid)> = BinaryHeap::new();
    for (id, flag) in [(one, ONE), (two, TWO)] {
        if let Some((time, _)) = read(id)? {
            queue.push((time, id));
        }
        *flags.entry(id).or_default() |= flag;
    }
    let mut found = Vec::new();
    let stale =
        |flags: &HashMap<Oid, u8>, id: &Oid| flags.get(id).copied().unwrap_or(0) & STALE != 0;
    while queue.iter().any(|(_, id)| !stale(&flags, id)) {
        let Some((_, id)) = queue.pop() else { break };
        let own = flags.get(&id).copied().unwrap_or(0);
        let mut flag = own & (ONE | TWO | STALE);
        if flag & (ONE | TWO) == (ONE | TWO) {
            if own & RESULT == 0 {
                flags.insert(id, own | RESULT);
                found.push(id);
            }
            flag |= STALE;
        }
        let Some((_, parent_ids)) = read(id)? else {
            continue;
        };
        for parent in parent_ids {
            if flags.get(&parent).copied().unwrap_or(0) & flag == flag {
                continue;
            }
            let Some((time, _)) = read(parent)? else {
                continue;
            };
            *flags.entry(parent).or_default() |= flag;
            queue.push((time, parent));
        }
    }
    Ok(found)
}

fn merge_base_error(repo: &Repository, reference: &str, not_found: bool, message: &str) -> Error {
    if repo.is_shallow() {
        Error::Git(format!(
            "--changed-since {reference}: this clone is shallow, so the merge base of {reference} and HEAD is not in it; fetch the whole history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`"
        ))
    } else if not_found {
        Error::Git(format!(
            "--changed-since {reference}: {reference} and HEAD have no common history; give the branch this one was started from"
        ))
    } else {
        Error::Git(format!(
            "--changed-since {reference}: cannot find the merge base: {message}"
        ))
    }
}

/// `core.sparseCheckout` in the repository's config or its work tree's (`config.worktree`).
fn is_sparse(repo: &Repository) -> bool {
    let on = |config: &git2::Config| config.get_bool("core.sparsecheckout").unwrap_or(false);
    repo.config().map(|c| on(&c)).unwrap_or(false)
        || git2::Config::open(&repo.path().join("config.worktree"))
            .map(|c| on(&c))
            .unwrap_or(false)
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
