//! One function per command: turns validated arguments into work and output. The heavy lifting
//! lives in the modules each command names.

use std::io::Write;
use std::path::Path;

use crate::cli::{Command, ExplainArgs, LintArgs, SchemaArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::lint::{self, Linter};
use crate::playbook::rules::{self, RULES};
use crate::playbook::HANDOFF_TYPES;
use crate::repo::Workspace;

/// Runs `command` from `cwd`.
pub fn dispatch(command: Command, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    match command {
        Command::Lint(args) => lint_command(args, cwd, out),
        Command::Explain(args) => explain(args, out),
        Command::Schema(args) => schema(args, cwd, out),
        Command::Metrics(args) => crate::history::command::metrics_command(args, cwd, out),
        Command::Sample(args) => crate::history::command::sample_command(args, cwd, out),
        Command::Review(args) => crate::history::command::review_command(args, cwd, out),
        // PENDING: each arm is replaced by the issue that builds the command.
        Command::Init(_) | Command::New(_) | Command::Render(_) | Command::Completions(_) => {
            Err(Error::Usage("this command is not available yet".into()))
        }
    }
}

fn write_err(err: std::io::Error) -> Error {
    Error::io("<stdout>", "cannot write output", err)
}

/// Parses `--now`/`--week`-style dates, naming the flag in the error.
pub fn parse_date(flag: &str, text: &str) -> Result<jiff::civil::Date> {
    text.parse::<jiff::civil::Date>().map_err(|_| {
        Error::Usage(format!(
            "{flag} {text:?}: not a date; write it as YYYY-MM-DD, e.g. 2026-11-30"
        ))
    })
}

/// Today's date in UTC.
pub fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
}

fn lint_command(args: LintArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    let today = match &args.now {
        Some(text) => parse_date("--now", text)?,
        None => today(),
    };
    let workspace = Workspace::open(cwd)?;
    let linter = Linter::new(&workspace, args.threshold, today)?;
    if args.changed_since.is_some() {
        // PENDING(issue 3): --changed-since.
        return Err(Error::Usage("--changed-since is not available yet".into()));
    }
    let report = lint::lint_paths(&workspace, &linter, &args.paths)?;
    crate::report::write_lint(args.format, &report, out).map_err(write_err)?;
    Ok(if report.passed {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn explain(args: ExplainArgs, out: &mut dyn Write) -> Result<ExitStatus> {
    let text = match args.rule {
        None => {
            let mut text = String::from("code   name                    severity  summary\n");
            for rule in RULES {
                text.push_str(&format!(
                    "{:<6} {:<23} {:<9} {}\n",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.summary
                ));
            }
            text.push_str("\n`handoff explain CODE` prints a rule's doc.\n");
            text
        }
        Some(id) => {
            let rule = rules::find(&id).ok_or_else(|| {
                Error::Usage(format!("no rule {id:?}; `handoff explain` lists the rules"))
            })?;
            format!(
                "# {} {}: {}\n\nSeverity: {}{}\nFix: {}\n\n{}",
                rule.code,
                rule.name,
                rule.summary,
                rule.severity.as_str(),
                if rule.configurable {
                    " (configurable in handoff.toml [rules])"
                } else {
                    " (always on)"
                },
                rule.fix,
                rule.doc
            )
        }
    };
    out.write_all(text.as_bytes()).map_err(write_err)?;
    Ok(ExitStatus::Success)
}

fn schema(args: SchemaArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    if !HANDOFF_TYPES.contains(&args.handoff_type.as_str()) {
        return Err(Error::Usage(format!(
            "no handoff type {:?}; use one of {}",
            args.handoff_type,
            HANDOFF_TYPES.join(", ")
        )));
    }
    let workspace = Workspace::open(cwd)?;
    let text = workspace.schema_text(&format!("{}.json", args.handoff_type))?;
    out.write_all(text.as_bytes()).map_err(write_err)?;
    if !text.ends_with('\n') {
        writeln!(out).map_err(write_err)?;
    }
    Ok(ExitStatus::Success)
}
