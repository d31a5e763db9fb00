//! Reading export files into [`Exports`]: the file checks (regular file, size cap, UTF-8), the
//! detection of each file's format by content (`--prefill-format` overrides it), and the joins
//! across files (HubSpot records by id, Gong calls by call id). The vendor readers live beside
//! this module; nothing here writes a file or prints.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::export::{Associated, Deal, Exports, Record, Vendor};
use super::value::{export_error, AssociatedSet, Order};
use super::{csv, gong, hubspot, hubspot_csv, salesforce};
use crate::cli::PrefillFormat;
use crate::error::{Error, Result};

/// The size cap on one export file. A year of closed-won deals exported as CSV is a few
/// megabytes; JSON values take some ten times the file in memory, so the cap keeps a hostile
/// file from taking the machine.
pub const MAX_EXPORT_BYTES: u64 = 16 * 1024 * 1024;

/// What the readers accept, for messages that say what was expected.
const EXPECTED: &str = "expected a HubSpot CRM API response or CSV export, a Salesforce SOQL \
                        result (JSON) or report export (CSV), or a Gong calls/extensive or \
                        calls/transcript response";

/// Reads the export files given on the command line (relative to `cwd`) and joins them.
/// `format` overrides detection by content for every file.
pub fn read_exports(
    cwd: &Path,
    paths: &[PathBuf],
    format: Option<PrefillFormat>,
) -> Result<Exports> {
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes = read_file(&cwd.join(path), path)?;
        files.push((path.clone(), bytes));
    }
    parse_exports(&files, format)
}

