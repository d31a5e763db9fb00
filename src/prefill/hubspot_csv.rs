//! HubSpot CSV exports (deals, contacts, companies) with label headers.

use std::path::Path;

use super::csv::Table;
use super::hubspot::Pool;
use super::read::export_error;
use crate::error::Result;

pub(crate) fn looks_like(_header: &[String]) -> bool {
    false
}

pub(crate) fn read(_index: usize, path: &Path, _table: &Table, _pool: &mut Pool) -> Result<()> {
    Err(export_error(path, "HubSpot CSV exports are not read yet"))
}
