//! The only git2 code: reading the repository's history and writing branches.
//! [`changed`] finds the handoffs a branch changed since its merge base with another ref
//! (`handoff lint --changed-since`); [`branch`] starts a handoff on its own branch.

pub mod branch;
pub mod changed;
