//! Playbooks: per handoff type, the six scored sections, their weights and fields, the gate
//! threshold and the questions a writer answers. Versioned: `playbooks/TYPE.yaml` is the current
//! version, `playbooks/TYPE@N.yaml` keeps older ones, and a handoff that pins `TYPE@N` is
//! scored by version N, so editing a playbook never silently re-scores pinned handoffs.

pub mod routing;
pub mod rules;
pub mod score;
pub mod suppress;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The five handoff types, in the order the seeds list them.
pub const HANDOFF_TYPES: [&str; 5] = [
    "sdr-ae",
    "sales-cs",
    "ae-se",
    "sales-implementation",
    "cs-sales",
];

/// How a question is asked in a form (the seeds' question kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    /// Short answer: names, titles, single data points.
    Text,
    /// Long answer.
    Textarea,
    /// Several choices.
    MultiSelect,
    /// Yes or no.
    YesNo,
}

/// One scored field of a section, with the question that fills it.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Dotted path into the handoff, e.g. `customer.primary_contact`.
    pub path: String,
    /// For an object: keys that must each pass. For a list: keys each item must have passing.
    #[serde(default)]
    pub keys: Vec<String>,
    /// For text: the fewest words that count as an answer.
    pub min_words: Option<usize>,
    /// For a list: the fewest items (default 1).
    pub min_items: Option<usize>,
    /// The question a writer answers.
    pub question: Option<String>,
    /// Help text shown with the question.
    pub help: Option<String>,
    /// How the question is asked.
    pub kind: Option<QuestionKind>,
    /// Whether the form requires an answer.
    #[serde(default)]
    pub required: bool,
    /// Choices, for multi-select questions.
    #[serde(default)]
    pub options: Vec<String>,
}

/// A question for an unscored field (`to.name`, `trigger.date`, ...).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Dotted path into the handoff.
    pub path: String,
    /// The question.
    pub question: String,
    /// Help text.
    pub help: Option<String>,
    /// How it is asked.
    pub kind: Option<QuestionKind>,
    /// Whether the form requires an answer.
    #[serde(default)]
    pub required: bool,
    /// Choices, for multi-select questions.
    #[serde(default)]
    pub options: Vec<String>,
}

/// A scored section.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable id, e.g. `customer_context`.
    pub id: String,
    /// Title for people.
    pub title: String,
    /// Weight in the 0-100 score.
    pub weight: u32,
    /// The fields that make the section complete.
    pub fields: Vec<Field>,
}

/// One version of one type's playbook.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// The handoff type it scores.
    #[serde(rename = "type")]
    pub handoff_type: String,
    /// Version; handoffs pin it as `TYPE@VERSION`.
    pub version: u32,
    /// Title for people, e.g. "Sales → CS handoff".
    pub title: String,
    /// Role that writes the handoff (e.g. AE).
    pub from_role: Option<String>,
    /// Role that receives it (e.g. CSM).
    pub to_role: Option<String>,
    /// Gate threshold for this type (the repository config and `--threshold` override it).
    pub threshold: Option<u32>,
    /// The scored sections.
    pub sections: Vec<Section>,
    /// Questions for unscored fields.
    #[serde(default)]
    pub questions: Vec<Question>,
    /// The routing strategies `handoff route` applies, in order (else `handoff.toml`'s, else
    /// the default order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<Vec<routing::Strategy>>,
}

