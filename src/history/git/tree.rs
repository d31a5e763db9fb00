//! The walk's tree reading and comparison, on raw tree objects: a tree is read from the object
//! database as bytes (entries `MODE SP NAME NUL 20-byte-id`, in git's order) and two trees are
//! compared entry by entry, byte for byte, descending only into subtrees whose ids differ.
//! libgit2's parsed `Tree` allocates a record per entry on every read (for folders of a thousand
//! handoffs, its parsing and reallocations were about a tenth of `handoff metrics`' profile);
//! neighbouring trees share almost every entry, and equal entries are equal bytes.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ffi::CStr;
use std::rc::Rc;
use std::sync::Arc;

use git2::{ObjectType, Odb, Oid};

use super::pack::{Bytes, PackReader};
use super::{join, BlobId, FileChange, GitRepository};
use crate::error::{Error, Result};

/// Bytes of rebuilt trees kept: a folder's versions share delta chains, and a folder of a
/// thousand handoffs is ~50 KB.
const TREE_CACHE_BYTES: usize = 32 << 20;

/// Reads trees for the walk, keeping the previous commit's: its new side is the next commit's
/// old side, so every changed folder is read once.
pub(super) struct TreeReader<'r> {
    repository: &'r GitRepository,
    odb: Odb<'r>,
    packs: PackReader,
    previous: HashMap<Oid, Bytes>,
    current: HashMap<Oid, Bytes>,
}

impl<'r> TreeReader<'r> {
    pub(super) fn new(repository: &'r GitRepository) -> Result<TreeReader<'r>> {
        let odb = repository
            .repo
            .odb()
            .map_err(|e| repository.git_error(&e))?;
        Ok(TreeReader {
            repository,
            odb,
            packs: PackReader::new(Arc::clone(&repository.packs), TREE_CACHE_BYTES),
            previous: HashMap::new(),
            current: HashMap::new(),
        })
    }

    /// Starts the next commit: the trees read for the last one become its old side.
    pub(super) fn next_commit(&mut self) {
        self.previous = std::mem::take(&mut self.current);
    }

    /// The id of the tree at `path` (`/`-separated, empty for the root) inside `root`.
    pub(super) fn subtree(&mut self, root: Oid, path: &str) -> Result<Option<Oid>> {
        let mut tree = root;
        for name in path.split('/').filter(|name| !name.is_empty()) {
            let bytes = self.read(tree)?;
            let mut entries = Entries::new(&bytes, Some(tree));
            let found = loop {
                match entries.next(self.repository)? {
                    Some(entry) if entry.name == name.as_bytes() => break Some(entry),
                    Some(_) => {}
                    None => break None,
                }
            };
            match found {
                Some(entry) if entry.is_tree() => tree = entry.id(self.repository)?,
                _ => return Ok(None),
            }
        }
        Ok(Some(tree))
    }

    /// The content of the handoff file (a regular `*.yaml` / `*.yml` file) `name` in the
    /// folder `tree`, if there is one.
    pub(super) fn handoff_in(&mut self, tree: Oid, name: &str) -> Result<Option<Oid>> {
        let bytes = self.read(tree)?;
        let mut entries = Entries::new(&bytes, Some(tree));
        while let Some(entry) = entries.next(self.repository)? {
            if entry.name == name.as_bytes() {
                return match entry.kind() {
                    EntryKind::Handoff => entry.id(self.repository).map(Some),
                    _ => Ok(None),
                };
            }
        }
        Ok(None)
    }

    /// Appends the handoff files that differ between two trees (`None`: no tree), descending
    /// only into subtrees whose ids differ. Both list entries in git's order, so one merge pass
    /// pairs them.
    pub(super) fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        prefix: &str,
        changes: &mut Vec<FileChange>,
    ) -> Result<()> {
        let old_tree = old.map(|id| self.old_side(id)).transpose()?;
        let new_tree = new.map(|id| self.new_side(id)).transpose()?;
        let old_bytes: &[u8] = old_tree.as_deref().map_or(&[], Vec::as_slice);
        let new_bytes: &[u8] = new_tree.as_deref().map_or(&[], Vec::as_slice);
        let mut old_entries = Entries::new(old_bytes, old);
        let mut new_entries = Entries::new(new_bytes, new);
        let repository = self.repository;
        // Neighbouring versions of a folder differ in an entry or two. The entries within the
        // bytes both share at the start are equal, so they are read on one side only; once
        // both sides' remaining entries lie within the bytes they share at the end, the rest
        // is equal too.
        let shared_start = shared_prefix(old_bytes, new_bytes);
        let shared_end = shared_suffix(old_bytes, new_bytes);
        while let Some(entry) = old_entries.peek(repository)? {
            let end = old_bytes.len() - entry.left + entry.raw.len();
            if end > shared_start {
                break;
            }
            old_entries.skip_to(end);
            new_entries.skip_to(end);
        }
        let (mut a, mut b) = (old_entries.next(repository)?, new_entries.next(repository)?);
        loop {
            match (a, b) {
                (None, None) => return Ok(()),
                (Some(x), Some(y)) if x.left == y.left && x.left <= shared_end => return Ok(()),
                // Same name, mode and id: nothing changed there.
                (Some(x), Some(y)) if x.raw == y.raw => {
                    a = old_entries.next(repository)?;
                    b = new_entries.next(repository)?;
                }
                (Some(x), Some(y)) => match x.git_order(&y) {
                    Ordering::Less => {
                        self.one_sided(x, prefix, false, changes)?;
                        a = old_entries.next(repository)?;
                    }
                    Ordering::Greater => {
                        self.one_sided(y, prefix, true, changes)?;
                        b = new_entries.next(repository)?;
                    }
                    Ordering::Equal => {
                        self.same_name(x, y, prefix, changes)?;
                        a = old_entries.next(repository)?;
                        b = new_entries.next(repository)?;
                    }
                },
                (Some(x), None) => {
                    self.one_sided(x, prefix, false, changes)?;
                    a = old_entries.next(repository)?;
                }
                (None, Some(y)) => {
                    self.one_sided(y, prefix, true, changes)?;
                    b = new_entries.next(repository)?;
                }
            }
        }
    }

