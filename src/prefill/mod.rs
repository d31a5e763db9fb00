//! Pre-filling handoffs from CRM and call-recording exports, offline: [`export`] is what the
//! exports say, in one shape for every vendor; [`read`] reads export files into it (detecting
//! each file's format by content), with one reader per vendor format beside it.
//!
//! Then [`mapping`] is the data (`crm/*.yaml`) that says which handoff field comes from which
//! record; [`plan`] applies it to one deal, [`calls`] turns calls into commented candidates,
//! [`edit`] writes values into an existing handoff's text at their positions, [`report`] is
//! what a run says, and [`command`] runs `handoff new --prefill` and `handoff prefill`.

pub mod calls;
pub mod command;
mod csv;
pub mod edit;
pub mod export;
mod gong;
mod hubspot;
mod hubspot_csv;
pub mod mapping;
pub mod plan;
pub mod read;
pub mod report;
mod salesforce;
mod value;

pub use read::{parse_exports, read_exports, MAX_EXPORT_BYTES};