impl Playbook {
    /// Parses and checks a playbook file; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Playbook> {
        let playbook: Playbook =
            crate::document::from_yaml(text, origin).map_err(|err| Error::Asset {
                path: origin.to_string(),
                message: format!("not a valid playbook: {}", err.located()),
            })?;
        playbook.check(origin)?;
        Ok(playbook)
    }

    fn check(&self, origin: &str) -> Result<()> {
        let fail = |message: String| {
            Err(Error::Asset {
                path: origin.to_string(),
                message,
            })
        };
        if !HANDOFF_TYPES.contains(&self.handoff_type.as_str()) {
            // The value is not quoted: errors about repository files never echo their content.
            return fail(format!(
                "`type` is not a handoff type; use one of {}",
                HANDOFF_TYPES.join(", ")
            ));
        }
        // Summed as u64, which u32 weights cannot overflow, so `[4294967295, 101, 0, ...]`
        // (100 after wrapping in u32) is refused.
        let total: u64 = self.sections.iter().map(|s| u64::from(s.weight)).sum();
        if total != 100 {
            return fail(format!(
                "section weights add up to {total}; they must add up to 100"
            ));
        }
        if let Some(threshold) = self.threshold {
            if threshold > 100 {
                return fail(format!("threshold {threshold} is over 100"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for section in &self.sections {
            if !seen.insert(section.id.as_str()) {
                return fail(format!("section `{}` appears twice", section.id));
            }
            if section.fields.is_empty() {
                return fail(format!(
                    "section `{}` has no fields; give it at least one",
                    section.id
                ));
            }
        }
        Ok(())
    }

    /// `TYPE@VERSION`, as a handoff pins it.
    pub fn id(&self) -> String {
        format!("{}@{}", self.handoff_type, self.version)
    }

    /// Every question (scored fields first, then the others), with its path.
    pub fn questions(&self) -> Vec<Question> {
        let mut all: Vec<Question> = self
            .sections
            .iter()
            .flat_map(|s| &s.fields)
            .filter_map(|f| {
                Some(Question {
                    path: f.path.clone(),
                    question: f.question.clone()?,
                    help: f.help.clone(),
                    kind: f.kind,
                    required: f.required,
                    options: f.options.clone(),
                })
            })
            .collect();
        all.extend(self.questions.iter().cloned());
        all
    }
}

/// Every playbook version available, by type.
#[derive(Debug, Default)]
pub struct PlaybookSet {
    by_type: HashMap<String, BTreeMap<u32, Playbook>>,
    current: HashMap<String, u32>,
}

/// A playbook looked up for a handoff failed: the pin names something that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinError(pub String);

impl PlaybookSet {
    /// Adds a playbook file. `current` marks `TYPE.yaml` (as opposed to an archived `TYPE@N.yaml`).
    pub fn insert(&mut self, playbook: Playbook, current: bool) {
        let handoff_type = playbook.handoff_type.clone();
        if current {
            self.current.insert(handoff_type.clone(), playbook.version);
        }
        self.by_type
            .entry(handoff_type)
            .or_default()
            .insert(playbook.version, playbook);
    }

    /// Whether a current playbook for `handoff_type` is loaded.
    pub fn has_type(&self, handoff_type: &str) -> bool {
        self.current.contains_key(handoff_type)
    }

    /// The current playbook of a type.
    pub fn current(&self, handoff_type: &str) -> Option<&Playbook> {
        let version = self.current.get(handoff_type)?;
        self.by_type.get(handoff_type)?.get(version)
    }

    /// The playbook that scores a handoff of `handoff_type` with an optional `TYPE@N` pin.
    pub fn resolve(
        &self,
        handoff_type: &str,
        pin: Option<&str>,
    ) -> std::result::Result<&Playbook, PinError> {
        let Some(pin) = pin else {
            return self
                .current(handoff_type)
                .ok_or_else(|| PinError(format!("no playbook for type `{handoff_type}`")));
        };
        let (pin_type, version) = pin.split_once('@').unwrap_or((pin, ""));
        if pin_type != handoff_type {
            return Err(PinError(format!(
                "playbook `{pin}` is for type `{pin_type}`, but this handoff is `{handoff_type}`"
            )));
        }
        let version: u32 = version.parse().map_err(|_| {
            PinError(format!(
                "playbook `{pin}` has no version number; write it as `{handoff_type}@N`"
            ))
        })?;
        let versions = self.by_type.get(handoff_type);
        versions
            .and_then(|v| v.get(&version))
            .ok_or_else(|| {
                let known: Vec<String> = versions
                    .map(|v| v.keys().map(|n| format!("{handoff_type}@{n}")).collect())
                    .unwrap_or_default();
                PinError(format!(
                    "playbook `{pin}` does not exist (available: {}); keep old versions as playbooks/{handoff_type}@{version}.yaml",
                    known.join(", ")
                ))
            })
    }
}
