//! The git2 side of history: opening the repository (refusing histories that would give wrong
//! numbers), resolving a ref, and walking its first-parent chain once, oldest first, reporting
//! the handoff files each commit added, deleted or modified. Everything else in `history/`
//! works on the plain values this module hands out.
//!
//! The walk compares the handoffs folder's tree id between neighbouring commits and descends
//! only into subtrees whose ids differ: libgit2's tree-to-tree diff iterates every file of both
//! trees even when a subtree is unchanged, which for thousands of handoffs costs several times
//! what `git log` spends on the same history. The trees are read and compared as raw objects
//! (`git/tree.rs`), and trees and blobs are read straight from the pack files
//! (`git/pack.rs`), which applies each delta chain once instead of once per read. Renames are
//! paired by [`super::track`] from the additions and deletions reported here.

mod pack;
pub mod trail;
mod tree;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::{ObjectType, Oid, Repository};

use super::open::Replacements;
use crate::error::{Error, Result};
use pack::{PackFiles, PackReader};
use tree::TreeReader;

/// A blob (one version of a file), opaque outside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobId(Oid);

/// A commit, opaque outside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommitId(Oid);

impl CommitId {
    /// The full hexadecimal id.
    pub fn hex(&self) -> String {
        self.0.to_string()
    }
}

/// A commit on the walked chain.
#[derive(Debug, Clone, Copy)]
pub struct CommitInfo {
    /// The commit.
    pub id: CommitId,
    /// Its committer time (when it landed on the chain).
    pub time: jiff::Timestamp,
}

/// A handoff file changed by one commit, relative to its first parent. Paths are relative to
/// the workspace root, with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// The file appeared.
    Added {
        /// Its path.
        path: String,
        /// Its content.
        blob: BlobId,
    },
    /// The file disappeared.
    Deleted {
        /// Its path.
        path: String,
        /// Its last content.
        blob: BlobId,
    },
    /// The file's content changed.
    Modified {
        /// Its path.
        path: String,
        /// Its new content.
        blob: BlobId,
    },
}

/// What [`BlobSource::read_blob`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The blob's bytes.
    Bytes(Vec<u8>),
    /// The blob's size in bytes, over the cap it was read with: its content was not read.
    TooLarge(u64),
}

/// Reads blob contents on demand, so that only the versions that matter are read.
pub trait BlobSource {
    /// The bytes of `blob`, a version of `path` (named in errors), unless its size, read from
    /// the object's header first, is over `max_size`: a 2 GB file committed by mistake is
    /// never loaded.
    fn read_blob(&self, blob: BlobId, path: &str, max_size: u64) -> Result<Content>;
}

/// Where the walk is: called once per commit with (commits done, commits in the chain).
pub type WalkProgress<'a> = &'a mut dyn FnMut(u64, u64);

/// An open repository.
pub struct GitRepository {
    repo: Repository,
    /// The workspace root relative to the repository's working directory, with `/` (empty
    /// when they are the same folder).
    root_in_repo: String,
    /// Shown in error messages.
    root: PathBuf,
    mailmap: Option<git2::Mailmap>,
    /// The pack files, read directly (see [`pack`]); shared with the other threads' handles.
    packs: Arc<PackFiles>,
    /// This thread's reader of blobs from them.
    blobs: RefCell<PackReader>,
    /// `git replace` commits, read in place of the ones they replace.
    replacements: Arc<Replacements>,
}

/// Bytes of rebuilt objects each reader keeps for the next reads.
const PACK_CACHE_BYTES: usize = 24 << 20;

/// What another thread needs to open the same repository: git2 handles are not shared
/// between threads, so each worker opens its own.
#[derive(Debug, Clone)]
pub struct RepositoryHandle {
    git_dir: PathBuf,
    root: PathBuf,
    packs: Arc<PackFiles>,
    replacements: Arc<Replacements>,
}

