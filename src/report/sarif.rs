//! `--format sarif`: SARIF 2.1.0 (via `serde-sarif`) for GitHub code scanning and other SARIF
//! viewers. The tool's driver lists every rule of the registry with its summary, doc and fix;
//! each finding is a result with a repository-relative location and a region; a file blocked
//! by its score is a result of rule HO000 `below-threshold`.

use std::io::Write;

use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, Region,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Tool, ToolComponent,
};

use crate::diagnostic::Severity;
use crate::lint::{FileReport, LintReport};
use crate::playbook::rules::{Rule, BELOW_THRESHOLD, RULES};
use crate::report::github::missing_sections;
use crate::report::verdict::{blocked_by, Blocked};

/// The schema URI written into the log.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Writes the report as one SARIF log with one run.
pub fn write(report: &LintReport, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(report))?;
    writeln!(out)
}

/// The SARIF log of a report.
pub fn log(report: &LintReport) -> Sarif {
    let mut driver = ToolComponent::builder()
        .name("handoff")
        .full_name(format!("handoff {}", env!("CARGO_PKG_VERSION")))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(RULES.iter().copied().map(descriptor).collect::<Vec<_>>())
        .build();
    // Set only when the package names its repository (Cargo.toml `repository`).
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver.information_uri = Some(repository.to_string());
    }
    let mut results = Vec::new();
    for file in &report.files {
        for diagnostic in &file.diagnostics {
            let region = (diagnostic.line > 0).then(|| {
                Region::builder()
                    .start_line(diagnostic.line as i64)
                    .start_column(diagnostic.column.max(1) as i64)
                    .build()
            });
            let mut text = diagnostic.message.clone();
            if let Some(help) = &diagnostic.help {
                text.push_str(&format!(" (fix: {help})"));
            }
            results.push(result(
                diagnostic.code,
                level(diagnostic.severity),
                text,
                file,
                region,
            ));
        }
        if blocked_by(file) == Some(Blocked::BelowThreshold) {
            let mut text = format!(
                "score {} is below the threshold {}",
                file.score, file.threshold
            );
            let gaps = missing_sections(file);
            if !gaps.is_empty() {
                text.push_str(&format!("; to complete: {}", gaps.join(", ")));
            }
            let region = Region::builder().start_line(1).build();
            results.push(result(
                BELOW_THRESHOLD.code,
                ResultLevel::Error,
                text,
                file,
                Some(region),
            ));
        }
    }
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .column_kind(serde_json::json!("unicodeCodePoints"))
        .build();
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::json!("2.1.0"))
        .runs(vec![run])
        .build()
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(rule.code)
        .name(rule.name)
        .short_description(plain(rule.summary))
        .full_description(plain(rule.summary))
        .help(
            MultiformatMessageString::builder()
                .text(format!("Fix: {}\n\n{}", rule.fix, rule.doc))
                .markdown(format!("**Fix:** {}\n\n{}", rule.fix, rule.doc))
                .build(),
        )
        .default_configuration(
            ReportingConfiguration::builder()
                .level(serde_json::json!(level(rule.severity).to_string()))
                .build(),
        )
        .build()
}

fn plain(text: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(text).build()
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn result(
    code: &str,
    level: ResultLevel,
    text: String,
    file: &FileReport,
    region: Option<Region>,
) -> SarifResult {
    let artifact = ArtifactLocation::builder()
        .uri(uri_path(&file.path))
        .uri_base_id("%SRCROOT%")
        .build();
    let physical = match region {
        Some(region) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(region)
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    let rule_index = RULES.iter().position(|r| r.code == code).unwrap_or(0);
    SarifResult::builder()
        .rule_id(code)
        .rule_index(rule_index as i64)
        .level(level)
        .message(Message::builder().text(text).build())
        .locations(vec![Location::builder()
            .physical_location(physical)
            .build()])
        .build()
}

/// A repository-relative path as a URI reference: every byte outside the unreserved set and
/// `/` percent-encoded (spaces, `#`, `%`, non-ASCII).
fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(byte as char);
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri_path("handoffs/sales-cs/acme.yaml"),
            "handoffs/sales-cs/acme.yaml"
        );
        assert_eq!(
            uri_path("handoffs/a b#1é.yaml"),
            "handoffs/a%20b%231%C3%A9.yaml"
        );
    }
}
