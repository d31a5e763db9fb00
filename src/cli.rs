//! The command line (clap derive): commands, flags and output formats. Raw arguments become
//! validated options in each command's module before any work starts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::report::LintFormat;

/// The value parser of every date flag (`--now`, `--date`, `--since`, `--until`): a calendar
/// date written as YYYY-MM-DD. clap names the flag in its error and exits 2.
pub fn date(text: &str) -> Result<jiff::civil::Date, String> {
    text.parse::<jiff::civil::Date>()
        .map_err(|_| "not a date; write it as YYYY-MM-DD, e.g. 2026-11-30".to_string())
}

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
    /// Scaffold a handoff repository: schema/, playbooks/, handoffs/, roster, config, CI workflow.
    Init(InitArgs),
    /// Start a handoff from its playbook: `handoffs/TYPE/NAME.yaml` with every question as a comment.
    New(NewArgs),
    /// Fill the empty fields of an existing handoff from CRM and call-recording exports.
    Prefill(PrefillArgs),
    /// Validate, score and gate handoffs (exit 1 when one is invalid or below the threshold).
    Lint(LintArgs),
    /// Render handoffs to Markdown or HTML for the people who receive them.
    Render(RenderArgs),
    /// Governance metrics from git history: time-to-handoff, acceptance, gate bypasses.
    Metrics(MetricsArgs),
    /// The weekly review sample: handoffs merged in an ISO week, chosen reproducibly.
    Sample(SampleArgs),
    /// Record a manager's review of a handoff in reviews/YYYY-Www.yaml.
    Review(ReviewArgs),
    /// The receiver accepts a handoff: `status: accepted`, `accepted_by`, `feedback`.
    Accept(AcceptArgs),
    /// The receiver sends a handoff back to its writer: `status: rejected`, `rejection`.
    Reject(RejectArgs),
    /// Print the rule docs: `handoff explain` lists every rule, `handoff explain HO101` explains one.
    Explain(ExplainArgs),
    /// Print the JSON Schema of a handoff type.
    Schema(SchemaArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Explain a handoff's score: per section every field, whether it applied, passed, and why.
    ExplainScore(ExplainScoreArgs),
    /// Suggest receivers for a handoff from the roster, best first, each with its reasons.
    Route(RouteArgs),
    /// The audit trail of one handoff: every commit that changed it, its score and status after each.
    Log(LogArgs),
}

/// `handoff init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to scaffold (created when missing; default: the current folder).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Which CI files to write.
    #[arg(long, value_enum, default_value = "github")]
    pub ci: CiSystem,
}

/// The CI system `handoff init` writes files for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CiSystem {
    /// GitHub Actions: `.github/workflows/handoff.yml`, PR template, CODEOWNERS.
    Github,
    /// GitLab CI: `.gitlab-ci.yml`, merge-request template.
    Gitlab,
}

/// Export formats `--prefill-format` can name (by default the format is detected by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrefillFormat {
    /// HubSpot CRM API JSON (v3 object, list/search/batch, v4 associations, or a bundle).
    Hubspot,
    /// HubSpot CSV export (deals, contacts, companies).
    HubspotCsv,
    /// Salesforce SOQL query result JSON (REST API or `sf data query --json`).
    Salesforce,
    /// Salesforce report export CSV.
    SalesforceCsv,
    /// Gong `/v2/calls/extensive` or `/v2/calls/transcript` JSON.
    Gong,
}

/// `handoff new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Handoff type: sdr-ae, sales-cs, ae-se, sales-implementation, cs-sales.
    #[arg(value_name = "TYPE")]
    pub handoff_type: String,
    /// File name (a slug such as `acme-corp`): writes handoffs/TYPE/NAME.yaml. With
    /// `--prefill` it may be omitted: the name is slugged from the company.
    #[arg(value_name = "NAME", required_unless_present_any = ["prefill"])]
    pub name: Option<String>,
    /// Who hands off (a name from roster.yaml).
    #[arg(long, value_name = "NAME")]
    pub from: Option<String>,
    /// Who receives (a name from roster.yaml), or `auto`: the first receiver `handoff route`
    /// would suggest.
    #[arg(long, value_name = "NAME|auto")]
    pub to: Option<String>,
    /// Also create branch handoff/NAME from HEAD and commit the new file on it.
    #[arg(long)]
    pub branch: bool,
    /// The trigger date written into the handoff, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = date)]
    pub date: Option<jiff::civil::Date>,
    /// A CRM or call-recording export to pre-fill from (repeatable).
    #[arg(long, value_name = "FILE")]
    pub prefill: Vec<PathBuf>,
    /// One new handoff per won deal in the export (names slugged from the company).
    #[arg(long, requires = "prefill", conflicts_with_all = ["name", "branch"])]
    pub each: bool,
    /// The exports' format, when detection by content is not wanted.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "prefill")]
    pub prefill_format: Option<PrefillFormat>,
    /// Format of the pre-fill report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: PrefillReportFormat,
}

/// Formats of the pre-fill report (`new --prefill`, `prefill`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrefillReportFormat {
    /// One line per handoff: fields filled, inferred, score, sections still to write.
    Human,
    /// The same as JSON.
    Json,
}

/// `handoff prefill`.
#[derive(Debug, clap::Args)]
pub struct PrefillArgs {
    /// The handoff to fill (only absent, null, empty or placeholder fields are filled).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// CRM or call-recording exports.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Print the diff instead of writing the file.
    #[arg(long)]
    pub dry_run: bool,
    /// The exports' format, when detection by content is not wanted.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub prefill_format: Option<PrefillFormat>,
    /// Format of the pre-fill report.
    #[arg(long, value_enum, default_value = "human")]
    pub format: PrefillReportFormat,
}

