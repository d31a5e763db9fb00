//! The gate's verdict on one file as the reporters read it: why a blocked file is blocked and
//! which score may be shown, worked out once from the file report's fields so that no reporter
//! re-derives them; each puts them in its own words.

use crate::lint::FileReport;
use crate::playbook::score::{SectionResult, SectionStatus};

/// Why the gate blocks a file, the first that holds in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// Not valid against its schema (or not parsed).
    Invalid,
    /// Valid, scored below the threshold.
    BelowThreshold,
    /// Complete enough, but its playbook's qualification is not met (HO007, an error finding).
    NotQualified,
    /// Complete enough, with error findings.
    ErrorFindings,
}

/// Why `file` is blocked; `None` when it passed or was skipped.
pub fn blocked_by(file: &FileReport) -> Option<Blocked> {
    if !file.blocked() {
        return None;
    }
    Some(if !file.valid {
        Blocked::Invalid
    } else if file.score < file.threshold {
        Blocked::BelowThreshold
    } else if file.qualification.as_ref().is_some_and(|q| !q.qualified) {
        Blocked::NotQualified
    } else {
        Blocked::ErrorFindings
    })
}

/// The score to show: `None` for a skipped file, which was not scored.
pub fn shown_score(file: &FileReport) -> Option<u32> {
    (!file.skipped).then_some(file.score)
}

/// The sections not complete, in playbook order.
pub fn open_sections(file: &FileReport) -> impl Iterator<Item = &SectionResult> {
    file.sections
        .iter()
        .filter(|s| s.status != SectionStatus::Complete)
}
