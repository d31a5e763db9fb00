//! Governance from git history: the one walk of a ref's first-parent chain ([`git`], the only
//! git2 code), handoff identities across renames ([`track`]), the metrics over plain values
//! ([`metrics`]), the weekly review sample ([`sample`]) and the reviews managers record
//! ([`review`]). [`command`] turns the command line into that work.
//!
//! Which handoffs count: those present at the ref's head. A handoff deleted on the chain is no
//! longer reported (re-adding the file later starts a new handoff); `score` is scored on its
//! version at the head, `score_at_merge` on the version that landed.

pub mod command;
pub mod git;
pub mod metrics;
pub mod review;
pub mod sample;
pub mod track;
pub mod week;

use rayon::prelude::*;
use serde_json::Value;

use crate::document;
use crate::error::Result;
use crate::lint::{FileReport, Linter};
use crate::playbook::score::SectionStatus;
use crate::repo::Workspace;
use git::{BlobSource, GitRepository, Head};
use metrics::{HandoffRecord, SectionGap};
use track::{Tracked, Tracker};

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
    let mut tracker = Tracker::new(repository, max_file_size);
    repository.walk(
        head,
        &workspace.config.handoffs_dir,
        &mut |done, total| progress(Stage::Walk, done, total),
        &mut |commit, changes| tracker.apply(commit, changes),
    )?;
    let tracked = tracker.finish();
    let total = tracked.len() as u64;
    progress(Stage::Score, 0, total);
    // Blobs are read here, in order (git2 objects stay on this thread); the parsing and scoring
    // of both versions of every handoff then run in parallel.
    let mut inputs = Vec::with_capacity(tracked.len());
    for handoff in tracked {
        let head_bytes = repository.read_blob(handoff.head_blob)?;
        let merged_bytes = if handoff.merged_blob == handoff.head_blob {
            None
        } else {
            Some(repository.read_blob(handoff.merged_blob)?)
        };
        let merged_by = repository.author_name(handoff.merged_commit)?;
        inputs.push((handoff, head_bytes, merged_bytes, merged_by));
    }
    let as_of = head.commit.time;
    let records = inputs
        .into_par_iter()
        .map(|(handoff, head_bytes, merged_bytes, merged_by)| {
            record(
                linter,
                max_file_size,
                as_of,
                handoff,
                &head_bytes,
                merged_bytes.as_deref(),
                merged_by,
            )
        })
        .collect();
    progress(Stage::Score, total, total);
    Ok(records)
}

fn record(
    linter: &Linter,
    max_file_size: u64,
    as_of: jiff::Timestamp,
    handoff: Tracked,
    head_bytes: &[u8],
    merged_bytes: Option<&[u8]>,
    merged_by: Option<String>,
) -> HandoffRecord {
    // Parse the current version once: the fields the metrics need come from the same parse
    // that is scored.
    let (fields, now) = match document::parse(head_bytes, max_file_size) {
        Ok(parsed) => {
            let fields = Fields::of(&parsed.value);
            (fields, linter.evaluate_document(&handoff.path, parsed))
        }
        Err(_) => (
            Fields::default(),
            linter.evaluate(&handoff.path, head_bytes),
        ),
    };
    let (score_at_merge, threshold_at_merge) = match merged_bytes {
        Some(bytes) => {
            let at_merge = linter.evaluate(&handoff.merged_path, bytes);
            (at_merge.score, at_merge.threshold)
        }
        None => (now.score, now.threshold),
    };
    let time_to_handoff_days = fields
        .trigger_date
        .and_then(metrics::start_of_day)
        .map(|start| metrics::days_between(start, handoff.merged_at));
    let time_to_accept_days = handoff
        .accepted_at
        .map(|accepted| metrics::days_between(handoff.merged_at, accepted));
    let status = now.status.clone();
    HandoffRecord {
        stale: metrics::is_stale(
            status.as_deref(),
            handoff.accepted_at,
            handoff.merged_at,
            as_of,
        ),
        path: handoff.path,
        handoff_type: now.handoff_type.clone(),
        status,
        title: fields.title,
        author: fields.author,
        trigger_date: fields.trigger_date,
        merged_at: handoff.merged_at,
        merged_commit: handoff.merged_commit.hex(),
        merged_by,
        accepted_at: handoff.accepted_at,
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