/// Output formats of `handoff render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    /// Markdown (fit for a pull-request body).
    Md,
    /// One self-contained HTML page.
    Html,
}

/// `handoff render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Handoff files or folders.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: RenderFormat,
    /// Output file (one handoff) or folder (several); default: standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
    /// Overwrite output files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Treat this date (YYYY-MM-DD) as today, for reproducible age-based findings.
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub now: Option<jiff::civil::Date>,
}

/// Output formats of `handoff metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsFormat {
    /// A readable table.
    Table,
    /// The SPEC's JSON object.
    Json,
    /// One row per handoff.
    Csv,
    /// One self-contained HTML report with charts.
    Html,
}

/// `handoff metrics`.
#[derive(Debug, clap::Args)]
pub struct MetricsArgs {
    /// The ref whose first-parent history is measured.
    #[arg(long = "ref", value_name = "REF", default_value = "HEAD")]
    pub git_ref: String,
    /// Only handoffs merged on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub since: Option<jiff::civil::Date>,
    /// Only handoffs merged on or before this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub until: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: MetricsFormat,
    /// Write to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
    /// Gate threshold for `below_threshold_at_merge` (default as for lint).
    #[arg(long, value_name = "N")]
    pub threshold: Option<u32>,
}

/// Output formats of `handoff sample`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SampleFormat {
    /// A review checklist to paste into an issue.
    Md,
    /// JSON.
    Json,
}

/// `handoff sample`.
#[derive(Debug, clap::Args)]
pub struct SampleArgs {
    /// ISO week, e.g. 2026-W47 (default: the last full week before the ref's head commit).
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
    /// How many handoffs to sample.
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub size: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: SampleFormat,
    /// The ref whose history is sampled.
    #[arg(long = "ref", value_name = "REF", default_value = "HEAD")]
    pub git_ref: String,
}

/// A reviewer's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Verdict {
    /// The handoff is good.
    Ok,
    /// The handoff needs more work.
    NeedsWork,
}

/// `handoff review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The handoff reviewed.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Who reviewed it.
    #[arg(long, value_name = "NAME")]
    pub reviewer: String,
    /// The verdict.
    #[arg(long, value_enum)]
    pub verdict: Verdict,
    /// A note for the writer.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// ISO week the review belongs to (default: the last full week).
    #[arg(long, value_name = "YYYY-Www")]
    pub week: Option<String>,
}

/// `handoff completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
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
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub now: Option<jiff::civil::Date>,
    /// Lint only handoffs added, modified or renamed since the merge base with REF (plus
    /// uncommitted changes).
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// After the report, explain each file's score as `handoff explain-score` does (human
    /// format only).
    #[arg(long)]
    pub explain: bool,
}

/// `handoff explain-score`.
#[derive(Debug, clap::Args)]
pub struct ExplainScoreArgs {
    /// Handoff files (or folders) to explain.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Gate threshold, 0-100 (as for `lint`).
    #[arg(long, value_name = "N")]
    pub threshold: Option<u32>,
    /// Treat this date (YYYY-MM-DD) as today (as for `lint`).
    #[arg(long, value_name = "DATE", value_parser = date)]
    pub now: Option<jiff::civil::Date>,
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
    /// Handoff type: sdr-ae, sales-cs, ae-se, sales-implementation, cs-sales; or `common`, the
    /// definitions the types' schemas reference; or `roster`, the keys of roster.yaml.
    #[arg(value_name = "TYPE")]
    pub handoff_type: String,
}

/// Output formats of `handoff route`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RouteFormat {
    /// One line per candidate, best first, with the reasons.
    Human,
    /// `{"path": ..., "candidates": [{"name", "email", "role", "open", "capacity", "reasons"}]}`.
    Json,
}

/// `handoff route`.
#[derive(Debug, clap::Args)]
pub struct RouteArgs {
    /// The handoff to route.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: RouteFormat,
}

/// Output formats of `handoff log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// A readable table.
    Table,
    /// The SPEC's JSON object.
    Json,
    /// A Markdown table (links to the forge when `origin` is on GitHub or GitLab).
    Md,
}

/// `handoff log`.
#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The handoff file.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: LogFormat,
    /// The ref whose first-parent history is read.
    #[arg(long = "ref", value_name = "REF", default_value = "HEAD")]
    pub git_ref: String,
}

/// `handoff accept PATH`.
#[derive(Debug, clap::Args)]
pub struct AcceptArgs {
    /// The handoff to accept.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// How useful the handoff was, 1 (not at all) to 5 (everything needed): `feedback.rating`.
    #[arg(long, value_name = "1-5", value_parser = clap::value_parser!(u8).range(1..=5))]
    pub rating: Option<u8>,
    /// What was missing or especially useful: `feedback.note`.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Who accepts (a roster name), instead of the person git knows as `user.name`/`user.email`.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Commit the change on a new branch `handoff/accept-NAME`, ready for a pull request.
    #[arg(long)]
    pub branch: bool,
    /// Accept even when you are not the handoff's `to.name`, or it is not `submitted`.
    #[arg(long)]
    pub force: bool,
}

/// `handoff reject PATH --reason TEXT`.
#[derive(Debug, clap::Args)]
pub struct RejectArgs {
    /// The handoff to send back.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// Why it goes back, and what its writer should fix: `rejection.reason`.
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: String,
    /// Who rejects (a roster name), instead of the person git knows as `user.name`/`user.email`.
    #[arg(long = "as", value_name = "NAME")]
    pub as_name: Option<String>,
    /// Commit the change on a new branch `handoff/reject-NAME`, ready for a pull request.
    #[arg(long)]
    pub branch: bool,
    /// Reject even when you are not the handoff's `to.name`, or it is not `submitted`.
    #[arg(long)]
    pub force: bool,
}
