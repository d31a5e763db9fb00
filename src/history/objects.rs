//! Damaged loose objects, found before libgit2 reads them. libgit2 1.9 (the version git2 0.21
//! builds) never returns from reading a loose object whose compressed data was cut short: its
//! inflate loop makes no progress and spins forever (libgit2#7342, fixed upstream after 1.9).
//! So a loose object file is inflated once, to the end of its zlib stream without keeping the
//! output, before libgit2 may read it, and a damaged one is refused with an error that names it
//! and what it is. Packed objects are read by other libgit2 code, which reports damage as an
//! error; a missing object is an error too.
//!
//! [`ObjectStore`] knows every folder libgit2 reads objects from: the repository's own, the
//! alternate stores of `git clone --shared` / `--reference` (`objects/info/alternates`,
//! followed recursively) and `GIT_ALTERNATE_OBJECT_DIRECTORIES`. `metrics` and `sample` read
//! most of the history, so they scan every loose object up front, on all cores: about 0.65 s
//! for 49,096 loose objects (a 10,000-commit history unpacked, 2 shared cores), nothing for
//! packed ones; git packs loose objects once there are about 6,700 (`gc.auto`), a clone has
//! none. `lint --changed-since` and `new --branch` read a few commits, trees and blobs: they
//! [`ObjectStore::check`] just those, one `stat` per folder for a packed one.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use flate2::{Decompress, FlushDecompress, Status};
use git2::{ObjectType, Oid, Repository};
use rayon::prelude::*;

use crate::error::{Error, Result};

/// How many damaged objects the error lists by name.
const LISTED: usize = 5;

/// A loose object file that libgit2 cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedObject {
    /// The object id (hex), from its file's path.
    pub id: String,
    /// The object file.
    pub file: PathBuf,
    /// `blob`, `tree`, `commit` or `tag`, when its header could be inflated.
    pub kind: Option<String>,
    /// What is wrong with it.
    pub problem: Problem,
}

/// What is wrong with a damaged object file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The file ends before its compressed data does (cut short, or empty).
    Truncated,
    /// The compressed data is not valid zlib data.
    Corrupt,
    /// The file cannot be read.
    Unreadable,
}

impl Problem {
    fn describe(self) -> &'static str {
        match self {
            Problem::Truncated => "its file ends before its compressed data does (truncated)",
            Problem::Corrupt => "its compressed data is corrupt",
            Problem::Unreadable => "its file cannot be read",
        }
    }
}

/// The object folders libgit2 reads for one repository: its own `objects/`, every alternate
/// store named in `objects/info/alternates` (recursively, as git follows them, five deep) and
/// the folders in `GIT_ALTERNATE_OBJECT_DIRECTORIES` (with their own alternates).
pub struct ObjectStore {
    dirs: Vec<PathBuf>,
    /// The folder the user ran the command for, shown in messages.
    root: PathBuf,
    inflater: RefCell<Inflater>,
}

/// How deep git follows `info/alternates` files.
const ALTERNATES_DEPTH: usize = 5;

impl ObjectStore {
    /// The object folders of `repo`; `root` is shown in messages.
    pub fn of(repo: &Repository, root: &Path) -> ObjectStore {
        let mut dirs: Vec<PathBuf> = Vec::new();
        let mut seen: HashSet<PathBuf> = HashSet::new();
        let mut pending: Vec<(PathBuf, usize)> = vec![(repo.commondir().join("objects"), 0)];
        for dir in super::open::alternate_object_directories(root) {
            pending.push((dir, 1));
        }
        // Depth-first in file order, so the list reads as git's search order.
        pending.reverse();
        while let Some((dir, depth)) = pending.pop() {
            let key = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
            if !seen.insert(key) {
                continue;
            }
            if depth < ALTERNATES_DEPTH {
                let mut nested = alternates_of(&dir);
                nested.reverse();
                pending.extend(nested.into_iter().map(|d| (d, depth + 1)));
            }
            dirs.push(dir);
        }
        ObjectStore {
            dirs,
            root: root.to_path_buf(),
            inflater: RefCell::new(Inflater::new()),
        }
    }

