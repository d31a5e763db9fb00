//! Pre-filling handoffs from CRM and call-recording exports, offline: [`export`] is what the
//! exports say, in one shape for every vendor.

pub mod export;
