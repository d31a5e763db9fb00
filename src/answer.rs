//! The receiver's answer to a handoff: `handoff accept PATH [--rating 1-5] [--note TEXT]` and
//! `handoff reject PATH --reason TEXT`. Both find who is acting (`--as`, else the roster person
//! git knows by `user.email` or `user.name`), refuse unless that is the handoff's `to.name` and
//! the handoff is `submitted` (`--force` overrides both), edit the file in place at its nodes'
//! positions ([`crate::prefill::edit::set_fields`]: every other line stays byte for byte),
//! write it atomically, and with `--branch` commit it alone on a new branch for a pull request.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::cli::{AcceptArgs, RejectArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::history::branch::HandoffBranch;
use crate::prefill::edit::{self, FieldEdit};
use crate::repo::{asset, Workspace};
use crate::report::escape;
use crate::roster::Roster;

/// Which answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept,
    Reject,
}

impl Answer {
    fn verb(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Reject => "reject",
        }
    }

    fn status(self) -> &'static str {
        match self {
            Answer::Accept => "accepted",
            Answer::Reject => "rejected",
        }
    }
}

/// The flags both commands share.
struct Request<'a> {
    answer: Answer,
    path: &'a Path,
    as_name: Option<&'a str>,
    branch: bool,
    force: bool,
}

/// Runs `handoff accept`.
pub fn accept(args: AcceptArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    let note = match args.note.as_deref().map(str::trim) {
        Some("") => {
            return Err(Error::Usage(
                "--note is empty; say what was missing or useful, or leave --note out".into(),
            ))
        }
        note => note.map(str::to_string),
    };
    let request = Request {
        answer: Answer::Accept,
        path: &args.path,
        as_name: args.as_name.as_deref(),
        branch: args.branch,
        force: args.force,
    };
    run(request, cwd, out, |person| {
        let mut edits = vec![
            set("status", json!("accepted"), None),
            set("accepted_by", json!(person), Some("status")),
        ];
        if let Some(rating) = args.rating {
            edits.push(set("feedback.rating", json!(rating), Some("accepted_by")));
        }
        if let Some(note) = &note {
            edits.push(set("feedback.note", json!(note), Some("accepted_by")));
        }
        // A rejection from an earlier round is history (git keeps it), not this answer.
        edits.push(FieldEdit::Remove {
            key: "rejection".into(),
        });
        let mut said = format!("accepted by {}", escape::control(person));
        if let Some(rating) = args.rating {
            said.push_str(&format!(", rating {rating} of 5"));
        }
        (edits, said)
    })
}

/// Runs `handoff reject`.
pub fn reject(args: RejectArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    let reason = args.reason.trim().to_string();
    if reason.is_empty() {
        return Err(Error::Usage(
            "--reason is empty; say what the writer should fix before submitting it again".into(),
        ));
    }
    let request = Request {
        answer: Answer::Reject,
        path: &args.path,
        as_name: args.as_name.as_deref(),
        branch: args.branch,
        force: args.force,
    };
    run(request, cwd, out, |person| {
        let edits = vec![
            set("status", json!("rejected"), None),
            // HO104: `accepted_by` (and the feedback that came with it) belong to an accepted
            // handoff only.
            FieldEdit::Remove {
                key: "accepted_by".into(),
            },
            FieldEdit::Remove {
                key: "feedback".into(),
            },
            set("rejection.by", json!(person), Some("status")),
            set("rejection.reason", json!(reason), Some("status")),
        ];
        (edits, format!("rejected by {}", escape::control(person)))
    })
}

fn set(path: &str, value: Value, after: Option<&str>) -> FieldEdit {
    FieldEdit::Set {
        path: path.to_string(),
        value,
        after: after.map(str::to_string),
    }
}

