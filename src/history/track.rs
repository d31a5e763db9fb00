//! Handoff identities along the walked chain. Fed the files each commit added, deleted and
//! modified, it pairs deletions with additions into renames (a moved handoff keeps its
//! history), starts a new handoff for every other addition (so a file deleted and re-added
//! later is a new handoff), and records per handoff when it landed, how many commits changed
//! it, and each of its versions with the time it landed — from which [`accepted_at`] finds
//! when its `status` first read `accepted`. No blob is read here except to pair renamed files
//! whose content changed; [`super::read_handoffs`] reads and scores the versions on other
//! threads.
//!
//! Renames are paired as git pairs them: identical contents first, then the most similar
//! contents (at least half of the larger file's bytes in common lines).

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::Value;

use super::git::{BlobId, BlobSource, CommitId, CommitInfo, Content, FileChange};
use crate::document;
use crate::error::Result;

/// Renamed files need at least this share of their bytes in common (git's default, `-M50%`).
const RENAME_SIMILARITY_PERCENT: u64 = 50;

/// Above this many (deleted × added) candidate pairs in one commit, only identical contents are
/// paired, as git gives up inexact detection past its rename limit.
const INEXACT_RENAME_PAIRS_LIMIT: usize = 10_000;

/// One handoff's life on the chain so far.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// Its number in the order handoffs appeared on the chain.
    pub id: usize,
    /// Its current path.
    pub path: String,
    /// Committer time of the commit that added it.
    pub merged_at: Timestamp,
    /// The commit that added it.
    pub merged_commit: CommitId,
    /// Its path when it landed.
    pub merged_path: String,
    /// Its contents, oldest first, each with the committer time of the commit that made it:
    /// the first is the version that landed, the last the current one.
    pub versions: Vec<Version>,
    /// Commits that changed it (the one that added it, renames and edits).
    pub revisions: u32,
}

/// One content of a handoff on the chain.
#[derive(Debug, Clone, Copy)]
pub struct Version {
    /// The content.
    pub blob: BlobId,
    /// When the commit that made it landed.
    pub time: Timestamp,
}

impl Tracked {
    /// The version that landed.
    pub fn merged_blob(&self) -> BlobId {
        self.versions[0].blob
    }
}

/// A handoff that just appeared on the chain: the version to score as it landed.
#[derive(Debug, Clone)]
pub struct Landing {
    /// [`Tracked::id`].
    pub id: usize,
    /// Its path then.
    pub path: String,
    /// Its content then.
    pub blob: BlobId,
    /// The commit that added it.
    pub commit: CommitId,
}

/// Follows handoffs through the commits of one walk.
pub struct Tracker<'s> {
    blobs: &'s dyn BlobSource,
    /// Files over the size cap are not read to compare them.
    max_file_size: u64,
    live: HashMap<String, Tracked>,
    next_id: usize,
    landed: Vec<Landing>,
}

