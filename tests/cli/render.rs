//! `handoff render`: each type's Markdown and HTML (snapshots of the repository's own
//! examples), hostile text rendered inert, the Missing list, template overrides and their
//! errors, output to a file or a folder.

use std::process::Output;

use crate::util::{project_root, spec_sales_cs, Repo};

/// One example per type, from the repository's own `handoffs/`.
const EXAMPLES: [(&str, &str); 5] = [
    ("sdr-ae", "handoffs/sdr-ae/northwind-freight.yaml"),
    ("sales-cs", "handoffs/sales-cs/northwind-freight.yaml"),
    ("ae-se", "handoffs/ae-se/kestrel-analytics.yaml"),
    (
        "sales-implementation",
        "handoffs/sales-implementation/copperleaf-manufacturing.yaml",
    ),
    ("cs-sales", "handoffs/cs-sales/granite-peak-software.yaml"),
];

/// Fixed "today", so age-based findings cannot change the snapshots.
const NOW: &str = "2026-12-01";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Renders one file of `repo` to standard output; returns (exit code, stdout, stderr).
fn render(repo: &Repo, path: &str, format: &str) -> (i32, String, String) {
    let output = repo
        .cmd()
        .args(["render", path, "--format", format, "--now", NOW])
        .output()
        .expect("run");
    (
        output.status.code().expect("exit code"),
        stdout(&output),
        stderr(&output),
    )
}

fn render_example(path: &str, format: &str) -> String {
    let output = assert_cmd::Command::cargo_bin("handoff")
        .expect("binary")
        .current_dir(project_root())
        .args(["render", path, "--format", format, "--now", NOW])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn each_type_renders_to_markdown() {
    for (handoff_type, path) in EXAMPLES {
        let markdown = render_example(path, "md");
        insta::assert_snapshot!(format!("render_md_{handoff_type}"), markdown);
    }
}

#[test]
fn each_type_renders_to_one_html_page() {
    for (handoff_type, path) in EXAMPLES {
        let html = render_example(path, "html");
        assert!(html.starts_with("<!DOCTYPE html>"), "{path}");
        assert_eq!(html.matches("<h1>").count(), 1, "{path}");
        insta::assert_snapshot!(format!("render_html_{handoff_type}"), html);
    }
}

#[test]
fn markdown_is_a_pull_request_body_that_opens_with_the_verdict() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    let (code, markdown, _) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 0);
    let lines: Vec<&str> = markdown.lines().collect();
    assert_eq!(lines[0], "# Customer Handoff: Acme Corp");
    assert_eq!(
        lines[2],
        "> **Handoff score: 100/100 — PASS** (threshold 70, playbook sales-cs@1)"
    );
    assert!(markdown.contains("**Missing:** nothing — every section is complete."));
    assert!(markdown
        .contains("**AE:** Jane Doe | **CSM:** Sam Lee | **Date:** 2026-10-30\\\n**Deal Size:** $120,000 | **Contract Start:** 2026-12-01 | **Term:** 12 months\n"));
    assert!(markdown.contains(
        "| Budget owner changes in January | 🔴 high | Meet the new CFO in the first month |"
    ));
    assert!(markdown.contains("1. Onboard 500 users by March 31\n2. Cut reporting time by half\n3. Weekly active use above 80%\n"));
    assert!(markdown
        .contains("> In their words: we need every rep on one workflow before the Q1 kickoff\n"));
    for wrapper in ["<html", "<body", "<!DOCTYPE"] {
        assert!(!markdown.contains(wrapper), "{wrapper}");
    }
}

