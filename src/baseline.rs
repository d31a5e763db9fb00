//! The merge base's side of `--changed-since`: scores the base version of each changed handoff
//! (with today's rules, or with the merge base's as a second [`Linter`] when the rule files
//! changed) and keeps the unchanged handoffs whose verdict moved. The result is plain
//! [`crate::change`] data on each file's report.

use crate::change::{BaseContent, Baseline, Change, ChangeKind, ChangedFile};
use crate::error::Error;
use crate::lint::{LintReport, Linter};
use crate::repo::Workspace;

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
