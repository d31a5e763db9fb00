//! The roster (`roster.yaml`): the people who send and receive handoffs, with their role and
//! team. Used to check receivers and owners (the seeds' "CSM not in dropdown") and to route
//! review in CODEOWNERS.

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
}

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
                "not a valid roster (expected `people:` with name, email, role, team): {}",
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
}
