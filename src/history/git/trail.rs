//! One handoff's commits for `handoff log`: a path-limited walk of the first-parent chain from
//! the ref's head back to the commit that created the file, following renames, and for every
//! merge on the chain that changed the file, the commits of the merged branch that changed it.
//! Per commit it reads one path through the trees (a folder whose tree id did not change is not
//! read again), so the cost is the chain's length up to the creation, not the repository's
//! size; nothing past the creation is read.

use git2::{Commit, Oid, Sort};

use super::tree::TreeReader;
use super::{join, BlobId, CommitId, FileChange, GitRepository, Head};
use crate::error::Result;
use crate::history::track::Tracker;

/// A commit that changed the handoff.
#[derive(Debug, Clone)]
pub struct Touch {
    /// The commit.
    pub commit: CommitId,
    /// Its author date.
    pub time: jiff::Timestamp,
    /// Its author's name, through `.mailmap`.
    pub author: Option<String>,
    /// The first line of its message.
    pub subject: String,
    /// Its whole message (a forge's pull-request number is read from it).
    pub message: String,
    /// The handoff's path after it, relative to the workspace root.
    pub path: String,
    /// The handoff's content after it.
    pub blob: BlobId,
    /// For a commit of a merged branch: the merge on the first-parent chain that landed it.
    pub merge: Option<CommitId>,
}

/// Caches the last lookup of one path: the walk asks for the same path in neighbouring
/// commits, whose trees mostly share the folder that holds it.
#[derive(Default)]
struct Lookup {
    path: String,
    root: Option<(Oid, Option<Oid>)>,
    folder: Option<(Oid, Option<Oid>)>,
}

impl Lookup {
    fn blob(&mut self, trees: &mut TreeReader<'_>, root: Oid, path: &str) -> Result<Option<Oid>> {
        if self.path != path {
            *self = Lookup {
                path: path.to_string(),
                ..Lookup::default()
            };
        }
        if let Some((id, found)) = self.root {
            if id == root {
                return Ok(found);
            }
        }
        let (folder, name) = path.rsplit_once('/').unwrap_or(("", path));
        let found = match trees.subtree(root, folder)? {
            None => None,
            Some(tree) => match self.folder {
                Some((id, found)) if id == tree => found,
                _ => {
                    let found = trees.handoff_in(tree, name)?;
                    self.folder = Some((tree, found));
                    found
                }
            },
        };
        self.root = Some((root, found));
        Ok(found)
    }
}

impl GitRepository {
    /// The commits that changed the handoff at `path` (relative to the workspace root) on the
    /// first-parent chain ending at `head`, oldest first, with the commits of merged branches
    /// before the merge that landed them. Empty when `head` has no handoff file at `path`.
    /// `handoffs_dir` bounds where a rename's old path is looked for.
    /// Renamed files over `max_file_size` bytes are paired by identical content only.
    pub fn trail(
        &self,
        head: &Head,
        handoffs_dir: &str,
        path: &str,
        max_file_size: u64,
    ) -> Result<Vec<Touch>> {
        let dir = handoffs_dir.trim_matches('/').to_string();
        let tree_path = join(&self.root_in_repo, &dir);
        let mut trees = TreeReader::new(self)?;
        let mut lookup = Lookup::default();
        let mut path = path.to_string();
        let mut id = head.commit.id.0;
        let mut commit = self.commit(id)?;
        let Some(mut blob) = lookup.blob(
            &mut trees,
            commit.tree_id(),
            &join(&self.root_in_repo, &path),
        )?
        else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        loop {
            let parent = match commit.parent_count() {
                0 => None,
                _ => {
                    let parent = commit.parent_id(0).map_err(|e| self.git_error(&e))?;
                    Some((parent, self.commit(parent)?))
                }
            };
            let before = match &parent {
                Some((_, parent)) => lookup.blob(
                    &mut trees,
                    parent.tree_id(),
                    &join(&self.root_in_repo, &path),
                )?,
                None => None,
            };
            if before != Some(blob) {
                found.push(self.touch(id, &commit, &path, BlobId(blob), None)?);
                // Added here: a rename's old path goes on, anything else is the creation.
                let renamed = match (&parent, before) {
                    (Some((_, parent)), None) => self.renamed_from(
                        &mut trees,
                        max_file_size,
                        parent.tree_id(),
                        commit.tree_id(),
                        &tree_path,
                        &dir,
                        &path,
                    )?,
                    _ => None,
                };
                if commit.parent_count() > 1 {
                    let old_path = renamed.as_ref().map(|(old, _)| old.as_str());
                    self.branch_touches(id, &commit, &path, old_path, &mut found)?;
                }
                match (before, renamed) {
                    (Some(previous), _) => blob = previous,
                    (None, Some((old_path, old_blob))) => {
                        path = old_path;
                        blob = old_blob.0;
                    }
                    (None, None) => break,
                }
            }
            match parent {
                Some((parent_id, parent)) => {
                    id = parent_id;
                    commit = parent;
                }
                None => break,
            }
        }
        found.reverse();
        Ok(found)
    }

