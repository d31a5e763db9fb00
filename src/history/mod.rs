//! The only git2 code: reading the repository's history. [`changed`] finds the handoffs a
//! branch changed since its merge base with another ref (for `handoff lint --changed-since`).

pub mod changed;