#[test]
fn a_partial_handoff_lists_the_sections_and_fields_still_missing() {
    let repo = Repo::new();
    let yaml = spec_sales_cs()
        .replace("go_live: 2027-01-15", "go_live:")
        .replace("constraints: EU data residency", "constraints: TBD")
        .replace(
            "success_criteria: [Onboard 500 users by March 31, Cut reporting time by half, Weekly active use above 80%]",
            "success_criteria: [Onboard 500 users by March 31]",
        );
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let (code, markdown, _) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 0);
    // expectations and technical partial: 100 - 12.5 - 7.5 = 80.
    assert!(
        markdown.contains("> **Handoff score: 80/100 — PASS** (threshold 70, playbook sales-cs@1)"),
        "{markdown}"
    );
    assert!(
        markdown.contains("**Missing** — still to fill in:\n- **Expectations \\& success criteria** (partial, 25 points): "),
        "{markdown}"
    );
    assert!(
        markdown.contains("`expectations.success_criteria` — 1 of 3 items"),
        "{markdown}"
    );
    assert!(
        markdown.contains("`expectations.go_live` — empty"),
        "{markdown}"
    );
    assert!(
        markdown.contains(
            "- **Technical requirements** (partial, 15 points): `technical.constraints` — placeholder \"TBD\"\n"
        ),
        "{markdown}"
    );
    assert!(
        !markdown.contains("**Customer context**"),
        "complete sections are not listed"
    );
}

#[test]
fn empty_sections_say_whom_to_ask_instead_of_printing_blank_tables() {
    let repo = Repo::new();
    repo.write(
        "handoffs/sales-cs/bare.yaml",
        "type: sales-cs\nstatus: draft\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\ncustomer: {company: Acme Corp}\n",
    );
    let (code, markdown, _) = render(&repo, "handoffs/sales-cs/bare.yaml", "md");
    assert_eq!(code, 0);
    let risk_section = section(&markdown, "## Risk Flags");
    assert_eq!(risk_section.trim(), "_Not provided — ask Jane Doe._");
    assert_eq!(
        section(&markdown, "## Technical Context").trim(),
        "_Not provided — ask Jane Doe._"
    );
    assert!(!markdown.contains("| Risk | Severity |"));
    for field in [
        "`customer.industry` — absent",
        "`risks` — absent",
        "`action_items` — absent",
    ] {
        assert!(markdown.contains(field), "{field} in {markdown}");
    }
}

/// The text between `heading` and the next heading of any level.
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown
        .find(&format!("{heading}\n"))
        .unwrap_or_else(|| panic!("no {heading} in {markdown}"))
        + heading.len()
        + 1;
    let rest = &markdown[start..];
    let end = rest.find("\n#").unwrap_or(rest.len());
    &rest[..end]
}

const HOSTILE: &str = r##"type: sales-cs
status: submitted
from: {name: Jane Doe}
to: {name: Sam Lee}
customer:
  company: "# heading <script>alert(1)</script>"
  industry: "a | b"
deal:
  bought: "- item <img src=x onerror=alert(1)> `rm -rf /` {{ x }} [link](javascript:alert(1))"
expectations:
  summary: "> not a quote {{ x }}"
  success_criteria: ["1. first", "<script>alert(1)</script>", "{{ x }}"]
risks:
  - {risk: "a | b", severity: high, mitigation: "<img src=x onerror=alert(1)> | `code` | [x](javascript:alert(1))"}
relationships:
  concerns: ["- item", "+ plus", "{% if %}"]
"##;

#[test]
fn hostile_text_stays_inert_text_in_markdown() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/hostile.yaml", HOSTILE);
    let (code, markdown, stderr) = render(&repo, "handoffs/sales-cs/hostile.yaml", "md");
    assert_eq!(code, 0, "{stderr}");
    for forbidden in [
        "<script",
        "<img",
        "onerror=",
        "](javascript:",
        "\n- item",
        "\n+ plus",
        "\n> not",
    ] {
        assert!(!markdown.contains(forbidden), "{forbidden:?} in {markdown}");
    }
    // Exactly one heading of level 1: the company's `#` is text.
    assert_eq!(markdown.lines().filter(|l| l.starts_with("# ")).count(), 1);
    assert!(markdown
        .starts_with("# Customer Handoff: \\# heading &lt;script&gt;alert(1)&lt;/script&gt;\n"));
    // The risk row keeps its three cells: the `|`s in the text are escaped.
    let row = markdown
        .lines()
        .find(|l| l.starts_with("| a \\| b"))
        .expect("risk row");
    assert_eq!(unescaped_pipes(row), 4, "{row}");
    assert!(markdown.contains("{{ x }}"));
    assert!(markdown.contains("- \\{% if %}") || markdown.contains("- {% if %}"));
}

