//! Calls into candidates: what the customer's side said, as comment lines under the fields it
//! fits (`crm/gong.yaml` says which), each citing the call, the moment and the speaker. Gong
//! never fills a value: a person chooses what the handoff says. Pure: calls and rules in,
//! candidates and `sources` entries out.

use std::collections::BTreeMap;

use super::export::{Affiliation, Call, Party};
use super::mapping::{CandidateKind, GongMapping};
use super::plan::clean;

/// Longest sentence quoted in a comment (longer ones are cut at a word, with `…`).
const MAX_QUOTE: usize = 240;

/// What the calls offer one handoff.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidates {
    /// Field path → comment lines (without `# `), earliest first.
    pub by_field: BTreeMap<String, Vec<String>>,
    /// `Gong: Discovery call 2026-10-12`, one per call used.
    pub sources: Vec<String>,
}

impl Candidates {
    /// How many candidate lines there are.
    pub fn count(&self) -> usize {
        self.by_field.values().map(Vec::len).sum()
    }
}

/// The call as a citation names it: its title and day.
fn call_label(call: &Call) -> (String, Option<String>) {
    let title = call
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("call {}", clean(&call.id)));
    let day = call
        .started
        .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string());
    (title, day)
}

/// `07:40` (or `1:07:40`) from milliseconds.
fn moment(ms: u64) -> String {
    let seconds = ms / 1000;
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

fn quote(text: &str) -> String {
    let text = clean(text).replace('"', "'");
    if text.chars().count() <= MAX_QUOTE {
        return text;
    }
    let mut cut: String = text.chars().take(MAX_QUOTE).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{cut}…")
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn kind_of(rules: &GongMapping, topic: Option<&str>, text: &str) -> Option<CandidateKind> {
    if let Some(topic) = topic {
        if let Some((_, kind)) = rules
            .topics
            .iter()
            .find(|(t, _)| t.trim().eq_ignore_ascii_case(topic.trim()))
        {
            return Some(*kind);
        }
    }
    let lower = format!(" {} ", text.to_lowercase());
    let words: String = lower
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    let goal = rules.goal_words.iter().any(|word| {
        let word = word.trim().to_lowercase();
        !word.is_empty() && words.contains(&format!(" {word} "))
    });
    if !goal {
        return None;
    }
    let measurable = text.chars().any(|c| c.is_ascii_digit())
        || MONTHS.iter().any(|m| words.contains(&format!(" {m} ")))
        || ["q1", "q2", "q3", "q4"]
            .iter()
            .any(|q| words.contains(&format!(" {q} ")));
    Some(if measurable {
        CandidateKind::Numbers
    } else {
        CandidateKind::Goals
    })
}

fn party_name(party: &Party) -> String {
    party
        .name
        .as_deref()
        .map(clean)
        .filter(|n| !n.is_empty())
        .or_else(|| party.email.as_deref().map(clean))
        .unwrap_or_else(|| "a customer speaker".to_string())
}

/// The candidates the calls offer a handoff of `handoff_type`.
pub fn candidates(calls: &[&Call], rules: &GongMapping, handoff_type: &str) -> Candidates {
    let mut out = Candidates::default();
    let Some(targets) = rules.types.get(handoff_type) else {
        return out;
    };
    let max = rules.max_per_field.max(1);
    let push = |out: &mut Candidates, path: &str, line: String| {
        let lines = out.by_field.entry(path.to_string()).or_default();
        if lines.len() < max && !lines.contains(&line) {
            lines.push(line);
        }
    };
    for call in calls {
        let (title, day) = call_label(call);
        let source = match &day {
            Some(day) => format!("Gong: {title} {day}"),
            None => format!("Gong: {title}"),
        };
        if !out.sources.contains(&source) {
            out.sources.push(source);
        }
        let at = |ms: Option<u64>| {
            let mut parts = vec![title.clone()];
            parts.extend(day.clone());
            parts.extend(ms.map(moment));
            parts.join(", ")
        };
        let external: Vec<&Party> = call
            .parties
            .iter()
            .filter(|p| p.affiliation == Affiliation::External)
            .collect();
        for sentence in &call.sentences {
            let Some(speaker) = external
                .iter()
                .find(|p| p.speaker_id.as_deref() == Some(sentence.speaker_id.as_str()))
            else {
                continue;
            };
            let Some(kind) = kind_of(rules, sentence.topic.as_deref(), &sentence.text) else {
                continue;
            };
            let Some(path) = targets.target(kind) else {
                continue;
            };
            let text = quote(&sentence.text);
            if text.is_empty() {
                continue;
            }
            push(
                &mut out,
                path,
                format!(
                    "Per Gong ({}), {}: \"{text}\"",
                    at(Some(sentence.start_ms)),
                    party_name(speaker)
                ),
            );
        }
        if let Some(path) = targets.target(CandidateKind::Stakeholders) {
            for party in &external {
                let Some(job) = party.title.as_deref().map(clean).filter(|t| !t.is_empty()) else {
                    continue;
                };
                let mut who = format!("{}, {job}", party_name(party));
                if let Some(email) = party.email.as_deref().map(clean).filter(|e| !e.is_empty()) {
                    who.push_str(&format!(", {email}"));
                }
                push(
                    &mut out,
                    path,
                    format!("Per Gong ({}), on the call: {who}", at(None)),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prefill::export::Sentence;
    use crate::prefill::mapping::embedded;

    pub fn discovery_call() -> Call {
        let party = |id: &str, name: &str, title: Option<&str>, affiliation| Party {
            speaker_id: Some(id.into()),
            name: Some(name.into()),
            title: title.map(str::to_string),
            email: None,
            affiliation,
        };
        let said = |id: &str, topic: Option<&str>, start_ms, text: &str| Sentence {
            speaker_id: id.into(),
            topic: topic.map(str::to_string),
            start_ms,
            text: text.into(),
        };
        Call {
            files: vec!["calls.json".into()],
            id: "7782342274025937895".into(),
            title: Some("Discovery call".into()),
            started: Some("2026-10-12T15:00:00Z".parse().unwrap()),
            parties: vec![
                party("1", "Pat Kim", Some("VP Operations"), Affiliation::External),
                party(
                    "2",
                    "Jane Doe",
                    Some("Account Executive"),
                    Affiliation::Internal,
                ),
                party("3", "Lee Chan", None, Affiliation::External),
            ],
            sentences: vec![
                said("2", None, 1_000, "We need to know your goals."),
                said(
                    "1",
                    None,
                    460_000,
                    "We need every dispatcher on one screen by March 31.",
                ),
                said("1", None, 470_000, "Our goal is to stop\nre-keying orders."),
                said(
                    "3",
                    Some("Objections"),
                    500_000,
                    "Our last rollout failed because the reps ignored it.",
                ),
                said("1", None, 510_000, "The weather was nice."),
            ],
        }
    }

    #[test]
    fn customer_sentences_become_cited_candidates_under_their_fields() {
        let rules = GongMapping::parse("crm/gong.yaml", embedded::GONG).unwrap();
        let call = discovery_call();
        let found = candidates(&[&call], &rules, "sales-cs");
        assert_eq!(found.sources, vec!["Gong: Discovery call 2026-10-12"]);
        assert_eq!(
            found.by_field["expectations.success_criteria"],
            vec!["Per Gong (Discovery call, 2026-10-12, 07:40), Pat Kim: \"We need every dispatcher on one screen by March 31.\""]
        );
        assert_eq!(
            found.by_field["expectations.summary"],
            vec!["Per Gong (Discovery call, 2026-10-12, 07:50), Pat Kim: \"Our goal is to stop re-keying orders.\""]
        );
        assert_eq!(
            found.by_field["relationships.concerns"],
            vec!["Per Gong (Discovery call, 2026-10-12, 08:20), Lee Chan: \"Our last rollout failed because the reps ignored it.\""]
        );
        // Only external parties with a title are stakeholder candidates; the seller's own
        // words are never candidates.
        assert_eq!(
            found.by_field["relationships.champion"],
            vec!["Per Gong (Discovery call, 2026-10-12), on the call: Pat Kim, VP Operations"]
        );
        assert_eq!(found.count(), 4);
        let sdr = candidates(&[&call], &rules, "sdr-ae");
        assert!(sdr.by_field.contains_key("why_meeting"));
        assert!(sdr.by_field.contains_key("objections"));
    }

    #[test]
    fn moments_and_quotes() {
        assert_eq!(moment(460_000), "07:40");
        assert_eq!(moment(3_723_000), "1:02:03");
        let long = "word ".repeat(100);
        let quoted = quote(&long);
        assert!(quoted.ends_with('…') && quoted.chars().count() <= MAX_QUOTE + 1);
        assert_eq!(quote("say \"hi\"\n"), "say 'hi'");
    }
}
