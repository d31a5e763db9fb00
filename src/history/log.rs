//! `handoff log PATH`: the audit trail of one handoff. The commits come from the path-limited
//! walk in [`super::git::trail`]; here each version is scored as `handoff lint` scores it, and
//! neighbouring versions are compared: the sections whose status moved, and who accepted,
//! rejected or reassigned the handoff (read from the file's `status`, `accepted_by`,
//! `rejection.by` and `to.name` at each commit).

use serde_json::Value;

use super::forge::Forge;
use super::git::trail::Touch;
use super::git::{BlobSource, Content};
use crate::document;
use crate::lint::Linter;
use crate::playbook::score::SectionStatus;

/// The audit trail of one handoff.
#[derive(Debug, Clone)]
pub struct AuditTrail {
    /// The handoff's path at the ref's head, relative to the workspace root.
    pub path: String,
    /// The ref read, as given.
    pub git_ref: String,
    /// Its head commit (full id).
    pub head: String,
    /// The commits that changed it, oldest first.
    pub commits: Vec<LogEntry>,
    /// The forge the `origin` remote is on, for links.
    pub forge: Option<Forge>,
    /// The workspace root relative to the repository root (`""` when they are the same), for
    /// links to files.
    pub root_in_repo: String,
}

/// One commit of the trail.
#[derive(Debug, Clone)]
pub struct LogEntry {
    /// Full commit id.
    pub commit: String,
    /// Author date.
    pub date: jiff::Timestamp,
    /// Author (through `.mailmap`).
    pub author: Option<String>,
    /// First line of the message.
    pub subject: String,
    /// The handoff's path after the commit.
    pub path: String,
    /// Score after the commit (0 when that version could not be read as a handoff).
    pub score: u32,
    /// The threshold that applied to that version.
    pub threshold: u32,
    /// `status` after the commit.
    pub status: Option<String>,
    /// Sections whose status differs from the version before (none for the first version).
    pub sections_changed: Vec<SectionChange>,
    /// Accepted, rejected or reassigned by this commit.
    pub events: Vec<Event>,
    /// For a commit of a merged branch: the merge on the first-parent chain that landed it.
    pub merge: Option<String>,
    /// The pull request the commit's message names, when the forge is known.
    pub pull_request: Option<u64>,
    /// Why the version was not scored (over the size cap, not UTF-8, broken YAML).
    pub note: Option<String>,
}

/// A section whose status moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionChange {
    /// Section id (`risks`).
    pub section: String,
    /// Its status before (`None`: the section was not in the playbook that scored the version
    /// before).
    pub from: Option<SectionStatus>,
    /// Its status after (`None`: not in the playbook that scores this version).
    pub to: Option<SectionStatus>,
}

/// Who did what to the handoff in one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `status` became `accepted`; `accepted_by`, else the commit's author.
    Accepted {
        /// Who.
        by: Option<String>,
    },
    /// `status` became `rejected`; `rejection.by`, else the commit's author.
    Rejected {
        /// Who.
        by: Option<String>,
        /// `rejection.reason`.
        reason: Option<String>,
    },
    /// `to.name` changed from one receiver to another.
    Reassigned {
        /// The receiver before.
        from: Option<String>,
        /// The receiver after.
        to: Option<String>,
    },
}

/// What one version says.
#[derive(Debug, Default)]
struct Version {
    score: u32,
    threshold: u32,
    status: Option<String>,
    sections: Vec<(String, SectionStatus)>,
    receiver: Option<String>,
    accepted_by: Option<String>,
    rejected_by: Option<String>,
    reason: Option<String>,
    note: Option<String>,
}

impl Version {
    fn read(linter: &Linter, path: &str, content: Content, max_file_size: u64) -> Version {
        let bytes = match content {
            Content::Bytes(bytes) => bytes,
            Content::TooLarge(size) => {
                let report = linter.oversized(path, size);
                return Version {
                    threshold: report.threshold,
                    note: report.diagnostics.first().map(|d| d.message.clone()),
                    ..Version::default()
                };
            }
        };
        // Scores and section statuses only: no findings are shown, so no positions are kept.
        match document::parse_value(&bytes, max_file_size) {
            Ok(parsed) => {
                let text = |pointer: &str| {
                    parsed
                        .value
                        .pointer(pointer)
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                };
                let receiver = text("/to/name");
                let accepted_by = text("/accepted_by");
                let rejected_by = text("/rejection/by");
                let reason = text("/rejection/reason");
                let report = linter.score_document(&parsed);
                Version {
                    score: report.score,
                    threshold: report.threshold,
                    status: report.status,
                    sections: report
                        .sections
                        .iter()
                        .map(|s| (s.id.clone(), s.status))
                        .collect(),
                    receiver,
                    accepted_by,
                    rejected_by,
                    reason,
                    note: None,
                }
            }
            Err(_) => {
                let report = linter.evaluate(path, &bytes);
                Version {
                    threshold: report.threshold,
                    note: report.diagnostics.first().map(|d| d.message.clone()),
                    ..Version::default()
                }
            }
        }
    }
}