impl<'s> Tracker<'s> {
    /// A tracker reading blob contents from `blobs` when it must compare renamed files (those
    /// up to `max_file_size` bytes).
    pub fn new(blobs: &'s dyn BlobSource, max_file_size: u64) -> Tracker<'s> {
        Tracker {
            blobs,
            max_file_size,
            live: HashMap::new(),
            next_id: 0,
            landed: Vec::new(),
        }
    }

    /// The handoffs added since the last call (so they can be scored while the walk goes on).
    pub fn take_landed(&mut self) -> Vec<Landing> {
        std::mem::take(&mut self.landed)
    }

    /// Applies one commit's changes.
    pub fn apply(&mut self, commit: &CommitInfo, changes: &[FileChange]) -> Result<()> {
        let mut added = Vec::new();
        let mut deleted = Vec::new();
        let mut modified = Vec::new();
        for change in changes {
            match change {
                FileChange::Added { path, blob } => added.push((path.as_str(), *blob)),
                FileChange::Deleted { path, blob } => {
                    if self.live.contains_key(path) {
                        deleted.push((path.as_str(), *blob));
                    }
                }
                FileChange::Modified { path, blob } => modified.push((path.as_str(), *blob)),
            }
        }
        let renames = self.pair_renames(&deleted, &added)?;
        let mut paired_deleted = vec![false; deleted.len()];
        let mut paired_added = vec![false; added.len()];
        let mut moved = Vec::with_capacity(renames.len());
        for &(d, a) in &renames {
            paired_deleted[d] = true;
            paired_added[a] = true;
            if let Some(handoff) = self.live.remove(deleted[d].0) {
                moved.push((handoff, d, a));
            }
        }
        for (d, (path, _)) in deleted.iter().enumerate() {
            if !paired_deleted[d] {
                self.live.remove(*path);
            }
        }
        for (mut handoff, d, a) in moved {
            let (new_path, blob) = added[a];
            handoff.path = new_path.to_string();
            handoff.revisions += 1;
            if blob != deleted[d].1 {
                handoff.versions.push(Version {
                    blob,
                    time: commit.time,
                });
            }
            self.live.insert(handoff.path.clone(), handoff);
        }
        for (path, blob) in modified {
            match self.live.remove(path) {
                Some(mut handoff) => {
                    handoff.revisions += 1;
                    handoff.versions.push(Version {
                        blob,
                        time: commit.time,
                    });
                    self.live.insert(handoff.path.clone(), handoff);
                }
                // Cannot happen on a chain walked from its root; kept safe all the same.
                None => self.add(path, blob, commit),
            }
        }
        for (a, (path, blob)) in added.iter().enumerate() {
            if !paired_added[a] {
                self.add(path, *blob, commit);
            }
        }
        Ok(())
    }

    /// The handoffs alive at the end of the walk, by path.
    pub fn finish(self) -> Vec<Tracked> {
        let mut handoffs: Vec<Tracked> = self.live.into_values().collect();
        handoffs.sort_by(|a, b| a.path.cmp(&b.path));
        handoffs
    }

    fn add(&mut self, path: &str, blob: BlobId, commit: &CommitInfo) {
        let id = self.next_id;
        self.next_id += 1;
        self.landed.push(Landing {
            id,
            path: path.to_string(),
            blob,
            commit: commit.id,
        });
        let handoff = Tracked {
            id,
            path: path.to_string(),
            merged_at: commit.time,
            merged_commit: commit.id,
            merged_path: path.to_string(),
            versions: vec![Version {
                blob,
                time: commit.time,
            }],
            revisions: 1,
        };
        self.live.insert(handoff.path.clone(), handoff);
    }

    /// Pairs (deleted index, added index): identical contents first, then similar ones.
    pub fn pair_renames(
        &self,
        deleted: &[(&str, BlobId)],
        added: &[(&str, BlobId)],
    ) -> Result<Vec<(usize, usize)>> {
        if deleted.is_empty() || added.is_empty() {
            return Ok(Vec::new());
        }
        let mut pairs = Vec::new();
        let mut deleted_free = vec![true; deleted.len()];
        let mut added_free = vec![true; added.len()];
        let mut by_blob: HashMap<BlobId, Vec<usize>> = HashMap::new();
        for (d, (_, blob)) in deleted.iter().enumerate() {
            by_blob.entry(*blob).or_default().push(d);
        }
        for (a, (path, blob)) in added.iter().enumerate() {
            let Some(candidates) = by_blob.get(blob) else {
                continue;
            };
            let free = candidates.iter().copied().filter(|&d| deleted_free[d]);
            // Among identical contents, a file that kept its name is the likelier move.
            let best = free
                .clone()
                .find(|&d| file_name(deleted[d].0) == file_name(path))
                .or_else(|| free.clone().next());
            if let Some(d) = best {
                deleted_free[d] = false;
                added_free[a] = false;
                pairs.push((d, a));
            }
        }
        let rest_deleted: Vec<usize> = (0..deleted.len()).filter(|&d| deleted_free[d]).collect();
        let rest_added: Vec<usize> = (0..added.len()).filter(|&a| added_free[a]).collect();
        if rest_deleted.is_empty()
            || rest_added.is_empty()
            || rest_deleted.len() * rest_added.len() > INEXACT_RENAME_PAIRS_LIMIT
        {
            return Ok(pairs);
        }
        // A file over the cap compares as empty: it pairs only with its identical content.
        let read = |(path, blob): (&str, BlobId)| {
            Ok(
                match self.blobs.read_blob(blob, path, self.max_file_size)? {
                    Content::Bytes(bytes) => bytes,
                    Content::TooLarge(_) => Vec::new(),
                },
            )
        };
        let old: Vec<Vec<u8>> = rest_deleted
            .iter()
            .map(|&d| read(deleted[d]))
            .collect::<Result<_>>()?;
        let new: Vec<Vec<u8>> = rest_added
            .iter()
            .map(|&a| read(added[a]))
            .collect::<Result<_>>()?;
        let old_lines: Vec<LineBytes> = old.iter().map(|b| LineBytes::of(b)).collect();
        let new_lines: Vec<LineBytes> = new.iter().map(|b| LineBytes::of(b)).collect();
        let mut candidates = Vec::new();
        for (x, old) in old_lines.iter().enumerate() {
            for (y, new) in new_lines.iter().enumerate() {
                let score = old.similarity_percent(new);
                if score >= RENAME_SIMILARITY_PERCENT {
                    candidates.push((score, x, y));
                }
            }
        }
        // Best first; ties in the order the files were listed, so pairing is deterministic.
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
        for (_, x, y) in candidates {
            let (d, a) = (rest_deleted[x], rest_added[y]);
            if deleted_free[d] && added_free[a] {
                deleted_free[d] = false;
                added_free[a] = false;
                pairs.push((d, a));
            }
        }
        Ok(pairs)
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// What the versions between the one that landed and the current one say: when the first
/// accepted one landed, whether one was rejected, and each one's receiver.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Between {
    /// When the first version whose `status` reads `accepted` landed.
    pub accepted_at: Option<Timestamp>,
    /// A version's `status` read `rejected`.
    pub rejected: bool,
    /// Each version's `to.name` (when it could be read), with when it landed.
    pub receivers: Vec<(Timestamp, Option<String>)>,
}

/// Reads every one of `versions` (oldest first) once: see [`Between`]. A version over the size
/// cap or not readable as YAML says nothing. `path` names the handoff in errors.
pub fn read_between(
    path: &str,
    versions: &[Version],
    blobs: &dyn BlobSource,
    max_file_size: u64,
) -> Result<Between> {
    let mut between = Between::default();
    for version in versions {
        let (status, receiver) = match blobs.read_blob(version.blob, path, max_file_size)? {
            Content::Bytes(bytes) => match document::parse_value(&bytes, max_file_size) {
                Ok(document) => (
                    document
                        .value
                        .get("status")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    receiver_of(&document.value),
                ),
                Err(_) => (None, None),
            },
            Content::TooLarge(_) => (None, None),
        };
        match status.as_deref() {
            Some("accepted") if between.accepted_at.is_none() => {
                between.accepted_at = Some(version.time)
            }
            Some("rejected") => between.rejected = true,
            _ => {}
        }
        between.receivers.push((version.time, receiver));
    }
    Ok(between)
}

/// A version's `to.name`, trimmed, when it is text.
pub fn receiver_of(value: &Value) -> Option<String> {
    value
        .pointer("/to/name")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_string)
}

/// The changes of receiver along `receivers` (oldest first; a version whose receiver could
/// not be read is skipped, so A → unreadable → B counts once).
pub fn reassignments(
    receivers: impl IntoIterator<Item = (Timestamp, Option<String>)>,
) -> Vec<super::metrics::Reassignment> {
    let mut changes = Vec::new();
    let mut last: Option<String> = None;
    for (at, receiver) in receivers {
        let Some(receiver) = receiver else {
            continue;
        };
        if let Some(previous) = last.take() {
            if previous != receiver {
                changes.push(super::metrics::Reassignment {
                    from: previous,
                    to: receiver.clone(),
                    at,
                });
            }
        }
        last = Some(receiver);
    }
    changes
}

/// Whether a version's `status` is `accepted`. Most versions are not; a plain byte search
/// rules them out before the YAML parser runs. Without the word and without a backslash (a
/// YAML escape could spell it), no value in the file can be `accepted`.
pub fn says_accepted(bytes: &[u8], max_file_size: u64) -> bool {
    let mentions = bytes.windows(8).any(|w| w == b"accepted") || bytes.contains(&b'\\');
    if !mentions {
        return false;
    }
    match document::parse_value(bytes, max_file_size) {
        Ok(document) => document.value.get("status").and_then(Value::as_str) == Some("accepted"),
        Err(_) => false,
    }
}

/// A file as a multiset of lines, weighted by their length in bytes.
struct LineBytes<'b> {
    lines: HashMap<&'b [u8], u64>,
    total: u64,
}

