//! Findings about a handoff: data, never Rust errors. A [`Diagnostic`] names the rule that
//! produced it, its severity, where it is (JSON pointer, then line and column once resolved
//! against the source) and a one-line fix hint. Rules make them
//! (`crate::playbook::rules::Rule::at_pointer`, `at_position`), so this model knows no rule.

use serde::Serialize;

/// How serious a finding is. Errors fail the gate; warnings and infos never change the verdict.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Informational: a suggestion.
    Info,
    /// Worth fixing; does not block.
    Warning,
    /// Blocks the merge.
    Error,
}

impl Severity {
    /// Lower-case name as used in output and config.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding in one handoff file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule's name, e.g. `schema` (the SPEC's `rule` key).
    pub rule: &'static str,
    /// The rule's stable code, e.g. `HO001`.
    pub code: &'static str,
    /// Severity after configuration overrides.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// 1-based line (0 when the file has no usable position, e.g. unreadable bytes).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// JSON pointer of the offending node, when the finding is about a node.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// One-line fix hint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// For findings about sensitive text (a card number, a password): how many characters from
    /// `column` hold it, so that reports which echo the source line mask them.
    #[serde(skip)]
    pub redact: Option<usize>,
}

impl Diagnostic {
    /// Replaces the rule's generic fix hint with a specific one.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
