//! Reading objects straight from the repository's pack files, for the walk's trees and the
//! versions it scores.
//!
//! Why not libgit2: packed objects are mostly deltas in chains up to 50 long, and libgit2 keeps
//! only the full object at the bottom of a chain, so every read of a version applies the whole
//! chain again. On the benchmark's history a blob read took ~50 µs and a folder's tree several
//! times that. Neighbouring versions share their chains, so this reader keeps every object it
//! rebuilt (within a memory budget): reading the next version is then one delta away.
//!
//! It knows pack index version 2 (git's default since 2007) and pack versions 2 and 3, with
//! both delta kinds. Anything else (loose objects, alternates, an older index, a base in
//! another pack) is left to libgit2: [`Packs::read`] answers `None` and the caller asks it.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use flate2::{Decompress, FlushDecompress, Status};
use git2::{ObjectType, Oid};

/// Bytes in an object id (SHA-1).
const ID_LENGTH: usize = 20;

/// Longest delta chain followed (git writes at most 50 by default, 4095 at most).
const MAX_CHAIN: usize = 10_000;

/// Largest pack index read (64 MB: about 2.3 million objects).
const MAX_INDEX: u64 = 64 << 20;

/// Largest object (or delta) rebuilt here; larger ones, or a damaged header claiming one, are
/// left to libgit2 rather than allocated on the header's word. Handoffs are capped far below
/// it, and a folder's tree reaches it past some five million entries.
const MAX_OBJECT: u64 = 256 << 20;

/// The pack files of one repository, opened once and shared by the threads that read them.
#[derive(Debug, Default)]
pub(super) struct PackFiles {
    packs: Vec<Pack>,
}

#[derive(Debug)]
struct Pack {
    path: PathBuf,
    file: File,
    /// The whole `.idx` file.
    index: Vec<u8>,
    /// Objects in the pack.
    count: usize,
    /// Size of the pack file (the reads stop before its 20-byte trailer).
    length: u64,
}

impl PackFiles {
    /// The packs under `objects_dir/pack` that this reader understands; the others (and a
    /// missing folder) are left to libgit2.
    pub(super) fn open(objects_dir: &Path) -> PackFiles {
        let Ok(entries) = std::fs::read_dir(objects_dir.join("pack")) else {
            return PackFiles::default();
        };
        let mut packs: Vec<Pack> = entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|e| e == "idx"))
            .filter_map(|index| Pack::open(&index))
            .collect();
        // Larger packs first: they hold most objects.
        packs.sort_by(|a, b| b.count.cmp(&a.count).then(a.path.cmp(&b.path)));
        PackFiles { packs }
    }
}

impl Pack {
    fn open(index_path: &Path) -> Option<Pack> {
        // The index is read into memory: past some two million objects (a monorepo's pack),
        // libgit2, which maps it, is the better reader.
        if std::fs::metadata(index_path).ok()?.len() > MAX_INDEX {
            return None;
        }
        let index = std::fs::read(index_path).ok()?;
        // Version 2: magic, version, 256 fan-out entries, then ids, CRCs, offsets.
        if index.len() < 8 + 256 * 4 || index[..4] != [0xff, b't', b'O', b'c'] {
            return None;
        }
        if u32::from_be_bytes(index[4..8].try_into().ok()?) != 2 {
            return None;
        }
        let count = be32(&index, 8 + 255 * 4)? as usize;
        let minimum = 8 + 256 * 4 + count * (ID_LENGTH + 8) + 2 * ID_LENGTH;
        if index.len() < minimum {
            return None;
        }
        let path = index_path.with_extension("pack");
        let file = File::open(&path).ok()?;
        let length = file.metadata().ok()?.len();
        let mut header = [0u8; 12];
        read_at(&file, &mut header, 0).ok()?;
        let version = u32::from_be_bytes(header[4..8].try_into().ok()?);
        if &header[..4] != b"PACK" || !(2..=3).contains(&version) {
            return None;
        }
        Some(Pack {
            path,
            file,
            index,
            count,
            length,
        })
    }

