//! `--format markdown`: one pull-request comment body for the whole run, for the conversation
//! tab (where reps and receivers look). The first line is the hidden marker
//! `<!-- handoff-gate -->`, by which a workflow finds the comment to update. Then a headline and
//! a table of the handoffs (score, with its change since the base under `--changed-since`, and
//! the verdict), and per handoff the sections to complete with what each field needs, the
//! findings with links to their lines, and the rendered handoff in a collapsed `<details>`.
//!
//! Every piece of data (paths, messages, names from the handoff) goes through the render
//! module's inline Markdown escaping, so nothing from a file can open markup, a link or raw HTML,
//! or start a line of its own. The output depends only on the report, the rendered handoffs and
//! the link base: the same run writes the same bytes.

use std::collections::BTreeMap;
use std::io::Write;

use super::delta::delta_text;
use crate::change::ChangeKind;
use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::render::filters::{code_span, escape_inline};
use crate::report::human::verdict;
use crate::report::verdict::{blocked_by, open_sections, shown_score, Blocked};

/// The hidden first line that identifies the comment.
pub const MARKER: &str = "<!-- handoff-gate -->";

/// Where the findings link to: a blob URL prefix (`https://github.com/OWNER/REPO/blob/SHA`),
/// or none (findings show as plain `path:line`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    blob_base: Option<String>,
}

impl Links {
    /// Links from GitHub Actions' `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`,
    /// when all three are set and well-formed (they are inputs too: a value that is not a plain
    /// `https://host`, `owner/name` and a hex commit id gives no links rather than odd ones).
    pub fn github(server: Option<&str>, repository: Option<&str>, sha: Option<&str>) -> Links {
        let (Some(server), Some(repository), Some(sha)) = (server, repository, sha) else {
            return Links::default();
        };
        let server = server.trim_end_matches('/');
        let host = server
            .strip_prefix("https://")
            .or_else(|| server.strip_prefix("http://"));
        let host_ok = host.is_some_and(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '/'))
        });
        let name_ok = |part: &str| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        };
        let repository_ok = matches!(
            repository.split_once('/'),
            Some((owner, name)) if name_ok(owner) && name_ok(name)
        );
        let sha_ok = (7..=64).contains(&sha.len()) && sha.chars().all(|c| c.is_ascii_hexdigit());
        if !(host_ok && repository_ok && sha_ok) {
            return Links::default();
        }
        Links {
            blob_base: Some(format!("{server}/{repository}/blob/{sha}")),
        }
    }

    /// The URL of `path` at `line` (0: the file), when links are on and the path is inside
    /// the repository.
    fn url(&self, path: &str, line: usize) -> Option<String> {
        let base = self.blob_base.as_ref()?;
        if path.starts_with('/') || path.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        let mut url = format!("{base}/{}", percent_encode_path(path));
        if line > 0 {
            url.push_str(&format!("#L{line}"));
        }
        Some(url)
    }

    /// `path:line` as a link when possible, else as plain (escaped) text.
    fn location(&self, path: &str, line: usize) -> String {
        let text = if line > 0 {
            format!("{path}:{line}")
        } else {
            path.to_string()
        };
        match self.url(path, line) {
            Some(url) => format!("[{}](<{url}>)", escape_inline(&text)),
            None => escape_inline(&text),
        }
    }
}

/// Percent-encodes a path for a URL, keeping `/` and RFC 3986's unreserved characters.
fn percent_encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// What the comment shows besides the report.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Where findings link to.
    pub links: Links,
    /// The rendered Markdown of each handoff that could be rendered, by report path.
    pub rendered: BTreeMap<String, String>,
}

