//! Governance from git history: the one walk of a ref's first-parent chain ([`git`], the only
//! git2 code), handoff identities across renames ([`track`]), the metrics over plain values
//! ([`metrics`]), the weekly review sample ([`sample`]) and the reviews managers record
//! ([`review`]). [`command`] turns the command line into that work. Two small neighbours use
//! git2 too: [`changed`] (the handoffs a branch changed, for `lint --changed-since`) and
//! [`branch`] (`handoff new --branch`); all three first let [`objects`] refuse damaged loose
//! objects, which libgit2 would hang on.
//!
//! Which handoffs count: those present at the ref's head. A handoff deleted on the chain is no
//! longer reported (re-adding the file later starts a new handoff); `score` is scored on its
//! version at the head, `score_at_merge` on the version that landed.

pub mod branch;
pub mod changed;
pub mod command;
pub mod forge;
pub mod git;
pub mod log;
pub mod metrics;
pub mod objects;
pub mod open;
pub mod review;
pub mod sample;
pub mod snapshot;
pub mod track;
pub mod week;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering as AtomicOrdering};
use std::sync::{mpsc, Mutex, PoisonError};

use serde_json::Value;

use crate::document;
use crate::error::{Error, Result};
use crate::lint::{FileReport, Linter};
use crate::playbook::score::SectionStatus;
use crate::repo::Workspace;
use git::{BlobId, BlobSource, Content, GitRepository, Head, RepositoryHandle};
pub use metrics::HeadCommit;
use metrics::{HandoffRecord, SectionGap};
use track::{Landing, Tracked, Tracker};

/// What the walk is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Walking commits.
    Walk,
    /// Judging the versions the walk left to read (counted in versions).
    Score,
}

/// Called with the stage, work done and work to do.
pub type Progress<'a> = &'a mut dyn FnMut(Stage, u64, u64);

impl From<&Head> for HeadCommit {
    fn from(head: &Head) -> HeadCommit {
        HeadCommit {
            commit: head.commit.id.hex(),
            time: head.commit.time,
        }
    }
}

