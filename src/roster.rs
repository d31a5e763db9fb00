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
        crate::document::from_yaml(text, origin).map_err(|err| Error::Asset {
            path: origin.to_string(),
            message: format!(
                "not a valid roster (expected `people:` with name, email, role, team): {}",
                err.located()
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

/// Levenshtein distance in characters, for suggesting the roster name someone meant.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distances() {
        assert_eq!(edit_distance("sam le", "sam lee"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
