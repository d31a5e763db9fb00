//! Tool failures: what went wrong running the tool, as opposed to what is wrong with a handoff
//! (those are [`crate::diagnostic::Diagnostic`]s). Every variant names the path it concerns and
//! says what to do; `main` prints it and exits 2.

use std::path::PathBuf;

/// A failure of the tool itself (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path given on the command line (or configured) does not exist.
    #[error("{}: no such file or directory; check the path (it is taken relative to the current directory)", path.display())]
    NotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the tool was doing, e.g. "cannot read".
        action: &'static str,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The repository configuration file is invalid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A schema, playbook or template (embedded or the repository's own) is broken.
    #[error("{path}: {message}")]
    Asset {
        /// The asset's path, e.g. `playbooks/sales-cs.yaml` (embedded assets say so).
        path: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The command line is well-formed but asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// A git operation failed (not a repository, unknown ref, shallow clone, ...).
    #[error("{0}")]
    Git(String),
    /// Refusing to overwrite an existing file.
    #[error("{}: already exists; pass --force to overwrite it", path.display())]
    Exists {
        /// The file that would be overwritten.
        path: PathBuf,
    },
    /// A template failed to load or render.
    #[error("{0}")]
    Template(String),
    /// A file under `reviews/` cannot be read as reviews.
    #[error("{}: {message}", path.display())]
    Reviews {
        /// The reviews file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A CRM or call-recording export (`--prefill FILE`) cannot be read: not a regular file,
    /// over the size cap, damaged, or of no shape the readers know. The message says what was
    /// expected; it never quotes the file's values.
    #[error("{}: {message}", path.display())]
    Export {
        /// The export file, as given on the command line.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// Refusing to overwrite existing files; nothing was written.
    #[error("{}: {} already exist{}: {}; nothing was written. Pass --force to overwrite, or choose another folder", dir.display(), if paths.len() == 1 { "1 file".to_string() } else { format!("{} files", paths.len()) }, if paths.len() == 1 { "s" } else { "" }, paths.join(", "))]
    WouldOverwrite {
        /// The folder being written.
        dir: PathBuf,
        /// The files that exist, relative to `dir`.
        paths: Vec<String>,
    },
    /// A handoff cannot be routed: it does not parse, has no known type, or nobody on the roster
    /// can take it (`handoff route`, `new --to auto`). Exit code 1, like a gate failure.
    #[error("{path}: {message}")]
    Unroutable {
        /// The handoff, relative to the repository root.
        path: String,
        /// What is wrong and what to do.
        message: String,
    },
    /// Some handoffs could not be rendered (unparsable, or no known type); the others were.
    /// Exit code 1, like a gate failure: the handoff itself is broken.
    #[error("{}", unrenderable_message(failures, *total))]
    Unrenderable {
        /// One line per handoff: `path:line:column: what is wrong; what to do`.
        failures: Vec<String>,
        /// How many handoffs the command was given.
        total: usize,
    },
}

fn unrenderable_message(failures: &[String], total: usize) -> String {
    let mut message = if total > 1 {
        format!(
            "could not render {} of {total} handoffs (the others were written):",
            failures.len()
        )
    } else {
        "could not render the handoff:".to_string()
    };
    for failure in failures {
        message.push_str("\n  ");
        message.push_str(failure);
    }
    message
}

impl Error {
    /// The process exit code for this failure: 2, except for handoffs too broken to render (1).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Unrenderable { .. } | Error::Unroutable { .. } => ExitStatus::Failure.code(),
            _ => ERROR_EXIT_CODE,
        }
    }

    /// A failed write of a command's output (standard output, or the writer it was given).
    pub fn stdout(source: std::io::Error) -> Self {
        Error::io("<stdout>", "cannot write output", source)
    }

    /// Wraps an I/O error with the path and the action that failed.
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        let path = path.into();
        if source.kind() == std::io::ErrorKind::NotFound {
            return Error::NotFound { path };
        }
        Error::Io {
            path,
            action,
            source,
        }
    }
}

/// The outcome of a command that ran to the end, mapped to the SPEC's exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: success, or the gate passed.
    Success,
    /// 1: the gate failed (a handoff below threshold or invalid).
    Failure,
}

impl ExitStatus {
    /// The process exit code for this status.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Failure => 1,
        }
    }
}

/// Exit code for a tool failure ([`Error`]).
pub const ERROR_EXIT_CODE: i32 = 2;

/// Shorthand used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