impl RepositoryHandle {
    /// Opens the repository again (no discovery, no checks: [`GitRepository::open`] made them).
    pub fn open(&self) -> Result<GitRepository> {
        let repo = super::open::reopen(&self.git_dir, &self.root)?;
        // [`GitRepository::open`] already refused an unsafe `.mailmap`.
        let mailmap = load_mailmap(&repo).ok().flatten();
        Ok(GitRepository {
            repo,
            root_in_repo: String::new(),
            root: self.root.clone(),
            mailmap,
            blobs: RefCell::new(PackReader::new(Arc::clone(&self.packs), PACK_CACHE_BYTES)),
            packs: Arc::clone(&self.packs),
            replacements: Arc::clone(&self.replacements),
        })
    }
}

/// `.mailmap`: in a work tree, read through the confined asset reader (a committed link, pipe
/// or oversized file is refused, naming it); in a bare repository, libgit2's own lookup (the
/// blob at HEAD). A `.mailmap` that does not parse must not stop the metrics: identities then
/// stay as recorded.
fn load_mailmap(repo: &Repository) -> Result<Option<git2::Mailmap>> {
    match repo.workdir() {
        Some(workdir) => Ok(crate::repo::asset::read(workdir, Path::new(".mailmap"))?
            .and_then(|text| git2::Mailmap::from_buffer(&text).ok())),
        None => Ok(repo.mailmap().ok()),
    }
}

/// The commit a ref points at.
#[derive(Debug, Clone, Copy)]
pub struct Head {
    /// The commit.
    pub commit: CommitInfo,
}

impl GitRepository {
    /// Opens the repository holding `root` (the workspace root) through [`super::open`],
    /// refusing the shapes whose history cannot be read right (shallow, partial, reftable,
    /// SHA-256, another user's) and damaged loose objects in any object folder.
    pub fn open(root: &Path) -> Result<GitRepository> {
        let repo = super::open::open(root, super::open::Purpose::History)?;
        super::objects::ObjectStore::of(&repo, root).refuse_damaged(&repo)?;
        let root_in_repo = match repo.workdir() {
            Some(workdir) => relative_to(workdir, root),
            None => String::new(),
        };
        // A linked or special `.mailmap` is refused; a broken one leaves identities as recorded.
        let mailmap = load_mailmap(&repo)?;
        if repo.is_bare() {
            refuse_committed_assets(&repo, root)?;
        }
        let replacements = Arc::new(Replacements::load(&repo, root)?);
        let packs = Arc::new(PackFiles::open(&repo.commondir().join("objects")));
        Ok(GitRepository {
            repo,
            root_in_repo,
            root: root.to_path_buf(),
            mailmap,
            blobs: RefCell::new(PackReader::new(Arc::clone(&packs), PACK_CACHE_BYTES)),
            packs,
            replacements,
        })
    }

    /// The workspace root relative to the repository's working directory, with `/` (empty
    /// when they are the same folder).
    pub fn root_in_repo(&self) -> &str {
        &self.root_in_repo
    }

    /// The forge the `origin` remote is on (none for another host, a URL it cannot read, or
    /// no `origin`).
    pub fn forge(&self) -> Option<super::forge::Forge> {
        super::forge::Forge::from_remote(&self.origin_url()?)
    }

    /// Links to the forge the `origin` remote is on, for files as of `head` (none for another
    /// host, a URL it cannot read, or no `origin`).
    pub fn links(&self, head: Option<&Head>) -> Option<super::forge::Links> {
        Some(super::forge::Links {
            forge: self.forge()?,
            head: head?.commit.id.hex(),
            root_in_repo: self.root_in_repo.clone(),
        })
    }

    /// A handle from which other threads open the repository.
    pub fn handle(&self) -> RepositoryHandle {
        RepositoryHandle {
            git_dir: self.repo.path().to_path_buf(),
            root: self.root.clone(),
            packs: Arc::clone(&self.packs),
            replacements: Arc::clone(&self.replacements),
        }
    }

