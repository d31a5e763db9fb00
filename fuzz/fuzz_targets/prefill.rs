//! Arbitrary bytes as an export file, read by every reader: detection by content, then each
//! format forced. A reader may refuse the file (an `Error`), never panic or hang.
#![no_main]

use std::path::PathBuf;

use handoffs::cli::PrefillFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = [(PathBuf::from("export"), data.to_vec())];
    let _ = handoffs::prefill::parse_exports(&files, None);
    for format in [
        PrefillFormat::Hubspot,
        PrefillFormat::HubspotCsv,
        PrefillFormat::Salesforce,
        PrefillFormat::SalesforceCsv,
        PrefillFormat::Gong,
    ] {
        let _ = handoffs::prefill::parse_exports(&files, Some(format));
    }
});
