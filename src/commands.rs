//! One function per command: turns validated arguments into work and output. The heavy lifting
//! lives in the modules each command names.

use std::io::Write;
use std::path::Path;

use crate::cli::{Command, CompletionsArgs, ExplainArgs, LintArgs, SchemaArgs};
use crate::error::{Error, ExitStatus, Result};
use crate::history::Progress;
use crate::lint::{self, Linter};
use crate::playbook::rules::{self, RULES};
use crate::playbook::HANDOFF_TYPES;
use crate::repo::Workspace;
use crate::report::LintFormat;

/// Runs `command` from `cwd`; `today` is the UTC date of the run (each command's `--now`
/// overrides it), `progress` hears how far history walks are.
pub fn dispatch(
    command: Command,
    cwd: &Path,
    today: jiff::civil::Date,
    progress: Progress,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    use crate::history::command as history;
    match command {
        Command::Lint(args) => lint_command(args, cwd, today, out),
        Command::Explain(args) => explain(args, out),
        Command::Schema(args) => schema(args, cwd, out),
        Command::Init(args) => crate::scaffold::init::run(args, cwd, out),
        Command::New(args) if !args.prefill.is_empty() => {
            crate::prefill::command::new_prefilled(args, cwd, today, out)
        }
        Command::New(args) => crate::scaffold::new::run(args, cwd, today, out),
        Command::Prefill(args) => crate::prefill::command::prefill_command(args, cwd, today, out),
        Command::Completions(args) => completions(args, out),
        Command::Render(args) => crate::render::command(args, cwd, today, out),
        Command::Metrics(args) => history::metrics_command(args, cwd, today, progress, out),
        Command::Sample(args) => history::sample_command(args, cwd, today, progress, out),
        Command::Review(args) => history::review_command(args, cwd, today, progress, out),
        Command::Log(args) => history::log_command(args, cwd, out),
        Command::Accept(args) => crate::answer::accept(args, cwd, out),
        Command::Reject(args) => crate::answer::reject(args, cwd, out),
        Command::ExplainScore(args) => explain_score(args, cwd, today, out),
        Command::Route(args) => crate::route::command::route_command(args, cwd, today, out),
    }
}

