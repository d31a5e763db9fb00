//! The roster (`roster.yaml`): the people who send and receive handoffs, with their role and
//! team. Used to check receivers and owners (the seeds' "CSM not in dropdown"), to route review
//! in CODEOWNERS, and to suggest receivers (`handoff route`): capacity, territories, segments,
//! industries, skills and products, and the dates someone is away. Its JSON Schema
//! ([`SCHEMA`], `handoff schema roster`) documents every key.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One person.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name, as written in handoffs.
    pub name: String,
    /// Work email.
    pub email: Option<String>,
    /// Role: SDR, AE, SE, CSM, Implementation lead, ...
    pub role: Option<String>,
    /// Team: sdr, sales, solutions, customer-success, implementation, ...
    pub team: Option<String>,
    /// GitHub handle (for CODEOWNERS), without `@`.
    pub github: Option<String>,
    /// Their HubSpot owner id (`hubspot_owner_id` on deals), for pre-fill to name the AE.
    #[serde(
        default,
        deserialize_with = "id_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub hubspot_owner_id: Option<String>,
    /// Their owner id in another CRM (Salesforce `OwnerId`), for pre-fill to name the AE.
    #[serde(
        default,
        deserialize_with = "id_text",
        skip_serializing_if = "Option::is_none"
    )]
    pub crm_owner_id: Option<String>,
    /// How many open handoffs (submitted, not yet accepted) they can hold at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Countries, regions, states or cities they cover, matched against the customer's `hq`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
    /// Customer segments they handle (`enterprise`, `mid-market`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    /// Industries they know (`Insurance`, `Healthcare`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub industries: Vec<String>,
    /// Skills: integrations and technologies they know (`Salesforce`, `Okta`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Products they know (`Analytics add-on`, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
    /// When they are away (holidays, leave), each a range of dates, both ends included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub away: Vec<Away>,
}

impl Person {
    /// The range they are away on `date`, when they are.
    pub fn away_on(&self, date: jiff::civil::Date) -> Option<&Away> {
        self.away.iter().find(|a| a.from <= date && date <= a.to)
    }

    /// Whether their role is `role` (case and surrounding spaces do not matter).
    pub fn has_role(&self, role: &str) -> bool {
        self.role
            .as_deref()
            .is_some_and(|mine| mine.trim().eq_ignore_ascii_case(role.trim()))
    }
}

/// A time someone is away: `{from: 2026-12-21, to: 2027-01-01}`, both days included.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "AwayText", into = "AwayText")]
pub struct Away {
    /// The first day away.
    pub from: jiff::civil::Date,
    /// The last day away.
    pub to: jiff::civil::Date,
    /// Why, for people (`holiday`, `parental leave`).
    pub note: Option<String>,
}

/// [`Away`] as written in the file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AwayText {
    from: String,
    to: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

impl TryFrom<AwayText> for Away {
    type Error = String;

    fn try_from(text: AwayText) -> std::result::Result<Away, String> {
        // The values are not quoted: errors about repository files never echo their content.
        let date = |key: &str, value: &str| {
            let value = value.trim();
            (value.len() == 10)
                .then(|| value.parse::<jiff::civil::Date>().ok())
                .flatten()
                .ok_or_else(|| format!("away `{key}`: not a date; write it as YYYY-MM-DD"))
        };
        let (from, to) = (date("from", &text.from)?, date("to", &text.to)?);
        if to < from {
            return Err("away: `to` is before `from`; give the first and the last day away".into());
        }
        Ok(Away {
            from,
            to,
            note: text.note,
        })
    }
}

impl From<Away> for AwayText {
    fn from(away: Away) -> AwayText {
        AwayText {
            from: away.from.to_string(),
            to: away.to.to_string(),
            note: away.note,
        }
    }
}

/// The roster's JSON Schema (`handoff schema roster`): every key a person may have. The roster
/// is read with these keys and no others (an unknown key is an error with its line).
pub const SCHEMA: &str = include_str!("../docs/roster.schema.json");

/// An id written as a number (`hubspot_owner_id: 31415926`) or as text.
fn id_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(u64),
        Text(String),
    }
    Ok(Option::<Id>::deserialize(deserializer)?.map(|id| match id {
        Id::Number(n) => n.to_string(),
        Id::Text(t) => t.trim().to_string(),
    }))
}

/// The roster file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    /// Everyone.
    pub people: Vec<Person>,
}