/// Walks the first-parent chain ending at `head` once and returns a record per handoff present
/// there, sorted by path. `None` (a repository without commits) has no handoffs.
///
/// Parsing and scoring versions costs more than walking the history, so it overlaps with it.
/// The handoffs at the head are known before the walk (the head's tree lists them): a second
/// thread judges their current versions while this one walks, and scores each landed version
/// as soon as the walk finds it (its score only: nobody reads its findings). When the walk is
/// done this thread helps with what is left, and both read the versions in between to find
/// when each handoff was first accepted. Each thread opens its own repository handle (git2
/// handles are not shared between threads).
pub fn read_handoffs(
    workspace: &Workspace,
    linter: &Linter,
    repository: &GitRepository,
    head: Option<&Head>,
    progress: Progress<'_>,
) -> Result<Vec<HandoffRecord>> {
    let Some(head) = head else {
        return Ok(Vec::new());
    };
    let handoffs_dir = &workspace.config.handoffs_dir;
    let current = repository.files_at(head, handoffs_dir)?;
    let versions = Versions {
        handle: repository.handle(),
        linter,
        max_file_size: workspace.config.max_file_size,
        current: &current,
        head_blobs: current.iter().map(|(_, blob)| *blob).collect(),
        forge: repository.forge(),
        stop: AtomicBool::new(false),
        done: AtomicU64::new(0),
    };
    let (sender, receiver) = mpsc::channel::<Job>();
    let mut queued = current.len() as u64;
    for index in 0..current.len() {
        // The receiver lives until the end of this function: sending cannot fail.
        let _ = sender.send(Job::Current(index));
    }
    let queue = Mutex::new(receiver);
    let (tracked, judged) = std::thread::scope(|scope| -> Result<_> {
        let helper = scope.spawn(|| versions.judge(&queue, &mut |_| {}));
        let mut tracker = Tracker::new(repository, versions.max_file_size);
        let walked = repository.walk(
            head,
            handoffs_dir,
            &mut |done, total| progress(Stage::Walk, done, total),
            &mut |commit, changes| {
                tracker.apply(commit, changes)?;
                for landing in tracker.take_landed() {
                    // The helper only hangs up when it failed; its error is reported below.
                    let _ = sender.send(Job::Landing(landing));
                    queued += 1;
                }
                Ok(())
            },
        );
        let tracked = tracker.finish();
        if walked.is_ok() {
            // The versions between the one that landed and the current one, read to see
            // whether one of them was the first accepted, one rejected, and who received each.
            for handoff in &tracked {
                if handoff.versions.len() > 2 {
                    queued += 1;
                    let _ = sender.send(Job::Between {
                        id: handoff.id,
                        path: handoff.path.clone(),
                        between: handoff.versions[1..handoff.versions.len() - 1].to_vec(),
                    });
                }
            }
        }
        drop(sender);
        let here = match walked {
            Ok(()) => versions.judge(&queue, &mut |done| progress(Stage::Score, done, queued)),
            Err(err) => {
                versions.stop.store(true, AtomicOrdering::Relaxed);
                Err(err)
            }
        };
        let there = helper
            .join()
            .map_err(|_| Error::Git("scoring the handoffs' versions failed unexpectedly".into()))?;
        let mut judged = here?;
        judged.merge(there?);
        Ok((tracked, judged))
    })?;
    progress(Stage::Score, queued, queued);
    let Judged {
        current: mut now,
        mut landed,
        between: mut read_between,
    } = judged;
    // Handoffs that landed through a merge: when the merged branch first touched them.
    let review_starts = review_starts(repository, &tracked)?;
    // The scores of the current versions, by content: a handoff not edited since it landed
    // (or landed as a copy of one at the head) takes its landed score from there.
    let mut by_blob: HashMap<BlobId, LandedScore> = HashMap::new();
    for (index, (_, blob)) in current.iter().enumerate() {
        if let Some(evaluated) = now.get(&index) {
            by_blob
                .entry(*blob)
                .or_insert_with(|| evaluated.landed_score());
        }
    }
    let by_path: HashMap<&str, usize> = current
        .iter()
        .enumerate()
        .map(|(index, (path, _))| (path.as_str(), index))
        .collect();
    let as_of = head.commit.time;
    let records = tracked
        .into_iter()
        .map(|handoff| {
            let missing = || {
                Error::Git(format!(
                    "{}: the walk of the history does not end with the files at its head; \
                     check the repository with `git fsck`",
                    handoff.path
                ))
            };
            let index = *by_path.get(handoff.path.as_str()).ok_or_else(missing)?;
            let now = now.remove(&index).ok_or_else(missing)?;
            let mut at_landing = landed.remove(&handoff.id).ok_or_else(missing)?;
            if at_landing.score.is_none() {
                let same = by_blob.get(&handoff.merged_blob()).ok_or_else(missing)?;
                at_landing.score = same.score;
                at_landing.accepted = same.accepted;
                at_landing.unparsable = same.unparsable.clone();
                at_landing.rejected = same.rejected;
                at_landing.receiver = same.receiver.clone();
            }
            let between = read_between.remove(&handoff.id).unwrap_or_default();
            // The first version whose status read `accepted`: the one that landed, one in
            // between, or the current one.
            let first = handoff.versions.first().map(|v| v.time);
            let last = handoff.versions.last().map(|v| v.time);
            let accepted_at = if at_landing.accepted {
                first
            } else if let Some(time) = between.accepted_at {
                Some(time)
            } else if now.is_accepted() {
                last
            } else {
                None
            };
            let review_start = review_starts.get(&handoff.id).copied();
            Ok(record(
                as_of,
                handoff,
                accepted_at,
                at_landing,
                between,
                now,
                review_start,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(records)
}

/// Work for the threads that read versions.
enum Job {
    /// Judge the current version of `current[index]`.
    Current(usize),
    /// Score a version that landed.
    Landing(Landing),
    /// Read a handoff's versions between the landed and the current one: the first whose
    /// status is `accepted`, whether one was `rejected`, and each one's receiver.
    Between {
        id: usize,
        path: String,
        between: Vec<track::Version>,
    },
}

/// What the threads share to judge versions.
struct Versions<'a> {
    handle: RepositoryHandle,
    linter: &'a Linter,
    max_file_size: u64,
    /// The handoff files at the head.
    current: &'a [(String, BlobId)],
    /// Their contents: a landed version among them is scored with them.
    head_blobs: HashSet<BlobId>,
    /// The forge the `origin` remote is on: the pull request a landing commit names.
    forge: Option<forge::Forge>,
    /// Set when the walk failed: the rest of the work is pointless.
    stop: AtomicBool,
    /// Jobs done by all threads, for the progress bar.
    done: AtomicU64,
}

/// The versions judged by one thread.
#[derive(Default)]
struct Judged {
    /// Current versions, by index in the head's file list.
    current: HashMap<usize, Evaluated>,
    /// Landed versions, by handoff id.
    landed: HashMap<usize, LandedScore>,
    /// What the versions between the landed and the current one say, by handoff id (only
    /// those with such versions).
    between: HashMap<usize, track::Between>,
}

impl Judged {
    fn merge(&mut self, other: Judged) {
        self.current.extend(other.current);
        self.landed.extend(other.landed);
        self.between.extend(other.between);
    }
}

impl Versions<'_> {
    /// Takes jobs from the queue until it is empty and the walk has hung up, taking turns with
    /// the other threads that read it.
    /// `report` is told how many jobs both threads have done, after each of this thread's.
    fn judge(
        &self,
        queue: &Mutex<mpsc::Receiver<Job>>,
        report: &mut dyn FnMut(u64),
    ) -> Result<Judged> {
        let repository = self.handle.open()?;
        let mut judged = Judged::default();
        loop {
            if self.stop.load(AtomicOrdering::Relaxed) {
                return Ok(judged);
            }
            // The lock is held only to take one job, not while doing it.
            let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
            let Ok(job) = next else {
                return Ok(judged);
            };
            let done = match job {
                Job::Current(index) => {
                    let (path, blob) = &self.current[index];
                    let content = repository.read_blob(*blob, path, self.max_file_size);
                    content.map(|content| {
                        let evaluated =
                            Evaluated::of(self.linter, self.max_file_size, path, content);
                        judged.current.insert(index, evaluated);
                    })
                }
                Job::Landing(landing) => self.score_landing(&repository, &landing).map(|score| {
                    judged.landed.insert(landing.id, score);
                }),
                Job::Between { id, path, between } => {
                    track::read_between(&path, &between, &repository, self.max_file_size).map(
                        |found| {
                            judged.between.insert(id, found);
                        },
                    )
                }
            };
            if let Err(err) = done {
                self.stop.store(true, AtomicOrdering::Relaxed);
                return Err(err);
            }
            report(self.done.fetch_add(1, AtomicOrdering::Relaxed) + 1);
        }
    }

    /// The score of a landed version (left to its current twin when the head has the same
    /// content), who landed it and through which pull request.
    fn score_landing(&self, repository: &GitRepository, landing: &Landing) -> Result<LandedScore> {
        let (merged_by, message) = repository.author_and_message(landing.commit)?;
        let pull_request = self.forge.as_ref().and_then(|f| f.request_number(&message));
        if self.head_blobs.contains(&landing.blob) {
            return Ok(LandedScore {
                score: None,
                accepted: false,
                rejected: false,
                receiver: None,
                unparsable: None,
                merged_by,
                pull_request,
            });
        }
        let unscored = |reason: String| LandedScore {
            score: Some((0, self.linter.default_threshold())),
            accepted: false,
            rejected: false,
            receiver: None,
            unparsable: Some(reason),
            merged_by: merged_by.clone(),
            pull_request,
        };
        let bytes = match repository.read_blob(landing.blob, &landing.path, self.max_file_size)? {
            Content::Bytes(bytes) => bytes,
            Content::TooLarge(size) => {
                return Ok(unscored(
                    document::oversized(size, self.max_file_size).message,
                ))
            }
        };
        Ok(match document::parse_value(&bytes, self.max_file_size) {
            Ok(parsed) => {
                let only = self.linter.score_document(&parsed);
                LandedScore {
                    score: Some((only.score, only.threshold)),
                    accepted: only.status.as_deref() == Some("accepted"),
                    rejected: only.status.as_deref() == Some("rejected"),
                    receiver: track::receiver_of(&parsed.value),
                    unparsable: None,
                    merged_by,
                    pull_request,
                }
            }
            Err(failure) => unscored(failure.message),
        })
    }
}

/// What the metrics read of the version that landed.
#[derive(Debug)]
struct LandedScore {
    /// Its score and the threshold that applied; `None` until taken from the current version
    /// with the same content.
    score: Option<(u32, u32)>,
    /// Its `status` was `accepted`.
    accepted: bool,
    /// Its `status` was `rejected`.
    rejected: bool,
    /// Its `to.name`.
    receiver: Option<String>,
    /// Why it could not be read as a handoff.
    unparsable: Option<String>,
    /// Who landed it.
    merged_by: Option<String>,
    /// The pull request (merge request) its commit message names, when the forge is known.
    pull_request: Option<u64>,
}

/// A current version parsed and judged.
#[derive(Debug)]
struct Evaluated {
    fields: Fields,
    report: FileReport,
    /// Why it could not be read as a handoff (over the size cap, not UTF-8, broken YAML).
    unparsable: Option<String>,
}

impl Evaluated {
    fn of(linter: &Linter, max_file_size: u64, path: &str, content: Content) -> Evaluated {
        let bytes = match content {
            Content::Bytes(bytes) => bytes,
            Content::TooLarge(size) => return Evaluated::unparsable(linter.oversized(path, size)),
        };
        // Parse once: the fields the metrics need come from the same parse that is scored.
        let mut report = match document::parse(&bytes, max_file_size) {
            Ok(parsed) => {
                let fields = Fields::of(&parsed.value);
                let mut report = linter.evaluate_document(path, parsed);
                // The source is kept for showing findings; the metrics never show it.
                report.source = None;
                return Evaluated {
                    fields,
                    report,
                    unparsable: None,
                };
            }
            Err(_) => linter.evaluate(path, &bytes),
        };
        report.source = None;
        Evaluated::unparsable(report)
    }

    /// A version that is not a handoff: score 0, and the reason from its one diagnostic.
    fn unparsable(report: FileReport) -> Evaluated {
        Evaluated {
            fields: Fields::default(),
            unparsable: report.diagnostics.first().map(|d| d.message.clone()),
            report,
        }
    }

    fn is_accepted(&self) -> bool {
        self.report.status.as_deref() == Some("accepted")
    }

    /// Its score as a landed version's (for a handoff that landed with this content).
    fn landed_score(&self) -> LandedScore {
        LandedScore {
            score: Some((self.report.score, self.report.threshold)),
            accepted: self.is_accepted(),
            rejected: self.report.status.as_deref() == Some("rejected"),
            receiver: self.fields.receiver.clone(),
            unparsable: self.unparsable.clone(),
            merged_by: None,
            pull_request: None,
        }
    }
}

fn record(
    as_of: jiff::Timestamp,
    handoff: Tracked,
    accepted_at: Option<jiff::Timestamp>,
    at_landing: LandedScore,
    between: track::Between,
    now: Evaluated,
    review_start: Option<jiff::Timestamp>,
) -> HandoffRecord {
    let rejected =
        at_landing.rejected || between.rejected || now.report.status.as_deref() == Some("rejected");
    let last = handoff
        .versions
        .last()
        .map_or(handoff.merged_at, |v| v.time);
    let receivers = std::iter::once((handoff.merged_at, at_landing.receiver.clone()))
        .chain(between.receivers)
        .chain(
            // A handoff with one version: the current one is the one that landed.
            (handoff.versions.len() > 1).then(|| (last, now.fields.receiver.clone())),
        );
    let reassignments = track::reassignments(receivers);
    let time_in_review_days =
        review_start.map(|start| metrics::days_between(start, handoff.merged_at));
    let merged_by = at_landing.merged_by;
    let (score_at_merge, threshold_at_merge) = at_landing.score.unwrap_or((0, 0));
    let landed_unparsable = at_landing.unparsable;
    let note = match (&now.unparsable, landed_unparsable) {
        (Some(reason), _) => Some(format!("not scored (score 0): {reason}")),
        (None, Some(reason)) => Some(format!(
            "the version that landed was not scored (score_at_merge 0): {reason}"
        )),
        (None, None) => None,
    };
    let fields = now.fields;
    let now = now.report;
    let time_to_handoff_days = fields
        .trigger_date
        .and_then(metrics::start_of_day)
        .map(|start| metrics::days_between(start, handoff.merged_at));
    let time_to_accept_days =
        accepted_at.map(|accepted| metrics::days_between(handoff.merged_at, accepted));
    let status = now.status.clone();
    HandoffRecord {
        stale: metrics::is_stale(status.as_deref(), accepted_at, handoff.merged_at, as_of),
        path: handoff.path,
        handoff_type: now.handoff_type.clone(),
        status,
        title: fields.title,
        author: fields.author,
        receiver: fields.receiver,
        customer: fields.customer,
        trigger_date: fields.trigger_date,
        merged_at: handoff.merged_at,
        merged_commit: handoff.merged_commit.hex(),
        merged_by,
        pull_request: at_landing.pull_request,
        accepted_at,
        time_to_handoff_days,
        time_to_accept_days,
        revisions: handoff.revisions,
        score_at_merge,
        threshold_at_merge,
        score: now.score,
        threshold: now.threshold,
        passed: now.passed,
        below_threshold_at_merge: score_at_merge < threshold_at_merge,
        qualified: now.qualification.as_ref().map(|q| q.qualified),
        gaps: gaps(&now),
        note,
        rating: fields.rating,
        rejected,
        reassignments,
        time_in_review_days,
    }
}

/// The fields of a version the metrics read besides its verdict.
#[derive(Debug, Default)]
struct Fields {
    title: Option<String>,
    author: Option<String>,
    customer: Option<String>,
    trigger_date: Option<jiff::civil::Date>,
    /// `to.name`.
    receiver: Option<String>,
    /// `feedback.rating`, when it is a whole number 1-5.
    rating: Option<u8>,
}

impl Fields {
    fn of(value: &Value) -> Fields {
        let text = |pointer: &str| {
            value
                .pointer(pointer)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Fields {
            title: text("/title"),
            author: text("/from/name"),
            customer: text("/customer/company"),
            trigger_date: text("/trigger/date").and_then(|d| d.parse().ok()),
            receiver: track::receiver_of(value),
            rating: value
                .pointer("/feedback/rating")
                .and_then(Value::as_u64)
                .filter(|r| (1..=5).contains(r))
                .and_then(|r| u8::try_from(r).ok()),
        }
    }
}

fn gaps(report: &FileReport) -> Vec<SectionGap> {
    report
        .sections
        .iter()
        .filter(|s| s.status != SectionStatus::Complete)
        .map(|s| SectionGap {
            id: s.id.clone(),
            title: s.title.clone(),
            status: s.status.as_str().to_string(),
            missing: s.gaps.iter().map(|g| g.path.clone()).collect(),
        })
        .collect()
}

/// For each handoff that landed through a merge commit, the committer time of the first commit
/// on the merged branch (reachable from the merge's other parents, not from its first) that
/// touched the file at the path it landed with. Each merge's branch is walked once, for all
/// the handoffs that landed with it.
fn review_starts(
    repository: &GitRepository,
    tracked: &[Tracked],
) -> Result<HashMap<usize, jiff::Timestamp>> {
    let mut by_merge: HashMap<git::CommitId, Vec<(usize, &str)>> = HashMap::new();
    for handoff in tracked {
        by_merge
            .entry(handoff.merged_commit)
            .or_default()
            .push((handoff.id, handoff.merged_path.as_str()));
    }
    let mut starts = HashMap::new();
    for (merge, handoffs) in by_merge {
        let paths: Vec<&str> = handoffs.iter().map(|(_, path)| *path).collect();
        let found = repository.first_touches_on_merged_branch(merge, &paths)?;
        for ((id, _), time) in handoffs.iter().zip(found) {
            if let Some(time) = time {
                starts.insert(*id, time);
            }
        }
    }
    Ok(starts)
}