    /// Two different entries with the same name (both folders or both not).
    fn same_name(
        &mut self,
        old: Entry<'_>,
        new: Entry<'_>,
        prefix: &str,
        changes: &mut Vec<FileChange>,
    ) -> Result<()> {
        let (old_id, new_id) = (old.id(self.repository)?, new.id(self.repository)?);
        match (old.kind(), new.kind()) {
            (EntryKind::Tree, EntryKind::Tree) if old_id != new_id => self.diff(
                Some(old_id),
                Some(new_id),
                &join(prefix, &old.name()),
                changes,
            ),
            (EntryKind::Handoff, EntryKind::Handoff) if old_id != new_id => {
                changes.push(FileChange::Modified {
                    path: join(prefix, &old.name()),
                    blob: BlobId(new_id),
                });
                Ok(())
            }
            (old_kind, new_kind) if old_kind == new_kind => Ok(()),
            // A mode change made the file a handoff or stopped it being one (a symbolic link,
            // say): it appeared or disappeared as a handoff.
            _ => {
                self.one_sided(old, prefix, false, changes)?;
                self.one_sided(new, prefix, true, changes)
            }
        }
    }

    /// An entry present on one side only: a whole subtree or one file added or deleted.
    fn one_sided(
        &mut self,
        entry: Entry<'_>,
        prefix: &str,
        added: bool,
        changes: &mut Vec<FileChange>,
    ) -> Result<()> {
        let kind = entry.kind();
        if kind == EntryKind::Other {
            return Ok(());
        }
        let path = join(prefix, &entry.name());
        let id = entry.id(self.repository)?;
        match kind {
            EntryKind::Tree if added => self.diff(None, Some(id), &path, changes),
            EntryKind::Tree => self.diff(Some(id), None, &path, changes),
            _ => {
                let blob = BlobId(id);
                changes.push(if added {
                    FileChange::Added { path, blob }
                } else {
                    FileChange::Deleted { path, blob }
                });
                Ok(())
            }
        }
    }

