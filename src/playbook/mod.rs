//! Playbooks: per handoff type, the six scored sections, their weights and fields, the gate
//! threshold and the questions a writer answers. Versioned: `playbooks/TYPE.yaml` is the current
//! version, `playbooks/TYPE@N.yaml` keeps older ones, and a handoff that pins `TYPE@N` is
//! scored by version N, so editing a playbook never silently re-scores pinned handoffs.

pub mod condition;
pub mod qualification;
pub mod routing;
pub mod rules;
pub mod score;
pub mod suppress;

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use condition::Condition;
pub use qualification::Qualification;

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
    /// Scored only when this condition on the handoff holds (a conditional field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
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
    /// For a segment playbook (`playbooks/TYPE.SEGMENT.yaml`): the segment, which must match
    /// the file name when written; taken from the file name otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// For a segment playbook: also chosen for an unpinned handoff when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Qualification signals and how many must be met (a gate of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<Qualification>,
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
        if let Some(segment) = &self.segment {
            if !is_segment_name(segment) {
                return fail(
                    "`segment` must be a slug of lower-case letters, digits and `-` (e.g. `enterprise`)".into(),
                );
            }
        }
        if let Some(qualification) = &self.qualification {
            if let Err(message) = qualification.check() {
                return fail(message);
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

    /// `TYPE@VERSION` (`TYPE.SEGMENT@VERSION` for a segment playbook), as a handoff pins it.
    pub fn id(&self) -> String {
        format!("{}@{}", self.name(), self.version)
    }

    /// `TYPE`, or `TYPE.SEGMENT` for a segment playbook: its file name without `.yaml`.
    pub fn name(&self) -> String {
        match &self.segment {
            Some(segment) => format!("{}.{segment}", self.handoff_type),
            None => self.handoff_type.clone(),
        }
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

/// Whether `name` is a segment name: a slug of lower-case letters, digits and `-`.
pub fn is_segment_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}

/// Every playbook version available, by name (`sales-cs`, `sales-cs.enterprise`).
#[derive(Debug, Default)]
pub struct PlaybookSet {
    by_name: HashMap<String, BTreeMap<u32, Playbook>>,
    current: HashMap<String, u32>,
}

/// A playbook looked up for a handoff failed: the pin names something that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinError(pub String);

impl PlaybookSet {
    /// Adds a playbook file. `current` marks `NAME.yaml` (as opposed to an archived
    /// `NAME@N.yaml`).
    pub fn insert(&mut self, playbook: Playbook, current: bool) {
        let name = playbook.name();
        if current {
            self.current.insert(name.clone(), playbook.version);
        }
        self.by_name
            .entry(name)
            .or_default()
            .insert(playbook.version, playbook);
    }

    /// Whether a current playbook for `handoff_type` is loaded.
    pub fn has_type(&self, handoff_type: &str) -> bool {
        self.current.contains_key(handoff_type)
    }

    /// Whether a current playbook named `name` (`sales-cs.enterprise`) is loaded.
    pub fn has_name(&self, name: &str) -> bool {
        self.current.contains_key(name)
    }

    /// The current default playbook of a type.
    pub fn current(&self, handoff_type: &str) -> Option<&Playbook> {
        self.current_named(handoff_type)
    }

    fn current_named(&self, name: &str) -> Option<&Playbook> {
        let version = self.current.get(name)?;
        self.by_name.get(name)?.get(version)
    }

    /// The current segment playbooks of a type, by name.
    pub fn segments(&self, handoff_type: &str) -> Vec<&Playbook> {
        let mut names: Vec<&String> = self
            .current
            .keys()
            .filter(|name| name.split_once('.').is_some_and(|(t, _)| t == handoff_type))
            .collect();
        names.sort();
        names
            .into_iter()
            .filter_map(|name| self.current_named(name))
            .collect()
    }

    /// The current playbook for an unpinned handoff: the segment playbook named by its
    /// `segment`, else the first segment playbook (by name) whose `when` holds, else the
    /// type's default.
    pub fn select(&self, handoff_type: &str, handoff: &serde_json::Value) -> Option<&Playbook> {
        let segments = self.segments(handoff_type);
        let segment = handoff
            .get("segment")
            .and_then(serde_json::Value::as_str)
            .map(|s| s.trim().to_lowercase());
        if let Some(segment) = segment {
            if let Some(playbook) = segments
                .iter()
                .find(|p| p.segment.as_deref() == Some(segment.as_str()))
            {
                return Some(playbook);
            }
        }
        segments
            .into_iter()
            .find(|p| p.when.as_ref().is_some_and(|w| w.holds(handoff)))
            .or_else(|| self.current(handoff_type))
    }

    /// The playbook that scores a handoff of `handoff_type` with an optional `NAME@N` pin
    /// (unpinned: [`PlaybookSet::select`]).
    pub fn resolve(
        &self,
        handoff_type: &str,
        pin: Option<&str>,
        handoff: &serde_json::Value,
    ) -> std::result::Result<&Playbook, PinError> {
        let Some(pin) = pin else {
            return self
                .select(handoff_type, handoff)
                .ok_or_else(|| PinError(format!("no playbook for type `{handoff_type}`")));
        };
        let (pin_name, version) = pin.split_once('@').unwrap_or((pin, ""));
        let pin_type = pin_name.split_once('.').map_or(pin_name, |(t, _)| t);
        if pin_type != handoff_type {
            return Err(PinError(format!(
                "playbook `{pin}` is for type `{pin_type}`, but this handoff is `{handoff_type}`"
            )));
        }
        let version: u32 = version.parse().map_err(|_| {
            PinError(format!(
                "playbook `{pin}` has no version number; write it as `{pin_name}@N`"
            ))
        })?;
        let versions = self.by_name.get(pin_name);
        versions
            .and_then(|v| v.get(&version))
            .ok_or_else(|| {
                let known: Vec<String> = versions
                    .map(|v| v.keys().map(|n| format!("{pin_name}@{n}")).collect())
                    .unwrap_or_default();
                let known = if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                };
                PinError(format!(
                    "playbook `{pin}` does not exist (available: {known}); keep old versions as playbooks/{pin_name}@{version}.yaml"
                ))
            })
    }
}
