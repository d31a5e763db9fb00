//! The commands `handoff metrics`, `handoff sample`, `handoff review` and `handoff log`: flags become
//! validated options before any work starts, the history is walked once, and the result goes
//! to the emitter of the requested format. The walk reports how far it is to the caller's
//! progress callback (`main` draws it on standard error when that is a terminal).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{LogArgs, MetricsArgs, ReviewArgs, SampleArgs, Verdict as CliVerdict};
use crate::error::{Error, ExitStatus, Result};
use crate::lint::Linter;
use crate::repo::Workspace;

use super::git::{GitRepository, Head};
use super::metrics::{self, HandoffRecord, MetricsReport};
use super::review::{self, Review, Reviews, Verdict};
use super::sample::{self, Sample};
use super::week::IsoWeek;
use super::{read_handoffs, HeadCommit, Progress};

/// `handoff log PATH`: the handoff's audit trail (built by [`super::log`]) in the requested
/// format.
pub fn log_command(args: LogArgs, cwd: &Path, out: &mut dyn Write) -> Result<ExitStatus> {
    let workspace = Workspace::open(cwd)?;
    let path = handoff_path(&workspace, &args.path)?;
    let trail = super::log::audit_trail(&workspace, path, &args.git_ref)?;
    let mut buffered = std::io::BufWriter::new(out);
    crate::report::log::write(args.format, &trail, &mut buffered)
        .and_then(|()| buffered.flush())
        .map_err(|err| Error::io("<stdout>", "cannot write output", err))?;
    Ok(ExitStatus::Success)
}

