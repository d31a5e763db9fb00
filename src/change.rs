//! Score deltas for `--changed-since`, as plain data in the lint model: how each linted
//! handoff changed since the merge base (new, modified, renamed), its score and sections there,
//! and which sections moved. The git side ([`crate::history::changed`]) hands over the base
//! version's bytes, [`crate::baseline`] scores them, and the reporters turn the data into text
//! ([`crate::report::delta`]).

use serde::ser::Serializer;
use serde::Serialize;

use crate::playbook::score::{SectionResult, SectionStatus};

/// How a handoff changed between the merge base and the working tree (serialised as
/// [`ChangeKind::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Not in the merge base (added on the branch, or untracked).
    New,
    /// Same path, different content.
    Modified,
    /// Moved (possibly edited too); the base version is at another path.
    Renamed,
    /// Not changed itself, but linted because the rules changed (roster, playbooks, schemas,
    /// templates or `handoff.toml`) and its verdict or score moved.
    Rules,
}

impl ChangeKind {
    /// Lower-case name, as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Rules => "rules",
        }
    }
}

/// A handoff's verdict at the merge base (serialised as the JSON report's `base`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    /// Its path there, relative to the repository root (differs from today's after a rename).
    pub path: String,
    /// Its score there, by today's playbooks and threshold.
    pub score: u32,
    /// Whether it was valid there.
    pub valid: bool,
    /// Whether it passed the gate there.
    pub passed: bool,
    /// Section id → status there (empty when it could not be scored).
    #[serde(serialize_with = "id_to_status")]
    pub sections: Vec<(String, SectionStatus)>,
}

/// The sections as an object, id → status, in playbook order.
fn id_to_status<S: Serializer>(
    sections: &[(String, SectionStatus)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_map(sections.iter().map(|(id, status)| (id, status)))
}

/// How one linted file changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// New, modified or renamed.
    pub kind: ChangeKind,
    /// The base version, scored (`None` for a new file).
    pub base: Option<Baseline>,
}

/// What `--changed-since` compared against (serialised as the JSON report's `changed_since`:
/// `ref`, `merge_base`, `rules_changed`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedSince {
    /// The ref as given (`origin/main`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The merge base of that ref and HEAD, abbreviated.
    pub merge_base: String,
    /// The merge base's full commit id (hex).
    #[serde(skip)]
    pub merge_base_id: String,
    /// The rule files changed since the merge base, relative to the root (`roster.yaml`,
    /// `playbooks/...`, `schema/...`, `templates/...`, `handoff.toml`); when any did, every
    /// handoff is linted ([`RULE_PATHS`]).
    pub rules_changed: Vec<String>,
    /// When rules changed: the rule files at the merge base (path relative to the root, bytes),
    /// to lint with the rules as they were.
    #[serde(skip)]
    pub base_rule_files: Vec<(String, Vec<u8>)>,
}

/// What changes verdicts besides the handoffs themselves: when a path here (a file, or a
/// folder ending in `/`) changed since the merge base, `--changed-since` lints every handoff,
/// and reports the ones changed on the branch and those whose verdict or score moved. The
/// roster's path comes from `handoff.toml` (`roster`).
pub const RULE_PATHS: &[&str] = &["handoff.toml", "playbooks/", "schema/", "templates/"];

/// Whether `path` (relative to the root, with `/`) is one of the rule files.
pub fn is_rule_path(path: &str, roster: &str) -> bool {
    path == roster.trim_start_matches("./")
        || RULE_PATHS.iter().any(|rule| match rule.strip_suffix('/') {
            Some(folder) => path.starts_with(rule) && path.len() > folder.len() + 1,
            None => path == *rule,
        })
}

/// A changed handoff as the git side reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedFile {
    /// Path now, relative to the repository root, with `/`.
    pub path: String,
    /// New, modified or renamed.
    pub kind: ChangeKind,
    /// Path at the merge base, and the content there (`None` for a new file).
    pub base: Option<(String, BaseContent)>,
    /// Its content at HEAD when it is not in the work tree (outside a sparse checkout's
    /// cone): linted from there, so the gate never passes a file it did not read.
    pub committed: Option<BaseContent>,
}

/// A version at the merge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BaseContent {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Its size in bytes, over the size cap: it was not read.
    TooLarge(u64),
}

/// A section whose status differs between the base and now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionMove {
    /// Section id.
    pub id: String,
    /// Status at the base (`None` when the base had no such section).
    pub from: Option<SectionStatus>,
    /// Status now.
    pub to: SectionStatus,
}

/// The sections whose status moved between `base` and `now`, in playbook order.
pub fn section_moves(base: &Baseline, now: &[SectionResult]) -> Vec<SectionMove> {
    if base.sections.is_empty() {
        return Vec::new();
    }
    now.iter()
        .filter_map(|section| {
            let from = base
                .sections
                .iter()
                .find(|(id, _)| *id == section.id)
                .map(|(_, status)| *status);
            (from != Some(section.status)).then(|| SectionMove {
                id: section.id.clone(),
                from,
                to: section.status,
            })
        })
        .collect()
}
