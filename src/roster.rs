//! The roster (`roster.yaml`): the people who send and receive handoffs, with their role and
//! team. Used to check receivers and owners (the seeds' "CSM not in dropdown") and to route
//! review in CODEOWNERS.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One person.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
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
        serde_norway::from_str(text).map_err(|err| Error::Asset {
            path: origin.to_string(),
            message: format!(
                "not a valid roster (expected `people:` with name, email, role, team): {err}"
            ),
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