fn unescaped_pipes(line: &str) -> usize {
    let bytes = line.as_bytes();
    (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'|'
                && bytes[..i].iter().rev().take_while(|b| **b == b'\\').count() % 2 == 0
        })
        .count()
}

#[test]
fn hostile_text_stays_inert_text_in_html() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/hostile.yaml", HOSTILE);
    let (code, html, stderr) = render(&repo, "handoffs/sales-cs/hostile.yaml", "html");
    assert_eq!(code, 0, "{stderr}");
    for forbidden in [
        "<script",
        "<img",
        "onerror=",
        "javascript:",
        "href=",
        "<ul>\n<li>item",
    ] {
        assert!(!html.contains(forbidden), "{forbidden:?} in {html}");
    }
    assert_eq!(html.matches("<h1>").count(), 1);
    assert!(
        html.contains(
            "<h1>Customer Handoff&#58; # heading &lt;script&gt;alert(1)&lt;/script&gt;</h1>"
        ),
        "{html}"
    );
    assert!(html.contains("{{ x }}"));
    assert!(html.contains("`rm -rf /`"), "backticks stay text: {html}");
    let risk_row_start = html.find("<td>a | b</td>").expect("risk row");
    let risk_row = &html[risk_row_start..];
    let risk_row = &risk_row[..risk_row.find("</tr>").expect("row end")];
    assert_eq!(risk_row.matches("<td>").count(), 3, "{risk_row}");
    // The page loads nothing and runs nothing.
    assert!(html.contains("Content-Security-Policy"));
    for remote in ["<link", "src=", "http://", "https://"] {
        assert!(!html.contains(remote), "{remote}");
    }
}

#[test]
fn an_invalid_handoff_still_renders_with_its_errors() {
    let repo = Repo::new();
    let yaml = spec_sales_cs()
        .replace("amount: 120000", "amount: \"$120k\"")
        .replace("severity: high", "severity: urgent");
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let (code, markdown, _) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 0);
    assert!(markdown.contains("— FAIL**"), "{markdown}");
    assert!(markdown.contains("⛔ **Not valid against its schema**"));
    assert!(
        markdown.contains("- error `HO001` (line 14): deal.amount: \"$120k\" is not a number"),
        "{markdown}"
    );
    // The malformed amount is left out rather than shown as if it were one.
    assert!(
        markdown.contains("**Deal Size:** _not given_"),
        "{markdown}"
    );
    assert!(markdown.contains("| ⚪ urgent |"), "{markdown}");
}

#[test]
fn an_override_template_replaces_the_embedded_one() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write(
        "templates/sales-cs.md.j2",
        "## {{ handoff.customer.company }} for {{ handoff.to.name }}\n{{ score }} {{ verdict }} {{ handoff.deal.amount | money(handoff.deal.currency) }}\n{% include \"_summary.md.j2\" %}",
    );
    let (code, markdown, stderr) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        markdown
            .starts_with("## Acme Corp for Sam Lee\n100 PASS $120,000\n> **Handoff score: 100/100"),
        "{markdown}"
    );
}

#[test]
fn a_broken_override_template_names_its_file_and_line() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write(
        "templates/sales-cs.md.j2",
        "# {{ handoff.customer.company }}\n\n{% if handoff.status == \"draft\" %}\nDraft\n\n{{ score }}\n",
    );
    let (code, markdown, stderr) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 2);
    assert_eq!(markdown, "");
    assert!(stderr.contains("templates/sales-cs.md.j2"), "{stderr}");
    assert!(stderr.contains("line 3 is never closed"), "{stderr}");
    assert!(!stderr.contains("embedded default)"), "{stderr}");

    // `{% if %}` without a condition: the error is on the tag's own line.
    repo.write("templates/sales-cs.md.j2", "a\nb\n{% if %}\nc\n");
    let (code, _, stderr) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("templates/sales-cs.md.j2 line 3: syntax error"),
        "{stderr}"
    );
}