    /// The object folders, the repository's own first.
    pub fn dirs(&self) -> &[PathBuf] {
        &self.dirs
    }

    /// Fails when any object folder holds a damaged loose object, naming it (and its path at
    /// HEAD when it is one of HEAD's files) and what to do. For commands that read most of
    /// the history (`metrics`, `sample`).
    pub fn refuse_damaged(&self, repo: &Repository) -> Result<()> {
        let damaged: Vec<DamagedObject> = {
            let mut all: Vec<DamagedObject> = self
                .dirs
                .iter()
                .flat_map(|dir| damaged_loose_objects(dir))
                .collect();
            all.sort_by(|a, b| a.id.cmp(&b.id));
            all
        };
        if damaged.is_empty() {
            return Ok(());
        }
        let ids: HashSet<Oid> = damaged
            .iter()
            .filter_map(|object| Oid::from_str(&object.id).ok())
            .collect();
        let at_head = paths_at_head(repo, &ids);
        let describe = |object: &DamagedObject, verb: &str| {
            let kind = object.kind.as_deref();
            let place = match Oid::from_str(&object.id)
                .ok()
                .and_then(|id| at_head.get(&id))
            {
                Some(path) => format!("{} {path} at HEAD", kind.unwrap_or("object")),
                None => match kind {
                    Some(kind) => format!("a {kind} not among HEAD's files"),
                    None => "not among HEAD's files".to_string(),
                },
            };
            describe_damage(object, &place, verb)
        };
        Err(self.damage_error(&damaged, describe))
    }

    /// Fails when `id` is a damaged loose object in one of the folders; `place` says what it
    /// is (`blob handoffs/a.yaml at the merge base`). For commands that read a few objects
    /// (`lint --changed-since`, `new --branch`): each is checked just before libgit2 reads it.
    pub fn check(&self, id: Oid, place: &dyn Fn() -> String) -> Result<()> {
        if id.is_zero() {
            return Ok(());
        }
        let hex = id.to_string();
        for dir in &self.dirs {
            let file = dir.join(&hex[..2]).join(&hex[2..]);
            if !file.exists() {
                continue;
            }
            let checked = self.inflater.borrow_mut().check(&file);
            if let Err((problem, kind)) = checked {
                let object = DamagedObject {
                    id: hex.clone(),
                    file,
                    kind,
                    problem,
                };
                let describe =
                    |object: &DamagedObject, verb: &str| describe_damage(object, &place(), verb);
                return Err(self.damage_error(std::slice::from_ref(&object), describe));
            }
        }
        Ok(())
    }

    /// The commit HEAD points at, checked for damage, then read: `(commit id, tree id)`.
    /// `workdir` is shown in messages. For a HEAD that is a commit (see
    /// [`super::open::unborn_head`] for the others).
    pub fn head(&self, repo: &Repository, workdir: &Path) -> Result<(Oid, Oid)> {
        let unreadable = |message: &str| {
            Error::Git(format!(
                "{}: cannot read HEAD{message}; check the repository with `git status` and \
                 `git fsck`",
                workdir.display()
            ))
        };
        let id = repo
            .head()
            .and_then(|head| head.resolve())
            .map_err(|err| unreadable(&format!(": {}", err.message())))?
            .target()
            .ok_or_else(|| unreadable(""))?;
        self.check(id, &|| "the commit HEAD points at".to_string())?;
        let tree = repo
            .find_commit(id)
            .map(|commit| commit.tree_id())
            .map_err(|err| unreadable(&format!(": {}", err.message())))?;
        Ok((id, tree))
    }

