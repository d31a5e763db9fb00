//! The gate: discover → parse once → validate → score → rules → verdict, in parallel over
//! files. [`Linter`] holds everything compiled once per run (schemas, playbooks, roster, rule
//! settings) and evaluates one file's bytes; `handoff metrics` reuses it for blobs from history.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;

use rayon::prelude::*;
use serde_json::Value;

use crate::change::{Change, ChangedSince};
use crate::config::{RuleSetting, DEFAULT_THRESHOLD};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{self, Document};
use crate::error::{Error, Result};
use crate::findings;
use crate::playbook::qualification::QualificationResult;
use crate::playbook::rules::{self, RuleContext, RULES};
use crate::playbook::score::{self, SectionResult};
use crate::playbook::suppress;
use crate::playbook::{PinError, Playbook, PlaybookSet, HANDOFF_TYPES};
use crate::repo::{Candidate, Workspace};
use crate::roster::Roster;
use crate::schema::SchemaSet;

/// The verdict on one handoff file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Path relative to the repository root, with `/`.
    pub path: String,
    /// The handoff's `type`, when it has a known one.
    pub handoff_type: Option<String>,
    /// The handoff's `status` (draft, submitted, ...), when present.
    pub status: Option<String>,
    /// The playbook that scored it (`sales-cs@1`).
    pub playbook: Option<String>,
    /// Parsed and valid against its schema.
    pub valid: bool,
    /// Completeness score, 0-100 (0 when it could not be scored).
    pub score: u32,
    /// The threshold that applied.
    pub threshold: u32,
    /// Valid, at or above the threshold, and no error findings.
    pub passed: bool,
    /// Not checked (a symbolic link found in a folder): then `passed` is false and the score
    /// means nothing; it counts neither as passed nor as blocked and does not fail the gate.
    pub skipped: bool,
    /// Per-section results.
    pub sections: Vec<SectionResult>,
    /// Qualification, when the playbook declares it (below its threshold: HO007).
    pub qualification: Option<QualificationResult>,
    /// Findings, by line; at most [`findings::MAX_PER_RULE`] per rule, then one finding that
    /// counts the rest.
    pub diagnostics: Vec<Diagnostic>,
    /// The source text, kept only when there are findings (to show their lines), with every
    /// sensitive range (secrets, card and id numbers) masked.
    pub source: Option<String>,
    /// With `--changed-since`: how the file changed and its score at the merge base.
    pub change: Option<Change>,
}

impl FileReport {
    /// Checked and not passed: the file fails the gate.
    pub fn blocked(&self) -> bool {
        !self.passed && !self.skipped
    }

    /// The source line `line` (1-based), when kept. It walks the text: for many lines, index
    /// them once with [`FileReport::source_lines`].
    pub fn source_line(&self, line: usize) -> Option<&str> {
        let source = self.source.as_deref()?;
        source.lines().nth(line.checked_sub(1)?)
    }

    /// The kept source's lines (index 0 is line 1), in one pass; empty when no source is kept.
    pub fn source_lines(&self) -> Vec<&str> {
        self.source
            .as_deref()
            .map_or_else(Vec::new, |s| s.lines().collect())
    }
}

/// A version's score without its findings ([`Linter::score_document`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreOnly {
    /// Completeness score, 0-100 (0 when it could not be scored).
    pub score: u32,
    /// The threshold that applied.
    pub threshold: u32,
    /// The handoff's `status`, when present.
    pub status: Option<String>,
    /// Per-section results, as the full evaluation reports them (empty when not scored).
    pub sections: Vec<SectionResult>,
}

/// The verdict on a set of files.
#[derive(Debug, Clone)]
pub struct LintReport {
    /// The threshold in force for the run (per-type playbook thresholds may differ per file).
    pub threshold: u32,
    /// Every file passed.
    pub passed: bool,
    /// Per file, sorted by path.
    pub files: Vec<FileReport>,
    /// With `--changed-since`: the ref and the merge base the files were compared with.
    pub changed_since: Option<ChangedSince>,
}

