//! Output: one emitter per format. Emitters write to the writer they are given; the library
//! never prints on its own.

pub mod delta;
pub mod escape;
pub mod explain;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod log;
pub mod markdown;
pub mod metrics;
pub mod sample;
pub mod sarif;
pub mod verdict;

use std::io::Write;

use crate::lint::LintReport;

/// Output formats of `handoff lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    /// Per file: score, verdict, section table, findings with their source line.
    Human,
    /// One JSON object (the SPEC's keys).
    Json,
    /// GitHub Actions workflow commands (annotations) and a step summary.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, a testcase per handoff.
    Junit,
    /// One pull-request comment body for the run (marker `<!-- handoff-gate -->`).
    Markdown,
    /// GitLab Code Quality report (a JSON array of issues).
    Gitlab,
}

/// Writes a lint report in `format`.
pub fn write_lint(
    format: LintFormat,
    report: &LintReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        LintFormat::Human => human::write(report, out),
        LintFormat::Json => json::write(report, out),
        LintFormat::Github => github::write(report, out),
        LintFormat::Sarif => sarif::write(report, out),
        LintFormat::Junit => junit::write(report, out),
        // Without links or rendered handoffs; `handoff lint` passes them (see `markdown`).
        LintFormat::Markdown => markdown::write(report, &markdown::Extras::default(), out),
        LintFormat::Gitlab => gitlab::write(report, out),
    }
}