/// Writes the comment body.
pub fn write(report: &LintReport, extras: &Extras, out: &mut dyn Write) -> std::io::Result<()> {
    let mut head = Vec::new();
    write_head(report, extras, &mut head)?;
    out.write_all(&head)?;
    if report.files.is_empty() {
        return Ok(());
    }
    // GitHub refuses a comment over 65,536 characters: the rendered handoffs come last in
    // priority, so each goes in only while the body stays under the budget.
    let mut sections = Vec::with_capacity(report.files.len());
    for file in &report.files {
        let mut section = Vec::new();
        write_file(file, extras, &mut section)?;
        sections.push(String::from_utf8_lossy(&section).into_owned());
    }
    let mut size: usize = String::from_utf8_lossy(&head).chars().count()
        + sections.iter().map(|s| s.chars().count()).sum::<usize>();
    let mut omitted = 0;
    for (file, section) in report.files.iter().zip(&mut sections) {
        let Some(rendered) = extras.rendered.get(&file.path) else {
            continue;
        };
        let block = details(rendered);
        let length = block.chars().count();
        if size + length <= COMMENT_BUDGET {
            size += length;
            section.push_str(&block);
        } else {
            omitted += 1;
        }
    }
    for section in &sections {
        out.write_all(section.as_bytes())?;
    }
    if omitted > 0 {
        writeln!(
            out,
            "\n_{omitted} rendered handoff{} left out to keep this comment under GitHub's size limit; `handoff render PATH` shows {}._",
            if omitted == 1 { " was" } else { "s were" },
            if omitted == 1 { "it" } else { "them" }
        )?;
    }
    Ok(())
}

/// The marker, the headline, what was compared, and the table of handoffs.
fn write_head(report: &LintReport, extras: &Extras, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "{MARKER}")?;
    let passed = report.files.iter().filter(|f| f.passed).count();
    let skipped = report.files.iter().filter(|f| f.skipped).count();
    let blocked = report.files.len() - passed - skipped;
    let mark = if blocked == 0 { "✅" } else { "❌" };
    writeln!(
        out,
        "## {mark} Handoff gate: {blocked} blocked, {passed} passed{} (threshold {})\n",
        if skipped > 0 {
            format!(", {skipped} skipped (not checked)")
        } else {
            String::new()
        },
        report.threshold
    )?;
    if let Some(since) = &report.changed_since {
        writeln!(
            out,
            "Handoffs changed since {} (merge base {}).\n",
            code_span(&since.reference),
            code_span(&since.merge_base)
        )?;
        if !since.rules_changed.is_empty() {
            let paths: Vec<String> = since.rules_changed.iter().map(|p| code_span(p)).collect();
            writeln!(
                out,
                "The rules changed ({}), so every handoff was linted; shown are those changed here and those whose verdict or score moved.\n",
                paths.join(", ")
            )?;
        }
    }
    if report.files.is_empty() {
        let line = match &report.changed_since {
            Some(_) => "No handoff changed; nothing to gate.",
            None => "No handoff files were found.",
        };
        return writeln!(out, "{line}");
    }
    let with_delta = report.changed_since.is_some();
    writeln!(out, "| Handoff | Type | Score | Verdict |")?;
    writeln!(out, "|---|---|---:|---|")?;
    for file in &report.files {
        let mark = self::mark(file);
        writeln!(
            out,
            "| {} | {} | {} | {mark} {} |",
            extras.links.location(&file.path, 0),
            escape_inline(file.handoff_type.as_deref().unwrap_or("?")),
            score_text(file, with_delta),
            escape_inline(&verdict(file)),
        )?;
    }
    Ok(())
}

/// Characters the comment may use (GitHub's limit is 65,536), with room for the workflow's
/// own additions.
const COMMENT_BUDGET: usize = 60_000;

/// `78`, or `62 → 78` with the base's score, or `78 (new)`.
fn score_text(file: &FileReport, with_delta: bool) -> String {
    if shown_score(file).is_none() {
        return "—".to_string();
    }
    match file.change.as_ref() {
        Some(change) if with_delta => match &change.base {
            Some(base) => format!("{} → {}", base.score, file.score),
            None => format!("{} (new)", file.score),
        },
        _ => file.score.to_string(),
    }
}