/// Everything compiled once per run.
pub struct Linter {
    schemas: SchemaSet,
    playbooks: PlaybookSet,
    roster: Option<Roster>,
    severities: HashMap<&'static str, Option<Severity>>,
    threshold_override: Option<u32>,
    max_file_size: u64,
    today: jiff::civil::Date,
    stale_draft_days: u32,
    drafts_blocked: bool,
    /// The repository, for the open handoffs per receiver (HO106), read once when first needed.
    workspace: Workspace,
    workload: std::sync::OnceLock<crate::roster::Workload>,
}

impl Linter {
    /// Loads and compiles the workspace's schemas, playbooks, roster and rule settings.
    /// `threshold` is `--threshold`, which overrides the config and the playbooks.
    pub fn new(
        workspace: &Workspace,
        threshold: Option<u32>,
        today: jiff::civil::Date,
    ) -> Result<Linter> {
        if let Some(t) = threshold {
            if t > 100 {
                return Err(Error::Usage(format!(
                    "--threshold {t}: a score is 0-100; give a threshold between 0 and 100"
                )));
            }
        }
        let config = &workspace.config;
        let mut severities = HashMap::new();
        for (key, setting) in &config.rules {
            let rule = rules::find(key).ok_or_else(|| Error::Config {
                path: workspace.root.join(crate::config::CONFIG_FILE),
                message: format!("[rules] {key}: no such rule; `handoff explain` lists the rules"),
            })?;
            if !rule.configurable && *setting != RuleSetting::Error {
                return Err(Error::Config {
                    path: workspace.root.join(crate::config::CONFIG_FILE),
                    message: format!(
                        "[rules] {key}: {} ({}) guards validity and cannot be turned off or down",
                        rule.code, rule.name
                    ),
                });
            }
            severities.insert(rule.code, setting.severity());
        }
        Ok(Linter {
            schemas: workspace.load_schemas()?,
            playbooks: workspace.load_playbooks()?,
            roster: workspace.load_roster()?,
            severities,
            threshold_override: threshold.or(config.threshold),
            max_file_size: config.max_file_size,
            today,
            stale_draft_days: config.stale_draft_days,
            drafts_blocked: false,
            workspace: workspace.clone(),
            workload: std::sync::OnceLock::new(),
        })
    }

    /// Reports every `status: draft` handoff it evaluates as HO105 `draft-in-review` (for
    /// `--changed-since`, when `block_drafts` is on).
    pub fn block_drafts(&mut self, on: bool) {
        self.drafts_blocked = on;
    }

    /// Whether drafts are reported as HO105 ([`Linter::block_drafts`]).
    pub fn drafts_blocked(&self) -> bool {
        self.drafts_blocked
    }

    /// A rule's severity after configuration (`None`: turned off).
    fn severity_of(&self, rule: &rules::Rule) -> Option<Severity> {
        match self.severities.get(rule.code) {
            Some(setting) => *setting,
            None => Some(rule.severity),
        }
    }

    /// The threshold in force when a playbook sets none.
    pub fn default_threshold(&self) -> u32 {
        self.threshold_override.unwrap_or(DEFAULT_THRESHOLD)
    }

    /// The loaded playbooks.
    pub fn playbooks(&self) -> &PlaybookSet {
        &self.playbooks
    }

    /// The current playbook of `handoff_type`, which `new` and `prefill` write against.
    pub fn current_playbook(&self, handoff_type: &str) -> Result<&crate::playbook::Playbook> {
        self.playbooks
            .current(handoff_type)
            .ok_or_else(|| Error::Asset {
                path: format!("playbooks/{handoff_type}.yaml"),
                message: "no current playbook for this type".into(),
            })
    }

    /// The compiled schemas.
    pub fn schemas(&self) -> &SchemaSet {
        &self.schemas
    }

    /// The loaded roster.
    pub fn roster(&self) -> Option<&Roster> {
        self.roster.as_ref()
    }

