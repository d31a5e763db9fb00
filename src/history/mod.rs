//! The only git2 code: reading and writing the repository's history.

pub mod branch;