/// `handoff explain-score PATH...`: exit 0 when every file was explained (even below the
/// gate: it explains, it does not gate), 1 when one could not be scored at all.
fn explain_score(
    args: crate::cli::ExplainScoreArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let today = args.now.unwrap_or(today);
    let workspace = Workspace::open(cwd)?;
    let linter = Linter::new(&workspace, args.threshold, today)?;
    let report = lint::lint_paths(&workspace, &linter, &args.paths)?;
    for file in &report.files {
        crate::report::explain::write_file(file, out).map_err(Error::stdout)?;
    }
    Ok(if report.files.iter().all(|f| f.playbook.is_some()) {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

fn lint_command(
    args: LintArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    if args.explain && args.format != LintFormat::Human {
        return Err(Error::Usage(
            "--explain goes with --format human; for other formats run `handoff explain-score PATH`".into(),
        ));
    }
    let today = args.now.unwrap_or(today);
    let workspace = Workspace::open(cwd)?;
    let mut linter = Linter::new(&workspace, args.threshold, today)?;
    let report = match &args.changed_since {
        None => lint::lint_paths(&workspace, &linter, &args.paths)?,
        Some(reference) => {
            linter.block_drafts(workspace.config.block_drafts);
            let rules = (args.threshold, today);
            lint_changed(&workspace, &linter, &args.paths, reference, rules)?
        }
    };
    if args.format == LintFormat::Markdown {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let extras = crate::report::markdown::Extras {
            links: crate::report::markdown::Links::github(
                env("GITHUB_SERVER_URL").as_deref(),
                env("GITHUB_REPOSITORY").as_deref(),
                env("GITHUB_SHA").as_deref(),
            ),
            rendered: crate::render::markdown_for_report(&workspace, &report)?,
        };
        crate::report::markdown::write(&report, &extras, out).map_err(Error::stdout)?;
    } else {
        crate::report::write_lint(args.format, &report, out).map_err(Error::stdout)?;
    }
    if args.explain {
        for file in &report.files {
            crate::report::explain::write_file(file, out).map_err(Error::stdout)?;
        }
    }
    if args.format == LintFormat::Github {
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            append_step_summary(&report, Path::new(&path))?;
        }
    }
    Ok(if report.passed {
        ExitStatus::Success
    } else {
        ExitStatus::Failure
    })
}

/// `--changed-since REF`: the handoffs changed since the merge base (within `paths`, when
/// given), each with its score there. When the rules changed too (see
/// [`crate::change::RULE_PATHS`]), every handoff is linted, by today's rules and by the merge
/// base's, and the report keeps the changed ones and those whose verdict or score moved.
fn lint_changed(
    workspace: &Workspace,
    linter: &Linter,
    paths: &[std::path::PathBuf],
    reference: &str,
    (threshold, today): (Option<u32>, jiff::civil::Date),
) -> Result<lint::LintReport> {
    let (since, changed) = crate::history::changed::changed_handoffs(workspace, reference)?;
    let rules_changed = !since.rules_changed.is_empty();
    let candidates: Vec<_> = if changed.is_empty() && !rules_changed {
        Vec::new()
    } else {
        workspace
            .discover(paths)?
            .into_iter()
            .filter(|c| rules_changed || changed.iter().any(|f| f.path == c.display))
            .collect()
    };
    let mut report = lint::lint_candidates(linter, &candidates);
    lint_committed(workspace, linter, paths, &changed, &mut report);
    let base_linter = match rules_changed {
        true => crate::baseline::base_linter(&since.base_rule_files, threshold, today, linter)?,
        false => None,
    };
    crate::baseline::attach(&mut report, base_linter.as_ref().unwrap_or(linter), changed);
    if rules_changed {
        let unchanged: Vec<_> = candidates
            .into_iter()
            .filter(|c| {
                report
                    .files
                    .iter()
                    .any(|f| f.path == c.display && f.change.is_none())
            })
            .collect();
        let base = base_linter
            .as_ref()
            .map(|base| lint::lint_candidates(base, &unchanged));
        crate::baseline::keep_moved(&mut report, base.as_ref());
    }
    report.passed = report.files.iter().all(|f| !f.blocked());
    report.changed_since = Some(since);
    Ok(report)
}

/// Lints the changed handoffs that are not in the work tree (outside a sparse checkout's cone)
/// from their content at HEAD: the gate never passes a file it did not read.
fn lint_committed(
    workspace: &Workspace,
    linter: &Linter,
    paths: &[std::path::PathBuf],
    changed: &[crate::change::ChangedFile],
    report: &mut lint::LintReport,
) {
    let wanted = |path: &str| {
        paths.is_empty()
            || paths.iter().any(|given| {
                let given = workspace.display_path(&workspace.cwd.join(given));
                let given = given.trim_end_matches('/');
                given.is_empty()
                    || given == "."
                    || path == given
                    || path.starts_with(&format!("{given}/"))
            })
    };
    let mut added = Vec::new();
    for file in changed {
        let Some(content) = &file.committed else {
            continue;
        };
        if report.files.iter().any(|f| f.path == file.path) || !wanted(&file.path) {
            continue;
        }
        added.push(match content {
            crate::change::BaseContent::Bytes(bytes) => linter.evaluate(&file.path, bytes),
            crate::change::BaseContent::TooLarge(size) => linter.oversized(&file.path, *size),
        });
    }
    if !added.is_empty() {
        report.passed = report.passed && added.iter().all(|f| !f.blocked());
        report.files.extend(added);
        report.files.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

/// Appends the Markdown summary to the file GitHub Actions names in `$GITHUB_STEP_SUMMARY`.
fn append_step_summary(report: &lint::LintReport, path: &Path) -> Result<()> {
    let action = "cannot append the step summary ($GITHUB_STEP_SUMMARY)";
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|err| Error::io(path, action, err))?;
    crate::report::github::write_summary(report, &mut file)
        .map_err(|err| Error::io(path, action, err))
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
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}

fn schema(args: SchemaArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    // The roster is read by its Rust model, not validated by a schema file: its schema is the
    // binary's own, printed for people and editors.
    if args.handoff_type == "roster" {
        out.write_all(crate::roster::SCHEMA.as_bytes())
            .map_err(Error::stdout)?;
        return Ok(ExitStatus::Success);
    }
    // `common` holds the definitions every type's schema references (`common.json#/$defs/...`):
    // a repository that copies one schema out needs it beside it.
    if !HANDOFF_TYPES.contains(&args.handoff_type.as_str()) && args.handoff_type != "common" {
        return Err(Error::Usage(format!(
            "no handoff type {:?}; use one of {}, `common` for the shared definitions, or `roster`",
            args.handoff_type,
            HANDOFF_TYPES.join(", ")
        )));
    }
    let workspace = Workspace::open(cwd)?;
    let text = workspace.schema_text(&format!("{}.json", args.handoff_type))?;
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    if !text.ends_with('\n') {
        writeln!(out).map_err(Error::stdout)?;
    }
    Ok(ExitStatus::Success)
}

fn completions(args: CompletionsArgs, out: &mut dyn Write) -> Result<ExitStatus> {
    let mut command = <crate::cli::Cli as clap::CommandFactory>::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "handoff", &mut script);
    out.write_all(&script).map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}