    /// The commit `git_ref` names, or `None` when it is `HEAD` of a repository without commits.
    pub fn resolve(&self, git_ref: &str) -> Result<Option<Head>> {
        let object = match self.repo.revparse_single(git_ref) {
            Ok(object) => object,
            Err(err) => {
                if git_ref == "HEAD" {
                    match super::open::unborn_head(&self.repo) {
                        // A new repository: nothing to measure yet.
                        Some(super::open::UnbornHead::Empty { .. }) => return Ok(None),
                        Some(missing) => {
                            return Err(Error::Git(format!(
                                "{}, so there is no history to measure; {}",
                                missing.describe(&self.root),
                                missing.fix(true)
                            )))
                        }
                        None => {}
                    }
                }
                return Err(Error::Git(format!(
                    "{}: unknown ref {git_ref:?} ({}); give a branch, tag or commit that exists, \
                     e.g. --ref main",
                    self.root.display(),
                    err.message()
                )));
            }
        };
        let commit = object.peel_to_commit().map_err(|err| {
            Error::Git(format!(
                "{}: {git_ref:?} does not point at a commit ({}); give a branch, tag or commit",
                self.root.display(),
                err.message()
            ))
        })?;
        Ok(Some(Head {
            commit: CommitInfo {
                id: CommitId(commit.id()),
                time: self.commit_time(commit.id(), self.content(&commit)?.time().seconds())?,
            },
        }))
    }

    /// Walks the first-parent chain ending at `head`, oldest first, calling `visit` for every
    /// commit that changed a handoff file under `handoffs_dir` (relative to the workspace root).
    pub fn walk(
        &self,
        head: &Head,
        handoffs_dir: &str,
        progress: WalkProgress<'_>,
        visit: &mut dyn FnMut(&CommitInfo, &[FileChange]) -> Result<()>,
    ) -> Result<()> {
        let tree_path = join(&self.root_in_repo, handoffs_dir.trim_matches('/'));
        let display_prefix = handoffs_dir.trim_matches('/').to_string();
        let chain = self.first_parent_chain(head.commit.id.0)?;
        let total = chain.len() as u64;
        let mut trees = TreeReader::new(self)?;
        let mut previous_root: Option<Oid> = None;
        let mut previous: Option<Oid> = None;
        let mut changes = Vec::new();
        for (done, link) in chain.iter().enumerate() {
            progress(done as u64 + 1, total);
            // A commit that changed nothing (or only metadata) has its parent's tree.
            if previous_root == Some(link.tree) {
                continue;
            }
            previous_root = Some(link.tree);
            let current = trees.subtree(link.tree, &tree_path)?;
            if current == previous {
                continue;
            }
            changes.clear();
            trees.next_commit();
            trees.diff(previous, current, &display_prefix, &mut changes)?;
            previous = current;
            if !changes.is_empty() {
                let info = CommitInfo {
                    id: CommitId(link.commit),
                    time: self.commit_time(link.commit, link.seconds)?,
                };
                visit(&info, &changes)?;
            }
        }
        Ok(())
    }

    /// The handoff files under `handoffs_dir` at `head`, with their contents, in git's order:
    /// what the walk ends with, known before it starts.
    pub fn files_at(&self, head: &Head, handoffs_dir: &str) -> Result<Vec<(String, BlobId)>> {
        let tree_path = join(&self.root_in_repo, handoffs_dir.trim_matches('/'));
        let display_prefix = handoffs_dir.trim_matches('/').to_string();
        let commit = self
            .repo
            .find_commit(head.commit.id.0)
            .map_err(|e| self.git_error(&e))?;
        let mut trees = TreeReader::new(self)?;
        let Some(tree) = trees.subtree(commit.tree_id(), &tree_path)? else {
            return Ok(Vec::new());
        };
        let mut changes = Vec::new();
        trees.diff(None, Some(tree), &display_prefix, &mut changes)?;
        Ok(changes
            .into_iter()
            .filter_map(|change| match change {
                FileChange::Added { path, blob } => Some((path, blob)),
                _ => None,
            })
            .collect())
    }

