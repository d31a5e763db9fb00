//! Salesforce SOQL results and report exports.

use std::path::Path;

use serde_json::Value;

use super::csv::Table;
use super::export::Deal;
use super::read::export_error;
use crate::error::Result;

pub(crate) fn looks_like(_json: &Value) -> bool {
    false
}

pub(crate) fn csv_looks_like(_header: &[String]) -> bool {
    false
}

pub(crate) fn read_json(path: &Path, _json: &Value) -> Result<Vec<Deal>> {
    Err(export_error(path, "Salesforce exports are not read yet"))
}

pub(crate) fn read_csv(path: &Path, _table: &Table) -> Result<Vec<Deal>> {
    Err(export_error(path, "Salesforce exports are not read yet"))
}