    /// Where object `id` starts in the pack, if the pack has it.
    fn find(&self, id: &[u8]) -> Option<u64> {
        let fanout = |byte: usize| -> Option<usize> {
            if byte == 0 {
                Some(0)
            } else {
                be32(&self.index, 8 + (byte - 1) * 4).map(|n| n as usize)
            }
        };
        let (mut low, mut high) = (
            fanout(id[0] as usize)?,
            be32(&self.index, 8 + id[0] as usize * 4)? as usize,
        );
        let ids = 8 + 256 * 4;
        while low < high {
            let middle = (low + high) / 2;
            let at = ids + middle * ID_LENGTH;
            match self.index.get(at..at + ID_LENGTH)?.cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return self.offset(middle),
            }
        }
        None
    }

    /// The pack offset of the `n`th object of the index (inside the pack, or `None`: a damaged
    /// index is left to libgit2).
    fn offset(&self, n: usize) -> Option<u64> {
        let offsets = 8 + 256 * 4 + self.count * (ID_LENGTH + 4);
        let small = be32(&self.index, offsets + n * 4)?;
        let offset = if small & 0x8000_0000 == 0 {
            u64::from(small)
        } else {
            let large = offsets + self.count * 4 + (small & 0x7fff_ffff) as usize * 8;
            let bytes = self.index.get(large..large + 8)?;
            u64::from_be_bytes(bytes.try_into().ok()?)
        };
        (offset < self.length).then_some(offset)
    }

    /// The header of the object at `offset`.
    fn header(&self, offset: u64) -> io::Result<Header> {
        let mut bytes = [0u8; 32];
        let available = (self.length.saturating_sub(offset + ID_LENGTH as u64)).min(32) as usize;
        read_at(&self.file, &mut bytes[..available], offset)?;
        let bytes = &bytes[..available];
        let mut at = 0;
        let mut byte = *bytes
            .first()
            .ok_or_else(|| corrupt("an object past the end"))?;
        let kind = (byte >> 4) & 7;
        let mut size = u64::from(byte & 0x0f);
        let mut shift = 4;
        while byte & 0x80 != 0 {
            at += 1;
            byte = *bytes
                .get(at)
                .ok_or_else(|| corrupt("a truncated object header"))?;
            if shift > 57 {
                return Err(corrupt("an object size too large"));
            }
            size |= u64::from(byte & 0x7f) << shift;
            shift += 7;
        }
        at += 1;
        let base = match kind {
            6 => {
                let mut byte = *bytes.get(at).ok_or_else(|| corrupt("a truncated delta"))?;
                at += 1;
                let mut distance = u64::from(byte & 0x7f);
                while byte & 0x80 != 0 {
                    byte = *bytes.get(at).ok_or_else(|| corrupt("a truncated delta"))?;
                    at += 1;
                    distance = distance
                        .checked_add(1)
                        .and_then(|d| d.checked_mul(128))
                        .ok_or_else(|| corrupt("a delta base out of range"))?
                        | u64::from(byte & 0x7f);
                }
                let base = offset
                    .checked_sub(distance)
                    .filter(|_| distance > 0)
                    .ok_or_else(|| corrupt("a delta base out of range"))?;
                Base::Offset(base)
            }
            7 => {
                let id = bytes
                    .get(at..at + ID_LENGTH)
                    .ok_or_else(|| corrupt("a truncated delta"))?;
                at += ID_LENGTH;
                let mut raw = [0u8; ID_LENGTH];
                raw.copy_from_slice(id);
                Base::Id(raw)
            }
            1..=4 => Base::None,
            _ => return Err(corrupt("an unknown object type")),
        };
        Ok(Header {
            kind,
            size,
            data: offset + at as u64,
            base,
        })
    }

    /// Inflates the `size` bytes stored from `data` on.
    fn inflate(
        &self,
        data: u64,
        size: u64,
        inflater: &mut Decompress,
        chunk: &mut Vec<u8>,
    ) -> io::Result<Vec<u8>> {
        if size > MAX_OBJECT {
            return Err(corrupt("an object too large to rebuild here"));
        }
        let size = size as usize;
        let mut out = Vec::with_capacity(size);
        inflater.reset(true);
        let end = self.length.saturating_sub(ID_LENGTH as u64);
        let mut at = data;
        // zlib output is rarely larger than its input: most objects come in one read.
        let wanted = (size + size / 8 + 64).min(1 << 20);
        if chunk.len() < wanted {
            chunk.resize(wanted, 0);
        }
        loop {
            let want = (end.saturating_sub(at) as usize).min(wanted);
            if want == 0 {
                return Err(corrupt("a truncated object"));
            }
            read_at(&self.file, &mut chunk[..want], at)?;
            let before_in = inflater.total_in();
            // The output never grows past `size`: a corrupt stream cannot make it allocate.
            let status = inflater
                .decompress_vec(&chunk[..want], &mut out, FlushDecompress::None)
                .map_err(|_| corrupt("a damaged compressed object"))?;
            let used = inflater.total_in() - before_in;
            at += used;
            match status {
                Status::StreamEnd => break,
                _ if out.len() == size && used == 0 => {
                    return Err(corrupt("an object longer than its header says"))
                }
                _ if used == 0 && out.len() < size => {
                    return Err(corrupt("a damaged compressed object"))
                }
                _ => {}
            }
        }
        if out.len() != size {
            return Err(corrupt("an object of another size than its header says"));
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, Copy)]
struct Header {
    /// 1 commit, 2 tree, 3 blob, 4 tag, 6 delta from an offset, 7 delta from an id.
    kind: u8,
    /// The size of the object, or of the delta.
    size: u64,
    /// Where the compressed data starts.
    data: u64,
    base: Base,
}

