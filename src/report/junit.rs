//! `--format junit`: JUnit XML (quick-xml) for CI systems that show test reports. One
//! testsuite; one testcase per handoff, named by its path, classname its type; a `<failure>`
//! when it is blocked or invalid, whose message names the score, the threshold and the
//! sections to complete, and whose text lists the findings.

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::report::github::missing_sections;
use crate::report::verdict::{blocked_by, Blocked};

/// Writes the report as JUnit XML.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut writer = Writer::new_with_indent(&mut *out, b' ', 2);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let tests = report.files.len().to_string();
    let failures = report
        .files
        .iter()
        .filter(|f| f.blocked())
        .count()
        .to_string();
    let skipped = report
        .files
        .iter()
        .filter(|f| f.skipped)
        .count()
        .to_string();
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", "handoff lint"));
    suites.push_attribute(("tests", tests.as_str()));
    suites.push_attribute(("failures", failures.as_str()));
    suites.push_attribute(("errors", "0"));
    writer.write_event(Event::Start(suites))?;
    let mut suite = BytesStart::new("testsuite");
    suite.push_attribute(("name", "handoff lint"));
    suite.push_attribute(("tests", tests.as_str()));
    suite.push_attribute(("failures", failures.as_str()));
    suite.push_attribute(("errors", "0"));
    suite.push_attribute(("skipped", skipped.as_str()));
    writer.write_event(Event::Start(suite))?;
    for file in &report.files {
        let mut case = BytesStart::new("testcase");
        let path = xml_text(&crate::report::escape::control(&file.path));
        let classname = file.handoff_type.as_deref().unwrap_or("unknown");
        case.push_attribute(("name", path.as_str()));
        case.push_attribute(("classname", classname));
        case.push_attribute(("file", path.as_str()));
        let findings = findings_text(file);
        if file.passed && findings.is_empty() {
            writer.write_event(Event::Empty(case))?;
            continue;
        }
        writer.write_event(Event::Start(case))?;
        if file.skipped {
            // Not checked (a symbolic link): neither a pass nor a failure.
            let mut skipped = BytesStart::new("skipped");
            let message = xml_text(&findings_text_plain(file));
            skipped.push_attribute(("message", message.as_str()));
            writer.write_event(Event::Empty(skipped))?;
        } else if !file.passed {
            let mut failure = BytesStart::new("failure");
            let message = xml_text(&failure_message(file));
            failure.push_attribute(("message", message.as_str()));
            failure.push_attribute(("type", failure_type(file)));
            writer.write_event(Event::Start(failure))?;
            writer.write_event(Event::Text(BytesText::new(&findings)))?;
            writer.write_event(Event::End(BytesEnd::new("failure")))?;
        } else {
            // Passed with warnings or infos: visible in the report, not a failure.
            writer.write_event(Event::Start(BytesStart::new("system-out")))?;
            writer.write_event(Event::Text(BytesText::new(&findings)))?;
            writer.write_event(Event::End(BytesEnd::new("system-out")))?;
        }
        writer.write_event(Event::End(BytesEnd::new("testcase")))?;
    }
    writer.write_event(Event::End(BytesEnd::new("testsuite")))?;
    writer.write_event(Event::End(BytesEnd::new("testsuites")))?;
    writeln!(out)
}

fn failure_type(file: &FileReport) -> &'static str {
    match blocked_by(file) {
        Some(Blocked::Invalid) => "invalid",
        Some(Blocked::BelowThreshold) => "below-threshold",
        _ => "error-findings",
    }
}

/// One line: why it is blocked, the score against the threshold, the sections to complete.
fn failure_message(file: &FileReport) -> String {
    let why = match blocked_by(file) {
        Some(Blocked::Invalid) => "invalid",
        Some(Blocked::BelowThreshold) => "below the threshold",
        _ => "error findings",
    };
    let mut message = format!(
        "blocked ({why}): score {}/100, threshold {}",
        file.score, file.threshold
    );
    let gaps = missing_sections(file);
    if !gaps.is_empty() {
        message.push_str(&format!("; to complete: {}", gaps.join(", ")));
    }
    let errors = file
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        message.push_str(&format!(
            "; {errors} error finding{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    message
}

/// The findings, one per line: `path:line:column: severity HO203 secret: message`.
fn findings_text(file: &FileReport) -> String {
    let lines: Vec<String> = file
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} {} {}: {}",
                // Data shown escaped: one finding per line, none starts a line of its own.
                crate::report::escape::control(&file.path),
                d.line,
                d.column,
                d.severity.as_str(),
                d.code,
                d.rule,
                crate::report::escape::control(&d.message)
            )
        })
        .collect();
    xml_text(&lines.join("\n"))
}

/// Why a skipped file was not checked: its findings' messages, or a default.
fn findings_text_plain(file: &FileReport) -> String {
    let messages: Vec<&str> = file
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    if messages.is_empty() {
        "not checked".to_string()
    } else {
        messages.join("; ")
    }
}

/// Text that XML 1.0 can hold: control characters (other than tab and newline) dropped.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\t' || c == '\n' || c == '\r' || !c.is_control())
        .collect()
}
