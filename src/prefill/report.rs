//! What a pre-fill run says, as data and as text: per handoff, how many of the fields the
//! exports could answer were filled, which were inferred, the score now and the sections still
//! to write (with their weight), e.g. `pre-filled 11 of 13 CRM fields (2 inferred) · score
//! 34/100 · still to write: expectations (25), risks (15), technical (15)`; `--format json`
//! writes the same as one JSON object.

use std::io::Write;

use serde::Serialize;
use serde_json::Value;

use crate::playbook::score::{SectionResult, SectionStatus};

/// A filled field and its citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilledField {
    /// Dotted path.
    pub path: String,
    /// Where the value came from.
    pub citation: String,
    /// Why it is a guess, for a fallback.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inferred: Option<String>,
}

/// A written value the export contradicts (left as written).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    /// Dotted path.
    pub path: String,
    /// What the handoff says.
    pub written: Value,
    /// What the export says.
    pub export: Value,
    /// Where the export's value came from.
    pub citation: String,
}

/// A value that could not be written where it belongs, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotPlaced {
    /// Dotted path.
    pub path: String,
    /// Why, and what to do.
    pub reason: String,
}

/// A section that is not complete yet.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToWrite {
    /// Section id (`expectations`).
    pub id: String,
    /// Its weight in the score.
    pub weight: u32,
    /// `missing` or `partial`.
    pub status: &'static str,
}

/// The report for one handoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoffReport {
    /// The handoff, relative to the repository root.
    pub path: String,
    /// The deal it was filled from (`HubSpot deal 9001001`), if any.
    pub deal: Option<String>,
    /// Whether the file was written (false for `--dry-run`).
    pub written: bool,
    /// Fields the mapping names for the type.
    pub fields: usize,
    /// Fields filled by this run.
    pub filled: usize,
    /// Of those, inferred.
    pub inferred: usize,
    /// Fields that already held the export's value.
    pub already_written: usize,
    /// The score now.
    pub score: u32,
    /// The gate's threshold.
    pub threshold: u32,
    /// Sections not complete, heaviest first.
    pub still_to_write: Vec<ToWrite>,
    /// What was filled, with citations.
    pub filled_fields: Vec<FilledField>,
    /// Fields the exports could not answer.
    pub unanswered: Vec<String>,
    /// Written values the exports contradict (nothing was changed).
    pub disagreements: Vec<Disagreement>,
    /// Values that had no place in the file.
    pub not_placed: Vec<NotPlaced>,
    /// Call candidates written as comments.
    pub candidates: usize,
    /// The `sources` entries of the exports used.
    pub sources: Vec<String>,
    /// Things to know (a deal not won, an owner not in the roster).
    pub warnings: Vec<String>,
    /// With `--branch`: the branch and commit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// A deal `--each` did not turn into a handoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The deal's citation.
    pub deal: String,
    /// Why.
    pub reason: String,
}

/// A whole run: one report per handoff (and, for `--each`, the deals skipped).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunReport {
    /// Per handoff.
    pub handoffs: Vec<HandoffReport>,
    /// Deals not turned into handoffs.
    pub skipped: Vec<Skipped>,
}

/// The sections still to write, heaviest first (playbook order among equals).
pub fn still_to_write(sections: &[SectionResult]) -> Vec<ToWrite> {
    let mut sections: Vec<ToWrite> = sections
        .iter()
        .filter(|s| s.status != SectionStatus::Complete)
        .map(|s| ToWrite {
            id: s.id.clone(),
            weight: s.weight,
            status: if s.status == SectionStatus::Missing {
                "missing"
            } else {
                "partial"
            },
        })
        .collect();
    sections.sort_by_key(|s| std::cmp::Reverse(s.weight));
    sections
}

/// A value as one short line of text, for messages.
fn short(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| value.to_string()),
        other => other.to_string(),
    };
    let text = crate::prefill::plan::clean(&text);
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(60).collect::<String>())
    } else {
        text
    }
}