    fn old_side(&mut self, id: Oid) -> Result<Bytes> {
        match self.previous.get(&id) {
            Some(tree) => Ok(Rc::clone(tree)),
            None => self.read(id),
        }
    }

    fn new_side(&mut self, id: Oid) -> Result<Bytes> {
        let tree = match self.previous.get(&id) {
            Some(tree) => Rc::clone(tree),
            None => self.read(id)?,
        };
        self.current.insert(id, Rc::clone(&tree));
        Ok(tree)
    }

    fn read(&mut self, id: Oid) -> Result<Bytes> {
        if let Some(object) = self.packs.read(id) {
            if object.kind == ObjectType::Tree {
                return Ok(object.bytes);
            }
        }
        // Not in a pack the reader knows: libgit2 reads it (and names any damage).
        let object = self
            .odb
            .read(id)
            .map_err(|e| self.repository.git_error(&e))?;
        if object.kind() != ObjectType::Tree {
            return Err(malformed(self.repository, Some(id), "not a tree"));
        }
        Ok(Rc::new(object.data().to_vec()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Tree,
    /// A regular file named `*.yaml` / `*.yml`.
    Handoff,
    /// Anything else: other files, symbolic links, submodules, hidden entries.
    Other,
}

/// One entry of a raw tree.
#[derive(Debug, Clone, Copy)]
struct Entry<'t> {
    mode: u32,
    name: &'t [u8],
    id: &'t [u8],
    /// The whole entry: equal bytes are the same name, mode and id.
    raw: &'t [u8],
    /// Bytes from its start to the end of the tree.
    left: usize,
}

impl Entry<'_> {
    fn is_tree(&self) -> bool {
        self.mode & 0o170000 == 0o040000
    }

    fn kind(&self) -> EntryKind {
        // Hidden folders and files are skipped, as `handoff lint` skips them on disk.
        if self.name.starts_with(b".") {
            EntryKind::Other
        } else if self.is_tree() {
            EntryKind::Tree
        } else if self.mode & 0o170000 == 0o100000
            && (self.name.ends_with(b".yaml") || self.name.ends_with(b".yml"))
        {
            EntryKind::Handoff
        } else {
            EntryKind::Other
        }
    }

    fn name(&self) -> String {
        String::from_utf8_lossy(self.name).into_owned()
    }

    fn id(&self, repository: &GitRepository) -> Result<Oid> {
        Oid::from_bytes(self.id).map_err(|e| repository.git_error(&e))
    }

    /// git's tree order: names compared bytewise, a folder as if its name ended with `/`.
    fn git_order(&self, other: &Entry<'_>) -> Ordering {
        // Neighbouring trees share almost every name: settled without the general comparison.
        if self.name == other.name && self.is_tree() == other.is_tree() {
            return Ordering::Equal;
        }
        let suffix = |entry: &Entry<'_>| if entry.is_tree() { &b"/"[..] } else { &b""[..] };
        self.name
            .iter()
            .chain(suffix(self))
            .cmp(other.name.iter().chain(suffix(other)))
    }
}

/// The entries of a raw tree, in order.
struct Entries<'t> {
    bytes: &'t [u8],
    /// Where the next entry starts.
    at: usize,
    /// The tree, for error messages.
    tree: Option<Oid>,
}

/// Bytes in an object id (SHA-1).
const ID_LENGTH: usize = 20;

