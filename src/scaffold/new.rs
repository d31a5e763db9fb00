//! `handoff new TYPE NAME`: validates the request (type, slug, roster names, a free file name,
//! and with `--branch` a repository ready to branch), writes `handoffs/TYPE/NAME.yaml` from the
//! type's current playbook and schema, scores it with the gate, and says what to do next.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::skeleton::{PersonFields, Skeleton};
use crate::cli::NewArgs;
use crate::error::{Error, ExitStatus, Result};
use crate::history::branch::HandoffBranch;
use crate::lint::Linter;
use crate::playbook::HANDOFF_TYPES;
use crate::repo::Workspace;
use crate::roster::Roster;

/// What usually starts a handoff of each type (the writer can change it).
pub(crate) fn default_trigger_event(handoff_type: &str) -> &'static str {
    match handoff_type {
        "sdr-ae" => "qualified",
        "ae-se" => "demo-requested",
        "cs-sales" => "expansion-signal",
        _ => "closed-won",
    }
}

/// Runs `handoff new` (without `--prefill`: `dispatch` sends that to
/// [`crate::prefill::command::new_prefilled`]).
pub fn run(
    args: NewArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let handoff_type = args.handoff_type.as_str();
    let name = args.name.clone().unwrap_or_default();
    if !HANDOFF_TYPES.contains(&handoff_type) {
        return Err(Error::Usage(format!(
            "no handoff type {handoff_type:?}; use one of {}",
            HANDOFF_TYPES.join(", ")
        )));
    }
    if !super::is_slug(&name) {
        let suggestion = slugify(&name);
        return Err(Error::Usage(format!(
            "NAME {:?} is not a slug: use lower-case letters, digits and dashes, starting with a letter or digit (it becomes handoffs/{handoff_type}/NAME.yaml){}",
            name,
            if super::is_slug(&suggestion) {
                format!(", e.g. `{suggestion}`")
            } else {
                String::new()
            }
        )));
    }
    let trigger_date = args.date.unwrap_or(today);
    let workspace = Workspace::open(cwd)?;
    let linter = Linter::new(&workspace, None, today)?;
    let playbook = linter.current_playbook(handoff_type)?;
    let roster = linter.roster();
    let git_user = match &args.from {
        Some(_) => None,
        None => crate::history::branch::user_name(&workspace.root),
    };
    let from_name = match &args.from {
        Some(name) => Some(name.clone()),
        // The writer is usually the person committing; use them only when the roster knows them.
        None => git_user
            .clone()
            .filter(|name| roster.is_some_and(|r| r.find(name).is_some())),
    };
    let from_note = git_user_note(
        git_user.as_deref(),
        roster,
        &workspace.config.roster,
        playbook.from_role.as_deref(),
    );
    let from = person(
        "--from",
        from_name.as_deref(),
        roster,
        &workspace.config.roster,
        playbook.from_role.as_deref(),
    )?;
    let to = person(
        "--to",
        args.to.as_deref(),
        roster,
        &workspace.config.roster,
        playbook.to_role.as_deref(),
    )?;

    let folder = workspace.handoffs_dir().join(handoff_type);
    let path = folder.join(format!("{}.yaml", name));
    for existing in [path.clone(), folder.join(format!("{}.yml", name))] {
        if std::fs::symlink_metadata(&existing).is_ok() {
            return Err(Error::Usage(format!(
                "{}: already exists; edit it, or choose another NAME",
                workspace.display_path(&existing)
            )));
        }
    }
    let branch_name = format!("handoff/{}", name);
    let branch = if args.branch {
        Some(HandoffBranch::prepare(&workspace.root, &branch_name)?)
    } else {
        None
    };

    let display = workspace.display_path(&path);
    let schema_file = format!("{handoff_type}.json");
    let mut schemas = BTreeMap::new();
    for name in ["common.json", schema_file.as_str()] {
        let text = workspace.schema_text(name)?;
        let value: Value = serde_json::from_str(&text).map_err(|err| Error::Asset {
            path: format!("schema/{name}"),
            message: format!("not valid JSON: {err}"),
        })?;
        schemas.insert(name.to_string(), value);
    }
    let depth = Path::new(&workspace.config.handoffs_dir)
        .components()
        .count()
        + 1;
    let schema_link = format!("{}schema/{schema_file}", "../".repeat(depth));
    let title = format!("{} — {}", title_from_slug(&name), playbook.title);
    let text = Skeleton {
        playbook,
        schemas: &schemas,
        schema_link,
        display_path: display.clone(),
        title: title.clone(),
        from,
        to,
        trigger_event: default_trigger_event(handoff_type).to_string(),
        trigger_date,
        prefilled: Default::default(),
    }
    .render();
    let report = linter.evaluate(&display, text.as_bytes());
    super::write_atomic(&path, &text, false)?;
    let committed = match branch {
        Some(branch) => Some(
            branch
                .commit_file(&path, &format!("Start handoff {} ({handoff_type})", name))
                .map_err(|err| {
                    Error::Git(format!(
                        "{display} was written, but not committed on {branch_name}: {err}"
                    ))
                })?,
        ),
        None => None,
    };

    let shown = shown_path(&path, cwd, &display);
    let mut text = format!(
        "Created {display} ({}, playbook {}): score {}/100, threshold {}.\n",
        playbook.title,
        playbook.id(),
        report.score,
        report.threshold
    );
    if let Some(note) = &from_note {
        text.push_str(note);
        text.push('\n');
    }
    if let Some(committed) = &committed {
        text.push_str(&format!(
            "On branch {}: commit {} \"Start handoff {} ({handoff_type})\".\n",
            committed.branch, committed.commit, name
        ));
    }
    let unanswered: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == crate::playbook::rules::SCHEMA.code)
        .map(|d| format!("line {}: {}", d.line, d.message))
        .collect();
    if !unanswered.is_empty() {
        text.push_str("Fill these in before anything else (the schema requires them):\n");
        for line in &unanswered {
            text.push_str(&format!("  {line}\n"));
        }
    }
    if !workspace.root.join("schema").join(&schema_file).is_file() {
        text.push_str(&format!(
            "Editor help: the file's first line points editors at schema/{schema_file}, which this repository does not have yet. Run `handoff init` in a new repository, or here: mkdir -p schema && handoff schema common > schema/common.json && handoff schema {handoff_type} > schema/{schema_file}\n"
        ));
    }
    text.push_str("\nNext:\n");
    text.push_str(
        "  1. Answer the questions in the comments (VS Code with the YAML extension completes keys and checks values as you type).\n",
    );
    text.push_str(&format!("  2. Check it:  handoff lint {shown}\n"));
    if committed.is_some() {
        text.push_str(&format!(
            "  3. Commit your answers, push and open the pull request:\n       git commit -am \"Handoff {name}\"\n       git push -u origin {branch_name}\n",
            name = name
        ));
    } else {
        text.push_str(&format!(
            "  3. Commit it on its own branch, push and open the pull request:\n       git switch -c {branch_name}\n       git add {shown} && git commit -m \"Handoff {name}\"\n       git push -u origin {branch_name}\n",
            name = name
        ));
    }
    text.push_str(&format!(
        "       handoff render {shown} --format md | gh pr create --title {} --body-file -\n",
        shell_quote(&title)
    ));
    out.write_all(text.as_bytes())
        .map_err(|err| Error::io("<stdout>", "cannot write output", err))?;
    Ok(ExitStatus::Success)
}