impl HandoffReport {
    /// The report's one-line summary.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "pre-filled {} of {} CRM fields ({} inferred)",
            self.filled, self.fields, self.inferred
        );
        if self.already_written > 0 {
            line.push_str(&format!(" · {} already written", self.already_written));
        }
        if !self.disagreements.is_empty() {
            line.push_str(&format!(
                " · {} disagreement{}",
                self.disagreements.len(),
                if self.disagreements.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        line.push_str(&format!(" · score {}/100", self.score));
        if self.still_to_write.is_empty() {
            line.push_str(" · nothing left to write");
        } else {
            let sections: Vec<String> = self
                .still_to_write
                .iter()
                .map(|s| match s.status {
                    "partial" => format!("{} ({}, partly)", s.id, s.weight),
                    _ => format!("{} ({})", s.id, s.weight),
                })
                .collect();
            line.push_str(&format!(" · still to write: {}", sections.join(", ")));
        }
        line
    }

    /// The summary and the details a person acts on, as lines of text.
    pub fn human(&self) -> String {
        let mut text = format!("{}: {}\n", self.path, self.summary());
        for field in &self.filled_fields {
            if let Some(why) = &field.inferred {
                text.push_str(&format!("  inferred: {} ({why}); check it\n", field.path));
            }
        }
        for d in &self.disagreements {
            text.push_str(&format!(
                "  disagrees: {} is {:?} here, {:?} per {}; left as written\n",
                d.path,
                short(&d.written),
                short(&d.export),
                d.citation
            ));
        }
        for n in &self.not_placed {
            text.push_str(&format!("  not written: {}: {}\n", n.path, n.reason));
        }
        if !self.unanswered.is_empty() {
            text.push_str(&format!(
                "  not in the exports (left empty): {}\n",
                self.unanswered.join(", ")
            ));
        }
        if self.candidates > 0 {
            text.push_str(&format!(
                "  {} candidate{} from the calls written as `# Per Gong` comments: choose what fits\n",
                self.candidates,
                if self.candidates == 1 { "" } else { "s" }
            ));
        }
        for warning in &self.warnings {
            text.push_str(&format!("  warning: {warning}\n"));
        }
        text
    }
}

/// Writes a run's report as text.
pub fn write_human(report: &RunReport, out: &mut dyn Write) -> std::io::Result<()> {
    for handoff in &report.handoffs {
        out.write_all(handoff.human().as_bytes())?;
    }
    for skipped in &report.skipped {
        writeln!(out, "skipped {}: {}", skipped.deal, skipped.reason)?;
    }
    Ok(())
}

/// Writes a run's report as JSON: the one handoff's object for a single handoff, else
/// `{"handoffs": [...], "skipped": [...]}`.
pub fn write_json(report: &RunReport, single: bool, out: &mut dyn Write) -> std::io::Result<()> {
    let text = match (single, report.handoffs.as_slice()) {
        (true, [only]) => serde_json::to_string_pretty(only),
        _ => serde_json::to_string_pretty(report),
    }
    .map_err(std::io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_reads_as_the_issue_writes_it() {
        let report = HandoffReport {
            path: "handoffs/sales-cs/acme.yaml".into(),
            deal: Some("HubSpot deal 9001001".into()),
            written: true,
            fields: 13,
            filled: 11,
            inferred: 2,
            already_written: 0,
            score: 34,
            threshold: 70,
            still_to_write: vec![
                ToWrite {
                    id: "expectations".into(),
                    weight: 25,
                    status: "missing",
                },
                ToWrite {
                    id: "risks".into(),
                    weight: 15,
                    status: "missing",
                },
                ToWrite {
                    id: "technical".into(),
                    weight: 15,
                    status: "missing",
                },
            ],
            filled_fields: Vec::new(),
            unanswered: Vec::new(),
            disagreements: Vec::new(),
            not_placed: Vec::new(),
            candidates: 0,
            sources: Vec::new(),
            warnings: Vec::new(),
            commit: None,
        };
        assert_eq!(
            report.summary(),
            "pre-filled 11 of 13 CRM fields (2 inferred) · score 34/100 · still to write: expectations (25), risks (15), technical (15)"
        );
    }
}
