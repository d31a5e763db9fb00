//! `handoff metrics` output: one emitter per format over the same [`MetricsReport`].

pub mod csv;
pub mod html;
pub mod json;
pub mod table;

use std::io::Write;

use crate::cli::MetricsFormat;
use crate::history::metrics::MetricsReport;

/// Writes `report` in `format`.
pub fn write(
    format: MetricsFormat,
    report: &MetricsReport<'_>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        MetricsFormat::Table => table::write(report, out),
        MetricsFormat::Json => json::write(report, out),
        MetricsFormat::Csv => csv::write(report, out),
        MetricsFormat::Html => html::write(report, out),
    }
}

/// Days as shown to people: two decimals and a unit, or a dash when unknown.
pub fn days_text(days: Option<f64>) -> String {
    match days {
        // Halves round up (4.625 → 4.63), as people round; `{:.2}` alone rounds to even.
        Some(days) => format!("{:.2} d", (days * 100.0).round() / 100.0),
        None => "—".to_string(),
    }
}

/// A rate as a percentage with one decimal, or a dash when undefined.
pub fn percent_text(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{:.1}%", rate * 100.0),
        None => "—".to_string(),
    }
}

/// A rating (1-5) as shown to people: two decimals at most (`4`, `4.5`, `4.33`), or a dash.
pub fn rating_text(rating: Option<f64>) -> String {
    match rating {
        Some(rating) => {
            let rounded = (rating * 100.0).round() / 100.0;
            format!("{rounded}")
        }
        None => "—".to_string(),
    }
}

/// The first seven characters of a commit id.
pub fn short_commit(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}
