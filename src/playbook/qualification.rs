//! Qualification: a playbook's named signals (each a [`Condition`] on the handoff) and how many
//! must be met (the seeds' "3 of 5 signals met = qualified"). Below the threshold a handoff
//! fails the gate whatever its completeness score (rule HO007).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Condition;

/// The most signals a playbook may declare.
pub const MAX_SIGNALS: usize = 50;

/// A playbook's qualification block.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    /// How many signals must be met.
    pub threshold: usize,
    /// The signals, in the order reports list them.
    pub signals: Vec<Signal>,
}

/// One qualification signal.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// Stable id, e.g. `budget` (named in findings).
    pub id: String,
    /// Title for people, e.g. "Budget".
    pub title: String,
    /// Met when this holds.
    pub condition: Condition,
}

/// One signal's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalResult {
    /// The signal's id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its condition, as written in the playbook.
    pub condition: String,
    /// Whether it is met.
    pub met: bool,
}

/// A handoff's qualification against a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualificationResult {
    /// Signals met.
    pub met: usize,
    /// Signals declared.
    pub total: usize,
    /// Signals needed.
    pub threshold: usize,
    /// `met >= threshold`.
    pub qualified: bool,
    /// Per signal, in playbook order.
    pub signals: Vec<SignalResult>,
}

impl QualificationResult {
    /// The ids of the signals not met.
    pub fn missing(&self) -> Vec<&str> {
        self.signals
            .iter()
            .filter(|s| !s.met)
            .map(|s| s.id.as_str())
            .collect()
    }

    /// The one-line summary HO007 reports: `2 of 5 qualification signals met: budget,
    /// timeline, authority missing (3 needed)`.
    pub fn summary(&self) -> String {
        let missing = self.missing();
        if missing.is_empty() {
            format!("{} of {} qualification signals met", self.met, self.total)
        } else {
            format!(
                "{} of {} qualification signals met: {} missing ({} needed)",
                self.met,
                self.total,
                missing.join(", "),
                self.threshold
            )
        }
    }
}

impl Qualification {
    /// Checks the block; the error names the key, never a value.
    pub fn check(&self) -> Result<(), String> {
        if self.signals.is_empty() {
            return Err("`qualification` has no signals; give it at least one".into());
        }
        if self.signals.len() > MAX_SIGNALS {
            return Err(format!(
                "`qualification` has {} signals; at most {MAX_SIGNALS} are allowed",
                self.signals.len()
            ));
        }
        if self.threshold == 0 || self.threshold > self.signals.len() {
            return Err(format!(
                "`qualification.threshold` must be between 1 and the number of signals ({})",
                self.signals.len()
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (index, signal) in self.signals.iter().enumerate() {
            let id_ok = !signal.id.is_empty()
                && signal.id.len() <= 64
                && signal
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !id_ok {
                return Err(format!(
                    "qualification signal {}: `id` must be lower-case letters, digits and `_` (e.g. `budget`)",
                    index + 1
                ));
            }
            if !seen.insert(signal.id.as_str()) {
                return Err(format!(
                    "qualification signal `{}` appears twice",
                    signal.id
                ));
            }
        }
        Ok(())
    }

    /// Evaluates every signal on a handoff.
    pub fn evaluate(&self, handoff: &Value) -> QualificationResult {
        let signals: Vec<SignalResult> = self
            .signals
            .iter()
            .map(|signal| SignalResult {
                id: signal.id.clone(),
                title: signal.title.clone(),
                condition: signal.condition.source().to_string(),
                met: signal.condition.holds(handoff),
            })
            .collect();
        let met = signals.iter().filter(|s| s.met).count();
        QualificationResult {
            met,
            total: signals.len(),
            threshold: self.threshold,
            qualified: met >= self.threshold,
            signals,
        }
    }

    /// The JSON pointer a finding points at: the first field of the first unmet signal.
    pub fn pointer(&self, result: &QualificationResult) -> String {
        self.signals
            .iter()
            .zip(&result.signals)
            .find(|(_, r)| !r.met)
            .and_then(|(signal, _)| signal.condition.paths().first().copied())
            .map(|path| format!("/{}", path.replace('.', "/")))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn block(yaml: &str) -> Qualification {
        crate::document::from_yaml(yaml, "test").expect("parses")
    }

    const FIVE: &str = "threshold: 3\nsignals:\n\
        - {id: company_size, title: Company size, condition: prospect.size is filled}\n\
        - {id: authority, title: Authority, condition: qualification.authority is filled}\n\
        - {id: use_case, title: Use-case fit, condition: qualification.pain is filled}\n\
        - {id: budget, title: Budget, condition: qualification.budget is filled}\n\
        - {id: timeline, title: Timeline, condition: qualification.timeline is filled}\n";

    #[test]
    fn counts_signals_against_the_threshold() {
        let q = block(FIVE);
        q.check().unwrap();
        let two = q.evaluate(
            &json!({"prospect": {"size": "350"}, "qualification": {"pain": "x", "budget": "TBD"}}),
        );
        assert_eq!((two.met, two.total, two.qualified), (2, 5, false));
        assert_eq!(
            two.summary(),
            "2 of 5 qualification signals met: authority, budget, timeline missing (3 needed)"
        );
        assert_eq!(q.pointer(&two), "/qualification/authority");
        let three = q.evaluate(&json!({"prospect": {"size": "350"}, "qualification": {"pain": "x", "budget": "50k", "authority": "CFO"}}));
        assert_eq!((three.met, three.qualified), (4, true));
        assert_eq!(three.missing(), ["timeline"]);
    }

    #[test]
    fn bad_blocks_are_refused() {
        let zero = block("threshold: 0\nsignals: [{id: a, title: A, condition: a is filled}]");
        assert!(zero.check().unwrap_err().contains("between 1 and"));
        let over = block("threshold: 2\nsignals: [{id: a, title: A, condition: a is filled}]");
        assert!(over
            .check()
            .unwrap_err()
            .contains("between 1 and the number of signals (1)"));
        let twice = block("threshold: 1\nsignals: [{id: a, title: A, condition: a is filled}, {id: a, title: B, condition: b is filled}]");
        assert!(twice.check().unwrap_err().contains("appears twice"));
        let id = block("threshold: 1\nsignals: [{id: 'A B', title: A, condition: a is filled}]");
        assert!(id.check().unwrap_err().contains("`id` must be"));
        let err = crate::document::from_yaml::<Qualification>(
            "threshold: 1\nsignals:\n  - id: a\n    title: A\n    condition: a >= lots\n",
            "playbooks/x.yaml",
        )
        .unwrap_err();
        assert_eq!(err.line, 5);
        assert!(err
            .message
            .contains("condition: the operator at character 3 orders numbers"));
    }
}