fn write_file(file: &FileReport, extras: &Extras, out: &mut dyn Write) -> std::io::Result<()> {
    let mark = self::mark(file);
    if file.skipped {
        writeln!(out, "\n### {mark} {} · SKIPPED\n", code_span(&file.path))?;
    } else {
        let verdict = if file.passed { "PASS" } else { "BLOCKED" };
        writeln!(
            out,
            "\n### {mark} {} · {}/100 · {verdict}\n",
            code_span(&file.path),
            file.score
        )?;
    }
    let mut facts = Vec::new();
    if let Some(playbook) = &file.playbook {
        facts.push(format!("playbook {}", code_span(playbook)));
    }
    if let Some(status) = &file.status {
        facts.push(format!("status {}", code_span(status)));
    }
    facts.push(format!("threshold {}", file.threshold));
    facts.push(escape_inline(&self::verdict_words(file)));
    writeln!(out, "{}", facts.join(" · "))?;
    if let Some(delta) = delta_text(file) {
        let renamed = match file.change.as_ref() {
            Some(change) if change.kind == ChangeKind::Renamed => change
                .base
                .as_ref()
                .map(|base| format!(" (renamed from {})", code_span(&base.path))),
            _ => None,
        };
        writeln!(
            out,
            "\nSince the base{}: {}",
            renamed.unwrap_or_default(),
            escape_inline(&delta)
        )?;
    }
    let open: Vec<_> = open_sections(file).collect();
    if !open.is_empty() {
        writeln!(out, "\n**To complete**\n")?;
        for section in open {
            let needs: Vec<String> = section
                .gaps
                .iter()
                .map(|gap| format!("{} {}", code_span(&gap.path), escape_inline(&gap.reason)))
                .collect();
            writeln!(
                out,
                "- **{}** ({} points, {}): {}",
                escape_inline(&section.title),
                section.weight,
                section.status.as_str(),
                needs.join("; ")
            )?;
        }
    }
    if !file.diagnostics.is_empty() {
        writeln!(out, "\n**Findings**\n")?;
        for diagnostic in &file.diagnostics {
            let label = match diagnostic.severity {
                Severity::Error => "❌ error",
                Severity::Warning => "⚠️ warning",
                Severity::Info => "ℹ️ info",
            };
            writeln!(
                out,
                "- {label} {} {}: {}",
                code_span(&format!("{} {}", diagnostic.code, diagnostic.rule)),
                extras.links.location(&file.path, diagnostic.line),
                escape_inline(&diagnostic.message)
            )?;
            if let Some(help) = &diagnostic.help {
                writeln!(out, "  Fix: {}", escape_inline(help))?;
            }
        }
    }
    Ok(())
}

/// The collapsed rendered handoff that closes a file's section.
fn details(rendered: &str) -> String {
    format!(
        "\n<details>\n<summary>The handoff as the receiver reads it</summary>\n\n{}\n\n</details>\n",
        rendered.trim_end()
    )
}

/// Why a file passed or not, in a few words.
/// ✅ passed, ❌ blocked, ⏭️ skipped (not checked).
fn mark(file: &FileReport) -> &'static str {
    if file.skipped {
        "⏭️"
    } else if file.passed {
        "✅"
    } else {
        "❌"
    }
}