    /// Checks the tree `tree` and the trees below it that libgit2 will read: those on the way
    /// to `under` (`/`-separated, empty for all), then every one below it; `label` names the
    /// commit it belongs to in messages (`HEAD`). Blobs are left to the caller.
    pub fn check_trees(
        &self,
        repo: &Repository,
        tree: Oid,
        under: &str,
        label: &str,
    ) -> Result<()> {
        let wanted: Vec<&str> = under.split('/').filter(|p| !p.is_empty()).collect();
        let mut folders = vec![(tree, String::new(), 0usize)];
        while let Some((id, path, depth)) = folders.pop() {
            self.check(id, &|| {
                if path.is_empty() {
                    format!("the top folder's tree at {label}")
                } else {
                    format!("tree {path}/ at {label}")
                }
            })?;
            let tree =
                repo.find_tree(id).map_err(|err| {
                    Error::Git(format!(
                    "{}: cannot read the tree of {} at {label} (git object {id}): {}; check the \
                     repository with `git fsck`",
                    self.root.display(),
                    if path.is_empty() { "the top folder" } else { &path },
                    err.message()
                ))
                })?;
            for entry in tree.iter() {
                if entry.kind() != Some(ObjectType::Tree) {
                    continue;
                }
                let name = String::from_utf8_lossy(entry.name_bytes());
                if depth < wanted.len() && wanted[depth] != name {
                    continue;
                }
                let child = if path.is_empty() {
                    name.into_owned()
                } else {
                    format!("{path}/{name}")
                };
                folders.push((entry.id(), child, depth + 1));
            }
        }
        Ok(())
    }

    fn damage_error(
        &self,
        damaged: &[DamagedObject],
        describe: impl Fn(&DamagedObject, &str) -> String,
    ) -> Error {
        let message = if let [object] = damaged {
            format!(
                "the git object {}; git cannot read it either. Run `git fsck` to see all the \
                 damage, then restore the object from a healthy clone (copy its file over, or \
                 clone again)",
                describe(object, " is damaged")
            )
        } else {
            let mut listed: Vec<String> = damaged
                .iter()
                .take(LISTED)
                .map(|object| describe(object, ""))
                .collect();
            if damaged.len() > LISTED {
                listed.push(format!("and {} more", damaged.len() - LISTED));
            }
            format!(
                "{} git objects are damaged: {}; git cannot read them either. Run `git fsck` to \
                 see all the damage, then restore the objects from a healthy clone (copy their \
                 files over, or clone again)",
                damaged.len(),
                listed.join("; ")
            )
        };
        Error::Git(format!("{}: {message}", self.root.display()))
    }
}

fn describe_damage(object: &DamagedObject, place: &str, verb: &str) -> String {
    format!(
        "{} ({place}){verb}: {} ({})",
        object.id,
        object.problem.describe(),
        object.file.display()
    )
}

/// The folders an `info/alternates` file names: one a line, absolute or relative to the
/// objects folder; `#` starts a comment. A quoted line (git's C-style quoting, for unusual
/// names) is taken without its quotes.
fn alternates_of(objects_dir: &Path) -> Vec<PathBuf> {
    let Ok(text) = std::fs::read_to_string(objects_dir.join("info").join("alternates")) else {
        return Vec::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let line = line
                .strip_prefix('"')
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or(line);
            objects_dir.join(line)
        })
        .collect()
}

/// The loose objects under `objects_dir` libgit2 would fail or hang on, sorted by id.
pub fn damaged_loose_objects(objects_dir: &Path) -> Vec<DamagedObject> {
    let Ok(folders) = std::fs::read_dir(objects_dir) else {
        return Vec::new();
    };
    let folders: Vec<(String, PathBuf)> = folders
        .flatten()
        .filter_map(|folder| {
            let prefix = folder
                .file_name()
                .to_str()
                .filter(|p| is_hex(p, 2))?
                .to_string();
            Some((prefix, folder.path()))
        })
        .collect();
    let mut damaged: Vec<DamagedObject> = folders
        .par_iter()
        .map_init(Inflater::new, |inflater, (prefix, folder)| {
            let Ok(files) = std::fs::read_dir(folder) else {
                return Vec::new();
            };
            let mut damaged = Vec::new();
            for file in files.flatten() {
                let name = file.file_name();
                // Other names are git's temporary files, not objects.
                let Some(rest) = name.to_str().filter(|n| is_hex(n, 38) || is_hex(n, 62)) else {
                    continue;
                };
                let path = file.path();
                if let Err((problem, kind)) = inflater.check(&path) {
                    damaged.push(DamagedObject {
                        id: format!("{prefix}{rest}"),
                        file: path,
                        kind,
                        problem,
                    });
                }
            }
            damaged
        })
        .flatten()
        .collect();
    damaged.sort_by(|a, b| a.id.cmp(&b.id));
    damaged
}