#[test]
fn an_undefined_variable_in_a_template_is_an_error_naming_it() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write(
        "templates/sales-cs.md.j2",
        "# {{ handoff.customer.company }}\n{{ handoff.customer.compnay }}\n",
    );
    let (code, _, stderr) = render(&repo, "handoffs/sales-cs/acme.yaml", "html");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("templates/sales-cs.md.j2 line 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`handoff.customer.compnay` is undefined"),
        "{stderr}"
    );
    // In an included partial: the partial's file and line, and where it was included.
    repo.write(
        "templates/sales-cs.md.j2",
        "# x\n{% include \"_summary.md.j2\" %}\n",
    );
    repo.write("templates/_summary.md.j2", "{{ score }}\n{{ scroe }}\n");
    let (code, _, stderr) = render(&repo, "handoffs/sales-cs/acme.yaml", "md");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("templates/_summary.md.j2 line 2: undefined value: `scroe` is undefined, included from templates/sales-cs.md.j2 line 2"),
        "{stderr}"
    );
}

#[test]
fn several_handoffs_go_into_a_folder_one_file_each() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write(
        "handoffs/sdr-ae/acme.yaml",
        "type: sdr-ae\nstatus: draft\nfrom: {name: Maya Patel}\nto: {name: Marcus Chen}\nprospect: {company: Acme Corp}\n",
    );
    // A folder without -o DIR: refused, nothing written.
    let output = repo
        .cmd()
        .args(["render", "handoffs"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("-o DIR"), "{}", stderr(&output));

    let output = repo
        .cmd()
        .args([
            "render", "handoffs", "-o", "out", "--format", "html", "--now", NOW,
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(repo
        .read("out/sales-cs/acme.html")
        .contains("<h1>Customer Handoff&#58; Acme Corp</h1>"));
    assert!(repo
        .read("out/sdr-ae/acme.html")
        .contains("<h1>Lead Handoff&#58; Acme Corp</h1>"));
    let written: Vec<_> = walk(&repo.path().join("out"));
    assert_eq!(written, ["sales-cs/acme.html", "sdr-ae/acme.html"]);
    assert_eq!(
        stdout(&output),
        "wrote out/sales-cs/acme.html (handoffs/sales-cs/acme.yaml: 100/100, PASS)\nwrote out/sdr-ae/acme.html (handoffs/sdr-ae/acme.yaml: 10/100, FAIL)\n"
    );

    // Again: every output exists, so nothing is overwritten without --force.
    std::fs::write(repo.path().join("out/sdr-ae/acme.html"), "mine").expect("write");
    let output = repo
        .cmd()
        .args(["render", "handoffs", "-o", "out", "--format", "html"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("already exists; pass --force"),
        "{}",
        stderr(&output)
    );
    assert_eq!(repo.read("out/sdr-ae/acme.html"), "mine");
    let output = repo
        .cmd()
        .args([
            "render",
            "handoffs/sdr-ae/acme.yaml",
            "handoffs/sales-cs/acme.yaml",
            "-o",
            "out",
            "--format",
            "html",
            "--force",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(repo.read("out/sdr-ae/acme.html").contains("Lead Handoff"));
}

fn walk(root: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .expect("inside")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn an_existing_output_file_is_refused_without_force() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write("acme.md", "keep me");
    let output = repo
        .cmd()
        .args(["render", "handoffs/sales-cs/acme.yaml", "-o", "acme.md"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: acme.md: already exists; pass --force to overwrite it\n"
    );
    assert_eq!(repo.read("acme.md"), "keep me");

    let output = repo
        .cmd()
        .args([
            "render",
            "handoffs/sales-cs/acme.yaml",
            "-o",
            "acme.md",
            "--force",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(repo
        .read("acme.md")
        .starts_with("# Customer Handoff: Acme Corp\n"));
    // No temporary file is left next to it.
    let names: Vec<_> = std::fs::read_dir(repo.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.starts_with(".tmp")).count(),
        0,
        "{names:?}"
    );

    // -o naming the handoff itself is refused even with --force.
    let output = repo
        .cmd()
        .args([
            "render",
            "handoffs/sales-cs/acme.yaml",
            "-o",
            "handoffs/sales-cs/acme.yaml",
            "--force",
        ])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(repo
        .read("handoffs/sales-cs/acme.yaml")
        .starts_with("type: sales-cs"));
}

#[test]
fn an_unparsable_handoff_is_named_with_its_line_and_the_others_still_render() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    repo.write(
        "handoffs/sales-cs/broken.yaml",
        "type: sales-cs\nstatus: draft\nfrom: {name: [\n",
    );
    let output = repo
        .cmd()
        .args(["render", "handoffs", "-o", "out"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr(&output);
    assert!(
        stderr.contains("could not render 1 of 2 handoffs"),
        "{stderr}"
    );
    assert!(
        stderr.contains("handoffs/sales-cs/broken.yaml:4:"),
        "{stderr}"
    );
    assert!(repo
        .read("out/sales-cs/acme.md")
        .starts_with("# Customer Handoff: Acme Corp"));
    assert!(!repo.path().join("out/sales-cs/broken.md").exists());

    // Alone, to standard output: nothing on stdout, the same message, exit 1.
    let (code, markdown, stderr) = render(&repo, "handoffs/sales-cs/broken.yaml", "md");
    assert_eq!((code, markdown.as_str()), (1, ""));
    assert!(
        stderr.starts_with(
            "error: could not render the handoff:\n  handoffs/sales-cs/broken.yaml:4:"
        ),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/acme.yaml", spec_sales_cs());
    let output = repo
        .cmd()
        .args(["render", "handoffs/nope.yaml"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("handoffs/nope.yaml"),
        "{}",
        stderr(&output)
    );
    let output = repo
        .cmd()
        .args(["render", "handoffs/sales-cs/acme.yaml", "--format", "pdf"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    std::fs::create_dir_all(repo.path().join("empty")).expect("mkdir");
    let output = repo
        .cmd()
        .args(["render", "empty", "-o", "out"])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no handoff files"),
        "{}",
        stderr(&output)
    );
}

/// A handoff dense in the links handoffs carry (Google Docs, Gong, CRM, email with `_` and
/// `+`), next to hostile text, a `javascript:` link and terminal control characters.
const LINKS: &str = r#"type: sales-cs
status: submitted
title: "Links\e[31m\x07 \u0085review\u009b"
from: {name: Jane Doe, role: AE, email: jane_doe@example.com}
to: {name: Sam Lee, role: CSM}
customer:
  company: "Acme \e]0;pwned\x07Corp"
  primary_contact: {name: Monica Reyes, title: VP, email: monica_reyes+cs@brightline.example}
expectations:
  summary: "See https://docs.google.com/document/d/1a_B-c~d/edit?usp=sharing&tab=t.0 (the plan)."
technical:
  security: "Gong https://app.gong.io/call?id=12_34&highlights=~notes | CRM https://crm.example/deal/(9_1)"
  constraints: "[click](javascript:alert(1)) <a href=x>raw</a> javascript:alert(2)"
sources:
  - "Gong: https://app.gong.io/call?id=12_34&highlights=~notes."
  - "CRM (https://acme.my.salesforce.com/lightning/r/Opportunity/006_x/view)"
"#;

/// The anchors (href, text) of the page's `<main>`, its text, and the `<title>` text, read with
/// an XML parser (comrak's output is well-formed inside `<main>`).
fn read_page(html: &str) -> (Vec<(String, String)>, String, String) {
    use quick_xml::events::Event;
    let title_start = html.find("<title>").expect("a title") + "<title>".len();
    let title_end = html.find("</title>").expect("a title end");
    let title = decode_entities(&html[title_start..title_end]);
    let main_start = html.find("<main").expect("a main");
    let main_end = html.find("</main>").expect("a main end") + "</main>".len();
    let mut reader = quick_xml::Reader::from_str(&html[main_start..main_end]);
    reader.config_mut().check_end_names = true;
    let mut anchors = Vec::new();
    let mut text = String::new();
    let mut in_anchor: Option<(String, String)> = None;
    loop {
        let piece = match reader
            .read_event()
            .expect("well-formed markup inside <main>")
        {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "a" => {
                let href = e
                    .attributes()
                    .map(|a| a.expect("attribute"))
                    .find(|a| a.key.as_ref() == "href")
                    .map(|a| decode_entities(&a.value))
                    .expect("an anchor has an href");
                in_anchor = Some((href, String::new()));
                continue;
            }
            Event::End(e) if e.name().as_ref() == "a" => {
                anchors.push(in_anchor.take().expect("an open anchor"));
                continue;
            }
            Event::Text(t) => decode_entities(&t.xml10_content()),
            Event::GeneralRef(r) => decode_entities(&format!("&{};", r.as_ref())),
            _ => continue,
        };
        text.push_str(&piece);
        if let Some((_, anchor_text)) = &mut in_anchor {
            anchor_text.push_str(&piece);
        }
    }
    (anchors, text, title)
}

/// Decodes the entities comrak and the page writer use.
fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("an entity ends") + at;
        let name = &rest[at + 1..end];
        match name {
            "amp" => out.push('&'),
            "lt" => out.push('<'),
            "gt" => out.push('>'),
            "quot" => out.push('"'),
            "#39" => out.push('\''),
            _ if name.starts_with('#') => {
                let code = name[1..].parse::<u32>().expect("a decimal reference");
                out.push(char::from_u32(code).expect("a character"));
            }
            other => panic!("unexpected entity &{other};"),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn links_and_emails_stay_exact_and_hostile_text_inert() {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/links.yaml", LINKS);
    let (code, html, err) = render(&repo, "handoffs/sales-cs/links.yaml", "html");
    assert_eq!(code, 0, "{err}");
    let (anchors, text, title) = read_page(&html);
    let docs = "https://docs.google.com/document/d/1a_B-c~d/edit?usp=sharing&tab=t.0";
    let gong = "https://app.gong.io/call?id=12_34&highlights=~notes";
    let crm = "https://crm.example/deal/(9_1)";
    let salesforce = "https://acme.my.salesforce.com/lightning/r/Opportunity/006_x/view";
    let email = "monica_reyes+cs@brightline.example";
    let mut hrefs: Vec<&str> = anchors.iter().map(|(href, _)| href.as_str()).collect();
    hrefs.sort_unstable();
    hrefs.dedup();
    let mut expected = [
        docs.to_string(),
        gong.to_string(),
        crm.to_string(),
        salesforce.to_string(),
        format!("mailto:{email}"),
    ];
    expected.sort_unstable();
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(hrefs, expected, "{html}");
    // Each link shows its address exactly: no backslash, no %5C, the whole email.
    for (href, shown) in &anchors {
        assert_eq!(
            href.strip_prefix("mailto:").unwrap_or(href),
            shown,
            "{html}"
        );
        assert!(!href.contains('\\') && !href.contains("%5C"), "{href}");
    }
    for exact in [docs, gong, crm, salesforce, email] {
        assert!(text.contains(exact), "{exact} not in the text: {text}");
    }
    // Hostile text reads as text; no javascript: link, no raw tag.
    assert!(
        text.contains("[click](javascript:alert(1)) <a href=x>raw</a>"),
        "{text}"
    );
    assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
    assert!(!html.contains("<a href=x>"), "{html}");
    // The punctuation after an address is not part of it.
    assert!(text.contains(&format!("{gong}.")), "{text}");
    assert!(text.contains(&format!("({salesforce})")), "{text}");
    // Control characters are dropped, the <title> included.
    for page_text in [&text, &title] {
        assert!(
            !page_text.chars().any(|c| c.is_control() && c != '\n'),
            "{page_text:?}"
        );
    }
    assert_eq!(title, "Links[31m review");
    assert!(text.contains("Acme ]0;pwnedCorp"), "{text}");

    let (code, markdown, err) = render(&repo, "handoffs/sales-cs/links.yaml", "md");
    assert_eq!(code, 0, "{err}");
    assert!(
        !markdown.chars().any(|c| c.is_control() && c != '\n'),
        "{markdown:?}"
    );
    for exact in [docs, gong, crm, salesforce, email] {
        assert!(
            markdown.contains(&format!("<{exact}>")),
            "{exact}: {markdown}"
        );
    }
}

#[test]
fn the_fail_banner_is_marked_for_the_stylesheet() {
    let repo = Repo::new();
    repo.write(
        "handoffs/sales-cs/thin.yaml",
        "type: sales-cs\nstatus: submitted\nfrom: {name: Jane Doe}\nto: {name: Sam Lee}\ntrigger: {date: 2026-10-30}\n",
    );
    repo.write("handoffs/sales-cs/full.yaml", spec_sales_cs());
    let (_, fail, _) = render(&repo, "handoffs/sales-cs/thin.yaml", "html");
    let (_, pass, _) = render(&repo, "handoffs/sales-cs/full.yaml", "html");
    assert!(fail.contains("<main class=\"verdict-fail\">"), "{fail}");
    assert!(pass.contains("<main class=\"verdict-pass\">"), "{pass}");
    // The FAIL frame differs in shape (dashed, double), not only in colour.
    assert!(fail.contains(".verdict-fail > blockquote:first-of-type { border: 3px dashed"));
    // Dates stay on one line; tables scroll in their own box.
    assert!(
        pass.contains("<span class=\"date\">2026-10-30</span>"),
        "{pass}"
    );
    assert!(pass.contains("<div class=\"table\"><table>"), "{pass}");
    assert!(pass.contains(".date { white-space: nowrap; }"));
}

/// Long URLs and words in tables and text, for the layout check.
const WIDE: &str = r#"type: sales-cs
status: submitted
title: Wide Co
from: {name: Jane Doe}
to: {name: Sam Lee}
trigger: {date: 2026-10-30}
customer:
  company: Wide Co
  primary_contact: {name: Pat Kim, title: VP, email: pat.kim.with.a.really.long.address_for_testing@wide-company-example.example}
deal:
  bought: "https://docs.google.com/document/d/1aBcDeFgHiJkLmNoPqRsTuVwXyZ_0123456789abcdefghijklmnopqrstuvwxyz/edit?usp=sharing&tab=t.0 and Supercalifragilisticexpialidociousanotherverylongwordwithoutanybreakopportunity"
technical:
  security: "https://acme.my.salesforce.com/lightning/r/Opportunity/006Hs00001AbCdEfGhIjKlMnOpQrStUvWxYz_0123456789/view?ws=%2Flightning%2Fr%2FAccount"
risks:
  - {risk: "Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongriskwordthatneverends", severity: high, mitigation: "https://crm.example/deal/9_1?x=~y&z=1_2_3_4_5_6_7_8_9_10_11_12_13_14_15_16_17_18_19_20"}
"#;

/// When Chromium is installed (`/usr/bin/chromium`): the rendered page, in an iframe 390 and
/// 1280 px wide, is no wider than its viewport (scrollWidth within the iframe's width).
#[test]
fn pages_do_not_overflow_in_chromium() {
    let chromium = std::path::Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed");
        return;
    }
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/wide.yaml", WIDE);
    let (code, html, err) = render(&repo, "handoffs/sales-cs/wide.yaml", "html");
    assert_eq!(code, 0, "{err}");
    // The page forbids scripts; the probe copy drops that policy and is measured from outside.
    let start = html
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let end = start + html[start..].find('>').unwrap() + 1;
    let probe = format!("{}{}", &html[..start], &html[end..]);
    std::fs::write(repo.path().join("page.html"), probe).unwrap();
    for width in [390, 1280] {
        let host = format!(
            "<!DOCTYPE html><html><body style=\"margin:0\"><iframe id=\"f\" src=\"page.html\" style=\"width:{width}px;height:900px;border:0\"></iframe><script>document.getElementById('f').onload=function(){{var d=this.contentDocument;document.body.setAttribute('data-width',this.contentWindow.innerWidth+' '+d.documentElement.scrollWidth)}}</script></body></html>"
        );
        std::fs::write(repo.path().join("host.html"), host).unwrap();
        let output = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--allow-file-access-from-files",
                "--virtual-time-budget=3000",
                "--window-size=1400,1000",
                "--dump-dom",
            ])
            .arg(format!(
                "file://{}",
                repo.path().join("host.html").display()
            ))
            .output()
            .expect("chromium runs");
        let dom = String::from_utf8_lossy(&output.stdout);
        let at = dom.find("data-width=\"").expect("the probe ran") + "data-width=\"".len();
        let numbers: Vec<u32> = dom[at..]
            .split('"')
            .next()
            .unwrap()
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect();
        let (viewport, scroll) = (numbers[0], numbers[1]);
        assert_eq!(viewport, width);
        assert!(scroll <= viewport, "{scroll} px wide in {viewport} px");
    }
}