#[derive(Debug, Clone, Copy)]
enum Base {
    None,
    Offset(u64),
    Id([u8; ID_LENGTH]),
}

/// An object's bytes, shared between the cache and its readers.
pub(super) type Bytes = Rc<Vec<u8>>;

/// Where an object is: (pack number, offset).
type Place = (usize, u64);

/// Objects rebuilt, kept for the next reads within a byte budget: two generations, the
/// older dropped when the newer fills half the budget (a hit moves an object to the newer).
struct Cache {
    young: HashMap<Place, (u8, Bytes)>,
    old: HashMap<Place, (u8, Bytes)>,
    young_bytes: usize,
    budget: usize,
}

impl Cache {
    fn new(budget: usize) -> Cache {
        Cache {
            young: HashMap::new(),
            old: HashMap::new(),
            young_bytes: 0,
            budget,
        }
    }

    fn get(&mut self, key: Place) -> Option<(u8, Bytes)> {
        if let Some(hit) = self.young.get(&key) {
            return Some(hit.clone());
        }
        let hit = self.old.remove(&key)?;
        self.put(key, hit.0, Rc::clone(&hit.1));
        Some(hit)
    }

    fn put(&mut self, key: Place, kind: u8, bytes: Bytes) {
        if bytes.len() > self.budget / 8 {
            return;
        }
        self.young_bytes += bytes.len();
        self.young.insert(key, (kind, bytes));
        if self.young_bytes > self.budget / 2 {
            self.old = std::mem::take(&mut self.young);
            self.young_bytes = 0;
        }
    }
}

/// One thread's reader over the shared packs, with its own cache of rebuilt objects.
pub(super) struct PackReader {
    files: Arc<PackFiles>,
    cache: Cache,
    inflater: Decompress,
    /// Compressed bytes read from the pack, reused from object to object.
    chunk: Vec<u8>,
}

/// What a read found.
pub(super) struct Object {
    pub kind: ObjectType,
    pub bytes: Bytes,
}

impl PackReader {
    /// A reader keeping up to `budget` bytes of rebuilt objects.
    pub(super) fn new(files: Arc<PackFiles>, budget: usize) -> PackReader {
        PackReader {
            files,
            cache: Cache::new(budget),
            inflater: Decompress::new(true),
            chunk: Vec::new(),
        }
    }

    /// The object `id`, or `None` when no pack this reader understands has all of it (the
    /// caller then asks libgit2, which also reports damage in its words).
    pub(super) fn read(&mut self, id: Oid) -> Option<Object> {
        let files = Arc::clone(&self.files);
        for (number, pack) in files.packs.iter().enumerate() {
            if let Some(offset) = pack.find(id.as_bytes()) {
                let (kind, bytes) = self.object_at(number, pack, offset).ok()??;
                let kind = match kind {
                    1 => ObjectType::Commit,
                    2 => ObjectType::Tree,
                    3 => ObjectType::Blob,
                    _ => ObjectType::Tag,
                };
                return Some(Object { kind, bytes });
            }
        }
        None
    }