fn is_hex(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// zlib state and buffers, reused from one object file to the next (most are a few hundred
/// bytes: allocating per file would cost more than inflating).
struct Inflater {
    zlib: Decompress,
    input: Vec<u8>,
    output: Vec<u8>,
    header: Vec<u8>,
}

impl Inflater {
    fn new() -> Inflater {
        Inflater {
            zlib: Decompress::new(true),
            input: vec![0; 16 * 1024],
            output: vec![0; 16 * 1024],
            header: Vec::with_capacity(32),
        }
    }

    /// Inflates one loose object file to the end of its zlib stream. On failure, says what
    /// is wrong and the object's kind when its header (`blob 1234\0`) came out before the
    /// damage.
    fn check(&mut self, path: &Path) -> std::result::Result<(), (Problem, Option<String>)> {
        self.zlib.reset(true);
        self.header.clear();
        let mut file = File::open(path).map_err(|_| (Problem::Unreadable, None))?;
        loop {
            let read = match file.read(&mut self.input) {
                Ok(read) => read,
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err((Problem::Unreadable, kind_of(&self.header))),
            };
            if read == 0 {
                // The file ended and the stream did not.
                return Err((Problem::Truncated, kind_of(&self.header)));
            }
            let mut chunk = &self.input[..read];
            loop {
                let (before_in, before_out) = (self.zlib.total_in(), self.zlib.total_out());
                let status = self
                    .zlib
                    .decompress(chunk, &mut self.output, FlushDecompress::None)
                    .map_err(|_| (Problem::Corrupt, kind_of(&self.header)))?;
                let consumed = (self.zlib.total_in() - before_in) as usize;
                let produced = (self.zlib.total_out() - before_out) as usize;
                if self.header.len() < 32 {
                    let wanted = (32 - self.header.len()).min(produced);
                    self.header.extend_from_slice(&self.output[..wanted]);
                }
                chunk = &chunk[consumed..];
                if status == Status::StreamEnd {
                    return Ok(());
                }
                // All input consumed with room left in the output: zlib wants more input.
                let starved = chunk.is_empty() && produced < self.output.len();
                if starved || (consumed == 0 && produced == 0) {
                    break;
                }
            }
        }
    }
}

/// `blob` from a header such as `blob 1234\0...`.
fn kind_of(header: &[u8]) -> Option<String> {
    let end = header.iter().position(|&b| b == b' ')?;
    let kind = std::str::from_utf8(&header[..end]).ok()?;
    matches!(kind, "blob" | "tree" | "commit" | "tag").then(|| kind.to_string())
}

/// Where the damaged objects sit in HEAD's tree, read without touching any of them (reading
/// one would hang). Best effort: whatever cannot be read is left out.
fn paths_at_head(repo: &Repository, damaged: &HashSet<Oid>) -> HashMap<Oid, String> {
    let mut found = HashMap::new();
    let Some(head) = repo.head().ok().and_then(|head| head.target()) else {
        return found;
    };
    if damaged.contains(&head) {
        found.insert(head, "(the commit HEAD points at)".to_string());
        return found;
    }
    let Ok(commit) = repo.find_commit(head) else {
        return found;
    };
    let root = commit.tree_id();
    if damaged.contains(&root) {
        found.insert(root, "(the top folder)".to_string());
        return found;
    }
    let mut folders = vec![(root, String::new())];
    while let Some((id, prefix)) = folders.pop() {
        let Ok(tree) = repo.find_tree(id) else {
            continue;
        };
        for entry in tree.iter() {
            let name = String::from_utf8_lossy(entry.name_bytes());
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            if damaged.contains(&entry.id()) {
                found.entry(entry.id()).or_insert_with(|| path.clone());
            } else if entry.kind() == Some(ObjectType::Tree) {
                folders.push((entry.id(), path));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn deflate(bytes: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn write_object(dir: &Path, id: &str, bytes: &[u8]) -> PathBuf {
        let folder = dir.join(&id[..2]);
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(&id[2..]);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn whole_objects_pass_and_cut_or_corrupt_ones_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let mut content = b"blob 70000\0".to_vec();
        // Not compressible, so the stream spans several input chunks.
        let mut state = 7u32;
        for _ in 0..70_000 {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            content.push((state >> 16) as u8);
        }
        let whole = deflate(&content);
        let good = "1".repeat(40);
        let cut = "2".repeat(40);
        let corrupt = "3".repeat(40);
        let empty = "4".repeat(40);
        write_object(dir.path(), &good, &whole);
        write_object(dir.path(), &cut, &whole[..whole.len() - 10]);
        let mut bad = whole.clone();
        bad[1] ^= 0xFF;
        write_object(dir.path(), &corrupt, &bad);
        write_object(dir.path(), &empty, b"");
        // Not objects: temporary files and pack folders are skipped.
        std::fs::write(dir.path().join(&good[..2]).join("tmp_obj_abc"), b"x").unwrap();
        std::fs::create_dir_all(dir.path().join("pack")).unwrap();

        let damaged = damaged_loose_objects(dir.path());
        let summary: Vec<(&str, Problem, Option<&str>)> = damaged
            .iter()
            .map(|d| (d.id.as_str(), d.problem, d.kind.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                (cut.as_str(), Problem::Truncated, Some("blob")),
                (corrupt.as_str(), Problem::Corrupt, None),
                (empty.as_str(), Problem::Truncated, None),
            ]
        );
    }

    #[test]
    fn alternates_are_followed_recursively_once_each_with_comments_and_relative_paths() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path().join("repo")).unwrap();
        let own = repo.commondir().join("objects");
        let other = dir.path().join("other/objects");
        let third = dir.path().join("third/objects");
        for objects in [&other, &third] {
            std::fs::create_dir_all(objects.join("info")).unwrap();
        }
        // Relative to the objects folder that names it; a comment; a cycle back to the first.
        std::fs::write(
            own.join("info/alternates"),
            format!("# cache\n{}\n\n", other.display()),
        )
        .unwrap();
        std::fs::write(other.join("info/alternates"), "../../third/objects\n").unwrap();
        std::fs::write(
            third.join("info/alternates"),
            format!("\"{}\"\n", own.display()),
        )
        .unwrap();
        let store = ObjectStore::of(&repo, dir.path());
        let canonical: Vec<PathBuf> = store
            .dirs()
            .iter()
            .map(|d| std::fs::canonicalize(d).unwrap())
            .collect();
        let expected: Vec<PathBuf> = [&own, &other, &third]
            .iter()
            .map(|d| std::fs::canonicalize(d).unwrap())
            .collect();
        assert_eq!(canonical, expected);

        // Damage in the last of them is found by the full scan and by a targeted check.
        let id = "5".repeat(40);
        write_object(&third, &id, b"x");
        let err = store.refuse_damaged(&repo).unwrap_err().to_string();
        assert!(err.contains(&format!("the git object {id}")), "{err}");
        let oid = Oid::from_str(&id).unwrap();
        let err = store
            .check(oid, &|| "blob a.yaml at the merge base".to_string())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(&format!(
                "the git object {id} (blob a.yaml at the merge base) is damaged"
            )),
            "{err}"
        );
        assert!(store
            .check(Oid::from_str(&"6".repeat(40)).unwrap(), &String::new)
            .is_ok());
    }

    #[test]
    fn a_missing_objects_folder_has_no_damage() {
        let dir = tempfile::tempdir().unwrap();
        assert!(damaged_loose_objects(&dir.path().join("nope")).is_empty());
    }
}