    /// Reads and evaluates one file from disk.
    pub fn lint_file(&self, candidate: &Candidate) -> FileReport {
        match self.read(candidate) {
            Ok(bytes) => self.evaluate(&candidate.display, &bytes),
            Err(report) => *report,
        }
    }

    /// Reads, parses and evaluates one file, returning the parsed document with its report, for
    /// commands that need both (the file is read and parsed once). The document is `None` when
    /// the file could not be read or parsed; the report's diagnostic says why and where.
    pub fn lint_file_with_document(&self, candidate: &Candidate) -> (Option<Document>, FileReport) {
        let bytes = match self.read(candidate) {
            Ok(bytes) => bytes,
            Err(report) => return (None, *report),
        };
        match document::parse(&bytes, self.max_file_size) {
            Ok(document) => {
                let report = self.evaluate_parsed(&candidate.display, &document);
                (Some(document), report)
            }
            Err(failure) => (
                None,
                self.unparsable(&candidate.display, rules::YAML, failure),
            ),
        }
    }

    /// The file's bytes, or the report of a file that is too large or unreadable.
    /// Reads a candidate's bytes, or the report that says why it was not read: a symbolic
    /// link found in a folder (reported, never followed), not a regular file (a pipe would
    /// block), over the size cap (checked before reading), or unreadable.
    fn read(&self, candidate: &Candidate) -> Result<Vec<u8>, Box<FileReport>> {
        let refuse = |rule: &rules::Rule, message: String, help: String| {
            let failure = document::ParseFailure {
                message,
                help,
                line: 0,
                column: 0,
            };
            Box::new(self.unparsable(&candidate.display, rule, failure))
        };
        if candidate.symlink {
            let mut report = refuse(
                rules::SYMLINK,
                "a symbolic link: not followed (it could point outside the repository)".into(),
                rules::SYMLINK.fix.into(),
            );
            // Skipped, not judged: it blocks only when configured as an error.
            let severity = self.severity_of(rules::SYMLINK);
            report.diagnostics.retain(|_| severity.is_some());
            report
                .diagnostics
                .iter_mut()
                .for_each(|d| d.severity = severity.unwrap_or(d.severity));
            report.skipped = severity != Some(Severity::Error);
            return Err(report);
        }
        match std::fs::metadata(&candidate.path) {
            Ok(meta) if !meta.is_file() => {
                return Err(refuse(
                    rules::UNREADABLE,
                    "not a regular file (a pipe, socket or device); it was not read".into(),
                    "a handoff is a plain YAML file; remove this one from the handoffs folder"
                        .into(),
                ));
            }
            Ok(meta) if meta.len() > self.max_file_size => {
                let failure = document::oversized(meta.len(), self.max_file_size);
                return Err(Box::new(self.unparsable(
                    &candidate.display,
                    rules::YAML,
                    failure,
                )));
            }
            _ => {}
        }
        std::fs::read(&candidate.path).map_err(|err| {
            refuse(
                rules::UNREADABLE,
                format!("cannot read the file: {err}"),
                rules::UNREADABLE.fix.into(),
            )
        })
    }

    fn unparsable(
        &self,
        path: &str,
        rule: &rules::Rule,
        failure: document::ParseFailure,
    ) -> FileReport {
        let diagnostic = rule
            .at_position(failure.line, failure.column, failure.message)
            .with_help(failure.help);
        FileReport {
            path: path.to_string(),
            handoff_type: None,
            status: None,
            playbook: None,
            valid: false,
            score: 0,
            threshold: self.default_threshold(),
            passed: false,
            skipped: false,
            sections: Vec::new(),
            qualification: None,
            diagnostics: vec![diagnostic],
            source: None,
            change: None,
        }
    }

    /// The report of a file over the size cap, from its size alone: it is never read (a version
    /// in git history, whose size comes from the object's header).
    pub fn oversized(&self, path: &str, size: u64) -> FileReport {
        let failure = document::oversized(size, self.max_file_size);
        self.unparsable(path, rules::YAML, failure)
    }

