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
pub mod git;
pub mod metrics;
pub mod objects;
pub mod review;
pub mod sample;
pub mod track;
pub mod week;

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::Value;

use crate::document;
use crate::error::{Error, Result};
use crate::lint::{FileReport, Linter};
use crate::playbook::score::SectionStatus;
use crate::repo::Workspace;
use git::{BlobSource, Content, GitRepository, Head, RepositoryHandle};
use metrics::{HandoffRecord, SectionGap};
use track::{Landing, Tracked, Tracker};

/// What the walk is doing, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Walking commits.
    Walk,
    /// Scoring the versions that landed and the current ones.
    Score,
}

/// Called with the stage, work done and work to do.
pub type Progress<'a> = &'a mut dyn FnMut(Stage, u64, u64);

/// The head of the measured ref: commit id and committer time.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadCommit {
    /// Full hex id.
    pub commit: String,
    /// Committer time: "now" for the metrics (stale, the default sample week).
    pub time: jiff::Timestamp,
}

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
/// Parsing and scoring versions costs more than walking the history, so it overlaps with it:
/// while this thread walks, a second one scores each handoff's landed version as soon as it
/// appears; the current versions are scored in parallel once the walk is done. Each thread
/// opens its own repository handle (git2 handles are not shared between threads).
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
    let max_file_size = workspace.config.max_file_size;
    let handle = repository.handle();
    let (tracked, mut landed) = std::thread::scope(|scope| -> Result<_> {
        let (sender, receiver) = std::sync::mpsc::channel::<Landing>();
        let scorer = scope.spawn(|| score_landings(&handle, linter, max_file_size, receiver));
        let mut tracker = Tracker::new(repository, max_file_size);
        let walked = repository.walk(
            head,
            &workspace.config.handoffs_dir,
            &mut |done, total| progress(Stage::Walk, done, total),
            &mut |commit, changes| {
                tracker.apply(commit, changes)?;
                for landing in tracker.take_landed() {
                    // The scorer only hangs up when it failed; its error is reported below.
                    let _ = sender.send(landing);
                }
                Ok(())
            },
        );
        drop(sender);
        let scored = scorer
            .join()
            .map_err(|_| Error::Git("scoring the handoffs' versions failed unexpectedly".into()))?;
        walked?;
        Ok((tracker.finish(), scored?))
    })?;
    let total = tracked.len() as u64;
    progress(Stage::Score, 0, total);
    let as_of = head.commit.time;
    let inputs: Vec<(Tracked, Evaluated)> = tracked
        .into_iter()
        .filter_map(|handoff| landed.remove(&handoff.id).map(|at| (handoff, at)))
        .collect();
    let records = inputs
        .into_par_iter()
        .map_init(
            || handle.open(),
            |opened, (handoff, at_landing)| {
                let repository = opened.as_ref().map_err(|err| Error::Git(err.to_string()))?;
                let now = if handoff.head_blob() == handoff.merged_blob() {
                    None
                } else {
                    let content =
                        repository.read_blob(handoff.head_blob(), &handoff.path, max_file_size)?;
                    Some(Evaluated::of(linter, max_file_size, &handoff.path, content))
                };
                let accepted = |blob| {
                    if blob == handoff.head_blob() {
                        Some(now.as_ref().unwrap_or(&at_landing).is_accepted())
                    } else if blob == handoff.merged_blob() {
                        Some(at_landing.is_accepted())
                    } else {
                        None
                    }
                };
                let accepted_at = track::accepted_at(
                    &handoff.path,
                    &handoff.versions,
                    &accepted,
                    repository,
                    max_file_size,
                )?;
                Ok(record(as_of, handoff, accepted_at, at_landing, now))
            },
        )
        .collect::<Result<Vec<_>>>()?;
    progress(Stage::Score, total, total);
    Ok(records)
}

/// A version parsed and scored.
#[derive(Debug)]
struct Evaluated {
    fields: Fields,
    report: FileReport,
    /// Who landed it (only for the version that landed).
    merged_by: Option<String>,
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
                    merged_by: None,
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
            merged_by: None,
        }
    }

    fn is_accepted(&self) -> bool {
        self.report.status.as_deref() == Some("accepted")
    }
}

/// Scores each landed version the walk sends, until the walk hangs up.
fn score_landings(
    handle: &RepositoryHandle,
    linter: &Linter,
    max_file_size: u64,
    landings: std::sync::mpsc::Receiver<Landing>,
) -> Result<HashMap<usize, Evaluated>> {
    let repository = handle.open()?;
    let mut scored = HashMap::new();
    for landing in landings {
        let content = repository.read_blob(landing.blob, &landing.path, max_file_size)?;
        let mut evaluated = Evaluated::of(linter, max_file_size, &landing.path, content);
        evaluated.merged_by = repository.author_name(landing.commit)?;
        scored.insert(landing.id, evaluated);
    }
    Ok(scored)
}

fn record(
    as_of: jiff::Timestamp,
    handoff: Tracked,
    accepted_at: Option<jiff::Timestamp>,
    at_landing: Evaluated,
    now: Option<Evaluated>,
) -> HandoffRecord {
    let merged_by = at_landing.merged_by.clone();
    let (score_at_merge, threshold_at_merge) =
        (at_landing.report.score, at_landing.report.threshold);
    let landed_unparsable = at_landing.unparsable.clone();
    let now = now.unwrap_or(at_landing);
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
        trigger_date: fields.trigger_date,
        merged_at: handoff.merged_at,
        merged_commit: handoff.merged_commit.hex(),
        merged_by,
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
        gaps: gaps(&now),
        note,
    }
}

/// The fields of a version the metrics read besides its verdict.
#[derive(Debug, Default)]
struct Fields {
    title: Option<String>,
    author: Option<String>,
    trigger_date: Option<jiff::civil::Date>,
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
            trigger_date: text("/trigger/date").and_then(|d| d.parse().ok()),
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
