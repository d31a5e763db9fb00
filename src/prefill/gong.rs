//! Gong call recordings: `/v2/calls/extensive` (`calls[].metaData`, `calls[].parties`) and
//! `/v2/calls/transcript` (`callTranscripts[].transcript[].sentences`), merged by call id
//! across files (either part may be missing).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

use super::export::{Affiliation, Call, Party, Sentence};
use super::value::{export_error, id_text, scalar_text};
use crate::error::Result;

/// Calls by id, in the order first seen.
#[derive(Debug, Default)]
pub(crate) struct Calls {
    list: Vec<Call>,
    index: HashMap<String, usize>,
    /// The parties of each call so far, to drop repeats in linear time.
    parties: Vec<HashSet<PartyKey>>,
}

/// What tells two parties apart: everything the model keeps of them.
type PartyKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    &'static str,
);

fn party_key(party: &Party) -> PartyKey {
    let affiliation = match party.affiliation {
        Affiliation::External => "external",
        Affiliation::Internal => "internal",
        Affiliation::Unknown => "unknown",
    };
    (
        party.speaker_id.clone(),
        party.name.clone(),
        party.title.clone(),
        party.email.clone(),
        affiliation,
    )
}

impl Calls {
    /// The call's place in the list, added (empty) when first seen, with `file` among its files.
    fn entry(&mut self, id: &str, file: &Path) -> usize {
        let at = match self.index.get(id) {
            Some(&at) => at,
            None => {
                self.index.insert(id.to_string(), self.list.len());
                self.parties.push(HashSet::new());
                self.list.push(Call {
                    files: Vec::new(),
                    id: id.to_string(),
                    title: None,
                    started: None,
                    parties: Vec::new(),
                    sentences: Vec::new(),
                });
                self.list.len() - 1
            }
        };
        let call = &mut self.list[at];
        if !call.files.iter().any(|known| known == file) {
            call.files.push(file.to_path_buf());
        }
        at
    }

    /// The calls, each with its sentences in time order.
    pub(crate) fn into_calls(self) -> Vec<Call> {
        let mut calls = self.list;
        for call in &mut calls {
            call.sentences.sort_by_key(|sentence| sentence.start_ms);
        }
        calls
    }
}

/// Whether a JSON value is a Gong calls or transcript response.
pub(crate) fn looks_like(json: &Value) -> bool {
    json.get("calls").is_some_and(Value::is_array)
        || json.get("callTranscripts").is_some_and(Value::is_array)
}

/// Reads one Gong response into `calls`.
pub(crate) fn read_json(path: &Path, json: &Value, calls: &mut Calls) -> Result<()> {
    let error = |message: String| export_error(path, message);
    let mut known = false;
    if let Some(list) = json.get("calls") {
        known = true;
        let Value::Array(list) = list else {
            return Err(error("`calls` is not a list".into()));
        };
        for (i, item) in list.iter().enumerate() {
            let at = format!("calls[{i}]");
            // `/v2/calls/extensive` nests the call under `metaData`; `/v2/calls` does not.
            let meta = item.get("metaData").unwrap_or(item);
            let Some(id) = meta.get("id").and_then(id_text) else {
                return Err(error(format!("`{at}.metaData` has no `id`")));
            };
            let started = match meta.get("started") {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) => {
                    Some(text.parse::<jiff::Timestamp>().map_err(|_| {
                        error(format!(
                            "`{at}.metaData.started` is not an ISO 8601 time with an offset \
                         (2026-10-12T14:00:00-07:00)"
                        ))
                    })?)
                }
                Some(_) => {
                    return Err(error(format!("`{at}.metaData.started` is not a string")));
                }
            };
            let title = meta.get("title").and_then(scalar_text);
            let parties = match item.get("parties") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(parties)) => parties.iter().map(party).collect(),
                Some(_) => return Err(error(format!("`{at}.parties` is not a list"))),
            };
            let at = calls.entry(&id, path);
            let call = &mut calls.list[at];
            call.title = call.title.take().or(title);
            call.started = call.started.or(started);
            for party in parties {
                if calls.parties[at].insert(party_key(&party)) {
                    call.parties.push(party);
                }
            }
        }
    }
    if let Some(list) = json.get("callTranscripts") {
        known = true;
        let Value::Array(list) = list else {
            return Err(error("`callTranscripts` is not a list".into()));
        };
        for (i, item) in list.iter().enumerate() {
            let at = format!("callTranscripts[{i}]");
            // Gong documents `callId`; some responses and older clients write `callid`.
            let id = item
                .get("callId")
                .or_else(|| item.get("callid"))
                .and_then(id_text);
            let Some(id) = id else {
                return Err(error(format!("`{at}` has no `callId`")));
            };
            let mut sentences = Vec::new();
            let monologues = match item.get("transcript") {
                None | Some(Value::Null) => &Vec::new(),
                Some(Value::Array(monologues)) => monologues,
                Some(_) => return Err(error(format!("`{at}.transcript` is not a list"))),
            };
            for (j, monologue) in monologues.iter().enumerate() {
                let at = format!("{at}.transcript[{j}]");
                // A monologue nobody is known to have said cannot be cited: left out.
                let Some(speaker_id) = monologue.get("speakerId").and_then(id_text) else {
                    continue;
                };
                let topic = monologue.get("topic").and_then(scalar_text);
                let list = match monologue.get("sentences") {
                    None | Some(Value::Null) => &Vec::new(),
                    Some(Value::Array(list)) => list,
                    Some(_) => return Err(error(format!("`{at}.sentences` is not a list"))),
                };
                for (k, sentence) in list.iter().enumerate() {
                    let at = format!("{at}.sentences[{k}]");
                    let Some(start_ms) = sentence.get("start").and_then(milliseconds) else {
                        return Err(error(format!(
                            "`{at}.start` is not a number of milliseconds"
                        )));
                    };
                    let Some(text) = sentence.get("text").and_then(scalar_text) else {
                        continue;
                    };
                    sentences.push(Sentence {
                        speaker_id: speaker_id.clone(),
                        topic: topic.clone(),
                        start_ms,
                        text,
                    });
                }
            }
            let at = calls.entry(&id, path);
            calls.list[at].sentences.extend(sentences);
        }
    }
    if !known {
        return Err(error(
            "not a Gong response: expected /v2/calls/extensive ({\"calls\": [...]}) or \
             /v2/calls/transcript ({\"callTranscripts\": [...]}); see docs/crm-gong.md"
                .into(),
        ));
    }
    Ok(())
}

