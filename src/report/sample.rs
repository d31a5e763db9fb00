//! `handoff sample` output: a Markdown review checklist per sampled handoff, to paste into an
//! issue, or the same data as JSON.

use std::io::Write;

use serde_json::{json, Value};

use crate::cli::SampleFormat;
use crate::history::metrics::utc_date;
use crate::history::sample::{Sample, SampledHandoff};
use crate::report::escape::control;

/// What the reviewer checks in every sampled handoff (the seeds' definition of a good
/// handoff).
pub const CHECKLIST: [&str; 4] = [
    "Expectations are in the customer's own words",
    "Success criteria are measurable (a number or a date)",
    "Every risk has a mitigation",
    "Every action item has an owner and a due date",
];

/// Writes `sample` in `format`.
pub fn write(
    format: SampleFormat,
    sample: &Sample<'_>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        SampleFormat::Md => write_markdown(sample, out),
        SampleFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &sample_value(sample))?;
            writeln!(out)
        }
    }
}

/// The sample as a JSON value.
pub fn sample_value(sample: &Sample<'_>) -> Value {
    json!({
        "ref": sample.git_ref,
        "commit": sample.commit,
        "week": sample.week.to_string(),
        "from": sample.week.monday().to_string(),
        "to": sample.week.sunday().to_string(),
        "population": sample.population,
        "size": sample.handoffs.len(),
        "nearest_weeks": {
            "before": sample.nearest.0.map(|w| w.to_string()),
            "after": sample.nearest.1.map(|w| w.to_string()),
        },
        "handoffs": sample.handoffs.iter().map(|h| handoff_value(sample, h)).collect::<Vec<_>>(),
    })
}

/// The command that prints a handoff's audit trail.
fn log_command(path: &str) -> String {
    format!("handoff log {path}")
}

fn handoff_value(sample: &Sample<'_>, sampled: &SampledHandoff<'_>) -> Value {
    let h = sampled.handoff;
    json!({
        "path": h.path,
        "title": h.title,
        "type": h.handoff_type,
        "author": h.author,
        "status": h.status,
        "score": h.score,
        "threshold": h.threshold,
        "passed": h.passed,
        "score_at_merge": h.score_at_merge,
        "below_threshold_at_merge": h.below_threshold_at_merge,
        "missing_sections": h.gaps,
        "merged_at": h.merged_at.to_string(),
        "merged_commit": h.merged_commit,
        "merged_by": h.merged_by,
        "reviewed": !sampled.reviews.is_empty(),
        "reviews": sampled.reviews,
        "checklist": CHECKLIST,
        "log": log_command(&h.path),
        "history_url": sample.links.as_ref().map(|l| l.history(&h.path)),
    })
}