    /// The name of the author of `commit` (through `.mailmap`) and its whole message (a
    /// forge's pull-request number is read from it).
    pub fn author_and_message(&self, commit: CommitId) -> Result<(Option<String>, String)> {
        let commit = self
            .repo
            .find_commit(self.replacements.content_of(commit.0))
            .map_err(|e| self.git_error(&e))?;
        let signature = match &self.mailmap {
            Some(mailmap) => commit.author_with_mailmap(mailmap).ok(),
            None => None,
        };
        let signature = signature.unwrap_or_else(|| commit.author().to_owned());
        // Old commits may carry names in another encoding (Latin-1): shown lossily, not dropped.
        let author = String::from_utf8_lossy(signature.name_bytes()).into_owned();
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        Ok((Some(author), message))
    }

    /// `(commit, tree, committer time)` of each commit on the first-parent chain, oldest first.
    fn first_parent_chain(&self, head: Oid) -> Result<Vec<ChainLink>> {
        let mut chain = Vec::new();
        let mut next = Some(head);
        while let Some(id) = next {
            let commit = self
                .repo
                .find_commit(self.replacements.content_of(id))
                .map_err(|e| self.git_error(&e))?;
            chain.push(ChainLink {
                commit: id,
                tree: commit.tree_id(),
                seconds: commit.time().seconds(),
            });
            next = if commit.parent_count() > 0 {
                Some(commit.parent_id(0).map_err(|e| self.git_error(&e))?)
            } else {
                None
            };
        }
        chain.reverse();
        Ok(chain)
    }

    /// The commit whose content stands for `commit` (its `git replace` replacement, if any).
    fn content<'c>(&'c self, commit: &git2::Commit<'c>) -> Result<git2::Commit<'c>> {
        let content = self.replacements.content_of(commit.id());
        if content == commit.id() {
            return Ok(commit.clone());
        }
        self.repo
            .find_commit(content)
            .map_err(|e| self.git_error(&e))
    }

    /// For a merge commit, the committer time of the earliest commit on the merged branch
    /// (reachable from its other parents, not from its first) that changed each of `paths`
    /// (relative to the workspace root) against its own first parent; `None` for a path no
    /// such commit touched, and for every path when `merge` is not a merge.
    pub fn first_touches_on_merged_branch(
        &self,
        merge: CommitId,
        paths: &[&str],
    ) -> Result<Vec<Option<jiff::Timestamp>>> {
        let mut found: Vec<Option<jiff::Timestamp>> = vec![None; paths.len()];
        let commit = self
            .repo
            .find_commit(self.replacements.content_of(merge.0))
            .map_err(|e| self.git_error(&e))?;
        if commit.parent_count() < 2 {
            return Ok(found);
        }
        let tree_paths: Vec<String> = paths.iter().map(|p| join(&self.root_in_repo, p)).collect();
        let mut walk = self.repo.revwalk().map_err(|e| self.git_error(&e))?;
        for parent in commit.parent_ids().skip(1) {
            walk.push(parent).map_err(|e| self.git_error(&e))?;
        }
        walk.hide(commit.parent_id(0).map_err(|e| self.git_error(&e))?)
            .map_err(|e| self.git_error(&e))?;
        let entry =
            |tree: &git2::Tree<'_>, path: &str| tree.get_path(Path::new(path)).ok().map(|e| e.id());
        for id in walk {
            let id = id.map_err(|e| self.git_error(&e))?;
            let branch_commit = self.repo.find_commit(id).map_err(|e| self.git_error(&e))?;
            let tree = branch_commit.tree().map_err(|e| self.git_error(&e))?;
            let parent_tree = match branch_commit.parent(0) {
                Ok(parent) => Some(parent.tree().map_err(|e| self.git_error(&e))?),
                Err(_) => None,
            };
            let time = self.commit_time(id, branch_commit.time().seconds())?;
            for (slot, path) in found.iter_mut().zip(&tree_paths) {
                let now = entry(&tree, path);
                let before = parent_tree.as_ref().and_then(|t| entry(t, path));
                if now != before && slot.is_none_or(|earliest| time < earliest) {
                    *slot = Some(time);
                }
            }
        }
        Ok(found)
    }