fn text_at<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The shared work: read, check, edit, write, commit, say what happened.
fn run(
    request: Request<'_>,
    cwd: &Path,
    out: &mut dyn Write,
    edits_for: impl FnOnce(&str) -> (Vec<FieldEdit>, String),
) -> Result<ExitStatus> {
    let workspace = Workspace::open(cwd)?;
    let absolute = cwd.join(request.path);
    let shown = request.path.display().to_string();
    let relative = absolute
        .strip_prefix(&workspace.root)
        .map(Path::to_path_buf)
        .map_err(|_| {
            Error::Usage(format!(
                "{shown}: outside the repository at {}; give a handoff file inside it",
                workspace.root.display()
            ))
        })?;
    let display = workspace.display_path(&absolute);
    let max = workspace.config.max_file_size;
    let source =
        asset::read_capped(&workspace.root, &relative, max)?.ok_or_else(|| Error::NotFound {
            path: request.path.to_path_buf(),
        })?;
    let document = crate::document::parse(source.as_bytes(), max).map_err(|failure| {
        Error::Usage(format!(
            "{display}:{}:{}: {}; {} (then run `handoff {}` again)",
            failure.line,
            failure.column,
            failure.message,
            failure.help,
            request.answer.verb()
        ))
    })?;
    let value = &document.value;
    let Some(receiver) = text_at(value, "/to/name") else {
        return Err(Error::Usage(format!(
            "{display}: no `to.name`, so it names no receiver; write the receiver's name first"
        )));
    };
    let roster = workspace.load_roster()?;
    let (person, identified_by) = acting_person(
        request.as_name,
        roster.as_ref(),
        &workspace.config.roster,
        &workspace.root,
    )?;
    if !person.trim().eq_ignore_ascii_case(receiver) && !request.force {
        let line = document.positions.locate("/to/name").line;
        return Err(Error::Usage(format!(
            "{display}:{line}: `to.name` is someone else, not you ({identified_by}); only its \
             receiver answers it: ask them, pass --as with their roster name if you answer for \
             them, or --force"
        )));
    }
    let status = text_at(value, "/status").unwrap_or("");
    if status != "submitted" && !request.force {
        let why = match status {
            "draft" => "still a draft: its writer submits it (`status: submitted`) when it is ready"
                .to_string(),
            "accepted" | "rejected" if status == request.answer.status() => {
                format!("already {status}; pass --force to write the answer again")
            }
            "accepted" => "already accepted; pass --force to reject it all the same".to_string(),
            "rejected" => {
                "sent back to its writer, who submits it again (`status: submitted`) when it is fixed"
                    .to_string()
            }
            _ => "its `status` is not `submitted`".to_string(),
        };
        return Err(Error::Usage(format!("{display}: {why} (or pass --force)")));
    }
    let (edits, said) = edits_for(&person);
    let text = edit::set_fields(&document.source, &edits)
        .map_err(|reason| Error::Usage(format!("{display}: {reason}")))?;
    let stem = relative
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let branch_name = format!("handoff/{}-{stem}", request.answer.verb());
    let branch = if request.branch {
        Some(HandoffBranch::prepare(&workspace.root, &branch_name)?)
    } else {
        None
    };
    let path: PathBuf = workspace.root.join(&relative);
    crate::atomic::refuse_special_target(&path, request.path)?;
    crate::scaffold::write_atomic(&path, &text, true)?;
    let mut message = format!("{display}: {said}.\n");
    if let Some(branch) = branch {
        let verb = match request.answer {
            Answer::Accept => "Accept",
            Answer::Reject => "Reject",
        };
        let subject = format!("{verb} handoff {stem}");
        let committed = branch.commit_file(&path, &subject).map_err(|err| {
            Error::Git(format!(
                "{display} was written, but not committed on {branch_name}: {err}"
            ))
        })?;
        message.push_str(&format!(
            "On branch {}: commit {} \"{subject}\".\nNext: push it and open the pull request:\n  git push -u origin {}\n",
            committed.branch, committed.commit, committed.branch
        ));
    } else {
        message.push_str(&format!(
            "Next: commit it and open a pull request, e.g.\n  git switch -c {branch_name}\n  git commit -am \"{} handoff {stem}\"\n  git push -u origin {branch_name}\n",
            match request.answer {
                Answer::Accept => "Accept",
                Answer::Reject => "Reject",
            }
        ));
    }
    if request.answer == Answer::Reject {
        if let Some(writer) = text_at(value, "/from/name") {
            message.push_str(&format!(
                "It goes back to {}, who fixes it and sets `status: submitted` again.\n",
                escape::control(writer)
            ));
        }
    }
    out.write_all(message.as_bytes())
        .map_err(|err| Error::io("<stdout>", "cannot write output", err))?;
    Ok(ExitStatus::Success)
}

/// Who is answering: `--as NAME` (a roster name when there is a roster), else the roster
/// person whose email is git's `user.email`, else whose name is git's `user.name`; without a
/// roster, git's `user.name` itself.
fn acting_person(
    as_name: Option<&str>,
    roster: Option<&Roster>,
    roster_path: &str,
    root: &Path,
) -> Result<(String, &'static str)> {
    if let Some(name) = as_name {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Usage("--as is empty; give a roster name".into()));
        }
        return match roster {
            Some(roster) => roster
                .find(name)
                .map(|p| (p.name.trim().to_string(), "named by --as"))
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "--as {}: not in {roster_path}; use the name as it is written there",
                        escape::control(name)
                    ))
                }),
            None => Ok((name.to_string(), "named by --as")),
        };
    }
    let (git_name, git_email) = crate::history::open::user_identity(root);
    if let Some(roster) = roster {
        let by_email = git_email.as_deref().and_then(|email| {
            roster.people.iter().find(|p| {
                p.email
                    .as_deref()
                    .is_some_and(|mine| mine.trim().eq_ignore_ascii_case(email))
            })
        });
        let found = match by_email {
            Some(person) => Some((person, "the roster person with your git user.email")),
            None => git_name
                .as_deref()
                .and_then(|name| roster.find(name))
                .map(|person| (person, "the roster person named as your git user.name")),
        };
        return match found {
            Some((person, how)) => Ok((person.name.trim().to_string(), how)),
            None => Err(Error::Usage(format!(
                "cannot tell who you are: neither git's user.email nor user.name matches anyone in {roster_path}; pass --as \"Your Name\" (as written in {roster_path}), or set `git config user.email` to your roster email"
            ))),
        };
    }
    git_name.map(|name| (name, "your git user.name")).ok_or_else(|| {
        Error::Usage(
            "cannot tell who you are: git has no user.name; pass --as \"Your Name\", or run `git config user.name \"Your Name\"`"
                .into(),
        )
    })
}