fn write_markdown(sample: &Sample<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let week = sample.week;
    writeln!(
        out,
        "# Review sample — {week} ({} to {})\n",
        week.monday(),
        week.sunday()
    )?;
    let at = match &sample.commit {
        Some(commit) => format!(
            "`{}` at `{}`",
            code(&sample.git_ref),
            &commit[..commit.len().min(7)]
        ),
        None => format!("`{}` (no commits yet)", code(&sample.git_ref)),
    };
    if sample.handoffs.is_empty() {
        writeln!(out, "No handoff merged in {week} on {at}.")?;
        let nearest: Vec<String> = match sample.nearest {
            (Some(before), Some(after)) => {
                vec![format!("`{before}` before"), format!("`{after}` after")]
            }
            (Some(before), None) => vec![format!("`{before}` before (none after)")],
            (None, Some(after)) => vec![format!("`{after}` after (none before)")],
            (None, None) => Vec::new(),
        };
        if nearest.is_empty() {
            writeln!(out, "\nNo handoff has merged on {at} yet.")?;
        } else {
            writeln!(
                out,
                "\nThe nearest weeks with merged handoffs: {}; sample one with `handoff sample --week WEEK`.",
                nearest.join(", ")
            )?;
        }
        return Ok(());
    }
    writeln!(
        out,
        "{} of {} handoffs merged in {week} on {at}, chosen reproducibly (the same week and \
         history give the same sample). Record each review with\n\
         `handoff review PATH --reviewer NAME --verdict ok|needs-work --week {week}`.",
        sample.handoffs.len(),
        sample.population
    )?;
    for (i, sampled) in sample.handoffs.iter().enumerate() {
        let h = sampled.handoff;
        let reviewed = if sampled.reviews.is_empty() {
            ""
        } else {
            " ✅ reviewed"
        };
        let title = h.title.as_deref().unwrap_or(&h.path);
        writeln!(out, "\n## {}. {}{reviewed}\n", i + 1, text(title))?;
        writeln!(
            out,
            "`{}` · {} · from {} · {}\n",
            code(&h.path),
            text(h.handoff_type.as_deref().unwrap_or("unknown type")),
            text(h.author.as_deref().unwrap_or("unknown")),
            text(h.status.as_deref().unwrap_or("no status"))
        )?;
        let verdict = if h.passed { "passes" } else { "fails" };
        let bypass = if h.below_threshold_at_merge {
            " — merged below the threshold"
        } else {
            ""
        };
        writeln!(
            out,
            "- Score: **{}** (threshold {}, {verdict}); at merge: {}{bypass}",
            h.score, h.threshold, h.score_at_merge
        )?;
        if h.gaps.is_empty() {
            writeln!(out, "- Missing: nothing, every section is complete")?;
        } else {
            let gaps: Vec<String> = h
                .gaps
                .iter()
                .map(|g| {
                    let fields: Vec<String> =
                        g.missing.iter().map(|m| format!("`{}`", code(m))).collect();
                    format!("{} ({}: {})", text(&g.title), g.status, fields.join(", "))
                })
                .collect();
            writeln!(out, "- Missing: {}", gaps.join("; "))?;
        }
        writeln!(
            out,
            "- Landed in `{}` on {}{}",
            &h.merged_commit[..h.merged_commit.len().min(7)],
            utc_date(h.merged_at),
            h.merged_by
                .as_deref()
                .map(|by| format!(" by {}", text(by)))
                .unwrap_or_default()
        )?;
        let history = match &sample.links {
            Some(links) => format!(" ([history]({}))", links.history(&h.path)),
            None => String::new(),
        };
        writeln!(
            out,
            "- Audit trail: `{}`{history}",
            code(&log_command(&h.path))
        )?;
        for review in &sampled.reviews {
            let note = review
                .note
                .as_deref()
                .map(|n| format!(": {}", text(n)))
                .unwrap_or_default();
            writeln!(
                out,
                "- Reviewed by {} ({}, {}){note}",
                text(&review.reviewer),
                review.verdict.as_str(),
                review.reviewed_at
            )?;
        }
        writeln!(out)?;
        for item in CHECKLIST {
            writeln!(out, "- [ ] {item}")?;
        }
    }
    Ok(())
}

/// User text in Markdown: control characters shown escaped (`\n`: no line break can end the
/// paragraph or start a block), then characters that would start markup escaped.
pub(crate) fn text(value: &str) -> String {
    let value = control(value);
    let mut escaped = String::with_capacity(value.len());
    for c in value.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Text inside a code span, which cannot hold a backtick or a line break: control characters
/// are shown escaped (a blank line in a file name would end the span and the paragraph, and
/// what follows would be rendered as Markdown, an auto-loading image included).
pub(crate) fn code(value: &str) -> String {
    control(value).replace('`', "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_cannot_leave_their_context() {
        let path = "handoffs/a\n\n![x](https://evil.example/p.png)\n`.yaml";
        assert_eq!(
            code(path),
            "handoffs/a\\n\\n![x](https://evil.example/p.png)\\n'.yaml"
        );
        assert_eq!(text("![x](y)\n# h"), "!\\[x\\](y)\\\\n\\# h");
        assert!(!text("\u{1b}]8;;http://x\u{7}").contains('\u{1b}'));
    }
}