    /// Evaluates one file's bytes: parse, validate, score, rules, verdict.
    pub fn evaluate(&self, path: &str, bytes: &[u8]) -> FileReport {
        let document = match document::parse(bytes, self.max_file_size) {
            Ok(document) => document,
            Err(failure) => return self.unparsable(path, rules::YAML, failure),
        };
        self.evaluate_document(path, document)
    }

    /// Evaluates an already parsed document.
    pub fn evaluate_document(&self, path: &str, document: Document) -> FileReport {
        let (mut report, redacted) = self.verdict(path, &document);
        if !report.diagnostics.is_empty() {
            report.source = Some(if redacted.is_empty() {
                document.source
            } else {
                findings::mask(&document.source, &redacted)
            });
        }
        report
    }

    /// Evaluates a parsed document it does not own (the source is copied into the report only
    /// when there are findings).
    pub fn evaluate_parsed(&self, path: &str, document: &Document) -> FileReport {
        let (mut report, redacted) = self.verdict(path, document);
        if !report.diagnostics.is_empty() {
            report.source = Some(findings::mask(&document.source, &redacted));
        }
        report
    }

    /// The score and threshold [`Linter::evaluate_document`] would report for `document`, and
    /// its `status`, without validating it or running the content rules: for versions whose
    /// findings nobody reads (`handoff metrics`' `score_at_merge`), at a fraction of the cost.
    pub fn score_document(&self, document: &Document) -> ScoreOnly {
        let value = &document.value;
        let playbook = value
            .get("type")
            .and_then(Value::as_str)
            .filter(|t| HANDOFF_TYPES.contains(t))
            .and_then(|handoff_type| self.playbook_for(handoff_type, value).ok());
        let scorecard = playbook.map(|playbook| score::score(playbook, value));
        ScoreOnly {
            score: scorecard.as_ref().map_or(0, |card| card.score),
            threshold: playbook.map_or(self.default_threshold(), |p| self.threshold_of(p)),
            sections: scorecard.map(|card| card.sections).unwrap_or_default(),
            status: value
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    /// The playbook that scores a handoff of a known type: the one it pins, else the latest.
    fn playbook_for(
        &self,
        handoff_type: &str,
        value: &Value,
    ) -> std::result::Result<&Playbook, PinError> {
        let pin = value
            .get("playbook")
            .and_then(Value::as_str)
            .filter(|p| !p.trim().is_empty());
        self.playbooks.resolve(handoff_type, pin, value)
    }

    /// The playbook that scores a parsed handoff (its pin, its segment, else the type's
    /// default), or why there is none.
    pub fn playbook_of(&self, value: &Value) -> std::result::Result<&Playbook, PinError> {
        let handoff_type = value
            .get("type")
            .and_then(Value::as_str)
            .filter(|t| HANDOFF_TYPES.contains(t))
            .ok_or_else(|| PinError("the handoff has no known `type`".into()))?;
        self.playbook_for(handoff_type, value)
    }

    /// The open handoffs per receiver, when HO106 can use them: the receiver has a `capacity`
    /// and the rule is on. The handoffs folder is read the first time (once per run).
    fn workload_for(&self, value: &Value) -> Option<&crate::roster::Workload> {
        let receiver = rules::text_at(value, "/to/name")?;
        self.roster.as_ref()?.find(receiver)?.capacity?;
        self.severity_of(rules::over_capacity::RULE)?;
        Some(self.workload.get_or_init(|| self.workspace.workload()))
    }

    /// The threshold that applies under `playbook`: `--threshold` or the config first.
    fn threshold_of(&self, playbook: &Playbook) -> u32 {
        self.threshold_override
            .or(playbook.threshold)
            .unwrap_or(DEFAULT_THRESHOLD)
    }

    /// Validate, score, rules, verdict; the report's `source` is left to the callers, with the
    /// byte ranges they must mask in it.
    fn verdict(&self, path: &str, document: &Document) -> (FileReport, Vec<Range<usize>>) {
        let value = &document.value;
        let mut diagnostics = Vec::new();
        let mut valid = true;
        let mut scored_by = None;
        let handoff_type = value.get("type").and_then(Value::as_str);
        let known_type = handoff_type.filter(|t| HANDOFF_TYPES.contains(t));
        if !value.is_object() {
            valid = false;
            diagnostics.push(rules::SCHEMA.at_pointer("",
                "a handoff is a mapping of keys (`type: ...`, `status: ...`), not a list or a single value",
            ));
        } else if known_type.is_none() {
            valid = false;
            let message = match value.get("type") {
                None | Some(Value::Null) => "the handoff has no `type`".to_string(),
                Some(other) => format!(
                    "`type: {}` is not a handoff type",
                    other
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| other.to_string())
                ),
            };
            diagnostics.push(rules::UNKNOWN_TYPE.at_pointer("/type", message));
        }
        let mut report = FileReport {
            path: path.to_string(),
            handoff_type: known_type.map(str::to_string),
            status: value
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_string),
            playbook: None,
            valid,
            score: 0,
            threshold: self.default_threshold(),
            passed: false,
            skipped: false,
            sections: Vec::new(),
            qualification: None,
            diagnostics: Vec::new(),
            source: None,
            change: None,
        };
        if let Some(handoff_type) = known_type {
            for issue in self.schemas.validate(handoff_type, value) {
                report.valid = false;
                let mut diagnostic = rules::SCHEMA.at_pointer(issue.pointer, issue.message);
                if let Some(help) = issue.help {
                    diagnostic = diagnostic.with_help(help);
                }
                diagnostics.push(diagnostic);
            }
            match self.playbook_for(handoff_type, value) {
                Ok(playbook) => {
                    let scorecard = score::score(playbook, value);
                    report.score = scorecard.score;
                    report.sections = scorecard.sections;
                    report.playbook = Some(playbook.id());
                    report.threshold = self.threshold_of(playbook);
                    if let Some(qualification) = &playbook.qualification {
                        let result = qualification.evaluate(value);
                        if !result.qualified {
                            diagnostics.push(
                                rules::QUALIFICATION
                                    .at_pointer(qualification.pointer(&result), result.summary())
                                    .with_help(rules::QUALIFICATION.fix),
                            );
                        }
                        report.qualification = Some(result);
                    }
                    scored_by = Some(playbook);
                }
                Err(rules_error) => {
                    report.valid = false;
                    diagnostics.push(rules::PLAYBOOK_PIN.at_pointer("/playbook", rules_error.0));
                }
            }
        }
        if value.is_object() {
            let context = RuleContext {
                path,
                playbook: scored_by,
                workload: self.workload_for(value),
                roster: self.roster.as_ref(),
                today: self.today,
                stale_draft_days: self.stale_draft_days,
            };
            for rule in RULES {
                let Some(check) = rule.check else { continue };
                if matches!(self.severities.get(rule.code), Some(None)) {
                    continue;
                }
                diagnostics.extend(check(rule, &context, document));
            }
            let draft = value.get("status").and_then(Value::as_str) == Some("draft");
            let draft_rule = rules::DRAFT_IN_REVIEW;
            if self.drafts_blocked && draft && self.severity_of(draft_rule).is_some() {
                diagnostics.push(draft_rule.at_pointer("/status",
                    "still `status: draft` in a change for review: a draft is not ready to hand over",
                ));
            }
        }
        for diagnostic in &mut diagnostics {
            if let Some(Some(severity)) = self.severities.get(diagnostic.code) {
                diagnostic.severity = *severity;
            }
        }
        // Source rules' findings are positioned already: one finding per secret, and every
        // sensitive range taken for masking before anything is capped or suppressed (a
        // suppressed or capped secret on a shown line is masked all the same).
        findings::drop_parts_of_secrets(&document.source, &mut diagnostics);
        let redacted = findings::redacted_ranges(&document.source, &diagnostics);
        // Capped before positions are resolved: a file full of findings costs the position
        // index only the ones reported.
        let left_out = findings::cap_per_rule(&mut diagnostics);
        // Positions come from the parse (the reader builds them with the value).
        for diagnostic in &mut diagnostics {
            if let (Some(pointer), 0) = (&diagnostic.pointer, diagnostic.line) {
                let position = document.positions.locate(pointer);
                diagnostic.line = position.line;
                diagnostic.column = position.column;
            }
        }
        let unused_suppression = match self.severities.get(rules::UNUSED_SUPPRESSION.code) {
            None => Some(rules::UNUSED_SUPPRESSION.severity),
            Some(setting) => *setting,
        };
        suppress::apply(&document.source, &mut diagnostics, unused_suppression);
        diagnostics.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
        let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);
        report.passed = report.valid && !has_error && report.score >= report.threshold;
        diagnostics.extend(left_out);
        report.diagnostics = diagnostics;
        (report, redacted)
    }
}