/// A non-negative whole number of milliseconds (Gong writes integers; a float is rounded down).
fn milliseconds(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|ms| ms.is_finite() && *ms >= 0.0 && *ms < u64::MAX as f64)
            .map(|ms| ms as u64)
    })
}

fn party(value: &Value) -> Party {
    let text = |name: &str| value.get(name).and_then(scalar_text);
    let affiliation = match value.get("affiliation").and_then(Value::as_str) {
        Some(text) if text.eq_ignore_ascii_case("external") => Affiliation::External,
        Some(text) if text.eq_ignore_ascii_case("internal") => Affiliation::Internal,
        _ => Affiliation::Unknown,
    };
    Party {
        speaker_id: value.get("speakerId").and_then(id_text),
        name: text("name"),
        title: text("title"),
        email: text("emailAddress"),
        affiliation,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::prefill::read::parse_exports;
    use crate::prefill::value::testing::fixture;

    #[test]
    fn extensive_and_transcript_merge_by_call_id_with_both_spellings() {
        let files = [
            fixture("gong-calls-extensive.json"),
            fixture("gong-transcript.json"),
        ];
        let exports = parse_exports(&files, None).unwrap();
        assert_eq!(exports.deals, []);
        let ids: Vec<_> = exports.calls.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["7782342274025937895", "7782342274025937896"]);
        let discovery = &exports.calls[0];
        assert_eq!(discovery.title.as_deref(), Some("Discovery call"));
        assert_eq!(
            discovery.started,
            Some("2026-10-12T21:00:00Z".parse().unwrap())
        );
        assert_eq!(
            discovery.files,
            [
                PathBuf::from("gong-calls-extensive.json"),
                PathBuf::from("gong-transcript.json")
            ]
        );
        assert_eq!(
            discovery.parties[1],
            Party {
                speaker_id: Some("6432345678555530067".into()),
                name: Some("Pat Kim".into()),
                title: Some("VP Operations".into()),
                email: Some("pat.kim@northwind-freight.example".into()),
                affiliation: Affiliation::External,
            }
        );
        assert_eq!(discovery.parties[0].affiliation, Affiliation::Internal);
        // In time order, although the export lists a later monologue first.
        let starts: Vec<_> = discovery.sentences.iter().map(|s| s.start_ms).collect();
        assert_eq!(starts, [12040, 460230, 462400, 515900]);
        assert_eq!(discovery.sentences[1].topic.as_deref(), Some("Objections"));
        assert_eq!(
            discovery.sentences[1].text,
            "Our last rollout took nine months and we lost a peak season to it."
        );
        // The second call (`callid` spelling) has a transcript but no metadata.
        let second = &exports.calls[1];
        assert_eq!(second.title, None);
        assert_eq!(second.files, [PathBuf::from("gong-transcript.json")]);
        assert_eq!(second.sentences.len(), 2);
    }

    #[test]
    fn a_bad_start_time_names_the_field() {
        let json = br#"{"calls": [{"metaData": {"id": "1", "started": "yesterday"}}]}"#;
        let err = parse_exports(&[(PathBuf::from("calls.json"), json.to_vec())], None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("calls.json: `calls[0].metaData.started` is not an ISO 8601 time"),
            "{err}"
        );
        assert!(!err.contains("yesterday"), "{err}");
    }
}
