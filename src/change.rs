//! Score deltas for `--changed-since`: how each linted handoff changed since the merge base
//! (new, modified, renamed), its score and sections there, and which sections moved. Plain
//! data: the git side ([`crate::history::changed`]) hands over the base version's bytes, which
//! are scored here with the same [`Linter`] as the current files.

use crate::error::Error;
use crate::lint::{FileReport, LintReport, Linter};
use crate::playbook::score::{SectionResult, SectionStatus};
use crate::repo::Workspace;

/// How a handoff changed between the merge base and the working tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// A handoff's verdict at the merge base.
#[derive(Debug, Clone, PartialEq)]
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
    /// The merge base's full commit id (hex).
    pub merge_base_id: String,
    /// The rule files changed since the merge base, relative to the root (`roster.yaml`,
    /// `playbooks/...`, `schema/...`, `templates/...`, `handoff.toml`); when any did, every
    /// handoff is linted ([`RULE_PATHS`]).
    pub rules_changed: Vec<String>,
    /// When rules changed: the rule files at the merge base (path relative to the root, bytes),
    /// to lint with the rules as they were.
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

/// Scores the base version of each changed file with `linter` (the merge base's rules when
/// they changed, else today's) and attaches it to the file's report.
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
                passed: then.passed,
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

/// A linter with the rules of the merge base (`files`: its rule files, from
/// [`crate::history::snapshot`]), with the same `--threshold`, "today" and draft setting as
/// `current`. `None` when those rules do not load (a broken playbook there): every handoff is
/// then reported.
pub fn base_linter(
    files: &[(String, Vec<u8>)],
    threshold: Option<u32>,
    today: jiff::civil::Date,
    current: &Linter,
) -> crate::error::Result<Option<Linter>> {
    let dir = tempfile::tempdir().map_err(|err| {
        Error::io(
            std::env::temp_dir(),
            "cannot create a temporary folder",
            err,
        )
    })?;
    let config = dir.path().join(crate::config::CONFIG_FILE);
    // A config file marks the folder as the root (else the root search would walk up).
    let mut wrote_config = false;
    for (path, bytes) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|err| Error::io(parent, "cannot create a temporary folder", err))?;
        }
        std::fs::write(&target, bytes)
            .map_err(|err| Error::io(&target, "cannot write a temporary file", err))?;
        wrote_config |= target == config;
    }
    if !wrote_config {
        std::fs::write(&config, "")
            .map_err(|err| Error::io(&config, "cannot write a temporary file", err))?;
    }
    let Ok(workspace) = Workspace::open(dir.path()) else {
        return Ok(None);
    };
    let Ok(mut linter) = Linter::new(&workspace, threshold, today) else {
        return Ok(None);
    };
    linter.block_drafts(current.drafts_blocked() && workspace.config.block_drafts);
    Ok(Some(linter))
}

/// When the rules changed: keeps the handoffs changed on the branch, and of the others
/// (`change` still `None`) those whose score or verdict differs in `base` (their lint by the
/// merge base's rules), marked [`ChangeKind::Rules`]. Without a base, keeps them all.
pub fn keep_moved(report: &mut LintReport, base: Option<&LintReport>) {
    report.files.retain_mut(|file| {
        if file.change.is_some() {
            return true;
        }
        let then = base.and_then(|base| base.files.iter().find(|f| f.path == file.path));
        if let Some(then) = then {
            if then.score == file.score && then.passed == file.passed {
                return false;
            }
        }
        file.change = Some(Change {
            kind: ChangeKind::Rules,
            base: then.map(|then| Baseline {
                path: then.path.clone(),
                score: then.score,
                valid: then.valid,
                passed: then.passed,
                sections: then
                    .sections
                    .iter()
                    .map(|s| (s.id.clone(), s.status))
                    .collect(),
            }),
        });
        true
    });
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
        return Some(match change.kind {
            ChangeKind::Rules => "the rules changed".to_string(),
            _ => "new".to_string(),
        });
    };
    let mut parts = vec![format!("{} → {}", base.score, file.score)];
    if base.passed != file.passed {
        parts.push(
            if file.passed {
                "now passes"
            } else {
                "now blocked"
            }
            .to_string(),
        );
    }
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
            fields: Vec::new(),
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
            skipped: false,
            sections,
            qualification: None,
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
            passed: true,
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
                    passed: true,
                    sections: vec![("risks".into(), SectionStatus::Complete)],
                }),
            }),
        );
        assert_eq!(delta_text(&same).unwrap(), "80 → 80 · no section moved");
        assert_eq!(delta_text(&file(80, Vec::new(), None)), None);
    }
}