    /// A commit's time, or an error naming it when jiff cannot represent it (outside the
    /// years -9999 to 9999: only a hand-made commit gets there).
    fn commit_time(&self, commit: Oid, seconds: i64) -> Result<jiff::Timestamp> {
        jiff::Timestamp::from_second(seconds).map_err(|_| {
            Error::Git(format!(
                "{}: commit {commit} is dated {seconds} seconds from 1970, outside the years -9999 \
                 to 9999 that dates are computed in, so the metrics cannot place it in time; see \
                 it with `git cat-file -p {commit}`, and measure a ref whose \
                 history does not hold it (--ref)",
                self.root.display()
            ))
        })
    }

    pub(crate) fn git_error(&self, err: &git2::Error) -> Error {
        Error::Git(format!(
            "{}: cannot read the git history: {}; check the repository with `git fsck`",
            self.root.display(),
            err.message()
        ))
    }
}

impl BlobSource for GitRepository {
    fn read_blob(&self, blob: BlobId, path: &str, max_size: u64) -> Result<Content> {
        {
            let mut packs = self.blobs.borrow_mut();
            if let Some(size) = packs.size(blob.0) {
                if size > max_size {
                    return Ok(Content::TooLarge(size));
                }
                if let Some(object) = packs.read(blob.0).filter(|o| o.kind == ObjectType::Blob) {
                    return Ok(Content::Bytes(object.bytes.to_vec()));
                }
            }
        }
        // Not in a pack this reader knows (a loose object, say): libgit2 reads it.
        let unreadable = |err: git2::Error| {
            Error::Git(format!(
                "{}: cannot read a version of {path} (git object {}) from the history: {}; check \
                 the repository with `git fsck` and restore what is missing from a healthy \
                 clone",
                self.root.display(),
                blob.0,
                err.message()
            ))
        };
        let (size, _) = self
            .repo
            .odb()
            .and_then(|odb| odb.read_header(blob.0))
            .map_err(unreadable)?;
        if size as u64 > max_size {
            return Ok(Content::TooLarge(size as u64));
        }
        let found = self.repo.find_blob(blob.0).map_err(unreadable)?;
        Ok(Content::Bytes(found.content().to_vec()))
    }
}

struct ChainLink {
    commit: Oid,
    tree: Oid,
    /// Committer time, converted only for the commits that changed a handoff: a broken date
    /// elsewhere in the history does not matter.
    seconds: i64,
}

/// `path` relative to `base`, with `/`; empty when they are the same (or unrelated) folder.
fn relative_to(base: &Path, path: &Path) -> String {
    let base = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    match path.strip_prefix(&base) {
        Ok(relative) => crate::repo::slash_path(relative),
        Err(_) => String::new(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// The repository files a checkout would read from its work tree, at the top of HEAD's tree.
const ASSETS: [&str; 6] = [
    "handoff.toml",
    "playbooks",
    "schema",
    "roster.yaml",
    "templates",
    "reviews",
];

/// A bare repository has no work tree, so the committed config, playbooks and schemas would be
/// silently replaced by the embedded defaults: refused when HEAD commits any of them (without
/// them, the defaults are what a checkout would use too).
fn refuse_committed_assets(repo: &Repository, root: &Path) -> Result<()> {
    let Some(tree) = repo.head().ok().and_then(|head| head.peel_to_tree().ok()) else {
        return Ok(());
    };
    let committed: Vec<String> = ASSETS
        .iter()
        .filter_map(|name| {
            let entry = tree.get_name(name)?;
            Some(if entry.kind() == Some(ObjectType::Tree) {
                format!("{name}/")
            } else {
                name.to_string()
            })
        })
        .collect();
    if committed.is_empty() {
        return Ok(());
    }
    Err(Error::Git(format!(
        "{}: a bare repository has no work tree, so the {} committed at HEAD would not be read \
         and the embedded defaults would score the handoffs instead; run in a checkout (`git \
         clone {} handoffs`, or `git -C {} worktree add ../handoffs`)",
        root.display(),
        committed.join(", "),
        root.display(),
        root.display()
    )))
}