impl<'b> LineBytes<'b> {
    fn of(bytes: &'b [u8]) -> LineBytes<'b> {
        let mut lines: HashMap<&[u8], u64> = HashMap::new();
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            *lines.entry(line).or_default() += line.len() as u64;
        }
        LineBytes {
            lines,
            total: bytes.len() as u64,
        }
    }

    /// Bytes in common lines, as a percentage of the larger file (0 for two empty files).
    fn similarity_percent(&self, other: &LineBytes<'_>) -> u64 {
        let larger = self.total.max(other.total);
        if larger == 0 {
            return 0;
        }
        let common: u64 = self
            .lines
            .iter()
            .map(|(line, bytes)| other.lines.get(line).map_or(0, |o| (*o).min(*bytes)))
            .sum();
        common * 100 / larger
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_counts_bytes_of_common_lines() {
        let a = LineBytes::of(b"aaaa\nbbbb\ncccc\ndddd\n");
        let b = LineBytes::of(b"aaaa\nbbbb\ncccc\neeee\n");
        assert_eq!(a.similarity_percent(&b), 75);
        let c = LineBytes::of(b"xxxx\nyyyy\n");
        assert_eq!(a.similarity_percent(&c), 0);
        assert_eq!(
            LineBytes::of(b"").similarity_percent(&LineBytes::of(b"")),
            0
        );
        // A repeated line counts as often as both files have it.
        let d = LineBytes::of(b"aaaa\naaaa\n");
        let e = LineBytes::of(b"aaaa\nzzzz\n");
        assert_eq!(d.similarity_percent(&e), 50);
    }

    #[test]
    fn reassignments_count_changes_of_receiver_and_skip_unreadable_versions() {
        let at = |s: i64| Timestamp::from_second(s).unwrap();
        let name = |n: &str| Some(n.to_string());
        let changes = reassignments([
            (at(1), name("Sam Lee")),
            (at(2), name("Sam Lee")),
            (at(3), None),
            (at(4), name("Aisha Okafor")),
            (at(5), name("Sam Lee")),
        ]);
        let pairs: Vec<(&str, &str, i64)> = changes
            .iter()
            .map(|c| (c.from.as_str(), c.to.as_str(), c.at.as_second()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Sam Lee", "Aisha Okafor", 4),
                ("Aisha Okafor", "Sam Lee", 5)
            ]
        );
        assert!(reassignments([(at(1), None), (at(2), name("A"))]).is_empty());
    }

    #[test]
    fn accepted_is_read_from_the_status_key_only() {
        let max = 1 << 20;
        assert!(says_accepted(b"type: sales-cs\nstatus: accepted\n", max));
        assert!(says_accepted(b"status: \"accepted\"\n", max));
        assert!(says_accepted(b"status: \"\\x61ccepted\"\n", max));
        assert!(!says_accepted(b"status: submitted\n", max));
        assert!(!says_accepted(
            b"status: submitted\ntitle: the deal was accepted\n",
            max
        ));
        assert!(!says_accepted(b"status: [accepted\n", max));
    }
}
