//! Score deltas as text for people (human, github, markdown): `new`, or
//! `62 → 78 · risks: missing → partial`. The data is [`crate::change`]'s, on each file's report.

use crate::change::{section_moves, ChangeKind};
use crate::lint::FileReport;
use crate::playbook::score::SectionStatus;

/// One line for people: `new`, or `62 → 78 · risks: missing → partial`.
pub fn delta_text(file: &FileReport) -> Option<String> {
    let change = file.change.as_ref()?;
    let Some(base) = &change.base else {
        return Some(match change.kind {
            ChangeKind::Rules => "the rules changed".to_string(),
            _ => "new".to_string(),
        });
    };
    let mut parts = vec![format!("{} → {}", base.score, file.score)];
    if base.passed != file.passed {
        parts.push(
            if file.passed {
                "now passes"
            } else {
                "now blocked"
            }
            .to_string(),
        );
    }
    if !base.valid && file.valid {
        parts.push("was invalid".to_string());
    } else if base.valid && !file.valid {
        parts.push("now invalid".to_string());
    }
    let moves = section_moves(base, &file.sections);
    if moves.is_empty() && base.score == file.score {
        parts.push("no section moved".to_string());
    }
    for moved in moves {
        parts.push(format!(
            "{}: {} → {}",
            moved.id,
            moved.from.map_or("none", SectionStatus::as_str),
            moved.to.as_str()
        ));
    }
    Some(parts.join(" · "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{Baseline, Change};
    use crate::playbook::score::SectionResult;

    fn section(id: &str, status: SectionStatus) -> SectionResult {
        SectionResult {
            id: id.into(),
            title: id.into(),
            weight: 10,
            status,
            gaps: Vec::new(),
        }
    }

    fn file(score: u32, sections: Vec<SectionResult>, change: Option<Change>) -> FileReport {
        FileReport {
            path: "handoffs/a.yaml".into(),
            handoff_type: Some("sales-cs".into()),
            status: None,
            playbook: None,
            valid: true,
            score,
            threshold: 70,
            passed: true,
            skipped: false,
            sections,
            diagnostics: Vec::new(),
            source: None,
            change,
        }
    }

    #[test]
    fn delta_names_the_sections_that_moved() {
        let base = Baseline {
            path: "handoffs/a.yaml".into(),
            score: 62,
            valid: true,
            passed: true,
            sections: vec![
                ("risks".into(), SectionStatus::Missing),
                ("technical".into(), SectionStatus::Complete),
            ],
        };
        let now = file(
            78,
            vec![
                section("risks", SectionStatus::Partial),
                section("technical", SectionStatus::Complete),
            ],
            Some(Change {
                kind: ChangeKind::Modified,
                base: Some(base),
            }),
        );
        assert_eq!(
            delta_text(&now).unwrap(),
            "62 → 78 · risks: missing → partial"
        );
    }

    #[test]
    fn new_and_unchanged_and_unlinted() {
        let new = file(
            80,
            Vec::new(),
            Some(Change {
                kind: ChangeKind::New,
                base: None,
            }),
        );
        assert_eq!(delta_text(&new).unwrap(), "new");
        let same = file(
            80,
            vec![section("risks", SectionStatus::Complete)],
            Some(Change {
                kind: ChangeKind::Renamed,
                base: Some(Baseline {
                    path: "handoffs/old.yaml".into(),
                    score: 80,
                    valid: true,
                    passed: true,
                    sections: vec![("risks".into(), SectionStatus::Complete)],
                }),
            }),
        );
        assert_eq!(delta_text(&same).unwrap(), "80 → 80 · no section moved");
        assert_eq!(delta_text(&file(80, Vec::new(), None)), None);
    }
}
