//! `metrics --format html` at scale (issue 15 §1): the page leads with this week and what needs
//! action, long tables show their top rows with the rest behind `<details>`, sorted by what
//! matters, weeks newest first, count axes with whole-number ticks, a text alternative per
//! chart. (The rendering itself is checked in headless Chromium by `tests/browser/run.sh`.)

use crate::util::{spec_sales_cs, GitRepo, DEV};

/// Thirty submitted handoffs merged a day apart from 2026-06-01 (h00 first), a third of them by
/// Zed Most, the others by an author each; the head is a docs commit on 2026-11-02 (2026-W45),
/// so every one is stale and none merged this week.
fn long_history() -> GitRepo {
    let history = GitRepo::new();
    let start: jiff::civil::Date = "2026-06-01".parse().unwrap();
    for i in 0..30 {
        let author = if i % 3 == 0 {
            "Zed Most".to_string()
        } else {
            format!("Ann {i:02}")
        };
        let yaml = spec_sales_cs()
            .replacen(
                "title: Acme Corp — Sales to CS",
                &format!("title: Handoff {i:02}"),
                1,
            )
            .replacen(
                "from: {name: Jane Doe,",
                &format!("from: {{name: {author},"),
                1,
            )
            .replacen("date: 2026-10-30", "date: 2026-05-25", 1);
        let day = start.checked_add(jiff::Span::new().days(i)).unwrap();
        history.commit(
            &format!("{day}T10:00:00Z"),
            &format!("h{i:02}"),
            &[(&format!("handoffs/sales-cs/h{i:02}.yaml"), Some(&yaml))],
        );
    }
    history.commit(
        "2026-11-02T09:00:00Z",
        "Docs",
        &[("README.md", Some("x\n"))],
    );
    history
}

