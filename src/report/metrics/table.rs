//! `handoff metrics` (default `--format table`): the summary, the breakdowns and the handoffs
//! that need attention (gate bypasses, stale), aligned for a terminal.

use std::collections::BTreeMap;
use std::io::Write;

use super::{days_text, percent_text, rating_text, short_commit};
use crate::history::metrics::MetricsReport;
use crate::history::metrics::{days_between, utc_date, Stats, STALE_AFTER_DAYS};
use crate::report::escape::control;

/// Writes the report as text tables.
pub fn write(report: &MetricsReport<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    match &report.head {
        Some(head) => writeln!(
            out,
            "Handoff metrics for {} at {} (as of {}), threshold {}",
            control(&report.git_ref),
            short_commit(&head.commit),
            head.time,
            report.threshold
        )?,
        None => writeln!(
            out,
            "Handoff metrics for {}: the repository has no commits yet",
            control(&report.git_ref)
        )?,
    }
    if report.since.is_some() || report.until.is_some() {
        let date = |d: Option<jiff::civil::Date>| d.map_or("…".to_string(), |d| d.to_string());
        writeln!(
            out,
            "Merged from {} to {}",
            date(report.since),
            date(report.until)
        )?;
    }
    let stats = &report.summary.stats;
    writeln!(out)?;
    let lines = [
        ("Handoffs", stats.count.to_string()),
        (
            "Accepted",
            format!(
                "{} ({})",
                stats.accepted,
                percent_text(stats.completion_rate)
            ),
        ),
        (
            "Median time to handoff",
            days_text(stats.median_time_to_handoff_days),
        ),
        (
            "p90 time to handoff",
            days_text(stats.p90_time_to_handoff_days),
        ),
        (
            "Median time to accept",
            days_text(stats.median_time_to_accept_days),
        ),
        (
            "Gate bypasses",
            format!(
                "{} (merged below the threshold)",
                stats.below_threshold_at_merge
            ),
        ),
        (
            "Stale",
            format!(
                "{} (submitted, not accepted {STALE_AFTER_DAYS}+ days after merging)",
                stats.stale
            ),
        ),
        (
            "Rating",
            format!(
                "median {}, mean {} (feedback.rating, 1-5)",
                rating_text(stats.median_rating),
                rating_text(stats.mean_rating)
            ),
        ),
        (
            "Rejected",
            format!("{} (sent back at least once)", stats.rejected),
        ),
        (
            "Reassigned",
            format!("{} (to.name changed after merging)", stats.reassigned),
        ),
        (
            "Median time in review",
            days_text(stats.median_time_in_review_days),
        ),
        (
            "Qualified",
            format!(
                "{} ({} of the handoffs whose playbook declares qualification)",
                percent_text(stats.qualified_rate),
                stats.qualified
            ),
        ),
    ];
    for (label, value) in lines {
        writeln!(out, "  {label:<24} {value}")?;
    }
    if stats.count == 0 {
        return Ok(());
    }
    breakdown(out, "Type", &report.summary.by_type)?;
    breakdown(out, "Author", &report.summary.by_author)?;

    writeln!(out)?;
    let weeks = &report.summary.by_week;
    let headers = [
        "Week",
        "count",
        "accepted",
        "median tth",
        "bypasses",
        "stale",
        "rating",
        "rejected",
        "reassigned",
        "qualified",
        "sampled",
        "reviewed",
    ];
    let rows: Vec<Vec<String>> = weeks
        .iter()
        .map(|(week, w)| {
            vec![
                week.clone(),
                w.stats.count.to_string(),
                w.stats.accepted.to_string(),
                days_text(w.stats.median_time_to_handoff_days),
                w.stats.below_threshold_at_merge.to_string(),
                w.stats.stale.to_string(),
                rating_text(w.stats.median_rating),
                w.stats.rejected.to_string(),
                w.stats.reassigned.to_string(),
                percent_text(w.stats.qualified_rate),
                w.reviews.sampled.to_string(),
                w.reviews.reviewed.to_string(),
            ]
        })
        .collect();
    table(out, &headers, &rows)?;

    let as_of = report.head.as_ref().map(|h| h.time);
    let bypasses: Vec<Vec<String>> = report
        .handoffs
        .iter()
        .filter(|h| h.below_threshold_at_merge)
        .map(|h| {
            vec![
                h.path.clone(),
                format!("{} < {}", h.score_at_merge, h.threshold_at_merge),
                h.score.to_string(),
                utc_date(h.merged_at).to_string(),
                short_commit(&h.merged_commit).to_string(),
                h.merged_by.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if !bypasses.is_empty() {
        writeln!(out, "\nGate bypasses (merged below the threshold)")?;
        table(
            out,
            &["Path", "at merge", "now", "merged", "commit", "merged by"],
            &bypasses,
        )?;
    }
    let stale: Vec<Vec<String>> = report
        .handoffs
        .iter()
        .filter(|h| h.stale)
        .map(|h| {
            let waiting = as_of.map(|now| days_between(h.merged_at, now));
            vec![
                h.path.clone(),
                h.author.clone().unwrap_or_default(),
                utc_date(h.merged_at).to_string(),
                days_text(waiting),
            ]
        })
        .collect();
    if !stale.is_empty() {
        writeln!(out, "\nStale (submitted, not accepted)")?;
        table(out, &["Path", "author", "merged", "waiting"], &stale)?;
    }
    let reassigned: Vec<Vec<String>> = report
        .handoffs
        .iter()
        .flat_map(|h| {
            h.reassignments.iter().map(|r| {
                vec![
                    h.path.clone(),
                    format!("{} → {}", r.from, r.to),
                    utc_date(r.at).to_string(),
                ]
            })
        })
        .collect();
    if !reassigned.is_empty() {
        writeln!(out, "\nReassigned (to.name changed after merging)")?;
        table(out, &["Path", "from → to", "on"], &reassigned)?;
    }
    Ok(())
}

fn breakdown(
    out: &mut dyn Write,
    title: &str,
    groups: &BTreeMap<String, Stats>,
) -> std::io::Result<()> {
    writeln!(out)?;
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|(key, s)| {
            vec![
                key.clone(),
                s.count.to_string(),
                s.accepted.to_string(),
                percent_text(s.completion_rate),
                days_text(s.median_time_to_handoff_days),
                days_text(s.p90_time_to_handoff_days),
                days_text(s.median_time_to_accept_days),
                s.below_threshold_at_merge.to_string(),
                s.stale.to_string(),
                rating_text(s.median_rating),
                rating_text(s.mean_rating),
                s.rejected.to_string(),
                s.reassigned.to_string(),
                percent_text(s.qualified_rate),
            ]
        })
        .collect();
    table(
        out,
        &[
            title,
            "count",
            "accepted",
            "rate",
            "median tth",
            "p90 tth",
            "median tta",
            "bypasses",
            "stale",
            "median rating",
            "mean rating",
            "rejected",
            "reassigned",
            "qualified",
        ],
        &rows,
    )
}

/// Columns sized to their widest cell; the first left-aligned, the rest right-aligned. Cells
/// hold data (paths, names): their control characters are shown escaped.
fn table(out: &mut dyn Write, headers: &[&str], rows: &[Vec<String>]) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| control(cell).into_owned()).collect())
        .collect();
    let width = |i: usize| {
        rows.iter()
            .map(|r| r[i].chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..headers.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut text = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            text.push(' ');
            if i == 0 {
                text.push_str(cell);
                text.push_str(&" ".repeat(pad));
            } else {
                text.push(' ');
                text.push_str(&" ".repeat(pad));
                text.push_str(cell);
            }
        }
        text.trim_end().to_string()
    };
    writeln!(out, "{}", line(headers.to_vec()))?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect()))?;
    }
    Ok(())
}