    /// The size of blob or tree `id` from its header (a delta's says the size it rebuilds),
    /// without inflating it.
    pub(super) fn size(&mut self, id: Oid) -> Option<u64> {
        let files = Arc::clone(&self.files);
        for pack in &files.packs {
            if let Some(offset) = pack.find(id.as_bytes()) {
                let header = pack.header(offset).ok()?;
                if matches!(header.base, Base::None) {
                    return Some(header.size);
                }
                // A delta starts with the base's size and the result's, as varints. A
                // compressed block's tables come before its first byte: read enough input.
                let want = (pack.length.saturating_sub(header.data + ID_LENGTH as u64)).min(4096);
                let mut compressed = vec![0u8; want as usize];
                read_at(&pack.file, &mut compressed, header.data).ok()?;
                let mut start = Vec::with_capacity(32);
                self.inflater.reset(true);
                let _ =
                    self.inflater
                        .decompress_vec(&compressed, &mut start, FlushDecompress::Sync);
                let (_, rest) = varint(&start)?;
                let (size, _) = varint(rest)?;
                return Some(size);
            }
        }
        None
    }

    /// `(kind, bytes)` of the object at `offset`; `None` when its chain leaves the pack.
    fn object_at(
        &mut self,
        number: usize,
        pack: &Pack,
        offset: u64,
    ) -> io::Result<Option<(u8, Bytes)>> {
        // Down the chain to an object kept or stored whole, then back up applying deltas.
        let mut deltas: Vec<(u64, Header)> = Vec::new();
        let mut at = offset;
        let (kind, mut bytes) = loop {
            if let Some(hit) = self.cache.get((number, at)) {
                break hit;
            }
            let header = pack.header(at)?;
            let base = match header.base {
                Base::None => {
                    let whole: Bytes = Rc::new(pack.inflate(
                        header.data,
                        header.size,
                        &mut self.inflater,
                        &mut self.chunk,
                    )?);
                    self.cache.put((number, at), header.kind, Rc::clone(&whole));
                    break (header.kind, whole);
                }
                Base::Offset(base) => base,
                Base::Id(id) => match pack.find(&id) {
                    Some(base) => base,
                    None => return Ok(None),
                },
            };
            deltas.push((at, header));
            if deltas.len() > MAX_CHAIN {
                return Err(corrupt("a delta chain that loops"));
            }
            at = base;
        };
        while let Some((at, header)) = deltas.pop() {
            let delta = pack.inflate(
                header.data,
                header.size,
                &mut self.inflater,
                &mut self.chunk,
            )?;
            let rebuilt: Bytes =
                Rc::new(apply_delta(&bytes, &delta).ok_or_else(|| corrupt("a bad delta"))?);
            self.cache.put((number, at), kind, Rc::clone(&rebuilt));
            bytes = rebuilt;
        }
        Ok(Some((kind, bytes)))
    }
}

/// Rebuilds an object from its base and a delta: the base's size, the result's, then
/// instructions to copy a range of the base or insert bytes of the delta.
fn apply_delta(base: &[u8], delta: &[u8]) -> Option<Vec<u8>> {
    let (base_size, rest) = varint(delta)?;
    if base_size != base.len() as u64 {
        return None;
    }
    let (size, mut rest) = varint(rest)?;
    if size > MAX_OBJECT {
        return None;
    }
    let mut out = Vec::with_capacity(size as usize);
    while let Some((&op, tail)) = rest.split_first() {
        rest = tail;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            let mut length = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    let (&byte, tail) = rest.split_first()?;
                    rest = tail;
                    offset |= usize::from(byte) << (8 * bit);
                }
            }
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    let (&byte, tail) = rest.split_first()?;
                    rest = tail;
                    length |= usize::from(byte) << (8 * bit);
                }
            }
            if length == 0 {
                length = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(length)?)?);
        } else if op != 0 {
            let (insert, tail) = rest.split_at_checked(usize::from(op))?;
            out.extend_from_slice(insert);
            rest = tail;
        } else {
            return None;
        }
        if out.len() as u64 > size {
            return None;
        }
    }
    (out.len() as u64 == size).then_some(out)
}

