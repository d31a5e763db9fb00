//! The sensitive-data detectors against their own docs (issue 11 §5), through the real binary:
//! CRM ids are not card numbers, lower-case NI numbers are found, the token shapes HO203's doc
//! lists are found, IBANs are checksum-validated.

use crate::util::{only_file, Repo};

/// The sensitive-data findings `(code, line)` of a handoff whose comment lines are `lines`.
fn sensitive(lines: &[&str]) -> Vec<(String, u64)> {
    let repo = Repo::new();
    let mut yaml = String::from("type: sales-cs\nstatus: draft\n");
    for line in lines {
        yaml.push_str(&format!("# {line}\n"));
    }
    repo.write("handoffs/sales-cs/acme.yaml", yaml);
    let (_, report) = repo.lint_json(&[]);
    only_file(&report)["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("HO2")))
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_crm_opportunity_id_is_not_a_card_number() {
    assert!(sensitive(&["Opportunity 4000123412341234 closed won"]).is_empty());
    assert!(sensitive(&["Salesforce opportunity id: 4000123412341234"]).is_empty());
    // The same digits on a line about a card are one.
    assert_eq!(
        sensitive(&["card on file 4000123412341234"]),
        [("HO201".to_string(), 3)]
    );
}

#[test]
fn lower_case_national_insurance_numbers_are_found() {
    assert_eq!(
        sensitive(&["payroll contact NI jg 10 37 21 a"]),
        [("HO202".to_string(), 3)]
    );
}

#[test]
fn ibans_are_found_when_their_checksum_holds() {
    assert_eq!(
        sensitive(&[
            "refunds to DE89 3704 0044 0532 0130 00",
            "GB82 WEST 1234 5698 7654 33"
        ]),
        [("HO201".to_string(), 3)]
    );
}

#[test]
fn the_token_shapes_the_doc_lists_are_found() {
    let lines = [
        "jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "curl -H 'Authorization: Bearer 4f9a1c7e2b8d'",
        "gitlab glpat-Q1w2E3r4T5y6U7i8O9p0",
        "alerts to https://hooks.slack.com/services/T0ABCDEFG/B0HIJKLMN/0123456789abcdefghijklmn",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "hubspot pat-na1-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "sf session 00D5g000004ExAm!AQ4AQFakeSessionIdFakeSessionIdFakeSessionIdFakeSessionIdFakeSessionIdFakeSessionId0123",
        "the admin password is hunter2",
        "sandbox login pw: Sp4rkle!",
    ];
    let found = sensitive(&lines);
    let expected: Vec<(String, u64)> = (0..lines.len())
        .map(|i| ("HO203".to_string(), i as u64 + 3))
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn explain_lists_the_covered_shapes() {
    let repo = Repo::new();
    let output = repo.cmd().args(["explain", "HO203"]).output().expect("run");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    for shape in [
        "glpat-",
        "JSON Web Tokens",
        "Authorization: Bearer",
        "AccountKey=",
        "Salesforce",
        "HubSpot",
        "gitleaks",
        "password is hunter2",
    ] {
        assert!(text.contains(shape), "{shape} missing:\n{text}");
    }
    let output = repo.cmd().args(["explain", "HO201"]).output().expect("run");
    assert!(String::from_utf8_lossy(&output.stdout).contains("IBAN"));
}
