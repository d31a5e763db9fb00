//! The command line (clap derive): commands, flags and output formats. Raw arguments become
//! validated options in each command's module before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::report::LintFormat;

/// GitOps for sales and customer-success handoffs: validate, score, render and measure
/// handoff YAML files in a git repository.
#[derive(Debug, Parser)]
#[command(name = "handoff", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Run as if started in DIR (like `git -C`).
    #[arg(short = 'C', long = "directory", global = true, value_name = "DIR")]
    pub directory: Option<PathBuf>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate, score and gate handoffs (exit 1 when one is invalid or below the threshold).
    Lint(LintArgs),
    /// Print the rule docs: `handoff explain` lists every rule, `handoff explain HO101` explains one.
    Explain(ExplainArgs),
    /// Print the JSON Schema of a handoff type.
    Schema(SchemaArgs),
}

/// `handoff lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Files or folders to lint (default: the handoffs folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Gate threshold, 0-100 (default: handoff.toml, else the playbook's, else 70).
    #[arg(long, value_name = "N")]
    pub threshold: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: LintFormat,
    /// Treat this date (YYYY-MM-DD) as today, for reproducible age-based rules.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

/// `handoff explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Rule code (`HO101`) or name (`date-order`); omit to list every rule.
    #[arg(value_name = "RULE")]
    pub rule: Option<String>,
}

/// `handoff schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Handoff type: sdr-ae, sales-cs, ae-se, sales-implementation, cs-sales.
    #[arg(value_name = "TYPE")]
    pub handoff_type: String,
}