fn html(history: &GitRepo) -> String {
    let run = history.run(&["metrics", "--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

/// The text between `from` and the next `to`.
fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("{from} missing"));
    let rest = &html[start..];
    &rest[..rest.find(to).unwrap_or(rest.len())]
}

#[test]
fn the_page_leads_with_this_week_and_what_needs_action() {
    let html = html(&long_history());
    assert!(html.contains("<main>") && html.contains("</main>"));
    let order = [
        "<h2>This week: 2026-W45</h2>",
        "<h2>Lowest scores this week</h2>",
        "<h2>Gate bypasses</h2>",
        "<h2>Stale handoffs</h2>",
        "<h2>Weeks</h2>",
        "<h2>Weekly volume</h2>",
        "<h2>Time to handoff</h2>",
        "<h2>Scores</h2>",
        "<h2>Types</h2>",
        "<h2>Authors</h2>",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| html.find(h).unwrap_or_else(|| panic!("{h} missing")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
    // This week against the previous 4 and 12: nothing merged in W45, nor in the 4 weeks
    // before; 30 handoffs ended on 06-30, more than 12 weeks before.
    let trends = between(&html, "<h2>This week", "<h2>All handoffs</h2>");
    assert!(trends.contains("<td>Handoffs merged (per week)</td><td>0</td><td>0</td><td>0</td>"));
    assert!(between(&html, "<h2>Lowest scores this week</h2>", "<h2>Gate").contains("None."));
    // The print stylesheet drops the long tables.
    assert!(html.contains("@media print{") && html.contains("details,.no-print{display:none}"));
}

#[test]
fn long_tables_show_the_top_rows_sorted_by_what_matters_and_the_rest_behind_details() {
    let html = html(&long_history());
    // Stale: longest waiting first, 20 rows open, 10 behind a closed <details>.
    let stale = between(&html, "<h2>Stale handoffs</h2>", "<h2>Weeks</h2>");
    let (open, more) = stale.split_at(stale.find("<details").expect("details"));
    assert_eq!(open.matches("<tr><td>").count(), 20);
    assert_eq!(more.matches("<tr><td>").count(), 10);
    assert!(more
        .starts_with("<details class=\"more\"><summary>10 more of 30 (Stale handoffs)</summary>"));
    let first = &open[open.find("<tr><td>").unwrap()..];
    assert!(
        // Title and customer under the path; the receiver to chase before the author.
        first.starts_with("<tr><td><code>handoffs/sales-cs/h00.yaml</code><span class=\"sub\">Handoff 00 · Acme Corp</span></td><td>Sam Lee</td><td>Zed Most</td><td>2026-06-01</td><td>153.96 d</td>"),
        "{}",
        &first[..200.min(first.len())]
    );
    assert!(more.contains("h29.yaml"));
    assert!(!open.contains("h29.yaml"));
    // Authors: most handoffs first (Zed Most sorts last by name), 20 of 21 open.
    let authors = between(&html, "<h2>Authors</h2>", "</main>");
    let first = &authors[authors.find("<tr><td>").unwrap()..];
    assert!(
        first.starts_with("<tr><td>Zed Most</td><td>10</td>"),
        "{}",
        &first[..80]
    );
    assert!(authors.contains("<summary>1 more of 21 (Authors)</summary>"));
    // Weeks: newest first (the last merge is 2026-06-30, in W27).
    let weeks = between(&html, "<h2>Weeks</h2>", "<h2>Weekly volume</h2>");
    assert!(weeks.find("<td>2026-W27</td>").unwrap() < weeks.find("<td>2026-W23</td>").unwrap());
}

#[test]
fn charts_have_whole_number_count_ticks_and_a_data_table_each() {
    let html = html(&long_history());
    assert_eq!(html.matches("<svg").count(), 3);
    assert_eq!(html.matches(" as a table</summary>").count(), 3);
    // Every chart is an image with its values in words.
    assert_eq!(
        html.matches("<svg viewBox=\"0 0 600 300\" role=\"img\" aria-label=\"")
            .count(),
        3
    );
    // The scores chart: 30 handoffs, all scoring 100 at merge, ticks 0, 10, 20, 30.
    let scores = between(&html, "<h2>Scores</h2>", "</svg>");
    let ticks: Vec<&str> = scores
        .match_indices("text-anchor=\"end\">")
        .map(|(at, m)| {
            let rest = &scores[at + m.len()..];
            &rest[..rest.find('<').unwrap()]
        })
        .collect();
    assert_eq!(ticks, ["0", "10", "20", "30"]);
    assert!(scores.contains("class=\"threshold\""));
    assert!(scores.contains("threshold 70"));
    // The weekly chart shows the last 12 weeks, W34 to W45, labelled without the year but
    // under the first one.
    let weekly = between(&html, "<h2>Weekly volume</h2>", "</svg>");
    assert!(weekly.contains(">W34</text>") && weekly.contains(">W45</text>"));
    assert!(!weekly.contains(">W33</text>"));
    assert_eq!(weekly.matches(">2026</text>").count(), 1);
    // Histogram: 7.4 to 36.4 days, so 7 in 7–14, 16 in 14–30 and 7 beyond 30 (in the table).
    let histogram = between(&html, "<h2>Time to handoff</h2>", "</details>");
    assert!(
        histogram.contains("<title>7–14 days: 7 handoffs</title>"),
        "{histogram}"
    );
    assert!(histogram.contains("<td>30+ days</td><td>7</td>"));
}

/// One thin handoff (below the gate) that lands on 2026-11-03 through GitHub's merge of pull
/// request #7, after a full one committed straight to `main`, optionally with `origin` on
/// GitHub.
fn merged_pull_request(origin: Option<&str>) -> GitRepo {
    let history = GitRepo::new();
    if let Some(url) = origin {
        history.git.remote("origin", url).expect("remote");
    }
    history.commit(
        "2026-11-02T10:00:00Z",
        "Add Acme",
        &[("handoffs/sales-cs/acme.yaml", Some(&spec_sales_cs()))],
    );
    let thin = "type: sales-cs\nstatus: submitted\ntitle: Thin Co — Sales to CS\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\n";
    let files = [("handoffs/sales-cs/thin.yaml", Some(thin))];
    history.branch("thin");
    let side = history.commit_as(DEV, "2026-11-03T09:00:00Z", "Add Thin Co", &files);
    history.checkout("main");
    history.merge_as(
        DEV,
        "2026-11-03T10:00:00Z",
        "Merge pull request #7 from acme/thin\n\nAdd Thin Co",
        &files,
        side,
    );
    history
}

#[test]
fn paths_commits_and_pull_requests_link_to_the_forge_of_origin() {
    let history = merged_pull_request(Some("git@github.com:acme/handoffs.git"));
    let html = html(&history);
    let head = history.head().to_string();
    let file = format!(
        "<a href=\"https://github.com/acme/handoffs/blob/{head}/handoffs/sales-cs/thin.yaml\"><code>handoffs/sales-cs/thin.yaml</code></a> <a class=\"log\" href=\"https://github.com/acme/handoffs/commits/{head}/handoffs/sales-cs/thin.yaml\">history</a>"
    );
    let landed = format!(
        "<a href=\"https://github.com/acme/handoffs/commit/{head}\"><code>{}</code></a> <a class=\"pr\" href=\"https://github.com/acme/handoffs/pull/7\">#7</a>",
        &head[..7]
    );
    // This week's lowest scores and the gate bypasses: the file, the commit and the pull
    // request it landed through.
    for section in [
        between(&html, "<h2>Lowest scores this week</h2>", "<h2>Gate"),
        between(&html, "<h2>Gate bypasses</h2>", "<h2>Stale"),
    ] {
        assert!(section.contains(&file), "{section}");
        assert!(section.contains(&landed), "{section}");
    }
    // Acme landed straight on main: its commit, no pull request.
    let lowest = between(&html, "<h2>Lowest scores this week</h2>", "<h2>Gate");
    assert_eq!(lowest.matches("class=\"pr\"").count(), 1);

    // Without a forge: the same cells in plain text, no pull request number.
    let plain = self::html(&merged_pull_request(Some(
        "https://git.example.com/acme/handoffs.git",
    )));
    assert!(!plain.contains("<a "), "no links without a known forge");
    assert!(!plain.contains("#7"));
    let bypasses = between(&plain, "<h2>Gate bypasses</h2>", "<h2>Stale");
    assert!(bypasses.contains("<td><code>handoffs/sales-cs/thin.yaml</code><span class=\"sub\">Thin Co — Sales to CS</span></td>"), "{bypasses}");
}

#[test]
fn one_script_allowed_by_its_hash_adds_filters_and_sorting_to_the_long_tables() {
    let html = html(&long_history());
    // The policy allows nothing but inline styles and the one script, named by its hash.
    let policy = between(
        &html,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"",
        "\">",
    );
    assert!(
        policy.starts_with(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"
        ),
        "{policy}"
    );
    assert!(html.find(policy).unwrap() < html.find("<style>").unwrap());
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("</main>\n<script>"), "after the content");
    for handler in [" onclick=", " oninput=", " onload=", "javascript:"] {
        assert!(!html.contains(handler), "{handler}");
    }
    // The page reads fully without it: every row is in the markup, and the controls are
    // made by the script (none in the markup).
    assert!(!html.contains("<input") && !html.contains("<button"));
    // Each long table is a group the script enhances, named for its filter box.
    for name in ["Stale handoffs", "Weeks", "Types", "Authors"] {
        assert!(
            html.contains(&format!("<div class=\"rows\" data-name=\"{name}\">")),
            "{name}"
        );
    }
    // The trends are a fixed table, not a group.
    assert!(!html.contains("data-name=\"Trends\""));
}