/// Without `--from`, when git's `user.name` is not in the roster: says so, with the closest
/// names there (issue 12 §6), since `from.name` is then left empty.
pub(crate) fn git_user_note(
    git_user: Option<&str>,
    roster: Option<&Roster>,
    roster_path: &str,
    from_role: Option<&str>,
) -> Option<String> {
    let (name, roster) = (git_user?, roster?);
    if name.trim().is_empty() || roster.find(name).is_some() {
        return None;
    }
    let message = not_in_roster("git user.name", name, roster, roster_path, from_role);
    Some(format!(
        "Note: {}; from.name is left empty. Pass --from NAME, or set git's user.name to your roster name.",
        message
            .trim_end_matches(&format!(
                ". Someone new? Add them to {roster_path} by pull request first."
            ))
    ))
}

/// `from`/`to` as known now: checked against the roster when there is one (its spelling, role
/// and email win); the playbook's role otherwise.
pub(crate) fn person(
    flag: &str,
    name: Option<&str>,
    roster: Option<&Roster>,
    roster_path: &str,
    playbook_role: Option<&str>,
) -> Result<PersonFields> {
    let Some(name) = name else {
        return Ok(PersonFields {
            name: None,
            role: playbook_role.map(str::to_string),
            email: None,
        });
    };
    if name.trim().is_empty() {
        return Err(Error::Usage(format!(
            "{flag} is empty; give a name from {roster_path}"
        )));
    }
    let Some(roster) = roster else {
        return Ok(PersonFields {
            name: Some(name.trim().to_string()),
            role: playbook_role.map(str::to_string),
            email: None,
        });
    };
    match roster.find(name) {
        Some(person) => Ok(PersonFields {
            name: Some(person.name.clone()),
            role: person
                .role
                .clone()
                .or_else(|| playbook_role.map(str::to_string)),
            email: person.email.clone(),
        }),
        None => Err(Error::Usage(not_in_roster(
            flag,
            name,
            roster,
            roster_path,
            playbook_role,
        ))),
    }
}