/// `handoff metrics`.
pub fn metrics_command(
    args: MetricsArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    progress: Progress,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let (since, until) = (args.since, args.until);
    if let (Some(since), Some(until)) = (since, until) {
        if since > until {
            return Err(Error::Usage(format!(
                "--since {since} is after --until {until}: give the earlier date to --since"
            )));
        }
    }
    let output = args
        .output
        .as_ref()
        .filter(|path| !crate::atomic::is_stdout(path))
        .map(|path| cwd.join(path));
    if let Some(path) = &output {
        crate::atomic::refuse_special_target(path, path)?;
        refuse_existing(path, args.force)?;
    }
    let workspace = Workspace::open(cwd)?;
    let (repository, head) = open_history(&workspace, &args.git_ref)?;
    let linter = Linter::new(&workspace, args.threshold, as_of_date(head.as_ref(), today))?;
    let records = read_handoffs(&workspace, &linter, &repository, head.as_ref(), progress)?;
    let reviews = Reviews::load(&workspace.root)?;
    let handoffs: Vec<&HandoffRecord> = records
        .iter()
        .filter(|record| metrics::merged_between(record, since, until))
        .collect();
    let summary = metrics::summarize(&handoffs, &reviews.reviewed_paths(), sample::DEFAULT_SIZE);
    let report = MetricsReport {
        git_ref: args.git_ref,
        head: head.as_ref().map(HeadCommit::from),
        threshold: linter.default_threshold(),
        since,
        until,
        handoffs,
        summary,
        links: repository.links(head.as_ref()),
    };
    let format = args.format;
    let emit = |w: &mut dyn Write| crate::report::metrics::write(format, &report, w);
    match output {
        Some(path) => {
            write_file_atomically(&path, args.force, emit)?;
            // Say what was written, as `render -o` does (the file holds the report itself).
            let shown = args.output.as_deref().unwrap_or(&path);
            let format_name = clap::ValueEnum::to_possible_value(&format)
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            writeln!(
                out,
                "wrote {} ({format_name}: {} handoff{} from {})",
                shown.display(),
                report.handoffs.len(),
                if report.handoffs.len() == 1 { "" } else { "s" },
                report.git_ref
            )
            .map_err(Error::stdout)?;
        }
        None => {
            // Thousands of lines: one write per line to a terminal or pipe would cost more than
            // rendering them.
            let mut buffered = std::io::BufWriter::new(out);
            emit(&mut buffered)
                .and_then(|()| buffered.flush())
                .map_err(Error::stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// `handoff sample`.
pub fn sample_command(
    args: SampleArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    progress: Progress,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    if args.size == 0 {
        return Err(Error::Usage(
            "--size 0: a sample holds at least one handoff; give --size 1 or more".into(),
        ));
    }
    let week = args
        .week
        .as_deref()
        .map(|text| IsoWeek::parse(text).map_err(|m| Error::Usage(format!("--week {m}"))))
        .transpose()?;
    let workspace = Workspace::open(cwd)?;
    let (repository, head) = open_history(&workspace, &args.git_ref)?;
    let as_of = as_of_date(head.as_ref(), today);
    let week = week.unwrap_or_else(|| IsoWeek::last_full_before(as_of));
    let linter = Linter::new(&workspace, None, as_of)?;
    let records = read_handoffs(&workspace, &linter, &repository, head.as_ref(), progress)?;
    let reviews = Reviews::load(&workspace.root)?;
    let (population, handoffs) = sample::choose(week, &records, &reviews, args.size);
    let nearest = match population {
        0 => sample::nearest_weeks(week, &records),
        _ => (None, None),
    };
    let sample = Sample {
        nearest,
        git_ref: args.git_ref,
        commit: head.as_ref().map(|h| h.commit.id.hex()),
        week,
        population,
        handoffs,
        links: repository.links(head.as_ref()),
    };
    crate::report::sample::write(args.format, &sample, out).map_err(Error::stdout)?;
    Ok(ExitStatus::Success)
}

/// `handoff review`.
pub fn review_command(
    args: ReviewArgs,
    cwd: &Path,
    today: jiff::civil::Date,
    progress: Progress,
    out: &mut dyn Write,
) -> Result<ExitStatus> {
    let reviewer = args.reviewer.trim().to_string();
    if reviewer.is_empty() {
        return Err(Error::Usage(
            "--reviewer is empty: give the reviewer's name".into(),
        ));
    }
    let week = match args.week.as_deref() {
        Some(text) => IsoWeek::parse(text).map_err(|m| Error::Usage(format!("--week {m}")))?,
        None => IsoWeek::last_full_before(today),
    };
    let workspace = Workspace::open(cwd)?;
    let path = handoff_path(&workspace, &args.path)?;
    let verdict = match args.verdict {
        CliVerdict::Ok => Verdict::Ok,
        CliVerdict::NeedsWork => Verdict::NeedsWork,
    };
    let now = jiff::Timestamp::now();
    let reviewed_at = jiff::Timestamp::from_second(now.as_second()).unwrap_or(now);
    let review = Review {
        path: path.clone(),
        reviewer: reviewer.clone(),
        verdict,
        note: args
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        reviewed_at: reviewed_at.to_string(),
        week: week.to_string(),
    };
    let warning = outside_sample(&workspace, &path, week, today, progress);
    let file = review::append(&workspace.root, week, review)?;
    writeln!(
        out,
        "recorded: {path} — {} by {reviewer} ({week}) in {}",
        verdict.as_str(),
        workspace.display_path(&file)
    )
    .map_err(Error::stdout)?;
    if let Some(warning) = warning {
        writeln!(out, "warning: {warning}").map_err(Error::stdout)?;
    }
    Ok(ExitStatus::Success)
}

/// Why reviewing `path` for `week` is probably a mistake: it did not merge that week, or it is
/// not in that week's default-size sample. `None` when it is in the sample, or when the history
/// cannot be read (the review is still recorded: reviewing needs no history).
fn outside_sample(
    workspace: &Workspace,
    path: &str,
    week: IsoWeek,
    today: jiff::civil::Date,
    progress: Progress,
) -> Option<String> {
    let (repository, head) = open_history(workspace, "HEAD").ok()?;
    let linter = Linter::new(workspace, None, as_of_date(head.as_ref(), today)).ok()?;
    let records = read_handoffs(workspace, &linter, &repository, head.as_ref(), progress).ok()?;
    let reviews = Reviews::load(&workspace.root).ok()?;
    let record = records.iter().find(|r| r.path == path);
    let (_, sampled) = sample::choose(week, &records, &reviews, sample::DEFAULT_SIZE);
    if sampled.iter().any(|s| s.handoff.path == path) {
        return None;
    }
    Some(match record {
        Some(record) if record.merged_week() != week => format!(
            "{path} merged in {}, not in {week}, so it is not in {week}'s sample; check --week (`handoff sample --week {week}` lists the sample)",
            record.merged_week()
        ),
        Some(_) => format!(
            "{path} merged in {week} but is not among the {} handoffs sampled for review (`handoff sample --week {week}` lists them)",
            sample::DEFAULT_SIZE
        ),
        None => format!(
            "{path} has not merged on HEAD, so it is in no week's sample (`handoff sample --week {week}` lists {week}'s)"
        ),
    })
}

/// The path of a handoff file given on the command line, relative to the root with `/`:
/// it must exist, be a `.yaml`/`.yml` file, and lie inside the handoffs folder.
pub(crate) fn handoff_path(workspace: &Workspace, given: &Path) -> Result<String> {
    let path = workspace.cwd.join(given);
    if !path.is_file() {
        return Err(Error::NotFound { path });
    }
    let canonical =
        std::fs::canonicalize(&path).map_err(|err| Error::io(path.clone(), "cannot read", err))?;
    let handoffs_dir = workspace.handoffs_dir();
    let inside = std::fs::canonicalize(&handoffs_dir)
        .map(|dir| canonical.starts_with(dir))
        .unwrap_or(false);
    let is_yaml = matches!(
        canonical.extension().and_then(|e| e.to_str()),
        Some("yaml") | Some("yml")
    );
    if !inside || !is_yaml {
        return Err(Error::Usage(format!(
            "{}: not a handoff; give a .yaml file inside {}/",
            given.display(),
            workspace.config.handoffs_dir
        )));
    }
    let root = std::fs::canonicalize(&workspace.root).unwrap_or_else(|_| workspace.root.clone());
    let relative = canonical.strip_prefix(&root).unwrap_or(&canonical);
    Ok(crate::repo::slash_path(relative))
}

fn open_history(workspace: &Workspace, git_ref: &str) -> Result<(GitRepository, Option<Head>)> {
    let repository = GitRepository::open(&workspace.root)?;
    let head = repository.resolve(git_ref)?;
    Ok((repository, head))
}

/// The date the metrics are "as of": the head commit's (UTC), or today without commits.
fn as_of_date(head: Option<&Head>, today: jiff::civil::Date) -> jiff::civil::Date {
    head.map_or(today, |h| metrics::utc_date(h.commit.time))
}

/// Refuses to overwrite `path` without `--force` (checked before the walk, and again when
/// writing, so that a file appearing meanwhile is not clobbered either).
fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if !force && path.exists() {
        return Err(Error::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Writes through a temporary file in the same folder, renamed into place when complete.
fn write_file_atomically(
    path: &Path,
    force: bool,
    emit: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::NotFound { path: dir });
    }
    crate::atomic::refuse_special_target(path, path)?;
    let mut temp = crate::atomic::temporary_in(&dir, ".handoff-")
        .map_err(|err| Error::io(dir.clone(), "cannot create a temporary file", err))?;
    {
        let mut writer = std::io::BufWriter::new(temp.as_file_mut());
        emit(&mut writer)
            .and_then(|()| writer.flush())
            .map_err(|err| Error::io(path.to_path_buf(), "cannot write", err))?;
    }
    temp.as_file()
        .sync_all()
        .map_err(|err| Error::io(path.to_path_buf(), "cannot write", err))?;
    let persisted = if force {
        temp.persist(path).map(drop)
    } else {
        temp.persist_noclobber(path).map(drop)
    };
    persisted.map_err(|err| {
        if err.error.kind() == std::io::ErrorKind::AlreadyExists {
            Error::Exists {
                path: path.to_path_buf(),
            }
        } else {
            Error::io(path.to_path_buf(), "cannot write", err.error)
        }
    })
}