/// Scores every touched version and compares each with the one before it in the list (for a
/// merge, the last commit of its branch; for a branch's first commit, the version on the
/// first-parent chain before it).
pub fn entries(
    touches: &[Touch],
    blobs: &dyn BlobSource,
    linter: &Linter,
    max_file_size: u64,
    forge: Option<&Forge>,
) -> crate::error::Result<Vec<LogEntry>> {
    let mut entries = Vec::with_capacity(touches.len());
    let mut previous: Option<Version> = None;
    for touch in touches {
        let content = blobs.read_blob(touch.blob, &touch.path, max_file_size)?;
        let version = Version::read(linter, &touch.path, content, max_file_size);
        let (sections_changed, events) = match &previous {
            Some(before) => (
                sections_changed(before, &version),
                events(before, &version, touch),
            ),
            None => (Vec::new(), first_events(&version, touch)),
        };
        entries.push(LogEntry {
            commit: touch.commit.hex(),
            date: touch.time,
            author: touch.author.clone(),
            subject: touch.subject.clone(),
            path: touch.path.clone(),
            score: version.score,
            threshold: version.threshold,
            status: version.status.clone(),
            sections_changed,
            events,
            merge: touch.merge.map(|m| m.hex()),
            pull_request: forge.and_then(|f| f.request_number(&touch.message)),
            note: version.note.clone(),
        });
        previous = Some(version);
    }
    Ok(entries)
}

fn sections_changed(before: &Version, after: &Version) -> Vec<SectionChange> {
    let was = |id: &str| {
        before
            .sections
            .iter()
            .find(|(s, _)| s == id)
            .map(|(_, st)| *st)
    };
    let mut changed: Vec<SectionChange> = after
        .sections
        .iter()
        .filter(|(id, status)| was(id) != Some(*status))
        .map(|(id, status)| SectionChange {
            section: id.clone(),
            from: was(id),
            to: Some(*status),
        })
        .collect();
    // Sections the new version's playbook no longer has (a type change, say).
    changed.extend(
        before
            .sections
            .iter()
            .filter(|(id, _)| !after.sections.iter().any(|(s, _)| s == id))
            .map(|(id, status)| SectionChange {
                section: id.clone(),
                from: Some(*status),
                to: None,
            }),
    );
    changed
}

fn first_events(version: &Version, touch: &Touch) -> Vec<Event> {
    status_event(None, version, touch).into_iter().collect()
}

fn events(before: &Version, after: &Version, touch: &Touch) -> Vec<Event> {
    let mut events = Vec::new();
    if before.receiver.is_some() && after.receiver.is_some() && before.receiver != after.receiver {
        events.push(Event::Reassigned {
            from: before.receiver.clone(),
            to: after.receiver.clone(),
        });
    }
    events.extend(status_event(before.status.as_deref(), after, touch));
    events
}

fn status_event(before: Option<&str>, after: &Version, touch: &Touch) -> Option<Event> {
    let now = after.status.as_deref();
    if now == before {
        return None;
    }
    match now {
        Some("accepted") => Some(Event::Accepted {
            by: after.accepted_by.clone().or_else(|| touch.author.clone()),
        }),
        Some("rejected") => Some(Event::Rejected {
            by: after.rejected_by.clone().or_else(|| touch.author.clone()),
            reason: after.reason.clone(),
        }),
        _ => None,
    }
}

impl Event {
    /// One line: `accepted by Aisha Okafor`, `reassigned from A to B`.
    pub fn describe(&self) -> String {
        let who = |name: &Option<String>| name.clone().unwrap_or_else(|| "(unknown)".into());
        match self {
            Event::Accepted { by } => format!("accepted by {}", who(by)),
            Event::Rejected { by, reason } => match reason {
                Some(reason) => format!("rejected by {}: {reason}", who(by)),
                None => format!("rejected by {}", who(by)),
            },
            Event::Reassigned { from, to } => {
                format!("reassigned from {} to {}", who(from), who(to))
            }
        }
    }

    /// `accepted`, `rejected` or `reassigned`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Accepted { .. } => "accepted",
            Event::Rejected { .. } => "rejected",
            Event::Reassigned { .. } => "reassigned",
        }
    }
}

impl SectionChange {
    /// `risks: missing → complete` (`none` for a side without the section).
    pub fn describe(&self) -> String {
        let name = |s: Option<SectionStatus>| s.map_or("none", SectionStatus::as_str);
        format!("{}: {} → {}", self.section, name(self.from), name(self.to))
    }
}

/// The audit trail of the handoff at `path` (relative to the root) on `git_ref` (what
/// `handoff log` prints).
pub fn audit_trail(
    workspace: &crate::repo::Workspace,
    path: String,
    git_ref: &str,
) -> crate::error::Result<AuditTrail> {
    use crate::error::Error;
    let repository = super::git::GitRepository::open(&workspace.root)?;
    let Some(head) = repository.resolve(git_ref)? else {
        return Err(Error::Usage(format!(
            "{path}: the repository has no commits yet, so the handoff has no history; commit \
             it first (`git add {path} && git commit`)"
        )));
    };
    let max_file_size = workspace.config.max_file_size;
    let touches = repository.trail(&head, &workspace.config.handoffs_dir, &path, max_file_size)?;
    if touches.is_empty() {
        return Err(Error::Usage(format!(
            "{path}: not committed on {git_ref}, so it has no history there; commit it first \
             (`git add {path} && git commit`), or give the ref that has it with --ref"
        )));
    }
    let as_of = super::metrics::utc_date(head.commit.time);
    let linter = Linter::new(workspace, None, as_of)?;
    let forge = repository.forge();
    let commits = entries(
        &touches,
        &repository,
        &linter,
        max_file_size,
        forge.as_ref(),
    )?;
    Ok(AuditTrail {
        path,
        git_ref: git_ref.to_string(),
        head: head.commit.id.hex(),
        commits,
        forge,
        root_in_repo: repository.root_in_repo().to_string(),
    })
}
