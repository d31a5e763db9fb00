//! `handoff metrics --format html`: one self-contained page (inline CSS and SVG, nothing
//! fetched from the network) for a manager's weekly look, built to stay readable at
//! thousands of handoffs. It leads with this week against the previous 4 and 12, then what
//! needs action (the lowest scores this week, gate bypasses, stale handoffs, newest or longest
//! waiting first), then the weeks (newest first), the charts (the last 12 weeks' volume with
//! the median time to handoff, the time-to-handoff histogram, scores at merge against the
//! threshold), the per-type and per-author tables. Long tables show their top rows; the rest
//! sit behind a closed `<details>` (and are not printed). Every chart has its data as a table
//! beside it, for screen readers and for exact values. One small constant script (its
//! SHA-256 is the only script the page's Content-Security-Policy allows) adds a filter box
//! and sortable columns to the long tables; without it the page reads the same.

use std::fmt::Write as _;
use std::io::Write;

use jiff::civil::Date;

use super::{days_text, percent_text, short_commit};
use crate::history::forge::Links;
use crate::history::metrics::MetricsReport;
use crate::history::metrics::{days_between, utc_date, HandoffRecord, Stats};
use crate::history::week::IsoWeek;
use crate::report::escape::html as escape;

const STYLE: &str = "\
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;margin:2rem auto;max-width:70rem;padding:0 1rem}\
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}\
.meta{color:#59636e;margin-top:0}.cards{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0}\
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .9rem;min-width:8.5rem}\
@media (max-width:600px){.card{flex:1 1 40%;min-width:0;padding:.4rem .6rem}.card b{font-size:1.15rem}}\
.card b{display:block;font-size:1.35rem}.card span{color:#59636e;font-size:.85rem}\
.scroll{overflow-x:auto;max-width:100%}\
table{border-collapse:collapse;width:100%;margin-top:.5rem}th,td{padding:.3rem .5rem;border-bottom:1px solid #eaeef2;text-align:right;vertical-align:top}\
th:first-child,td:first-child{text-align:left}th{background:#f6f8fa}code{font-size:.9em;overflow-wrap:anywhere}\
.sub{display:block;color:#59636e;font-size:.85em}\
details{margin-top:.5rem}summary{cursor:pointer;color:#0550ae}\
.chart{overflow-x:auto;max-width:100%}.chart svg{display:block;width:100%;min-width:480px;height:auto;max-width:720px}\
.bar{fill:#0969da}.bar-below{fill:url(#below-hatch);stroke:#953800;stroke-width:1.5}.hatch{stroke:#953800;stroke-width:2}\
.axis{stroke:#59636e;stroke-width:1}.grid{stroke:#d0d7de;stroke-width:1}.label{font-size:13px;fill:#424a53}\
.line{fill:none;stroke:#d1242f;stroke-width:2.5;stroke-dasharray:8 3}.dot{fill:#d1242f}.threshold{stroke:#1f2328;stroke-width:2;stroke-dasharray:5 4}\
.legend{font-size:13px;fill:#1f2328}.legend-line{font-size:13px;fill:#a40e26}\
.key{display:inline-block;width:.9em;height:.9em;vertical-align:-.1em;margin:0 .25em 0 .75em;border:1.5px solid #0969da;background:#0969da}\
.key-below{border-color:#953800;background:repeating-linear-gradient(45deg,#fff 0 2px,#953800 2px 4px)}\
.key-line{height:0;border:0;border-top:3px dashed #d1242f;background:none}\
.none{color:#59636e}\
th button{font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:inherit}\
th[aria-sort=ascending] button::after{content:\" \\25B2\"}th[aria-sort=descending] button::after{content:\" \\25BC\"}\
.filter{margin:.75rem 0 0}.filter input{font:inherit;margin-left:.4rem;padding:.1rem .4rem;max-width:55%}.count{margin-left:.6rem;color:#59636e}\
@media print{body{margin:0;max-width:none;font-size:10pt}details,.no-print{display:none}\
.chart{overflow:visible;break-inside:avoid}.chart svg{min-width:0;max-width:16cm}.scroll{overflow:visible}\
table{break-inside:auto}tr{break-inside:avoid}h2{break-after:avoid}}";

/// The script that adds the filter boxes and sortable columns (see the module doc).
const SCRIPT: &str = include_str!("enhance.js");
/// The CSP hash of [`SCRIPT`]: base64 of its SHA-256 (no SHA-256 is among the dependencies;
/// a unit test recomputes it, and `tests/browser/check.mjs` checks that Chromium runs it).
const SCRIPT_SHA256: &str = "0580C+kKFaY4i4eVsxUpQR1CVyBZHx+1HYT7wBuOeH0=";

/// Rows a long table shows before the rest go behind `<details>`.
const TOP_ROWS: usize = 20;
/// Rows at most behind a table's `<details>`; beyond them the page points to the CSV export
/// (which lists every handoff), so the page stays small at any history size.
const MORE_ROWS: usize = 500;
/// Weeks charted (and shown open in the weeks table).
const CHART_WEEKS: usize = 12;