/// A delta header's little-endian base-128 number, and the bytes after it.
fn varint(bytes: &[u8]) -> Option<(u64, &[u8])> {
    let mut value = 0u64;
    for (at, &byte) in bytes.iter().enumerate().take(10) {
        value |= u64::from(byte & 0x7f) << (7 * at);
        if byte & 0x80 == 0 {
            return Some((value, &bytes[at + 1..]));
        }
    }
    None
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn corrupt(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buffer: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buffer.is_empty() {
        match file.seek_read(buffer, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buffer = &mut buffer[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deltas_copy_and_insert() {
        let base = b"0123456789abcdef";
        // base size 16, result size 9; copy 4 bytes from offset 2, insert "xyz", copy 2 from 14.
        let delta = [16, 9, 0x91, 2, 4, 3, b'x', b'y', b'z', 0x91, 14, 2];
        assert_eq!(
            apply_delta(base, &delta).as_deref(),
            Some(&b"2345xyzef"[..])
        );
        // A result larger than is rebuilt here (2^62 bytes, whose allocation would abort) is
        // refused before anything is allocated.
        let huge = [
            16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, 1, b'x',
        ];
        assert_eq!(apply_delta(base, &huge), None);
        // A wrong base size, a copy past the base, a wrong result size, the reserved op 0.
        assert_eq!(apply_delta(base, &[15, 1, 1, b'x']), None);
        assert_eq!(apply_delta(base, &[16, 4, 0x91, 14, 4]), None);
        assert_eq!(apply_delta(base, &[16, 2, 1, b'x']), None);
        assert_eq!(apply_delta(base, &[16, 1, 0]), None);
        assert_eq!(varint(&[0x80, 0x01, 7]), Some((128, &[7u8][..])));
        assert_eq!(varint(&[0x80]), None);
    }

    /// A repository whose files change a little in each of many commits, packed by git with
    /// deltas from offsets or (`offsets: false`) from object ids.
    fn packed_repository(offsets: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        let repo = git2::Repository::init(dir.path()).expect("init");
        let signature = git2::Signature::now("T", "t@example.com").expect("signature");
        let mut parent: Option<Oid> = None;
        for round in 0..60u32 {
            let mut builder = repo.treebuilder(None).expect("tree builder");
            for file in 0..12u32 {
                let mut text = String::new();
                for line in 0..(40 + file * 7) {
                    let edited = if line % 11 == round % 11 { round } else { 0 };
                    text.push_str(&format!("field_{line}: value {file} {edited}\n"));
                }
                let blob = repo.blob(text.as_bytes()).expect("blob");
                builder
                    .insert(format!("file-{file:02}.yaml"), blob, 0o100644)
                    .expect("insert");
            }
            let tree = repo
                .find_tree(builder.write().expect("tree"))
                .expect("tree");
            let parents: Vec<git2::Commit<'_>> = parent
                .map(|id| repo.find_commit(id).expect("parent"))
                .into_iter()
                .collect();
            let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let commit = repo
                .commit(Some("HEAD"), &signature, &signature, "round", &tree, &refs)
                .expect("commit");
            parent = Some(commit);
        }
        let status = std::process::Command::new("git")
            .args(["-c", &format!("repack.useDeltaBaseOffset={offsets}")])
            .args([
                "repack",
                "-a",
                "-d",
                "-f",
                "-q",
                "--depth=50",
                "--window=50",
            ])
            .current_dir(dir.path())
            .status()
            .expect("git runs");
        assert!(status.success());
        dir
    }

    #[test]
    fn every_packed_object_reads_as_libgit2_reads_it() {
        for offsets in [true, false] {
            let dir = packed_repository(offsets);
            let repo = git2::Repository::open(dir.path()).expect("open");
            let files = Arc::new(PackFiles::open(&dir.path().join(".git/objects")));
            assert_eq!(files.packs.len(), 1);
            // A small budget, so that reads also rebuild objects dropped from the cache.
            let mut reader = PackReader::new(Arc::clone(&files), 64 << 10);
            let odb = repo.odb().expect("odb");
            let mut ids = Vec::new();
            odb.foreach(|id| {
                ids.push(*id);
                true
            })
            .expect("objects");
            let mut deltas = 0;
            for id in &ids {
                let expected = odb.read(*id).expect("libgit2 reads it");
                let object = reader.read(*id).expect("read from the pack");
                assert_eq!(object.kind, expected.kind(), "{id}");
                assert_eq!(&object.bytes[..], expected.data(), "{id}");
                if matches!(expected.kind(), ObjectType::Blob | ObjectType::Tree) {
                    assert_eq!(reader.size(*id), Some(expected.len() as u64), "{id}");
                }
                let offset = files.packs[0].find(id.as_bytes()).expect("in the index");
                if !matches!(
                    files.packs[0].header(offset).expect("header").base,
                    Base::None
                ) {
                    deltas += 1;
                }
            }
            // The history did make deltas, of the kind asked for.
            assert!(deltas > 100, "{deltas} deltas of {}", ids.len());
            let missing = Oid::from_str("0123456789012345678901234567890123456789").expect("id");
            assert!(reader.read(missing).is_none());
        }
    }

    /// The repository's one file with extension `ext` in `objects/pack`.
    fn pack_file(dir: &tempfile::TempDir, ext: &str) -> std::path::PathBuf {
        std::fs::read_dir(dir.path().join(".git/objects/pack"))
            .expect("pack folder")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == ext))
            .expect("a pack file")
    }

    /// Replaces a file git wrote read-only.
    fn overwrite(path: &Path, bytes: &[u8]) {
        let mut permissions = std::fs::metadata(path).expect("meta").permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        permissions.set_readonly(false);
        std::fs::set_permissions(path, permissions).expect("writable");
        std::fs::write(path, bytes).expect("write");
    }

    #[test]
    fn offsets_outside_the_pack_are_left_to_libgit2() {
        let dir = packed_repository(true);
        let index_path = pack_file(&dir, "idx");
        let mut index = std::fs::read(&index_path).expect("index");
        let count = be32(&index, 8 + 255 * 4).expect("count") as usize;
        let offsets = 8 + 256 * 4 + count * (ID_LENGTH + 4);
        // The first object far past the end of the pack (through a large-offset entry, where
        // adding to it would overflow), the second at an entry the table does not have.
        index[offsets..offsets + 4].copy_from_slice(&0x8000_0000u32.to_be_bytes());
        index[offsets + 4..offsets + 8].copy_from_slice(&0x8000_0009u32.to_be_bytes());
        let large = offsets + count * 4;
        index.splice(large..large, (u64::MAX - 5).to_be_bytes());
        overwrite(&index_path, &index);
        let files = Arc::new(PackFiles::open(&dir.path().join(".git/objects")));
        let mut reader = PackReader::new(Arc::clone(&files), 1 << 20);
        for n in 0..2 {
            let at = 8 + 256 * 4 + n * ID_LENGTH;
            let id = Oid::from_bytes(&index[at..at + ID_LENGTH]).expect("id");
            assert!(reader.read(id).is_none(), "object {n}");
            assert!(reader.size(id).is_none(), "object {n}");
        }
    }

    #[test]
    fn a_damaged_pack_is_left_to_libgit2() {
        let dir = packed_repository(true);
        let pack = pack_file(&dir, "pack");
        let files = PackFiles::open(&dir.path().join(".git/objects"));
        let length = files.packs[0].length;
        drop(files);
        // Zero the second half of the pack: its objects no longer inflate.
        let mut bytes = std::fs::read(&pack).expect("pack");
        let half = (length / 2) as usize;
        bytes[half..length as usize - ID_LENGTH].fill(0);
        overwrite(&pack, &bytes);
        let files = Arc::new(PackFiles::open(&dir.path().join(".git/objects")));
        let mut reader = PackReader::new(Arc::clone(&files), 1 << 20);
        let index = &files.packs[0];
        let mut refused = 0;
        for n in 0..index.count {
            let id = &index.index[8 + 256 * 4 + n * ID_LENGTH..8 + 256 * 4 + (n + 1) * ID_LENGTH];
            let id = Oid::from_bytes(id).expect("id");
            if index.offset(n).expect("offset") > length / 2 && reader.read(id).is_none() {
                refused += 1;
            }
        }
        assert!(refused > 0);
    }
}
