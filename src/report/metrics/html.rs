//! `handoff metrics --format html`: one self-contained page (inline CSS and SVG, no scripts,
//! nothing fetched from the network) with the summary, charts of the time-to-handoff
//! distribution, weekly volume with the median time-to-handoff, and scores against the
//! threshold, then the per-author table, the gate bypasses and the stale handoffs.

use std::fmt::Write as _;
use std::io::Write;

use super::{days_text, percent_text, short_commit};
use crate::history::command::MetricsReport;
use crate::history::metrics::{days_between, utc_date, HandoffRecord, Stats};
use crate::history::week::IsoWeek;

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;margin:2rem auto;max-width:60rem;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
.meta{color:#59636e;margin-top:0}.cards{display:flex;flex-wrap:wrap;gap:.75rem}\
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;min-width:8.5rem}\
.card b{display:block;font-size:1.35rem}.card span{color:#59636e;font-size:.85rem}\
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #eaeef2;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f6f8fa}code{font-size:.9em}\
svg{width:100%;height:auto;max-width:720px}.bar{fill:#4c8bf5}.bar-alt{fill:#8fb5f8}.axis{stroke:#8c959f;stroke-width:1}\
.grid{stroke:#eaeef2;stroke-width:1}.label{font-size:11px;fill:#59636e}.line{fill:none;stroke:#d1242f;stroke-width:2}\
.dot{fill:#d1242f}.threshold{stroke:#d1242f;stroke-width:2;stroke-dasharray:5 4}.legend{font-size:12px;fill:#1f2328}\
.none{color:#59636e}";

/// Writes the page.
pub fn write(report: &MetricsReport<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = String::with_capacity(32 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<title>Handoff metrics — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        escape(&report.git_ref)
    );
    page.push_str("<h1>Handoff metrics</h1>\n");
    let meta = match &report.head {
        Some(head) => format!(
            "<code>{}</code> at <code>{}</code>, as of {} · threshold {}",
            escape(&report.git_ref),
            short_commit(&head.commit),
            head.time,
            report.threshold
        ),
        None => format!(
            "<code>{}</code>: the repository has no commits yet",
            escape(&report.git_ref)
        ),
    };
    let _ = write!(page, "<p class=\"meta\">{meta}");
    if report.since.is_some() || report.until.is_some() {
        let date = |d: Option<jiff::civil::Date>| d.map_or("…".to_string(), |d| d.to_string());
        let _ = write!(
            page,
            " · merged from {} to {}",
            date(report.since),
            date(report.until)
        );
    }
    page.push_str("</p>\n");
    cards(&mut page, &report.summary.stats);

    page.push_str("<h2>Time to handoff</h2>\n<p class=\"meta\">Days from the trigger date (the deal closing) to the merge, handoffs with a trigger date.</p>\n");
    time_to_handoff_chart(&mut page, &report.handoffs);
    page.push_str("<h2>Weekly volume</h2>\n<p class=\"meta\">Handoffs merged per ISO week (bars) and their median time to handoff in days (line).</p>\n");
    weekly_chart(&mut page, report);
    page.push_str("<h2>Scores</h2>\n<p class=\"meta\">Current scores; the dashed line is the threshold.</p>\n");
    score_chart(&mut page, &report.handoffs, report.threshold);

    page.push_str("<h2>Authors</h2>\n");
    let rows: Vec<Vec<String>> = report
        .summary
        .by_author
        .iter()
        .map(|(author, s)| stats_row(author, s))
        .collect();
    table(
        &mut page,
        &[
            "Author",
            "Handoffs",
            "Accepted",
            "Rate",
            "Median time to handoff",
            "Median time to accept",
            "Gate bypasses",
            "Stale",
        ],
        &rows,
    );

    page.push_str("<h2>Gate bypasses</h2>\n<p class=\"meta\">Handoffs that landed with a score below their threshold.</p>\n");
    let rows: Vec<Vec<String>> = report
        .handoffs
        .iter()
        .filter(|h| h.below_threshold_at_merge)
        .map(|h| {
            vec![
                format!("<code>{}</code>", escape(&h.path)),
                format!("{} &lt; {}", h.score_at_merge, h.threshold_at_merge),
                h.score.to_string(),
                utc_date(h.merged_at).to_string(),
                format!("<code>{}</code>", short_commit(&h.merged_commit)),
                escape(h.merged_by.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    table(
        &mut page,
        &[
            "Handoff",
            "Score at merge",
            "Score now",
            "Merged",
            "Commit",
            "Merged by",
        ],
        &rows,
    );

    page.push_str("<h2>Stale handoffs</h2>\n<p class=\"meta\">Submitted, not accepted, more than 30 days after merging.</p>\n");
    let as_of = report.head.as_ref().map(|h| h.time);
    let rows: Vec<Vec<String>> = report
        .handoffs
        .iter()
        .filter(|h| h.stale)
        .map(|h| {
            vec![
                format!("<code>{}</code>", escape(&h.path)),
                escape(h.author.as_deref().unwrap_or("")),
                utc_date(h.merged_at).to_string(),
                days_text(as_of.map(|now| days_between(h.merged_at, now))),
            ]
        })
        .collect();
    table(
        &mut page,
        &["Handoff", "Author", "Merged", "Waiting"],
        &rows,
    );

    page.push_str("<h2>Weeks</h2>\n");
    let rows: Vec<Vec<String>> = report
        .summary
        .by_week
        .iter()
        .map(|(week, w)| {
            let mut row = stats_row(week, &w.stats);
            row.push(format!("{} / {}", w.reviews.reviewed, w.reviews.sampled));
            row
        })
        .collect();
    table(
        &mut page,
        &[
            "Week",
            "Handoffs",
            "Accepted",
            "Rate",
            "Median time to handoff",
            "Median time to accept",
            "Gate bypasses",
            "Stale",
            "Reviewed / sampled",
        ],
        &rows,
    );
    page.push_str("</body>\n</html>\n");
    out.write_all(page.as_bytes())
}

fn cards(page: &mut String, stats: &Stats) {
    page.push_str("<div class=\"cards\">\n");
    let cards = [
        (stats.count.to_string(), "handoffs"),
        (
            format!(
                "{} · {}",
                stats.accepted,
                percent_text(stats.completion_rate)
            ),
            "accepted",
        ),
        (
            days_text(stats.median_time_to_handoff_days),
            "median time to handoff",
        ),
        (
            days_text(stats.p90_time_to_handoff_days),
            "p90 time to handoff",
        ),
        (
            days_text(stats.median_time_to_accept_days),
            "median time to accept",
        ),
        (stats.below_threshold_at_merge.to_string(), "gate bypasses"),
        (stats.stale.to_string(), "stale"),
    ];
    for (value, label) in cards {
        let _ = writeln!(
            page,
            "<div class=\"card\"><b>{}</b><span>{label}</span></div>",
            escape(&value)
        );
    }
    page.push_str("</div>\n");
}

fn stats_row(key: &str, s: &Stats) -> Vec<String> {
    vec![
        escape(key),
        s.count.to_string(),
        s.accepted.to_string(),
        percent_text(s.completion_rate),
        days_text(s.median_time_to_handoff_days),
        days_text(s.median_time_to_accept_days),
        s.below_threshold_at_merge.to_string(),
        s.stale.to_string(),
    ]
}

/// A table of already escaped cells, or "None." when there are no rows.
fn table(page: &mut String, headers: &[&str], rows: &[Vec<String>]) {
    if rows.is_empty() {
        page.push_str("<p class=\"none\">None.</p>\n");
        return;
    }
    page.push_str("<table>\n<thead><tr>");
    for header in headers {
        let _ = write!(page, "<th>{}</th>", escape(header));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        page.push_str("<tr>");
        for cell in row {
            let _ = write!(page, "<td>{cell}</td>");
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n");
}

/// Histogram bins of time to handoff, in days: [from, to).
const TIME_TO_HANDOFF_BINS: [(f64, f64, &str); 8] = [
    (0.0, 1.0, "0–1"),
    (1.0, 2.0, "1–2"),
    (2.0, 3.0, "2–3"),
    (3.0, 5.0, "3–5"),
    (5.0, 7.0, "5–7"),
    (7.0, 14.0, "7–14"),
    (14.0, 30.0, "14–30"),
    (30.0, f64::INFINITY, "30+"),
];

fn time_to_handoff_chart(page: &mut String, handoffs: &[&HandoffRecord]) {
    let days: Vec<f64> = handoffs
        .iter()
        .filter_map(|h| h.time_to_handoff_days)
        .collect();
    if days.is_empty() {
        page.push_str("<p class=\"none\">No handoff has a trigger date.</p>\n");
        return;
    }
    let mut bars = Vec::new();
    let early = days.iter().filter(|d| **d < 0.0).count();
    if early > 0 {
        // Merged before the trigger date: a data problem worth seeing, not hiding.
        bars.push(Bar::new("before", early as f64));
    }
    for (from, to, label) in TIME_TO_HANDOFF_BINS {
        let count = days.iter().filter(|d| **d >= from && **d < to).count();
        bars.push(Bar::new(label, count as f64));
    }
    let chart = Chart {
        bars,
        x_label: "days from trigger to merge",
        y_label: "handoffs",
        line: None,
        marker: None,
    };
    page.push_str(&chart.svg());
}

fn weekly_chart(page: &mut String, report: &MetricsReport<'_>) {
    let weeks = &report.summary.by_week;
    let (Some(first), Some(last)) = (
        report.handoffs.iter().map(|h| h.merged_week()).min(),
        report.handoffs.iter().map(|h| h.merged_week()).max(),
    ) else {
        page.push_str("<p class=\"none\">No handoffs.</p>\n");
        return;
    };
    let mut bars = Vec::new();
    let mut medians = Vec::new();
    let mut monday = first.monday();
    // Every week from the first to the last, so quiet weeks show as gaps rather than vanish.
    loop {
        let week = IsoWeek::of(monday);
        let label = week.to_string();
        let stats = weeks.get(&label);
        bars.push(Bar::new(
            &label,
            stats.map_or(0.0, |w| w.stats.count as f64),
        ));
        medians.push(stats.and_then(|w| w.stats.median_time_to_handoff_days));
        if week >= last {
            break;
        }
        match monday.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => monday = next,
            Err(_) => break,
        }
    }
    let chart = Chart {
        bars,
        x_label: "ISO week merged",
        y_label: "handoffs",
        line: Some(Line {
            values: medians,
            label: "median time to handoff (days)",
        }),
        marker: None,
    };
    page.push_str(&chart.svg());
}

fn score_chart(page: &mut String, handoffs: &[&HandoffRecord], threshold: u32) {
    if handoffs.is_empty() {
        page.push_str("<p class=\"none\">No handoffs.</p>\n");
        return;
    }
    let mut counts = [0usize; 10];
    for handoff in handoffs {
        counts[(handoff.score.min(100) as usize / 10).min(9)] += 1;
    }
    let bars = counts
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let label = if i == 9 {
                "90–100".to_string()
            } else {
                format!("{}–{}", i * 10, i * 10 + 9)
            };
            let mut bar = Bar::new(&label, *count as f64);
            bar.below = (i as u32 + 1) * 10 <= threshold;
            bar
        })
        .collect();
    let chart = Chart {
        bars,
        x_label: "score",
        y_label: "handoffs",
        line: None,
        marker: Some(Marker {
            at_bars: f64::from(threshold.min(100)) / 10.0,
            label: format!("threshold {threshold}"),
        }),
    };
    page.push_str(&chart.svg());
}

struct Bar {
    label: String,
    value: f64,
    /// Drawn in the lighter colour (e.g. scores below the threshold).
    below: bool,
}

impl Bar {
    fn new(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_string(),
            value,
            below: false,
        }
    }
}

/// A second series drawn as a line over the bars, on its own scale (right axis).
struct Line {
    values: Vec<Option<f64>>,
    label: &'static str,
}

/// A vertical line at a position measured in bars from the left edge.
struct Marker {
    at_bars: f64,
    label: String,
}

struct Chart {
    bars: Vec<Bar>,
    x_label: &'static str,
    y_label: &'static str,
    line: Option<Line>,
    marker: Option<Marker>,
}

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 260.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 52.0;

impl Chart {
    fn svg(&self) -> String {
        let plot_width = WIDTH - LEFT - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let base = TOP + plot_height;
        let n = self.bars.len().max(1) as f64;
        let slot = plot_width / n;
        let max = nice_max(self.bars.iter().map(|b| b.value).fold(0.0, f64::max));
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            "<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{} per {}\">",
            self.y_label, self.x_label
        );
        for step in 0..=4 {
            let value = max * f64::from(step) / 4.0;
            let y = base - plot_height * f64::from(step) / 4.0;
            let _ = writeln!(
                svg,
                "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                LEFT + plot_width,
                LEFT - 6.0,
                y + 4.0,
                format_number(value)
            );
        }
        // Long series (many weeks) label every k-th bar so the labels stay readable.
        let label_every = (self.bars.len() as f64 / 12.0).ceil().max(1.0) as usize;
        for (i, bar) in self.bars.iter().enumerate() {
            let height = if max > 0.0 {
                plot_height * bar.value / max
            } else {
                0.0
            };
            let x = LEFT + slot * i as f64 + slot * 0.1;
            let class = if bar.below { "bar-alt" } else { "bar" };
            let _ = writeln!(
                svg,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\"><title>{}: {}</title></rect>",
                base - height,
                (slot * 0.8).max(0.5),
                escape(&bar.label),
                format_number(bar.value)
            );
            if i % label_every == 0 {
                let _ = writeln!(
                    svg,
                    "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                    LEFT + slot * (i as f64 + 0.5),
                    base + 16.0,
                    escape(&bar.label)
                );
            }
        }
        let _ = writeln!(
            svg,
            "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\"/>",
            LEFT + plot_width
        );
        let _ = writeln!(
            svg,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"legend\" x=\"{LEFT}\" y=\"14\">{}</text>",
            LEFT + plot_width / 2.0,
            HEIGHT - 12.0,
            self.x_label,
            self.y_label
        );
        if let Some(line) = &self.line {
            let line_max = nice_max(line.values.iter().flatten().fold(0.0, |a, b| a.max(*b)));
            let point = |i: usize, v: f64| {
                let y = if line_max > 0.0 {
                    base - plot_height * v.max(0.0) / line_max
                } else {
                    base
                };
                (LEFT + slot * (i as f64 + 0.5), y)
            };
            // Weeks without a value break the line instead of dropping to zero.
            let mut segment: Vec<String> = Vec::new();
            let mut segments = Vec::new();
            for (i, value) in line.values.iter().enumerate() {
                match value {
                    Some(v) => {
                        let (x, y) = point(i, *v);
                        segment.push(format!("{x:.1},{y:.1}"));
                        let _ = writeln!(
                            svg,
                            "<circle class=\"dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"><title>{}: {v:.2} days</title></circle>",
                            escape(&self.bars[i].label)
                        );
                    }
                    None => segments.push(std::mem::take(&mut segment)),
                }
            }
            segments.push(segment);
            for points in segments.iter().filter(|s| s.len() > 1) {
                let _ = writeln!(
                    svg,
                    "<polyline class=\"line\" points=\"{}\"/>",
                    points.join(" ")
                );
            }
            for step in 0..=4 {
                let value = line_max * f64::from(step) / 4.0;
                let y = base - plot_height * f64::from(step) / 4.0;
                let _ = writeln!(
                    svg,
                    "<text class=\"label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                    LEFT + plot_width + 6.0,
                    y + 4.0,
                    format_number(value)
                );
            }
            let _ = writeln!(
                svg,
                "<text class=\"legend\" x=\"{:.1}\" y=\"14\" text-anchor=\"end\" fill=\"#d1242f\">{}</text>",
                WIDTH - 4.0,
                line.label
            );
        }
        if let Some(marker) = &self.marker {
            let x = LEFT + slot * marker.at_bars;
            let _ = writeln!(
                svg,
                "<line class=\"threshold\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{base:.1}\"/><text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                x + 4.0,
                TOP + 10.0,
                escape(&marker.label)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (at least 1), for axis tops.
fn nice_max(value: f64) -> f64 {
    if value <= 1.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(value.log10().floor());
    for step in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if step * magnitude >= value {
            return step * magnitude;
        }
    }
    10.0 * magnitude
}

fn format_number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

/// Escapes text for HTML element content and attribute values; control characters from data
/// (ESC, BEL, ...) are dropped, line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => escaped.push(' '),
            c if crate::report::escape::is_unsafe(c) => {}
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(21.0), 25.0);
        assert_eq!(nice_max(250.0), 250.0);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(escape("a\u{1b}[31m\nb\u{7}"), "a[31m b");
    }
}
