//! Score deltas for `--changed-since`: how each linted handoff changed since the merge base
//! (new, modified, renamed), its score and sections there, and which sections moved. Plain
//! data: the git side ([`crate::history::changed`]) hands over the base version's bytes, which
//! are scored here with the same [`Linter`] as the current files.

use crate::lint::{FileReport, LintReport, Linter};
use crate::playbook::score::{SectionResult, SectionStatus};

/// How a handoff changed between the merge base and the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// Not in the merge base (added on the branch, or untracked).
    New,
    /// Same path, different content.
    Modified,
    /// Moved (possibly edited too); the base version is at another path.
    Renamed,
}

impl ChangeKind {
    /// Lower-case name, as in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Modified => "modified",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// A handoff's verdict at the merge base.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Its path there, relative to the repository root (differs from today's after a rename).
    pub path: String,
    /// Its score there, by today's playbooks and threshold.
    pub score: u32,
    /// Whether it was valid there.
    pub valid: bool,
    /// Section id → status there (empty when it could not be scored).
    pub sections: Vec<(String, SectionStatus)>,
}

/// How one linted file changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// New, modified or renamed.
    pub kind: ChangeKind,
    /// The base version, scored (`None` for a new file).
    pub base: Option<Baseline>,
}

/// What `--changed-since` compared against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedSince {
    /// The ref as given (`origin/main`).
    pub reference: String,
    /// The merge base of that ref and HEAD, abbreviated.
    pub merge_base: String,
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

/// Scores the base version of each changed file and attaches it to the file's report.
pub fn attach(report: &mut LintReport, linter: &Linter, changed: Vec<ChangedFile>) {
    for file in &mut report.files {
        let Some(changed) = changed.iter().find(|c| c.path == file.path) else {
            continue;
        };
        let base = changed.base.as_ref().map(|(path, content)| {
            let then = match content {
                BaseContent::Bytes(bytes) => linter.evaluate(path, bytes),
                BaseContent::TooLarge(size) => linter.oversized(path, *size),
            };
            Baseline {
                path: path.clone(),
                score: then.score,
                valid: then.valid,
                sections: then
                    .sections
                    .iter()
                    .map(|s| (s.id.clone(), s.status))
                    .collect(),
            }
        });
        file.change = Some(Change {
            kind: changed.kind,
            base,
        });
    }
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

/// One line for people: `new`, or `62 → 78 · risks: missing → partial`.
pub fn delta_text(file: &FileReport) -> Option<String> {
    let change = file.change.as_ref()?;
    let Some(base) = &change.base else {
        return Some("new".to_string());
    };
    let mut parts = vec![format!("{} → {}", base.score, file.score)];
    if !base.valid && file.valid {
        parts.push("was invalid".to_string());
    } else if base.valid && !file.valid {
        parts.push("now invalid".to_string());
    }
    let moves = section_moves(base, &file.sections);
    if moves.is_empty() && base.score == file.score {
        parts.push("no section moved".to_string());
    }
    for moved in moves {
        parts.push(format!(
            "{}: {} → {}",
            moved.id,
            moved.from.map_or("none", SectionStatus::as_str),
            moved.to.as_str()
        ));
    }
    Some(parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(id: &str, status: SectionStatus) -> SectionResult {
        SectionResult {
            id: id.into(),
            title: id.into(),
            weight: 10,
            status,
            gaps: Vec::new(),
        }
    }

    fn file(score: u32, sections: Vec<SectionResult>, change: Option<Change>) -> FileReport {
        FileReport {
            path: "handoffs/a.yaml".into(),
            handoff_type: Some("sales-cs".into()),
            status: None,
            playbook: None,
            valid: true,
            score,
            threshold: 70,
            passed: true,
            sections,
            diagnostics: Vec::new(),
            source: None,
            change,
        }
    }

    #[test]
    fn delta_names_the_sections_that_moved() {
        let base = Baseline {
            path: "handoffs/a.yaml".into(),
            score: 62,
            valid: true,
            sections: vec![
                ("risks".into(), SectionStatus::Missing),
                ("technical".into(), SectionStatus::Complete),
            ],
        };
        let now = file(
            78,
            vec![
                section("risks", SectionStatus::Partial),
                section("technical", SectionStatus::Complete),
            ],
            Some(Change {
                kind: ChangeKind::Modified,
                base: Some(base),
            }),
        );
        assert_eq!(
            delta_text(&now).unwrap(),
            "62 → 78 · risks: missing → partial"
        );
    }

    #[test]
    fn new_and_unchanged_and_unlinted() {
        let new = file(
            80,
            Vec::new(),
            Some(Change {
                kind: ChangeKind::New,
                base: None,
            }),
        );
        assert_eq!(delta_text(&new).unwrap(), "new");
        let same = file(
            80,
            vec![section("risks", SectionStatus::Complete)],
            Some(Change {
                kind: ChangeKind::Renamed,
                base: Some(Baseline {
                    path: "handoffs/old.yaml".into(),
                    score: 80,
                    valid: true,
                    sections: vec![("risks".into(), SectionStatus::Complete)],
                }),
            }),
        );
        assert_eq!(delta_text(&same).unwrap(), "80 → 80 · no section moved");
        assert_eq!(delta_text(&file(80, Vec::new(), None)), None);
    }
}