fn verdict_words(file: &FileReport) -> String {
    if file.skipped {
        return "not checked: a symbolic link is not followed".to_string();
    }
    match blocked_by(file) {
        None => format!("passes at {} or more", file.threshold),
        Some(Blocked::Invalid) => "invalid: fix the errors below".to_string(),
        Some(Blocked::BelowThreshold) => format!(
            "below the threshold: {} more points needed",
            file.threshold - file.score
        ),
        Some(Blocked::NotQualified | Blocked::ErrorFindings) => {
            "blocked by the error findings below".to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_need_all_three_well_formed_values() {
        let links = Links::github(
            Some("https://github.com"),
            Some("acme/handoffs"),
            Some("0123456789abcdef0123456789abcdef01234567"),
        );
        assert_eq!(
            links.url("handoffs/sales-cs/a b#.yaml", 12).as_deref(),
            Some("https://github.com/acme/handoffs/blob/0123456789abcdef0123456789abcdef01234567/handoffs/sales-cs/a%20b%23.yaml#L12")
        );
        assert_eq!(links.url("../x.yaml", 1), None);
        assert_eq!(links.url("/abs/x.yaml", 1), None);
        for (server, repository, sha) in [
            ("javascript:alert(1)", "acme/handoffs", "0123456"),
            ("https://github.com", "acme/handoffs) [x](y", "0123456"),
            ("https://github.com", "acme/handoffs", "main"),
            ("https://git hub.com", "acme/handoffs", "0123456"),
        ] {
            assert_eq!(
                Links::github(Some(server), Some(repository), Some(sha)),
                Links::default(),
                "{server} {repository} {sha}"
            );
        }
        assert_eq!(
            Links::github(None, Some("a/b"), Some("0123456")),
            Links::default()
        );
    }

    mod hostile {
        use super::super::*;
        use crate::playbook::rules::roster;
        use crate::playbook::score::{Gap, SectionResult, SectionStatus};
        use comrak::nodes::NodeValue;
        use proptest::prelude::*;

        fn report(text: &str) -> LintReport {
            let mut diagnostic = roster::RULE.at_position(3, 1, text);
            diagnostic.help = Some(text.to_string());
            let file = FileReport {
                path: format!("handoffs/{text}.yaml"),
                handoff_type: Some(text.to_string()),
                status: Some(text.to_string()),
                playbook: Some(text.to_string()),
                valid: true,
                score: 40,
                threshold: 70,
                passed: false,
                skipped: false,
                sections: vec![SectionResult {
                    id: text.to_string(),
                    title: text.to_string(),
                    weight: 15,
                    status: SectionStatus::Partial,
                    gaps: vec![Gap {
                        path: text.to_string(),
                        reason: text.to_string(),
                    }],
                    fields: Vec::new(),
                }],
                qualification: None,
                diagnostics: vec![diagnostic],
                source: None,
                change: None,
            };
            LintReport {
                threshold: 70,
                passed: false,
                files: vec![file],
                changed_since: Some(crate::change::ChangedSince {
                    reference: text.to_string(),
                    merge_base: text.to_string(),
                    merge_base_id: String::new(),
                    rules_changed: vec![text.to_string()],
                    base_rule_files: Vec::new(),
                }),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Whatever the data, the comment holds only the marker as raw HTML, the headline
            /// and one heading per file, no link but ours, and a table of two rows.
            #[test]
            fn data_never_becomes_markup(text in prop_oneof![
                "[-#>+=*_`~|<>&!\\[\\]()0-9.:/@ \na-z]{1,40}",
                Just("</details><script>x</script>".to_string()),
                Just("x\n# heading\n<!-- y -->".to_string()),
                Just("[a](javascript:alert(1)) https://e.example/a_b?c=d&e=~f".to_string()),
            ]) {
                let mut out = Vec::new();
                write(&report(&text), &Extras::default(), &mut out).unwrap();
                let body = String::from_utf8(out).unwrap();
                let arena = comrak::Arena::new();
                let mut options = comrak::Options::default();
                options.extension.table = true;
                options.extension.autolink = true;
                let root = comrak::parse_document(&arena, &body, &options);
                let mut headings = 0;
                for node in root.descendants() {
                    match &node.data.borrow().value {
                        NodeValue::HtmlBlock(html) => {
                            prop_assert_eq!(html.literal.trim(), MARKER, "{}", body)
                        }
                        NodeValue::HtmlInline(html) => prop_assert!(false, "{html} in {body}"),
                        NodeValue::Heading(_) => headings += 1,
                        NodeValue::Link(link) => {
                            prop_assert!(
                                link.url.starts_with("https://e.example")
                                    || link.url.starts_with("http")
                                    || link.url.starts_with("mailto:"),
                                "{} in {}", link.url, body
                            );
                            prop_assert!(!link.url.to_lowercase().contains("javascript:"));
                        }
                        NodeValue::TableRow(_) => {}
                        _ => {}
                    }
                }
                prop_assert_eq!(headings, 2, "{}", body);
            }
        }
    }

    #[test]
    fn plain_locations_are_escaped() {
        assert_eq!(
            Links::default().location("handoffs/[x](y).yaml", 3),
            "handoffs/\\[x\\]\\(y).yaml:3"
        );
    }
}