pub(crate) fn not_in_roster(
    flag: &str,
    name: &str,
    roster: &Roster,
    roster_path: &str,
    role: Option<&str>,
) -> String {
    let wanted = name.trim().to_lowercase();
    let mut scored: Vec<(usize, &str)> = roster
        .people
        .iter()
        .map(|p| {
            let candidate = p.name.to_lowercase();
            // A first or last name alone ("sam") is as good as a near miss ("sam le").
            let partial = candidate.split_whitespace().any(|part| part == wanted);
            let distance = if partial {
                1
            } else {
                crate::roster::edit_distance(&wanted, &candidate)
            };
            (distance, p.name.as_str())
        })
        .filter(|(distance, _)| *distance <= (wanted.chars().count() / 3).max(2))
        .collect();
    scored.sort();
    let closest: Vec<&str> = scored.iter().take(3).map(|(_, name)| *name).collect();
    let mut message = format!("{flag} {name:?}: not in {roster_path}");
    if !closest.is_empty() {
        message.push_str(&format!("; did you mean {}?", closest.join(" or ")));
    }
    if let Some(role) = role {
        let with_role: Vec<&str> = roster
            .people
            .iter()
            .filter(|p| {
                p.role
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case(role))
            })
            .map(|p| p.name.as_str())
            .collect();
        if !with_role.is_empty() {
            message.push_str(&format!(" (the {role}s there: {})", with_role.join(", ")));
        }
    }
    message.push_str(&format!(
        ". Someone new? Add them to {roster_path} by pull request first."
    ));
    message
}

/// `acme-corp` → `Acme Corp`.
pub(crate) fn title_from_slug(slug: &str) -> String {
    slug.split('-')
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// `Acme Corp!` → `acme-corp`: a suggestion for a NAME that is not a slug.
pub(crate) fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The path to type in commands run from `cwd`.
pub(crate) fn shown_path(path: &Path, cwd: &Path, display: &str) -> String {
    match path.strip_prefix(cwd) {
        Ok(relative) => relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => PathBuf::from(display).display().to_string(),
    }
}

/// `text` quoted for a POSIX shell.
pub(crate) fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::Person;

    fn roster() -> Roster {
        let person = |name: &str, role: &str| Person {
            name: name.into(),
            email: None,
            role: Some(role.into()),
            team: None,
            github: None,
            hubspot_owner_id: None,
            crm_owner_id: None,
        };
        Roster {
            people: vec![
                person("Sam Lee", "CSM"),
                person("Aisha Okafor", "CSM"),
                person("Jane Doe", "AE"),
            ],
        }
    }

    #[test]
    fn unknown_names_suggest_the_closest_and_the_right_role() {
        let message = not_in_roster("--to", "Sam Le", &roster(), "roster.yaml", Some("CSM"));
        assert!(message.contains("did you mean Sam Lee?"), "{message}");
        assert!(
            message.contains("(the CSMs there: Sam Lee, Aisha Okafor)"),
            "{message}"
        );
        let message = not_in_roster("--to", "aisha", &roster(), "roster.yaml", None);
        assert!(message.contains("did you mean Aisha Okafor?"), "{message}");
        let message = not_in_roster("--to", "Zed Q", &roster(), "roster.yaml", None);
        assert!(!message.contains("did you mean"), "{message}");
    }

    #[test]
    fn a_git_user_not_in_the_roster_is_named_with_the_closest() {
        let roster = roster();
        let note =
            git_user_note(Some("Jane Do"), Some(&roster), "roster.yaml", Some("AE")).unwrap();
        assert!(
            note.contains("git user.name \"Jane Do\": not in roster.yaml"),
            "{note}"
        );
        assert!(note.contains("did you mean Jane Doe?"), "{note}");
        assert!(note.contains("from.name is left empty"), "{note}");
        assert_eq!(
            git_user_note(Some("jane doe"), Some(&roster), "roster.yaml", None),
            None
        );
        assert_eq!(
            git_user_note(None, Some(&roster), "roster.yaml", None),
            None
        );
        assert_eq!(git_user_note(Some("X"), None, "roster.yaml", None), None);
    }

    #[test]
    fn helpers() {
        assert_eq!(title_from_slug("acme-corp"), "Acme Corp");
        assert_eq!(title_from_slug("3m"), "3m");
        assert_eq!(slugify("Bad Name"), "bad-name");
        assert_eq!(slugify("../x"), "x");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
