//! `handoff explain-score PATH` and `handoff lint --explain`: per section every field, whether
//! it applied (its `when:`), whether it passed and why, the points the section earned, and the
//! qualification signals, so a writer sees exactly where each point went.

use std::io::Write;

use crate::lint::FileReport;
use crate::playbook::score::SectionStatus;
use crate::report::escape::control;

/// Writes the explanation of one file's score.
pub fn write_file(file: &FileReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut header = vec![control(&file.path).into_owned()];
    match &file.playbook {
        Some(playbook) => header.push(format!("playbook {}", control(playbook))),
        None => header.push("not scored (no playbook)".to_string()),
    }
    if file.playbook.is_some() {
        header.push(format!(
            "score {}/100 (threshold {})",
            file.score, file.threshold
        ));
    }
    header.push(crate::report::human::verdict(file));
    writeln!(out, "{}", header.join(" · "))?;
    for section in &file.sections {
        let points = section.status.points(section.weight);
        let applied = section.fields.iter().filter(|f| f.applied).count();
        let passed = section.fields.iter().filter(|f| f.passed).count();
        let why = match section.status {
            SectionStatus::Complete if applied == 0 => "no field applies".to_string(),
            SectionStatus::Complete => format!("all {applied} fields pass"),
            SectionStatus::Partial => format!("{passed} of {applied} fields pass"),
            SectionStatus::Missing => format!("none of {applied} fields pass"),
        };
        writeln!(
            out,
            "{} ({}): {} · {} of {} points · {why}",
            control(&section.title),
            control(&section.id),
            section.status.as_str(),
            trim_points(points),
            section.weight,
        )?;
        for field in &section.fields {
            let (mark, state) = match (field.applied, field.passed) {
                (false, _) => ("–", "not applied".to_string()),
                (true, true) => ("✓", "passed".to_string()),
                (true, false) => (
                    "✗",
                    format!(
                        "failed: {}",
                        control(field.reason.as_deref().unwrap_or("does not pass"))
                    ),
                ),
            };
            let condition = match (&field.condition, field.applied) {
                (Some(when), true) => format!(" (when {}: holds)", control(when)),
                (Some(when), false) => format!(" (when {}: does not hold)", control(when)),
                (None, _) => String::new(),
            };
            writeln!(out, "  {mark} {}  {state}{condition}", control(&field.path))?;
        }
    }
    if let Some(q) = &file.qualification {
        writeln!(
            out,
            "Qualification: {} of {} signals met, {} needed · {}",
            q.met,
            q.total,
            q.threshold,
            if q.qualified {
                "qualified"
            } else {
                "NOT qualified (HO007)"
            }
        )?;
        for signal in &q.signals {
            writeln!(
                out,
                "  {} {} ({})  {}  when {}",
                if signal.met { "✓" } else { "✗" },
                control(&signal.title),
                control(&signal.id),
                if signal.met { "met" } else { "not met" },
                control(&signal.condition)
            )?;
        }
    }
    if !file.valid {
        writeln!(
            out,
            "The handoff is invalid: `handoff lint {}` lists why.",
            control(&file.path)
        )?;
    }
    writeln!(out)
}

/// `7.5` stays `7.5`, `20.0` shows as `20`.
fn trim_points(points: f64) -> String {
    if points.fract() == 0.0 {
        format!("{points:.0}")
    } else {
        format!("{points:.1}")
    }
}
