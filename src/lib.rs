//! `handoffs`: sales and customer-success handoffs as YAML files in git.
//!
//! Work flows one way: [`repo`] finds the files and layers the repository's assets over the
//! embedded defaults, [`document`] parses each file once, [`schema`] validates it, [`playbook`]
//! scores it and runs the lint rules, [`lint`] makes the verdict, and [`report`] writes it in
//! the requested format. The library never prints; [`run`] writes to the writer it is given and
//! returns an [`ExitStatus`], and `main` maps that (or an [`Error`]) to the exit code.
#![warn(missing_docs)]

pub mod answer;
pub mod atomic;
pub mod baseline;
pub mod change;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod findings;
pub mod history;
pub mod lint;
pub mod playbook;
pub mod prefill;
pub mod render;
pub mod repo;
pub mod report;
pub mod roster;
pub mod scaffold;
pub mod schema;

pub use error::{Error, ExitStatus, Result};

use std::io::Write;

/// Runs a parsed command line, writing its output to `out`. Long walks over git history report
/// how far they are to `progress` (stage, done, total); the library draws nothing itself, so
/// `main` decides whether and where to show it.
pub fn run(cli: cli::Cli, out: &mut dyn Write, progress: history::Progress) -> Result<ExitStatus> {
    let cwd = match &cli.directory {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Error::NotFound { path: dir.clone() });
            }
            std::path::absolute(dir).map_err(|err| Error::io(dir.clone(), "cannot open", err))?
        }
        None => std::env::current_dir()
            .map_err(|err| Error::io(".", "cannot open the current directory", err))?,
    };
    // "Today" is read once, here, and passed down: nothing below asks the clock.
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    commands::dispatch(cli.command, &cwd, today, progress, out)
}