impl<'t> Entries<'t> {
    fn new(bytes: &'t [u8], tree: Option<Oid>) -> Entries<'t> {
        Entries { bytes, at: 0, tree }
    }

    /// Moves to the entry starting at byte `at`.
    fn skip_to(&mut self, at: usize) {
        self.at = at;
    }

    fn next(&mut self, repository: &GitRepository) -> Result<Option<Entry<'t>>> {
        let entry = self.peek(repository)?;
        if let Some(entry) = entry {
            self.at += entry.raw.len();
        }
        Ok(entry)
    }

    fn peek(&self, repository: &GitRepository) -> Result<Option<Entry<'t>>> {
        let bytes = &self.bytes[self.at..];
        if bytes.is_empty() {
            return Ok(None);
        }
        let bad = |what| malformed(repository, self.tree, what);
        let space = bytes
            .iter()
            .take(8)
            .position(|&b| b == b' ')
            .ok_or_else(|| bad("an entry without a mode"))?;
        // `CStr` finds the end of the name with the standard library's word-at-a-time memchr,
        // several times faster than a byte loop over the thousands of names in a folder.
        let nul = CStr::from_bytes_until_nul(&bytes[space..])
            .map(|name| space + name.to_bytes().len())
            .map_err(|_| bad("an entry without a name"))?;
        let end = nul + 1 + ID_LENGTH;
        if end > bytes.len() {
            return Err(bad("a truncated entry"));
        }
        let mode = bytes[..space]
            .iter()
            .try_fold(0u32, |mode, &digit| match digit {
                b'0'..=b'7' => Some(mode * 8 + u32::from(digit - b'0')),
                _ => None,
            })
            .ok_or_else(|| bad("an entry with a bad mode"))?;
        Ok(Some(Entry {
            mode,
            name: &bytes[space + 1..nul],
            id: &bytes[nul + 1..end],
            raw: &bytes[..end],
            left: bytes.len(),
        }))
    }
}

/// Compared a block at a time (a `memcmp`), then byte by byte in the block that differs.
const BLOCK: usize = 64;

/// How many bytes `a` and `b` share at their start.
fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    let length = a.len().min(b.len());
    let mut shared = 0;
    while shared + BLOCK <= length && a[shared..shared + BLOCK] == b[shared..shared + BLOCK] {
        shared += BLOCK;
    }
    shared
        + a[shared..length]
            .iter()
            .zip(&b[shared..length])
            .take_while(|(x, y)| x == y)
            .count()
}

/// How many bytes `a` and `b` share at their end.
fn shared_suffix(a: &[u8], b: &[u8]) -> usize {
    let length = a.len().min(b.len());
    let (a, b) = (&a[a.len() - length..], &b[b.len() - length..]);
    let mut shared = 0;
    while shared + BLOCK <= length
        && a[length - shared - BLOCK..length - shared]
            == b[length - shared - BLOCK..length - shared]
    {
        shared += BLOCK;
    }
    shared
        + a[..length - shared]
            .iter()
            .rev()
            .zip(b[..length - shared].iter().rev())
            .take_while(|(x, y)| x == y)
            .count()
}

fn malformed(repository: &GitRepository, tree: Option<Oid>, what: &str) -> Error {
    let tree = tree.map_or_else(String::new, |id| format!(" {id}"));
    Error::Git(format!(
        "{}: cannot read the git history: tree{tree} is malformed ({what}); check the repository \
         with `git fsck`",
        repository.root.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_bytes_at_either_end_are_counted_across_blocks() {
        let a: Vec<u8> = (0..200u8).collect();
        let mut b = a.clone();
        b[150] = 0;
        assert_eq!(shared_prefix(&a, &b), 150);
        assert_eq!(shared_suffix(&a, &b), 49);
        assert_eq!(shared_prefix(&a, &a), 200);
        assert_eq!(shared_suffix(&a, &a[10..]), 190);
        assert_eq!(shared_prefix(&a[..0], &a), 0);
        assert_eq!(shared_suffix(b"xyz", b"abz"), 1);
    }
}
