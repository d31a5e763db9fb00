//! Pre-filling handoffs from CRM and call-recording exports, offline: [`export`] is what the
//! exports say, in one shape for every vendor; [`read`] reads export files into it (detecting
//! each file's format by content), with one reader per vendor format beside it.

mod csv;
pub mod export;
mod gong;
mod hubspot;
mod hubspot_csv;
pub mod read;
mod salesforce;
mod value;

pub use read::{parse_exports, read_exports, MAX_EXPORT_BYTES};
