//! Worst-case inputs cost time linear in their size (issue 11 §3): files at the size cap
//! (1 MiB) full of findings of one kind (HO301 warnings, secrets, card and id numbers) are
//! linted in every format within a generous bound, and every format is capped at 200 findings
//! per rule plus one line that counts the rest.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{only_file, spec_sales_cs, Repo};

/// The findings reported per rule and file (`handoffs::findings::MAX_PER_RULE`).
const CAP: usize = 200;
/// Generous: debug builds on a loaded CI machine; linear work takes about a second.
const BOUND: Duration = Duration::from_secs(10);

/// The SPEC example with `line` repeated (as success criteria, or as comments) until the file
/// is just under the default 1 MiB cap; returns the text and how many times `line` is in it.
fn at_the_cap(line: &str, as_criteria: bool) -> (String, usize) {
    let spec = spec_sales_cs();
    let criteria = "  success_criteria: [Onboard 500 users by March 31, Cut reporting time by half, Weekly active use above 80%]\n";
    assert!(spec.contains(criteria));
    let (head, tail) = if as_criteria {
        let at = spec.find(criteria).expect("criteria") + criteria.len();
        let head = spec[..at].replacen(criteria, "  success_criteria:\n", 1);
        (head, spec[at..].to_string())
    } else {
        (spec.clone(), String::new())
    };
    let room = (1 << 20) - 64 - head.len() - tail.len();
    let count = room / line.len();
    (format!("{head}{}{tail}", line.repeat(count)), count)
}

/// Lints `yaml` in every format, each within [`BOUND`], and returns the JSON report's file.
fn lint_every_format(yaml: &str) -> Value {
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/big.yaml", yaml);
    for format in [
        "human", "github", "sarif", "junit", "markdown", "gitlab", "json",
    ] {
        let started = Instant::now();
        let output = repo
            .cmd()
            .args(["lint", "--format", format])
            .timeout(BOUND * 3)
            .output()
            .expect("run");
        let took = started.elapsed();
        assert!(
            output.status.code().is_some(),
            "{format}: killed after {took:?}"
        );
        assert!(took < BOUND, "{format} took {took:?}");
        // Capped: a few hundred findings' worth of output, not tens of thousands.
        assert!(
            output.stdout.len() < 600_000,
            "{format}: {} bytes",
            output.stdout.len()
        );
    }
    let (_, report) = repo.lint_json(&[]);
    only_file(&report).clone()
}

/// How many findings of `code` the report has, and the message of the one that counts the rest.
fn capped(file: &Value, code: &str) -> (usize, String) {
    let of_code: Vec<&Value> = file["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["code"] == code)
        .collect();
    let more = of_code
        .iter()
        .find(|d| d["line"] == 0)
        .and_then(|d| d["message"].as_str())
        .unwrap_or_default()
        .to_string();
    (of_code.len(), more)
}

#[test]
fn a_file_full_of_unmeasurable_criteria() {
    let (yaml, count) = at_the_cap("    - Better visibility into the pipeline\n", true);
    assert!(count > 20_000, "{count}");
    let file = lint_every_format(&yaml);
    let (reported, more) = capped(&file, "HO301");
    assert_eq!(reported, CAP + 1);
    assert_eq!(
        more,
        format!(
            "{} more HO301 unmeasurable-criteria findings in this file (only the first 200 of each rule are reported)",
            count - CAP
        )
    );
}

#[test]
fn a_file_full_of_secrets() {
    let (yaml, count) = at_the_cap(
        "# password: Winter2026! api_key=9f8e7d6c5b4a39281706f5e4 xoxb-4111111111111111-abcdefABCDEF\n",
        false,
    );
    let file = lint_every_format(&yaml);
    let (reported, more) = capped(&file, "HO203");
    assert_eq!(reported, CAP + 1);
    // Three secrets a line; the token's digits are part of the token, not a card number.
    assert!(
        more.starts_with(&format!("{} more HO203 secret findings", 3 * count - CAP)),
        "{more}"
    );
    assert_eq!(capped(&file, "HO201").0, 0);
}

#[test]
fn a_file_full_of_card_and_id_numbers() {
    let (yaml, count) = at_the_cap(
        "# card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, SSN 078-05-1120\n",
        false,
    );
    let file = lint_every_format(&yaml);
    let (cards, more) = capped(&file, "HO201");
    assert_eq!(cards, CAP + 1);
    assert!(
        more.starts_with(&format!("{} more HO201", 2 * count - CAP)),
        "{more}"
    );
    assert_eq!(capped(&file, "HO202").0, CAP + 1);
}

#[test]
fn the_human_report_of_a_capped_file_masks_and_counts() {
    let (yaml, count) = at_the_cap("# pw: Tr0ub4dor&3 and 4111111111111111\n", false);
    let repo = Repo::new();
    repo.write("handoffs/sales-cs/big.yaml", &yaml);
    let output = repo.cmd().args(["lint"]).output().expect("run");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(
        !text.contains("Tr0ub4dor") && !text.contains("4111"),
        "masked"
    );
    assert_eq!(text.matches("  error[HO203 secret]").count(), CAP + 1);
    assert!(text.contains(&format!(
        "error[HO203 secret] handoffs/sales-cs/big.yaml: {} more HO203 secret findings",
        count - CAP
    )));
}