/// Reads one export file: a regular file (a FIFO or device would block or never end) of at
/// most [`MAX_EXPORT_BYTES`]. `shown` is the path as the user gave it.
fn read_file(path: &Path, shown: &Path) -> Result<Vec<u8>> {
    let metadata =
        std::fs::metadata(path).map_err(|err| Error::io(shown, "cannot read the export", err))?;
    if !metadata.is_file() {
        return Err(export_error(
            shown,
            "not a regular file (a folder, FIFO or device); give the exported file itself",
        ));
    }
    if metadata.len() > MAX_EXPORT_BYTES {
        return Err(too_large(shown, metadata.len()));
    }
    let file =
        std::fs::File::open(path).map_err(|err| Error::io(shown, "cannot read the export", err))?;
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The file may grow between the check and the read: read one byte past the cap to know.
    file.take(MAX_EXPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| Error::io(shown, "cannot read the export", err))?;
    if bytes.len() as u64 > MAX_EXPORT_BYTES {
        return Err(too_large(shown, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(path: &Path, size: u64) -> Error {
    export_error(
        path,
        format!(
            "the file is {size} bytes, over the {MAX_EXPORT_BYTES}-byte limit for an export; \
             export only the deals to hand off (e.g. last quarter's closed-won deals)"
        ),
    )
}

/// Parses export files already read (path as given, contents) and joins them: HubSpot records
/// across files by id, Gong calls by call id. Deals and calls come in file order, then in the
/// order of each export.
pub fn parse_exports(
    files: &[(PathBuf, Vec<u8>)],
    format: Option<PrefillFormat>,
) -> Result<Exports> {
    let mut hubspot = hubspot::Pool::default();
    let mut deals: Vec<(Order, Deal)> = Vec::new();
    let mut calls = gong::Calls::default();
    for (index, (path, bytes)) in files.iter().enumerate() {
        let text = decode(path, bytes)?;
        let (format, parsed) = match format {
            Some(format) if is_json(format) => (format, Parsed::Json(parse_json(path, text)?)),
            Some(format) => (format, Parsed::Csv(table(path, text)?)),
            None => detect(path, text)?,
        };
        match (format, parsed) {
            (PrefillFormat::Hubspot, Parsed::Json(json)) => {
                hubspot::read_json(index, path, &json, &mut hubspot)?
            }
            (PrefillFormat::Salesforce, Parsed::Json(json)) => {
                for (position, deal) in salesforce::read_json(path, &json)?.into_iter().enumerate()
                {
                    deals.push(((index, position), deal));
                }
            }
            (PrefillFormat::Gong, Parsed::Json(json)) => gong::read_json(path, &json, &mut calls)?,
            (PrefillFormat::HubspotCsv, Parsed::Csv(table)) => {
                hubspot_csv::read(index, path, &table, &mut hubspot)?
            }
            (PrefillFormat::SalesforceCsv, Parsed::Csv(table)) => {
                for (position, deal) in salesforce::read_csv(path, &table)?.into_iter().enumerate()
                {
                    deals.push(((index, position), deal));
                }
            }
            // Detection pairs each format with its parse; only a bug mixes them.
            (_, _) => return Err(export_error(path, format!("could not be read; {EXPECTED}"))),
        }
    }
    deals.extend(hubspot.join()?);
    deals.sort_by_key(|(order, _)| *order);
    Ok(Exports {
        deals: merge_salesforce(deals.into_iter().map(|(_, deal)| deal)),
        calls: calls.into_calls(),
    })
}

/// Salesforce opportunities given twice (a SOQL result and a report, or two pages that
/// overlap) are one deal: the first one read keeps its place and its values, the later ones
/// add what it lacks. (HubSpot records are joined by id in their pool.)
fn merge_salesforce(deals: impl Iterator<Item = Deal>) -> Vec<Deal> {
    let mut merged: Vec<Deal> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for deal in deals {
        let known = (deal.vendor == Vendor::Salesforce && !deal.record.id.is_empty())
            .then(|| index.get(&deal.record.id).copied())
            .flatten();
        match known {
            Some(at) => merge_deal(&mut merged[at], deal),
            None => {
                if deal.vendor == Vendor::Salesforce && !deal.record.id.is_empty() {
                    index.insert(deal.record.id.clone(), merged.len());
                }
                merged.push(deal);
            }
        }
    }
    merged
}

fn merge_deal(into: &mut Deal, from: Deal) {
    add_missing(&mut into.record, from.record);
    for (list, more) in [
        (&mut into.companies, from.companies),
        (&mut into.contacts, from.contacts),
    ] {
        let mut set = AssociatedSet::new(salesforce::record_keys);
        for associated in std::mem::take(list).into_iter().chain(more) {
            set.add(associated);
        }
        *list = set.into_vec();
    }
    let mut items = AssociatedSet::new(salesforce::record_keys);
    for record in std::mem::take(&mut into.line_items)
        .into_iter()
        .chain(from.line_items)
    {
        items.add(Associated {
            record,
            labels: Vec::new(),
        });
    }
    into.line_items = items
        .into_vec()
        .into_iter()
        .map(|item| item.record)
        .collect();
}

fn add_missing(into: &mut Record, from: Record) {
    if into.id.is_empty() {
        into.id = from.id;
    }
    for (name, value) in from.properties {
        into.properties.entry(name).or_insert(value);
    }
}

/// A file parsed as JSON or as CSV.
enum Parsed {
    Json(Value),
    Csv(csv::Table),
}

fn is_json(format: PrefillFormat) -> bool {
    matches!(
        format,
        PrefillFormat::Hubspot | PrefillFormat::Salesforce | PrefillFormat::Gong
    )
}

/// The file as UTF-8 text without a byte-order mark, or why it is not an export.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(export_error(
            path,
            "the file is UTF-16, not UTF-8; export it again as UTF-8 (in Excel: \"CSV UTF-8\")",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(export_error(
            path,
            "an Excel workbook or ZIP archive, not CSV or JSON; export the records again with \
             CSV as the file format",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(export_error(
            path,
            format!("the file contains a NUL byte: a binary file, not an export; {EXPECTED}"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let valid = &bytes[..err.valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        export_error(
            path,
            format!(
                "line {line}: the file is not valid UTF-8; export it again as UTF-8 (in Excel: \
                 \"CSV UTF-8\"), or {EXPECTED}"
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(export_error(path, format!("the file is empty; {EXPECTED}")));
    }
    Ok(text)
}

/// Parses JSON, with the line and column of the first error (never the text around it).
fn parse_json(path: &Path, text: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Eof => "the JSON ends too early (was the file cut short?)",
            _ if err.to_string().contains("recursion limit") => "the JSON is nested too deeply",
            _ => "invalid JSON",
        };
        export_error(
            path,
            format!(
                "line {}, column {}: {what}; save the API response as it came ({EXPECTED})",
                err.line(),
                err.column()
            ),
        )
    })
}

fn table(path: &Path, text: &str) -> Result<csv::Table> {
    csv::parse(text).map_err(|err| {
        export_error(
            path,
            format!("line {}: {}; export the file again", err.line, err.message),
        )
    })
}

/// The format of a file, by content: JSON by its top-level shape, CSV by its header.
fn detect(path: &Path, text: &str) -> Result<(PrefillFormat, Parsed)> {
    let first = text.trim_start().chars().next();
    if matches!(first, Some('{') | Some('[')) {
        let json = parse_json(path, text)?;
        let format = if gong::looks_like(&json) {
            PrefillFormat::Gong
        } else if salesforce::looks_like(&json) {
            PrefillFormat::Salesforce
        } else if hubspot::looks_like(&json) {
            PrefillFormat::Hubspot
        } else {
            return Err(export_error(
                path,
                format!("JSON of no known shape; {EXPECTED} (see docs/crm-*.md)"),
            ));
        };
        return Ok((format, Parsed::Json(json)));
    }
    let table = table(path, text)?;
    if hubspot_csv::looks_like(&table.header) {
        Ok((PrefillFormat::HubspotCsv, Parsed::Csv(table)))
    } else if salesforce::csv_looks_like(&table.header) {
        Ok((PrefillFormat::SalesforceCsv, Parsed::Csv(table)))
    } else {
        Err(export_error(
            path,
            format!(
                "neither JSON nor a CSV export with a known header (a HubSpot export has a \
                 Record ID column, a Salesforce report an Opportunity Name or Opportunity ID \
                 column); {EXPECTED}"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/crm")
            .join(name)
    }

    /// Reads fixtures by name (shown as given), with an optional format.
    fn read(names: &[&str], format: Option<PrefillFormat>) -> Result<Exports> {
        let paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        read_exports(&fixture(""), &paths, format)
    }

    fn message(names: &[&str], format: Option<PrefillFormat>) -> String {
        let err = read(names, format).expect_err("refused");
        assert!(matches!(err, Error::Export { .. }), "{err:?}");
        assert_eq!(err.exit_code(), 2);
        err.to_string()
    }

    #[test]
    fn every_format_is_detected_by_content() {
        let exports = read(
            &[
                "salesforce-soql.json",
                "hubspot-bundle.json",
                "salesforce-report.csv",
                "hubspot-deals.csv",
                "gong-transcript.json",
            ],
            None,
        )
        .unwrap();
        let deals: Vec<_> = exports
            .deals
            .iter()
            .map(|deal| (deal.file.to_str().unwrap(), deal.record.id.as_str()))
            .collect();
        // File order, then export order; the HubSpot JSON and CSV deal 9001001 are one record.
        assert_eq!(
            deals,
            [
                ("salesforce-soql.json", "006Dn00000A1b2cIAB"),
                ("salesforce-soql.json", "006Dn00000A9z8yIAB"),
                ("hubspot-bundle.json", "9001001"),
                ("hubspot-deals.csv", "9001002"),
                ("hubspot-deals.csv", "9001003"),
            ]
        );
        // The CSV added what the bundle lacked, and its companies to the bundle's.
        // The report's opportunities are the SOQL result's: merged by Id, the report adding
        // what the query did not select, its contacts matched by e-mail.
        let northwind = &exports.deals[0];
        assert_eq!(northwind.record.get("Amount"), Some("120000"));
        assert_eq!(northwind.record.get("Fiscal Period"), Some("Q4-2026"));
        assert_eq!(northwind.contacts.len(), 2);
        assert_eq!(northwind.contacts[0].record.id, "003Dn00000C3d4eIAB");
        assert_eq!(northwind.contacts[0].labels, ["Decision Maker", "Primary"]);
        assert_eq!(northwind.companies.len(), 1);
        assert_eq!(
            northwind.companies[0].record.get("BillingState"),
            Some("OH")
        );
        let hubspot = &exports.deals[2];
        assert_eq!(hubspot.record.get("amount"), Some("48000.00"));
        assert_eq!(
            hubspot.record.get("Implementation Partner"),
            Some("Keystone Integrations")
        );
        let companies: Vec<_> = hubspot
            .companies
            .iter()
            .map(|c| c.record.id.as_str())
            .collect();
        assert_eq!(companies, ["5501", "5502"]);
        assert_eq!(exports.calls.len(), 2);
    }

    #[test]
    fn v4_batch_associations_find_the_object_type_from_hubspot_defined_ids() {
        let exports = read(
            &[
                "hubspot-v3-deals-search.json",
                "hubspot-v4-batch-companies.json",
            ],
            None,
        )
        .unwrap();
        let companies = |i: usize| -> Vec<(String, Vec<String>)> {
            exports.deals[i]
                .companies
                .iter()
                .map(|c| (c.record.id.clone(), c.labels.clone()))
                .collect()
        };
        assert_eq!(
            companies(0),
            [
                ("5501".to_string(), vec!["Primary".to_string()]),
                ("5502".to_string(), vec!["Parent company".to_string()]),
            ]
        );
        assert_eq!(
            companies(1),
            [("5601".to_string(), vec!["Primary".to_string()])]
        );
        assert_eq!(companies(2), []);
    }

    #[test]
    fn the_format_flag_overrides_detection() {
        // No `totalSize`, `done` or `attributes`: not recognisable, but a SOQL result.
        let dir = tempfile::tempdir().unwrap();
        let json = r#"{"records": [{"Id": "006A", "Name": "Acme - Platform", "Amount": 5000}]}"#;
        std::fs::write(dir.path().join("bare.json"), json).unwrap();
        let paths = [PathBuf::from("bare.json")];
        let err = read_exports(dir.path(), &paths, None)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bare.json: JSON of no known shape"),
            "{err}"
        );
        let exports = read_exports(dir.path(), &paths, Some(PrefillFormat::Salesforce)).unwrap();
        assert_eq!(exports.deals[0].record.get("Amount"), Some("5000"));
        // Overriding with the wrong format says what that format expects.
        let err = message(&["gong-transcript.json"], Some(PrefillFormat::Hubspot));
        assert!(
            err.starts_with("gong-transcript.json: not a HubSpot CRM API response"),
            "{err}"
        );
        let err = message(&["salesforce-report.csv"], Some(PrefillFormat::HubspotCsv));
        assert!(
            err.starts_with("salesforce-report.csv: not a HubSpot CSV export"),
            "{err}"
        );
        let err = message(&["hubspot-deals.csv"], Some(PrefillFormat::Gong));
        assert!(
            err.starts_with("hubspot-deals.csv: line 1, column 1: invalid JSON"),
            "{err}"
        );
    }

    #[test]
    fn bad_files_name_the_file_and_what_was_expected() {
        let err = message(&["bad-truncated.json"], None);
        assert!(
            err.starts_with(
                "bad-truncated.json: line 24, column 38: the JSON ends too early (was the file \
                 cut short?)"
            ),
            "{err}"
        );
        let err = message(&["bad-unknown-shape.json"], None);
        assert!(
            err.starts_with("bad-unknown-shape.json: JSON of no known shape; expected a HubSpot"),
            "{err}"
        );
        let err = message(&["bad-export.xlsx"], None);
        assert!(
            err.starts_with("bad-export.xlsx: an Excel workbook or ZIP archive"),
            "{err}"
        );
        let err = message(&["bad-row.csv"], None);
        assert_eq!(
            err,
            "bad-row.csv: line 3: the row has 4 fields but the header has 3; export the file again"
        );
        let err = message(&["bad-latin1.csv"], None);
        assert!(
            err.starts_with("bad-latin1.csv: line 3: the file is not valid UTF-8"),
            "{err}"
        );
        // No value from the file is quoted.
        for name in ["bad-row.csv", "bad-latin1.csv", "bad-unknown-shape.json"] {
            let err = message(&[name], None);
            for value in ["Contoso", "Northwind", "Kim", "48000"] {
                assert!(!err.contains(value), "{name}: {err}");
            }
        }
    }

    #[test]
    fn text_that_is_no_export_is_refused() {
        let cases: [(&[u8], &str); 5] = [
            (b"\xFF\xFER\x00e\x00", "the file is UTF-16"),
            (b"  \n", "the file is empty"),
            (
                b"name,value\nAcme,1\n",
                "neither JSON nor a CSV export with a known header",
            ),
            (b"[]", "JSON of no known shape"),
            (&[b'['; 300], "the JSON is nested too deeply"),
        ];
        for (bytes, expected) in cases {
            let err = parse_exports(&[(PathBuf::from("x"), bytes.to_vec())], None)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
    }

    /// Hostile but well-formed exports that name one record or one call tens of thousands of
    /// times are read in linear time (the readers before `AssociatedSet` took 421 s on these
    /// in a debug build; 2.3 s now, on a loaded machine).
    #[test]
    fn repeats_by_the_ten_thousand_are_read_in_linear_time() {
        let n = 20_000;
        let mut v4 = String::from(r#"{"results": ["#);
        for i in 0..n {
            // Distinct contacts, and one contact with as many labels.
            v4.push_str(&format!(
                r#"{{"toObjectId": {i}, "associationTypes": [{{"category": "HUBSPOT_DEFINED", "typeId": 3, "label": null}}]}},
                {{"toObjectId": 1, "associationTypes": [{{"category": "HUBSPOT_DEFINED", "typeId": 3}}, {{"category": "USER_DEFINED", "typeId": 9, "label": "L{i}"}}]}},"#
            ));
        }
        v4.push_str(r#"{"toObjectId": 1}]}"#);
        let deal = br#"{"id": "9", "properties": {"dealname": "Big"}}"#.to_vec();
        let mut report = String::from("Opportunity ID,Opportunity Name,Email,Contact Role\n");
        for i in 0..n {
            report.push_str(&format!("006A,Big,c{i}@example.com,Evaluator\n"));
        }
        let mut calls = String::from(r#"{"calls": [{"metaData": {"id": "1"}, "parties": ["#);
        for i in 0..n {
            calls.push_str(&format!(r#"{{"name": "P{i}", "speakerId": "{i}"}},"#));
        }
        calls.push_str(r#"{"name": "P0", "speakerId": "0"}]}]}"#);
        let files = [
            (PathBuf::from("deal.json"), deal),
            (PathBuf::from("v4.json"), v4.into_bytes()),
            (PathBuf::from("report.csv"), report.into_bytes()),
            (PathBuf::from("calls.json"), calls.into_bytes()),
        ];
        let started = std::time::Instant::now();
        let exports = parse_exports(&files, None).unwrap();
        let took = started.elapsed();
        eprintln!("read the repeats in {took:?}");
        assert_eq!(exports.deals[0].contacts.len(), n as usize);
        assert_eq!(exports.deals[0].contacts[1].labels.len(), n as usize);
        assert_eq!(exports.deals[1].contacts.len(), n as usize);
        assert_eq!(exports.calls[0].parties.len(), n as usize);
        // Linear: well under a second in a release build; the bound is for a debug build on a
        // shared machine (11 s seen at a load average of 20 on 2 cores).
        assert!(took.as_secs() < 60, "{took:?}");
    }

    #[test]
    fn only_regular_files_under_the_cap_are_read() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("folder.csv")).unwrap();
        let big = std::fs::File::create(dir.path().join("big.csv")).unwrap();
        big.set_len(MAX_EXPORT_BYTES + 1).unwrap();
        let err = read_exports(dir.path(), &[PathBuf::from("folder.csv")], None).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("folder.csv: not a regular file"),
            "{err}"
        );
        let err = read_exports(dir.path(), &[PathBuf::from("big.csv")], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "big.csv: the file is {} bytes, over the 16777216-byte limit for an export; \
                 export only the deals to hand off (e.g. last quarter's closed-won deals)",
                MAX_EXPORT_BYTES + 1
            )
        );
        let err = read_exports(dir.path(), &[PathBuf::from("missing.json")], None).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
        // A FIFO would block a reader forever: refused without opening it.
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|status| status.success()) {
            let err = read_exports(dir.path(), &[PathBuf::from("pipe.json")], None).unwrap_err();
            assert!(
                err.to_string().starts_with("pipe.json: not a regular file"),
                "{err}"
            );
        }
    }

    const FIXTURES: &[&str] = &[
        "hubspot-v3-deal.json",
        "hubspot-bundle.json",
        "hubspot-v4-batch-companies.json",
        "hubspot-deals.csv",
        "hubspot-contacts-de.csv",
        "salesforce-soql.json",
        "salesforce-report.csv",
        "gong-calls-extensive.json",
        "gong-transcript.json",
    ];

    proptest::proptest! {
        /// Damaged exports (bytes replaced, cut short, spliced): every reader, detected or
        /// forced, reads or refuses them; none panics.
        #[test]
        fn damaged_exports_never_panic(
            which in 0..FIXTURES.len(),
            // Mostly the bytes that make structure, so the damage reaches past decoding.
            edits in proptest::collection::vec(
                (0.0f64..1.0, proptest::sample::select(b"\"{}[],;:\n\r 0a-.\\\xff".to_vec())),
                1..8,
            ),
            cut in 0.0f64..1.0,
        ) {
            let mut bytes = std::fs::read(fixture(FIXTURES[which])).unwrap();
            for (at, byte) in edits {
                let at = ((bytes.len() as f64) * at) as usize;
                if at < bytes.len() {
                    bytes[at] = byte;
                }
            }
            if cut > 0.5 {
                bytes.truncate(((bytes.len() as f64) * cut) as usize);
            }
            let files = [(PathBuf::from("export"), bytes)];
            let _ = parse_exports(&files, None);
            for format in [
                PrefillFormat::Hubspot,
                PrefillFormat::HubspotCsv,
                PrefillFormat::Salesforce,
                PrefillFormat::SalesforceCsv,
                PrefillFormat::Gong,
            ] {
                let _ = parse_exports(&files, Some(format));
            }
        }
    }
}
