//! The routing strategies a playbook (`routing:`) or `handoff.toml` (`routing = [...]`) lists, in
//! the order `handoff route` applies them. The ranking itself lives in [`crate::route`].

use serde::{Deserialize, Serialize};

/// One way of choosing a receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// Whoever received an earlier handoff for the same company.
    AccountOwner,
    /// Whoever covers the customer's location (`territories`).
    Territory,
    /// Whoever knows the customer's industry, segment and products.
    Skill,
    /// Whoever holds the fewest open handoffs, within their capacity.
    RoundRobin,
}

/// The order without configuration: account owner, territory, skill, round-robin.
pub const DEFAULT_ORDER: [Strategy; 4] = [
    Strategy::AccountOwner,
    Strategy::Territory,
    Strategy::Skill,
    Strategy::RoundRobin,
];

impl Strategy {
    /// The name as configured (`account-owner`).
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::AccountOwner => "account-owner",
            Strategy::Territory => "territory",
            Strategy::Skill => "skill",
            Strategy::RoundRobin => "round-robin",
        }
    }
}