/// Writes the page.
pub fn write(report: &MetricsReport<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = String::with_capacity(64 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_SHA256}'\">"
    );
    let _ = writeln!(
        page,
        "<title>Handoff metrics — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>",
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
    page.push_str("</p>\n</header>\n<main>\n");

    let as_of = report.head.as_ref().map(|h| h.time);
    let links = report.links.as_ref();
    // "This week" is the week of the measured commit; without one, the newest week merged.
    let this_week = as_of
        .map(|t| IsoWeek::of(utc_date(t)))
        .or_else(|| report.handoffs.iter().map(|h| h.merged_week()).max());

    if let Some(week) = this_week {
        this_week_section(&mut page, report, week);
    }
    page.push_str("<h2>All handoffs</h2>\n");
    cards(&mut page, &report.summary.stats);

    if let Some(week) = this_week {
        let _ = writeln!(
            page,
            "<h2>Lowest scores this week</h2>\n<p class=\"meta\">Handoffs merged in {week}, lowest current score first.</p>"
        );
        let mut merged: Vec<&HandoffRecord> = report
            .handoffs
            .iter()
            .copied()
            .filter(|h| h.merged_week() == week)
            .collect();
        merged.sort_by(|a, b| a.score.cmp(&b.score).then_with(|| a.path.cmp(&b.path)));
        let rows: Vec<Vec<String>> = merged
            .iter()
            .map(|h| {
                vec![
                    handoff_cell(h, links),
                    escape(h.handoff_type.as_deref().unwrap_or("")),
                    escape(h.author.as_deref().unwrap_or("")),
                    score_text(h.score, h.threshold),
                    score_text(h.score_at_merge, h.threshold_at_merge),
                    commit_cell(h, links),
                ]
            })
            .collect();
        long_table(
            &mut page,
            "Lowest scores this week",
            &[
                "Handoff",
                "Type",
                "Author",
                "Score now",
                "Score at merge",
                "Landed in",
            ],
            &rows,
            10,
        );
    }

    page.push_str("<h2>Gate bypasses</h2>\n<p class=\"meta\">Handoffs that landed with a score below their threshold, newest first.</p>\n");
    let mut bypasses: Vec<&HandoffRecord> = report
        .handoffs
        .iter()
        .copied()
        .filter(|h| h.below_threshold_at_merge)
        .collect();
    bypasses.sort_by(|a, b| {
        b.merged_at
            .cmp(&a.merged_at)
            .then_with(|| a.path.cmp(&b.path))
    });
    let rows: Vec<Vec<String>> = bypasses
        .iter()
        .map(|h| {
            vec![
                handoff_cell(h, links),
                format!("{} &lt; {}", h.score_at_merge, h.threshold_at_merge),
                score_text(h.score, h.threshold),
                utc_date(h.merged_at).to_string(),
                commit_cell(h, links),
                escape(h.merged_by.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    long_table(
        &mut page,
        "Gate bypasses",
        &[
            "Handoff",
            "Score at merge",
            "Score now",
            "Merged",
            "Landed in",
            "Merged by",
        ],
        &rows,
        TOP_ROWS,
    );

    page.push_str("<h2>Stale handoffs</h2>\n<p class=\"meta\">Submitted, not accepted, more than 30 days after merging; longest waiting first.</p>\n");
    let mut stale: Vec<&HandoffRecord> = report
        .handoffs
        .iter()
        .copied()
        .filter(|h| h.stale)
        .collect();
    stale.sort_by(|a, b| {
        a.merged_at
            .cmp(&b.merged_at)
            .then_with(|| a.path.cmp(&b.path))
    });
    let rows: Vec<Vec<String>> = stale
        .iter()
        .map(|h| {
            vec![
                handoff_cell(h, links),
                escape(h.receiver.as_deref().unwrap_or("")),
                escape(h.author.as_deref().unwrap_or("")),
                utc_date(h.merged_at).to_string(),
                days_text(as_of.map(|now| days_between(h.merged_at, now))),
            ]
        })
        .collect();
    long_table(
        &mut page,
        "Stale handoffs",
        &["Handoff", "Receiver", "Author", "Merged", "Waiting"],
        &rows,
        TOP_ROWS,
    );

    page.push_str("<h2>Weeks</h2>\n<p class=\"meta\">Newest first.</p>\n");
    let rows: Vec<Vec<String>> = report
        .summary
        .by_week
        .iter()
        .rev()
        .map(|(week, w)| {
            let mut row = stats_row(week, &w.stats);
            row.push(format!("{} / {}", w.reviews.reviewed, w.reviews.sampled));
            row
        })
        .collect();
    let mut headers = stats_headers("Week").to_vec();
    headers.push("Reviewed / sampled");
    long_table(&mut page, "Weeks", &headers, &rows, CHART_WEEKS);

    page.push_str("<h2>Weekly volume</h2>\n<p class=\"meta\">Handoffs merged per ISO week over the last 12 weeks (bars, left axis) and their median time to handoff in days (dashed line, right axis).<span class=\"key\"></span>handoffs<span class=\"key key-line\"></span>median days</p>\n");
    weekly_chart(&mut page, report, this_week);
    page.push_str("<h2>Time to handoff</h2>\n<p class=\"meta\">Days from the trigger date (the deal closing) to the merge, for handoffs with a trigger date. Each bar spans its bin on a linear day scale; its height is handoffs per day of the bin, so its area is the bin's count.</p>\n");
    time_to_handoff_chart(&mut page, &report.handoffs);
    let _ = writeln!(
        page,
        "<h2>Scores</h2>\n<p class=\"meta\">Scores when each handoff merged, in bins of ten; the dashed line is the threshold ({}).<span class=\"key\"></span>at or above<span class=\"key key-below\"></span>below the threshold</p>",
        report.threshold
    );
    score_chart(&mut page, &report.handoffs, report.threshold);

    page.push_str("<h2>Types</h2>\n");
    let mut types: Vec<(&String, &Stats)> = report.summary.by_type.iter().collect();
    types.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    let rows: Vec<Vec<String>> = types.iter().map(|(t, s)| stats_row(t, s)).collect();
    long_table(&mut page, "Types", &stats_headers("Type"), &rows, TOP_ROWS);

    page.push_str("<h2>Authors</h2>\n<p class=\"meta\">Most handoffs first.</p>\n");
    let mut authors: Vec<(&String, &Stats)> = report.summary.by_author.iter().collect();
    authors.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
    let rows: Vec<Vec<String>> = authors.iter().map(|(a, s)| stats_row(a, s)).collect();
    long_table(
        &mut page,
        "Authors",
        &stats_headers("Author"),
        &rows,
        TOP_ROWS,
    );

    let _ = write!(
        page,
        "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    );
    out.write_all(page.as_bytes())
}

fn stats_headers(first: &str) -> [&str; 12] {
    [
        first,
        "Handoffs",
        "Accepted",
        "Rate",
        "Median time to handoff",
        "Median time to accept",
        "Gate bypasses",
        "Stale",
        "Mean rating",
        "Rejected",
        "Reassigned",
        "Qualified",
    ]
}

/// The first screen: this week's numbers against the previous 4 and 12 weeks.
fn this_week_section(page: &mut String, report: &MetricsReport<'_>, week: IsoWeek) {
    let monday = week.monday();
    let weeks_before = |n: i64| monday.saturating_sub(jiff::Span::new().days(7 * n));
    let within = |from: Date, to: Date| {
        report.handoffs.iter().copied().filter(move |h| {
            let day = h.merged_week().monday();
            day >= from && day < to
        })
    };
    let end = monday.saturating_add(jiff::Span::new().days(7));
    let now = Stats::of(within(monday, end));
    let last4 = Stats::of(within(weeks_before(4), monday));
    let last12 = Stats::of(within(weeks_before(12), monday));
    // A week still under way is compared with whole ones: say how much of it has passed.
    let so_far = report
        .head
        .as_ref()
        .map(|head| utc_date(head.time))
        .filter(|today| *today >= monday && *today < week.sunday())
        .map(|today| {
            let days = (today - monday).get_days() + 1;
            format!(" So far: {days} of its 7 days, to {today}.")
        })
        .unwrap_or_default();
    let _ = writeln!(
        page,
        "<h2>This week: {week}</h2>\n<p class=\"meta\">Handoffs merged from {} to {}.{so_far}</p>",
        week.monday(),
        week.sunday()
    );
    cards(page, &now);
    let per_week = |count: usize, weeks: f64| {
        let value = count as f64 / weeks;
        if value.fract() == 0.0 {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    };
    let rows = vec![
        vec![
            "Handoffs merged (per week)".to_string(),
            now.count.to_string(),
            per_week(last4.count, 4.0),
            per_week(last12.count, 12.0),
        ],
        vec![
            "Accepted so far".to_string(),
            percent_text(now.completion_rate),
            percent_text(last4.completion_rate),
            percent_text(last12.completion_rate),
        ],
        vec![
            "Median time to handoff".to_string(),
            days_text(now.median_time_to_handoff_days),
            days_text(last4.median_time_to_handoff_days),
            days_text(last12.median_time_to_handoff_days),
        ],
        vec![
            "Gate bypasses (per week)".to_string(),
            now.below_threshold_at_merge.to_string(),
            per_week(last4.below_threshold_at_merge, 4.0),
            per_week(last12.below_threshold_at_merge, 12.0),
        ],
    ];
    table(
        page,
        "Trends",
        &[
            "Trend",
            "This week",
            "Previous 4 weeks",
            "Previous 12 weeks",
        ],
        &rows,
    );
}

/// The path (a link to the file and to its history on the forge, when known), with the title
/// and the customer under it.
fn handoff_cell(h: &HandoffRecord, links: Option<&Links>) -> String {
    let path = match links {
        Some(links) => format!(
            "<a href=\"{}\"><code>{}</code></a> <a class=\"log\" href=\"{}\">history</a>",
            escape(&links.file(&h.path)),
            escape(&h.path),
            escape(&links.history(&h.path))
        ),
        None => format!("<code>{}</code>", escape(&h.path)),
    };
    let under: Vec<&str> = [h.title.as_deref(), h.customer.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    // A title often names the customer already: shown once.
    let under = match under.as_slice() {
        [title, customer] if title.contains(customer) => vec![*title],
        _ => under,
    };
    if under.is_empty() {
        return path;
    }
    format!(
        "{path}<span class=\"sub\">{}</span>",
        escape(&under.join(" · "))
    )
}

/// The commit a handoff landed in (a short id) and the pull request its message names, each
/// linked to the forge when known.
fn commit_cell(h: &HandoffRecord, links: Option<&Links>) -> String {
    let commit = short_commit(&h.merged_commit);
    let Some(links) = links else {
        return format!("<code>{commit}</code>");
    };
    let mut cell = format!(
        "<a href=\"{}\"><code>{commit}</code></a>",
        escape(&links.commit(&h.merged_commit))
    );
    if let Some(number) = h.pull_request {
        let _ = write!(
            cell,
            " <a class=\"pr\" href=\"{}\">#{number}</a>",
            escape(&links.forge.pull_request(number))
        );
    }
    cell
}

/// "1 handoff", "2 handoffs".
fn handoffs_text(count: usize) -> String {
    if count == 1 {
        "1 handoff".to_string()
    } else {
        format!("{count} handoffs")
    }
}

fn score_text(score: u32, threshold: u32) -> String {
    if score < threshold {
        format!("{score} (below {threshold})")
    } else {
        score.to_string()
    }
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
        (super::rating_text(stats.median_rating), "median rating"),
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
        escape(&super::rating_text(s.mean_rating)),
        s.rejected.to_string(),
        s.reassigned.to_string(),
        percent_text(s.qualified_rate),
    ]
}

/// A table of already escaped cells showing the first `top` rows; up to [`MORE_ROWS`] more
/// sit behind a closed `<details>`, and beyond those a note says how many are left out and
/// where to find them. "None." when there are no rows. `name` labels the scrolling regions
/// (unique per page). The whole sits in a `.rows` group, to which the script adds a filter
/// box and sortable columns over the open and the folded rows together.
fn long_table(page: &mut String, name: &str, headers: &[&str], rows: &[Vec<String>], top: usize) {
    if rows.is_empty() {
        page.push_str("<p class=\"none\">None.</p>\n");
        return;
    }
    let _ = writeln!(page, "<div class=\"rows\" data-name=\"{}\">", escape(name));
    long_table_rows(page, name, headers, rows, top);
    page.push_str("</div>\n");
}

fn long_table_rows(
    page: &mut String,
    name: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    top: usize,
) {
    let (shown, rest) = rows.split_at(top.min(rows.len()));
    table(page, name, headers, shown);
    if rest.is_empty() {
        return;
    }
    let (more, left_out) = rest.split_at(MORE_ROWS.min(rest.len()));
    let _ = writeln!(
        page,
        "<details class=\"more\"><summary>{} more of {} ({})</summary>",
        more.len(),
        rows.len(),
        escape(name)
    );
    table(page, &format!("{name}, more rows"), headers, more);
    if !left_out.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"none\">{} more not shown here: <code>handoff metrics --format csv</code> lists every handoff.</p>",
            left_out.len()
        );
    }
    page.push_str("</details>\n");
}

/// A table of already escaped cells in a wrapper that scrolls sideways on narrow screens.
fn table(page: &mut String, name: &str, headers: &[&str], rows: &[Vec<String>]) {
    let _ = write!(
        page,
        "<div class=\"scroll\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">\n<table>\n<thead><tr>",
        escape(name)
    );
    for header in headers {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape(header));
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        page.push_str("<tr>");
        for cell in row {
            let _ = write!(page, "<td>{cell}</td>");
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</div>\n");
}

/// A chart's data as a table behind a closed `<details>` (the text alternative).
fn data_table(page: &mut String, name: &str, headers: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(
        page,
        "<details class=\"data\"><summary>{} as a table</summary>",
        escape(name)
    );
    table(page, &format!("{name} data"), headers, rows);
    page.push_str("</details>\n");
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
    let early = days.iter().filter(|d| **d < 0.0).count();
    let mut bars = Vec::new();
    let mut rows = Vec::new();
    if early > 0 {
        rows.push(vec![
            "before the trigger date".to_string(),
            early.to_string(),
        ]);
    }
    let mut open_ended = 0;
    for (from, to, label) in TIME_TO_HANDOFF_BINS {
        let count = days.iter().filter(|d| **d >= from && **d < to).count();
        rows.push(vec![format!("{label} days"), count.to_string()]);
        if to.is_finite() {
            let mut bar = Bar::new(&format!("{label} days"), count as f64 / (to - from));
            bar.span = Some((from, to));
            bar.title = format!("{label} days: {}", handoffs_text(count));
            bars.push(bar);
        } else {
            open_ended = count;
        }
    }
    let chart = Chart {
        name: "Time to handoff",
        bars,
        x: XAxis::Linear {
            max: 30.0,
            ticks: &[0.0, 1.0, 2.0, 3.0, 5.0, 7.0, 14.0, 30.0],
        },
        x_label: "days from trigger to merge",
        y_label: "handoffs per day of bin",
        integer: false,
        line: None,
        marker: None,
    };
    page.push_str(&chart.svg());
    let mut note =
        format!("Not drawn (no width on this scale): {open_ended} handoffs took 30 days or more");
    if early > 0 {
        let _ = write!(note, "; {early} merged before their trigger date");
    }
    let _ = writeln!(page, "<p class=\"meta\">{note}.</p>");
    data_table(page, "Time to handoff", &["Days", "Handoffs"], &rows);
}

fn weekly_chart(page: &mut String, report: &MetricsReport<'_>, last: Option<IsoWeek>) {
    let Some(last) = last.filter(|_| !report.handoffs.is_empty()) else {
        page.push_str("<p class=\"none\">No handoffs.</p>\n");
        return;
    };
    let weeks = &report.summary.by_week;
    let mut monday = last
        .monday()
        .saturating_sub(jiff::Span::new().days(7 * (CHART_WEEKS as i64 - 1)));
    let mut bars = Vec::new();
    let mut medians = Vec::new();
    let mut rows = Vec::new();
    let mut previous_year = None;
    // Every week of the last twelve, so quiet weeks show as gaps rather than vanish.
    for _ in 0..CHART_WEEKS {
        let week = IsoWeek::of(monday);
        let name = week.to_string();
        let stats = weeks.get(&name);
        let count = stats.map_or(0, |w| w.stats.count);
        let median = stats.and_then(|w| w.stats.median_time_to_handoff_days);
        // Short labels (W37), with the year under the first week and where it changes.
        let (year, number) = name.split_once('-').unwrap_or(("", &name));
        let mut bar = Bar::new(number, count as f64);
        if previous_year != Some(year.to_string()) {
            bar.sublabel = Some(year.to_string());
            previous_year = Some(year.to_string());
        }
        bar.title = format!("{name}: {}", handoffs_text(count));
        bars.push(bar);
        medians.push(median);
        rows.push(vec![name, count.to_string(), days_text(median)]);
        if week >= last {
            break;
        }
        match monday.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => monday = next,
            Err(_) => break,
        }
    }
    let chart = Chart {
        name: "Weekly volume",
        bars,
        x: XAxis::Slots,
        x_label: "ISO week merged",
        y_label: "handoffs",
        integer: true,
        line: Some(Line {
            values: medians,
            label: "median days",
        }),
        marker: None,
    };
    page.push_str(&chart.svg());
    rows.reverse();
    data_table(
        page,
        "Weekly volume",
        &["Week", "Handoffs", "Median time to handoff"],
        &rows,
    );
}

fn score_chart(page: &mut String, handoffs: &[&HandoffRecord], threshold: u32) {
    if handoffs.is_empty() {
        page.push_str("<p class=\"none\">No handoffs.</p>\n");
        return;
    }
    let bin = |score: u32| (score.min(100) as usize / 10).min(9);
    let mut at_merge = [0usize; 10];
    let mut now = [0usize; 10];
    for handoff in handoffs {
        at_merge[bin(handoff.score_at_merge)] += 1;
        now[bin(handoff.score)] += 1;
    }
    let label = |i: usize| {
        if i == 9 {
            "90–100".to_string()
        } else {
            format!("{}–{}", i * 10, i * 10 + 9)
        }
    };
    let bars = at_merge
        .iter()
        .enumerate()
        .map(|(i, count)| {
            let mut bar = Bar::new(&label(i), *count as f64);
            bar.span = Some(((i * 10) as f64, (i * 10 + 10) as f64));
            bar.below = (i as u32 + 1) * 10 <= threshold;
            bar.title = format!(
                "score {}: {} at merge{}",
                label(i),
                handoffs_text(*count),
                if bar.below {
                    ", below the threshold"
                } else {
                    ""
                }
            );
            bar
        })
        .collect();
    let chart = Chart {
        name: "Scores at merge",
        bars,
        x: XAxis::Linear {
            max: 100.0,
            ticks: &[
                0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0,
            ],
        },
        x_label: "score at merge",
        y_label: "handoffs",
        integer: true,
        line: None,
        marker: Some(Marker {
            at: f64::from(threshold.min(100)),
            label: format!("threshold {threshold}"),
        }),
    };
    page.push_str(&chart.svg());
    let rows: Vec<Vec<String>> = (0..10)
        .map(|i| vec![label(i), at_merge[i].to_string(), now[i].to_string()])
        .collect();
    data_table(page, "Scores", &["Score", "At merge", "Now"], &rows);
}

struct Bar {
    label: String,
    /// A second label line under the first (the year under a week).
    sublabel: Option<String>,
    value: f64,
    /// The tooltip text.
    title: String,
    /// Where it spans on a [`XAxis::Linear`] axis.
    span: Option<(f64, f64)>,
    /// Drawn hatched (scores below the threshold).
    below: bool,
}

impl Bar {
    fn new(label: &str, value: f64) -> Bar {
        Bar {
            label: label.to_string(),
            sublabel: None,
            value,
            title: format!("{label}: {}", format_number(value)),
            span: None,
            below: false,
        }
    }
}

/// A second series drawn as a line over the bars, on its own scale (right axis).
struct Line {
    values: Vec<Option<f64>>,
    label: &'static str,
}

/// A vertical line at a position on the x axis (in bars from the left edge on a slot axis).
struct Marker {
    at: f64,
    label: String,
}

enum XAxis {
    /// One equal slot per bar, labelled under its middle.
    Slots,
    /// A linear scale from 0 to `max`; bars span their `span`, ticks at the given values.
    Linear { max: f64, ticks: &'static [f64] },
}

struct Chart {
    name: &'static str,
    bars: Vec<Bar>,
    x: XAxis,
    x_label: &'static str,
    y_label: &'static str,
    /// Counts: ticks at whole numbers only.
    integer: bool,
    line: Option<Line>,
    marker: Option<Marker>,
}

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 48.0;
const TOP: f64 = 44.0;
const BOTTOM: f64 = 64.0;
/// Width of a character of the 13 px label font, generously (for collision avoidance).
const CHAR_WIDTH: f64 = 8.0;

impl Chart {
    fn svg(&self) -> String {
        let plot_width = WIDTH - LEFT - RIGHT;
        let plot_height = HEIGHT - TOP - BOTTOM;
        let base = TOP + plot_height;
        let n = self.bars.len().max(1) as f64;
        let slot = plot_width / n;
        let top_value = self.bars.iter().map(|b| b.value).fold(0.0, f64::max);
        let (max, step) = axis(top_value, self.integer);
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            "<div class=\"chart\" role=\"region\" aria-label=\"{} chart\" tabindex=\"0\">",
            self.name
        );
        let summary: Vec<String> = self.bars.iter().map(|b| escape(&b.title)).collect();
        let _ = writeln!(
            svg,
            "<svg viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{}: {}\">",
            self.name,
            summary.join("; ")
        );
        if self.bars.iter().any(|b| b.below) {
            svg.push_str("<defs><pattern id=\"below-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#fff\"/><line class=\"hatch\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs>\n");
        }
        let steps = (max / step).round() as usize;
        for k in 0..=steps {
            let value = step * k as f64;
            let y = base - plot_height * value / max;
            let _ = writeln!(
                svg,
                "<line class=\"grid\" x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/><text class=\"label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                LEFT + plot_width,
                LEFT - 6.0,
                y + 4.0,
                format_number(value)
            );
        }
        let x_of = |days: f64, max_days: f64| LEFT + plot_width * days / max_days;
        for (i, bar) in self.bars.iter().enumerate() {
            let height = if max > 0.0 {
                plot_height * bar.value / max
            } else {
                0.0
            };
            let (x, width) = match (&self.x, bar.span) {
                (XAxis::Linear { max: max_days, .. }, Some((from, to))) => {
                    let x0 = x_of(from, *max_days);
                    let x1 = x_of(to, *max_days);
                    (x0 + 0.5, (x1 - x0 - 1.0).max(0.5))
                }
                _ => (LEFT + slot * i as f64 + slot * 0.1, (slot * 0.8).max(0.5)),
            };
            let class = if bar.below { "bar-below" } else { "bar" };
            let _ = writeln!(
                svg,
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{height:.1}\"><title>{}</title></rect>",
                base - height,
                escape(&bar.title)
            );
        }
        match &self.x {
            XAxis::Slots => {
                // Thin the labels so that none overlaps its neighbour.
                let widest = self
                    .bars
                    .iter()
                    .map(|b| {
                        b.label
                            .chars()
                            .count()
                            .max(b.sublabel.as_ref().map_or(0, |s| s.chars().count()))
                    })
                    .max()
                    .unwrap_or(1) as f64;
                let every = ((widest * CHAR_WIDTH + 6.0) / slot).ceil().max(1.0) as usize;
                for (i, bar) in self.bars.iter().enumerate() {
                    let x = LEFT + slot * (i as f64 + 0.5);
                    if i % every == 0 {
                        let _ = writeln!(
                            svg,
                            "<text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                            base + 18.0,
                            escape(&bar.label)
                        );
                    }
                    if let Some(sub) = &bar.sublabel {
                        let _ = writeln!(
                            svg,
                            "<text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                            base + 34.0,
                            escape(sub)
                        );
                    }
                }
            }
            XAxis::Linear {
                max: max_days,
                ticks,
            } => {
                let mut last_end = f64::NEG_INFINITY;
                for tick in ticks.iter() {
                    let x = x_of(*tick, *max_days);
                    let text = format_number(*tick);
                    let half = text.chars().count() as f64 * CHAR_WIDTH / 2.0;
                    let _ = writeln!(
                        svg,
                        "<line class=\"axis\" x1=\"{x:.1}\" y1=\"{base:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\"/>",
                        base + 5.0
                    );
                    if x - half >= last_end + 2.0 {
                        let _ = writeln!(
                            svg,
                            "<text class=\"label\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{text}</text>",
                            base + 18.0
                        );
                        last_end = x + half;
                    }
                }
            }
        }
        let _ = writeln!(
            svg,
            "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base:.1}\" x2=\"{:.1}\" y2=\"{base:.1}\"/>",
            LEFT + plot_width
        );
        let _ = writeln!(
            svg,
            "<text class=\"legend\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text><text class=\"legend\" x=\"4\" y=\"16\">{}</text>",
            LEFT + plot_width / 2.0,
            HEIGHT - 8.0,
            self.x_label,
            self.y_label
        );
        if let Some(line) = &self.line {
            // Its ticks sit on the left axis' grid lines: as many steps, each a round number.
            let line_top = line.values.iter().flatten().fold(0.0_f64, |a, b| a.max(*b));
            let line_steps = steps.max(1);
            let line_max = nice_max(line_top / line_steps as f64) * line_steps as f64;
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
                            "<circle class=\"dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\"><title>{}: median {v:.2} days</title></circle>",
                            escape(self.bars.get(i).map_or("", |b| b.title.as_str()))
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
            for k in 0..=line_steps {
                let value = line_max * k as f64 / line_steps as f64;
                let y = base - plot_height * k as f64 / line_steps as f64;
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
                "<text class=\"legend-line\" x=\"{:.1}\" y=\"16\" text-anchor=\"end\">{}</text>",
                WIDTH - 4.0,
                line.label
            );
        }
        if let Some(marker) = &self.marker {
            let x = match &self.x {
                XAxis::Linear { max, .. } => x_of(marker.at.clamp(0.0, *max), *max),
                XAxis::Slots => LEFT + slot * marker.at,
            };
            let width = marker.label.chars().count() as f64 * CHAR_WIDTH;
            // The label sits in its own row above the plot, on the side with room.
            let (label_x, anchor) = if x + 4.0 + width <= WIDTH {
                (x + 4.0, "start")
            } else {
                (x - 4.0, "end")
            };
            let _ = writeln!(
                svg,
                "<line class=\"threshold\" x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{base:.1}\"/><text class=\"legend\" x=\"{label_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
                TOP - 8.0,
                TOP - 10.0,
                escape(&marker.label)
            );
        }
        svg.push_str("</svg>\n</div>\n");
        svg
    }
}

/// An axis top and tick step for values up to `value`: steps of 1, 2 or 5 × 10^k, at most
/// five of them; whole numbers only when `integer` (counts).
fn axis(value: f64, integer: bool) -> (f64, f64) {
    let value = if value.is_finite() {
        value.max(0.0)
    } else {
        0.0
    };
    if value == 0.0 {
        return (1.0, if integer { 1.0 } else { 0.25 });
    }
    let raw = value / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    if integer {
        step = step.max(1.0).round();
    }
    let top = (value / step).ceil().max(1.0) * step;
    (top, step)
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (at least 1), for axis steps.
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
    } else if (value * 10.0).fract().abs() < 1e-9 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod chart_tests {
    use super::*;

    #[test]
    fn count_axes_have_whole_number_steps_of_1_2_or_5() {
        assert_eq!(axis(0.0, true), (1.0, 1.0));
        assert_eq!(axis(1.0, true), (1.0, 1.0));
        assert_eq!(axis(3.0, true), (3.0, 1.0));
        assert_eq!(axis(7.0, true), (8.0, 2.0));
        assert_eq!(axis(12.0, true), (15.0, 5.0));
        assert_eq!(axis(480.0, true), (500.0, 100.0));
        // Densities may be fractional.
        let (max, step) = axis(0.6, false);
        assert!((max - 0.6).abs() < 1e-9 && (step - 0.2).abs() < 1e-9);
        for top in 1..500 {
            let (max, step) = axis(f64::from(top), true);
            assert!(step >= 1.0 && step.fract() == 0.0, "{top}");
            assert!(
                max >= f64::from(top) && (max / step).round() <= 6.0,
                "{top}"
            );
        }
    }

    #[test]
    fn a_long_table_keeps_the_page_small_past_its_details() {
        let rows: Vec<Vec<String>> = (0..600).map(|i| vec![i.to_string()]).collect();
        let mut page = String::new();
        long_table(&mut page, "Stale", &["N"], &rows, TOP_ROWS);
        assert_eq!(page.matches("<tr><td>").count(), TOP_ROWS + MORE_ROWS);
        assert!(page.contains("<summary>500 more of 600 (Stale)</summary>"));
        assert!(page.contains("80 more not shown here"));
        assert!(!page.contains("<td>520</td>"));
        let mut page = String::new();
        long_table(&mut page, "Stale", &["N"], &rows[..3], TOP_ROWS);
        assert!(!page.contains("<details"));
    }

    #[test]
    fn histogram_bars_are_as_wide_as_their_bins() {
        let chart = Chart {
            name: "t",
            bars: TIME_TO_HANDOFF_BINS[..7]
                .iter()
                .map(|(from, to, label)| {
                    let mut bar = Bar::new(label, 1.0);
                    bar.span = Some((*from, *to));
                    bar
                })
                .collect(),
            x: XAxis::Linear {
                max: 30.0,
                ticks: &[0.0, 30.0],
            },
            x_label: "x",
            y_label: "y",
            integer: false,
            line: None,
            marker: None,
        };
        let svg = chart.svg();
        let widths: Vec<f64> = svg
            .match_indices("width=\"")
            .filter_map(|(at, _)| {
                let rest = &svg[at + 7..];
                rest[..rest.find('"')?].parse().ok()
            })
            .collect();
        let px_per_day = (WIDTH - LEFT - RIGHT) / 30.0;
        // 14–30 is sixteen times as wide as 0–1.
        let narrow = px_per_day - 1.0;
        let wide = px_per_day * 16.0 - 1.0;
        assert!(
            widths.iter().any(|w| (w - narrow).abs() < 0.11),
            "{widths:?}"
        );
        assert!(widths.iter().any(|w| (w - wide).abs() < 0.11), "{widths:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256 (FIPS 180-4), for checking the hard-coded CSP hash (no dependency has one).
    fn sha256(data: &[u8]) -> [u8; 32] {
        const K: [u32; 64] = [
            0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
            0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
            0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
            0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
            0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
            0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
            0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
            0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
            0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
            0xc67178f2,
        ];
        let mut h: [u32; 8] = [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ];
        let mut message = data.to_vec();
        message.push(0x80);
        while message.len() % 64 != 56 {
            message.push(0);
        }
        message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
        for block in message.chunks(64) {
            let mut w = [0u32; 64];
            for (i, word) in block.chunks(4).enumerate() {
                w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
            }
            for i in 16..64 {
                let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
                let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
                w[i] = w[i - 16]
                    .wrapping_add(s0)
                    .wrapping_add(w[i - 7])
                    .wrapping_add(s1);
            }
            let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
            for i in 0..64 {
                let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
                let choice = (e & f) ^ (!e & g);
                let t1 = hh
                    .wrapping_add(s1)
                    .wrapping_add(choice)
                    .wrapping_add(K[i])
                    .wrapping_add(w[i]);
                let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
                let majority = (a & b) ^ (a & c) ^ (b & c);
                let t2 = s0.wrapping_add(majority);
                hh = g;
                g = f;
                f = e;
                e = d.wrapping_add(t1);
                d = c;
                c = b;
                b = a;
                a = t1.wrapping_add(t2);
            }
            for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
                *state = state.wrapping_add(value);
            }
        }
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_mut(4).zip(h) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }

    fn base64(data: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in data.chunks(3) {
            let bytes = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = u32::from_be_bytes([0, bytes[0], bytes[1], bytes[2]]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    #[test]
    fn the_csp_hash_is_the_scripts_sha256() {
        // Known answers first, so that a wrong SHA-256 cannot agree with a wrong constant.
        assert_eq!(
            base64(&sha256(b"")),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
        );
        assert_eq!(
            base64(&sha256(b"abc")),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        assert_eq!(base64(&sha256(SCRIPT.as_bytes())), SCRIPT_SHA256);
        // The page carries the script as is, under the policy that names its hash.
        let page = format!("<script>{SCRIPT}</script>");
        assert!(!SCRIPT.contains("</script") && page.len() == SCRIPT.len() + 17);
    }

    #[test]
    fn axis_tops_are_round_numbers() {
        assert_eq!(nice_max(0.0), 1.0);
        assert_eq!(nice_max(3.0), 5.0);
        assert_eq!(nice_max(7.0), 10.0);
        assert_eq!(nice_max(12.0), 20.0);
        assert_eq!(nice_max(21.0), 25.0);
        assert_eq!(nice_max(250.0), 250.0);
    }
}