impl Roster {
    /// Parses roster text; `origin` names the file in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Roster> {
        crate::document::from_yaml(text, origin).map_err(|err| Error::Asset {
            path: origin.to_string(),
            message: format!(
                "not a valid roster (expected `people:` with name, email, role, team, ...; `handoff schema roster` lists the keys): {}",
                err.located()
            ),
        })
    }

    /// The person a CRM names as a deal's owner: by owner id (`hubspot_owner_id` or
    /// `crm_owner_id`), else by email (case-insensitive).
    pub fn find_owner(&self, ids: &[&str], emails: &[&str]) -> Option<&Person> {
        let ids: Vec<&str> = ids
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .collect();
        self.people
            .iter()
            .find(|p| {
                [&p.hubspot_owner_id, &p.crm_owner_id]
                    .into_iter()
                    .flatten()
                    .any(|own| ids.contains(&own.as_str()))
            })
            .or_else(|| {
                self.people.iter().find(|p| {
                    p.email.as_deref().is_some_and(|mine| {
                        emails
                            .iter()
                            .any(|e| e.trim().eq_ignore_ascii_case(mine.trim()))
                    })
                })
            })
    }

    /// The person with this name (case-insensitive, trimmed).
    pub fn find(&self, name: &str) -> Option<&Person> {
        let name = name.trim();
        self.people
            .iter()
            .find(|p| p.name.trim().eq_ignore_ascii_case(name))
    }
}

/// The open handoffs (`status: submitted`, not yet accepted) addressed to each receiver, by
/// path: what `capacity` is measured against (`handoff route`, HO106).
#[derive(Debug, Clone, Default)]
pub struct Workload {
    open: std::collections::HashMap<String, Vec<String>>,
}

impl Workload {
    /// Counts the handoff at `path` as open for `receiver`.
    pub fn add(&mut self, receiver: &str, path: &str) {
        self.open
            .entry(receiver.trim().to_lowercase())
            .or_default()
            .push(path.to_string());
    }

    /// How many open handoffs `name` holds, leaving out the one at `except`.
    pub fn open_for(&self, name: &str, except: &str) -> usize {
        self.open
            .get(&name.trim().to_lowercase())
            .map_or(0, |paths| paths.iter().filter(|p| *p != except).count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_are_found_by_id_or_email() {
        let roster = Roster::parse(
            "roster.yaml",
            "people:\n  - {name: Jane Doe, email: jane@example.com, hubspot_owner_id: 31415926}\n  - {name: Marcus Chen, email: marcus@example.com, crm_owner_id: 005xx01}\n",
        )
        .unwrap();
        assert_eq!(
            roster.find_owner(&["31415926"], &[]).unwrap().name,
            "Jane Doe"
        );
        assert_eq!(
            roster.find_owner(&["005xx01"], &[]).unwrap().name,
            "Marcus Chen"
        );
        assert_eq!(
            roster
                .find_owner(&[], &["MARCUS@example.com"])
                .unwrap()
                .name,
            "Marcus Chen"
        );
        assert!(roster.find_owner(&["1"], &["x@example.com"]).is_none());
    }

    #[test]
    fn the_schema_lists_exactly_the_keys_the_roster_reads() {
        let text = "people:\n  - {name: A, email: a@example.com, role: CSM, team: cs, github: a, hubspot_owner_id: 1, crm_owner_id: x, capacity: 3, territories: [CT], segments: [enterprise], industries: [Insurance], skills: [Okta], products: [Analytics], away: [{from: 2026-12-21, to: 2027-01-01, note: holiday}]}\n";
        let roster = Roster::parse("roster.yaml", text).unwrap();
        let person = serde_json::to_value(&roster.people[0]).unwrap();
        let mut read: Vec<&String> = person.as_object().unwrap().keys().collect();
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
        let mut documented: Vec<&String> = schema["$defs"]["person"]["properties"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        read.sort();
        documented.sort();
        assert_eq!(read, documented);
        let away = &roster.people[0].away[0];
        assert!(roster.people[0].away_on(away.to).is_some());
        assert!(roster.people[0]
            .away_on(jiff::civil::date(2027, 1, 2))
            .is_none());
    }

    #[test]
    fn away_ranges_are_checked_without_quoting_values() {
        let err = Roster::parse(
            "roster.yaml",
            "people:\n  - {name: A, away: [{from: 2027-01-02, to: 2027-01-01}]}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("`to` is before `from`"), "{err}");
        assert!(!err.contains("2027-01-02"), "{err}");
    }
}
