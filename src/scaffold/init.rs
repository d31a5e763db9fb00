//! `handoff init [DIR]`: scaffolds a handoff repository. Every file is checked before any is
//! written: an existing file is a conflict (exit 2, all of them listed, nothing written) unless
//! `--force`. An existing `roster.yaml` is the team's own list of people: it is kept and
//! CODEOWNERS is routed from it.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::files::{self, ScaffoldFile, ROSTER_PATH};
use crate::cli::{CiSystem, InitArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::repo::embedded;
use crate::roster::Roster;

/// Runs `handoff init`.
pub fn run(args: InitArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    let given = args.dir.unwrap_or_else(|| PathBuf::from("."));
    let dir = cwd.join(&given);
    if dir.exists() && !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{}: not a folder; give a folder to scaffold (it is created when missing)",
            given.display()
        )));
    }
    let kept_roster = match crate::repo::asset::read(&dir, Path::new(ROSTER_PATH))? {
        Some(text) => Some(Roster::parse(ROSTER_PATH, &text)?),
        None => None,
    };
    let roster = match &kept_roster {
        Some(roster) => roster.clone(),
        None => Roster::parse("roster.yaml (embedded example)", embedded::ROSTER)?,
    };
    let playbooks = files::embedded_playbooks()?;
    let planned: Vec<ScaffoldFile> = files::scaffold_files(&roster, &playbooks, args.ci)
        .into_iter()
        .filter(|file| !(kept_roster.is_some() && file.path == ROSTER_PATH))
        .collect();

    let mut existing = Vec::new();
    for file in &planned {
        let target = dir.join(&file.path);
        // A file where init needs a folder would stop it half way through: refuse up front.
        for folder in Path::new(&file.path).ancestors().skip(1) {
            let folder = dir.join(folder);
            if std::fs::metadata(&folder).is_ok_and(|meta| !meta.is_dir()) {
                return Err(Error::Usage(format!(
                    "{}: a file is where init writes a folder; move it away first (nothing was written)",
                    folder.display()
                )));
            }
        }
        if let Ok(meta) = std::fs::symlink_metadata(&target) {
            if meta.is_dir() {
                return Err(Error::Usage(format!(
                    "{}: a folder is where init writes a file; move it away first",
                    target.display()
                )));
            }
            existing.push(file.path.clone());
        }
    }
    if !existing.is_empty() && !args.force {
        return Err(Error::WouldOverwrite {
            dir: given,
            paths: existing,
        });
    }

    std::fs::create_dir_all(&dir).map_err(|err| Error::io(&dir, "cannot create", err))?;
    for file in &planned {
        super::write_atomic(&dir.join(&file.path), &file.contents, args.force)?;
    }
    let report = summary(
        &given,
        &dir,
        &planned,
        &existing,
        &roster,
        kept_roster.is_some(),
        args.ci,
    );
    out.write_all(report.as_bytes()).map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}

/// What was written and what to do next.
fn summary(
    given: &Path,
    dir: &Path,
    planned: &[ScaffoldFile],
    overwritten: &[String],
    roster: &Roster,
    kept_roster: bool,
    ci: CiSystem,
) -> String {
    let codeowners = match ci {
        CiSystem::Github => ".github/CODEOWNERS",
        CiSystem::Gitlab => ".gitlab/CODEOWNERS",
    };
    let mut text = format!(
        "Scaffolded a handoff repository in {} ({} files):\n",
        given.display(),
        planned.len()
    );
    for file in planned {
        let note = if overwritten.contains(&file.path) {
            " (overwritten)"
        } else {
            ""
        };
        text.push_str(&format!("  {}{note}\n", file.path));
    }
    if kept_roster {
        text.push_str(&format!(
            "  kept your {ROSTER_PATH}; {codeowners} is routed from it\n"
        ));
    }
    let pick = |role: &str, fallback: &str| {
        roster
            .people
            .iter()
            .find(|p| {
                p.role
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(role))
            })
            .map(|p| p.name.clone())
            .unwrap_or_else(|| fallback.to_string())
    };
    let writer = pick("AE", "Your Name");
    let receiver = pick("CSM", "Receiver Name");
    let cd = if given == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", given.display())
    };
    text.push_str("\nNext:\n");
    text.push_str(&format!(
        "  1. Put your people in {ROSTER_PATH} (name, email, role, team; `github:` handles let CODEOWNERS ask the receiver to review) and fix the placeholders in {codeowners}.\n"
    ));
    if dir.join(".git").exists() {
        text.push_str(&format!(
            "  2. Commit the scaffold: {cd}git add -A && git commit -m \"Scaffold handoffs\"\n"
        ));
    } else {
        text.push_str(&format!(
            "  2. Make it a git repository and commit: {cd}git init && git add -A && git commit -m \"Scaffold handoffs\"\n"
        ));
    }
    match ci {
        CiSystem::Github => text.push_str(
            "  3. Push it to GitHub and require the \"gate\" check (and code-owner review) on the default branch.\n",
        ),
        CiSystem::Gitlab => text.push_str(
            "  3. Push it to GitLab, turn on \"Pipelines must succeed\" and code-owner approval on the default branch, and add a weekly pipeline schedule (CI/CD > Schedules) for the metrics.\n",
        ),
    }
    text.push_str(&format!(
        "  4. Start a handoff: handoff new sales-cs acme-corp --from \"{writer}\" --to \"{receiver}\" --branch\n     then fill it in, `handoff lint`, commit, push and open the pull request.\n"
    ));
    text
}