/// Lints `paths` (default: the handoffs folder) in parallel.
pub fn lint_paths(workspace: &Workspace, linter: &Linter, paths: &[PathBuf]) -> Result<LintReport> {
    let candidates = workspace.discover(paths)?;
    Ok(lint_candidates(linter, &candidates))
}

/// Lints the given files in parallel; the report is sorted by path.
pub fn lint_candidates(linter: &Linter, candidates: &[Candidate]) -> LintReport {
    let files: Vec<FileReport> = candidates.par_iter().map(|c| linter.lint_file(c)).collect();
    LintReport {
        threshold: linter.default_threshold(),
        passed: files.iter().all(|f| !f.blocked()),
        files,
        changed_since: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLES: [&str; 4] = [
        include_str!("../handoffs/sales-cs/brightline-insurance.yaml"),
        include_str!("../handoffs/sdr-ae/orchid-payroll.yaml"),
        include_str!("../handoffs/ae-se/kestrel-analytics.yaml"),
        include_str!("../handoffs/cs-sales/alder-biotech.yaml"),
    ];

    /// The examples and variants that score differently: a thin header, a schema error, an
    /// accepted one, an unknown pinned playbook, an unknown type, not a mapping.
    fn versions() -> Vec<String> {
        let mut versions = Vec::new();
        for example in EXAMPLES {
            versions.push(example.to_string());
            let header_end = example
                .find("\ntrigger:")
                .and_then(|at| example[at + 1..].find('\n').map(|end| at + 1 + end + 1));
            versions.push(example[..header_end.expect("a trigger line")].to_string());
            versions.push(example.replacen("status: submitted", "status: 42", 1));
            versions.push(example.replacen("status: submitted", "status: accepted", 1));
            versions.push(format!("playbook: unknown@99\n{example}").replacen(
                "\nplaybook: ",
                "\nx-playbook: ",
                1,
            ));
            versions.push(example.replacen("type: ", "type: x-", 1));
        }
        versions.push("- a list\n- not a handoff\n".to_string());
        versions
    }

    #[test]
    fn score_document_agrees_with_the_full_evaluation() {
        let empty = tempfile::tempdir().expect("temp dir");
        let workspace = Workspace::open(empty.path()).expect("workspace");
        let today = "2026-01-15".parse().expect("date");
        for threshold in [None, Some(90)] {
            let linter = Linter::new(&workspace, threshold, today).expect("linter");
            let mut scores = Vec::new();
            for version in versions() {
                let document = document::parse(version.as_bytes(), 1 << 20).expect("parses");
                let full = linter.evaluate_parsed("x.yaml", &document);
                let only = linter.score_document(&document);
                assert_eq!(
                    (
                        only.score,
                        only.threshold,
                        only.status.as_deref(),
                        &only.sections
                    ),
                    (
                        full.score,
                        full.threshold,
                        full.status.as_deref(),
                        &full.sections
                    ),
                    "{version}"
                );
                scores.push(only.score);
            }
            // The variants do score differently: the comparison covers more than one case.
            scores.sort_unstable();
            scores.dedup();
            assert!(scores.len() > 3, "{scores:?}");
            assert!(scores.contains(&0));
        }
    }
}