    /// The `origin` remote's URL from the repository's config, when it has one (read locally;
    /// nothing is fetched).
    pub fn origin_url(&self) -> Option<String> {
        let config = self.repo.config().ok()?;
        config
            .get_string("remote.origin.url")
            .ok()
            .filter(|url| !url.trim().is_empty())
    }

    /// The old path and content of the file `commit` added at `path`, when the commit renamed
    /// it (paired as the metrics pair renames).
    #[allow(clippy::too_many_arguments)]
    fn renamed_from(
        &self,
        trees: &mut TreeReader<'_>,
        max_file_size: u64,
        parent_root: Oid,
        root: Oid,
        tree_path: &str,
        dir: &str,
        path: &str,
    ) -> Result<Option<(String, BlobId)>> {
        let old = trees.subtree(parent_root, tree_path)?;
        let new = trees.subtree(root, tree_path)?;
        let mut changes = Vec::new();
        trees.next_commit();
        trees.diff(old, new, dir, &mut changes)?;
        let mut added = Vec::new();
        let mut deleted = Vec::new();
        for change in &changes {
            match change {
                FileChange::Added { path, blob } => added.push((path.as_str(), *blob)),
                FileChange::Deleted { path, blob } => deleted.push((path.as_str(), *blob)),
                FileChange::Modified { .. } => {}
            }
        }
        let Some(mine) = added.iter().position(|(p, _)| *p == path) else {
            return Ok(None);
        };
        let pairs = Tracker::new(self, max_file_size).pair_renames(&deleted, &added)?;
        Ok(pairs
            .into_iter()
            .find(|&(_, a)| a == mine)
            .map(|(d, _)| (deleted[d].0.to_string(), deleted[d].1)))
    }

    /// Appends, newest first, the commits of the branch `merge` brought in (reachable from its
    /// second parent, not from its first) that changed the file at `path` (or at `old_path`,
    /// its name before a rename the merge brought).
    fn branch_touches(
        &self,
        merge_id: Oid,
        merge: &Commit<'_>,
        path: &str,
        old_path: Option<&str>,
        found: &mut Vec<Touch>,
    ) -> Result<()> {
        let git = |e: git2::Error| self.git_error(&e);
        let mut walk = self.repo.revwalk().map_err(git)?;
        walk.set_sorting(Sort::TOPOLOGICAL).map_err(git)?;
        for parent in 1..merge.parent_count() {
            walk.push(merge.parent_id(parent).map_err(git)?)
                .map_err(git)?;
        }
        walk.hide(merge.parent_id(0).map_err(git)?).map_err(git)?;
        let mut trees = TreeReader::new(self)?;
        let mut now = Lookup::default();
        let mut before = Lookup::default();
        let candidates: Vec<&str> = std::iter::once(path).chain(old_path).collect();
        for id in walk {
            let id = id.map_err(git)?;
            let commit = self.commit(id)?;
            let parent = match commit.parent_count() {
                0 => None,
                _ => Some(self.commit(commit.parent_id(0).map_err(git)?)?),
            };
            for candidate in &candidates {
                let in_repo = join(&self.root_in_repo, candidate);
                let Some(blob) = now.blob(&mut trees, commit.tree_id(), &in_repo)? else {
                    continue;
                };
                let was = match &parent {
                    Some(parent) => before.blob(&mut trees, parent.tree_id(), &in_repo)?,
                    None => None,
                };
                if was != Some(blob) {
                    let touch = self.touch(id, &commit, candidate, BlobId(blob), Some(merge_id))?;
                    found.push(touch);
                }
                break;
            }
        }
        Ok(())
    }

    fn touch(
        &self,
        id: Oid,
        commit: &Commit<'_>,
        path: &str,
        blob: BlobId,
        merge: Option<Oid>,
    ) -> Result<Touch> {
        let author = match &self.mailmap {
            Some(mailmap) => commit.author_with_mailmap(mailmap).ok(),
            None => None,
        }
        .unwrap_or_else(|| commit.author().to_owned());
        // Old commits may carry another encoding (Latin-1): shown lossily, not dropped.
        let name = String::from_utf8_lossy(author.name_bytes()).into_owned();
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        Ok(Touch {
            commit: CommitId(id),
            time: self.commit_time(id, author.when().seconds())?,
            author: Some(name).filter(|n| !n.trim().is_empty()),
            subject: message.lines().next().unwrap_or("").trim().to_string(),
            message,
            path: path.to_string(),
            blob,
            merge: merge.map(CommitId),
        })
    }

    /// A commit's content: its `git replace` replacement's when it has one (shown under the
    /// replaced commit's id, as the metrics walk shows it).
    fn commit(&self, id: Oid) -> Result<Commit<'_>> {
        self.repo
            .find_commit(self.replacements.content_of(id))
            .map_err(|e| self.git_error(&e))
    }
}
