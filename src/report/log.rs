//! `handoff log` output: a table for the terminal, the SPEC's JSON, or Markdown (for an issue
//! or a pull request, with links to the forge when the `origin` remote is on GitHub or GitLab).
//! Every value from the repository (names, subjects, paths, reasons) is shown with its control
//! characters escaped.

use std::io::Write;

use serde_json::{json, Value};

use crate::cli::LogFormat;
use crate::history::log::{AuditTrail, Event, LogEntry};
use crate::history::metrics::utc_date;
use crate::report::escape::control;
use crate::report::sample::{code, text};

/// Writes `trail` in `format`.
pub fn write(format: LogFormat, trail: &AuditTrail, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        LogFormat::Table => write_table(trail, out),
        LogFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &trail_value(trail))?;
            writeln!(out)
        }
        LogFormat::Md => write_markdown(trail, out),
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(7)]
}

/// What changed in one commit besides its score: renames, sections, events.
fn changes(trail_entries: &[LogEntry], index: usize) -> Vec<String> {
    let entry = &trail_entries[index];
    let mut lines = Vec::new();
    if index == 0 {
        lines.push("created".to_string());
    } else if trail_entries[index - 1].path != entry.path {
        lines.push(format!(
            "renamed from {}",
            control(&trail_entries[index - 1].path)
        ));
    }
    lines.extend(entry.sections_changed.iter().map(|c| c.describe()));
    lines.extend(
        entry
            .events
            .iter()
            .map(|e| control(&e.describe()).into_owned()),
    );
    if let Some(merge) = &entry.merge {
        lines.push(format!("on the branch merged in {}", short(merge)));
    }
    if let Some(note) = &entry.note {
        lines.push(format!("not scored: {}", control(note)));
    }
    lines
}

fn write_table(trail: &AuditTrail, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} commit{} on {} ({}), oldest first",
        control(&trail.path),
        trail.commits.len(),
        if trail.commits.len() == 1 { "" } else { "s" },
        control(&trail.git_ref),
        short(&trail.head)
    )?;
    let author = |e: &LogEntry| control(e.author.as_deref().unwrap_or("(unknown)")).into_owned();
    let width = trail
        .commits
        .iter()
        .map(|e| author(e).chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 24);
    writeln!(
        out,
        "\n{:<10}  {:<7}  {:<width$}  {:>6}  {:<9}  SUBJECT",
        "DATE", "COMMIT", "AUTHOR", "SCORE", "STATUS"
    )?;
    for (index, entry) in trail.commits.iter().enumerate() {
        let name: String = author(entry).chars().take(width).collect();
        let score = format!("{}/{}", entry.score, entry.threshold);
        let subject = if entry.merge.is_some() {
            format!("  {}", control(&entry.subject))
        } else {
            control(&entry.subject).into_owned()
        };
        writeln!(
            out,
            "{:<10}  {:<7}  {:<width$}  {:>6}  {:<9}  {subject}",
            utc_date(entry.date).to_string(),
            short(&entry.commit),
            name,
            score,
            control(entry.status.as_deref().unwrap_or("-")),
        )?;
        let indent = 10 + 2 + 7 + 2 + width + 2 + 6 + 2 + 9 + 2;
        for line in changes(&trail.commits, index) {
            writeln!(out, "{:indent$}{line}", "")?;
        }
    }
    Ok(())
}

fn event_value(event: &Event) -> Value {
    match event {
        Event::Accepted { by } => json!({"kind": "accepted", "by": by}),
        Event::Rejected { by, reason } => json!({"kind": "rejected", "by": by, "reason": reason}),
        Event::Reassigned { from, to } => json!({"kind": "reassigned", "from": from, "to": to}),
    }
}

/// The trail as the SPEC's JSON: `{"path", "commits": [{"commit", "date", "author", "subject",
/// "path", "score", "status", "sections_changed"}]}`, oldest first, with more keys beside them.
pub fn trail_value(trail: &AuditTrail) -> Value {
    let commits: Vec<Value> = trail
        .commits
        .iter()
        .map(|entry| {
            let forge = trail.forge.as_ref();
            json!({
                "commit": entry.commit,
                "date": entry.date.to_string(),
                "author": entry.author,
                "subject": entry.subject,
                "path": entry.path,
                "score": entry.score,
                "threshold": entry.threshold,
                "status": entry.status,
                "sections_changed": entry.sections_changed.iter().map(|c| json!({
                    "section": c.section,
                    "from": c.from.map(|s| s.as_str()),
                    "to": c.to.map(|s| s.as_str()),
                })).collect::<Vec<_>>(),
                "events": entry.events.iter().map(event_value).collect::<Vec<_>>(),
                "merge": entry.merge,
                "pull_request": entry.pull_request,
                "commit_url": forge.map(|f| f.commit(&entry.commit)),
                "pull_request_url": forge.zip(entry.pull_request).map(|(f, n)| f.pull_request(n)),
                "note": entry.note,
            })
        })
        .collect();
    json!({
        "path": trail.path,
        "ref": trail.git_ref,
        "head": trail.head,
        "url": trail.forge.as_ref().map(|f| f.file(&trail.head, &in_repo(trail, &trail.path))),
        "commits": commits,
    })
}

/// A workspace path as a path in the repository (for links).
fn in_repo(trail: &AuditTrail, path: &str) -> String {
    if trail.root_in_repo.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", trail.root_in_repo)
    }
}

fn write_markdown(trail: &AuditTrail, out: &mut dyn Write) -> std::io::Result<()> {
    let forge = trail.forge.as_ref();
    writeln!(out, "# Audit trail — `{}`\n", code(&trail.path))?;
    let file = match forge {
        Some(f) => format!(
            " ([the file]({}))",
            f.file(&trail.head, &in_repo(trail, &trail.path))
        ),
        None => String::new(),
    };
    writeln!(
        out,
        "{} commit{} on `{}` (`{}`) changed it, oldest first{file}.\n",
        trail.commits.len(),
        if trail.commits.len() == 1 { "" } else { "s" },
        code(&trail.git_ref),
        short(&trail.head)
    )?;
    writeln!(
        out,
        "| Date | Commit | Author | Subject | Score | Status | What changed |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|")?;
    for (index, entry) in trail.commits.iter().enumerate() {
        let commit = match forge {
            Some(f) => format!("[`{}`]({})", short(&entry.commit), f.commit(&entry.commit)),
            None => format!("`{}`", short(&entry.commit)),
        };
        let request = match (forge, entry.pull_request) {
            (Some(f), Some(n)) => format!(" ([#{n}]({}))", f.pull_request(n)),
            _ => String::new(),
        };
        let what: Vec<String> = changes(&trail.commits, index)
            .iter()
            .map(|line| text(line))
            .collect();
        writeln!(
            out,
            "| {} | {commit} | {} | {}{request} | {} / {} | {} | {} |",
            utc_date(entry.date),
            text(entry.author.as_deref().unwrap_or("(unknown)")),
            text(&entry.subject),
            entry.score,
            entry.threshold,
            text(entry.status.as_deref().unwrap_or("-")),
            what.join("<br>")
        )?;
    }
    Ok(())
}
